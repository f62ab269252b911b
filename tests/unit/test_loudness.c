/*
 * Unit tests for lib/loudness on media generated here with the ffmpeg
 * command line: 1 kHz sines at known peak levels, whose EBU R128 reading
 * follows from BS.1770 (a sine of peak A in a channel of weight G adds
 * G * A^2 / 2 to the power; the K-filter's +0.691 dB at 1 kHz cancels
 * the formula's -0.691), and which must equal what
 * `ffmpeg -af ebur128 -f null -` prints for the same file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavutil/log.h>

#include "db.h"
#include "loudness.h"

#define TARGET	(-24.0)

static char dir[] = "/tmp/rvloudness.XXXXXX";

/* A 1 kHz sine at -23 dBFS peak, as an aevalsrc channel expression. */
#define SINE_23	"0.0707945784384138*sin(2*PI*1000*t)"
/* The same 10 dB louder: -13 dBFS peak. */
#define SINE_13	"0.223872113856834*sin(2*PI*1000*t)"

/* name, then the ffmpeg arguments that make it. */
static const char *const media[][2] = {
	{ "ref.flac", "-f lavfi -i 'aevalsrc=" SINE_23 "|" SINE_23
	    ":s=48000:d=10' -c:a flac" },
	{ "loud.wav", "-f lavfi -i 'aevalsrc=" SINE_13 "|" SINE_13
	    ":s=48000:d=10' -c:a pcm_s16le" },
	/* 44.1 kHz AAC: the meter's input is resampled to 48 kHz. */
	{ "mono.m4a", "-f lavfi -i 'aevalsrc=" SINE_23
	    ":s=44100:d=10' -c:a aac -b:a 128k" },
	{ "surround.mkv", "-f lavfi -i 'aevalsrc=" SINE_23 "|" SINE_23 "|"
	    SINE_23 "|" SINE_23 "|" SINE_23 "|" SINE_23
	    ":s=48000:d=10:c=5.1(side)' -c:a ac3 -b:a 448k" },
	{ "silent.wav", "-f lavfi -i anullsrc=r=48000:cl=stereo -t 5"
	    " -c:a pcm_s16le" },
	{ "video.mp4", "-f lavfi -i testsrc2=size=160x120:rate=25:duration=1"
	    " -c:v mpeg4" },
};

