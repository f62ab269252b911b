#include "clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Calendar */

int64_t
rv_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

int64_t
rv_floor_mod(int64_t a, int64_t b)
{
	return a - rv_floor_div(a, b) * b;
}

int
rv_is_leap_year(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
rv_days_in_month(int64_t year, int mon)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (mon < 1 || mon > 12)
		return 0;
	if (mon == 2 && rv_is_leap_year(year))
		return 29;
	return days[mon - 1];
}

/*
 * Howard Hinnant's days_from_civil: counting years from March puts the leap
 * day last, so a 400-year era has a fixed shape and no table is needed.
 */
int64_t
rv_days_from_civil(int64_t year, int mon, int day)
{
	int64_t era, yoe, doy, doe;

	year -= mon <= 2;
	era = rv_floor_div(year, 400);
	yoe = year - era * 400;
	doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
rv_civil_from_days(int64_t days, int64_t *year, int *mon, int *day)
{
	int64_t z, era, doe, yoe, doy, mp, y;

	z = days + 719468;
	era = rv_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = y + (*mon <= 2);
}

/* Frame arithmetic */

/*
 * floor(a * b / c) without forming a * b: with a = q*c + r, 0 <= r < c,
 * it is q*b + floor(r*b / c).  Needs b >= 0, c > 0 and b*c < 2^63 (true for
 * every caller below, see clock.h); exact whenever the result fits.
 */
static int64_t
muldiv_floor(int64_t a, int64_t b, int64_t c)
{
	int64_t q = rv_floor_div(a, c);
	int64_t r = a - q * c;

	return q * b + r * b / c;
}

static int64_t
muldiv_ceil(int64_t a, int64_t b, int64_t c)
{
	int64_t q = rv_floor_div(a, c);
	int64_t r = a - q * c;

	return q * b + (r * b + c - 1) / c;
}

int64_t
rv_fence_frame(rv_ms elapsed, struct rv_rate r)
{
	return muldiv_ceil(elapsed, r.num, r.den * 1000);
}

int64_t
rv_frame_pts(int64_t n, struct rv_rate r)
{
	return muldiv_floor(n, RV_PTS_HZ * r.den, r.num);
}

rv_ms
rv_frame_ms(int64_t n, struct rv_rate r)
{
	return muldiv_floor(n, 1000 * r.den, r.num);
}

int64_t
rv_frame_sample_start(int64_t n, struct rv_rate r, int64_t sample_rate)
{
	return muldiv_floor(n, sample_rate * r.den, r.num);
}

int64_t
rv_frame_samples(int64_t n, struct rv_rate r, int64_t sample_rate)
{
	return rv_frame_sample_start(n + 1, r, sample_rate) -
	    rv_frame_sample_start(n, r, sample_rate);
}

/* Frame rates */

static int64_t
gcd(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Digits to a value, stopping once it passes max so that a long string
 * cannot overflow.  Returns the number of digits read.
 */
static int
scan_capped(const char **p, int64_t max, int64_t *v)
{
	const char *start = *p;

	*v = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		if (*v <= max)
			*v = *v * 10 + (**p - '0');
	return (int)(*p - start);
}

int
rv_rate_parse(const char *s, struct rv_rate *r, struct rv_err *err)
{
	static const struct {
		const char	*name;
		struct rv_rate	 rate;
	} customary[] = {
		{ "23.976", { 24000, 1001 } },
		{ "29.97", { 30000, 1001 } },
		{ "59.94", { 60000, 1001 } },
	};
	const char *p = s;
	int64_t num, den = 1, g;
	size_t i;

	for (i = 0; i < sizeof(customary) / sizeof(customary[0]); i++) {
		if (strcmp(s, customary[i].name) == 0) {
			*r = customary[i].rate;
			return 0;
		}
	}
	if (scan_capped(&p, RV_RATE_MAX, &num) == 0)
		goto bad;
	if (*p == '/') {
		p++;
		if (scan_capped(&p, RV_RATE_MAX, &den) == 0)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (num < 1 || den < 1 || num > RV_RATE_MAX || den > RV_RATE_MAX)
		return rv_errf(err, "bad frame rate \"%s\": numerator and "
		    "denominator must be 1 to %d", s, RV_RATE_MAX);
	g = gcd(num, den);
	r->num = num / g;
	r->den = den / g;
	return 0;
bad:
	return rv_errf(err, "bad frame rate \"%s\": expected num/den "
	    "(30000/1001), an integer, or 23.976, 29.97, 59.94", s);
}

char *
rv_rate_format(struct rv_rate r, char *buf, size_t n)
{
	snprintf(buf, n, "%" PRId64 "/%" PRId64, r.num, r.den);
	return buf;
}

/* Instants */

/* Exactly n digits. */
static int
scan_fixed(const char **p, int n, int *v)
{
	const char *s = *p;
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	*p = s + n;
	return 0;
}

static int
expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* An optional leading '-' and at least one digit, nothing else. */
static int
is_integer(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
parse_epoch_ms(const char *s, rv_ms *out, struct rv_err *err)
{
	const char *p = s;
	int neg = *p == '-';
	int64_t v = 0;

	if (neg)
		p++;
	for (; *p != '\0'; p++) {
		int d = *p - '0';

		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, neg ? -d : d, &v))
			return rv_errf(err, "bad time \"%s\": epoch "
			    "milliseconds out of range", s);
	}
	*out = v;
	return 0;
}

/* Milliseconds from ".fff…": later digits are truncated. */
static int
scan_fraction_ms(const char **p)
{
	const char *s = *p;
	int ms = 0, i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		if (i < 3)
			ms = ms * 10 + (s[i] - '0');
	for (; i < 3; i++)
		ms *= 10;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	return ms;
}

/* "Z", "±HH:MM", "±HHMM" or "±HH:MM:SS": seconds east of UTC. */
static int
scan_offset(const char **p, int *offset_s)
{
	int sign, hh, mm, ss = 0;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset_s = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (scan_fixed(p, 2, &hh) == -1)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (scan_fixed(p, 2, &mm) == -1)
			return -1;
		if (**p == ':') {
			(*p)++;
			if (scan_fixed(p, 2, &ss) == -1)
				return -1;
		}
	} else if (scan_fixed(p, 2, &mm) == -1)
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	*offset_s = sign * (hh * 3600 + mm * 60 + ss);
	return 0;
}

struct iso_fields {
	int	year, mon, day, hour, min, sec, ms;
};

/* The date and time of day, up to where the zone starts. */
static int
scan_iso_civil(const char **p, struct iso_fields *f)
{
	*f = (struct iso_fields){ 0 };
	if (scan_fixed(p, 4, &f->year) == -1 || expect(p, '-') == -1 ||
	    scan_fixed(p, 2, &f->mon) == -1 || expect(p, '-') == -1 ||
	    scan_fixed(p, 2, &f->day) == -1)
		return -1;
	if (**p != 'T' && **p != 't' && **p != ' ')
		return -1;
	(*p)++;
	if (scan_fixed(p, 2, &f->hour) == -1 || expect(p, ':') == -1 ||
	    scan_fixed(p, 2, &f->min) == -1)
		return -1;
	if (**p != ':')
		return 0;
	(*p)++;
	if (scan_fixed(p, 2, &f->sec) == -1)
		return -1;
	if (**p != '.')
		return 0;
	(*p)++;
	if (**p < '0' || **p > '9')
		return -1;
	f->ms = scan_fraction_ms(p);
	return 0;
}

static int
check_iso_ranges(const char *s, const struct iso_fields *f,
    struct rv_err *err)
{
	if (f->mon < 1 || f->mon > 12)
		return rv_errf(err, "bad time \"%s\": month %d out of range",
		    s, f->mon);
	if (f->day < 1 || f->day > rv_days_in_month(f->year, f->mon))
		return rv_errf(err, "bad time \"%s\": day %d out of range",
		    s, f->day);
	if (f->hour > 23 || f->min > 59 || f->sec > 59)
		return rv_errf(err, "bad time \"%s\": time of day out of "
		    "range", s);
	return 0;
}

int
rv_time_parse(const char *s, rv_ms *out, struct rv_err *err)
{
	struct iso_fields f;
	const char *p = s, *zone;
	int offset_s;

	if (is_integer(s))
		return parse_epoch_ms(s, out, err);
	if (scan_iso_civil(&p, &f) == -1)
		return rv_errf(err, "bad time \"%s\": expected "
		    "YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset, or "
		    "epoch milliseconds", s);
	if (*p == '\0')
		return rv_errf(err, "bad time \"%s\": needs Z or an offset "
		    "(such as -05:00)", s);
	zone = p;
	if (scan_offset(&p, &offset_s) == -1 || *p != '\0')
		return rv_errf(err, "bad time \"%s\": bad zone \"%s\": "
		    "expected Z, +HH:MM or +HHMM", s, zone);
	if (check_iso_ranges(s, &f, err) == -1)
		return -1;
	*out = rv_days_from_civil(f.year, f.mon, f.day) * RV_MS_PER_DAY +
	    (int64_t)f.hour * RV_MS_PER_HOUR + f.min * RV_MS_PER_MIN +
	    f.sec * RV_MS_PER_SEC + f.ms - (int64_t)offset_s * RV_MS_PER_SEC;
	return 0;
}

/*
 * Split before adding the offset, so that instants near the ends of the
 * int64 range format without overflow.
 */
static int
format_civil(rv_ms t, int offset_s, char *buf, size_t n)
{
	int64_t days = rv_floor_div(t, RV_MS_PER_DAY);
	int64_t msd = rv_floor_mod(t, RV_MS_PER_DAY) +
	    (int64_t)offset_s * RV_MS_PER_SEC;
	int64_t year;
	int mon, day, len;

	days += rv_floor_div(msd, RV_MS_PER_DAY);
	msd = rv_floor_mod(msd, RV_MS_PER_DAY);
	rv_civil_from_days(days, &year, &mon, &day);
	len = snprintf(buf, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d",
	    year, mon, day, (int)(msd / RV_MS_PER_HOUR),
	    (int)(msd / RV_MS_PER_MIN % 60), (int)(msd / RV_MS_PER_SEC % 60));
	if (msd % 1000 != 0 && len >= 0 && (size_t)len < n)
		len += snprintf(buf + len, n - len, ".%03d",
		    (int)(msd % 1000));
	return len;
}

char *
rv_time_format(rv_ms t, char *buf, size_t n)
{
	int len = format_civil(t, 0, buf, n);

	if (len >= 0 && (size_t)len < n)
		snprintf(buf + len, n - len, "Z");
	return buf;
}

char *
rv_time_format_offset(rv_ms t, int offset_s, char *buf, size_t n)
{
	int len = format_civil(t, offset_s, buf, n);
	int a = offset_s < 0 ? -offset_s : offset_s;
	char sign = offset_s < 0 ? '-' : '+';

	if (len < 0 || (size_t)len >= n)
		return buf;
	if (a % 60 != 0)
		snprintf(buf + len, n - len, "%c%02d:%02d:%02d", sign,
		    a / 3600, a / 60 % 60, a % 60);
	else
		snprintf(buf + len, n - len, "%c%02d:%02d", sign, a / 3600,
		    a / 60 % 60);
	return buf;
}

/* Durations */

enum unit { UNIT_H, UNIT_M, UNIT_S, UNIT_MS, UNIT_NONE };

static const int64_t unit_ms[] = {
	[UNIT_H] = RV_MS_PER_HOUR,
	[UNIT_M] = RV_MS_PER_MIN,
	[UNIT_S] = RV_MS_PER_SEC,
	[UNIT_MS] = 1,
	[UNIT_NONE] = RV_MS_PER_SEC,
};

#define FRACTION_DIGITS_MAX	9

/*
 * A decimal number "12" or "1.5" as fixed point: whole + frac / 10^places.
 * Too many digits set overflow rather than failing the scan, so that the
 * message can say "too long" instead of "not a number".
 */
struct decimal {
	int64_t	whole;
	int64_t	frac;
	int	places;
	int	overflow;
};

static void
scan_fraction(const char **p, struct decimal *d)
{
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (d->places == FRACTION_DIGITS_MAX) {
			d->overflow = 1;
			continue;
		}
		d->places++;
		d->frac = d->frac * 10 + (**p - '0');
	}
}

