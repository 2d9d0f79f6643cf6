/*
 * jobres.h - the result of one job (one replication of one study point)
 * as the job pool carries it between processes: a single array of
 * doubles, laid out here and read through jobres_view only:
 *
 *   summary [nsum] | time series [nbuckets x nts] | latency bins [nbins]
 *   | event fingerprint [2: high and low 32 bits, each exact in a double]
 *   | trace length [1] | trace rows (trace.h: TRACE_COLS doubles each)
 */
#ifndef MX_JOBRES_H
#define MX_JOBRES_H

#include "batch.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	const double *summary; /* [nsum], in metrics.c's column order */
	const double *ts;      /* [nbuckets * nts], bucket by bucket */
	const double *latency; /* [nbins] counts */
	const double *trace;   /* [ntrace]: packed rows (trace.h) */
	size_t ntrace;
	uint64_t fingerprint; /* the run's events (sim_fingerprint) */
} jobres;

/* Packs the parts (sizes as in b) into a new array (caller frees); *len
 * gets its length. */
double *jobres_pack(const batch *b, const jobres *j, size_t *len);
/* The parts of a packed array of batch b. */
jobres jobres_view(const batch *b, const double *packed);
/* The result of run (point p, replication r) of b. */
jobres jobres_at(const batch *b, long p, unsigned r);

#endif
