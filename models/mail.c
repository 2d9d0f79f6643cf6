/*
 * mail.c - the life of a message (see model.h): from the traffic
 * (traffic.c) through its holder's delivery slots (slots.c) and delivery
 * attempts to the servers RFC 5321 section 5.1 names (candidates.c), the
 * receiving servers' replies (server.c) over connections new, cached
 * (conncache.c) or passed on (passing.c), retries on the sender's
 * schedule (mta.c) and backup MX relaying, to its one end: delivered,
 * bounced, or still queued when the run ends.
 *
 * Invariant: a live message is in exactly one state below and counted in
 * exactly one holder's queue (a sender, or a backup relaying it) until it
 * ends; run.c checks submitted = delivered + bounced + queued. Every
 * transition is made here, by the function named on its arrow (slots.c
 * and candidates.c only decide: slot_verdict, mail_verdict). What holds in
 * each state (mail_impl.h) is asserted at every transition in debug
 * builds (MXSIM_DEBUG, on in `make SAN=1`: state_holds()).
 *
 *                                          attempt(): slots taken, or
 *  mail_new()           arrival()          take_connection(): passed one
 *  FREE -----> AHEAD ----------> QUEUED -------------------------------+
 *                                 ^ ^  |                               |
 *     suspend(): destination      | |  | attempt(), take_connection(): |
 *     throttled, deferred untried | |  | no free slot                  |
 *                                 | |  v       mail_slotted(GO),       v
 *     (mail_slotted(THROTTLED))   | +- SLOT_WAIT --slot_go()-----> ATTEMPTING <-----------+
 *                                 |                               | | |   walk_resume(),  |
 *     defer(): no candidate took  |                               | | |   syn_again()     |
 *     it; retry_later()           +-------------------------------+ | +-- walk(): --> CONNECTING
 *                                 |              session_timeout() ^ | open_session(): a
 *     hand_over() at a backup:    |              (it hung too long)| v connection made,
 *     a new hop                   +----------------------------- SESSION  cached (reuse())
 *                                                                   | or passed on
 *                                                                   | session_end() at a
 *     bounce(): NXDOMAIN, null MX, no address, loop (the verdict),  | final server:
 *     554 relay denied, 552 too large (answer()), expired (at a       | deliver()
 *     backup: backup_expired; retry_later()), from ATTEMPTING, ---> FREE <--+
 *     QUEUED or SLOT_WAIT
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define IN(state) (1u << (state))
#ifdef MXSIM_DEBUG
/* What holds in each state, checked at every transition. */
static bool state_holds(const msg *m)
{
	switch ((msg_state)m->state) {
	case MSG_FREE:
	case MSG_AHEAD:
	case MSG_QUEUED:
		return !m->slotted;
	case MSG_SLOT_WAIT: /* in a wait list, or slotted with its go pending */
		return true;
	case MSG_ATTEMPTING:
		return m->slotted && m->ci <= m->ncand;
	case MSG_CONNECTING:
		return m->slotted && m->ci > 0;
	case MSG_SESSION:
		return m->slotted && m->server >= 0;
	}
	return false;
}
#define TO(m, from, to) (assert((from)&IN((m)->state)), (m)->state = (to), assert(state_holds(m)))
#else
#define TO(m, from, to) ((void)(from), (m)->state = (to))
#endif

msg *mail_new(world *w)
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
	memset(m, 0, offsetof(msg, cand)); /* m->cand is written before read */
	TO(m, IN(MSG_FREE), MSG_AHEAD);
	return m;
}

/* ---- arrivals -------------------------------------------------------- */

static void arrival(sim *s, void *subject, void *object);

static void next_arrival(world *w)
{
	sim_time t = traffic_next(w->traffic, sim_now(w->s));
	if (t != SIM_NEVER) /* the plain build draws each message as it comes */
		sim_lane(w->s, t, arrival, w, SIM_FAST ? mail_pop_ahead(w) : mail_draw(w));
}

/* ---- outcomes -------------------------------------------------------- */

static void attempt(world *w, msg *m);

static void leave_holder(world *w, msg *m)
{
	if (m->listed)
		pass_forget(w, m);
	relay *rl = relay_of(w, m->holder);
	if (rl) {
		srv_unstore(w->srv, rl->server, m->size);
		w->live_backups--;
	} else {
		w->live_senders--;
	}
}

