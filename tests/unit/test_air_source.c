/*
 * Unit tests for lib/air/source on media generated in the setup: the
 * shapes of tests/media/gen.sh, plus clips made to be measured — a colour
 * cut at a known frame, frames that carry their own index as pixel values
 * (lossless H.264, so the value read back is exact), bands and sample
 * aspect ratios for scaling, tones for levels.
 *
 * Frame counter clips: the left half's luma is 20 + 4·(n % 50) and the
 * right half's 20 + 4·(n / 50) for source frame n (steps of 4 survive
 * lossy MPEG-2).
 *
 * Setting RV_SRC_BENCH to a media file adds a timing run that prints its
 * figures: open and seek to its middle, then decode and scale 900 frames
 * to 1280x720 at 30000/1001.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavutil/log.h>

#include "air/source.h"
#include "probe.h"

static char dir[] = "/tmp/rvsrc.XXXXXX";

static const char *extra_media =
    "set -eu\n"
    "cd \"$1\"\n"
    "ff() { ffmpeg -nostdin -hide_banner -loglevel error -y \"$@\"; }\n"
    /* Red for 2 s then blue, one keyframe only at frame 0 (and 100). */
    "cut='[0][1]concat=n=2:v=1:a=0,format=yuv420p'\n"
    "for ext in mp4 mkv ts; do\n"
    "  ff -f lavfi -i color=c=red:s=320x240:r=25:d=2"
    " -f lavfi -i color=c=blue:s=320x240:r=25:d=2 -filter_complex \"$cut\""
    " -c:v libx264 -preset ultrafast -x264-params keyint=100:scenecut=0"
    " cut25.$ext\n"
    "done\n"
    /* Frame counters: ctr RATE SECONDS FILE OPTIONS [FILTERS]. */
    "ctr() {\n"
    "  ff -f lavfi -i \"nullsrc=s=160x120:r=$1:d=$2,geq=lum="
    "'if(lt(X,W/2),20+4*mod(N,50),20+4*floor(N/50))':cb=128:cr=128,"
    "format=yuv420p${5-}\" $4 \"$3\"\n"
    "}\n"
    "x264='-c:v libx264 -preset ultrafast -qp 0'\n"
    "ctr 60 11 ctr60.mp4 \"$x264\"\n"
    "ctr 60 3 ctr60.mkv \"$x264\"\n"
    "ctr 24000/1001 3 ctr2398.mp4 \"$x264\"\n"
    "ctr 25 34 ctr25.mp4 \"$x264\"\n"
    "ctr 30000/1001 6 ctr2997.mkv \"$x264\"\n"
    "ctr 30000/1001 4 ctr2997.ts \"$x264\"\n"
    /* MPEG-2 with a GOP of 12 and B-frames: seeks land mid-GOP. */
    "ctr 30000/1001 6 ctrm2.ts '-c:v mpeg2video -q:v 2 -g 12 -bf 2'\n"
    /* B-frames nothing refers to (qp 0 would have none), without and
     * with a pyramid: frames a down-conversion drops need no decoding. */
    "xb='-c:v libx264 -preset ultrafast -qp 1 -bf 3'\n"
    "ctr 60 11 ctr60b.mp4 \"$xb -x264-params b-pyramid=0:keyint=60\"\n"
    "ctr 50 7 ctr50b.mkv \"$xb -x264-params keyint=50\"\n"
    "ctr 60000/1001 5 ctrm2hfr.ts '-c:v mpeg2video -q:v 2 -g 12 -bf 2'\n"
    /* 60 fps for 40 s with frames 10 and 400 lost (timestamps kept): the
     * average rate is 0.08% below the nominal one. */
    "ctr 60 40 gap60.mp4 \"-fps_mode passthrough $xb"
    " -x264-params b-pyramid=0:keyint=60\""
    " \",select='not(eq(n\\,10)+eq(n\\,400))'\"\n"
    /* Scaling: white with a red band over the top 24 rows. */
    "ff -f lavfi -i 'color=c=white:s=320x240:r=25:d=1,"
    "drawbox=x=0:y=0:w=iw:h=24:color=red:t=fill,format=yuv420p'"
    " -c:v libx264 -preset ultrafast band43.mp4\n"
    "ff -f lavfi -i 'color=c=white:s=720x480:r=25:d=1,setsar=8/9,"
    "format=yuv420p' -c:v libx264 -preset ultrafast sar89.mp4\n"
    "ff -f lavfi -i 'color=c=white:s=640x272:r=25:d=1,format=yuv420p'"
    " -c:v libx264 -preset ultrafast wide.mp4\n"
    /* Size change mid-file: 4:3 red for 2 s, then 16:9 blue. */
    "ff -f lavfi -i color=c=red:s=320x240:r=25:d=2 -pix_fmt yuv420p"
    " -c:v libx264 -preset ultrafast res1.ts\n"
    "ff -f lavfi -i color=c=blue:s=640x360:r=25:d=2 -pix_fmt yuv420p"
    " -c:v libx264 -preset ultrafast -output_ts_offset 2 res2.ts\n"
    "cat res1.ts res2.ts >reschange.ts\n"
    /* And the other way: 16:9 blue for 2 s, then 4:3 red. */
    "ff -f lavfi -i color=c=red:s=320x240:r=25:d=2 -pix_fmt yuv420p"
    " -c:v libx264 -preset ultrafast -output_ts_offset 2 res3.ts\n"
    "ff -f lavfi -i color=c=blue:s=640x360:r=25:d=2 -pix_fmt yuv420p"
    " -c:v libx264 -preset ultrafast res4.ts\n"
    "cat res4.ts res3.ts >reschange43.ts\n"
    /* Tones: 1 kHz mono at 44.1 kHz for 10 s with video; 5.1 with only
     * the front left channel sounding, audio only. */
    "ff -f lavfi -i color=c=gray:s=320x240:r=30:d=10"
    " -f lavfi -i sine=frequency=1000:sample_rate=44100:duration=10"
    " -c:v libx264 -preset ultrafast -c:a pcm_s16le -ac 1 tone441.mkv\n"
    "ff -f lavfi -i sine=frequency=500:sample_rate=48000:duration=2"
    " -af 'pan=5.1|FL=c0' -c:a pcm_s16le fl51.mkv\n"
    /* Corrupt mid-way: an MPEG-TS whose second half is noise, and a
     * fast-start MP4 cut in half (its index is whole, its data not). */
    "ff -f lavfi -i testsrc2=size=320x240:rate=25:duration=4"
    " -c:v libx264 -preset ultrafast -g 25 noisy.ts\n"
    "size=$(wc -c <noisy.ts)\n"
    "head -c $((size / 2)) /dev/urandom |"
    " dd of=noisy.ts bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null\n"
    "ff -f lavfi -i testsrc2=size=320x240:rate=25:duration=4"
    " -c:v libx264 -preset ultrafast -g 25 -movflags +faststart fs.mp4\n"
    "size=$(wc -c <fs.mp4)\n"
    "head -c $((size / 2)) fs.mp4 >cutshort.mp4\n";

