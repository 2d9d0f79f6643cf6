/*
 * planview.c - a [plan]'s answer in the report, the index and a plot (see
 * planview.h). The manifest's plan_ lines are text from a results
 * folder: they reach HTML through report_esc, gnuplot as gp_str/gp_num.
 */
#include "planview.h"
#include "figure.h"
#include "gnuplot.h"
#include "report.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool pv_is_plan(const rs_scn *s)
{
	return s->plan.nrows > 0 && *s->plan_key[RS_PLAN_vary];
}

static const char *key(const rs_scn *s, rs_plan_key k)
{
	return s->plan_key[k];
}

/* v in the varied key's unit. */
static void value(FILE *m, const rs_scn *s, double v)
{
	const char *u = key(s, RS_PLAN_unit);
	if (!strcmp(u, "t") && v >= 0 && v < 1e12) { /* a time in the run: day and hour */
		long min = lround(v / 60);
		fprintf(m, "%s %02ld:%02ld (%.4g h from time 0)",
			unit_weekday_name((int)((min / 1440 + s->start_day) % 7)), min / 60 % 24,
			min % 60, v / 3600);
	} else if (!strcmp(u, "s"))
		fig_print(m, v, NAN, "s", "");
	else if (!strcmp(u, "B"))
		fig_print(m, v, NAN, "bytes", "");
	else if (!strcmp(u, "/s"))
		fprintf(m, "%.4g/h", v * 3600);
	else
		fprintf(m, v == floor(v) && fabs(v) < 1e15 ? "%.0f" : "%.4g", v);
}

/* plan.csv's row of value v, or -1. */
static int row_of(const rs_scn *s, double v)
{
	int vc = rt_col(&s->plan, "value");
	for (int r = 0; r < s->plan.nrows; r++)
		if (rt_num(&s->plan, r, vc) == v)
			return r;
	return -1;
}

static double cell(const rs_scn *s, int r, const char *col)
{
	return r < 0 ? NAN : rt_num(&s->plan, r, rt_col(&s->plan, col));
}

/* "with storage452_backup == 0 in at least 95% of runs, at 95% confidence" */
static void goal(FILE *m, const rs_scn *s)
{
	bool mean = !strcmp(key(s, RS_PLAN_in), "mean");
	fprintf(m, "%s%s%s%s, at %s confidence", mean ? "with the mean of " : "with ",
		key(s, RS_PLAN_goal), mean ? " over its whole interval" : " in at least ",
		mean ? "" : key(s, RS_PLAN_in), key(s, RS_PLAN_confidence));
}

/* The share of runs of plan.csv's row r meeting the goal, with its
 * interval: "61 of 72 runs (74-92 %)". */
static void share(FILE *m, const rs_scn *s, int r)
{
	fprintf(m, "%.0f of %.0f runs (%.0f-%.0f %%)", cell(s, r, "met"), cell(s, r, "runs"),
		100 * cell(s, r, "share_low"), 100 * cell(s, r, "share_high"));
}

void pv_words(FILE *m, const rs_scn *s)
{
	const char *o = key(s, RS_PLAN_outcome), *seek = key(s, RS_PLAN_seek);
	double shown = strtod(key(s, RS_PLAN_shown), NULL);
	int r = row_of(s, shown);
	if (!strcmp(o, "found") || (!strcmp(o, "max_runs") && *key(s, RS_PLAN_value))) {
		fprintf(m, "%sthe %s %s ", *o == 'm' ? "max_runs reached first; so far " : "", seek,
			key(s, RS_PLAN_vary));
		goal(m, s);
		fputs(": ", m);
		value(m, s, shown);
	} else if (!strcmp(o, "everywhere")) {
		fprintf(m, "every %s in the range meets it, ", key(s, RS_PLAN_vary));
		goal(m, s);
		fputs(": even ", m);
		value(m, s, shown);
		fprintf(m, ", the range's %s, does; a %s value may too (widen the range)",
			*seek == 's' ? "lowest" : "highest", *seek == 's' ? "smaller" : "larger");
	} else {
		fprintf(m, "%s %s in the range ", *o == 'm' ? "max_runs reached first: no" : "no",
			key(s, RS_PLAN_vary));
		goal(m, s);
		fputs(*o == 'm' ? " shown so far; at " : "; at ", m);
		value(m, s, shown);
		fputs(", its end nearest to it, ", m);
		share(m, s, r);
		fputs(" meet the goal", m);
	}
	fprintf(m, " (%s runs)", key(s, RS_PLAN_runs));
}

