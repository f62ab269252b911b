#!/bin/sh
# rv-hlsseg over rv-air's real output: the segments put back together are
# the TS byte for byte; each opens with the PAT and a keyframe; the first
# is one second long, the others about the target; EXTINF is the PTS
# distance; PROGRAM-DATE-TIME is the plan's time; a restart keeps the
# numbers rising with a discontinuity at the new session; the window
# slides and old files go after the grace; bad input is resynchronised.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

episodes "$T/lib" 2
mkdir "$T/ch"
show_channel "$T/ch" test-hls 91 "HLS Test"
RV_CHANNELS=$T/ch rv-horizon --now 2026-01-05T12:00:00Z extend >/dev/null ||
    not_ok "extend"

# render FROM UNTIL FILE: the frames rv-air writes for [FROM, UNTIL).
render() {
	rv-blockfeed --clock fast --now "$1" --until "$2" test-hls \
	    2>>"$T/feed.err" | rv-air --clock fast >"$3" 2>>"$T/air.err"
}

# listed: the segment names of the playlist, in order.
listed() {
	grep -v '^#' "$H/index.m3u8"
}

# conform: the RFC 8216 rules a live media playlist must keep, on
# $H/index.m3u8; prints what breaks them, nothing when none does.
conform() {
	awk -v dir="$H" '
	function fail(m) { print FILENAME ":" FNR ": " m; bad = 1 }
	FNR == 1 { if ($0 != "#EXTM3U") fail("not #EXTM3U first"); next }
	/^#EXT-X-VERSION:/ { if (seg || ver++) fail("VERSION misplaced"); next }
	/^#EXT-X-TARGETDURATION:/ { if (seg || td) fail("TARGETDURATION misplaced")
		td = substr($0, 23) + 0; next }
	/^#EXT-X-MEDIA-SEQUENCE:/ { if (seg || ms != "") fail("MEDIA-SEQUENCE misplaced")
		ms = substr($0, 23) + 0; next }
	/^#EXT-X-DISCONTINUITY-SEQUENCE:/ { if (seg) fail("DISCONTINUITY-SEQUENCE misplaced")
		dseq = 1; next }
	/^#EXT-X-DISCONTINUITY$/ { disc = 1; next }
	/^#EXT-X-PROGRAM-DATE-TIME:/ { p = substr($0, 26)
		if (p <= lastp) fail("PROGRAM-DATE-TIME not rising: " p); lastp = p; next }
	/^#EXTINF:/ { d = substr($0, 9) + 0; if (int(d + 0.5) > td) fail("EXTINF " d " over " td)
		inf = 1; next }
	/^#/ { fail("unknown tag " $0); next }
	{ if (!inf) fail("a segment without EXTINF"); inf = 0
	  if ($0 + 0 != ms + seg) fail("segment " $0 " is not number " ms + seg)
	  if (system("test -f " dir "/" $0)) fail($0 " is not on disk")
	  if (disc && !dseq) fail("DISCONTINUITY without DISCONTINUITY-SEQUENCE")
	  seg++ }
	END { if (!ver || !td || ms == "") fail("a required tag is missing")
	      if (!seg) fail("no segment") }' "$H/index.m3u8"
}

H=$T/run/test-hls
render 2026-01-05T12:00:30Z 2026-01-05T12:02:30Z "$T/a.bin"
rv-hlsseg --dir "$H" --window 100 <"$T/a.bin" 2>"$T/seg.err"
check_eq "rv-hlsseg ends cleanly at Z" "0 " "$? $(cat "$T/seg.err")"
check_eq "the playlist keeps RFC 8216" "" "$(conform)"
rv-frame ts "$T/a.bin" >"$T/a.ts"
listed | (cd "$H" && xargs cat) >"$T/joined.ts"
check "the segments joined are the TS, byte for byte" cmp -s "$T/a.ts" "$T/joined.ts"
check_eq "the playlist's head" "#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0" "$(head -n 4 "$H/index.m3u8")"
check_eq "no discontinuity in one session" "0" \
    "$(grep -c DISCONTINUITY "$H/index.m3u8")"
n=$(listed | wc -l)
check_eq "segments numbered 0.. without a gap" \
    "$(seq -f %08g.ts 0 $((n - 1)) | paste -sd' ' -)" "$(listed | paste -sd' ' -)"

# Per segment: its first packet, and its first video frame's key flag
# and PTS.
: >"$T/firsts"
for s in $(listed); do
	pid=$(od -An -tx1 -N3 "$H/$s" | tr -d ' \n')
	pat2=$(od -An -tx1 -j188 -N3 "$H/$s" | tr -d ' \n')
	[ "$pid" = 474011 ] && [ "$pat2" = 474000 ] && pid=474000
	f=$(ffprobe -v error -select_streams v -read_intervals '%+#1' \
	    -show_entries frame=key_frame,pts -of csv=p=0 "$H/$s" |
	    grep -E '^[01],' | head -n 1)
	echo "$s $pid $f" >>"$T/firsts"
done
check_eq "every segment opens with the PAT (or the SDT, then the PAT)" "0" \
    "$(awk '$2 != "474000" { bad++ } END { print bad + 0 }' "$T/firsts")"