static int
make_media(void **state)
{
	char cmd[1024];
	const char *top = getenv("RV_TOP");
	FILE *fp;

	(void)state;
	av_log_set_level(AV_LOG_QUIET);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/media/gen.sh' '%s'",
	    top ? top : ".", dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/extra.sh", dir);
	if ((fp = fopen(cmd, "w")) == NULL)
		return -1;
	fputs(extra_media, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "sh '%s/extra.sh' '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
remove_media(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Helpers */

static struct rv_src_format
fmt(int w, int h, int64_t num, int64_t den, enum rv_aspect a)
{
	struct rv_src_format f;

	f.width = w;
	f.height = h;
	f.rate.num = num;
	f.rate.den = den;
	f.sample_rate = 48000;
	f.aspect = a;
	return f;
}

static struct rv_source *
open_full(const char *name, int64_t in_ms, int64_t dur_ms, double gain_db,
    int64_t fi, int64_t fo, struct rv_src_format f)
{
	struct rv_source *s;
	struct rv_err err;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (rv_src_open(path, in_ms, dur_ms, gain_db, fi, fo, &f, &s, &err) < 0)
		fail_msg("%s", err.msg);
	return s;
}

static struct rv_source *
open_at(const char *name, int64_t in_ms, struct rv_src_format f)
{
	return open_full(name, in_ms, 0, 0, 0, 0, f);
}

static AVFrame *
video(struct rv_source *s, int64_t k)
{
	AVFrame *fr;
	struct rv_err err;
	int rc;

	rc = rv_src_video(s, k, &fr, &err);
	if (rc < 0)
		fail_msg("frame %lld: %s", (long long)k, err.msg);
	if (rc == 0)
		fail_msg("frame %lld: end of source", (long long)k);
	return fr;
}

static int
pix(const AVFrame *f, int plane, int x, int y)
{
	if (plane > 0) {
		x /= 2;
		y /= 2;
	}
	return f->data[plane][(ptrdiff_t)y * f->linesize[plane] + x];
}

/* The frame index a counter clip's frame carries. */
static int64_t
counter(const AVFrame *f)
{
	int lo = (pix(f, 0, f->width / 4, f->height / 2) - 18) / 4;
	int hi = (pix(f, 0, 3 * f->width / 4, f->height / 2) - 18) / 4;

	return (int64_t)hi * 50 + lo;
}

/* Output frames 0 .. n-1 of s show source frames first, first + step … */
static void
expect_counts(struct rv_source *s, int64_t n, int64_t first, int64_t step)
{
	int64_t k;

	for (k = 0; k < n; k++)
		assert_int_equal(counter(video(s, k)), first + step * k);
}

static int
is_red(const AVFrame *f, int x, int y)
{
	return pix(f, 2, x, y) > 200 && pix(f, 1, x, y) < 128;
}

static int
is_blue(const AVFrame *f, int x, int y)
{
	return pix(f, 1, x, y) > 200 && pix(f, 2, x, y) < 128;
}

static int
is_black(const AVFrame *f, int x, int y)
{
	return abs(pix(f, 0, x, y) - 16) <= 2 &&
	    abs(pix(f, 1, x, y) - 128) <= 2 && abs(pix(f, 2, x, y) - 128) <= 2;
}

static int
is_white(const AVFrame *f, int x, int y)
{
	return pix(f, 0, x, y) > 225 && abs(pix(f, 1, x, y) - 128) <= 3 &&
	    abs(pix(f, 2, x, y) - 128) <= 3;
}

static double
rms(const float *p, int n)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += (double)p[i] * p[i];
	return sqrt(sum / n);
}

static double
peak(const float *p, int n)
{
	double m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (fabs(p[i]) > m)
			m = fabs(p[i]);
	return m;
}

/* Read n samples into fresh buffers (freed by the caller). */
static int
audio(struct rv_source *s, int n, float **l, float **r)
{
	struct rv_err err;
	float *const planes[2] = { *l = calloc(n, sizeof(float)),
	    *r = calloc(n, sizeof(float)) };
	int got;

	assert_non_null(planes[0]);
	assert_non_null(planes[1]);
	got = rv_src_audio(s, planes, n, &err);
	if (got < 0)
		fail_msg("%s", err.msg);
	return got;
}

/* Frame-rate mapping, without media */

static void
mapping_is_chosen_by_cross_multiplication(void **state)
{
	struct rv_rate r30 = { 30, 1 }, r60 = { 60, 1 }, r120 = { 120, 1 },
	    r2997 = { 30000, 1001 }, r2398 = { 24000, 1001 };
	int64_t step;

	(void)state;
	assert_int_equal(rv_fps_mapping(r30, r30, &step), RV_FPS_OFF);
	assert_int_equal(step, 1);
	assert_int_equal(rv_fps_mapping(r2997, r2997, &step), RV_FPS_OFF);
	assert_int_equal(rv_fps_mapping(r60, r30, &step), RV_FPS_DROP);
	assert_int_equal(step, 2);
	assert_int_equal(rv_fps_mapping(r120, r30, &step), RV_FPS_DROP);
	assert_int_equal(step, 4);
	assert_int_equal(rv_fps_mapping((struct rv_rate){ 60000, 1001 }, r2997,
	    &step), RV_FPS_DROP);
	assert_int_equal(step, 2);
	assert_int_equal(rv_fps_mapping(r2398, r2997, &step), RV_FPS_CADENCE);
	assert_int_equal(step, 0);
	assert_int_equal(rv_fps_mapping(r2398, r30, NULL), RV_FPS_CADENCE);
	assert_int_equal(rv_fps_mapping(r30, r2997, NULL), RV_FPS_CADENCE);
	assert_int_equal(rv_fps_mapping(r30, r60, NULL), RV_FPS_CADENCE);
}

/*
 * The selection formula, written down: output frame k of a segment from
 * in_ms shows source frame
 *   floor((in_ms·out.num + 1000·k·out.den)·in.num / (1000·out.num·in.den)).
 * 25 → 30000/1001: floor(k·1001·25/30000) = floor(1001k/1200).
 */
static void
selection_formula_is_exact(void **state)
{
	struct rv_rate r25 = { 25, 1 }, r30 = { 30, 1 }, r60 = { 60, 1 },
	    r2997 = { 30000, 1001 }, r2398 = { 24000, 1001 };
	int64_t k;

	(void)state;
	for (k = 0; k <= 36000; k++)
		assert_int_equal(rv_src_frame_for(0, k, r60, r30), 2 * k);
	for (k = 0; k <= 1000; k++) {
		assert_int_equal(rv_src_frame_for(0, k, r25, r2997),
		    1001 * k / 1200);
		assert_int_equal(rv_src_frame_for(0, k, r2398, r2997),
		    4 * k / 5);
		assert_int_equal(rv_src_frame_for(0, k, r2997, r2997), k);
	}
	assert_int_equal(rv_src_frame_for(0, 1000, r25, r2997), 834);
	/* The in-point: 1960 ms at 25 fps is frame 49, 2000 ms frame 50. */
	assert_int_equal(rv_src_frame_for(1960, 0, r25, r25), 49);
	assert_int_equal(rv_src_frame_for(1960, 1, r25, r25), 50);
	assert_int_equal(rv_src_frame_for(2000, 0, r25, r25), 50);
	assert_int_equal(rv_src_frame_for(1999, 0, r25, r25), 49);
	/* 10 minutes into a 29.97 file: frame 17982 (599.9994 s). */
	assert_int_equal(rv_src_frame_for(600000, 0, r2997, r2997), 17982);
}

/* Frame-accurate in-points */

static void
cut_at(const char *name)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;

	s = open_at(name, 2000, f);
	fr = video(s, 0);
	assert_true(is_blue(fr, 160, 120));
	rv_src_close(s);

	s = open_at(name, 1960, f);
	assert_true(is_red(video(s, 0), 160, 120));
	assert_true(is_blue(video(s, 1), 160, 120));
	rv_src_close(s);

	s = open_at(name, 0, f);
	assert_true(is_red(video(s, 0), 160, 120));
	assert_true(is_red(video(s, 49), 160, 120));
	assert_true(is_blue(video(s, 50), 160, 120));
	rv_src_close(s);
}

static void
in_point_2000_shows_the_new_colour_on_frame_0_mp4(void **state)
{
	(void)state;
	cut_at("cut25.mp4");
}

static void
in_point_is_frame_accurate_in_matroska(void **state)
{
	(void)state;
	cut_at("cut25.mkv");
}

static void
in_point_is_frame_accurate_in_mpegts(void **state)
{
	(void)state;
	cut_at("cut25.ts");
}

static void
in_point_lands_on_the_counted_frame(void **state)
{
	struct rv_src_format f = fmt(160, 120, 25, 1, RV_ASPECT_PRESERVE);
	static const int64_t ins[] = { 0, 40, 39, 41, 1000, 5020, 12345,
	    33000 };
	struct rv_source *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		s = open_at("ctr25.mp4", ins[i], f);
		assert_int_equal(counter(video(s, 0)), ins[i] * 25 / 1000);
		assert_int_equal(counter(video(s, 1)), ins[i] * 25 / 1000 + 1);
		rv_src_close(s);
	}
}

