#!/usr/bin/env bash
# extend.sh - adding a name of each kind is one row in one table plus its
# use. tests/extend/one-of-each.patch adds a metric, a scenario key, a
# timeline action, an MTA profile and a resolver profile to a copy of the
# tree; the copy builds, knows each new name everywhere it should (the
# reference tables, parsing, "did you mean", the resolved scenario, the
# CSVs), and its README check reports exactly the new rows.
# Usage: tests/extend.sh   Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

git ls-files | grep -v '^tests/fuzz/corpus/' | tar -cf - -T - | tar -xf - -C "$T"
cd "$T"
check "the patch applies" patch -s -p1 -i tests/extend/one-of-each.patch
check "the copy builds" make -s -j2 build/mxsim >/dev/null
MX=build/mxsim
check "the key is in the reference" sh -c "$MX help keys | grep -q '^| \`note\` |'"
check "the action is in the reference" sh -c "$MX help keys | grep -q '^| \`drain SERVER\` |'"
check "the metric is in the reference" sh -c "$MX help metrics | grep -q '^| \`delivered_share\` |'"
cat >one.ini <<'INI'
[run]
duration = 6h
note = the new key is read
[traffic]
rate = 600/h
[senders]
count = 20
profiles = postfix-fast
[resolvers]
count = 5
profiles = cloudflare
[domain example.com]
mx = 10 mx.example
[server mx]
host = mx.example
[timeline]
3h = drain mx
INI
check "a scenario with the new names runs" "$MX" run -q -o res one.ini
check "the new key is in the resolved scenario" grep -q '^note = the new key is read' res/one/scenario.ini
check "the new metric is a column, between 0 and 1" python3 - <<'PY'
import csv, sys
r = next(csv.DictReader(open("res/one/summary.csv")))
share = float(r["delivered_share"])
sys.exit(0 if 0 < share < 1 and int(float(r["bounced_relay_denied"])) > 0 else 1)
PY
sed -i 's/3h = drain mx/3h = drian mx/' one.ini
check "the new action is suggested" sh -c "$MX check one.ini 2>&1 | grep -q \"did you mean 'drain'\""
new_rows() { diff <("$MX" help "$1") <(readme_section "$1") | grep -c '^<'; }
check "the README check names exactly the new rows" test "$(new_rows keys) $(new_rows metrics)" = "2 1"
# README's "Extending mxsim" says how big the patch is; its Layout table
# names every module of the four floors and the scenario language
added=$(grep -c '^+[^+]' tests/extend/one-of-each.patch)
files=$(grep -c '^+++ ' tests/extend/one-of-each.patch)
words=(zero one two three four five six seven eight nine)
check "README: the patch is $added added lines in ${words[$files]} files" \
	grep -q "$added added lines in ${words[$files]} files" README.md
missing=""
for d in sim models models/scenario cli plot; do
	row=$(grep "^| \`$d/\` |" README.md)
	for f in "$d"/*.[ch]; do
		m=$(basename "$f" .c)
		m=${m%.h}
		case "$row" in *"\`$m\`"* | *"\`$m.h\`"*) ;; *) missing="$missing $d/$m" ;; esac
	done
done
check "README's Layout names every module (missing:${missing:- none})" test -z "$missing"
finish
