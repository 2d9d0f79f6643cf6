/*
 * infile.h - opening input files (scenarios, tables, results) with their
 * size bounded up front: only regular files, at most max bytes, so a
 * device, a FIFO or a huge file is refused with a message instead of
 * being read until memory runs out.
 */
#ifndef MX_INFILE_H
#define MX_INFILE_H

#include <stdio.h>

enum { INFILE_ERR = 400 };

/* Opens path for reading; NULL with "path: why" in err (INFILE_ERR). */
FILE *infile_open(const char *path, long long max, char *err);

#endif
