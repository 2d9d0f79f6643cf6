/*
 * csvw.c - CSV writer over libcsv's csv_fwrite (see csvw.h).
 */
#include "csvw.h"

#include <csv.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

int csvw_open(csvw *w, const char *path)
{
	w->f = fopen(path, "w");
	w->col = w->err = 0;
	return w->f ? 0 : -1;
}

static void sep(csvw *w)
{
	if (w->col++ && fputc(',', w->f) == EOF)
		w->err = 1;
}

void csvw_str(csvw *w, const char *s)
{
	sep(w);
	if (csv_fwrite(w->f, s, strlen(s)))
		w->err = 1;
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
		w->err = 1;
	w->col = 0;
}

int csvw_close(csvw *w)
{
	int bad = w->err || fflush(w->f) || fsync(fileno(w->f));
	bad |= fclose(w->f) != 0;
	w->f = NULL;
	return bad ? -1 : 0;
}
