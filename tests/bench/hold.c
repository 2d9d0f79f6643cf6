/*
 * hold.c - the hold-model benchmark of the pending-event set.
 *
 * Fills the set with N events at Exp(1 s) from 0, then performs M holds:
 * pop the earliest, push it back at now + Exp(1 s). Runs the loop on the
 * engine and on two baselines: a plain binary heap of whole event records
 * (time, sequence, action, subject, object), the payload moving with the
 * key through every sift, running the same action with the same draws; and
 * a 4-ary heap of (time, id) pairs, the records apart (the stronger
 * baseline: shallower, and a sift moves 16 bytes). All must end at the
 * same time. Each is run --rounds times (default 3),
 * alternately, and the fastest round counts: this machine is shared.
 * Last line: holds_per_sec=<engine figure>.
 */
#include "../../sim/dist.h"
#include "../../sim/engine.h"
#include "../../sim/rng.h"

#include <getopt.h>
#include <math.h>
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static sim_time draw(gsl_rng *r)
{
	return (sim_time)(dist_exponential(r, 1.0) * SIM_SEC);
}

typedef struct {
	gsl_rng *r;
	long left;
} hold_ctx;

static void hold(sim *s, void *subject, void *object)
{
	hold_ctx *c = subject;
	if (--c->left < 0) {
		sim_stop(s);
		return;
	}
	sim_after(s, draw(c->r), hold, c, object);
}

/* Baseline: textbook binary heap of event records. */
typedef struct bh bh;
typedef struct {
	int64_t t;
	uint64_t seq;
	void (*action)(bh *h, void *subject, void *object);
	void *subject, *object;
} bh_entry;

struct bh {
	bh_entry *e;
	size_t n;
	uint64_t seq;
	int64_t now;
};

