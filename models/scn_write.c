/*
 * scn_write.c - the resolved scenario: the file's description, then every
 * key of every section, as given (study lists kept) or its default, so
 * that the written file reproduces the run (see scenario.h).
 */
#include "scn_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Line n (1-based) of the scenario's text, with study lists intact,
 * trimmed, then a newline. */
static void src_line(const scn_file *f, int n, FILE *out)
{
	const char *p = n >= 1 && n <= f->nlines ? f->text + f->line_at[n - 1] : "";
	size_t len = strcspn(p, "\n");
	while (len && isspace((unsigned char)*p))
		p++, len--;
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	fprintf(out, "%.*s\n", (int)len, p);
}

/* A [profile] or [resolver] key not given: the value it inherits, as a
 * comment (the base may differ between study points); whether written. */
static bool inherited(const scn *s, const section *sc, sec_type t, const char *key, FILE *out)
{
	char v[64];
	bool ok = false;
	if (t == SEC_PROFILE) {
		int i = scn_mta_by_name(s, sc->name);
		ok = i >= 0 && mta_key_text(&s->c.profiles[i], key, v, sizeof v);
	} else if (t == SEC_RESOLVER) {
		const res_profile *p = scn_res_by_name(s, sc->name);
		ok = p && res_key_text(p, key, v, sizeof v);
	}
	if (ok)
		fprintf(out, "; %s = %s (inherited)\n", key, v);
	return ok;
}

static void write_keys(const scn *s, const section *sc, sec_type t, FILE *out)
{
	for (const scn_key *k = scn_keys; k->key; k++) {
		if (k->section != t)
			continue;
		const kv *given = NULL;
		for (int j = 0; sc && j < sc->n; j++)
			if (!strcmp(sc->kv[j].key, k->key))
				given = &sc->kv[j];
		if (given) {
			src_line(s->f, given->line, out);
		} else if (k->def && !*k->def && inherited(s, sc, t, k->key, out)) {
			continue;
		} else if (k->def) {
			/* derived defaults: the names they stand for */
			const char *v = k->def;
			if (t == SEC_RUN && !strcmp(k->key, "name"))
				v = s->name;
			else if (t == SEC_SERVER && !*v &&
				 (!strcmp(k->key, "host") || !strcmp(k->key, "provider")))
				v = sc->name;
			fprintf(out, "%s = %s\n", k->key, v);
		}
	}
}

static void write_section(const scn *s, const section *sc, sec_type t, FILE *out)
{
	if (scn_sections[t].named)
		fprintf(out, "\n[%s %s]\n", scn_sections[t].name, sc->name);
	else
		fprintf(out, "\n[%s]\n", scn_sections[t].name);
	if (t == SEC_TIMELINE)
		for (int k = 0; k < sc->n; k++)
			src_line(s->f, sc->kv[k].line, out);
	else
		write_keys(s, sc, t, out);
}

void scn_write(const scn *s, FILE *out)
{
	/* the file's description: its leading comment lines */
	for (const char *p = s->f->text; *p == ';' || *p == '#';) {
		const char *e = strchr(p, '\n');
		fprintf(out, "%.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		if (!e)
			break;
		p = e + 1;
	}
	fprintf(out, "; resolved scenario: every key, given (study lists kept) or default\n");
	for (int t = 0; t < SEC_N; t++) {
		if (scn_sections[t].named) {
			for (int i = 0; i < s->nsec; i++)
				if (s->sec[i].type == (sec_type)t)
					write_section(s, &s->sec[i], (sec_type)t, out);
			continue;
		}
		const section *sc = scn_single((scn *)s, (sec_type)t);
		if (sc || (t != SEC_POPULATION && t != SEC_TIMELINE))
			write_section(s, sc, (sec_type)t, out);
	}
}
