/*
 * Unit tests for lib/channel: rv_channel_load, the channel file model and
 * struct rv_diags (every problem of a file, located as FILE:LINE:COL, in
 * one run; unknown keys as warnings).
 *
 * Channel files are written to a mkdtemp folder that teardown removes; the
 * 13 real channel files are read from $RV_TOP/tests/channels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "channel.h"

static struct {
	char			 dir[256];
	char			*files[16];
	int			 nfiles;
	struct rv_channel	*c;
	struct rv_diags		 d;
} fx;

static const struct rv_channel_defaults defaults = { "UTC", 360 };

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "%s/rv-test-channel.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(fx.dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	rv_channel_free(fx.c);
	rv_diags_free(&fx.d);
	for (i = 0; i < fx.nfiles; i++) {
		unlink(fx.files[i]);
		free(fx.files[i]);
	}
	rmdir(fx.dir);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The path of a new file in the test's folder (kept until teardown). */
static const char *
write_file(const char *name, const char *text)
{
	char *path;
	FILE *f;

	assert_true(fx.nfiles < 16);
	if (asprintf(&path, "%s/%s", fx.dir, name) < 0)
		fail_msg("out of memory");
	fx.files[fx.nfiles++] = path;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
print_diags(const struct rv_diags *d)
{
	int i;

	for (i = 0; i < d->nerrors; i++)
		print_message("error: %s\n", d->errors[i]);
	for (i = 0; i < d->nwarnings; i++)
		print_message("warning: %s\n", d->warnings[i]);
}

/* Load a file that must load; warnings are left in fx.d. */
static struct rv_channel *
load_ok(const char *name, const char *yaml)
{
	const char *path = write_file(name, yaml);

	rv_channel_free(fx.c);
	fx.c = NULL;
	rv_diags_free(&fx.d);
	if (rv_channel_load(path, &defaults, &fx.c, &fx.d) < 0) {
		print_diags(&fx.d);
		fail_msg("%s did not load", name);
	}
	assert_non_null(fx.c);
	assert_int_equal(fx.d.nerrors, 0);
	return fx.c;
}

/* Load a file that must fail; its errors are in fx.d. */
static void
load_bad(const char *name, const char *yaml)
{
	const char *path = write_file(name, yaml);

	rv_channel_free(fx.c);
	fx.c = NULL;
	rv_diags_free(&fx.d);
	assert_int_equal(rv_channel_load(path, &defaults, &fx.c, &fx.d), -1);
	assert_null(fx.c);
	assert_true(fx.d.nerrors > 0);
}

/* fx.d holds exactly one error, "<dir>/<name>:<where>: <what>". */
static void
assert_one_error(const char *name, const char *where, const char *what)
{
	char want[2048];

	snprintf(want, sizeof(want), "%s/%s:%s: %s", fx.dir, name, where, what);
	if (fx.d.nerrors != 1 || strcmp(fx.d.errors[0], want) != 0) {
		print_diags(&fx.d);
		fail_msg("expected the one error \"%s\"", want);
	}
}

/* A channel file around one schedule entry (its first line is line 8). */
#define HEAD \
    "channel: test-ch\n" \
    "timezone: UTC\n" \
    "pools:\n" \
    "  a: {match: {type: episode, series_title: Alpha}}\n" \
    "  b: {match: {type: episode, series_title: Beta}}\n" \
    "schedule:\n" \
    "  all_day:\n"

/* ---------------------------------------------------------------------- */

static void
the_13_real_channel_files_load_without_errors(void **state)
{
	static const struct {
		const char *file;
		int number;
		int pools;
	} real[] = {
		{ "babylon-5-tv", 13, 1 }, { "cheers-24-7", 2, 1 },
		{ "chicago-dispatch", 5, 3 }, { "galactica-command", 12, 2 },
		{ "hbo-classics", 6, 1 }, { "late-night-legal", 14, 1 },
		{ "nightmare-theater", 4, 3 }, { "retro-prime", 3, 4 },
		{ "saturday-supercade", 9, 6 }, { "showtime-cinema", 7, 1 },
		{ "soap-opera", 10, 1 }, { "the-precinct", 11, 1 },
		{ "trek-tv", 8, 1 },
	};
	const char *top = getenv("RV_TOP");
	struct rv_channel *c;
	char path[4096];
	size_t i;
	int j;

	(void)state;
	if (top == NULL || *top == 0)
		top = ".";
	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		snprintf(path, sizeof(path), "%s/tests/channels/%s.yaml", top,
		    real[i].file);
		c = NULL;
		rv_diags_free(&fx.d);
		if (rv_channel_load(path, &defaults, &c, &fx.d) < 0) {
			print_diags(&fx.d);
			fail_msg("%s did not load", path);
		}
		for (j = 0; j < fx.d.nwarnings; j++)
			print_message("# %s: warning: %s\n", real[i].file,
			    fx.d.warnings[j]);
		fx.c = c;
		assert_int_equal(fx.d.nerrors, 0);
		assert_string_equal(c->id, real[i].file);
		assert_int_equal(c->number, real[i].number);
		assert_int_equal(c->npools, real[i].pools);
		assert_string_equal(c->timezone, "America/New_York");
		assert_int_equal(c->grid_minutes, 30);
		assert_int_equal(c->day_start_min, 360);
		assert_string_equal(c->filler_path,
		    "/opt/retrovue/assets/filler.mp4");
		assert_int_equal(c->filler_ms, 3650000);
		assert_true(c->layers[0].present);
		assert_true(c->layers[0].n >= 1);
		assert_non_null(c->notes);
		rv_channel_free(c);
		fx.c = NULL;
	}
}

