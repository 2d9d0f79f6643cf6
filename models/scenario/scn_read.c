/*
 * scn_read.c - scenario text to sections (see scn_impl.h): inih reads
 * "key = value" lines with the line each stands on, checked against the
 * schema (scn_keys.c); errors name file:line and what was expected, with a
 * "did you mean" from the schema; typed values with their defaults.
 */
#include "scn_impl.h"
#include "../../sim/xalloc.h"

#include <ctype.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *scn_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* ---- errors ----------------------------------------------------------- */

/* Formats "where: message" for the first error only. */
int scn_fail(scn *s, int line, const char *fmt, ...)
{
	if (s->err_line)
		return -1;
	char msg[SCN_ERR];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const scn_file *f = s->f;
	if (line > f->file_lines && line - f->file_lines - 1 < 2 * f->nsets)
		snprintf(s->err, SCN_ERR, "--set %.200s: %.280s",
			 f->sets[(line - f->file_lines - 1) / 2], msg);
	else if (line > 0)
		snprintf(s->err, SCN_ERR, "%.200s:%d: %.280s", f->path, line, msg);
	else
		snprintf(s->err, SCN_ERR, "%.200s: %.280s", f->path, msg);
	s->err_line = line ? line : -1;
	return -1;
}

static int lev(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[64][64];
	if (la > 63 || lb > 63)
		return 99;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int x = d[i - 1][j] + 1, y = d[i][j - 1] + 1;
			d[i][j] = c < x ? (c < y ? c : y) : (x < y ? x : y);
		}
	return d[la][lb];
}

/* " (did you mean 'x'?)" for the nearest of names, or "" */
const char *scn_suggest(const char *word, const char *const *names, int n, char *buf, size_t len)
{
	int best = 99;
	const char *b = NULL;
	for (int i = 0; i < n; i++) {
		int d = lev(word, names[i]);
		if (d < best) {
			best = d;
			b = names[i];
		}
	}
	if (b && best <= 3)
		snprintf(buf, len, " (did you mean '%s'?)", b);
	else
		buf[0] = '\0';
	return buf;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct {
	const char *p, *raw; /* raw: the line being read, in the text */
	int line, section_line;
	bool too_long;
	char *section; /* the last [section] line's text, whole (inih cuts it) */
} reader;

static char *read_line(char *str, int num, void *stream)
{
	reader *r = stream;
	if (!*r->p)
		return NULL;
	const char *nl = strchr(r->p, '\n');
	size_t n = nl ? (size_t)(nl - r->p + 1) : strlen(r->p);
	r->line++;
	if (n >= (size_t)num) {
		r->too_long = true;
		n = (size_t)num - 1;
	}
	memcpy(str, r->p, n);
	str[n] = '\0';
	r->raw = r->p;
	const char *q = str;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '[') {
		r->section_line = r->line;
		free(r->section);
		r->section = xstrndup(q + 1, strcspn(q + 1, "]"));
	}
	r->p += nl ? (size_t)(nl - r->p + 1) : strlen(r->p);
	return str;
}

typedef struct {
	scn *s;
	reader *r;
} parse_ctx;

static bool is_section(const section *sc, sec_type t, const char *name)
{
	return sc->type == t && !strcmp(sc->name, name);
}

section *scn_find_section(scn *s, sec_type t, const char *name)
{
	int i = s->sec_ix ? nindex_get(s->sec_ix, name, t) : -1;
	if (i < 0 || is_section(&s->sec[i], t, name))
		return i < 0 ? NULL : &s->sec[i];
	for (i = 0; i < s->nsec; i++) /* a hash collision: rare */
		if (is_section(&s->sec[i], t, name))
			return &s->sec[i];
	return NULL;
}

/* The section type (index into sections) of "type [name]", or a failure
 * naming what was expected. */
static int section_type(scn *s, const char *text, const char *type, const char *name, int sline)
{
	int t = -1;
	for (int i = 0; i < SEC_N; i++)
		if (!strcmp(scn_sections[i].name, type))
			t = i;
	if (t < 0) {
		const char *names[SEC_N];
		char sg[96], list[256] = "";
		for (int i = 0; i < SEC_N; i++) {
			names[i] = scn_sections[i].name;
			size_t n = strlen(list);
			snprintf(list + n, sizeof list - n, "%s%s%s", i ? ", " : "", names[i],
				 scn_sections[i].named ? " NAME" : "");
		}
		return scn_fail(s, sline, "unknown section [%.100s]%s; expected %s", text,
				scn_suggest(type, names, SEC_N, sg, sizeof sg), list);
	}
	if (scn_sections[t].named && !*name)
		return scn_fail(s, sline, "section [%s] needs a name: [%s NAME]", type, type);
	if (!scn_sections[t].named && *name)
		return scn_fail(s, sline, "section [%s] takes no name", type);
	if ((t == SEC_SERVER || t == SEC_PROFILE || t == SEC_RESOLVER) && !name_ok(name))
		return scn_fail(s, sline, "section name '%.80s': expected %s", name, NAME_RULE);
	if ((t == SEC_DOMAIN || t == SEC_HOST) && !dns_name_ok(name))
		return scn_fail(s, sline, "section name '%.80s': expected %s", name, DNS_NAME_RULE);
	return t;
}

