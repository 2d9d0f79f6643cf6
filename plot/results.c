/*
 * results.c - reading a results folder back, untrusted (see results.h).
 */
#include "results.h"
#include "../sim/infile.h"
#include "../sim/names.h"
#include "../models/metrics.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { TEXT_MAX = 1 << 20 };

const rs_file rs_files[RS_NFILES] = {
	[RS_SUMMARY] = {"summary.csv", RS_BY_RUN, "one row per run: every metric"},
	[RS_ANSWER] = {"answer.csv", RS_BY_RUN,
		       "per point: the answer figures ([report] answer) in words, "
		       "mean and 95 % CI, and the least, median and most of single runs"},
	[RS_TARGETS] = {"targets.csv", RS_BY_RUN,
			"per point and [report] target: the runs meeting it, their share and its "
			"95 % interval (Clopper-Pearson)"},
	[RS_PLAN] = {"plan.csv", RS_BY_RUN_PLAN,
		     "a [plan]'s candidates in value order: runs, those meeting the goal, their "
		     "share and its interval, the goal figure's mean and CI, the verdict"},
	[RS_SENSITIVITY] = {"sensitivity.csv", RS_BY_RUN_SENS,
			    "per point, answer figure and assumption (--sensitivity): the "
			    "figure with the assumption at its low, default and high value, each "
			    "with its CI, and the swing, largest first; or why it was left"},
	[RS_AGGREGATE] = {"aggregate.csv", RS_BY_RUN,
			  "per study point: mean and 95 % CI half-width"},
	[RS_TIMESERIES] = {"timeseries.csv", RS_BY_RUN,
			   "per point and bucket: means over replications"},
	[RS_LATENCY] = {"latency.csv", RS_BY_RUN,
			"per point: share of all mail delivered within each latency"},
	[RS_POINTS] = {"points.csv", RS_BY_RUN, "per point: cutover time, TTL, new provider"},
	[RS_SERVERS] = {"servers.csv", RS_BY_RUN, "per point: servers, providers, capacity"},
	[RS_EVENTS] = {"events.csv", RS_BY_RUN, "per point: the timeline's changes, when and what"},
	[RS_RESOLVERS] =
		{"resolvers.csv", RS_BY_RUN,
		 "per point: the resolver classes, their share of the senders' mail, whether "
		 "they honour TTLs, and the source of each"},
	[RS_TRACE] = {"trace.csv", RS_BY_RUN_TRACE, "one row per message (--trace)"},
	[RS_SCENARIO] = {"scenario.ini", RS_BY_RUN, "the resolved scenario; reproduces the run"},
	[RS_MANIFEST] = {"manifest.ini", RS_BY_RUN, "command, seeds, event fingerprints, timing"},
	[RS_REPORT] = {"report.html", RS_BY_PLOT, "the report (mxsim plot)"},
};

/* A file of rs_owned's replaced whole: ".NAME.tmp-PID" (sim/outfile.h),
 * left only by a killed process. */
static bool owned_tmp(const char *name)
{
	const char *t = strstr(name, ".tmp-");
	if (name[0] != '.' || !t || !t[5] || strspn(t + 5, "0123456789") != strlen(t + 5))
		return false;
	char *inner = xstrndup(name + 1, (size_t)(t - name - 1));
	bool ok = inner[0] != '.' && rs_owned(inner);
	free(inner);
	return ok;
}

bool rs_owned(const char *name)
{
	if (name[0] == '.')
		return owned_tmp(name);
	for (int i = 0; i < RS_NFILES; i++)
		if (!strcmp(name, rs_files[i].name))
			return true;
	static const char *const img[] = {"propagation", "latency", "study",
					  "heatmap",     "plan",    "sensitivity"};
	const char *dot = strrchr(name, '.');
	if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg")))
		return false;
	size_t n = (size_t)(dot - name);
	for (size_t i = 0; i < sizeof img / sizeof *img; i++)
		if (n == strlen(img[i]) && !strncmp(name, img[i], n))
			return true;
	size_t digits = strspn(name + 9, "0123456789");
	return !strncmp(name, "timeline-", 9) && digits > 0 && 9 + digits == n;
} /* scenario.ini and manifest.ini read for the report */

/* The file's text (all of it, or its leading ';'/'#' comment lines without
 * the marker); "" if it cannot be read. */
