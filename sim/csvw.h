/*
 * csvw.h - writing CSV rows with libcsv (every field quoted, RFC 4180).
 * Errors are sticky: check csvw_close's result once at the end; errno
 * then holds the first write error's reason.
 */
#ifndef MX_CSVW_H
#define MX_CSVW_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
	FILE *f;
	int col, err; /* err: errno of the first failed write, or 0 */
} csvw;

/* Creates name in folder dirfd (outfile.h); returns 0, or -1 (errno set). */
int csvw_create(csvw *w, int dirfd, const char *name);
/* Text; one a spreadsheet would read as a formula (=, +, -, @, TAB or CR
 * first, and no number) is written behind a "'". */
void csvw_str(csvw *w, const char *s);
void csvw_num(csvw *w, double v); /* NaN: an empty field */
void csvw_int(csvw *w, int64_t v);
void csvw_end(csvw *w);
/* Flushes, syncs and closes; returns 0, or -1 if any write failed. */
int csvw_close(csvw *w);

#endif
