/*
 * mail.c - the life of a message (see model.h): from the traffic
 * (traffic.c) through its holder's delivery slots (slots.c) and delivery
 * attempts to the servers RFC 5321 section 5.1 names (candidates.c), the
 * receiving servers' replies (server.c), retries on the sender's schedule
 * (mta.c) and backup MX relaying, to its one end: delivered, bounced, or
 * still queued when the run ends.
 *
 * Invariant: a live message is in exactly one state below and counted in
 * exactly one holder's queue (a sender, or a backup relaying it) until it
 * ends; run.c checks submitted = delivered + bounced + queued. Every
 * transition is made here, by the function named on its arrow (slots.c
 * and candidates.c only decide: slot_verdict, mail_verdict). What holds in
 * each state (mail_impl.h) is asserted at every transition in debug
 * builds (MXSIM_DEBUG, on in `make SAN=1`: state_holds()).
 *
 *  msg_new()            arrival()          attempt(): slots taken,
 *  FREE -----> AHEAD ----------> QUEUED -------------------------------+
 *                                 ^ ^  |                               |
 *     suspend(): destination      | |  | attempt(): no free slot       |
 *     throttled, deferred untried | |  v       mail_slotted(GO),       v
 *     (mail_slotted(THROTTLED))   | +- SLOT_WAIT --slot_go()-----> ATTEMPTING <-----------+
 *                                 |                               | | |   walk_resume(),  |
 *     defer(): no candidate took  |                               | | |   syn_again()     |
 *     it; retry_later()           +-------------------------------+ | +-- walk(): --> CONNECTING
 *                                 |              session_timeout() ^ | walk(): accepted
 *     session_end() at a backup:  |              (it hung too long)| v
 *     a new hop                   +----------------------------- SESSION
 *                                                                   | session_end() at a
 *     bounce(): NXDOMAIN, null MX, no address, loop (the verdict),  | final server:
 *     554 relay denied, 552 too large (walk()), expired (at a       | deliver()
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

/* By enum value, so each name stays with its reason. */
const char *const mdl_bounce_names[MDL_BOUNCE_N] = {
	[MDL_BOUNCE_RELAY_DENIED] = "relay_denied", [MDL_BOUNCE_TOO_LARGE] = "too_large",
	[MDL_BOUNCE_EXPIRED] = "expired",           [MDL_BOUNCE_BACKUP_EXPIRED] = "backup_expired",
	[MDL_BOUNCE_NO_DOMAIN] = "no_such_domain",  [MDL_BOUNCE_NO_ADDRESS] = "no_address",
	[MDL_BOUNCE_NULL_MX] = "null_mx",           [MDL_BOUNCE_LOOP] = "loop"};
const char *const mdl_defer_names[MDL_DEFER_N] = {[MDL_DEFER_REFUSED] = "refused",
						  [MDL_DEFER_TIMEOUT] = "timeout",
						  [MDL_DEFER_BUSY] = "busy",
						  [MDL_DEFER_RATE] = "rate_limit",
						  [MDL_DEFER_GREYLIST] = "greylist",
						  [MDL_DEFER_STORAGE] = "storage",
						  [MDL_DEFER_DNS] = "dns",
						  [MDL_DEFER_DEAD] = "dead_host",
						  [MDL_DEFER_THROTTLED] = "throttled",
						  [MDL_DEFER_HUNG] = "session_timeout"};
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
	memset(m, 0, offsetof(msg, cand)); /* m->cand is written before read */
	TO(m, IN(MSG_FREE), MSG_AHEAD);
	return m;
}

/* ---- arrivals -------------------------------------------------------- */

static void arrival(sim *s, void *subject, void *object);

/* Messages are drawn RING arrivals ahead, and the state their attempt
 * will touch fetched into the CPU cache meanwhile, a step per arrival so
 * that each step reads only what the one before fetched (a million
 * senders and the resolvers' caches do not fit in the cache): when drawn,
 * the sender, the domain's record and the rate buckets; two arrivals
 * before its own, the resolver's cache entry and profile (the sender
 * names the resolver), the answers' TTLs and the destination queue; one
 * before, the candidate plan (the domain's record names it). Each stream
 * draws in the same order either way. */
static msg *draw_message(world *w)
{
	msg *m = msg_new(w);
	traffic_draw(w->traffic, &m->domain, &m->sender, &m->size);
	m->holder = m->sender;
	if (SIM_FAST) {
		__builtin_prefetch(&w->mtas[m->sender]);
		dns_prefetch(w->d, m->domain);
		srv_prefetch(w->srv, m->sender);
	}
	return m;
}

