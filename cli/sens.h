/*
 * sens.h - mxsim run --sensitivity: each scenario's answer figures with
 * one assumption of the table (models/scenario/assume.h) moved to its low
 * and to its high value, the others at their defaults. A moved run is a
 * batch of its own (batch.of), not published: its figures go into its
 * scenario's sensitivity.csv. Invariant: run r of a moved batch has the
 * seed of run r of its scenario (common random numbers), so a swing is
 * the assumption's and not the draws'.
 */
#ifndef MX_SENS_H
#define MX_SENS_H

#include "batch.h"

#include <stdbool.h>

/* After the nfiles scenarios of *b (loaded by batch_load from files with
 * sets), adds a batch per assumption a scenario does not decide itself
 * and end of its range; *nb gets the number of batches loaded (each to be
 * freed, also after a failure). 0, or -1 after a file:line message (on
 * stderr if loud). */
int sens_load(batch **b, int nfiles, char **files, char **sets, int nsets, bool loud, int *nb);
/* Whether b and all its moved runs are in (b can be published). */
bool sens_ready(const batch *b);
/* sensitivity.csv of scenario b (rs_files). */
void sens_write(const batch *b, const study *st, csvw *w);

#endif
