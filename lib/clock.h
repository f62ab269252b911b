/*
 * clock — instants, durations, frame rates and the clock (DESIGN.md §4).
 *
 * An instant is int64 milliseconds since the Unix epoch, UTC; a duration is
 * int64 milliseconds.  Frame rates are rationals num/den.  Everything here is
 * integer arithmetic: frame indices, 90 kHz PTS and audio sample counts are
 * exact at every rate and never accumulate error.
 *
 * The module owns the textual forms of these values (ISO-8601 instants, DSL
 * durations, "30000/1001" rates), where "now" comes from (--now, $RV_NOW,
 * the real clock) and the virtual clock behind --clock wall|fast.
 */
#ifndef RV_CLOCK_H
#define RV_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

typedef int64_t rv_ms;

#define RV_MS_PER_SEC	1000
#define RV_MS_PER_MIN	(60 * RV_MS_PER_SEC)
#define RV_MS_PER_HOUR	(60 * RV_MS_PER_MIN)
#define RV_MS_PER_DAY	((int64_t)24 * RV_MS_PER_HOUR)

#define RV_PTS_HZ	90000
#define RV_RATE_MAX	1000000		/* largest num or den accepted */

/* Buffer sizes that always hold the formatted text. */
#define RV_TIME_STR	48	/* "-292277026-01-01T00:00:00.000+23:59:59" */
#define RV_RATE_STR	24	/* "30000/1001" */
#define RV_DURATION_STR	48	/* "-2562047788015h12m55s808ms" */

/* Proleptic Gregorian calendar.  Days are counted from 1970-01-01. */
int64_t	rv_days_from_civil(int64_t year, int mon, int day);
void	rv_civil_from_days(int64_t days, int64_t *year, int *mon, int *day);
int	rv_is_leap_year(int64_t year);
int	rv_days_in_month(int64_t year, int mon);

/* floor(a / b) and the matching non-negative remainder; b > 0. */
int64_t	rv_floor_div(int64_t a, int64_t b);
int64_t	rv_floor_mod(int64_t a, int64_t b);

/*
 * Frame rates.  A parsed rate is reduced to lowest terms, with
 * 1 <= num, den <= RV_RATE_MAX.
 */
struct rv_rate {
	int64_t	num;
	int64_t	den;
};

/* "30000/1001", "25/1", "25", and the customary spellings 23.976, 29.97
 * and 59.94 of 24000/1001, 30000/1001 and 60000/1001. */
int	rv_rate_parse(const char *s, struct rv_rate *r, struct rv_err *err);
/* Always "num/den". */
char	*rv_rate_format(struct rv_rate r, char *buf, size_t n);

/*
 * Frame arithmetic, for any rate rv_rate_parse accepts and sample rates up
 * to 1,000,000.  The full product is never formed: a quotient/remainder
 * split keeps every intermediate term below 2^63, so each result is exact
 * whenever the result itself fits in int64.  For PTS at 1 frame/s or more
 * that is n < 10^14 (over 3000 years at 1000 frames/s); a year at
 * 120 frames/s is only 3.8 * 10^9 frames.
 */

/* Frame index of instant t in a session that started at e, elapsed = t - e:
 * ceil(elapsed * num / (den * 1000)).  A block that ends at elapsed ends on
 * the frame this returns (its fence). */
int64_t	rv_fence_frame(rv_ms elapsed, struct rv_rate r);
/* 90 kHz PTS of frame n: floor(n * 90000 * den / num). */
int64_t	rv_frame_pts(int64_t n, struct rv_rate r);
/* Offset of frame n from the session start: floor(n * 1000 * den / num). */
rv_ms	rv_frame_ms(int64_t n, struct rv_rate r);
/* First audio sample of frame n: floor(n * sample_rate * den / num). */
int64_t	rv_frame_sample_start(int64_t n, struct rv_rate r,
	    int64_t sample_rate);
/* Samples that go with frame n (1601, 1602, 1601, 1602, 1602 … at
 * 30000/1001 and 48 kHz). */
int64_t	rv_frame_samples(int64_t n, struct rv_rate r, int64_t sample_rate);

/*
 * ISO-8601 instants: YYYY-MM-DDTHH:MM[:SS[.fff…]] then Z, ±HH:MM or ±HHMM
 * (a space may stand for the T; digits beyond the millisecond are
 * truncated), or a plain integer of epoch milliseconds.  A local time
 * without a zone is an error: nothing here guesses one.
 */
int	rv_time_parse(const char *s, rv_ms *out, struct rv_err *err);
/* "2025-11-01T10:00:00Z", with ".123" before the Z when ms != 0. */
char	*rv_time_format(rv_ms t, char *buf, size_t n);
/* The same instant as local time at offset_s east of UTC:
 * "2025-11-01T06:00:00-04:00".  An offset with seconds (old local mean
 * times) is written ±HH:MM:SS, which rv_time_parse also reads. */
char	*rv_time_format_offset(rv_ms t, int offset_s, char *buf, size_t n);

/*
 * Durations as the channel DSL writes them: "90m", "1.5h", "2h 15m",
 * "1h30m15s", "500ms", "HH:MM:SS", or a bare number of seconds.  Units go
 * from largest to smallest, each at most once; a decimal fraction must come
 * to a whole number of milliseconds.
 */
int	rv_duration_parse(const char *s, rv_ms *out, struct rv_err *err);
/* "1h30m", "45s", "1s500ms", "0s"; the parser reads it back. */
char	*rv_duration_format(rv_ms d, char *buf, size_t n);

/* CLOCK_REALTIME in ms. */
rv_ms	rv_wall_now(void);
/* Milliseconds of CLOCK_MONOTONIC: for intervals, not instants. */
int64_t	rv_mono_ms(void);
/* "Now" for a program: arg (from --now) if non-NULL, else $RV_NOW if set
 * and non-empty, else the real clock. */
int	rv_now_resolve(const char *arg, rv_ms *now, struct rv_err *err);

/*
 * The virtual clock behind --clock.  WALL follows CLOCK_MONOTONIC from the
 * virtual instant given at init, so stepping the system clock does not
 * disturb pacing.  FAST stands still until told to sleep, then jumps: a day
 * of a channel renders as fast as the CPU allows, and tests never wait.
 */
enum rv_clock_mode {
	RV_CLOCK_WALL,
	RV_CLOCK_FAST
};

struct rv_clock {
	enum rv_clock_mode	 mode;
	rv_ms			 start;		/* virtual instant at init */
	rv_ms			 fast_now;	/* FAST: the virtual instant */
	int64_t			 mono_start_ns;	/* WALL: CLOCK_MONOTONIC at init */
};

/* "wall" or "fast". */
int	rv_clock_mode_parse(const char *s, enum rv_clock_mode *m,
	    struct rv_err *err);
const char *rv_clock_mode_name(enum rv_clock_mode m);
void	rv_clock_init(struct rv_clock *c, enum rv_clock_mode m, rv_ms start);
rv_ms	rv_clock_now(const struct rv_clock *c);
/* Return once the clock reads t or later, never before.  FAST jumps to
 * max(now, t) at once; WALL sleeps on CLOCK_MONOTONIC, resuming after
 * signals. */
void	rv_clock_sleep_until(struct rv_clock *c, rv_ms t);

#endif
