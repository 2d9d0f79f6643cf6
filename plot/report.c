/*
 * report.c - HTML reports (see report.h). Pages are self-contained: inline
 * style, no scripts, images from the same folder.
 */
#include "report.h"
#include "planview.h"
#include "sensview.h"
#include "../models/metrics.h"
#include "../sim/outfile.h"
#include "figure.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void report_esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
}

/* A relative URL to one path segment: "./" then the segment with every
 * byte outside [A-Za-z0-9._~-] percent-encoded, so no scheme
 * ("javascript:") and no markup can arise from it. */
static void url_segment(FILE *f, const char *s)
{
	fputs("./", f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("._~-", c))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}

static const char *style =
	"<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
	"table{border-collapse:collapse;margin:1em 0;font-size:90%}"
	"td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
	"th{background:#f3f3f3}td.l,th.l{text-align:left}img{max-width:100%;border:1px solid #eee}"
	"pre{background:#f7f7f7;padding:8px;white-space:pre-wrap}.v{color:#555}.w{color:#a04000}</"
	"style>";

static double mean(const rs_scn *s, int p, const char *metric)
{
	return rs_mean(s, p, metric);
}

static void range(const rs_scn *s, double (*f)(const rs_scn *, int), double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int p = 0; p < s->agg.nrows; p++) {
		double v = f(s, p);
		if (isnan(v))
			continue;
		*lo = v < *lo ? v : *lo;
		*hi = v > *hi ? v : *hi;
	}
}

static double bounced(const rs_scn *s, int p)
{
	return mean(s, p, "bounced_delivery");
}

static double old_share(const rs_scn *s, int p)
{
	double d = mean(s, p, "delivered");
	return d > 0 ? 100 * mean(s, p, "delivered_old_after_cutover") / d : NAN;
}

static double queued(const rs_scn *s, int p)
{
	return mean(s, p, "queued");
}

/* A number with sensible digits. */
static void num(FILE *m, double v)
{
	if (isinf(v)) {
		fputs("not reached", m);
		return;
	}
	fprintf(m, fabs(v) >= 100 || v == floor(v) ? "%.0f" : fabs(v) >= 1 ? "%.2f" : "%.3g", v);
}

/* The declared answer: per figure, its mean over the points (a range
 * when they differ) in its unit, and the widest 95 % CI half-width. */
static void answer_words(FILE *m, const rs_scn *s)
{
	for (int a = 0; a < s->nans; a++) {
		double lo = INFINITY, hi = -INFINITY, ci = 0;
		for (int p = 0; p < s->agg.nrows; p++) {
			double v = rs_mean(s, p, s->ans[a]), h = rs_ci95(s, p, s->ans[a]);
			if (isnan(v))
				continue;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
			ci = h > ci ? h : ci;
		}
		const char *u = s->ans_unit[a];
		fprintf(m, "%s%s: ", a ? "; " : "", s->ans_words[a]);
		if (lo > hi) {
			fputs("-", m);
			continue;
		}
		fig_print(m, lo, NAN, u, "+-");
		if (hi != lo)
			fputs(" to ", m), fig_print(m, hi, NAN, u, "+-");
		if (!fig_names_unit(u))
			fprintf(m, " %s", u);
		if (ci > 0) {
			fputs(" (95 % CI ± up to ", m);
			fig_print(m, ci, NAN, u, "+-");
			fputs(")", m);
		}
	}
}

/* Without a declared answer: bounces by reason, mail to the old
 * provider as a share of every message, what is still queued. */
static void plain_words(FILE *m, const rs_scn *s)
{
	double blo, bhi, olo, ohi, qlo, qhi;
	range(s, bounced, &blo, &bhi);
	range(s, old_share, &olo, &ohi);
	range(s, queued, &qlo, &qhi);
	fputs("bounced (size limit apart): ", m);
	num(m, blo);
	if (bhi != blo)
		fputs(" to ", m), num(m, bhi);
	const char *sep = " (";
	double big = 0;
	for (int i = 0; i < MDL_BOUNCE_N; i++) {
		char *col = met_column(met_row_named("bounced_"), mdl_bounce_names[i]);
		double hi = 0;
		for (int p = 0; p < s->agg.nrows; p++)
			hi = fmax(hi, rs_mean(s, p, col));
		free(col);
		if (i == MDL_BOUNCE_TOO_LARGE)
			big = hi;
		else if (hi > 0)
			fprintf(m, "%s%s", sep, mdl_bounce_names[i]), sep = ", ";
	}
	fputs(*sep == ',' ? ")" : "", m);
	if (big > 0)
		fputs("; too large for the size limit: up to ", m), num(m, big);
	if (isfinite(olo) && ohi >= 0.05)
		fprintf(m,
			"; to the old provider after the switch: %.1f to %.1f %% of all messages",
			olo, ohi);
	if (qhi >= 1)
		fprintf(m, "; still queued at the end: up to %.0f", qhi);
}

