#!/bin/sh
# rv-serve on loopback: the listings (M3U, HDHomeRun, XMLTV, guide page)
# say exactly what the database holds; a playlist request starts the
# channel (join in progress) and answers once the first segment exists;
# segments and the continuous TS are real H.264 in MPEG-TS; the channel
# stops a linger after its last viewer and starts again on the next; too
# many starts at once get 503 with Retry-After; bad paths and methods are
# refused; SIGTERM stops everything.  The channels play on the wall clock
# (that is what serving is), but nothing here times them: every wait is a
# bounded poll for a state.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

episodes "$T/lib" 2
mkdir "$T/ch"
for n in 91 92 93 94; do
	show_channel "$T/ch" "test-$n" "$n" "Test $n & Co"
done
RV_CHANNELS=$T/ch rv-horizon extend >/dev/null 2>&1 || not_ok "extend"

serve_up "linger_seconds: 3
  max_starting: 1
  start_timeout_seconds: 30
  tuners: 3
  device_id: \"12345674\"
  friendly_name: \"Test Tuner\""
port=${U##*:}
serve=${serve:?}

# get PATH: the body on stdout; the status code in $T/code.
get() {
	curl -s -o "$T/body" -w '%{http_code}' "$U$1" >"$T/code"
	cat "$T/body"
}

check_eq "/healthz" "ok" "$(get /healthz)"
check_eq "/channels.m3u lists every channel with its guide id" \
"#EXTM3U url-tvg=\"$U/xmltv.xml\" x-tvg-url=\"$U/xmltv.xml\"
#EXTINF:-1 tvg-id=\"test-91.retrovue\" tvg-chno=\"91\" tvg-name=\"Test 91 & Co\" group-title=\"RetroVue\",Test 91 & Co
$U/channel/91.ts
#EXTINF:-1 tvg-id=\"test-92.retrovue\" tvg-chno=\"92\" tvg-name=\"Test 92 & Co\" group-title=\"RetroVue\",Test 92 & Co
$U/channel/92.ts
#EXTINF:-1 tvg-id=\"test-93.retrovue\" tvg-chno=\"93\" tvg-name=\"Test 93 & Co\" group-title=\"RetroVue\",Test 93 & Co
$U/channel/93.ts
#EXTINF:-1 tvg-id=\"test-94.retrovue\" tvg-chno=\"94\" tvg-name=\"Test 94 & Co\" group-title=\"RetroVue\",Test 94 & Co
$U/channel/94.ts" "$(get /channels.m3u)"
check_eq "/discover.json" "Test Tuner 12345674 3 $U $U/lineup.json" \
    "$(get /discover.json | jq -r '[.FriendlyName, .DeviceID, .TunerCount, .BaseURL, .LineupURL] | join(" ")')"
check_eq "/lineup.json" "91 Test 91 & Co $U/channel/91.ts|92 Test 92 & Co $U/channel/92.ts|93 Test 93 & Co $U/channel/93.ts|94 Test 94 & Co $U/channel/94.ts" \
    "$(get /lineup.json | jq -r 'map([.GuideNumber, .GuideName, .URL] | join(" ")) | join("|")')"
check_eq "/lineup_status.json" "0 1" \
    "$(get /lineup_status.json | jq -r '"\(.ScanInProgress) \(.ScanPossible)"')"
get /device.xml >"$T/device.xml"
check_grep "/device.xml names the device" "<UDN>uuid:12345674</UDN>" "$T/device.xml"
get /xmltv.xml >"$T/guide.xml"
# Both start 6 h before now, which moves each minute: the command's output
# must equal what was served just before it or just after.
RV_CHANNELS=$T/ch rv-horizon epg --xmltv >"$T/epg.xml"
get /xmltv.xml >"$T/guide2.xml"
check "the served XMLTV is rv-horizon epg --xmltv" \
    sh -c "cmp -s '$T/epg.xml' '$T/guide.xml' || cmp -s '$T/epg.xml' '$T/guide2.xml'"
check_grep "/xmltv.xml has the channels" '<channel id="test-91.retrovue">' "$T/guide.xml"
check_grep "/xmltv.xml has programmes" '<programme .*channel="test-92.retrovue"' "$T/guide.xml"
if command -v tv_validate_file >/dev/null 2>&1; then
	check "/xmltv.xml validates" \
	    sh -c "XMLTV_SUPPLEMENT=/usr/share/xmltv tv_validate_file $T/guide.xml >/dev/null"
fi
get / >"$T/page.html"
check_grep "the guide page lists a channel" '/channel/91.m3u8.*91 Test 91 &amp; Co' "$T/page.html"
check_grep "with what is on now" '<td class="now">.*<b>Show</b>' "$T/page.html"

get /nope >/dev/null
check_eq "an unknown path is 404" "404" "$(cat "$T/code")"
get /channel/99.m3u8 >/dev/null
check_eq "an unknown channel is 404" "404" "$(cat "$T/code")"
get /channel/91/../../retrovue.db >/dev/null
check_eq "a path out of the folder is 404" "404" "$(cat "$T/code")"
check_eq "POST is 405" "405" \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/channels.m3u")"
check_eq "no channel runs before a viewer (the run folder holds only metrics)" "metrics" "$(ls "$T/run" 2>/dev/null)"

# Tune in: the first playlist request starts channel 91.
pl=$(get /channel/91.m3u8)
check_eq "the first playlist request answers 200" "200" "$(cat "$T/code")" ||
    sed 's/^/#   /' "$T/serve.err" "$T/run/test-91/channel.log" | tail -n 30
seg=$(echo "$pl" | grep -v '^#' | head -n 1)
check_eq "its segments resolve under /channel/91/" "91/" "${seg%%0*}"
check_grep "the channel's log shows its start" "rv-channel: test-91 starting" "$T/run/test-91/channel.log"
get "/channel/$seg" >"$T/seg.ts"
check_eq "a segment is served" "200" "$(cat "$T/code")"
check_eq "it is H.264 and AAC in MPEG-TS" "mpegts aac h264" \
    "$(ffprobe -v error -show_entries format=format_name -of csv=p=0 "$T/seg.ts") $(ffprobe \
    -v error -show_entries stream=codec_name -of csv=p=0 "$T/seg.ts" | grep . | sort -u |
    paste -sd' ' -)"
