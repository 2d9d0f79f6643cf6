/*
 * metrics.c - summary and time-series columns (see metrics.h). Each name
 * is listed in README.md; keep the two in step.
 */
#include "metrics.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(char **names, int *n, const char *fmt, const char *arg)
{
	if (names) {
		char b[160];
		snprintf(b, sizeof b, fmt, arg);
		names[*n] = xstrdup(b);
	}
	(*n)++;
}

int met_summary_names(const scn *s, char **names)
{
	const mdl_config *c = scn_config((scn *)s, 0);
	int n = 0;
	static const char *const head[] = {
		"submitted",	    "delivered",	 "bounced",	      "queued",
		"queued_senders",   "queued_backups",	 "attempts",	      "attempts_per_message",
		"deferred_attempts", "lookups",		 "old_mx_share",      "delivered_old_after_cutover",
		"old_last_h",	    "latency_mean_s",	 "latency_p50_s",     "latency_p90_s",
		"latency_p99_s",    "latency_max_s",	 "peak_queue_senders", "events"};
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		put(names, &n, "%s", head[i]);
	for (int i = 0; i < BOUNCE_N; i++)
		put(names, &n, "bounced_%s", mdl_bounce_names[i]);
	for (int i = 0; i < DEFER_N; i++)
		put(names, &n, "deferrals_%s", mdl_defer_names[i]);
	for (int i = 0; i < c->nservers; i++) {
		const char *nm = scn_server_name(s, i);
		put(names, &n, "delivered_%s", nm);
		put(names, &n, "sessions_peak_%s", nm);
		put(names, &n, "sessions_mean_%s", nm);
		put(names, &n, "busy421_%s", nm);
		put(names, &n, "busy421_first_share_%s", nm);
		put(names, &n, "queue_peak_%s", nm);
	}
	for (int i = 0; i < c->nproviders; i++)
		put(names, &n, "delivered_provider_%s", scn_provider_name(s, i));
	return n;
}

void met_summary_values(const scn *s, const mdl_result *r, double *v)
{
	const mdl_config *c = scn_config((scn *)s, 0);
	int n = 0;
	uint64_t queued = r->queued_senders + r->queued_backups;
	v[n++] = (double)r->submitted;
	v[n++] = (double)r->delivered;
	v[n++] = (double)r->bounced;
	v[n++] = (double)queued;
	v[n++] = (double)r->queued_senders;
	v[n++] = (double)r->queued_backups;
	v[n++] = (double)r->attempts;
	v[n++] = r->submitted ? (double)r->attempts / (double)r->submitted : NAN;
	v[n++] = (double)r->deferred_attempts;
	v[n++] = (double)r->lookups;
	v[n++] = r->lookups ? (double)r->stale_lookups / (double)r->lookups : NAN;
	v[n++] = (double)r->delivered_old_after;
	v[n++] = r->old_last / 3600;
	v[n++] = st_hist_mean(&r->latency);
	v[n++] = st_hist_quantile(&r->latency, 0.5);
	v[n++] = st_hist_quantile(&r->latency, 0.9);
	v[n++] = st_hist_quantile(&r->latency, 0.99);
	v[n++] = r->latency.n ? r->latency.max : NAN;
	v[n++] = (double)r->peak_queue_senders;
	v[n++] = (double)r->events;
	for (int i = 0; i < BOUNCE_N; i++)
		v[n++] = (double)r->bounces[i];
	for (int i = 0; i < DEFER_N; i++)
		v[n++] = (double)r->deferrals[i];
	for (int i = 0; i < c->nservers; i++) {
		const mdl_server_result *x = &r->server[i];
		v[n++] = (double)x->delivered;
		v[n++] = x->peak_sessions;
		v[n++] = x->mean_sessions;
		v[n++] = (double)x->busy;
		v[n++] = x->first_offered ? (double)x->first_busy / (double)x->first_offered : NAN;
		v[n++] = (double)x->peak_queue;
	}
	for (int i = 0; i < c->nproviders; i++)
		v[n++] = (double)r->provider_delivered[i];
}

int met_ts_names(const scn *s, char **names)
{
	const mdl_config *c = scn_config((scn *)s, 0);
	int n = 0;
	for (int i = 0; i < TS_N; i++)
		put(names, &n, "%s", mdl_ts_names[i]);
	for (int i = 0; i < BOUNCE_N; i++)
		put(names, &n, "bounced_%s", mdl_bounce_names[i]);
	for (int i = 0; i < c->nservers; i++) {
		put(names, &n, "delivered_%s", scn_server_name(s, i));
		put(names, &n, "sessions_%s", scn_server_name(s, i));
		put(names, &n, "sessions_peak_%s", scn_server_name(s, i));
	}
	return n;
}
