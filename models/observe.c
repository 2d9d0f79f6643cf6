/*
 * observe.c - the time series of a run: per bucket, the counts of the
 * bucket (arrivals, deliveries, bounces by reason, deferrals, lookups and
 * stale ones) and the state at its end (queues, sessions per server),
 * written into mdl_result.ts in the column order of metrics.c.
 */
#include "mail_impl.h"

#include <math.h>

void mail_sample(sim *s, void *subject, void *object)
{
	(void)object;
	world *w = subject;
	mdl_result *r = w->r;
	if (w->bucket >= r->nbuckets)
		return;
	double *row = r->ts + (size_t)w->bucket * (size_t)r->ncols;
	row[MDL_TS_ARRIVALS] = (double)w->b_arrivals;
	row[MDL_TS_DELIVERED] = (double)w->b_delivered;
	row[MDL_TS_BOUNCED] = (double)w->b_bounced;
	row[MDL_TS_DEFERRED] = (double)w->b_deferred;
	row[MDL_TS_QUEUED_SENDERS] = (double)w->live_senders;
	row[MDL_TS_QUEUED_BACKUPS] = (double)w->live_backups;
	row[MDL_TS_OLD_MX_SHARE] = w->b_lookups ? (double)w->b_stale / (double)w->b_lookups : NAN;
	row[MDL_TS_DELIVERED_LATE] = (double)w->b_late;
	for (int i = 0; i < MDL_BOUNCE_N; i++) {
		row[MDL_TS_N + i] = (double)w->b_bounces[i];
		w->b_bounces[i] = 0;
	}
	for (int i = 0; i < w->c->nservers; i++)
		srv_sample(w->srv, i, sim_now(s), row + mdl_ts_server_col(i));
	w->b_arrivals = w->b_delivered = w->b_bounced = w->b_deferred = 0;
	w->b_lookups = w->b_stale = w->b_late = 0;
	w->bucket++;
}
