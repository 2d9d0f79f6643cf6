/*
 * results.h - a scenario's results folder read back for plots and reports
 * (aggregate.csv, points.csv, servers.csv, scenario.ini, manifest.ini).
 *
 * Results folders are shared between people, so everything in one is
 * untrusted: files are bounded in size, required columns are checked,
 * server names must follow the name rule (sim/names.h), and a folder that
 * breaks a rule is refused with file:line. All strings are allocated;
 * rs_free releases them.
 */
#ifndef MX_RESULTS_H
#define MX_RESULTS_H

#include "../sim/simtime.h"
#include "../sim/rtable.h"

#include <stdbool.h>

/* The longest time a results folder may name, in hours (the engine's
 * horizon, a century): a larger one is refused before it reaches gnuplot. */
#define RS_MAX_H ((double)(SIM_HORIZON / SIM_HOUR))

/* The files of a scenario's results folder: the one list that writing,
 * cleaning up, refusing to replace foreign files, and the report use. */
typedef enum {
	RS_SUMMARY,
	RS_ANSWER,
	RS_TARGETS,
	RS_PLAN,
	RS_SENSITIVITY,
	RS_AGGREGATE,
	RS_TIMESERIES,
	RS_LATENCY,
	RS_POINTS,
	RS_SERVERS,
	RS_EVENTS,
	RS_RESOLVERS,
	RS_TRACE,
	RS_SCENARIO,
	RS_MANIFEST,
	RS_REPORT,
	RS_NFILES
} rs_file_id;

typedef enum { RS_BY_RUN, RS_BY_RUN_TRACE, RS_BY_RUN_PLAN, RS_BY_RUN_SENS, RS_BY_PLOT } rs_origin;

typedef struct {
	const char *name;
	rs_origin by;
	const char *what;
} rs_file;

extern const rs_file rs_files[RS_NFILES];

/* Whether mxsim writes a file of this name into a scenario's folder: a
 * file of rs_files, or a plot image (name.png / name.svg, timeline-N). */
bool rs_owned(const char *name);

typedef struct {
	char *file, *caption; /* an image in dir (PNG, with an SVG beside it) */
} rs_image;

/* A [plan]'s lines of manifest.ini, plan_<key> (cli/plan.c writes them). */
#define RS_PLAN_KEYS(X) \
	X(vary)         \
	X(goal)         \
	X(in) X(confidence) X(seek) X(unit) X(outcome) X(value) X(shown) X(share_low) X(runs)
#define RS_PLAN_ID(k) RS_PLAN_##k,
typedef enum { RS_PLAN_KEYS(RS_PLAN_ID) RS_PLAN_N } rs_plan_key;
extern const char *const rs_plan_keys[RS_PLAN_N];

typedef struct {
	char *dir, *name; /* the folder, and its last component */
	rtable agg, pts, srv;
	int naxes;                       /* study axes: aggregate.csv columns 1..naxes */
	char *desc;                      /* the scenario file's leading comment */
	char *manifest;                  /* manifest.ini as text */
	char *question;                  /* [report] question ("" if none) */
	char *precision, *precision_met; /* [run] precision asked ("" if none), "yes"/"no" */
	int start_day;                   /* [run] start: 0 = Monday */
	rtable ev;                       /* events.csv (empty if absent) */
	rtable res;                      /* resolvers.csv (empty if absent) */
	int nans;                        /* [report] answer: the figures, from answer.csv */
	char **ans, **ans_words, **ans_unit;
	rtable anst;               /* answer.csv (empty if absent) */
	rtable tgt;                /* targets.csv (empty if absent) */
	rtable plan;               /* plan.csv (empty if absent: no [plan]) */
	char *plan_key[RS_PLAN_N]; /* the plan's manifest lines ("" each without) */
	rtable sens;               /* sensitivity.csv (empty if absent) */
	rs_image *image;
	int nimages;
} rs_scn;

/* Loads dir; returns 0, or -1 after printing why. */
int rs_load(rs_scn *s, const char *dir);
void rs_free(rs_scn *s);

/* "ttl=5m provider=b" for point p ("single run" without axes); allocated. */
char *rs_label(const rs_scn *s, int p);
/* The aggregate value of metric at point p (column metric_mean), or NaN. */
double rs_mean(const rs_scn *s, int p, const char *metric);
double rs_ci95(const rs_scn *s, int p, const char *metric);
/* The least, the median and the most one run gave for answer figure a at
 * point p (answer.csv's run_min, run_median, run_max); false if unknown. */
bool rs_spread(const rs_scn *s, int p, int a, double v[3]);
/* Adds dir/file as an image if the file exists. */
void rs_add_image(rs_scn *s, const char *file, const char *caption);

#endif
