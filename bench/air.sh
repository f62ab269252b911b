#!/bin/sh
# Benchmark: rv-air against the ffmpeg command line the peers use.
#
# For 720p (1280x720) and 1080p (1920x1080) at 30000/1001: the CPU seconds
# (user + sys) per hour of output of rv-air rendering a generated schedule
# (episodes of 4:00 in a 5-minute grid, the breaks filled with commercials),
# against one ffmpeg process per item of the same plans (decode, scale and
# pad to the channel size, libx264 veryfast 3000k/3000k/6000k, GOP 60 closed,
# no B-frames, AAC 128k 48 kHz stereo, MPEG-TS, concatenated) -- target
# rv-air / ffmpeg <= 0.9; rv-air's maximum resident memory at 720p (target
# under 150 MB); and the time from start to the first TS byte on a join in
# the middle of a block, on the wall clock (target under 500 ms).
#
#   sh bench/air.sh              # BENCH_MINUTES of output per size (5)
#   BENCH_MINUTES=10 sh bench/air.sh
#   BENCH_SIZES=720 sh bench/air.sh   # one size only
#   BENCH_RATE=60000/1001 sh bench/air.sh   # episodes at 59.94 (media.sh)
#   BENCH_RUNS=5 sh bench/air.sh   # runs of each side (3), alternating
#
# The two sides take turns on the same plans and the medians are reported,
# since the CPU time of one run moves by some 5% with the machine's state.
#
# Builds into build/bench; RV_KEEP=1 keeps the scratch folder.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
minutes=${BENCH_MINUTES:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/rvbench-air.XXXXXX")
[ -n "${RV_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/media.sh
. "$top/bench/media.sh"
bench_build "$work"

# --- Media (bench/media.sh): episodes of 4:00, enough for the minutes.
L=$work/lib
bench_library "$L" "$work/gen" $(( (minutes + 4) / 5 + 1 ))

# --- Channels and horizon.
mkdir "$work/ch"
for size in 1280x720 1920x1080; do
	w=${size%x*} h=${size#*x}
	show_channel_file "$work/ch/bench-$h.yaml" "bench-$h" $((90 + h / 360)) "bench-$h" \
	    "${w}x$h" 5 commercials
done
export RV_CHANNELS="$work/ch"
start=2026-01-05T12:00:00Z
start_s=$(date -u -d "$start" +%s)
until=$(date -u -d "@$((start_s + minutes * 60))" +%Y-%m-%dT%H:%M:%SZ)
rv-horizon --now "$start" extend >/dev/null

per_hour() { awk -v c="$1" -v m="$minutes" 'BEGIN { printf "%.1f", c * 60 / m }'; }

runs=${BENCH_RUNS:-3}
# median COLUMN FILE: the median of one column of the runs file.
median() {
	awk -v c="$1" '{ print $c }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "output per size: $minutes min at 30000/1001 (figures scaled to an hour);"
echo "rv-air and ffmpeg alternately, $runs runs each, on the same plans: the medians, then every run"
printf '%-6s %14s %14s %8s %10s\n' size "rv-air cpu-s/h" "ffmpeg cpu-s/h" ratio "rv-air RSS"
for h in ${BENCH_SIZES-720 1080}; do
	w=$((h * 16 / 9)) d=$work/$h
	mkdir "$d"
	rv-blockfeed --clock fast --now "$start" --until "$until" "bench-$h" \
	    >"$d/plans.bin" 2>"$d/feed.err"
	# The peers: one ffmpeg per item of the same plans, appended to one TS.
	rv-frame dump "$d/plans.bin" |
	    jq -r 'select(.type == "B") | .json.segments[] |
	        [(.uri // "-"), .in_ms, .dur_ms] | @tsv' >"$d/items.tsv"
	vf="scale=$w:$h:force_original_aspect_ratio=decrease,pad=$w:$h:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30000/1001,format=yuv420p"
	enc="-c:v libx264 -preset veryfast -b:v 3000k -maxrate 3000k -bufsize 6000k
	    -g 60 -keyint_min 60 -sc_threshold 0 -bf 0
	    -c:a aac -b:a 128k -ar 48000 -ac 2 -f mpegts"
	: >"$d/runs"
	r=1
	while [ "$r" -le "$runs" ]; do
		# rv-air: CPU and RSS of the engine itself.
		/usr/bin/time -f '%U %S %M' -o "$d/air.time" \
		    rv-air --clock fast --evidence "$d/ev.bin" <"$d/plans.bin" 2>"$d/air.err" |
		    rv-frame ts >"$d/air.ts"
		[ ! -s "$d/air.err" ] || { echo "rv-air: $(cat "$d/air.err")" >&2; exit 1; }
		: >"$d/ff.ts"
		: >"$d/ff.times"
		while IFS="$(printf '\t')" read -r uri in_ms dur_ms; do
			ss=$(awk -v x="$in_ms" 'BEGIN { printf "%.3f", x / 1000 }')
			t=$(awk -v x="$dur_ms" 'BEGIN { printf "%.3f", x / 1000 }')
			if [ "$uri" = - ]; then
				set -- -f lavfi -i "color=c=black:size=${w}x$h:rate=30000/1001" \
				    -f lavfi -i "anullsrc=r=48000:cl=stereo" -t "$t"
			else
				set -- -ss "$ss" -t "$t" -i "$uri" -map 0:v -map 0:a
			fi
			# shellcheck disable=SC2086
			/usr/bin/time -f '%U %S' -a -o "$d/ff.times" \
			    ffmpeg -nostdin -hide_banner -loglevel error "$@" -vf "$vf" \
			    -af aresample=48000 $enc - </dev/null >>"$d/ff.ts"
		done <"$d/items.tsv"
		# run: rv-air CPU s, ffmpeg CPU s, rv-air RSS kB, ratio
		awk -v rss="$(awk '{ print $3 }' "$d/air.time")" \
		    -v a="$(awk '{ printf "%.2f", $1 + $2 }' "$d/air.time")" \
		    '{ u += $1; s += $2 } END { printf "%s %.2f %s %.4f\n", a, u + s, rss, a / (u + s) }' \
		    "$d/ff.times" >>"$d/runs"
		r=$((r + 1))
	done
	ac=$(median 1 "$d/runs")
	fc=$(median 2 "$d/runs")
	printf '%-6s %14s %14s %8s %7s MB   (%s items; median ratio of the runs)\n' \
	    "${h}p" "$(per_hour "$ac")" "$(per_hour "$fc")" \
	    "$(median 4 "$d/runs" | awk '{ printf "%.2f", $1 }')" \
	    "$(median 3 "$d/runs" | awk '{ printf "%.1f", $1 / 1024 }')" \
	    "$(wc -l <"$d/items.tsv" | tr -d ' ')"
	awk '{ printf "        run %d: rv-air %.2f s, ffmpeg %.2f s, ratio %.2f, RSS %.1f MB\n",
	    NR, $1, $2, $4, $3 / 1024 }' "$d/runs"
	for f in air ff; do
		printf '        %s: %s bytes, %s video frames\n' "$f" "$(wc -c <"$d/$f.ts" | tr -d ' ')" \
		    "$(ffprobe -v error -select_streams v -count_packets -show_entries \
		    stream=nb_read_packets -of csv=p=0 "$d/$f.ts" | head -n 1)"
	done
done

# --- Join: start to the first TS byte, 2:17 into the 12:05 block, on the
# wall clock (best of three): bare (the encoder's own latency, a frame at a
# time) and with --lead 3000, as rv-channel runs rv-air.
join=$(date -u -d "@$((start_s + 437))" +%Y-%m-%dT%H:%M:%SZ)
mkfifo "$work/plans" "$work/out"
: >"$work/join.log"
for lead in 0 3000; do
	best=
	for k in 1 2 3; do
		t0=$(date +%s%N)
		rv-blockfeed --clock wall --now "$join" bench-720 >"$work/plans" 2>/dev/null &
		feed=$!
		rv-air --clock wall --lead "$lead" <"$work/plans" >"$work/out" 2>/dev/null &
		air=$!
		rm -f "$work/first"
		rv-frame ts <"$work/out" 2>/dev/null | head -c 1 >"$work/first" &
		ts=$!
		n=0
		while [ ! -s "$work/first" ] && [ $n -lt 10000 ]; do sleep 0.002; n=$((n + 1)); done
		t1=$(date +%s%N)
		kill "$feed" "$air" 2>/dev/null || :
		wait "$feed" "$air" "$ts" 2>/dev/null || :
		ms=$(( (t1 - t0) / 1000000 ))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
		echo "join $k, --lead $lead: first TS byte after $ms ms" >>"$work/join.log"
	done
	echo "join (720p, --lead $lead, best of 3): $best ms" >>"$work/join.sum"
done
cat "$work/join.log" "$work/join.sum"
