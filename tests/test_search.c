/* test_search.c - the plan's noisy bisection (sim/search.h) against a
 * generator with a known threshold per run, and its exact intervals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../sim/rng.h"
#include "../sim/search.h"

#include <math.h>
#include <stdlib.h>

enum { NG = 1000 };

/* Run r meets the goal at grid value g when its threshold is at most g:
 * thresholds uniform on 0..NG-1, so the share meeting at g is
 * (g + 1) / NG. The figure handed over: 0 (met) or 1. */
static double thr[4096];

static void thresholds(uint64_t seed)
{
	gsl_rng *r = rng_stream(seed, 0);
	for (int i = 0; i < 4096; i++)
		thr[i] = (double)gsl_rng_uniform_int(r, NG);
	gsl_rng_free(r);
}

/* Runs a search to its end, feeding each round's runs in reverse order
 * if backwards (the order must not matter). */
static srch *search(const srch_spec *sp, long ngrid, bool backwards, double (*x)(long, long))
{
	srch *s = srch_new(ngrid, sp);
	srch_req *q;
	int n;
	while ((n = srch_next(s, &q)) > 0)
		for (int i = 0; i < n; i++) {
			const srch_req *k = &q[backwards ? n - 1 - i : i];
			for (long r = k->from; r < k->to; r++) {
				long rr = backwards ? k->to - 1 - (r - k->from) : r;
				srch_add(s, k->g, rr, x(k->g, rr));
			}
		}
	return s;
}

static double step_fig(long g, long r)
{
	return thr[r] <= (double)g ? 0 : 1;
}

static const srch_spec share95 = {.share = 0.95,
				  .confidence = 0.95,
				  .op = SRCH_EQ,
				  .goal = 0,
				  .n0 = 72,
				  .cap = 576,
				  .max_runs = 100000};

static void first_runs_match_the_bound(void **state)
{
	(void)state;
	/* all n meeting shows 95 % at 95 % (two-sided) once 0.025^(1/n) >= 0.95 */
	assert_int_equal(srch_first_runs(0.95, 0.95), 72);
	assert_true(pow(0.025, 1.0 / 72) >= 0.95 && pow(0.025, 1.0 / 71) < 0.95);
	assert_int_equal(srch_first_runs(0.5, 0.95), 6);
	assert_int_equal(srch_first_runs(1, 0.95), 0);
	double lo, hi;
	srch_interval(72, 72, 0.95, &lo, &hi);
	assert_true(fabs(lo - pow(0.025, 1.0 / 72)) < 1e-12 && hi == 1);
	srch_interval(0, 10, 0.95, &lo, &hi);
	assert_true(lo == 0 && fabs(hi - (1 - pow(0.025, 0.1))) < 1e-12);
	/* k of n: R's binom.test(3, 10)$conf.int = 0.06673951 0.65245285 */
	srch_interval(3, 10, 0.95, &lo, &hi);
	assert_true(fabs(lo - 0.06673951) < 1e-7 && fabs(hi - 0.65245285) < 1e-7);
}

static void grid_steps_and_ends(void **state)
{
	(void)state;
	double *g;
	long n = srch_grid(1, 10, 1, true, 100, &g);
	assert_int_equal(n, 10);
	assert_true(g[0] == 1 && g[9] == 10);
	free(g);
	n = srch_grid(1000, 200000, -0.005, true, 100000, &g);
	assert_true(g[0] == 1000 && g[n - 1] == 200000);
	for (long i = 1; i < n - 1; i++) /* 0.5 % apart, whole numbers */
		assert_true(g[i] / g[i - 1] <= 1.005 + 1.0 / g[i - 1] && g[i] > g[i - 1]);
	free(g);
	n = srch_grid(1, 50, -0.01, true, 1000, &g); /* a step of 1 at least */
	assert_int_equal(n, 50);
	free(g);
	assert_int_equal(srch_grid(0, 1e9, 1, false, 1000, &g), 0); /* too many */
}

