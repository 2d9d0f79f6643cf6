/*
 * units.c - parsing of human units and distributions (see units.h).
 */
#include "units.h"
#include "xalloc.h"
#include "csvread.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static int trailing_space_only(const char *s)
{
	return *skip(s) == '\0';
}

int unit_number(const char *s, double *out, char *err)
{
	char *end;
	errno = 0;
	double v = strtod(skip(s), &end);
	if (end == skip(s) || errno || !trailing_space_only(end) || !isfinite(v)) {
		snprintf(err, UNIT_ERR, "expected a number, got '%s'", s);
		return -1;
	}
	*out = v;
	return 0;
}

int unit_int(const char *s, long lo, long hi, long *out, char *err)
{
	char *end;
	errno = 0;
	long v = strtol(skip(s), &end, 10);
	if (end == skip(s) || errno || !trailing_space_only(end)) {
		snprintf(err, UNIT_ERR, "expected a whole number, got '%s'", s);
		return -1;
	}
	if (v < lo || v > hi) {
		snprintf(err, UNIT_ERR, "expected a whole number from %ld to %ld, got %ld", lo, hi,
			 v);
		return -1;
	}
	*out = v;
	return 0;
}

int unit_duration(const char *s, sim_time *out, char *err)
{
	const char *p = skip(s);
	double total = 0;
	int terms = 0;
	while (*p) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || !isfinite(v) || v < 0)
			goto bad;
		p = end;
		double mul = 1;
		if (!strncmp(p, "us", 2)) {
			mul = 1e-6;
			p += 2;
		} else if (!strncmp(p, "ms", 2)) {
			mul = 1e-3;
			p += 2;
		} else if (!strncmp(p, "min", 3)) {
			mul = 60;
			p += 3;
		} else if (*p == 's' || *p == 'm' || *p == 'h' || *p == 'd' || *p == 'w') {
			mul = *p == 's'   ? 1
			      : *p == 'm' ? 60
			      : *p == 'h' ? 3600
			      : *p == 'd' ? 86400
					  : 604800;
			p++;
		} else if (terms || (*skip(p) && *skip(p) != '+')) {
			goto bad;
		}
		total += v * mul;
		terms++;
		p = skip(p);
		if (*p == '+')
			p = skip(p + 1);
	}
	if (!terms)
		goto bad;
	if (total * 1e6 > (double)SIM_HORIZON) {
		snprintf(err, UNIT_ERR,
			 "expected a duration of at most 100 years (36525d), got '%s'", s);
		return -1;
	}
	*out = (sim_time)llround(total * 1e6);
	return 0;
bad:
	snprintf(err, UNIT_ERR, "expected a duration like 90s, 15m, 2h, 3d, 1w or 2d10h, got '%s'",
		 s);
	return -1;
}

int unit_size(const char *s, double *out, char *err)
{
	char *end;
	double v = strtod(skip(s), &end);
	if (end == skip(s) || !isfinite(v) || v < 0)
		goto bad;
	const char *u = skip(end);
	static const struct {
		const char *name;
		double mul;
	} units[] = {{"", 1},     {"B", 1},        {"KB", 1e3},        {"MB", 1e6},
		     {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		size_t n = strlen(units[i].name);
		if (!strncmp(u, units[i].name, n) && trailing_space_only(u + n) &&
		    (n || trailing_space_only(u))) {
			*out = v * units[i].mul;
			return 0;
		}
	}
bad:
	snprintf(err, UNIT_ERR, "expected a size like 512KB, 20MB or 1MiB, got '%s'", s);
	return -1;
}

int unit_rate(const char *s, double *per_sec, char *err)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	char *slash = strchr(buf, '/');
	double v, per = 1;
	if (slash) {
		*slash = '\0';
		const char *u = skip(slash + 1);
		sim_time t;
		char e2[UNIT_ERR];
		/* "/h" means per 1 h */
		char one[64];
		snprintf(one, sizeof one, "%s%s", isdigit((unsigned char)*u) ? "" : "1", u);
		if (unit_duration(one, &t, e2) || t <= 0)
			goto bad;
		per = (double)t / SIM_SEC;
	}
	if (unit_number(buf, &v, err) || v < 0)
		goto bad;
	*per_sec = v / per;
	return 0;
bad:
	snprintf(err, UNIT_ERR, "expected a rate like 2000/h or 5/s, got '%s'", s);
	return -1;
}

