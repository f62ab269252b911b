#include "blockplan.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "json.h"

static json_t *
segments(sqlite3 *db, const char *block, struct rv_err *err)
{
	sqlite3_stmt *st;
	json_t *a, *s;

	if (rv_db_prepare(db, "SELECT idx, type, uri, asset_id, in_ms, dur_ms,"
	    " title, fade_in_ms, fade_out_ms, gain_db, loops FROM"
	    " playout_segments WHERE block_id = ?1 ORDER BY idx", &st, err) < 0)
		return NULL;
	sqlite3_bind_text(st, 1, block, -1, SQLITE_STATIC);
	a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		s = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:f, s:b}",
		    "index", sqlite3_column_int(st, 0), "type",
		    (const char *)sqlite3_column_text(st, 1), "in_ms",
		    (json_int_t)sqlite3_column_int64(st, 4), "dur_ms",
		    (json_int_t)sqlite3_column_int64(st, 5), "fade_in_ms",
		    (json_int_t)sqlite3_column_int64(st, 7), "fade_out_ms",
		    (json_int_t)sqlite3_column_int64(st, 8), "gain_db",
		    sqlite3_column_double(st, 9), "loops",
		    sqlite3_column_int(st, 10));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			json_object_set_new(s, "uri", json_string(
			    (const char *)sqlite3_column_text(st, 2)));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			json_object_set_new(s, "asset_id", json_string(
			    (const char *)sqlite3_column_text(st, 3)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(s, "title", json_string(
			    (const char *)sqlite3_column_text(st, 6)));
		json_array_append_new(a, s);
	}
	sqlite3_finalize(st);
	return a;
}

static int
load(sqlite3 *db, const char *sql, const char *channel, int64_t t,
    json_t **plan, struct rv_err *err)
{
	sqlite3_stmt *st;
	json_t *segs;
	int rc;

	*plan = NULL;
	if (rv_db_prepare(db, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*plan = json_pack("{s:s, s:s, s:I, s:I, s:s}", "channel",
		    channel, "block_id", (const char *)sqlite3_column_text(st, 0),
		    "start_ms", (json_int_t)sqlite3_column_int64(st, 1),
		    "end_ms", (json_int_t)sqlite3_column_int64(st, 2),
		    "broadcast_day", (const char *)sqlite3_column_text(st, 3));
		/* The generation it was published in: the as-run compares
		 * what aired with the plan that was fed. */
		json_object_set_new(*plan, "generation",
		    json_integer(sqlite3_column_int64(st, 4)));
		/* Break time no spot fills: the missing ads. */
		json_object_set_new(*plan, "unfilled_ms",
		    json_integer(sqlite3_column_int64(st, 5)));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : rv_db_errf(err, db,
		    "reading the execution horizon of %s", channel);
	segs = segments(db, json_string_value(json_object_get(*plan,
	    "block_id")), err);
	if (segs == NULL) {
		json_decref(*plan);
		*plan = NULL;
		return -1;
	}
	json_object_set_new(*plan, "segments", segs);
	return 1;
}

int
rv_blockplan_at(sqlite3 *db, const char *channel, int64_t t, json_t **plan,
    struct rv_err *err)
{
	return load(db, "SELECT block_id, start_ms, end_ms, broadcast_day,"
	    " generation_id, unfilled_ms FROM playout_blocks WHERE channel_id"
	    " = ?1 AND start_ms <= ?2"
	    " AND end_ms > ?2 ORDER BY start_ms DESC LIMIT 1", channel, t, plan,
	    err);
}

int
rv_blockplan_after(sqlite3 *db, const char *channel, int64_t t,
    json_t **plan, struct rv_err *err)
{
	return load(db, "SELECT block_id, start_ms, end_ms, broadcast_day,"
	    " generation_id, unfilled_ms FROM playout_blocks WHERE channel_id"
	    " = ?1 AND start_ms >= ?2"
	    " ORDER BY start_ms LIMIT 1", channel, t, plan, err);
}

json_t *
rv_blockplan_pad(const char *channel, int64_t start, int64_t end)
{
	char id[160];

	snprintf(id, sizeof(id), "%s-pad-%lld", channel, (long long)start);
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:[{s:i, s:s, s:I, s:I}]}",
	    "channel", channel, "block_id", id, "start_ms", (json_int_t)start,
	    "end_ms", (json_int_t)end, "broadcast_day", "", "segments",
	    "index", 0, "type", "pad", "in_ms", (json_int_t)0, "dur_ms",
	    (json_int_t)(end - start));
}

int
rv_blockplan_cut(json_t *plan, int64_t until, struct rv_err *err)
{
	json_t *segs = json_object_get(plan, "segments"), *s;
	int64_t start, end, at, dur;
	size_t i;

	if (rv_json_int(plan, "start_ms", &start, err) < 0 ||
	    rv_json_int(plan, "end_ms", &end, err) < 0)
		return -1;
	if (until <= start || until >= end)
		return until >= end ? 0 : rv_errf(err, "cut at %lld is not "
		    "inside the block", (long long)until);
	json_object_set_new(plan, "end_ms", json_integer(until));
	for (at = start, i = 0; i < json_array_size(segs); i++) {
		s = json_array_get(segs, i);
		dur = json_integer_value(json_object_get(s, "dur_ms"));
		if (at + dur >= until) {
			json_object_set_new(s, "dur_ms", json_integer(until - at));
			/* A fade that no longer fits goes. */
			if (json_integer_value(json_object_get(s, "fade_in_ms")) +
			    json_integer_value(json_object_get(s,
			    "fade_out_ms")) > until - at)
				json_object_set_new(s, "fade_out_ms",
				    json_integer(0));
			while (json_array_size(segs) > i + 1)
				json_array_remove(segs, i + 1);
			break;
		}
		at += dur;
	}
	return 0;
}

int
rv_blockplan_check(const json_t *plan, struct rv_err *err)
{
	const json_t *segs, *s;
	const char *type, *id;
	int64_t start, end, sum = 0, dur, idx;
	size_t i;

	if (rv_json_str(plan, "block_id", &id, err) < 0 ||
	    rv_json_int(plan, "start_ms", &start, err) < 0 ||
	    rv_json_int(plan, "end_ms", &end, err) < 0)
		return -1;
	if (end <= start)
		return rv_errf(err, "block %s ends before it starts", id);
	segs = json_object_get(plan, "segments");
	if (!json_is_array(segs) || json_array_size(segs) == 0)
		return rv_errf(err, "block %s has no segments", id);
	json_array_foreach(segs, i, s) {
		if (rv_json_str(s, "type", &type, err) < 0 ||
		    rv_json_int(s, "dur_ms", &dur, err) < 0 ||
		    rv_json_int(s, "index", &idx, err) < 0)
			return rv_errctx(err, "block %s segment %zu", id, i);
		if (dur <= 0)
			return rv_errf(err, "block %s segment %zu lasts %lld ms",
			    id, i, (long long)dur);
		if ((strcmp(type, "pad") == 0) !=
		    (json_object_get(s, "uri") == NULL))
			return rv_errf(err, "block %s segment %zu: %s", id, i,
			    strcmp(type, "pad") == 0 ? "pad has a uri" :
			    "no uri");
		sum += dur;
	}
	if (sum != end - start)
		return rv_errf(err, "block %s: segments sum to %lld ms, the "
		    "block is %lld ms (%+lld ms)", id, (long long)sum,
		    (long long)(end - start), (long long)(sum - (end - start)));
	return 0;
}
