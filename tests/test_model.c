/*
 * test_model.c - the mail-flow models against analytic results derived
 * from the model's assumptions (TTL propagation of lazily expiring caches,
 * R * T / 2 bounces for an early cancellation, R * D for a wrong MX, Erlang
 * B, P(size > limit), the backup queue R * D) and the documented retry
 * schedules of the MTAs (postconf(5), the Exim specification), with
 * tolerances from the spread over replications; every run must balance
 * (mdl_run returns 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../models/run.h"
#include "../sim/rng.h"

#include <math.h>
#include <string.h>

/* hosts */
enum { H_OLD, H_NEW, H_SELF, H_TYPO_NX, H_REFUSE, H_TIMEOUT, H_BACKUP, H_SECOND, NHOSTS };
/* servers */
enum { S_OLD, S_NEW, S_BACKUP, S_SECOND, NSERVERS };

typedef struct {
	mdl_config c;
	dns_answer initial[1];
	double weight[1];
	int self_host[1];
	bool additional[1];
	sim_time cutover[1];
	int new_provider[1];
	mdl_host hosts[NHOSTS];
	mdl_server servers[NSERVERS];
	bool accepts[NSERVERS];
	const res_profile *resolver[2000];
	int res_class[2000];
	const char *class_name[2];
	double class_share[2];
	mta_profile profiles[2];
	double share[2];
	mdl_event events[8];
} fixture;

static dns_answer mx1(int host, sim_time ttl)
{
	return (dns_answer){.kind = DNS_MX, .n = 1, .mx = {{10, (uint32_t)host}}, .ttl = ttl};
}

static dns_answer mx2(int h1, int h2, sim_time ttl)
{
	return (dns_answer){
		.kind = DNS_MX, .n = 2, .mx = {{10, (uint32_t)h1}, {20, (uint32_t)h2}}, .ttl = ttl};
}

static mdl_server server(const char *name, int provider, int host, int sessions)
{
	mdl_server s = {.provider = provider,
			.host = host,
			.sessions = sessions,
			.session_time = dist_const(1)};
	strcpy(s.name, name);
	return s;
}

/* One domain on the old provider's host, nresolvers honouring TTLs, nsenders
 * on Postfix, rate messages/s, every server taking the domain. */
static void fixture_init(fixture *f, int nresolvers, int nsenders, double rate, sim_time ttl)
{
	memset(f, 0, sizeof *f);
	mdl_config *c = &f->c;
	c->duration = 2 * SIM_DAY;
	c->bucket = 5 * SIM_MIN;
	c->seed = 1;
	c->ndomains = 1;
	f->initial[0] = mx1(H_OLD, ttl);
	c->initial = f->initial;
	f->weight[0] = 1;
	c->weight = f->weight;
	f->self_host[0] = H_SELF;
	c->self_host = f->self_host;
	c->additional = f->additional;
	f->cutover[0] = SIM_NEVER;
	c->cutover = f->cutover;
	f->new_provider[0] = 1;
	c->new_provider = f->new_provider;
	f->hosts[H_OLD] = (mdl_host){DNS_HOST_SERVER, S_OLD, SIM_HOUR, SIM_HOUR};
	f->hosts[H_NEW] = (mdl_host){DNS_HOST_SERVER, S_NEW, SIM_HOUR, SIM_HOUR};
	f->hosts[H_SELF] = (mdl_host){DNS_HOST_REFUSE, 0, SIM_HOUR, SIM_HOUR};
	f->hosts[H_TYPO_NX] = (mdl_host){DNS_HOST_NXDOMAIN, 0, SIM_HOUR, SIM_HOUR};
	f->hosts[H_REFUSE] = (mdl_host){DNS_HOST_REFUSE, 0, SIM_HOUR, SIM_HOUR};
	f->hosts[H_TIMEOUT] = (mdl_host){DNS_HOST_TIMEOUT, 0, SIM_HOUR, SIM_HOUR};
	f->hosts[H_BACKUP] = (mdl_host){DNS_HOST_SERVER, S_BACKUP, SIM_HOUR, SIM_HOUR};
	f->hosts[H_SECOND] = (mdl_host){DNS_HOST_SERVER, S_SECOND, SIM_HOUR, SIM_HOUR};
	c->nhosts = NHOSTS;
	c->hosts = f->hosts;
	f->servers[S_OLD] = server("old", 0, H_OLD, 100000);
	f->servers[S_NEW] = server("new", 1, H_NEW, 100000);
	f->servers[S_BACKUP] = server("backup", 2, H_BACKUP, 100000);
	f->servers[S_BACKUP].backup = true;
	f->servers[S_BACKUP].relay_sessions = 20;
	f->servers[S_SECOND] = server("second", 1, H_SECOND, 100000);
	c->nservers = NSERVERS;
	c->nproviders = 3;
	c->servers = f->servers;
	for (int i = 0; i < NSERVERS; i++)
		f->accepts[i] = true;
	c->accepts = f->accepts;
	for (int i = 0; i < nresolvers + 1; i++) /* + 1: the backup's */
		f->resolver[i] = res_builtin("honour");
	c->nresolvers = nresolvers + 1;
	c->nsender_resolvers = nresolvers;
	f->servers[S_BACKUP].relay_resolver = nresolvers;
	c->resolver = f->resolver;
	f->class_name[0] = "honour";
	f->class_share[0] = 1;
	c->nclasses = 1;
	c->class_name = f->class_name;
	c->class_share = f->class_share;
	c->res_class = f->res_class;
	c->resolver_zipf = 0;
	c->nsenders = nsenders;
	c->sender_zipf = 0;
	f->profiles[0] = *mta_builtin("postfix");
	c->nprofiles = 1;
	c->profiles = f->profiles;
	f->share[0] = 1;
	c->profile_share = f->share;
	c->rate = rate;
	c->traffic_stop = SIM_NEVER;
	c->size = dist_const(10000);
	c->events = f->events;
}

static void add_event(fixture *f, mdl_event e)
{
	f->events[f->c.nevents++] = e;
}

static int run(fixture *f, uint64_t rep, mdl_result *r)
{
	f->c.seed = rng_replication_seed(1, (unsigned)rep);
	return mdl_run(&f->c, r);
}

static double col(const mdl_result *r, int bucket, int c)
{
	return r->ts[(size_t)bucket * (size_t)r->ncols + (size_t)c];
}

/* mean and 95 % half-width over n values */
static void ci(const double *x, int n, double *m, double *h)
{
	st_ci95(x, n, m, h);
}

enum { REPS = 6 };

/* MX changed at t0: share of lookups answered old at t0 + x is
 * (L - x) / (L + 1/lambda), L = min(T, cap). */
static void propagation_case(const char *profile, sim_time ttl, sim_time life)
{
	fixture f;
	int nres = 400, nsend = 4000;
	double rate = 40; /* per resolver: 0.1/s, 1/lambda = 10 s */
	fixture_init(&f, nres, nsend, rate, ttl);
	for (int i = 0; i < nres; i++)
		f.resolver[i] = res_builtin(profile);
	sim_time t0 = SIM_DAY;
	f.c.duration = t0 + life + SIM_HOUR;
	f.c.bucket = life / 12;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_MX, .answer = mx1(H_NEW, ttl)});
	int b0 = (int)(t0 / f.c.bucket);
	double err[REPS], inv_lambda = nres / rate, L = (double)life / SIM_SEC;
	double worst = 0;
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		double e = 0;
		for (int b = 0; b < 12; b++) {
			double x0 = (double)b * L / 12, x1 = x0 + L / 12;
			/* average of (L - x) / (L + 1/lambda) over the bucket */
			double want = (L - (x0 + x1) / 2) / (L + inv_lambda);
			double got = col(&r, b0 + b, MDL_TS_OLD_MX_SHARE);
			e += got - want;
			if (fabs(got - want) > worst)
				worst = fabs(got - want);
		}
		err[k] = e / 12;
		/* after one lifetime nothing old is left */
		assert_true(col(&r, b0 + 13, MDL_TS_OLD_MX_SHARE) == 0);
		mdl_result_free(&r);
	}
	double m, h;
	ci(err, REPS, &m, &h);
	print_message("propagation %s: mean error %.4f +- %.4f, worst bucket %.3f\n", profile, m, h,
		      worst);
	assert_true(fabs(m) < fmax(h, 0.005) * 2);
	assert_true(worst < 0.12); /* 400 resolvers: binomial spread ~0.025 */
}

