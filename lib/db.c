#include "db.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

#define NMIGRATIONS \
	((int)(sizeof(rv_migrations) / sizeof(rv_migrations[0])))

int
rv_db_errf(struct rv_err *err, sqlite3 *db, const char *fmt, ...)
{
	char what[RV_ERR_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rv_errf(err, "%s: %s", what,
	    db != NULL ? sqlite3_errmsg(db) : "no database");
}

/* The file name for messages; SQLite gives "" for an in-memory database. */
static const char *
db_name(sqlite3 *db)
{
	const char *name = sqlite3_db_filename(db, "main");

	return name != NULL && *name != '\0' ? name : ":memory:";
}

/*
 * A failing statement is named by its first line, past blanks and
 * comments: enough to find it in a migration, short enough for one line.
 */
static int
stmt_errf(struct rv_err *err, sqlite3 *db, const char *sql)
{
	const int max = 60;
	int n;

	for (;;) {
		sql += strspn(sql, " \t\r\n");
		if (strncmp(sql, "--", 2) != 0)
			break;
		sql += strcspn(sql, "\n");
	}
	n = (int)strcspn(sql, "\n");
	if (n > max)
		return rv_db_errf(err, db, "%.*s...", max, sql);
	return rv_db_errf(err, db, "%.*s", n, sql);
}

int
rv_db_exec(sqlite3 *db, const char *sql, struct rv_err *err)
{
	sqlite3_stmt *st;
	const char *tail;
	int rc;

	/* One statement at a time, so that an error names the one that
	 * failed (sqlite3_exec does not say which). */
	while (*sql != '\0') {
		if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
			return stmt_errf(err, db, sql);
		if (st == NULL)		/* only blanks and comments were left */
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE) {
			stmt_errf(err, db, sql);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
		sql = tail;
	}
	return 0;
}

int
rv_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out,
    struct rv_err *err)
{
	*out = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, out, NULL) != SQLITE_OK)
		return stmt_errf(err, db, sql);
	if (*out == NULL)
		return rv_errf(err, "empty SQL statement");
	return 0;
}

int
rv_db_begin(sqlite3 *db, struct rv_err *err)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return rv_db_errf(err, db,
		    "%s: cannot begin a write transaction", db_name(db));
	return 0;
}

int
rv_db_commit(sqlite3 *db, struct rv_err *err)
{
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rv_db_errf(err, db, "%s: cannot commit", db_name(db));
		rv_db_rollback(db);
		return -1;
	}
	return 0;
}

void
rv_db_rollback(sqlite3 *db)
{
	if (db != NULL && !sqlite3_get_autocommit(db))
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* The first column of the first row of sql, as an int. */
static int
query_int(sqlite3 *db, const char *sql, int *out, struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(db, sql, &st, err) == -1)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			rv_errf(err, "%s: no answer", sql);
		else
			rv_db_errf(err, db, "%s", sql);
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
rv_db_version(sqlite3 *db)
{
	int version;

	if (query_int(db, "PRAGMA user_version", &version, NULL) == -1)
		return -1;
	return version;
}

int
rv_db_latest_version(void)
{
	return NMIGRATIONS;
}

/*
 * Whether the database is ours and not newer than latest; returns its
 * user_version, or -1.  Ours: our application_id, or nothing at all in it
 * yet.  Reads only, so that a refused file is left exactly as it was.
 */
static int
check_schema(sqlite3 *db, const char *name, int latest, struct rv_err *err)
{
	/* One statement, so one snapshot: read apart, a migration committed
	 * by another program in between would look like a foreign schema. */
	static const char sql[] = "SELECT"
	    " (SELECT application_id FROM pragma_application_id),"
	    " (SELECT user_version FROM pragma_user_version),"
	    " (SELECT count(*) FROM sqlite_schema)";
	sqlite3_stmt *st;
	int app, version, objects;

	if (rv_db_prepare(db, sql, &st, err) == -1)
		return rv_errctx(err, "%s", name);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rv_db_errf(err, db, "%s: cannot read the schema version", name);
		sqlite3_finalize(st);
		return -1;
	}
	app = sqlite3_column_int(st, 0);
	version = sqlite3_column_int(st, 1);
	objects = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	if (app != 0 && app != RV_DB_APPLICATION_ID)
		return rv_errf(err, "%s: not a RetroVue database "
		    "(application_id %#x)", name, (unsigned)app);
	if (version > latest)
		return rv_errf(err, "%s: schema version %d is newer than this "
		    "build knows (%d): refusing to touch it; use a newer "
		    "RetroVue", name, version, latest);
	if (app == 0 && (version != 0 || objects != 0))
		return rv_errf(err, "%s: not a RetroVue database (it holds "
		    "tables but no RetroVue schema)", name);
	return version;
}

