/*
 * infile.c - bounded opening of input files (see infile.h).
 */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opened without blocking, so a FIFO is refused rather than waited on. */
static FILE *open_nonblocking(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	FILE *f = fcntl(fd, F_SETFL, 0) ? NULL : fdopen(fd, "rb");
	if (!f)
		close(fd);
	return f;
}

FILE *infile_open(const char *path, long long max, char *err)
{
	FILE *f = open_nonblocking(path);
	struct stat st;
	if (!f) {
		snprintf(err, INFILE_ERR, "%.300s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st)) {
		snprintf(err, INFILE_ERR, "%.300s: cannot read: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, INFILE_ERR, "%.300s: not a regular file", path);
	} else if ((long long)st.st_size > max) {
		snprintf(err, INFILE_ERR, "%.300s: larger than %lld bytes (%lld)", path, max,
			 (long long)st.st_size);
	} else {
		return f;
	}
	fclose(f);
	return NULL;
}