check_eq "every segment opens with a keyframe" "0" \
    "$(awk '{ split($3, a, ","); if (a[1] != 1) bad++ } END { print bad + 0 }' "$T/firsts")"
# EXTINF k = (PTS of segment k+1's first frame - PTS of segment k's) / 90,
# to the millisecond; the last runs to its last frame + one (3003).
last_pts=$(ffprobe -v error -select_streams v -show_entries frame=pts \
    -of csv=p=0 "$T/a.ts" | grep -E '^[0-9]+' | tail -n 1)
grep '^#EXTINF:' "$H/index.m3u8" | sed 's/#EXTINF:\([0-9.]*\),/\1/' >"$T/extinf"
want=$(awk -v end=$((last_pts + 3003)) '{ split($3, a, ","); p[NR] = a[2] }
    END { for (i = 1; i <= NR; i++) { q = (i < NR ? p[i + 1] : end);
        printf "%.3f\n", int((q - p[i] + 45) / 90) / 1000 } }' "$T/firsts")
check_eq "EXTINF is the PTS distance of the segment" "$want" "$(cat "$T/extinf")"
check_eq "the first segment is one second (30 frames)" "1.001" "$(head -n 1 "$T/extinf")"
check_eq "the others hold 1.9 s to 4 s (but the last)" "0" \
    "$(sed '1d;$d' "$T/extinf" | awk '$1 < 1.9 || $1 > 4 { bad++ } END { print bad + 0 }')"
# 120 s at 30000/1001 is 3597 frames of 3003 ticks.
check_eq "the durations add up to every frame" "10801791" \
    "$(jq '[.window[].d90] | add' "$H/hls.json")"
check_eq "PROGRAM-DATE-TIME of the first two segments" \
    "2026-01-05T12:00:30Z 2026-01-05T12:00:31.001Z" \
    "$(grep '^#EXT-X-PROGRAM-DATE-TIME:' "$H/index.m3u8" | head -n 2 |
    cut -d: -f2- | paste -sd' ' -)"
check_eq "no temporary file left" "" "$(find "$H" -name '*.tmp')"
P=$RV_RUN/metrics/rv-hlsseg-test-hls.prom
check_eq "metrics: segments written and TS bytes taken in, as on disk" \
    "$n $(wc -c <"$T/a.ts" | tr -d ' ') 0 0 0" \
    "$(for m in segments bytes resyncs forced_cuts dropped_segments; do
	metric "$P" "rv_hls_${m}_total{channel=\"test-hls\"}"; done | paste -sd' ' -)"
check "metrics: when the playlist was written, within a minute of now" \
    awk -v t="$(metric "$P" 'rv_hls_playlist_write_timestamp_seconds{channel="test-hls"}')" \
    -v now="$(date +%s)" 'BEGIN { exit !(t > now - 60 && t <= now + 1) }'

# A restart: a new session goes on from the next number, after a
# discontinuity.
render 2026-01-05T12:10:00Z 2026-01-05T12:10:10Z "$T/b.bin"
rv-hlsseg --dir "$H" --window 100 <"$T/b.bin" 2>"$T/seg.err"
check_eq "the second session ends cleanly" "0 " "$? $(cat "$T/seg.err")"
check_eq "the playlist keeps RFC 8216 across the restart" "" "$(conform)"
check_eq "numbers rise across the restart" "$(printf '%08d.ts' "$n")" \
    "$(grep -A 3 '^#EXT-X-DISCONTINUITY$' "$H/index.m3u8" | tail -n 1)"
check_eq "one discontinuity, at the new session" "1" \
    "$(grep -c '^#EXT-X-DISCONTINUITY$' "$H/index.m3u8")"
check_eq "its PROGRAM-DATE-TIME is the new join" \
    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:10:00Z" \
    "$(grep -A 1 '^#EXT-X-DISCONTINUITY$' "$H/index.m3u8" | tail -n 1)"
check_eq "DISCONTINUITY-SEQUENCE 0 while it is listed" \
    "#EXT-X-DISCONTINUITY-SEQUENCE:0" \
    "$(grep '^#EXT-X-DISCONTINUITY-SEQUENCE' "$H/index.m3u8")"
total=$(listed | wc -l)

# A third session with a window of 5 and a grace of 4 s: the
# discontinuity slides out and counts; old files go.
render 2026-01-05T12:20:00Z 2026-01-05T12:20:20Z "$T/c.bin"
rv-hlsseg --dir "$H" --window 5 --grace 4 <"$T/c.bin" 2>"$T/seg.err"
check_eq "the third session ends cleanly" "0 " "$? $(cat "$T/seg.err")"
check_eq "the playlist keeps RFC 8216 as the window slides" "" "$(conform)"
first=$(listed | head -n 1)
check_eq "MEDIA-SEQUENCE is the first listed segment's number" \
    "#EXT-X-MEDIA-SEQUENCE:$(echo "${first%.ts}" | sed 's/^0*\(.\)/\1/')" \
    "$(grep '^#EXT-X-MEDIA-SEQUENCE' "$H/index.m3u8")"
