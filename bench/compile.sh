#!/bin/sh
# Benchmark: all 13 reference channels x 7 days against a catalog of about
# 12,000 assets (3,419 episodes, 8,500 movies, interstitials).  Target:
# under 1 s in total.
#
#   sh bench/compile.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$top" all >/dev/null
bin=$top/build/bin
export RV_DB="$work/retrovue.db"
"$bin/rv-catalog" stats >/dev/null
sh "$top/tests/data/catalog.sh" "$RV_DB" 8500
echo "catalog: $(sqlite3 "$RV_DB" 'SELECT count(*) FROM assets') assets"
run() {
	for f in "$top"/tests/channels/[a-z]*.yaml; do
		"$bin/rv-compile" --from 2026-01-05 --days 7 "$f" >/dev/null
	done
}
ms() { date +%s%3N; }
t0=$(ms)
run
t1=$(ms)
run
t2=$(ms)
echo "13 channels x 7 days, first compile (records state): $((t1 - t0)) ms"
echo "13 channels x 7 days, recompile of the same days:    $((t2 - t1)) ms"
