/*
 * plot.c - plots and reports (see plot.h).
 */
#include "plot.h"

#include <stdio.h>

int plot_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mxsim: plot: not yet available in this version\n");
	return 1;
}
