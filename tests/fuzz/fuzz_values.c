/*
 * fuzz_values.c - the value parsers: the first byte picks one (durations,
 * sizes, rates, numbers, distributions, study lists with their expansion,
 * a timeline line in a small scenario), the rest is the value.
 */
#include "../../models/scenario/scenario.h"
#include "../../sim/study.h"
#include "../../sim/units.h"
#include "../../sim/xalloc.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static const char timeline_head[] = "[run]\nduration = 3d\n[domain a.example]\nmx = 10 mx.a\n"
				    "[server mx]\nhost = mx.a\n[host b]\naddress = refuse\n"
				    "[timeline]\n";

static void timeline(const char *v)
{
	char *text = xasprintf("%s%s\n", timeline_head, v);
	scn_file *f;
	scn *s;
	char err[SCN_ERR];
	if (!scn_load_text("/nonexistent/t.ini", text, strlen(text), NULL, 0, &f, err)) {
		if (!scn_point(f, 0, &s, err))
			scn_free(s);
		scn_file_free(f);
	}
	free(text);
}

static void studies(const char *v)
{
	study st;
	char err[STUDY_ERR];
	if (study_parse(v, &st, err))
		return;
	for (long p = 0; p < st.npoints && p < 16; p++)
		free(study_expand(&st, v, p, NULL));
	study_free(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *v = xstrndup((const char *)data + 1, size - 1), err[UNIT_ERR];
	double d;
	long l;
	sim_time t;
	dist ds;
	switch (data[0] % 7) {
	case 0:
		unit_duration(v, &t, err);
		break;
	case 1:
		unit_size(v, &d, err);
		break;
	case 2:
		unit_rate(v, &d, err);
		break;
	case 3:
		unit_number(v, &d, err);
		unit_int(v, -5, 5000, &l, err);
		break;
	case 4:
		if (!strstr(v, "empirical") && !unit_dist(v, data[0] % 3, NULL, &ds, err))
			dist_clear(&ds);
		break;
	case 5:
		studies(v);
		break;
	default:
		if (!strchr(v, '\n'))
			timeline(v);
	}
	free(v);
	return 0;
}
