/*
 * scenario.c - scenario files to model configurations (see scenario.h).
 *
 * Parsing runs in two steps: inih delivers (section, key, value) with the
 * line each stands on, checked against the schema of sections and keys
 * (scn_keys.c, read by scn_read.c); then each section is turned into
 * configuration in dependency order (profiles, servers and hosts:
 * scn_net.c; domains: scn_domains.c; senders, resolvers and traffic:
 * scn_flow.c; the timeline: scn_timeline.c). A point that cannot fit its
 * memory or work limit is refused here (budget.h). scn_write.c writes the
 * resolved scenario back.
 */
#include "scn_impl.h"
#include "../budget.h"
#include "../../sim/infile.h"
#include "../../sim/memlimit.h"
#include "../../sim/rng.h"
#include "../../sim/xalloc.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* [run] max_memory (a size, or a share of the memory this process may
 * use: sim/memlimit.h) and max_events. */
static int p_limits(scn *s, const section *run)
{
	int line;
	const char *v = scn_text(run, K_RUN_max_memory, &line);
	char err[UNIT_ERR], *end;
	double share = strtod(v, &end);
	if (end != v && *scn_trim(end) == '%') {
		const char *what;
		double usable = mem_usable(&what);
		if (!(share > 0 && share <= 100) || *scn_trim(end + 1))
			return scn_fail(
				s, line,
				"max_memory: expected a size (8GB) or a share of memory above 0%% "
				"and at most 100%%, got '%s'",
				v);
		s->max_memory = usable * share / 100;
		char a[32], b[32];
		bgt_format_bytes(s->max_memory, a, sizeof a);
		bgt_format_bytes(usable, b, sizeof b);
		snprintf(s->max_memory_text, sizeof s->max_memory_text, "%s (%g %% of %s, %s)", a,
			 share, b, what);
	} else if (unit_size(v, &s->max_memory, err)) {
		return scn_fail(s, line, "max_memory: %s", err);
	} else {
		bgt_format_bytes(s->max_memory, s->max_memory_text, sizeof s->max_memory_text);
	}
	double ev;
	if (scn_read(s, run, K_RUN_max_events, &ev))
		return -1;
	s->c.max_events = ev >= 1.8e19 ? 0 : (uint64_t)ev;
	return 0;
}

/* The line of the key that makes a run big, and its name. */
static int driver_line(const scn *s, bgt_driver d, int server, const char **key)
{
	static const scn_key_id where[] = {
		[BGT_RATE] = K_TRAFFIC_rate,         [BGT_SENDERS] = K_SENDERS_count,
		[BGT_RESOLVERS] = K_RESOLVERS_count, [BGT_DOMAINS] = K_POPULATION_count,
		[BGT_BUCKETS] = K_RUN_bucket,        [BGT_OUTAGES] = K_SERVER_mtbf};
	sec_type t = scn_keys[where[d]].section;
	const section *sc =
		d == BGT_OUTAGES ? scn_find_section((scn *)s, SEC_SERVER, s->c.servers[server].name)
				 : scn_single((scn *)s, t);
	*key = scn_keys[where[d]].key;
	return scn_line(sc, where[d]);
}

/* Refuses a run that cannot fit its memory or work limit. */
static int check_budget(scn *s)
{
	bgt_estimate e;
	bgt_estimate_run(&s->c, &e);
	const char *key;
	char need[32];
	if (e.bytes > s->max_memory) {
		bgt_format_bytes(e.bytes, need, sizeof need);
		int line = driver_line(s, e.bytes_by, 0, &key);
		return scn_fail(
			s, line,
			"%s: one run needs up to %s (%.3g messages, all counted as queued at "
			"once), "
			"more "
			"than [run] max_memory = %s; make the run smaller or raise max_memory",
			key, need, e.messages, s->max_memory_text);
	}
	if (s->c.max_events && e.events > (double)s->c.max_events) {
		int line = driver_line(s, e.events_by, e.outage_server, &key);
		return scn_fail(s, line,
				"%s: one run needs about %.3g events, more than [run] max_events = "
				"%llu; make the "
				"run smaller or raise max_events",
				key, e.events, (unsigned long long)s->c.max_events);
	}
	return 0;
}

/* [run] precision (read against the answer figures by the program: see
 * scn_precision) and max_replications. */
