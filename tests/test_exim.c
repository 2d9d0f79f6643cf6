/* test_exim.c - Exim as the sending MTA: its host retry records and its
 * connection passing, against Exim's source (src/retry.c,
 * src/transport.c, src/transports/smtp.c) and what real Exim 4.96 did in
 * the validation cases (tests/validation/exim-*.ini). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../models/mta.h"
#include "../models/run.h"
#include "../models/scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exim's host retry record (src/retry.c, retry_update: next try = the
 * failure's time + the rule's interval; a G rule's the shorter of the
 * last predicted and actual gaps x its factor, at least its interval):
 * validation case exim-retry's rule and failures, and the default rule
 * failing at each of its tries (15 min to 2 h 15 min, then 1 h growing
 * x1.5 while failing for at most 16 h, then 6 h). Each
 * message waits for the next queue run. Bad rules are refused. */
static void exim_retry_follows_retry_update(void **state)
{
	(void)state;
	const sim_time S = SIM_SEC, M = SIM_MIN;
	mta_profile p = *mta_builtin("exim");
	char err[160];
	assert_int_equal(mta_retry_parse(&p, "F,1m,10s; G,10m,20s,1.5", err, sizeof err), 0);
	const int fail[] = {5, 15, 25, 35, 45, 55, 70, 90, 130};
	const int want[] = {15, 25, 35, 45, 55, 65, 90, 120, 175};
	sim_time last = 5 * S, next = 5 * S;
	for (int i = 0; i < 9; i++) {
		sim_time t = fail[i] * S, n = mta_host_retry(&p, 5 * S, last, next, t);
		assert_int_equal(n, want[i] * S);
		last = t, next = n;
	}
	const mta_profile *x = mta_builtin("exim");
	/* at 2 h of failing F still holds (failing <= cutoff); whole seconds:
	 * 18225 s x 1.5 is 27337 s, as Exim's integers */
	const int secs[] = {900,  1800,  2700,  3600,  4500,  5400,  6300, 7200,
			    8100, 11700, 17100, 25200, 37350, 55575, 82912};
	last = next = 0;
	for (int i = 0; i < 15; i++) {
		sim_time n = mta_host_retry(x, 0, last, next, next);
		assert_int_equal(n, secs[i] * S);
		last = next, next = n;
	}
	assert_int_equal(mta_next_retry(x, 0, 1, 31 * M, 10 * M), 40 * M);
	char longer[600] = "F,1h,1m"; /* then 592 ';': valid if cut short, so refused whole */
	memset(longer + 7, ';', sizeof longer - 8);
	const char *bad[] = {"H,1h,1m", "F,2h", "F,2h,15m; F,1h,5m", "G,1h,1m,0.5", "F,1h,0s",
			     "",        longer};
	for (int i = 0; i < 7; i++)
		assert_int_equal(mta_retry_parse(&p, bad[i], err, sizeof err), -1);
}

enum { MSGS = 200 };

/* Each message's delivery time and server (by id), and the run's result. */
typedef struct {
	sim_time end[MSGS + 1];
	int server[MSGS + 1];
	mdl_result r;
} delivered;

static void on_trace(void *ctx, const mdl_trace *t)
{
	delivered *d = ctx;
	if (t->kind == MDL_TRACE_DELIVERED && t->id <= MSGS) {
		d->end[t->id] = t->now;
		d->server[t->id] = t->server;
	}
}

/* Scenario text's first point, replication 0, its deliveries traced. */
static void run_traced(const char *text, int n, delivered *d)
{
	scn_file *f;
	scn *s;
	char err[SCN_ERR];
	memset(d, 0, sizeof *d);
	assert_int_equal(scn_load_text("exim.ini", text, (size_t)n, NULL, 0, &f, err), 0);
	assert_int_equal(scn_point(f, 0, &s, err), 0);
	mdl_config c = *scn_config(s);
	c.seed = scn_seed(s, 0);
	c.trace = on_trace;
	c.trace_ctx = d;
	assert_int_equal(mdl_run(&c, &d->r), 0);
	scn_free(s);
	scn_file_free(f);
}

static const char *const exim_case =
	"[run]\nduration = 4m\n[traffic]\nrate = 1/s\narrivals = fixed\nstop = 115s\n"
	"size = const(1KB)\n[senders]\ncount = 1\nprofiles = t:1\n[resolvers]\ncount = 1\n"
	"profiles = unbound:1\ncache = empty\n[profile t]\nbased_on = exim\n"
	"retry_rule = F,10m,10s\nqueue_run = 120s\nqueue_run_phase = 20s\nlifetime = 1h\n"
	"connect_timeout = 3s\nconnection_max_messages = %s\n[domain example.com]\n"
	"mx = 10 p.example.com\n[server p]\nhost = p.example.com\n"
	"session_time = const(10ms)\nbandwidth = 0\ndown = refuse\n"
	"[timeline]\n5s = outage p 95s\n";

