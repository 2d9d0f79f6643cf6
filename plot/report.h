/*
 * report.h - the HTML pages of `mxsim plot`: report.html in each scenario's
 * result folder (what was simulated, key figures with confidence
 * intervals, the plots) and index.html over a batch of scenarios, each
 * with a one-line verdict.
 *
 * Invariant: pages reference only files that exist, and every string from
 * a results folder is escaped for where it lands (text, attribute, URL).
 */
#ifndef MX_REPORT_H
#define MX_REPORT_H

#include "results.h"

#include <stdio.h>

/* s as HTML text (or a quoted attribute's value). */
void report_esc(FILE *f, const char *s);

/* One line: bounces and mail to the old provider over the points;
 * allocated. */
char *report_verdict(const rs_scn *s);

/* Write s->dir/report.html, or root/index.html over s[0..n-1]; return 0,
 * or -1 after printing why. */
int report_write(const rs_scn *s);
int report_index(const char *root, const rs_scn *s, int n);

#endif
