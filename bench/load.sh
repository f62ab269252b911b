#!/bin/sh
# Benchmark: many channels on the air at once, with viewers on each.
#
# LOAD_CHANNELS channels (8) at LOAD_SIZE (1280x720) 30000/1001 with the
# encoder preset LOAD_PRESET (ultrafast, a light one), started through
# rv-serve by their first viewer, then watched for LOAD_SECONDS (120) of
# wall time: the odd channels by an HLS viewer (the playlist and every
# new segment, once a second), the even ones by a continuous TS viewer
# (/channel/N.ts).  Segment lines in the playlist are relative to
# /channel/ (N/NNNNNNNN.ts).  Reported, per channel and in all:
#
#   - rv_air_encoder_speed (1 while rv-air keeps up with real time) and
#     rv_air_late_ticks_total (ticks emitted after their deadline: a
#     stall) from /metrics, over the window;
#   - segments published over the window against the wall time (2 s
#     segments: LOAD_SECONDS / 2 when the channel keeps real time), and
#     the bytes each viewer received;
#   - the CPU seconds (user + system) of each channel's processes over
#     the window, and from them the channels of that kind one core
#     carries: LOAD_SECONDS / CPU seconds per channel.
#
# It passes when every channel kept real time: encoder speed >= 0.99 at
# the end, segments within one of the wall time's, and under 1% of its
# ticks late (a late tick is one whose frame was done after the next
# frame's instant; the channel's --lead buffer, 6 s from rv-serve, takes
# such a tick without the viewer seeing it: a stall is a run of them that
# the segments would show).  Exit 1 otherwise.
#
#   sh bench/load.sh
#   LOAD_CHANNELS=4 LOAD_PRESET=veryfast LOAD_SECONDS=60 sh bench/load.sh
#
# Builds into build/bench; RV_KEEP=1 keeps the scratch folder.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n_ch=${LOAD_CHANNELS:-8}
size=${LOAD_SIZE:-1280x720}
preset=${LOAD_PRESET:-ultrafast}
secs=${LOAD_SECONDS:-120}
w=${size%x*} h=${size#*x}
work=$(mktemp -d "${TMPDIR:-/tmp}/rvbench-load.XXXXXX")
viewers=""
serve=""
cleanup() {
	for p in $viewers; do kill "$p" 2>/dev/null || :; done
	[ -z "$serve" ] || { kill -TERM "$serve" 2>/dev/null; wait "$serve" 2>/dev/null || :; }
	[ -n "${RV_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=bench/media.sh
. "$top/bench/media.sh"
bench_build "$work"

# --- Media (bench/media.sh): 6 episodes of 4:00 and 3 commercials.
L=$work/lib
mkdir -p "$work/ch"
bench_library "$L" "$work/gen" 6

k=1
while [ $k -le "$n_ch" ]; do
	show_channel_file "$work/ch/load-$k.yaml" "load-$k" $((100 + k)) "load-$k" \
	    "${w}x$h" 5 commercials "$preset"
	k=$((k + 1))
done
RV_CHANNELS=$work/ch rv-horizon extend >/dev/null

port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
printf 'serve:\n  listen: "127.0.0.1:%s"\n  linger_seconds: 600\n  max_starting: %s\n' \
    "$port" "$n_ch" >"$work/retrovue.yaml"
U=http://127.0.0.1:$port
rv-serve -C "$work/retrovue.yaml" 2>"$work/serve.err" &
serve=$!
i=0
until curl -s "$U/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "rv-serve did not start" >&2; exit 1; }
	sleep 0.1
done

# --- Start every channel (its first viewer), then the viewers.
k=1
while [ $k -le "$n_ch" ]; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$U/channel/$((100 + k)).m3u8")
	[ "$code" = 200 ] || { echo "load-$k: start answered $code" >&2; exit 1; }
	k=$((k + 1))
done
hls_viewer() {
	got=$work/hls-$1.seen
	: >"$got"
	while :; do
		curl -s --max-time 5 "$U/channel/$1.m3u8" | grep -v '^#' | while read -r seg; do
			grep -qx "$seg" "$got" && continue
			echo "$seg" >>"$got"
			curl -s --max-time 10 "$U/channel/$seg" >>"$work/bytes-$1"
		done
		sleep 1
	done
}
k=1
while [ $k -le "$n_ch" ]; do
	num=$((100 + k))
	: >"$work/bytes-$num"
	if [ $((k % 2)) -eq 1 ]; then
		hls_viewer $num >/dev/null 2>&1 &
	else
		curl -s --max-time "$((secs + 30))" "$U/channel/$num.ts" >"$work/bytes-$num" 2>/dev/null &
	fi
	viewers="$viewers $!"
	k=$((k + 1))
done

# cpu CH: the CPU seconds (user + system) of the channel's processes.
tck=$(getconf CLK_TCK)
cpu() {
	for f in "$RV_RUN/$1"/*.pid; do
		p=$(cat "$f" 2>/dev/null) || continue
		[ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat"
	done | awk -v t="$tck" '{ s += $12 + $13 } END { printf "%.2f", s / t }'
}
metric() { curl -s "$U/metrics" | awk -v s="$1" 'index($0, s " ") == 1 { print $2 }'; }
nextseg() { jq .next "$RV_RUN/$1/hls/hls.json" 2>/dev/null || echo 0; }

# Let every channel settle (its --lead burst), then measure.
sleep 10
t0=$(date +%s%3N)
k=1
while [ $k -le "$n_ch" ]; do
	ch=load-$k
	echo "$(cpu $ch) $(metric "rv_air_late_ticks_total{channel=\"$ch\"}") $(nextseg $ch) $(wc -c <"$work/bytes-$((100 + k))")" \
	    >"$work/$ch.t0"
	k=$((k + 1))
done
sleep "$secs"
t1=$(date +%s%3N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')

echo "$n_ch channels at ${w}x$h 30000/1001, libx264 $preset, $(nproc) CPUs, over $wall s of wall time"
printf '%-8s %-4s %6s %6s %9s %10s %9s %8s\n' channel view speed late segments "viewer MB" "cpu s" "ch/core"
fail=0
tot=0
k=1
while [ $k -le "$n_ch" ]; do
	ch=load-$k num=$((100 + k))
	read -r c0 l0 s0 b0 <"$work/$ch.t0"
	c1=$(cpu $ch) l1=$(metric "rv_air_late_ticks_total{channel=\"$ch\"}")
	s1=$(nextseg $ch) b1=$(wc -c <"$work/bytes-$num")
	speed=$(metric "rv_air_encoder_speed{channel=\"$ch\"}")
	view=$([ $((k % 2)) -eq 1 ] && echo hls || echo ts)
	line=$(awk -v c0="$c0" -v c1="$c1" -v l0="${l0:-0}" -v l1="${l1:-0}" -v s0="$s0" -v s1="$s1" \
	    -v b0="$b0" -v b1="$b1" -v w="$wall" -v sp="${speed:-0}" -v ch="$ch" -v v="$view" 'BEGIN {
		c = c1 - c0; segs = s1 - s0; want = w / 2
		ticks = w * 30000 / 1001
		ok = (sp >= 0.99 && (l1 - l0) < ticks / 100 && segs >= want - 1.5 && segs <= want + 1.5)
		printf "%-8s %-4s %6.2f %6d %4d/%-4d %10.1f %9.1f %8.1f %s\n", ch, v, sp, l1 - l0,
		    segs, int(want + 0.5), (b1 - b0) / 1e6, c, (c > 0 ? w / c : 0), (ok ? "" : "FAIL")
	}')
	echo "$line"
	case $line in *FAIL) fail=1 ;; esac
	tot=$(awk -v a="$tot" -v c0="$c0" -v c1="$c1" 'BEGIN { print a + c1 - c0 }')
	k=$((k + 1))
done
awk -v t="$tot" -v w="$wall" -v n="$n_ch" -v cpus="$(nproc)" 'BEGIN {
	printf "all: %.1f CPU s over %.1f s for %d channels: %.2f cores busy of %d; %.1f such channels per core\n",
	    t, w, n, t / w, cpus, n * w / t }'
serve_cpu=$(sed 's/^.*) //' "/proc/$serve/stat" | awk -v t="$tck" '{ printf "%.1f", ($12 + $13) / t }')
echo "rv-serve: $serve_cpu CPU s in all (viewers included)"
[ $fail -eq 0 ] || { echo "FAIL: a channel did not keep real time" >&2; exit 1; }
echo "PASS: every channel kept real time"
