/*
 * maillog.h - one line of a receiving server's mail log, as `mxsim fit`
 * reads it: Postfix's smtpd (client=), qmgr (from=, size=) and removed
 * lines, with a traditional syslog time stamp (the year given apart) or
 * an ISO 8601 one. Invariant: a line parsed has a time in seconds since
 * 1970 (UTC) and a queue id; nothing of the line is kept beyond the
 * fields copied here, each bounded.
 */
#ifndef MX_MAILLOG_H
#define MX_MAILLOG_H

#include <stddef.h>

enum { ML_ID = 32, ML_CLIENT = 128 };

typedef enum {
	ML_OTHER,   /* a Postfix line of no use here */
	ML_CLIENT_, /* smtpd: ID: client=NAME[ADDR] */
	ML_FROM,    /* qmgr: ID: from=<...>, size=N, nrcpt=K (the message queued) */
	ML_REMOVED, /* qmgr: ID: removed */
	ML_RECEIVED /* Exim: ID <= sender H=... [ADDR] ... S=N: client and size at once */
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
} ml_line;

/* Parses line (len bytes, NUL-terminated, no newline) of a log of
 * format f, with year for syslog stamps; 0 and *l filled, or -1 if it is
 * no line mxsim reads. */
int ml_parse(const char *line, size_t len, int year, ml_format f, ml_line *l);

#endif
