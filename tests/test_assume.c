/* test_assume.c - the table of assumptions (models/scenario/assume.h):
 * each row's low, default and high values build; a row at its default
 * changes no run (the same events and figures, to the bit); a share put at a value is
 * that share of the mix; moving one changes the run; split caches hold an
 * old answer as long as the analytic expectation says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../models/dns.h"
#include "../models/metrics.h"
#include "../models/resolver.h"
#include "../models/run.h"
#include "../models/scenario/assume.h"
#include "../models/scenario/scenario.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char base[] = "[run]\nduration = 6h\n[traffic]\nrate = 2000/h\npattern = office\n"
			   "[senders]\ncount = 300\n[resolvers]\ncount = 60\n"
			   "[domain example.com]\nmx = 10 mx.old.example\nmx_ttl = 5m\n"
			   "[server old]\nhost = mx.old.example\n[server new]\n"
			   "host = mx.new.example\n[timeline]\n"
			   "2h = mx example.com 10 mx.new.example\n";

/* The base scenario with assumption a at v (a < 0: none): its point 0
 * into *s (and *f), or -1. */
static int build(int a, double v, scn_file **f, scn **s)
{
	char *sets[3] = {0}, err[SCN_ERR];
	int n = a < 0 ? 0 : scn_assumption_sets((scn_assumption_id)a, v, sets);
	int rc = scn_load_text("assume.ini", base, strlen(base), sets, n, f, err);
	if (rc == 0 && (rc = scn_point(*f, 0, s, err)))
		scn_file_free(*f);
	if (rc)
		print_message("%s\n", err);
	for (int i = 0; i < n; i++)
		free(sets[i]);
	return rc;
}

/* The run of the base scenario with a at v: a hash of its events and
 * figures. */
static uint64_t fingerprint(int a, double v)
{
	scn_file *f;
	scn *s;
	assert_int_equal(build(a, v, &f, &s), 0);
	mdl_config c = *scn_config(s);
	c.seed = scn_seed(s, 0);
	mdl_result r;
	assert_int_equal(mdl_run(&c, &r), 0);
	/* the events, and every summary figure (the events alone do not say
	 * which server or resolver class a delivery or lookup went to) */
	int n = met_summary_names(&c, NULL);
	double *fig = calloc((size_t)n, sizeof *fig);
	met_summary_values(&c, &r, fig);
	uint64_t h = r.fingerprint;
	for (int i = 0; i < n; i++) {
		uint64_t bits;
		memcpy(&bits, &fig[i], sizeof bits);
		h = (h ^ bits) * 0x100000001b3ULL;
	}
	free(fig);
	mdl_result_free(&r);
	scn_free(s);
	scn_file_free(f);
	return h;
}

static void enough_rows_with_sources(void **state)
{
	(void)state;
	assert_true(SCN_A_N >= 8);
	for (int a = 0; a < SCN_A_N; a++) {
		const scn_assumption *x = &scn_assumptions[a];
		assert_true(x->low < x->def || x->def < x->high);
		assert_true(x->low <= x->def && x->def <= x->high);
		assert_true(strlen(x->source) > 10 && strlen(x->what) > 5);
	}
}

static void every_value_builds_and_the_default_changes_nothing(void **state)
{
	(void)state;
	uint64_t none = fingerprint(-1, 0);
	for (int a = 0; a < SCN_A_N; a++) {
		const scn_assumption *x = &scn_assumptions[a];
		if (fingerprint(a, x->def) != none)
			fail_msg("%s at its default changes the run", x->name);
		/* with a 5 min TTL no cap of an hour or more binds, and in 6 h
		 * with every server up no queue lifetime ends and no mail waits
		 * for a queue run: those rows cannot move this run; every other
		 * row must */
		bool inert = !strcmp(x->key, "cap") || !strcmp(x->key, "lifetime") ||
			     !strcmp(x->key, "queue_run");
		bool moved = fingerprint(a, x->low) != none || fingerprint(a, x->high) != none;
		if (moved == inert)
			fail_msg("%s %s the run", x->name, moved ? "moves" : "does not move");
	}
}

static void a_share_is_put_at_its_value(void **state)
{
	(void)state;
	scn_file *f;
	scn *s;
	assert_int_equal(build(SCN_A_floor_1h_share, 0.0874, &f, &s), 0);
	const mdl_config *c = scn_config(s);
	double total = 0, mine = -1;
	for (int k = 0; k < c->nclasses; k++) {
		total += c->class_share[k];
		if (!strcmp(c->class_name[k], "floor-1h"))
			mine = c->class_share[k];
	}
	assert_true(fabs(mine - 0.0874) < 1e-12 && fabs(total - 1) < 1e-12);
	scn_free(s);
	scn_file_free(f);
}

/* A resolver with k split caches (google_caches): each cache holds the
 * old answer until its own expiry, uniform over one lifetime in steady
 * state, so lookups every second after a change see it until the latest
 * of k: k / (k + 1) of the TTL on average (the maximum of k uniforms). */
static void split_caches_hold_an_old_answer_to_the_latest(void **state)
{
	(void)state;
	enum { N = 2000 };
	const sim_time ttl = 600 * SIM_SEC;
	for (int k = 1; k <= 4; k += 3) {
		dns *d = dns_new(N);
		for (int i = 0; i < N; i++)
			for (uint32_t host = 0; host < 2; host++)
				dns_set(d, i,
					&(dns_answer){.kind = DNS_MX,
						      .n = 1,
						      .mx = {{10, host}},
						      .ttl = ttl});
		res_profile p = *res_builtin("honour");
		p.caches = k;
		const res_profile *pp[1] = {&p};
		res *r = res_new(1, pp, 7, RES_START_STEADY, 0, 2, 2 * ttl);
		double sum = 0;
		for (int i = 0; i < N; i++) {
			sim_time last = 0;
			for (sim_time t = 0; t <= ttl; t += SIM_SEC)
				if (res_lookup(r, 0, d, i, t).version == 0)
					last = t;
			sum += (double)last / (double)ttl;
		}
		double want = k / (k + 1.0), got = sum / N;
		if (fabs(got - want) > 0.02)
			fail_msg(
				"%d caches: old answer until %.3f of the TTL on average, want %.3f",
				k, got, want);
		res_free(r);
		dns_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enough_rows_with_sources),
		cmocka_unit_test(every_value_builds_and_the_default_changes_nothing),
		cmocka_unit_test(a_share_is_put_at_its_value),
		cmocka_unit_test(split_caches_hold_an_old_answer_to_the_latest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
