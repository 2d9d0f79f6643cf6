/*
 * dns.h - authoritative DNS data of the simulated domains and MX hosts.
 *
 * Names are numbered: the domains first (their MX answers), then the MX
 * host names (their address answers). Each name has a list of versions of
 * its answer; a change appends a version and makes it current, so caches
 * can keep a version number and still read what they were told. Versions
 * with the same records share an rrset id (a TTL change alone keeps it):
 * "old MX" means another rrset id.
 */
#ifndef MX_DNS_H
#define MX_DNS_H

#include "../sim/simtime.h"

#include <stdbool.h>
#include <stdint.h>

/* DNS_NAME_MAX: a name in text, RFC 1035 §2.3.4 (255 octets on the wire). */
enum { DNS_MAX_MX = 8, DNS_NAME_MAX = 253 };

/* A domain or host name in a scenario: letters, digits, '-', '_' and
 * '.', not starting with '.', 1 to DNS_NAME_MAX characters (the preferred
 * name syntax of RFC 1035 §2.3.1, with '_' as used in practice). */
bool dns_name_ok(const char *name);
#define DNS_NAME_RULE "letters, digits, '-', '_' and '.' (not first), at most 253 characters"

typedef enum { DNS_MX, DNS_NODATA, DNS_NXDOMAIN, DNS_NULLMX, DNS_ADDRESS } dns_kind;

typedef struct {
	uint16_t pref;
	uint32_t host;
} dns_mx;

/* What an MX host's name resolves to. */
typedef enum {
	DNS_HOST_SERVER,  /* a simulated server listens */
	DNS_HOST_REFUSE,  /* an address where nothing listens: refused at once */
	DNS_HOST_TIMEOUT, /* an address that drops packets: connect timeout */
	DNS_HOST_NXDOMAIN /* the name does not resolve */
} host_kind;

typedef struct {
	dns_kind kind; /* kind, ttl and rrset first: one cache line */
	int n;
	sim_time ttl;   /* the TTL, or the negative TTL for NODATA/NXDOMAIN */
	uint32_t rrset; /* set by dns_set */
	host_kind addr; /* DNS_ADDRESS: what the address is */
	int server;     /* DNS_HOST_SERVER: which */
	dns_mx mx[DNS_MAX_MX];
} dns_answer;

typedef struct dns dns;

/* Returns a new store of n names, each with no version yet. */
dns *dns_new(int n);
void dns_free(dns *d);

/* Appends a version (copied) for a name and makes it current; returns its
 * version number. */
uint32_t dns_set(dns *d, int domain, const dns_answer *a);
/* Like dns_set with the current records and a new TTL. */
uint32_t dns_set_ttl(dns *d, int domain, sim_time ttl);

uint32_t dns_current(const dns *d, int domain);
/* The rrset id of the current version (= dns_version(d, domain,
 * dns_current(d, domain))->rrset, one read fewer). */
uint32_t dns_current_rrset(const dns *d, int domain);
/* Starts fetching what dns_current and dns_current_rrset read (a hint). */
void dns_prefetch(const dns *d, int domain);
/* Starts fetching the kind and TTL of the first and the current version
 * (a hint; reads what dns_prefetch fetched). */
void dns_prefetch_answers(const dns *d, int domain);
const dns_answer *dns_version(const dns *d, int domain, uint32_t v);

/* Whether the domain's authoritative servers answer (false: unreachable). */
void dns_set_reachable(dns *d, int domain, bool up);
bool dns_reachable(const dns *d, int domain);
/* The domain's MX answers carry its hosts' addresses as additional records
 * (RFC 1035 section 3.3.9; an authority sends them for the names it serves
 * too); host h's name is first_host + h. dns_additional: that first_host,
 * or -1 (none, the default). */
void dns_set_additional(dns *d, int domain, int first_host);
int dns_additional(const dns *d, int domain);

#endif
