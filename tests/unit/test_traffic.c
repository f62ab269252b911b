/* Unit tests for lib/traffic: filling a plan's breaks.
 *
 * The pad numbers are upstream-dsl-compiler.md §4.5 / §7 item 13 and
 * upstream-horizon-playout.md §1.6 (INV-BREAK-PAD-EXACT).  Catalogs are
 * built in memory; every plan a test makes must pass rv_plan_check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expand.h"
#include "prng.h"
#include "traffic.h"

#define SEC	INT64_C(1000)
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define T0	INT64_C(1767268800000)	/* 2026-01-01T12:00:00Z */
#define DAY0	INT64_C(1767225600000)	/* 2026-01-01T00:00:00Z */

#define COMMERCIAL	0
#define PROMO		1
#define STATION_ID	2
#define PSA		3
#define BUMPER		5
#define FILLER		6

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
assert_err_names(const struct rv_err *err, const char *what)
{
	if (strstr(err->msg, what) != NULL)
		return;
	print_error("message \"%s\" does not name \"%s\"\n", err->msg, what);
	fail();
}

/* A channel as rv_channel_load leaves one without a traffic section,
 * in UTC with the day starting at 06:00. */
static struct rv_channel
channel(void)
{
	struct rv_channel c;
	int i;

	memset(&c, 0, sizeof(c));
	c.id = "ch";
	c.type = "network";
	c.timezone = "UTC";
	c.day_start_min = 360;
	c.traffic.allowed = (1 << 7) - 1;
	c.traffic.default_cooldown_ms = HOUR;
	for (i = 0; i < 8; i++)
		c.traffic.cooldown_ms[i] = -1;
	return c;
}

struct lib {
	struct rv_cat_asset a[32];
	char	ids[32][RV_ASSET_ID], titles[32][32], paths[32][64];
	struct rv_catalog cat;
};

static int
by_id(const void *x, const void *y)
{
	return strcmp(((const struct rv_cat_asset *)x)->id,
	    ((const struct rv_cat_asset *)y)->id);
}

/* Asset i is "a-<i>", of kind kinds[i] (an rv_interstitial_kinds index,
 * or -1 for an episode) and duration durs[i]. */
static void
library(struct lib *l, const int *kinds, const int64_t *durs, int n)
{
	int i;

	memset(l, 0, sizeof(*l));
	assert_true(n <= 32);
	for (i = 0; i < n; i++) {
		snprintf(l->ids[i], sizeof(l->ids[i]), "a-%02d", i);
		snprintf(l->titles[i], sizeof(l->titles[i]), "Spot %02d", i);
		snprintf(l->paths[i], sizeof(l->paths[i]), "/media/spots/%02d.mp4",
		    i);
		l->a[i].id = l->ids[i];
		l->a[i].kind = kinds[i] < 0 ? "episode" :
		    rv_interstitial_kinds[kinds[i]];
		l->a[i].title = l->titles[i];
		l->a[i].path = l->paths[i];
		l->a[i].duration_ms = durs[i];
	}
	qsort(l->a, (size_t)n, sizeof(l->a[0]), by_id);
	l->cat.assets = l->a;
	l->cat.n = (size_t)n;
}

/* n commercials of dur ms each. */
static void
same_spots(struct lib *l, int n, int64_t dur)
{
	int kinds[32];
	int64_t durs[32];
	int i;

	for (i = 0; i < n; i++) {
		kinds[i] = COMMERCIAL;
		durs[i] = dur;
	}
	library(l, kinds, durs, n);
}

/* A plan of one break of dur ms at start. */
static void
break_plan(struct rv_plan *p, const char *block_id, int64_t start,
    int64_t dur)
{
	struct rv_segment s;
	struct rv_err err;

	memset(p, 0, sizeof(*p));
	strlcpy(p->block_id, block_id, sizeof(p->block_id));
	p->start_ms = start;
	p->end_ms = start + dur;
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_BREAK;
	s.dur_ms = dur;
	assert_int_equal(rv_plan_push(p, &s, &err), 0);
}

/* Example C's layout: 4 acts, breaks of 99,334 / 99,333 / 99,333. */
static struct rv_cat_asset episode = {
	.id = "e-01", .kind = "episode", .title = "Episode",
	.path = "/media/show/e01.mkv", .duration_ms = 1502000,
};

