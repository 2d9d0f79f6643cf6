/*
 * publish.c - results folders written hidden and swapped in whole (see
 * publish.h). Everything is done relative to the root's descriptor, so the
 * signal handler needs no path and only async-signal-safe calls.
 */
#include "publish.h"
#include "../plot/results.h"
#include "../sim/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *root_path;
static int root_fd = -1;
static volatile sig_atomic_t tmp_fd = -1; /* the hidden folder being written */
static char tmp_name[NAME_MAX_LEN + 32];

/* mkdir -p */
static int make_path(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; rc == 0 && *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (rc == 0 && mkdir(p, 0777) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

int pub_open(const char *root)
{
	root_path = root;
	if (make_path(root) || (root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mxsim: %s: %s\n", root, strerror(errno));
		return -1;
	}
	if (flock(root_fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "mxsim: %s: %s\n", root,
			errno == EWOULDBLOCK ? "another mxsim run is writing here; wait for it or "
					       "choose another -o"
					     : strerror(errno));
		return -1;
	}
	return 0;
}

/* The first file in folder fd that mxsim does not write, or NULL (the
 * folder is closed; NULL also if it cannot be read, with *err set). */
static char *foreign_file(int fd, int *err)
{
	DIR *d = fdopendir(fd);
	char *found = NULL;
	*err = 0;
	if (!d) {
		*err = errno;
		close(fd);
		return NULL;
	}
	struct dirent *e;
	while (!found && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !rs_owned(e->d_name))
			found = xstrdup(e->d_name);
	closedir(d);
	return found;
}

bool pub_replaceable(const char *name)
{
	int fd = openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), err;
	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0) {
		fprintf(stderr, "mxsim: %s/%s: %s; remove it or choose another -o\n", root_path,
			name,
			errno == ENOTDIR || errno == ELOOP ? "exists and is no folder"
							   : strerror(errno));
		return false;
	}
	char *foreign = foreign_file(fd, &err);
	if (!foreign && !err)
		return true;
	if (err)
		fprintf(stderr, "mxsim: %s/%s: %s\n", root_path, name, strerror(err));
	else
		fprintf(stderr,
			"mxsim: %s/%s holds '%s', which mxsim did not write; it holds no mxsim "
			"results "
			"to replace: move your files or choose another -o\n",
			root_path, name, foreign);
	free(foreign);
	return false;
}

/* Removes the files mxsim writes from folder name, then the folder if it
 * is empty; a file of someone else's stays. */
static void remove_owned(const char *name)
{
	int fd = openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (rs_owned(e->d_name))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	if (unlinkat(root_fd, name, AT_REMOVEDIR) && errno != ENOENT)
		fprintf(stderr, "mxsim: kept %s/%s: it holds files mxsim did not write\n",
			root_path, name);
}

/* Removes hidden folders of this scenario left by killed runs. */
static void remove_stale(const char *name)
{
	int fd = dup(root_fd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	char *prefix = xasprintf(".%s.tmp-", name);
	size_t n = strlen(prefix);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, n))
			continue; /* d_name may be shorter than the prefix */
		char *end;
		long pid = strtol(e->d_name + n, &end, 10);
		if (end != e->d_name + n && !*end && pid > 0 &&
		    (pid == getpid() || (kill((pid_t)pid, 0) && errno == ESRCH)))
			remove_owned(e->d_name);
	}
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	free(prefix);
}

static void drop_tmp(void)
{
	int fd = tmp_fd;
	tmp_fd = -1;
	if (fd < 0)
		return;
	for (int i = 0; i < RS_NFILES; i++)
		unlinkat(fd, rs_files[i].name, 0);
	close(fd);
	unlinkat(root_fd, tmp_name, AT_REMOVEDIR);
}

static void on_signal(int sig)
{
	drop_tmp();
	signal(sig, SIG_DFL);
	raise(sig);
}

void pub_catch_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

/* Swaps the written folder into name; the old one's files are removed. */
static int swap_in(const char *name)
{
	if (renameat2(root_fd, tmp_name, root_fd, name, RENAME_EXCHANGE) == 0) {
		int fd = tmp_fd;
		tmp_fd = -1;
		close(fd);
		remove_owned(tmp_name);
		return 0;
	}
	if (errno == ENOENT && renameat(root_fd, tmp_name, root_fd, name) == 0) {
		int fd = tmp_fd;
		tmp_fd = -1;
		close(fd);
		return 0;
	}
	fprintf(stderr, "mxsim: %s/%s: %s\n", root_path, name, strerror(errno));
	return -1;
}

int pub_publish(const batch *b, const batch_run *run)
{
	if (!pub_replaceable(b->name))
		return -1;
	remove_stale(b->name);
	snprintf(tmp_name, sizeof tmp_name, ".%s.tmp-%d", b->name, (int)getpid());
	char *dir = xasprintf("%s/%s", root_path, tmp_name);
	int fd, rc = -1;
	if (mkdirat(root_fd, tmp_name, 0777) ||
	    (fd = openat(root_fd, tmp_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mxsim: %s: %s\n", dir, strerror(errno));
	} else {
		tmp_fd = fd;
		rc = batch_write(b, fd, dir, run);
		if (rc == 0)
			rc = swap_in(b->name);
	}
	drop_tmp();
	free(dir);
	return rc;
}
