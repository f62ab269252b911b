#!/bin/sh
# rv-channel -- run one channel: rv-blockfeed | rv-air | rv-hlsseg, with
# rv-asrun ingest on rv-air's evidence pipe; restart it with join in
# progress when a stage dies; start, stop, status, render (rv-channel(1)).
#
# A supervisor only starts, signals, waits and reports: the programs do
# the work and say what went wrong on their standard error, which goes to
# the channel's log with a timestamp.
set -u

VERSION="@VERSION@"
PROG=rv-channel
USAGE="usage: rv-channel [-C FILE] run CHANNEL [--fresh] [--lead MS]
       rv-channel [-C FILE] start CHANNEL
       rv-channel [-C FILE] stop CHANNEL
       rv-channel [-C FILE] status [CHANNEL...] [--json]
       rv-channel [-C FILE] render CHANNEL --from T --to T -o FILE.ts"
BACKOFF="1 2 4 8 16"	# seconds before each restart; then give up
GRACE=5			# seconds from SIGTERM to SIGKILL

warn() { printf '%s: %s\n' "$PROG" "$*" >&2; }
usage() { [ $# -gt 0 ] && warn "$*"; printf '%s\n' "$USAGE" >&2; exit 2; }

conf=""
while [ $# -gt 0 ]; do
	case $1 in
	-C) [ $# -ge 2 ] || usage "-C needs a file"; conf=$2; shift 2 ;;
	-h|--help) printf '%s\n' "$USAGE"; exit 0 ;;
	--version) printf '%s %s (RetroVue/C)\n' "$PROG" "$VERSION"; exit 0 ;;
	-*) usage "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage "name a command"
cmd=$1
shift

# The programs beside this script first, then $PATH.
here=$(cd "$(dirname "$0")" && pwd)
case ":$PATH:" in *":$here:"*) ;; *) PATH="$here:$PATH" ;; esac
export PATH

# cflag: -C FILE for the programs, when one was given.
cflag() { if [ -n "$conf" ]; then printf '%s\n' "-C" "$conf"; fi; }

run_dir=$(rv-serve ${conf:+-C "$conf"} --print-config 2>/dev/null |
    sed -n 's/^run_dir: "\(.*\)"$/\1/p')
[ -n "$run_dir" ] || { warn "cannot read the configuration (rv-serve --print-config)"; exit 1; }

