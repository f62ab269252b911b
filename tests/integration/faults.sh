#!/bin/sh
# Fault injection: each fault with the exact outcome an operator should
# see -- on the air, in the as-run, in the metrics.
#
#  1. Bad sources in five blocks of a rendered channel: a named pipe with
#     no writer, a file whose open(2) hangs (another process holds a
#     write lease on it), a source that changes resolution mid-file, a
#     file with a corrupt header, and a file deleted after it was
#     scheduled.  The channel never freezes: every output frame is there,
#     at the channel's size; each bad segment is pad, substituted with its
#     reason; the resolution change airs whole.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

q() { sqlite3 "$RV_DB" "$1"; }
ff() { ffmpeg -nostdin -loglevel error "$@"; }

# --- 1. Bad sources ------------------------------------------------------
L=$T/lib
episodes "$L" 5
mkdir "$T/ch"
show_channel "$T/ch" test-faults 97 "Faults"
RV_CHANNELS=$T/ch
export RV_CHANNELS
rv-horizon --now 2026-01-05T12:00:00Z extend >/dev/null || not_ok "extend"
# episode BLOCK URI: point the episode of the 12:BLOCK block at URI.
episode() {
	q "UPDATE playout_segments SET uri = '$2' WHERE type = 'content'
	    AND block_id = 'test-faults-20260105T12$1Z'"
}
mkfifo "$T/pipe.mp4"
episode 00 "$T/pipe.mp4"
cp "$L/Show/Season 01/Show - S01E01 - Part 1.mp4" "$T/held.mp4"
episode 01 "$T/held.mp4"
# 25 s at 320x240 then 25 s at 640x480, one H.264 stream in MPEG-TS.
ff -f lavfi -i "color=c=red:size=320x240:rate=25:duration=25" \
    -f lavfi -i "sine=frequency=500:sample_rate=48000:duration=25" \
    -c:v libx264 -preset ultrafast -g 25 -c:a aac -f mpegts "$T/small.ts"
ff -f lavfi -i "color=c=blue:size=640x480:rate=25:duration=25" \
    -f lavfi -i "sine=frequency=700:sample_rate=48000:duration=25" \
    -c:v libx264 -preset ultrafast -g 25 -c:a aac -f mpegts "$T/big.ts"
printf "file '%s'\nfile '%s'\n" "$T/small.ts" "$T/big.ts" >"$T/concat.txt"
ff -f concat -safe 0 -i "$T/concat.txt" -c copy -f mpegts "$T/reschange.ts"
check_eq "the source changes resolution mid-file" "320x240 640x480" \
    "$(ffprobe -v error -select_streams v -show_entries frame=width,height -of csv=p=0 \
        "$T/reschange.ts" | grep -E '^[0-9]+,[0-9]+$' | uniq | tr ',' x | paste -sd' ' -)"
episode 02 "$T/reschange.ts"
cp "$L/Show/Season 01/Show - S01E04 - Part 4.mp4" "$T/corrupt.mp4"
dd if=/dev/zero of="$T/corrupt.mp4" bs=4096 count=1 conv=notrunc 2>/dev/null
episode 03 "$T/corrupt.mp4"
cp "$L/Show/Season 01/Show - S01E05 - Part 5.mp4" "$T/deleted.mp4"
episode 04 "$T/deleted.mp4"

# The lease holder: while it holds a write lease on held.mp4, an open(2)
# of it blocks (for up to /proc/sys/fs/lease-break-time, 45 s by default).
# It lets go once rv-air's evidence reaches the 12:02 block, so that the
# open given up on returns while rv-air still runs.
python3 - "$T/held.mp4" "$T/lease.ok" "$T/ev.bin" <<'PY' &
import fcntl, os, signal, sys, time
signal.signal(signal.SIGIO, signal.SIG_IGN)
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
open(sys.argv[2], "w").close()
for _ in range(2400):
    try:
        if b"test-faults-20260105T1202Z" in open(sys.argv[3], "rb").read():
            break
    except OSError:
        pass
    time.sleep(0.05)
PY
holder=$!
check "a write lease is held on held.mp4" until_true 100 test -f "$T/lease.ok"

rv-blockfeed --clock fast --now 2026-01-05T12:00:00Z --until 2026-01-05T12:05:00Z \
    test-faults 2>"$T/feed.err" >"$T/plans.bin"
