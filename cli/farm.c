/*
 * farm.c - jobs over Open MPI ranks (see farm.h).
 *
 * Protocol, rank 0 with each worker w:
 *
 *   rank 0                                   worker w
 *     MSG_JOB {file, point, rep}  ------>     computes it
 *             <------  MSG_RESULT doubles     (MSG_FAILED: the job failed)
 *     ... until no job is left, then
 *     MSG_JOB {-1, -1, -1} (stop)  ------>    returns from farm_serve
 *
 * Rank 0 keeps every worker busy: it sends a job, waits for any result,
 * and sends that rank the next job; jobs go out largest first so the
 * longest ones do not come last. It waits by polling every millisecond,
 * so it costs next to nothing where it shares a core with a worker.
 */
#include "farm.h"
#include "../sim/xalloc.h"
#include "version.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef MXSIM_MPI
#include <mpi.h>

enum { MSG_JOB = 1, MSG_RESULT, MSG_FAILED };

static int nranks = 1;

int farm_init(int *argc, char ***argv, int *size)
{
	int rank;
	MPI_Init(argc, argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	*size = nranks;
	/* every rank must run the same build: rank 0's stamp against each */
	char mine[128] = {0}, first[128];
	snprintf(mine, sizeof mine, "%s %s", MXSIM_VERSION, MXSIM_COMMIT);
	memcpy(first, mine, sizeof first);
	MPI_Bcast(first, sizeof first, MPI_CHAR, 0, MPI_COMM_WORLD);
	int differ = strcmp(first, mine) != 0, any = 0;
	MPI_Allreduce(&differ, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
	if (any) {
		if (rank == 0)
			fprintf(stderr,
				"mxsim: the MPI ranks run different builds of mxsim (rank 0: %s); "
				"install one build everywhere\n",
				first);
		return -1;
	}
	return rank;
}

void farm_end(void)
{
	MPI_Finalize();
}

bool farm_agree(bool ok)
{
	int mine = ok, all = 0;
	MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	return all;
}

typedef struct {
	long i;
	double cost;
	farm_key k;
} order;

static int by_cost(const void *a, const void *b)
{
	const order *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void send_job(const order *o, int to)
{
	long msg[3] = {o->k.file, o->k.point, o->k.rep};
	MPI_Send(msg, 3, MPI_LONG, to, MSG_JOB, MPI_COMM_WORLD);
}

int farm_jobs(long njobs, farm_key_fn key, run_job_fn job, run_done_fn done,
	      run_progress_fn progress, void *ctx)
{
	if (nranks == 1)
		return run_jobs(njobs, 1, job, done, progress, ctx);
	order *o = xcalloc((size_t)njobs, sizeof *o);
	for (long i = 0; i < njobs; i++) {
		o[i].i = i;
		key(i, ctx, &o[i].k, &o[i].cost);
	}
	qsort(o, (size_t)njobs, sizeof *o, by_cost);
	long *on = xcalloc((size_t)nranks, sizeof *on), next = 0, finished = 0;
	int rc = 0;
	double busy = 0; /* rank 0's own time per job: receiving, merging, sending */
	for (int w = 1; w < nranks && next < njobs; w++) {
		on[w] = o[next].i;
		send_job(&o[next++], w);
	}
	while (finished < njobs) {
		MPI_Status st;
		int count, ready = 0;
		while (!ready) { /* polled, not spun: rank 0 may share a core */
			MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &st);
			if (!ready)
				nanosleep(&(struct timespec){0, 1000000}, NULL);
		}
		MPI_Get_count(&st, MPI_DOUBLE, &count);
		double t = now();
		double *out = xmalloc((size_t)(count ? count : 1) * sizeof *out);
		MPI_Recv(out, count, MPI_DOUBLE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		long i = on[st.MPI_SOURCE];
		if (next < njobs) {
			on[st.MPI_SOURCE] = o[next].i;
			send_job(&o[next++], st.MPI_SOURCE);
		}
		finished++;
		if (st.MPI_TAG == MSG_FAILED) {
			fprintf(stderr, "mxsim: job %ld failed on rank %d\n", i, st.MPI_SOURCE);
			free(out);
			rc = -1;
		} else {
			done(i, ctx, out, (size_t)count);
		}
		if (progress)
			progress(finished, njobs, NULL, 0, ctx);
		busy += now() - t;
	}
	if (getenv("MXSIM_FARM_STATS")) /* for make bench */
		fprintf(stderr, "farm: %ld jobs over %d workers, rank 0 busy %.6f s per job\n",
			njobs, nranks - 1, busy / (double)njobs);
	free(on);
	free(o);
	return rc;
}

void farm_stop(void)
{
	long stop[3] = {-1, -1, -1};
	for (int w = 1; w < nranks; w++)
		MPI_Send(stop, 3, MPI_LONG, w, MSG_JOB, MPI_COMM_WORLD);
}

int farm_serve(farm_compute_fn compute, void *ctx)
{
	int rc = 0;
	for (;;) {
		long msg[3];
		MPI_Recv(msg, 3, MPI_LONG, 0, MSG_JOB, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		if (msg[0] < 0)
			return rc;
		farm_key k = {msg[0], msg[1], msg[2]};
		double *out = NULL;
		size_t n = 0;
		int failed = compute(&k, ctx, &out, &n) != 0 || n > INT_MAX;
		rc |= failed;
		MPI_Send(out, (int)n, MPI_DOUBLE, 0, failed ? MSG_FAILED : MSG_RESULT,
			 MPI_COMM_WORLD);
		free(out);
	}
}

#else /* one process: no MPI */

int farm_init(int *argc, char ***argv, int *size)
{
	(void)argc;
	(void)argv;
	*size = 1;
	return 0;
}

void farm_end(void)
{
}

bool farm_agree(bool ok)
{
	return ok;
}

void farm_stop(void)
{
}

#endif
