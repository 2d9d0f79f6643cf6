/*
 * fit.c - `mxsim fit LOG...`: a receiving server's Postfix or Exim log,
 * read as a stream (gzip'd or not, models/maillog.h), turned into a
 * scenario of its traffic on stdout: the mean rate, the 168 hours of the
 * week as a table (--table FILE), the sizes as lnpareto fitted by maximum
 * likelihood (sim/estimate.h) or as the empirical table seen (--sizes
 * FILE), the senders' count and Zipf exponent (maximum likelihood), and
 * what was seen, as comments: the span, the refusals by reply code and
 * reason, the size limit's. fit.png (--plot FILE, plot/fitview.h) shows
 * the log against the fit. Every file is created new: when one exists
 * already nothing is written.
 *
 * Memory: a queue id is held from its first line to "removed"; a client
 * per distinct address; an hour per hour of the span; sizes in a
 * histogram of fixed bins; at most REASONS reasons. Nothing grows with
 * the log's length but the clients and the span.
 */
#include "fit.h"
#include "../models/maillog.h"
#include "../plot/fitview.h"
#include "../sim/csvw.h"
#include "../sim/estimate.h"
#include "../sim/names.h"
#include "../sim/outfile.h"
#include "../sim/table.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum { WEEK = 168, EXAMPLES = 10, LINE_MAX_B = 65536, REASONS = 40 };
enum { SPAN_MAX_H = 2 * 366 * 24 };

typedef struct {
	int code;
	char text[ML_REASON];
	long n;
} reason;

