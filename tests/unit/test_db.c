/* Unit tests for lib/db: opening, migrations, and the rules the schema
 * itself enforces. */
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

#include "db.h"

/* Every test gets a fresh temporary folder, removed afterwards. */
struct fixture {
	char dir[PATH_MAX];
	char path[PATH_MAX];	/* dir/retrovue.db, not created */
};

/* buf = dir + "/" + name. */
static const char *
join(char *buf, size_t size, const char *dir, const char *name)
{
	if (snprintf(buf, size, "%s/%s", dir, name) >= (int)size)
		fail_msg("path too long");
	return buf;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/test_db.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	join(fx->path, sizeof(fx->path), fx->dir, "retrovue.db");
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

	rc = nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return rc;
}

static sqlite3 *
open_ok(const char *path)
{
	struct rv_err err = { "" };
	sqlite3 *db = NULL;

	if (rv_db_open(path, &db, &err) != 0)
		fail_msg("rv_db_open %s: %s", path, err.msg);
	assert_non_null(db);
	return db;
}

/* A plain SQLite connection, bypassing rv_db, to set a file up. */
static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

static long long
query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	struct rv_err err = { "" };

	if (rv_db_exec(db, sql, &err) != 0)
		fail_msg("%s", err.msg);
}

/* sql must fail, with SQLite's message containing want. */
static void
exec_fails(sqlite3 *db, const char *sql, const char *want)
{
	struct rv_err err = { "" };

	if (rv_db_exec(db, sql, &err) != -1)
		fail_msg("accepted: %s", sql);
	if (strstr(err.msg, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
}

static void
write_file(const char *path, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
}

/* The whole file; the caller frees it. */
static char *
slurp(const char *path, size_t *n)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, st.st_size), (ssize_t)st.st_size);
	close(fd);
	*n = st.st_size;
	return buf;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* A channel, an asset and an EPG and an exec generation to hang rows on. */
static void
seed(sqlite3 *db)
{
	exec_ok(db,
	    "INSERT INTO channels (id, number, name, type, timezone, file,"
	    "  file_sha256, updated_ms) VALUES ('cheers-24-7', 2,"
	    "  'Cheers 24/7', 'network', 'America/New_York', 'c.yaml',"
	    "  printf('%064d', 0), 0);"
	    "INSERT INTO assets (id, kind, state, title, series_title, season,"
	    "  episode, duration_ms, path, source, added_ms, updated_ms)"
	    "  VALUES ('a-01', 'episode', 'ready', 'Give Me a Ring',"
	    "  'Cheers', 1, 1, 1320000, '/tv/cheers/s01e01.mkv', 'folder',"
	    "  0, 0);"
	    "INSERT INTO generations (channel_id, tier, range_start_ms,"
	    "  range_end_ms, published_ms) VALUES"
	    "  ('cheers-24-7', 'epg', 0, 86400000, 0),"
	    "  ('cheers-24-7', 'exec', 0, 86400000, 0);");
}

/* A tier-1 block [start, end) of cheers-24-7. */
static int
program_block(sqlite3 *db, const char *id, long long start, long long end)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO program_blocks (block_id, channel_id, broadcast_day,"
	    "  start_ms, end_ms, runtime_ms, asset_id, kind, title,"
	    "  generation_id) VALUES ('%s', 'cheers-24-7', '2026-01-05',"
	    "  %lld, %lld, 0, 'a-01', 'program', 'Cheers', 1)",
	    id, start, end);
	return rv_db_exec(db, sql, NULL);
}

static void
opening_missing_file_creates_it_at_latest_version(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db;

	assert_false(exists(fx->path));
	db = open_ok(fx->path);
	assert_true(exists(fx->path));
	assert_true(rv_db_latest_version() >= 1);
	assert_int_equal(rv_db_version(db), rv_db_latest_version());
	assert_int_equal(query(db, "PRAGMA application_id"),
	    RV_DB_APPLICATION_ID);
	rv_db_close(db);
}

static void
opening_empty_file_migrates_it_to_latest_version(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db;

	write_file(fx->path, "", 0);
	db = open_ok(fx->path);
	assert_int_equal(rv_db_version(db), rv_db_latest_version());
	rv_db_close(db);
}

static void
migration_1_creates_every_table_later_stages_use(void **state)
{
	static const char *const tables[] = {
		"assets", "asset_genres", "collections", "asset_collections",
		"aliases", "chapters", "markers", "channels", "cursors",
		"generations", "program_blocks", "playout_blocks",
		"playout_segments", "extensions", "asrun_sessions",
		"asrun_events", "asrun_anomalies",
	};
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	char sql[256];
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema"
		    " WHERE type = 'table' AND name = '%s' AND sql LIKE"
		    " '%%) STRICT%%'", tables[i]);
		if (query(db, sql) != 1)
			fail_msg("no STRICT table %s", tables[i]);
	}
	rv_db_close(db);
}

