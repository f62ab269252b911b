#!/bin/sh
# rv-asrun ingest and log over real evidence from rv-air: every event
# exactly once under replays and duplicates; a sequence gap recorded as an
# anomaly; a killed session closed as terminated at its last event; a
# named pipe read again when its writer comes back; the text log checked
# line by line on a known render.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

episodes "$T/lib" 2
mkdir "$T/ch"
show_channel "$T/ch" test-ar 97 "AR Test"
RV_CHANNELS=$T/ch rv-horizon --now 2026-01-05T12:00:00Z extend >/dev/null ||
    not_ok "extend"
# The plan alone, for the reconciliations below.
cp "$RV_DB" "$T/plan.db"
# render FROM UNTIL EVIDENCE
render() {
	rv-blockfeed --clock fast --now "$1" --until "$2" test-ar 2>/dev/null |
	    rv-air --clock fast --evidence "$3" >/dev/null 2>>"$T/air.err"
}
render 2026-01-05T12:00:30Z 2026-01-05T12:02:30Z "$T/a.ev"
render 2026-01-05T12:05:00Z 2026-01-05T12:06:00Z "$T/b.ev"
n=$(rv-frame dump "$T/a.ev" | grep -c '"type":"E"')
q() { sqlite3 "$RV_DB" "$1"; }

rv-asrun ingest --from "$T/a.ev" -v 2>"$T/in.err"
check_eq "ingest records every event" \
    "rv-asrun: $n events recorded, 0 duplicates, 0 refused, 0 sequence gaps, 0 sessions closed as terminated" \
    "$(tail -n 1 "$T/in.err")"
P=$RV_RUN/metrics/rv-asrun-test-ar.prom
check_eq "metrics: events recorded, none duplicated, refused or lost" "$n 0 0 0 0" \
    "$(for m in events_total duplicates_total refused_total 'anomalies_total{channel="test-ar",kind="sequence_gap"}' \
	'anomalies_total{channel="test-ar",kind="terminated"}'; do
	case $m in *'}') metric "$P" "rv_asrun_$m" ;; *) metric "$P" "rv_asrun_$m{channel=\"test-ar\"}" ;; esac
    done | paste -sd' ' -)"
check_eq "sequence 1..N in the table" "1 $n $n" \
    "$(q "SELECT min(seq), max(seq), count(*) FROM asrun_events" | tr '|' ' ')"
rv-asrun ingest -v <"$T/a.ev" 2>"$T/in.err"
check_eq "a replay is a no-op" "rv-asrun: 0 events recorded, $n duplicates" \
    "$(tail -n 1 "$T/in.err" | cut -d, -f1-2)"
check_eq "nothing was added" "$n" "$(q "SELECT count(*) FROM asrun_events")"
check_eq "the session is closed by its session_end" "end of plans" \
    "$(q "SELECT end_reason FROM asrun_sessions")"

# The same stream with one event twice and one event lost, and a bad
# frame, into a fresh database.
rv-frame dump -x "$T/a.ev" >"$T/a.jsonl"
awk 'NR == 5 { print } NR == 10 { next } { print }' "$T/a.jsonl" |
    awk 'NR == 12 { print "{\"type\":\"E\",\"hex\":\"7b6e6f74\"}"; next } { print }' |
    rv-frame pack >"$T/bad.ev"
RV_DB=$T/two.db rv-asrun ingest -v <"$T/bad.ev" 2>"$T/in.err"
check_eq "a bad frame is skipped, not fatal" "0" "$?"
check_grep "and reported, with its place" "stdin: frame 12: not JSON" "$T/in.err"
check_eq "a duplicate in the stream is recorded once" \
    "rv-asrun: $((n - 2)) events recorded, 1 duplicates, 1 refused, 2 sequence gaps" \
    "$(tail -n 1 "$T/in.err" | cut -d, -f1-4)"
check_eq "the lost and the refused events are anomalies, not hidden" \
    "sequence_gap|events 10 to 10 not received
