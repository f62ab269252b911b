/* Unit tests for lib/expand: program blocks as block plans.
 *
 * The numbers are the worked examples of upstream-dsl-compiler.md §4.3
 * (A, B, C), §4.4 (movie) and §7 items 1-3; every plan a test makes must
 * also pass rv_plan_check.
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

#define T0	INT64_C(1767265200000)	/* 2026-01-01T11:00:00Z */
#define NOFADE	0
#define FADE	RV_BREAK_FADE_MS

/* One expected segment: type, in, duration, fades. */
struct want {
	enum rv_seg_type type;
	int64_t	in, dur, fin, fout;
};

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

static struct rv_channel
channel(const char *type)
{
	struct rv_channel c;

	memset(&c, 0, sizeof(c));
	c.id = "test-ch";
	c.type = (char *)type;
	return c;
}

static struct rv_cat_asset
asset(int64_t runtime, int64_t *chapters, int n)
{
	struct rv_cat_asset a;

	memset(&a, 0, sizeof(a));
	a.id = "a-0000000000000001";
	a.kind = "episode";
	a.title = "Asset title";
	a.path = "/media/show/ep1.mkv";
	a.duration_ms = runtime;
	a.chapters_ms = chapters;
	a.nchapters = n;
	return a;
}

static struct rv_program
program(const struct rv_cat_asset *a, int64_t slot, int64_t runtime)
{
	struct rv_program p;

	memset(&p, 0, sizeof(p));
	strlcpy(p.block_id, "test-ch-20260101T1100Z", sizeof(p.block_id));
	p.start_ms = T0;
	p.end_ms = T0 + slot;
	p.runtime_ms = runtime;
	p.asset = a;
	p.title = "Program title";
	return p;
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
assert_segments(const struct rv_plan *plan, const struct want *w, int n)
{
	int i;

	assert_plan_ok(plan);
	if (plan->n != n) {
		for (i = 0; i < plan->n; i++)
			print_error("  [%d] %s in %lld dur %lld\n", i,
			    rv_seg_type_name(plan->segs[i].type),
			    (long long)plan->segs[i].in_ms,
			    (long long)plan->segs[i].dur_ms);
		print_error("%d segments, want %d\n", plan->n, n);
		fail();
	}
	for (i = 0; i < n; i++) {
		assert_string_equal(rv_seg_type_name(plan->segs[i].type),
		    rv_seg_type_name(w[i].type));
		assert_i64(plan->segs[i].in_ms, w[i].in);
		assert_i64(plan->segs[i].dur_ms, w[i].dur);
		assert_i64(plan->segs[i].fade_in_ms, w[i].fin);
		assert_i64(plan->segs[i].fade_out_ms, w[i].fout);
		if (w[i].type == RV_SEG_BREAK || w[i].type == RV_SEG_PAD)
			assert_null(plan->segs[i].uri);
		else
			assert_non_null(plan->segs[i].uri);
	}
}

/* Expand a program of the asset and check its segments. */
static void
expand_and_check(const char *type, int64_t slot, int64_t runtime,
    int64_t *chapters, int nch, const struct want *w, int n)
{
	struct rv_channel c = channel(type);
	struct rv_cat_asset a = asset(runtime, chapters, nch);
	struct rv_program p = program(&a, slot, runtime);
	struct rv_plan plan;
	struct rv_err err;

	if (rv_expand(&c, &p, &plan, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	assert_segments(&plan, w, n);
	assert_i64(plan.start_ms, p.start_ms);
	assert_i64(plan.end_ms, p.end_ms);
	assert_i64(plan.unfilled_ms, 0);
	assert_string_equal(plan.block_id, p.block_id);
	rv_plan_free(&plan);
}

#define NW(w)	((int)(sizeof(w) / sizeof((w)[0])))

static void
example_a_chapters_at_330000_660000_990000_give_4_acts_and_3_breaks_of_160000(
    void **state)
{
	int64_t ch[] = { 330000, 660000, 990000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, 0, 0 },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, 0, 0 },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, 0, 0 },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 990000, 330000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320000, ch, 3, w, NW(w));
}

