/*
 * run.c - one run of the model (see run.h): the world set up from the
 * configuration (DNS data, resolvers, senders and backups with their
 * profiles, servers, traffic), the engine run to the end, the balance
 * checked (every message delivered, bounced or still queued) and the
 * world torn down.
 */
#include "mail_impl.h"
#include "../sim/rng.h"
#include "../sim/xalloc.h"
#include "../sim/zipf.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Indices 0..n-1 grouped by class (k classes), in increasing order within
 * each: class j's are by[at[j]] .. by[at[j + 1] - 1]. */
static void group(const int *cls, int n, int k, int *by, int *at)
{
	memset(at, 0, (size_t)(k + 1) * sizeof *at);
	for (int i = 0; i < n; i++)
		at[cls[i] + 1]++;
	for (int j = 0; j < k; j++)
		at[j + 1] += at[j];
	int *next = xmalloc((size_t)k * sizeof *next);
	memcpy(next, at, (size_t)k * sizeof *next);
	for (int i = 0; i < n; i++)
		by[next[cls[i]]++] = i;
	free(next);
}

/* A resolver of its class for each sender: among the class's resolvers
 * by their Zipf weight (rank r: r^-zipf over all resolvers), so the big
 * shared resolvers serve many senders, as without classes. */
static void pick_resolvers(world *w, const int *cls)
{
	const mdl_config *c = w->c;
	int n = c->nsender_resolvers, k = c->nclasses;
	int *rsv = xmalloc((size_t)n * sizeof *rsv),
	    *rsv_at = xmalloc((size_t)(k + 1) * sizeof *rsv_at);
	int *snd = xmalloc((size_t)c->nsenders * sizeof *snd);
	int *snd_at = xmalloc((size_t)(k + 1) * sizeof *snd_at);
	double *wt = xcalloc((size_t)n, sizeof *wt);
	group(c->res_class, n, k, rsv, rsv_at);
	group(cls, c->nsenders, k, snd, snd_at);
	for (int j = 0; j < k; j++) {
		int m = rsv_at[j + 1] - rsv_at[j];
		const int *members = rsv + rsv_at[j];
		if (!m)
			continue;
		for (int i = 0; i < m; i++)
			wt[i] = pow(members[i] + 1, -c->resolver_zipf);
		gsl_ran_discrete_t *t = gsl_ran_discrete_preproc((size_t)m, wt);
		for (int i = snd_at[j]; i < snd_at[j + 1]; i++)
			w->mtas[snd[i]].resolver =
				(uint32_t)members[gsl_ran_discrete(w->rng[MDL_STREAM_SETUP], t)];
		gsl_ran_discrete_free(t);
	}
	free(wt);
	free(snd_at);
	free(snd);
	free(rsv_at);
	free(rsv);
}

/* Drawn even when the profile fixes it: fixing the phase changes no other
 * draw. */
static uint32_t phase_ms(const mta_profile *p, gsl_rng *g)
{
	uint32_t ms =
		p->queue_run ? (uint32_t)(gsl_rng_uniform(g) * (double)(p->queue_run / 1000)) : 0;
	return p->phase_fixed ? (uint32_t)(p->phase / 1000) : ms;
}

/* One clock per host: a resolver that serves one holder alone (a backup's
 * own; a sender's, when no other uses it) runs on that holder's host, so
 * its whole seconds are the MTA's (the clock of its queue-run grid). */
static void share_clocks(world *w)
{
	int nr = w->c->nresolvers, *users = xcalloc((size_t)nr, sizeof *users),
	    *one = xcalloc((size_t)nr, sizeof *one);
	for (int i = 0; i < w->nmtas; i++) {
		users[w->mtas[i].resolver]++;
		one[w->mtas[i].resolver] = i;
	}
	for (int k = 0; k < nr; k++)
		if (users[k] == 1)
			res_share_clock(w->res, k, mta_clock(phase_of(&w->mtas[one[k]])));
	free(users);
	free(one);
}

/* The senders (profile by share, resolver by class and Zipf rank,
 * queue-run phase) and one holder per backup server. */
static void init_holders(world *w)
{
	const mdl_config *c = w->c;
	int nbackups = 0;
	for (int i = 0; i < c->nservers; i++)
		nbackups += c->servers[i].backup;
	w->nmtas = c->nsenders + nbackups;
	w->mtas = xcalloc((size_t)w->nmtas, sizeof *w->mtas);
	w->relays = xcalloc((size_t)nbackups, sizeof *w->relays);
	gsl_rng *g = w->rng[MDL_STREAM_SETUP];
	gsl_ran_discrete_t *pp = gsl_ran_discrete_preproc((size_t)c->nprofiles, c->profile_share);
	for (int i = 0; i < c->nsenders; i++) {
		mta *h = &w->mtas[i];
		h->profile = (uint8_t)gsl_ran_discrete(g, pp);
		h->phase_ms = phase_ms(&c->profiles[h->profile], g);
	}
	gsl_ran_discrete_free(pp);
	/* each sender's class, by traffic: each class carries its share of
	 * the mail up to one sender's weight, the same in every replication */
	int *cls = xcalloc((size_t)c->nsenders, sizeof *cls);
	zipf_apportion(c->nsenders, c->sender_zipf, c->class_share, c->nclasses, cls);
	pick_resolvers(w, cls);
	free(cls);
	for (int i = 0, b = c->nsenders; i < c->nservers; i++) {
		if (!c->servers[i].backup)
			continue;
		mta *h = &w->mtas[b];
		h->profile = (uint8_t)c->servers[i].relay_profile;
		h->resolver = (uint32_t)c->servers[i].relay_resolver;
		h->phase_ms = phase_ms(&c->profiles[h->profile], g);
		w->relays[b++ - c->nsenders].server = i;
	}
	share_clocks(w);
}

