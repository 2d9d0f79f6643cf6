/*
 * scn_assume.c - a scenario and the table of assumptions (assume.h):
 * which ones it decides itself, and the range `--sensitivity` gives each
 * ([assumption NAME] low, high; else the table's). Invariant: a range is
 * low < high, each within what the assumption's unit allows.
 */
#include "scn_impl.h"

#include <math.h>
#include <string.h>

/* t in a's unit into *x: a duration, a share (`2%` or 0.02), a number
 * above 0; 0 or -1 with err. */
static int value_of(const scn_assumption *a, const char *t, double *x, char *err)
{
	if (!strcmp(a->unit, "s")) {
		sim_time d;
		if (unit_duration(t, &d, err))
			return -1;
		*x = (double)d / SIM_SEC;
		return *x > 0 ? 0 : (snprintf(err, UNIT_ERR, "a duration > 0"), -1);
	}
	char *end;
	double v = strtod(t, &end);
	bool pct = *end == '%' || (*end == ' ' && end[1] == '%');
	if (pct)
		end += *end == ' ' ? 2 : 1;
	if (end == t || *scn_trim(end) || !isfinite(v))
		return snprintf(err, UNIT_ERR, "%s",
				*a->unit ? "a share: `2%` or 0.02" : "a number"),
		       -1;
	*x = pct ? v / 100 : v;
	if (!strcmp(a->unit, "share") && !(*x >= 0 && *x <= 1))
		return snprintf(err, UNIT_ERR, "a share from 0 to 100 %%"), -1;
	if (!*a->unit && !(*x > 0))
		return snprintf(err, UNIT_ERR, "a number > 0"), -1;
	return 0;
}

/* The assumption named name, or -1 after a file:line error. */
static int find(scn *s, const section *sc)
{
	const char *names[SCN_A_N];
	for (int i = 0; i < SCN_A_N; i++) {
		names[i] = scn_assumptions[i].name;
		if (!strcmp(names[i], sc->name))
			return i;
	}
	char sg[128];
	return scn_fail(s, sc->line,
			"[assumption %.80s]: no such assumption%s (mxsim help assumptions)",
			sc->name, scn_suggest(sc->name, names, SCN_A_N, sg, sizeof sg));
}

int scn_build_assumptions(scn *s)
{
	for (int i = 0; i < SCN_A_N; i++) {
		s->arange[i][0] = scn_assumptions[i].low;
		s->arange[i][1] = scn_assumptions[i].high;
		s->aline[i] = 0;
	}
	for (int i = 0; i < s->nsec; i++) {
		const section *sc = &s->sec[i];
		if (sc->type != SEC_ASSUMPTION)
			continue;
		int a = find(s, sc), line[2];
		if (a < 0)
			return -1;
		const scn_assumption *as = &scn_assumptions[a];
		for (int e = 0; e < 2; e++) {
			const char *t =
				scn_text(sc, e ? K_ASSUMPTION_high : K_ASSUMPTION_low, &line[e]);
			char err[UNIT_ERR];
			if (*t && value_of(as, t, &s->arange[a][e], err))
				return scn_fail(s, line[e], "%s: expected %s, got '%.80s'",
						e ? "high" : "low", err, t);
		}
		if (!(s->arange[a][0] < s->arange[a][1]))
			return scn_fail(s,
					line[1]   ? line[1]
					: line[0] ? line[0]
						  : sc->line,
					"[assumption %s]: expected low < high", as->name);
		s->aline[a] = sc->line;
	}
	return 0;
}

void scn_assumption_range(const scn *s, scn_assumption_id a, double *lo, double *hi, int *line)
{
	*lo = s->arange[a][0];
	*hi = s->arange[a][1];
	*line = s->aline[a];
}

/* The line of key k in sc, 0 if it is not there (its default). */
static int given(const section *sc, scn_key_id k)
{
	int line;
	return scn_text(sc, k, &line) == scn_keys[k].def ? 0 : line;
}

/* Whether item is a name of the mix text v ("a:0.3, b:0.7"). */
static bool in_mix(const char *v, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = v; (p = strstr(p, item)); p += n)
		if ((p == v || p[-1] == ' ' || p[-1] == ',') && (p[n] == ':' || p[n] == ' '))
			return true;
	return false;
}

const char *scn_assumption_own(const scn *s, scn_assumption_id id, char *buf, size_t len)
{
	scn *w = (scn *)s; /* the lookups below change nothing */
	const scn_assumption *a = &scn_assumptions[id];
	bool of_res = a->kind == SCN_ASSUME_RES_SHARE || a->kind == SCN_ASSUME_RES_KEY;
	const section *mix = scn_single(w, of_res ? SEC_RESOLVERS : SEC_SENDERS);
	scn_key_id mk = of_res ? K_RESOLVERS_profiles : K_SENDERS_profiles;
	int line = 0;
	if (a->kind == SCN_ASSUME_KEY) {
		const char *dot = strchr(a->item, '.');
		int t = 0;
		while (t < SEC_N && strncmp(scn_sections[t].name, a->item, (size_t)(dot - a->item)))
			t++;
		line = given(scn_single(w, (sec_type)t), scn_key_find((sec_type)t, dot + 1));
		if (id == SCN_A_office_peak && s->c.pattern != MDL_PATTERN_OFFICE)
			return "no `pattern = office` in the scenario"; /* it moves nothing */
	} else if (a->kind == SCN_ASSUME_RES_SHARE || a->kind == SCN_ASSUME_MTA_SHARE) {
		line = given(mix, mk);
	} else {
		const section *p =
			scn_find_section(w, of_res ? SEC_RESOLVER : SEC_PROFILE, a->item);
		int ignored;
		line = p ? p->line : 0;
		if (!p && !in_mix(scn_text(mix, mk, &ignored), a->item)) {
			snprintf(buf, len, "no %s in the scenario's [%s] profiles", a->item,
				 of_res ? "resolvers" : "senders");
			return buf;
		}
	}
	if (!line)
		return "";
	snprintf(buf, len, "set by the scenario (%s:%d)", scn_file_path(s->f), line);
	return buf;
}
