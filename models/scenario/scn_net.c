/*
 * scn_net.c - the network of a scenario: hosts, providers, servers, MX
 * records and profile mixes; MTA and resolver profiles, built-in and
 * [profile] / [resolver] sections (see scn_impl.h).
 */
#include "scn_impl.h"
#include "../../sim/names.h"
#include "../../sim/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Looks name up in an index over n names (name_of(i)); -1 if absent. */
static int lookup(nindex *x, const char *name, const char *(*name_of)(const scn *, int),
		  const scn *s, int n)
{
	int i = x ? nindex_get(x, name, 0) : -1;
	if (i < 0 || !strcmp(name_of(s, i), name))
		return i;
	for (i = 0; i < n; i++) /* a hash collision: rare */
		if (!strcmp(name_of(s, i), name))
			return i;
	return -1;
}

static const char *host_name(const scn *s, int i)
{
	return s->hosts[i].name;
}

static const char *domain_name(const scn *s, int i)
{
	return s->domain_names[i];
}

int scn_host_id(scn *s, const char *name, bool create)
{
	int i = lookup(s->host_ix, name, host_name, s, s->nhosts);
	if (i >= 0 || !create)
		return i;
	if (s->nhosts == s->host_cap) {
		s->host_cap = s->host_cap ? 2 * s->host_cap : 16;
		s->hosts = xrealloc(s->hosts, (size_t)s->host_cap * sizeof *s->hosts);
	}
	if (!s->host_ix)
		s->host_ix = nindex_new();
	nindex_put(s->host_ix, name, 0, s->nhosts);
	host_rec *h = &s->hosts[s->nhosts];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name);
	h->server = -1;
	h->kind = DNS_HOST_NXDOMAIN; /* a name nobody answers for: the typo */
	h->ttl = h->neg_ttl = SIM_HOUR;
	return s->nhosts++;
}

int scn_provider_id(scn *s, const char *name)
{
	for (int i = 0; i < s->c.nproviders; i++)
		if (!strcmp(s->providers[i], name))
			return i;
	s->providers = xrealloc(s->providers, (size_t)(s->c.nproviders + 1) * sizeof *s->providers);
	snprintf(s->providers[s->c.nproviders], sizeof *s->providers, "%s", name); /* name_ok */
	return s->c.nproviders++;
}

int scn_server_id(const scn *s, const char *name)
{
	for (int i = 0; i < s->c.nservers; i++)
		if (!strcmp(s->c.servers[i].name, name))
			return i;
	return -1;
}

int scn_domain_id(const scn *s, const char *name)
{
	return lookup(s->dom_ix, name, domain_name, s, s->c.ndomains);
}

/* "10 mx.a, 20 mx.b" | none | null | nxdomain */
/* t: the value v trimmed, modified. */
static int records(scn *s, char *t, const char *v, int line, sim_time ttl, sim_time neg,
		   dns_answer *a)
{
	memset(a, 0, sizeof *a);
	if (!strcmp(t, "none")) {
		*a = (dns_answer){.kind = DNS_NODATA, .ttl = neg};
		return 0;
	}
	if (!strcmp(t, "null")) {
		*a = (dns_answer){.kind = DNS_NULLMX, .ttl = ttl};
		return 0;
	}
	if (!strcmp(t, "nxdomain")) {
		*a = (dns_answer){.kind = DNS_NXDOMAIN, .ttl = neg};
		return 0;
	}
	a->kind = DNS_MX;
	a->ttl = ttl;
	char *save, *rr = strtok_r(t, ",", &save);
	while (rr) {
		char *end, *host, *extra;
		errno = 0;
		long pref = strtol(rr, &end, 10);
		host = strtok_r(end, " \t", &extra);
		if (a->n == DNS_MAX_MX)
			return scn_fail(s, line, "at most %d MX records", DNS_MAX_MX);
		if (end == rr || errno || !host || strtok_r(NULL, " \t", &extra) || pref < 0 ||
		    pref > 65535)
			return scn_fail(s, line,
					"expected MX records like '10 mx1.example, 20 mx2.example' "
					"(preference "
					"0-65535 and host), or none, null, nxdomain; got '%.200s'",
					v);
		if (!strcmp(host, "."))
			return scn_fail(s, line, "a null MX is written 'null'");
		if (!dns_name_ok(host))
			return scn_fail(s, line, "MX host '%.80s': expected %s", host,
					DNS_NAME_RULE);
		a->mx[a->n++] = (dns_mx){(uint16_t)pref, (uint32_t)scn_host_id(s, host, true)};
		rr = strtok_r(NULL, ",", &save);
	}
	if (!a->n)
		return scn_fail(s, line,
				"expected at least one MX record, or none, null, nxdomain");
	return 0;
}

