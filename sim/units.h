/*
 * units.h - human units in scenario values.
 *
 * Durations: a number with s, m(in), h, d, w, or a sum of such terms
 * ("2d10h", "1h30m"); a bare number is seconds. Sizes: B, KB, MB, GB
 * (powers of 10) and KiB, MiB, GiB (powers of 2); a bare number is bytes.
 * Rates: "2000/h", "5/s", "100/d"; a bare number is per second.
 * Every parser returns 0 on success, or -1 with a message in err naming
 * what was expected.
 */
#ifndef MX_UNITS_H
#define MX_UNITS_H

#include "dist.h"
#include "engine.h"

enum { UNIT_ERR = 400 };

typedef enum { UNIT_TIME, UNIT_SIZE, UNIT_NONE } unit_kind;

int unit_number(const char *s, double *out, char *err);
int unit_int(const char *s, long lo, long hi, long *out, char *err);
int unit_duration(const char *s, sim_time *out, char *err);
int unit_size(const char *s, double *out, char *err);
int unit_rate(const char *s, double *per_sec, char *err);

/* A distribution: const(v) exp(m) uniform(a, b) lognormal(median, sigma)
 * weibull(scale, shape) pareto(xm, alpha) lnpareto(median, sigma, cut,
 * alpha) empirical(file.csv); a plain value means const. Scale parameters
 * take units of kind k. Empirical tables are read relative to dir; a table
 * error is reported as "file:line: ..." in err. */
int unit_dist(const char *s, unit_kind k, const char *dir, dist *out, char *err);

/* A day of the week: "Mon" ... "Sun" (or the full names, any case) to
 * 0 ... 6; -1 if none. */
int unit_weekday(const char *s);
/* "Mon" ... "Sun" for 0 ... 6. */
const char *unit_weekday_name(int d);

/* A time in a run whose time 0 falls on day start_day (0 = Monday) at
 * 00:00: a duration from time 0 ("2d10h"), or a calendar time "Wed 10:00"
 * (also "Wed 10:00:30"), the first such moment at or after time 0. */
int unit_when(const char *s, int start_day, sim_time *out, char *err);

/* Writes a duration in the largest exact unit ("90m", "2d"). */
void unit_format_duration(sim_time t, char *buf, int len);

#endif