static void
example_b_the_extra_ms_of_the_break_time_go_to_the_first_breaks(
    void **state)
{
	int64_t ch[] = { 400000, 800000, 1100000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 400000, 0, 0 },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 400000, 400000, 0, 0 },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 800000, 300000, 0, 0 },
		{ RV_SEG_BREAK, 0, 159999, 0, 0 },
		{ RV_SEG_CONTENT, 1100000, 220001, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320001, ch, 3, w, NW(w));
}

static void
example_c_without_chapters_3_computed_breaks_with_500ms_fades(void **state)
{
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 375500, NOFADE, FADE },
		{ RV_SEG_BREAK, 0, 99334, 0, 0 },
		{ RV_SEG_CONTENT, 375500, 375500, FADE, FADE },
		{ RV_SEG_BREAK, 0, 99333, 0, 0 },
		{ RV_SEG_CONTENT, 751000, 375500, FADE, FADE },
		{ RV_SEG_BREAK, 0, 99333, 0, 0 },
		{ RV_SEG_CONTENT, 1126500, 375500, FADE, NOFADE },
	};

	(void)state;
	expand_and_check("network", 1800000, 1502000, NULL, 0, w, NW(w));
}

static void
two_chapters_give_content_break_content_break_content(void **state)
{
	int64_t ch[] = { 440000, 880000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 440000, 0, 0 },
		{ RV_SEG_BREAK, 0, 240000, 0, 0 },
		{ RV_SEG_CONTENT, 440000, 440000, 0, 0 },
		{ RV_SEG_BREAK, 0, 240000, 0, 0 },
		{ RV_SEG_CONTENT, 880000, 440000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320000, ch, 2, w, NW(w));
}

static void
chapters_at_0_and_at_the_runtime_are_not_break_points(void **state)
{
	int64_t ch[] = { 0, 660000, 1320000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 660000, 0, 0 },
		{ RV_SEG_BREAK, 0, 480000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 660000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320000, ch, 3, w, NW(w));
}

static void
no_usable_chapter_falls_back_to_computed_breaks_and_keeps_the_break_time(
    void **state)
{
	/* Upstream lost the 480,000 ms here (dead air at the end). */
	int64_t ch[] = { 0, 1320000, 1400000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, NOFADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, FADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, FADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 990000, 330000, FADE, NOFADE },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320000, ch, 3, w, NW(w));
}

static void
repeated_chapter_starts_make_one_break_point(void **state)
{
	int64_t ch[] = { 660000, 660000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 660000, 0, 0 },
		{ RV_SEG_BREAK, 0, 480000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 660000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1320000, ch, 2, w, NW(w));
}

static void
runtime_equal_to_the_slot_with_chapters_gives_4_acts_and_no_breaks(
    void **state)
{
	int64_t ch[] = { 330000, 660000, 990000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 990000, 330000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1320000, 1320000, ch, 3, w, NW(w));
}

static void
computed_break_without_time_has_no_fades(void **state)
{
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, 0, 0 },
		{ RV_SEG_CONTENT, 990000, 330000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1320000, 1320000, NULL, 0, w, NW(w));
}

static void
only_the_breaks_that_get_time_fade_their_acts(void **state)
{
	/* 2 ms of break time over 3 breaks: the last gets none. */
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, NOFADE, FADE },
		{ RV_SEG_BREAK, 0, 1, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, FADE, FADE },
		{ RV_SEG_BREAK, 0, 1, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, FADE, NOFADE },
		{ RV_SEG_CONTENT, 990000, 330000, NOFADE, NOFADE },
	};

	(void)state;
	expand_and_check("network", 1320002, 1320000, NULL, 0, w, NW(w));
}

