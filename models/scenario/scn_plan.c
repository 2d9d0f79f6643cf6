/*
 * scn_plan.c - [plan]: the key a search varies, its range in the key's
 * unit, the goal and how sure the answer must be (scenario.h, scn_plan).
 * Invariant: a plan that reads is searchable: a numeric key, lo < hi, a
 * resolution > 0, a share and confidence in (0, 1).
 */
#include "scn_impl.h"
#include "../../sim/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const scn_plan *scn_plan_of(const scn *s)
{
	return s->plan.vary ? &s->plan : NULL;
}

static bool numeric(scn_kind k)
{
	return k == KIND_TIME || k == KIND_INT || k == KIND_LIMIT || k == KIND_NUMBER ||
	       k == KIND_SIZE || k == KIND_SIZE_LIMIT || k == KIND_RATE;
}

/* The kind of the key `SECTION [NAME].key` (*kind), checked; 0 or -1. */
static int key_kind(scn *s, const char *vary, int line, scn_kind *kind)
{
	const char *dot = strrchr(vary, '.');
	char sec[128] = "", name[128] = "";
	sscanf(vary, "%127[^ .] %127[^.]", sec, name);
	int t = 0;
	while (t < SEC_N && strcmp(scn_sections[t].name, sec))
		t++;
	scn_key_id k = t < SEC_N && dot ? scn_key_find((sec_type)t, dot + 1) : K_N;
	if (k == K_N || !numeric(scn_keys[k].kind) || scn_sections[t].named != !!*name)
		return scn_fail(s, line,
				"vary: '%.80s': expected a numeric key as --set names it (`server "
				"backup.queue_limit`, `traffic.rate`) or a list's name",
				vary);
	if (*name && !scn_find_section(s, (sec_type)t, name))
		return scn_fail(s, line, "vary: no [%s %s] in the scenario", sec, name);
	*kind = scn_keys[k].kind;
	return 0;
}

/* The kind of the value the list named vary stands for: a timeline time (or
 * an action's duration), or the key it is the value of; 0 or -1. */
static int list_kind(scn *s, const char *vary, int line, scn_kind *kind)
{
	const study *st = &s->f->st;
	int a = 0;
	while (a < st->naxes && strcmp(st->axes[a].name, vary))
		a++;
	if (a == st->naxes || st->axes[a].nvalues != 1)
		return scn_fail(s, line,
				"vary: '%.80s': expected a numeric key as --set names it (`server "
				"backup.queue_limit`, `traffic.rate`) or the name of a list of one "
				"value in the file, written ${%.80s=VALUE}",
				vary, vary);
	s->plan.axis = a;
	for (int i = 0; i < s->nsec; i++)
		for (int k = 0; k < s->sec[i].n; k++) {
			if (s->sec[i].kv[k].line != st->axes[a].line)
				continue;
			scn_key_id id = scn_key_find(s->sec[i].type, s->sec[i].kv[k].key);
			s->plan.unit = s->sec[i].type == SEC_TIMELINE ? "t" : NULL;
			*kind = s->sec[i].type == SEC_TIMELINE ? KIND_TIME
				: id < K_N                     ? scn_keys[id].kind
							       : KIND_TEXT;
			if (numeric(*kind))
				return 0;
		}
	return scn_fail(s, line,
			"vary: the list %s stands for no timeline time or numeric key's value",
			vary);
}

/* t as a number of kind k in its base unit (a time may be `Wed 10:00`
 * if when); 0 or -1 with err. */
static int value_of(const scn *s, scn_kind k, const char *t, bool when, double *x, char *err)
{
	sim_time v;
	switch (k) {
	case KIND_TIME:
		if (when ? unit_when(t, s->start_day, &v, err) : unit_duration(t, &v, err))
			return -1;
		*x = (double)v / SIM_SEC;
		return 0;
	case KIND_SIZE:
	case KIND_SIZE_LIMIT:
		return unit_size(t, x, err);
	case KIND_RATE:
		return unit_rate(t, x, err);
	default:
		return unit_number(t, x, err);
	}
}

/* range = LOW .. HIGH; 0 or -1. */
static int range(scn *s, const section *sc, scn_kind k)
{
	int line;
	const char *t = scn_text(sc, K_PLAN_range, &line), *dots = strstr(t, "..");
	char lo[128] = "", err[UNIT_ERR] = "";
	if (dots && dots - t < (long)sizeof lo)
		memcpy(lo, t, (size_t)(dots - t));
	if (!dots || value_of(s, k, lo, true, &s->plan.lo, err) ||
	    value_of(s, k, dots + 2, true, &s->plan.hi, err) || !(s->plan.lo < s->plan.hi))
		return scn_fail(s, line,
				"range: expected LOW .. HIGH in the key's unit, LOW < "
				"HIGH, got '%.80s'%s%s",
				t, *err ? ": " : "", err);
	return 0;
}

