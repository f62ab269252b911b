/*
 * Unit tests for lib/horizon: the guide (tier 1) and the execution horizon
 * (tier 2) in the database, DESIGN.md §5 ("Horizon") and the invariants of
 * upstream-horizon-playout.md §1, §7 items 1-6 and §8 items 9-10:
 * extension only when the clock crosses a threshold, minimum depths, a
 * failed compile that leaves the store as it was, the locked window,
 * strictly increasing generations that stamp exactly their range, seams
 * with their signed size, segments that sum to the block, pruning.
 *
 * Every test works on a database file in a mkdtemp folder (teardown
 * removes it), a catalog inserted with SQL and read back with
 * rv_catalog_load, and a channel file written next to it.  The channel is
 * in UTC with a 30-minute grid and broadcast days from 06:00, so the
 * arithmetic below can be followed by hand.  Instants are UTC epoch
 * milliseconds, their ISO form in a comment.
 *
 * The show's episodes run 24:01 to 24:30 (1,441,000 ms + 1,000 ms per
 * episode), so every program is exactly one 30-minute slot and 48 of them
 * make a broadcast day; the spots are 30 s, so every break (slot - runtime
 * shared over three computed break points) ends with a pad.
 *
 * Tests whose comment says BUG fail against the current lib/horizon.c on
 * purpose: the comment gives the input, the expected and the actual.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "channel.h"
#include "compile.h"
#include "compstate.h"
#include "db.h"
#include "horizon.h"

#define SEC	INT64_C(1000)
#define MIN	INT64_C(60000)
#define HOUR	INT64_C(3600000)
#define DAY	(24 * HOUR)

/* 2026-01-05T06:00:00Z, a Monday: the start of broadcast day 2026-01-05. */
#define T0	INT64_C(1767592800000)

#define CH	"hz-test"

/* --- fixture ------------------------------------------------------------ */

/* Resources of one test, released in teardown even when an assertion
 * fails half-way (cmocka leaves the test with a longjmp). */
struct cleanup {
	void	(*fn)(void *);
	void	 *p;
};

