/* Unit tests for lib/plex: importing a Plex library database into the
 * catalog.  Each test builds a small Plex-schema database with the tables
 * and columns of shared/reference/plex-library-db.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "db.h"
#include "plex.h"

#define NOBODY	65534

struct fixture {
	char		 dir[PATH_MAX];
	char		 plex[PATH_MAX];	/* dir/a name to escape */
	sqlite3		*db;		/* ours: dir/retrovue.db */
	char		 warnings[8192];	/* one a line */
	int		 nwarnings;
};

static const char plex_schema[] =
    "CREATE TABLE library_sections (id INTEGER PRIMARY KEY, name TEXT,"
    " section_type INTEGER, language TEXT, agent TEXT, scanner TEXT,"
    " uuid TEXT, created_at INTEGER, updated_at INTEGER);"
    "CREATE TABLE metadata_items (id INTEGER PRIMARY KEY,"
    " library_section_id INTEGER, parent_id INTEGER, metadata_type INTEGER,"
    " guid TEXT, title TEXT, title_sort TEXT, original_title TEXT,"
    " studio TEXT, rating REAL, summary TEXT, content_rating TEXT,"
    " \"index\" INTEGER, absolute_index INTEGER, duration INTEGER,"
    " tags_genre TEXT, tags_collection TEXT,"
    " originally_available_at INTEGER, year INTEGER, added_at INTEGER,"
    " created_at INTEGER, updated_at INTEGER, deleted_at INTEGER,"
    " user_thumb_url TEXT, hash TEXT, edition_title TEXT);"
    "CREATE TABLE media_items (id INTEGER PRIMARY KEY,"
    " library_section_id INTEGER, metadata_item_id INTEGER, width INTEGER,"
    " height INTEGER, size INTEGER, duration INTEGER, bitrate INTEGER,"
    " container TEXT, video_codec TEXT, audio_codec TEXT,"
    " display_aspect_ratio REAL, frames_per_second REAL,"
    " audio_channels INTEGER, interlaced INTEGER, deleted_at INTEGER,"
    " media_analysis_version INTEGER);"
    "CREATE TABLE media_parts (id INTEGER PRIMARY KEY,"
    " media_item_id INTEGER, directory_id INTEGER, hash TEXT, file TEXT,"
    " \"index\" INTEGER, size INTEGER, duration INTEGER, created_at INTEGER,"
    " updated_at INTEGER, deleted_at INTEGER, extra_data TEXT);"
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, metadata_item_id INTEGER,"
    " tag TEXT, tag_type INTEGER, key TEXT, parent_id INTEGER,"
    " extra_data TEXT);"
    "CREATE TABLE taggings (id INTEGER PRIMARY KEY,"
    " metadata_item_id INTEGER, tag_id INTEGER, \"index\" INTEGER,"
    " text TEXT, time_offset INTEGER, end_time_offset INTEGER,"
    " extra_data TEXT);";

/*
 * Two TV libraries and a movie library.  Cheers (1982) has two seasons,
 * a collection on the show and on season 1, a genre on the show; its
 * episodes cover each skip (deleted item, deleted part, no media, zero
 * duration) and each duration source.  Two shows are both called
 * Battlestar Galactica (1978, 2003).  Episode 400's season is missing.
 * Movie 501 has two parts, listed out of order; 502 has a deleted
 * version and a live one; 600 is a trailer (not a movie).
 */