char *report_verdict(const rs_scn *s)
{
	char *buf;
	size_t len;
	FILE *m = xmemstream(&buf, &len);
	if (pv_is_plan(s))
		pv_words(m, s);
	else if (s->nans)
		answer_words(m, s);
	else
		plain_words(m, s);
	if (s->agg.nrows > 1)
		fprintf(m, " (%d study points)", s->agg.nrows);
	fclose(m);
	return buf;
}

/* "mean ± half" in the reader's units (figure.h); a wide answer
 * (met_wide, no precision asked) marked. */
/* A cell "mean ± half"; for answer figure a (>= 0), the spread of single
 * runs below it. */
static void cell(FILE *f, const rs_scn *s, int p, const char *metric, int a)
{
	double m = rs_mean(s, p, metric), h = rs_ci95(s, p, metric);
	char *words = NULL;
	const met_row *row = met_find(metric, &words);
	const char *unit = row ? row->unit : "";
	free(words);
	if (isnan(m)) {
		fputs("<td>-</td>", f);
		return;
	}
	bool wide = !*s->precision && met_wide(metric, m, h);
	fputs(wide ? "<td class=\"w\" title=\"wide 95 % CI\">" : "<td>", f);
	fig_print(f, m, h, unit, "&plusmn;");
	fputs(wide ? " (wide)" : "", f);
	double v[3];
	if (a >= 0 && rs_spread(s, p, a, v) && v[0] != v[2]) {
		fputs("<br><small>single runs ", f);
		fig_print(f, v[0], NAN, unit, "");
		fputs(" to ", f);
		fig_print(f, v[2], NAN, unit, "");
		/* runs that split into very different outcomes: the mean hides them */
		double least = met_resolution(metric);
		if (v[2] - v[1] > 10 * fmax(fabs(v[1]), least) ||
		    v[1] - v[0] > 10 * fmax(fabs(v[0]), least)) {
			fputs("; <b>runs split</b>: some are far from the median run (", f);
			fig_print(f, v[1], NAN, unit, "");
			fputs("), so size for a share of runs ([report] target), not the mean", f);
		}
		fputs("</small>", f);
	}
	fputs("</td>", f);
}

/* A table: a row per study point, a column "mean ± half" per metric
 * (answers: the answer figures, with their runs' spread). */
