/*
 * stats.h - statistics on GSL: time-weighted averages, log-binned
 * histograms with quantiles, and replication means with Student-t 95 %
 * confidence half-widths.
 *
 * All are plain values the caller owns; st_hist owns a gsl_histogram and a
 * table that st_hist_free releases.
 */
#ifndef MX_STATS_H
#define MX_STATS_H

#include <gsl/gsl_histogram.h>
#include <stdint.h>

/* A quantity that changes at instants: level, its integral and peak. */
typedef struct {
	double t0, t, v, area, peak;
} st_tw;

void st_tw_init(st_tw *w, double t0, double v);
void st_tw_set(st_tw *w, double t, double v); /* t non-decreasing */
double st_tw_mean(const st_tw *w, double t);  /* mean over [t0, t] */

/* Histogram with bins_per_decade log-spaced bins over [lo, hi]; values
 * below lo go to the first bin, above hi to the last (exact count, sum and
 * max are kept beside). */
typedef struct {
	gsl_histogram *h;
	double lo, hi;
	uint32_t *cell; /* st_hist_add's start bin per eighth of an octave */
	uint64_t cell_base, ncell;
	uint64_t n;
	double sum, max;
} st_hist;

void st_hist_init(st_hist *s, double lo, double hi, int bins_per_decade);
void st_hist_free(st_hist *s);
void st_hist_add(st_hist *s, double x);
/* The q-quantile (0 < q < 1) by linear interpolation within its bin in
 * log space; NaN when empty. */
double st_hist_quantile(const st_hist *s, double q);
/* The same among total values of which the histogram holds s->n, the
 * rest being larger than any (never reached): +infinity when the q-th
 * falls among them. */
double st_hist_quantile_among(const st_hist *s, double q, double total);
double st_hist_mean(const st_hist *s);

/* Mean of x[0..n-1] and the half-width of its Student-t 95 % confidence
 * interval (NaN for n < 2). An infinite value (never reached) makes the
 * mean that infinity, with no interval. */
void st_ci95(const double *x, int n, double *mean, double *half);

#endif
