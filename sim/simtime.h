/*
 * simtime.h - simulated time, exact: int64_t microseconds, with its units
 * and the conversion from drawn seconds; and the build switch of the fast
 * paths (SIM_FAST). A type for every layer, apart from the engine.
 */
#ifndef MX_SIMTIME_H
#define MX_SIMTIME_H

#include <stdint.h>

/* The plain reference build (make PLAIN=1, -DMX_PLAIN) turns every fast
 * path off, in the engine and the models: each is an `if (SIM_FAST)` beside
 * its plain twin, and both builds must run the same events (the same
 * sim_fingerprint) and write the same bytes (tests/plain.sh). */
#ifdef MX_PLAIN
#define SIM_FAST 0
#else
#define SIM_FAST 1
#endif

typedef int64_t sim_time;
#define SIM_USEC ((sim_time)1)
#define SIM_SEC ((sim_time)1000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (60 * SIM_MIN)
#define SIM_DAY (24 * SIM_HOUR)
#define SIM_WEEK (7 * SIM_DAY)
#define SIM_NEVER INT64_MAX
/* The longest span any delay may have: a century. Times drawn from
 * distributions are clamped to it, so no conversion overflows and
 * now + delay always fits. */
#define SIM_HORIZON (36525 * SIM_DAY)

/* Seconds (a drawn double) to engine time, clamped to [0, SIM_HORIZON];
 * NaN gives 0. Exact (the plain cast) inside that range. */
static inline sim_time sim_from_sec(double sec)
{
	if (!(sec > 0))
		return 0;
	return sec >= (double)(SIM_HORIZON / SIM_SEC) ? SIM_HORIZON : (sim_time)(sec * SIM_SEC);
}
/* The hours of a week: the traffic's weekly table, the calendar. */
#define SIM_WEEK_HOURS 168

#endif
