/*
 * mail_impl.h - inside the mail-flow model (mail.c, candidates.c,
 * slots.c, timeline.c, observe.c, run.c): the world of one run, the
 * message and its holders. Not for use outside models/.
 */
#ifndef MX_MAIL_IMPL_H
#define MX_MAIL_IMPL_H

#include "../sim/engine.h"
#include "../sim/table.h"
#include "run.h"
#include "model.h"
#include "server.h"
#include "traffic.h"

#include <gsl/gsl_rng.h>

enum { BLOCK = 4096 }; /* messages allocated at a time */
enum { RING = 4 };     /* ahead.c: messages drawn ahead */

/* Where an MX host's address leads, besides a server's number. */
enum { TO_REFUSE = -1, TO_TIMEOUT = -2, TO_NONE = -3 };

typedef struct msg msg;

/* Where a message is in its life cycle (drawn in mail.c), and what holds
 * there (mail.c's state_holds). */
typedef enum {
	MSG_FREE,       /* in the pool; no slot */
	MSG_AHEAD,      /* drawn ahead, not arrived yet; no slot */
	MSG_QUEUED,     /* at its holder, its next attempt scheduled; no slot */
	MSG_SLOT_WAIT,  /* at its holder, in one wait list (slots.c), or
			 * slotted with its go scheduled */
	MSG_ATTEMPTING, /* slotted, resolving and trying m->cand[ci..] */
	MSG_CONNECTING, /* slotted, waiting out m->cand[ci - 1]'s connect timeout */
	MSG_SESSION     /* slotted, in an SMTP session with m->server (hung while
			 * it drops packets: m->stall_from, stall_left) */
} msg_state;

/* A sending MTA: a sender, or a backup server relaying onward. Kept small:
 * a million of them are touched at random. */
typedef struct {
	uint32_t phase_ms; /* of its queue-run grid */
	uint32_t resolver;
	uint32_t active; /* deliveries holding a slot */
	uint32_t solo;   /* slots.c: domain + 1 of a lone delivery's implicit queue */
	uint32_t ndests; /* slots.c: its destination queues in w->dests */
	uint8_t profile;
	uint8_t listed; /* slots.c: its wait list (slots_total full) exists */
	uint8_t dead;   /* mail.c: it has host retry records in w->dead */
} mta;

/* MTA_MEMORY_HOST: a holder's retry records of hosts that failed, two at most
 * (kept apart from mta: few holders have any). */
typedef struct {
	uint32_t host[2];                     /* host + 1; 0: no record */
	uint32_t until[2], first[2], last[2]; /* s: next try (rounded up), first and last failure */
} mail_dead;

/* What a backup server needs besides. */
typedef struct {
	int server;
} relay;

/* A delivery candidate: an MX host and where its address leads. */
typedef struct {
	int host, to; /* to: a server, or TO_REFUSE / TO_TIMEOUT */
} mail_cand;

/* candidates.c: an MX rrset's candidate list, worked out once. */
typedef struct {
	enum { PLAN_UNKNOWN, PLAN_READY, PLAN_NONE } state;
	int n;
	mail_cand cand[DNS_MAX_MX];
} mail_plan;

struct msg {
	msg *next; /* free list or relay wait list */
	uint64_t id;
	int sender;
	int domain, holder;
	uint32_t size;
	sim_time birth, hop_birth, first_fail;
	int attempts;
	uint8_t ncand, ci;
	bool listed;    /* passing.c: waiting for its hosts' connections (Exim) */
	bool own_defer; /* ATTEMPTING: deferred for a reason of its own (4xx at
			 * RCPT or MAIL: Exim lists it for no host) */
	uint16_t seq;   /* SESSION: messages over its connection so far, itself
			 * included (Exim's continue_sequence) */
	int server;     /* in session with */
	bool first;
	bool reused;    /* in a session over a connection already open: cached
			 * (conncache.c) or passed on (passing.c) */
	uint8_t conn;   /* MAIL_CONN_*: its delivery's cache flags (slots.c) */
	bool slotted;   /* holds a delivery slot at its holder (slots.c) */
	bool site_fail; /* the attempt's last failure was the site's (Postfix) */
	uint8_t state;  /* msg_state */
	uint8_t syns;   /* CONNECTING: SYN retransmissions so far (mail.c) */
	int8_t skip;    /* ATTEMPTING: the candidate tried over a cached connection
			 * that failed (-1: none) */
	srv_grey grey;
	union {
		sim_time wait_since; /* SLOT_WAIT: for a delivery slot since */
		sim_time conn_born;  /* SESSION: when its connection was made */
	};
	sim_time waited;                 /* for a delivery slot, this hop */
	sim_time stall_from, stall_left; /* SESSION: its start, or where it hung and
					  * what was left of it (mail.c) */
	mail_cand cand[DNS_MAX_MX];      /* last: msg_new leaves it as it was */
};