uint32_t mdl_dns_versions(const mdl_config *c)
{
	uint32_t *n = xcalloc((size_t)(c->ndomains + c->nhosts), sizeof *n), all = 0, most = 0;
	for (int i = 0; i < c->nevents; i++) {
		const mdl_event *e = &c->events[i];
		if (e->kind == MDL_EV_ADDRESS)
			n[c->ndomains + e->host]++;
		else if (e->kind == MDL_EV_MX || e->kind == MDL_EV_TTL)
			*(e->domain < 0 ? &all : &n[e->domain]) += 1;
	}
	for (int i = 0; i < c->ndomains + c->nhosts; i++) {
		uint32_t v = n[i] + (i < c->ndomains ? all : 0);
		most = v > most ? v : most;
	}
	free(n);
	return most + 1;
}

/* The resolvers' cache entries the run's messages are expected to make
 * (res_expected_entries, from each resolver's and domain's share). */
static double expected_cache_entries(const world *w)
{
	const mdl_config *c = w->c;
	int nr = c->nresolvers, nd = c->ndomains;
	double *pr = xcalloc((size_t)nr, sizeof *pr), *qd = xcalloc((size_t)nd, sizeof *qd);
	double hs = 0, hd = 0;
	double wt = 0; /* ranks past 1024 in blocks of 64 at the middle one's weight */
	for (int i = 0; i < c->nsenders; i++) {
		if (i < 1024 || i % 64 == 0)
			wt = exp(-c->sender_zipf * log((i < 1024 ? i : i + 32) + 1.0));
		pr[w->mtas[i].resolver] += wt;
		hs += wt;
	}
	for (int d = 0; d < nd; d++)
		hd += c->weight[d];
	for (int r = 0; r < nr; r++)
		pr[r] /= hs;
	for (int d = 0; d < nd; d++)
		qd[d] = c->weight[d] / hd;
	double n = res_expected_entries(pr, nr, qd, nd, traffic_expected(c));
	free(qd);
	free(pr);
	return n;
}

static void setup(world *w, const mdl_config *c, mdl_result *r)
{
	memset(w, 0, sizeof *w);
	w->c = c;
	w->r = r;
	w->s = sim_new();
	for (int i = 0; i < MDL_STREAM_N; i++)
		w->rng[i] = rng_stream(c->seed, (uint64_t)i);
	w->d = dns_new(c->ndomains + c->nhosts);
	for (int i = 0; i < c->ndomains; i++) {
		dns_set(w->d, i, &c->initial[i]);
		if (c->additional[i])
			dns_set_additional(w->d, i, c->ndomains);
	}
	w->host_static = xcalloc((size_t)c->nhosts, sizeof *w->host_static);
	for (int i = 0; i < c->nhosts; i++) {
		dns_answer a = mail_host_answer(&c->hosts[i]);
		dns_set(w->d, c->ndomains + i, &a);
		w->host_static[i] = true;
	}
	for (int i = 0; i < c->nevents; i++)
		if (c->events[i].kind == MDL_EV_ADDRESS)
			w->host_static[c->events[i].host] = false;
	w->res = res_new(c->nresolvers, c->resolver, c->seed, c->cache_start, c->cache_age,
			 mdl_dns_versions(c), c->duration);
	slot_init(w);
	conn_init(w);
	pass_init(w);
	w->dead = tab_new(sizeof(mail_dead));

	init_holders(w);
	/* a little under the estimate (it runs about 1 % low): never more
	 * room than the cache would have grown to */
	res_reserve(w->res, (size_t)(0.97 * expected_cache_entries(w)));
	w->traffic = traffic_new(c, w->rng[MDL_STREAM_ARRIVAL], w->rng[MDL_STREAM_DOMAIN],
				 w->rng[MDL_STREAM_SENDER], w->rng[MDL_STREAM_SIZE]);

	memset(r, 0, sizeof *r);
	r->server = xcalloc((size_t)c->nservers, sizeof *r->server);
	r->provider_delivered = xcalloc((size_t)c->nproviders, sizeof *r->provider_delivered);
	r->class_old_after = xcalloc((size_t)c->nclasses, sizeof *r->class_old_after);
	r->class_old_last = xcalloc((size_t)c->nclasses, sizeof *r->class_old_last);
	st_hist_init(&r->latency, MDL_LATENCY_LO, MDL_LATENCY_HI, MDL_LATENCY_BINS);
	r->nbuckets = (int)((c->duration + c->bucket - 1) / c->bucket);
	r->ncols = mdl_ts_width(c->nservers);
	r->ts = xcalloc((size_t)r->nbuckets * (size_t)r->ncols, sizeof *r->ts);
	w->srv = srv_new(c, w->nmtas, r);

	mail_schedule_changes(w);
	sim_every(w->s, c->bucket, mail_sample, w, NULL);
	mail_start(w);
}

