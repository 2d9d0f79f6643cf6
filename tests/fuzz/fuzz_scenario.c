/*
 * fuzz_scenario.c - the scenario loader: INI text, studies, every section
 * builder, the budget check and the resolved-scenario writer, on the first
 * points of the study.
 */
#include "../../models/scenario/scenario.h"
#include "fuzz.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const sets[] = {"run.max_memory=256MB"};
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	scn_file *f;
	char err[SCN_ERR];
	if (scn_load_text("/nonexistent/fuzz.ini", (const char *)data, size, sets, 1, &f, err))
		return 0;
	const study *st = scn_file_study(f);
	for (long p = 0; p < st->npoints && p < 3; p++) {
		scn *s;
		if (scn_point(f, p, &s, err))
			break;
		scn_write(s, sink);
		scn_free(s);
	}
	scn_file_free(f);
	return 0;
}
