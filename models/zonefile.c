/*
 * zonefile.c - master files read with ldns and the MX sets checked (see
 * zonefile.h). ldns reads a record at a time (ldns_rr_new_frm_fp_l),
 * following $ORIGIN and $TTL; a record's line is the last it spans.
 */
#include "zonefile.h"
#include "../sim/names.h"
#include "../sim/xalloc.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAME_MAX_DNS = 253 };

/* A domain name as kept: lower case, no trailing dot ("." the root);
 * allocated. */
static char *dname(const ldns_rdf *r)
{
	char *s = ldns_rdf2str(r), *out;
	size_t n = s ? strlen(s) : 0;
	if (n > 1 && s[n - 1] == '.')
		s[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	out = xstrdup(s ? s : "");
	free(s);
	return out;
}

void zf_add_finding(zf_zone *z, zf_kind kind, int dom, int mx, int line, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	z->finding = xrealloc(z->finding, (size_t)(z->nfind + 1) * sizeof *z->finding);
	z->finding[z->nfind++] =
		(zf_finding){kind, dom, mx, xasprintf("%s:%d: warning: %s", z->path, line, what)};
}

const zf_domain *zf_domain_of(const zf_zone *z, const char *name)
{
	for (int i = 0; i < z->ndom; i++)
		if (!strcmp(z->dom[i].name, name))
			return &z->dom[i];
	return NULL;
}

/* An MX record of owner into its domain's set. */
static void add_mx(zf_zone *z, char *owner, const ldns_rr *rr, int line)
{
	zf_domain *d = (zf_domain *)zf_domain_of(z, owner);
	if (!d) {
		z->dom = xrealloc(z->dom, (size_t)(z->ndom + 1) * sizeof *z->dom);
		d = &z->dom[z->ndom++];
		*d = (zf_domain){.name = owner, .line = line, .mx_ttl = ldns_rr_ttl(rr)};
	} else {
		free(owner);
	}
	int di = (int)(d - z->dom);
	if (d->nmx == ZF_MAX_MX) {
		zf_add_finding(z, ZF_OTHER, di, -1, line,
			       "%s: more than %d MX records; the rest are not read", d->name,
			       ZF_MAX_MX);
		return;
	}
	char *t = dname(ldns_rr_rdf(rr, 1));
	if (!*t || (strcmp(t, ".") && !name_ok_len(t, NAME_MAX_DNS))) {
		zf_add_finding(z, ZF_OTHER, di, -1, line,
			       "%s: an MX target mxsim cannot name ('%.60s'); not read", d->name,
			       t);
		free(t);
		return;
	}
	long ttl = (long)ldns_rr_ttl(rr);
	if (ttl != d->mx_ttl)
		zf_add_finding(z, ZF_OTHER, di, -1, line,
			       "%s: the MX records' TTLs differ (%ld s and %ld s); resolvers "
			       "keep the set for the least (RFC 2181 §5.2)",
			       d->name, d->mx_ttl, ttl);
	d->mx_ttl = ttl < d->mx_ttl ? ttl : d->mx_ttl;
	d->mx[d->nmx++] = (zf_mx){ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)), t, line};
}

/* One record: MX sets, the SOA's negative TTL, the owners of addresses
 * and aliases (what the checks need). */
static void add_record(zf_zone *z, const ldns_rr *rr, int line)
{
	ldns_rr_type t = ldns_rr_get_type(rr);
	char *owner = dname(ldns_rr_owner(rr));
	if (!name_ok_len(owner, NAME_MAX_DNS)) {
		if (t == LDNS_RR_TYPE_MX)
			zf_add_finding(
				z, ZF_OTHER, -1, -1, line,
				"an MX record of a name mxsim cannot take ('%.60s'); not read",
				owner);
		free(owner);
		return;
	}
	if (t == LDNS_RR_TYPE_MX && ldns_rr_rd_count(rr) == 2) {
		add_mx(z, owner, rr, line);
		return;
	}
	if (t == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) == 7) {
		long min = (long)ldns_rdf2native_int32(ldns_rr_rdf(rr, 6)), ttl = ldns_rr_ttl(rr);
		z->neg_ttl = min < ttl ? min : ttl;
		if (!z->origin)
			z->origin = xstrdup(owner);
	}
	if (t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA && t != LDNS_RR_TYPE_CNAME) {
		free(owner);
		return;
	}
	z->own = xrealloc(z->own, (size_t)(z->nown + 1) * sizeof *z->own);
	z->own[z->nown++] = (zf_owner){owner, t == LDNS_RR_TYPE_CNAME ? ZF_CNAME : ZF_ADDR};
}

