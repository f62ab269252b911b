/*
 * Unit tests for lib/xmltv: the guide tier of the horizon as XMLTV and as
 * JSON lines (issue 5 item 7, DESIGN.md §5).
 *
 * A channel in America/New_York is extended with rv_horizon_extend at
 * 2026-01-05T11:00:00Z (06:00 EST, the start of its broadcast day) over a
 * catalog inserted with SQL: a show whose titles and episode titles carry
 * & < > " ', two 90-minute movies and 30 s commercials.  Its schedule is
 * episodes 06:00-02:00 (40 slots), a movie at 02:00 (one block of three
 * slots, to 03:30) and nothing from 03:30 to 06:00, which the compiler
 * turns into one filler program with the channel's filler title.  So one
 * broadcast day is exactly 42 programmes.
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
#include <jansson.h>

#include "catalog.h"
#include "channel.h"
#include "db.h"
#include "horizon.h"
#include "xmltv.h"

#define SEC	INT64_C(1000)
#define MIN	INT64_C(60000)
#define HOUR	INT64_C(3600000)
#define DAY	(24 * HOUR)

/* 2026-01-05T11:00:00Z = 2026-01-05 06:00 EST (-0500). */
#define T_JAN	INT64_C(1767610800000)
/* 2026-07-06T10:00:00Z = 2026-07-06 06:00 EDT (-0400). */
#define T_JUL	INT64_C(1783332000000)

#define CH	"retro_late:night"
#define CH_XID	"retro-late-night.retrovue"

/* The block title and the episode titles, raw and as XML text. */
#define SHOW_TITLE	"Cops & Robbers <Late> \"Night\" 'Live'"
#define SHOW_TITLE_XML \
	"Cops &amp; Robbers &lt;Late&gt; &quot;Night&quot; &apos;Live&apos;"
#define CH_NAME		"Late & <Night>"
#define CH_NAME_XML	"Late &amp; &lt;Night&gt;"
#define FILLER		"Off Air & Test Pattern"
#define FILLER_XML	"Off Air &amp; Test Pattern"

/* --- fixture ------------------------------------------------------------ */

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

static void
free_json(void *p)
{
	json_decref(p);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

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

static int
setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/rv-test-xmltv.XXXXXX");
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
	nftw(fx.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

static int64_t
q1(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int64_t
q1(const char *fmt, ...)
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
	rc = rv_db_prepare(fx.db, sql, &st, &err);
	free(sql);
	if (rc < 0)
		fail_msg("%s", err.msg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* --- catalog, channels, horizon ----------------------------------------- */

static void
add_asset(const char *id, const char *kind, const char *title,
    const char *series, int season, int episode, int year, const char *rating,
    const char *desc, int64_t duration_ms)
{
	struct rv_err err;
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(fx.db, "INSERT INTO assets (id, kind, state, title,"
	    " series_title, season, episode, year, rating, description,"
	    " duration_ms, path, source, source_name, added_ms, updated_ms)"
	    " VALUES (?1, ?2, 'ready', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " '/media/' || ?1 || '.mkv', 'folder', 'library', 0, 0)", &st,
	    &err) < 0)
		fail_msg("%s", err.msg);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	if (series)
		sqlite3_bind_text(st, 4, series, -1, SQLITE_STATIC);
	if (season >= 0)
		sqlite3_bind_int(st, 5, season);
	if (episode >= 0)
		sqlite3_bind_int(st, 6, episode);
	if (year > 0)
		sqlite3_bind_int(st, 7, year);
	if (rating)
		sqlite3_bind_text(st, 8, rating, -1, SQLITE_STATIC);
	if (desc)
		sqlite3_bind_text(st, 9, desc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, duration_ms);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		fail_msg("asset %s: %s", id, sqlite3_errmsg(fx.db));
}

/* "Cops": 2 seasons of 10 episodes of 22 min, "Bait & <Switch> N" with
 * quotes; two movies; ten commercials. */
static void
fill_catalog(void)
{
	char id[32], title[64];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "a-ep-s%02de%02d", i / 10 + 1,
		    i % 10 + 1);
		snprintf(title, sizeof(title), "Bait & <Switch> \"%d\" 's",
		    i + 1);
		add_asset(id, "episode", title, "Cops", i / 10 + 1, i % 10 + 1,
		    0, "TV-14", "Cops & robbers.", 22 * MIN);
	}
	add_asset("a-mv-1", "movie", "Heat & Dust", NULL, -1, -1, 1985, "R",
	    NULL, 90 * MIN);
	add_asset("a-mv-2", "movie", "Heat & Dust II", NULL, -1, -1, 1987, "R",
	    NULL, 90 * MIN);
	for (i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "a-spot-%02d", i);
		snprintf(title, sizeof(title), "Spot Commercial %02d", i);
		add_asset(id, "commercial", title, NULL, -1, -1, 0, NULL, NULL,
		    30 * SEC);
	}
}

