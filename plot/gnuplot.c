/*
 * gnuplot.c - gnuplot runs with data kept out of its lexer (see gnuplot.h).
 */
#include "gnuplot.h"
#include "../sim/xalloc.h"

#include "../sim/outfile.h"
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
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
static bool dry;         /* gp_dry_run: variables built, gnuplot not run */

static char *gnuplot_path; /* absolute, found by find_gnuplot */

/* gnuplot's absolute path from PATH's absolute entries only: an empty,
 * "." or relative entry would run a gnuplot from the results folder. */
static const char *find_gnuplot(void)
{
	const char *path = getenv("PATH");
	for (const char *p = path; !gnuplot_path && p && *p;) {
		size_t n = strcspn(p, ":");
		char *cand = xasprintf("%.*s/gnuplot", (int)n, p);
		if (p[0] == '/' && access(cand, X_OK) == 0)
			gnuplot_path = cand;
		else
			free(cand);
		p += n + (p[n] == ':');
	}
	return gnuplot_path;
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
	if (!find_gnuplot()) {
		fprintf(stderr,
			"mxsim: plot: gnuplot not found in PATH's absolute folders; install it "
			"(Debian: apt-get install gnuplot-nox) and run mxsim plot again\n");
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

static void num(gp_vars *v, const char *id, double x)
{
	if (isnan(x))
		fprintf(v->f, "%s = NaN\n", id);
	else
		fprintf(v->f, "%s = %.17g\n", id, isinf(x) ? copysign(1e308, x) : x);
}

void gp_num(gp_vars *v, double x, const char *name, ...)
{
	char id[64];
	va_list ap;
	va_start(ap, name);
	name_of(id, name, ap);
	va_end(ap);
	num(v, id, x);
}

void gp_time(gp_vars *v, double h, const char *name, ...)
{
	char id[64];
	va_list ap;
	va_start(ap, name);
	name_of(id, name, ap);
	va_end(ap);
	if (!isnan(h) && !(h >= 0 && h <= RS_MAX_H)) {
		fprintf(stderr, "mxsim: internal error: %s = %g hours reached gnuplot\n", id, h);
		abort();
	}
	num(v, id, h);
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

/* Where the private folder goes: an absolute path (gnuplot runs in the
 * results folder, and a path starting with '-' would read as an option),
 * so a relative TMPDIR is passed over. */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	return tmp && tmp[0] == '/' ? tmp : "/tmp";
}

/* The run under way: a private folder (mode 0700, in TMPDIR) holding the
 * variables and gnuplot's images until they are copied into the results
 * folder. Paths are kept whole for gp_abandon, which a signal handler
 * calls. */
enum { GP_PATH = 4096 };
static char priv[GP_PATH], priv_vars[GP_PATH + 8], priv_img[2][GP_PATH + NAME_MAX + 8];
static volatile sig_atomic_t priv_live;
static const char *const fmts[2] = {"png", "svg"};

void gp_abandon(void)
{
	if (!priv_live)
		return;
	priv_live = 0;
	unlink(priv_vars);
	unlink(priv_img[0]);
	unlink(priv_img[1]);
	rmdir(priv);
	outfile_abandon();
}

/* Makes the private folder, the images' paths for out, and the
 * variables' file (with out, the images' path less ".png"); 0 or -1
 * (errno set). */
static int priv_open(gp_vars *v, const char *out)
{
	int n = snprintf(priv, sizeof priv, "%s/mxsim-plot-XXXXXX", tmp_dir());
	if (n < 0 || n >= GP_PATH - 64 || strlen(out) > NAME_MAX - 4) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(priv))
		return -1;
	snprintf(priv_vars, sizeof priv_vars, "%s/vars", priv);
	for (int i = 0; i < 2; i++)
		snprintf(priv_img[i], sizeof priv_img[i], "%s/%s.%s", priv, out, fmts[i]);
	priv_live = 1;
	char *base = xasprintf("%s/%s", priv, out);
	gp_str(v, base, "out");
	free(base);
	bool lost = fclose(v->f) != 0;
	v->f = NULL;
	FILE *f = lost ? NULL : outfile_create(AT_FDCWD, priv_vars);
	if (!f)
		return -1;
	fwrite(v->text, 1, v->len, f);
	return outfile_close(f) ? -1 : 0;
}

/* Copies image i of the private folder into dirfd as name, whole (a
 * missing image is no error: a script may draw one format only). */
static int copy_in(int dirfd, int i, const char *name)
{
	int src = open(priv_img[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (src < 0)
		return errno == ENOENT ? 0 : -1;
	FILE *f = outfile_replace(dirfd, name);
	char buf[65536];
	ssize_t n = 0;
	while (f && (n = read(src, buf, sizeof buf)) > 0 &&
	       fwrite(buf, 1, (size_t)n, f) == (size_t)n)
		;
	int e = errno;
	close(src);
	if (!f)
		return -1;
	if (n < 0) {
		fclose(f);
		outfile_abandon();
		errno = e;
		return -1;
	}
	errno = outfile_commit(f);
	return errno ? -1 : 0;
}

static int gnuplot(int dirfd, const char *script)
{
	char *common = xasprintf("%s/common.gp", script_dir),
	     *sp = xasprintf("%s/%s", script_dir, script);
	int rc = -1, st;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (fchdir(dirfd))
			_exit(126);
		execl(gnuplot_path, "gnuplot", common, priv_vars, sp, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			pid = -1;
	if (pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		rc = 0;
	else
		fprintf(stderr, "mxsim: plot: gnuplot failed on %s\n", script);
	free(common);
	free(sp);
	return rc;
}

void gp_dry_run(void)
{
	dry = true;
}

int gp_run(gp_vars *v, const char *dir, const char *script, const char *out)
{
	if (dry) {
		gp_free(v);
		return 0;
	}
	int rc = -1, dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "mxsim: plot: %s: %s\n", dir, strerror(errno));
		gp_free(v);
		return -1;
	}
	if (priv_open(v, out)) {
		fprintf(stderr, "mxsim: plot: cannot write a temporary folder in %s: %s\n",
			tmp_dir(), strerror(errno));
	} else {
		rc = gnuplot(dirfd, script);
		for (int i = 0; i < 2 && rc == 0; i++) {
			char *name = xasprintf("%s.%s", out, fmts[i]);
			if (copy_in(dirfd, i, name)) {
				fprintf(stderr, "mxsim: plot: writing %s/%s failed: %s\n", dir,
					name, strerror(errno));
				rc = -1;
			}
			free(name);
		}
	}
	gp_abandon();
	gp_free(v);
	close(dirfd);
	return rc;
}

char *gp_version(void)
{
	int fd[2];
	char buf[128] = "";
	if (!find_gnuplot() || pipe(fd))
		return xstrdup("not found");
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(gnuplot_path, "gnuplot", "--version", (char *)NULL);
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
