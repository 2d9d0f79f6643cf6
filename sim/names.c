/*
 * names.c - the one rule for names used in results (see names.h).
 */
#include "names.h"
#include "table.h"

#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool name_ok(const char *s)
{
	return name_ok_len(s, NAME_MAX_LEN);
}

bool name_ok_len(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		if (!ok)
			return false;
	}
	return true;
}

struct nindex {
	tab *t; /* hash -> index + 1 */
};

uint64_t name_hash(const char *s, unsigned salt)
{
	uint64_t h = 1469598103934665603ULL ^ salt;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h >> 1;
}

nindex *nindex_new(void)
{
	nindex *x = xcalloc(1, sizeof *x);
	x->t = tab_new(sizeof(int));
	return x;
}

void nindex_free(nindex *x)
{
	if (x) {
		tab_free(x->t);
		free(x);
	}
}

int nindex_get(nindex *x, const char *name, unsigned salt)
{
	bool created;
	int *v = tab_get(x->t, name_hash(name, salt), &created);
	return *v - 1;
}

void nindex_put(nindex *x, const char *name, unsigned salt, int i)
{
	bool created;
	int *v = tab_get(x->t, name_hash(name, salt), &created);
	if (!*v)
		*v = i + 1;
}
