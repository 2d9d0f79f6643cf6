/*
 * load.c - scenario files into batches (batch.h): every study point read
 * and checked up front (any error: a message, and nothing runs), the
 * columns and answer figures found once, the batch's sizes; and what
 * `mxsim check` prints. Conventions as in main.c.
 */
#include "../models/budget.h"
#include "../models/metrics.h"
#include "../sim/xalloc.h"
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void batch_free(batch *b)
{
	for (long p = 0; p < b->npoints; p++)
		scn_free(b->pt[p]);
	free(b->pt);
	for (long i = 0; b->res && i < b->npoints * (long)b->max_reps; i++)
		free(b->res[i]);
	free(b->res);
	for (int i = 0; b->sum_names && i < b->nsum; i++)
		free(b->sum_names[i]);
	free(b->sum_names);
	free(b->ans);
	for (int i = 0; b->ts_names && i < b->nts; i++)
		free(b->ts_names[i]);
	free(b->ts_names);
	scn_file_free(b->f);
}

/* [report] answer: names of summary columns, each checked; 0 or -1. */
static int answers(batch *b)
{
	int line;
	char *list = xstrdup(scn_answer(b->pt[0], &line)), *save, *tok;
	int rc = 0;
	for (tok = strtok_r(list, ", \t", &save); tok && !rc; tok = strtok_r(NULL, ", \t", &save)) {
		int m = 0;
		while (m < b->nsum && strcmp(b->sum_names[m], tok))
			m++;
		if (m == b->nsum) {
			fprintf(stderr,
				"%s:%d: answer: '%.80s' is no summary column of this scenario "
				"(mxsim help metrics lists them)\n",
				scn_file_path(b->f), line, tok);
			rc = -1;
		} else {
			b->ans = xrealloc(b->ans, (size_t)(b->nans + 1) * sizeof *b->ans);
			b->ans[b->nans++] = m;
		}
	}
	free(list);
	double prec = scn_precision(b->pt[0], &(unsigned){0});
	if (!rc && prec && !b->nans) {
		fprintf(stderr,
			"%s: precision: it applies to the answer figures; name them in [report] "
			"answer\n",
			scn_file_path(b->f));
		rc = -1;
	}
	return rc;
}

/* Whether two points have the same summary and time-series columns. */
static bool same_columns(const scn *a, const scn *b)
{
	int (*names[])(const scn *, char **) = {met_summary_names, met_ts_names};
	bool same = true;
	for (int k = 0; k < 2; k++) {
		int n = names[k](a, NULL);
		if (names[k](b, NULL) != n)
			return false;
		char **x = xcalloc((size_t)n, sizeof *x), **y = xcalloc((size_t)n, sizeof *y);
		names[k](a, x);
		names[k](b, y);
		for (int i = 0; i < n; i++) {
			same &= !strcmp(x[i], y[i]);
			free(x[i]);
			free(y[i]);
		}
		free(x);
		free(y);
	}
	return same;
}

/* The columns, answer and sizes of b[i], loaded from files[i] (the
 * earlier files for the name check); 0 or -1. */
