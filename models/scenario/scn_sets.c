/*
 * scn_sets.c - --set overrides: each appended to a scenario's text as a
 * section of its own, and the line it replaces in the file commented out
 * (a study list there goes with it, and the file's notes say so).
 */
#include "scn_impl.h"
#include "../../sim/xalloc.h"

#include <stdio.h>
#include <string.h>

/* Appends each override as "[section]\nkey = value" (two lines each, so
 * a line past the file's names its --set); returns 0 or -1 with err. */
int scn_append_sets(char **text, size_t *len, char *const *sets, int nsets, char *err)
{
	for (int i = 0; i < nsets; i++) {
		const char *eq = strchr(sets[i], '='), *dotp = NULL;
		for (const char *q = sets[i]; eq && q < eq; q++)
			if (*q == '.')
				dotp = q;
		if (!eq || !dotp || dotp == sets[i] || strpbrk(sets[i], "\r\n")) {
			snprintf(err, SCN_ERR,
				 "--set %.200s: expected section.key=value on one line", sets[i]);
			return -1;
		}
		size_t add = strlen(sets[i]) + 8;
		*text = xrealloc(*text, *len + add + 1);
		*len += (size_t)sprintf(*text + *len, "[%.*s]\n%.*s = %s\n", (int)(dotp - sets[i]),
					sets[i], (int)(eq - dotp - 1), dotp + 1, eq + 1);
	}
	return 0;
}

/* s[0..n) with white space trimmed and inner runs of it as one space, in
 * out (size cap); whether it fit. */
static bool squeeze(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		bool sp = s[i] == ' ' || s[i] == '\t';
		if (sp && (o == 0 || i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t'))
			continue;
		if (o + 1 >= cap)
			return false;
		out[o++] = sp ? ' ' : s[i];
	}
	out[o] = '\0';
	return true;
}

/* A --set replaces its key's line in the file (not the --set lines after
 * it): that line becomes a comment
 * (the line count stays), so a study list there is gone with it; f->notes
 * says so for each study replaced. */
void scn_comment_out(scn_file *f, char *text, const char *set)
{
	const char *eq = strchr(set, '='), *dot = NULL;
	for (const char *q = set; q < eq; q++)
		dot = *q == '.' ? q : dot;
	char want_sec[256], want_key[128], sec[256] = "", key[128];
	if (!squeeze(set, (size_t)(dot - set), want_sec, sizeof want_sec) ||
	    !squeeze(dot + 1, (size_t)(eq - dot - 1), want_key, sizeof want_key))
		return;
	int n = 1;
	for (char *line = text; *line && n <= f->file_lines; n++) {
		char *q = line + strspn(line, " \t"), *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - q) : strlen(q);
		char *close = memchr(q, ']', len), *e = memchr(q, '=', len);
		if (*q == '[' && close)
			squeeze(q + 1, (size_t)(close - q - 1), sec, sizeof sec);
		else if (*q != ';' && *q != '#' && e && !strcmp(sec, want_sec) &&
			 squeeze(q, (size_t)(e - q), key, sizeof key) && !strcmp(key, want_key)) {
			if (memmem(e, (size_t)(q + len - e), "${", 2))
				f->notes = xasprintf("%s%s:%d: --set %s replaces the study there\n",
						     f->notes ? f->notes : "", f->path, n, set);
			*q = ';';
		}
		line = nl ? nl + 1 : q + len;
	}
}
