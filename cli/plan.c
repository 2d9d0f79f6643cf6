/*
 * plan.c - [plan] scenarios: the search over the varied key's grid, then
 * the answer's study (see plan.h). Invariant: the grid, the candidates
 * asked for and their points depend on the scenario and the outputs of
 * earlier rounds only, so every rank and worker agrees on job (g, r).
 */
#include "plan.h"
#include "../plot/results.h"
#include "../sim/xalloc.h"
#include "jobres.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct batch_plan {
	char *vary, *goal_text, *set, **sets; /* copies (sets: the --set list + set) */
	const char *unit;
	int axis;
	bool whole, largest, mean;
	double share, confidence, step;
	double *grid; /* ordered so that meeting the goal gets likelier */
	long ngrid;
	batch_target goal;
	srch_spec spec;
	srch *s;
	srch_req *req;
	int nreq;
	bool searching;
	long shown; /* the grid index the results show: the answer, or an end */
	scn *cache;
	long cache_g;
};

static void value_text(const batch_plan *pl, long g, char *buf, size_t len)
{
	snprintf(buf, len, "%.17g", pl->grid[g]);
}

void plan_free(batch_plan *pl)
{
	if (!pl)
		return;
	free(pl->vary);
	free(pl->goal_text);
	free(pl->set);
	free(pl->sets);
	free(pl->grid);
	free(pl->goal.text);
	srch_free(pl->s);
	scn_free(pl->cache);
	free(pl);
}

/* b->f again, with the varied key as a list of one value (a key's: set
 * as --set sets it); the study's one axis in pl->axis; 0 or -1. */
