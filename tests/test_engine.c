/* test_engine.c - the event engine: ordering, ties, the lane, cancel, clock, end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../sim/engine.h"
#include "../sim/pq.h"
#include "../sim/rng.h"
#include "../sim/table.h"

#include <stdlib.h>

typedef struct {
	sim_time t[4096];
	int id[4096];
	int n;
} log_t;

static log_t lg;

static void record(sim *s, void *subject, void *object)
{
	(void)object;
	lg.t[lg.n] = sim_now(s);
	lg.id[lg.n++] = (int)(intptr_t)subject;
}

static void ties_run_fifo(void **state)
{
	(void)state;
	sim *s = sim_new();
	lg.n = 0;
	/* interleave two times; within each, scheduling order must hold */
	for (int i = 0; i < 100; i++)
		sim_at(s, (i % 2) ? 5 * SIM_SEC : 3 * SIM_SEC, record, (void *)(intptr_t)i, NULL);
	sim_run(s, SIM_DAY);
	assert_int_equal(lg.n, 100);
	for (int k = 0; k < 50; k++) {
		assert_int_equal(lg.id[k], 2 * k);
		assert_int_equal(lg.id[50 + k], 2 * k + 1);
	}
	sim_free(s);
}

static void order_is_time_then_sequence(void **state)
{
	(void)state;
	sim *s = sim_new();
	gsl_rng *r = rng_stream(7, 0);
	lg.n = 0;
	sim_time at[3000];
	for (int i = 0; i < 3000; i++) {
		/* few distinct times, many ties, and far outliers */
		at[i] = (sim_time)gsl_rng_uniform_int(r, 50) * SIM_SEC;
		if (i % 97 == 0)
			at[i] = (sim_time)gsl_rng_uniform_int(r, 1000) * SIM_WEEK;
		sim_at(s, at[i], record, (void *)(intptr_t)i, NULL);
	}
	sim_run(s, SIM_NEVER - 1);
	assert_int_equal(lg.n, 3000);
	for (int k = 0; k < 3000; k++) {
		assert_int_equal(lg.t[k], at[lg.id[k]]);
		if (k > 0) {
			assert_true(lg.t[k] >= lg.t[k - 1]);
			if (lg.t[k] == lg.t[k - 1])
				assert_true(lg.id[k] > lg.id[k - 1]);
		}
	}
	gsl_rng_free(r);
	sim_free(s);
}

/* pq against a sorted reference under a hold workload with outliers */
/* The reference: a plain binary heap of (time, sequence), obviously
 * correct, against which the ladder queue's order is checked. */
typedef struct {
	int64_t t;
	uint64_t seq;
} ref_item;

static bool ref_less(ref_item a, ref_item b)
{
	return a.t < b.t || (a.t == b.t && a.seq < b.seq);
}

static void ref_push(ref_item *h, int *n, ref_item x)
{
	int i = (*n)++;
	for (; i > 0 && ref_less(x, h[(i - 1) / 2]); i = (i - 1) / 2)
		h[i] = h[(i - 1) / 2];
	h[i] = x;
}