static msg *pop_ahead(world *w)
{
	unsigned i = w->next_ahead;
	msg *m = w->ahead[i];
	w->ahead[i] = draw_message(w); /* the last, in the ring's order */
	w->next_ahead = i = (i + 1) % RING;
	const msg *n = w->ahead[(i + 2) % RING]; /* the third from now */
	res_prefetch(w->res, (int)w->mtas[n->sender].resolver, n->domain);
	dns_prefetch_answers(w->d, n->domain);
	slot_prefetch(w, n);
	mail_prefetch_plan(w, w->ahead[(i + 1) % RING]->domain);
	return m;
}

static void next_arrival(world *w)
{
	sim_time t = traffic_next(w->traffic, sim_now(w->s));
	if (t != SIM_NEVER) /* the plain build draws each message as it comes */
		sim_lane(w->s, t, arrival, w, SIM_FAST ? pop_ahead(w) : draw_message(w));
}

/* ---- outcomes -------------------------------------------------------- */

static void attempt(world *w, msg *m);

static void leave_holder(world *w, msg *m)
{
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
	mail_trace(w, m, MDL_TRACE_BOUNCED, -1, why);
	w->r->bounced++;
	w->r->bounces[why]++;
	w->b_bounced++;
	w->b_bounces[why]++;
	leave_holder(w, m);
	slot_release(w, m);
	TO(m, IN(MSG_ATTEMPTING) | IN(MSG_QUEUED) | IN(MSG_SLOT_WAIT), MSG_FREE);
	msg_free(w, m);
}

/* Where the answer that sent m to the old provider came from: the class
 * of the resolver of the holder that delivered it; and whether it came
 * later than an honouring resolver could have sent it there. */
static void old_after(world *w, const msg *m, sim_time since_cut)
{
	mdl_result *r = w->r;
	const sim_time *he = w->c->honour_end;
	if (since_cut > (he ? he[m->domain] : 0) + MDL_STRETCH_SLACK)
		r->old_after_stretched++;
	int k = w->c->res_class[w->mtas[m->holder].resolver];
	double h = sec(since_cut);
	r->delivered_old_after++;
	r->class_old_after[k]++;
	if (h > r->old_last)
		r->old_last = h;
	if (h > r->class_old_last[k])
		r->class_old_last[k] = h;
}

static void deliver(world *w, msg *m, int server)
{
	const mdl_config *c = w->c;
	sim_time now = sim_now(w->s);
	mdl_result *r = w->r;
	mail_trace(w, m, MDL_TRACE_DELIVERED, server, 0);
	r->delivered++;
	w->b_delivered++;
	r->server[server].delivered++;
	srv_delivered(w->srv, server);
	int p = c->servers[server].provider;
	r->provider_delivered[p]++;
	st_hist_add(&r->latency, sec(now - m->birth));
	r->delivered_within += now - m->birth <= c->within;
	w->b_late += now - m->birth > c->within;
	r->slot_wait_s += sec(m->waited);
	if (sec(m->waited) > r->slot_wait_max_s)
		r->slot_wait_max_s = sec(m->waited);
	sim_time cut = c->cutover ? c->cutover[m->domain] : SIM_NEVER;
	if (now >= cut && c->new_provider[m->domain] >= 0 && p != c->new_provider[m->domain])
		old_after(w, m, now - cut);
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

/* m failed to go this time: false if that is past its lifetime (it
 * bounced); else its slots go and its next attempt is scheduled on the
 * holder's retry schedule. */
static bool retry_later(world *w, msg *m)
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
	sim_time next =
		mta_next_retry(p, m->hop_birth, m->first_fail, m->attempts, now, phase_of(h));
	sim_at(w->s, next > now ? next : now + 1, retry, w, m);
	return true;
}

/* The attempt ended with no candidate taking m. */
static void defer(world *w, msg *m)
{
	if (retry_later(w, m))
		TO(m, IN(MSG_ATTEMPTING), MSG_QUEUED);
}

/* m's destination is throttled: deferred without trying, its schedule
 * moving on as after a failed attempt (qmgr_defer_todo). */
