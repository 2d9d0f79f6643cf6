/*
 * slots.c - a sending MTA's delivery slots, and what it remembers of a
 * destination, as Postfix's queue manager keeps them (src/qmgr/
 * qmgr_queue.c, qmgr_deliver.c; defaults in src/global/mail_params.h).
 *
 * The model (Postfix's rules). Per (holder, domain) a destination queue
 * has a concurrency window: it starts at slots_initial, grows by one per
 * delivery that ends without a failure of the site (while below slots_max
 * and below the deliveries in progress + slots_initial: unthrottle(), as
 * qmgr_queue_unthrottle) and shrinks, not below 1, per delivery deferred
 * for the site (connection refused or timed out, 421, temporary DNS
 * failure: smtp_trouble.c's site failures): by two at the first since it
 * was set or grew, then by one (throttle(), as qmgr_queue_throttle). With
 * MTA_MEMORY_DESTINATION each such failure also adds 1/window to a
 * failed-cohort count that a success resets; a full cohort throttles the
 * destination for dead_time (minimal_backoff_time, on the MTA's clock:
 * mta_timer): its waiting mail is deferred at once (qmgr_defer_todo) and
 * new mail deferred without trying until the time passes
 * (unthrottle_timer(), as qmgr_queue_unthrottle_wrapper) or a delivery in
 * progress succeeds. A destination queue lives while mail is in progress
 * or waiting for it, or while it is throttled, as Postfix frees an empty
 * in-core queue: so a trickle of single failing messages is each tried;
 * an emptied queue lasts to the end of the instant, as retries of one
 * queue run come at one instant and, as in Postfix's active queue, form
 * one cohort even where each attempt fails at once (a refused
 * connection). On top, a holder runs at most slots_total deliveries at
 * once (default_process_limit; a backup: relay_sessions), the rest in its
 * wait list. Profiles with neither window nor throttle skip the
 * destination queue.
 *
 * The storage (the same verdicts as one table of every queue would give).
 * Queues live in w->dests by (holder, domain) key, holders' wait lists in
 * w->held. The throttle's timer is read lazily, at the next use of the
 * queue, which is what the timer would have done. The instant's emptied
 * queues are listed; the first slot call of a later instant deletes those
 * still idle (flush(): no event is needed). Most deliveries are their
 * holder's only one: their queue is kept implicit, out of the table
 * (h->solo: window slots_initial, one active, no failure), and made real
 * (materialize()) when a second delivery of the holder asks for slots.
 * Emptied, it is the instant's one recent queue (w->recent; a second is
 * put in the table), made real if asked for again at that instant. The
 * plain build (SIM_FAST off) keeps every queue in the table.
 *
 * Invariant: a holder's (and a destination's) active count is the number
 * of its messages with m->slotted; a waiting message (SLOT_WAIT) is in
 * exactly one wait list: its destination's (window full) or its holder's
 * (slots_total full; h->listed while that list may be non-empty).
 *
 * What slot_take and slot_release decide (mail.c makes each transition):
 *
 *            slot_take(): room            slot_release()
 *   QUEUED ------------------> slotted ----------------> a waiter slotted,
 *     |                                                   mail_slotted(GO)
 *     | slot_take(): window or holder full
 *     +--------------------------> SLOT_WAIT --wake_dest(), wake_holder()--> slotted
 *     | slot_take(): throttled               | throttle(): cohort full
 *     +--> deferred untried <----------------+ mail_slotted(THROTTLED)
 */
#include "mail_impl.h"
#include "../sim/xalloc.h"

#include <assert.h>
#include <stdint.h>

/* Messages waiting, first come first served. */
typedef struct {
	msg *head, *tail;
} waitlist;

typedef struct {
	waitlist wait;            /* for the window */
	sim_time throttled_until; /* 0: not throttled */
	float fail_cohorts;
	uint32_t active;
	uint32_t last_done; /* the second + 1 a delivery last ended (0: none) */
	uint16_t window;
	uint8_t conn;     /* MAIL_CONN_*: its connection cache (cache_select()) */
	uint8_t idle;     /* emptied and listed (w->emptied) */
	uint8_t negative; /* a step down since the window last grew (throttle()) */
} dest;

struct slot_recent {
	uint64_t key;
	sim_time at; /* -1: none */
	dest d;
};

static uint64_t key(int holder, uint32_t domain)
{
	return (uint64_t)(uint32_t)holder << 32 | domain;
}

