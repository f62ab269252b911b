/* Unit tests for lib/catalog and its aliases (lib/alias.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "db.h"

static sqlite3 *db;
static struct rv_catalog_writer *w;
static char warnings[4096];

static void
collect(void *arg, const char *msg)
{
	(void)arg;
	strlcat(warnings, msg, sizeof(warnings));
	strlcat(warnings, "\n", sizeof(warnings));
}

static int
setup(void **state)
{
	struct rv_err err;

	(void)state;
	warnings[0] = 0;
	if (rv_db_open(":memory:", &db, &err) < 0 ||
	    rv_catalog_writer_open(db, &w, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rv_catalog_writer_close(w);
	rv_db_close(db);
	return 0;
}

static void
put_episode(const char *path, const char *series, int year, int season,
    int episode, char id[RV_ASSET_ID])
{
	struct rv_asset_in a = {
		.source = "folder", .path = path, .kind = "episode",
		.title = "T", .series_title = series, .series_year = year,
		.season = season, .episode = episode, .year = 0,
		.size = 1, .mtime_ns = 1, .duration_ms = 1000,
	};
	struct rv_err err;

	if (rv_catalog_put(w, &a, 1000, id, &err) < 0)
		fail_msg("%s", err.msg);
}

static const char *
text(const char *sql)
{
	static char out[1024];
	sqlite3_stmt *st;
	struct rv_err err;

	assert_int_equal(rv_db_prepare(db, sql, &st, &err), 0);
	out[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (out[0])
			strlcat(out, "|", sizeof(out));
		strlcat(out, (const char *)sqlite3_column_text(st, 0),
		    sizeof(out));
	}
	sqlite3_finalize(st);
	return out;
}

static void
asset_id_derives_from_identity(void **state)
{
	char a[RV_ASSET_ID], b[RV_ASSET_ID], c[RV_ASSET_ID];

	(void)state;
	rv_catalog_asset_id("folder", "/m/x.mkv", a);
	rv_catalog_asset_id("folder", "/m/x.mkv", b);
	rv_catalog_asset_id("plex", "/m/x.mkv", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 18);
	assert_memory_equal(a, "a-", 2);
}

static void
put_twice_updates_in_place(void **state)
{
	char id1[RV_ASSET_ID], id2[RV_ASSET_ID];

	(void)state;
	put_episode("/tv/a.mkv", "Cheers", 0, 1, 1, id1);
	put_episode("/tv/a.mkv", "Cheers", 0, 1, 2, id2);
	assert_string_equal(id1, id2);
	assert_string_equal(text("SELECT count(*) || ' ' || episode FROM assets"),
	    "1 2");
}

static void
no_duration_means_failed(void **state)
{
	struct rv_asset_in a = {
		.source = "folder", .path = "/m/zero.mkv", .kind = "movie",
		.title = "Zero", .season = -1, .episode = -1,
	};
	char id[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_catalog_put(w, &a, 1, id, &err), 0);
	assert_string_equal(text("SELECT state || ':' || fail_reason FROM"
	    " assets"), "failed:no duration");
}

static void
genres_collections_chapters_and_markers_are_stored(void **state)
{
	const char *genres[] = { "Comedy", "comedy", "Drama", "" };
	const char *colls[] = { "80s", "Sitcoms" };
	struct rv_chapter ch[] = { { 0, 600000, "A" }, { 600000, 600000, NULL },
	    { 600000, 1200000, NULL } };
	struct rv_probe p = { .container = "matroska,webm",
	    .duration_ms = 1200000, .nchapters = 3, .chapters = ch,
	    .has_video = 1, .video_codec = "h264", .width = 640,
	    .height = 480, .fps_num = 30000, .fps_den = 1001,
	    .field_order = "unknown", .sar_num = 1, .sar_den = 1 };
	struct rv_marker mk[] = { { "intro", 0, 30000 }, { "credits",
	    1150000, 1200000 } };
	struct rv_asset_in a = {
		.source = "folder", .path = "/tv/c.mkv", .kind = "episode",
		.title = "Pilot", .series_title = "Cheers", .season = 1,
		.episode = 1, .probe = &p, .genres = genres, .ngenres = 4,
		.collections = colls, .ncollections = 2, .markers = mk,
		.nmarkers = 2,
	};
	struct rv_catalog *c;
	char id[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_catalog_put(w, &a, 5, id, &err), 0);
	assert_string_equal(text("SELECT genre FROM asset_genres ORDER BY 1"),
	    "Comedy|Drama");
	assert_string_equal(text("SELECT name FROM collections ORDER BY 1"),
	    "80s|Sitcoms");
	/* The zero-length chapter marks no break and is left out. */
	assert_string_equal(text("SELECT start_ms FROM chapters ORDER BY idx"),
	    "0|600000");
	assert_string_equal(text("SELECT kind FROM markers ORDER BY start_ms"),
	    "intro|credits");
	assert_string_equal(text("SELECT fps_num || '/' || fps_den ||"
	    " coalesce(field_order, '-') FROM assets"), "30000/1001-");
	assert_int_equal(rv_catalog_load(db, &c, &err), 0);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->assets[0].ngenres, 2);
	assert_int_equal(c->assets[0].ncollections, 2);
	assert_int_equal(c->assets[0].nchapters, 2);
	assert_int_equal(c->assets[0].chapters_ms[1], 600000);
	assert_int_equal(c->assets[0].duration_ms, 1200000);
	assert_ptr_equal(rv_catalog_find(c, id), &c->assets[0]);
	assert_null(rv_catalog_find(c, "a-none"));
	rv_catalog_free(c);
}