static int describe(batch *b, int i, char **files)
{
	const study *st = scn_file_study(b[i].f);
	for (int k = 0; k < i; k++)
		if (!strcmp(b[k].name, b[i].name)) {
			fprintf(stderr, "%s: scenario name '%s' is also used by %s\n", files[i],
				b[i].name, files[k]);
			return -1;
		}
	b[i].reps = scn_replications(b[i].pt[0]);
	b[i].precision = scn_precision(b[i].pt[0], &b[i].max_reps);
	b[i].nsum = met_summary_names(b[i].pt[0], NULL);
	b[i].nts = met_ts_names(b[i].pt[0], NULL);
	for (long p = 1; p < st->npoints; p++)
		if (!same_columns(b[i].pt[0], b[i].pt[p]) ||
		    scn_config(b[i].pt[p], 0)->duration != scn_config(b[i].pt[0], 0)->duration ||
		    scn_config(b[i].pt[p], 0)->bucket != scn_config(b[i].pt[0], 0)->bucket ||
		    scn_replications(b[i].pt[p]) != b[i].reps) {
			fprintf(stderr,
				"%s: a study may not change the servers, providers, resolver "
				"profiles, duration, bucket or replications between points\n",
				files[i]);
			return -1;
		}
	b[i].sum_names = xcalloc((size_t)b[i].nsum, sizeof(char *));
	b[i].ts_names = xcalloc((size_t)b[i].nts, sizeof(char *));
	met_summary_names(b[i].pt[0], b[i].sum_names);
	met_ts_names(b[i].pt[0], b[i].ts_names);
	if (answers(&b[i]))
		return -1;
	b[i].events_col = -1;
	for (int m = 0; m < b[i].nsum; m++)
		if (!strcmp(b[i].sum_names[m], "events"))
			b[i].events_col = m;
	const mdl_config *c = scn_config(b[i].pt[0], 0);
	b[i].bucket = c->bucket;
	b[i].nbuckets = (int)((c->duration + c->bucket - 1) / c->bucket);
	st_hist h;
	st_hist_init(&h, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	b[i].nbins = (int)h.h->n;
	st_hist_free(&h);
	return 0;
}

int batch_load(batch *b, int nfiles, char **files, char **sets, int nsets)
{
	for (int i = 0; i < nfiles; i++) {
		char err[SCN_ERR];
		memset(&b[i], 0, sizeof b[i]);
		if (scn_load(files[i], sets, nsets, &b[i].f, err)) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		fputs(scn_file_notes(b[i].f), stderr);
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
		for (long p = 0; p < st->npoints; p++) /* each warning once */
			if (p == 0 ||
			    strcmp(scn_warnings(b[i].pt[p]), scn_warnings(b[i].pt[p - 1])))
				fprintf(stderr, "%s", scn_warnings(b[i].pt[p]));
		snprintf(b[i].name, sizeof b[i].name, "%s", scn_name(b[i].pt[0]));
		if (describe(b, i, files))
			return -1;
	}
	return 0;
}

void batch_print(const batch *b, int n)
{
	for (int i = 0; i < n; i++) {
		const study *st = scn_file_study(b[i].f);
		printf("; %s: %ld point(s) x %u replication(s)\n", scn_file_path(b[i].f),
		       b[i].npoints, b[i].reps);
		for (int a = 0; a < st->naxes; a++) {
			printf("; study %s =", st->axes[a].name);
			for (int k = 0; k < st->axes[a].nvalues; k++)
				printf("%s %s", k ? "," : "", st->axes[a].values[k]);
			printf("\n");
		}
		scn_write(b[i].pt[0], stdout);
	}
}

/* The results of a batch are held until its last run is in: refuse a
 * batch whose results alone exceed the memory limit. */
int batch_fits(const batch *b, bool trace)
{
	bgt_estimate e;
	bgt_estimate_run(scn_config(b->pt[0], 0), &e);
	double per = 8.0 * ((double)b->nsum + (double)b->nbuckets * b->nts + b->nbins + 4);
	if (trace)
		per += 8.0 * TRACE_COLS * e.messages;
	double all = per * (double)b->npoints * b->max_reps, limit = scn_max_memory(b->pt[0]);
	if (all <= limit)
		return 0;
	char need[32], have[32];
	bgt_format_bytes(all, need, sizeof need);
	bgt_format_bytes(limit, have, sizeof have);
	fprintf(stderr,
		"%s: the results of %ld point(s) x %u replication(s)%s need %s until written, more "
		"than [run] max_memory = %s; use fewer points, replications or buckets\n",
		scn_file_path(b->f), b->npoints, b->reps, trace ? " with --trace" : "", need, have);
	return -1;
}
