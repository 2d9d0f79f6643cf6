/*
 * run.h - the mail-flow model's API (run.c): the caller builds an
 * mdl_config (model.h; it owns every array in it), runs mdl_run, reads the
 * mdl_result and releases it with mdl_result_free.
 */
#ifndef MX_RUN_H
#define MX_RUN_H

#include "model.h"

/* The resolver profile of class k (its first resolver's). */
const res_profile *mdl_class_profile(const mdl_config *c, int k);

/* Runs one replication. Returns 0, or -1 if the counts did not balance
 * (a bug: message printed). The result is filled either way. */
int mdl_run(const mdl_config *c, mdl_result *r);
/* The most answer versions a name (domain or MX host) has in a run: its
 * first and one per timeline change of its records. */
uint32_t mdl_dns_versions(const mdl_config *c);
void mdl_result_free(mdl_result *r);

#endif