/* Frame-rate conversion by selection */

static void
sixty_to_thirty_takes_every_second_frame(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;

	(void)state;
	s = open_at("ctr60.mp4", 0, f);
	rv_src_info(s, &info);
	assert_int_equal(info.rate.num, 60);
	assert_int_equal(info.rate.den, 1);
	assert_int_equal(info.mode, RV_FPS_DROP);
	assert_int_equal(info.step, 2);
	expect_counts(s, 301, 0, 2);
	rv_src_close(s);
}

static void
sixty_to_thirty_in_matroska_millisecond_timestamps(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;
	struct rv_err err;

	(void)state;
	s = open_at("ctr60.mkv", 0, f);
	expect_counts(s, 90, 0, 2);
	assert_int_equal(rv_src_video(s, 90, &fr, &err), 0);
	rv_src_close(s);
}

/*
 * Frames no output frame shows go to the decoder as droppable: in
 * ctr60b.mp4 (I or P every 4th frame, B-frames nothing refers to, a P at
 * frame 59 before the IDR at 60) every odd frame but 59 is such a B, so
 * 60 -> 30 decodes the even frames and 59 only, where it decoded 602.
 */
static void
dropped_b_frames_are_not_decoded(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;

	(void)state;
	s = open_at("ctr60b.mp4", 0, f);
	expect_counts(s, 301, 0, 2);
	rv_src_info(s, &info);
	assert_int_equal(info.mode, RV_FPS_DROP);
	/* 301 shown, 59, 119, … before each of the 10 IDRs, and the
	 * look-ahead frame past 600. */
	assert_in_range(info.frames, 301, 301 + 10 + 1);
	rv_src_close(s);

	/* From an in-point mid-GOP: 0.9 s is frame 54; of the 54 before it
	 * only the 14 references (0, 4, … 52) are decoded. */
	s = open_at("ctr60b.mp4", 900, f);
	expect_counts(s, 60, 54, 2);
	rv_src_info(s, &info);
	assert_in_range(info.frames, 14 + 60, 14 + 60 + 3);
	rv_src_close(s);
}

