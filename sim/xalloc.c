/*
 * xalloc.c - allocation that aborts when memory runs out (see xalloc.h).
 * GSL follows the same policy: its error handler, set before main, says
 * "mxsim: out of memory" for GSL_ENOMEM (or names GSL's error) and aborts,
 * so no GSL allocation is ever used unchecked.
 */
#include "xalloc.h"

#include <gsl/gsl_errno.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void gsl_failed(const char *reason, const char *file, int line, int gsl_errno)
{
	if (gsl_errno == GSL_ENOMEM)
		fprintf(stderr, "mxsim: out of memory\n");
	else
		fprintf(stderr, "mxsim: GSL: %s (%s:%d)\n", reason, file, line);
	abort();
}

__attribute__((constructor)) static void gsl_policy(void)
{
	gsl_set_error_handler(gsl_failed);
}

static void *check(void *p)
{
	if (!p) {
		fprintf(stderr, "mxsim: out of memory\n");
		abort();
	}
	return p;
}

void *xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return check(n < 0 ? NULL : s);
}

FILE *xmemstream(char **buf, size_t *len)
{
	return check(open_memstream(buf, len));
}
