/*
 * Plex import (plex.h): open Plex's database without disturbing Plex,
 * read the few tables that matter with one set-based SELECT each into
 * arrays sorted by id, assemble movies and episodes from them in memory,
 * and put them into the catalog in one transaction.
 */
#include "plex.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "db.h"
#include "progress.h"

enum { MOVIE = 1, SHOW = 2, SEASON = 3, EPISODE = 4 };
enum { TAG_GENRE = 1, TAG_COLLECTION = 2, TAG_MARKER = 12 };

/* Warnings of one kind past this many are summed up in one line. */
#define WARN_MAX	10

/*
 * Reading Plex's tables takes SQLite under 2 steps (of its virtual
 * machine) per byte of the file and its -wal, a library of the size of a
 * real one 0.3.  A damaged file can take without end: a b-tree page named
 * as the child of another many times over is read as often, so that a
 * few such pages make a file of kilobytes hold billions of rows; ids that
 * are not unique multiply the rows of a join.  Past this many steps a
 * byte, the reading stops; SQLite counts them STEPS_PER_CHECK at a time.
 */
#define READ_STEPS_PER_BYTE	100
#define STEPS_PER_CHECK		1000

/* ===== Path maps ===== */

int
rv_plex_map_parse(const char *arg, struct rv_plex_map *m,
    struct rv_err *err)
{
	const char *eq = strchr(arg, '=');
	char *copy;

	m->from = m->to = NULL;
	if (eq == NULL || eq == arg || eq[1] == '\0')
		return rv_errf(err, "'%s': expected FROM=TO, both "
		    "non-empty", arg);
	if ((copy = strdup(arg)) == NULL)
		return rv_errf(err, "out of memory");
	copy[eq - arg] = '\0';
	m->from = copy;
	m->to = copy + (eq - arg) + 1;
	return 0;
}

void
rv_plex_map_free(struct rv_plex_map *m)
{
	if (m == NULL)
		return;
	free((char *)m->from);
	m->from = m->to = NULL;
}

/* A Plex server on Windows names its files with backslashes. */
static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Length of s without trailing separators ("/data/tv/" is "/data/tv"). */
static size_t
trimmed(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && is_sep(s[n - 1]))
		n--;
	return n;
}

int
rv_plex_map_path(const struct rv_plex_map *maps, int nmaps,
    const char *plex_path, char *out, size_t n)
{
	const struct rv_plex_map *best = NULL;
	size_t len, bestlen = 0, tolen, o;
	const char *rest;
	int i, windows;

	for (i = 0; i < nmaps; i++) {
		len = trimmed(maps[i].from);
		if (strncmp(plex_path, maps[i].from, len) != 0 ||
		    !(plex_path[len] == '\0' || is_sep(plex_path[len])))
			continue;
		/* "/" (len 0) still matches only absolute paths. */
		if (len == 0 && !is_sep(plex_path[0]))
			continue;
		if (best == NULL || len > bestlen) {
			best = &maps[i];
			bestlen = len;
		}
	}
	if (best == NULL)
		return snprintf(out, n, "%s", plex_path) < (int)n ? 0 : -1;
	rest = plex_path + bestlen;
	tolen = trimmed(best->to);
	if (tolen == 0 && *rest == '\0')
		rest = "/";
	if (tolen + strlen(rest) + 1 > n)
		return -1;
	memcpy(out, best->to, tolen);
	/* What follows a Windows prefix is a Windows path: make it ours.
	 * (A backslash in a Unix file name stays.) */
	windows = *rest == '\\' || strchr(best->from, '\\') != NULL;
	for (o = tolen; *rest != '\0'; rest++)
		out[o++] = windows && *rest == '\\' ? '/' : *rest;
	out[o] = '\0';
	return 0;
}

/* ===== What is read from Plex ===== */

/* A growable array of elements of size esz. */
struct vec {
	void	*v;
	size_t	 n, cap, esz;
};

/* A zeroed new last element, or NULL when out of memory. */
static void *
vec_push(struct vec *x)
{
	size_t cap;
	char *p;

	if (x->n == x->cap) {
		cap = x->cap ? 2 * x->cap : 256;
		if ((p = reallocarray(x->v, cap, x->esz)) == NULL)
			return NULL;
		x->v = p;
		x->cap = cap;
	}
	p = (char *)x->v + x->n++ * x->esz;
	memset(p, 0, x->esz);
	return p;
}

struct section {
	int64_t		 id;
	const char	*name;
};

/* A metadata_items row: a movie, show, season or episode. */
struct item {
	int64_t		 id, parent_id, section_id, duration;
	int		 type;
	int		 year, index;	/* 0, -1: none */
	int		 deleted;
	const char	*title, *rating, *summary;
	size_t		 media0, nmedia;	/* rows in plex.media */
	size_t		 tag0, ntags;	/* rows in plex.tags */
};

