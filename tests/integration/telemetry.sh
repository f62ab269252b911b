#!/bin/sh
# Telemetry end to end (retrovue(7) METRICS): a channel on the air with a
# viewer; rv-serve's /metrics is clean for promtool and holds every
# program's file; a real Prometheus scrapes it on loopback and a query
# returns the viewer and the frames emitted; every metric the alert rules
# and the dashboards use is exported, and every exported metric is in the
# man pages; a missing interstitial library raises the unfilled break
# seconds.  Every wait is a bounded poll for a state.
# shellcheck source=tests/integration/lib.sh
. "$RV_TOP/tests/integration/lib.sh"

if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
	if [ -n "${CI:-}" ]; then
		not_ok "promtool and prometheus are installed (scripts/deps)"
	else
		echo "# SKIP: no prometheus: run scripts/deps"
	fi
	done_testing
	exit
fi

episodes "$T/lib" 2
mkdir -p "$T/lib/Commercials"
ffmpeg -nostdin -loglevel error -f lavfi -i "color=c=red:size=320x240:rate=25:duration=1" \
    -f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=1" -c:v libx264 \
    -preset ultrafast -c:a aac "$T/lib/Commercials/Red Spot.mp4"
rv-catalog scan "$T/lib" >/dev/null 2>&1 || not_ok "catalog"
mkdir "$T/ch"
show_channel "$T/ch" test-95 95 "Test 95"
printf 'traffic:\n  allowed_types: [commercial]\n  default_cooldown_seconds: 0\n' >>"$T/ch/test-95.yaml"
RV_CHANNELS=$T/ch rv-horizon extend >/dev/null 2>&1 || not_ok "extend"
# The one-shot programs' files: a compile, a reconcile.
rv-compile --check "$T/ch/test-95.yaml" >/dev/null 2>&1
rv-compile --no-state --json "$T/ch/test-95.yaml" >/dev/null 2>&1
rv-asrun reconcile test-95 >/dev/null 2>&1

# A missing interstitial library: the same channel on a catalogue without
# the commercials leaves its breaks unfilled.
with_ads=$(metric "$RV_RUN/metrics/rv-horizon-test-95.prom" 'rv_horizon_unfilled_break_seconds{channel="test-95"}')
mkdir "$T/noads"
cp -r "$T/lib/Show" "$T/noads/"
(
	RV_DB=$T/noads.db RV_RUN=$T/noads-run RV_CHANNELS=$T/ch
	export RV_DB RV_RUN RV_CHANNELS
	rv-catalog scan "$T/noads" >/dev/null 2>&1 && rv-horizon extend >/dev/null 2>&1
) || not_ok "extend without commercials"
without=$(metric "$T/noads-run/metrics/rv-horizon-test-95.prom" 'rv_horizon_unfilled_break_seconds{channel="test-95"}')
check "a missing interstitial library raises unfilled break seconds ($with_ads -> $without)" \
    awk -v a="$with_ads" -v b="$without" 'BEGIN { exit !(b > a && a >= 0 && b > 0) }'

serve_up "linger_seconds: 30"
serve=${serve:?}
port=${U##*:}
# A viewer: the playlist polled as a player does, until the test ends.
( while curl -s -o /dev/null "$U/channel/95.m3u8"; do sleep 1; done ) &
viewer=$!
frames() {
	curl -s "$U/metrics" >"$T/m.txt"
	[ "$(metric_sum "$T/m.txt" rv_air_frames_total)" -gt 30 ] &&
	    [ -n "$(metric "$T/m.txt" 'rv_hls_segments_total{channel="test-95"}')" ]
}
check "the channel plays and rv-air's frames show in /metrics" until_true 300 frames
curl -s "$U/metrics" >"$T/metrics"
check "promtool check metrics: /metrics is clean" \
    sh -c "promtool check metrics <'$T/metrics' >'$T/promtool.out' 2>&1"
sed 's/^/#   /' "$T/promtool.out" | head -n 20

# A real Prometheus scrapes rv-serve on loopback.
pport=$((port + 1))
cat >"$T/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: retrovue
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$T/prometheus.log" 2>&1 &
prom=$!
query() {
	curl -s "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" |
	    jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
scraped() {
	[ "$(query 'rv_viewers{channel="test-95"}')" = 1 ] &&
	    [ "$(query 'sum(rv_air_frames_total{channel="test-95"})' | cut -d. -f1)" -gt 0 ] 2>/dev/null
}
check "Prometheus scrapes rv-serve: a query returns the viewer and the frames" until_true 600 scraped
check_eq "the scrape is healthy" "up" \
    "$(curl -s "http://127.0.0.1:$pport/api/v1/targets" | jq -r '.data.activeTargets[0].health')"
kill "$prom" 2>/dev/null
wait "$prom" 2>/dev/null

# Every metric the rules and the dashboards name is exported.
families=$(sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$T/metrics" | sort -u)
used=$(cat "$RV_TOP"/contrib/prometheus/retrovue.rules.yml "$RV_TOP"/contrib/grafana/dashboards/*.json |
    grep -o 'rv_[a-z_]*' | sed 's/_\(bucket\|sum\|count\)$//' | sort -u)
missing=""
for m in $used; do
	echo "$families" | grep -qx "$m" || missing="$missing $m"
done
check_eq "every metric of the rules and dashboards is exported" "" "$missing"
undocumented=""
for m in $families; do
	grep -q "$m" "$RV_TOP"/man/*.[1-8] || undocumented="$undocumented $m"
done
check_eq "every exported metric is in the man pages" "" "$undocumented"
check "and every program's file is there" test "$(echo "$families" | grep -c \
    -e '^rv_air_' -e '^rv_blockfeed_' -e '^rv_hls_' -e '^rv_asrun_' -e '^rv_horizon_' \
    -e '^rv_compile_' -e '^rv_channel_restarts' -e '^rv_http_')" -ge 30

kill "$viewer" 2>/dev/null
kill -TERM "$serve"
wait "$serve"
check_eq "rv-serve stops cleanly" 0 "$?"
done_testing
