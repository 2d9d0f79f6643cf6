/*
 * zone.c - `mxsim zone`: the user's zone files as scenario sections, and
 * their MX records checked before they are published (models/zonefile.h).
 *
 *   mxsim zone FILE...                       [domain] sections, findings
 *   mxsim zone --before A --after B --at T   A's sections, B's as a
 *                                            [timeline] change at T
 *   --offline                                no lookups (dangling.h)
 *   --resolver ADDR[@PORT]                   the lookups' resolver
 *   --simulate [--rate R]                    each finding's cost (zonesim.h)
 *
 * Sections go to stdout, findings ("file:line: warning: ...") to stderr,
 * and after each its cost with --simulate. Exit 0 clean, 1 findings, 2 a
 * file unreadable or not a zone.
 */
#include "zone.h"
#include "dangling.h"
#include "zonesim.h"
#include "../models/zonefile.h"
#include "../sim/infile.h"
#include "../sim/units.h"
#include "../sim/xalloc.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { ZONE_MAX_BYTES = 64 << 20, RATE_MAX = 100000 /* an hour: --simulate's runs stay short */ };

typedef struct {
	bool offline, simulate;
	const char *resolver;
	double rate; /* messages an hour */
} opts;

/* path into z, checked (the lookups unless o->offline); 0 or -1 after a
 * message. */
static int load(const char *path, zf_zone *z, const opts *o)
{
	char err[(int)INFILE_ERR > (int)ZF_ERR ? (int)INFILE_ERR : (int)ZF_ERR];
	FILE *f = infile_open(path, ZONE_MAX_BYTES, err);
	if (!f) {
		fprintf(stderr, "mxsim: zone: %s\n", err);
		*z = (zf_zone){0};
		return -1;
	}
	struct stat st; /* a regular file of at most ZONE_MAX_BYTES (infile_open) */
	size_t size = fstat(fileno(f), &st) == 0 ? (size_t)st.st_size : ZONE_MAX_BYTES;
	char *text = xmalloc(size + 1);
	size_t n = fread(text, 1, size, f);
	fclose(f);
	int rc = zf_read(path, text, n, z, err);
	free(text);
	if (rc) {
		fprintf(stderr, "mxsim: zone: %s\n", err);
		return -1;
	}
	zf_check(z);
	int silent = o->offline ? 0 : dg_check(z, o->resolver);
	if (silent > 0)
		fprintf(stderr,
			"mxsim: zone: note: %s: %d registrable domain%s of MX targets got no "
			"answer; not checked\n",
			path, silent, silent > 1 ? "s" : "");
	return silent < 0 ? -1 : 0;
}

/* "10 mx1.example, 20 mx2.example", "null" or "none". */
static void records(FILE *out, const zf_domain *d)
{
	if (!d || !d->nmx) {
		fputs("none", out);
		return;
	}
	if (d->nmx == 1 && !strcmp(d->mx[0].target, ".")) {
		fputs("null", out);
		return;
	}
	for (int k = 0, first = 1; k < d->nmx; k++)
		if (strcmp(d->mx[k].target, ".")) {
			fprintf(out, "%s%u %s", first ? "" : ", ", d->mx[k].pref, d->mx[k].target);
			first = 0;
		}
}

static void duration(FILE *out, long s)
{
	char buf[64];
	unit_format_duration((sim_time)s * SIM_SEC, buf, sizeof buf);
	fputs(s ? buf : "0s", out);
}

/* A [domain] section per domain of z (as named, with its records). */
static void sections(FILE *out, const zf_zone *z)
{
	for (int i = 0; i < z->ndom; i++) {
		const zf_domain *d = &z->dom[i];
		bool plain = !strpbrk(z->path, "\n\r"); /* a path is no line of the scenario */
		fprintf(out, "; %s:%d\n[domain %s]\nmx = ", plain ? z->path : "(zone)", d->line,
			d->name);
		records(out, d);
		fputs("\nmx_ttl = ", out);
		duration(out, d->mx_ttl);
		if (z->neg_ttl >= 0) {
			fputs("\nneg_ttl = ", out);
			duration(out, z->neg_ttl);
		}
		fputs("\n\n", out);
	}
}

/* The change from before to after at `at`: a [timeline] line per domain
 * whose records or TTL change. */
