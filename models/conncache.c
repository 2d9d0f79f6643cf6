/*
 * conncache.c - Postfix's SMTP connection cache: a sending MTA's idle
 * connections, and the servers each destination's connections were
 * cached under (src/smtp/smtp_reuse.c, src/smtp/smtp_connect.c,
 * src/global/scache_multi.c; when a destination's deliveries may use it:
 * slots.c, as src/qmgr/qmgr_entry.c).
 *
 * The rules. A delivery that ends well over a connection that may be
 * cached (made by a delivery whose destination stored connections, or
 * itself taken from the cache) and was made at most
 * connection_reuse_time_limit ago keeps it: idle in its (holder, server)
 * pool, and its server bound to the destination, both for
 * connection_cache_time_limit (smtp_save_session: scache_save_endp,
 * scache_save_dest; a binding saved again is refreshed). A delivery whose
 * destination loads connections first takes the oldest idle connection
 * of the oldest live binding of its destination, whatever MX host that
 * is (smtp_reuse_nexthop: so a backlog keeps going to the backup that
 * took it), then, walking the MX hosts, one to each host before
 * connecting to it (smtp_reuse_addr). A connection idle for the time
 * limit is closed (scache_multi_expire_endp); one whose server refuses
 * connections since is gone (the cache sees the reset); one whose server
 * drops packets hangs the transaction sent over it (mail.c).
 *
 * Invariant: an idle connection holds a session of its server (made by
 * srv_connect, not closed) and is in exactly one pool; pools are oldest
 * first, and since every connection of a holder idles equally long, a
 * pool's oldest is always the next to expire.
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
	sim_time born; /* connected: cached again until born + reuse limit */
	uint32_t next; /* in its pool, or the free list (index + 1; 0: none) */
	int holder, server, domain;
	bool idle; /* in its pool (else taken, the record kept to its time limit) */
} idle_conn;

typedef struct {
	uint32_t head, tail; /* oldest, newest (index + 1) */
} pool;

enum { BINDINGS = 4 };
typedef struct {
	int server[BINDINGS]; /* + 1, oldest first; 0: none */
	sim_time until[BINDINGS];
} binding;

struct mail_conns {
	idle_conn *c;
	uint32_t n, cap, free;
	tab *pools;    /* by (holder, server) */
	tab *bindings; /* by (holder, domain) */
};

