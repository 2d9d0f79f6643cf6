/*
 * scn_keys.h - every key of a scenario file, one row each: its section,
 * name, kind, bounds, default and help. The schema (scn_keys.c), the
 * identifiers the builders read keys by (K_SECTION_key), the resolved
 * scenario, `mxsim check` and `help keys` all come from this list; adding
 * a key is one row here and its use in a builder.
 *
 * K(SECTION, key, KIND, BOUNDS, default, help); P(key, KIND, BOUNDS, help)
 * is a [profile] key held in mta_profile's field of the same name, and
 * R(...) a [resolver] key in res_profile's (both unset by default: the
 * base profile's value). A default NULL: required; "": unset or derived.
 * BOUNDS, in the key's unit (seconds, bytes, per second): ANY, MIN(lo),
 * ABOVE(lo), IN(lo, hi); a choice's words: ONE_OF("a", "b"), WORDS(array).
 */
#ifndef MX_SCN_KEYS_H
#define MX_SCN_KEYS_H

#define SCN_MTA_MIX                                                                     \
	"postfix:0.30, exim:0.15, sendmail:0.05, exchange:0.10, exchange-online:0.15, " \
	"gmail:0.20, qmail:0.025, opensmtpd:0.025"
#define SCN_RES_MIX                                                                       \
	"google:0.25, unbound:0.25, bind:0.20, powerdns:0.10, quad9:0.05, systemd:0.04, " \
	"knot:0.0226, floor-10m:0.0607, floor-1h:0.0267"

