/*
 * asrun — the as-run log (see asrun.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "asrun.h"
#include "clock.h"
#include "db.h"
#include "tz.h"

static const char *const kinds[] = { "session_start", "block_start",
    "segment_start", "segment_end", "block_fence", "session_end" };
static const char *const statuses[] = { "aired", "truncated", "short",
    "substituted", "error" };

static int
one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* An event's members, checked. */
struct event {
	const char	*kind, *channel, *session, *block, *status, *reason;
	json_int_t	 seq, at, frame, segment, frames, fps_num, fps_den;
};

static int
parse(json_t *j, struct event *e, struct rv_err *err)
{
	json_t *v;

	memset(e, 0, sizeof(*e));
	e->segment = e->frames = -1;
	if (json_unpack(j, "{s:s, s:s, s:s, s:I, s:I, s:I}", "kind", &e->kind,
	    "channel", &e->channel, "session", &e->session, "seq", &e->seq,
	    "utc_ms", &e->at, "frame", &e->frame) < 0)
		return rv_errf(err, "an event needs kind, channel, session "
		    "(strings), seq, utc_ms and frame (integers)");
	if (!one_of(e->kind, kinds, sizeof(kinds) / sizeof(kinds[0])))
		return rv_errf(err, "unknown event kind (%s)", e->kind);
	if (e->channel[0] == '\0' || e->session[0] == '\0')
		return rv_errf(err, "empty channel or session");
	if (e->seq < 1 || e->frame < 0)
		return rv_errf(err, "seq must be 1 or more and frame 0 or more "
		    "(seq %lld, frame %lld)", (long long)e->seq,
		    (long long)e->frame);
	if ((v = json_object_get(j, "block_id")) != NULL)
		e->block = json_string_value(v);
	if ((v = json_object_get(j, "segment_index")) != NULL)
		e->segment = json_is_integer(v) ? json_integer_value(v) : -2;
	if ((v = json_object_get(j, "status")) != NULL)
		e->status = json_string_value(v);
	if ((v = json_object_get(j, "frames")) != NULL)
		e->frames = json_is_integer(v) ? json_integer_value(v) : -2;
	if ((v = json_object_get(j, "reason")) != NULL)
		e->reason = json_string_value(v);
	if ((v = json_object_get(j, "fps")) != NULL &&
	    json_unpack(v, "{s:I, s:I}", "num", &e->fps_num, "den",
	    &e->fps_den) < 0)
		return rv_errf(err, "fps must be {num, den}");
	if ((e->fps_num != 0 || e->fps_den != 0) &&
	    (e->fps_num <= 0 || e->fps_den <= 0))
		return rv_errf(err, "fps must be positive");
	if (strncmp(e->kind, "session_", 8) != 0 &&
	    (e->block == NULL || e->block[0] == '\0'))
		return rv_errf(err, "%s without block_id", e->kind);
	if (strncmp(e->kind, "segment_", 8) == 0 && e->segment < 0)
		return rv_errf(err, "%s without a segment_index of 0 or more",
		    e->kind);
	if (strcmp(e->kind, "segment_end") == 0 &&
	    !one_of(e->status, statuses, sizeof(statuses) /
	    sizeof(statuses[0])))
		return rv_errf(err, "segment_end with status %s",
		    e->status ? e->status : "missing");
	if (e->frames == -2)
		return rv_errf(err, "frames must be an integer");
	return 0;
}

