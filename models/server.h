/*
 * server.h - receiving servers: concurrent sessions, the domains each takes
 * (changing over the timeline), size limit, per-sender rate limits,
 * greylisting and outages. A connection gets the reply a real server would
 * give: 421 when no session is free (Postfix anvil, RFC 5321 4.2.3),
 * 552 5.3.4 over the size limit (RFC 1870), 554 5.7.1 relay denied for a
 * domain it does not take (Postfix smtpd_relay_restrictions), 451 while
 * greylisted (postgrey's 300 s), refused or dropped connections when down,
 * and at a backup whose queue is full 452 4.3.1 insufficient system
 * storage (Postfix smtpd's answer when queue_minfree is not met).
 *
 * Invariant: a server's open sessions never exceed its capacity; each
 * accepted connection is one open session until srv_close. A backup's
 * stored messages and bytes (taken when a session opens, given back by
 * srv_unstore when the message leaves its queue) never exceed its limits.
 */
#ifndef MX_SERVER_H
#define MX_SERVER_H

#include "model.h"

#include <gsl/gsl_rng.h>
#include <stdbool.h>

typedef enum {
	SRV_ACCEPT,       /* a session opens */
	SRV_REFUSED,      /* down: connection refused */
	SRV_TIMEOUT,      /* down: packets dropped */
	SRV_BUSY,         /* 421: every session in use */
	SRV_RATE,         /* 421 4.7.0: the sender is over its rate */
	SRV_GREYLISTED,   /* 451 4.7.1 */
	SRV_RELAY_DENIED, /* 554 5.7.1: the domain is not taken here */
	SRV_TOO_LARGE,    /* 552 5.3.4 */
	SRV_STORAGE       /* 452 4.3.1: a backup's queue is full */
} srv_reply;

/* A message's greylisting state: the server (+1) that saw it first, when. */
typedef struct {
	int server;
	sim_time seen;
} srv_grey;

typedef struct servers servers;

/* The servers of config c; holders are the senders and backups that
 * connect (numbered 0..nholders-1). Counters go to r->server[] (borrowed).
 * Free with srv_free. */
servers *srv_new(const mdl_config *c, int nholders, mdl_result *r);
void srv_free(servers *v);

/* The reply of server sv to a connection from holder for a message of size
 * bytes to domain. trusted: a backup relaying onward (not rate limited).
 * first: the first candidate of the message's first attempt (counted apart,
 * for Erlang B). */
srv_reply srv_connect(servers *v, int sv, int holder, bool trusted, int domain, uint32_t size,
		      srv_grey *grey, bool first, sim_time now);
/* The same for a message sent over a connection already open (a cached
 * one): the transaction's replies only; the session stays held. */
srv_reply srv_transaction(servers *v, int sv, int holder, bool trusted, int domain, uint32_t size,
			  srv_grey *grey, sim_time now);

/* How long the session for a message of size bytes lasts. */
sim_time srv_session_time(const servers *v, int sv, uint32_t size, gsl_rng *r);
void srv_close(servers *v, int sv, sim_time now);
void srv_delivered(servers *v, int sv);
/* A message of size bytes left backup sv's queue. */
void srv_unstore(servers *v, int sv, uint32_t size);

void srv_set_down(servers *v, int sv, bool down, sim_time now);
bool srv_is_down(const servers *v, int sv);
/* When server sv last went down, and last came back (-1: never). */
sim_time srv_down_at(const servers *v, int sv);
sim_time srv_up_at(const servers *v, int sv);
void srv_set_accept(servers *v, int sv, int domain, bool yes);

/* Starts fetching holder's rate-limit state (a hint). */
void srv_prefetch(const servers *v, int holder);

/* Server sv's time-series columns of the bucket ending now (delivered,
 * mean sessions, peak sessions, stored messages and bytes); starts the
 * next bucket. */
void srv_sample(servers *v, int sv, sim_time now, double col[MDL_TS_PER_SERVER]);
double srv_mean_sessions(const servers *v, int sv, sim_time end);

#endif
