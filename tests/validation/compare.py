#!/usr/bin/python3
"""compare.py - the validation table: for every case, each figure as the
real testbed measured it (OUT/cases/CASE/messages.csv) against mxsim's mean
and 95 % CI over its replications (OUT/sim/CASE/trace.csv), with a verdict
against the figure's tolerance. Writes OUT/validation.csv and
OUT/report.html and prints the table; exits 1 if a figure differs beyond
its tolerance without a stated explanation, or a case failed.

Usage: compare.py OUT CASE...
"""
import configparser
import csv
import html
import math
import os
import re
import statistics
import subprocess
import sys

# Student-t 0.975 quantiles by degrees of freedom (scipy is not needed).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 15: 2.131, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042}

RACE_NEW = (
    "a race in the real run: a delivery that starts while every cached connection is busy "
        "makes a new one, and after the switch that one goes to the new MX; real sessions take "
        "0.99 to 1.18 s against mxsim's 1 s exactly, so real Postfix does this now and then "
        "(one message of 600 in one of two runs, none in the other) and mxsim never; the "
        "count (delivered_new: 1 or 0 against 0) agrees, the time of that one message cannot")

# Disagreements that are understood, by (case, figure): the reason, shown
# in the table and the README.
EXPLAINED = {
    ("typo-drop-phase1s", "deferred"):
        "a race in Postfix itself: at this phase the failure that throttles the typo "
        "destination comes within a tenth of a second of a whole second (an attempt started "
        "near 58.9 s times out after 3 s), so whether the queue run at 71 s still finds it "
        "throttled is decided by tens of milliseconds; real Postfix deferred 51 times in eight "
        "of nine runs and 42 in one (its 11 waiting messages then went at 72 s, not 81 s); mxsim "
        "gives 51 (issue 22, item 4: one clock per host)",
    ("backup-drop120-defaults", "latency_max_s"):
        "which messages of the backlog are unlucky: when the connections that waited out the "
        "primary's timeout reach the backup at 80 s, each success grows the destination's "
        "window by one and starts two deliveries, one over the connection just cached and one "
        "without, which tries the primary and waits 30 s more; how those completions and "
        "starts interleave in the queue manager decides which; the count agrees (12 and 12 "
        "delivered at 110-111 s in two real runs, 10 in mxsim) and the figure moves by 4 s "
        "between real runs (84.0, 82.6 and 86.5 s; mxsim 85.8 s)",
    ("typo-refuse-phase3s", "latency_max_s"):
        "the order of Postfix's deferred-queue scan: the queue run at 54 s brings messages 43 "
        "and 44 back at once; the first tried is refused, which throttles the typo "
        "destination, and the other is suspended and waits a queue run more; the scan reads "
        "the hashed queue directories, in no order of arrival, so in one run 44 went first "
        "(43 delivered at 74 s: 32.3 s) and in others 43 did (21.2 s); mxsim takes them in "
        "order of arrival (21.0 s)",
    ("cutover-busy-defaults", "first_new_s"): RACE_NEW,
    ("cutover-busy-defaults", "last_new_s"): RACE_NEW,
}


def t975(df):
    keys = sorted(k for k in T975 if k <= df)
    return T975[keys[-1]] if keys else float("nan")


def figures(msgs, pop=None):
    """The figures of one run from its messages: dicts with keys birth_s,
    end_s (float or None), outcome, server, reason, deferred, sender; in a
    population- case (pop: its classes and old server) its own too."""
    f = population_figures(msgs, *pop) if pop else {}
    servers = sorted({m["server"] for m in msgs if m["server"]})
    for s in servers:
        ends = [m["end_s"] for m in msgs if m["server"] == s]
        f[f"delivered_{s}"] = len(ends)
        f[f"first_{s}_s"] = min(ends)
        f[f"last_{s}_s"] = max(ends)
    for r in sorted({m["reason"] for m in msgs if m["outcome"] == "bounced"}):
        f[f"bounced_{r}"] = sum(1 for m in msgs if m["outcome"] == "bounced" and m["reason"] == r)
    f["bounced"] = sum(1 for m in msgs if m["outcome"] == "bounced")
    f["queued"] = sum(1 for m in msgs if m["outcome"] == "queued")
    f["deferred"] = sum(m["deferred"] for m in msgs)
    lat = sorted(m["end_s"] - m["birth_s"] for m in msgs if m["outcome"] == "delivered")
    if lat:
        f["latency_p50_s"] = statistics.median(lat)
        f["latency_max_s"] = lat[-1]
    return f


