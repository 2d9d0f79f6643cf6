/*
 * metrics.c - the table of metrics (see metrics.h). Column order is table
 * order, each family expanded over its instances in scenario order.
 */
#include "metrics.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U(x) ((double)(x))

/* One line per metric reads best: */
/* clang-format off */

static double submitted(const mdl_result *r, int i) { return (void)i, U(r->submitted); }
static double delivered(const mdl_result *r, int i) { return (void)i, U(r->delivered); }
static double bounced(const mdl_result *r, int i) { return (void)i, U(r->bounced); }
static double bounced_delivery(const mdl_result *r, int i) { return (void)i, U(r->bounced - r->bounces[MDL_BOUNCE_TOO_LARGE]); }
static double queued(const mdl_result *r, int i) { return (void)i, U(r->queued_senders + r->queued_backups); }
static double queued_senders(const mdl_result *r, int i) { return (void)i, U(r->queued_senders); }
static double queued_backups(const mdl_result *r, int i) { return (void)i, U(r->queued_backups); }
static double attempts(const mdl_result *r, int i) { return (void)i, U(r->attempts); }
static double per_message(const mdl_result *r, int i)
{
	(void)i;
	return r->submitted ? U(r->attempts) / U(r->submitted) : NAN;
}
static double deferred(const mdl_result *r, int i) { return (void)i, U(r->deferred_attempts); }
static double lookups(const mdl_result *r, int i) { return (void)i, U(r->lookups); }
static double old_share(const mdl_result *r, int i)
{
	(void)i;
	return r->lookups ? U(r->stale_lookups) / U(r->lookups) : NAN;
}
static double old_after(const mdl_result *r, int i) { return (void)i, U(r->delivered_old_after); }
static double old_last(const mdl_result *r, int i) { return (void)i, r->old_last / 3600; }
static double lat_mean(const mdl_result *r, int i) { return (void)i, st_hist_mean(&r->latency); }
/* percentiles among all mail submitted: undelivered mail is never delivered */
static double lat_q(const mdl_result *r, double q) { return st_hist_quantile_among(&r->latency, q, U(r->submitted)); }
static double lat_p50(const mdl_result *r, int i) { return (void)i, lat_q(r, 0.5); }
static double lat_p90(const mdl_result *r, int i) { return (void)i, lat_q(r, 0.9); }
static double lat_p99(const mdl_result *r, int i) { return (void)i, lat_q(r, 0.99); }
static double within(const mdl_result *r, int i)
{
	return (void)i, r->submitted ? U(r->delivered_within) / U(r->submitted) : NAN;
}
static double lat_max(const mdl_result *r, int i) { return (void)i, r->latency.n ? r->latency.max : NAN; }
static double peak_queue(const mdl_result *r, int i) { return (void)i, U(r->peak_queue_senders); }
static double events(const mdl_result *r, int i) { return (void)i, U(r->events); }
static double bounce(const mdl_result *r, int i) { return U(r->bounces[i]); }
static double deferral(const mdl_result *r, int i) { return U(r->deferrals[i]); }
static double srv_delivered(const mdl_result *r, int i) { return U(r->server[i].delivered); }
static double srv_reused(const mdl_result *r, int i) { return U(r->server[i].reused); }
static double srv_after(const mdl_result *r, int i) { return U(r->server[i].after); }
static double srv_peak(const mdl_result *r, int i) { return r->server[i].peak_sessions; }
static double srv_mean(const mdl_result *r, int i) { return r->server[i].mean_sessions; }
static double srv_busy(const mdl_result *r, int i) { return U(r->server[i].busy); }
static double srv_first_busy(const mdl_result *r, int i)
{
	const mdl_server_result *x = &r->server[i];
	return x->first_offered ? U(x->first_busy) / U(x->first_offered) : NAN;
}
static double srv_queue(const mdl_result *r, int i) { return U(r->server[i].peak_queue); }
static double srv_queue_bytes(const mdl_result *r, int i) { return r->server[i].peak_queue_bytes; }
static double srv_storage(const mdl_result *r, int i) { return U(r->server[i].storage_full); }
static double prov_delivered(const mdl_result *r, int i) { return U(r->provider_delivered[i]); }
static double class_after(const mdl_result *r, int i) { return U(r->class_old_after[i]); }
static double class_last(const mdl_result *r, int i) { return r->class_old_last[i] / 3600; }
static double stretched(const mdl_result *r, int i) { return (void)i, U(r->old_after_stretched); }
static double nonhon_share(const mdl_result *r, int i)
{
	return (void)i, r->delivered_old_after ? U(r->old_after_stretched) / U(r->delivered_old_after) : NAN;
}
static double hon_last(const mdl_result *r, int i) { return (void)i, r->old_last_honouring / 3600; }
static double wait_max(const mdl_result *r, int i) { return (void)i, r->slot_wait_max_s; }
static double wait_share(const mdl_result *r, int i)
{
	double total = st_hist_mean(&r->latency) * U(r->latency.n);
	return (void)i, total > 0 ? r->slot_wait_s / total : NAN;
}
/* clang-format on */

