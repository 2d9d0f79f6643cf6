/*
 * memlimit.h - how much memory this process may really use: the least of
 * the machine's physical memory, the memory limits of the control groups
 * it runs in (cgroup v2 memory.max, v1 memory.limit_in_bytes, the group's
 * and every ancestor's) and its address-space and data rlimits.
 */
#ifndef MX_MEMLIMIT_H
#define MX_MEMLIMIT_H

/* Bytes; where each bound comes from is named in *what (a static
 * string: "physical memory", "cgroup memory.max", "ulimit -v", ...). */
double mem_usable(const char **what);

#endif