/* A media_items row joined with one of its parts (or none). */
struct media {
	int64_t		 media_id, duration;
	int		 deleted;
	int		 has_part, part_deleted;
	int64_t		 part_duration, size;
	const char	*file;
};

/* A genre, collection or marker of an item. */
struct tag {
	int64_t		 item_id;
	int		 type;
	const char	*name;		/* or a marker's kind */
	int64_t		 start_ms, end_ms;	/* markers */
};

struct plex {
	const char	*path;		/* as the operator named it */
	struct rv_arena	*arena;		/* every string below */
	struct vec	 sections;	/* struct section, by id */
	struct vec	 items;		/* struct item, by id */
	struct vec	 media;		/* struct media, by item */
	struct vec	 tags;		/* struct tag, by item */
};

static void
plex_free(struct plex *d)
{
	rv_arena_free(d->arena);
	free(d->sections.v);
	free(d->items.v);
	free(d->media.v);
	free(d->tags.v);
}

static int
by_id(const void *key, const void *elem)
{
	int64_t k = *(const int64_t *)key, id = *(const int64_t *)elem;

	return k < id ? -1 : k > id;
}

/* struct item and struct section both begin with their id. */
static struct item *
find_item(const struct plex *d, int64_t id)
{
	if (d->items.n == 0)
		return NULL;
	return bsearch(&id, d->items.v, d->items.n, sizeof(struct item),
	    by_id);
}

static const char *
section_name(const struct plex *d, int64_t id)
{
	const struct section *s;

	if (d->sections.n == 0)
		return NULL;
	s = bsearch(&id, d->sections.v, d->sections.n, sizeof(*s), by_id);
	return s != NULL ? s->name : NULL;
}

/* ===== Opening Plex's database ===== */

/* "file:" URI of path with query (SQLite reads %-escapes in the path). */
static char *
file_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 3 * strlen(path) + strlen(query) + 16, o;
	const unsigned char *p;
	char *uri;

	if ((uri = malloc(n)) == NULL)
		return NULL;
	/* "file://" + an absolute path leaves no room for a host name,
	 * even when the path itself begins with "//". */
	o = (size_t)snprintf(uri, n, "%s", path[0] == '/' ? "file://" :
	    "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL) {
			uri[o++] = (char)*p;
		} else {
			uri[o++] = '%';
			uri[o++] = hex[*p >> 4];
			uri[o++] = hex[*p & 15];
		}
	}
	snprintf(uri + o, n - o, "?%s", query);
	return uri;
}

/* SQLite's progress handler: spend the steps left; 1 stops it. */
static int
spend(void *arg)
{
	int64_t *steps = arg;

	*steps -= STEPS_PER_CHECK;
	return *steps < 0;
}

