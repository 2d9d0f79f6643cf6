/*
 * stats.c - time-weighted averages, histograms and confidence intervals.
 */
#include "stats.h"
#include "xalloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A positive double's exponent and top three mantissa bits: an eighth of
 * an octave, increasing with x. */
static uint64_t cell_of(double x)
{
	uint64_t b;
	memcpy(&b, &x, sizeof b);
	return b >> 49;
}

static double cell_start(uint64_t c)
{
	uint64_t b = c << 49;
	double x;
	memcpy(&x, &b, sizeof x);
	return x;
}

void st_hist_init(st_hist *s, double lo, double hi, int bins_per_decade)
{
	size_t n = (size_t)ceil(log10(hi / lo) * bins_per_decade);
	s->h = gsl_histogram_calloc(n);
	double *r = s->h->range;
	for (size_t i = 0; i <= n; i++)
		r[i] = lo * pow(hi / lo, (double)i / (double)n);
	s->lo = lo;
	s->hi = hi;
	/* each cell's start bin: the last whose lower edge is at or below
	 * the cell's start (a cell is narrower than a bin below 26 bins per
	 * decade, so st_hist_add steps on at most once then) */
	s->cell_base = cell_of(lo);
	s->ncell = cell_of(r[n - 1]) - s->cell_base + 1;
	s->cell = xmalloc(s->ncell * sizeof *s->cell);
	for (size_t c = 0, i = 0; c < s->ncell; c++) {
		double v = cell_start(s->cell_base + c);
		while (i < n - 1 && r[i + 1] <= v)
			i++;
		s->cell[c] = (uint32_t)i;
	}
	s->n = 0;
	s->sum = s->max = 0;
}

void st_hist_free(st_hist *s)
{
	gsl_histogram_free(s->h);
	free(s->cell);
	s->h = NULL;
	s->cell = NULL;
}

/* The bin gsl_histogram_increment's search finds (range[i] <= y <
 * range[i + 1]), found from y's cell without a logarithm. */
void st_hist_add(st_hist *s, double x)
{
	const double *r = s->h->range;
	size_t last = s->h->n - 1;
	double y = x < s->lo ? s->lo : x >= s->hi ? r[last] : x;
	uint64_t c = cell_of(y) - s->cell_base; /* NaN: out of range, bin 0 */
	size_t i = c < s->ncell ? s->cell[c] : 0;
	i += (i < last) & (y >= r[i + 1]); /* the usual step, without a branch */
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
	return st_hist_quantile_among(s, q, (double)s->n);
}

double st_hist_quantile_among(const st_hist *s, double q, double total)
{
	if (!(total > 0))
		return NAN;
	double target = q * total, cum = 0;
	if (target > (double)s->n)
		return INFINITY;
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
	for (int i = 0; i < n; i++)
		if (isinf(x[i])) { /* a value never reached: so is the mean */
			*mean = x[i];
			*half = NAN;
			return;
		}
	*mean = n > 0 ? gsl_stats_mean(x, 1, (size_t)n) : NAN;
	if (n < 2) {
		*half = NAN;
		return;
	}
	double sd = gsl_stats_sd_m(x, 1, (size_t)n, *mean);
	*half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt(n);
}
