/*
 * sens.c - the moved runs of --sensitivity and sensitivity.csv (see
 * sens.h).
 */
#include "sens.h"
#include "jobres.h"
#include "../models/scenario/assume.h"
#include "../sim/stats.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* batch_load of one file, its words (warnings, notes) kept off stderr:
 * its scenario's load said them. On failure, says what (if loud) and
 * loads it again to say why. */
static int load_moved(batch *b, char *file, char **sets, int nsets, bool loud, const char *what)
{
	int rc = batch_load_quiet(b, 1, &file, sets, nsets);
	if (rc && loud) {
		fputs(what, stderr);
		batch_free(b);
		batch_load(b, 1, &file, sets, nsets);
	}
	return rc;
}

/* The moved batches of scenario b[i] into b from *n on; 0 or -1. */
static int load_scenario(batch *b, int i, char *file, char **sets, int nsets, bool loud, int *n)
{
	const scn *s = b[i].pt[0];
	char why[256], *all[nsets + 2];
	for (int j = 0; j < nsets; j++)
		all[j] = sets[j];
	for (int a = 0; a < SCN_A_N; a++) {
		if (*scn_assumption_own(s, (scn_assumption_id)a, why, sizeof why))
			continue;
		double end[2];
		int line;
		scn_assumption_range(s, (scn_assumption_id)a, &end[0], &end[1], &line);
		for (int side = 0; side < 2; side++) {
			int k = scn_assumption_sets((scn_assumption_id)a, end[side], all + nsets);
			char *what = xasprintf("%s:%d: --sensitivity: assumption %s at its %s "
					       "value %.6g cannot run:\n",
					       scn_file_path(b[i].f), line, scn_assumptions[a].name,
					       side ? "high" : "low", end[side]);
			batch *m = &b[(*n)++];
			int rc = load_moved(m, file, all, nsets + k, loud, what);
			for (int j = 0; j < k; j++)
				free(all[nsets + j]);
			free(what);
			if (rc)
				return -1;
			m->assume = a, m->side = side;
		}
	}
	return 0;
}

int sens_load(batch **bp, int nfiles, char **files, char **sets, int nsets, bool loud, int *nb)
{
	int want = 0, n = nfiles, first[nfiles];
	char why[256];
	for (int i = 0; i < nfiles; i++) {
		const char *no = (*bp)[i].plan ? "not for a [plan]; run its answer as a scenario "
						 "(the value in its results' scenario.ini)"
				 : !(*bp)[i].nans ? "it moves the [report] answer figures, and the "
						    "scenario names none"
						  : NULL;
		if (no) {
			if (loud)
				fprintf(stderr, "%s: --sensitivity: %s\n",
					scn_file_path((*bp)[i].f), no);
			return -1;
		}
		for (int a = 0; a < SCN_A_N; a++)
			want += 2 * !*scn_assumption_own((*bp)[i].pt[0], (scn_assumption_id)a, why,
							 sizeof why);
	}
	batch *b = *bp = xrealloc(*bp, (size_t)(nfiles + want) * sizeof **bp);
	memset(b + nfiles, 0, (size_t)want * sizeof *b);
	*nb = nfiles + want; /* zeroed ones free as empty */
	for (int i = 0; i < nfiles; i++) {
		first[i] = n;
		b[i].sens_on = true;
		if (load_scenario(b, i, files[i], sets, nsets, loud, &n))
			return -1;
		b[i].nsens = n - first[i];
	}
	for (int i = 0; i < nfiles; i++) {
		b[i].sens = b + first[i];
		for (int k = 0; k < b[i].nsens; k++)
			b[first[i] + k].of = &b[i];
	}
	return 0;
}

bool sens_ready(const batch *b)
{
	for (int k = 0; k < b->nsens; k++)
		if (!b->sens[k].final)
			return false;
	return b->final;
}

/* One row: an assumption's figures at a point (NaN: not moved, why in
 * left; a copy, as rows are sorted). */
typedef struct {
	int a;
	double v[8]; /* at_low, its ci95, at_default, ci95, at_high, ci95, swing, ci95 */
	char left[256];
} sens_row;