static char *read_text(const char *path, bool comments_only)
{
	char err[INFILE_ERR], *out, *line = NULL;
	size_t len, cap = 0;
	FILE *m = xmemstream(&out, &len), *f = infile_open(path, TEXT_MAX, err);
	while (f && getline(&line, &cap, f) > 0) {
		const char *t = line;
		if (comments_only) {
			if ((line[0] != ';' && line[0] != '#') ||
			    strstr(line, "resolved scenario:"))
				break;
			t = line + 1 + (line[1] == ' ');
		}
		fputs(t, m);
	}
	free(line);
	if (f)
		fclose(f);
	fclose(m);
	return out;
}

static int load_csv(rtable *t, const rs_scn *s, const char *file)
{
	char err[400], *p = xasprintf("%s/%s", s->dir, file);
	int rc = rt_load(t, p, err);
	if (rc)
		fprintf(stderr, "mxsim: plot: %s\n", err);
	free(p);
	return rc;
}

/* Every named column must be there. */
static int need(const rs_scn *s, const rtable *t, const char *file, const char *const *cols)
{
	for (; *cols; cols++)
		if (rt_col(t, *cols) < 0) {
			fprintf(stderr, "mxsim: plot: %s/%s:1: expected a column '%s'\n", s->dir,
				file, *cols);
			return -1;
		}
	return 0;
}

/* Times in hours read from a results folder reach gnuplot's ranges and
 * loops: each must be empty or within [0, RS_MAX_H]. */
static int check_hours(const rs_scn *s, const rtable *t, const char *file, const char *col)
{
	int c = rt_col(t, col);
	for (int r = 0; c >= 0 && r < t->nrows; r++) {
		double h = rt_num(t, r, c);
		if (*rt_str(t, r, c) && !(h >= 0 && h <= RS_MAX_H)) {
			fprintf(stderr,
				"mxsim: plot: %s/%s:%d: %s '%.40s': expected hours from 0 to %g\n",
				s->dir, file, t->line[r], col, rt_str(t, r, c), RS_MAX_H);
			return -1;
		}
	}
	return 0;
}

static int check_servers(const rs_scn *s)
{
	static const char *const cols[] = {"point", "server", "provider", "sessions", NULL};
	if (need(s, &s->srv, "servers.csv", cols))
		return -1;
	int sc = rt_col(&s->srv, "server"), pc = rt_col(&s->srv, "provider");
	for (int r = 0; r < s->srv.nrows; r++)
		for (int k = 0; k < 2; k++) {
			const char *v = rt_str(&s->srv, r, k ? pc : sc);
			if (!name_ok(v)) {
				fprintf(stderr,
					"mxsim: plot: %s/servers.csv:%d: %s name '%.80s': expected "
					"%s\n",
					s->dir, s->srv.line[r], k ? "provider" : "server", v,
					NAME_RULE);
				return -1;
			}
		}
	return 0;
}

/* Drops the columns of study values in base units ("ttl_s" beside
 * "ttl"): the plots and the report label points by the text. */
static void drop_value_columns(rtable *t, int reps)
{
	static const char *const suffix[] = {"_s", "_bytes", "_per_s"};
	int keep = 0;
	for (int c = 0; c < t->ncols; c++) {
		bool value = false;
		for (size_t k = 0; c > 1 && c < reps && k < 3 && keep > 0; k++) {
			const char *prev = t->head[keep - 1];
			size_t n = strlen(prev);
			value |=
				!strncmp(t->head[c], prev, n) && !strcmp(t->head[c] + n, suffix[k]);
		}
		if (value) {
			free(t->head[c]);
			for (int r = 0; r < t->nrows; r++)
				free(t->cell[r][c]);
			continue;
		}
		t->head[keep] = t->head[c];
		for (int r = 0; r < t->nrows; r++)
			t->cell[r][keep] = t->cell[r][c];
		keep++;
	}
	t->ncols = keep;
}

static int check_agg(rs_scn *s)
{
	drop_value_columns(&s->agg, rt_col(&s->agg, "replications"));
	int reps = rt_col(&s->agg, "replications");
	if (s->agg.nrows == 0 || reps < 1 || rt_col(&s->agg, "point") != 0) {
		fprintf(stderr, "mxsim: plot: %s: aggregate.csv holds no results\n", s->dir);
		return -1;
	}
	s->naxes = reps - 1;
	/* gnuplot reads these cells as labels and cannot read a quote in one */
	for (int r = 0; r < s->agg.nrows; r++)
		for (int a = 1; a <= s->naxes; a++)
			if (strchr(rt_str(&s->agg, r, a), '"')) {
				fprintf(stderr,
					"mxsim: plot: %s/aggregate.csv:%d: a study value holds "
					"'\"', which "
					"mxsim never writes there\n",
					s->dir, s->agg.line[r]);
				return -1;
			}
	return 0;
}

