/*
 * main.c - the mxsim command: run, check and plot scenarios.
 *
 * Conventions (all of cli/): functions return 0 or -1 and print their own
 * messages; allocation failures abort (sim/xalloc.h). Exit status 0
 * success, 2 bad usage or bad scenario (nothing written), 1 failure while
 * running. Results are published by publish.c, a scenario at a time.
 */
#include "../models/metrics.h"
#include "../models/mta.h"
#include "../models/resolver.h"
#include "../models/run.h"
#include "../models/scenario/assume.h"
#include "../models/scenario/scenario.h"
#include "../plot/gnuplot.h"
#include "../plot/plot.h"
#include "../sim/runner.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"
#include "batch.h"
#include "farm.h"
#include "fit.h"
#include "jobres.h"
#include "plan.h"
#include "trace.h"
#include "publish.h"
#include "sens.h"
#include "term.h"
#include "version.h"
#include "zone.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	batch *b;
	int nb;
	long njobs;
	bool trace, progress;
	double t0;
	int argc, failed;
	char **argv;
	sim_time simulated;   /* by the runs done */
	time_t started;       /* wall clock, for the manifest */
	char *gnuplot;        /* its version, for the manifest */
	double sim_total;     /* simulated time of this round's runs (sim_time units) */
	double round_t0;      /* when this round started */
	int *active, nactive; /* the batches of this round */
	double events;        /* events of the runs done */
	int ranks;            /* MPI ranks (mxsim-mpi), else 1 */
	double shown;         /* when the last progress line went out (MPI) */
	double shown_simd;    /* the most simulated time shown this round (s) */
} ctx;

static int rank, nranks = 1; /* farm.h: this process's MPI rank, and how many */

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mxsim run [-o DIR] [-j N] [-r REPS] [--seed S] [--set "
		"section.key=value]...\n"
		"                 [--trace] [--sensitivity] [-q] SCENARIO...\n"
		"       mxsim check [--set section.key=value]... SCENARIO...\n"
		"       mxsim plot DIR...\n"
		"       mxsim zone [--offline | --resolver ADDR[@PORT]] [--simulate [--rate N/h]]\n"
		"                  FILE... | --before FILE --after FILE --at TIME\n"
		"       mxsim fit [--format postfix|exim] [--year Y] [--table FILE]\n"
		"                 [--sizes FILE] [--plot FILE.png] [--domain NAME] LOG...\n"
		"       mxsim help keys | metrics | profiles | assumptions\n"
		"       mxsim --help | --version\n"
		"\n"
		"  run     run every scenario (all study points x replications); results in\n"
		"          DIR/<scenario>/ (default DIR: results)\n"
		"  check   validate the scenarios and print them resolved; runs nothing\n"
		"  plot    draw the plots and reports of result folders (needs gnuplot)\n"
		"  zone    zone files (RFC 1035) as [domain] sections, a change between two\n"
		"          as a [timeline] line; their MX records checked (exit 1: findings),\n"
		"          a target outside looked up unless --offline; --simulate: each\n"
		"          finding's cost in an hour of mail\n"
		"  fit     a Postfix or Exim log (gzip'd or not) as a scenario of its\n"
		"          traffic: rate, weekly table (--table), sizes (--sizes: as a\n"
		"          table), senders; refusals by reason as comments; fit.png\n"
		"  help    keys: every scenario key with its default; metrics: every output\n"
		"          column; profiles: every built-in MTA and resolver profile with\n"
		"          its keys and source; assumptions: every unmeasured input with\n"
		"          its low, default and high value and its source (markdown tables,\n"
		"          as in the READMEs)\n"
		"\n"
		"  -o DIR          output root (default: results)\n"
		"  -j N            worker processes (default 1); results identical for any N\n"
		"  -r REPS         replications (overrides [run] replications)\n"
		"      --seed S    base seed (overrides [run] seed)\n"
		"      --set K=V   override a key, e.g. --set 'server new.sessions=50'\n"
		"      --trace     also write trace.csv, one row per message\n"
		"      --sensitivity  also run every study point with each assumption the\n"
		"                  scenario leaves at its default moved to its low and its\n"
		"                  high value (help assumptions): sensitivity.csv\n"
		"  -q              no progress bar\n"
		"\n"
		"Exit status: 0 success, 2 bad usage or scenario, 1 failure while running.\n");
}

/* ---- jobs ------------------------------------------------------------- */

/* Tells the job pool how far this run is. */
static void on_progress(void *vc, sim_time now, uint64_t events)
{
	const mdl_config *cfg = vc;
	run_report((double)now / SIM_SEC, (double)cfg->duration / SIM_SEC, (double)events);
}

