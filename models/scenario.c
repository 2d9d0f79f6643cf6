/*
 * scenario.c - scenario files to model configurations (see scenario.h).
 *
 * Parsing runs in two steps: inih delivers (section, key, value) with the
 * line each stands on, checked against the tables of known sections and
 * keys; then each section is turned into configuration in dependency order
 * (profiles, servers and hosts, domains, senders and resolvers, traffic,
 * timeline). Every key has a default in the tables below, written out by
 * scn_write, so the resolved scenario reproduces the run.
 */
#include "scenario.h"
#include "budget.h"
#include "../sim/xalloc.h"
#include "../sim/csvread.h"
#include "../sim/infile.h"
#include "../sim/names.h"
#include "../sim/rng.h"
#include "../sim/units.h"

#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <ini.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the known sections and keys ------------------------------------- */

typedef struct {
	const char *key, *def; /* def NULL: required */
} keydef;

#define MTA_MIX                                                                                    \
	"postfix:0.30, exim:0.15, sendmail:0.05, exchange:0.10, exchange-online:0.15, gmail:0.20, " \
	"qmail:0.025, opensmtpd:0.025"
#define RES_MIX                                                                                    \
	"google:0.25, unbound:0.25, bind:0.20, powerdns:0.10, quad9:0.05, systemd:0.04, "          \
	"knot:0.0226, violator:0.0874"

static const keydef run_keys[] = {
	{"name", ""},	      {"duration", "3d"},     {"seed", "1"},		{"replications", "1"},
	{"bucket", "15m"},    {"max_memory", "50%"}, {"max_events", "1e9"}, {NULL, NULL}};
static const keydef traffic_keys[] = {{"rate", "1000/h"},
				      {"pattern", "flat"},
				      {"table", ""},
				      {"size", "lnpareto(4KB, 1.2, 32KB, 1.3)"},
				      {NULL, NULL}};
static const keydef senders_keys[] = {
	{"count", "1000"}, {"zipf", "1"}, {"profiles", MTA_MIX}, {NULL, NULL}};
static const keydef resolvers_keys[] = {
	{"count", "100"}, {"zipf", "1"}, {"profiles", RES_MIX}, {NULL, NULL}};
static const keydef profile_keys[] = {
	{"based_on", "postfix"}, {"min_backoff", ""},	  {"max_backoff", ""}, {"queue_run", ""},
	{"lifetime", ""},	 {"connect_timeout", ""}, {"mx_limit", ""},    {"dead_time", ""},
	{NULL, NULL}};
static const keydef resprof_keys[] = {{"based_on", "honour"}, {"cap", ""},   {"floor", ""},
				      {"neg_cap", ""},	      {"fixed", ""}, {"extend", ""},
				      {"stale", ""},	      {NULL, NULL}};
static const keydef domain_keys[] = {{"mx", NULL},	   {"mx_ttl", "1h"}, {"neg_ttl", "1h"},
				     {"address", "refuse"}, {"weight", "1"},  {NULL, NULL}};
static const keydef population_keys[] = {
	{"count", "0"},		{"prefix", "d"},	  {"mx", "none"},	{"mx_ttl", "1h"},
	{"neg_ttl", "1h"},	{"address", "refuse"},	  {"weight", "const(1)"}, {"cutover", "never"},
	{"cutover_mx", "none"}, {NULL, NULL}};
static const keydef server_keys[] = {
	{"host", ""},	       {"provider", ""},	 {"kind", "final"},	 {"sessions", "100"},
	{"session_time", "exp(2s)"}, {"bandwidth", "10MB"}, {"size_limit", "20MB"}, {"rate_limit", "0"},
	{"burst", "0"},	       {"greylist", "0"},	 {"mtbf", "0"},	 {"mttr", "1h"},
	{"down", "timeout"},   {"accepts", "all"},	 {"relay_profile", "postfix"},
	{"relay_sessions", "20"}, {"relay_resolver", "unbound"}, {NULL, NULL}};
static const keydef host_keys[] = {
	{"address", ""}, {"ttl", "1h"}, {"neg_ttl", "1h"}, {NULL, NULL}};

typedef enum { SEC_RUN, SEC_TRAFFIC, SEC_SENDERS, SEC_RESOLVERS, SEC_PROFILE, SEC_RESOLVER,
	       SEC_DOMAIN, SEC_POPULATION, SEC_SERVER, SEC_HOST, SEC_TIMELINE, SEC_N } sec_type;

static const struct {
	const char *name;
	bool named;
	const keydef *keys;
} sections[SEC_N] = {
	{"run", false, run_keys},	  {"traffic", false, traffic_keys},
	{"senders", false, senders_keys}, {"resolvers", false, resolvers_keys},
	{"profile", true, profile_keys},  {"resolver", true, resprof_keys},
	{"domain", true, domain_keys},	  {"population", false, population_keys},
	{"server", true, server_keys},	  {"host", true, host_keys},
	{"timeline", false, NULL},
};

/* ---- parsed text ------------------------------------------------------ */

typedef struct {
	char *key, *value;
	int line;
} kv;

typedef struct {
	sec_type type;
	char *name;
	int line;
	kv *kv;
	int n, cap;
} section;

struct scn_file {
	char *path, *dir, *base, *text;
	int file_lines;
	char *const *sets;
	int nsets;
	study st;
	char name[128];
};

typedef struct {
	char *name;
	int server; /* -1: none */
	host_kind kind;
	sim_time ttl, neg_ttl;
} host_rec;

struct scn {
	const scn_file *f;
	section *sec, *last; /* last: the section of the previous key */
	int nsec, seccap;
	char name[NAME_MAX_LEN + 1];
	uint64_t seed;
	unsigned reps;
	double max_memory; /* bytes */
	mdl_config c;
	/* storage behind c */
	char **domain_names;
	int dom_cap;
	host_rec *hosts;
	int nhosts;
	char (*providers)[NAME_MAX_LEN + 1];
	res_profile *res_custom;
	int nres_custom;
	const res_profile **res_mix;
	double *res_share;
	int nres_mix;
	double *mta_share;
	char *err;
	int err_line;
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* ---- errors ----------------------------------------------------------- */

/* Formats "where: message" for the first error only. */
static int fail(scn *s, int line, const char *fmt, ...)
{
	if (s->err_line)
		return -1;
	char msg[SCN_ERR];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const scn_file *f = s->f;
	if (line > f->file_lines && line - f->file_lines - 1 < 2 * f->nsets)
		snprintf(s->err, SCN_ERR, "--set %.200s: %.280s", f->sets[(line - f->file_lines - 1) / 2],
			 msg);
	else if (line > 0)
		snprintf(s->err, SCN_ERR, "%.200s:%d: %.280s", f->path, line, msg);
	else
		snprintf(s->err, SCN_ERR, "%.200s: %.280s", f->path, msg);
	s->err_line = line ? line : -1;
	return -1;
}

static int lev(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[64][64];
	if (la > 63 || lb > 63)
		return 99;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int x = d[i - 1][j] + 1, y = d[i][j - 1] + 1;
			d[i][j] = c < x ? (c < y ? c : y) : (x < y ? x : y);
		}
	return d[la][lb];
}

/* " (did you mean 'x'?)" for the nearest of names, or "" */
static const char *suggest(const char *word, const char *const *names, int n, char *buf, size_t len)
{
	int best = 99;
	const char *b = NULL;
	for (int i = 0; i < n; i++) {
		int d = lev(word, names[i]);
		if (d < best) {
			best = d;
			b = names[i];
		}
	}
	if (b && best <= 3)
		snprintf(buf, len, " (did you mean '%s'?)", b);
	else
		buf[0] = '\0';
	return buf;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct {
	const char *p;
	int line, section_line;
	bool too_long;
	char *section; /* the last [section] line's text, whole (inih cuts it) */
} reader;

static char *read_line(char *str, int num, void *stream)
{
	reader *r = stream;
	if (!*r->p)
		return NULL;
	const char *nl = strchr(r->p, '\n');
	size_t n = nl ? (size_t)(nl - r->p + 1) : strlen(r->p);
	r->line++;
	if (n >= (size_t)num) {
		r->too_long = true;
		n = (size_t)num - 1;
	}
	memcpy(str, r->p, n);
	str[n] = '\0';
	const char *q = str;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '[') {
		r->section_line = r->line;
		free(r->section);
		r->section = xstrndup(q + 1, strcspn(q + 1, "]"));
	}
	r->p += nl ? (size_t)(nl - r->p + 1) : strlen(r->p);
	return str;
}

