#!/bin/sh
# rv-compile end to end: the 13 reference channels compile for 14 days
# against a generated catalog; every block is on the grid, blocks tile each
# day and join across days, sequential pools advance by exactly what they
# placed, no movie breaks its 1-day cooldown; DST days are 25 h and 23 h;
# the output does not depend on catalog row order; errors exit 1.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

CH=$RV_TOP/tests/channels
rv-catalog stats >/dev/null && sh "$RV_TOP/tests/data/catalog.sh" "$RV_DB" ||
    { not_ok "build the catalog"; done_testing; exit 1; }
GRID=1800000
# 2026-01-05 06:00 EST and 2026-01-19 06:00 EST: the 14 days' span.
FIRST=1767610800000
LAST=1768820400000

for f in "$CH"/[a-z]*.yaml; do
	ch=$(basename "$f" .yaml)
	out=$T/$ch.jsonl
	if ! rv-compile --from 2026-01-05 --days 14 "$f" 2>"$T/$ch.err" |
	    rv-frame dump | grep '"type":"P"' | jq -c .json >"$out"; then
		not_ok "$ch: compile 14 days"
		sed 's/^/#   /' "$T/$ch.err"
		continue
	fi
	check_eq "$ch: 14 days compile without an error" "" \
	    "$(grep -v 'warning' "$T/$ch.err")"
	check_eq "$ch: every block starts on the grid" "[]" \
	    "$(jq -s -c "[.[] | select(.start_ms % $GRID != 0) | .block_id]" "$out")"
	check_eq "$ch: blocks tile the 14 days and join across days" \
	    "[]" "$(jq -s -c '[range(1; length) as $i | select(.[$i - 1].end_ms != .[$i].start_ms) | .[$i].block_id]' "$out")"
	check_eq "$ch: the first block starts at the first day's start" \
	    "$FIRST" "$(jq -s '.[0].start_ms' "$out")"
	check "$ch: the last block reaches the end of the 14th day" \
	    test "$(jq -s '.[-1].end_ms' "$out")" -ge "$LAST"
	check_eq "$ch: the block id holds the channel" "[]" \
	    "$(jq -s -c --arg ch "$ch" '[.[] | select(.block_id | startswith($ch + "-") | not) | .block_id]' "$out")"
	# Each sequential pool places its episodes in pool order, from the
	# first, without skipping (pools of several shows under shuffle
	# rotate the shows: each show in order).
	for pool in $(jq -r 'select(.mode == "sequential" or .mode == "shuffle") | .pool' "$out" | sort -u); do
		placed=$(jq -r --arg p "$pool" 'select(.pool == $p) | .asset_id' "$out")
		n=$(printf '%s\n' "$placed" | wc -l)
		rv-catalog match --json --channel "$f" --pool "$pool" |
		    jq -r .id >"$T/pool"
		size=$(wc -l <"$T/pool")
		shows=$(rv-catalog match --json --channel "$f" --pool "$pool" |
		    jq -r .series_title | sort -u | wc -l)
		if [ "$shows" -gt 1 ] && [ "$(jq -r --arg p "$pool" 'select(.pool == $p) | .mode' "$out" | head -n 1)" = shuffle ]; then
			# Shows rotate: within each show, episodes in order.
			bad=0
			for show in $(jq -r --arg p "$pool" 'select(.pool == $p) | .series_title' "$out" | sort -u | tr ' ' '_'); do
				s=$(echo "$show" | tr '_' ' ')
				a=$(jq -r --arg p "$pool" --arg s "$s" 'select(.pool == $p and .series_title == $s) | .asset_id' "$out")
				rv-catalog match --json --channel "$f" --pool "$pool" |
				    jq -r --arg s "$s" 'select(.series_title == $s) | .id' >"$T/show"
				b=$(k=$(printf '%s\n' "$a" | wc -l); m=$(wc -l <"$T/show"); i=0
				    while [ "$i" -lt "$k" ]; do sed -n "$((i % m + 1))p" "$T/show"; i=$((i + 1)); done)
				[ "$a" = "$b" ] || bad=1
			done
			check_eq "$ch: pool $pool rotates its shows, each in order" 0 "$bad"
		else
			want=$(i=0; while [ "$i" -lt "$n" ]; do sed -n "$((i % size + 1))p" "$T/pool"; i=$((i + 1)); done)
			check_eq "$ch: pool $pool advances one episode per block placed ($n)" \
			    "$want" "$placed"
		fi
	done
	check_eq "$ch: no movie airs twice within a day" "[]" \
	    "$(jq -s -c '[map(select(.asset_kind == "movie")) | group_by(.asset_id)[] | sort_by(.start_ms) | . as $g | range(1; length) as $i | select($g[$i].start_ms - $g[$i - 1].start_ms < 86400000) | $g[$i].block_id]' "$out")"
