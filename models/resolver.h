/*
 * resolver.h - caching resolvers shared by senders.
 *
 * A cache entry per (resolver, domain) remembers the answer version it was
 * given and when it expires. Expiry is lazy: checked at lookup, never an
 * event. At time 0 caches are in steady state by default: a pair met for
 * the first time is taken to hold the initial answer until a point drawn
 * uniformly over one lifetime (a pure function of seed, resolver and
 * domain); or empty; or pinned at a share of the lifetime lived.
 */
#ifndef MX_RESOLVER_H
#define MX_RESOLVER_H

#include "dns.h"

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

/* Where a cache entry is in its lifetime at time 0. */
typedef enum {
	RES_START_STEADY, /* uniform over one lifetime (steady state) */
	RES_START_EMPTY,  /* not cached: the first lookup fetches */
	RES_START_AGE     /* a given share of its lifetime lived */
} res_start;

/* How a resolver turns a TTL into a cache lifetime. Times in sim_time;
 * 0 means "not set" for cap, neg_cap, fixed and stale. */
typedef struct {
	const char *name;
	sim_time cap;       /* positive TTL cap (max-cache-ttl) */
	sim_time floor;     /* minimum lifetime (cache-min-ttl) */
	sim_time neg_cap;   /* negative TTL cap (max-ncache-ttl) */
	sim_time fixed;     /* ignores TTL: fixed lifetime (Java-style) */
	double extend;      /* multiplies TTLs (violators); 1 = honour */
	sim_time stale;     /* serve-stale: max staleness while authority fails */
	bool whole_seconds; /* its clock counts whole seconds and an answer is
			     * served through the second its TTL reaches 0 */
	int caches;         /* split caches, each fetching on its own; a lookup
			     * meets one drawn uniformly (0 and 1: one) */
	bool message_cache; /* an answer lives until the first of its records,
			     * additional ones included, expires in its cache */
	const char *source; /* where the behaviour comes from (built-ins) */
} res_profile;

/* Whether p keeps answers no longer than their TTL (caps and a floor or
 * fixed lifetime of at most a minute aside): false for resolvers that
 * stretch or floor TTLs. */
bool res_honours(const res_profile *p);

/* Built-in profile by name (honour, bind, unbound, powerdns, knot,
 * systemd, google, quad9, java, floor-10m, floor-1h, violator), or NULL. */
const res_profile *res_builtin(const char *name);
/* The built-ins in order: 0 <= i < res_builtin_count(). */
int res_builtin_count(void);
const res_profile *res_builtin_at(int i);

/* Cache lifetime a profile gives an answer. */
sim_time res_lifetime(const res_profile *p, const dns_answer *a);

typedef struct res res;

/* n resolvers; profile[i] is resolver i's (the profiles are borrowed and must
 * outlive the res). Answers have versions 0 .. versions - 1; lookups come
 * before end, which must be below res_longest(versions). */
res *res_new(int n, const res_profile *const *profile, uint64_t seed, res_start start, double age,
	     uint32_t versions, sim_time end);
/* Resolver i runs on a host whose clock has this offset (mta_clock): its
 * whole seconds (whole_seconds profiles) are that clock's. */
void res_share_clock(res *r, int i, sim_time offset);

/* The end of the longest run whose caches can tell that many versions
 * apart (a cache entry is one word: expiry and version). */
sim_time res_longest(uint32_t versions);
void res_free(res *r);
/* Room for n cache entries before any lookup (a hint: speed only). */
void res_reserve(res *r, size_t n);
/* The cache entries (resolver, domain pairs) `messages` lookups are
 * expected to make, each resolver and domain drawn with its share
 * (summing to 1): the sum over pairs of 1 - exp(-messages x the pair's
 * share), with resolvers and domains binned by share (an eighth of an
 * octave). Sizes the cache up front (res_reserve); no result depends on
 * it. */
double res_expected_entries(const double *resolver, int nr, const double *domain, int nd,
			    double messages);

typedef struct {
	bool fail;        /* SERVFAIL: authority unreachable, nothing to serve */
	uint32_t version; /* the answer version handed out */
} res_answer;

res_answer res_lookup(res *r, int resolver, const dns *d, int domain, sim_time now);

/* Starts fetching what a lookup of domain by resolver soon after reads
 * into the CPU cache: the cache entry and the resolver's profile (a hint;
 * no effect on results). */
void res_prefetch(const res *r, int resolver, int domain);

#endif
