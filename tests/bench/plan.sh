#!/usr/bin/env bash
# plan.sh - what a [plan] saves: the runs the bundled backup-size plan
# needed against the runs of a grid study of the same resolution and range
# with as many runs per value as the plan gives each value first (what
# deciding every value would take at least), and both wall times.
# Usage: tests/bench/plan.sh path/to/mxsim
set -eu
MX=$1
S=scenarios/plan-backup-size.ini
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$MX" run -q -j 2 -o "$T" "$S"
m=$T/plan-backup-size/manifest.ini
runs=$(sed -n 's/^plan_runs = //p' "$m")
wall=$(sed -n 's/^wall_seconds = //p' "$m")
values=$("$MX" check "$S" | sed -n 's/^; plan: .*(\([0-9]*\) values).*/\1/p')
first=$("$MX" check "$S" | sed -n 's/^; plan: \([0-9]*\) runs per value first.*/\1/p')
printf '%-18s %8s %10s %s\n' plan runs wall_s answer
printf '%-18s %8s %10s %s\n' "backup-size plan" "$runs" "$wall" \
	"$(sed -n 's/^plan_value = //p' "$m") messages"
printf '%-18s %8s %10s %s\n' "grid study" "$((values * first))" \
	"$(python3 -c "print(round($wall * $values * $first / $runs, 1))")" \
	"(estimated: $values values x $first runs; the same resolution, 1 %)"
