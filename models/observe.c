/*
 * observe.c - the time series of a run: per bucket, the counts of the
 * bucket (arrivals, deliveries, bounces by reason, deferrals, lookups and
 * stale ones) and the state at its end (queues, sessions per server),
 * written into mdl_result.ts in the column order of metrics.c; and the
 * counts of each message's end (mail.c makes the transition), and the
 * names of the ends and deferrals.
 */
#include "mail_impl.h"

#include <math.h>

/* By enum value, so each name stays with its reason. */
const char *const mdl_bounce_names[MDL_BOUNCE_N] = {
	[MDL_BOUNCE_RELAY_DENIED] = "relay_denied", [MDL_BOUNCE_TOO_LARGE] = "too_large",
	[MDL_BOUNCE_EXPIRED] = "expired",           [MDL_BOUNCE_BACKUP_EXPIRED] = "backup_expired",
	[MDL_BOUNCE_NO_DOMAIN] = "no_such_domain",  [MDL_BOUNCE_NO_ADDRESS] = "no_address",
	[MDL_BOUNCE_NULL_MX] = "null_mx",           [MDL_BOUNCE_LOOP] = "loop"};
const char *const mdl_defer_names[MDL_DEFER_N] = {[MDL_DEFER_REFUSED] = "refused",
						  [MDL_DEFER_TIMEOUT] = "timeout",
						  [MDL_DEFER_BUSY] = "busy",
						  [MDL_DEFER_RATE] = "rate_limit",
						  [MDL_DEFER_GREYLIST] = "greylist",
						  [MDL_DEFER_STORAGE] = "storage",
						  [MDL_DEFER_DNS] = "dns",
						  [MDL_DEFER_DEAD] = "dead_host",
						  [MDL_DEFER_THROTTLED] = "throttled",
						  [MDL_DEFER_HUNG] = "session_timeout"};

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

void mail_count_bounced(world *w, const msg *m, mdl_bounce why)
{
	mail_trace(w, m, MDL_TRACE_BOUNCED, -1, why);
	w->r->bounced++;
	w->r->bounces[why]++;
	w->b_bounced++;
	w->b_bounces[why]++;
}

/* Where the answer that sent m to the old provider came from: the class
 * of the resolver of the holder that delivered it; and whether it came
 * later than an honouring resolver could have sent it there (not over a
 * connection the sender had cached). */
static void old_after(world *w, const msg *m, sim_time since_cut)
{
	mdl_result *r = w->r;
	const sim_time *he = w->c->honour_end;
	bool cached = m->reused && profile_of(w, m->holder)->connection_cache;
	if (since_cut > (he ? he[m->domain] : 0) + MDL_STRETCH_SLACK && !cached)
		r->old_after_stretched++; /* over a cached connection: the sender's cache's */
	int k = w->c->res_class[w->mtas[m->holder].resolver];
	double h = sec(since_cut);
	r->delivered_old_after++;
	r->class_old_after[k]++;
	if (h > r->old_last)
		r->old_last = h;
	if (h > r->class_old_last[k])
		r->class_old_last[k] = h;
}

void mail_count_delivered(world *w, const msg *m, int server)
{
	const mdl_config *c = w->c;
	sim_time now = sim_now(w->s);
	mdl_result *r = w->r;
	mail_trace(w, m, MDL_TRACE_DELIVERED, server, 0);
	r->delivered++;
	w->b_delivered++;
	r->server[server].delivered++;
	r->server[server].reused += m->reused;
	r->server[server].after += now >= c->after;
	srv_delivered(w->srv, server);
	int p = c->servers[server].provider;
	r->provider_delivered[p]++;
	st_hist_add(&r->latency, sec(now - m->birth));
	r->delivered_within += now - m->birth <= c->within;
	w->b_late += now - m->birth > c->within;
	r->slot_wait_s += sec(m->waited);
	if (sec(m->waited) > r->slot_wait_max_s)
		r->slot_wait_max_s = sec(m->waited);
	sim_time cut = c->cutover ? c->cutover[m->domain] : SIM_NEVER;
	if (now >= cut && c->new_provider[m->domain] >= 0 && p != c->new_provider[m->domain])
		old_after(w, m, now - cut);
}
