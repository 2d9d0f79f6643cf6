/*
 * plot.c - the plots of one scenario folder (see plot.h): the gnuplot
 * scripts of plot/ run on its results through gnuplot.c, which keeps data
 * out of gnuplot's lexer; folders.c finds the folders.
 */
#include "plot.h"
#include "planview.h"
#include "sensview.h"
#include "../models/metrics.h"
#include "../sim/csvread.h"
#include "../sim/names.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"
#include "gnuplot.h"
#include "report.h"
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Curves per plot at most: with more study points, an even selection
 * (first and last included) is drawn, and the caption says so. */
enum { MAX_TIMELINES = 24, MAX_SERIES = 8 };

/* The i-th of the points drawn when there are n. */
static int series_point(int i, int n)
{
	int k = n < MAX_SERIES ? n : MAX_SERIES;
	return k < 2 ? 0 : (int)((long)i * (n - 1) / (k - 1));
}

static int series_count(int n)
{
	return n < MAX_SERIES ? n : MAX_SERIES;
}

/* " (8 of 2000 study points shown)", or "" */
static char *shown(const rs_scn *s)
{
	int n = s->agg.nrows;
	return n > MAX_SERIES ? xasprintf(" (%d of %d study points shown)", MAX_SERIES, n)
			      : xstrdup("");
}

/* Whether some row of the column reaches min in absolute value (a value
 * never reached, inf, cannot be drawn). */
static bool col_reaches(const rtable *t, const char *name, double min)
{
	int c = rt_col(t, name);
	for (int r = 0; c >= 0 && r < t->nrows; r++) {
		double v = rt_num(t, r, c);
		if (fabs(v) >= min && isfinite(v))
			return true;
	}
	return false;
}

typedef struct {
	int col;
	double last, prev;
} span;

static int span_row(void *ctx, int line, int nf, char **f, char *err)
{
	span *sp = ctx;
	(void)line;
	if (sp->col < 0) {
		for (int c = 0; c < nf; c++)
			if (!strcmp(f[c], "t_h"))
				sp->col = c;
		if (sp->col < 0)
			snprintf(err, CSVREAD_ERR, "expected a column 't_h'");
		return sp->col < 0;
	}
	double v = sp->col < nf ? atof(f[sp->col]) : 0;
	if (!(v >= 0 && v <= RS_MAX_H)) {
		snprintf(err, CSVREAD_ERR, "t_h '%.40s': expected hours from 0 to %g",
			 sp->col < nf ? f[sp->col] : "", RS_MAX_H);
		return 1;
	}
	if (v > sp->last) {
		sp->prev = sp->last;
		sp->last = v;
	}
	return 0;
}

/* Hours covered by the time series: its last bucket's end (an hour for
 * a run of one bucket); NaN after a message if a time is out of bounds. */
static double span_h(const rs_scn *s)
{
	char err[400], *p = xasprintf("%s/timeseries.csv", s->dir);
	span sp = {-1, 0, 0};
	int rc = csvread_file(p, span_row, &sp, err);
	if (rc)
		fprintf(stderr, "mxsim: plot: %s\n", err);
	free(p);
	double end = sp.last + (sp.last - sp.prev);
	if (rc && sp.col >= 0)
		return NAN;
	return sp.last > 0 ? (end < RS_MAX_H ? end : RS_MAX_H) : 1;
}

/* Variables every script takes: name, npoints, t1, series (the points
 * drawn) and their label<p>. */
static gp_vars *base_vars(const rs_scn *s, double t1)
{
	gp_vars *v = gp_new();
	gp_str(v, s->name, "name");
	gp_num(v, s->agg.nrows, "npoints");
	gp_time(v, t1, "t1");
	gp_num(v, s->start_day, "start");
	gp_num(v, 0, "nev");
	int rc = rt_col(&s->agg, "replications");
	double reps = s->agg.nrows ? rt_num(&s->agg, 0, rc) : 0;
	for (int p = 1; p < s->agg.nrows; p++)
		reps = fmin(reps, rt_num(&s->agg, p, rc));
	gp_num(v, reps, "reps");
	char *pts;
	size_t len;
	FILE *m = xmemstream(&pts, &len);
	for (int i = 0; i < series_count(s->agg.nrows); i++) {
		int p = series_point(i, s->agg.nrows);
		char *lab = rs_label(s, p);
		gp_str(v, lab, "label%d", p);
		free(lab);
		fprintf(m, "%s%d", i ? " " : "", p);
	}
	fclose(m);
	gp_str(v, pts, "series");
	free(pts);
	return v;
}

/* Space-separated words built with a memstream. */
typedef struct {
	FILE *m;
	char *text;
	size_t len;
} words;

static void words_open(words *w)
{
	w->m = xmemstream(&w->text, &w->len);
}