static void
first_migrate_reports_every_migration_then_none(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err;
	sqlite3 *db = raw_open(fx->path);

	assert_int_equal(rv_db_migrate(db, &err), rv_db_latest_version());
	assert_int_equal(rv_db_migrate(db, &err), 0);
	sqlite3_close(db);
}

static void
reopening_applies_no_migration(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err;
	long long cookie;
	sqlite3 *db;

	db = open_ok(fx->path);
	cookie = query(db, "PRAGMA schema_version");
	rv_db_close(db);

	/* The schema cookie changes with every schema change. */
	db = open_ok(fx->path);
	assert_int_equal(query(db, "PRAGMA schema_version"), cookie);
	assert_int_equal(rv_db_migrate(db, &err), 0);
	assert_int_equal(rv_db_version(db), rv_db_latest_version());
	rv_db_close(db);
}

static void
open_sets_wal_busy_timeout_and_synchronous_normal(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(query(db, "PRAGMA busy_timeout"), 30000);
	assert_int_equal(query(db, "PRAGMA synchronous"), 1);	/* NORMAL */
	rv_db_close(db);
}

static void
foreign_keys_refuse_child_without_parent(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	assert_int_equal(query(db, "PRAGMA foreign_keys"), 1);
	exec_fails(db, "INSERT INTO asset_genres (asset_id, genre)"
	    " VALUES ('a-none', 'comedy')", "FOREIGN KEY");
	exec_fails(db, "INSERT INTO cursors (channel_id, pool, broadcast_day,"
	    " position, updated_ms) VALUES ('nowhere', 'p', '2026-01-05', 0,"
	    " 0)", "FOREIGN KEY");
	rv_db_close(db);
}

static void
newer_schema_is_refused_and_file_left_untouched(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db, *got = (sqlite3 *)1;
	char *before, *after, want[64];
	size_t nbefore, nafter;

	db = open_ok(fx->path);
	rv_db_close(db);
	db = raw_open(fx->path);
	snprintf(want, sizeof(want), "PRAGMA user_version = %d",
	    rv_db_latest_version() + 1);
	assert_int_equal(sqlite3_exec(db, want, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(fx->path, &nbefore);

	assert_int_equal(rv_db_open(fx->path, &got, &err), -1);
	assert_null(got);
	snprintf(want, sizeof(want), "schema version %d is newer",
	    rv_db_latest_version() + 1);
	assert_non_null(strstr(err.msg, want));
	assert_non_null(strstr(err.msg, fx->path));

	after = slurp(fx->path, &nafter);
	assert_int_equal(nafter, nbefore);
	assert_memory_equal(after, before, nbefore);
	free(before);
	free(after);
}

static void
newer_schema_in_rollback_journal_mode_is_not_switched_to_wal(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db, *got;
	char *before, *after;
	size_t nbefore, nafter;

	db = raw_open(fx->path);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x);"
	    " PRAGMA application_id = 1381397622; PRAGMA user_version = 999",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = slurp(fx->path, &nbefore);
	assert_int_equal(rv_db_open(fx->path, &got, &err), -1);
	assert_non_null(strstr(err.msg, "newer"));
	after = slurp(fx->path, &nafter);
	assert_int_equal(nafter, nbefore);
	assert_memory_equal(after, before, nbefore);
	free(before);
	free(after);
}

static void
database_of_another_application_is_refused_untouched(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db, *got;

	/* A Plex library, say, named by mistake in RV_DB. */
	db = raw_open(fx->path);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE metadata_items"
	    " (id INTEGER PRIMARY KEY, title TEXT)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rv_db_open(fx->path, &got, &err), -1);
	assert_non_null(strstr(err.msg, "not a RetroVue database"));
	assert_non_null(strstr(err.msg, fx->path));

	db = raw_open(fx->path);
	assert_int_equal(query(db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(query(db, "PRAGMA user_version"), 0);
	sqlite3_close(db);

	db = raw_open(fx->path);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 7",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rv_db_open(fx->path, &got, &err), -1);
	assert_non_null(strstr(err.msg, "application_id 0x7"));
}

static void
missing_parent_folders_are_created(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	sqlite3 *db;

	join(path, sizeof(path), fx->dir, "var/lib/retrovue/retrovue.db");
	db = open_ok(path);
	rv_db_close(db);
	join(dir, sizeof(dir), fx->dir, "var/lib/retrovue");
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(exists(path));
}

static void
file_used_as_folder_gives_error_naming_the_path(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	char path[PATH_MAX];
	sqlite3 *db = (sqlite3 *)1;

	write_file(join(path, sizeof(path), fx->dir, "plain"), "x", 1);
	join(path, sizeof(path), fx->dir, "plain/retrovue.db");
	assert_int_equal(rv_db_open(path, &db, &err), -1);
	assert_null(db);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "not a folder"));

	join(path, sizeof(path), fx->dir, "plain/sub/retrovue.db");
	assert_int_equal(rv_db_open(path, &db, &err), -1);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, strerror(ENOTDIR)));
}

