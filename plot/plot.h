/*
 * plot.h - `mxsim plot DIR...`: gnuplot scripts from plot/ turned on each
 * scenario's results, and an HTML report per scenario plus an index.
 */
#ifndef MX_PLOT_H
#define MX_PLOT_H

#include "results.h"

/* Draws the plots of one loaded scenario folder; 0, or -1 after a
 * message. */
int plot_scenario(rs_scn *s);

/* argv[0] is "plot". Returns the exit status. */
int plot_main(int argc, char **argv);

#endif