static struct {
	char		 dir[64];
	struct cleanup	*v;
	size_t		 n, cap;
	sqlite3		*db;
	struct rv_catalog *cat;
	struct rv_channel *ch;
	struct rv_horizon_policy pol;
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
close_db(void *p)
{
	rv_db_close(p);
}

static void
free_catalog(void *p)
{
	rv_catalog_free(p);
}

static void
free_channel(void *p)
{
	rv_channel_free(p);
}

static void
free_diags(void *p)
{
	rv_diags_free(p);
	free(p);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

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

static struct rv_diags *
new_diags(void)
{
	return defer(free_diags, calloc(1, sizeof(struct rv_diags)));
}

static sqlite3 *
open_db(const char *name)
{
	struct rv_err err;
	sqlite3 *db;

	if (rv_db_open(keep("%s/%s", fx.dir, name), &db, &err) < 0)
		fail_msg("rv_db_open: %s", err.msg);
	return defer(close_db, db);
}

static void
exec_sql(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
exec_sql(sqlite3 *db, const char *fmt, ...)
{
	struct rv_err err;
	va_list ap;
	char *sql;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		fail_msg("out of memory");
	rc = rv_db_exec(db, sql, &err);
	free(sql);
	if (rc < 0)
		fail_msg("%s", err.msg);
}

/* The first column of the first row of a query (0 when NULL or none). */
static int64_t
q1(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int64_t
q1(sqlite3 *db, const char *fmt, ...)
{
	struct rv_err err;
	sqlite3_stmt *st;
	va_list ap;
	int64_t v = 0;
	char *sql;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		fail_msg("out of memory");
	rc = rv_db_prepare(db, sql, &st, &err);
	free(sql);
	if (rc < 0)
		fail_msg("%s", err.msg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Text of the first column of the first row, kept until teardown. */
static const char *
qs(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *
qs(sqlite3 *db, const char *fmt, ...)
{
	struct rv_err err;
	sqlite3_stmt *st;
	va_list ap;
	const char *v = NULL;
	char *sql;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		fail_msg("out of memory");
	rc = rv_db_prepare(db, sql, &st, &err);
	free(sql);
	if (rc < 0)
		fail_msg("%s", err.msg);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) !=
	    SQLITE_NULL)
		v = keep("%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/*
 * Everything the horizon writes, as text: generations (and the
 * AUTOINCREMENT counter behind their ids), both tiers with every segment,
 * the compile state, and (when asked) the extension log.  Two equal
 * snapshots mean the store did not change.
 */
static const char *
snapshot(sqlite3 *db, int with_extensions)
{
	static const char *const tables[] = {
		"SELECT * FROM sqlite_sequence ORDER BY name",
		"SELECT * FROM generations ORDER BY id",
		"SELECT * FROM program_blocks ORDER BY block_id",
		"SELECT * FROM playout_blocks ORDER BY block_id",
		"SELECT * FROM playout_segments ORDER BY block_id, idx",
		"SELECT * FROM cursors ORDER BY channel_id, pool, broadcast_day",
		"SELECT * FROM compile_days ORDER BY channel_id, broadcast_day",
		"SELECT * FROM compile_plays ORDER BY channel_id, start_ms",
		"SELECT * FROM extensions ORDER BY id",
	};
	struct rv_err err;
	sqlite3_stmt *st;
	size_t i, len;
	char *buf;
	FILE *f;
	int c;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fail_msg("open_memstream");
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!with_extensions && strstr(tables[i], "extensions"))
			continue;
		if (rv_db_prepare(db, tables[i], &st, &err) < 0) {
			fclose(f);
			free(buf);
			fail_msg("%s", err.msg);
		}
		fprintf(f, "== %s\n", tables[i]);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (c = 0; c < sqlite3_column_count(st); c++)
				fprintf(f, "%s|", sqlite3_column_type(st, c) ==
				    SQLITE_NULL ? "NULL" :
				    (const char *)sqlite3_column_text(st, c));
			fputc('\n', f);
		}
		sqlite3_finalize(st);
	}
	fclose(f);
	return defer(free, buf);
}

/* --- catalog and channel ----------------------------------------------- */

static void
add_asset(sqlite3 *db, const char *id, const char *kind, const char *title,
    const char *series, int season, int episode, int64_t duration_ms)
{
	char s[16] = "NULL", e[16] = "NULL";

	if (season >= 0)
		snprintf(s, sizeof(s), "%d", season);
	if (episode >= 0)
		snprintf(e, sizeof(e), "%d", episode);
	exec_sql(db, "INSERT INTO assets (id, kind, state, title, series_title,"
	    " season, episode, rating, duration_ms, path, source, source_name,"
	    " added_ms, updated_ms) VALUES ('%s', '%s', 'ready', '%s', %s%s%s,"
	    " %s, %s, 'TV-PG', %lld, '/media/%s.mkv', 'folder', 'library', 0,"
	    " 0)", id, kind, title, series ? "'" : "", series ? series : "NULL",
	    series ? "'" : "", s, e, (long long)duration_ms, id);
}

/* Runtime of episode i (0-based) of the test show. */
static int64_t
runtime_of(int i)
{
	return 1441 * SEC + i * SEC;
}

/* "Test Show": 2 seasons of 15 episodes (a-ep-sSSeEE sort in episode
 * order), and 10 commercials of 30 s. */
static void
fill_catalog(sqlite3 *db)
{
	char id[32], title[32];
	int i;

	for (i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "a-ep-s%02de%02d", i / 15 + 1,
		    i % 15 + 1);
		snprintf(title, sizeof(title), "Episode %d", i + 1);
		add_asset(db, id, "episode", title, "Test Show", i / 15 + 1,
		    i % 15 + 1, runtime_of(i));
	}
	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "a-spot-%02d", i);
		snprintf(title, sizeof(title), "Spot %02d", i);
		add_asset(db, id, "commercial", title, NULL, -1, -1, 30 * SEC);
	}
}

static struct rv_catalog *
load_catalog(sqlite3 *db)
{
	struct rv_catalog *cat;
	struct rv_err err;

	if (rv_catalog_load(db, &cat, &err) < 0)
		fail_msg("rv_catalog_load: %s", err.msg);
	return defer(free_catalog, cat);
}

/* The channel file; `series` is what its one pool matches. */
static const char *
write_channel(const char *name, const char *series)
{
	const char *path = keep("%s/%s.yaml", fx.dir, name);
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot write %s", path);
	fprintf(f,
	    "channel: " CH "\n"
	    "channel_number: 3\n"
	    "name: \"Horizon Test\"\n"
	    "channel_type: network\n"
	    "timezone: UTC\n"
	    "grid_minutes: 30\n"
	    "filler:\n"
	    "  path: /media/filler.mp4\n"
	    "  duration_ms: 600000\n"
	    "  title: \"Station Filler\"\n"
	    "traffic:\n"
	    "  allowed_types: [commercial]\n"
	    "  default_cooldown_seconds: 3600\n"
	    "pools:\n"
	    "  show:\n"
	    "    match:\n"
	    "      type: episode\n"
	    "      series_title: \"%s\"\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block:\n"
	    "        start: \"06:00\"\n"
	    "        duration: \"24h\"\n"
	    "        title: \"Test Show\"\n"
	    "        pool: show\n"
	    "        mode: sequential\n", series);
	fclose(f);
	return path;
}

static struct rv_channel *
load_channel(const char *path)
{
	struct rv_diags *d = new_diags();
	struct rv_channel *c;

	if (rv_channel_load(path, NULL, &c, d) < 0)
		fail_msg("rv_channel_load: %s", d->nerrors ? d->errors[0] : "?");
	return defer(free_channel, c);
}

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/rv-test-horizon.XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return -1;
	fx.pol.epg_ms = 3 * DAY;
	fx.pol.exec_ms = 6 * HOUR;
	fx.pol.locked_ms = 2 * HOUR;
	fx.pol.retention_ms = 2 * DAY;
	fx.pol.force = 0;
	return 0;
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
	nftw(fx.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The usual world: database, catalog, the good channel file. */
static void
world(void)
{
	fx.db = open_db("rv.db");
	fill_catalog(fx.db);
	fx.cat = load_catalog(fx.db);
	fx.ch = load_channel(write_channel(CH, "Test Show"));
}

/* An extend that must succeed. */
static void
extend_ok(int64_t now, struct rv_extend_result *res)
{
	struct rv_diags *d = new_diags();
	struct rv_err err;

	if (rv_horizon_extend(fx.db, fx.ch, fx.cat, &fx.pol, now, res, d,
	    &err) < 0)
		fail_msg("rv_horizon_extend at %lld: %s (%s)", (long long)now,
		    err.msg, d->nerrors ? d->errors[0] : "no diagnostics");
	assert_int_equal(d->nerrors, 0);
}

static int64_t
exec_end(sqlite3 *db)
{
	return q1(db, "SELECT max(end_ms) FROM playout_blocks WHERE"
	    " channel_id = '" CH "'");
}

static int64_t
epg_end(sqlite3 *db)
{
	return q1(db, "SELECT max(end_ms) FROM program_blocks WHERE"
	    " channel_id = '" CH "'");
}

/* Seams of a tier over everything, through the callback. */
struct seam {
	char	 left[128], right[128];
	int64_t	 at, delta;
};

struct seams {
	struct seam	 s[8];
	int		 n;
};

static void
on_seam(void *arg, const char *left, const char *right, int64_t at_ms,
    int64_t delta_ms)
{
	struct seams *v = arg;

	if (v->n < 8) {
		snprintf(v->s[v->n].left, sizeof(v->s[v->n].left), "%s", left);
		snprintf(v->s[v->n].right, sizeof(v->s[v->n].right), "%s",
		    right);
		v->s[v->n].at = at_ms;
		v->s[v->n].delta = delta_ms;
	}
	v->n++;
}

static int
seams(sqlite3 *db, const char *tier, struct seams *v)
{
	struct rv_err err;
	int n;

	memset(v, 0, sizeof(*v));
	n = rv_horizon_seams(db, CH, tier, 0, INT64_MAX, on_seam, v, &err);
	if (n < 0)
		fail_msg("rv_horizon_seams: %s", err.msg);
	assert_int_equal(n, v->n);
	return n;
}

/* Program blocks to publish: n consecutive 30-minute blocks from `start`
 * of episodes s02e01…, ids "pub-<tag>-<i>". */
struct pubset {
	struct rv_program p[8];
	const char	*days[8];
	int		 n;
};

static void
make_blocks(struct pubset *b, const char *tag, int64_t start, int n)
{
	char id[32];
	int i;

	assert_true(n <= 8);
	memset(b, 0, sizeof(*b));
	for (i = 0; i < n; i++) {
		struct rv_program *p = &b->p[i];

		snprintf(id, sizeof(id), "a-ep-s02e%02d", i + 1);
		p->asset = rv_catalog_find(fx.cat, id);
		assert_non_null(p->asset);
		snprintf(p->block_id, sizeof(p->block_id), "pub-%s-%d", tag, i);
		p->start_ms = start + i * 30 * MIN;
		p->end_ms = p->start_ms + 30 * MIN;
		p->runtime_ms = p->asset->duration_ms;
		p->title = keep("Published %s %d", tag, i);
		p->mode = "published";
		b->days[i] = "2026-01-05";
	}
	b->n = n;
}

static int
publish(struct pubset *b, int64_t now, int force, struct rv_extend_result *res,
    struct rv_err *err)
{
	struct rv_horizon_policy pol = fx.pol;

	pol.force = force;
	return rv_horizon_publish(fx.db, fx.ch, fx.cat, b->p, b->days, b->n,
	    &pol, now, res, err);
}

/* --- 1. extension only when the clock crosses the threshold ------------ */

/*
 * At T = 06:10 the guide needs broadcast days 01-05 … 01-08 (its end must
 * reach T + 3 d = 01-08 06:10, and a day ends at the next 06:00), so it
 * ends 2026-01-09T06:00Z; the execution horizon starts with the block
 * holding now (06:00) and takes every guide block that starts before
 * T + 6 h = 12:10: 06:00 … 12:00, 13 blocks, ending 12:30.
 *
 * Again at T: nothing.  At T + 1 min (06:11): the execution horizon still
 * reaches 12:30 ≥ 12:11 and the guide 01-09 06:00 ≥ 01-08 06:11, so
 * nothing.  At T + 21 min (06:31): 12:30 < 12:31, so exactly one block,
 * [12:30, 13:00), is appended under a new generation, and nothing else.
 */
static void
test_extend_only_when_clock_crosses_threshold(void **state)
{
	const int64_t t = T0 + 10 * MIN;
	struct rv_extend_result res;
	const char *before, *after_first;
	struct seams v;

	(void)state;
	world();
	before = snapshot(fx.db, 1);
	extend_ok(t, &res);
	assert_string_not_equal(before, snapshot(fx.db, 1));
	assert_int_equal(res.days_compiled, 4);
	assert_int_equal(res.blocks_published, 13);
	assert_int_equal(res.epg_end_ms, T0 + 4 * DAY);	/* 01-09T06:00Z */
	assert_int_equal(res.exec_end_ms, T0 + 6 * HOUR + 30 * MIN);
	assert_int_equal(res.generation, 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"),
	    4 * 48);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 13);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM playout_blocks"),
	    T0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions"), 1);
	assert_int_equal(q1(fx.db, "SELECT ok FROM extensions"), 1);
	assert_int_equal(q1(fx.db, "SELECT at_ms FROM extensions"), t);
	assert_string_equal(qs(fx.db, "SELECT message FROM extensions"),
	    "compiled 4 days, expanded 13 blocks");

	/* Same clock: the same bytes everywhere, no new extension row. */
	after_first = snapshot(fx.db, 1);
	extend_ok(t, &res);
	assert_int_equal(res.days_compiled, 0);
	assert_int_equal(res.blocks_published, 0);
	assert_int_equal(res.generation, 0);
	assert_string_equal(after_first, snapshot(fx.db, 1));

	/* One minute later: still deep enough in both tiers. */
	extend_ok(t + MIN, &res);
	assert_int_equal(res.days_compiled, 0);
	assert_int_equal(res.blocks_published, 0);
	assert_int_equal(res.exec_end_ms, T0 + 6 * HOUR + 30 * MIN);
	assert_string_equal(after_first, snapshot(fx.db, 1));

	/* 06:31: the execution horizon fell below now + 6 h by 1 min. */
	extend_ok(t + 21 * MIN, &res);
	assert_int_equal(res.days_compiled, 0);
	assert_int_equal(res.blocks_published, 1);
	assert_int_equal(res.exec_end_ms, T0 + 7 * HOUR);
	assert_int_equal(res.generation, 3);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 14);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"
	    " WHERE generation_id = 3"), 1);
	assert_int_equal(q1(fx.db, "SELECT start_ms FROM playout_blocks"
	    " WHERE generation_id = 3"), T0 + 6 * HOUR + 30 * MIN);
	assert_int_equal(q1(fx.db, "SELECT end_ms FROM playout_blocks"
	    " WHERE generation_id = 3"), T0 + 7 * HOUR);
	/* … the guide block of that slot, the same id … */
	assert_string_equal(qs(fx.db, "SELECT block_id FROM playout_blocks"
	    " WHERE generation_id = 3"), qs(fx.db, "SELECT block_id FROM"
	    " program_blocks WHERE start_ms = %lld", (long long)(T0 + 6 * HOUR +
	    30 * MIN)));
	/* … contiguous with the previous end, and the guide untouched. */
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations"), 3);
	assert_string_equal(qs(fx.db, "SELECT tier FROM generations WHERE"
	    " id = 3"), "exec");
	assert_int_equal(q1(fx.db, "SELECT range_start_ms FROM generations"
	    " WHERE id = 3"), T0 + 6 * HOUR + 30 * MIN);
	assert_int_equal(q1(fx.db, "SELECT range_end_ms FROM generations"
	    " WHERE id = 3"), T0 + 7 * HOUR);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"),
	    4 * 48);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"
	    " WHERE generation_id <> 1"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions"), 2);
	assert_string_equal(qs(fx.db, "SELECT message FROM extensions WHERE"
	    " id = (SELECT max(id) FROM extensions)"),
	    "compiled 0 days, expanded 1 block");

	/* And that clock again: nothing. */
	after_first = snapshot(fx.db, 1);
	extend_ok(t + 21 * MIN, &res);
	assert_string_equal(after_first, snapshot(fx.db, 1));
}

