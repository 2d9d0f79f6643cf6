/*
 * table.c - linear-probing hash table (see table.h). Each slot holds the
 * key plus one (0 marks an empty slot) followed by the value, so a lookup
 * touches one cache line.
 */
#include "table.h"
#include "xalloc.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tab {
	size_t vsize, slot, cap, n; /* slot: bytes per slot; cap: a power of two */
	unsigned char *mem;
};

static uint64_t *key_at(const tab *t, size_t i)
{
	return (uint64_t *)(t->mem + i * t->slot);
}

static void alloc(tab *t, size_t cap)
{
	t->cap = cap;
	t->mem = xcalloc(cap, t->slot);
}

void tab_reserve(tab *t, size_t n)
{
	size_t cap = t->cap;
	while (cap / 2 < n + 1 && cap <= SIZE_MAX / 4 / t->slot)
		cap *= 2;
	if (t->n || cap == t->cap)
		return;
	free(t->mem);
	alloc(t, cap);
}

tab *tab_new(size_t vsize)
{
	tab *t = xcalloc(1, sizeof *t);
	t->vsize = vsize;
	t->slot = (sizeof(uint64_t) + vsize + 7) / 8 * 8;
	alloc(t, 64);
	return t;
}

void tab_free(tab *t)
{
	if (!t)
		return;
	free(t->mem);
	free(t);
}

static size_t find(const tab *t, uint64_t k1)
{
	size_t m = t->cap - 1, i = (size_t)rng_mix(k1) & m;
	uint64_t k;
	while ((k = *key_at(t, i)) && k != k1)
		i = (i + 1) & m;
	return i;
}

/* Doubles the table, moving every entry a word at a time (a slot is whole
 * words). */
static void grow(tab *t)
{
	tab old = *t;
	size_t words = t->slot / sizeof(uint64_t);
	alloc(t, 2 * old.cap);
	for (size_t j = 0; j < old.cap; j++) {
		const uint64_t *from = key_at(&old, j);
		if (*from) {
			uint64_t *to = key_at(t, find(t, *from));
			for (size_t x = 0; x < words; x++)
				to[x] = from[x];
		}
	}
	free(old.mem);
}

void *tab_get(tab *t, uint64_t key, bool *created)
{
	uint64_t k1 = key + 1;
	size_t i = find(t, k1);
	if (*key_at(t, i)) {
		*created = false;
		return key_at(t, i) + 1;
	}
	if (2 * (t->n + 1) > t->cap) {
		grow(t);
		i = find(t, k1);
	}
	*key_at(t, i) = k1;
	t->n++;
	*created = true;
	return key_at(t, i) + 1;
}

void *tab_find(tab *t, uint64_t key)
{
	size_t i = find(t, key + 1);
	return *key_at(t, i) ? key_at(t, i) + 1 : NULL;
}

void tab_del(tab *t, uint64_t key)
{
	size_t m = t->cap - 1, i = find(t, key + 1);
	if (!*key_at(t, i))
		return;
	/* backward-shift deletion (Knuth vol. 3, 6.4, Algorithm R) */
	for (size_t j = (i + 1) & m;; j = (j + 1) & m) {
		uint64_t k = *key_at(t, j);
		if (!k)
			break;
		size_t home = (size_t)rng_mix(k) & m;
		/* j's entry may move to the hole at i unless its home lies
		 * cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			memcpy(key_at(t, i), key_at(t, j), t->slot);
			i = j;
		}
	}
	memset(key_at(t, i), 0, t->slot);
	t->n--;
}

void tab_prefetch(const tab *t, uint64_t key)
{
	__builtin_prefetch(key_at(t, (size_t)rng_mix(key + 1) & (t->cap - 1)));
}
