/* test_random.c - RNG streams, distributions and statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../sim/dist.h"
#include "../sim/estimate.h"
#include "../sim/rng.h"
#include "../sim/stats.h"
#include "../sim/zipf.h"

#include <math.h>

static void same_seed_same_draws(void **state)
{
	(void)state;
	gsl_rng *a = rng_stream(42, 3), *b = rng_stream(42, 3), *c = rng_stream(43, 3);
	int differ = 0;
	for (int i = 0; i < 1000; i++) {
		unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c);
		assert_int_equal(x, y);
		differ += x != z;
	}
	assert_true(differ > 990);
	gsl_rng_free(a);
	gsl_rng_free(b);
	gsl_rng_free(c);
}

static void streams_are_independent(void **state)
{
	(void)state;
	/* stream 5's draws do not depend on how much stream 4 drew */
	gsl_rng *k1 = rng_stream(9, 5), *j = rng_stream(9, 4), *k2 = rng_stream(9, 5);
	double ref[500];
	for (int i = 0; i < 500; i++)
		ref[i] = gsl_rng_uniform(k1);
	for (int i = 0; i < 500; i++) {
		for (int m = 0; m < i % 7; m++)
			gsl_rng_uniform(j);
		assert_true(gsl_rng_uniform(k2) == ref[i]);
	}
	/* and streams differ from each other: sample correlation near 0 */
	gsl_rng *x = rng_stream(9, 1), *y = rng_stream(9, 2);
	double sxy = 0, n = 20000;
	for (int i = 0; i < n; i++)
		sxy += (gsl_rng_uniform(x) - 0.5) * (gsl_rng_uniform(y) - 0.5);
	double corr = sxy / n * 12; /* var of U(0,1) = 1/12 */
	assert_true(fabs(corr) < 4 / sqrt(n));
	gsl_rng_free(k1);
	gsl_rng_free(j);
	gsl_rng_free(k2);
	gsl_rng_free(x);
	gsl_rng_free(y);
	assert_true(rng_hash_unit(1, 2, 3) == rng_hash_unit(1, 2, 3));
	assert_true(rng_hash_unit(1, 2, 3) != rng_hash_unit(1, 3, 2));
	assert_true(rng_replication_seed(1, 0) != rng_replication_seed(1, 1));
}

/* sample mean within 4 standard errors, sample variance within 10 % */
static void check_moments(dist d, double mean, double var)
{
	gsl_rng *r = rng_stream(123, 0);
	int n = 400000;
	double s = 0, s2 = 0;
	for (int i = 0; i < n; i++) {
		double x = dist_draw(&d, r);
		assert_true(x >= 0);
		s += x;
		s2 += x * x;
	}
	double m = s / n, v = s2 / n - m * m;
	assert_true(fabs(dist_mean(&d) - mean) <= 1e-9 * fabs(mean) + 1e-12);
	assert_true(fabs(m - mean) <= 4 * sqrt(var / n) + 1e-12);
	assert_true(fabs(v - var) <= 0.1 * var + 1e-12);
	gsl_rng_free(r);
}

static void distributions_match_moments(void **state)
{
	(void)state;
	check_moments(dist_const(30), 30, 0);
	check_moments(dist_exp(30), 30, 900);
	check_moments((dist){.kind = DIST_UNIFORM, .p = {10, 70}}, 40, 3600.0 / 12);
	double s = 0.5, med = 100;
	double lm = med * exp(s * s / 2), lv = (exp(s * s) - 1) * med * med * exp(s * s);
	check_moments((dist){.kind = DIST_LOGNORMAL, .p = {med, s}}, lm, lv);
	double k = 2, lam = 10;
	check_moments((dist){.kind = DIST_WEIBULL, .p = {lam, k}}, lam * tgamma(1 + 1 / k),
		      lam * lam * (tgamma(1 + 2 / k) - pow(tgamma(1 + 1 / k), 2)));
	double a = 5, xm = 2;
	check_moments((dist){.kind = DIST_PARETO, .p = {xm, a}}, a * xm / (a - 1),
		      xm * xm * a / ((a - 1) * (a - 1) * (a - 2)));
	dist e;
	assert_int_equal(dist_empirical(&e, (double[]){1, 2, 10}, (double[]){1, 1, 2}, 3), 0);
	check_moments(e, (1 + 2 + 20) / 4.0, (1 + 4 + 200) / 4.0 - pow(23 / 4.0, 2));
	dist_clear(&e);
	assert_int_equal(dist_empirical(&e, (double[]){1}, (double[]){0}, 1), -1);
}

