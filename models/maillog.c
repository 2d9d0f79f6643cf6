/*
 * maillog.c - mail log lines (see maillog.h). Formats: Postfix's
 * smtpd(8) "client=" and qmgr(8) "from=<>, size=, nrcpt=" and "removed"
 * lines after "postfix[/...]/NAME[PID]: QUEUEID: ", and smtpd's or
 * postscreen's "QUEUEID|NOQUEUE: reject: WHERE from CLIENT: CODE X.Y.Z
 * TEXT; from=<...> ..." (log_whatsup, src/smtpd/smtpd_check.c), under a
 * syslog stamp ("Dec  7 10:00:00 host") or an ISO 8601 one
 * ("2026-12-07T10:00:00.123 +01:00 host", rsyslog's RFC 3339 format);
 * and Exim's "<=" and "[temporarily ]rejected" lines (src/acl.c,
 * src/smtp_in.c: "rejected MAIL FROM:<...> ...: message too big").
 */
#include "maillog.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds since 1970 of a date and time in UTC: the day's by timegm
 * (glibc), remembered for the next line, which is mostly of the same day
 * (a pure function's memo: the same results, lines read faster). */
static double civil(int y, int mo, int d, int h, int mi, double s)
{
	static int key = -1;
	static double day;
	int k = (y * 13 + mo) * 32 + d;
	if (k != key) {
		struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d};
		day = (double)timegm(&tm), key = k;
	}
	return day + h * 3600 + mi * 60 + s;
}

/* The stamp at the line's start: its time into *t and the rest after the
 * host name; NULL if none. */
static const char *stamp(const char *p, int year, double *t)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int y, mo, d, h, mi, n = 0, oh = 0, om = 0;
	double s;
	char sign = 0;
	if (sscanf(p, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &s, &n) == 6) {
		p += n;
		if (*p == 'Z')
			p++;
		else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2)
			sign = *p, p += 1 + n;
	} else {
		char m[4] = "";
		if (sscanf(p, "%3s %2d %2d:%2d:%lf%n", m, &d, &h, &mi, &s, &n) != 5 ||
		    strlen(m) != 3)
			return NULL;
		const char *at = strstr(mon, m);
		if (!at || (at - mon) % 3)
			return NULL;
		mo = (int)(at - mon) / 3 + 1, y = year, p += n;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(s >= 0 && s < 61))
		return NULL;
	*t = civil(y, mo, d, h, mi, s) - (sign == '+' ? 1 : -1) * (sign ? oh * 3600 + om * 60 : 0);
	while (*p == ' ')
		p++;
	p += strcspn(p, " "); /* the host */
	return *p == ' ' ? p + 1 : NULL;
}

/* Copies the field after key up to one of stop into out (size n); the
 * rest after it, or NULL. */
static const char *field(const char *p, const char *key, const char *stop, char *out, size_t n)
{
	const char *at = strstr(p, key);
	if (!at)
		return NULL;
	at += strlen(key);
	size_t k = strcspn(at, stop);
	if (k == 0 || k >= n)
		return NULL;
	memcpy(out, at, k);
	out[k] = '\0';
	return at + k;
}

/* A reply's text [p, end) as a reason into out: at most ML_REASON - 1
 * printable bytes, each <...> and [...] part and each run of digits made
 * '#', so that one reason for many clients or addresses is one. */
static void reason(const char *p, const char *end, char *out)
{
	size_t n = 0;
	while (p < end && n < ML_REASON - 1) {
		char c = *p++, close = c == '<' ? '>' : c == '[' ? ']' : 0;
		const char *e = close ? memchr(p, close, (size_t)(end - p)) : NULL;
		if (e && n + 3 < ML_REASON) {
			out[n++] = c, out[n++] = '#', out[n++] = close, p = e + 1;
			continue;
		}
		if (isdigit((unsigned char)c)) {
			while (p < end && isdigit((unsigned char)*p))
				p++;
			c = '#';
		}
		out[n++] = c >= ' ' && c < 127 ? c : '?';
	}
	out[n] = '\0';
}

/* Postfix's "reject: WHERE from CLIENT: CODE [X.Y.Z ][<ADDR>: ]TEXT;
 * from=<...> ..." at p into *l; 0 or -1. */
static int postfix_reject(const char *p, ml_line *l)
{
	const char *q = strstr(p, " from ");
	for (q = q ? strstr(q, ": ") : NULL; q; q = strstr(q + 1, ": "))
		if (q[2] >= '2' && q[2] <= '5' && isdigit((unsigned char)q[3]) &&
		    isdigit((unsigned char)q[4]) && q[5] == ' ')
			break;
	if (!q)
		return -1;
	l->code = atoi(q + 2), q += 6;
	size_t e = strspn(q, "0123456789.");
	if (e >= 5 && q[e] == ' ')
		q += e + 1; /* the enhanced status code */
	const char *gt = *q == '<' ? strstr(q, ">: ") : NULL;
	if (gt)
		q = gt + 3; /* the address refused */
	const char *end = q + strlen(q), *cut;
	static const char *const tail[] = {"; from=<", "; to=<", "; proto=", "; helo=<"};
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
		if ((cut = strstr(q, tail[i])) && cut < end)
			end = cut;
	if (end > q && end[-1] == ';')
		end--;
	reason(q, end, l->reason);
	l->too_big = l->code == 552 || strstr(l->reason, "size exceeds") != NULL;
	l->kind = ML_REJECT;
	return 0;
}