typedef struct {
	scn *s;
	reader *r;
} parse_ctx;

static section *find_section(scn *s, sec_type t, const char *name)
{
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == t && !strcmp(s->sec[i].name, name))
			return &s->sec[i];
	return NULL;
}

/* The section type (index into sections) of "type [name]", or a failure
 * naming what was expected. */
static int section_type(scn *s, const char *text, const char *type, const char *name, int sline)
{
	int t = -1;
	for (int i = 0; i < SEC_N; i++)
		if (!strcmp(sections[i].name, type))
			t = i;
	if (t < 0) {
		const char *names[SEC_N];
		for (int i = 0; i < SEC_N; i++)
			names[i] = sections[i].name;
		char sg[96];
		return fail(s, sline,
			    "unknown section [%.100s]%s; expected run, traffic, senders, resolvers, population, "
			    "timeline, or profile/resolver/domain/server/host NAME",
			    text, suggest(type, names, SEC_N, sg, sizeof sg));
	}
	if (sections[t].named && !*name)
		return fail(s, sline, "section [%s] needs a name: [%s NAME]", type, type);
	if (!sections[t].named && *name)
		return fail(s, sline, "section [%s] takes no name", type);
	if ((t == SEC_SERVER || t == SEC_PROFILE || t == SEC_RESOLVER) && !name_ok(name))
		return fail(s, sline, "section name '%.80s': expected %s", name, NAME_RULE);
	if ((t == SEC_DOMAIN || t == SEC_HOST) && !dns_name_ok(name))
		return fail(s, sline, "section name '%.80s': expected %s", name, DNS_NAME_RULE);
	return t;
}

static int key_known(scn *s, int t, const char *text, const char *key, int line)
{
	const keydef *k = sections[t].keys;
	if (!k)
		return 0;
	const char *names[32];
	int n = 0;
	for (; k[n].key; n++) {
		names[n] = k[n].key;
		if (!strcmp(k[n].key, key))
			return 0;
	}
	char sg[96];
	return fail(s, line, "unknown key '%.80s' in [%.100s]%s", key, text, suggest(key, names, n, sg, sizeof sg));
}

/* Stores key = value of section "type name" (text); returns 0 or -1. */
static int store(scn *s, char *text, const char *key, const char *value, int line, int sline)
{
	char *type = trim(text), *name = type;
	while (*name && !isspace((unsigned char)*name))
		name++;
	char *full = xstrdup(type);
	if (*name)
		*name++ = '\0';
	name = trim(name);
	int t = section_type(s, full, type, name, sline);
	if (t < 0 || key_known(s, t, full, key, line)) {
		free(full);
		return -1;
	}
	free(full);
	section *sc = s->last && s->last->type == (sec_type)t && !strcmp(s->last->name, name)
			      ? s->last
			      : find_section(s, (sec_type)t, name);
	if (!sc) {
		if (s->nsec == s->seccap) {
			s->seccap = s->seccap ? 2 * s->seccap : 16;
			s->sec = xrealloc(s->sec, (size_t)s->seccap * sizeof *s->sec);
		}
		sc = &s->sec[s->nsec++];
		*sc = (section){(sec_type)t, xstrdup(name), sline, NULL, 0, 0};
	}
	s->last = sc;
	/* a later key overrides (--set); the timeline keeps every line */
	if (t != SEC_TIMELINE)
		for (int i = 0; i < sc->n; i++)
			if (!strcmp(sc->kv[i].key, key)) {
				free(sc->kv[i].value);
				sc->kv[i].value = xstrdup(value);
				sc->kv[i].line = line;
				return 0;
			}
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 8;
		sc->kv = xrealloc(sc->kv, (size_t)sc->cap * sizeof *sc->kv);
	}
	sc->kv[sc->n++] = (kv){xstrdup(key), xstrdup(value), line};
	return 0;
}

/* inih's callback. Its copy of the section name is cut at 50 bytes, so
 * the reader's whole copy is used. */
static int handler(void *user, const char *secname, const char *key, const char *value)
{
	parse_ctx *pc = user;
	scn *s = pc->s;
	(void)secname;
	if (pc->r->too_long)
		return fail(s, pc->r->line, "line longer than 16383 characters"), 0;
	char *text = xstrdup(pc->r->section ? pc->r->section : "");
	int rc = store(s, text, key, value, pc->r->line, pc->r->section_line);
	free(text);
	return rc == 0;
}

/* ---- values ------------------------------------------------------------ */

/* The value of key in section sc (NULL: absent section), or its default;
 * *line gets the line (0 for a default). */
static const char *get(const section *sc, sec_type t, const char *key, int *line)
{
	if (sc)
		for (int i = sc->n - 1; i >= 0; i--)
			if (!strcmp(sc->kv[i].key, key)) {
				*line = sc->kv[i].line;
				return sc->kv[i].value;
			}
	*line = sc ? sc->line : 0;
	for (const keydef *k = sections[t].keys; k->key; k++)
		if (!strcmp(k->key, key))
			return k->def;
	return NULL;
}

static section *single(scn *s, sec_type t)
{
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == t)
			return &s->sec[i];
	return NULL;
}

#define VALUE(sc, t, key, line) get(sc, t, key, &line)

static int p_duration(scn *s, const section *sc, sec_type t, const char *key, sim_time *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_duration(v, out, err))
		return fail(s, line, "%s: %s", key, err);
	return 0;
}

static int p_long(scn *s, const section *sc, sec_type t, const char *key, long lo, long hi, long *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_int(v, lo, hi, out, err))
		return fail(s, line, "%s: %s", key, err);
	return 0;
}

static int p_number(scn *s, const section *sc, sec_type t, const char *key, double lo, double *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_number(v, out, err))
		return fail(s, line, "%s: %s", key, err);
	if (*out < lo)
		return fail(s, line, "%s: expected a number >= %g, got %s", key, lo, v);
	return 0;
}

static int p_size(scn *s, const section *sc, sec_type t, const char *key, double *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_size(v, out, err))
		return fail(s, line, "%s: %s", key, err);
	return 0;
}

static int p_rate(scn *s, const section *sc, sec_type t, const char *key, double *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_rate(v, out, err))
		return fail(s, line, "%s: %s", key, err);
	return 0;
}

static int p_dist(scn *s, const section *sc, sec_type t, const char *key, unit_kind k, dist *out)
{
	int line;
	const char *v = VALUE(sc, t, key, line);
	char err[UNIT_ERR];
	if (unit_dist(v, k, s->f->dir, out, err))
		return fail(s, line, "%s: %s", key, err);
	return 0;
}

/* ---- hosts, servers, providers ---------------------------------------- */

static int host_id(scn *s, const char *name, bool create)
{
	for (int i = 0; i < s->nhosts; i++)
		if (!strcmp(s->hosts[i].name, name))
			return i;
	if (!create)
		return -1;
	s->hosts = xrealloc(s->hosts, (size_t)(s->nhosts + 1) * sizeof *s->hosts);
	host_rec *h = &s->hosts[s->nhosts];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name);
	h->server = -1;
	h->kind = HOST_NXDOMAIN; /* a name nobody answers for: the typo */
	h->ttl = h->neg_ttl = SIM_HOUR;
	return s->nhosts++;
}

static int provider_id(scn *s, const char *name)
{
	for (int i = 0; i < s->c.nproviders; i++)
		if (!strcmp(s->providers[i], name))
			return i;
	s->providers = xrealloc(s->providers, (size_t)(s->c.nproviders + 1) * sizeof *s->providers);
	snprintf(s->providers[s->c.nproviders], sizeof *s->providers, "%s", name); /* name_ok */
	return s->c.nproviders++;
}

static int server_id(const scn *s, const char *name)
{
	for (int i = 0; i < s->c.nservers; i++)
		if (!strcmp(s->c.servers[i].name, name))
			return i;
	return -1;
}