static void
fades_are_shortened_to_fit_a_short_act(void **state)
{
	/* Acts of 300 ms cannot hold two 500 ms fades. */
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 300, 0, 300 },
		{ RV_SEG_BREAK, 0, 267, 0, 0 },
		{ RV_SEG_CONTENT, 300, 300, 150, 150 },
		{ RV_SEG_BREAK, 0, 267, 0, 0 },
		{ RV_SEG_CONTENT, 600, 300, 150, 150 },
		{ RV_SEG_BREAK, 0, 266, 0, 0 },
		{ RV_SEG_CONTENT, 900, 300, 300, 0 },
	};

	(void)state;
	expand_and_check("network", 2000, 1200, NULL, 0, w, NW(w));
}

static void
movie_channel_puts_one_break_after_the_film_and_ignores_chapters(
    void **state)
{
	int64_t ch[] = { 1200000, 2400000, 3600000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 6420000, 0, 0 },
		{ RV_SEG_BREAK, 0, 780000, 0, 0 },
	};

	(void)state;
	expand_and_check("movie", 7200000, 6420000, ch, 3, w, NW(w));
}

static void
movie_that_fills_its_slot_is_one_content_segment(void **state)
{
	int64_t ch[] = { 1200000, 2400000, 3600000 };
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 7200000, 0, 0 },
	};

	(void)state;
	expand_and_check("movie", 7200000, 7200000, ch, 3, w, NW(w));
}

static void
channel_without_a_type_expands_as_network(void **state)
{
	const struct want w[] = {
		{ RV_SEG_CONTENT, 0, 330000, NOFADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 330000, 330000, FADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 660000, 330000, FADE, FADE },
		{ RV_SEG_BREAK, 0, 160000, 0, 0 },
		{ RV_SEG_CONTENT, 990000, 330000, FADE, NOFADE },
	};

	(void)state;
	expand_and_check(NULL, 1800000, 1320000, NULL, 0, w, NW(w));
}

static void
runtime_longer_than_the_slot_is_cut_to_the_slot(void **state)
{
	int64_t ch[] = { 900000, 1700000 };
	const struct want net[] = {
		{ RV_SEG_CONTENT, 0, 900000, 0, 0 },
		{ RV_SEG_CONTENT, 900000, 800000, 0, 0 },
		{ RV_SEG_CONTENT, 1700000, 100000, 0, 0 },
	};
	const struct want movie[] = {
		{ RV_SEG_CONTENT, 0, 1800000, 0, 0 },
	};

	(void)state;
	expand_and_check("network", 1800000, 1900000, ch, 2, net, NW(net));
	expand_and_check("movie", 1800000, 1900000, ch, 2, movie, NW(movie));
}

static void
content_carries_the_asset_file_id_gain_and_the_program_title(void **state)
{
	struct rv_channel c = channel("network");
	struct rv_cat_asset a = asset(1320000, NULL, 0);
	struct rv_program p = program(&a, 1800000, 1320000);
	struct rv_plan plan;
	struct rv_err err;
	int i;

	(void)state;
	a.has_gain = 1;
	a.gain_db = -3.25;
	assert_int_equal(rv_expand(&c, &p, &plan, &err), 0);
	assert_plan_ok(&plan);
	for (i = 0; i < plan.n; i++) {
		if (plan.segs[i].type != RV_SEG_CONTENT) {
			assert_null(plan.segs[i].asset_id);
			assert_true(plan.segs[i].gain_db == 0.0);
			continue;
		}
		assert_string_equal(plan.segs[i].uri, a.path);
		assert_string_equal(plan.segs[i].asset_id, a.id);
		assert_string_equal(plan.segs[i].title, "Program title");
		assert_true(plan.segs[i].gain_db == -3.25);
		assert_int_equal(plan.segs[i].loops, 0);
	}
	rv_plan_free(&plan);

	a.has_gain = 0;
	a.gain_db = -7.0;	/* not measured: ignored */
	assert_int_equal(rv_expand(&c, &p, &plan, &err), 0);
	assert_true(plan.segs[0].gain_db == 0.0);
	rv_plan_free(&plan);
}