static void propagation_honours_ttl(void **state)
{
	(void)state;
	propagation_case("honour", SIM_HOUR, SIM_HOUR);
}

static void propagation_capped(void **state)
{
	(void)state;
	/* a 1 d TTL capped at 6 h by Google Public DNS */
	propagation_case("google", SIM_DAY, 6 * SIM_HOUR);
}

/* Runs the replications; every bounce must be a relay denial. x[k]: the
 * bounces of replication k; *new_min: fewest deliveries to S_NEW. */
static void relay_denied_bounces(fixture *f, double *x, uint64_t *new_min)
{
	if (new_min)
		*new_min = UINT64_MAX;
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(f, (uint64_t)k, &r), 0);
		assert_int_equal(r.bounced, r.bounces[MDL_BOUNCE_RELAY_DENIED]);
		x[k] = (double)r.bounced;
		if (new_min && r.server[S_NEW].delivered < *new_min)
			*new_min = r.server[S_NEW].delivered;
		mdl_result_free(&r);
	}
}

/* Old provider stops accepting at the switch: bounces ~ R * T / 2. */
static void cancelled_early_bounces_half_ttl(void **state)
{
	(void)state;
	fixture f;
	double rate = 1, nres = 100;
	sim_time T = SIM_HOUR, t0 = SIM_DAY;
	fixture_init(&f, (int)nres, 5000, rate, T);
	f.c.duration = t0 + 3 * T;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_MX, .answer = mx1(H_NEW, T)});
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_REJECT, .domain = 0, .server = S_OLD});
	double x[REPS];
	relay_denied_bounces(&f, x, NULL);
	/* R * T/2, exactly R * T^2 / (2 (T + 1/lambda)) for lookup rate lambda */
	double Ts = 3600, want = rate * Ts * Ts / (2 * (Ts + nres / rate));
	double m, h;
	ci(x, REPS, &m, &h);
	print_message("cancelled early: bounced %.0f +- %.0f, R*T/2 = %.0f\n", m, h, want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.05 * want));
}

/* Wrong MX for D, fixed: bounces ~ R * D (5xx host or unresolvable name);
 * an unreachable host bounces nothing. */
static void typo_case(int typo_host, bool fatal)
{
	fixture f;
	double rate = 1;
	sim_time T = 15 * SIM_MIN, t0 = SIM_DAY, D = 2 * SIM_HOUR;
	fixture_init(&f, 500, 5000, rate, T);
	f.c.duration = t0 + D + 2 * SIM_DAY;
	f.hosts[H_SECOND] = (mdl_host){DNS_HOST_SERVER, S_SECOND, SIM_HOUR, SIM_HOUR};
	f.accepts[S_SECOND] = false; /* answers 554 relay denied for the domain */
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_MX, .answer = mx1(typo_host, T)});
	add_event(&f, (mdl_event){.at = t0 + D, .kind = MDL_EV_MX, .answer = mx1(H_OLD, T)});
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		x[k] = (double)r.bounced;
		if (!fatal) {
			assert_int_equal(r.bounced, 0);
			/* only delayed: all delivered within hours of the fix */
			assert_true(r.queued_senders < 10);
		}
		mdl_result_free(&r);
	}
	if (!fatal)
		return;
	double m, h, want = rate * (double)(D / SIM_SEC);
	ci(x, REPS, &m, &h);
	print_message("typo host %d: bounced %.0f +- %.0f, R*D = %.0f\n", typo_host, m, h, want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.05 * want));
}

static void typo_rejecting_host(void **state)
{
	(void)state;
	typo_case(H_SECOND, true);
}

static void typo_unresolvable_host(void **state)
{
	(void)state;
	typo_case(H_TYPO_NX, true);
}

static void typo_unreachable_host_only_delays(void **state)
{
	(void)state;
	typo_case(H_REFUSE, false);
	typo_case(H_TIMEOUT, false);
}

static void null_mx_bounces_at_once(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 10, 100, 0.1, SIM_HOUR);
	f.initial[0] = (dns_answer){.kind = DNS_NULLMX, .ttl = SIM_HOUR};
	f.c.duration = SIM_DAY;
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	assert_true(r.submitted > 1000);
	assert_int_equal(r.bounces[MDL_BOUNCE_NULL_MX], r.submitted);
	assert_int_equal(r.attempts, r.submitted);
	mdl_result_free(&r);
}

static double erlang_b(int c, double a)
{
	double b = 1;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

/* Poisson arrivals, exponential sessions, c sessions: share of first
 * attempts answered 421 = Erlang B(c, R/mu); the refused go to a second MX,
 * so retries add no load. */
static void capacity_matches_erlang_b(void **state)
{
	(void)state;
	fixture f;
	int c = 10;
	double rate = 8, hold = 1;
	fixture_init(&f, 10, 1000, rate, SIM_DAY);
	f.initial[0] = mx2(H_NEW, H_SECOND, SIM_DAY);
	f.servers[S_NEW].sessions = c;
	f.servers[S_NEW].session_time = dist_exp(hold);
	f.c.duration = 6 * SIM_HOUR;
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		x[k] = (double)r.server[S_NEW].first_busy / (double)r.server[S_NEW].first_offered;
		assert_true(r.server[S_NEW].peak_sessions <= c);
		mdl_result_free(&r);
	}
	double m, h, want = erlang_b(c, rate * hold);
	ci(x, REPS, &m, &h);
	print_message("Erlang B(%d, %.1f) = %.4f, simulated %.4f +- %.4f\n", c, rate * hold, want,
		      m, h);
	assert_true(fabs(m - want) < fmax(2 * h, 0.003));
}

/* The share bounced 552 is P(size > limit). */
static void size_limit_matches_tail(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 10, 1000, 1, SIM_DAY);
	f.c.size = (dist){.kind = DIST_LOGNORMAL, .p = {5e6, 1.0}};
	f.servers[S_OLD].size_limit = 20e6;
	f.c.duration = SIM_DAY;
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		x[k] = (double)r.bounces[MDL_BOUNCE_TOO_LARGE] / (double)r.submitted;
		mdl_result_free(&r);
	}
	double m, h, want = dist_tail(&f.c.size, 20e6);
	ci(x, REPS, &m, &h);
	print_message("552 share %.4f +- %.4f, P(size > 20 MB) = %.4f\n", m, h, want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.003));
}

/* Primary down for D: nothing bounces, the backup's peak queue ~ R * D. */
static void backup_holds_outage(void **state)
{
	(void)state;
	fixture f;
	double rate = 0.5;
	sim_time D = 4 * SIM_HOUR, t0 = SIM_DAY;
	fixture_init(&f, 50, 2000, rate, SIM_HOUR);
	f.initial[0] = mx2(H_OLD, H_BACKUP, SIM_HOUR);
	f.servers[S_BACKUP].relay_profile = 0;
	f.c.duration = t0 + D + SIM_DAY;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_DOWN, .server = S_OLD});
	add_event(&f, (mdl_event){.at = t0 + D, .kind = MDL_EV_UP, .server = S_OLD});
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		assert_int_equal(r.bounced, 0);
		assert_int_equal(r.queued_backups, 0); /* drained after the outage */
		x[k] = (double)r.server[S_BACKUP].peak_queue;
		mdl_result_free(&r);
	}
	double m, h, want = rate * (double)(D / SIM_SEC);
	ci(x, REPS, &m, &h);
	print_message("backup peak queue %.0f +- %.0f, R*D = %.0f\n", m, h, want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.03 * want));

	/* without the backup the senders hold the mail, and still nothing bounces */
	f.initial[0] = mx1(H_OLD, SIM_HOUR);
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	assert_int_equal(r.bounced, 0);
	assert_true(r.peak_queue_senders > 0.9 * want);
	mdl_result_free(&r);
}