/*
 * On the threshold exactly: at T0 = 06:00 the guide is 01-05 … 01-07
 * (ends 01-08 06:00 = T0 + 3 d) and the execution horizon 06:00 … 11:30
 * (ends 12:00 = T0 + 6 h): both minimums met with nothing to spare.  One
 * minute later both fall short by a minute: one more broadcast day
 * (01-08) and one more block, [12:00, 12:30), meeting the previous end.
 */
static void
test_extend_on_threshold_appends_exactly_missing(void **state)
{
	struct rv_extend_result res;
	struct seams v;

	(void)state;
	world();
	extend_ok(T0, &res);
	assert_int_equal(res.days_compiled, 3);
	assert_int_equal(res.blocks_published, 12);
	assert_int_equal(res.epg_end_ms, T0 + 3 * DAY);
	assert_int_equal(res.exec_end_ms, T0 + 6 * HOUR);

	extend_ok(T0 + MIN, &res);
	assert_int_equal(res.days_compiled, 1);
	assert_int_equal(res.blocks_published, 1);
	assert_int_equal(res.epg_end_ms, T0 + 4 * DAY);
	assert_int_equal(res.exec_end_ms, T0 + 6 * HOUR + 30 * MIN);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"),
	    4 * 48);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 13);
	/* The new guide generation covers exactly the new day. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"
	    " WHERE generation_id = 3"), 48);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM program_blocks"
	    " WHERE generation_id = 3"), T0 + 3 * DAY);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"
	    " WHERE generation_id = 4"), 1);
	assert_int_equal(q1(fx.db, "SELECT start_ms FROM playout_blocks"
	    " WHERE generation_id = 4"), T0 + 6 * HOUR);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
}

/* --- 2. depths after an extend, and what status says -------------------- */

static void
test_extend_meets_minimum_depths_and_status_agrees(void **state)
{
	const int64_t t = T0 + 10 * MIN;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_err err;

	(void)state;
	world();
	extend_ok(t, &res);
	assert_true(epg_end(fx.db) - t >= 3 * DAY);
	assert_true(exec_end(fx.db) - t >= 6 * HOUR);
	assert_int_equal(epg_end(fx.db), T0 + 4 * DAY);
	assert_int_equal(exec_end(fx.db), T0 + 6 * HOUR + 30 * MIN);

	assert_int_equal(rv_horizon_status(fx.db, CH, t, &st, &err), 0);
	assert_int_equal(st.epg_end_ms, res.epg_end_ms);
	assert_int_equal(st.exec_end_ms, res.exec_end_ms);
	assert_int_equal(st.epg_end_ms, T0 + 4 * DAY);
	assert_int_equal(st.exec_end_ms, T0 + 6 * HOUR + 30 * MIN);
	assert_int_equal(st.generation, 2);
	assert_int_equal(st.last_ok_ms, t);
	assert_int_equal(st.last_failure_ms, 0);
	assert_string_equal(st.last_failure, "");
	assert_int_equal(st.covers_now, 1);
	assert_int_equal(st.seams, 0);
	/* The missing ads: every break ends with pad (30 s spots never
	 * fill a break of slot - runtime shared by three). */
	assert_true(st.unfilled_ahead_ms > 0);
	assert_int_equal(st.unfilled_ahead_ms, res.unfilled_ms);
	assert_int_equal(st.unfilled_ahead_ms, q1(fx.db, "SELECT sum(dur_ms)"
	    " FROM playout_segments WHERE type IN ('pad', 'filler')"));

	/* A later clock, still inside the horizon: the same ends, and now
	 * is still covered; past the execution end it is not. */
	assert_int_equal(rv_horizon_status(fx.db, CH, t + 5 * HOUR, &st, &err),
	    0);
	assert_int_equal(st.covers_now, 1);
	assert_int_equal(rv_horizon_status(fx.db, CH, T0 + 6 * HOUR + 30 * MIN,
	    &st, &err), 0);
	assert_int_equal(st.covers_now, 0);
	assert_int_equal(st.unfilled_ahead_ms, 0);

	/* A channel with nothing: all zero. */
	assert_int_equal(rv_horizon_status(fx.db, "nobody", t, &st, &err), 0);
	assert_int_equal(st.epg_end_ms, 0);
	assert_int_equal(st.exec_end_ms, 0);
	assert_int_equal(st.generation, 0);
	assert_int_equal(st.covers_now, 0);
}

/*
 * Several days later, the evaluation catches up: the guide continues from
 * its last day (the sequential pool where it stopped) and the execution
 * horizon restarts at the block holding now, since its end is in the past.
 */