static const char plex_rows[] =
    "INSERT INTO library_sections (id, name, section_type) VALUES"
    " (1, 'TV Shows', 2), (2, 'Classic TV', 2), (3, 'Movies', 1);"
    "INSERT INTO metadata_items (id, library_section_id, parent_id,"
    " metadata_type, title, year, content_rating, summary, \"index\","
    " duration, deleted_at) VALUES"
    " (100, 1, NULL, 2, 'Cheers', 1982, 'TV-PG', 'A bar.', NULL, NULL, NULL),"
    " (101, 1, 100, 3, 'Season 1', NULL, NULL, NULL, 1, NULL, NULL),"
    " (102, 1, 101, 4, 'Give Me a Ring Sometime', 1982, NULL,"
    "  'Diane meets Sam.', 1, 1500000, NULL),"
    " (103, 1, 101, 4, 'Sams Women', NULL, 'TV-14', NULL, 2, NULL, NULL),"
    " (104, 1, 101, 4, 'Deleted Item', 1982, NULL, NULL, 3, 1500000,"
    "  1700000000),"
    " (105, 1, 101, 4, 'Deleted Part', 1982, NULL, NULL, 4, 1500000, NULL),"
    " (106, 1, 100, 3, 'Season 2', NULL, NULL, NULL, 2, NULL, NULL),"
    " (107, 1, 106, 4, 'No Media', 1983, NULL, NULL, 1, 1500000, NULL),"
    " (108, 1, 106, 4, 'Zero Duration', 1983, NULL, NULL, 2, 0, NULL),"
    " (109, 1, 106, 4, 'Duration From Item', 1983, NULL, NULL, 3, 1400000,"
    "  NULL),"
    " (200, 1, NULL, 2, 'Battlestar Galactica', 1978, 'TV-PG', NULL, NULL,"
    "  NULL, NULL),"
    " (201, 1, 200, 3, 'Season 1', NULL, NULL, NULL, 1, NULL, NULL),"
    " (202, 1, 201, 4, 'Saga of a Star World', 1978, NULL, NULL, 1, NULL,"
    "  NULL),"
    " (300, 2, NULL, 2, 'Battlestar Galactica', 2003, 'TV-14', NULL, NULL,"
    "  NULL, NULL),"
    " (301, 2, 300, 3, 'Season 1', NULL, NULL, NULL, 1, NULL, NULL),"
    " (302, 2, 301, 4, '33', 2004, NULL, NULL, 1, NULL, NULL),"
    " (400, 2, 999, 4, 'Lost Episode', 2004, NULL, NULL, 5, 1000, NULL),"
    " (500, 3, NULL, 1, 'Airplane!', 1980, 'PG',"
    "  'Surely you cannot be serious.', NULL, 5300000, NULL),"
    " (501, 3, NULL, 1, 'Long Movie', 1999, 'R', NULL, NULL, 7200000, NULL),"
    " (502, 3, NULL, 1, 'Replaced Movie', 2001, NULL, NULL, NULL, NULL,"
    "  NULL),"
    " (503, 3, NULL, 1, 'Undated', 0, '', '', NULL, NULL, NULL),"
    " (600, 3, 500, 12, 'Trailer', 1980, NULL, NULL, NULL, 120000, NULL);"
    "INSERT INTO media_items (id, metadata_item_id, duration, deleted_at)"
    " VALUES (1020, 102, 1500000, NULL), (1030, 103, NULL, NULL),"
    " (1040, 104, 1500000, NULL), (1050, 105, 1500000, NULL),"
    " (1080, 108, 0, NULL), (1090, 109, NULL, NULL),"
    " (2020, 202, 2940000, NULL), (3020, 302, 2580000, NULL),"
    " (4000, 400, 1000, NULL), (5000, 500, 5280000, NULL),"
    " (5010, 501, 7200000, NULL), (5020, 502, 5000000, 1700000000),"
    " (5021, 502, 6000000, NULL), (5030, 503, 4000000, NULL),"
    " (6000, 600, 120000, NULL);"
    "INSERT INTO media_parts (id, media_item_id, file, \"index\", duration,"
    " deleted_at, size) VALUES"
    " (10200, 1020, '/data/tv/Cheers/S01E01.mkv', 0, 1499000, NULL,"
    "  700000000),"
    " (10300, 1030, '/data/tv/Cheers/S01E02.mkv', 0, 1490000, NULL, NULL),"
    " (10400, 1040, '/data/tv/Cheers/S01E03.mkv', 0, 1500000, NULL, NULL),"
    " (10500, 1050, '/data/tv/Cheers/S01E04.mkv', 0, 1500000, 1700000000,"
    "  NULL),"
    " (10800, 1080, '/data/tv/Cheers/S02E02.mkv', 0, 0, NULL, NULL),"
    " (10900, 1090, '/data/tv/Cheers/S02E03.mkv', 0, NULL, NULL, NULL),"
    " (20200, 2020, '/data/tv/BSG1978/s01e01.mkv', 0, NULL, NULL, NULL),"
    " (30200, 3020, '/data/tvshows/BSG/s01e01.mkv', 0, NULL, NULL, NULL),"
    " (40000, 4000, '/data/tv/lost.mkv', 0, 1000, NULL, NULL),"
    " (50000, 5000, '/data/movies/Airplane (1980)/Airplane.mkv', 0, NULL,"
    "  NULL, NULL),"
    " (50100, 5010, '/data/movies/Long/cd2.avi', 2, 3500000, NULL, NULL),"
    " (50101, 5010, '/data/movies/Long/cd1.avi', 1, 3700000, NULL, NULL),"
    " (50200, 5020, '/data/movies/old.mkv', 0, NULL, NULL, NULL),"
    " (50210, 5021, '/data/movies/new.mkv', 0, NULL, NULL, NULL),"
    " (50300, 5030, '/data/movies/undated.mkv', 0, NULL, NULL, NULL),"
    " (60000, 6000, '/data/movies/trailer.mkv', 0, NULL, NULL, NULL);"
    "INSERT INTO tags (id, tag, tag_type) VALUES"
    " (1, 'Comedy', 1), (2, 'comedy', 1), (3, 'Parody', 1), (4, 'Sci-Fi', 1),"
    " (10, 'Sitcoms', 2), (11, 'Cheers Season 1', 2), (12, 'Pilots', 2),"
    " (13, 'Zucker Films', 2), (20, '', 12), (21, 'credits', 12),"
    " (30, 'Leslie Nielsen', 6), (40, 'Some New Kind', 300);"
    "INSERT INTO taggings (id, metadata_item_id, tag_id, \"index\", text,"
    " time_offset, end_time_offset) VALUES"
    " (1, 100, 1, 0, NULL, NULL, NULL), (2, 100, 10, 0, NULL, NULL, NULL),"
    " (3, 101, 11, 0, NULL, NULL, NULL), (4, 102, 2, 0, NULL, NULL, NULL),"
    " (5, 102, 12, 0, NULL, NULL, NULL),"
    " (6, 102, 20, 0, 'intro', 0, 30000),"
    " (7, 102, 20, 1, 'credits', 1400000, 1500000),"
    " (8, 102, 20, 2, 'recap', 100, 200),"
    " (9, 200, 4, 0, NULL, NULL, NULL), (10, 300, 4, 0, NULL, NULL, NULL),"
    " (11, 500, 1, 0, NULL, NULL, NULL), (12, 500, 3, 1, NULL, NULL, NULL),"
    " (13, 500, 13, 0, NULL, NULL, NULL),"
    " (14, 500, 21, 0, NULL, 5100000, 5280000),"
    " (15, 500, 30, 0, NULL, NULL, NULL), (16, 500, 40, 0, NULL, NULL, NULL),"
    " (17, 302, 20, 0, 'Intro', 60000, 90000);";

