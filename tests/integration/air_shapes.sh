#!/bin/sh
# rv-blockfeed | rv-air on the fast clock over solid-colour sources of
# every shape (23.976, 25, 29.97 interlaced MPEG-2, 59.94 and 60 fps; 4:3
# and 16:9; mono, 5.1 and no audio): every output frame shows the colour
# the plan puts there (frame formula of rv-air(1)), held frames last at
# most 500 ms, fades start and end on black, the frame count, PTS and IDRs
# follow the fences, joins at a block start, mid-segment, on a seam and
# 1 ms before a fence keep every fence, and a truncated or missing file
# plays black without stopping the channel.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

L=$T/lib
S="$L/Show/Season 01"
mkdir -p "$S" "$L/Commercials"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
col() { echo "color=c=$1:size=$2:rate=$3:duration=$4"; }
tone() { echo "sine=frequency=$1:sample_rate=$2:duration=$3"; }
{
	ff -f lavfi -i "$(col red 640x360 24000/1001 33)" -f lavfi -i "$(tone 300 44100 33)" \
	    -c:v libx264 -preset ultrafast -g 24 -c:a aac -ac 1 "$S/Show - S01E01 - Red.mp4" &&
	ff -f lavfi -i "$(col lime 320x240 25 41)" -f lavfi -i "$(tone 400 48000 41)" \
	    -c:v libx264 -preset ultrafast -g 25 -c:a aac -ac 6 "$S/Show - S01E02 - Green.mkv" &&
	ff -f lavfi -i "$(col blue 320x240 30000/1001 27)" -f lavfi -i "$(tone 500 48000 27)" \
	    -vf setfield=tff -c:v mpeg2video -flags +ilme+ildct -top 1 -q:v 4 \
	    -c:a mp2 -ac 2 -f mpegts "$S/Show - S01E03 - Blue.ts" &&
	# The high rates with B-frames: those the 29.97 channel drops are
	# never decoded (rv-air skips them), yet every frame is there.
	ff -f lavfi -i "$(col yellow 640x360 60000/1001 38)" \
	    -c:v libx264 -preset ultrafast -bf 3 -g 60 "$S/Show - S01E04 - Yellow.mp4" &&
	ff -f lavfi -i "$(col magenta 320x240 60 45)" -f lavfi -i "$(tone 600 48000 45)" \
	    -c:v libx264 -preset ultrafast -bf 3 -g 60 -c:a aac -ac 2 -movflags +faststart \
	    "$S/Show - S01E05 - Magenta.mp4" &&
	ff -f lavfi -i "$(col cyan 320x240 30000/1001 5)" -f lavfi -i "$(tone 1000 48000 5)" \
	    -c:v libx264 -preset ultrafast -c:a aac "$L/Commercials/Cyan Spot.mp4" &&
	ff -f lavfi -i "$(col white 640x360 25 7)" -f lavfi -i "$(tone 1200 44100 7)" \
	    -c:v libx264 -preset ultrafast -c:a aac -ac 1 "$L/Commercials/White Spot.mp4"
} || { not_ok "generate media"; done_testing; exit 1; }
rv-catalog scan "$L" >/dev/null 2>&1
mkdir "$T/ch"
show_channel_file "$T/ch/test-shapes.yaml" test-shapes 91 "Shapes Test" 320x240 1 commercials
RV_CHANNELS=$T/ch rv-horizon --now 2026-01-05T12:00:00Z extend >/dev/null ||
    not_ok "extend"
# The white spot is cut to 4 s after planning: its 7 s slots hold its last
# frame, then pad (the hold rule).
ff -f lavfi -i "$(col white 640x360 25 4)" -f lavfi -i "$(tone 1200 44100 4)" \
    -c:v libx264 -preset ultrafast -c:a aac -ac 1 "$L/Commercials/White Spot.mp4"

# ms ISO: epoch milliseconds of an instant.
ms() { date -u -d "$1" +%s%3N; }

