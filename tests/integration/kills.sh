#!/bin/sh
# SIGKILL of each stage of a channel on the air (rv-channel run, wall
# clock): the channel recovers, and the as-run holds every event of every
# session exactly once (sequence 1..N, no gap, no duplicate).
#
#  - rv-asrun killed: restarted alone; rv-air plays on (same pid, no
#    discontinuity); what it had read and not committed, or what was in
#    the pipe, is taken up from rv-air's journal.
#  - rv-hlsseg, rv-blockfeed killed: the pipeline restarts (a
#    discontinuity); the session ends with all its events, "error"
#    (rv-air's output went away) or "stopped" (rv-channel stopped it).
#  - rv-serve killed while it serves the channel: the next rv-serve
#    stops the channel left behind, cleanly, and starts it again for a
#    viewer.
# Every wait is a bounded poll for a state, never a sleep that checks a
# time.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

episodes "$T/lib" 2
mkdir "$T/ch"
show_channel "$T/ch" test-kill 94 "Kill Test"
RV_CHANNELS=$T/ch rv-horizon extend >/dev/null 2>&1 || not_ok "extend"
D=$T/run/test-kill
q() { sqlite3 "$RV_DB" "$1"; }
next_seg() { jq .next "$D/hls/hls.json" 2>/dev/null || echo 0; }
next_at_least() { [ "$(next_seg)" -ge "$1" ]; }
pid_of() { cat "$D/$1.pid" 2>/dev/null; }
# new_pid STAGE OLD: the stage runs again, with another pid.
new_pid() { p=$(pid_of "$1") && [ -n "$p" ] && [ "$p" != "$2" ] && kill -0 "$p" 2>/dev/null; }
# all_once: every session of the channel in the as-run has its events
# 1..last_seq, each once ("" when so; else the sessions that do not).
all_once() {
	q "SELECT s.session_id || ': ' || count(e.seq) || ' events, last ' || s.last_seq
	    || ', distinct ' || count(DISTINCT e.seq) FROM asrun_sessions s
	    LEFT JOIN asrun_events e USING (session_id) GROUP BY s.session_id
	    HAVING count(e.seq) <> s.last_seq OR count(DISTINCT e.seq) <> s.last_seq
	    OR min(e.seq) <> 1"
}

rv-channel run test-kill 2>"$T/run.err" &
sup=$!
check "on the air" until_true 150 next_at_least 3

# --- rv-asrun ---------------------------------------------------------
air=$(pid_of rv-air)
asrun=$(pid_of rv-asrun)
events=$(q "SELECT count(*) FROM asrun_events")
kill -KILL "$asrun"
check "rv-asrun is restarted" until_true 100 new_pid rv-asrun "$asrun"
n=$(next_seg)
check "and the channel plays on: 3 more segments" until_true 150 next_at_least $((n + 3))
check_eq "rv-air was not restarted (same pid)" "$air" "$(pid_of rv-air)"
check_eq "no discontinuity" 0 "$(jq '[.window[] | select(.disc)] | length' "$D/hls/hls.json")"
check_grep "the log says rv-asrun alone was restarted" \
    "rv-channel: test-kill: rv-asrun exited; restarting it$" "$D/channel.log"
more() { [ "$(q "SELECT count(*) FROM asrun_events")" -gt "$events" ]; }
check "the new rv-asrun records the session's evidence" until_true 100 more
check_grep "the restart is counted" '^rv_channel_restarts_total{channel="test-kill"} 1$' \
    "$RV_RUN/metrics/rv-channel-test-kill.prom"
check_eq "the journal holds the session on the air, alone" \
    "$(q "SELECT session_id FROM asrun_sessions WHERE ended_ms IS NULL").ev" \
    "$(ls "$D/journal")"

