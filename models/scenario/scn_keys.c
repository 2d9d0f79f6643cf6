/*
 * scn_keys.c - the schema: every section of a scenario file, and the rows
 * of scn_keys.h made into the table of keys (kind, bounds, default, help,
 * a profile key's field). Reading (unknown keys, "did you mean"), typed
 * values (scn_value.c), defaults, the resolved scenario (scn_write.c),
 * `mxsim check` and the README's key tables (`mxsim help keys`) all come
 * from these two tables.
 */
#include "scn_impl.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const scn_section scn_sections[SEC_N] = {
	[SEC_RUN] = {"run", false, "the run: length, seeds, replications, limits"},
	[SEC_TRAFFIC] = {"traffic", false, "the mail: rate, weekly pattern, sizes"},
	[SEC_SENDERS] = {"senders", false, "the sending MTAs"},
	[SEC_RESOLVERS] = {"resolvers", false, "the caching resolvers the senders use"},
	[SEC_PROFILE] = {"profile", true,
			 "a custom MTA profile; unset keys are inherited (named as a built-in "
			 "and based on it, it changes that one)"},
	[SEC_RESOLVER] = {"resolver", true,
			  "a custom resolver profile; unset keys are inherited (named as a "
			  "built-in and based on it, it changes that one)"},
	[SEC_DOMAIN] = {"domain", true, "a recipient domain and its DNS records"},
	[SEC_POPULATION] =
		{"population", false,
		 "many generated domains PREFIX1 ... PREFIXn, drawn from the run's seed (the "
		 "same in every replication)"},
	[SEC_SERVER] = {"server", true, "a receiving server (final or backup MX)"},
	[SEC_HOST] = {"host", true,
		      "an MX host name that is no server's (or a server's host's TTLs)"},
	[SEC_REPORT] = {"report", false,
			"the question the scenario answers, and the figures that answer it"},
	[SEC_PLAN] = {"plan", false,
		      "turns the scenario into a search: the smallest (or largest) value of one "
		      "key that meets a goal, with the stated confidence (the README's Planning)"},
	[SEC_ASSUMPTION] = {"assumption", true,
			    "the range `mxsim run --sensitivity` gives an assumption of the "
			    "table (the README's Assumptions)"},
	[SEC_TIMELINE] = {"timeline", false,
			  "changes over time: TIME = ACTION ARGS (see the actions)"},
};

/* the rows of scn_keys.h */
#define ANY .lo = -INFINITY, .hi = INFINITY
#undef MIN
#define MIN(l) .lo = (l), .hi = INFINITY
#define ABOVE(l) .lo = (l), .hi = INFINITY, .above = true
#define IN(l, h) .lo = (l), .hi = (h)
#define WORDS(a, n) .words = (a), .nwords = (n)
#define ONE_OF(...)                                 \
	WORDS(((const char *const[]){__VA_ARGS__}), \
	      (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))
#define ROW(S, k, KIND, bounds, d, h)         \
	[K_##S##_##k] = {.section = SEC_##S,  \
			 .key = #k,           \
			 .kind = KIND_##KIND, \
			 bounds,              \
			 .def = d,            \
			 .help = h,           \
			 .field = -1},
#define FIELD(type, k) .field = (int)offsetof(type, k), .field_size = (int)sizeof(((type *)0)->k)
#define PROW(k, KIND, bounds, h)                   \
	[K_PROFILE_##k] = {.section = SEC_PROFILE, \
			   .key = #k,              \
			   .kind = KIND_##KIND,    \
			   bounds,                 \
			   .def = "",              \
			   .help = h,              \
			   FIELD(mta_profile, k)},
#define RROW(k, KIND, bounds, h)                     \
	[K_RESOLVER_##k] = {.section = SEC_RESOLVER, \
			    .key = #k,               \
			    .kind = KIND_##KIND,     \
			    bounds,                  \
			    .def = "",               \
			    .help = h,               \
			    FIELD(res_profile, k)},

const scn_key scn_keys[K_N] = {SCN_KEYS(ROW, PROW, RROW)};

scn_key_id scn_key_find(sec_type t, const char *key)
{
	int k = 0;
	while (k < K_N && (scn_keys[k].section != t || strcmp(scn_keys[k].key, key)))
		k++;
	return (scn_key_id)k;
}

