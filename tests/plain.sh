#!/usr/bin/env bash
# plain.sh - the fast paths against their plain twins, and the model
# against its recorded behaviour. Every bundled scenario (2 replications)
# is run by the program (-j 2) and by the plain reference build (make
# PLAIN=1: every SIM_FAST path off; -j 1): every file but the manifest must
# be the same bytes and every run's event fingerprint (sim_fingerprint) the
# same. The fingerprints must also be those in tests/fingerprints: a model
# change that moves any event shows there, and is reviewed in the commit
# that updates the file (--update writes it).
# Usage: tests/plain.sh FAST PLAIN [--update]   Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
FAST=$1 PLAIN=$2
REC=tests/fingerprints
SETS=(--set run.replications=2 --set run.max_replications=2)

fingerprint() { sed -n 's/^event_fingerprint = //p' "$1/manifest.ini"; }

"$FAST" run -q -j 2 "${SETS[@]}" -o "$T/fast" scenarios/*.ini 2>/dev/null
check "the program runs the bundled scenarios" test $? = 0
"$PLAIN" run -q -j 1 "${SETS[@]}" -o "$T/plain" scenarios/*.ini 2>/dev/null
check "the plain build runs the bundled scenarios" test $? = 0
new=$T/fingerprints
: >"$new"
for ini in scenarios/*.ini; do
	n=$(basename "$ini" .ini)
	for f in "$T/fast/$n"/*; do
		b=$(basename "$f")
		[ "$b" = manifest.ini ] && continue
		check "$n/$b: the same bytes in both builds" cmp -s "$f" "$T/plain/$n/$b"
	done
	check "$n: the same runs' fingerprints in both builds" \
		test "$(grep '^event_fingerprints = ' "$T/fast/$n/manifest.ini")" = \
		"$(grep '^event_fingerprints = ' "$T/plain/$n/manifest.ini")"
	echo "$n $(fingerprint "$T/fast/$n")" >>"$new"
done
# the trace too, message by message, where mail is still queued at the end
# (its rows come by message id, not by where a message lies in memory)
cat >"$T/queued.ini" <<'INI'
[run]
duration = 3h
replications = 2
[traffic]
rate = 3000/h
[senders]
count = 300
[domain example.com]
mx = 10 mx.example.com, 20 backup.example.com
[server mx]
host = mx.example.com
[server backup]
host = backup.example.com
provider = backup
[timeline]
2h = outage mx 2h
INI
"$FAST" run -q -j 2 --trace -o "$T/qf" "$T/queued.ini" 2>/dev/null &&
	"$PLAIN" run -q -j 1 --trace -o "$T/qp" "$T/queued.ini" 2>/dev/null
check "a traced run with mail queued at the end runs in both builds" test $? = 0
check "some mail is queued at the end" grep -q '"queued"' "$T/qf/queued/trace.csv"
check "its trace is the same bytes in both builds" cmp -s "$T/qf/queued/trace.csv" \
	"$T/qp/queued/trace.csv"
if [ "${3:-}" = --update ]; then
	cp "$new" "$REC"
	echo "plain.sh: $REC written"
fi
if ! cmp -s "$new" "$REC"; then
	bad "the fingerprints are those recorded in $REC (a changed model: review, then
      tests/plain.sh $FAST $PLAIN --update):"
	diff "$REC" "$new"
else
	ok
fi
finish
