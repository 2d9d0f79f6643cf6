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

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
