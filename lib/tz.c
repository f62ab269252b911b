#include "tz.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEC_PER_DAY	86400

/* Dates */

static int
scan_digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

int
rv_date_parse(const char *s, struct rv_date *d, struct rv_err *err)
{
	const char *p = s;
	struct rv_date v;

	if (scan_digits(&p, 4, &v.year) == -1 || *p++ != '-' ||
	    scan_digits(&p, 2, &v.mon) == -1 || *p++ != '-' ||
	    scan_digits(&p, 2, &v.day) == -1 || *p != '\0')
		return rv_errf(err, "bad date \"%s\": expected YYYY-MM-DD", s);
	if (v.mon < 1 || v.mon > 12 ||
	    v.day < 1 || v.day > rv_days_in_month(v.year, v.mon))
		return rv_errf(err, "bad date \"%s\": no such day", s);
	*d = v;
	return 0;
}

char *
rv_date_format(struct rv_date d, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d-%02d", d.year, d.mon, d.day);
	return buf;
}

static int64_t
date_days(struct rv_date d)
{
	return rv_days_from_civil(d.year, d.mon, d.day);
}

static struct rv_date
date_of_days(int64_t days)
{
	struct rv_date d;
	int64_t year;

	rv_civil_from_days(days, &year, &d.mon, &d.day);
	d.year = (int)year;
	return d;
}

struct rv_date
rv_date_add_days(struct rv_date d, int64_t n)
{
	return date_of_days(date_days(d) + n);
}

int
rv_date_cmp(struct rv_date a, struct rv_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.mon != b.mon)
		return a.mon < b.mon ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

int
rv_date_weekday(struct rv_date d)
{
	/* 1970-01-01 was a Thursday. */
	return (int)rv_floor_mod(date_days(d) + 3, 7);
}

int64_t
rv_date_diff_days(struct rv_date a, struct rv_date b)
{
	return date_days(a) - date_days(b);
}

/* Zones */

static int
zone_is_utc(const char *zone)
{
	return strcmp(zone, "UTC") == 0;
}

/* Characters of IANA names only: keeps the name inside the zoneinfo tree
 * and away from TZ's POSIX-rule syntax. */
static int
zone_name_ok(const char *zone)
{
	const char *p;

	if (*zone == '\0' || *zone == '/' || strstr(zone, "..") != NULL ||
	    strlen(zone) > RV_ZONE_MAX)
		return 0;
	for (p = zone; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("_+-/", *p) != NULL)
			continue;
		return 0;
	}
	return 1;
}