static int domain_id(const scn *s, const char *name)
{
	for (int i = 0; i < s->c.ndomains; i++)
		if (!strcmp(s->domain_names[i], name))
			return i;
	return -1;
}

/* "10 mx.a, 20 mx.b" | none | null | nxdomain */
/* t: the value v trimmed, modified. */
static int records(scn *s, char *t, const char *v, int line, sim_time ttl, sim_time neg, dns_answer *a)
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
			return fail(s, line, "at most %d MX records", DNS_MAX_MX);
		if (end == rr || errno || !host || strtok_r(NULL, " \t", &extra) || pref < 0 || pref > 65535)
			return fail(s, line,
				    "expected MX records like '10 mx1.example, 20 mx2.example' (preference "
				    "0-65535 and host), or none, null, nxdomain; got '%.200s'",
				    v);
		if (!strcmp(host, "."))
			return fail(s, line, "a null MX is written 'null'");
		if (!dns_name_ok(host))
			return fail(s, line, "MX host '%.80s': expected %s", host, DNS_NAME_RULE);
		a->mx[a->n++] = (dns_mx){(uint16_t)pref, (uint32_t)host_id(s, host, true)};
		rr = strtok_r(NULL, ",", &save);
	}
	if (!a->n)
		return fail(s, line, "expected at least one MX record, or none, null, nxdomain");
	return 0;
}

static int p_records(scn *s, const char *v, int line, sim_time ttl, sim_time neg, dns_answer *a)
{
	char *buf = xstrdup(v);
	int rc = records(s, trim(buf), v, line, ttl, neg, a);
	free(buf);
	return rc;
}

/* "name:share, name:share" against a lookup of names */
typedef struct {
	char name[NAME_MAX_LEN + 1];
	double share;
} mix_item;

/* buf: a copy of v, modified. */
static int mix(scn *s, char *buf, const char *v, int line, mix_item *out, int max, int *n)
{
	*n = 0;
	char *save, *it = strtok_r(buf, ",", &save);
	double sum = 0;
	while (it) {
		char *colon = strchr(it, ':');
		char err[UNIT_ERR];
		if (*n == max)
			return fail(s, line, "at most %d profiles in a mix", max);
		double sh = 1;
		if (colon) {
			*colon = '\0';
			if (unit_number(colon + 1, &sh, err) || sh < 0)
				return fail(s, line, "expected 'name:share, ...' with shares >= 0, got '%.200s'", v);
		}
		if (!name_ok(trim(it)))
			return fail(s, line, "profile name '%.80s': expected %s", trim(it), NAME_RULE);
		snprintf(out[*n].name, sizeof out[*n].name, "%s", trim(it));
		out[(*n)++].share = sh;
		sum += sh;
		it = strtok_r(NULL, ",", &save);
	}
	if (!*n || !(sum > 0))
		return fail(s, line, "expected 'name:share, ...' with a positive total, got '%.200s'", v);
	return 0;
}

static int p_mix(scn *s, const char *v, int line, mix_item *out, int max, int *n)
{
	char *buf = xstrdup(v);
	int rc = mix(s, buf, v, line, out, max, n);
	free(buf);
	return rc;
}

/* ---- sections to configuration --------------------------------------- */

static int build_profiles(scn *s)
{
	/* MTA profiles: built-ins, then [profile NAME] sections */
	mdl_config *c = &s->c;
	for (int i = 0; mta_builtin_names[i]; i++) {
		c->profiles = xrealloc(c->profiles, (size_t)(c->nprofiles + 1) * sizeof *c->profiles);
		c->profiles[c->nprofiles++] = *mta_builtin(mta_builtin_names[i]);
	}
	for (int i = 0; i < s->nsec; i++) {
		section *sc = &s->sec[i];
		if (sc->type != SEC_PROFILE)
			continue;
		int line;
		const char *base = VALUE(sc, SEC_PROFILE, "based_on", line);
		const mta_profile *b = NULL;
		for (int k = 0; k < c->nprofiles; k++)
			if (!strcmp(c->profiles[k].name, base))
				b = &c->profiles[k];
		if (!b)
			return fail(s, line, "based_on: unknown MTA profile '%s'", base);
		mta_profile p = *b;
		snprintf(p.name, sizeof p.name, "%s", sc->name);
		static const struct {
			const char *key;
			size_t off;
		} times[] = {{"min_backoff", offsetof(mta_profile, min_backoff)},
			     {"max_backoff", offsetof(mta_profile, max_backoff)},
			     {"queue_run", offsetof(mta_profile, queue_run)},
			     {"lifetime", offsetof(mta_profile, lifetime)},
			     {"connect_timeout", offsetof(mta_profile, connect_timeout)},
			     {"dead_time", offsetof(mta_profile, dead_time)}};
		for (size_t k = 0; k < sizeof times / sizeof *times; k++) {
			if (!*VALUE(sc, SEC_PROFILE, times[k].key, line))
				continue;
			if (p_duration(s, sc, SEC_PROFILE, times[k].key,
				       (sim_time *)((char *)&p + times[k].off)))
				return -1;
		}
		if (p.lifetime <= 0)
			return fail(s, line, "lifetime: must be positive");
		if (*VALUE(sc, SEC_PROFILE, "mx_limit", line)) {
			long v;
			if (p_long(s, sc, SEC_PROFILE, "mx_limit", 1, DNS_MAX_MX, &v))
				return -1;
			p.mx_limit = (int)v;
		}
		bool dup = false;
		for (int k = 0; k < c->nprofiles; k++)
			dup |= !strcmp(c->profiles[k].name, p.name);
		if (dup)
			return fail(s, sc->line, "profile '%s' is already defined", p.name);
		if (c->nprofiles == 255)
			return fail(s, sc->line, "at most 255 MTA profiles");
		c->profiles = xrealloc(c->profiles, (size_t)(c->nprofiles + 1) * sizeof *c->profiles);
		c->profiles[c->nprofiles++] = p;
	}
	/* resolver profiles: [resolver NAME] on top of a built-in */
	for (int i = 0; i < s->nsec; i++) {
		section *sc = &s->sec[i];
		if (sc->type != SEC_RESOLVER)
			continue;
		int line;
		const char *base = VALUE(sc, SEC_RESOLVER, "based_on", line);
		const res_profile *b = res_builtin(base);
		if (!b)
			return fail(s, line, "based_on: unknown resolver profile '%s'", base);
		res_profile p = *b;
		p.name = sc->name;
		static const struct {
			const char *key;
			size_t off;
		} times[] = {{"cap", offsetof(res_profile, cap)},
			     {"floor", offsetof(res_profile, floor)},
			     {"neg_cap", offsetof(res_profile, neg_cap)},
			     {"fixed", offsetof(res_profile, fixed)},
			     {"stale", offsetof(res_profile, stale)}};
		for (size_t k = 0; k < sizeof times / sizeof *times; k++)
			if (*VALUE(sc, SEC_RESOLVER, times[k].key, line) &&
			    p_duration(s, sc, SEC_RESOLVER, times[k].key, (sim_time *)((char *)&p + times[k].off)))
				return -1;
		if (*VALUE(sc, SEC_RESOLVER, "extend", line) &&
		    p_number(s, sc, SEC_RESOLVER, "extend", 0, &p.extend))
			return -1;
		s->res_custom = xrealloc(s->res_custom, (size_t)(s->nres_custom + 1) * sizeof *s->res_custom);
		s->res_custom[s->nres_custom++] = p;
	}
	return 0;
}

static const res_profile *res_by_name(const scn *s, const char *name)
{
	for (int i = 0; i < s->nres_custom; i++)
		if (!strcmp(s->res_custom[i].name, name))
			return &s->res_custom[i];
	return res_builtin(name);
}

static int mta_by_name(const scn *s, const char *name)
{
	for (int i = 0; i < s->c.nprofiles; i++)
		if (!strcmp(s->c.profiles[i].name, name))
			return i;
	return -1;
}