static void
test_extend_after_idle_days_restores_depths(void **state)
{
	const int64_t t = T0 + 10 * MIN, later = t + 5 * DAY;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_err err;
	struct seams v;

	(void)state;
	world();
	extend_ok(t, &res);
	extend_ok(later, &res);
	assert_true(res.epg_end_ms - later >= 3 * DAY);
	assert_true(res.exec_end_ms - later >= 6 * HOUR);
	assert_int_equal(res.epg_end_ms, T0 + 9 * DAY);
	assert_int_equal(res.exec_end_ms, later - 10 * MIN + 6 * HOUR +
	    30 * MIN);
	assert_int_equal(rv_horizon_status(fx.db, CH, later, &st, &err), 0);
	assert_int_equal(st.covers_now, 1);
	assert_int_equal(st.seams, 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
	/* Sequential: the day after the last one compiled continues the
	 * pool (30 episodes, 48 a day: 01-09 06:00 airs episode 4·48 mod
	 * 30 = 12, that is s01e13). */
	assert_string_equal(qs(fx.db, "SELECT asset_id FROM program_blocks"
	    " WHERE start_ms = %lld", (long long)(T0 + 4 * DAY)),
	    "a-ep-s01e13");
}

/*
 * After forty idle days one evaluation either restores the minimum
 * depths or fails as a planning fault (INV-HORIZON-EXECUTION-MIN-001:
 * after any successful evaluation, exec end - now >= 6 h; a failing
 * pipeline surfaces the deficit).
 *
 * BUG (lib/horizon.c, rv_horizon_extend / extend_guide): the guide
 * resumes after its last day and stops at the 31-day safety valve, all of
 * it still in the past; extend_exec finds no guide block ahead and
 * returns 0 ("no guide ahead"); prune then deletes the 31 days just
 * compiled (they ended before now - retention).  The evaluation returns
 * 0, logs ok = 1 "compiled 31 days, expanded 0 blocks", and leaves both
 * tiers empty: status epg_end 0, exec_end 0, covers_now 0.  (A second
 * run recovers, from a fresh compile state.)
 */
static void
test_extend_after_long_idle_meets_minimum_or_fails(void **state)
{
	const int64_t t = T0 + 10 * MIN, later = t + 40 * DAY;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_diags *d;
	struct rv_err err;
	int rc;

	(void)state;
	world();
	extend_ok(t, &res);
	d = new_diags();
	rc = rv_horizon_extend(fx.db, fx.ch, fx.cat, &fx.pol, later, &res, d,
	    &err);
	assert_int_equal(rv_horizon_status(fx.db, CH, later, &st, &err), 0);
	if (rc < 0) {
		assert_int_equal(st.last_failure_ms, later);
		return;
	}
	print_message("# rc 0: compiled %d days, %d blocks; epg_end %lld,"
	    " exec_end %lld\n", res.days_compiled, res.blocks_published,
	    (long long)st.epg_end_ms, (long long)st.exec_end_ms);
	assert_true(st.epg_end_ms - later >= 3 * DAY);
	assert_true(st.exec_end_ms - later >= 6 * HOUR);
	assert_int_equal(st.covers_now, 1);
}

/* --- 3. a failed compile leaves the store as it was --------------------- */

/*
 * After a good extend at T, the channel file changes so that its pool
 * selects nothing.  A day later the guide needs another day: the compile
 * fails, extend returns -1 with the compiler's message in the diagnostics,
 * the store is byte for byte what it was (and still contiguous), and one
 * failed row is logged; status shows the planning fault.
 */
static void
test_failed_compile_leaves_store_unchanged(void **state)
{
	const int64_t t = T0 + 10 * MIN, later = t + DAY;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_channel *broken;
	struct rv_diags *d;
	struct rv_err err;
	const char *before;
	int64_t maxgen;
	struct seams v;
	int i, found;

	(void)state;
	world();
	extend_ok(t, &res);
	before = snapshot(fx.db, 0);
	maxgen = q1(fx.db, "SELECT max(id) FROM generations");
	assert_int_equal(maxgen, 2);

	broken = load_channel(write_channel(CH, "No Such Show"));
	d = new_diags();
	assert_int_equal(rv_horizon_extend(fx.db, broken, fx.cat, &fx.pol,
	    later, &res, d, &err), -1);
	assert_true(d->nerrors > 0);
	for (i = found = 0; i < d->nerrors; i++)
		found |= strstr(d->errors[i], "pool 'show' selects no asset") !=
		    NULL;
	assert_true(found);
	assert_non_null(strstr(err.msg, CH));
	assert_non_null(strstr(err.msg, "2026-01-09"));

	assert_string_equal(before, snapshot(fx.db, 0));
	assert_int_equal(q1(fx.db, "SELECT max(id) FROM generations"), maxgen);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);

	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions"), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions WHERE"
	    " ok = 0 AND at_ms = %lld", (long long)later), 1);
	/* The record holds the error and the compiler's first message. */
	assert_int_equal(strncmp(qs(fx.db, "SELECT message FROM extensions"
	    " WHERE ok = 0"), err.msg, strlen(err.msg)), 0);
	assert_non_null(strstr(qs(fx.db, "SELECT message FROM extensions"
	    " WHERE ok = 0"), "selects no asset"));
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions WHERE"
	    " ok = 0 AND (epg_end_ms IS NOT NULL OR generation_id IS NOT"
	    " NULL)"), 0);

	assert_int_equal(rv_horizon_status(fx.db, CH, later, &st, &err), 0);
	assert_int_equal(st.last_ok_ms, t);
	assert_int_equal(st.last_failure_ms, later);
	assert_non_null(strstr(st.last_failure, "failed"));
	assert_int_equal(st.generation, maxgen);
	assert_int_equal(st.epg_end_ms, T0 + 4 * DAY);
	assert_int_equal(st.exec_end_ms, T0 + 6 * HOUR + 30 * MIN);

	/* Fixed again: the next evaluation succeeds and the fault clears. */
	extend_ok(later + MIN, &res);
	assert_int_equal(rv_horizon_status(fx.db, CH, later + MIN, &st, &err),
	    0);
	assert_int_equal(st.last_ok_ms, later + MIN);
	assert_int_equal(st.last_failure_ms, 0);
	assert_int_equal(st.covers_now, 1);
	assert_int_equal(st.seams, 0);
}

/*
 * The same fault on a channel's very first evaluation: nothing is
 * published, -1 with the compiler's message, and the failure is on record
 * so that status can show the planning fault.
 *
 * BUG (lib/horizon.c, rv_horizon_extend): the channel's row is inserted by
 * rv_compstate_register inside the transaction the failure rolls back, so
 * rv_horizon_log_failure then finds no channel row and logs nothing:
 * `extensions` stays empty, the channel is not even in `channels`, and
 * rv_horizon_status shows no fault (last_failure_ms 0).  The failure is
 * reported on stderr but never counted.
 */