typedef struct {
	uint64_t id;
	sim_time birth, at[200];
	int n;
	bool bounced;
	sim_time end;
} one_msg;

static void trace_first(void *ctx, const mdl_trace *t)
{
	one_msg *o = ctx;
	if (!o->id)
		o->id = t->id;
	if (t->id != o->id)
		return;
	o->birth = t->birth;
	if (t->kind == MDL_TRACE_ATTEMPT && o->n < 200)
		o->at[o->n++] = t->now;
	if (t->kind == MDL_TRACE_BOUNCED) {
		o->bounced = true;
		o->end = t->now;
	}
}

static one_msg unreachable(const char *profile)
{
	fixture f;
	fixture_init(&f, 1, 1, 1.0 / 86400, SIM_DAY);
	f.initial[0] = mx1(H_REFUSE, SIM_DAY);
	f.profiles[0] = *mta_builtin(profile);
	f.profiles[0].dead_time = 0;
	f.c.duration = 12 * SIM_DAY;
	one_msg o;
	memset(&o, 0, sizeof o);
	f.c.trace = trace_first;
	f.c.trace_ctx = &o;
	mdl_result r;
	assert_int_equal(run(&f, 3, &r), 0);
	mdl_result_free(&r);
	assert_true(o.bounced);
	assert_true(o.birth < 4 * SIM_DAY);
	return o;
}

static void retry_schedule_postfix(void **state)
{
	(void)state;
	one_msg o = unreachable("postfix");
	/* each retry: the first queue run (a 300 s grid) once the backoff
	 * clamp(age, 300 s, 4000 s) has passed: ~300, 600, 1200, 2400, then
	 * every 4000-4300 s */
	for (int i = 1; i < o.n; i++) {
		sim_time age = o.at[i - 1] - o.birth;
		sim_time b = age < 300 * SIM_SEC    ? 300 * SIM_SEC
			     : age > 4000 * SIM_SEC ? 4000 * SIM_SEC
						    : age;
		sim_time slack = o.at[i] - (o.at[i - 1] + b);
		assert_true(slack > -2 * SIM_SEC && slack < 300 * SIM_SEC);
		if (i > 1)
			assert_true((o.at[i] - o.at[1]) % (300 * SIM_SEC) == 0);
	}
	assert_true(o.at[1] - o.birth < 600 * SIM_SEC && o.at[3] - o.birth < 3600 * SIM_SEC);
	/* bounced at the first attempt at age >= 5 d */
	assert_true(o.end == o.at[o.n - 1]);
	assert_true(o.end - o.birth >= 5 * SIM_DAY);
	assert_true(o.at[o.n - 2] - o.birth < 5 * SIM_DAY);
}

/* Postfix's whole seconds (qmgr_active.c: the queue file's time is
 * event_time() + the backoff; a scan takes files up to 1 s ahead of its
 * time()), as Postfix 3.7 did in the validation's typo-drop case (queue
 * runs at 5 s + 10k, minimal_backoff_time 10 s, maximal 40 s): a message
 * that arrived at 43 s and failed at 46 s was tried again at 55 s, not at
 * the 65 s a backoff of exactly 10 s would give; failing then, at 75 s. */
static void retry_postfix_whole_seconds(void **state)
{
	(void)state;
	mta_profile p = *mta_builtin("postfix");
	p.min_backoff = 10 * SIM_SEC;
	p.max_backoff = 40 * SIM_SEC;
	p.queue_run = 10 * SIM_SEC;
	sim_time ms = SIM_SEC / 1000, phase = 5 * SIM_SEC, birth = 43 * SIM_SEC + 50 * ms;
	assert_int_equal(mta_next_retry(&p, birth, 1, 46 * SIM_SEC + 60 * ms, phase), 55 * SIM_SEC);
	assert_int_equal(mta_next_retry(&p, birth, 2, 55 * SIM_SEC + 10 * ms, phase), 75 * SIM_SEC);
	/* a throttle of 10 s set at 62.3 s ends at the 72nd second */
	assert_int_equal(mta_timer(&p, 62 * SIM_SEC + 300 * ms, 10 * SIM_SEC, phase), 72 * SIM_SEC);
	/* the clock's seconds begin at the phase: with queue runs at 5.4 s + 10k,
	 * at 0.4 s + k */
	phase += 400 * ms;
	assert_int_equal(mta_timer(&p, 62 * SIM_SEC + 300 * ms, 10 * SIM_SEC, phase),
			 71 * SIM_SEC + 400 * ms);
	/* other MTAs' timers are exact */
	mta_profile e = *mta_builtin("exim");
	assert_int_equal(mta_timer(&e, 62 * SIM_SEC + 300 * ms, 10 * SIM_SEC, phase),
			 72 * SIM_SEC + 300 * ms);
}

static void retry_schedule_exim(void **state)
{
	(void)state;
	one_msg o = unreachable("exim");
	/* at arrival, then at each queue run (Debian's -q30m), whatever the
	 * host's retry record says (exim_retry_follows_retry_update); bounced
	 * at the first run 4 d after the first failure */
	assert_true(o.at[1] - o.birth > 0 && o.at[1] - o.birth <= 30 * SIM_MIN);
	for (int i = 2; i < o.n; i++)
		assert_true(o.at[i] - o.at[i - 1] == 30 * SIM_MIN);
	assert_true(o.end - o.birth >= 4 * SIM_DAY && o.at[o.n - 2] - o.birth < 4 * SIM_DAY);
}

static void retry_schedule_others(void **state)
{
	(void)state;
	/* qmail: birth + n^2 s, n = floor(sqrt(age)) + 20: 400, 1600, 3600, 6400 */
	one_msg o = unreachable("qmail");
	double q[] = {0, 400, 1600, 3600, 6400};
	for (int i = 0; i < 5; i++)
		assert_true((double)(o.at[i] - o.birth) / SIM_SEC == q[i]);
	assert_true(o.end - o.birth >= 7 * SIM_DAY && o.at[o.n - 2] - o.birth < 7 * SIM_DAY);
	/* Exchange: 6 x 5 min, then 15 min; gives up after 2 d */
	o = unreachable("exchange");
	for (int i = 1; i < o.n; i++)
		assert_true(o.at[i] - o.at[i - 1] == (i <= 6 ? 5 : 15) * SIM_MIN);
	assert_true(o.end - o.birth >= 2 * SIM_DAY && o.at[o.n - 2] - o.birth < 2 * SIM_DAY);
	/* OpenSMTPD: creation + 400 s * step^2 */
	o = unreachable("opensmtpd");
	for (int i = 1; i < 6; i++)
		assert_true(o.at[i] - o.birth == 400 * SIM_SEC * i * i);
	/* Sendmail: every queue run, 30 min apart, 5 d */
	o = unreachable("sendmail");
	for (int i = 2; i < o.n; i++)
		assert_true(o.at[i] - o.at[i - 1] == 30 * SIM_MIN);
	assert_true(o.end - o.birth >= 5 * SIM_DAY && o.at[o.n - 2] - o.birth < 5 * SIM_DAY);
}

/* MX deleted: NODATA is cached (negative TTL) and senders fall back to the
 * implicit MX (the domain's own address), here a web server refusing SMTP. */
static void deleted_mx_uses_implicit_mx(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 100, 1000, 0.5, 5 * SIM_MIN);
	sim_time t0 = SIM_DAY;
	f.c.duration = 2 * SIM_DAY;
	add_event(&f, (mdl_event){.at = t0,
				  .kind = MDL_EV_MX,
				  .answer = {.kind = DNS_NODATA, .ttl = SIM_HOUR}});
	add_event(&f, (mdl_event){.at = t0 + 10 * SIM_MIN,
				  .kind = MDL_EV_MX,
				  .answer = mx1(H_OLD, 5 * SIM_MIN)});
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	assert_int_equal(r.bounced, 0);
	assert_true(r.deferrals[MDL_DEFER_REFUSED] > 0);
	/* the negative answer lingers up to its 1 h TTL after the re-add */
	int b_last = -1;
	for (int b = 0; b < r.nbuckets; b++)
		if (col(&r, b, MDL_TS_OLD_MX_SHARE) > 0)
			b_last = b;
	double last = (double)(b_last + 1) * 300;
	assert_true(last > 86400 + 600 + 1800 && last <= 86400 + 600 + 3600 + 300);
	mdl_result_free(&r);
}

