/*
 * assume.c - the table of assumptions (see assume.h): printed for the
 * README and turned into --set overrides that put one at a value.
 */
#include "assume.h"
#include "scn_keys.h"
#include "../../sim/xalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SCN_ASSUME_ROW(n, KIND, it, k, lo, d, hi, u, w, src) \
	[SCN_A_##n] = {.name = #n,                           \
		       .kind = SCN_ASSUME_##KIND,            \
		       .item = it,                           \
		       .key = k,                             \
		       .low = lo,                            \
		       .def = d,                             \
		       .high = hi,                           \
		       .unit = u,                            \
		       .what = w,                            \
		       .source = src},
const scn_assumption scn_assumptions[SCN_A_N] = {SCN_ASSUMPTIONS(SCN_ASSUME_ROW)};

/* A value in the row's unit: "6h", "25 %", "1.3". */
static void show(FILE *out, const scn_assumption *a, double v)
{
	if (!strcmp(a->unit, "s"))
		fprintf(out,
			v >= 86400 && !fmod(v, 86400) ? "%gd"
			: v >= 3600 && !fmod(v, 3600) ? "%gh"
						      : "%gm",
			v >= 86400 && !fmod(v, 86400) ? v / 86400
			: v >= 3600 && !fmod(v, 3600) ? v / 3600
						      : v / 60);
	else if (!strcmp(a->unit, "share"))
		fprintf(out, "%g %%", 100 * v);
	else
		fprintf(out, "%g", v);
}

void scn_print_assumptions(FILE *out)
{
	fprintf(out, "| assumption | what | low | default | high | varied as | source |\n"
		     "|---|---|---|---|---|---|---|\n");
	static const char *const how[] = {
		[SCN_ASSUME_RES_SHARE] = "its share of `[resolvers] profiles`",
		[SCN_ASSUME_MTA_SHARE] = "its share of `[senders] profiles`",
		[SCN_ASSUME_RES_KEY] = "a `[resolver]` based on it",
		[SCN_ASSUME_MTA_KEY] = "a `[profile]` based on it",
		[SCN_ASSUME_KEY] = "the key"};
	for (int i = 0; i < SCN_A_N; i++) {
		const scn_assumption *a = &scn_assumptions[i];
		fprintf(out, "| `%s` | %s | ", a->name, a->what);
		show(out, a, a->low);
		fputs(" | ", out);
		show(out, a, a->def);
		fputs(" | ", out);
		show(out, a, a->high);
		fprintf(out, " | `%s`%s%s: %s | %s |\n", a->item, *a->key ? " " : "",
			a->kind == SCN_ASSUME_KEY ? "" : a->key, how[a->kind], a->source);
	}
}

/* The default mix (SCN_RES_MIX or SCN_MTA_MIX) with item's share put at
 * v and the others scaled to make room; allocated. */
static char *mix_with(const char *mix, const char *item, double v)
{
	char *buf = xstrdup(mix), *save, *tok, *out = xstrdup("");
	double own = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char name[64];
		double sh;
		if (sscanf(tok, " %63[^:]:%lf", name, &sh) == 2 && !strcmp(name, item))
			own = sh;
	}
	free(buf);
	buf = xstrdup(mix);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char name[64];
		double sh = 0;
		sscanf(tok, " %63[^:]:%lf", name, &sh);
		bool mine = !strcmp(name, item);
		sh = mine ? v : sh * (1 - v) / (1 - own);
		char *next = xasprintf("%s%s%s:%.17g", out, *out ? ", " : "", name, sh);
		free(out);
		out = next;
	}
	free(buf);
	return out;
}

int scn_assumption_sets(scn_assumption_id id, double v, char **sets)
{
	const scn_assumption *a = &scn_assumptions[id];
	bool res = a->kind == SCN_ASSUME_RES_SHARE || a->kind == SCN_ASSUME_RES_KEY;
	const char *mix = res ? SCN_RES_MIX : SCN_MTA_MIX;
	const char *mixkey = res ? "resolvers.profiles" : "senders.profiles";
	char *m;
	switch (a->kind) {
	case SCN_ASSUME_KEY: {
		char *val = xasprintf(a->key, v);
		sets[0] = xasprintf("%s=%s", a->item, val);
		free(val);
		return 1;
	}
	case SCN_ASSUME_RES_SHARE:
	case SCN_ASSUME_MTA_SHARE:
		m = mix_with(mix, a->item, v);
		sets[0] = xasprintf("%s=%s", mixkey, m);
		free(m);
		return 1;
	default: {
		/* the built-in profile changed in its place */
		const char *sec = res ? "resolver" : "profile";
		sets[0] = xasprintf("%s %s.based_on=%s", sec, a->item, a->item);
		sets[1] = xasprintf("%s %s.%s=%.17g", sec, a->item, a->key, v);
		return 2;
	}
	}
}
