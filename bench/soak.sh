#!/bin/sh
# Soak: every reference channel (tests/channels) rendered for a broadcast
# day of channel time on the fast clock, as make check's
# tests/integration/soak.sh renders 10 minutes of each.
#
# The generated catalogue (tests/data/catalog.sh), the horizons extended
# from SOAK_START, every file a channel's plan names made by looping one
# 20-second clip (stream copy, just before the channel renders, removed
# after), and each channel run in its live shape on the fast clock:
# rv-blockfeed | rv-air (160x120, 10 frames a second: one frame is
# 100 ms) | rv-hlsseg, with rv-asrun ingesting the evidence from rv-air's
# named pipe as it comes; two channels at a time.  For each channel it
# reports: channel-hours rendered; rv-asrun's verdicts over the whole
# window (target: all ok, exit 0); the largest distance of a block fence
# from its plan (target: within one frame) and whether every block had
# its fence on its frame; evidence dropped (target 0), the evidence
# numbered 1..N without a gap and the frames emitted those the fences
# define; every program's exit status 0 and nothing on its stderr; and
# memory.  Of rv-air, rv-hlsseg and rv-asrun: VmRSS and VmHWM (the peak of
# VmRSS so far) sampled every SOAK_SAMPLE_SECONDS of wall time with the
# channel time reached (rv-air's metrics), the RSS at the end of the first
# SOAK_WARMUP_MINUTES of channel time, as its peak by then, against the
# most RSS sampled after it (target: flat, a growth of at most 5% or 2 MB;
# the peak at the end is shown too).  The peak by then, not one sample:
# rv-air's RSS swings by some 8 MB with the sources it has open (the
# segment on the air, the next one primed), which one sample catches or
# not, and the first hour has seen the swing; a leak raises the RSS
# sampled after it, hour after hour.  On the fast clock rv-blockfeed ends
# as soon as the rest of its plans fit in the pipe, so it is judged on its
# peak: over the first SOAK_WARMUP_MINUTES of plans alone (a run of its
# own) against over the whole window (same target).  PASS or FAIL per
# channel, a summary table, and the exit status 1 on any failure.
#
#   sh bench/soak.sh                    # 13 channels x 24 h (about 2 hours
#                                       # on 2 idle cores)
#   SOAK_HOURS=1 SOAK_CHANNELS="cheers-24-7 hbo-classics" sh bench/soak.sh
#   SOAK_JOBS=1                         # one channel at a time (2)
#   SOAK_WARMUP_MINUTES=15              # the baseline of memory (60)
#   SOAK_SAMPLE_SECONDS=5               # how often memory is sampled (10)
#   SOAK_START=2026-01-05T11:00:00Z     # 06:00 in New York, a day's start
#
# Builds into build/bench (SOAK_BUILD names another); RV_KEEP=1 keeps the
# scratch folder, with each channel's evidence, verdicts, playlist and
# memory samples (CHANNEL/mem.tsv: wall seconds, channel seconds, then VmRSS
# and VmHWM in kB of rv-air, rv-hlsseg and rv-asrun, "- -" for one gone;
# CHANNEL/feed0.hwm and feed.hwm: rv-blockfeed's peaks in kB).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hours=${SOAK_HOURS:-24}
jobs=${SOAK_JOBS:-2}
warmup=${SOAK_WARMUP_MINUTES:-60}
every=${SOAK_SAMPLE_SECONDS:-10}
start=${SOAK_START:-2026-01-05T11:00:00Z}
build=${SOAK_BUILD:-build/bench}
case $hours in '' | *[!0-9]* | 0) echo "SOAK_HOURS: a whole number of hours from 1" >&2; exit 2 ;; esac
[ "$hours" -le 166 ] || { echo "SOAK_HOURS: at most 166 (horizon.exec_hours)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rvbench-soak.XXXXXX")
[ -n "${RV_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
make -s -C "$top" B="$build" all >/dev/null || exit 1
export PATH="$top/$build/bin:$PATH" RV_DB="$work/retrovue.db" RV_RUN="$work/run"
export RV_CHANNELS="$top/tests/channels" RV_CONFIG="$work/retrovue.yaml"
q() { sqlite3 "$RV_DB" "$1"; }

# The execution horizon must hold the whole window.
cat >"$RV_CONFIG" <<YAML
horizon:
  exec_hours: $((hours + 2))
  epg_days: $(( (hours / 24 + 2) > 30 ? 30 : hours / 24 + 2 ))
YAML

chans=${SOAK_CHANNELS:-$(for f in "$RV_CHANNELS"/*.yaml; do
	c=${f##*/}
	case $c in _*) ;; *) echo "${c%.yaml}" ;; esac