def population_figures(msgs, classes, old):
    """Per minute of arrival, the share (%) of the mail delivered that went
    to the old server; per resolver class (sender i uses class i), the
    mail delivered to the old server and the last of it."""
    f, minutes = {}, {}
    for m in msgs:
        if m["outcome"] == "delivered":
            k = int(m["birth_s"] // 60) + 1
            n, o = minutes.get(k, (0, 0))
            minutes[k] = (n + 1, o + (m["server"] == old))
    for k, (n, o) in sorted(minutes.items()):
        f[f"old_share_min{k:02d}_pct"] = 100.0 * o / n
    for i, c in enumerate(classes):
        to_old = [m["end_s"] for m in msgs if m["sender"] == i and m["outcome"] == "delivered"
                  and m["server"] == old]
        f[f"old_{c}"] = len(to_old)
        if to_old:
            f[f"last_old_{c}_s"] = max(to_old)
    return f


def population(ini):
    """A population- case's resolver classes in the order of [resolvers]
    profiles, and its old server (the first [server])."""
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None,
                                   strict=False)
    cp.read(ini)
    classes = [p.split(":")[0].strip() for p in cp.get("resolvers", "profiles").split(",")]
    return classes, next(s.split(None, 1)[1] for s in cp.sections() if s.startswith("server "))


DSN = {"5.4.4": "no_address", "5.7.1": "relay_denied", "5.1.10": "null_mx", "5.3.4": "too_large"}


def real_messages(path):
    out = []
    for r in csv.DictReader(open(path)):
        out.append(dict(birth_s=float(r["birth_s"]),
                        end_s=float(r["end_s"]) if r["end_s"] else None,
                        outcome=r["outcome"], server=r["server"],
                        reason=DSN.get(r["dsn"], r["dsn"]) if r["outcome"] == "bounced" else "",
                        deferred=int(r["deferred"]), sender=int(r.get("sender") or 0)))
    return out


def sim_runs(path):
    """Per replication, the messages of mxsim's trace (deferred: the
    attempts that did not end the message)."""
    runs = {}
    for r in csv.DictReader(open(path)):
        done = r["outcome"] in ("delivered", "bounced")
        srv = r["server"] if r["outcome"] == "delivered" else ""
        runs.setdefault(int(r["replication"]), []).append(dict(
            birth_s=float(r["birth_s"]), end_s=float(r["end_s"]) if r["end_s"] else None,
            outcome=r["outcome"], server=srv, reason=r["reason"] if r["outcome"] == "bounced" else "",
            deferred=int(r["attempts"]) - (1 if done else 0), sender=int(r["sender"])))
    return [runs[k] for k in sorted(runs)]


UNITS = {"ms": 1e-3, "s": 1, "m": 60, "min": 60, "h": 3600}


def seconds(v):
    return sum(float(n) * UNITS[u] for n, u in re.findall(r"([0-9.]+)\s*([a-z]+)", v))


def events(ini):
    """The times of a case's timeline: each change, and an outage's end."""
    out, on = [0.0], False
    for line in open(ini):
        line = line.split(";")[0].strip()
        if line.startswith("["):
            on = line == "[timeline]"
        elif on and "=" in line:
            at, act = (s.strip() for s in line.split("=", 1))
            out.append(seconds(at))
            words = act.split()
            if words[0] == "outage":
                out.append(seconds(at) + seconds(words[2]))
    return sorted(out)


