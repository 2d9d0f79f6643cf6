/*
 * figure.c - a figure in the reader's units (see figure.h).
 */
#include "figure.h"

#include <math.h>
#include <string.h>

/* The scale and name a mean of this unit is shown in. */
static double scale_of(double m, const char *unit, const char **name)
{
	double a = fabs(m);
	*name = "";
	if (!strcmp(unit, "share"))
		return *name = " %", 100;
	if (!strcmp(unit, "bytes"))
		return a >= 1e9   ? (*name = " GB", 1e-9)
		       : a >= 1e6 ? (*name = " MB", 1e-6)
		       : a >= 1e3 ? (*name = " kB", 1e-3)
				  : (*name = " B", 1);
	if (!strcmp(unit, "s"))
		return a >= 7200  ? (*name = " h", 1 / 3600.0)
		       : a >= 120 ? (*name = " min", 1 / 60.0)
				  : (*name = " s", 1);
	if (!strcmp(unit, "h"))
		return *name = " h", 1;
	return 1;
}

static void number(FILE *f, double v)
{
	fprintf(f, fabs(v) >= 100 || v == floor(v) ? "%.0f" : fabs(v) >= 1 ? "%.2f" : "%.3g", v);
}

void fig_print(FILE *f, double mean, double half, const char *unit, const char *pm)
{
	if (isinf(mean)) {
		fputs("not reached", f);
		return;
	}
	const char *name;
	double k = scale_of(mean, unit, &name);
	number(f, mean * k);
	fputs(name, f);
	if (!isnan(half) && half > 0) {
		fprintf(f, " %s ", pm);
		double h = half * k;
		fprintf(f, fabs(h) >= 100 ? "%.0f" : "%.2g", h);
	}
}

bool fig_names_unit(const char *unit)
{
	const char *name;
	scale_of(1, unit, &name);
	return *name;
}