const met_row met_table[] = {
	{"submitted", MET_ONE, "messages", "messages generated", submitted, "messages", 0, NULL},
	{"delivered", MET_ONE, "messages", "delivered to a final server", delivered, "delivered", 0,
	 NULL},
	{"bounced", MET_ONE, "messages", "bounced (every reason)", bounced, "", 0, NULL},
	{"bounced_delivery", MET_ONE, "messages",
	 "bounced for a cause of delivery: every reason but `too_large`, which a message's size "
	 "alone decides (the size limit's bounces are `bounced_too_large`)",
	 bounced_delivery, "bounced (size limit apart)", 1, "messages bounced (size limit apart)"},
	{"queued", MET_ONE, "messages", "still queued when the run ends", queued, "queued at end",
	 1, "still queued at the end"},
	{"queued_senders", MET_ONE, "messages", "of those, at senders", queued_senders, "", 0,
	 NULL},
	{"queued_backups", MET_ONE, "messages", "of those, at backup MX servers", queued_backups,
	 "", 0, NULL},
	{"attempts", MET_ONE, "attempts", "delivery attempts (a backup's relaying included)",
	 attempts, "", 0, NULL},
	{"attempts_per_message", MET_ONE, "attempts", "attempts per message submitted", per_message,
	 "attempts / message", 0, NULL},
	{"deferred_attempts", MET_ONE, "attempts", "attempts that ended deferred", deferred, "", 0,
	 NULL},
	{"lookups", MET_ONE, "lookups", "MX lookups by senders' resolvers", lookups, "", 0, NULL},
	{"old_mx_share", MET_ONE, "share",
	 "share of MX lookups answered with a superseded MX RRset", old_share, "", 0, NULL},
	{"delivered_old_after_cutover", MET_ONE, "messages",
	 "delivered, after the domain's first MX change, to a provider other than the one its last "
	 "MX "
	 "change points to",
	 old_after, "to old provider after switch", 10, "delivered to old provider after switch"},
	{"old_last_h", MET_ONE, "h", "hours after the cutover of the last such delivery", old_last,
	 "last to old (h after switch)", 0.1, "last delivery to old provider (h after switch)"},
	{"delivered_old_after_ttl", MET_ONE, "messages",
	 "of those, delivered later than a resolver honouring TTLs could have sent them there (the "
	 "old MX's TTL after the switch, a TTL lowered late included, plus a minute), not over a "
	 "connection the sender had cached: only resolvers that floor or stretch TTLs, an assumed "
	 "share of them (resolvers.csv), cause it",
	 stretched, "", 0, NULL},
	{"old_after_nonhonouring_share", MET_ONE, "share",
	 "the share of `delivered_old_after_cutover` that `delivered_old_after_ttl` is",
	 nonhon_share, "", 0, NULL},
	{"old_last_honouring_h", MET_ONE, "h",
	 "hours after the cutover of the last such delivery through a resolver that honours TTLs",
	 hon_last, "", 0, NULL},
	{"latency_mean_s", MET_ONE, "s",
	 "delivery latency (arrival to delivery) of the mail delivered: mean", lat_mean, "", 0,
	 NULL},
	{"latency_p50_s", MET_ONE, "s",
	 "median, among all mail submitted: bounced and still-queued mail counts as never "
	 "delivered (`inf` when over half of it is)",
	 lat_p50, "latency p50 (s)", 1e-300, "latency, median (s)"},
	{"latency_p90_s", MET_ONE, "s", "90th percentile, likewise", lat_p90, "", 0, NULL},
	{"latency_p99_s", MET_ONE, "s",
	 "99th percentile, likewise (`inf`: over 1 % was never delivered in the run)", lat_p99,
	 "latency p99 (s)", 1e-300, "latency, 99th percentile (s)"},
	{"delivered_within_share", MET_ONE, "share",
	 "share of the mail submitted delivered at most `[report] within` (5 min) after its "
	 "arrival",
	 within, "delivered within [report] within (share)", 0, NULL},
	{"latency_max_s", MET_ONE, "s", "maximum, of the mail delivered", lat_max, "", 0,
	 "latency, maximum (s)"},
	{"slot_wait_max_s", MET_ONE, "s",
	 "the longest a delivered message waited for a delivery slot (per destination or in all) "
	 "at its senders",
	 wait_max, "longest wait for a sender's slot (s)", 1,
	 "longest wait for a delivery slot (s)"},
	{"slot_wait_share", MET_ONE, "share",
	 "share of delivered messages' total latency spent waiting for a delivery slot", wait_share,
	 "", 0, NULL},
	{"peak_queue_senders", MET_ONE, "messages", "most messages queued at senders at once",
	 peak_queue, "peak queue at senders", 1, "peak messages queued at senders"},
	{"events", MET_ONE, "events", "events executed", events, "", 0, NULL},
	{"bounced_", MET_PER_BOUNCE, "messages",
	 "bounced by reason: `relay_denied` (554/550 5.7.1), `too_large` (552), `expired` (a "
	 "sender's queue lifetime), `backup_expired` (a backup's queue lifetime), `no_such_domain` "
	 "(NXDOMAIN), `no_address` (no MX host resolves, 5.4.4), `null_mx` (RFC 7505), `loop` "
	 "(backup with no better MX)",
	 bounce, "", 0, "bounced: "},
	{"deferrals_", MET_PER_DEFER, "attempts",
	 "deferrals by reason, per candidate tried: `refused`, `timeout`, `busy` (421, no session "
	 "free), `rate_limit`, `greylist`, `storage` (452, a backup full), `dns` (SERVFAIL), "
	 "`dead_host` (skipped: a host retry record), `throttled` (not tried: the destination is "
	 "throttled), `session_timeout` (a session hung past the sender's `session_timeout`: its "
	 "server dropped packets)",
	 deferral, "", 1, "deferrals: "},
	{"delivered_", MET_PER_SERVER, "messages", "delivered by server", srv_delivered, "", 0,
	 NULL},
	{"delivered_after_", MET_PER_SERVER, "messages",
	 "delivered at or after `[report] after` (0 without it): what a server, the old "
	 "provider's, "
	 "still gets after a date",
	 srv_after, "", 1e-300, "delivered after [report] after to "},
	{"reused_", MET_PER_SERVER, "messages",
	 "of those, delivered over a connection already open (the sender's connection cache, "
	 "or passed on by Exim)",
	 srv_reused, "", 1e-300, "delivered over connections already open to "},
	{"sessions_peak_", MET_PER_SERVER, "sessions", "most SMTP sessions at once", srv_peak, "",
	 1e-300, "peak sessions at "},
	{"sessions_mean_", MET_PER_SERVER, "sessions", "time-average SMTP sessions", srv_mean, "",
	 0, NULL},
	{"busy421_", MET_PER_SERVER, "replies", "421 replies: no session free", srv_busy, "",
	 1e-300, "421 busy replies at "},
	{"busy421_first_share_", MET_PER_SERVER, "share", "share of first attempts refused 421",
	 srv_first_busy, "", 0, NULL},
	{"queue_peak_", MET_PER_SERVER, "messages", "a backup's peak queue", srv_queue, "", 1e-300,
	 "peak queue at "},
	{"queue_peak_bytes_", MET_PER_SERVER, "bytes", "a backup's peak queue in bytes",
	 srv_queue_bytes, "", 1e-300, "peak queue (bytes) at "},
	{"storage452_", MET_PER_SERVER, "replies", "452 4.3.1 replies: a backup's queue full",
	 srv_storage, "", 1e-300, "452 storage-full replies at "},
	{"delivered_provider_", MET_PER_PROVIDER, "messages", "delivered by provider",
	 prov_delivered, "", 0, NULL},
	{"old_after_via_", MET_PER_CLASS, "messages",
	 "delivered to the old provider after the switch, by the class of the deliverer's resolver",
	 class_after, "", 0, NULL},
	{"old_last_h_via_", MET_PER_CLASS, "h", "the last of those, hours after the switch",
	 class_last, "", 0, NULL},
};
const int met_count = (int)(sizeof met_table / sizeof *met_table);

