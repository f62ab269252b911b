#!/bin/sh
# Benchmark: rv-horizon extend for the 13 reference channels from an empty
# horizon (3 guide days, 6 execution hours) against a catalog of about
# 12,000 assets (target under 2 s), then a no-op extend at the same clock
# (target under 100 ms).
#
#   sh bench/horizon.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$top" all >/dev/null
bin=$top/build/bin
export RV_DB="$work/retrovue.db" RV_CHANNELS="$top/tests/channels"
"$bin/rv-catalog" stats >/dev/null
sh "$top/tests/data/catalog.sh" "$RV_DB" 8500
echo "catalog: $(sqlite3 "$RV_DB" 'SELECT count(*) FROM assets') assets"
ms() { date +%s%3N; }
t0=$(ms)
"$bin/rv-horizon" --now 2026-01-05T15:00:00Z extend >/dev/null
t1=$(ms)
"$bin/rv-horizon" --now 2026-01-05T15:00:00Z extend >/dev/null
t2=$(ms)
echo "extend 13 channels from empty: $((t1 - t0)) ms"
echo "no-op extend at the same clock: $((t2 - t1)) ms"
echo "guide blocks: $(sqlite3 "$RV_DB" 'SELECT count(*) FROM program_blocks'), playout segments: $(sqlite3 "$RV_DB" 'SELECT count(*) FROM playout_segments')"
