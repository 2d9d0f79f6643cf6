/*
 * write.c - a batch's results as CSV files (with libcsv, through csvw) and
 * the resolved scenario and manifest beside them (see batch.h).
 */
#include "batch.h"
#include "plan.h"
#include "sens.h"
#include "../models/run.h"
#include "../sim/csvw.h"
#include "../sim/outfile.h"
#include "../models/metrics.h"
#include "../plot/results.h"
#include "jobres.h"
#include "trace.h"
#include "../sim/stats.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "version.h"

#include <csv.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_version.h>
#include <time.h>

/* A study axis whose every value is a quantity with a unit gets a column
 * of the values as numbers in base units beside its text. */
typedef enum { Q_NONE, Q_SECONDS, Q_BYTES, Q_PER_SECOND } qty;
static const char *const qty_suffix[] = {"", "_s", "_bytes", "_per_s"};

/* v in base units as quantity q; NaN if it is none. */
static double qty_value(qty q, const char *v)
{
	char err[UNIT_ERR];
	sim_time t;
	double d;
	if (q == Q_SECONDS)
		return unit_duration(v, &t, err) ? NAN : (double)t / SIM_SEC;
	if (q == Q_BYTES)
		return unit_size(v, &d, err) ? NAN : d;
	return unit_rate(v, &d, err) ? NAN : d;
}

/* The kind of quantity every value of axis a is (Q_NONE when they are
 * plain numbers already, or not all quantities of one kind). */
static qty axis_qty(const study_axis *a)
{
	char err[UNIT_ERR];
	bool plain = true;
	for (int i = 0; i < a->nvalues; i++) {
		double d;
		plain &= unit_number(a->values[i], &d, err) == 0;
	}
	for (qty q = Q_SECONDS; !plain && q <= Q_PER_SECOND; q++) {
		bool all = true;
		for (int i = 0; i < a->nvalues && all; i++)
			all = !isnan(qty_value(q, a->values[i]));
		if (all)
			return q;
	}
	return Q_NONE;
}

static void axes_header(csvw *w, const study *st)
{
	for (int a = 0; a < st->naxes; a++) {
		csvw_str(w, st->axes[a].name);
		qty q = axis_qty(&st->axes[a]);
		if (q != Q_NONE) {
			char *n = xasprintf("%s%s", st->axes[a].name, qty_suffix[q]);
			csvw_str(w, n);
			free(n);
		}
	}
}

void batch_csv_axes(csvw *w, const study *st, long p)
{
	long q = p;
	int idx[st->naxes ? st->naxes : 1];
	for (int a = st->naxes - 1; a >= 0; a--) {
		idx[a] = (int)(q % st->axes[a].nvalues);
		q /= st->axes[a].nvalues;
	}
	for (int a = 0; a < st->naxes; a++) {
		csvw_str(w, st->axes[a].values[idx[a]]);
		qty kind = axis_qty(&st->axes[a]);
		if (kind != Q_NONE)
			csvw_num(w, qty_value(kind, st->axes[a].values[idx[a]]));
	}
}

/* "point", the study axes, then the given columns. */
void batch_csv_head(csvw *w, const study *st, const char *const *cols)
{
	csvw_str(w, "point");
	axes_header(w, st);
	for (; *cols; cols++)
		csvw_str(w, *cols);
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
			snprintf(sd, sizeof sd, "%llu",
				 (unsigned long long)scn_seed(batch_point(b, p), r));
			csvw_int(w, p);
			csvw_int(w, r);
			csvw_str(w, sd);
			batch_csv_axes(w, st, p);
			for (int m = 0; m < b->nsum; m++)
				csvw_num(w, jobres_at(b, p, r).summary[m]);
			csvw_end(w);
		}
}

