/*
 * plot.c - `mxsim plot DIR...` (see plot.h): finds the scenario result
 * folders under each DIR, runs the gnuplot scripts of plot/ on them, and
 * writes the reports. A scenario with no results, or a machine without
 * gnuplot, gets a message and no page.
 */
#include "plot.h"
#include "../sim/xalloc.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_TIMELINES = 24, MAX_VARS = 16384 };

static char script_dir[PATH_MAX];

static bool file_exists(const char *p)
{
	return access(p, R_OK) == 0;
}

/* $MXSIM_PLOT_DIR, the installed share/mxsim/plot, or the source tree's. */
static int find_scripts(void)
{
	const char *env = getenv("MXSIM_PLOT_DIR");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	if (env) {
		snprintf(script_dir, sizeof script_dir, "%s", env);
		snprintf(cand, sizeof cand, "%s/common.gp", script_dir);
		return file_exists(cand) ? 0 : -1;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	static const char *const rel[] = {"../share/mxsim/plot", "../plot", "plot"};
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
		snprintf(cand, sizeof cand, "%s/%s/common.gp", exe, rel[i]);
		if (file_exists(cand)) {
			snprintf(script_dir, sizeof script_dir, "%.3900s/%s", exe, rel[i]);
			return 0;
		}
	}
	return -1;
}

static bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char buf[PATH_MAX];
	const char *p = path;
	while (*p) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, p);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (e ? 1 : 0);
	}
	return false;
}

/* Runs gnuplot -e vars script; returns 0 if it exited 0. */
static int gnuplot(const char *vars, const char *script)
{
	char sp[PATH_MAX + 64];
	snprintf(sp, sizeof sp, "%s/%s", script_dir, script);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", vars, sp, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "mxsim: plot: gnuplot failed on %s\n", script);
		return -1;
	}
	return 0;
}

/* gnuplot string literal: double quotes, backslash-escaped */
static void gp_str(char *buf, size_t len, const char *name, const char *v)
{
	size_t n = strlen(buf);
	n += (size_t)snprintf(buf + n, len - n, "%s=\"", name);
	for (; *v && n + 3 < len; v++) {
		if (*v == '"' || *v == '\\')
			buf[n++] = '\\';
		buf[n++] = *v;
	}
	snprintf(buf + n, len - n, "\";");
}

static void gp_num(char *buf, size_t len, const char *name, double v)
{
	size_t n = strlen(buf);
	if (isnan(v))
		snprintf(buf + n, len - n, "%s=NaN;", name);
	else
		snprintf(buf + n, len - n, "%s=%.10g;", name, v);
}

static void read_text(const char *path, char *buf, size_t len, bool comments_only)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[4096];
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n + 1 < len) {
		if (comments_only) {
			if (line[0] != ';' && line[0] != '#')
				break;
			if (strstr(line, "resolved scenario:"))
				break;
			const char *t = line + 1;
			if (*t == ' ')
				t++;
			n += (size_t)snprintf(buf + n, len - n, "%s", t);
		} else {
			n += (size_t)snprintf(buf + n, len - n, "%s", line);
		}
	}
	fclose(f);
}

static void add_image(report_scn *s, const char *file, const char *caption)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", s->dir, file);
	if (!file_exists(p) || s->nimages == REPORT_MAX_IMAGES)
		return;
	snprintf(s->image[s->nimages], sizeof s->image[0], "%s", file);
	snprintf(s->caption[s->nimages++], sizeof s->caption[0], "%s", caption);
}

/* Whether some row of the column reaches min in absolute value. */
static bool col_reaches(const rtable *t, const char *name, double min)
{
	int c = rt_col(t, name);
	for (int r = 0; c >= 0 && r < t->nrows; r++) {
		double v = rt_num(t, r, c);
		if (fabs(v) >= min && !isnan(v))
			return true;
	}
	return false;
}

static bool col_any(const rtable *t, const char *name)
{
	return col_reaches(t, name, 1e-300);
}

