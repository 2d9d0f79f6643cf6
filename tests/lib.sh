# lib.sh - what the shell tests share: a private temporary folder $T
# (removed at exit), the pass/fail counters and check, and the closing
# line "N passed, N failed" (finish). Sourced, not run.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check WHAT COMMAND...: counts COMMAND's success
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
# the section between <!-- NAME: ... --> and <!-- /NAME --> of README.md
# (or of the file named second)
readme_section() { sed -n "/^<!-- $1: /,/^<!-- \/$1 -->/p" "${2:-README.md}" | sed '1d;$d'; }
finish() {
	echo "$pass passed, $fail failed"
	[ $fail -eq 0 ]
}
