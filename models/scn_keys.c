/*
 * scn_keys.c - the schema: every section and every key of a scenario file,
 * with its default and its help text. Reading (unknown keys, "did you
 * mean"), defaults, the resolved scenario (scn_write.c), `mxsim check` and
 * the README's key tables (`mxsim help keys`) all come from these two
 * tables. Adding a key is one row here, and its use in a builder.
 */
#include "scn_impl.h"

#include <string.h>

#define MTA_MIX                                                                         \
	"postfix:0.30, exim:0.15, sendmail:0.05, exchange:0.10, exchange-online:0.15, " \
	"gmail:0.20, "                                                                  \
	"qmail:0.025, opensmtpd:0.025"
#define RES_MIX                                                                           \
	"google:0.25, unbound:0.25, bind:0.20, powerdns:0.10, quad9:0.05, systemd:0.04, " \
	"knot:0.0226, floor-10m:0.0607, floor-1h:0.0267"

const scn_section scn_sections[SEC_N] = {
	[SEC_RUN] = {"run", false, "the run: length, seeds, replications, limits"},
	[SEC_TRAFFIC] = {"traffic", false, "the mail: rate, weekly pattern, sizes"},
	[SEC_SENDERS] = {"senders", false, "the sending MTAs"},
	[SEC_RESOLVERS] = {"resolvers", false, "the caching resolvers the senders use"},
	[SEC_PROFILE] = {"profile", true, "a custom MTA profile; unset keys are inherited"},
	[SEC_RESOLVER] = {"resolver", true, "a custom resolver profile; unset keys are inherited"},
	[SEC_DOMAIN] = {"domain", true, "a recipient domain and its DNS records"},
	[SEC_POPULATION] =
		{"population", false,
		 "many generated domains PREFIX1 ... PREFIXn, drawn from the run's seed (the "
		 "same in every replication)"},
	[SEC_SERVER] = {"server", true, "a receiving server (final or backup MX)"},
	[SEC_HOST] = {"host", true,
		      "an MX host name that is no server's (or a server's host's TTLs)"},
	[SEC_REPORT] = {"report", false,
			"the question the scenario answers, and the figures that answer it"},
	[SEC_TIMELINE] = {"timeline", false,
			  "changes over time: TIME = ACTION ARGS (see the actions)"},
};

