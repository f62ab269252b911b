/*
 * tz — local civil time in IANA zones, calendar dates, broadcast days
 * (DESIGN.md §4).
 *
 * A channel's "06:00" is local time in its zone; everything else is UTC.
 * This module turns one into the other, including on DST days: a local time
 * that does not exist (spring-forward gap) means the instant the gap ends,
 * and one that occurs twice (fall-back overlap) means its first occurrence.
 * Broadcast day D runs from local D at the day start to local D+1 at the day
 * start, so consecutive days tile time exactly: 25 h on a fall-back day,
 * 23 h on a spring-forward day.
 *
 * Zones come from the C library, which reads the system's zoneinfo.  The
 * module owns the process's TZ environment variable: it sets TZ=":Zone"
 * and calls tzset() when the zone changes, and remembers the current zone
 * so that repeated calls in one zone cost nothing extra.  It is therefore
 * not thread-safe, and code that wants the process's own local time should
 * not rely on TZ after calling it.
 */
#ifndef RV_TZ_H
#define RV_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "log.h"

#define RV_DATE_STR	24	/* "2025-11-01" */
#define RV_ZONE_MAX	255	/* longest zone name accepted */

/* A calendar date (proleptic Gregorian), mon 1-12, day 1-31. */
struct rv_date {
	int	year, mon, day;
};

/* Exactly "YYYY-MM-DD", a real date. */
int	rv_date_parse(const char *s, struct rv_date *d, struct rv_err *err);
char	*rv_date_format(struct rv_date d, char *buf, size_t n);
struct rv_date rv_date_add_days(struct rv_date d, int64_t n);
/* <0, 0, >0 as a is before, the same as, or after b. */
int	rv_date_cmp(struct rv_date a, struct rv_date b);
/* 0 = Monday … 6 = Sunday. */
int	rv_date_weekday(struct rv_date d);
/* a - b in days: rv_date_add_days(b, rv_date_diff_days(a, b)) == a. */
int64_t	rv_date_diff_days(struct rv_date a, struct rv_date b);

/* Local wall-clock time: hour 0-23, min 0-59, sec 0-59. */
struct rv_civil {
	int	year, mon, day, hour, min, sec;
};

/*
 * A zone name is valid if it names a TZif file under $TZDIR (or
 * /usr/share/zoneinfo): the C library would silently use UTC for anything
 * else.  "UTC" is always valid.
 */
int	rv_tz_check(const char *zone, struct rv_err *err);
/* Local time in zone to an instant (gap: the end of the gap; overlap: the
 * first occurrence). */
int	rv_tz_to_utc(const char *zone, const struct rv_civil *c, rv_ms *out,
	    struct rv_err *err);
/* An instant as local time in zone; offset_s (may be NULL) gets the offset
 * from UTC in force, in seconds east.  Milliseconds are dropped. */
int	rv_tz_from_utc(const char *zone, rv_ms t, struct rv_civil *c,
	    int *offset_s, struct rv_err *err);

/* "06:00" (or "6:00") to minutes after local midnight, 0-1439. */
int	rv_day_start_parse(const char *s, int *minutes, struct rv_err *err);
/* The broadcast day that contains t. */
int	rv_broadcast_day_of(const char *zone, int day_start_min, rv_ms t,
	    struct rv_date *day, struct rv_err *err);
/* [start, end) of broadcast day `day`; end is the next day's start. */
int	rv_broadcast_day_bounds(const char *zone, int day_start_min,
	    struct rv_date day, rv_ms *start, rv_ms *end, struct rv_err *err);

#endif