/* The same with a pyramid (its middle B is a reference), with 50 -> 29.97
 * (no whole step), and with MPEG-2 at 59.94: the exact frames all the
 * same, and fewer decoded than the source holds. */
static void
dropped_frames_are_skipped_by_every_pattern(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;
	int64_t k;

	(void)state;
	s = open_at("ctr50b.mkv", 0, f);
	for (k = 0; k < 200; k++)
		assert_int_equal(counter(video(s, k)), k * 50 * 1001 / 30000);
	rv_src_info(s, &info);
	assert_int_equal(info.mode, RV_FPS_CADENCE);
	/* 333 source frames up to frame 199's (all decoded without the
	 * skip, 273 with it); 200 of them shown. */
	assert_in_range(info.frames, 200, 300);
	rv_src_close(s);

	s = open_at("ctrm2hfr.ts", 1001, f);
	expect_counts(s, 90, 60, 2);
	rv_src_info(s, &info);
	assert_int_equal(info.mode, RV_FPS_DROP);
	/* From a keyframe before frame 60 (MPEG-TS seeks by bisection) to
	 * frame 240: 238 decoded without the skip, 141 with it, as B-frames
	 * are never references. */
	assert_in_range(info.frames, 90, 150);
	rv_src_close(s);
}

/*
 * A frame missing from the file: the latest decoded frame before it stands
 * in.  At the first such gap that is the reference before it (frame 9, a
 * B-frame no output frame shows, was not decoded); then skipping stops for
 * the source, and at the second the frame just before it stands in.
 */
static void
a_lost_frame_stops_the_skipping(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	int64_t k, n;

	(void)state;
	s = open_at("gap60.mp4", 0, f);
	for (k = 0; k < 600; k++) {
		n = counter(video(s, k));
		if (k == 5)
			assert_int_equal(n, 8);
		else if (k == 200)
			assert_int_equal(n, 399);
		else
			assert_int_equal(n, 2 * k);
	}
	rv_src_close(s);
}

static void
film_to_ntsc_repeats_one_frame_in_five(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;
	int64_t k, n, prev = -1, distinct = 0;

	(void)state;
	s = open_at("ctr2398.mp4", 0, f);
	rv_src_info(s, &info);
	assert_int_equal(info.mode, RV_FPS_CADENCE);
	for (k = 0; k < 30; k++) {
		n = counter(video(s, k));
		assert_int_equal(n, 4 * k / 5);
		if (n != prev)
			distinct++;
		prev = n;
	}
	assert_int_equal(distinct, 24);
	rv_src_close(s);
}

static void
pal_to_ntsc_over_1001_frames_follows_the_floor_formula(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_source *s;
	int64_t k;

	(void)state;
	s = open_at("ctr25.mp4", 0, f);
	for (k = 0; k < 1001; k++)
		assert_int_equal(counter(video(s, k)), 1001 * k / 1200);
	rv_src_close(s);
}

static void
ntsc_to_ntsc_passes_one_to_one(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;

	(void)state;
	s = open_at("ctr2997.mkv", 0, f);
	rv_src_info(s, &info);
	assert_int_equal(info.mode, RV_FPS_OFF);
	expect_counts(s, 179, 0, 1);
	rv_src_close(s);
	/* From an in-point, in MPEG-TS (90 kHz, starting at 1.4 s). */
	s = open_at("ctr2997.ts", 1502, f);
	expect_counts(s, 60, 45, 1);
	rv_src_close(s);
}

static void
mpeg2_in_points_mid_gop_are_frame_accurate(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	static const int64_t ins[] = { 0, 1001, 1034, 2002, 2540, 3003,
	    4004, 5000 };
	struct rv_source *s;
	int64_t j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		s = open_at("ctrm2.ts", ins[i], f);
		j = rv_src_frame_for(ins[i], 0, f.rate, f.rate);
		expect_counts(s, 10, j, 1);
		rv_src_close(s);
	}
}

static void
a_frame_the_caller_holds_is_not_drawn_over(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *held = av_frame_alloc();
	int64_t k;

	(void)state;
	assert_non_null(held);
	s = open_at("ctr60.mp4", 0, f);
	assert_int_equal(av_frame_ref(held, video(s, 0)), 0);
	for (k = 1; k < 10; k++) {
		assert_int_equal(counter(video(s, k)), 2 * k);
		assert_int_equal(counter(held), 0);
	}
	av_frame_free(&held);
	rv_src_close(s);
}

