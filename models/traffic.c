/*
 * traffic.c - arrivals and message attributes (see traffic.h).
 *
 * Poisson arrivals by thinning: candidate arrivals come at the peak rate;
 * one at hour h of the week is kept with probability mult[h] / peak. Fixed
 * arrivals: the k-th comes when the rate integrated from the start reaches
 * k - 1 (one every 1 / rate when flat). Both only in [start, stop).
 */
#include "traffic.h"
#include "../sim/xalloc.h"
#include "../sim/zipf.h"

#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>

struct traffic {
	const mdl_config *c;
	gsl_rng *arrivals, *domains, *senders, *sizes;
	gsl_ran_discrete_t *pick_domain;
	zipf pick_sender;
	double mult[168], peak;
	bool started; /* fixed arrivals: the first one (at start) is out */
};

/* Weekdays: low at night, a business-hours plateau; weekends at 0.3. */
static double office(int hour_of_week)
{
	int day = hour_of_week / 24, h = hour_of_week % 24;
	double m = h < 7 ? 0.2 : h < 8 ? 0.6 : h < 18 ? 1.8 : h < 21 ? 0.8 : 0.4;
	return day >= 5 ? 0.3 * m : m;
}

void traffic_pattern(const mdl_config *c, double mult[168])
{
	double sum = 0;
	for (int h = 0; h < 168; h++) {
		mult[h] = c->pattern == PATTERN_OFFICE  ? office(h)
			  : c->pattern == PATTERN_TABLE ? c->hourly[h]
							: 1;
		sum += mult[h];
	}
	if (c->pattern == PATTERN_OFFICE)
		for (int h = 0; h < 168; h++)
			mult[h] *= 168 / sum;
}

traffic *traffic_new(const mdl_config *c, gsl_rng *arrivals, gsl_rng *domains, gsl_rng *senders,
		     gsl_rng *sizes)
{
	traffic *t = xcalloc(1, sizeof *t);
	if (!(t->pick_domain = gsl_ran_discrete_preproc((size_t)c->ndomains, c->weight))) {
		fprintf(stderr, "mxsim: out of memory\n");
		abort();
	}
	t->c = c;
	t->arrivals = arrivals;
	t->domains = domains;
	t->senders = senders;
	t->sizes = sizes;
	zipf_init(&t->pick_sender, (unsigned long)c->nsenders, c->sender_zipf);
	traffic_pattern(c, t->mult);
	for (int h = 0; h < 168; h++)
		if (t->mult[h] > t->peak)
			t->peak = t->mult[h];
	return t;
}

void traffic_free(traffic *t)
{
	if (!t)
		return;
	gsl_ran_discrete_free(t->pick_domain);
	free(t);
}

static double mult_at(const traffic *t, sim_time at)
{
	return t->mult[((at + t->c->week_offset) / SIM_HOUR) % 168];
}

/* Where one more message's worth of rate has been integrated from now,
 * hour by hour of the pattern. */
static sim_time fixed_next(traffic *t, sim_time now)
{
	const mdl_config *c = t->c;
	if (!t->started) {
		t->started = true;
		return now;
	}
	double left = 1; /* messages still to integrate */
	while (now < c->duration) {
		sim_time hour_end =
			((now + c->week_offset) / SIM_HOUR + 1) * SIM_HOUR - c->week_offset;
		double r = c->rate * mult_at(t, now), span = (double)(hour_end - now) / SIM_SEC;
		if (r * span >= left)
			return now + sim_from_sec(left / r) + (left / r < 1e-6);
		left -= r * span;
		now = hour_end;
	}
	return SIM_NEVER;
}

sim_time traffic_next(traffic *t, sim_time now)
{
	const mdl_config *c = t->c;
	if (c->rate <= 0)
		return SIM_NEVER;
	if (now < c->traffic_start)
		now = c->traffic_start;
	sim_time end = c->duration < c->traffic_stop ? c->duration : c->traffic_stop;
	if (c->fixed_arrivals) {
		now = fixed_next(t, now);
		return now < end ? now : SIM_NEVER;
	}
	for (;;) {
		now += sim_from_sec(gsl_ran_exponential(t->arrivals, 1 / (c->rate * t->peak))) + 1;
		if (now >= end)
			return SIM_NEVER;
		double m = mult_at(t, now);
		if (m >= t->peak || gsl_rng_uniform(t->arrivals) * t->peak < m)
			return now;
	}
}

void traffic_draw(traffic *t, int *domain, int *sender, uint32_t *size)
{
	*domain = (int)gsl_ran_discrete(t->domains, t->pick_domain);
	*sender = (int)zipf_draw(&t->pick_sender, t->senders);
	double sz = dist_draw(&t->c->size, t->sizes);
	*size = sz > 4e9 ? 4000000000u : (uint32_t)sz;
}
