/*
 * study.c - finding and expanding ${...} study axes (see study.h).
 */
#include "study.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *c = xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static void add_value(study_axis *a, char *v)
{
	if ((a->nvalues & (a->nvalues - 1)) == 0) /* at 0 and powers of two */
		a->values = xrealloc(a->values,
				     (size_t)(a->nvalues ? 2 * a->nvalues : 1) * sizeof *a->values);
	a->values[a->nvalues++] = v;
}

/* "from..to [step s]" into values; returns 0, 1 if not a range, -1 bad */
static int range(study_axis *a, const char *body, char *err)
{
	const char *dots = strstr(body, "..");
	if (!dots)
		return 1;
	char head[64], *end;
	if ((size_t)(dots - body) >= sizeof head)
		return 1;
	snprintf(head, sizeof head, "%.*s", (int)(dots - body), body);
	double from = strtod(head, &end), to, step = 1;
	if (end == head || *end)
		return 1;
	to = strtod(dots + 2, &end);
	if (end == dots + 2)
		goto bad;
	while (isspace((unsigned char)*end))
		end++;
	if (!strncmp(end, "step", 4)) {
		char *e2;
		step = strtod(end + 4, &e2);
		if (e2 == end + 4)
			goto bad;
		end = e2;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !(step > 0) || to < from || (to - from) / step > STUDY_MAX_POINTS)
		goto bad;
	for (long i = 0; from + (double)i * step <= to + 1e-9 * fabs(step); i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.15g", from + (double)i * step);
		add_value(a, dup_trim(buf, strlen(buf)));
	}
	return 0;
bad:
	snprintf(err, STUDY_ERR,
		 "expected ${from..to} or ${from..to step s} with from <= to, step > 0");
	return -1;
}

/* The end of line's content: the newline, or an inline comment (';' after
 * white space, as inih reads it); a comment line ends where it starts. */
static const char *content_end(const char *line)
{
	const char *q = line;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == ';' || *q == '#')
		return q;
	for (bool space = false; *q && *q != '\n'; q++) {
		if (*q == ';' && space)
			return q;
		space = isspace((unsigned char)*q);
	}
	return q;
}

/* The axis name of an unnamed list: "section.key" of its line. */
static char *auto_name(const char *section, const char *line, const char *at, int n)
{
	const char *ke = strchr(line, '=');
	if (!ke || ke > at)
		return xasprintf("%s.line%d", section, n);
	char *key = dup_trim(line, (size_t)(ke - line));
	char *name = xasprintf("%s.%s", section, key);
	free(key);
	return name;
}

/* The values of body (after any "name="); returns 0 or -1 (err set). */
static int values(study_axis *a, char *b, char *err)
{
	int r = range(a, b, err);
	if (r < 0)
		return -1;
	if (r > 0) {
		/* values holding commas are separated by '|' instead */
		const char *sep = strchr(b, '|') ? "|" : ",";
		for (char *tok; (tok = strsep(&b, sep));)
			add_value(a, dup_trim(tok, strlen(tok)));
	}
	for (int i = 0; i < a->nvalues; i++) {
		if (!*a->values[i]) {
			snprintf(err, STUDY_ERR, "expected ${v1, v2, ...} with no empty value");
			return -1;
		}
		/* a value labels its point in CSV files that gnuplot reads */
		if (strchr(a->values[i], '"')) {
			snprintf(err, STUDY_ERR, "a study value may not hold '\"' (%.80s)",
				 a->values[i]);
			return -1;
		}
	}
	if (!a->nvalues) {
		snprintf(err, STUDY_ERR, "expected ${v1, v2, ...} with at least one value");
		return -1;
	}
	return 0;
}

static void add_span(study *st, const char *text, const char *p, const char *close, int axis)
{
	if ((st->nspans & (st->nspans - 1)) == 0) /* at 0 and powers of two */
		st->spans = xrealloc(st->spans,
				     (size_t)(st->nspans ? 2 * st->nspans : 1) * sizeof *st->spans);
	st->spans[st->nspans++] = (study_span){p - text, close + 1 - text, axis};
}

/* ${name} of a list written before: its index, or -1. */
static int reference(const study *st, const char *p, const char *close)
{
	char *body = dup_trim(p + 2, (size_t)(close - p - 2));
	int found = -1;
	if (!strpbrk(body, "=,|"))
		for (int i = 0; i < st->naxes && found < 0; i++)
			if (!strcmp(st->axes[i].name, body))
				found = i;
	free(body);
	return found;
}

