#!/bin/sh
# rv-blockfeed | rv-air on the fast clock over real, generated media: the
# TS has exactly the frames the fences define, video PTS step exactly one
# frame, an IDR opens every block, the audio is continuous, and the
# evidence tells each block and segment in order with sequence numbers
# from 1 without a gap; a missing file is substituted, not fatal.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

M=$T/media
sh "$RV_TOP/tests/media/gen.sh" "$M" >/dev/null 2>&1 ||
    { not_ok "generate media"; done_testing; exit 1; }
L=$T/lib
# Episodes of 50 s (1-minute grid: 10 s of breaks each).
episodes "$L" 4
mkdir -p "$L/Commercials"
ffmpeg -nostdin -loglevel error -f lavfi -i "color=c=red:size=320x240:rate=25:duration=5" \
    -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=5" -c:v libx264 \
    -preset ultrafast -c:a aac "$L/Commercials/Red Spot.mp4"
rv-catalog scan "$L" >/dev/null 2>&1
mkdir "$T/ch"
show_channel_file "$T/ch/test-air.yaml" test-air 90 "Air Test" 320x240 1 commercials
RV_CHANNELS=$T/ch rv-horizon --now 2026-01-05T12:00:00Z extend >/dev/null ||
    not_ok "extend"
# Four minutes from a join 30 s into the 12:00 block.
rv-blockfeed --clock fast --now 2026-01-05T12:00:30Z \
    --until 2026-01-05T12:04:30Z test-air 2>"$T/feed.err" |
    rv-air --clock fast --evidence "$T/ev.bin" >"$T/air.bin" 2>"$T/air.err"
check_eq "rv-air ends cleanly" "" "$(cat "$T/air.err")"
rv-frame ts "$T/air.bin" >"$T/air.ts"
# 240 s at 30000/1001: ceil(240000 * 30 / 1001) = 7193 frames.
check_eq "exactly the frames the fences define" "7193" \
    "$(ffprobe -v error -select_streams v -count_frames -show_entries \
    stream=nb_read_frames -of csv=p=0 "$T/air.ts" | head -n 1)"
# key_frame,pts per frame (side-data lines dropped).
ffprobe -v error -select_streams v -show_entries frame=key_frame,pts \
    -of csv=p=0 "$T/air.ts" | grep -E '^[01],[0-9]+' >"$T/frames.csv"
check_eq "video PTS step exactly one frame (floor(n*3003))" "0" \
    "$(awk -F, 'NR > 1 { n++; want = first + int(n * 3003); if ($2 != want) bad++ }
        NR == 1 { first = $2 } END { print bad + 0 }' "$T/frames.csv")"
# Blocks start at the join (frame 0) and at 12:01 ... 12:04, which are
# (60k - 30) s after it: frame ceil((60000k - 30000) * 30 / 1001).
want=$(for k in 0 1 2 3 4; do
	awk -v k=$k 'BEGIN { x = (k * 60000 - 30000) * 30 / 1001;
	    f = int(x); if (f < x) f++; print (k == 0 ? 0 : f) }'; done | paste -sd' ' -)
check_eq "an IDR at every block's first frame" "$want" \
    "$(awk -F, -v want="$want" 'BEGIN { n = split(want, w, " ") }
        { for (i = 1; i <= n; i++) if (NR - 1 == w[i] && $1 == 1) hit[i] = 1 }
        END { s = ""; for (i = 1; i <= n; i++) if (hit[i]) s = s (s ? " " : "") w[i]; print s }' "$T/frames.csv")"
# AAC packet durations are in 90 kHz units: 1920 per 1024 samples.
samples=$(ffprobe -v error -select_streams a -show_entries packet=duration \
    -of csv=p=0 "$T/air.ts" | grep -E '^[0-9]+' | awk -F, '{ s += $1 } END { print s * 48000 / 90000 }')
