# shellcheck shell=sh
# Sourced by the benchmarks: the library they play.
#
# bench_library LIB GEN N: in LIB, N episodes "Show - S01Ekk - Part k" of
# 4:00, a 10 s 854x480 29.97 H.264 picture (made in GEN) looped by stream
# copy, each with a tone of its own; and commercials of 299 and 598 frames
# (9.98 and 19.95 s) at 640x480 (4:3, pillarboxed) and 1280x720, so that
# each 20 s break of a 5-minute grid holds one or two of them (spots of
# a whole 10 or 20 s would not fit and leave the breaks to pad); then
# catalogued.  Short to make, real to decode.  Needs ff (ffmpeg with the
# benchmark's options) and rv-catalog in PATH.
bench_library() {
	mkdir -p "$1/Show/Season 01" "$1/Commercials" "$2"
	ff -f lavfi -i "testsrc2=size=854x480:rate=30000/1001:duration=10" \
	    -c:v libx264 -preset veryfast -b:v 2000k -g 60 -pix_fmt yuv420p "$2/base.mp4"
	_i=1
	while [ "$_i" -le "$3" ]; do
		ff -stream_loop 30 -i "$2/base.mp4" -f lavfi \
		    -i "sine=frequency=$((300 + 50 * _i)):sample_rate=48000:duration=240" \
		    -map 0:v -map 1:a -c:v copy -c:a aac -b:a 128k -t 240 \
		    "$1/Show/Season 01/Show - S01E$(printf %02d "$_i") - Part $_i.mp4"
		_i=$((_i + 1))
	done
	ff -f lavfi -i "testsrc=size=640x480:rate=30000/1001:duration=9.97" \
	    -f lavfi -i "sine=frequency=1000:sample_rate=44100:duration=9.97" \
	    -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -c:a aac "$1/Commercials/Spot A.mp4"
	ff -f lavfi -i "smptebars=size=1280x720:rate=30000/1001:duration=19.95" \
	    -f lavfi -i "sine=frequency=800:sample_rate=48000:duration=19.95" \
	    -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -c:a aac "$1/Commercials/Spot B.mp4"
	ff -f lavfi -i "testsrc2=size=1280x720:rate=30000/1001:duration=9.97" \
	    -f lavfi -i "sine=frequency=600:sample_rate=48000:duration=9.97" \
	    -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -c:a aac "$1/Commercials/Spot C.mp4"
	rv-catalog scan "$1" >/dev/null 2>&1
}

# bench_channel FILE SLUG NUMBER W H [PRESET]: a channel file playing the
# episodes all day at WxH 30000/1001 on a 5-minute grid, the breaks
# filled with the commercials; the encoder preset PRESET if given.
bench_channel() {
	cat >"$1" <<YAML
channel: $2
channel_number: $3
name: "$2"
timezone: UTC
format:
  video: { width: $4, height: $5, frame_rate: "30000/1001"${6:+, preset: $6} }
  audio: { sample_rate: 48000, channels: 2 }
  grid_minutes: 5
pools:
  show:
    match: { type: episode, series_title: Show }
schedule:
  all_day:
    - block: { start: "06:00", duration: 24h, title: Show, pool: show }
traffic:
  allowed_types: [commercial]
  default_cooldown_seconds: 0
YAML
}
