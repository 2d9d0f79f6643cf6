/*
 * scn_timeline.c - the [timeline]: one line per change, "TIME = ACTION
 * ARGS", turned into model events (see scn_impl.h). The actions are one
 * table: name, arguments, help, and the function that reads them; adding
 * an action is one row and its function. Then the events in time order,
 * each domain's cutover (its first MX change) and how long after it an
 * honouring resolver may still answer the old MX.
 */
#include "scn_impl.h"
#include "../run.h"
#include "../../sim/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* One line being read: its time and words ("ACTION A1 REST"). */
typedef struct {
	const char *act, *a1, *rest; /* a1, rest: NULL or "" when absent */
	sim_time at;
	int line;
} tl_line;

typedef int (*tl_fn)(scn *s, const tl_line *l, mdl_event *ev);

static int target(scn *s, const char *name, int line, int *out)
{
	if (!strcmp(name, "*")) {
		*out = -1;
		return 0;
	}
	if ((*out = scn_domain_id(s, name)) < 0)
		return scn_fail(s, line, "unknown domain '%s' (expected a [domain] name or *)",
				name);
	return 0;
}

static int domain_arg(scn *s, const tl_line *l, mdl_event *ev)
{
	if (!l->a1)
		return scn_fail(s, l->line, "%s: expected a domain (or *)", l->act);
	return target(s, l->a1, l->line, &ev->domain);
}

/* The MX TTL in force at `at`: the domain's, or the latest ttl event. */
static sim_time ttl_then(const scn *s, int domain, sim_time at)
{
	const dns_answer *cur = &s->c.initial[domain < 0 ? 0 : domain];
	sim_time ttl = cur->kind == DNS_MX ? cur->ttl : SIM_HOUR;
	for (int k = 0; k < s->c.nevents; k++)
		if (s->c.events[k].kind == MDL_EV_TTL && s->c.events[k].at <= at &&
		    (s->c.events[k].domain == domain || s->c.events[k].domain < 0))
			ttl = s->c.events[k].ttl;
	return ttl;
}

static int act_mx(scn *s, const tl_line *l, mdl_event *ev)
{
	if (domain_arg(s, l, ev))
		return -1;
	ev->kind = MDL_EV_MX;
	if (!l->rest || !*l->rest)
		return scn_fail(s, l->line, "mx: expected 'mx DOMAIN records'");
	if (scn_records(s, l->rest, l->line, ttl_then(s, ev->domain, l->at), SIM_HOUR, &ev->answer))
		return -1;
	if (ev->answer.kind != DNS_MX && ev->answer.kind != DNS_NULLMX) {
		/* a negative answer lives for the domain's neg_ttl */
		int d = ev->domain < 0 ? 0 : ev->domain;
		const section *ds = scn_find_section(s, SEC_DOMAIN, s->domain_names[d]);
		sim_time neg = SIM_HOUR; /* a population's domain */
		if (ds && scn_read(s, ds, K_DOMAIN_neg_ttl, &neg))
			return -1;
		ev->answer.ttl = neg;
	}
	return 0;
}

static int act_ttl(scn *s, const tl_line *l, mdl_event *ev)
{
	char err[UNIT_ERR];
	if (domain_arg(s, l, ev))
		return -1;
	ev->kind = MDL_EV_TTL;
	if (!l->rest || unit_duration(l->rest, &ev->ttl, err))
		return scn_fail(s, l->line, "ttl: expected 'ttl DOMAIN duration'");
	return 0;
}

static int act_dns(scn *s, const tl_line *l, mdl_event *ev)
{
	ev->kind = !strcmp(l->act, "dns-down") ? MDL_EV_DNS_DOWN : MDL_EV_DNS_UP;
	return domain_arg(s, l, ev);
}

static int act_address(scn *s, const tl_line *l, mdl_event *ev)
{
	if (!l->a1 || (ev->host = scn_host_id(s, l->a1, false)) < 0)
		return scn_fail(s, l->line, "address: expected an MX host name, got '%s'",
				l->a1 ? l->a1 : "");
	const host_rec *h = &s->hosts[ev->host];
	ev->kind = MDL_EV_ADDRESS;
	ev->address = (mdl_host){DNS_HOST_NXDOMAIN, 0, h->ttl, h->neg_ttl};
	const char *r = l->rest;
	if (!r || !*r)
		return scn_fail(s, l->line,
				"address: expected 'address HOST refuse|timeout|nxdomain|SERVER'");
	if (!strcmp(r, "refuse"))
		ev->address.kind = DNS_HOST_REFUSE;
	else if (!strcmp(r, "timeout"))
		ev->address.kind = DNS_HOST_TIMEOUT;
	else if (strcmp(r, "nxdomain")) {
		if ((ev->address.server = scn_server_id(s, r)) < 0)
			return scn_fail(s, l->line,
					"address: expected refuse, timeout, nxdomain or a [server] "
					"name, got '%s'",
					r);
		ev->address.kind = DNS_HOST_SERVER;
	}
	return 0;
}

