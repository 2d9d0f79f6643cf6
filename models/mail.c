/*
 * mail.c - the mail flow of one run (see model.h): messages from the
 * traffic (traffic.c), delivery attempts per RFC 5321 section 5.1,
 * receiving servers' replies, retries, backup MX relaying, the timeline,
 * and outcome accounting.
 *
 * Invariant: a live message is in exactly one place - waiting for its next
 * attempt, inside an attempt (connecting or in a session), or waiting for a
 * relay slot at a backup - and is counted in its holder's queue until it
 * ends. mdl_run checks the balance at the end.
 */
#include "model.h"
#include "../sim/xalloc.h"
#include "server.h"
#include "traffic.h"
#include "../sim/rng.h"
#include "../sim/zipf.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mdl_bounce_names[BOUNCE_N] = {"relay_denied", "too_large", "expired",
						"no_such_domain", "no_address", "null_mx", "loop"};
const char *const mdl_defer_names[DEFER_N] = {"refused", "timeout", "busy",   "rate_limit",
					      "greylist", "dns", "dead_host"};
const char *const mdl_ts_names[TS_N] = {"arrivals", "delivered", "bounced", "deferred",
					"queued_senders", "queued_backups", "old_mx_share"};

enum { BLOCK = 4096 }; /* messages allocated at a time */

/* Where an MX host's address leads, besides a server's number. */
enum { TO_REFUSE = -1, TO_TIMEOUT = -2, TO_NONE = -3 };

enum { STREAM_ARRIVAL, STREAM_DOMAIN, STREAM_SENDER, STREAM_SIZE, STREAM_SHUFFLE,
       STREAM_SERVICE, STREAM_OUTAGE, STREAM_SETUP, STREAM_N };

typedef struct msg msg;

/* A sending MTA: a sender, or a backup server relaying onward. Kept small:
 * a million of them are touched at random. */
typedef struct {
	sim_time phase;          /* of its queue-run grid */
	uint32_t resolver;
	uint32_t dead_host[2];   /* host + 1 remembered dead, until (s) */
	uint32_t dead_until[2];
	uint8_t profile;
} mta;

/* What a backup server needs besides: relay slots and its queue. */
typedef struct {
	int server, slots, active;
	msg *wait_head, *wait_tail;
	uint64_t queued;
} relay;

struct msg {
	msg *next; /* free list or relay wait list */
	uint64_t id;
	int sender;
	int domain, holder;
	uint32_t size;
	sim_time birth, hop_birth, first_fail;
	int attempts;
	int ncand, ci;
	struct {
		int host, to; /* to: a server, or TO_REFUSE / TO_TIMEOUT */
	} cand[DNS_MAX_MX];
	int server; /* in session with */
	bool first, live;
	srv_grey grey;
};

typedef struct world {
	const mdl_config *c;
	mdl_result *r;
	sim *s;
	dns *d;
	res *res;
	gsl_rng *rng[STREAM_N];
	mta *mtas; /* senders, then one per backup server */
	relay *relays; /* [holder - nsenders] for backups */
	int nmtas;
	servers *srv;
	bool *host_static; /* [nhosts]: its address never changes */
	traffic *traffic;
	msg *free_msgs;
	msg *ahead[2]; /* the next messages, drawn ahead */
	msg **blocks;
	int nblocks;
	uint64_t live_senders, live_backups;
	/* current bucket */
	uint64_t b_arrivals, b_delivered, b_bounced, b_deferred, b_lookups, b_stale;
	uint64_t b_bounces[BOUNCE_N];
	int bucket;
} world;

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
	return m;
}

static double sec(sim_time t)
{
	return (double)t / SIM_SEC;
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

/* The relay state of m's holder, or NULL for a sender. */
static relay *relay_of(world *w, int holder)
{
	return holder >= w->c->nsenders ? &w->relays[holder - w->c->nsenders] : NULL;
}

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
	m->live = false;
	m->next = w->free_msgs;
	w->free_msgs = m;
}

static void trace(world *w, const msg *m, mdl_trace_kind k, int server, mdl_bounce why)
{
	if (!w->c->trace)
		return;
	mdl_trace t = {k,         m->id,      m->domain, m->sender, m->holder, m->attempts,
		       server,    why,        m->birth,  sim_now(w->s), m->size};
	w->c->trace(w->c->trace_ctx, &t);
}