static void words_add(words *w, const char *prefix, const char *word)
{
	fprintf(w->m, "%s%s%s", ftell(w->m) ? " " : "", prefix, word);
}

static void words_close(words *w)
{
	fclose(w->m);
}

static int propagation(rs_scn *s, double t1)
{
	int ptc = rt_col(&s->srv, "point"), sc = rt_col(&s->srv, "server"),
	    pc = rt_col(&s->srv, "provider");
	double cut = rt_num(&s->pts, 0, rt_col(&s->pts, "cutover_h"));
	const char *newp = rt_str(&s->pts, 0, rt_col(&s->pts, "new_provider"));
	if (isnan(cut))
		return 0;
	words old;
	words_open(&old);
	for (int r = 0; r < s->srv.nrows; r++)
		if (rt_num(&s->srv, r, ptc) == 0 && *newp && strcmp(rt_str(&s->srv, r, pc), newp))
			words_add(&old, "delivered_", rt_str(&s->srv, r, sc));
	words_close(&old);
	gp_vars *v = base_vars(s, t1);
	double tmax = 0;
	for (int i = 0; i < series_count(s->agg.nrows); i++) {
		int p = series_point(i, s->agg.nrows);
		double ttl = rt_num(&s->pts, p, rt_col(&s->pts, "ttl_h"));
		gp_time(v, ttl, "ttl%d", p);
		tmax = ttl > tmax ? ttl : tmax;
	}
	gp_time(v, cut, "cutover_h");
	gp_str(v, old.text, "oldcols");
	double a = cut - 6 > 0 ? cut - 6 : 0, b = cut + 1.5 * tmax + 6;
	gp_time(v, a, "t0");
	gp_time(v, b < t1 ? b : t1, "t1");
	free(old.text);
	int rc = gp_run(v, s->dir, "propagation.gp", "propagation");
	char *more = shown(s),
	     *cap = xasprintf("Propagation: old MX answers and mail to the old provider%s", more);
	rs_add_image(s, "propagation.png", cap);
	free(more);
	free(cap);
	return rc;
}

/* A panel for metric (name + inst) if some point reaches min. */
static void panel(const rs_scn *s, gp_vars *v, words *metrics, int *nm, const met_row *row,
		  const char *inst)
{
	char *col = met_column(row, inst), *mean = met_agg_name(col, MET_MEAN);
	if (*nm < 10 && col_reaches(&s->agg, mean, row->panel_min)) {
		words_add(metrics, "", col);
		char *lab = xasprintf("%s%s", row->panel, inst);
		gp_str(v, lab, "mlabel%d", ++*nm);
		free(lab);
	}
	free(mean);
	free(col);
}

/* Study panels: the scenario's answer figures first, then the metrics of
 * met_table that have a panel, where some point reaches their minimum (at
 * most ten in all); returns how many. */
static int study_metrics(const rs_scn *s, gp_vars *v, words *metrics)
{
	int nm = 0, ptc = rt_col(&s->srv, "point"), sc = rt_col(&s->srv, "server");
	for (int a = 0; a < s->nans && nm < 10; a++) {
		char *col = met_agg_name(s->ans[a], MET_MEAN);
		bool drawable = col_reaches(&s->agg, col, 0);
		free(col);
		if (!name_ok_len(s->ans[a], 200) || !drawable) /* a column name with a value */
			continue;
		char *lab = strchr(s->ans_words[a], '(')
				    ? xstrdup(s->ans_words[a])
				    : xasprintf("%s (%s)", s->ans_words[a], s->ans_unit[a]);
		words_add(metrics, "", s->ans[a]);
		gp_str(v, lab, "mlabel%d", ++nm);
		free(lab);
	}
	for (int m = 0; m < met_count; m++) {
		const met_row *row = &met_table[m];
		bool answered = false;
		for (int a = 0; a < s->nans; a++)
			answered |= !strncmp(s->ans[a], row->name, strlen(row->name));
		if (row->panel_min <= 0 || answered)
			continue;
		if (row->scope == MET_ONE)
			panel(s, v, metrics, &nm, row, "");
		else if (row->scope == MET_PER_DEFER || row->scope == MET_PER_BOUNCE)
			for (int i = 0;
			     i < (row->scope == MET_PER_DEFER ? MDL_DEFER_N : MDL_BOUNCE_N); i++)
				panel(s, v, metrics, &nm, row,
				      row->scope == MET_PER_DEFER ? mdl_defer_names[i]
								  : mdl_bounce_names[i]);
		else if (row->scope == MET_PER_SERVER)
			for (int r = 0; r < s->srv.nrows; r++)
				if (rt_num(&s->srv, r, ptc) == 0)
					panel(s, v, metrics, &nm, row, rt_str(&s->srv, r, sc));
	}
	return nm;
}

