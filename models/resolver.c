/*
 * resolver.c - resolver profiles and lazy caches (see resolver.h).
 *
 * Profile defaults, from shared/domain-facts.md section 3: BIND max-cache-ttl
 * 1 w, max-ncache-ttl 3 h; Unbound cache-max-ttl 1 d, negative 1 h;
 * PowerDNS 1 d / 1 h; Knot 6 d, minimum 5 s; systemd-resolved 2 h; Google
 * Public DNS observed cap 6 h; Quad9 12 h; Java InetAddress 30 s fixed;
 * violators (8.74 % of resolvers, Bhowmick et al. 2023) extend TTLs -
 * modelled as doubling them with a 1 h minimum, an assumption.
 */
#include "resolver.h"
#include "../sim/xalloc.h"
#include "../sim/rng.h"
#include "../sim/table.h"

#include <stdlib.h>
#include <string.h>

static const res_profile builtins[] = {
	{"honour", 0, 0, 0, 0, 1, 0},
	{"bind", SIM_WEEK, 0, 3 * SIM_HOUR, 0, 1, 0},
	{"unbound", SIM_DAY, 0, SIM_HOUR, 0, 1, 0},
	{"powerdns", SIM_DAY, 0, SIM_HOUR, 0, 1, 0},
	{"knot", 6 * SIM_DAY, 5 * SIM_SEC, 0, 0, 1, 0},
	{"systemd", 2 * SIM_HOUR, 0, 0, 0, 1, 0},
	{"google", 6 * SIM_HOUR, 0, 0, 0, 1, 0},
	{"quad9", 12 * SIM_HOUR, 0, 0, 0, 1, 0},
	{"java", 0, 0, 0, 30 * SIM_SEC, 1, 0},
	{"violator", 0, SIM_HOUR, 0, 0, 2, 0},
};

const char *const res_builtin_names[] = {"honour", "bind", "unbound", "powerdns", "knot",
					 "systemd", "google", "quad9", "java", "violator", NULL};

const res_profile *res_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

sim_time res_lifetime(const res_profile *p, const dns_answer *a)
{
	if (p->fixed)
		return p->fixed;
	sim_time t = (sim_time)((double)a->ttl * p->extend);
	bool neg = a->kind == DNS_NODATA || a->kind == DNS_NXDOMAIN;
	if (neg && p->neg_cap && t > p->neg_cap)
		t = p->neg_cap;
	if (!neg && p->cap && t > p->cap)
		t = p->cap;
	return t < p->floor ? p->floor : t;
}

typedef struct {
	sim_time expires;
	uint32_t version;
} entry;

struct res {
	const res_profile *const *profile;
	tab *cache;
	uint64_t seed;
	int n;
};

res *res_new(int n, const res_profile *const *profile, uint64_t seed)
{
	res *r = xcalloc(1, sizeof *r);
	r->profile = profile;
	r->cache = tab_new(sizeof(entry));
	r->seed = seed;
	r->n = n;
	return r;
}

void res_free(res *r)
{
	if (!r)
		return;
	tab_free(r->cache);
	free(r);
}

static uint64_t key(int resolver, int domain)
{
	return (uint64_t)resolver << 32 | (uint32_t)domain;
}

void res_prefetch(const res *r, int resolver, int domain)
{
	tab_prefetch(r->cache, key(resolver, domain));
}

res_answer res_lookup(res *r, int resolver, const dns *d, int domain, sim_time now)
{
	const res_profile *p = r->profile[resolver];
	bool created;
	entry *e = tab_get(r->cache, key(resolver, domain), &created);
	if (created) {
		/* steady state: the initial answer, fetched before time 0 */
		sim_time life = res_lifetime(p, dns_version(d, domain, 0));
		e->version = 0;
		e->expires = (sim_time)(rng_hash_unit(r->seed, (uint64_t)resolver, (uint64_t)domain) *
					(double)life);
	}
	if (now < e->expires)
		return (res_answer){false, e->version};
	if (!dns_reachable(d, domain)) {
		/* RFC 8767: serve the expired answer if not too stale */
		if (!created && p->stale && now - e->expires <= p->stale)
			return (res_answer){false, e->version};
		return (res_answer){true, 0};
	}
	uint32_t v = dns_current(d, domain);
	e->version = v;
	e->expires = now + res_lifetime(p, dns_version(d, domain, v));
	return (res_answer){false, v};
}