/* mxsim plot writes the files mxsim owns in dir: none may be a symbolic
 * link, or a shared folder could make it overwrite any file. */
static int no_links(const rs_scn *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	int rc = 0;
	while (d && rc == 0 && (e = readdir(d))) {
		struct stat st;
		char *p = xasprintf("%s/%s", s->dir, e->d_name);
		if (rs_owned(e->d_name) && lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			fprintf(stderr,
				"mxsim: plot: %s is a symbolic link where mxsim writes; refused\n",
				p);
			rc = -1;
		}
		free(p);
	}
	if (d)
		closedir(d);
	return rc;
}

#define RS_PLAN_NAME(k) "plan_" #k,
const char *const rs_plan_keys[RS_PLAN_N] = {RS_PLAN_KEYS(RS_PLAN_NAME)};

/* The value of "key = value" in the manifest's text, or "". */
static char *manifest_value(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *l = text; *l;) {
		if (!strncmp(l, key, n) && !strncmp(l + n, " = ", 3))
			return xstrndup(l + n + 3, strcspn(l + n + 3, "\n"));
		const char *nl = strchr(l, '\n');
		if (!nl)
			break;
		l = nl + 1;
	}
	return xstrdup("");
}

/* dir/file into t if it exists (else t stays empty); -1 after a message
 * if it cannot be read. */
static int load_optional(rtable *t, const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file), err[400];
	int rc = 0;
	if (access(p, F_OK) == 0 && rt_load(t, p, err)) {
		fprintf(stderr, "mxsim: plot: %s\n", err);
		rc = -1;
	}
	free(p);
	return rc;
}

/* the columns of sensitivity.csv the report and the plot read */
static const char *const sens_cols[] = {
	"point", "figure", "assumption", "unit",    "low",   "default",
	"high",  "at_low", "at_default", "at_high", "swing", "swing_ci95",
	"rank",  "left",   "what",       "source",  NULL};

/* plan.csv and the plan's manifest lines: both or neither, the columns
 * the report reads there, and plan_value a number or empty; 0 or -1. */
static int load_plan(rs_scn *s, const char *dir)
{
	static const char *const cols[] = {"value",      "runs", "met",  "share",   "share_low",
					   "share_high", "mean", "ci95", "verdict", NULL};
	for (int k = 0; k < RS_PLAN_N; k++)
		s->plan_key[k] = manifest_value(s->manifest, rs_plan_keys[k]);
	if (load_optional(&s->plan, dir, "plan.csv"))
		return -1;
	char *end;
	const char *v = s->plan_key[RS_PLAN_value];
	double x = strtod(v, &end);
	bool bad = *v && (*end || !isfinite(x));
	if (bad || (s->plan.ncols > 0) != (*s->plan_key[RS_PLAN_vary] != '\0')) {
		fprintf(stderr,
			"mxsim: plot: %s: plan.csv and the manifest's plan_ lines go together, "
			"plan_value a number\n",
			dir);
		return -1;
	}
	return s->plan.ncols ? need(s, &s->plan, "plan.csv", cols) : 0;
}

/* The answer figures, in order, from answer.csv (absent: none). */
static int load_answers(rs_scn *s)
{
	const rtable *t = &s->anst;
	if (load_optional(&s->anst, s->dir, "answer.csv"))
		return -1;
	int fc = rt_col(t, "figure"), wc = rt_col(t, "words"), uc = rt_col(t, "unit");
	for (int r = 0; r < t->nrows && rt_num(t, r, 0) == 0; r++) {
		s->ans = xrealloc(s->ans, (size_t)(s->nans + 1) * sizeof *s->ans);
		s->ans_words = xrealloc(s->ans_words, (size_t)(s->nans + 1) * sizeof *s->ans_words);
		s->ans_unit = xrealloc(s->ans_unit, (size_t)(s->nans + 1) * sizeof *s->ans_unit);
		s->ans[s->nans] = xstrdup(rt_str(t, r, fc));
		s->ans_words[s->nans] = xstrdup(rt_str(t, r, wc));
		s->ans_unit[s->nans++] = xstrdup(rt_str(t, r, uc));
	}
	return 0;
}