static const char *
write_channel(const char *file, const char *id, int number, const char *zone)
{
	const char *path = keep("%s/%s.yaml", fx.dir, file);
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot write %s", path);
	fprintf(f,
	    "channel: \"%s\"\n"
	    "channel_number: %d\n"
	    "name: \"Late & <Night>\"\n"
	    "channel_type: network\n"
	    "timezone: %s\n"
	    "grid_minutes: 30\n"
	    "filler:\n"
	    "  path: /media/filler.mp4\n"
	    "  duration_ms: 600000\n"
	    "  title: \"" FILLER "\"\n"
	    "traffic:\n"
	    "  allowed_types: [commercial]\n"
	    "pools:\n"
	    "  cops:\n"
	    "    match:\n"
	    "      type: episode\n"
	    "      series_title: Cops\n"
	    "  films:\n"
	    "    match:\n"
	    "      type: movie\n"
	    "schedule:\n"
	    "  all_day:\n"
	    "    - block:\n"
	    "        start: \"06:00\"\n"
	    "        end: \"02:00\"\n"
	    "        title: \"Cops & Robbers <Late> \\\"Night\\\" 'Live'\"\n"
	    "        pool: cops\n"
	    "        mode: sequential\n"
	    "    - movie_block:\n"
	    "        start: \"02:00\"\n"
	    "        movie_selector: { pool: films }\n",
	    id, number, zone);
	fclose(f);
	return path;
}

/* Database, catalog, and the channel extended at `now`. */
static void
world(const char *id, int number, const char *zone, int64_t now)
{
	struct rv_horizon_policy pol = {
		.epg_ms = 3 * DAY, .exec_ms = 6 * HOUR,
		.locked_ms = 2 * HOUR, .retention_ms = 2 * DAY,
	};
	struct rv_diags *d = defer(free_diags, calloc(1, sizeof(*d)));
	struct rv_extend_result res;
	struct rv_channel *c;
	struct rv_err err;

	if (fx.db == NULL) {
		if (rv_db_open(keep("%s/rv.db", fx.dir), &fx.db, &err) < 0)
			fail_msg("%s", err.msg);
		defer(close_db, fx.db);
		fill_catalog();
		if (rv_catalog_load(fx.db, &fx.cat, &err) < 0)
			fail_msg("%s", err.msg);
		defer(free_catalog, fx.cat);
	}
	if (rv_channel_load(write_channel(keep("ch%d", number), id, number,
	    zone), NULL, &c, d) < 0)
		fail_msg("channel: %s", d->nerrors ? d->errors[0] : "?");
	defer(free_channel, c);
	if (rv_horizon_extend(fx.db, c, fx.cat, &pol, now, &res, d, &err) < 0)
		fail_msg("extend: %s (%s)", err.msg, d->nerrors ?
		    d->errors[0] : "");
}

