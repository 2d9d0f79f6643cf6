/*
 * search.c - noisy bisection over a grid (see search.h).
 *
 * A search's life:
 *
 *   first round ---> ends and quarters run (srch_next: start)
 *        |
 *        v
 *   a candidate undecided in play? --yes--> its runs doubled (pending)
 *        | no
 *        v
 *   the last missed (NOWHERE) / the first met (EVERYWHERE)? --> ended
 *        | no
 *        v
 *   bracket (L, H) one step wide? --yes--> FOUND: H
 *        | no
 *        v
 *   its quarters run (quarters) -----------> back to the top
 *
 * and at any round whose runs would pass max_runs: BUDGET (verdicts).
 */
#include "search.h"
#include "xalloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct srch {
	srch_spec sp;
	long ngrid, runs;
	srch_cand *c; /* in the order tried */
	int n, cap;
	srch_req *req;
	int nreq, reqcap;
	srch_outcome out;
	long answer;
	bool started;
};

long srch_first_runs(double share, double confidence)
{
	if (!(share > 0 && share < 1))
		return share > 0 ? 0 : 1;
	double n = log((1 - confidence) / 2) / log(share);
	return (long)ceil(n - 1e-9);
}

/* The p-quantile of Beta(a, b) by bisection on its distribution function
 * (gsl_cdf_beta_Pinv fails to converge for some a, b near 1 - p). */
static double beta_inv(double p, double a, double b)
{
	double lo = 0, hi = 1;
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;
		*(gsl_cdf_beta_P(mid, a, b) < p ? &lo : &hi) = mid;
	}
	return (lo + hi) / 2;
}

void srch_interval(long k, long n, double confidence, double *low, double *high)
{
	double a = (1 - confidence) / 2;
	*low = k > 0 ? beta_inv(a, (double)k, (double)(n - k + 1)) : 0;
	*high = k < n ? beta_inv(1 - a, (double)(k + 1), (double)(n - k)) : 1;
}

bool srch_meets(srch_op op, double goal, double x)
{
	switch (op) {
	case SRCH_LT:
		return x < goal;
	case SRCH_LE:
		return x <= goal;
	case SRCH_EQ:
		return x == goal;
	case SRCH_GE:
		return x >= goal;
	default:
		return x > goal;
	}
}

long srch_grid(double lo, double hi, double step, bool whole, long max, double **out)
{
	if (whole)
		lo = ceil(lo), hi = floor(hi);
	long n = 0, cap = 64;
	double *g = xmalloc((size_t)cap * sizeof *g);
	for (long k = 0; !n || g[n - 1] < hi; k++) {
		double v = step > 0 ? lo + (double)k * step : lo * pow(1 - step, (double)k);
		if (whole) /* a step of 1 at least */
			v = n && round(v) <= g[n - 1] ? g[n - 1] + 1 : round(v);
		if (n == max) {
			free(g);
			return 0;
		}
		if (n == cap)
			g = xrealloc(g, (size_t)(cap *= 2) * sizeof *g);
		g[n++] = v < hi ? v : hi;
	}
	*out = g;
	return n;
}

srch *srch_new(long ngrid, const srch_spec *spec)
{
	srch *s = xcalloc(1, sizeof *s);
	s->sp = *spec;
	s->ngrid = ngrid;
	s->answer = -1;
	return s;
}

void srch_free(srch *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		free(s->c[i].x);
		free(s->c[i].have);
	}
	free(s->c);
	free(s->req);
	free(s);
}

static srch_cand *find(const srch *s, long g)
{
	for (int i = 0; i < s->n; i++)
		if (s->c[i].g == g)
			return &s->c[i];
	return NULL;
}

void srch_add(srch *s, long g, long r, double x)
{
	srch_cand *c = find(s, g);
	if (!c || r < 0 || r >= s->sp.cap || c->have[r])
		abort(); /* a run nobody asked for: the caller's bug */
	c->x[r] = x;
	c->have[r] = 1;
}

/* c's figures and verdict from its runs (all in: a round is whole). */
static void judge(const srch_spec *sp, srch_cand *c)
{
	long n = 0, k = 0;
	while (n < sp->cap && c->have[n])
		k += srch_meets(sp->op, sp->goal, c->x[n]), n++;
	double a = (1 - sp->confidence) / 2;
	c->runs = n;
	c->met = k;
	c->share = n ? (double)k / (double)n : NAN;
	srch_interval(k, n, sp->confidence, &c->low, &c->high);
	c->mean = n ? gsl_stats_mean(c->x, 1, (size_t)n) : NAN;
	c->half = n > 1 ? gsl_cdf_tdist_Pinv(1 - a, (double)(n - 1)) *
				  gsl_stats_sd_m(c->x, 1, (size_t)n, c->mean) / sqrt((double)n)
			: NAN;
	if (isinf(c->mean))
		c->half = 0; /* a value never reached: so is the mean */
	if (!sp->mean) {
		c->v = c->low >= sp->share   ? SRCH_MET
		       : c->high < sp->share ? SRCH_MISSED
					     : SRCH_UNDECIDED;
		return;
	}
	double lo = c->mean - c->half, hi = c->mean + c->half;
	bool in = sp->op == SRCH_EQ && lo <= sp->goal && sp->goal <= hi;
	c->v = isnan(c->half) ? SRCH_UNDECIDED
	       : srch_meets(sp->op, sp->goal, lo) && srch_meets(sp->op, sp->goal, hi) ? SRCH_MET
	       : !srch_meets(sp->op, sp->goal, lo) && !srch_meets(sp->op, sp->goal, hi) && !in
		       ? SRCH_MISSED
		       : SRCH_UNDECIDED;
}