static void suspend(world *w, msg *m)
{
	w->r->deferrals[MDL_DEFER_THROTTLED]++;
	m->attempts++;
	if (retry_later(w, m))
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

static bool hung(world *w, msg *m);

static void session_end(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	if (hung(w, m))
		return;
	int sv = m->server;
	srv_close(w->srv, sv, sim_now(s));
	const mdl_server *cs = &w->c->servers[sv];
	if (!cs->backup) {
		deliver(w, m, sv);
		return;
	}
	/* the backup takes over (its storage was taken at connect): a new hop
	 * with its own queue, slots and schedule */
	leave_holder(w, m);
	slot_release(w, m);
	TO(m, IN(MSG_SESSION), MSG_QUEUED);
	int b = w->c->nsenders;
	for (int i = 0; i < sv; i++)
		b += w->c->servers[i].backup;
	m->holder = b;
	w->live_backups++;
	m->hop_birth = sim_now(s);
	m->first_fail = 0;
	m->attempts = 0;
	attempt(w, m);
}

/* ---- a session whose server starts dropping packets ------------------- */

/* The MTA gave up waiting in the hung session (session_timeout): the
 * connection goes, and the walk goes on as after a failure of the site. */
static void session_timeout(sim *s, void *subject, void *object)
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

static void stall_check(sim *s, void *subject, void *object);

/* m's session hung at m->stall_from: the next TCP retransmission after
 * now, or the MTA's timeout, the sooner. */
static void stall_wait(world *w, msg *m)
{
	sim_time now = sim_now(w->s);
	sim_time give_up = m->stall_from + profile_of(w, m->holder)->session_timeout;
	sim_time next = mta_retransmit_at(m->stall_from, now + 1);
	if (give_up < now) /* the session outlasted the timeout: it gives up now */
		give_up = now;
	sim_at(w->s, next < give_up ? next : give_up,
	       next < give_up ? stall_check : session_timeout, w, m);
}

/* A retransmission in the hung session: through if the server is back,
 * and the session's rest follows. */
static void stall_check(sim *s, void *subject, void *object)
{
	world *w = subject;
	msg *m = object;
	if (srv_is_down(w->srv, m->server))
		stall_wait(w, m);
	else
		sim_after(s, m->stall_left, session_end, w, m);
}

/* Whether m's server started dropping packets since m->stall_from (the
 * session's start): then the session hung there with the rest of it to
 * go, until a retransmission reaches the server back, or the MTA's
 * session_timeout. A server that refuses when down ends its sessions
 * normally (a simplification). */
static bool hung(world *w, msg *m)
{
	int sv = m->server;
	sim_time now = sim_now(w->s), down = srv_down_at(w->srv, sv);
	if (w->c->servers[sv].down_refuses || down <= m->stall_from)
		return false;
	m->stall_left = now - down;
	m->stall_from = down;
	if (srv_is_down(w->srv, sv)) {
		stall_wait(w, m);
		return true;
	}
	/* back already: through at the first retransmission after it came back */
	sim_time r = mta_retransmit_at(down, srv_up_at(w->srv, sv));
	bool late = r >= down + profile_of(w, m->holder)->session_timeout;
	sim_at(w->s, late ? now : r + m->stall_left, late ? session_timeout : session_end, w, m);
	return true;
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

/* Tries the candidates from m->ci on; ends in a session, a mail_bounce, a
 * connect-timeout wait, or a deferral. */
static void walk(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	mdl_result *r = w->r;
	while (m->ci < m->ncand) {
		int host = m->cand[m->ci].host, sv = m->cand[m->ci].to;
		m->ci++;
		if (hostmem_dead(w, h, host, now)) {
			r->deferrals[MDL_DEFER_DEAD]++;
			m->site_fail = true;
			continue;
		}
		srv_reply rep = connect_to(w, m, sv, now);
		switch (rep) {
		case SRV_TIMEOUT: /* the SYN is lost: known when the connection fails */
			TO(m, IN(MSG_ATTEMPTING), MSG_CONNECTING);
			m->syns = 0;
			syn_wait(w, m, now);
			return;
		case SRV_RELAY_DENIED:
			bounce(w, m, MDL_BOUNCE_RELAY_DENIED);
			return;
		case SRV_TOO_LARGE:
			bounce(w, m, MDL_BOUNCE_TOO_LARGE);
			return;
		case SRV_ACCEPT:
			TO(m, IN(MSG_ATTEMPTING), MSG_SESSION);
			hostmem_took(w, h, host);
			m->site_fail = false;
			m->server = sv;
			m->stall_from = now;
			sim_after(w->s,
				  srv_session_time(w->srv, sv, m->size, w->rng[MDL_STREAM_SERVICE]),
				  session_end, w, m);
			return;
		default:
			r->deferrals[soft[rep].why]++;
			m->site_fail = soft[rep].site;
			if (soft[rep].host)
				hostmem_failed(w, h, host);
			continue;
		}
	}
	defer(w, m);
}

static void attempt_now(world *w, msg *m)
{
	TO(m, IN(MSG_QUEUED) | IN(MSG_SLOT_WAIT), MSG_ATTEMPTING);
	m->attempts++;
	m->first = m->attempts == 1 && !relay_of(w, m->holder);
	m->site_fail = false;
	w->r->attempts++;
	mail_trace(w, m, MDL_TRACE_ATTEMPT, -1, 0);
	mail_verdict v = mail_candidates(w, m);
	switch (v.kind) {
	case VERDICT_WALK:
		walk(w, m);
		break;
	case VERDICT_BOUNCE:
		bounce(w, m, v.why);
		break;
	case VERDICT_DEFER:
		defer(w, m);
		break;
	}
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
			w->ahead[i] = draw_message(w);
		next_arrival(w);
	}
}
