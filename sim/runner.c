/*
 * runner.c - forked workers pulling job numbers from a shared counter
 * (see runner.h).
 *
 * Protocol on each worker's pipe: per job, int64 index, int64 count, then
 * count doubles; a count of -1 reports a failed job. EOF ends the worker.
 */
#include "runner.h"
#include "outfile.h"
#include "xalloc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Returns 1 on success, 0 on EOF at the start, -1 on error or short read. */
static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, p + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			return got ? -1 : 0;
		got += (size_t)k;
	}
	return 1;
}

/* Progress of the jobs in progress: a slot per worker, in memory shared
 * with the parent (one slot of this process's own for serial runs). */
static run_status *slots, serial_slot;
static int my_slot = -1;
static struct {
	run_progress_fn fn;
	void *ctx;
	long done, total;
	double last;
} serial;

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void run_report(double done, double total, double events)
{
	if (!slots || my_slot < 0)
		return;
	slots[my_slot] = (run_status){done, total, events};
	double now;
	if (serial.fn && (now = now_mono()) - serial.last >= 1) {
		serial.last = now;
		serial.fn(serial.done, serial.total, slots, 1, serial.ctx);
	}
}

static void worker(int fd, long njobs, long *counter, run_job_fn job, void *ctx)
{
	for (;;) {
		long i = __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
		if (i >= njobs)
			break;
		slots[my_slot] = (run_status){0, 0, 0};
		double *out = NULL;
		size_t n = 0;
		int64_t hdr[2] = {i, -1};
		if (job(i, ctx, &out, &n) == 0)
			hdr[1] = (int64_t)n;
		if (outfile_write_all(fd, hdr, sizeof hdr) ||
		    (hdr[1] > 0 && outfile_write_all(fd, out, n * sizeof *out)))
			_exit(1);
		free(out);
		slots[my_slot] = (run_status){0, 0, 0};
		if (hdr[1] < 0)
			_exit(1);
	}
	_exit(0);
}

static int run_serial(long njobs, run_job_fn job, run_done_fn done, run_progress_fn progress,
		      void *ctx)
{
	slots = &serial_slot;
	my_slot = 0;
	serial.fn = progress;
	serial.ctx = ctx;
	serial.total = njobs;
	serial.last = now_mono();
	for (long i = 0; i < njobs; i++) {
		double *out = NULL;
		size_t n = 0;
		serial.done = i;
		serial_slot = (run_status){0, 0, 0};
		if (job(i, ctx, &out, &n)) {
			free(out);
			return -1;
		}
		done(i, ctx, out, n);
		if (progress)
			progress(i + 1, njobs, slots, 0, ctx);
	}
	return 0;
}

/* The worker processes and the read ends of their pipes. */
typedef struct {
	pid_t *pid;
	int *fd;
	int live, open;
	long njobs, finished, *counter;
} pool;

/* Forks up to n workers; returns 0, or -1 if one could not start (those
 * started are in p->live). */
static int spawn(pool *p, int n, run_job_fn job, void *ctx)
{
	pid_t parent = getpid();
	for (int w = 0; w < n; w++) {
		int fds[2];
		if (pipe(fds)) {
			perror("mxsim: pipe");
			return -1;
		}
		p->pid[w] = fork();
		if (p->pid[w] < 0) {
			perror("mxsim: fork");
			close(fds[0]);
			close(fds[1]);
			return -1;
		}
		if (p->pid[w] == 0) {
			/* a worker ends with its parent, however the parent ends */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
				_exit(1);
			my_slot = w;
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			close(fds[0]);
			for (int k = 0; k < w; k++)
				close(p->fd[k]);
			worker(fds[1], p->njobs, p->counter, job, ctx);
		}
		close(fds[1]);
		p->fd[w] = fds[0];
		p->live++;
		p->open++;
	}
	return 0;
}