static void
end_of_source_returns_0_and_repeating_k_repeats_the_frame(void **state)
{
	struct rv_src_format f = fmt(160, 120, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;
	struct rv_err err;

	(void)state;
	/* 3 s at 23.976 is 72 frames: output frames while floor(4k/5) < 72,
	 * so k = 0 … 89. */
	s = open_at("ctr2398.mp4", 0, f);
	assert_int_equal(counter(video(s, 89)), 71);
	assert_int_equal(counter(video(s, 89)), 71);
	assert_int_equal(video(s, 89)->pts, 89);
	assert_int_equal(rv_src_video(s, 90, &fr, &err), 0);
	assert_null(fr);
	assert_int_equal(rv_src_video(s, 91, &fr, &err), 0);
	assert_null(rv_src_error(s));
	rv_src_close(s);
	/* An in-point beyond the end. */
	s = open_at("ctr2398.mp4", 60000, f);
	assert_int_equal(rv_src_video(s, 0, &fr, &err), 0);
	rv_src_close(s);
}

/* Deinterlacing */

static void
interlaced_mpeg2_gives_one_progressive_frame_per_frame(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;
	AVFrame *fr;
	struct rv_err err;
	uint64_t sum, prev = 0;
	int64_t k;
	int x, y, rc;

	(void)state;
	s = open_at("mpeg2i.ts", 0, f);
	rv_src_info(s, &info);
	assert_int_equal(info.rate.num, 30000);
	assert_int_equal(info.rate.den, 1001);
	assert_int_equal(info.mode, RV_FPS_OFF);
	for (k = 0;; k++) {
		rc = rv_src_video(s, k, &fr, &err);
		if (rc < 0)
			fail_msg("%s", err.msg);
		if (rc == 0)
			break;
		assert_int_equal(fr->width, 1280);
		assert_int_equal(fr->height, 720);
		assert_int_equal(fr->format, AV_PIX_FMT_YUV420P);
		assert_false(fr->interlaced_frame);
		/* testsrc2 moves every frame: no two outputs are alike. */
		for (sum = 0, y = 0; y < 720; y += 7)
			for (x = 0; x < 1280; x += 3)
				sum = sum * 31 + pix(fr, 0, x, y);
		assert_true(k == 0 || sum != prev);
		prev = sum;
	}
	rv_src_info(s, &info);
	assert_true(info.interlaced);
	assert_int_equal(k, 90);
	assert_int_equal(info.frames, 90);
	rv_src_close(s);
}

/* Scaling */

static void
four_three_preserve_is_pillarboxed(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;
	int x, y;

	(void)state;
	s = open_at("band43.mp4", 0, f);
	fr = video(s, 0);
	assert_int_equal(fr->width, 1280);
	assert_int_equal(fr->height, 720);
	for (y = 0; y < 720; y += 10)
		for (x = 0; x < 160; x += 2) {
			assert_true(is_black(fr, x, y));
			assert_true(is_black(fr, 1279 - x, y));
		}
	assert_true(is_white(fr, 640, 360));
	assert_true(is_white(fr, 164, 360));
	assert_true(is_white(fr, 1115, 360));
	assert_true(is_red(fr, 640, 10));	/* the band, scaled by 3 */
	assert_true(is_white(fr, 640, 80));
	rv_src_close(s);
}

static void
four_three_stretch_fills(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_STRETCH);
	struct rv_source *s;
	AVFrame *fr;

	(void)state;
	s = open_at("band43.mp4", 0, f);
	fr = video(s, 0);
	assert_true(is_white(fr, 0, 360));
	assert_true(is_white(fr, 1279, 360));
	assert_true(is_red(fr, 0, 10));
	assert_true(is_white(fr, 640, 719));
	rv_src_close(s);
}

static void
four_three_crop_cuts_top_and_bottom(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_CROP);
	struct rv_source *s;
	AVFrame *fr;
	int x;

	(void)state;
	/* 320x240 shown 1280 wide keeps source rows 30 … 209: the band
	 * (rows 0 … 23) is gone. */
	s = open_at("band43.mp4", 0, f);
	fr = video(s, 0);
	for (x = 0; x < 1280; x += 8)
		assert_true(is_white(fr, x, 0));
	assert_true(is_white(fr, 0, 360));
	assert_true(is_white(fr, 640, 719));
	rv_src_close(s);
}

static void
sample_aspect_ratio_is_honoured(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;

	(void)state;
	/* 720x480 at 8:9 is 4:3: pillarboxed like 320x240. */
	s = open_at("sar89.mp4", 0, f);
	fr = video(s, 0);
	assert_true(is_black(fr, 150, 360));
	assert_true(is_white(fr, 170, 360));
	assert_true(is_white(fr, 1110, 360));
	assert_true(is_black(fr, 1130, 360));
	rv_src_close(s);
	/* 640x272 (2.35:1) is letterboxed: 1280x544 from row 88. */
	s = open_at("wide.mp4", 0, f);
	fr = video(s, 0);
	assert_true(is_black(fr, 640, 80));
	assert_true(is_white(fr, 640, 96));
	assert_true(is_white(fr, 0, 360));
	assert_true(is_white(fr, 640, 624));
	assert_true(is_black(fr, 640, 640));
	rv_src_close(s);
}

static void
size_change_mid_file_keeps_the_output_size(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;

	(void)state;
	s = open_at("reschange.ts", 0, f);
	fr = video(s, 10);
	assert_true(is_black(fr, 100, 360));
	assert_true(is_red(fr, 640, 360));
	fr = video(s, 75);
	assert_int_equal(fr->width, 1280);
	assert_int_equal(fr->height, 720);
	assert_true(is_blue(fr, 100, 360));
	assert_true(is_blue(fr, 640, 360));
	rv_src_close(s);
}

static void
recycled_pictures_are_drawn_whole(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *held[3] = { NULL, NULL, NULL }, *fr;
	int k, i;

	(void)state;
	/* The caller keeps the last frames (as the session holds the one
	 * shown), so the source draws into buffers it had before: blue to
	 * the edges for 2 s, then a pillarboxed 4:3 picture whose borders
	 * must be black in every frame, not the blue a buffer held. */
	s = open_at("reschange43.ts", 0, f);
	for (k = 0; k < 100; k++) {
		fr = video(s, k);
		if (k < 50) {
			assert_true(is_blue(fr, 4, 360));
			assert_true(is_blue(fr, 1275, 360));
		} else if (k >= 52) {
			for (i = 0; i < 160; i += 6) {
				assert_true(is_black(fr, i, 360));
				assert_true(is_black(fr, 1279 - i, 0));
				assert_true(is_black(fr, 1279 - i, 719));
			}
			assert_true(is_red(fr, 640, 360));
			assert_true(is_red(fr, 170, 700));
		}
		av_frame_free(&held[k % 3]);
		assert_non_null(held[k % 3] = av_frame_clone(fr));
	}
	for (i = 0; i < 3; i++)
		av_frame_free(&held[i]);
	rv_src_close(s);
}