static int scale(const char *s, unit_kind k, double *out, char *err)
{
	if (k == UNIT_TIME) {
		sim_time t;
		if (unit_duration(s, &t, err))
			return -1;
		*out = (double)t / SIM_SEC;
		return 0;
	}
	if (k == UNIT_SIZE)
		return unit_size(s, out, err);
	return unit_number(s, out, err);
}

typedef struct {
	int n;
	double *v, *w;
	int cap;
} table_rows;

/* A header field: a name (a letter, then letters, digits, '_', '-', ' '). */
static bool header_field(const char *f)
{
	if (!isalpha((unsigned char)*f))
		return false;
	for (; *f; f++)
		if (!isalnum((unsigned char)*f) && !strchr("_- ", *f))
			return false;
	return true;
}

static int table_row(void *ctx, int line, int nf, char **f, char *err)
{
	table_rows *t = ctx;
	double v, w = 1;
	/* a header line of names is allowed first */
	if (line == 1 && nf <= 2 && header_field(f[0]) && (nf == 1 || header_field(f[1])))
		return 0;
	if (nf < 1 || nf > 2 || unit_number(f[0], &v, err) ||
	    (nf == 2 && unit_number(f[1], &w, err)) || v < 0 || w < 0) {
		snprintf(err, UNIT_ERR,
			 "expected 'value' or 'value,weight' with value and weight >= 0 (or a "
			 "header of names on line 1)");
		return -1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, (size_t)t->cap * sizeof *t->v);
		t->w = xrealloc(t->w, (size_t)t->cap * sizeof *t->w);
	}
	t->v[t->n] = v;
	t->w[t->n++] = w;
	return 0;
}

#define DIST_EXPECTED                                                                             \
	"expected a distribution: const(v), exp(mean), uniform(a, b), lognormal(median, sigma), " \
	"weibull(scale, shape), pareto(xm, alpha), lnpareto(median, sigma, cut, alpha) or "       \
	"empirical(file.csv)"

static const struct {
	const char *name;
	dist_kind kind;
	int np;
	int scaled[4];
} kinds[] = {
	{"const", DIST_CONST, 1, {1}},
	{"exp", DIST_EXP, 1, {1}},
	{"uniform", DIST_UNIFORM, 2, {1, 1}},
	{"lognormal", DIST_LOGNORMAL, 2, {1, 0}},
	{"weibull", DIST_WEIBULL, 2, {1, 0}},
	{"pareto", DIST_PARETO, 2, {1, 0}},
	{"lnpareto", DIST_LNPARETO, 4, {1, 0, 1, 0}},
};

static int parametric(const char *s, const char *p, size_t nlen, char *args, unit_kind k, dist *out,
		      char *err);

/* empirical(file): rows "value[,weight]" relative to dir. */
static int empirical(const char *args, const char *dir, dist *out, char *err)
{
	const char *a = skip(args);
	size_t n = strlen(a);
	while (n && isspace((unsigned char)a[n - 1]))
		n--;
	char *path = *a == '/' || !dir ? xstrndup(a, n) : xasprintf("%s/%.*s", dir, (int)n, a);
	table_rows t = {0};
	int rc = csvread_file(path, table_row, &t, err);
	if (!rc && dist_empirical(out, t.v, t.w, t.n)) {
		snprintf(err, UNIT_ERR, "%.300s: expected at least one row with a positive weight",
			 path);
		rc = -1;
	}
	free(t.v);
	free(t.w);
	free(path);
	return rc;
}

int unit_dist(const char *s, unit_kind k, const char *dir, dist *out, char *err)
{
	const char *p = skip(s);
	const char *open = strchr(p, '(');
	memset(out, 0, sizeof *out);
	if (!open) {
		double v;
		if (scale(p, k, &v, err))
			goto bad;
		*out = dist_const(v);
		return 0;
	}
	size_t nlen = (size_t)(open - p);
	const char *close = strrchr(open, ')');
	if (!close || !trailing_space_only(close + 1))
		goto bad;
	char *args = xstrndup(open + 1, (size_t)(close - open - 1));
	int rc;
	if (nlen == 9 && !strncmp(p, "empirical", 9))
		rc = empirical(args, dir, out, err);
	else
		rc = parametric(s, p, nlen, args, k, out, err);
	free(args);
	return rc;
bad:
	snprintf(err, UNIT_ERR, DIST_EXPECTED "; got '%.200s'", s);
	return -1;
}

