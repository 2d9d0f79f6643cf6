#!/usr/bin/env bash
# mpi.sh - mxsim-mpi under mpirun: the bundled scenarios over 3 ranks
# (oversubscribed) give every CSV byte for byte as `mxsim run -j 1`; one
# rank works; a scenario error is said once, exit 2, nothing written; a
# killed rank ends the run and nothing of the unfinished scenario is
# published. Skipped (with a message) where Open MPI is missing.
# Usage: tests/mpi.sh build   (the folder with mxsim and mxsim-mpi)
# Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
B=${1:-build}
MX=$B/mxsim
MPI=$B/mxsim-mpi
if ! command -v mpirun >/dev/null || [ ! -x "$MPI" ]; then
	echo "mpi.sh: Open MPI (mpirun) or $MPI missing: skipped"
	finish
	exit 0
fi
# as root mpirun wants to be told; results go to $T only
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { mpirun --oversubscribe -np "$1" "$MPI" "${@:2}"; }

# --- identical results --------------------------------------------------
set2="--set run.replications=2"
# (the reference at -j 2: results are the same for any -j, cli.sh checks)
"$MX" run -q -j 2 -o "$T/one" $set2 scenarios/*.ini 2>/dev/null
mpi 3 run -q -o "$T/three" $set2 scenarios/*.ini 2>/dev/null
check "3 ranks: exit 0" test $? -eq 0
same=1
for d in "$T"/one/*/; do
	n=$(basename "$d")
	for f in "$d"*.csv "$d"scenario.ini; do
		cmp -s "$f" "$T/three/$n/$(basename "$f")" || { same=0; echo "differs: $n/$(basename "$f")"; }
	done
	[ "$(grep '^event_fingerprint' "$d"manifest.ini)" = \
		"$(grep '^event_fingerprint' "$T/three/$n/manifest.ini")" ] ||
		{ same=0; echo "differs: $n's event fingerprints"; }
done
check "3 ranks: every CSV and event fingerprint of every bundled scenario (a plan's plan.csv too) as -j 2" test $same = 1
mpi 1 run -q -o "$T/single" $set2 scenarios/size-limit.ini 2>/dev/null
check "1 rank runs the jobs itself, same results" \
	cmp -s "$T/one/size-limit/summary.csv" "$T/single/size-limit/summary.csv"

# --sensitivity (the moved runs are batches of their own): the same bytes
sens=(--sensitivity -r 3 --set 'run.precision=' --set 'run.duration=3d'
	--set 'timeline.1d10h=ttl example.com 5m' scenarios/ttl-cutover.ini)
"$MX" run -q -j 2 -o "$T/s1" "${sens[@]}" 2>/dev/null
mpi 3 run -q -o "$T/s3" "${sens[@]}" 2>/dev/null
check "3 ranks: --sensitivity's sensitivity.csv as -j 2" \
	cmp -s "$T/s1/ttl-cutover/sensitivity.csv" "$T/s3/ttl-cutover/sensitivity.csv"

# --- a scenario error: said once by rank 0, exit 2, nothing written ----
mpi 3 run -q -o "$T/bad" tests/bad/unknown-key.ini 2>"$T/err"; rc=$?
check "a bad scenario under 3 ranks: exit 2, one message, nothing written" \
	sh -c "test $rc -eq 2 && test \$(grep -c 'unknown key' '$T/err') -eq 1 && test ! -e '$T/bad'"

# --- a killed rank ends the run; nothing partial is published ---------
mpi 3 run -q -o "$T/kill" --set run.replications=40 scenarios/backup-storage.ini \
	>/dev/null 2>"$T/kerr" &
runner=$!
victim=""
for _ in $(seq 100); do
	sleep 0.2
	for p in $(pgrep -f "$MPI run -q -o $T/kill"); do
		grep -qz '^OMPI_COMM_WORLD_RANK=2$' "/proc/$p/environ" 2>/dev/null && victim=$p
	done
	[ -n "$victim" ] && break
done
sleep 2
[ -n "$victim" ] && kill -KILL "$victim"
wait $runner; rc=$?
check "a killed rank: mpirun fails" test $rc -ne 0
check "a killed rank: the unfinished scenario is not published" test ! -e "$T/kill/backup-storage"
finish