static int server_arg(scn *s, const tl_line *l, mdl_event *ev)
{
	if (!l->a1 || (ev->server = scn_server_id(s, l->a1)) < 0)
		return scn_fail(s, l->line, "%s: expected a [server] name, got '%s'", l->act,
				l->a1 ? l->a1 : "");
	return 0;
}

static int act_accept(scn *s, const tl_line *l, mdl_event *ev)
{
	if (server_arg(s, l, ev))
		return -1;
	ev->kind = !strcmp(l->act, "accept") ? MDL_EV_ACCEPT : MDL_EV_REJECT;
	if (!l->rest || !*l->rest)
		return scn_fail(s, l->line, "%s: expected '%s SERVER DOMAIN' (or *)", l->act,
				l->act);
	return target(s, l->rest, l->line, &ev->domain);
}

static int act_down(scn *s, const tl_line *l, mdl_event *ev)
{
	ev->kind = !strcmp(l->act, "down") ? MDL_EV_DOWN : MDL_EV_UP;
	return server_arg(s, l, ev);
}

/* down now, and up after the duration (if within the run) */
static int act_outage(scn *s, const tl_line *l, mdl_event *ev)
{
	sim_time d;
	char err[UNIT_ERR];
	if (server_arg(s, l, ev))
		return -1;
	if (!l->rest || unit_duration(l->rest, &d, err))
		return scn_fail(s, l->line, "outage: expected 'outage SERVER duration'");
	ev->kind = MDL_EV_DOWN;
	scn_add_event(s, *ev);
	ev->kind = MDL_EV_UP;
	ev->at = l->at + d;
	return ev->at >= s->c.duration ? 1 : 0;
}

static const struct {
	const char *name, *args, *help;
	tl_fn fn;
} actions[] = {
	{"mx", "DOMAIN RECORDS",
	 "the MX RRset becomes RECORDS (as in `[domain] mx`); the first is the domain's cutover",
	 act_mx},
	{"ttl", "DOMAIN DURATION",
	 "the MX TTL becomes DURATION (write it before the `mx` lines it should apply to)",
	 act_ttl},
	{"address", "HOST TARGET",
	 "the MX host's address record now leads to TARGET: a server's name, `refuse`, `timeout` "
	 "or "
	 "`nxdomain`",
	 act_address},
	{"accept", "SERVER DOMAIN", "the server starts taking the domain (or `*`)", act_accept},
	{"reject", "SERVER DOMAIN", "the server stops taking the domain (or `*`): 554", act_accept},
	{"down", "SERVER", "the server goes down (as its `down` key says)", act_down},
	{"up", "SERVER", "the server comes back", act_down},
	{"outage", "SERVER DURATION", "down now, up after DURATION", act_outage},
	{"dns-down", "DOMAIN", "the domain's authoritative servers stop answering (SERVFAIL)",
	 act_dns},
	{"dns-up", "DOMAIN", "they answer again", act_dns},
};
enum { NACTIONS = sizeof actions / sizeof *actions };

static int unknown_action(scn *s, const tl_line *l)
{
	const char *names[NACTIONS];
	char list[256] = "", sg[96];
	for (int i = 0; i < NACTIONS; i++) {
		names[i] = actions[i].name;
		size_t n = strlen(list);
		snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", actions[i].name);
	}
	if (!l->act)
		return scn_fail(s, l->line, "expected an action: %s", list);
	return scn_fail(s, l->line, "unknown action '%.80s'%s; expected %s", l->act,
			scn_suggest(l->act, names, NACTIONS, sg, sizeof sg), list);
}

/* Keeps a line's time and text for the plots (events.csv). */
static void note(scn *s, sim_time at, const char *text)
{
	if (s->ntl == s->tlcap) {
		s->tlcap = s->tlcap ? 2 * s->tlcap : 8;
		s->tl_at = xrealloc(s->tl_at, (size_t)s->tlcap * sizeof *s->tl_at);
		s->tl_text = xrealloc(s->tl_text, (size_t)s->tlcap * sizeof *s->tl_text);
	}
	s->tl_at[s->ntl] = at;
	s->tl_text[s->ntl++] = text;
}

