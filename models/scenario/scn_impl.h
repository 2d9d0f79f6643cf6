/*
 * scn_impl.h - inside the scenario language (scenario.c and the scn_*.c
 * files): the schema, the parsed sections, the point being built, and
 * the helpers the section builders share. Not for use outside
 * models/scenario/ (its unit tests aside).
 *
 * Conventions: builders return 0, or -1 after scn_fail recorded the first
 * error as "file:line: message" (or "--set ...: message"); a scn owns
 * everything its mdl_config points to, freed by scn_free.
 */
#ifndef MX_SCN_IMPL_H
#define MX_SCN_IMPL_H

#include "scenario.h"
#include "../../sim/names.h"
#include "../../sim/units.h"
#include "scn_keys.h"
#include "assume.h"
#include "../mta.h"
#include "../resolver.h"

#include <stdbool.h>
#include <stdio.h>

/* ---- schema (scn_keys.c) ---------------------------------------------- */

typedef enum {
	SEC_RUN,
	SEC_TRAFFIC,
	SEC_SENDERS,
	SEC_RESOLVERS,
	SEC_PROFILE,
	SEC_RESOLVER,
	SEC_DOMAIN,
	SEC_POPULATION,
	SEC_SERVER,
	SEC_HOST,
	SEC_REPORT,
	SEC_PLAN,
	SEC_ASSUMPTION,
	SEC_TIMELINE,
	SEC_N
} sec_type;

typedef struct {
	const char *name;
	bool named; /* [server NAME] */
	const char *help;
} scn_section;

/* What a key's value is: how it is read, checked and written. */
typedef enum {
	KIND_TEXT,       /* read by its builder */
	KIND_CHOICE,     /* one of the row's words: its index */
	KIND_BOOL,       /* no | yes */
	KIND_TIME,       /* a duration (sim_time) */
	KIND_INT,        /* a whole number */
	KIND_LIMIT,      /* `none` (0) or a whole number */
	KIND_NUMBER,     /* a real number */
	KIND_SIZE,       /* bytes */
	KIND_SIZE_LIMIT, /* `none` (0) or bytes */
	KIND_RATE,       /* per second */
	KIND_DIST,       /* a distribution of numbers */
	KIND_DIST_TIME,  /* of durations */
	KIND_DIST_SIZE,  /* of sizes */
	KIND_RECORDS,    /* MX records (scn_records) */
	KIND_MIX,        /* a profile mix (scn_mix) */
	KIND_N
} scn_kind;

typedef struct {
	sec_type section;
	const char *key, *def; /* def NULL: required; "": unset or derived */
	scn_kind kind;
	double lo, hi;            /* bounds in the key's unit (s, B, /s) */
	bool above;               /* lo itself excluded */
	const char *const *words; /* KIND_CHOICE, KIND_BOOL */
	int nwords;
	int field, field_size; /* P and R rows: where in the profile (else -1) */
	const char *help;
} scn_key;

/* K_SECTION_key: a key's identifier, its row in scn_keys. */
#define SCN_KEY_ID(S, key, ...) K_##S##_##key,
#define SCN_PKEY_ID(key, ...) K_PROFILE_##key,
#define SCN_RKEY_ID(key, ...) K_RESOLVER_##key,
typedef enum { SCN_KEYS(SCN_KEY_ID, SCN_PKEY_ID, SCN_RKEY_ID) K_N } scn_key_id;

extern const scn_section scn_sections[SEC_N];
extern const scn_key scn_keys[K_N];

/* The key named key in section t (K_N if none). */
scn_key_id scn_key_find(sec_type t, const char *key);
int scn_key_names(sec_type t, const char **names, int max);
/* What k's value is: "a duration > 0s", "a whole number from 1 to 8",
 * "final or backup" (md: the words in backquotes). */
void scn_key_what(const scn_key *k, bool md, char *buf, size_t len);

/* ---- parsed text (scn_read.c) --------------------------------------------- */

typedef struct {
	char *key, *value;
	int line;
} kv;

typedef struct {
	sec_type type;
	char *name;
	int line;
	kv *kv;
	int n, cap;
} section;

struct scn_file {
	char *path, *dir, *base, *text;
	size_t *line_at; /* [nlines]: where line n + 1 of text starts */
	int nlines, file_lines;
	char *const *sets;
	int nsets;
	char *notes;    /* "file:line: --set ... replaces the study there\n"..., or NULL */
	bool answered;  /* a plan's answer written in (scn_file_fix_value): no [plan] */
	char *asked;    /* then the text as it was, which the resolved scenario shows */
	size_t *ask_at; /* and where its lines start */
	study st;
};

typedef struct {
	char *name;
	int server; /* -1: none */
	host_kind kind;
	sim_time ttl, neg_ttl;
} host_rec;

struct scn {
	const scn_file *f;
	section *sec, *last; /* last: the section of the previous key */
	int nsec, seccap;
	char name[NAME_MAX_LEN + 1];
	uint64_t seed;
	unsigned reps;
	double max_memory;         /* bytes */
	char max_memory_text[128]; /* "2.0 GB (50 % of 4.1 GB, ulimit -v)" */
	int start_day;             /* [run] start: 0 = Monday */
	const char *precision;     /* [run] precision as written ("" if none) */
	int precision_line;
	unsigned max_reps;
	mdl_config c;
	/* storage behind c */
	char **domain_names;
	int dom_cap;
	host_rec *hosts;
	int nhosts;
	char (*providers)[NAME_MAX_LEN + 1];
	res_profile *res_custom;
	int nres_custom;
	const res_profile **res_mix;
	double *mta_share;
	const char **class_name; /* resolver classes (mdl_config) */
	double *class_share;
	int *res_class;
	const char **server_names, **provider_names; /* views of the above */
	nindex *sec_ix, *host_ix, *dom_ix;           /* names to sec, hosts, domains */
	sim_time *tl_at;                             /* the timeline lines in force: their times */
	const char **tl_text;                        /* and texts, for the plots */
	int ntl, tlcap;
	int host_cap;
	char *err;
	int err_line;
	char *warnings;            /* lines "file:line: warning: ..." (NULL: none) */
	scn_plan plan;             /* [plan] (plan.vary NULL: none) */
	double arange[SCN_A_N][2]; /* each assumption's low and high (scn_assume.c) */
	int aline[SCN_A_N];        /* its [assumption] section's line (0: the table's) */
};

