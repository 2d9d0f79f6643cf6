/*
 * fuzz_results.c - what `mxsim plot` reads from a results folder, and the
 * report it writes from it. The input is split at lines "--" into
 * aggregate.csv, points.csv, servers.csv, scenario.ini, manifest.ini and
 * answer.csv.
 */
#include "../../plot/report.h"
#include "../../plot/results.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static const char *const files[] = {"aggregate.csv", "points.csv",   "servers.csv",
				    "scenario.ini",  "manifest.ini", "answer.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	size_t at = 0;
	for (int i = 0; i < 6; i++) {
		size_t end = at;
		while (end < size && !(end + 4 <= size && !memcmp(data + end, "\n--\n", 4)))
			end++;
		if (fuzz_write(dir, files[i], data + at, end - at))
			return 0;
		at = end + 4 <= size ? end + 4 : size;
	}
	rs_scn s;
	if (rs_load(&s, dir) == 0) {
		for (int p = 0; p < s.agg.nrows; p++)
			free(rs_label(&s, p));
		free(report_verdict(&s));
		report_write(&s);
	}
	rs_free(&s);
	return 0;
}