/* Reads one result from worker w; returns 0, or -1 on a failed run. */
static int take(pool *p, int w, run_done_fn done, run_progress_fn progress, void *ctx)
{
	int64_t hdr[2];
	int r = read_all(p->fd[w], hdr, sizeof hdr);
	if (r == 0) {
		close(p->fd[w]);
		p->fd[w] = -1;
		p->open--;
		return 0;
	}
	if (r < 0 || hdr[1] < 0 || hdr[0] < 0 || hdr[0] >= p->njobs) {
		fprintf(stderr, "mxsim: a run failed in a worker process\n");
		return -1;
	}
	size_t n = (size_t)hdr[1];
	double *out = xmalloc(n * sizeof *out);
	if (n && read_all(p->fd[w], out, n * sizeof *out) != 1) {
		free(out);
		fprintf(stderr, "mxsim: a worker process stopped mid-result\n");
		return -1;
	}
	done((long)hdr[0], ctx, out, n);
	p->finished++;
	if (progress)
		progress(p->finished, p->njobs, slots, p->live, ctx);
	return 0;
}

/* Takes results as they come until every worker has closed its pipe. */
static int collect(pool *p, run_done_fn done, run_progress_fn progress, void *ctx)
{
	struct pollfd pfd[p->live ? p->live : 1];
	int map[p->live ? p->live : 1];
	while (p->open > 0) {
		int m = 0;
		for (int w = 0; w < p->live; w++)
			if (p->fd[w] >= 0) {
				pfd[m] = (struct pollfd){p->fd[w], POLLIN, 0};
				map[m++] = w;
			}
		int r = poll(pfd, (nfds_t)m, 1000);
		if (r < 0 && errno != EINTR) {
			perror("mxsim: poll");
			return -1;
		}
		if (r <= 0) { /* a second without a result: say how far the runs are */
			if (progress)
				progress(p->finished, p->njobs, slots, p->live, ctx);
			continue;
		}
		for (int k = 0; k < m; k++)
			if (pfd[k].revents && take(p, map[k], done, progress, ctx))
				return -1;
	}
	return 0;
}

/* Waits for every worker (ending them first after a failure). */
static int reap(pool *p, int rc)
{
	for (int w = 0; w < p->live; w++) {
		if (p->fd[w] >= 0) {
			close(p->fd[w]);
			if (rc)
				kill(p->pid[w], SIGTERM);
		}
		int st;
		while (waitpid(p->pid[w], &st, 0) < 0 && errno == EINTR)
			;
		if (!rc && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
			fprintf(stderr, "mxsim: a worker process failed\n");
			rc = -1;
		}
	}
	if (!rc && p->finished != p->njobs) {
		fprintf(stderr, "mxsim: %ld of %ld runs came back\n", p->finished, p->njobs);
		rc = -1;
	}
	return rc;
}

int run_jobs(long njobs, int workers, run_job_fn job, run_done_fn done, run_progress_fn progress,
	     void *ctx)
{
	if (workers > njobs)
		workers = (int)(njobs ? njobs : 1);
	if (workers <= 1)
		return run_serial(njobs, job, done, progress, ctx);
	long *counter = mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counter == MAP_FAILED) {
		perror("mxsim: mmap");
		return -1;
	}
	*counter = 0;
	slots = mmap(NULL, (size_t)workers * sizeof *slots, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED) {
		perror("mxsim: mmap");
		munmap(counter, sizeof *counter);
		slots = NULL;
		return -1;
	}
	memset(slots, 0, (size_t)workers * sizeof *slots);
	fflush(NULL);
	pid_t pid[workers];
	int fd[workers];
	pool p = {pid, fd, 0, 0, njobs, 0, counter};
	int rc = spawn(&p, workers, job, ctx);
	if (rc == 0)
		rc = collect(&p, done, progress, ctx);
	rc = reap(&p, rc);
	munmap(counter, sizeof *counter);
	munmap(slots, (size_t)workers * sizeof *slots);
	slots = NULL;
	return rc;
}
