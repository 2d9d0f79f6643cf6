/*
 * scn_domains.c - [domain] sections and the generated [population] (see
 * scn_impl.h). A population is part of the scenario: drawn from the run's
 * seed, the same in every replication.
 */
#include "scn_impl.h"
#include "../budget.h"
#include "../../sim/rng.h"
#include "../../sim/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void add_domain(scn *s, const char *name, const dns_answer *a, double weight, int self,
		       bool additional)
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
		c->additional = xrealloc(c->additional, k * sizeof *c->additional);
		c->cutover = xrealloc(c->cutover, k * sizeof *c->cutover);
		c->new_provider = xrealloc(c->new_provider, k * sizeof *c->new_provider);
		c->honour_end = xrealloc(c->honour_end, k * sizeof *c->honour_end);
	}
	s->domain_names[n - 1] = xstrdup(name);
	if (!s->dom_ix)
		s->dom_ix = nindex_new();
	nindex_put(s->dom_ix, name, 0, n - 1);
	c->initial[n - 1] = *a;
	c->weight[n - 1] = weight;
	c->self_host[n - 1] = self;
	c->additional[n - 1] = additional;
	c->cutover[n - 1] = SIM_NEVER;
	c->new_provider[n - 1] = -1;
	c->honour_end[n - 1] = 0;
	c->ndomains = n;
}

/* The domain's own address host: a keyword makes a host of that kind. */
static int self_host(scn *s, const char *dname, const char *addr, int line)
{
	host_kind k;
	if (!strcmp(addr, "refuse"))
		k = DNS_HOST_REFUSE;
	else if (!strcmp(addr, "timeout"))
		k = DNS_HOST_TIMEOUT;
	else if (!strcmp(addr, "nxdomain"))
		k = DNS_HOST_NXDOMAIN;
	else {
		int h = scn_host_id(s, addr, false);
		if (h < 0)
			return scn_fail(s, line,
					"address: expected refuse, timeout, nxdomain or a server's "
					"host, got '%s'",
					addr);
		return h;
	}
	char *nm = xasprintf("%s.", dname); /* the apex, apart from MX host names */
	int h = scn_host_id(s, nm, true);
	free(nm);
	s->hosts[h].kind = k;
	return h;
}

int scn_add_event(scn *s, mdl_event e)
{
	mdl_config *c = &s->c;
	if ((c->nevents & (c->nevents - 1)) == 0) /* at 0 and powers of two */
		c->events = xrealloc(c->events,
				     (size_t)(c->nevents ? 2 * c->nevents : 1) * sizeof *c->events);
	c->events[c->nevents++] = e;
	return 0;
}

int scn_best_provider(const scn *s, const dns_answer *a)
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

static int build_domain(scn *s, const section *sc)
{
	int line;
	sim_time ttl, neg;
	double w;
	bool additional;
	if (scn_read(s, sc, K_DOMAIN_mx_ttl, &ttl) || scn_read(s, sc, K_DOMAIN_neg_ttl, &neg) ||
	    scn_read(s, sc, K_DOMAIN_weight, &w) ||
	    scn_read(s, sc, K_DOMAIN_additional, &additional))
		return -1;
	const char *mx = scn_text(sc, K_DOMAIN_mx, &line);
	if (!mx)
		return scn_fail(s, sc->line,
				"[domain %s] needs mx = records (or none, null, nxdomain)",
				sc->name);
	dns_answer a;
	if (scn_records(s, mx, line, ttl, neg, &a))
		return -1;
	const char *addr = scn_text(sc, K_DOMAIN_address, &line);
	int self = self_host(s, sc->name, addr, line);
	if (self < 0)
		return -1;
	add_domain(s, sc->name, &a, w, self, additional);
	return 0;
}

/* A [population]'s keys, read before any domain is made. */
typedef struct {
	int64_t n;
	dist ttl, neg, weight, cut;
	bool never, additional;
	const char *prefix, *addr;
	int line;        /* of address */
	dns_answer a, b; /* before and after the cutover */
} population;

