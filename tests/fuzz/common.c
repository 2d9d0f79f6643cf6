/*
 * common.c - temporary files for the harnesses (see fuzz.h).
 */
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void cleanup(void)
{
	nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(void)
{
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%.40s/mxfuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	return dir;
}

int fuzz_write(const char *d, const char *name, const uint8_t *data, size_t size)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", d, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return -1;
	int bad = fwrite(data, 1, size, f) != size;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

void fuzz_remove(const char *d, const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", d, name);
	unlink(p);
}
