/*
 * engine.c - the run loop over the pending-event set (pq.c) and the lane.
 *
 * Invariant: pending counts the scheduled events that have neither run nor
 * been cancelled, the lane's included; now never decreases. The lane's
 * event has its place in the one order of (time, sequence): the loop runs
 * it when it comes before the set's least.
 */
#include "engine.h"
#include "xalloc.h"
#include "pq.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	sim_time period;
	sim_action action;
	void *subject, *object;
} periodic;

enum { MAX_EVERY = 16, MAX_ACTIONS = 64, ACT_CACHE = 64 };

struct sim {
	pq *q;
	struct {
		bool set;
		sim_time t;
		uint64_t seq;
		pq_payload p;
	} lane;
	struct {
		bool known; /* the set's least key, as last peeked, or less */
		sim_time t;
		uint64_t seq;
	} least;
	uint64_t seq, events, pending, limit, watch_every, watch_next;
	uint64_t check_at; /* min(limit, watch_next): one compare per event */
	void (*watch)(void *ctx, sim_time now, uint64_t events);
	void *watch_ctx;
	sim_time now;
	bool stopped, limit_hit;
	periodic every[MAX_EVERY]; /* fixed: their addresses are event subjects */
	int nevery;
	uint64_t fingerprint;         /* over every event run so far */
	const void *act[MAX_ACTIONS]; /* actions by first appearance: their ids */
	int nact;
	struct {
		const void *action; /* by its address's bits; NULL: none */
		uint64_t id;
	} cache[ACT_CACHE];
};

static void die(const char *what)
{
	fprintf(stderr, "mxsim: engine: %s\n", what);
	abort();
}

sim *sim_new(void)
{
	sim *s = xcalloc(1, sizeof *s);
	s->q = pq_new();
	s->limit = UINT64_MAX;
	s->watch_next = UINT64_MAX;
	s->check_at = UINT64_MAX;
	return s;
}

void sim_free(sim *s)
{
	if (!s)
		return;
	pq_free(s->q);
	free(s);
}

sim_time sim_now(const sim *s)
{
	return s->now;
}

sim_handle sim_at(sim *s, sim_time at, sim_action action, void *subject, void *object)
{
	if (at < s->now)
		die("event scheduled in the past");
	pq_payload p = {(void *)action, subject, object};
	s->pending++;
	if (s->least.known && at < s->least.t) { /* a new least (seq is larger) */
		s->least.t = at;
		s->least.seq = s->seq;
	}
	return pq_push(s->q, at, s->seq++, &p);
}

void sim_lane(sim *s, sim_time at, sim_action action, void *subject, void *object)
{
	if (!SIM_FAST) { /* the plain build: an ordinary event, in the same order */
		sim_at(s, at, action, subject, object);
		return;
	}
	if (at < s->now)
		die("event scheduled in the past");
	if (s->lane.set)
		die("the lane holds an event already");
	s->lane.set = true;
	s->lane.t = at;
	s->lane.seq = s->seq++;
	s->lane.p = (pq_payload){(void *)action, subject, object};
	s->pending++;
}

sim_handle sim_after(sim *s, sim_time delay, sim_action action, void *subject, void *object)
{
	return sim_at(s, s->now + delay, action, subject, object);
}

bool sim_cancel(sim *s, sim_handle h)
{
	if (!pq_cancel(s->q, h))
		return false;
	s->least.known = false; /* it may have been the least */
	s->pending--;
	return true;
}

static void tick(sim *s, void *subject, void *object)
{
	(void)object;
	periodic *p = subject;
	p->action(s, p->subject, p->object);
	sim_after(s, p->period, tick, p, NULL);
}

void sim_every(sim *s, sim_time period, sim_action action, void *subject, void *object)
{
	if (period <= 0)
		die("sampling period must be positive");
	if (s->nevery == MAX_EVERY)
		die("too many periodic actions");
	periodic *p = &s->every[s->nevery++];
	*p = (periodic){period, action, subject, object};
	sim_at(s, (s->now / period + 1) * period, tick, p, NULL);
}

static void end_of_run(sim *s, void *subject, void *object)
{
	(void)subject;
	(void)object;
	s->stopped = true;
}