/* The XMLTV of [from, to) for the channels given (NULL: all). */
static const char *
xmltv(const char *const *ids, int n, int64_t from, int64_t to)
{
	struct rv_err err;
	size_t len;
	char *buf;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fail_msg("open_memstream");
	rc = rv_xmltv_write(fx.db, ids, n, from, to, f, &err);
	fclose(f);
	defer(free, buf);
	if (rc < 0)
		fail_msg("rv_xmltv_write: %s", err.msg);
	return buf;
}

static const char *
guide_json(const char *const *ids, int n, int64_t from, int64_t to)
{
	struct rv_err err;
	size_t len;
	char *buf;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fail_msg("open_memstream");
	rc = rv_guide_json_write(fx.db, ids, n, from, to, f, &err);
	fclose(f);
	defer(free, buf);
	if (rc < 0)
		fail_msg("rv_guide_json_write: %s", err.msg);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The <programme> element whose start attribute is `start`. */
static const char *
programme(const char *xml, const char *start)
{
	const char *p, *e;

	p = strstr(xml, keep("<programme start=\"%s\"", start));
	if (p == NULL)
		fail_msg("no programme starts at %s", start);
	e = strstr(p, "</programme>");
	assert_non_null(e);
	return keep("%.*s", (int)(e - p + strlen("</programme>")), p);
}

/* The text between <tag> and </tag> of the first such element, or NULL. */
static const char *
element(const char *xml, const char *open, const char *close)
{
	const char *p, *e;

	if ((p = strstr(xml, open)) == NULL)
		return NULL;
	p += strlen(open);
	e = strstr(p, close);
	assert_non_null(e);
	return keep("%.*s", (int)(e - p), p);
}

/* --- tests --------------------------------------------------------------- */

static void
test_channel_id_from_slug(void **state)
{
	char id[64];

	(void)state;
	rv_xmltv_channel_id("late_night:legal", id, sizeof(id));
	assert_string_equal(id, "late-night-legal.retrovue");
	rv_xmltv_channel_id("cheers-24-7", id, sizeof(id));
	assert_string_equal(id, "cheers-24-7.retrovue");
	rv_xmltv_channel_id("a.b_c:d", id, sizeof(id));
	assert_string_equal(id, "a-b-c-d.retrovue");
	/* The suffix keeps its dot. */
	rv_xmltv_channel_id("x", id, sizeof(id));
	assert_string_equal(id, "x.retrovue");
	/* Truncated, still terminated. */
	rv_xmltv_channel_id("late_night:legal", id, 8);
	assert_string_equal(id, "late-ni");
}

/*
 * One broadcast day [06:00 EST, 06:00 EST next day): one <channel> with
 * its id, escaped display-name and number, and exactly one <programme>
 * per guide block in the range, 42, all with the channel's -0500 offset.
 */
static void
test_xmltv_one_channel_one_programme_per_guide_block(void **state)
{
	const char *ids[] = { CH };
	const char *x;
	int64_t blocks;

	(void)state;
	world(CH, 7, "America/New_York", T_JAN);
	blocks = q1("SELECT count(*) FROM program_blocks WHERE channel_id = '"
	    CH "' AND end_ms > %lld AND start_ms < %lld", (long long)T_JAN,
	    (long long)(T_JAN + DAY));
	assert_int_equal(blocks, 42);
	x = xmltv(ids, 1, T_JAN, T_JAN + DAY);

	assert_true(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	    38) == 0);
	assert_non_null(strstr(x, "<!DOCTYPE tv SYSTEM \"xmltv.dtd\">"));
	assert_int_equal(count(x, "<tv "), 1);
	assert_int_equal(count(x, "</tv>"), 1);
	assert_int_equal(count(x, "<channel "), 1);
	assert_int_equal(count(x, "<channel id=\"" CH_XID "\">"), 1);
	assert_string_equal(element(x, "<display-name>", "</display-name>"),
	    CH_NAME_XML);
	assert_int_equal(count(x, "<display-name>7</display-name>"), 1);
	assert_int_equal(count(x, "<icon "), 0);

	assert_int_equal(count(x, "<programme "), 42);
	assert_int_equal(count(x, "</programme>"), 42);
	assert_int_equal(count(x, "channel=\"" CH_XID "\""), 42);
	/* Every start and stop in EST. */
	assert_int_equal(count(x, " -0500\""), 2 * 42);
	assert_int_equal(count(x, "<programme start=\"20260105060000 -0500\""
	    " stop=\"20260105063000 -0500\" channel=\"" CH_XID "\">"), 1);
	/* The last episode slot, the movie, the filler, back to back. */
	assert_int_equal(count(x, "start=\"20260106013000 -0500\" stop="
	    "\"20260106020000 -0500\""), 1);
	assert_int_equal(count(x, "start=\"20260106020000 -0500\" stop="
	    "\"20260106033000 -0500\""), 1);
	assert_int_equal(count(x, "start=\"20260106033000 -0500\" stop="
	    "\"20260106060000 -0500\""), 1);
	assert_int_equal(count(x, "start=\"20260106060000"), 0);

	/* A narrower range: the programmes overlapping it, no more. */
	x = xmltv(ids, 1, T_JAN + 15 * MIN, T_JAN + HOUR + 15 * MIN);
	assert_int_equal(count(x, "<programme "), 3);
	assert_int_equal(count(x, "<channel "), 1);
	x = xmltv(ids, 1, T_JAN + 4 * DAY + HOUR, T_JAN + 5 * DAY);
	assert_int_equal(count(x, "<programme "), 0);
}

