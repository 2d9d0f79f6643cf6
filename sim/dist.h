/*
 * dist.h - probability distributions users name in scenarios.
 *
 * A dist is a value: its parameters are in the model's base unit (seconds or
 * bytes). dist_draw never returns a negative number. Empirical tables are
 * (value, weight) rows read from CSV; a dist owning a table must be released
 * with dist_clear.
 */
#ifndef MX_DIST_H
#define MX_DIST_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

typedef enum {
	DIST_CONST,     /* const(v) */
	DIST_EXP,       /* exp(mean) */
	DIST_UNIFORM,   /* uniform(a, b) */
	DIST_LOGNORMAL, /* lognormal(median, sigma): ln X ~ N(ln median, sigma) */
	DIST_WEIBULL,   /* weibull(scale, shape) */
	DIST_PARETO,    /* pareto(xm, alpha) */
	DIST_LNPARETO,  /* lnpareto(median, sigma, cut, alpha): lognormal body,
			   Pareto(cut, alpha) tail above cut */
	DIST_EMPIRICAL  /* empirical(file.csv): rows value,weight */
} dist_kind;

typedef struct {
	dist_kind kind;
	double p[4];
	/* empirical only */
	int n;
	double *values;
	gsl_ran_discrete_t *table;
} dist;

dist dist_const(double v);
dist dist_exp(double mean);

double dist_draw(const dist *d, gsl_rng *r);

/* An exponential draw by inversion, -mean ln U with U uniform on (0, 1):
 * the distribution of gsl_ran_exponential (which takes log1p(-U)) at half
 * its cost, log being the faster of the two in glibc. */
double dist_exponential(gsl_rng *r, double mean);

/* The distribution's mean (infinite for a Pareto tail with alpha <= 1). */
double dist_mean(const dist *d);

/* P(X > x). */
double dist_tail(const dist *d, double x);

/* Builds an empirical table from n (value, weight) rows; copies them.
 * Returns 0, or -1 when the weights are not positive in sum. */
int dist_empirical(dist *d, const double *values, const double *weights, int n);

/* Releases an empirical table; other kinds need nothing. */
void dist_clear(dist *d);

#endif