static int p_precision(scn *s, const section *run)
{
	int max = 0;
	s->precision = scn_text(run, K_RUN_precision, &s->precision_line);
	if (scn_read(s, run, K_RUN_max_replications, &max))
		return -1;
	s->max_reps = (unsigned)max;
	if (*s->precision && s->max_reps < s->reps)
		return scn_fail(s, scn_line(run, K_RUN_max_replications),
				"max_replications: at least replications (%u)", s->reps);
	return 0;
}

/* [run]: name, duration, bucket, replications, seed and limits. */
static int run_keys(scn *s, const section *run)
{
	mdl_config *c = &s->c;
	int line;
	int reps = 0;
	const char *nm = scn_text(run, K_RUN_name, &line);
	if (!name_ok(*nm ? nm : s->f->base))
		return scn_fail(s, line, "name: '%.80s': expected %s%s", *nm ? nm : s->f->base,
				NAME_RULE,
				*nm ? "" : " (the file's name is the default; set [run] name)");
	snprintf(s->name, sizeof s->name, "%s", *nm ? nm : s->f->base);
	if (scn_read(s, run, K_RUN_duration, &c->duration) ||
	    scn_read(s, run, K_RUN_bucket, &c->bucket) ||
	    scn_read(s, scn_single(s, SEC_REPORT), K_REPORT_within, &c->within) ||
	    scn_read(s, run, K_RUN_replications, &reps))
		return -1;
	s->reps = (unsigned)reps;
	const char *day = scn_text(run, K_RUN_start, &line);
	if ((s->start_day = unit_weekday(day)) < 0)
		return scn_fail(s, line,
				"start: expected a day of the week (Mon ... Sun), got '%s'", day);
	c->week_offset = s->start_day * SIM_DAY;
	const char *sd = scn_text(run, K_RUN_seed, &line);
	char *end;
	errno = 0;
	s->seed = strtoull(sd, &end, 10);
	if (end == sd || *scn_trim(end) || errno || strchr(sd, '-'))
		return scn_fail(s, line, "seed: expected a whole number >= 0, got '%s'", sd);
	if (p_limits(s, run) || p_precision(s, run) || scn_report_after(s))
		return -1;
	if (c->duration / c->bucket > 1000000)
		return scn_fail(s, scn_line(run, K_RUN_bucket),
				"bucket: at most a million per run");
	return 0;
}

/* Which domains each server takes at first ([server] accepts). */
static int accepts(scn *s)
{
	mdl_config *c = &s->c;
	c->accepts = xcalloc((size_t)c->nservers * (size_t)c->ndomains, sizeof *c->accepts);
	for (int i = 0; i < c->nservers; i++) {
		int line;
		const section *ss = scn_find_section(s, SEC_SERVER, c->servers[i].name);
		const char *acc = scn_text(ss, K_SERVER_accepts, &line);
		bool all = !strcmp(acc, "all"), none = !strcmp(acc, "none");
		bool *row = c->accepts + (size_t)i * (size_t)c->ndomains;
		for (int d = 0; d < c->ndomains; d++)
			row[d] = all;
		if (all || none)
			continue;
		char *buf = xstrdup(acc), *save, *tok = strtok_r(buf, ", \t", &save);
		for (int d; tok && (d = scn_domain_id(s, tok)) >= 0;
		     tok = strtok_r(NULL, ", \t", &save))
			row[d] = true;
		if (tok)
			scn_fail(s, line,
				 "accepts: expected all, none or domain names; unknown '%.80s'",
				 tok);
		free(buf);
		if (tok)
			return -1;
	}
	return 0;
}

static int build(scn *s)
{
	mdl_config *c = &s->c;
	if (run_keys(s, scn_single(s, SEC_RUN)) || scn_build_profiles(s) || scn_build_servers(s) ||
	    scn_build_domains(s) || scn_build_senders(s) || scn_build_traffic(s) ||
	    scn_build_timeline(s) || scn_build_plan(s) || scn_build_assumptions(s))
		return -1;
	if (!c->ndomains)
		return scn_fail(s, 0, "no domain: add a [domain NAME] section or a [population]");
	if (!c->nservers)
		return scn_fail(s, 0, "no server: add a [server NAME] section");
	double wsum = 0;
	for (int i = 0; i < c->ndomains; i++)
		wsum += c->weight[i];
	if (!(wsum > 0))
		return scn_fail(s, 0, "the domains' weights must not all be 0");
	c->nhosts = s->nhosts;
	c->hosts = xcalloc((size_t)s->nhosts, sizeof *c->hosts);
	for (int i = 0; i < s->nhosts; i++)
		c->hosts[i] = (mdl_host){s->hosts[i].kind,
					 s->hosts[i].server < 0 ? 0 : s->hosts[i].server,
					 s->hosts[i].ttl, s->hosts[i].neg_ttl};
	return accepts(s);
}