static void
file_that_is_not_a_database_is_refused_naming_the_path(void **state)
{
	static const char junk[] = "this is a channel file, not a database\n"
	    "................................................................"
	    "................................................................";
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db;

	write_file(fx->path, junk, sizeof(junk));
	assert_int_equal(rv_db_open(fx->path, &db, &err), -1);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "not a database"));
}

static void
memory_database_opens_migrated(void **state)
{
	sqlite3 *db = open_ok(":memory:");

	(void)state;
	assert_int_equal(rv_db_version(db), rv_db_latest_version());
	assert_int_equal(query(db, "PRAGMA foreign_keys"), 1);
	rv_db_close(db);
}

static void
close_accepts_null(void **state)
{
	(void)state;
	rv_db_close(NULL);
	rv_db_rollback(NULL);
}

static void
replayed_asrun_event_is_a_no_op(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	const char *ev =
	    "INSERT OR IGNORE INTO asrun_events (session_id, seq, channel_id,"
	    "  kind, at_ms, frame, payload) VALUES ('PS-cheers-1', 1,"
	    "  'cheers-24-7', 'session_start', 1000, 0, '{\"n\":%d}')";
	char sql[512];

	exec_ok(db, "INSERT INTO asrun_sessions (session_id, channel_id,"
	    " started_ms) VALUES ('PS-cheers-1', 'cheers-24-7', 1000)");
	snprintf(sql, sizeof(sql), ev, 1);
	exec_ok(db, sql);
	assert_int_equal(sqlite3_changes(db), 1);
	snprintf(sql, sizeof(sql), ev, 2);
	exec_ok(db, sql);
	assert_int_equal(sqlite3_changes(db), 0);
	assert_int_equal(query(db, "SELECT count(*) FROM asrun_events"), 1);
	assert_int_equal(query(db, "SELECT payload ->> 'n' FROM asrun_events"),
	    1);
	rv_db_close(db);
}

static void
do_nothing_on_conflict_skips_replay_but_not_malformed_event(
    void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	const char *ev =
	    "INSERT INTO asrun_events (session_id, seq, channel_id, kind,"
	    "  at_ms, frame, payload) VALUES ('PS-cheers-1', %d,"
	    "  'cheers-24-7', '%s', 1000, 0, '{}')"
	    "  ON CONFLICT (session_id, seq) DO NOTHING";
	char sql[512];

	exec_ok(db, "INSERT INTO asrun_sessions (session_id, channel_id,"
	    " started_ms) VALUES ('PS-cheers-1', 'cheers-24-7', 1000)");
	snprintf(sql, sizeof(sql), ev, 1, "session_start");
	exec_ok(db, sql);
	exec_ok(db, sql);
	assert_int_equal(sqlite3_changes(db), 0);
	snprintf(sql, sizeof(sql), ev, 2, "tea_break");
	exec_fails(db, sql, "CHECK constraint failed");
	/* whereas OR IGNORE would have swallowed it without a word */
	exec_ok(db, "INSERT OR IGNORE INTO asrun_events (session_id, seq,"
	    " channel_id, kind, at_ms, frame, payload) VALUES ('PS-cheers-1',"
	    " 2, 'cheers-24-7', 'tea_break', 1000, 0, '{}')");
	assert_int_equal(query(db, "SELECT count(*) FROM asrun_events"), 1);
	rv_db_close(db);
}

static void
asrun_event_fields_follow_its_kind(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	exec_ok(db, "INSERT INTO asrun_sessions (session_id, channel_id,"
	    " started_ms) VALUES ('s', 'c', 0)");
	exec_ok(db, "INSERT INTO asrun_events (session_id, seq, channel_id,"
	    " kind, at_ms, frame, block_id, segment_idx, status, frames,"
	    " payload) VALUES ('s', 1, 'c', 'segment_end', 0, 900, 'b', 0,"
	    " 'aired', 900, '{}')");
	exec_fails(db, "INSERT INTO asrun_events (session_id, seq, channel_id,"
	    " kind, at_ms, frame, block_id, segment_idx, payload) VALUES"
	    " ('s', 2, 'c', 'segment_end', 0, 900, 'b', 0, '{}')",
	    "CHECK constraint failed");	/* an end without a status */
	exec_fails(db, "INSERT INTO asrun_events (session_id, seq, channel_id,"
	    " kind, at_ms, frame, payload) VALUES ('s', 3, 'c', 'block_start',"
	    " 0, 900, '{}')", "CHECK constraint failed");	/* no block */
	exec_fails(db, "INSERT INTO asrun_events (session_id, seq, channel_id,"
	    " kind, at_ms, frame, payload) VALUES ('s', 4, 'c',"
	    " 'session_end', 0, 0, 'not json')", "CHECK constraint failed");
	exec_fails(db, "INSERT INTO asrun_events (session_id, seq, channel_id,"
	    " kind, at_ms, frame, payload) VALUES ('s', 0, 'c',"
	    " 'session_end', 0, 0, '{}')", "CHECK constraint failed");
	rv_db_close(db);
}

