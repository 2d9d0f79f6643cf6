/*
 * mta.c - MTA profiles and retry schedules (see mta.h).
 *
 * Defaults from shared/domain-facts.md section 2: Postfix minimal/maximal
 * backoff 300/4000 s, queue_run_delay 300 s, maximal_queue_lifetime 5 d,
 * smtp_connect_timeout 30 s, smtp_mx_address_limit 5, dead host kept for
 * minimal_backoff_time; Exim default retry rule, 4 d, connect_timeout 5 m,
 * hosts_max_try 5; Sendmail queue run 30 min (commonly 15 min - 1 h),
 * Timeout.queuereturn 5 d; Exchange Server 5 min x 6 then 15 min, 2 d;
 * Exchange Online 15 -> 60 min, 24 h (uncertain); Gmail 48 h (uncertain,
 * schedule assumed doubling 5 min -> 2 h); qmail n^2 schedule, 7 d;
 * OpenSMTPD 400 s * step^2, 4 d (uncertain). Connect timeouts other than
 * Postfix's and Exim's, and the address limits of the others, are
 * assumptions (30 s; 5 addresses).
 */
#include "mta.h"

#include <math.h>
#include <string.h>

#define S SIM_SEC
#define M SIM_MIN
#define H SIM_HOUR
#define D SIM_DAY

static const mta_profile builtins[] = {
	{"postfix", SCHED_POSTFIX, 300 * S, 4000 * S, 300 * S, 5 * D, false, 30 * S, 5, 300 * S},
	{"exim", SCHED_EXIM, 15 * M, 6 * H, 0, 4 * D, true, 5 * M, 5, 15 * M},
	{"sendmail", SCHED_QUEUE_RUN, 0, 0, 30 * M, 5 * D, false, 30 * S, 5, 0},
	{"exchange", SCHED_EXCHANGE, 5 * M, 15 * M, 0, 2 * D, false, 30 * S, 5, 0},
	{"exchange-online", SCHED_LINEAR, 15 * M, 60 * M, 0, 1 * D, false, 30 * S, 5, 0},
	{"gmail", SCHED_DOUBLING, 5 * M, 2 * H, 0, 2 * D, false, 30 * S, 5, 0},
	{"qmail", SCHED_QMAIL, 0, 0, 0, 7 * D, false, 60 * S, 5, 0},
	{"opensmtpd", SCHED_SQUARE, 400 * S, 0, 0, 4 * D, false, 30 * S, 5, 0},
};

const char *const mta_builtin_names[] = {"postfix", "exim", "sendmail", "exchange",
					 "exchange-online", "gmail", "qmail", "opensmtpd", NULL};

const mta_profile *mta_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

/* The first queue run at or after t on the grid phase + k * period. */
static sim_time grid(sim_time t, sim_time period, sim_time phase)
{
	if (period <= 0)
		return t;
	sim_time k = (t - phase + period - 1) / period;
	if (t - phase < 0)
		k = 0;
	return phase + k * period;
}

/* The first retry offset after f from the first failure: the rule in
 * force at each failure sets the next interval (15 min before 2 h; from
 * 1 h growing x1.5 before 16 h; then 6 h). */
static sim_time exim_offset(sim_time f)
{
	sim_time off = 0, g = H;
	while (off <= f) {
		if (off < 2 * H) {
			off += 15 * M;
		} else if (off < 16 * H) {
			off += g;
			g = g * 3 / 2;
		} else {
			off += 6 * H;
		}
	}
	return off;
}

sim_time mta_next_retry(const mta_profile *p, sim_time birth, sim_time first_fail, int attempts,
			sim_time now, sim_time phase)
{
	sim_time age = now - birth;
	switch (p->sched) {
	case SCHED_POSTFIX: {
		sim_time b = age < p->min_backoff ? p->min_backoff
			     : age > p->max_backoff ? p->max_backoff
						    : age;
		return grid(now + b, p->queue_run, phase);
	}
	case SCHED_EXIM: {
		return first_fail + exim_offset(now - first_fail);
	}
	case SCHED_QUEUE_RUN:
		return grid(now + 1, p->queue_run, phase);
	case SCHED_EXCHANGE:
		return now + (attempts <= 6 ? p->min_backoff : p->max_backoff);
	case SCHED_LINEAR: {
		sim_time iv = p->min_backoff * attempts;
		return now + (iv > p->max_backoff ? p->max_backoff : iv);
	}
	case SCHED_DOUBLING: {
		double iv = (double)p->min_backoff * pow(2, attempts - 1);
		return now + (iv > (double)p->max_backoff ? p->max_backoff : (sim_time)iv);
	}
	case SCHED_QMAIL: {
		double n = floor(sqrt((double)age / S)) + 20;
		return birth + (sim_time)(n * n) * S;
	}
	case SCHED_SQUARE:
		return birth + p->min_backoff * attempts * attempts;
	}
	return now + p->min_backoff;
}

bool mta_expired(const mta_profile *p, sim_time birth, sim_time first_fail, sim_time now)
{
	return now - (p->lifetime_from_fail ? first_fail : birth) >= p->lifetime;
}
