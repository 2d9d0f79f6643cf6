/*
 * mta.c - MTA profiles and retry schedules (see mta.h).
 *
 * Defaults and their sources: Postfix, postconf(5): minimal_backoff_time
 * 300 s, maximal_backoff_time 4000 s, queue_run_delay 300 s,
 * maximal_queue_lifetime 5 d, smtp_connect_timeout 30 s,
 * smtp_mx_address_limit 5; initial_destination_concurrency 5,
 * default_destination_concurrency_limit 20, default_process_limit 100,
 * positive and negative feedback 1, failed cohort limit 1
 * (src/global/mail_params.h); a throttled destination is unthrottled
 * after minimal_backoff_time (src/qmgr/qmgr_queue.c, qmgr_queue_throttle).
 * Exim, The Exim Specification, ch. "Retry configuration": default rule
 * "F,2h,15m; G,16h,1h,1.5; F,4d,6h", retry records per host (hosts whose
 * retry time has not come are skipped; src/retry.c, retry_update: the next
 * try is the failure's time plus the rule's interval, a G rule's the last
 * gap times its factor; retry_interval_max 24 h), deferred mail tried by
 * the daemon's queue runners (Debian's /etc/default/exim4:
 * QUEUEINTERVAL='30m'; the first at its start); smtp transport connect_timeout
 * 5 m, which Linux cuts short: a connection to a host that drops packets
 * fails when the kernel's SYN retransmissions run out (mta.h), 131 s
 * (134.7 s measured here on Linux 6.18); hosts_max_try 5; no per-destination limit
 * (remote_max_parallel is per message). Sendmail, Installation and Operation Guide:
 * Timeout.queuereturn 5 d, host status kept Timeout.hoststatus 30 m, queue
 * run interval set by -q (30 min assumed; commonly 15 min to 1 h).
 * Exchange Server, Microsoft Learn "Message retry, resubmit, and
 * expiration intervals": 6 transient retries 5 min apart, then
 * MessageRetryInterval 15 min, MessageExpirationTimeout 2 d; a next-hop
 * queue in Retry after a connection failure
 * (OutboundConnectionFailureRetryInterval 10 min); "Message throttling":
 * MaxPerDomainOutboundConnections 20, MaxOutboundConnections 1000.
 * Exchange Online 15 -> 60 min and 24 h, taken to queue per destination
 * as Exchange Server, and Gmail 48 h with a doubling 5 min -> 2 h schedule
 * and no failure memory: assumptions (nothing published). qmail,
 * qmail-send(8) and qmail-control(5): retry at birth + n^2 s,
 * queuelifetime 7 d, concurrencyremote 20; qmail-tcpto(8) remembers hosts
 * that time out (1 h assumed). OpenSMTPD: 400 s * step^2 and 4 d
 * (smtpd.conf(5) default expiry; the step rule from its scheduler source,
 * uncertain), no failure memory assumed. Connect timeouts other than
 * Postfix's and Exim's, and the address limits of the others, are
 * assumptions (30 s; 5 addresses).
 * The OS's SYN retransmissions: Linux, TCP_TIMEOUT_INIT 1 s
 * (include/net/tcp.h, RFC 6298), tcp_syn_linear_timeouts 4 (since 6.5,
 * commit ccce324dabfe "tcp: make the first N SYN RTO backoffs linear"; 0
 * before) and tcp_syn_retries 6 (Documentation/networking/ip-sysctl.rst);
 * Windows (the Exchange profiles), an initial RTO of 3 s and
 * TcpMaxConnectRetransmissions 2 (Microsoft, TCP/IP registry values).
 * The wait for a reply in a session the server stopped answering: 5 min,
 * RFC 5321 section 4.5.3.2's minimum for the commands before DATA and
 * Postfix's smtp_helo/mail/rcpt_timeout 300s (postconf(5)), Exim's
 * command_timeout 5m; an assumption for the others.
 */
#include "mta.h"

#include "../sim/units.h"

#include <math.h>
#include <string.h>

