#!/usr/bin/env bash
# security.sh - hostile input through the real binary: data that tries to
# become code (gnuplot, HTML), memory errors, resource exhaustion, foreign
# files in results folders. Each case is a reproducer from issue 11.
# Usage: tests/security.sh [path/to/mxsim]   Last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
MX=${1:-build/mxsim}
MX=$(cd "$(dirname "$MX")" && pwd)/$(basename "$MX")
. tests/lib.sh
# exit status and first line of stderr of a command
run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { cat "$T/rc"; }
says() { grep -qF -- "$1" "$T/err"; }
no_pwned() { test -z "$(find "$T" / -maxdepth 1 -name 'PWNED*' 2>/dev/null)"; }

# A tiny scenario: one domain, one server; $1 adds lines to [server mx].
tiny() {
	cat <<INI
[run]
duration = 2h
bucket = 30m
[traffic]
rate = 200/h
[senders]
count = 20
[resolvers]
count = 5
[domain example.com]
mx = 10 mx.example
[server mx]
host = mx.example
$1
INI
}

cd "$T"
# --- data never becomes code ---------------------------------------------
tiny "" | sed 's/^\[server mx\]/[server x`touch${IFS}PWNED1`]/' >inj-server.ini
run "$MX" run -q -o res inj-server.ini
check "backquoted server name refused with file:line" sh -c "test $(rc) = 2 && grep -q '^inj-server.ini:12: ' '$T/err'"
check "backquoted server name: nothing written" test ! -e res
tiny 'provider = ${prov=a`touch PWNED2`, b}' >inj-study.ini
run "$MX" run -q -o res inj-study.ini
check "backquoted provider study value refused" sh -c "test $(rc) = 2 && grep -q 'inj-study.ini:14: ' '$T/err'"
# a study's name is free text: it must reach plots and pages as text only
tiny 'sessions = ${`touch PWNED3` @x "q" \z $(touch PWNED7)=10, 20}' >inj-label.ini
run "$MX" run -q -o res inj-label.ini
check "hostile study labels run" test "$(rc)" = 0
mkdir -p 'res2' && cp -r res/inj-label 'res2/r`touch PWNED4`'
run "$MX" plot res res2
check "hostile labels and folder names plot" test "$(rc)" = 0
check "no command ran while plotting" no_pwned
check "hostile folder plotted" test -s 'res2/r`touch PWNED4`/latency.png'
# a hostile cell in someone else's aggregate.csv (a study-axis label)
cp -r res/inj-label res3
python3 - res3/aggregate.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
rows[1][1] = '`touch PWNED5` ") ; system("touch PWNED6") ; print("'
csv.writer(open(sys.argv[1], "w"), lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
PY
run "$MX" plot res3
check "a quote in a study value of aggregate.csv is refused with file:line" sh -c "test $(rc) = 1 && grep -q 'res3/aggregate.csv:2: a study value' '$T/err'"
check "no command ran from a CSV cell" no_pwned
sed -i '2s/"")/)/; 2s/(""touch PWNED6"")/(touch PWNED6)/; 2s/print("""/print("/' res3/aggregate.csv
run "$MX" plot res3
check "hostile aggregate.csv cell plots" test "$(rc)" = 0
check "no command ran from a CSV cell" no_pwned
check "the hostile label reaches the page escaped" grep -q 'touch PWNED5` ) ; system(touch PWNED6)' res3/report.html
# results folder names become links: javascript: must stay a relative path
mkdir -p idx && cp -r res/inj-label 'idx/javascript:alert(1)'
run "$MX" plot idx
check "index link to a javascript: folder is a relative path" grep -q 'href="./javascript%3Aalert%281%29/report.html"' idx/index.html
check "no live javascript: link" sh -c "! grep -q 'href=\"javascript' idx/index.html"
# servers.csv: bad names and missing columns are refused with file:line
cp -r res/inj-label bad-srv && sed -i '2s/"mx"/"mx`id`"/' bad-srv/servers.csv
run "$MX" plot bad-srv
check "a server name that breaks the rule in servers.csv is refused" sh -c "test $(rc) = 1 && grep -q 'servers.csv:2: server name' '$T/err'"
cp -r res/inj-label no-col && python3 - no-col/servers.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
csv.writer(open(sys.argv[1], "w"), lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([r[:1] + r[2:] for r in rows])
PY
run "$MX" plot no-col
check "servers.csv without a server column: exit 1, named" sh -c "test $(rc) = 1 && grep -q \"servers.csv:1: expected a column 'server'\" '$T/err'"

# symbolic links where mxsim plot writes must not make it write elsewhere
echo precious >precious.txt
cp -r res/inj-label links && ln -sf "$PWD/precious.txt" links/report.html
run "$MX" plot links
check "a report.html that is a symbolic link is refused" sh -c "test $(rc) = 1 && grep -q 'links/report.html is a symbolic link' '$T/err'"
check "the link's target is untouched" grep -qx precious precious.txt
mkdir -p lroot && cp -r res/inj-label lroot/one && ln -sf "$PWD/precious.txt" lroot/index.html
run "$MX" plot lroot
check "an index.html that is a symbolic link is replaced, not written through" sh -c "test $(rc) = 0 && grep -qx precious precious.txt && test -f lroot/index.html && test ! -L lroot/index.html"

# --- memory errors in plot and report ----------------------------------------
long=$(printf '0%.0s' $(seq 1 700))
tiny "" | sed "s/^count = 20/count = \${a=${long}20, ${long}21}/; s/^count = 5/count = \${b=${long}5, ${long}6}/; s/^\[senders\]/[senders]\nzipf = \${c=${long}1, 0.5${long}}/" >long.ini
run "$MX" run -q -o res long.ini
check "three axes of 700-character values run" test "$(rc)" = 0
run "$MX" plot res/long
check "three axes of 700-character values plot" sh -c "test $(rc) = 0 && test -s res/long/study.png"
tiny 'sessions = ${1..2000}' | sed 's/^duration = 2h/duration = 10m/; s/^bucket = 30m/bucket = 10m/' >many.ini
run "$MX" run -q -j 2 -o res many.ini
check "a 2000-point study runs" test "$(rc)" = 0
run "$MX" plot res/many
check "a 2000-point study plots" sh -c "test $(rc) = 0 && test -s res/many/report.html"

# --- crashes become messages -------------------------------------------------
tiny "" | sed 's/^duration = 2h/duration = ${1h, 2h}/' >vary.ini
run "$MX" check vary.ini
check "a study over the duration: exit 2 with a message (check)" sh -c "test $(rc) = 2 && grep -q 'may not change' '$T/err'"
run "$MX" run -q -o res vary.ini
check "a study over the duration: exit 2 with a message (run)" test "$(rc)" = 2
tiny "" | sed 's/^duration = 2h/duration = 2h ; try ${5m, 1h}/' >comment.ini
printf '; a description with ${x, y} in it\n' | cat - comment.ini >c2.ini && mv c2.ini comment.ini
run "$MX" check comment.ini
check "study lists in comments are no study" sh -c "test $(rc) = 0 && grep -q '1 point(s)' '$T/out'"
tiny 'bandwidth = 1e-300' >bw.ini
run "$MX" run -q -o res bw.ini
check "bandwidth = 1e-300: exit 2 with file:line" sh -c "test $(rc) = 2 && grep -q '^bw.ini:14: bandwidth' '$T/err'"

# --- bounded resources ------------------------------------------------------------
tiny "" | sed 's|^rate = 200/h|rate = 1e9/s|' >rate.ini
run timeout 20 "$MX" run -q -o res rate.ini
check "rate 1e9/s refused up front with file:line" sh -c "test $(rc) = 2 && grep -q '^rate.ini:5: rate: one run needs up to' '$T/err'"
tiny 'mtbf = 1us
mttr = 1us' >flap.ini
run timeout 20 "$MX" run -q -o res flap.ini
check "mtbf = mttr = 1us refused up front" sh -c "test $(rc) = 2 && grep -q '^flap.ini:14: mtbf: one run needs about' '$T/err'"
tiny "" | sed 's/^\[run\]/[run]\nmax_events = 1000/' >limit.ini
run timeout 20 "$MX" run -q -o res limit.ini
check "a run estimated over max_events is refused up front" sh -c "test $(rc) = 2 && grep -q 'more than \[run\] max_events = 1000' '$T/err'"
# retries to a refusing server cost more events than the estimate: the
# engine's limit ends the run
tiny 'down = refuse' | sed 's/^\[run\]/[run]\nmax_events = 1300/' >limit1.ini
printf '[timeline]\n0s = down mx\n' >>limit1.ini
run timeout 20 "$MX" run -q -o res limit1.ini
check "a run past max_events stops with exit 1 and says so" sh -c "test $(rc) = 1 && grep -q 'run stopped after 1300 events' '$T/err' && test ! -e res/limit1"
tiny "" | sed 's/^\[run\]/[run]\nmax_events = 1e6/' >limit2.ini
run timeout 20 "$MX" run -q -o res limit2.ini
check "a run within max_events runs" test "$(rc)" = 0
run timeout 20 "$MX" check /dev/zero
check "/dev/zero as a scenario: not a regular file" sh -c "test $(rc) = 2 && grep -q '/dev/zero: not a regular file' '$T/err'"
tiny 'session_time = empirical(/dev/zero)' >zero.ini
run timeout 20 "$MX" check zero.ini
check "/dev/zero as an empirical table: refused" sh -c "test $(rc) = 2 && grep -q 'not a regular file' '$T/err'"
tiny 'sessions = ${1..1000}' | sed 's/^count = 20/count = ${1..1000}/' >huge-study.ini
run timeout 20 "$MX" check huge-study.ini
check "a million-point study: exit 2, bounded" sh -c "test $(rc) = 2 && grep -q 'more than 10000 study points' '$T/err'"
tiny "" | sed 's/^\[domain example.com\]/[population]\ncount = 10000000\nmx = 10 mx.example\n[domain example.com]/' >pop.ini
run timeout 120 "$MX" run -q -o res --set run.max_memory=1GB pop.ini
check "a 10^7-domain population over max_memory: exit 2 with file:line" sh -c "test $(rc) = 2 && grep -q 'pop.ini:11: count: 10000000 domains need' '$T/err'"

# max_memory bounds the whole command: its default is a share of what the
# process may use (ulimit -v here), scenarios add up, study points are
# built when used
# (not under the sanitizers: ASan reserves terabytes of address space, and
# its shadow memory is no measure of mxsim's)
if [ "${MXSIM_QUICK:-0}" != 1 ]; then
	run bash -c "ulimit -v 4000000; exec '$MX' run -q -o res pop.ini"
	check "10^7 domains under ulimit -v 4 GB: exit 2 naming max_memory and ulimit -v, no abort" sh -c "test $(rc) = 2 && grep -q 'more than \[run\] max_memory = 2.0 GB (50 % of 4.1 GB, ulimit -v' '$T/err'"
fi
big() { tiny "" | sed "s/^\[run\]/[run]\nname = big$1/; s/^duration = 2h/duration = 10m/; s/^bucket = 30m/bucket = 10m/; s/^\[domain example.com\]/[population]\ncount = 400000\nmx = 10 mx.example\n[domain example.com]/"; }
for i in 1 2 3 4; do big $i >big$i.ini; done
run "$MX" run -q -o res --set run.max_memory=400MB big1.ini
check "one scenario within max_memory runs" test "$(rc)" = 0
run "$MX" run -q -o res --set run.max_memory=400MB big1.ini big2.ini big3.ini big4.ini
check "four such scenarios together: refused up front, exit 2" sh -c "test $(rc) = 2 && grep -q 'held for 4 scenario(s).*more than \[run\] max_memory = 400.0 MB' '$T/err' && test ! -e res/big2"
tiny 'sessions = ${1..1000}' | sed 's/^duration = 2h/duration = 10m/; s/^bucket = 30m/bucket = 10m/; s/^\[domain example.com\]/[population]\ncount = 2000\nmx = 10 mx.example\n[domain example.com]/' >points.ini
if [ "${MXSIM_QUICK:-0}" != 1 ]; then
	python3 - "$MX" <<'PY'
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "run", "-q", "-j", "2", "-o", "res", "--set", "run.max_memory=1GB", "points.ini"])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.exit(0 if r.returncode == 0 and peak < 100000 else 1)
PY
	check "1000 points x 2000 domains: points built when used (peak under 100 MB)" test $? = 0
