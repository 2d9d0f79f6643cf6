/*
 * metrics.h - the one table of a run's named figures: summary.csv's and
 * aggregate.csv's columns, the report's key figures and the study panels
 * all come from met_table; timeseries.csv's columns from met_ts_table.
 * Adding a metric is one row in metrics.c (and its value in mdl_result).
 *
 * A row is one figure, or a family (one per bounce reason, deferral
 * reason, server, provider or resolver class) named stem + instance. The names depend only
 * on the scenario's structure (servers, providers), so every point and
 * replication of a scenario has the same columns.
 */
#ifndef MX_METRICS_H
#define MX_METRICS_H

#include "model.h"

typedef enum {
	MET_ONE,
	MET_PER_BOUNCE,
	MET_PER_DEFER,
	MET_PER_SERVER,
	MET_PER_PROVIDER,
	MET_PER_CLASS /* resolver class */
} met_scope;

typedef struct {
	const char *name; /* the column, or the stem of a family */
	met_scope scope;
	const char *unit; /* "messages", "s", "h", "share", "sessions", "events", ... */
	const char *help; /* what it is, for README.md and the report */
	double (*value)(const mdl_result *r, int i); /* i: the instance of a family */
	const char *label;                           /* key figure in the report ("": not one) */
	double panel_min;  /* a study panel where some point reaches it (0: none) */
	const char *panel; /* in words, for study panels and answers (a family:
			    * + the instance) */
} met_row;

extern const met_row met_table[];
extern const int met_count;

/* Time-series columns: one figure, or one per bounce reason or server. */
typedef struct {
	const char *name;
	met_scope scope;
	const char *help;
} met_ts_row;

extern const met_ts_row met_ts_table[];
extern const int met_ts_count;

/* The instance names of a family in a scenario (NULL for MET_ONE), and
 * how many. */
int met_instances(const mdl_config *c, met_scope scope, const char *const **names);

/* The column of metric row's instance (a family's member: the stem and
 * the instance's name; "" or NULL for MET_ONE), newly allocated: the one
 * place a column's name is made. */
char *met_column(const met_row *row, const char *instance);
/* The row of metric `name` (a column, or a family's stem), or NULL. */
const met_row *met_row_named(const char *name);

/* aggregate.csv's columns of each summary column: its mean over the
 * replications and the half-width of its 95 % CI. */
typedef enum { MET_MEAN, MET_CI95, MET_NSTATS } met_stat;
/* The aggregate column of summary column `column`'s stat, newly
 * allocated. */
char *met_agg_name(const char *column, met_stat st);
/* If agg is an aggregate column of stat st: the length of its summary
 * column's name; else 0. */
size_t met_agg_stem(const char *agg, met_stat st);

/* Number of summary columns; names[i] (if names is not NULL) receives
 * newly allocated names (caller frees each). */
int met_summary_names(const mdl_config *c, char **names);
void met_summary_values(const mdl_config *c, const mdl_result *r, double *v);

/* Time-series columns (after point and time), like the above. */
int met_ts_names(const mdl_config *c, char **names);

/* The row of a summary column (a family's for "queue_peak_backup") and
 * the column's description in words ("peak queue at backup"); NULL if
 * the column is none of the table's. */
const met_row *met_find(const char *column, char **words);

/* Whether a figure's 95 % CI half-width is too wide to answer with: over
 * MET_WIDE of its mean and over met_resolution, the smallest difference
 * its unit can tell apart (a message, 0.1 % of a share, 0.01 h, 1 s,
 * 1 MB): 0.3 +- 0.35 bounces is not wide, 0.69 +- 0.34 h is. */
#define MET_WIDE 0.2
bool met_wide(const char *column, double mean, double half);
double met_resolution(const char *column);

/* The README's tables of metrics and time-series columns (markdown). */
void met_print_reference(FILE *out);

#endif
