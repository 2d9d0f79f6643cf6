/*
 * sensview.h - `mxsim run --sensitivity` as the report shows it: per
 * study point and answer figure, in words which assumption moves it most
 * and how far, a table of every assumption moved, those left and why, and
 * a tornado plot of the first point. All from sensitivity.csv (results.h),
 * untrusted: text reaches HTML through report_esc and gnuplot as gp_str.
 */
#ifndef MX_SENSVIEW_H
#define MX_SENSVIEW_H

#include "results.h"

#include <stdio.h>

/* The report's section (HTML); nothing without sensitivity.csv. */
void sv_section(FILE *f, const rs_scn *s);
/* sensitivity.png / .svg; 0 (also without sensitivity.csv), or -1 if
 * gnuplot failed. */
int sv_plot(rs_scn *s);

#endif
