#!/usr/bin/env bash
# fit.sh - mxsim fit's speed and memory on a generated week of Postfix log
# (tests/maillog-gen.py, about 610,000 lines) read 10 times over: lines a
# second on one core (the target: a million or more) and the peak RSS,
# which must not grow with the log (the 10x log against the 1x). The wall
# time includes drawing fit.png, and the peak RSS is gnuplot's then (about
# 23 MB; mxsim fit's own is about 6 MB).
# Usage: tests/bench/fit.sh path/to/mxsim
set -eu
MX=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 tests/maillog-gen.py "$T/week.log"
lines=$(wc -l <"$T/week.log")
run() { # LOGS...: seconds and peak KB
	rm -f "$T/t.csv" "$T/fit.png"
	/usr/bin/time -f '%e %M' -o "$T/time" "$MX" fit --year 2026 --table "$T/t.csv" --plot "$T/fit.png" "$@" >/dev/null
	cat "$T/time"
}
read -r s1 kb1 < <(run "$T/week.log")
read -r s10 kb10 < <(run $(for _ in $(seq 10); do echo "$T/week.log"; done))
printf '%-22s %10s %8s %12s %8s\n' "mxsim fit" lines wall_s lines/s rss_kb
printf '%-22s %10d %8s %12.0f %8s\n' "one week" "$lines" "$s1" "$(awk "BEGIN { print $lines / $s1 }")" "$kb1"
printf '%-22s %10d %8s %12.0f %8s\n' "the week 10 times" "$((10 * lines))" "$s10" \
	"$(awk "BEGIN { print 10 * $lines / $s10 }")" "$kb10"
