/*
 * estimate.h - estimators of distributions from data seen once, in
 * bounded memory: a histogram of ln(x) in fixed bins, a lognormal body
 * fitted to it by maximum likelihood with everything above a cut
 * censored, a Pareto tail above the cut (Hill), and a Zipf exponent of
 * counts by rank. Invariant: a histogram's total is the sum of its bins.
 */
#ifndef MX_ESTIMATE_H
#define MX_ESTIMATE_H

enum { EST_BINS = 2400 };
#define EST_BIN_W 0.01 /* a bin's width in ln(x): bin b holds [e^(b w), e^((b+1) w)) */

typedef struct {
	double n[EST_BINS]; /* bin 0 also holds x < 1, the last one x beyond */
	double total;
} est_hist;

void est_hist_add(est_hist *h, double x);
/* The value at quantile q (ln-linear within a bin). */
double est_hist_quantile(const est_hist *h, double q);
/* A bin's lower edge in x. */
double est_hist_edge(int b);
/* A bin's centre in ln(x): e^((b + 1/2) w). */
double est_hist_centre(int b);

/* lnpareto(median, sigma, cut, alpha) into p: the cut at the upper edge
 * of the bin of quantile 0.9; median and sigma by maximum likelihood
 * over the bins below it, the mass above counted as censored; alpha by
 * Hill's estimator over the bins' centres above it. */
void est_lnpareto(const est_hist *h, double p[4]);

/* The Zipf exponent s in [0, 4] by maximum likelihood of counts by rank
 * (rank k has share k^-s / H(n, s)); sorts counts, most first. */
double est_zipf(double *counts, long n);

#endif
