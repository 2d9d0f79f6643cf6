/*
 * candidates.c - the servers a delivery attempt tries, as RFC 5321 section
 * 5.1 says: look up MX (NXDOMAIN bounces; NODATA means the implicit MX,
 * the domain's own address); sort by preference and shuffle equal ones; a
 * backup relaying onward drops its own preference and worse (nothing left:
 * a loop); resolve each host (none resolving: 5.4.4); at most the
 * profile's address limit (Postfix smtp_mx_address_limit). It only
 * finds: mail.c acts on its verdict (walk the list, bounce, defer).
 *
 * Where an MX rrset's preferences all differ (nothing to shuffle) and its
 * hosts' addresses never change, the ordered, resolved list is the same
 * for every sender: it is worked out once per rrset (plan_of) and copied.
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

static int target_of(host_kind k, int server)
{
	return k == DNS_HOST_SERVER    ? server
	       : k == DNS_HOST_REFUSE  ? TO_REFUSE
	       : k == DNS_HOST_TIMEOUT ? TO_TIMEOUT
				       : TO_NONE;
}

/* Where host's address leads, through the holder's resolver when the
 * address changes during the run. */
static int resolve_host(world *w, const mta *h, int host, sim_time now)
{
	const mdl_config *c = w->c;
	if (w->host_static[host])
		return target_of(c->hosts[host].kind, c->hosts[host].server);
	int name = c->ndomains + host;
	res_answer ra = res_lookup(w->res, (int)h->resolver, w->d, name, now);
	const dns_answer *a = dns_version(w->d, name, ra.version);
	if (ra.fail || a->kind != DNS_ADDRESS)
		return TO_NONE;
	return target_of(a->addr, a->server);
}

/* Sorts by preference (insertion: n <= 8). */
static void sort_mx(dns_mx *mx, int n)
{
	for (int i = 1; i < n; i++) {
		dns_mx x = mx[i];
		int j = i;
		while (j > 0 && mx[j - 1].pref > x.pref) {
			mx[j] = mx[j - 1];
			j--;
		}
		mx[j] = x;
	}
}

/* Sorts by preference, then shuffles equal runs. */
static void order(world *w, dns_mx *mx, int n)
{
	sort_mx(mx, n);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && mx[j].pref == mx[i].pref)
			j++;
		if (j - i > 1)
			gsl_ran_shuffle(w->rng[MDL_STREAM_SHUFFLE], mx + i, (size_t)(j - i),
					sizeof *mx);
		i = j;
	}
}

/* A backup relaying onward drops its own preference and worse: the
 * records whose host leads to itself. Returns how many are left. */
static int drop_own(const relay *rl, const dns_mx *mx, const int *to, int n)
{
	for (int i = 0; i < n; i++)
		if (to[i] == rl->server) {
			int k = 0;
			while (k < n && mx[k].pref < mx[i].pref)
				k++;
			return k;
		}
	return n;
}

static const mail_verdict walk = {VERDICT_WALK, 0};

static mail_verdict bounce(mdl_bounce why)
{
	return (mail_verdict){VERDICT_BOUNCE, why};
}

/* The implicit MX of a domain without one: its own address. */
static mail_verdict implicit_mx(world *w, msg *m, const mta *h, sim_time now)
{
	m->cand[0].host = w->c->self_host[m->domain];
	m->cand[0].to = resolve_host(w, h, m->cand[0].host, now);
	if (m->cand[0].to == TO_NONE)
		return bounce(MDL_BOUNCE_NO_ADDRESS);
	m->ncand = 1;
	m->ci = 0;
	return walk;
}

/* a's plan: its candidates in order, those without an address left out;
 * NULL where they can differ between senders or over time. */
