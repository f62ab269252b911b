/*
 * Unit tests for lib/compile: channel files to program blocks (tier 1),
 * DESIGN.md §4-§5 and the scenarios of upstream-dsl-compiler.md §7 with
 * the decisions of DESIGN.md §5 (overlays replace the time they cover,
 * entries compile in air order, UTC arithmetic, cursors that never skip,
 * seeded random choices, movie cooldowns, bleed and carry, filler gaps,
 * block ids with the channel).
 *
 * Catalogs are built in memory (struct rv_catalog over an array sorted by
 * id); channel files are written to a mkdtemp folder that teardown removes.
 * Every instant is UTC epoch milliseconds, its ISO form in a comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "compile.h"
#include "prng.h"

#define SEC	INT64_C(1000)
#define MIN	INT64_C(60000)
#define HOUR	INT64_C(3600000)
#define DAY	(24 * HOUR)

/* Resources of one test, released in teardown even when an assertion
 * fails half-way (cmocka leaves the test with a longjmp). */
struct cleanup {
	void	(*fn)(void *);
	void	 *p;
};

static struct {
	char		 dir[256];
	struct cleanup	*v;
	size_t		 n, cap;
} fx;

static void *
defer(void (*fn)(void *), void *p)
{
	if (p == NULL)
		fail_msg("out of memory");
	if (fx.n == fx.cap) {
		fx.cap = fx.cap ? 2 * fx.cap : 64;
		fx.v = realloc(fx.v, fx.cap * sizeof(*fx.v));
		if (fx.v == NULL)
			fail_msg("out of memory");
	}
	fx.v[fx.n++] = (struct cleanup){ fn, p };
	return p;
}

static void
free_channel(void *p)
{
	rv_channel_free(p);
}

static void
free_compiler(void *p)
{
	rv_compiler_free(p);
}

static void
free_state(void *p)
{
	rv_compile_state_free(p);
	free(p);
}

static void
free_day(void *p)
{
	rv_day_free(p);
	free(p);
}

static void
free_diags(void *p)
{
	rv_diags_free(p);
	free(p);
}

static void
free_json(void *p)
{
	json_decref(p);
}

static void
remove_file(void *p)
{
	unlink(p);
	free(p);
}

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "%s/rv-test-compile.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(fx.dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	while (fx.n > 0) {
		fx.n--;
		fx.v[fx.n].fn(fx.v[fx.n].p);
	}
	free(fx.v);
	rmdir(fx.dir);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

/* A string that lives until teardown. */
static char *
keep(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
keep(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return defer(free, s);
}

/* --- catalogs in memory ------------------------------------------------ */

struct catb {
	struct rv_cat_asset	*a;
	size_t			 n, cap;
	const char		*alias[4], *alias_of[4];
	int			 nalias;
};

static struct rv_cat_alias no_aliases[1];

static struct rv_cat_asset *
add_asset(struct catb *b, const char *id, const char *kind,
    const char *title, const char *series, int season, int episode,
    int64_t duration_ms)
{
	struct rv_cat_asset *a;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->a = realloc(b->a, b->cap * sizeof(*b->a));
		if (b->a == NULL)
			fail_msg("out of memory");
	}
	a = &b->a[b->n++];
	memset(a, 0, sizeof(*a));
	a->id = keep("%s", id);
	a->kind = kind;
	a->title = keep("%s", title);
	a->series_title = series ? keep("%s", series) : NULL;
	a->season = season;
	a->episode = episode;
	a->duration_ms = duration_ms;
	a->path = keep("/media/%s.mkv", id);
	a->source = "folder";
	a->source_name = "Media";
	return a;
}

/* Episodes S01E01… of a show, `per` to a season; ids "<prefix>-sSSeEE"
 * sort in episode order. */
static void
add_show(struct catb *b, const char *prefix, const char *series, int n,
    int per, int64_t duration_ms)
{
	char id[32], title[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%s-s%02de%02d", prefix, i / per + 1,
		    i % per + 1);
		snprintf(title, sizeof(title), "%s %dx%d", series, i / per + 1,
		    i % per + 1);
		add_asset(b, id, "episode", title, series, i / per + 1,
		    i % per + 1, duration_ms);
	}
}

static struct rv_cat_asset *
add_movie(struct catb *b, const char *id, const char *title, int year,
    const char *rating, int64_t duration_ms)
{
	struct rv_cat_asset *a = add_asset(b, id, "movie", title, NULL, -1,
	    -1, duration_ms);

	a->year = year;
	a->rating = rating;
	return a;
}

static int
by_id(const void *x, const void *y)
{
	return strcmp(((const struct rv_cat_asset *)x)->id,
	    ((const struct rv_cat_asset *)y)->id);
}

static int
by_alias(const void *x, const void *y)
{
	return strcmp(((const struct rv_cat_alias *)x)->alias,
	    ((const struct rv_cat_alias *)y)->alias);
}

/* The catalog, its assets sorted by id as rv_catalog_find needs. */
static struct rv_catalog *
cat_done(struct catb *b)
{
	struct rv_catalog *cat = defer(free, calloc(1, sizeof(*cat)));
	struct rv_cat_alias *al;
	int i;

	if (b->n > 0)
		qsort(b->a, b->n, sizeof(*b->a), by_id);
	cat->assets = b->n > 0 ? defer(free, b->a) : NULL;
	if (b->n == 0)
		free(b->a);
	cat->n = b->n;
	cat->aliases = no_aliases;
	if (b->nalias > 0) {
		al = defer(free, calloc((size_t)b->nalias, sizeof(*al)));
		for (i = 0; i < b->nalias; i++) {
			al[i].alias = b->alias[i];
			al[i].asset = rv_catalog_find(cat, b->alias_of[i]);
			assert_non_null(al[i].asset);
		}
		qsort(al, (size_t)b->nalias, sizeof(*al), by_alias);
		cat->aliases = al;
		cat->naliases = (size_t)b->nalias;
	}
	memset(b, 0, sizeof(*b));
	return cat;
}

/* --- channels, compilers, days ----------------------------------------- */

static const char *
write_file(const char *name, const char *text)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", fx.dir, name) < 0)
		fail_msg("out of memory");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	defer(remove_file, path);
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

/* A channel file that must load without an error or a warning (a warning
 * here is a typo in the test). */
static struct rv_channel *
load(const char *name, const char *yaml)
{
	struct rv_diags d = { 0 };
	struct rv_channel *c;
	const char *path = write_file(name, yaml);

	if (rv_channel_load(path, NULL, &c, &d) < 0 || d.nwarnings > 0) {
		print_diags(&d);
		rv_diags_free(&d);
		if (c != NULL)
			rv_channel_free(c);
		fail_msg("%s did not load cleanly", name);
	}
	rv_diags_free(&d);
	return defer(free_channel, c);
}

static struct rv_compiler *
compiler(const struct rv_channel *c, const struct rv_catalog *cat)
{
	struct rv_compiler *k = NULL;
	struct rv_err err;

	if (rv_compiler_new(c, cat, &k, &err) < 0)
		fail_msg("rv_compiler_new: %s", err.msg);
	return defer(free_compiler, k);
}

static struct rv_compile_state *
fresh_state(const struct rv_channel *c)
{
	struct rv_compile_state *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	assert_int_equal(rv_compile_state_init(st, c->npools), 0);
	return defer(free_state, st);
}

static struct rv_compile_state *
copy_state(const struct rv_compile_state *src)
{
	struct rv_compile_state *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	assert_int_equal(rv_compile_state_copy(st, src), 0);
	return defer(free_state, st);
}

static struct rv_date
date(const char *s)
{
	struct rv_date d;
	struct rv_err err;

	if (rv_date_parse(s, &d, &err) < 0)
		fail_msg("%s", err.msg);
	return d;
}

/* Compile a day; *rc gets what rv_compile_day returned, *dp its diags. */
static struct rv_day *
compile_try(struct rv_compiler *k, const char *day, int strict,
    struct rv_compile_state *st, int *rc, struct rv_diags **dp)
{
	struct rv_day *out = defer(free_day, calloc(1, sizeof(*out)));
	struct rv_diags *d = defer(free_diags, calloc(1, sizeof(*d)));

	*rc = rv_compile_day(k, date(day), strict, st, out, d);
	if (dp != NULL)
		*dp = d;
	return out;
}

/* A day that must compile with neither error nor warning. */
static struct rv_day *
compile(struct rv_compiler *k, const char *day, struct rv_compile_state *st)
{
	struct rv_diags *d;
	struct rv_day *out;
	int rc;

	out = compile_try(k, day, 0, st, &rc, &d);
	if (rc != 0 || d->nerrors > 0 || d->nwarnings > 0) {
		print_diags(d);
		fail_msg("day %s: rc %d, %d errors, %d warnings", day, rc,
		    d->nerrors, d->nwarnings);
	}
	return out;
}

static json_t *
program_json(const struct rv_channel *c, const struct rv_day *day, int i)
{
	json_t *j = rv_program_json(c, day, &day->blocks[i]);

	assert_non_null(j);
	return defer(free_json, j);
}

static int64_t
jint(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_integer(v))
		fail_msg("P JSON has no integer '%s'", key);
	return json_integer_value(v);
}

