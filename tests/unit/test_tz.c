/* Unit tests for lib/tz: dates, local time in IANA zones, broadcast days.
 *
 * Expected instants are written as UTC ISO-8601 and derived by hand from the
 * offsets in force (checked against `zdump -v ZONE`):
 *   America/New_York     EDT -04:00 until 2025-11-02 06:00Z (02:00 EDT ->
 *                        01:00 EST), EST -05:00 until 2026-03-08 07:00Z
 *                        (02:00 EST -> 03:00 EDT).
 *   Europe/London        BST +01:00 until 2025-10-26 01:00Z (02:00 BST ->
 *                        01:00 GMT), GMT until 2026-03-29 01:00Z (01:00 GMT
 *                        -> 02:00 BST).
 *   Asia/Kolkata         IST +05:30 throughout.
 *   Australia/Lord_Howe  +10:30 until 2025-10-04 15:30Z (02:00 -> 02:30,
 *                        +11:00), +11:00 until 2026-04-04 15:00Z (02:00 ->
 *                        01:30, +10:30).
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

#include "tz.h"

#define MIN	((int64_t)RV_MS_PER_MIN)
#define HOUR	((int64_t)RV_MS_PER_HOUR)

#define NY	"America/New_York"
#define LONDON	"Europe/London"
#define KOLKATA	"Asia/Kolkata"
#define LH	"Australia/Lord_Howe"

#define SIX_AM	360

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

/* An instant from its ISO-8601 spelling (rv_time_parse is tested in
 * test_clock). */