static int build_servers(scn *s)
{
	mdl_config *c = &s->c;
	for (int i = 0; i < s->nsec; i++) {
		section *sc = &s->sec[i];
		if (sc->type != SEC_SERVER)
			continue;
		mdl_server v;
		memset(&v, 0, sizeof v);
		snprintf(v.name, sizeof v.name, "%s", sc->name);
		int line;
		const char *host = VALUE(sc, SEC_SERVER, "host", line);
		int h = host_id(s, *host ? host : sc->name, true);
		if (s->hosts[h].server >= 0)
			return fail(s, line, "host '%s' already belongs to server '%s'", s->hosts[h].name,
				    c->servers[s->hosts[h].server].name);
		const char *prov = VALUE(sc, SEC_SERVER, "provider", line);
		if (*prov && !name_ok(prov))
			return fail(s, line, "provider: '%.80s': expected %s", prov, NAME_RULE);
		v.provider = provider_id(s, *prov ? prov : sc->name);
		const char *kind = VALUE(sc, SEC_SERVER, "kind", line);
		if (strcmp(kind, "final") && strcmp(kind, "backup"))
			return fail(s, line, "kind: expected final or backup, got '%s'", kind);
		v.backup = !strcmp(kind, "backup");
		long n;
		if (p_long(s, sc, SEC_SERVER, "sessions", 1, 10000000, &n))
			return -1;
		v.sessions = (int)n;
		if (p_dist(s, sc, SEC_SERVER, "session_time", UNIT_TIME, &v.session_time) ||
		    p_size(s, sc, SEC_SERVER, "bandwidth", &v.bandwidth) ||
		    (v.bandwidth > 0 && v.bandwidth < 1 &&
		     fail(s, (VALUE(sc, SEC_SERVER, "bandwidth", line), line),
			  "bandwidth: expected 0 (no transfer time) or at least 1 B per second")) ||
		    p_size(s, sc, SEC_SERVER, "size_limit", &v.size_limit) ||
		    p_rate(s, sc, SEC_SERVER, "rate_limit", &v.rate) ||
		    p_number(s, sc, SEC_SERVER, "burst", 0, &v.burst) ||
		    p_duration(s, sc, SEC_SERVER, "greylist", &v.greylist) ||
		    p_duration(s, sc, SEC_SERVER, "mtbf", &v.mtbf) ||
		    p_duration(s, sc, SEC_SERVER, "mttr", &v.mttr))
			return -1;
		if (v.burst == 0)
			v.burst = v.rate * 60 > 1 ? v.rate * 60 : 1;
		if (v.mtbf > 0 && v.mttr <= 0)
			return fail(s, line, "mttr: must be positive when mtbf is set");
		const char *down = VALUE(sc, SEC_SERVER, "down", line);
		if (strcmp(down, "timeout") && strcmp(down, "refuse"))
			return fail(s, line, "down: expected timeout or refuse, got '%s'", down);
		v.down_refuses = !strcmp(down, "refuse");
		const char *rp = VALUE(sc, SEC_SERVER, "relay_profile", line);
		if ((v.relay_profile = mta_by_name(s, rp)) < 0)
			return fail(s, line, "relay_profile: unknown MTA profile '%s'", rp);
		if (p_long(s, sc, SEC_SERVER, "relay_sessions", 1, 1000000, &n))
			return -1;
		v.relay_sessions = (int)n;
		const char *rr = VALUE(sc, SEC_SERVER, "relay_resolver", line);
		if (!res_by_name(s, rr))
			return fail(s, line, "relay_resolver: unknown resolver profile '%s'", rr);
		v.host = h;
		s->hosts[h].server = c->nservers;
		s->hosts[h].kind = HOST_SERVER;
		c->servers = xrealloc(c->servers, (size_t)(c->nservers + 1) * sizeof *c->servers);
		c->servers[c->nservers++] = v;
	}
	for (int i = 0; i < s->nsec; i++) {
		section *sc = &s->sec[i];
		if (sc->type != SEC_HOST)
			continue;
		int line;
		int h = host_id(s, sc->name, true);
		host_rec *hr = &s->hosts[h];
		if (p_duration(s, sc, SEC_HOST, "ttl", &hr->ttl) ||
		    p_duration(s, sc, SEC_HOST, "neg_ttl", &hr->neg_ttl))
			return -1;
		const char *a = VALUE(sc, SEC_HOST, "address", line);
		if (hr->server >= 0) {
			if (*a)
				return fail(s, line, "address: host '%s' is server '%s''s; change it in the timeline",
					    sc->name, c->servers[hr->server].name);
			continue;
		}
		if (!*a)
			return fail(s, sc->line, "[host %s] needs address = refuse | timeout | nxdomain", sc->name);
		if (!strcmp(a, "refuse"))
			hr->kind = HOST_REFUSE;
		else if (!strcmp(a, "timeout"))
			hr->kind = HOST_TIMEOUT;
		else if (!strcmp(a, "nxdomain"))
			hr->kind = HOST_NXDOMAIN;
		else
			return fail(s, line, "address: expected refuse, timeout or nxdomain, got '%s'", a);
	}
	return 0;
}

static void add_domain(scn *s, const char *name, const dns_answer *a, double weight, int self)
{
	mdl_config *c = &s->c;
	int n = c->ndomains + 1;
	if (n > s->dom_cap) {
		s->dom_cap = s->dom_cap ? 2 * s->dom_cap : 16;
		size_t k = (size_t)s->dom_cap;
		s->domain_names = xrealloc(s->domain_names, k * sizeof *s->domain_names);
		c->initial = xrealloc(c->initial, k * sizeof *c->initial);
		c->weight = xrealloc(c->weight, k * sizeof *c->weight);
		c->self_host = xrealloc(c->self_host, k * sizeof *c->self_host);
		c->cutover = xrealloc(c->cutover, k * sizeof *c->cutover);
		c->new_provider = xrealloc(c->new_provider, k * sizeof *c->new_provider);
	}
	s->domain_names[n - 1] = xstrdup(name);
	c->initial[n - 1] = *a;
	c->weight[n - 1] = weight;
	c->self_host[n - 1] = self;
	c->cutover[n - 1] = SIM_NEVER;
	c->new_provider[n - 1] = -1;
	c->ndomains = n;
}

/* The domain's own address host: a keyword makes a host of that kind. */
static int self_host(scn *s, const char *dname, const char *addr, int line)
{
	host_kind k;
	if (!strcmp(addr, "refuse"))
		k = HOST_REFUSE;
	else if (!strcmp(addr, "timeout"))
		k = HOST_TIMEOUT;
	else if (!strcmp(addr, "nxdomain"))
		k = HOST_NXDOMAIN;
	else {
		int h = host_id(s, addr, false);
		if (h < 0)
			return fail(s, line, "address: expected refuse, timeout, nxdomain or a server's host, got '%s'",
				    addr);
		return h;
	}
	char *nm = xasprintf("%s.", dname); /* the apex, apart from MX host names */
	int h = host_id(s, nm, true);
	free(nm);
	s->hosts[h].kind = k;
	return h;
}

static int add_event(scn *s, mdl_event e)
{
	mdl_config *c = &s->c;
	if ((c->nevents & (c->nevents - 1)) == 0) /* at 0 and powers of two */
		c->events = xrealloc(c->events, (size_t)(c->nevents ? 2 * c->nevents : 1) * sizeof *c->events);
	c->events[c->nevents++] = e;
	return 0;
}

static int best_provider(const scn *s, const dns_answer *a)
{
	if (a->kind != DNS_MX)
		return -1;
	int best = -1, pref = 1 << 20;
	for (int i = 0; i < a->n; i++)
		if (a->mx[i].pref < pref) {
			pref = a->mx[i].pref;
			best = (int)a->mx[i].host;
		}
	int sv = s->hosts[best].server;
	return sv >= 0 && !s->c.servers[sv].backup ? s->c.servers[sv].provider : -1;
}

