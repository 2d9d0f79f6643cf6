/*
 * zonesim.h - `mxsim zone --simulate`: what each MX mistake found would
 * cost, run as a short scenario of its domain (zonesim.c).
 */
#ifndef MX_ZONESIM_H
#define MX_ZONESIM_H

#include "../models/zonefile.h"

#include <stdio.h>

/* For finding i of z: if it is about a domain's MX set, runs an hour of
 * mail at rate messages an hour to the domain with the set as published
 * and again with the record right, with the default sender and resolver
 * mix; prints "FILE:LINE: cost: ..." to out. Returns 0, or -1 after a
 * message (a scenario mxsim refused: an internal error). */
int zs_cost(const zf_zone *z, int i, double rate, FILE *out);

#endif
