#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "db.h"
#include "hash.h"
#include "naming.h"

enum {
	S_UPSERT, S_PROBED, S_STREAMS, S_DEL_GENRES, S_ADD_GENRE, S_DEL_COLLS,
	S_ADD_COLL, S_COLL_ID, S_ADD_MEMBER, S_DEL_CHAPTERS, S_ADD_CHAPTER,
	S_DEL_MARKERS, S_ADD_MARKER, S_COUNT
};

static const char *const sql[S_COUNT] = {
	[S_UPSERT] =
	"INSERT INTO assets (id, kind, state, fail_reason, title,"
	" series_title, series_year, season, episode, year, rating,"
	" description, duration_ms, path, size, mtime_ns, source, source_name,"
	" plex_rating_key, added_ms, updated_ms)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?20)"
	" ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,"
	/* An import that did not probe (?21 = 0) keeps what probing found:
	 * a failed probe's verdict and the file's own duration. */
	" state = CASE WHEN ?21 = 0 AND probed_ms IS NOT NULL AND"
	"  state = 'failed' AND excluded.state = 'ready' THEN state"
	"  ELSE excluded.state END,"
	" fail_reason = CASE WHEN ?21 = 0 AND probed_ms IS NOT NULL AND"
	"  state = 'failed' AND excluded.state = 'ready' THEN fail_reason"
	"  ELSE excluded.fail_reason END,"
	" duration_ms = CASE WHEN ?21 = 0 AND probed_ms IS NOT NULL AND"
	"  duration_ms > 0 THEN duration_ms ELSE excluded.duration_ms END,"
	" title = excluded.title, series_title = excluded.series_title,"
	" series_year = excluded.series_year, season = excluded.season,"
	" episode = excluded.episode, year = excluded.year,"
	" rating = excluded.rating, description = excluded.description,"
	" path = excluded.path,"
	/* Who does not know the file's size and time leaves them be. */
	" size = coalesce(excluded.size, size),"
	" mtime_ns = coalesce(excluded.mtime_ns, mtime_ns),"
	" source_name = excluded.source_name,"
	/* A file that changed is measured again. */
	" loudness_lufs = CASE WHEN (excluded.size IS NULL OR size IS"
	"  excluded.size) AND (excluded.mtime_ns IS NULL OR mtime_ns IS"
	"  excluded.mtime_ns) THEN loudness_lufs END,"
	" gain_db = CASE WHEN (excluded.size IS NULL OR size IS excluded.size)"
	"  AND (excluded.mtime_ns IS NULL OR mtime_ns IS excluded.mtime_ns)"
	"  THEN gain_db END,"
	" plex_rating_key = excluded.plex_rating_key,"
	" updated_ms = excluded.updated_ms",
	[S_PROBED] =
	"UPDATE assets SET state = ?2, fail_reason = ?3,"
	" duration_ms = CASE WHEN ?2 = 'ready' THEN ?4 ELSE duration_ms END,"
	" loudness_lufs = CASE WHEN size IS ?5 AND mtime_ns IS ?6"
	"  THEN loudness_lufs END,"
	" gain_db = CASE WHEN size IS ?5 AND mtime_ns IS ?6 THEN gain_db END,"
	" size = coalesce(?5, size), mtime_ns = coalesce(?6, mtime_ns),"
	" probed_ms = ?7, updated_ms = ?7 WHERE id = ?1",
	[S_STREAMS] =
	"UPDATE assets SET container = ?2, video_codec = ?3, width = ?4,"
	" height = ?5, fps_num = ?6, fps_den = ?7, field_order = ?8,"
	" sar_num = ?9, sar_den = ?10, audio_codec = ?11,"
	" audio_channels = ?12, audio_rate = ?13, probed_ms = ?14,"
	" dar_num = ?15, dar_den = ?16 WHERE id = ?1",
	[S_DEL_GENRES] = "DELETE FROM asset_genres WHERE asset_id = ?1",
	[S_ADD_GENRE] = "INSERT INTO asset_genres (asset_id, genre)"
	" VALUES (?1, ?2) ON CONFLICT DO NOTHING",
	[S_DEL_COLLS] = "DELETE FROM asset_collections WHERE asset_id = ?1",
	[S_ADD_COLL] = "INSERT INTO collections (name) VALUES (?1)"
	" ON CONFLICT (name) DO NOTHING",
	[S_COLL_ID] = "SELECT id FROM collections WHERE name = ?1",
	[S_ADD_MEMBER] = "INSERT INTO asset_collections (collection_id,"
	" asset_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
	[S_DEL_CHAPTERS] = "DELETE FROM chapters WHERE asset_id = ?1",
	[S_ADD_CHAPTER] = "INSERT INTO chapters (asset_id, idx, start_ms,"
	" end_ms, title) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_DEL_MARKERS] = "DELETE FROM markers WHERE asset_id = ?1",
	[S_ADD_MARKER] = "INSERT INTO markers (asset_id, kind, start_ms,"
	" end_ms) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
};

