/* Unit tests for lib/clock: instants, durations, rates, frame arithmetic,
 * the virtual clock (DESIGN.md §4). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"

#define HOUR	((int64_t)RV_MS_PER_HOUR)
#define DAY	RV_MS_PER_DAY

static const struct rv_rate r24 = { 24, 1 }, r25 = { 25, 1 },
    r30 = { 30, 1 }, r50 = { 50, 1 }, r60 = { 60, 1 },
    r23_976 = { 24000, 1001 }, r29_97 = { 30000, 1001 },
    r59_94 = { 60000, 1001 };

/* assert_int_equal prints unsigned hex; times read better signed. */
static void
check_i64(int64_t got, int64_t want, const char *expr, const char *file,
    int line)
{
	if (got == want)
		return;
	print_error("%s is %lld, want %lld\n", expr, (long long)got,
	    (long long)want);
	_fail(file, line);
}

#define assert_i64(got, want) \
	check_i64((got), (want), #got, __FILE__, __LINE__)

static void
assert_err_names(const struct rv_err *err, const char *value)
{
	if (strstr(err->msg, value) != NULL)
		return;
	print_error("message \"%s\" does not name \"%s\"\n", err->msg, value);
	fail();
}

/* A fixed pseudo-random sequence, so that failures reproduce. */
static uint64_t
next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 11;
}

/* Calendar */

static void
days_from_civil_matches_known_dates(void **state)
{
	(void)state;
	assert_i64(rv_days_from_civil(1970, 1, 1), 0);
	assert_i64(rv_days_from_civil(1969, 12, 31), -1);
	assert_i64(rv_days_from_civil(2000, 1, 1), 10957);
	assert_i64(rv_days_from_civil(2000, 3, 1), 11017);	/* after 29 Feb */
	assert_i64(rv_days_from_civil(1600, 1, 1), -135140);
}

static void
days_and_civil_round_trip_over_five_thousand_years(void **state)
{
	int64_t days, year, prev_year = 0;
	int mon, day, prev_mon = 0, prev_day = 0;

	(void)state;
	for (days = -1000000; days <= 1000000; days++) {
		rv_civil_from_days(days, &year, &mon, &day);
		assert_i64(rv_days_from_civil(year, mon, day), days);
		assert_true(day >= 1 && day <= rv_days_in_month(year, mon));
		if (days > -1000000 && day != 1)
			assert_true(year == prev_year && mon == prev_mon &&
			    day == prev_day + 1);
		prev_year = year;
		prev_mon = mon;
		prev_day = day;
	}
}

static void
leap_years_follow_the_gregorian_rule(void **state)
{
	(void)state;
	assert_true(rv_is_leap_year(2024));
	assert_true(rv_is_leap_year(2000));
	assert_false(rv_is_leap_year(2100));
	assert_false(rv_is_leap_year(2025));
	assert_int_equal(rv_days_in_month(2024, 2), 29);
	assert_int_equal(rv_days_in_month(2100, 2), 28);
	assert_int_equal(rv_days_in_month(2025, 13), 0);
}

static void
floor_div_rounds_towards_minus_infinity(void **state)
{
	(void)state;
	assert_i64(rv_floor_div(7, 2), 3);
	assert_i64(rv_floor_div(-7, 2), -4);
	assert_i64(rv_floor_div(-8, 2), -4);
	assert_i64(rv_floor_mod(-7, 2), 1);
	assert_i64(rv_floor_mod(-1, 1000), 999);
}

/* Rates */

static void
rate_parses_fractions_integers_and_customary_decimals(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 num, den;
	} cases[] = {
		{ "30000/1001", 30000, 1001 },
		{ "25/1", 25, 1 },
		{ "25", 25, 1 },
		{ "23.976", 24000, 1001 },
		{ "29.97", 30000, 1001 },
		{ "59.94", 60000, 1001 },
		{ "60000/1001", 60000, 1001 },
		{ "1000000/1", 1000000, 1 },
		{ "50/2", 25, 1 },		/* reduced to lowest terms */
	};
	struct rv_rate r;
	struct rv_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(rv_rate_parse(cases[i].s, &r, &err), 0);
		assert_i64(r.num, cases[i].num);
		assert_i64(r.den, cases[i].den);
	}
}

static void
rate_rejects_zero_negative_garbage_and_huge_naming_the_value(void **state)
{
	static const char *bad[] = {
		"0", "0/1", "25/0", "-25", "-30000/1001", "abc", "", "25/",
		"/1", "25.0", "29.970", "23.98", "30000/1001x", " 25", "25 ",
		"1000001", "30000/1000001", "99999999999999999999999/1",
		"25/1/1",
	};
	struct rv_rate r;
	struct rv_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(rv_rate_parse(bad[i], &r, &err), -1);
		assert_err_names(&err, bad[i]);
	}
}

