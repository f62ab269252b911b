# shellcheck shell=sh
# shellcheck disable=SC2154 # top: set by the benchmark that sources this
# Sourced by the benchmarks: their build, the library they play and its channel.
#
# bench_library LIB GEN N: in LIB, N episodes "Show - S01Ekk - Part k" of
# 4:00, a 10 s 854x480 H.264 picture at BENCH_RATE (30000/1001 unless set;
# 60000/1001 for a library of high-rate sources) made in GEN, looped by stream
# copy, each with a tone of its own; and commercials of 299 and 598 frames
# (9.98 and 19.95 s) at 640x480 (4:3, pillarboxed) and 1280x720, so that
# each 20 s break of a 5-minute grid holds one or two of them (spots of
# a whole 10 or 20 s would not fit and leave the breaks to pad); then
# catalogued.  Short to make, real to decode.  Needs rv-catalog in PATH.
# ff: ffmpeg, quiet, overwriting.
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }

# bench_build WORK: every program built into build/bench and first in PATH,
# the database and the run folder in WORK.  Needs top (the source tree).
bench_build() {
	make -s -C "$top" B=build/bench all >/dev/null
	PATH="$top/build/bench/bin:$PATH" RV_DB="$1/retrovue.db" RV_RUN="$1/run"
	export PATH RV_DB RV_RUN
}

bench_library() {
	mkdir -p "$1/Show/Season 01" "$1/Commercials" "$2"
	ff -f lavfi -i "testsrc2=size=854x480:rate=${BENCH_RATE:-30000/1001}:duration=10" \
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

# The channel file: show_channel_file (tests/data/channel.sh).
# shellcheck source=tests/data/channel.sh
. "$top/tests/data/channel.sh"