static uint64_t key(int a, int b)
{
	return (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
}

void conn_init(world *w)
{
	w->conns = xcalloc(1, sizeof *w->conns);
	w->conns->pools = tab_new(sizeof(pool));
	w->conns->bindings = tab_new(sizeof(binding));
}

void conn_free(world *w)
{
	tab_free(w->conns->pools);
	tab_free(w->conns->bindings);
	free(w->conns->c);
	free(w->conns);
}

static uint32_t conn_alloc(mail_conns *cc)
{
	if (cc->free) {
		uint32_t i = cc->free;
		cc->free = cc->c[i - 1].next;
		return i;
	}
	if (cc->n == cc->cap) {
		cc->cap = cc->cap ? 2 * cc->cap : 64;
		cc->c = xrealloc(cc->c, cc->cap * sizeof *cc->c);
	}
	return ++cc->n;
}

/* The oldest idle connection of holder to sv, out of its pool (0: none). */
static uint32_t pool_pop(mail_conns *cc, int holder, int sv)
{
	uint64_t k = key(holder, sv);
	pool *pl = tab_find(cc->pools, k);
	if (!pl)
		return 0;
	uint32_t i = pl->head;
	pl->head = cc->c[i - 1].next;
	if (!pl->head)
		tab_del(cc->pools, k);
	cc->c[i - 1].idle = false;
	return i;
}

/* The bindings of holder's destination that live past now; none: gone. */
static binding *live_bindings(mail_conns *cc, int holder, int domain, sim_time now)
{
	uint64_t k = key(holder, domain);
	binding *b = tab_find(cc->bindings, k);
	int n = 0;
	for (int j = 0; b && j < BINDINGS && b->server[j]; j++)
		if (b->until[j] > now)
			b->server[n] = b->server[j], b->until[n++] = b->until[j];
	for (int j = n; b && j < BINDINGS; j++)
		b->server[j] = 0;
	if (b && !n)
		tab_del(cc->bindings, k);
	return n ? b : NULL;
}

/* A cached connection's time limit: closed if still idle (then the
 * oldest of its pool); its destination's binding ends with it, unless
 * saved again since. */
static void idle_end(sim *s, void *subject, void *object)
{
	world *w = subject;
	mail_conns *cc = w->conns;
	uint32_t i = (uint32_t)(uintptr_t)object;
	idle_conn *c = &cc->c[i - 1];
	live_bindings(cc, c->holder, c->domain, sim_now(s));
	if (c->idle) {
		uint32_t head = pool_pop(cc, c->holder, c->server);
		assert(head == i);
		(void)head;
		srv_close(w->srv, c->server, sim_now(s));
	}
	c->next = cc->free;
	cc->free = i;
}

/* m's connection to sv, idle from now on. */
static void pool_push(world *w, const msg *m, int sv, sim_time limit)
{
	mail_conns *cc = w->conns;
	uint32_t i = conn_alloc(cc);
	cc->c[i - 1] = (idle_conn){m->conn_born, 0, m->holder, sv, m->domain, true};
	bool created;
	pool *pl = tab_get(cc->pools, key(m->holder, sv), &created);
	if (created)
		pl->head = i;
	else
		cc->c[pl->tail - 1].next = i;
	pl->tail = i;
	sim_after(w->s, limit, idle_end, w, (void *)(uintptr_t)i);
}

/* sv bound to holder's destination until `until` (a binding saved again
 * keeps its place and is refreshed; with all taken, the oldest goes). */
static void bind(mail_conns *cc, int holder, int domain, int sv, sim_time until)
{
	bool created;
	binding *b = tab_get(cc->bindings, key(holder, domain), &created);
	int k = 0;
	while (k < BINDINGS && b->server[k] && b->server[k] != sv + 1)
		k++;
	if (k == BINDINGS)
		for (k = 0; k + 1 < BINDINGS; k++)
			b->server[k] = b->server[k + 1], b->until[k] = b->until[k + 1];
	b->server[k] = sv + 1;
	b->until[k] = until;
}

bool conn_keep(world *w, const msg *m, int sv)
{
	const mta_profile *p = profile_of(w, m->holder);
	sim_time now = sim_now(w->s);
	if (now > m->conn_born + p->connection_reuse_time_limit)
		return false;
	sim_time limit = p->connection_cache_time_limit;
	pool_push(w, m, sv, limit);
	if (m->conn) /* the request's destination names it (HAVE_SCACHE_REQUEST_NEXTHOP) */
		bind(w->conns, m->holder, m->domain, sv, now + limit);
	return true;
}

/* An idle connection of m's holder to sv that is still up: taken out,
 * its birth in m; false if none (those whose server refused since go). */
static bool take_endp(world *w, msg *m, int sv)
{
	uint32_t i;
	while ((i = pool_pop(w->conns, m->holder, sv))) {
		if (!(srv_is_down(w->srv, sv) && w->c->servers[sv].down_refuses)) {
			m->conn_born = w->conns->c[i - 1].born;
			return true;
		}
		srv_close(w->srv, sv, sim_now(w->s));
	}
	return false;
}

int conn_take(world *w, msg *m, int sv)
{
	if (sv >= 0)
		return take_endp(w, m, sv) ? sv : -1;
	binding *b = live_bindings(w->conns, m->holder, m->domain, sim_now(w->s));
	for (int k = 0; b && k < BINDINGS && b->server[k]; k++)
		if (take_endp(w, m, b->server[k] - 1))
			return b->server[k] - 1;
	return -1;
}
