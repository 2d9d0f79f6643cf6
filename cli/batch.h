/*
 * batch.h - one scenario file being run: its study points, the output of
 * each (point, replication) job, and the writers that turn them into the
 * CSV files of its results folder.
 *
 * A job's result is packed and viewed by jobres.h.
 */
#ifndef MX_BATCH_H
#define MX_BATCH_H

#include "../models/scenario/scenario.h"
#include "../sim/csvw.h"
#include "../sim/search.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The one point other than 0 built at a time (batch_point). */
typedef struct {
	scn *s; /* or NULL */
	long p;
} batch_cache;

/* A [report] target or [plan] goal: summary column m OP value, as
 * written. */
typedef struct {
	int m;
	srch_op op;
	double value;
	char *text;
} batch_target;

typedef struct batch_plan batch_plan; /* plan.h */

typedef struct batch {
	scn_file *f;
	batch_plan *plan; /* [plan]: the search (NULL: a study) */
	scn **pt;         /* [1]: point 0, kept; the others are built when used (batch_point) */
	batch_cache *cache;
	double *cost;       /* [npoints]: each point's messages per run (farm order) */
	double run_bytes;   /* the largest run of any point, at most (budget.h) */
	double point_bytes; /* the largest point's configuration */
	long npoints;
	unsigned reps;         /* replications so far (all runs in when published) */
	unsigned rep0;         /* the first replication of the current round */
	unsigned max_reps;     /* [run] precision: at most (reps without it) */
	const char *precision; /* [run] precision as written ("": none) */
	double *prec;          /* [nans]: each answer's: < 0 a share of the mean, > 0 a
				* value, 0 none */
	bool final;            /* no more rounds: published (or failed) */
	char name[NAME_MAX_LEN + 1];
	int nsum, nts, nbuckets, nbins;
	char **sum_names, **ts_names;
	int nans, *ans; /* [report] answer: summary column indices */
	int ntargets;
	batch_target *targets; /* [report] target */
	int events_col;        /* the summary column "events" (-1: none) */
	double **res;          /* [max_reps * npoints], replication by replication:
			 * res[r * npoints + p] (jobres.h) */
	long job0, done;
	sim_time bucket;
	/* mxsim run --sensitivity (sens.h) */
	bool sens_on;       /* a scenario's: sensitivity.csv is written */
	struct batch *sens; /* its runs with one assumption moved, [nsens] */
	int nsens;          /* (published with it, when all are in) */
	struct batch *of;   /* a moved run's scenario (NULL: none) */
	int assume, side;   /* which assumption, at its low (0) or high (1) value */
	bool published;
} batch;

/* What the command line asked for, as the manifest records it. */
typedef struct {
	bool trace;
	int argc;
	char **argv;
	double wall;         /* seconds so far */
	time_t started;      /* when the command started */
	const char *gnuplot; /* its version, for the manifest */
} batch_run;

/* load.c: reads and checks every point of files[0..nfiles-1] into
 * b[0..nfiles-1] (--set overrides sets); 0, or -1 after a message. Free
 * each with batch_free (also after a failure: every b[i] is zeroed first
 * or filled). */
int batch_load(batch *b, int nfiles, char **files, char **sets, int nsets);
/* The same without a word on stderr (its warnings and errors said
 * elsewhere). */
int batch_load_quiet(batch *b, int nfiles, char **files, char **sets, int nsets);
/* "METRIC OP VALUE" of b's summary columns into *t (key names the key in
 * messages); 0, or -1 after a file:line message. */
int batch_parse_target(const batch *b, const char *text, int line, const char *key,
		       batch_target *t);
void batch_free(batch *b);
/* Point p of b: point 0, or the point built last (rebuilt when another is
 * asked for, so a pointer is good until the next call). Points were all
 * checked by batch_load, so building cannot fail. */
scn *batch_point(const batch *b, long p);
/* Records what point p (built as q) needs: its cost and memory. */
void batch_note_point(batch *b, long p, scn *q);
/* mxsim check: each scenario resolved, with its study axes, on stdout. */
void batch_print(const batch *b, int n);
/* 0 if the whole command fits [run] max_memory (the least of the
 * scenarios'): every batch's results, held until written (with the trace
 * if asked), and its points in use, plus `workers` runs at once of the
 * largest; else -1 after a message. */
int batch_fits(const batch *b, int n, long workers, bool trace);

/* Whether the answer figures meet [run] precision with the replications
 * so far; says on stderr (with the file) which do not, if loud. */
bool batch_precise(const batch *b, bool loud);
/* Says on stderr which answer figures without a precision of their own
 * have a 95 % CI too wide to answer with (met_wide; the report flags them
 * too). */
void batch_wide(const batch *b);

/* Summary column m at point p over its runs: the mean, the 95 % CI
 * half-width, and with spread the least, the median and the most of a
 * run (else, and without runs, NaN). */
typedef struct {
	double mean, half, min, median, max;
} run_stats;
run_stats batch_stats(const batch *b, long p, int m, bool spread);

/* A CSV's first columns: "point" and the study axes (batch_csv_head), and
 * their values at point p (batch_csv_axes); then cols. */
void batch_csv_head(csvw *w, const study *st, const char *const *cols);
void batch_csv_axes(csvw *w, const study *st, long p);

/* Writes every file of b's results into the empty folder dirfd (named dir
 * in messages), each created new (sim/outfile.h); returns 0, or -1 after
 * printing why (with the system's reason). */
int batch_write(const batch *b, int dirfd, const char *dir, const batch_run *run);

#endif