typedef struct world {
	const mdl_config *c;
	mdl_result *r;
	sim *s;
	dns *d;
	res *res;
	gsl_rng *rng[MDL_STREAM_N];
	mta *mtas;     /* senders, then one per backup server */
	relay *relays; /* [holder - nsenders] for backups */
	int nmtas;
	tab *dests;               /* slots.c: destination queues */
	tab *held;                /* slots.c: holders' wait lists (slots_total full) */
	tab *dead;                /* mail.c: mail_dead records by holder */
	struct mail_conns *conns; /* conncache.c: idle connections */
	struct mail_waits *waits; /* passing.c: Exim's messages waiting for hosts */
	uint64_t *emptied;        /* slots.c: keys of queues emptied at emptied_at */
	size_t nemptied, emptied_cap;
	sim_time emptied_at;
	struct slot_recent *recent; /* slots.c: a lone queue emptied at an instant */
	servers *srv;
	bool *host_static; /* [nhosts]: its address never changes */
	mail_plan *plans;  /* candidates.c: [rrset id], grown as met */
	size_t nplans;
	traffic *traffic;
	msg *free_msgs;
	msg *ahead[RING];    /* the next messages, drawn ahead: a ring */
	unsigned next_ahead; /* the next one's place in it */
	msg **blocks;
	int nblocks;
	uint64_t live_senders, live_backups;
	/* current bucket */
	uint64_t b_arrivals, b_delivered, b_bounced, b_deferred, b_lookups, b_stale;
	uint64_t b_late; /* delivered later than c->within after arrival */
	uint64_t b_bounces[MDL_BOUNCE_N];
	int bucket;
} world;

static inline double sec(sim_time t)
{
	return (double)t / SIM_SEC;
}

/* The relay state of a holder, or NULL for a sender. */
static inline relay *relay_of(world *w, int holder)
{
	return holder >= w->c->nsenders ? &w->relays[holder - w->c->nsenders] : NULL;
}

/* Where the holder's queue-run grid starts (it keeps milliseconds). */
static inline sim_time phase_of(const mta *h)
{
	return (sim_time)h->phase_ms * (SIM_SEC / 1000);
}

static inline const mta_profile *profile_of(const world *w, int holder)
{
	return &w->c->profiles[w->mtas[holder].profile];
}

/* slots.c: delivery slots and destination throttling (Postfix qmgr) */
typedef enum { SLOT_GO, SLOT_WAITING, SLOT_THROTTLED } slot_verdict;
/* candidates.c: what the MX lookup decided (mail.c acts on it) */
typedef struct {
	enum { VERDICT_WALK, VERDICT_BOUNCE, VERDICT_DEFER } kind;
	mdl_bounce why; /* VERDICT_BOUNCE */
} mail_verdict;

/* mail.c: the life cycle, every transition of a message */
void mail_start(world *w);
/* A message from the pool (AHEAD: drawn, not arrived). */
msg *mail_new(world *w);
/* ahead.c: a new message drawn from the traffic; the next to arrive
 * from the ring, a new one drawn in its place */
msg *mail_draw(world *w);
msg *mail_pop_ahead(world *w);
/* slots.c's verdict for m (SLOT_WAIT): SLOT_GO, it attempts now (as an
 * event); SLOT_THROTTLED, it is deferred untried */