static const char *const kind_noun[KIND_N] = {
	[KIND_TEXT] = "text",
	[KIND_TIME] = "a duration",
	[KIND_INT] = "a whole number",
	[KIND_LIMIT] = "`none` or a whole number",
	[KIND_NUMBER] = "a number",
	[KIND_SIZE] = "a size",
	[KIND_SIZE_LIMIT] = "`none` or a size",
	[KIND_RATE] = "a rate",
	[KIND_DIST] = "a distribution",
	[KIND_DIST_TIME] = "a distribution of durations",
	[KIND_DIST_SIZE] = "a distribution of sizes",
	[KIND_RECORDS] = "MX records",
	[KIND_MIX] = "a profile mix",
};

/* A bound in the key's unit: "1ms", "1 B", "8". */
static void bound_text(const scn_key *k, double v, char *buf, size_t len)
{
	snprintf(buf, len,
		 k->kind == KIND_TIME                                 ? "%.15gs"
		 : k->kind == KIND_SIZE || k->kind == KIND_SIZE_LIMIT ? "%.15g B"
								      : "%.15g",
		 v);
}

void scn_key_what(const scn_key *k, bool md, char *buf, size_t len)
{
	size_t n = 0;
	const char *q = md ? "`" : "";
	if (k->words) {
		for (int i = 0; i < k->nwords && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s",
					      i ? (i + 1 == k->nwords ? " or " : ", ") : "", q,
					      k->words[i], q);
		return;
	}
	char lo[32], hi[32];
	bound_text(k, k->lo, lo, sizeof lo);
	bound_text(k, k->hi, hi, sizeof hi);
	if (isinf(k->lo) && isinf(k->hi))
		snprintf(buf, len, "%s", kind_noun[k->kind]);
	else if (isinf(k->hi))
		snprintf(buf, len, "%s %s %s", kind_noun[k->kind], k->above ? ">" : ">=", lo);
	else
		snprintf(buf, len, "%s from %s to %s", kind_noun[k->kind], lo, hi);
}

int scn_key_names(sec_type t, const char **names, int max)
{
	int n = 0;
	for (const scn_key *k = scn_keys; k < scn_keys + K_N && n < max; k++)
		if (k->section == t)
			names[n++] = k->key;
	return n;
}

/* Text for groff: a leading '.' or '\'' escaped, backslashes doubled,
 * markdown backquotes dropped. */
static void man_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s != '`')
			fputc(*s, out);
}

void scn_print_keys_man(FILE *out)
{
	for (int t = 0; t < SEC_N; t++) {
		fprintf(out, ".SS [%s%s]\n", scn_sections[t].name,
			scn_sections[t].named ? " NAME" : "");
		man_text(out, scn_sections[t].help);
		fputc('\n', out);
		if (t == SEC_TIMELINE) {
			scn_print_actions_man(out);
			continue;
		}
		for (const scn_key *k = scn_keys; k < scn_keys + K_N; k++)
			if (k->section == (sec_type)t) {
				char what[128];
				scn_key_what(k, false, what, sizeof what);
				fprintf(out, ".TP\n.B %s\n(", k->key);
				man_text(out, what);
				fputs("; default: ", out);
				man_text(out, k->def ? (*k->def ? k->def : "unset") : "required");
				fputs(") ", out);
				man_text(out, k->help);
				fputc('\n', out);
			}
	}
}

void scn_print_key_names(FILE *out)
{
	for (const scn_key *k = scn_keys; k < scn_keys + K_N; k++)
		fprintf(out, "%s%s.%s\n", scn_sections[k->section].name,
			scn_sections[k->section].named ? " NAME" : "", k->key);
}

void scn_print_keys(FILE *out)
{
	for (int t = 0; t < SEC_N; t++) {
		fprintf(out, "%s`[%s%s]` — %s\n\n", t ? "\n" : "", scn_sections[t].name,
			scn_sections[t].named ? " NAME" : "", scn_sections[t].help);
		if (t == SEC_TIMELINE) {
			scn_print_actions(out);
			continue;
		}
		fprintf(out, "| key | value | default | meaning |\n|---|---|---|---|\n");
		for (const scn_key *k = scn_keys; k < scn_keys + K_N; k++) {
			char what[128];
			if (k->section != (sec_type)t)
				continue;
			scn_key_what(k, true, what, sizeof what);
			fprintf(out, "| `%s` | %s | %s%s%s | %s |\n", k->key, what,
				k->def && *k->def ? "`" : "", k->def ? k->def : "required",
				k->def && *k->def ? "`" : "", k->help);
		}
	}
}