static void trace_min_latency(void *ctx, const mdl_trace *t)
{
	sim_time *min = ctx;
	if (t->kind == MDL_TRACE_DELIVERED && t->now - t->birth < *min)
		*min = t->now - t->birth;
}

/* Greylisting (delay 290 s): every message is refused once, retried by
 * Postfix at least 298 s later (minimal_backoff_time 300 s, less up to 2 s:
 * the queue file's time is in whole seconds and a scan takes it 1 s early,
 * qmgr_active.c) and accepted. */
static void greylisting_defers_each_message_once(void **state)
{
	(void)state;
	fixture f;
	sim_time min = SIM_NEVER;
	fixture_init(&f, 10, 100, 0.05, SIM_HOUR);
	f.servers[S_OLD].greylist = 290 * SIM_SEC;
	f.profiles[0].dead_time = 0;
	f.c.duration = SIM_DAY;
	f.c.trace = trace_min_latency;
	f.c.trace_ctx = &min;
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	assert_int_equal(r.bounced, 0);
	assert_true(r.queued_senders < 60); /* those of the last 10-15 minutes */
	assert_int_equal(r.deferrals[MDL_DEFER_GREYLIST], r.submitted);
	assert_true(min >= 298 * SIM_SEC && min < 600 * SIM_SEC);
	mdl_result_free(&r);
}

/* One sender above a per-sender rate limit: deliveries follow the token
 * refill rate, the rest waits; nothing is lost while under the lifetime. */
static void rate_limit_caps_throughput(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 1, 1, 1, SIM_HOUR);
	f.servers[S_OLD].rate = 0.25;
	f.servers[S_OLD].burst = 15;
	f.profiles[0].dead_time = 0;
	f.c.duration = SIM_DAY;
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	double want = 0.25 * 86400 + 15;
	print_message("rate limit: delivered %llu, limit allows %.0f\n",
		      (unsigned long long)r.delivered, want);
	assert_true(r.delivered <= want && r.delivered > 0.95 * want);
	assert_true(r.deferrals[MDL_DEFER_RATE] > 0);
	assert_int_equal(r.bounced, 0);
	mdl_result_free(&r);
}

/* The authority unreachable for 2 h: resolvers that serve stale answers
 * keep mail flowing; the others return SERVFAIL and senders defer. */
static void serve_stale_bridges_dns_outage(void **state)
{
	(void)state;
	static res_profile stale;
	stale = *res_builtin("honour");
	stale.stale = SIM_DAY;
	for (int with = 0; with < 2; with++) {
		fixture f;
		fixture_init(&f, 50, 500, 0.2, 5 * SIM_MIN);
		for (int i = 0; i < 50; i++)
			f.resolver[i] = with ? &stale : res_builtin("honour");
		f.c.duration = 2 * SIM_DAY;
		add_event(&f, (mdl_event){.at = SIM_DAY, .kind = MDL_EV_DNS_DOWN});
		add_event(&f, (mdl_event){.at = SIM_DAY + 2 * SIM_HOUR, .kind = MDL_EV_DNS_UP});
		f.events[0].domain = f.events[1].domain = 0;
		mdl_result r;
		assert_int_equal(run(&f, 0, &r), 0);
		assert_int_equal(r.bounced, 0);
		if (with)
			assert_int_equal(r.deferrals[MDL_DEFER_DNS], 0);
		else
			assert_true(r.deferrals[MDL_DEFER_DNS] > 1000);
		mdl_result_free(&r);
	}
}

/* A backup MX listed as the only MX has no better host to relay to. */
static void backup_without_better_mx_bounces_loop(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 10, 100, 0.05, SIM_HOUR);
	f.initial[0] = mx1(H_BACKUP, SIM_HOUR);
	f.c.duration = SIM_DAY;
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	assert_true(r.submitted > 1000);
	assert_true(r.bounces[MDL_BOUNCE_LOOP] + r.queued_senders + r.queued_backups ==
		    r.submitted);
	assert_true(r.bounces[MDL_BOUNCE_LOOP] > 0.99 * r.submitted);
	mdl_result_free(&r);
}

/* Postfix's smtp_mx_address_limit counts addresses in preference order
 * (RFC 5321 5.1), whatever the order of the records: with MX 30 (the
 * server), 10 (refuses) and 20 (no address), a limit of 1 leaves only the
 * refusing host and nothing is delivered; 2 reaches the server. */
static void mx_address_limit_in_preference_order(void **state)
{
	(void)state;
	for (int limit = 1; limit <= 2; limit++) {
		fixture f;
		fixture_init(&f, 10, 100, 1, SIM_HOUR);
		f.c.duration = SIM_HOUR;
		f.initial[0] = (dns_answer){.kind = DNS_MX,
					    .n = 3,
					    .mx = {{30, H_OLD}, {10, H_REFUSE}, {20, H_TYPO_NX}},
					    .ttl = SIM_HOUR};
		f.profiles[0].mx_limit = limit;
		mdl_result r;
		assert_int_equal(run(&f, 0, &r), 0);
		print_message("limit %d: %llu of %llu delivered\n", limit,
			      (unsigned long long)r.delivered, (unsigned long long)r.submitted);
		assert_true(r.submitted > 3000);
		if (limit == 1)
			assert_true(r.delivered == 0 && r.queued_senders == r.submitted);
		else
			assert_true(r.server[S_OLD].delivered == r.delivered &&
				    r.delivered + 2 >= r.submitted && r.bounced == 0);
		mdl_result_free(&r);
	}
}

/* Arrivals per hour follow the hourly table (non-homogeneous Poisson). */
static void arrivals_follow_hourly_table(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 10, 100, 2, SIM_HOUR);
	f.c.pattern = MDL_PATTERN_TABLE;
	for (int h = 0; h < 168; h++)
		f.c.hourly[h] =
			0.25 + (h % 24 >= 8 && h % 24 < 18 ? 1.5 : 0) + (h / 24 >= 5 ? -0.2 : 0);
	double mean = 0;
	for (int h = 0; h < 168; h++)
		mean += f.c.hourly[h] / 168;
	for (int h = 0; h < 168; h++)
		f.c.hourly[h] /= mean;
	f.c.duration = SIM_WEEK;
	f.c.bucket = SIM_HOUR;
	mdl_result r;
	assert_int_equal(run(&f, 0, &r), 0);
	double chi2 = 0;
	for (int h = 0; h < 168; h++) {
		double want = 2 * 3600 * f.c.hourly[h], got = col(&r, h, MDL_TS_ARRIVALS);
		assert_true(fabs(got - want) < 5 * sqrt(want));
		chi2 += (got - want) * (got - want) / want;
	}
	/* 167 degrees of freedom: 99.9 % point about 230 */
	print_message("arrivals per hour: chi2 = %.1f (167 d.f.)\n", chi2);
	assert_true(chi2 < 230);
	mdl_result_free(&r);
}

/* Random outages (MTBF 9 h, MTTR 1 h): the share of first attempts refused
 * by the primary is its unavailability, 1 h / 10 h. */
