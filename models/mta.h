/*
 * mta.h - sending MTA profiles: retry schedules, queue lifetime, connect
 * timeout, how many MX addresses an attempt tries, what the MTA remembers
 * of failures (per destination as Postfix, per host as Exim, or nothing)
 * and its delivery slots (per destination, with Postfix's slow start, and
 * in all).
 *
 * A connection to a host that drops packets is the OS's: the SYN is sent
 * again after syn_rto, syn_linear more times after syn_rto each, then
 * after twice as long each time (RFC 6298 5.5), syn_retries times, and
 * the OS gives up one doubled interval later (Linux >= 6.5:
 * TCP_TIMEOUT_INIT 1 s, tcp_syn_linear_timeouts 4, tcp_syn_retries 6:
 * SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, giving up at 131 s;
 * Windows: 3 s, TcpMaxConnectRetransmissions 2: 0, 3, 9 s, 21 s). It
 * succeeds at the first SYN after the host is back, and fails at the
 * OS's giving up or the MTA's connect_timeout, the sooner (mta_syn_at,
 * mta_connect_limit).
 *
 * A message that keeps failing is retried at mta_next_retry and bounces as
 * expired at the first failed attempt at or after its queue lifetime
 * (measured from arrival, or from the first failure for Exim).
 */
#ifndef MX_MTA_H
#define MX_MTA_H

#include "../sim/simtime.h"
#include "../sim/names.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum {
	MTA_SCHED_POSTFIX,   /* clamp(age, min, max) in whole seconds, then a queue run */
	MTA_SCHED_EXIM,      /* each queue run; hosts skipped by their retry records */
	MTA_SCHED_QUEUE_RUN, /* the next queue run (Sendmail -q) */
	MTA_SCHED_EXCHANGE,  /* 6 transient retries every 5 min, then every 15 min */
	MTA_SCHED_LINEAR,    /* min, 2 min, 3 min ... capped at max */
	MTA_SCHED_DOUBLING,  /* min, 2 min, 4 min ... capped at max */
	MTA_SCHED_QMAIL,     /* birth + n^2 s, n = floor(sqrt(age s)) + 20 */
	MTA_SCHED_SQUARE     /* creation + 400 s * step^2 (OpenSMTPD) */
} mta_sched;

/* What an MTA remembers of a failure, beyond the message's own retry. */
typedef enum {
	MTA_MEMORY_NONE,        /* nothing: each message tries every host */
	MTA_MEMORY_DESTINATION, /* Postfix qmgr: a failed cohort throttles the domain */
	MTA_MEMORY_HOST,        /* Exim retry database: a failed host is skipped */
	MTA_MEMORY_N
} mta_memory;

/* One rule of an Exim retry rule (The Exim Specification, ch. "Retry
 * configuration"; src/retry.c, retry_update): in force while the host has
 * been failing for at most cutoff (the last one after that too). 'F': the
 * next try p1 after the failure; 'G': the last gap times p2, at least p1. */
typedef struct {
	char kind;
	double p2;
	sim_time cutoff, p1;
} mta_retry_rule;
enum { MTA_RETRY_RULES = 8 };

typedef struct {
	char name[NAME_MAX_LEN + 1];
	mta_sched sched;
	int nretry; /* MTA_SCHED_EXIM: its retry rule */
	mta_retry_rule retry[MTA_RETRY_RULES];
	sim_time min_backoff, max_backoff, queue_run;
	bool phase_fixed;         /* every sender's queue runs at phase + k x queue_run; */
	sim_time phase;           /* else each sender's phase is drawn */
	sim_time lifetime;        /* give up (bounce as expired) after */
	bool lifetime_from_fail;  /* Exim: counted from the first failure */
	sim_time connect_timeout; /* the MTA's wait for a connection */
	sim_time syn_rto;         /* the OS's first SYN retransmission timeout */
	int syn_linear;           /* then this many more at syn_rto (Linux >= 6.5) */
	int syn_retries;          /* then doubling, this many before it gives up */
	sim_time session_timeout; /* the wait for a reply in a hung session */
	bool fastopen;            /* TCP Fast Open: the connect's wait is session_timeout's */
	int mx_limit;             /* addresses tried per attempt */
	mta_memory memory;
	sim_time dead_time;                   /* a throttled destination or failed host is skipped
			      * this long (Exim: its retry rule instead) */
	int slots_initial;                    /* per destination at first (0: no limit) */
	int slots_max;                        /* per destination at most, reached by slow start */
	int slots_total;                      /* deliveries at once in all (0: no limit) */
	bool connection_cache;                /* Postfix's on-demand connection cache */
	sim_time connection_cache_time_limit; /* a cached connection idles at most */
	sim_time connection_reuse_time_limit; /* and is cached again until this after
					       * it was made */
	int connection_max_messages;          /* Exim: deliveries over one connection,
					       * passed on to mail waiting for its host
					       * (1: not passed; 0: no limit) */
	const char *schedule, *source;        /* in words, and where it comes from */
} mta_profile;