# Deleted after it was planned and fed.
rm "$T/deleted.mp4"
timeout 120 rv-air --clock fast --open-timeout 500 --evidence "$T/ev.bin" \
    <"$T/plans.bin" >"$T/air.bin" 2>"$T/air.err"
check_eq "rv-air renders the five minutes and ends with status 0 (not frozen)" 0 "$?"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
rv-frame ts "$T/air.bin" >"$T/air.ts"
# 300 s at 30000/1001: ceil(300000 * 30 / 1001) = 8992 frames.
ffprobe -v error -select_streams v -show_entries frame=pts,width,height -of csv=p=0 \
    "$T/air.ts" | grep -E '^[0-9]+,[0-9]+,[0-9]+,?$' >"$T/frames.csv"
check_eq "every frame is there: exactly the 8992 the fences define" 8992 \
    "$(wc -l <"$T/frames.csv" | tr -d ' ')"
check_eq "every frame at the channel's 320x240" "320,240" \
    "$(cut -d, -f2,3 "$T/frames.csv" | sort -u | paste -sd' ' -)"
check_eq "video PTS step exactly one frame" 0 \
    "$(awk -F, 'NR == 1 { first = $1 } NR > 1 { n++; if ($1 != first + int(n * 3003)) bad++ }
        END { print bad + 0 }' "$T/frames.csv")"
rv-frame dump "$T/ev.bin" | jq -c '.json | select(.kind == "segment_end" and .type == "content")' \
    >"$T/ends.jsonl"
# status BLOCK: how each content segment of the 12:BLOCK block ended.
status() {
	jq -r 'select(.block_id == "test-faults-20260105T12'"$1"'Z") |
	    "\(.status): \(.reason // "")"' "$T/ends.jsonl" | paste -sd'|' -
}
n=$(jq -s '[.[] | select(.block_id == "test-faults-20260105T1200Z")] | length' "$T/ends.jsonl")
check_eq "the episodes play in 4 segments each (acts)" 4 "$n"
# same N TEXT: TEXT N times, |-separated.
same() { yes "$2" | head -n "$1" | paste -sd'|' -; }
check_eq "12:00, a named pipe: substituted, never opened" \
    "$(same 4 "substituted: $T/pipe.mp4: cannot open: not a regular file (a named pipe)")" \
    "$(status 00)"
check_eq "12:01, an open that hangs: given up after --open-timeout, then not tried again" \
    "substituted: $T/held.mp4: still opening after 500 ms: given up|$(same 3 \
    "substituted: $T/held.mp4: an earlier open of it has not returned: not tried again")" \
    "$(status 01)"
check_eq "12:02, the resolution change airs whole: every frame content" "true" \
    "$(jq -s '[.[] | select(.block_id == "test-faults-20260105T1202Z")] |
        length == 4 and all(.status == "aired" and .frames == .content_frames and .frames > 300)' \
        "$T/ends.jsonl")"
check_eq "12:03, a corrupt header: substituted with libavformat's reason" \
    "$(same 4 "substituted: $T/corrupt.mp4: cannot open: Invalid data found when processing input")" \
    "$(status 03)"
check_eq "12:04, deleted after it was scheduled: substituted" \
    "$(same 4 "substituted: $T/deleted.mp4: cannot open: No such file or directory")" \
    "$(status 04)"
M=$RV_RUN/metrics/rv-air-test-faults.prom
check_eq "metrics: 16 segments substituted; the hang's 0.5 s wait counted as a seam stall" "16 1" \
    "$(metric "$M" 'rv_air_segments_total{channel="test-faults",status="substituted"}') $(awk -v s="$(metric "$M" 'rv_air_seam_stall_seconds_total{channel="test-faults"}')" \
        'BEGIN { print (s >= 0.5) }')"
rv-asrun ingest --from "$T/ev.bin" 2>/dev/null
rv-asrun reconcile test-faults --from 2026-01-05T12:00:00Z --to 2026-01-05T12:05:00Z \
    --json >"$T/rec.jsonl"
check_eq "the as-run: the 16 substituted, the rest ok" \
    '{"early":0,"extra":0,"gap":0,"late":0,"long":0,"missing":0,"off_air":0,"ok":19,"short":0,"substituted":16}' \
    "$(tail -n 1 "$T/rec.jsonl" | jq -c .summary)"

