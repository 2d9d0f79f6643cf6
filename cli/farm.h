/*
 * farm.h - the jobs of a run farmed over Open MPI ranks (mxsim-mpi): rank
 * 0 hands out jobs one at a time, largest first, to whichever rank is
 * free, takes each job's packed output back and alone writes and publishes
 * results; the other ranks only compute. A job is named by its key (the
 * scenario, study point and replication), not by its place in a round, so
 * ranks need no state of the rounds; outputs travel as doubles bit for
 * bit and are merged by job, so the results are those of `mxsim run -j 1`.
 *
 * Without MXSIM_MPI these compile to the single-process case (one rank).
 * A rank that dies ends the whole run (Open MPI's default error handler):
 * rank 0 never publishes a scenario it has not all of.
 */
#ifndef MX_FARM_H
#define MX_FARM_H

#include "../sim/runner.h"

#include <stdbool.h>
#include <stddef.h>

/* A job's key: scenario file index, study point, replication. */
typedef struct {
	long file, point, rep;
} farm_key;

/* Rank 0: the key of job i of this round, and its cost (for largest
 * first). A worker rank: computes the job of key into *out. */
typedef void (*farm_key_fn)(long i, void *ctx, farm_key *k, double *cost);
typedef int (*farm_compute_fn)(const farm_key *k, void *ctx, double **out, size_t *n);

/* Starts MPI (a no-op without it); returns this rank, and sets *size.
 * Checks that every rank runs the same build: -1 after rank 0 said
 * otherwise. */
int farm_init(int *argc, char ***argv, int *size);
void farm_end(void);

/* Whether ok holds on every rank (a collective: every rank must call it). */
bool farm_agree(bool ok);

/* Rank 0: runs jobs 0..njobs-1 over the other ranks (in this process if
 * there are none). Returns 0, or -1 if a job failed (message printed). */
int farm_jobs(long njobs, farm_key_fn key, run_job_fn job, run_done_fn done,
	      run_progress_fn progress, void *ctx);

/* Rank 0: tells the workers there are no more jobs (a no-op without
 * workers). */
void farm_stop(void);

/* A worker rank: computes the jobs rank 0 sends until it says stop;
 * returns 0, or 1 if a job failed. */
int farm_serve(farm_compute_fn compute, void *ctx);

#endif