static int
step_done(sqlite3 *db, sqlite3_stmt *st, const char *what,
    struct rv_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return rv_db_errf(err, db, "%s", what);
	return 0;
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v >= 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int
record(sqlite3 *db, const struct event *e, const char *json, size_t len,
    struct rv_asrun_stats *st, struct rv_err *err)
{
	sqlite3_stmt *s;
	int64_t last;
	int start = strcmp(e->kind, "session_start") == 0;

	if (rv_db_prepare(db, "INSERT INTO asrun_sessions (session_id, "
	    "channel_id, started_ms, fps_num, fps_den) VALUES (?1, ?2, ?3, "
	    "?4, ?5) ON CONFLICT (session_id) DO NOTHING", &s, err) < 0)
		return -1;
	sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, e->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, e->at);
	bind_opt_int(s, 4, e->fps_num > 0 ? e->fps_num : -1);
	bind_opt_int(s, 5, e->fps_den > 0 ? e->fps_den : -1);
	if (step_done(db, s, "recording the session", err) < 0)
		return -1;
	if (rv_db_prepare(db, "INSERT INTO asrun_events (session_id, seq, "
	    "channel_id, kind, at_ms, frame, block_id, segment_idx, status, "
	    "frames, reason, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12) ON CONFLICT (session_id, seq) DO NOTHING",
	    &s, err) < 0)
		return -1;
	sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, e->seq);
	sqlite3_bind_text(s, 3, e->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, e->at);
	sqlite3_bind_int64(s, 6, e->frame);
	bind_opt_text(s, 7, e->block);
	bind_opt_int(s, 8, strncmp(e->kind, "segment_", 8) == 0 ? e->segment :
	    -1);
	bind_opt_text(s, 9, strcmp(e->kind, "segment_end") == 0 ? e->status :
	    NULL);
	bind_opt_int(s, 10, e->frames);
	bind_opt_text(s, 11, e->reason);
	sqlite3_bind_text(s, 12, json, (int)len, SQLITE_STATIC);
	if (step_done(db, s, "recording the event", err) < 0)
		return -1;
	if (sqlite3_changes(db) == 0)
		return RV_ASRUN_DUPLICATE;
	if (start) {
		if (rv_db_prepare(db, "UPDATE asrun_sessions SET started_ms = "
		    "?2, fps_num = coalesce(?3, fps_num), fps_den = "
		    "coalesce(?4, fps_den) WHERE session_id = ?1 AND "
		    "(ended_ms IS NULL OR ended_ms >= ?2)", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, e->at);
		bind_opt_int(s, 3, e->fps_num > 0 ? e->fps_num : -1);
		bind_opt_int(s, 4, e->fps_den > 0 ? e->fps_den : -1);
		if (step_done(db, s, "recording the session start", err) < 0)
			return -1;
	}
	if (rv_db_prepare(db, "SELECT last_seq FROM asrun_sessions WHERE "
	    "session_id = ?1", &s, err) < 0)
		return -1;
	sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
	last = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (e->seq > last + 1) {
		char detail[160];

		snprintf(detail, sizeof(detail), "events %lld to %lld not "
		    "received", (long long)last + 1, (long long)e->seq - 1);
		if (rv_db_prepare(db, "INSERT INTO asrun_anomalies (session_id, "
		    "kind, at_ms, seq, detail) VALUES (?1, 'sequence_gap', ?2, "
		    "?3, ?4)", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, e->at);
		sqlite3_bind_int64(s, 3, e->seq);
		sqlite3_bind_text(s, 4, detail, -1, SQLITE_TRANSIENT);
		if (step_done(db, s, "recording a sequence gap", err) < 0)
			return -1;
		st->gaps++;
	}
	if (e->seq > last) {
		if (rv_db_prepare(db, "UPDATE asrun_sessions SET last_seq = ?2 "
		    "WHERE session_id = ?1", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, e->seq);
		if (step_done(db, s, "recording the sequence", err) < 0)
			return -1;
	}
	if (strcmp(e->kind, "session_end") == 0) {
		if (rv_db_prepare(db, "UPDATE asrun_sessions SET ended_ms = "
		    "max(started_ms, ?2), end_reason = ?3 WHERE session_id = ?1",
		    &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, e->at);
		sqlite3_bind_text(s, 3, e->reason ? e->reason : "ended", -1,
		    SQLITE_STATIC);
		if (step_done(db, s, "recording the session end", err) < 0)
			return -1;
	}
	if (start) {
		/* Another session of the channel still open never ended:
		 * its rv-air was killed.  It closes at its last event. */
		if (rv_db_prepare(db, "INSERT INTO asrun_anomalies (session_id, "
		    "kind, at_ms, detail) SELECT s.session_id, 'terminated', "
		    "coalesce((SELECT max(at_ms) FROM asrun_events e WHERE "
		    "e.session_id = s.session_id), s.started_ms), 'ended "
		    "without session_end; closed at its last event when "
		    "session ' || ?2 || ' started' FROM asrun_sessions s WHERE "
		    "s.channel_id = ?1 AND s.ended_ms IS NULL AND "
		    "s.session_id <> ?2", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, e->session, -1, SQLITE_STATIC);
		if (step_done(db, s, "closing killed sessions", err) < 0)
			return -1;
		st->terminated += sqlite3_changes(db);
		if (rv_db_prepare(db, "UPDATE asrun_sessions SET ended_ms = "
		    "max(started_ms, coalesce((SELECT max(at_ms) FROM "
		    "asrun_events e WHERE e.session_id = "
		    "asrun_sessions.session_id), started_ms)), end_reason = "
		    "'terminated' WHERE channel_id = ?1 AND ended_ms IS NULL "
		    "AND session_id <> ?2", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, e->session, -1, SQLITE_STATIC);
		if (step_done(db, s, "closing killed sessions", err) < 0)
			return -1;
	}
	return RV_ASRUN_RECORDED;
}

int
rv_asrun_ingest(sqlite3 *db, const char *json, size_t len,
    struct rv_asrun_stats *st, struct rv_err *err)
{
	json_error_t je;
	struct event e;
	json_t *j;
	int rc;

	if ((j = json_loadb(json, len, 0, &je)) == NULL ||
	    !json_is_object(j)) {
		json_decref(j);
		st->refused++;
		return rv_errf(err, "not a JSON object (%s)", j ? "" : je.text);
	}
	if (parse(j, &e, err) < 0) {
		json_decref(j);
		st->refused++;
		return -1;
	}
	if (rv_db_begin(db, err) < 0) {
		json_decref(j);
		return -1;
	}
	rc = record(db, &e, json, len, st, err);
	if (rc < 0 || rc == RV_ASRUN_DUPLICATE) {
		rv_db_rollback(db);
		if (rc == RV_ASRUN_DUPLICATE)
			st->duplicates++;
		json_decref(j);
		return rc;
	}
	json_decref(j);
	if (rv_db_commit(db, err) < 0)
		return -1;
	st->recorded++;
	return RV_ASRUN_RECORDED;
}

/* The log. */

static void
fmt_duration(int64_t ms, char *buf, size_t n)
{
	if (ms < 0) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(buf, n, "%02lld:%02lld:%02lld.%03lld",
	    (long long)(ms / RV_MS_PER_HOUR), (long long)(ms / 60000 % 60),
	    (long long)(ms / 1000 % 60), (long long)(ms % 1000));
}

static int
local_time(const char *zone, int64_t t, char *hms, size_t n, char *iso,
    size_t m, struct rv_err *err)
{
	struct rv_civil c;
	int off;

	if (rv_tz_from_utc(zone, t, &c, &off, err) < 0)
		return -1;
	snprintf(hms, n, "%02d:%02d:%02d.%03lld", c.hour, c.min, c.sec,
	    (long long)rv_floor_mod(t, 1000));
	rv_time_format_offset(t, off, iso, m);
	return 0;
}

/* Rows of the log: every event but a segment_start whose segment_end
 * came (the segment is one line, at its start, with its end's status),
 * and the anomalies; by time. */
static const char log_sql[] =
"SELECT coalesce(st.at_ms, e.at_ms), e.kind, e.block_id, e.segment_idx, "
"  e.status, e.frames, e.reason, e.session_id, s.fps_num, s.fps_den, "
"  json_extract(e.payload, '$.type'), ps.title, "
"  json_extract(e.payload, '$.fence_frame') - e.frame, NULL "
"FROM asrun_events e JOIN asrun_sessions s USING (session_id) "
"LEFT JOIN asrun_events st ON e.kind = 'segment_end' AND "
"  st.session_id = e.session_id AND st.kind = 'segment_start' AND "
"  st.block_id = e.block_id AND st.segment_idx = e.segment_idx "
"LEFT JOIN playout_segments ps ON ps.block_id = e.block_id AND "
"  ps.idx = e.segment_idx "
"WHERE e.channel_id = ?1 AND coalesce(st.at_ms, e.at_ms) >= ?2 AND "
"  coalesce(st.at_ms, e.at_ms) < ?3 AND NOT (e.kind = 'segment_start' "
"  AND EXISTS (SELECT 1 FROM asrun_events x WHERE x.session_id = "
"  e.session_id AND x.kind = 'segment_end' AND x.block_id = e.block_id "
"  AND x.segment_idx = e.segment_idx)) "
"UNION ALL "
"SELECT a.at_ms, 'anomaly', NULL, NULL, a.kind, NULL, a.detail, "
"  a.session_id, NULL, NULL, NULL, NULL, NULL, a.seq "
"FROM asrun_anomalies a JOIN asrun_sessions s USING (session_id) "
"WHERE s.channel_id = ?1 AND a.at_ms >= ?2 AND a.at_ms < ?3 "
"ORDER BY 1, 8";

static const char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? (const char *)t : NULL;
}

int
rv_asrun_log(sqlite3 *db, const struct rv_asrun_log *q, FILE *out,
    struct rv_err *err)
{
	char zone[RV_ZONE_MAX + 1], name[256], hms[32], iso[64], gen[64];
	char dur[32], event[320], notes[1200], from_s[64], to_s[64];
	struct rv_date day;
	sqlite3_stmt *st;
	int64_t from, to, number = 0;
	int rc;

	if (rv_date_parse(q->day, &day, err) < 0)
		return -1;
	if (rv_db_prepare(db, "SELECT timezone, name, number FROM channels "
	    "WHERE id = ?1", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, q->channel, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rv_errf(err, "no channel %s in the database", q->channel);
	}
	snprintf(zone, sizeof(zone), "%s", col(st, 0));
	snprintf(name, sizeof(name), "%s", col(st, 1));
	number = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	if (rv_broadcast_day_bounds(zone, q->day_start_min, day, &from, &to,
	    err) < 0)
		return -1;
	rv_time_format(q->generated_ms, gen, sizeof(gen));
	if (!q->json) {
		char a[32], b[32];

		local_time(zone, from, a, sizeof(a), from_s, sizeof(from_s),
		    err);
		local_time(zone, to, b, sizeof(b), to_s, sizeof(to_s), err);
		fprintf(out, "RETROVUE AS-RUN LOG\n"
		    "Channel:    %s (%lld %s)\n"
		    "Day:        %s, %s to %s\n"
		    "Time zone:  %s\n"
		    "Generated:  %s\n\n"
		    "%-12s  %-12s  %-11s  %-10s  %-34s  %-24s  %s\n",
		    q->channel, (long long)number, name, q->day, from_s, to_s,
		    zone, gen, "TIME", "DURATION", "STATUS", "TYPE", "EVENT",
		    "TITLE", "NOTES");
	}
	if (rv_db_prepare(db, log_sql, &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, q->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(st, 0);
		const char *kind = col(st, 1), *block = col(st, 2);
		const char *status = col(st, 4), *reason = col(st, 6);
		const char *type = col(st, 10), *title = col(st, 11);
		int64_t frames = sqlite3_column_type(st, 5) == SQLITE_NULL ?
		    -1 : sqlite3_column_int64(st, 5);
		struct rv_rate rate = { sqlite3_column_int64(st, 8),
		    sqlite3_column_int64(st, 9) };
		int64_t ms = -1;
		const char *t = kind;

		if (rate.num <= 0 || rate.den <= 0)
			rate = (struct rv_rate){ 30000, 1001 };
		if (frames >= 0)
			ms = rv_frame_ms(frames, rate);
		if (local_time(zone, at, hms, sizeof(hms), iso, sizeof(iso),
		    err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		notes[0] = '\0';
		if (strcmp(kind, "segment_end") == 0 ||
		    strcmp(kind, "segment_start") == 0) {
			snprintf(event, sizeof(event), "%s/%lld", block,
			    (long long)sqlite3_column_int64(st, 3));
			t = type != NULL ? type : "segment";
			if (strcmp(kind, "segment_start") == 0)
				status = "incomplete";
		} else if (strcmp(kind, "anomaly") == 0) {
			snprintf(event, sizeof(event), "%s", col(st, 7));
			t = "anomaly";
		} else {
			snprintf(event, sizeof(event), "%s", block != NULL ?
			    block : col(st, 7));
			t = strncmp(kind, "block", 5) == 0 ? "block" :
			    "session";
			status = strstr(kind, "_start") ? "start" :
			    strstr(kind, "fence") ? "fence" : "end";
		}
		if (frames >= 0)
			snprintf(notes, sizeof(notes), "%lld frames",
			    (long long)frames);
		if (reason != NULL)
			snprintf(notes + strlen(notes), sizeof(notes) -
			    strlen(notes), "%s%s", notes[0] ? "; " : "",
			    reason);
		fmt_duration(ms, dur, sizeof(dur));
		if (q->json) {
			json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, "
			    "s:s}", "time", iso, "utc_ms", (json_int_t)at,
			    "status", status ? status : "", "type", t, "event",
			    event, "session", col(st, 7), "kind", kind);
			char *text;

			if (ms >= 0)
				json_object_set_new(j, "duration_ms",
				    json_integer(ms));
			if (frames >= 0)
				json_object_set_new(j, "frames",
				    json_integer(frames));
			if (title != NULL)
				json_object_set_new(j, "title",
				    json_string(title));
			if (reason != NULL)
				json_object_set_new(j, "reason",
				    json_string(reason));
			text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
			fprintf(out, "%s\n", text ? text : "{}");
			free(text);
			json_decref(j);
		} else {
			char line[2048];
			size_t n;

			snprintf(line, sizeof(line), "%-12s  %-12s  %-11s  "
			    "%-10s  %-34.34s  %-24.24s  %s", hms, dur,
			    status ? status : "", t, event, title ? title : "",
			    notes);
			for (n = strlen(line); n > 0 && line[n - 1] == ' '; n--)
				;
			fprintf(out, "%.*s\n", (int)n, line);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "reading the as-run log");
	return ferror(out) ? rv_errf(err, "writing the log failed") : 0;
}
