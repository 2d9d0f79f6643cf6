/*
 * assume.h - the assumptions: every input of the default scenario nobody
 * measured for the user's domain, one row each, with a low, a default and
 * a high value, its unit and its source ("assumption" where there is
 * none). `mxsim help assumptions` and models/README.md's table come from
 * it. Invariant: a row's default is what a scenario gets without setting
 * it, and scn_assumption_sets(a, default) changes no run.
 *
 * A(name, KIND, item, key, low, default, high, unit, what, source):
 *   RES_SHARE  the share of the senders' mail through resolver profile item
 *              ([resolvers] profiles; the other shares scaled to make room)
 *   MTA_SHARE  the share of the mail sent by MTA profile item ([senders])
 *   RES_KEY    key of resolver profile item (a [resolver] of its name)
 *   MTA_KEY    key of MTA profile item (a [profile] of its name)
 *   KEY        the key named by item, as --set names it, its value key
 *              with %g for the assumption's value
 */
#ifndef MX_ASSUME_H
#define MX_ASSUME_H

#include <stddef.h>
#include <stdio.h>

#define SCN_SRC_STRETCH                                                                      \
	"Bhowmick et al., PAM 2023: 8.74 % of 8,524 resolver addresses extend TTLs (by how " \
	"much unpublished); the 10 min / 1 h split fitted to Flavel, Mani and Maltz, IEEE "  \
	"LANMAN 2014"

/* clang-format off */
#define SCN_ASSUMPTIONS(A)                                                                       \
	A(floor_10m_share, RES_SHARE, "floor-10m", "", 0, 0.0607, 0.0874, "share",              \
	  "the senders' mail through resolvers that keep answers at least 10 min", SCN_SRC_STRETCH) \
	A(floor_1h_share, RES_SHARE, "floor-1h", "", 0, 0.0267, 0.0874, "share",                \
	  "the senders' mail through resolvers that keep answers at least 1 h", SCN_SRC_STRETCH)  \
	A(floor_10m_length, RES_KEY, "floor-10m", "floor", 300, 600, 1800, "s",                  \
	  "how long the short-floor resolvers keep any answer at least",                         \
	  "assumption: fitted to Flavel, Mani and Maltz, IEEE LANMAN 2014 (web clients)")       \
	A(floor_1h_length, RES_KEY, "floor-1h", "floor", 1800, 3600, 21600, "s",                 \
	  "how long the long-floor resolvers keep any answer at least",                          \
	  "assumption: fitted to Flavel, Mani and Maltz, IEEE LANMAN 2014; 6 h a cache-min-ttl " \
	  "at Google's cap")                                                                     \
	A(google_share, RES_SHARE, "google", "", 0.10, 0.25, 0.40, "share",                      \
	  "the senders' mail through Google Public DNS",                                         \
	  "assumption: public resolvers' share of mail servers' lookups is unmeasured")          \
	A(google_cap, RES_KEY, "google", "cap", 3600, 21600, 86400, "s",                         \
	  "Google Public DNS's TTL cap",                                                          \
	  "measured in 2023: Google Public DNS 6 h (1 h as OpenDNS caps, 1 d as Unbound's "      \
	  "max-cache-ttl)")                                                                      \
	A(quad9_cap, RES_KEY, "quad9", "cap", 3600, 43200, 86400, "s", "Quad9's TTL cap",        \
	  "measured in 2023: Quad9 12 h")                                                        \
	A(google_caches, RES_KEY, "google", "caches", 1, 1, 8, "",                               \
	  "the caches Google Public DNS splits its answers over, each fetching on its own",      \
	  "Moura et al., IMC 2018: about 30 % of clients see no benefit from caching, their "    \
	  "resolvers' caches split across servers; how many per resolver unmeasured")            \
	A(exim_share, MTA_SHARE, "exim", "", 0.05, 0.15, 0.557, "share", "the mail sent by Exim", \
	  "Security Space mail server survey, December 2023: Exim on 55.7 % of 609,378 SMTP "    \
	  "servers (a share of servers, not of mail)")                                           \
	A(gmail_share, MTA_SHARE, "gmail", "", 0.10, 0.20, 0.285, "share",                       \
	  "the mail sent by Gmail", "Liu et al., IMC 2021: Google hosts 28.5 % of popular domains") \
	A(exchange_online_share, MTA_SHARE, "exchange-online", "", 0.05, 0.15, 0.25, "share",    \
	  "the mail sent by Exchange Online",                                                    \
	  "Liu et al., IMC 2021: Microsoft hosts 10.8 % of popular domains")                     \
	A(postfix_lifetime, MTA_KEY, "postfix", "lifetime", 86400, 432000, 604800, "s",          \
	  "how long Postfix senders keep trying",                                                \
	  "postconf(5): maximal_queue_lifetime 5d by default; 1 d where operators shorten it, "   \
	  "7 d as qmail's")                                                                      \
	A(exim_lifetime, MTA_KEY, "exim", "lifetime", 86400, 345600, 604800, "s",                \
	  "how long Exim senders keep trying",                                                   \
	  "The Exim Specification: the default retry rule ends after 4 d")                       \
	A(exim_queue_run, MTA_KEY, "exim", "queue_run", 900, 1800, 3600, "s",                    \
	  "how often Exim's queue runners try deferred mail",                                    \
	  "Debian's /etc/default/exim4: QUEUEINTERVAL='30m'; Fedora's /etc/sysconfig/exim: "     \
	  "QUEUE=1h; 15 min where operators shorten it")                                         \
	A(exchange_online_lifetime, MTA_KEY, "exchange-online", "lifetime", 43200, 86400, 172800, \
	  "s", "how long Exchange Online keeps trying",                                           \
	  "Microsoft Learn: Exchange Online expires messages after 24 h")                        \
	A(gmail_lifetime, MTA_KEY, "gmail", "lifetime", 86400, 172800, 432000, "s",              \
	  "how long Gmail keeps trying", "assumption: nothing published")                        \
	A(sendmail_lifetime, MTA_KEY, "sendmail", "lifetime", 86400, 432000, 604800, "s",        \
	  "how long Sendmail senders keep trying",                                               \
	  "Sendmail Installation and Operation Guide: Timeout.queuereturn 5d by default; 1 d "   \
	  "to 7 d where operators change it (assumption)")                                       \
	A(exchange_lifetime, MTA_KEY, "exchange", "lifetime", 86400, 172800, 604800, "s",        \
	  "how long Exchange Server senders keep trying",                                        \
	  "Microsoft Learn: MessageExpirationTimeout 2d by default (configurable to 90 d)")      \
	A(qmail_lifetime, MTA_KEY, "qmail", "lifetime", 86400, 604800, 1209600, "s",             \
	  "how long qmail senders keep trying",                                                  \
	  "qmail-control(5): queuelifetime 604800 (7 d) by default")                             \
	A(opensmtpd_lifetime, MTA_KEY, "opensmtpd", "lifetime", 86400, 345600, 604800, "s",      \
	  "how long OpenSMTPD senders keep trying", "smtpd.conf(5): expire 4d by default")       \
	A(size_tail, KEY, "traffic.size", "lnpareto(4KB, 1.2, 32KB, %g)", 1.1, 1.3, 2.0, "",     \
	  "the tail index of message sizes above 32 KB",                                         \
	  "assumption: the lognormal body after Shah and Noble 2007; the tail unmeasured")       \
	A(office_peak, KEY, "traffic.office_peak", "%g", 3, 9, 20, "",                            \
	  "with `pattern = office`, the business hours' rate over the night's",                   \
	  "assumption: a domain's inbound mail by hour is unpublished; 9 puts 2.3 times the "     \
	  "week's mean rate in business hours")                                                  \
	A(sender_zipf, KEY, "senders.zipf", "%g", 0.5, 1, 1.5, "",                                \
	  "how much of the mail the biggest senders send (Zipf exponent)",                        \
	  "assumption: \"a few big senders send most mail\"")
