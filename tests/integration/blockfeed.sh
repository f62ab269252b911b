#!/bin/sh
# rv-blockfeed: the block holding now with join_ms, then every following
# block, contiguous, each plan's segments summing to its length; --until
# cuts the last plan and ends with Z; a hole in the horizon is played as a
# pad plan and reported as a planning fault.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

RV_CHANNELS=$RV_TOP/tests/channels
export RV_CHANNELS
rv-catalog stats >/dev/null && sh "$RV_TOP/tests/data/catalog.sh" "$RV_DB" 50 &&
    rv-horizon --now 2026-01-05T15:00:00Z extend cheers-24-7 >/dev/null ||
    { not_ok "build a horizon"; done_testing; exit 1; }

# 15:10Z is 10 minutes into the 15:00Z block; until 17:05Z cuts the
# 17:00Z block to 5 minutes.
rv-blockfeed --clock fast --now 2026-01-05T15:10:00Z \
    --until 2026-01-05T17:05:00Z cheers-24-7 | rv-frame dump >"$T/feed.jsonl"
check_eq "frame types: H, five plans, Z" "H B B B B B Z" \
    "$(jq -r .type "$T/feed.jsonl" | paste -sd' ' -)"
jq -c 'select(.type == "B") | .json' "$T/feed.jsonl" >"$T/plans.jsonl"
check_eq "the first plan holds now and carries join_ms = now" \
    "1767625200000 1767627000000 1767625800000" \
    "$(head -n 1 "$T/plans.jsonl" | jq -r '"\(.start_ms) \(.end_ms) \(.join_ms)"')"
check_eq "only the first plan has join_ms" 1 \
    "$(jq -s '[.[] | select(.join_ms != null)] | length' "$T/plans.jsonl")"
check_eq "plans are contiguous" "[]" \
    "$(jq -s -c '[range(1; length) as $i | select(.[$i - 1].end_ms != .[$i].start_ms) | .[$i].block_id]' "$T/plans.jsonl")"
check_eq "every plan's segments sum to its length" "[]" \
    "$(jq -s -c '[.[] | select(([.segments[].dur_ms] | add) != .end_ms - .start_ms) | .block_id]' "$T/plans.jsonl")"
check_eq "the last plan ends at --until" 1767632700000 \
    "$(tail -n 1 "$T/plans.jsonl" | jq .end_ms)"
check_eq "pad segments have no uri, others have one" "[]" \
    "$(jq -s -c '[.[].segments[] | select((.type == "pad") == (.uri != null))]' "$T/plans.jsonl")"
check_eq "Z says why the stream ends" '{"reason":"until"}' \
    "$(tail -n 1 "$T/feed.jsonl" | jq -c .json)"
P=$RV_RUN/metrics/rv-blockfeed-cheers-24-7.prom
check_eq "metrics: five plans, none late, no fault, the feed reaches 6900 s ahead" \
    "5 0 0 6900" "$(for m in plans_total plans_late_total planning_faults_total lead_seconds; do
	metric "$P" "rv_blockfeed_$m{channel=\"cheers-24-7\"}"; done | paste -sd' ' -)"

# Remove the 16:00Z block: a hole the feed pads and reports.
sqlite3 "$RV_DB" "DELETE FROM playout_blocks WHERE block_id = 'cheers-24-7-20260105T1600Z'"
rv-blockfeed --clock fast --now 2026-01-05T15:10:00Z \
    --until 2026-01-05T17:05:00Z cheers-24-7 2>"$T/err" | rv-frame dump |
    jq -c 'select(.type == "B") | .json' >"$T/plans2.jsonl"
check_eq "the hole is a pad plan of 30 minutes" \
    "cheers-24-7-pad-1767628800000 1800000 pad" \
    "$(sed -n 3p "$T/plans2.jsonl" | jq -r '"\(.block_id) \(.end_ms - .start_ms) \(.segments[0].type)"')"
check_grep "the hole is a planning fault" \
    "planning fault: a hole up to 2026-01-05T16:30:00Z" "$T/err"
check_eq "still contiguous" "[]" \
    "$(jq -s -c '[range(1; length) as $i | select(.[$i - 1].end_ms != .[$i].start_ms) | .[$i].block_id]' "$T/plans2.jsonl")"
check_eq "metrics: the hole is one planning fault" 1 \
    "$(metric "$P" 'rv_blockfeed_planning_faults_total{channel="cheers-24-7"}')"

check_status "--until before now is a usage error" 2 rv-blockfeed \
    --clock fast --now 2026-01-05T15:10:00Z --until 2026-01-05T15:00:00Z cheers-24-7

done_testing