/* Migration k, with the version stamp that says it is done, in the
 * caller's transaction. */
static int
apply_step(sqlite3 *db, const char *sql, int k, struct rv_err *err)
{
	char stamp[128];

	if (rv_db_exec(db, sql, err) == -1)
		return -1;
	snprintf(stamp, sizeof(stamp), "PRAGMA user_version = %d; "
	    "PRAGMA application_id = %d", k, RV_DB_APPLICATION_ID);
	return rv_db_exec(db, stamp, err);
}

int
rv_db_apply_migrations(sqlite3 *db, const char *const *steps, int nsteps,
    struct rv_err *err)
{
	const char *name = db_name(db);
	int applied = 0, version;

	/* Up to date is the common case: decide it without the write lock,
	 * which another program may hold for seconds. */
	if ((version = check_schema(db, name, nsteps, err)) == -1)
		return -1;
	while (version < nsteps) {
		if (rv_db_begin(db, err) == -1)
			return -1;
		/* Another program may have migrated while we waited. */
		if ((version = check_schema(db, name, nsteps, err)) == -1) {
			rv_db_rollback(db);
			return -1;
		}
		if (version == nsteps) {
			rv_db_rollback(db);
			break;
		}
		if (apply_step(db, steps[version], version + 1, err) == -1) {
			rv_db_rollback(db);
			return rv_errctx(err, "%s: migration %d", name,
			    version + 1);
		}
		if (rv_db_commit(db, err) == -1)
			return -1;
		version++;
		applied++;
	}
	return applied;
}

int
rv_db_migrate(sqlite3 *db, struct rv_err *err)
{
	return rv_db_apply_migrations(db, rv_migrations, NMIGRATIONS, err);
}