/* The table of candidates, the one the results show in bold. */
static void candidates(FILE *f, const rs_scn *s, double shown)
{
	fputs("<table><tr><th>value</th><th>runs meeting the goal (interval)</th><th>goal "
	      "figure: mean &plusmn; CI</th><th class=\"l\">verdict</th></tr>\n",
	      f);
	for (int r = 0; r < s->plan.nrows; r++) {
		double v = cell(s, r, "value");
		bool b = v == shown;
		fputs(b ? "<tr><td><b>" : "<tr><td>", f);
		value(f, s, v);
		fputs(b ? "</b></td><td>" : "</td><td>", f);
		share(f, s, r);
		fputs("</td><td>", f);
		fig_print(f, cell(s, r, "mean"), cell(s, r, "ci95"), "", "&plusmn;");
		fputs("</td><td class=\"l\">", f);
		report_esc(f, rt_str(&s->plan, r, rt_col(&s->plan, "verdict")));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

void pv_section(FILE *f, const rs_scn *s)
{
	double shown = strtod(key(s, RS_PLAN_shown), NULL);
	fputs("<h2>The plan: the values tried</h2>\n<p>Each value ran on common random "
	      "numbers (run r of every value has the same seed). A value meets the goal when ",
	      f);
	if (!strcmp(key(s, RS_PLAN_in), "mean"))
		fputs("the goal holds over the whole Student-t interval of the mean", f);
	else
		fputs("the lower end of the Clopper-Pearson interval of its share of runs "
		      "meeting the goal reaches the share wanted",
		      f);
	fputs(" (at the confidence stated); it misses when the interval lies wholly short of "
	      "it, and is given twice its runs while undecided (up to 8 times its first; "
	      "still undecided then, it counts as missed, so the answer is on the safe "
	      "side). The search halves the values left between the last missed and the "
	      "first met, fourfold a round, and assumes meeting the goal gets likelier "
	      "towards the values it seeks beyond. The figures below the table are those "
	      "of the runs of <b>",
	      f);
	value(f, s, shown);
	fputs("</b>.</p>\n", f);
	candidates(f, s, shown);
}

int pv_plot(rs_scn *s)
{
	gp_vars *v = gp_new();
	bool mean = !strcmp(key(s, RS_PLAN_in), "mean");
	const char *g = key(s, RS_PLAN_goal), *op = strpbrk(g, "<=>");
	double want = mean ? (op ? strtod(op + strspn(op, "<=> "), NULL) : NAN)
			   : strtod(key(s, RS_PLAN_in), NULL);
	double lo = INFINITY, hi = -INFINITY;
	for (int r = 0; r < s->plan.nrows; r++)
		lo = fmin(lo, cell(s, r, "value")), hi = fmax(hi, cell(s, r, "value"));
	gp_str(v, s->name, "name");
	const char *u = key(s, RS_PLAN_unit);
	double scale = !strcmp(u, "s") || !strcmp(u, "t") ? 1.0 / 3600
		       : !strcmp(u, "/s")                 ? 3600
							  : 1;
	char *xl = xasprintf("%s%s", key(s, RS_PLAN_vary),
			     !strcmp(u, "t")    ? " (h from time 0)"
			     : !strcmp(u, "s")  ? " (h)"
			     : !strcmp(u, "/s") ? " (per hour)"
			     : !strcmp(u, "B")  ? " (bytes)"
						: "");
	gp_str(v, xl, "vary");
	free(xl);
	gp_num(v, scale, "xscale");
	char *ylab = mean ? xasprintf("%s (mean)", g) : xasprintf("runs meeting %s (%%)", g);
	gp_str(v, ylab, "ylab");
	free(ylab);
	gp_num(v, mean, "mean");
	gp_num(v, isfinite(want) ? want : 0, "want");
	gp_num(v, *key(s, RS_PLAN_value) ? scale * strtod(key(s, RS_PLAN_value), NULL) : NAN,
	       "answer");
	gp_num(v, lo > 0 && hi / lo > 20, "logx");
	int rc = gp_run(v, s->dir, "plan.gp", "plan");
	rs_add_image(s, "plan.png", "Plan: the values tried, with the goal and the answer");
	return rc;
}