void mail_slotted(world *w, msg *m, slot_verdict v);
/* Whether m has arrived and not ended. */
bool mail_live(const msg *m);
void mail_trace(world *w, const msg *m, mdl_trace_kind k, int server, mdl_bounce why);
/* candidates.c: RFC 5321 section 5.1: resolves MX through the holder's
 * resolver and, for VERDICT_WALK, puts the candidates in m->cand (a
 * temporary DNS failure: VERDICT_DEFER, counted, m->site_fail set) */
mail_verdict mail_candidates(world *w, msg *m);
/* candidates.c: starts fetching the plan of domain's current MX rrset
 * (reading its current answer) */
void mail_prefetch_plan(const world *w, int domain);
void slot_init(world *w);
void slot_free(world *w);
/* Starts fetching the destination queue m's first slot_take will touch. */
void slot_prefetch(const world *w, const msg *m);
/* m (QUEUED or SLOT_WAIT) asks for its slots: SLOT_GO (taken), SLOT_WAITING
 * (put in a wait list) or SLOT_THROTTLED (the caller defers it) */
slot_verdict slot_take(world *w, msg *m);
/* m's attempt ended (m->site_fail: with a failure of the site): its slots
 * go to waiters; a full failed cohort throttles the destination
 * (waiters get their verdicts through mail_slotted) */
void slot_release(world *w, msg *m);
/* hostmem.c: MTA_MEMORY_HOST's records of failed hosts (Exim) */
bool hostmem_dead(const world *w, const mta *h, int host, sim_time now);
void hostmem_failed(world *w, mta *h, int host);
void hostmem_took(world *w, mta *h, int host);
/* timeline.c */
dns_answer mail_host_answer(const mdl_host *h);
void mail_schedule_changes(world *w);
/* observe.c: the sampling action, once per bucket */
void mail_sample(sim *s, void *subject, void *object);
/* conncache.c: Postfix's connection cache. A delivery's flags (from its
 * destination queue when it starts, qmgr_entry_select): reuse cached
 * connections, cache new ones. */
enum { MAIL_CONN_LOAD = 1, MAIL_CONN_STORE = 2 };
typedef struct mail_conns mail_conns;
void conn_init(world *w);
void conn_free(world *w);
/* An idle connection of m's holder taken for m: to sv, or (sv < 0) to a
 * server m's destination is bound to; its server, or -1 if none. */
int conn_take(world *w, msg *m, int sv);
/* m's session with sv ended well over a connection that may be cached
 * (m->reused, or made with MAIL_CONN_STORE): whether it is. */
bool conn_keep(world *w, const msg *m, int sv);
/* mail.c: the actions that end a session, or give up on a hung one */
void mail_session_end(sim *s, void *subject, void *object);
void mail_session_timeout(sim *s, void *subject, void *object);
/* stall.c: whether m's server started dropping packets since m's session
 * began (m->stall_from): then it hung there (true), to go on or give up
 * as an event. stall_wait: m's session hangs at m->stall_from (already
 * set, with m->stall_left), until the next retransmission or the
 * timeout. */
bool stall_hung(world *w, msg *m);
void stall_wait(world *w, msg *m);
/* passing.c: Exim's connection passing (the wait-<transport> hints
 * database). */
typedef struct mail_waits mail_waits;
void pass_init(world *w);
void pass_free(world *w);
/* m (QUEUED) waits for its next attempt, the event retry: listed for each
 * of its candidate hosts when the attempt failed for its hosts (hosts, and
 * not m->own_defer) at a holder that passes connections */
void pass_queued(world *w, msg *m, sim_handle retry, bool hosts);
/* The newest queued message waiting for host at holder, taken out of
 * that list, its retry cancelled; NULL if none */
msg *pass_take(world *w, int holder, int host);
/* m (listed) leaves its holder: out of every list */
void pass_forget(world *w, msg *m);
/* observe.c: a message's end counted (its trace, the results, the bucket) */
void mail_count_bounced(world *w, const msg *m, mdl_bounce why);
void mail_count_delivered(world *w, const msg *m, int server);

#endif
