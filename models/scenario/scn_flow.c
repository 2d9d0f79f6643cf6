/*
 * scn_flow.c - where mail comes from: [senders], [resolvers] (profile
 * mixes assigned by share, the same in every replication) and [traffic]
 * (see scn_impl.h).
 */
#include "scn_impl.h"
#include "../../sim/zipf.h"
#include "../../sim/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* [senders]: count, Zipf exponent and the MTA profile mix. */
static int senders(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_SENDERS);
	int line, nm;
	mix_item mix[64];
	if (scn_read(s, sc, K_SENDERS_count, &c->nsenders) ||
	    scn_read(s, sc, K_SENDERS_zipf, &c->sender_zipf) ||
	    scn_mix(s, scn_text(sc, K_SENDERS_profiles, &line), line, mix, 64, &nm))
		return -1;
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

/* [resolvers] cache: where cache entries are at time 0. */
static int cache_start(scn *s, const section *sc)
{
	mdl_config *c = &s->c;
	int line;
	const char *v = scn_text(sc, K_RESOLVERS_cache, &line);
	char *end;
	if (!strcmp(v, "steady")) {
		c->cache_start = RES_START_STEADY;
	} else if (!strcmp(v, "empty")) {
		c->cache_start = RES_START_EMPTY;
	} else {
		c->cache_start = RES_START_AGE;
		c->cache_age = strtod(v, &end);
		if (end == v || *end || !(c->cache_age >= 0 && c->cache_age < 1))
			return scn_fail(s, line,
					"cache: expected steady, empty or the share of each "
					"entry's lifetime lived at time 0 (0 to below 1), got '%s'",
					v);
	}
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

/* The class named name (a resolver profile), added with share 0 if new. */
static int class_of(scn *s, const char *name)
{
	mdl_config *c = &s->c;
	for (int k = 0; k < c->nclasses; k++)
		if (!strcmp(s->class_name[k], name))
			return k;
	s->class_name = xrealloc(s->class_name, (size_t)(c->nclasses + 1) * sizeof *s->class_name);
	s->class_share =
		xrealloc(s->class_share, (size_t)(c->nclasses + 1) * sizeof *s->class_share);
	s->class_name[c->nclasses] = name;
	s->class_share[c->nclasses] = 0;
	return c->nclasses++;
}

/* n resolvers in rank order (rank r carries r^-zipf of the senders) over
 * the classes: each to the class furthest below its share of the weight
 * so far, so the big shared resolvers go to the big classes and every
 * class's resolvers carry its share; a class left without one gets one
 * more at the end. Returns how many. */
static int class_members(scn *s, long n, int nbackup)
{
	mdl_config *c = &s->c;
	int k = c->nclasses, total = (int)n;
	s->res_mix = xcalloc((size_t)(n + k + nbackup), sizeof *s->res_mix);
	s->res_class = xcalloc((size_t)(n + k + nbackup), sizeof *s->res_class);
	zipf_apportion(n, c->resolver_zipf, s->class_share, k, s->res_class);
	bool *has = xcalloc((size_t)k, sizeof *has);
	for (long r = 0; r < n; r++)
		has[s->res_class[r]] = true;
	for (int i = 0; i < k; i++)
		if (!has[i])
			s->res_class[total++] = i;
	for (int r = 0; r < total; r++)
		s->res_mix[r] = scn_res_by_name(s, s->class_name[s->res_class[r]]);
	free(has);
	return total;
}

/* [resolvers]: the mix's profiles are the classes; each class gets
 * resolvers in proportion to its share; then one resolver of its own per
 * backup server, in the class of its profile. */
static int resolvers(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_RESOLVERS);
	int n = 0, line, nm;
	mix_item mix[64];
	if (scn_read(s, sc, K_RESOLVERS_count, &n) ||
	    scn_read(s, sc, K_RESOLVERS_zipf, &c->resolver_zipf) ||
	    scn_mix(s, scn_text(sc, K_RESOLVERS_profiles, &line), line, mix, 64, &nm))
		return -1;
	for (int i = 0; i < nm; i++) {
		const res_profile *p = scn_res_by_name(s, mix[i].name);
		if (!p)
			return unknown_resolver(s, line, mix[i].name);
		int k = class_of(s, p->name); /* may move class_share */
		s->class_share[k] += mix[i].share;
	}
	double sum = 0;
	for (int k = 0; k < c->nclasses; k++)
		sum += s->class_share[k];
	for (int k = 0; k < c->nclasses; k++)
		s->class_share[k] /= sum;
	int nbackup = 0;
	for (int i = 0; i < c->nservers; i++)
		nbackup += c->servers[i].backup;
	c->nresolvers = c->nsender_resolvers = class_members(s, n, nbackup);
	for (int i = 0; i < c->nservers; i++) {
		if (!c->servers[i].backup)
			continue;
		const section *ss = scn_find_section(s, SEC_SERVER, c->servers[i].name);
		const res_profile *p =
			scn_res_by_name(s, scn_text(ss, K_SERVER_relay_resolver, &line));
		s->res_mix[c->nresolvers] = p;
		s->res_class[c->nresolvers] = class_of(s, p->name);
		c->servers[i].relay_resolver = c->nresolvers++;
	}
	c->resolver = s->res_mix;
	c->res_class = s->res_class;
	c->class_name = s->class_name;
	c->class_share = s->class_share;
	return cache_start(s, sc);
}

