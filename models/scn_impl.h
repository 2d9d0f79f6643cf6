/*
 * scn_impl.h - inside the scenario module (scenario.c and the scn_*.c
 * files): the schema, the parsed sections, the point being built, and
 * the helpers the section builders share. Not for use outside models/.
 *
 * Conventions: builders return 0, or -1 after scn_fail recorded the first
 * error as "file:line: message" (or "--set ...: message"); a scn owns
 * everything its mdl_config points to, freed by scn_free.
 */
#ifndef MX_SCN_IMPL_H
#define MX_SCN_IMPL_H

#include "scenario.h"
#include "../sim/names.h"
#include "../sim/units.h"

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
	SEC_TIMELINE,
	SEC_N
} sec_type;

typedef struct {
	const char *name;
	bool named; /* [server NAME] */
	const char *help;
} scn_section;

typedef struct {
	sec_type section;
	const char *key, *def; /* def NULL: required; "": unset or derived */
	const char *help;
} scn_key;

extern const scn_section scn_sections[SEC_N];
extern const scn_key scn_keys[]; /* ends with a NULL key */

const scn_key *scn_key_find(sec_type t, const char *key);
int scn_key_names(sec_type t, const char **names, int max);

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
	char *notes; /* "file:line: --set ... replaces the study there\n"..., or NULL */
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
	char *warnings; /* lines "file:line: warning: ..." (NULL: none) */
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
/* The value of key in section sc (NULL: absent section), or its default;
 * *line gets the line (the section's, or 0, for a default). */
const char *scn_get(const section *sc, sec_type t, const char *key, int *line);
#define VALUE(sc, t, key, line) scn_get(sc, t, key, &line)

/* Typed values of key in sc, with file:line errors. */
int scn_p_duration(scn *s, const section *sc, sec_type t, const char *key, sim_time *out);
int scn_p_long(scn *s, const section *sc, sec_type t, const char *key, long lo, long hi, long *out);
int scn_p_number(scn *s, const section *sc, sec_type t, const char *key, double lo, double *out);
/* A count limit: `none` (0) or an integer in [1, hi]; a size limit: `none`
 * (0) or at least 1 B. */
/* Adds a warning for the point's file at line (printed once by the
 * program, however many points have it). */
void scn_warn(scn *s, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int scn_p_limit(scn *s, const section *sc, sec_type t, const char *key, long hi, long *out);
int scn_p_size_limit(scn *s, const section *sc, sec_type t, const char *key, double *out);
int scn_p_size(scn *s, const section *sc, sec_type t, const char *key, double *out);
int scn_p_rate(scn *s, const section *sc, sec_type t, const char *key, double *out);
int scn_p_dist(scn *s, const section *sc, sec_type t, const char *key, unit_kind k, dist *out);

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
int scn_p_records(scn *s, const char *v, int line, sim_time ttl, sim_time neg, dns_answer *a);
/* "name:share, name:share" */
int scn_p_mix(scn *s, const char *v, int line, mix_item *out, int max, int *n);
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
