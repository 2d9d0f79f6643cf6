"""exim.py - the testbed's Exim sender, for cases whose [profile testbed]
is based on exim: Debian 12's exim4 (exim4-daemon-light, exim4-base and
libidn12, fetched with apt-get download and unpacked with dpkg -x into
the folder tests/validation/run gives in MXSIM_EXIM_ROOT; never installed,
since the package conflicts with postfix), run with a configuration the
case writes (-C), its own spool and logs, and the user Debian-exim from a
private /etc/passwd and /etc/group bind-mounted in the case's mount
namespace only. From the profile it takes connect_timeout, retry_rule
(Exim's default F,2h,15m; G,16h,1h,1.5; F,4d,6h, as mxsim's exim profile),
connection_max_messages (Exim's 500; mxsim's `none` is Exim's 0) and
queue_run (the daemon's -q; Debian's 30 min, as the profile).
"""
import os
import re
import signal
import subprocess
import time

UID = 2525  # Debian-exim's, in the case's private /etc/passwd


def bin_dir():
    return os.path.join(os.environ["MXSIM_EXIM_ROOT"], "usr", "sbin")


def env():
    lib = os.path.join(os.environ["MXSIM_EXIM_ROOT"], "usr", "lib", "x86_64-linux-gnu")
    return dict(os.environ, LD_LIBRARY_PATH=lib)


class Exim:
    def __init__(self, bed, seconds, run, write):
        self.bed, self.seconds, self.run, self.write = bed, seconds, run, write
        self.exe = os.path.join(bin_dir(), "exim4")
        self.conf = os.path.join(bed.root, "exim.conf")
        self.spool = os.path.join(bed.root, "exim-spool")
        self.log = os.path.join(bed.logs, "exim-mainlog")

    def user(self):
        r = self.bed.root
        for name, line in (("passwd", f"Debian-exim:x:{UID}:{UID}::{self.spool}:/usr/sbin/nologin\n"),
                           ("group", f"Debian-exim:x:{UID}:\n")):
            path = os.path.join(r, name)
            self.write(path, open("/etc/" + name).read() + line)
            self.run(["mount", "--bind", path, "/etc/" + name])

    def config(self):
        p, s = self.bed.case.profile, self.seconds
        rule = p.get('retry_rule', 'F,2h,15m; G,16h,1h,1.5; F,4d,6h')
        if not re.fullmatch(r"[FG][0-9a-zFG.,; ]*", rule):  # into Exim's configuration
            raise ValueError(f"retry_rule '{rule}' is not an F or G rule")
        most = p.get('connection_max_messages', '500').strip()
        most = '0' if most == 'none' else str(int(most))  # digits only, into Exim's configuration
        self.write(self.conf, f"""# the testbed's Exim; its times are [profile testbed] of the case
primary_hostname = sender.validation
qualify_domain = validation
exim_path = {self.exe}
keep_environment = LD_LIBRARY_PATH
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
spool_directory = {self.spool}
log_file_path = {self.bed.logs}/exim-%slog
pid_file_path = {self.bed.root}/exim.pid
log_selector = +deliver_time +retry_defer +outgoing_port +received_recipients
local_interfaces = 127.0.0.3
daemon_smtp_ports = 25
disable_ipv6 = true
tls_advertise_hosts =
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_rcpt
smtp_accept_queue_per_connection = 0
ignore_bounce_errors_after = 0s
timeout_frozen_after = 1d

begin acl
acl_rcpt:
  accept

begin routers
bounces:
  driver = redirect
  domains = validation
  data = :blackhole:
dnslookup:
  driver = dnslookup
  transport = remote_smtp
  no_more

begin transports
remote_smtp:
  driver = smtp
  connect_timeout = {int(s(p['connect_timeout']))}s
  connection_max_messages = {most}
  hosts_max_try = 5

begin retry
*  *  {rule}
""")

    def start(self):
        self.user()
        os.makedirs(self.spool, exist_ok=True)
        os.chown(self.spool, UID, UID)
        os.chown(self.bed.logs, UID, UID)
        self.config()
        q = int(self.seconds(self.bed.case.profile.get("queue_run", "30m")))
        self.proc = subprocess.Popen([self.exe, "-C", self.conf, "-bd", f"-q{q}s"], env=env(),
                                     stdout=open(os.path.join(self.bed.logs, "exim.out"), "w"),
                                     stderr=subprocess.STDOUT)

    def started(self):
        """When the daemon started, by the wall clock (the start of the
        process its pid file names, /proc, 10 ms ticks): its first queue
        run, then one every -q (it starts one at once, then on alarm();
        src/daemon.c)."""
        pid = open(os.path.join(self.bed.root, "exim.pid")).read().split()[0]
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        boot = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
        return boot + int(stat[19]) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def text(self):
        return open(self.log, errors="replace").read() if os.path.exists(self.log) else ""

    def ids(self, text):
        return {q: int(m) for q, m in re.findall(r" (\S{16,23}) <= .* id=m(\d+)@validation", text)}

    def outcomes(self):
        """Message number -> (deferred attempts, final status, dsn) from
        Exim's main log: "==" a deferral, "=>" delivered, "**" bounced."""
        text = self.text()
        qid, out = self.ids(text), {}
        for m in re.finditer(r"^\S+ \S+ (\S+) (==|=>|\*\*) (.*)$", text, re.M):
            q, flag, rest = m.groups()
            if q not in qid:
                continue
            d, final, code = out.get(qid[q], (0, None, ""))
            if flag == "==":
                d += 1
            elif flag == "=>":
                final, code = "sent", "2.0.0"
            else:
                final, code = "bounced", dsn(rest)
            out[qid[q]] = (d, final, code)
        return out

    def attempts(self, t0_wall):
        """Rows of attempts.csv: each deferral, delivery and bounce."""
        text, rows = self.text(), []
        qid = self.ids(text)
        for m in re.finditer(r"^(\S+ \S+) (\S+) (==|=>|\*\*) \S+ (.*)$", text, re.M):
            stamp, q, flag, rest = m.groups()
            if q not in qid:
                continue
            t = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))
            h = re.search(r"H=(\S+) \[", rest)
            st = {"==": "deferred", "=>": "sent", "**": "bounced"}[flag]
            rows.append([qid[q], "%.0f" % (t - int(t0_wall)), h.group(1) if h else "none", st,
                         "2.0.0" if flag == "=>" else dsn(rest) if flag == "**" else "4.0.0"])
        return rows


def dsn(rest):
    """The status of a bounce Exim logged: the server's (an enhanced code in
    its reply), or 5.4.4 for an address it could not route (no MX host
    resolves) and 5.1.10 for a null MX."""
    m = re.search(r": (\d{3}) (\d\.\d{1,3}\.\d{1,3}) ", rest)
    if m:
        return m.group(2)
    if "null MX" in rest or "nullmx" in rest.lower():
        return "5.1.10"
    return "5.4.4" if re.search(r"Unrouteable|all relevant MX records point to non-existent",
                                 rest) else "5.0.0"