done)}
t0=$(($(date -u -d "$start" +%s) * 1000))
t1=$((t0 + hours * 3600000))
frames=$((hours * 36000))

rv-catalog stats >/dev/null && sh "$top/tests/data/catalog.sh" "$RV_DB" 50 >/dev/null &&
    rv-horizon --now "$start" extend $chans >"$work/extend.out" ||
    { echo "soak: the horizons could not be built" >&2; exit 1; }
for ch in $chans; do
	reach=$(q "SELECT max(end_ms) FROM playout_blocks WHERE channel_id = '$ch'")
	[ "${reach:-0}" -ge "$t1" ] ||
	    { echo "soak: $ch: the execution horizon ends before the window" >&2; exit 1; }
done
# Every channel its own media folder and, so that two can record their
# as-run at once, its own copy of the database.
q "UPDATE playout_segments SET uri = '$work/media/' || (SELECT channel_id FROM playout_blocks pb
    WHERE pb.block_id = playout_segments.block_id) || '/' || replace(substr(uri, 2), '/', '_')
    WHERE uri IS NOT NULL"
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=64x48:rate=5:duration=20" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" -c:v libx264 \
    -preset ultrafast -g 10 -c:a aac -b:a 32k "$work/clip.mkv" || exit 1
for ch in $chans; do
	mkdir -p "$work/$ch" "$work/media/$ch"
	cp "$RV_DB" "$work/$ch/db"
done

# kb PID: its resident memory and the peak of it, in kB; empty once it
# has gone.
kb() {
	awk '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 } END { if (r != "") print r, h }' \
	    "/proc/$1/status" 2>/dev/null
}

