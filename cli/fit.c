/*
 * fit.c - `mxsim fit LOG...`: a receiving server's Postfix log, read as a
 * stream (gzip'd or not, models/maillog.h), turned into a scenario of its
 * traffic on stdout: the mean rate, the 168 hours of the week as a table
 * (--table FILE, created new: an existing file is kept), the sizes as lnpareto (body by its quantiles, tail by
 * maximum likelihood: Hill), the senders' count and Zipf exponent
 * (maximum likelihood), and what was seen, as comments.
 *
 * Memory: a queue id is held from its first line to "removed"; a client
 * per distinct address; sizes in a histogram of fixed bins. Nothing
 * grows with the log's length but the clients.
 */
#include "fit.h"
#include "../models/maillog.h"
#include "../sim/csvw.h"
#include "../sim/names.h"
#include "../sim/table.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum { WEEK = 168, BINS = 2400, EXAMPLES = 10, LINE_MAX_B = 65536 };
#define BIN_W 0.01 /* a size bin's width in ln(bytes) */

typedef struct {
	int year;
	ml_format fmt;
	double t0, t1;
	long msgs, lines, skipped;
	double week[WEEK];
	double hist[BINS];
	tab *ids;     /* queue id hash -> client index + 1 (0: none yet), negative: counted */
	tab *clients; /* client hash -> index */
	double *count;
	long nclients, cap;
	char *example[EXAMPLES];
	int nex;
} fitter;

/* A name's table key (salts keep queue ids and clients apart). */
enum { SALT_ID = 1, SALT_CLIENT = 2 };

static long client_of(fitter *f, const char *name)
{
	bool created;
	long *i = tab_get(f->clients, name_hash(name, SALT_CLIENT), &created);
	if (created) {
		if (f->nclients == f->cap)
			f->count = xrealloc(f->count,
					    (size_t)(f->cap = 2 * f->cap + 64) * sizeof *f->count);
		f->count[f->nclients] = 0;
		*i = f->nclients++;
	}
	return *i;
}

/* A message queued at t with this size, from client c (-1: local). */
static void message(fitter *f, double t, double size, long c)
{
	f->t0 = f->msgs ? fmin(f->t0, t) : t;
	f->t1 = f->msgs ? fmax(f->t1, t) : t;
	f->msgs++;
	long days = (long)floor(t / 86400); /* 1970-01-01 was a Thursday */
	int h = (int)(((days + 3) % 7 + 7) % 7 * 24 + (long)floor(t / 3600) % 24);
	f->week[h]++;
	int b = size >= 1 ? (int)(log(size) / BIN_W) : 0;
	f->hist[b < BINS ? b : BINS - 1]++;
	long i = c >= 0 ? c : client_of(f, "local"); /* (it may move f->count) */
	f->count[i]++;
}

static void line(fitter *f, const char *s, size_t n)
{
	ml_line l;
	f->lines++;
	if (ml_parse(s, n, f->year, f->fmt, &l)) {
		if (f->nex < EXAMPLES && n)
			f->example[f->nex++] = xstrndup(s, n > 200 ? 200 : n);
		f->skipped++;
		return;
	}
	bool created;
	if (l.kind == ML_RECEIVED) /* Exim: all of a message on one line */
		message(f, l.t, l.size, client_of(f, l.client));
	if (l.kind == ML_OTHER || l.kind == ML_RECEIVED)
		return;
	long *v = tab_get(f->ids, name_hash(l.id, SALT_ID), &created);
	if (created)
		*v = 0;
	if (l.kind == ML_CLIENT_ && *v >= 0)
		*v = client_of(f, l.client) + 1;
	else if (l.kind == ML_FROM && *v >= 0)
		message(f, l.t, l.size, *v - 1), *v = -1;
	else if (l.kind == ML_REMOVED)
		tab_del(f->ids, name_hash(l.id, SALT_ID));
}

/* Each line of buf[0..*have) that ends, to line() (skip: the rest of a
 * line cut at LINE_MAX_B); what is left moved to buf's start. */
static void lines(fitter *f, char *buf, size_t *have, bool *skip)
{
	char *p = buf, *end = buf + *have, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		*nl = '\0';
		if (!*skip)
			line(f, p, (size_t)(nl - p));
		*skip = false;
		p = nl + 1;
	}
	*have = (size_t)(end - p);
	if (*have == LINE_MAX_B) { /* a line this long is cut: the start read, the rest not */
		p[*have - 1] = '\0';
		line(f, p, *have - 1);
		*have = 0, *skip = true;
	}
	memmove(buf, p, *have);
}