# --- rv-hlsseg, then rv-blockfeed --------------------------------------
k=1
for s in rv-hlsseg rv-blockfeed; do
	k=$((k + 1))
	old=$(pid_of "$s")
	sessions=$(q "SELECT count(*) FROM asrun_sessions")
	kill -KILL "$old"
	check "$s killed: the pipeline is restarted" until_true 150 new_pid rv-air "$air"
	air=$(pid_of rv-air)
	n=$(next_seg)
	check "$s killed: back on the air, 2 more segments" until_true 200 next_at_least $((n + 2))
	# (rv-air, whose output went away, may be seen gone first.)
	check_grep "$s killed: the log says so" \
	    "rv-channel: test-kill: \\($s\\|rv-air\\) exited; restarting the channel$" "$D/channel.log"
	ended() { [ "$(q "SELECT count(*) FROM asrun_sessions WHERE ended_ms IS NOT NULL")" -ge "$1" ]; }
	check "$s killed: the stopped session is closed in the as-run" until_true 100 ended "$sessions"
	check_eq "$s killed: a new session" $((sessions + 1)) "$(q "SELECT count(*) FROM asrun_sessions")"
	check_grep "$s killed: the restarts are counted" \
	    "^rv_channel_restarts_total{channel=\"test-kill\"} $k\$" \
	    "$RV_RUN/metrics/rv-channel-test-kill.prom"
done
# rv-air's output gone (rv-hlsseg killed) ends its session in an error,
# or rv-channel's SIGTERM comes first and stops it; either way rv-air
# recorded its end (not "terminated", as when rv-air itself is killed).
ends() {
	q "SELECT count(*) FROM asrun_sessions WHERE end_reason IN ('error', 'stopped')"
}
check_eq "the 2 closed sessions each ended with its end recorded (error or stopped)" 2 "$(ends)"
check_eq "two discontinuities in the playlist's window or slid out" 2 \
    "$(( $(jq '[.window[] | select(.disc)] | length' "$D/hls/hls.json") + $(jq '.disc_seq // 0' "$D/hls/hls.json") ))"

# --- the end: every event of every session, once ------------------------
kill -TERM "$sup"
wait "$sup"
check_eq "SIGTERM stops the channel cleanly" 0 "$?"
check_eq "3 sessions, each closed with its end recorded" "3 3" \
    "$(q "SELECT count(*) FROM asrun_sessions") $(ends)"
check_eq "every session's events 1..N in the as-run, each once" "" "$(all_once)"
check_eq "and the journal of closed sessions is gone" "" "$(ls "$D/journal")"

# --- rv-serve ------------------------------------------------------------
# rv-serve killed: the channel it started outlives it, with no one to
# stop it.  The next rv-serve stops such a channel cleanly (its session
# ends "stopped") and starts it afresh for the next viewer.
serve_up "linger_seconds: 60"
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$U/channel/94.m3u8"; }
check_eq "rv-serve starts the channel for a viewer" 200 "$(code)"
sup=$(pid_of run)
sessions=$(q "SELECT count(*) FROM asrun_sessions")
# shellcheck disable=SC2154 # serve_up sets it
kill -KILL "$serve"
wait "$serve" 2>/dev/null
check "rv-serve killed: its channel plays on" kill -0 "$sup"
serve_up "linger_seconds: 60"
gone() { ! kill -0 "$1" 2>/dev/null; }
check "the next rv-serve stops the channel left behind" until_true 100 gone "$sup"
check_grep "and says so" "channel test-kill: left running by rv-serve [0-9]*, which is gone: stopping it (pid $sup)" \
    "$T/serve.err"
check_eq "cleanly: the session's end is recorded, stopped" stopped \
    "$(q "SELECT end_reason FROM asrun_sessions ORDER BY started_ms DESC LIMIT 1")"
served() { [ "$(code)" = 200 ]; }
check "a viewer gets the channel started afresh" until_true 50 served
check_eq "a new session" $((sessions + 1)) "$(q "SELECT count(*) FROM asrun_sessions")"
kill -TERM "$serve"
wait "$serve"
check_eq "every event of the 5 sessions once, after all of it" "" "$(all_once)"
check_eq "each closed with its end recorded" "5 5" \
    "$(q "SELECT count(*) FROM asrun_sessions") $(ends)"

done_testing
