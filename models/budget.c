/*
 * budget.c - up-front estimates of a run's memory and work (see budget.h).
 *
 * Bytes per item are upper bounds of the structures in mail.c, resolver.c,
 * server.c and the engine's pools (x86-64), rounded up: a message with its
 * candidates (200 B), two pending events (2 x 48 B), a resolver cache
 * entry (a 16-byte hash slot at half load, 32 B) and, in slots.c, a destination
 * queue (hash slot at half load, 96 B) with its place in the list of
 * emptied queues (8 B).
 */
#include "budget.h"

#include <stdio.h>

enum {
	BASE_BYTES = 32 << 20, /* GSL streams, pools, histograms */
	MSG_BYTES = 520,
	SENDER_BYTES = 64,
	RATE_TOKEN_BYTES = 16, /* per server with a rate limit, per sender */
	RESOLVER_BYTES = 64,
	DOMAIN_BYTES = 2 * 160, /* config in the parent and the run */
	BUCKET_COL_BYTES = 8,
	EVENTS_PER_MESSAGE = 3,
};

static void largest(double v, bgt_driver d, double *best, bgt_driver *by)
{
	if (v > *best) {
		*best = v;
		*by = d;
	}
}

void bgt_estimate_run(const mdl_config *c, bgt_estimate *e)
{
	double dur = (double)c->duration / SIM_SEC;
	double buckets = (double)(c->duration / (c->bucket > 0 ? c->bucket : 1) + 1);
	double cols = mdl_ts_width(c->nservers);
	double holders = (double)c->nsenders + c->nservers;
	int rated = 0;
	for (int i = 0; i < c->nservers; i++)
		rated += c->servers[i].rate > 0;
	e->messages = c->rate * dur;
	double t[] = {e->messages * MSG_BYTES, holders * (SENDER_BYTES + rated * RATE_TOKEN_BYTES),
		      (double)c->nresolvers * RESOLVER_BYTES,
		      (double)c->ndomains * (DOMAIN_BYTES + c->nservers),
		      buckets * cols * BUCKET_COL_BYTES};
	double best = -1;
	e->bytes = BASE_BYTES;
	for (int d = BGT_RATE; d <= BGT_BUCKETS; d++) {
		e->bytes += t[d];
		largest(t[d], (bgt_driver)d, &best, &e->bytes_by);
	}
	best = e->messages * EVENTS_PER_MESSAGE;
	e->events_by = BGT_RATE;
	e->events = best + buckets + c->nevents;
	largest(buckets, BGT_BUCKETS, &best, &e->events_by);
	for (int i = 0; i < c->nservers; i++) {
		const mdl_server *s = &c->servers[i];
		if (s->mtbf <= 0)
			continue;
		double o = 2 * dur / ((double)(s->mtbf + s->mttr) / SIM_SEC);
		e->events += o;
		if (o > best)
			e->outage_server = i;
		largest(o, BGT_OUTAGES, &best, &e->events_by);
	}
}

double bgt_domain_bytes(double n)
{
	return n * DOMAIN_BYTES;
}

void bgt_format_bytes(double b, char *buf, int len)
{
	static const char *const unit[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
	int u = 0;
	while (b >= 1000 && u < 6) {
		b /= 1000;
		u++;
	}
	snprintf(buf, (size_t)len, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}