/* Reads path (gzip'd or plain) in blocks, line by line (a NUL inside a
 * line spoils that line only); 0 or -1 after a message. */
static int read_log(fitter *f, const char *path)
{
	gzFile g = gzopen(path, "rb");
	if (!g) {
		fprintf(stderr, "mxsim: fit: %s: %s\n", path, strerror(errno ? errno : ENOMEM));
		return -1;
	}
	char *buf = xmalloc(LINE_MAX_B + 1);
	size_t have = 0;
	bool skip = false;
	int n, err = Z_OK;
	while ((n = gzread(g, buf + have, (unsigned)(LINE_MAX_B - have))) > 0) {
		have += (size_t)n;
		lines(f, buf, &have, &skip);
	}
	if (n == 0 && have && !skip) { /* the last line, without its newline */
		buf[have] = '\0';
		line(f, buf, have);
	}
	const char *why = gzerror(g, &err);
	if (n < 0 || (err != Z_OK && err != Z_STREAM_END))
		fprintf(stderr, "mxsim: fit: %s: %s\n", path, why);
	gzclose(g);
	free(buf);
	return n < 0 || (err != Z_OK && err != Z_STREAM_END) ? -1 : 0;
}

/* The size at quantile q of the histogram (ln-linear within a bin). */
static double quantile(const fitter *f, double q)
{
	double want = q * (double)f->msgs, acc = 0;
	for (int b = 0; b < BINS; b++) {
		if (f->hist[b] > 0 && acc + f->hist[b] >= want)
			return exp(BIN_W * (b + (want - acc) / f->hist[b]));
		acc += f->hist[b];
	}
	return exp(BIN_W * BINS);
}

/* lnpareto(median, sigma, cut, alpha): below the cut (the 90th
 * percentile) the body is the lognormal itself, so its median and sigma
 * are those of the sizes' quantiles (the median, and the 15.9th
 * percentile one sigma below it); above it, alpha by maximum likelihood
 * (Hill), over the bins' centres. */
static void sizes(const fitter *f, double p[4])
{
	p[0] = quantile(f, 0.5);
	p[1] = log(p[0] / quantile(f, gsl_cdf_ugaussian_P(-1)));
	p[2] = quantile(f, 0.9);
	double k = 0, sum = 0;
	for (int b = 0; b < BINS; b++) {
		double centre = exp(BIN_W * (b + 0.5));
		if (centre > p[2])
			k += f->hist[b], sum += f->hist[b] * log(centre / p[2]);
	}
	p[3] = sum > 0 ? k / sum : 10;
}

