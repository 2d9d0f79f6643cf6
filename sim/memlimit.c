/*
 * memlimit.c - the memory this process may use (see memlimit.h).
 */
#include "memlimit.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static double least;
static const char *least_what;

static void bound(double bytes, const char *what)
{
	if (bytes > 0 && bytes < least) {
		least = bytes;
		least_what = what;
	}
}

/* The number in file (one line; "max" or unreadable: none). */
static void bound_file(const char *file, const char *what)
{
	FILE *f = fopen(file, "re");
	char buf[64] = "";
	if (!f)
		return;
	if (fgets(buf, sizeof buf, f)) {
		char *end;
		double v = strtod(buf, &end);
		if (end != buf && (*end == '\n' || !*end))
			bound(v, what);
	}
	fclose(f);
}

/* file in the group at path below root and in each of its ancestors. */
static void bound_groups(const char *root, const char *path, const char *file, const char *what)
{
	char *p = xstrdup(path);
	for (;;) {
		char *f = xasprintf("%s%s/%s", root, strcmp(p, "/") ? p : "", file);
		bound_file(f, what);
		free(f);
		char *sl = strrchr(p, '/');
		if (!sl || sl == p)
			break;
		*sl = '\0';
	}
	free(p);
	char *top = xasprintf("%s/%s", root, file);
	bound_file(top, what);
	free(top);
}

/* The groups of /proc/self/cgroup: "0::PATH" (v2), "N:memory:PATH" (v1). */
static void bound_cgroups(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		if (!strcmp(c1 + 1, ""))
			bound_groups("/sys/fs/cgroup", c2 + 1, "memory.max", "cgroup memory.max");
		else if (strstr(c1 + 1, "memory"))
			bound_groups("/sys/fs/cgroup/memory", c2 + 1, "memory.limit_in_bytes",
				     "cgroup memory.limit_in_bytes");
	}
	free(line);
	if (f)
		fclose(f);
}

double mem_usable(const char **what)
{
	least = 1e300;
	least_what = "nothing";
	bound((double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE), "physical memory");
	bound_cgroups();
	struct rlimit rl;
	if (!getrlimit(RLIMIT_AS, &rl) && rl.rlim_cur != RLIM_INFINITY)
		bound((double)rl.rlim_cur, "ulimit -v (RLIMIT_AS)");
	if (!getrlimit(RLIMIT_DATA, &rl) && rl.rlim_cur != RLIM_INFINITY)
		bound((double)rl.rlim_cur, "ulimit -d (RLIMIT_DATA)");
	if (what)
		*what = least_what;
	return least;
}