static int load(report_scn *s, const char *dir)
{
	char p[4200], err[400];
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	const char *b = strrchr(dir, '/');
	snprintf(s->name, sizeof s->name, "%s", b ? b + 1 : dir);
	snprintf(p, sizeof p, "%s/aggregate.csv", dir);
	if (!file_exists(p)) {
		fprintf(stderr, "mxsim: plot: %s: no results here (aggregate.csv missing; run mxsim run first)\n", dir);
		return -1;
	}
	if (rt_load(&s->agg, p, err)) {
		fprintf(stderr, "mxsim: plot: %s\n", err);
		return -1;
	}
	int reps = rt_col(&s->agg, "replications");
	if (s->agg.nrows == 0 || reps < 1) {
		fprintf(stderr, "mxsim: plot: %s: aggregate.csv holds no results\n", dir);
		return -1;
	}
	s->naxes = reps - 1;
	snprintf(p, sizeof p, "%s/points.csv", dir);
	if (rt_load(&s->pts, p, err)) {
		fprintf(stderr, "mxsim: plot: %s\n", err);
		return -1;
	}
	snprintf(p, sizeof p, "%s/servers.csv", dir);
	if (rt_load(&s->srv, p, err)) {
		fprintf(stderr, "mxsim: plot: %s\n", err);
		return -1;
	}
	snprintf(p, sizeof p, "%s/scenario.ini", dir);
	read_text(p, s->desc, sizeof s->desc, true);
	snprintf(p, sizeof p, "%s/manifest.ini", dir);
	read_text(p, s->manifest, sizeof s->manifest, false);
	return 0;
}

static void release(report_scn *s)
{
	rt_free(&s->agg);
	rt_free(&s->pts);
	rt_free(&s->srv);
}

/* Hours covered by the time series: the last bucket's end. */
static double span_h(const char *dir)
{
	char p[4200], line[1 << 16];
	snprintf(p, sizeof p, "%s/timeseries.csv", dir);
	FILE *f = fopen(p, "r");
	double last = 0, prev = 0;
	int col = -1;
	if (!f)
		return 0;
	if (fgets(line, sizeof line, f)) {
		char *tok = strtok(line, ",");
		for (int c = 0; tok; c++, tok = strtok(NULL, ","))
			if (!strcmp(tok, "\"t_h\""))
				col = c;
	}
	while (col >= 0 && fgets(line, sizeof line, f)) {
		char *tok = strtok(line, ",");
		for (int c = 0; tok && c < col; c++)
			tok = strtok(NULL, ",");
		double t = tok ? atof(tok + (*tok == '"')) : 0;
		if (t > last) {
			prev = last;
			last = t;
		}
	}
	fclose(f);
	return last + (last - prev);
}

