#!/bin/sh
# rv-frame: pack and dump are inverses on every frame type; ts extracts a
# playable MPEG-TS byte for byte; bad streams fail with status 1 and say why.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

cat >"$T/lines.jsonl" <<'JSON'
{"type":"H","json":{"channel":"cheers-24-7","session":"PS-cheers-24-7-1762000000000","tool":"rv-air","version":"0.1.0"}}
{"type":"P","json":{"asset_id":"a-01","block_id":"cheers-24-7-2025-11-01-0000","end_ms":1761993000000,"slot_ms":1800000,"start_ms":1761991200000,"title":"Cheers"}}
{"type":"B","json":{"block_id":"cheers-24-7-2025-11-01-0000","channel":"cheers-24-7","end_ms":1761993000000,"join_ms":1761991260000,"segments":[{"dur_ms":1790000,"in_ms":0,"index":0,"type":"content","uri":"/m/a.mkv"},{"dur_ms":10000,"index":1,"type":"pad"}],"start_ms":1761991200000}}
{"type":"M","json":{"kind":"block_start","pts":900900,"utc_ms":1761991200000}}
{"type":"E","json":{"channel":"cheers-24-7","frame":0,"kind":"session_start","seq":1,"session":"PS-cheers-24-7-1762000000000","utc_ms":1761991200000}}
{"type":"X","len":3,"hex":"010203"}
{"type":"Z","json":{"reason":"end of feed"}}
JSON
# Two TS packets (PIDs 0x10 and 0x11), padded with 0xff, inserted before X.
pkt() { printf '474000%s00' "$1"; i=0; while [ $i -lt 183 ]; do printf ff; i=$((i + 1)); done; }
tline=$(printf '{"type":"T","len":376,"packets":2,"hex":"%s%s"}' "$(pkt 10)" "$(pkt 11)")
awk -v t="$tline" '/"type":"X"/ { print t } { print }' "$T/lines.jsonl" >"$T/l2"
mv "$T/l2" "$T/lines.jsonl"

check_status "pack the eight sample lines" 0 rv-frame pack "$T/lines.jsonl"
cp "$T/.out" "$T/frames.bin"
check_status "dump -x the packed frames" 0 rv-frame dump -x "$T/frames.bin"
cp "$T/.out" "$T/dumped.jsonl"
check_eq "dump -x gives back the lines byte for byte" \
    "$(cat "$T/lines.jsonl")" "$(cat "$T/dumped.jsonl")"
rv-frame pack <"$T/dumped.jsonl" >"$T/frames2.bin"
check "pack(dump(frames)) is byte-identical to frames" \
    cmp -s "$T/frames.bin" "$T/frames2.bin"
check_eq "frame count" 8 "$(rv-frame dump <"$T/frames.bin" | wc -l | tr -d ' ')"
check_eq "dump without -x summarises T as packets and head" \
    '{"type":"T","len":376,"packets":2,"head":"4740001000ffffffffffffffffffffff"}' \
    "$(rv-frame dump "$T/frames.bin" | grep '"T"')"
# The first frame's header: length = type byte + the canonical JSON.
json=$(head -n 1 "$T/lines.jsonl" | sed 's/^{"type":"H","json"://; s/}$//')
check_eq "H frame header on the wire" \
    "$(printf '000000%02x48' $((${#json} + 1)))" \
    "$(head -c 5 "$T/frames.bin" | od -An -v -tx1 | tr -d ' \n')"

# A real TS, carried in T frames of 100 packets, comes out byte for byte.
if ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=320x240:rate=25 \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t 2 \
    -c:v libx264 -preset ultrafast -c:a aac -f mpegts "$T/in.ts"; then
	split -b 18800 "$T/in.ts" "$T/chunk."
	for c in "$T"/chunk.*; do
		printf '{"type":"T","hex":"%s"}\n' \
		    "$(od -An -v -tx1 "$c" | tr -d ' \n')"
	done >"$T/ts.jsonl"
	{ echo '{"type":"H","json":{"tool":"test"}}'; cat "$T/ts.jsonl";
	  echo '{"type":"Z","json":{"reason":"eof"}}'; } |
	    rv-frame pack | rv-frame ts >"$T/out.ts"
	check "rv-frame ts gives the TS back byte for byte" \
	    cmp -s "$T/in.ts" "$T/out.ts"
	check_eq "ffprobe reads the extracted TS" "aac,h264" \
	    "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 \
	    "$T/out.ts" | grep . | sort -u | paste -sd, -)"
else
	not_ok "ffmpeg could not make a test TS"
fi

# Truncated stream: the last frame loses its final byte.
size=$(wc -c <"$T/frames.bin")
head -c $((size - 1)) "$T/frames.bin" >"$T/truncated.bin"
check_status "truncated stream fails" 1 rv-frame dump "$T/truncated.bin"
check_grep "truncated stream is named in the message" \
    "truncated stream: frame 8 ('Z')" "$T/.err"
check_eq "frames before the truncation are still dumped" 7 \
    "$(wc -l <"$T/.out" | tr -d ' ')"
check_status "rv-frame ts on a truncated stream fails" 1 \
    rv-frame ts "$T/truncated.bin"

# Oversize: a length field of 16 MiB + 1.
printf '\001\000\000\001T' >"$T/oversize.bin"
check_status "oversize frame fails" 1 rv-frame dump "$T/oversize.bin"
check_grep "oversize length is named" "length 16777217 out of range" "$T/.err"
printf '\000\000\000\000P' >"$T/zero.bin"
check_status "zero-length frame fails" 1 rv-frame dump "$T/zero.bin"
check_grep "zero length is named" "length 0 out of range" "$T/.err"

# Bad JSON lines and bad payloads.
printf '{"type":"P","json":{}}\n{"type":"P",\n' >"$T/bad.jsonl"
check_status "pack of a broken JSON line fails" 1 rv-frame pack "$T/bad.jsonl"
check_grep "pack names file and line" "bad.jsonl:2:" "$T/.err"
echo '{"type":"P","hex":"7b"}' | rv-frame pack >"$T/badjson.bin"
check_status "dump of a P frame that is not JSON fails" 1 \
    rv-frame dump "$T/badjson.bin"
check_grep "invalid JSON is named" "frame 1: 'P' frame: invalid JSON" "$T/.err"

# Usage.
check_status "no command is a usage error" 2 rv-frame
check_status "unknown command is a usage error" 2 rv-frame frob
check_status "--version" 0 rv-frame --version
check_grep "--version names the program" "^rv-frame [0-9]" "$T/.out"
check_status "missing file fails" 1 rv-frame dump "$T/nonexistent"
check_grep "missing file is named" "nonexistent: No such file" "$T/.err"

done_testing