static void
rate_formats_as_num_slash_den(void **state)
{
	char buf[RV_RATE_STR];

	(void)state;
	assert_string_equal(rv_rate_format(r29_97, buf, sizeof(buf)),
	    "30000/1001");
	assert_string_equal(rv_rate_format(r25, buf, sizeof(buf)), "25/1");
}

/* Fences */

static void
fence_of_30s_block_at_30fps_is_900(void **state)
{
	(void)state;
	assert_i64(rv_fence_frame(30000, r30), 900);
}

static void
fence_of_30s_block_at_59_94_is_1799(void **state)
{
	(void)state;
	/* 30000 * 60000 / 1001000 = 1798.2 */
	assert_i64(rv_fence_frame(30000, r59_94), 1799);
}

static void
fence_of_30s_block_matches_design_vectors(void **state)
{
	(void)state;
	assert_i64(rv_fence_frame(30000, r24), 720);
	assert_i64(rv_fence_frame(30000, r25), 750);
	assert_i64(rv_fence_frame(30000, r29_97), 900);	/* 899.1 */
	assert_i64(rv_fence_frame(30000, r60), 1800);
}

static void
fence_of_1ms_at_30fps_is_1_and_of_0_is_0(void **state)
{
	(void)state;
	assert_i64(rv_fence_frame(1, r30), 1);
	assert_i64(rv_fence_frame(0, r30), 0);
	assert_i64(rv_fence_frame(0, r29_97), 0);
}

/* The fence is the first frame that starts at or after the instant. */
static void
fence_is_first_frame_starting_at_or_after_elapsed(void **state)
{
	const struct rv_rate rates[] = {
		r23_976, r24, r25, r29_97, r30, r50, r59_94, r60
	};
	size_t i;
	rv_ms e;
	int64_t f;

	(void)state;
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		for (e = 0; e <= 120000; e++) {
			f = rv_fence_frame(e, rates[i]);
			assert_true(rv_frame_ms(f, rates[i]) >= e);
			if (f > 0)
				assert_true(rv_frame_ms(f - 1, rates[i]) < e);
		}
	}
}

/* PTS */

/* The reference: the full product in 128 bits, an independent route from
 * the library's quotient/remainder split. */
static int64_t
pts_reference(int64_t n, struct rv_rate r)
{
	unsigned __int128 p = (unsigned __int128)n * 90000 * r.den;

	return (int64_t)(p / (unsigned __int128)r.num);
}

static void
pts_matches_hand_values_at_1e9(void **state)
{
	(void)state;
	/* 90000 * den / num per frame: 3003 at 29.97, 3600 at 25,
	 * 3753.75 at 23.976, 1501.5 at 59.94, 1500 at 60. */
	assert_i64(rv_frame_pts(1000000000, r29_97), 3003000000000);
	assert_i64(rv_frame_pts(1000000000, r25), 3600000000000);
	assert_i64(rv_frame_pts(1000000000, r23_976), 3753750000000);
	assert_i64(rv_frame_pts(1000000000, r59_94), 1501500000000);
	assert_i64(rv_frame_pts(1000000000, r60), 1500000000000);
	assert_i64(rv_frame_pts(1, r23_976), 3753);
	assert_i64(rv_frame_pts(3, r59_94), 4504);
}

static void
pts_is_floor_of_n_90000_den_over_num_up_to_1e9(void **state)
{
	const struct rv_rate rates[] = {
		r23_976, r24, r25, r29_97, r30, r50, r59_94, r60
	};
	uint64_t seed = 1;
	int64_t n, p;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		for (n = 0; n <= 10000; n++)
			assert_i64(rv_frame_pts(n, rates[i]),
			    pts_reference(n, rates[i]));
		for (p = 10, k = 0; k < 9; k++, p *= 10)
			for (n = p - 3; n <= p + 3; n++)
				assert_i64(rv_frame_pts(n, rates[i]),
				    pts_reference(n, rates[i]));
		for (k = 0; k < 100000; k++) {
			n = (int64_t)(next_random(&seed) % 1000000001);
			assert_i64(rv_frame_pts(n, rates[i]),
			    pts_reference(n, rates[i]));
		}
	}
}

