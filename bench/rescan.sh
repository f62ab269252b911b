#!/bin/sh
# Benchmark: rv-catalog scan of a library of 2,000 files, first (every
# file probed) and again unchanged (target: under 1 s, nothing probed).
#
#   sh bench/rescan.sh [FILES]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$top" all >/dev/null
bin=$top/build/bin
export RV_DB="$work/retrovue.db"

ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=160x120:rate=25 \
    -f lavfi -i sine=sample_rate=48000 -t 0.5 -c:v libx264 -preset ultrafast \
    -c:a aac "$work/clip.mp4"
i=0
while [ "$i" -lt "$n" ]; do
	show=$((i / 100))
	season=$((i / 20 % 5 + 1))
	dir="$work/lib/Show $show/Season $season"
	mkdir -p "$dir"
	cp "$work/clip.mp4" "$dir/Show $show - S0${season}E$(printf %02d $((i % 20 + 1))) - Title $i.mp4"
	i=$((i + 1))
done

ms() { date +%s%3N; }
t0=$(ms)
"$bin/rv-catalog" scan "$work/lib"
t1=$(ms)
/usr/bin/time -f "%e s wall, %M KiB max RSS" "$bin/rv-catalog" scan "$work/lib" 2>"$work/time"
t2=$(ms)
echo "first scan of $n files: $((t1 - t0)) ms"
echo "rescan of $n unchanged files: $((t2 - t1)) ms ($(cat "$work/time"))"
