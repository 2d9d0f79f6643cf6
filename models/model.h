/*
 * model.h - the data of the mail-flow model of one run (types only; the
 * run's API is run.h): what is modelled, an mdl_config of domains, MX
 * hosts, receiving servers, resolvers, sending MTAs, traffic and a
 * timeline of changes; and what came out, an mdl_result.
 *
 * Invariant (checked by mdl_run): every message generated ends exactly one
 * way - delivered, bounced (with one reason) or still queued at a sender or
 * a backup - so submitted = delivered + bounced + queued.
 */
#ifndef MX_MODEL_H
#define MX_MODEL_H

#include "../sim/dist.h"
#include "../sim/simtime.h"
#include "../sim/stats.h"
#include "dns.h"
#include "mta.h"
#include "resolver.h"

#include <stdbool.h>
#include <stdint.h>

/* The random streams of a run, one per component (sim/rng.h), and the
 * scenario's own: its population domains, drawn once from the seed
 * (scn_domains.c). */
enum {
	MDL_STREAM_ARRIVAL,
	MDL_STREAM_DOMAIN,
	MDL_STREAM_SENDER,
	MDL_STREAM_SIZE,
	MDL_STREAM_SHUFFLE,
	MDL_STREAM_SERVICE,
	MDL_STREAM_OUTAGE,
	MDL_STREAM_SETUP,
	MDL_STREAM_N,
	MDL_STREAM_POPULATION = 1000
};

typedef enum {
	MDL_BOUNCE_RELAY_DENIED,   /* 554/550 5.7.1: server does not take the domain */
	MDL_BOUNCE_TOO_LARGE,      /* 552 5.3.4 */
	MDL_BOUNCE_EXPIRED,        /* queue lifetime passed at a sender */
	MDL_BOUNCE_BACKUP_EXPIRED, /* queue lifetime passed at a backup MX */
	MDL_BOUNCE_NO_DOMAIN,      /* MX lookup NXDOMAIN */
	MDL_BOUNCE_NO_ADDRESS,     /* no MX target has an address (5.4.4) */
	MDL_BOUNCE_NULL_MX,        /* RFC 7505, 556 5.1.10 */
	MDL_BOUNCE_LOOP,           /* backup MX with no better MX left */
	MDL_BOUNCE_N
} mdl_bounce;
extern const char *const mdl_bounce_names[MDL_BOUNCE_N];

typedef enum {
	MDL_DEFER_REFUSED,   /* connection refused */
	MDL_DEFER_TIMEOUT,   /* connect timeout */
	MDL_DEFER_BUSY,      /* 421: all sessions in use */
	MDL_DEFER_RATE,      /* 421/451: per-sender rate limit */
	MDL_DEFER_GREYLIST,  /* 451 greylisted */
	MDL_DEFER_STORAGE,   /* 452 4.3.1: a backup's queue is full */
	MDL_DEFER_DNS,       /* SERVFAIL: temporary DNS failure */
	MDL_DEFER_DEAD,      /* host skipped: remembered dead (host memory) */
	MDL_DEFER_THROTTLED, /* not tried: the destination is throttled */
	MDL_DEFER_HUNG,      /* a session hung past session_timeout (packets dropped) */
	MDL_DEFER_N
} mdl_defer;
extern const char *const mdl_defer_names[MDL_DEFER_N];

typedef struct {
	host_kind kind;
	int server;       /* DNS_HOST_SERVER */
	sim_time ttl;     /* of its address record */
	sim_time neg_ttl; /* of NXDOMAIN for it */
} mdl_host;

typedef struct {
	char name[NAME_MAX_LEN + 1];
	int provider;
	bool backup;              /* accepts, queues and relays to better MX hosts */
	int host;                 /* the MX host name it answers as */
	int sessions;             /* concurrent sessions; full => 421 */
	dist session_time;        /* seconds, plus size / bandwidth */
	double bandwidth;         /* bytes/s; 0: size adds nothing */
	double size_limit;        /* bytes; 0: none */
	double rate, burst;       /* per-sender token bucket (msg/s, msgs); 0: none */
	sim_time greylist;        /* 0: off */
	sim_time mtbf, mttr;      /* random outages; 0: none */
	bool down_refuses;        /* down: refused (else: packets dropped) */
	int relay_profile;        /* backup: MTA profile index for relaying */
	int relay_resolver;       /* backup: resolver it uses */
	int relay_sessions;       /* backup: concurrent relay deliveries */
	uint64_t queue_limit;     /* backup: messages stored at most (0: none) */
	double queue_bytes_limit; /* backup: bytes stored at most (0: none) */
} mdl_server;

