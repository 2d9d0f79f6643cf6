/*
 * hostmem.c - what a sending MTA with MTA_MEMORY_HOST remembers of hosts
 * that failed (Exim's retry records: The Exim Specification, ch. "Retry
 * configuration"; src/retry.c): a failed host is skipped until its retry
 * time, from its record of first and last failure and next try; a host
 * that takes a message is forgotten.
 *
 * Invariant: a holder has an entry in w->dead (h->dead set) exactly while
 * it has a record; at most two records a holder, the older of two making
 * room.
 */
#include "mail_impl.h"

static int record_of(const mail_dead *d, int host)
{
	for (int i = 0; i < 2; i++)
		if (d->host[i] == (uint32_t)host + 1)
			return i;
	return -1;
}

static uint64_t holder_of(const world *w, const mta *h)
{
	return (uint64_t)(h - w->mtas);
}

bool hostmem_dead(const world *w, const mta *h, int host, sim_time now)
{
	if (!h->dead || w->c->profiles[h->profile].memory != MTA_MEMORY_HOST)
		return false;
	const mail_dead *d = tab_find(w->dead, holder_of(w, h));
	int i = record_of(d, host);
	return i >= 0 && (sim_time)d->until[i] * SIM_SEC > now;
}

/* host failed at now: its record gets the next retry time; the older of
 * two records makes room. A failure in the second of the record's last
 * moves nothing: Exim's queue runner tries its messages one after another,
 * so the ones after the first failure find the retry time not reached,
 * where mxsim's wake together. */
void hostmem_failed(world *w, mta *h, int host)
{
	const mta_profile *p = &w->c->profiles[h->profile];
	if (p->memory != MTA_MEMORY_HOST)
		return;
	uint32_t now = (uint32_t)(sim_now(w->s) / SIM_SEC);
	bool created;
	mail_dead *d = tab_get(w->dead, holder_of(w, h), &created);
	h->dead = 1;
	int i = record_of(d, host);
	if (i < 0) { /* a new record: first and last failure and next try now */
		i = d->until[0] <= d->until[1] ? 0 : 1;
		d->host[i] = (uint32_t)host + 1;
		d->first[i] = d->last[i] = d->until[i] = now;
	} else if (d->last[i] == now) {
		return;
	}
	sim_time until =
		mta_host_retry(p, (sim_time)d->first[i] * SIM_SEC, (sim_time)d->last[i] * SIM_SEC,
			       (sim_time)d->until[i] * SIM_SEC, sim_now(w->s));
	d->last[i] = now;
	d->until[i] = (uint32_t)((until + SIM_SEC - 1) / SIM_SEC); /* rounded up */
}

/* host took a message: its record goes (Exim deletes it on success), and
 * with the last one the holder's entry. */
void hostmem_took(world *w, mta *h, int host)
{
	if (!h->dead)
		return;
	mail_dead *d = tab_find(w->dead, holder_of(w, h));
	int i = record_of(d, host);
	if (i < 0)
		return;
	d->host[i] = d->until[i] = d->first[i] = d->last[i] = 0;
	if (!d->host[0] && !d->host[1]) {
		tab_del(w->dead, holder_of(w, h));
		h->dead = 0;
	}
}