static const char *
zoneinfo_dir(void)
{
	const char *dir = getenv("TZDIR");

	return dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

/* A regular file that starts with the TZif magic. */
static int
zone_file_ok(const char *zone)
{
	char path[PATH_MAX], magic[4];
	struct stat st;
	int fd, len;
	ssize_t got;

	len = snprintf(path, sizeof(path), "%s/%s", zoneinfo_dir(), zone);
	if (len < 0 || (size_t)len >= sizeof(path))
		return 0;
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	got = read(fd, magic, sizeof(magic));
	close(fd);
	return got == sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
}

int
rv_tz_check(const char *zone, struct rv_err *err)
{
	if (zone_is_utc(zone))
		return 0;
	if (!zone_name_ok(zone))
		return rv_errf(err, "unknown time zone \"%s\": not an IANA "
		    "zone name", zone);
	if (!zone_file_ok(zone))
		return rv_errf(err, "unknown time zone \"%s\": no zoneinfo "
		    "file %s/%s", zone, zoneinfo_dir(), zone);
	return 0;
}

/* The zone TZ was last set to, so that tzset() runs only on a change. */
static struct {
	char	name[RV_ZONE_MAX + 1];
	char	env[RV_ZONE_MAX + 2];	/* ":" name */
} current;

/* Make zone the C library's local time, unless it already is. */
static int
use_zone(const char *zone, struct rv_err *err)
{
	const char *tz;

	if (zone_is_utc(zone))
		return 0;
	tz = getenv("TZ");
	if (current.name[0] != '\0' && strcmp(current.name, zone) == 0 &&
	    tz != NULL && strcmp(tz, current.env) == 0)
		return 0;
	if (rv_tz_check(zone, err) == -1)
		return -1;
	snprintf(current.env, sizeof(current.env), ":%s", zone);
	if (setenv("TZ", current.env, 1) == -1) {
		current.name[0] = '\0';
		return rv_errf(err, "time zone \"%s\": cannot set TZ", zone);
	}
	tzset();
	snprintf(current.name, sizeof(current.name), "%s", zone);
	return 0;
}

/*
 * Offset from UTC (seconds east) in force at instant sec, in the zone
 * use_zone() selected.
 */
static int
offset_at(const char *zone, int64_t sec, int *offset_s, struct rv_err *err)
{
	struct tm tm;
	time_t tt = (time_t)sec;

	if (zone_is_utc(zone)) {
		*offset_s = 0;
		return 0;
	}
	if (localtime_r(&tt, &tm) == NULL)
		return rv_errf(err, "time zone \"%s\": instant %lld s out of "
		    "range", zone, (long long)sec);
	*offset_s = (int)tm.tm_gmtoff;
	return 0;
}

/* Local seconds (as if the local time were UTC) of instant sec. */
static int
local_of(const char *zone, int64_t sec, int64_t *local, struct rv_err *err)
{
	int off = 0;

	if (offset_at(zone, sec, &off, err) == -1)
		return -1;
	*local = sec + off;
	return 0;
}

static int
civil_ok(const struct rv_civil *c)
{
	return c->mon >= 1 && c->mon <= 12 && c->day >= 1 &&
	    c->day <= rv_days_in_month(c->year, c->mon) &&
	    c->hour >= 0 && c->hour <= 23 && c->min >= 0 && c->min <= 59 &&
	    c->sec >= 0 && c->sec <= 59;
}

#define PROBES	5

/*
 * The offsets in force within a day either side of local time `local` (in
 * seconds, read as if UTC): the instant it names is local - offset for one
 * of them, since zones do not change offset more than once in a day.
 */
static int
nearby_offsets(const char *zone, int64_t local, int offs[PROBES], int *n,
    struct rv_err *err)
{
	int i, j, off = 0;

	*n = 0;
	for (i = 0; i < PROBES; i++) {
		int64_t probe = local + (int64_t)(i - PROBES / 2) *
		    (SEC_PER_DAY / 2);

		if (offset_at(zone, probe, &off, err) == -1)
			return -1;
		for (j = 0; j < *n && offs[j] != off; j++)
			continue;
		if (j == *n)
			offs[(*n)++] = off;
	}
	return 0;
}

/*
 * Local time `local` falls in a gap: no instant shows it.  The gap ends at
 * the first instant whose local time is past `local`; between lo (showing
 * an earlier local time) and hi (showing a later one) binary search for it.
 */
static int
gap_end(const char *zone, int64_t local, int64_t lo, int64_t hi,
    int64_t *sec, struct rv_err *err)
{
	int64_t mid, shown;

	if (local_of(zone, lo, &shown, err) == -1)
		return -1;
	if (shown >= local)
		goto odd;
	if (local_of(zone, hi, &shown, err) == -1)
		return -1;
	if (shown < local)
		goto odd;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (local_of(zone, mid, &shown, err) == -1)
			return -1;
		if (shown >= local)
			hi = mid;
		else
			lo = mid;
	}
	*sec = hi;
	return 0;
odd:
	return rv_errf(err, "time zone \"%s\": cannot resolve local time "
	    "around %lld s", zone, (long long)local);
}

/* The instant (seconds) that local time `local` names in zone. */
static int
resolve_local(const char *zone, int64_t local, int64_t *sec,
    struct rv_err *err)
{
	int offs[PROBES], n = 0, i, off = 0;
	int64_t cand, lo = INT64_MAX, hi = INT64_MIN;
	int found = 0;

	if (nearby_offsets(zone, local, offs, &n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		cand = local - offs[i];
		if (cand < lo)
			lo = cand;
		if (cand > hi)
			hi = cand;
		if (offset_at(zone, cand, &off, err) == -1)
			return -1;
		if (off != offs[i] || (found && cand >= *sec))
			continue;
		*sec = cand;
		found = 1;
	}
	if (found)
		return 0;
	return gap_end(zone, local, lo, hi, sec, err);
}

int
rv_tz_to_utc(const char *zone, const struct rv_civil *c, rv_ms *out,
    struct rv_err *err)
{
	int64_t local, sec = 0;