/* The two maps every import in these tests uses: the longer wins. */
static const char *const map_args[] = { "/data/tv=/mnt/tv",
    "/data/tv/Cheers/=/mnt/cheers" };

static const char *
join(char *buf, size_t size, const char *dir, const char *name)
{
	if (snprintf(buf, size, "%s/%s", dir, name) >= (int)size)
		fail_msg("path too long");
	return buf;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* Build the Plex database at path in journal mode mode, closed cleanly. */
static void
make_plex(const char *path, const char *mode)
{
	char sql[64];
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = %s", mode);
	raw_exec(db, sql);
	raw_exec(db, plex_schema);
	raw_exec(db, plex_rows);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Change the Plex database at path. */
static void
plex_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	raw_exec(db, sql);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct rv_err err = { "" };
	char path[PATH_MAX];

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/test_plex.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	join(fx->plex, sizeof(fx->plex), fx->dir, "Plex #1 (100%)?.db");
	if (rv_db_open(join(path, sizeof(path), fx->dir, "retrovue.db"),
	    &fx->db, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	int rc;

	rv_db_close(fx->db);
	rc = nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return rc;
}

static void
collect(void *arg, const char *msg)
{
	struct fixture *fx = arg;
	size_t n = strlen(fx->warnings);

	snprintf(fx->warnings + n, sizeof(fx->warnings) - n, "%s\n", msg);
	fx->nwarnings++;
}

/* Import fx->plex into fx->db with the two maps at now_ms. */
static void
import_ok(struct fixture *fx, int64_t now_ms, struct rv_plex_stats *st)
{
	struct rv_plex_map maps[2];
	struct rv_err err = { "" };
	int rc;

	assert_int_equal(rv_plex_map_parse(map_args[0], &maps[0], &err), 0);
	assert_int_equal(rv_plex_map_parse(map_args[1], &maps[1], &err), 0);
	fx->warnings[0] = '\0';
	fx->nwarnings = 0;
	rc = rv_plex_import(fx->db, fx->plex, maps, 2, now_ms, st, collect,
	    fx, &err);
	rv_plex_map_free(&maps[0]);
	rv_plex_map_free(&maps[1]);
	if (rc != 0)
		fail_msg("rv_plex_import: %s", err.msg);
}

/* The import must fail with a message containing want and the path. */
static void
import_fails(struct fixture *fx, const char *path, const char *want)
{
	struct rv_err err = { "" };

	assert_int_equal(rv_plex_import(fx->db, path, NULL, 0, 1000, NULL,
	    NULL, NULL, &err), -1);
	if (strstr(err.msg, want) == NULL || strstr(err.msg, path) == NULL)
		fail_msg("\"%s\" lacks \"%s\" or the path", err.msg, want);
}

/* The text of the first column of the first row of sql with ?1 = arg
 * (NULL: "NULL"; no row: "no row"), into buf. */
static const char *
text_of(sqlite3 *db, const char *sql, const char *arg, char *buf,
    size_t size)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(buf, size, "%s", sqlite3_column_text(st, 0));
	else
		snprintf(buf, size, "%s", rc == SQLITE_ROW ? "NULL" : "no row");
	sqlite3_finalize(st);
	return buf;
}

static long long
count(sqlite3 *db, const char *sql)
{
	char buf[64];

	return atoll(text_of(db, sql, NULL, buf, sizeof(buf)));
}

/* The asset id of a Plex ratingKey. */
static const char *
id_of(const char *key, char id[RV_ASSET_ID])
{
	rv_catalog_asset_id("plex", key, id);
	return id;
}

static void
expect(sqlite3 *db, const char *sql, const char *key, const char *want)
{
	char id[RV_ASSET_ID], got[2048];

	text_of(db, sql, id_of(key, id), got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("plex://%s: got \"%s\", want \"%s\" from %s", key, got,
		    want, sql);
}

static const char fields_sql[] =
    "SELECT kind || '|' || state || '|' || title || '|' ||"
    " ifnull(series_title, '-') || '|' || ifnull(series_year, '-') || '|' ||"
    " ifnull(season, '-') || '|' || ifnull(episode, '-') || '|' ||"
    " ifnull(year, '-') || '|' || ifnull(rating, '-') || '|' ||"
    " ifnull(description, '-') || '|' || duration_ms || '|' || path || '|' ||"
    " source || '|' || ifnull(source_name, '-') || '|' || plex_rating_key"
    " FROM assets WHERE id = ?1";
static const char genres_sql[] =
    "SELECT ifnull(group_concat(genre, ','), '') FROM (SELECT genre"
    " FROM asset_genres WHERE asset_id = ?1 ORDER BY genre)";
static const char collections_sql[] =
    "SELECT ifnull(group_concat(name, ','), '') FROM (SELECT name"
    " FROM asset_collections JOIN collections"
    " ON collections.id = collection_id WHERE asset_id = ?1 ORDER BY name)";
static const char markers_sql[] =
    "SELECT ifnull(group_concat(kind || ':' || start_ms || '-' || end_ms,"
    " ','), '') FROM (SELECT kind, start_ms, end_ms FROM markers"
    " WHERE asset_id = ?1 ORDER BY start_ms)";
static const char aliases_sql[] =
    "SELECT ifnull(group_concat(alias, ','), '') FROM (SELECT alias"
    " FROM aliases WHERE asset_id = ?1 ORDER BY alias)";

struct want {
	const char *key, *fields, *genres, *collections, *markers, *aliases;
};

static const struct want wants[] = {
	{ "102", "episode|ready|Give Me a Ring Sometime|Cheers|1982|1|1|1982|"
	    "TV-PG|Diane meets Sam.|1500000|/mnt/cheers/S01E01.mkv|plex|"
	    "TV Shows|102", "comedy", "Cheers Season 1,Pilots,Sitcoms",
	    "intro:0-30000,credits:1400000-1500000",
	    "asset.cheers.s01e01,plex://102" },
	{ "103", "episode|ready|Sams Women|Cheers|1982|1|2|-|TV-14|-|1490000|"
	    "/mnt/cheers/S01E02.mkv|plex|TV Shows|103", "Comedy",
	    "Cheers Season 1,Sitcoms", "", "asset.cheers.s01e02,plex://103" },
	{ "109", "episode|ready|Duration From Item|Cheers|1982|2|3|1983|TV-PG|"
	    "-|1400000|/mnt/cheers/S02E03.mkv|plex|TV Shows|109", "Comedy",
	    "Sitcoms", "", "asset.cheers.s02e03,plex://109" },
	{ "202", "episode|ready|Saga of a Star World|Battlestar Galactica|1978|"
	    "1|1|1978|TV-PG|-|2940000|/mnt/tv/BSG1978/s01e01.mkv|plex|"
	    "TV Shows|202", "Sci-Fi", "", "",
	    "asset.battlestar_galactica_1978.s01e01,plex://202" },
	{ "302", "episode|ready|33|Battlestar Galactica|2003|1|1|2004|TV-14|-|"
	    "2580000|/data/tvshows/BSG/s01e01.mkv|plex|Classic TV|302",
	    "Sci-Fi", "", "intro:60000-90000",
	    "asset.battlestar_galactica_2003.s01e01,plex://302" },
	{ "500", "movie|ready|Airplane!|-|-|-|-|1980|PG|"
	    "Surely you cannot be serious.|5280000|"
	    "/data/movies/Airplane (1980)/Airplane.mkv|plex|Movies|500",
	    "Comedy,Parody", "Zucker Films", "credits:5100000-5280000",
	    "plex://500" },
	{ "501", "movie|ready|Long Movie|-|-|-|-|1999|R|-|3700000|"
	    "/data/movies/Long/cd1.avi|plex|Movies|501", "", "", "",
	    "plex://501" },
	{ "502", "movie|ready|Replaced Movie|-|-|-|-|2001|-|-|6000000|"
	    "/data/movies/new.mkv|plex|Movies|502", "", "", "", "plex://502" },
	{ "503", "movie|ready|Undated|-|-|-|-|-|-|-|4000000|"
	    "/data/movies/undated.mkv|plex|Movies|503", "", "", "",
	    "plex://503" },
};

static void
import_stores_every_field_of_movies_and_episodes_exactly(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		expect(fx->db, fields_sql, wants[i].key, wants[i].fields);
		expect(fx->db, genres_sql, wants[i].key, wants[i].genres);
		expect(fx->db, collections_sql, wants[i].key,
		    wants[i].collections);
		expect(fx->db, markers_sql, wants[i].key, wants[i].markers);
		expect(fx->db, aliases_sql, wants[i].key, wants[i].aliases);
	}
	/* Nothing else came in: not the skipped rows, not the trailer. */
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM aliases"), 14);
}

static void
import_counts_movies_episodes_and_every_kind_of_skip(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, &st);
	assert_int_equal(st.movies, 4);
	assert_int_equal(st.episodes, 5);
	assert_int_equal(st.added, 9);
	assert_int_equal(st.updated, 0);
	assert_int_equal(st.removed, 0);
	assert_int_equal(st.skipped_deleted, 2);	/* 104 item, 105 part */
	assert_int_equal(st.skipped_unplayable, 2);	/* 107, 108 */
	assert_int_equal(st.skipped_orphans, 1);	/* 400 */
	assert_int_equal(st.multipart, 1);		/* 501 */
}

static void
same_titled_shows_get_their_year_in_the_alias_and_a_warning(void **state)
{
	struct fixture *fx = *state;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	expect(fx->db, aliases_sql, "202",
	    "asset.battlestar_galactica_1978.s01e01,plex://202");
	expect(fx->db, aliases_sql, "302",
	    "asset.battlestar_galactica_2003.s01e01,plex://302");
	if (strstr(fx->warnings, "asset.battlestar_galactica_1978") == NULL ||
	    strstr(fx->warnings, "asset.battlestar_galactica_2003") == NULL)
		fail_msg("no clash warning in:\n%s", fx->warnings);
}

static void
orphan_episode_and_multipart_item_are_each_warned_about(void **state)
{
	struct fixture *fx = *state;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	if (strstr(fx->warnings, "plex://400 'Lost Episode'") == NULL ||
	    strstr(fx->warnings, "plex://501 'Long Movie' has 2 parts") == NULL)
		fail_msg("warnings lack 400 or 501:\n%s", fx->warnings);
	/* Two for the clash, one each for 400 and 501. */
	assert_int_equal(fx->nwarnings, 4);
}

static void
reimport_updates_in_place_and_marks_what_plex_removed_gone(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	plex_exec(fx->plex,
	    "UPDATE metadata_items"
	    " SET title = 'Give Me a Ring Sometime (Pilot)' WHERE id = 102;"
	    "UPDATE metadata_items SET deleted_at = 1700000001 WHERE id = 103;"
	    "DELETE FROM metadata_items WHERE id = 503;"
	    "DELETE FROM taggings WHERE id = 6;");
	import_ok(fx, 2000, &st);
	assert_int_equal(st.movies, 3);
	assert_int_equal(st.episodes, 4);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.updated, 7);
	assert_int_equal(st.removed, 2);
	assert_int_equal(st.skipped_deleted, 3);
	/* Same row, same id: first seen at 1000, changed at 2000. */
	expect(fx->db, "SELECT title || '|' || added_ms || '|' || updated_ms"
	    " FROM assets WHERE id = ?1", "102",
	    "Give Me a Ring Sometime (Pilot)|1000|2000");
	expect(fx->db, markers_sql, "102", "credits:1400000-1500000");
	expect(fx->db, "SELECT state FROM assets WHERE id = ?1", "103",
	    "missing");
	expect(fx->db, "SELECT state FROM assets WHERE id = ?1", "503",
	    "missing");
	/* Kept, not deleted: plans may name it, and its alias still works. */
	expect(fx->db, "SELECT count(*) FROM aliases WHERE asset_id = ?1"
	    " AND alias = 'plex://503'", "503", "1");
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
	/* Importing again removes nothing more. */
	import_ok(fx, 3000, &st);
	assert_int_equal(st.removed, 0);
	assert_int_equal(st.updated, 7);
}