check_eq "opening on a keyframe" "1" \
    "$(ffprobe -v error -select_streams v -read_intervals '%+#1' \
    -show_entries frame=key_frame -of csv=p=0 "$T/seg.ts" | head -n 1 | tr -d ,)"
get /metrics >"$T/metrics"
check_grep "metrics count the start" '^rv_channel_starts_total{channel="test-91"} 1$' "$T/metrics"
check_grep "and the viewer" '^rv_viewers{channel="test-91"} 1$' "$T/metrics"
check_grep "and the tune-in time" '^rv_tune_in_seconds_count 1$' "$T/metrics"
check_grep "and requests by route and code" '^rv_http_requests_total{route="playlist",code="200"} 1$' "$T/metrics"
check_grep "and the playing channel's programs' files: rv-air's frames" \
    '^rv_air_frames_total{channel="test-91",kind="content"} [0-9]' "$T/metrics"
check_grep "and rv-hlsseg's segments" '^rv_hls_segments_total{channel="test-91"} [1-9]' "$T/metrics"
check "and a fresh playlist (age under 5 s)" awk '/^rv_hls_playlist_age_seconds\{channel="test-91"\}/ { ok = $2 < 5 } END { exit !ok }' "$T/metrics"
check_eq "a family found in several files is one family: one TYPE line" 1 \
    "$(grep -c '^# TYPE rv_metrics_updated_timestamp_seconds ' "$T/metrics")"
check_eq "and it has a series per program file" "rv-air rv-blockfeed rv-channel rv-hlsseg rv-horizon" \
    "$(sed -n 's/^rv_metrics_updated_timestamp_seconds{program="\([^"]*\)",channel="test-91"}.*/\1/p' "$T/metrics" |
    grep -v '^rv-asrun$' | sort | paste -sd' ' -)"
curl -s --max-time 3 -o "$T/live.ts" "$U/channel/91.ts"
check_eq "the continuous TS plays" "h264" \
    "$(ffprobe -v error -select_streams v -show_entries stream=codec_name \
    -of csv=p=0 "$T/live.ts" | head -n 1)"

check_eq "ffprobe reads the HLS URL: H.264 320x240 and AAC" "aac h264,320,240" \
    "$(ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 \
    "$U/channel/91.m3u8" | grep . | sort -u | paste -sd' ' -)"

# Two first requests for channel 92 at once start it once; a start of 93
# meanwhile is beyond max_starting (1) and is told to retry.
(curl -s -o /dev/null -w '%{http_code}' "$U/channel/92.m3u8" >"$T/a.code") &
a=$!
(curl -s -o /dev/null -w '%{http_code}' "$U/channel/92.m3u8" >"$T/b.code") &
b=$!
k=0
until [ -f "$T/run/test-92/channel.log" ] || [ $k -ge 100 ]; do k=$((k + 1)); sleep 0.05; done
check_eq "while one starts, starting another is 503 with Retry-After" \
    "503 Retry-After: 2" "$(curl -s -D - -o /dev/null "$U/channel/93.m3u8" |
    tr -d '\r' | awk 'NR == 1 { c = $2 } /^Retry-After/ { r = $0 } END { print c, r }')"
