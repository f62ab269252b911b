/* Unit tests for lib/air/fence: block plans on a session's ticks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "air/fence.h"

static const struct rv_rate r30 = { 30, 1 }, r2997 = { 30000, 1001 },
    r5994 = { 60000, 1001 }, r25 = { 25, 1 }, r24 = { 24, 1 };

#define T0 INT64_C(1767625200000)	/* 2026-01-05T15:00:00Z */

/* A plan from T0 + start with segments of the given lengths (ms). */
static json_t *
plan(int64_t start, const int64_t *dur, int n)
{
	json_t *segs = json_array(), *p;
	int64_t end = T0 + start;
	int i;

	for (i = 0; i < n; i++) {
		json_array_append_new(segs, json_pack("{s:i, s:s, s:I, s:I}",
		    "index", i, "type", i % 2 ? "pad" : "content", "in_ms",
		    (json_int_t)(i % 2 ? 0 : 1000 * i), "dur_ms",
		    (json_int_t)dur[i]));
		end += dur[i];
	}
	p = json_pack("{s:s, s:I, s:I, s:o}", "block_id", "b", "start_ms",
	    (json_int_t)(T0 + start), "end_ms", (json_int_t)end, "segments",
	    segs);
	return p;
}

static void
lay(json_t *p, int64_t epoch, struct rv_rate r, int64_t from, int64_t join,
    struct rv_block_ticks *b)
{
	struct rv_err err;

	if (rv_block_ticks(p, epoch, r, from, join, b, &err) < 0)
		fail_msg("%s", err.msg);
}

static void
fence_of_30s_block_at_every_rate(void **state)
{
	const int64_t d[] = { 30000 };
	const struct { struct rv_rate r; int64_t fence; } v[] = {
		{ r24, 720 }, { r25, 750 }, { r30, 900 }, { r2997, 900 },
		{ r5994, 1799 }, { { 60, 1 }, 1800 },
	};
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 1);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		lay(p, T0, v[i].r, 0, -1, &b);
		assert_int_equal(b.start_tick, 0);
		assert_int_equal(b.fence_tick, v[i].fence);
		rv_block_ticks_free(&b);
	}
	json_decref(p);
}

static void
next_block_starts_on_the_previous_fence(void **state)
{
	const int64_t d[] = { 30000 };
	struct rv_block_ticks a, b;
	json_t *pa = plan(0, d, 1), *pb = plan(30000, d, 1);

	(void)state;
	lay(pa, T0, r5994, 0, -1, &a);
	lay(pb, T0, r5994, a.fence_tick, -1, &b);
	assert_int_equal(b.start_tick, a.fence_tick);
	/* 60 s at 60000/1001 = 3596.4 → 3597: the second block takes 1798
	 * frames, the first 1799; together exact, no drift. */
	assert_int_equal(b.fence_tick, 3597);
	rv_block_ticks_free(&a);
	rv_block_ticks_free(&b);
	json_decref(pa);
	json_decref(pb);
}

static void
seams_at_29_97_from_planned_starts(void **state)
{
	/* content 10 s, pad 20 s: seam at ceil(10000·30000/1001000) = 300
	 * (299.7), fence at ceil(899.1) = 900. */
	const int64_t d[] = { 10000, 20000 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 2);

	(void)state;
	lay(p, T0, r2997, 0, -1, &b);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.seams[0].tick, 0);
	assert_int_equal(b.seams[0].end_tick, 300);
	assert_int_equal(b.seams[0].in_ms, 0);
	assert_int_equal(b.seams[1].tick, 300);
	assert_int_equal(b.seams[1].end_tick, 900);
	/* Frame 300 is at floor(300·1001/30) = 10010 ms: 10 ms into the pad. */
	assert_int_equal(b.seams[1].in_ms, 10);
	assert_int_equal(b.seams[1].dur_ms, 19990);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