static void msg_free(world *w, msg *m)
{
	m->next = w->free_msgs;
	w->free_msgs = m;
}

bool mail_live(const msg *m)
{
	return m->state != MSG_FREE && m->state != MSG_AHEAD;
}

void mail_trace(world *w, const msg *m, mdl_trace_kind k, int server, mdl_bounce why)
{
	if (!w->c->trace)
		return;
	mdl_trace t = {k,      m->id, m->domain, m->sender,     m->holder, m->attempts,
		       server, why,   m->birth,  sim_now(w->s), m->size};
	w->c->trace(w->c->trace_ctx, &t);
}

/* m ends bounced: from an attempt, or deferred untried (suspend()) past
 * its lifetime. */
static void bounce(world *w, msg *m, mdl_bounce why)
{
	mail_count_bounced(w, m, why);
	leave_holder(w, m);
	slot_release(w, m);
	TO(m, IN(MSG_ATTEMPTING) | IN(MSG_QUEUED) | IN(MSG_SLOT_WAIT), MSG_FREE);
	msg_free(w, m);
}

static void deliver(world *w, msg *m, int server)
{
	mail_count_delivered(w, m, server);
	leave_holder(w, m);
	slot_release(w, m);
	TO(m, IN(MSG_SESSION), MSG_FREE);
	msg_free(w, m);
}

static void retry(sim *s, void *subject, void *object)
{
	(void)s;
	attempt(subject, object);
}

/* m failed to go this time (for its hosts: waiting for them, if its
 * holder passes connections): false if that is past its lifetime (it
 * bounced); else its slots go and its next attempt is scheduled on the
 * holder's retry schedule. */
static bool retry_later(world *w, msg *m, bool hosts)
{
	mta *h = &w->mtas[m->holder];
	const mta_profile *p = &w->c->profiles[h->profile];
	sim_time now = sim_now(w->s);
	w->r->deferred_attempts++;
	w->b_deferred++;
	if (!m->first_fail)
		m->first_fail = now;
	if (mta_expired(p, m->hop_birth, m->first_fail, now)) {
		bounce(w, m,
		       relay_of(w, m->holder) ? MDL_BOUNCE_BACKUP_EXPIRED : MDL_BOUNCE_EXPIRED);
		return false;
	}
	slot_release(w, m);
	sim_time next = mta_next_retry(p, m->hop_birth, m->attempts, now, phase_of(h));
	pass_queued(w, m, sim_at(w->s, next > now ? next : now + 1, retry, w, m), hosts);
	return true;
}

/* The attempt ended with no candidate taking m (hosts: each tried or
 * skipped; else the MX lookup failed). */
static void defer(world *w, msg *m, bool hosts)
{
	if (retry_later(w, m, hosts))
		TO(m, IN(MSG_ATTEMPTING), MSG_QUEUED);
}

/* m's destination is throttled: deferred without trying, its schedule
 * moving on as after a failed attempt (qmgr_defer_todo). */
static void suspend(world *w, msg *m)
{
	w->r->deferrals[MDL_DEFER_THROTTLED]++;
	m->attempts++;
	if (retry_later(w, m, false))
		TO(m, IN(MSG_QUEUED) | IN(MSG_SLOT_WAIT), MSG_QUEUED);
}

/* ---- delivery attempt ------------------------------------------------ */

static void walk(world *w, msg *m);

/* The connection to m's current candidate failed (the MTA's connect
 * timeout or the OS's last SYN): only now is the host known to be dead. */
static void walk_resume(sim *s, void *subject, void *object)
{
	(void)s;
	world *w = subject;
	msg *m = object;
	TO(m, IN(MSG_CONNECTING), MSG_ATTEMPTING);
	w->r->deferrals[MDL_DEFER_TIMEOUT]++;
	m->site_fail = true;
	hostmem_failed(w, &w->mtas[m->holder], m->cand[m->ci - 1].host);
	walk(w, m);
}

static void syn_again(sim *s, void *subject, void *object);

/* m (CONNECTING) waits for the next SYN retransmission, if one comes
 * before the connection fails and the host can come back (a server;
 * an address that drops packets never does); else for the failure.
 * start: when the first SYN went (mta.h: the OS's schedule). */