static int
scan_decimal(const char **p, struct decimal *d)
{
	*d = (struct decimal){ 0 };
	if (**p < '0' || **p > '9')
		return -1;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		if (__builtin_mul_overflow(d->whole, 10, &d->whole) ||
		    __builtin_add_overflow(d->whole, **p - '0', &d->whole))
			d->overflow = 1;
	if (**p != '.')
		return 0;
	(*p)++;
	if (**p < '0' || **p > '9')
		return -1;
	scan_fraction(p, d);
	return 0;
}

static enum unit
scan_unit(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		return UNIT_H;
	case 'm':
		(*p)++;
		if (**p == 's') {
			(*p)++;
			return UNIT_MS;
		}
		return UNIT_M;
	case 's':
		(*p)++;
		return UNIT_S;
	default:
		return UNIT_NONE;
	}
}

/* d units in ms; -1 if it overflows or is not a whole number of ms. */
static int
decimal_to_ms(const struct decimal *d, int64_t per_unit, int64_t *ms)
{
	int64_t scale = 1, frac_ms;
	int i;

	if (d->overflow)
		return -1;
	for (i = 0; i < d->places; i++)
		scale *= 10;
	frac_ms = d->frac * per_unit;
	if (frac_ms % scale != 0)
		return -1;
	if (__builtin_mul_overflow(d->whole, per_unit, ms) ||
	    __builtin_add_overflow(*ms, frac_ms / scale, ms))
		return -1;
	return 0;
}