/* The batch of job i of this round, and the job's study point and
 * replication: a round runs replications rep0 .. reps-1 of every batch
 * not final, replication by replication. */
static batch *locate(const ctx *c, long i, long *p, unsigned *r)
{
	int k = 0;
	while (k + 1 < c->nactive && c->b[c->active[k + 1]].job0 <= i)
		k++;
	batch *b = &c->b[c->active[k]];
	long local = i - b->job0;
	if (b->plan) /* p: the plan's grid index */
		plan_job(b, local, p, r);
	else
		*p = local % b->npoints, *r = b->rep0 + (unsigned)(local / b->npoints);
	return b;
}

/* Output: summary values, time series, latency bins, then the trace
 * (a count of doubles, then rows). */
static int job_at(const ctx *c, batch *b, long p, unsigned r, double **out, size_t *n)
{
	scn *s = b->plan ? plan_point(b, p) : batch_point(b, p);
	mdl_config cfg = *scn_config(s);
	cfg.seed = scn_seed(s, r);
	trace_buf tb = {0};
	if (c->trace && !b->of) { /* a moved run's trace is written nowhere */
		cfg.trace = trace_add;
		cfg.trace_ctx = &tb;
	}
	cfg.progress = on_progress;
	cfg.progress_ctx = &cfg;
	mdl_result mr;
	int rc = mdl_run(&cfg, &mr);
	double *summary = xmalloc((size_t)b->nsum * sizeof *summary);
	met_summary_values(&cfg, &mr, summary);
	jobres j = {summary, mr.ts, mr.latency.h->bin, tb.rows, tb.n, mr.fingerprint};
	*out = jobres_pack(b, &j, n);
	free(summary);
	free(tb.rows);
	mdl_result_free(&mr);
	return rc;
}

static int job(long i, void *vc, double **out, size_t *n)
{
	ctx *c = vc;
	long p;
	unsigned r;
	batch *b = locate(c, i, &p, &r);
	return job_at(c, b, p, r, out, n);
}

#ifdef MXSIM_MPI
/* farm.h: job i's key and cost (simulated messages), and a key's job */
static void job_key(long i, void *vc, farm_key *k, double *cost)
{
	ctx *c = vc;
	long p;
	unsigned r;
	batch *b = locate(c, i, &p, &r);
	*k = (farm_key){b - c->b, p, r};
	*cost = b->cost[b->plan ? 0 : p];
}

static int job_of_key(const farm_key *k, void *vc, double **out, size_t *n)
{
	ctx *c = vc;
	return job_at(c, &c->b[k->file], k->point, (unsigned)k->rep, out, n);
}
#endif

/* Stores job i's output; a scenario whose runs are all in, and that needs
 * no more for [run] precision, is written out at once, so an interruption
 * later leaves it whole. */
static void job_done(long i, void *vc, double *out, size_t n)
{
	ctx *c = vc;
	long p;
	unsigned r;
	batch *b = locate(c, i, &p, &r);
	(void)n;
	c->simulated += scn_config(b->pt[0])->duration; /* the same at every point */
	if (b->events_col >= 0)
		c->events += jobres_view(b, out).summary[b->events_col];
	if (b->plan && plan_searching(b)) {
		plan_done(b, p, r, out);
		free(out);
		return;
	}
	b->res[(size_t)r * (size_t)b->npoints + (size_t)(b->plan ? 0 : p)] = out;
	if (++b->done < b->npoints * (long)b->reps ||
	    (b->reps < b->max_reps && !batch_precise(b, false)))
		return;
	b->final = true;
	if (*b->precision && !b->of)
		batch_precise(b, true);
	if (!b->of)
		batch_wide(b);
	batch *s = b->of ? b->of : b; /* a moved run's scenario: with them all */
	batch_run run = {c->trace, c->argc, c->argv, now_sec() - c->t0, c->started, c->gnuplot};
	if (!sens_ready(s) || s->published)
		return;
	s->published = true;
	if (pub_publish(s, &run))
		c->failed = 1;
}

/* The progress line: runs done, simulated time (of the runs done and in
 * progress), events per second, and the time left at the pace so far. */