static rv_ms
at(const char *iso)
{
	struct rv_err err;
	rv_ms t = 0;

	if (rv_time_parse(iso, &t, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return t;
}

static struct rv_date
date(const char *s)
{
	struct rv_err err;
	struct rv_date d = { 0, 0, 0 };

	if (rv_date_parse(s, &d, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return d;
}

static void
assert_date(struct rv_date got, const char *want)
{
	char buf[RV_DATE_STR];

	assert_string_equal(rv_date_format(got, buf, sizeof(buf)), want);
}

static rv_ms
local_to_utc(const char *zone, int y, int mo, int d, int h, int mi, int s)
{
	struct rv_civil c = { y, mo, d, h, mi, s };
	struct rv_err err;
	rv_ms t = 0;

	if (rv_tz_to_utc(zone, &c, &t, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return t;
}

static struct rv_civil
utc_to_local(const char *zone, rv_ms t, int *offset_s)
{
	struct rv_civil c = { 0, 0, 0, 0, 0, 0 };
	struct rv_err err;

	if (rv_tz_from_utc(zone, t, &c, offset_s, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	return c;
}

static int
civil_equal(const struct rv_civil *a, const struct rv_civil *b)
{
	return a->year == b->year && a->mon == b->mon && a->day == b->day &&
	    a->hour == b->hour && a->min == b->min && a->sec == b->sec;
}

static void
assert_civil(struct rv_civil c, int y, int mo, int d, int h, int mi, int s)
{
	struct rv_civil want = { y, mo, d, h, mi, s };

	if (civil_equal(&c, &want))
		return;
	print_error("local %04d-%02d-%02d %02d:%02d:%02d, want "
	    "%04d-%02d-%02d %02d:%02d:%02d\n", c.year, c.mon, c.day, c.hour,
	    c.min, c.sec, y, mo, d, h, mi, s);
	fail();
}

static void
bounds(const char *zone, int day_start, const char *day, rv_ms *start,
    rv_ms *end)
{
	struct rv_err err;

	if (rv_broadcast_day_bounds(zone, day_start, date(day), start, end,
	    &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
}

static void
assert_day_of(const char *zone, int day_start, rv_ms t, const char *want)
{
	struct rv_date d;
	struct rv_err err;

	if (rv_broadcast_day_of(zone, day_start, t, &d, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	assert_date(d, want);
}

/* Dates */

static void
date_parse_is_strict(void **state)
{
	static const char *bad[] = {
		"", "2025-11-1", "2025-1-01", "25-11-01", "2025/11/01",
		"2025-11-01x", " 2025-11-01", "2025-13-01", "2025-00-10",
		"2025-11-31", "2025-02-29", "2100-02-29", "2025-11-00",
		"2025-11-01T00:00Z",
	};
	struct rv_date d;
	struct rv_err err;
	size_t i;

	(void)state;
	d = date("2025-11-01");
	assert_int_equal(d.year, 2025);
	assert_int_equal(d.mon, 11);
	assert_int_equal(d.day, 1);
	assert_date(date("2024-02-29"), "2024-02-29");
	assert_date(date("2000-02-29"), "2000-02-29");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rv_date_parse(bad[i], &d, &err) != -1) {
			print_error("\"%s\" was accepted\n", bad[i]);
			fail();
		}
		assert_err_names(&err, bad[i]);
	}
}

static void
date_add_days_crosses_months_years_and_leap_days(void **state)
{
	(void)state;
	assert_date(rv_date_add_days(date("2025-11-01"), 1), "2025-11-02");
	assert_date(rv_date_add_days(date("2025-11-30"), 1), "2025-12-01");
	assert_date(rv_date_add_days(date("2025-12-31"), 1), "2026-01-01");
	assert_date(rv_date_add_days(date("2024-02-28"), 1), "2024-02-29");
	assert_date(rv_date_add_days(date("2025-02-28"), 1), "2025-03-01");
	assert_date(rv_date_add_days(date("2025-03-01"), -1), "2025-02-28");
	assert_date(rv_date_add_days(date("2025-01-01"), -1), "2024-12-31");
	assert_date(rv_date_add_days(date("2025-11-01"), 365), "2026-11-01");
	assert_date(rv_date_add_days(date("1970-01-01"), -1), "1969-12-31");
	assert_date(rv_date_add_days(date("2025-11-01"), 0), "2025-11-01");
}

static void
date_cmp_orders_by_year_month_day(void **state)
{
	(void)state;
	assert_true(rv_date_cmp(date("2025-11-01"), date("2025-11-02")) < 0);
	assert_true(rv_date_cmp(date("2025-12-01"), date("2025-11-30")) > 0);
	assert_true(rv_date_cmp(date("2024-12-31"), date("2025-01-01")) < 0);
	assert_int_equal(rv_date_cmp(date("2025-11-01"), date("2025-11-01")),
	    0);
}

static void
date_weekday_counts_from_monday_0(void **state)
{
	(void)state;
	assert_int_equal(rv_date_weekday(date("1970-01-01")), 3);  /* Thu */
	assert_int_equal(rv_date_weekday(date("2025-11-01")), 5);  /* Sat */
	assert_int_equal(rv_date_weekday(date("2025-11-02")), 6);  /* Sun */
	assert_int_equal(rv_date_weekday(date("2025-11-03")), 0);  /* Mon */
	assert_int_equal(rv_date_weekday(date("2000-01-01")), 5);  /* Sat */
	assert_int_equal(rv_date_weekday(date("2024-02-29")), 3);  /* Thu */
	assert_int_equal(rv_date_weekday(date("1969-12-31")), 2);  /* Wed */
}

static void
date_diff_days_is_a_minus_b(void **state)
{
	(void)state;
	assert_i64(rv_date_diff_days(date("2026-01-01"), date("2025-01-01")),
	    365);
	assert_i64(rv_date_diff_days(date("2025-01-01"), date("2024-01-01")),
	    366);
	assert_i64(rv_date_diff_days(date("2025-11-01"), date("2025-11-08")),
	    -7);
	assert_i64(rv_date_diff_days(date("2025-11-01"), date("2025-11-01")),
	    0);
}

/* Zone names */

static void
tz_check_accepts_real_zones_and_utc(void **state)
{
	static const char *good[] = {
		NY, LONDON, KOLKATA, LH, "UTC", "Etc/UTC", "Etc/GMT+5",
		"America/Argentina/Buenos_Aires",
	};
	struct rv_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (rv_tz_check(good[i], &err) == -1) {
			print_error("%s\n", err.msg);
			fail();
		}
	}
}

static void
unknown_zones_are_rejected_naming_the_zone(void **state)
{
	static const char *bad[] = {
		"Mars/Olympus", "../etc/passwd", "America/../Europe/London",
		"/etc/localtime", "/usr/share/zoneinfo/UTC", "America",
		"America/New York", "EST5EDT,M3.2.0,M11.1.0", ":UTC",
		"America/New_York/", "utc", "zone.tab",
	};
	struct rv_civil c = { 2025, 11, 1, 6, 0, 0 };
	struct rv_err err;
	rv_ms t, end;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rv_tz_check(bad[i], &err) != -1) {
			print_error("zone \"%s\" was accepted\n", bad[i]);
			fail();
		}
		assert_err_names(&err, bad[i]);
		assert_int_equal(rv_tz_to_utc(bad[i], &c, &t, &err), -1);
		assert_err_names(&err, bad[i]);
	}
	assert_int_equal(rv_tz_check("", &err), -1);
	assert_err_names(&err, "unknown time zone \"\"");
	assert_int_equal(rv_tz_from_utc("Mars/Olympus", 0, &c, NULL, &err),
	    -1);
	assert_err_names(&err, "Mars/Olympus");
	assert_int_equal(rv_broadcast_day_bounds("../etc/passwd", SIX_AM,
	    date("2025-11-01"), &t, &end, &err), -1);
	assert_err_names(&err, "../etc/passwd");
}

/* Files under $TZDIR count only if they are TZif data. */
static void
tz_check_follows_tzdir_and_wants_tzif_magic(void **state)
{
	char dir[] = "/tmp/test_tz.XXXXXX", path[512];
	struct rv_err err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Not_A_Zone", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("hello, world\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/Fake_Zone", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("TZif", f);
	fclose(f);
	setenv("TZDIR", dir, 1);
	assert_int_equal(rv_tz_check("Not_A_Zone", &err), -1);
	assert_err_names(&err, "Not_A_Zone");
	assert_int_equal(rv_tz_check("Fake_Zone", &err), 0);
	assert_int_equal(rv_tz_check(NY, &err), -1);
	assert_int_equal(rv_tz_check("UTC", &err), 0);
	unsetenv("TZDIR");
	assert_int_equal(rv_tz_check(NY, &err), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/Not_A_Zone", dir);
	unlink(path);
	rmdir(dir);
}

static void
to_utc_rejects_local_times_that_no_calendar_has(void **state)
{
	static const struct rv_civil bad[] = {
		{ 2025, 2, 29, 6, 0, 0 }, { 2025, 13, 1, 6, 0, 0 },
		{ 2025, 11, 1, 24, 0, 0 }, { 2025, 11, 1, 6, 60, 0 },
		{ 2025, 11, 1, 6, 0, 60 }, { 2025, 11, 1, -1, 0, 0 },
	};
	struct rv_err err;
	rv_ms t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rv_tz_to_utc(NY, &bad[i], &t, &err), -1);
}

/* New York */

static void
ny_broadcast_day_of_fall_back_lasts_25_hours(void **state)
{
	rv_ms start, end;

	(void)state;
	/* 2025-11-01 06:00 EDT = 10:00Z; 2025-11-02 06:00 EST = 11:00Z. */
	bounds(NY, SIX_AM, "2025-11-01", &start, &end);
	assert_i64(start, at("2025-11-01T10:00:00Z"));
	assert_i64(end, at("2025-11-02T11:00:00Z"));
	assert_i64(end - start, 25 * HOUR);
}

static void
ny_broadcast_day_of_spring_forward_lasts_23_hours(void **state)
{
	rv_ms start, end;

	(void)state;
	/* 2026-03-07 06:00 EST = 11:00Z; 2026-03-08 06:00 EDT = 10:00Z. */
	bounds(NY, SIX_AM, "2026-03-07", &start, &end);
	assert_i64(start, at("2026-03-07T11:00:00Z"));
	assert_i64(end, at("2026-03-08T10:00:00Z"));
	assert_i64(end - start, 23 * HOUR);
}

static void
ny_ordinary_broadcast_days_last_24_hours(void **state)
{
	rv_ms start, end;

	(void)state;
	/* The days either side of the changes: 06:00 EST = 11:00Z. */
	bounds(NY, SIX_AM, "2025-11-02", &start, &end);
	assert_i64(start, at("2025-11-02T11:00:00Z"));
	assert_i64(end, at("2025-11-03T11:00:00Z"));
	bounds(NY, SIX_AM, "2025-10-31", &start, &end);
	assert_i64(start, at("2025-10-31T10:00:00Z"));
	assert_i64(end - start, 24 * HOUR);
	bounds(NY, SIX_AM, "2026-03-08", &start, &end);
	assert_i64(start, at("2026-03-08T10:00:00Z"));
	assert_i64(end - start, 24 * HOUR);
	bounds(NY, SIX_AM, "2025-07-04", &start, &end);
	assert_i64(start, at("2025-07-04T10:00:00Z"));
	assert_i64(end - start, 24 * HOUR);
}

static void
ny_local_time_in_the_gap_is_the_end_of_the_gap(void **state)
{
	(void)state;
	/* 02:00-02:59:59 EST never happens on 2026-03-08: the clock goes
	 * from 01:59:59 EST (06:59:59Z) to 03:00 EDT (07:00Z). */
	assert_i64(local_to_utc(NY, 2026, 3, 8, 2, 30, 0),
	    at("2026-03-08T07:00:00Z"));
	assert_i64(local_to_utc(NY, 2026, 3, 8, 2, 0, 0),
	    at("2026-03-08T07:00:00Z"));
	assert_i64(local_to_utc(NY, 2026, 3, 8, 2, 59, 59),
	    at("2026-03-08T07:00:00Z"));
	assert_i64(local_to_utc(NY, 2026, 3, 8, 1, 59, 59),
	    at("2026-03-08T06:59:59Z"));
	assert_i64(local_to_utc(NY, 2026, 3, 8, 3, 0, 0),
	    at("2026-03-08T07:00:00Z"));
	assert_civil(utc_to_local(NY, at("2026-03-08T07:00:00Z"), NULL),
	    2026, 3, 8, 3, 0, 0);
}

static void
ny_ambiguous_local_time_is_its_first_occurrence(void **state)
{
	int off;

	(void)state;
	/* 01:00-01:59:59 happens twice on 2025-11-02: first in EDT
	 * (05:00Z-05:59:59Z), then in EST (06:00Z-06:59:59Z). */
	assert_i64(local_to_utc(NY, 2025, 11, 2, 1, 30, 0),
	    at("2025-11-02T05:30:00Z"));
	assert_i64(local_to_utc(NY, 2025, 11, 2, 1, 0, 0),
	    at("2025-11-02T05:00:00Z"));
	assert_i64(local_to_utc(NY, 2025, 11, 2, 1, 59, 59),
	    at("2025-11-02T05:59:59Z"));
	assert_i64(local_to_utc(NY, 2025, 11, 2, 0, 59, 59),
	    at("2025-11-02T04:59:59Z"));
	assert_i64(local_to_utc(NY, 2025, 11, 2, 2, 0, 0),
	    at("2025-11-02T07:00:00Z"));
	assert_civil(utc_to_local(NY, at("2025-11-02T05:30:00Z"), &off),
	    2025, 11, 2, 1, 30, 0);
	assert_int_equal(off, -4 * 3600);
	assert_civil(utc_to_local(NY, at("2025-11-02T06:30:00Z"), &off),
	    2025, 11, 2, 1, 30, 0);
	assert_int_equal(off, -5 * 3600);
}

static void
broadcast_day_of_changes_exactly_at_the_day_start(void **state)
{
	rv_ms start = at("2025-11-01T10:00:00Z");	/* 06:00 EDT */
	rv_ms next = at("2025-11-02T11:00:00Z");	/* 06:00 EST */

	(void)state;
	assert_day_of(NY, SIX_AM, start - 1, "2025-10-31");
	assert_day_of(NY, SIX_AM, start, "2025-11-01");
	assert_day_of(NY, SIX_AM, next - 1, "2025-11-01");
	assert_day_of(NY, SIX_AM, next, "2025-11-02");
	/* 00:30 local on 2 November belongs to the day of 1 November. */
	assert_day_of(NY, SIX_AM, at("2025-11-02T04:30:00Z"), "2025-11-01");
	/* The repeated 01:30 EST too. */
	assert_day_of(NY, SIX_AM, at("2025-11-02T06:30:00Z"), "2025-11-01");
}

static void
day_start_in_a_gap_begins_when_the_gap_ends(void **state)
{
	rv_ms start, end;

	(void)state;
	/* Day start 02:30: on 2026-03-08 it does not exist, so the day
	 * starts at 03:00 EDT = 07:00Z; the day before started at 02:30 EST
	 * = 07:30Z on 7 March: 23.5 h. */
	bounds(NY, 150, "2026-03-07", &start, &end);
	assert_i64(start, at("2026-03-07T07:30:00Z"));
	assert_i64(end, at("2026-03-08T07:00:00Z"));
	assert_day_of(NY, 150, end - 1, "2026-03-07");
	assert_day_of(NY, 150, end, "2026-03-08");
}

static void
day_start_in_an_overlap_begins_at_its_first_occurrence(void **state)
{
	rv_ms start, end;

	(void)state;
	/* Day start 01:30: on 2025-11-02 it first happens at 01:30 EDT =
	 * 05:30Z; the day lasts until 01:30 EST on 3 November = 06:30Z. */
	bounds(NY, 90, "2025-11-02", &start, &end);
	assert_i64(start, at("2025-11-02T05:30:00Z"));
	assert_i64(end, at("2025-11-03T06:30:00Z"));
	assert_i64(end - start, 25 * HOUR);
	/* 01:10 EST (06:10Z) reads as before the day start, but the day
	 * began at the first 01:30. */
	assert_day_of(NY, 90, at("2025-11-02T06:10:00Z"), "2025-11-02");
	assert_day_of(NY, 90, start - 1, "2025-11-01");
}

/* London */

static void
london_bst_end_day_lasts_25_hours_and_start_day_23(void **state)
{
	rv_ms start, end;

	(void)state;
	/* 2025-10-25 06:00 BST = 05:00Z; 2025-10-26 06:00 GMT = 06:00Z. */
	bounds(LONDON, SIX_AM, "2025-10-25", &start, &end);
	assert_i64(start, at("2025-10-25T05:00:00Z"));
	assert_i64(end, at("2025-10-26T06:00:00Z"));
	assert_i64(end - start, 25 * HOUR);
	/* 2026-03-28 06:00 GMT = 06:00Z; 2026-03-29 06:00 BST = 05:00Z. */
	bounds(LONDON, SIX_AM, "2026-03-28", &start, &end);
	assert_i64(start, at("2026-03-28T06:00:00Z"));
	assert_i64(end, at("2026-03-29T05:00:00Z"));
	assert_i64(end - start, 23 * HOUR);
}

static void
london_gap_and_overlap_follow_the_same_rules(void **state)
{
	(void)state;
	/* 01:00-01:59:59 GMT never happens on 2026-03-29 (01:00Z is 02:00
	 * BST). */
	assert_i64(local_to_utc(LONDON, 2026, 3, 29, 1, 30, 0),
	    at("2026-03-29T01:00:00Z"));
	/* 01:30 happens twice on 2025-10-26: first 01:30 BST = 00:30Z. */
	assert_i64(local_to_utc(LONDON, 2025, 10, 26, 1, 30, 0),
	    at("2025-10-26T00:30:00Z"));
}

/* Kolkata */

static void
kolkata_six_am_is_half_past_midnight_utc(void **state)
{
	rv_ms start, end;
	int off;

	(void)state;
	/* IST = +05:30: 06:00 IST = 00:30Z. */
	assert_i64(local_to_utc(KOLKATA, 2025, 11, 1, 6, 0, 0),
	    at("2025-11-01T00:30:00Z"));
	bounds(KOLKATA, SIX_AM, "2025-11-01", &start, &end);
	assert_i64(start, at("2025-11-01T00:30:00Z"));
	assert_i64(end - start, 24 * HOUR);
	assert_civil(utc_to_local(KOLKATA, at("2026-03-08T07:00:00Z"), &off),
	    2026, 3, 8, 12, 30, 0);
	assert_int_equal(off, 19800);
}

/* Lord Howe */

static void
lord_howe_dst_start_day_lasts_23_and_a_half_hours(void **state)
{
	rv_ms start, end;

	(void)state;
	/* 2025-10-04 06:00 +10:30 = 2025-10-03 19:30Z;
	 * 2025-10-05 06:00 +11:00 = 2025-10-04 19:00Z. */
	bounds(LH, SIX_AM, "2025-10-04", &start, &end);
	assert_i64(start, at("2025-10-03T19:30:00Z"));
	assert_i64(end, at("2025-10-04T19:00:00Z"));
	assert_i64(end - start, 23 * HOUR + 30 * MIN);
}

static void
lord_howe_dst_end_day_lasts_24_and_a_half_hours(void **state)
{
	rv_ms start, end;

	(void)state;
	/* 2026-04-04 06:00 +11:00 = 2026-04-03 19:00Z;
	 * 2026-04-05 06:00 +10:30 = 2026-04-04 19:30Z. */
	bounds(LH, SIX_AM, "2026-04-04", &start, &end);
	assert_i64(start, at("2026-04-03T19:00:00Z"));
	assert_i64(end, at("2026-04-04T19:30:00Z"));
	assert_i64(end - start, 24 * HOUR + 30 * MIN);
}

static void
lord_howe_half_hour_gap_and_overlap(void **state)
{
	int off;

	(void)state;
	/* 02:00-02:29:59 never happens on 2025-10-05: 01:59:59 +10:30 is
	 * 15:29:59Z, then 15:30Z is 02:30 +11:00. */
	assert_i64(local_to_utc(LH, 2025, 10, 5, 2, 15, 0),
	    at("2025-10-04T15:30:00Z"));
	assert_i64(local_to_utc(LH, 2025, 10, 5, 2, 30, 0),
	    at("2025-10-04T15:30:00Z"));
	/* 01:30-01:59:59 happens twice on 2026-04-05: 01:45 +11:00 =
	 * 14:45Z first, 01:45 +10:30 = 15:15Z second. */
	assert_i64(local_to_utc(LH, 2026, 4, 5, 1, 45, 0),
	    at("2026-04-04T14:45:00Z"));
	assert_civil(utc_to_local(LH, at("2026-04-04T15:15:00Z"), &off),
	    2026, 4, 5, 1, 45, 0);
	assert_int_equal(off, 37800);
	assert_day_of(LH, SIX_AM, at("2025-10-04T19:00:00Z") - 1,
	    "2025-10-04");
	assert_day_of(LH, SIX_AM, at("2025-10-04T19:00:00Z"), "2025-10-05");
}

/* Round trips and tiling */

static const char *zones[] = { NY, LONDON, KOLKATA, LH, "UTC" };

/* Every instant shows a local time that maps back to the instant, or, in
 * the second pass of an overlap, to the first occurrence of that time. */
static void
utc_to_local_to_utc_returns_the_instant_or_its_first_occurrence(void **state)
{
	rv_ms t, u, from = at("2025-01-01T00:00:00Z"),
	    to = at("2027-01-01T00:00:00Z");
	struct rv_civil c, back;
	int off, off_u;
	size_t z;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		for (t = from; t < to; t += 17 * MIN + 1000) {
			c = utc_to_local(zones[z], t, &off);
			u = local_to_utc(zones[z], c.year, c.mon, c.day,
			    c.hour, c.min, c.sec);
			if (u == t)
				continue;
			back = utc_to_local(zones[z], u, &off_u);
			assert_true(civil_equal(&c, &back));
			assert_true(u < t && off_u > off);
		}
	}
}

static int
second_of_day(const struct rv_civil *c)
{
	return c->hour * 3600 + c->min * 60 + c->sec;
}

/* Every local time maps to an instant that shows it, or, in a gap, to the
 * end of the gap, which shows a later local time. */
static void
local_to_utc_to_local_returns_the_time_or_the_end_of_its_gap(void **state)
{
	static const struct rv_date days[] = {
		{ 2025, 11, 2 }, { 2026, 3, 8 }, { 2025, 10, 26 },
		{ 2026, 3, 29 }, { 2025, 10, 5 }, { 2026, 4, 5 },
		{ 2025, 7, 1 },
	};
	struct rv_civil c, back, before;
	size_t z, i;
	int sec, gaps = 0;
	rv_ms u;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
			for (sec = 0; sec < 86400; sec += 150) {
				c = (struct rv_civil){ days[i].year,
				    days[i].mon, days[i].day, sec / 3600,
				    sec / 60 % 60, sec % 60 };
				u = local_to_utc(zones[z], c.year, c.mon,
				    c.day, c.hour, c.min, c.sec);
				back = utc_to_local(zones[z], u, NULL);
				if (civil_equal(&c, &back))
					continue;
				gaps++;
				before = utc_to_local(zones[z], u - 1000, NULL);
				assert_true(back.day == c.day &&
				    second_of_day(&back) > sec);
				assert_true(before.day == c.day &&
				    second_of_day(&before) < sec);
			}
		}
	}
	/* NY and London: 24 samples of an hour each; Lord Howe 12. */
	assert_int_equal(gaps, 24 + 24 + 12);
}

static void
broadcast_days_tile_two_years_without_gap_or_overlap(void **state)
{
	struct rv_date d, first = { 2025, 1, 1 }, got;
	rv_ms start, end, prev_end = 0;
	struct rv_err err;
	size_t z;
	int i, long_days, short_days;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		long_days = short_days = 0;
		for (i = 0, d = first; i < 731; i++) {
			assert_int_equal(rv_broadcast_day_bounds(zones[z],
			    SIX_AM, d, &start, &end, &err), 0);
			if (i > 0)
				assert_i64(start, prev_end);
			long_days += end - start > 24 * HOUR;
			short_days += end - start < 24 * HOUR;
			assert_int_equal(rv_broadcast_day_of(zones[z], SIX_AM,
			    start, &got, &err), 0);
			assert_int_equal(rv_date_cmp(got, d), 0);
			assert_int_equal(rv_broadcast_day_of(zones[z], SIX_AM,
			    end - 1, &got, &err), 0);
			assert_int_equal(rv_date_cmp(got, d), 0);
			prev_end = end;
			d = rv_date_add_days(d, 1);
		}
		/* Two fall-backs and two spring-forwards in 2025-2026, none
		 * in Kolkata or UTC. */
		if (strcmp(zones[z], KOLKATA) != 0 &&
		    strcmp(zones[z], "UTC") != 0) {
			assert_int_equal(long_days, 2);
			assert_int_equal(short_days, 2);
		} else {
			assert_int_equal(long_days, 0);
			assert_int_equal(short_days, 0);
		}
	}
}

/* Alternating zones must re-select the zone each time, and a TZ changed
 * behind the module's back must not fool its cache. */
static void
switching_zones_gives_each_zone_its_own_answer(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_i64(local_to_utc(NY, 2025, 11, 1, 6, 0, 0),
		    at("2025-11-01T10:00:00Z"));
		assert_i64(local_to_utc(LONDON, 2025, 11, 1, 6, 0, 0),
		    at("2025-11-01T06:00:00Z"));
		assert_i64(local_to_utc("UTC", 2025, 11, 1, 6, 0, 0),
		    at("2025-11-01T06:00:00Z"));
	}
	setenv("TZ", ":Asia/Kolkata", 1);
	assert_i64(local_to_utc(LONDON, 2025, 11, 1, 6, 0, 0),
	    at("2025-11-01T06:00:00Z"));
}

static void
day_start_parse_reads_hh_mm(void **state)
{
	static const char *bad[] = {
		"", "24:00", "06:60", "0600", "06:0", "06:00x", "-1:00",
		"6", "06:00:00", " 06:00", "a6:00", "006:00",
	};
	struct rv_err err;
	size_t i;
	int m;

	(void)state;
	assert_int_equal(rv_day_start_parse("06:00", &m, &err), 0);
	assert_int_equal(m, 360);
	assert_int_equal(rv_day_start_parse("6:00", &m, &err), 0);
	assert_int_equal(m, 360);
	assert_int_equal(rv_day_start_parse("00:00", &m, &err), 0);
	assert_int_equal(m, 0);
	assert_int_equal(rv_day_start_parse("23:59", &m, &err), 0);
	assert_int_equal(m, 1439);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rv_day_start_parse(bad[i], &m, &err) != -1) {
			print_error("\"%s\" was accepted\n", bad[i]);
			fail();
		}
		assert_err_names(&err, bad[i]);
	}
}