static void bounce(world *w, msg *m, mdl_bounce why)
{
	trace(w, m, TRACE_BOUNCED, -1, why);
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
	trace(w, m, TRACE_DELIVERED, server, 0);
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
static void defer(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	const mta_profile *p = &w->c->profiles[h->profile];
	sim_time now = sim_now(w->s);
	w->r->deferred_attempts++;
	w->b_deferred++;
	if (!m->first_fail)
		m->first_fail = now;
	if (mta_expired(p, m->hop_birth, m->first_fail, now)) {
		bounce(w, m, BOUNCE_EXPIRED);
		return;
	}
	release_slot(w, m);
	sim_time next = mta_next_retry(p, m->hop_birth, m->first_fail, m->attempts, now, h->phase);
	sim_at(w->s, next > now ? next : now + 1, retry, w, m);
}

/* ---- delivery attempt ------------------------------------------------ */

static bool is_dead(const mta *h, int host, sim_time now)
{
	for (int i = 0; i < 2; i++)
		if (h->dead_host[i] == (uint32_t)host + 1 && (sim_time)h->dead_until[i] * SIM_SEC > now)
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
	walk(subject, object);
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

/* Tries the candidates from m->ci on; ends in a session, a bounce, a
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
		srv_reply rep = sv == TO_REFUSE ? SRV_REFUSED
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
			bounce(w, m, BOUNCE_RELAY_DENIED);
			return;
		case SRV_TOO_LARGE:
			bounce(w, m, BOUNCE_TOO_LARGE);
			return;
		case SRV_ACCEPT:
			m->server = sv;
			sim_after(w->s, srv_session_time(w->srv, sv, m->size, w->rng[STREAM_SERVICE]),
				  session_end, w, m);
			return;
		}
	}
	defer(w, m);
}

static int target_of(host_kind k, int server)
{
	return k == HOST_SERVER ? server : k == HOST_REFUSE ? TO_REFUSE : k == HOST_TIMEOUT ? TO_TIMEOUT : TO_NONE;
}

/* Where host's address leads, through the holder's resolver when the
 * address changes during the run. */
static int resolve_host(world *w, const mta *h, int host, sim_time now)
{
	const mdl_config *c = w->c;
	if (w->host_static[host])
		return target_of(c->hosts[host].kind, c->hosts[host].server);
	int name = c->ndomains + host;
	res_answer ra = res_lookup(w->res, (int)h->resolver, w->d, name, now);
	const dns_answer *a = dns_version(w->d, name, ra.version);
	if (ra.fail || a->kind != DNS_ADDRESS)
		return TO_NONE;
	return target_of(a->addr, a->server);
}

/* Resolves MX through the holder's resolver and builds the candidate
 * list (RFC 5321 5.1); returns false if the message ended or deferred. */
static bool candidates(world *w, msg *m)
{
	const mdl_config *c = w->c;
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	res_answer ra = res_lookup(w->res, h->resolver, w->d, m->domain, now);
	w->r->lookups++;
	w->b_lookups++;
	if (ra.fail) {
		w->r->deferrals[DEFER_DNS]++;
		m->ncand = m->ci = 0;
		defer(w, m);
		return false;
	}
	const dns_answer *a = dns_version(w->d, m->domain, ra.version);
	if (a->rrset != dns_version(w->d, m->domain, dns_current(w->d, m->domain))->rrset) {
		w->r->stale_lookups++;
		w->b_stale++;
	}
	switch (a->kind) {
	case DNS_NXDOMAIN:
		bounce(w, m, BOUNCE_NO_DOMAIN);
		return false;
	case DNS_NULLMX:
		bounce(w, m, BOUNCE_NULL_MX);
		return false;
	case DNS_NODATA:
		/* implicit MX: the domain's own address */
		m->cand[0].host = c->self_host[m->domain];
		m->cand[0].to = resolve_host(w, h, m->cand[0].host, now);
		if (m->cand[0].to == TO_NONE) {
			bounce(w, m, BOUNCE_NO_ADDRESS);
			return false;
		}
		m->ncand = 1;
		m->ci = 0;
		return true;
	case DNS_MX:
		break;
	default: /* an address answer is never a domain's */
		abort();
	}
	dns_mx mx[DNS_MAX_MX];
	int n = a->n;
	memcpy(mx, a->mx, (size_t)n * sizeof *mx);
	/* sort by preference (insertion: n <= 8), then shuffle equal runs */
	for (int i = 1; i < n; i++) {
		dns_mx x = mx[i];
		int j = i;
		while (j > 0 && mx[j - 1].pref > x.pref) {
			mx[j] = mx[j - 1];
			j--;
		}
		mx[j] = x;
	}
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && mx[j].pref == mx[i].pref)
			j++;
		if (j - i > 1)
			gsl_ran_shuffle(w->rng[STREAM_SHUFFLE], mx + i, (size_t)(j - i), sizeof *mx);
		i = j;
	}
	int to[DNS_MAX_MX];
	for (int i = 0; i < n; i++)
		to[i] = resolve_host(w, h, (int)mx[i].host, now);
	/* a backup relaying onward drops its own preference and worse: the
	 * records whose host leads to itself */
	relay *rl = relay_of(w, m->holder);
	if (rl) {
		for (int i = 0; i < n; i++)
			if (to[i] == rl->server) {
				int lim = mx[i].pref;
				int k = 0;
				while (k < n && mx[k].pref < lim)
					k++;
				n = k;
				break;
			}
		if (!n) {
			bounce(w, m, BOUNCE_LOOP);
			return false;
		}
	}
	int limit = c->profiles[h->profile].mx_limit, k = 0;
	bool any_address = false;
	for (int i = 0; i < n && k < limit; i++) {
		if (to[i] == TO_NONE)
			continue;
		any_address = true;
		m->cand[k].host = (int)mx[i].host;
		m->cand[k++].to = to[i];
	}
	if (!any_address) {
		bounce(w, m, BOUNCE_NO_ADDRESS);
		return false;
	}
	m->ncand = k;
	m->ci = 0;
	return true;
}