static void
check_rejects_end_not_after_start(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	assert_int_equal(program_block(db, "cheers-24-7-a", 1800000, 1800000),
	    -1);
	assert_int_equal(program_block(db, "cheers-24-7-a", 1800000, 0), -1);
	assert_int_equal(program_block(db, "cheers-24-7-a", 0, 1800000), 0);
	exec_fails(db, "INSERT INTO chapters (asset_id, idx, start_ms, end_ms)"
	    " VALUES ('a-01', 0, 5000, 5000)", "CHECK constraint failed");
	exec_fails(db, "INSERT INTO markers (asset_id, kind, start_ms, end_ms)"
	    " VALUES ('a-01', 'intro', 5000, 4000)",
	    "CHECK constraint failed");
	exec_fails(db, "INSERT INTO generations (channel_id, tier,"
	    " range_start_ms, range_end_ms, published_ms) VALUES"
	    " ('cheers-24-7', 'exec', 10, 10, 0)", "CHECK constraint failed");
	exec_fails(db, "INSERT INTO playout_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, generation_id) VALUES"
	    " ('b', 'cheers-24-7', '2026-01-05', 10, 5, 2)",
	    "CHECK constraint failed");
	rv_db_close(db);
}

static void
enumerations_reject_unknown_values(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_fails(db, "UPDATE assets SET kind = 'trailer'",
	    "CHECK constraint failed");
	exec_fails(db, "UPDATE assets SET state = 'gone'",
	    "CHECK constraint failed");
	exec_fails(db, "UPDATE channels SET type = 'premium'",
	    "CHECK constraint failed");
	exec_fails(db, "UPDATE generations SET tier = 'both'",
	    "CHECK constraint failed");
	exec_fails(db, "INSERT INTO markers (asset_id, kind, start_ms, end_ms)"
	    " VALUES ('a-01', 'recap', 0, 1)", "CHECK constraint failed");
	exec_fails(db, "UPDATE channels SET id = 'Cheers 24/7'",
	    "CHECK constraint failed");
	rv_db_close(db);
}

static void
strict_tables_refuse_values_of_the_wrong_type(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_fails(db, "UPDATE assets SET duration_ms = '22 minutes'",
	    "cannot store TEXT value in INTEGER column");
	exec_fails(db, "UPDATE assets SET duration_ms = 1320000.5",
	    "cannot store REAL value in INTEGER column");
	rv_db_close(db);
}

static void
ready_asset_needs_a_duration_and_no_fail_reason(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_fails(db, "UPDATE assets SET duration_ms = 0",
	    "CHECK constraint failed");
	exec_fails(db, "UPDATE assets SET fail_reason = 'no video stream'",
	    "CHECK constraint failed");
	exec_ok(db, "UPDATE assets SET state = 'failed', duration_ms = 0,"
	    " fail_reason = 'no video stream'");
	rv_db_close(db);
}

static void
folder_path_is_unique_but_plex_item_may_share_it(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	const char *plex =
	    "INSERT INTO assets (id, kind, state, title, series_title,"
	    "  duration_ms, path, source, plex_rating_key, added_ms,"
	    "  updated_ms) VALUES ('%s', 'episode', 'ready', 'x', 'Cheers',"
	    "  1, '/tv/cheers/s01e01.mkv', 'plex', 4711, 0, 0)";
	char sql[512];

	seed(db);
	exec_fails(db, "INSERT INTO assets (id, kind, state, title,"
	    " series_title, duration_ms, path, source, added_ms, updated_ms)"
	    " VALUES ('a-02', 'episode', 'ready', 'x', 'Cheers', 1,"
	    " '/tv/cheers/s01e01.mkv', 'folder', 0, 0)",
	    "UNIQUE constraint failed: assets.path");
	snprintf(sql, sizeof(sql), plex, "a-03");
	exec_ok(db, sql);
	snprintf(sql, sizeof(sql), plex, "a-04");
	exec_fails(db, sql, "UNIQUE constraint failed: assets.plex_rating_key");
	exec_fails(db, "UPDATE assets SET plex_rating_key = NULL"
	    " WHERE id = 'a-03'", "CHECK constraint failed");
	rv_db_close(db);
}

static void
series_title_matches_ignoring_case(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	assert_int_equal(query(db, "SELECT count(*) FROM assets"
	    " WHERE kind = 'episode' AND series_title = 'CHEERS'"), 1);
	exec_ok(db, "INSERT INTO asset_genres VALUES ('a-01', 'Comedy')");
	exec_fails(db, "INSERT INTO asset_genres VALUES ('a-01', 'comedy')",
	    "UNIQUE constraint failed");
	rv_db_close(db);
}

