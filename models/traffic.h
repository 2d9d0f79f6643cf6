/*
 * traffic.h - where mail comes from: message arrivals as a non-homogeneous
 * Poisson process (by inversion) with a rate pattern over the hours of the
 * week, and each message's domain (by weight), sender (Zipf share: a few
 * big senders send most mail) and size.
 *
 * Each quantity draws from its own random stream, so the arrival times do
 * not depend on when the attributes are drawn and vice versa.
 */
#ifndef MX_TRAFFIC_H
#define MX_TRAFFIC_H

#include "model.h"

#include <gsl/gsl_rng.h>

typedef struct traffic traffic;

/* Returns the traffic of config c drawing from the four streams (borrowed:
 * they and c must outlive it); free with traffic_free. */
traffic *traffic_new(const mdl_config *c, gsl_rng *arrivals, gsl_rng *domains, gsl_rng *senders,
		     gsl_rng *sizes);
void traffic_free(traffic *t);

/* The next arrival after now, or SIM_NEVER if none comes before the end. */
sim_time traffic_next(traffic *t, sim_time now);

/* The next message's attributes. */
void traffic_draw(traffic *t, int *domain, int *sender, uint32_t *size);

/* The rate multiplier of each hour of the week (mean 1 for office). */
void traffic_pattern(const mdl_config *c, double mult[SIM_WEEK_HOURS]);
/* Messages expected in the run: the hourly rate integrated over the
 * traffic's window [start, stop) within the run. */
double traffic_expected(const mdl_config *c);

#endif
