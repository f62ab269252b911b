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

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
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

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