fi

python3 -c "
print('[server mx]\nhost = mx.example')
for i in range(100000): print(f'[domain d{i}.example]\nmx = 10 mx{i}.example')" >sections.ini
run timeout 30 "$MX" check sections.ini
check "100,000 sections are read in linear time" test "$(rc)" = 0
python3 -c "
print('[server mx]\nhost = mx.example\n[domain a.example]\nmx = 10 mx.example\n[timeline]')
for i in range(20000): print(f'{i % 100}m = ttl a.example {i}s')" >timeline.ini
run timeout 30 "$MX" check timeline.ini
check "a timeline of 20,000 lines is refused with file:line" sh -c "test $(rc) = 2 && grep -q '^timeline.ini:10006: more than 10000 timeline lines' '$T/err'"

# --- names and values are never cut or wrapped ------------------------------------
n40=server-with-a-name-of-forty-characters-1
tiny "" | sed "s/^\[server mx\]/[server ${n40}x]\nhost = mx2.example\n[server ${n40}]/" >n41.ini
run "$MX" run -q -o res n41.ini
check "server names past 31 characters stay apart" sh -c "test $(rc) = 0 && head -1 res/n41/summary.csv | grep -q 'delivered_${n40}x\"' && head -1 res/n41/summary.csv | grep -q 'delivered_${n40}\"'"
tiny "provider = a" | sed 's/^\[server mx\]/[server provider_a]/' >dupcol.ini
run "$MX" check dupcol.ini
check "a server and a provider that make the same column are refused" sh -c "test $(rc) = 2 && grep -q \"column 'delivered_provider_a' would be written twice\" '$T/err'"
n64=$(printf 'a%.0s' $(seq 1 64))
tiny "" | sed "s/^\[server mx\]/[server ${n64}]/" >n64.ini
run "$MX" check n64.ini
check "a 64-character server name is refused" sh -c "test $(rc) = 2 && grep -q 'at most 63 characters' '$T/err'"
{ tiny "accepts = $(for i in $(seq 1 300); do printf 'domain-number-%03d.example, ' $i; done)example.com"
  for i in $(seq 1 300); do printf '[domain domain-number-%03d.example]\nmx = 10 mx.example\nweight = 0\n' $i; done; } >acc.ini
