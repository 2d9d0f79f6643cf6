/*
 * report.c - HTML reports (see report.h). Pages are self-contained: inline
 * style, no scripts, images from the same folder.
 */
#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void esc(FILE *f, const char *s)
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
		default:
			fputc(*s, f);
		}
}

static const char *style =
	"<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
	"table{border-collapse:collapse;margin:1em 0;font-size:90%}"
	"td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
	"th{background:#f3f3f3}td.l,th.l{text-align:left}img{max-width:100%;border:1px solid #eee}"
	"pre{background:#f7f7f7;padding:8px;white-space:pre-wrap}.v{color:#555}</style>";

void report_point_label(const report_scn *s, int p, char *buf, size_t len)
{
	buf[0] = '\0';
	size_t n = 0;
	for (int a = 1; a <= s->naxes && n < len; a++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", a > 1 ? " " : "", s->agg.head[a],
				      s->agg.cell[p][a]);
	if (!s->naxes)
		snprintf(buf, len, "single run");
}

static double mean(const report_scn *s, int p, const char *metric)
{
	char c[256];
	snprintf(c, sizeof c, "%s_mean", metric);
	return rt_num(&s->agg, p, rt_col(&s->agg, c));
}

static void range(const report_scn *s, double (*f)(const report_scn *, int), double *lo, double *hi)
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

static double bounced(const report_scn *s, int p)
{
	return mean(s, p, "bounced");
}

static double old_share(const report_scn *s, int p)
{
	double d = mean(s, p, "delivered");
	return d > 0 ? 100 * mean(s, p, "delivered_old_after_cutover") / d : NAN;
}

static double queued(const report_scn *s, int p)
{
	return mean(s, p, "queued");
}

void report_verdict(const report_scn *s, char *buf, size_t len)
{
	double blo, bhi, olo, ohi, qlo, qhi;
	range(s, bounced, &blo, &bhi);
	range(s, old_share, &olo, &ohi);
	range(s, queued, &qlo, &qhi);
	size_t n = 0;
	if (blo == bhi)
		n += (size_t)snprintf(buf + n, len - n, "%.0f bounced", blo);
	else
		n += (size_t)snprintf(buf + n, len - n, "%.0f to %.0f bounced", blo, bhi);
	if (isfinite(olo) && ohi >= 0.05) {
		char a[32], b[32];
		snprintf(a, sizeof a, "%.1f", olo);
		snprintf(b, sizeof b, "%.1f", ohi);
		if (!strcmp(a, b))
			n += (size_t)snprintf(buf + n, len - n,
					      ", %s %% delivered to the old provider after the switch", a);
		else
			n += (size_t)snprintf(buf + n, len - n,
					      ", %s to %s %% delivered to the old provider after the switch", a, b);
	}
	if (qhi >= 1 && n < len)
		snprintf(buf + n, len - n, ", up to %.0f still queued at the end", qhi);
	if (s->agg.nrows > 1 && n < len) {
		n = strlen(buf);
		snprintf(buf + n, len - n, " (%d study points)", s->agg.nrows);
	}
}

/* "mean ± half" with sensible digits */
static void cell(FILE *f, const report_scn *s, int p, const char *metric)
{
	char c[256];
	snprintf(c, sizeof c, "%s_mean", metric);
	double m = rt_num(&s->agg, p, rt_col(&s->agg, c));
	snprintf(c, sizeof c, "%s_ci95", metric);
	double h = rt_num(&s->agg, p, rt_col(&s->agg, c));
	if (isnan(m)) {
		fputs("<td>-</td>", f);
		return;
	}
	const char *fmt = fabs(m) >= 100 || m == floor(m) ? "%.0f" : fabs(m) >= 1 ? "%.2f" : "%.3g";
	fputs("<td>", f);
	fprintf(f, fmt, m);
	if (!isnan(h) && h > 0) {
		fputs(" &plusmn; ", f);
		fprintf(f, fabs(h) >= 100 ? "%.0f" : "%.2g", h);
	}
	fputs("</td>", f);
}