valid_channel() {
	case $1 in
	''|[.-]*|*[!a-z0-9_.:-]*)
		warn "$1: not a channel id (a-z 0-9 _ . : -, not starting with . or -)"
		exit 2 ;;
	esac
	if [ ${#1} -gt 64 ] || [ "$1" = metrics ]; then
		warn "$1: not a channel id (longer than 64, or metrics)"
		exit 2
	fi
}

# stamp: standard error lines with the time (UTC) in front.
stamp() {
	while IFS= read -r line; do
		printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line"
	done
}

# alive PIDFILE: the process of the pid file still runs.
alive() {
	[ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Each stage writes its pid file, then becomes the program.
stage() {
	pidfile=$1
	shift
	sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
}

stages="rv-blockfeed rv-air rv-hlsseg rv-asrun"

# wait_gone SECONDS STAGE...: until those stages have exited, at most
# SECONDS.
wait_gone() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		left=0
		for s in "$@"; do alive "$dir/$s.pid" && left=1; done
		[ $left -eq 0 ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
}

# The pipeline's head first, so that rv-air ends its session (evidence
# to a still reading rv-asrun, end of stream to rv-hlsseg); then the
# rest; SIGKILL for what is left after the grace.
stop_stages() {
	for s in rv-blockfeed rv-air; do
		[ -s "$dir/$s.pid" ] && kill -TERM "$(cat "$dir/$s.pid")" 2>/dev/null
	done
	# rv-hlsseg ends at rv-air's end of stream, its last segment whole.
	wait_gone $((GRACE - 2)) rv-blockfeed rv-air rv-hlsseg
	for s in rv-hlsseg rv-asrun; do
		[ -s "$dir/$s.pid" ] && kill -TERM "$(cat "$dir/$s.pid")" 2>/dev/null
	done
	wait_gone 1 $stages
	for s in $stages; do
		alive "$dir/$s.pid" && kill -KILL "$(cat "$dir/$s.pid")" 2>/dev/null
		rm -f "$dir/$s.pid"
	done
	# Only the stages' jobs: the log's reader lives on.
	wait ${jobs_started:-} 2>/dev/null
	jobs_started=""
}

cleanup() {
	stop_stages
	exec 9>&-
	rm -f "$dir/evidence.fifo" "$dir/log.fifo" "$dir/run.pid"
}

# The instant (epoch ms) where the published playlist ends: its last
# segment's PROGRAM-DATE-TIME plus its EXTINF; empty if none.
published_end() {
	[ -f "$dir/hls/index.m3u8" ] || return 0
	# shellcheck disable=SC2046 # two words, wanted apart
	set -- $(awk '/^#EXT-X-PROGRAM-DATE-TIME:/ { p = substr($0, 26) }
	    /^#EXTINF:/ { d = substr($0, 9) + 0 }
	    END { if (p != "") print p, int(d * 1000 + 0.5) }' "$dir/hls/index.m3u8")
	[ $# -eq 2 ] || return 0
	t=$(date -u -d "$1" +%s%3N 2>/dev/null) || return 0
	echo $((t + $2))
}

# rv-asrun on the evidence pipe, in the background ($! is its job).  It
# first takes up rv-air's journal: what an ingest that died never
# committed is recorded then, once; so rv-asrun alone is restarted when
# it dies, and the channel stays on the air.
start_asrun() {
	mkdir -p "$dir/journal"
	# shellcheck disable=SC2046
	# In a subshell, like the pipeline, so that a stage that exits is
	# reaped at once and `alive` does not see a zombie.
	{ stage "$dir/rv-asrun.pid" rv-asrun $(cflag) ingest --from "$dir/evidence.fifo" \
	    --journal "$dir/journal" >/dev/null 2>&9; } &
}

# One start of the pipeline.  $1: --fresh or "".  A restart joins where
# the published stream ends when that is ahead of the clock (the lead
# had rendered it): the channel goes on without repeating a second, and
# the lead shrinks by as much, so that the output stays lead_ms ahead.
start_stages() {
	fresh=$1
	join="" air_lead=$lead
	if [ -z "$fresh" ] && end=$(published_end) && [ -n "$end" ]; then
		wall=$(date +%s%3N)
		if [ "$end" -gt "$wall" ]; then
			join=$end
			air_lead=$((lead - (end - wall)))
			[ "$air_lead" -ge 0 ] || air_lead=0
		fi
	fi
	rm -f "$dir/hls/index.m3u8.tmp"
	# shellcheck disable=SC2046
	# In a subshell, like the pipeline, so that a stage that exits is
	# reaped at once and `alive` does not see a zombie.
	start_asrun
	jobs_started=$!
	# shellcheck disable=SC2046
	{ stage "$dir/rv-blockfeed.pid" rv-blockfeed $(cflag) ${join:+--now "$join"} "$ch" 2>&9 |
	    stage "$dir/rv-air.pid" rv-air $(cflag) --clock wall --lead "$air_lead" \
		--evidence "$dir/evidence.fifo" --journal "$dir/journal" 2>&9 |
	    stage "$dir/rv-hlsseg.pid" rv-hlsseg $(cflag) --dir "$dir/hls" $fresh >/dev/null 2>&9; } &
	jobs_started="$jobs_started $!"
	# Wait (bounded) for the pid files.
	i=0
	while [ $i -lt 50 ]; do
		n=0
		for s in $stages; do [ -s "$dir/$s.pid" ] && n=$((n + 1)); done
		[ $n -eq 4 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# The supervisor's metrics file (retrovue(7) METRICS): restarts of the
# channel's pipeline after a stage died, carried across supervisor runs.
restarts=""
write_metrics() {
	m=$run_dir/metrics/rv-channel-$ch.prom
	mkdir -p "$run_dir/metrics" 2>/dev/null || return 0
	if [ -z "$restarts" ]; then
		restarts=$(awk -v s="rv_channel_restarts_total{channel=\"$ch\"}" \
		    'index($0, s " ") == 1 { print $2 }' "$m" 2>/dev/null)
		# A number, or 0: the file is data, never code for $(( )).
		case $restarts in
		''|*[!0-9]*) restarts=0 ;;
		esac
	fi
	{
		echo "# HELP rv_channel_restarts_total Restarts of the channel's pipeline after a stage died."
		echo "# TYPE rv_channel_restarts_total counter"
		echo "rv_channel_restarts_total{channel=\"$ch\"} $restarts"
		echo "# HELP rv_metrics_updated_timestamp_seconds When a program last wrote its metrics file."
		echo "# TYPE rv_metrics_updated_timestamp_seconds gauge"
		echo "rv_metrics_updated_timestamp_seconds{program=\"rv-channel\",channel=\"$ch\"} $(date +%s)"
	} >"$m.tmp" 2>/dev/null && mv "$m.tmp" "$m"
}

cmd_run() {
	[ $# -ge 1 ] || usage "run: name a channel"
	ch=$1
	shift
	valid_channel "$ch"
	# A lead renders the first seconds at once, on a start and on every
	# restart, and keeps the output that far ahead of the clock: a
	# player finds a buffer, a restart is back quickly, and the viewer,
	# a few segments behind the playlist's edge, sees the schedule on
	# time.  The join is always now.
	fresh="" lead=3000
	while [ $# -gt 0 ]; do
		case $1 in
		--fresh) fresh=--fresh; shift ;;
		--lead)
			[ $# -ge 2 ] || usage "--lead needs ms"
			case $2 in
			''|*[!0-9]*) usage "--lead takes milliseconds, 0 to 10000 ($2)" ;;
			esac
			[ "$2" -le 10000 ] || usage "--lead takes 0 to 10000 ms ($2)"
			lead=$2
			shift 2 ;;
		*) usage "run: unexpected $1" ;;
		esac
	done
	dir=$run_dir/$ch
	mkdir -p "$dir/hls" || exit 1
	if alive "$dir/run.pid"; then
		warn "$ch is already running (pid $(cat "$dir/run.pid"))"
		exit 1
	fi
	echo $$ >"$dir/run.pid"
	rm -f "$dir/evidence.fifo" "$dir/log.fifo"
	mkfifo "$dir/evidence.fifo" "$dir/log.fifo" || exit 1
	stamp <"$dir/log.fifo" >>"$dir/channel.log" &
	exec 9>"$dir/log.fifo"
	trap 'printf "%s: %s stopping\n" "$PROG" "$ch" >&9; cleanup; exit 0' TERM INT HUP
	printf '%s: %s starting\n' "$PROG" "$ch" >&9
	write_metrics
	# shellcheck disable=SC2086
	set -- $BACKOFF
	while :; do
		started=$(date +%s)
		[ -z "$fresh" ] || rm -f "$dir/hls/index.m3u8"
		start_stages "$fresh"
		fresh=""
		ok=0
		# Watch: every stage alive; the first playlist written since
		# the start counts the start as good and resets the back-off.
		while :; do
			for s in $stages; do
				alive "$dir/$s.pid" && continue
				if [ "$s" = rv-asrun ]; then
					printf '%s: %s: rv-asrun exited; restarting it\n' \
					    "$PROG" "$ch" >&9
					restarts=$((restarts + 1))
					write_metrics
					# At most one a second, should it keep
					# failing (rv-air keeps its evidence).
					sleep 1 &
					wait $!
					rm -f "$dir/rv-asrun.pid"
					start_asrun
					jobs_started="$jobs_started $!"
					# Its pid file, before the next look.
					i=0
					while [ $i -lt 50 ] && [ ! -s "$dir/rv-asrun.pid" ]; do
						sleep 0.1
						i=$((i + 1))
					done
					continue
				fi
				printf '%s: %s: %s exited; restarting the channel\n' \
				    "$PROG" "$ch" "$s" >&9
				break 2
			done
			if [ $ok -eq 0 ] && [ -f "$dir/hls/index.m3u8" ] &&
			    [ "$(date -r "$dir/hls/index.m3u8" +%s)" -ge "$started" ]; then
				ok=1
				# shellcheck disable=SC2086
				set -- $BACKOFF
			fi
			sleep 0.2
		done
		stop_stages
		if [ $# -eq 0 ]; then
			printf '%s: %s: gave up after %s restarts\n' "$PROG" "$ch" \
			    "$(echo "$BACKOFF" | wc -w)" >&9
			warn "$ch: gave up: the channel kept failing (see $dir/channel.log)"
			trap - TERM INT HUP
			cleanup
			exit 1
		fi
		printf '%s: %s: restarting in %s s\n' "$PROG" "$ch" "$1" >&9
		restarts=$((restarts + 1))
		write_metrics
		# In the background, so that a signal is handled at once.
		sleep "$1" &
		wait $!
		shift
	done
}

cmd_start() {
	[ $# -eq 1 ] || usage "start: name one channel"
	ch=$1
	valid_channel "$ch"
	dir=$run_dir/$ch
	if alive "$dir/run.pid"; then
		warn "$ch is already running (pid $(cat "$dir/run.pid"))"
		exit 0
	fi
	mkdir -p "$dir" || exit 1
	# shellcheck disable=SC2046
	nohup "$0" $(cflag) run "$ch" >/dev/null 2>>"$dir/channel.log" &
	i=0
	while [ $i -lt 50 ] && ! alive "$dir/run.pid"; do sleep 0.1; i=$((i + 1)); done
	alive "$dir/run.pid" || { warn "$ch did not start (see $dir/channel.log)"; exit 1; }
	printf '%s started (pid %s)\n' "$ch" "$(cat "$dir/run.pid")"
}

cmd_stop() {
	[ $# -eq 1 ] || usage "stop: name one channel"
	ch=$1
	valid_channel "$ch"
	dir=$run_dir/$ch
	if ! alive "$dir/run.pid"; then
		warn "$ch is not running"
		exit 0
	fi
	pid=$(cat "$dir/run.pid")
	kill -TERM "$pid"
	i=0
	while [ $i -lt $(((GRACE + 2) * 10)) ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		warn "$ch: the supervisor did not stop; killing it and its stages"
		kill -KILL "$pid"
		for s in $stages; do
			alive "$dir/$s.pid" && kill -KILL "$(cat "$dir/$s.pid")"
			rm -f "$dir/$s.pid"
		done
		rm -f "$dir/run.pid" "$dir/evidence.fifo" "$dir/log.fifo"
		exit 1
	fi
	printf '%s stopped\n' "$ch"
}

cmd_status() {
	json=0
	chans=""
	for a in "$@"; do
		case $a in
		--json) json=1 ;;
		-*) usage "status: unknown option $a" ;;
		*) valid_channel "$a"; chans="$chans $a" ;;
		esac
	done
	if [ -z "$chans" ]; then
		for d in "$run_dir"/*/; do
			[ -d "$d" ] || continue
			d=${d%/}
			[ "${d##*/}" = metrics ] || chans="$chans ${d##*/}"
		done
	fi
	now=$(date +%s)
	[ $json -eq 1 ] && printf '['
	first=1
	for ch in $chans; do
		dir=$run_dir/$ch
		state=stopped pid=0 up=0 segs=0 age=-1
		if alive "$dir/run.pid"; then
			state=running
			pid=$(cat "$dir/run.pid")
			up=$((now - $(date -r "$dir/run.pid" +%s)))
		fi
		if [ -f "$dir/hls/index.m3u8" ]; then
			segs=$(grep -c '^[0-9]' "$dir/hls/index.m3u8")
			age=$((now - $(date -r "$dir/hls/index.m3u8" +%s)))
		fi
		if [ $json -eq 1 ]; then
			[ $first -eq 1 ] || printf ','
			printf '{"channel":"%s","state":"%s","pid":%s,"uptime_s":%s,"segments":%s,"playlist_age_s":%s}' \
			    "$ch" "$state" "$pid" "$up" "$segs" "$age"
		else
			[ $first -eq 0 ] || printf '%-24s %-8s %8s %9s %8s %s\n' \
			    CHANNEL STATE PID UPTIME_S SEGMENTS PLAYLIST_AGE_S
			printf '%-24s %-8s %8s %9s %8s %s\n' "$ch" "$state" "$pid" \
			    "$up" "$segs" "$age"
		fi
		first=0
	done
	[ $json -eq 1 ] && printf ']\n'
	return 0
}

cmd_render() {
	[ $# -ge 1 ] || usage "render: name a channel"
	ch=$1
	shift
	valid_channel "$ch"
	from="" to="" out=""
	while [ $# -gt 0 ]; do
		case $1 in
		--from) [ $# -ge 2 ] || usage "--from needs a time"; from=$2; shift 2 ;;
		--to) [ $# -ge 2 ] || usage "--to needs a time"; to=$2; shift 2 ;;
		-o) [ $# -ge 2 ] || usage "-o needs a file"; out=$2; shift 2 ;;
		*) usage "render: unexpected $1" ;;
		esac
	done
	[ -n "$from" ] && [ -n "$to" ] && [ -n "$out" ] ||
	    usage "render needs --from, --to and -o"
	dir=$run_dir/$ch
	mkdir -p "$dir" || exit 1
	work=$(mktemp -d "$dir/render.XXXXXX") || exit 1
	trap 'exit 1' TERM INT HUP
	trap 'rm -rf "$work" "$out.tmp"' EXIT
	# Every stage's failure counts, not only the last one's.  The
	# render's metrics files stay in its work folder: the channel on
	# the air keeps its own.
	# shellcheck disable=SC2046
	( RV_RUN=$work/run
	export RV_RUN
	{ rv-blockfeed $(cflag) --clock fast --now "$from" --until "$to" "$ch" ||
	    : >"$work/failed"; } |
	    { rv-air $(cflag) --clock fast --evidence "$work/evidence" ||
	    : >"$work/failed"; } |
	    rv-frame ts >"$out.tmp" || : >"$work/failed" )
	if [ -e "$work/failed" ] || [ ! -s "$out.tmp" ]; then
		warn "$ch: the render failed"
		exit 1
	fi
	# The as-run of the render, from its evidence file.
	# shellcheck disable=SC2046
	RV_RUN=$work/run rv-asrun $(cflag) ingest --from "$work/evidence" || exit 1
	mv "$out.tmp" "$out"
}

case $cmd in
run) cmd_run "$@" ;;
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
render) cmd_render "$@" ;;
*) usage "unknown command $cmd" ;;
esac
