/*
 * term.c - standard streams without terminal control (see term.h).
 */
#include "term.h"
#include "../sim/outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static bool control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static ssize_t guarded_write(void *cookie, const char *buf, size_t size)
{
	int fd = (int)(long)cookie;
	size_t from = 0;
	for (size_t i = 0; i < size; i++) {
		if (!control((unsigned char)buf[i]))
			continue;
		char esc[5];
		snprintf(esc, sizeof esc, "\\x%02x", (unsigned char)buf[i]);
		if (outfile_write_all(fd, buf + from, i - from) || outfile_write_all(fd, esc, 4))
			return -1;
		from = i + 1;
	}
	return outfile_write_all(fd, buf + from, size - from) ? -1 : (ssize_t)size;
}

static FILE *guarded(int fd, int mode)
{
	FILE *f =
		fopencookie((void *)(long)fd, "w", (cookie_io_functions_t){.write = guarded_write});
	if (f)
		setvbuf(f, NULL, mode, BUFSIZ);
	return f;
}

void term_guard(void)
{
	FILE *f = guarded(2, _IONBF);
	if (f)
		stderr = f;
	if (isatty(1) && (f = guarded(1, _IOLBF)))
		stdout = f;
}
