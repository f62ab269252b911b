#!/bin/sh
# Benchmark: rv-serve's tune-in time and its cost per viewer.
#
# One 1280x720 30000/1001 channel (the default format) on loopback:
#  - cold tune-in, measured from the request, BENCH_TUNES times each:
#    the first playable playlist (/channel/N.m3u8 answered 200; target
#    under 2.5 s) and the first byte of the continuous TS (/channel/N.ts;
#    target under 1.5 s); the channel is left to stop (linger 1 s) between
#    tries;
#  - 500 concurrent viewers (wrk, 500 connections, BENCH_SECONDS): each
#    connection alternates the playlist and the newest segment; errors,
#    latency p50/p99 (target p99 under 100 ms), requests per second, and
#    rv-serve's CPU seconds per request, from which the CPU of a real
#    viewer (one playlist and one segment every 2 s) follows.
#
#   sh bench/serve.sh            # BENCH_TUNES=5 BENCH_SECONDS=30
#
# Needs wrk (apt-get install wrk).  RV_KEEP=1 keeps the scratch folder.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tunes=${BENCH_TUNES:-5}
secs=${BENCH_SECONDS:-30}
command -v wrk >/dev/null || { echo "bench/serve.sh: needs wrk" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rvbench-serve.XXXXXX")
make -s -C "$top" B=build/bench all >/dev/null
bin=$top/build/bench/bin
export PATH="$bin:$PATH" RV_DB="$work/retrovue.db" RV_RUN="$work/run"
serve=""
cleanup() {
	[ -z "$serve" ] || { kill "$serve" 2>/dev/null; wait "$serve" 2>/dev/null; }
	[ -n "${RV_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

L=$work/lib
mkdir -p "$L/Show/Season 01" "$work/ch"
for i in 1 2 3; do
	ffmpeg -nostdin -loglevel error -f lavfi \
	    -i "testsrc2=size=1280x720:rate=30000/1001:duration=110" -f lavfi \
	    -i "sine=frequency=$((300 + 100 * i)):sample_rate=48000:duration=110" \
	    -c:v libx264 -preset veryfast -g 60 -c:a aac \
	    "$L/Show/Season 01/Show - S01E0$i - Part $i.mp4"
done
rv-catalog scan "$L" >/dev/null 2>&1
# shellcheck source=tests/data/channel.sh
. "$top/tests/data/channel.sh"
show_channel_file "$work/ch/bench.yaml" bench 90 Bench 1280x720 2 -
RV_CHANNELS=$work/ch rv-horizon extend >/dev/null 2>&1
port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
cat >"$work/retrovue.yaml" <<YAML
serve:
  listen: "127.0.0.1:$port"
  linger_seconds: 1
YAML
U=http://127.0.0.1:$port
rv-serve -C "$work/retrovue.yaml" 2>"$work/serve.err" &
serve=$!
until curl -s "$U/healthz" >/dev/null 2>&1; do sleep 0.1; done

stopped() {
	curl -s "$U/metrics" | grep -q '^rv_channel_up{channel="bench",state="stopped"} 0$'
}
wait_stopped() {
	until stopped; do sleep 0.2; done
}
echo "cold tune-in, $tunes tries each (seconds):"
for what in m3u8 ts; do
	all=""
	i=0
	while [ $i -lt "$tunes" ]; do
		wait_stopped
		if [ $what = m3u8 ]; then
			t=$(curl -s -o /dev/null -w '%{time_total}' "$U/channel/90.m3u8")
		else
			t=$(curl -s -o /dev/null --max-time 2 \
			    -w '%{time_starttransfer}' "$U/channel/90.ts" || true)
		fi
		all="$all $t"
		i=$((i + 1))
	done
	echo "$all" | tr ' ' '\n' | grep . | sort -n | awk -v w="$what" '
	    { v[NR] = $1 } END { printf "  /channel/90.%s: best %.3f  median %.3f  worst %.3f\n",
	    w, v[1], v[int((NR + 1) / 2)], v[NR] }'
done

# 500 viewers on a running channel.
curl -s -o /dev/null "$U/channel/90.m3u8"
seg=$(curl -s "$U/channel/90.m3u8" | grep -v '^#' | tail -n 1)
cat >"$work/viewer.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then return wrk.format("GET", "/channel/90.m3u8") end
  return wrk.format("GET", "/channel/$seg")
end
LUA
cpu() { awk '{ print $14 + $15 }' "/proc/$serve/stat"; }
c0=$(cpu)
wrk -t2 -c500 -d"${secs}s" --latency -s "$work/viewer.lua" "$U" >"$work/wrk.out" 2>&1
c1=$(cpu)
tck=$(getconf CLK_TCK)
sed -n '/Latency Distribution/,/requests in/p' "$work/wrk.out" | sed 's/^/  /'
grep -E 'Socket errors|Non-2xx|Requests/sec' "$work/wrk.out" | sed 's/^/  /' || true
reqs=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
awk -v c0="$c0" -v c1="$c1" -v t="$tck" -v r="$reqs" 'BEGIN {
    cpu = (c1 - c0) / t
    printf "  rv-serve CPU: %.2f s for %d requests = %.1f us per request\n", cpu, r, cpu / r * 1e6
    printf "  a viewer (playlist + segment every 2 s): %.4f%% of a core; 500 viewers: %.2f%%\n",
        cpu / r * 100, cpu / r * 100 * 500 }'
