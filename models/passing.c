/*
 * passing.c - Exim's connection passing: the wait-<transport> hints
 * database (The Exim Specification, "The smtp transport": "Multiple
 * messages on a single connection"; src/transport.c).
 *
 * The rules. A message whose attempt a holder that passes connections
 * (connection_max_messages other than 1) deferred for its hosts, not for
 * a reason of its own (a 4xx at RCPT or MAIL turns update_waiting off in
 * src/transports/smtp.c), waits in the list of each of its candidate
 * hosts, once, keeping its place if already there
 * (transport_update_waiting). A delivery that ends well takes the newest
 * message of its host's list (transport_check_waiting scans the record
 * from its end in Exim 4.96, Debian 12's, to 4.98; from 4.99 in order,
 * commit fbc48a247) and hands it the connection (mail.c). A message
 * taken is out of that list only. Exim takes a message that another
 * process is delivering too, and that process finds it locked; here such
 * an entry (not QUEUED) is dropped and the next one taken.
 *
 * Invariant: a message is in a (holder, host) list at most once, and has
 * a record in recs (m->listed) exactly while it is in some list, naming
 * its entries and, while QUEUED, its pending retry; a message leaving its
 * holder leaves every list (mail.c calls pass_forget for a listed one),
 * so every entry is a live message of the list's holder.
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <assert.h>

typedef struct {
	msg *m;
	uint32_t prev, next; /* in its list (index + 1; 0: none); next: the free list too */
	int holder, host;
} entry;

typedef struct {
	uint32_t head, tail; /* oldest, newest (index + 1) */
} list;

typedef struct {
	sim_handle retry;       /* its pending retry, while QUEUED */
	uint32_t e[DNS_MAX_MX]; /* its entries (index + 1; 0: none) */
} record;

struct mail_waits {
	entry *e;
	uint32_t n, cap, free;
	tab *lists; /* by (holder, host) */
	tab *recs;  /* by message id */
};

static uint64_t key(int holder, int host)
{
	return (uint64_t)(uint32_t)holder << 32 | (uint32_t)host;
}

/* Whether holder passes its connections on. */
static bool pass_on(const world *w, int holder)
{
	return profile_of(w, holder)->connection_max_messages != 1;
}

void pass_init(world *w)
{
	mail_waits *q = xcalloc(1, sizeof *q);
	q->lists = tab_new(sizeof(list));
	q->recs = tab_new(sizeof(record));
	w->waits = q;
}

void pass_free(world *w)
{
	mail_waits *q = w->waits;
	if (!q)
		return;
	tab_free(q->lists);
	tab_free(q->recs);
	free(q->e);
	free(q);
	w->waits = NULL;
}

/* A new entry for m at the tail of (holder, host)'s list; its index + 1. */
static uint32_t append(mail_waits *q, msg *m, int holder, int host)
{
	uint32_t i = q->free;
	if (i) {
		q->free = q->e[i - 1].next;
	} else {
		if (q->n == q->cap) {
			q->cap = q->cap ? 2 * q->cap : 64;
			q->e = xrealloc(q->e, q->cap * sizeof *q->e);
		}
		i = ++q->n;
	}
	bool created;
	list *l = tab_get(q->lists, key(holder, host), &created);
	q->e[i - 1] = (entry){m, l->tail, 0, holder, host};
	if (l->tail)
		q->e[l->tail - 1].next = i;
	else
		l->head = i;
	l->tail = i;
	return i;
}

/* Entry i out of its list, onto the free list. */
static void unlink_entry(mail_waits *q, uint32_t i)
{
	entry *x = &q->e[i - 1];
	uint64_t k = key(x->holder, x->host);
	list *l = tab_find(q->lists, k);
	if (x->prev)
		q->e[x->prev - 1].next = x->next;
	else
		l->head = x->next;
	if (x->next)
		q->e[x->next - 1].prev = x->prev;
	else
		l->tail = x->prev;
	if (!l->head)
		tab_del(q->lists, k);
	x->next = q->free;
	q->free = i;
}

void pass_queued(world *w, msg *m, sim_handle retry, bool hosts)
{
	mail_waits *q = w->waits;
	if (!m->listed && !(hosts && !m->own_defer && pass_on(w, m->holder)))
		return;
	bool created;
	record *r = tab_get(q->recs, m->id, &created);
	r->retry = retry;
	m->listed = true;
	if (!hosts || m->own_defer)
		return;
	for (int c = 0; c < m->ncand; c++) {
		int host = m->cand[c].host, free = -1;
		bool there = false;
		for (int j = 0; j < DNS_MAX_MX && !there; j++) {
			there = r->e[j] && q->e[r->e[j] - 1].host == host;
			if (!r->e[j] && free < 0)
				free = j;
		}
		if (!there && free >= 0) /* a ninth host waits for none (bounded) */
			r->e[free] = append(q, m, m->holder, host);
	}
}

/* Entry i's message leaves the list: out of its record too. */
static void drop(mail_waits *q, uint32_t i)
{
	msg *m = q->e[i - 1].m;
	record *r = tab_find(q->recs, m->id);
	bool left = false;
	for (int j = 0; j < DNS_MAX_MX; j++) {
		if (r->e[j] == i)
			r->e[j] = 0;
		left |= r->e[j] != 0;
	}
	unlink_entry(q, i);
	if (!left) {
		tab_del(q->recs, m->id);
		m->listed = false;
	}
}

msg *pass_take(world *w, int holder, int host)
{
	mail_waits *q = w->waits;
	list *l = tab_find(q->lists, key(holder, host));
	while (l) {
		uint32_t i = l->tail;
		msg *m = q->e[i - 1].m;
		if (m->state == MSG_QUEUED) {
			record *r = tab_find(q->recs, m->id);
			bool pending = sim_cancel(w->s, r->retry);
			assert(pending);
			(void)pending;
			r->retry = 0;
			drop(q, i);
			return m;
		}
		drop(q, i); /* being tried now: Exim's would find it locked */
		l = tab_find(q->lists, key(holder, host));
	}
	return NULL;
}

void pass_forget(world *w, msg *m)
{
	mail_waits *q = w->waits;
	record *r = tab_find(q->recs, m->id);
	for (int j = 0; j < DNS_MAX_MX; j++)
		if (r->e[j])
			unlink_entry(q, r->e[j]);
	tab_del(q->recs, m->id);
	m->listed = false;
}
