/*
 * table.c - linear-probing hash table (see table.h). Keys are stored plus
 * one so that 0 marks an empty slot.
 */
#include "table.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tab {
	size_t vsize, cap, n; /* cap: a power of two */
	uint64_t *keys;
	unsigned char *vals;
};

static void oom(void)
{
	fprintf(stderr, "mxsim: out of memory\n");
	abort();
}

static void alloc(tab *t, size_t cap)
{
	t->cap = cap;
	t->keys = calloc(cap, sizeof *t->keys);
	t->vals = calloc(cap, t->vsize);
	if (!t->keys || !t->vals)
		oom();
}

tab *tab_new(size_t vsize)
{
	tab *t = calloc(1, sizeof *t);
	if (!t)
		oom();
	t->vsize = vsize;
	alloc(t, 64);
	return t;
}

void tab_free(tab *t)
{
	if (!t)
		return;
	free(t->keys);
	free(t->vals);
	free(t);
}

static size_t find(const tab *t, uint64_t k1)
{
	size_t m = t->cap - 1, i = (size_t)rng_mix(k1) & m;
	while (t->keys[i] && t->keys[i] != k1)
		i = (i + 1) & m;
	return i;
}

void *tab_get(tab *t, uint64_t key, bool *created)
{
	uint64_t k1 = key + 1;
	size_t i = find(t, k1);
	if (t->keys[i]) {
		*created = false;
		return t->vals + i * t->vsize;
	}
	if (2 * (t->n + 1) > t->cap) {
		tab old = *t;
		alloc(t, 2 * old.cap);
		for (size_t j = 0; j < old.cap; j++)
			if (old.keys[j]) {
				size_t p = find(t, old.keys[j]);
				t->keys[p] = old.keys[j];
				memcpy(t->vals + p * t->vsize, old.vals + j * t->vsize, t->vsize);
			}
		free(old.keys);
		free(old.vals);
		i = find(t, k1);
	}
	t->keys[i] = k1;
	t->n++;
	*created = true;
	return t->vals + i * t->vsize;
}

size_t tab_count(const tab *t)
{
	return t->n;
}

size_t tab_bytes(const tab *t)
{
	return t->cap * (sizeof *t->keys + t->vsize);
}
