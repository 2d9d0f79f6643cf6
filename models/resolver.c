/*
 * resolver.c - resolver profiles and lazy caches (see resolver.h).
 *
 * Profile defaults and their sources (each row's `source`): BIND 9 ARM,
 * max-cache-ttl 1 w and max-ncache-ttl 3 h; unbound.conf(5),
 * cache-max-ttl 1 d, cache-max-negative-ttl 1 h, cache-min-ttl 0;
 * PowerDNS Recursor settings, max-cache-ttl 1 d, max-negative-ttl 1 h;
 * Knot Resolver documentation, cache.max_ttl 6 d, cache.min_ttl 5 s;
 * systemd-resolved, a 2 h cap on cached entries (CACHE_TTL_MAX_USEC in
 * src/resolve/resolved-dns-cache.c); Google Public DNS 6 h and Quad9 12 h:
 * observed caps (measurements, not documentation); Java, the JDK's
 * networkaddress.cache.ttl default of 30 s (java.security). Unbound counts
 * TTLs in whole seconds of its clock and, before 1.24, served an answer
 * through the second its TTL reached 0 (TTL_IS_EXPIRED, "ttl < now", in
 * util/data/msgparse.h; made "<=" in 2025): an answer lives TTL + 1 s
 * less the part of the second it was fetched in (Debian 12 has 1.17; the
 * validation testbed shows it with a 20 s TTL).
 *
 * Resolvers that extend TTLs: 8.74 % of 8,524 resolvers measured
 * (Bhowmick et al., "TTL Violation of DNS Resolvers in the Wild", PAM
 * 2023). How far they extend is not published; they are modelled as
 * minimum lifetimes (as dnsmasq's --min-cache-ttl, at most 1 h, or
 * Unbound's cache-min-ttl do): floor-10m and floor-1h, whose split of the
 * 8.74 % is fitted to the switch-over Flavel, Mani and Maltz measured
 * with a 20 s TTL ("Re-evaluating the responsiveness of DNS-based
 * network control", IEEE LANMAN 2014: 90 % of requests on the new answer
 * within 60 s, 2 % still on the stale one after 15 minutes). `violator`
 * (TTL x2, 1 h floor) is an older assumption, kept for comparison.
 */
#include "resolver.h"
#include "../sim/xalloc.h"
#include "../sim/rng.h"
#include "../sim/table.h"
#include "../sim/units.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The built-in profiles; the name is part of each row. */
#define FITTED                                                                              \
	"Bhowmick et al., PAM 2023 (8.74 % of resolvers extend TTLs); the floor and share " \
	"fitted to Flavel et al., IEEE LANMAN 2014 (20 s TTL: 90 % switched in 60 s, 2 % "  \
	"stale after 15 min)"
static const res_profile builtins[] = {
	{.name = "honour", .extend = 1, .caches = 1, .source = "RFC 1035: honours the TTL"},
	{.name = "bind",
	 .cap = SIM_WEEK,
	 .neg_cap = 3 * SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .source = "BIND 9 ARM: max-cache-ttl 1 w, max-ncache-ttl 3 h"},
	{.name = "unbound",
	 .cap = SIM_DAY,
	 .neg_cap = SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .whole_seconds = true,
	 .message_cache = true,
	 .source = "unbound.conf(5): cache-max-ttl 1 d, cache-max-negative-ttl 1 h; "
		   "util/data/msgparse.h: TTL 0 served (1.17); services/cache/dns.c: an answer "
		   "expires with the first of its records, additional ones included "
		   "(store_rrsets), and only CNAME, DS and DNSKEY are made from records alone "
		   "(dns_cache_lookup)"},
	{.name = "powerdns",
	 .cap = SIM_DAY,
	 .neg_cap = SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .source = "PowerDNS Recursor: max-cache-ttl 1 d, max-negative-ttl 1 h"},
	{.name = "knot",
	 .cap = 6 * SIM_DAY,
	 .floor = 5 * SIM_SEC,
	 .extend = 1,
	 .caches = 1,
	 .source = "Knot Resolver: cache.max_ttl 6 d, cache.min_ttl 5 s"},
	{.name = "systemd",
	 .cap = 2 * SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .source = "systemd-resolved: CACHE_TTL_MAX_USEC 2 h"},
	{.name = "google",
	 .cap = 6 * SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .source = "Google Public DNS: 6 h cap (observed)"},
	{.name = "quad9",
	 .cap = 12 * SIM_HOUR,
	 .extend = 1,
	 .caches = 1,
	 .source = "Quad9: 12 h cap (observed)"},
	{.name = "java",
	 .fixed = 30 * SIM_SEC,
	 .extend = 1,
	 .caches = 1,
	 .source = "JDK java.security: networkaddress.cache.ttl 30 s"},
	{.name = "floor-10m", .floor = 10 * SIM_MIN, .extend = 1, .caches = 1, .source = FITTED},
	{.name = "floor-1h", .floor = SIM_HOUR, .extend = 1, .caches = 1, .source = FITTED},
	{.name = "violator",
	 .floor = SIM_HOUR,
	 .extend = 2,
	 .caches = 1,
	 .source = "assumption: TTL x2, 1 h floor (no measurement)"},
};

