/*
 * scn_flow.c - where mail comes from: [senders], [resolvers] (profile
 * mixes assigned by share, the same in every replication) and [traffic]
 * (see scn_impl.h).
 */
#include "scn_impl.h"
#include "../sim/rng.h"
#include "../sim/xalloc.h"

#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

/* [senders]: count, Zipf exponent and the MTA profile mix. */
static int senders(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_SENDERS);
	long n;
	int line, nm;
	mix_item mix[64];
	if (scn_p_long(s, sc, SEC_SENDERS, "count", 1, 100000000, &n) ||
	    scn_p_number(s, sc, SEC_SENDERS, "zipf", 0, &c->sender_zipf) ||
	    scn_p_mix(s, VALUE(sc, SEC_SENDERS, "profiles", line), line, mix, 64, &nm))
		return -1;
	c->nsenders = (int)n;
	s->mta_share = xcalloc((size_t)c->nprofiles, sizeof *s->mta_share);
	for (int i = 0; i < nm; i++) {
		int p = scn_mta_by_name(s, mix[i].name);
		if (p < 0) {
			char sg[96];
			const char *names[64];
			int k = 0;
			for (; k < c->nprofiles && k < 64; k++)
				names[k] = c->profiles[k].name;
			return scn_fail(s, line, "profiles: unknown MTA profile '%s'%s",
					mix[i].name,
					scn_suggest(mix[i].name, names, k, sg, sizeof sg));
		}
		s->mta_share[p] += mix[i].share;
	}
	c->profile_share = s->mta_share;
	return 0;
}

static int unknown_resolver(scn *s, int line, const char *name)
{
	char sg[96];
	const char *names[96];
	int n = 0;
	for (int k = 0; k < res_builtin_count() && n < 64; k++)
		names[n++] = res_builtin_at(k)->name;
	for (int k = 0; k < s->nres_custom && n < 96; k++)
		names[n++] = s->res_custom[k].name;
	return scn_fail(s, line, "profiles: unknown resolver profile '%s'%s", name,
			scn_suggest(name, names, n, sg, sizeof sg));
}

/* [resolvers]: profiles assigned by share, the same for every
 * replication; then one resolver of its own per backup server. */
static int resolvers(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_RESOLVERS);
	long n;
	int line, nm;
	mix_item mix[64];
	const res_profile *prof[64];
	double share[64];
	if (scn_p_long(s, sc, SEC_RESOLVERS, "count", 1, 10000000, &n) ||
	    scn_p_number(s, sc, SEC_RESOLVERS, "zipf", 0, &c->resolver_zipf) ||
	    scn_p_mix(s, VALUE(sc, SEC_RESOLVERS, "profiles", line), line, mix, 64, &nm))
		return -1;
	for (int i = 0; i < nm; i++) {
		if (!(prof[i] = scn_res_by_name(s, mix[i].name)))
			return unknown_resolver(s, line, mix[i].name);
		share[i] = mix[i].share;
	}
	int nbackup = 0;
	for (int i = 0; i < c->nservers; i++)
		nbackup += c->servers[i].backup;
	s->res_mix = xcalloc((size_t)n + (size_t)nbackup, sizeof *s->res_mix);
	gsl_rng *g = rng_stream(s->seed, 1001);
	gsl_ran_discrete_t *t = gsl_ran_discrete_preproc((size_t)nm, share);
	for (long i = 0; i < n; i++)
		s->res_mix[i] = prof[gsl_ran_discrete(g, t)];
	gsl_ran_discrete_free(t);
	gsl_rng_free(g);
	c->nresolvers = (int)n;
	for (int i = 0; i < c->nservers; i++) {
		if (!c->servers[i].backup)
			continue;
		const section *ss = scn_find_section(s, SEC_SERVER, c->servers[i].name);
		s->res_mix[c->nresolvers] =
			scn_res_by_name(s, VALUE(ss, SEC_SERVER, "relay_resolver", line));
		c->servers[i].relay_resolver = c->nresolvers++;
	}
	c->resolver = s->res_mix;
	return 0;
}

int scn_build_senders(scn *s)
{
	return senders(s) || resolvers(s) ? -1 : 0;
}

int scn_build_traffic(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_TRAFFIC);
	int line;
	if (scn_p_rate(s, sc, SEC_TRAFFIC, "rate", &c->rate) ||
	    scn_p_dist(s, sc, SEC_TRAFFIC, "size", UNIT_SIZE, &c->size))
		return -1;
	const char *pat = VALUE(sc, SEC_TRAFFIC, "pattern", line);
	if (!strcmp(pat, "flat"))
		c->pattern = PATTERN_FLAT;
	else if (!strcmp(pat, "office"))
		c->pattern = PATTERN_OFFICE;
	else if (!strcmp(pat, "table"))
		c->pattern = PATTERN_TABLE;
	else
		return scn_fail(s, line, "pattern: expected flat, office or table, got '%s'", pat);
	if (c->pattern != PATTERN_TABLE)
		return 0;
	int tline;
	const char *tab = VALUE(sc, SEC_TRAFFIC, "table", tline);
	if (!*tab)
		return scn_fail(s, line,
				"pattern = table needs table = FILE.csv (24 or 168 hourly rates)");
	dist d;
	char err[UNIT_ERR];
	char *spec = xasprintf("empirical(%s)", tab);
	int rc = unit_dist(spec, UNIT_NONE, s->f->dir, &d, err);
	free(spec);
	if (rc)
		return scn_fail(s, tline, "table: %s", err);
	if (d.n != 24 && d.n != 168) {
		dist_clear(&d);
		return scn_fail(s, tline, "table: expected 24 or 168 rows (hourly rates), got %d",
				d.n);
	}
	double sum = 0;
	for (int h = 0; h < 168; h++)
		sum += c->hourly[h] = d.values[h % d.n];
	dist_clear(&d);
	if (!(sum > 0))
		return scn_fail(s, tline, "table: the rates must not all be 0");
	for (int h = 0; h < 168; h++)
		c->hourly[h] *= 168 / sum;
	return 0;
}

/* A timeline target: a domain name or '*' (every domain). */
