/*
 * planview.h - a [plan]'s answer as the report and the index show it: in
 * words, as a table of the candidates tried, and as a plot of each
 * candidate's share of runs meeting the goal (or its mean) with its
 * interval, the answer marked. All from plan.csv and the manifest's plan_
 * lines (results.h), escaped like every string of a results folder.
 */
#ifndef MX_PLANVIEW_H
#define MX_PLANVIEW_H

#include "results.h"

#include <stdbool.h>
#include <stdio.h>

/* Whether s is a plan's results. */
bool pv_is_plan(const rs_scn *s);
/* The answer in words, as plain text (the caller escapes it). */
void pv_words(FILE *m, const rs_scn *s);
/* The report's plan section (HTML). */
void pv_section(FILE *f, const rs_scn *s);
/* plan.png / plan.svg; 0, or -1 if gnuplot failed. */
int pv_plot(rs_scn *s);

#endif