struct rv_catalog_writer {
	sqlite3		*db;
	sqlite3_stmt	*st[S_COUNT];
};

void
rv_catalog_asset_id(const char *source, const char *key,
    char id[RV_ASSET_ID])
{
	char hex[RV_SHA256_HEX], *text;
	size_t n = strlen(source) + strlen(key) + 2;

	text = malloc(n);
	if (text == NULL || rv_sha256_hex(text, (size_t)snprintf(text, n,
	    "%s:%s", source, key), hex) < 0)
		memset(hex, '0', sizeof(hex) - 1);
	free(text);
	snprintf(id, RV_ASSET_ID, "a-%.16s", hex);
}

int
rv_catalog_writer_open(sqlite3 *db, struct rv_catalog_writer **out,
    struct rv_err *err)
{
	struct rv_catalog_writer *w;
	int i;

	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return rv_errf(err, "out of memory");
	w->db = db;
	for (i = 0; i < S_COUNT; i++)
		if (rv_db_prepare(db, sql[i], &w->st[i], err) < 0) {
			rv_catalog_writer_close(w);
			return -1;
		}
	*out = w;
	return 0;
}

void
rv_catalog_writer_close(struct rv_catalog_writer *w)
{
	int i;

	if (w == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(w->st[i]);
	free(w);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_int(sqlite3_stmt *st, int i, int64_t v, int64_t unknown)
{
	if (v == unknown)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* Step a statement that returns no row, then reset it for reuse. */
static int
run(struct rv_catalog_writer *w, int which, const char *id,
    struct rv_err *err)
{
	sqlite3_stmt *st = w->st[which];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return rv_db_errf(err, w->db, "asset %s", id);
	return 0;
}

static int
put_streams(struct rv_catalog_writer *w, const char *id,
    const struct rv_probe *p, int64_t now_ms, struct rv_err *err)
{
	sqlite3_stmt *st = w->st[S_STREAMS];
	int i;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bind_text(st, 2, p->container);
	if (p->has_video) {
		bind_text(st, 3, p->video_codec);
		bind_int(st, 4, p->width, 0);
		bind_int(st, 5, p->height, 0);
		bind_int(st, 6, p->fps_num, 0);
		bind_int(st, 7, p->fps_num ? p->fps_den : 0, 0);
		if (strcmp(p->field_order, "unknown") != 0)
			bind_text(st, 8, p->field_order);
		sqlite3_bind_int(st, 9, p->sar_num);
		sqlite3_bind_int(st, 10, p->sar_den);
		if (p->width > 0 && p->height > 0) {
			int64_t num = (int64_t)p->width * p->sar_num;
			int64_t den = (int64_t)p->height * p->sar_den;
			int64_t a = num, b = den, r;

			while (b != 0) {
				r = a % b;
				a = b;
				b = r;
			}
			sqlite3_bind_int64(st, 15, num / a);
			sqlite3_bind_int64(st, 16, den / a);
		}
	}
	if (p->has_audio) {
		bind_text(st, 11, p->audio_codec);
		bind_int(st, 12, p->audio_channels, 0);
		bind_int(st, 13, p->audio_rate, 0);
	}
	sqlite3_bind_int64(st, 14, now_ms);
	if (run(w, S_STREAMS, id, err) < 0)
		return -1;
	sqlite3_bind_text(w->st[S_DEL_CHAPTERS], 1, id, -1, SQLITE_STATIC);
	if (run(w, S_DEL_CHAPTERS, id, err) < 0)
		return -1;
	for (i = 0; i < p->nchapters; i++) {
		const struct rv_chapter *c = &p->chapters[i];

		/* A chapter that ends where it starts marks no break. */
		if (c->end_ms <= c->start_ms || c->start_ms < 0)
			continue;
		st = w->st[S_ADD_CHAPTER];
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_int64(st, 3, c->start_ms);
		sqlite3_bind_int64(st, 4, c->end_ms);
		bind_text(st, 5, c->title);
		if (run(w, S_ADD_CHAPTER, id, err) < 0)
			return -1;
	}
	return 0;
}

static int
put_genres(struct rv_catalog_writer *w, const char *id,
    const struct rv_asset_in *a, struct rv_err *err)
{
	int i;

	sqlite3_bind_text(w->st[S_DEL_GENRES], 1, id, -1, SQLITE_STATIC);
	if (run(w, S_DEL_GENRES, id, err) < 0)
		return -1;
	for (i = 0; i < a->ngenres; i++) {
		if (a->genres[i] == NULL || a->genres[i][0] == 0)
			continue;
		sqlite3_bind_text(w->st[S_ADD_GENRE], 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->st[S_ADD_GENRE], 2, a->genres[i], -1,
		    SQLITE_STATIC);
		if (run(w, S_ADD_GENRE, id, err) < 0)
			return -1;
	}
	return 0;
}

static int
put_collections(struct rv_catalog_writer *w, const char *id,
    const struct rv_asset_in *a, struct rv_err *err)
{
	sqlite3_stmt *st;
	int64_t cid;
	int i, rc;

	sqlite3_bind_text(w->st[S_DEL_COLLS], 1, id, -1, SQLITE_STATIC);
	if (run(w, S_DEL_COLLS, id, err) < 0)
		return -1;
	for (i = 0; i < a->ncollections; i++) {
		const char *name = a->collections[i];

		if (name == NULL || name[0] == 0)
			continue;
		sqlite3_bind_text(w->st[S_ADD_COLL], 1, name, -1, SQLITE_STATIC);
		if (run(w, S_ADD_COLL, id, err) < 0)
			return -1;
		st = w->st[S_COLL_ID];
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		cid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		sqlite3_reset(st);
		if (cid < 0)
			return rv_db_errf(err, w->db, "collection '%s'", name);
		st = w->st[S_ADD_MEMBER];
		sqlite3_bind_int64(st, 1, cid);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		if (run(w, S_ADD_MEMBER, id, err) < 0)
			return -1;
	}
	return 0;
}

static int
put_markers(struct rv_catalog_writer *w, const char *id,
    const struct rv_asset_in *a, struct rv_err *err)
{
	sqlite3_stmt *st = w->st[S_ADD_MARKER];
	int i;

	sqlite3_bind_text(w->st[S_DEL_MARKERS], 1, id, -1, SQLITE_STATIC);
	if (run(w, S_DEL_MARKERS, id, err) < 0)
		return -1;
	for (i = 0; i < a->nmarkers; i++) {
		const struct rv_marker *m = &a->markers[i];

		if (m->end_ms <= m->start_ms || m->start_ms < 0)
			continue;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->start_ms);
		sqlite3_bind_int64(st, 4, m->end_ms);
		if (run(w, S_ADD_MARKER, id, err) < 0)
			return -1;
	}
	return 0;
}

int
rv_catalog_put(struct rv_catalog_writer *w, const struct rv_asset_in *a,
    int64_t now_ms, char id[RV_ASSET_ID], struct rv_err *err)
{
	sqlite3_stmt *st = w->st[S_UPSERT];
	const char *reason = a->fail_reason, *title = a->title;
	int64_t duration = a->probe ? a->probe->duration_ms : a->duration_ms;
	char key[32];

	if (strcmp(a->source, "plex") == 0) {
		snprintf(key, sizeof(key), "%lld", (long long)a->plex_rating_key);
		rv_catalog_asset_id("plex", key, id);
	} else {
		rv_catalog_asset_id(a->source, a->path, id);
	}
	if (reason == NULL && duration <= 0)
		reason = "no duration";
	if (title == NULL || title[0] == 0)
		title = a->path;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reason ? "failed" : "ready", -1,
	    SQLITE_STATIC);
	bind_text(st, 4, reason);
	sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
	/* An episode must name its series; a failed file may not know it. */
	bind_text(st, 6, a->series_title);
	bind_int(st, 7, a->series_year, 0);
	bind_int(st, 8, a->season, -1);
	bind_int(st, 9, a->episode, -1);
	bind_int(st, 10, a->year, 0);
	bind_text(st, 11, a->rating);
	bind_text(st, 12, a->description);
	sqlite3_bind_int64(st, 13, duration > 0 ? duration : 0);
	sqlite3_bind_text(st, 14, a->path, -1, SQLITE_STATIC);
	bind_int(st, 15, a->size, -1);
	bind_int(st, 16, a->mtime_ns, -1);
	sqlite3_bind_text(st, 17, a->source, -1, SQLITE_STATIC);
	bind_text(st, 18, a->source_name);
	bind_int(st, 19, a->plex_rating_key, 0);
	sqlite3_bind_int64(st, 20, now_ms);
	sqlite3_bind_int(st, 21, a->probe != NULL);
	if (run(w, S_UPSERT, id, err) < 0)
		return rv_errctx(err, "%s", a->path);
	if (a->probe != NULL && put_streams(w, id, a->probe, now_ms, err) < 0)
		return -1;
	if (put_genres(w, id, a, err) < 0 || put_collections(w, id, a, err) < 0)
		return -1;
	if (a->markers != NULL && put_markers(w, id, a, err) < 0)
		return -1;
	return 0;
}

int
rv_catalog_put_probe(struct rv_catalog_writer *w, const char *id,
    int64_t size, int64_t mtime_ns, const struct rv_probe *p,
    const char *reason, int64_t now_ms, struct rv_err *err)
{
	sqlite3_stmt *st = w->st[S_PROBED];
	int ok = p != NULL && reason == NULL;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ok ? "ready" : "failed", -1, SQLITE_STATIC);
	bind_text(st, 3, ok ? NULL : reason ? reason : "probe failed");
	sqlite3_bind_int64(st, 4, ok ? p->duration_ms : 0);
	bind_int(st, 5, size, -1);
	bind_int(st, 6, mtime_ns, -1);
	sqlite3_bind_int64(st, 7, now_ms);
	if (run(w, S_PROBED, id, err) < 0)
		return -1;
	return ok ? put_streams(w, id, p, now_ms, err) : 0;
}

