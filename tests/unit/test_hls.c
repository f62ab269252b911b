/* Unit tests for lib/hls: the live segmenter on synthetic MPEG-TS. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hls.h"

#define TS	188
#define PMT_PID	0x1000
#define VID_PID	0x100
#define AUD_PID	0x101
#define FRAME	3003		/* 30000/1001 in 90 kHz ticks */

struct fx {
	char		 dir[64];
	struct rv_hls	*h;
	int		 reports;
	char		 last[512];
};

static void
note(void *arg, const char *msg)
{
	struct fx *f = arg;

	f->reports++;
	snprintf(f->last, sizeof(f->last), "%s", msg);
}

static void
open_fx(struct fx *f, int target_ms, int window, int grace_ms)
{
	struct rv_hls_config c = { f->dir, target_ms, 1000, window, grace_ms, 0,
	    note, f };
	struct rv_err err;

	assert_int_equal(rv_hls_open(&f->h, &c, &err), 0);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_hls.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	rv_hls_free(f->h);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
pat(uint8_t *p)
{
	memset(p, 0xff, TS);
	p[0] = 0x47; p[1] = 0x40; p[2] = 0x00; p[3] = 0x10;
	p[4] = 0;			/* pointer field */
	p[5] = 0x00;			/* table id */
	p[6] = 0xb0; p[7] = 13;		/* section length */
	p[8] = 0; p[9] = 1; p[10] = 0xc1; p[11] = 0; p[12] = 0;
	p[13] = 0; p[14] = 1;		/* program 1 */
	p[15] = 0xe0 | (PMT_PID >> 8); p[16] = PMT_PID & 0xff;
}

static void
pmt(uint8_t *p)
{
	memset(p, 0xff, TS);
	p[0] = 0x47; p[1] = 0x40 | (PMT_PID >> 8); p[2] = PMT_PID & 0xff;
	p[3] = 0x10; p[4] = 0; p[5] = 0x02;
}

/* The first packet of a video frame at pts; key sets the random access
 * indicator (rai) or puts an IDR NAL in it (!rai). */
static void
video(uint8_t *p, int64_t pts, int key, int rai)
{
	int o;

	memset(p, 0xff, TS);
	p[0] = 0x47; p[1] = 0x40 | (VID_PID >> 8); p[2] = VID_PID & 0xff;
	p[3] = 0x30;			/* adaptation + payload */
	p[4] = 1;
	p[5] = key && rai ? 0x40 : 0x00;
	o = 6;
	p[o] = 0; p[o + 1] = 0; p[o + 2] = 1; p[o + 3] = 0xe0;
	p[o + 4] = 0; p[o + 5] = 0;
	p[o + 6] = 0x80; p[o + 7] = 0x80; p[o + 8] = 5;
	p[o + 9] = (uint8_t)(0x21 | ((pts >> 29) & 0x0e));
	p[o + 10] = (uint8_t)(pts >> 22);
	p[o + 11] = (uint8_t)(0x01 | ((pts >> 14) & 0xfe));
	p[o + 12] = (uint8_t)(pts >> 7);
	p[o + 13] = (uint8_t)(0x01 | ((pts << 1) & 0xfe));
	o += 14;
	p[o] = 0; p[o + 1] = 0; p[o + 2] = 0; p[o + 3] = 1;
	p[o + 4] = 0x09;		/* AUD */
	p[o + 5] = 0xf0;
	p[o + 6] = 0; p[o + 7] = 0; p[o + 8] = 1;
	p[o + 9] = key && !rai ? 0x65 : 0x41;	/* IDR or non-IDR slice */
}

static void
audio(uint8_t *p)
{
	memset(p, 0xff, TS);
	p[0] = 0x47; p[1] = AUD_PID >> 8; p[2] = AUD_PID & 0xff; p[3] = 0x10;
}

static void
feed(struct fx *f, const uint8_t *p, size_t n)
{
	struct rv_err err;

	assert_int_equal(rv_hls_feed(f->h, p, n, &err), 0);
}

/* Frames from..to-1 at pts base + n*FRAME, a keyframe every gop (and
 * PAT/PMT before each), an audio packet after each. */
static void
frames(struct fx *f, int from, int to, int gop, int64_t base)
{
	uint8_t p[TS];
	int n;

	for (n = from; n < to; n++) {
		int key = gop > 0 && n % gop == 0;

		if (key) {
			pat(p);
			feed(f, p, TS);
			pmt(p);
			feed(f, p, TS);
		}
		video(p, (base + (int64_t)n * FRAME) & ((INT64_C(1) << 33) - 1),
		    key, n % 2);
		feed(f, p, TS);
		audio(p);
		feed(f, p, TS);
	}
}

static char *
slurp(const struct fx *f, const char *name, size_t *len)
{
	char path[256], *buf;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static int
exists(const struct fx *f, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	return access(path, F_OK) == 0;
}

static void
first_segment_is_one_second_then_cuts_at_keyframes_after_the_target(
    void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	char *pl;

	open_fx(f, 2000, 10, 30000);
	assert_int_equal(rv_hls_session(f->h, "S1", &err), 0);
	rv_hls_marker(f->h, 10920, 1767614430000);
	/* Keyframes every 15 frames (0.5 s): cuts at 30 (1.001 s), then
	 * every 60 frames (the first keyframe at >= 1.9 s). */
	frames(f, 0, 300, 15, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	pl = slurp(f, "index.m3u8", NULL);
	assert_non_null(pl);
	assert_string_equal(pl,
	    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
	    "#EXT-X-MEDIA-SEQUENCE:0\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:30Z\n"
	    "#EXTINF:1.001,\n00000000.ts\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:31.001Z\n"
	    "#EXTINF:2.002,\n00000001.ts\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:33.003Z\n"
	    "#EXTINF:2.002,\n00000002.ts\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:35.005Z\n"
	    "#EXTINF:2.002,\n00000003.ts\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:37.007Z\n"
	    "#EXTINF:2.002,\n00000004.ts\n"
	    "#EXT-X-PROGRAM-DATE-TIME:2026-01-05T12:00:39.009Z\n"
	    "#EXTINF:1.001,\n00000005.ts\n");
	free(pl);
}

static void
segments_open_with_the_tables_before_the_keyframe(void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	size_t len;
	char *seg;

	open_fx(f, 2000, 10, 30000);
	frames(f, 0, 90, 30, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	seg = slurp(f, "00000001.ts", &len);
	assert_non_null(seg);
	/* PAT, PMT, then the keyframe's first packet. */
	assert_int_equal(len % TS, 0);
	assert_int_equal((uint8_t)seg[1], 0x40);
	assert_int_equal((uint8_t)seg[2], 0x00);
	assert_int_equal((uint8_t)seg[TS + 2], PMT_PID & 0xff);
	assert_int_equal((uint8_t)seg[2 * TS + 2], VID_PID & 0xff);
	/* Segment 0 ends with the audio packet of frame 29. */
	free(seg);
	seg = slurp(f, "00000000.ts", &len);
	assert_int_equal(len, (size_t)(2 + 30 * 2) * TS);
	assert_int_equal((uint8_t)seg[len - TS + 2], AUD_PID & 0xff);
	free(seg);
}

static void
no_keyframe_for_twice_the_target_forces_a_reported_cut(void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	struct rv_hls_stats st;
	char *pl;

	open_fx(f, 2000, 10, 30000);
	frames(f, 0, 1, 1, 0);
	frames(f, 1, 300, 0, 0);	/* no keyframe after the first */
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	rv_hls_stats(f->h, &st);
	assert_int_equal(st.forced_cuts, 2);
	assert_non_null(strstr(f->last, "no keyframe in 4004 ms"));
	pl = slurp(f, "index.m3u8", NULL);
	/* 300 frames: cut at frame 120 and 240 (4.004 s > 4 s). */
	assert_non_null(strstr(pl, "#EXTINF:4.004,\n00000000.ts\n"
	    "#EXTINF:4.004,\n00000001.ts\n#EXTINF:2.002,\n00000002.ts\n"));
	free(pl);
}

static void
pts_rollover_keeps_durations(void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	char *pl;

	open_fx(f, 2000, 10, 30000);
	/* 2^33 - 1 s: the PTS wraps in the second segment. */
	frames(f, 0, 150, 30, (INT64_C(1) << 33) - 90000);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	pl = slurp(f, "index.m3u8", NULL);
	assert_non_null(strstr(pl, "#EXTINF:1.001,\n00000000.ts\n"
	    "#EXTINF:2.002,\n00000001.ts\n#EXTINF:2.002,\n00000002.ts\n"));
	assert_null(strstr(pl, "DISCONTINUITY"));
	free(pl);
}

static void
lost_sync_is_found_again_without_losing_packets(void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	struct rv_hls_stats st;
	uint8_t buf[3 * TS + 7];
	size_t len;
	char *seg;

	open_fx(f, 2000, 10, 30000);
	pat(buf);
	memcpy(buf + TS, "garbage", 7);
	video(buf + TS + 7, 0, 1, 1);
	audio(buf + 2 * TS + 7);
	/* In two chunks that split a packet, after the stray bytes. */
	feed(f, buf, TS + 50);
	feed(f, buf + TS + 50, sizeof(buf) - TS - 50);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	rv_hls_stats(f->h, &st);
	assert_int_equal(st.resyncs, 1);
	assert_int_equal(st.skipped, 7);
	seg = slurp(f, "00000000.ts", &len);
	assert_int_equal(len, 3 * TS);
	free(seg);
}

static void
a_restart_goes_on_with_a_discontinuity(void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	char *pl;

	open_fx(f, 2000, 10, 30000);
	assert_int_equal(rv_hls_session(f->h, "S1", &err), 0);
	frames(f, 0, 90, 30, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	rv_hls_free(f->h);
	open_fx(f, 2000, 10, 30000);
	assert_int_equal(rv_hls_session(f->h, "S1", &err), 0);
	frames(f, 90, 120, 30, 10920);	/* the same session: no tag */
	assert_int_equal(rv_hls_session(f->h, "S2", &err), 0);
	frames(f, 0, 60, 30, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	pl = slurp(f, "index.m3u8", NULL);
	assert_string_equal(pl,
	    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
	    "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
	    "#EXTINF:1.001,\n00000000.ts\n#EXTINF:2.002,\n00000001.ts\n"
	    "#EXTINF:1.001,\n00000002.ts\n"
	    "#EXT-X-DISCONTINUITY\n#EXTINF:1.001,\n00000003.ts\n"
	    "#EXTINF:1.001,\n00000004.ts\n");
	free(pl);
}

static void
window_slides_counts_discontinuities_and_deletes_after_grace(
    void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	char *pl;

	open_fx(f, 2000, 3, 4000);
	assert_int_equal(rv_hls_session(f->h, "S1", &err), 0);
	frames(f, 0, 30, 30, 10920);
	assert_int_equal(rv_hls_session(f->h, "S2", &err), 0);
	/* 1.001 s, then 2.002 s segments: 9 in all. */
	frames(f, 0, 450, 30, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	pl = slurp(f, "index.m3u8", NULL);
	assert_string_equal(pl,
	    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
	    "#EXT-X-MEDIA-SEQUENCE:6\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n"
	    "#EXTINF:2.002,\n00000006.ts\n#EXTINF:2.002,\n00000007.ts\n"
	    "#EXTINF:2.002,\n00000008.ts\n");
	free(pl);
	/* Retired 5 (4.004 s of media ago: gone) ... 4 and 5 within. */
	assert_false(exists(f, "00000003.ts"));
	assert_true(exists(f, "00000004.ts"));
	assert_true(exists(f, "00000005.ts"));
	assert_false(exists(f, "00000002.ts"));
}

static void
a_segment_that_cannot_be_written_is_dropped_and_its_number_reused(
    void **state)
{
	struct fx *f = *state;
	struct rv_err err;
	struct rv_hls_stats st;
	char cmd[128], *pl;

	open_fx(f, 2000, 10, 30000);
	frames(f, 0, 30, 30, 10920);
	/* The folder goes away under segment 0 (a full or lost disk). */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	frames(f, 30, 31, 30, 10920);
	rv_hls_stats(f->h, &st);
	assert_int_equal(st.dropped, 1);
	assert_non_null(strstr(f->last, "00000000.ts: segment dropped"));
	assert_int_equal(mkdir(f->dir, 0755), 0);
	/* Frames 30..59 had no folder to go to either. */
	frames(f, 31, 90, 30, 10920);
	assert_int_equal(rv_hls_finish(f->h, &err), 0);
	rv_hls_stats(f->h, &st);
	assert_int_equal(st.dropped, 2);
	pl = slurp(f, "index.m3u8", NULL);
	assert_non_null(pl);
	assert_non_null(strstr(pl, "#EXT-X-MEDIA-SEQUENCE:0\n"
	    "#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-DISCONTINUITY\n"
	    "#EXTINF:1.001,\n00000000.ts\n"));
	free(pl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    first_segment_is_one_second_then_cuts_at_keyframes_after_the_target,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    segments_open_with_the_tables_before_the_keyframe, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    no_keyframe_for_twice_the_target_forces_a_reported_cut,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(pts_rollover_keeps_durations,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    lost_sync_is_found_again_without_losing_packets, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    a_restart_goes_on_with_a_discontinuity, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    window_slides_counts_discontinuities_and_deletes_after_grace,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    a_segment_that_cannot_be_written_is_dropped_and_its_number_reused,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