int scn_build_senders(scn *s)
{
	return senders(s) || resolvers(s) ? -1 : 0;
}

/* [traffic] start and stop (calendar times allowed), and the arrivals. */
static int traffic_window(scn *s, const section *sc)
{
	mdl_config *c = &s->c;
	int line;
	char err[UNIT_ERR];
	const char *v = scn_text(sc, K_TRAFFIC_start, &line);
	if (unit_when(v, s->start_day, &c->traffic_start, err))
		return scn_fail(s, line, "start: %s", err);
	v = scn_text(sc, K_TRAFFIC_stop, &line);
	c->traffic_stop = SIM_NEVER;
	if (strcmp(v, "never") && unit_when(v, s->start_day, &c->traffic_stop, err))
		return scn_fail(s, line, "stop: %s (or `never`)", err);
	if (c->traffic_stop <= c->traffic_start)
		return scn_fail(s, line, "stop: must come after start");
	int fixed = 0;
	if (scn_read(s, sc, K_TRAFFIC_arrivals, &fixed))
		return -1;
	c->fixed_arrivals = fixed;
	return 0;
}

/* [report] after: `never` or a time (a duration, or a calendar time on
 * the run's week). */
int scn_report_after(scn *s)
{
	int line;
	char err[UNIT_ERR];
	const char *v = scn_text(scn_single(s, SEC_REPORT), K_REPORT_after, &line);
	s->c.after = SIM_NEVER;
	if (strcmp(v, "never") && unit_when(v, s->start_day, &s->c.after, err))
		return scn_fail(s, line, "after: %s (or `never`)", err);
	return 0;
}

int scn_build_traffic(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = scn_single(s, SEC_TRAFFIC);
	static const mdl_pattern patterns[] = {MDL_PATTERN_FLAT, MDL_PATTERN_OFFICE,
					       MDL_PATTERN_TABLE};
	int pat = 0;
	if (scn_read(s, sc, K_TRAFFIC_rate, &c->rate) ||
	    scn_read(s, sc, K_TRAFFIC_size, &c->size) || traffic_window(s, sc) ||
	    scn_read(s, sc, K_TRAFFIC_pattern, &pat) ||
	    scn_read(s, sc, K_TRAFFIC_office_peak, &c->office_peak))
		return -1;
	c->pattern = patterns[pat];
	if (c->pattern != MDL_PATTERN_TABLE)
		return 0;
	int line = scn_line(sc, K_TRAFFIC_pattern), tline;
	const char *tab = scn_text(sc, K_TRAFFIC_table, &tline);
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
	if (d.n != 24 && d.n != SIM_WEEK_HOURS) {
		dist_clear(&d);
		return scn_fail(s, tline, "table: expected 24 or 168 rows (hourly rates), got %d",
				d.n);
	}
	double sum = 0;
	for (int h = 0; h < SIM_WEEK_HOURS; h++)
		sum += c->hourly[h] = d.values[h % d.n];
	dist_clear(&d);
	if (!(sum > 0))
		return scn_fail(s, tline, "table: the rates must not all be 0");
	for (int h = 0; h < SIM_WEEK_HOURS; h++)
		c->hourly[h] *= SIM_WEEK_HOURS / sum;
	return 0;
}

/* A timeline target: a domain name or '*' (every domain). */