static int
make_media(void **state)
{
	char cmd[2048];
	size_t i;
	FILE *f;

	(void)state;
	av_log_set_level(AV_LOG_QUIET);
	if (mkdtemp(dir) == NULL)
		return -1;
	for (i = 0; i < sizeof(media) / sizeof(media[0]); i++) {
		snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -hide_banner "
		    "-loglevel error -y %s '%s/%s'", media[i][1], dir,
		    media[i][0]);
		if (system(cmd) != 0)
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "%s/notmedia.mkv", dir);
	if ((f = fopen(cmd, "w")) == NULL)
		return -1;
	fputs("not a media file\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

static int
remove_media(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
media_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static double
measure_ok(const char *name)
{
	char path[512];
	struct rv_err err;
	double lufs;

	if (rv_loudness_measure(media_path(path, sizeof(path), name), &lufs,
	    &err) != 0)
		fail_msg("%s", err.msg);
	return lufs;
}

/* The integrated loudness in the summary of ffmpeg's own ebur128. */
static double
ffmpeg_reading(const char *name)
{
	char cmd[1024], line[512];
	double v, found = NAN;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -hide_banner -nostats "
	    "-i '%s/%s' -af ebur128=framelog=verbose -f null - 2>&1", dir,
	    name);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("popen: %s", cmd);
	while (fgets(line, sizeof(line), p) != NULL)
		if (sscanf(line, " I: %lf LUFS", &v) == 1)
			found = v;
	pclose(p);
	if (isnan(found))
		fail_msg("no integrated loudness from: %s", cmd);
	return found;
}

/* BS.1770 for 1 kHz sines of one peak level in channels whose weights
 * add up to weights. */
static double
theory(double peak_dbfs, double weights)
{
	return peak_dbfs + 10.0 * log10(weights / 2.0);
}

/* The rule every figure obeys: ffmpeg's reading (printed to 0.1) within
 * 0.1 LU, the theory within 0.5 LU. */
static void
reads(const char *name, double peak_dbfs, double weights)
{
	double lufs = measure_ok(name);

	assert_float_equal(lufs, ffmpeg_reading(name), 0.1);
	assert_float_equal(lufs, theory(peak_dbfs, weights), 0.5);
}

static void
stereo_sine_at_minus_23_dbfs_reads_minus_23_lufs_as_ffmpeg_does(void **state)
{
	(void)state;
	reads("ref.flac", -23.0, 2.0);
}

static void
ten_db_louder_reads_ten_lu_louder(void **state)
{
	(void)state;
	reads("loud.wav", -13.0, 2.0);
	assert_float_equal(measure_ok("loud.wav") - measure_ok("ref.flac"),
	    10.0, 0.1);
}

static void
mono_at_44_1_khz_reads_3_lu_below_the_same_sine_in_stereo(void **state)
{
	(void)state;
	reads("mono.m4a", -23.0, 1.0);
}

static void
surround_51_weights_surrounds_1_41_and_ignores_lfe(void **state)
{
	(void)state;
	/* L, R, C at 1, Ls, Rs at 1.41, LFE at 0. */
	reads("surround.mkv", -23.0, 3.0 + 2 * 1.41);
}

static void
silence_reads_minus_70(void **state)
{
	(void)state;
	assert_float_equal(measure_ok("silent.wav"), RV_LOUDNESS_SILENT, 0);
	assert_float_equal(ffmpeg_reading("silent.wav"), -70.0, 0);
}

/* path must fail with a message containing want. */
static void
measure_fails(const char *name, const char *want)
{
	char path[512];
	struct rv_err err;
	double lufs;

	assert_int_equal(rv_loudness_measure(media_path(path, sizeof(path),
	    name), &lufs, &err), -1);
	if (strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
}

static void
video_only_file_is_an_error_naming_no_audio_stream(void **state)
{
	(void)state;
	measure_fails("video.mp4", "video.mp4: no audio stream");
}

static void
missing_and_non_media_files_are_errors_naming_the_file(void **state)
{
	(void)state;
	measure_fails("absent.flac", "absent.flac: cannot open: No such file");
	measure_fails("notmedia.mkv", "notmedia.mkv: cannot open");
}

static void
gain_brings_loudness_to_target_in_hundredths_of_a_db(void **state)
{
	(void)state;
	assert_float_equal(rv_loudness_gain(-30.0, -24.0), 6.00, 1e-12);
	assert_float_equal(rv_loudness_gain(-18.0, -24.0), -6.00, 1e-12);
	assert_float_equal(rv_loudness_gain(-23.456, -24.0), -0.54, 1e-12);
	assert_float_equal(rv_loudness_gain(-26.014, -24.0), 2.01, 1e-12);
	assert_float_equal(rv_loudness_gain(-23.0, -23.0), 0.0, 0);
	assert_false(signbit(rv_loudness_gain(-24.001, -24.0)));
}

static void
gain_is_clamped_to_plus_or_minus_60_db(void **state)
{
	(void)state;
	assert_float_equal(rv_loudness_gain(-90.0, -24.0), 60.0, 0);
	assert_float_equal(rv_loudness_gain(-84.0, -24.0), 60.0, 0);
	assert_float_equal(rv_loudness_gain(40.0, -24.0), -60.0, 0);
	assert_float_equal(rv_loudness_gain(-INFINITY, -24.0), 0.0, 0);
	assert_float_equal(rv_loudness_gain(NAN, -24.0), 0.0, 0);
}

/* ---- rv_loudness_run over a catalog ---- */

static int ndb;

static int
open_db(void **state)
{
	char path[512];
	struct rv_err err;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/catalog-%d.db", dir, ++ndb);
	if (rv_db_open(path, &db, &err) != 0) {
		print_error("%s\n", err.msg);
		return -1;
	}
	*state = db;
	return 0;
}

static int
close_db(void **state)
{
	rv_db_close(*state);
	return 0;
}

/* An asset whose file is name in the media folder; audio_codec NULL:
 * no audio stream. */
static void
add_asset(sqlite3 *db, const char *id, const char *state, const char *name,
    const char *audio_codec)
{
	char path[512];
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "INSERT INTO assets (id, kind, state,"
	    " title, path, duration_ms, source, added_ms, updated_ms,"
	    " audio_codec) VALUES (?1, 'movie', ?2, ?1, ?3, 10000, 'folder',"
	    " 0, 0, ?4)", -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, media_path(path, sizeof(path), name), -1,
	    SQLITE_TRANSIENT);
	if (audio_codec != NULL)
		sqlite3_bind_text(st, 4, audio_codec, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("%s: %s", id, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* The four sines, with audio, ready. */
static void
add_sines(sqlite3 *db)
{
	add_asset(db, "a-ref", "ready", "ref.flac", "flac");
	add_asset(db, "a-loud", "ready", "loud.wav", "pcm_s16le");
	add_asset(db, "a-mono", "ready", "mono.m4a", "aac");
	add_asset(db, "a-surround", "ready", "surround.mkv", "ac3");
}

struct stored {
	int	 has_lufs, has_gain;
	double	 lufs, gain;
};

static struct stored
stored(sqlite3 *db, const char *id)
{
	struct stored s;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT loudness_lufs, gain_db FROM assets"
	    " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s.has_lufs = sqlite3_column_type(st, 0) != SQLITE_NULL;
	s.lufs = sqlite3_column_double(st, 0);
	s.has_gain = sqlite3_column_type(st, 1) != SQLITE_NULL;
	s.gain = sqlite3_column_double(st, 1);
	sqlite3_finalize(st);
	return s;
}

/* id holds the loudness rv_loudness_measure gives its file, and the
 * gain to TARGET. */
static void
assert_measured(sqlite3 *db, const char *id, const char *name)
{
	struct stored s = stored(db, id);
	double lufs = measure_ok(name);

	assert_true(s.has_lufs);
	assert_float_equal(s.lufs, lufs, 1e-9);
	assert_true(s.has_gain);
	assert_float_equal(s.gain, rv_loudness_gain(lufs, TARGET), 1e-9);
}

static void
assert_untouched(sqlite3 *db, const char *id)
{
	struct stored s = stored(db, id);

	assert_false(s.has_lufs);
	assert_false(s.has_gain);
}

struct warnings {
	int	 n;
	char	 last[RV_ERR_MAX];
	volatile sig_atomic_t *stop;	/* set on the first warning */
};

static void
collect_warning(void *arg, const char *msg)
{
	struct warnings *w = arg;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
	if (w->stop != NULL)
		*w->stop = 1;
}

static void
run_ok(sqlite3 *db, int jobs, struct rv_loudness_stats *stats,
    struct warnings *w)
{
	struct rv_err err;

	if (rv_loudness_run(db, TARGET, jobs, NULL, collect_warning, w, stats,
	    &err) != 0)
		fail_msg("%s", err.msg);
}

static void
run_measures_every_ready_asset_with_audio_and_stores_its_gain(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct warnings w = { 0 };

	add_sines(db);
	add_asset(db, "a-video", "ready", "video.mp4", NULL);
	add_asset(db, "a-gone", "missing", "absent.flac", "flac");
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 4);
	assert_int_equal(stats.failed, 0);
	assert_int_equal(stats.skipped_silent, 0);
	assert_int_equal(w.n, 0);
	assert_measured(db, "a-ref", "ref.flac");
	assert_measured(db, "a-loud", "loud.wav");
	assert_measured(db, "a-mono", "mono.m4a");
	assert_measured(db, "a-surround", "surround.mkv");
	/* -23 LUFS to -24 is -1 dB; -13 to -24 is -11 dB. */
	assert_float_equal(stored(db, "a-ref").gain, -1.0, 0.05);
	assert_float_equal(stored(db, "a-loud").gain, -11.0, 0.05);
	assert_untouched(db, "a-video");
	assert_untouched(db, "a-gone");
}

static void
run_again_measures_nothing(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct warnings w = { 0 };

	add_sines(db);
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 4);
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 0);
	assert_int_equal(stats.failed, 0);
	assert_int_equal(stats.skipped_silent, 0);
	assert_measured(db, "a-ref", "ref.flac");
}

static void
run_stores_silence_as_minus_70_without_gain_and_skips_it_next_time(
    void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct warnings w = { 0 };
	struct stored s;

	add_asset(db, "a-silent", "ready", "silent.wav", "pcm_s16le");
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 0);
	assert_int_equal(stats.skipped_silent, 1);
	s = stored(db, "a-silent");
	assert_true(s.has_lufs);
	assert_float_equal(s.lufs, -70.0, 0);
	assert_false(s.has_gain);
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.skipped_silent, 0);
}