/* One timeline line e; buf is a copy of its value, modified. */
static int timeline_line(scn *s, const kv *e, char *buf)
{
	tl_line l = {.line = e->line};
	char err[UNIT_ERR], *save;
	if (!strcmp(e->key, "never"))
		return 0; /* a line switched off, e.g. by a study: ${fix=2h, never} */
	if (unit_when(e->key, s->start_day, &l.at, err))
		return scn_fail(s, l.line, "timeline key: %s", err);
	if (l.at > s->c.duration)
		return scn_fail(s, l.line, "event at %s is after the end of the run", e->key);
	l.act = strtok_r(buf, " \t", &save);
	l.a1 = l.act ? strtok_r(NULL, " \t", &save) : NULL;
	l.rest = l.a1 ? scn_trim(save) : NULL;
	for (int i = 0; l.act && i < NACTIONS; i++)
		if (!strcmp(l.act, actions[i].name)) {
			mdl_event ev = {.at = l.at};
			int rc = actions[i].fn(s, &l, &ev);
			if (rc >= 0)
				note(s, l.at, e->value);
			if (rc == 0)
				scn_add_event(s, ev);
			return rc < 0 ? -1 : 0;
		}
	return unknown_action(s, &l);
}

int scn_build_timeline(scn *s)
{
	section *sc = scn_single(s, SEC_TIMELINE);
	if (sc && sc->n > SCN_MAX_TIMELINE)
		return scn_fail(s, sc->kv[SCN_MAX_TIMELINE].line,
				"more than %d timeline lines (each MX change looks back over the "
				"earlier ones)",
				SCN_MAX_TIMELINE);
	for (int i = 0; sc && i < sc->n; i++) {
		char *buf = xstrdup(sc->kv[i].value);
		int rc = timeline_line(s, &sc->kv[i], buf);
		free(buf);
		if (rc)
			return -1;
	}
	return 0;
}

void scn_print_actions_man(FILE *out)
{
	for (int i = 0; i < NACTIONS; i++)
		fprintf(out, ".TP\n.B %s %s\n%s\n", actions[i].name, actions[i].args,
			actions[i].help);
}

void scn_print_actions(FILE *out)
{
	fprintf(out, "| action | meaning |\n|---|---|\n");
	for (int i = 0; i < NACTIONS; i++)
		fprintf(out, "| `%s %s` | %s |\n", actions[i].name, actions[i].args,
			actions[i].help);
}

/* A resolver cache entry holds an expiry and a version in one word: the
 * more changes a name has, the shorter the run it can hold (a million
 * changes of one name: 203 days). */
int scn_check_versions(scn *s)
{
	uint32_t v = mdl_dns_versions(&s->c);
	if (s->c.duration < res_longest(v))
		return 0;
	return scn_fail(s, scn_line(scn_single(s, SEC_RUN), K_RUN_duration),
			"duration: at most %.0f days with %u changes of one name's records; "
			"shorten the run or change fewer records",
			(double)res_longest(v) / SIM_DAY, v - 1);
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
		if (e->kind != MDL_EV_MX)
			continue;
		int p = scn_best_provider(s, &e->answer);
		for (int d = e->domain < 0 ? 0 : e->domain; d < c->ndomains; d++) {
			if (c->cutover[d] == SIM_NEVER)
				c->cutover[d] = e->at;
			c->new_provider[d] = p;
			if (e->domain >= 0)
				break;
		}
	}
}

/* How long after its cutover a resolver that honours TTLs may still answer
 * a domain with an earlier MX: the TTL in force then, or a longer one
 * lowered less than that long before (events in time order). */
static void mark_honour_ends(mdl_config *c)
{
	sim_time *ttl = xmalloc((size_t)c->ndomains * sizeof *ttl);
	for (int d = 0; d < c->ndomains; d++)
		ttl[d] = c->initial[d].ttl;
	for (int i = 0; i < c->nevents; i++) {
		const mdl_event *e = &c->events[i];
		if (e->kind != MDL_EV_TTL)
			continue;
		for (int d = e->domain < 0 ? 0 : e->domain; d < c->ndomains; d++) {
			sim_time late = e->at + ttl[d] - c->cutover[d];
			if (e->at < c->cutover[d] && late > c->honour_end[d])
				c->honour_end[d] = late;
			if (e->at < c->cutover[d])
				ttl[d] = e->ttl;
			if (e->domain >= 0)
				break;
		}
	}
	for (int d = 0; d < c->ndomains; d++)
		if (c->cutover[d] != SIM_NEVER && ttl[d] > c->honour_end[d])
			c->honour_end[d] = ttl[d];
	free(ttl);
}

/* Timeline events in time order (equal times keep file order), then each
 * domain's cutover and honour_end. */
void scn_order_timeline(scn *s)
{
	sort_events(&s->c);
	mark_cutovers(s);
	mark_honour_ends(&s->c);
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
		if (e->at <= *at && e->kind == MDL_EV_TTL && (e->domain == d || e->domain < 0))
			*ttl = e->ttl;
	}
}