static void
broadcast_day_must_be_a_real_date(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	const char *cursor =
	    "INSERT INTO cursors (channel_id, pool, broadcast_day, position,"
	    "  updated_ms) VALUES ('cheers-24-7', 'cheers', '%s', 0, 0)";
	static const char *const bad[] = {
		"2026-02-30", "2026-1-5", "2026-01-05T06:00", "tomorrow", "",
	};
	char sql[512];
	size_t i;

	seed(db);
	snprintf(sql, sizeof(sql), cursor, "2024-02-29");
	exec_ok(db, sql);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(sql, sizeof(sql), cursor, bad[i]);
		exec_fails(db, sql, "CHECK constraint failed");
	}
	rv_db_close(db);
}

static void
blocks_of_a_channel_may_meet_but_not_overlap(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);
	struct rv_err err = { "" };

	seed(db);
	assert_int_equal(program_block(db, "cheers-24-7-0600", 0, 1800000), 0);
	assert_int_equal(program_block(db, "cheers-24-7-0630", 1800000,
	    3600000), 0);
	assert_int_equal(program_block(db, "cheers-24-7-x", 900000, 2700000),
	    -1);
	assert_int_equal(program_block(db, "cheers-24-7-y", 0, 3600000), -1);
	exec_fails(db, "UPDATE program_blocks SET end_ms = 2000000"
	    " WHERE block_id = 'cheers-24-7-0600'", "overlaps");

	/* another channel is free to use the same time */
	exec_ok(db, "INSERT INTO channels (id, number, name, type, timezone,"
	    " file, file_sha256, updated_ms) VALUES ('trek-tv', 3, 'Trek',"
	    " 'network', 'UTC', 't.yaml', printf('%064d', 0), 0);"
	    "INSERT INTO generations (channel_id, tier, range_start_ms,"
	    " range_end_ms, published_ms) VALUES ('trek-tv', 'exec', 0, 1, 0)");

	exec_ok(db, "INSERT INTO playout_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, generation_id) VALUES"
	    " ('cheers-24-7-0600', 'cheers-24-7', '2026-01-05', 0, 1800000, 2),"
	    " ('trek-tv-0600', 'trek-tv', '2026-01-05', 0, 1800000, 3)");
	assert_int_equal(rv_db_exec(db, "INSERT INTO playout_blocks (block_id,"
	    " channel_id, broadcast_day, start_ms, end_ms, generation_id)"
	    " VALUES ('cheers-24-7-0615', 'cheers-24-7', '2026-01-05', 900000,"
	    " 2700000, 2)", &err), -1);
	assert_non_null(strstr(err.msg, "playout block overlaps"));
	rv_db_close(db);
}

static void
program_block_names_an_asset_unless_filler(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_fails(db, "INSERT INTO program_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, runtime_ms, kind, title,"
	    " generation_id) VALUES ('b', 'cheers-24-7', '2026-01-05', 0,"
	    " 1800000, 1320000, 'program', 'Cheers', 1)",
	    "CHECK constraint failed");
	exec_ok(db, "INSERT INTO program_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, runtime_ms, kind, title,"
	    " generation_id) VALUES ('b', 'cheers-24-7', '2026-01-05', 0,"
	    " 1800000, 1800000, 'filler', 'Filler', 1)");
	/* a runtime longer than its slot would overrun the next block */
	exec_fails(db, "UPDATE program_blocks SET runtime_ms = 1800001",
	    "CHECK constraint failed");
	rv_db_close(db);
}

/* One segment of block b; uri and asset are SQL literals (NULL or '...'). */
static int
segment(sqlite3 *db, int idx, const char *type, const char *uri,
    const char *asset, long long dur)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO playout_segments (block_id, idx, type, start_ms, uri,"
	    "  asset_id, dur_ms) VALUES ('b', %d, '%s', 0, %s, %s, %lld)",
	    idx, type, uri, asset, dur);
	return rv_db_exec(db, sql, NULL);
}

static void
pad_segment_has_no_uri_and_every_other_has_one(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_ok(db, "INSERT INTO playout_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, generation_id) VALUES"
	    " ('b', 'cheers-24-7', '2026-01-05', 0, 1800000, 2)");
	assert_int_equal(segment(db, 0, "content", "'/tv/c.mkv'", "'a-01'",
	    1320000), 0);
	assert_int_equal(segment(db, 1, "pad", "NULL", "NULL", 1000), 0);
	assert_int_equal(segment(db, 2, "pad", "'/tv/c.mkv'", "NULL", 1000),
	    -1);
	assert_int_equal(segment(db, 2, "commercial", "NULL", "NULL", 1000),
	    -1);
	assert_int_equal(segment(db, 2, "content", "'/tv/c.mkv'", "NULL",
	    1000), -1);	/* content is always an asset */
	assert_int_equal(segment(db, 2, "filler", "'/f/filler.mp4'", "NULL",
	    0), -1);	/* zero frames cannot air */
	assert_int_equal(segment(db, 2, "filler", "'/f/filler.mp4'", "NULL",
	    1000), 0);
	exec_fails(db, "UPDATE playout_segments SET fade_in_ms = 600,"
	    " fade_out_ms = 500 WHERE idx = 2", "CHECK constraint failed");
	rv_db_close(db);
}