static const mail_plan *plan_of(world *w, const dns_answer *a)
{
	if (a->rrset >= w->nplans) {
		size_t n = w->nplans ? w->nplans : 64;
		while (n <= a->rrset)
			n *= 2;
		w->plans = xrealloc(w->plans, n * sizeof *w->plans);
		memset(w->plans + w->nplans, 0, (n - w->nplans) * sizeof *w->plans);
		w->nplans = n;
	}
	mail_plan *p = &w->plans[a->rrset];
	if (p->state == PLAN_UNKNOWN) {
		dns_mx mx[DNS_MAX_MX];
		memcpy(mx, a->mx, (size_t)a->n * sizeof *mx);
		p->state = PLAN_READY;
		for (int i = 0; i < a->n; i++)
			if (!w->host_static[mx[i].host])
				p->state = PLAN_NONE;
		sort_mx(mx, a->n);
		for (int i = 1; i < a->n; i++)
			if (mx[i].pref == mx[i - 1].pref)
				p->state = PLAN_NONE;
		for (int i = 0; i < a->n && p->state == PLAN_READY; i++) {
			int to = resolve_host(w, NULL, (int)mx[i].host, 0);
			if (to != TO_NONE)
				p->cand[p->n++] = (mail_cand){(int)mx[i].host, to};
		}
	}
	return p->state == PLAN_READY ? p : NULL;
}

/* The first of n candidates (those with an address), at most the
 * holder's address limit, into m->cand; none bounces (5.4.4). c is
 * copied whole: a copy of fixed size needs no call. */
static mail_verdict take(world *w, msg *m, const mta *h, const mail_cand c[DNS_MAX_MX], int n)
{
	int limit = w->c->profiles[h->profile].mx_limit, k = n < limit ? n : limit;
	if (!k)
		return bounce(MDL_BOUNCE_NO_ADDRESS);
	memcpy(m->cand, c, sizeof m->cand);
	m->ncand = k;
	m->ci = 0;
	return walk;
}

void mail_prefetch_plan(const world *w, int domain)
{
	uint32_t rrset = dns_current_rrset(w->d, domain);
	if (rrset < w->nplans)
		__builtin_prefetch(&w->plans[rrset]);
}

/* The MX answer a, as RFC 5321 section 5.1 orders it, into m->cand. */
static mail_verdict from_mx(world *w, msg *m, const mta *h, const dns_answer *a, sim_time now)
{
	const relay *rl = relay_of(w, m->holder);
	const mail_plan *p = rl || !SIM_FAST ? NULL : plan_of(w, a);
	if (p)
		return take(w, m, h, p->cand, p->n);
	dns_mx mx[DNS_MAX_MX];
	int n = a->n, to[DNS_MAX_MX];
	memcpy(mx, a->mx, (size_t)n * sizeof *mx);
	order(w, mx, n);
	for (int i = 0; i < n; i++)
		to[i] = resolve_host(w, h, (int)mx[i].host, now);
	if (rl && !(n = drop_own(rl, mx, to, n)))
		return bounce(MDL_BOUNCE_LOOP);
	mail_cand c[DNS_MAX_MX] = {{0}}; /* copied whole by take() */
	int k = 0;
	for (int i = 0; i < n; i++)
		if (to[i] != TO_NONE)
			c[k++] = (mail_cand){(int)mx[i].host, to[i]};
	return take(w, m, h, c, k);
}

mail_verdict mail_candidates(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	res_answer ra = res_lookup(w->res, h->resolver, w->d, m->domain, now);
	w->r->lookups++;
	w->b_lookups++;
	if (ra.fail) {
		w->r->deferrals[MDL_DEFER_DNS]++;
		m->site_fail = true;
		m->ncand = m->ci = 0;
		return (mail_verdict){VERDICT_DEFER, 0};
	}
	const dns_answer *a = dns_version(w->d, m->domain, ra.version);
	if (a->rrset != dns_current_rrset(w->d, m->domain)) {
		w->r->stale_lookups++;
		w->b_stale++;
	}
	switch (a->kind) {
	case DNS_NXDOMAIN:
		return bounce(MDL_BOUNCE_NO_DOMAIN);
	case DNS_NULLMX:
		return bounce(MDL_BOUNCE_NULL_MX);
	case DNS_NODATA:
		return implicit_mx(w, m, h, now);
	case DNS_MX:
		return from_mx(w, m, h, a, now);
	default: /* an address answer is never a domain's */
		abort();
	}
}