#define S SIM_SEC
#define M SIM_MIN
#define H SIM_HOUR
#define D SIM_DAY

/* The built-in profiles; the name is part of each row. */
static const mta_profile builtins[] = {
	{.name = "postfix",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_POSTFIX,
	 .min_backoff = 300 * S,
	 .max_backoff = 4000 * S,
	 .queue_run = 300 * S,
	 .lifetime = 5 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_DESTINATION,
	 .dead_time = 300 * S,
	 .slots_initial = 5,
	 .slots_max = 20,
	 .slots_total = 100,
	 .connection_cache = true,
	 .connection_cache_time_limit = 2 * S,
	 .connection_reuse_time_limit = 300 * S,
	 .schedule = "backoff clamp(age, min_backoff, max_backoff) in whole seconds, then the "
		     "first queue run that takes it",
	 .source = "postconf(5): minimal_backoff_time 300s, maximal_backoff_time 4000s, "
		   "queue_run_delay 300s, maximal_queue_lifetime 5d, smtp_connect_timeout 30s, "
		   "smtp_mx_address_limit 5, initial_destination_concurrency 5, "
		   "default_destination_concurrency_limit 20, default_process_limit 100, "
		   "smtp_connection_cache_on_demand yes, smtp_connection_cache_time_limit 2s, "
		   "smtp_connection_reuse_time_limit 300s; src/qmgr/qmgr_queue.c (throttle for "
		   "minimal_backoff_time), src/qmgr/qmgr_entry.c (when the cache is on)"},
	{.name = "exim",
	 .connection_max_messages = 500,
	 .sched = MTA_SCHED_EXIM,
	 .nretry = 3,
	 .retry = {{'F', 0, 2 * H, 15 * M}, {'G', 1.5, 16 * H, H}, {'F', 0, 4 * D, 6 * H}},
	 .min_backoff = 15 * M,
	 .max_backoff = 6 * H,
	 .queue_run = 30 * M,
	 .lifetime = 4 * D,
	 .lifetime_from_fail = true,
	 .connect_timeout = 5 * M,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .fastopen = true,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_HOST,
	 .schedule =
		 "each queue run; a failed host is skipped until its retry time: 15 min "
		 "after each failure for 2 h, then the last gap x1.5 (at least 1 h) until 16 h, "
		 "then 6 h (retry_rule)",
	 .source = "The Exim Specification, ch. Retry configuration (F,2h,15m; G,16h,1h,1.5; "
		   "F,4d,6h; per-host retry records; hosts_max_try 5; connect_timeout 5m), cut to "
		   "131 s by Linux's SYN retries; src/retry.c (retry_update); Debian's "
		   "/etc/default/exim4 (QUEUEINTERVAL='30m'); src/transports/smtp.c "
		   "(hosts_try_fastopen *, command_timeout 5m, connection_max_messages 500) and "
		   "src/ip.c (a TCP Fast Open connect returns at once); src/transport.c "
		   "(transport_update_waiting, transport_check_waiting: connection passing); "
		   "remote_max_parallel is per message"},
	{.name = "sendmail",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_QUEUE_RUN,
	 .queue_run = 30 * M,
	 .lifetime = 5 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_HOST,
	 .dead_time = 30 * M,
	 .schedule = "every queue run (-q; 30 min assumed within 15 min to 1 h)",
	 .source = "Sendmail Installation and Operation Guide: Timeout.queuereturn 5d, "
		   "Timeout.hoststatus 30m; connect timeout and mx_limit assumed"},
	{.name = "exchange",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_EXCHANGE,
	 .min_backoff = 5 * M,
	 .max_backoff = 15 * M,
	 .lifetime = 2 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 3 * S,
	 .syn_retries = 2,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_DESTINATION,
	 .dead_time = 10 * M,
	 .slots_initial = 20,
	 .slots_max = 20,
	 .slots_total = 1000,
	 .schedule = "6 transient retries 5 min apart, then every 15 min",
	 .source = "Microsoft Learn, Message retry, resubmit, and expiration intervals "
		   "(MessageRetryInterval 15m, MessageExpirationTimeout 2d, "
		   "OutboundConnectionFailureRetryInterval 10m); Message throttling "
		   "(MaxPerDomainOutboundConnections 20, MaxOutboundConnections 1000); connect "
		   "timeout assumed"},
	{.name = "exchange-online",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_LINEAR,
	 .min_backoff = 15 * M,
	 .max_backoff = 60 * M,
	 .lifetime = 1 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 3 * S,
	 .syn_retries = 2,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_DESTINATION,
	 .dead_time = 10 * M,
	 .slots_initial = 20,
	 .slots_max = 20,
	 .slots_total = 1000,
	 .schedule = "15, 30, 45, then every 60 min (uncertain)",
	 .source = "assumption: nothing published; 24 h give-up, queued per destination as "
		   "Exchange Server"},
	{.name = "gmail",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_DOUBLING,
	 .min_backoff = 5 * M,
	 .max_backoff = 2 * H,
	 .lifetime = 2 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .schedule = "5 min doubling to 2 h (uncertain)",
	 .source = "assumption: nothing published; 48 h give-up, no failure memory"},
	{.name = "qmail",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_QMAIL,
	 .lifetime = 7 * D,
	 .connect_timeout = 60 * S,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .memory = MTA_MEMORY_HOST,
	 .dead_time = 1 * H,
	 .slots_total = 20,
	 .schedule = "birth + n^2 s, n = floor(sqrt(age s)) + 20",
	 .source = "qmail-send(8), qmail-control(5): queuelifetime 7d, concurrencyremote 20, "
		   "timeoutconnect 60s; qmail-tcpto(8) (1 h assumed)"},
	{.name = "opensmtpd",
	 .connection_max_messages = 1,
	 .sched = MTA_SCHED_SQUARE,
	 .min_backoff = 400 * S,
	 .lifetime = 4 * D,
	 .connect_timeout = 30 * S,
	 .syn_rto = 1 * S,
	 .syn_linear = 4,
	 .syn_retries = 6,
	 .session_timeout = 5 * M,
	 .mx_limit = 5,
	 .schedule = "creation + 400 s x step^2",
	 .source = "smtpd.conf(5): expire 4d; the step rule from its scheduler source (uncertain); "
		   "no failure memory assumed"},
};