static void
pts_stays_exact_far_beyond_1e9(void **state)
{
	const struct rv_rate rates[] = { r23_976, r29_97, r59_94, r25 };
	size_t i;
	int64_t n;

	(void)state;
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		for (n = 1000000000; n <= 100000000000000; n *= 10)
			assert_i64(rv_frame_pts(n + 7, rates[i]),
			    pts_reference(n + 7, rates[i]));
}

/* Each frame lasts floor or ceil of 90000*den/num ticks: no drift. */
static void
pts_steps_never_drift(void **state)
{
	int64_t n, step;

	(void)state;
	for (n = 0; n < 200000; n++) {
		step = rv_frame_pts(n + 1, r23_976) - rv_frame_pts(n, r23_976);
		assert_true(step == 3753 || step == 3754);
		step = rv_frame_pts(n + 1, r59_94) - rv_frame_pts(n, r59_94);
		assert_true(step == 1501 || step == 1502);
	}
}

static void
year_long_session_at_59_94_does_not_overflow(void **state)
{
	rv_ms year = 365 * DAY;		/* 31,536,000,000 ms */
	int64_t frames;

	(void)state;
	/* 31536000000 * 60000 / 1001000 = 1890269730.27 */
	frames = rv_fence_frame(year, r59_94);
	assert_i64(frames, 1890269731);
	/* 1890269731 * 1501.5 = 2838240001096.5 */
	assert_i64(rv_frame_pts(frames, r59_94), 2838240001096);
	assert_i64(rv_frame_pts(frames, r59_94), pts_reference(frames, r59_94));
	/* 1890269731 * 1001 / 60 = 31536000012.18: the fence frame starts
	 * 12 ms after the year ends. */
	assert_i64(rv_frame_ms(frames, r59_94), 31536000012);
	/* 1890269731 * 800.8 = 1513728000584.8 */
	assert_i64(rv_frame_sample_start(frames, r59_94, 48000),
	    1513728000584);
}

static void
year_long_session_at_120fps_does_not_overflow(void **state)
{
	const struct rv_rate r120 = { 120, 1 };
	int64_t frames = rv_fence_frame(365 * DAY, r120);

	(void)state;
	assert_i64(frames, 3784320000);			/* 120 * 31536000 */
	assert_i64(rv_frame_pts(frames, r120), 2838240000000);	/* * 750 */
	assert_i64(rv_frame_ms(frames, r120), 365 * DAY);
}

/* Frame offsets and audio */

static void
frame_ms_is_floor_of_n_1000_den_over_num(void **state)
{
	(void)state;
	assert_i64(rv_frame_ms(1, r29_97), 33);		/* 33.366 */
	assert_i64(rv_frame_ms(3, r29_97), 100);	/* 100.1 */
	assert_i64(rv_frame_ms(30, r29_97), 1001);
	assert_i64(rv_frame_ms(1, r25), 40);
	assert_i64(rv_frame_ms(900, r30), 30000);
}

static void
samples_at_29_97_and_48k_cycle_1601_1602_1601_1602_1602(void **state)
{
	static const int64_t cycle[5] = { 1601, 1602, 1601, 1602, 1602 };
	int64_t n, base;

	(void)state;
	for (n = 0; n < 5; n++)
		assert_i64(rv_frame_samples(n, r29_97, 48000), cycle[n]);
	/* The cycle repeats forever: 8008 samples every 5 frames. */
	for (base = 0; base <= 1000000000; base = base * 10 + 5) {
		assert_i64(rv_frame_sample_start(base, r29_97, 48000),
		    base / 5 * 8008);
		for (n = 0; n < 5; n++)
			assert_i64(rv_frame_samples(base + n, r29_97, 48000),
			    cycle[n]);
	}
}

static void
samples_at_whole_ratios_are_constant(void **state)
{
	int64_t n;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_i64(rv_frame_samples(n, r25, 48000), 1920);
		assert_i64(rv_frame_samples(n, r23_976, 48000), 2002);
		assert_i64(rv_frame_samples(n, r60, 44100), 735);
	}
}

static void
sample_starts_are_the_running_sum_of_samples(void **state)
{
	int64_t n, sum = 0;

	(void)state;
	for (n = 0; n < 100000; n++) {
		assert_i64(rv_frame_sample_start(n, r59_94, 48000), sum);
		sum += rv_frame_samples(n, r59_94, 48000);
	}
}

/* Instants */

