/*
 * rtable.c - whole-file CSV tables (see rtable.h).
 */
#include "rtable.h"
#include "xalloc.h"
#include "csvread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row(void *ctx, int line, int nf, char **f, char *err)
{
	rtable *t = ctx;
	if (!t->head) {
		t->ncols = nf;
		t->head = xmalloc((size_t)nf * sizeof *t->head);
		for (int i = 0; i < nf; i++)
			t->head[i] = xstrdup(f[i]);
		return 0;
	}
	if (nf != t->ncols) {
		snprintf(err, CSVREAD_ERR, "expected %d fields, got %d", t->ncols, nf);
		return -1;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cell = xrealloc(t->cell, (size_t)t->cap * sizeof *t->cell);
		t->line = xrealloc(t->line, (size_t)t->cap * sizeof *t->line);
	}
	t->line[t->nrows] = line;
	char **r = xmalloc((size_t)nf * sizeof *r);
	for (int i = 0; i < nf; i++)
		r[i] = xstrdup(f[i]);
	t->cell[t->nrows++] = r;
	return 0;
}

int rt_load(rtable *t, const char *path, char *err)
{
	memset(t, 0, sizeof *t);
	if (csvread_file(path, row, t, err)) {
		rt_free(t);
		return -1;
	}
	return 0;
}

void rt_free(rtable *t)
{
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++)
			free(t->cell[r][c]);
		free(t->cell[r]);
	}
	free(t->cell);
	free(t->line);
	for (int c = 0; t->head && c < t->ncols; c++)
		free(t->head[c]);
	free(t->head);
	memset(t, 0, sizeof *t);
}

int rt_col(const rtable *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->head[c], name))
			return c;
	return -1;
}

const char *rt_str(const rtable *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return "";
	return t->cell[row][col];
}

double rt_num(const rtable *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return NAN;
	const char *s = t->cell[row][col];
	char *end;
	double v = strtod(s, &end);
	return end == s || *end ? NAN : v;
}