typedef struct {
	int year;
	ml_format fmt;
	double t0, t1;
	long msgs, lines, skipped;
	double week[WEEK];
	est_hist sizes;
	double *hours; /* messages in hour h0 + i, i < nh (cap allocated) */
	long h0, nh, hcap;
	bool too_long;
	reason reason[REASONS];
	int nreasons;
	long refused[6], refused_other[6]; /* by the code's first digit */
	long too_big;                      /* refused by the size limit */
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

/* One more message in hour hr (since 1970) of the span's hours. */
static void hour(fitter *f, long hr)
{
	if (!f->nh)
		f->h0 = hr;
	long lo = hr < f->h0 ? hr : f->h0, n = (hr >= f->h0 + f->nh ? hr + 1 : f->h0 + f->nh) - lo;
	if (n > SPAN_MAX_H) {
		f->too_long = true;
		return;
	}
	if (n > f->hcap)
		f->hours = xrealloc(f->hours, (size_t)(f->hcap = 2 * n) * sizeof *f->hours);
	if (lo < f->h0) {
		memmove(f->hours + (f->h0 - lo), f->hours, (size_t)f->nh * sizeof *f->hours);
		memset(f->hours, 0, (size_t)(f->h0 - lo) * sizeof *f->hours);
	}
	for (long i = f->nh + (f->h0 - lo); i < n; i++)
		f->hours[i] = 0;
	f->h0 = lo, f->nh = n;
	f->hours[hr - lo]++;
}

/* The hour of the week (Monday 00:00 first) of hour hr since 1970. */
static int week_hour(long hr)
{
	long days = hr / 24 - (hr % 24 < 0); /* 1970-01-01 was a Thursday */
	return (int)(((days + 3) % 7 + 7) % 7 * 24 + ((hr % 24) + 24) % 24);
}

/* A message queued at t with this size, from client c (-1: local). */
static void message(fitter *f, double t, double size, long c)
{
	f->t0 = f->msgs ? fmin(f->t0, t) : t;
	f->t1 = f->msgs ? fmax(f->t1, t) : t;
	f->msgs++;
	f->week[week_hour((long)floor(t / 3600))]++;
	hour(f, (long)floor(t / 3600));
	est_hist_add(&f->sizes, size);
	long i = c >= 0 ? c : client_of(f, "local"); /* (it may move f->count) */
	f->count[i]++;
}

/* A refusal, counted by its code's class and its (code, reason). */
static void refused(fitter *f, const ml_line *l)
{
	int k = l->code / 100 % 6;
	f->refused[k]++;
	f->too_big += l->too_big != 0;
	for (int i = 0; i < f->nreasons; i++)
		if (f->reason[i].code == l->code && !strcmp(f->reason[i].text, l->reason)) {
			f->reason[i].n++;
			return;
		}
	if (f->nreasons == REASONS) {
		f->refused_other[k]++;
		return;
	}
	reason *r = &f->reason[f->nreasons++];
	r->code = l->code, r->n = 1;
	memcpy(r->text, l->reason, sizeof r->text);
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
	if (l.kind == ML_REJECT)
		refused(f, &l);
	if (l.kind == ML_RECEIVED) /* Exim: all of a message on one line */
		message(f, l.t, l.size, client_of(f, l.client));
	if (l.kind == ML_OTHER || l.kind == ML_RECEIVED || l.kind == ML_REJECT)
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

/* The 168 hours' mean messages per hour (Monday 00:00 first) into
 * rates, each hour of the week over the times the span covers it (an
 * hour it never covers: the mean); the mean rate. */
static double rates(const fitter *f, double rates[WEEK])
{
	double seen[WEEK] = {0};
	for (long i = 0; i < f->nh; i++)
		seen[week_hour(f->h0 + i)]++;
	double mean = (double)f->msgs / (double)f->nh;
	for (int h = 0; h < WEEK; h++)
		rates[h] = seen[h] > 0 ? f->week[h] / seen[h] : mean;
	return mean;
}

/* A CSV of rows (value) or (value, weight) into path, created new;
 * 0 or -1 after a message. */
static int write_csv(const char *path, const double *v, const double *w, int n)
{
	const char *base;
	char *dir = outfile_folder(path, &base);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = -1;
	csvw c;
	if (fd >= 0 && csvw_create(&c, fd, base) == 0) {
		for (int i = 0; i < n; i++)
			if (!w || w[i] > 0) {
				csvw_num(&c, v[i]);
				if (w)
					csvw_num(&c, w[i]);
				csvw_end(&c);
			}
		rc = csvw_close(&c);
	}
	if (rc)
		fprintf(stderr, "mxsim: fit: %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* The bins' centres in whole bytes: the sizes of the empirical table. */
static void centres(double v[EST_BINS])
{
	for (int b = 0; b < EST_BINS; b++)
		v[b] = round(est_hist_centre(b));
}

/* The sizes seen as an empirical table: each bin's count at its centre. */
static int write_sizes(const fitter *f, const char *path)
{
	double v[EST_BINS];
	centres(v);
	return write_csv(path, v, f->sizes.n, EST_BINS);
}

/* A log line as a comment: printable ASCII only. */
static void comment(FILE *out, const char *s)
{
	fputs(";   ", out);
	for (; *s; s++)
		fputc(*s >= ' ' && *s < 127 ? *s : '?', out);
	fputc('\n', out);
}

static int by_n(const void *a, const void *b)
{
	const reason *x = a, *y = b;
	return x->n > y->n ? -1 : x->n < y->n ? 1 : x->code - y->code;
}

/* The refusals seen, as comments: by class, then by reason, most first. */
static void refusals(FILE *out, fitter *f)
{
	long all = f->refused[4] + f->refused[5], n = f->msgs + all;
	fprintf(out,
		"; refused: %ld of %ld transactions (%.2f %%): 4xx %ld (%.2f %%), 5xx %ld "
		"(%.2f %%)%s\n",
		all, n, 100.0 * (double)all / (double)n, f->refused[4],
		100.0 * (double)f->refused[4] / (double)n, f->refused[5],
		100.0 * (double)f->refused[5] / (double)n,
		f->nreasons ? "; by reply and reason:" : "");
	qsort(f->reason, (size_t)f->nreasons, sizeof *f->reason, by_n);
	for (int i = 0; i < f->nreasons; i++) {
		char line[ML_REASON + 64];
		snprintf(line, sizeof line, "%d %6.2f %% %8ld  %s", f->reason[i].code,
			 100.0 * (double)f->reason[i].n / (double)n, f->reason[i].n,
			 f->reason[i].text);
		comment(out, line);
	}
	for (int k = 4; k <= 5; k++)
		if (f->refused_other[k])
			fprintf(out, ";   %dxx %ld more, of other reasons\n", k,
				f->refused_other[k]);
	fprintf(out, "; refused by the message size limit: %ld (%.3f %% of transactions)\n",
		f->too_big, 100.0 * (double)f->too_big / (double)n);
}

typedef struct {
	const char *table, *sizes, *plot, *domain;
} names;

static void scenario(FILE *out, fitter *f, const names *o, double rate, const double p[4])
{
	double s = f->nclients > 1 ? est_zipf(f->count, f->nclients) : 0, span = f->t1 - f->t0;
	fprintf(out,
		"; mxsim fit: %ld messages over %.*f %s from %ld clients, in %ld hours of "
		"the clock\n",
		f->msgs, span < 3600 ? 0 : 1, span < 3600 ? span : span / 3600,
		span < 3600 ? "s" : "h", f->nclients, f->nh);
	refusals(out, f);
	fprintf(out, "; %ld lines read, %ld of them no Postfix or Exim line mxsim reads%s\n",
		f->lines, f->skipped, f->nex ? "; the first:" : "");
	for (int i = 0; i < f->nex; i++)
		comment(out, f->example[i]);
	fprintf(out, "[run]\nduration = %.0fd\n\n", fmax(1, ceil(span / 86400)));
	fprintf(out, "[traffic]\nrate = %.6g/h\npattern = table\ntable = %s\n", rate, o->table);
	if (o->sizes)
		fprintf(out, "size = empirical(%s)\n\n", o->sizes);
	else
		fprintf(out, "size = lnpareto(%.0f, %.4g, %.0f, %.4g)\n\n", p[0], p[1], p[2], p[3]);
	fprintf(out, "[senders]\ncount = %ld\nzipf = %.4g\n\n", f->nclients, s);
	fprintf(out, "[domain %s]\nmx = 10 mx.%s\n\n[server mx]\nhost = mx.%s\n", o->domain,
		o->domain, o->domain);
}

/* fit.png: the span's hours against the table, the sizes against p's. */
static int plot(const fitter *f, const char *path, const double week[WEEK], const double p[4],
		const char *sizes)
{
	double *fitted = xmalloc((size_t)f->nh * sizeof *fitted);
	for (long i = 0; i < f->nh; i++)
		fitted[i] = week[week_hour(f->h0 + i)];
	dist d = {.kind = DIST_LNPARETO, .p = {p[0], p[1], p[2], p[3]}};
	double v[EST_BINS];
	if (sizes)
		centres(v), dist_empirical(&d, v, f->sizes.n, EST_BINS);
	long day0 = f->h0 / 24 - (f->h0 % 24 < 0);
	fv_data fv = {.seen = f->hours,
		      .fitted = fitted,
		      .hours = f->nh,
		      .start_day = week_hour(day0 * 24) / 24,
		      .first_hour = (int)(f->h0 - day0 * 24),
		      .sizes = &f->sizes,
		      .size = &d};
	int rc = fv_plot(path, &fv);
	dist_clear(&d);
	free(fitted);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: mxsim fit [--format postfix|exim] [--year Y] [--table FILE] "
			"[--sizes FILE] [--plot FILE.png] [--domain NAME] LOG...\n");
	return 2;
}

/* Whether s may stand as a value in the scenario printed. */
static bool plain(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ' || *p == ';' || *p == '#' || *p == 127 || *p == ')')
			return false;
	return *s && *s != ' ' && s[strlen(s) - 1] != ' ';
}

/* The options into *o, *fmt and *year; 0, or 2 after a message. */
static int options(int argc, char **argv, names *o, ml_format *fmt, long *year)
{
	static const struct option lo[] = {{"year", required_argument, 0, 'y'},
					   {"table", required_argument, 0, 't'},
					   {"domain", required_argument, 0, 'd'},
					   {"format", required_argument, 0, 'f'},
					   {"sizes", required_argument, 0, 's'},
					   {"plot", required_argument, 0, 'p'},
					   {0, 0, 0, 0}};
	char err[UNIT_ERR];
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'y' && unit_int(optarg, 1970, 9999, year, err))
			return fprintf(stderr, "mxsim: fit: --year: %s\n", err), 2;
		if (c == 't' || c == 'd' || c == 's' || c == 'p')
			*(c == 't'   ? &o->table
			  : c == 'd' ? &o->domain
			  : c == 's' ? &o->sizes
				     : &o->plot) = optarg;
		if (c == 'f' && strcmp(optarg, "postfix") && strcmp(optarg, "exim"))
			return fprintf(stderr, "mxsim: fit: --format: postfix or exim\n"), 2;
		if (c == 'f')
			*fmt = *optarg == 'p' ? ML_POSTFIX : ML_EXIM;
		if (c == '?')
			return usage();
	}
	if (optind == argc || !plain(o->table) || (o->sizes && !plain(o->sizes)) ||
	    !name_ok_len(o->domain, 200))
		return usage();
	const char *out[] = {o->table, o->plot, o->sizes};
	for (int i = 0; i < 3; i++)
		if (out[i] && access(out[i], F_OK) == 0)
			return fprintf(stderr,
				       "mxsim: fit: %s exists; remove it or choose another --%s\n",
				       out[i],
				       i == 0   ? "table"
				       : i == 1 ? "plot"
						: "sizes"),
			       2;
	return 0;
}

/* The fit of a log read whole into its files and stdout; 0 or 2. */
static int finish(fitter *f, const names *o)
{
	if (f->too_long) {
		fprintf(stderr,
			"mxsim: fit: the log spans more than %d days; fit a part of it "
			"(or give --year for stamps without one)\n",
			SPAN_MAX_H / 24);
		return 2;
	}
	double week[WEEK], rate = rates(f, week), p[4];
	est_lnpareto(&f->sizes, p);
	if (write_csv(o->table, week, NULL, WEEK) || (o->sizes && write_sizes(f, o->sizes)))
		return 2;
	scenario(stdout, f, o, rate, p);
	if (plot(f, o->plot, week, p, o->sizes))
		fprintf(stderr, "mxsim: fit: the scenario is fitted, but %s was not drawn\n",
			o->plot);
	return 0;
}

int fit_main(int argc, char **argv)
{
	names o = {.table = "fit-table.csv", .plot = "fit.png", .domain = "example.com"};
	ml_format fmt = ML_ANY;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	long year = tm.tm_year + 1900;
	int rc = options(argc, argv, &o, &fmt, &year);
	if (rc)
		return rc;
	fitter *f = xcalloc(1, sizeof *f);
	f->year = (int)year, f->fmt = fmt;
	f->ids = tab_new(sizeof(long)), f->clients = tab_new(sizeof(long));
	for (int i = optind; i < argc && !rc; i++)
		rc = read_log(f, argv[i]) ? 2 : 0;
	if (!rc && !f->msgs) {
		fprintf(stderr,
			"mxsim: fit: no message queued in the log (%ld lines, none a Postfix "
			"qmgr from= line or an Exim <= line)\n",
			f->lines);
		rc = 2;
	}
	if (!rc)
		rc = finish(f, &o);
	for (int i = 0; i < f->nex; i++)
		free(f->example[i]);
	free(f->count), free(f->hours);
	tab_free(f->ids), tab_free(f->clients);
	free(f);
	return rc;
}
