"""postfix.py - the validation testbed's Postfix: its main.cf from the
case's [profile testbed] (its times and its connection cache: on, as
Postfix's default and mxsim's `postfix` profile, unless the case turns it
off), its master.cf (nothing chrooted), and what became of each message,
read from its log."""
import os
import re

UNITS = {"ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def secs(v):
    """Whole seconds of a duration of the scenario language ("45s", "1m")."""
    return int(sum(float(n) * UNITS[u] for n, u in re.findall(r"([0-9.]+)\s*([a-z]+)", v)))


def main_cf(p, addr, bind, maillog, logs):
    """main.cf: listening on addr, connecting from bind (empty: the
    kernel's choice, Postfix's default), logging to maillog."""
    return f"""# the testbed's Postfix; the times are [profile testbed] of the case
compatibility_level = 3.6
myhostname = sender.validation
mydomain = validation
myorigin = validation
mydestination = localhost
local_transport = discard:
inet_interfaces = {addr}
smtp_bind_address = {bind}
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
maillog_file = {maillog}
maillog_file_prefixes = {logs}
queue_directory = /var/spool/postfix
data_directory = /var/lib/postfix
minimal_backoff_time = {secs(p['min_backoff'])}s
maximal_backoff_time = {secs(p['max_backoff'])}s
queue_run_delay = {secs(p['queue_run'])}s
maximal_queue_lifetime = {secs(p['lifetime'])}s
bounce_queue_lifetime = {secs(p['lifetime'])}s
smtp_connect_timeout = {secs(p['connect_timeout'])}s
smtp_connection_cache_on_demand = {'no' if p.get('connection_cache', 'on') == 'off' else 'yes'}
smtp_connection_cache_time_limit = {secs(p.get('connection_cache_time_limit', '2s'))}s
smtp_connection_reuse_time_limit = {secs(p.get('connection_reuse_time_limit', '300s'))}s
smtp_tls_security_level = none
smtpd_tls_security_level = none
notify_classes =
alias_maps =
alias_database =
biff = no
"""


MASTER_CF = """smtp      inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def outcomes(log):
    """From a Postfix log: message number -> (deferred attempts, final
    status, dsn) where final status is sent, bounced or None."""
    text = open(log, errors="replace").read() if os.path.exists(log) else ""
    qid = {q: int(m) for q, m in
           re.findall(r"postfix/cleanup\[\d+\]: (\w+): message-id=<m(\d+)@", text)}
    out = {}
    for m in re.finditer(r"postfix/(?:smtp|error|qmgr)\[\d+\]: (\w+): .*?dsn=([\d.]+), "
                         r"status=(\w+)", text):
        q, dsn, st = m.groups()
        if q not in qid:
            continue
        d, final, code = out.get(qid[q], (0, None, ""))
        if st == "deferred":
            d += 1
        else:
            final, code = st, dsn
        out[qid[q]] = (d, final, code)
    return out