/* Exim's connection passing (transport_update_waiting and
 * transport_check_waiting, src/transport.c), validation case
 * exim-passing: the only MX refuses from 5 s to 100 s, one message a
 * second (id k born at k - 1 s) for 115 s, F,10m,10s, queue runs at 20 s
 * and 140 s. The host is tried at 5, 15, ..., 95 s; the message born at
 * 105 s is the first to try it back, and its connection goes to the
 * newest message waiting for the host, then the next newest, 10 ms each
 * (Exim 4.96 scans the record from its end): born b, delivered at
 * 105 s + (106 - b) x 10 ms. Real Exim 4.96 delivered the backlog from
 * 105 s to 108.4 s (its passes take about 35 ms). At most 10 a
 * connection, each new message from 105 s to 114 s carries 9 of the
 * backlog, newest first, and the 10 oldest wait for the queue run at
 * 140 s; at 1 (no passing) all 100 do. */
static void exim_passes_connection_to_waiting_mail(void **state)
{
	(void)state;
	static const char *const most[] = {"500", "10", "1"};
	const sim_time S = SIM_SEC, MS = SIM_SEC / 1000;
	for (int k = 0; k < 3; k++) {
		char text[1024];
		int n = snprintf(text, sizeof text, exim_case, most[k]);
		delivered d;
		run_traced(text, n, &d);
		assert_int_equal(d.r.delivered, 115);
		int at_run = 0;
		for (int id = 6; id <= 105; id++) { /* born 5 s to 104 s: waiting */
			sim_time b = (id - 1) * S, end = d.end[id];
			if (k == 0 && b >= 10 * S)
				assert_true(llabs(end - (105 * S + (106 * S - b) / 100)) < MS);
			at_run += end >= 140 * S && end < 141 * S;
			if (end < 140 * S)
				assert_true(end >= 105 * S && end < 115 * S);
		}
		for (int id = 1; id <= 115; id++) /* born before or after: delivered at once */
			if (id <= 5 || id > 105)
				assert_true(d.end[id] - (id - 1) * S < 20 * MS);
		assert_int_equal(at_run, k == 0 ? 0 : k == 1 ? 10 : 100);
		if (k == 1) /* the oldest ten: born 5 s to 14 s */
			for (int id = 6; id <= 15; id++)
				assert_true(d.end[id] >= 140 * S);
		assert_int_equal(d.r.server[0].reused, k == 0 ? 100 : k == 1 ? 90 : 0);
		mdl_result_free(&d.r);
	}
}

/* A message that a host deferred for a reason of its own is not listed
 * for its hosts (src/transports/smtp.c: a 4xx to MAIL FROM makes
 * message_defer, and update_waiting goes off). The primary refuses from
 * 0 s to 30 s, tried at 0, 10 and 20 s (F,10m,10s); the backup takes 5
 * messages (queue_limit 5) and answers the next ones 452 at MAIL FROM;
 * the message born at 30 s, the first to try the primary back, is
 * delivered there, and passes its connection to nobody: the 25 messages
 * born 5 s to 29 s wait for the queue run at 140 s. The
 * backup's five are still queued there at the end (its relay, Postfix,
 * waits 300 s after the primary refused them). */
static void exim_lists_no_message_deferred_for_itself(void **state)
{
	(void)state;
	static const char text[] =
		"[run]\nduration = 4m\n[traffic]\nrate = 1/s\narrivals = fixed\nstop = 60s\n"
		"size = const(1KB)\n[senders]\ncount = 1\nprofiles = t:1\n[resolvers]\n"
		"count = 1\nprofiles = unbound:1\ncache = empty\n[profile t]\nbased_on = exim\n"
		"retry_rule = F,10m,10s\nqueue_run = 120s\nqueue_run_phase = 20s\n"
		"lifetime = 1h\nconnect_timeout = 3s\n[domain example.com]\n"
		"mx = 10 p.example.com, 20 b.example.com\n[server p]\nhost = p.example.com\n"
		"session_time = const(10ms)\nbandwidth = 0\ndown = refuse\n[server b]\n"
		"host = b.example.com\nkind = backup\nqueue_limit = 5\n"
		"session_time = const(10ms)\nbandwidth = 0\n[timeline]\n0s = outage p 30s\n";
	delivered d;
	run_traced(text, (int)sizeof text - 1, &d);
	assert_int_equal(d.r.delivered, 55);
	assert_int_equal(d.r.server[0].reused, 0);
	int waited = 0;
	for (int id = 6; id <= 30; id++) /* born 5 s to 29 s: 452 at the backup */
		waited += d.end[id] >= 140 * SIM_SEC;
	assert_int_equal(waited, 25);
	mdl_result_free(&d.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exim_retry_follows_retry_update),
		cmocka_unit_test(exim_passes_connection_to_waiting_mail),
		cmocka_unit_test(exim_lists_no_message_deferred_for_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