const char *const mta_memory_names[MTA_MEMORY_N] = {[MTA_MEMORY_NONE] = "none",
						    [MTA_MEMORY_DESTINATION] = "destination",
						    [MTA_MEMORY_HOST] = "host"};

int mta_builtin_count(void)
{
	return (int)(sizeof builtins / sizeof *builtins);
}

const mta_profile *mta_builtin_at(int i)
{
	return &builtins[i];
}

const mta_profile *mta_builtin(const char *name)
{
	for (int i = 0; i < mta_builtin_count(); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* The first queue run at or after t on the grid phase + k * period. */
static sim_time grid(sim_time t, sim_time period, sim_time phase)
{
	if (period <= 0)
		return t;
	sim_time k = (t - phase + period - 1) / period;
	if (t - phase < 0)
		k = 0;
	return phase + k * period;
}

/* Exim's next try for a host failing at now (whole seconds): the rule in
 * force for how long it has been failing (the last one after every
 * cutoff); F: its interval; G: the last gap (the shorter of the one
 * predicted and the one that passed) times its factor, at least its
 * interval (src/retry.c, retry_update); at most retry_interval_max, 24 h. */
static sim_time exim_next(const mta_profile *p, sim_time first, sim_time last, sim_time next,
			  sim_time now)
{
	int i = 0;
	while (i + 1 < p->nretry && now - first > p->retry[i].cutoff)
		i++;
	const mta_retry_rule *r = &p->retry[i];
	sim_time gap = r->p1;
	if (r->kind == 'G') {
		sim_time lastgap = next - last < now - last ? next - last : now - last;
		/* Exim's integers: seconds, the factor in thousandths */
		sim_time grown = lastgap / S * (sim_time)llround(r->p2 * 1000) / 1000 * S;
		gap = lastgap < r->p1 ? r->p1 : grown;
	}
	return now + (gap < D ? gap : D);
}

/* Postfix's clock reads run time + this: its timers count its whole
 * seconds (src/util/events.c: event_request_timer, event_loop), the
 * queue-run heartbeat among them, so its seconds begin at the queue-run
 * grid's phase. */
static sim_time postfix_clock(sim_time phase)
{
	return (S - phase % S) % S;
}

/* The whole second of Postfix's clock (offset c) that run time t is in,
 * as the clock reads it. */
static sim_time postfix_second(sim_time t, sim_time c)
{
	return (t + c) / S * S;
}

/* Postfix (src/qmgr/qmgr_active.c): a deferred message's queue file gets
 * the time event_time() + clamp(event_time() - create_time, min, max), in
 * whole seconds of the MTA's clock, and a deferred-queue scan takes the
 * files whose time is at most its own time() + 1 s (qmgr_active_feed). */
static sim_time postfix_retry(const mta_profile *p, sim_time birth, sim_time now, sim_time phase)
{
	sim_time c = postfix_clock(phase);
	sim_time t = postfix_second(now, c), age = t - postfix_second(birth, c);
	sim_time b = age < p->min_backoff   ? p->min_backoff
		     : age > p->max_backoff ? p->max_backoff
					    : age;
	sim_time due = (t + b - 1) / S * S - c; /* the first scan: its clock >= file's - 1 s */
	return grid(due > now ? due : now + 1, p->queue_run, phase);
}

sim_time mta_next_retry(const mta_profile *p, sim_time birth, int attempts, sim_time now,
			sim_time phase)
{
	sim_time age = now - birth;
	switch (p->sched) {
	case MTA_SCHED_POSTFIX:
		return postfix_retry(p, birth, now, phase);
	case MTA_SCHED_EXIM: /* each queue run: the hosts' records decide */
		return grid(now + 1, p->queue_run, phase);
	case MTA_SCHED_QUEUE_RUN:
		return grid(now + 1, p->queue_run, phase);
	case MTA_SCHED_EXCHANGE:
		return now + (attempts <= 6 ? p->min_backoff : p->max_backoff);
	case MTA_SCHED_LINEAR: {
		sim_time iv = p->min_backoff * attempts;
		return now + (iv > p->max_backoff ? p->max_backoff : iv);
	}
	case MTA_SCHED_DOUBLING: {
		double iv = (double)p->min_backoff * pow(2, attempts - 1);
		return now + (iv > (double)p->max_backoff ? p->max_backoff : (sim_time)iv);
	}
	case MTA_SCHED_QMAIL: {
		double n = floor(sqrt((double)age / S)) + 20;
		return birth + (sim_time)(n * n) * S;
	}
	case MTA_SCHED_SQUARE:
		return birth + p->min_backoff * attempts * attempts;
	}
	return now + p->min_backoff;
}

sim_time mta_timer(const mta_profile *p, sim_time now, sim_time delay, sim_time phase)
{
	if (p->sched != MTA_SCHED_POSTFIX)
		return now + delay;
	sim_time c = postfix_clock(phase);
	return postfix_second(now, c) + delay - c;
}

sim_time mta_clock(sim_time phase)
{
	return postfix_clock(phase);
}

sim_time mta_second(sim_time t, sim_time phase)
{
	return (t + postfix_clock(phase)) / S;
}

sim_time mta_host_retry(const mta_profile *p, sim_time first, sim_time last, sim_time next,
			sim_time now)
{
	if (p->sched == MTA_SCHED_EXIM && p->nretry)
		return exim_next(p, first, last, next, now);
	return now + p->dead_time;
}

/* One rule: "F,2h,15m" or "G,16h,1h,1.5". */
static int retry_rule(mta_retry_rule *r, char *text, char *err, size_t len)
{
	char *f[5], *save = NULL, e[UNIT_ERR];
	int n = 0;
	for (char *t = strtok_r(text, ",", &save); t && n < 5; t = strtok_r(NULL, ",", &save)) {
		size_t k = strlen(t);
		while (k && (t[k - 1] == ' ' || t[k - 1] == '\t'))
			t[--k] = '\0';
		f[n++] = t + strspn(t, " \t");
	}
	r->kind = n ? f[0][0] : 0;
	if ((r->kind != 'F' && r->kind != 'G') || f[0][1] != '\0' ||
	    n != (r->kind == 'F' ? 3 : 4)) {
		snprintf(err, len, "expected F,CUTOFF,INTERVAL or G,CUTOFF,INTERVAL,FACTOR");
		return -1;
	}
	double p2 = 1;
	if (unit_duration(f[1], &r->cutoff, e) || unit_duration(f[2], &r->p1, e) ||
	    (n == 4 && unit_number(f[3], &p2, e))) {
		snprintf(err, len, "%s", e);
		return -1;
	}
	r->p2 = p2;
	if (r->p1 < S || r->p2 < 1 || r->p2 > 100) {
		snprintf(err, len, "an interval of at least 1s and a factor from 1 to 100");
		return -1;
	}
	return 0;
}

int mta_retry_parse(mta_profile *p, const char *text, char *err, size_t len)
{
	char buf[512], *save = NULL;
	if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf) {
		snprintf(err, len, "at most %zu characters", sizeof buf - 1);
		return -1;
	}
	int n = 0;
	for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save), n++) {
		if (n == MTA_RETRY_RULES) {
			snprintf(err, len, "at most %d rules", MTA_RETRY_RULES);
			return -1;
		}
		if (retry_rule(&p->retry[n], t, err, len))
			return -1;
		if (n && p->retry[n].cutoff <= p->retry[n - 1].cutoff) {
			snprintf(err, len, "each rule's cutoff after the one before");
			return -1;
		}
	}
	if (!n) {
		snprintf(err, len, "expected at least one rule");
		return -1;
	}
	p->nretry = n;
	return 0;
}