static const char *
jstr(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
asset_id(const struct rv_program *p)
{
	return p->asset != NULL ? p->asset->id : "(filler)";
}

/* Blocks tile [from, to): each on the grid, consecutive blocks meeting to
 * the millisecond, the slots summing to the span. */
static void
assert_tiles(const struct rv_channel *c, const struct rv_day *d,
    int64_t from, int64_t to)
{
	int64_t grid = (int64_t)c->grid_minutes * MIN, sum = 0;
	int i;

	assert_true(d->n > 0);
	assert_int_equal(d->blocks[0].start_ms, from);
	for (i = 0; i < d->n; i++) {
		const struct rv_program *p = &d->blocks[i];

		assert_int_equal(p->start_ms % grid, 0);
		assert_int_equal(p->end_ms % grid, 0);
		assert_true(p->end_ms > p->start_ms);
		assert_true(p->runtime_ms <= p->end_ms - p->start_ms);
		if (i > 0)
			assert_int_equal(p->start_ms, d->blocks[i - 1].end_ms);
		sum += p->end_ms - p->start_ms;
	}
	assert_int_equal(d->blocks[d->n - 1].end_ms, to);
	assert_int_equal(sum, to - from);
	assert_int_equal(d->first_ms, from);
	assert_int_equal(d->last_ms, to);
}

static void
assert_filler(const struct rv_program *p, int64_t start, int64_t end,
    const char *title)
{
	if (p->asset != NULL)
		fail_msg("expected filler at %lld, found %s at %lld",
		    (long long)start, p->asset->id, (long long)p->start_ms);
	assert_int_equal(p->start_ms, start);
	assert_int_equal(p->end_ms, end);
	assert_string_equal(p->title, title);
	assert_string_equal(p->mode, "filler");
}

static void
assert_program(const struct rv_program *p, int64_t start, int64_t slot,
    const char *id, const char *title)
{
	if (p->asset == NULL)
		fail_msg("expected %s at %lld, found filler", id,
		    (long long)start);
	assert_string_equal(p->asset->id, id);
	assert_int_equal(p->start_ms, start);
	assert_int_equal(p->end_ms - p->start_ms, slot);
	if (title != NULL)
		assert_string_equal(p->title, title);
}

static int
has_text(const struct rv_diags *d, int errors, const char *text)
{
	char **v = errors ? d->errors : d->warnings;
	int i, n = errors ? d->nerrors : d->nwarnings;

	for (i = 0; i < n; i++)
		if (strstr(v[i], text) != NULL)
			return 1;
	return 0;
}

/* ======================================================================
 * 1. Slot sizing
 * ====================================================================== */

/* One asset of the given runtime, one block entry: the first block is the
 * asset, its slot what the grid makes of the runtime. */
static int64_t
slot_for(const char *yaml, int64_t runtime_ms)
{
	struct catb b = { 0 };
	struct rv_channel *c = load("slots.yaml", yaml);
	struct rv_compiler *k;
	struct rv_day *d;
	json_t *j;

	add_asset(&b, "ep-1", "episode", "Pilot", "Show", 1, 1, runtime_ms);
	k = compiler(c, cat_done(&b));
	d = compile(k, "2026-03-01", fresh_state(c));
	assert_true(d->n >= 1);
	assert_string_equal(asset_id(&d->blocks[0]), "ep-1");
	/* 2026-03-01T06:00:00Z */
	assert_int_equal(d->blocks[0].start_ms, INT64_C(1772344800000));
	j = program_json(c, d, 0);
	assert_int_equal(jint(j, "slot_ms"),
	    d->blocks[0].end_ms - d->blocks[0].start_ms);
	assert_int_equal(jint(j, "start_ms"), d->blocks[0].start_ms);
	assert_int_equal(jint(j, "end_ms"), d->blocks[0].end_ms);
	/* The rest of the day is filler, so the day still tiles. */
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
	return jint(j, "slot_ms");
}

static const char grid30_yaml[] =
    "channel: slot-sizing\n"
    "timezone: UTC\n"
    "pools:\n"
    "  one: {match: {type: episode}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block: {start: \"06:00\", duration: 30m, pool: one}\n";

static void
slot_is_whole_30_minute_grid_slots_of_the_runtime(void **state)
{
	static const struct {
		int64_t runtime_s, slot_s;
	} t[] = {
		{ 1320, 1800 }, { 1500, 1800 }, { 1800, 1800 }, { 1801, 3600 },
		{ 2700, 3600 }, { 3600, 3600 }, { 3601, 5400 }, { 4800, 5400 },
		{ 6000, 7200 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t slot = slot_for(grid30_yaml, t[i].runtime_s * SEC);

		if (slot != t[i].slot_s * SEC)
			fail_msg("runtime %lld s: slot %lld ms, expected %lld ms",
			    (long long)t[i].runtime_s, (long long)slot,
			    (long long)(t[i].slot_s * SEC));
	}
}

static void
premium_movie_template_sizes_slots_on_a_15_minute_grid(void **state)
{
	static const char yaml[] =
	    "channel: premium\n"
	    "timezone: UTC\n"
	    "template: premium_movie\n"
	    "pools:\n"
	    "  one: {match: {type: episode}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 15m, pool: one}\n";
	static const struct {
		int64_t runtime_s, slot_s;
	} t[] = {
		{ 5880, 6300 }, { 6960, 7200 }, { 7020, 7200 }, { 900, 900 },
		{ 901, 1800 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t slot = slot_for(yaml, t[i].runtime_s * SEC);

		if (slot != t[i].slot_s * SEC)
			fail_msg("runtime %lld s: slot %lld ms, expected %lld ms",
			    (long long)t[i].runtime_s, (long long)slot,
			    (long long)(t[i].slot_s * SEC));
	}
}

static void
runtime_rounds_to_whole_seconds_half_to_even_before_sizing(void **state)
{
	(void)state;
	/* 1800.5 s → 1800 s (even): one slot. */
	assert_int_equal(slot_for(grid30_yaml, 1800500), 1800000);
	/* 1799.5 s → 1800 s (even): one slot. */
	assert_int_equal(slot_for(grid30_yaml, 1799500), 1800000);
	/* 1800.499 s → 1800 s; 1800.501 s → 1801 s: two slots. */
	assert_int_equal(slot_for(grid30_yaml, 1800499), 1800000);
	assert_int_equal(slot_for(grid30_yaml, 1800501), 3600000);
	/* 1801.5 s → 1802 s (even): two slots. */
	assert_int_equal(slot_for(grid30_yaml, 1801500), 3600000);
	/* A zero runtime still takes one slot. */
	assert_int_equal(slot_for(grid30_yaml, 0), 1800000);
}

/* ======================================================================
 * 2. Slot preemption (reference §7 item 5)
 * ====================================================================== */

static const char preempt_yaml[] =
    "channel: prime-slots\n"
    "name: Prime Slots\n"
    "timezone: America/New_York\n"
    "pools:\n"
    "  drama: {match: {series_title: Drama}}\n"
    "  sitcoms: {match: {series_title: Sitcom}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - start: \"20:00\"\n"
    "      slots:\n"
    "        - title: Drama\n"
    "          episode_selector: {pool: drama}\n"
    "        - title: Sitcom A\n"
    "          episode_selector: {pool: sitcoms}\n"
    "        - title: Sitcom B\n"
    "          episode_selector: {pool: sitcoms}\n";

static void
preempt_case(int64_t drama_ms)
{
	struct catb b = { 0 };
	struct rv_channel *c = load("prime.yaml", preempt_yaml);
	struct rv_compile_state *st;
	struct rv_compiler *k;
	struct rv_day *d;
	int sit = rv_channel_pool_index(c, "sitcoms");
	int dra = rv_channel_pool_index(c, "drama");

	add_show(&b, "drama", "Drama", 1, 25, drama_ms);
	add_show(&b, "sitcom", "Sitcom", 5, 25, 1320 * SEC);
	k = compiler(c, cat_done(&b));
	st = fresh_state(c);
	d = compile(k, "2026-02-16", st);

	assert_int_equal(d->n, 4);
	/* 2026-02-16T11:00Z (06:00 EST) to 2026-02-17T01:00Z (20:00 EST) */
	assert_filler(&d->blocks[0], INT64_C(1771239600000),
	    INT64_C(1771290000000), "Prime Slots");
	/* Drama 2026-02-17T01:00Z, two slots. */
	assert_program(&d->blocks[1], INT64_C(1771290000000), 3600 * SEC,
	    "drama-s01e01", "Drama");
	assert_int_equal(d->blocks[1].runtime_ms, drama_ms);
	/* Sitcom A is preempted; Sitcom B at 2026-02-17T02:00Z gets the
	 * pool's first episode. */
	assert_program(&d->blocks[2], INT64_C(1771293600000), 1800 * SEC,
	    "sitcom-s01e01", "Sitcom B");
	assert_int_equal(d->blocks[2].runtime_ms, 1320 * SEC);
	/* 2026-02-17T02:30Z to 2026-02-17T11:00Z (06:00 EST) */
	assert_filler(&d->blocks[3], INT64_C(1771295400000),
	    INT64_C(1771326000000), "Prime Slots");
	assert_tiles(c, d, INT64_C(1771239600000), INT64_C(1771326000000));
	/* The skipped slot never selected: the sitcom cursor moved by one. */
	assert_int_equal(st->cursors[sit].position, 1);
	assert_string_equal(st->cursors[sit].last_id, "sitcom-s01e01");
	assert_int_equal(st->cursors[dra].position, 1);
}

static void
slot_list_program_preempts_the_slots_it_covers(void **state)
{
	(void)state;
	preempt_case(3600 * SEC);
}

static void
slot_list_2700s_drama_still_claims_two_slots(void **state)
{
	(void)state;
	preempt_case(2700 * SEC);
}

/*
 * Regression (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c, gather() +
 * covers()/run_slots()): a slot list is compiled again and again until the
 * next entry of its layer starts.  gather() gives an entry without an end
 * (slots, single movie) a window up to the next entry of its layer, and
 * covers() then tests only that window, not r->done, so run_slots() runs
 * once per pass.  Here the list airs at 20:00 and again at 21:30 (Drama
 * S01E02, Sitcom B S01E02), both cursors move by 2 instead of 1, and
 * 21:30-23:00 is not a gap.
 */
static void
slot_list_airs_once_even_when_a_later_entry_follows(void **state)
{
	static const char yaml[] =
	    "channel: slots-then-block\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  drama: {match: {series_title: Drama}}\n"
	    "  sitcoms: {match: {series_title: Sitcom}}\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"20:00\", pool: a}\n"
	    "    - start: \"20:00\"\n"
	    "      slots:\n"
	    "        - title: Drama\n"
	    "          episode_selector: {pool: drama}\n"
	    "        - title: Sitcom A\n"
	    "          episode_selector: {pool: sitcoms}\n"
	    "        - title: Sitcom B\n"
	    "          episode_selector: {pool: sitcoms}\n"
	    "    - block: {start: \"23:00\", end: \"06:00\", pool: a}\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("slots2.yaml", yaml);
	struct rv_compile_state *st = fresh_state(c);
	struct rv_day *d;

	(void)state;
	add_show(&b, "drama", "Drama", 5, 25, 3600 * SEC);
	add_show(&b, "sitcom", "Sitcom", 5, 25, 1320 * SEC);
	add_show(&b, "alpha", "Alpha", 90, 90, 1320 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-03-01", st);
	/* 2026-03-01T20:00Z, 21:00Z */
	assert_program(&d->blocks[28], INT64_C(1772395200000), HOUR,
	    "drama-s01e01", "Drama");
	assert_program(&d->blocks[29], INT64_C(1772398800000), 1800 * SEC,
	    "sitcom-s01e01", "Sitcom B");
	/* Each pool selected once. */
	assert_int_equal(st->cursors[rv_channel_pool_index(c, "drama")].position,
	    1);
	assert_int_equal(st->cursors[rv_channel_pool_index(c,
	    "sitcoms")].position, 1);
	/* 2026-03-01T21:30Z to 23:00Z: nothing scheduled, filler. */
	assert_filler(&d->blocks[30], INT64_C(1772400600000),
	    INT64_C(1772406000000), "slots-then-block");
	/* A again from 23:00Z: 14 blocks to 2026-03-02T06:00Z. */
	assert_program(&d->blocks[31], INT64_C(1772406000000), 1800 * SEC,
	    "alpha-s01e29", "Alpha");
	assert_int_equal(d->n, 45);
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
}

/* ======================================================================
 * 3. Sequential across days (item 6)
 * ====================================================================== */

static const char cheers_yaml[] =
    "channel: cheers-24-7\n"
    "channel_number: 2\n"
    "timezone: America/New_York\n"
    "pools:\n"
    "  cheers: {match: {type: episode, series_title: Cheers}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block:\n"
    "        start: \"06:00\"\n"
    "        duration: \"24h\"\n"
    "        title: \"Cheers\"\n"
    "        pool: cheers\n"
    "        mode: sequential\n";

/* Index in S01E01… order, 25 episodes a season. */
static int
ep_index(const struct rv_program *p)
{
	assert_non_null(p->asset);
	return (p->asset->season - 1) * 25 + p->asset->episode - 1;
}

static void
sequential_pool_continues_across_days_without_skipping(void **state)
{
	struct catb b = { 0 };
	struct rv_channel *c = load("cheers.yaml", cheers_yaml);
	struct rv_compile_state *st;
	struct rv_compiler *k;
	struct rv_day *d;
	struct rv_date day;
	char s[RV_DATE_STR];
	int i, n, next;

	(void)state;
	add_show(&b, "cheers", "Cheers", 275, 25, 1500 * SEC);
	k = compiler(c, cat_done(&b));
	st = fresh_state(c);

	d = compile(k, "2026-01-01", st);
	assert_int_equal(d->n, 48);
	/* 2026-01-01T11:00Z = 06:00 EST, index 0 (S01E01) */
	assert_program(&d->blocks[0], INT64_C(1767265200000), 1800 * SEC,
	    "cheers-s01e01", "Cheers");
	/* 2026-01-02T10:30Z, index 47 (S02E23) */
	assert_program(&d->blocks[47], INT64_C(1767349800000), 1800 * SEC,
	    "cheers-s02e23", "Cheers");
	for (i = 0; i < 48; i++)
		assert_int_equal(ep_index(&d->blocks[i]), i);
	/* 2026-01-01T11:00Z to 2026-01-02T11:00Z */
	assert_tiles(c, d, INT64_C(1767265200000), INT64_C(1767351600000));

	d = compile(k, "2026-01-02", st);
	assert_int_equal(d->n, 48);
	assert_int_equal(ep_index(&d->blocks[0]), 48);
	assert_string_equal(asset_id(&d->blocks[0]), "cheers-s02e24");
	next = ep_index(&d->blocks[47]) + 1;

	/* 2026-01-03 … 2026-03-01, chained: each day starts right after
	 * the previous one ended. */
	day = date("2026-01-03");
	for (n = 0; n < 58; n++, day = rv_date_add_days(day, 1)) {
		d = compile(k, rv_date_format(day, s, sizeof(s)), st);
		assert_int_equal(d->n, 48);
		assert_int_equal(ep_index(&d->blocks[0]), next % 275);
		for (i = 1; i < 48; i++)
			assert_int_equal(ep_index(&d->blocks[i]),
			    (ep_index(&d->blocks[i - 1]) + 1) % 275);
		next = ep_index(&d->blocks[47]) + 1;
	}
	assert_int_equal(rv_date_cmp(day, date("2026-03-02")), 0);
	/* (60 · 48) mod 275 = 130 = S06E06, at 2026-03-02T11:00Z */
	d = compile(k, "2026-03-02", st);
	assert_int_equal(ep_index(&d->blocks[0]), 130);
	assert_program(&d->blocks[0], INT64_C(1772449200000), 1800 * SEC,
	    "cheers-s06e06", "Cheers");
}

/* Day 1 airs E02…E49 of a pool; then the catalog changes under the
 * cursor.  The next day resumes after the episode that aired last,
 * found by its id. */
static void
cursor_resumes_after_the_last_aired_episode_when_the_catalog_changes(
    void **state)
{
	static const char yaml[] =
	    "channel: resume\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 24h, pool: a}\n";
	struct rv_channel *c = load("resume.yaml", yaml);
	struct catb b = { 0 };
	struct rv_compile_state *st = fresh_state(c), *st2;
	struct rv_day *d;
	char id[32];
	int e;

	(void)state;
	for (e = 2; e <= 99; e++) {
		snprintf(id, sizeof(id), "alpha-s01e%02d", e);
		add_asset(&b, id, "episode", id, "Alpha", 1, e, 1320 * SEC);
	}
	d = compile(compiler(c, cat_done(&b)), "2026-03-01", st);
	assert_string_equal(asset_id(&d->blocks[0]), "alpha-s01e02");
	assert_string_equal(asset_id(&d->blocks[47]), "alpha-s01e49");
	assert_string_equal(st->cursors[0].last_id, "alpha-s01e49");
	st2 = copy_state(st);

	/* E01 turns up (it sorts first): day 2 still starts at E50. */
	for (e = 1; e <= 99; e++) {
		snprintf(id, sizeof(id), "alpha-s01e%02d", e);
		add_asset(&b, id, "episode", id, "Alpha", 1, e, 1320 * SEC);
	}
	d = compile(compiler(c, cat_done(&b)), "2026-03-02", st);
	assert_string_equal(asset_id(&d->blocks[0]), "alpha-s01e50");

	/* E10, already aired, goes away: day 2 still starts at E50. */
	for (e = 2; e <= 99; e++) {
		if (e == 10)
			continue;
		snprintf(id, sizeof(id), "alpha-s01e%02d", e);
		add_asset(&b, id, "episode", id, "Alpha", 1, e, 1320 * SEC);
	}
	d = compile(compiler(c, cat_done(&b)), "2026-03-02", st2);
	assert_string_equal(asset_id(&d->blocks[0]), "alpha-s01e50");
}

/* Four 6-hour windows, one pool each (the-precinct, trek-tv): each pool
 * goes on the next day right after its last episode (upstream skipped 42
 * a day). */
static void
four_windows_each_continue_their_pool_the_next_day(void **state)
{
	static const char yaml[] =
	    "channel: precinct\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  p1: {match: {series_title: One}}\n"
	    "  p2: {match: {series_title: Two}}\n"
	    "  p3: {match: {series_title: Three}}\n"
	    "  p4: {match: {series_title: Four}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"00:00\", end: \"06:00\", pool: p4}\n"
	    "    - block: {start: \"06:00\", end: \"12:00\", pool: p1}\n"
	    "    - block: {start: \"12:00\", end: \"18:00\", pool: p2}\n"
	    "    - block: {start: \"18:00\", end: \"00:00\", pool: p3}\n";
	static const char *const pfx[] = { "one", "two", "three", "four" };
	struct catb b = { 0 };
	struct rv_channel *c = load("precinct.yaml", yaml);
	struct rv_compile_state *st = fresh_state(c);
	struct rv_compiler *k;
	struct rv_day *d;
	char id[32];
	int day, i;

	(void)state;
	add_show(&b, "one", "One", 50, 50, 2640 * SEC);
	add_show(&b, "two", "Two", 50, 50, 2640 * SEC);
	add_show(&b, "three", "Three", 50, 50, 2640 * SEC);
	add_show(&b, "four", "Four", 50, 50, 2640 * SEC);
	k = compiler(c, cat_done(&b));
	for (day = 0; day < 3; day++) {
		d = compile(k, day == 0 ? "2026-01-05" : day == 1 ?
		    "2026-01-06" : "2026-01-07", st);
		assert_int_equal(d->n, 24);
		/* Window w, hour h: pool w, episode 6·day + h + 1. */
		for (i = 0; i < 24; i++) {
			snprintf(id, sizeof(id), "%s-s01e%02d", pfx[i / 6],
			    6 * day + i % 6 + 1);
			assert_string_equal(asset_id(&d->blocks[i]), id);
		}
		assert_tiles(c, d, d->start_ms, d->end_ms);
	}
}

/* ======================================================================
 * 4. Multi-pool rotation (item 7)
 * ====================================================================== */

static const char retro_yaml[] =
    "channel: retro-prime\n"
    "timezone: America/New_York\n"
    "pools:\n"
    "  cheers: {match: {type: episode, series_title: Cheers}}\n"
    "  cosby: {match: {type: episode, series_title: The Cosby Show}}\n"
    "  barney: {match: {type: episode, series_title: Barney Miller}}\n"
    "  batman: {match: {type: episode, series_title: \"Batman (1966)\"}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block:\n"
    "        start: \"06:00\"\n"
    "        end: \"06:00\"\n"
    "        title: Retro Prime\n"
    "        pool: [batman, barney, cheers, cosby]\n"
    "        mode: shuffle\n";

static void
assert_rotation(const struct rv_day *d, const char *const *prefix,
    int npools, int first_ep, const char *mode)
{
	char id[32];
	int i;

	for (i = 0; i < d->n; i++) {
		snprintf(id, sizeof(id), "%s-s01e%02d", prefix[i % npools],
		    first_ep + i / npools);
		assert_string_equal(asset_id(&d->blocks[i]), id);
		assert_string_equal(d->blocks[i].mode, mode);
	}
}

static void
shuffle_rotates_pools_in_order_and_day_two_continues_each_pool(void **state)
{
	static const char *const order[] = { "batman", "barney", "cheers",
	    "cosby" };
	struct catb b = { 0 };
	struct rv_channel *c = load("retro.yaml", retro_yaml);
	struct rv_compile_state *st;
	struct rv_compiler *k;
	struct rv_day *d;
	struct rv_cat_asset *a;
	int i;

	(void)state;
	add_show(&b, "cheers", "Cheers", 40, 40, 1500 * SEC);
	add_show(&b, "cosby", "The Cosby Show", 40, 40, 1380 * SEC);
	add_show(&b, "barney", "Barney Miller", 40, 40, 1320 * SEC);
	add_show(&b, "batman", "Batman", 40, 40, 1500 * SEC);
	for (i = 0; i < (int)b.n; i++)
		if (strcmp(b.a[i].series_title, "Batman") == 0)
			b.a[i].series_year = 1966;
	/* Another Batman must not match "Batman (1966)". */
	a = add_asset(&b, "batman89-s01e01", "episode", "Other", "Batman", 1,
	    1, 1500 * SEC);
	a->series_year = 1989;
	k = compiler(c, cat_done(&b));
	st = fresh_state(c);

	d = compile(k, "2026-01-05", st);
	assert_int_equal(d->n, 48);
	/* 2026-01-05T11:00Z (06:00 EST) to 2026-01-06T11:00Z */
	assert_tiles(c, d, INT64_C(1767610800000), INT64_C(1767697200000));
	assert_rotation(d, order, 4, 1, "shuffle");
	assert_string_equal(d->blocks[0].title, "Retro Prime");
	assert_string_equal(d->blocks[0].pool, "batman");
	assert_string_equal(d->blocks[47].pool, "cosby");
	/* 12 per pool each day; day 2 goes on at index 12 (E13). */
	d = compile(k, "2026-01-06", st);
	assert_int_equal(d->n, 48);
	assert_rotation(d, order, 4, 13, "shuffle");
}

static void
sequential_with_several_pools_rotates_like_shuffle(void **state)
{
	static const char yaml[] =
	    "channel: chicago-dispatch\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  chicago_med: {match: {type: episode, series_title: Chicago Med}}\n"
	    "  chicago_fire: {match: {type: episode, series_title: Chicago "
	    "Fire}}\n"
	    "  chicago_pd: {match: {type: episode, series_title: Chicago "
	    "P.D.}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block:\n"
	    "        start: \"06:00\"\n"
	    "        duration: \"24h\"\n"
	    "        title: \"Chicago Rotation\"\n"
	    "        pool: [chicago_med, chicago_fire, chicago_pd]\n"
	    "        mode: sequential\n";
	static const char *const order[] = { "med", "fire", "pd" };
	struct catb b = { 0 };
	struct rv_channel *c = load("chicago.yaml", yaml);
	struct rv_compile_state *st;
	struct rv_compiler *k;
	struct rv_day *d;

	(void)state;
	add_show(&b, "pd", "Chicago P.D.", 60, 60, 2580 * SEC);
	add_show(&b, "fire", "Chicago Fire", 60, 60, 1740 * SEC);
	add_show(&b, "med", "Chicago Med", 60, 60, 1500 * SEC);
	k = compiler(c, cat_done(&b));
	st = fresh_state(c);
	/* Med and Fire take one slot, P.D. two: 12 rounds of 4 slots, 12
	 * episodes of each show a day, in order. */
	d = compile(k, "2026-01-05", st);
	assert_int_equal(d->n, 36);
	assert_rotation(d, order, 3, 1, "sequential");
	assert_string_equal(d->blocks[0].title, "Chicago Rotation");
	/* 2026-01-05T11:00Z to 2026-01-06T11:00Z */
	assert_tiles(c, d, INT64_C(1767610800000), INT64_C(1767697200000));
	/* Day 2 goes on at E13 of each show. */
	d = compile(k, "2026-01-06", st);
	assert_int_equal(d->n, 36);
	assert_rotation(d, order, 3, 13, "sequential");
}

static void
shuffle_over_one_pool_of_several_shows_rotates_the_shows(void **state)
{
	static const char yaml[] =
	    "channel: legal\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  all_legal:\n"
	    "    match: {type: episode, series_title: [Boston Legal, Suits]}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 12h, pool: all_legal,"
	    " mode: shuffle}\n";
	static const char *const want[] = {
		"bl-s01e01", "suits-s01e01", "bl-s01e02", "suits-s01e02",
		"bl-s01e03", "suits-s01e03", "suits-s01e04", "suits-s01e05",
		"bl-s01e01", "suits-s01e01", "bl-s01e02", "suits-s01e02",
	};
	struct catb b = { 0 };
	struct rv_channel *c = load("legal.yaml", yaml);
	struct rv_day *d;
	int i;

	(void)state;
	add_show(&b, "suits", "Suits", 5, 5, 2640 * SEC);
	add_show(&b, "bl", "Boston Legal", 3, 3, 2640 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-03-01", fresh_state(c));
	/* 12 one-hour blocks, then filler 18:00Z–06:00Z. */
	assert_int_equal(d->n, 13);
	for (i = 0; i < 12; i++)
		assert_string_equal(asset_id(&d->blocks[i]), want[i]);
	assert_null(d->blocks[12].asset);
}

/* ======================================================================
 * 5. Bleed, carry and cooldowns (item 8)
 * ====================================================================== */

/* Five R movies of 6000 s (7200 s slots) and four PG movies of 4800 s
 * (5400 s slots). */
static struct rv_catalog *
movie_catalog(void)
{
	struct catb b = { 0 };
	char id[16], title[32];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "r-%d", i + 1);
		snprintf(title, sizeof(title), "Rated R %d", i + 1);
		add_movie(&b, id, title, 1980 + i, "R", 6000 * SEC);
	}
	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "pg-%d", i + 1);
		snprintf(title, sizeof(title), "Rated PG %d", i + 1);
		add_movie(&b, id, title, 1980 + i, "PG", 4800 * SEC);
	}
	return cat_done(&b);
}

#define MARATHON_HEAD \
    "timezone: UTC\n" \
    "pools:\n" \
    "  rated_r: {match: {type: movie, rating: {include: [R]}}}\n" \
    "  rated_pg: {match: {type: movie, rating: {include: [PG]}}}\n" \
    "schedule:\n" \
    "  all_day:\n" \
    "    - movie_marathon:\n" \
    "        start: \"06:00\"\n" \
    "        end: \"14:00\"\n" \
    "        allow_bleed: true\n" \
    "        movie_selector: {pool: rated_r, min_cooldown_days: 0}\n"

static void
assert_movie_starts(const struct rv_day *d, const int64_t *start, int n,
    int64_t last_end)
{
	int i;

	assert_true(d->n >= n);
	for (i = 0; i < n; i++) {
		assert_non_null(d->blocks[i].asset);
		assert_string_equal(d->blocks[i].asset->kind, "movie");
		assert_int_equal(d->blocks[i].start_ms, start[i]);
		assert_string_equal(d->blocks[i].asset->rating,
		    start[i] < INT64_C(1772373600000) ? "R" : "PG");
		assert_int_equal(d->blocks[i].end_ms - d->blocks[i].start_ms,
		    start[i] < INT64_C(1772373600000) ? 7200 * SEC :
		    5400 * SEC);
	}
	assert_int_equal(d->blocks[n - 1].end_ms, last_end);
}

/* 2026-03-01 06:00Z, 08:00Z, 10:00Z, 12:00Z, then 14:00Z, 15:30Z, 17:00Z,
 * 18:30Z, 20:00Z, 21:30Z. */
static const int64_t marathon_starts[] = {
	INT64_C(1772344800000), INT64_C(1772352000000), INT64_C(1772359200000),
	INT64_C(1772366400000), INT64_C(1772373600000), INT64_C(1772379000000),
	INT64_C(1772384400000), INT64_C(1772389800000), INT64_C(1772395200000),
	INT64_C(1772400600000),
};

static void
marathons_bleed_past_their_end_and_the_rest_of_the_day_is_filler(void **state)
{
	static const char yaml[] =
	    "channel: bleed\n"
	    MARATHON_HEAD
	    "    - movie_marathon:\n"
	    "        start: \"14:00\"\n"
	    "        end: \"22:00\"\n"
	    "        allow_bleed: true\n"
	    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n";
	struct rv_channel *c = load("bleed.yaml", yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_day *d = compile(k, "2026-03-01", fresh_state(c));

	(void)state;
	assert_int_equal(d->n, 11);
	/* The last movie starts 21:30 and bleeds to 23:00 (2026-03-01T23:00Z
	 * = 1772406000000). */
	assert_movie_starts(d, marathon_starts, 10, INT64_C(1772406000000));
	/* 23:00Z to 2026-03-02T06:00Z is filler (named after the channel). */
	assert_filler(&d->blocks[10], INT64_C(1772406000000),
	    INT64_C(1772431200000), "bleed");
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
}

static const char three_marathons_yaml[] =
    "channel: three\n"
    MARATHON_HEAD
    "    - movie_marathon:\n"
    "        start: \"14:00\"\n"
    "        end: \"22:00\"\n"
    "        allow_bleed: true\n"
    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n"
    "    - movie_marathon:\n"
    "        start: \"22:00\"\n"
    "        end: \"06:00\"\n"
    "        allow_bleed: true\n"
    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n";

static void
third_marathon_starts_where_the_bleed_ended_and_the_next_day_carries(
    void **state)
{
	/* 23:00Z, 2026-03-02 00:30Z, 02:00Z, 03:30Z, 05:00Z */
	static const int64_t late[] = { INT64_C(1772406000000),
	    INT64_C(1772411400000), INT64_C(1772416800000),
	    INT64_C(1772422200000), INT64_C(1772427600000) };
	struct rv_channel *c = load("three.yaml", three_marathons_yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_compile_state *st = fresh_state(c);
	struct rv_day *d = compile(k, "2026-03-01", st), *d2;
	int i;

	(void)state;
	assert_int_equal(d->n, 15);
	assert_movie_starts(d, marathon_starts, 10, INT64_C(1772406000000));
	for (i = 0; i < 5; i++) {
		assert_int_equal(d->blocks[10 + i].start_ms, late[i]);
		assert_string_equal(d->blocks[10 + i].asset->rating, "PG");
		assert_string_equal(d->blocks[10 + i].entry, "all_day[2]");
	}
	/* Contiguous from 06:00Z; the last bleeds to 2026-03-02T06:30Z. */
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772433000000));
	assert_int_equal(d->end_ms, INT64_C(1772431200000));
	assert_int_equal(st->carry_ms, INT64_C(1772433000000));

	/* The next day starts at 06:30Z, where the bleed ended, not at its
	 * nominal 06:00Z: no overlap, no gap.  Its first marathon (7200 s
	 * slots) goes on from there. */
	d2 = compile(k, "2026-03-02", st);
	assert_int_equal(d2->start_ms, INT64_C(1772431200000));
	assert_int_equal(d2->first_ms, INT64_C(1772433000000));
	assert_int_equal(d2->blocks[0].start_ms, d->blocks[d->n - 1].end_ms);
	assert_string_equal(d2->blocks[0].asset->rating, "R");
	/* 06:30, 08:30, 10:30, 12:30 → 14:30Z (2026-03-02T14:30Z). */
	assert_int_equal(d2->blocks[3].end_ms, INT64_C(1772461800000));
	assert_string_equal(d2->blocks[4].asset->rating, "PG");
	assert_int_equal(d2->blocks[4].start_ms, INT64_C(1772461800000));
}

static const char no_bleed_yaml[] =
    "channel: no-bleed\n"
    MARATHON_HEAD
    "    - movie_marathon:\n"
    "        start: \"14:00\"\n"
    "        end: \"22:00\"\n"
    "        allow_bleed: false\n"
    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n"
    "    - movie_marathon:\n"
    "        start: \"22:00\"\n"
    "        end: \"06:00\"\n"
    "        allow_bleed: true\n"
    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n";

static void
marathon_without_bleed_stops_before_its_end_and_the_gap_is_filler(
    void **state)
{
	struct rv_channel *c = load("nobleed.yaml", no_bleed_yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_day *d = compile(k, "2026-03-01", fresh_state(c));

	(void)state;
	/* 14:00 … 20:00 (5 movies), nothing more fits before 22:00. */
	assert_movie_starts(d, marathon_starts, 9, INT64_C(1772400600000));
	/* 2026-03-01T21:30Z to 22:00Z */
	assert_filler(&d->blocks[9], INT64_C(1772400600000),
	    INT64_C(1772402400000), "no-bleed");
	/* The third marathon starts on time at 22:00Z. */
	assert_int_equal(d->blocks[10].start_ms, INT64_C(1772402400000));
	assert_string_equal(d->blocks[10].entry, "all_day[2]");
	/* 22:00, 23:30, 01:00, 02:30, 04:00, 05:30 → 07:00Z */
	assert_int_equal(d->n, 16);
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772434800000));
}

