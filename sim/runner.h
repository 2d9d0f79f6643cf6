/*
 * runner.h - runs independent jobs (study points x replications) in
 * worker processes, and hands each job's output back to the parent.
 *
 * A job is a pure function of its index: its output is a vector of doubles
 * passed through a pipe bit for bit, so the parent gets the same vectors
 * whatever the number of workers. Results arrive in any order; the caller
 * stores them by index and merges in index order.
 */
#ifndef MX_RUNNER_H
#define MX_RUNNER_H

#include <stddef.h>

/* Computes job i into *out (malloc'd, n doubles); returns 0 or -1. */
typedef int (*run_job_fn)(long i, void *ctx, double **out, size_t *n);
/* Takes job i's output (the callee owns out). */
typedef void (*run_done_fn)(long i, void *ctx, double *out, size_t n);
/* Called in the parent after each job. */
typedef void (*run_progress_fn)(long done, long total, void *ctx);

/* Runs jobs 0..njobs-1 on `workers` processes (1: in this process).
 * Returns 0, or -1 if a job or worker failed (message printed). */
int run_jobs(long njobs, int workers, run_job_fn job, run_done_fn done, run_progress_fn progress,
	     void *ctx);

#endif