# soak CH: make the media, render the window sampling memory, judge it;
# one line of results in $work/CH/result.
soak() {
	ch=$1 d=$work/$1
	RV_DB=$d/db
	# As long a file as the window plays of it.
	q "SELECT ps.uri, (max(ps.in_ms + min(ps.start_ms + ps.dur_ms, $t1) - ps.start_ms) + 999) / 1000 + 1
	    FROM playout_segments ps JOIN playout_blocks pb USING (block_id)
	    WHERE pb.channel_id = '$ch' AND ps.uri IS NOT NULL AND ps.start_ms < $t1
	    AND ps.start_ms + ps.dur_ms > $t0 GROUP BY ps.uri" | tr '|' ' ' | while read -r f s; do
		ffmpeg -nostdin -loglevel error -stream_loop -1 -i "$work/clip.mkv" -c copy -t "$s" "$f" ||
		    echo "media $f" >>"$d/media.err"
	done
	# rv-blockfeed's peak over the first SOAK_WARMUP_MINUTES of plans
	# alone, the baseline of its peak over the window (on the fast clock
	# it ends early, so it is judged on its peaks, not on samples).
	tw=$(date -u -d "@$((t0 / 1000 + warmup * 60))" +%Y-%m-%dT%H:%M:%SZ)
	/usr/bin/time -f %M -o "$d/feed0.hwm" rv-blockfeed --clock fast --now "$t0" \
	    --until "$tw" "$ch" >/dev/null 2>>"$d/feed.err"
	# The channel's shape: rv-blockfeed | rv-air | rv-hlsseg, and
	# rv-asrun ingesting the evidence live from its named pipe (a copy in
	# $d/ev for the checks below).
	mkfifo "$d/ev.fifo"
	( tee "$d/ev" <"$d/ev.fifo" | { sh -c 'echo $$ >"$0"; exec "$@"' "$d/asrun.pid" \
	    rv-asrun ingest 2>"$d/ingest.err"; echo $? >"$d/asrun.rc"; } ) &
	reader=$!
	w0=$(date +%s)
	( { /usr/bin/time -f %M -o "$d/feed.hwm" rv-blockfeed --clock fast \
	    --now "$t0" --until "$t1" "$ch" 2>>"$d/feed.err"; echo $? >"$d/feed.rc"; } |
	    { sh -c 'echo $$ >"$0"; exec "$@"' "$d/air.pid" rv-air --clock fast --size 160x120 \
	    --rate 10 --preset ultrafast --bitrate 100 --evidence "$d/ev.fifo" 2>"$d/air.err"
	    echo $? >"$d/air.rc"; } |
	    { sh -c 'echo $$ >"$0"; exec "$@"' "$d/seg.pid" rv-hlsseg --dir "$d/hls" \
	    >/dev/null 2>"$d/seg.err"; echo $? >"$d/seg.rc"; } ) &
	job=$!
	P=$RV_RUN/metrics/rv-air-$ch.prom
	: >"$d/mem.tsv"
	while kill -0 "$job" 2>/dev/null; do
		sleep "$every"
		[ -s "$d/air.pid" ] && [ -s "$d/seg.pid" ] && [ -s "$d/asrun.pid" ] &&
		    [ -f "$P" ] || continue
		a=$(kb "$(cat "$d/air.pid")") g=$(kb "$(cat "$d/seg.pid")")
		r=$(kb "$(cat "$d/asrun.pid")")
		s=$(awk -v s="rv_air_output_seconds_total{channel=\"$ch\"}" \
		    'index($0, s " ") == 1 { printf "%d", $2 }' "$P")
		[ -n "$a" ] && [ -n "$s" ] &&
		    echo "$(($(date +%s) - w0)) $s $a ${g:-- -} ${r:-- -}" >>"$d/mem.tsv"
	done
	wait "$job"
	# A reader still waiting for rv-air to open the pipe (it failed
	# first) is let go.
	! kill -0 "$reader" 2>/dev/null || timeout 5 sh -c ': >"$1"' _ "$d/ev.fifo"
	wait "$reader"
	wall=$(($(date +%s) - w0))
	rm -rf "${work:?}/media/$ch"

	rv-frame dump "$d/ev" 2>/dev/null | jq -c .json >"$d/ev.jsonl"
	n=$(wc -l <"$d/ev.jsonl" | tr -d ' ')
	seq=$(jq -r -s '([.[].seq] == [range(1; length + 1)]) and .[0].kind == "session_start"
	    and .[-1].kind == "session_end"' "$d/ev.jsonl")
	events=$(awk -v s="rv_air_evidence_events_total{channel=\"$ch\"}" 'index($0, s " ") == 1 { print $2 }' "$P")
	dropped=$(awk -v s="rv_air_evidence_dropped_total{channel=\"$ch\"}" 'index($0, s " ") == 1 { print $2 }' "$P")
	emitted=$(awk -v n=rv_air_frames_total 'index($0, n "{") == 1 { s += $2 } END { print s + 0 }' "$P")
	out=$(awk -v s="rv_air_output_seconds_total{channel=\"$ch\"}" 'index($0, s " ") == 1 { print $2 }' "$P")
	# The fences: the end of every block of the window (the last cut at
	# its end), at frame ceil((t - t0) / 100); the largest distance of
	# one from its plan, in ms, and how many are missing or off their frame.
	q "SELECT block_id, min(end_ms, $t1), (min(end_ms, $t1) - $t0 + 99) / 100 FROM playout_blocks
	    WHERE channel_id = '$ch' AND start_ms < $t1 AND end_ms > $t0" >"$d/fences.want"
	jq -r 'select(.kind == "block_fence") | "\(.block_id)|\(.utc_ms)|\(.frame)"' "$d/ev.jsonl" >"$d/fences.got"
	fence=$(awk -F'|' 'NR == FNR { t[$1] = $2; f[$1] = $3; nw++; next }
	    { e = $2 - t[$1]; if (e < 0) e = -e; if (e > m) m = e
	      if (($1 in f) && f[$1] == $3) right++ }
	    END { printf "%d %d %d", m, nw, right }' "$d/fences.want" "$d/fences.got")
	set -- $fence
	fmax=$1 fwant=$2 fright=$3
	rv-asrun reconcile "$ch" --from "$t0" --to "$t1" --json >"$d/rec.jsonl" 2>"$d/rec.err"
	rrc=$?
	planned=$(q "SELECT count(*) FROM playout_segments ps JOIN playout_blocks pb USING (block_id)
	    WHERE pb.channel_id = '$ch' AND ps.start_ms < $t1 AND ps.start_ms + ps.dur_ms > $t0")
	verdicts=$(tail -n 1 "$d/rec.jsonl" | jq -r --argjson p "$planned" '.summary |
	    "ok \(.ok)/\($p)" + ([to_entries[] | select(.key != "ok" and .value > 0) |
	    " \(.key) \(.value)"] | add // "")' 2>/dev/null)
	allok=$(tail -n 1 "$d/rec.jsonl" | jq -r --argjson p "$planned" \
	    '.summary.ok == $p and .out_of_tolerance == 0' 2>/dev/null)
	# Memory, of rv-air, rv-hlsseg and rv-asrun: the peak at the first
	# sample past the warm-up; after it, the most RSS sampled and the
	# last peak; "-" when no sample came after it.  Of rv-blockfeed: its
	# peak over the warm-up's plans, and over the window's.
	mem=$(awk -v w=$((warmup * 60)) -v f0="$(cat "$d/feed0.hwm" 2>/dev/null)" \
	    -v f1="$(cat "$d/feed.hwm" 2>/dev/null)" '
	    function flat(base, top) { return top - base <= 2048 || top - base <= base * 0.05 }
	    function mb(k) { return sprintf("%.1f", k / 1024) }
	    $2 < w { next }
	    { for (p = 0; p < 3; p++) {
		rss = $(3 + 2 * p); hwm = $(4 + 2 * p)
		if (rss == "-") continue
		if (!(p in base)) base[p] = hwm
		else { n[p]++; if (rss > most[p]) most[p] = rss; if (hwm > peak[p]) peak[p] = hwm }
	    } }
	    END { g = 0
		  for (p = 0; p < 3; p++) {
		      if (!n[p]) { out = out "- - - "; continue }
		      if (!flat(base[p], most[p])) g = 1
		      if (peak[p] < base[p]) peak[p] = base[p]	# VmHWM is latched lazily
		      out = out mb(base[p]) " " mb(most[p]) " " mb(peak[p]) " "
		  }
		  if (f0 ~ /^[0-9]+$/ && f1 ~ /^[0-9]+$/) {
		      if (!flat(f0, f1)) g = 1
		      out = out mb(f0) " " mb(f1) " " mb(f1) " "
		  } else out = out "- - - "
		  print out (g ? "GROWS" : n[0] ? "flat" : "-") }' "$d/mem.tsv")
	why=
	[ "$(cat "$d/feed.rc" "$d/air.rc" "$d/seg.rc" "$d/asrun.rc" | paste -sd' ' -)" = "0 0 0 0" ] ||
	    why="$why exit"
	[ ! -s "$d/feed.err" ] && [ ! -s "$d/air.err" ] && [ ! -s "$d/seg.err" ] &&
	    [ ! -s "$d/ingest.err" ] && [ ! -s "$d/media.err" ] || why="$why stderr"
	[ "$seq" = true ] && [ "$n" = "$events" ] || why="$why evidence"
	[ "$dropped" = 0 ] || why="$why dropped"
	[ "$emitted" = "$frames" ] || why="$why frames"
	[ "$fmax" -le 100 ] && [ "$fright" -eq "$fwant" ] && [ "$(wc -l <"$d/fences.got")" -eq "$fwant" ] ||
	    why="$why fences"
	[ "$rrc" = 0 ] && [ "$allok" = true ] || why="$why verdicts"
	case $mem in *GROWS) why="$why memory" ;; esac
	printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$ch" \
	    "$(awk -v s="${out:-0}" 'BEGIN { printf "%.2f", s / 3600 }')" "$wall" "${verdicts:-none}" \
	    "$fmax ($fright/$fwant)" "${dropped:-?}" "$mem" "${why:-PASS}" >"$d/result"
	echo "soak: $ch done in $wall s: ${why:-PASS}" >&2
}

# SOAK_JOBS workers, each taking the next channel no one has claimed.
echo "soak: $(echo "$chans" | wc -w | tr -d ' ') channels x $hours h from $start, $jobs at a time, in $work" >&2
k=0
while [ "$k" -lt "$jobs" ]; do
	( for ch in $chans; do
		mkdir "$work/$ch/claimed" 2>/dev/null || continue
		soak "$ch"
	done ) &
	k=$((k + 1))
done
wait

fail=0
printf '\n%-19s %5s %6s %-22s %-11s %4s %-20s %-20s %-20s %-20s %s\n' channel hours \
    wall-s verdicts fence-ms drop "rv-air MB" "rv-hlsseg MB" "rv-asrun MB" \
    "rv-blockfeed MB" result
for ch in $chans; do
	if [ -s "$work/$ch/result" ]; then
		IFS='|' read -r c h w v f dr mem res <"$work/$ch/result"
	else
		c=$ch h=0 w=- v=- f=- dr=- mem="- - - - - - - - - - - - -" res=" no result"
	fi
	set -- $mem
	[ "$res" = PASS ] || { res="FAIL:$res"; fail=1; }
	printf '%-19s %5s %6s %-22s %-11s %4s %-20s %-20s %-20s %-20s %s\n' "$c" "$h" "$w" \
	    "$v" "$f" "$dr" "$1 -> $2 ($3)" "$4 -> $5 ($6)" "$7 -> $8 ($9)" "${10} -> ${11}" "$res"
done
echo "(MB: the peak RSS by $warmup min of channel time -> the most RSS sampled after"
echo " (the peak at the end); rv-blockfeed: its peak over $warmup min of plans -> over"
echo " the window's; fence-ms: the largest |fence - plan| (fences on their frame /"
echo " blocks), one frame is 100 ms)"
[ "$fail" -eq 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit "$fail"
