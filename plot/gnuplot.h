/*
 * gnuplot.h - running the gnuplot scripts of plot/ with data that can
 * never become gnuplot code.
 *
 * Invariant: no byte of data (a scenario, a results folder, a CSV cell)
 * reaches gnuplot's lexer. Variables go to gnuplot in a file mxsim writes
 * itself: numbers as literals, strings as byte codes (name = c(104).c(105),
 * with c(n) = sprintf("%c", n) from common.gp), so backquotes, '@' macros,
 * quotes and pipes in data stay text. gnuplot runs in the scenario's folder
 * (entered by descriptor) and reads its CSVs by fixed relative names, so
 * the folder's path never reaches a command line either; the scripts are
 * given as file arguments, and gnuplot itself is found by an absolute path
 * (PATH's relative entries are skipped).
 */
#ifndef MX_GNUPLOT_H
#define MX_GNUPLOT_H

#include <stdbool.h>

typedef struct gp_vars gp_vars;

/* Finds the scripts ($MXSIM_PLOT_DIR, the installed share/mxsim/plot, or
 * the source tree's plot/) and gnuplot in PATH's absolute folders; prints why not and returns
 * -1 when either is missing. */
int gp_init(void);

/* gnuplot's version line ("gnuplot 5.4 patchlevel 4"), or "not found";
 * allocated. gnuplot runs with no shell and no data. */
char *gp_version(void);

/* A new, empty set of variables; freed by gp_run. */
gp_vars *gp_new(void);
/* name: an identifier written in mxsim's own code, [a-z_][a-z0-9_]*;
 * printf-style for the indexed names "label%d". */
void gp_num(gp_vars *v, double x, const char *name, ...) __attribute__((format(printf, 3, 4)));
void gp_str(gp_vars *v, const char *s, const char *name, ...) __attribute__((format(printf, 3, 4)));

/* A time in hours: NaN, or within [0, RS_MAX_H] (results.h; the readers
 * refuse larger ones, so a larger one aborts as an internal error). */
void gp_time(gp_vars *v, double h, const char *name, ...) __attribute__((format(printf, 3, 4)));

void gp_free(gp_vars *v);
/* From now on gp_run builds and frees the variables but runs nothing
 * (the results fuzz harness). */
void gp_dry_run(void);

/* Runs gnuplot on script (a file of plot/) in folder dir with the
 * variables, then frees them. The script writes its images to the path in
 * its variable out (plus ".png", ".svg"), in a private folder; they are
 * then copied into dir under the names out.png and out.svg, each written
 * whole and renamed into place (sim/outfile.h). Returns 0 if gnuplot
 * exited 0 and the images were copied. */
int gp_run(gp_vars *v, const char *dir, const char *script, const char *out);
/* Removes the temporary files of the run under way: for a signal handler
 * (async-signal-safe). */
void gp_abandon(void);

#endif
