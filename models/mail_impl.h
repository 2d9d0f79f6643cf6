/*
 * mail_impl.h - inside the mail-flow model (mail.c, candidates.c,
 * timeline.c, observe.c, run.c): the world of one run, the message and its
 * holders. Not for use outside models/.
 */
#ifndef MX_MAIL_IMPL_H
#define MX_MAIL_IMPL_H

#include "mail.h"
#include "server.h"
#include "traffic.h"

#include <gsl/gsl_rng.h>

enum { BLOCK = 4096 }; /* messages allocated at a time */

/* Where an MX host's address leads, besides a server's number. */
enum { TO_REFUSE = -1, TO_TIMEOUT = -2, TO_NONE = -3 };

/* The random streams of a run, one per component (sim/rng.h). */
enum {
	STREAM_ARRIVAL,
	STREAM_DOMAIN,
	STREAM_SENDER,
	STREAM_SIZE,
	STREAM_SHUFFLE,
	STREAM_SERVICE,
	STREAM_OUTAGE,
	STREAM_SETUP,
	STREAM_N
};

typedef struct msg msg;

/* Where a message is in its life cycle (drawn in mail.c). */
typedef enum {
	MSG_FREE,       /* in the pool */
	MSG_AHEAD,      /* drawn ahead, not arrived yet */
	MSG_QUEUED,     /* at its holder, waiting for its next attempt */
	MSG_SLOT_WAIT,  /* at a backup, waiting for a relay slot */
	MSG_ATTEMPTING, /* resolving and trying candidates */
	MSG_CONNECTING, /* waiting out a connect timeout */
	MSG_SESSION     /* in an SMTP session with m->server */
} msg_state;

/* A sending MTA: a sender, or a backup server relaying onward. Kept small:
 * a million of them are touched at random. */
typedef struct {
	sim_time phase; /* of its queue-run grid */
	uint32_t resolver;
	uint32_t dead_host[2]; /* host + 1 remembered dead, until (s) */
	uint32_t dead_until[2];
	uint8_t profile;
} mta;

/* What a backup server needs besides: relay slots and its queue. */
typedef struct {
	int server, slots, active;
	msg *wait_head, *wait_tail;
	uint64_t queued;
} relay;

struct msg {
	msg *next; /* free list or relay wait list */
	uint64_t id;
	int sender;
	int domain, holder;
	uint32_t size;
	sim_time birth, hop_birth, first_fail;
	int attempts;
	int ncand, ci;
	struct {
		int host, to; /* to: a server, or TO_REFUSE / TO_TIMEOUT */
	} cand[DNS_MAX_MX];
	int server; /* in session with */
	bool first, live;
	uint8_t state; /* msg_state */
	srv_grey grey;
};

typedef struct world {
	const mdl_config *c;
	mdl_result *r;
	sim *s;
	dns *d;
	res *res;
	gsl_rng *rng[STREAM_N];
	mta *mtas;     /* senders, then one per backup server */
	relay *relays; /* [holder - nsenders] for backups */
	int nmtas;
	servers *srv;
	bool *host_static; /* [nhosts]: its address never changes */
	traffic *traffic;
	msg *free_msgs;
	msg *ahead[2]; /* the next messages, drawn ahead */
	msg **blocks;
	int nblocks;
	uint64_t live_senders, live_backups;
	/* current bucket */
	uint64_t b_arrivals, b_delivered, b_bounced, b_deferred, b_lookups, b_stale;
	uint64_t b_bounces[BOUNCE_N];
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

/* mail.c: the life cycle */
void mail_start(world *w);
void mail_bounce(world *w, msg *m, mdl_bounce why);
void mail_defer(world *w, msg *m);
void mail_trace(world *w, const msg *m, mdl_trace_kind k, int server, mdl_bounce why);
/* candidates.c: RFC 5321 section 5.1; false if the message ended or
 * deferred */
bool mail_candidates(world *w, msg *m);
/* timeline.c */
dns_answer mail_host_answer(const mdl_host *h);
void mail_schedule_changes(world *w);
/* observe.c: the sampling action, once per bucket */
void mail_sample(sim *s, void *subject, void *object);

#endif