typedef enum {
	MDL_EV_MX,       /* domain's MX answer becomes answer */
	MDL_EV_TTL,      /* domain's MX TTL becomes ttl */
	MDL_EV_ACCEPT,   /* server takes domain (-1: all) */
	MDL_EV_REJECT,   /* server refuses domain (-1: all): relay denied */
	MDL_EV_DOWN,     /* server down */
	MDL_EV_UP,       /* server up */
	MDL_EV_DNS_DOWN, /* domain's authority unreachable */
	MDL_EV_DNS_UP,
	MDL_EV_ADDRESS /* MX host `host` resolves to `address` from now on */
} mdl_ev_kind;

typedef struct {
	sim_time at;
	mdl_ev_kind kind;
	int domain; /* -1: every domain */
	int server;
	dns_answer answer;
	sim_time ttl;
	int host;
	mdl_host address;
} mdl_event;

typedef enum { MDL_PATTERN_FLAT, MDL_PATTERN_OFFICE, MDL_PATTERN_TABLE } mdl_pattern;

typedef enum {
	MDL_TRACE_ATTEMPT,
	MDL_TRACE_DELIVERED,
	MDL_TRACE_BOUNCED,
	MDL_TRACE_QUEUED
} mdl_trace_kind;

/* One step of one message, for --trace and tests. */
typedef struct {
	mdl_trace_kind kind;
	uint64_t id; /* 1, 2, ... in order of arrival */
	int domain, sender;
	int holder;   /* sender, or nsenders + k for the k-th backup */
	int attempts; /* attempts by the current holder so far */
	int server;   /* delivered: to which; else -1 */
	mdl_bounce reason;
	sim_time birth, now;
	uint32_t size;
} mdl_trace;

typedef struct {
	sim_time duration, bucket;
	sim_time within;     /* [report] within: delivered_within counts mail delivered this soon */
	sim_time after;      /* [report] after: delivered_after counts from then (SIM_NEVER) */
	uint64_t max_events; /* the work limit per run (0: none) */
	sim_time week_offset; /* time 0 is this long after Monday 00:00 */
	uint64_t seed;        /* this replication's seed */

	int ndomains;
	dns_answer *initial;  /* [ndomains] MX answer at time 0 */
	double *weight;       /* [ndomains] share of traffic */
	int *self_host;       /* [ndomains] host of the domain's own A (implicit MX) */
	bool *additional;     /* [ndomains] MX answers carry the hosts' addresses */
	sim_time *cutover;    /* [ndomains] when the MX moves (SIM_NEVER: never) */
	int *new_provider;    /* [ndomains] provider it moves to (-1: none) */
	sim_time *honour_end; /* [ndomains] after the cutover, the longest a TTL-honouring
			       * resolver may still answer with an earlier MX (NULL: 0) */

	int nhosts;
	mdl_host *hosts;
	int nservers, nproviders;
	mdl_server *servers;
	const char *const *server_names;   /* [nservers] */
	const char *const *provider_names; /* [nproviders] */
	bool *accepts;                     /* [nservers * ndomains]: initially takes the domain */

	int nresolvers; /* the senders', then one per backup */
	int nsender_resolvers;
	const res_profile **resolver; /* [nresolvers] */
	double resolver_zipf;         /* senders' share over resolvers */
	res_start cache_start;        /* where caches are at time 0 */
	double cache_age;             /* RES_START_AGE: share of the lifetime lived */
	/* Resolver classes (the mix's profiles, then backups' own): a sender
	 * uses class k with probability class_share[k] (weighted by its
	 * traffic), then one of the class's resolvers by Zipf rank. */
	int nclasses;
	const char **class_name; /* [nclasses] */
	double *class_share;     /* [nclasses]; 0 for backups' classes */
	int *res_class;          /* [nresolvers] */

	int nsenders;
	double sender_zipf; /* traffic share over senders: rank^-s */
	int nprofiles;
	mta_profile *profiles; /* [nprofiles] */
	double *profile_share; /* [nprofiles] share of senders */

	double rate;                          /* mean messages per second, all domains */
	sim_time traffic_start, traffic_stop; /* arrivals only in [start, stop) */
	bool fixed_arrivals;                  /* one every 1/rate, not Poisson */
	mdl_pattern pattern;
	double hourly[SIM_WEEK_HOURS]; /* MDL_PATTERN_TABLE: relative rate per hour of week */
	double office_peak;            /* MDL_PATTERN_OFFICE: business hours over night (0: 9) */
	dist size;                     /* bytes */

	int nevents;
	mdl_event *events;

	/* optional: called for each attempt and each end of a message, and
	 * (MDL_TRACE_QUEUED) for each message still queued when the run ends */
	void (*trace)(void *ctx, const mdl_trace *t);
	void *trace_ctx;
	/* optional: called every 2^16 events with the simulated time */
	void (*progress)(void *ctx, sim_time now, uint64_t events);
	void *progress_ctx;
} mdl_config;

