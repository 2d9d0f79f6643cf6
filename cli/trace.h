/*
 * trace.h - trace.csv, one row per message: its columns in one table
 * (trace.c), the row a run packs for each message as it ends (or is still
 * queued at the end), and the writer that turns packed rows into the
 * file's columns.
 */
#ifndef MX_TRACE_H
#define MX_TRACE_H

#include "../models/model.h"
#include "../sim/csvw.h"
#include "batch.h"

#include <stddef.h>

/* A packed row: TRACE_COLS doubles, in this order. */
enum {
	TRACE_ID,
	TRACE_BIRTH,
	TRACE_END,
	TRACE_SENDER,
	TRACE_DOMAIN,
	TRACE_ATTEMPTS,
	TRACE_OUTCOME,
	TRACE_REASON,
	TRACE_SERVER,
	TRACE_COLS
};

/* A run's packed rows so far. */
typedef struct {
	double *rows;
	size_t n, cap;
} trace_buf;

/* The model's trace hook (mdl_config.trace): ctx is a trace_buf. Keeps
 * the ends of messages (delivered, bounced, still queued). */
void trace_add(void *ctx, const mdl_trace *t);
/* trace.csv's header, then the rows of every run of b. */
void trace_write(const batch *b, csvw *w);

#endif
