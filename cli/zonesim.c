/*
 * zonesim.c - each MX mistake's cost (see zonesim.h). The mistake's
 * domain gets a scenario: an hour of mail at the rate given, then an hour
 * to drain, cold caches, the default senders and resolvers (1000 MTAs of
 * the default mix behind 100 resolvers), RUNS runs. Every target of the
 * set is a working server but the mistaken one, which senders see as:
 *
 *   an address      a name that does not resolve: so Exim sees it at its
 *                   default allow_mx_to_ip = false; Postfix takes the
 *                   address (src/smtp/smtp_addr.c, smtp_addr_one), so for
 *                   its senders this overstates the cost
 *   origin twice,
 *   no address,
 *   dangling        a name that does not resolve (a dangling one: until
 *                   someone registers it)
 *   a CNAME         the host it names: resolvers follow the alias, and
 *                   Postfix and Exim take the answer
 *   a null MX       a null MX alone: Postfix ends the lookup at a null MX
 *                   in the reply (src/dns/dns_lookup.c, DNS_NULLMX)
 *
 * A raised TTL costs nothing by itself (it keeps a wrong record longer).
 */
#include "zonesim.h"
#include "../models/metrics.h"
#include "../models/run.h"
#include "../models/scenario/scenario.h"
#include "../sim/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { RUNS = 5 };

typedef struct {
	double bounced, delayed, submitted; /* means over the runs */
} cost;

/* Appends to *buf (size *cap, length *n) as printf. */
static void add(char **buf, size_t *n, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char **buf, size_t *n, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (*n + (size_t)k + 1 > *cap)
		*buf = xrealloc(*buf, *cap = 2 * (*n + (size_t)k + 1));
	va_start(ap, fmt);
	vsnprintf(*buf + *n, *cap - *n, fmt, ap);
	va_end(ap);
	*n += (size_t)k;
}

/* The scenario of f's domain: broken (as published) or not. */
static char *scenario(const zf_zone *z, const zf_finding *f, double rate, bool broken)
{
	const zf_domain *d = &z->dom[f->dom];
	char *b = NULL;
	size_t n = 0, cap = 0;
	add(&b, &n, &cap,
	    "[run]\nname = zone-simulate\nduration = 2h\nreplications = %d\n[traffic]\nrate = "
	    "%.6g/h\nstop = 1h\n"
	    "[domain %s]\nmx_ttl = %lds\n",
	    RUNS, rate, d->name, d->mx_ttl);
	if (z->neg_ttl >= 0)
		add(&b, &n, &cap, "neg_ttl = %lds\n", z->neg_ttl);
	add(&b, &n, &cap, "mx = %s", broken && f->kind == ZF_NULLMX ? "null" : "");
	for (int k = 0, first = 1; k < d->nmx && !(broken && f->kind == ZF_NULLMX); k++)
		if (strcmp(d->mx[k].target, "."))
			add(&b, &n, &cap, "%s%u %s", first ? "" : ", ", d->mx[k].pref,
			    d->mx[k].target),
				first = 0;
	add(&b, &n, &cap, "\n");
	int servers = 0;
	for (int k = 0; k < d->nmx; k++) {
		bool dead = broken && k == f->mx && f->kind != ZF_ALIAS;
		if (strcmp(d->mx[k].target, ".") && !dead)
			add(&b, &n, &cap, "[server s%d]\nhost = %s\n", k, d->mx[k].target),
				servers++;
	}
	if (!servers) /* a scenario needs one; this one is in no MX set */
		add(&b, &n, &cap, "[server none]\nhost = none.invalid\n");
	return b;
}

static double metric(const mdl_result *r, const char *name)
{
	return met_row_named(name)->value(r, 0);
}

/* Runs text; the means into *c. 0 or -1 after a message. */
static int run(const char *text, cost *c)
{
	scn_file *f;
	scn *s = NULL;
	char err[SCN_ERR] = "the counts did not balance";
	*c = (cost){0};
	if (scn_load_text("(zone --simulate)", text, strlen(text), NULL, 0, &f, err)) {
		fprintf(stderr, "mxsim: zone: --simulate: internal error: %s\n", err);
		return -1;
	}
	int rc = scn_point(f, 0, &s, err);
	for (unsigned r = 0; rc == 0 && r < RUNS; r++) {
		mdl_config cfg = *scn_config(s);
		cfg.seed = scn_seed(s, r);
		mdl_result mr;
		rc = mdl_run(&cfg, &mr);
		double sub = metric(&mr, "submitted"), bounced = metric(&mr, "bounced");
		c->submitted += sub / RUNS, c->bounced += bounced / RUNS;
		c->delayed += (sub * (1 - metric(&mr, "delivered_within_share")) - bounced) / RUNS;
		mdl_result_free(&mr);
	}
	if (rc)
		fprintf(stderr, "mxsim: zone: --simulate: internal error: %s\n", err);
	if (s)
		scn_free(s);
	scn_file_free(f);
	return rc ? -1 : 0;
}

int zs_cost(const zf_zone *z, int i, double rate, FILE *out)
{
	const zf_finding *f = &z->finding[i];
	size_t at = strcspn(f->text, " "); /* "file:line:" */
	if (f->dom < 0 || f->kind == ZF_OTHER || f->kind == ZF_TTL) {
		fprintf(out, "%.*s cost: none by itself\n", (int)at, f->text);
		return 0;
	}
	cost bad, good;
	char *tb = scenario(z, f, rate, true), *tg = scenario(z, f, rate, false);
	int rc = run(tb, &bad) || run(tg, &good) ? -1 : 0;
	free(tb), free(tg);
	if (rc == 0)
		fprintf(out,
			"%.*s cost: of %.0f messages in an hour to %s, %.0f bounced and %.0f "
			"delayed over 5 min (with the record right: %.0f and %.0f)\n",
			(int)at, f->text, bad.submitted, z->dom[f->dom].name, bad.bounced,
			fmax(0, bad.delayed), good.bounced, fmax(0, good.delayed));
	return rc;
}
