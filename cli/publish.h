/*
 * publish.h - results folders under an output root.
 *
 * Each scenario's files are written into a hidden folder ".NAME.tmp-PID"
 * beside its final place, then swapped in whole, so an interrupted run
 * leaves earlier results whole and no half-written file. The root is
 * locked (flock) for the whole run, so two runs never write into it at
 * once. A folder that holds files mxsim did not write is never replaced.
 */
#ifndef MX_PUBLISH_H
#define MX_PUBLISH_H

#include "batch.h"

#include <stdbool.h>

/* Creates the root (and its parents) if needed and locks it; returns 0,
 * or -1 after printing why. */
int pub_open(const char *root);
/* Whether root/name is free or holds only earlier mxsim results (an empty
 * folder is removed); says why not. */
bool pub_replaceable(const char *name);
/* Writes b's files and swaps them into root/name; returns 0 or -1. */
int pub_publish(const batch *b, const batch_run *run);
/* SIGINT and SIGTERM remove the folder being written, then end the run. */
void pub_catch_signals(void);

#endif