static void
real_channel_files_carry_their_format_traffic_and_windows(void **state)
{
	const char *top = getenv("RV_TOP");
	struct rv_channel *c;
	struct rv_entry *e;
	char path[4096];

	(void)state;
	if (top == NULL || *top == 0)
		top = ".";
	snprintf(path, sizeof(path), "%s/tests/channels/hbo-classics.yaml",
	    top);
	assert_int_equal(rv_channel_load(path, &defaults, &c, &fx.d), 0);
	fx.c = c;
	assert_string_equal(c->name, "HBO");
	assert_string_equal(c->type, "movie");
	assert_int_equal(c->width, 1280);
	assert_int_equal(c->height, 720);
	assert_int_equal(c->frame_rate.num, 30000);
	assert_int_equal(c->frame_rate.den, 1001);
	assert_int_equal(c->sample_rate, 48000);
	assert_int_equal(c->audio_channels, 2);
	/* traffic: allowed_types [promo], 7200 s, 3 plays a day */
	assert_int_equal(c->traffic.allowed, 1 << 1);
	assert_int_equal(c->traffic.default_cooldown_ms, 7200000);
	assert_int_equal(c->traffic.max_plays_per_day, 3);
	/* Three marathons 06–14, 14–22, 22–06, with bleed, max 10800 s. */
	assert_int_equal(c->layers[RV_LAYER_ALL_DAY].n, 3);
	e = &c->layers[RV_LAYER_ALL_DAY].entries[2];
	assert_int_equal(e->kind, RV_ENTRY_MARATHON);
	assert_int_equal(e->start_min, 22 * 60);
	assert_int_equal(e->end_min, 6 * 60);
	assert_true(e->allow_bleed);
	assert_int_equal(e->movie.max_duration_ms, 10800000);
	assert_int_equal(e->movie.cooldown_days, 1);
	assert_string_equal(e->title, "HBO Late Night");
	assert_string_equal(e->key, "all_day[2]");
	assert_int_equal(e->at->line, 43);
	assert_int_equal(e->at->col, 7);
}

/* --- errors ----------------------------------------------------------- */

static void
unknown_pool_is_an_error_with_place_and_name(void **state)
{
	(void)state;
	load_bad("pool.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: 24h, pool: [a, nosuch]}\n");
	assert_one_error("pool.yaml", "8:56", "unknown pool (nosuch)");
}