/* ---- public ----------------------------------------------------------- */

int scn_load(const char *path, char *const *sets, int nsets, scn_file **out, char *err)
{
	char ferr[INFILE_ERR];
	FILE *fp = infile_open(path, SCN_MAX_BYTES, ferr);
	if (!fp) {
		snprintf(err, SCN_ERR, "%s", ferr);
		return -1;
	}
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char buf[65536];
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			text = xrealloc(text, cap);
		}
		memcpy(text + len, buf, n);
		len += n;
	}
	bool bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(text);
		snprintf(err, SCN_ERR, "%.300s: read error: %s", path, strerror(errno));
		return -1;
	}
	int rc = scn_load_text(path, text ? text : "", len, sets, nsets, out, err);
	free(text);
	return rc;
}

/* The study of f's text; a failure as "file:line: ..." or "--set ...". */
static int study_of(scn_file *f, char *err)
{
	char serr[STUDY_ERR];
	if (!study_parse(f->text, &f->st, serr))
		return 0;
	int line = 0; /* serr is "line N: ..." */
	sscanf(serr, "line %d", &line);
	const char *msg = strchr(serr, ':');
	if (line > f->file_lines)
		snprintf(err, SCN_ERR, "--set %.200s%.200s",
			 f->sets[(line - f->file_lines - 1) / 2], msg ? msg : serr);
	else
		snprintf(err, SCN_ERR, "%.300s:%d%.200s", f->path, line, msg ? msg : serr);
	return -1;
}