static void
asset_plex_brings_back_is_ready_again(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	plex_exec(fx->plex, "UPDATE metadata_items SET deleted_at = 1"
	    " WHERE id = 103");
	import_ok(fx, 2000, NULL);
	expect(fx->db, "SELECT state FROM assets WHERE id = ?1", "103",
	    "missing");
	plex_exec(fx->plex, "UPDATE metadata_items SET deleted_at = NULL"
	    " WHERE id = 103");
	import_ok(fx, 3000, &st);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.updated, 9);
	assert_int_equal(st.removed, 0);
	expect(fx->db, "SELECT state || '|' || ifnull(fail_reason, '-')"
	    " FROM assets WHERE id = ?1", "103", "ready|-");
}

static void
emptied_plex_library_leaves_every_plex_asset_missing(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	plex_exec(fx->plex, "DELETE FROM library_sections;"
	    "DELETE FROM metadata_items; DELETE FROM media_items;"
	    "DELETE FROM media_parts; DELETE FROM tags; DELETE FROM taggings;");
	import_ok(fx, 2000, &st);
	assert_int_equal(st.movies + st.episodes + st.added + st.updated, 0);
	assert_int_equal(st.removed, 9);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"
	    " WHERE state = 'missing'"), 9);
}

static void
plex_writer_holding_a_transaction_is_not_disturbed(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;
	sqlite3 *plex;

	make_plex(fx->plex, "WAL");
	assert_int_equal(sqlite3_open(fx->plex, &plex), SQLITE_OK);
	raw_exec(plex, "BEGIN IMMEDIATE;"
	    "INSERT INTO metadata_items (id, library_section_id,"
	    " metadata_type, title, duration) VALUES (700, 3, 1, 'Pending',"
	    " 100000);"
	    "INSERT INTO media_items (id, metadata_item_id, duration)"
	    " VALUES (7000, 700, 100000);"
	    "INSERT INTO media_parts (id, media_item_id, file, \"index\")"
	    " VALUES (70000, 7000, '/data/movies/pending.mkv', 0);");
	import_ok(fx, 1000, &st);
	assert_int_equal(st.movies, 4);	/* the last commit's view */
	assert_int_equal(sqlite3_exec(plex, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(plex), SQLITE_OK);
	import_ok(fx, 2000, &st);
	assert_int_equal(st.movies, 5);
	assert_int_equal(st.added, 1);
}

static int
exists(const char *path, const char *suffix)
{
	char name[PATH_MAX + 16];
	struct stat st;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	return stat(name, &st) == 0;
}

static void
idle_wal_database_is_read_without_creating_files_beside_it(void **state)
{
	struct fixture *fx = *state;

	make_plex(fx->plex, "WAL");
	assert_false(exists(fx->plex, "-wal"));
	import_ok(fx, 1000, NULL);
	assert_false(exists(fx->plex, "-wal"));
	assert_false(exists(fx->plex, "-shm"));
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
}

static void
rollback_journal_database_imports(void **state)
{
	struct fixture *fx = *state;

	make_plex(fx->plex, "DELETE");
	import_ok(fx, 1000, NULL);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
	assert_false(exists(fx->plex, "-journal"));
}

static void
copy(const char *from, const char *to)
{
	char buf[8192];
	FILE *in, *out;
	size_t n;

	assert_non_null(in = fopen(from, "rb"));
	assert_non_null(out = fopen(to, "wb"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	assert_int_equal(fclose(in), 0);
	assert_int_equal(fclose(out), 0);
}

/*
 * dir/ro/plex.db and its -wal holding a committed movie (700), copied
 * while the writer is open so that no checkpoint empties the log, and
 * its -shm when with_shm.
 */
static void
make_wal_copy(struct fixture *fx, char *ro, size_t size, int with_shm)
{
	char src[PATH_MAX], from[PATH_MAX + 8], to[PATH_MAX + 16];
	sqlite3 *plex;

	join(src, sizeof(src), fx->dir, "src.db");
	make_plex(src, "WAL");
	assert_int_equal(sqlite3_open(src, &plex), SQLITE_OK);
	raw_exec(plex, "PRAGMA wal_autocheckpoint = 0;"
	    "INSERT INTO metadata_items (id, library_section_id,"
	    " metadata_type, title) VALUES (700, 3, 1, 'Only In The Log');"
	    "INSERT INTO media_items (id, metadata_item_id, duration)"
	    " VALUES (7000, 700, 100000);"
	    "INSERT INTO media_parts (id, media_item_id, file, \"index\")"
	    " VALUES (70000, 7000, '/data/movies/log.mkv', 0);");
	join(ro, size, fx->dir, "ro");
	assert_int_equal(mkdir(ro, 0755), 0);
	copy(src, join(to, sizeof(to), ro, "plex.db"));
	snprintf(from, sizeof(from), "%s-wal", src);
	copy(from, join(to, sizeof(to), ro, "plex.db-wal"));
	snprintf(from, sizeof(from), "%s-shm", src);
	if (with_shm)
		copy(from, join(to, sizeof(to), ro, "plex.db-shm"));
	assert_int_equal(sqlite3_close(plex), SQLITE_OK);
}

/* A folder for the import's copies: TMPDIR while the test runs. */
static const char *
private_tmp(struct fixture *fx, char *tmp, size_t size)
{
	join(tmp, size, fx->dir, "tmp");
	assert_int_equal(mkdir(tmp, 0755), 0);
	assert_int_equal(chmod(tmp, 01777), 0);
	return tmp;
}

static void
wal_without_shm_is_read_through_a_copy_creating_nothing(void **state)
{
	struct fixture *fx = *state;
	char ro[PATH_MAX], tmp[PATH_MAX], *old = getenv("TMPDIR");
	struct rv_plex_stats st;

	make_wal_copy(fx, ro, sizeof(ro), 0);
	join(fx->plex, sizeof(fx->plex), ro, "plex.db");
	old = old != NULL ? strdup(old) : NULL;
	setenv("TMPDIR", private_tmp(fx, tmp, sizeof(tmp)), 1);
	import_ok(fx, 1000, &st);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	assert_int_equal(st.movies, 5);	/* 700 is only in the -wal */
	assert_false(exists(fx->plex, "-shm"));
	assert_int_equal(rmdir(tmp), 0);	/* the copy is gone */
}

/* In a child that cannot write folder ro (root becomes nobody), import
 * ro/plex.db into a memory database; exit 0 when movie 700 came in, 77
 * when the child cannot even reach the file. */
static void
import_as_reader(const char *plex, const char *tmp)
{
	struct rv_plex_stats st;
	struct rv_err err = { "" };
	struct stat sb;
	sqlite3 *db;

	if (geteuid() == 0 && (setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
		_exit(77);
	if (stat(plex, &sb) != 0)
		_exit(77);
	setenv("TMPDIR", tmp, 1);
	if (rv_db_open(":memory:", &db, &err) != 0 ||
	    rv_plex_import(db, plex, NULL, 0, 1000, &st, NULL, NULL,
	    &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		_exit(1);
	}
	rv_db_close(db);
	_exit(st.movies == 5 ? 0 : 2);
}

static void
unusable_shm_in_read_only_folder_is_read_through_a_copy(void **state)
{
	struct fixture *fx = *state;
	char ro[PATH_MAX], plex[PATH_MAX], shm[PATH_MAX + 8], tmp[PATH_MAX];
	int status;
	pid_t pid;

	make_wal_copy(fx, ro, sizeof(ro), 1);
	join(plex, sizeof(plex), ro, "plex.db");
	snprintf(shm, sizeof(shm), "%s-shm", plex);
	private_tmp(fx, tmp, sizeof(tmp));
	assert_int_equal(chmod(shm, 0), 0);
	assert_int_equal(chmod(fx->dir, 0755), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	fflush(NULL);
	if ((pid = fork()) == 0)
		import_as_reader(plex, tmp);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(ro, 0755), 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		skip();
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(rmdir(tmp), 0);	/* the copy is gone */
}

static void
file_that_is_not_a_database_is_refused_naming_it(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX], text[300];
	FILE *f;

	make_plex(fx->plex, "WAL");
	import_ok(fx, 1000, NULL);
	join(path, sizeof(path), fx->dir, "notes.txt");
	memset(text, 'x', sizeof(text));
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, sizeof(text), f), sizeof(text));
	assert_int_equal(fclose(f), 0);
	import_fails(fx, path, "not a Plex library database");
	/* The catalog is as it was. */
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"
	    " WHERE state = 'ready'"), 9);
}

static void
missing_file_is_refused_naming_it(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX];

	import_fails(fx, join(path, sizeof(path), fx->dir, "nowhere.db"),
	    "No such file");
	assert_false(exists(path, ""));
}

static void
database_without_plex_tables_is_refused(void **state)
{
	struct fixture *fx = *state;

	plex_exec(fx->plex, "CREATE TABLE something (x)");
	import_fails(fx, fx->plex, "no metadata_items table");
}

static void
damaged_database_is_an_error_not_a_crash(void **state)
{
	struct fixture *fx = *state;
	unsigned char junk[4096];
	struct stat st;
	off_t off;
	int fd;

	make_plex(fx->plex, "DELETE");
	/* Keep page 1 (the schema), scribble over every table's pages. */
	memset(junk, 0xA5, sizeof(junk));
	assert_true((fd = open(fx->plex, O_WRONLY)) >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	for (off = 4096; off < st.st_size; off += (off_t)sizeof(junk))
		assert_int_equal(pwrite(fd, junk, sizeof(junk), off),
		    (ssize_t)sizeof(junk));
	assert_int_equal(close(fd), 0);
	import_fails(fx, fx->plex, "malformed");
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 0);
}

/* The integer the first row of sql gives in the Plex database at path. */
static long long
plex_int(const char *path, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	long long n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return n;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * metadata_items's b-tree given a root of three interior pages, each of
 * which names the next as its child 30 times, and the last the table's
 * true root: 27,000 copies of every row, in a file three pages longer.
 * One more page would make 810,000.
 */
static void
page_named_as_child_many_times_is_damage_not_endless_reading(void **state)
{
	enum { DEPTH = 3, CHILDREN = 30 };
	struct fixture *fx = *state;
	unsigned char page[65536], *cell;
	char sql[128];
	long long root, npages, size;
	int fd, i, j;

	make_plex(fx->plex, "DELETE");
	root = plex_int(fx->plex, "SELECT rootpage FROM sqlite_master"
	    " WHERE name = 'metadata_items'");
	npages = plex_int(fx->plex, "PRAGMA page_count");
	size = plex_int(fx->plex, "PRAGMA page_size");
	assert_true(size <= (long long)sizeof(page));
	snprintf(sql, sizeof(sql), "PRAGMA writable_schema = ON; UPDATE"
	    " sqlite_master SET rootpage = %lld WHERE name = 'metadata_items'",
	    npages + 1);
	plex_exec(fx->plex, sql);
	assert_true((fd = open(fx->plex, O_RDWR)) >= 0);
	for (i = 0; i < DEPTH; i++) {
		/* A table interior page: its cells at the end, each a child's
		 * page number and a key; the last child in the header. */
		memset(page, 0, (size_t)size);
		page[0] = 5;
		page[3] = 0;
		page[4] = CHILDREN;
		put_be32(page + 8, (uint32_t)(i + 1 < DEPTH ? npages + i + 2 :
		    root));
		for (j = 0; j < CHILDREN; j++) {
			cell = page + size - 5 * (j + 1);
			page[12 + 2 * j] = (unsigned char)((cell - page) >> 8);
			page[13 + 2 * j] = (unsigned char)(cell - page);
			memcpy(cell, page + 8, 4);
			cell[4] = 0x7f;
		}
		page[5] = (unsigned char)((size - 5 * CHILDREN) >> 8);
		page[6] = (unsigned char)(size - 5 * CHILDREN);
		assert_int_equal(pwrite(fd, page, (size_t)size,
		    (off_t)((npages + i) * size)), (ssize_t)size);
	}
	/* The header's page count, which SQLite trusts. */
	put_be32(page, (uint32_t)(npages + DEPTH));
	assert_int_equal(pwrite(fd, page, 4, 28), 4);
	assert_int_equal(close(fd), 0);
	import_fails(fx, fx->plex, "damaged or not a Plex library database"
	    " (reading metadata_items takes far more work");
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 0);
}

/*
 * Not Plex's schema: ids that are not primary keys, each row 100 times.
 * Joined, the items, media items and parts would be 1,000,000 rows.
 */
static void
ids_that_are_not_unique_are_refused_not_multiplied(void **state)
{
	struct fixture *fx = *state;

	plex_exec(fx->plex,
	    "CREATE TABLE library_sections (id INTEGER, name TEXT);"
	    "CREATE TABLE metadata_items (id INTEGER,"
	    " library_section_id INTEGER, parent_id INTEGER,"
	    " metadata_type INTEGER, title TEXT, year INTEGER,"
	    " content_rating TEXT, summary TEXT, \"index\" INTEGER,"
	    " duration INTEGER, deleted_at INTEGER);"
	    "CREATE TABLE media_items (id INTEGER, metadata_item_id INTEGER,"
	    " duration INTEGER, deleted_at INTEGER);"
	    "CREATE TABLE media_parts (id INTEGER, media_item_id INTEGER,"
	    " file TEXT, \"index\" INTEGER, duration INTEGER,"
	    " deleted_at INTEGER, size INTEGER);"
	    "CREATE TABLE tags (id INTEGER, tag TEXT, tag_type INTEGER);"
	    "CREATE TABLE taggings (id INTEGER, metadata_item_id INTEGER,"
	    " tag_id INTEGER, \"index\" INTEGER, text TEXT,"
	    " time_offset INTEGER, end_time_offset INTEGER);"
	    "CREATE TABLE n (i INTEGER PRIMARY KEY);"
	    "WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c"
	    " WHERE i < 100) INSERT INTO n SELECT i FROM c;"
	    "INSERT INTO metadata_items (id, metadata_type, title, duration)"
	    " SELECT 1, 1, 'Again', 1000 FROM n;"
	    "INSERT INTO media_items (id, metadata_item_id, duration)"
	    " SELECT 1, 1, 1000 FROM n;"
	    "INSERT INTO media_parts (id, media_item_id, file)"
	    " SELECT 1, 1, '/data/movies/again.mkv' FROM n;");
	import_fails(fx, fx->plex, "damaged or not a Plex library database"
	    " (reading media_items and media_parts takes far more work");
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 0);
}