/* The swing |high - low| of column m at p, and its 95 % CI from the runs'
 * differences, paired by replication (the same seeds). */
static void swing(const batch *lo, const batch *hi, long p, int m, double v[8])
{
	unsigned n = lo->reps < hi->reps ? lo->reps : hi->reps;
	double d[n ? n : 1], mean;
	int k = 0;
	for (unsigned r = 0; r < n; r++) {
		double x = jobres_at(hi, p, r).summary[m] - jobres_at(lo, p, r).summary[m];
		if (!isnan(x))
			d[k++] = x;
	}
	v[6] = fabs(v[4] - v[0]);
	v[7] = NAN;
	if (k)
		st_ci95(d, k, &mean, &v[7]);
}

/* By swing, largest first; rows not moved last; then in table order. */
static int by_swing(const void *x, const void *y)
{
	const sens_row *a = x, *b = y;
	double sa = isnan(a->v[6]) ? -1 : a->v[6], sb = isnan(b->v[6]) ? -1 : b->v[6];
	return sa > sb ? -1 : sa < sb ? 1 : a->a - b->a;
}

/* The rows of answer figure m at point p, sorted. */
static void rows_of(const batch *b, long p, int m, sens_row *row)
{
	run_stats d = batch_stats(b, p, m, false);
	for (int a = 0; a < SCN_A_N; a++) {
		const batch *end[2] = {NULL, NULL};
		for (int k = 0; k < b->nsens; k++)
			if (b->sens[k].assume == a)
				end[b->sens[k].side] = &b->sens[k];
		sens_row *r = &row[a];
		r->a = a;
		for (int i = 0; i < 8; i++)
			r->v[i] = NAN;
		r->left[0] = '\0';
		if (!end[0] || !end[1]) {
			char why[sizeof r->left];
			snprintf(r->left, sizeof r->left, "%s",
				 scn_assumption_own(b->pt[0], (scn_assumption_id)a, why,
						    sizeof why));
			continue;
		}
		run_stats lo = batch_stats(end[0], p, m, false),
			  hi = batch_stats(end[1], p, m, false);
		r->v[0] = lo.mean, r->v[1] = lo.half, r->v[2] = d.mean, r->v[3] = d.half;
		r->v[4] = hi.mean, r->v[5] = hi.half;
		swing(end[0], end[1], p, m, r->v);
	}
	qsort(row, SCN_A_N, sizeof *row, by_swing);
}

void sens_write(const batch *b, const study *st, csvw *w)
{
	static const char *const cols[] = {
		"figure",  "assumption",   "unit",        "low",        "default",
		"high",    "at_low",       "at_low_ci95", "at_default", "at_default_ci95",
		"at_high", "at_high_ci95", "swing",       "swing_ci95", "rank",
		"left",    "what",         "source",      NULL};
	batch_csv_head(w, st, cols);
	csvw_end(w);
	sens_row row[SCN_A_N];
	for (long p = 0; p < b->npoints; p++)
		for (int f = 0; f < b->nans; f++) {
			rows_of(b, p, b->ans[f], row);
			for (int i = 0; i < SCN_A_N; i++) {
				const scn_assumption *a = &scn_assumptions[row[i].a];
				double lo, hi;
				int line;
				scn_assumption_range(b->pt[0], (scn_assumption_id)row[i].a, &lo,
						     &hi, &line);
				csvw_int(w, p);
				batch_csv_axes(w, st, p);
				csvw_str(w, b->sum_names[b->ans[f]]);
				csvw_str(w, a->name);
				csvw_str(w, a->unit);
				csvw_num(w, lo);
				csvw_num(w, a->def);
				csvw_num(w, hi);
				for (int k = 0; k < 8; k++)
					csvw_num(w, row[i].v[k]);
				if (*row[i].left)
					csvw_str(w, "");
				else
					csvw_int(w, i + 1);
				csvw_str(w, row[i].left);
				csvw_str(w, a->what);
				csvw_str(w, a->source);
				csvw_end(w);
			}
		}
}
