/*
 * load.c - scenario files into batches (batch.h): every study point read
 * and checked up front (any error: a message, and nothing runs), the
 * columns and answer figures found once, the batch's sizes; and what
 * `mxsim check` prints. Conventions as in main.c.
 */
#include "../models/budget.h"
#include "../models/metrics.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"
#include "batch.h"
#include "plan.h"
#include "trace.h"

#include "../sim/simtime.h"

#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void batch_free(batch *b)
{
	if (b->pt)
		scn_free(b->pt[0]);
	if (b->cache)
		scn_free(b->cache->s);
	free(b->cache);
	free(b->pt);
	free(b->cost);
	for (long i = 0; b->res && i < b->npoints * (long)b->max_reps; i++)
		free(b->res[i]);
	free(b->res);
	for (int i = 0; b->sum_names && i < b->nsum; i++)
		free(b->sum_names[i]);
	free(b->sum_names);
	free(b->ans);
	for (int i = 0; i < b->ntargets; i++)
		free(b->targets[i].text);
	free(b->targets);
	free(b->prec);
	for (int i = 0; b->ts_names && i < b->nts; i++)
		free(b->ts_names[i]);
	free(b->ts_names);
	scn_file_free(b->f);
	plan_free(b->plan);
}

/* One value of [run] precision: "10%" (< 0: a share) or "0.05"; 0 if bad. */
static double prec_value(const char *v)
{
	char *end;
	double x = strtod(v, &end);
	while (*end == ' ')
		end++;
	bool share = *end == '%';
	end += share;
	while (*end == ' ')
		end++;
	return end == v || *end || !(x > 0) ? 0 : share ? -x / 100 : x;
}

/* [run] precision into b->prec: a value alone for every answer figure,
 * or "figure value" pairs; 0, or -1 after a message (file:line). */
