/*
 * mail.c - the life of a message (see mail.h): from the traffic
 * (traffic.c) through delivery attempts to the servers RFC 5321 section
 * 5.1 names (candidates.c), the receiving servers' replies (server.c),
 * retries on the sender's schedule (mta.c) and backup MX relaying, to its
 * one end: delivered, bounced, or still queued when the run ends.
 *
 * Invariant: a live message is in exactly one state below and counted in
 * exactly one holder's queue (a sender, or a backup relaying it) until it
 * ends; run.c checks submitted = delivered + bounced + queued. Debug
 * builds (MXSIM_DEBUG, on in `make SAN=1`) assert every transition.
 *
 *  draw_message()       arrival()          attempt(), retry()
 *  ------------> AHEAD ----------> QUEUED -------------------------+
 *                                   ^  |                           |
 *                                   |  | attempt(): a backup with  |
 *                                   |  | no free relay slot        |
 *                                   |  v                           v
 *                                   | SLOT_WAIT --relay_go()--> ATTEMPTING <-----------+
 *                                   |                           | | |   walk_resume()  |
 *           mail_defer(): no one    |                           | | +-- walk(): ---> CONNECTING
 *           took it; retry later    +---------------------------+ |     timeout
 *                                   |                             | walk(): accepted
 *           session_end() at a      |                             v
 *           backup: a new hop       +------------------------- SESSION
 *                                                                 | session_end() at a
 *                 mail_bounce(): NXDOMAIN, null MX, no address,   | final server:
 *                 loop, 554 relay denied, 552 too large, expired  | deliver()
 *      ATTEMPTING -------------------------------------------> FREE <---+
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S(state) (1u << (state))
#ifdef MXSIM_DEBUG
#define TO(m, from, to) (assert((from)&S((m)->state)), (m)->state = (to))
#else
#define TO(m, from, to) ((void)(from), (m)->state = (to))
#endif

const char *const mdl_bounce_names[BOUNCE_N] = {
	"relay_denied", "too_large", "expired", "no_such_domain", "no_address", "null_mx", "loop"};
const char *const mdl_defer_names[DEFER_N] = {"refused",  "timeout", "busy",     "rate_limit",
					      "greylist", "dns",     "dead_host"};
static msg *msg_new(world *w)
{
	if (!w->free_msgs) {
		msg *b = xcalloc(BLOCK, sizeof *b);
		w->blocks = xrealloc(w->blocks, (size_t)(w->nblocks + 1) * sizeof *w->blocks);
		w->blocks[w->nblocks++] = b;
		for (int i = 0; i < BLOCK; i++) {
			b[i].next = w->free_msgs;
			w->free_msgs = &b[i];
		}
	}
	msg *m = w->free_msgs;
	w->free_msgs = m->next;
	memset(m, 0, sizeof *m);
	TO(m, S(MSG_FREE), MSG_AHEAD);
	return m;
}

/* ---- arrivals -------------------------------------------------------- */

static void arrival(sim *s, void *subject, void *object);

/* Messages are drawn two arrivals ahead, and the state their attempt will
 * touch - the sender, then its resolver's cache entry and rate buckets -
 * fetched into the CPU cache meanwhile: a million senders do not fit in
 * it. Each stream draws in the same order either way. */
static msg *draw_message(world *w)
{
	msg *m = msg_new(w);
	traffic_draw(w->traffic, &m->domain, &m->sender, &m->size);
	m->holder = m->sender;
	__builtin_prefetch(&w->mtas[m->sender]);
	return m;
}

static msg *pop_ahead(world *w)
{
	msg *m = w->ahead[0];
	w->ahead[0] = w->ahead[1];
	w->ahead[1] = draw_message(w);
	const msg *n = w->ahead[0];
	res_prefetch(w->res, (int)w->mtas[n->sender].resolver, n->domain);
	srv_prefetch(w->srv, n->sender);
	return m;
}

static void next_arrival(world *w)
{
	sim_time t = traffic_next(w->traffic, sim_now(w->s));
	if (t != SIM_NEVER)
		sim_at(w->s, t, arrival, w, pop_ahead(w));
}

/* ---- outcomes -------------------------------------------------------- */

static void attempt(world *w, msg *m);

static void leave_holder(world *w, msg *m)
{
	relay *rl = relay_of(w, m->holder);
	if (rl) {
		rl->queued--;
		w->live_backups--;
	} else {
		w->live_senders--;
	}
}

static void relay_go(sim *s, void *subject, void *object);

/* Frees m's relay slot at its holder, handing it to the longest waiter
 * (started as an event now, not nested in this call). */
