/*
 * rtable.h - a CSV file of results loaded whole (with libcsv), as rows of
 * strings under a header, for plots and reports.
 */
#ifndef MX_RTABLE_H
#define MX_RTABLE_H

typedef struct {
	int ncols, nrows;
	char **head;  /* [ncols] */
	char ***cell; /* [nrows][ncols] */
	int *line;    /* [nrows]: the file line each row starts on */
	int cap;
} rtable;

/* Loads path; returns 0, or -1 with a message in err (400 bytes). Rows
 * with a different number of fields than the header are an error. */
int rt_load(rtable *t, const char *path, char *err);
void rt_free(rtable *t);

/* Column index of name, or -1. */
int rt_col(const rtable *t, const char *name);
/* Cell text ("" outside the table). */
const char *rt_str(const rtable *t, int row, int col);
/* Cell as a number (NaN if empty or not a number). */
double rt_num(const rtable *t, int row, int col);

#endif