static int build_domains(scn *s)
{
	for (int i = 0; i < s->nsec; i++) {
		section *sc = &s->sec[i];
		if (sc->type != SEC_DOMAIN)
			continue;
		int line;
		sim_time ttl, neg;
		double w;
		if (p_duration(s, sc, SEC_DOMAIN, "mx_ttl", &ttl) ||
		    p_duration(s, sc, SEC_DOMAIN, "neg_ttl", &neg) ||
		    p_number(s, sc, SEC_DOMAIN, "weight", 0, &w))
			return -1;
		const char *mx = VALUE(sc, SEC_DOMAIN, "mx", line);
		if (!mx)
			return fail(s, sc->line, "[domain %s] needs mx = records (or none, null, nxdomain)",
				    sc->name);
		dns_answer a;
		if (p_records(s, mx, line, ttl, neg, &a))
			return -1;
		const char *addr = VALUE(sc, SEC_DOMAIN, "address", line);
		int self = self_host(s, sc->name, addr, line);
		if (self < 0)
			return -1;
		add_domain(s, sc->name, &a, w, self);
	}
	section *sc = single(s, SEC_POPULATION);
	if (!sc)
		return 0;
	long n;
	int line;
	if (p_long(s, sc, SEC_POPULATION, "count", 0, 10000000, &n))
		return -1;
	if (bgt_domain_bytes((double)n) > s->max_memory) {
		char need[32], have[32];
		bgt_format_bytes(bgt_domain_bytes((double)n), need, sizeof need);
		bgt_format_bytes(s->max_memory, have, sizeof have);
		return fail(s, (VALUE(sc, SEC_POPULATION, "count", line), line),
			    "count: %ld domains need %s, more than [run] max_memory = %s", n, need, have);
	}
	dist ttl, neg, weight, cut;
	if (p_dist(s, sc, SEC_POPULATION, "mx_ttl", UNIT_TIME, &ttl) ||
	    p_dist(s, sc, SEC_POPULATION, "neg_ttl", UNIT_TIME, &neg) ||
	    p_dist(s, sc, SEC_POPULATION, "weight", UNIT_NONE, &weight))
		return -1;
	const char *cv = VALUE(sc, SEC_POPULATION, "cutover", line);
	bool never = !strcmp(cv, "never");
	if (!never && p_dist(s, sc, SEC_POPULATION, "cutover", UNIT_TIME, &cut))
		return -1;
	const char *prefix = VALUE(sc, SEC_POPULATION, "prefix", line);
	if (strlen(prefix) > DNS_NAME_MAX - 8 || (*prefix && !dns_name_ok(prefix)))
		return fail(s, line, "prefix: '%.80s': expected %s, at most %d characters", prefix, DNS_NAME_RULE,
			    DNS_NAME_MAX - 8);
	const char *addr = VALUE(sc, SEC_POPULATION, "address", line);
	int mline, cline;
	const char *mx = VALUE(sc, SEC_POPULATION, "mx", mline);
	const char *cmx = VALUE(sc, SEC_POPULATION, "cutover_mx", cline);
	dns_answer a, b;
	if (p_records(s, mx, mline, SIM_HOUR, SIM_HOUR, &a) ||
	    p_records(s, cmx, cline, SIM_HOUR, SIM_HOUR, &b))
		return -1;
	/* the population is part of the scenario: drawn from the run's seed */
	gsl_rng *g = rng_stream(s->seed, 1000);
	int self = -1;
	for (long i = 0; i < n; i++) {
		char *nm = xasprintf("%s%ld", prefix, i + 1);
		sim_time t = sim_from_sec(dist_draw(&ttl, g));
		sim_time ng = sim_from_sec(dist_draw(&neg, g));
		double w = dist_draw(&weight, g);
		a.ttl = a.kind == DNS_MX || a.kind == DNS_NULLMX ? t : ng;
		b.ttl = b.kind == DNS_MX || b.kind == DNS_NULLMX ? t : ng;
		if (strcmp(addr, "refuse") && strcmp(addr, "timeout") && strcmp(addr, "nxdomain"))
			self = self_host(s, nm, addr, line);
		else if (self < 0)
			self = self_host(s, prefix, addr, line); /* one shared apex kind */
		if (self < 0) {
			free(nm);
			gsl_rng_free(g);
			return -1;
		}
		add_domain(s, nm, &a, w, self);
		free(nm);
		if (!never) {
			sim_time at = sim_from_sec(dist_draw(&cut, g));
			if (at < s->c.duration)
				add_event(s, (mdl_event){.at = at, .kind = EV_MX,
							 .domain = s->c.ndomains - 1, .answer = b});
		}
	}
	gsl_rng_free(g);
	dist_clear(&ttl);
	dist_clear(&neg);
	dist_clear(&weight);
	if (!never)
		dist_clear(&cut);
	return 0;
}

static int build_population_of_senders(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = single(s, SEC_SENDERS);
	long n;
	int line;
	if (p_long(s, sc, SEC_SENDERS, "count", 1, 100000000, &n) ||
	    p_number(s, sc, SEC_SENDERS, "zipf", 0, &c->sender_zipf))
		return -1;
	c->nsenders = (int)n;
	mix_item mix[64];
	int nm;
	const char *v = VALUE(sc, SEC_SENDERS, "profiles", line);
	if (p_mix(s, v, line, mix, 64, &nm))
		return -1;
	s->mta_share = xrealloc(NULL, (size_t)c->nprofiles * sizeof *s->mta_share);
	memset(s->mta_share, 0, (size_t)c->nprofiles * sizeof *s->mta_share);
	for (int i = 0; i < nm; i++) {
		int p = mta_by_name(s, mix[i].name);
		if (p < 0) {
			char sg[96];
			const char *names[64];
			for (int k = 0; k < c->nprofiles && k < 64; k++)
				names[k] = c->profiles[k].name;
			return fail(s, line, "profiles: unknown MTA profile '%s'%s", mix[i].name,
				    suggest(mix[i].name, names, c->nprofiles < 64 ? c->nprofiles : 64, sg,
					    sizeof sg));
		}
		s->mta_share[p] += mix[i].share;
	}
	c->profile_share = s->mta_share;

	sc = single(s, SEC_RESOLVERS);
	if (p_long(s, sc, SEC_RESOLVERS, "count", 1, 10000000, &n) ||
	    p_number(s, sc, SEC_RESOLVERS, "zipf", 0, &c->resolver_zipf))
		return -1;
	v = VALUE(sc, SEC_RESOLVERS, "profiles", line);
	if (p_mix(s, v, line, mix, 64, &nm))
		return -1;
	const res_profile *prof[64];
	double share[64];
	for (int i = 0; i < nm; i++) {
		if (!(prof[i] = res_by_name(s, mix[i].name))) {
			char sg[96];
			return fail(s, line, "profiles: unknown resolver profile '%s'%s", mix[i].name,
				    suggest(mix[i].name, (const char *const *)res_builtin_names, 10, sg,
					    sizeof sg));
		}
		share[i] = mix[i].share;
	}
	/* profiles assigned by share, the same for every replication */
	int nbackup = 0;
	for (int i = 0; i < c->nservers; i++)
		nbackup += c->servers[i].backup;
	int total = (int)n + nbackup;
	s->res_mix = xrealloc(NULL, (size_t)total * sizeof *s->res_mix);
	gsl_rng *g = rng_stream(s->seed, 1001);
	gsl_ran_discrete_t *t = gsl_ran_discrete_preproc((size_t)nm, share);
	for (long i = 0; i < n; i++)
		s->res_mix[i] = prof[gsl_ran_discrete(g, t)];
	gsl_ran_discrete_free(t);
	gsl_rng_free(g);
	c->nresolvers = (int)n;
	/* each backup relays through a resolver of its own */
	for (int i = 0; i < c->nservers; i++) {
		if (!c->servers[i].backup)
			continue;
		int rline;
		const section *ss = find_section(s, SEC_SERVER, c->servers[i].name);
		s->res_mix[c->nresolvers] = res_by_name(s, VALUE(ss, SEC_SERVER, "relay_resolver", rline));
		c->servers[i].relay_resolver = c->nresolvers++;
	}
	c->resolver = s->res_mix;
	return 0;
}