static rv_ms
parse_ok(const char *s)
{
	struct rv_err err;
	rv_ms t = 0;

	if (rv_time_parse(s, &t, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return t;
}

static void
time_parses_utc_and_offsets(void **state)
{
	(void)state;
	/* 2025-11-01: 20393 days since 1970; 10:00 = 36000 s. */
	assert_i64(parse_ok("2025-11-01T10:00:00Z"), 1761991200000);
	assert_i64(parse_ok("2025-11-01T06:00:00-04:00"), 1761991200000);
	assert_i64(parse_ok("2025-11-01T06:00:00-0400"), 1761991200000);
	assert_i64(parse_ok("2025-11-01T15:30:00+05:30"), 1761991200000);
	assert_i64(parse_ok("2025-11-01T10:00:00+00:00"), 1761991200000);
	assert_i64(parse_ok("2025-11-01t10:00:00z"), 1761991200000);
}

static void
time_accepts_space_and_omitted_seconds(void **state)
{
	(void)state;
	assert_i64(parse_ok("2025-11-01 10:00:00Z"), 1761991200000);
	assert_i64(parse_ok("2025-11-01T10:00Z"), 1761991200000);
	assert_i64(parse_ok("2025-11-01 06:00-04:00"), 1761991200000);
}

static void
time_fraction_beyond_ms_is_truncated(void **state)
{
	(void)state;
	assert_i64(parse_ok("1970-01-01T00:00:00.5Z"), 500);
	assert_i64(parse_ok("1970-01-01T00:00:00.12Z"), 120);
	assert_i64(parse_ok("1970-01-01T00:00:00.123Z"), 123);
	assert_i64(parse_ok("1970-01-01T00:00:00.1239999Z"), 123);
	assert_i64(parse_ok("1969-12-31T23:59:59.999Z"), -1);
}

static void
time_plain_integer_is_epoch_ms(void **state)
{
	(void)state;
	assert_i64(parse_ok("0"), 0);
	assert_i64(parse_ok("1761991200000"), 1761991200000);
	assert_i64(parse_ok("-1"), -1);
	assert_i64(parse_ok("9223372036854775807"), INT64_MAX);
	assert_i64(parse_ok("-9223372036854775808"), INT64_MIN);
}

static void
time_without_zone_needs_z_or_an_offset(void **state)
{
	struct rv_err err;
	rv_ms t;

	(void)state;
	assert_int_equal(rv_time_parse("2025-11-01T10:00:00", &t, &err), -1);
	assert_err_names(&err, "needs Z or an offset");
	assert_err_names(&err, "2025-11-01T10:00:00");
	assert_int_equal(rv_time_parse("2025-11-01T10:00", &t, &err), -1);
	assert_err_names(&err, "needs Z or an offset");
}

static void
time_rejects_bad_fields_naming_the_value(void **state)
{
	static const char *bad[] = {
		"", "now", "2025-11-01", "2025-11-01T", "2025-11-1T10:00Z",
		"2025-13-01T00:00Z", "2025-00-01T00:00Z", "2025-11-31T00:00Z",
		"2025-02-29T00:00Z", "2100-02-29T00:00Z", "2025-11-01T24:00Z",
		"2025-11-01T10:60Z", "2025-11-01T10:00:60Z",
		"2025-11-01T10:00:00.Z", "2025-11-01T10:00:00Zjunk",
		"2025-11-01T10:00:00+24:00", "2025-11-01T10:00:00+05:60",
		"2025-11-01T10:00:00+5", "2025-11-01T10:00:00 Z",
		"99999999999999999999", "-", "--1", "+1", "1.5",
		" 2025-11-01T10:00Z",
	};
	struct rv_err err;
	rv_ms t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rv_time_parse(bad[i], &t, &err) != -1) {
			print_error("\"%s\" was accepted\n", bad[i]);
			fail();
		}
		assert_err_names(&err, bad[i]);
	}
}

static void
time_accepts_leap_days_that_exist(void **state)
{
	(void)state;
	assert_i64(parse_ok("2000-02-29T12:00:00Z"), 951825600000);
	assert_i64(parse_ok("2024-02-29T00:00:00Z"),
	    rv_days_from_civil(2024, 2, 29) * DAY);
}

static void
time_formats_utc_with_ms_only_when_nonzero(void **state)
{
	char buf[RV_TIME_STR];

	(void)state;
	assert_string_equal(rv_time_format(1761991200000, buf, sizeof(buf)),
	    "2025-11-01T10:00:00Z");
	assert_string_equal(rv_time_format(1761991200123, buf, sizeof(buf)),
	    "2025-11-01T10:00:00.123Z");
	assert_string_equal(rv_time_format(0, buf, sizeof(buf)),
	    "1970-01-01T00:00:00Z");
	assert_string_equal(rv_time_format(-1, buf, sizeof(buf)),
	    "1969-12-31T23:59:59.999Z");
	assert_string_equal(rv_time_format(2147483647000, buf, sizeof(buf)),
	    "2038-01-19T03:14:07Z");
	assert_string_equal(rv_time_format(4102444800000, buf, sizeof(buf)),
	    "2100-01-01T00:00:00Z");
	assert_string_equal(rv_time_format(-2208988800000, buf, sizeof(buf)),
	    "1900-01-01T00:00:00Z");
}