/* Video fades */

static void
video_fades_from_and_to_black(void **state)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	AVFrame *fr;
	int y;

	(void)state;
	/* A 1 s segment fading in and out over 400 ms each. */
	s = open_full("band43.mp4", 0, 1000, 0, 400, 400, f);
	assert_true(is_black(video(s, 0), 160, 120));
	fr = video(s, 5);		/* 200 ms: half way */
	y = pix(fr, 0, 160, 120);
	assert_true(y > 16 + 219 / 2 - 4 && y < 16 + 219 / 2 + 4);
	assert_true(is_white(video(s, 10), 160, 120));
	assert_true(is_white(video(s, 14), 160, 120));
	fr = video(s, 19);		/* ends at 800 ms: half way out */
	y = pix(fr, 0, 160, 120);
	assert_true(y > 16 + 219 / 2 - 4 && y < 16 + 219 / 2 + 4);
	assert_true(is_black(video(s, 24), 160, 120));	/* ends at 1000 */
	rv_src_close(s);
}

/* Audio */

static void
audio_gives_exactly_n_samples(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_source *s;
	struct rv_err err;
	float l[2000], r[2000];
	float *const planes[2] = { l, r };
	int i, got;

	(void)state;
	s = open_at("chapters.mp4", 0, f);
	for (i = 0; i < 2000; i++)
		l[i] = r[i] = 99.0f;
	got = rv_src_audio(s, planes, 1601, &err);
	assert_int_equal(got, 1601);
	for (i = 1601; i < 2000; i++) {
		assert_true(l[i] == 99.0f);
		assert_true(r[i] == 99.0f);
	}
	assert_int_equal(rv_src_audio(s, planes, 0, &err), 0);
	rv_src_close(s);
}

static void
ten_seconds_at_44100_mono_over_300_frames(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_source *s;
	struct rv_err err;
	float l[2048], r[2048];
	float *const planes[2] = { l, r };
	int64_t k, n, total = 0, real = 0, want = 0;
	double sl = 0, sr = 0, diff = 0;
	int i, got;

	(void)state;
	s = open_at("tone441.mkv", 0, f);
	for (k = 0; k < 300; k++) {
		n = rv_frame_samples(k, f.rate, 48000);
		want += n;
		got = rv_src_audio(s, planes, (int)n, &err);
		assert_true(got >= 0 && got <= n);
		total += n;
		real += got;
		/* Skip the resampler's first milliseconds. */
		for (i = 0; i < got && k > 0; i++) {
			sl += (double)l[i] * l[i];
			sr += (double)r[i] * r[i];
			diff += fabs(l[i] - r[i]);
		}
	}
	assert_int_equal(want, rv_frame_sample_start(300, f.rate, 48000));
	assert_int_equal(total, 480480);
	/* 10 s of source is 480000 samples at 48 kHz. */
	assert_true(llabs(real - 480000) <= 48);
	/* Mono is copied: equal channels at the source's level (lavfi's sine
	 * is 1/8 full scale, RMS 0.125/sqrt(2)). */
	assert_true(diff == 0);
	assert_true(fabs(sl - sr) < 1e-9);
	sl = sqrt(sl / (real - 1601));
	assert_true(fabs(sl - 0.125 / sqrt(2)) < 0.01 * 0.125 / sqrt(2));
	rv_src_close(s);
}

static void
five_one_is_downmixed(void **state)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_src_info info;
	struct rv_source *s;
	float *l, *r;
	int got;

	(void)state;
	/* Only front left sounds: it stays left. */
	s = open_at("fl51.mkv", 0, f);
	rv_src_info(s, &info);
	assert_false(info.has_video);
	assert_int_equal(info.audio_channels, 6);
	got = audio(s, 48000, &l, &r);
	assert_int_equal(got, 48000);
	assert_true(rms(l + 4800, 43200) > 0.08);
	assert_true(rms(r + 4800, 43200) < 0.001);
	free(l);
	free(r);
	rv_src_close(s);
	/* gen.sh's 5.1 carries its tone in the centre: equal on both. */
	s = open_at("hevc51.mkv", 0, f);
	got = audio(s, 48000, &l, &r);
	assert_int_equal(got, 48000);
	assert_true(rms(l + 4800, 43200) > 0.03);
	assert_true(fabs(rms(l + 4800, 43200) - rms(r + 4800, 43200)) <
	    0.001);
	free(l);
	free(r);
	rv_src_close(s);
}

static void
gain_of_6_db_doubles_amplitude(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	float *l, *r, *l6, *r6;
	double ratio;

	(void)state;
	s = open_at("tone441.mkv", 1000, f);
	audio(s, 48000, &l, &r);
	rv_src_close(s);
	s = open_full("tone441.mkv", 1000, 0, 6.0, 0, 0, f);
	audio(s, 48000, &l6, &r6);
	rv_src_close(s);
	ratio = rms(l6, 48000) / rms(l, 48000);
	assert_true(fabs(ratio - 2.0) < 0.02);
	ratio = rms(r6, 48000) / rms(r, 48000);
	assert_true(fabs(ratio - 2.0) < 0.02);
	free(l);
	free(r);
	free(l6);
	free(r6);
}

static void
fade_in_starts_silent_and_fade_out_ends_silent(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	float *l, *r;
	double full, half;

	(void)state;
	s = open_full("tone441.mkv", 2000, 3000, 0, 500, 500, f);
	audio(s, 3 * 48000, &l, &r);
	full = peak(l + 48000, 4800);
	assert_true(full > 0.12);
	assert_true(peak(l, 48) < 0.01 * full);		/* first 1 ms */
	half = peak(l + 12000 - 240, 480);		/* around 250 ms */
	assert_true(fabs(half / full - 0.5) < 0.05);
	assert_true(peak(l + 24000, 4800) > 0.98 * full);
	assert_true(peak(r + 3 * 48000 - 48, 48) < 0.01 * full);
	half = peak(l + 3 * 48000 - 12000 - 240, 480);
	assert_true(fabs(half / full - 0.5) < 0.05);
	free(l);
	free(r);
	rv_src_close(s);
}