sequence_gap|events 12 to 12 not received" \
    "$(sqlite3 "$T/two.db" "SELECT kind, detail FROM asrun_anomalies")"

# A killed rv-air: its stream stops after 20 events; the next session
# closes it at its last event.
# (cut just after a segment_start: rv-air died inside that segment)
awk '{ print } NR >= 18 && /"segment_start"/ { exit }' "$T/a.jsonl" |
    rv-frame pack >"$T/killed.ev"
nk=$(rv-frame dump "$T/killed.ev" | grep -c '"type":"E"')
RV_DB=$T/three.db rv-asrun ingest --from "$T/killed.ev"
RV_DB=$T/three.db rv-asrun ingest -v --from "$T/b.ev" 2>"$T/in.err"
check_grep "the next session closes the killed one" "1 sessions closed as terminated" "$T/in.err"
check_eq "terminated at the time of its last event" "terminated 1" \
    "$(sqlite3 "$T/three.db" "SELECT s.end_reason, s.ended_ms = (SELECT max(at_ms) FROM
        asrun_events e WHERE e.session_id = s.session_id) FROM asrun_sessions s
        WHERE s.session_id LIKE '%1767614430000'" | tr '|' ' ')"
check_eq "with an anomaly that says so" "terminated" \
    "$(sqlite3 "$T/three.db" "SELECT kind FROM asrun_anomalies")"

# A named pipe: two writers one after the other (rv-air restarted), read
# by one rv-asrun, which stops on SIGTERM.
mkfifo "$T/ev.fifo"
RV_DB=$T/four.db rv-asrun ingest -v --from "$T/ev.fifo" 2>"$T/fifo.err" &
reader=$!
cat "$T/killed.ev" >"$T/ev.fifo"
cat "$T/b.ev" >"$T/ev.fifo"
k=0
until [ "$(sqlite3 "$T/four.db" "SELECT count(*) FROM asrun_events" 2>/dev/null)" = \
    "$((nk + $(rv-frame dump "$T/b.ev" | grep -c '"type":"E"')))" ] || [ $k -ge 100 ]; do
	k=$((k + 1)); sleep 0.1
done
kill -TERM "$reader"
wait "$reader"
check_eq "the pipe is read again after its writer goes; SIGTERM ends it cleanly" "0" "$?"
check_eq "both sessions, every event" "2 $k" \
    "$(sqlite3 "$T/four.db" "SELECT count(*) FROM asrun_sessions") $k"

# The text log of the known render, line by line.
rv-asrun log test-ar --day 2026-01-05 --now 2026-01-06T00:00:00Z >"$T/log.txt"
check_eq "the header" "RETROVUE AS-RUN LOG
Channel:    test-ar (97 AR Test)
Day:        2026-01-05, 2026-01-05T06:00:00+00:00 to 2026-01-06T06:00:00+00:00
Time zone:  UTC
Generated:  2026-01-06T00:00:00Z

TIME          DURATION      STATUS        TYPE        EVENT                               TITLE                     NOTES" \
    "$(head -n 7 "$T/log.txt")"
check_eq "the session, the joined block and its first segments" \
"12:00:30.000  -             start         session     PS-test-ar-1767614430000
12:00:30.000  -             start         block       test-ar-20260105T1200Z
12:00:30.000  00:00:01.668  aired         pad         test-ar-20260105T1200Z/3                                      50 frames
12:00:31.668  00:00:12.512  aired         content     test-ar-20260105T1200Z/4            Show                      375 frames" \
    "$(sed -n '8,11p' "$T/log.txt")"
check_eq "the fence of the joined block (900 frames from the join)" \
    "12:01:00.030  00:00:30.030  fence         block       test-ar-20260105T1200Z                                        900 frames" \
    "$(grep -m 1 ' fence ' "$T/log.txt")"
check_eq "the session's end" \
    "12:02:30.019  -             end           session     PS-test-ar-1767614430000                                      end of plans" \
    "$(tail -n 1 "$T/log.txt")"