static void
test_failed_first_compile_is_logged(void **state)
{
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_channel *broken;
	struct rv_diags *d;
	struct rv_err err;
	int i, found;

	(void)state;
	fx.db = open_db("rv.db");
	fill_catalog(fx.db);
	fx.cat = load_catalog(fx.db);
	broken = load_channel(write_channel(CH, "No Such Show"));
	d = new_diags();
	assert_int_equal(rv_horizon_extend(fx.db, broken, fx.cat, &fx.pol, T0,
	    &res, d, &err), -1);
	for (i = found = 0; i < d->nerrors; i++)
		found |= strstr(d->errors[i], "selects no asset") != NULL;
	assert_true(found);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM compile_days"), 0);

	/* Expected: one failed row, and status reports it. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions WHERE"
	    " channel_id = '" CH "' AND ok = 0"), 1);
	assert_int_equal(rv_horizon_status(fx.db, CH, T0, &st, &err), 0);
	assert_int_equal(st.last_failure_ms, T0);
}

/*
 * A failure, then a success at the same clock (the file fixed and the
 * evaluation run again with the same --now): the success is the last
 * word, so status shows no fault.
 *
 * BUG (lib/horizon.c, rv_horizon_status): the failure is looked up as the
 * latest failed row with at_ms >= last_ok_ms; with equal clocks the
 * failure logged *before* the success still matches, so last_failure_ms
 * stays at that clock and last_failure keeps the old message.  Expected
 * 0 and "".  (Ordering by extensions.id rather than at_ms would settle
 * the tie.)
 */
static void
test_status_fault_clears_after_success_at_same_clock(void **state)
{
	const int64_t t = T0 + 10 * MIN, later = t + DAY;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_channel *broken;
	struct rv_err err;

	(void)state;
	world();
	extend_ok(t, &res);
	broken = load_channel(write_channel("broken", "No Such Show"));
	assert_int_equal(rv_horizon_extend(fx.db, broken, fx.cat, &fx.pol,
	    later, &res, new_diags(), &err), -1);
	extend_ok(later, &res);
	assert_int_equal(res.days_compiled, 1);
	assert_string_equal(qs(fx.db, "SELECT group_concat(ok, ',') FROM"
	    " (SELECT ok FROM extensions ORDER BY id)"), "1,0,1");
	assert_int_equal(rv_horizon_status(fx.db, CH, later, &st, &err), 0);
	assert_int_equal(st.last_ok_ms, later);
	assert_int_equal(st.last_failure_ms, 0);
	assert_string_equal(st.last_failure, "");
}

/* rv_horizon_log_failure: a known channel gets a failed row; a channel
 * that never registered has no row to hang it on and is skipped. */
static void
test_log_failure_records_failed_attempt(void **state)
{
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct rv_err err;

	(void)state;
	world();
	extend_ok(T0, &res);
	assert_int_equal(rv_horizon_log_failure(fx.db, CH, T0 + HOUR,
	    "hz-test.yaml: the channel file does not load", &err), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions WHERE"
	    " ok = 0 AND at_ms = %lld", (long long)(T0 + HOUR)), 1);
	assert_string_equal(qs(fx.db, "SELECT message FROM extensions WHERE"
	    " ok = 0"), "hz-test.yaml: the channel file does not load");
	assert_int_equal(rv_horizon_status(fx.db, CH, T0 + HOUR, &st, &err), 0);
	assert_int_equal(st.last_failure_ms, T0 + HOUR);
	assert_string_equal(st.last_failure,
	    "hz-test.yaml: the channel file does not load");

	assert_int_equal(rv_horizon_log_failure(fx.db, "never-seen", T0,
	    "x", &err), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM extensions WHERE"
	    " channel_id = 'never-seen'"), 0);
}

/* --- 4. the locked window ----------------------------------------------- */

/*
 * At T0 the execution horizon is [06:00, 12:00) and the locked window
 * [06:00, 08:00).  Publishing [07:00, 08:00) over it is refused without
 * force (the message names the locked window) and changes nothing; with
 * force it replaces the two blocks under new generations marked forced.
 */
static void
test_locked_window_refuses_rewrite_without_force(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before;
	struct seams v;

	(void)state;
	world();
	extend_ok(T0, &res);
	before = snapshot(fx.db, 1);

	make_blocks(&b, "lock", T0 + HOUR, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, "locked window"));
	assert_non_null(strstr(err.msg, "2 blocks"));
	assert_non_null(strstr(err.msg, "--force"));
	assert_string_equal(before, snapshot(fx.db, 1));

	/* Overlapping the window by one slot is as much a rewrite. */
	make_blocks(&b, "edge", T0 + 90 * MIN, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, "locked window"));
	assert_string_equal(before, snapshot(fx.db, 1));

	make_blocks(&b, "lock", T0 + HOUR, 2);
	assert_int_equal(publish(&b, T0, 1, &res, &err), 0);
	assert_int_equal(res.generation, 4);
	assert_int_equal(res.blocks_published, 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations WHERE"
	    " id IN (3, 4) AND forced = 1"), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations WHERE"
	    " id IN (1, 2) AND forced = 0"), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " block_id IN ('pub-lock-0', 'pub-lock-1') AND generation_id = 4"),
	    2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " block_id IN ('pub-lock-0', 'pub-lock-1') AND generation_id = 3"),
	    2);
	/* The two blocks they replace are gone from both tiers. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld", (long long)(T0 + HOUR),
	    (long long)(T0 + 2 * HOUR)), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 12);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"),
	    3 * 48);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
}

/* An empty stretch of the locked window may be filled without force:
 * that is not a rewrite.  An empty store is all hole. */
static void
test_locked_window_hole_may_be_filled(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	struct seams v;

	(void)state;
	world();

	/* Nothing at all yet. */
	make_blocks(&b, "first", T0, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(res.generation, 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 2);
	assert_int_equal(q1(fx.db, "SELECT max(forced) FROM generations"), 0);

	/* A hole cut in a full horizon: [07:00, 08:00) inside the window. */
	exec_sql(fx.db, "DELETE FROM playout_blocks; DELETE FROM"
	    " program_blocks");
	extend_ok(T0, &res);
	exec_sql(fx.db, "DELETE FROM playout_blocks WHERE start_ms >= %lld AND"
	    " start_ms < %lld", (long long)(T0 + HOUR),
	    (long long)(T0 + 2 * HOUR));
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 10);
	make_blocks(&b, "hole", T0 + HOUR, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 12);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " block_id LIKE 'pub-hole-%%' AND generation_id = %lld",
	    (long long)res.generation), 2);
	assert_int_equal(q1(fx.db, "SELECT forced FROM generations WHERE"
	    " id = %lld", (long long)res.generation), 0);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
}

/* The boundary moves with the clock: [09:00, 09:30) is flexible at 06:00
 * (after 08:00) and locked at 08:00 (before 10:00); [10:00, 10:30) is
 * still flexible at 08:00, since the window is half-open. */
static void
test_locked_window_moves_with_clock(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before;

	(void)state;
	world();
	extend_ok(T0, &res);
	make_blocks(&b, "a", T0 + 3 * HOUR, 1);
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(q1(fx.db, "SELECT forced FROM generations WHERE"
	    " id = %lld", (long long)res.generation), 0);

	before = snapshot(fx.db, 1);
	make_blocks(&b, "b", T0 + 3 * HOUR, 1);
	assert_int_equal(publish(&b, T0 + 2 * HOUR, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, "locked window"));
	assert_non_null(strstr(err.msg, "1 block "));
	assert_string_equal(before, snapshot(fx.db, 1));

	make_blocks(&b, "c", T0 + 4 * HOUR, 1);
	assert_int_equal(publish(&b, T0 + 2 * HOUR, 0, &res, &err), 0);
}

/* --- 5. generations ------------------------------------------------------ */

/*
 * Extend at 06:10 (guide 1, execution 2), extend at 06:31 (execution 3),
 * publish [09:00, 10:00) at 06:31 (guide 4, execution 5): ids 1 … 5 in
 * order across tiers; the publish stamps its two slots in both tiers and
 * nothing else.
 */