static void syn_wait(world *w, msg *m, sim_time start)
{
	const mta_profile *p = profile_of(w, m->holder);
	sim_time fail = start + mta_connect_limit(p);
	if (m->cand[m->ci - 1].to >= 0 && p->syn_rto && m->syns < p->syn_linear + p->syn_retries) {
		sim_time next = start + mta_syn_at(p, m->syns + 1);
		if (next < fail) {
			sim_at(w->s, next, syn_again, w, m);
			return;
		}
	}
	sim_at(w->s, fail, walk_resume, w, m);
}

/* A SYN retransmission: the host is back (the connection goes on as if
 * just made), or the wait goes on. */
static void syn_again(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	const mta_profile *p = profile_of(w, m->holder);
	m->syns++;
	if (srv_is_down(w->srv, m->cand[m->ci - 1].to)) {
		syn_wait(w, m, sim_now(s) - mta_syn_at(p, m->syns));
		return;
	}
	TO(m, IN(MSG_CONNECTING), MSG_ATTEMPTING);
	m->ci--; /* the same candidate, reached now */
	walk(w, m);
}

static void take_connection(world *w, msg *m, int host, int sv, uint16_t seq);

/* m's session with backup sv ended well: the backup takes over (its
 * storage was taken at connect), a new hop with its own queue, slots and
 * schedule. */
static void hand_over(world *w, msg *m, int sv)
{
	leave_holder(w, m);
	slot_release(w, m);
	TO(m, IN(MSG_SESSION), MSG_QUEUED);
	int b = w->c->nsenders;
	for (int i = 0; i < sv; i++)
		b += w->c->servers[i].backup;
	m->holder = b;
	w->live_backups++;
	m->hop_birth = sim_now(w->s);
	m->first_fail = 0;
	m->attempts = 0;
	attempt(w, m);
}

/* m's session ended (unless it hung): delivered, or handed to a backup.
 * Its connection is passed on to the newest message waiting for its host
 * while the holder's limit allows (transport_check_waiting), or cached
 * (Postfix), or closed. */
void mail_session_end(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	if (stall_hung(w, m))
		return;
	int sv = m->server, holder = m->holder, host = -1;
	const mta_profile *p = profile_of(w, holder);
	uint16_t seq = m->seq;
	msg *next = NULL;
	if (p->connection_max_messages != 1 &&
	    (!p->connection_max_messages || seq < p->connection_max_messages)) {
		host = m->ci ? m->cand[m->ci - 1].host : w->c->servers[sv].host;
		next = pass_take(w, holder, host);
	}
	bool cache = (m->conn & MAIL_CONN_STORE) || (m->reused && p->connection_cache);
	if (!next && !(cache && conn_keep(w, m, sv)))
		srv_close(w->srv, sv, sim_now(s));
	if (w->c->servers[sv].backup)
		hand_over(w, m, sv);
	else
		deliver(w, m, sv);
	if (next)
		take_connection(w, next, host, sv, (uint16_t)(seq + (seq < UINT16_MAX)));
}

/* ---- a session whose server starts dropping packets ------------------- */

/* The MTA gave up waiting in the hung session (session_timeout): the
 * connection goes, and the walk goes on as after a failure of the site. */
void mail_session_timeout(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	int sv = m->server;
	srv_close(w->srv, sv, sim_now(s));
	if (w->c->servers[sv].backup) /* its storage was taken at connect */
		srv_unstore(w->srv, sv, m->size);
	w->r->deferrals[MDL_DEFER_HUNG]++;
	m->site_fail = true;
	TO(m, IN(MSG_SESSION), MSG_ATTEMPTING);
	walk(w, m);
}

/* A soft reply that sends the walk on to the next candidate: what it
 * counts as, whether it fails the site (smtp_trouble.c: connection and
 * greeting failures do; 451 at RCPT and 452 at MAIL FROM do not) and
 * whether a host-memory MTA remembers the host as failed. */
static const struct {
	mdl_defer why;
	bool site, host;
} soft[] = {
	[SRV_REFUSED] = {MDL_DEFER_REFUSED, true, true},
	[SRV_BUSY] = {MDL_DEFER_BUSY, true, true},
	[SRV_RATE] = {MDL_DEFER_RATE, true, true},
	[SRV_GREYLISTED] = {MDL_DEFER_GREYLIST, false, false},
	[SRV_STORAGE] = {MDL_DEFER_STORAGE, false, false},
};

