/*
 * figure.h - a figure in the reader's units: shares as percentages, bytes
 * in kB / MB / GB, seconds in s / min / h as their size asks, counts whole;
 * the CI half-width in the same unit as its mean.
 */
#ifndef MX_FIGURE_H
#define MX_FIGURE_H

#include <stdbool.h>
#include <stdio.h>

/* "0.66 h ± 0.12", "1.6 % ± 4.6", "207 ± 17": unit is the metric table's
 * ("share", "bytes", "s", "h", "messages", ...); half NaN or 0: none. An
 * infinite mean is a percentile never reached. pm: the text of "±". */
void fig_print(FILE *f, double mean, double half, const char *unit, const char *pm);
/* Whether fig_print writes the unit itself (shares, bytes, times). */
bool fig_names_unit(const char *unit);

#endif