static void table(FILE *f, const rs_scn *s, const char *const *metric, const char *const *label,
		  int n, bool answers)
{
	fprintf(f, "<div style=\"overflow-x:auto\"><table><tr><th class=\"l\">point</th>");
	for (int c = 0; c < n; c++) {
		fprintf(f, "<th>");
		report_esc(f, label[c]);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (int p = 0; p < s->agg.nrows; p++) {
		char *lab = rs_label(s, p);
		fprintf(f, "<tr><td class=\"l\">");
		report_esc(f, lab);
		free(lab);
		fprintf(f, "</td>");
		for (int c = 0; c < n; c++)
			cell(f, s, p, metric[c], answers ? c : -1);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table></div>\n");
}

/* The declared answer figures per study point, in the reader's units. */
static void answer_table(FILE *f, const rs_scn *s)
{
	const char *labels[s->nans];
	char *owned[s->nans];
	for (int a = 0; a < s->nans; a++) {
		/* figure.h writes some units in each cell */
		bool in_cells = fig_names_unit(s->ans_unit[a]);
		labels[a] = owned[a] =
			strchr(s->ans_words[a], '(') || in_cells
				? xstrdup(s->ans_words[a])
				: xasprintf("%s (%s)", s->ans_words[a], s->ans_unit[a]);
	}
	table(f, s, (const char *const *)s->ans, labels, s->nans, true);
	for (int a = 0; a < s->nans; a++)
		free(owned[a]);
}

/* Starts writing dir/name anew (sim/outfile.h: never through a symbolic
 * link, renamed into place when whole); NULL after printing why. */
static FILE *open_page(const char *dir, const char *name, int *dirfd)
{
	FILE *f = NULL;
	*dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0 || !(f = outfile_replace(*dirfd, name))) {
		fprintf(stderr, "mxsim: %s/%s: %s\n", dir, name, strerror(errno));
		if (*dirfd >= 0)
			close(*dirfd);
	}
	return f;
}

static int close_page(FILE *f, int dirfd, const char *dir, const char *name)
{
	int bad = outfile_commit(f);
	if (bad)
		fprintf(stderr, "mxsim: writing %s/%s failed: %s\n", dir, name, strerror(bad));
	close(dirfd);
	return bad ? -1 : 0;
}

/* bounces, deferrals and per-server figures that are not all zero */
static void detail_table(FILE *f, const rs_scn *s)
{
	const char **stems = xcalloc((size_t)s->agg.ncols, sizeof *stems);
	int ns = 0;
	for (int c = 1 + s->naxes + 1; c < s->agg.ncols; c += 2) {
		/* a family's columns (the totals are in the first table) */
		size_t l = met_agg_stem(s->agg.head[c], MET_MEAN);
		char *col = xstrndup(s->agg.head[c], l), *words = NULL;
		const met_row *row = l ? met_find(col, &words) : NULL;
		free(words);
		bool any = false;
		for (int p = 0; p < s->agg.nrows && row && row->scope != MET_ONE; p++)
			any |= rt_num(&s->agg, p, c) != 0 && !isnan(rt_num(&s->agg, p, c));
		if (any)
			stems[ns++] = col;
		else
			free(col);
	}
	table(f, s, stems, stems, ns, false);
	for (int i = 0; i < ns; i++)
		free((char *)stems[i]);
	free(stems);
}

/* The servers that took mail over the senders' connections already open
 * (cached or passed on): how much of their mail came that way (a backup's
 * load during an outage of the primary, the old host's after a change, a
 * backlog drained at the first success). */
static void reuse_table(FILE *f, const rs_scn *s)
{
	int ptc = rt_col(&s->srv, "point"), sc = rt_col(&s->srv, "server");
	const char *metric[16], *label[16];
	char *owned[32];
	int n = 0;
	for (int r = 0; r < s->srv.nrows && n + 2 <= 16 && ptc >= 0 && sc >= 0; r++) {
		const char *name = rt_str(&s->srv, r, sc);
		if (rt_num(&s->srv, r, ptc) != 0)
			continue;
		char *reused = met_column(met_row_named("reused_"), name);
		bool any = false;
		for (int p = 0; p < s->agg.nrows; p++)
			any |= rs_mean(s, p, reused) > 0;
		if (!any) {
			free(reused);
			continue;
		}
		metric[n] = owned[n] = met_column(met_row_named("delivered_"), name);
		label[n] = owned[n + 16] = xasprintf("delivered to %s", name);
		metric[n + 1] = owned[n + 1] = reused;
		label[n + 1] = owned[n + 17] = xasprintf("of which over connections already open");
		n += 2;
	}
	if (!n)
		return;
	fprintf(f, "<h2>Mail over the senders' connections already open</h2>\n<p>Postfix's "
		   "connection cache sends a destination's backlog over connections already open, "
		   "to the host they go to, before trying the MX hosts: during an outage of the "
		   "primary to the backup, after an MX change to the old host. Exim passes a "
		   "connection that delivered on to the mail waiting for its host: a backlog "
		   "drains at the first success there, not at the next queue run.</p>\n");
	table(f, s, metric, label, n, false);
	for (int i = 0; i < n; i++)
		free(owned[i]), free(owned[i + 16]);
}

static void images(FILE *f, const rs_scn *s)
{
	for (int i = 0; i < s->nimages; i++) {
		const char *png = s->image[i].file;
		char *svg = xasprintf("%.*s.svg", (int)strlen(png) - 4, png);
		fprintf(f, "<h3>");
		report_esc(f, s->image[i].caption);
		fprintf(f, "</h3>\n<p><a href=\"");
		report_esc(f, svg);
		free(svg);
		fprintf(f, "\"><img src=\"");
		report_esc(f, png);
		fprintf(f, "\" alt=\"");
		report_esc(f, s->image[i].caption);
		fprintf(f, "\"></a></p>\n");
	}
}

/* Says where the answer is less precise than asked, or (without [run]
 * precision) too wide to answer with (met_wide: mxsim run's rule). */
static void wide(FILE *f, const rs_scn *s)
{
	if (!strcmp(s->precision_met, "no")) {
		fprintf(f, "<p class=\"w\"><b>Not as precise as asked:</b> [run] precision = ");
		report_esc(f, s->precision);
		fprintf(f, " was not met within [run] max_replications; the intervals below are "
			   "wider.</p>\n");
	}
	for (int a = 0; a < s->nans && !*s->precision; a++)
		for (int p = 0; p < s->agg.nrows; p++) {
			double m = rs_mean(s, p, s->ans[a]), h = rs_ci95(s, p, s->ans[a]);
			if (!met_wide(s->ans[a], m, h))
				continue;
			char *lab = rs_label(s, p);
			fprintf(f, "<p class=\"w\"><b>Wide interval:</b> ");
			report_esc(f, s->ans_words[a]);
			fprintf(f, " at ");
			report_esc(f, lab);
			fprintf(f,
				": the 95 %% CI half-width is %.0f %% of the mean; more "
				"replications or [run] "
				"precision would narrow it.</p>\n",
				100 * h / fabs(m));
			free(lab);
		}
}

/* The question and its answer at the top of the report: the declared
 * figures per study point, mean and CI in their units; or, without one,
 * the verdict. */
/* [report] target: per point, how many single runs met each, with the
 * share's 95 % interval (targets.csv). */
static void targets(FILE *f, const rs_scn *s)
{
	int tc = rt_col(&s->tgt, "target"), nc = rt_col(&s->tgt, "runs"),
	    mc = rt_col(&s->tgt, "met"), lc = rt_col(&s->tgt, "share_low"),
	    hc = rt_col(&s->tgt, "share_high");
	if (!s->tgt.nrows || tc < 0 || nc < 0 || mc < 0 || lc < 0 || hc < 0)
		return;
	fprintf(f, "<h2>Targets: the share of runs meeting each</h2>\n<table><tr><th "
		   "class=\"l\">point</th><th class=\"l\">target</th><th>runs meeting it</th>"
		   "<th>95 %% interval of the share</th></tr>\n");
	for (int r = 0; r < s->tgt.nrows; r++) {
		double pt = rt_num(&s->tgt, r, 0); /* untrusted: a point of the study, or none */
		char *lab = rs_label(s, pt >= 0 && pt < s->agg.nrows ? (int)pt : -1);
		fputs("<tr><td class=\"l\">", f);
		report_esc(f, lab);
		fputs("</td><td class=\"l\">", f);
		report_esc(f, rt_str(&s->tgt, r, tc));
		fprintf(f, "</td><td>%.0f of %.0f</td><td>%.0f-%.0f %%</td></tr>\n",
			rt_num(&s->tgt, r, mc), rt_num(&s->tgt, r, nc),
			100 * rt_num(&s->tgt, r, lc), 100 * rt_num(&s->tgt, r, hc));
		free(lab);
	}
	fputs("</table>\n", f);
}

static void answer(FILE *f, const rs_scn *s)
{
	if (*s->question) {
		fprintf(f, "<p class=\"q\"><b>Question:</b> ");
		report_esc(f, s->question);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<p class=\"v\"><b>Answer:</b> ");
	char *v = report_verdict(s);
	report_esc(f, v);
	free(v);
	fprintf(f, "</p>\n");
	if (pv_is_plan(s))
		pv_section(f, s);
	if (!s->nans)
		return;
	answer_table(f, s);
	wide(f, s);
	targets(f, s);
}

/* How much of the mail that reached the old provider after the switch
 * rests on resolvers that keep answers longer than their TTL - an assumed
 * share of them, named with its source (resolvers.csv). */
static void assumption(FILE *f, const rs_scn *s)
{
	int cc = rt_col(&s->res, "class"), sc = rt_col(&s->res, "share"),
	    hc = rt_col(&s->res, "honours_ttl"), src = rt_col(&s->res, "source");
	double most = 0;
	for (int p = 0; p < s->agg.nrows; p++)
		most = fmax(most, rs_mean(s, p, "delivered_old_after_ttl"));
	if (!(most > 0) || cc < 0 || sc < 0 || hc < 0 || src < 0)
		return;
	fprintf(f, "<h2>How much of it rests on resolvers that stretch TTLs</h2>\n<p>Mail "
		   "reaching the old provider later after the switch than the old MX's TTL "
		   "(and a minute) allows: only resolvers that keep answers longer than their "
		   "TTL send mail there then. Their assumed share of the senders' mail:");
	const char *sep = " ", *said = "";
	for (int r = 0; r < s->res.nrows; r++)
		if (rt_num(&s->res, r, 0) == 0 && !strcmp(rt_str(&s->res, r, hc), "no")) {
			fprintf(f, "%s<b>", sep);
			report_esc(f, rt_str(&s->res, r, cc));
			fprintf(f, "</b> %.2f %%", 100 * rt_num(&s->res, r, sc));
			if (strcmp(said, rt_str(&s->res, r, src))) { /* a source once */
				fputs(" (", f);
				report_esc(f, said = rt_str(&s->res, r, src));
				fputs(")", f);
			}
			sep = "; ";
		}
	fprintf(f, "%s.</p>\n", *sep == ' ' ? " none" : "");
	static const char *const metric[] = {"delivered_old_after_cutover",
					     "delivered_old_after_ttl", "old_last_h",
					     "old_last_honouring_h"};
	static const char *const label[] = {
		"to old provider after switch", "of which later than the TTL allows",
		"last to old (h after switch)", "last via TTL-honouring resolvers (h)"};
	table(f, s, metric, label, 4, false);
}

int report_write(const rs_scn *s)
{
	int dirfd;
	FILE *f = open_page(s->dir, "report.html", &dirfd);
	if (!f)
		return -1;
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mxsim: ");
	report_esc(f, s->name);
	fprintf(f,
		"</title>%s</head><body>\n<p><a href=\"../index.html\">all scenarios</a></p>\n<h1>",
		style);
	report_esc(f, s->name);
	fprintf(f, "</h1>\n");
	answer(f, s);
	assumption(f, s);
	sv_section(f, s);
	fprintf(f, "<pre>");
	report_esc(f, s->desc);
	fprintf(f, "</pre>\n");
	fprintf(f, "<h2>Key figures</h2>\n<p>Mean over the replications &plusmn; half-width of "
		   "the Student-t 95 %% confidence interval.</p>\n");
	const char *key[met_count], *key_label[met_count];
	int nk = 0;
	for (int m = 0; m < met_count; m++)
		if (met_table[m].scope == MET_ONE && *met_table[m].label) {
			key[nk] = met_table[m].name;
			key_label[nk++] = met_table[m].label;
		}
	table(f, s, key, key_label, nk, false);
	fprintf(f, "<h2>Bounces, deferrals and servers</h2>\n");
	detail_table(f, s);
	reuse_table(f, s);
	fprintf(f, "<h2>Plots</h2>\n");
	images(f, s);
	fprintf(f, "<h2>Files</h2>\n<p>");
	for (int i = 0; i < RS_NFILES; i++) {
		char *p = xasprintf("%s/%s", s->dir, rs_files[i].name);
		if (rs_files[i].by != RS_BY_PLOT && access(p, R_OK) == 0)
			fprintf(f, "<a href=\"%s\" title=\"%s\">%s</a> ", rs_files[i].name,
				rs_files[i].what, rs_files[i].name);
		free(p);
	}
	fprintf(f, "</p>\n<h2>Run</h2>\n<pre>");
	report_esc(f, s->manifest);
	fprintf(f, "</pre>\n</body></html>\n");
	return close_page(f, dirfd, s->dir, "report.html");
}

int report_index(const char *root, const rs_scn *s, int n)
{
	int dirfd;
	FILE *f = open_page(root, "index.html", &dirfd);
	if (!f)
		return -1;
	fprintf(f,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mxsim "
		"results</title>%s"
		"</head><body>\n<h1>mxsim results</h1>\n<table><tr><th class=\"l\">scenario</th>"
		"<th class=\"l\">question</th><th class=\"l\">answer per study point (mean "
		"&plusmn; 95 %% CI half-width; wide intervals marked)</th><th "
		"class=\"l\">data</th></tr>\n",
		style);
	for (int i = 0; i < n; i++) {
		char *v = report_verdict(&s[i]);
		fprintf(f, "<tr><td class=\"l\"><a href=\"");
		url_segment(f, s[i].name);
		fprintf(f, "/report.html\">");
		report_esc(f, s[i].name);
		fprintf(f, "</a></td><td class=\"l\">");
		report_esc(f, s[i].question);
		fprintf(f, "</td><td class=\"l\">");
		if (!s[i].nans || pv_is_plan(&s[i]))
			report_esc(f, v);
		if (s[i].nans)
			answer_table(f, &s[i]);
		fprintf(f, "</td><td class=\"l\">");
		static const char *const data[] = {"plan.csv", "answer.csv", "aggregate.csv",
						   "summary.csv"};
		for (size_t k = 0; k < sizeof data / sizeof *data; k++) {
			char *p = xasprintf("%s/%s", s[i].dir, data[k]);
			if (access(p, R_OK) == 0) {
				fprintf(f, "<a href=\"");
				url_segment(f, s[i].name);
				fprintf(f, "/%s\">%s</a> ", data[k], data[k]);
			}
			free(p);
		}
		fprintf(f, "</td></tr>\n");
		free(v);
	}
	fprintf(f, "</table>\n</body></html>\n");
	return close_page(f, dirfd, root, "index.html");
}
