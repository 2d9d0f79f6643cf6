/*
 * infile.c - bounded opening of input files (see infile.h).
 */
#include "infile.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

FILE *infile_open(const char *path, long long max, char *err)
{
	FILE *f = fopen(path, "rb");
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