/* clang-format on */

typedef enum {
	SCN_ASSUME_RES_SHARE,
	SCN_ASSUME_MTA_SHARE,
	SCN_ASSUME_RES_KEY,
	SCN_ASSUME_MTA_KEY,
	SCN_ASSUME_KEY
} scn_assume_kind;

typedef struct {
	const char *name;
	scn_assume_kind kind;
	const char *item, *key; /* see above */
	double low, def, high;  /* in unit: "s", "share" or "" */
	const char *unit, *what, *source;
} scn_assumption;

#define SCN_ASSUME_ID(n, ...) SCN_A_##n,
typedef enum { SCN_ASSUMPTIONS(SCN_ASSUME_ID) SCN_A_N } scn_assumption_id;

extern const scn_assumption scn_assumptions[SCN_A_N];

/* `mxsim help assumptions`: the table as markdown. */
void scn_print_assumptions(FILE *out);
/* The --set overrides ("section.key=value", each allocated) that put
 * assumption a at value v, into sets[0..2]; their count. */
int scn_assumption_sets(scn_assumption_id a, double v, char **sets);

typedef struct scn scn; /* scenario.h */
/* The range --sensitivity gives assumption a at s: [assumption NAME] low
 * and high, else the table's; *line: that section's (0: the table's). */
void scn_assumption_range(const scn *s, scn_assumption_id a, double *lo, double *hi, int *line);
/* Why s decides assumption a itself, so that --sensitivity leaves it:
 * "set by the scenario (file:line)", "no ITEM in the scenario's [...]
 * profiles" (in buf), or "" if it does not. */
const char *scn_assumption_own(const scn *s, scn_assumption_id a, char *buf, size_t len);

#endif
