/*
 * study.c - finding and expanding ${...} study axes (see study.h).
 */
#include "study.h"
#include "xalloc.h"

#include <ctype.h>
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
	a->values = xrealloc(a->values, (size_t)(a->nvalues + 1) * sizeof *a->values);
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
	if (*end || !(step > 0) || to < from || (to - from) / step > 100000)
		goto bad;
	for (long i = 0; from + (double)i * step <= to + 1e-9 * fabs(step); i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.15g", from + (double)i * step);
		add_value(a, dup_trim(buf, strlen(buf)));
	}
	return 0;
bad:
	snprintf(err, STUDY_ERR, "expected ${from..to} or ${from..to step s} with from <= to, step > 0");
	return -1;
}

int study_parse(const char *text, study *st, char *err)
{
	memset(st, 0, sizeof *st);
	st->npoints = 1;
	char section[64] = "";
	int line = 1;
	const char *line_start = text;
	for (const char *p = text; *p; p++) {
		if (p == line_start) {
			const char *q = p;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '[') {
				const char *e = strchr(q, ']');
				const char *nl = strchr(q, '\n');
				if (e && (!nl || e < nl))
					snprintf(section, sizeof section, "%.*s", (int)(e - q - 1), q + 1);
			}
		}
		if (*p == '\n') {
			line++;
			line_start = p + 1;
			continue;
		}
		if (p[0] != '$' || p[1] != '{')
			continue;
		const char *close = strchr(p, '}'), *nl = strchr(p, '\n');
		if (!close || (nl && nl < close)) {
			snprintf(err, STUDY_ERR, "line %d: '${' without '}' on the same line", line);
			goto fail;
		}
		st->axes = xrealloc(st->axes, (size_t)(st->naxes + 1) * sizeof *st->axes);
		study_axis *a = &st->axes[st->naxes++];
		memset(a, 0, sizeof *a);
		a->line = line;
		a->start = p - text;
		a->end = close + 1 - text;
		char *body = dup_trim(p + 2, (size_t)(close - p - 2));
		char *b = body;
		char *eq = strchr(b, '='), *comma = strchr(b, ',');
		if (eq && (!comma || eq < comma)) {
			char *nm = dup_trim(b, (size_t)(eq - b));
			snprintf(a->name, sizeof a->name, "%s", nm);
			free(nm);
			b = eq + 1;
		} else {
			/* "section.key" of the line this stands in */
			const char *k = line_start, *ke = strchr(line_start, '=');
			if (ke && ke < p) {
				char *key = dup_trim(k, (size_t)(ke - k));
				snprintf(a->name, sizeof a->name, "%s.%s", section, key);
				free(key);
			} else {
				snprintf(a->name, sizeof a->name, "%s.line%d", section, line);
			}
		}
		int r = range(a, b, err);
		if (r < 0) {
			char m[STUDY_ERR];
			snprintf(m, sizeof m, "%s", err);
			snprintf(err, STUDY_ERR, "line %d: %.200s", line, m);
			free(body);
			goto fail;
		}
		if (r > 0) {
			/* values holding commas are separated by '|' instead */
			const char *sep = strchr(b, '|') ? "|" : ",";
			char *save, *tok = strtok_r(b, sep, &save);
			while (tok) {
				add_value(a, dup_trim(tok, strlen(tok)));
				tok = strtok_r(NULL, sep, &save);
			}
		}
		free(body);
		for (int i = 0; i < a->nvalues; i++)
			if (!*a->values[i])
				a->nvalues = 0;
		if (!a->nvalues) {
			snprintf(err, STUDY_ERR, "line %d: expected ${v1, v2, ...} with no empty value", line);
			goto fail;
		}
		for (int i = 0; i < st->naxes - 1; i++)
			if (!strcmp(st->axes[i].name, a->name)) {
				snprintf(err, STUDY_ERR, "line %d: a second study named '%s'", line, a->name);
				goto fail;
			}
		if (st->npoints * a->nvalues > 1000000) {
			snprintf(err, STUDY_ERR, "line %d: more than a million study points", line);
			goto fail;
		}
		st->npoints *= a->nvalues;
		p = close;
	}
	return 0;
fail:
	study_free(st);
	return -1;
}

void study_free(study *st)
{
	for (int i = 0; i < st->naxes; i++) {
		for (int j = 0; j < st->axes[i].nvalues; j++)
			free(st->axes[i].values[j]);
		free(st->axes[i].values);
	}
	free(st->axes);
	memset(st, 0, sizeof *st);
}

char *study_expand(const study *st, const char *text, long p, int *idx)
{
	size_t len = strlen(text), cap = len + 1;
	int vi[st->naxes ? st->naxes : 1];
	for (int a = st->naxes - 1; a >= 0; a--) {
		vi[a] = (int)(p % st->axes[a].nvalues);
		p /= st->axes[a].nvalues;
		cap += strlen(st->axes[a].values[vi[a]]);
	}
	char *out = xmalloc(cap), *o = out;
	long at = 0;
	for (int a = 0; a < st->naxes; a++) {
		memcpy(o, text + at, (size_t)(st->axes[a].start - at));
		o += st->axes[a].start - at;
		const char *v = st->axes[a].values[vi[a]];
		memcpy(o, v, strlen(v));
		o += strlen(v);
		at = st->axes[a].end;
		if (idx)
			idx[a] = vi[a];
	}
	memcpy(o, text + at, len - (size_t)at);
	o[len - (size_t)at] = '\0';
	return out;
}
