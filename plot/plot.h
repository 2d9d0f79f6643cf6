/*
 * plot.h - `mxsim plot DIR...`: gnuplot scripts from plot/ turned on each
 * scenario's results, and an HTML report per scenario plus an index.
 */
#ifndef MX_PLOT_H
#define MX_PLOT_H

/* argv[0] is "plot". Returns the exit status. */
int plot_main(int argc, char **argv);

#endif