static void
network_plan(const struct rv_channel *c, struct rv_plan *plan,
    const char *block_id, int64_t start)
{
	struct rv_program p;
	struct rv_err err;

	memset(&p, 0, sizeof(p));
	strlcpy(p.block_id, block_id, sizeof(p.block_id));
	p.start_ms = start;
	p.end_ms = start + 30 * MIN;
	p.runtime_ms = episode.duration_ms;
	p.asset = &episode;
	p.title = "Episode";
	assert_int_equal(rv_expand(c, &p, plan, &err), 0);
}

static void
assert_plan_ok(const struct rv_plan *plan)
{
	struct rv_err err;

	err.msg[0] = '\0';
	if (rv_plan_check(plan, &err) == 0)
		return;
	print_error("plan fails its check: %s\n", err.msg);
	fail();
}

static void
init(struct rv_traffic_ctx *t, const struct rv_channel *c,
    const struct rv_catalog *cat)
{
	assert_int_equal(rv_traffic_init(t, c, cat), 0);
}

static void
fill(struct rv_traffic_ctx *t, struct rv_plan *plan)
{
	struct rv_err err;

	if (rv_traffic_fill(t, plan, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	assert_plan_ok(plan);
}

static int
is_spot(enum rv_seg_type t)
{
	return t >= RV_SEG_COMMERCIAL && t <= RV_SEG_FILLER;
}

/* Planned start of segment i. */
static int64_t
seg_start(const struct rv_plan *p, int i)
{
	int64_t at = p->start_ms;
	int j;

	for (j = 0; j < i; j++)
		at += p->segs[j].dur_ms;
	return at;
}

static int64_t
sum_of(const struct rv_plan *p, enum rv_seg_type t)
{
	int64_t sum = 0;
	int i;

	for (i = 0; i < p->n; i++)
		if (p->segs[i].type == t)
			sum += p->segs[i].dur_ms;
	return sum;
}

/* The plan's segments as "type:dur" words, for comparing fills. */
static void
describe(const struct rv_plan *p, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < p->n && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s:%s:%lld ",
		    rv_seg_type_name(p->segs[i].type),
		    p->segs[i].asset_id ? p->segs[i].asset_id : "-",
		    (long long)p->segs[i].dur_ms);
}

static void
assert_seg(const struct rv_plan *p, int i, enum rv_seg_type type,
    int64_t dur)
{
	assert_true(i < p->n);
	assert_string_equal(rv_seg_type_name(p->segs[i].type),
	    rv_seg_type_name(type));
	assert_i64(p->segs[i].dur_ms, dur);
}

static void
break_of_62000_with_two_30000_spots_is_spot_pad_1000_spot_pad_1000(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	same_spots(&l, 2, 30 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 4);
	assert_seg(&plan, 0, RV_SEG_COMMERCIAL, 30000);
	assert_seg(&plan, 1, RV_SEG_PAD, 1000);
	assert_seg(&plan, 2, RV_SEG_COMMERCIAL, 30000);
	assert_seg(&plan, 3, RV_SEG_PAD, 1000);
	assert_null(plan.segs[1].uri);
	assert_i64(plan.unfilled_ms, 2000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
break_of_100000_with_three_30000_spots_gets_pads_3333_3333_3334(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	same_spots(&l, 3, 30 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 100 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 6);
	assert_seg(&plan, 1, RV_SEG_PAD, 3333);
	assert_seg(&plan, 3, RV_SEG_PAD, 3333);
	assert_seg(&plan, 5, RV_SEG_PAD, 3334);
	assert_i64(plan.unfilled_ms, 10000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
leftover_ms_go_to_the_last_pads_and_zero_pads_are_omitted(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	/* 3 spots + 2000 ms → 666, 667, 667. */
	same_spots(&l, 3, 10 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 32 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 6);
	assert_seg(&plan, 1, RV_SEG_PAD, 666);
	assert_seg(&plan, 3, RV_SEG_PAD, 667);
	assert_seg(&plan, 5, RV_SEG_PAD, 667);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* 4 spots + 1333 ms → 333, 333, 333, 334. */
	same_spots(&l, 4, 10 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 41333);
	fill(&t, &plan);
	assert_int_equal(plan.n, 8);
	assert_seg(&plan, 1, RV_SEG_PAD, 333);
	assert_seg(&plan, 3, RV_SEG_PAD, 333);
	assert_seg(&plan, 5, RV_SEG_PAD, 333);
	assert_seg(&plan, 7, RV_SEG_PAD, 334);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* 3 spots + 2 ms → 0, 1, 1: the zero pad is omitted. */
	same_spots(&l, 3, 10 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 30002);
	fill(&t, &plan);
	assert_int_equal(plan.n, 5);
	assert_seg(&plan, 0, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 1, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 2, RV_SEG_PAD, 1);
	assert_seg(&plan, 3, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 4, RV_SEG_PAD, 1);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* An exact fit leaves no pad at all. */
	same_spots(&l, 3, 10 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 30 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 3);
	assert_i64(plan.unfilled_ms, 0);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
spots_are_placed_until_none_fits_the_time_left(void **state)
{
	static const int kinds[] = { COMMERCIAL, COMMERCIAL, PROMO,
		STATION_ID, COMMERCIAL };
	static const int64_t durs[] = { 40000, 25000, 15000, 5000, 60000 };
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char id[32];
	int64_t left;
	int b, i, j, used;

	(void)state;
	library(&l, kinds, durs, 5);
	for (b = 0; b < 20; b++) {
		init(&t, &c, &l.cat);
		snprintf(id, sizeof(id), "ch-b%d", b);
		break_plan(&plan, id, T0, 70 * SEC);
		fill(&t, &plan);
		left = sum_of(&plan, RV_SEG_PAD);
		/* Every spot not placed (each may air once an hour) is
		 * longer than what is left. */
		for (j = 0; j < 5; j++) {
			used = 0;
			for (i = 0; i < plan.n; i++)
				if (plan.segs[i].asset_id != NULL &&
				    strcmp(plan.segs[i].asset_id,
				    l.a[j].id) == 0)
					used++;
			assert_true(used <= 1);
			if (!used)
				assert_true(l.a[j].duration_ms > left);
		}
		rv_plan_free(&plan);
		rv_traffic_free(&t);
	}
}

static void
break_where_no_spot_fits_is_pad_when_the_channel_has_spots(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_ms = HOUR;
	same_spots(&l, 2, 30 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 20 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_PAD, 20000);
	assert_i64(plan.unfilled_ms, 20000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
no_library_plays_the_filler_file_from_0_for_the_whole_break(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_title = "Stand by";
	c.filler_ms = HOUR;
	init(&t, &c, NULL);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_FILLER, 62000);
	assert_string_equal(plan.segs[0].uri, "/media/filler.mp4");
	assert_string_equal(plan.segs[0].title, "Stand by");
	assert_null(plan.segs[0].asset_id);
	assert_i64(plan.segs[0].in_ms, 0);
	assert_int_equal(plan.segs[0].loops, 0);
	assert_i64(plan.unfilled_ms, 62000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
break_longer_than_the_filler_file_loops_it_and_flags_loops(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_ms = 45 * SEC;
	init(&t, &c, NULL);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_FILLER, 62000);
	assert_i64(plan.segs[0].in_ms, 0);
	assert_int_equal(plan.segs[0].loops, 1);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
no_library_and_no_filler_is_pad(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;

	(void)state;
	init(&t, &c, NULL);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_PAD, 62000);
	assert_i64(plan.unfilled_ms, 62000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
spots_of_kinds_not_allowed_are_no_library_so_the_filler_plays(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_ms = HOUR;
	c.traffic.allowed = 1 << PROMO;
	same_spots(&l, 3, 10 * SEC);	/* commercials */
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_FILLER, 62000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
filling_twice_leaves_the_first_fill_unchanged(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char first[4096], second[4096];
	int64_t unfilled;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	same_spots(&l, 5, 30 * SEC);
	init(&t, &c, &l.cat);
	network_plan(&c, &plan, "ch-20260101T1200Z", T0);
	fill(&t, &plan);
	describe(&plan, first, sizeof(first));
	unfilled = plan.unfilled_ms;
	fill(&t, &plan);
	describe(&plan, second, sizeof(second));
	assert_string_equal(first, second);
	assert_i64(plan.unfilled_ms, unfilled);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
spot_noted_10_minutes_ago_with_a_1h_cooldown_is_not_chosen(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char id[32];
	int b, seen = 0;

	(void)state;
	same_spots(&l, 2, 30 * SEC);
	for (b = 0; b < 16; b++) {
		snprintf(id, sizeof(id), "ch-b%d", b);
		/* Without the note a-00 is chosen sometimes … */
		init(&t, &c, &l.cat);
		break_plan(&plan, id, T0, 30 * SEC);
		fill(&t, &plan);
		seen += strcmp(plan.segs[0].asset_id, "a-00") == 0;
		rv_plan_free(&plan);
		rv_traffic_free(&t);
		/* … with it, never. */
		init(&t, &c, &l.cat);
		assert_int_equal(rv_traffic_note(&t, "a-00", T0 - 10 * MIN),
		    0);
		break_plan(&plan, id, T0, 30 * SEC);
		fill(&t, &plan);
		assert_string_equal(plan.segs[0].asset_id, "a-01");
		rv_plan_free(&plan);
		rv_traffic_free(&t);
	}
	assert_true(seen > 0);
}

static void
cooldown_also_keeps_a_spot_away_from_a_later_planned_play(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char id[32];
	int b;

	(void)state;
	same_spots(&l, 2, 30 * SEC);
	for (b = 0; b < 16; b++) {
		snprintf(id, sizeof(id), "ch-b%d", b);
		init(&t, &c, &l.cat);
		assert_int_equal(rv_traffic_note(&t, "a-00", T0 + 10 * MIN),
		    0);
		/* Exactly one cooldown before: allowed again. */
		assert_int_equal(rv_traffic_note(&t, "a-01", T0 - HOUR), 0);
		break_plan(&plan, id, T0, 30 * SEC);
		fill(&t, &plan);
		assert_string_equal(plan.segs[0].asset_id, "a-01");
		rv_plan_free(&plan);
		rv_traffic_free(&t);
	}
}

static void
type_cooldown_overrides_the_default(void **state)
{
	static const int kinds[] = { COMMERCIAL, PROMO };
	static const int64_t durs[] = { 30000, 30000 };
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	library(&l, kinds, durs, 2);
	/* Promos may repeat after 5 minutes, commercials after the
	 * default hour: both aired 10 minutes ago, only the promo fits. */
	c.traffic.cooldown_ms[PROMO] = 5 * MIN;
	init(&t, &c, &l.cat);
	assert_int_equal(rv_traffic_note(&t, "a-00", T0 - 10 * MIN), 0);
	assert_int_equal(rv_traffic_note(&t, "a-01", T0 - 10 * MIN), 0);
	break_plan(&plan, "ch-b", T0, 60 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 2);
	assert_seg(&plan, 0, RV_SEG_PROMO, 30000);
	assert_string_equal(plan.segs[0].asset_id, "a-01");
	assert_seg(&plan, 1, RV_SEG_PAD, 30000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* A type cooldown longer than the default holds too. */
	c.traffic.default_cooldown_ms = 0;
	c.traffic.cooldown_ms[PROMO] = 2 * HOUR;
	init(&t, &c, &l.cat);
	assert_int_equal(rv_traffic_note(&t, "a-01", T0 - HOUR), 0);
	break_plan(&plan, "ch-b", T0, 60 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 2);
	assert_string_equal(plan.segs[0].asset_id, "a-00");
	assert_string_equal(plan.segs[1].asset_id, "a-00");
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
spots_a_fill_placed_count_for_the_cooldown_of_later_breaks(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	same_spots(&l, 1, 99333);
	init(&t, &c, &l.cat);
	network_plan(&c, &plan, "ch-20260101T1200Z", T0);
	fill(&t, &plan);
	/* act, spot + pad 1, act, pad, act, pad, act */
	assert_int_equal(plan.n, 8);
	assert_seg(&plan, 1, RV_SEG_COMMERCIAL, 99333);
	assert_seg(&plan, 2, RV_SEG_PAD, 1);
	assert_seg(&plan, 4, RV_SEG_PAD, 99333);
	assert_seg(&plan, 6, RV_SEG_PAD, 99333);
	rv_plan_free(&plan);

	/* … and for the next plans: half an hour later, still cooling. */
	network_plan(&c, &plan, "ch-20260101T1230Z", T0 + 30 * MIN);
	fill(&t, &plan);
	assert_i64(sum_of(&plan, RV_SEG_COMMERCIAL), 0);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
max_plays_per_day_caps_the_plays_of_a_broadcast_day(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	c.traffic.max_plays_per_day = 3;
	same_spots(&l, 1, 10 * SEC);
	init(&t, &c, &l.cat);
	/* Noted plays count, before and after the break, in its day. */
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 7 * HOUR), 0);
	break_plan(&plan, "ch-b", T0, 60 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 4);
	assert_seg(&plan, 0, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 1, RV_SEG_PAD, 20000);
	assert_seg(&plan, 2, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 3, RV_SEG_PAD, 20000);
	rv_plan_free(&plan);
	/* The day is now full. */
	break_plan(&plan, "ch-b2", T0 + 6 * HOUR, 60 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_PAD, 60000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
plays_of_another_broadcast_day_do_not_count_toward_the_cap(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	c.traffic.max_plays_per_day = 2;
	same_spots(&l, 1, 10 * SEC);
	init(&t, &c, &l.cat);
	/* The day starts at 06:00: 05:59 is yesterday, 06:00 tomorrow is
	 * tomorrow. */
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 6 * HOUR - 1), 0);
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 6 * HOUR - 2), 0);
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 30 * HOUR), 0);
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 31 * HOUR), 0);
	break_plan(&plan, "ch-b", DAY0 + 6 * HOUR, 30 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 4);
	assert_seg(&plan, 0, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 1, RV_SEG_PAD, 5000);
	assert_seg(&plan, 2, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 3, RV_SEG_PAD, 5000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
a_spot_the_pads_could_push_into_the_next_day_counts_toward_its_cap(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	c.traffic.max_plays_per_day = 1;
	same_spots(&l, 1, 10 * SEC);
	/* A 30 s break from 05:59:50: a spot placed first could start as
	 * late as 06:00:10, in a day whose one play is taken. */
	init(&t, &c, &l.cat);
	assert_int_equal(rv_traffic_note(&t, "a-00", DAY0 + 7 * HOUR), 0);
	break_plan(&plan, "ch-b", DAY0 + 6 * HOUR - 10 * SEC, 30 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_seg(&plan, 0, RV_SEG_PAD, 30000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* Without that play it airs once. */
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", DAY0 + 6 * HOUR - 10 * SEC, 30 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 2);
	assert_seg(&plan, 0, RV_SEG_COMMERCIAL, 10000);
	assert_seg(&plan, 1, RV_SEG_PAD, 20000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
only_spots_of_the_allowed_kinds_are_placed(void **state)
{
	static const int kinds[] = { COMMERCIAL, PROMO, STATION_ID, -1, PROMO,
		COMMERCIAL, FILLER };
	static const int64_t durs[] = { 5000, 5000, 5000, 5000, 5000, 5000,
		5000 };
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	int i;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	c.traffic.allowed = 1 << PROMO | 1 << STATION_ID;
	library(&l, kinds, durs, 7);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 120 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 24);
	for (i = 0; i < plan.n; i++)
		assert_true(plan.segs[i].type == RV_SEG_PROMO ||
		    plan.segs[i].type == RV_SEG_STATION_ID);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
spots_carry_their_own_file_id_title_and_gain(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	same_spots(&l, 1, 30 * SEC);
	l.a[0].has_gain = 1;
	l.a[0].gain_db = -4.5;
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 30 * SEC);
	fill(&t, &plan);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.segs[0].uri, "/media/spots/00.mp4");
	assert_string_equal(plan.segs[0].asset_id, "a-00");
	assert_string_equal(plan.segs[0].title, "Spot 00");
	assert_true(plan.segs[0].gain_db == -4.5);
	assert_i64(plan.segs[0].in_ms, 0);
	assert_i64(plan.segs[0].fade_in_ms + plan.segs[0].fade_out_ms, 0);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

/* Fill a network plan in a fresh context with notes a-00/a-01 aired. */
static void
fresh_fill(const struct rv_channel *c, const struct lib *l,
    const char *block_id, char *out, size_t n)
{
	struct rv_traffic_ctx t;
	struct rv_plan plan;

	init(&t, c, &l->cat);
	assert_int_equal(rv_traffic_note(&t, "a-00", T0 - 10 * MIN), 0);
	assert_int_equal(rv_traffic_note(&t, "a-01", T0 - 50 * MIN), 0);
	network_plan(c, &plan, block_id, T0);
	fill(&t, &plan);
	describe(&plan, out, n);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
refill_with_the_same_seed_is_identical(void **state)
{
	struct rv_channel c = channel();
	struct lib l;
	char a[4096], b[4096];

	(void)state;
	c.traffic.default_cooldown_ms = 20 * MIN;
	same_spots(&l, 12, 15 * SEC);
	fresh_fill(&c, &l, "ch-20260101T1200Z", a, sizeof(a));
	fresh_fill(&c, &l, "ch-20260101T1200Z", b, sizeof(b));
	assert_string_equal(a, b);
}

static void
a_different_block_id_gives_a_different_choice(void **state)
{
	struct rv_channel c = channel();
	struct lib l;
	char a[4096], b[4096];

	(void)state;
	c.traffic.default_cooldown_ms = 20 * MIN;
	same_spots(&l, 12, 15 * SEC);
	fresh_fill(&c, &l, "ch-20260101T1200Z", a, sizeof(a));
	fresh_fill(&c, &l, "ch-20260101T1200Z-b", b, sizeof(b));
	assert_string_not_equal(a, b);
}

static void
break_i_draws_with_the_seed_channel_slash_block_slash_i(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct rv_prng prng;
	struct lib l;
	char want[8];
	int i;

	(void)state;
	/* Five 60 s spots, one 60 s break: one draw among all five. */
	same_spots(&l, 5, 60 * SEC);
	init(&t, &c, &l.cat);
	network_plan(&c, &plan, "ch-20260101T1200Z", T0);
	for (i = 0; i < plan.n; i++)
		if (plan.segs[i].type == RV_SEG_BREAK)
			plan.segs[i].dur_ms = 60 * SEC;
	plan.end_ms = seg_start(&plan, plan.n);
	fill(&t, &plan);
	/* Spots of earlier breaks are cooling: later draws are among the
	 * rest, so only break 0 is checked against the PRNG directly. */
	rv_prng_seed(&prng, "ch/ch-20260101T1200Z/0");
	snprintf(want, sizeof(want), "a-%02d",
	    (int)rv_prng_below(&prng, 5));
	assert_string_equal(plan.segs[1].asset_id, want);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
unfilled_ms_is_the_pad_and_filler_placed_in_breaks(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	c.traffic.default_cooldown_ms = 0;
	same_spots(&l, 3, 45 * SEC);
	init(&t, &c, &l.cat);
	network_plan(&c, &plan, "ch-20260101T1200Z", T0);
	fill(&t, &plan);
	/* 99,334 / 99,333 / 99,333 each hold two 45 s spots. */
	assert_i64(sum_of(&plan, RV_SEG_COMMERCIAL), 6 * 45 * SEC);
	assert_i64(plan.unfilled_ms, sum_of(&plan, RV_SEG_PAD));
	assert_i64(plan.unfilled_ms, 298000 - 6 * 45 * SEC);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	c.filler_path = "/media/filler.mp4";
	c.filler_ms = HOUR;
	init(&t, &c, NULL);
	network_plan(&c, &plan, "ch-20260101T1200Z", T0);
	fill(&t, &plan);
	assert_i64(plan.unfilled_ms, sum_of(&plan, RV_SEG_FILLER));
	assert_i64(plan.unfilled_ms, 298000);
	rv_plan_free(&plan);
	rv_traffic_free(&t);

	/* A movie's break with spots that fill only part of it. */
	c.type = "movie";
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-m", T0, 100 * SEC);
	fill(&t, &plan);
	assert_i64(plan.unfilled_ms, sum_of(&plan, RV_SEG_PAD));
	assert_i64(plan.unfilled_ms, 10 * SEC);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
cooldown_holds_for_final_starts_after_the_pads_push_spots_later(
    void **state)
{
	static const int kinds[] = { COMMERCIAL, COMMERCIAL };
	static const int64_t durs[] = { 10000, 10000 };
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char id[32];
	int b, i;

	(void)state;
	/*
	 * A break of 25 s at T0 and a play of a-00 at T0 + 72 s, one
	 * minute's cooldown.  After a-01, a-00 would start at T0 + 10 s
	 * without pads (62 s before the play) but at T0 + 12.5 s with
	 * them (59.5 s): it must not be chosen in any order.
	 */
	c.traffic.default_cooldown_ms = MIN;
	library(&l, kinds, durs, 2);
	for (b = 0; b < 16; b++) {
		snprintf(id, sizeof(id), "ch-b%d", b);
		init(&t, &c, &l.cat);
		assert_int_equal(rv_traffic_note(&t, "a-00", T0 + 72 * SEC),
		    0);
		break_plan(&plan, id, T0, 25 * SEC);
		fill(&t, &plan);
		for (i = 0; i < plan.n; i++)
			if (plan.segs[i].asset_id != NULL)
				assert_string_equal(plan.segs[i].asset_id,
				    "a-01");
		rv_plan_free(&plan);
		rv_traffic_free(&t);
	}
}

/* A day of plans in one context, spots of mixed kinds and lengths: every
 * final start keeps its cooldown to every other play of the asset, and
 * no broadcast day has more than the cap. */
static void
a_day_of_fills_keeps_every_cooldown_and_cap_at_the_final_starts(
    void **state)
{
	static const int kinds[] = { COMMERCIAL, COMMERCIAL, COMMERCIAL,
		COMMERCIAL, PROMO, PROMO, PROMO, STATION_ID, STATION_ID, PSA,
		BUMPER, COMMERCIAL };
	static const int64_t durs[] = { 15000, 30000, 30000, 60000, 10000,
		20000, 45000, 5000, 7000, 30000, 3000, 15000 };
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;
	char id[64];
	int64_t starts[12][512], cd, day;
	int n[12], b, i, j, k, placed = 0, perday[12][3];

	(void)state;
	c.traffic.default_cooldown_ms = 20 * MIN;
	c.traffic.cooldown_ms[PROMO] = 45 * MIN;
	c.traffic.cooldown_ms[STATION_ID] = 0;
	c.traffic.max_plays_per_day = 9;
	library(&l, kinds, durs, 12);
	memset(n, 0, sizeof(n));
	init(&t, &c, &l.cat);
	/* 2026-01-01T00:00Z for 24 h: two broadcast days (06:00). */
	for (b = 0; b < 48; b++) {
		snprintf(id, sizeof(id), "ch-blk%02d", b);
		network_plan(&c, &plan, id, DAY0 + b * 30 * MIN);
		fill(&t, &plan);
		assert_i64(plan.unfilled_ms, sum_of(&plan, RV_SEG_PAD));
		for (i = 0; i < plan.n; i++) {
			if (!is_spot(plan.segs[i].type))
				continue;
			k = plan.segs[i].asset_id[3] - '0' +
			    10 * (plan.segs[i].asset_id[2] - '0');
			assert_true(n[k] < 512);
			starts[k][n[k]++] = seg_start(&plan, i);
			placed++;
		}
		rv_plan_free(&plan);
	}
	rv_traffic_free(&t);
	assert_true(placed > 100);
	for (k = 0; k < 12; k++) {
		cd = kinds[k] == PROMO ? 45 * MIN :
		    kinds[k] == STATION_ID ? 0 : 20 * MIN;
		memset(perday[k], 0, sizeof(perday[k]));
		for (i = 0; i < n[k]; i++) {
			for (j = i + 1; j < n[k]; j++)
				assert_true(starts[k][j] - starts[k][i] >= cd);
			day = (starts[k][i] - (DAY0 - 18 * HOUR)) / (24 * HOUR);
			assert_true(day >= 0 && day < 3);
			perday[k][day]++;
		}
		for (i = 0; i < 3; i++)
			assert_true(perday[k][i] <= 9);
	}
}

static void
filler_of_no_positive_duration_is_an_error_and_the_plan_is_unchanged(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct rv_err err;
	int64_t bad[] = { 0, -5 };
	size_t i;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.filler_ms = bad[i];
		init(&t, &c, NULL);
		break_plan(&plan, "ch-b", T0, 62 * SEC);
		assert_int_equal(rv_traffic_fill(&t, &plan, &err), -1);
		assert_err_names(&err, "positive");
		assert_int_equal(plan.n, 1);
		assert_int_equal(plan.segs[0].type, RV_SEG_BREAK);
		assert_i64(plan.unfilled_ms, 0);
		rv_plan_free(&plan);
		rv_traffic_free(&t);
	}
}

static void
a_zone_the_system_does_not_know_is_an_error_and_the_plan_is_unchanged(
    void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct rv_err err;
	struct lib l;

	(void)state;
	c.timezone = "Nowhere/Atlantis";
	c.traffic.max_plays_per_day = 5;
	same_spots(&l, 2, 30 * SEC);
	init(&t, &c, &l.cat);
	break_plan(&plan, "ch-b", T0, 62 * SEC);
	assert_int_equal(rv_traffic_fill(&t, &plan, &err), -1);
	assert_err_names(&err, "Nowhere/Atlantis");
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.segs[0].type, RV_SEG_BREAK);
	assert_i64(plan.unfilled_ms, 0);
	rv_plan_free(&plan);
	rv_traffic_free(&t);
}

static void
notes_of_assets_that_are_not_spots_are_ignored(void **state)
{
	struct rv_channel c = channel();
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	struct lib l;

	(void)state;
	same_spots(&l, 1, 30 * SEC);
	init(&t, &c, &l.cat);
	assert_int_equal(rv_traffic_note(&t, "a-99", T0), 0);
	assert_int_equal(rv_traffic_note(&t, "e-01", T0), 0);
	assert_int_equal(rv_traffic_note(&t, NULL, T0), 0);
	break_plan(&plan, "ch-b", T0, 30 * SEC);
	fill(&t, &plan);
	assert_string_equal(plan.segs[0].asset_id, "a-00");
	rv_plan_free(&plan);
	rv_traffic_free(&t);
	rv_traffic_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(break_of_62000_with_two_30000_spots_is_spot_pad_1000_spot_pad_1000),
		cmocka_unit_test(break_of_100000_with_three_30000_spots_gets_pads_3333_3333_3334),
		cmocka_unit_test(leftover_ms_go_to_the_last_pads_and_zero_pads_are_omitted),
		cmocka_unit_test(spots_are_placed_until_none_fits_the_time_left),
		cmocka_unit_test(break_where_no_spot_fits_is_pad_when_the_channel_has_spots),
		cmocka_unit_test(no_library_plays_the_filler_file_from_0_for_the_whole_break),
		cmocka_unit_test(break_longer_than_the_filler_file_loops_it_and_flags_loops),
		cmocka_unit_test(no_library_and_no_filler_is_pad),
		cmocka_unit_test(spots_of_kinds_not_allowed_are_no_library_so_the_filler_plays),
		cmocka_unit_test(filling_twice_leaves_the_first_fill_unchanged),
		cmocka_unit_test(spot_noted_10_minutes_ago_with_a_1h_cooldown_is_not_chosen),
		cmocka_unit_test(cooldown_also_keeps_a_spot_away_from_a_later_planned_play),
		cmocka_unit_test(type_cooldown_overrides_the_default),
		cmocka_unit_test(spots_a_fill_placed_count_for_the_cooldown_of_later_breaks),
		cmocka_unit_test(max_plays_per_day_caps_the_plays_of_a_broadcast_day),
		cmocka_unit_test(plays_of_another_broadcast_day_do_not_count_toward_the_cap),
		cmocka_unit_test(a_spot_the_pads_could_push_into_the_next_day_counts_toward_its_cap),
		cmocka_unit_test(only_spots_of_the_allowed_kinds_are_placed),
		cmocka_unit_test(spots_carry_their_own_file_id_title_and_gain),
		cmocka_unit_test(refill_with_the_same_seed_is_identical),
		cmocka_unit_test(a_different_block_id_gives_a_different_choice),
		cmocka_unit_test(break_i_draws_with_the_seed_channel_slash_block_slash_i),
		cmocka_unit_test(unfilled_ms_is_the_pad_and_filler_placed_in_breaks),
		cmocka_unit_test(cooldown_holds_for_final_starts_after_the_pads_push_spots_later),
		cmocka_unit_test(a_day_of_fills_keeps_every_cooldown_and_cap_at_the_final_starts),
		cmocka_unit_test(filler_of_no_positive_duration_is_an_error_and_the_plan_is_unchanged),
		cmocka_unit_test(a_zone_the_system_does_not_know_is_an_error_and_the_plan_is_unchanged),
		cmocka_unit_test(notes_of_assets_that_are_not_spots_are_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
