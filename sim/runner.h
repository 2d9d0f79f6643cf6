/*
 * runner.h - runs independent jobs (study points x replications) in
 * worker processes, and hands each job's output back to the parent.
 *
 * A job is a pure function of its index: its output is a vector of doubles
 * passed through a pipe bit for bit, so the parent gets the same vectors
 * whatever the number of workers. Results arrive in any order; the caller
 * stores them by index and merges in index order. Progress of the jobs
 * in progress goes through shared memory, apart from the results.
 */
#ifndef MX_RUNNER_H
#define MX_RUNNER_H

#include <stddef.h>

/* Computes job i into *out (malloc'd, n doubles); returns 0 or -1. */
typedef int (*run_job_fn)(long i, void *ctx, double **out, size_t *n);
/* Takes job i's output (the callee owns out). */
typedef void (*run_done_fn)(long i, void *ctx, double *out, size_t n);
/* What the jobs in progress last said (run_report): in any unit, e.g.
 * simulated seconds done of the job's total, and events so far. */
typedef struct {
	double done, total, events;
} run_status;

/* Called in the parent after each job, and at least once a second while
 * jobs run: live[0..nlive-1] are the jobs in progress. */
typedef void (*run_progress_fn)(long done, long total, const run_status *live, int nlive,
				void *ctx);

/* From inside a job: how far it is (for progress lines). Cheap; call it
 * as often as you like. */
void run_report(double done, double total, double events);

/* Runs jobs 0..njobs-1 on `workers` processes (1: in this process).
 * Returns 0, or -1 if a job or worker failed (message printed). */
int run_jobs(long njobs, int workers, run_job_fn job, run_done_fn done, run_progress_fn progress,
	     void *ctx);

#endif
