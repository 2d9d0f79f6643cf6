/*
 * plan.h - a scenario with [plan] run as a search (sim/search.h) over the
 * grid of its varied key's values, then as a one-point study of the
 * answer, whose runs the results folder holds like any study's, with
 * plan.csv and the plan's lines in the manifest beside them.
 *
 * A job of a plan is named by its grid index and replication, never by
 * its place in a round, so every rank and worker builds the same point
 * from the scenario alone. Conventions as in main.c.
 */
#ifndef MX_PLAN_H
#define MX_PLAN_H

#include "../sim/csvw.h"
#include "batch.h"

#include <stdio.h>

/* After batch_load's point 0: b's [plan], if any, read against its
 * columns and b->f loaded again with the varied key as a study list of
 * one value (sets: the --set overrides); 0, or -1 after a message. */
int plan_load(batch *b, const scn_plan *p, char **sets, int nsets);
void plan_free(batch_plan *pl);

/* The jobs of b's next round: the search's, or once it has ended, the
 * answer's runs as a one-point study (b made that study); 0 after. */
long plan_round(batch *b);
/* Whether b's jobs are still the search's. */
bool plan_searching(const batch *b);
/* Job `local` of the round: its grid index and replication. */
void plan_job(const batch *b, long local, long *g, unsigned *r);
/* The point of grid index g (built when asked; good until the next call). */
scn *plan_point(const batch *b, long g);
/* A search job's output (jobres.h), taken. */
void plan_done(batch *b, long g, unsigned r, const double *out);

/* plan.csv, and the plan's manifest lines. */
void plan_write(const batch *b, csvw *w);
void plan_manifest(const batch *b, FILE *f);
/* The resolved scenario's last lines: the answer its runs are of. */
void plan_scenario_note(const batch *b, FILE *f);
/* `mxsim check`: the plan in words, its grid and first runs. */
void plan_print(const batch *b);

#endif