static void progress(long done, long total, const run_status *live, int nlive, void *vc)
{
	ctx *c = vc;
	if (!c->progress)
		return;
	double simd = (double)c->simulated / SIM_SEC, events = c->events;
	for (int i = 0; i < nlive; i++)
		if (live[i].total > 0) {
			simd += live[i].done;
			events += live[i].events;
		}
	/* a worker's slot starts its next job before its last one is counted
	 * here: the line shows the most seen, so it never runs backwards */
	double el = now_sec() - c->round_t0, all = c->sim_total / SIM_SEC;
	simd = simd > all ? all : simd; /* a job done is in its slot until the next starts */
	simd = c->shown_simd = simd > c->shown_simd ? simd : c->shown_simd;
	double eta = simd > 0 ? el * (all - simd) / simd : 0;
	int w = 24, fill = (int)(w * (all > 0 ? simd / all : 0));
	fill = fill < 0 ? 0 : fill > w ? w : fill;
	if (c->ranks > 1 && done < total && now_sec() - c->shown < 5)
		return; /* under mpirun: a line every 5 s, not a line redrawn */
	c->shown = now_sec();
	fprintf(stderr,
		"%s[%.*s%*s] %ld/%ld runs  %.1f of %.1f d simulated  %.2g events/s  ETA %.0f s%s",
		c->ranks > 1 ? "" : "\r", fill, "========================", w - fill, "", done,
		total, simd / 86400, all / 86400, el > 0 ? events / el : 0, eta,
		c->ranks > 1 ? "\n" : " ");
	if (done == total && c->ranks == 1)
		fprintf(stderr, "\n");
}

/* ---- commands ---------------------------------------------------------- */

/* What the command line says. */
typedef struct {
	const char *out;
	long jobs;
	bool trace, quiet, sens;
	char **sets;
	int nsets;
} opts;

static void add_set(opts *o, char *s)
{
	o->sets = xrealloc(o->sets, (size_t)(o->nsets + 1) * sizeof *o->sets);
	o->sets[o->nsets++] = s;
}

/* Parses the options of run/check; returns -1 to go on, else an exit
 * status. */
static int parse_opts(int argc, char **argv, bool check_only, opts *o)
{
	static const struct option lo[] = {{"output", required_argument, 0, 'o'},
					   {"jobs", required_argument, 0, 'j'},
					   {"replications", required_argument, 0, 'r'},
					   {"seed", required_argument, 0, 'S'},
					   {"set", required_argument, 0, 's'},
					   {"trace", no_argument, 0, 't'},
					   {"sensitivity", no_argument, 0, 'A'},
					   {"quiet", no_argument, 0, 'q'},
					   {"help", no_argument, 0, 'h'},
					   {0, 0, 0, 0}};
	char err[UNIT_ERR];
	long r;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, check_only ? "s:h" : "o:j:r:qh", lo, NULL)) != -1) {
		if (c == 'o') {
			o->out = optarg;
		} else if (c == 'j' && unit_int(optarg, 1, 1024, &o->jobs, err)) {
			fprintf(stderr, "mxsim: -j: %s\n", err);
			return 2;
		} else if (c == 'r' && unit_int(optarg, 1, 100000, &r, err)) {
			fprintf(stderr, "mxsim: -r: %s\n", err);
			return 2;
		} else if (c == 'r') {
			add_set(o, xasprintf("run.replications=%ld", r));
		} else if (c == 'S' || c == 's') {
			add_set(o, c == 'S' ? xasprintf("run.seed=%s", optarg) : xstrdup(optarg));
		} else if (c == 't' || c == 'q' || c == 'A') {
			*(c == 't' ? &o->trace : c == 'q' ? &o->quiet : &o->sens) = true;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c != 'j') {
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mxsim: no scenario given\n");
		usage(stderr);
		return 2;
	}
	return -1;
}

/* The next round: the first runs every batch's replications; each later
 * one adds a batch of as many to the scenarios whose answers still miss
 * [run] precision, up to max_replications; a plan's rounds are its
 * search's, then its answer's runs (plan.h). Returns the number of jobs. */
static long next_round(ctx *c, unsigned step)
{
	c->njobs = 0;
	c->sim_total = 0;
	c->nactive = 0;
	for (int i = 0; i < c->nb; i++) {
		batch *b = &c->b[i];
		if (b->final)
			continue;
		c->active[c->nactive++] = i;
		unsigned first = scn_replications(b->pt[0]);
		long n = b->plan ? plan_round(b) : 0;
		if (!b->plan) {
			b->rep0 = step ? b->reps : 0;
			b->reps = step ? (b->reps + first < b->max_reps ? b->reps + first
									: b->max_reps)
				       : first;
			n = b->npoints * (long)(b->reps - b->rep0);
		}
		b->job0 = c->njobs;
		c->njobs += n;
		c->sim_total += (double)n * (double)scn_config(b->pt[0])->duration;
	}
	c->simulated = 0;
	c->events = 0;
	c->shown_simd = 0;
	c->round_t0 = now_sec();
	return c->njobs;
}

/* A round's jobs: over the MPI ranks (mxsim-mpi), else the job pool. */
static int run_round(ctx *c, const opts *o)
{
#ifdef MXSIM_MPI
	if (nranks > 1)
		return farm_jobs(c->njobs, job_key, job, job_done, progress, c);
#endif
	return run_jobs(c->njobs, (int)o->jobs, job, job_done, progress, c);
}

