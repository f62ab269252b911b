#!/bin/sh
# The soak, short form: all 13 reference channels (tests/channels), from
# the generated catalogue, each rendered on the fast clock for 10 minutes
# of channel time across a block fence (joined 5 minutes before the first
# fence at or after 15:00Z on 2026-01-05, cut by --until 5 minutes after
# it), two channels at a time.  For every channel: the render ends
# cleanly; the evidence is numbered 1..N without a gap, from session_start
# to session_end; none of it was dropped; the frames emitted are the
# frames the fences define; every fence (the grid's and the cut's) is
# within one frame of its plan; rv-hlsseg's playlist ends where the
# window does; rv-asrun, ingesting the evidence live from rv-air's named
# pipe as a channel's does, reconciles the window to all ok, one verdict
# per planned segment.  Output is 160x120 at 10 frames a second: one
# frame is 100 ms, the tolerance.  The full form, 24 hours a channel with
# memory sampled, is bench/soak.sh.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

# Over three hours of audio encoding under the sanitizers; asrun.sh and
# air.sh run there.
plain_build_only "the 13 renders run on the plain build only"

RV_CHANNELS=$RV_TOP/tests/channels
export RV_CHANNELS
NOW=2026-01-05T15:00:00Z
NOW_MS=1767625200000
BEFORE=300000	# the join, before the fence
AFTER=300000	# the cut, after the fence
q() { sqlite3 "$RV_DB" "$1"; }

chans=
for f in "$RV_CHANNELS"/*.yaml; do
	c=${f##*/}
	case $c in _*) continue ;; esac
	chans="$chans ${c%.yaml}"
done
check_eq "13 reference channels" 13 "$(echo $chans | wc -w | tr -d ' ')"
rv-catalog stats >/dev/null && sh "$RV_TOP/tests/data/catalog.sh" "$RV_DB" 50 &&
    rv-horizon --now $NOW extend >/dev/null ||
    { not_ok "build the horizons"; done_testing; exit 1; }
check_eq "every channel has an execution horizon" 13 \
    "$(q "SELECT count(DISTINCT channel_id) FROM playout_blocks")"

# Each channel's window: from 5 minutes before the end of the block that
# holds 15:00Z (or ends there) to 5 minutes after it.  Movie channels
# have blocks of hours, so their windows fall later.
for ch in $chans; do
	mkdir "$T/$ch"
	f=$(q "SELECT min(end_ms) FROM playout_blocks WHERE channel_id = '$ch' AND end_ms >= $NOW_MS")
	echo "$((f - BEFORE)) $((f + AFTER))" >"$T/$ch/window"
done

# saturday-supercade's window holds a pad of 27 ms at 17:09:50.858 that
# no frame instant falls in: rv-air rightly airs nothing of it, and the
# as-run must not call it missing.
echo "$((NOW_MS + 7500000)) $((NOW_MS + 8100000))" >"$T/saturday-supercade/window"

# The catalogue names files that are not there: make every one a window
# needs, as long as the window plays of it, from a 20-second clip looped
# (no encoding).
M=$T/media
mkdir "$M"
q "UPDATE playout_segments SET uri = '$M/' || replace(substr(uri, 2), '/', '_') WHERE uri IS NOT NULL"
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=64x48:rate=5:duration=20" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" -c:v libx264 \
    -preset ultrafast -g 10 -c:a aac -b:a 32k "$T/clip.mkv"
for ch in $chans; do
	read -r t0 t1 <"$T/$ch/window"
	sqlite3 -separator ' ' "$RV_DB" "SELECT ps.uri, ps.in_ms + min(ps.start_ms + ps.dur_ms, $t1) - ps.start_ms
	    FROM playout_segments ps JOIN playout_blocks pb USING (block_id)
	    WHERE pb.channel_id = '$ch' AND ps.uri IS NOT NULL AND ps.start_ms < $t1
	    AND ps.start_ms + ps.dur_ms > $t0"
done | awk '$2 > n[$1] { n[$1] = $2 } END { for (u in n) print u, int((n[u] + 999) / 1000) + 1 }' |
    while read -r f d; do
	ffmpeg -nostdin -loglevel error -stream_loop -1 -i "$T/clip.mkv" -c copy -t "$d" "$f" ||
	    echo "$f" >>"$T/media.err"
done
check_eq "the media of every window made" "" "$(cat "$T/media.err" 2>/dev/null)"

# render CH: the channel in its live shape over its window on the fast
# clock: rv-blockfeed | rv-air | rv-hlsseg, with rv-asrun ingesting the
# evidence from rv-air's named pipe as it comes (a copy in $T/CH/ev for
# the checks); the exit statuses and stderr in $T/CH.
# AAC at 32 kb/s: at 128 the audio encoder is most of the renders' CPU.
printf 'playout:\n  audio_bitrate_kbps: 32\n' >"$T/air.yaml"
render() {
	d=$T/$1
	read -r t0 t1 <"$d/window"
	mkfifo "$d/ev.fifo"
	{ tee "$d/ev" <"$d/ev.fifo" | rv-asrun ingest 2>"$d/ingest.err"
	    echo $? >"$d/ingest.rc"; } &
	reader=$!
	{ rv-blockfeed --clock fast --now "$t0" --until "$t1" "$1" 2>"$d/feed.err"
	    echo $? >"$d/feed.rc"; } |
	    { rv-air -C "$T/air.yaml" --clock fast --size 160x120 --rate 10 --preset ultrafast \
	    --bitrate 100 --evidence "$d/ev.fifo" 2>"$d/air.err"; echo $? >"$d/air.rc"; } |
	    rv-hlsseg --dir "$d/hls" >/dev/null 2>"$d/seg.err"
	echo $? >"$d/seg.rc"
	# A reader still waiting for rv-air to open the pipe (it failed
	# first) is let go.
	! kill -0 "$reader" 2>/dev/null || timeout 5 sh -c ': >"$1"' _ "$d/ev.fifo"
	wait "$reader"
}
# Two at a time (two cores): two workers, each taking the next channel
# the other has not claimed.
start=$(date +%s)
for _ in 1 2; do
	( for ch in $chans; do
		mkdir "$T/$ch/claimed" 2>/dev/null || continue
		render "$ch"
	done ) &