static void random_outages_match_availability(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 10, 1000, 0.5, SIM_DAY);
	f.initial[0] = mx2(H_OLD, H_SECOND, SIM_DAY);
	f.servers[S_OLD].mtbf = 9 * SIM_HOUR;
	f.servers[S_OLD].mttr = SIM_HOUR;
	f.servers[S_OLD].down_refuses = true;
	f.profiles[0].dead_time = 0;
	f.c.duration = 40 * SIM_DAY;
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		assert_int_equal(r.bounced, 0);
		x[k] = (double)r.deferrals[MDL_DEFER_REFUSED] / (double)r.attempts;
		mdl_result_free(&r);
	}
	double m, h;
	ci(x, REPS, &m, &h);
	print_message("unavailability %.4f +- %.4f, expected 0.1\n", m, h);
	assert_true(fabs(m - 0.1) < fmax(2 * h, 0.01));
}

/* Moving by the MX host's address record instead of the MX: the old
 * provider refuses from the change on, so mail bounces until the cached
 * address records expire - the analogue of cancelled_early with the
 * address TTL. */
static void address_change_follows_address_ttl(void **state)
{
	(void)state;
	fixture f;
	double rate = 1, nres = 100;
	sim_time T = SIM_HOUR, t0 = SIM_DAY;
	fixture_init(&f, (int)nres, 5000, rate, SIM_DAY);
	f.hosts[H_OLD].ttl = T;
	f.c.duration = t0 + 3 * T;
	add_event(&f, (mdl_event){.at = t0,
				  .kind = MDL_EV_ADDRESS,
				  .host = H_OLD,
				  .address = {DNS_HOST_SERVER, S_NEW, T, T}});
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_REJECT, .domain = 0, .server = S_OLD});
	double x[REPS];
	uint64_t new_min;
	relay_denied_bounces(&f, x, &new_min);
	assert_true(new_min > 0);
	double Ts = 3600, want = rate * Ts * Ts / (2 * (Ts + nres / rate)), m, h;
	ci(x, REPS, &m, &h);
	print_message("address change: bounced %.0f +- %.0f, expected %.0f\n", m, h, want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.05 * want));
}

/* An MX host that did not exist is created: resolvers that cached its
 * NXDOMAIN keep bouncing mail (no address) until the negative TTL ends. */
static void created_host_is_negatively_cached(void **state)
{
	(void)state;
	fixture f;
	double rate = 1, nres = 100;
	sim_time N = 30 * SIM_MIN, t0 = SIM_DAY;
	fixture_init(&f, (int)nres, 5000, rate, SIM_DAY);
	f.initial[0] = mx1(H_TYPO_NX, SIM_DAY);
	f.hosts[H_TYPO_NX].neg_ttl = N;
	f.c.duration = t0 + 2 * N;
	f.c.bucket = 5 * SIM_MIN;
	add_event(&f, (mdl_event){.at = t0,
				  .kind = MDL_EV_ADDRESS,
				  .host = H_TYPO_NX,
				  .address = {DNS_HOST_SERVER, S_NEW, SIM_HOUR, N}});
	double x[REPS];
	for (int k = 0; k < REPS; k++) {
		mdl_result r;
		assert_int_equal(run(&f, (uint64_t)k, &r), 0);
		assert_int_equal(r.bounced, r.bounces[MDL_BOUNCE_NO_ADDRESS]);
		double after = 0;
		for (int b = (int)(t0 / f.c.bucket); b < r.nbuckets; b++)
			after += col(&r, b, MDL_TS_BOUNCED);
		x[k] = after;
		mdl_result_free(&r);
	}
	double Ns = 1800, want = rate * Ns * Ns / (2 * (Ns + nres / rate)), m, h;
	ci(x, REPS, &m, &h);
	print_message("created host: bounced after creation %.0f +- %.0f, expected %.0f\n", m, h,
		      want);
	assert_true(fabs(m - want) < fmax(2 * h, 0.06 * want));
}

/* ---- failure semantics (issue: senders fail as real MTAs do) --------- */

/* What a run's trace shows: deliveries (when, to which server, born when)
 * and attempts (when). */
typedef struct {
	int nd, na;
	struct {
		sim_time at, birth;
		int server;
	} d[20000];
	sim_time a[20000];
} log_t;

static void trace_log(void *ctx, const mdl_trace *t)
{
	log_t *l = ctx;
	if (t->kind == MDL_TRACE_DELIVERED && l->nd < 20000) {
		l->d[l->nd].at = t->now;
		l->d[l->nd].birth = t->birth;
		l->d[l->nd++].server = t->server;
	}
	if (t->kind == MDL_TRACE_ATTEMPT && l->na < 20000)
		l->a[l->na++] = t->now;
}

static log_t the_log;

/* The primary (MX 10) drops packets from t0 to t1; a second final server
 * is MX 20. One sender of the given profile. */
static void primary_drops(fixture *f, const char *profile, sim_time t0, sim_time t1)
{
	fixture_init(f, 1, 1, 0.2, SIM_HOUR);
	f->initial[0] = mx2(H_OLD, H_SECOND, SIM_HOUR);
	f->profiles[0] = *mta_builtin(profile);
	f->c.duration = t1 + 2 * SIM_HOUR;
	add_event(f, (mdl_event){.at = t0, .kind = MDL_EV_DOWN, .server = S_OLD});
	add_event(f, (mdl_event){.at = t1, .kind = MDL_EV_UP, .server = S_OLD});
	memset(&the_log, 0, sizeof the_log);
	f->c.trace = trace_log;
	f->c.trace_ctx = &the_log;
}

/* A connect timeout is known only when it expires: no mail reaches the
 * second MX before t0 + the connect timeout (Postfix 30 s; Exim 131 s,
 * its 5 min cut short by Linux's SYN retries: 1 s, four more 1 s apart,
 * then 2, 4, ... 64 s, per Linux 6.5+'s tcp_syn_linear_timeouts 4 and
 * tcp_syn_retries 6). */
static void timeout_takes_its_time(void **state)
{
	(void)state;
	const char *prof[] = {"postfix", "exim"};
	for (int k = 0; k < 2; k++) {
		fixture f;
		sim_time t0 = SIM_HOUR, t1 = 2 * SIM_HOUR;
		primary_drops(&f, prof[k], t0, t1);
		mdl_result r;
		assert_int_equal(run(&f, 1, &r), 0);
		sim_time first = SIM_NEVER;
		for (int i = 0; i < the_log.nd; i++)
			if (the_log.d[i].server == S_SECOND && the_log.d[i].at < first)
				first = the_log.d[i].at;
		sim_time want = t0 + (k ? 131 : 30) * SIM_SEC;
		print_message("%s: first delivery to MX 20 at t0 + %.1f s (timeout %.0f s)\n",
			      prof[k], (double)(first - t0) / SIM_SEC,
			      (double)(want - t0) / SIM_SEC);
		assert_true(first >= want && first < t1);
		assert_int_equal(r.bounced, 0);
		mdl_result_free(&r);
	}
}

/* The messages born while the primary dropped packets (t0 to t1), each
 * at the first SYN (syn[]: s after its birth) at or after t1 and before
 * give_up s to the old host, else after give_up s to the second MX, then
 * a 1 s session (+1 us: never empty); how many, and how many to the old. */
static void check_syn_deliveries(const int *syn, size_t n, int give_up, sim_time t0, sim_time t1,
				 int *checked, int *to_old)
{
	*checked = *to_old = 0;
	for (int i = 0; i < the_log.nd; i++) {
		sim_time b = the_log.d[i].birth;
		if (b < t0 || b >= t1)
			continue;
		sim_time want = b + give_up * SIM_SEC + SIM_SEC + 1;
		int server = S_SECOND;
		for (size_t k = 0; k < n; k++)
			if (b + syn[k] * SIM_SEC >= t1 && syn[k] < give_up) {
				want = b + syn[k] * SIM_SEC + SIM_SEC + 1, server = S_OLD;
				break;
			}
		assert_int_equal(the_log.d[i].server, server);
		assert_int_equal(the_log.d[i].at, want);
		++*checked, *to_old += server == S_OLD;
	}
}

/* A connection to a host that drops packets succeeds at the first SYN
 * retransmission after the host is back (Linux 6.5+: SYNs at 0, 1, 2, 3,
 * 4, 5, 7, 11, 19 s, ... from the first), if that comes before the
 * connect timeout (30 s); else the message goes to the second MX when
 * the timeout expires. A sender without failure memory or slot limits
 * (gmail), one message every 5 s, so each attempt starts at its arrival. */