static void
test_generations_increase_and_stamp_exactly_their_range(void **state)
{
	const int64_t t = T0 + 10 * MIN, from = T0 + 3 * HOUR,
	    to = T0 + 4 * HOUR;
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	struct seams v;

	(void)state;
	world();
	extend_ok(t, &res);
	assert_int_equal(res.generation, 2);
	extend_ok(t + 21 * MIN, &res);
	assert_int_equal(res.generation, 3);
	make_blocks(&b, "gen", from, 2);
	assert_int_equal(publish(&b, t + 21 * MIN, 0, &res, &err), 0);
	assert_int_equal(res.generation, 5);
	assert_int_equal(res.epg_end_ms, to);
	assert_int_equal(res.exec_end_ms, to);

	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations"), 5);
	assert_int_equal(q1(fx.db, "SELECT min(id) FROM generations"), 1);
	assert_int_equal(q1(fx.db, "SELECT max(id) FROM generations"), 5);
	assert_string_equal(qs(fx.db, "SELECT group_concat(tier, ',') FROM"
	    " (SELECT tier FROM generations ORDER BY id)"),
	    "epg,exec,exec,epg,exec");
	/* Published at ascending clocks. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM generations g WHERE"
	    " EXISTS (SELECT 1 FROM generations h WHERE h.id > g.id AND"
	    " h.published_ms < g.published_ms)"), 0);
	assert_int_equal(q1(fx.db, "SELECT range_start_ms FROM generations"
	    " WHERE id = 4"), from);
	assert_int_equal(q1(fx.db, "SELECT range_end_ms FROM generations"
	    " WHERE id = 5"), to);

	/* Inside the range: all new. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld", (long long)from,
	    (long long)to), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld AND generation_id = 4",
	    (long long)from, (long long)to), 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld AND generation_id = 5",
	    (long long)from, (long long)to), 2);
	/* Outside: the old ids, untouched. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " generation_id = 1"), 4 * 48 - 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " generation_id NOT IN (1, 4)"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " generation_id = 2"), 13 - 2);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " generation_id = 3"), 1);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " generation_id NOT IN (2, 3, 5)"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " generation_id = 5 AND (start_ms < %lld OR end_ms > %lld)",
	    (long long)from, (long long)to), 0);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);

	/* And the next extend takes the next id. */
	extend_ok(t + 21 * MIN + 30 * MIN, &res);
	assert_int_equal(res.generation, 6);
}

/* A reader that began before a publish sees the old generation over the
 * whole range until it ends its read; then the new one, never a mix. */