done

# Recompiling a day reads the state recorded for it: the same bytes.
rv-compile --day 2026-01-10 --json "$CH/retro-prime.yaml" >"$T/a.json"
rv-compile --day 2026-01-10 --json "$CH/retro-prime.yaml" >"$T/b.json"
check "recompiling a day gives the same bytes" cmp -s "$T/a.json" "$T/b.json"
check_eq "the same hash" "$(jq -r .hash "$T/a.json")" "$(jq -r .hash "$T/b.json")"

# The same catalog inserted in the opposite row order: the same schedule.
RV_DB=$T/reverse.db rv-catalog stats >/dev/null
sh "$RV_TOP/tests/data/catalog.sh" "$T/reverse.db" 400 reverse
for ch in hbo-classics retro-prime trek-tv nightmare-theater; do
	RV_DB=$T/reverse.db rv-compile --from 2026-01-05 --days 14 "$CH/$ch.yaml" |
	    rv-frame dump | grep '"type":"P"' | jq -c .json >"$T/rev.jsonl"
	check "$ch: catalog row order changes nothing" \
	    cmp -s "$T/$ch.jsonl" "$T/rev.jsonl"
done

# DST in America/New_York: blocks per broadcast day, and contiguity.
for run in "2025-11-01 50,48,48" "2026-03-07 46,48,48"; do
	from=${run% *}
	want=${run#* }
	RV_DB=$T/dst.db rv-catalog stats >/dev/null
	sh "$RV_TOP/tests/data/catalog.sh" "$T/dst.db" 10
	RV_DB=$T/dst.db rv-compile --from "$from" --days 3 "$CH/cheers-24-7.yaml" |
	    rv-frame dump | grep '"type":"P"' | jq -c .json >"$T/dst.jsonl"
	check_eq "cheers from $from: blocks per day" "$want" \
	    "$(jq -s -r 'group_by(.broadcast_day) | map(length) | join(",")' "$T/dst.jsonl")"
	check_eq "cheers from $from: contiguous across the change" "[]" \
	    "$(jq -s -c '[range(1; length) as $i | select(.[$i - 1].end_ms != .[$i].start_ms) | .[$i].block_id]' "$T/dst.jsonl")"
	rm -f "$T"/dst.db*
done

# A channel file with mistakes: every one reported, exit 1.
sed -e 's/pool: cheers$/pool: nosuchpool/' -e 's/start: "06:00"/start: "25:00"/' \
    "$CH/cheers-24-7.yaml" >"$T/broken.yaml"
cp "$CH/_defaults.yaml" "$T/"
check_status "a broken channel file fails" 1 rv-compile --check "$T/broken.yaml"
check_grep "the unknown pool is named with its place" \
    "broken.yaml:[0-9]*:[0-9]*: unknown pool (nosuchpool)" "$T/.err"
check_grep "the bad time is named with its place" \
    "broken.yaml:[0-9]*:[0-9]*: not a time of day HH:MM (25:00)" "$T/.err"
P=$RV_RUN/metrics/rv-compile-cheers-24-7.prom
check_eq "metrics: the last run compiled 3 days, no failure, a success on record" "3 0 1" \
    "$(metric "$P" 'rv_compile_schedules{channel="cheers-24-7"}') $(metric "$P" \
    'rv_compile_failures_total{channel="cheers-24-7"}') $(metric "$P" \
    'rv_compile_last_success_timestamp_seconds{channel="cheers-24-7"}' | awk '{ print ($1 > 1700000000) }')"
rv-compile "$T/broken.yaml" 2>/dev/null | cat >/dev/null
rv-compile "$T/broken.yaml" 2>/dev/null | cat >/dev/null
P=$RV_RUN/metrics/rv-compile-broken.prom
check_eq "metrics: failures counted across runs, never a success" "2 0" \
    "$(metric "$P" 'rv_compile_failures_total{channel="broken"}') $(metric "$P" \
    'rv_compile_last_success_timestamp_seconds{channel="broken"}')"
check_status "frames are not written to a terminal-less usage error" 2 \
    rv-compile --days 3 "$CH/cheers-24-7.yaml"

done_testing
