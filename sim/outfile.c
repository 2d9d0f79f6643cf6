/*
 * outfile.c - output files inside an open folder (see outfile.h).
 */
#include "outfile.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The replacement under way: its folder and temporary name. */
static volatile sig_atomic_t pending_fd = -1;
static char pending_tmp[NAME_MAX + 1], pending_name[NAME_MAX + 1];

char *outfile_folder(const char *path, const char **base)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	*base = slash ? path + (slash - dir) + 1 : path;
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

FILE *outfile_create(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int outfile_close(FILE *f)
{
	int bad = ferror(f) ? (errno ? errno : EIO) : 0;
	if (!bad && (fflush(f) || fsync(fileno(f))))
		bad = errno ? errno : EIO;
	if (fclose(f) && !bad)
		bad = errno ? errno : EIO;
	return bad;
}

int outfile_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

FILE *outfile_replace(int dirfd, const char *name)
{
	int n = snprintf(pending_tmp, sizeof pending_tmp, ".%s.tmp-%d", name, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof pending_tmp || strlen(name) >= sizeof pending_name) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(pending_name, name);
	unlinkat(dirfd, pending_tmp, 0); /* left by a killed run of this pid */
	FILE *f = outfile_create(dirfd, pending_tmp);
	if (f)
		pending_fd = dirfd;
	return f;
}

int outfile_commit(FILE *f)
{
	int dirfd = pending_fd, bad = outfile_close(f);
	if (!bad && renameat(dirfd, pending_tmp, dirfd, pending_name))
		bad = errno;
	if (bad)
		unlinkat(dirfd, pending_tmp, 0);
	pending_fd = -1;
	return bad;
}

void outfile_abandon(void)
{
	int fd = pending_fd;
	pending_fd = -1;
	if (fd >= 0)
		unlinkat(fd, pending_tmp, 0);
}