static int
parse_hms(const char *s, rv_ms *out, struct rv_err *err)
{
	const char *p = s;
	struct decimal h, sec = { 0 };
	int m, whole_sec;
	int64_t hms, sec_ms;

	if (scan_decimal(&p, &h) == -1 || h.places != 0 ||
	    expect(&p, ':') == -1 || scan_fixed(&p, 2, &m) == -1 ||
	    expect(&p, ':') == -1 || scan_fixed(&p, 2, &whole_sec) == -1)
		return rv_errf(err, "bad duration \"%s\": expected HH:MM:SS",
		    s);
	if (*p == '.') {
		p++;
		scan_fraction(&p, &sec);
		if (sec.places == 0)
			p--;
	}
	if (*p != '\0')
		return rv_errf(err, "bad duration \"%s\": expected HH:MM:SS",
		    s);
	if (m > 59 || whole_sec > 59)
		return rv_errf(err, "bad duration \"%s\": minutes and "
		    "seconds must be below 60", s);
	sec.whole = whole_sec;
	if (decimal_to_ms(&sec, RV_MS_PER_SEC, &sec_ms) == -1)
		return rv_errf(err, "bad duration \"%s\": not a whole number "
		    "of milliseconds", s);
	if (h.overflow ||
	    __builtin_mul_overflow(h.whole, RV_MS_PER_HOUR, &hms) ||
	    __builtin_add_overflow(hms, (int64_t)m * RV_MS_PER_MIN + sec_ms,
	    out))
		return rv_errf(err, "bad duration \"%s\": too long", s);
	return 0;
}