done
wait
echo "# 13 channels x $(((BEFORE + AFTER) / 60000)) minutes rendered in $(($(date +%s) - start)) s"

for ch in $chans; do
	d=$T/$ch
	read -r t0 t1 <"$d/window"
	P=$RV_RUN/metrics/rv-air-$ch.prom
	check_eq "$ch: rendered, rv-blockfeed, rv-air, rv-hlsseg and rv-asrun exit 0, nothing on stderr" \
	    "0 0 0 0 " "$(cat "$d/feed.rc" "$d/air.rc" "$d/seg.rc" "$d/ingest.rc" | paste -sd' ' -) $(
	    cat "$d/feed.err" "$d/air.err" "$d/seg.err" "$d/ingest.err" | head -n 5)"
	# The playlist's last segment ends where the window does.
	last=$(awk -F: '/^#EXT-X-PROGRAM-DATE-TIME:/ { sub(/^[^:]*:/, ""); t = $0 }
	    /^#EXTINF:/ { split($2, x, ","); d = x[1] } END { print t, d }' "$d/hls/index.m3u8")
	check_eq "$ch: rv-hlsseg's playlist ends at the window's end" "$t1" \
	    "$(( $(date -u -d "${last% *}" +%s%3N) + $(awk -v d="${last#* }" 'BEGIN { printf "%d", d * 1000 + 0.5 }') ))"
	rv-frame dump "$d/ev" 2>/dev/null | jq -c .json >"$d/ev.jsonl"
	n=$(wc -l <"$d/ev.jsonl" | tr -d ' ')
	check_eq "$ch: evidence numbered 1..N without a gap, session_start to session_end, N as counted" \
	    "true session_start session_end $n" \
	    "$(jq -r -s '([.[].seq] == [range(1; length + 1)] | tostring) + " " + .[0].kind + " " + .[-1].kind' \
	    "$d/ev.jsonl") $(metric "$P" "rv_air_evidence_events_total{channel=\"$ch\"}")"
	check_eq "$ch: no evidence dropped" 0 \
	    "$(metric "$P" "rv_air_evidence_dropped_total{channel=\"$ch\"}")"
	# The fences the plan defines: the end of every block the window
	# overlaps, the last cut at the window's end; at 10 frames a second
	# the frame of instant t is ceil((t - t0) / 100).
	want=$(q "SELECT block_id || ' ' || ((min(end_ms, $t1) - $t0 + 99) / 100) FROM playout_blocks
	    WHERE channel_id = '$ch' AND start_ms < $t1 AND end_ms > $t0 ORDER BY start_ms")
	check_eq "$ch: frames emitted are the frames its fences define" \
	    "$(((t1 - t0) / 100)) $(((t1 - t0) / 100))" \
	    "$(metric_sum "$P" rv_air_frames_total) $(echo "$want" | tail -n 1 | cut -d' ' -f2)"
	check_eq "$ch: a fence for every block of the window, on its frame" "$want" \
	    "$(jq -r 'select(.kind == "block_fence") | "\(.block_id) \(.frame)"' "$d/ev.jsonl")"
	check_eq "$ch: every fence within one frame (100 ms) of its planned time" "" \
	    "$(q "SELECT block_id, min(end_ms, $t1) FROM playout_blocks WHERE channel_id = '$ch'
	    AND start_ms < $t1 AND end_ms > $t0" | tr '|' ' ' | while read -r blk end; do
		jq -r --arg b "$blk" --argjson e "$end" 'select(.kind == "block_fence" and .block_id == $b) |
		    select(.utc_ms - $e > 100 or $e - .utc_ms > 100) | "\($b) off by \(.utc_ms - $e) ms"' "$d/ev.jsonl"
	done)"
	rv-asrun reconcile "$ch" --from "$t0" --to "$t1" --json >"$d/rec.jsonl" 2>"$d/rec.err"
	check_eq "$ch: reconciles with exit 0" 0 "$?"
	planned=$(q "SELECT count(*) FROM playout_segments ps JOIN playout_blocks pb USING (block_id)
	    WHERE pb.channel_id = '$ch' AND ps.start_ms < $t1 AND ps.start_ms + ps.dur_ms > $t0")
	check_eq "$ch: to all ok, every planned segment of the window" \
	    "{\"early\":0,\"extra\":0,\"gap\":0,\"late\":0,\"long\":0,\"missing\":0,\"off_air\":0,\"ok\":$planned,\"short\":0,\"substituted\":0}" \
	    "$(tail -n 1 "$d/rec.jsonl" | jq -c .summary)"
	check_eq "$ch: every segment within one frame (100 ms) of its plan" "[]" \
	    "$(jq -s -c '[.[] | select(.verdict and (.diff_ms > 100 or .diff_ms < -100))]' "$d/rec.jsonl")"
done
check_eq "saturday-supercade: the 27 ms pad no frame falls in is ok, and why" \
    "ok shorter than a frame here: no frame of it airs" \
    "$(jq -r 'select(.event == "saturday-supercade-20260105T1700Z/10") | "\(.verdict) \(.note)"' \
        "$T/saturday-supercade/rec.jsonl")"
done_testing