/* A share written `95%`: into *x in (0, 1); 0 or -1. */
static int percent(const char *t, const char *tail, double *x)
{
	char *end;
	double v = strtod(t, &end);
	while (*end == ' ')
		end++;
	if (end == t || *end != '%' || strcmp(scn_trim(end + 1), tail) || !(v > 0 && v < 100))
		return -1;
	*x = v / 100;
	return 0;
}

/* resolution, in, confidence; 0 or -1. */
static int precision(scn *s, const section *sc, scn_kind k)
{
	int line;
	char err[UNIT_ERR] = "", buf[128];
	const char *t = scn_text(sc, K_PLAN_resolution, &line);
	double share;
	if (!percent(t, "", &share))
		s->plan.step = -share;
	else if (value_of(s, k, t, false, &s->plan.step, err) || !(s->plan.step > 0))
		return scn_fail(s, line,
				"resolution: expected a share of the value (`0.5%%`) or a "
				"step > 0 in the key's unit, got '%.80s'",
				t);
	if (s->plan.step < 0 && !(s->plan.lo > 0))
		return scn_fail(s, line,
				"resolution: a share of the value needs a range above 0; "
				"give a step in the key's unit");
	t = scn_text(sc, K_PLAN_in, &line);
	snprintf(buf, sizeof buf, "%s", t);
	s->plan.mean = !strcmp(scn_trim(buf), "mean");
	if (!s->plan.mean && percent(t, "of runs", &s->plan.share))
		return scn_fail(s, line,
				"in: expected `N%% of runs` (0 < N < 100) or `mean`, got "
				"'%.80s'",
				t);
	t = scn_text(sc, K_PLAN_confidence, &line);
	if (percent(t, "", &s->plan.confidence))
		return scn_fail(s, line, "confidence: expected N%% (0 < N < 100), got '%.80s'", t);
	return 0;
}

int scn_build_plan(scn *s)
{
	section *sc = scn_single(s, SEC_PLAN);
	scn_plan *p = &s->plan;
	*p = (scn_plan){.axis = -1};
	if (!sc || s->f->answered)
		return 0;
	int line, seek = 0, max = 0;
	const char *vary = scn_text(sc, K_PLAN_vary, &line);
	p->goal = scn_text(sc, K_PLAN_goal, &p->goal_line);
	if (!vary || !p->goal || !scn_text(sc, K_PLAN_range, &p->line))
		return scn_fail(s, sc->line, "[plan] needs vary, range and goal");
	scn_kind k;
	if (strchr(vary, '.') ? key_kind(s, vary, line, &k) : list_kind(s, vary, line, &k))
		return -1;
	if (range(s, sc, k) || precision(s, sc, k) || scn_read(s, sc, K_PLAN_seek, &seek) ||
	    scn_read(s, sc, K_PLAN_max_runs, &max))
		return -1;
	p->vary = vary;
	p->line = sc->line;
	p->whole = k == KIND_INT || k == KIND_LIMIT || k == KIND_SIZE || k == KIND_SIZE_LIMIT;
	p->unit = p->unit                                  ? p->unit /* a timeline time */
		  : k == KIND_TIME                         ? "s"
		  : k == KIND_SIZE || k == KIND_SIZE_LIMIT ? "B"
		  : k == KIND_RATE                         ? "/s"
							   : "";
	p->largest = seek == 1;
	p->max_runs = max;
	p->runs_line = scn_line(sc, K_PLAN_max_runs);
	return 0;
}

void scn_file_fix_value(scn_file *f, int a, const char *value)
{
	char *text = study_expand_as(&f->st, f->text, 0, a, value), err[STUDY_ERR];
	free(f->asked);
	free(f->ask_at);
	f->asked = f->text;
	f->ask_at = xmalloc((size_t)f->nlines * sizeof *f->ask_at);
	memcpy(f->ask_at, f->line_at, (size_t)f->nlines * sizeof *f->ask_at);
	f->text = text;
	f->answered = true;
	study_free(&f->st);
	if (study_parse(text, &f->st, err)) /* nothing left to parse */
		abort();
	f->nlines = 0;
	for (size_t i = 0; text[i]; i++)
		if (i == 0 || text[i - 1] == '\n')
			f->line_at[f->nlines++] = i;
}