/* One "1.5h" of "2h 15m"; a bare number only as the whole string. */
static int
parse_component(const char *s, const char **p, int first, enum unit *u,
    int64_t *ms, struct rv_err *err)
{
	struct decimal d;

	if (scan_decimal(p, &d) == -1)
		return rv_errf(err, "bad duration \"%s\": expected a number "
		    "at \"%s\"", s, *p);
	*u = scan_unit(p);
	if (*u == UNIT_NONE && !(first && **p == '\0'))
		return rv_errf(err, "bad duration \"%s\": %s", s,
		    **p == '\0' ? "a number without a unit" :
		    "unknown unit (use h, m, s or ms)");
	if (decimal_to_ms(&d, unit_ms[*u], ms) == -1)
		return rv_errf(err, "bad duration \"%s\": too long or not a "
		    "whole number of milliseconds", s);
	return 0;
}

/* "2h 15m", "1.5h", "500ms", "90": units largest first, each once. */
static int
parse_units(const char *s, rv_ms *out, struct rv_err *err)
{
	const char *p = s;
	enum unit last = UNIT_NONE, u = UNIT_NONE;
	int64_t total = 0, ms = 0;
	int first = 1;

	while (*p != '\0') {
		if (!first)
			while (*p == ' ')
				p++;
		if (parse_component(s, &p, first, &u, &ms, err) == -1)
			return -1;
		if (!first && u <= last)
			return rv_errf(err, "bad duration \"%s\": units "
			    "repeated or out of order", s);
		if (__builtin_add_overflow(total, ms, &total))
			return rv_errf(err, "bad duration \"%s\": too long",
			    s);
		last = u;
		first = 0;
	}
	*out = total;
	return 0;
}

int
rv_duration_parse(const char *s, rv_ms *out, struct rv_err *err)
{
	if (*s == '\0')
		return rv_errf(err, "bad duration \"\": empty");
	if (*s == '-')
		return rv_errf(err, "bad duration \"%s\": negative", s);
	if (strchr(s, ':') != NULL)
		return parse_hms(s, out, err);
	return parse_units(s, out, err);
}

