/*
 * zipf.c - rejection-inversion sampling of Zipf ranks (see zipf.h). H is an
 * integral of the hat function h(x) = x^-s; a draw inverts H at a uniform
 * point and accepts the nearest integer unless it falls in the rejection
 * region (rarely).
 */
#include "zipf.h"
#include "xalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

/* log1p(x)/x and expm1(x)/x, accurate near 0 */
static double helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

static double helper2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

static double h(const zipf *z, double x)
{
	return exp(-z->s * log(x));
}

static double big_h(const zipf *z, double x)
{
	double lx = log(x);
	return helper2((1 - z->s) * lx) * lx;
}

static double big_h_inv(const zipf *z, double x)
{
	double t = x * (1 - z->s);
	if (t < -1)
		t = -1;
	return exp(helper1(t) * x);
}

void zipf_init(zipf *z, unsigned long n, double s)
{
	z->n = (double)n;
	z->s = s;
	z->h_x1 = big_h(z, 1.5) - 1;
	z->h_n = big_h(z, z->n + 0.5);
	z->cut = 2 - big_h_inv(z, big_h(z, 2.5) - h(z, 2));
}

void zipf_apportion(long n, double s, const double *share, int k, int *cls)
{
	double *got = xcalloc((size_t)k, sizeof *got), sum = 0;
	int *on = xcalloc((size_t)k, sizeof *on), non = 0; /* the classes with a share */
	for (int i = 0; i < k; i++)
		if (share[i] > 0)
			on[non++] = i;
	for (long r = 0; r < n; r++) {
		double wt = pow((double)r + 1, -s);
		sum += wt;
		/* the first class furthest below its share (selects, no
		 * branches: the comparisons are unpredictable) */
		int best = on[0];
		double most = share[best] * sum - got[best];
		for (int j = 1; j < non; j++) {
			int i = on[j];
			double d = share[i] * sum - got[i];
			bool more = d > most;
			best = more ? i : best;
			most = more ? d : most;
		}
		got[best] += wt;
		cls[r] = best;
	}
	free(on);
	free(got);
}

unsigned long zipf_draw(const zipf *z, gsl_rng *r)
{
	for (;;) {
		double u = z->h_n + gsl_rng_uniform(r) * (z->h_x1 - z->h_n);
		double x = big_h_inv(z, u);
		double y = x + 0.5; /* > 0: truncation is floor, in two instructions */
		double k = y < 0x1p62 ? (double)(int64_t)y : floor(y);
		if (k < 1)
			k = 1;
		else if (k > z->n)
			k = z->n;
		if (k - x <= z->cut || u >= big_h(z, k + 0.5) - h(z, k))
			return (unsigned long)k - 1;
	}
}