static void
deleting_a_channel_removes_its_plans_but_not_its_asrun(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	assert_int_equal(program_block(db, "cheers-24-7-0600", 0, 1800000), 0);
	exec_ok(db, "INSERT INTO playout_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, generation_id) VALUES"
	    " ('b', 'cheers-24-7', '2026-01-05', 0, 1800000, 2);"
	    "INSERT INTO playout_segments (block_id, idx, type, start_ms,"
	    " dur_ms) VALUES ('b', 0, 'pad', 0, 1800000);"
	    "INSERT INTO cursors (channel_id, pool, broadcast_day, position,"
	    " updated_ms) VALUES ('cheers-24-7', 'cheers', '2026-01-05', 0, 0);"
	    "INSERT INTO extensions (channel_id, at_ms, ok, generation_id)"
	    " VALUES ('cheers-24-7', 0, 1, 2);"
	    "INSERT INTO asrun_sessions (session_id, channel_id, started_ms)"
	    " VALUES ('s', 'cheers-24-7', 0);"
	    "INSERT INTO asrun_events (session_id, seq, channel_id, kind,"
	    " at_ms, frame, payload) VALUES ('s', 1, 'cheers-24-7',"
	    " 'session_start', 0, 0, '{}');"
	    "DELETE FROM channels;");
	assert_int_equal(query(db, "SELECT (SELECT count(*) FROM generations)"
	    " + (SELECT count(*) FROM program_blocks)"
	    " + (SELECT count(*) FROM playout_blocks)"
	    " + (SELECT count(*) FROM playout_segments)"
	    " + (SELECT count(*) FROM cursors)"
	    " + (SELECT count(*) FROM extensions)"), 0);
	assert_int_equal(query(db, "SELECT count(*) FROM asrun_events"), 1);
	rv_db_close(db);
}

static void
deleting_an_asset_removes_its_details_unless_a_plan_names_it(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_ok(db, "INSERT INTO asset_genres VALUES ('a-01', 'comedy');"
	    "INSERT INTO collections (name) VALUES ('Sitcoms');"
	    "INSERT INTO asset_collections VALUES (1, 'a-01');"
	    "INSERT INTO aliases VALUES ('asset.cheers.s01e01', 'a-01');"
	    "INSERT INTO chapters VALUES ('a-01', 0, 0, 330000, NULL);"
	    "INSERT INTO markers VALUES ('a-01', 'intro', 0, 60000);");
	assert_int_equal(program_block(db, "cheers-24-7-0600", 0, 1800000), 0);
	exec_fails(db, "DELETE FROM assets", "FOREIGN KEY");
	exec_ok(db, "DELETE FROM program_blocks; DELETE FROM assets");
	assert_int_equal(query(db, "SELECT (SELECT count(*) FROM asset_genres)"
	    " + (SELECT count(*) FROM asset_collections)"
	    " + (SELECT count(*) FROM aliases)"
	    " + (SELECT count(*) FROM chapters)"
	    " + (SELECT count(*) FROM markers)"), 0);
	assert_int_equal(query(db, "SELECT count(*) FROM collections"), 1);
	rv_db_close(db);
}

static void
generation_ids_keep_growing_after_a_purge(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	exec_ok(db, "DELETE FROM generations;"
	    "INSERT INTO generations (channel_id, tier, range_start_ms,"
	    " range_end_ms, published_ms) VALUES ('cheers-24-7', 'epg', 0, 1,"
	    " 0)");
	assert_int_equal(query(db, "SELECT id FROM generations"), 3);
	rv_db_close(db);
}

static void
rollback_leaves_nothing_behind(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err;
	sqlite3 *db = open_ok(fx->path);

	assert_int_equal(rv_db_begin(db, &err), 0);
	seed(db);
	assert_int_equal(program_block(db, "cheers-24-7-0600", 0, 1800000), 0);
	rv_db_rollback(db);
	assert_true(sqlite3_get_autocommit(db));
	assert_int_equal(query(db, "SELECT (SELECT count(*) FROM channels)"
	    " + (SELECT count(*) FROM assets)"
	    " + (SELECT count(*) FROM generations)"
	    " + (SELECT count(*) FROM program_blocks)"), 0);
	rv_db_rollback(db);	/* nothing open: still quiet */
	rv_db_close(db);
}