const scn_key scn_keys[] = {
	{SEC_RUN, "name", "", "folder name under the output root (default: the file's name)"},
	{SEC_RUN, "start", "Mon",
	 "the day time 0 falls on, at 00:00 (the weekly traffic pattern and `Wed 10:00` times "
	 "follow it)"},
	{SEC_RUN, "duration", "3d", "simulated time"},
	{SEC_RUN, "seed", "1", "base seed; replication r uses a seed derived from it"},
	{SEC_RUN, "replications", "1", "independent runs per study point"},
	{SEC_RUN, "bucket", "15m", "time-series bucket"},
	{SEC_RUN, "precision", "",
	 "add replications (in batches of `replications`) until each answer figure's 95 % CI "
	 "half-width is within this: `10%` "
	 "(of its mean) or a value in its unit for every figure, or per figure "
	 "(`old_last_h 0.05, delivered_old_after_cutover 10%`; a figure not named keeps the "
	 "value given alone, if any)"},
	{SEC_RUN, "max_replications", "100", "with `precision`: replications at most"},
	{SEC_RUN, "max_memory", "50%",
	 "memory the whole command may use (every scenario, point and worker), as a size "
	 "(`8GB`) or a share of what the process may use: the least of physical memory, its "
	 "cgroup's limit and `ulimit -v`"},
	{SEC_RUN, "max_events", "1e9", "work limit: events one run may execute"},
	{SEC_TRAFFIC, "rate", "1000/h",
	 "mean message rate over all domains (non-homogeneous Poisson)"},
	{SEC_TRAFFIC, "pattern", "flat",
	 "`flat`; `office`: weekdays 08-18 h at 9 times the night rate, weekends at 0.3 times the "
	 "weekday rate, scaled so that `rate` is the mean over a week; or `table`"},
	{SEC_TRAFFIC, "table", "",
	 "with `pattern = table`: CSV of 24 or 168 hourly rates (relative; scaled so their mean is "
	 "`rate`)"},
	{SEC_TRAFFIC, "size", "lnpareto(4KB, 1.2, 32KB, 1.3)",
	 "message size in bytes (a distribution)"},
	{SEC_TRAFFIC, "arrivals", "poisson",
	 "`poisson`, or `fixed`: one message every 1 / rate (following the pattern)"},
	{SEC_TRAFFIC, "start", "0", "mail arrives from this time on (a duration or `Wed 10:00`)"},
	{SEC_TRAFFIC, "stop", "never", "and stops at this time"},
	{SEC_SENDERS, "count", "1000", "sending MTAs"},
	{SEC_SENDERS, "zipf", "1",
	 "share of traffic of the k-th sender is proportional to k^-zipf"},
	{SEC_SENDERS, "profiles", MTA_MIX,
	 "MTA profile mix (`name:share`), built-in or [profile] names"},
	{SEC_RESOLVERS, "count", "100",
	 "caching resolvers shared by the senders (a profile of the mix left without one gets one "
	 "more)"},
	{SEC_RESOLVERS, "zipf", "1", "senders per resolver is proportional to k^-zipf"},
	{SEC_RESOLVERS, "profiles", RES_MIX,
	 "resolver profile mix, built-in or [resolver] names: each profile's share of the "
	 "senders' mail (by traffic); the default is sourced in models/README.md"},
	{SEC_RESOLVERS, "cache", "steady",
	 "where cache entries are at time 0: `steady` (a random point of their lifetime), "
	 "`empty`, or the share of the lifetime already lived (`0.5`)"},
	{SEC_PROFILE, "based_on", "postfix", "the profile it starts from"},
	{SEC_PROFILE, "min_backoff", "", "shortest retry interval"},
	{SEC_PROFILE, "max_backoff", "", "longest retry interval"},
	{SEC_PROFILE, "queue_run", "", "queue run interval (retries wait for the next run)"},
	{SEC_PROFILE, "queue_run_phase", "",
	 "when the queue runs come: at this offset from time 0 and every `queue_run` after, the "
	 "same for every sender of the profile (whole ms; default: each sender's at random)"},
	{SEC_PROFILE, "lifetime", "", "give up (bounce as expired) after"},
	{SEC_PROFILE, "connect_timeout", "",
	 "the MTA's wait for a connection (a host that drops packets costs this, or the OS's "
	 "SYN retries if they give up sooner)"},
	{SEC_PROFILE, "syn_rto", "",
	 "the sending OS's first SYN retransmission timeout (Linux 1s, Windows 3s); a connection "
	 "succeeds at the first SYN after the host is back"},
	{SEC_PROFILE, "syn_linear", "",
	 "SYN retransmissions after `syn_rto` each before doubling (Linux 6.5+: "
	 "tcp_syn_linear_timeouts 4; 0 before and on Windows; 0-20)"},
	{SEC_PROFILE, "syn_retries", "",
	 "doubling SYN retransmissions before the OS gives up (Linux tcp_syn_retries 6, Windows "
	 "TcpMaxConnectRetransmissions 2; 1-20)"},
	{SEC_PROFILE, "session_timeout", "",
	 "the wait for a reply in an open session whose server starts dropping packets (it "
	 "hangs until the server is back and TCP's retransmission reaches it, or this passes)"},
	{SEC_PROFILE, "mx_limit", "", "addresses tried per attempt (1-8)"},
	{SEC_PROFILE, "memory", "",
	 "what it remembers of failures: `destination` (Postfix: a failed cohort throttles the "
	 "domain for `dead_time`), `host` (Exim: a failed host is skipped until its retry time; "
	 "others: for `dead_time`) or `none`"},
	{SEC_PROFILE, "dead_time", "",
	 "how long a throttled destination or failed host is skipped"},
	{SEC_PROFILE, "slots_initial", "",
	 "deliveries at once per destination at first (`none`: no limit)"},
	{SEC_PROFILE, "slots_max", "",
	 "per destination at most, reached by slow start: +1 per delivery without a site "
	 "failure, -1 per site failure"},
	{SEC_PROFILE, "slots_total", "", "deliveries at once in all (`none`: no limit)"},
	{SEC_RESOLVER, "based_on", "honour", "the profile it starts from"},
	{SEC_RESOLVER, "cap", "", "positive TTL cap"},
	{SEC_RESOLVER, "floor", "", "minimum cache lifetime"},
	{SEC_RESOLVER, "neg_cap", "", "negative TTL cap"},
	{SEC_RESOLVER, "fixed", "", "ignores TTLs: a fixed lifetime"},
	{SEC_RESOLVER, "extend", "", "TTL multiplier"},
	{SEC_RESOLVER, "stale", "", "serve-stale: longest staleness while the authorities fail"},
	{SEC_RESOLVER, "whole_seconds", "",
	 "`yes`: its clock counts whole seconds and an answer is served through the second its TTL "
	 "reaches 0 (Unbound before 1.24; the built-in `unbound` does)"},
	{SEC_DOMAIN, "mx", NULL,
	 "`10 mx1.example, 20 mx2.example`, or `none` (NODATA), `null` (null MX, RFC 7505), "
	 "`nxdomain`"},
	{SEC_DOMAIN, "mx_ttl", "1h", "TTL of the MX RRset"},
	{SEC_DOMAIN, "neg_ttl", "1h", "SOA negative TTL (NODATA, NXDOMAIN)"},
	{SEC_DOMAIN, "address", "refuse",
	 "the domain's own address, the implicit MX when there is no MX: `refuse`, `timeout`, "
	 "`nxdomain`, or a server's host"},
	{SEC_DOMAIN, "weight", "1", "share of the traffic"},
	{SEC_POPULATION, "count", "0", "domains generated"},
	{SEC_POPULATION, "prefix", "d", "their names' prefix"},
	{SEC_POPULATION, "mx", "none", "their MX records"},
	{SEC_POPULATION, "mx_ttl", "1h", "MX TTL (a distribution)"},
	{SEC_POPULATION, "neg_ttl", "1h", "negative TTL (a distribution)"},
	{SEC_POPULATION, "address", "refuse", "their own address (as in [domain])"},
	{SEC_POPULATION, "weight", "const(1)", "share of the traffic (a distribution)"},
	{SEC_POPULATION, "cutover", "never",
	 "when each domain's MX changes: `never` or a distribution"},
	{SEC_POPULATION, "cutover_mx", "none", "the MX records after the cutover"},
	{SEC_SERVER, "host", "", "the MX host name it answers as (default: the server's name)"},
	{SEC_SERVER, "provider", "", "provider it belongs to (default: the server's name)"},
	{SEC_SERVER, "kind", "final",
	 "`final` (delivers to mailboxes) or `backup` (accepts, queues and relays to better MX "
	 "hosts)"},
	{SEC_SERVER, "sessions", "100", "concurrent SMTP sessions; when full: 421"},
	{SEC_SERVER, "session_time", "exp(2s)", "session duration, plus size / `bandwidth`"},
	{SEC_SERVER, "bandwidth", "10MB", "bytes per second of a session (0: no transfer time)"},
	{SEC_SERVER, "size_limit", "20MB", "larger messages: 552 (bounce); `0`: none"},
	{SEC_SERVER, "rate_limit", "0",
	 "per-sender message rate (token bucket); above it: 421; `0`: none"},
	{SEC_SERVER, "burst", "0", "token bucket size; `0`: one minute of `rate_limit`"},
	{SEC_SERVER, "greylist", "0",
	 "greylisting delay: first attempt 451, accepted from then on"},
	{SEC_SERVER, "mtbf", "0", "random outages: mean time between failures (`0`: none)"},
	{SEC_SERVER, "mttr", "1h", "random outages: mean time to repair"},
	{SEC_SERVER, "down", "timeout",
	 "what a down server does: `timeout` (drops packets) or `refuse`"},
	{SEC_SERVER, "accepts", "all",
	 "domains taken: `all`, `none`, or names; others get 554 relay denied (bounce)"},
	{SEC_SERVER, "relay_profile", "postfix", "backup: MTA profile for relaying"},
	{SEC_SERVER, "relay_sessions", "20",
	 "backup: concurrent relay deliveries (its slots in all)"},
	{SEC_SERVER, "queue_limit", "none",
	 "backup: messages it stores at most; when full: 452 4.3.1"},
	{SEC_SERVER, "queue_bytes_limit", "none",
	 "backup: bytes it stores at most; when full: 452 4.3.1"},
	{SEC_SERVER, "relay_resolver", "unbound", "backup: resolver profile it relays through"},
	{SEC_HOST, "address", "",
	 "`refuse`, `timeout` or `nxdomain`; required for a host that is no server's"},
	{SEC_HOST, "ttl", "1h", "TTL of its address record"},
	{SEC_HOST, "neg_ttl", "1h", "negative TTL when it does not resolve"},
	{SEC_REPORT, "question", "",
	 "the question, in one line (the report and the index show it)"},
	{SEC_REPORT, "answer", "",
	 "the summary columns that answer it (`old_last_h, bounced_no_such_domain, "
	 "queue_peak_backup`): "
	 "the verdict, the index and the top of the report show exactly these, with their CIs; "
	 "written to answer.csv"},
	{SEC_REPORT, "within", "5m",
	 "`delivered_within_share` counts the mail delivered at most this long after its arrival"},
	{SEC_N, NULL, NULL, NULL},
};