static void
in_point_trims_audio_to_the_sample(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	float *l0, *r0, *l1, *r1;
	int i, got;

	(void)state;
	/* The samples from in_ms 1500 are the samples 72000 on from 0. */
	s = open_at("tone441.mkv", 0, f);
	audio(s, 72000 + 4800, &l0, &r0);
	rv_src_close(s);
	s = open_at("tone441.mkv", 1500, f);
	got = audio(s, 4800, &l1, &r1);
	assert_int_equal(got, 4800);
	rv_src_close(s);
	/* Skip the resampler's restart (its filter sees no history). */
	for (i = 64; i < 4800; i++)
		assert_true(fabs(l1[i] - l0[72000 + i]) < 0.002);
	free(l0);
	free(r0);
	free(l1);
	free(r1);
}

static void
no_audio_gives_silence_and_0_real_samples(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	struct rv_source *s;
	float *l, *r;

	(void)state;
	s = open_at("silent.mp4", 0, f);
	assert_int_equal(audio(s, 1601, &l, &r), 0);
	assert_true(peak(l, 1601) == 0 && peak(r, 1601) == 0);
	free(l);
	free(r);
	rv_src_close(s);
}

static void
audio_after_its_end_is_silence(void **state)
{
	struct rv_src_format f = fmt(320, 240, 30, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	float *l, *r;
	int got;

	(void)state;
	s = open_at("tone441.mkv", 9500, f);
	got = audio(s, 48000, &l, &r);
	assert_true(abs(got - 24000) <= 48);
	assert_true(peak(l + 24100, 48000 - 24100) == 0);
	free(l);
	free(r);
	rv_src_close(s);
}

/* Priming */

static void
prime_decodes_ahead_without_changing_the_picture(void **state)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	struct rv_src_info info;
	struct rv_err err;
	float *l, *r;

	(void)state;
	s = open_at("cut25.mp4", 1960, f);
	if (rv_src_prime(s, &err) < 0)
		fail_msg("%s", err.msg);
	rv_src_info(s, &info);
	assert_true(info.frames >= 50);	/* decoded up to the in-point */
	assert_true(is_red(video(s, 0), 160, 120));
	assert_true(is_blue(video(s, 1), 160, 120));
	rv_src_close(s);
	/* And audio after a prime starts at the in-point all the same. */
	s = open_at("chapters.mp4", 1000, f);
	if (rv_src_prime(s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(audio(s, 1920, &l, &r), 1920);
	assert_true(peak(l, 1920) > 0.05);
	free(l);
	free(r);
	rv_src_close(s);
}

/* Errors */

static void
expect_open_error(const char *name)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s = (struct rv_source *)1;
	struct rv_err err;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(rv_src_open(path, 0, 0, 0, 0, 0, &f, &s, &err), -1);
	assert_null(s);
	assert_non_null(strstr(err.msg, path));
}

static void
missing_truncated_and_non_media_files_fail_to_open(void **state)
{
	(void)state;
	expect_open_error("no-such-file.mp4");
	expect_open_error("truncated.mp4");
	expect_open_error("notmedia.mkv");
	expect_open_error(".");
}

static void
unreadable_file_fails_to_open(void **state)
{
	char cmd[1024];

	(void)state;
	/* A path through a file cannot be read, even by root. */
	expect_open_error("chapters.mp4/x.mp4");
	if (geteuid() == 0)
		return;		/* root reads a mode 000 file */
	snprintf(cmd, sizeof(cmd), "cp '%s/chapters.mp4' '%s/locked.mp4' && "
	    "chmod 000 '%s/locked.mp4'", dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	expect_open_error("locked.mp4");
}

static void
drain(const char *name, int64_t *frames, int64_t *samples, const char **why,
    struct rv_source **sp)
{
	struct rv_src_format f = fmt(320, 240, 25, 1, RV_ASPECT_PRESERVE);
	struct rv_source *s;
	struct rv_err err;
	AVFrame *fr;
	float l[1920], r[1920];
	float *const planes[2] = { l, r };
	int64_t k;
	int rc;

	s = open_at(name, 0, f);
	*samples = 0;
	for (k = 0; k < 1000; k++) {
		rc = rv_src_video(s, k, &fr, &err);
		if (rc < 0)
			fail_msg("%s", err.msg);
		if (rc == 0)
			break;
		rc = rv_src_audio(s, planes, 1920, &err);
		if (rc < 0)
			fail_msg("%s", err.msg);
		*samples += rc;
	}
	*frames = k;
	*why = rv_src_error(s);
	*sp = s;
}

static void
corrupt_second_half_ends_the_source_without_crashing(void **state)
{
	struct rv_source *s;
	const char *why;
	int64_t frames, samples;

	(void)state;
	drain("noisy.ts", &frames, &samples, &why, &s);
	assert_true(frames > 0 && frames < 100);
	assert_non_null(why);
	assert_non_null(strstr(why, "noisy.ts"));
	rv_src_close(s);
	/* The MP4 cut short: its index promises 4 s, its data ends at 2. */
	drain("cutshort.mp4", &frames, &samples, &why, &s);
	assert_true(frames > 0 && frames < 100);
	assert_non_null(why);
	assert_non_null(strstr(why, "cutshort.mp4"));
	rv_src_close(s);
}

static void
whole_files_play_to_their_end_without_error(void **state)
{
	struct rv_source *s;
	const char *why;
	int64_t frames, samples;

	(void)state;
	drain("chapters.mp4", &frames, &samples, &why, &s);
	assert_int_equal(frames, 100);
	assert_true(llabs(samples - 4 * 48000) < 1024);
	assert_null(why);
	rv_src_close(s);
	drain("vp9.webm", &frames, &samples, &why, &s);
	assert_int_equal(frames, 50);
	assert_null(why);
	rv_src_close(s);
	drain("mono.mp4", &frames, &samples, &why, &s);
	assert_int_equal(frames, 50);		/* 30 → 25 over 2 s */
	assert_null(why);
	rv_src_close(s);
	drain("hevc51.mkv", &frames, &samples, &why, &s);
	assert_int_equal(frames, 76);		/* 72 frames of 1/23.976 s */
	assert_null(why);
	rv_src_close(s);
}

/* Speed, on a file given by RV_SRC_BENCH */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
bench_open_seek_and_decode(void **state)
{
	struct rv_src_format f = fmt(1280, 720, 30000, 1001,
	    RV_ASPECT_PRESERVE);
	const char *path = getenv("RV_SRC_BENCH");
	struct rv_source *s;
	struct rv_probe p;
	struct rv_err err;
	AVFrame *fr;
	float l[1602], r[1602];
	float *const planes[2] = { l, r };
	double t0, t1, t2, t3;
	int64_t k, n = 900, in_ms;
	int rc;

	(void)state;
	if (rv_probe_file(path, &p, &err) < 0)
		fail_msg("%s", err.msg);
	in_ms = p.duration_ms / 2;
	rv_probe_free(&p);
	t0 = now_s();
	if (rv_src_open(path, in_ms, 0, 0, 0, 0, &f, &s, &err) < 0)
		fail_msg("%s", err.msg);
	t1 = now_s();
	if (rv_src_prime(s, &err) < 0)
		fail_msg("%s", err.msg);
	t2 = now_s();
	for (k = 0; k < n; k++) {
		if ((rc = rv_src_video(s, k, &fr, &err)) < 0)
			fail_msg("frame %lld: %s", (long long)k, err.msg);
		if (rc == 0)
			break;
		if (rv_src_audio(s, planes, (int)rv_frame_samples(k, f.rate,
		    48000), &err) < 0)
			fail_msg("%s", err.msg);
	}
	t3 = now_s();
	print_message("# %s: open %.0f ms, seek+prime to %lld ms %.0f ms "
	    "(first frame after %.0f ms); %lld frames decoded+scaled to "
	    "1280x720 (with audio) in %.2f s = %.0f frames/s\n", path,
	    (t1 - t0) * 1000, (long long)in_ms, (t2 - t1) * 1000,
	    (t2 - t0) * 1000, (long long)k, t3 - t2, k / (t3 - t2));
	rv_src_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mapping_is_chosen_by_cross_multiplication),
		cmocka_unit_test(selection_formula_is_exact),
		cmocka_unit_test(in_point_2000_shows_the_new_colour_on_frame_0_mp4),
		cmocka_unit_test(in_point_is_frame_accurate_in_matroska),
		cmocka_unit_test(in_point_is_frame_accurate_in_mpegts),
		cmocka_unit_test(in_point_lands_on_the_counted_frame),
		cmocka_unit_test(sixty_to_thirty_takes_every_second_frame),
		cmocka_unit_test(sixty_to_thirty_in_matroska_millisecond_timestamps),
		cmocka_unit_test(dropped_b_frames_are_not_decoded),
		cmocka_unit_test(dropped_frames_are_skipped_by_every_pattern),
		cmocka_unit_test(a_lost_frame_stops_the_skipping),
		cmocka_unit_test(film_to_ntsc_repeats_one_frame_in_five),
		cmocka_unit_test(pal_to_ntsc_over_1001_frames_follows_the_floor_formula),
		cmocka_unit_test(ntsc_to_ntsc_passes_one_to_one),
		cmocka_unit_test(mpeg2_in_points_mid_gop_are_frame_accurate),
		cmocka_unit_test(a_frame_the_caller_holds_is_not_drawn_over),
		cmocka_unit_test(end_of_source_returns_0_and_repeating_k_repeats_the_frame),
		cmocka_unit_test(interlaced_mpeg2_gives_one_progressive_frame_per_frame),
		cmocka_unit_test(four_three_preserve_is_pillarboxed),
		cmocka_unit_test(four_three_stretch_fills),
		cmocka_unit_test(four_three_crop_cuts_top_and_bottom),
		cmocka_unit_test(sample_aspect_ratio_is_honoured),
		cmocka_unit_test(recycled_pictures_are_drawn_whole),
		cmocka_unit_test(size_change_mid_file_keeps_the_output_size),
		cmocka_unit_test(video_fades_from_and_to_black),
		cmocka_unit_test(audio_gives_exactly_n_samples),
		cmocka_unit_test(ten_seconds_at_44100_mono_over_300_frames),
		cmocka_unit_test(five_one_is_downmixed),
		cmocka_unit_test(gain_of_6_db_doubles_amplitude),
		cmocka_unit_test(fade_in_starts_silent_and_fade_out_ends_silent),
		cmocka_unit_test(in_point_trims_audio_to_the_sample),
		cmocka_unit_test(no_audio_gives_silence_and_0_real_samples),
		cmocka_unit_test(audio_after_its_end_is_silence),
		cmocka_unit_test(prime_decodes_ahead_without_changing_the_picture),
		cmocka_unit_test(missing_truncated_and_non_media_files_fail_to_open),
		cmocka_unit_test(unreadable_file_fails_to_open),
		cmocka_unit_test(corrupt_second_half_ends_the_source_without_crashing),
		cmocka_unit_test(whole_files_play_to_their_end_without_error),
		cmocka_unit_test(bench_open_seek_and_decode),
	};

	const char *bench = getenv("RV_SRC_BENCH");
	size_t n = sizeof(tests) / sizeof(tests[0]);

	/* The timing run, last in the list, only when asked for. */
	if (bench == NULL || *bench == '\0')
		n--;
	return _cmocka_run_group_tests("tests", tests, n, make_media,
	    remove_media);
}