static int less(const bh_entry *a, const bh_entry *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void bh_push(bh_entry *h, size_t *n, bh_entry e)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!less(&e, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = e;
}

static void bh_schedule(bh *h, int64_t t, void (*action)(bh *, void *, void *), void *subject,
			void *object)
{
	bh_push(h->e, &h->n, (bh_entry){t, h->seq++, action, subject, object});
}

static void bh_hold(bh *h, void *subject, void *object)
{
	hold_ctx *c = subject;
	bh_schedule(h, h->now + draw(c->r), bh_hold, c, object);
}

static bh_entry bh_pop(bh_entry *h, size_t *n)
{
	bh_entry top = h[0], x = h[--*n];
	size_t i = 0, m = *n;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= m)
			break;
		if (c + 1 < m && less(&h[c + 1], &h[c]))
			c++;
		if (!less(&h[c], &x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (m)
		h[i] = x;
	return top;
}

/* Baseline 2: 4-ary heap of (time, id); id names a record in a side
 * array (ties by id: the end time does not depend on their order). */
typedef struct {
	int64_t t;
	uint64_t id;
} q4_entry;

static int q4_less(const q4_entry *a, const q4_entry *b)
{
	return a->t < b->t || (a->t == b->t && a->id < b->id);
}

static void q4_push(q4_entry *h, size_t *n, q4_entry e)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 4;
		if (!q4_less(&e, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = e;
}

static q4_entry q4_pop(q4_entry *h, size_t *n)
{
	q4_entry top = h[0], x = h[--*n];
	size_t i = 0, m = *n;
	for (;;) {
		size_t c = 4 * i + 1, best = c;
		if (c >= m)
			break;
		for (size_t k = c + 1; k < c + 4 && k < m; k++)
			if (q4_less(&h[k], &h[best]))
				best = k;
		if (!q4_less(&h[best], &x))
			break;
		h[i] = h[best];
		i = best;
	}
	if (m)
		h[i] = x;
	return top;
}

/* The hold loop on the 4-ary heap: rec[id] is each event's payload, its
 * action called through a pointer as the engine's are. Returns the end
 * time. */
static int64_t q4_run(long n, long m, uint64_t seed, double *secs)
{
	typedef struct {
		sim_time (*action)(gsl_rng *subject); /* the next delay */
		gsl_rng *subject;
	} record;
	gsl_rng *r = rng_stream(seed, 0);
	q4_entry *h = malloc((size_t)(n + 1) * sizeof *h);
	record *rec = malloc((size_t)n * sizeof *rec);
	size_t len = 0;
	for (long i = 0; i < n; i++) {
		rec[i] = (record){draw, r};
		q4_push(h, &len, (q4_entry){draw(r), (uint64_t)i});
	}
	double t0 = now_sec();
	for (long i = 0; i < m; i++) {
		q4_entry e = q4_pop(h, &len);
		const record *x = &rec[e.id];
		q4_push(h, &len, (q4_entry){e.t + x->action(x->subject), e.id});
	}
	int64_t end = q4_pop(h, &len).t;
	*secs = now_sec() - t0;
	free(h);
	free(rec);
	gsl_rng_free(r);
	return end;
}

int main(int argc, char **argv)
{
	long n = 1000, m = 1000000, rounds = 3;
	uint64_t seed = 1;
	static const struct option opts[] = {{"pending", required_argument, 0, 'n'},
					     {"holds", required_argument, 0, 'm'},
					     {"seed", required_argument, 0, 's'},
					     {"rounds", required_argument, 0, 'r'},
					     {0, 0, 0, 0}};
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'n')
			n = atol(optarg);
		else if (o == 'm')
			m = atol(optarg);
		else if (o == 's')
			seed = strtoull(optarg, NULL, 10);
		else if (o == 'r')
			rounds = atol(optarg);
		else {
			fprintf(stderr,
				"usage: hold --pending N --holds M [--seed S] [--rounds R]\n");
			return 2;
		}
	}
	if (n < 1 || m < 1 || rounds < 1) {
		fprintf(stderr, "hold: N and M must be positive\n");
		return 2;
	}

	double te = INFINITY, tb = INFINITY, t4 = INFINITY;
	int64_t end4 = 0;
	sim_time end_engine = 0;
	int64_t now = 0;
	for (int round = 0; round < rounds; round++) {
		/* engine */
		gsl_rng *r = rng_stream(seed, 0);
		sim *s = sim_new();
		hold_ctx c = {r, m};
		for (long i = 0; i < n; i++)
			sim_at(s, draw(r), hold, &c, NULL);
		double t0 = now_sec();
		sim_run(s, SIM_NEVER);
		double t = now_sec() - t0;
		te = t < te ? t : te;
		end_engine = sim_now(s);
		sim_free(s);
		gsl_rng_free(r);

		/* baseline */
		r = rng_stream(seed, 0);
		c = (hold_ctx){r, m};
		bh h = {malloc((size_t)(n + 1) * sizeof(bh_entry)), 0, 0, 0};
		for (long i = 0; i < n; i++)
			bh_schedule(&h, draw(r), bh_hold, &c, NULL);
		t0 = now_sec();
		for (long i = 0; i < m; i++) {
			bh_entry e = bh_pop(h.e, &h.n);
			h.now = e.t;
			e.action(&h, e.subject, e.object);
		}
		/* the engine's last pop is the one that finds the budget spent */
		now = bh_pop(h.e, &h.n).t;
		t = now_sec() - t0;
		tb = t < tb ? t : tb;
		free(h.e);
		gsl_rng_free(r);

		/* 4-ary heap of (time, id) */
		double t4r;
		end4 = q4_run(n, m, seed, &t4r);
		t4 = t4r < t4 ? t4r : t4;
	}

	if (now != end_engine || end4 != end_engine) {
		fprintf(stderr, "hold: engine and baselines disagree (%lld vs %lld, %lld)\n",
			(long long)end_engine, (long long)now, (long long)end4);
		return 1;
	}
	printf("pending=%ld holds=%ld seed=%llu end_time_us=%lld\n", n, m, (unsigned long long)seed,
	       (long long)now);
	printf("baseline_holds_per_sec=%.0f\n", (double)m / tb);
	printf("ratio=%.2f\n", tb / te);
	printf("baseline4_holds_per_sec=%.0f\n", (double)m / t4);
	printf("ratio4=%.2f\n", t4 / te);
	printf("holds_per_sec=%.0f\n", (double)m / te);
	return 0;
}