static int population_keys(scn *s, const section *sc, population *p)
{
	int line, cline;
	if (scn_read(s, sc, K_POPULATION_count, &p->n))
		return -1;
	if (bgt_domain_bytes((double)p->n) > s->max_memory) {
		char need[32];
		bgt_format_bytes(bgt_domain_bytes((double)p->n), need, sizeof need);
		return scn_fail(s, scn_line(sc, K_POPULATION_count),
				"count: %ld domains need %s, more than [run] max_memory = %s", p->n,
				need, s->max_memory_text);
	}
	if (scn_read(s, sc, K_POPULATION_mx_ttl, &p->ttl) ||
	    scn_read(s, sc, K_POPULATION_neg_ttl, &p->neg) ||
	    scn_read(s, sc, K_POPULATION_weight, &p->weight) ||
	    scn_read(s, sc, K_POPULATION_additional, &p->additional))
		return -1;
	p->never = !strcmp(scn_text(sc, K_POPULATION_cutover, &line), "never");
	if (!p->never && scn_read(s, sc, K_POPULATION_cutover, &p->cut))
		return -1;
	p->prefix = scn_text(sc, K_POPULATION_prefix, &line);
	if (strlen(p->prefix) > DNS_NAME_MAX - 8 || (*p->prefix && !dns_name_ok(p->prefix)))
		return scn_fail(s, line, "prefix: '%.80s': expected %s, at most %d characters",
				p->prefix, DNS_NAME_RULE, DNS_NAME_MAX - 8);
	p->addr = scn_text(sc, K_POPULATION_address, &p->line);
	const char *mx = scn_text(sc, K_POPULATION_mx, &line);
	const char *cmx = scn_text(sc, K_POPULATION_cutover_mx, &cline);
	return scn_records(s, mx, line, SIM_HOUR, SIM_HOUR, &p->a) ||
			       scn_records(s, cmx, cline, SIM_HOUR, SIM_HOUR, &p->b)
		       ? -1
		       : 0;
}

/* The domains PREFIX1 ... PREFIXn, drawn from the run's seed. */
static int make_population(scn *s, population *p)
{
	gsl_rng *g = rng_stream(s->seed, MDL_STREAM_POPULATION);
	int self = -1, rc = 0;
	for (long i = 0; i < p->n && rc == 0; i++) {
		char *nm = xasprintf("%s%ld", p->prefix, i + 1);
		sim_time t = sim_from_sec(dist_draw(&p->ttl, g));
		sim_time ng = sim_from_sec(dist_draw(&p->neg, g));
		double w = dist_draw(&p->weight, g);
		p->a.ttl = p->a.kind == DNS_MX || p->a.kind == DNS_NULLMX ? t : ng;
		p->b.ttl = p->b.kind == DNS_MX || p->b.kind == DNS_NULLMX ? t : ng;
		if (strcmp(p->addr, "refuse") && strcmp(p->addr, "timeout") &&
		    strcmp(p->addr, "nxdomain"))
			self = self_host(s, nm, p->addr, p->line);
		else if (self < 0)
			self = self_host(s, p->prefix, p->addr, p->line); /* one shared apex kind */
		if (self < 0)
			rc = -1;
		else
			add_domain(s, nm, &p->a, w, self, p->additional);
		free(nm);
		sim_time at = rc || p->never ? SIM_NEVER : sim_from_sec(dist_draw(&p->cut, g));
		if (at < s->c.duration)
			scn_add_event(s, (mdl_event){.at = at,
						     .kind = MDL_EV_MX,
						     .domain = s->c.ndomains - 1,
						     .answer = p->b});
	}
	gsl_rng_free(g);
	return rc;
}

int scn_build_domains(scn *s)
{
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == SEC_DOMAIN && build_domain(s, &s->sec[i]))
			return -1;
	section *sc = scn_single(s, SEC_POPULATION);
	if (!sc)
		return 0;
	population p;
	memset(&p, 0, sizeof p);
	int rc = population_keys(s, sc, &p) || make_population(s, &p) ? -1 : 0;
	dist_clear(&p.ttl);
	dist_clear(&p.neg);
	dist_clear(&p.weight);
	dist_clear(&p.cut);
	return rc;
}