const met_ts_row met_ts_table[] = {
	{"arrivals", MET_ONE, "messages submitted in the bucket"},
	{"delivered", MET_ONE, "delivered in the bucket"},
	{"bounced", MET_ONE, "bounced in the bucket"},
	{"deferred", MET_ONE, "attempts that ended deferred"},
	{"queued_senders", MET_ONE, "queued at senders at the bucket's end"},
	{"queued_backups", MET_ONE, "queued at backups at the bucket's end"},
	{"old_mx_share", MET_ONE,
	 "share of MX lookups answered with a superseded MX RRset (the "
	 "propagation curve)"},
	{"delivered_late", MET_ONE,
	 "delivered in the bucket later than `[report] within` after arrival: where an "
	 "incident's delay falls, which a whole run's percentiles dilute"},
	{"bounced_", MET_PER_BOUNCE, "bounced in the bucket, by reason"},
	{"delivered_", MET_PER_SERVER, "delivered by server"},
	{"sessions_", MET_PER_SERVER, "time-average sessions"},
	{"sessions_peak_", MET_PER_SERVER, "peak sessions"},
	{"queue_", MET_PER_SERVER, "messages a backup stores at the bucket's end"},
	{"queue_bytes_", MET_PER_SERVER, "bytes a backup stores at the bucket's end"},
};
const int met_ts_count = (int)(sizeof met_ts_table / sizeof *met_ts_table);
/* the one-figure rows are the TS_ columns, in order */
_Static_assert(sizeof met_ts_table / sizeof *met_ts_table == MDL_TS_N + 6,
	       "met_ts_table: a row per TS_ column, then the six families");