# One line per event, a segment's start and end making one.
check_eq "a line per event (segments as one)" "$((n - $(grep -c 'segment_end' "$T/a.jsonl")))" \
    "$(($(wc -l <"$T/log.txt") - 7))"
rv-asrun log test-ar --day 2026-01-05 --json --now 2026-01-06T00:00:00Z >"$T/log.jsonl"
check_eq "--json: the same lines as JSON" "$(($(wc -l <"$T/log.txt") - 7))" \
    "$(jq -c . "$T/log.jsonl" | wc -l)"
check_eq "--json carries times with their offset and durations" \
    '"2026-01-05T12:00:31.668+00:00" 12512 375' \
    "$(jq -r 'select(.type == "content") | "\"\(.time)\" \(.duration_ms) \(.frames)"' "$T/log.jsonl" | head -n 1)"
check_status "an unknown channel" 1 rv-asrun log nope --day 2026-01-05
check_grep "is named" "no channel nope" "$T/.err"

# Reconcile.  A clean render: every planned segment it covers is ok, the
# rest of the window off the air (no session: not a fault).
W="--from 2026-01-05T12:00:00Z --to 2026-01-05T12:03:00Z"
# shellcheck disable=SC2086
rv-asrun reconcile test-ar $W >"$T/rec.txt"
check_eq "a clean render reconciles to ok (exit 0)" "0" "$?"
check_eq "its summary" "SUMMARY ok=15 late=0 early=0 short=0 long=0 missing=0 extra=0 substituted=0 gap=0 off_air=6
on air 120.019 s, substituted 0.000 s, 0 out of tolerance" "$(tail -n 2 "$T/rec.txt")"
R=$RV_RUN/metrics/rv-reconcile-test-ar.prom
check_eq "metrics: the verdicts of the last reconcile, its seconds on air" \
    "15 6 0 0 120.019 0" \
    "$(for m in 'verdicts{channel="test-ar",verdict="ok"}' 'verdicts{channel="test-ar",verdict="off_air"}' \
	'verdicts{channel="test-ar",verdict="gap"}' 'verdicts{channel="test-ar",verdict="missing"}' \
	'on_air_seconds{channel="test-ar"}' 'substituted_seconds{channel="test-ar"}'; do
	metric "$R" "rv_asrun_$m"; done | paste -sd' ' -)"
check_eq "every segment starts within one frame (33 ms) of its plan" "0" \
    "$(awk '$2 == "ok" && ($3 > 33 || $3 < -33)' "$T/rec.txt" | wc -l | tr -d ' ')"
# shellcheck disable=SC2086
rv-asrun reconcile test-ar $W --json | tail -n 1 >"$T/sum.json"
check_eq "--json summary" '{"ok":15,"off_air":6,"out_of_tolerance":0}' \
    "$(jq -c '{ok: .summary.ok, off_air: .summary.off_air, out_of_tolerance}' "$T/sum.json")"

# The plan is the one that was fed (block_start carries it, with its
# generation): a republish of the same hours afterwards changes nothing.
check_eq "block_start says the generation it was fed from, and its segments" \
    "$(sqlite3 "$RV_DB" "SELECT generation_id FROM playout_blocks WHERE block_id = 'test-ar-20260105T1201Z'") true" \
    "$(sqlite3 "$RV_DB" "SELECT json_extract(payload, '\$.generation') || ' ' ||
        (json_array_length(payload, '\$.plan') = (SELECT count(*) FROM playout_segments
        WHERE block_id = 'test-ar-20260105T1201Z')) FROM asrun_events WHERE kind = 'block_start'
        AND block_id = 'test-ar-20260105T1201Z'" | sed 's/ 1$/ true/')"
cp "$RV_DB" "$T/re.db"
sqlite3 "$T/re.db" "UPDATE playout_segments SET type = 'pad', uri = NULL, asset_id = NULL, in_ms = 0, loops = 0,
    title = 'Changed' WHERE block_id IN (SELECT block_id FROM playout_blocks WHERE start_ms < 1767614580000)"
