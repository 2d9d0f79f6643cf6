/*
 * dist.c - sampling, means and tails of the scenario distributions.
 */
#include "dist.h"
#include "xalloc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dist dist_const(double v)
{
	return (dist){.kind = DIST_CONST, .p = {v}};
}

dist dist_exp(double mean)
{
	return (dist){.kind = DIST_EXP, .p = {mean}};
}

double dist_exponential(gsl_rng *r, double mean)
{
	return -mean * log(gsl_rng_uniform_pos(r));
}

double dist_draw(const dist *d, gsl_rng *r)
{
	const double *p = d->p;
	switch (d->kind) {
	case DIST_CONST:
		return p[0];
	case DIST_EXP:
		return dist_exponential(r, p[0]);
	case DIST_UNIFORM:
		return gsl_ran_flat(r, p[0], p[1]);
	case DIST_LOGNORMAL: /* GSL's ziggurat: a third of its lognormal's cost */
		return p[0] * exp(p[1] * gsl_ran_gaussian_ziggurat(r, 1));
	case DIST_WEIBULL:
		return gsl_ran_weibull(r, p[0], p[1]);
	case DIST_PARETO:
		return gsl_ran_pareto(r, p[1], p[0]);
	case DIST_LNPARETO: {
		double x = p[0] * exp(p[1] * gsl_ran_gaussian_ziggurat(r, 1));
		return x > p[2] ? gsl_ran_pareto(r, p[3], p[2]) : x;
	}
	case DIST_EMPIRICAL:
		return d->values[gsl_ran_discrete(r, d->table)];
	}
	return 0;
}

double dist_mean(const dist *d)
{
	const double *p = d->p;
	switch (d->kind) {
	case DIST_CONST:
	case DIST_EXP:
		return p[0];
	case DIST_UNIFORM:
		return (p[0] + p[1]) / 2;
	case DIST_LOGNORMAL:
		return p[0] * exp(p[1] * p[1] / 2);
	case DIST_WEIBULL:
		return p[0] * tgamma(1 + 1 / p[1]);
	case DIST_PARETO:
		return p[1] > 1 ? p[1] * p[0] / (p[1] - 1) : INFINITY;
	case DIST_LNPARETO: {
		/* E[X; X <= cut] of the lognormal plus P(X > cut) * Pareto mean */
		double mu = log(p[0]), s = p[1], c = p[2], a = p[3];
		if (a <= 1)
			return INFINITY;
		double body = exp(mu + s * s / 2) * gsl_cdf_ugaussian_P((log(c) - mu - s * s) / s);
		return body + dist_tail(&(dist){.kind = DIST_LOGNORMAL, .p = {p[0], s}}, c) * a *
				      c / (a - 1);
	}
	case DIST_EMPIRICAL: {
		double m = 0;
		for (int i = 0; i < d->n; i++)
			m += d->values[i] * gsl_ran_discrete_pdf((size_t)i, d->table);
		return m;
	}
	}
	return 0;
}

double dist_tail(const dist *d, double x)
{
	const double *p = d->p;
	switch (d->kind) {
	case DIST_CONST:
		return x < p[0] ? 1 : 0;
	case DIST_EXP:
		return x <= 0 ? 1 : exp(-x / p[0]);
	case DIST_UNIFORM:
		return x <= p[0] ? 1 : x >= p[1] ? 0 : (p[1] - x) / (p[1] - p[0]);
	case DIST_LOGNORMAL:
		return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, log(p[0]), p[1]);
	case DIST_WEIBULL:
		return x <= 0 ? 1 : gsl_cdf_weibull_Q(x, p[0], p[1]);
	case DIST_PARETO:
		return x <= p[0] ? 1 : pow(p[0] / x, p[1]);
	case DIST_LNPARETO:
		if (x <= p[2])
			return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, log(p[0]), p[1]);
		return gsl_cdf_lognormal_Q(p[2], log(p[0]), p[1]) * pow(p[2] / x, p[3]);
	case DIST_EMPIRICAL: {
		double q = 0;
		for (int i = 0; i < d->n; i++)
			if (d->values[i] > x)
				q += gsl_ran_discrete_pdf((size_t)i, d->table);
		return q;
	}
	}
	return 0;
}

int dist_empirical(dist *d, const double *values, const double *weights, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += weights[i];
	if (n <= 0 || !(sum > 0))
		return -1;
	memset(d, 0, sizeof *d);
	d->kind = DIST_EMPIRICAL;
	d->n = n;
	d->values = xmalloc((size_t)n * sizeof *d->values);
	d->table = gsl_ran_discrete_preproc((size_t)n, weights); /* aborts on failure */
	memcpy(d->values, values, (size_t)n * sizeof *values);
	return 0;
}

void dist_clear(dist *d)
{
	if (d->kind == DIST_EMPIRICAL) {
		free(d->values);
		gsl_ran_discrete_free(d->table);
		d->values = NULL;
		d->table = NULL;
	}
}