static void spliced_tail_matches(void **state)
{
	(void)state;
	/* lognormal body, Pareto tail above 64 KB: P(X > 20 MB) */
	dist d = {.kind = DIST_LNPARETO, .p = {4000, 1.2, 65536, 1.1}};
	double p = dist_tail(&d, 20e6);
	gsl_rng *r = rng_stream(5, 0);
	int n = 2000000, hits = 0;
	for (int i = 0; i < n; i++)
		hits += dist_draw(&d, r) > 20e6;
	double se = sqrt(p * (1 - p) / n);
	assert_true(fabs((double)hits / n - p) < 4 * se);
	gsl_rng_free(r);
}

/* The estimators get back the parameters of samples drawn with them:
 * lnpareto (the cut at the sample's 90th percentile, which for these
 * parameters is the lognormal's own: 8000 e^1.2816 = 28,825 B) and Zipf. */
static void estimators_recover_parameters(void **state)
{
	(void)state;
	dist d = {.kind = DIST_LNPARETO, .p = {8000, 1.0, 28825, 1.5}};
	gsl_rng *r = rng_stream(23, 0);
	static est_hist h;
	for (int i = 0; i < 200000; i++)
		est_hist_add(&h, dist_draw(&d, r));
	double p[4];
	est_lnpareto(&h, p);
	assert_true(fabs(p[0] / 8000 - 1) < 0.01);
	assert_true(fabs(p[1] - 1.0) < 0.02);
	assert_true(fabs(p[2] / 28825 - 1) < 0.02);
	assert_true(fabs(p[3] - 1.5) < 0.05);
	zipf z;
	enum { N = 300 };
	double count[N] = {0};
	zipf_init(&z, N, 1.2);
	for (int i = 0; i < 200000; i++)
		count[zipf_draw(&z, r)]++;
	assert_true(fabs(est_zipf(count, N) - 1.2) < 0.02);
	gsl_rng_free(r);
}

/* Zipf ranks: frequencies match k^-s / H(n, s) within 4 standard errors */
static void zipf_matches_probabilities(void **state)
{
	(void)state;
	double exps[] = {0, 0.8, 1, 1.5};
	gsl_rng *r = rng_stream(17, 0);
	for (int e = 0; e < 4; e++) {
		zipf z;
		int n = 20, draws = 400000, count[20] = {0};
		zipf_init(&z, (unsigned long)n, exps[e]);
		for (int i = 0; i < draws; i++) {
			unsigned long k = zipf_draw(&z, r);
			assert_true(k < (unsigned long)n);
			count[k]++;
		}
		double hn = 0;
		for (int k = 1; k <= n; k++)
			hn += pow(k, -exps[e]);
		for (int k = 1; k <= n; k++) {
			double p = pow(k, -exps[e]) / hn, se = sqrt(p * (1 - p) / draws);
			assert_true(fabs((double)count[k - 1] / draws - p) < 4 * se);
		}
	}
	zipf big;
	zipf_init(&big, 1000000, 1);
	for (int i = 0; i < 100000; i++)
		assert_true(zipf_draw(&big, r) < 1000000);
	gsl_rng_free(r);
}

static void ci_matches_hand_computation(void **state)
{
	(void)state;
	double x[] = {1, 2, 3, 4, 5}, m, h;
	st_ci95(x, 5, &m, &h);
	/* sd = sqrt(2.5); t(0.975, 4) = 2.776445105 */
	assert_true(fabs(m - 3) < 1e-12);
	assert_true(fabs(h - 2.776445105 * sqrt(2.5) / sqrt(5)) < 1e-6);
	st_ci95(x, 1, &m, &h);
	assert_true(isnan(h));
	double y[] = {10, 10, 10};
	st_ci95(y, 3, &m, &h);
	assert_true(m == 10 && h == 0);
	double z[] = {10, INFINITY, 12}; /* a run that never reached it */
	st_ci95(z, 3, &m, &h);
	assert_true(isinf(m) && m > 0 && isnan(h));
}

