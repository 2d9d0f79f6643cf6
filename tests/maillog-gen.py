#!/usr/bin/env python3
"""maillog-gen.py - a week of a receiving Postfix's log from known
parameters, for `mxsim fit` to recover: Poisson arrivals at RATE an hour
shaped by the office week (weekdays 08-18 h at 9 times the night, weekends
at 0.3), lognormal sizes (median MEDIAN, sigma SIGMA), clients drawn by
Zipf (exponent S over N addresses), the smtpd/cleanup/qmgr/smtp lines
Postfix writes per message, with syslog or ISO 8601 stamps, and a few
lines of other programs; or Exim's main log, a "<=" line per message
(exim). Beside each message, refusals at known rates (REFUSED: reply
code, the share of messages, Postfix's and Exim's words), drawn from a
random stream of their own. Usage: maillog-gen.py OUT [iso|exim] [seed]."""
import datetime, math, random, sys

RATE, MEDIAN, SIGMA, S, N = 600.0, 8000.0, 1.0, 1.0, 500
REFUSED = [(550, 0.02, "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table", "rejected RCPT <nobody@example.com>: Unknown user"),
           (450, 0.01, "450 4.2.0 <u@example.com>: Recipient address rejected: Greylisted for 300 seconds", "temporarily rejected RCPT <u@example.com>: Greylisted for 300 seconds"),
           (552, 0.002, "552 5.3.4 Message size exceeds fixed limit", "message too big: size=60000000 max=52428800")]
START = datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)  # a Monday

def office(h):
    d, hr = divmod(h, 24)
    m = 0.2 if hr < 7 else 0.6 if hr < 8 else 1.8 if hr < 18 else 0.8 if hr < 21 else 0.4
    return 0.3 * m if d >= 5 else m

def shape():
    w = [office(h) for h in range(168)]
    mean = sum(w) / 168
    return [x / mean for x in w]

def main():
    out, form = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    iso, exim = form == "iso", form == "exim"
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    rrng = random.Random(1000 + (int(sys.argv[3]) if len(sys.argv) > 3 else 1))
    cum, tot = [], 0.0
    for k in range(1, N + 1):
        tot += k ** -S
        cum.append(tot)
    def client():
        u, lo, hi = rng.random() * tot, 0, N - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < u: lo = mid + 1
            else: hi = mid
        return lo
    def stamp(t):
        d = START + datetime.timedelta(seconds=t)
        if iso:
            return d.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+00:00"
        return d.strftime("%b ") + ("%2d" % d.day) + d.strftime(" %H:%M:%S")
    f, qid, w = open(out, "w"), 0, shape()
    for h in range(168):
        t = h * 3600.0
        while True:
            t += rng.expovariate(RATE * w[h] / 3600)
            if t >= (h + 1) * 3600: break
            qid += 1
            q, c = "%X" % (0x10000000 + qid), client()
            size = int(round(MEDIAN * math.exp(SIGMA * rng.gauss(0, 1)))) + 1
            s = stamp(t)
            ip = "10.%d.%d.%d" % (c >> 16, (c >> 8) & 255, c & 255)
            for code, share, pf, ex in REFUSED:
                if rrng.random() >= share: continue
                if exim:
                    d = START + datetime.timedelta(seconds=t)
                    who = "H=c%d.example (helo%d) [%s]" % (c, c, ip)
                    f.write("%s %s\n" % (d.strftime("%Y-%m-%d %H:%M:%S"), "rejected MAIL FROM:<a@c%d.example> %s: %s" % (c, who, ex) if code == 552 else "%s F=<a@c%d.example> %s" % (who, c, ex)))
                else:
                    f.write("%s mx1 postfix/smtpd[%d]: NOQUEUE: reject: %s from c%d.example[%s]: %s; %sproto=ESMTP helo=<c%d.example>\n"
                            % (s, 100 + c, "MAIL" if code == 552 else "RCPT", c, ip, pf, "" if code == 552 else "from=<a@c%d.example> to=<u@example.com> " % c, c))
            if exim:
                d = START + datetime.timedelta(seconds=t)
                f.write("%s 1%sX-%06d-AB <= a%d@c%d.example H=c%d.example (helo%d) [10.%d.%d.%d]:25 P=esmtps S=%d id=%d@c%d.example\n"
                        % (d.strftime("%Y-%m-%d %H:%M:%S"), q[-5:], qid % 1000000, qid, c, c, c, c >> 16, (c >> 8) & 255, c & 255, size, qid, c))
                f.write("%s 1%sX-%06d-AB => u <u@example.com> R=local T=local_delivery\n" % (d.strftime("%Y-%m-%d %H:%M:%S"), q[-5:], qid % 1000000))
                continue
            f.write("%s mx1 postfix/smtpd[%d]: connect from c%d.example[10.%d.%d.%d]\n" % (s, 100 + c, c, c >> 16, (c >> 8) & 255, c & 255))
            f.write("%s mx1 postfix/smtpd[%d]: %s: client=c%d.example[10.%d.%d.%d]\n" % (s, 100 + c, q, c, c >> 16, (c >> 8) & 255, c & 255))
            f.write("%s mx1 postfix/cleanup[77]: %s: message-id=<%d@c%d.example>\n" % (s, q, qid, c))
            f.write("%s mx1 postfix/qmgr[55]: %s: from=<a%d@c%d.example>, size=%d, nrcpt=1 (queue active)\n" % (s, q, qid, c, size))
            f.write("%s mx1 postfix/lmtp[88]: %s: to=<u@example.com>, relay=local, delay=0.1, status=sent (250 ok)\n" % (s, q))
            f.write("%s mx1 postfix/qmgr[55]: %s: removed\n" % (s, q))
        if h % 24 == 3 and not exim:
            f.write("%s mx1 CRON[9]: (root) CMD (run-parts /etc/cron.hourly)\n" % stamp(h * 3600.0 + 1))
    f.close()

if __name__ == "__main__":
    main()
