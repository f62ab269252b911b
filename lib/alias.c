/*
 * Aliases: other names of an asset (catalog.h).  Rebuilt whole after a
 * scan or import so that they always follow the catalog and never depend
 * on the order assets arrived in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "db.h"
#include "naming.h"

#define SLUG_MAX 128

struct show {
	char	*title;
	int	 year;			/* 0: unknown */
	char	 slug[SLUG_MAX];	/* "" when it gets no alias */
};

static void
say(rv_catalog_warn_fn *warn, void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(rv_catalog_warn_fn *warn, void *arg, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(arg, msg);
}

static int
by_slug(const void *a, const void *b)
{
	const struct show *x = *(struct show *const *)a;
	const struct show *y = *(struct show *const *)b;
	int c = strcmp(x->slug, y->slug);

	return c != 0 ? c : x->year - y->year;
}

/* Sort the shows by slug and call fn on each run of two or more. */
static void
each_clash(struct show **v, size_t n,
    void (*fn)(struct show **, size_t, rv_catalog_warn_fn *, void *),
    rv_catalog_warn_fn *warn, void *arg)
{
	size_t i, j;

	qsort(v, n, sizeof(*v), by_slug);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j]->slug, v[i]->slug) == 0;
		    j++)
			;
		if (j - i > 1 && v[i]->slug[0] != 0)
			fn(v + i, j - i, warn, arg);
	}
}

static void
add_years(struct show **v, size_t n, rv_catalog_warn_fn *warn, void *arg)
{
	char base[SLUG_MAX];
	size_t k;

	snprintf(base, sizeof(base), "%s", v[0]->slug);
	for (k = 0; k < n; k++) {
		if (v[k]->year != 0)
			snprintf(v[k]->slug, SLUG_MAX, "%.100s_%d", base,
			    v[k]->year);
		if (v[k]->year != 0)
			say(warn, arg, "shows share the alias slug '%s': '%s' "
			    "(%d) gets asset.%s", base, v[k]->title, v[k]->year,
			    v[k]->slug);
	}
}

static void
drop_slugs(struct show **v, size_t n, rv_catalog_warn_fn *warn, void *arg)
{
	size_t k;

	for (k = 0; k < n; k++)
		say(warn, arg, "'%s'%s cannot be told apart from another show "
		    "by its year: its episodes get no asset.%s alias",
		    v[k]->title, v[k]->year ? " (year given)" : " (no year)",
		    v[k]->slug);
	for (k = 0; k < n; k++)
		v[k]->slug[0] = 0;
}

/* Slugs for every show: clashes get the year added, and what still
 * clashes gets none. */
static int
settle_slugs(struct show *shows, size_t n, rv_catalog_warn_fn *warn,
    void *arg)
{
	struct show **v;
	size_t i;

	if (n == 0)
		return 0;
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		v[i] = &shows[i];
		rv_name_slug(shows[i].title, shows[i].slug, SLUG_MAX);
	}
	each_clash(v, n, add_years, warn, arg);
	each_clash(v, n, drop_slugs, warn, arg);
	free(v);
	return 0;
}

static int
insert_alias(sqlite3 *db, sqlite3_stmt *st, const char *alias, const char *id,
    struct rv_err *err)
{
	int rc;

	sqlite3_bind_text(st, 1, alias, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "alias %s", alias);
	return sqlite3_changes(db);
}

struct episodes {
	sqlite3_stmt	*rows;
	struct show	*shows;
	size_t		 nshows, cap;
	int		*show_of;	/* per row */
	size_t		 nrows, rowcap;
};

/* Episodes come sorted by show, then number, ready and lowest id first;
 * a run of rows with one (title, year) is one show. */
static const char episodes_sql[] =
    "SELECT id, series_title, coalesce(series_year, 0), season, episode"
    " FROM assets WHERE kind = 'episode' AND series_title IS NOT NULL"
    " AND state <> 'missing'"
    " AND season IS NOT NULL AND episode IS NOT NULL"
    " ORDER BY series_title COLLATE NOCASE, series_title,"
    " coalesce(series_year, 0), season, episode, state <> 'ready', id";