int met_instances(const mdl_config *c, met_scope scope, const char *const **names)
{
	switch (scope) {
	case MET_PER_BOUNCE:
		*names = mdl_bounce_names;
		return MDL_BOUNCE_N;
	case MET_PER_DEFER:
		*names = mdl_defer_names;
		return MDL_DEFER_N;
	case MET_PER_SERVER:
		*names = c->server_names;
		return c->nservers;
	case MET_PER_PROVIDER:
		*names = c->provider_names;
		return c->nproviders;
	case MET_PER_CLASS:
		*names = c->class_name;
		return c->nclasses;
	default:
		*names = NULL;
		return 1;
	}
}

/* Rows a..b-1 of one scope (b: the first row after the run); a family's
 * consecutive rows go instance by instance (server 1's columns, then
 * server 2's). */
static int run_end(const met_scope *scope, int a, int n)
{
	int b = a + 1;
	while (scope[a] != MET_ONE && b < n && scope[b] == scope[a])
		b++;
	return b;
}

/* Names of columns from rows of (name, scope); out may be NULL. */
char *met_column(const met_row *row, const char *instance)
{
	return xasprintf("%s%s", row->name, instance ? instance : "");
}

const met_row *met_row_named(const char *name)
{
	for (int m = 0; m < met_count; m++)
		if (!strcmp(met_table[m].name, name))
			return &met_table[m];
	return NULL;
}

static const char *const stat_suffix[MET_NSTATS] = {"_mean", "_ci95"};

char *met_agg_name(const char *column, met_stat st)
{
	return xasprintf("%s%s", column, stat_suffix[st]);
}

size_t met_agg_stem(const char *agg, met_stat st)
{
	size_t l = strlen(agg), k = strlen(stat_suffix[st]);
	return l > k && !strcmp(agg + l - k, stat_suffix[st]) ? l - k : 0;
}