/* A timeline has at most this many lines. */
enum { SCN_MAX_TIMELINE = 10000 };

/* Reads the point's text into s->sec (inih); 0 or -1 (scn_fail). */
int scn_parse(scn *s, const char *text);
int scn_fail(scn *s, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
char *scn_trim(char *s);
/* " (did you mean 'x'?)" for the nearest of names, or "" */
const char *scn_suggest(const char *word, const char *const *names, int n, char *buf, size_t len);
section *scn_find_section(scn *s, sec_type t, const char *name);
section *scn_single(scn *s, sec_type t);
/* Adds a warning for the point's file at line (printed once by the
 * program, however many points have it). */
void scn_warn(scn *s, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* --set overrides (scn_sets.c): each appended to *text as "[section]\nkey
 * = value" (two lines each, so a line past the file's names its --set);
 * 0 or -1 with err. And the file's line of set's key commented out. */
int scn_append_sets(char **text, size_t *len, char *const *sets, int nsets, char *err);
void scn_comment_out(scn_file *f, char *text, const char *set);

/* [assumption NAME] sections into s->arange, checked (scn_assume.c); 0 or -1. */
int scn_build_assumptions(scn *s);

/* [plan] into s->plan, checked (scn_plan.c); 0 or -1. */
int scn_build_plan(scn *s);

/* ---- values (scn_value.c) -------------------------------------------------- */

/* The text of key k in section sc (NULL: absent section), or its default;
 * *line gets its line (the section's, or 0, for a default). */
const char *scn_text(const section *sc, scn_key_id k, int *line);
/* The line of key k in sc, as scn_text gives it. */
int scn_line(const section *sc, scn_key_id k);
/* Key k's value in sc, read by its row's kind and checked against its
 * bounds: 0, or -1 after a file:line error. A key left unset ("") keeps
 * *out. out's C type picks the reading (another type does not compile)
 * and must hold the kind (else abort: a builder's error): int64_t or
 * sim_time for TIME, INT, LIMIT; int for INT, LIMIT, CHOICE (the word's
 * index); double for NUMBER, SIZE, SIZE_LIMIT, RATE; bool for BOOL; dist
 * for the DIST kinds. */
typedef enum { SCN_AS_I64, SCN_AS_INT, SCN_AS_F64, SCN_AS_BOOL, SCN_AS_DIST } scn_as;
#define scn_read(s, sc, k, out) \
	scn_read_as(s, sc, k,                                                                \
		    _Generic((out), int64_t *: SCN_AS_I64, int *: SCN_AS_INT, double *: SCN_AS_F64, \
			     bool *: SCN_AS_BOOL, dist *: SCN_AS_DIST),                      \
		    out)
int scn_read_as(scn *s, const section *sc, scn_key_id k, scn_as as, void *out);
/* A P or R key into its field of profile (an mta_profile or res_profile). */
int scn_read_field(scn *s, const section *sc, scn_key_id k, void *profile);
/* A P or R key's value in profile, as a scenario would give it. */
void scn_field_text(scn_key_id k, const void *profile, char *buf, int len);

/* ---- the network (scn_net.c) ------------------------------------------------ */

typedef struct {
	char name[NAME_MAX_LEN + 1];
	double share;
} mix_item;

int scn_host_id(scn *s, const char *name, bool create);
int scn_provider_id(scn *s, const char *name);
int scn_server_id(const scn *s, const char *name);
int scn_domain_id(const scn *s, const char *name);
/* "10 mx.a, 20 mx.b" | none | null | nxdomain */
int scn_records(scn *s, const char *v, int line, sim_time ttl, sim_time neg, dns_answer *a);
/* "name:share, name:share" */
int scn_mix(scn *s, const char *v, int line, mix_item *out, int max, int *n);
const res_profile *scn_res_by_name(const scn *s, const char *name);
int scn_mta_by_name(const scn *s, const char *name);
int scn_build_profiles(scn *s);
int scn_build_servers(scn *s);

/* ---- domains, senders, traffic, timeline ----------------------------------- */

int scn_build_domains(scn *s);
int scn_add_event(scn *s, mdl_event e);
/* The provider of the best MX host of a (-1: none, or a backup). */
int scn_best_provider(const scn *s, const dns_answer *a);
int scn_build_senders(scn *s);
int scn_build_traffic(scn *s);
/* [report] after into c->after (needs s->start_day). */
int scn_report_after(scn *s);
int scn_build_timeline(scn *s);
/* [run] duration against the most changes of one name's records (a
 * resolver cache entry holds expiry and version in one word). */
int scn_check_versions(scn *s);
/* Sorts the timeline and marks each domain's cutover and honour_end. */
void scn_order_timeline(scn *s);
/* The timeline's actions as a markdown table. */
void scn_print_actions(FILE *out);
void scn_print_actions_man(FILE *out);

#endif
