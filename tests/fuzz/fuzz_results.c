/*
 * fuzz_results.c - what `mxsim plot` reads from a results folder, and the
 * report it writes from it. The input is split at lines "--" into
 * aggregate.csv, points.csv, servers.csv, scenario.ini, manifest.ini,
 * answer.csv, and (written only when not empty) events.csv and
 * timeseries.csv. The plots' gnuplot variables are built from what loads
 * (gnuplot itself does not run): a time out of bounds there aborts.
 */
#include "../../plot/gnuplot.h"
#include "../../plot/plot.h"
#include "../../plot/report.h"
#include "../../plot/results.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static const char *const files[] = {"aggregate.csv", "points.csv", "servers.csv", "scenario.ini",
				    "manifest.ini",  "answer.csv", "events.csv",  "timeseries.csv"};
enum { NFILES = sizeof files / sizeof *files, ALWAYS = 6 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	size_t at = 0;
	gp_dry_run();
	for (int i = 0; i < NFILES; i++) {
		size_t end = at;
		while (end < size && !(end + 4 <= size && !memcmp(data + end, "\n--\n", 4)))
			end++;
		fuzz_remove(dir, files[i]);
		if ((i < ALWAYS || end > at) && fuzz_write(dir, files[i], data + at, end - at))
			return 0;
		at = end + 4 <= size ? end + 4 : size;
	}
	rs_scn s;
	if (rs_load(&s, dir) == 0) {
		for (int p = 0; p < s.agg.nrows; p++)
			free(rs_label(&s, p));
		free(report_verdict(&s));
		plot_scenario(&s);
		report_write(&s);
	}
	rs_free(&s);
	return 0;
}
