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
	const char *t = f->asked ? f->asked : f->text; /* a plan: as asked, not answered */
	const size_t *at = f->asked ? f->ask_at : f->line_at;
	const char *p = n >= 1 && n <= f->nlines ? t + at[n - 1] : "";
	size_t len = strcspn(p, "\n");
	while (len && isspace((unsigned char)*p))
		p++, len--;
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	fprintf(out, "%.*s\n", (int)len, p);
}

/* A [profile] or [resolver] key not given: the value it inherits, as a
 * comment (the base may differ between study points); whether written. */
static bool inherited(const scn *s, const section *sc, scn_key_id k, FILE *out)
{
	char v[64];
	const void *p = NULL;
	if (scn_keys[k].section == SEC_PROFILE) {
		int i = scn_mta_by_name(s, sc->name);
		p = i >= 0 ? &s->c.profiles[i] : NULL;
	} else if (scn_keys[k].section == SEC_RESOLVER) {
		p = scn_res_by_name(s, sc->name);
	}
	if (!p)
		return false;
	const mta_profile *m = p;
	char rule[256];
	if (k == K_PROFILE_retry_rule && m->nretry) {
		mta_retry_text(m, rule, sizeof rule);
		fprintf(out, "; %s = %s (inherited)\n", scn_keys[k].key, rule);
		return true;
	}
	if (k == K_PROFILE_queue_run_phase && m->phase_fixed)
		unit_format_duration(m->phase, v, sizeof v);
	else if (k == K_PROFILE_queue_run_phase)
		snprintf(v, sizeof v, "drawn");
	else if (scn_keys[k].field >= 0)
		scn_field_text(k, p, v, sizeof v);
	else
		return false;
	fprintf(out, "; %s = %s (inherited)\n", scn_keys[k].key, v);
	return true;
}

static void write_keys(const scn *s, const section *sc, sec_type t, FILE *out)
{
	for (int i = 0; i < K_N; i++) {
		const scn_key *k = &scn_keys[i];
		if (k->section != t)
			continue;
		const kv *given = NULL;
		for (int j = 0; sc && j < sc->n; j++)
			if (!strcmp(sc->kv[j].key, k->key))
				given = &sc->kv[j];
		if (given) {
			src_line(s->f, given->line, out);
		} else if (k->def && !*k->def && inherited(s, sc, (scn_key_id)i, out)) {
			continue;
		} else if (k->def) {
			/* derived defaults: the names they stand for */
			const char *v = k->def;
			if (i == K_RUN_name)
				v = s->name;
			else if (i == K_SERVER_host || i == K_SERVER_provider)
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
		if (sc || (t != SEC_POPULATION && t != SEC_PLAN && t != SEC_TIMELINE))
			write_section(s, sc, (sec_type)t, out);
	}
}

/* One table of built-in profiles: a column per key held in a field of
 * section t's profile, then the source. */
static void profiles(FILE *out, sec_type t, int n, const void *(*at)(int))
{
	fprintf(out, "| profile |%s", t == SEC_PROFILE ? " schedule |" : "");
	int cols = 0;
	for (int k = 0; k < K_N; k++)
		if (scn_keys[k].section == t && scn_keys[k].field >= 0)
			fprintf(out, " `%s` |", scn_keys[k].key), cols++;
	fprintf(out, " source |\n|---|%s", t == SEC_PROFILE ? "---|" : "");
	for (int k = 0; k <= cols; k++)
		fputs("---|", out);
	fputc('\n', out);
	for (int i = 0; i < n; i++) {
		const void *p = at(i);
		if (t == SEC_PROFILE)
			fprintf(out, "| `%s` | %s |", ((const mta_profile *)p)->name,
				((const mta_profile *)p)->schedule);
		else
			fprintf(out, "| `%s` |", ((const res_profile *)p)->name);
		for (int k = 0; k < K_N; k++) {
			char v[32];
			if (scn_keys[k].section != t || scn_keys[k].field < 0)
				continue;
			scn_field_text((scn_key_id)k, p, v, sizeof v);
			fprintf(out, " %s |", strcmp(v, "0s") ? v : "-");
		}
		fprintf(out, " %s |\n",
			t == SEC_PROFILE ? ((const mta_profile *)p)->source
					 : ((const res_profile *)p)->source);
	}
}

static const void *mta_at(int i)
{
	return mta_builtin_at(i);
}

static const void *res_at(int i)
{
	return res_builtin_at(i);
}

void scn_print_profiles(FILE *out)
{
	fprintf(out, "MTA profiles ([senders] profiles, [profile NAME] based_on):\n\n");
	profiles(out, SEC_PROFILE, mta_builtin_count(), mta_at);
	fprintf(out, "\nResolver profiles ([resolvers] profiles, [resolver NAME] based_on):\n\n");
	profiles(out, SEC_RESOLVER, res_builtin_count(), res_at);
	fprintf(out, "\n(-: not set, 0)\n");
}
