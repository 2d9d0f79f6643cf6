/*
 * outfile.h - output files inside an open folder: created relative to the
 * folder's descriptor, never through a symbolic link and never over an
 * existing file (O_NOFOLLOW | O_EXCL), so whoever can write in the folder
 * cannot redirect what is written. A file that replaces another is
 * written under a temporary name and renamed over it when whole, so a
 * full disk or a signal never leaves it half written. Closing syncs.
 */
#ifndef MX_OUTFILE_H
#define MX_OUTFILE_H

#include <stdio.h>

/* The folder of path ("." when it names none, "/" for the root),
 * allocated, and in *base the last part of path. */
char *outfile_folder(const char *path, const char **base);

/* Creates name in folder dirfd for writing; NULL with errno set. */
FILE *outfile_create(int dirfd, const char *name);
/* Flushes, syncs and closes f; 0, or the errno of the first failure. */
int outfile_close(FILE *f);

/* Writes all n bytes of buf to fd, through EINTR and short writes; 0 or
 * -1 (errno set). */
int outfile_write_all(int fd, const void *buf, size_t n);

/* Starts replacing name in dirfd: a new temporary file beside it (one
 * replacement at a time); NULL with errno set. */
FILE *outfile_replace(int dirfd, const char *name);
/* Closes f and renames it over name; on any failure removes it. 0, or
 * the errno of the failure. */
int outfile_commit(FILE *f);
/* Removes the replacement under way, if any: async-signal-safe. */
void outfile_abandon(void);

#endif