void slot_init(world *w)
{
	w->dests = tab_new(sizeof(dest));
	w->held = tab_new(sizeof(waitlist));
	w->recent = xcalloc(1, sizeof *w->recent);
	w->recent->at = -1;
}

void slot_free(world *w)
{
	tab_free(w->dests);
	tab_free(w->held);
	free(w->emptied);
	free(w->recent);
}

void slot_prefetch(const world *w, const msg *m)
{
	const mta *h = &w->mtas[m->holder];
	if (h->solo || h->ndests || h->active) /* else most likely implicit */
		tab_prefetch(w->dests, key(m->holder, (uint32_t)m->domain));
}

/* Deletes the queues emptied at an earlier instant that are still idle
 * (a listed queue used again is not). */
static void flush(world *w, sim_time now)
{
	if (!w->nemptied || w->emptied_at >= now)
		return;
	for (size_t i = 0; i < w->nemptied; i++) {
		dest *d = tab_find(w->dests, w->emptied[i]);
		if (d && d->idle && !d->active && !d->wait.head && !d->throttled_until) {
			tab_del(w->dests, w->emptied[i]);
			w->mtas[w->emptied[i] >> 32].ndests--;
		}
	}
	w->nemptied = 0;
}

static void list_emptied(world *w, dest *d, uint64_t k, sim_time now)
{
	if (d->idle)
		return;
	d->idle = 1;
	if (w->nemptied == w->emptied_cap) {
		w->emptied_cap = w->emptied_cap ? 2 * w->emptied_cap : 256;
		w->emptied = xrealloc(w->emptied, w->emptied_cap * sizeof *w->emptied);
	}
	w->emptied[w->nemptied++] = k;
	w->emptied_at = now;
}

static bool uses_dest(const mta_profile *p)
{
	return p->slots_initial > 0 || p->memory == MTA_MEMORY_DESTINATION;
}

static uint32_t total_of(const world *w, int holder)
{
	const relay *rl = relay_of((world *)w, holder);
	return rl ? (uint32_t)w->c->servers[rl->server].relay_sessions
		  : (uint32_t)profile_of(w, holder)->slots_total;
}

static void push(waitlist *l, msg *m, sim_time now)
{
	m->next = NULL;
	if (l->tail)
		l->tail->next = m;
	else
		l->head = m;
	l->tail = m;
	m->wait_since = now;
}

static msg *pop(waitlist *l, sim_time now)
{
	msg *m = l->head;
	l->head = m->next;
	if (!l->head)
		l->tail = NULL;
	m->waited += now - m->wait_since;
	return m;
}

/* The throttle's timer, read lazily (qmgr_queue_unthrottle_wrapper). */
static void unthrottle_timer(dest *d, const mta_profile *p, sim_time now)
{
	if (d->throttled_until && now >= d->throttled_until) {
		d->throttled_until = 0;
		d->fail_cohorts = 0;
		d->negative = 0;
		d->window = (uint16_t)(d->active ? d->active : (uint32_t)p->slots_initial);
	}
}

/* Puts the queue of key k, absent from the table, in it with state d. */
static dest *materialize(world *w, uint64_t k, const dest *d)
{
	bool created;
	dest *t = tab_get(w->dests, k, &created);
	assert(created);
	*t = *d;
	w->mtas[k >> 32].ndests++;
	return t;
}

static bool recent_is(const world *w, uint64_t k, sim_time now)
{
	return w->recent->at == now && w->recent->key == k;
}

/* The recent queue, if it is k's (emptied at this instant): taken out. */
static bool recent_take(world *w, uint64_t k, sim_time now, dest *d)
{
	if (!recent_is(w, k, now))
		return false;
	*d = w->recent->d;
	w->recent->at = -1;
	return true;
}

static dest *dest_get(world *w, const msg *m, const mta_profile *p, sim_time now)
{
	bool created;
	uint64_t k = key(m->holder, (uint32_t)m->domain);
	flush(w, now);
	dest *d = tab_get(w->dests, k, &created);
	if (created) {
		w->mtas[m->holder].ndests++;
		if (!recent_take(w, k, now, d))
			d->window = (uint16_t)p->slots_initial;
	}
	d->idle = 0;
	unthrottle_timer(d, p, now);
	return d;
}

