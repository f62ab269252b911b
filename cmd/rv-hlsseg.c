/*
 * rv-hlsseg — cut rv-air's MPEG-TS into HLS segments and keep a live
 * playlist in a folder (rv-hlsseg(1)).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "frame.h"
#include "hls.h"
#include "json.h"
#include "metrics.h"

static const char usage[] =
    "usage: rv-hlsseg [-C FILE] --dir DIR [--target S] [--first MS]\n"
    "                 [--window N] [--grace S] [--fresh]\n"
    "  reads H, M, T and Z frames on stdin and keeps DIR/index.m3u8 and\n"
    "  its segments.\n";

static void
say(void *arg, const char *msg)
{
	(void)arg;
	rv_warnx("%s", msg);
}

static int
number(const char *s, long lo, long hi, const char *what, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return rv_cli_usage_error(usage, "%s: %s: want %ld to %ld",
		    what, s, lo, hi);
	*out = (int)v;
	return 0;
}

/* The metrics file, named after the channel the H frame gives. */
static struct rv_metrics mx;
static const char *run_dir;
static char chan[128];

static void
emit_hls(FILE *fp, void *arg)
{
	struct rv_hls_stats st;

	rv_hls_stats(arg, &st);
	rv_prom_one(fp, "rv_hls_segments_total", "counter", chan,
	    (double)st.segments, "Segments written.");
	rv_prom_one(fp, "rv_hls_bytes_total", "counter", chan,
	    (double)st.bytes, "TS bytes taken in.");
	rv_prom_one(fp, "rv_hls_resyncs_total", "counter", chan,
	    (double)st.resyncs, "Times TS sync was lost and found again.");
	rv_prom_one(fp, "rv_hls_forced_cuts_total", "counter", chan,
	    (double)st.forced_cuts, "Segments cut at a non-keyframe.");
	rv_prom_one(fp, "rv_hls_dropped_segments_total", "counter", chan,
	    (double)st.dropped, "Segments that could not be written.");
	rv_prom_one(fp, "rv_hls_playlist_write_timestamp_seconds", "gauge",
	    chan, (double)st.playlist_ms / 1000, "When the playlist was last "
	    "written.");
}

/* Every 5 s, and at once when a segment is done: a viewer's first
 * segments show in the metrics as they come. */
static void
metrics(struct rv_hls *h, int force)
{
	static int64_t last = -1;
	struct rv_hls_stats st;
	struct rv_err err;

	rv_hls_stats(h, &st);
	rv_metrics_tick(&mx, force || st.segments != last, emit_hls, h, &err);
	last = st.segments;
}

/* One frame of input.  -1 when the folder failed. */
static int
frame(struct rv_hls *h, const struct rv_frame *f, int64_t index)
{
	struct rv_err err;
	const char *s;
	int64_t pts, utc;
	json_t *j;

	switch (f->type) {
	case 'T':
		return rv_hls_feed(h, f->payload, f->len, &err) < 0 ?
		    (rv_warnx("%s", err.msg), -1) : 0;
	case 'H':
	case 'M':
		break;
	default:
		return 0;	/* types we do not know */
	}
	if ((j = rv_frame_json(f, &err)) == NULL) {
		rv_warnx("stdin: frame %lld: %s (skipped)", (long long)index,
		    err.msg);
		return 0;
	}
	if (f->type == 'H') {
		if (rv_json_opt_str(j, "session", &s, &err) < 0)
			rv_warnx("stdin: frame %lld: %s", (long long)index,
			    err.msg);
		else if (s != NULL && rv_hls_session(h, s, &err) < 0) {
			rv_warnx("%s", err.msg);
			json_decref(j);
			return -1;
		}
		if (chan[0] == 0 && rv_json_opt_str(j, "channel", &s, &err) ==
		    0 && s != NULL) {
			snprintf(chan, sizeof(chan), "%s", s);
			if (rv_metrics_init(&mx, run_dir, "rv-hlsseg", chan,
			    &err) < 0)
				rv_warnx("metrics: %s", err.msg);
		}
	} else if (rv_json_int(j, "pts", &pts, &err) < 0 ||
	    rv_json_int(j, "utc_ms", &utc, &err) < 0)
		rv_warnx("stdin: frame %lld: marker: %s (skipped)",
		    (long long)index, err.msg);
	else
		rv_hls_marker(h, pts, utc);
	json_decref(j);
	return 0;
}