static int build_traffic(scn *s)
{
	mdl_config *c = &s->c;
	section *sc = single(s, SEC_TRAFFIC);
	int line;
	if (p_rate(s, sc, SEC_TRAFFIC, "rate", &c->rate) ||
	    p_dist(s, sc, SEC_TRAFFIC, "size", UNIT_SIZE, &c->size))
		return -1;
	const char *pat = VALUE(sc, SEC_TRAFFIC, "pattern", line);
	if (!strcmp(pat, "flat"))
		c->pattern = PATTERN_FLAT;
	else if (!strcmp(pat, "office"))
		c->pattern = PATTERN_OFFICE;
	else if (!strcmp(pat, "table"))
		c->pattern = PATTERN_TABLE;
	else
		return fail(s, line, "pattern: expected flat, office or table, got '%s'", pat);
	if (c->pattern != PATTERN_TABLE)
		return 0;
	int tline;
	const char *tab = VALUE(sc, SEC_TRAFFIC, "table", tline);
	if (!*tab)
		return fail(s, line, "pattern = table needs table = FILE.csv (24 or 168 hourly rates)");
	dist d;
	char err[UNIT_ERR];
	char *spec = xasprintf("empirical(%s)", tab);
	int rc = unit_dist(spec, UNIT_NONE, s->f->dir, &d, err);
	free(spec);
	if (rc)
		return fail(s, tline, "table: %s", err);
	if (d.n != 24 && d.n != 168) {
		dist_clear(&d);
		return fail(s, tline, "table: expected 24 or 168 rows (hourly rates), got %d", d.n);
	}
	double sum = 0;
	for (int h = 0; h < 168; h++)
		sum += c->hourly[h] = d.values[h % d.n];
	dist_clear(&d);
	if (!(sum > 0))
		return fail(s, tline, "table: the rates must not all be 0");
	for (int h = 0; h < 168; h++)
		c->hourly[h] *= 168 / sum;
	return 0;
}

/* A timeline target: a domain name or '*' (every domain). */
static int target(scn *s, const char *name, int line, int *out)
{
	if (!strcmp(name, "*")) {
		*out = -1;
		return 0;
	}
	if ((*out = domain_id(s, name)) < 0)
		return fail(s, line, "unknown domain '%s' (expected a [domain] name or *)", name);
	return 0;
}

/* One timeline line e; buf is a copy of its value, modified. */
static int timeline_line(scn *s, const kv *e, char *buf)
{
	int line = e->line;
	sim_time at;
	char err[UNIT_ERR];
	if (unit_duration(e->key, &at, err))
		return fail(s, line, "timeline key: %s", err);
	if (at > s->c.duration)
		return fail(s, line, "event at %s is after the end of the run", e->key);
	char *save, *act = strtok_r(buf, " \t", &save);
	char *a1 = act ? strtok_r(NULL, " \t", &save) : NULL;
	char *rest = a1 ? trim(save) : NULL;
	if (!act)
		return fail(s, line, "expected an action: mx, ttl, address, accept, reject, down, up, "
				     "outage, dns-down, dns-up");
	mdl_event ev = {.at = at};
	if (!strcmp(act, "mx") || !strcmp(act, "ttl") || !strcmp(act, "dns-down") ||
	    !strcmp(act, "dns-up")) {
		if (!a1)
			return fail(s, line, "%s: expected a domain (or *)", act);
		if (target(s, a1, line, &ev.domain))
			return -1;
		if (!strcmp(act, "mx")) {
			ev.kind = EV_MX;
			if (!rest || !*rest)
				return fail(s, line, "mx: expected 'mx DOMAIN records'");
			int d = ev.domain < 0 ? 0 : ev.domain;
			const dns_answer *cur = &s->c.initial[d];
			sim_time ttl = cur->kind == DNS_MX ? cur->ttl : SIM_HOUR;
			/* the TTL in force then: the latest ttl event before */
			for (int k = 0; k < s->c.nevents; k++)
				if (s->c.events[k].kind == EV_TTL && s->c.events[k].at <= at &&
				    (s->c.events[k].domain == ev.domain || s->c.events[k].domain < 0))
					ttl = s->c.events[k].ttl;
			if (p_records(s, rest, line, ttl, SIM_HOUR, &ev.answer))
				return -1;
			if (ev.answer.kind != DNS_MX) {
				/* a negative answer lives for the domain's neg_ttl */
				const section *ds = find_section(s, SEC_DOMAIN, s->domain_names[d]);
				int nl;
				sim_time neg = SIM_HOUR;
				if (ds)
					unit_duration(VALUE(ds, SEC_DOMAIN, "neg_ttl", nl), &neg, err);
				if (ev.answer.kind != DNS_NULLMX)
					ev.answer.ttl = neg;
			}
		} else if (!strcmp(act, "ttl")) {
			ev.kind = EV_TTL;
			if (!rest || unit_duration(rest, &ev.ttl, err))
				return fail(s, line, "ttl: expected 'ttl DOMAIN duration'");
		} else {
			ev.kind = !strcmp(act, "dns-down") ? EV_DNS_DOWN : EV_DNS_UP;
		}
		add_event(s, ev);
		return 0;
	}
	if (!strcmp(act, "address")) {
		if (!a1 || (ev.host = host_id(s, a1, false)) < 0)
			return fail(s, line, "address: expected an MX host name, got '%s'", a1 ? a1 : "");
		ev.kind = EV_ADDRESS;
		ev.address = (mdl_host){HOST_NXDOMAIN, 0, s->hosts[ev.host].ttl, s->hosts[ev.host].neg_ttl};
		if (!rest || !*rest)
			return fail(s, line, "address: expected 'address HOST refuse|timeout|nxdomain|SERVER'");
		if (!strcmp(rest, "refuse"))
			ev.address.kind = HOST_REFUSE;
		else if (!strcmp(rest, "timeout"))
			ev.address.kind = HOST_TIMEOUT;
		else if (strcmp(rest, "nxdomain")) {
			if ((ev.address.server = server_id(s, rest)) < 0)
				return fail(s, line, "address: expected refuse, timeout, nxdomain or a [server] "
						     "name, got '%s'", rest);
			ev.address.kind = HOST_SERVER;
		}
		add_event(s, ev);
		return 0;
	}
	if (!strcmp(act, "accept") || !strcmp(act, "reject") || !strcmp(act, "down") ||
	    !strcmp(act, "up") || !strcmp(act, "outage")) {
		if (!a1 || (ev.server = server_id(s, a1)) < 0)
			return fail(s, line, "%s: expected a [server] name, got '%s'", act, a1 ? a1 : "");
		if (!strcmp(act, "accept") || !strcmp(act, "reject")) {
			ev.kind = !strcmp(act, "accept") ? EV_ACCEPT : EV_REJECT;
			if (!rest || !*rest)
				return fail(s, line, "%s: expected '%s SERVER DOMAIN' (or *)", act, act);
			if (target(s, rest, line, &ev.domain))
				return -1;
		} else if (!strcmp(act, "outage")) {
			sim_time d;
			if (!rest || unit_duration(rest, &d, err))
				return fail(s, line, "outage: expected 'outage SERVER duration'");
			ev.kind = EV_DOWN;
			add_event(s, ev);
			ev.kind = EV_UP;
			ev.at = at + d;
			if (ev.at >= s->c.duration)
				return 0;
		} else {
			ev.kind = !strcmp(act, "down") ? EV_DOWN : EV_UP;
		}
		add_event(s, ev);
		return 0;
	}
	static const char *const acts[] = {"mx",   "ttl",    "accept",   "reject", "down",
					   "up",   "outage", "dns-down", "dns-up", "address"};
	char sg[96];
	return fail(s, line,
		    "unknown action '%s'%s; expected mx, ttl, address, accept, reject, down, up, "
		    "outage, dns-down, dns-up",
		    act, suggest(act, acts, 10, sg, sizeof sg));
}

static int build_timeline(scn *s)
{
	section *sc = single(s, SEC_TIMELINE);
	for (int i = 0; sc && i < sc->n; i++) {
		char *buf = xstrdup(sc->kv[i].value);
		int rc = timeline_line(s, &sc->kv[i], buf);
		free(buf);
		if (rc)
			return -1;
	}
	return 0;
}

/* [run] max_memory (a size, or a share of this machine's memory) and
 * max_events. */
static int p_limits(scn *s, const section *run)
{
	int line;
	const char *v = VALUE(run, SEC_RUN, "max_memory", line);
	char err[UNIT_ERR], *end;
	double share = strtod(v, &end);
	if (end != v && *trim(end) == '%') {
		double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
		if (!(share > 0 && share <= 100) || *trim(end + 1))
			return fail(s, line, "max_memory: expected a size (8GB) or a share of memory above 0%% "
					     "and at most 100%%, got '%s'",
				    v);
		s->max_memory = phys * share / 100;
	} else if (unit_size(v, &s->max_memory, err)) {
		return fail(s, line, "max_memory: %s", err);
	}
	double ev;
	if (p_number(s, run, SEC_RUN, "max_events", 1, &ev))
		return -1;
	s->c.max_events = ev >= 1.8e19 ? 0 : (uint64_t)ev;
	return 0;
}

