/*
 * scn_value.c - a key's text made its value: read by its row's kind,
 * checked against its row's bounds, with file:line errors naming what
 * was expected (see scn_impl.h). The one way builders read keys.
 *
 * Invariant: a value handed to a builder is within its row's bounds; a
 * builder that reads a key as a C type its kind does not fit aborts (a
 * programming error, which any test of the key finds).
 */
#include "scn_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef union {
	int64_t i; /* TIME, INT, LIMIT; CHOICE: the word's index */
	double d;  /* NUMBER, SIZE, SIZE_LIMIT, RATE */
	bool b;    /* BOOL */
	dist ds;   /* the DIST kinds */
} value;

/* The kinds each C type holds. */
#define KINDS2(a, b) (1u << KIND_##a | 1u << KIND_##b)
static const unsigned holds[] = {
	[SCN_AS_I64] = KINDS2(TIME, INT) | 1u << KIND_LIMIT,
	[SCN_AS_INT] = KINDS2(INT, LIMIT) | 1u << KIND_CHOICE,
	[SCN_AS_F64] = KINDS2(NUMBER, SIZE) | KINDS2(SIZE_LIMIT, RATE),
	[SCN_AS_BOOL] = 1u << KIND_BOOL,
	[SCN_AS_DIST] = KINDS2(DIST, DIST_TIME) | 1u << KIND_DIST_SIZE,
};

const char *scn_text(const section *sc, scn_key_id k, int *line)
{
	const char *key = scn_keys[k].key;
	if (sc)
		for (int i = sc->n - 1; i >= 0; i--)
			if (!strcmp(sc->kv[i].key, key)) {
				*line = sc->kv[i].line;
				return sc->kv[i].value;
			}
	*line = sc ? sc->line : 0;
	return scn_keys[k].def;
}

int scn_line(const section *sc, scn_key_id k)
{
	int line;
	scn_text(sc, k, &line);
	return line;
}

static int bad(scn *s, const scn_key *r, int line, const char *text)
{
	char what[160];
	scn_key_what(r, false, what, sizeof what);
	return scn_fail(s, line, "%s: expected %s, got '%.200s'", r->key, what, text);
}

/* t's number for the bounds (*x), parsed by the row's kind into v. */
static int number(const scn_key *r, const char *t, value *v, double *x, char *err)
{
	bool none = !strcmp(t, "none");
	int rc = 0;
	long n = 0;
	switch (r->kind) {
	case KIND_TIME:
		rc = unit_duration(t, &v->i, err);
		*x = (double)v->i / SIM_SEC;
		return rc;
	case KIND_INT:
	case KIND_LIMIT:
		if (r->kind == KIND_LIMIT && none)
			return v->i = 0, *x = r->lo, 0;
		rc = unit_int(t, LONG_MIN, LONG_MAX, &n, err);
		*x = (double)(v->i = n);
		return rc;
	case KIND_SIZE_LIMIT:
		if (none)
			return v->d = 0, *x = r->lo, 0;
		/* fall through */
	case KIND_SIZE:
		rc = unit_size(t, &v->d, err);
		break;
	case KIND_RATE:
		rc = unit_rate(t, &v->d, err);
		break;
	default:
		rc = unit_number(t, &v->d, err);
	}
	*x = v->d;
	return rc;
}

/* Key k of sc into v: 1, or 0 if unset ("": a key with no default), or
 * -1 after an error (an empty value where the key has a default: it
 * would read as nothing at all). */
static int parse(scn *s, const section *sc, scn_key_id k, value *v)
{
	const scn_key *r = &scn_keys[k];
	int line;
	const char *t = scn_text(sc, k, &line);
	char err[UNIT_ERR];
	if (!t || !*t)
		return r->def && *r->def ? bad(s, r, line, "") : 0;
	if (r->words) {
		int i = 0;
		while (i < r->nwords && strcmp(t, r->words[i]))
			i++;
		if (i == r->nwords)
			return bad(s, r, line, t);
		if (r->kind == KIND_BOOL)
			v->b = i == 1;
		else
			v->i = i;
		return 1;
	}
	if (r->kind == KIND_DIST || r->kind == KIND_DIST_TIME || r->kind == KIND_DIST_SIZE) {
		unit_kind u = r->kind == KIND_DIST_TIME   ? UNIT_TIME
			      : r->kind == KIND_DIST_SIZE ? UNIT_SIZE
							  : UNIT_NONE;
		if (unit_dist(t, u, s->f->dir, &v->ds, err))
			return scn_fail(s, line, "%s: %s", r->key, err);
		return 1;
	}
	double x;
	if (number(r, t, v, &x, err))
		return r->kind == KIND_INT || r->kind == KIND_LIMIT
			       ? bad(s, r, line, t)
			       : scn_fail(s, line, "%s: %s", r->key, err);
	if (x < r->lo || (r->above && x <= r->lo) || x > r->hi)
		return bad(s, r, line, t);
	return 1;
}