static srv_reply connect_to(world *w, msg *m, int sv, sim_time now)
{
	if (sv == TO_REFUSE)
		return SRV_REFUSED;
	if (sv == TO_TIMEOUT)
		return SRV_TIMEOUT;
	return srv_connect(w->srv, sv, m->holder, relay_of(w, m->holder) != NULL, m->domain,
			   m->size, &m->grey, m->first && m->ci == 1, now);
}

/* m in session with sv over a connection made or taken now (reused): it
 * ends at session_end(), or hangs at once over a cached connection to a
 * server that drops packets since. */
static inline void open_session(world *w, msg *m, int sv, bool reused)
{
	TO(m, IN(MSG_ATTEMPTING), MSG_SESSION);
	sim_time now = sim_now(w->s),
		 t = srv_session_time(w->srv, sv, m->size, w->rng[MDL_STREAM_SERVICE]);
	m->site_fail = false;
	m->server = sv;
	m->reused = reused;
	m->stall_from = now;
	if (!reused) {
		m->conn_born = now;
		m->seq = 1;
	}
	if (reused && srv_is_down(w->srv, sv)) {
		m->stall_left = t;
		stall_wait(w, m);
		return;
	}
	sim_after(w->s, t, mail_session_end, w, m);
}

/* The reply to m at candidate host (server sv) over a connection made
 * now or cached (reused); whether the walk ends (a session, a bounce, a
 * connect-timeout wait) or goes on. */
static inline bool answer(world *w, msg *m, int host, int sv, srv_reply rep, bool reused)
{
	mta *h = &w->mtas[m->holder];
	if (reused && rep != SRV_ACCEPT) { /* the transaction failed: the connection goes */
		srv_close(w->srv, sv, sim_now(w->s));
		for (int i = 0; i < m->ncand; i++) /* and its host is not tried again */
			if (m->cand[i].to == sv)
				m->skip = (int8_t)i;
	}
	switch (rep) {
	case SRV_TIMEOUT: /* the SYN is lost: known when the connection fails */
		TO(m, IN(MSG_ATTEMPTING), MSG_CONNECTING);
		m->syns = 0;
		syn_wait(w, m, sim_now(w->s));
		return true;
	case SRV_RELAY_DENIED:
		bounce(w, m, MDL_BOUNCE_RELAY_DENIED);
		return true;
	case SRV_TOO_LARGE:
		bounce(w, m, MDL_BOUNCE_TOO_LARGE);
		return true;
	case SRV_ACCEPT:
		hostmem_took(w, h, host);
		open_session(w, m, sv, reused);
		return true;
	default:
		w->r->deferrals[soft[rep].why]++;
		m->site_fail = soft[rep].site;
		if (soft[rep].host)
			hostmem_failed(w, h, host);
		else
			m->own_defer = true; /* Exim: a message-specific defer */
		return false;
	}
}

/* m's transaction over a cached connection (its destination loads them):
 * to sv, or (sv < 0) to a server its destination is bound to; whether
 * the walk ends. */
static bool reuse(world *w, msg *m, int sv)
{
	if ((sv = conn_take(w, m, sv)) < 0)
		return false;
	if (srv_is_down(w->srv, sv)) /* dropping packets: the transaction hangs */
		return answer(w, m, w->c->servers[sv].host, sv, SRV_ACCEPT, true);
	srv_reply rep = srv_transaction(w->srv, sv, m->holder, relay_of(w, m->holder) != NULL,
					m->domain, m->size, &m->grey, sim_now(w->s));
	return answer(w, m, w->c->servers[sv].host, sv, rep, true);
}

/* Tries the candidates from m->ci on (first a cached connection its
 * destination is bound to); ends in a session, a bounce, a
 * connect-timeout wait, or a deferral. */