/* name(args) with name one of kinds[]; s is the whole value. */
static int parametric(const char *s, const char *p, size_t nlen, char *args, unit_kind k, dist *out,
		      char *err)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (strlen(kinds[i].name) != nlen || strncmp(p, kinds[i].name, nlen))
			continue;
		int n = 0;
		char *save, *tok = strtok_r(args, ",", &save);
		while (tok) {
			if (n == kinds[i].np)
				goto bad;
			if (kinds[i].scaled[n] ? scale(tok, k, &out->p[n], err)
					       : unit_number(tok, &out->p[n], err))
				goto bad;
			n++;
			tok = strtok_r(NULL, ",", &save);
		}
		if (n != kinds[i].np)
			goto bad;
		out->kind = kinds[i].kind;
		const double *q = out->p;
		int ok = 1;
		switch (out->kind) {
		case DIST_CONST:
			ok = q[0] >= 0;
			break;
		case DIST_EXP:
			ok = q[0] > 0;
			break;
		case DIST_UNIFORM:
			ok = q[0] >= 0 && q[1] >= q[0];
			break;
		case DIST_LNPARETO:
			ok = q[0] > 0 && q[1] > 0 && q[2] > 0 && q[3] > 0;
			break;
		default:
			ok = q[0] > 0 && q[1] > 0;
		}
		if (!ok) {
			snprintf(err, UNIT_ERR,
				 "parameters of '%.200s' out of range (must be positive)", s);
			return -1;
		}
		return 0;
	}
bad:
	snprintf(err, UNIT_ERR, DIST_EXPECTED "; got '%.200s'", s);
	return -1;
}

void unit_format_duration(sim_time t, char *buf, int len)
{
	static const struct {
		sim_time u;
		const char *s;
	} u[] = {{SIM_WEEK, "w"}, {SIM_DAY, "d"}, {SIM_HOUR, "h"}, {SIM_MIN, "m"}, {SIM_SEC, "s"}};
	for (size_t i = 0; i < sizeof u / sizeof *u; i++)
		if (t && t % u[i].u == 0) {
			snprintf(buf, (size_t)len, "%lld%s", (long long)(t / u[i].u), u[i].s);
			return;
		}
	snprintf(buf, (size_t)len, "%.6fs", (double)t / SIM_SEC);
}

int unit_weekday(const char *s)
{
	static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
					    "friday", "saturday", "sunday"};
	size_t n = strlen(s);
	for (int d = 0; d < 7 && n >= 3; d++)
		if (!strncasecmp(s, names[d], n) && (n == 3 || n == strlen(names[d])))
			return d;
	return -1;
}

const char *unit_weekday_name(int d)
{
	static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	return names[((d % 7) + 7) % 7];
}

int unit_when(const char *s, int start_day, sim_time *out, char *err)
{
	char day[16];
	int h, m, sec = 0, used = 0;
	const char *p = skip(s);
	if (sscanf(p, "%15[A-Za-z] %d:%d%n:%d%n", day, &h, &m, &used, &sec, &used) >= 3 &&
	    trailing_space_only(p + used)) {
		int d = unit_weekday(day);
		if (d < 0 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) {
			snprintf(err, UNIT_ERR,
				 "expected a time like 'Wed 10:00' (a day, 00:00 to 23:59), got "
				 "'%s'",
				 s);
			return -1;
		}
		*out = ((d - start_day + 7) % 7) * SIM_DAY + h * SIM_HOUR + m * SIM_MIN +
		       sec * SIM_SEC;
		return 0;
	}
	if (unit_duration(s, out, err) == 0)
		return 0;
	snprintf(err, UNIT_ERR,
		 "expected a time: a duration from the start like 2d10h, or a day and time like "
		 "'Wed 10:00'; got '%s'",
		 s);
	return -1;
}