run "$MX" run -q -o res acc.ini
check "an accepts list of 7000 characters is read whole" sh -c "test $(rc) = 0 && python3 -c \"import csv,sys; r=next(csv.DictReader(open('res/acc/summary.csv'))); sys.exit(int(float(r['bounced_relay_denied'])) != 0 or int(float(r['delivered'])) == 0)\""
tiny "" | sed 's/^\[run\]/[run]\nseed = -1/' >seed.ini
run "$MX" check seed.ini
check "seed = -1 refused" sh -c "test $(rc) = 2 && grep -q 'seed: expected a whole number >= 0' '$T/err'"
tiny "" >.base.tmp-99999.ini
run "$MX" check .base.tmp-99999.ini
check "a scenario name starting with '.' is refused" test "$(rc)" = 2
printf 'value\n1\n-5\n' >neg.csv
tiny 'session_time = empirical(neg.csv)' >neg.ini
run "$MX" check neg.ini
check "negative values in an empirical table refused with file:line" sh -c "test $(rc) = 2 && grep -q 'neg.csv:3: ' '$T/err'"
printf '1O0\n1\n2\n' >hdr.csv
tiny 'session_time = empirical(hdr.csv)' >hdr.ini
run "$MX" check hdr.ini
check "a bad first line of an empirical table is no header" sh -c "test $(rc) = 2 && grep -q 'hdr.csv:1: ' '$T/err'"
printf 'seconds\n1\n2\n' >hdr2.csv
tiny 'session_time = empirical(hdr2.csv)' >hdr2.ini
run "$MX" check hdr2.ini
check "a header of names is allowed" test "$(rc)" = 0
tiny "" | sed 's/^count = 5/count = ${1,, 2}/' >empty.ini
run "$MX" check empty.ini
check "an empty study value: exit 2 (and no leak under ASan)" sh -c "test $(rc) = 2 && grep -q 'no empty value' '$T/err'"