/* Postfix's on-demand connection cache (qmgr_entry_select): a delivery
 * that starts within the second after one of its destination's ended
 * (back to back, on the MTA's clock) turns it on: cached connections
 * reused, new ones stored; storing stops when a delivery starts neither
 * back to back nor beside another in progress, reuse goes on while the
 * queue lives. m gets the flags. */
static void cache_select(dest *d, msg *m, const mta_profile *p, sim_time now, sim_time phase)
{
	if (!p->connection_cache) {
		m->conn = 0;
		return;
	}
	sim_time s = mta_second(now, phase);
	bool back_to_back = d->last_done && d->last_done >= s;
	if (!(d->conn & MAIL_CONN_STORE)) {
		if (back_to_back)
			d->conn = MAIL_CONN_LOAD | MAIL_CONN_STORE;
	} else if (d->active <= 1 && !back_to_back) {
		d->conn &= (uint8_t)~MAIL_CONN_STORE;
	}
	m->conn = d->conn;
}

/* A delivery of d ended now (qmgr_entry_done: last_done). */
static void done_at(dest *d, const mta_profile *p, sim_time now, sim_time phase)
{
	if (p->connection_cache)
		d->last_done = (uint32_t)mta_second(now, phase) + 1;
}

/* m's holder has no delivery and no queue (once the queues emptied
 * before this instant are gone): m's queue stays implicit. */
static bool solo_take(world *w, mta *h, msg *m, sim_time now)
{
	flush(w, now);
	if (!SIM_FAST) /* the plain build: every queue in the table */
		return false;
	if (h->solo || h->ndests || h->listed || h->active ||
	    recent_is(w, key(m->holder, (uint32_t)m->domain), now))
		return false;
	h->solo = (uint32_t)m->domain + 1;
	h->active = 1;
	m->conn = 0; /* a new queue: no delivery ended */
	return true;
}

/* A second delivery of h asks for slots: the lone one's queue is made
 * real. */
static void solo_end(world *w, mta *h, int holder, const mta_profile *p)
{
	if (!h->solo)
		return;
	dest d = {.window = (uint16_t)p->slots_initial, .active = 1};
	materialize(w, key(holder, h->solo - 1), &d);
	h->solo = 0;
}

slot_verdict slot_take(world *w, msg *m)
{
	const mta_profile *p = profile_of(w, m->holder);
	sim_time now = sim_now(w->s);
	mta *h = &w->mtas[m->holder];
	dest *d = NULL;
	if (uses_dest(p)) {
		if (solo_take(w, h, m, now)) {
			m->slotted = true;
			return SLOT_GO;
		}
		solo_end(w, h, m->holder, p);
		d = dest_get(w, m, p, now);
		if (d->throttled_until)
			return SLOT_THROTTLED;
		if (p->slots_initial && d->active >= d->window) {
			push(&d->wait, m, now);
			return SLOT_WAITING;
		}
	}
	uint32_t total = total_of(w, m->holder);
	if (total && h->active >= total) {
		bool created;
		push(tab_get(w->held, (uint64_t)m->holder, &created), m, now);
		h->listed = 1;
		return SLOT_WAITING;
	}
	h->active++;
	m->slotted = true;
	m->conn = 0;
	if (d) {
		d->active++;
		cache_select(d, m, p, now, phase_of(h));
	}
	return SLOT_GO;
}

/* A delivery ended without a failure of the site (qmgr_queue_unthrottle):
 * the failed-cohort count resets; a throttled queue comes back with the
 * window of its deliveries in progress ("back from the almost grave"),
 * else the window grows by one while below slots_max and below the
 * deliveries in progress + slots_initial (positive feedback 1). */
static void unthrottle(dest *d, const mta_profile *p)
{
	d->fail_cohorts = 0;
	if (d->throttled_until) {
		d->throttled_until = 0;
		d->negative = 0;
		d->window = (uint16_t)(d->active ? d->active : (uint32_t)p->slots_initial);
	} else if (d->window < p->slots_max && d->window < d->active + (uint32_t)p->slots_initial) {
		d->window++;
		d->negative = 0;
	}
}

/* A delivery deferred for the site (qmgr_queue_throttle): 1/window more
 * of a failed cohort; a full one throttles the queue for dead_time (true);
 * else the window shrinks, not below 1: with Postfix's negative feedback
 * of 1 and its hysteresis of 1, the first step down after the window was
 * set or grew takes two off it, later ones one (the loop on
 * queue->failure, which starts at 0). */