static void
time_formats_local_with_offset(void **state)
{
	char buf[RV_TIME_STR];

	(void)state;
	assert_string_equal(rv_time_format_offset(1761991200000, -4 * 3600,
	    buf, sizeof(buf)), "2025-11-01T06:00:00-04:00");
	assert_string_equal(rv_time_format_offset(1761991200000, 19800,
	    buf, sizeof(buf)), "2025-11-01T15:30:00+05:30");
	assert_string_equal(rv_time_format_offset(1761991200000, 0,
	    buf, sizeof(buf)), "2025-11-01T10:00:00+00:00");
	/* Local midnight across the date line, backwards. */
	assert_string_equal(rv_time_format_offset(500, -1,
	    buf, sizeof(buf)), "1969-12-31T23:59:59.500-00:00:01");
	assert_i64(parse_ok(buf), 500);
}

static void
time_round_trips_through_format_and_parse(void **state)
{
	static const rv_ms fixed[] = {
		0, -1, 1, -86400000, 946684800000, 2147483647000,
		2147483648000, 4102444800000, 4107542399999, -2208988800000,
		-62135596800000,	/* 0001-01-01 */
		253402300799999,	/* 9999-12-31T23:59:59.999 */
	};
	static const int offsets[] = {
		0, -18000, -14400, 3600, 19800, 37800, 39600, 50400, -43200
	};
	char buf[RV_TIME_STR];
	uint64_t seed = 7;
	size_t i, j;
	rv_ms t;
	int k;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		assert_i64(parse_ok(rv_time_format(fixed[i], buf,
		    sizeof(buf))), fixed[i]);
	for (k = 0; k < 20000; k++) {
		/* 1653 to 2286 */
		t = (rv_ms)(next_random(&seed) % 20000000000000ULL) -
		    10000000000000;
		assert_i64(parse_ok(rv_time_format(t, buf, sizeof(buf))), t);
		for (j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++)
			assert_i64(parse_ok(rv_time_format_offset(t,
			    offsets[j], buf, sizeof(buf))), t);
	}
}

static void
time_round_trips_at_new_year_of_1970_2000_2038_2100(void **state)
{
	static const int years[] = { 1969, 1970, 2000, 2038, 2100 };
	char buf[RV_TIME_STR], want[RV_TIME_STR];
	rv_ms t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		t = rv_days_from_civil(years[i], 1, 1) * DAY;
		snprintf(want, sizeof(want), "%04d-01-01T00:00:00Z", years[i]);
		assert_string_equal(rv_time_format(t, buf, sizeof(buf)), want);
		assert_i64(parse_ok(want), t);
		snprintf(want, sizeof(want), "%04d-12-31T23:59:59.999Z",
		    years[i] - 1);
		assert_string_equal(rv_time_format(t - 1, buf, sizeof(buf)),
		    want);
		assert_i64(parse_ok(want), t - 1);
	}
}

/* Durations */