int
main(int argc, char *argv[])
{
	enum { O_DIR = 256, O_TARGET, O_FIRST, O_WINDOW, O_GRACE, O_FRESH };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "dir", required_argument, NULL, O_DIR },
		{ "target", required_argument, NULL, O_TARGET },
		{ "first", required_argument, NULL, O_FIRST },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "grace", required_argument, NULL, O_GRACE },
		{ "fresh", no_argument, NULL, O_FRESH },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL;
	int target = -1, first = -1, window = -1, grace = -1;
	struct rv_hls_config hc = { 0 };
	struct rv_frame_reader *r;
	struct rv_frame f = { 0 };
	struct rv_hls_stats st;
	struct rv_config cfg;
	struct rv_hls *h;
	struct rv_err err;
	int ch, rc, ended = 0, failed = 0;

	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			config = optarg;
			break;
		case O_DIR:
			hc.dir = optarg;
			break;
		case O_TARGET:
			if (number(optarg, 1, 10, "--target", &target) < 0)
				return RV_EXIT_USAGE;
			break;
		case O_FIRST:
			if (number(optarg, 100, 10000, "--first", &first) < 0)
				return RV_EXIT_USAGE;
			break;
		case O_WINDOW:
			if (number(optarg, 3, RV_HLS_WINDOW_MAX, "--window",
			    &window) < 0)
				return RV_EXIT_USAGE;
			break;
		case O_GRACE:
			if (number(optarg, 0, 3600, "--grace", &grace) < 0)
				return RV_EXIT_USAGE;
			break;
		case O_FRESH:
			hc.fresh = 1;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (argc != optind)
		return rv_cli_usage_error(usage, "unexpected argument: %s",
		    argv[optind]);
	if (hc.dir == NULL)
		return rv_cli_usage_error(usage, "--dir is required");
	if (rv_cli_config(config, &cfg) < 0)
		return RV_EXIT_FAIL;
	hc.target_ms = 1000 * (target > 0 ? target : cfg.hls.target_seconds);
	hc.first_ms = first > 0 ? first : 1000;
	if (hc.first_ms > hc.target_ms)
		hc.first_ms = hc.target_ms;
	hc.window = window > 0 ? window : cfg.hls.window;
	hc.grace_ms = 1000 * (grace >= 0 ? grace : cfg.hls.grace_seconds);
	hc.report = say;
	run_dir = cfg.run_dir;
	if (rv_hls_open(&h, &hc, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	if ((r = malloc(sizeof(*r))) == NULL) {
		rv_warnx("out of memory");
		rv_hls_free(h);
		return RV_EXIT_FAIL;
	}
	rv_frame_reader_init(r, STDIN_FILENO, "stdin");
	while (!rv_stop_signal && (rc = rv_frame_read(r, &f, &err)) == 1) {
		if (f.type == 'Z') {
			ended = 1;
			break;
		}
		if (frame(h, &f, r->frames) < 0) {
			failed = 1;
			break;
		}
		metrics(h, 0);
	}
	if (!ended && !failed && !rv_stop_signal) {
		if (rc < 0)
			rv_warnx("%s", err.msg);
		else
			rv_warnx("stdin: the input ended without an end of "
			    "stream (Z) frame");
		failed = 1;
	}
	if (rv_hls_finish(h, &err) < 0) {
		rv_warnx("%s", err.msg);
		failed = 1;
	}
	metrics(h, 1);
	rv_hls_stats(h, &st);
	rv_info("%lld segments written, next %08lld, %lld resyncs, %lld "
	    "forced cuts, %lld dropped", (long long)st.segments,
	    (long long)st.next, (long long)st.resyncs,
	    (long long)st.forced_cuts, (long long)st.dropped);
	rv_frame_free(&f);
	free(r);
	rv_hls_free(h);
	return failed ? RV_EXIT_FAIL : RV_EXIT_OK;
}
