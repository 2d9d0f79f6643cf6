/*
 * dangling.c - MX targets anyone could register (see dangling.h). One
 * NS query per registrable domain (each asked once), two seconds and one
 * retry at most each; an answer other than NXDOMAIN, or none, is no
 * finding. The query is the one place mxsim reaches the network, and only
 * `mxsim zone` without --offline does.
 */
#include "dangling.h"
#include "../sim/xalloc.h"

#include <ldns/ldns.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ASKED_MAX = 64 };

static ldns_resolver *resolver_of(const char *spec)
{
	ldns_resolver *r = NULL;
	if (!spec) {
		if (ldns_resolver_new_frm_file(&r, NULL) != LDNS_STATUS_OK)
			return NULL;
	} else {
		char *addr = xstrdup(spec), *at = strchr(addr, '@');
		long port = at ? strtol(at + 1, NULL, 10) : 53;
		if (at)
			*at = '\0';
		ldns_rdf *a = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr);
		if (!a)
			a = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, addr);
		free(addr);
		if (!a || port < 1 || port > 65535) {
			ldns_rdf_deep_free(a);
			return NULL;
		}
		r = ldns_resolver_new();
		ldns_resolver_push_nameserver(r, a);
		ldns_rdf_deep_free(a);
		ldns_resolver_set_port(r, (uint16_t)port);
	}
	ldns_resolver_set_timeout(r, (struct timeval){2, 0});
	ldns_resolver_set_retry(r, 1);
	ldns_resolver_set_recursive(r, true);
	return r;
}

/* 1: name does not exist, 0: it does, -1: no answer. */
static int nxdomain(ldns_resolver *r, const char *name)
{
	char *fq = xasprintf("%s.", name);
	ldns_rdf *d = ldns_dname_new_frm_str(fq);
	free(fq);
	if (!d)
		return -1;
	ldns_pkt *p = ldns_resolver_query(r, d, LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_rdf_deep_free(d);
	if (!p)
		return -1;
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(p);
	ldns_pkt_free(p);
	return rc == LDNS_RCODE_NXDOMAIN ? 1 : rc == LDNS_RCODE_NOERROR ? 0 : -1;
}

/* Whether z has a finding about domain di's record k already. */
static bool found(const zf_zone *z, int di, int k)
{
	for (int i = 0; i < z->nfind; i++)
		if (z->finding[i].dom == di && z->finding[i].mx == k)
			return true;
	return false;
}

int dg_check(zf_zone *z, const char *spec)
{
	ldns_resolver *r = resolver_of(spec);
	if (!r) {
		fprintf(stderr, "mxsim: zone: --resolver: %s: expected ADDRESS or ADDRESS@PORT\n",
			spec ? spec : "(resolv.conf)");
		return -1;
	}
	psl_ctx_t *psl = psl_latest(NULL);
	const char *asked[ASKED_MAX];
	int verdict[ASKED_MAX], nasked = 0, silent = 0;
	for (int di = 0; di < z->ndom; di++)
		for (int k = 0; k < z->dom[di].nmx; k++) {
			const zf_mx *m = &z->dom[di].mx[k];
			const char *reg = psl ? psl_registrable_domain(psl, m->target) : NULL;
			if (!reg || !strcmp(m->target, ".") || found(z, di, k) ||
			    (z->origin && zf_under(m->target, z->origin)))
				continue;
			int i = 0;
			while (i < nasked && strcmp(asked[i], reg))
				i++;
			if (i == nasked && nasked < ASKED_MAX) {
				asked[nasked] = reg, verdict[nasked++] = nxdomain(r, reg);
				silent += verdict[i] < 0;
			}
			if (i < nasked && verdict[i] == 1)
				zf_add_finding(z, ZF_DANGLING, di, k, m->line,
					       "%s: MX %u %s: %s does not exist, so anyone could "
					       "register it and take this mail",
					       z->dom[di].name, m->pref, m->target, reg);
		}
	psl_free(psl);
	ldns_resolver_deep_free(r);
	return silent;
}