static rv_ms
duration_ok(const char *s)
{
	struct rv_err err;
	rv_ms d = -1;

	if (rv_duration_parse(s, &d, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return d;
}

static void
duration_parses_dsl_spellings(void **state)
{
	(void)state;
	assert_i64(duration_ok("90m"), 90 * 60000);
	assert_i64(duration_ok("1.5h"), 5400000);
	assert_i64(duration_ok("2h 15m"), 8100000);
	assert_i64(duration_ok("2h15m"), 8100000);
	assert_i64(duration_ok("2h   15m"), 8100000);
	assert_i64(duration_ok("45s"), 45000);
	assert_i64(duration_ok("24h"), 24 * HOUR);
	assert_i64(duration_ok("1h30m15s"), 5415000);
	assert_i64(duration_ok("1h 30m 15s 250ms"), 5415250);
	assert_i64(duration_ok("500ms"), 500);
	assert_i64(duration_ok("0.5s"), 500);
	assert_i64(duration_ok("1.25m"), 75000);
	assert_i64(duration_ok("0.001s"), 1);
	assert_i64(duration_ok("0s"), 0);
}

static void
duration_bare_number_is_seconds(void **state)
{
	(void)state;
	assert_i64(duration_ok("90"), 90000);
	assert_i64(duration_ok("0"), 0);
	assert_i64(duration_ok("1.5"), 1500);
}

static void
duration_hh_mm_ss_is_hours_minutes_seconds(void **state)
{
	(void)state;
	assert_i64(duration_ok("01:30:00"), 5400000);
	assert_i64(duration_ok("1:30:00"), 5400000);
	assert_i64(duration_ok("00:00:45"), 45000);
	assert_i64(duration_ok("100:00:00"), 100 * HOUR);
	assert_i64(duration_ok("00:00:01.5"), 1500);
}

static void
duration_rejects_bad_input_naming_the_value(void **state)
{
	static const char *bad[] = {
		"-5m", "5x", "1h2h", "30m1h", "1s500ms500ms", "1.0001s",
		"0.0005s", "10:30", "1:60:00", "1:00:60", "01:30:00x",
		"1:2:3", "1.5:00:00", "h", "ms", "5 m", " 5m", "5m ", "5mm",
		"1h30", "1.5.h", "1e3s", "1,5h", "1.h", ".5h",
		"2562047788016h", "99999999999999999999", "9223372036854776s",
		"1.1234567891s",
	};
	struct rv_err err;
	rv_ms d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rv_duration_parse(bad[i], &d, &err) != -1) {
			print_error("\"%s\" was accepted\n", bad[i]);
			fail();
		}
		assert_err_names(&err, bad[i]);
	}
	assert_int_equal(rv_duration_parse("", &d, &err), -1);
	assert_err_names(&err, "empty");
}

static void
duration_up_to_int64_max_parses_and_beyond_does_not(void **state)
{
	struct rv_err err;
	rv_ms d;

	(void)state;
	assert_i64(duration_ok("9223372036854775807ms"), INT64_MAX);
	assert_i64(duration_ok("2562047788015h12m55s807ms"), INT64_MAX);
	assert_int_equal(rv_duration_parse("2562047788015h12m55s808ms", &d,
	    &err), -1);
	assert_err_names(&err, "too long");
}

static void
duration_formats_largest_unit_first(void **state)
{
	char buf[RV_DURATION_STR];

	(void)state;
	assert_string_equal(rv_duration_format(5400000, buf, sizeof(buf)),
	    "1h30m");
	assert_string_equal(rv_duration_format(0, buf, sizeof(buf)), "0s");
	assert_string_equal(rv_duration_format(45000, buf, sizeof(buf)),
	    "45s");
	assert_string_equal(rv_duration_format(500, buf, sizeof(buf)),
	    "500ms");
	assert_string_equal(rv_duration_format(1500, buf, sizeof(buf)),
	    "1s500ms");
	assert_string_equal(rv_duration_format(5415000, buf, sizeof(buf)),
	    "1h30m15s");
	assert_string_equal(rv_duration_format(24 * HOUR, buf, sizeof(buf)),
	    "24h");
	assert_string_equal(rv_duration_format(-90000, buf, sizeof(buf)),
	    "-1m30s");
	assert_string_equal(rv_duration_format(INT64_MIN, buf, sizeof(buf)),
	    "-2562047788015h12m55s808ms");
}

static void
duration_round_trips_through_format_and_parse(void **state)
{
	char buf[RV_DURATION_STR];
	uint64_t seed = 3;
	rv_ms d;
	int k;

	(void)state;
	for (k = 0; k < 100000; k++) {
		d = (rv_ms)(next_random(&seed) >> (next_random(&seed) % 50));
		assert_i64(duration_ok(rv_duration_format(d, buf,
		    sizeof(buf))), d);
	}
	assert_i64(duration_ok(rv_duration_format(INT64_MAX, buf,
	    sizeof(buf))), INT64_MAX);
}

/* Now */

static void
now_prefers_the_argument_over_rv_now(void **state)
{
	struct rv_err err;
	rv_ms now;

	(void)state;
	setenv("RV_NOW", "2030-01-01T00:00:00Z", 1);
	assert_int_equal(rv_now_resolve("2025-11-01T10:00:00Z", &now, &err),
	    0);
	assert_i64(now, 1761991200000);
	unsetenv("RV_NOW");
}

static void
now_uses_rv_now_without_an_argument(void **state)
{
	struct rv_err err;
	rv_ms now;

	(void)state;
	setenv("RV_NOW", "1761991200000", 1);
	assert_int_equal(rv_now_resolve(NULL, &now, &err), 0);
	assert_i64(now, 1761991200000);
	unsetenv("RV_NOW");
}