static void
commit_is_seen_by_another_connection(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err;
	sqlite3 *db = open_ok(fx->path), *other = open_ok(fx->path);

	assert_int_equal(rv_db_begin(db, &err), 0);
	seed(db);
	assert_int_equal(query(other, "SELECT count(*) FROM channels"), 0);
	assert_int_equal(rv_db_commit(db, &err), 0);
	assert_int_equal(query(other, "SELECT count(*) FROM channels"), 1);
	rv_db_close(other);
	rv_db_close(db);
}

static void
failed_migration_leaves_previous_version_and_no_trace(
    void **state)
{
	static const char *const steps[] = {
		"CREATE TABLE a (x INTEGER) STRICT;",
		"CREATE TABLE b (x INTEGER) STRICT;\n"
		"-- a second statement that fails\n"
		"CREATE TABLE a (y INTEGER) STRICT;",
	};
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db = raw_open(fx->path);

	assert_int_equal(rv_db_apply_migrations(db, steps, 2, &err), -1);
	assert_non_null(strstr(err.msg, "migration 2"));
	assert_non_null(strstr(err.msg, "CREATE TABLE a (y INTEGER) STRICT;"));
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(rv_db_version(db), 1);
	assert_int_equal(query(db, "SELECT count(*) FROM sqlite_schema"
	    " WHERE name = 'b'"), 0);
	assert_true(sqlite3_get_autocommit(db));
	assert_int_equal(rv_db_apply_migrations(db, steps, 1, &err), 0);
	sqlite3_close(db);
}

static void
readonly_open_of_unmigrated_file_refuses(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db = (sqlite3 *)1;

	write_file(fx->path, "", 0);
	assert_int_equal(rv_db_open_readonly(fx->path, &db, &err), -1);
	assert_null(db);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "run a writer first"));
}

static void
readonly_open_of_missing_file_refuses_without_creating_it(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db;

	assert_int_equal(rv_db_open_readonly(fx->path, &db, &err), -1);
	assert_non_null(strstr(err.msg, fx->path));
	assert_false(exists(fx->path));
}

static void
readonly_open_of_older_or_newer_schema_refuses(void **state)
{
	static const char *const one_step[] = { "CREATE TABLE a (x);" };
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db;
	char sql[64];

	db = open_ok(fx->path);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    rv_db_latest_version() + 1);
	exec_ok(db, sql);
	rv_db_close(db);
	assert_int_equal(rv_db_open_readonly(fx->path, &db, &err), -1);
	assert_non_null(strstr(err.msg, "newer"));

	/* an older schema: only possible once there are two migrations,
	 * so make one with a one-step list */
	if (rv_db_latest_version() < 2)
		return;
	assert_int_equal(unlink(fx->path), 0);
	db = raw_open(fx->path);
	assert_int_equal(rv_db_apply_migrations(db, one_step, 1, &err), 1);
	sqlite3_close(db);
	assert_int_equal(rv_db_open_readonly(fx->path, &db, &err), -1);
	assert_non_null(strstr(err.msg, "older"));
}