static void
marathon_without_bleed_gap_is_an_error_when_strict(void **state)
{
	struct rv_channel *c = load("nobleed.yaml", no_bleed_yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_diags *d;
	int rc;

	(void)state;
	compile_try(k, "2026-03-01", 1, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	assert_non_null(strstr(d->errors[0], "channel no-bleed, day "
	    "2026-03-01"));
	assert_non_null(strstr(d->errors[0], "nothing is scheduled from "
	    "2026-03-01T21:30:00Z to 2026-03-01T22:00:00Z"));
}

static void
default_cooldown_relaxes_and_flags_when_the_pool_runs_out(void **state)
{
	static const char yaml[] =
	    "channel: cooldown\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  rated_pg: {match: {type: movie, rating: {include: [PG]}}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - movie_marathon:\n"
	    "        start: \"14:00\"\n"
	    "        end: \"22:00\"\n"
	    "        allow_bleed: true\n"
	    "        movie_selector: {pool: rated_pg}\n";
	struct rv_channel *c = load("cooldown.yaml", yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_diags *d;
	struct rv_day *day;
	json_t *j;
	int rc, i, j2;

	(void)state;
	day = compile_try(k, "2026-03-01", 0, fresh_state(c), &rc, &d);
	assert_int_equal(rc, 0);
	assert_int_equal(d->nerrors, 0);
	/* Filler 06:00–14:00, six movies 14:00 … 21:30, filler 23:00–06:00. */
	assert_int_equal(day->n, 8);
	assert_movie_starts(&(struct rv_day){ .blocks = day->blocks + 1,
	    .n = 6 }, marathon_starts + 4, 6, INT64_C(1772406000000));
	/* Four movies, all different, none flagged. */
	for (i = 1; i <= 4; i++) {
		assert_int_equal(day->blocks[i].cooldown_relaxed, 0);
		j = program_json(c, day, i);
		assert_null(json_object_get(j, "cooldown_relaxed"));
		for (j2 = 1; j2 < i; j2++)
			assert_string_not_equal(asset_id(&day->blocks[i]),
			    asset_id(&day->blocks[j2]));
	}
	/* Then every movie is inside its day of cooldown: the one that aired
	 * longest ago airs again, flagged and warned about. */
	for (i = 5; i <= 6; i++) {
		assert_int_equal(day->blocks[i].cooldown_relaxed, 1);
		j = program_json(c, day, i);
		assert_true(json_is_true(json_object_get(j,
		    "cooldown_relaxed")));
		assert_string_equal(asset_id(&day->blocks[i]),
		    asset_id(&day->blocks[i - 4]));
	}
	assert_int_equal(d->nwarnings, 2);
	assert_true(has_text(d, 0, "cooldown"));
	assert_true(has_text(d, 0, "channel cooldown, day 2026-03-01"));
}

static void
enough_movies_never_repeat_within_a_day_across_three_chained_days(
    void **state)
{
	static const char yaml[] =
	    "channel: movies-24\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  all: {match: {type: movie}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - movie_marathon:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"06:00\"\n"
	    "        allow_bleed: true\n"
	    "        movie_selector: {pool: all, mode: random}\n";
	struct catb b = { 0 };
	struct rv_channel *c;
	struct rv_compiler *k;
	struct rv_compile_state *st;
	struct rv_day *d[3];
	const struct rv_program *p[64];
	char id[16];
	int i, j, n = 0;

	(void)state;
	c = load("movies.yaml", yaml);
	/* 20 movies of 6000 s: 12 a day; a day of cooldown needs 12. */
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "m-%02d", i);
		add_movie(&b, id, id, 1970 + i, "PG", 6000 * SEC);
	}
	k = compiler(c, cat_done(&b));
	st = fresh_state(c);
	d[0] = compile(k, "2026-03-03", st);
	d[1] = compile(k, "2026-03-04", st);
	d[2] = compile(k, "2026-03-05", st);
	for (i = 0; i < 3; i++) {
		assert_int_equal(d[i]->n, 12);
		for (j = 0; j < d[i]->n; j++) {
			assert_int_equal(d[i]->blocks[j].cooldown_relaxed, 0);
			p[n++] = &d[i]->blocks[j];
		}
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(asset_id(p[i]), asset_id(p[j])) == 0 &&
			    p[j]->start_ms - p[i]->start_ms < DAY)
				fail_msg("%s airs at %lld and again at %lld",
				    asset_id(p[i]), (long long)p[i]->start_ms,
				    (long long)p[j]->start_ms);
	/* 2026-03-03T11:00Z to 2026-03-06T11:00Z in three tiles. */
	assert_tiles(c, d[0], INT64_C(1772535600000), INT64_C(1772622000000));
	assert_tiles(c, d[2], INT64_C(1772708400000), INT64_C(1772794800000));
}

/*
 * Regression (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c, gather() +
 * covers()/run_movies()): a single-movie entry (`start:` +
 * `movie_selector:`, "one movie" in channel.h) followed by a later entry of
 * its layer airs a movie, then another, until it reaches the next entry:
 * here 20:00, 21:30 and 23:00 (three movies), and the last one overruns and
 * pushes the 23:30 block to 01:00.
 */
static void
single_movie_entry_airs_one_movie_even_when_a_later_entry_follows(
    void **state)
{
	static const char yaml[] =
	    "channel: one-movie\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  films: {match: {type: movie}}\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"20:00\", pool: a}\n"
	    "    - start: \"20:00\"\n"
	    "      movie_selector: {pool: films}\n"
	    "    - block: {start: \"23:30\", end: \"06:00\", pool: a}\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("onemovie.yaml", yaml);
	struct rv_diags *diags;
	struct rv_day *d;
	int rc;

	(void)state;
	add_movie(&b, "m-1", "First", 1980, "PG", 4800 * SEC);
	add_movie(&b, "m-2", "Second", 1981, "PG", 4800 * SEC);
	add_show(&b, "alpha", "Alpha", 90, 90, 1320 * SEC);
	d = compile_try(compiler(c, cat_done(&b)), "2026-03-01", 0,
	    fresh_state(c), &rc, &diags);
	assert_int_equal(rc, 0);
	/* One movie 2026-03-01T20:00Z–21:30Z. */
	assert_int_equal(d->blocks[28].start_ms, INT64_C(1772395200000));
	assert_non_null(d->blocks[28].asset);
	assert_string_equal(d->blocks[28].asset->kind, "movie");
	assert_int_equal(d->blocks[28].end_ms, INT64_C(1772400600000));
	/* 21:30Z to 23:30Z (1772407800000) is a gap: filler. */
	assert_filler(&d->blocks[29], INT64_C(1772400600000),
	    INT64_C(1772407800000), "one-movie");
	/* The 23:30 block starts on time. */
	assert_program(&d->blocks[30], INT64_C(1772407800000), 1800 * SEC,
	    "alpha-s01e29", "Alpha");
	assert_int_equal(d->n, 43);
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
	/* One movie of two never needs its cooldown relaxed. */
	assert_int_equal(diags->nwarnings, 0);
}

static void
movie_selector_honours_rating_exclude_and_max_duration(void **state)
{
	static const char yaml[] =
	    "channel: filtered\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  films: {match: {type: movie}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - movie_marathon:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"06:00\"\n"
	    "        movie_selector:\n"
	    "          pool: films\n"
	    "          rating: {exclude: [R]}\n"
	    "          max_duration_sec: 5000\n"
	    "          min_cooldown_days: 0\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("filtered.yaml", yaml);
	struct rv_day *d;
	char id[16];
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "r-%d", i);
		add_movie(&b, id, id, 1990, "R", 4800 * SEC);
	}
	add_movie(&b, "pg-long", "Long", 1990, "PG", 9000 * SEC);
	add_movie(&b, "pg-1", "Short One", 1990, "PG", 4800 * SEC);
	add_movie(&b, "pg-2", "Short Two", 1991, "PG", 4800 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-03-01", fresh_state(c));
	/* 16 movies of 5400 s slots fill 2026-03-01T06:00Z–03-02T06:00Z. */
	assert_int_equal(d->n, 16);
	for (i = 0; i < d->n; i++)
		if (strcmp(asset_id(&d->blocks[i]), "pg-1") != 0 &&
		    strcmp(asset_id(&d->blocks[i]), "pg-2") != 0)
			fail_msg("block %d is %s", i, asset_id(&d->blocks[i]));
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
}