join_mid_segment_moves_the_in_point_not_the_fence(void **state)
{
	/* content 10 s (in 0), pad 20 s; join 12 s in: the session starts at
	 * the join, the pad plays its last 18 s, the fence is at 18 s. */
	const int64_t d[] = { 10000, 20000 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 2);

	(void)state;
	lay(p, T0 + 12000, r2997, 0, T0 + 12000, &b);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.seams[0].index, 1);
	assert_int_equal(b.seams[0].tick, 0);
	assert_int_equal(b.seams[0].in_ms, 2000);
	assert_int_equal(b.seams[0].dur_ms, 18000);
	assert_int_equal(b.fence_tick, 540);	/* ceil(539.46) */
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
join_in_content_seeks_into_it(void **state)
{
	const int64_t d[] = { 10000, 20000, 4000 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 3);

	(void)state;
	lay(p, T0 + 4500, r25, 0, T0 + 4500, &b);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.seams[0].in_ms, 4500);
	assert_int_equal(b.seams[0].end_tick, 138);	/* 5.5 s at 25 fps */
	assert_int_equal(b.seams[1].tick, 138);
	assert_int_equal(b.seams[2].tick, 638);		/* 25.5 s */
	/* plan() gives it in 2000; its first frame, 638, is at 25,520 ms
	 * of the session, 20 ms after the planned start. */
	assert_int_equal(b.seams[2].in_ms, 2020);
	assert_int_equal(b.fence_tick, 738);		/* 29.5 s */
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
join_exactly_on_a_seam_starts_that_segment_at_its_in_point(void **state)
{
	const int64_t d[] = { 10000, 20000 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 2);

	(void)state;
	lay(p, T0 + 10000, r30, 0, T0 + 10000, &b);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.seams[0].index, 1);
	assert_int_equal(b.seams[0].in_ms, 0);
	assert_int_equal(b.fence_tick, 600);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
join_1_ms_before_the_fence_airs_one_frame(void **state)
{
	const int64_t d[] = { 30000 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 1);

	(void)state;
	lay(p, T0 + 29999, r2997, 0, T0 + 29999, &b);
	assert_int_equal(b.fence_tick, 1);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.seams[0].in_ms, 29999);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
join_at_0_ms_is_no_join(void **state)
{
	const int64_t d[] = { 10000, 20000 };
	struct rv_block_ticks a, b;
	json_t *p = plan(0, d, 2);

	(void)state;
	lay(p, T0, r2997, 0, T0, &a);
	lay(p, T0, r2997, 0, -1, &b);
	assert_int_equal(a.n, b.n);
	assert_int_equal(a.fence_tick, b.fence_tick);
	assert_int_equal(a.seams[1].tick, b.seams[1].tick);
	assert_int_equal(a.seams[0].in_ms, 0);
	rv_block_ticks_free(&a);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
segment_holding_a_frame_instant_airs_it_however_short(void **state)
{
	/* [1000, 1010) holds the instant of frame 25. */
	const int64_t d[] = { 1000, 10, 990 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 3);

	(void)state;
	lay(p, T0, r25, 0, -1, &b);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.seams[1].tick, 25);
	assert_int_equal(b.seams[1].end_tick, 26);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
segment_shorter_than_a_frame_gets_no_tick(void **state)
{
	/* 10 ms at 25 fps (40 ms frames), [1010, 1020): no frame instant
	 * falls in it (1000 and 1040 do not). */
	const int64_t d[] = { 1010, 10, 980 };
	struct rv_block_ticks b;
	json_t *p = plan(0, d, 3);

	(void)state;
	lay(p, T0, r25, 0, -1, &b);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.seams[0].index, 0);
	assert_int_equal(b.seams[1].index, 2);
	assert_int_equal(b.seams[0].end_tick, 26);	/* ceil(1020/40) */
	assert_int_equal(b.fence_tick, 50);
	rv_block_ticks_free(&b);
	json_decref(p);
}

static void
a_year_of_blocks_keeps_fences_exact(void **state)
{
	/* 17,520 half-hour blocks at 60000/1001: the fence of block k is
	 * the tick of its end, whatever came before. */
	const int64_t d[] = { 1800000 };
	struct rv_block_ticks b;
	int64_t from = 0, k;
	json_t *p;

	(void)state;
	for (k = 0; k < 17520; k += 997) {
		p = plan(k * 1800000, d, 1);
		lay(p, T0, r5994, from, -1, &b);
		assert_int_equal(b.fence_tick,
		    rv_fence_frame((k + 1) * 1800000, r5994));
		json_decref(p);
		rv_block_ticks_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fence_of_30s_block_at_every_rate),
		cmocka_unit_test(next_block_starts_on_the_previous_fence),
		cmocka_unit_test(seams_at_29_97_from_planned_starts),
		cmocka_unit_test(join_mid_segment_moves_the_in_point_not_the_fence),
		cmocka_unit_test(join_in_content_seeks_into_it),
		cmocka_unit_test(join_exactly_on_a_seam_starts_that_segment_at_its_in_point),
		cmocka_unit_test(join_1_ms_before_the_fence_airs_one_frame),
		cmocka_unit_test(join_at_0_ms_is_no_join),
		cmocka_unit_test(segment_holding_a_frame_instant_airs_it_however_short),
		cmocka_unit_test(segment_shorter_than_a_frame_gets_no_tick),
		cmocka_unit_test(a_year_of_blocks_keeps_fences_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