# --- output: stdout errors, folders, concurrent runs ---------------------------------
for a in --version --help "check size.ini"; do
	tiny "" >size.ini
	"$MX" $a >/dev/full 2>"$T/err"; r=$?
	check "mxsim $a into /dev/full fails" sh -c "test $r = 1 && grep -q 'No space left' '$T/err'"
done
mkdir -p own/tiny && tiny "" >tiny.ini && "$MX" run -q -o own tiny.ini && echo mine >own/tiny/notes.txt
run "$MX" run -q -o own tiny.ini
check "a results folder holding a user's file is not replaced" sh -c "test $(rc) = 2 && grep -q \"holds 'notes.txt'\" '$T/err' && grep -q mine own/tiny/notes.txt"
run "$MX" run -q -o deep/er/out tiny.ini
check "-o with missing parents creates them" sh -c "test $(rc) = 0 && test -s deep/er/out/tiny/summary.csv"
tiny "" | sed 's/^duration = 2h/duration = 30d/; s|^rate = 200/h|rate = 20000/h|' >slow.ini
"$MX" run -q -o conc slow.ini 2>/dev/null &
pid=$!
sleep 1
run "$MX" run -q -o conc tiny.ini
check "a second run into the same -o is refused" sh -c "test $(rc) = 2 && grep -q 'another mxsim run is writing here' '$T/err'"
kill $pid 2>/dev/null
wait $pid 2>/dev/null
if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=8k tmpfs full 2>/dev/null; then
	run "$MX" run -q -o full tiny.ini
	check "a full disk: exit 1 naming the cause" sh -c "test $(rc) = 1 && grep -q 'No space left on device' '$T/err'"
	check "a full disk: nothing half-written" test -z "$(ls -A full)"
	umount full