# render NAME NOW UNTIL: the TS, evidence, plan and per-frame colours of
# [NOW, UNTIL) in $T/NAME.*.  Colours: R G B Y M C W, K for black.
render() {
	rv-blockfeed --clock fast --now "$2" --until "$3" test-shapes 2>/dev/null |
	    tee "$T/$1.plan.bin" |
	    rv-air --clock fast --evidence "$T/$1.ev.bin" >"$T/$1.air.bin" 2>"$T/$1.air.err"
	rv-frame ts "$T/$1.air.bin" >"$T/$1.ts"
	rv-frame dump "$T/$1.ev.bin" | jq -c .json >"$T/$1.ev.jsonl"
	ffmpeg -nostdin -v error -i "$T/$1.ts" -map 0:v \
	    -vf "crop=8:8:156:116,scale=1:1:flags=area" -f rawvideo -pix_fmt rgb24 - |
	    od -An -v -tu1 -w3 | awk '{ m = $1; if ($2 > m) m = $2; if ($3 > m) m = $3
	        if (m <= 12) { print "K"; next }
	        k = ($1 * 2 >= m) "" ($2 * 2 >= m) "" ($3 * 2 >= m)
	        c["100"] = "R"; c["010"] = "G"; c["001"] = "B"; c["110"] = "Y"
	        c["101"] = "M"; c["011"] = "C"; c["111"] = "W"; print c[k] }' >"$T/$1.colours"
	# The plan, one line per segment the session plays:
	# block index type colour start_ms end_ms fade_in fade_out block_end_ms
	S0=$(ms "$2")
	rv-frame dump "$T/$1.plan.bin" | jq -r --argjson s0 "$S0" 'select(.type == "B") | .json |
	    . as $b | reduce .segments[] as $g ({t: $b.start_ms, out: []};
	        .out += [[$b.block_id, $g.index, $g.type,
	            ((($g.uri // "") | [match("Red|Green|Blue|Yellow|Magenta|Cyan|White").string][0] // "") as $n |
	             {"Red": "R", "Green": "G", "Blue": "B", "Yellow": "Y", "Magenta": "M",
	              "Cyan": "C", "White": "W"}[$n] // "K"),
	            .t, .t + $g.dur_ms, $g.fade_in_ms, $g.fade_out_ms, $b.end_ms]] | .t += $g.dur_ms) |
	    .out[] | select(.[5] > $s0) | map(tostring) | join(" ")' >"$T/$1.segs"
	echo "$S0" >"$T/$1.s0"
}

# tick MS: the frame of an instant ms after the session start, ceil(ms*30/1001).
# expect NAME: per frame "frame colour allowed-alternative rule", from the
# plan, the frame formula and the evidence's content frames.
expect() {
	jq -r 'select(.kind == "segment_end") | "\(.block_id) \(.segment_index) \(.content_frames) \(.frames) \(.status)"' \
	    "$T/$1.ev.jsonl" >"$T/$1.ends"
	total=$(wc -l <"$T/$1.colours")
	awk -v s0="$(cat "$T/$1.s0")" -v total="$total" '
	function tick(x) { x -= s0; if (x <= 0) return 0; return int((x * 30 + 1000) / 1001) }
	FNR == NR { cf[$1 " " $2] = $3; st[$1 " " $2] = $5; next }
	{
		a = tick($5); b = tick($6); if (b > total) b = total
		c = $4; k = $1 " " $2; n = b - a
		joined = ($5 < s0)
		# rv-air holds the last content frame while fewer than 500 ms
		# have passed since it: floor(h * 1001 / 30) < 500, h <= 14.
		# Into planned pad too (allowed here, checked on its own below).
		if (c == "K" || !(k in cf) || cf[k] == 0) {
			for (f = a; f < b; f++) print f, "K", (f - a < 14 && last != "" ? last : "K")
			last = ""; next
		}
		shown = cf[k] < n ? cf[k] + (n - cf[k] < 14 ? n - cf[k] : 14) : n
		last = shown == n ? c : ""
		fi = joined ? 0 : int(($7 * 30 + 1000) / 1001)
		fo = $8 > 0 ? int(($8 * 30 + 1000) / 1001) + 1 : 0
		for (f = a; f < b; f++) {
			alt = (f - a < fi || b - f <= fo) ? "K" : "-"
			print f, (f - a < shown ? c : "K"), alt
		}
	}' "$T/$1.ends" "$T/$1.segs" >"$T/$1.expect"
}

# mismatches NAME: frames whose colour is neither the planned one nor the
# fade's black, as "frame:shown/planned", the first ten.
mismatches() {
	awk 'FNR == NR { got[FNR - 1] = $1; n = FNR; next }
	    { seen[$1] = 1; if (got[$1] != $2 && got[$1] != $3) { bad++; if (bad <= 10) s = s " " $1 ":" got[$1] "/" $2 } }
	    END { for (f = 0; f < n; f++) if (!(f in seen)) { bad++; if (bad <= 10) s = s " " f ":unplanned" }
	          print bad + 0 s }' "$T/$1.colours" "$T/$1.expect"
}

# fences NAME: the block fences the formula puts after NOW, "block frame".
fences() {
	awk -v s0="$(cat "$T/$1.s0")" '{ x = $9 - s0; print $1, int((x * 30 + 1000) / 1001) }' \
	    "$T/$1.segs" | sort -u -k2n
}

# ------------------------------------------------------------------ render
render main 2026-01-05T12:00:00Z 2026-01-05T12:06:00Z
check_eq "rv-air ends cleanly" "" "$(cat "$T/main.air.err")"
# 360 s at 30000/1001: ceil(360000 * 30 / 1001) = 10790 frames.
check_eq "exactly the frames the fences define" "10790" \
    "$(ffprobe -v error -select_streams v -count_frames -show_entries \
    stream=nb_read_frames -of csv=p=0 "$T/main.ts" | head -n 1)"
check_eq "one colour per frame decoded" "10790" "$(wc -l <"$T/main.colours" | tr -d ' ')"
ffprobe -v error -select_streams v -show_entries frame=key_frame,pts \
    -of csv=p=0 "$T/main.ts" | grep -E '^[01],[0-9]+' >"$T/main.frames.csv"
check_eq "video PTS step exactly one frame (floor(n*3003))" "0" \
    "$(awk -F, 'NR > 1 { n++; want = first + int(n * 3003); if ($2 != want) bad++ }
        NR == 1 { first = $2 } END { print bad + 0 }' "$T/main.frames.csv")"
# Blocks at 12:00 ... 12:05: frame ceil(60000k * 30 / 1001).
want="0 1799 3597 5395 7193 8992"
check_eq "an IDR at every block's first frame" "$want" \
    "$(awk -F, -v want="$want" 'BEGIN { n = split(want, w, " ") }
        { for (i = 1; i <= n; i++) if (NR - 1 == w[i] && $1 == 1) hit[i] = 1 }
        END { s = ""; for (i = 1; i <= n; i++) if (hit[i]) s = s (s ? " " : "") w[i]; print s }' "$T/main.frames.csv")"
check_eq "every shape and both spots are on the air" "B C G K M R W Y" \
    "$(sort -u "$T/main.colours" | paste -sd' ' -)"

expect main
check_eq "evidence segment starts are the formula's seams" "" \
    "$(awk -v s0="$(cat "$T/main.s0")" '{ x = $5 - s0; print x <= 0 ? 0 : int((x * 30 + 1000) / 1001) }' \
        "$T/main.segs" >"$T/main.seams"
       jq -r 'select(.kind == "segment_start") | .frame' "$T/main.ev.jsonl" |
        diff "$T/main.seams" - | grep '^[<>]' | head -n 5 | paste -sd' ' -)"
check_eq "every frame shows the colour the plan puts there (frame:shown/planned)" "0" \
    "$(mismatches main)"
check_eq "block fences: evidence = formula" "$(fences main | awk '$2 < 10790 { print $2 }' | paste -sd' ' -)" \
    "$(jq -r 'select(.kind == "block_fence") | .frame' "$T/main.ev.jsonl" | awk '$1 < 10790' | paste -sd' ' -)"

# Held frames: the cut white spot (4 s in a 7 s slot) shows its last
# frame while fewer than 500 ms have passed since it (14 frames; the
# picture is on the air 15 frames, 500.5 ms), then black to the seam.
check_eq "the white spot: 120 content frames, 14 held, then black" "W134 K76" \
    "$(jq -r 'select(.kind == "segment_start" and .type == "commercial" and (.uri | test("White"))) | .frame' \
        "$T/main.ev.jsonl" | head -n 1 | { read -r f
        awk -v f="$f" 'NR - 1 >= f && NR - 1 < f + 210' "$T/main.colours" |
        awk 'NR == 1 || $1 != p { if (NR > 1) s = s (s ? " " : "") p n; n = 0 } { p = $1; n++ }
            END { print s " " p n }'; })"
check_eq "the white spot's evidence says short, 120 content frames" "short 120" \
    "$(jq -r 'select(.kind == "segment_end" and .type == "commercial" and .frames == 210) | "\(.status) \(.content_frames)"' \
        "$T/main.ev.jsonl" | sort -u | head -n 1)"
# A planned pad after a spot that filled its slot: black from its first
# frame (the hold is for content that ends before its slot).
check_eq "a planned pad after a full segment is black from its first frame (frames not black)" "" \
    "$(awk -v s0="$(cat "$T/main.s0")" 'function tick(x) { x -= s0; return int((x * 30 + 1000) / 1001) }
        FNR == NR { got[FNR - 1] = $1; next }
        $3 == "pad" && $5 >= s0 && got[tick($5)] != "K" { s = s (s ? " " : "") tick($5) ":" got[tick($5)] }
        END { print s }' "$T/main.colours" "$T/main.segs" | cut -c1-120)"
# Fades: frame 0 of a planned fade-in is black, and so is the last frame of
# a fade-out (lib/air/source.c); the segment that holds the join does not
# fade in.
check_eq "the last frame of every fade-out is black (frames not black)" "" \
    "$(awk 'FNR == NR { got[FNR - 1] = $1; next } $8 > 0 && $5 >= s0 { print }' s0="$(cat "$T/main.s0")" \
        "$T/main.colours" "$T/main.segs" >/dev/null; \
       awk -v s0="$(cat "$T/main.s0")" 'function tick(x) { x -= s0; return int((x * 30 + 1000) / 1001) }
        FNR == NR { got[FNR - 1] = $1; n = FNR; next }
        $8 > 0 && tick($6) <= n && got[tick($6) - 1] != "K" { s = s (s ? " " : "") tick($6) - 1 ":" got[tick($6) - 1] }
        END { print s }' "$T/main.colours" "$T/main.segs")"
check_eq "frame 0 of every planned fade-in is black (frames not black)" "" \
    "$(awk -v s0="$(cat "$T/main.s0")" 'function tick(x) { x -= s0; return int((x * 30 + 1000) / 1001) }
        FNR == NR { got[FNR - 1] = $1; next }
        $7 > 0 && $5 >= s0 && got[tick($5)] != "K" { s = s (s ? " " : "") tick($5) ":" got[tick($5)] }
        END { print s }' "$T/main.colours" "$T/main.segs" | cut -c1-120)"

# ------------------------------------------------------------------- joins
# join NAME NOW UNTIL FIRST: the first frame shows FIRST, every frame its
# plan's colour, every fence the formula's.
join() {
	render "$1" "$2" "$3"
	expect "$1"
	# FIRST may be "spot": which spot traffic put there depends on the
	# asset ids (paths of this run's scratch folder); the plan says.
	first=$4
	[ "$first" = spot ] && first=$(awk '{ print $2; exit }' "$T/$1.expect")
	check_eq "join $1: the first frame shows the segment holding the join" "$first" \
	    "$(head -n 1 "$T/$1.colours")"
	head -n 1 "$T/$1.colours" >"$T/$1.colours.first"
	check_eq "join $1: every frame shows its planned colour" "0" "$(mismatches "$1")"
	total=$(wc -l <"$T/$1.colours")
	check_eq "join $1: block fences = formula" \
	    "$(fences "$1" | awk -v n="$total" '$2 < n { print $2 }' | paste -sd' ' -)" \
	    "$(jq -r 'select(.kind == "block_fence") | .frame' "$T/$1.ev.jsonl" |
	        awk -v n="$total" '$1 < n' | paste -sd' ' -)"
	check_eq "join $1: block_start fence_frame = formula" \
	    "$(fences "$1" | awk '{ print $2 }' | paste -sd' ' -)" \
	    "$(jq -r 'select(.kind == "block_start") | .fence_frame' "$T/$1.ev.jsonl" | paste -sd' ' -)"
}
# At 0 ms into a block (the 12:03 block: yellow, 59.94 16:9, no audio).
join start 2026-01-05T12:03:00Z 2026-01-05T12:04:05Z Y
# Mid-segment: 4.5 s into green's first act (25 fps, 5.1).
join mid 2026-01-05T12:01:04.5Z 2026-01-05T12:02:05Z G
# Exactly on a seam: 12:02 + 6759 ms is where blue's first act ends and
# the first spot of the break begins.
join seam 2026-01-05T12:02:06.759Z 2026-01-05T12:03:05Z spot
check "join seam: the first frame is a spot (cyan or white), not blue" \
    grep -q -E '^(C|W)$' "$T/seam.colours.first"