/*
 * An episode: the block's title, the episode title as sub-title, the
 * description, episode-num in xmltv_ns (zero-based, "season.episode.") and
 * onscreen (SxxEyy) forms, the rating; every & < > " ' escaped and none
 * raw inside any text.
 */
static void
test_xmltv_episode_fields_escaped(void **state)
{
	const char *ids[] = { CH };
	const char *x, *p;

	(void)state;
	world(CH, 7, "America/New_York", T_JAN);
	x = xmltv(ids, 1, T_JAN, T_JAN + DAY);

	/* 06:00: S01E01. */
	p = programme(x, "20260105060000 -0500");
	assert_string_equal(element(p, "<title>", "</title>"), SHOW_TITLE_XML);
	assert_string_equal(element(p, "<sub-title>", "</sub-title>"),
	    "Bait &amp; &lt;Switch&gt; &quot;1&quot; &apos;s");
	assert_string_equal(element(p, "<desc>", "</desc>"),
	    "Cops &amp; robbers.");
	assert_string_equal(element(p, "<episode-num system=\"xmltv_ns\">",
	    "</episode-num>"), "0.0.");
	assert_string_equal(element(p, "<episode-num system=\"onscreen\">",
	    "</episode-num>"), "S01E01");
	assert_string_equal(element(p, "<value>", "</value>"), "TV-14");
	assert_int_equal(count(p, "<rating>"), 1);

	/* 12:30 is the 14th slot: S02E04 (sequential, 10 a season). */
	p = programme(x, "20260105123000 -0500");
	assert_string_equal(element(p, "<sub-title>", "</sub-title>"),
	    "Bait &amp; &lt;Switch&gt; &quot;14&quot; &apos;s");
	assert_string_equal(element(p, "<episode-num system=\"xmltv_ns\">",
	    "</episode-num>"), "1.3.");
	assert_string_equal(element(p, "<episode-num system=\"onscreen\">",
	    "</episode-num>"), "S02E04");

	/* Nothing raw: the text never holds a quote, an apostrophe or a
	 * stray ampersand. */
	assert_null(strstr(x, "Cops & "));
	assert_null(strstr(x, "Bait & "));
	assert_null(strstr(x, "Late & "));
	assert_null(strstr(x, "<Switch>"));
	assert_null(strstr(x, "<Late>"));
	assert_null(strstr(x, "\"Night\""));
	assert_null(strstr(x, "'Live'"));
	assert_int_equal(count(x, "&"), count(x, "&amp;") + count(x, "&lt;") +
	    count(x, "&gt;") + count(x, "&quot;") + count(x, "&apos;"));
}

