/*
 * folders.c - `mxsim plot DIR...` (see plot.h): finds the scenario result
 * folders under each DIR (real folders only, never through a link), draws
 * each (plot.c) and writes its report, then the index above them; removes
 * its temporary files on SIGINT, SIGTERM and SIGHUP.
 */
#include "plot.h"
#include "../sim/xalloc.h"
#include "gnuplot.h"
#include "report.h"
#include "results.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has(const char *dir, const char *sub, const char *file)
{
	char *p = xasprintf("%s%s%s/%s", dir, sub ? "/" : "", sub ? sub : "", file);
	bool ok = access(p, F_OK) == 0;
	free(p);
	return ok;
}

/* The scenario folders of root: root itself, or its subfolders. */
static int scenario_dirs(const char *root, char ***out)
{
	int n = 0;
	*out = NULL;
	if (has(root, NULL, "manifest.ini") || has(root, NULL, "aggregate.csv")) {
		*out = xmalloc(sizeof **out);
		(*out)[n++] = xstrdup(root);
		return n;
	}
	DIR *d = opendir(root);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		/* real folders only: a link could lead mxsim to write elsewhere */
		if (e->d_name[0] == '.' || e->d_type == DT_LNK ||
		    !has(root, e->d_name, "manifest.ini"))
			continue;
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
		(*out)[n++] = xasprintf("%s/%s", root, e->d_name);
	}
	closedir(d);
	qsort(*out, (size_t)n, sizeof **out, cmp_str);
	return n;
}

/* The folder index.html goes in: above a scenario folder, or the root. */
static char *index_root(const char *arg)
{
	if (!has(arg, NULL, "manifest.ini"))
		return xstrdup(arg);
	char *root = xstrdup(arg);
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	char *sl = strrchr(root, '/');
	if (!sl) {
		free(root);
		return xstrdup(".");
	}
	sl[sl == root] = '\0';
	return root;
}

/* index.html of root over every scenario folder in it that has a report
 * (plotted now or before), so plotting one scenario keeps the others. */
static int write_index(const char *root)
{
	char **dirs;
	int n = scenario_dirs(root, &dirs), nd = 0, rc = 0;
	if (n <= 0)
		return 0;
	rs_scn *s = xcalloc((size_t)n, sizeof *s);
	for (int k = 0; k < n; k++) {
		bool shown = has(dirs[k], NULL, "report.html");
		if (shown && rs_load(&s[nd], dirs[k]) == 0)
			nd++;
		else if (shown)
			rs_free(&s[nd]); /* what it loaded before it failed */
		free(dirs[k]);
	}
	if (nd && report_index(root, s, nd))
		rc = 1;
	for (int k = 0; k < nd; k++)
		rs_free(&s[k]);
	free(s);
	free(dirs);
	return rc;
}

static int plot_root(const char *arg)
{
	char **dirs;
	int n = scenario_dirs(arg, &dirs), rc = 0;
	if (n <= 0) {
		fprintf(stderr, "mxsim: plot: %s: no scenario results found\n", arg);
		return 1;
	}
	for (int k = 0; k < n; k++) {
		rs_scn s;
		if (rs_load(&s, dirs[k]) || plot_scenario(&s) || report_write(&s))
			rc = 1;
		rs_free(&s);
		free(dirs[k]);
	}
	free(dirs);
	char *root = index_root(arg);
	rc |= write_index(root);
	free(root);
	return rc;
}

/* Ctrl-C or kill: no temporary file is left, then the signal's own end. */
static void on_signal(int sig)
{
	gp_abandon();
	signal(sig, SIG_DFL);
	raise(sig);
}

int plot_main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mxsim plot DIR...\n");
		return 2;
	}
	if (gp_init())
		return 1;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= plot_root(argv[i]);
	return rc;
}
