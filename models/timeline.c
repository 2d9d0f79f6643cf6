/*
 * timeline.c - changes during a run: the scenario's timeline (MX and TTL
 * changes, address records, servers accepting or rejecting a domain,
 * scheduled outages, authorities failing) and random outages (exponential
 * up and down times).
 */
#include "mail_impl.h"

#include <gsl/gsl_randist.h>
#include <stdint.h>

static void apply_to(world *w, const mdl_event *e, int dom)
{
	switch (e->kind) {
	case MDL_EV_MX:
		dns_set(w->d, dom, &e->answer);
		break;
	case MDL_EV_TTL:
		dns_set_ttl(w->d, dom, e->ttl);
		break;
	case MDL_EV_ACCEPT:
	case MDL_EV_REJECT:
		srv_set_accept(w->srv, e->server, dom, e->kind == MDL_EV_ACCEPT);
		break;
	case MDL_EV_DNS_DOWN:
	case MDL_EV_DNS_UP:
		dns_set_reachable(w->d, dom, e->kind == MDL_EV_DNS_UP);
		break;
	default:
		break;
	}
}

/* The address answer of an MX host's name. */
dns_answer mail_host_answer(const mdl_host *h)
{
	if (h->kind == DNS_HOST_NXDOMAIN)
		return (dns_answer){.kind = DNS_NXDOMAIN, .ttl = h->neg_ttl};
	return (dns_answer){
		.kind = DNS_ADDRESS, .addr = h->kind, .server = h->server, .ttl = h->ttl};
}

static void timeline(sim *s, void *subject, void *object)
{
	world *w = subject;
	const mdl_event *e = object;
	if (e->kind == MDL_EV_DOWN || e->kind == MDL_EV_UP) {
		srv_set_down(w->srv, e->server, e->kind == MDL_EV_DOWN, sim_now(s));
		return;
	}
	if (e->kind == MDL_EV_ADDRESS) {
		dns_answer a = mail_host_answer(&e->address);
		dns_set(w->d, w->c->ndomains + e->host, &a);
		return;
	}
	if (e->domain >= 0) {
		apply_to(w, e, e->domain);
		return;
	}
	for (int d = 0; d < w->c->ndomains; d++)
		apply_to(w, e, d);
}

static void outage(sim *s, void *subject, void *object)
{
	world *w = subject;
	int sv = (int)(intptr_t)object;
	const mdl_server *cs = &w->c->servers[sv];
	bool down = !srv_is_down(w->srv, sv);
	srv_set_down(w->srv, sv, down, sim_now(s));
	double mean = sec(down ? cs->mttr : cs->mtbf);
	sim_after(s, sim_from_sec(dist_exponential(w->rng[MDL_STREAM_OUTAGE], mean)) + 1, outage, w,
		  object);
}

void mail_schedule_changes(world *w)
{
	const mdl_config *c = w->c;
	for (int i = 0; i < c->nevents; i++)
		sim_at(w->s, c->events[i].at, timeline, w, &c->events[i]);
	for (int i = 0; i < c->nservers; i++)
		if (c->servers[i].mtbf > 0)
			sim_at(w->s,
			       sim_from_sec(dist_exponential(w->rng[MDL_STREAM_OUTAGE],
							     sec(c->servers[i].mtbf))),
			       outage, w, (void *)(intptr_t)i);
}