int rs_load(rs_scn *s, const char *dir)
{
	static const char *const pcols[] = {"point", "cutover_h", "ttl_h", "new_provider", NULL};
	memset(s, 0, sizeof *s);
	s->dir = xstrdup(dir);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	const char *b = dir + n;
	while (b > dir && b[-1] != '/')
		b--;
	s->name = xstrndup(b, (size_t)(dir + n - b));
	char *p = xasprintf("%s/aggregate.csv", dir);
	int ok = access(p, F_OK) == 0;
	free(p);
	if (!ok) {
		fprintf(stderr,
			"mxsim: plot: %s: no results here (aggregate.csv missing; run mxsim run "
			"first)\n",
			dir);
		return -1;
	}
	if (no_links(s) || load_csv(&s->agg, s, "aggregate.csv") || check_agg(s) ||
	    load_csv(&s->pts, s, "points.csv") || need(s, &s->pts, "points.csv", pcols) ||
	    load_csv(&s->srv, s, "servers.csv") || check_servers(s))
		return -1;
	p = xasprintf("%s/scenario.ini", dir);
	s->desc = read_text(p, true);
	free(p);
	p = xasprintf("%s/manifest.ini", dir);
	s->manifest = read_text(p, false);
	free(p);
	s->question = manifest_value(s->manifest, "question");
	s->precision = manifest_value(s->manifest, "precision");
	s->precision_met = manifest_value(s->manifest, "precision_met");
	char *day = manifest_value(s->manifest, "start");
	s->start_day = unit_weekday(day) < 0 ? 0 : unit_weekday(day);
	free(day);
	if (check_hours(s, &s->pts, "points.csv", "cutover_h") ||
	    check_hours(s, &s->pts, "points.csv", "ttl_h") ||
	    load_optional(&s->ev, dir, "events.csv") ||
	    load_optional(&s->tgt, dir, "targets.csv") ||
	    check_hours(s, &s->ev, "events.csv", "t_h") ||
	    load_optional(&s->res, dir, "resolvers.csv") || load_plan(s, dir) ||
	    load_optional(&s->sens, dir, "sensitivity.csv") ||
	    (s->sens.ncols && need(s, &s->sens, "sensitivity.csv", sens_cols)))
		return -1;
	return load_answers(s);
}

bool rs_spread(const rs_scn *s, int p, int a, double v[3])
{
	static const char *const col[3] = {"run_min", "run_median", "run_max"};
	int r = p * s->nans + a; /* the rows: point by point, figures in order */
	if (r >= s->anst.nrows || rt_num(&s->anst, r, 0) != p)
		return false;
	for (int k = 0; k < 3; k++)
		if (isnan(v[k] = rt_num(&s->anst, r, rt_col(&s->anst, col[k]))))
			return false;
	return true;
}

void rs_free(rs_scn *s)
{
	rt_free(&s->anst);
	rt_free(&s->tgt);
	rt_free(&s->plan);
	rt_free(&s->sens);
	for (int k = 0; k < RS_PLAN_N; k++)
		free(s->plan_key[k]);
	rt_free(&s->agg);
	rt_free(&s->pts);
	rt_free(&s->srv);
	rt_free(&s->ev);
	rt_free(&s->res);
	for (int i = 0; i < s->nimages; i++) {
		free(s->image[i].file);
		free(s->image[i].caption);
	}
	free(s->image);
	free(s->dir);
	free(s->name);
	free(s->desc);
	free(s->manifest);
	free(s->question);
	free(s->precision);
	free(s->precision_met);
	for (int i = 0; i < s->nans; i++) {
		free(s->ans[i]);
		free(s->ans_words[i]);
		free(s->ans_unit[i]);
	}
	free(s->ans);
	free(s->ans_words);
	free(s->ans_unit);
	memset(s, 0, sizeof *s);
}

char *rs_label(const rs_scn *s, int p)
{
	if (!s->naxes)
		return xstrdup("single run");
	char *out;
	size_t len;
	FILE *m = xmemstream(&out, &len);
	for (int a = 1; a <= s->naxes; a++)
		fprintf(m, "%s%s=%s", a > 1 ? " " : "", s->agg.head[a], rt_str(&s->agg, p, a));
	fclose(m);
	return out;
}

static double stat_of(const rs_scn *s, int p, const char *metric, met_stat st)
{
	char *c = met_agg_name(metric, st);
	double v = rt_num(&s->agg, p, rt_col(&s->agg, c));
	free(c);
	return v;
}

double rs_mean(const rs_scn *s, int p, const char *metric)
{
	return stat_of(s, p, metric, MET_MEAN);
}

double rs_ci95(const rs_scn *s, int p, const char *metric)
{
	return stat_of(s, p, metric, MET_CI95);
}

void rs_add_image(rs_scn *s, const char *file, const char *caption)
{
	char *p = xasprintf("%s/%s", s->dir, file);
	if (access(p, R_OK) == 0) {
		s->image = xrealloc(s->image, (size_t)(s->nimages + 1) * sizeof *s->image);
		s->image[s->nimages++] = (rs_image){xstrdup(file), xstrdup(caption)};
	}
	free(p);
}