static void
expand_filler(struct rv_channel *c, int64_t slot, struct rv_plan *plan)
{
	struct rv_program p = program(NULL, slot, slot);
	struct rv_err err;

	p.title = "Filler";
	if (rv_expand(c, &p, plan, &err) == -1) {
		print_error("%s\n", err.msg);
		fail();
	}
	assert_plan_ok(plan);
	assert_int_equal(plan->n, 1);
	assert_i64(plan->segs[0].dur_ms, slot);
	assert_i64(plan->segs[0].in_ms, 0);
	assert_i64(plan->unfilled_ms, 0);
}

static void
filler_program_shorter_than_the_filler_file_plays_it_once_from_0(
    void **state)
{
	struct rv_channel c = channel("network");
	struct rv_plan plan;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_ms = 3600000;
	expand_filler(&c, 1800000, &plan);
	assert_int_equal(plan.segs[0].type, RV_SEG_FILLER);
	assert_string_equal(plan.segs[0].uri, "/media/filler.mp4");
	assert_null(plan.segs[0].asset_id);
	assert_string_equal(plan.segs[0].title, "Filler");
	assert_int_equal(plan.segs[0].loops, 0);
	rv_plan_free(&plan);

	expand_filler(&c, 3600000, &plan);	/* exactly the file */
	assert_int_equal(plan.segs[0].loops, 0);
	rv_plan_free(&plan);
}

static void
filler_program_longer_than_the_filler_file_loops_it(void **state)
{
	struct rv_channel c = channel("network");
	struct rv_plan plan;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	c.filler_ms = 600000;
	expand_filler(&c, 1800000, &plan);
	assert_int_equal(plan.segs[0].type, RV_SEG_FILLER);
	assert_int_equal(plan.segs[0].loops, 1);
	rv_plan_free(&plan);
}

static void
filler_program_on_a_channel_without_filler_is_pad(void **state)
{
	struct rv_channel c = channel("network");
	struct rv_plan plan;

	(void)state;
	expand_filler(&c, 1800000, &plan);
	assert_int_equal(plan.segs[0].type, RV_SEG_PAD);
	assert_null(plan.segs[0].uri);
	rv_plan_free(&plan);
}

static void
filler_duration_must_be_positive(void **state)
{
	struct rv_channel c = channel("network");
	struct rv_program p = program(NULL, 1800000, 1800000);
	struct rv_plan plan;
	struct rv_err err;
	int64_t bad[] = { 0, -5 };
	size_t i;

	(void)state;
	c.filler_path = "/media/filler.mp4";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.filler_ms = bad[i];
		assert_int_equal(rv_expand(&c, &p, &plan, &err), -1);
		assert_err_names(&err, "positive");
		rv_plan_free(&plan);
	}
}

static void
empty_blocks_and_programs_without_runtime_are_errors(void **state)
{
	struct rv_channel c = channel("network");
	struct rv_cat_asset a = asset(1320000, NULL, 0);
	struct rv_program p = program(&a, 1800000, 0);
	struct rv_plan plan;
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_expand(&c, &p, &plan, &err), -1);
	assert_err_names(&err, "runtime");
	rv_plan_free(&plan);
	p = program(&a, 0, 1320000);
	assert_int_equal(rv_expand(&c, &p, &plan, &err), -1);
	assert_err_names(&err, p.block_id);
	rv_plan_free(&plan);
}