# shellcheck disable=SC2086
RV_DB=$T/re.db rv-asrun reconcile test-ar $W >"$T/rec2.txt"
check_eq "a republished plan does not change the verdicts of what aired from the old one" \
    "$(tail -n 2 "$T/rec.txt")" "$(tail -n 2 "$T/rec2.txt")"
check_eq "nor their titles: only the part never fed (past the cut, off the air) is the new plan's" \
    "0 3" "$(grep -v ' off_air ' "$T/rec2.txt" | grep -c Changed) $(grep ' off_air ' "$T/rec2.txt" | grep -c Changed)"

# A killed rv-air: its segment on the air ends short, what was planned
# until the restart is off the air, the new session is ok.
cp "$T/plan.db" "$T/k.db"
RV_DB=$T/k.db rv-asrun ingest --from "$T/killed.ev"
RV_DB=$T/k.db rv-asrun ingest --from "$T/b.ev"
RV_DB=$T/k.db rv-asrun reconcile test-ar --from 2026-01-05T12:00:30Z \
    --to 2026-01-05T12:06:00Z >"$T/rec.txt"
check_eq "a killed session is out of tolerance (exit 1)" "1" "$?"
check_eq "the segment on the air at the kill is short" "short" \
    "$(awk 'NR > 1 && $2 != "ok" && $2 != "off_air" { print $2 }' "$T/rec.txt" | head -n 1)"
check_grep "and says why" "the session ended inside it" "$T/rec.txt"
check_eq "the time until the restart is a gap, its segments missing, then ok again" \
    "gap missing ok" \
    "$(awk '$1 ~ /^2026-01-05T12:0[1-5]/ && $2 != "short" { print $2 }' "$T/rec.txt" |
    sed -n '/gap\|missing/,$p' | uniq | paste -sd' ' -)"

# Lost evidence of one segment: the plan has it, nothing says it aired:
# missing, and a gap on the air.
cp "$T/plan.db" "$T/g.db"
jq -c 'select(.json.segment_index != 4 or (.json.block_id | tostring | endswith("1201Z") | not))' \
    "$T/a.jsonl" | rv-frame pack >"$T/gap.ev"
RV_DB=$T/g.db rv-asrun ingest --from "$T/gap.ev" 2>/dev/null
RV_DB=$T/g.db rv-asrun reconcile test-ar $W --json >"$T/rec.jsonl"
check_eq "its segment is missing and the time a gap" "missing test-ar-20260105T1201Z/4 gap" \
    "$(jq -r 'select(.verdict == "missing" or .verdict == "gap") |
        if .verdict == "missing" then "\(.verdict) \(.event)" else .verdict end' "$T/rec.jsonl" | paste -sd' ' -)"

# A file gone before it aired: substituted, with the reason.
cp "$T/plan.db" "$T/s.db"
mv "$T/lib/Show/Season 01/Show - S01E01 - Part 1.mp4" "$T/gone.mp4"
render 2026-01-05T12:00:30Z 2026-01-05T12:01:30Z "$T/s.ev"
mv "$T/gone.mp4" "$T/lib/Show/Season 01/Show - S01E01 - Part 1.mp4"
RV_DB=$T/s.db rv-asrun ingest --from "$T/s.ev"
RV_DB=$T/s.db rv-asrun reconcile test-ar --from 2026-01-05T12:00:30Z \
    --to 2026-01-05T12:01:30Z --json >"$T/rec.jsonl"
check_eq "a missing file is substituted" "true" \
    "$(jq -s '[.[] | select(.verdict == "substituted")] | length > 0' "$T/rec.jsonl")"
check_eq "and only its segments are" "[]" \
    "$(jq -s -c '[.[] | select(.verdict != null and .verdict != "ok" and .verdict != "off_air" and .verdict != "substituted")]' "$T/rec.jsonl")"
check_status "reconcile needs a channel" 2 rv-asrun reconcile
check_status "reconcile of an unknown channel fails" 1 rv-asrun reconcile nope
check_grep "and names it" "no channel nope" "$T/.err"
done_testing