static void
test_publish_is_atomic_for_readers(void **state)
{
	const int64_t from = T0 + 3 * HOUR, to = T0 + 4 * HOUR;
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	sqlite3 *reader;

	(void)state;
	world();
	extend_ok(T0, &res);
	reader = open_db("rv.db");
	exec_sql(reader, "BEGIN");
	assert_int_equal(q1(reader, "SELECT count(DISTINCT generation_id) FROM"
	    " playout_blocks WHERE start_ms >= %lld AND start_ms < %lld",
	    (long long)from, (long long)to), 1);
	make_blocks(&b, "atom", from, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(q1(reader, "SELECT count(*) FROM playout_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld AND generation_id = 2",
	    (long long)from, (long long)to), 2);
	assert_int_equal(q1(reader, "SELECT count(*) FROM program_blocks WHERE"
	    " block_id LIKE 'pub-atom-%%'"), 0);
	exec_sql(reader, "COMMIT");
	assert_int_equal(q1(reader, "SELECT count(*) FROM playout_blocks WHERE"
	    " start_ms >= %lld AND start_ms < %lld AND generation_id = %lld",
	    (long long)from, (long long)to, (long long)res.generation), 2);
	assert_int_equal(q1(reader, "SELECT count(DISTINCT generation_id) FROM"
	    " playout_blocks WHERE start_ms >= %lld AND start_ms < %lld",
	    (long long)from, (long long)to), 1);
}

/* A publish that fails half-way (its second block's id is already taken
 * by a guide block outside the range) leaves nothing behind, not even a
 * generation id. */
static void
test_failed_publish_leaves_store_unchanged(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before, *taken;

	(void)state;
	world();
	extend_ok(T0, &res);
	before = snapshot(fx.db, 1);
	taken = qs(fx.db, "SELECT block_id FROM program_blocks WHERE"
	    " start_ms = %lld", (long long)(T0 + DAY));
	make_blocks(&b, "dup", T0 + 3 * HOUR, 2);
	snprintf(b.p[1].block_id, sizeof(b.p[1].block_id), "%s", taken);
	assert_int_equal(publish(&b, T0, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, taken));
	assert_string_equal(before, snapshot(fx.db, 1));
	extend_ok(T0 + 31 * MIN, &res);
	assert_int_equal(res.generation, 4);
}

/* --- 6. seams ----------------------------------------------------------- */

/* rv_horizon_publish refuses blocks that do not meet, with the signed
 * size: a 1 ms hole is +1, a 1 ms overlap −1; nothing is written. */
static void
test_publish_refuses_blocks_that_do_not_meet(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before;

	(void)state;
	world();
	extend_ok(T0, &res);
	before = snapshot(fx.db, 1);

	/* Nothing to publish: nothing happens. */
	make_blocks(&b, "none", T0 + 3 * HOUR, 1);
	b.n = 0;
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(res.generation, 0);
	assert_string_equal(before, snapshot(fx.db, 1));

	make_blocks(&b, "gap", T0 + 3 * HOUR, 2);
	b.p[1].start_ms += 1;
	b.p[1].runtime_ms -= 1;
	assert_int_equal(publish(&b, T0, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, "pub-gap-0"));
	assert_non_null(strstr(err.msg, "pub-gap-1"));
	assert_non_null(strstr(err.msg, "(+1 ms)"));
	assert_string_equal(before, snapshot(fx.db, 1));

	make_blocks(&b, "lap", T0 + 3 * HOUR, 3);
	b.p[2].start_ms -= 1;
	assert_int_equal(publish(&b, T0, 0, &res, &err), -1);
	assert_non_null(strstr(err.msg, "pub-lap-1"));
	assert_non_null(strstr(err.msg, "pub-lap-2"));
	assert_non_null(strstr(err.msg, "(-1 ms)"));
	assert_string_equal(before, snapshot(fx.db, 1));
}

/*
 * Seams made by hand on a copy of the database (the triggers that forbid
 * overlaps dropped there): a 1 ms gap is reported as +1, a 1 ms overlap
 * as −1, each with the left and right block ids and the left block's end.
 */
static void
test_seams_report_signed_size(void **state)
{
	const int64_t t = T0 + 10 * MIN;
	struct rv_extend_result res;
	struct rv_horizon_status st;
	const char *a, *b, *c, *d;
	struct rv_err err;
	struct seams v;
	sqlite3 *copy;

	(void)state;
	world();
	extend_ok(t, &res);
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
	exec_sql(fx.db, "VACUUM INTO '%s/copy.db'", fx.dir);
	copy = open_db("copy.db");
	exec_sql(copy, "DROP TRIGGER playout_blocks_no_overlap_update;"
	    " DROP TRIGGER program_blocks_no_overlap_update");
	a = qs(copy, "SELECT block_id FROM playout_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 2 * HOUR + 30 * MIN));
	b = qs(copy, "SELECT block_id FROM playout_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 3 * HOUR));
	c = qs(copy, "SELECT block_id FROM playout_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 4 * HOUR + 30 * MIN));
	d = qs(copy, "SELECT block_id FROM playout_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 5 * HOUR));
	assert_non_null(a);
	assert_non_null(d);

	/* 1 ms gap between a and b; 1 ms overlap between c and d. */
	exec_sql(copy, "UPDATE playout_blocks SET start_ms = start_ms + 1 WHERE"
	    " block_id = '%s'", b);
	exec_sql(copy, "UPDATE playout_blocks SET start_ms = start_ms - 1 WHERE"
	    " block_id = '%s'", d);
	assert_int_equal(seams(copy, "exec", &v), 2);
	assert_string_equal(v.s[0].left, a);
	assert_string_equal(v.s[0].right, b);
	assert_int_equal(v.s[0].at, T0 + 3 * HOUR);
	assert_int_equal(v.s[0].delta, 1);
	assert_string_equal(v.s[1].left, c);
	assert_string_equal(v.s[1].right, d);
	assert_int_equal(v.s[1].at, T0 + 5 * HOUR);
	assert_int_equal(v.s[1].delta, -1);
	assert_int_equal(rv_horizon_status(copy, CH, t, &st, &err), 0);
	assert_int_equal(st.seams, 2);
	/* Only the seams at or after `from` count… */
	assert_int_equal(rv_horizon_seams(copy, CH, "exec", T0 + 4 * HOUR,
	    INT64_MAX, NULL, NULL, &err), 1);
	/* … and the guide is another tier. */
	assert_int_equal(seams(copy, "epg", &v), 0);

	/* The guide tier: a block that ends 1 ms early leaves a +1 gap, one
	 * that ends 1 ms late overlaps its successor by 1. */
	a = qs(copy, "SELECT block_id FROM program_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + DAY));
	b = qs(copy, "SELECT block_id FROM program_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + DAY + 30 * MIN));
	c = qs(copy, "SELECT block_id FROM program_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 2 * DAY));
	d = qs(copy, "SELECT block_id FROM program_blocks WHERE start_ms ="
	    " %lld", (long long)(T0 + 2 * DAY + 30 * MIN));
	exec_sql(copy, "UPDATE program_blocks SET end_ms = end_ms - 1,"
	    " runtime_ms = min(runtime_ms, end_ms - 1 - start_ms) WHERE"
	    " block_id = '%s'", a);
	exec_sql(copy, "UPDATE program_blocks SET end_ms = end_ms + 1 WHERE"
	    " block_id = '%s'", c);
	assert_int_equal(seams(copy, "epg", &v), 2);
	assert_string_equal(v.s[0].left, a);
	assert_string_equal(v.s[0].right, b);
	assert_int_equal(v.s[0].at, T0 + DAY + 30 * MIN - 1);
	assert_int_equal(v.s[0].delta, 1);
	assert_string_equal(v.s[1].left, c);
	assert_string_equal(v.s[1].right, d);
	assert_int_equal(v.s[1].at, T0 + 2 * DAY + 30 * MIN + 1);
	assert_int_equal(v.s[1].delta, -1);

	/* The original is untouched. */
	assert_int_equal(seams(fx.db, "exec", &v), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
}

/*
 * A publish must leave the tiers contiguous with what surrounds it.
 * Publishing [20:00, 21:00) at 06:00, past the execution end (12:00),
 * puts those two blocks in tier 2 too, 8 hours after its end.
 *
 * BUG (lib/horizon.c, rv_horizon_publish / extend_exec): the execution
 * tier then holds [06:00, 12:00) and [20:00, 21:00) with a +8 h seam, and
 * rv_horizon_extend never fills it: extend_exec only appends after
 * max(end_ms) (21:00), and max(end_ms) - now ≥ 6 h until 15:00.  Expected:
 * after the publish and an extend, no seam in tier 2 (the hole filled, or
 * the publish kept to the guide past the execution end).  Actual: one
 * seam of +28,800,000 ms at 12:00 (and status.seams = 1, covers_now = 0
 * from 12:00 to 20:00).
 */
static void
test_publish_past_exec_end_leaves_no_hole(void **state)
{
	struct rv_extend_result res;
	struct rv_horizon_status st;
	struct pubset b;
	struct rv_err err;
	struct seams v;

	(void)state;
	world();
	extend_ok(T0, &res);
	make_blocks(&b, "far", T0 + 14 * HOUR, 2);
	assert_int_equal(publish(&b, T0, 0, &res, &err), 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
	extend_ok(T0 + MIN, &res);
	seams(fx.db, "exec", &v);
	if (v.n > 0)
		print_message("# exec seam %s -> %s at %lld: %+lld ms\n",
		    v.s[0].left, v.s[0].right, (long long)v.s[0].at,
		    (long long)v.s[0].delta);
	assert_int_equal(v.n, 0);
	/* The published blocks past the execution run stay in the guide;
	 * extend expands them (and what lies before them) as the clock
	 * nears, with no hole. */
	extend_ok(T0 + 7 * HOUR, &res);
	assert_int_equal(rv_horizon_status(fx.db, CH, T0 + 7 * HOUR, &st,
	    &err), 0);
	assert_int_equal(st.covers_now, 1);
	/* No gap from now on (12:00-13:00, when nothing extended, is past). */
	assert_int_equal(st.seams, 0);
}

/*
 * A publish whose range cuts guide blocks (here [09:15, 09:45) on a
 * 30-minute grid) must not leave the tiers with gaps around it: either
 * it is refused and nothing changes, or what it leaves meets to the
 * millisecond.
 *
 * BUG (lib/horizon.c, rv_horizon_publish): clear_range deletes the whole
 * [09:00, 09:30) and [09:30, 10:00) blocks of both tiers and the publish
 * inserts [09:15, 09:45) alone; it returns 0 and leaves two seams in each
 * tier, [09:00, 09:15) (+900,000 ms) and [09:45, 10:00) (+900,000 ms).
 * Only the seams between the published blocks themselves are checked,
 * not those with the neighbours the range keeps.
 */
static void
test_publish_leaves_no_seam_with_neighbours(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before;
	struct seams v;
	int rc;

	(void)state;
	world();
	extend_ok(T0, &res);
	before = snapshot(fx.db, 1);
	make_blocks(&b, "off", T0 + 3 * HOUR + 15 * MIN, 1);
	rc = publish(&b, T0, 0, &res, &err);
	if (rc < 0) {
		assert_string_equal(before, snapshot(fx.db, 1));
		return;
	}
	if (seams(fx.db, "exec", &v) > 0)
		print_message("# exec seam %s -> %s at %lld: %+lld ms\n",
		    v.s[0].left, v.s[0].right, (long long)v.s[0].at,
		    (long long)v.s[0].delta);
	assert_int_equal(v.n, 0);
	assert_int_equal(seams(fx.db, "epg", &v), 0);
}

/*
 * What has aired is history (upstream-horizon-playout.md §1.4: "Past
 * (end <= now): never modified"; as-run is reconciled against it).  At
 * 07:00, publishing [06:00, 06:30) over the block that aired is refused
 * without force, like the locked window, and changes nothing.
 *
 * BUG (lib/horizon.c, locked()): the check starts at max(from, now), so a
 * range wholly before now is never "locked": the publish returns 0 and
 * replaces the aired block (guide and execution) under a new generation
 * with forced = 0.  DESIGN.md §5 names only the locked window, so this is
 * a divergence from the upstream rule rather than from DESIGN.
 */
static void
test_publish_refuses_rewriting_the_past(void **state)
{
	struct rv_extend_result res;
	struct pubset b;
	struct rv_err err;
	const char *before;

	(void)state;
	world();
	extend_ok(T0, &res);
	before = snapshot(fx.db, 1);
	make_blocks(&b, "past", T0, 1);
	assert_int_equal(publish(&b, T0 + HOUR, 0, &res, &err), -1);
	assert_string_equal(before, snapshot(fx.db, 1));
}

/* --- 7. segments --------------------------------------------------------- */

/*
 * Every playout block: segments idx 0 … n-1 with positive durations that
 * sum to end - start exactly; each segment starts at the block start plus
 * the durations before it; pad has no uri (and no asset), anything else
 * has one; the block id is the guide block's, with the same span; content
 * adds up to the guide block's runtime, from the guide block's asset.
 */
static void
test_segments_sum_to_block_and_start_in_order(void **state)
{
	const int64_t t = T0 + 10 * MIN;
	struct rv_extend_result res;

	(void)state;
	world();
	extend_ok(t, &res);
	extend_ok(t + 21 * MIN, &res);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 14);

	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks b WHERE"
	    " (SELECT sum(dur_ms) FROM playout_segments s WHERE s.block_id ="
	    " b.block_id) IS NOT b.end_ms - b.start_ms"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks b WHERE"
	    " (SELECT count(*) FROM playout_segments s WHERE s.block_id ="
	    " b.block_id) IS NOT (SELECT max(idx) + 1 FROM playout_segments s"
	    " WHERE s.block_id = b.block_id)"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments"
	    " WHERE dur_ms <= 0"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments s"
	    " JOIN playout_blocks b USING (block_id) WHERE s.start_ms <>"
	    " b.start_ms + (SELECT coalesce(sum(dur_ms), 0) FROM"
	    " playout_segments p WHERE p.block_id = s.block_id AND"
	    " p.idx < s.idx)"), 0);
	/* The first segment starts the block, the last ends it. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments s"
	    " JOIN playout_blocks b USING (block_id) WHERE s.idx = 0 AND"
	    " s.start_ms <> b.start_ms"), 0);

	/* Pad: there is some, and it has no uri. */
	assert_true(q1(fx.db, "SELECT count(*) FROM playout_segments WHERE"
	    " type = 'pad'") > 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments"
	    " WHERE type = 'pad' AND (uri IS NOT NULL OR asset_id IS NOT"
	    " NULL)"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments"
	    " WHERE type <> 'pad' AND uri IS NULL"), 0);
	/* Spots: commercials from the catalog, at their own length. */
	assert_true(q1(fx.db, "SELECT count(*) FROM playout_segments WHERE"
	    " type = 'commercial'") > 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments s"
	    " LEFT JOIN assets a ON a.id = s.asset_id WHERE s.type ="
	    " 'commercial' AND (a.kind IS NOT 'commercial' OR s.dur_ms <>"
	    " 30000 OR s.uri IS NOT a.path)"), 0);

	/* Guide and execution: same ids, same spans. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks b"
	    " LEFT JOIN program_blocks p USING (block_id) WHERE p.block_id IS"
	    " NULL OR p.start_ms <> b.start_ms OR p.end_ms <> b.end_ms OR"
	    " b.program_block_id IS NOT b.block_id"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks p"
	    " WHERE p.start_ms >= %lld AND p.end_ms <= %lld AND NOT EXISTS"
	    " (SELECT 1 FROM playout_blocks b WHERE b.block_id = p.block_id)",
	    (long long)T0, (long long)(T0 + 7 * HOUR)), 0);
	/* Content: the guide's asset, its runtime in total, its file. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks b JOIN"
	    " program_blocks p USING (block_id) WHERE p.runtime_ms IS NOT"
	    " (SELECT sum(dur_ms) FROM playout_segments s WHERE s.block_id ="
	    " b.block_id AND s.type = 'content')"), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments s"
	    " JOIN program_blocks p USING (block_id) JOIN assets a ON a.id ="
	    " p.asset_id WHERE s.type = 'content' AND (s.asset_id IS NOT"
	    " p.asset_id OR s.uri IS NOT a.path)"), 0);
	/* Unfilled break time per block is its pad. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks b"
	    " WHERE unfilled_ms IS NOT (SELECT coalesce(sum(dur_ms), 0) FROM"
	    " playout_segments s WHERE s.block_id = b.block_id AND s.type ="
	    " 'pad')"), 0);

	/* The first block, by hand: s01e01, runtime 1,441,000, acts cut at
	 * floor(r·i/4) = 360,250, 720,500, 1,080,750; 359,000 ms of breaks
	 * shared by three: 119,667, 119,667, 119,666. */
	assert_string_equal(qs(fx.db, "SELECT group_concat(v, ',') FROM"
	    " (SELECT CASE type WHEN 'content' THEN 'c' || in_ms || '+' ||"
	    " dur_ms ELSE '' END AS v FROM playout_segments WHERE start_ms >="
	    " %lld AND start_ms < %lld AND type = 'content' ORDER BY idx)",
	    (long long)T0, (long long)(T0 + 30 * MIN)),
	    "c0+360250,c360250+360250,c720500+360250,c1080750+360250");
	assert_int_equal(q1(fx.db, "SELECT sum(dur_ms) FROM playout_segments"
	    " WHERE start_ms >= %lld AND start_ms < %lld AND type <> 'content'",
	    (long long)T0, (long long)(T0 + 30 * MIN)), 359000);
}

/* --- 8. prune ----------------------------------------------------------- */

/*
 * Pruning at 01-06 09:10 with a day of retention cuts at 01-05 09:10:
 * the six blocks of each tier that ended by 09:00 go (with their
 * segments); the block [09:00, 09:30), which ends after the cut, stays.
 */
static void
test_prune_drops_blocks_ended_before_retention(void **state)
{
	const int64_t t = T0 + 10 * MIN, cut = T0 + 3 * HOUR + 10 * MIN;
	struct rv_extend_result res;
	struct rv_err err;
	int64_t nseg_before, nseg_gone;

	(void)state;
	world();
	extend_ok(t, &res);
	nseg_before = q1(fx.db, "SELECT count(*) FROM playout_segments");
	nseg_gone = q1(fx.db, "SELECT count(*) FROM playout_segments s JOIN"
	    " playout_blocks b USING (block_id) WHERE b.end_ms < %lld",
	    (long long)cut);
	assert_true(nseg_gone > 0);
	assert_int_equal(rv_horizon_prune(fx.db, CH, cut + DAY, DAY, &err), 0);

	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 7);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM playout_blocks"),
	    T0 + 3 * HOUR);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " end_ms < %lld", (long long)cut), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks"),
	    4 * 48 - 6);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM program_blocks"),
	    T0 + 3 * HOUR);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments"),
	    nseg_before - nseg_gone);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_segments s"
	    " WHERE NOT EXISTS (SELECT 1 FROM playout_blocks b WHERE"
	    " b.block_id = s.block_id)"), 0);
	/* The ends do not move. */
	assert_int_equal(epg_end(fx.db), T0 + 4 * DAY);
	assert_int_equal(exec_end(fx.db), T0 + 6 * HOUR + 30 * MIN);
	/* Another channel's blocks are not this channel's business. */
	assert_int_equal(rv_horizon_prune(fx.db, "other", cut + 9 * DAY, 0,
	    &err), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks"), 7);
}

