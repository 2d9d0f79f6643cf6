/*
 * csvread.h - reading CSV tables with libcsv, row by row, with line numbers
 * for messages.
 */
#ifndef MX_CSVREAD_H
#define MX_CSVREAD_H

enum { CSVREAD_ERR = 400 };

/* Larger files are refused (so are devices and FIFOs). */
#define CSVREAD_MAX_BYTES (64LL << 20)

/* Calls row(ctx, line, nfields, fields, err) for each record of the file;
 * stops at the first row that returns non-zero. Returns 0, or -1 with
 * "path:line: message" (or "path: message") in err (CSVREAD_ERR bytes). */
int csvread_file(const char *path, int (*row)(void *ctx, int line, int nf, char **f, char *err),
		 void *ctx, char *err);

#endif
