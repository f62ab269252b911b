#!/bin/sh
# make demo, as the README runs it, with DEMO_CHECK=1: the library is
# made (or reused), the channels installed and extended, rv-serve started,
# and the first segment of every channel served; then it stops by itself.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

build=$(cd "$(dirname "$(command -v rv-serve)")/.." && pwd)
case $build in */asan) san=1 ;; *) san= ;; esac
port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
make -s -C "$RV_TOP" demo B="$build" ${san:+SAN=1} DEMO_CHECK=1 \
    DEMO_LISTEN="127.0.0.1:$port" >"$T/demo.out" 2>"$T/demo.err"
check_eq "make demo serves every channel and stops (DEMO_CHECK=1)" "0" "$?" ||
    sed 's/^/#   /' "$T/demo.err" | tail -n 20
for n in 1 2 3; do
	check_grep "channel $n's first segment was served" \
	    "demo: channel $n: first segment $n/[0-9]*\.ts served" "$T/demo.err"
done
check_grep "it printed the guide's address" "guide and player   http://127.0.0.1:$port/" "$T/demo.err"
check "the library has three shows, four films and interstitials" test \
    "$(find "$build/demo/library" -name '*.m*' | wc -l)" -ge 32
check_grep "/metrics holds the demo channels' frames" \
    '^rv_air_frames_total{channel="retrovue-one",kind="content"} ' "$build/demo/metrics.txt"
if command -v promtool >/dev/null 2>&1; then
	check "promtool check metrics: the demo's /metrics is clean" \
	    sh -c "promtool check metrics <'$build/demo/metrics.txt'"
elif [ -n "${CI:-}" ]; then
	not_ok "promtool is installed (scripts/deps)"
fi
check_eq "no channel is left running" "" \
    "$(pgrep -f "rv-channel.*run retrovue-" || true)"
done_testing