static void
readonly_open_reads_but_cannot_write(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *db = open_ok(fx->path);

	seed(db);
	rv_db_close(db);
	if (rv_db_open_readonly(fx->path, &db, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(query(db, "SELECT count(*) FROM channels"), 1);
	exec_fails(db, "DELETE FROM channels", "readonly");
	rv_db_close(db);
}

static void
exec_error_names_the_statement_and_sqlite_reason(void **state)
{
	struct rv_err err = { "" };
	sqlite3_stmt *st;
	sqlite3 *db = open_ok(":memory:");

	(void)state;
	assert_int_equal(rv_db_exec(db, "-- a comment first\n"
	    "SELECT 1; SELECT * FROM nowhere;", &err), -1);
	assert_string_equal(err.msg,
	    "SELECT * FROM nowhere;: no such table: nowhere");
	assert_int_equal(rv_db_prepare(db, "SELEKT 1", &st, &err), -1);
	assert_null(st);
	assert_string_equal(err.msg, "SELEKT 1: near \"SELEKT\": syntax error");
	/* double quotes name columns, never strings */
	assert_int_equal(rv_db_prepare(db, "SELECT id FROM assets"
	    " WHERE kind = \"movie\"", &st, &err), -1);
	assert_non_null(strstr(err.msg, "no such column: movie"));
	assert_int_equal(rv_db_prepare(db, "  -- nothing\n", &st, &err), -1);
	rv_db_close(db);
}

/* Fork n children that open the same new file at the same moment. */
static void
concurrent_first_opens_all_succeed(void **state)
{
	enum { N = 6 };
	struct fixture *fx = *state;
	int gate[2], i, status, failed = 0;
	pid_t pids[N];
	sqlite3 *db;
	char c;

	assert_int_equal(pipe(gate), 0);
	for (i = 0; i < N; i++) {
		assert_true((pids[i] = fork()) >= 0);
		if (pids[i] == 0) {
			struct rv_err err;

			close(gate[1]);
			/* wait for the parent to open the gate: EOF */
			if (read(gate[0], &c, 1) == -1)
				_exit(2);
			if (rv_db_open(fx->path, &db, &err) != 0) {
				fprintf(stderr, "child: %s\n", err.msg);
				_exit(1);
			}
			rv_db_close(db);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (i = 0; i < N; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	assert_int_equal(failed, 0);
	db = open_ok(fx->path);
	assert_int_equal(rv_db_version(db), rv_db_latest_version());
	rv_db_close(db);
}

static void
writer_waits_for_another_writers_lock(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	int locked[2], status;
	sqlite3 *db;
	pid_t pid;
	char c;

	db = open_ok(fx->path);
	seed(db);
	assert_int_equal(pipe(locked), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		sqlite3 *held;

		if (rv_db_open(fx->path, &held, &err) != 0 ||
		    rv_db_begin(held, &err) != 0)
			_exit(1);
		if (write(locked[1], "x", 1) != 1)
			_exit(1);
		usleep(300 * 1000);
		if (rv_db_commit(held, &err) != 0)
			_exit(1);
		rv_db_close(held);
		_exit(0);
	}
	close(locked[1]);
	assert_int_equal(read(locked[0], &c, 1), 1);
	close(locked[0]);
	/* the child holds the write lock now, and lets go within 300 ms */
	if (rv_db_begin(db, &err) != 0)
		fail_msg("%s", err.msg);
	exec_ok(db, "UPDATE channels SET name = 'Cheers'");
	assert_int_equal(rv_db_commit(db, &err), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rv_db_close(db);
}

static void
lock_held_past_the_timeout_is_an_error_naming_the_file(void **state)
{
	struct fixture *fx = *state;
	struct rv_err err = { "" };
	sqlite3 *a = open_ok(fx->path), *b = open_ok(fx->path);

	assert_int_equal(rv_db_begin(a, &err), 0);
	sqlite3_busy_timeout(b, 10);	/* not the 30 s a program waits */
	assert_int_equal(rv_db_begin(b, &err), -1);
	assert_non_null(strstr(err.msg, fx->path));
	assert_non_null(strstr(err.msg, "database is locked"));
	rv_db_rollback(a);
	rv_db_close(b);
	rv_db_close(a);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(opening_missing_file_creates_it_at_latest_version),
		T(opening_empty_file_migrates_it_to_latest_version),
		T(migration_1_creates_every_table_later_stages_use),
		T(first_migrate_reports_every_migration_then_none),
		T(reopening_applies_no_migration),
		T(open_sets_wal_busy_timeout_and_synchronous_normal),
		T(foreign_keys_refuse_child_without_parent),
		T(newer_schema_is_refused_and_file_left_untouched),
		T(newer_schema_in_rollback_journal_mode_is_not_switched_to_wal),
		T(database_of_another_application_is_refused_untouched),
		T(missing_parent_folders_are_created),
		T(file_used_as_folder_gives_error_naming_the_path),
		T(file_that_is_not_a_database_is_refused_naming_the_path),
		T(memory_database_opens_migrated),
		T(close_accepts_null),
		T(replayed_asrun_event_is_a_no_op),
		T(do_nothing_on_conflict_skips_replay_but_not_malformed_event),
		T(asrun_event_fields_follow_its_kind),
		T(check_rejects_end_not_after_start),
		T(enumerations_reject_unknown_values),
		T(strict_tables_refuse_values_of_the_wrong_type),
		T(ready_asset_needs_a_duration_and_no_fail_reason),
		T(folder_path_is_unique_but_plex_item_may_share_it),
		T(series_title_matches_ignoring_case),
		T(broadcast_day_must_be_a_real_date),
		T(blocks_of_a_channel_may_meet_but_not_overlap),
		T(program_block_names_an_asset_unless_filler),
		T(pad_segment_has_no_uri_and_every_other_has_one),
		T(deleting_a_channel_removes_its_plans_but_not_its_asrun),
		T(deleting_an_asset_removes_its_details_unless_a_plan_names_it),
		T(generation_ids_keep_growing_after_a_purge),
		T(rollback_leaves_nothing_behind),
		T(commit_is_seen_by_another_connection),
		T(failed_migration_leaves_previous_version_and_no_trace),
		T(readonly_open_of_unmigrated_file_refuses),
		T(readonly_open_of_missing_file_refuses_without_creating_it),
		T(readonly_open_of_older_or_newer_schema_refuses),
		T(readonly_open_reads_but_cannot_write),
		T(exec_error_names_the_statement_and_sqlite_reason),
		T(concurrent_first_opens_all_succeed),
		T(writer_waits_for_another_writers_lock),
		T(lock_held_past_the_timeout_is_an_error_naming_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