/* clang-format off */
#define SCN_KEYS(K, P, R)                                                                        \
	K(RUN, name, TEXT, ANY, "", "folder name under the output root (default: the file's name)") \
	K(RUN, start, TEXT, ANY, "Mon",                                                          \
	  "the day time 0 falls on, at 00:00 (the weekly traffic pattern and `Wed 10:00` times "  \
	  "follow it)")                                                                          \
	K(RUN, duration, TIME, ABOVE(0), "3d", "simulated time")                                 \
	K(RUN, seed, TEXT, ANY, "1", "base seed; replication r uses a seed derived from it")     \
	K(RUN, replications, INT, IN(1, 100000), "1", "independent runs per study point")        \
	K(RUN, bucket, TIME, ABOVE(0), "15m", "time-series bucket")                              \
	K(RUN, precision, TEXT, ANY, "",                                                         \
	  "add replications (in batches of `replications`) until each answer figure's 95 % CI "  \
	  "half-width is within this: `10%` (of its mean) or a value in its unit for every "     \
	  "figure, or per figure (`old_last_h 0.05, delivered_old_after_cutover 10%`; a figure " \
	  "not named keeps the value given alone, if any)")                                      \
	K(RUN, max_replications, INT, IN(2, 100000), "100",                                      \
	  "with `precision`: replications at most")                                              \
	K(RUN, max_memory, TEXT, ANY, "50%",                                                     \
	  "memory the whole command may use (every scenario, point and worker), as a size "      \
	  "(`8GB`) or a share of what the process may use: the least of physical memory, its "   \
	  "cgroup's limit and `ulimit -v`")                                                      \
	K(RUN, max_events, NUMBER, MIN(1), "1e9", "work limit: events one run may execute")     \
	K(TRAFFIC, rate, RATE, ANY, "1000/h",                                                    \
	  "mean message rate over all domains (non-homogeneous Poisson)")                        \
	K(TRAFFIC, pattern, CHOICE, ONE_OF("flat", "office", "table"), "flat",                   \
	  "`flat`; `office`: weekdays 08-18 h at 9 times the night rate, weekends at 0.3 times " \
	  "the weekday rate, scaled so that `rate` is the mean over a week; or `table`")         \
	K(TRAFFIC, office_peak, NUMBER, IN(1, 100), "9",                                         \
	  "with `pattern = office`: the business hours' rate over the night's")                  \
	K(TRAFFIC, table, TEXT, ANY, "",                                                         \
	  "with `pattern = table`: CSV of 24 or 168 hourly rates (relative; scaled so their "    \
	  "mean is `rate`)")                                                                     \
	K(TRAFFIC, size, DIST_SIZE, ANY, "lnpareto(4KB, 1.2, 32KB, 1.3)",                        \
	  "message size in bytes (a distribution)")                                              \
	K(TRAFFIC, arrivals, CHOICE, ONE_OF("poisson", "fixed"), "poisson",                      \
	  "`poisson`, or `fixed`: one message every 1 / rate (following the pattern)")           \
	K(TRAFFIC, start, TEXT, ANY, "0",                                                        \
	  "mail arrives from this time on (a duration or `Wed 10:00`)")                          \
	K(TRAFFIC, stop, TEXT, ANY, "never", "and stops at this time")                           \
	K(SENDERS, count, INT, IN(1, 100000000), "1000", "sending MTAs")                         \
	K(SENDERS, zipf, NUMBER, MIN(0), "1",                                                    \
	  "share of traffic of the k-th sender is proportional to k^-zipf")                      \
	K(SENDERS, profiles, MIX, ANY, SCN_MTA_MIX,                                              \
	  "MTA profile mix (`name:share`), built-in or [profile] names")                         \
	K(RESOLVERS, count, INT, IN(1, 10000000), "100",                                         \
	  "caching resolvers shared by the senders (a profile of the mix left without one gets " \
	  "one more)")                                                                           \
	K(RESOLVERS, zipf, NUMBER, MIN(0), "1", "senders per resolver is proportional to k^-zipf") \
	K(RESOLVERS, profiles, MIX, ANY, SCN_RES_MIX,                                            \
	  "resolver profile mix, built-in or [resolver] names: each profile's share of the "     \
	  "senders' mail (by traffic); the default is sourced in models/README.md")              \
	K(RESOLVERS, cache, TEXT, ANY, "steady",                                                 \
	  "where cache entries are at time 0: `steady` (a random point of their lifetime), "     \
	  "`empty`, or the share of the lifetime already lived (`0.5`)")                         \
	K(PROFILE, based_on, TEXT, ANY, "postfix", "the profile it starts from")                 \
	P(min_backoff, TIME, MIN(0), "shortest retry interval")                                  \
	P(max_backoff, TIME, MIN(0), "longest retry interval")                                   \
	P(queue_run, TIME, ABOVE(0), "queue run interval (retries wait for the next run)")       \
	K(PROFILE, queue_run_phase, TIME, MIN(0), "",                                            \
	  "when the queue runs come: at this offset from time 0 and every `queue_run` after, "   \
	  "the same for every sender of the profile (whole ms; default: each sender's at "       \
	  "random)")                                                                             \
	K(PROFILE, retry_rule, TEXT, ANY, "",                                                    \
	  "Exim's retry rule for failed hosts, in Exim's syntax (`F,CUTOFF,INTERVAL` or "        \
	  "`G,CUTOFF,INTERVAL,FACTOR`, each `;` right after its rule: a space before `;` "       \
	  "starts a comment), for a profile based on `exim`; its last cutoff is the `lifetime` " \
	  "unless that is given")                                                                \
	P(lifetime, TIME, ABOVE(0), "give up (bounce as expired) after")                         \
	P(connect_timeout, TIME, MIN(0),                                                         \
	  "the MTA's wait for a connection (a host that drops packets costs this, or the OS's "  \
	  "SYN retries if they give up sooner)")                                                 \
	P(syn_rto, TIME, IN(0.001, 120),                                                         \
	  "the sending OS's first SYN retransmission timeout (Linux 1s, Windows 3s; at most "    \
	  "Linux's TCP_RTO_MAX); a connection succeeds at the first SYN after the host is back") \
	P(syn_linear, INT, IN(0, 20),                                                            \
	  "SYN retransmissions after `syn_rto` each before doubling (Linux 6.5+: "               \
	  "tcp_syn_linear_timeouts 4; 0 before and on Windows)")                                 \
	P(syn_retries, INT, IN(1, 20),                                                           \
	  "doubling SYN retransmissions before the OS gives up (Linux tcp_syn_retries 6, "       \
	  "Windows TcpMaxConnectRetransmissions 2)")                                             \
	P(session_timeout, TIME, MIN(0),                                                         \
	  "the wait for a reply in an open session whose server starts dropping packets (it "    \
	  "hangs until the server is back and TCP's retransmission reaches it, or this passes)") \
	P(fastopen, BOOL, ONE_OF("off", "on"),                                                   \
	  "TCP Fast Open (Exim's hosts_try_fastopen, `*` by default): the connect returns at "  \
	  "once and a host that drops packets is waited for by `session_timeout`, not "          \
	  "`connect_timeout` (or the OS's SYN retries)")                                         \
	P(mx_limit, INT, IN(1, 8), "addresses tried per attempt")                                \
	P(memory, CHOICE, WORDS(mta_memory_names, MTA_MEMORY_N),                                 \
	  "what it remembers of failures: `destination` (Postfix: a failed cohort throttles the " \
	  "domain for `dead_time`), `host` (Exim: a failed host is skipped until its retry "     \
	  "time; others: for `dead_time`) or `none`")                                            \
	P(dead_time, TIME, MIN(0), "how long a throttled destination or failed host is skipped") \
	P(slots_initial, LIMIT, IN(1, 65535),                                                    \
	  "deliveries at once per destination at first (`none`: no limit)")                      \
	P(slots_max, LIMIT, IN(1, 65535),                                                        \
	  "per destination at most, reached by slow start: +1 per delivery without a site "      \
	  "failure, -1 per site failure")                                                        \
	P(slots_total, LIMIT, IN(1, 65535), "deliveries at once in all (`none`: no limit)")      \
	P(connection_cache, BOOL, ONE_OF("off", "on"),                                           \
	  "Postfix's on-demand connection cache: a destination with deliveries back to back "   \
	  "keeps its connections open and sends its next mail over one, to the host it goes "   \
	  "to, before trying the MX hosts (others: `off`, not modelled)")                       \
	P(connection_cache_time_limit, TIME, MIN(0),                                             \
	  "a cached connection is closed after idling this long")                                \
	P(connection_reuse_time_limit, TIME, ABOVE(0),                                           \
	  "a connection is cached again after a delivery until this long after it was made")     \
	P(connection_max_messages, LIMIT, IN(1, 65535),                                            \
	  "Exim's connection passing: a delivery that ends well hands its connection to the "    \
	  "newest message waiting for the same host (deferred for its hosts), up to this many "  \
	  "messages a connection (`exim` 500; 1: none, the others; `none`: no limit)")           \
	K(RESOLVER, based_on, TEXT, ANY, "honour", "the profile it starts from")                 \
	R(cap, TIME, MIN(0), "positive TTL cap")                                                 \
	R(floor, TIME, MIN(0), "minimum cache lifetime")                                         \
	R(neg_cap, TIME, MIN(0), "negative TTL cap")                                             \
	R(fixed, TIME, MIN(0), "ignores TTLs: a fixed lifetime")                                 \
	R(extend, NUMBER, MIN(0), "TTL multiplier")                                              \
	R(stale, TIME, MIN(0), "serve-stale: longest staleness while the authorities fail")      \
	R(whole_seconds, BOOL, ONE_OF("no", "yes"),                                              \
	  "`yes`: its clock counts whole seconds and an answer is served through the second its " \
	  "TTL reaches 0 (Unbound before 1.24; the built-in `unbound` does)")                    \
	R(caches, INT, IN(1, 255),                                                               \
	  "split caches, each fetching on its own (a large public resolver's servers); a "       \
	  "lookup meets one drawn uniformly")                                                    \
	R(message_cache, BOOL, ONE_OF("no", "yes"),                                              \
	  "`yes`: an answer lives until the first of its records expires in the cache, the "     \
	  "additional section's included (Unbound's message cache; the built-in `unbound` "      \
	  "does): MX answers carrying one host's address expire together")                      \
	K(DOMAIN, mx, RECORDS, ANY, NULL,                                                        \
	  "`10 mx1.example, 20 mx2.example`, or `none` (NODATA), `null` (null MX, RFC 7505), "   \
	  "`nxdomain`")                                                                          \
	K(DOMAIN, mx_ttl, TIME, MIN(0), "1h", "TTL of the MX RRset")                             \
	K(DOMAIN, neg_ttl, TIME, MIN(0), "1h", "SOA negative TTL (NODATA, NXDOMAIN)")            \
	K(DOMAIN, address, TEXT, ANY, "refuse",                                                  \
	  "the domain's own address, the implicit MX when there is no MX: `refuse`, `timeout`, " \
	  "`nxdomain`, or a server's host")                                                      \
	K(DOMAIN, weight, NUMBER, MIN(0), "1", "share of the traffic")                           \
	K(DOMAIN, additional, BOOL, ONE_OF("no", "yes"), "no",                                   \
	  "`yes`: its authoritative servers serve its MX hosts' names too and send their "       \
	  "addresses in an MX answer's additional section (RFC 1035 section 3.3.9)")             \
	K(POPULATION, count, INT, IN(0, 10000000), "0", "domains generated")                     \
	K(POPULATION, prefix, TEXT, ANY, "d", "their names' prefix")                             \
	K(POPULATION, mx, RECORDS, ANY, "none", "their MX records")                              \
	K(POPULATION, mx_ttl, DIST_TIME, ANY, "1h", "MX TTL (a distribution)")                   \
	K(POPULATION, neg_ttl, DIST_TIME, ANY, "1h", "negative TTL (a distribution)")            \
	K(POPULATION, address, TEXT, ANY, "refuse", "their own address (as in [domain])")        \
	K(POPULATION, weight, DIST, ANY, "const(1)", "share of the traffic (a distribution)")    \
	K(POPULATION, additional, BOOL, ONE_OF("no", "yes"), "no",                               \
	  "their MX answers carry the hosts' addresses (as in [domain])")                        \
	K(POPULATION, cutover, DIST_TIME, ANY, "never",                                          \
	  "when each domain's MX changes: `never` or a distribution")                            \
	K(POPULATION, cutover_mx, RECORDS, ANY, "none", "the MX records after the cutover")      \
	K(SERVER, host, TEXT, ANY, "", "the MX host name it answers as (default: the server's name)") \
	K(SERVER, provider, TEXT, ANY, "", "provider it belongs to (default: the server's name)") \
	K(SERVER, kind, CHOICE, ONE_OF("final", "backup"), "final",                              \
	  "`final` (delivers to mailboxes) or `backup` (accepts, queues and relays to better MX " \
	  "hosts)")                                                                              \
	K(SERVER, sessions, INT, IN(1, 10000000), "100", "concurrent SMTP sessions; when full: 421") \
	K(SERVER, session_time, DIST_TIME, ANY, "exp(2s)", "session duration, plus size / `bandwidth`") \
	K(SERVER, bandwidth, SIZE, MIN(0), "10MB",                                               \
	  "bytes per second of a session (0: no transfer time)")                                 \
	K(SERVER, size_limit, SIZE, MIN(0), "20MB", "larger messages: 552 (bounce); `0`: none")  \
	K(SERVER, rate_limit, RATE, ANY, "0",                                                    \
	  "per-sender message rate (token bucket); above it: 421; `0`: none")                    \
	K(SERVER, burst, NUMBER, MIN(0), "0", "token bucket size; `0`: one minute of `rate_limit`") \
	K(SERVER, greylist, TIME, MIN(0), "0", "greylisting delay: first attempt 451, accepted from then on") \
	K(SERVER, mtbf, TIME, MIN(0), "0", "random outages: mean time between failures (`0`: none)") \
	K(SERVER, mttr, TIME, MIN(0), "1h", "random outages: mean time to repair")               \
	K(SERVER, down, CHOICE, ONE_OF("timeout", "refuse"), "timeout",                          \
	  "what a down server does: `timeout` (drops packets) or `refuse`")                      \
	K(SERVER, accepts, TEXT, ANY, "all",                                                     \
	  "domains taken: `all`, `none`, or names; others get 554 relay denied (bounce)")        \
	K(SERVER, relay_profile, TEXT, ANY, "postfix", "backup: MTA profile for relaying")       \
	K(SERVER, relay_sessions, INT, IN(1, 1000000), "20",                                     \
	  "backup: concurrent relay deliveries (its slots in all)")                              \
	K(SERVER, queue_limit, LIMIT, IN(1, 1000000000), "none",                                 \
	  "backup: messages it stores at most; when full: 452 4.3.1")                            \
	K(SERVER, queue_bytes_limit, SIZE_LIMIT, MIN(1), "none",                                 \
	  "backup: bytes it stores at most; when full: 452 4.3.1")                               \
	K(SERVER, relay_resolver, TEXT, ANY, "unbound", "backup: resolver profile it relays through") \
	K(HOST, address, CHOICE, ONE_OF("refuse", "timeout", "nxdomain"), "",                    \
	  "`refuse`, `timeout` or `nxdomain`; required for a host that is no server's")          \
	K(HOST, ttl, TIME, MIN(0), "1h", "TTL of its address record")                            \
	K(HOST, neg_ttl, TIME, MIN(0), "1h", "negative TTL when it does not resolve")            \
	K(REPORT, question, TEXT, ANY, "", "the question, in one line (the report and the index show it)") \
	K(REPORT, answer, TEXT, ANY, "",                                                         \
	  "the summary columns that answer it (`old_last_h, bounced_no_such_domain, "            \
	  "queue_peak_backup`): the verdict, the index and the top of the report show exactly "  \
	  "these, with their CIs; written to answer.csv")                                        \
	K(REPORT, target, TEXT, ANY, "",                                                         \
	  "what a single run must meet, `METRIC OP VALUE, ...` (OP `<`, `<=`, `==`, `>=`, `>`; "   \
	  "METRIC a summary column, VALUE in its unit): per point the share of runs meeting "    \
	  "each, with its 95 % interval (Clopper-Pearson), in targets.csv and the report")       \
	K(REPORT, after, TEXT, ANY, "never",                                                     \
	  "`delivered_after_<server>` counts each server's deliveries at or after this time (a "  \
	  "duration or `Sat 02:30`): what the old provider still gets after its contract ends")  \
	K(REPORT, within, TIME, MIN(0), "5m",                                                    \
	  "`delivered_within_share` counts the mail delivered at most this long after its "      \
	  "arrival")                                                                             \
	K(PLAN, vary, TEXT, ANY, NULL,                                                           \
	  "the value searched: a numeric key as `--set` names it (`server backup.queue_limit`), " \
	  "or the name of a list of one value in the file, `${lower=Mon 10:00}` (a timeline "    \
	  "time, for one)")                                                                      \
	K(PLAN, range, TEXT, ANY, NULL,                                                          \
	  "`LOW .. HIGH` in the key's unit (`1000 .. 200000`, `2h .. 2d`, `Mon 10:00 .. Wed "     \
	  "10:00`)")                                                                             \
	K(PLAN, goal, TEXT, ANY, NULL,                                                           \
	  "`METRIC OP VALUE` (a summary column; OP `<`, `<=`, `==`, `>=`, `>`): what a run, or "  \
	  "the mean, must meet")                                                                 \
	K(PLAN, in, TEXT, ANY, "95% of runs",                                                    \
	  "`N% of runs`: the goal holds in at least N % of runs (the lower end of the share's "   \
	  "Clopper-Pearson interval); or `mean`: over the mean's whole Student-t interval")      \
	K(PLAN, confidence, TEXT, ANY, "95%", "of those intervals (two-sided)")                 \
	K(PLAN, seek, CHOICE, ONE_OF("smallest", "largest"), "smallest",                         \
	  "the smallest value meeting the goal (it is met above it), or the largest")            \
	K(PLAN, resolution, TEXT, ANY, "1%",                                                     \
	  "how close the answer is to the value just missing: `0.5%` of the value, or a step "    \
	  "in the key's unit (`100`, `10m`); whole-number keys step by 1 at least")              \
	K(PLAN, max_runs, INT, IN(1, 10000000), "20000",                                         \
	  "all candidates' runs at most: reached first, the best value shown so far is the "     \
	  "answer, marked so")                                                                    \
	K(ASSUMPTION, low, TEXT, ANY, "",                                                        \
	  "`mxsim run --sensitivity` runs the assumption NAME (`mxsim help assumptions`) at "    \
	  "this value instead of the table's low one, in its unit (`2%`, `30m`, `1.1`)")         \
	K(ASSUMPTION, high, TEXT, ANY, "", "and at this value instead of the table's high one")
/* clang-format on */

#endif