static void timeline(FILE *out, const zf_zone *before, const zf_zone *after, const char *at)
{
	fputs("[timeline]\n", out);
	for (int i = 0; i < after->ndom; i++) {
		const zf_domain *a = &after->dom[i], *b = zf_domain_of(before, a->name);
		if (!b || a->mx_ttl != b->mx_ttl) {
			fprintf(out, "%s = ttl %s ", at, a->name);
			duration(out, a->mx_ttl);
			fputc('\n', out);
		}
		fprintf(out, "%s = mx %s ", at, a->name);
		records(out, a);
		fputc('\n', out);
	}
	for (int i = 0; i < before->ndom; i++)
		if (!zf_domain_of(after, before->dom[i].name))
			fprintf(out, "%s = mx %s none\n", at, before->dom[i].name);
}

static int usage(void)
{
	fprintf(stderr, "usage: mxsim zone [OPTIONS] FILE...\n"
			"       mxsim zone [OPTIONS] --before FILE --after FILE --at TIME\n"
			"options: --offline | --resolver ADDR[@PORT], --simulate [--rate N/h]\n");
	return 2;
}

/* Prints z's findings (and with o->simulate their costs); their number,
 * or -1 after a message. */
static int said(const zf_zone *z, const opts *o)
{
	for (int i = 0; i < z->nfind; i++) {
		fprintf(stderr, "%s\n", z->finding[i].text);
		if (o->simulate && zs_cost(z, i, o->rate, stderr))
			return -1;
	}
	return z->nfind;
}

/* --before, --after, --at; 0, 1 or 2. */
static int change(const char *bpath, const char *apath, const char *at, const opts *o)
{
	sim_time t;
	char err[UNIT_ERR];
	if (unit_when(at, 0, &t, err) || strpbrk(at, "\n;#[]=")) {
		fprintf(stderr, "mxsim: zone: --at: %s\n", *err ? err : "expected a time");
		return 2;
	}
	zf_zone b = {0}, a = {0};
	int rc = load(bpath, &b, o) || load(apath, &a, o) ? 2 : 0;
	if (rc == 0) {
		zf_compare(&b, &a);
		sections(stdout, &b);
		for (int i = 0; i < a.ndom; i++)
			if (!zf_domain_of(&b, a.dom[i].name))
				fprintf(stdout, "[domain %s]\nmx = none\n\n", a.dom[i].name);
		timeline(stdout, &b, &a, at);
		int nb = said(&b, o), na = nb < 0 ? -1 : said(&a, o);
		rc = nb < 0 || na < 0 ? 2 : nb + na ? 1 : 0;
	}
	zf_free(&a);
	zf_free(&b);
	return rc;
}

/* The options into *o and the change's files; 0, or 2 after a message. */
static int options(int argc, char **argv, opts *o, const char *ch[3])
{
	static const struct option lo[] = {
		{"before", required_argument, 0, 'b'},   {"after", required_argument, 0, 'a'},
		{"at", required_argument, 0, 't'},       {"offline", no_argument, 0, 'o'},
		{"resolver", required_argument, 0, 'r'}, {"simulate", no_argument, 0, 's'},
		{"rate", required_argument, 0, 'R'},     {0, 0, 0, 0}};
	char err[UNIT_ERR] = "";
	double per_sec;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'b' || c == 'a' || c == 't')
			ch[c == 'b' ? 0 : c == 'a' ? 1 : 2] = optarg;
		else if (c == 'o' || c == 's')
			*(c == 'o' ? &o->offline : &o->simulate) = true;
		else if (c == 'r')
			o->resolver = optarg;
		else if (c == 'R' && (unit_rate(optarg, &per_sec, err) || !(per_sec > 0) ||
				      per_sec * 3600 > RATE_MAX))
			return fprintf(stderr, "mxsim: zone: --rate: %s\n",
				       *err ? err : "expected a rate above 0 and at most 100000/h"),
			       2;
		else if (c == 'R')
			o->rate = per_sec * 3600;
		else
			return usage();
	}
	if (o->offline && o->resolver)
		return fprintf(stderr, "mxsim: zone: --offline or --resolver, not both\n"), 2;
	bool some = ch[0] || ch[1] || ch[2], all = ch[0] && ch[1] && ch[2];
	return (some && (!all || optind != argc)) || (!some && optind == argc) ? usage() : 0;
}

int zone_main(int argc, char **argv)
{
	opts o = {.rate = 1000};
	const char *ch[3] = {NULL, NULL, NULL};
	int rc = options(argc, argv, &o, ch);
	if (rc)
		return rc;
	if (ch[0])
		return change(ch[0], ch[1], ch[2], &o);
	int found = 0;
	for (int i = optind; i < argc; i++) {
		zf_zone z;
		int n = load(argv[i], &z, &o) ? -1 : (sections(stdout, &z), said(&z, &o));
		zf_free(&z);
		if (n < 0)
			return 2;
		found += n;
	}
	return found ? 1 : 0;
}
