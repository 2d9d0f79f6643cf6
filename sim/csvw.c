/*
 * csvw.c - CSV writer over libcsv's csv_fwrite (see csvw.h).
 */
#include "csvw.h"
#include "outfile.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
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

void csvw_str(csvw *w, const char *s)
{
	sep(w);
	if (csv_fwrite(w->f, s, strlen(s)))
		failed(w);
}

void csvw_num(csvw *w, double v)
{
	char b[48];
	if (isnan(v))
		b[0] = '\0';
	else
		snprintf(b, sizeof b, "%.10g", v);
	csvw_str(w, b);
}

void csvw_int(csvw *w, int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	csvw_str(w, b);
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