static ref_item ref_pop(ref_item *h, int *n)
{
	ref_item top = h[0], x = h[--*n];
	int i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && ref_less(h[c + 1], h[c]))
			c++;
		if (!ref_less(h[c], x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
	return top;
}

/* 300,000 pops and pushes (ties, a far outlier, times spread over three
 * orders of magnitude) come out exactly as from the reference heap. */
static void pq_matches_reference(void **state)
{
	(void)state;
	enum { N = 20001 };
	static ref_item ref[N + 1];
	int nref = 0;
	gsl_rng *r = rng_stream(11, 0);
	pq *q = pq_new();
	uint64_t seq = 0;
	for (int i = 0; i < 20000; i++, seq++) {
		int64_t t = (int64_t)gsl_rng_uniform_int(r, 1000000);
		pq_payload p = {NULL, NULL, (void *)(uintptr_t)seq};
		pq_push(q, t, seq, &p);
		ref_push(ref, &nref, (ref_item){t, seq});
	}
	pq_payload far = {NULL, NULL, (void *)(uintptr_t)seq};
	pq_push(q, INT64_MAX, seq, &far);
	ref_push(ref, &nref, (ref_item){INT64_MAX, seq++});
	for (int k = 0; k < 300000; k++, seq++) {
		int64_t t;
		uint64_t sq;
		const pq_payload *p = pq_pop(q, &t, &sq);
		ref_item want = ref_pop(ref, &nref);
		assert_non_null(p);
		assert_int_equal(t, want.t);
		assert_int_equal(sq, want.seq);
		assert_int_equal((uint64_t)(uintptr_t)p->object, want.seq);
		int64_t d = gsl_rng_uniform(r) < 0.3 ? 0 : (int64_t)gsl_rng_uniform_int(r, 3000000);
		pq_payload n = {NULL, NULL, (void *)(uintptr_t)seq};
		pq_push(q, t + d, seq, &n);
		ref_push(ref, &nref, (ref_item){t + d, seq});
	}
	assert_int_equal(pq_size(q), N);
	pq_free(q);
	gsl_rng_free(r);
}

/* A lane stream (each event schedules the next, ticks 0, 2, 4 ... s)
 * among ordinary events at 0, 1, 2 ... s scheduled up front: the same
 * order as if both went through sim_at - by time, then by scheduling. At
 * an even second the ordinary event, scheduled at the start, runs before
 * the lane's, scheduled during the run; one cancelled ordinary event is
 * skipped by the lane's look at the set. */
typedef struct {
	int left, id;
} lane_ctx;

static void lane_tick(sim *s, void *subject, void *object)
{
	lane_ctx *c = subject;
	record(s, (void *)(intptr_t)c->id, object);
	if (--c->left > 0)
		sim_lane(s, sim_now(s) + 2 * SIM_SEC, lane_tick, c, NULL);
}

static void lane_keeps_the_order(void **state)
{
	(void)state;
	sim *s = sim_new();
	lg.n = 0;
	lane_ctx c = {10, -1};
	sim_lane(s, 0, lane_tick, &c, NULL);
	sim_handle h[20];
	for (int i = 0; i < 20; i++)
		h[i] = sim_at(s, i * SIM_SEC, record, (void *)(intptr_t)i, NULL);
	assert_true(sim_cancel(s, h[4]));
	sim_run(s, SIM_DAY);
	/* expected: the lane's tick at 0 first (scheduled first), then by time;
	 * at each even second > 0 the ordinary event before the tick */
	int want_id[40], n = 0;
	sim_time want_t[40];
	for (int sec = 0; sec < 20; sec++) {
		bool tick = sec % 2 == 0 && sec / 2 < 10;
		if (tick && sec == 0) {
			want_t[n] = 0;
			want_id[n++] = -1;
		}
		if (sec != 4) {
			want_t[n] = sec * SIM_SEC;
			want_id[n++] = sec;
		}
		if (tick && sec > 0) {
			want_t[n] = sec * SIM_SEC;
			want_id[n++] = -1;
		}
	}
	assert_int_equal(lg.n, n);
	for (int k = 0; k < n; k++) {
		assert_int_equal(lg.id[k], want_id[k]);
		assert_true(lg.t[k] == want_t[k]);
	}
	assert_true(sim_pending(s) == 0);
	sim_free(s);
}

/* A lane whose actions change the pending set while it waits: the tick at
 * 0 schedules Y (5 s) before the set's least (X, 12 s); the tick at 10
 * cancels X. Expected: tick 0, Y, tick 10, tick 20, Z (30 s). */
static sim_handle lane_x;

static void lane_meddles(sim *s, void *subject, void *object)
{
	(void)subject;
	record(s, (void *)(intptr_t)-1, object);
	sim_time now = sim_now(s);
	if (now == 0)
		sim_at(s, 5 * SIM_SEC, record, (void *)(intptr_t)2, NULL);
	if (now == 10 * SIM_SEC)
		assert_true(sim_cancel(s, lane_x));
	if (now < 20 * SIM_SEC)
		sim_lane(s, now + 10 * SIM_SEC, lane_meddles, NULL, NULL);
}

static void lane_sees_pushes_and_cancels(void **state)
{
	(void)state;
	sim *s = sim_new();
	lg.n = 0;
	sim_lane(s, 0, lane_meddles, NULL, NULL);
	lane_x = sim_at(s, 12 * SIM_SEC, record, (void *)(intptr_t)1, NULL);
	sim_at(s, 30 * SIM_SEC, record, (void *)(intptr_t)3, NULL);
	sim_run(s, SIM_DAY);
	const int want_id[] = {-1, 2, -1, -1, 3};
	const int want_s[] = {0, 5, 10, 20, 30};
	assert_int_equal(lg.n, 5);
	for (int k = 0; k < 5; k++) {
		assert_int_equal(lg.id[k], want_id[k]);
		assert_true(lg.t[k] == want_s[k] * SIM_SEC);
	}
	sim_free(s);
}

static void cancel_removes_event(void **state)
{
	(void)state;
	sim *s = sim_new();
	lg.n = 0;
	sim_handle a = sim_at(s, 10, record, (void *)1, NULL);
	sim_handle b = sim_at(s, 20, record, (void *)2, NULL);
	sim_at(s, 30, record, (void *)3, NULL);
	assert_true(sim_cancel(s, b));
	assert_false(sim_cancel(s, b));
	assert_int_equal(sim_pending(s), 2);
	sim_run(s, 100);
	assert_int_equal(lg.n, 2);
	assert_int_equal(lg.id[0], 1);
	assert_int_equal(lg.id[1], 3);
	assert_false(sim_cancel(s, a)); /* already ran */
	sim_free(s);
}

typedef struct {
	int left;
	sim_time step;
} chain;

static void hop(sim *s, void *subject, void *object)
{
	chain *c = subject;
	if (--c->left > 0)
		sim_after(s, c->step, hop, c, object);
}

static void clock_is_exact_over_weeks(void **state)
{
	(void)state;
	sim *s = sim_new();
	/* a 300 s retry, 2 016 times: exactly 7 days, no drift */
	chain c = {2016, 300 * SIM_SEC};
	sim_at(s, 0, hop, &c, NULL);
	sim_run(s, 8 * SIM_DAY);
	assert_int_equal(c.left, 0);
	assert_int_equal(sim_events(s), 2016 + 1);
	sim_free(s);

	s = sim_new();
	chain d = {1000000, 7};
	sim_at(s, 0, hop, &d, NULL);
	sim_run(s, SIM_WEEK);
	assert_int_equal(sim_now(s), SIM_WEEK);
	assert_int_equal(d.left, 0);
	sim_free(s);
}

static void end_of_run_is_an_event(void **state)
{
	(void)state;
	sim *s = sim_new();
	lg.n = 0;
	sim_at(s, 100, record, (void *)1, NULL); /* at the end, scheduled before: runs */
	sim_at(s, 101, record, (void *)2, NULL); /* after the end: does not */
	uint64_t n = sim_run(s, 100);
	assert_int_equal(lg.n, 1);
	assert_int_equal(n, 2); /* the record and the end itself */
	assert_int_equal(sim_now(s), 100);
	assert_int_equal(sim_pending(s), 1);
	sim_run(s, 200); /* a run goes on where it stopped */
	assert_int_equal(lg.n, 2);
	sim_free(s);
}

static int samples;
/* Random insertions and deletions over a small key space (long probe
 * runs, wrapping at the table's end) against a plain array. */
static void table_matches_reference(void **state)
{
	(void)state;
	enum { KEYS = 3000, OPS = 200000 };
	static long ref[KEYS]; /* 0: absent, else the value */
	tab *t = tab_new(sizeof(long));
	uint64_t x = 12345;
	for (int op = 0; op < OPS; op++) {
		x = rng_mix(x);
		uint64_t k = x % KEYS;
		bool created;
		if ((x >> 32) % 3 == 0) {
			tab_del(t, k);
			ref[k] = 0;
		} else {
			long *v = tab_get(t, k, &created);
			assert_int_equal(created, ref[k] == 0);
			if (created)
				*v = ref[k] = op + 1;
			assert_int_equal(*v, ref[k]);
		}
		if (op % 1000 == 0)
			for (uint64_t j = 0; j < KEYS; j++) {
				long *v = tab_get(t, j, &created);
				assert_int_equal(created, ref[j] == 0);
				if (created)
					tab_del(t, j);
				else
					assert_int_equal(*v, ref[j]);
			}
	}
	tab_free(t);
}

static void sample(sim *s, void *subject, void *object)
{
	(void)subject;
	(void)object;
	assert_int_equal(sim_now(s) % (15 * SIM_MIN), 0);
	samples++;
}

static void periodic_sampling(void **state)
{
	(void)state;
	sim *s = sim_new();
	samples = 0;
	sim_every(s, 15 * SIM_MIN, sample, NULL, NULL);
	sim_run(s, SIM_DAY);
	/* 15 min .. 23 h 45: the tick at 24 h was scheduled after the end */
	assert_int_equal(samples, 95);
	sim_free(s);
}

/* A reserved table holds its n entries where they were put (it never
 * grew: values stay put until the next growth); unreserved, the same
 * insertions move them. */
static void table_reserve_holds_without_growing(void **state)
{
	(void)state;
	for (int reserve = 0; reserve < 2; reserve++) {
		tab *t = tab_new(sizeof(long));
		if (reserve)
			tab_reserve(t, 100000);
		bool created;
		long *first = tab_get(t, 7, &created);
		*first = 42;
		for (uint64_t k = 100; k < 100099; k++)
			*(long *)tab_get(t, k, &created) = (long)k;
		long *now = tab_find(t, 7);
		assert_true(now && *now == 42);
		assert_true((now == first) == (reserve == 1));
		tab_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ties_run_fifo),
		cmocka_unit_test(order_is_time_then_sequence),
		cmocka_unit_test(pq_matches_reference),
		cmocka_unit_test(table_matches_reference),
		cmocka_unit_test(table_reserve_holds_without_growing),
		cmocka_unit_test(cancel_removes_event),
		cmocka_unit_test(lane_keeps_the_order),
		cmocka_unit_test(lane_sees_pushes_and_cancels),
		cmocka_unit_test(clock_is_exact_over_weeks),
		cmocka_unit_test(end_of_run_is_an_event),
		cmocka_unit_test(periodic_sampling),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
