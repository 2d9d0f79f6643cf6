#!/usr/bin/python3
"""testbed.py - one validation case on real mail software, run as PID 1 of
private namespaces (unshare --net --mount --pid): nsd serves the case's
zone, Unbound resolves through it, Postfix relays injected messages, and
SMTP sinks (aiosmtpd) play the case's servers. The case is the mxsim
scenario itself (tests/validation/CASE.ini): its domain, servers, hosts,
traffic, timeline and the [profile testbed] that becomes Postfix's main.cf
(its times, and its connection cache: on, as Postfix's default and mxsim's
`postfix` profile, unless the case turns it off).

Usage (by tests/validation/run only): testbed.py CASE.ini OUTDIR
Writes OUTDIR/messages.csv (one row per message: submitted, delivered
where and when, bounced with which code, deferred attempts),
OUTDIR/attempts.csv (every attempt Postfix logged), OUTDIR/logs/ (every
service's log) and OUTDIR/status ("ok" or "error: ..."). Everything it
starts lives in this PID namespace and ends with it; /etc/resolv.conf,
/etc/postfix and Postfix's spool are bind-mounted over in this mount
namespace only.
"""
import asyncio
import configparser
import csv
import math
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import threading
import time
import zlib

from aiosmtpd.controller import Controller

import postfix

UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
SIZES = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}


def seconds(v):
    """A duration of the scenario language ("45s", "1m30s", "2h")."""
    total, pos = 0.0, 0
    for m in re.finditer(r"([0-9.]+)\s*([a-z]+)", v.strip()):
        total += float(m.group(1)) * UNITS[m.group(2)]
        pos = m.end()
    if pos != len(v.strip()):
        raise ValueError(f"duration '{v}' is not in the subset the testbed reads")
    return total


def const_seconds(v):
    """A session_time the sinks play: const(DURATION), the wait before the
    reply to DATA (10 ms or less: none, the sink's own time)."""
    m = re.fullmatch(r"const\((.*)\)", v.strip())
    if not m:
        raise ValueError(f"session_time '{v}' is not in the subset the testbed plays")
    s = seconds(m.group(1))
    return s if s > 0.01 else 0.0


def rate(v):
    n, per = v.split("/")
    return float(n) / seconds("1" + per if per[0].isalpha() else per)


class Case:
    """The subset of a scenario the testbed plays."""

    def __init__(self, path):
        cp = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";",),
                                       interpolation=None, strict=False)
        cp.optionxform = str
        with open(path) as f:
            cp.read_file(f)
        self.cp = cp
        self.duration = seconds(cp.get("run", "duration"))
        self.rate = rate(cp.get("traffic", "rate"))
        self.stop = seconds(cp.get("traffic", "stop", fallback="1h"))
        self.domain = next(s.split(None, 1)[1] for s in cp.sections() if s.startswith("domain "))
        d = cp["domain " + self.domain]
        self.mx = d.get("mx")
        self.mx_ttl = int(seconds(d.get("mx_ttl", "1h")))
        self.neg_ttl = int(seconds(d.get("neg_ttl", "1h")))
        self.servers = {}  # name -> {host, ip, kind, down, accepts}
        n = 0
        for s in cp.sections():
            if s.startswith("server "):
                n += 1
                name, sec = s.split(None, 1)[1], cp[s]
                self.servers[name] = dict(host=sec.get("host", name), ip=f"127.0.1.{n}",
                                          down=sec.get("down", "timeout"),
                                          accepts=sec.get("accepts", "all") != "none",
                                          delay=const_seconds(sec.get("session_time",
                                                                      "const(10ms)")))
        self.hosts = {}  # name -> (ip or None, "refuse" | "timeout" | "nxdomain")
        n = 0
        for s in cp.sections():
            if s.startswith("host "):
                n += 1
                name, addr = s.split(None, 1)[1], cp[s].get("address")
                self.hosts[name] = (f"127.0.2.{n}" if addr != "nxdomain" else None, addr)
        self.profile = cp["profile testbed"]
        self.timeline = []
        if cp.has_section("timeline"):
            for k, v in cp.items("timeline"):
                self.timeline.append((seconds(k), v.split()))
        self.timeline.sort(key=lambda e: e[0])


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {(r.stderr or r.stdout).strip()[-800:]}")
    return r


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