def tolerance(name, real, evs, defaults):
    """Counts: 2 messages or 10 %. Times: 2 s or 10 % of the time since 0
    (the testbed's clocks: Postfix logs whole seconds, injection takes
    milliseconds); in a -defaults case 10 % of the time since the event
    the figure follows (the latest change or recovery before it; for a
    latency, of the latency), at least 0.5 s and at most 2 s."""
    if not name.endswith("_s") or not defaults:
        return max(2.0, 0.1 * abs(real))
    since = real if name.startswith("latency") else real - max(e for e in evs if e <= real)
    return min(2.0, max(0.5, 0.1 * since))


def compare(out, case):
    real_path = os.path.join(out, "cases", case, "messages.csv")
    status = open(os.path.join(out, "cases", case, "status")).read().strip() \
        if os.path.exists(os.path.join(out, "cases", case, "status")) else "error: no status"
    if status != "ok":
        return [dict(case=case, figure="(case)", real="", sim_mean="", sim_ci95="", tolerance="",
                     verdict=status)]
    ini = os.path.join(out, "ini", case + ".ini")
    pop = population(ini) if case.startswith("population-") else None
    real = figures(real_messages(real_path), pop)
    evs = events(ini)
    defaults = "-defaults" in case
    sims = [figures(m, pop) for m in sim_runs(os.path.join(out, "sim", case, "trace.csv"))]
    rows = []
    for name in sorted(set(real) | {k for s in sims for k in s}):
        rv = real.get(name, 0.0 if not name.endswith("_s") else float("nan"))
        vals = [s.get(name, 0.0 if not name.endswith("_s") else float("nan")) for s in sims]
        vals = [v for v in vals if not math.isnan(v)]
        mean = statistics.fmean(vals) if vals else float("nan")
        ci = t975(len(vals) - 1) * statistics.stdev(vals) / math.sqrt(len(vals)) \
            if len(vals) > 1 else 0.0
        tol = tolerance(name, rv, evs, defaults) if not math.isnan(rv) else float("nan")
        if math.isnan(rv) or math.isnan(mean):
            verdict = "agrees" if math.isnan(rv) and math.isnan(mean) else "differs"
        else:
            verdict = "agrees" if abs(rv - mean) <= tol + ci else "differs"
        if verdict == "differs" and (case, name) in EXPLAINED:
            verdict = "explained"
        rows.append(dict(case=case, figure=name, real=rv, sim_mean=mean, sim_ci95=ci,
                         tolerance=tol, verdict=verdict))
    return rows


def fmt(v):
    if isinstance(v, str):
        return v
    if math.isnan(v):
        return "–"
    return "%.0f" % v if abs(v) >= 100 or v == int(v) else "%.2f" % v


def versions():
    def out(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout + r.stderr).strip().splitlines()[0]
        except Exception:
            return "not found"
    debs = os.path.join(os.environ.get("MXSIM_EXIM_ROOT", "build/exim"), "debs")
    exim = [d.split("_")[1] for d in sorted(os.listdir(debs)) if d.startswith("exim4-daemon-light_")] \
        if os.path.isdir(debs) else []
    return [("Postfix", out(["postconf", "-d", "-h", "mail_version"])),
            ("Exim", "Debian's exim4-daemon-light " + exim[0] if exim else "not found"),
            ("Unbound", out(["unbound", "-V"])), ("NSD", out(["nsd", "-v"])),
            ("nftables", out(["nft", "--version"])),
            ("aiosmtpd", out(["/usr/bin/python3", "-c",
                              "import aiosmtpd; print(aiosmtpd.__version__)"]))]


