/*
 * gnuplot.c - gnuplot runs with data kept out of its lexer (see gnuplot.h).
 */
#include "gnuplot.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct gp_vars {
	FILE *f; /* open_memstream over text, len */
	char *text;
	size_t len;
};

static char *script_dir; /* absolute, found by gp_init */

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		char *cand;
		if (asprintf(&cand, "%.*s/%s", (int)n, p, prog) < 0)
			return false;
		bool ok = access(cand, X_OK) == 0;
		free(cand);
		if (ok)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* dir (relative to base if base is not NULL) if it holds common.gp */
static char *scripts_in(const char *base, const char *dir)
{
	char *cand, *real = NULL;
	if (asprintf(&cand, "%s%s%s/common.gp", base ? base : "", base ? "/" : "", dir) < 0)
		return NULL;
	if (access(cand, R_OK) == 0) {
		*strrchr(cand, '/') = '\0';
		real = realpath(cand, NULL);
	}
	free(cand);
	return real;
}

static char *find_scripts(void)
{
	const char *env = getenv("MXSIM_PLOT_DIR");
	if (env)
		return scripts_in(NULL, env);
	char *exe = realpath("/proc/self/exe", NULL), *found = NULL;
	if (!exe)
		return NULL;
	*strrchr(exe, '/') = '\0';
	static const char *const rel[] = {"../share/mxsim/plot", "../plot", "plot"};
	for (size_t i = 0; i < sizeof rel / sizeof *rel && !found; i++)
		found = scripts_in(exe, rel[i]);
	free(exe);
	return found;
}

int gp_init(void)
{
	if (!on_path("gnuplot")) {
		fprintf(stderr,
			"mxsim: plot: gnuplot not found; install it (Debian: apt-get install "
			"gnuplot-nox) and run mxsim plot again\n");
		return -1;
	}
	if (!script_dir && !(script_dir = find_scripts())) {
		fprintf(stderr, "mxsim: plot: the gnuplot scripts (plot/*.gp) were not found; set "
				"MXSIM_PLOT_DIR\n");
		return -1;
	}
	return 0;
}

gp_vars *gp_new(void)
{
	gp_vars *v = xcalloc(1, sizeof *v);
	if (!(v->f = open_memstream(&v->text, &v->len))) {
		fprintf(stderr, "mxsim: out of memory\n");
		abort();
	}
	return v;
}

/* The variable's name, checked: mxsim's own identifiers only. */
static void name_of(char id[64], const char *fmt, va_list ap)
{
	int n = vsnprintf(id, 64, fmt, ap);
	bool ok = n > 0 && n < 64 && (id[0] == '_' || (id[0] >= 'a' && id[0] <= 'z'));
	for (int i = 1; ok && i < n; i++)
		ok = id[i] == '_' || (id[i] >= 'a' && id[i] <= 'z') ||
		     (id[i] >= '0' && id[i] <= '9');
	if (!ok) {
		fprintf(stderr, "mxsim: internal error: bad gnuplot variable name '%s'\n", id);
		abort();
	}
}

void gp_num(gp_vars *v, double x, const char *name, ...)
{
	char id[64];
	va_list ap;
	va_start(ap, name);
	name_of(id, name, ap);
	va_end(ap);
	if (isnan(x))
		fprintf(v->f, "%s = NaN\n", id);
	else
		fprintf(v->f, "%s = %.17g\n", id, isinf(x) ? copysign(1e308, x) : x);
}

/* id = "" then id = id.c(b1).c(b2)... 32 bytes a line: every byte of s
 * as a number, so nothing in s is ever read as gnuplot code. */
void gp_str(gp_vars *v, const char *s, const char *name, ...)
{
	char id[64];
	va_list ap;
	va_start(ap, name);
	name_of(id, name, ap);
	va_end(ap);
	fprintf(v->f, "%s = \"\"\n", id);
	for (size_t i = 0; s[i]; i++) {
		if (i % 32 == 0)
			fprintf(v->f, "%s%s = %s", i ? "\n" : "", id, id);
		fprintf(v->f, ".c(%u)", (unsigned char)s[i]);
	}
	if (*s)
		fputc('\n', v->f);
}

void gp_free(gp_vars *v)
{
	if (v->f)
		fclose(v->f);
	free(v->text);
	free(v);
}

/* Where the variables' file goes: an absolute path (gnuplot runs in the
 * results folder, and a path starting with '-' would read as an option),
 * so a relative TMPDIR is passed over. */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	return tmp && tmp[0] == '/' ? tmp : "/tmp";
}

/* Writes the variables to a private temporary file made from the mkstemp
 * template out. */
static int vars_file(gp_vars *v, char *out)
{
	if (fclose(v->f)) {
		v->f = NULL;
		return -1;
	}
	v->f = NULL;
	int fd = mkstemp(out);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(out);
		return -1;
	}
	int bad = fwrite(v->text, 1, v->len, f) != v->len;
	bad |= fclose(f) != 0;
	if (bad)
		unlink(out);
	return bad ? -1 : 0;
}

int gp_run(gp_vars *v, const char *dir, const char *script)
{
	char *vars = xasprintf("%s/mxsim-plot-XXXXXX", tmp_dir());
	char *common = NULL, *sp = NULL;
	int rc = -1, st;
	if (vars_file(v, vars)) {
		fprintf(stderr, "mxsim: plot: cannot write a temporary file in %s: %s\n", tmp_dir(),
			strerror(errno));
		gp_free(v);
		free(vars);
		return -1;
	}
	gp_free(v);
	if (asprintf(&common, "%s/common.gp", script_dir) < 0 ||
	    asprintf(&sp, "%s/%s", script_dir, script) < 0)
		goto done;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		goto done;
	if (pid == 0) {
		if (chdir(dir)) {
			fprintf(stderr, "mxsim: plot: %s: %s\n", dir, strerror(errno));
			_exit(126);
		}
		execlp("gnuplot", "gnuplot", common, vars, sp, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			goto done;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		rc = 0;
	else
		fprintf(stderr, "mxsim: plot: gnuplot failed on %s\n", script);
done:
	unlink(vars);
	free(vars);
	free(common);
	free(sp);
	return rc;
}

char *gp_version(void)
{
	int fd[2];
	char buf[128] = "";
	if (!on_path("gnuplot") || pipe(fd))
		return xstrdup("not found");
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execlp("gnuplot", "gnuplot", "--version", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	ssize_t n = pid > 0 ? read(fd[0], buf, sizeof buf - 1) : -1;
	close(fd[0]);
	int st;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(*buf ? buf : "not found");
}
