/*
 * budget.h - what one run of a configuration needs, estimated before it
 * runs: memory (bytes) and work (events). Runs that cannot fit are refused
 * up front; the engine's work limit ([run] max_events) stops any run that
 * grows beyond its estimate anyway.
 *
 * The memory figure is an upper bound: it assumes every message of the run
 * is queued at once (a destination that never answers for the whole run),
 * since nothing before the run can rule that out.
 */
#ifndef MX_BUDGET_H
#define MX_BUDGET_H

#include "model.h"

/* What makes a run big, to name the key responsible. */
typedef enum {
	BGT_RATE,
	BGT_SENDERS,
	BGT_RESOLVERS,
	BGT_DOMAINS,
	BGT_BUCKETS,
	BGT_OUTAGES
} bgt_driver;

typedef struct {
	double messages;                /* expected messages submitted */
	double bytes;                   /* memory of one run, at most */
	double events;                  /* expected events */
	bgt_driver bytes_by, events_by; /* the largest term of each */
	int outage_server;              /* BGT_OUTAGES: which server */
} bgt_estimate;

void bgt_estimate_run(const mdl_config *c, bgt_estimate *e);

/* Memory for n domains, to refuse a population before building it. */
double bgt_domain_bytes(double n);

/* "12.3 GB" */
void bgt_format_bytes(double bytes, char *buf, int len);

#endif