/* An attempt by a holder that has a slot for it. */
static void attempt_now(world *w, msg *m)
{
	m->attempts++;
	m->first = m->attempts == 1 && !relay_of(w, m->holder);
	w->r->attempts++;
	trace(w, m, TRACE_ATTEMPT, -1, 0);
	if (candidates(w, m))
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

/* ---- timeline and outages --------------------------------------------- */

static void apply_to(world *w, const mdl_event *e, int dom)
{
	switch (e->kind) {
	case EV_MX:
		dns_set(w->d, dom, &e->answer);
		break;
	case EV_TTL:
		dns_set_ttl(w->d, dom, e->ttl);
		break;
	case EV_ACCEPT:
	case EV_REJECT:
		srv_set_accept(w->srv, e->server, dom, e->kind == EV_ACCEPT);
		break;
	case EV_DNS_DOWN:
	case EV_DNS_UP:
		dns_set_reachable(w->d, dom, e->kind == EV_DNS_UP);
		break;
	default:
		break;
	}
}

/* The address answer of an MX host's name. */
static dns_answer host_answer(const mdl_host *h)
{
	if (h->kind == HOST_NXDOMAIN)
		return (dns_answer){.kind = DNS_NXDOMAIN, .ttl = h->neg_ttl};
	return (dns_answer){.kind = DNS_ADDRESS, .addr = h->kind, .server = h->server, .ttl = h->ttl};
}

static void timeline(sim *s, void *subject, void *object)
{
	(void)s;
	world *w = subject;
	const mdl_event *e = object;
	if (e->kind == EV_DOWN || e->kind == EV_UP) {
		srv_set_down(w->srv, e->server, e->kind == EV_DOWN);
		return;
	}
	if (e->kind == EV_ADDRESS) {
		dns_answer a = host_answer(&e->address);
		dns_set(w->d, w->c->ndomains + e->host, &a);
		return;
	}
	if (e->domain >= 0) {
		apply_to(w, e, e->domain);
		return;
	}
	for (int d = 0; d < w->c->ndomains; d++)
		apply_to(w, e, d);
}

static void outage(sim *s, void *subject, void *object)
{
	world *w = subject;
	int sv = (int)(intptr_t)object;
	const mdl_server *cs = &w->c->servers[sv];
	bool down = !srv_is_down(w->srv, sv);
	srv_set_down(w->srv, sv, down);
	double mean = sec(down ? cs->mttr : cs->mtbf);
	sim_after(s, sim_from_sec(gsl_ran_exponential(w->rng[STREAM_OUTAGE], mean)) + 1, outage, w, object);
}

/* ---- time series ------------------------------------------------------ */

static void sample(sim *s, void *subject, void *object)
{
	(void)object;
	world *w = subject;
	mdl_result *r = w->r;
	if (w->bucket >= r->nbuckets)
		return;
	double *row = r->ts + (size_t)w->bucket * (size_t)r->ncols;
	row[TS_ARRIVALS] = (double)w->b_arrivals;
	row[TS_DELIVERED] = (double)w->b_delivered;
	row[TS_BOUNCED] = (double)w->b_bounced;
	row[TS_DEFERRED] = (double)w->b_deferred;
	row[TS_QUEUED_SENDERS] = (double)w->live_senders;
	row[TS_QUEUED_BACKUPS] = (double)w->live_backups;
	row[TS_OLD_MX_SHARE] = w->b_lookups ? (double)w->b_stale / (double)w->b_lookups : NAN;
	for (int i = 0; i < BOUNCE_N; i++) {
		row[TS_N + i] = (double)w->b_bounces[i];
		w->b_bounces[i] = 0;
	}
	for (int i = 0; i < w->c->nservers; i++)
		srv_sample(w->srv, i, sim_now(s), row + TS_N + BOUNCE_N + 3 * i);
	w->b_arrivals = w->b_delivered = w->b_bounced = w->b_deferred = 0;
	w->b_lookups = w->b_stale = 0;
	w->bucket++;
}

/* ---- setup and run ---------------------------------------------------- */

static void setup(world *w, const mdl_config *c, mdl_result *r)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->r = r;
	w->s = sim_new();
	for (int i = 0; i < STREAM_N; i++)
		w->rng[i] = rng_stream(c->seed, (uint64_t)i);
	w->d = dns_new(c->ndomains + c->nhosts);
	for (int i = 0; i < c->ndomains; i++)
		dns_set(w->d, i, &c->initial[i]);
	w->host_static = xcalloc((size_t)c->nhosts, sizeof *w->host_static);
	for (int i = 0; i < c->nhosts; i++) {
		dns_answer a = host_answer(&c->hosts[i]);
		dns_set(w->d, c->ndomains + i, &a);
		w->host_static[i] = true;
	}
	for (int i = 0; i < c->nevents; i++)
		if (c->events[i].kind == EV_ADDRESS)
			w->host_static[c->events[i].host] = false;
	w->res = res_new(c->nresolvers, c->resolver, c->seed);

	int nbackups = 0;
	for (int i = 0; i < c->nservers; i++)
		nbackups += c->servers[i].backup;
	w->nmtas = c->nsenders + nbackups;
	w->mtas = xcalloc((size_t)w->nmtas, sizeof *w->mtas);
	w->relays = xcalloc((size_t)nbackups, sizeof *w->relays);
	gsl_rng *g = w->rng[STREAM_SETUP];
	zipf pr;
	zipf_init(&pr, (unsigned long)c->nresolvers, c->resolver_zipf);
	gsl_ran_discrete_t *pp = gsl_ran_discrete_preproc((size_t)c->nprofiles, c->profile_share);
	if (!pp)
		abort(); /* out of memory: GSL has reported it */
	for (int i = 0; i < c->nsenders; i++) {
		mta *h = &w->mtas[i];
		h->profile = (uint8_t)gsl_ran_discrete(g, pp);
		h->resolver = (uint32_t)zipf_draw(&pr, g);
		const mta_profile *p = &c->profiles[h->profile];
		h->phase = p->queue_run ? (sim_time)(gsl_rng_uniform(g) * (double)p->queue_run) : 0;
	}
	for (int i = 0, b = c->nsenders; i < c->nservers; i++) {
		if (!c->servers[i].backup)
			continue;
		mta *h = &w->mtas[b];
		h->profile = (uint8_t)c->servers[i].relay_profile;
		h->resolver = (uint32_t)c->servers[i].relay_resolver;
		const mta_profile *p = &c->profiles[h->profile];
		h->phase = p->queue_run ? (sim_time)(gsl_rng_uniform(g) * (double)p->queue_run) : 0;
		relay *rl = &w->relays[b++ - c->nsenders];
		rl->server = i;
		rl->slots = c->servers[i].relay_sessions;
	}
	gsl_ran_discrete_free(pp);
	w->traffic = traffic_new(c, w->rng[STREAM_ARRIVAL], w->rng[STREAM_DOMAIN], w->rng[STREAM_SENDER],
				 w->rng[STREAM_SIZE]);

	memset(r, 0, sizeof *r);
	r->server = xcalloc((size_t)c->nservers, sizeof *r->server);
	r->provider_delivered = xcalloc((size_t)c->nproviders, sizeof *r->provider_delivered);
	st_hist_init(&r->latency, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	r->nbuckets = (int)((c->duration + c->bucket - 1) / c->bucket);
	r->ncols = TS_N + BOUNCE_N + 3 * c->nservers;
	r->ts = xcalloc((size_t)r->nbuckets * (size_t)r->ncols, sizeof *r->ts);
	w->srv = srv_new(c, w->nmtas, r);

	for (int i = 0; i < c->nevents; i++)
		sim_at(w->s, c->events[i].at, timeline, w, &c->events[i]);
	for (int i = 0; i < c->nservers; i++)
		if (c->servers[i].mtbf > 0)
			sim_at(w->s, sim_from_sec(gsl_ran_exponential(w->rng[STREAM_OUTAGE], sec(c->servers[i].mtbf))),
			       outage, w, (void *)(intptr_t)i);
	sim_every(w->s, c->bucket, sample, w, NULL);
	if (c->rate > 0) {
		w->ahead[0] = draw_message(w);
		w->ahead[1] = draw_message(w);
		next_arrival(w);
	}
}

static void teardown(world *w)
{
	for (int i = 0; i < w->nblocks; i++)
		free(w->blocks[i]);
	free(w->blocks);
	for (int i = 0; i < STREAM_N; i++)
		gsl_rng_free(w->rng[i]);
	traffic_free(w->traffic);
	srv_free(w->srv);
	free(w->host_static);
	free(w->mtas);
	free(w->relays);
	res_free(w->res);
	dns_free(w->d);
	sim_free(w->s);
}

int mdl_run(const mdl_config *c, mdl_result *r)
{
	world w;
	setup(&w, c, r);
	sim_limit(w.s, c->max_events);
	sim_run(w.s, c->duration);
	/* the last (possibly partial) bucket */
	sample(w.s, &w, NULL);
	for (int i = 0; i < c->nservers; i++)
		r->server[i].mean_sessions = srv_mean_sessions(w.srv, i, c->duration);
	if (c->trace)
		for (int i = 0; i < w.nblocks; i++)
			for (int k = 0; k < BLOCK; k++)
				if (w.blocks[i][k].live)
					trace(&w, &w.blocks[i][k], TRACE_QUEUED, -1, 0);
	r->queued_senders = w.live_senders;
	r->queued_backups = w.live_backups;
	r->events = sim_events(w.s);
	uint64_t b = 0;
	for (int i = 0; i < BOUNCE_N; i++)
		b += r->bounces[i];
	int rc = 0;
	if (sim_limit_hit(w.s)) {
		fprintf(stderr,
			"mxsim: run stopped after %llu events at %.2f h of %.2f h simulated: the work limit "
			"([run] max_events); raise it if the run is meant to be this large\n",
			(unsigned long long)sim_events(w.s), (double)sim_now(w.s) / SIM_HOUR,
			(double)c->duration / SIM_HOUR);
		rc = -1;
	} else if (b != r->bounced ||
	    r->submitted != r->delivered + r->bounced + r->queued_senders + r->queued_backups) {
		fprintf(stderr,
			"mxsim: counts do not balance: submitted %llu, delivered %llu, bounced %llu, "
			"queued %llu + %llu\n",
			(unsigned long long)r->submitted, (unsigned long long)r->delivered,
			(unsigned long long)r->bounced, (unsigned long long)r->queued_senders,
			(unsigned long long)r->queued_backups);
		rc = -1;
	}
	teardown(&w);
	return rc;
}

void mdl_result_free(mdl_result *r)
{
	free(r->server);
	free(r->provider_delivered);
	free(r->ts);
	st_hist_free(&r->latency);
	memset(r, 0, sizeof *r);
}
