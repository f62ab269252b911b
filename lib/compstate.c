#include "compstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

int
rv_compstate_register(sqlite3 *db, const struct rv_channel *c, int64_t now_ms,
    struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(db, "INSERT INTO channels (id, number, name, type,"
	    " timezone, file, file_sha256, updated_ms, logo, group_title)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
	    " ON CONFLICT (id) DO UPDATE SET"
	    " number = excluded.number, name = excluded.name,"
	    " type = excluded.type, timezone = excluded.timezone,"
	    " file = excluded.file, file_sha256 = excluded.file_sha256,"
	    " updated_ms = excluded.updated_ms, logo = excluded.logo,"
	    " group_title = excluded.group_title", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, c->number);
	sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->timezone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, c->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now_ms);
	if (c->logo != NULL)
		sqlite3_bind_text(st, 9, c->logo, -1, SQLITE_STATIC);
	if (c->group != NULL)
		sqlite3_bind_text(st, 10, c->group, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "channel %s (number %d)", c->id,
		    c->number);
	return 0;
}

static int
load_cursors(sqlite3 *db, const struct rv_channel *c, const char *day,
    struct rv_compile_state *st, struct rv_err *err)
{
	sqlite3_stmt *q;
	int found = 0, p;

	if (rv_db_prepare(db, "SELECT pool, position, last_asset_id FROM"
	    " cursors WHERE channel_id = ?1 AND broadcast_day = ?2", &q,
	    err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		found = 1;
		p = rv_channel_pool_index(c, (const char *)
		    sqlite3_column_text(q, 0));
		if (p < 0)
			continue;	/* a pool the file no longer has */
		st->cursors[p].position = sqlite3_column_int64(q, 1);
		snprintf(st->cursors[p].last_id, RV_ASSET_ID, "%s",
		    sqlite3_column_type(q, 2) == SQLITE_NULL ? "" :
		    (const char *)sqlite3_column_text(q, 2));
	}
	sqlite3_finalize(q);
	return found;
}

static int
load_plays(sqlite3 *db, const struct rv_channel *c, const char *day,
    struct rv_compile_state *st, struct rv_err *err)
{
	sqlite3_stmt *q;
	void *p;

	if (rv_db_prepare(db, "SELECT asset_id, start_ms FROM compile_plays"
	    " WHERE channel_id = ?1 AND broadcast_day < ?2 ORDER BY start_ms",
	    &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (st->nplays == st->cap) {
			st->cap = st->cap ? 2 * st->cap : 64;
			p = reallocarray(st->plays, (size_t)st->cap,
			    sizeof(*st->plays));
			if (p == NULL)
				break;
			st->plays = p;
		}
		snprintf(st->plays[st->nplays].id, RV_ASSET_ID, "%s",
		    (const char *)sqlite3_column_text(q, 0));
		st->plays[st->nplays++].start_ms = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return 0;
}

int
rv_compstate_load(sqlite3 *db, const struct rv_channel *c, struct rv_date day,
    struct rv_compile_state *st, struct rv_date *last_before,
    struct rv_err *err)
{
	char today[RV_DATE_STR], before[RV_DATE_STR];
	sqlite3_stmt *q;
	int found;

	memset(last_before, 0, sizeof(*last_before));
	rv_date_format(day, today, sizeof(today));
	rv_date_format(rv_date_add_days(day, -1), before, sizeof(before));
	if ((found = load_cursors(db, c, today, st, err)) < 0)
		return -1;
	if (rv_db_prepare(db, "SELECT broadcast_day, last_ms FROM compile_days"
	    " WHERE channel_id = ?1 AND broadcast_day < ?2"
	    " ORDER BY broadcast_day DESC LIMIT 1", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, today, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(q, 0);

		rv_date_parse(d, last_before, NULL);
		if (strcmp(d, before) == 0) {
			st->carry_ms = sqlite3_column_int64(q, 1);
			found = 1;
		}
	}
	sqlite3_finalize(q);
	if (load_plays(db, c, today, st, err) < 0)
		return -1;
	return found;
}

static int
save_cursors(sqlite3 *db, const struct rv_channel *c, const char *day,
    const struct rv_compile_state *st, int64_t now_ms, int replace,
    struct rv_err *err)
{
	sqlite3_stmt *q;
	int i, rc = 0;

	if (rv_db_prepare(db, replace ? "INSERT INTO cursors (channel_id, pool,"
	    " broadcast_day, position, last_asset_id, updated_ms) VALUES (?1,"
	    " ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET"
	    " position = excluded.position,"
	    " last_asset_id = excluded.last_asset_id,"
	    " updated_ms = excluded.updated_ms" :
	    "INSERT INTO cursors (channel_id, pool, broadcast_day, position,"
	    " last_asset_id, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT DO NOTHING", &q, err) < 0)
		return -1;
	for (i = 0; i < c->npools && rc == 0; i++) {
		sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, c->pools[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, day, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, st->cursors[i].position);
		if (st->cursors[i].last_id[0])
			sqlite3_bind_text(q, 5, st->cursors[i].last_id, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(q, 5);
		sqlite3_bind_int64(q, 6, now_ms);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = rv_db_errf(err, db, "cursor %s/%s", c->id,
			    c->pools[i].name);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

static int
save_day(sqlite3 *db, const struct rv_channel *c, const char *day,
    const struct rv_day *d, int64_t now_ms, struct rv_err *err)
{
	sqlite3_stmt *q;
	int i, rc;

	if (rv_db_prepare(db, "INSERT INTO compile_days (channel_id,"
	    " broadcast_day, first_ms, last_ms, hash, file_sha256, compiled_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO UPDATE SET"
	    " first_ms = excluded.first_ms, last_ms = excluded.last_ms,"
	    " hash = excluded.hash, file_sha256 = excluded.file_sha256,"
	    " compiled_ms = excluded.compiled_ms", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, d->first_ms);
	sqlite3_bind_int64(q, 4, d->last_ms);
	sqlite3_bind_text(q, 5, d->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, c->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, now_ms);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "compiled day %s/%s", c->id, day);
	if (rv_db_prepare(db, "DELETE FROM compile_plays WHERE channel_id = ?1"
	    " AND broadcast_day = ?2", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	sqlite3_step(q);
	sqlite3_finalize(q);
	if (rv_db_prepare(db, "INSERT INTO compile_plays (channel_id,"
	    " broadcast_day, asset_id, start_ms) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT DO UPDATE SET broadcast_day = excluded.broadcast_day,"
	    " asset_id = excluded.asset_id", &q, err) < 0)
		return -1;
	rc = 0;
	for (i = 0; i < d->n && rc == 0; i++) {
		const struct rv_program *p = &d->blocks[i];

		if (p->asset == NULL || strcmp(p->asset->kind, "movie") != 0)
			continue;
		sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, p->asset->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, p->start_ms);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = rv_db_errf(err, db, "movie play %s", p->asset->id);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

int
rv_compstate_save(sqlite3 *db, const struct rv_channel *c,
    const struct rv_compile_state *in, const struct rv_compile_state *next,
    const struct rv_day *d, int64_t now_ms, struct rv_err *err)
{
	char today[RV_DATE_STR], tomorrow[RV_DATE_STR];

	rv_date_format(d->day, today, sizeof(today));
	rv_date_format(rv_date_add_days(d->day, 1), tomorrow, sizeof(tomorrow));
	if (save_cursors(db, c, today, in, now_ms, 0, err) < 0 ||
	    save_cursors(db, c, tomorrow, next, now_ms, 1, err) < 0 ||
	    save_day(db, c, today, d, now_ms, err) < 0)
		return -1;
	return 0;
}
