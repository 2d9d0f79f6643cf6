/*
 * traffic.c - arrivals and message attributes (see traffic.h).
 *
 * Both kinds of arrival invert the integrated rate, which is piecewise
 * constant over the hours of the week: the next arrival comes where the
 * rate integrated from the last one reaches a target - an Exp(1) draw for
 * Poisson arrivals (the time-change theorem: Cinlar, "Introduction to
 * Stochastic Processes", 1975, ch. 4; one draw per arrival, where thinning
 * at the peak rate takes about peak / mean), 1 for fixed ones (the k-th
 * when the integral from the start reaches k - 1). Both only in [start,
 * stop).
 */
#include "traffic.h"
#include "../sim/xalloc.h"
#include "../sim/zipf.h"

#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>

/* Draws are made BATCH at a time, a stream at a time: a loop of one kind
 * of draw keeps its tables in the cache and overlaps their misses. Each
 * stream still yields the same sequence (no other code draws from it). */
enum { BATCH = 32 };

struct traffic {
	const mdl_config *c;
	gsl_rng *arrivals, *domains, *senders, *sizes;
	gsl_ran_discrete_t *pick_domain;
	zipf pick_sender;
	double mult[SIM_WEEK_HOURS];
	sim_time hour_start, hour_end; /* the hour integrate() is in, */
	double hour_rate;              /* and its rate (messages/s) */
	bool started;                  /* fixed arrivals: the first one (at start) is out */
	/* the next BATCH draws of each stream, from [next] on (see refill) */
	int next, next_gap;
	int domain[BATCH], sender[BATCH];
	uint32_t size[BATCH];
	double gap[BATCH];
};

/* Weekdays: low at night, a business-hours plateau peak times the night
 * (9 by default); weekends at 0.3. */
static double office(int hour_of_week, double peak)
{
	int day = hour_of_week / 24, h = hour_of_week % 24;
	double m = h < 7 ? 0.2 : h < 8 ? 0.6 : h < 18 ? 1.8 * (peak / 9) : h < 21 ? 0.8 : 0.4;
	return day >= 5 ? 0.3 * m : m;
}

void traffic_pattern(const mdl_config *c, double mult[SIM_WEEK_HOURS])
{
	double sum = 0, peak = c->office_peak > 0 ? c->office_peak : 9;
	for (int h = 0; h < SIM_WEEK_HOURS; h++) {
		mult[h] = c->pattern == MDL_PATTERN_OFFICE  ? office(h, peak)
			  : c->pattern == MDL_PATTERN_TABLE ? c->hourly[h]
							    : 1;
		sum += mult[h];
	}
	if (c->pattern == MDL_PATTERN_OFFICE)
		for (int h = 0; h < SIM_WEEK_HOURS; h++)
			mult[h] *= SIM_WEEK_HOURS / sum;
}

traffic *traffic_new(const mdl_config *c, gsl_rng *arrivals, gsl_rng *domains, gsl_rng *senders,
		     gsl_rng *sizes)
{
	traffic *t = xcalloc(1, sizeof *t);
	t->pick_domain = gsl_ran_discrete_preproc((size_t)c->ndomains, c->weight); /* aborts */
	t->c = c;
	t->hour_end = INT64_MIN; /* none yet */
	t->arrivals = arrivals;
	t->domains = domains;
	t->senders = senders;
	t->sizes = sizes;
	t->next = t->next_gap = BATCH; /* none drawn yet */
	zipf_init(&t->pick_sender, (unsigned long)c->nsenders, c->sender_zipf);
	traffic_pattern(c, t->mult);
	return t;
}

void traffic_free(traffic *t)
{
	if (!t)
		return;
	gsl_ran_discrete_free(t->pick_domain);
	free(t);
}

/* The hour of the week's pattern that now is in, and when it ends. */
static int hour_of(const mdl_config *c, sim_time now, sim_time *end)
{
	sim_time hour = (now + c->week_offset) / SIM_HOUR;
	*end = (hour + 1) * SIM_HOUR - c->week_offset;
	return (int)(hour % SIM_WEEK_HOURS);
}

/* Makes the hour of the pattern that now is in integrate()'s. */
static void enter_hour(traffic *t, sim_time now)
{
	int h = hour_of(t->c, now, &t->hour_end);
	t->hour_start = t->hour_end - SIM_HOUR;
	t->hour_rate = t->c->rate * t->mult[h];
}

double traffic_expected(const mdl_config *c)
{
	double mult[SIM_WEEK_HOURS], n = 0;
	traffic_pattern(c, mult);
	sim_time b = c->traffic_stop < c->duration ? c->traffic_stop : c->duration;
	for (sim_time t = c->traffic_start > 0 ? c->traffic_start : 0, end; t < b; t = end) {
		int h = hour_of(c, t, &end);
		end = end < b ? end : b;
		n += c->rate * mult[h] * (double)(end - t) / SIM_SEC;
	}
	return n;
}

/* Where the rate integrated from now reaches left (messages), hour by
 * hour of the pattern; at least 1 us on. SIM_NEVER past the end. */
static sim_time integrate(traffic *t, sim_time now, sim_time end, double left)
{
	while (now < end) {
		if (now < t->hour_start || now >= t->hour_end)
			enter_hour(t, now);
		double r = t->hour_rate, span = (double)(t->hour_end - now) / SIM_SEC;
		if (r * span >= left) {
			now += sim_from_sec(left / r) + (left / r < 1e-6);
			return now < end ? now : SIM_NEVER;
		}
		left -= r * span;
		now = t->hour_end;
	}
	return SIM_NEVER;
}

/* The next Exp(1) gap of integrated rate, from the batch. */
static double gap(traffic *t)
{
	if (t->next_gap == BATCH) {
		for (int i = 0; i < BATCH; i++)
			t->gap[i] = dist_exponential(t->arrivals, 1);
		t->next_gap = 0;
	}
	return t->gap[t->next_gap++];
}

sim_time traffic_next(traffic *t, sim_time now)
{
	const mdl_config *c = t->c;
	if (c->rate <= 0)
		return SIM_NEVER;
	if (now < c->traffic_start)
		now = c->traffic_start;
	sim_time end = c->duration < c->traffic_stop ? c->duration : c->traffic_stop;
	if (!c->fixed_arrivals)
		return integrate(t, now, end, gap(t));
	if (t->started)
		return integrate(t, now, end, 1);
	t->started = true;
	return now < end ? now : SIM_NEVER;
}

static void refill(traffic *t)
{
	for (int i = 0; i < BATCH; i++)
		t->domain[i] = (int)gsl_ran_discrete(t->domains, t->pick_domain);
	for (int i = 0; i < BATCH; i++)
		t->sender[i] = (int)zipf_draw(&t->pick_sender, t->senders);
	for (int i = 0; i < BATCH; i++) {
		double sz = dist_draw(&t->c->size, t->sizes);
		t->size[i] = sz > 4e9 ? 4000000000u : (uint32_t)sz;
	}
	t->next = 0;
}

void traffic_draw(traffic *t, int *domain, int *sender, uint32_t *size)
{
	if (t->next == BATCH)
		refill(t);
	int i = t->next++;
	*domain = t->domain[i];
	*sender = t->sender[i];
	*size = t->size[i];
}