/* The axis at p ("${" ... close) on line n; returns 0 or -1 (err set). */
static int axis(study *st, const char *text, const char *p, const char *close, const char *line,
		const char *section, int n, char *err)
{
	int ref = reference(st, p, close);
	if (ref >= 0) {
		add_span(st, text, p, close, ref);
		return 0;
	}
	if (st->naxes == STUDY_MAX_AXES) {
		snprintf(err, STUDY_ERR, "more than %d study lists", STUDY_MAX_AXES);
		return -1;
	}
	study_axis *a = &st->axes[st->naxes++];
	memset(a, 0, sizeof *a);
	a->line = n;
	a->start = p - text;
	a->end = close + 1 - text;
	add_span(st, text, p, close, st->naxes - 1);
	char *body = dup_trim(p + 2, (size_t)(close - p - 2)), *b = body;
	char *eq = strchr(b, '='), *comma = strchr(b, ',');
	if (eq && (!comma || eq < comma)) {
		a->name = dup_trim(b, (size_t)(eq - b));
		b = eq + 1;
	} else {
		a->name = auto_name(section, line, p, n);
	}
	int rc = values(a, b, err);
	free(body);
	for (int i = 0; !rc && i < st->naxes - 1; i++)
		if (!strcmp(st->axes[i].name, a->name)) {
			snprintf(err, STUDY_ERR, "a second study named '%.100s'", a->name);
			rc = -1;
		}
	if (!rc && st->npoints * a->nvalues > STUDY_MAX_POINTS) {
		snprintf(err, STUDY_ERR, "more than %d study points (the product of the lists)",
			 STUDY_MAX_POINTS);
		rc = -1;
	}
	st->npoints *= a->nvalues;
	return rc;
}

int study_parse(const char *text, study *st, char *err)
{
	memset(st, 0, sizeof *st);
	st->npoints = 1;
	st->axes = xcalloc(STUDY_MAX_AXES, sizeof *st->axes);
	char *section = xstrdup(""), m[STUDY_ERR];
	int n = 1, rc = 0;
	for (const char *line = text; *line && !rc; n++) {
		const char *end = content_end(line), *q = line + strspn(line, " \t");
		if (*q == '[' && memchr(q, ']', (size_t)(end - q))) {
			free(section);
			section = xstrndup(q + 1, strcspn(q + 1, "]"));
		}
		for (const char *p = line; p + 1 < end && !rc; p++) {
			if (p[0] != '$' || p[1] != '{')
				continue;
			const char *close = memchr(p, '}', (size_t)(end - p));
			if (!close) {
				snprintf(m, sizeof m, "'${' without '}' on the same line");
				rc = -1;
			} else if ((rc = axis(st, text, p, close, line, section, n, m)) == 0) {
				p = close;
			}
		}
		const char *nl = strchr(end, '\n');
		line = nl ? nl + 1 : end + strlen(end);
	}
	free(section);
	if (rc) {
		snprintf(err, STUDY_ERR, "line %d: %.200s", n - 1, m);
		study_free(st);
	}
	return rc;
}

void study_free(study *st)
{
	for (int i = 0; i < st->naxes; i++) {
		for (int j = 0; j < st->axes[i].nvalues; j++)
			free(st->axes[i].values[j]);
		free(st->axes[i].values);
		free(st->axes[i].name);
	}
	free(st->axes);
	free(st->spans);
	memset(st, 0, sizeof *st);
}

static char *expand(const study *st, const char *text, long p, int *idx, int as, const char *value);

char *study_expand(const study *st, const char *text, long p, int *idx)
{
	return expand(st, text, p, idx, -1, NULL);
}

char *study_expand_as(const study *st, const char *text, long p, int a, const char *value)
{
	return expand(st, text, p, NULL, a, value);
}

/* Point p's text, axis as (-1: none) taking value. */
static char *expand(const study *st, const char *text, long p, int *idx, int as, const char *value)
{
	size_t len = strlen(text), cap = len + 1;
	int vi[st->naxes ? st->naxes : 1];
	for (int a = st->naxes - 1; a >= 0; a--) {
		vi[a] = (int)(p % st->axes[a].nvalues);
		p /= st->axes[a].nvalues;
		if (idx)
			idx[a] = vi[a];
	}
	for (int k = 0; k < st->nspans; k++)
		cap += st->spans[k].axis == as
			       ? strlen(value)
			       : strlen(st->axes[st->spans[k].axis].values[vi[st->spans[k].axis]]);
	char *out = xmalloc(cap), *o = out;
	long at = 0;
	for (int k = 0; k < st->nspans; k++) {
		const study_span *sp = &st->spans[k];
		memcpy(o, text + at, (size_t)(sp->start - at));
		o += sp->start - at;
		const char *v = sp->axis == as ? value : st->axes[sp->axis].values[vi[sp->axis]];
		memcpy(o, v, strlen(v));
		o += strlen(v);
		at = sp->end;
	}
	memcpy(o, text + at, len - (size_t)at);
	o[len - (size_t)at] = '\0';
	return out;
}