int
rv_catalog_mark_missing(sqlite3 *db, const char *id, int64_t now_ms,
    struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(db, "UPDATE assets SET state = 'missing',"
	    " fail_reason = 'file not found', updated_ms = ?2"
	    " WHERE id = ?1 AND state <> 'missing'", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "asset %s", id);
	return 0;
}

static int
by_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rv_cat_asset *)elem)->id);
}

const struct rv_cat_asset *
rv_catalog_find(const struct rv_catalog *c, const char *id)
{
	/* bsearch wants a real array even for none. */
	if (c->n == 0)
		return NULL;
	return bsearch(id, c->assets, c->n, sizeof(*c->assets), by_id);
}

static int
by_alias(const void *key, const void *elem)
{
	return strcmp(key, ((const struct rv_cat_alias *)elem)->alias);
}

const struct rv_cat_asset *
rv_catalog_lookup(const struct rv_catalog *c, const char *name)
{
	const struct rv_cat_asset *a = rv_catalog_find(c, name);
	const struct rv_cat_alias *al;
	size_t i;

	if (a != NULL)
		return a;
	al = c->naliases == 0 ? NULL : bsearch(name, c->aliases, c->naliases,
	    sizeof(*c->aliases), by_alias);
	if (al != NULL)
		return al->asset;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->assets[i].path, name) == 0)
			return &c->assets[i];
	return NULL;
}

