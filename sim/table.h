/*
 * table.h - open-addressing hash table from 64-bit keys to fixed-size
 * values, for sparse state (resolver caches, per-sender rate buckets).
 *
 * Invariant: load stays at most 1/2 (the table doubles before); lookups are
 * O(1) expected. Values are zeroed when created; pointers returned stay
 * valid until the next insertion or deletion.
 */
#ifndef MX_TABLE_H
#define MX_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tab tab;

/* Returns a new table for values of vsize bytes (free with tab_free). */
tab *tab_new(size_t vsize);
void tab_free(tab *t);

/* Finds key's value, creating a zeroed one (and setting *created) if
 * absent. Aborts when out of memory. */
void *tab_get(tab *t, uint64_t key, bool *created);

/* key's value, or NULL if absent. */
void *tab_find(tab *t, uint64_t key);

/* Removes key (if present), shifting later entries of its probe run back
 * so no tombstone is left. */
void tab_del(tab *t, uint64_t key);

/* Room for n entries in an empty table, so that it does not grow before
 * holding more (no effect on a table holding any). */
void tab_reserve(tab *t, size_t n);

/* Starts fetching key's slot into the CPU cache (a hint; no effect on
 * results). */
void tab_prefetch(const tab *t, uint64_t key);

#endif