const scn_key *scn_key_find(sec_type t, const char *key)
{
	for (const scn_key *k = scn_keys; k->key; k++)
		if (k->section == t && !strcmp(k->key, key))
			return k;
	return NULL;
}

int scn_key_names(sec_type t, const char **names, int max)
{
	int n = 0;
	for (const scn_key *k = scn_keys; k->key && n < max; k++)
		if (k->section == t)
			names[n++] = k->key;
	return n;
}

/* Text for groff: a leading '.' or '\'' escaped, backslashes doubled,
 * markdown backquotes dropped. */
static void man_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s != '`')
			fputc(*s, out);
}

void scn_print_keys_man(FILE *out)
{
	for (int t = 0; t < SEC_N; t++) {
		fprintf(out, ".SS [%s%s]\n", scn_sections[t].name,
			scn_sections[t].named ? " NAME" : "");
		man_text(out, scn_sections[t].help);
		fputc('\n', out);
		if (t == SEC_TIMELINE) {
			scn_print_actions_man(out);
			continue;
		}
		for (const scn_key *k = scn_keys; k->key; k++)
			if (k->section == (sec_type)t) {
				fprintf(out, ".TP\n.B %s\n(default: ", k->key);
				man_text(out, k->def ? (*k->def ? k->def : "unset") : "required");
				fputs(") ", out);
				man_text(out, k->help);
				fputc('\n', out);
			}
	}
}

void scn_print_key_names(FILE *out)
{
	for (const scn_key *k = scn_keys; k->key; k++)
		fprintf(out, "%s%s.%s\n", scn_sections[k->section].name,
			scn_sections[k->section].named ? " NAME" : "", k->key);
}

void scn_print_keys(FILE *out)
{
	for (int t = 0; t < SEC_N; t++) {
		fprintf(out, "%s`[%s%s]` — %s\n\n", t ? "\n" : "", scn_sections[t].name,
			scn_sections[t].named ? " NAME" : "", scn_sections[t].help);
		if (t == SEC_TIMELINE) {
			scn_print_actions(out);
			continue;
		}
		fprintf(out, "| key | default | meaning |\n|---|---|---|\n");
		for (const scn_key *k = scn_keys; k->key; k++)
			if (k->section == (sec_type)t)
				fprintf(out, "| `%s` | %s%s%s | %s |\n", k->key,
					k->def && *k->def ? "`" : "", k->def ? k->def : "required",
					k->def && *k->def ? "`" : "", k->help);
	}
}