static void
now_falls_back_to_the_real_clock_when_rv_now_is_unset_or_empty(void **state)
{
	struct rv_err err;
	rv_ms before, now;

	(void)state;
	unsetenv("RV_NOW");
	before = rv_wall_now();
	assert_int_equal(rv_now_resolve(NULL, &now, &err), 0);
	assert_true(now >= before && now <= rv_wall_now());
	setenv("RV_NOW", "", 1);
	before = rv_wall_now();
	assert_int_equal(rv_now_resolve(NULL, &now, &err), 0);
	assert_true(now >= before && now <= rv_wall_now());
	unsetenv("RV_NOW");
}

static void
now_errors_say_which_source_was_bad(void **state)
{
	struct rv_err err;
	rv_ms now;

	(void)state;
	assert_int_equal(rv_now_resolve("yesterday", &now, &err), -1);
	assert_err_names(&err, "--now");
	assert_err_names(&err, "yesterday");
	setenv("RV_NOW", "2025-11-01T10:00", 1);
	assert_int_equal(rv_now_resolve(NULL, &now, &err), -1);
	assert_err_names(&err, "$RV_NOW");
	assert_err_names(&err, "needs Z or an offset");
	unsetenv("RV_NOW");
}

/* The virtual clock */

static void
clock_mode_is_wall_or_fast(void **state)
{
	enum rv_clock_mode m;
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_clock_mode_parse("wall", &m, &err), 0);
	assert_int_equal(m, RV_CLOCK_WALL);
	assert_int_equal(rv_clock_mode_parse("fast", &m, &err), 0);
	assert_int_equal(m, RV_CLOCK_FAST);
	assert_string_equal(rv_clock_mode_name(RV_CLOCK_FAST), "fast");
	assert_string_equal(rv_clock_mode_name(RV_CLOCK_WALL), "wall");
	assert_int_equal(rv_clock_mode_parse("Fast", &m, &err), -1);
	assert_err_names(&err, "Fast");
	assert_int_equal(rv_clock_mode_parse("", &m, &err), -1);
}

static void
fast_clock_stands_still_until_it_sleeps(void **state)
{
	struct rv_clock c;

	(void)state;
	rv_clock_init(&c, RV_CLOCK_FAST, 1761991200000);
	assert_i64(rv_clock_now(&c), 1761991200000);
	assert_i64(rv_clock_now(&c), 1761991200000);
}

static void
fast_clock_sleep_jumps_to_the_target_at_once(void **state)
{
	struct rv_clock c;

	(void)state;
	rv_clock_init(&c, RV_CLOCK_FAST, 0);
	rv_clock_sleep_until(&c, 365 * DAY);
	assert_i64(rv_clock_now(&c), 365 * DAY);
}

static void
fast_clock_never_goes_backwards(void **state)
{
	struct rv_clock c;

	(void)state;
	rv_clock_init(&c, RV_CLOCK_FAST, 1000);
	rv_clock_sleep_until(&c, 500);
	assert_i64(rv_clock_now(&c), 1000);
	rv_clock_sleep_until(&c, 5000);
	rv_clock_sleep_until(&c, 4000);
	assert_i64(rv_clock_now(&c), 5000);
	rv_clock_sleep_until(&c, INT64_MIN);
	assert_i64(rv_clock_now(&c), 5000);
}

/* A day of 29.97 frames paced on the fast clock: every tick lands on its
 * frame's instant and the day ends on its fence. */
