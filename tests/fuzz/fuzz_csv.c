/*
 * fuzz_csv.c - the CSV readers: whole tables (rtable, used by plot) and
 * empirical distribution tables, from a file holding the input.
 */
#include "../../sim/rtable.h"
#include "../../sim/units.h"
#include "../../sim/xalloc.h"
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	if (fuzz_write(dir, "t.csv", data, size))
		return 0;
	char err[UNIT_ERR], *path = xasprintf("%s/t.csv", dir),
			    *spec = xasprintf("empirical(%s)", path);
	rtable t;
	if (rt_load(&t, path, err) == 0) {
		for (int r = 0; r < t.nrows; r++)
			for (int c = 0; c < t.ncols; c++)
				(void)rt_num(&t, r, c);
		rt_free(&t);
	}
	dist d;
	if (unit_dist(spec, UNIT_TIME, NULL, &d, err) == 0)
		dist_clear(&d);
	free(spec);
	free(path);
	return 0;
}