/* nfiles: the scenarios; b[nfiles..nb): their moved runs (sens.h) */
static int run_all(batch *b, int nfiles, int nb, const opts *o, int argc, char **argv)
{
	/* under MPI each rank runs one job at a time (rank 0 holds the results) */
	if (batch_fits(b, nb, nranks > 1 ? 1 : o->jobs, o->trace))
		return 2;
	if (pub_open(o->out))
		return 2;
	for (int i = 0; i < nfiles; i++)
		if (!pub_replaceable(b[i].name))
			return 2;
	ctx c = {.b = b,
		 .nb = nb,
		 .trace = o->trace,
		 .progress = !o->quiet && (isatty(2) || nranks > 1),
		 .ranks = nranks,
		 .t0 = now_sec(),
		 .argc = argc,
		 .argv = argv,
		 .started = time(NULL)};
	for (int i = 0; i < nb; i++)
		b[i].res = xcalloc((size_t)(b[i].npoints * (long)b[i].max_reps), sizeof *b[i].res);
	int active[nb], rc = 0;
	c.active = active;
	c.gnuplot = gp_version();
	pub_catch_signals();
	for (unsigned step = 0; rc == 0 && next_round(&c, step); step++)
		if (run_round(&c, o) || c.failed)
			rc = 1;
	free(c.gnuplot);
	if (rc)
		return rc;
	for (int i = 0; i < nfiles && !o->quiet; i++)
		fprintf(stderr, "mxsim: %s: %ld point(s) x %u replication(s) -> %s/%s\n",
			scn_file_path(b[i].f), b[i].npoints, b[i].reps, o->out, b[i].name);
	return 0;
}

/* batch_load; on MPI ranks other than 0 without a word (rank 0 says it). */
static int load_quiet(int nfiles, char **files, const opts *o, batch *b)
{
	return rank == 0 ? batch_load(b, nfiles, files, o->sets, o->nsets)
			 : batch_load_quiet(b, nfiles, files, o->sets, o->nsets);
}

/* An MPI worker rank: computes the jobs rank 0 hands out. */
static int serve(batch *b, int nfiles, const opts *o)
{
#ifdef MXSIM_MPI
	ctx c = {.b = b, .nb = nfiles, .trace = o->trace};
	return farm_serve(job_of_key, &c);
#else
	(void)b, (void)nfiles, (void)o;
	return 0;
#endif
}

static int cmd_run(int argc, char **argv, bool check_only)
{
	opts o = {.out = "results", .jobs = 1};
	int rc = parse_opts(argc, argv, check_only, &o), nfiles = argc - optind, nb = nfiles;
	batch *b = NULL;
	if (rc >= 0)
		goto done;
	b = xcalloc((size_t)nfiles, sizeof *b);
	if (!farm_agree(load_quiet(nfiles, argv + optind, &o, b) == 0))
		rc = 2;
	else if (o.sens && !farm_agree(sens_load(&b, nfiles, argv + optind, o.sets, o.nsets,
						 rank == 0, &nb) == 0))
		rc = 2;
	else if (check_only)
		batch_print(b, nfiles), rc = 0;
	else if (rank > 0)
		rc = serve(b, nb, &o);
	else
		rc = run_all(b, nfiles, nb, &o, argc, argv), farm_stop();
done:
	for (int i = 0; b && i < nb; i++)
		batch_free(&b[i]);
	free(b);
	for (int i = 0; i < o.nsets; i++)
		free(o.sets[i]);
	free(o.sets);
	return rc;
}

static int command(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "metrics")) {
		met_print_reference(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "profiles")) {
		scn_print_profiles(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "assumptions")) {
		scn_print_assumptions(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "keys")) {
		scn_print_keys(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc == 4 && !strcmp(argv[2], "keys")) {
		if (!strcmp(argv[3], "--man"))
			scn_print_keys_man(stdout);
		else if (!strcmp(argv[3], "--names"))
			scn_print_key_names(stdout);
		else
			return usage(stderr), 2;
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		fprintf(stderr,
			"mxsim: help: unknown topic '%s' (keys, metrics, profiles, assumptions)\n",
			argv[2]);
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
	if (!strcmp(argv[1], "zone"))
		return zone_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fit"))
		return fit_main(argc - 1, argv + 1);
	fprintf(stderr, "mxsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	term_guard();
	if ((rank = farm_init(&argc, &argv, &nranks)) < 0) {
		farm_end();
		return 2;
	}
	int rc = command(argc, argv);
	farm_end();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mxsim: writing to standard output failed: %s\n",
			strerror(errno ? errno : EIO));
		return rc ? rc : 1;
	}
	return rc;
}
