/*
 * maillog.h - one line of a receiving server's mail log, as `mxsim fit`
 * reads it: Postfix's smtpd (client=), qmgr (from=, size=) and removed
 * lines and its smtpd "reject:" lines, with a traditional syslog time
 * stamp (the year given apart) or an ISO 8601 one; Exim's "<=" and
 * "rejected" lines. Invariant: a line parsed has a time in seconds since
 * 1970 (UTC); nothing of the line is kept beyond the fields copied here,
 * each bounded.
 */
#ifndef MX_MAILLOG_H
#define MX_MAILLOG_H

#include <stddef.h>

enum { ML_ID = 32, ML_CLIENT = 128, ML_REASON = 80 };

typedef enum {
	ML_OTHER,    /* a Postfix line of no use here */
	ML_CLIENT_,  /* smtpd: ID: client=NAME[ADDR] */
	ML_FROM,     /* qmgr: ID: from=<...>, size=N, nrcpt=K (the message queued) */
	ML_REMOVED,  /* qmgr: ID: removed */
	ML_RECEIVED, /* Exim: ID <= sender H=... [ADDR] ... S=N: client and size at once */
	ML_REJECT    /* an SMTP command refused: code, reason */
} ml_kind;

/* Which logs a line may come from (mxsim fit --format). */
typedef enum { ML_ANY, ML_POSTFIX, ML_EXIM } ml_format;

typedef struct {
	ml_kind kind;
	double t; /* s since 1970, UTC */
	char id[ML_ID];
	char client[ML_CLIENT]; /* ML_CLIENT_, ML_RECEIVED: the client's address ("local":
				 * none) */
	double size;            /* ML_FROM, ML_RECEIVED: bytes */
	int code;               /* ML_REJECT: the reply code (Exim, which does not log
				 * it: 450 if "temporarily", 552 for the size, else 550) */
	int too_big;            /* ML_REJECT: a message size limit refused it */
	char reason[ML_REASON]; /* ML_REJECT: the reply's text, each address, number
				 * and bracketed part made '#' ("" for none) */
} ml_line;

/* Parses line (len bytes, NUL-terminated, no newline) of a log of
 * format f, with year for syslog stamps; 0 and *l filled, or -1 if it is
 * no line mxsim reads. */
int ml_parse(const char *line, size_t len, int year, ml_format f, ml_line *l);

#endif
