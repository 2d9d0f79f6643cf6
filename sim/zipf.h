/*
 * zipf.h - Zipf-distributed ranks: P(k) proportional to k^-s, k = 1..n,
 * s >= 0, by rejection-inversion (Hormann and Derflinger, ACM TOMACS 6(3),
 * 1996): O(1) time and memory whatever n, so a million senders need no
 * table. GSL has no Zipf distribution.
 */
#ifndef MX_ZIPF_H
#define MX_ZIPF_H

#include <gsl/gsl_rng.h>

typedef struct {
	double n, s, h_x1, h_n, cut;
} zipf;

void zipf_init(zipf *z, unsigned long n, double s);
/* A rank from 0 to n-1 (rank k+1 of the distribution). */
unsigned long zipf_draw(const zipf *z, gsl_rng *r);

/* Ranks 1..n (rank r weighs r^-s) dealt to k classes of the given shares
 * (summing to 1): each rank in turn goes to the class furthest below its
 * share of the weight so far (a class of share 0 gets none), so each class
 * stays within one rank's weight of its share. cls[r - 1] gets rank r's
 * class. Deterministic: no random numbers. */
void zipf_apportion(long n, double s, const double *share, int k, int *cls);

#endif