# --- 2. The database locked by another writer for 10 s ------------------
# While sqlite3 holds the write lock, an extend, an ingest (of the same
# evidence again) and a catalogue scan wait for it (busy timeout 30 s)
# and then do their work; nothing is lost and nothing doubled.
events=$(q "SELECT count(*) FROM asrun_events")
end_before=$(q "SELECT max(end_ms) FROM playout_blocks")
printf 'BEGIN IMMEDIATE;\nCREATE TABLE lock_holder (x);\n.shell touch %s; sleep 10\nCOMMIT;\n' \
    "$T/locked" | sqlite3 "$RV_DB" &
locker=$!
check "another writer holds the database's write lock" until_true 100 test -f "$T/locked"
rv-horizon --now 2026-01-05T13:00:00Z extend >"$T/extend.out" 2>"$T/extend.err" &
extend=$!
rv-asrun ingest --from "$T/ev.bin" 2>"$T/ingest.err" &
ingest=$!
check_status "rv-catalog scan waits for the lock, then succeeds" 0 rv-catalog scan "$L"
check "the other writer committed before the scan ended: the scan waited" \
    test -n "$(q "SELECT name FROM sqlite_master WHERE name = 'lock_holder'")"
wait "$extend"
check_eq "rv-horizon extend waits for the lock, then succeeds" 0 "$?"
wait "$ingest"
check_eq "rv-asrun ingest waits for the lock, then succeeds" 0 "$?"
wait "$locker"
check "the horizon was extended an hour further" \
    test "$(q "SELECT max(end_ms) FROM playout_blocks")" -ge $((end_before + 3600000))
check_eq "the evidence ingested again adds no event" "$events" \
    "$(q "SELECT count(*) FROM asrun_events")"
check_eq "and nothing was said but waiting" "" "$(cat "$T/extend.err" "$T/ingest.err")"

# --- 3. The run folder's disk full --------------------------------------
# Three minutes of the channel segmented into a 3 MB tmpfs (mounted in a
# user namespace of our own): the first minute fits; then a ballast file
# fills the disk for the second minute; then it is removed.  rv-hlsseg
# drops what it cannot write, says so, keeps the last good playlist, and
# goes on when there is room, with a discontinuity; rv-air is untouched.
if unshare -r -m true 2>/dev/null; then
	rv-blockfeed --clock fast --now 2026-01-05T12:10:00Z --until 2026-01-05T12:13:00Z \
	    test-faults 2>/dev/null | rv-air --clock fast --bitrate 100 2>/dev/null |
	    rv-frame dump -x >"$T/three.jsonl"
	# Split at the markers of 12:11 and 12:12 (the block starts).
	at() {
		grep -n '"block_id":"test-faults-20260105T'"$1"'Z".*"kind":"block_start"' \
		    "$T/three.jsonl" | head -n 1 | cut -d: -f1
	}
	m1=$(at 1211) m2=$(at 1212)
	head -n $((m1 - 1)) "$T/three.jsonl" >"$T/part1.jsonl"
	sed -n "${m1},$((m2 - 1))p" "$T/three.jsonl" >"$T/part2.jsonl"
	tail -n +"$m2" "$T/three.jsonl" >"$T/part3.jsonl"
	mkdir "$T/small"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -r -m sh -c '
		mount -t tmpfs -o size=3m tmpfs "$1" || exit 99
		{ rv-frame pack "$1/../part1.jsonl"
		  dd if=/dev/zero of="$1/ballast" bs=64k 2>/dev/null
		  df -k "$1" | awk "NR == 2 { print \$4 }" >"$1/../free.kb"
		  rv-frame pack "$1/../part2.jsonl"
		  rm "$1/ballast"
		  rv-frame pack "$1/../part3.jsonl"; } |
		    RV_RUN=$1/run rv-hlsseg --dir "$1/hls" --target 2 2>"$1/../seg.err"
		echo $? >"$1/../seg.rc"
		cp -r "$1/hls" "$1/run" "$1/.."' sh "$T/small"
	check_eq "rv-hlsseg rides out the full disk and ends with status 0" 0 "$(cat "$T/seg.rc")"
	check_eq "the ballast left no room at all" 0 "$(cat "$T/free.kb")"
	drops=$(grep -c 'segment dropped: No space left on device' "$T/seg.err")
	check "each segment of the full minute is dropped with the reason (29-31: $drops)" \
	    test "$drops" -ge 29 -a "$drops" -le 31
	check_eq "and counted" "$drops" \
	    "$(metric "$T/run/metrics/rv-hlsseg-test-faults.prom" 'rv_hls_dropped_segments_total{channel="test-faults"}')"
	check_eq "the playlist after it: the one discontinuity where the minute went missing, slid out" \
	    "#EXT-X-DISCONTINUITY-SEQUENCE:1 0" \
	    "$(grep '^#EXT-X-DISCONTINUITY-SEQUENCE:' "$T/hls/index.m3u8") $(grep -c '^#EXT-X-DISCONTINUITY$' "$T/hls/index.m3u8")"
	check_eq "every segment listed is on disk and whole (ffprobe reads it)" "" \
	    "$(grep -v '^#' "$T/hls/index.m3u8" | while read -r f; do
	        ffprobe -v error "$T/hls/$f" >/dev/null 2>&1 || echo "$f"; done)"