/* Open path read-only; reading spends *steps (see spend). */
static int
open_uri(const char *path, const char *query, const char *name,
    int64_t *steps, sqlite3 **out, struct rv_err *err)
{
	sqlite3 *db = NULL;
	char *uri;
	int rc;

	*out = NULL;
	if ((uri = file_uri(path, query)) == NULL)
		return rv_errf(err, "out of memory");
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		rv_errf(err, "%s: cannot open: %s", name,
		    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, RV_PLEX_BUSY_TIMEOUT_MS);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	/* Another program's schema: its views and triggers run nothing. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_progress_handler(db, STEPS_PER_CHECK, spend, steps);
	*out = db;
	return 0;
}

/*
 * The first 100 bytes of an SQLite file say what it is; *wal is set when
 * it is in WAL mode, *size to the file's size.  Checked before SQLite
 * sees it, so that a stray file gets a plain answer.
 */
static int
check_header(const char *path, int *wal, off_t *size, struct rv_err *err)
{
	unsigned char h[100];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return rv_errf(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return rv_errf(err, "%s: not a file", path);
	}
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return rv_errf(err, "%s: not a Plex library database (not an "
		    "SQLite database)", path);
	/* WAL sets both versions, 18 and 19, to 2; SQLite goes by 19, and
	 * opened mode=ro would make a -wal and -shm for it. */
	*wal = h[18] == 2 || h[19] == 2;
	*size = st.st_size;
	return 0;
}

/* The size of path followed by suffix, or -1 when there is none. */
static off_t
file_size(const char *path, const char *suffix)
{
	char name[PATH_MAX];
	struct stat st;

	if (snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    (int)sizeof(name) || stat(name, &st) == -1)
		return -1;
	return st.st_size;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t k;

	for (; n > 0; buf += k, n -= (size_t)k)
		if ((k = write(fd, buf, n)) < 0)
			return -1;
	return 0;
}

/*
 * Copy from to to.  Returns 0, 1 when from does not exist and missing_ok,
 * or -1.
 */
static int
copy_file(const char *from, const char *to, int missing_ok,
    struct rv_err *err)
{
	char buf[1 << 16];
	ssize_t n;
	int in, out, rc = 0;

	if ((in = open(from, O_RDONLY)) == -1) {
		if (errno == ENOENT && missing_ok)
			return 1;
		return rv_errf(err, "%s: %s", from, strerror(errno));
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1) {
		rv_errf(err, "%s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			break;
	if (n != 0)
		rc = rv_errf(err, "copying %s to %s: %s", from, to,
		    strerror(errno));
	close(in);
	if (close(out) == -1 && rc == 0)
		rc = rv_errf(err, "%s: %s", to, strerror(errno));
	return rc;
}

/* A private copy of a database we may not read in place. */
struct copy {
	char	dir[PATH_MAX];		/* "" when there is none */
	char	db[PATH_MAX];
};

static void
remove_copy(struct copy *c)
{
	static const char *const suffixes[] = { "", "-wal", "-shm",
	    "-journal" };
	char name[PATH_MAX + 16];
	size_t i;

	if (c->dir[0] == '\0')
		return;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", c->db, suffixes[i]);
		(void)unlink(name);
	}
	(void)rmdir(c->dir);
	c->dir[0] = '\0';
}

static int
same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * Copy path and its -wal (if any) into a new temporary folder.  A
 * checkpoint by Plex between the two copies would pair an old database
 * with a newer log; it writes the database, so the copy is retried while
 * the database changes under it.
 */
static int
make_copy(const char *path, struct copy *c, struct rv_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char wal[PATH_MAX], cwal[PATH_MAX + 8];
	struct stat before, after;
	int attempt, rc;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (snprintf(c->dir, sizeof(c->dir), "%s/rv-plex.XXXXXX", tmp) >=
	    (int)sizeof(c->dir) || mkdtemp(c->dir) == NULL) {
		c->dir[0] = '\0';
		return rv_errf(err, "%s: cannot read it in place, nor make a "
		    "temporary folder in %s to copy it to: %s", path, tmp,
		    strerror(errno));
	}
	snprintf(c->db, sizeof(c->db), "%s/library.db", c->dir);
	snprintf(cwal, sizeof(cwal), "%s-wal", c->db);
	if (snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal))
		return rv_errf(err, "%s: path too long", path);
	for (attempt = 0; attempt < 3; attempt++) {
		if (stat(path, &before) == -1)
			return rv_errf(err, "%s: %s", path, strerror(errno));
		if (copy_file(path, c->db, 0, err) < 0 ||
		    (rc = copy_file(wal, cwal, 1, err)) < 0)
			return -1;
		if (rc == 1)
			(void)unlink(cwal);
		if (stat(path, &after) == -1)
			return rv_errf(err, "%s: %s", path, strerror(errno));
		if (same_file_state(&before, &after))
			return 0;
	}
	return rv_errf(err, "%s: it kept changing while being copied; try "
	    "again", path);
}

/* SQLite could not read in place for want of a -shm or -wal it may not
 * create (a read-only folder): reading a copy will do. */
static int
needs_copy(sqlite3 *db)
{
	switch (sqlite3_extended_errcode(db)) {
	case SQLITE_READONLY_RECOVERY:
	case SQLITE_READONLY_CANTLOCK:
	case SQLITE_READONLY_CANTINIT:
	case SQLITE_READONLY_DIRECTORY:
		return 1;
	}
	/* Not SQLITE_READONLY_ROLLBACK: a hot journal left by a crash
	 * would not come along, and a copy without it is torn. */
	return (sqlite3_extended_errcode(db) & 0xff) == SQLITE_CANTOPEN;
}

/* err for a failure of db while reading name. */
static int
read_errf(struct rv_err *err, sqlite3 *db, const char *name,
    const char *what)
{
	int rc = sqlite3_extended_errcode(db) & 0xff;

	if (rc == SQLITE_NOTADB)
		return rv_errf(err, "%s: not a Plex library database (%s)",
		    name, sqlite3_errmsg(db));
	if (rc == SQLITE_CORRUPT)
		return rv_errf(err, "%s: damaged (%s) while %s", name,
		    sqlite3_errmsg(db), what);
	/* Only spend() interrupts. */
	if (rc == SQLITE_INTERRUPT)
		return rv_errf(err, "%s: damaged or not a Plex library "
		    "database (%s takes far more work than a file of its size "
		    "can need)", name, what);
	return rv_errf(err, "%s: %s: %s", name, what, sqlite3_errmsg(db));
}

/*
 * Start the read transaction and check the tables are there.  Returns 0,
 * 1 when the file cannot be read in place (see needs_copy), or -1.
 */
static int
begin_read(sqlite3 *db, const char *name, struct rv_err *err)
{
	static const char *const tables[] = { "metadata_items",
	    "library_sections", "media_items", "media_parts", "tags",
	    "taggings" };
	sqlite3_stmt *st;
	size_t i;
	int rc;

	/* One read transaction, so one snapshot of every table; taken at
	 * the first read, held only while reading. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return read_errf(err, db, name, "beginning to read");
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master"
		    " WHERE type = 'table' AND name = ?1", -1, &st, NULL) !=
		    SQLITE_OK)
			return needs_copy(db) ? 1 :
			    read_errf(err, db, name, "reading its schema");
		sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return rv_errf(err, "%s: not a Plex library database "
			    "(no %s table)", name, tables[i]);
		if (rc != SQLITE_ROW)
			return needs_copy(db) ? 1 :
			    read_errf(err, db, name, "reading its schema");
	}
	return 0;
}

/*
 * Open Plex's database for reading and begin the read transaction; on
 * success the caller ends it, closes *out and removes c.  *steps is set
 * to what reading it may spend, and must live as long as *out.
 *
 * Nothing is ever created beside Plex's files: a -shm or -wal made by
 * another user (root, say) could keep Plex from opening its own database.
 *   - rollback journal: read-only in place;
 *   - WAL, no -wal: nothing is writing (Plex removes the log when it
 *     closes), so immutable=1, which needs no -shm;
 *   - WAL, -wal and -shm: Plex is running; read-only in place, sharing
 *     its -shm;
 *   - WAL, -wal but no -shm (a crashed Plex), or a -shm SQLite cannot
 *     use (a read-only folder, odd permissions): read a copy of the file
 *     and its -wal, opened mode=ro and not immutable, which would ignore
 *     the copied -wal.
 */
static int
open_plex(const char *path, sqlite3 **out, struct copy *c, int64_t *steps,
    struct rv_err *err)
{
	const char *query = "mode=ro";
	off_t size = 0, walsize;
	int wal = 0, rc;

	c->dir[0] = '\0';
	*out = NULL;
	if (check_header(path, &wal, &size, err) < 0)
		return -1;
	walsize = file_size(path, "-wal");
	*steps = READ_STEPS_PER_BYTE * ((int64_t)size +
	    (walsize > 0 ? walsize : 0));
	if (wal && walsize < 0)
		query = "immutable=1";
	else if (wal && file_size(path, "-shm") < 0)
		query = NULL;
	if (query != NULL) {
		if (open_uri(path, query, path, steps, out, err) < 0)
			return -1;
		if ((rc = begin_read(*out, path, err)) <= 0)
			goto done;
		sqlite3_close(*out);
		*out = NULL;
	}
	if (make_copy(path, c, err) < 0 ||
	    open_uri(c->db, "mode=ro", path, steps, out, err) < 0)
		rc = -1;
	else if ((rc = begin_read(*out, path, err)) == 1)
		rc = read_errf(err, *out, path, "reading a copy");
done:
	if (rc < 0) {
		sqlite3_close(*out);
		*out = NULL;
		remove_copy(c);
		return -1;
	}
	return 0;
}

/* ===== Reading ===== */

static int
col_int(sqlite3_stmt *st, int i, int none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none :
	    sqlite3_column_int(st, i);
}

static const char *
col_text(struct plex *d, sqlite3_stmt *st, int i, int *oom)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char *copy;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((copy = rv_arena_strdup(d->arena, s)) == NULL)
		*oom = 1;
	return copy;
}

/* One row of a query into d; 0, or -1 when out of memory. */
typedef int row_fn(struct plex *d, sqlite3_stmt *st);

static int
read_rows(sqlite3 *db, struct plex *d, const char *sql, row_fn *fn,
    const char *what, struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return read_errf(err, db, d->path, what);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(d, st) < 0) {
			sqlite3_finalize(st);
			return rv_errf(err, "%s: out of memory while %s",
			    d->path, what);
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return read_errf(err, db, d->path, what);
	return 0;
}

static int
section_row(struct plex *d, sqlite3_stmt *st)
{
	struct section *s;
	int oom = 0;

	if ((s = vec_push(&d->sections)) == NULL)
		return -1;
	s->id = sqlite3_column_int64(st, 0);
	s->name = col_text(d, st, 1, &oom);
	return oom ? -1 : 0;
}

static int
item_row(struct plex *d, sqlite3_stmt *st)
{
	struct item *it;
	int64_t id = sqlite3_column_int64(st, 0);
	int oom = 0;

	/* A ratingKey is positive: a row without one is no Plex item. */
	if (id <= 0)
		return 0;
	if ((it = vec_push(&d->items)) == NULL)
		return -1;
	it->id = id;
	it->parent_id = sqlite3_column_int64(st, 1);
	it->type = sqlite3_column_int(st, 2);
	it->section_id = sqlite3_column_int64(st, 3);
	it->title = col_text(d, st, 4, &oom);
	it->year = col_int(st, 5, 0);
	it->rating = col_text(d, st, 6, &oom);
	it->summary = col_text(d, st, 7, &oom);
	it->index = col_int(st, 8, -1);
	it->duration = sqlite3_column_int64(st, 9);
	it->deleted = sqlite3_column_int(st, 10);
	return oom ? -1 : 0;
}

static int
media_row(struct plex *d, sqlite3_stmt *st)
{
	struct media *m;
	struct item *it;
	int oom = 0;

	if ((it = find_item(d, sqlite3_column_int64(st, 0))) == NULL)
		return 0;
	if ((m = vec_push(&d->media)) == NULL)
		return -1;
	/* Rows come grouped by item: each item's are one run. */
	if (it->nmedia++ == 0)
		it->media0 = d->media.n - 1;
	m->media_id = sqlite3_column_int64(st, 1);
	m->duration = sqlite3_column_int64(st, 2);
	m->deleted = sqlite3_column_int(st, 3);
	m->has_part = sqlite3_column_type(st, 4) != SQLITE_NULL;
	m->file = col_text(d, st, 5, &oom);
	m->part_duration = sqlite3_column_int64(st, 6);
	m->part_deleted = sqlite3_column_int(st, 7);
	m->size = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 8);
	return oom ? -1 : 0;
}