/* The catalog keys a Plex asset by its ratingKey, which is positive. */
static void
row_without_a_positive_rating_key_is_passed_over(void **state)
{
	struct fixture *fx = *state;
	struct rv_plex_stats st;

	make_plex(fx->plex, "WAL");
	plex_exec(fx->plex, "INSERT INTO metadata_items (id,"
	    " library_section_id, metadata_type, title, duration) VALUES"
	    " (0, 3, 1, 'Key Zero', 100000), (-5, 3, 1, 'Key Below', 100000);"
	    "INSERT INTO media_items (id, metadata_item_id, duration) VALUES"
	    " (9000, 0, 100000), (9001, -5, 100000);"
	    "INSERT INTO media_parts (id, media_item_id, file, \"index\")"
	    " VALUES (90000, 9000, '/data/movies/zero.mkv', 0),"
	    " (90010, 9001, '/data/movies/below.mkv', 0);");
	import_ok(fx, 1000, &st);
	assert_int_equal(st.movies, 4);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"
	    " WHERE title LIKE 'Key %'"), 0);
}

/*
 * SQLite takes WAL mode from the header's write version (byte 19) alone;
 * read as a rollback database, such a file would get a -wal and -shm.
 */
static void
wal_write_version_alone_is_read_creating_nothing_beside_it(void **state)
{
	struct fixture *fx = *state;
	int fd;

	make_plex(fx->plex, "DELETE");
	assert_true((fd = open(fx->plex, O_WRONLY)) >= 0);
	assert_int_equal(pwrite(fd, "\2", 1, 19), 1);
	assert_int_equal(close(fd), 0);
	import_ok(fx, 1000, NULL);
	assert_int_equal(count(fx->db, "SELECT count(*) FROM assets"), 9);
	assert_false(exists(fx->plex, "-wal"));
	assert_false(exists(fx->plex, "-shm"));
}