# 1 ms before the 12:04 fence: the last millisecond of yellow (its last
# frame); the fence is frame ceil(1 * 30 / 1001) = 1.
join fence 2026-01-05T12:03:59.999Z 2026-01-05T12:04:30Z Y
check_eq "join fence: the 12:03 block is one frame" "1" \
    "$(jq -r 'select(.kind == "block_fence") | .frame' "$T/fence.ev.jsonl" | head -n 1)"

# ----------------------------------------------- truncated and missing files
# Magenta cut in half (faststart: it opens, then breaks); red removed.
f="$S/Show - S01E05 - Magenta.mp4"
size=$(wc -c <"$f")
head -c $((size / 2)) "$f" >"$T/half.mp4" && mv "$T/half.mp4" "$f"
rm "$S/Show - S01E01 - Red.mp4"
render bad 2026-01-05T12:04:00Z 2026-01-05T12:06:00Z
expect bad
check_eq "a broken file does not stop the channel: the frames the fences define" "3597" \
    "$(ffprobe -v error -select_streams v -count_frames -show_entries \
    stream=nb_read_frames -of csv=p=0 "$T/bad.ts" | head -n 1)"
check_eq "the missing file's segments are substituted" "substituted substituted substituted substituted" \
    "$(jq -r 'select(.kind == "segment_end" and .type == "content" and .block_id == "test-shapes-20260105T1205Z") | .status' \
        "$T/bad.ev.jsonl" | paste -sd' ' -)"
check "the truncated file's later segments say substituted or error" \
    test "$(jq -r 'select(.kind == "segment_end" and .type == "content" and .block_id == "test-shapes-20260105T1204Z") | .status' \
        "$T/bad.ev.jsonl" | grep -c -E '^(substituted|error)$')" -ge 2
check_eq "no frame shows red" "0" "$(grep -c R "$T/bad.colours")"
check_eq "broken segments: black (after at most 500 ms held), every other frame its colour" "0" \
    "$(mismatches bad)"
check_eq "session_end closes the broken render" "session_end" \
    "$(jq -r .kind "$T/bad.ev.jsonl" | tail -n 1)"

done_testing