wait "$a" "$b"
check_eq "both first requests are answered" "200 200" "$(cat "$T/a.code") $(cat "$T/b.code")"
get /metrics >"$T/metrics"
check_grep "by one start" '^rv_channel_starts_total{channel="test-92"} 1$' "$T/metrics"
check_grep "the linger has not ended it yet" \
    '^rv_channel_up{channel="test-91",state="running"} 1$' "$T/metrics"

# A cold TS viewer of 93 gets the segment being written when it asked
# (the start renders a few seconds at once: not always the first), then
# the next ones: its bytes are the segments, in order, from that one.
curl -s --max-time 4 -o "$T/cold.ts" "$U/channel/93.ts"
head -c 1880 "$T/cold.ts" >"$T/cold.head"
from=""
for n in $(jq -r '.window[].n' "$T/run/test-93/hls/hls.json"); do
	s=$(printf '%s/run/test-93/hls/%08d.ts' "$T" "$n")
	if head -c 1880 "$s" | cmp -s - "$T/cold.head"; then from=$n; break; fi
done
jq -r --argjson f "${from:-0}" '.window[].n | select(. >= $f)' "$T/run/test-93/hls/hls.json" |
    xargs printf '%08d.ts\n' | (cd "$T/run/test-93/hls" && xargs cat) >"$T/segs93.ts"
size=$(wc -c <"$T/cold.ts")
n=$(wc -c <"$T/segs93.ts")
[ "$n" -lt "$size" ] || n=$size
check_eq "a cold TS viewer reads the segments in order from the one being made" "found 0" \
    "$([ -n "$from" ] && echo found) $(head -c "$n" "$T/segs93.ts" | cmp - "$T/cold.ts" 2>/dev/null | grep -c differ)"
check "and it got more than that segment" test "$size" -gt \
    "$(wc -c <"$(printf '%s/run/test-93/hls/%08d.ts' "$T" "${from:-0}")")"

# Malformed and hostile paths, sent as they are.
bad=0
for p in /channel/91/../../retrovue.db /channel/91/..%2f..%2fretrovue.db \
    /channel/91%2f00000001.ts /channel/0.m3u8 /channel/091.m3u8 \
    /channel/-1.ts /channel/999999999.ts /channel/91/1.ts \
    /channel/91/0000000000000000001.ts /channel/91/index.m3u8 \
    /channel/91/hls.json /channel/91//00000001.ts /channel/91.m3u8/ \
    /./channels.m3u /../etc/passwd /static/../../retrovue.db /static/ \
    "/channel/91/00000001.ts%00" /channels.m3u%20 /CHANNELS.M3U \
    /channel/91/00000001.TS /channel//91.ts "/$(printf '%04000d' 0)"; do
	c=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$U$p")
	case $c in
	400|404|414) ;;
	*) bad=$((bad + 1)); echo "#   $p answered $c" ;;
	esac
done
check_eq "23 hostile paths are all refused (400/404/414)" "0" "$bad"

# Nobody watches: both stop a linger after their last fetch.
k=0
until [ "$(get /metrics | grep -c '^rv_channel_up{channel="test-9[123]",state="stopped"} 0$')" = 3 ] ||
    [ $k -ge 300 ]; do
	k=$((k + 1)); sleep 0.1
done
check_eq "the channels stop after the linger" "" "$(pgrep -f "rv-air --clock wall -C $T" || true)"
get /metrics >"$T/metrics"
check_grep "metrics count the stop" '^rv_channel_stops_total{channel="test-91"} 1$' "$T/metrics"
get /channel/91.m3u8 >/dev/null
check_eq "the next viewer starts it again" "200" "$(cat "$T/code")"
get /metrics >"$T/metrics"
check_grep "a second start" '^rv_channel_starts_total{channel="test-91"} 2$' "$T/metrics"

# A channel that fails to start (its HLS folder's path is taken by a
# file): 503, the reason in the log; the next request tries again.
mkdir -p "$T/run/test-94"
: >"$T/run/test-94/hls"
get /channel/94.m3u8 >/dev/null
check_eq "a channel that fails to start answers 503" "503" "$(cat "$T/code")"
check_grep "the reason is in rv-serve's log" \
    "channel test-94 failed to start: .*test-94/hls/index.m3u8: Not a directory" "$T/serve.err"
rm "$T/run/test-94/hls"
k=0
until [ "$(get /channel/94.m3u8 >/dev/null; cat "$T/code")" = 200 ] || [ $k -ge 100 ]; do
	k=$((k + 1)); sleep 0.1
done
check_eq "the next request starts it" "200" "$(cat "$T/code")"

kill -TERM "$serve"
wait "$serve"
check_eq "SIGTERM ends rv-serve cleanly" "0" "$?"
check_eq "and stops its channels" "" "$(pgrep -f "rv-hlsseg --dir $T/run" || true)"
check_grep "the log says where it served" "serving on 127.0.0.1:$port" "$T/serve.err"
done_testing
