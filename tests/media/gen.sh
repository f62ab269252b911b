#!/bin/sh
# Generate the test library's media shapes with the ffmpeg command line.
#
#   tests/media/gen.sh OUTDIR
#
# Every shape a real library has, each a few seconds long: the tests assert
# the exact fields below, so change them together.
#
#   chapters.mp4   H.264 320x240 25/1, AAC 48 kHz stereo, 4 s, chapters
#                  0-1500 "Act One", 1500-3000 "Act Two", 3000-4000 "Tag"
#   hevc51.mkv     HEVC 640x360 24000/1001, AAC 5.1 48 kHz, 3 s
#   mpeg2i.ts      MPEG-2 720x480 30000/1001 interlaced top field first,
#                  MP2 48 kHz stereo, 3 s
#   vp9.webm       VP9 320x240 25/1, Opus 48 kHz stereo, 2 s
#   mono.mp4       H.264 320x240 30/1, AAC 44.1 kHz mono, 2 s
#   silent.mp4     H.264 320x240 60000/1001, no audio, 2 s
#   truncated.mp4  chapters.mp4 cut to half (its index is at the end)
#   notmedia.mkv   a text file with a media name
set -eu
out=${1:?usage: tests/media/gen.sh OUTDIR}
mkdir -p "$out"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
v() { echo "testsrc2=size=$1:rate=$2:duration=$3"; }
a() { echo "sine=frequency=440:sample_rate=$1:duration=$2"; }

cat >"$out/chapters.txt" <<'META'
;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=1500
title=Act One
[CHAPTER]
TIMEBASE=1/1000
START=1500
END=3000
title=Act Two
[CHAPTER]
TIMEBASE=1/1000
START=3000
END=4000
title=Tag
META
ff -f lavfi -i "$(v 320x240 25 4)" -f lavfi -i "$(a 48000 4)" \
    -i "$out/chapters.txt" -map 0:v -map 1:a -map_metadata 2 -map_chapters 2 \
    -c:v libx264 -preset ultrafast -g 25 -c:a aac -ac 2 "$out/chapters.mp4"
rm -f "$out/chapters.txt"
ff -f lavfi -i "$(v 640x360 24000/1001 3)" -f lavfi -i "$(a 48000 3)" \
    -c:v libx265 -preset ultrafast -x265-params log-level=error \
    -c:a aac -ac 6 "$out/hevc51.mkv"
ff -f lavfi -i "$(v 720x480 30000/1001 3)" -f lavfi -i "$(a 48000 3)" \
    -vf setfield=tff -c:v mpeg2video -flags +ilme+ildct -top 1 \
    -c:a mp2 -ac 2 -f mpegts "$out/mpeg2i.ts"
ff -f lavfi -i "$(v 320x240 25 2)" -f lavfi -i "$(a 48000 2)" \
    -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus -ac 2 \
    "$out/vp9.webm"
ff -f lavfi -i "$(v 320x240 30 2)" -f lavfi -i "$(a 44100 2)" \
    -c:v libx264 -preset ultrafast -c:a aac -ac 1 "$out/mono.mp4"
ff -f lavfi -i "$(v 320x240 60000/1001 2)" \
    -c:v libx264 -preset ultrafast "$out/silent.mp4"
size=$(wc -c <"$out/chapters.mp4")
head -c $((size / 2)) "$out/chapters.mp4" >"$out/truncated.mp4"
echo "this is not a video" >"$out/notmedia.mkv"