static int plot_scenario(report_scn *s)
{
	char *v = xmalloc(MAX_VARS);
	int rc = 0, np = s->agg.nrows;
	double t1 = span_h(s->dir);
#define BASE()                                                                                     \
	do {                                                                                       \
		v[0] = '\0';                                                                       \
		gp_str(v, MAX_VARS, "dir", s->dir);                                                \
		gp_str(v, MAX_VARS, "dirname", script_dir);                                        \
		gp_str(v, MAX_VARS, "name", s->name);                                              \
		gp_num(v, MAX_VARS, "npoints", np);                                                \
		gp_num(v, MAX_VARS, "t1", t1);                                                     \
		for (int q = 0; q < np; q++) {                                                     \
			char nm[32], lab[512];                                                     \
			snprintf(nm, sizeof nm, "label%d", q);                                     \
			report_point_label(s, q, lab, sizeof lab);                                 \
			gp_str(v, MAX_VARS, nm, lab);                                              \
		}                                                                                  \
	} while (0)

	/* servers of point 0, and which belong to an old provider */
	int scol = rt_col(&s->srv, "server"), pcol = rt_col(&s->srv, "provider");
	int ccol = rt_col(&s->srv, "sessions"), ptc = rt_col(&s->srv, "point");
	char servers[4096] = "", oldcols[4096] = "";
	const char *newp = "";
	if (s->pts.nrows > 0 && rt_col(&s->pts, "new_provider") >= 0)
		newp = s->pts.cell[0][rt_col(&s->pts, "new_provider")];
	for (int r = 0; r < s->srv.nrows; r++) {
		if (rt_num(&s->srv, r, ptc) != 0)
			continue;
		size_t n = strlen(servers);
		snprintf(servers + n, sizeof servers - n, "%s%s", n ? " " : "", s->srv.cell[r][scol]);
		if (*newp && strcmp(s->srv.cell[r][pcol], newp)) {
			n = strlen(oldcols);
			snprintf(oldcols + n, sizeof oldcols - n, "%sdelivered_%s", n ? " " : "",
				 s->srv.cell[r][scol]);
		}
	}

	/* propagation, when the MX changes */
	double cut = s->pts.nrows ? rt_num(&s->pts, 0, rt_col(&s->pts, "cutover_h")) : NAN;
	if (!isnan(cut)) {
		BASE();
		double tmax = 0;
		for (int p = 0; p < np; p++) {
			char nm[32];
			double ttl = rt_num(&s->pts, p, rt_col(&s->pts, "ttl_h"));
			snprintf(nm, sizeof nm, "ttl%d", p);
			gp_num(v, MAX_VARS, nm, ttl);
			tmax = ttl > tmax ? ttl : tmax;
		}
		gp_num(v, MAX_VARS, "cutover_h", cut);
		gp_str(v, MAX_VARS, "oldcols", oldcols);
		double a = cut - 6 > 0 ? cut - 6 : 0, b = cut + 1.5 * tmax + 6;
		gp_num(v, MAX_VARS, "t0", a);
		gp_num(v, MAX_VARS, "t1", b < t1 ? b : t1);
		rc |= gnuplot(v, "propagation.gp");
		add_image(s, "propagation.png", "Propagation: old MX answers and mail to the old provider");
	}

	/* a study: key metrics against the last swept parameter */
	if (s->naxes > 0) {
		BASE();
		const char *last = s->agg.head[s->naxes];
		int nlast = 0;
		for (int p = 0; p < np; p++)
			if (!strcmp(s->agg.cell[p][s->naxes], s->agg.cell[0][s->naxes]) && p)
				break;
			else
				nlast++;
		/* metrics shown where some point reaches min: counts of a few
		 * messages or minutes say nothing at this scale */
		static const struct {
			const char *m, *label;
			double min;
		} cand[] = {{"bounced", "messages bounced", 1},
			    {"delivered_old_after_cutover", "delivered to old provider after switch", 10},
			    {"old_last_h", "last delivery to old provider (h after switch)", 0.1},
			    {"latency_p99_s", "latency, 99th percentile (s)", 0},
			    {"latency_p50_s", "latency, median (s)", 0},
			    {"peak_queue_senders", "peak messages queued at senders", 1},
			    {"deferrals_rate_limit", "deferrals by rate limit", 1},
			    {"queued", "still queued at the end", 1}};
		char metrics[2048] = "";
		int nm = 0;
		for (size_t i = 0; i < sizeof cand / sizeof *cand && nm < 8; i++) {
			char c[128];
			snprintf(c, sizeof c, "%s_mean", cand[i].m);
			if (!col_reaches(&s->agg, c, cand[i].min > 0 ? cand[i].min : 1e-300))
				continue;
			size_t n = strlen(metrics);
			snprintf(metrics + n, sizeof metrics - n, "%s%s", n ? " " : "", cand[i].m);
			snprintf(c, sizeof c, "mlabel%d", ++nm);
			gp_str(v, MAX_VARS, c, cand[i].label);
		}
		/* per server: peak sessions, 421s, backup queue */
		for (int r = 0; r < s->srv.nrows && nm < 10; r++) {
			if (rt_num(&s->srv, r, ptc) != 0)
				continue;
			static const char *const per[] = {"sessions_peak_", "busy421_", "queue_peak_"};
			static const char *const plab[] = {"peak sessions at ", "421 busy replies at ",
							   "peak queue at "};
			for (int k = 0; k < 3 && nm < 10; k++) {
				char m[300], c[320], lab[300];
				snprintf(m, sizeof m, "%s%s", per[k], s->srv.cell[r][scol]);
				snprintf(c, sizeof c, "%s_mean", m);
				if (!col_any(&s->agg, c))
					continue;
				size_t n = strlen(metrics);
				snprintf(metrics + n, sizeof metrics - n, " %s", m);
				snprintf(c, sizeof c, "mlabel%d", ++nm);
				snprintf(lab, sizeof lab, "%s%s", plab[k], s->srv.cell[r][scol]);
				gp_str(v, MAX_VARS, c, lab);
			}
		}
		if (nm) {
			gp_str(v, MAX_VARS, "metrics", metrics);
			gp_num(v, MAX_VARS, "nlast", nlast);
			gp_str(v, MAX_VARS, "lastname", last);
			int ng = np / nlast;
			gp_num(v, MAX_VARS, "ngroups", ng);
			for (int g = 0; g < ng && s->naxes > 1; g++) {
				char c[32], lab[512] = "";
				size_t n = 0;
				for (int a = 1; a < s->naxes; a++)
					n += (size_t)snprintf(lab + n, sizeof lab - n, "%s%s=%s", a > 1 ? " " : "",
							      s->agg.head[a], s->agg.cell[g * nlast][a]);
				snprintf(c, sizeof c, "glabel%d", g);
				gp_str(v, MAX_VARS, c, lab);
			}
			rc |= gnuplot(v, "study.gp");
			char cap[160];
			snprintf(cap, sizeof cap, "Study: key figures against %s", last);
			add_image(s, "study.png", cap);
		}
	}

	BASE();
	rc |= gnuplot(v, "latency.gp");
	add_image(s, "latency.png", "Delivery latency (cumulative distribution)");

	/* bounce reasons seen anywhere */
	char reasons[1024] = "";
	for (int c = 0; c < s->agg.ncols; c++) {
		const char *h = s->agg.head[c];
		size_t l = strlen(h);
		if (strncmp(h, "bounced_", 8) || l < 14 || strcmp(h + l - 5, "_mean") || !col_any(&s->agg, h))
			continue;
		size_t n = strlen(reasons);
		snprintf(reasons + n, sizeof reasons - n, "%s%.*s", n ? " " : "", (int)(l - 13), h + 8);
	}
	for (int p = 0; p < np && p < MAX_TIMELINES; p++) {
		BASE();
		gp_num(v, MAX_VARS, "p", p);
		gp_str(v, MAX_VARS, "servers", servers);
		gp_str(v, MAX_VARS, "reasons", reasons);
		int i = 0;
		for (int r = 0; r < s->srv.nrows; r++) {
			if (rt_num(&s->srv, r, ptc) != p)
				continue;
			char c[32];
			snprintf(c, sizeof c, "cap%d", ++i);
			gp_num(v, MAX_VARS, c, rt_num(&s->srv, r, ccol));
		}
		rc |= gnuplot(v, "timeline.gp");
		char file[64], cap[160], lab[512];
		snprintf(file, sizeof file, "timeline-%d.png", p);
		report_point_label(s, p, lab, sizeof lab);
		snprintf(cap, sizeof cap, "Over time: %.130s", lab);
		add_image(s, file, cap);
	}
	free(v);
#undef BASE
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenario folders of root: root itself, or its subfolders. */
static int scenario_dirs(const char *root, char ***out)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/manifest.ini", root);
	int n = 0;
	*out = NULL;
	if (file_exists(p) || (snprintf(p, sizeof p, "%s/aggregate.csv", root), file_exists(p))) {
		*out = xmalloc(sizeof **out);
		(*out)[n++] = xstrdup(root);
		return n;
	}
	DIR *d = opendir(root);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s/manifest.ini", root, e->d_name);
		if (!file_exists(p))
			continue;
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		snprintf(p, sizeof p, "%s/%s", root, e->d_name);
		(*out)[n++] = xstrdup(p);
	}
	closedir(d);
	qsort(*out, (size_t)n, sizeof **out, cmp_str);
	return n;
}