void mta_retry_text(const mta_profile *p, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < p->nretry && n < len; i++) {
		const mta_retry_rule *r = &p->retry[i];
		char c[32], iv[32];
		unit_format_duration(r->cutoff, c, sizeof c);
		unit_format_duration(r->p1, iv, sizeof iv);
		n += (size_t)snprintf(buf + n, len - n, "%s%c,%s,%s", i ? "; " : "", r->kind, c,
				      iv);
		if (r->kind == 'G' && n < len)
			n += (size_t)snprintf(buf + n, len - n, ",%g", r->p2);
	}
}

sim_time mta_syn_at(const mta_profile *p, int k)
{
	int lin = p->syn_linear + 1 < k ? p->syn_linear + 1 : k; /* intervals of syn_rto */
	return p->syn_rto * (lin + (((sim_time)1 << (k - lin + 1)) - 2));
}

sim_time mta_retransmit_at(sim_time from, sim_time t)
{
	sim_time at = from, rto = SIM_SEC / 5;
	while (at < t) {
		at += rto;
		rto = rto < 60 * SIM_SEC ? 2 * rto : 120 * SIM_SEC;
	}
	return at;
}

/* With TCP Fast Open the connect returns at once (Exim's src/ip.c,
 * ip_connect: sendto MSG_FASTOPEN | MSG_DONTWAIT, EINPROGRESS without a
 * cookie), so the wait for the greeting bounds the SYN's instead. */
sim_time mta_connect_limit(const mta_profile *p)
{
	sim_time mta = p->fastopen ? p->session_timeout : p->connect_timeout;
	if (!p->syn_rto) /* no SYN schedule given: the MTA's timeout alone */
		return mta;
	sim_time os = mta_syn_at(p, p->syn_linear + p->syn_retries + 1);
	return os < mta ? os : mta;
}

bool mta_expired(const mta_profile *p, sim_time birth, sim_time first_fail, sim_time now)
{
	return now - (p->lifetime_from_fail ? first_fail : birth) >= p->lifetime;
}