static void
run_counts_a_missing_file_as_failed_stores_the_others_and_retries_it(
    void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct warnings w = { 0 };

	add_sines(db);
	add_asset(db, "a-absent", "ready", "absent.flac", "flac");
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 4);
	assert_int_equal(stats.failed, 1);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.last, "absent.flac: cannot open"));
	assert_untouched(db, "a-absent");
	assert_measured(db, "a-surround", "surround.mkv");
	/* Nothing was recorded, so the next run tries it again. */
	run_ok(db, 2, &stats, &w);
	assert_int_equal(stats.measured, 0);
	assert_int_equal(stats.failed, 1);
	assert_int_equal(w.n, 2);
}

static void
run_stopped_before_it_starts_stores_nothing(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	volatile sig_atomic_t stop = 1;
	struct warnings w = { 0 };
	struct rv_err err;

	add_sines(db);
	assert_int_equal(rv_loudness_run(db, TARGET, 2, &stop,
	    collect_warning, &w, &stats, &err), -1);
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(stats.measured, 0);
	assert_untouched(db, "a-ref");
	assert_untouched(db, "a-surround");
}

static void
run_interrupted_midway_keeps_what_finished_and_resumes(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats first, second;
	volatile sig_atomic_t stop = 0;
	struct warnings w = { 0 };
	struct rv_err err;

	/* Measured first (path order), it fails at once; its warning
	 * stops the run while the sines are being decoded. */
	add_asset(db, "a-absent", "ready", "0-absent.flac", "flac");
	add_sines(db);
	w.stop = &stop;
	assert_int_equal(rv_loudness_run(db, TARGET, 1, &stop,
	    collect_warning, &w, &first, &err), -1);
	assert_non_null(strstr(err.msg, "interrupted"));
	assert_int_equal(first.failed, 1);
	assert_true(first.measured < 4);

	w.stop = NULL;
	run_ok(db, 2, &second, &w);
	assert_int_equal(first.measured + second.measured, 4);
	assert_int_equal(second.failed, 1);
	assert_measured(db, "a-ref", "ref.flac");
	assert_measured(db, "a-loud", "loud.wav");
	assert_measured(db, "a-mono", "mono.m4a");
	assert_measured(db, "a-surround", "surround.mkv");
}