/* The line of the key that makes a run big, and its name. */
static int driver_line(const scn *s, bgt_driver d, int server, const char **key)
{
	static const struct {
		sec_type t;
		const char *key;
	} where[] = {{SEC_TRAFFIC, "rate"},	{SEC_SENDERS, "count"}, {SEC_RESOLVERS, "count"},
		     {SEC_POPULATION, "count"}, {SEC_RUN, "bucket"},	{SEC_SERVER, "mtbf"}};
	const section *sc = d == BGT_OUTAGES ? find_section((scn *)s, SEC_SERVER, s->c.servers[server].name)
					     : single((scn *)s, where[d].t);
	int line;
	*key = where[d].key;
	get(sc, where[d].t, where[d].key, &line);
	return line;
}

/* Refuses a run that cannot fit its memory or work limit. */
static int check_budget(scn *s)
{
	bgt_estimate e;
	bgt_estimate_run(&s->c, &e);
	const char *key;
	char need[32], have[32];
	if (e.bytes > s->max_memory) {
		bgt_format_bytes(e.bytes, need, sizeof need);
		bgt_format_bytes(s->max_memory, have, sizeof have);
		int line = driver_line(s, e.bytes_by, 0, &key);
		return fail(s, line,
			    "%s: one run needs up to %s (%.3g messages, all counted as queued at once), more "
			    "than [run] max_memory = %s; make the run smaller or raise max_memory",
			    key, need, e.messages, have);
	}
	if (s->c.max_events && e.events > (double)s->c.max_events) {
		int line = driver_line(s, e.events_by, e.outage_server, &key);
		return fail(s, line,
			    "%s: one run needs about %.3g events, more than [run] max_events = %llu; make the "
			    "run smaller or raise max_events",
			    key, e.events, (unsigned long long)s->c.max_events);
	}
	return 0;
}

static int build(scn *s)
{
	mdl_config *c = &s->c;
	section *run = single(s, SEC_RUN);
	int line;
	long reps;
	const char *nm = VALUE(run, SEC_RUN, "name", line);
	snprintf(s->name, sizeof s->name, "%s", *nm ? nm : s->f->base); /* checked below */
	if (!name_ok(*nm ? nm : s->f->base))
		return fail(s, line, "name: '%.80s': expected %s%s", *nm ? nm : s->f->base, NAME_RULE,
			    *nm ? "" : " (the file's name is the default; set [run] name)");
	if (p_duration(s, run, SEC_RUN, "duration", &c->duration) ||
	    p_duration(s, run, SEC_RUN, "bucket", &c->bucket) ||
	    p_long(s, run, SEC_RUN, "replications", 1, 100000, &reps))
		return -1;
	s->reps = (unsigned)reps;
	const char *sd = VALUE(run, SEC_RUN, "seed", line);
	char *end;
	errno = 0;
	s->seed = strtoull(sd, &end, 10);
	if (end == sd || *trim(end) || errno || strchr(sd, '-'))
		return fail(s, line, "seed: expected a whole number >= 0, got '%s'", sd);
	if (c->duration <= 0)
		return fail(s, line, "duration: must be positive");
	if (p_limits(s, run))
		return -1;
	if (c->bucket <= 0 || c->duration / c->bucket > 1000000)
		return fail(s, line, "bucket: must be positive and at most a million per run");
	if (build_profiles(s) || build_servers(s) || build_domains(s) || build_population_of_senders(s) ||
	    build_traffic(s) || build_timeline(s))
		return -1;
	if (!c->ndomains)
		return fail(s, 0, "no domain: add a [domain NAME] section or a [population]");
	if (!c->nservers)
		return fail(s, 0, "no server: add a [server NAME] section");
	double wsum = 0;
	for (int i = 0; i < c->ndomains; i++)
		wsum += c->weight[i];
	if (!(wsum > 0))
		return fail(s, 0, "the domains' weights must not all be 0");
	/* hosts and acceptance */
	c->nhosts = s->nhosts;
	c->hosts = xrealloc(NULL, (size_t)s->nhosts * sizeof *c->hosts);
	for (int i = 0; i < s->nhosts; i++)
		c->hosts[i] = (mdl_host){s->hosts[i].kind, s->hosts[i].server < 0 ? 0 : s->hosts[i].server,
					 s->hosts[i].ttl, s->hosts[i].neg_ttl};
	c->accepts = xrealloc(NULL, (size_t)c->nservers * (size_t)c->ndomains * sizeof *c->accepts);
	for (int i = 0; i < c->nservers; i++) {
		const section *ss = find_section(s, SEC_SERVER, c->servers[i].name);
		const char *acc = VALUE(ss, SEC_SERVER, "accepts", line);
		bool all = !strcmp(acc, "all"), none = !strcmp(acc, "none");
		for (int d = 0; d < c->ndomains; d++)
			c->accepts[(size_t)i * (size_t)c->ndomains + (size_t)d] = all;
		if (all || none)
			continue;
		char *buf = xstrdup(acc), *save, *tok = strtok_r(buf, ", \t", &save);
		for (; tok; tok = strtok_r(NULL, ", \t", &save)) {
			int d = domain_id(s, tok);
			if (d < 0)
				break;
			c->accepts[(size_t)i * (size_t)c->ndomains + (size_t)d] = true;
		}
		if (tok)
			fail(s, line, "accepts: expected all, none or domain names; unknown '%.80s'", tok);
		free(buf);
		if (tok)
			return -1;
	}
	return 0;
}

/* ---- public ----------------------------------------------------------- */