/* Extend prunes with its policy: at 01-07 09:10, with two days of
 * retention, what ended before 01-05 09:10 is gone from both tiers and
 * [09:00, 09:30) of 01-05, which ends after the cut, stays. */
static void
test_extend_prunes_with_policy_retention(void **state)
{
	const int64_t t = T0 + 10 * MIN, later = t + 2 * DAY + 3 * HOUR;
	struct rv_extend_result res;

	(void)state;
	world();
	extend_ok(t, &res);
	extend_ok(later, &res);
	/* Cut: later - 2 d = 01-05 09:10. */
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM program_blocks WHERE"
	    " end_ms < %lld", (long long)(t + 3 * HOUR)), 0);
	assert_int_equal(q1(fx.db, "SELECT count(*) FROM playout_blocks WHERE"
	    " end_ms < %lld", (long long)(t + 3 * HOUR)), 0);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM program_blocks"),
	    T0 + 3 * HOUR);
	assert_int_equal(q1(fx.db, "SELECT min(start_ms) FROM playout_blocks"),
	    T0 + 3 * HOUR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_extend_only_when_clock_crosses_threshold),
		TEST(test_extend_on_threshold_appends_exactly_missing),
		TEST(test_extend_meets_minimum_depths_and_status_agrees),
		TEST(test_extend_after_idle_days_restores_depths),
		TEST(test_extend_after_long_idle_meets_minimum_or_fails),
		TEST(test_failed_compile_leaves_store_unchanged),
		TEST(test_failed_first_compile_is_logged),
		TEST(test_status_fault_clears_after_success_at_same_clock),
		TEST(test_log_failure_records_failed_attempt),
		TEST(test_locked_window_refuses_rewrite_without_force),
		TEST(test_locked_window_hole_may_be_filled),
		TEST(test_locked_window_moves_with_clock),
		TEST(test_generations_increase_and_stamp_exactly_their_range),
		TEST(test_publish_is_atomic_for_readers),
		TEST(test_failed_publish_leaves_store_unchanged),
		TEST(test_publish_refuses_blocks_that_do_not_meet),
		TEST(test_seams_report_signed_size),
		TEST(test_publish_past_exec_end_leaves_no_hole),
		TEST(test_publish_leaves_no_seam_with_neighbours),
		TEST(test_publish_refuses_rewriting_the_past),
		TEST(test_segments_sum_to_block_and_start_in_order),
		TEST(test_prune_drops_blocks_ended_before_retention),
		TEST(test_extend_prunes_with_policy_retention),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