static void
every_expansion_keeps_the_plan_invariants(void **state)
{
	static const char *const types[] = { "network", "movie" };
	struct rv_channel c;
	struct rv_cat_asset a;
	struct rv_program p;
	struct rv_plan plan;
	struct rv_prng prng;
	struct rv_err err;
	int64_t ch[8], slot, runtime, content;
	int i, j, n;

	(void)state;
	rv_prng_seed(&prng, "test_expand/invariants");
	for (i = 0; i < 5000; i++) {
		c = channel(types[i % 2]);
		slot = 1 + (int64_t)rv_prng_below(&prng, 4 * 3600000);
		runtime = 1 + (int64_t)rv_prng_below(&prng,
		    (uint64_t)slot + 600000);
		n = (int)rv_prng_below(&prng, 9);
		for (j = 0; j < n; j++)
			ch[j] = (int64_t)rv_prng_below(&prng,
			    (uint64_t)runtime + 2);
		a = asset(runtime, ch, n);
		p = program(&a, slot, runtime);
		if (rv_expand(&c, &p, &plan, &err) == -1) {
			print_error("%s\n", err.msg);
			fail();
		}
		assert_plan_ok(&plan);
		/* The acts play the file in order, without gap or overlap,
		 * up to the runtime cut to the slot. */
		content = 0;
		for (j = 0; j < plan.n; j++) {
			if (plan.segs[j].type != RV_SEG_CONTENT)
				continue;
			assert_i64(plan.segs[j].in_ms, content);
			content += plan.segs[j].dur_ms;
		}
		assert_i64(content, runtime < slot ? runtime : slot);
		rv_plan_free(&plan);
	}
}

/* A good plan of three segments, for the checker to break. */
static void
good_plan(struct rv_plan *plan)
{
	struct rv_segment s;
	struct rv_err err;

	memset(plan, 0, sizeof(*plan));
	strlcpy(plan->block_id, "ch-x", sizeof(plan->block_id));
	plan->start_ms = T0;
	plan->end_ms = T0 + 60000;
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_CONTENT;
	s.uri = "/a.mkv";
	s.dur_ms = 30000;
	s.fade_out_ms = 500;
	assert_int_equal(rv_plan_push(plan, &s, &err), 0);
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_PAD;
	s.dur_ms = 10000;
	assert_int_equal(rv_plan_push(plan, &s, &err), 0);
	memset(&s, 0, sizeof(s));
	s.type = RV_SEG_COMMERCIAL;
	s.uri = "/c.mkv";
	s.dur_ms = 20000;
	assert_int_equal(rv_plan_push(plan, &s, &err), 0);
	assert_plan_ok(plan);
}

static void
assert_check_fails(const struct rv_plan *plan, const char *what)
{
	struct rv_err err;

	err.msg[0] = '\0';
	assert_int_equal(rv_plan_check(plan, &err), -1);
	assert_err_names(&err, what);
}

static void
plan_check_reports_a_sum_off_by_1ms_with_the_signed_difference(
    void **state)
{
	struct rv_plan plan;

	(void)state;
	good_plan(&plan);
	plan.segs[2].dur_ms++;
	assert_check_fails(&plan, "(+1 ms)");
	plan.segs[2].dur_ms -= 2;
	assert_check_fails(&plan, "(-1 ms)");
	plan.segs[2].dur_ms++;
	plan.end_ms++;
	assert_check_fails(&plan, "(-1 ms)");
	rv_plan_free(&plan);
}

static void
plan_check_rejects_each_broken_invariant(void **state)
{
	struct rv_plan plan;

	(void)state;
	good_plan(&plan);
	plan.segs[1].uri = "/black.mkv";
	assert_check_fails(&plan, "pad");
	plan.segs[1].uri = NULL;

	plan.segs[0].uri = NULL;
	assert_check_fails(&plan, "no uri");
	plan.segs[0].uri = "/a.mkv";

	plan.segs[1].dur_ms = 0;
	plan.segs[2].dur_ms = 30000;
	assert_check_fails(&plan, "not positive");
	plan.segs[1].dur_ms = 10000;
	plan.segs[2].dur_ms = 20000;

	plan.segs[0].fade_in_ms = 29600;
	assert_check_fails(&plan, "fades");
	plan.segs[0].fade_in_ms = 0;

	plan.segs[0].in_ms = -1;
	assert_check_fails(&plan, "negative");
	plan.segs[0].in_ms = 0;

	plan.unfilled_ms = 60001;
	assert_check_fails(&plan, "unfilled");
	plan.unfilled_ms = 0;

	plan.end_ms = plan.start_ms;
	assert_check_fails(&plan, "ends before");
	plan.end_ms = T0 + 60000;

	assert_plan_ok(&plan);
	rv_plan_free(&plan);
	assert_check_fails(&plan, "no segments");
	rv_plan_free(NULL);
}