def page(out, rows, cases):
    style = ("<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
             "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
             "th{background:#f3f3f3}td.l,th.l{text-align:left}.bad{color:#a04000}</style>")
    e = html.escape
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mxsim: validation"
                f"</title>{style}</head><body>\n<h1>Validation against real mail software</h1>\n")
        f.write("<p>Each case runs on a loopback testbed of real software in private namespaces "
                "and as an mxsim scenario with the same timings "
                "(<code>tests/validation/</code>); each figure is the real value against "
                "mxsim's mean and 95 % CI over its replications; a figure agrees when they "
                "differ by at most its tolerance (2 messages or 10 %; 2 s or 10 %, in a "
                "<code>-defaults</code> case 10 % of the time since the event the figure "
                "follows, from 0.5 s to 2 s) plus the CI.</p>\n<p>")
        f.write(", ".join(f"{e(n)} {e(v)}" for n, v in versions()) + "</p>\n")
        for case in cases:
            desc = "".join(l[2:] for l in open(os.path.join(out, "ini", case + ".ini"))
                           if l.startswith("; "))
            f.write(f"<h2>{e(case)}</h2>\n<p>{e(desc)}</p>\n<table><tr><th class=\"l\">figure"
                    "</th><th>real</th><th>mxsim</th><th>tolerance</th>"
                    "<th class=\"l\">verdict</th></tr>\n")
            for r in rows:
                if r["case"] != case:
                    continue
                cls = "" if r["verdict"] in ("agrees", "explained") else " bad"
                sim = fmt(r["sim_mean"]) + (" &plusmn; " + fmt(r["sim_ci95"])
                                            if not isinstance(r["sim_ci95"], str) else "")
                why = EXPLAINED.get((case, r["figure"]), "")
                f.write(f"<tr><td class=\"l\">{e(r['figure'])}</td><td>{fmt(r['real'])}</td>"
                        f"<td>{sim}</td><td>{fmt(r['tolerance'])}</td>"
                        f"<td class=\"l{cls}\">{e(r['verdict'])}{(': ' + e(why)) if why else ''}"
                        "</td></tr>\n")
            f.write("</table>\n")
        f.write("</body></html>\n")


def main():
    out, cases = sys.argv[1], sys.argv[2:]
    rows = []
    for c in cases:
        rows += compare(out, c)
    with open(os.path.join(out, "validation.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["case", "figure", "real", "sim_mean", "sim_ci95",
                                          "tolerance", "verdict"], quoting=csv.QUOTE_ALL)
        w.writeheader()
        for r in rows:
            w.writerow({k: fmt(v) if not isinstance(v, str) else v for k, v in r.items()})
    page(out, rows, cases)
    print("%-14s %-22s %10s %18s %9s  %s" % ("case", "figure", "real", "mxsim (95% CI)",
                                             "tolerance", "verdict"))
    for r in rows:
        sim = fmt(r["sim_mean"]) + ("" if isinstance(r["sim_ci95"], str)
                                    else " ± " + fmt(r["sim_ci95"]))
        print("%-14s %-22s %10s %18s %9s  %s" % (r["case"], r["figure"], fmt(r["real"]), sim,
                                                 fmt(r["tolerance"]), r["verdict"]))
    bad = [r for r in rows if r["verdict"] not in ("agrees", "explained")]
    # last, so that a log's tail names them: each figure that does not
    # agree, and how its case's clocks ran (testbed.py writes OUT/cases/CASE/phase)
    for r in bad:
        sim = fmt(r["sim_mean"]) + ("" if isinstance(r["sim_ci95"], str)
                                    else " ± " + fmt(r["sim_ci95"]))
        print(f"NOT AGREEING: {r['case']} {r['figure']}: real {fmt(r['real'])}, "
              f"mxsim {sim}, tolerance {fmt(r['tolerance'])}: {r['verdict']}")
    for c in sorted({r["case"] for r in bad}):
        ph = os.path.join(out, "cases", c, "phase")
        if os.path.exists(ph):
            print(f"  {c}: " + " ".join(open(ph).read().split()))
    print(f"validation: {len(rows) - len(bad)} figures agree (or are explained), {len(bad)} not")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