static int key_known(scn *s, int t, const char *text, const char *key, int line)
{
	if (t == SEC_TIMELINE || scn_key_find((sec_type)t, key) != K_N)
		return 0;
	const char *names[64];
	int n = scn_key_names((sec_type)t, names, 64);
	char sg[96];
	return scn_fail(s, line, "unknown key '%.80s' in [%.100s]%s", key, text,
			scn_suggest(key, names, n, sg, sizeof sg));
}

/* Stores key = value of section "type name" (text); returns 0 or -1. */
static int store(scn *s, char *text, const char *key, const char *value, int line, int sline)
{
	char *type = scn_trim(text), *name = type;
	while (*name && !isspace((unsigned char)*name))
		name++;
	char *full = xstrdup(type);
	if (*name)
		*name++ = '\0';
	name = scn_trim(name);
	int t = section_type(s, full, type, name, sline);
	if (t < 0 || key_known(s, t, full, key, line)) {
		free(full);
		return -1;
	}
	free(full);
	section *sc = s->last && s->last->type == (sec_type)t && !strcmp(s->last->name, name)
			      ? s->last
			      : scn_find_section(s, (sec_type)t, name);
	if (!sc) {
		if (s->nsec == s->seccap) {
			s->seccap = s->seccap ? 2 * s->seccap : 16;
			s->sec = xrealloc(s->sec, (size_t)s->seccap * sizeof *s->sec);
		}
		if (!s->sec_ix)
			s->sec_ix = nindex_new();
		nindex_put(s->sec_ix, name, (unsigned)t, s->nsec);
		sc = &s->sec[s->nsec++];
		*sc = (section){(sec_type)t, xstrdup(name), sline, NULL, 0, 0};
	}
	s->last = sc;
	/* a later key overrides (--set); the timeline keeps every line */
	if (t != SEC_TIMELINE)
		for (int i = 0; i < sc->n; i++)
			if (!strcmp(sc->kv[i].key, key)) {
				free(sc->kv[i].value);
				sc->kv[i].value = xstrdup(value);
				sc->kv[i].line = line;
				return 0;
			}
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 8;
		sc->kv = xrealloc(sc->kv, (size_t)sc->cap * sizeof *sc->kv);
	}
	sc->kv[sc->n++] = (kv){xstrdup(key), xstrdup(value), line};
	return 0;
}

/* inih splits "Wed 10:00 = mx ..." at the ':'; a timeline key runs to the
 * first '=' of the raw line. Returns that key (allocated) and moves *value
 * past the '=', or NULL when inih's split stands. */
static char *timeline_key(const char *raw, const char *key, const char **value)
{
	const char *eq = strpbrk(raw, "=\n");
	if (!eq || *eq != '=')
		return NULL;
	char *k = xstrndup(raw, (size_t)(eq - raw)), *t = scn_trim(k);
	const char *v = strchr(*value, '=');
	if (!strcmp(t, key) || !v) {
		free(k);
		return NULL;
	}
	memmove(k, t, strlen(t) + 1);
	for (v++; *v == ' ' || *v == '\t';)
		v++;
	*value = v;
	return k;
}

/* inih's callback. Its copy of the section name is cut at 50 bytes, so
 * the reader's whole copy is used. */
static int handler(void *user, const char *secname, const char *key, const char *value)
{
	parse_ctx *pc = user;
	scn *s = pc->s;
	(void)secname;
	if (pc->r->too_long)
		return scn_fail(s, pc->r->line, "line longer than 16383 characters"), 0;
	char *text = xstrdup(pc->r->section ? pc->r->section : ""), *tkey = NULL;
	if (!strncmp(scn_trim(text), "timeline", 8))
		tkey = timeline_key(pc->r->raw, key, &value);
	int rc = store(s, text, tkey ? tkey : key, value, pc->r->line, pc->r->section_line);
	free(text);
	free(tkey);
	return rc == 0;
}

/* ---- values ------------------------------------------------------------ */

section *scn_single(scn *s, sec_type t)
{
	for (int i = 0; i < s->nsec; i++)
		if (s->sec[i].type == t)
			return &s->sec[i];
	return NULL;
}

/* ---- parsing ---------------------------------------------------------- */

int scn_parse(scn *s, const char *text)
{
	reader r = {.p = text};
	parse_ctx pc = {s, &r};
	ini_allow_multiline = false;
	ini_stop_on_first_error = true;
	ini_use_stack = false;
	ini_allow_realloc = false;
	ini_initial_alloc = 16384;
	ini_max_line = 16384;
	int rc = ini_parse_stream(read_line, &r, handler, &pc);
	free(r.section);
	if (rc > 0 && !s->err_line)
		scn_fail(s, rc, "expected [section], key = value, or a ; comment");
	if (rc < 0)
		scn_fail(s, 0, "out of memory while parsing");
	return s->err_line ? -1 : 0;
}