static void
segment_type_names_round_trip(void **state)
{
	static const char *const names[] = { "content", "break",
		"commercial", "promo", "station_id", "psa", "stinger",
		"bumper", "filler", "pad" };
	enum rv_seg_type t;
	int i;

	(void)state;
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		assert_string_equal(rv_seg_type_name((enum rv_seg_type)i),
		    names[i]);
		assert_int_equal(rv_seg_type_parse(names[i], &t), 0);
		assert_int_equal(t, i);
	}
	/* Interstitial kind k is segment type RV_SEG_COMMERCIAL + k. */
	for (i = 0; rv_interstitial_kinds[i] != NULL; i++)
		assert_string_equal(rv_seg_type_name(RV_SEG_COMMERCIAL + i),
		    rv_interstitial_kinds[i]);
	assert_string_equal(rv_seg_type_name((enum rv_seg_type)99),
	    "unknown");
	assert_int_equal(rv_seg_type_parse("ad", &t), -1);
	assert_int_equal(rv_seg_type_parse(NULL, &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_a_chapters_at_330000_660000_990000_give_4_acts_and_3_breaks_of_160000),
		cmocka_unit_test(example_b_the_extra_ms_of_the_break_time_go_to_the_first_breaks),
		cmocka_unit_test(example_c_without_chapters_3_computed_breaks_with_500ms_fades),
		cmocka_unit_test(two_chapters_give_content_break_content_break_content),
		cmocka_unit_test(chapters_at_0_and_at_the_runtime_are_not_break_points),
		cmocka_unit_test(no_usable_chapter_falls_back_to_computed_breaks_and_keeps_the_break_time),
		cmocka_unit_test(repeated_chapter_starts_make_one_break_point),
		cmocka_unit_test(runtime_equal_to_the_slot_with_chapters_gives_4_acts_and_no_breaks),
		cmocka_unit_test(computed_break_without_time_has_no_fades),
		cmocka_unit_test(only_the_breaks_that_get_time_fade_their_acts),
		cmocka_unit_test(fades_are_shortened_to_fit_a_short_act),
		cmocka_unit_test(movie_channel_puts_one_break_after_the_film_and_ignores_chapters),
		cmocka_unit_test(movie_that_fills_its_slot_is_one_content_segment),
		cmocka_unit_test(channel_without_a_type_expands_as_network),
		cmocka_unit_test(runtime_longer_than_the_slot_is_cut_to_the_slot),
		cmocka_unit_test(content_carries_the_asset_file_id_gain_and_the_program_title),
		cmocka_unit_test(filler_program_shorter_than_the_filler_file_plays_it_once_from_0),
		cmocka_unit_test(filler_program_longer_than_the_filler_file_loops_it),
		cmocka_unit_test(filler_program_on_a_channel_without_filler_is_pad),
		cmocka_unit_test(filler_duration_must_be_positive),
		cmocka_unit_test(empty_blocks_and_programs_without_runtime_are_errors),
		cmocka_unit_test(every_expansion_keeps_the_plan_invariants),
		cmocka_unit_test(plan_check_reports_a_sum_off_by_1ms_with_the_signed_difference),
		cmocka_unit_test(plan_check_rejects_each_broken_invariant),
		cmocka_unit_test(segment_type_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
