#!/bin/sh
# A real browser watches a channel: headless Chromium loads hls.js from
# rv-serve (/static/hls.min.js, never a CDN) and plays /channel/N.m3u8
# from a cold start for at least 35 s and across a block change (the
# channel's grid is one minute); currentTime must advance with the clock
# and no `stalled` or `error` event (nor a fatal hls.js error) may come.
# Where Chromium or hls.js cannot be had, the test says so and counts
# nothing: a skip, not a pass.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

# What the sanitizers could find here, serve.sh and channel.sh find on
# the same programs; a player's 40 s are spent once, on the plain build.
case $(command -v rv-serve) in
*/asan/bin/rv-serve)
	echo "# SKIP: the browser test runs on the plain build only"
	done_testing
	exit 0 ;;
esac

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "# SKIP: no Chromium (apt-get install chromium): the browser test did not run"
	done_testing
	exit 0
fi
episodes "$T/lib" 2
mkdir "$T/ch"
show_channel "$T/ch" test-web 95 "Web Test"
RV_CHANNELS=$T/ch rv-horizon extend >/dev/null 2>&1 || not_ok "extend"
js=$(dirname "$(command -v rv-serve)")/../share/retrovue/hls.min.js
if [ ! -s "$js" ] && ! sh "$RV_TOP/scripts/hlsjs" "$T/hls.min.js" 2>"$T/hlsjs.err"; then
	echo "# SKIP: hls.js could not be had ($(cat "$T/hlsjs.err")): the browser test did not run"
	done_testing
	exit 0
fi
[ -s "$js" ] || js=$T/hls.min.js
# rv-serve finds hls.min.js beside itself; --player names this one.
serve_up "linger_seconds: 5"
kill "$serve"
wait "$serve" 2>/dev/null
rv-serve -C "$T/retrovue.yaml" --player "$js" 2>"$T/serve.err" &
serve=$!
k=0
until curl -s "$U/healthz" >/dev/null 2>&1 || [ $k -ge 100 ]; do k=$((k + 1)); sleep 0.1; done
check_eq "rv-serve serves hls.js itself" "200" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$U/static/hls.min.js")"

# Play long enough to cross the next minute (a block change) and for at
# least 35 s: the page reports on the console, which Chromium logs.
second=$(date -u +%S)
second=${second#0}
play=$((72 - second))
[ "$play" -ge 35 ] || play=35
cat >"$T/player.html" <<HTML
<!DOCTYPE html>
<html><body>
<video id="v" muted autoplay playsinline></video>
<script src="$U/static/hls.min.js"></script>
<script>
var v = document.getElementById('v'), stalls = 0, errors = 0, start = null, from = 0;
function say(m) { console.log('RVTEST ' + m); }
v.addEventListener('stalled', function () { stalls++; say('stalled at ' + v.currentTime); });
v.addEventListener('error', function () { errors++; say('error ' + (v.error && v.error.message)); });
v.addEventListener('playing', function () { if (start === null) { start = Date.now(); from = v.currentTime; say('playing at ' + from); } });
var h = new Hls();
function buf() { var b = v.buffered, s = ''; for (var i = 0; i < b.length; i++) s += ' [' + b.start(i).toFixed(2) + ',' + b.end(i).toFixed(2) + ']'; return s; }
h.on(Hls.Events.ERROR, function (e, d) { say('hls ' + d.type + ' ' + d.details + ' fatal=' + d.fatal + ' at ' + v.currentTime.toFixed(2) + ' buffered' + buf()); if (d.fatal) errors++; });
h.on(Hls.Events.LEVEL_LOADED, function (e, d) { say('playlist ' + d.details.fragments.length + ' segments, last ends ' + d.details.edge.toFixed(2) + ' at ' + ((Date.now() - t0) / 1000).toFixed(2)); });
h.on(Hls.Events.FRAG_BUFFERED, function (e, d) { say('buffered segment ' + d.frag.sn + ' at ' + ((Date.now() - t0) / 1000).toFixed(2) + ' playing ' + v.currentTime.toFixed(2)); });
var t0 = Date.now();
h.loadSource('$U/channel/95.m3u8');
h.attachMedia(v);
v.play();
setTimeout(function () {
  var wall = start === null ? 0 : (Date.now() - start) / 1000;
  say('RESULT played=' + (v.currentTime - from).toFixed(1) + ' wall=' + wall.toFixed(1) +
      ' stalls=' + stalls + ' errors=' + errors + ' frames=' +
      v.getVideoPlaybackQuality().totalVideoFrames);
}, $play * 1000);
</script>
</body></html>
HTML
timeout $((play + 30)) "$browser" --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$T/chromium" \
    --autoplay-policy=no-user-gesture-required --enable-logging=stderr \
    --v=0 "file://$T/player.html" >"$T/chromium.log" 2>&1 &
chromium_pid=$!
k=0
until grep -q 'RVTEST RESULT' "$T/chromium.log" || [ $k -ge $(((play + 25) * 10)) ]; do
	k=$((k + 1)); sleep 0.1
done
kill "$chromium_pid" 2>/dev/null
wait "$chromium_pid" 2>/dev/null
grep -o 'RVTEST [^"]*' "$T/chromium.log" | sed 's/^/# /'
result=$(grep -o 'RVTEST RESULT [^"]*' "$T/chromium.log" | head -n 1)
check "the page played and reported" test -n "$result"
played=$(echo "$result" | sed -n 's/.*played=\([0-9.]*\).*/\1/p')
wall=$(echo "$result" | sed -n 's/.*wall=\([0-9.]*\).*/\1/p')
# The page asked at second $second of a minute for $play s; the channel
# joins 6 s back (rv-serve's lead), so the media crossed the minute's
# block change if second - 3 + played >= 60.
check_eq "currentTime advanced with the clock (within 3 s), past the block change" "1 1" \
    "$(awk -v p="${played:-0}" -v w="${wall:-0}" -v s="$second" 'BEGIN {
        print (p > 0 && w - p < 3 && p - w < 3) ? 1 : 0, (s - 6 + p >= 60) ? 1 : 0 }')"
check_eq "no stalled or error event" "stalls=0 errors=0" \
    "$(echo "$result" | grep -o 'stalls=[0-9]* errors=[0-9]*')"
check_eq "hls.js never ran dry" "0" "$(grep -c 'RVTEST hls.*bufferStalledError' "$T/chromium.log")"
check_eq "frames were decoded" "1" \
    "$(echo "$result" | awk -F'frames=' '{ print ($2 + 0 > 0) ? 1 : 0 }')"
kill "$serve"
wait "$serve" 2>/dev/null
done_testing
