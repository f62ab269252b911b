#!/bin/sh
# rv-horizon end to end: the 13 reference channels extend to 3 guide days
# and 6 execution hours, idempotently; the XMLTV validates; publish takes
# rv-compile's frames; a failed compile keeps the previous horizon; and
# SIGKILL at random moments never leaves a mixed or broken horizon.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

RV_CHANNELS=$RV_TOP/tests/channels
export RV_CHANNELS
rv-catalog stats >/dev/null && sh "$RV_TOP/tests/data/catalog.sh" "$RV_DB" ||
    { not_ok "build the catalog"; done_testing; exit 1; }
NOW=2026-01-05T15:00:00Z
NOW_MS=1767625200000

check_status "extend all 13 channels" 0 rv-horizon --now $NOW extend
check_eq "13 channels reported" 13 "$(grep -c ': compiled' "$T/.out")"
snapshot() {
	sqlite3 "$RV_DB" "SELECT count(*), max(id) FROM generations;
	    SELECT count(*), sum(end_ms - start_ms) FROM program_blocks;
	    SELECT count(*) FROM playout_segments; SELECT count(*) FROM extensions"
}
before=$(snapshot)
check_status "extend again at the same clock" 0 rv-horizon --now $NOW extend
check_eq "a second extend at the same clock changes nothing" "$before" "$(snapshot)"

check_status "status" 0 rv-horizon --now $NOW status --json
for ch in $(jq -r '.[].channel' "$T/.out"); do
	check_eq "$ch: guide ≥ 3 days and execution ≥ 6 h ahead, contiguous, covering now" \
	    "true true 0 true false" \
	    "$(jq -r --arg c "$ch" '.[] | select(.channel == $c) | "\(.epg_hours >= 72) \(.exec_hours >= 6) \(.seams) \(.covers_now) \(.below_minimum)"' "$T/.out")"
done
check_eq "every playout block's segments sum to the block" "0" \
    "$(sqlite3 "$RV_DB" "SELECT count(*) FROM playout_blocks b WHERE end_ms - start_ms <> (SELECT sum(dur_ms) FROM playout_segments s WHERE s.block_id = b.block_id)")"
check_eq "guide blocks meet to the millisecond on every channel" "0" \
    "$(sqlite3 "$RV_DB" "SELECT count(*) FROM program_blocks a WHERE end_ms < (SELECT max(end_ms) FROM program_blocks WHERE channel_id = a.channel_id) AND NOT EXISTS (SELECT 1 FROM program_blocks b WHERE b.channel_id = a.channel_id AND b.start_ms = a.end_ms)")"

rv-horizon --now $NOW epg --xmltv >"$T/guide.xml"
check "the XMLTV validates with tv_validate_file" \
    sh -c "XMLTV_SUPPLEMENT=/usr/share/xmltv tv_validate_file $T/guide.xml >/dev/null"
check_eq "one programme per guide block from 6 h before now" \
    "$(sqlite3 "$RV_DB" "SELECT count(*) FROM program_blocks WHERE end_ms > $NOW_MS - 21600000")" \
    "$(grep -c '<programme ' "$T/guide.xml")"
check_eq "13 channels in the guide" 13 "$(grep -c '<channel id=' "$T/guide.xml")"

# A clock 5 h later: the execution horizon grows by what it lacks only.
check_status "extend 5 h later" 0 rv-horizon --now 2026-01-05T20:00:00Z extend cheers-24-7
# 2026-01-06T03:00:00Z: six hours past the new clock and the hour of
# margin extend keeps so that status does not alarm between runs.
check_eq "execution reaches 6 h (+1 h margin) past the new clock" 1767668400000 \
    "$(rv-horizon --now 2026-01-05T20:00:00Z status --json cheers-24-7 | jq '.[0].exec_end_ms')"

P=$RV_RUN/metrics/rv-horizon-cheers-24-7.prom
m() { metric "$P" "rv_horizon_$1{channel=\"cheers-24-7\"}"; }
check_eq "metrics: 13 channels, a file each" 13 "$(ls "$RV_RUN"/metrics/rv-horizon-*.prom | wc -l | tr -d ' ')"
check_eq "metrics: depths from the clock, ends, last extension = the clock, no failure" \
    "25200 $(( (1767668400000 - 1767643200000) / 1000 )) 1767668400 1767643200 0 0" \
    "$(m execution_depth_seconds) $(m execution_end_timestamp_seconds | awk '{ print $1 - 1767643200 }') \
$(m execution_end_timestamp_seconds) $(m last_extension_timestamp_seconds) $(m compile_failures_total) $(m seams)"
check_eq "metrics: the guide depth is its end less the clock" \
    "$(( $(m epg_end_timestamp_seconds) - 1767643200 ))" "$(m epg_depth_seconds)"
