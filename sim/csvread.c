/*
 * csvread.c - libcsv-driven table reader (see csvread.h).
 */
#include "csvread.h"
#include "infile.h"
#include "xalloc.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int (*row)(void *, int, int, char **, char *);
	void *ctx;
	char **f;
	int nf, cap, line, row_line, failed;
	char msg[CSVREAD_ERR];
} reader;

static void field(void *s, size_t len, void *data)
{
	reader *r = data;
	if (r->failed)
		return;
	if (r->nf == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->f = xrealloc(r->f, (size_t)r->cap * sizeof *r->f);
	}
	char *c = xmalloc(len + 1);
	memcpy(c, s ? s : "", len);
	c[len] = '\0';
	r->f[r->nf++] = c;
}

static void record(int term, void *data)
{
	(void)term;
	reader *r = data;
	if (!r->failed && r->nf && r->row(r->ctx, r->row_line, r->nf, r->f, r->msg))
		r->failed = r->row_line;
	for (int i = 0; i < r->nf; i++)
		free(r->f[i]);
	r->nf = 0;
}

int csvread_file(const char *path, int (*row)(void *ctx, int line, int nf, char **f, char *err),
		 void *ctx, char *err)
{
	FILE *fp = infile_open(path, CSVREAD_MAX_BYTES, err);
	if (!fp)
		return -1;
	struct csv_parser p;
	csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
	reader r = {.row = row, .ctx = ctx, .line = 1, .row_line = 1};
	char buf[4096];
	size_t n;
	int rc = 0;
	while (!r.failed && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
		/* feed line by line so that record() knows the line it ends on */
		size_t start = 0;
		for (size_t i = 0; i < n && !r.failed; i++) {
			if (buf[i] != '\n')
				continue;
			if (csv_parse(&p, buf + start, i + 1 - start, field, record, &r) !=
			    i + 1 - start) {
				snprintf(r.msg, sizeof r.msg, "%s", csv_strerror(csv_error(&p)));
				r.failed = r.line;
			}
			start = i + 1;
			r.line++;
			r.row_line = r.line;
		}
		if (!r.failed && start < n &&
		    csv_parse(&p, buf + start, n - start, field, record, &r) != n - start) {
			snprintf(r.msg, sizeof r.msg, "%s", csv_strerror(csv_error(&p)));
			r.failed = r.line;
		}
	}
	if (!r.failed && csv_fini(&p, field, record, &r)) {
		snprintf(r.msg, sizeof r.msg, "%s", csv_strerror(csv_error(&p)));
		r.failed = r.line;
	}
	if (r.failed) {
		snprintf(err, CSVREAD_ERR, "%.150s:%d: %.200s", path, r.failed, r.msg);
		rc = -1;
	} else if (ferror(fp)) {
		snprintf(err, CSVREAD_ERR, "%.300s: read error: %s", path, strerror(errno));
		rc = -1;
	}
	for (int i = 0; i < r.nf; i++)
		free(r.f[i]);
	free(r.f);
	csv_free(&p);
	fclose(fp);
	return rc;
}
