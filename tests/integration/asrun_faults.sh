#!/bin/sh
# Two hours of a reference channel (cheers-24-7), rendered on the fast
# clock from generated media, reconcile to exactly the verdicts the faults
# injected into one of two renders should give, and the clean render to
# all ok.  The faults: a missing file (a spot in the 15:00 block), a
# truncated file (the episode of the 15:30 block), the 16:00 block removed
# from the execution horizon, and rv-air killed inside a segment of the
# 16:30 block and started again 2 s into the next segment (as rv-channel
# does, joining where the schedule is).  Output is 160x120 at 10 frames a
# second: one frame is 100 ms, the tolerance.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

# Four hours of audio encoding under the sanitizers would take most of
# make check's time; asrun.sh runs there.
plain_build_only "the 2-hour renders run on the plain build only"

RV_CHANNELS=$RV_TOP/tests/channels
export RV_CHANNELS
CH=cheers-24-7
T0=2026-01-05T15:00:00Z
T2=2026-01-05T17:00:00Z
rv-catalog stats >/dev/null && sh "$RV_TOP/tests/data/catalog.sh" "$RV_DB" 50 &&
    rv-horizon --now $T0 extend $CH >/dev/null ||
    { not_ok "build a horizon"; done_testing; exit 1; }
# The catalogue names files that are not there: make every one the plan
# needs, as long as it plays, from a 20-second clip looped (no encoding).
M=$T/media
mkdir "$M"
sqlite3 "$RV_DB" "UPDATE playout_segments SET uri = '$M/' || replace(substr(uri, 2), '/', '_')
    WHERE uri IS NOT NULL"
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=64x48:rate=5:duration=20" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" -c:v libx264 \
    -preset ultrafast -g 10 -c:a aac -b:a 32k "$T/clip.mkv"
sqlite3 -separator ' ' "$RV_DB" "SELECT uri, (max(in_ms + dur_ms) + 999) / 1000 + 1 FROM
    playout_segments WHERE uri IS NOT NULL GROUP BY uri" | while read -r f d; do
	ffmpeg -nostdin -loglevel error -stream_loop -1 -i "$T/clip.mkv" -c copy -t "$d" "$f" ||
	    echo "not ok - media $f"
done
cp "$RV_DB" "$T/clean.db"

# render NOW UNTIL EVIDENCE: rv-blockfeed | rv-air on the fast clock; the
# pid of rv-air in $T/air.pid.  AAC at 32 kb/s: at 128 the audio encoder
# is nearly all of the four hours' CPU (76 s of it per 2 hours).
printf 'playout:\n  audio_bitrate_kbps: 32\n' >"$T/air.yaml"
render() {
	rv-blockfeed --clock fast --now "$1" --until "$2" $CH 2>>"$T/feed.err" |
	    { sh -c 'echo $$ >"$0"; exec rv-air -C "$2" --clock fast --size 160x120 --rate 10 \
		--preset ultrafast --bitrate 100 --evidence "$1"' "$T/air.pid" "$3" "$T/air.yaml" \
		>/dev/null 2>>"$T/air.err"; }
}
q() { sqlite3 "$RV_DB" "$1"; }
win="--from $T0 --to $T2"

# The clean render, beside the faulted one (two cores).
( RV_DB=$T/clean.db; export RV_DB; render $T0 $T2 "$T/clean.ev" &&
    rv-asrun ingest --from "$T/clean.ev" ) &
clean=$!

# The faults.
spot=$(q "SELECT uri FROM playout_segments WHERE block_id = '$CH-20260105T1500Z' AND type = 'commercial' ORDER BY idx LIMIT 1")
q "UPDATE playout_segments SET uri = '$M/gone.mkv' WHERE uri = '$spot'"
n_missing=$(q "SELECT count(*) FROM playout_segments WHERE uri = '$M/gone.mkv' AND start_ms < 1767632400000")
ep=$(q "SELECT uri FROM playout_segments WHERE block_id = '$CH-20260105T1530Z' AND type = 'content' LIMIT 1")
# A tenth of the file: every segment of it runs out early.
head -c "$(( $(wc -c <"$ep") / 10 ))" "$ep" >"$M/truncated.mkv"
q "UPDATE playout_segments SET uri = '$M/truncated.mkv' WHERE uri = '$ep'"
n_trunc=$(q "SELECT count(*) FROM playout_segments WHERE uri = '$M/truncated.mkv' AND start_ms < 1767632400000")
q "DELETE FROM playout_blocks WHERE block_id = '$CH-20260105T1600Z'"

