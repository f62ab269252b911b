# shellcheck shell=sh
# Sourced by the integration tests (tests/integration/lib.sh) and the
# benchmarks (bench/media.sh): the one channel file they play.
#
# show_channel_file FILE SLUG NUMBER NAME WxH GRID TRAFFIC [PRESET]: a
# channel file FILE playing the episodes of "Show" all day at WxH
# 30000/1001 on a grid of GRID minutes; the breaks filled with
# commercials when TRAFFIC is "commercials" (else "-"); the encoder preset
# PRESET if given.
show_channel_file() {
	{
		cat <<YAML
channel: $2
channel_number: $3
name: "$4"
timezone: UTC
format:
  video: { width: ${5%x*}, height: ${5#*x}, frame_rate: "30000/1001"${8:+, preset: $8} }
  audio: { sample_rate: 48000, channels: 2 }
  grid_minutes: $6
pools:
  show:
    match: { type: episode, series_title: Show }
schedule:
  all_day:
    - block: { start: "06:00", duration: 24h, title: Show, pool: show }
YAML
		[ "$7" != commercials ] || cat <<YAML
traffic:
  allowed_types: [commercial]
  default_cooldown_seconds: 0
YAML
	} >"$1"
}