static void
recompiling_a_day_from_the_state_that_entered_it_gives_the_same_day(
    void **state)
{
	struct rv_channel *c = load("three.yaml", three_marathons_yaml);
	struct rv_compiler *k = compiler(c, movie_catalog());
	struct rv_compile_state *st = fresh_state(c), *again;
	struct rv_day *d1, *d2;
	int i;

	(void)state;
	compile(k, "2026-03-01", st);
	again = copy_state(st);
	assert_int_equal(again->carry_ms, st->carry_ms);
	assert_int_equal(again->nplays, st->nplays);
	d1 = compile(k, "2026-03-02", st);
	d2 = compile(k, "2026-03-02", again);
	assert_string_equal(d1->hash, d2->hash);
	assert_int_equal(d1->n, d2->n);
	for (i = 0; i < d1->n; i++) {
		assert_string_equal(asset_id(&d1->blocks[i]),
		    asset_id(&d2->blocks[i]));
		assert_int_equal(d1->blocks[i].start_ms, d2->blocks[i].start_ms);
	}
	/* Both leave the same state for the next day. */
	assert_int_equal(st->carry_ms, again->carry_ms);
	assert_int_equal(st->nplays, again->nplays);
}

/* ======================================================================
 * 6. Overlays replace the time they cover
 * ====================================================================== */

static struct rv_catalog *
ab_catalog(int64_t a_ms, int64_t b_ms)
{
	struct catb b = { 0 };

	add_show(&b, "alpha", "Alpha", 99, 99, a_ms);
	add_show(&b, "beta", "Beta", 20, 20, b_ms);
	add_show(&b, "gamma", "Gamma", 20, 20, 1320 * SEC);
	return cat_done(&b);
}

#define AB_HEAD \
    "timezone: UTC\n" \
    "pools:\n" \
    "  a: {match: {series_title: Alpha}}\n" \
    "  b: {match: {series_title: Beta}}\n" \
    "  g: {match: {series_title: Gamma}}\n" \
    "schedule:\n" \
    "  all_day:\n" \
    "    - block: {start: \"06:00\", duration: 24h, title: A, pool: a}\n"

static void
assert_a_b_a(const struct rv_day *d, int na1, int nb, int na2)
{
	char id[32];
	int i;

	assert_int_equal(d->n, na1 + nb + na2);
	for (i = 0; i < d->n; i++) {
		if (i >= na1 && i < na1 + nb)
			snprintf(id, sizeof(id), "beta-s01e%02d", i - na1 + 1);
		else
			snprintf(id, sizeof(id), "alpha-s01e%02d", i < na1 ?
			    i + 1 : i - nb + 1);
		assert_string_equal(asset_id(&d->blocks[i]), id);
	}
}