static void
unparseable_time_is_an_error_with_place_and_value(void **state)
{
	(void)state;
	load_bad("t1.yaml", HEAD
	    "    - block: {start: \"25:00\", duration: 1h, pool: a}\n");
	assert_one_error("t1.yaml", "8:22", "not a time of day HH:MM (25:00)");
	load_bad("t2.yaml", HEAD
	    "    - block:\n"
	    "        start: 6pm\n"
	    "        duration: 1h\n"
	    "        pool: a\n");
	assert_one_error("t2.yaml", "9:16", "not a time of day HH:MM (6pm)");
}

static void
unparseable_duration_is_an_error_with_place_and_value(void **state)
{
	(void)state;
	load_bad("d1.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: 1.5x, pool: a}\n");
	assert_int_equal(fx.d.nerrors, 1);
	assert_non_null(strstr(fx.d.errors[0], "/d1.yaml:8:41: "));
	assert_non_null(strstr(fx.d.errors[0], "1.5x"));
	load_bad("d2.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: \"-3h\", pool: a}\n");
	assert_int_equal(fx.d.nerrors, 1);
	assert_non_null(strstr(fx.d.errors[0], "/d2.yaml:8:41: "));
	assert_non_null(strstr(fx.d.errors[0], "-3h"));
}

static void
unknown_zone_is_an_error_with_place_and_value(void **state)
{
	(void)state;
	load_bad("zone.yaml",
	    "channel: test-ch\n"
	    "timezone: Mars/Olympus_Mons\n"
	    "schedule: {}\n");
	assert_one_error("zone.yaml", "2:11",
	    "unknown time zone (Mars/Olympus_Mons)");
}

static void
unknown_template_in_use_is_an_error_with_place_and_name(void **state)
{
	(void)state;
	load_bad("use.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {type: episode}}\n"
	    "templates:\n"
	    "  evening:\n"
	    "    - block: {start: \"20:00\", end: \"22:00\", pool: a}\n"
	    "schedule:\n"
	    "  friday: {use: evening}\n"
	    "  saturday: {use: evnig}\n");
	assert_one_error("use.yaml", "10:19", "unknown template (evnig)");
}

static void
template_in_use_gives_its_entries_to_the_layer(void **state)
{
	struct rv_channel *c;
	struct rv_layer *l;

	(void)state;
	c = load_ok("use.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {type: episode}}\n"
	    "templates:\n"
	    "  evening:\n"
	    "    - block: {start: \"20:00\", end: \"22:00\", pool: a}\n"
	    "schedule:\n"
	    "  friday: {use: evening}\n");
	l = &c->layers[RV_LAYER_MONDAY + 4];
	assert_true(l->present);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->entries[0].start_min, 20 * 60);
	assert_int_equal(l->entries[0].end_min, 22 * 60);
	assert_false(c->layers[RV_LAYER_MONDAY + 5].present);
}

static void
bad_mode_is_an_error_with_place_and_value(void **state)
{
	(void)state;
	load_bad("mode.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: 24h, pool: a, mode: "
	    "zigzag}\n");
	assert_one_error("mode.yaml", "8:61", "unknown mode (zigzag): expected "
	    "sequential, shuffle or random");
}

static void
two_entries_of_one_layer_with_the_same_start_are_an_error(void **state)
{
	(void)state;
	load_bad("dup.yaml", HEAD
	    "    - block: {start: \"06:00\", end: \"12:00\", pool: a}\n"
	    "    - block: {start: \"18:00\", end: \"06:00\", pool: b}\n"
	    "    - block: {start: \"06:00\", end: \"18:00\", pool: b}\n");
	/* Reported at the second 06:00 entry, line 10. */
	assert_one_error("dup.yaml", "10:7", "two entries of all_day start at "
	    "06:00");
}

static void
channel_id_with_upper_case_letters_is_an_error(void **state)
{
	(void)state;
	load_bad("upper.yaml",
	    "channel: Cheers-24-7\n"
	    "timezone: UTC\n"
	    "schedule: {}\n");
	assert_one_error("upper.yaml", "1:10", "a channel id is 1 to 64 "
	    "lower-case letters, digits and _ . : -, not starting with . or - "
	    "(Cheers-24-7)");
}

