/*
 * jobres.c - a job's result packed into one array and viewed back (see
 * jobres.h).
 */
#include "jobres.h"
#include "../sim/xalloc.h"

#include <string.h>

static size_t ts_len(const batch *b)
{
	return (size_t)b->nbuckets * (size_t)b->nts;
}

double *jobres_pack(const batch *b, const jobres *j, size_t *len)
{
	size_t nts = ts_len(b), nsum = (size_t)b->nsum, nbins = (size_t)b->nbins;
	*len = nsum + nts + nbins + 3 + j->ntrace;
	double *v = xmalloc(*len * sizeof *v), *at = v;
	memcpy(at, j->summary, nsum * sizeof *v);
	memcpy(at += nsum, j->ts, nts * sizeof *v);
	memcpy(at += nts, j->latency, nbins * sizeof *v);
	at += nbins;
	*at++ = (double)(j->fingerprint >> 32);
	*at++ = (double)(j->fingerprint & 0xffffffffu);
	*at++ = (double)j->ntrace;
	if (j->ntrace)
		memcpy(at, j->trace, j->ntrace * sizeof *v);
	return v;
}

jobres jobres_at(const batch *b, long p, unsigned r)
{
	return jobres_view(b, b->res[(size_t)r * (size_t)b->npoints + (size_t)p]);
}

jobres jobres_view(const batch *b, const double *packed)
{
	jobres j;
	j.summary = packed;
	j.ts = j.summary + b->nsum;
	j.latency = j.ts + ts_len(b);
	const double *fp = j.latency + b->nbins;
	j.fingerprint = (uint64_t)fp[0] << 32 | (uint64_t)fp[1];
	j.ntrace = (size_t)fp[2];
	j.trace = fp + 3;
	return j;
}