static int get(scn *s, const section *sc, scn_key_id k, scn_as as, value *v)
{
	const scn_key *r = &scn_keys[k];
	if (!(holds[as] >> r->kind & 1) || (as == SCN_AS_INT && r->hi > INT_MAX)) {
		fprintf(stderr, "mxsim: [%s] %s read as a type its kind does not fit\n",
			scn_sections[r->section].name, r->key);
		abort();
	}
	return parse(s, sc, k, v);
}

int scn_read_as(scn *s, const section *sc, scn_key_id k, scn_as as, void *out)
{
	value v;
	int rc = get(s, sc, k, as, &v);
	if (rc <= 0)
		return rc;
	if (as == SCN_AS_INT)
		*(int *)out = (int)v.i;
	else if (as == SCN_AS_I64)
		*(int64_t *)out = v.i;
	else if (as == SCN_AS_F64)
		*(double *)out = v.d;
	else if (as == SCN_AS_BOOL)
		*(bool *)out = v.b;
	else
		*(dist *)out = v.ds;
	return 0;
}

/* The C type of a field of kind k. */
static scn_as field_type(scn_kind k)
{
	return k == KIND_TIME     ? SCN_AS_I64
	       : k == KIND_NUMBER ? SCN_AS_F64
	       : k == KIND_BOOL   ? SCN_AS_BOOL
				  : SCN_AS_INT;
}

int scn_read_field(scn *s, const section *sc, scn_key_id k, void *profile)
{
	const scn_key *r = &scn_keys[k];
	scn_as as = field_type(r->kind);
	static const int size[] = {[SCN_AS_I64] = sizeof(int64_t),
				   [SCN_AS_INT] = sizeof(int),
				   [SCN_AS_F64] = sizeof(double),
				   [SCN_AS_BOOL] = sizeof(bool)};
	value v;
	if (r->field < 0 || r->field_size != size[as])
		abort(); /* not a profile's field, or a field of another type */
	int rc = get(s, sc, k, as, &v);
	if (rc <= 0)
		return rc;
	char *at = (char *)profile + r->field;
	int i = (int)v.i;
	if (as == SCN_AS_INT)
		memcpy(at, &i, sizeof i);
	else
		memcpy(at, &v, (size_t)r->field_size); /* v.i, v.d and v.b start the union */
	return 0;
}

void scn_field_text(scn_key_id k, const void *profile, char *buf, int len)
{
	const scn_key *r = &scn_keys[k];
	const char *at = (const char *)profile + r->field;
	int64_t t = 0;
	int i = 0;
	double d = 0;
	bool b = false;
	switch (field_type(r->kind)) {
	case SCN_AS_I64:
		memcpy(&t, at, sizeof t);
		if (t)
			unit_format_duration(t, buf, len);
		else
			snprintf(buf, (size_t)len, "0s");
		return;
	case SCN_AS_F64:
		memcpy(&d, at, sizeof d);
		snprintf(buf, (size_t)len, "%g", d);
		return;
	case SCN_AS_BOOL:
		memcpy(&b, at, sizeof b);
		snprintf(buf, (size_t)len, "%s", r->words[b]);
		return;
	default:
		memcpy(&i, at, sizeof i);
		if (r->kind == KIND_CHOICE)
			snprintf(buf, (size_t)len, "%s", r->words[i]);
		else if (r->kind == KIND_LIMIT && !i)
			snprintf(buf, (size_t)len, "none");
		else
			snprintf(buf, (size_t)len, "%d", i);
	}
}
