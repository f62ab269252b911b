#!/bin/sh
# Run every test and end with one summary line "N passed, N failed".
#
#   tests/run.sh BUILD [ASAN_BUILD]
#
# Unit tests are cmocka binaries in BUILD/tests (and again ASAN_BUILD/tests);
# integration tests are tests/integration/*.sh run with BUILD/bin first in
# PATH.  Every test speaks TAP ("ok N - …" / "not ok N - …"); a binary or
# script that exits non-zero without a "not ok" line counts as one failure.
set -u

build=${1:?usage: tests/run.sh BUILD [ASAN_BUILD]}
asan=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
logs="$build/test-logs"
mkdir -p "$logs"

# Tests that need the source tree (media generators, reference files)
# find it through RV_TOP.
RV_TOP=$top
export RV_TOP
passed=0
failed=0
failures=""

# log_of NAME: the log file of test NAME.
log_of() { echo "$logs/$(echo "$1" | tr '/ ' '__').log"; }

# timed LOG COMMAND...: run one test program, its output in LOG; print
# its exit status and the seconds it took.
timed() {
	_log=$1
	shift
	_start=$(date +%s)
	"$@" >"$_log" 2>&1 </dev/null
	echo "$? $(( $(date +%s) - _start ))"
}

# run NAME COMMAND...: run one test program, count its TAP lines.
run() {
	name=$1
	shift
	log=$(log_of "$name")
	# shellcheck disable=SC2046 # "STATUS SECONDS"
	tally $(timed "$log" "$@")
}

# beside NAME COMMAND...: start one test program in the background, for
# a test that mostly waits on the wall clock (a browser playing a channel
# in real time) and can run beside the others; `joined` counts it.
beside() {
	beside_name=$1
	shift
	timed "$(log_of "$beside_name")" "$@" >"$(log_of "$beside_name").rc" &
	beside_pid=$!
}

# joined: wait for the test started by `beside` and count it.
joined() {
	[ -n "${beside_pid:-}" ] || return 0
	wait "$beside_pid"
	name=$beside_name
	log=$(log_of "$name")
	beside_pid=
	# shellcheck disable=SC2046 # "STATUS SECONDS"
	tally $(cat "$log.rc" 2>/dev/null || echo "1 0")
	rm -f "$log.rc"
}

# tally STATUS SECONDS: count the TAP lines in $log of test $name.
tally() {
	rc=$1
	secs=$2
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		printf 'FAIL %-40s %3d passed %3d failed  %ss\n' "$name" "$p" "$f" "$secs"
		failures="$failures $log"
	else
		printf 'ok   %-40s %3d passed  %ss\n' "$name" "$p" "$secs"
	fi
}

export CMOCKA_MESSAGE_OUTPUT=TAP
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "unit/${t##*/}" "$t"
done
if [ -n "$asan" ]; then
	asan=$(cd "$asan" && pwd)
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	for t in "$asan"/tests/test_*; do
		[ -x "$t" ] || continue
		run "asan/${t##*/}" "$t"
	done
	unset ASAN_OPTIONS UBSAN_OPTIONS
fi
unset CMOCKA_MESSAGE_OUTPUT

RV_BUILD=$build
export RV_BUILD PATH
path=$PATH
PATH="$build/bin:$path"
# The browser test spends its minute watching a channel at 320x240 in
# real time, using a sixth of a core: it runs beside the rest.
beside_test=browser.sh
[ ! -f "$top/tests/integration/$beside_test" ] ||
    beside "integration/$beside_test" sh "$top/tests/integration/$beside_test"
for t in "$top"/tests/integration/*.sh; do
	[ -f "$t" ] || continue
	[ "${t##*/}" = lib.sh ] && continue	# the helpers the tests source
	[ "${t##*/}" = "$beside_test" ] && continue
	run "integration/${t##*/}" sh "$t"
done
joined
# The same end-to-end tests on the sanitizer build of the programs: a
# leak or undefined behaviour fails them.
if [ -n "$asan" ] && [ -x "$asan/bin/rv-frame" ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	PATH="$asan/bin:$path"
	for t in "$top"/tests/integration/*.sh; do
		[ -f "$t" ] || continue
		[ "${t##*/}" = lib.sh ] && continue
		run "asan/${t##*/}" sh "$t"
	done
	unset ASAN_OPTIONS UBSAN_OPTIONS
	PATH="$build/bin:$path"
fi

# The fuzz targets that `make check` built, for a short bounded run each.
if [ -d "$build/fuzz" ]; then
	run "fuzz (${RV_FUZZ_SECONDS:-5}s each)" \
	    sh "$top/tests/fuzz/run.sh" "$build/fuzz" "${RV_FUZZ_SECONDS:-5}"
fi

for log in $failures; do
	echo "---- $log"
	grep -v '^ok ' "$log" | tail -n 40
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
