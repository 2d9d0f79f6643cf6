/*
 * fitview.c - fit.png (see fitview.h). The two CSVs and gnuplot's images
 * are made in a private folder beside the picture, which is then linked
 * into place under its name (never over an existing file) and the folder
 * removed. The sizes are drawn at the least size's bin's lower edge, then
 * at every sixth bin's upper edge up to the largest size's.
 */
#include "fitview.h"
#include "gnuplot.h"
#include "../sim/csvw.h"
#include "../sim/outfile.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { STEP = 6 };
static const char *const made[] = {"fit-hours.csv", "fit-sizes.csv", "fit.png", "fit.svg"};

static int write_hours(int fd, const fv_data *d)
{
	csvw w;
	if (csvw_create(&w, fd, made[0]))
		return -1;
	csvw_str(&w, "hour"), csvw_str(&w, "seen"), csvw_str(&w, "fitted"), csvw_end(&w);
	for (long i = 0; i <= d->hours; i++) { /* the last hour's end too, for steps */
		long k = i < d->hours ? i : i - 1;
		csvw_num(&w, (double)(d->first_hour + i)), csvw_num(&w, d->seen[k]);
		csvw_num(&w, d->fitted[k]), csvw_end(&w);
	}
	return csvw_close(&w);
}

/* The bins of the least and the largest size seen. */
static void range(const est_hist *h, int *lo, int *hi)
{
	*lo = 0, *hi = EST_BINS - 1;
	while (*lo < *hi && h->n[*lo] == 0)
		++*lo;
	while (*hi > *lo && h->n[*hi] == 0)
		--*hi;
}

static int write_sizes(int fd, const fv_data *d)
{
	csvw w;
	if (csvw_create(&w, fd, made[1]))
		return -1;
	csvw_str(&w, "size"), csvw_str(&w, "seen"), csvw_str(&w, "fitted"), csvw_end(&w);
	const est_hist *h = d->sizes;
	int lo, hi;
	range(h, &lo, &hi);
	double acc = 0;
	for (int b = 0; b < lo; b++)
		acc += h->n[b];
	csvw_num(&w, est_hist_edge(lo)), csvw_num(&w, acc / h->total);
	csvw_num(&w, 1 - dist_tail(d->size, est_hist_edge(lo))), csvw_end(&w);
	for (int b = lo; b <= hi; b++) {
		acc += h->n[b];
		if ((b - lo) % STEP && b != hi)
			continue;
		double x = est_hist_edge(b + 1);
		csvw_num(&w, x), csvw_num(&w, acc / h->total);
		csvw_num(&w, 1 - dist_tail(d->size, x)), csvw_end(&w);
	}
	return csvw_close(&w);
}

static int draw(int tfd, const char *tmp, const fv_data *d)
{
	if (write_hours(tfd, d) || write_sizes(tfd, d))
		return -1;
	int lo, hi;
	range(d->sizes, &lo, &hi);
	gp_vars *v = gp_new();
	gp_num(v, est_hist_edge(lo) / 1.5, "sa");
	gp_num(v, est_hist_edge(hi + 1) * 1.5, "sb");
	gp_num(v, d->first_hour, "xa");
	gp_num(v, (double)(d->first_hour + d->hours), "xb");
	gp_num(v, d->start_day, "start");
	return gp_run(v, tmp, "fit.gp", "fit") ? -1 : 0;
}

int fv_plot(const char *png, const fv_data *d)
{
	const char *base;
	char *dir = outfile_folder(png, &base), *tmp = xasprintf("%s/.mxsim-fit-XXXXXX", dir);
	int rc = -1, dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), tfd = -1;
	if (dfd >= 0 && mkdtemp(tmp) && (tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
		rc = gp_init() || draw(tfd, tmp, d) ? -2 : linkat(tfd, "fit.png", dfd, base, 0);
	if (rc == -1)
		fprintf(stderr, "mxsim: fit: %s: %s%s\n", png, strerror(errno),
			errno == EEXIST ? "; remove it or choose another --plot" : "");
	else if (rc == -2)
		fprintf(stderr, "mxsim: fit: %s: not drawn\n", png);
	if (tfd >= 0) {
		for (size_t i = 0; i < sizeof made / sizeof *made; i++)
			(void)unlinkat(tfd, made[i], 0);
		close(tfd);
		(void)rmdir(tmp);
	}
	if (dfd >= 0)
		close(dfd);
	free(tmp), free(dir);
	return rc ? -1 : 0;
}