static bool throttle(dest *d, const mta_profile *p, sim_time now, sim_time phase)
{
	if (d->throttled_until || !p->slots_initial)
		return false;
	d->fail_cohorts += 1.0f / (float)d->window;
	if (p->memory == MTA_MEMORY_DESTINATION && d->fail_cohorts >= 1) {
		d->throttled_until = mta_timer(p, now, p->dead_time, phase);
		return true;
	}
	int step = d->negative ? 1 : 2;
	d->window = (uint16_t)(d->window > step ? d->window - step : 1);
	d->negative = 1;
	return false;
}

/* The ended delivery's feedback to its queue; true if it throttled it. */
static bool feedback(dest *d, const mta_profile *p, bool site_fail, sim_time now, sim_time phase)
{
	if (site_fail)
		return throttle(d, p, now, phase);
	unthrottle(d, p);
	return false;
}

/* Hands d's free slots to its waiters in order, as many as its window
 * and the holder have room for (the queue manager fills every free slot:
 * qmgr_transport_select, qmgr_job_entry_select; a window grown by one
 * starts two deliveries); a queue left empty goes at the end of the
 * instant. */
static void wake_dest(world *w, mta *h, const mta_profile *p, dest *d, uint64_t k, sim_time now)
{
	uint32_t total = total_of(w, (int)(k >> 32));
	while (d->wait.head && d->active < d->window && (!total || h->active < total)) {
		msg *m = pop(&d->wait, now);
		d->active++;
		h->active++;
		m->slotted = true;
		cache_select(d, m, p, now, phase_of(h));
		mail_slotted(w, m, SLOT_GO);
	}
	if (!d->active && !d->wait.head && !d->throttled_until)
		list_emptied(w, d, k, now);
}

/* Hands the holder's free slots to its wait list, in order. */
static void wake_holder(world *w, int holder, sim_time now)
{
	mta *h = &w->mtas[holder];
	uint32_t total = total_of(w, holder);
	bool created;
	while (h->listed && h->active < total) {
		waitlist *hl = tab_get(w->held, (uint64_t)holder, &created);
		if (!hl->head) {
			tab_del(w->held, (uint64_t)holder);
			h->listed = 0;
			return;
		}
		msg *m = pop(hl, now);
		slot_verdict v = slot_take(w, m);
		if (v != SLOT_WAITING)
			mail_slotted(w, m, v);
	}
}

/* The lone delivery's implicit queue gets its feedback and empties: the
 * instant's recent queue, or in the table if the recent one is taken or it
 * is throttled. */
static void solo_release(world *w, mta *h, const msg *m, const mta_profile *p, sim_time now)
{
	uint64_t k = key(m->holder, (uint32_t)m->domain);
	dest d = {.window = (uint16_t)p->slots_initial, .active = 1};
	bool throttled = feedback(&d, p, m->site_fail, now, phase_of(h));
	d.active = 0;
	done_at(&d, p, now, phase_of(h));
	h->solo = 0;
	if (!throttled && w->recent->at != now) {
		*w->recent = (struct slot_recent){k, now, d};
		return;
	}
	flush(w, now);
	dest *t = materialize(w, k, &d);
	if (!throttled)
		list_emptied(w, t, k, now);
}

void slot_release(world *w, msg *m)
{
	if (!m->slotted)
		return;
	m->slotted = false;
	const mta_profile *p = profile_of(w, m->holder);
	sim_time now = sim_now(w->s);
	mta *h = &w->mtas[m->holder];
	h->active--;
	if (h->solo && h->solo == (uint32_t)m->domain + 1) {
		solo_release(w, h, m, p, now);
		return;
	}
	msg *suspended = NULL;
	if (uses_dest(p)) {
		dest *d = dest_get(w, m, p, now);
		bool throttled = feedback(d, p, m->site_fail, now, phase_of(h));
		d->active--;
		done_at(d, p, now, phase_of(h));
		if (throttled) { /* qmgr_defer_todo */
			suspended = d->wait.head;
			for (msg *x = d->wait.head; x; x = x->next)
				x->waited += now - x->wait_since;
			d->wait.head = d->wait.tail = NULL;
		}
		wake_dest(w, h, p, d, key(m->holder, (uint32_t)m->domain), now);
	}
	wake_holder(w, m->holder, now);
	while (suspended) {
		msg *x = suspended;
		suspended = x->next;
		mail_slotted(w, x, SLOT_THROTTLED);
	}
}