/* Whether c may still be run more: undecided, under the cap. */
static bool open_cand(const srch *s, const srch_cand *c)
{
	return c && c->v == SRCH_UNDECIDED && c->runs < s->sp.cap;
}

static bool met(const srch_cand *c)
{
	return c && c->v == SRCH_MET;
}

static void ask(srch *s, long g, long from, long to)
{
	if (s->nreq == s->reqcap) {
		s->reqcap = s->reqcap ? 2 * s->reqcap : 8;
		s->req = xrealloc(s->req, (size_t)s->reqcap * sizeof *s->req);
	}
	s->req[s->nreq++] = (srch_req){g, from, to};
}

/* Candidate g tried for the first time: its n0 runs. */
static void start_cand(srch *s, long g)
{
	if (find(s, g))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->c = xrealloc(s->c, (size_t)s->cap * sizeof *s->c);
	}
	s->c[s->n++] = (srch_cand){.g = g,
				   .x = xcalloc((size_t)s->sp.cap, sizeof(double)),
				   .have = xcalloc((size_t)s->sp.cap, 1)};
	ask(s, g, 0, s->sp.n0);
}

/* The bracket: *h the first met (ngrid if none), *l the last before it
 * not met (-1 if none tried). */
static void bracket(const srch *s, long *l, long *h)
{
	*h = s->ngrid;
	for (int i = 0; i < s->n; i++)
		if (met(&s->c[i]) && s->c[i].g < *h)
			*h = s->c[i].g;
	*l = -1;
	for (int i = 0; i < s->n; i++)
		if (!met(&s->c[i]) && s->c[i].g < *h && s->c[i].g > *l)
			*l = s->c[i].g;
}

/* Doubles the runs of every open candidate that decides the answer: the
 * ends, and those in [l, h) (l itself may be open: not yet shown to
 * meet). Returns how many. */
static int pending(srch *s, long l, long h)
{
	int k = 0;
	for (int i = 0; i < s->n; i++) {
		srch_cand *c = &s->c[i];
		bool end = c->g == 0 || c->g == s->ngrid - 1;
		if (open_cand(s, c) && (end || (c->g >= l && c->g < h))) {
			long to = 2 * c->runs < s->sp.cap ? 2 * c->runs : s->sp.cap;
			ask(s, c->g, c->runs, to);
			k++;
		}
	}
	return k;
}

/* The round after all asked for is in: its requests, or the outcome. */
static void step(srch *s)
{
	for (int i = 0; i < s->n; i++)
		judge(&s->sp, &s->c[i]);
	long l, h, last = s->ngrid - 1;
	bracket(s, &l, &h);
	const srch_cand *top = find(s, last), *bottom = find(s, 0);
	if (met(bottom)) {
		s->out = SRCH_EVERYWHERE, s->answer = 0;
	} else if (!open_cand(s, top) && !met(top)) {
		s->out = SRCH_NOWHERE;
	} else if (!pending(s, l, h)) {
		if (h - l <= 1) {
			s->out = SRCH_FOUND, s->answer = h;
			return;
		}
		for (int j = 1; j <= 3; j++) {
			long g = l + (h - l) * j / 4;
			if (g > l && g < h)
				start_cand(s, g);
		}
	}
}

int srch_next(srch *s, srch_req **req)
{
	s->nreq = 0;
	if (s->out != SRCH_RUNNING)
		return 0;
	if (!s->started) {
		s->started = true;
		long last = s->ngrid - 1;
		long g[] = {0, last / 4, last / 2, last - last / 4, last};
		for (int j = 0; j < 5; j++)
			start_cand(s, g[j]);
	} else {
		step(s);
	}
	long more = 0;
	for (int i = 0; i < s->nreq; i++)
		more += s->req[i].to - s->req[i].from;
	if (s->out == SRCH_RUNNING && s->runs + more > s->sp.max_runs) {
		s->nreq = 0;
		long l, h;
		bracket(s, &l, &h);
		s->out = SRCH_BUDGET;
		s->answer = h < s->ngrid ? h : -1;
		more = 0;
	}
	s->runs += more;
	*req = s->req;
	return s->nreq;
}

srch_outcome srch_outcome_of(const srch *s)
{
	return s->out;
}

long srch_answer(const srch *s)
{
	return s->answer;
}

long srch_runs(const srch *s)
{
	return s->runs;
}

static int by_g(const void *a, const void *b)
{
	long x = ((const srch_cand *)a)->g, y = ((const srch_cand *)b)->g;
	return (x > y) - (x < y);
}

int srch_candidates(const srch *s, const srch_cand **c)
{
	qsort(s->c, (size_t)s->n, sizeof *s->c, by_g);
	*c = s->c;
	return s->n;
}