/* The answer meets the goal with the stated confidence, the value before
 * it was tried and did not, and the true share there is near 95 %. */
static void finds_the_threshold_of_a_known_generator(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		thresholds(seed);
		srch *s = search(&share95, NG, false, step_fig),
		     *t = search(&share95, NG, true, step_fig);
		long a = srch_answer(s);
		assert_int_equal(srch_outcome_of(s), SRCH_FOUND);
		assert_int_equal(a, srch_answer(t));
		assert_int_equal(srch_runs(s), srch_runs(t));
		const srch_cand *c;
		int n = srch_candidates(s, &c), below = 0;
		for (int i = 0; i < n; i++) {
			if (c[i].g == a)
				assert_true(c[i].v == SRCH_MET && c[i].low >= 0.95);
			if (c[i].g == a - 1)
				below = 1, assert_true(c[i].v != SRCH_MET);
		}
		assert_true(below);
		/* the share at the answer: (a + 1) / NG, at least ~90 % */
		assert_true((double)(a + 1) / NG >= 0.90);
		/* far fewer runs than deciding every value */
		if (srch_runs(s) >= NG * 72 / 10)
			print_message("seed %llu: %ld runs\n", (unsigned long long)seed,
				      srch_runs(s));
		assert_true(srch_runs(s) < NG * 72 / 10);
		srch_free(s);
		srch_free(t);
	}
}

static double never(long g, long r)
{
	(void)g, (void)r;
	return 1;
}

static double always(long g, long r)
{
	(void)g, (void)r;
	return 0;
}

static void nowhere_and_everywhere(void **state)
{
	(void)state;
	srch *s = search(&share95, NG, false, never);
	assert_int_equal(srch_outcome_of(s), SRCH_NOWHERE);
	assert_int_equal(srch_answer(s), -1);
	srch_free(s);
	s = search(&share95, NG, false, always);
	assert_int_equal(srch_outcome_of(s), SRCH_EVERYWHERE);
	assert_int_equal(srch_answer(s), 0);
	srch_free(s);
	srch_spec few = share95;
	few.max_runs = 400; /* the first round (5 x 72) only */
	thresholds(3);
	s = search(&few, NG, false, step_fig);
	assert_int_equal(srch_outcome_of(s), SRCH_BUDGET);
	assert_true(srch_runs(s) <= 400);
	srch_free(s);
}

/* Mean mode: a figure g - 500 + noise (sd 20): the mean's interval is
 * below 0 from somewhat under 500 on. Goal: value < 0 on the mean, the
 * largest such g, on a grid reversed (g = NG-1-i). */
static gsl_rng *noise;
static double noise_at[4096];

static double linear(long i, long r)
{
	return (double)(NG - 1 - i) - 500 + noise_at[r];
}

static void mean_mode_finds_the_crossing(void **state)
{
	(void)state;
	noise = rng_stream(9, 1);
	for (int i = 0; i < 4096; i++)
		noise_at[i] = 20 * (gsl_rng_uniform(noise) - 0.5) * sqrt(12);
	gsl_rng_free(noise);
	srch_spec sp = {.mean = true,
			.confidence = 0.95,
			.op = SRCH_LT,
			.goal = 0,
			.n0 = 10,
			.cap = 80,
			.max_runs = 100000};
	srch *s = search(&sp, NG, false, linear);
	assert_int_equal(srch_outcome_of(s), SRCH_FOUND);
	long v = NG - 1 - srch_answer(s); /* the largest g with mean < 0, shown */
	/* the mean of the first 10 noises shifts it; the interval keeps it under 500 */
	assert_true(v < 500 && v > 470);
	srch_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_runs_match_the_bound),
		cmocka_unit_test(grid_steps_and_ends),
		cmocka_unit_test(finds_the_threshold_of_a_known_generator),
		cmocka_unit_test(nowhere_and_everywhere),
		cmocka_unit_test(mean_mode_finds_the_crossing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