static void
run_with_zero_jobs_uses_one_thread_per_cpu(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct warnings w = { 0 };

	add_sines(db);
	run_ok(db, 0, &stats, &w);
	assert_int_equal(stats.measured, 4);
	assert_measured(db, "a-mono", "mono.m4a");
}

static void
run_refuses_a_negative_job_count(void **state)
{
	sqlite3 *db = *state;
	struct rv_loudness_stats stats;
	struct rv_err err;

	add_sines(db);
	assert_int_equal(rv_loudness_run(db, TARGET, -1, NULL, NULL, NULL,
	    &stats, &err), -1);
	assert_non_null(strstr(err.msg, "jobs"));
	assert_untouched(db, "a-ref");
}

#define DB_TEST(f)	cmocka_unit_test_setup_teardown(f, open_db, close_db)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    stereo_sine_at_minus_23_dbfs_reads_minus_23_lufs_as_ffmpeg_does),
		cmocka_unit_test(ten_db_louder_reads_ten_lu_louder),
		cmocka_unit_test(
		    mono_at_44_1_khz_reads_3_lu_below_the_same_sine_in_stereo),
		cmocka_unit_test(
		    surround_51_weights_surrounds_1_41_and_ignores_lfe),
		cmocka_unit_test(silence_reads_minus_70),
		cmocka_unit_test(
		    video_only_file_is_an_error_naming_no_audio_stream),
		cmocka_unit_test(
		    missing_and_non_media_files_are_errors_naming_the_file),
		cmocka_unit_test(
		    gain_brings_loudness_to_target_in_hundredths_of_a_db),
		cmocka_unit_test(gain_is_clamped_to_plus_or_minus_60_db),
		DB_TEST(
		    run_measures_every_ready_asset_with_audio_and_stores_its_gain),
		DB_TEST(run_again_measures_nothing),
		DB_TEST(
		    run_stores_silence_as_minus_70_without_gain_and_skips_it_next_time),
		DB_TEST(
		    run_counts_a_missing_file_as_failed_stores_the_others_and_retries_it),
		DB_TEST(run_stopped_before_it_starts_stores_nothing),
		DB_TEST(run_interrupted_midway_keeps_what_finished_and_resumes),
		DB_TEST(run_with_zero_jobs_uses_one_thread_per_cpu),
		DB_TEST(run_refuses_a_negative_job_count),
	};

	return cmocka_run_group_tests(tests, make_media, remove_media);
}