static int reload(batch *b, batch_plan *pl, const scn_plan *p, char **sets, int nsets)
{
	char err[SCN_ERR], v[64];
	value_text(pl, 0, v, sizeof v);
	pl->sets = xcalloc((size_t)nsets + 1, sizeof *pl->sets);
	if (nsets)
		memcpy(pl->sets, sets, (size_t)nsets * sizeof *sets);
	if (p->axis < 0) {
		pl->set = xasprintf("%s=${%s}", pl->vary, v);
		pl->sets[nsets++] = pl->set;
	}
	scn_file *f;
	if (scn_load(scn_file_path(b->f), pl->sets, nsets, &f, err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	int axis = p->axis; /* p is point 0's, gone next */
	scn_free(b->pt[0]);
	b->pt[0] = NULL;
	scn_file_free(b->f);
	b->f = f;
	if (scn_point(f, 0, &b->pt[0], err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	const study *st = scn_file_study(f);
	pl->axis = axis < 0 ? st->naxes - 1 : axis;
	for (int a = 0; a < st->naxes; a++)
		if (a != pl->axis) {
			fprintf(stderr,
				"%s:%d: a [plan] searches one value: remove the study list here, "
				"or plan each of its values in a file of its own\n",
				scn_file_path(f), st->axes[a].line);
			return -1;
		}
	return 0;
}

/* The first runs of a candidate, its most, and all at most; 0 or -1. */
static int runs(batch *b, batch_plan *pl, const scn_plan *p)
{
	long first = pl->mean ? 10 : srch_first_runs(pl->share, pl->confidence);
	long reps = scn_replications(b->pt[0]);
	pl->spec.n0 = reps > first ? reps : first;
	pl->spec.cap = 8 * pl->spec.n0;
	pl->spec.max_runs = p->max_runs;
	if (5 * pl->spec.n0 > p->max_runs) {
		fprintf(stderr,
			"%s:%d: max_runs: %ld is too few: each value needs %ld runs first (%s at "
			"%g %% confidence), and the first round runs five values (the range's "
			"ends and three between)\n",
			scn_file_path(b->f), p->runs_line, p->max_runs, pl->spec.n0,
			pl->mean ? "the mean's interval" : "the share of runs",
			100 * pl->confidence);
		return -1;
	}
	return 0;
}

/* The grid, ordered so that meeting the goal gets likelier; 0 or -1. */
static int grid(batch *b, batch_plan *pl, const scn_plan *p)
{
	pl->ngrid = srch_grid(p->lo, p->hi, p->step, p->whole, 1000000, &pl->grid);
	if (!pl->ngrid) {
		fprintf(stderr,
			"%s:%d: range and resolution make over a million values: "
			"coarsen the resolution\n",
			scn_file_path(b->f), p->line);
		return -1;
	}
	for (long i = 0; pl->largest && i < pl->ngrid / 2; i++) {
		double t = pl->grid[i];
		pl->grid[i] = pl->grid[pl->ngrid - 1 - i];
		pl->grid[pl->ngrid - 1 - i] = t;
	}
	return 0;
}

/* Both ends of the range build; 0 or -1. */
static int ends(const batch *b, const batch_plan *pl)
{
	for (long g = 0; g<pl->ngrid; g += pl->ngrid - 1> 0 ? pl->ngrid - 1 : 1) {
		char err[SCN_ERR], v[64];
		scn *q;
		value_text(pl, g, v, sizeof v);
		if (scn_point_as(b->f, pl->axis, v, &q, err)) {
			fprintf(stderr,
				"%s\nmxsim: (with [plan] vary = %s at %s, an end of its "
				"range)\n",
				err, pl->vary, v);
			return -1;
		}
		scn_free(q);
	}
	return 0;
}

int plan_load(batch *b, const scn_plan *p, char **sets, int nsets)
{
	batch_plan *pl = b->plan = xcalloc(1, sizeof *pl);
	*pl = (batch_plan){.vary = xstrdup(p->vary),
			   .goal_text = xstrdup(p->goal),
			   .unit = p->unit,
			   .whole = p->whole,
			   .largest = p->largest,
			   .mean = p->mean,
			   .share = p->share,
			   .confidence = p->confidence,
			   .step = p->step,
			   .searching = true,
			   .cache_g = -1};
	int line;
	if (*scn_precision(b->pt[0], &(unsigned){0}, &line)) {
		fprintf(stderr, "%s:%d: precision: a [plan] decides its runs itself; remove it\n",
			scn_file_path(b->f), line);
		return -1;
	}
	if (batch_parse_target(b, pl->goal_text, p->goal_line, "goal", &pl->goal) ||
	    grid(b, pl, p) || runs(b, pl, p) || reload(b, pl, p, sets, nsets) || ends(b, pl))
		return -1; /* p is gone after reload */
	pl->spec.mean = pl->mean;
	pl->spec.share = pl->share;
	pl->spec.confidence = pl->confidence;
	pl->spec.op = pl->goal.op;
	pl->spec.goal = pl->goal.value;
	pl->s = srch_new(pl->ngrid, &pl->spec);
	b->npoints = 1;
	b->reps = (unsigned)pl->spec.n0;
	b->max_reps = (unsigned)pl->spec.cap;
	return 0;
}

bool plan_searching(const batch *b)
{
	return b->plan->searching;
}

/* The candidate the results show. */
static const srch_cand *shown(const batch_plan *pl)
{
	const srch_cand *c;
	int n = srch_candidates(pl->s, &c);
	for (int i = 0; i < n; i++)
		if (c[i].g == pl->shown)
			return &c[i];
	return NULL;
}

/* The search has ended: b becomes the one-point study of the answer (or
 * of the end nearest to meeting the goal), with the runs it had. */
static long answer_study(batch *b)
{
	batch_plan *pl = b->plan;
	long g = srch_answer(pl->s);
	pl->shown = g >= 0 ? g : pl->ngrid - 1;
	b->reps = (unsigned)shown(pl)->runs; /* an end or the answer: always tried */
	char v[64], err[SCN_ERR];
	value_text(pl, pl->shown, v, sizeof v);
	scn_file_fix_value(b->f, pl->axis, v);
	scn_free(b->pt[0]);
	if (scn_point(b->f, 0, &b->pt[0], err)) {
		fprintf(stderr, "mxsim: internal error: the plan's answer, checked, now: %s\n",
			err);
		abort();
	}
	batch_note_point(b, 0, b->pt[0]);
	b->precision = ""; /* was the old point's text: a plan has none */
	b->rep0 = 0;
	b->done = 0;
	return b->reps;
}

long plan_round(batch *b)
{
	batch_plan *pl = b->plan;
	if (!pl->searching)
		return 0;
	pl->nreq = srch_next(pl->s, &pl->req);
	long n = 0;
	for (int i = 0; i < pl->nreq; i++)
		n += pl->req[i].to - pl->req[i].from;
	if (n)
		return n;
	pl->searching = false;
	return answer_study(b);
}

void plan_job(const batch *b, long local, long *g, unsigned *r)
{
	const batch_plan *pl = b->plan;
	if (!pl->searching) {
		*g = pl->shown;
		*r = (unsigned)local;
		return;
	}
	for (int i = 0; i < pl->nreq; i++) {
		long n = pl->req[i].to - pl->req[i].from;
		if (local < n) {
			*g = pl->req[i].g;
			*r = (unsigned)(pl->req[i].from + local);
			return;
		}
		local -= n;
	}
	abort(); /* a job past the round's */
}

scn *plan_point(const batch *b, long g)
{
	batch_plan *pl = b->plan;
	if (pl->cache_g != g) {
		char err[SCN_ERR], v[64];
		scn_free(pl->cache);
		pl->cache = NULL;
		value_text(pl, g, v, sizeof v);
		if (scn_point_as(b->f, pl->axis, v, &pl->cache, err)) {
			fprintf(stderr, "mxsim: internal error: the plan's value %s: %s\n", v, err);
			abort();
		}
		pl->cache_g = g;
	}
	return pl->cache;
}

void plan_done(batch *b, long g, unsigned r, const double *out)
{
	srch_add(b->plan->s, g, r, jobres_view(b, out).summary[b->plan->goal.m]);
}

static const char *const verdicts[] = {
	[SRCH_UNDECIDED] = "undecided", [SRCH_MET] = "met", [SRCH_MISSED] = "missed"};
/* still undecided at the cap: counted as missed */
static const char capped[] = "capped";
static const char *const outcomes[] = {[SRCH_RUNNING] = "running",
				       [SRCH_FOUND] = "found",
				       [SRCH_EVERYWHERE] = "everywhere",
				       [SRCH_NOWHERE] = "nowhere",
				       [SRCH_BUDGET] = "max_runs"};

void plan_write(const batch *b, csvw *w)
{
	const batch_plan *pl = b->plan;
	const char *const cols[] = {"value",      "runs", "met",  "share",   "share_low",
				    "share_high", "mean", "ci95", "verdict", NULL};
	for (int i = 0; cols[i]; i++)
		csvw_str(w, cols[i]);
	csvw_end(w);
	const srch_cand *c;
	int n = srch_candidates(pl->s, &c);
	for (int k = 0; k < n; k++) {
		const srch_cand *x = &c[pl->largest ? n - 1 - k : k]; /* by value */
		csvw_num(w, pl->grid[x->g]);
		csvw_int(w, x->runs);
		csvw_int(w, x->met);
		csvw_num(w, x->share);
		csvw_num(w, x->low);
		csvw_num(w, x->high);
		csvw_num(w, x->mean);
		csvw_num(w, x->half);
		csvw_str(w, x->v == SRCH_UNDECIDED && x->runs >= pl->spec.cap ? capped
									      : verdicts[x->v]);
		csvw_end(w);
	}
}

void plan_manifest(const batch *b, FILE *f)
{
	const batch_plan *pl = b->plan;
	long g = srch_answer(pl->s);
	const srch_cand *c = shown(pl);
	char *v[RS_PLAN_N] = {
		[RS_PLAN_vary] = xstrdup(pl->vary),
		[RS_PLAN_goal] = xstrdup(pl->goal_text),
		[RS_PLAN_in] =
			pl->mean ? xstrdup("mean") : xasprintf("%.10g%% of runs", 100 * pl->share),
		[RS_PLAN_confidence] = xasprintf("%.10g%%", 100 * pl->confidence),
		[RS_PLAN_seek] = xstrdup(pl->largest ? "largest" : "smallest"),
		[RS_PLAN_unit] = xstrdup(pl->unit),
		[RS_PLAN_outcome] = xstrdup(outcomes[srch_outcome_of(pl->s)]),
		[RS_PLAN_value] = g >= 0 ? xasprintf("%.17g", pl->grid[g]) : xstrdup(""),
		[RS_PLAN_shown] = xasprintf("%.17g", pl->grid[pl->shown]),
		[RS_PLAN_share_low] = c && !pl->mean ? xasprintf("%.6g", c->low) : xstrdup(""),
		[RS_PLAN_runs] = xasprintf("%ld", srch_runs(pl->s)),
	};
	for (int k = 0; k < RS_PLAN_N; k++) {
		fprintf(f, "%s = %s\n", rs_plan_keys[k], v[k]);
		free(v[k]);
	}
}

void plan_print(const batch *b)
{
	const batch_plan *pl = b->plan;
	double lo = pl->grid[pl->largest ? pl->ngrid - 1 : 0];
	double hi = pl->grid[pl->largest ? 0 : pl->ngrid - 1];
	printf("; plan: the %s %s from %.17g to %.17g%s%s (%ld values) with %s",
	       pl->largest ? "largest" : "smallest", pl->vary, lo, hi, *pl->unit ? " " : "",
	       pl->unit, pl->ngrid, pl->goal_text);
	if (pl->mean)
		printf(" on the mean");
	else
		printf(" in at least %.10g %% of runs", 100 * pl->share);
	printf(", at %.10g %% confidence\n; plan: %ld runs per value first, up to %ld; "
	       "%ld runs at most in all\n",
	       100 * pl->confidence, pl->spec.n0, pl->spec.cap, pl->spec.max_runs);
}

void plan_scenario_note(const batch *b, FILE *f)
{
	const batch_plan *pl = b->plan;
	fprintf(f, "; this file runs the plan again; its results are the runs of %s = %.17g (%s)\n",
		pl->vary, pl->grid[pl->shown],
		srch_answer(pl->s) >= 0 ? "the answer" : "no answer: the end nearest to one");
}