check_eq "metrics: unfilled break seconds ahead = the status's" \
    "$(rv-horizon --now 2026-01-05T20:00:00Z status --json cheers-24-7 | jq '.[0].unfilled_ahead_ms / 1000')" \
    "$(m unfilled_break_seconds)"

# A channel file broken by an edit keeps its horizon and exits 1.
mkdir "$T/ch"
cp "$RV_CHANNELS"/*.yaml "$T/ch/"
sed 's/pool: cheers$/pool: nosuchpool/' "$RV_CHANNELS/cheers-24-7.yaml" >"$T/ch/cheers-24-7.yaml"
before=$(sqlite3 "$RV_DB" "SELECT count(*), max(end_ms) FROM program_blocks WHERE channel_id = 'cheers-24-7'")
check_status "extend with a broken channel file fails" 1 \
    env RV_CHANNELS="$T/ch" rv-horizon --now 2026-01-09T00:00:00Z extend
check_grep "the compiler's message is reported" "unknown pool (nosuchpool)" "$T/.err"
check_eq "the other channels still extend" 12 "$(grep -c ': compiled' "$T/.out")"
check_eq "the broken channel's horizon stands" "$before" \
    "$(sqlite3 "$RV_DB" "SELECT count(*), max(end_ms) FROM program_blocks WHERE channel_id = 'cheers-24-7'")"
check_eq "the failure is on record" "1" \
    "$(sqlite3 "$RV_DB" "SELECT count(*) FROM extensions WHERE channel_id = 'cheers-24-7' AND ok = 0")"
check_eq "metrics: a compile failure, the last good extension unchanged" "1 1767643200" \
    "$(m compile_failures_total) $(m last_extension_timestamp_seconds)"

# rv-compile | rv-horizon publish, on a fresh database.
DB2=$T/pub.db
RV_DB=$DB2 rv-catalog stats >/dev/null
sh "$RV_TOP/tests/data/catalog.sh" "$DB2" 50
RV_DB=$DB2 rv-compile --day 2026-01-05 "$RV_CHANNELS/retro-prime.yaml" |
    RV_DB=$DB2 rv-horizon --now 2026-01-05T11:00:00Z publish >"$T/pub.out"
check_eq "publish takes rv-compile's frames" "retro-prime: published 48 blocks (generation 2)" \
    "$(cat "$T/pub.out")"
check_eq "published guide and execution blocks" "48 48" \
    "$(sqlite3 "$DB2" "SELECT (SELECT count(*) FROM program_blocks), (SELECT count(*) FROM playout_blocks)" | tr '|' ' ')"
RV_DB=$DB2 rv-compile --day 2026-01-08 "$RV_CHANNELS/retro-prime.yaml" |
    RV_DB=$DB2 rv-horizon --now 2026-01-05T11:00:00Z publish >/dev/null
check_eq "a day published past the execution run stays in the guide only" \
    "96 48" "$(sqlite3 "$DB2" "SELECT (SELECT count(*) FROM program_blocks), (SELECT count(*) FROM playout_blocks)" | tr '|' ' ')"
check_status "republishing into the locked window is refused" 1 sh -c \
    "RV_DB=$DB2 rv-compile --day 2026-01-05 $RV_CHANNELS/retro-prime.yaml | RV_DB=$DB2 rv-horizon --now 2026-01-05T11:30:00Z publish"
check_grep "the locked window is named" "locked window" "$T/.err"
check_status "with --force it is rewritten" 0 sh -c \
    "RV_DB=$DB2 rv-compile --day 2026-01-05 $RV_CHANNELS/retro-prime.yaml | RV_DB=$DB2 rv-horizon --now 2026-01-05T11:30:00Z publish --force"
check_eq "a forced generation is marked" "1" \
    "$(sqlite3 "$DB2" "SELECT forced FROM generations ORDER BY id DESC LIMIT 1")"

# What aired counts against cooldowns: a channel whose breaks take only
# station IDs (five of them, cooldown 1 h); when all five aired ten
# minutes ago (as-run), the next breaks are pad; without as-run they
# carry station IDs.
mkdir -p "$T/ids"
cp "$RV_CHANNELS/_defaults.yaml" "$T/ids/"
sed -e '/^traffic:/,$d' "$RV_CHANNELS/cheers-24-7.yaml" >"$T/ids/cheers-24-7.yaml"
printf 'traffic:\n  allowed_types: [station_id]\n  default_cooldown_seconds: 3600\n' \
    >>"$T/ids/cheers-24-7.yaml"
for db in aired control; do
	RV_DB=$T/$db.db rv-catalog stats >/dev/null
	sh "$RV_TOP/tests/data/catalog.sh" "$T/$db.db" 10
done
# 14:50Z: each of the five station IDs started a segment on air.
sqlite3 "$T/aired.db" "INSERT INTO asrun_sessions (session_id, channel_id,
    started_ms) VALUES ('s1', 'cheers-24-7', 1767624000000);
    INSERT INTO asrun_events (session_id, seq, channel_id, kind, at_ms,
    frame, block_id, segment_idx, payload) SELECT 's1', i, 'cheers-24-7',
    'segment_start', 1767624600000 + i, i, 'b', i, json_object('asset_id',
    'a-in-station_id-0' || (i - 1), 'type', 'station_id') FROM
    (SELECT 1 AS i UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5)"
for db in aired control; do
	RV_DB=$T/$db.db RV_CHANNELS=$T/ids rv-horizon --now $NOW extend >/dev/null
done
# The 15:00Z block's breaks.
ids_in_first() {
	sqlite3 "$1" "SELECT count(*) FROM playout_segments WHERE block_id =
	    'cheers-24-7-20260105T1500Z' AND type = 'station_id'"
}
check "without as-run the first block's breaks carry station IDs" \
    test "$(ids_in_first "$T/control.db")" -gt 0
check_eq "station IDs that aired 10 minutes ago are held back by their cooldown" \
    0 "$(ids_in_first "$T/aired.db")"

# Crash safety: kill extend at random moments; the database stays whole
# and every channel's horizon is one generation's or the next's.
DB3=$T/crash.db
RV_DB=$DB3 rv-catalog stats >/dev/null
sh "$RV_TOP/tests/data/catalog.sh" "$DB3" 400
bad=0
i=0
while [ "$i" -lt 50 ]; do
	i=$((i + 1))
	RV_DB=$DB3 rv-horizon --now "2026-01-$(printf %02d $((5 + i / 10)))T$(printf %02d $((i % 10 * 2))):00:00Z" extend >/dev/null 2>&1 &
	pid=$!
	# A pseudo-random moment from 0 to 60 ms in.
	sleep "0.0$(( (i * 7919) % 60 / 10 ))$(( (i * 7919) % 10 ))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$(sqlite3 "$DB3" 'PRAGMA integrity_check')" = ok ] || bad=$((bad + 1))
	# No block outside its generation's range, no overlap, no gap.
	mixed=$(sqlite3 "$DB3" "SELECT count(*) FROM program_blocks p JOIN generations g ON g.id = p.generation_id WHERE p.start_ms < g.range_start_ms OR p.end_ms > g.range_end_ms")
	holes=$(sqlite3 "$DB3" "SELECT count(*) FROM program_blocks a WHERE end_ms < (SELECT max(end_ms) FROM program_blocks WHERE channel_id = a.channel_id) AND NOT EXISTS (SELECT 1 FROM program_blocks b WHERE b.channel_id = a.channel_id AND b.start_ms = a.end_ms)")
	partial=$(sqlite3 "$DB3" "SELECT count(*) FROM playout_blocks b WHERE end_ms - start_ms <> (SELECT coalesce(sum(dur_ms), 0) FROM playout_segments s WHERE s.block_id = b.block_id)")
	[ "$mixed$holes$partial" = "000" ] || bad=$((bad + 1))
done
check_eq "50 SIGKILLs of extend: integrity ok, no mixed generation, no hole, no partial block" 0 "$bad"
check_status "a final extend completes what the kills interrupted" 0 \
    env RV_DB="$DB3" rv-horizon --now 2026-01-10T00:00:00Z extend

done_testing
