/*
 * trace.c - trace.csv's columns, one row of the table each: its name and
 * how it is written from a packed row (see trace.h).
 */
#include "trace.h"
#include "jobres.h"
#include "../models/scenario/scenario.h"
#include "../sim/xalloc.h"

#include <math.h>

/* Where a row comes from: its point and replication, and the packed row. */
typedef struct {
	const batch *b;
	long p;
	unsigned r;
	const double *row;
} src;

static const char *const outcome[] = {"delivered", "bounced", "queued"};

static void point(csvw *w, const src *s)
{
	csvw_int(w, s->p);
}
static void replication(csvw *w, const src *s)
{
	csvw_int(w, s->r);
}
static void id(csvw *w, const src *s)
{
	csvw_int(w, (int64_t)s->row[TRACE_ID]);
}
static void birth(csvw *w, const src *s)
{
	csvw_num(w, s->row[TRACE_BIRTH]);
}
static void end(csvw *w, const src *s)
{
	csvw_num(w, s->row[TRACE_END]);
}
static void sender(csvw *w, const src *s)
{
	csvw_int(w, (int64_t)s->row[TRACE_SENDER]);
}
static void domain(csvw *w, const src *s)
{
	csvw_int(w, (int64_t)s->row[TRACE_DOMAIN]);
}
static void domain_name(csvw *w, const src *s)
{
	csvw_str(w, scn_domain_name(batch_point(s->b, s->p), (int)s->row[TRACE_DOMAIN]));
}
static void attempts(csvw *w, const src *s)
{
	csvw_int(w, (int64_t)s->row[TRACE_ATTEMPTS]);
}
static void outcome_of(csvw *w, const src *s)
{
	csvw_str(w, outcome[(int)s->row[TRACE_OUTCOME]]);
}
static void reason(csvw *w, const src *s)
{
	double v = s->row[TRACE_REASON];
	csvw_str(w, isnan(v) ? "" : mdl_bounce_names[(int)v]);
}
static void server(csvw *w, const src *s)
{
	double v = s->row[TRACE_SERVER];
	csvw_str(w, v < 0 ? "" : scn_server_name(batch_point(s->b, s->p), (int)v));
}

/* trace.csv's columns, in order. */
static const struct {
	const char *name;
	void (*write)(csvw *, const src *);
} cols[] = {
	{"point", point},
	{"replication", replication},
	{"id", id},
	{"birth_s", birth},
	{"end_s", end},
	{"sender", sender},
	{"domain", domain},
	{"domain_name", domain_name},
	{"attempts", attempts},
	{"outcome", outcome_of},
	{"reason", reason},
	{"server", server},
};

void trace_add(void *ctx, const mdl_trace *t)
{
	trace_buf *b = ctx;
	if (t->kind == MDL_TRACE_ATTEMPT)
		return;
	if (b->n + TRACE_COLS > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4096;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	double *r = b->rows + b->n;
	r[TRACE_ID] = (double)t->id;
	r[TRACE_BIRTH] = (double)t->birth / SIM_SEC;
	r[TRACE_END] = t->kind == MDL_TRACE_QUEUED ? NAN : (double)t->now / SIM_SEC;
	r[TRACE_SENDER] = t->sender;
	r[TRACE_DOMAIN] = t->domain;
	r[TRACE_ATTEMPTS] = t->attempts;
	r[TRACE_OUTCOME] = t->kind == MDL_TRACE_DELIVERED ? 0
			   : t->kind == MDL_TRACE_BOUNCED ? 1
							  : 2;
	r[TRACE_REASON] = t->kind == MDL_TRACE_BOUNCED ? (double)t->reason : NAN;
	r[TRACE_SERVER] = t->server;
	b->n += TRACE_COLS;
}

void trace_write(const batch *b, csvw *w)
{
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		csvw_str(w, cols[i].name);
	csvw_end(w);
	for (long p = 0; p < b->npoints; p++)
		for (unsigned r = 0; r < b->reps; r++) {
			jobres j = jobres_at(b, p, r);
			for (size_t k = 0; k < j.ntrace; k += TRACE_COLS) {
				src s = {b, p, r, j.trace + k};
				for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
					cols[i].write(w, &s);
				csvw_end(w);
			}
		}
}
