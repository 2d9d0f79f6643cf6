/*
 * ahead.c - the messages drawn ahead of their arrival (a ring of RING),
 * and the state their attempts will touch fetched into the CPU cache
 * meanwhile: the fast path of arrivals (mail.c; the plain build draws
 * each message as it comes, to the same bits).
 *
 * A step per arrival, so
 * that each step reads only what the one before fetched (a million
 * senders and the resolvers' caches do not fit in the cache): when drawn,
 * the sender, the domain's record and the rate buckets; two arrivals
 * before its own, the resolver's cache entry and profile (the sender
 * names the resolver), the answers' TTLs and the destination queue; one
 * before, the candidate plan (the domain's record names it). Each stream
 * draws in the same order either way.
 */
#include "mail_impl.h"

msg *mail_draw(world *w)
{
	msg *m = mail_new(w);
	traffic_draw(w->traffic, &m->domain, &m->sender, &m->size);
	m->holder = m->sender;
	if (SIM_FAST) {
		__builtin_prefetch(&w->mtas[m->sender]);
		dns_prefetch(w->d, m->domain);
		srv_prefetch(w->srv, m->sender);
	}
	return m;
}

msg *mail_pop_ahead(world *w)
{
	unsigned i = w->next_ahead;
	msg *m = w->ahead[i];
	w->ahead[i] = mail_draw(w); /* the last, in the ring's order */
	w->next_ahead = i = (i + 1) % RING;
	const msg *n = w->ahead[(i + 2) % RING]; /* the third from now */
	res_prefetch(w->res, (int)w->mtas[n->sender].resolver, n->domain);
	dns_prefetch_answers(w->d, n->domain);
	slot_prefetch(w, n);
	mail_prefetch_plan(w, w->ahead[(i + 1) % RING]->domain);
	return m;
}