extern const char *const mta_memory_names[MTA_MEMORY_N];

/* Built-in profile by name (mta.c's table; `mxsim help profiles`), or
 * NULL. */
const mta_profile *mta_builtin(const char *name);
/* The built-ins in order: 0 <= i < mta_builtin_count(). */
int mta_builtin_count(void);
const mta_profile *mta_builtin_at(int i);

/* When a message that arrived at birth and has had `attempts` failed
 * attempts (the last at now) is tried again. phase places the sender's
 * queue-run grid. */
sim_time mta_next_retry(const mta_profile *p, sim_time birth, int attempts, sim_time now,
			sim_time phase);

/* When a timer of delay set at now runs out. Postfix's count whole seconds
 * of its clock, whose seconds begin at the queue-run grid's phase
 * (src/util/events.c); the others' are exact. */
sim_time mta_timer(const mta_profile *p, sim_time now, sim_time delay, sim_time phase);
/* The offset of the clock of a host whose queue-run grid has this phase:
 * its whole seconds fall at the run times t with (t + offset) % 1 s = 0
 * (the grid's runs are on whole seconds of it). */
sim_time mta_clock(sim_time phase);
/* The whole second (since its clock's epoch) that Postfix's clock reads
 * at run time t, as event_time() does (the clock of a queue-run grid of
 * that phase). */
sim_time mta_second(sim_time t, sim_time phase);

/* Until when a host that failed at now is skipped (MTA_MEMORY_HOST): by
 * Exim's retry rule, from its record (failing since first, last tried at
 * last, to be tried next at next: src/retry.c, retry_update); else now +
 * dead_time. Whole seconds, as Exim's records. */
sim_time mta_host_retry(const mta_profile *p, sim_time first, sim_time last, sim_time next,
			sim_time now);

/* An Exim retry rule ("F,2h,15m; G,16h,1h,1.5; F,4d,6h") into p; 0, or -1
 * with what was expected in err. mta_retry_text: p's, as written. */
int mta_retry_parse(mta_profile *p, const char *text, char *err, size_t len);
void mta_retry_text(const mta_profile *p, char *buf, size_t len);

/* Whether a message failing at now has reached its queue lifetime. */
bool mta_expired(const mta_profile *p, sim_time birth, sim_time first_fail, sim_time now);
/* When the k-th SYN retransmission goes, from the first SYN (k >= 1;
 * k = syn_linear + syn_retries + 1: when the OS gives up). */
sim_time mta_syn_at(const mta_profile *p, int k);
/* The first retransmission at or after t of a segment sent at `from` on
 * an open connection whose peer stopped answering: Linux's RTO from
 * TCP_RTO_MIN 200 ms, doubling, at most TCP_RTO_MAX 120 s apart
 * (include/net/tcp.h; RFC 6298 5.5). */
sim_time mta_retransmit_at(sim_time from, sim_time t);
/* How long a connection to a host that drops packets waits before it
 * fails: the sooner of connect_timeout and the OS's giving up (a profile
 * with no syn_rto: connect_timeout, with no SYN retransmitted). */
sim_time mta_connect_limit(const mta_profile *p);

#endif