static void syn_reaches_host_back(void **state)
{
	(void)state;
	static const int syn[] = {0, 1, 2, 3, 4, 5, 7, 11, 19}; /* s, then 35 > 30 */
	fixture f;
	sim_time t0 = SIM_HOUR, t1 = SIM_HOUR + 97 * SIM_SEC; /* the host is back mid-second */
	primary_drops(&f, "gmail", t0, t1);
	f.c.fixed_arrivals = true;
	mdl_result r;
	assert_int_equal(run(&f, 3, &r), 0);
	int checked, to_old_after;
	check_syn_deliveries(syn, sizeof syn / sizeof *syn, 30, t0, t1, &checked, &to_old_after);
	print_message("%d messages born while the host dropped packets, %d of them reached it "
		      "by a SYN after it came back\n",
		      checked, to_old_after);
	assert_true(checked >= 19 && to_old_after >= 3);
	mdl_result_free(&r);
}

/* With TCP Fast Open (Exim's default) the connect returns at once and
 * connect_timeout never fires (Exim's src/ip.c): a message born while the
 * host drops packets reaches it at the first SYN after it is back if one
 * comes within the SYN schedule (0, 1, ... 5, 7, 11, 19, 35, 67 s), else
 * fails when Linux gives up (131 s) and goes to the second MX. The same
 * profile without it times out after connect_timeout (3 s). */
static void fastopen_outwaits_connect_timeout(void **state)
{
	(void)state;
	static const int syn[] = {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67};
	for (int fo = 0; fo < 2; fo++) {
		fixture f;
		sim_time t0 = SIM_HOUR, t1 = SIM_HOUR + 97 * SIM_SEC;
		primary_drops(&f, "gmail", t0, t1);
		f.profiles[0].connect_timeout = 3 * SIM_SEC;
		f.profiles[0].fastopen = fo;
		f.c.fixed_arrivals = true;
		mdl_result r;
		assert_int_equal(run(&f, 3, &r), 0);
		int checked, to_old;
		check_syn_deliveries(syn, sizeof syn / sizeof *syn, fo ? 131 : 3, t0, t1, &checked,
				     &to_old);
		assert_true(checked >= 19 && (fo ? to_old >= 5 : to_old <= 1));
		mdl_result_free(&r);
	}
}

/* A session open when its server starts dropping packets hangs: its rest
 * goes on at the first TCP retransmission after the server is back (RTO
 * 200 ms doubling: 0.2, 0.6, 1.4, ... 102.2, 222.2 s after the drop), or
 * the MTA gives up after 5 min (session_timeout) and tries the next MX.
 * Sessions of 60 s, one message every 5 s, a sender without slot limits
 * (gmail): 12 sessions are open at the drop. */
static void open_session_hangs(void **state)
{
	(void)state;
	static const double rtx[] = {0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0, 102.2, 222.2};
	for (int longer = 0; longer < 2; longer++) {
		fixture f;
		sim_time t0 = SIM_HOUR, t1 = t0 + (longer ? 400 : 100) * SIM_SEC;
		primary_drops(&f, "gmail", t0, t1);
		f.c.fixed_arrivals = true;
		f.servers[S_OLD].session_time = dist_const(60);
		mdl_result r;
		assert_int_equal(run(&f, 4, &r), 0);
		sim_time back = 0; /* the first retransmission at or after t1 */
		for (size_t k = 0; !back && k < sizeof rtx / sizeof *rtx; k++)
			if (t0 + (sim_time)(rtx[k] * SIM_SEC) >= t1)
				back = t0 + (sim_time)(rtx[k] * SIM_SEC);
		int hung = 0;
		for (int i = 0; i < the_log.nd; i++) {
			sim_time b = the_log.d[i].birth, end = b + 60 * SIM_SEC + 1;
			if (b >= t0 || end <= t0)
				continue;
			hung++;
			if (longer) { /* 5 min, then the second MX's 1 s session */
				assert_int_equal(the_log.d[i].server, S_SECOND);
				assert_int_equal(the_log.d[i].at, t0 + 301 * SIM_SEC + 1);
			} else {
				assert_int_equal(the_log.d[i].server, S_OLD);
				assert_int_equal(the_log.d[i].at, back + (end - t0));
			}
		}
		print_message("outage of %.0f s: %d sessions hung; %llu timed out\n",
			      (double)(t1 - t0) / SIM_SEC, hung,
			      (unsigned long long)r.deferrals[MDL_DEFER_HUNG]);
		assert_int_equal(hung, 12);
		assert_int_equal(r.deferrals[MDL_DEFER_HUNG], longer ? 12 : 0);
		mdl_result_free(&r);
	}
}

/* Postfix keeps no per-host memory: the first message after the primary
 * returns goes to the primary. Exim's retry record for the host makes it
 * skip the primary until the host's retry time. */
static void failure_memory_by_profile(void **state)
{
	(void)state;
	for (int exim = 0; exim < 2; exim++) {
		fixture f;
		sim_time t0 = SIM_HOUR, t1 = 2 * SIM_HOUR;
		primary_drops(&f, exim ? "exim" : "postfix", t0, t1);
		mdl_result r;
		assert_int_equal(run(&f, 2, &r), 0);
		int after_second = 0, after = 0;
		for (int i = 0; i < the_log.nd; i++)
			if (the_log.d[i].birth > t1) {
				after++;
				after_second += the_log.d[i].server == S_SECOND;
			}
		print_message("%s: %d of %d messages born after the return went to MX 20\n",
			      exim ? "exim" : "postfix", after_second, after);
		assert_true(after > 100);
		if (exim)
			assert_true(after_second > 0 && r.deferrals[MDL_DEFER_DEAD] > 0);
		else
			assert_int_equal(after_second, 0);
		mdl_result_free(&r);
	}
}

/* Postfix throttles a destination after a failed cohort: the queue run's
 * batch fails at once (refused), the destination is skipped for
 * minimal_backoff_time (mail deferred untried), and the backlog is
 * delivered at a queue run (the sender's 300 s grid) once it has passed. */
static void throttle_resumes_on_grid(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 1, 1, 0.05, SIM_HOUR);
	f.servers[S_OLD].down_refuses = true;
	sim_time t0 = 2 * SIM_HOUR, t1 = 4 * SIM_HOUR + 7 * SIM_MIN, grid = 300 * SIM_SEC;
	f.c.duration = 8 * SIM_HOUR;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_DOWN, .server = S_OLD});
	add_event(&f, (mdl_event){.at = t1, .kind = MDL_EV_UP, .server = S_OLD});
	memset(&the_log, 0, sizeof the_log);
	f.c.trace = trace_log;
	f.c.trace_ctx = &the_log;
	mdl_result r;
	assert_int_equal(run(&f, 4, &r), 0);
	assert_true(r.deferrals[MDL_DEFER_THROTTLED] > 0);
	/* a batch (>= 3 attempts at one instant) in the outage throttles at
	 * its 3rd failure (window 5, 3, 2: 1/5 + 1/3 + 1/2 >= 1, one cohort;
	 * qmgr_queue_throttle's first step down takes two, as its hysteresis
	 * loop starts from failure 0): no further attempt for the next 300 s */
	sim_time last_batch = -1;
	for (int i = 0; i + 2 < the_log.na; i++) {
		sim_time t = the_log.a[i];
		if (t < t0 || t >= t1 || the_log.a[i + 2] != t || (i && the_log.a[i - 1] == t))
			continue;
		last_batch = t;
		assert_true(i + 3 >= the_log.na || the_log.a[i + 3] >= t + grid);
	}
	assert_true(last_batch >= t0);
	/* the backlog (mail born in the outage, all of it retried): from a
	 * queue run on (then as its slots free), none before the throttle
	 * ended */
	sim_time first = SIM_NEVER;
	int n = 0;
	for (int i = 0; i < the_log.nd; i++) {
		sim_time at = the_log.d[i].at - SIM_SEC - 1; /* its session: 1 s */
		if (the_log.d[i].birth < t0 || the_log.d[i].birth >= t1)
			continue;
		n++;
		first = at < first ? at : first;
		assert_true(at >= t1 && at >= last_batch + grid);
	}
	assert_int_equal((first - last_batch) % grid, 0);
	print_message("last throttling batch at %.0f s; %d of the backlog delivered from %.0f s\n",
		      (double)last_batch / SIM_SEC, n, (double)first / SIM_SEC);
	assert_true(n > 300);
	assert_int_equal(r.bounced, 0);
	mdl_result_free(&r);
}