int scn_records(scn *s, const char *v, int line, sim_time ttl, sim_time neg, dns_answer *a)
{
	char *buf = xstrdup(v);
	int rc = records(s, scn_trim(buf), v, line, ttl, neg, a);
	free(buf);
	return rc;
}

/* "name:share, name:share" against a lookup of names */

static int mix(scn *s, char *buf, const char *v, int line, mix_item *out, int max, int *n)
{
	*n = 0;
	char *save, *it = strtok_r(buf, ",", &save);
	double sum = 0;
	while (it) {
		char *colon = strchr(it, ':');
		char err[UNIT_ERR];
		if (*n == max)
			return scn_fail(s, line, "at most %d profiles in a mix", max);
		double sh = 1;
		if (colon) {
			*colon = '\0';
			if (unit_number(colon + 1, &sh, err) || sh < 0)
				return scn_fail(
					s, line,
					"expected 'name:share, ...' with shares >= 0, got '%.200s'",
					v);
		}
		if (!name_ok(scn_trim(it)))
			return scn_fail(s, line, "profile name '%.80s': expected %s", scn_trim(it),
					NAME_RULE);
		snprintf(out[*n].name, sizeof out[*n].name, "%s", scn_trim(it));
		out[(*n)++].share = sh;
		sum += sh;
		it = strtok_r(NULL, ",", &save);
	}
	if (!*n || !(sum > 0))
		return scn_fail(s, line,
				"expected 'name:share, ...' with a positive total, got '%.200s'",
				v);
	return 0;
}

int scn_mix(scn *s, const char *v, int line, mix_item *out, int max, int *n)
{
	char *buf = xstrdup(v);
	int rc = mix(s, buf, v, line, out, max, n);
	free(buf);
	return rc;
}

/* ---- sections to configuration --------------------------------------- */

/* A [profile]'s keys held in mta_profile's fields, or a [resolver]'s in
 * res_profile's: those set replace the base profile's. */
static int read_fields(scn *s, const section *sc, sec_type t, void *profile)
{
	for (int k = 0; k < K_N; k++)
		if (scn_keys[k].section == t && scn_keys[k].field >= 0 &&
		    scn_read_field(s, sc, (scn_key_id)k, profile))
			return -1;
	return 0;
}

/* What a [profile]'s keys must agree on. */
static int profile_check(scn *s, const section *sc, mta_profile *p)
{
	int line;
	if (*scn_text(sc, K_PROFILE_queue_run_phase, &line)) {
		if (scn_read(s, sc, K_PROFILE_queue_run_phase, &p->phase))
			return -1;
		if (p->phase >= p->queue_run || p->phase % 1000)
			return scn_fail(s, line,
					"queue_run_phase: expected whole milliseconds below "
					"queue_run (%g s), got %g s",
					(double)p->queue_run / SIM_SEC, (double)p->phase / SIM_SEC);
		p->phase_fixed = true;
	}
	const char *rule = scn_text(sc, K_PROFILE_retry_rule, &line);
	if (*rule) {
		char err[160];
		if (p->sched != MTA_SCHED_EXIM)
			return scn_fail(s, line, "retry_rule: for a profile based on exim only");
		if (mta_retry_parse(p, rule, err, sizeof err))
			return scn_fail(s, line, "retry_rule: %s, got '%s'", err, rule);
		if (!*scn_text(sc, K_PROFILE_lifetime, &line))
			p->lifetime = p->retry[p->nretry - 1].cutoff;
	}
	if (!p->slots_initial != !p->slots_max || p->slots_max < p->slots_initial)
		return scn_fail(s, sc->line,
				"profile '%s': slots_max (%d) must be `none` with slots_initial, "
				"else at least slots_initial (%d)",
				sc->name, p->slots_max, p->slots_initial);
	if (p->connection_cache && p->connection_max_messages != 1)
		return scn_fail(s, sc->line,
				"profile '%s': connection_cache (Postfix's) and "
				"connection_max_messages other than 1 (Exim's passing) are two "
				"MTAs' ways of reusing connections; set one",
				sc->name);
	if (p->memory == MTA_MEMORY_DESTINATION && !p->slots_initial)
		return scn_fail(s, sc->line,
				"profile '%s': memory = destination needs slots_initial (the "
				"window its failed cohorts are counted in)",
				sc->name);
	return 0;
}