int scn_load(const char *path, char *const *sets, int nsets, scn_file **out, char *err)
{
	char ferr[INFILE_ERR];
	FILE *fp = infile_open(path, SCN_MAX_BYTES, ferr);
	if (!fp) {
		snprintf(err, SCN_ERR, "%s", ferr);
		return -1;
	}
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char buf[65536];
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			text = xrealloc(text, cap);
		}
		memcpy(text + len, buf, n);
		len += n;
	}
	bool bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(text);
		snprintf(err, SCN_ERR, "%.300s: read error: %s", path, strerror(errno));
		return -1;
	}
	text = xrealloc(text, len + 2);
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, SCN_ERR, "%.300s: not a text file", path);
		return -1;
	}
	scn_file *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	char *p1 = xstrdup(path), *p2 = xstrdup(path);
	f->dir = xstrdup(dirname(p1));
	char *b = basename(p2);
	char *dot = strrchr(b, '.');
	if (dot && dot != b)
		*dot = '\0';
	f->base = xstrdup(b);
	free(p1);
	free(p2);
	/* the file, then each override as "[section]\nkey = value" */
	if (len && text[len - 1] != '\n')
		text[len++] = '\n', text[len] = '\0';
	f->file_lines = 0;
	for (size_t i = 0; i < len; i++)
		f->file_lines += text[i] == '\n';
	for (int i = 0; i < nsets; i++) {
		const char *eq = strchr(sets[i], '=');
		const char *dotp = NULL;
		for (const char *q = sets[i]; eq && q < eq; q++)
			if (*q == '.')
				dotp = q;
		if (!eq || !dotp || dotp == sets[i]) {
			snprintf(err, SCN_ERR, "--set %.200s: expected section.key=value", sets[i]);
			free(text);
			scn_file_free(f);
			return -1;
		}
		size_t add = strlen(sets[i]) + 8;
		text = xrealloc(text, len + add + 1);
		len += (size_t)sprintf(text + len, "[%.*s]\n%.*s = %s\n", (int)(dotp - sets[i]), sets[i],
				       (int)(eq - dotp - 1), dotp + 1, eq + 1);
	}
	f->text = text;
	f->sets = sets;
	f->nsets = nsets;
	char serr[STUDY_ERR];
	if (study_parse(text, &f->st, serr)) {
		/* "line N: ..." */
		int line = 0;
		sscanf(serr, "line %d", &line);
		const char *msg = strchr(serr, ':');
		if (line > f->file_lines)
			snprintf(err, SCN_ERR, "--set %.200s%.200s", sets[(line - f->file_lines - 1) / 2],
				 msg ? msg : serr);
		else
			snprintf(err, SCN_ERR, "%.300s:%d%.200s", path, line, msg ? msg : serr);
		scn_file_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void scn_file_free(scn_file *f)
{
	if (!f)
		return;
	study_free(&f->st);
	free(f->path);
	free(f->dir);
	free(f->base);
	free(f->text);
	free(f);
}

const char *scn_file_path(const scn_file *f)
{
	return f->path;
}

const study *scn_file_study(const scn_file *f)
{
	return &f->st;
}

/* Sorts events by time, equal times in file order (qsort on an index). */
typedef struct {
	sim_time at;
	int i;
} ev_key;

static int cmp_ev(const void *a, const void *b)
{
	const ev_key *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static void sort_events(mdl_config *c)
{
	int n = c->nevents;
	ev_key *k = xrealloc(NULL, (size_t)n * sizeof *k);
	mdl_event *sorted = xrealloc(NULL, (size_t)n * sizeof *sorted);
	for (int i = 0; i < n; i++)
		k[i] = (ev_key){c->events[i].at, i};
	qsort(k, (size_t)n, sizeof *k, cmp_ev);
	for (int i = 0; i < n; i++)
		sorted[i] = c->events[k[i].i];
	free(c->events);
	free(k);
	c->events = sorted;
}

/* A domain's cutover is its first MX change; the provider it moves to is
 * that of the best MX host of its last one (a typo fixed later counts the
 * provider fixed to). */
static void mark_cutovers(scn *s)
{
	mdl_config *c = &s->c;
	for (int i = 0; i < c->nevents; i++) {
		const mdl_event *e = &c->events[i];
		if (e->kind != EV_MX)
			continue;
		int p = best_provider(s, &e->answer);
		for (int d = e->domain < 0 ? 0 : e->domain; d < c->ndomains; d++) {
			if (c->cutover[d] == SIM_NEVER)
				c->cutover[d] = e->at;
			c->new_provider[d] = p;
			if (e->domain >= 0)
				break;
		}
	}
}

int scn_point(const scn_file *f, long p, scn **out, char *err)
{
	scn *s = xcalloc(1, sizeof *s);
	s->f = f;
	s->err = err;
	char *text = study_expand(&f->st, f->text, p, NULL);
	reader r = {text, 0, 0, false, NULL};
	parse_ctx pc = {s, &r};
	ini_allow_multiline = false;
	ini_stop_on_first_error = true;
	ini_use_stack = false;
	ini_allow_realloc = false;
	ini_initial_alloc = 16384;
	ini_max_line = 16384;
	int rc = ini_parse_stream(read_line, &r, handler, &pc);
	free(text);
	free(r.section);
	if (rc > 0 && !s->err_line)
		fail(s, rc, "expected [section], key = value, or a ; comment");
	if (rc < 0)
		fail(s, 0, "out of memory while parsing");
	if (!s->err_line && build(s) == 0 && check_budget(s) == 0) {
		/* timeline events in time order; equal times keep file order */
		sort_events(&s->c);
		mark_cutovers(s);
		*out = s;
		return 0;
	}
	scn_free(s);
	return -1;
}

void scn_free(scn *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nsec; i++) {
		for (int k = 0; k < s->sec[i].n; k++) {
			free(s->sec[i].kv[k].key);
			free(s->sec[i].kv[k].value);
		}
		free(s->sec[i].kv);
		free(s->sec[i].name);
	}
	free(s->sec);
	mdl_config *c = &s->c;
	for (int i = 0; i < c->nservers; i++)
		dist_clear(&c->servers[i].session_time);
	dist_clear(&c->size);
	free(c->initial);
	free(c->weight);
	free(c->self_host);
	free(c->cutover);
	free(c->new_provider);
	free(c->hosts);
	free(c->servers);
	free(c->accepts);
	free(c->profiles);
	free(c->events);
	for (int i = 0; i < c->ndomains; i++)
		free(s->domain_names[i]);
	free(s->domain_names);
	for (int i = 0; i < s->nhosts; i++)
		free(s->hosts[i].name);
	free(s->hosts);
	free(s->providers);
	free(s->res_custom);
	free(s->res_mix);
	free(s->mta_share);
	free(s);
}

uint64_t scn_seed(const scn *s, unsigned r)
{
	return rng_replication_seed(s->seed, r);
}

const mdl_config *scn_config(scn *s, unsigned r)
{
	s->c.seed = scn_seed(s, r);
	return &s->c;
}

double scn_max_memory(const scn *s)
{
	return s->max_memory;
}

unsigned scn_replications(const scn *s)
{
	return s->reps;
}



const char *scn_name(const scn *s)
{
	return s->name;
}

const char *scn_server_name(const scn *s, int i)
{
	return s->c.servers[i].name;
}

const char *scn_provider_name(const scn *s, int i)
{
	return s->providers[i];
}

/* Line n (1-based) of the scenario's text, with study lists intact. */
static void src_line(const scn_file *f, int n, char *buf, size_t len)
{
	const char *p = f->text;
	for (int i = 1; i < n && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p) {
		buf[0] = '\0';
		return;
	}
	const char *e = strchr(p, '\n');
	snprintf(buf, len, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	char *t = trim(buf);
	memmove(buf, t, strlen(t) + 1);
}

void scn_cutover(const scn *s, sim_time *at, sim_time *ttl, const char **provider)
{
	const mdl_config *c = &s->c;
	int d = -1;
	for (int i = 0; i < c->ndomains; i++)
		if (c->cutover[i] != SIM_NEVER && (d < 0 || c->cutover[i] < c->cutover[d]))
			d = i;
	*at = d < 0 ? SIM_NEVER : c->cutover[d];
	*ttl = d < 0 ? 0 : c->initial[d].ttl;
	*provider = d >= 0 && c->new_provider[d] >= 0 ? s->providers[c->new_provider[d]] : NULL;
	for (int i = 0; d >= 0 && i < c->nevents; i++) {
		const mdl_event *e = &c->events[i];
		if (e->at <= *at && e->kind == EV_TTL && (e->domain == d || e->domain < 0))
			*ttl = e->ttl;
	}
}

void scn_write(const scn *s, FILE *out)
{
	/* the file's description: its leading comment lines */
	for (const char *p = s->f->text; *p == ';' || *p == '#';) {
		const char *e = strchr(p, '\n');
		fprintf(out, "%.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		if (!e)
			break;
		p = e + 1;
	}
	fprintf(out, "; resolved scenario: every key, given (study lists kept) or default\n");
	char line[16384];
	for (int t = 0; t < SEC_N; t++) {
		for (int i = 0; i < (sections[t].named ? s->nsec : 1); i++) {
			const section *sc;
			if (sections[t].named) {
				if (s->sec[i].type != (sec_type)t)
					continue;
				sc = &s->sec[i];
				fprintf(out, "\n[%s %s]\n", sections[t].name, sc->name);
			} else {
				sc = single((scn *)s, (sec_type)t);
				if ((t == SEC_POPULATION || t == SEC_TIMELINE) && !sc)
					continue;
				fprintf(out, "\n[%s]\n", sections[t].name);
			}
			if (t == SEC_TIMELINE) {
				for (int k = 0; k < sc->n; k++) {
					src_line(s->f, sc->kv[k].line, line, sizeof line);
					fprintf(out, "%s\n", line);
				}
				continue;
			}
			for (const keydef *k = sections[t].keys; k->key; k++) {
				const kv *given = NULL;
				for (int j = 0; sc && j < sc->n; j++)
					if (!strcmp(sc->kv[j].key, k->key))
						given = &sc->kv[j];
				if (given) {
					src_line(s->f, given->line, line, sizeof line);
					fprintf(out, "%s\n", line);
				} else if (k->def) {
					/* derived defaults: the names they stand for */
					const char *v = k->def;
					if (t == SEC_RUN && !strcmp(k->key, "name"))
						v = s->name;
					else if (t == SEC_SERVER && !*v &&
						 (!strcmp(k->key, "host") || !strcmp(k->key, "provider")))
						v = sc->name;
					fprintf(out, "%s = %s\n", k->key, v);
				}
			}
		}
	}
}