static void release_slot(world *w, msg *m)
{
	relay *h = relay_of(w, m->holder);
	if (!h)
		return;
	if (!h->wait_head) {
		h->active--;
		return;
	}
	msg *n = h->wait_head;
	h->wait_head = n->next;
	if (!h->wait_head)
		h->wait_tail = NULL;
	sim_at(w->s, sim_now(w->s), relay_go, w, n);
}

static void msg_free(world *w, msg *m)
{
	TO(m, S(MSG_ATTEMPTING) | S(MSG_SESSION), MSG_FREE);
	m->live = false;
	m->next = w->free_msgs;
	w->free_msgs = m;
}

void mail_trace(world *w, const msg *m, mdl_trace_kind k, int server, mdl_bounce why)
{
	if (!w->c->trace)
		return;
	mdl_trace t = {k,      m->id, m->domain, m->sender,     m->holder, m->attempts,
		       server, why,   m->birth,  sim_now(w->s), m->size};
	w->c->trace(w->c->trace_ctx, &t);
}

void mail_bounce(world *w, msg *m, mdl_bounce why)
{
	mail_trace(w, m, TRACE_BOUNCED, -1, why);
	w->r->bounced++;
	w->r->bounces[why]++;
	w->b_bounced++;
	w->b_bounces[why]++;
	leave_holder(w, m);
	release_slot(w, m);
	msg_free(w, m);
}

static void deliver(world *w, msg *m, int server)
{
	const mdl_config *c = w->c;
	sim_time now = sim_now(w->s);
	mdl_result *r = w->r;
	mail_trace(w, m, TRACE_DELIVERED, server, 0);
	r->delivered++;
	w->b_delivered++;
	r->server[server].delivered++;
	srv_delivered(w->srv, server);
	int p = c->servers[server].provider;
	r->provider_delivered[p]++;
	st_hist_add(&r->latency, sec(now - m->birth));
	sim_time cut = c->cutover ? c->cutover[m->domain] : SIM_NEVER;
	if (now >= cut && c->new_provider[m->domain] >= 0 && p != c->new_provider[m->domain]) {
		r->delivered_old_after++;
		if (sec(now - cut) > r->old_last)
			r->old_last = sec(now - cut);
	}
	leave_holder(w, m);
	release_slot(w, m);
	msg_free(w, m);
}

static void retry(sim *s, void *subject, void *object)
{
	(void)s;
	attempt(subject, object);
}

/* The attempt ended with no candidate taking the message. */
void mail_defer(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	const mta_profile *p = &w->c->profiles[h->profile];
	sim_time now = sim_now(w->s);
	w->r->deferred_attempts++;
	w->b_deferred++;
	if (!m->first_fail)
		m->first_fail = now;
	if (mta_expired(p, m->hop_birth, m->first_fail, now)) {
		mail_bounce(w, m, BOUNCE_EXPIRED);
		return;
	}
	release_slot(w, m);
	TO(m, S(MSG_ATTEMPTING), MSG_QUEUED);
	sim_time next = mta_next_retry(p, m->hop_birth, m->first_fail, m->attempts, now, h->phase);
	sim_at(w->s, next > now ? next : now + 1, retry, w, m);
}

/* ---- delivery attempt ------------------------------------------------ */

static bool is_dead(const mta *h, int host, sim_time now)
{
	for (int i = 0; i < 2; i++)
		if (h->dead_host[i] == (uint32_t)host + 1 &&
		    (sim_time)h->dead_until[i] * SIM_SEC > now)
			return true;
	return false;
}

static void mark_dead(world *w, mta *h, int host)
{
	const mta_profile *p = &w->c->profiles[h->profile];
	if (!p->dead_time)
		return;
	int i = h->dead_until[0] <= h->dead_until[1] ? 0 : 1;
	h->dead_host[i] = (uint32_t)host + 1;
	/* whole seconds, rounded up */
	h->dead_until[i] = (uint32_t)((sim_now(w->s) + p->dead_time + SIM_SEC - 1) / SIM_SEC);
}

static void walk(world *w, msg *m);

static void walk_resume(sim *s, void *subject, void *object)
{
	(void)s;
	msg *m = object;
	TO(m, S(MSG_CONNECTING), MSG_ATTEMPTING);
	walk(subject, m);
}