/* A [profile NAME]: a built-in or earlier profile with keys changed. */
static int build_mta_profile(scn *s, const section *sc)
{
	mdl_config *c = &s->c;
	int line;
	const char *base = scn_text(sc, K_PROFILE_based_on, &line);
	int b = scn_mta_by_name(s, base);
	if (b < 0)
		return scn_fail(s, line, "based_on: unknown MTA profile '%s'", base);
	mta_profile p = c->profiles[b];
	snprintf(p.name, sizeof p.name, "%s", sc->name);
	if (read_fields(s, sc, SEC_PROFILE, &p) || profile_check(s, sc, &p))
		return -1;
	int at = scn_mta_by_name(s, p.name);
	if (at >= mta_builtin_count())
		return scn_fail(s, sc->line, "profile '%s' is already defined", p.name);
	if (at >= 0) { /* a built-in's name: that one changed, in its place */
		c->profiles[at] = p;
		return 0;
	}
	if (c->nprofiles == 255)
		return scn_fail(s, sc->line, "at most 255 MTA profiles");
	c->profiles = xrealloc(c->profiles, (size_t)(c->nprofiles + 1) * sizeof *c->profiles);
	c->profiles[c->nprofiles++] = p;
	return 0;
}

/* A [resolver NAME]: a built-in resolver profile with keys changed. */
static int build_res_profile(scn *s, const section *sc)
{
	int line;
	const char *base = scn_text(sc, K_RESOLVER_based_on, &line);
	const res_profile *b = res_builtin(base);
	if (!b)
		return scn_fail(s, line, "based_on: unknown resolver profile '%s'", base);
	res_profile p = *b;
	p.name = sc->name;
	if (read_fields(s, sc, SEC_RESOLVER, &p))
		return -1;
	s->res_custom =
		xrealloc(s->res_custom, (size_t)(s->nres_custom + 1) * sizeof *s->res_custom);
	s->res_custom[s->nres_custom++] = p;
	return 0;
}

/* MTA profiles: the built-ins, then [profile NAME] sections; resolver
 * profiles: [resolver NAME] sections on top of built-ins. */
int scn_build_profiles(scn *s)
{
	mdl_config *c = &s->c;
	for (int i = 0; i < mta_builtin_count(); i++) {
		c->profiles =
			xrealloc(c->profiles, (size_t)(c->nprofiles + 1) * sizeof *c->profiles);
		c->profiles[c->nprofiles++] = *mta_builtin_at(i);
	}
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == SEC_PROFILE && build_mta_profile(s, &s->sec[i]))
			return -1;
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == SEC_RESOLVER && build_res_profile(s, &s->sec[i]))
			return -1;
	return 0;
}

const res_profile *scn_res_by_name(const scn *s, const char *name)
{
	for (int i = 0; i < s->nres_custom; i++)
		if (!strcmp(s->res_custom[i].name, name))
			return &s->res_custom[i];
	return res_builtin(name);
}

int scn_mta_by_name(const scn *s, const char *name)
{
	for (int i = 0; i < s->c.nprofiles; i++)
		if (!strcmp(s->c.profiles[i].name, name))
			return i;
	return -1;
}

/* Host, provider and kind of a [server]; *h gets its host. */
static int server_identity(scn *s, const section *sc, mdl_server *v, int *h)
{
	int line, backup = 0;
	const char *host = scn_text(sc, K_SERVER_host, &line);
	*h = scn_host_id(s, *host ? host : sc->name, true);
	if (s->hosts[*h].server >= 0)
		return scn_fail(s, line, "host '%s' already belongs to server '%s'",
				s->hosts[*h].name, s->c.servers[s->hosts[*h].server].name);
	const char *prov = scn_text(sc, K_SERVER_provider, &line);
	if (*prov && !name_ok(prov))
		return scn_fail(s, line, "provider: '%.80s': expected %s", prov, NAME_RULE);
	v->provider = scn_provider_id(s, *prov ? prov : sc->name);
	if (scn_read(s, sc, K_SERVER_kind, &backup))
		return -1;
	v->backup = backup;
	return 0;
}