else
	echo "skipped: the full-disk case needs root and tmpfs"
fi

# --- files are written relative to open folders, never through links ----------
# Whoever can write in -o (or in a results folder) could swap a folder or a
# file for a link between a check and a write: every file mxsim creates
# there must be opened relative to a folder's descriptor, new (O_EXCL) and
# not through a link (O_NOFOLLOW); gnuplot writes only into a private
# folder. strace shows how each file was opened.
creates_safely() { # strace log, folder that must see no path-based create
	python3 - "$1" "$2" <<'PY'
import re, sys
log, inside = sys.argv[1], sys.argv[2]
bad = []
for l in open(log):
    m = re.search(r'open(?:at)?\((AT_FDCWD|\d+), "([^"]*)", ([A-Z_|]+)', l)
    if not m or 'O_CREAT' not in m.group(3):
        continue
    fd, path, flags = m.groups()
    if fd != 'AT_FDCWD' and '/' not in path and 'O_EXCL' in flags and 'O_NOFOLLOW' in flags:
        continue
    if path.startswith('/') and not path.startswith(inside):
        continue  # outside the shared folder: the private temporary folder, caches
    bad.append(l.strip())
if bad: print('\n'.join(bad[:5]))
sys.exit(1 if bad else 0)
PY
}
if command -v strace >/dev/null; then
	strace -f -o "$T/st-run" -e trace=open,openat,creat "$MX" run -q -o "$T/races" tiny.ini 2>/dev/null
	check "run creates every results file by descriptor, new, not through a link" creates_safely "$T/st-run" "$T/races"
	strace -f -o "$T/st-plot" -e trace=open,openat,creat "$MX" plot "$T/races" >/dev/null 2>&1
	check "plot (gnuplot included) creates files in the folder only by descriptor" creates_safely "$T/st-plot" "$T/races"
	check "plot still wrote its images and report" sh -c "test -s '$T/races/tiny/latency.png' && test -s '$T/races/tiny/report.html'"
else
	echo "skipped: the link-race cases need strace"
fi
mkdir -p ptmp
TMPDIR="$T/ptmp" "$MX" plot res/many >/dev/null 2>&1
check "plot leaves no temporary file" test -z "$(ls -A ptmp)"
for sig in INT TERM; do
	TMPDIR="$T/ptmp" "$MX" plot res/many >/dev/null 2>&1 &
	pid=$!
	sleep 0.7
	kill -$sig $pid
	wait $pid
	r=$?
	check "SIG$sig during plot: no temporary file left, ended by the signal" sh -c "test -z \"\$(ls -A ptmp)\" && test $r -gt 128 && ! ls res/many/.*.tmp-* >/dev/null 2>&1"
done

# --- a hostile results folder cannot hang plot ---------------------------------
for what in "points.csv cutover_h" "timeseries.csv t_h" "events.csv t_h"; do
	set -- $what
	rm -rf hang && cp -r res/inj-label hang
	"$MX" run -q -o hang-src tiny.ini 2>/dev/null && rm -rf hang && cp -r hang-src/tiny hang
	python3 - "hang/$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