static void write_aggregate(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st, (const char *const[]){"replications", NULL});
	for (int m = 0; m < b->nsum; m++)
		for (met_stat k = MET_MEAN; k < MET_NSTATS; k++) {
			char *nm = met_agg_name(b->sum_names[m], k);
			csvw_str(w, nm);
			free(nm);
		}
	csvw_end(w);
	double x[b->reps];
	for (long p = 0; p < b->npoints; p++) {
		csvw_int(w, p);
		batch_csv_axes(w, st, p);
		csvw_int(w, b->reps);
		for (int m = 0; m < b->nsum; m++) {
			int n = 0;
			for (unsigned r = 0; r < b->reps; r++)
				if (!isnan(jobres_at(b, p, r).summary[m]))
					x[n++] = jobres_at(b, p, r).summary[m];
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
	batch_csv_head(w, st, (const char *const[]){"t_h", NULL});
	for (int m = 0; m < b->nts; m++)
		csvw_str(w, b->ts_names[m]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (int k = 0; k < b->nbuckets; k++) {
			csvw_int(w, p);
			batch_csv_axes(w, st, p);
			csvw_num(w, (double)(k * b->bucket) / SIM_HOUR);
			size_t at = (size_t)k * (size_t)b->nts;
			for (int m = 0; m < b->nts; m++) {
				double sum = 0;
				int n = 0;
				for (unsigned r = 0; r < b->reps; r++) {
					double v = jobres_at(b, p, r).ts[at + (size_t)m];
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

static void write_latency(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st, (const char *const[]){"latency_s", "cdf", NULL});
	csvw_end(w);
	st_hist h;
	st_hist_init(&h, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	for (long p = 0; p < b->npoints; p++) {
		double total = 0, cum = 0, submitted = 0;
		for (unsigned r = 0; r < b->reps; r++)
			submitted += jobres_at(b, p, r).summary[0]; /* "submitted" */
		for (int k = 0; k < b->nbins; k++) {
			double c = 0;
			for (unsigned r = 0; r < b->reps; r++)
				c += jobres_at(b, p, r).latency[k];
			h.h->bin[k] = c;
			total += c;
		}
		/* a share of all mail submitted: what was never delivered keeps
		 * the curve below 1 */
		for (int k = 0; k < b->nbins && total > 0 && cum < total; k++) {
			cum += h.h->bin[k];
			if (cum == 0)
				continue;
			csvw_int(w, p);
			batch_csv_axes(w, st, p);
			csvw_num(w, h.h->range[k + 1]);
			csvw_num(w, cum / submitted);
			csvw_end(w);
		}
	}
	st_hist_free(&h);
}

static void write_points(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st, (const char *const[]){"cutover_h", "ttl_h", "new_provider", NULL});
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		sim_time at, ttl;
		const char *prov;
		scn_cutover(batch_point(b, p), &at, &ttl, &prov);
		csvw_int(w, p);
		batch_csv_axes(w, st, p);
		csvw_num(w, at == SIM_NEVER ? NAN : (double)at / SIM_HOUR);
		csvw_num(w, at == SIM_NEVER ? NAN : (double)ttl / SIM_HOUR);
		csvw_str(w, prov ? prov : "");
		csvw_end(w);
	}
}

static void write_servers(const batch *b, const study *st, csvw *w)
{
	(void)st;
	static const char *const cols[] = {"point",    "server",      "provider",         "kind",
					   "sessions", "queue_limit", "queue_bytes_limit"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvw_str(w, cols[i]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		const mdl_config *c = scn_config(batch_point(b, p));
		for (int i = 0; i < c->nservers; i++) {
			csvw_int(w, p);
			csvw_str(w, c->servers[i].name);
			csvw_str(w, scn_provider_name(batch_point(b, p), c->servers[i].provider));
			csvw_str(w, c->servers[i].backup ? "backup" : "final");
			csvw_int(w, c->servers[i].sessions);
			csvw_num(w, c->servers[i].queue_limit ? (double)c->servers[i].queue_limit
							      : NAN);
			csvw_num(w, c->servers[i].queue_bytes_limit > 0
					    ? c->servers[i].queue_bytes_limit
					    : NAN);
			csvw_end(w);
		}
	}
}

static void write_resolvers(const batch *b, const study *st, csvw *w)
{
	(void)st;
	static const char *const cols[] = {"point",   "class",  "share",   "honours_ttl", "cap_s",
					   "floor_s", "extend", "fixed_s", "source"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvw_str(w, cols[i]);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		const mdl_config *c = scn_config(batch_point(b, p));
		for (int k = 0; k < c->nclasses; k++) {
			const res_profile *r = mdl_class_profile(c, k);
			csvw_int(w, p);
			csvw_str(w, c->class_name[k]);
			csvw_num(w, c->class_share[k]);
			csvw_str(w, res_honours(r) ? "yes" : "no");
			csvw_num(w, (double)r->cap / SIM_SEC);
			csvw_num(w, (double)r->floor / SIM_SEC);
			csvw_num(w, r->extend);
			csvw_num(w, (double)r->fixed / SIM_SEC);
			csvw_str(w, r->source ? r->source : "a [resolver] section of the scenario");
			csvw_end(w);
		}
	}
}

static void write_trace(const batch *b, const study *st, csvw *w)
{
	(void)st;
	trace_write(b, w);
}

run_stats batch_stats(const batch *b, long p, int m, bool spread)
{
	double x[b->reps ? b->reps : 1];
	int n = 0;
	run_stats s = {NAN, NAN, NAN, NAN, NAN};
	for (unsigned r = 0; r < b->reps; r++)
		if (!isnan(jobres_at(b, p, r).summary[m]))
			x[n++] = jobres_at(b, p, r).summary[m];
	st_ci95(x, n, &s.mean, &s.half);
	if (spread && n) {
		gsl_sort(x, 1, (size_t)n);
		s.min = x[0];
		s.max = x[n - 1];
		s.median = gsl_stats_median_from_sorted_data(x, 1, (size_t)n);
	}
	return s;
}

/* Per point and answer figure: its words, unit, mean and 95 % CI, and its
 * spread over the runs. */
static void write_answer(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st,
		       (const char *const[]){"figure", "words", "unit", "mean", "ci95", "run_min",
					     "run_median", "run_max", NULL});
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (int a = 0; a < b->nans; a++) {
			int m = b->ans[a];
			char *words = NULL;
			const met_row *row = met_find(b->sum_names[m], &words);
			run_stats s = batch_stats(b, p, m, true);
			csvw_int(w, p);
			batch_csv_axes(w, st, p);
			csvw_str(w, b->sum_names[m]);
			csvw_str(w, words ? words : b->sum_names[m]);
			csvw_str(w, row ? row->unit : "");
			csvw_num(w, s.mean);
			csvw_num(w, s.half);
			csvw_num(w, s.min);
			csvw_num(w, s.median);
			csvw_num(w, s.max);
			csvw_end(w);
			free(words);
		}
}

/* Per point and [report] target: the runs, those meeting it, the share
 * and its exact (Clopper-Pearson) 95 % interval; a run without the
 * figure (NaN) does not meet it. */
static void write_targets(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st,
		       (const char *const[]){"target", "figure", "runs", "met", "share",
					     "share_low", "share_high", NULL});
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (int i = 0; i < b->ntargets; i++) {
			const batch_target *t = &b->targets[i];
			unsigned k = 0, n = b->reps;
			for (unsigned r = 0; r < n; r++)
				k += srch_meets(t->op, t->value, jobres_at(b, p, r).summary[t->m]);
			csvw_int(w, p);
			batch_csv_axes(w, st, p);
			csvw_str(w, t->text);
			csvw_str(w, b->sum_names[t->m]);
			csvw_int(w, n);
			csvw_int(w, k);
			double lo, hi;
			srch_interval(k, n, 0.95, &lo, &hi);
			csvw_num(w, (double)k / n);
			csvw_num(w, lo);
			csvw_num(w, hi);
			csvw_end(w);
		}
}

/* Per point, the timeline's changes: when (hours from time 0) and what. */
static void write_events(const batch *b, const study *st, csvw *w)
{
	batch_csv_head(w, st, (const char *const[]){"t_h", "what", NULL});
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++) {
		sim_time at;
		const char *what;
		for (int i = 0; scn_timeline(batch_point(b, p), i, &at, &what); i++) {
			csvw_int(w, p);
			batch_csv_axes(w, st, p);
			csvw_num(w, (double)at / SIM_HOUR);
			csvw_str(w, what);
			csvw_end(w);
		}
	}
}

static void write_scenario(const batch *b, const batch_run *run, FILE *f)
{
	(void)run;
	scn_write(b->pt[0], f);
	if (b->plan)
		plan_scenario_note(b, f);
}

/* A UTC time as ISO 8601. */
static void utc(FILE *f, const char *key, time_t t)
{
	char buf[32];
	struct tm tm;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	fprintf(f, "%s = %s\n", key, buf);
}

/* s on one manifest line: control characters (a newline in a path would
 * start a key of its own) as \xNN. */
static void one_line(FILE *f, const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
}

/* The runs' event fingerprints (sim_fingerprint), point by point and
 * replication by replication, and all of them joined in that order. */
static void write_fingerprints(const batch *b, FILE *f)
{
	uint64_t all = 0;
	fprintf(f, "\nevent_fingerprints =");
	for (long p = 0; p < b->npoints; p++)
		for (unsigned r = 0; r < b->reps; r++) {
			uint64_t h = jobres_at(b, p, r).fingerprint;
			all = sim_fingerprint_join(all, h);
			fprintf(f, " %016llx", (unsigned long long)h);
		}
	fprintf(f, "\nevent_fingerprint = %016llx", (unsigned long long)all);
}

static void write_manifest(const batch *b, const batch_run *run, FILE *f)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	fprintf(f,
		"[mxsim]\nversion = %s\nbuild_commit = %s\nlibraries = GSL %s, libcsv %d.%d, inih "
		"%s\n",
		MXSIM_VERSION, MXSIM_COMMIT, gsl_version, CSV_MAJOR, CSV_MINOR, MXSIM_INIH);
	fprintf(f, "host = %s\nplots_by = %s\n", host, run->gnuplot);
	utc(f, "started_utc", run->started);
	utc(f, "written_utc", time(NULL));
	fprintf(f, "question = ");
	one_line(f, scn_question(b->pt[0]));
	fprintf(f, "\nstart = %s\n", unit_weekday_name(scn_start_day(b->pt[0])));
	if (*b->precision) {
		fprintf(f, "precision = ");
		one_line(f, b->precision);
		fprintf(f, "\nprecision_met = %s\n", batch_precise(b, false) ? "yes" : "no");
	}
	if (b->plan)
		plan_manifest(b, f);
	fprintf(f, "command =");
	for (int i = 0; i < run->argc; i++) {
		fputc(' ', f);
		one_line(f, run->argv[i]);
	}
	fprintf(f, "\nscenario = ");
	one_line(f, scn_file_path(b->f));
	fprintf(f, "\npoints = %ld\nreplications = %u\nseeds =", b->npoints, b->reps);
	for (unsigned r = 0; r < b->reps; r++)
		fprintf(f, " %llu", (unsigned long long)scn_seed(b->pt[0], r));
	write_fingerprints(b, f);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "\nwall_seconds = %.3f\npeak_rss_kb = %ld\n", run->wall, ru.ru_maxrss);
}