static int precisions(batch *b)
{
	int line;
	b->precision = scn_precision(b->pt[0], &b->max_reps, &line);
	b->prec = xcalloc((size_t)b->nans + 1, sizeof *b->prec);
	if (*b->precision && !b->nans) {
		fprintf(stderr,
			"%s:%d: precision: it applies to the answer figures; name them in [report] "
			"answer\n",
			scn_file_path(b->f), line);
		return -1;
	}
	char *list = xstrdup(b->precision), *save, *tok;
	int rc = 0;
	double all = 0;
	for (tok = strtok_r(list, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		size_t n = strcspn(tok, " \t");
		int a = 0;
		while (a < b->nans && (strlen(b->sum_names[b->ans[a]]) != n ||
				       strncmp(b->sum_names[b->ans[a]], tok, n)))
			a++;
		double v = prec_value(a < b->nans ? tok + n : tok);
		if (!v || (a == b->nans && isalpha((unsigned char)*tok))) {
			fprintf(stderr,
				"%s:%d: precision: '%.80s': expected 10%% or a value > 0, alone or "
				"after one of the answer figures\n",
				scn_file_path(b->f), line, tok);
			rc = -1;
		} else if (a < b->nans) {
			b->prec[a] = v;
		} else {
			all = v;
		}
	}
	for (int a = 0; a < b->nans && all; a++)
		b->prec[a] = b->prec[a] ? b->prec[a] : all;
	free(list);
	return rc;
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
	return rc ? rc : precisions(b);
}

int batch_parse_target(const batch *b, const char *tok, int line, const char *key, batch_target *t)
{
	static const char *const ops[] = {[SRCH_LT] = "<",
					  [SRCH_LE] = "<=",
					  [SRCH_EQ] = "==",
					  [SRCH_GE] = ">=",
					  [SRCH_GT] = ">"};
	char name[128] = "", op[3] = "", err[UNIT_ERR];
	int end = 0, k = 0, m = 0;
	double v = 0;
	sscanf(tok, " %127[^<=> \t] %2[<=>]%n", name, op, &end);
	while (k <= SRCH_GT && strcmp(op, ops[k]))
		k++;
	while (m < b->nsum && strcmp(b->sum_names[m], name))
		m++;
	if (!end || k > SRCH_GT || m == b->nsum || unit_number(tok + end, &v, err)) {
		fprintf(stderr,
			"%s:%d: %s: expected METRIC OP VALUE (a summary column; OP <, <=, ==, "
			">=, >; a number in its unit), got '%.80s'\n",
			scn_file_path(b->f), line, key, tok);
		return -1;
	}
	*t = (batch_target){m, (srch_op)k, v, xstrdup(tok)};
	return 0;
}

/* One [report] target into b; 0 or -1. */
static int target(batch *b, const char *tok, int line)
{
	batch_target t;
	if (batch_parse_target(b, tok, line, "target", &t))
		return -1;
	b->targets = xrealloc(b->targets, (size_t)(b->ntargets + 1) * sizeof *b->targets);
	b->targets[b->ntargets++] = t;
	return 0;
}

/* [report] target: a list of targets, each checked; 0 or -1. */
static int targets(batch *b)
{
	int line, rc = 0;
	char *list = xstrdup(scn_targets(b->pt[0], &line)), *save, *tok;
	for (tok = strtok_r(list, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		rc = target(b, tok, line);
	}
	free(list);
	return rc;
}

/* Whether two points have the same summary and time-series columns. */
static bool same_columns(const scn *a, const scn *b)
{
	int (*names[])(const mdl_config *, char **) = {met_summary_names, met_ts_names};
	bool same = true;
	for (int k = 0; k < 2; k++) {
		int n = names[k](scn_config(a), NULL);
		if (names[k](scn_config(b), NULL) != n)
			return false;
		char **x = xcalloc((size_t)n, sizeof *x), **y = xcalloc((size_t)n, sizeof *y);
		names[k](scn_config(a), x);
		names[k](scn_config(b), y);
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

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A column name that two names make (a server "provider_a" and a provider
 * "a" both give delivered_provider_a), or NULL. */
static const char *twice(char **names, int n)
{
	char **sorted = xmalloc((size_t)n * sizeof *sorted);
	memcpy(sorted, names, (size_t)n * sizeof *sorted);
	qsort(sorted, (size_t)n, sizeof *sorted, cmp_name);
	const char *dup = NULL;
	for (int i = 1; i < n && !dup; i++)
		if (!strcmp(sorted[i], sorted[i - 1]))
			dup = sorted[i];
	free(sorted);
	return dup;
}

/* The columns, answer and sizes of b[i], loaded from files[i] (the
 * earlier files for the name check); 0 or -1. */
static int describe(batch *b, int i, char **files)
{
	for (int k = 0; k < i; k++)
		if (!strcmp(b[k].name, b[i].name)) {
			fprintf(stderr, "%s: scenario name '%s' is also used by %s\n", files[i],
				b[i].name, files[k]);
			return -1;
		}
	b[i].reps = scn_replications(b[i].pt[0]);
	b[i].nsum = met_summary_names(scn_config(b[i].pt[0]), NULL);
	b[i].nts = met_ts_names(scn_config(b[i].pt[0]), NULL);
	b[i].sum_names = xcalloc((size_t)b[i].nsum, sizeof(char *));
	b[i].ts_names = xcalloc((size_t)b[i].nts, sizeof(char *));
	met_summary_names(scn_config(b[i].pt[0]), b[i].sum_names);
	if (strcmp(b[i].sum_names[0], "submitted")) { /* write_latency reads it there */
		fprintf(stderr,
			"mxsim: internal error: the first summary column is not submitted\n");
		abort();
	}
	met_ts_names(scn_config(b[i].pt[0]), b[i].ts_names);
	const char *dup = twice(b[i].sum_names, b[i].nsum);
	if (!dup)
		dup = twice(b[i].ts_names, b[i].nts);
	if (dup) {
		fprintf(stderr,
			"%s: the column '%s' would be written twice: server, provider and resolver "
			"profile names make column names; rename one\n",
			files[i], dup);
		return -1;
	}
	if (answers(&b[i]) || targets(&b[i]))
		return -1;
	b[i].events_col = -1;
	for (int m = 0; m < b[i].nsum; m++)
		if (!strcmp(b[i].sum_names[m], "events"))
			b[i].events_col = m;
	const mdl_config *c = scn_config(b[i].pt[0]);
	b[i].bucket = c->bucket;
	b[i].nbuckets = (int)((c->duration + c->bucket - 1) / c->bucket);
	st_hist h;
	st_hist_init(&h, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	b[i].nbins = (int)h.h->n;
	st_hist_free(&h);
	return 0;
}

/* Point p (> 0) of b built and checked against point 0, then freed: what
 * the run needs of it (its cost, its run's memory) is kept, and it is
 * built again when its jobs run (batch_point). prev: the warnings said
 * last; 0 or -1 after a message. */
static int check_point(batch *b, long p, char **prev)
{
	char err[SCN_ERR];
	scn *q;
	if (scn_point(b->f, p, &q, err)) {
		fprintf(stderr, "%s\nmxsim: (in study point %ld)\n", err, p);
		return -1;
	}
	scn *z = b->pt[0];
	int rc = 0;
	if (!same_columns(z, q) || scn_config(q)->duration != scn_config(z)->duration ||
	    scn_config(q)->bucket != scn_config(z)->bucket || scn_replications(q) != b->reps) {
		fprintf(stderr,
			"%s: a study may not change the servers, providers, resolver profiles, "
			"duration, bucket or replications between points\n",
			scn_file_path(b->f));
		rc = -1;
	}
	if (strcmp(scn_warnings(q), *prev)) { /* each warning once */
		fputs(scn_warnings(q), stderr);
		free(*prev);
		*prev = xstrdup(scn_warnings(q));
	}
	batch_note_point(b, p, q);
	scn_free(q);
	return rc;
}

int batch_load(batch *b, int nfiles, char **files, char **sets, int nsets)
{
	for (int i = 0; i < nfiles; i++) {
		char err[SCN_ERR];
		memset(&b[i], 0, sizeof b[i]);
		b[i].cache = xmalloc(sizeof *b[i].cache);
		*b[i].cache = (batch_cache){NULL, -1};
		if (scn_load(files[i], sets, nsets, &b[i].f, err)) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		fputs(scn_file_notes(b[i].f), stderr);
		const study *st = scn_file_study(b[i].f);
		b[i].npoints = st->npoints;
		b[i].pt = xcalloc(1, sizeof *b[i].pt);
		b[i].cost = xcalloc((size_t)st->npoints, sizeof *b[i].cost);
		if (scn_point(b[i].f, 0, &b[i].pt[0], err)) {
			fprintf(stderr, "%s\n", err);
			if (st->naxes)
				fprintf(stderr, "mxsim: (in study point 0)\n");
			return -1;
		}
		fputs(scn_warnings(b[i].pt[0]), stderr);
		snprintf(b[i].name, sizeof b[i].name, "%s", scn_name(b[i].pt[0]));
		const scn_plan *plan = scn_plan_of(b[i].pt[0]);
		if (describe(b, i, files) || (plan && plan_load(&b[i], plan, sets, nsets)))
			return -1;
		st = scn_file_study(b[i].f); /* a plan's is new, with one point */
		batch_note_point(&b[i], 0, b[i].pt[0]);
		char *prev = xstrdup(scn_warnings(b[i].pt[0]));
		int rc = 0;
		for (long p = 1; p < st->npoints && !rc; p++)
			rc = check_point(&b[i], p, &prev);
		free(prev);
		if (rc)
			return -1;
	}
	return 0;
}

int batch_load_quiet(batch *b, int nfiles, char **files, char **sets, int nsets)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	fflush(stderr);
	dup2(null, 2);
	int rc = batch_load(b, nfiles, files, sets, nsets);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	return rc;
}

void batch_print(const batch *b, int n)
{
	for (int i = 0; i < n; i++) {
		const study *st = scn_file_study(b[i].f);
		if (b[i].plan)
			printf("; %s: a plan\n", scn_file_path(b[i].f)), plan_print(&b[i]);
		else
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

scn *batch_point(const batch *b, long p)
{
	batch_cache *c = b->cache;
	if (p == 0)
		return b->pt[0];
	if (c->p != p) {
		char err[SCN_ERR];
		scn_free(c->s);
		c->s = NULL;
		c->p = -1;
		if (scn_point(b->f, p, &c->s, err)) {
			fprintf(stderr, "mxsim: internal error: point %ld, checked, now: %s\n", p,
				err);
			abort();
		}
		c->p = p;
	}
	return c->s;
}

void batch_note_point(batch *b, long p, scn *q)
{
	const mdl_config *c = scn_config(q);
	bgt_estimate e;
	bgt_estimate_run(c, &e);
	b->cost[p] = c->rate * (double)c->duration / SIM_SEC;
	b->run_bytes = e.bytes > b->run_bytes ? e.bytes : b->run_bytes;
	double conf = bgt_domain_bytes(c->ndomains);
	b->point_bytes = conf > b->point_bytes ? conf : b->point_bytes;
}

/* Bytes b holds until its last run is in: its results and its points in
 * use (point 0, and one other in a study). */
static double held(const batch *b, bool trace)
{
	bgt_estimate e;
	bgt_estimate_run(scn_config(b->pt[0]), &e);
	double per = 8.0 * ((double)b->nsum + (double)b->nbuckets * b->nts + b->nbins + 4);
	if (trace)
		per += 8.0 * TRACE_COLS * e.messages;
	return per * (double)b->npoints * b->max_reps + (b->npoints > 1 ? 2 : 1) * b->point_bytes;
}

int batch_fits(const batch *b, int n, long workers, bool trace)
{
	double all = 0, run = 0, jobs = 0;
	int least = 0;
	for (int i = 0; i < n; i++) {
		all += held(&b[i], trace && !b[i].of); /* a moved run keeps no trace */
		run = b[i].run_bytes > run ? b[i].run_bytes : run;
		jobs += (double)b[i].npoints * b[i].max_reps;
		if (scn_max_memory(b[i].pt[0]) < scn_max_memory(b[least].pt[0]))
			least = i;
	}
	double at_once = workers < jobs ? (double)workers : jobs;
	double need = all + at_once * run, limit = scn_max_memory(b[least].pt[0]);
	if (need <= limit)
		return 0;
	char a[32], r[32], t[32];
	bgt_format_bytes(all, a, sizeof a);
	bgt_format_bytes(run, r, sizeof r);
	bgt_format_bytes(need, t, sizeof t);
	fprintf(stderr,
		"%s: this command needs up to %s: %s of results and study points held for "
		"%d scenario(s)%s, and %.0f run(s) at once of up to %s each; more than [run] "
		"max_memory = %s; use fewer points, replications, buckets or workers (-j), or "
		"smaller runs\n",
		scn_file_path(b[least].f), t, a, n, trace ? " with --trace" : "", at_once, r,
		scn_max_memory_text(b[least].pt[0]));
	return -1;
}