static int by_count(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

/* The Zipf exponent of the clients' counts by maximum likelihood: rank k
 * (most mail first) has share k^-s / H(N, s); golden section on [0, 4]. */
static double zipf(fitter *f)
{
	qsort(f->count, (size_t)f->nclients, sizeof *f->count, by_count);
	double a = 0;
	for (long k = 0; k < f->nclients; k++)
		a += f->count[k] * log((double)k + 1);
	double lo = 0, hi = 4, g = (sqrt(5) - 1) / 2;
	for (int it = 0; it < 60; it++) {
		double s[2] = {hi - g * (hi - lo), lo + g * (hi - lo)}, ll[2];
		for (int j = 0; j < 2; j++) {
			double h = 0;
			for (long k = 1; k <= f->nclients; k++)
				h += pow((double)k, -s[j]);
			ll[j] = -s[j] * a - (double)f->msgs * log(h);
		}
		*(ll[0] > ll[1] ? &hi : &lo) = ll[0] > ll[1] ? s[1] : s[0];
	}
	return (lo + hi) / 2;
}

/* The 168 hours' mean messages per hour (Monday 00:00 first) into path,
 * each hour of the week over the times the log covers it (an hour it
 * never covers: the mean); 0 or -1 after a message. */
static int table(const fitter *f, const char *path, double *rate)
{
	double seen[WEEK] = {0}, hours = 0;
	for (long hr = (long)floor(f->t0 / 3600); hr <= (long)floor(f->t1 / 3600); hr++) {
		long days = hr / 24 - (hr % 24 < 0);
		seen[((days + 3) % 7 + 7) % 7 * 24 + ((hr % 24) + 24) % 24]++;
		hours++;
	}
	*rate = (double)f->msgs / hours;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	if (slash)
		*slash = '\0';
	int fd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
	    rc = -1;
	csvw w;
	if (fd >= 0 && csvw_create(&w, fd, base) == 0) {
		for (int h = 0; h < WEEK; h++) {
			csvw_num(&w, seen[h] > 0 ? f->week[h] / seen[h] : *rate);
			csvw_end(&w);
		}
		rc = csvw_close(&w);
	}
	if (rc)
		fprintf(stderr, "mxsim: fit: %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? "; remove it or choose another --table" : "");
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* A log line as a comment: printable ASCII only. */
static void comment(FILE *out, const char *s)
{
	fputs(";   ", out);
	for (; *s; s++)
		fputc(*s >= ' ' && *s < 127 ? *s : '?', out);
	fputc('\n', out);
}

static void scenario(FILE *out, fitter *f, const char *tpath, const char *domain, double rate)
{
	double p[4], s = zipf(f), span = (f->t1 - f->t0) / 3600;
	sizes(f, p);
	fprintf(out, "; mxsim fit: %ld messages over %.1f h from %ld clients\n", f->msgs, span,
		f->nclients);
	fprintf(out, "; %ld lines read, %ld of them no Postfix or Exim line mxsim reads%s\n",
		f->lines, f->skipped, f->nex ? "; the first:" : "");
	for (int i = 0; i < f->nex; i++)
		comment(out, f->example[i]);
	fprintf(out, "[run]\nduration = %.0fd\n\n", fmax(1, ceil(span / 24)));
	fprintf(out, "[traffic]\nrate = %.6g/h\npattern = table\ntable = %s\n", rate, tpath);
	fprintf(out, "size = lnpareto(%.0f, %.4g, %.0f, %.4g)\n\n", p[0], p[1], p[2], p[3]);
	fprintf(out, "[senders]\ncount = %ld\nzipf = %.4g\n\n", f->nclients, s);
	fprintf(out, "[domain %s]\nmx = 10 mx.%s\n\n[server mx]\nhost = mx.%s\n", domain, domain,
		domain);
}

static int usage(void)
{
	fprintf(stderr, "usage: mxsim fit [--format postfix|exim] [--year Y] [--table FILE] "
			"[--domain NAME] LOG...\n");
	return 2;
}

/* Whether s may stand as a value in the scenario printed. */
static bool plain(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ' || *p == ';' || *p == '#' || *p == 127)
			return false;
	return *s && *s != ' ' && s[strlen(s) - 1] != ' ';
}

int fit_main(int argc, char **argv)
{
	static const struct option lo[] = {{"year", required_argument, 0, 'y'},
					   {"table", required_argument, 0, 't'},
					   {"domain", required_argument, 0, 'd'},
					   {"format", required_argument, 0, 'f'},
					   {0, 0, 0, 0}};
	ml_format fmt = ML_ANY;
	const char *tpath = "fit-table.csv", *domain = "example.com";
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	long year = tm.tm_year + 1900;
	char err[UNIT_ERR];
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'y' && unit_int(optarg, 1970, 9999, &year, err))
			return fprintf(stderr, "mxsim: fit: --year: %s\n", err), 2;
		if (c == 't' || c == 'd')
			*(c == 't' ? &tpath : &domain) = optarg;
		if (c == 'f' && strcmp(optarg, "postfix") && strcmp(optarg, "exim"))
			return fprintf(stderr, "mxsim: fit: --format: postfix or exim\n"), 2;
		if (c == 'f')
			fmt = *optarg == 'p' ? ML_POSTFIX : ML_EXIM;
		if (c == '?')
			return usage();
	}
	if (optind == argc || !plain(tpath) || !name_ok_len(domain, 200))
		return usage();
	fitter f = {.year = (int)year,
		    .fmt = fmt,
		    .ids = tab_new(sizeof(long)),
		    .clients = tab_new(sizeof(long))};
	int rc = 0;
	for (int i = optind; i < argc && !rc; i++)
		rc = read_log(&f, argv[i]) ? 2 : 0;
	double rate;
	if (!rc && !f.msgs) {
		fprintf(stderr,
			"mxsim: fit: no message queued in the log (%ld lines, none a Postfix "
			"qmgr from= line or an Exim <= line)\n",
			f.lines);
		rc = 2;
	}
	if (!rc && table(&f, tpath, &rate))
		rc = 2;
	if (!rc)
		scenario(stdout, &f, tpath, domain, rate);
	for (int i = 0; i < f.nex; i++)
		free(f.example[i]);
	free(f.count);
	tab_free(f.ids);
	tab_free(f.clients);
	return rc;
}