static int
collect_shows(sqlite3 *db, struct episodes *e, struct rv_err *err)
{
	const char *title;
	struct show *s;
	int year, rc;
	void *p;

	while ((rc = sqlite3_step(e->rows)) == SQLITE_ROW) {
		title = (const char *)sqlite3_column_text(e->rows, 1);
		year = sqlite3_column_int(e->rows, 2);
		s = e->nshows ? &e->shows[e->nshows - 1] : NULL;
		if (s == NULL || s->year != year || strcmp(s->title, title) != 0) {
			if (e->nshows == e->cap) {
				e->cap = e->cap ? 2 * e->cap : 64;
				p = reallocarray(e->shows, e->cap,
				    sizeof(*e->shows));
				if (p == NULL)
					return rv_errf(err, "out of memory");
				e->shows = p;
			}
			s = &e->shows[e->nshows++];
			s->title = strdup(title);
			s->year = year;
			if (s->title == NULL)
				return rv_errf(err, "out of memory");
		}
		if (e->nrows == e->rowcap) {
			e->rowcap = e->rowcap ? 2 * e->rowcap : 1024;
			p = reallocarray(e->show_of, e->rowcap, sizeof(int));
			if (p == NULL)
				return rv_errf(err, "out of memory");
			e->show_of = p;
		}
		e->show_of[e->nrows++] = (int)(e->nshows - 1);
	}
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "reading episodes");
	sqlite3_reset(e->rows);
	return 0;
}

static int
episode_aliases(sqlite3 *db, sqlite3_stmt *ins, rv_catalog_warn_fn *warn,
    void *arg, struct rv_err *err)
{
	struct episodes e = { 0 };
	char alias[SLUG_MAX + 32], last[SLUG_MAX + 32] = "";
	const char *id;
	size_t row = 0, i;
	int rc, count = 0, n;

	if (rv_db_prepare(db, episodes_sql, &e.rows, err) < 0)
		return -1;
	rc = collect_shows(db, &e, err);
	if (rc == 0)
		rc = settle_slugs(e.shows, e.nshows, warn, arg) < 0 ?
		    rv_errf(err, "out of memory") : 0;
	while (rc == 0 && sqlite3_step(e.rows) == SQLITE_ROW) {
		const struct show *s = &e.shows[e.show_of[row++]];

		if (s->slug[0] == 0)
			continue;
		id = (const char *)sqlite3_column_text(e.rows, 0);
		snprintf(alias, sizeof(alias), "asset.%s.s%02de%02d", s->slug,
		    sqlite3_column_int(e.rows, 3), sqlite3_column_int(e.rows, 4));
		if (strcmp(alias, last) == 0) {
			say(warn, arg, "%s is also %s: the alias stays with the "
			    "first", id, alias);
			continue;
		}
		snprintf(last, sizeof(last), "%s", alias);
		if ((n = insert_alias(db, ins, alias, id, err)) < 0)
			rc = -1;
		else if (n == 0)
			say(warn, arg, "alias %s is taken: %s does not get it",
			    alias, id);
		count += n > 0;
	}
	sqlite3_finalize(e.rows);
	for (i = 0; i < e.nshows; i++)
		free(e.shows[i].title);
	free(e.shows);
	free(e.show_of);
	return rc < 0 ? -1 : count;
}

int
rv_catalog_rebuild_aliases(sqlite3 *db, rv_catalog_warn_fn *warn, void *arg,
    struct rv_err *err)
{
	sqlite3_stmt *ins;
	int n, plex;

	if (rv_db_exec(db, "DELETE FROM aliases", err) < 0)
		return -1;
	if (rv_db_exec(db, "INSERT INTO aliases (alias, asset_id)"
	    " SELECT 'plex://' || plex_rating_key, id FROM assets"
	    " WHERE plex_rating_key IS NOT NULL", err) < 0)
		return -1;
	plex = sqlite3_changes(db);
	if (rv_db_prepare(db, "INSERT INTO aliases (alias, asset_id)"
	    " VALUES (?1, ?2) ON CONFLICT DO NOTHING", &ins, err) < 0)
		return -1;
	n = episode_aliases(db, ins, warn, arg, err);
	sqlite3_finalize(ins);
	return n < 0 ? -1 : plex + n;
}

int
rv_catalog_resolve(sqlite3 *db, const char *name, char id[RV_ASSET_ID],
    struct rv_err *err)
{
	static const char *const queries[] = {
		"SELECT id FROM assets WHERE id = ?1",
		"SELECT asset_id FROM aliases WHERE alias = ?1",
		("SELECT id FROM assets WHERE path = ?1"
		    " ORDER BY source = 'folder' DESC, id LIMIT 1"),
	};
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		if (rv_db_prepare(db, queries[i], &st, err) < 0)
			return -1;
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			snprintf(id, RV_ASSET_ID, "%s",
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (rc == SQLITE_ROW)
			return 0;
		if (rc != SQLITE_DONE)
			return rv_db_errf(err, db, "looking up '%s'", name);
	}
	return rv_errf(err, "no asset is named '%s' (not an id, alias or "
	    "path in the catalog)", name);
}
