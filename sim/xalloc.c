/*
 * xalloc.c - allocation that aborts when memory runs out (see xalloc.h).
 * GSL follows the same policy: its error handler, set before main, says
 * "mxsim: out of memory" for GSL_ENOMEM (or names GSL's error) and aborts,
 * so no GSL allocation is ever used unchecked. Blocks of 4 MB and more
 * ask the kernel for transparent huge pages (madvise(2), MADV_HUGEPAGE):
 * the big tables are touched at random, and with 4 kB pages a third of a
 * provider week's time went to TLB misses.
 */
#include "xalloc.h"

#include <gsl/gsl_errno.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

enum { HUGE_PAGE = 2 << 20, HUGE_MIN = 4 << 20 };

/* A hint (its failure changes nothing but speed): the whole huge pages
 * within [p, p + n). */
static void *huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n >= HUGE_MIN) {
		uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
		uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
		if (e > a)
			madvise((void *)a, e - a, MADV_HUGEPAGE);
	}
#endif
	return p;
}

void *xmalloc(size_t n)
{
	return huge(check(malloc(n ? n : 1)), n);
}

void *xcalloc(size_t n, size_t size)
{
	size_t bytes = n && size && n <= SIZE_MAX / size ? n * size : 0;
	return huge(check(calloc(n ? n : 1, size ? size : 1)), bytes);
}

void *xrealloc(void *p, size_t n)
{
	return huge(check(realloc(p, n ? n : 1)), n);
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
