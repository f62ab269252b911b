/*
 * libFuzzer target: the Plex import (lib/plex).  The input is a Plex
 * library database file; it is written to a scratch folder and imported
 * into a new in-memory catalog.  Whatever the bytes, the import must end
 * in an error that names the file and leaves the catalog empty, or in an
 * import whose counts match the catalog: never a crash, a hang, a leak or
 * unbounded memory.
 *
 * The seeds in tests/fuzz/corpus/plex are small pages and no free space,
 * made with the sqlite3 shell from tests/plex/schema.sql and a few rows:
 *
 *   sqlite3 movies "PRAGMA page_size=512" ".read tests/plex/schema.sql" \
 *       ".read movies.sql" "VACUUM"
 *
 * where movies.sql holds the INSERTs that `sqlite3 movies .dump` shows.
 *
 *   movies    three movies (one in two parts listed out of order, with a
 *             deleted second version; one deleted), a trailer, genres, a
 *             collection, markers;
 *   shows     two shows called Cheers, seasons 0 and 1, episodes each
 *             skipped a different way, an orphan, a Windows path;
 *   empty     the schema alone;
 *   noindex   shows, from the schema without its CREATE INDEXes;
 *   wal       movies, then "PRAGMA journal_mode=WAL" (read immutable);
 *   truncated the first 6000 bytes of shows;
 *   flipped   movies with page 3 (metadata_items) XORed with 0xff;
 *   bitflip   movies with four bits flipped in cell contents;
 *   dag       noindex with three interior pages appended, each naming
 *             the next (the last, metadata_items's root) as its child 50
 *             times, and sqlite_master's rootpage and the header's page
 *             count set to match: 125,000 copies of each row;
 *   dupids    the tables with ids that are not primary keys, and 60 rows
 *             each of one movie, media item and part (id 1): a join of
 *             216,000 rows.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "plex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A Plex database of a few rows fits; bigger inputs only slow the run. */
#define PLEX_INPUT_MAX	(256 * 1024)

static const char *const beside[] = { "-wal", "-shm", "-journal" };
static char dir[64];
static char path[PATH_MAX];
static sqlite3 *pristine, *db;	/* a new catalog; the one imported into */

/* Whether the file named path followed by suffix exists. */
static int
exists(const char *suffix)
{
	char name[PATH_MAX + 16];

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	return access(name, F_OK) == 0;
}

static void
cleanup(void)
{
	char name[PATH_MAX + 16];
	size_t i;

	rv_db_close(db);
	rv_db_close(pristine);
	for (i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, beside[i]);
		unlink(name);
	}
	unlink(path);
	rmdir(dir);
}

/* Migrating a catalog takes milliseconds; copying a migrated one over
 * the last run's, a fraction of one. */
static void
new_catalog(void)
{
	struct rv_err err;
	sqlite3_backup *b;

	if (pristine == NULL) {
		if (rv_db_open(":memory:", &pristine, &err) < 0 ||
		    rv_db_open(":memory:", &db, &err) < 0)
			abort();
		return;
	}
	if ((b = sqlite3_backup_init(db, "main", pristine, "main")) == NULL ||
	    sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
}

static int64_t
count(const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rv_plex_map maps[] = {
		{ "/data/tv", "/mnt/tv" }, { "D:\\TV", "/mnt/win" },
	};
	struct rv_plex_stats s;
	struct rv_err err;
	int64_t assets;
	size_t i;
	int fd, rc;

	if (size > PLEX_INPUT_MAX)
		return 0;
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_plex.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof(path), "%s/library.db", dir);
		atexit(cleanup);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) == -1)
		abort();
	new_catalog();
	rc = rv_plex_import(db, path, maps, 2, 1000, &s, NULL, NULL, &err);
	/* Plex's database is read as it lies: nothing is made beside it. */
	for (i = 0; i < sizeof(beside) / sizeof(beside[0]); i++)
		if (exists(beside[i])) {
			fprintf(stderr, "%s%s was made\n", path, beside[i]);
			abort();
		}
	assets = count("SELECT count(*) FROM assets");
	if (rc < 0) {
		/* The catalog is left as it was, and the message says which
		 * file failed. */
		if (assets != 0 || strstr(err.msg, path) == NULL) {
			fprintf(stderr, "assets %lld, error: %s\n",
			    (long long)assets, err.msg);
			abort();
		}
	} else if (s.added + s.updated != s.movies + s.episodes ||
	    assets > s.movies + s.episodes ||
	    (assets == 0) != (s.movies + s.episodes == 0) ||
	    count("SELECT count(*) FROM pragma_foreign_key_check") != 0) {
		fprintf(stderr, "assets %lld, movies %lld, episodes %lld\n",
		    (long long)assets, (long long)s.movies,
		    (long long)s.episodes);
		abort();
	}
	return 0;
}