c = rows[0].index(sys.argv[2])
if len(rows) == 1: rows.append(["0"] * len(rows[0]))
for r in rows[1:]: r[c] = "1e9"
csv.writer(open(sys.argv[1], "w"), lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
PY
	run timeout 60 "$MX" plot hang
	check "$2 = 1e9 in $1: refused at once with file:line, no hang" sh -c "test $(rc) = 1 && grep -q '$1:[0-9]*: $2 .1e9.: expected hours' '$T/err'"
done
rm -rf hang && cp -r hang-src/tiny hang
python3 - hang/timeseries.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
c = rows[0].index("t_h")
rows[-1][c] = "870000"
csv.writer(open(sys.argv[1], "w"), lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
PY
run timeout 60 "$MX" plot hang
check "a century of time axis (the largest allowed) plots in bounded time" test "$(rc)" = 0

# --- stale hidden folders: names shorter than the prefix ------------------------
n63=$(printf 's%.0s' $(seq 1 63))
tiny "" >"$n63.ini"
mkdir -p stale && (cd stale && for i in $(seq 1 1300); do : >"f$i"; done)
run "$MX" run -q -o stale "$n63.ini"
check "1300 short names beside a 63-character scenario: no overread (ASan)" test "$(rc)" = 0

# --- '%' and '"' in study values ----------------------------------------------------
tiny 'sessions = ${pct %s %n=10, 20}' >pct.ini
printf '[report]\nquestion = ${q=a %%s %%n b, 100%% c}\n' >>pct.ini
run "$MX" run -q -o res pct.ini
run "$MX" plot res/pct
check "'%' in study names and values plots (gnuplot formats)" sh -c "test $(rc) = 0 && ! grep -q 'Bad format' '$T/err' && test -s res/pct/heatmap.png"
tiny "" >quote.ini && printf '[report]\nquestion = ${q="why", how}\n' >>quote.ini
run "$MX" run -q -o res quote.ini
check "a '\"' in a study value is refused by run, as plot would" sh -c "test $(rc) = 2 && grep -q 'quote.ini:16: a study value may not hold' '$T/err' && test ! -e res/quote"

# --- no formula in CSV text, no key from a path, no terminal control -------------------
tiny 'sessions = ${@SUM(A1)=10, 20}' >formula.ini
run "$MX" run -q -o res formula.ini
check "a study name a spreadsheet would run is written as text" sh -c "test $(rc) = 0 && head -1 res/formula/summary.csv | grep -qF '\"'\''@SUM(A1)\"' && ! grep -q '^\"@\|,\"@' res/formula/summary.csv"
mkdir -p 'nl
injected = yes' && tiny "" >'nl
injected = yes/nl.ini'
run "$MX" run -q -o res 'nl
injected = yes/nl.ini'
check "a newline in a path adds no key to manifest.ini" sh -c "test $(rc) = 0 && ! grep -q '^injected' res/nl/manifest.ini && grep -q 'scenario = nl\\\\x0ainjected' res/nl/manifest.ini"
printf '[run]\nduration = 2h\n[senders]\ncount = \033]0;PWNED\007\033[31m\n' >esc.ini
run "$MX" check esc.ini
check "escape sequences in a scenario reach stderr as text" sh -c "test $(rc) = 2 && grep -qF 'got '\''\\x1b]0;PWNED\\x07' '$T/err' && ! grep -q \"\$(printf '\\033')\" '$T/err'"

# --- gnuplot from PATH's absolute folders only; FIFOs -----------------------------
cp -r res/inj-label pathdir && printf '#!/bin/sh\ntouch "$(dirname "$0")/PWNED8"\n' >pathdir/gnuplot && chmod +x pathdir/gnuplot
cp pathdir/gnuplot ./gnuplot
PATH=".:$PATH" "$MX" plot pathdir >/dev/null 2>&1; PATH=":$PATH" "$MX" plot pathdir >/dev/null 2>&1
check "a gnuplot in the results or current folder is never run (. or an empty PATH entry)" sh -c "test ! -e pathdir/PWNED8 && test ! -e PWNED8"
rm -f gnuplot
mkfifo fifo.ini
run timeout 10 "$MX" check fifo.ini
check "a FIFO as a scenario is refused at once" sh -c "test $(rc) = 2 && grep -q 'fifo.ini: not a regular file' '$T/err'"

finish