int scn_load_text(const char *path, const char *data, size_t len, char *const *sets, int nsets,
		  scn_file **out, char *err)
{
	if (memchr(data, '\0', len)) {
		snprintf(err, SCN_ERR, "%.300s: not a text file", path);
		return -1;
	}
	scn_file *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	char *p1 = xstrdup(path), *p2 = xstrdup(path), *b = basename(p2), *dot = strrchr(b, '.');
	f->dir = xstrdup(dirname(p1));
	if (dot && dot != b)
		*dot = '\0';
	f->base = xstrdup(b);
	free(p1);
	free(p2);
	char *text = xmalloc(len + 2);
	memcpy(text, data, len);
	text[len] = '\0';
	if (len && text[len - 1] != '\n')
		text[len++] = '\n', text[len] = '\0';
	for (size_t i = 0; i < len; i++)
		f->file_lines += text[i] == '\n';
	int rc = scn_append_sets(&text, &len, sets, nsets, err);
	for (int i = 0; i < nsets && !rc; i++)
		scn_comment_out(f, text, sets[i]);
	f->line_at = xmalloc((len + 1) * sizeof *f->line_at);
	for (size_t i = 0; i < len; i++)
		if (i == 0 || text[i - 1] == '\n')
			f->line_at[f->nlines++] = i;
	f->text = text;
	f->sets = sets;
	f->nsets = nsets;
	if (rc || study_of(f, err)) {
		scn_file_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void scn_file_free(scn_file *f)
{
	if (!f)
		return;
	study_free(&f->st);
	free(f->notes);
	free(f->path);
	free(f->dir);
	free(f->base);
	free(f->text);
	free(f->line_at);
	free(f->asked);
	free(f->ask_at);
	free(f);
}

const char *scn_file_path(const scn_file *f)
{
	return f->path;
}

const char *scn_file_notes(const scn_file *f)
{
	return f->notes ? f->notes : "";
}

const study *scn_file_study(const scn_file *f)
{
	return &f->st;
}

static int point(const scn_file *f, char *text, scn **out, char *err);

int scn_point(const scn_file *f, long p, scn **out, char *err)
{
	return point(f, study_expand(&f->st, f->text, p, NULL), out, err);
}

int scn_point_as(const scn_file *f, int a, const char *value, scn **out, char *err)
{
	return point(f, study_expand_as(&f->st, f->text, 0, a, value), out, err);
}

/* Builds the point whose text is text (freed). */
static int point(const scn_file *f, char *text, scn **out, char *err)
{
	scn *s = xcalloc(1, sizeof *s);
	s->f = f;
	s->err = err;
	int rc = scn_parse(s, text);
	free(text);
	if (rc == 0 && build(s) == 0 && check_budget(s) == 0 && scn_check_versions(s) == 0) {
		scn_order_timeline(s);
		s->server_names = xcalloc((size_t)s->c.nservers, sizeof *s->server_names);
		for (int i = 0; i < s->c.nservers; i++)
			s->server_names[i] = s->c.servers[i].name;
		s->provider_names = xcalloc((size_t)s->c.nproviders, sizeof *s->provider_names);
		for (int i = 0; i < s->c.nproviders; i++)
			s->provider_names[i] = s->providers[i];
		s->c.server_names = s->server_names;
		s->c.provider_names = s->provider_names;
		*out = s;
		return 0;
	}
	scn_free(s);
	return -1;
}

void scn_warn(scn *s, int line, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	char *all = xasprintf("%s%s:%d: warning: %s\n", s->warnings ? s->warnings : "", s->f->path,
			      line, msg);
	free(msg);
	free(s->warnings);
	s->warnings = all;
}

const char *scn_warnings(const scn *s)
{
	return s->warnings ? s->warnings : "";
}

void scn_free(scn *s)
{
	if (!s)
		return;
	free(s->warnings);
	for (int i = 0; i < s->nsec; i++) {
		for (int k = 0; k < s->sec[i].n; k++) {
			free(s->sec[i].kv[k].key);
			free(s->sec[i].kv[k].value);
		}
		free(s->sec[i].kv);
		free(s->sec[i].name);
	}
	free(s->sec);
	nindex_free(s->sec_ix);
	free(s->tl_at);
	free(s->tl_text);
	nindex_free(s->host_ix);
	nindex_free(s->dom_ix);
	mdl_config *c = &s->c;
	for (int i = 0; i < c->nservers; i++)
		dist_clear(&c->servers[i].session_time);
	dist_clear(&c->size);
	free(c->initial);
	free(c->weight);
	free(c->self_host);
	free(c->additional);
	free(c->cutover);
	free(c->honour_end);
	free(c->new_provider);
	free(c->hosts);
	free(c->servers);
	free(c->accepts);
	free(c->profiles);
	free(c->events);
	for (int i = 0; i < c->ndomains; i++)
		free(s->domain_names[i]);
	free(s->domain_names);
	for (int i = 0; i < s->nhosts; i++)
		free(s->hosts[i].name);
	free(s->hosts);
	free(s->providers);
	free(s->res_custom);
	free(s->res_mix);
	free(s->mta_share);
	free(s->class_name);
	free(s->class_share);
	free(s->res_class);
	free(s->server_names);
	free(s->provider_names);
	free(s);
}

uint64_t scn_seed(const scn *s, unsigned r)
{
	return rng_replication_seed(s->seed, r);
}

const mdl_config *scn_config(const scn *s)
{
	return &s->c;
}

const char *scn_question(const scn *s)
{
	int line;
	return scn_text(scn_single((scn *)s, SEC_REPORT), K_REPORT_question, &line);
}

const char *scn_targets(const scn *s, int *line)
{
	return scn_text(scn_single((scn *)s, SEC_REPORT), K_REPORT_target, line);
}

const char *scn_answer(const scn *s, int *line)
{
	return scn_text(scn_single((scn *)s, SEC_REPORT), K_REPORT_answer, line);
}

const char *scn_precision(const scn *s, unsigned *max_reps, int *line)
{
	*max_reps = *s->precision ? s->max_reps : s->reps;
	*line = s->precision_line;
	return s->precision;
}

int scn_timeline(const scn *s, int i, sim_time *at, const char **text)
{
	if (i < 0 || i >= s->ntl)
		return 0;
	*at = s->tl_at[i];
	*text = s->tl_text[i];
	return 1;
}

int scn_start_day(const scn *s)
{
	return s->start_day;
}

double scn_max_memory(const scn *s)
{
	return s->max_memory;
}

const char *scn_max_memory_text(const scn *s)
{
	return s->max_memory_text;
}

unsigned scn_replications(const scn *s)
{
	return s->reps;
}

const char *scn_name(const scn *s)
{
	return s->name;
}

const char *const *scn_server_names(const scn *s)
{
	return s->server_names;
}

const char *const *scn_provider_names(const scn *s)
{
	return s->provider_names;
}

const char *scn_server_name(const scn *s, int i)
{
	return s->c.servers[i].name;
}

const char *scn_domain_name(const scn *s, int i)
{
	return s->domain_names[i];
}

const char *scn_provider_name(const scn *s, int i)
{
	return s->providers[i];
}

/* Line n (1-based) of the scenario's text, with study lists intact. */