/* An id names a folder under the run folder and is a program's
 * argument: "..", ".hidden" and "-x" are no ids. */
static void
channel_id_of_dots_or_a_dash_is_an_error(void **state)
{
	static const char *const bad[] = { "..", ".", ".x", "-x", "--help" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(rv_channel_id_ok(bad[i]));
	assert_false(rv_channel_id_ok(""));
	assert_false(rv_channel_id_ok("a/b"));
	assert_false(rv_channel_id_ok("x;y"));
	assert_false(rv_channel_id_ok("metrics"));
	assert_false(rv_channel_id_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_true(rv_channel_id_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_true(rv_channel_id_ok("cheers-24-7"));
	assert_true(rv_channel_id_ok("a.b:c_d-e"));
	load_bad("dots.yaml",
	    "channel: \"..\"\n"
	    "timezone: UTC\n"
	    "schedule: {}\n");
	assert_one_error("dots.yaml", "1:10", "a channel id is 1 to 64 "
	    "lower-case letters, digits and _ . : -, not starting with . or - "
	    "(..)");
}

/*
 * BUG (lib/channel.c, rv_channel_load): "grid_minutes must divide a day"
 * is located at the `format:` map when there is one, else at the top of
 * the file (1:1), never at the grid_minutes value that is wrong.  A
 * top-level `grid_minutes: 7` in a file that also has `format:` is
 * reported at the format map, which does not hold it.
 */
static void
grid_minutes_that_does_not_divide_a_day_is_an_error_at_its_value(
    void **state)
{
	(void)state;
	load_bad("g1.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "format:\n"
	    "  video: {width: 1280, height: 720}\n"
	    "  grid_minutes: 7\n"
	    "schedule: {}\n");
	assert_one_error("g1.yaml", "5:17", "grid_minutes must divide a day "
	    "(7)");
	load_bad("g2.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "grid_minutes: 7\n"
	    "format:\n"
	    "  video: {width: 1280, height: 720}\n"
	    "schedule: {}\n");
	assert_one_error("g2.yaml", "3:15", "grid_minutes must divide a day "
	    "(7)");
}

static void
odd_width_is_an_error_with_place_and_value(void **state)
{
	(void)state;
	load_bad("width.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "format:\n"
	    "  video: {width: 969, height: 720}\n"
	    "schedule: {}\n");
	assert_one_error("width.yaml", "4:18", "width must be even (969)");
}

static void
encoder_settings_of_a_channel_are_read_and_checked(void **state)
{
	struct rv_channel *c;

	(void)state;
	c = load_ok("enc.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "format:\n"
	    "  video: {width: 640, height: 360, preset: superfast,"
	    " bitrate_kbps: 1200}\n"
	    "  audio: {bitrate_kbps: 96}\n"
	    "schedule: {}\n");
	assert_string_equal(c->preset, "superfast");
	assert_int_equal(c->video_kbps, 1200);
	assert_int_equal(c->audio_kbps, 96);
	/* None given: the configuration's defaults apply. */
	c = load_ok("noenc.yaml", "channel: test-ch\ntimezone: UTC\n"
	    "schedule: {}\n");
	assert_null(c->preset);
	assert_int_equal(c->video_kbps, 0);
	assert_int_equal(c->audio_kbps, 0);
	load_bad("preset.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "format:\n"
	    "  video: {preset: quick}\n"
	    "schedule: {}\n");
	assert_one_error("preset.yaml", "4:19", "expected a libx264 preset: "
	    "ultrafast, superfast, veryfast, faster, fast, medium, slow, "
	    "slower or veryslow (quick)");
	load_bad("kbps.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "format:\n"
	    "  audio: {bitrate_kbps: 8}\n"
	    "schedule: {}\n");
	assert_int_equal(fx.d.nerrors, 1);
	assert_non_null(strstr(fx.d.errors[0], "kbps.yaml:4:"));
	assert_non_null(strstr(fx.d.errors[0], "(8)"));
}

static void
every_problem_of_a_file_is_reported_in_one_run(void **state)
{
	char want[2048];

	(void)state;
	load_bad("three.yaml", HEAD
	    "    - block: {start: \"25:00\", duration: 1h, pool: a}\n"
	    "    - block: {start: \"12:00\", duration: 1h, pool: nosuch}\n"
	    "    - block: {start: \"18:00\", duration: 1h, pool: b, mode: "
	    "often}\n");
	if (fx.d.nerrors != 3)
		print_diags(&fx.d);
	assert_int_equal(fx.d.nerrors, 3);
	snprintf(want, sizeof(want), "%s/three.yaml:8:22: not a time of day "
	    "HH:MM (25:00)", fx.dir);
	assert_string_equal(fx.d.errors[0], want);
	snprintf(want, sizeof(want), "%s/three.yaml:9:51: unknown pool "
	    "(nosuch)", fx.dir);
	assert_string_equal(fx.d.errors[1], want);
	snprintf(want, sizeof(want), "%s/three.yaml:10:60: unknown mode "
	    "(often): expected sequential, shuffle or random", fx.dir);
	assert_string_equal(fx.d.errors[2], want);
}

/* --- warnings and the model ------------------------------------------- */

static void
unknown_keys_are_warnings_with_their_place(void **state)
{
	char want[2048];

	(void)state;
	load_ok("keys.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "colour: red\n"
	    "pools:\n"
	    "  a: {match: {type: episode}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 24h, pool: a, titel: "
	    "X}\n"
	    "  weeknights:\n"
	    "    - block: {start: \"20:00\", duration: 1h, pool: a}\n");
	assert_int_equal(fx.d.nwarnings, 3);
	snprintf(want, sizeof(want), "%s/keys.yaml:3:1: unknown key 'colour'",
	    fx.dir);
	assert_string_equal(fx.d.warnings[0], want);
	snprintf(want, sizeof(want), "%s/keys.yaml:8:55: unknown key 'titel' "
	    "(did you mean 'title'?)", fx.dir);
	assert_string_equal(fx.d.warnings[1], want);
	/* A legacy layer name is not a layer: warned about, ignored. */
	snprintf(want, sizeof(want), "%s/keys.yaml:9:3: 'weeknights' is not a "
	    "day layer", fx.dir);
	assert_int_equal(strncmp(fx.d.warnings[2], want, strlen(want)), 0);
	assert_int_equal(fx.c->layers[RV_LAYER_ALL_DAY].n, 1);
}

static void
weighted_mode_is_random_with_a_warning(void **state)
{
	char want[2048];

	(void)state;
	load_ok("weighted.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: 24h, pool: a, mode: "
	    "weighted}\n");
	assert_int_equal(fx.c->layers[RV_LAYER_ALL_DAY].entries[0].mode,
	    RV_MODE_RANDOM);
	assert_int_equal(fx.d.nwarnings, 1);
	snprintf(want, sizeof(want), "%s/weighted.yaml:8:61: mode 'weighted' "
	    "has no weights; it is 'random'", fx.dir);
	assert_string_equal(fx.d.warnings[0], want);
}

static void
durations_parse_into_entry_duration_ms(void **state)
{
	struct rv_channel *c;
	struct rv_layer *l;

	(void)state;
	c = load_ok("dur.yaml", HEAD
	    "    - block: {start: \"06:00\", duration: 1.5h, pool: a}\n"
	    "    - block: {start: \"08:00\", duration: 90m, pool: a}\n"
	    "    - block: {start: \"10:00\", duration: 2h 15m, pool: a}\n"
	    "    - block: {start: \"14:00\", duration: \"24h\", pool: a}\n"
	    "    - block: {start: \"18:00\", end: \"20:30\", pool: a}\n");
	l = &c->layers[RV_LAYER_ALL_DAY];
	assert_int_equal(l->n, 5);
	assert_int_equal(l->entries[0].duration_ms, 5400000);
	assert_int_equal(l->entries[1].duration_ms, 5400000);
	assert_int_equal(l->entries[2].duration_ms, 8100000);
	assert_int_equal(l->entries[3].duration_ms, 86400000);
	assert_int_equal(l->entries[4].duration_ms, -1);
	assert_int_equal(l->entries[4].end_min, 20 * 60 + 30);
	assert_int_equal(l->entries[0].end_min, -1);
}

static void
include_of_defaults_filler_gives_filler_path_and_ms(void **state)
{
	struct rv_channel *c;

	(void)state;
	write_file("_defaults.yaml",
	    "filler:\n"
	    "  path: /opt/retrovue/assets/filler.mp4\n"
	    "  duration_ms: 3650000\n"
	    "format:\n"
	    "  grid_minutes: 30\n");
	c = load_ok("inc.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "filler: !include _defaults.yaml:filler\n"
	    "schedule: {}\n");
	assert_string_equal(c->filler_path, "/opt/retrovue/assets/filler.mp4");
	assert_int_equal(c->filler_ms, 3650000);
	assert_null(c->filler_title);
	assert_int_equal(fx.d.nwarnings, 0);
}

static void
grid_comes_from_format_then_top_level_then_template_then_30(void **state)
{
	(void)state;
	assert_int_equal(load_ok("g1.yaml",
	    "channel: test-ch\n"
	    "template: premium_movie\n"
	    "schedule: {}\n")->grid_minutes, 15);
	assert_int_equal(load_ok("g2.yaml",
	    "channel: test-ch\n"
	    "template: premium_movie\n"
	    "grid_minutes: 60\n"
	    "schedule: {}\n")->grid_minutes, 60);
	assert_int_equal(load_ok("g3.yaml",
	    "channel: test-ch\n"
	    "grid_minutes: 60\n"
	    "format: {grid_minutes: 10}\n"
	    "schedule: {}\n")->grid_minutes, 10);
	assert_int_equal(load_ok("g4.yaml",
	    "channel: test-ch\n"
	    "template: network_television\n"
	    "schedule: {}\n")->grid_minutes, 30);
	assert_int_equal(load_ok("g5.yaml",
	    "channel: test-ch\n"
	    "schedule: {}\n")->grid_minutes, 30);
}

static void
dsl_flavour_without_channel_number_loads_with_number_0(void **state)
{
	struct rv_channel *c;
	struct rv_entry *e;

	(void)state;
	c = load_ok("dsl.yaml",
	    "channel: retro-prime\n"
	    "timezone: America/New_York\n"
	    "grid_minutes: 30\n"
	    "broadcast_day: \"2026-01-01\"\n"
	    "notes:\n"
	    "  vibe: \"Classic TV rotation\"\n"
	    "pools:\n"
	    "  cheers: {match: {type: episode, series_title: Cheers}}\n"
	    "  cosby: {match: {type: episode, series_title: The Cosby Show}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"06:00\"\n"
	    "        title: Retro Prime\n"
	    "        pool: [cosby, cheers]\n"
	    "        mode: shuffle\n");
	assert_int_equal(fx.d.nwarnings, 0);
	assert_int_equal(c->number, 0);
	assert_string_equal(c->id, "retro-prime");
	assert_string_equal(c->name, "retro-prime");
	assert_string_equal(c->type, "network");
	assert_string_equal(c->timezone, "America/New_York");
	assert_null(c->filler_path);
	assert_string_equal(json_string_value(json_object_get(c->notes,
	    "vibe")), "Classic TV rotation");
	e = &c->layers[RV_LAYER_ALL_DAY].entries[0];
	assert_int_equal(e->kind, RV_ENTRY_BLOCK);
	assert_int_equal(e->mode, RV_MODE_SHUFFLE);
	assert_int_equal(e->npools, 2);
	assert_int_equal(e->pools[0], rv_channel_pool_index(c, "cosby"));
	assert_int_equal(e->pools[1], rv_channel_pool_index(c, "cheers"));
	assert_int_equal(e->start_min, 360);
	assert_int_equal(e->end_min, 360);
}

static void
missing_zone_and_day_start_come_from_the_defaults(void **state)
{
	struct rv_channel_defaults def = { "Europe/London", 300 };
	const char *path;
	struct rv_channel *c;

	(void)state;
	path = write_file("nozone.yaml", "channel: test-ch\nschedule: {}\n");
	assert_int_equal(rv_channel_load(path, &def, &c, &fx.d), 0);
	fx.c = c;
	assert_string_equal(c->timezone, "Europe/London");
	assert_int_equal(c->day_start_min, 300);
}

static void
entries_of_a_layer_come_sorted_by_start_with_their_kind(void **state)
{
	struct rv_channel *c;
	struct rv_layer *l;

	(void)state;
	c = load_ok("kinds.yaml",
	    "channel: test-ch\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {type: episode}}\n"
	    "  m: {match: {type: movie}}\n"
	    "schedule:\n"
	    "  saturday:\n"
	    "    - start: \"20:00\"\n"
	    "      slots:\n"
	    "        - {title: One, episode_selector: {pool: a}}\n"
	    "        - {program: asset.cheers.s01e01}\n"
	    "    - movie_marathon:\n"
	    "        start: \"09:00\"\n"
	    "        end: \"14:00\"\n"
	    "        movie_selector: {pool: m, rating: {include: [PG]}, "
	    "min_cooldown_days: 3}\n"
	    "    - start: \"22:00\"\n"
	    "      movie_selector: {pool: m}\n"
	    "    - block: {start: \"00:00\", end: \"06:00\", pool: a}\n");
	l = &c->layers[RV_LAYER_MONDAY + 5];
	assert_int_equal(l->n, 4);
	assert_int_equal(l->entries[0].kind, RV_ENTRY_BLOCK);
	assert_int_equal(l->entries[0].start_min, 0);
	assert_string_equal(l->entries[0].key, "saturday[3]");
	assert_int_equal(l->entries[1].kind, RV_ENTRY_MARATHON);
	assert_int_equal(l->entries[1].movie.cooldown_days, 3);
	assert_int_equal(l->entries[1].movie.rating_include.n, 1);
	assert_false(l->entries[1].allow_bleed);
	assert_int_equal(l->entries[2].kind, RV_ENTRY_SLOTS);
	assert_int_equal(l->entries[2].nslots, 2);
	assert_int_equal(l->entries[2].slots[0].pool, 0);
	assert_string_equal(l->entries[2].slots[1].program,
	    "asset.cheers.s01e01");
	assert_int_equal(l->entries[2].slots[1].pool, -1);
	assert_int_equal(l->entries[3].kind, RV_ENTRY_MOVIE);
	assert_int_equal(l->entries[3].start_min, 22 * 60);
	assert_false(c->layers[RV_LAYER_ALL_DAY].present);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(the_13_real_channel_files_load_without_errors),
		TEST(real_channel_files_carry_their_format_traffic_and_windows),
		TEST(unknown_pool_is_an_error_with_place_and_name),
		TEST(unparseable_time_is_an_error_with_place_and_value),
		TEST(unparseable_duration_is_an_error_with_place_and_value),
		TEST(unknown_zone_is_an_error_with_place_and_value),
		TEST(unknown_template_in_use_is_an_error_with_place_and_name),
		TEST(template_in_use_gives_its_entries_to_the_layer),
		TEST(bad_mode_is_an_error_with_place_and_value),
		TEST(two_entries_of_one_layer_with_the_same_start_are_an_error),
		TEST(channel_id_with_upper_case_letters_is_an_error),
		TEST(channel_id_of_dots_or_a_dash_is_an_error),
		TEST(grid_minutes_that_does_not_divide_a_day_is_an_error_at_its_value),
		TEST(odd_width_is_an_error_with_place_and_value),
		TEST(encoder_settings_of_a_channel_are_read_and_checked),
		TEST(every_problem_of_a_file_is_reported_in_one_run),
		TEST(unknown_keys_are_warnings_with_their_place),
		TEST(weighted_mode_is_random_with_a_warning),
		TEST(durations_parse_into_entry_duration_ms),
		TEST(include_of_defaults_filler_gives_filler_path_and_ms),
		TEST(grid_comes_from_format_then_top_level_then_template_then_30),
		TEST(dsl_flavour_without_channel_number_loads_with_number_0),
		TEST(missing_zone_and_day_start_come_from_the_defaults),
		TEST(entries_of_a_layer_come_sorted_by_start_with_their_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