void sim_stop(sim *s)
{
	s->stopped = true;
}

static void set_check(sim *s)
{
	s->check_at = s->limit < s->watch_next ? s->limit : s->watch_next;
}

/* At check_at events: the work limit (true: stop) or the watch hook. */
static bool check(sim *s)
{
	if (s->events == s->limit) {
		s->limit_hit = true;
		return true;
	}
	if (s->events == s->watch_next) {
		s->watch_next += s->watch_every;
		s->watch(s->watch_ctx, s->now, s->events);
	}
	set_check(s);
	return false;
}

/* Whether the lane's event comes before every pending one. The set's
 * least key is peeked only after a pop or a cancel: a push can only lower
 * it, and sim_at keeps it. */
static bool lane_first(sim *s)
{
	if (!s->least.known) {
		if (!pq_peek(s->q, &s->least.t, &s->least.seq))
			return true;
		s->least.known = true;
	}
	return s->lane.t < s->least.t || (s->lane.t == s->least.t && s->lane.seq < s->least.seq);
}

/* An action's id: its rank of first appearance in this run, the same in
 * every build and process (an address is not); looked up in act, then
 * remembered in a small cache by address. */
static uint64_t action_lookup(sim *s, const void *a, unsigned slot)
{
	int i = 0;
	while (i < s->nact && s->act[i] != a)
		i++;
	if (i == s->nact) {
		if (s->nact == MAX_ACTIONS)
			die("more than 64 kinds of action");
		s->act[s->nact++] = a;
	}
	s->cache[slot].action = a;
	s->cache[slot].id = (uint64_t)i;
	return (uint64_t)i;
}

static inline uint64_t action_id(sim *s, const void *a)
{
	unsigned slot = (unsigned)((uintptr_t)a >> 4) % ACT_CACHE;
	return s->cache[slot].action == a ? s->cache[slot].id : action_lookup(s, a, slot);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15u;
	return h ^ (h >> 29);
}

/* The fingerprint after the event (t, seq, action): the three in one
 * word (odd multipliers, so each changes it), then mixed in. */
static void fingerprint(sim *s, sim_time t, uint64_t seq, const void *action)
{
	uint64_t v = (uint64_t)t * 0xff51afd7ed558ccdu + seq * 0xc4ceb9fe1a85ec53u +
		     action_id(s, action);
	s->fingerprint = mix(s->fingerprint, v);
}

uint64_t sim_run(sim *s, sim_time end)
{
	uint64_t before = s->events;
	s->stopped = false;
	sim_at(s, end, end_of_run, NULL, NULL);
	while (!s->stopped) {
		int64_t t;
		uint64_t seq;
		if (s->events == s->check_at && check(s))
			break;
		pq_payload e;
		if (s->lane.set && lane_first(s)) {
			s->lane.set = false;
			t = s->lane.t;
			seq = s->lane.seq;
			e = s->lane.p;
		} else {
			const pq_payload *p = pq_pop(s->q, &t, &seq);
			s->least.known = false;
			if (!p)
				break;
			e = *p;
		}
		s->pending--;
		s->now = t;
		s->events++;
		fingerprint(s, t, seq, e.action);
		((sim_action)e.action)(s, e.subject, e.object);
	}
	return s->events - before;
}

void sim_watch(sim *s, uint64_t every, void (*fn)(void *ctx, sim_time now, uint64_t events),
	       void *ctx)
{
	s->watch = fn;
	s->watch_ctx = ctx;
	s->watch_every = every ? every : 1;
	s->watch_next = s->events + s->watch_every;
	set_check(s);
}

void sim_limit(sim *s, uint64_t max_events)
{
	s->limit = max_events ? max_events : UINT64_MAX;
	set_check(s);
}

bool sim_limit_hit(const sim *s)
{
	return s->limit_hit;
}

uint64_t sim_fingerprint(const sim *s)
{
	return s->fingerprint;
}

uint64_t sim_fingerprint_join(uint64_t h, uint64_t run)
{
	return mix(h, run);
}

uint64_t sim_events(const sim *s)
{
	return s->events;
}

uint64_t sim_pending(const sim *s)
{
	return s->pending;
}