else
	echo "# SKIP: no user namespaces here to mount a small disk in"
fi

# --- 4. A jump of the system clock --------------------------------------
# The channel plays on the wall clock under libfaketime, joined 2 s
# before the 12:21 seam; once it is on the air the system time jumps an
# hour ahead.  Pacing and fences run on the monotonic clock from the
# session's start, so the channel plays on as planned: the 12:21 block
# starts exactly on the 12:20 block's fence, no block is skipped, no
# planning fault.
ft=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
if [ -n "$ft" ]; then
	echo "@2026-01-05 12:20:58" >"$T/faketime"
	(
		LD_PRELOAD=$ft FAKETIME_TIMESTAMP_FILE=$T/faketime FAKETIME_NO_CACHE=1
		FAKETIME_DONT_FAKE_MONOTONIC=1
		# No leak check at exit under libfaketime: LeakSanitizer's
		# stop-the-world there once left rv-frame spinning for good
		# (a CI run of the ASan build).
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0
		export LD_PRELOAD FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE \
		    FAKETIME_DONT_FAKE_MONOTONIC ASAN_OPTIONS
		# timeout leads a process group of its own: SIGINT to all of
		# the pipeline after 5 s.
		exec timeout -s INT 5 sh -c 'rv-blockfeed test-faults 2>"$1/jfeed.err" |
		    rv-air --evidence "$1/jump.ev" 2>"$1/jair.err" | rv-frame ts >"$1/jump.ts"' \
		    sh "$T"
	) &
	run=$!
	# Should anything of it hang, the test fails rather than hangs: the
	# group is killed after 60 s.
	sh -c 'sleep 60; kill -KILL -- -"$1"' sh "$run" >/dev/null 2>&1 &
	dog=$!
	on_air() { rv-frame dump "$T/jump.ev" 2>/dev/null | grep -q segment_start; }
	check "the channel is on the air under libfaketime" until_true 100 on_air
	echo "@2026-01-05 13:20:59" >"$T/faketime"
	wait "$run"
	check_eq "the pipeline ended on timeout's SIGINT, not killed by the watchdog" 124 "$?"
	kill "$dog" 2>/dev/null
	check_eq "and rv-frame wrote a TS of the channel" "yes" \
	    "$([ -s "$T/jump.ts" ] && ffprobe -v error -show_entries stream=codec_name \
	        -of csv=p=0 "$T/jump.ts" | grep -q h264 && echo yes)"
	rv-frame dump "$T/jump.ev" | jq -c .json >"$T/jump.jsonl"
	check_eq "the clock jumped an hour: the faked time reached rv-air" "yes" \
	    "$(LD_PRELOAD=$ft FAKETIME_TIMESTAMP_FILE=$T/faketime ASAN_OPTIONS=verify_asan_link_order=0 \
	        date -u +%H | grep -q '^13$' && echo yes)"
	check_eq "after the jump the next block is 12:21, on the 12:20 block's fence" \
	    "test-faults-20260105T1220Z test-faults-20260105T1221Z true" \
	    "$(jq -r -s '[.[] | select(.kind == "block_start")] as $b |
	        [.[] | select(.kind == "block_fence")][0] as $f |
	        "\($b[0].block_id) \($b[1].block_id) \($b[1].frame == $f.frame and $f.block_id == $b[0].block_id)"' \
	        "$T/jump.jsonl")"
	check_eq "evidence sequence 1..N without a gap" true \
	    "$(jq -s '[.[].seq] == [range(1; length + 1)]' "$T/jump.jsonl")"
	check_eq "no planning fault, no late block" 0 \
	    "$(cat "$T/jfeed.err" "$T/jair.err" | grep -c 'planning fault\|late')"
else
	echo "# SKIP: libfaketime is not installed (Debian package faketime)"
fi

done_testing
