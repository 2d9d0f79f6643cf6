/*
 * dns.c - versioned authoritative MX data (see dns.h).
 *
 * Invariant: every domain that has been set has at least one version; the
 * rrset id of a version equals the previous version's when the records
 * (kind, preferences, hosts) are the same.
 */
#include "dns.h"
#include "../sim/names.h"
#include "../sim/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	dns_answer *v;
	uint32_t n, cap, cur;
	uint32_t rrset; /* the current version's, read without following v */
	bool down;
	int32_t hosts; /* with additional records: the first host's name; else -1 */
} domain_rec;

struct dns {
	domain_rec *dom;
	int n;
	uint32_t next_rrset;
};

dns *dns_new(int n)
{
	dns *d = xcalloc(1, sizeof *d);
	d->dom = xcalloc((size_t)n, sizeof *d->dom);
	d->n = n;
	for (int i = 0; i < n; i++)
		d->dom[i].hosts = -1;
	return d;
}

void dns_free(dns *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		free(d->dom[i].v);
	free(d->dom);
	free(d);
}

static bool same_records(const dns_answer *a, const dns_answer *b)
{
	if (a->kind != b->kind || a->n != b->n)
		return false;
	if (a->kind == DNS_ADDRESS)
		return a->addr == b->addr && a->server == b->server;
	for (int i = 0; i < a->n; i++)
		if (a->mx[i].pref != b->mx[i].pref || a->mx[i].host != b->mx[i].host)
			return false;
	return true;
}

uint32_t dns_set(dns *d, int domain, const dns_answer *a)
{
	domain_rec *r = &d->dom[domain];
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 2;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	dns_answer *v = &r->v[r->n];
	*v = *a;
	if (r->n && same_records(v, &r->v[r->cur]))
		v->rrset = r->v[r->cur].rrset;
	else
		v->rrset = d->next_rrset++;
	r->cur = r->n++;
	r->rrset = v->rrset;
	return r->cur;
}

uint32_t dns_current_rrset(const dns *d, int domain)
{
	return d->dom[domain].rrset;
}

void dns_prefetch(const dns *d, int domain)
{
	__builtin_prefetch(&d->dom[domain]);
}

void dns_prefetch_answers(const dns *d, int domain)
{
	const domain_rec *r = &d->dom[domain];
	__builtin_prefetch(&r->v[0]);
	__builtin_prefetch(&r->v[r->cur]);
}

uint32_t dns_set_ttl(dns *d, int domain, sim_time ttl)
{
	dns_answer a = d->dom[domain].v[d->dom[domain].cur];
	a.ttl = ttl;
	return dns_set(d, domain, &a);
}

uint32_t dns_current(const dns *d, int domain)
{
	return d->dom[domain].cur;
}

const dns_answer *dns_version(const dns *d, int domain, uint32_t v)
{
	return &d->dom[domain].v[v];
}

void dns_set_reachable(dns *d, int domain, bool up)
{
	d->dom[domain].down = !up;
}

bool dns_reachable(const dns *d, int domain)
{
	return !d->dom[domain].down;
}

void dns_set_additional(dns *d, int domain, int first_host)
{
	d->dom[domain].hosts = first_host;
}

int dns_additional(const dns *d, int domain)
{
	return d->dom[domain].hosts;
}

bool dns_name_ok(const char *name)
{
	return name_ok_len(name, DNS_NAME_MAX);
}