/* Exim's "H=... [temporarily ]rejected WHAT: TEXT" or "rejected MAIL
 * FROM:<...> H=...: TEXT" at p (after the stamp
 * and an optional message id) into *l; 0 or -1. */
static int exim_reject(const char *p, ml_line *l)
{
	const char *r = !strncmp(p, "rejected ", 9) ? p
			: !strncmp(p, "H=", 2)      ? strstr(p, " rejected ")
						    : NULL;
	if (!r)
		return -1;
	bool temp = r - p >= 12 && !strncmp(r - 12, " temporarily", 12);
	const char *q = strstr(r, ": ");
	q = q ? q + 2 : r + strlen(r);
	reason(q, q + strlen(q), l->reason);
	l->too_big = strstr(q, "message too big") != NULL;
	l->code = temp ? 450 : l->too_big ? 552 : 550; /* smtp_in.c: 552 for the size */
	l->kind = ML_REJECT;
	return 0;
}

/* Exim's main log: "2026-12-07 10:00:00 [+0100 ]ID <= SENDER ... H=NAME
 * [ADDR] ... S=SIZE ..." (The Exim Specification, "Log files"); 0 or -1. */
static int exim(const char *p, ml_line *l)
{
	int y, mo, d, h, mi, s, n = 0, tz = 0;
	if (sscanf(p, "%4d-%2d-%2d %2d:%2d:%2d %n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || !n ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	p += n;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%4d %n", &tz, &n) == 1 && n == 5)
		tz = (*p == '+' ? 1 : -1) * (tz / 100 * 3600 + tz % 100 * 60), p += 1 + n;
	l->t = civil(y, mo, d, h, mi, s) - tz;
	size_t k = strspn(p, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-");
	if (k < 16 || k >= ML_ID || strncmp(p + k, " <= ", 4)) {
		if (exim_reject(k >= 16 && p[k] == ' ' ? p + k + 1 : p, l) == 0)
			return 0;
		return strchr(p, ' ') ? (l->kind = ML_OTHER, 0) : -1;
	}
	memcpy(l->id, p, k);
	l->id[k] = '\0';
	char num[32], host[ML_CLIENT * 2];
	if (!field(p, " S=", " ", num, sizeof num))
		return -1;
	l->size = strtod(num, NULL);
	const char *at = strstr(p, " H=");
	strcpy(l->client, "local");
	if (at && field(at, "[", "]", host, sizeof host) && strlen(host) < ML_CLIENT)
		strcpy(l->client, host);
	l->kind = ML_RECEIVED;
	return 0;
}

int ml_parse(const char *line, size_t len, int year, ml_format f, ml_line *l)
{
	if (len > 8192 || memchr(line, '\0', len))
		return -1;
	*l = (ml_line){.kind = ML_OTHER};
	if (f != ML_POSTFIX && exim(line, l) == 0)
		return 0;
	if (f == ML_EXIM)
		return -1;
	const char *p = stamp(line, year, &l->t);
	if (!p || strncmp(p, "postfix", 7))
		return -1;
	const char *prog = p + strcspn(p, "[:"), *colon = strstr(p, "]: ");
	if (!colon)
		return -1;
	const char *msg = colon + 3;
	size_t k = strspn(msg, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZbcdfghjklmnpqrstvwxyz");
	if (k < 6 || k >= ML_ID || msg[k] != ':' || msg[k + 1] != ' ')
		return 0; /* a Postfix line without a queue id */
	memcpy(l->id, msg, k);
	l->id[k] = '\0';
	msg += k + 2;
	bool smtpd = prog - p >= 5 && !strncmp(prog - 5, "smtpd", 5);
	char num[32];
	if (smtpd && (field(msg, "client=", ",\n", l->client, sizeof l->client))) {
		char *open = strchr(l->client, '['), *close = open ? strchr(open, ']') : NULL;
		if (open && close && close > open + 1) /* the address: names change, it does not */
			memmove(l->client, open + 1, (size_t)(close - open - 1)),
				l->client[close - open - 1] = '\0';
		l->kind = ML_CLIENT_;
	} else if (!strncmp(msg, "from=<", 6) && field(msg, ", size=", ",", num, sizeof num))
		l->kind = ML_FROM, l->size = strtod(num, NULL);
	else if (!strncmp(msg, "reject: ", 8))
		(void)postfix_reject(msg + 8, l); /* else a line of no use */
	else if (!strcmp(msg, "removed"))
		l->kind = ML_REMOVED;
	return 0;
}