/* Deliveries in progress never exceed a destination's slots (Postfix: 20
 * after slow start from 5) or a sender's total. */
static void slots_bound_deliveries(void **state)
{
	(void)state;
	for (int total = 0; total < 2; total++) {
		fixture f;
		fixture_init(&f, 1, 1, 2, SIM_HOUR); /* 2/s x 60 s: 120 wanted */
		f.servers[S_OLD].session_time = dist_const(60);
		f.servers[S_OLD].bandwidth = 0;
		if (total)
			f.profiles[0].slots_total = 7;
		f.c.duration = 6 * SIM_HOUR;
		mdl_result r;
		assert_int_equal(run(&f, 5, &r), 0);
		double want = total ? 7 : 20;
		print_message("peak sessions %g (slots %g), longest slot wait %.0f s\n",
			      r.server[S_OLD].peak_sessions, want, r.slot_wait_max_s);
		assert_true(r.server[S_OLD].peak_sessions == want);
		assert_true(r.slot_wait_max_s > 0 && r.slot_wait_s > 0);
		mdl_result_free(&r);
	}
}

/* A backup whose queue is full answers 452: the senders keep the rest;
 * nothing is lost and the backup's peak is exactly its limit, in
 * messages and bytes. */
static void full_backup_answers_452(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 20, 200, 0.1, SIM_HOUR);
	f.initial[0] = mx2(H_OLD, H_BACKUP, SIM_HOUR);
	f.servers[S_BACKUP].queue_limit = 300;
	sim_time t0 = 2 * SIM_HOUR;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_DOWN, .server = S_OLD});
	add_event(&f, (mdl_event){.at = t0 + 4 * SIM_HOUR, .kind = MDL_EV_UP, .server = S_OLD});
	mdl_result r;
	assert_int_equal(run(&f, 6, &r), 0);
	print_message("452 replies %llu, backup peak %llu messages, %.0f bytes\n",
		      (unsigned long long)r.server[S_BACKUP].storage_full,
		      (unsigned long long)r.server[S_BACKUP].peak_queue,
		      r.server[S_BACKUP].peak_queue_bytes);
	assert_true(r.server[S_BACKUP].storage_full > 0);
	assert_int_equal(r.server[S_BACKUP].peak_queue, 300);
	assert_true(r.server[S_BACKUP].peak_queue_bytes == 300 * 10000.0);
	assert_true(r.deferrals[MDL_DEFER_STORAGE] > 0);
	assert_int_equal(r.bounced, 0);
	assert_int_equal(r.queued_senders + r.queued_backups, 0);
	assert_int_equal(r.delivered, r.submitted);
	mdl_result_free(&r);
}

/* A backup that cannot relay within its own queue lifetime bounces, and
 * those bounces are counted apart from the senders' expiries. */
static void backup_lifetime_bounces_apart(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 20, 200, 0.05, SIM_HOUR);
	f.initial[0] = mx2(H_OLD, H_BACKUP, SIM_HOUR);
	f.profiles[1] = *mta_builtin("postfix");
	f.profiles[1].lifetime = SIM_HOUR;
	f.c.nprofiles = 2;
	f.servers[S_BACKUP].relay_profile = 1;
	add_event(&f, (mdl_event){.at = SIM_HOUR, .kind = MDL_EV_DOWN, .server = S_OLD});
	add_event(&f, (mdl_event){.at = 6 * SIM_HOUR, .kind = MDL_EV_UP, .server = S_OLD});
	mdl_result r;
	assert_int_equal(run(&f, 7, &r), 0);
	assert_true(r.bounces[MDL_BOUNCE_BACKUP_EXPIRED] > 0);
	assert_int_equal(r.bounces[MDL_BOUNCE_EXPIRED], 0);
	mdl_result_free(&r);
}

/* Fixed arrivals between start and stop: exactly rate x (stop - start),
 * evenly spaced. */
static void fixed_arrivals_in_window(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 1, 1, 0.1, SIM_HOUR);
	f.c.fixed_arrivals = true;
	f.c.traffic_start = SIM_HOUR;
	f.c.traffic_stop = 3 * SIM_HOUR;
	f.c.duration = 4 * SIM_HOUR;
	memset(&the_log, 0, sizeof the_log);
	f.c.trace = trace_log;
	f.c.trace_ctx = &the_log;
	mdl_result r;
	assert_int_equal(run(&f, 8, &r), 0);
	assert_int_equal(r.submitted, 720);
	for (int i = 0; i < the_log.na; i++)
		assert_int_equal(the_log.a[i], SIM_HOUR + i * 10 * SIM_SEC);
	mdl_result_free(&r);
}

/* Caches pinned at half their lifetime at time 0: every resolver holds
 * the old MX for exactly TTL / 2, then the new one. */
static void cache_pinned_switches_at_once(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f, 50, 500, 5, 20 * SIM_MIN);
	f.c.cache_start = RES_START_AGE;
	f.c.cache_age = 0.5;
	f.c.bucket = SIM_MIN;
	f.c.duration = SIM_HOUR;
	add_event(&f, (mdl_event){.at = 1, .kind = MDL_EV_MX, .answer = mx1(H_NEW, 20 * SIM_MIN)});
	mdl_result r;
	assert_int_equal(run(&f, 9, &r), 0);
	for (int b = 0; b < 20; b++)
		assert_true(col(&r, b, MDL_TS_OLD_MX_SHARE) == (b < 10 ? 1 : 0));
	mdl_result_free(&r);
	f.c.cache_start = RES_START_EMPTY; /* every first lookup fetches */
	assert_int_equal(run(&f, 9, &r), 0);
	assert_true(col(&r, 0, MDL_TS_OLD_MX_SHARE) < 0.01);
	mdl_result_free(&r);
}

/* Mail to the old provider after a change is attributed to the class of
 * the resolver that answered: honouring resolvers stop at the TTL, a 1 h
 * floor carries on for up to an hour. */
static void old_mail_attributed_to_resolvers(void **state)
{
	(void)state;
	fixture f;
	int nres = 100;
	fixture_init(&f, nres, 1000, 2, 5 * SIM_MIN);
	f.class_name[1] = "floor-1h";
	f.class_share[0] = f.class_share[1] = 0.5;
	f.c.nclasses = 2;
	for (int i = nres / 2; i < nres; i++) {
		f.resolver[i] = res_builtin("floor-1h");
		f.res_class[i] = 1;
	}
	sim_time t0 = 2 * SIM_HOUR;
	f.c.duration = t0 + 2 * SIM_HOUR;
	f.cutover[0] = t0;
	add_event(&f, (mdl_event){.at = t0, .kind = MDL_EV_MX, .answer = mx1(H_NEW, 5 * SIM_MIN)});
	sim_time honour_end[1] = {5 * SIM_MIN}; /* the TTL in force at the change */
	f.c.honour_end = honour_end;
	mdl_result r;
	assert_int_equal(run(&f, 10, &r), 0);
	print_message("old after: honour %llu (last %.0f s), floor-1h %llu (last %.0f s)\n",
		      (unsigned long long)r.class_old_after[0], r.class_old_last[0],
		      (unsigned long long)r.class_old_after[1], r.class_old_last[1]);
	assert_true(r.class_old_last[0] <= 300 + 60);
	assert_true(r.class_old_last[1] > 45 * 60 && r.class_old_last[1] <= 3600 + 60);
	assert_int_equal(r.class_old_after[0] + r.class_old_after[1], r.delivered_old_after);
	/* past the TTL (and a minute) only the floor's mail: its deliveries fall
	 * as its caches expire over the hour, so those of the first 6 min are
	 * (6 - 0.3) / 30 = 19 % of them */
	double late = (double)r.old_after_stretched / (double)r.class_old_after[1];
	print_message("past the TTL: %llu (%.2f of the floor's)\n",
		      (unsigned long long)r.old_after_stretched, late);
	assert_true(late > 0.7 && late < 0.9);
	assert_true(r.old_last_honouring == r.class_old_last[0]);
	/* the floor's share: about (1 h / 2) / (5 min / 2 + 1 h / 2) */
	double share = (double)r.class_old_after[1] / (double)r.delivered_old_after;
	assert_true(share > 0.85 && share < 0.97);
	mdl_result_free(&r);
}