static void session_end(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	int sv = m->server;
	srv_close(w->srv, sv, sim_now(s));
	const mdl_server *cs = &w->c->servers[sv];
	if (!cs->backup) {
		deliver(w, m, sv);
		return;
	}
	/* the backup takes over: a new hop with its own queue and schedule */
	TO(m, S(MSG_SESSION), MSG_QUEUED);
	leave_holder(w, m);
	release_slot(w, m);
	int b = w->c->nsenders;
	for (int i = 0; i < sv; i++)
		b += w->c->servers[i].backup;
	relay *h = relay_of(w, b);
	m->holder = b;
	h->queued++;
	w->live_backups++;
	if (h->queued > w->r->server[sv].peak_queue)
		w->r->server[sv].peak_queue = h->queued;
	m->hop_birth = sim_now(s);
	m->first_fail = 0;
	m->attempts = 0;
	attempt(w, m);
}

/* Tries the candidates from m->ci on; ends in a session, a mail_bounce, a
 * connect-timeout wait, or a deferral. */
static void walk(world *w, msg *m)
{
	const mdl_config *c = w->c;
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	mdl_result *r = w->r;
	while (m->ci < m->ncand) {
		int host = m->cand[m->ci].host, sv = m->cand[m->ci].to;
		m->ci++;
		bool first = m->first && m->ci == 1;
		if (is_dead(h, host, now)) {
			r->deferrals[DEFER_DEAD]++;
			continue;
		}
		srv_reply rep =
			sv == TO_REFUSE ? SRV_REFUSED
			: sv == TO_TIMEOUT
				? SRV_TIMEOUT
				: srv_connect(w->srv, sv, m->holder, relay_of(w, m->holder) != NULL,
					      m->domain, m->size, &m->grey, first, now);
		switch (rep) {
		case SRV_REFUSED:
			r->deferrals[DEFER_REFUSED]++;
			mark_dead(w, h, host);
			continue;
		case SRV_TIMEOUT:
			r->deferrals[DEFER_TIMEOUT]++;
			mark_dead(w, h, host);
			TO(m, S(MSG_ATTEMPTING), MSG_CONNECTING);
			sim_after(w->s, c->profiles[h->profile].connect_timeout, walk_resume, w, m);
			return;
		case SRV_BUSY:
			r->deferrals[DEFER_BUSY]++;
			continue;
		case SRV_RATE:
			r->deferrals[DEFER_RATE]++;
			continue;
		case SRV_GREYLISTED:
			r->deferrals[DEFER_GREYLIST]++;
			continue;
		case SRV_RELAY_DENIED:
			mail_bounce(w, m, BOUNCE_RELAY_DENIED);
			return;
		case SRV_TOO_LARGE:
			mail_bounce(w, m, BOUNCE_TOO_LARGE);
			return;
		case SRV_ACCEPT:
			TO(m, S(MSG_ATTEMPTING), MSG_SESSION);
			m->server = sv;
			sim_after(w->s,
				  srv_session_time(w->srv, sv, m->size, w->rng[STREAM_SERVICE]),
				  session_end, w, m);
			return;
		}
	}
	mail_defer(w, m);
}

static void attempt_now(world *w, msg *m)
{
	TO(m, S(MSG_QUEUED) | S(MSG_SLOT_WAIT), MSG_ATTEMPTING);
	m->attempts++;
	m->first = m->attempts == 1 && !relay_of(w, m->holder);
	w->r->attempts++;
	mail_trace(w, m, TRACE_ATTEMPT, -1, 0);
	if (mail_candidates(w, m))
		walk(w, m);
}

static void relay_go(sim *s, void *subject, void *object)
{
	(void)s;
	attempt_now(subject, object);
}

static void attempt(world *w, msg *m)
{
	relay *h = relay_of(w, m->holder);
	if (h) {
		if (h->active >= h->slots) {
			TO(m, S(MSG_QUEUED), MSG_SLOT_WAIT);
			m->next = NULL;
			if (h->wait_tail)
				h->wait_tail->next = m;
			else
				h->wait_head = m;
			h->wait_tail = m;
			return;
		}
		h->active++;
	}
	attempt_now(w, m);
}

static void arrival(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	TO(m, S(MSG_AHEAD), MSG_QUEUED);
	m->birth = m->hop_birth = sim_now(s);
	m->id = ++w->r->submitted;
	m->live = true;
	w->b_arrivals++;
	w->live_senders++;
	if (w->live_senders > w->r->peak_queue_senders)
		w->r->peak_queue_senders = w->live_senders;
	next_arrival(w);
	attempt(w, m);
}

void mail_start(world *w)
{
	if (w->c->rate > 0) {
		w->ahead[0] = draw_message(w);
		w->ahead[1] = draw_message(w);
		next_arrival(w);
	}
}