static void teardown(world *w)
{
	for (int i = 0; i < w->nblocks; i++)
		free(w->blocks[i]);
	free(w->blocks);
	for (int i = 0; i < MDL_STREAM_N; i++)
		gsl_rng_free(w->rng[i]);
	traffic_free(w->traffic);
	srv_free(w->srv);
	free(w->host_static);
	free(w->plans);
	free(w->mtas);
	free(w->relays);
	slot_free(w);
	conn_free(w);
	pass_free(w);
	tab_free(w->dead);
	res_free(w->res);
	dns_free(w->d);
	sim_free(w->s);
}

const res_profile *mdl_class_profile(const mdl_config *c, int k)
{
	int i = 0;
	while (c->res_class[i] != k)
		i++;
	return c->resolver[i];
}

static int by_id(const void *a, const void *b)
{
	uint64_t x = (*(const msg *const *)a)->id, y = (*(const msg *const *)b)->id;
	return (x > y) - (x < y);
}

/* The trace's rows of mail still queued at the end, by message id (where
 * a message's record lies in memory differs between builds). */
static void trace_queued(world *w)
{
	msg **q = xmalloc((w->live_senders + w->live_backups + 1) * sizeof *q);
	size_t n = 0;
	for (int i = 0; i < w->nblocks; i++)
		for (int k = 0; k < BLOCK; k++)
			if (mail_live(&w->blocks[i][k]))
				q[n++] = &w->blocks[i][k];
	qsort(q, n, sizeof *q, by_id);
	for (size_t i = 0; i < n; i++)
		mail_trace(w, q[i], MDL_TRACE_QUEUED, -1, 0);
	free(q);
}

/* The last mail to the old provider after a change through resolvers
 * that honour TTLs. */
static void attribute(const mdl_config *c, mdl_result *r)
{
	for (int k = 0; k < c->nclasses; k++)
		if (res_honours(mdl_class_profile(c, k)) &&
		    r->class_old_last[k] > r->old_last_honouring)
			r->old_last_honouring = r->class_old_last[k];
}

int mdl_run(const mdl_config *c, mdl_result *r)
{
	world w;
	setup(&w, c, r);
	sim_limit(w.s, c->max_events);
	if (c->progress)
		sim_watch(w.s, 1 << 16, c->progress, c->progress_ctx);
	sim_run(w.s, c->duration);
	/* the last (possibly partial) bucket */
	mail_sample(w.s, &w, NULL);
	for (int i = 0; i < c->nservers; i++)
		r->server[i].mean_sessions = srv_mean_sessions(w.srv, i, c->duration);
	if (c->trace)
		trace_queued(&w);
	attribute(c, r);
	r->queued_senders = w.live_senders;
	r->queued_backups = w.live_backups;
	r->events = sim_events(w.s);
	r->fingerprint = sim_fingerprint(w.s);
	uint64_t b = 0;
	for (int i = 0; i < MDL_BOUNCE_N; i++)
		b += r->bounces[i];
	int rc = 0;
	if (sim_limit_hit(w.s)) {
		fprintf(stderr,
			"mxsim: run stopped after %llu events at %.2f h of %.2f h simulated: the "
			"work limit "
			"([run] max_events); raise it if the run is meant to be this large\n",
			(unsigned long long)sim_events(w.s), (double)sim_now(w.s) / SIM_HOUR,
			(double)c->duration / SIM_HOUR);
		rc = -1;
	} else if (b != r->bounced || r->submitted != r->delivered + r->bounced +
							      r->queued_senders +
							      r->queued_backups) {
		fprintf(stderr,
			"mxsim: counts do not balance: submitted %llu, delivered %llu, bounced "
			"%llu, "
			"queued %llu + %llu\n",
			(unsigned long long)r->submitted, (unsigned long long)r->delivered,
			(unsigned long long)r->bounced, (unsigned long long)r->queued_senders,
			(unsigned long long)r->queued_backups);
		rc = -1;
	}
	teardown(&w);
	return rc;
}

void mdl_result_free(mdl_result *r)
{
	free(r->server);
	free(r->provider_delivered);
	free(r->class_old_after);
	free(r->class_old_last);
	free(r->ts);
	st_hist_free(&r->latency);
	memset(r, 0, sizeof *r);
}