/* A cache entry is one word, expiry above the version: both come back as
 * stored, a lifetime past the end of the run still outlives every lookup
 * (clamped), and the longest run shrinks as names change more. */
static void cache_entry_packs_expiry_and_version(void **state)
{
	(void)state;
	assert_true(res_longest(2) == INT64_MAX);
	assert_true(res_longest(1u << 20) == (sim_time)((1ull << 44) - 1));
	dns *d = dns_new(1);
	dns_answer a = mx1(H_OLD, 300 * SIM_SEC);
	dns_set(d, 0, &a);
	const res_profile *p[1] = {res_builtin("honour")};
	res *r = res_new(1, p, 1, RES_START_EMPTY, 0, 5, 400 * SIM_DAY);
	for (int v = 1; v <= 4; v++) {
		a.ttl = v * 100 * SIM_SEC;
		assert_int_equal(dns_set(d, 0, &a), v);
		sim_time t = v * SIM_DAY + 17;
		assert_int_equal(res_lookup(r, 0, d, 0, t).version, v);
		assert_int_equal(res_lookup(r, 0, d, 0, t + a.ttl - 1).version, v); /* cached */
	}
	res_free(r);
	/* a year-long TTL past the end of a run near its longest: still cached */
	r = res_new(1, p, 1, RES_START_EMPTY, 0, 1u << 20, res_longest(1u << 20) - 1);
	dns_free(d);
	d = dns_new(1);
	a = mx1(H_OLD, 365 * SIM_DAY);
	dns_set(d, 0, &a);
	sim_time last = res_longest(1u << 20) - 2, first = last - 30 * SIM_DAY;
	assert_int_equal(res_lookup(r, 0, d, 0, first).version, 0);
	a.ttl = 60 * SIM_SEC;
	dns_set(d, 0, &a);
	assert_int_equal(res_lookup(r, 0, d, 0, last).version, 0);
	res_free(r);
	dns_free(d);
}

/* Unbound's message cache (services/cache/dns.c, store_rrsets): two
 * domains whose MX answers carry the address of one host, all TTLs 60 s.
 * Domain 1, fetched 30 s after domain 0, keeps its answer only until the
 * host's address, cached by domain 0's fetch at 0, expires (at 61 s: TTL 0
 * is served through its second), not until 91 s; a new answer fetched
 * then gets a whole 60 s again, as the address is fetched anew with it.
 * Without additional records 91 s; with the honour profile (no message
 * cache, no whole seconds) 90 s. */
static void message_cache_ends_with_first_record(void **state)
{
	(void)state;
	for (int k = 0; k < 3; k++) {
		dns *d = dns_new(3); /* domains 0 and 1, then the host */
		dns_answer a = mx1(0, 60 * SIM_SEC);
		dns_answer h = {.kind = DNS_ADDRESS, .ttl = 60 * SIM_SEC, .addr = DNS_HOST_SERVER};
		for (int i = 0; i < 2; i++) {
			dns_set(d, i, &a);
			if (k != 1)
				dns_set_additional(d, i, 2);
		}
		dns_set(d, 2, &h);
		const res_profile *p[1] = {res_builtin(k == 2 ? "honour" : "unbound")};
		res *r = res_new(1, p, 1, RES_START_EMPTY, 0, 4, SIM_DAY);
		res_share_clock(r, 0, 0); /* its seconds begin at 0 */
		assert_int_equal(res_lookup(r, 0, d, 0, 0).version, 0);
		assert_int_equal(res_lookup(r, 0, d, 1, 30 * SIM_SEC).version, 0);
		dns_set(d, 1, &(dns_answer){.kind = DNS_MX, .n = 1, .mx = {{20, 0}}, .ttl = a.ttl});
		sim_time end = (k == 0 ? 61 : k == 1 ? 91 : 90) * SIM_SEC;
		assert_int_equal(res_lookup(r, 0, d, 1, end - 1).version, 0);
		assert_int_equal(res_lookup(r, 0, d, 1, end).version, 1);
		assert_int_equal(res_lookup(r, 0, d, 1, end + 60 * SIM_SEC - 1).version, 1);
		res_free(r);
		dns_free(d);
	}
}

/* Every bounce reason, deferral reason and failure memory has a name of
 * its own (the CSVs' columns and the scenario language use them). */
static void every_enum_value_named(void **state)
{
	(void)state;
	const char *const *tables[] = {mdl_bounce_names, mdl_defer_names, mta_memory_names};
	int sizes[] = {MDL_BOUNCE_N, MDL_DEFER_N, MTA_MEMORY_N};
	for (int t = 0; t < 3; t++)
		for (int i = 0; i < sizes[t]; i++) {
			assert_non_null(tables[t][i]);
			for (int j = 0; j < i; j++)
				assert_string_not_equal(tables[t][i], tables[t][j]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(propagation_honours_ttl),
		cmocka_unit_test(message_cache_ends_with_first_record),
		cmocka_unit_test(propagation_capped),
		cmocka_unit_test(cancelled_early_bounces_half_ttl),
		cmocka_unit_test(typo_rejecting_host),
		cmocka_unit_test(typo_unresolvable_host),
		cmocka_unit_test(typo_unreachable_host_only_delays),
		cmocka_unit_test(null_mx_bounces_at_once),
		cmocka_unit_test(capacity_matches_erlang_b),
		cmocka_unit_test(size_limit_matches_tail),
		cmocka_unit_test(backup_holds_outage),
		cmocka_unit_test(retry_schedule_postfix),
		cmocka_unit_test(retry_postfix_whole_seconds),
		cmocka_unit_test(retry_schedule_exim),
		cmocka_unit_test(retry_schedule_others),
		cmocka_unit_test(deleted_mx_uses_implicit_mx),
		cmocka_unit_test(greylisting_defers_each_message_once),
		cmocka_unit_test(rate_limit_caps_throughput),
		cmocka_unit_test(serve_stale_bridges_dns_outage),
		cmocka_unit_test(backup_without_better_mx_bounces_loop),
		cmocka_unit_test(arrivals_follow_hourly_table),
		cmocka_unit_test(random_outages_match_availability),
		cmocka_unit_test(address_change_follows_address_ttl),
		cmocka_unit_test(created_host_is_negatively_cached),
		cmocka_unit_test(timeout_takes_its_time),
		cmocka_unit_test(syn_reaches_host_back),
		cmocka_unit_test(fastopen_outwaits_connect_timeout),
		cmocka_unit_test(open_session_hangs),
		cmocka_unit_test(failure_memory_by_profile),
		cmocka_unit_test(throttle_resumes_on_grid),
		cmocka_unit_test(slots_bound_deliveries),
		cmocka_unit_test(full_backup_answers_452),
		cmocka_unit_test(backup_lifetime_bounces_apart),
		cmocka_unit_test(fixed_arrivals_in_window),
		cmocka_unit_test(cache_pinned_switches_at_once),
		cmocka_unit_test(old_mail_attributed_to_resolvers),
		cmocka_unit_test(cache_entry_packs_expiry_and_version),
		cmocka_unit_test(mx_address_limit_in_preference_order),
		cmocka_unit_test(every_enum_value_named),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
