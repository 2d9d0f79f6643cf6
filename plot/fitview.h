/*
 * fitview.h - `mxsim fit`'s picture of its fit: the messages per hour the
 * log shows against the fitted weekly table over the log's span, and the
 * sizes' CDF against the fitted distribution's (fitview.c, fit.gp).
 */
#ifndef MX_FITVIEW_H
#define MX_FITVIEW_H

#include "../sim/dist.h"
#include "../sim/estimate.h"

typedef struct {
	const double *seen;   /* messages in hour i of the span */
	const double *fitted; /* the fitted table's rate in that hour */
	long hours;
	int start_day;  /* the span's first day, 0 = Monday */
	int first_hour; /* the span's first hour of that day */
	const est_hist *sizes;
	const dist *size; /* the fitted distribution */
} fv_data;

/* Draws png (created new: an existing file is kept) from d; 0, or -1
 * after a message. */
int fv_plot(const char *png, const fv_data *d);

#endif