/*
 * The movie (02:00, 90 min): its own title, no sub-title and no
 * episode-num, its year and rating.  The filler (03:30-06:00): the
 * channel's filler title and nothing else.  Breaks are never programmes:
 * no spot's title appears, although the execution horizon has spots.
 */
static void
test_xmltv_movie_filler_and_no_breaks(void **state)
{
	const char *ids[] = { CH };
	const char *x, *p;

	(void)state;
	world(CH, 7, "America/New_York", T_JAN);
	x = xmltv(ids, 1, T_JAN, T_JAN + DAY);

	p = programme(x, "20260106020000 -0500");
	assert_non_null(strstr(p, "stop=\"20260106033000 -0500\""));
	assert_true(strcmp(element(p, "<title>", "</title>"),
	    "Heat &amp; Dust") == 0 || strcmp(element(p, "<title>",
	    "</title>"), "Heat &amp; Dust II") == 0);
	assert_null(element(p, "<sub-title>", "</sub-title>"));
	assert_null(strstr(p, "episode-num"));
	assert_string_equal(element(p, "<value>", "</value>"), "R");
	assert_non_null(strstr(p, "<date>198"));

	p = programme(x, "20260106033000 -0500");
	assert_non_null(strstr(p, "stop=\"20260106060000 -0500\""));
	assert_string_equal(element(p, "<title>", "</title>"), FILLER_XML);
	assert_null(element(p, "<sub-title>", "</sub-title>"));
	assert_null(strstr(p, "episode-num"));
	assert_null(strstr(p, "<rating>"));
	assert_null(strstr(p, "<desc>"));
	assert_int_equal(count(x, "<title>" FILLER_XML "</title>"), 1);

	/* The spots are on the air in the execution horizon … */
	assert_true(q1("SELECT count(*) FROM playout_segments WHERE type ="
	    " 'commercial'") > 0);
	/* … and nowhere in the guide. */
	assert_null(strstr(x, "Spot Commercial"));
	assert_null(strstr(x, "commercial"));
	assert_null(strstr(x, "pad"));
}

/* The offset is the channel's at each instant: EDT in July. */
static void
test_xmltv_offset_follows_zone_and_dst(void **state)
{
	const char *ids[] = { "summer" }, *ids_utc[] = { "utc-ch" };
	const char *x;

	(void)state;
	world("summer", 8, "America/New_York", T_JUL);
	x = xmltv(ids, 1, T_JUL, T_JUL + HOUR);
	assert_int_equal(count(x, "<programme "), 2);
	assert_int_equal(count(x, "<programme start=\"20260706060000 -0400\""
	    " stop=\"20260706063000 -0400\" channel=\"summer.retrovue\">"), 1);

	world("utc-ch", 9, "UTC", T_JUL - 4 * HOUR);
	x = xmltv(ids_utc, 1, T_JUL - 4 * HOUR, T_JUL - 3 * HOUR);
	assert_int_equal(count(x, "<programme start=\"20260706060000 +0000\""
	    " stop=\"20260706063000 +0000\" channel=\"utc-ch.retrovue\">"), 1);
	assert_int_equal(count(x, "<channel "), 1);
	assert_int_equal(count(x, "<programme "), 2);

	/* Every channel when none is named: both <channel>s, in number
	 * order, and each one's programmes. */
	x = xmltv(NULL, 0, T_JUL - 4 * HOUR, T_JUL + HOUR);
	assert_int_equal(count(x, "<channel "), 2);
	assert_true(strstr(x, "<channel id=\"summer.retrovue\">") <
	    strstr(x, "<channel id=\"utc-ch.retrovue\">"));
	assert_int_equal(count(x, "channel=\"summer.retrovue\""), 2);
	assert_int_equal(count(x, "channel=\"utc-ch.retrovue\""), 10);
}