char *
rv_duration_format(rv_ms d, char *buf, size_t n)
{
	/* Unsigned so that the magnitude of INT64_MIN is representable. */
	uint64_t a = d < 0 ? -(uint64_t)d : (uint64_t)d;
	static const struct {
		uint64_t	 ms;
		const char	*name;
	} units[] = {
		{ RV_MS_PER_HOUR, "h" },
		{ RV_MS_PER_MIN, "m" },
		{ RV_MS_PER_SEC, "s" },
		{ 1, "ms" },
	};
	size_t i, len = 0;
	int w;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (d == 0) {
		snprintf(buf, n, "0s");
		return buf;
	}
	if (d < 0)
		len = snprintf(buf, n, "-");
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && len < n; i++) {
		uint64_t v = a / units[i].ms;

		a %= units[i].ms;
		if (v == 0)
			continue;
		w = snprintf(buf + len, n - len, "%" PRIu64 "%s", v,
		    units[i].name);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return buf;
}

/* Now */

static rv_ms
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (rv_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

rv_ms
rv_wall_now(void)
{
	return clock_ms(CLOCK_REALTIME);
}

int64_t
rv_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int
rv_now_resolve(const char *arg, rv_ms *now, struct rv_err *err)
{
	const char *env = getenv("RV_NOW");

	if (arg != NULL) {
		if (rv_time_parse(arg, now, err) == -1)
			return rv_errctx(err, "--now");
		return 0;
	}
	if (env != NULL && *env != '\0') {
		if (rv_time_parse(env, now, err) == -1)
			return rv_errctx(err, "$RV_NOW");
		return 0;
	}
	*now = rv_wall_now();
	return 0;
}

/* The virtual clock */

int
rv_clock_mode_parse(const char *s, enum rv_clock_mode *m, struct rv_err *err)
{
	if (strcmp(s, "wall") == 0)
		*m = RV_CLOCK_WALL;
	else if (strcmp(s, "fast") == 0)
		*m = RV_CLOCK_FAST;
	else
		return rv_errf(err, "bad clock \"%s\": expected wall or fast",
		    s);
	return 0;
}

const char *
rv_clock_mode_name(enum rv_clock_mode m)
{
	return m == RV_CLOCK_FAST ? "fast" : "wall";
}

static int64_t
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
rv_clock_init(struct rv_clock *c, enum rv_clock_mode m, rv_ms start)
{
	c->mode = m;
	c->start = start;
	c->fast_now = start;
	c->mono_start_ns = m == RV_CLOCK_WALL ? monotonic_ns() : 0;
}

rv_ms
rv_clock_now(const struct rv_clock *c)
{
	if (c->mode == RV_CLOCK_FAST)
		return c->fast_now;
	return c->start + (monotonic_ns() - c->mono_start_ns) / 1000000;
}

/* Longest single wait, so that a deadline in ns cannot overflow however
 * far ahead t is; the loop simply waits again. */
#define WAIT_MAX_MS	((int64_t)365 * RV_MS_PER_DAY)

static void
sleep_wall_until(const struct rv_clock *c, rv_ms t)
{
	struct timespec deadline;
	rv_ms now, ahead;
	int64_t ns;

	for (;;) {
		now = rv_clock_now(c);
		if (now >= t)
			return;
		/* Absolute, so that a signal that interrupts the wait does
		 * not stretch it when we wait again. */
		if (__builtin_sub_overflow(t, now, &ahead) ||
		    ahead > WAIT_MAX_MS)
			ns = monotonic_ns() + WAIT_MAX_MS * 1000000;
		else
			ns = c->mono_start_ns +
			    (now - c->start + ahead) * 1000000;
		deadline.tv_sec = ns / 1000000000;
		deadline.tv_nsec = ns % 1000000000;
		/* EINTR (and any other return) leads back to the check
		 * above: the only way out is the clock reaching t. */
		(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
		    &deadline, NULL);
	}
}

void
rv_clock_sleep_until(struct rv_clock *c, rv_ms t)
{
	if (c->mode == RV_CLOCK_FAST) {
		if (t > c->fast_now)
			c->fast_now = t;
		return;
	}
	sleep_wall_until(c, t);
}
