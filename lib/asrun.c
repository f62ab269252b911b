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
/* The first number a sequence_gap anomaly's detail names. */
#define GAP_FIRST "CAST(substr(asrun_anomalies.detail, 8, instr(" \
	"asrun_anomalies.detail, ' to ') - 8) AS INTEGER)"

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
	/* A late event may fill a gap recorded before: once every event
	 * before the one that showed the gap is here, nothing was lost and
	 * the anomaly goes. */
	if (e->seq < last) {
		/* The gap's first missing number is in its detail, "events
		 * F to L not received", as written above. */
		if (rv_db_prepare(db, "DELETE FROM asrun_anomalies WHERE "
		    "session_id = ?1 AND kind = 'sequence_gap' AND seq > ?2 AND"
		    " (SELECT count(*) FROM asrun_events v WHERE v.session_id ="
		    " ?1 AND v.seq >= " GAP_FIRST " AND v.seq < "
		    "asrun_anomalies.seq) = asrun_anomalies.seq - " GAP_FIRST,
		    &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, e->seq);
		if (step_done(db, s, "clearing a filled gap", err) < 0)
			return -1;
		st->filled += sqlite3_changes(db);
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
		    "s.session_id <> ?2 AND s.started_ms <= ?3", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, e->at);
		if (step_done(db, s, "closing killed sessions", err) < 0)
			return -1;
		st->terminated += sqlite3_changes(db);
		if (rv_db_prepare(db, "UPDATE asrun_sessions SET ended_ms = "
		    "max(started_ms, coalesce((SELECT max(at_ms) FROM "
		    "asrun_events e WHERE e.session_id = "
		    "asrun_sessions.session_id), started_ms)), end_reason = "
		    "'terminated' WHERE channel_id = ?1 AND ended_ms IS NULL "
		    "AND session_id <> ?2 AND started_ms <= ?3", &s, err) < 0)
			return -1;
		sqlite3_bind_text(s, 1, e->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, e->session, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, e->at);
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

	if ((j = json_loadb(json, len, 0, &je)) == NULL) {
		st->refused++;
		rv_errf(err, "not JSON (%s)", je.text);
		return RV_ASRUN_REFUSED;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		st->refused++;
		rv_errf(err, "not a JSON object");
		return RV_ASRUN_REFUSED;
	}
	if (parse(j, &e, err) < 0) {
		json_decref(j);
		st->refused++;
		return RV_ASRUN_REFUSED;
	}
	if (st->channel[0] == 0)
		snprintf(st->channel, sizeof(st->channel), "%s", e.channel);
	if (rv_db_begin(db, err) < 0) {
		json_decref(j);
		return RV_ASRUN_FAILED;
	}
	rc = record(db, &e, json, len, st, err);
	if (rc < 0 || rc == RV_ASRUN_DUPLICATE) {
		rv_db_rollback(db);
		if (rc == RV_ASRUN_DUPLICATE)
			st->duplicates++;
		json_decref(j);
		return rc < 0 ? RV_ASRUN_FAILED : rc;
	}
	json_decref(j);
	if (rv_db_commit(db, err) < 0)
		return RV_ASRUN_FAILED;
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
"  NULL, e.seq "
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
"ORDER BY 1, 8, 14";

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
		    "%-12s  %-12s  %-12s  %-10s  %-34s  %-24s  %s\n",
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

			snprintf(line, sizeof(line), "%-12s  %-12s  %-12s  "
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

/* Reconciliation. */

struct sess {
	char		*id;
	int64_t		 start, end;	/* on the air */
	struct rv_rate	 rate;
	int		 killed;	/* closed as terminated */
};

struct aired {
	char		*session, *block, *status, *type, *reason;
	int64_t		 idx, start, end, frames, content;
	int		 planned;	/* matched a planned segment */
};

struct planned {
	char		*block, *type, *title;
	int64_t		 idx, start, end;
};

struct verdict {
	const char	*what;
	int64_t		 at, diff_ms, diff_frames;
	char		 event[320], type[32], title[128], note[512];
};

struct rec {
	struct sess	*s;
	struct aired	*a;
	struct planned	*p;
	struct verdict	*v;
	size_t		 ns, na, np, nv, cap_v;
};

static char *
dupcol(sqlite3_stmt *st, int i)
{
	const char *t = col(st, i);

	return t != NULL ? strdup(t) : NULL;
}

static void
rec_free(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->ns; i++)
		free(r->s[i].id);
	for (i = 0; i < r->na; i++) {
		free(r->a[i].session);
		free(r->a[i].block);
		free(r->a[i].status);
		free(r->a[i].type);
		free(r->a[i].reason);
	}
	for (i = 0; i < r->np; i++) {
		free(r->p[i].block);
		free(r->p[i].type);
		free(r->p[i].title);
	}
	free(r->s);
	free(r->a);
	free(r->p);
	free(r->v);
}

/* Grow *arr (of *n elements, size each) by one zeroed element. */
static void *
grow(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	char *p = realloc(*arr, (*n + 1) * size);

	if (p == NULL)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

/* Prepare sql with ?1 the channel, ?2 and ?3 the window. */
static int
prepare_window(sqlite3 *db, const char *sql,
    const struct rv_asrun_reconcile *q, sqlite3_stmt **st,
    struct rv_err *err)
{
	if (rv_db_prepare(db, sql, st, err) < 0)
		return -1;
	sqlite3_bind_text(*st, 1, q->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(*st, 2, q->from_ms);
	sqlite3_bind_int64(*st, 3, q->to_ms);
	return 0;
}

/* Row readers of rec_load: -1 when out of memory. */
static int
row_session(struct rec *r, sqlite3_stmt *st)
{
	struct sess *s = grow(&r->s, &r->ns, sizeof(*s));

	if (s == NULL || (s->id = dupcol(st, 0)) == NULL)
		return -1;
	s->start = sqlite3_column_int64(st, 1);
	s->end = sqlite3_column_int64(st, 2);
	s->rate.num = sqlite3_column_int64(st, 3);
	s->rate.den = sqlite3_column_int64(st, 4);
	if (s->rate.num <= 0 || s->rate.den <= 0)
		s->rate = (struct rv_rate){ 30000, 1001 };
	s->killed = sqlite3_column_int(st, 5);
	return 0;
}

static int
row_aired(struct rec *r, sqlite3_stmt *st)
{
	struct aired *a = grow(&r->a, &r->na, sizeof(*a));

	if (a == NULL)
		return -1;
	a->session = dupcol(st, 0);
	a->block = dupcol(st, 1);
	a->idx = sqlite3_column_int64(st, 2);
	a->status = sqlite3_column_type(st, 3) == SQLITE_NULL ?
	    strdup("incomplete") : dupcol(st, 3);
	a->type = dupcol(st, 4);
	a->reason = dupcol(st, 5);
	a->start = sqlite3_column_int64(st, 6);
	a->end = sqlite3_column_int64(st, 7);
	a->frames = sqlite3_column_int64(st, 8);
	a->content = sqlite3_column_int64(st, 9);
	return a->session && a->block && a->status ? 0 : -1;
}

static int
row_planned(struct rec *r, sqlite3_stmt *st)
{
	struct planned *p = grow(&r->p, &r->np, sizeof(*p));

	if (p == NULL)
		return -1;
	p->block = dupcol(st, 0);
	p->idx = sqlite3_column_int64(st, 1);
	p->type = dupcol(st, 2);
	p->title = dupcol(st, 3);
	p->start = sqlite3_column_int64(st, 4);
	p->end = sqlite3_column_int64(st, 5);
	return p->block && p->type ? 0 : -1;
}

/* Every row of sql over the window, through row(). */
static int
load_rows(sqlite3 *db, const char *sql, const struct rv_asrun_reconcile *q,
    struct rec *r, int (*row)(struct rec *, sqlite3_stmt *),
    const char *what, struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare_window(db, sql, q, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(r, st) < 0) {
			sqlite3_finalize(st);
			return rv_errf(err, "%s: out of memory", what);
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "%s", what);
	return 0;
}

/* A session is on the air from its start to its end, or to its last
 * event while it has none. */
#define SESSIONS_ON_AIR \
	"WITH sess AS (SELECT s.*, coalesce(ended_ms, (SELECT max(at_ms) " \
	"FROM asrun_events e WHERE e.session_id = s.session_id), " \
	"started_ms) AS end_ms FROM asrun_sessions s) "

static int
rec_load(sqlite3 *db, const struct rv_asrun_reconcile *q, struct rec *r,
    struct rv_err *err)
{
	if (load_rows(db, SESSIONS_ON_AIR "SELECT session_id, started_ms, "
	    "end_ms, fps_num, fps_den, end_reason = 'terminated' FROM sess "
	    "WHERE channel_id = ?1 AND started_ms < ?3 AND end_ms >= ?2 "
	    "ORDER BY started_ms", q, r, row_session, "reading the sessions",
	    err) < 0)
		return -1;
	/* Every segment that started on the air, with its end if it came
	 * (else it ends with its session). */
	if (load_rows(db, SESSIONS_ON_AIR "SELECT b.session_id, b.block_id, "
	    "b.segment_idx, e.status, json_extract(b.payload, '$.type'), "
	    "e.reason, b.at_ms, coalesce(e.at_ms, s.end_ms), e.frames, "
	    "json_extract(e.payload, '$.content_frames') FROM asrun_events b "
	    "JOIN sess s USING (session_id) LEFT JOIN asrun_events e ON "
	    "e.session_id = b.session_id AND e.kind = 'segment_end' AND "
	    "e.block_id = b.block_id AND e.segment_idx = b.segment_idx WHERE "
	    "b.channel_id = ?1 AND b.kind = 'segment_start' AND b.at_ms < ?3 "
	    "AND coalesce(e.at_ms, b.at_ms) >= ?2 ORDER BY b.at_ms, "
	    "b.session_id", q, r, row_aired, "reading what aired", err) < 0)
		return -1;
	/* The plan: for a block that was fed, the plan rv-air was given
	 * (its block_start says it: the generation current then), for the
	 * rest, and past the end of a plan that was cut short, what the
	 * execution horizon holds now. */
	return load_rows(db, "WITH fed AS (SELECT block_id, payload, "
	    "json_extract(payload, '$.plan_end_ms') AS fed_end, min(at_ms) "
	    "FROM asrun_events WHERE channel_id = ?1 AND kind = "
	    "'block_start' AND json_type(payload, '$.plan') = 'array' GROUP BY "
	    "block_id), planned (block_id, idx, type, title, s, e) AS (SELECT "
	    "f.block_id, json_extract(j.value, '$.index'), json_extract("
	    "j.value, '$.type'), json_extract(j.value, '$.title'), "
	    "json_extract(j.value, '$.start_ms'), json_extract(j.value, "
	    "'$.start_ms') + json_extract(j.value, '$.dur_ms') FROM fed f, "
	    "json_each(f.payload, '$.plan') j UNION ALL SELECT ps.block_id, "
	    "ps.idx, ps.type, ps.title, ps.start_ms, ps.start_ms + ps.dur_ms "
	    "FROM playout_segments ps JOIN playout_blocks pb USING (block_id) "
	    "WHERE pb.channel_id = ?1 AND NOT EXISTS (SELECT 1 FROM fed WHERE "
	    "fed.block_id = ps.block_id AND ps.start_ms < fed.fed_end)) SELECT block_id, idx, type, title, s, e FROM planned "
	    "WHERE s < ?3 AND e > ?2 ORDER BY s", q, r, row_planned,
	    "reading the plan", err);
}

static struct verdict *
verdict(struct rec *r, const char *what, int64_t at)
{
	struct verdict *v = grow(&r->v, &r->nv, sizeof(*v));

	if (v != NULL) {
		v->what = what;
		v->at = at;
	}
	return v;
}

static const struct sess *
session_of(const struct rec *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ns; i++)
		if (strcmp(r->s[i].id, id) == 0)
			return &r->s[i];
	return NULL;
}

/* The session on the air over all of [a, b), or NULL. */
static const struct sess *
session_at(const struct rec *r, int64_t a, int64_t b)
{
	size_t i;

	for (i = 0; i < r->ns; i++)
		if (r->s[i].start <= a && b <= r->s[i].end &&
		    r->s[i].rate.num > 0 && r->s[i].rate.den > 0)
			return &r->s[i];
	return NULL;
}

/* Milliseconds of [a, b) on the air; with down, also the time from a
 * killed session's end to the next session's start, when the channel
 * should have been on the air and was not. */
static int64_t
on_air(const struct rec *r, int64_t a, int64_t b, int down)
{
	int64_t n = 0, x, y, e;
	size_t i;

	for (i = 0; i < r->ns; i++) {
		e = r->s[i].end;
		if (down && r->s[i].killed && i + 1 < r->ns)
			e = r->s[i + 1].start;
		x = r->s[i].start > a ? r->s[i].start : a;
		y = e < b ? e : b;
		if (y > x)
			n += y - x;
	}
	return n;
}

static void
judge(struct rec *r, const struct rv_asrun_reconcile *q)
{
	size_t i, k;

	for (i = 0; i < r->np; i++) {
		const struct planned *p = &r->p[i];
		struct aired *a = NULL;
		const struct sess *s;
		struct verdict *v;
		int64_t ps, pe, tol, d;

		for (k = 0; k < r->na; k++)
			if (strcmp(r->a[k].block, p->block) == 0 &&
			    r->a[k].idx == p->idx)
				a = &r->a[k];	/* the latest session's */
		if (a == NULL) {
			int64_t air = on_air(r, p->start, p->end, 1);

			s = session_at(r, p->start, p->end);
			/* No frame instant of the session falls in it (a pad
			 * of 27 ms at 29.97): it could not air, and rv-air
			 * rightly says nothing of it. */
			if (s != NULL && rv_fence_frame(p->start - s->start,
			    s->rate) == rv_fence_frame(p->end - s->start,
			    s->rate)) {
				if ((v = verdict(r, "ok", p->start)) == NULL)
					return;
				snprintf(v->note, sizeof(v->note), "shorter "
				    "than a frame here: no frame of it airs");
			} else if ((v = verdict(r, air < p->end - p->start ?
			    "off_air" : "missing", p->start)) == NULL)
				return;
			else
				v->diff_ms = -(p->end - p->start);
			snprintf(v->event, sizeof(v->event), "%s/%lld",
			    p->block, (long long)p->idx);
			snprintf(v->type, sizeof(v->type), "%s", p->type);
			snprintf(v->title, sizeof(v->title), "%s",
			    p->title ? p->title : "");
			continue;
		}
		a->planned = 1;
		s = session_of(r, a->session);
		/* A join starts inside the segment; a session that ended
		 * inside it (killed, or the end of the render) ends it. */
		ps = s != NULL && s->start > p->start ? s->start : p->start;
		pe = s != NULL && s->end < p->end && strcmp(a->status,
		    "incomplete") != 0 ? s->end : p->end;
		tol = rv_frame_ms(q->tolerance_frames, s ? s->rate :
		    (struct rv_rate){ 30000, 1001 }) + 1;
		v = verdict(r, "ok", a->start);
		if (v == NULL)
			return;
		v->diff_ms = a->start - ps;
		snprintf(v->event, sizeof(v->event), "%s/%lld", p->block,
		    (long long)p->idx);
		snprintf(v->type, sizeof(v->type), "%s", p->type);
		snprintf(v->title, sizeof(v->title), "%s", p->title ?
		    p->title : "");
		if (strcmp(a->status, "substituted") == 0 ||
		    strcmp(a->status, "error") == 0) {
			v->what = "substituted";
			v->diff_ms = a->end - a->start;
			snprintf(v->note, sizeof(v->note), "%s", a->reason ?
			    a->reason : a->status);
		} else if ((d = a->start - ps) > tol || d < -tol) {
			v->what = d > 0 ? "late" : "early";
			v->diff_ms = d;
		} else if ((d = a->end - pe) > tol || d < -tol) {
			v->what = d > 0 ? "long" : "short";
			v->diff_ms = d;
			if (strcmp(a->status, "incomplete") == 0)
				snprintf(v->note, sizeof(v->note), "the "
				    "session ended inside it");
		} else if (strcmp(a->status, "short") == 0) {
			v->what = "short";
			v->diff_ms = rv_frame_ms(a->content, s ? s->rate :
			    (struct rv_rate){ 30000, 1001 }) - (a->end -
			    a->start);
			snprintf(v->note, sizeof(v->note), "the source ran "
			    "out: held, then padded");
		}
		if (s != NULL)
			v->diff_frames = v->diff_ms < 0 ?
			    -rv_fence_frame(-v->diff_ms, s->rate) :
			    rv_fence_frame(v->diff_ms, s->rate);
	}
	for (k = 0; k < r->na; k++) {
		const struct aired *a = &r->a[k];
		struct verdict *v;
		int pad;

		if (a->planned)
			continue;
		/* Pad that no plan asked for is a hole in the execution
		 * horizon that rv-blockfeed covered: on the air, nothing
		 * aired. */
		pad = a->type != NULL && strcmp(a->type, "pad") == 0;
		if ((v = verdict(r, pad ? "gap" : "extra", a->start)) == NULL)
			return;
		snprintf(v->event, sizeof(v->event), "%s/%lld", a->block,
		    (long long)a->idx);
		snprintf(v->type, sizeof(v->type), "%s", a->type ? a->type :
		    "");
		v->diff_ms = a->end - a->start;
		snprintf(v->note, sizeof(v->note), "%s", pad ? "no plan: a "
		    "hole in the execution horizon, padded" : "not in the "
		    "plan");
	}
	/* Down: a killed session until the next one started. */
	for (k = 0; k + 1 < r->ns; k++) {
		struct verdict *v;

		if (!r->s[k].killed || r->s[k + 1].start <= r->s[k].end)
			continue;
		if ((v = verdict(r, "gap", r->s[k].end)) == NULL)
			return;
		snprintf(v->event, sizeof(v->event), "%s", r->s[k].id);
		v->diff_ms = r->s[k + 1].start - r->s[k].end;
		snprintf(v->note, sizeof(v->note), "rv-air was killed; "
		    "nothing aired until the next session");
	}
	/* On the air with nothing aired: holes between one segment's end
	 * and the next one's start within a session. */
	for (k = 0; k + 1 < r->na; k++) {
		const struct aired *a = &r->a[k], *b = &r->a[k + 1];
		struct verdict *v;

		if (strcmp(a->session, b->session) != 0 ||
		    b->start - a->end <= 1)
			continue;
		if ((v = verdict(r, "gap", a->end)) == NULL)
			return;
		snprintf(v->event, sizeof(v->event), "%s", a->session);
		v->diff_ms = b->start - a->end;
		snprintf(v->note, sizeof(v->note), "nothing aired");
	}
}

static int
by_time(const void *x, const void *y)
{
	const struct verdict *a = x, *b = y;

	return a->at < b->at ? -1 : a->at > b->at;
}

const char *const rv_asrun_verdict_names[RV_ASRUN_NVERDICT] = { "ok",
	"late", "early", "short", "long", "missing", "extra", "substituted",
	"gap", "off_air" };

int
rv_asrun_reconcile(sqlite3 *db, const struct rv_asrun_reconcile *q,
    FILE *out, struct rv_asrun_summary *sum, struct rv_err *err)
{
	const char *const *names = rv_asrun_verdict_names;
	int64_t *counts = sum->counts, *bad = &sum->bad, subst = 0, air;
	struct rec r = { 0 };
	sqlite3_stmt *st;
	int known;
	char t[64];
	size_t i, k;

	memset(sum, 0, sizeof(*sum));
	if (rv_db_prepare(db, "SELECT 1 FROM channels WHERE id = ?1", &st,
	    err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, q->channel, -1, SQLITE_STATIC);
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!known)
		return rv_errf(err, "no channel %s in the database", q->channel);
	if (rec_load(db, q, &r, err) < 0) {
		rec_free(&r);
		return -1;
	}
	judge(&r, q);
	/* Gaps say their length in frames too, at the channel's rate. */
	for (i = 0; i < r.nv; i++)
		if (strcmp(r.v[i].what, "gap") == 0 && r.ns > 0)
			r.v[i].diff_frames = rv_fence_frame(r.v[i].diff_ms,
			    r.s[0].rate);
	qsort(r.v, r.nv, sizeof(*r.v), by_time);
	if (!q->json)
		fprintf(out, "%-24s  %-11s  %9s  %6s  %-34s  %-10s  %-20s  %s\n",
		    "TIME (UTC)", "VERDICT", "DIFF_MS", "FRAMES", "EVENT",
		    "TYPE", "TITLE", "NOTE");
	for (i = 0; i < r.nv; i++) {
		const struct verdict *v = &r.v[i];

		for (k = 0; k < RV_ASRUN_NVERDICT &&
		    strcmp(names[k], v->what) != 0; k++)
			;
		if (k < RV_ASRUN_NVERDICT)
			counts[k]++;
		if (strcmp(v->what, "ok") != 0 && strcmp(v->what,
		    "off_air") != 0)
			(*bad)++;
		if (strcmp(v->what, "substituted") == 0)
			subst += v->diff_ms;
		rv_time_format(v->at, t, sizeof(t));
		if (q->json) {
			json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, "
			    "s:s, s:s, s:s}", "time", t, "verdict", v->what,
			    "utc_ms", (json_int_t)v->at, "diff_ms",
			    (json_int_t)v->diff_ms, "diff_frames",
			    (json_int_t)v->diff_frames, "event", v->event,
			    "type", v->type, "title", v->title, "note",
			    v->note);
			char *text = json_dumps(j, JSON_COMPACT |
			    JSON_SORT_KEYS);

			fprintf(out, "%s\n", text ? text : "{}");
			free(text);
			json_decref(j);
		} else
			fprintf(out, "%-24s  %-11s  %9lld  %6lld  %-34.34s  "
			    "%-10.10s  %-20.20s  %s\n", t, v->what,
			    (long long)v->diff_ms, (long long)v->diff_frames,
			    v->event, v->type, v->title, v->note);
	}
	air = on_air(&r, q->from_ms, q->to_ms, 0);
	sum->on_air_ms = air;
	sum->substituted_ms = subst;
	if (q->json) {
		json_t *j = json_object(), *c = json_object();
		char *text;

		for (k = 0; k < RV_ASRUN_NVERDICT; k++)
			json_object_set_new(c, names[k],
			    json_integer(counts[k]));
		json_object_set_new(j, "summary", c);
		json_object_set_new(j, "on_air_ms", json_integer(air));
		json_object_set_new(j, "substituted_ms", json_integer(subst));
		json_object_set_new(j, "out_of_tolerance",
		    json_integer(*bad));
		text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		fprintf(out, "%s\n", text ? text : "{}");
		free(text);
		json_decref(j);
	} else {
		fprintf(out, "\nSUMMARY");
		for (k = 0; k < RV_ASRUN_NVERDICT; k++)
			fprintf(out, " %s=%lld", names[k], (long long)counts[k]);
		fprintf(out, "\non air %lld.%03lld s, substituted %lld.%03lld "
		    "s, %lld out of tolerance\n", (long long)(air / 1000),
		    (long long)(air % 1000), (long long)(subst / 1000),
		    (long long)(subst % 1000), (long long)*bad);
	}
	rec_free(&r);
	return ferror(out) ? rv_errf(err, "writing the report failed") : 0;
}