# The kill: rv-air SIGKILLed once it has started a segment of the 16:30
# block that begins at or after 16:40.
render $T0 $T2 "$T/a.ev" &
job=$!
started() {
	rv-frame dump "$T/a.ev" 2>/dev/null | jq -e -s '[.[].json | select(.kind == "segment_start"
	    and .block_id == "'$CH'-20260105T1630Z" and .utc_ms >= 1767631200000)] | length > 0' >/dev/null
}
check "rv-air reaches 16:40 on the fast clock" until_true 1800 started
kill -KILL "$(cat "$T/air.pid")"
wait $job
# Where it stopped: the segment in progress (started, not ended), and
# its planned end; the restart is 2 s into the next segment.
cut=$(rv-frame dump "$T/a.ev" 2>/dev/null | jq -r -s '[.[].json | select(.kind == "segment_start" or .kind == "segment_end")] |
    last | select(.kind == "segment_start") | "\(.block_id) \(.segment_index)"')
check "the kill fell inside a segment" test -n "$cut"
cut_end=$(q "SELECT start_ms + dur_ms FROM playout_segments WHERE block_id = '${cut% *}' AND idx = ${cut#* }")
restart=$((cut_end + 2000))
render "$(date -u -d "@$((restart / 1000)).$((restart % 1000))" +%Y-%m-%dT%H:%M:%S.%3NZ)" $T2 "$T/b.ev"
rv-asrun ingest --from "$T/a.ev" 2>/dev/null
rv-asrun ingest --from "$T/b.ev"
check_grep "the removed block is a planning fault" \
    "planning fault: a hole up to 2026-01-05T16:30:00Z" "$T/feed.err"

rv-asrun reconcile $CH $win --json >"$T/faults.jsonl"
check_eq "the faulted render is out of tolerance (exit 1)" 1 "$?"
planned=$(q "SELECT count(*) FROM playout_segments ps JOIN playout_blocks pb USING (block_id)
    WHERE pb.channel_id = '$CH' AND ps.start_ms < 1767632400000 AND ps.start_ms + ps.dur_ms > 1767625200000")
# Segments planned wholly inside the outage, from the cut segment's end
# to the restart, did not air while the channel should have: missing.
n_out=$(q "SELECT count(*) FROM playout_segments WHERE block_id = '${cut% *}' AND start_ms >= $cut_end
    AND start_ms + dur_ms <= $restart")
ok=$((planned - n_missing - n_trunc - 1 - n_out))
check_eq "exactly the verdicts of the faults: $n_missing substituted (missing file), $n_trunc + 1 short (truncated file, the kill), 2 gaps (removed block, the outage), $n_out missing (in the outage), the rest ok" \
    "{\"early\":0,\"extra\":0,\"gap\":2,\"late\":0,\"long\":0,\"missing\":$n_out,\"off_air\":0,\"ok\":$ok,\"short\":$((n_trunc + 1)),\"substituted\":$n_missing}" \
    "$(tail -n 1 "$T/faults.jsonl" | jq -c .summary)"
check_eq "the missing file's segments are substituted, with the reason" "$n_missing" \
    "$(jq -s '[.[] | select(.verdict == "substituted" and (.note | test("No such file")))] | length' "$T/faults.jsonl")"
check_eq "the truncated file's segments are short: the source ran out" "$n_trunc" \
    "$(jq -s '[.[] | select(.verdict == "short" and .note == "the source ran out: held, then padded")] | length' "$T/faults.jsonl")"
check_eq "the removed block is one gap of its 30 minutes, 18000 frames" "1800000 18000" \
    "$(jq -r -s '[.[] | select(.verdict == "gap" and (.note | test("hole in the execution horizon")))] |
        .[0] | "\(.diff_ms / 100 | round * 100) \(.diff_frames)"' "$T/faults.jsonl")"
check_eq "the segment cut by the kill is short, the session having ended inside it" 1 \
    "$(jq -s '[.[] | select(.verdict == "short" and .note == "the session ended inside it" and
        .event == "'"${cut% *}/${cut#* }"'")] | length' "$T/faults.jsonl")"
last=$(q "SELECT max(at_ms) FROM asrun_events e JOIN asrun_sessions s USING (session_id)
    WHERE s.end_reason = 'terminated'")
check_eq "the outage is a gap from the killed session's last event to the restart" \
    "$((restart - last))" \
    "$(jq -s '[.[] | select(.verdict == "gap" and (.note | test("rv-air was killed")))] | .[0].diff_ms' "$T/faults.jsonl")"
check_eq "and the as-run says the killed session was terminated" "terminated" \
    "$(q "SELECT end_reason FROM asrun_sessions ORDER BY started_ms LIMIT 1")"

wait $clean
check_eq "the clean render ran" 0 "$?"
RV_DB=$T/clean.db rv-asrun reconcile $CH $win --json >"$T/clean.jsonl"
check_eq "the clean render reconciles with exit 0" 0 "$?"
cplanned=$(RV_DB=$T/clean.db sqlite3 "$T/clean.db" "SELECT count(*) FROM playout_segments ps JOIN playout_blocks pb
    USING (block_id) WHERE pb.channel_id = '$CH' AND ps.start_ms < 1767632400000 AND ps.start_ms + ps.dur_ms > 1767625200000")
check_eq "to all ok: every planned segment of the two hours" \
    "{\"early\":0,\"extra\":0,\"gap\":0,\"late\":0,\"long\":0,\"missing\":0,\"off_air\":0,\"ok\":$cplanned,\"short\":0,\"substituted\":0}" \
    "$(tail -n 1 "$T/clean.jsonl" | jq -c .summary)"
check_eq "every segment within one frame (100 ms) of its plan" "[]" \
    "$(jq -s -c '[.[] | select(.verdict == "ok" and (.diff_ms > 100 or .diff_ms < -100))]' "$T/clean.jsonl")"
check_eq "and nothing else was said on stderr" "" "$(grep -v 'planning fault\|killed\|frame' "$T/air.err" "$T/feed.err" | head -n 5)"
done_testing
