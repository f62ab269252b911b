#!/bin/sh
# rv-channel: run a channel on the wall clock (segments appear; SIGTERM
# stops every stage within 5 s and leaves no process, FIFO or pid file);
# rv-air killed: the channel is back with new segments after a
# discontinuity within 3 s and the as-run shows the gap; start, status,
# stop; render a window to a file with its as-run.  Every wait is a
# bounded poll for a state, never a sleep that checks a time.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

episodes "$T/lib" 2
mkdir "$T/ch"
show_channel "$T/ch" test-ch 96 "Channel Test"
RV_CHANNELS=$T/ch rv-horizon extend >/dev/null 2>&1 || not_ok "extend"
D=$T/run/test-ch

# now_ms: the wall clock in milliseconds.
now_ms() { date +%s%3N; }
segments() { find "$D/hls" -name '[0-9]*.ts' 2>/dev/null | wc -l; }
has_segments() { [ "$(segments)" -ge "$1" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

rv-channel run test-ch 2>"$T/run.err" &
sup=$!
check "segments appear" until_true 100 has_segments 3
check_eq "every stage has its pid file" "run.pid rv-air.pid rv-asrun.pid rv-blockfeed.pid rv-hlsseg.pid" \
    "$(cd "$D" && ls -- *.pid | LC_ALL=C sort | paste -sd' ' -)"
pids=$(cat "$D"/*.pid)

# rv-air killed: back within 3 s.
before=$(jq .next "$D/hls/hls.json")
t0=$(now_ms)
kill -KILL "$(cat "$D/rv-air.pid")"
# back: a segment of the new session is published (a discontinuity
# before a number past those of the killed session).
back() {
	jq -e --argjson b "$before" '[.window[] | select(.n >= $b and .disc)] | length > 0' \
	    "$D/hls/hls.json" >/dev/null 2>&1
}
until_true 100 back
t1=$(now_ms)
check_eq "after rv-air is killed the channel is back within 3 s ($((t1 - t0)) ms)" \
    "1" "$([ $((t1 - t0)) -lt 3000 ] && echo 1)"
check_grep "the playlist marks the discontinuity" '^#EXT-X-DISCONTINUITY$' "$D/hls/index.m3u8"
check_grep "metrics: the restart is counted" '^rv_channel_restarts_total{channel="test-ch"} 1$' \
    "$RV_RUN/metrics/rv-channel-test-ch.prom"
check_grep "the log says what happened, with the time" \
    '^20[0-9-]*T[0-9:]*Z rv-channel: test-ch: rv-air exited; restarting the channel$' "$D/channel.log"
# Then it stays on the air: 10 s of it, every segment numbered in turn.
t0=$(now_ms)
next_at_least() { [ "$(jq .next "$D/hls/hls.json" 2>/dev/null || echo 0)" -ge "$1" ]; }
until_true 600 next_at_least "$((before + 5))"
t1=$(now_ms)
check_eq "10 s more on the air: 5 more segments, in $((t1 - t0)) ms" "1" \
    "$([ $((t1 - t0)) -lt 20000 ] && next_at_least $((before + 5)) && echo 1)"
check_eq "numbered without a gap" "" \
    "$(jq -r '.window | [.[].n] | . as $n | range(1; length) | select($n[.] != $n[. - 1] + 1)' "$D/hls/hls.json")"

t0=$(now_ms)
kill -TERM "$sup"
wait "$sup"
rc=$?
t1=$(now_ms)
check_eq "SIGTERM stops the channel cleanly" "0" "$rc"
check_eq "within 5 s ($((t1 - t0)) ms)" "1" "$([ $((t1 - t0)) -lt 5000 ] && echo 1)"
left=""
for p in $pids $(cat "$D"/*.pid 2>/dev/null); do kill -0 "$p" 2>/dev/null && left="$left $p"; done
check_eq "no stage is left" "" "$left"
check_eq "no FIFO or pid file is left" "" "$(cd "$D" && ls -- *.pid *.fifo 2>/dev/null)"
check_eq "the as-run closed the session that was stopped" "stopped" \
    "$(sqlite3 "$RV_DB" "SELECT end_reason FROM asrun_sessions ORDER BY started_ms DESC LIMIT 1")"
check_eq "and the killed one as terminated" "terminated" \
    "$(sqlite3 "$RV_DB" "SELECT end_reason FROM asrun_sessions ORDER BY started_ms LIMIT 1")"
rv-asrun reconcile test-ch --from "$(sqlite3 "$RV_DB" "SELECT min(started_ms) FROM asrun_sessions")" \
    --to "$(sqlite3 "$RV_DB" "SELECT max(ended_ms) FROM asrun_sessions")" >"$T/rec.txt"
check_eq "reconcile reports the kill as out of tolerance" "1" "$?"
# The restart joins where the published stream ended: what the killed
# rv-air had rendered beyond it (the lead) airs again, 'extra'; when it
# had rendered less, the time until the restart is a 'gap'.
check_grep "as the time lost or the part aired twice" \
    ' gap .*rv-air was killed\| extra .*not in the plan' "$T/rec.txt"
check_eq "and the as-run says the session was killed" "terminated" \
    "$(sqlite3 "$RV_DB" "SELECT kind FROM asrun_anomalies WHERE kind = 'terminated' LIMIT 1")"

# start, status, stop.
check_status "start" 0 rv-channel start test-ch
check_grep "says it started" "^test-ch started (pid [0-9]*)$" "$T/.out"
until_true 100 has_segments "$(($(segments) + 1))" >/dev/null
check_eq "status --json" "running true" \
    "$(rv-channel status test-ch --json | jq -r '.[0] | "\(.state) \(.segments > 0)"')"
check_status "stop" 0 rv-channel stop test-ch
check_eq "status after stop" "stopped" \
    "$(rv-channel status --json | jq -r '.[] | select(.channel == "test-ch") | .state')"
check_status "stopping a stopped channel is not an error" 0 rv-channel stop test-ch
check_status "a channel id that is not one" 2 rv-channel run "../etc"

# render: exactly [from, to) to a file, its as-run recorded.
check_status "an empty render window fails" 1 rv-channel render test-ch \
    --from 2026-11-24T12:00:00Z --to 2026-11-24T12:00:00Z -o "$T/x.ts"
check_eq "and leaves no file" "" "$(ls "$T"/x.ts* 2>/dev/null)"
# A window of the horizon ahead: two minutes from the next minute on.
from=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:00Z)
to=$(date -u -d "$from + 2 minutes" +%Y-%m-%dT%H:%M:%SZ)
rv-channel render test-ch --from "$from" --to "$to" -o "$T/day.ts" 2>"$T/render.err"
check_eq "render writes the TS" "0" "$?"
# 120 s at 30000/1001: 3597 frames.
check_eq "exactly the frames of [from, to)" "3597" \
    "$(ffprobe -v error -select_streams v -count_frames -show_entries \
    stream=nb_read_frames -of csv=p=0 "$T/day.ts" | head -n 1)"
check_eq "its as-run is recorded and reconciles" "0" \
    "$(rv-asrun reconcile test-ch --from "$from" --to "$to" --json | tail -n 1 |
    jq .out_of_tolerance)"
done_testing