int plot_main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mxsim plot DIR...\n");
		return 2;
	}
	if (!have_gnuplot()) {
		fprintf(stderr, "mxsim: plot: gnuplot not found; install it (Debian: apt-get install "
				"gnuplot-nox) and run mxsim plot again\n");
		return 1;
	}
	if (find_scripts()) {
		fprintf(stderr, "mxsim: plot: the gnuplot scripts (plot/*.gp) were not found; set "
				"MXSIM_PLOT_DIR\n");
		return 1;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		char **dirs;
		int n = scenario_dirs(argv[i], &dirs);
		if (n <= 0) {
			fprintf(stderr, "mxsim: plot: %s: no scenario results found\n", argv[i]);
			rc = 1;
			continue;
		}
		report_scn **done = xcalloc((size_t)n, sizeof *done);
		int nd = 0;
		for (int k = 0; k < n; k++) {
			report_scn *s = xmalloc(sizeof *s);
			if (load(s, dirs[k]) || plot_scenario(s) || report_write(s)) {
				rc = 1;
				release(s);
				free(s);
			} else {
				done[nd++] = s;
			}
			free(dirs[k]);
		}
		/* the index sits above the scenario folders */
		char root[4200];
		snprintf(root, sizeof root, "%s", argv[i]);
		char p[4300];
		snprintf(p, sizeof p, "%s/manifest.ini", root);
		if (file_exists(p)) {
			char *sl = strrchr(root, '/');
			if (sl)
				*sl = '\0';
			else
				snprintf(root, sizeof root, ".");
		}
		if (nd && report_index(root, done, nd))
			rc = 1;
		for (int k = 0; k < nd; k++) {
			release(done[k]);
			free(done[k]);
		}
		free(done);
		free(dirs);
	}
	return rc;
}
