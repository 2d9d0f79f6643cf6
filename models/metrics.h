/*
 * metrics.h - the named figures of a run, in the order of summary.csv and
 * timeseries.csv, computed from a model result.
 *
 * The names depend only on the scenario's structure (servers, providers),
 * so every point and replication of a scenario has the same columns.
 */
#ifndef MX_METRICS_H
#define MX_METRICS_H

#include "model.h"
#include "scenario.h"

/* Number of summary metrics; names[i] (if names is not NULL) receives
 * newly allocated names (caller frees each). */
int met_summary_names(const scn *s, char **names);
void met_summary_values(const scn *s, const mdl_result *r, double *v);

/* Time-series columns (after point and time), like the above. */
int met_ts_names(const scn *s, char **names);

#endif
