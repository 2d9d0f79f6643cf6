/*
 * report.h - the HTML pages of `mxsim plot`: report.html in each scenario's
 * result folder (what was simulated, key figures with confidence
 * intervals, the plots) and index.html over a batch of scenarios, each
 * with a one-line verdict. Pages reference only files that exist.
 */
#ifndef MX_REPORT_H
#define MX_REPORT_H

#include "../sim/rtable.h"

#include <stddef.h>

enum { REPORT_MAX_IMAGES = 64 };

/* A scenario's results as loaded by plot.c. */
typedef struct {
	char dir[4096], name[256];
	rtable agg, pts, srv;
	int naxes;         /* study axes: aggregate.csv columns 1..naxes */
	char desc[8192];   /* the scenario file's leading comment */
	char manifest[4096];
	char image[REPORT_MAX_IMAGES][64]; /* PNG file names in dir */
	char caption[REPORT_MAX_IMAGES][160];
	int nimages;
} report_scn;

/* "ttl=5m ttl2=..." for point p. */
void report_point_label(const report_scn *s, int p, char *buf, size_t len);
/* One line: bounces and mail to the old provider over the points. */
void report_verdict(const report_scn *s, char *buf, size_t len);

/* Write s->dir/report.html and root/index.html; return 0 or -1. */
int report_write(const report_scn *s);
int report_index(const char *root, report_scn *const *s, int n);

#endif