int res_builtin_count(void)
{
	return (int)(sizeof builtins / sizeof *builtins);
}

const res_profile *res_builtin_at(int i)
{
	return &builtins[i];
}

const res_profile *res_builtin(const char *name)
{
	for (int i = 0; i < res_builtin_count(); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

bool res_honours(const res_profile *p)
{
	return p->extend <= 1 && p->floor <= SIM_MIN && p->fixed <= SIM_MIN;
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

/* A cache entry is one word: when it expires above the version's vbits
 * (16-byte table slots: a provider week's caches hold millions). Expiry
 * is clamped to cap, which lies past every lookup: the same comparisons. */
typedef uint64_t entry;

/* What a lookup needs of its resolver, in one place. */
typedef struct {
	const res_profile *p;
	sim_time phase; /* of its clock's seconds (whole_seconds profiles) */
} res_one;

struct res {
	res_one *rs;
	tab *cache;
	uint64_t seed;
	int vbits;
	sim_time cap;
	res_start start;
	double age;
};

static int version_bits(uint32_t versions)
{
	int b = 1;
	while (b < 32 && (versions - 1) >> b)
		b++;
	return b;
}

sim_time res_longest(uint32_t versions)
{
	return (sim_time)(UINT64_MAX >> version_bits(versions));
}

static entry pack(const res *r, sim_time expires, uint32_t version)
{
	return (uint64_t)(expires < r->cap ? expires : r->cap) << r->vbits | version;
}

static sim_time expires_of(const res *r, entry e)
{
	return (sim_time)(e >> r->vbits);
}

static uint32_t version_of(const res *r, entry e)
{
	return (uint32_t)(e & ((1ull << r->vbits) - 1));
}

res *res_new(int n, const res_profile *const *profile, uint64_t seed, res_start start, double age,
	     uint32_t versions, sim_time end)
{
	res *r = xcalloc(1, sizeof *r);
	r->rs = xcalloc((size_t)n, sizeof *r->rs);
	r->vbits = version_bits(versions);
	r->cap = res_longest(versions);
	if (end >= r->cap) {
		fprintf(stderr, "mxsim: resolver: a run this long cannot tell %u versions apart\n",
			versions);
		abort();
	}
	r->cache = tab_new(sizeof(entry));
	r->seed = seed;
	r->start = start;
	r->age = age;
	for (int i = 0; i < n; i++) {
		r->rs[i].p = profile[i];
		if (profile[i]->whole_seconds)
			r->rs[i].phase =
				(sim_time)(rng_hash_unit(seed, (uint64_t)i, UINT64_MAX) * SIM_SEC);
	}
	return r;
}

void res_share_clock(res *r, int i, sim_time offset)
{
	if (r->rs[i].p->whole_seconds)
		r->rs[i].phase = offset;
}

void res_free(res *r)
{
	if (!r)
		return;
	tab_free(r->cache);
	free(r->rs);
	free(r);
}

void res_reserve(res *r, size_t n)
{
	tab_reserve(r->cache, n);
}

enum { BINS_PER_OCTAVE = 8, BINS = 64 * BINS_PER_OCTAVE };

/* Shares (summing to 1) binned by size, an eighth of an octave wide:
 * count and total share per bin. */
static void bin_shares(const double *share, int n, double *count, double *sum)
{
	for (int i = 0; i < n; i++) {
		if (!(share[i] > 0))
			continue;
		int b = (int)(-log2(share[i]) * BINS_PER_OCTAVE);
		b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
		count[b]++;
		sum[b] += share[i];
	}
}

double res_expected_entries(const double *resolver, int nr, const double *domain, int nd,
			    double messages)
{
	double *b = xcalloc(4 * BINS, sizeof *b), *rc = b, *rs = b + BINS, *dc = b + 2 * BINS,
	       *ds = b + 3 * BINS;
	bin_shares(resolver, nr, rc, rs);
	bin_shares(domain, nd, dc, ds);
	double n = 0;
	for (int i = 0; i < BINS; i++)
		for (int j = 0; rc[i] > 0 && j < BINS; j++)
			if (dc[j] > 0)
				n += rc[i] * dc[j] *
				     -expm1(-messages * (rs[i] / rc[i]) * (ds[j] / dc[j]));
	free(b);
	return n;
}

/* Resolvers number below 2^24 (the scenario's bound): the top byte is a
 * split cache's index. */
static uint64_t key(int resolver, int domain)
{
	return (uint64_t)resolver << 32 | (uint32_t)domain;
}

/* The split cache a lookup at now meets: drawn uniformly, a pure
 * function of the seed, the resolver, the domain and the time (0 with
 * one cache: no draw). */
static uint64_t split(const res *r, const res_profile *p, int resolver, int domain, sim_time now)
{
	if (p->caches <= 1)
		return 0;
	double u = rng_hash_unit(r->seed ^ 0x5b1d5b1d5b1d5b1dull, key(resolver, domain),
				 (uint64_t)now);
	return (uint64_t)(u * p->caches) << 56;
}

void res_prefetch(const res *r, int resolver, int domain)
{
	tab_prefetch(r->cache, key(resolver, domain));
	__builtin_prefetch(&r->rs[resolver]);
}

static res_answer lookup(res *r, int resolver, const dns *d, int domain, sim_time now,
			 sim_time *expires);

/* A message cache (Unbound's, services/cache/dns.c: store_rrsets) keeps
 * an MX answer until the first of its records expires, the hosts'
 * addresses in its additional section included; an address already cached
 * keeps its own expiry (the cache's copy wins), and one not cached is
 * cached by this fetch. Only a CNAME, DS or DNSKEY answer is ever made
 * from cached records alone (dns_cache_lookup), so the MX answer goes with
 * the first of its addresses. */
static sim_time message_life(res *r, int resolver, const dns *d, const dns_answer *a, int hosts,
			     sim_time now, sim_time expires)
{
	for (int i = 0; i < a->n; i++) {
		sim_time e;
		if (!lookup(r, resolver, d, hosts + (int)a->mx[i].host, now, &e).fail && e > now &&
		    e < expires)
			expires = e;
	}
	return expires;
}

/* e, the entry at k, gets the current answer, fetched now; *expires its
 * expiry. */
static res_answer refresh(res *r, const res_profile *p, entry *e, uint64_t k, int resolver,
			  const dns *d, int domain, sim_time now, sim_time *expires)
{
	uint32_t v = dns_current(d, domain);
	const dns_answer *a = dns_version(d, domain, v);
	sim_time x = now + res_lifetime(p, a);
	if (p->whole_seconds) /* from the start of the second of its clock (its own phase) */
		x += SIM_SEC - (now + r->rs[resolver].phase) % SIM_SEC;
	int hosts = p->message_cache && a->kind == DNS_MX ? dns_additional(d, domain) : -1;
	if (hosts >= 0) { /* the lookups may move the table's entries: e is found again */
		x = message_life(r, resolver, d, a, hosts, now, x);
		e = tab_find(r->cache, k);
	}
	assert(v < 1ull << r->vbits);
	*e = pack(r, x, v);
	*expires = x < r->cap ? x : r->cap;
	return (res_answer){false, v};
}

res_answer res_lookup(res *r, int resolver, const dns *d, int domain, sim_time now)
{
	sim_time expires;
	return lookup(r, resolver, d, domain, now, &expires);
}

static res_answer lookup(res *r, int resolver, const dns *d, int domain, sim_time now,
			 sim_time *expires_out)
{
	const res_profile *p = r->rs[resolver].p;
	bool created;
	uint64_t sk = split(r, p, resolver, domain, now), k = key(resolver, domain) | sk;
	entry *e = tab_get(r->cache, k, &created);
	if (created && r->start != RES_START_EMPTY) {
		/* the initial answer, fetched before time 0: steady state, or
		 * pinned at a share of its lifetime; in steady state gone by
		 * now if its whole lifetime is (no draw needed) while there is
		 * a fresh one to fetch */
		sim_time life = res_lifetime(p, dns_version(d, domain, 0));
		if (r->start == RES_START_STEADY && now >= life && dns_reachable(d, domain))
			return refresh(r, p, e, k, resolver, d, domain, now, expires_out);
		double left = r->start == RES_START_AGE
				      ? 1 - r->age
				      : rng_hash_unit(r->seed, (uint64_t)resolver | sk >> 24,
						      (uint64_t)domain);
		*e = pack(r, (sim_time)(left * (double)life), 0);
	}
	sim_time expires = *expires_out = expires_of(r, *e);
	if (now < expires)
		return (res_answer){false, version_of(r, *e)};
	if (!dns_reachable(d, domain)) {
		/* RFC 8767: serve the expired answer if not too stale */
		if (!created && p->stale && now - expires <= p->stale)
			return (res_answer){false, version_of(r, *e)};
		return (res_answer){true, 0};
	}
	return refresh(r, p, e, k, resolver, d, domain, now, expires_out);
}