check_eq "five listed" "5" "$(listed | wc -l)"
check_eq "both discontinuities slid out and count" \
    "#EXT-X-DISCONTINUITY-SEQUENCE:2" \
    "$(grep '^#EXT-X-DISCONTINUITY-SEQUENCE' "$H/index.m3u8")"
# On disk: the five listed and those retired less than 4 s of media ago.
want=$( (listed; jq -r '.retired[].n' "$H/hls.json" |
    xargs -r printf '%08d.ts\n') | sort | paste -sd' ' -)
check_eq "on disk: the window and the files in their grace" "$want" \
    "$(cd "$H" && ls -- *.ts | sort | paste -sd' ' -)"
check_eq "the grace holds 4 s of media" "1" \
    "$(jq '[.retired[]] | length >= 1 and length <= 3' "$H/hls.json" |
    sed 's/true/1/')"
check_eq "numbers still rise" "$(printf '%08d.ts' "$total")" \
    "$(cd "$H" && ls -- *.ts | sort | head -n 1 | awk -v t="$total" '
    { n = $0 + 0; print (n >= t ? sprintf("%08d.ts", t) : $0) }')"

# Five minutes across block changes, with rv-air restarted in the
# middle: one rv-hlsseg reads a session of 3 minutes, then (the Z of the
# first removed, as when rv-air is killed) a new one of 2; the playlist
# keeps RFC 8216 with a discontinuity exactly where the session changes.
render 2026-01-05T13:00:00Z 2026-01-05T13:03:00Z "$T/s1.bin"
render 2026-01-05T13:03:00Z 2026-01-05T13:05:00Z "$T/s2.bin"
{ rv-frame dump -x "$T/s1.bin" | grep -v '"type":"Z"'; rv-frame dump -x "$T/s2.bin"; } |
    rv-frame pack >"$T/both.bin"
Hsave=$H
H=$T/h5
rv-hlsseg --dir "$H" --window 100 --target 4 <"$T/both.bin" 2>"$T/seg.err"
check_eq "five minutes with a restart inside: ends cleanly" "0 " "$? $(cat "$T/seg.err")"
check_eq "the playlist keeps RFC 8216" "" "$(conform)"
check_eq "one discontinuity, where the session changes" "1 #EXT-X-PROGRAM-DATE-TIME:2026-01-05T13:03:00Z" \
    "$(grep -c '^#EXT-X-DISCONTINUITY$' "$H/index.m3u8") $(grep -A 1 '^#EXT-X-DISCONTINUITY$' "$H/index.m3u8" | tail -n 1)"
# 180 s and 120 s at 30000/1001: 5395 + 3597 frames of 3003 ticks.
check_eq "every frame of both sessions in the durations" "$(((5395 + 3597) * 3003))" \
    "$(jq '[.window[].d90] | add' "$H/hls.json")"
H=$Hsave

# --fresh (a channel started anew): only the new session is listed, the
# numbers still rise.
next=$(jq .next "$H/hls.json")
render 2026-01-05T12:30:00Z 2026-01-05T12:30:06Z "$T/d.bin"
rv-hlsseg --dir "$H" --window 5 --fresh <"$T/d.bin" 2>"$T/seg.err"
check_eq "--fresh lists only the new session, from the next number" \
    "$(printf '%08d.ts' "$next")" "$(listed | head -n 1)"
check_eq "--fresh: its PROGRAM-DATE-TIME is the new join" \
    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:30:00Z" \
    "$(grep -m 1 '^#EXT-X-PROGRAM-DATE-TIME' "$H/index.m3u8")"

# Bad input: five stray bytes before the packets of one T frame, and a
# stream that ends without Z.
rv-frame dump -x "$T/a.bin" >"$T/a.jsonl"
awk 'BEGIN { done = 0 } /"type":"T"/ && !done && NR > 20 {
    sub(/"hex":"/, "\"hex\":\"0102030405"); sub(/"len":[0-9]+,/, ""); done = 1 }
    { print }' "$T/a.jsonl" | rv-frame pack >"$T/bad.bin"
rm -rf "$T/h2"
rv-hlsseg --dir "$T/h2" --window 100 <"$T/bad.bin" 2>"$T/seg.err"
check_eq "stray bytes are not fatal" "0" "$?"
check_grep "lost sync is reported" "TS sync lost at input byte" "$T/seg.err"
check_grep "and found again" "TS sync found again" "$T/seg.err"
grep -v '^#' "$T/h2/index.m3u8" | (cd "$T/h2" && xargs cat) >"$T/joined2.ts"
check "no packet lost to the stray bytes" cmp -s "$T/a.ts" "$T/joined2.ts"
head -c 300000 "$T/a.bin" >"$T/cut.bin"
rm -rf "$T/h3"
check_status "a truncated input" 1 rv-hlsseg --dir "$T/h3" <"$T/cut.bin"
check_grep "is reported" "truncated" "$T/.err"
check "and what came is published" test -s "$T/h3/index.m3u8"
check_status "no --dir" 2 rv-hlsseg
done_testing