class Testbed:
    def __init__(self, case, out):
        self.case, self.out = case, out
        self.root = os.path.join(out, "root")
        self.logs = os.path.join(out, "logs")
        os.makedirs(self.logs, exist_ok=True)
        os.makedirs(self.root, exist_ok=True)
        self.mx = case.mx
        self.down = set()
        self.rejecting = {n for n, s in case.servers.items() if not s["accepts"]}
        self.delivered = []  # (t, server, message-id)
        self.lock = threading.Lock()
        self.t0 = None
        self.zone_serial = 1

    def now(self):
        return time.monotonic() - self.t0 if self.t0 is not None else 0.0

    # ---- network ---------------------------------------------------------
    def network(self):
        run(["ip", "link", "set", "lo", "up"])
        run(["ip", "addr", "add", "127.0.0.3/32", "dev", "lo"])  # Postfix's own
        self.nft()

    def nft(self):
        """Drops or rejects SMTP to down servers and to timeout hosts."""
        rules = []
        for name, (ip, kind) in self.case.hosts.items():
            if kind == "timeout":
                rules.append(f"ip daddr {ip} tcp dport 25 drop")
        for name in self.down:
            s = self.case.servers[name]
            verdict = "reject with tcp reset" if s["down"] == "refuse" else "drop"
            rules.append(f"ip daddr {s['ip']} tcp dport 25 {verdict}")
        text = "flush ruleset\ntable ip vt {\n chain out {\n  type filter hook output priority 0;\n"
        text += "".join(f"  {r}\n" for r in rules) + " }\n}\n"
        path = os.path.join(self.root, "rules.nft")
        write(path, text)
        run(["nft", "-f", path])

    # ---- DNS -------------------------------------------------------------
    def address(self, host):
        for s in self.case.servers.values():
            if s["host"] == host:
                return s["ip"]
        if host in self.case.hosts:
            return self.case.hosts[host][0]
        return None

    def zone(self):
        c, z = self.case, self.case.domain + "."
        lines = [f"$ORIGIN {z}", f"$TTL {c.mx_ttl}",
                 f"@ {c.mx_ttl} IN SOA ns.{z} hostmaster.{z} {self.zone_serial} 3600 600 86400 "
                 f"{c.neg_ttl}", f"@ {c.mx_ttl} IN NS ns.{z}", "ns 3600 IN A 127.0.0.2"]
        if self.mx not in ("none", "nxdomain"):
            for rec in self.mx.split(","):
                pref, host = rec.split()
                lines.append(f"@ {c.mx_ttl} IN MX {pref} {host}.")
        names = {s["host"] for s in c.servers.values()} | set(c.hosts)
        for host in sorted(names):
            ip = self.address(host)
            if ip and host.endswith(c.domain):
                lines.append(f"{host}. {c.mx_ttl} IN A {ip}")
        self.write_zone(lines)

    def write_zone(self, lines):
        path = os.path.join(self.root, "zone")
        write(path, "\n".join(lines) + "\n")
        t = time.time() + self.zone_serial  # a later mtime at every change
        os.utime(path, (t, t))
        self.zone_serial += 1

    def nsd(self):
        r = self.root
        self.zone()
        write(os.path.join(r, "nsd.conf"), f"""server:
  ip-address: 127.0.0.2
  port: 53
  username: ""
  chroot: ""
  zonesdir: "{r}"
  database: ""
  zonelistfile: "{r}/zone.list"
  xfrdfile: "{r}/xfrd.state"
  xfrdir: "{r}"
  pidfile: "{r}/nsd.pid"
  logfile: "{self.logs}/nsd.log"
  verbosity: 2
remote-control:
  control-enable: no
zone:
  name: "{self.case.domain}."
  zonefile: "{r}/zone"
""")
        self.nsd_proc = subprocess.Popen(["nsd", "-d", "-c", os.path.join(r, "nsd.conf")],
                                         stdout=open(os.path.join(self.logs, "nsd.out"), "w"),
                                         stderr=subprocess.STDOUT)

    def start_unbound(self, addr, d, name, zone, floor):
        """An Unbound on addr, its files in d, its log logs/NAME.log, its
        zone's authority the nsd at 127.0.0.2, cache-min-ttl floor."""
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "unbound.conf")
        write(conf, f"""server:
  interface: {addr}
  port: 53
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "{d}"
  pidfile: "{d}/unbound.pid"
  logfile: "{self.logs}/{name}.log"
  use-syslog: no
  verbosity: 1
  log-queries: yes
  module-config: "iterator"
  qname-minimisation: no
  prefetch: no
  serve-expired: no
  cache-min-ttl: {floor}
  cache-max-ttl: 86400
  cache-max-negative-ttl: 3600
  domain-insecure: "{zone}."
  local-zone: "{zone}." nodefault
remote-control:
  control-enable: no
stub-zone:
  name: "{zone}."
  stub-addr: 127.0.0.2
""")
        return subprocess.Popen(["unbound", "-d", "-c", conf],
                                stdout=open(os.path.join(self.logs, name + ".out"), "w"),
                                stderr=subprocess.STDOUT)

    def unbound(self):
        r = self.root
        self.unbound_proc = self.start_unbound("127.0.0.1", r, "unbound", self.case.domain, 0)
        resolv = os.path.join(r, "resolv.conf")
        write(resolv, "nameserver 127.0.0.1\noptions attempts:1 timeout:2\n")
        run(["mount", "--bind", resolv, "/etc/resolv.conf"])

    # ---- Postfix ---------------------------------------------------------
    def postfix_files(self, r, addr, maillog, bind=""):
        """Postfix's folders under r (etc, spool, lib) and its main.cf and
        master.cf (postfix.py)."""
        etc, spool, lib = (os.path.join(r, d) for d in ("etc", "spool", "lib"))
        shutil.copytree("/etc/postfix", etc, dirs_exist_ok=True)  # the package's files
        for d in (spool, lib):
            os.makedirs(d, exist_ok=True)
        write(os.path.join(etc, "main.cf"),
              postfix.main_cf(self.case.profile, addr, bind, maillog, self.logs))
        write(os.path.join(etc, "master.cf"), postfix.MASTER_CF)

    def postfix(self):
        r = self.root
        self.postfix_files(r, "127.0.0.3", os.path.join(self.logs, "maillog"))
        etc, spool, lib = (os.path.join(r, d) for d in ("etc", "spool", "lib"))
        run(["mount", "--bind", etc, "/etc/postfix"])
        os.makedirs("/var/spool/postfix", exist_ok=True)
        os.makedirs("/var/lib/postfix", exist_ok=True)
        run(["mount", "--bind", spool, "/var/spool/postfix"])
        run(["mount", "--bind", lib, "/var/lib/postfix"])
        run(["postfix", "set-permissions"])
        run(["postfix", "start"])

    # ---- the servers -----------------------------------------------------
    def sinks(self):
        bed = self

        class Sink:
            def __init__(self, name):
                self.name = name

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if self.name in bed.rejecting:
                    return "554 5.7.1 <%s>: Relay access denied" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                if bed.case.servers[self.name]["delay"]:
                    await asyncio.sleep(bed.case.servers[self.name]["delay"])
                m = re.search(rb"(?im)^message-id:\s*<([^>]+)>", envelope.content)
                with bed.lock:
                    bed.delivered.append((bed.now(), self.name,
                                          m.group(1).decode() if m else "?"))
                return "250 2.0.0 Ok"

        self.controllers = []
        for name, s in self.case.servers.items():
            c = Controller(Sink(name), hostname=s["ip"], port=25, ready_timeout=60)
            c.start()
            self.controllers.append(c)

    # ---- the case --------------------------------------------------------
    def apply(self, words):
        act = words[0]
        if act == "mx":
            self.mx = " ".join(words[2:])
            self.zone()
            self.nsd_proc.send_signal(signal.SIGHUP)
        elif act in ("down", "up"):
            (self.down.add if act == "down" else self.down.discard)(words[1])
            self.nft()
        elif act == "outage":
            self.down.add(words[1])
            self.nft()
            self.pending.append((self.now() + seconds(words[2]), ["up", words[1]]))
            self.pending.sort(key=lambda e: e[0])
        elif act in ("accept", "reject"):
            (self.rejecting.discard if act == "accept" else self.rejecting.add)(words[1])
        else:
            raise ValueError(f"timeline action '{act}' is not in the subset the testbed plays")

    def inject(self, k):
        body = (f"From: s@validation\r\nTo: user@{self.case.domain}\r\nSubject: m{k}\r\n"
                f"Message-ID: <m{k}@validation>\r\n\r\n" + "x" * 900 + "\r\n")
        with smtplib.SMTP("127.0.0.3", 25, timeout=10) as s:
            s.sendmail("s@validation", [f"user@{self.case.domain}"], body)
        self.submitted[k] = self.now()

    def wait_ready(self):
        deadline = time.monotonic() + 60  # 14 cases start at once on 2 cores
        while time.monotonic() < deadline:
            try:
                smtplib.SMTP("127.0.0.3", 25, timeout=2).quit()
                out = run(["getent", "hosts", "ns." + self.case.domain]).stdout
                if "127.0.0.2" in out:
                    return
            except Exception:
                pass
            time.sleep(0.2)
        raise RuntimeError("the services did not come up in 60 s")

    def sender(self):
        """Postfix, or Exim for a profile based on exim (exim.py)."""
        self.mta = None
        if self.case.profile.get("based_on") != "exim":
            return self.postfix()
        import exim
        self.mta = exim.Exim(self, seconds, run, write)
        self.mta.start()

    def stop_postfix(self):
        run(["postfix", "stop"])
        deadline = time.monotonic() + 60
        while subprocess.run(["pgrep", "-x", "qmgr"], capture_output=True).returncode == 0:
            if time.monotonic() > deadline:
                raise RuntimeError("qmgr did not end in 60 s after postfix stop")
            time.sleep(0.05)
            try:  # as PID 1, reap what Postfix left
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
            except ChildProcessError:
                pass

    def qmgr_start(self):
        """When qmgr started, by the wall clock: its process's start (field
        22 of /proc/PID/stat, clock ticks since boot)."""
        pid = run(["pgrep", "-x", "qmgr"]).stdout.split()[0]
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        boot = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
        return boot + int(stat[19]) / os.sysconf("SC_CLK_TCK")

    def align(self):
        """With the profile's queue_run_phase, time 0 is set so that Postfix's
        deferred-queue scans come that long after it and every queue_run
        after, as mxsim's do: qmgr scans at its start, then on a timer of
        whole seconds (src/qmgr/qmgr.c, qmgr_deferred_run_event;
        src/util/events.c), so at whole seconds of the clock from the second
        it started in (its start is its process's, from /proc, 10 ms ticks).
        Time 0 falls 50 ms into a second, so the injections that wake qmgr
        come just after its timers are due. Writes OUTDIR/phase."""
        if "queue_run_phase" not in self.case.profile:
            return
        phase = seconds(self.case.profile["queue_run_phase"])
        period = seconds(self.case.profile["queue_run"])
        if self.mta:  # Exim: its queue runs from the daemon's start, exact
            return self.start_at(self.mta.started() - phase, period, "Exim's daemon",
                                 self.mta.started(), phase)
        for _ in range(5):
            qmgr = self.qmgr_start()
            if qmgr % 1 <= 0.9:
                break
            self.stop_postfix()  # its first second is uncertain: again
            run(["postfix", "start"])
            self.wait_ready()
        else:
            raise RuntimeError("qmgr started late in a second five times")
        self.start_at(math.floor(qmgr) - phase + 0.05, period, "qmgr", qmgr, phase)

    def start_at(self, t0, period, who, started, phase):
        """Waits until time 0: t0, or a queue run later."""
        while t0 < time.time() + 0.5:
            t0 += period
        # the cases of a wave start together: spread their times 0 over four
        # queue runs, so that not every case's first second falls on the
        # same one of the machine's (18 first injections at once on two
        # cores came 0.4 s late and moved a first delivery by 0.6 s)
        t0 += period * (zlib.crc32(os.path.basename(self.out).encode()) % 4)
        time.sleep(t0 - time.time())
        write(os.path.join(self.out, "phase"),
              f"{who} started at {started:.2f}; time 0 at {t0:.2f}: its queue runs {phase:g} s "
              f"after, every {period:g} s\n")

    def play(self):
        c = self.case
        self.submitted, self.pending = {}, list(c.timeline)
        n = int(c.stop * c.rate + 1e-9)
        self.t0, self.t0_wall = time.monotonic(), time.time()
        k = 0
        while self.now() < c.duration:
            t = self.now()
            while self.pending and self.pending[0][0] <= t:
                self.apply(self.pending.pop(0)[1])
            if k < n and k / c.rate <= t:
                k += 1
                self.inject(k)
                continue
            if k == n and not self.pending and self.finished(n):
                break
            nxt = min([k / c.rate] if k < n else [c.duration] +
                      ([self.pending[0][0]] if self.pending else []))
            time.sleep(max(0.0, min(0.05, nxt - self.now())))
        self.clocks()

    def clocks(self):
        """Appends to OUTDIR/phase how far the wall clock (Postfix's timers)
        moved apart from the monotonic one (the injections') over the case,
        and the latest injection against its time: the testbed's own
        error, shown beside a figure that does not agree."""
        step = (time.time() - self.t0_wall) - self.now()
        late = max((t - (k - 1) / self.case.rate for k, t in self.submitted.items()),
                   default=0.0)
        with open(os.path.join(self.out, "phase"), "a") as f:
            f.write(f"wall clock {step:+.3f} s against the monotonic clock over the case; "
                    f"latest injection {late:.3f} s after its time\n")

    def outcomes(self):
        """From Postfix's log: message number -> (deferred attempts, final
        status, dsn) where final status is sent, bounced or None."""
        if self.mta:
            return self.mta.outcomes()
        return postfix.outcomes(os.path.join(self.logs, "maillog"))

    def attempts(self):
        """attempts.csv: every delivery attempt Postfix logged, when (its
        log's whole seconds, from the first message), to which relay, with
        which status and code."""
        log = os.path.join(self.logs, "maillog")
        text = open(log, errors="replace").read() if os.path.exists(log) else ""
        qid = {q: int(m) for q, m in
               re.findall(r"postfix/cleanup\[\d+\]: (\w+): message-id=<m(\d+)@", text)}
        year = time.localtime(self.t0_wall).tm_year
        with open(os.path.join(self.out, "attempts.csv"), "w", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL)
            w.writerow(["id", "t_s", "relay", "status", "dsn"])
            for row in self.mta.attempts(self.t0_wall) if self.mta else []:
                w.writerow(row)
            for m in re.finditer(r"^(\w{3} +\d+ [\d:]{8}) \S+ postfix/(?:smtp|error|qmgr)\[\d+\]: "
                                 r"(\w+): .*?relay=([^,]*),.*?dsn=([\d.]+), status=(\w+)",
                                 text, re.M):
                stamp, q, relay, dsn, st = m.groups()
                if q not in qid:
                    continue
                t = time.mktime(time.strptime(f"{year} {stamp}", "%Y %b %d %H:%M:%S"))
                w.writerow([qid[q], "%.0f" % (t - int(self.t0_wall)), relay, st, dsn])

    def finished(self, n):
        return sum(1 for d, final, _ in self.outcomes().values() if final) >= n

    def results(self):
        """messages.csv: per message when it was submitted, delivered where
        and when (the sink's clock), bounced with which code, and how many
        attempts were deferred (Postfix's log)."""
        outcome = self.outcomes()
        first = {}
        for t, server, mid in self.delivered:
            k = int(mid[1:].split("@")[0]) if re.match(r"m\d+@", mid) else None
            if k is not None and k not in first:
                first[k] = (t, server)
        with open(os.path.join(self.out, "messages.csv"), "w", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL)
            w.writerow(["id", "birth_s", "end_s", "outcome", "server", "dsn", "deferred"] +
                       self.columns(None))
            for k in sorted(self.submitted):
                d, final, dsn = outcome.get(k, (0, None, ""))
                if k in first:
                    row = ["%.3f" % first[k][0], "delivered", first[k][1], "2.0.0"]
                elif final == "bounced":
                    row = ["", "bounced", "", dsn]
                else:
                    row = ["", "queued", "", ""]
                w.writerow([k, "%.3f" % self.submitted[k]] + row + [d] + self.columns(k))

    def columns(self, k):
        """More columns of messages.csv (k None: their names): none here."""
        return []


def main(case_class=Case, bed_class=Testbed):
    # as PID 1 of its namespace it takes only signals it handles
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    case_path, out = sys.argv[1], os.path.abspath(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    status = os.path.join(out, "status")
    bed = bed_class(case_class(case_path), out)
    try:
        bed.network()
        bed.nsd()
        bed.unbound()
        bed.sinks()
        bed.sender()
        bed.wait_ready()
        bed.align()
        bed.play()
        bed.results()
        bed.attempts()
        write(status, "ok\n")
    except Exception as e:
        write(status, f"error: {e}\n")
        raise
    finally:
        for c in getattr(bed, "controllers", []):
            try:
                c.stop()
            except Exception:
                pass


if __name__ == "__main__":
    main()