/*
 * The JSON guide: one compact object per line per programme (42 for the
 * day), with the channel id, start_ms, end_ms, kind and title;
 * episode_title for episodes only; season and episode when known.
 */
static void
test_guide_json_one_object_per_programme(void **state)
{
	const char *ids[] = { CH };
	const char *s, *nl;
	json_error_t jerr;
	json_t *j, *first = NULL, *movie = NULL, *filler = NULL;
	int n = 0, programs = 0;

	(void)state;
	world(CH, 7, "America/New_York", T_JAN);
	s = guide_json(ids, 1, T_JAN, T_JAN + DAY);
	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		j = json_loadb(s, (size_t)(nl - s), 0, &jerr);
		if (j == NULL)
			fail_msg("line %d: %s", n + 1, jerr.text);
		defer(free_json, j);
		assert_true(json_is_object(j));
		assert_string_equal(json_string_value(json_object_get(j,
		    "channel")), CH);
		if (strcmp(json_string_value(json_object_get(j, "kind")),
		    "program") == 0)
			programs++;
		if (n == 0)
			first = j;
		if (json_integer_value(json_object_get(j, "start_ms")) ==
		    T_JAN + 20 * HOUR)
			movie = j;
		if (json_integer_value(json_object_get(j, "start_ms")) ==
		    T_JAN + 21 * HOUR + 30 * MIN)
			filler = j;
		n++;
	}
	assert_int_equal(n, 42);
	assert_int_equal(programs, 41);

	assert_non_null(first);
	assert_int_equal(json_integer_value(json_object_get(first,
	    "start_ms")), T_JAN);
	assert_int_equal(json_integer_value(json_object_get(first, "end_ms")),
	    T_JAN + 30 * MIN);
	assert_string_equal(json_string_value(json_object_get(first, "title")),
	    SHOW_TITLE);
	assert_string_equal(json_string_value(json_object_get(first,
	    "episode_title")), "Bait & <Switch> \"1\" 's");
	assert_int_equal(json_integer_value(json_object_get(first, "season")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(first, "episode")),
	    1);
	assert_string_equal(json_string_value(json_object_get(first,
	    "rating")), "TV-14");

	assert_non_null(movie);
	assert_string_equal(json_string_value(json_object_get(movie, "kind")),
	    "program");
	assert_int_equal(json_integer_value(json_object_get(movie, "end_ms")),
	    T_JAN + 21 * HOUR + 30 * MIN);
	assert_null(json_object_get(movie, "episode_title"));
	assert_null(json_object_get(movie, "season"));
	assert_string_equal(json_string_value(json_object_get(movie, "rating")),
	    "R");

	assert_non_null(filler);
	assert_string_equal(json_string_value(json_object_get(filler, "kind")),
	    "filler");
	assert_string_equal(json_string_value(json_object_get(filler,
	    "title")), FILLER);
	assert_int_equal(json_integer_value(json_object_get(filler, "end_ms")),
	    T_JAN + DAY);
	assert_null(json_object_get(filler, "episode_title"));
	assert_null(json_object_get(filler, "rating"));

	/* A channel not asked for: nothing. */
	ids[0] = "nobody";
	assert_string_equal(guide_json(ids, 1, T_JAN, T_JAN + DAY), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_channel_id_from_slug),
		TEST(test_xmltv_one_channel_one_programme_per_guide_block),
		TEST(test_xmltv_episode_fields_escaped),
		TEST(test_xmltv_movie_filler_and_no_breaks),
		TEST(test_xmltv_offset_follows_zone_and_dst),
		TEST(test_guide_json_one_object_per_programme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