static int expand(const mdl_config *c, const char *const *name, const met_scope *scope, int rows,
		  char **out)
{
	int n = 0;
	for (int a = 0, b; a < rows; a = b) {
		b = run_end(scope, a, rows);
		const char *const *inst;
		int k = met_instances(c, scope[a], &inst);
		for (int i = 0; i < k; i++)
			for (int m = a; m < b; m++, n++)
				if (out)
					out[n] = inst ? xasprintf("%s%s", name[m], inst[i])
						      : xstrdup(name[m]);
	}
	return n;
}

int met_summary_names(const mdl_config *c, char **names)
{
	const char *name[met_count];
	met_scope scope[met_count];
	for (int m = 0; m < met_count; m++)
		name[m] = met_table[m].name, scope[m] = met_table[m].scope;
	return expand(c, name, scope, met_count, names);
}

void met_summary_values(const mdl_config *c, const mdl_result *r, double *v)
{
	met_scope scope[met_count];
	for (int m = 0; m < met_count; m++)
		scope[m] = met_table[m].scope;
	int n = 0;
	for (int a = 0, b; a < met_count; a = b) {
		b = run_end(scope, a, met_count);
		const char *const *inst;
		int k = met_instances(c, scope[a], &inst);
		for (int i = 0; i < k; i++)
			for (int m = a; m < b; m++)
				v[n++] = met_table[m].value(r, i);
	}
}

int met_ts_names(const mdl_config *c, char **names)
{
	const char *name[met_ts_count];
	met_scope scope[met_ts_count];
	for (int m = 0; m < met_ts_count; m++)
		name[m] = met_ts_table[m].name, scope[m] = met_ts_table[m].scope;
	return expand(c, name, scope, met_ts_count, names);
}

const met_row *met_find(const char *column, char **words)
{
	const met_row *best = NULL; /* an exact name, or the longest stem */
	for (int m = 0; m < met_count; m++) {
		const met_row *r = &met_table[m];
		size_t n = strlen(r->name);
		bool hit = r->scope == MET_ONE ? !strcmp(column, r->name)
					       : !strncmp(column, r->name, n) && column[n];
		if (hit && (!best || r->scope == MET_ONE || n > strlen(best->name)))
			best = r;
		if (hit && r->scope == MET_ONE)
			break;
	}
	if (!best)
		return NULL;
	const char *inst = column + strlen(best->name);
	if (best->scope == MET_ONE)
		*words = xstrdup(best->panel    ? best->panel
				 : *best->label ? best->label
						: best->help);
	else if (best->panel)
		*words = xasprintf("%s%s", best->panel, inst);
	else
		*words = xasprintf("%s: %s", best->help, inst);
	return best;
}

/* The smallest difference a figure's question can tell apart, by unit: a
 * whole message (reply, session, ...), a tenth of a percent of a share, 36
 * seconds of hours, a second, a megabyte. */
static double resolution(const char *unit)
{
	static const struct {
		const char *unit;
		double step;
	} steps[] = {{"share", 0.001}, {"h", 0.01}, {"s", 1}, {"bytes", 1e6}};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (!strcmp(unit, steps[i].unit))
			return steps[i].step;
	return 1; /* counts */
}

double met_resolution(const char *column)
{
	char *words = NULL;
	const met_row *r = met_find(column, &words);
	free(words);
	return resolution(r ? r->unit : "");
}

bool met_wide(const char *column, double mean, double half)
{
	return half > MET_WIDE * fabs(mean) && half > met_resolution(column);
}

static const char *const family[] = {"",         "<reason>",   "<reason>",
				     "<server>", "<provider>", "<resolver>"};

void met_print_reference(FILE *out)
{
	fprintf(out, "| column | unit | meaning |\n|---|---|---|\n");
	for (int m = 0; m < met_count; m++)
		fprintf(out, "| `%s%s` | %s | %s |\n", met_table[m].name,
			family[met_table[m].scope], met_table[m].unit, met_table[m].help);
	fprintf(out,
		"\nTime-series columns (`timeseries.csv`, after `point`, the axes and `t_h`):\n\n"
		"| column | meaning |\n|---|---|\n");
	for (int m = 0; m < met_ts_count; m++)
		fprintf(out, "| `%s%s` | %s |\n", met_ts_table[m].name,
			family[met_ts_table[m].scope], met_ts_table[m].help);
}