static void
map_is_split_at_the_first_equals_and_needs_both_sides(void **state)
{
	struct rv_plex_map m;
	struct rv_err err = { "" };

	(void)state;
	assert_int_equal(rv_plex_map_parse("/a=/b=c", &m, &err), 0);
	assert_string_equal(m.from, "/a");
	assert_string_equal(m.to, "/b=c");
	rv_plex_map_free(&m);
	assert_int_equal(rv_plex_map_parse("=/b", &m, &err), -1);
	assert_non_null(strstr(err.msg, "'=/b': expected FROM=TO"));
	assert_int_equal(rv_plex_map_parse("/a=", &m, &err), -1);
	assert_int_equal(rv_plex_map_parse("/a", &m, &err), -1);
	rv_plex_map_free(NULL);
}

static void
longest_map_wins_on_whole_path_components(void **state)
{
	static const struct rv_plex_map maps[] = {
		{ "/data/tv", "/mnt/tv" },
		{ "/data/tv/Cheers/", "/mnt/cheers/" },
		{ "/data", "/nas" },
	};
	static const struct { const char *in, *out; } cases[] = {
		{ "/data/tv/Frasier/s01e01.mkv", "/mnt/tv/Frasier/s01e01.mkv" },
		{ "/data/tv/Cheers/s01e01.mkv", "/mnt/cheers/s01e01.mkv" },
		{ "/data/tv/Cheers", "/mnt/cheers" },
		{ "/data/tv/CheersUK/x.mkv", "/mnt/tv/CheersUK/x.mkv" },
		{ "/data/tvshows/x.mkv", "/nas/tvshows/x.mkv" },
		{ "/database/x.mkv", "/database/x.mkv" },
		{ "relative/x.mkv", "relative/x.mkv" },
		{ "/data/tv/a\\b.mkv", "/mnt/tv/a\\b.mkv" },
	};
	char out[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(rv_plex_map_path(maps, 3, cases[i].in, out,
		    sizeof(out)), 0);
		assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(rv_plex_map_path(maps, 3, cases[0].in, out, 10), -1);
}

static void
root_map_and_windows_paths_map_to_our_slashes(void **state)
{
	static const struct rv_plex_map root[] = { { "/", "/srv/" } };
	static const struct rv_plex_map win[] = {
		{ "D:\\Media\\TV", "/mnt/tv" },
	};
	char out[256];

	(void)state;
	assert_int_equal(rv_plex_map_path(root, 1, "/x/y.mkv", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "/srv/x/y.mkv");
	assert_int_equal(rv_plex_map_path(win, 1,
	    "D:\\Media\\TV\\Cheers\\S01E01.mkv", out, sizeof(out)), 0);
	assert_string_equal(out, "/mnt/tv/Cheers/S01E01.mkv");
	assert_int_equal(rv_plex_map_path(win, 1, "D:\\Media\\TVx\\a.mkv",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "D:\\Media\\TVx\\a.mkv");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(import_stores_every_field_of_movies_and_episodes_exactly),
		T(import_counts_movies_episodes_and_every_kind_of_skip),
		T(same_titled_shows_get_their_year_in_the_alias_and_a_warning),
		T(orphan_episode_and_multipart_item_are_each_warned_about),
		T(reimport_updates_in_place_and_marks_what_plex_removed_gone),
		T(asset_plex_brings_back_is_ready_again),
		T(emptied_plex_library_leaves_every_plex_asset_missing),
		T(plex_writer_holding_a_transaction_is_not_disturbed),
		T(idle_wal_database_is_read_without_creating_files_beside_it),
		T(rollback_journal_database_imports),
		T(wal_without_shm_is_read_through_a_copy_creating_nothing),
		T(unusable_shm_in_read_only_folder_is_read_through_a_copy),
		T(file_that_is_not_a_database_is_refused_naming_it),
		T(missing_file_is_refused_naming_it),
		T(database_without_plex_tables_is_refused),
		T(damaged_database_is_an_error_not_a_crash),
		T(page_named_as_child_many_times_is_damage_not_endless_reading),
		T(ids_that_are_not_unique_are_refused_not_multiplied),
		T(row_without_a_positive_rating_key_is_passed_over),
		T(wal_write_version_alone_is_read_creating_nothing_beside_it),
		T(map_is_split_at_the_first_equals_and_needs_both_sides),
		T(longest_map_wins_on_whole_path_components),
		T(root_map_and_windows_paths_map_to_our_slashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
