#!/usr/bin/python3
"""population.py - a population- case of make validate: several Postfix
senders, each behind an Unbound of its own, sending to many domains that
move from one MX to another at their times. Run as PID 1 of private
namespaces, as testbed.py, whose pieces it reuses: nsd serves the zone
holding every domain and MX host, the SMTP sinks play the servers.

Resolver i (the i-th profile of [resolvers] profiles, a [resolver NAME]
based on unbound, its floor Unbound's cache-min-ttl) listens on
127.0.0.(11+i); sender i, a Postfix with [profile testbed]'s times, on
127.0.0.(21+i), in a mount namespace of its own whose /etc/resolv.conf
names resolver i. mxsim gives sender i resolver i's class too (equal
shares and zipf 0: zipf_apportion, sim/zipf.c). Message k goes from sender
(k-1) mod S to domain ((k-1) div S) mod D: each minute every sender sends
to every domain alike, the expectation of mxsim's draws.

Usage (by tests/validation/run only): population.py CASE.ini OUTDIR
Writes what testbed.py writes; messages.csv has the columns sender (its
index) and domain as well.
"""
import os
import signal
import smtplib
import time

import postfix
import testbed
from testbed import run, seconds, write


class Case(testbed.Case):
    """The population's domains, resolvers and senders as well."""

    def __init__(self, path):
        super().__init__(path)
        cp = self.cp
        self.domains = [s.split(None, 1)[1] for s in cp.sections() if s.startswith("domain ")]
        self.mxs = {d: cp["domain " + d].get("mx") for d in self.domains}
        self.domain = self.domains[0].split(".")[-1]  # the zone nsd serves
        names = self.domains + [s["host"] for s in self.servers.values()]
        if not all(n.endswith("." + self.domain) for n in names):
            raise ValueError(f"every name must be in the zone {self.domain}.")
        # nsd serves every name in one zone, so it sends the MX hosts'
        # addresses as additional records: the scenario must say so
        if not all(cp["domain " + d].get("additional") == "yes" for d in self.domains):
            raise ValueError("every [domain] needs additional = yes (one zone holds all)")
        self.a_ttl = {s["host"]: int(seconds(cp.get("host " + s["host"], "ttl", fallback="1h")))
                      for s in self.servers.values()}  # mxsim's default: 1 h
        self.resolvers = []  # (name, floor s)
        for item in cp.get("resolvers", "profiles").split(","):
            name = item.split(":")[0].strip()
            sec = cp["resolver " + name]
            if sec.get("based_on") != "unbound" or set(sec) - {"based_on", "floor"}:
                raise ValueError(f"[resolver {name}]: only based_on = unbound and floor are played")
            self.resolvers.append((name, int(seconds(sec.get("floor", "0s")))))
        self.senders = cp.getint("senders", "count")
        if self.senders != len(self.resolvers):
            raise ValueError("one sender per resolver is played")


def resolver_ip(i):
    return f"127.0.0.{11 + i}"


def sender_ip(i):
    return f"127.0.0.{21 + i}"


class Population(testbed.Testbed):
    def __init__(self, case, out):
        super().__init__(case, out)
        self.mx = dict(case.mxs)
        self.sent = {}  # message number -> (sender, domain)

    def network(self):
        """Each sender and resolver an address of its own on the loopback
        (Postfix listens only on an interface's address)."""
        run(["ip", "link", "set", "lo", "up"])
        for i in range(self.case.senders):
            for ip in (resolver_ip(i), sender_ip(i)):
                run(["ip", "addr", "add", ip + "/32", "dev", "lo"])

    def zone(self):
        c, z = self.case, self.case.domain + "."
        ttl = c.mx_ttl
        lines = [f"$ORIGIN {z}", f"$TTL {ttl}",
                 f"@ {ttl} IN SOA ns.{z} hostmaster.{z} {self.zone_serial} 3600 600 86400 "
                 f"{c.neg_ttl}", f"@ {ttl} IN NS ns.{z}", "ns 3600 IN A 127.0.0.2"]
        for d in c.domains:
            for rec in self.mx[d].split(","):
                pref, host = rec.split()
                lines.append(f"{d}. {ttl} IN MX {pref} {host}.")
        for s in c.servers.values():
            lines.append(f"{s['host']}. {c.a_ttl[s['host']]} IN A {s['ip']}")
        self.write_zone(lines)

    def unbound(self):
        for i, (name, floor) in enumerate(self.case.resolvers):
            self.start_unbound(resolver_ip(i), os.path.join(self.root, "unbound-" + name),
                               "unbound-" + name, self.case.domain, floor)

    def sender(self):
        """Each Postfix in a mount namespace of its own (unshare), where its
        folders and its resolver's resolv.conf are bind-mounted; its master
        keeps the namespace after unshare ends."""
        self.mta = None
        for i in range(self.case.senders):
            r = os.path.join(self.root, f"postfix-{i}")
            self.postfix_files(r, sender_ip(i), os.path.join(self.logs, f"maillog-{i}"),
                               bind=sender_ip(i))
            write(os.path.join(r, "resolv.conf"),
                  f"nameserver {resolver_ip(i)}\noptions attempts:1 timeout:2\n")
            mounts = [("etc", "/etc/postfix"), ("spool", "/var/spool/postfix"),
                      ("lib", "/var/lib/postfix"), ("resolv.conf", "/etc/resolv.conf")]
            script = "set -e; " + "".join(f"mount --bind '{os.path.join(r, a)}' {b}; "
                                          for a, b in mounts)
            run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                 script + "postfix set-permissions; postfix start"])

    def wait_ready(self):
        """Every sender takes SMTP, and through its namespace's resolver
        the zone's name server resolves."""
        deadline = time.monotonic() + 60
        for i in range(self.case.senders):
            pidfile = os.path.join(self.root, f"postfix-{i}", "spool", "pid", "master.pid")
            while True:
                try:
                    smtplib.SMTP(sender_ip(i), 25, timeout=2).quit()
                    pid = open(pidfile).read().split()[0]
                    out = run(["nsenter", "-t", pid, "-m", "getent", "hosts",
                               "ns." + self.case.domain]).stdout
                    if "127.0.0.2" in out:
                        break
                except Exception:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"sender {i} did not come up in 60 s")
                time.sleep(0.2)

    def apply(self, words):
        if words[0] != "mx" or words[1] not in self.mx:
            raise ValueError(f"timeline action '{' '.join(words)}' is not played here")
        self.mx[words[1]] = " ".join(words[2:])
        self.zone()
        self.nsd_proc.send_signal(signal.SIGHUP)  # nsd reloads the zone

    def inject(self, k):
        s = (k - 1) % self.case.senders
        d = self.case.domains[((k - 1) // self.case.senders) % len(self.case.domains)]
        body = (f"From: s@validation\r\nTo: user@{d}\r\nSubject: m{k}\r\n"
                f"Message-ID: <m{k}@validation>\r\n\r\n" + "x" * 900 + "\r\n")
        with smtplib.SMTP(sender_ip(s), 25, timeout=10) as c:
            c.sendmail("s@validation", [f"user@{d}"], body)
        self.submitted[k] = self.now()
        self.sent[k] = (s, d)

    def outcomes(self):
        out = {}
        for i in range(self.case.senders):
            out.update(postfix.outcomes(os.path.join(self.logs, f"maillog-{i}")))
        return out

    def columns(self, k):
        return ["sender", "domain"] if k is None else list(self.sent[k])


if __name__ == "__main__":
    testbed.main(Case, Population)
