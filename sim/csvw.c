/*
 * csvw.c - CSV writer over libcsv's csv_fwrite (see csvw.h).
 */
#include "csvw.h"
#include "outfile.h"
#include "xalloc.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int csvw_create(csvw *w, int dirfd, const char *name)
{
	w->f = outfile_create(dirfd, name);
	w->col = w->err = 0;
	return w->f ? 0 : -1;
}

static void failed(csvw *w)
{
	if (!w->err)
		w->err = errno ? errno : EIO;
}

static void sep(csvw *w)
{
	if (w->col++ && fputc(',', w->f) == EOF)
		failed(w);
}

static void field(csvw *w, const char *s)
{
	sep(w);
	if (csv_fwrite(w->f, s, strlen(s)))
		failed(w);
}

/* Whether a spreadsheet would read s as a formula: it starts with one of
 * = + - @ TAB CR and is no number (OWASP, "CSV Injection"). */
static bool formula(const char *s)
{
	if (!*s || !strchr("=+-@\t\r", *s))
		return false;
	char *end;
	strtod(s, &end);
	return end == s || *end;
}

void csvw_str(csvw *w, const char *s)
{
	if (!formula(s)) {
		field(w, s);
		return;
	}
	size_t n = strlen(s);
	char *q = xmalloc(n + 2);
	q[0] = '\'';
	memcpy(q + 1, s, n + 1);
	field(w, q);
	free(q);
}

void csvw_num(csvw *w, double v)
{
	char b[48];
	if (isnan(v))
		b[0] = '\0';
	else
		snprintf(b, sizeof b, "%.10g", v);
	field(w, b);
}

void csvw_int(csvw *w, int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	field(w, b);
}

void csvw_end(csvw *w)
{
	if (fputc('\n', w->f) == EOF)
		failed(w);
	w->col = 0;
}

int csvw_close(csvw *w)
{
	int bad = outfile_close(w->f);
	if (!w->err)
		w->err = bad;
	w->f = NULL;
	errno = w->err;
	return w->err ? -1 : 0;
}