/* s as a gnuplot tic label, which gnuplot reads as a format: '%' doubled;
 * allocated. */
static char *tic_label(const char *s)
{
	char *out;
	size_t len;
	FILE *m = xmemstream(&out, &len);
	for (; *s; s++)
		fputs(*s == '%' ? "%%" : (char[]){*s, 0}, m);
	fclose(m);
	return out;
}

/* The study's axes for gnuplot: the last axis's values xl<i> as tic
 * labels (whether they are quantities: joined), lastname, and the
 * combinations of the other axes glabel<g>, gtic<g> as a tic label (at
 * most maxg); returns how many. */
static int axis_vars(const rs_scn *s, gp_vars *v, int nlast, int maxg)
{
	int np = s->agg.nrows, ax = s->naxes;
	gp_num(v, nlast, "nlast");
	gp_str(v, s->agg.head[ax], "lastname");
	bool joined = true;
	for (int p = 0; p < nlast; p++) {
		const char *x = rt_str(&s->agg, p, ax);
		char err[UNIT_ERR];
		double d;
		sim_time t;
		char *tic = tic_label(x);
		gp_str(v, tic, "xl%d", p);
		free(tic);
		joined &= !unit_number(x, &d, err) || !unit_duration(x, &t, err) ||
			  !unit_size(x, &d, err) || !unit_rate(x, &d, err);
	}
	gp_num(v, joined, "joined");
	int ng = np / nlast < maxg ? np / nlast : maxg;
	gp_num(v, ng, "ngroups");
	for (int g = 0; g < ng && ax > 1; g++) {
		char *lab;
		size_t len;
		FILE *m = xmemstream(&lab, &len);
		for (int a = 1; a < ax; a++)
			fprintf(m, "%s%s=%s", a > 1 ? " " : "", s->agg.head[a],
				rt_str(&s->agg, g * nlast, a));
		fclose(m);
		char *tic = tic_label(lab);
		gp_str(v, lab, "glabel%d", g);
		gp_str(v, tic, "gtic%d", g);
		free(tic);
		free(lab);
	}
	return ng;
}

/* A study over two or more axes as a heat map of each answer figure (or,
 * without a declared answer, of the first four study panels). */
static int heatmap(rs_scn *s, double t1, int nlast)
{
	gp_vars *v = base_vars(s, t1);
	words metrics;
	words_open(&metrics);
	int nm = study_metrics(s, v, &metrics);
	words_close(&metrics);
	if (s->nans || nm > 4) {
		/* the first few words only: answers come first */
		int keep = s->nans ? s->nans : 4, n = 0;
		char *p = metrics.text;
		while (*p && n < keep)
			n += *p++ == ' ';
		if (n == keep)
			p[-1] = '\0';
	}
	gp_str(v, metrics.text, "metrics");
	free(metrics.text);
	axis_vars(s, v, nlast, 40);
	if (!nm) {
		gp_free(v);
		return 0;
	}
	int rc = gp_run(v, s->dir, "heatmap.gp", "heatmap");
	rs_add_image(s, "heatmap.png", "Study: every point of the study, as a heat map");
	return rc;
}

static int study_plot(rs_scn *s, double t1)
{
	if (s->naxes == 0)
		return 0;
	int np = s->agg.nrows, nlast = 0, ax = s->naxes;
	const char *last = s->agg.head[ax];
	for (int p = 0; p < np; p++)
		if (p && !strcmp(rt_str(&s->agg, p, ax), rt_str(&s->agg, 0, ax)))
			break;
		else
			nlast++;
	gp_vars *v = base_vars(s, t1);
	words metrics;
	words_open(&metrics);
	int nm = study_metrics(s, v, &metrics);
	words_close(&metrics);
	gp_str(v, metrics.text, "metrics");
	free(metrics.text);
	axis_vars(s, v, nlast, MAX_SERIES);
	if (!nm) {
		gp_free(v);
		return 0;
	}
	int rc = gp_run(v, s->dir, "study.gp", "study");
	char *cap = xasprintf("Study: key figures against %s", last);
	rs_add_image(s, "study.png", cap);
	free(cap);
	return rc | (ax > 1 ? heatmap(s, t1, nlast) : 0);
}

/* Bounce reasons seen anywhere: bounced_<reason> means not all 0. */
static char *reasons(const rs_scn *s)
{
	words w;
	words_open(&w);
	for (int i = 0; i < MDL_BOUNCE_N; i++) {
		char *col = met_column(met_row_named("bounced_"), mdl_bounce_names[i]),
		     *mean = met_agg_name(col, MET_MEAN);
		if (col_reaches(&s->agg, mean, 1e-300))
			words_add(&w, "", mdl_bounce_names[i]);
		free(mean);
		free(col);
	}
	words_close(&w);
	return w.text;
}