static void
load_holds_only_ready_assets(void **state)
{
	char a[RV_ASSET_ID], b[RV_ASSET_ID];
	struct rv_catalog *c;
	struct rv_err err;

	(void)state;
	put_episode("/tv/1.mkv", "X", 0, 1, 1, a);
	put_episode("/tv/2.mkv", "X", 0, 1, 2, b);
	assert_int_equal(rv_catalog_mark_missing(db, b, 9, &err), 0);
	assert_int_equal(rv_catalog_load(db, &c, &err), 0);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->assets[0].id, a);
	rv_catalog_free(c);
}

static void
shows_sharing_a_slug_get_their_years(void **state)
{
	char a[RV_ASSET_ID], b[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	put_episode("/tv/b78.mkv", "Battlestar Galactica", 1978, 1, 1, a);
	put_episode("/tv/b03.mkv", "Battlestar Galactica", 2003, 1, 1, b);
	assert_int_equal(rv_catalog_rebuild_aliases(db, collect, NULL, &err),
	    2);
	assert_string_equal(text("SELECT alias FROM aliases ORDER BY 1"),
	    "asset.battlestar_galactica_1978.s01e01|"
	    "asset.battlestar_galactica_2003.s01e01");
	assert_non_null(strstr(warnings, "share the alias slug "
	    "'battlestar_galactica'"));
}

static void
clash_the_year_cannot_settle_gets_no_alias(void **state)
{
	char a[RV_ASSET_ID], b[RV_ASSET_ID], c[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	put_episode("/tv/m1.mkv", "M*A*S*H", 0, 1, 1, a);
	put_episode("/tv/m2.mkv", "M A S H", 0, 1, 1, b);
	put_episode("/tv/ch.mkv", "Cheers", 0, 1, 1, c);
	assert_int_equal(rv_catalog_rebuild_aliases(db, collect, NULL, &err),
	    1);
	assert_string_equal(text("SELECT alias FROM aliases"),
	    "asset.cheers.s01e01");
	assert_non_null(strstr(warnings, "cannot be told apart"));
}

static void
duplicate_episode_keeps_alias_on_the_first_and_says_so(void **state)
{
	char a[RV_ASSET_ID], b[RV_ASSET_ID], first[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	put_episode("/tv/x1.mkv", "Cheers", 0, 1, 1, a);
	put_episode("/tv/x2.mkv", "Cheers", 0, 1, 1, b);
	snprintf(first, sizeof(first), "%s", strcmp(a, b) < 0 ? a : b);
	assert_int_equal(rv_catalog_rebuild_aliases(db, collect, NULL, &err),
	    1);
	assert_string_equal(text("SELECT asset_id FROM aliases"), first);
	assert_non_null(strstr(warnings, "is also asset.cheers.s01e01"));
}

static void
plex_items_get_a_plex_alias(void **state)
{
	struct rv_asset_in p = {
		.source = "plex", .path = "/p/m.mkv", .plex_rating_key = 4242,
		.kind = "movie", .title = "M", .season = -1, .episode = -1,
		.duration_ms = 5,
	};
	char id[RV_ASSET_ID], found[RV_ASSET_ID];
	struct rv_err err;

	(void)state;
	assert_int_equal(rv_catalog_put(w, &p, 1, id, &err), 0);
	assert_int_equal(rv_catalog_rebuild_aliases(db, NULL, NULL, &err), 1);
	assert_int_equal(rv_catalog_resolve(db, "plex://4242", found, &err), 0);
	assert_string_equal(found, id);
	assert_int_equal(rv_catalog_resolve(db, id, found, &err), 0);
	assert_int_equal(rv_catalog_resolve(db, "/p/m.mkv", found, &err), 0);
	assert_string_equal(found, id);
	assert_int_equal(rv_catalog_resolve(db, "nothing", found, &err), -1);
	assert_non_null(strstr(err.msg, "no asset is named 'nothing'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(asset_id_derives_from_identity),
		cmocka_unit_test_setup_teardown(put_twice_updates_in_place,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(no_duration_means_failed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    genres_collections_chapters_and_markers_are_stored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(load_holds_only_ready_assets,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    shows_sharing_a_slug_get_their_years, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    clash_the_year_cannot_settle_gets_no_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    duplicate_episode_keeps_alias_on_the_first_and_says_so,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(plex_items_get_a_plex_alias,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
