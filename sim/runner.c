/*
 * runner.c - forked workers pulling job numbers from a shared counter
 * (see runner.h).
 *
 * Protocol on each worker's pipe: per job, int64 index, int64 count, then
 * count doubles; a count of -1 reports a failed job. EOF ends the worker.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

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

static void worker(int fd, long njobs, long *counter, run_job_fn job, void *ctx)
{
	for (;;) {
		long i = __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
		if (i >= njobs)
			break;
		double *out = NULL;
		size_t n = 0;
		int64_t hdr[2] = {i, -1};
		if (job(i, ctx, &out, &n) == 0)
			hdr[1] = (int64_t)n;
		if (write_all(fd, hdr, sizeof hdr) ||
		    (hdr[1] > 0 && write_all(fd, out, n * sizeof *out)))
			_exit(1);
		free(out);
		if (hdr[1] < 0)
			_exit(1);
	}
	_exit(0);
}

int run_jobs(long njobs, int workers, run_job_fn job, run_done_fn done, run_progress_fn progress,
	     void *ctx)
{
	if (workers < 1)
		workers = 1;
	if (workers > njobs)
		workers = (int)(njobs ? njobs : 1);
	if (workers == 1) {
		for (long i = 0; i < njobs; i++) {
			double *out = NULL;
			size_t n = 0;
			if (job(i, ctx, &out, &n)) {
				free(out);
				return -1;
			}
			done(i, ctx, out, n);
			if (progress)
				progress(i + 1, njobs, ctx);
		}
		return 0;
	}
	long *counter = mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counter == MAP_FAILED) {
		perror("mxsim: mmap");
		return -1;
	}
	*counter = 0;
	fflush(NULL);
	pid_t pid[workers];
	int fd[workers];
	int rc = 0, live = 0;
	for (int w = 0; w < workers; w++) {
		int p[2];
		if (pipe(p)) {
			perror("mxsim: pipe");
			rc = -1;
			break;
		}
		pid[w] = fork();
		if (pid[w] < 0) {
			perror("mxsim: fork");
			close(p[0]);
			close(p[1]);
			rc = -1;
			break;
		}
		if (pid[w] == 0) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			close(p[0]);
			for (int k = 0; k < w; k++)
				close(fd[k]);
			worker(p[1], njobs, counter, job, ctx);
		}
		close(p[1]);
		fd[w] = p[0];
		live++;
	}
	long finished = 0;
	struct pollfd pfd[workers];
	int open = live;
	while (open > 0 && rc == 0) {
		int m = 0;
		int map[workers];
		for (int w = 0; w < live; w++)
			if (fd[w] >= 0) {
				pfd[m] = (struct pollfd){fd[w], POLLIN, 0};
				map[m++] = w;
			}
		if (poll(pfd, (nfds_t)m, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("mxsim: poll");
			rc = -1;
			break;
		}
		for (int k = 0; k < m && rc == 0; k++) {
			if (!pfd[k].revents)
				continue;
			int w = map[k];
			int64_t hdr[2];
			int r = read_all(fd[w], hdr, sizeof hdr);
			if (r == 0) {
				close(fd[w]);
				fd[w] = -1;
				open--;
				continue;
			}
			if (r < 0 || hdr[1] < 0 || hdr[0] < 0 || hdr[0] >= njobs) {
				fprintf(stderr, "mxsim: a run failed in a worker process\n");
				rc = -1;
				break;
			}
			size_t n = (size_t)hdr[1];
			double *out = malloc(n ? n * sizeof *out : 1);
			if (!out || (n && read_all(fd[w], out, n * sizeof *out) != 1)) {
				free(out);
				fprintf(stderr, "mxsim: a worker process stopped mid-result\n");
				rc = -1;
				break;
			}
			done((long)hdr[0], ctx, out, n);
			finished++;
			if (progress)
				progress(finished, njobs, ctx);
		}
	}
	for (int w = 0; w < live; w++) {
		if (fd[w] >= 0) {
			close(fd[w]);
			if (rc)
				kill(pid[w], SIGTERM);
		}
		int st;
		while (waitpid(pid[w], &st, 0) < 0 && errno == EINTR)
			;
		if (!rc && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
			fprintf(stderr, "mxsim: a worker process failed\n");
			rc = -1;
		}
	}
	if (!rc && finished != njobs) {
		fprintf(stderr, "mxsim: %ld of %ld runs came back\n", finished, njobs);
		rc = -1;
	}
	munmap(counter, sizeof *counter);
	return rc;
}