/* mkdir -p of the folder that holds path. */
static int
make_parent(const char *path, struct rv_err *err)
{
	char dir[PATH_MAX];
	char *slash, *p;
	struct stat st;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return rv_errf(err, "%s: path too long", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			return rv_errf(err, "%s: cannot create folder %s: %s",
			    path, dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return rv_errf(err, "%s: cannot create folder %s: %s", path,
		    dir, strerror(errno));
	if (stat(dir, &st) == -1)
		return rv_errf(err, "%s: %s: %s", path, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return rv_errf(err, "%s: %s is not a folder", path, dir);
	return 0;
}

static int
open_handle(const char *path, int flags, sqlite3 **out, struct rv_err *err)
{
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return rv_errf(err, "no database path given");
	if ((rc = sqlite3_open_v2(path, &db, flags, NULL)) != SQLITE_OK) {
		rv_errf(err, "%s: cannot open: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, RV_DB_BUSY_TIMEOUT_MS);
	/* Double quotes name columns only: a misspelt column in a query is
	 * then an error instead of a string literal that matches nothing. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	*out = db;
	return 0;
}

/*
 * PRAGMA journal_mode = WAL; the mode in force afterwards goes to mode.
 * Switching a new file needs an exclusive lock, and when several programs
 * create the database at once SQLite reports the deadlock at once rather
 * than calling the busy handler: so wait here, within the busy timeout.
 */
static int
set_wal(sqlite3 *db, const char *path, char *mode, size_t size,
    struct rv_err *err)
{
	const int nap_ms = 10;
	const unsigned char *text;
	sqlite3_stmt *st;
	int rc, waited;

	for (waited = 0;; waited += nap_ms) {
		if (rv_db_prepare(db, "PRAGMA journal_mode = WAL", &st,
		    err) == -1)
			return rv_errctx(err, "%s", path);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			break;
		rv_db_errf(err, db, "%s: cannot switch to WAL", path);
		sqlite3_finalize(st);
		if ((rc & 0xff) != SQLITE_BUSY ||
		    waited >= RV_DB_BUSY_TIMEOUT_MS)
			return -1;
		sqlite3_sleep(nap_ms);
	}
	text = sqlite3_column_text(st, 0);
	snprintf(mode, size, "%s", text != NULL ? (const char *)text : "");
	sqlite3_finalize(st);
	return 0;
}

/* WAL, foreign keys, synchronous=NORMAL, each checked to have taken. */
static int
configure(sqlite3 *db, const char *path, int memory, struct rv_err *err)
{
	const char *want = memory ? "memory" : "wal";
	char mode[32];
	int fk;

	if (set_wal(db, path, mode, sizeof(mode), err) == -1)
		return -1;
	if (strcmp(mode, want) != 0)
		return rv_errf(err, "%s: cannot use WAL: journal mode stays %s "
		    "(a network file system?)", path, mode);
	if (rv_db_exec(db, "PRAGMA foreign_keys = ON", err) == -1 ||
	    query_int(db, "PRAGMA foreign_keys", &fk, err) == -1)
		return rv_errctx(err, "%s", path);
	if (fk != 1)
		return rv_errf(err, "%s: this SQLite does not enforce foreign "
		    "keys", path);
	/* In WAL mode NORMAL loses at most the last commits on power loss,
	 * never consistency; FULL would fsync every as-run event. */
	if (rv_db_exec(db, "PRAGMA synchronous = NORMAL", err) == -1)
		return rv_errctx(err, "%s", path);
	return 0;
}

int
rv_db_open(const char *path, sqlite3 **out, struct rv_err *err)
{
	sqlite3 *db;
	int memory;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return rv_errf(err, "no database path given");
	memory = strcmp(path, ":memory:") == 0;
	if (!memory && make_parent(path, err) == -1)
		return -1;
	if (open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db,
	    err) == -1)
		return -1;
	/* Refuse a foreign or newer file before anything writes to it:
	 * switching to WAL already rewrites its header. */
	if (check_schema(db, path, NMIGRATIONS, err) == -1 ||
	    configure(db, path, memory, err) == -1 ||
	    rv_db_migrate(db, err) == -1) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int
rv_db_open_readonly(const char *path, sqlite3 **out, struct rv_err *err)
{
	sqlite3 *db;
	int version;

	*out = NULL;
	if (open_handle(path, SQLITE_OPEN_READONLY, &db, err) == -1)
		return -1;
	if ((version = check_schema(db, path, NMIGRATIONS, err)) == -1) {
		sqlite3_close(db);
		return -1;
	}
	if (version < NMIGRATIONS) {
		if (version == 0)
			rv_errf(err, "%s: no RetroVue schema yet (this build "
			    "needs version %d): run a writer first", path,
			    NMIGRATIONS);
		else
			rv_errf(err, "%s: schema version %d is older than "
			    "this build needs (%d): run a writer first to "
			    "migrate it", path, version, NMIGRATIONS);
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void
rv_db_close(sqlite3 *db)
{
	/* _v2: a statement the caller forgot does not keep the file open
	 * forever; it closes when that statement is finalized. */
	if (db != NULL)
		sqlite3_close_v2(db);
}
