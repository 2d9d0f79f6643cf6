/*
 * sensview.c - sensitivity.csv in the report and a tornado plot (see
 * sensview.h). Rows come point by point, figure by figure, the moved
 * assumptions by swing (rank 1 first), then those left.
 */
#include "sensview.h"
#include "figure.h"
#include "gnuplot.h"
#include "report.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double num(const rs_scn *s, int r, const char *col)
{
	return rt_num(&s->sens, r, rt_col(&s->sens, col));
}

static const char *str(const rs_scn *s, int r, const char *col)
{
	return rt_str(&s->sens, r, rt_col(&s->sens, col));
}

/* The unit of answer figure name (answer.csv), "" if unknown. */
static const char *unit_of(const rs_scn *s, const char *name)
{
	for (int a = 0; a < s->nans; a++)
		if (!strcmp(s->ans[a], name))
			return s->ans_unit[a];
	return "";
}

/* Row r's rank: 1 for the largest swing; 0 if left (or not a rank). */
static int rank_of(const rs_scn *s, int r)
{
	double k = num(s, r, "rank");
	return k >= 1 && k <= 1000 && k == floor(k) ? (int)k : 0;
}

/* Whether rows r and q are of one point and figure. */
static bool same(const rs_scn *s, int r, int q)
{
	return num(s, r, "point") == num(s, q, "point") &&
	       !strcmp(str(s, r, "figure"), str(s, q, "figure"));
}

/* An assumption's value in its unit ("30 min", "8.74 %", "1.3"). */
static void value(FILE *f, const rs_scn *s, int r, const char *col)
{
	const char *u = str(s, r, "unit");
	fig_print(f, num(s, r, col), NAN, !strcmp(u, "s") || !strcmp(u, "share") ? u : "", "");
}

/* "0.41 h with floor_1h_length at 30 min" */
static void at(FILE *f, const rs_scn *s, int r, const char *u, const char *end)
{
	char *col = xasprintf("at_%s", end);
	fig_print(f, num(s, r, col), NAN, u, "");
	free(col);
	fputs(" at ", f);
	value(f, s, r, end);
}

/* Rows g .. (the group's end): the words, then the table. */
static int group(FILE *f, const rs_scn *s, int g)
{
	const char *fig = str(s, g, "figure"), *u = unit_of(s, fig);
	int e = g;
	while (e < s->sens.nrows && same(s, g, e))
		e++;
	fputs("<p><b>", f);
	report_esc(f, fig);
	fputs("</b>: ", f);
	fig_print(f, num(s, g, "at_default"), NAN, u, "");
	fputs(" with every assumption at its default", f);
	for (int r = g; r < e && r < g + 2; r++) {
		if (!(num(s, r, "swing") > 0))
			break;
		fputs(r == g ? "; moved most by <b>" : "; then by <b>", f);
		report_esc(f, str(s, r, "assumption"));
		fputs("</b> (", f);
		report_esc(f, str(s, r, "what"));
		fputs("): ", f);
		at(f, s, r, u, "low");
		fputs(", ", f);
		at(f, s, r, u, "high");
		if (!(num(s, r, "swing") > num(s, r, "swing_ci95")))
			fputs(" (within the runs' noise: add replications)", f);
	}
	if (!(num(s, g, "swing") > 0))
		fputs("; no assumption moved it", f);
	fputs(".</p>\n<table><tr><th class=\"l\">assumption</th><th>low</th><th>at low</th>"
	      "<th>high</th><th>at high</th><th>swing &plusmn; CI</th><th "
	      "class=\"l\">source</th></tr>\n",
	      f);
	for (int r = g; r < e && rank_of(s, r); r++) {
		fputs("<tr><td class=\"l\">", f);
		report_esc(f, str(s, r, "assumption"));
		static const char *const cols[] = {"low", "at_low", "high", "at_high"};
		for (int k = 0; k < 4; k++) {
			fputs("</td><td>", f);
			if (k % 2)
				fig_print(f, num(s, r, cols[k]), NAN, u, "");
			else
				value(f, s, r, cols[k]);
		}
		fputs("</td><td>", f);
		fig_print(f, num(s, r, "swing"), num(s, r, "swing_ci95"), u, "&plusmn;");
		fputs("</td><td class=\"l\">", f);
		report_esc(f, str(s, r, "source"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	return e;
}

/* The assumptions left at point p's first group g, and why. */
static void left(FILE *f, const rs_scn *s, int g)
{
	bool any = false;
	for (int r = g; r < s->sens.nrows && same(s, g, r); r++) {
		if (!*str(s, r, "left"))
			continue;
		fputs(any ? "; " : "<p>Not moved: ", f);
		report_esc(f, str(s, r, "assumption"));
		fputs(", ", f);
		report_esc(f, str(s, r, "left"));
		any = true;
	}
	if (any)
		fputs(".</p>\n", f);
}

void sv_section(FILE *f, const rs_scn *s)
{
	if (!s->sens.nrows)
		return;
	fputs("<h2>Which assumption moves the answer</h2>\n<p>Each assumption the scenario "
	      "does not set itself (<code>mxsim help assumptions</code>) was moved to its "
	      "low and to its high value, one at a time, the others at their defaults, on "
	      "the same seeds (common random numbers). The swing is |at high &minus; at "
	      "low|, its CI from the runs' differences paired by seed "
	      "(sensitivity.csv).</p>\n",
	      f);
	for (int g = 0; g < s->sens.nrows;) {
		int p = (int)num(s, g, "point");
		if (s->naxes && (g == 0 || num(s, g - 1, "point") != p)) {
			char *l = rs_label(s, p);
			fputs("<h3>", f);
			report_esc(f, l);
			fputs("</h3>\n", f);
			free(l);
		}
		if (g == 0 || num(s, g - 1, "point") != p)
			left(f, s, g);
		g = group(f, s, g);
	}
}

int sv_plot(rs_scn *s)
{
	if (!s->sens.nrows)
		return 0;
	gp_vars *v = gp_new();
	gp_str(v, s->name, "name");
	int n = 0, rows = 0;
	for (int r = 0; r < s->sens.nrows && num(s, r, "point") == 0; r++) {
		int k = rank_of(s, r);
		rows = same(s, r, 0) && k > rows ? k : rows;
		if (r > 0 && same(s, r, r - 1)) {
			if (k) /* its name, for the y axis */
				gp_str(v, str(s, r, "assumption"), "a%d_%d", n, k);
			continue;
		}
		n++;
		const char *fig = str(s, r, "figure"), *u = unit_of(s, fig);
		gp_str(v, fig, "fig%d", n);
		gp_str(v, *u ? u : "", "unit%d", n);
		gp_num(v, num(s, r, "at_default"), "def%d", n);
		if (k)
			gp_str(v, str(s, r, "assumption"), "a%d_%d", n, k);
	}
	gp_num(v, n, "nfig");
	gp_num(v, rows > 0 ? rows : 1, "nrows");
	char *l = s->naxes ? rs_label(s, 0) : xstrdup("");
	gp_str(v, l, "point");
	free(l);
	int rc = gp_run(v, s->dir, "sensitivity.gp", "sensitivity");
	rs_add_image(s, "sensitivity.png",
		     "Which assumption moves each answer figure (first study point): bars from "
		     "the value at the defaults to the value with the assumption at its low and "
		     "at its high end, largest swing on top");
	return rc;
}