/* Capacity, limits and outages of a [server]. */
static int server_limits(scn *s, const section *sc, mdl_server *v)
{
	int refuse = 0;
	if (scn_read(s, sc, K_SERVER_sessions, &v->sessions) ||
	    scn_read(s, sc, K_SERVER_session_time, &v->session_time) ||
	    scn_read(s, sc, K_SERVER_bandwidth, &v->bandwidth) ||
	    (v->bandwidth > 0 && v->bandwidth < 1 &&
	     scn_fail(s, scn_line(sc, K_SERVER_bandwidth),
		      "bandwidth: expected 0 (no transfer time) or at least 1 B per second")) ||
	    scn_read(s, sc, K_SERVER_size_limit, &v->size_limit) ||
	    scn_read(s, sc, K_SERVER_rate_limit, &v->rate) ||
	    scn_read(s, sc, K_SERVER_burst, &v->burst) ||
	    scn_read(s, sc, K_SERVER_greylist, &v->greylist) ||
	    scn_read(s, sc, K_SERVER_mtbf, &v->mtbf) || scn_read(s, sc, K_SERVER_mttr, &v->mttr) ||
	    scn_read(s, sc, K_SERVER_down, &refuse))
		return -1;
	if (v->burst == 0)
		v->burst = v->rate * 60 > 1 ? v->rate * 60 : 1;
	if (v->mtbf > 0 && v->mttr <= 0)
		return scn_fail(s, scn_line(sc, K_SERVER_mttr),
				"mttr: must be positive when mtbf is set");
	v->down_refuses = refuse;
	return 0;
}

/* How a backup [server] relays onward. */
static int server_relay(scn *s, const section *sc, mdl_server *v)
{
	int line;
	int64_t n = 0;
	const char *rp = scn_text(sc, K_SERVER_relay_profile, &line);
	if ((v->relay_profile = scn_mta_by_name(s, rp)) < 0)
		return scn_fail(s, line, "relay_profile: unknown MTA profile '%s'", rp);
	if (scn_read(s, sc, K_SERVER_relay_sessions, &v->relay_sessions) ||
	    scn_read(s, sc, K_SERVER_queue_limit, &n) ||
	    scn_read(s, sc, K_SERVER_queue_bytes_limit, &v->queue_bytes_limit))
		return -1;
	v->queue_limit = (uint64_t)n;
	if (v->queue_bytes_limit > 0 && v->size_limit > v->queue_bytes_limit)
		scn_warn(s, scn_line(sc, K_SERVER_queue_bytes_limit),
			 "backup '%s' stores %.0f bytes, less than one message of its size_limit "
			 "(%.0f): such messages always get 452",
			 sc->name, v->queue_bytes_limit, v->size_limit);
	const char *rr = scn_text(sc, K_SERVER_relay_resolver, &line);
	if (!scn_res_by_name(s, rr))
		return scn_fail(s, line, "relay_resolver: unknown resolver profile '%s'", rr);
	return 0;
}

static int build_server(scn *s, const section *sc)
{
	mdl_config *c = &s->c;
	mdl_server v;
	int h;
	memset(&v, 0, sizeof v);
	snprintf(v.name, sizeof v.name, "%s", sc->name);
	if (server_identity(s, sc, &v, &h) || server_limits(s, sc, &v) || server_relay(s, sc, &v)) {
		dist_clear(&v.session_time);
		return -1;
	}
	v.host = h;
	s->hosts[h].server = c->nservers;
	s->hosts[h].kind = DNS_HOST_SERVER;
	c->servers = xrealloc(c->servers, (size_t)(c->nservers + 1) * sizeof *c->servers);
	c->servers[c->nservers++] = v;
	return 0;
}

static int build_host(scn *s, const section *sc)
{
	static const host_kind kinds[] = {DNS_HOST_REFUSE, DNS_HOST_TIMEOUT, DNS_HOST_NXDOMAIN};
	int line, h = scn_host_id(s, sc->name, true), a = -1;
	host_rec *hr = &s->hosts[h];
	if (scn_read(s, sc, K_HOST_ttl, &hr->ttl) ||
	    scn_read(s, sc, K_HOST_neg_ttl, &hr->neg_ttl) || scn_read(s, sc, K_HOST_address, &a))
		return -1;
	scn_text(sc, K_HOST_address, &line);
	if (hr->server >= 0 && a >= 0)
		return scn_fail(s, line,
				"address: host '%s' is server '%s''s; change it in the timeline",
				sc->name, s->c.servers[hr->server].name);
	if (hr->server >= 0)
		return 0;
	if (a < 0)
		return scn_fail(s, sc->line,
				"[host %s] needs address = refuse | timeout | nxdomain", sc->name);
	hr->kind = kinds[a];
	return 0;
}

int scn_build_servers(scn *s)
{
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == SEC_SERVER && build_server(s, &s->sec[i]))
			return -1;
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == SEC_HOST && build_host(s, &s->sec[i]))
			return -1;
	return 0;
}