/* A table: a row per study point, a column "mean ± half" per metric. */
static void table(FILE *f, const report_scn *s, const char *const *metric,
		  const char *const *label, int n)
{
	fprintf(f, "<div style=\"overflow-x:auto\"><table><tr><th class=\"l\">point</th>");
	for (int c = 0; c < n; c++) {
		fprintf(f, "<th>");
		esc(f, label[c]);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (int p = 0; p < s->agg.nrows; p++) {
		char lab[512];
		report_point_label(s, p, lab, sizeof lab);
		fprintf(f, "<tr><td class=\"l\">");
		esc(f, lab);
		fprintf(f, "</td>");
		for (int c = 0; c < n; c++)
			cell(f, s, p, metric[c]);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table></div>\n");
}

int report_write(const report_scn *s)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/report.html", s->dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "mxsim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mxsim: ");
	esc(f, s->name);
	fprintf(f, "</title>%s</head><body>\n<p><a href=\"../index.html\">all scenarios</a></p>\n<h1>",
		style);
	esc(f, s->name);
	fprintf(f, "</h1>\n<pre>");
	esc(f, s->desc);
	fprintf(f, "</pre>\n<p class=\"v\"><b>Verdict:</b> ");
	char v[512];
	report_verdict(s, v, sizeof v);
	esc(f, v);
	fprintf(f, "</p>\n<h2>Key figures</h2>\n<p>Mean over the replications &plusmn; half-width of "
		   "the Student-t 95 %% confidence interval.</p>\n");
	static const char *const key[] = {"submitted",
					  "delivered",
					  "bounced",
					  "queued",
					  "delivered_old_after_cutover",
					  "old_last_h",
					  "latency_p50_s",
					  "latency_p99_s",
					  "attempts_per_message",
					  "peak_queue_senders"};
	static const char *const key_label[] = {"messages",
						"delivered",
						"bounced",
						"queued at end",
						"to old provider after switch",
						"last to old (h after switch)",
						"latency p50 (s)",
						"latency p99 (s)",
						"attempts / message",
						"peak queue at senders"};
	table(f, s, key, key_label, (int)(sizeof key / sizeof *key));
	/* bounces, deferrals and per-server figures that are not all zero */
	fprintf(f, "<h2>Bounces, deferrals and servers</h2>\n");
	static char stem[256][128];
	const char *stems[256];
	int ns = 0;
	for (int c = 1 + s->naxes + 1; c < s->agg.ncols && ns < 256; c += 2) {
		const char *h = s->agg.head[c];
		if (strncmp(h, "bounced_", 8) && strncmp(h, "deferrals_", 10) &&
		    strncmp(h, "sessions_peak_", 14) && strncmp(h, "busy421_", 8) &&
		    strncmp(h, "queue_peak_", 11) && strncmp(h, "delivered_", 10))
			continue;
		/* the totals are in the first table */
		if (!strncmp(h, "delivered_old", 13) || !strcmp(h, "delivered_mean") ||
		    !strcmp(h, "bounced_mean"))
			continue;
		bool any = false;
		for (int p = 0; p < s->agg.nrows; p++)
			any |= rt_num(&s->agg, p, c) != 0 && !isnan(rt_num(&s->agg, p, c));
		if (!any)
			continue;
		snprintf(stem[ns], sizeof stem[ns], "%.*s", (int)strlen(h) - 5, h); /* less _mean */
		stems[ns] = stem[ns];
		ns++;
	}
	table(f, s, stems, stems, ns);
	fprintf(f, "<h2>Plots</h2>\n");
	for (int i = 0; i < s->nimages; i++) {
		char svg[80];
		snprintf(svg, sizeof svg, "%.*s.svg", (int)strlen(s->image[i]) - 4, s->image[i]);
		fprintf(f, "<h3>");
		esc(f, s->caption[i]);
		fprintf(f, "</h3>\n<p><a href=\"%s\"><img src=\"%s\" alt=\"", svg, s->image[i]);
		esc(f, s->caption[i]);
		fprintf(f, "\"></a></p>\n");
	}
	fprintf(f, "<h2>Files</h2>\n<p>");
	static const char *const files[] = {"summary.csv", "aggregate.csv", "timeseries.csv",
					    "latency.csv", "points.csv",    "servers.csv",
					    "trace.csv",   "scenario.ini",  "manifest.ini"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", s->dir, files[i]);
		if (access(path, R_OK) == 0)
			fprintf(f, "<a href=\"%s\">%s</a> ", files[i], files[i]);
	}
	fprintf(f, "</p>\n<h2>Run</h2>\n<pre>");
	esc(f, s->manifest);
	fprintf(f, "</pre>\n</body></html>\n");
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad)
		fprintf(stderr, "mxsim: writing %s failed\n", path);
	return bad ? -1 : 0;
}

int report_index(const char *root, report_scn *const *s, int n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/index.html", root);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "mxsim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mxsim results</title>%s"
		   "</head><body>\n<h1>mxsim results</h1>\n<table><tr><th class=\"l\">scenario</th>"
		   "<th class=\"l\">verdict</th></tr>\n",
		style);
	for (int i = 0; i < n; i++) {
		char v[512];
		report_verdict(s[i], v, sizeof v);
		fprintf(f, "<tr><td class=\"l\"><a href=\"");
		esc(f, s[i]->name);
		fprintf(f, "/report.html\">");
		esc(f, s[i]->name);
		fprintf(f, "</a></td><td class=\"l\">");
		esc(f, v);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n</body></html>\n");
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}