static const char *
col_text(struct rv_arena *a, sqlite3_stmt *st, int i)
{
	return rv_arena_strdup(a, (const char *)sqlite3_column_text(st, i));
}

static int
col_int(sqlite3_stmt *st, int i, int unknown)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? unknown :
	    sqlite3_column_int(st, i);
}

static int
load_assets(sqlite3 *db, struct rv_catalog *c, struct rv_err *err)
{
	sqlite3_stmt *st;
	struct rv_cat_asset *x;
	size_t cap = 0;
	void *p;
	int rc;

	if (rv_db_prepare(db, "SELECT id, kind, title, series_title, rating,"
	    " path, source, source_name, description, season, episode, year,"
	    " series_year, duration_ms, gain_db FROM assets"
	    " WHERE state = 'ready' ORDER BY id", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->n == cap) {
			cap = cap ? 2 * cap : 1024;
			p = reallocarray(c->assets, cap, sizeof(*c->assets));
			if (p == NULL)
				break;
			c->assets = p;
		}
		x = &c->assets[c->n++];
		memset(x, 0, sizeof(*x));
		x->id = col_text(c->arena, st, 0);
		x->kind = col_text(c->arena, st, 1);
		x->title = col_text(c->arena, st, 2);
		x->series_title = col_text(c->arena, st, 3);
		x->rating = col_text(c->arena, st, 4);
		x->path = col_text(c->arena, st, 5);
		x->source = col_text(c->arena, st, 6);
		x->source_name = col_text(c->arena, st, 7);
		x->description = col_text(c->arena, st, 8);
		x->season = col_int(st, 9, -1);
		x->episode = col_int(st, 10, -1);
		x->year = col_int(st, 11, 0);
		x->series_year = col_int(st, 12, 0);
		x->duration_ms = sqlite3_column_int64(st, 13);
		x->has_gain = sqlite3_column_type(st, 14) != SQLITE_NULL;
		x->gain_db = sqlite3_column_double(st, 14);
		if (x->id == NULL || x->kind == NULL || x->title == NULL ||
		    x->path == NULL)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return rv_errf(err, "out of memory loading the catalog");
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "loading the catalog");
	return 0;
}

