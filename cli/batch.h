/*
 * batch.h - one scenario file being run: its study points, the output of
 * each (point, replication) job, and the writers that turn them into the
 * CSV files of its results folder.
 *
 * A job's result is packed and viewed by jobres.h.
 */
#ifndef MX_BATCH_H
#define MX_BATCH_H

#include "../models/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum { TRACE_COLS = 9 };

typedef struct {
	scn_file *f;
	scn **pt;
	long npoints;
	unsigned reps;
	char name[NAME_MAX_LEN + 1];
	int nsum, nts, nbuckets, nbins;
	char **sum_names, **ts_names;
	int nans, *ans; /* [report] answer: summary column indices */
	double **res;   /* [npoints * reps] job results (jobres.h) */
	long job0, done;
	sim_time bucket;
} batch;

/* What the command line asked for, as the manifest records it. */
typedef struct {
	bool trace;
	int argc;
	char **argv;
	double wall;    /* seconds so far */
	time_t started; /* when the command started */
} batch_run;

/* Writes every file of b's results into dir; returns 0, or -1 after
 * printing why (with the system's reason). */
int batch_write(const batch *b, const char *dir, const batch_run *run);

#endif
