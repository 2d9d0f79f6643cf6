/*
 * study.h - parameter studies: ${...} lists in a scenario's text.
 *
 * Any value (or key) may be written ${a, b, c}, ${from..to} or
 * ${from..to step s}, optionally named ${name=...}; values that hold
 * commas are separated by '|' instead: ${10 a, 20 b | 10 a}. ${name} alone
 * stands for the value of the list of that name written earlier (one axis
 * driving several lines). Each list is an axis; a study's points are the product of the axes, the first axis
 * varying slowest (as OMNeT++ iterates). Expansion substitutes text, so
 * line numbers stay those of the file.
 *
 * Only text that inih reads as a key or value counts: comment lines (';'
 * or '#' first) and inline comments (';' after white space, inih's rule)
 * hold no study. Sizes are bounded: STUDY_MAX_AXES axes, STUDY_MAX_POINTS
 * points.
 */
#ifndef MX_STUDY_H
#define MX_STUDY_H

enum { STUDY_ERR = 256, STUDY_MAX_AXES = 64, STUDY_MAX_POINTS = 10000 };

typedef struct {
	char *name; /* given, or "section.key" */
	int nvalues;
	char **values;
	int line;
	long start, end; /* byte span of ${...} in the text */
} study_axis;

/* A place in the text where an axis's value goes: its list, or a
 * ${name} reference to it. */
typedef struct {
	long start, end;
	int axis;
} study_span;

typedef struct {
	int naxes, nspans;
	study_axis *axes;
	study_span *spans; /* in text order */
	long npoints;
} study;

/* Finds the axes of text. Returns 0, or -1 with "line N: message" in err. */
int study_parse(const char *text, study *st, char *err);
void study_free(study *st);

/* The text of point p (0 <= p < npoints), newly allocated (caller frees);
 * idx[a], if idx is not NULL, receives the value index of axis a. */
char *study_expand(const study *st, const char *text, long p, int *idx);
/* The same with axis a's value replaced by value. */
char *study_expand_as(const study *st, const char *text, long p, int a, const char *value);

#endif
