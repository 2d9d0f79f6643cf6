/*
 * main.c - the mxsim command: run, check and plot scenarios.
 *
 * Conventions: functions return 0 or -1 and print their own messages;
 * exit status 0 success, 2 bad usage or bad scenario (nothing written),
 * 1 failure while running. Results go to a hidden temporary folder that is
 * renamed into place whole, so an interrupted run leaves no partial file.
 */
#include "../models/metrics.h"
#include "../sim/xalloc.h"
#include "../models/scenario.h"
#include "../sim/csvw.h"
#include "../sim/runner.h"
#include "../sim/units.h"
#include "../plot/plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MXSIM_VERSION
#define MXSIM_VERSION "0.1.0"
#endif

enum { TRACE_COLS = 9 };

typedef struct {
	scn_file *f;
	scn **pt;
	long npoints;
	unsigned reps;
	char name[128];
	int nsum, nts, nbuckets, nbins;
	char **sum_names, **ts_names;
	double **res; /* [npoints * reps] job outputs */
	size_t *nres;
	long job0, done;
	sim_time bucket;
} batch;

typedef struct {
	batch *b;
	int nb;
	long njobs;
	bool trace, progress;
	double t0;
	const char *out;
	int argc, failed;
	char **argv;
	sim_time simulated; /* by the runs done */
} ctx;

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mxsim run [-o DIR] [-j N] [-r REPS] [--seed S] [--set section.key=value]...\n"
		"                 [--trace] [-q] SCENARIO...\n"
		"       mxsim check [--set section.key=value]... SCENARIO...\n"
		"       mxsim plot DIR...\n"
		"       mxsim --help | --version\n"
		"\n"
		"  run     run every scenario (all study points x replications); results in\n"
		"          DIR/<scenario>/ (default DIR: results)\n"
		"  check   validate the scenarios and print them resolved; runs nothing\n"
		"  plot    draw the plots and reports of result folders (needs gnuplot)\n"
		"\n"
		"  -o DIR          output root (default: results)\n"
		"  -j N            worker processes (default 1); results identical for any N\n"
		"  -r REPS         replications (overrides [run] replications)\n"
		"      --seed S    base seed (overrides [run] seed)\n"
		"      --set K=V   override a key, e.g. --set 'server new.sessions=50'\n"
		"      --trace     also write trace.csv, one row per message\n"
		"  -q              no progress bar\n"
		"\n"
		"Exit status: 0 success, 2 bad usage or scenario, 1 failure while running.\n");
}

/* ---- jobs ------------------------------------------------------------- */

typedef struct {
	double *rows;
	size_t n, cap;
} trace_buf;