static void write_plan(const batch *b, const study *st, csvw *w)
{
	(void)st;
	plan_write(b, w);
}

/* The writer of each file a run writes, by its row in rs_files. */
static const struct {
	void (*csv)(const batch *, const study *, csvw *);
	void (*text)(const batch *, const batch_run *, FILE *);
} writer[RS_NFILES] = {
	[RS_SUMMARY] = {write_summary, NULL},       [RS_AGGREGATE] = {write_aggregate, NULL},
	[RS_TIMESERIES] = {write_timeseries, NULL}, [RS_LATENCY] = {write_latency, NULL},
	[RS_POINTS] = {write_points, NULL},         [RS_SERVERS] = {write_servers, NULL},
	[RS_TRACE] = {write_trace, NULL},           [RS_ANSWER] = {write_answer, NULL},
	[RS_TARGETS] = {write_targets, NULL},       [RS_PLAN] = {write_plan, NULL},
	[RS_SENSITIVITY] = {sens_write, NULL},      [RS_EVENTS] = {write_events, NULL},
	[RS_RESOLVERS] = {write_resolvers, NULL},   [RS_SCENARIO] = {NULL, write_scenario},
	[RS_MANIFEST] = {NULL, write_manifest},
};

static int write_csv(const batch *b, int dirfd, const char *dir, int id)
{
	csvw w;
	const char *name = rs_files[id].name;
	if (csvw_create(&w, dirfd, name)) {
		fprintf(stderr, "mxsim: %s/%s: %s\n", dir, name, strerror(errno));
		return -1;
	}
	writer[id].csv(b, scn_file_study(b->f), &w);
	if (csvw_close(&w)) {
		fprintf(stderr, "mxsim: writing %s/%s failed: %s\n", dir, name, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_text(const batch *b, const batch_run *run, int dirfd, const char *dir, int id)
{
	const char *name = rs_files[id].name;
	FILE *f = outfile_create(dirfd, name);
	if (!f) {
		fprintf(stderr, "mxsim: %s/%s: %s\n", dir, name, strerror(errno));
		return -1;
	}
	writer[id].text(b, run, f);
	int bad = outfile_close(f);
	if (bad)
		fprintf(stderr, "mxsim: writing %s/%s failed: %s\n", dir, name, strerror(bad));
	return bad ? -1 : 0;
}

bool batch_precise(const batch *b, bool loud)
{
	bool ok = true;
	for (long p = 0; p < b->npoints; p++)
		for (int a = 0; a < b->nans; a++) {
			double want = b->prec[a];
			if (!want)
				continue;
			run_stats rs = batch_stats(b, p, b->ans[a], false);
			double mean = rs.mean, half = rs.half;
			want = want > 0 ? want : -want * fabs(mean);
			if (half <= want || isnan(half))
				continue;
			ok = false;
			if (loud)
				fprintf(stderr,
					"mxsim: %s: point %ld: %s = %.4g, 95 %% CI half-width %.4g "
					"is over the precision asked for (%.4g) after %u "
					"replications ([run] max_replications)\n",
					scn_file_path(b->f), p, b->sum_names[b->ans[a]], mean, half,
					want, b->reps);
		}
	return ok;
}

void batch_wide(const batch *b)
{
	for (int a = 0; a < b->nans; a++)
		for (long p = 0; p < b->npoints && !b->prec[a]; p++) {
			const char *name = b->sum_names[b->ans[a]];
			run_stats rs = batch_stats(b, p, b->ans[a], false);
			double mean = rs.mean, half = rs.half;
			if (met_wide(name, mean, half))
				fprintf(stderr,
					"mxsim: %s: point %ld: %s = %.4g with a 95 %% CI "
					"half-width of %.4g, over %.0f %% of it and over %g (the "
					"least its unit tells apart): add replications or set "
					"[run] "
					"precision\n",
					scn_file_path(b->f), p, name, mean, half, 100 * MET_WIDE,
					met_resolution(name));
		}
}

int batch_write(const batch *b, int dirfd, const char *dir, const batch_run *run)
{
	int rc = 0;
	for (int id = 0; id < RS_NFILES && rc == 0; id++) {
		const rs_file *rf = &rs_files[id];
		if (rf->by == RS_BY_PLOT || (rf->by == RS_BY_RUN_TRACE && !run->trace) ||
		    (rf->by == RS_BY_RUN_PLAN && !b->plan) ||
		    (rf->by == RS_BY_RUN_SENS && !b->sens_on))
			continue;
		rc = writer[id].csv ? write_csv(b, dirfd, dir, id)
				    : write_text(b, run, dirfd, dir, id);
	}
	return rc;
}