# 7193 frames of audio: floor(7193 * 48000 * 1001 / 30000) = 11520308
# samples, plus 1024 of AAC priming, in whole 1024-sample packets.
check "audio covers every frame exactly, in whole AAC packets" \
    test "$(( samples - 11520308 - 1024 ))" -ge 0 -a "$(( samples - 11520308 - 1024 ))" -lt 1024
check_eq "the audio runs without a gap: every packet 1920 ticks after the last" "0" \
    "$(ffprobe -v error -select_streams a -show_entries packet=pts -of csv=p=0 "$T/air.ts" |
        grep -E '^[0-9]+' | awk -F, 'NR > 1 && $1 - prev != 1920 { bad++ } { prev = $1 } END { print bad + 0 }')"
rv-frame dump "$T/ev.bin" | jq -c .json >"$T/ev.jsonl"
check_eq "evidence sequence numbers run 1..N without a gap" "true" \
    "$(jq -s '[.[].seq] == [range(1; length + 1)]' "$T/ev.jsonl")"
check_eq "session_start first, session_end last" "session_start session_end" \
    "$(jq -r .kind "$T/ev.jsonl" | sed -n '1p;$p' | paste -sd' ' -)"
check_eq "every block fence comes before the next block start, on the same frame" "[]" \
    "$(jq -s -c '[. as $e | range(0; length) as $i | select($e[$i].kind == "block_fence") |
        ($e[$i + 1:] | map(select(.kind == "block_start")) | first) as $n |
        select($n != null and $n.frame != $e[$i].frame) | $e[$i].block_id]' "$T/ev.jsonl")"
check_eq "five blocks played (12:00 joined, 12:01-12:03, 12:04 cut)" 5 "$(jq -r 'select(.kind == "block_start") | .block_id' "$T/ev.jsonl" | wc -l | tr -d ' ')"
check_eq "content segments aired" "[]" \
    "$(jq -s -c '[.[] | select(.kind == "segment_end" and .type == "content" and .status != "aired")]' "$T/ev.jsonl")"

check_eq "segment_end says where in the asset it played (out - in = its content frames)" "[]" \
    "$(jq -s -c '[.[] | select(.kind == "segment_end" and .type == "content") |
        select(.out_ms - .in_ms != ((.content_frames * 1001000 / 30000) | floor))]' "$T/ev.jsonl")"
check_eq "the joined segment starts at its in-point inside the asset" "true" \
    "$(jq -s '[.[] | select(.kind == "segment_end" and .type == "content")] | first | .in_ms > 0' "$T/ev.jsonl")"

# The metrics file tells the same story as the TS and the evidence.
P=$RV_RUN/metrics/rv-air-test-air.prom
cp "$P" "$T/m1.prom" 2>/dev/null
check_eq "metrics: frames by kind add up to the frames of the TS" 7193 \
    "$(metric_sum "$T/m1.prom" rv_air_frames_total)"
check_eq "metrics: five blocks to their fence, five fence errors observed" "5 5" \
    "$(metric "$T/m1.prom" 'rv_air_blocks_total{channel="test-air"}') $(metric "$T/m1.prom" \
    'rv_air_fence_error_seconds_count{channel="test-air"}')"
check_eq "metrics: every fence within one frame (the 34 ms bucket holds all)" 5 \
    "$(metric "$T/m1.prom" 'rv_air_fence_error_seconds_bucket{channel="test-air",le="0.034"}')"
check_eq "metrics: evidence events = the events written, none dropped" \
    "$(wc -l <"$T/ev.jsonl" | tr -d ' ') 0" \
    "$(metric "$T/m1.prom" 'rv_air_evidence_events_total{channel="test-air"}') $(metric \
    "$T/m1.prom" 'rv_air_evidence_dropped_total{channel="test-air"}')"
check_eq "metrics: segments aired = segment_end events that say aired" \
    "$(jq -s '[.[] | select(.kind == "segment_end" and .status == "aired")] | length' "$T/ev.jsonl")" \
    "$(metric "$T/m1.prom" 'rv_air_segments_total{channel="test-air",status="aired"}')"