int zf_read(const char *path, const char *text, size_t len, zf_zone *z, char *err)
{
	*z = (zf_zone){.path = xstrdup(path), .neg_ttl = -1};
	FILE *fp = len ? fmemopen((void *)text, len, "r") : NULL;
	if (!fp) {
		snprintf(err, ZF_ERR, "%s: no records", path);
		return -1;
	}
	uint32_t ttl = 3600;
	ldns_rdf *origin = NULL, *prev = NULL;
	int line = 1, rc = 0;
	while (!feof(fp)) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin, &prev, &line);
		if (st == LDNS_STATUS_OK)
			add_record(z, rr, line - 1), z->nrecords++;
		ldns_rr_free(rr);
		if (st == LDNS_STATUS_OK || st == LDNS_STATUS_SYNTAX_EMPTY ||
		    st == LDNS_STATUS_SYNTAX_TTL || st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		snprintf(err, ZF_ERR, "%s:%d: %s", path, line > 1 ? line - 1 : 1,
			 st == LDNS_STATUS_SYNTAX_INCLUDE ? "$INCLUDE is not followed: give "
							    "each file on the command line"
							  : ldns_get_errorstr_by_id(st));
		rc = -1;
		break;
	}
	fclose(fp);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (rc == 0 && !z->nrecords) {
		snprintf(err, ZF_ERR, "%s: no records", path);
		rc = -1;
	}
	return rc;
}

/* Whether t is an address where a host name belongs: IPv4's four labels
 * of 0 to 255 first (written with or without the trailing dot). */
static bool address_like(const char *t)
{
	int a[4], n = 0;
	if (sscanf(t, "%3d.%3d.%3d.%3d%n", &a[0], &a[1], &a[2], &a[3], &n) != 4 ||
	    (t[n] && t[n] != '.'))
		return false;
	for (int i = 0; i < 4; i++)
		if (a[i] < 0 || a[i] > 255)
			return false;
	return true;
}

bool zf_under(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n == k ? !strcmp(name, suffix)
		      : n > k && name[n - k - 1] == '.' && !strcmp(name + n - k, suffix);
}

/* Whether z has a record of this kind owned by name. */
static bool has(const zf_zone *z, const char *name, int kind)
{
	for (int i = 0; i < z->nown; i++)
		if ((int)z->own[i].kind == kind && !strcmp(z->own[i].name, name))
			return true;
	return false;
}

/* The finding of one MX target, if any. */
static void check_target(zf_zone *z, int di, int k)
{
	const zf_domain *d = &z->dom[di];
	const zf_mx *m = &d->mx[k];
	char twice[2 * NAME_MAX_DNS + 2] = "";
	if (z->origin)
		snprintf(twice, sizeof twice, "%s.%s", z->origin, z->origin);
	if (address_like(m->target))
		zf_add_finding(z, ZF_ADDRESS, di, k, m->line,
			       "%s: MX %u %s is an address; an MX record names a host, and "
			       "senders look the name up (RFC 5321 §5.1): mail to %s fails",
			       d->name, m->pref, m->target, d->name);
	else if (*twice && zf_under(m->target, twice))
		zf_add_finding(z, ZF_TWICE, di, k, m->line,
			       "%s: MX %u %s holds the origin twice: a name relative to the "
			       "origin where a trailing dot was meant",
			       d->name, m->pref, m->target);
	else if (has(z, m->target, ZF_CNAME))
		zf_add_finding(z, ZF_ALIAS, di, k, m->line,
			       "%s: MX %u %s is an alias (CNAME); RFC 2181 §10.3 forbids it "
			       "and some senders refuse it",
			       d->name, m->pref, m->target);
	else if (z->origin && zf_under(m->target, z->origin) && !has(z, m->target, ZF_ADDR))
		zf_add_finding(z, ZF_NOADDR, di, k, m->line,
			       "%s: MX %u %s has no address record (A or AAAA) in the zone",
			       d->name, m->pref, m->target);
}

void zf_check(zf_zone *z)
{
	for (int i = 0; i < z->ndom; i++) {
		const zf_domain *d = &z->dom[i];
		bool null = false;
		for (int k = 0; k < d->nmx; k++) {
			if (!strcmp(d->mx[k].target, "."))
				null = true;
			else
				check_target(z, i, k);
		}
		if (null && d->nmx > 1)
			zf_add_finding(z, ZF_NULLMX, i, -1, d->line,
				       "%s: a null MX (RFC 7505) beside other MX records, which "
				       "RFC 7505 §3 forbids",
				       d->name);
	}
}

void zf_compare(const zf_zone *before, zf_zone *after)
{
	for (int i = 0; i < after->ndom; i++) {
		const zf_domain *a = &after->dom[i], *b = zf_domain_of(before, a->name);
		if (b && a->mx_ttl > b->mx_ttl)
			zf_add_finding(after, ZF_TTL, i, -1, a->line,
				       "%s: the change raises the MX TTL from %ld s to %ld s: "
				       "the new records, right or wrong, stay in caches that long",
				       a->name, b->mx_ttl, a->mx_ttl);
	}
}

void zf_free(zf_zone *z)
{
	for (int i = 0; i < z->ndom; i++) {
		free(z->dom[i].name);
		for (int k = 0; k < z->dom[i].nmx; k++)
			free(z->dom[i].mx[k].target);
	}
	for (int i = 0; i < z->nown; i++)
		free(z->own[i].name);
	for (int i = 0; i < z->nfind; i++)
		free(z->finding[i].text);
	free(z->dom);
	free(z->own);
	free(z->finding);
	free(z->path);
	free(z->origin);
	*z = (zf_zone){0};
}
