/*
 * search.h - the first value of an ordered grid that meets a goal, found
 * by noisy bisection (stochastic root finding): each candidate is run
 * until a confidence bound decides it, and the bracket between the last
 * candidate shown to miss and the first shown to meet shrinks fourfold a
 * round (three new candidates at its quarters, run at once).
 *
 * The grid is ordered so that meeting the goal gets likelier along it
 * (the caller reverses it to seek the largest value). A candidate's runs
 * are its replications 0, 1, ...: replication r of every candidate gets the
 * same random numbers (the caller's seeds), so candidates are compared on
 * common random numbers. Invariant: every decision depends only on the
 * values added, never on the order they came in, so the answer is the
 * same for any number of workers.
 *
 * A candidate is met when the goal holds with the stated confidence:
 * in share mode, the lower end of the exact (Clopper-Pearson) interval of
 * the share of runs meeting the goal is at least the share wanted; in mean
 * mode, the goal holds over the whole Student-t interval of the mean. It
 * is missed when the interval lies wholly on the other side; otherwise
 * undecided, and given twice its runs, up to `cap`. Still undecided at the
 * cap, it counts as missed: the answer is always a candidate shown to meet.
 */
#ifndef MX_SEARCH_H
#define MX_SEARCH_H

#include <stdbool.h>

typedef enum { SRCH_LT, SRCH_LE, SRCH_EQ, SRCH_GE, SRCH_GT } srch_op;

typedef struct {
	bool mean;         /* the mean's interval, not a share of runs */
	double share;      /* the share of runs wanted (share mode), in (0, 1) */
	double confidence; /* of the intervals, in (0, 1) */
	srch_op op;        /* a run meets the goal when value OP goal */
	double goal;
	long n0;       /* a candidate's first runs (srch_first_runs at least) */
	long cap;      /* a candidate's runs at most */
	long max_runs; /* all candidates' runs at most */
} srch_spec;

/* Runs from .. to-1 of grid candidate g, asked for by srch_next. */
typedef struct {
	long g;
	long from, to;
} srch_req;

typedef enum { SRCH_UNDECIDED, SRCH_MET, SRCH_MISSED } srch_verdict;

typedef struct {
	long g;
	long runs, met;          /* runs so far, those meeting the goal */
	double share, low, high; /* the share of runs meeting it, its interval */
	double mean, half;       /* the value's mean and interval half-width */
	srch_verdict v;          /* UNDECIDED at the cap counts as missed */
	double *x;               /* [cap]: the values of its runs */
	unsigned char *have;     /* [cap]: which are in */
} srch_cand;

typedef enum {
	SRCH_RUNNING,
	SRCH_FOUND,      /* the first candidate met, the one before it missed */
	SRCH_EVERYWHERE, /* the grid's first candidate met */
	SRCH_NOWHERE,    /* its last did not */
	SRCH_BUDGET      /* max_runs reached first: the best met so far, if any */
} srch_outcome;

typedef struct srch srch;

/* The fewest runs that can show a share of runs (at the confidence), all
 * of them meeting it; 0 if none can (a share of 1). */
long srch_first_runs(double share, double confidence);
/* The exact (Clopper-Pearson) interval of a share, k of n, at the
 * confidence (two-sided): [0, 1] for n = 0. */
void srch_interval(long k, long n, double confidence, double *low, double *high);
/* Whether value x of a run meets op goal (NaN never does). */
bool srch_meets(srch_op op, double goal, double x);

/* The grid lo .. hi by step (> 0), or by a share of the value (step < 0;
 * lo > 0), hi last, rounded to whole numbers if whole (each once), into a
 * new *out: its length, or 0 if over max values. */
long srch_grid(double lo, double hi, double step, bool whole, long max, double **out);

srch *srch_new(long ngrid, const srch_spec *spec);
void srch_free(srch *s);
/* The next round's runs into *req (the search owns it; valid until the
 * next call): their count, 0 once the search has ended. */
int srch_next(srch *s, srch_req **req);
/* Run r of candidate g came out as x (the goal's figure). */
void srch_add(srch *s, long g, long r, double x);

srch_outcome srch_outcome_of(const srch *s);
/* The answer's grid index (-1: none), and all runs so far. */
long srch_answer(const srch *s);
long srch_runs(const srch *s);
/* The candidates tried, in grid order. */
int srch_candidates(const srch *s, const srch_cand **c);

#endif