static void
fast_clock_paces_a_day_of_frames_without_waiting(void **state)
{
	rv_ms start = 1761991200000, at;
	int64_t n, fence = rv_fence_frame(DAY, r29_97);
	struct rv_clock c;
	struct timespec t0, t1;

	(void)state;
	assert_i64(fence, 2589411);	/* 86400000 * 30 / 1001 = 2589410.6 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rv_clock_init(&c, RV_CLOCK_FAST, start);
	for (n = 0; n <= fence; n++) {
		at = start + rv_frame_ms(n, r29_97);
		rv_clock_sleep_until(&c, at);
		if (rv_clock_now(&c) != at)
			assert_i64(rv_clock_now(&c), at);
	}
	assert_true(rv_clock_now(&c) >= start + DAY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 30);
}

static void
wall_clock_starts_at_the_virtual_start(void **state)
{
	struct rv_clock c;
	rv_ms a, b;

	(void)state;
	rv_clock_init(&c, RV_CLOCK_WALL, 1761991200000);
	a = rv_clock_now(&c);
	b = rv_clock_now(&c);
	assert_true(a >= 1761991200000 && a < 1761991200000 + 10000);
	assert_true(b >= a);
}

static void
wall_clock_sleep_until_a_passed_instant_returns_at_once(void **state)
{
	struct rv_clock c;
	struct timespec t0, t1;

	(void)state;
	rv_clock_init(&c, RV_CLOCK_WALL, 1761991200000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rv_clock_sleep_until(&c, 1761991200000);
	rv_clock_sleep_until(&c, 1761991200000 - 1000);
	rv_clock_sleep_until(&c, rv_clock_now(&c));
	rv_clock_sleep_until(&c, INT64_MIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_true(rv_clock_now(&c) < 1761991200000 + 10000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_from_civil_matches_known_dates),
		cmocka_unit_test(days_and_civil_round_trip_over_five_thousand_years),
		cmocka_unit_test(leap_years_follow_the_gregorian_rule),
		cmocka_unit_test(floor_div_rounds_towards_minus_infinity),
		cmocka_unit_test(rate_parses_fractions_integers_and_customary_decimals),
		cmocka_unit_test(rate_rejects_zero_negative_garbage_and_huge_naming_the_value),
		cmocka_unit_test(rate_formats_as_num_slash_den),
		cmocka_unit_test(fence_of_30s_block_at_30fps_is_900),
		cmocka_unit_test(fence_of_30s_block_at_59_94_is_1799),
		cmocka_unit_test(fence_of_30s_block_matches_design_vectors),
		cmocka_unit_test(fence_of_1ms_at_30fps_is_1_and_of_0_is_0),
		cmocka_unit_test(fence_is_first_frame_starting_at_or_after_elapsed),
		cmocka_unit_test(pts_matches_hand_values_at_1e9),
		cmocka_unit_test(pts_is_floor_of_n_90000_den_over_num_up_to_1e9),
		cmocka_unit_test(pts_stays_exact_far_beyond_1e9),
		cmocka_unit_test(pts_steps_never_drift),
		cmocka_unit_test(year_long_session_at_59_94_does_not_overflow),
		cmocka_unit_test(year_long_session_at_120fps_does_not_overflow),
		cmocka_unit_test(frame_ms_is_floor_of_n_1000_den_over_num),
		cmocka_unit_test(samples_at_29_97_and_48k_cycle_1601_1602_1601_1602_1602),
		cmocka_unit_test(samples_at_whole_ratios_are_constant),
		cmocka_unit_test(sample_starts_are_the_running_sum_of_samples),
		cmocka_unit_test(time_parses_utc_and_offsets),
		cmocka_unit_test(time_accepts_space_and_omitted_seconds),
		cmocka_unit_test(time_fraction_beyond_ms_is_truncated),
		cmocka_unit_test(time_plain_integer_is_epoch_ms),
		cmocka_unit_test(time_without_zone_needs_z_or_an_offset),
		cmocka_unit_test(time_rejects_bad_fields_naming_the_value),
		cmocka_unit_test(time_accepts_leap_days_that_exist),
		cmocka_unit_test(time_formats_utc_with_ms_only_when_nonzero),
		cmocka_unit_test(time_formats_local_with_offset),
		cmocka_unit_test(time_round_trips_through_format_and_parse),
		cmocka_unit_test(time_round_trips_at_new_year_of_1970_2000_2038_2100),
		cmocka_unit_test(duration_parses_dsl_spellings),
		cmocka_unit_test(duration_bare_number_is_seconds),
		cmocka_unit_test(duration_hh_mm_ss_is_hours_minutes_seconds),
		cmocka_unit_test(duration_rejects_bad_input_naming_the_value),
		cmocka_unit_test(duration_up_to_int64_max_parses_and_beyond_does_not),
		cmocka_unit_test(duration_formats_largest_unit_first),
		cmocka_unit_test(duration_round_trips_through_format_and_parse),
		cmocka_unit_test(now_prefers_the_argument_over_rv_now),
		cmocka_unit_test(now_uses_rv_now_without_an_argument),
		cmocka_unit_test(now_falls_back_to_the_real_clock_when_rv_now_is_unset_or_empty),
		cmocka_unit_test(now_errors_say_which_source_was_bad),
		cmocka_unit_test(clock_mode_is_wall_or_fast),
		cmocka_unit_test(fast_clock_stands_still_until_it_sleeps),
		cmocka_unit_test(fast_clock_sleep_jumps_to_the_target_at_once),
		cmocka_unit_test(fast_clock_never_goes_backwards),
		cmocka_unit_test(fast_clock_paces_a_day_of_frames_without_waiting),
		cmocka_unit_test(wall_clock_starts_at_the_virtual_start),
		cmocka_unit_test(wall_clock_sleep_until_a_passed_instant_returns_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