static void
bounds_reject_a_day_start_outside_the_day(void **state)
{
	struct rv_err err;
	rv_ms start, end;

	(void)state;
	assert_int_equal(rv_broadcast_day_bounds(NY, 1440, date("2025-11-01"),
	    &start, &end, &err), -1);
	assert_int_equal(rv_broadcast_day_bounds(NY, -1, date("2025-11-01"),
	    &start, &end, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_parse_is_strict),
		cmocka_unit_test(date_add_days_crosses_months_years_and_leap_days),
		cmocka_unit_test(date_cmp_orders_by_year_month_day),
		cmocka_unit_test(date_weekday_counts_from_monday_0),
		cmocka_unit_test(date_diff_days_is_a_minus_b),
		cmocka_unit_test(tz_check_accepts_real_zones_and_utc),
		cmocka_unit_test(unknown_zones_are_rejected_naming_the_zone),
		cmocka_unit_test(tz_check_follows_tzdir_and_wants_tzif_magic),
		cmocka_unit_test(to_utc_rejects_local_times_that_no_calendar_has),
		cmocka_unit_test(ny_broadcast_day_of_fall_back_lasts_25_hours),
		cmocka_unit_test(ny_broadcast_day_of_spring_forward_lasts_23_hours),
		cmocka_unit_test(ny_ordinary_broadcast_days_last_24_hours),
		cmocka_unit_test(ny_local_time_in_the_gap_is_the_end_of_the_gap),
		cmocka_unit_test(ny_ambiguous_local_time_is_its_first_occurrence),
		cmocka_unit_test(broadcast_day_of_changes_exactly_at_the_day_start),
		cmocka_unit_test(day_start_in_a_gap_begins_when_the_gap_ends),
		cmocka_unit_test(day_start_in_an_overlap_begins_at_its_first_occurrence),
		cmocka_unit_test(london_bst_end_day_lasts_25_hours_and_start_day_23),
		cmocka_unit_test(london_gap_and_overlap_follow_the_same_rules),
		cmocka_unit_test(kolkata_six_am_is_half_past_midnight_utc),
		cmocka_unit_test(lord_howe_dst_start_day_lasts_23_and_a_half_hours),
		cmocka_unit_test(lord_howe_dst_end_day_lasts_24_and_a_half_hours),
		cmocka_unit_test(lord_howe_half_hour_gap_and_overlap),
		cmocka_unit_test(utc_to_local_to_utc_returns_the_instant_or_its_first_occurrence),
		cmocka_unit_test(local_to_utc_to_local_returns_the_time_or_the_end_of_its_gap),
		cmocka_unit_test(broadcast_days_tile_two_years_without_gap_or_overlap),
		cmocka_unit_test(switching_zones_gives_each_zone_its_own_answer),
		cmocka_unit_test(day_start_parse_reads_hh_mm),
		cmocka_unit_test(bounds_reject_a_day_start_outside_the_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
