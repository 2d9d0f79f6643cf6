#!/usr/bin/env bash
# provider.sh - the provider-week benchmark (scenarios/bench/provider-week.ini)
# on one core (-j 1) at 10^5, 10^6 and 10^7 messages, then the parallel
# speed-up of a 2-point study with -j 1 against -j 2.
# Usage: tests/bench/provider.sh path/to/mxsim
set -eu
MX=$1
S=scenarios/bench/provider-week.ini
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
field() { sed -n "s/^$1 = //p" "$2"; }
col() { python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(sum(float(x[sys.argv[2]]) for x in r))" "$1" "$2"; }

printf '%-10s %12s %12s %8s %12s %12s %9s %10s %10s %9s\n' target messages events wall_s \
	events/s messages/s rss_MB B/sender B/message cost/msg
base=""
for n in 100000 1000000 10000000; do
	"$MX" run -q -j 1 -o "$T/$n" --set "traffic.rate=$n/7d" "$S"
	d=$T/$n/provider-week
	msgs=$(col "$d/summary.csv" submitted)
	ev=$(col "$d/summary.csv" events)
	wall=$(field wall_seconds "$d/manifest.ini")
	rss=$(field peak_rss_kb "$d/manifest.ini")
	per=$(python3 -c "print($wall / $msgs * 1e9)")
	[ -z "$base" ] && base=$per
	python3 -c "
n, m, e, w, r, per, base = $n, $msgs, $ev, $wall, $rss, $per, $base
print('%-10d %12d %12d %8.2f %12.0f %12.0f %9.0f %10.0f %10.0f %8.2fx' % (n, m, e, w, e / w, m / w,
      r / 1024, r * 1024 / 1e6, r * 1024 / m, per / base))"
done

"$MX" run -q -j 1 -o "$T/s1" --set "traffic.rate=1000000/7d" --set 'server new.sessions=${2000, 3000}' "$S"
"$MX" run -q -j 2 -o "$T/s2" --set "traffic.rate=1000000/7d" --set 'server new.sessions=${2000, 3000}' "$S"
w1=$(field wall_seconds "$T/s1/provider-week/manifest.ini")
w2=$(field wall_seconds "$T/s2/provider-week/manifest.ini")
same=yes
for f in summary aggregate timeseries latency; do
	cmp -s "$T/s1/provider-week/$f.csv" "$T/s2/provider-week/$f.csv" || same=no
done
python3 -c "print('2-point study, 10^6 messages each: -j 1 %.2f s, -j 2 %.2f s, speed-up %.2fx, identical results: $same' % ($w1, $w2, $w1 / $w2))"