	if (!civil_ok(c))
		return rv_errf(err, "time zone \"%s\": no such local time "
		    "%04d-%02d-%02d %02d:%02d:%02d", zone, c->year, c->mon,
		    c->day, c->hour, c->min, c->sec);
	if (use_zone(zone, err) == -1)
		return -1;
	local = rv_days_from_civil(c->year, c->mon, c->day) * SEC_PER_DAY +
	    c->hour * 3600 + c->min * 60 + c->sec;
	if (resolve_local(zone, local, &sec, err) == -1)
		return -1;
	*out = sec * RV_MS_PER_SEC;
	return 0;
}

int
rv_tz_from_utc(const char *zone, rv_ms t, struct rv_civil *c, int *offset_s,
    struct rv_err *err)
{
	int64_t sec = rv_floor_div(t, RV_MS_PER_SEC), local, year;
	int64_t sod;
	int off = 0;

	if (use_zone(zone, err) == -1)
		return -1;
	if (offset_at(zone, sec, &off, err) == -1)
		return -1;
	local = sec + off;
	rv_civil_from_days(rv_floor_div(local, SEC_PER_DAY), &year, &c->mon,
	    &c->day);
	c->year = (int)year;
	sod = rv_floor_mod(local, SEC_PER_DAY);
	c->hour = (int)(sod / 3600);
	c->min = (int)(sod / 60 % 60);
	c->sec = (int)(sod % 60);
	if (offset_s != NULL)
		*offset_s = off;
	return 0;
}

/* Broadcast days */

int
rv_day_start_parse(const char *s, int *minutes, struct rv_err *err)
{
	const char *p = s;
	int hour, min;

	if (scan_digits(&p, 1, &hour) == -1)
		goto bad;
	if (*p != ':') {
		int low;

		if (scan_digits(&p, 1, &low) == -1)
			goto bad;
		hour = hour * 10 + low;
	}
	if (*p++ != ':' || scan_digits(&p, 2, &min) == -1 || *p != '\0')
		goto bad;
	if (hour > 23 || min > 59)
		return rv_errf(err, "bad day start \"%s\": not a time of day",
		    s);
	*minutes = hour * 60 + min;
	return 0;
bad:
	return rv_errf(err, "bad day start \"%s\": expected HH:MM", s);
}

static int
day_start(const char *zone, int day_start_min, struct rv_date day,
    rv_ms *out, struct rv_err *err)
{
	struct rv_civil c = {
		.year = day.year, .mon = day.mon, .day = day.day,
		.hour = day_start_min / 60, .min = day_start_min % 60,
	};

	return rv_tz_to_utc(zone, &c, out, err);
}

int
rv_broadcast_day_bounds(const char *zone, int day_start_min,
    struct rv_date day, rv_ms *start, rv_ms *end, struct rv_err *err)
{
	if (day_start_min < 0 || day_start_min >= 24 * 60)
		return rv_errf(err, "day start %d min is not a time of day",
		    day_start_min);
	if (day_start(zone, day_start_min, day, start, err) == -1 ||
	    day_start(zone, day_start_min, rv_date_add_days(day, 1), end,
	    err) == -1)
		return -1;
	return 0;
}

/*
 * The local date, a day earlier before the day start, is nearly always
 * right; but when the day start is itself in a gap or an overlap the day
 * begins at an instant whose local time differs, so the guess is checked
 * against the bounds the rest of the system uses.
 */
int
rv_broadcast_day_of(const char *zone, int day_start_min, rv_ms t,
    struct rv_date *day, struct rv_err *err)
{
	struct rv_civil c;
	struct rv_date d;
	rv_ms start, end;
	int tries;

	if (rv_tz_from_utc(zone, t, &c, NULL, err) == -1)
		return -1;
	d = (struct rv_date){ c.year, c.mon, c.day };
	if (c.hour * 60 + c.min < day_start_min)
		d = rv_date_add_days(d, -1);
	for (tries = 0; tries < 3; tries++) {
		if (rv_broadcast_day_bounds(zone, day_start_min, d, &start,
		    &end, err) == -1)
			return -1;
		if (t < start)
			d = rv_date_add_days(d, -1);
		else if (t >= end)
			d = rv_date_add_days(d, 1);
		else {
			*day = d;
			return 0;
		}
	}
	return rv_errf(err, "time zone \"%s\": no broadcast day holds %lld",
	    zone, (long long)t);
}