/* Time-series columns, per bucket; then bounces per reason (MDL_BOUNCE_N),
 * then per server (MDL_TS_PER_SERVER): delivered, mean and peak sessions,
 * a backup's stored messages and bytes at the bucket's end. */
#define MDL_TS_PER_SERVER 5
typedef enum {
	MDL_TS_ARRIVALS,
	MDL_TS_DELIVERED,
	MDL_TS_BOUNCED,
	MDL_TS_DEFERRED,
	MDL_TS_QUEUED_SENDERS,
	MDL_TS_QUEUED_BACKUPS,
	MDL_TS_OLD_MX_SHARE,
	MDL_TS_DELIVERED_LATE,
	MDL_TS_N
} mdl_ts;

/* A time-series row's width with nservers servers, and where server i's
 * columns start in it. */
static inline int mdl_ts_server_col(int i)
{
	return MDL_TS_N + MDL_BOUNCE_N + MDL_TS_PER_SERVER * i;
}
static inline int mdl_ts_width(int nservers)
{
	return mdl_ts_server_col(nservers);
}

/* Past a domain's honour_end, how late a delivery may still come from an
 * honouring resolver's answer (the session after the lookup). */
#define MDL_STRETCH_SLACK SIM_MIN

/* The latency histogram: log bins from 10 ms to 1e8 s, 20 a decade. */
#define MDL_LATENCY_LO 0.01
#define MDL_LATENCY_HI 1e8
#define MDL_LATENCY_BINS 20

typedef struct {
	uint64_t delivered, offered, busy, first_offered, first_busy;
	double peak_sessions, mean_sessions;
	uint64_t peak_queue;     /* backups: messages stored (received or receiving) */
	double peak_queue_bytes; /* backups */
	uint64_t storage_full;   /* backups: 452 replies */
	uint64_t reused;         /* delivered over a cached connection */
	uint64_t after;          /* delivered at or after [report] after */
} mdl_server_result;

typedef struct {
	uint64_t submitted, delivered, bounced, queued_senders, queued_backups;
	uint64_t bounces[MDL_BOUNCE_N], deferrals[MDL_DEFER_N];
	uint64_t attempts, deferred_attempts, lookups, stale_lookups;
	uint64_t delivered_old_after; /* to a provider other than the new one, after the cutover */
	double old_last;              /* seconds after the cutover of the last such delivery */
	uint64_t *class_old_after;    /* [nclasses] of those, by the deliverer's resolver class */
	double *class_old_last;       /* [nclasses] s */
	double slot_wait_s;           /* delivered messages' total wait for a slot */
	double slot_wait_max_s;       /* the longest one message waited */
	uint64_t old_after_stretched; /* of those, delivered past honour_end + STRETCH_SLACK */
	double old_last_honouring;    /* s: old_last via the classes that honour them */
	uint64_t peak_queue_senders;
	uint64_t events;
	uint64_t fingerprint;         /* sim_fingerprint of the run */
	mdl_server_result *server;    /* [nservers] */
	uint64_t *provider_delivered; /* [nproviders] */
	st_hist latency;              /* seconds, delivered messages */
	uint64_t delivered_within;    /* delivered at most `within` after arrival */
	int nbuckets, ncols;          /* mdl_ts_width(nservers) */
	double *ts;                   /* [nbuckets * ncols] */
} mdl_result;

#endif
