/*
 * candidates.c - the servers a delivery attempt tries, as RFC 5321 section
 * 5.1 says: look up MX (NXDOMAIN bounces; NODATA means the implicit MX,
 * the domain's own address); sort by preference and shuffle equal ones; a
 * backup relaying onward drops its own preference and worse (nothing left:
 * a loop); resolve each host (none resolving: 5.4.4); at most the
 * profile's address limit (Postfix smtp_mx_address_limit).
 */
#include "mail_impl.h"

#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

static int target_of(host_kind k, int server)
{
	return k == HOST_SERVER    ? server
	       : k == HOST_REFUSE  ? TO_REFUSE
	       : k == HOST_TIMEOUT ? TO_TIMEOUT
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

/* Sorts by preference (insertion: n <= 8), then shuffles equal runs. */
static void order(world *w, dns_mx *mx, int n)
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
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && mx[j].pref == mx[i].pref)
			j++;
		if (j - i > 1)
			gsl_ran_shuffle(w->rng[STREAM_SHUFFLE], mx + i, (size_t)(j - i),
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

/* The implicit MX of a domain without one: its own address. */
static bool implicit_mx(world *w, msg *m, const mta *h, sim_time now)
{
	m->cand[0].host = w->c->self_host[m->domain];
	m->cand[0].to = resolve_host(w, h, m->cand[0].host, now);
	if (m->cand[0].to == TO_NONE) {
		mail_bounce(w, m, BOUNCE_NO_ADDRESS);
		return false;
	}
	m->ncand = 1;
	m->ci = 0;
	return true;
}

/* The MX answer a, as RFC 5321 section 5.1 orders it, into m->cand. */
static bool from_mx(world *w, msg *m, const mta *h, const dns_answer *a, sim_time now)
{
	dns_mx mx[DNS_MAX_MX];
	int n = a->n, to[DNS_MAX_MX];
	memcpy(mx, a->mx, (size_t)n * sizeof *mx);
	order(w, mx, n);
	for (int i = 0; i < n; i++)
		to[i] = resolve_host(w, h, (int)mx[i].host, now);
	const relay *rl = relay_of(w, m->holder);
	if (rl && !(n = drop_own(rl, mx, to, n))) {
		mail_bounce(w, m, BOUNCE_LOOP);
		return false;
	}
	int limit = w->c->profiles[h->profile].mx_limit, k = 0;
	for (int i = 0; i < n && k < limit; i++) {
		if (to[i] == TO_NONE)
			continue;
		m->cand[k].host = (int)mx[i].host;
		m->cand[k++].to = to[i];
	}
	if (!k) {
		mail_bounce(w, m, BOUNCE_NO_ADDRESS);
		return false;
	}
	m->ncand = k;
	m->ci = 0;
	return true;
}

/* Resolves MX through the holder's resolver and builds the candidate
 * list (RFC 5321 5.1); returns false if the message ended or deferred. */
bool mail_candidates(world *w, msg *m)
{
	mta *h = &w->mtas[m->holder];
	sim_time now = sim_now(w->s);
	res_answer ra = res_lookup(w->res, h->resolver, w->d, m->domain, now);
	w->r->lookups++;
	w->b_lookups++;
	if (ra.fail) {
		w->r->deferrals[DEFER_DNS]++;
		m->site_fail = true;
		m->ncand = m->ci = 0;
		mail_defer(w, m);
		return false;
	}
	const dns_answer *a = dns_version(w->d, m->domain, ra.version);
	if (a->rrset != dns_version(w->d, m->domain, dns_current(w->d, m->domain))->rrset) {
		w->r->stale_lookups++;
		w->b_stale++;
	}
	switch (a->kind) {
	case DNS_NXDOMAIN:
		mail_bounce(w, m, BOUNCE_NO_DOMAIN);
		return false;
	case DNS_NULLMX:
		mail_bounce(w, m, BOUNCE_NULL_MX);
		return false;
	case DNS_NODATA:
		return implicit_mx(w, m, h, now);
	case DNS_MX:
		return from_mx(w, m, h, a, now);
	default: /* an address answer is never a domain's */
		abort();
	}
}