static void
saturday_overlay_replaces_only_the_range_it_covers(void **state)
{
	static const char yaml[] =
	    "channel: overlay\n"
	    AB_HEAD
	    "  saturday:\n"
	    "    - block: {start: \"20:00\", end: \"21:00\", title: B, pool: b}\n";
	struct rv_channel *c = load("overlay.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d;

	(void)state;
	/* Saturday 2026-03-07: A 06:00–20:00 (28), B 20:00–21:00 (2),
	 * A again 21:00–06:00 (18), A's episodes in order throughout. */
	d = compile(k, "2026-03-07", fresh_state(c));
	assert_a_b_a(d, 28, 2, 18);
	/* 2026-03-07T20:00Z, 2026-03-07T21:00Z */
	assert_program(&d->blocks[28], INT64_C(1772913600000), 1800 * SEC,
	    "beta-s01e01", "B");
	assert_program(&d->blocks[30], INT64_C(1772917200000), 1800 * SEC,
	    "alpha-s01e29", "A");
	/* Ends exactly at 2026-03-08T06:00Z: no late end. */
	assert_tiles(c, d, INT64_C(1772863200000), INT64_C(1772949600000));
	assert_int_equal(d->last_ms, d->end_ms);

	/* Friday 2026-03-06: no B at all. */
	d = compile(k, "2026-03-06", fresh_state(c));
	assert_a_b_a(d, 48, 0, 0);
	assert_tiles(c, d, INT64_C(1772776800000), INT64_C(1772863200000));
}

static void
weekdays_overlay_replaces_its_range_on_a_monday_only(void **state)
{
	static const char yaml[] =
	    "channel: weekdays\n"
	    AB_HEAD
	    "  weekdays:\n"
	    "    - block: {start: \"12:00\", duration: 1h, title: B, pool: b}\n";
	struct rv_channel *c = load("weekdays.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d;

	(void)state;
	/* Monday 2026-03-09: A 06:00–12:00 (12), B 12:00–13:00 (2), A 13:00–
	 * 06:00 (34). */
	d = compile(k, "2026-03-09", fresh_state(c));
	assert_a_b_a(d, 12, 2, 34);
	/* 2026-03-09T12:00Z */
	assert_int_equal(d->blocks[12].start_ms, INT64_C(1773057600000));
	/* 2026-03-09T06:00Z to 2026-03-10T06:00Z */
	assert_tiles(c, d, INT64_C(1773036000000), INT64_C(1773122400000));
	/* Sunday 2026-03-08: only A. */
	d = compile(k, "2026-03-08", fresh_state(c));
	assert_a_b_a(d, 48, 0, 0);
}

static void
day_name_layer_beats_weekdays_layer(void **state)
{
	static const char yaml[] =
	    "channel: layers\n"
	    AB_HEAD
	    "  weekdays:\n"
	    "    - block: {start: \"12:00\", duration: 2h, title: B, pool: b}\n"
	    "  monday:\n"
	    "    - block: {start: \"13:00\", duration: 30m, title: G, pool: g}\n";
	struct rv_channel *c = load("layers.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d;

	(void)state;
	/* Monday 2026-03-09: B 12:00, 12:30; G 13:00; B 13:30; A from 14:00. */
	d = compile(k, "2026-03-09", fresh_state(c));
	assert_int_equal(d->n, 48);
	assert_string_equal(asset_id(&d->blocks[11]), "alpha-s01e12");
	assert_string_equal(asset_id(&d->blocks[12]), "beta-s01e01");
	assert_string_equal(asset_id(&d->blocks[13]), "beta-s01e02");
	/* 2026-03-09T13:00Z */
	assert_program(&d->blocks[14], INT64_C(1773061200000), 1800 * SEC,
	    "gamma-s01e01", "G");
	assert_string_equal(asset_id(&d->blocks[15]), "beta-s01e03");
	assert_string_equal(asset_id(&d->blocks[16]), "alpha-s01e13");
	assert_tiles(c, d, INT64_C(1773036000000), INT64_C(1773122400000));
}

static void
weekends_layer_applies_on_saturday_and_sunday_only(void **state)
{
	static const char yaml[] =
	    "channel: weekends\n"
	    AB_HEAD
	    "  weekends:\n"
	    "    - block: {start: \"08:00\", end: \"09:00\", title: B, pool: b}\n";
	struct rv_channel *c = load("weekends.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));

	(void)state;
	/* Saturday 2026-03-07 and Sunday 2026-03-08: A (4), B (2), A (42). */
	assert_a_b_a(compile(k, "2026-03-07", fresh_state(c)), 4, 2, 42);
	assert_a_b_a(compile(k, "2026-03-08", fresh_state(c)), 4, 2, 42);
	/* Friday 2026-03-06 and Monday 2026-03-09: A only. */
	assert_a_b_a(compile(k, "2026-03-06", fresh_state(c)), 48, 0, 0);
	assert_a_b_a(compile(k, "2026-03-09", fresh_state(c)), 48, 0, 0);
}

/* The weekday is the broadcast day's: Saturday's 01:00 entry airs in the
 * early hours of Sunday's calendar date, and Friday's broadcast day (which
 * runs into Saturday's calendar date) does not get it. */
static void
day_layer_follows_the_broadcast_day_not_the_calendar_date(void **state)
{
	static const char yaml[] =
	    "channel: late-sat\n"
	    AB_HEAD
	    "  saturday:\n"
	    "    - block: {start: \"01:00\", end: \"02:00\", title: B, pool: b}\n";
	struct rv_channel *c = load("latesat.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d;

	(void)state;
	/* Broadcast Saturday 2026-03-07: B at 2026-03-08T01:00Z
	 * (1772931600000), A 38 blocks before it and 8 after. */
	d = compile(k, "2026-03-07", fresh_state(c));
	assert_a_b_a(d, 38, 2, 8);
	assert_int_equal(d->blocks[38].start_ms, INT64_C(1772931600000));
	/* Broadcast Friday 2026-03-06 covers Saturday 01:00 on the calendar,
	 * but it is Friday's day: no B. */
	assert_a_b_a(compile(k, "2026-03-06", fresh_state(c)), 48, 0, 0);
}

/*
 * Regression (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c,
 * active()/run_block()): a lower layer's program overruns the start of an
 * overlay, so the overlay does not replace the whole range it covers..
 * all_day A has 1-h episodes from 06:00; the saturday overlay B is
 * 20:30-22:00.  A's episode placed at 20:00 runs to 21:00 and B only airs
 * from 21:00.  DESIGN.md §5: "an overlay replaces the time range it
 * covers" (only the last block of a day may bleed).  Expected: nothing of A
 * inside [20:30, 22:00), B from 20:30 (what fills 20:00-20:30 is left open
 * here: filler is what a gap becomes).
 */
static void
lower_layer_program_does_not_overrun_an_overlay(void **state)
{
	static const char yaml[] =
	    "channel: overrun\n"
	    AB_HEAD
	    "  saturday:\n"
	    "    - block: {start: \"20:30\", end: \"22:00\", title: B, pool: b}\n";
	struct rv_channel *c = load("overrun.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(2700 * SEC, 1320 * SEC));
	/* 2026-03-07T20:30Z, 22:00Z */
	const int64_t from = INT64_C(1772915400000);
	const int64_t to = INT64_C(1772920800000);
	struct rv_day *d;
	int i, nb = 0;

	(void)state;
	d = compile(k, "2026-03-07", fresh_state(c));
	for (i = 0; i < d->n; i++) {
		const struct rv_program *p = &d->blocks[i];

		if (p->end_ms <= from || p->start_ms >= to)
			continue;
		if (p->pool == NULL || strcmp(p->pool, "b") != 0)
			fail_msg("%s (%s) airs %lld-%lld inside the overlay",
			    asset_id(p), p->title, (long long)p->start_ms,
			    (long long)p->end_ms);
		if (nb++ == 0)
			assert_int_equal(p->start_ms, from);
	}
	assert_int_equal(nb, 3);
	assert_tiles(c, d, INT64_C(1772863200000), INT64_C(1772949600000));
}

/*
 * BUG (lib/compile.c, active() + run_block()): the same rule when the
 * lower layer's program runs past its own window's end (which should only
 * push what follows in its own layer).  all_day A (90-min episodes)
 * 06:00-20:00, then G from 20:00; saturday B 20:30-22:00.  active() clears
 * `hard` when the running entry's own end (20:00) comes before the
 * overlay's start (20:30), so run_block() places A's 19:30 episode
 * (alpha-s01e10, 2026-03-07T19:30Z-21:00Z, 1772911800000-1772917200000)
 * and B airs only from 21:00.  Expected: nothing of all_day inside
 * [20:30, 22:00), B from 20:30.
 */
static void
lower_layer_program_past_its_own_window_stays_out_of_an_overlay(
    void **state)
{
	static const char yaml[] =
	    "channel: overrun2\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "  b: {match: {series_title: Beta}}\n"
	    "  g: {match: {series_title: Gamma}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"20:00\", title: A, pool: a}\n"
	    "    - block: {start: \"20:00\", end: \"06:00\", title: G, pool: g}\n"
	    "  saturday:\n"
	    "    - block: {start: \"20:30\", end: \"22:00\", title: B, pool: b}\n";
	struct rv_channel *c = load("overrun2.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(4800 * SEC, 1320 * SEC));
	/* 2026-03-07T20:30Z, 22:00Z */
	const int64_t from = INT64_C(1772915400000);
	const int64_t to = INT64_C(1772920800000);
	struct rv_day *d;
	int i, nb = 0;

	(void)state;
	d = compile(k, "2026-03-07", fresh_state(c));
	for (i = 0; i < d->n; i++) {
		const struct rv_program *p = &d->blocks[i];

		if (p->end_ms <= from || p->start_ms >= to)
			continue;
		if (p->pool == NULL || strcmp(p->pool, "b") != 0)
			fail_msg("%s (%s) airs %lld-%lld inside the overlay",
			    asset_id(p), p->title, (long long)p->start_ms,
			    (long long)p->end_ms);
		if (nb++ == 0)
			assert_int_equal(p->start_ms, from);
	}
	assert_int_equal(nb, 3);
	assert_tiles(c, d, INT64_C(1772863200000), INT64_C(1772949600000));
}

/*
 * BUG (lib/compile.c, run_slots()): a slot list of a lower layer runs into
 * an overlay.  run_slots() takes neither the stop nor the `hard` flag that
 * run_block() and run_movies() honour, so all_day's slot list at 20:00
 * places its one-hour Drama 2026-03-07T20:00Z-21:00Z (1772913600000-
 * 1772917200000) although the saturday overlay B starts at 20:30, and B
 * starts late at 21:00.  rv-dsl(5), Overlays: "A program of the layer
 * below that would run into an overlay is not placed".  Expected: nothing
 * of all_day inside [20:30, 21:30), B from 20:30 (what fills 20:00-20:30
 * is left open here).
 */
static void
lower_layer_slot_list_stays_out_of_an_overlay(void **state)
{
	static const char yaml[] =
	    "channel: slots-overlay\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  drama: {match: {series_title: Drama}}\n"
	    "  sitcoms: {match: {series_title: Sitcom}}\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "  b: {match: {series_title: Beta}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"20:00\", pool: a}\n"
	    "    - start: \"20:00\"\n"
	    "      slots:\n"
	    "        - title: Drama\n"
	    "          episode_selector: {pool: drama}\n"
	    "        - title: Sitcom B\n"
	    "          episode_selector: {pool: sitcoms}\n"
	    "    - block: {start: \"21:30\", end: \"06:00\", pool: a}\n"
	    "  saturday:\n"
	    "    - block: {start: \"20:30\", end: \"21:30\", title: B, pool: b}\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("slotsover.yaml", yaml);
	/* 2026-03-07T20:30Z, 21:30Z */
	const int64_t from = INT64_C(1772915400000);
	const int64_t to = INT64_C(1772919000000);
	struct rv_day *d;
	int i, nb = 0;

	(void)state;
	add_show(&b, "drama", "Drama", 5, 25, 3600 * SEC);
	add_show(&b, "sitcom", "Sitcom", 5, 25, 1320 * SEC);
	add_show(&b, "alpha", "Alpha", 90, 90, 1320 * SEC);
	add_show(&b, "beta", "Beta", 20, 20, 1320 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-03-07", fresh_state(c));
	for (i = 0; i < d->n; i++) {
		const struct rv_program *p = &d->blocks[i];

		if (p->end_ms <= from || p->start_ms >= to)
			continue;
		if (p->pool == NULL || strcmp(p->pool, "b") != 0)
			fail_msg("%s (%s) airs %lld-%lld inside the overlay",
			    asset_id(p), p->title, (long long)p->start_ms,
			    (long long)p->end_ms);
		if (nb++ == 0)
			assert_int_equal(p->start_ms, from);
	}
	assert_int_equal(nb, 2);
	assert_tiles(c, d, INT64_C(1772863200000), INT64_C(1772949600000));
}

/* ======================================================================
 * 7. Cross-midnight windows
 * ====================================================================== */

static void
window_22_to_06_starts_at_22_local_and_ends_by_the_next_day(void **state)
{
	static const char yaml[] =
	    "channel: overnight\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "  b: {match: {series_title: Beta}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"22:00\", pool: a}\n"
	    "    - block: {start: \"22:00\", end: \"06:00\", pool: b}\n";
	struct rv_channel *c = load("overnight.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 2700 * SEC));
	struct rv_day *d;
	int i;

	(void)state;
	/* 2026-03-01 (EST): A 06:00–22:00 local = 11:00Z–2026-03-02T03:00Z,
	 * 32 blocks; B 22:00–06:00 local = 03:00Z–11:00Z, 8 one-hour
	 * blocks. */
	d = compile(k, "2026-03-01", fresh_state(c));
	assert_int_equal(d->n, 40);
	for (i = 0; i < 32; i++)
		assert_string_equal(d->blocks[i].pool, "a");
	/* 2026-03-02T03:00Z */
	assert_program(&d->blocks[32], INT64_C(1772420400000), HOUR,
	    "beta-s01e01", "Beta");
	assert_string_equal(d->blocks[39].pool, "b");
	/* 2026-03-01T11:00Z to 2026-03-02T11:00Z */
	assert_tiles(c, d, INT64_C(1772362800000), INT64_C(1772449200000));
}

static void
midnight_start_belongs_to_the_next_calendar_date(void **state)
{
	static const char yaml[] =
	    "channel: midnight\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "  b: {match: {series_title: Beta}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"00:00\", end: \"06:00\", pool: b}\n"
	    "    - block: {start: \"06:00\", end: \"00:00\", pool: a}\n";
	struct rv_channel *c = load("midnight.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d;
	int i;

	(void)state;
	/* Day 2026-03-01: A 06:00–00:00 (36), then B from
	 * 2026-03-02T00:00Z (not 2026-03-01T00:00Z) to 06:00Z (12). */
	d = compile(k, "2026-03-01", fresh_state(c));
	assert_int_equal(d->n, 48);
	for (i = 0; i < 36; i++)
		assert_string_equal(d->blocks[i].pool, "a");
	assert_program(&d->blocks[36], INT64_C(1772409600000), 1800 * SEC,
	    "beta-s01e01", "Beta");
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
}

/* ======================================================================
 * 8. DST (item 12)
 * ====================================================================== */

static void
fall_back_day_has_50_blocks_and_spring_forward_day_46_in_new_york(
    void **state)
{
	struct catb b = { 0 };
	struct rv_channel *c = load("cheers.yaml", cheers_yaml);
	struct rv_compiler *k;
	struct rv_day *d;

	(void)state;
	add_show(&b, "cheers", "Cheers", 275, 25, 1500 * SEC);
	k = compiler(c, cat_done(&b));
	/* 2025-11-01T10:00Z (06:00 EDT) to 2025-11-02T11:00Z (06:00 EST). */
	d = compile(k, "2025-11-01", fresh_state(c));
	assert_int_equal(d->n, 50);
	assert_int_equal(d->end_ms - d->start_ms, 25 * HOUR);
	assert_tiles(c, d, INT64_C(1761991200000), INT64_C(1762081200000));
	/* 2026-03-07T11:00Z (06:00 EST) to 2026-03-08T10:00Z (06:00 EDT). */
	d = compile(k, "2026-03-07", fresh_state(c));
	assert_int_equal(d->n, 46);
	assert_int_equal(d->end_ms - d->start_ms, 23 * HOUR);
	assert_tiles(c, d, INT64_C(1772881200000), INT64_C(1772964000000));
}

static void
fall_back_day_has_50_blocks_and_spring_forward_day_46_in_london(
    void **state)
{
	static const char yaml[] =
	    "channel: london\n"
	    "timezone: Europe/London\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"06:00\", pool: a}\n";
	struct rv_channel *c = load("london.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_compile_state *st = fresh_state(c);
	struct rv_day *d;

	(void)state;
	/* 2025-10-25T05:00Z (06:00 BST) to 2025-10-26T06:00Z (06:00 GMT). */
	d = compile(k, "2025-10-25", st);
	assert_int_equal(d->n, 50);
	assert_tiles(c, d, INT64_C(1761368400000), INT64_C(1761458400000));
	/* The next day starts where it ended, 24 h long. */
	d = compile(k, "2025-10-26", st);
	assert_int_equal(d->n, 48);
	assert_tiles(c, d, INT64_C(1761458400000), INT64_C(1761458400000) +
	    DAY);
	assert_string_equal(asset_id(&d->blocks[0]), "alpha-s01e51");
	/* 2026-03-28T06:00Z (06:00 GMT) to 2026-03-29T05:00Z (06:00 BST). */
	d = compile(k, "2026-03-28", fresh_state(c));
	assert_int_equal(d->n, 46);
	assert_tiles(c, d, INT64_C(1774677600000), INT64_C(1774760400000));
}

/* ======================================================================
 * 9. Determinism
 * ====================================================================== */

static void
same_inputs_compile_to_the_same_hash_and_p_json(void **state)
{
	struct catb b = { 0 };
	struct rv_channel *c = load("retro.yaml", retro_yaml);
	struct rv_compiler *k1, *k2;
	struct rv_catalog *cat;
	struct rv_day *d1, *d2;
	char *t1, *t2;
	int i;

	(void)state;
	add_show(&b, "cheers", "Cheers", 40, 40, 1500 * SEC);
	add_show(&b, "cosby", "The Cosby Show", 40, 40, 1380 * SEC);
	add_show(&b, "barney", "Barney Miller", 40, 40, 1320 * SEC);
	add_show(&b, "batman", "Batman", 40, 40, 1500 * SEC);
	for (i = 0; i < (int)b.n; i++)
		if (strcmp(b.a[i].series_title, "Batman") == 0)
			b.a[i].series_year = 1966;
	cat = cat_done(&b);
	k1 = compiler(c, cat);
	k2 = compiler(c, cat);
	d1 = compile(k1, "2026-01-05", fresh_state(c));
	d2 = compile(k2, "2026-01-05", fresh_state(c));
	assert_int_equal(strncmp(d1->hash, "sha256:", 7), 0);
	assert_int_equal(strlen(d1->hash), 7 + 64);
	assert_string_equal(d1->hash, d2->hash);
	assert_int_equal(d1->n, d2->n);
	for (i = 0; i < d1->n; i++) {
		t1 = json_dumps(program_json(c, d1, i), JSON_SORT_KEYS);
		t2 = json_dumps(program_json(c, d2, i), JSON_SORT_KEYS);
		assert_non_null(t1);
		assert_non_null(t2);
		defer(free, t1);
		defer(free, t2);
		assert_string_equal(t1, t2);
	}
}

/* Ids are what sorts the catalog array; schedule order must not care:
 * the same shows with ids running the other way compile to the same
 * episodes at the same times. */
static void
selection_order_does_not_depend_on_asset_ids_or_catalog_order(void **state)
{
	struct rv_channel *c = load("retro.yaml", retro_yaml);
	static const char *const shows[] = { "Cheers", "The Cosby Show",
	    "Barney Miller", "Batman" };
	struct catb b1 = { 0 }, b2 = { 0 };
	struct rv_day *d1, *d2;
	char id[32], title[32];
	int s, e, i;

	(void)state;
	for (s = 0; s < 4; s++)
		for (e = 1; e <= 20; e++) {
			snprintf(title, sizeof(title), "%s %d", shows[s], e);
			/* ascending with the episode, then descending */
			snprintf(id, sizeof(id), "a-%d%03d", s, e);
			add_asset(&b1, id, "episode", title, shows[s], 1, e,
			    1500 * SEC)->series_year = s == 3 ? 1966 : 0;
			snprintf(id, sizeof(id), "a-%03d", 999 - s * 20 - e);
			add_asset(&b2, id, "episode", title, shows[s], 1, e,
			    1500 * SEC)->series_year = s == 3 ? 1966 : 0;
		}
	d1 = compile(compiler(c, cat_done(&b1)), "2026-01-05", fresh_state(c));
	d2 = compile(compiler(c, cat_done(&b2)), "2026-01-05", fresh_state(c));
	assert_int_equal(d1->n, 48);
	assert_int_equal(d2->n, 48);
	for (i = 0; i < 48; i++) {
		assert_int_equal(d1->blocks[i].start_ms, d2->blocks[i].start_ms);
		assert_string_equal(d1->blocks[i].asset->title,
		    d2->blocks[i].asset->title);
	}
	assert_string_equal(d1->blocks[0].asset->title, "Batman 1");
	assert_string_equal(d1->blocks[47].asset->title, "The Cosby Show 12");
}

static const char random_yaml[] =
    "channel: random-ch\n"
    "timezone: UTC\n"
    "pools:\n"
    "  a: {match: {series_title: Alpha}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block: {start: \"06:00\", duration: 24h, pool: a, mode: random}\n";

static void
order_of(const struct rv_day *d, char *buf, size_t n)
{
	int i;

	buf[0] = 0;
	for (i = 0; i < d->n; i++) {
		strlcat(buf, asset_id(&d->blocks[i]), n);
		strlcat(buf, " ", n);
	}
}

static void
random_mode_is_seeded_by_day_same_day_same_picks(void **state)
{
	struct rv_channel *c = load("random.yaml", random_yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d1, *d2, *d3;
	char s1[2048], s2[2048], s3[2048];
	int i, distinct = 0;

	(void)state;
	d1 = compile(k, "2026-03-01", fresh_state(c));
	d2 = compile(k, "2026-03-01", fresh_state(c));
	d3 = compile(k, "2026-03-02", fresh_state(c));
	order_of(d1, s1, sizeof(s1));
	order_of(d2, s2, sizeof(s2));
	order_of(d3, s3, sizeof(s3));
	assert_int_equal(d1->n, 48);
	assert_string_equal(s1, s2);
	assert_string_equal(d1->hash, d2->hash);
	assert_string_not_equal(s1, s3);
	assert_string_not_equal(d1->hash, d3->hash);
	/* Random, not the pool in order: at least a few different picks. */
	for (i = 1; i < d1->n; i++)
		distinct += strcmp(asset_id(&d1->blocks[i]),
		    asset_id(&d1->blocks[i - 1])) != 0;
	assert_true(distinct > 24);
	assert_string_equal(d1->blocks[0].mode, "random");
}

/* rv-dsl(5) DETERMINISM: each entry draws from splitmix64 seeded with the
 * first 8 bytes of SHA-256("channel/YYYY-MM-DD/layer[index]"). */
static void
random_choices_follow_the_prng_seeded_by_channel_day_and_entry(void **state)
{
	static const char hbo[] =
	    "channel: hbo-classics\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  hbo_movies: {match: {type: movie}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - movie_marathon:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"06:00\"\n"
	    "        allow_bleed: true\n"
	    "        movie_selector: {pool: hbo_movies, min_cooldown_days: 0}\n";
	struct rv_channel *c;
	struct rv_prng g;
	struct catb b = { 0 };
	struct rv_day *d;
	char id[32], title[32];
	int i;

	(void)state;
	/* The documented vector. */
	rv_prng_seed(&g, "hbo-classics/2026-01-05/all_day[0]");
	assert_true(rv_prng_next(&g) == UINT64_C(0x09ae56a5104ad0ec));
	assert_true(rv_prng_next(&g) == UINT64_C(0x7ed103f1edb9a6ce));
	assert_true(rv_prng_next(&g) == UINT64_C(0x2effb1e4b5e1f558));
	rv_prng_seed(&g, "hbo-classics/2026-01-05/all_day[0]");
	assert_int_equal(rv_prng_below(&g, 10), 8);
	assert_int_equal(rv_prng_below(&g, 10), 8);
	assert_int_equal(rv_prng_below(&g, 10), 0);

	/* Ten movies, in pool order by title: the marathon draws 8, 8, 0. */
	c = load("hbo.yaml", hbo);
	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "mv-%02d", 9 - i);
		snprintf(title, sizeof(title), "Feature %02d", i);
		add_movie(&b, id, title, 1990, "PG", 4800 * SEC);
	}
	d = compile(compiler(c, cat_done(&b)), "2026-01-05", fresh_state(c));
	assert_string_equal(d->blocks[0].title, "Feature 08");
	assert_string_equal(d->blocks[1].title, "Feature 08");
	assert_string_equal(d->blocks[2].title, "Feature 00");
	assert_string_equal(d->blocks[0].mode, "random");

	/* A random block draws an asset of its pool for each program. */
	c = load("random.yaml", random_yaml);
	d = compile(compiler(c, ab_catalog(1320 * SEC, 1320 * SEC)),
	    "2026-03-01", fresh_state(c));
	rv_prng_seed(&g, "random-ch/2026-03-01/all_day[0]");
	for (i = 0; i < d->n; i++) {
		snprintf(id, sizeof(id), "alpha-s01e%02d",
		    (int)rv_prng_below(&g, 99) + 1);
		assert_string_equal(asset_id(&d->blocks[i]), id);
	}
}

static void
schedule_hash_matches_the_reference_vector(void **state)
{
	char hash[80];
	json_t *doc;

	(void)state;
	doc = json_pack("{s:s, s:s, s:[{s:s, s:s, s:i, s:{s:s, s:s}, s:i, "
	    "s:s, s:s}, {s:s, s:s, s:i, s:{s:s, s:s}, s:i, s:s, s:s}], "
	    "s:{s:s, s:s, s:s}, s:s, s:s}",
	    "broadcast_day", "2026-01-05",
	    "channel_id", "test",
	    "program_blocks",
	    "asset_id", "ep.a", "collection", "p", "episode_duration_sec", 1320,
	    "selector", "mode", "sequential", "pool", "p",
	    "slot_duration_sec", 1800, "start_at", "2026-01-05T06:00:00+00:00",
	    "title", "Show",
	    "asset_id", "ep.b", "collection", "p", "episode_duration_sec", 1320,
	    "selector", "mode", "sequential", "pool", "p",
	    "slot_duration_sec", 1800, "start_at", "2026-01-05T06:30:00+00:00",
	    "title", "Show",
	    "source", "compiler_version", "2.2.0", "dsl_path", "x.yaml",
	    "git_commit", "abc1234",
	    "timezone", "UTC",
	    "version", "program-schedule.v2");
	assert_non_null(doc);
	defer(free_json, doc);
	assert_int_equal(rv_schedule_hash(doc, hash), 0);
	assert_string_equal(hash, "sha256:aff52f86fd5b91fc48f2c3ff0f6ef2f0c8c9"
	    "321b9c115076f2d3391cc002a416");
	/* "hash" itself is left out. */
	json_object_set_new(doc, "hash", json_string("sha256:0"));
	assert_int_equal(rv_schedule_hash(doc, hash), 0);
	assert_string_equal(hash, "sha256:aff52f86fd5b91fc48f2c3ff0f6ef2f0c8c9"
	    "321b9c115076f2d3391cc002a416");
}

/*
 * Regression (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c,
 * rv_schedule_hash): non-ASCII was escaped with upper-case hex
 * ("Caf\u00E9", jansson's JSON_ENSURE_ASCII) where the reference canonical
 * form (upstream §4.1: Python json.dumps with sort_keys and ensure_ascii)
 * writes lower-case hex ("Caf\u00e9"): the first hash below came out as
 * sha256:8bceafee705df82dc8c0e072e35008ad6d4a7fc3736fcf589fa6d839e0e18ac6.
 * Expected values from Python.
 */
static void
schedule_hash_escapes_non_ascii_like_the_reference(void **state)
{
	json_t *doc, *blocks;
	char hash[80];

	(void)state;
	/* The §4.1 vector with the first title "Café". */
	doc = json_pack("{s:s, s:s, s:[{s:s, s:s, s:i, s:{s:s, s:s}, s:i, "
	    "s:s, s:s}, {s:s, s:s, s:i, s:{s:s, s:s}, s:i, s:s, s:s}], "
	    "s:{s:s, s:s, s:s}, s:s, s:s}",
	    "broadcast_day", "2026-01-05",
	    "channel_id", "test",
	    "program_blocks",
	    "asset_id", "ep.a", "collection", "p", "episode_duration_sec", 1320,
	    "selector", "mode", "sequential", "pool", "p",
	    "slot_duration_sec", 1800, "start_at", "2026-01-05T06:00:00+00:00",
	    "title", "Caf\xc3\xa9",
	    "asset_id", "ep.b", "collection", "p", "episode_duration_sec", 1320,
	    "selector", "mode", "sequential", "pool", "p",
	    "slot_duration_sec", 1800, "start_at", "2026-01-05T06:30:00+00:00",
	    "title", "Show",
	    "source", "compiler_version", "2.2.0", "dsl_path", "x.yaml",
	    "git_commit", "abc1234",
	    "timezone", "UTC",
	    "version", "program-schedule.v2");
	assert_non_null(doc);
	defer(free_json, doc);
	assert_int_equal(rv_schedule_hash(doc, hash), 0);
	assert_string_equal(hash, "sha256:1e042ef5497f70257a0b7b2fe0d6ffac02f3"
	    "f8cb9c95385150f28d724ab6c635");
	/* A literal backslash-u stays as it is ("Back\\u00E9slash"), and a
	 * character beyond the BMP is a lower-case surrogate pair
	 * ("\ud83d\udcfa"), as Python writes them. */
	blocks = json_object_get(doc, "program_blocks");
	json_object_set_new(json_array_get(blocks, 0), "title",
	    json_string("Show"));
	json_object_set_new(json_array_get(blocks, 1), "title",
	    json_string("Back\\u00E9slash \xf0\x9f\x93\xba"));
	assert_int_equal(rv_schedule_hash(doc, hash), 0);
	assert_string_equal(hash, "sha256:2e4a8bcbd806c032fb99f53dc7ac4e76a2ba"
	    "e784f4f55a1ac27fb4cf784218e7");
}

/* The §4.1 channel: the day's document is program-schedule.v2 with the two
 * episodes, then the filler for the rest of the day, and its hash.  The
 * source names the file by its name alone, so that the hash does not
 * depend on the folder the file is read from (at e4bd69c it held the path
 * as given). */
static void
day_schedule_json_is_program_schedule_v2_and_carries_its_hash(void **state)
{
	static const char yaml[] =
	    "channel: test\n"
	    "timezone: UTC\n"
	    "notes: {vibe: Test vibe}\n"
	    "pools:\n"
	    "  p: {match: {type: episode}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 1h, title: Show, pool: p,"
	    " mode: sequential}\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("x.yaml", yaml);
	struct rv_day *d;
	json_t *doc, *want;
	char hash[80];

	(void)state;
	add_asset(&b, "ep.a", "episode", "A", "S", 1, 1, 1320 * SEC);
	add_asset(&b, "ep.b", "episode", "B", "S", 1, 2, 1320 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-01-05", fresh_state(c));
	assert_int_equal(d->n, 3);
	doc = defer(free_json, rv_day_schedule_json(c, d));
	want = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s}, "
	    "s:[{s:s, s:s, s:s, s:i, s:i, s:s, s:{s:s, s:s}}, "
	    "{s:s, s:s, s:s, s:i, s:i, s:s, s:{s:s, s:s}}, "
	    "{s:s, s:s, s:s, s:i, s:i, s:{s:s}}]}",
	    "version", "program-schedule.v2", "channel_id", "test",
	    "broadcast_day", "2026-01-05", "timezone", "UTC",
	    "source", "dsl_path", "x.yaml", "git_commit", "0000000",
	    "compiler_version", RV_COMPILER_VERSION,
	    "notes", "vibe", "Test vibe",
	    "program_blocks",
	    "title", "Show", "asset_id", "ep.a",
	    "start_at", "2026-01-05T06:00:00+00:00", "slot_duration_sec", 1800,
	    "episode_duration_sec", 1320, "collection", "p",
	    "selector", "mode", "sequential", "pool", "p",
	    "title", "Show", "asset_id", "ep.b",
	    "start_at", "2026-01-05T06:30:00+00:00", "slot_duration_sec", 1800,
	    "episode_duration_sec", 1320, "collection", "p",
	    "selector", "mode", "sequential", "pool", "p",
	    "title", "test", "asset_id", "filler",
	    "start_at", "2026-01-05T07:00:00+00:00", "slot_duration_sec", 82800,
	    "episode_duration_sec", 82800, "selector", "mode", "filler");
	assert_non_null(want);
	defer(free_json, want);
	assert_int_equal(rv_schedule_hash(want, hash), 0);
	json_object_set_new(want, "hash", json_string(hash));
	if (!json_equal(doc, want)) {
		char *t = json_dumps(doc, JSON_SORT_KEYS);

		print_message("got %s\n", t);
		free(t);
		fail_msg("schedule document differs");
	}
	assert_string_equal(d->hash, hash);
}

static void
remove_dir(void *p)
{
	rmdir(p);
	free(p);
}

/* The same channel file read from two folders compiles to the same hash
 * (DESIGN.md §5: same file, catalog and cursors, same bytes).  Regression
 * (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c,
 * rv_day_schedule_json): source.dsl_path held the path as given, so the
 * hash depended on the folder (and on how the path was spelt). */
static void
hash_does_not_depend_on_the_folder_of_the_channel_file(void **state)
{
	struct rv_catalog *cat = ab_catalog(1320 * SEC, 1320 * SEC);
	struct rv_channel *c1, *c2;
	struct rv_day *d1, *d2;
	char *sub;

	(void)state;
	c1 = load("same.yaml", random_yaml);
	if (asprintf(&sub, "%s/elsewhere", fx.dir) < 0 || mkdir(sub, 0700) < 0)
		fail_msg("cannot make a folder");
	defer(remove_dir, sub);
	c2 = load("elsewhere/same.yaml", random_yaml);
	assert_string_not_equal(c1->file, c2->file);
	d1 = compile(compiler(c1, cat), "2026-03-01", fresh_state(c1));
	d2 = compile(compiler(c2, cat), "2026-03-01", fresh_state(c2));
	assert_string_equal(d1->hash, d2->hash);
}

/* The P frame payload of a program block and of a filler block, whole. */
static void
p_json_of_a_program_and_of_a_filler_block(void **state)
{
	static const char yaml[] =
	    "channel: test\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  p: {match: {type: episode}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 1h, title: Show, pool: p,"
	    " mode: sequential}\n";
	struct catb b = { 0 };
	struct rv_channel *c = load("x.yaml", yaml);
	struct rv_cat_asset *a;
	struct rv_day *d;
	json_t *want;

	(void)state;
	a = add_asset(&b, "ep.a", "episode", "A", "S", 1, 1, 1320 * SEC);
	a->rating = "TV-PG";
	add_asset(&b, "ep.b", "episode", "B", "S", 1, 2, 1320 * SEC);
	d = compile(compiler(c, cat_done(&b)), "2026-01-05", fresh_state(c));
	assert_int_equal(d->n, 3);
	/* 2026-01-05T06:00Z = 1767592800000 */
	want = defer(free_json, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I,"
	    " s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i,"
	    " s:n, s:s}",
	    "block_id", "test-20260105T0600Z", "channel", "test",
	    "broadcast_day", "2026-01-05",
	    "start_ms", (json_int_t)INT64_C(1767592800000),
	    "end_ms", (json_int_t)INT64_C(1767594600000),
	    "slot_ms", (json_int_t)1800000, "runtime_ms", (json_int_t)1320000,
	    "kind", "program", "title", "Show", "mode", "sequential",
	    "asset_id", "ep.a", "pool", "p", "entry", "all_day[0]",
	    "asset_kind", "episode", "path", "/media/ep.a.mkv",
	    "asset_title", "A", "series_title", "S", "season", 1, "episode", 1,
	    "year", "rating", "TV-PG"));
	assert_non_null(want);
	assert_true(json_equal(program_json(c, d, 0), want));
	/* 2026-01-05T07:00Z (1767596400000) to 2026-01-06T06:00Z
	 * (1767679200000), named after the channel, no filler file. */
	want = defer(free_json, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I,"
	    " s:s, s:s, s:s, s:n, s:n, s:n, s:n}",
	    "block_id", "test-20260105T0700Z", "channel", "test",
	    "broadcast_day", "2026-01-05",
	    "start_ms", (json_int_t)INT64_C(1767596400000),
	    "end_ms", (json_int_t)INT64_C(1767679200000),
	    "slot_ms", (json_int_t)82800000, "runtime_ms", (json_int_t)82800000,
	    "kind", "filler", "title", "test", "mode", "filler",
	    "asset_id", "pool", "entry", "path"));
	assert_non_null(want);
	assert_true(json_equal(program_json(c, d, 2), want));
}

/* ======================================================================
 * 10. Block ids and tiling invariants
 * ====================================================================== */

static void
block_ids_name_the_channel_and_blocks_tile_the_day_on_the_grid(void **state)
{
	static const char yaml_a[] =
	    "channel: nightmare-theater\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  freddy: {match: {series_title: Alpha}}\n"
	    "  crypt: {match: {series_title: Beta}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"09:00\", pool: freddy}\n"
	    "    - block: {start: \"09:00\", end: \"22:00\", pool: crypt}\n"
	    "    - block: {start: \"22:00\", end: \"06:00\", pool: freddy}\n";
	static const char yaml_b[] =
	    "channel: other-channel\n"
	    "timezone: America/New_York\n"
	    "pools:\n"
	    "  freddy: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 24h, pool: freddy}\n";
	struct rv_catalog *cat = ab_catalog(2640 * SEC, 1320 * SEC);
	struct rv_channel *ca = load("a.yaml", yaml_a);
	struct rv_channel *cb = load("b.yaml", yaml_b);
	struct rv_compiler *ka = compiler(ca, cat), *kb = compiler(cb, cat);
	struct rv_compile_state *st = fresh_state(ca);
	static const char *const days[] = { "2025-10-31", "2025-11-01",
	    "2025-11-02", "2026-03-07", "2026-03-08" };
	struct rv_day *d, *db;
	size_t i;
	int j, l;

	(void)state;
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		d = compile(ka, days[i], st);
		/* 06:00–09:00 is 3 h of 1-h episodes: no bleed anywhere. */
		assert_tiles(ca, d, d->start_ms, d->end_ms);
		for (j = 0; j < d->n; j++) {
			assert_int_equal(strncmp(d->blocks[j].block_id,
			    "nightmare-theater-", 18), 0);
			for (l = 0; l < j; l++)
				assert_string_not_equal(d->blocks[j].block_id,
				    d->blocks[l].block_id);
			assert_string_equal(jstr(program_json(ca, d, j),
			    "block_id"), d->blocks[j].block_id);
		}
	}
	/* The exact form: channel, then the UTC start. */
	d = compile(ka, "2026-01-05", fresh_state(ca));
	/* 2026-01-05T11:00Z */
	assert_int_equal(d->blocks[0].start_ms, INT64_C(1767610800000));
	assert_string_equal(d->blocks[0].block_id,
	    "nightmare-theater-20260105T1100Z");
	/* Two channels airing the same asset at the same instant: two ids. */
	db = compile(kb, "2026-01-05", fresh_state(cb));
	assert_string_equal(asset_id(&db->blocks[0]), asset_id(&d->blocks[0]));
	assert_int_equal(db->blocks[0].start_ms, d->blocks[0].start_ms);
	assert_string_not_equal(db->blocks[0].block_id, d->blocks[0].block_id);
	assert_string_equal(db->blocks[0].block_id,
	    "other-channel-20260105T1100Z");
}

/* ======================================================================
 * 11. Gaps
 * ====================================================================== */

static const char gap_yaml[] =
    "channel: gappy\n"
    "name: Gappy TV\n"
    "timezone: UTC\n"
    "filler: {path: /srv/filler.mp4, duration_ms: 3650000, title: Please "
    "Stand By}\n"
    "pools:\n"
    "  a: {match: {series_title: Alpha}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block: {start: \"06:00\", end: \"12:00\", pool: a}\n"
    "    - block: {start: \"18:00\", end: \"06:00\", pool: a}\n";

static void
gap_inside_a_day_is_a_filler_program_with_the_filler_title(void **state)
{
	struct rv_channel *c = load("gap.yaml", gap_yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_day *d = compile(k, "2026-03-01", fresh_state(c));
	json_t *j;

	(void)state;
	assert_int_equal(d->n, 12 + 1 + 24);
	/* 2026-03-01T12:00Z to 18:00Z */
	assert_filler(&d->blocks[12], INT64_C(1772366400000),
	    INT64_C(1772388000000), "Please Stand By");
	assert_int_equal(d->blocks[12].runtime_ms, 6 * HOUR);
	assert_string_equal(asset_id(&d->blocks[13]), "alpha-s01e13");
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
	j = program_json(c, d, 12);
	assert_string_equal(jstr(j, "kind"), "filler");
	assert_string_equal(jstr(j, "title"), "Please Stand By");
	assert_string_equal(jstr(j, "path"), "/srv/filler.mp4");
	assert_true(json_is_null(json_object_get(j, "asset_id")));
	assert_int_equal(jint(j, "slot_ms"), 6 * HOUR);
	assert_string_equal(jstr(program_json(c, d, 0), "kind"), "program");
}

static void
gap_inside_a_day_is_an_error_naming_it_when_strict(void **state)
{
	struct rv_channel *c = load("gap.yaml", gap_yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_diags *d;
	int rc;

	(void)state;
	compile_try(k, "2026-03-01", 1, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	assert_non_null(strstr(d->errors[0], "gap.yaml"));
	assert_non_null(strstr(d->errors[0], "channel gappy, day 2026-03-01"));
	assert_non_null(strstr(d->errors[0], "nothing is scheduled from "
	    "2026-03-01T12:00:00Z to 2026-03-01T18:00:00Z"));
}

static void
empty_schedule_compiles_to_one_filler_program_a_day(void **state)
{
	static const char yaml[] =
	    "channel: nothing-on\n"
	    "timezone: America/New_York\n"
	    "filler: {path: /srv/filler.mp4, duration_ms: 60000}\n"
	    "schedule: {}\n";
	struct rv_channel *c = load("nothing.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_diags *d;
	struct rv_day *day;
	int rc;

	(void)state;
	/* 2026-01-05T11:00Z to 2026-01-06T11:00Z, one filler program. */
	day = compile(k, "2026-01-05", fresh_state(c));
	assert_int_equal(day->n, 1);
	assert_filler(&day->blocks[0], INT64_C(1767610800000),
	    INT64_C(1767697200000), "nothing-on");
	day = compile_try(k, "2026-01-05", 1, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	assert_non_null(strstr(d->errors[0], "nothing is scheduled from "
	    "2026-01-05T11:00:00Z to 2026-01-06T11:00:00Z"));
}

static void
day_start_from_the_configuration_moves_the_broadcast_day(void **state)
{
	static const char yaml[] =
	    "channel: early\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"05:00\", duration: 24h, pool: a}\n";
	struct rv_channel_defaults def = { "UTC", 300 };
	struct rv_diags diags = { 0 };
	struct rv_channel *c = NULL;
	struct rv_day *d;

	(void)state;
	assert_int_equal(rv_channel_load(write_file("early.yaml", yaml), &def,
	    &c, &diags), 0);
	rv_diags_free(&diags);
	defer(free_channel, c);
	/* 2026-03-01T05:00Z (1772341200000) to 2026-03-02T05:00Z. */
	d = compile(compiler(c, ab_catalog(1320 * SEC, 1320 * SEC)),
	    "2026-03-01", fresh_state(c));
	assert_int_equal(d->n, 48);
	assert_int_equal(d->start_ms, INT64_C(1772341200000));
	assert_tiles(c, d, INT64_C(1772341200000), INT64_C(1772341200000) +
	    DAY);
}

/* ======================================================================
 * 12. Errors in the schedule
 * ====================================================================== */

static void
empty_pool_is_an_error_naming_pool_channel_day_entry_and_place(void **state)
{
	static const char yaml[] =
	    "channel: empty-pool\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "  nobody: {match: {series_title: Nobody}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", end: \"12:00\", pool: a}\n"
	    "    - block: {start: \"12:00\", end: \"06:00\", pool: nobody}\n";
	struct rv_channel *c = load("empty.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_diags *d;
	char want[2048];
	int rc;

	(void)state;
	compile_try(k, "2026-03-01", 0, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	/* The entry is the second item of all_day: line 9, column 7. */
	snprintf(want, sizeof(want), "%s:9:7: channel empty-pool, day "
	    "2026-03-01, all_day[1]: pool 'nobody' selects no asset", c->file);
	assert_string_equal(d->errors[0], want);
}

static void
empty_movie_pool_is_an_error_naming_the_pool(void **state)
{
	static const char yaml[] =
	    "channel: no-movies\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  films: {match: {type: movie}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - movie_marathon:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"06:00\"\n"
	    "        movie_selector: {pool: films}\n";
	struct rv_channel *c = load("nomovies.yaml", yaml);
	struct rv_compiler *k = compiler(c, ab_catalog(1320 * SEC, 1320 * SEC));
	struct rv_diags *d;
	int rc;

	(void)state;
	compile_try(k, "2026-03-01", 0, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_true(d->nerrors >= 1);
	assert_non_null(strstr(d->errors[0], ":7:7: channel no-movies, day "
	    "2026-03-01, all_day[0]: "));
	assert_non_null(strstr(d->errors[0], "films"));
}

static const char program_yaml[] =
    "channel: programs\n"
    "timezone: UTC\n"
    "pools:\n"
    "  a: {match: {series_title: Alpha}}\n"
    "schedule:\n"
    "  all_day:\n"
    "    - block: {start: \"06:00\", end: \"20:00\", pool: a}\n"
    "    - start: \"20:00\"\n"
    "      slots:\n"
    "        - program: asset.beta.s01e02\n"
    "        - program: %s\n"
    "    - block: {start: \"21:00\", end: \"06:00\", pool: a}\n";

static void
slot_program_names_an_asset_by_id_or_alias(void **state)
{
	struct catb b = { 0 };
	struct rv_channel *c;
	struct rv_day *d;

	(void)state;
	c = load("programs.yaml", keep(program_yaml, "gamma-s01e03"));
	add_show(&b, "alpha", "Alpha", 60, 60, 1320 * SEC);
	add_show(&b, "beta", "Beta", 5, 5, 1320 * SEC);
	add_show(&b, "gamma", "Gamma", 5, 5, 1320 * SEC);
	b.alias[0] = "asset.beta.s01e02";
	b.alias_of[0] = "beta-s01e02";
	b.nalias = 1;
	d = compile(compiler(c, cat_done(&b)), "2026-03-01", fresh_state(c));
	assert_int_equal(d->n, 48);
	/* 2026-03-01T20:00Z and 20:30Z */
	assert_program(&d->blocks[28], INT64_C(1772395200000), 1800 * SEC,
	    "beta-s01e02", "Beta");
	assert_program(&d->blocks[29], INT64_C(1772397000000), 1800 * SEC,
	    "gamma-s01e03", "Gamma");
	assert_null(d->blocks[28].pool);
	assert_tiles(c, d, INT64_C(1772344800000), INT64_C(1772431200000));
}

static void
unknown_slot_program_is_an_error_naming_it(void **state)
{
	struct catb b = { 0 };
	struct rv_channel *c;
	struct rv_diags *d;
	char want[2048];
	int rc;

	(void)state;
	c = load("programs.yaml", keep(program_yaml, "asset.nothing.s09e09"));
	add_show(&b, "alpha", "Alpha", 60, 60, 1320 * SEC);
	add_show(&b, "beta", "Beta", 5, 5, 1320 * SEC);
	b.alias[0] = "asset.beta.s01e02";
	b.alias_of[0] = "beta-s01e02";
	b.nalias = 1;
	compile_try(compiler(c, cat_done(&b)), "2026-03-01", 0, fresh_state(c),
	    &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	snprintf(want, sizeof(want), "%s:8:7: channel programs, day "
	    "2026-03-01, all_day[1]: no ready asset is named "
	    "'asset.nothing.s09e09'", c->file);
	assert_string_equal(d->errors[0], want);
}


/*
 * Regression (found at e4bd69c, fixed in 2ccbdcd; lib/compile.c,
 * entry_window()): an end that is not on the grid was accepted, and when a
 * marathon without allow_bleed stopped before it, the filler ended off the
 * grid (here 21:30-21:45) and the next entry's movies started off the
 * grid.  Expected: an error naming the entry, or at least no block that
 * starts or ends off the grid.
 */
static void
window_end_off_the_grid_never_puts_a_block_off_the_grid(void **state)
{
	static const char yaml[] =
	    "channel: end-off-grid\n"
	    MARATHON_HEAD
	    "    - movie_marathon:\n"
	    "        start: \"14:00\"\n"
	    "        end: \"21:45\"\n"
	    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n"
	    "    - movie_marathon:\n"
	    "        start: \"22:00\"\n"
	    "        end: \"06:00\"\n"
	    "        allow_bleed: true\n"
	    "        movie_selector: {pool: rated_pg, min_cooldown_days: 0}\n";
	struct rv_channel *c = load("endoff.yaml", yaml);
	struct rv_diags *d;
	struct rv_day *day;
	int rc, i;

	(void)state;
	day = compile_try(compiler(c, movie_catalog()), "2026-03-01", 0,
	    fresh_state(c), &rc, &d);
	if (rc != 0) {
		assert_int_equal(d->nerrors, 1);
		assert_non_null(strstr(d->errors[0], "endoff.yaml:13:7: channel "
		    "end-off-grid, day 2026-03-01, all_day[1]: "));
		assert_non_null(strstr(d->errors[0], "grid"));
		return;
	}
	for (i = 0; i < day->n; i++)
		if (day->blocks[i].start_ms % (30 * MIN) != 0 ||
		    day->blocks[i].end_ms % (30 * MIN) != 0)
			fail_msg("block %d (%s) %lld-%lld is off the grid", i,
			    day->blocks[i].title,
			    (long long)day->blocks[i].start_ms,
			    (long long)day->blocks[i].end_ms);
}

static void
entry_start_off_the_grid_is_an_error_naming_it(void **state)
{
	static const char yaml[] =
	    "channel: off-grid\n"
	    "timezone: UTC\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:05\", duration: 24h, pool: a}\n";
	struct rv_channel *c = load("offgrid.yaml", yaml);
	struct rv_diags *d;
	char want[2048];
	int rc;

	(void)state;
	compile_try(compiler(c, ab_catalog(1320 * SEC, 1320 * SEC)),
	    "2026-03-01", 0, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	snprintf(want, sizeof(want), "%s:7:7: channel off-grid, day "
	    "2026-03-01, all_day[0]: start 06:05 is not on the 30-minute grid "
	    "in UTC", c->file);
	assert_string_equal(d->errors[0], want);
}

static void
day_start_off_the_grid_is_an_error_and_a_finer_grid_fixes_it(void **state)
{
	static const char yaml[] =
	    "channel: kathmandu\n"
	    "timezone: Asia/Kathmandu\n"
	    "grid_minutes: %d\n"
	    "pools:\n"
	    "  a: {match: {series_title: Alpha}}\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block: {start: \"06:00\", duration: 24h, pool: a}\n";
	struct rv_channel *c = load("ktm.yaml", keep(yaml, 30));
	struct rv_catalog *cat = ab_catalog(840 * SEC, 840 * SEC);
	struct rv_diags *d;
	struct rv_day *day;
	int rc;

	(void)state;
	/* 06:00 +05:45 is 00:15Z: off a 30-minute grid. */
	compile_try(compiler(c, cat), "2026-03-01", 0, fresh_state(c), &rc, &d);
	assert_int_equal(rc, -1);
	assert_int_equal(d->nerrors, 1);
	assert_non_null(strstr(d->errors[0], "channel kathmandu, day "
	    "2026-03-01: the day starts off the 30-minute grid in "
	    "Asia/Kathmandu"));
	/* On a 15-minute grid: 96 blocks from 2026-03-01T00:15Z
	 * (1772324100000). */
	c = load("ktm15.yaml", keep(yaml, 15));
	day = compile(compiler(c, cat), "2026-03-01", fresh_state(c));
	assert_int_equal(day->n, 96);
	assert_tiles(c, day, INT64_C(1772324100000), INT64_C(1772324100000) +
	    DAY);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* 1 */
		TEST(slot_is_whole_30_minute_grid_slots_of_the_runtime),
		TEST(premium_movie_template_sizes_slots_on_a_15_minute_grid),
		TEST(runtime_rounds_to_whole_seconds_half_to_even_before_sizing),
		/* 2 */
		TEST(slot_list_program_preempts_the_slots_it_covers),
		TEST(slot_list_2700s_drama_still_claims_two_slots),
		TEST(slot_list_airs_once_even_when_a_later_entry_follows),
		/* 3 */
		TEST(sequential_pool_continues_across_days_without_skipping),
		TEST(cursor_resumes_after_the_last_aired_episode_when_the_catalog_changes),
		TEST(four_windows_each_continue_their_pool_the_next_day),
		/* 4 */
		TEST(shuffle_rotates_pools_in_order_and_day_two_continues_each_pool),
		TEST(sequential_with_several_pools_rotates_like_shuffle),
		TEST(shuffle_over_one_pool_of_several_shows_rotates_the_shows),
		/* 5 */
		TEST(marathons_bleed_past_their_end_and_the_rest_of_the_day_is_filler),
		TEST(third_marathon_starts_where_the_bleed_ended_and_the_next_day_carries),
		TEST(marathon_without_bleed_stops_before_its_end_and_the_gap_is_filler),
		TEST(marathon_without_bleed_gap_is_an_error_when_strict),
		TEST(default_cooldown_relaxes_and_flags_when_the_pool_runs_out),
		TEST(enough_movies_never_repeat_within_a_day_across_three_chained_days),
		TEST(single_movie_entry_airs_one_movie_even_when_a_later_entry_follows),
		TEST(movie_selector_honours_rating_exclude_and_max_duration),
		TEST(recompiling_a_day_from_the_state_that_entered_it_gives_the_same_day),
		/* 6 */
		TEST(saturday_overlay_replaces_only_the_range_it_covers),
		TEST(weekdays_overlay_replaces_its_range_on_a_monday_only),
		TEST(day_name_layer_beats_weekdays_layer),
		TEST(weekends_layer_applies_on_saturday_and_sunday_only),
		TEST(day_layer_follows_the_broadcast_day_not_the_calendar_date),
		TEST(lower_layer_program_does_not_overrun_an_overlay),
		TEST(lower_layer_program_past_its_own_window_stays_out_of_an_overlay),
		TEST(lower_layer_slot_list_stays_out_of_an_overlay),
		/* 7 */
		TEST(window_22_to_06_starts_at_22_local_and_ends_by_the_next_day),
		TEST(midnight_start_belongs_to_the_next_calendar_date),
		/* 8 */
		TEST(fall_back_day_has_50_blocks_and_spring_forward_day_46_in_new_york),
		TEST(fall_back_day_has_50_blocks_and_spring_forward_day_46_in_london),
		/* 9 */
		TEST(same_inputs_compile_to_the_same_hash_and_p_json),
		TEST(selection_order_does_not_depend_on_asset_ids_or_catalog_order),
		TEST(random_mode_is_seeded_by_day_same_day_same_picks),
		TEST(random_choices_follow_the_prng_seeded_by_channel_day_and_entry),
		TEST(schedule_hash_matches_the_reference_vector),
		TEST(schedule_hash_escapes_non_ascii_like_the_reference),
		TEST(day_schedule_json_is_program_schedule_v2_and_carries_its_hash),
		TEST(hash_does_not_depend_on_the_folder_of_the_channel_file),
		TEST(p_json_of_a_program_and_of_a_filler_block),
		/* 10 */
		TEST(block_ids_name_the_channel_and_blocks_tile_the_day_on_the_grid),
		/* 11 */
		TEST(gap_inside_a_day_is_a_filler_program_with_the_filler_title),
		TEST(gap_inside_a_day_is_an_error_naming_it_when_strict),
		TEST(empty_schedule_compiles_to_one_filler_program_a_day),
		TEST(day_start_from_the_configuration_moves_the_broadcast_day),
		/* 12 */
		TEST(empty_pool_is_an_error_naming_pool_channel_day_entry_and_place),
		TEST(empty_movie_pool_is_an_error_naming_the_pool),
		TEST(slot_program_names_an_asset_by_id_or_alias),
		TEST(unknown_slot_program_is_an_error_naming_it),
		TEST(window_end_off_the_grid_never_puts_a_block_off_the_grid),
		TEST(entry_start_off_the_grid_is_an_error_naming_it),
		TEST(day_start_off_the_grid_is_an_error_and_a_finer_grid_fixes_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
