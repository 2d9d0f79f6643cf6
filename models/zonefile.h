/*
 * zonefile.h - a domain's zone as published: RFC 1035 master files read
 * with ldns ($ORIGIN, $TTL, relative names, parentheses, @, comments),
 * each domain's MX set with its TTL and negative-caching TTL, and the
 * mistakes of MX records seen in practice, each with the file and line
 * of the record. Names are lower case, without the trailing dot.
 * Invariant: every name kept passes name_ok_len (sim/names.h), so none
 * can carry quotes, spaces or syntax into a scenario.
 */
#ifndef MX_ZONEFILE_H
#define MX_ZONEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { ZF_ERR = 512, ZF_MAX_MX = 16 };

typedef struct {
	uint16_t pref;
	char *target; /* "." for a null MX (RFC 7505) */
	int line;
} zf_mx;

typedef struct {
	char *name;
	zf_mx mx[ZF_MAX_MX];
	int nmx, line; /* line: its first MX record's */
	long mx_ttl;   /* s: the least of the set's (RFC 2181 §5.2) */
} zf_domain;

typedef struct {
	char *name;
	enum { ZF_ADDR, ZF_CNAME } kind;
} zf_owner;

/* What a finding is about; the MX mistakes first. */
typedef enum {
	ZF_ADDRESS,  /* an address as the MX name */
	ZF_TWICE,    /* the origin twice: a trailing dot forgotten */
	ZF_ALIAS,    /* a CNAME as target */
	ZF_NOADDR,   /* an in-zone target without an address record */
	ZF_NULLMX,   /* a null MX beside other MX records */
	ZF_DANGLING, /* a target whose registrable domain does not exist */
	ZF_TTL,      /* a TTL raised by the change */
	ZF_OTHER     /* a record mxsim cannot take, TTLs that differ */
} zf_kind;

typedef struct {
	zf_kind kind;
	int dom, mx; /* the domain (z->dom's index) and its record (-1: none) */
	char *text;  /* "file:line: warning: ..." */
} zf_finding;

typedef struct {
	char *path, *origin;
	long neg_ttl; /* s: the SOA's TTL and MINIMUM, the least (RFC 2308 §5); -1: no SOA */
	zf_domain *dom;
	int ndom;
	zf_owner *own; /* the owners of addresses and aliases (what the checks need) */
	int nown;
	long nrecords; /* read */
	zf_finding *finding;
	int nfind;
} zf_zone;

/* Reads the master file of text[0..len) (path names it in messages);
 * 0, or -1 with "path:line: why" in err. Free *z with zf_free either
 * way. */
int zf_read(const char *path, const char *text, size_t len, zf_zone *z, char *err);
/* Adds a finding for each mistake of z's MX sets: an address as the MX
 * name, a name relative to the origin where a trailing dot was meant, a
 * CNAME as target (RFC 2181 §10.3), a target in the zone without an
 * address record, a null MX beside other MX records (RFC 7505 §3). */
void zf_check(zf_zone *z);
/* The findings of a change from before to after (in after): a TTL
 * raised. */
void zf_compare(const zf_zone *before, zf_zone *after);
/* Adds a finding of kind about domain dom's record mx (-1: none) at
 * line; text as printf. */
void zf_add_finding(zf_zone *z, zf_kind kind, int dom, int mx, int line, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Whether name is name2 or under it, at a label boundary. */
bool zf_under(const char *name, const char *suffix);
/* The domain named name in z, or NULL. */
const zf_domain *zf_domain_of(const zf_zone *z, const char *name);
void zf_free(zf_zone *z);

#endif