# Per block, the pad and filler it aired, up to its plan's unfilled_ms.
want=0
for bf in $(jq -r -s '[.[] | select(.kind == "segment_end" and (.type == "pad" or .type == "filler"))] |
    group_by(.block_id)[] | "\(.[0].block_id),\([.[].frames] | add)"' "$T/ev.jsonl"); do
	ms=$(( ${bf#*,} * 1001 / 30 ))
	cap=$(sqlite3 "$RV_DB" "SELECT unfilled_ms FROM playout_blocks WHERE block_id = '${bf%,*}'")
	want=$(( want + (ms < cap ? ms : cap) ))
done
check_eq "metrics: unfilled seconds = per block, its pad and filler up to its unfilled break time" \
    "$want" "$(awk -v v="$(metric "$T/m1.prom" 'rv_air_unfilled_seconds_total{channel="test-air"}')" \
    'BEGIN { printf "%d", v * 1000 + 0.5 }')"
check "and some break time went unfilled in this render" test "$want" -gt 0
check_grep "metrics: the file names its program and channel" \
    '^rv_metrics_updated_timestamp_seconds{program="rv-air",channel="test-air"} [0-9]' "$T/m1.prom"

# A missing file: pad until the next seam, evidence says substituted.
rm "$L/Show/Season 01/Show - S01E02 - Part 2.mp4"
rv-blockfeed --clock fast --now 2026-01-05T12:00:30Z \
    --until 2026-01-05T12:04:30Z test-air 2>/dev/null |
    rv-air --clock fast --evidence "$T/ev2.bin" >"$T/air2.bin" 2>"$T/air2.err"
check_eq "a missing file does not stop the channel: same frame count" "7193" \
    "$(rv-frame ts "$T/air2.bin" | ffprobe -v error -select_streams v -count_frames \
    -show_entries stream=nb_read_frames -of csv=p=0 - | head -n 1)"
check "the missing file's segments are substituted, with the reason" \
    sh -c "rv-frame dump $T/ev2.bin | jq -e -s '[.[].json | select(.kind == \"segment_end\" and .status == \"substituted\" and (.reason | test(\"No such file\")))] | length > 0' >/dev/null"
check_eq "metrics: substituted segments counted as the evidence says" \
    "$(rv-frame dump "$T/ev2.bin" | jq -s '[.[].json | select(.kind == "segment_end" and .status == "substituted")] | length')" \
    "$(metric "$P" 'rv_air_segments_total{channel="test-air",status="substituted"}')"

# Encoder settings from the channel file; the command line wins over them.
sed -i 's/frame_rate: "30000\/1001" }/frame_rate: "30000\/1001", preset: superfast, bitrate_kbps: 700 }/' \
    "$T/ch/test-air.yaml"
rv-blockfeed --clock fast --now 2026-01-05T12:00:30Z --until 2026-01-05T12:00:40Z test-air 2>/dev/null |
    rv-air -v --clock fast 2>"$T/air3.err" | rv-frame ts >"$T/air3.ts"
check_grep "the channel file's preset and bit rate are used" \
    'test-air: 320x240 at 30000/1001, libx264 superfast at 700 kb/s' "$T/air3.err"
check "and reach the encoder (x264's own record of its options)" \
    sh -c "grep -a -q 'vbv_maxrate=700' '$T/air3.ts'"
rv-blockfeed --clock fast --now 2026-01-05T12:00:30Z --until 2026-01-05T12:00:40Z test-air 2>/dev/null |
    rv-air -v --clock fast --preset ultrafast --bitrate 900 2>"$T/air4.err" >/dev/null
check_grep "--preset and --bitrate win over the channel file" \
    'test-air: 320x240 at 30000/1001, libx264 ultrafast at 900 kb/s' "$T/air4.err"

done_testing
