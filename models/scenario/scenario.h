/*
 * scenario.h - scenario files: INI text (read with inih) turned into the
 * model's configuration, with parameter studies and --set overrides.
 *
 * A scn_file is one file's text and its study axes; scn_point parses one
 * point of the study into a scn, which owns its mdl_config and everything
 * it points to. Errors are "file:line: message" naming what was expected.
 */
#ifndef MX_SCENARIO_H
#define MX_SCENARIO_H

#include "../../sim/study.h"
#include "../model.h"

#include <stdbool.h>
#include <stdio.h>

enum { SCN_ERR = 512 };

/* Larger scenario files are refused (so are devices and FIFOs). */
#define SCN_MAX_BYTES (16LL << 20)

typedef struct scn_file scn_file;
typedef struct scn scn;

/* Reads path and appends the overrides sets[i] ("section.key=value").
 * Returns 0, or -1 with a message in err (SCN_ERR bytes). */
int scn_load(const char *path, char *const *sets, int nsets, scn_file **out, char *err);
/* The same from text already read (len bytes; path names it in messages
 * and is where relative table paths start). */
int scn_load_text(const char *path, const char *text, size_t len, char *const *sets, int nsets,
		  scn_file **out, char *err);
void scn_file_free(scn_file *f);

const char *scn_file_path(const scn_file *f);
const study *scn_file_study(const scn_file *f);
/* What the reader says beyond errors (each line "file:line: ...\n"; "" if
 * nothing): a --set that replaced a study. */
const char *scn_file_notes(const scn_file *f);

/* A scenario's [plan] (scn_plan_of), checked; values in the varied key's
 * base unit (s, B, per second, or a plain number). */
typedef struct {
	const char *vary; /* as written */
	int axis;         /* a list's name: its study axis; -1: a key, set as --set does */
	bool whole;       /* whole numbers only */
	double lo, hi;    /* the range, lo < hi */
	double step;      /* the resolution: > 0 a step in the unit, < 0 a share of the value */
	const char *unit; /* the base unit: "s", "B", "/s", "", or "t": a time in the
			   * run (seconds from time 0) */
	const char *goal; /* METRIC OP VALUE, as written */
	int goal_line;
	bool mean;         /* in = mean */
	double share;      /* in = N% of runs: N / 100 */
	double confidence; /* in (0, 1) */
	bool largest;      /* seek = largest */
	long max_runs;
	int line, runs_line; /* the section's, max_runs' */
} scn_plan;

/* Parses point p of the study. Returns 0, or -1 with err. */
int scn_point(const scn_file *f, long p, scn **out, char *err);
void scn_free(scn *s);

/* The configuration; a replication's is a copy with .seed = scn_seed(s, r). */
const mdl_config *scn_config(const scn *s);
/* The point's [plan], or NULL if it has none. */
const scn_plan *scn_plan_of(const scn *s);
/* Point 0 of the study with axis a's value replaced by value (a plan's
 * candidate). Returns 0, or -1 with err. */
int scn_point_as(const scn_file *f, int a, const char *value, scn **out, char *err);
/* Writes value in place of axis a's list (a plan's answer, as its results
 * show it): f then holds no study, and its point 0 has that value. */
void scn_file_fix_value(scn_file *f, int a, const char *value);
uint64_t scn_seed(const scn *s, unsigned r);
unsigned scn_replications(const scn *s);
/* [report] question, and answer with the line it stands on (0: the
 * default, ""). */
const char *scn_question(const scn *s);
const char *scn_answer(const scn *s, int *line);
/* [report] target as written ("" if none) and its line. */
const char *scn_targets(const scn *s, int *line);
/* [run] precision as written ("" if none) and its line; *max_reps: the
 * replications at most ([run] replications without precision). */
const char *scn_precision(const scn *s, unsigned *max_reps, int *line);
/* Line i of the timeline in force (0 past the last): its time and text
 * ("mx example.com 10 mx.new"). */
int scn_timeline(const scn *s, int i, sim_time *at, const char **text);
/* [run] start: the day time 0 falls on (0 = Monday). */
int scn_start_day(const scn *s);
/* [run] max_memory in bytes. */
double scn_max_memory(const scn *s);
/* The same in words, with where a share's base comes from. */
const char *scn_max_memory_text(const scn *s);
const char *scn_name(const scn *s);
/* The point's warnings, a line each ("" if none). */
const char *scn_warnings(const scn *s);
const char *scn_server_name(const scn *s, int i);
const char *scn_domain_name(const scn *s, int i);
const char *const *scn_server_names(const scn *s);   /* [nservers] */
const char *const *scn_provider_names(const scn *s); /* [nproviders] */
const char *scn_provider_name(const scn *s, int i);

/* The earliest MX cutover (SIM_NEVER if none), the MX TTL in force just
 * before it, and the provider moved to (NULL if none). */
void scn_cutover(const scn *s, sim_time *at, sim_time *ttl, const char **provider);

/* `mxsim help profiles`: the built-in MTA and resolver profiles, a column
 * per [profile] and [resolver] key, and their sources (markdown). */
void scn_print_profiles(FILE *out);
/* The README's reference of sections, keys and timeline actions
 * (markdown), from the schema. */
void scn_print_keys(FILE *out);
/* The same as groff for mxsim-scenario(5), and as "section.key" lines
 * for shell completion. */
void scn_print_keys_man(FILE *out);
void scn_print_key_names(FILE *out);

/* Writes the fully resolved scenario (every key, defaults included),
 * after the file's leading comment (its description). */
void scn_write(const scn *s, FILE *out);

#endif