/* The marker kind named by s, or NULL. */
static const char *
marker_kind(const char *s)
{
	static const char *const kinds[] = { "intro", "credits",
	    "commercial" };
	size_t i;

	for (i = 0; s != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(s, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

static int
tag_row(struct plex *d, sqlite3_stmt *st)
{
	struct tag t = { 0 }, *p;
	struct item *it;
	int oom = 0;

	t.item_id = sqlite3_column_int64(st, 0);
	t.type = sqlite3_column_int(st, 1);
	if (t.type == TAG_MARKER) {
		/* The kind is in the tagging's text, or else the tag's. */
		t.name = marker_kind((const char *)sqlite3_column_text(st, 3));
		if (t.name == NULL)
			t.name = marker_kind((const char *)
			    sqlite3_column_text(st, 2));
		if (t.name == NULL ||
		    sqlite3_column_type(st, 4) == SQLITE_NULL ||
		    sqlite3_column_type(st, 5) == SQLITE_NULL)
			return 0;
		t.start_ms = sqlite3_column_int64(st, 4);
		t.end_ms = sqlite3_column_int64(st, 5);
	} else if ((t.name = col_text(d, st, 2, &oom)) == NULL) {
		return oom ? -1 : 0;
	}
	if ((it = find_item(d, t.item_id)) == NULL)
		return 0;
	if ((p = vec_push(&d->tags)) == NULL)
		return -1;
	*p = t;
	if (it->ntags++ == 0)
		it->tag0 = d->tags.n - 1;
	return 0;
}

/*
 * Every query is one pass over one table (joined where rows only make
 * sense together), ordered so that rows of one item arrive together;
 * an item finds its rows by id, never by a query of its own.
 */
static const char sections_sql[] =
    "SELECT id, name FROM library_sections ORDER BY id";

static const char items_sql[] =
    "SELECT id, parent_id, metadata_type, library_section_id, title, year,"
    " content_rating, summary, \"index\", duration,"
    " deleted_at IS NOT NULL"
    " FROM metadata_items WHERE metadata_type IN (1, 2, 3, 4) ORDER BY id";

static const char media_sql[] =
    "SELECT mi.metadata_item_id, mi.id, mi.duration,"
    " mi.deleted_at IS NOT NULL, mp.id, mp.file, mp.duration,"
    " mp.deleted_at IS NOT NULL, mp.size"
    " FROM media_items AS mi"
    " JOIN metadata_items AS m ON m.id = mi.metadata_item_id"
    " LEFT JOIN media_parts AS mp ON mp.media_item_id = mi.id"
    " WHERE m.metadata_type IN (1, 4)"
    " ORDER BY mi.metadata_item_id, mi.id, mp.\"index\", mp.id";

static const char tags_sql[] =
    "SELECT tg.metadata_item_id, t.tag_type, t.tag, tg.text,"
    " tg.time_offset, tg.end_time_offset"
    " FROM taggings AS tg"
    " JOIN tags AS t ON t.id = tg.tag_id"
    " JOIN metadata_items AS m ON m.id = tg.metadata_item_id"
    " WHERE t.tag_type IN (1, 2, 12) AND m.metadata_type IN (1, 2, 3, 4)"
    " ORDER BY tg.metadata_item_id, t.tag_type, tg.\"index\", tg.id";

/* Read everything the import needs from path into d, in one snapshot. */
static int
read_plex(const char *path, struct plex *d, struct rv_err *err)
{
	struct copy c;
	sqlite3 *db;
	int64_t steps;
	int rc;

	memset(d, 0, sizeof(*d));
	d->path = path;
	d->sections.esz = sizeof(struct section);
	d->items.esz = sizeof(struct item);
	d->media.esz = sizeof(struct media);
	d->tags.esz = sizeof(struct tag);
	if ((d->arena = rv_arena_new()) == NULL)
		return rv_errf(err, "out of memory");
	if (open_plex(path, &db, &c, &steps, err) < 0)
		return -1;
	rc = read_rows(db, d, sections_sql, section_row,
	    "reading library_sections", err);
	if (rc == 0)
		rc = read_rows(db, d, items_sql, item_row,
		    "reading metadata_items", err);
	if (rc == 0)
		rc = read_rows(db, d, media_sql, media_row,
		    "reading media_items and media_parts", err);
	if (rc == 0)
		rc = read_rows(db, d, tags_sql, tag_row,
		    "reading tags and taggings", err);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		rc = read_errf(err, db, path, "ending the read");
	sqlite3_close(db);
	remove_copy(&c);
	return rc;
}

/* ===== Assembling an asset ===== */

enum verdict { TAKE, DELETED, UNPLAYABLE, ORPHAN };

/* The lists and strings of the asset being assembled, reused. */
struct draft {
	struct rv_asset_in	 in;
	struct vec		 genres, collections; /* const char * */
	struct vec		 markers;	/* struct rv_marker */
	char			*path;
	size_t			 pathcap;
	int			 parts;	/* of its media item */
};

static void
draft_free(struct draft *a)
{
	free(a->genres.v);
	free(a->collections.v);
	free(a->markers.v);
	free(a->path);
}

/* Add name to a list of names unless it is there (ignoring case). */
static int
add_name(struct vec *x, const char *name)
{
	const char **v = x->v, **p;
	size_t i;

	for (i = 0; i < x->n; i++)
		if (strcasecmp(v[i], name) == 0)
			return 0;
	if ((p = vec_push(x)) == NULL)
		return -1;
	*p = name;
	return 0;
}

/* The genres and collections of it (and its markers, when own). */
static int
add_tags(const struct plex *d, const struct item *it, int own,
    struct draft *a)
{
	const struct tag *t;
	struct rv_marker *m;
	size_t i;

	if (it->ntags == 0)
		return 0;
	t = (const struct tag *)d->tags.v + it->tag0;
	for (i = 0; i < it->ntags; i++, t++) {
		if (t->type == TAG_GENRE && add_name(&a->genres, t->name) < 0)
			return -1;
		if (t->type == TAG_COLLECTION &&
		    add_name(&a->collections, t->name) < 0)
			return -1;
		if (t->type == TAG_MARKER && own) {
			if ((m = vec_push(&a->markers)) == NULL)
				return -1;
			m->kind = t->name;
			m->start_ms = t->start_ms;
			m->end_ms = t->end_ms;
		}
	}
	return 0;
}

/*
 * The media item to play: the lowest-id one that is not deleted and has
 * a part that is not deleted; *first is that first part.  Otherwise
 * DELETED when something was deleted, else UNPLAYABLE.
 */
static enum verdict
pick_media(const struct plex *d, const struct item *it,
    const struct media **first, int *parts)
{
	const struct media *m, *end, *g;
	int deleted = 0;

	*first = NULL;
	*parts = 0;
	if (it->nmedia == 0)
		return UNPLAYABLE;
	m = (const struct media *)d->media.v + it->media0;
	end = m + it->nmedia;
	for (; m < end; m = g) {
		for (g = m; g < end && g->media_id == m->media_id; g++) {
			if (m->deleted || !g->has_part)
				continue;
			if (g->part_deleted) {
				deleted = 1;
				continue;
			}
			if (g->file == NULL)
				continue;
			if (*first == NULL)
				*first = g;
			++*parts;
		}
		deleted |= m->deleted;
		if (*first != NULL)
			return TAKE;
	}
	return deleted ? DELETED : UNPLAYABLE;
}

/* An episode's season and show; ORPHAN or DELETED when one is wanting. */
static enum verdict
find_show(const struct plex *d, const struct item *ep,
    const struct item **season, const struct item **show)
{
	*season = find_item(d, ep->parent_id);
	*show = *season != NULL ? find_item(d, (*season)->parent_id) : NULL;
	if (*season == NULL || (*season)->type != SEASON || *show == NULL ||
	    (*show)->type != SHOW || (*show)->title == NULL)
		return ORPHAN;
	if ((*season)->deleted || (*show)->deleted)
		return DELETED;
	return TAKE;
}

/* Plex writes 0 or odd values where it knows nothing; the catalog
 * stores unknown as NULL and checks the range of what it stores. */
static int
year_or_0(int y)
{
	return y >= 1000 && y <= 9999 ? y : 0;
}

static int
map_file(const char *file, const struct rv_plex_map *maps, int nmaps,
    struct draft *a)
{
	size_t need = strlen(file) + 2, i;
	char *p;

	for (i = 0; i < (size_t)nmaps; i++)
		need += strlen(maps[i].to);
	if (need > a->pathcap) {
		if ((p = realloc(a->path, need)) == NULL)
			return -1;
		a->path = p;
		a->pathcap = need;
	}
	return rv_plex_map_path(maps, nmaps, file, a->path, a->pathcap);
}

/* Fill a->in from the movie or episode it; a verdict other than TAKE
 * says why it is skipped.  -1: out of memory. */
static int
assemble(const struct plex *d, const struct item *it,
    const struct rv_plex_map *maps, int nmaps, struct draft *a)
{
	static const struct rv_marker none[1];
	const struct item *season = NULL, *show = NULL;
	const struct media *part;
	enum verdict v;
	int64_t duration;

	a->genres.n = a->collections.n = a->markers.n = 0;
	if (it->deleted)
		return DELETED;
	if (it->type == EPISODE && (v = find_show(d, it, &season, &show)) !=
	    TAKE)
		return v;
	if ((v = pick_media(d, it, &part, &a->parts)) != TAKE)
		return v;
	/* Other durations cover every part; only the first file plays. */
	duration = a->parts > 1 ? part->part_duration :
	    part->duration > 0 ? part->duration :
	    part->part_duration > 0 ? part->part_duration : it->duration;
	if (duration <= 0)
		return UNPLAYABLE;
	if (map_file(part->file, maps, nmaps, a) < 0 ||
	    add_tags(d, it, 1, a) < 0 ||
	    (season != NULL && add_tags(d, season, 0, a) < 0) ||
	    (show != NULL && add_tags(d, show, 0, a) < 0))
		return -1;
	memset(&a->in, 0, sizeof(a->in));
	a->in.source = "plex";
	a->in.path = a->path;
	a->in.plex_rating_key = it->id;
	a->in.source_name = section_name(d, it->section_id);
	a->in.kind = it->type == MOVIE ? "movie" : "episode";
	a->in.title = it->title;
	a->in.season = a->in.episode = -1;
	if (show != NULL) {
		a->in.series_title = show->title;
		a->in.series_year = year_or_0(show->year);
		a->in.season = season->index >= 0 ? season->index : -1;
		a->in.episode = it->index >= 0 ? it->index : -1;
	}
	a->in.year = year_or_0(it->year);
	a->in.rating = it->rating != NULL || show == NULL ? it->rating :
	    show->rating;
	a->in.description = it->summary;
	a->in.size = part->size >= 0 ? part->size : -1;
	a->in.mtime_ns = -1;
	a->in.duration_ms = duration;
	a->in.genres = a->genres.v;
	a->in.ngenres = (int)a->genres.n;
	a->in.collections = a->collections.v;
	a->in.ncollections = (int)a->collections.n;
	/* Plex is the truth about markers: none clears what was stored. */
	a->in.markers = a->markers.n > 0 ? a->markers.v : none;
	a->in.nmarkers = (int)a->markers.n;
	return TAKE;
}

/* ===== Writing ===== */

/* A Plex asset already in the catalog. */
struct known {
	int64_t	key;
	char	id[RV_ASSET_ID];
	int	missing, seen;
};

static int
known_row(sqlite3_stmt *st, struct vec *k)
{
	struct known *x;

	if ((x = vec_push(k)) == NULL)
		return -1;
	x->key = sqlite3_column_int64(st, 0);
	snprintf(x->id, sizeof(x->id), "%s",
	    (const char *)sqlite3_column_text(st, 1));
	x->missing = sqlite3_column_int(st, 2);
	return 0;
}

static int
load_known(sqlite3 *db, struct vec *k, struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	k->esz = sizeof(struct known);
	if (rv_db_prepare(db, "SELECT plex_rating_key, id, state = 'missing'"
	    " FROM assets WHERE source = 'plex' ORDER BY plex_rating_key",
	    &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (known_row(st, k) < 0) {
			sqlite3_finalize(st);
			return rv_errf(err, "out of memory");
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "reading the catalog's Plex assets");
	return 0;
}

struct warner {
	rv_catalog_warn_fn	*fn;
	void			*arg;
	int64_t			 orphans, multipart; /* so far */
};

static void
say(struct warner *w, int64_t *count, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report one thing of a kind counted by *count, the first WARN_MAX of
 * each kind only. */
static void
say(struct warner *w, int64_t *count, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (w->fn == NULL || ++*count > WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->fn(w->arg, msg);
}

static void
say_more(struct warner *w, int64_t count, const char *what)
{
	char msg[256];

	if (w->fn == NULL || count <= WARN_MAX)
		return;
	snprintf(msg, sizeof(msg), "%lld more %s (not listed)",
	    (long long)(count - WARN_MAX), what);
	w->fn(w->arg, msg);
}

struct import {
	sqlite3			*db;
	const struct plex	*d;
	const struct rv_plex_map *maps;
	int			 nmaps;
	int64_t			 now_ms;
	struct rv_plex_stats	*stats;
	struct warner		 warn;
	struct vec		 known;		/* struct known */
	struct rv_catalog_writer *w;
	struct draft		 a;
};

/* Assemble and put one movie or episode, counting it. */
static int
import_item(struct import *im, const struct item *it, struct rv_err *err)
{
	struct rv_plex_stats *s = im->stats;
	char id[RV_ASSET_ID];
	struct known *k;
	int v;

	if ((v = assemble(im->d, it, im->maps, im->nmaps, &im->a)) < 0)
		return rv_errf(err, "out of memory");
	switch (v) {
	case DELETED:
		s->skipped_deleted++;
		return 0;
	case UNPLAYABLE:
		s->skipped_unplayable++;
		return 0;
	case ORPHAN:
		s->skipped_orphans++;
		say(&im->warn, &im->warn.orphans, "plex://%lld '%s': Plex "
		    "has no season or titled show for this episode: skipped",
		    (long long)it->id, it->title ? it->title : "");
		return 0;
	}
	if (rv_catalog_put(im->w, &im->a.in, im->now_ms, id, err) < 0)
		return rv_errctx(err, "plex://%lld", (long long)it->id);
	if (im->a.parts > 1) {
		s->multipart++;
		say(&im->warn, &im->warn.multipart, "plex://%lld '%s' has %d "
		    "parts: only the first, %s, is imported", (long long)it->id,
		    it->title ? it->title : "", im->a.parts, im->a.in.path);
	}
	if (it->type == MOVIE)
		s->movies++;
	else
		s->episodes++;
	k = im->known.n == 0 ? NULL : bsearch(&it->id, im->known.v,
	    im->known.n, sizeof(struct known), by_id);
	if (k == NULL)
		s->added++;
	else {
		s->updated++;
		k->seen = 1;
	}
	return 0;
}

/* What Plex no longer has (or no longer can play) goes missing. */
static int
mark_gone(struct import *im, struct rv_err *err)
{
	struct known *k = im->known.v;
	size_t i;

	for (i = 0; i < im->known.n; i++) {
		if (k[i].seen || k[i].missing)
			continue;
		if (rv_catalog_mark_missing(im->db, k[i].id, im->now_ms,
		    err) < 0)
			return -1;
		im->stats->removed++;
	}
	return 0;
}

static int
import_all(struct import *im, struct rv_err *err)
{
	const struct item *items = im->d->items.v, *it;
	size_t n = im->d->items.n, i;
	struct rv_progress p;
	int64_t total = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		total += items[i].type == MOVIE || items[i].type == EPISODE;
	rv_progress_start(&p, "importing from Plex", total);
	for (i = 0; rc == 0 && i < n; i++) {
		it = &items[i];
		if (it->type != MOVIE && it->type != EPISODE)
			continue;
		rc = import_item(im, it, err);
		rv_progress_step(&p, 1);
	}
	rv_progress_end(&p);
	return rc;
}

int
rv_plex_import(sqlite3 *db, const char *plexdb,
    const struct rv_plex_map *maps, int nmaps, int64_t now_ms,
    struct rv_plex_stats *stats, rv_catalog_warn_fn *warn, void *arg,
    struct rv_err *err)
{
	struct rv_plex_stats unused;
	struct import im;
	struct plex d;
	int rc;

	memset(&im, 0, sizeof(im));
	im.stats = stats != NULL ? stats : &unused;
	memset(im.stats, 0, sizeof(*im.stats));
	/* Plex is read whole and closed before our write lock is taken:
	 * neither database waits on the other. */
	if (read_plex(plexdb, &d, err) < 0) {
		plex_free(&d);
		return -1;
	}
	im.db = db;
	im.d = &d;
	im.maps = maps;
	im.nmaps = nmaps;
	im.now_ms = now_ms;
	im.warn.fn = warn;
	im.warn.arg = arg;
	im.a.genres.esz = im.a.collections.esz = sizeof(const char *);
	im.a.markers.esz = sizeof(struct rv_marker);
	rc = rv_db_begin(db, err);
	if (rc == 0)
		rc = load_known(db, &im.known, err);
	if (rc == 0)
		rc = rv_catalog_writer_open(db, &im.w, err);
	if (rc == 0)
		rc = import_all(&im, err);
	if (rc == 0)
		rc = mark_gone(&im, err);
	if (rc == 0) {
		say_more(&im.warn, im.warn.orphans, "episodes without a "
		    "season or show");
		say_more(&im.warn, im.warn.multipart, "multi-part items");
	}
	rv_catalog_writer_close(im.w);
	if (rc == 0 && rv_catalog_rebuild_aliases(db, warn, arg, err) < 0)
		rc = -1;
	if (rc == 0)
		rc = rv_db_commit(db, err);
	else
		rv_db_rollback(db);
	free(im.known.v);
	draft_free(&im.a);
	plex_free(&d);
	return rc < 0 ? -1 : 0;
}
