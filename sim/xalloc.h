/*
 * xalloc.h - memory allocation for all of mxsim.
 *
 * Convention: running out of memory is not recoverable in a simulation
 * run; these functions print "mxsim: out of memory" and abort instead of
 * returning NULL. Callers free what they get with free().
 */
#ifndef MX_XALLOC_H
#define MX_XALLOC_H

#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A string built by writing to a FILE (open_memstream): fclose(f), then
 * *buf holds the text, to be freed. */
FILE *xmemstream(char **buf, size_t *len);

#endif
