#!/bin/sh
# Run every libFuzzer target for a bounded time on its corpus.
#
#   tests/fuzz/run.sh FUZZ_BUILD SECONDS
#
# Prints TAP (one line per target) so that tests/run.sh can count it; a
# finding leaves its input in tests/fuzz/ and fails the target.
set -u
dir=${1:?usage: tests/fuzz/run.sh FUZZ_BUILD SECONDS}
secs=${2:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
# Undefined behaviour is a finding, not a line in the log.
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1
export UBSAN_OPTIONS
n=0
failed=0
for bin in "$dir"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	n=$((n + 1))
	corpus="$top/tests/fuzz/corpus/$name"
	work=$(mktemp -d)
	mkdir -p "$corpus"
	# New inputs go to a scratch folder: the committed corpus only
	# changes by hand.
	if "$bin" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$top/tests/fuzz/" -rss_limit_mb=2048 \
	    "$work" "$corpus" >"$work.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
		echo "ok $n - fuzz_$name: ${runs:-?} executions in ${secs}s, no finding"
	else
		failed=$((failed + 1))
		echo "not ok $n - fuzz_$name: finding (see tests/fuzz/ and below)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$work.log" | sed 's/^/#   /'
	fi
	rm -rf "$work" "$work.log"
done
echo "1..$n"
[ "$failed" -eq 0 ]