static void time_weighted_and_quantiles(void **state)
{
	(void)state;
	st_tw w;
	st_tw_init(&w, 0, 0);
	st_tw_set(&w, 10, 4); /* 0 for 10, 4 for 30 */
	st_tw_set(&w, 40, 1);
	assert_true(fabs(st_tw_mean(&w, 40) - 120.0 / 40) < 1e-12);
	assert_true(fabs(st_tw_mean(&w, 60) - 140.0 / 60) < 1e-12);
	assert_true(w.peak == 4);

	st_hist h;
	st_hist_init(&h, 1, 1e6, 50);
	gsl_rng *r = rng_stream(1, 0);
	for (int i = 0; i < 200000; i++)
		st_hist_add(&h, gsl_ran_exponential(r, 100));
	/* exponential quantiles: -100 ln(1 - q), within bin resolution (5 %) */
	double qs[] = {0.5, 0.9, 0.99};
	for (int i = 0; i < 3; i++) {
		double want = -100 * log(1 - qs[i]);
		assert_true(fabs(st_hist_quantile(&h, qs[i]) / want - 1) < 0.05);
	}
	assert_true(fabs(st_hist_mean(&h) / 100 - 1) < 0.02);
	/* the same values among twice as many, half never reached: the median
	 * is not reached, the 40th percentile is the 80th of those held */
	assert_true(isinf(st_hist_quantile_among(&h, 0.5 + 1e-9, 400000)));
	double q80 = -100 * log(1 - 0.8);
	assert_true(fabs(st_hist_quantile_among(&h, 0.4, 400000) / q80 - 1) < 0.05);
	st_hist_free(&h);
	gsl_rng_free(r);
}

/* st_hist_add's bin is the one GSL's binary search finds
 * (gsl_histogram_increment: range[i] <= x < range[i + 1]), at the edges
 * and a hair either side of them, over two bin densities; below lo counts
 * in the first bin, at or above hi in the last. */
static void hist_bins_match_gsl_search(void **state)
{
	(void)state;
	const int densities[] = {20, 50};
	for (int d = 0; d < 2; d++) {
		st_hist h;
		st_hist_init(&h, 0.01, 1e8, densities[d]);
		size_t n = h.h->n;
		gsl_histogram *g = gsl_histogram_alloc(n);
		gsl_histogram_set_ranges(g, h.h->range, n + 1);
		gsl_rng *r = rng_stream(7, 0);
		for (int i = 0; i < 300000; i++) {
			double x;
			if (i % 3 == 0)
				x = h.h->range[(size_t)i / 3 % (n + 1)];
			else if (i % 3 == 1)
				x = nextafter(h.h->range[(size_t)i / 3 % (n + 1)], 0);
			else
				x = 0.001 * pow(10, 12 * gsl_rng_uniform(r));
			st_hist_add(&h, x);
			double y = x < 0.01 ? 0.01 : x >= 1e8 ? h.h->range[n - 1] : x;
			gsl_histogram_increment(g, y);
		}
		for (size_t i = 0; i < n; i++)
			assert_true(h.h->bin[i] == g->bin[i]);
		assert_true(h.h->bin[0] > 0 && h.h->bin[n - 1] > 0);
		gsl_histogram_free(g);
		st_hist_free(&h);
		gsl_rng_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_seed_same_draws),
		cmocka_unit_test(streams_are_independent),
		cmocka_unit_test(distributions_match_moments),
		cmocka_unit_test(spliced_tail_matches),
		cmocka_unit_test(zipf_matches_probabilities),
		cmocka_unit_test(estimators_recover_parameters),
		cmocka_unit_test(ci_matches_hand_computation),
		cmocka_unit_test(time_weighted_and_quantiles),
		cmocka_unit_test(hist_bins_match_gsl_search),
	};
	return cmocka_run_group_tests_name("random-and-stats", tests, NULL, NULL);
}
