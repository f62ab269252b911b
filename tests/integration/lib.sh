# shellcheck shell=sh
# Shared helpers for the integration tests (sourced, POSIX sh).
#
# Each test prints TAP: `ok N - what` or `not ok N - what`, and ends with
# `done_testing`, which exits 1 if anything failed.  Every test gets a fresh
# scratch folder in $T, removed at exit.

set -u
: "${RV_TOP:?run through tests/run.sh (RV_TOP not set)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/rvtest.XXXXXX")
# RV_KEEP=1 keeps the scratch folder, for looking into a failure.
[ -n "${RV_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
RV_RUN=$T/run
RV_DB=$T/retrovue.db
export RV_RUN RV_DB
_n=0
_failed=0

ok() {
	_n=$((_n + 1))
	echo "ok $_n - $*"
}

not_ok() {
	_n=$((_n + 1))
	_failed=$((_failed + 1))
	echo "not ok $_n - $*"
}

# check WHAT COMMAND...: ok when the command exits 0.
check() {
	_what=$1
	shift
	if "$@"; then ok "$_what"; else not_ok "$_what"; fi
}

# check_eq WHAT EXPECTED ACTUAL (status 1 when they differ, for `|| more`)
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
		return 1
	fi
}

# check_status WHAT EXPECTED_STATUS COMMAND...: the command's exit status.
check_status() {
	_what=$1
	_want=$2
	shift 2
	"$@" >"$T/.out" 2>"$T/.err"
	_got=$?
	check_eq "$_what (exit status)" "$_want" "$_got"
}

# check_grep WHAT PATTERN FILE: the file has a line matching PATTERN.
check_grep() {
	if grep -q -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   no line matching '$2' in $3:"
		sed 's/^/#   /' "$3" | head -n 10
	fi
}

# until_true TENTHS COMMAND...: poll COMMAND every 0.1 s, at most TENTHS
# times; status 1 if it never held.
until_true() {
	_t=$1
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# metric FILE SERIES: the value of one series ("name" or 'name{labels}')
# in a Prometheus text file; empty when it is not there.
metric() {
	awk -v s="$2" 'index($0, s " ") == 1 { print $2 }' "$1"
}

# metric_sum FILE NAME: the sum of every series of family NAME.
metric_sum() {
	awk -v n="$2" 'index($0, n "{") == 1 || index($0, n " ") == 1 { s += $2 }
	    END { print s + 0 }' "$1"
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

# plain_build_only WHY: the test ends here, skipped for WHY, when it runs
# the ASan build's programs (renders too long under the sanitizers).
plain_build_only() {
	case $(command -v rv-air) in
	*/asan/bin/rv-air)
		echo "# SKIP: $1"
		done_testing
		exit ;;
	esac
}

# episodes LIB N: N catalogued episodes of 50 s, "Show - S01E0k - Part k"
# (320x240, 25 frames/s, a tone of its own each), in LIB/Show/Season 01.
episodes() {
	mkdir -p "$1/Show/Season 01"
	_i=1
	while [ "$_i" -le "$2" ]; do
		ffmpeg -nostdin -loglevel error -f lavfi \
		    -i "testsrc2=size=320x240:rate=25:duration=50" -f lavfi \
		    -i "sine=frequency=$((300 + 100 * _i)):sample_rate=48000:duration=50" \
		    -c:v libx264 -preset ultrafast -g 25 -c:a aac \
		    "$1/Show/Season 01/Show - S01E0$_i - Part $_i.mp4" ||
		    not_ok "episode $_i"
		_i=$((_i + 1))
	done
	rv-catalog scan "$1" >/dev/null 2>&1 || not_ok "catalog $1"
}

# shellcheck source=tests/data/channel.sh
. "$RV_TOP/tests/data/channel.sh"

# show_channel DIR SLUG NUMBER NAME: a channel file DIR/SLUG.yaml, 320x240
# at 30000/1001 on a 1-minute grid, the episodes all day.
show_channel() {
	show_channel_file "$1/$2.yaml" "$2" "$3" "$4" 320x240 1 -
}

# serve_up "SERVE_KEYS": rv-serve on a free loopback port with
# $T/retrovue.yaml holding `serve:` with listen and the given keys
# (indented by two); sets U (its base URL) and serve (its pid), its
# stderr in $T/serve.err; waits (bounded) until it answers.
serve_up() {
	# Random, not seeded by the second: tests run beside each other.
	_port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
	printf 'serve:\n  listen: "127.0.0.1:%s"\n  %s\n' "$_port" "$1" \
	    >"$T/retrovue.yaml"
	U=http://127.0.0.1:$_port
	rv-serve -C "$T/retrovue.yaml" -v 2>"$T/serve.err" &
	# shellcheck disable=SC2034 # for the caller
	serve=$!
	_k=0
	until curl -s "$U/healthz" >/dev/null 2>&1 || [ $_k -ge 100 ]; do
		_k=$((_k + 1))
		sleep 0.1
	done
}