enum list { GENRES, COLLECTIONS, CHAPTERS };

/* Rows of (asset_id, value) sorted by asset id, gathered into per-asset
 * arrays: strings (genres, collections) or integers (chapter starts). */
static int
load_lists(sqlite3 *db, struct rv_catalog *c, const char *sql,
    enum list which, struct rv_err *err)
{
	int ints = which == CHAPTERS;
	sqlite3_stmt *st;
	struct rv_cat_asset *x = NULL;
	const char *id;
	size_t cap = 0;
	void **slot;
	int *count, rc;

	if (rv_db_prepare(db, sql, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		if (x == NULL || strcmp(x->id, id) != 0) {
			x = (struct rv_cat_asset *)rv_catalog_find(c, id);
			cap = 0;
		}
		if (x == NULL)
			continue;	/* not ready */
		slot = which == CHAPTERS ? (void **)&x->chapters_ms :
		    which == GENRES ? (void **)&x->genres :
		    (void **)&x->collections;
		count = which == CHAPTERS ? &x->nchapters :
		    which == GENRES ? &x->ngenres : &x->ncollections;
		if ((size_t)*count == cap) {
			/* Arena arrays cannot grow in place: copy on double. */
			size_t esz = ints ? sizeof(int64_t) : sizeof(char *);
			void *n = rv_arena_alloc(c->arena, (cap ? 2 * cap : 4) *
			    esz);

			if (n == NULL)
				break;
			if (*count > 0)
				memcpy(n, *slot, (size_t)*count * esz);
			*slot = n;
			cap = cap ? 2 * cap : 4;
		}
		if (ints)
			((int64_t *)*slot)[(*count)++] =
			    sqlite3_column_int64(st, 1);
		else if ((((const char **)*slot)[(*count)++] =
		    col_text(c->arena, st, 1)) == NULL)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return rv_errf(err, "out of memory loading the catalog");
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "loading the catalog");
	return 0;
}

static int
load_aliases(sqlite3 *db, struct rv_catalog *c, struct rv_err *err)
{
	const struct rv_cat_asset *a;
	sqlite3_stmt *st;
	size_t cap = 0;
	void *p;
	int rc;

	if (rv_db_prepare(db, "SELECT alias, asset_id FROM aliases"
	    " ORDER BY alias", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a = rv_catalog_find(c, (const char *)sqlite3_column_text(st, 1));
		if (a == NULL)
			continue;	/* not ready */
		if (c->naliases == cap) {
			cap = cap ? 2 * cap : 1024;
			p = reallocarray(c->aliases, cap, sizeof(*c->aliases));
			if (p == NULL)
				break;
			c->aliases = p;
		}
		c->aliases[c->naliases].asset = a;
		if ((c->aliases[c->naliases++].alias = col_text(c->arena, st,
		    0)) == NULL)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return rv_errf(err, "out of memory loading aliases");
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "loading aliases");
	return 0;
}

int
rv_catalog_load(sqlite3 *db, struct rv_catalog **out, struct rv_err *err)
{
	struct rv_catalog *c;

	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->arena = rv_arena_new()) == NULL) {
		free(c);
		return rv_errf(err, "out of memory");
	}
	if (load_assets(db, c, err) < 0 ||
	    load_lists(db, c, "SELECT asset_id, genre FROM asset_genres"
	    " ORDER BY asset_id, genre", GENRES, err) < 0 ||
	    load_lists(db, c, "SELECT asset_id, name FROM asset_collections"
	    " JOIN collections ON collections.id = collection_id"
	    " ORDER BY asset_id, name", COLLECTIONS, err) < 0 ||
	    load_lists(db, c, "SELECT asset_id, start_ms FROM chapters"
	    " ORDER BY asset_id, start_ms", CHAPTERS, err) < 0 ||
	    load_aliases(db, c, err) < 0) {
		rv_catalog_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
rv_catalog_free(struct rv_catalog *c)
{
	if (c == NULL)
		return;
	rv_arena_free(c->arena);
	free(c->aliases);
	free(c->assets);
	free(c);
}
