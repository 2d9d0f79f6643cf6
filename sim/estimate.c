/*
 * estimate.c - estimators from a histogram and from counts (see
 * estimate.h). The lognormal body's likelihood is of binned data, each
 * bin's probability a difference of the normal CDF at its edges, so the
 * binning costs no bias; GSL's Nelder-Mead simplex maximises it, started
 * from the quantile estimates (the median, and the 15.9th percentile one
 * sigma below it).
 */
#include "estimate.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>

void est_hist_add(est_hist *h, double x)
{
	int b = x >= 1 ? (int)(log(x) / EST_BIN_W) : 0;
	h->n[b < EST_BINS ? b : EST_BINS - 1]++;
	h->total++;
}

double est_hist_edge(int b)
{
	return exp(EST_BIN_W * b);
}

double est_hist_centre(int b)
{
	return exp(EST_BIN_W * (b + 0.5));
}

double est_hist_quantile(const est_hist *h, double q)
{
	double want = q * h->total, acc = 0;
	for (int b = 0; b < EST_BINS; b++) {
		if (h->n[b] > 0 && acc + h->n[b] >= want)
			return exp(EST_BIN_W * (b + (want - acc) / h->n[b]));
		acc += h->n[b];
	}
	return est_hist_edge(EST_BINS);
}

typedef struct {
	const est_hist *h;
	int cut; /* bins [0, cut) are the body */
	double above;
} body;

/* Minus the log-likelihood of the body at (ln median, ln sigma). */
static double nll(const gsl_vector *v, void *arg)
{
	const body *d = arg;
	double mu = gsl_vector_get(v, 0), s = exp(gsl_vector_get(v, 1)), ll = 0;
	double lo = 0; /* bin 0 reaches down to x = 0 */
	for (int b = 0; b < d->cut; b++) {
		double hi = gsl_cdf_ugaussian_P((EST_BIN_W * (b + 1) - mu) / s);
		if (d->h->n[b] > 0)
			ll += d->h->n[b] * log(fmax(hi - lo, 1e-300));
		lo = hi;
	}
	if (d->above > 0)
		ll += d->above * log(fmax(1 - lo, 1e-300));
	return -ll;
}

void est_lnpareto(const est_hist *h, double p[4])
{
	double q90 = est_hist_quantile(h, 0.9), med = est_hist_quantile(h, 0.5);
	body d = {.h = h, .cut = (int)fmin(EST_BINS, floor(log(fmax(q90, 1)) / EST_BIN_W) + 1)};
	for (int b = d.cut; b < EST_BINS; b++)
		d.above += h->n[b];
	double s0 = log(med / est_hist_quantile(h, gsl_cdf_ugaussian_P(-1)));
	gsl_multimin_function fn = {.f = nll, .n = 2, .params = &d};
	gsl_vector *x = gsl_vector_alloc(2), *step = gsl_vector_alloc(2);
	gsl_vector_set(x, 0, log(med)), gsl_vector_set(x, 1, log(s0 > 0.01 ? s0 : 0.01));
	gsl_vector_set_all(step, 0.1);
	gsl_multimin_fminimizer *m =
		gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
	gsl_multimin_fminimizer_set(m, &fn, x, step);
	for (int it = 0; it < 500; it++)
		if (gsl_multimin_fminimizer_iterate(m) ||
		    gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-7) != GSL_CONTINUE)
			break;
	p[0] = exp(gsl_vector_get(m->x, 0));
	p[1] = exp(gsl_vector_get(m->x, 1));
	p[2] = est_hist_edge(d.cut);
	gsl_multimin_fminimizer_free(m);
	gsl_vector_free(x), gsl_vector_free(step);
	double k = 0, sum = 0;
	for (int b = d.cut; b < EST_BINS; b++)
		k += h->n[b], sum += h->n[b] * (EST_BIN_W * (b + 0.5 - d.cut));
	p[3] = sum > 0 ? k / sum : 10;
}

static int by_count(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

/* Golden section on the log-likelihood, -s sum c_k ln k - N ln H(n, s). */
double est_zipf(double *counts, long n)
{
	qsort(counts, (size_t)n, sizeof *counts, by_count);
	double a = 0, total = 0;
	for (long k = 0; k < n; k++)
		a += counts[k] * log((double)k + 1), total += counts[k];
	double lo = 0, hi = 4, g = (sqrt(5) - 1) / 2;
	for (int it = 0; it < 60; it++) {
		double s[2] = {hi - g * (hi - lo), lo + g * (hi - lo)}, ll[2];
		for (int j = 0; j < 2; j++) {
			double hs = 0;
			for (long k = 1; k <= n; k++)
				hs += pow((double)k, -s[j]);
			ll[j] = -s[j] * a - total * log(hs);
		}
		*(ll[0] > ll[1] ? &hi : &lo) = ll[0] > ll[1] ? s[1] : s[0];
	}
	return (lo + hi) / 2;
}
