/*
 * stats.c - time-weighted averages, histograms and confidence intervals.
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void st_tw_init(st_tw *w, double t0, double v)
{
	*w = (st_tw){t0, t0, v, 0, v};
}

void st_tw_set(st_tw *w, double t, double v)
{
	w->area += w->v * (t - w->t);
	w->t = t;
	w->v = v;
	if (v > w->peak)
		w->peak = v;
}

double st_tw_mean(const st_tw *w, double t)
{
	double span = t - w->t0;
	if (span <= 0)
		return w->v;
	return (w->area + w->v * (t - w->t)) / span;
}

void st_hist_init(st_hist *s, double lo, double hi, int bins_per_decade)
{
	size_t n = (size_t)ceil(log10(hi / lo) * bins_per_decade);
	s->h = gsl_histogram_calloc(n);
	if (!s->h) {
		fprintf(stderr, "mxsim: out of memory\n");
		abort();
	}
	double *r = s->h->range;
	for (size_t i = 0; i <= n; i++)
		r[i] = lo * pow(hi / lo, (double)i / (double)n);
	s->lo = lo;
	s->hi = hi;
	s->per_ln = (double)n / log(hi / lo);
	s->n = 0;
	s->sum = s->max = 0;
}

void st_hist_free(st_hist *s)
{
	gsl_histogram_free(s->h);
	s->h = NULL;
}

/* The bin is computed, then checked against the edges: the same bin
 * gsl_histogram_increment's search finds (range[i] <= y < range[i + 1]). */
void st_hist_add(st_hist *s, double x)
{
	const double *r = s->h->range;
	size_t last = s->h->n - 1;
	double y = x < s->lo ? s->lo : x >= s->hi ? r[last] : x;
	double f = log(y / s->lo) * s->per_ln;
	size_t i = f > 0 ? (f < (double)last ? (size_t)f : last) : 0; /* NaN: 0 */
	while (i > 0 && y < r[i])
		i--;
	while (i < last && y >= r[i + 1])
		i++;
	s->h->bin[i]++;
	s->n++;
	s->sum += x;
	if (x > s->max)
		s->max = x;
}

double st_hist_quantile(const st_hist *s, double q)
{
	if (!s->n)
		return NAN;
	double target = q * (double)s->n, cum = 0;
	size_t nb = s->h->n;
	for (size_t i = 0; i < nb; i++) {
		double c = s->h->bin[i];
		if (c > 0 && cum + c >= target) {
			double f = (target - cum) / c;
			double a = s->h->range[i], b = s->h->range[i + 1];
			double x = a * pow(b / a, f);
			return x < s->max ? x : s->max;
		}
		cum += c;
	}
	return s->max;
}

double st_hist_mean(const st_hist *s)
{
	return s->n ? s->sum / (double)s->n : NAN;
}

void st_ci95(const double *x, int n, double *mean, double *half)
{
	*mean = n > 0 ? gsl_stats_mean(x, 1, (size_t)n) : NAN;
	if (n < 2) {
		*half = NAN;
		return;
	}
	double sd = gsl_stats_sd_m(x, 1, (size_t)n, *mean);
	*half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt(n);
}