/* Hours from time 0 as the scenario's calendar writes them: "Wed 10:00"
 * (":30" seconds where there are), "+1w" past the first week. */
static void calendar_time(FILE *m, double h, int start)
{
	long sec = lround(h * 3600), day = sec / 86400, in = sec % 86400;
	fprintf(m, "%s %02ld:%02ld", unit_weekday_name((int)((start + day) % 7)), in / 3600,
		in / 60 % 60);
	if (in % 60)
		fprintf(m, ":%02ld", in % 60);
	if (day >= 7)
		fprintf(m, " (+%ldw)", day / 7);
}

/* The timeline's changes at point p: nev and evt<i> (hours) for the
 * plot, and their list for its caption ("1 at 58.0 h: mx ..."). */
static char *event_vars(const rs_scn *s, gp_vars *v, int p)
{
	int tc = rt_col(&s->ev, "t_h"), wc = rt_col(&s->ev, "what"), n = 0;
	char *list;
	size_t len;
	FILE *m = xmemstream(&list, &len);
	for (int r = 0; r < s->ev.nrows && n < 20; r++)
		if (rt_num(&s->ev, r, 0) == p && !isnan(rt_num(&s->ev, r, tc))) {
			gp_time(v, rt_num(&s->ev, r, tc), "evt%d", ++n);
			fprintf(m, "%s%d at ", n > 1 ? "; " : " - changes: ", n);
			calendar_time(m, rt_num(&s->ev, r, tc), s->start_day);
			fprintf(m, ": %s", rt_str(&s->ev, r, wc));
		}
	gp_num(v, n, "nev");
	fclose(m);
	return list;
}

/* The backup servers that stored mail at point p. */
static char *backups(const rs_scn *s, int p)
{
	int ptc = rt_col(&s->srv, "point"), sc = rt_col(&s->srv, "server"),
	    kc = rt_col(&s->srv, "kind");
	words w;
	words_open(&w);
	for (int r = 0; kc >= 0 && r < s->srv.nrows; r++) {
		const char *name = rt_str(&s->srv, r, sc);
		if (rt_num(&s->srv, r, ptc) != p || strcmp(rt_str(&s->srv, r, kc), "backup"))
			continue;
		char *col = met_column(met_row_named("queue_peak_"), name);
		if (rs_mean(s, p, col) > 0)
			words_add(&w, "", name);
		free(col);
	}
	words_close(&w);
	return w.text;
}

static int timelines(rs_scn *s, double t1)
{
	int rc = 0, ptc = rt_col(&s->srv, "point"), sc = rt_col(&s->srv, "server");
	int cc = rt_col(&s->srv, "sessions");
	words servers;
	words_open(&servers);
	for (int r = 0; r < s->srv.nrows; r++)
		if (rt_num(&s->srv, r, ptc) == 0)
			words_add(&servers, "", rt_str(&s->srv, r, sc));
	words_close(&servers);
	char *why = reasons(s);
	for (int p = 0; p < s->agg.nrows && p < MAX_TIMELINES; p++) {
		gp_vars *v = base_vars(s, t1);
		char *lab = rs_label(s, p);
		gp_str(v, lab, "label%d", p);
		gp_num(v, p, "p");
		char *changes = event_vars(s, v, p);
		gp_str(v, servers.text, "servers");
		char *stored = backups(s, p);
		gp_str(v, stored, "backups");
		free(stored);
		gp_str(v, why, "reasons");
		for (int r = 0, i = 0; r < s->srv.nrows; r++)
			if (rt_num(&s->srv, r, ptc) == p)
				gp_num(v, rt_num(&s->srv, r, cc), "cap%d", ++i);
		char file[64], *cap = xasprintf("Over time: %s%s", lab, changes);
		snprintf(file, sizeof file, "timeline-%d", p);
		rc |= gp_run(v, s->dir, "timeline.gp", file);
		strcat(file, ".png");
		rs_add_image(s, file, cap);
		free(lab);
		free(cap);
		free(changes);
	}
	free(servers.text);
	free(why);
	return rc;
}

int plot_scenario(rs_scn *s)
{
	double t1 = span_h(s);
	if (isnan(t1))
		return -1;
	int rc = (pv_is_plan(s) ? pv_plot(s) : 0) | propagation(s, t1) | study_plot(s, t1);
	rc |= sv_plot(s);
	rc |= gp_run(base_vars(s, t1), s->dir, "latency.gp", "latency");
	char *more = shown(s),
	     *cap = xasprintf("Delivery latency (cumulative distribution)%s", more);
	rs_add_image(s, "latency.png", cap);
	free(more);
	free(cap);
	return rc | timelines(s, t1);
}