static void on_trace(void *c, const mdl_trace *t)
{
	trace_buf *b = c;
	if (t->kind == TRACE_ATTEMPT)
		return;
	if (b->n + TRACE_COLS > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4096;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	double *r = b->rows + b->n;
	r[0] = (double)t->id;
	r[1] = (double)t->birth / SIM_SEC;
	r[2] = t->kind == TRACE_QUEUED ? NAN : (double)t->now / SIM_SEC;
	r[3] = t->sender;
	r[4] = t->domain;
	r[5] = t->attempts;
	r[6] = t->kind == TRACE_DELIVERED ? 0 : t->kind == TRACE_BOUNCED ? 1 : 2;
	r[7] = t->kind == TRACE_BOUNCED ? (double)t->reason : NAN;
	r[8] = t->server;
	b->n += TRACE_COLS;
}

/* The batch of job i, and the job's study point and replication in it. */
static batch *locate(const ctx *c, long i, long *p, unsigned *r)
{
	int j = 0;
	while (j + 1 < c->nb && c->b[j + 1].job0 <= i)
		j++;
	long local = i - c->b[j].job0;
	*p = local / c->b[j].reps;
	*r = (unsigned)(local % c->b[j].reps);
	return &c->b[j];
}

/* Output: summary values, time series, latency bins, then the trace
 * (a count of doubles, then rows). */
static int job(long i, void *vc, double **out, size_t *n)
{
	ctx *c = vc;
	long p;
	unsigned r;
	batch *b = locate(c, i, &p, &r);
	scn *s = b->pt[p];
	mdl_config cfg = *scn_config(s, r);
	trace_buf tb = {0};
	if (c->trace) {
		cfg.trace = on_trace;
		cfg.trace_ctx = &tb;
	}
	mdl_result out_r;
	int rc = mdl_run(&cfg, &out_r);
	size_t nts = (size_t)out_r.nbuckets * (size_t)out_r.ncols;
	size_t nbins = out_r.latency.h->n;
	size_t len = (size_t)b->nsum + nts + nbins + 3 + 1 + tb.n;
	double *v = xmalloc(len * sizeof *v);
	met_summary_values(s, &out_r, v);
	memcpy(v + b->nsum, out_r.ts, nts * sizeof *v);
	memcpy(v + b->nsum + nts, out_r.latency.h->bin, nbins * sizeof *v);
	double *tail = v + b->nsum + nts + nbins;
	tail[0] = (double)out_r.latency.n;
	tail[1] = out_r.latency.sum;
	tail[2] = out_r.latency.max;
	tail[3] = (double)tb.n;
	if (tb.n)
		memcpy(tail + 4, tb.rows, tb.n * sizeof *v);
	free(tb.rows);
	mdl_result_free(&out_r);
	*out = v;
	*n = len;
	return rc;
}

static int publish(const batch *b, const char *root, bool trace, int argc, char **argv, double wall);

/* Stores job i's output; a scenario whose runs are all in is written out
 * at once, so an interruption later leaves it whole. */
static void job_done(long i, void *vc, double *out, size_t n)
{
	ctx *c = vc;
	long p;
	unsigned r;
	batch *b = locate(c, i, &p, &r);
	b->res[p * b->reps + r] = out;
	b->nres[p * b->reps + r] = n;
	c->simulated += scn_config(b->pt[p], r)->duration;
	if (++b->done == b->npoints * (long)b->reps &&
	    publish(b, c->out, c->trace, c->argc, c->argv, now_sec() - c->t0))
		c->failed = 1;
}

static void progress(long done, long total, void *vc)
{
	ctx *c = vc;
	if (!c->progress)
		return;
	double el = now_sec() - c->t0;
	double eta = done ? el / (double)done * (double)(total - done) : 0;
	int w = 30, fill = (int)(w * done / (total ? total : 1));
	fprintf(stderr, "\r[%.*s%*s] %ld/%ld runs  %.1f d simulated  %.0f s  ETA %.0f s ", fill,
		"==============================", w - fill, "", done, total,
		(double)c->simulated / SIM_DAY, el, eta);
	if (done == total)
		fprintf(stderr, "\n");
}

/* ---- output ------------------------------------------------------------ */

static char tmp_dir[4096];
static const char *const out_files[] = {"summary.csv",  "aggregate.csv", "timeseries.csv",
					"latency.csv",  "points.csv",	 "servers.csv",
					"trace.csv",    "scenario.ini",	 "manifest.ini", NULL};

static void remove_dir_files(const char *dir)
{
	char p[4400];
	for (int i = 0; out_files[i]; i++) {
		snprintf(p, sizeof p, "%.4200s/%s", dir, out_files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a folder and what it holds (links are not followed). */
static int remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether root/name is free or an earlier result that may be replaced
 * (an empty folder is removed); says why not. */
static bool replaceable(const char *root, const char *name)
{
	char final[4200], mark[4300];
	snprintf(final, sizeof final, "%s/%s", root, name);
	snprintf(mark, sizeof mark, "%s/manifest.ini", final);
	if (access(final, F_OK) != 0 || access(mark, F_OK) == 0 || rmdir(final) == 0)
		return true;
	fprintf(stderr, "mxsim: %s exists and holds no mxsim results; remove it or choose -o\n", final);
	return false;
}

/* Removes hidden folders left by killed runs (their process is gone). */
static void remove_stale(const char *root, const char *name)
{
	DIR *d = opendir(root);
	if (!d)
		return;
	char prefix[200], path[4200];
	snprintf(prefix, sizeof prefix, ".%s.tmp-", name);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		int pid = atoi(e->d_name + strlen(prefix));
		if (pid > 0 && (pid == getpid() || (kill(pid, 0) && errno == ESRCH))) {
			snprintf(path, sizeof path, "%s/%s", root, e->d_name);
			remove_tree(path);
		}
	}
	closedir(d);
}

/* Interrupted: drop the folder being written (async-signal-safe calls). */
static void on_signal(int sig)
{
	if (tmp_dir[0])
		remove_dir_files(tmp_dir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void axes_header(csvw *w, const study *st)
{
	for (int a = 0; a < st->naxes; a++)
		csvw_str(w, st->axes[a].name);
}

static void axes_values(csvw *w, const study *st, long p)
{
	long q = p;
	int idx[st->naxes ? st->naxes : 1];
	for (int a = st->naxes - 1; a >= 0; a--) {
		idx[a] = (int)(q % st->axes[a].nvalues);
		q /= st->axes[a].nvalues;
	}
	for (int a = 0; a < st->naxes; a++)
		csvw_str(w, st->axes[a].values[idx[a]]);
}

/* "point", the study axes, then the given columns. */
static void head(csvw *w, const study *st, const char *const *cols)
{
	csvw_str(w, "point");
	axes_header(w, st);
	for (; *cols; cols++)
		csvw_str(w, *cols);
}

static const double *result(const batch *b, long p, unsigned r)
{
	return b->res[p * b->reps + r];
}

static void write_summary(const batch *b, const study *st, csvw *w)
{
	csvw_str(w, "point");
	csvw_str(w, "replication");
	csvw_str(w, "seed");
	axes_header(w, st);
	for (int m = 0; m < b->nsum; m++)
		csvw_str(w, b->sum_names[m]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (unsigned r = 0; r < b->reps; r++) {
			char sd[32];
			snprintf(sd, sizeof sd, "%llu", (unsigned long long)scn_seed(b->pt[p], r));
			csvw_int(w, p);
			csvw_int(w, r);
			csvw_str(w, sd);
			axes_values(w, st, p);
			for (int m = 0; m < b->nsum; m++)
				csvw_num(w, result(b, p, r)[m]);
			csvw_end(w);
		}
}

static void write_aggregate(const batch *b, const study *st, csvw *w)
{
	head(w, st, (const char *const[]){"replications", NULL});
	for (int m = 0; m < b->nsum; m++) {
		char nm[200];
		snprintf(nm, sizeof nm, "%s_mean", b->sum_names[m]);
		csvw_str(w, nm);
		snprintf(nm, sizeof nm, "%s_ci95", b->sum_names[m]);
		csvw_str(w, nm);
	}
	csvw_end(w);
	double x[b->reps];
	for (long p = 0; p < b->npoints; p++) {
		csvw_int(w, p);
		axes_values(w, st, p);
		csvw_int(w, b->reps);
		for (int m = 0; m < b->nsum; m++) {
			int n = 0;
			for (unsigned r = 0; r < b->reps; r++)
				if (!isnan(result(b, p, r)[m]))
					x[n++] = result(b, p, r)[m];
			double mean, half;
			st_ci95(x, n, &mean, &half);
			csvw_num(w, mean);
			csvw_num(w, half);
		}
		csvw_end(w);
	}
}

/* per bucket, the mean over replications (NaN-valued ones left out) */
static void write_timeseries(const batch *b, const study *st, csvw *w)
{
	head(w, st, (const char *const[]){"t_h", NULL});
	for (int m = 0; m < b->nts; m++)
		csvw_str(w, b->ts_names[m]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (int k = 0; k < b->nbuckets; k++) {
			csvw_int(w, p);
			axes_values(w, st, p);
			csvw_num(w, (double)(k * b->bucket) / SIM_HOUR);
			size_t at = (size_t)b->nsum + (size_t)k * (size_t)b->nts;
			for (int m = 0; m < b->nts; m++) {
				double sum = 0;
				int n = 0;
				for (unsigned r = 0; r < b->reps; r++) {
					double v = result(b, p, r)[at + (size_t)m];
					if (!isnan(v)) {
						sum += v;
						n++;
					}
				}
				csvw_num(w, n ? sum / n : NAN);
			}
			csvw_end(w);
		}
}

/* Where the latency bins start in a job's output. */
static size_t latency_at(const batch *b)
{
	return (size_t)b->nsum + (size_t)b->nbuckets * (size_t)b->nts;
}

static void write_latency(const batch *b, const study *st, csvw *w)
{
	head(w, st, (const char *const[]){"latency_s", "cdf", NULL});
	csvw_end(w);
	st_hist h;
	st_hist_init(&h, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	size_t off = latency_at(b);
	for (long p = 0; p < b->npoints; p++) {
		double total = 0, cum = 0;
		for (int k = 0; k < b->nbins; k++) {
			double c = 0;
			for (unsigned r = 0; r < b->reps; r++)
				c += result(b, p, r)[off + (size_t)k];
			h.h->bin[k] = c;
			total += c;
		}
		for (int k = 0; k < b->nbins && total > 0 && cum < total; k++) {
			cum += h.h->bin[k];
			if (cum == 0)
				continue;
			csvw_int(w, p);
			axes_values(w, st, p);
			csvw_num(w, h.h->range[k + 1]);
			csvw_num(w, cum / total);
			csvw_end(w);
		}
	}
	st_hist_free(&h);
}

static void write_points(const batch *b, const study *st, csvw *w)
{
	head(w, st, (const char *const[]){"cutover_h", "ttl_h", "new_provider", NULL});
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		sim_time at, ttl;
		const char *prov;
		scn_cutover(b->pt[p], &at, &ttl, &prov);
		csvw_int(w, p);
		axes_values(w, st, p);
		csvw_num(w, at == SIM_NEVER ? NAN : (double)at / SIM_HOUR);
		csvw_num(w, at == SIM_NEVER ? NAN : (double)ttl / SIM_HOUR);
		csvw_str(w, prov ? prov : "");
		csvw_end(w);
	}
}

static void write_servers(const batch *b, const study *st, csvw *w)
{
	(void)st;
	static const char *const cols[] = {"point", "server", "provider", "kind", "sessions"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvw_str(w, cols[i]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		const mdl_config *c = scn_config(b->pt[p], 0);
		for (int i = 0; i < c->nservers; i++) {
			csvw_int(w, p);
			csvw_str(w, c->servers[i].name);
			csvw_str(w, scn_provider_name(b->pt[p], c->servers[i].provider));
			csvw_str(w, c->servers[i].backup ? "backup" : "final");
			csvw_int(w, c->servers[i].sessions);
			csvw_end(w);
		}
	}
}

static void write_trace(const batch *b, const study *st, csvw *w)
{
	(void)st;
	static const char *const cols[] = {"point",  "replication", "id",	"birth_s", "end_s",
					   "sender", "domain",	    "attempts", "outcome", "reason",
					   "server"};
	static const char *const outcome[] = {"delivered", "bounced", "queued"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvw_str(w, cols[i]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (unsigned r = 0; r < b->reps; r++) {
			const double *v = result(b, p, r) + latency_at(b) + (size_t)b->nbins + 3;
			for (size_t k = 0; k < (size_t)v[0]; k += TRACE_COLS) {
				const double *row = v + 1 + k;
				csvw_int(w, p);
				csvw_int(w, r);
				csvw_int(w, (int64_t)row[0]);
				csvw_num(w, row[1]);
				csvw_num(w, row[2]);
				csvw_int(w, (int64_t)row[3]);
				csvw_int(w, (int64_t)row[4]);
				csvw_int(w, (int64_t)row[5]);
				csvw_str(w, outcome[(int)row[6]]);
				csvw_str(w, isnan(row[7]) ? "" : mdl_bounce_names[(int)row[7]]);
				csvw_str(w, row[8] < 0 ? "" : scn_server_name(b->pt[p], (int)row[8]));
				csvw_end(w);
			}
		}
}

/* Writes one CSV file of a batch into dir; returns 0 or -1. */
static int write_csv(const batch *b, const char *dir, const char *name,
		     void (*fn)(const batch *, const study *, csvw *))
{
	char path[4200];
	csvw w;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (csvw_open(&w, path)) {
		fprintf(stderr, "mxsim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn(b, scn_file_study(b->f), &w);
	if (csvw_close(&w)) {
		fprintf(stderr, "mxsim: writing %s failed\n", path);
		return -1;
	}
	return 0;
}

/* Opens dir/name for a text file; NULL (message printed) on failure. */
static FILE *open_text(const char *dir, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "mxsim: %s: %s\n", path, strerror(errno));
	return f;
}

static int close_text(FILE *f, const char *path)
{
	int bad = fflush(f) || fsync(fileno(f));
	bad |= fclose(f) != 0;
	if (bad)
		fprintf(stderr, "mxsim: writing %s failed\n", path);
	return bad ? -1 : 0;
}

static int write_batch(const batch *b, const char *dir, bool trace, int argc, char **argv,
		       double wall)
{
	if (write_csv(b, dir, "summary.csv", write_summary) ||
	    write_csv(b, dir, "aggregate.csv", write_aggregate) ||
	    write_csv(b, dir, "timeseries.csv", write_timeseries) ||
	    write_csv(b, dir, "latency.csv", write_latency) ||
	    write_csv(b, dir, "points.csv", write_points) ||
	    write_csv(b, dir, "servers.csv", write_servers) ||
	    (trace && write_csv(b, dir, "trace.csv", write_trace)))
		return -1;
	char path[4200];
	FILE *f = open_text(dir, "scenario.ini", path, sizeof path);
	if (!f)
		return -1;
	scn_write(b->pt[0], f);
	if (close_text(f, path) || !(f = open_text(dir, "manifest.ini", path, sizeof path)))
		return -1;
	fprintf(f, "[mxsim]\nversion = %s\ncommand =", MXSIM_VERSION);
	for (int i = 0; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fprintf(f, "\nscenario = %s\npoints = %ld\nreplications = %u\nseeds =", scn_file_path(b->f),
		b->npoints, b->reps);
	for (unsigned r = 0; r < b->reps; r++)
		fprintf(f, " %llu", (unsigned long long)scn_seed(b->pt[0], r));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "\nwall_seconds = %.3f\npeak_rss_kb = %ld\n", wall, ru.ru_maxrss);
	return close_text(f, path);
}

/* Writes a batch's files into a hidden folder, then swaps it into
 * DIR/name whole. */
static int publish(const batch *b, const char *root, bool trace, int argc, char **argv, double wall)
{
	if (mkdir(root, 0777) && errno != EEXIST) {
		fprintf(stderr, "mxsim: %s: %s\n", root, strerror(errno));
		return -1;
	}
	char final[4200];
	snprintf(tmp_dir, sizeof tmp_dir, "%s/.%s.tmp-%d", root, b->name, (int)getpid());
	snprintf(final, sizeof final, "%s/%s", root, b->name);
	if (!replaceable(root, b->name)) {
		tmp_dir[0] = '\0';
		return -1;
	}
	remove_stale(root, b->name);
	if (mkdir(tmp_dir, 0777)) {
		fprintf(stderr, "mxsim: %s: %s\n", tmp_dir, strerror(errno));
		tmp_dir[0] = '\0';
		return -1;
	}
	int rc = write_batch(b, tmp_dir, trace, argc, argv, wall);
	if (!rc) {
		/* swap in whole; the old folder's plots and reports go with it */
		if (renameat2(AT_FDCWD, tmp_dir, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
			if (remove_tree(tmp_dir))
				fprintf(stderr, "mxsim: could not remove %s\n", tmp_dir);
		} else if (errno == ENOENT && rename(tmp_dir, final) == 0) {
			;
		} else {
			fprintf(stderr, "mxsim: %s: %s\n", final, strerror(errno));
			rc = -1;
		}
	}
	if (rc)
		remove_dir_files(tmp_dir);
	tmp_dir[0] = '\0';
	return rc;
}

/* ---- commands ---------------------------------------------------------- */

static void batch_free(batch *b)
{
	for (long p = 0; p < b->npoints; p++)
		scn_free(b->pt[p]);
	free(b->pt);
	for (long i = 0; b->res && i < b->npoints * (long)b->reps; i++)
		free(b->res[i]);
	free(b->res);
	free(b->nres);
	for (int i = 0; i < b->nsum; i++)
		free(b->sum_names[i]);
	free(b->sum_names);
	for (int i = 0; i < b->nts; i++)
		free(b->ts_names[i]);
	free(b->ts_names);
	scn_file_free(b->f);
}

/* Loads and validates every point of every file; returns 0 or -1. */
static int load_all(int nfiles, char **files, char **sets, int nsets, batch *b)
{
	for (int i = 0; i < nfiles; i++) {
		char err[SCN_ERR];
		memset(&b[i], 0, sizeof b[i]);
		if (scn_load(files[i], sets, nsets, &b[i].f, err)) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		const study *st = scn_file_study(b[i].f);
		b[i].npoints = st->npoints;
		b[i].pt = xcalloc((size_t)st->npoints, sizeof *b[i].pt);
		for (long p = 0; p < st->npoints; p++)
			if (scn_point(b[i].f, p, &b[i].pt[p], err)) {
				fprintf(stderr, "%s\n", err);
				if (st->naxes)
					fprintf(stderr, "mxsim: (in study point %ld)\n", p);
				return -1;
			}
		snprintf(b[i].name, sizeof b[i].name, "%s", scn_name(b[i].pt[0]));
		for (int k = 0; k < i; k++)
			if (!strcmp(b[k].name, b[i].name)) {
				fprintf(stderr, "%s: scenario name '%s' is also used by %s\n", files[i], b[i].name,
					files[k]);
				return -1;
			}
		b[i].reps = scn_replications(b[i].pt[0]);
		b[i].nsum = met_summary_names(b[i].pt[0], NULL);
		b[i].nts = met_ts_names(b[i].pt[0], NULL);
		for (long p = 1; p < st->npoints; p++)
			if (met_summary_names(b[i].pt[p], NULL) != b[i].nsum ||
			    scn_config(b[i].pt[p], 0)->duration != scn_config(b[i].pt[0], 0)->duration ||
			    scn_config(b[i].pt[p], 0)->bucket != scn_config(b[i].pt[0], 0)->bucket ||
			    scn_replications(b[i].pt[p]) != b[i].reps) {
				fprintf(stderr,
					"%s: a study may not change the servers, duration, bucket or "
					"replications between points\n",
					files[i]);
				return -1;
			}
		b[i].sum_names = xcalloc((size_t)b[i].nsum, sizeof(char *));
		b[i].ts_names = xcalloc((size_t)b[i].nts, sizeof(char *));
		met_summary_names(b[i].pt[0], b[i].sum_names);
		met_ts_names(b[i].pt[0], b[i].ts_names);
		const mdl_config *c = scn_config(b[i].pt[0], 0);
		b[i].bucket = c->bucket;
		b[i].nbuckets = (int)((c->duration + c->bucket - 1) / c->bucket);
		st_hist h;
		st_hist_init(&h, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
		b[i].nbins = (int)h.h->n;
		st_hist_free(&h);
	}
	return 0;
}

static int add_set(char ***sets, int *n, const char *s)
{
	*sets = xrealloc(*sets, (size_t)(*n + 1) * sizeof **sets);
	(*sets)[*n] = xstrdup(s);
	(*n)++;
	return 0;
}

static int cmd_run(int argc, char **argv, bool check_only)
{
	const char *out = "results";
	long jobs = 1;
	bool trace = false, quiet = false;
	char **sets = NULL;
	int nsets = 0;
	static const struct option opts[] = {{"output", required_argument, 0, 'o'},
					     {"jobs", required_argument, 0, 'j'},
					     {"replications", required_argument, 0, 'r'},
					     {"seed", required_argument, 0, 'S'},
					     {"set", required_argument, 0, 's'},
					     {"trace", no_argument, 0, 't'},
					     {"quiet", no_argument, 0, 'q'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int o;
	optind = 1;
	char err[UNIT_ERR], buf[128];
	while ((o = getopt_long(argc, argv, check_only ? "s:h" : "o:j:r:qh", opts, NULL)) != -1) {
		switch (o) {
		case 'o':
			out = optarg;
			break;
		case 'j':
			if (unit_int(optarg, 1, 1024, &jobs, err)) {
				fprintf(stderr, "mxsim: -j: %s\n", err);
				return 2;
			}
			break;
		case 'r': {
			long r;
			if (unit_int(optarg, 1, 100000, &r, err)) {
				fprintf(stderr, "mxsim: -r: %s\n", err);
				return 2;
			}
			snprintf(buf, sizeof buf, "run.replications=%ld", r);
			add_set(&sets, &nsets, buf);
			break;
		}
		case 'S':
			snprintf(buf, sizeof buf, "run.seed=%s", optarg);
			add_set(&sets, &nsets, buf);
			break;
		case 's':
			add_set(&sets, &nsets, optarg);
			break;
		case 't':
			trace = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	int nfiles = argc - optind;
	if (nfiles < 1) {
		fprintf(stderr, "mxsim: no scenario given\n");
		usage(stderr);
		return 2;
	}
	batch *b = xcalloc((size_t)nfiles, sizeof *b);
	int rc = 0;
	if (load_all(nfiles, argv + optind, sets, nsets, b)) {
		rc = 2;
		goto done;
	}
	if (check_only) {
		for (int i = 0; i < nfiles; i++) {
			const study *st = scn_file_study(b[i].f);
			printf("; %s: %ld point(s) x %u replication(s)\n", scn_file_path(b[i].f), b[i].npoints,
			       b[i].reps);
			for (int a = 0; a < st->naxes; a++) {
				printf("; study %s =", st->axes[a].name);
				for (int k = 0; k < st->axes[a].nvalues; k++)
					printf("%s %s", k ? "," : "", st->axes[a].values[k]);
				printf("\n");
			}
			scn_write(b[i].pt[0], stdout);
		}
		goto done;
	}
	for (int i = 0; i < nfiles; i++)
		if (!replaceable(out, b[i].name)) {
			rc = 2;
			goto done;
		}
	ctx c = {b, nfiles, 0, trace, !quiet && isatty(2), now_sec(), out, argc, 0, argv, 0};
	for (int i = 0; i < nfiles; i++) {
		b[i].job0 = c.njobs;
		c.njobs += b[i].npoints * (long)b[i].reps;
		b[i].res = xcalloc((size_t)(b[i].npoints * (long)b[i].reps), sizeof *b[i].res);
		b[i].nres = xcalloc((size_t)(b[i].npoints * (long)b[i].reps), sizeof *b[i].nres);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (run_jobs(c.njobs, (int)jobs, job, job_done, progress, &c) || c.failed) {
		rc = 1;
		goto done;
	}
	if (!quiet)
		for (int i = 0; i < nfiles; i++)
			fprintf(stderr, "mxsim: %s: %ld point(s) x %u replication(s) -> %s/%s\n",
				scn_file_path(b[i].f), b[i].npoints, b[i].reps, out, b[i].name);
done:
	for (int i = 0; i < nfiles; i++)
		batch_free(&b[i]);
	free(b);
	for (int i = 0; i < nsets; i++)
		free(sets[i]);
	free(sets);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mxsim %s\n", MXSIM_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "check"))
		return cmd_run(argc - 1, argv + 1, true);
	if (!strcmp(argv[1], "plot"))
		return plot_main(argc - 1, argv + 1);
	fprintf(stderr, "mxsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
