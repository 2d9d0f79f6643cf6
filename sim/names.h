/*
 * names.h - names that become file, folder, column or section names in
 * results (scenarios, servers, providers): letters, digits, '-', '_' and
 * '.', not starting with '.', at most NAME_MAX_LEN bytes. Checked where a
 * name is defined and again where results are read back, so no name can
 * carry quotes, spaces, path separators or shell and gnuplot syntax.
 */
#ifndef MX_NAMES_H
#define MX_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { NAME_MAX_LEN = 63 };

bool name_ok(const char *s);
/* The same characters, at most max bytes (DNS names: 253). */
bool name_ok_len(const char *s, size_t max);

/* An index from names to small integers (the caller's own numbering), in
 * O(1) expected. It stores a 64-bit hash of each name (with a salt, to keep
 * kinds of names apart): the caller confirms a hit by comparing the name at
 * the index it gets, and scans its own list on the rare mismatch. */
typedef struct nindex nindex;
/* FNV-1a over the bytes and the salt, then a 64-bit finalizer; the top
 * bit cleared (a table key, sim/table.h). */
uint64_t name_hash(const char *s, unsigned salt);
nindex *nindex_new(void);
void nindex_free(nindex *x);
/* The index recorded for name's hash, or -1. */
int nindex_get(nindex *x, const char *name, unsigned salt);
/* Records i for name (the first name with that hash keeps the slot). */
void nindex_put(nindex *x, const char *name, unsigned salt, int i);

/* What a name must look like, for error messages. */
#define NAME_RULE "letters, digits, '-', '_' and '.' (not first), at most 63 characters"

#endif
