/*
 * db — the RetroVue database: opening it, its schema, small helpers.
 *
 * One SQLite file (retrovue.db, WAL) holds the catalog, the channels, the
 * compiler's cursors, both horizons with their generations and the as-run
 * log (DESIGN §3).  This module owns how every program opens it (WAL,
 * busy timeout, foreign keys), the numbered migrations of its schema
 * (schema.h, where every table and column is documented), and a handful
 * of helpers that turn SQLite failures into rv_err messages.  The rows
 * belong to the modules that write them: catalog, compile, horizon, asrun.
 *
 * A database is recognised as ours by its PRAGMA application_id; an empty
 * file is adopted, anything else (Plex's library.db, say) is refused
 * untouched, as is a schema newer than this build knows.
 */
#ifndef RV_DB_H
#define RV_DB_H

#include <sqlite3.h>

#include "log.h"

/* PRAGMA application_id of a RetroVue database: "RVtv". */
#define RV_DB_APPLICATION_ID	0x52567476

/* A writer may hold the lock for seconds (a long publish, an fsync on a
 * slow disk); waiting is better than failing a cron run. */
#define RV_DB_BUSY_TIMEOUT_MS	30000

/*
 * Open (creating it and its parent folder, mode 0755, if missing) the
 * database at path for reading and writing, set WAL, the busy timeout,
 * foreign keys and synchronous=NORMAL, then apply pending migrations.
 * ":memory:" gives a private in-memory database (no WAL), for tests.
 * On failure *out is NULL and err names the path and SQLite's reason.
 */
int	rv_db_open(const char *path, sqlite3 **out, struct rv_err *err);

/*
 * Open for reading only, for programs that must not change the schema:
 * the database must already be at rv_db_latest_version() ("run a writer
 * first" otherwise).
 */
int	rv_db_open_readonly(const char *path, sqlite3 **out,
	    struct rv_err *err);

/* Close; accepts NULL. */
void	rv_db_close(sqlite3 *db);

/*
 * Apply the migrations the database lacks, each in its own BEGIN IMMEDIATE
 * transaction together with its PRAGMA user_version.  Returns how many
 * were applied (0 when up to date), or -1.  Safe when several programs
 * open a new database at once: the version is read again under the lock.
 */
int	rv_db_migrate(sqlite3 *db, struct rv_err *err);

/*
 * rv_db_migrate with an explicit list: steps[k-1] takes user_version k-1
 * to k.  It exists so that tests can run migrations that fail.
 */
int	rv_db_apply_migrations(sqlite3 *db, const char *const *steps,
	    int nsteps, struct rv_err *err);

/* PRAGMA user_version, or -1 if it cannot be read. */
int	rv_db_version(sqlite3 *db);

/* The schema version this build creates. */
int	rv_db_latest_version(void);

/* Run one or more statements, discarding rows. */
int	rv_db_exec(sqlite3 *db, const char *sql, struct rv_err *err);

/* Prepare one statement; the caller finalizes it. */
int	rv_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out,
	    struct rv_err *err);

/* BEGIN IMMEDIATE: take the write lock now (waiting up to the busy
 * timeout), so that a write transaction never fails half-way on it. */
int	rv_db_begin(sqlite3 *db, struct rv_err *err);

/* COMMIT; on failure the transaction is rolled back, never left open. */
int	rv_db_commit(sqlite3 *db, struct rv_err *err);

/* Roll back the open transaction, if any.  Never fails loudly, so it can
 * sit on every error path without clobbering the error being reported. */
void	rv_db_rollback(sqlite3 *db);

/* err = "<fmt ...>: <sqlite3_errmsg(db)>"; returns -1. */
int	rv_db_errf(struct rv_err *err, sqlite3 *db, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