static void walk(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	bool load = m->conn & MAIL_CONN_LOAD;
	if (load && m->ci == 0 && reuse(w, m, -1))
		return;
	while (m->ci < m->ncand) {
		int host = m->cand[m->ci].host, sv = m->cand[m->ci].to;
		m->ci++;
		if (hostmem_dead(w, h, host, now)) {
			w->r->deferrals[MDL_DEFER_DEAD]++;
			m->site_fail = true;
			continue;
		}
		if (load && sv >= 0) { /* a cached connection first; one that failed: not again */
			if (m->skip != m->ci - 1 && reuse(w, m, sv))
				return;
			if (m->skip == m->ci - 1)
				continue;
		}
		if (answer(w, m, host, sv, connect_to(w, m, sv, now), false))
			return;
	}
	defer(w, m, true);
}

static void attempt_begin(world *w, msg *m)
{
	TO(m, IN(MSG_QUEUED) | IN(MSG_SLOT_WAIT), MSG_ATTEMPTING);
	m->attempts++;
	m->first = m->attempts == 1 && !relay_of(w, m->holder);
	m->site_fail = false;
	m->own_defer = false;
	m->skip = -1;
	w->r->attempts++;
	mail_trace(w, m, MDL_TRACE_ATTEMPT, -1, 0);
}

static void attempt_now(world *w, msg *m)
{
	attempt_begin(w, m);
	mail_verdict v = mail_candidates(w, m);
	switch (v.kind) {
	case VERDICT_WALK:
		walk(w, m);
		break;
	case VERDICT_BOUNCE:
		bounce(w, m, v.why);
		break;
	case VERDICT_DEFER:
		defer(w, m, false);
		break;
	}
}

/* m (QUEUED, its retry cancelled) takes the connection to host's server
 * sv that a delivery just ended on (Exim's connection passing: a new
 * delivery process, src/deliver.c): routed again, its transaction goes
 * over it if host is still one of its candidates; else, or if the
 * transaction fails, it is deferred (a continued delivery tries no other
 * host) and the connection closes. */
static void take_connection(world *w, msg *m, int host, int sv, uint16_t seq)
{
	sim_time now = sim_now(w->s);
	slot_verdict sl = slot_take(w, m);
	if (sl != SLOT_GO) {
		srv_close(w->srv, sv, now);
		if (sl == SLOT_WAITING)
			TO(m, IN(MSG_QUEUED), MSG_SLOT_WAIT);
		else
			suspend(w, m);
		return;
	}
	attempt_begin(w, m);
	mail_verdict v = mail_candidates(w, m);
	int i = 0;
	while (v.kind == VERDICT_WALK && i < m->ncand && m->cand[i].host != host)
		i++;
	if (v.kind != VERDICT_WALK || i == m->ncand) { /* not suitable for the connection */
		srv_close(w->srv, sv, now);
		if (v.kind == VERDICT_BOUNCE)
			bounce(w, m, v.why);
		else
			defer(w, m, false);
		return;
	}
	m->ci = (uint8_t)(i + 1);
	m->seq = seq;
	srv_reply rep =
		!srv_is_down(w->srv, sv)
			? srv_transaction(w->srv, sv, m->holder, relay_of(w, m->holder) != NULL,
					  m->domain, m->size, &m->grey, now)
		: w->c->servers[sv].down_refuses ? SRV_REFUSED /* reset */
						 : SRV_ACCEPT; /* hangs */
	if (!answer(w, m, host, sv, rep, true))
		defer(w, m, true);
}

static void slot_go(sim *s, void *subject, void *object)
{
	(void)s;
	attempt_now(subject, object);
}

void mail_slotted(world *w, msg *m, slot_verdict v)
{
	if (v == SLOT_GO)
		sim_at(w->s, sim_now(w->s), slot_go, w, m);
	else
		suspend(w, m);
}

/* m (QUEUED) asks its holder for a delivery slot. */
static void attempt(world *w, msg *m)
{
	switch (slot_take(w, m)) {
	case SLOT_GO:
		attempt_now(w, m);
		break;
	case SLOT_WAITING:
		TO(m, IN(MSG_QUEUED), MSG_SLOT_WAIT);
		break;
	case SLOT_THROTTLED:
		suspend(w, m);
		break;
	}
}

static void arrival(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	TO(m, IN(MSG_AHEAD), MSG_QUEUED);
	m->birth = m->hop_birth = sim_now(s);
	m->id = ++w->r->submitted;
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
		for (int i = 0; i < RING && SIM_FAST; i++)
			w->ahead[i] = mail_draw(w);
		next_arrival(w);
	}
}
