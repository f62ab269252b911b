/*
 * Unit tests for lib/asrun: rv-air's evidence events ingested exactly
 * once into a temporary database, and the as-run log of a broadcast day
 * rendered from them.
 *
 * The events are crafted JSON, as rv-air writes them in its E frames.
 * The log tests use channel cheers-24-7 in UTC with the broadcast day
 * 2026-01-05 starting at 06:00, so [T0, T0 + 24 h) is the day.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "asrun.h"
#include "db.h"

#define SEC	INT64_C(1000)
#define HOUR	INT64_C(3600000)
#define DAY	(24 * HOUR)

/* 2026-01-05T06:00:00Z: the broadcast day's start. */
#define T0	INT64_C(1767592800000)

#define CH	"cheers-24-7"
#define BLOCK	"cheers-24-7-0600"

/* Every test gets a fresh database in a fresh temporary folder. */
struct fx {
	char			 dir[64];
	char			 path[PATH_MAX];
	sqlite3			*db;
	struct rv_asrun_stats	 st;
	struct rv_err		 err;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct rv_err err = { "" };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_asrun.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/retrovue.db", f->dir);
	if (rv_db_open(f->path, &f->db, &err) != 0) {
		fprintf(stderr, "rv_db_open: %s\n", err.msg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int rc;

	rv_db_close(f->db);
	rc = nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc;
}

/* Ingest the event printf(fmt, ...); f->err keeps the reason of a -1. */
static int
ingest(struct fx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ingest(struct fx *f, const char *fmt, ...)
{
	va_list ap;
	char *json;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&json, fmt, ap) < 0)
		fail_msg("out of memory");
	va_end(ap);
	f->err.msg[0] = '\0';
	rc = rv_asrun_ingest(f->db, json, strlen(json), &f->st, &f->err);
	free(json);
	return rc;
}

/* The event must be recorded. */
#define INGEST_OK(f, ...) do {						\
	if (ingest((f), __VA_ARGS__) != RV_ASRUN_RECORDED)		\
		fail_msg("not recorded: %s", (f)->err.msg);		\
} while (0)

/* The common members of an event of session s of channel CH; utc_ms
 * is the %lld. */
#define EV(kind, s, seq, frame)						\
	"{\"kind\": \"" kind "\", \"channel\": \"" CH "\", "		\
	"\"session\": \"" s "\", \"seq\": " #seq ", \"utc_ms\": %lld, "	\
	"\"frame\": " #frame

static long long
query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text in the first column of the first row, "NULL" when NULL. */
static const char *
query_text(sqlite3 *db, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;
	const unsigned char *t;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	t = sqlite3_column_text(st, 0);
	snprintf(buf, n, "%s", t != NULL ? (const char *)t : "NULL");
	sqlite3_finalize(st);
	return buf;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	struct rv_err err = { "" };

	if (rv_db_exec(db, sql, &err) != 0)
		fail_msg("%s", err.msg);
}

static long long
rows(sqlite3 *db)
{
	return query(db, "SELECT (SELECT count(*) FROM asrun_sessions)"
	    " + (SELECT count(*) FROM asrun_events)"
	    " + (SELECT count(*) FROM asrun_anomalies)");
}

/* --- ingest ------------------------------------------------------------- */

static void
an_event_ingested_twice_is_recorded_once(void **state)
{
	struct fx *f = *state;
	char buf[256];

	assert_int_equal(ingest(f, EV("session_start", "s1", 1, 0) "}",
	    (long long)T0), RV_ASRUN_RECORDED);
	assert_int_equal(ingest(f, EV("session_start", "s1", 1, 0) "}",
	    (long long)T0), RV_ASRUN_DUPLICATE);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_events"), 1);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"),
	    1);
	assert_int_equal(f->st.recorded, 1);
	assert_int_equal(f->st.duplicates, 1);
	assert_int_equal(f->st.refused, 0);

	/* a replay of a later event: still one row, and no gap */
	INGEST_OK(f, EV("block_start", "s1", 2, 30) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + SEC));
	assert_int_equal(ingest(f, EV("block_start", "s1", 2, 30)
	    ", \"block_id\": \"" BLOCK "\"}", (long long)(T0 + SEC)),
	    RV_ASRUN_DUPLICATE);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_events"), 2);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    0);
	assert_int_equal(f->st.recorded, 2);
	assert_int_equal(f->st.duplicates, 2);
	assert_string_equal(query_text(f->db, "SELECT kind FROM asrun_events"
	    " WHERE seq = 2", buf, sizeof(buf)), "block_start");
}

static void
a_sequence_gap_is_an_anomaly_naming_the_missing_events(void **state)
{
	struct fx *f = *state;
	char buf[256];

	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s1", 4, 90) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 3 * SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    1);
	assert_string_equal(query_text(f->db, "SELECT session_id || ' ' ||"
	    " kind || ' ' || at_ms || ' ' || seq || ' ' || detail FROM"
	    " asrun_anomalies", buf, sizeof(buf)),
	    "s1 sequence_gap 1767592803000 4 events 2 to 3 not received");
	assert_int_equal(f->st.gaps, 1);
	assert_int_equal(query(f->db, "SELECT last_seq FROM asrun_sessions"),
	    4);
}

static void
late_events_that_fill_a_gap_clear_its_anomaly(void **state)
{
	struct fx *f = *state;

	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s1", 4, 90) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 3 * SEC));
	/* 2 of the missing 2 and 3: still a gap */
	INGEST_OK(f, EV("block_fence", "s1", 2, 30) ", \"block_id\": \""
	    BLOCK "\", \"frames\": 30}", (long long)(T0 + SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    1);
	/* 3: nothing is missing any more */
	INGEST_OK(f, EV("block_start", "s1", 3, 30) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    0);
	assert_int_equal(f->st.gaps, 1);
	assert_int_equal(f->st.filled, 1);
	/* Two gaps, 2 and 4: 4 arriving clears its own at once */
	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s2", 3, 60) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 2 * SEC));
	INGEST_OK(f, EV("block_start", "s2", 5, 120) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 4 * SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"
	    " WHERE session_id = 's2'"), 2);
	INGEST_OK(f, EV("block_start", "s2", 4, 90) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 3 * SEC));
	assert_int_equal(query(f->db, "SELECT seq FROM asrun_anomalies"
	    " WHERE session_id = 's2'"), 3);
	/* a replay of 3 changes nothing */
	assert_int_equal(ingest(f, EV("block_start", "s1", 3, 30) ", "
	    "\"block_id\": \"" BLOCK "\"}", (long long)(T0 + SEC)),
	    RV_ASRUN_DUPLICATE);
	assert_int_equal(f->st.filled, 2);
}

static void
a_late_event_fills_a_gap_without_a_new_anomaly(void **state)
{
	struct fx *f = *state;

	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s1", 4, 90) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 3 * SEC));
	INGEST_OK(f, EV("block_start", "s1", 2, 30) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_events"), 3);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    1);
	assert_int_equal(f->st.gaps, 1);
	assert_int_equal(f->st.recorded, 3);
	/* the late event does not move the sequence back: 5 follows 4 */
	assert_int_equal(query(f->db, "SELECT last_seq FROM asrun_sessions"),
	    4);
	INGEST_OK(f, EV("block_fence", "s1", 5, 120) ", \"block_id\": \""
	    BLOCK "\", \"frames\": 90}", (long long)(T0 + 4 * SEC));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    1);
}

static void
a_session_seen_first_past_its_start_is_a_gap_from_one(void **state)
{
	struct fx *f = *state;
	char buf[256];

	INGEST_OK(f, EV("block_start", "s1", 3, 60) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 2 * SEC));
	assert_string_equal(query_text(f->db, "SELECT detail FROM"
	    " asrun_anomalies WHERE kind = 'sequence_gap'", buf, sizeof(buf)),
	    "events 1 to 2 not received");
	/* the session exists, on air, from the first event seen */
	assert_int_equal(query(f->db, "SELECT started_ms FROM asrun_sessions"
	    " WHERE session_id = 's1' AND ended_ms IS NULL"), T0 + 2 * SEC);
}

static void
session_end_sets_ended_ms_and_end_reason(void **state)
{
	struct fx *f = *state;
	char buf[256];

	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE ended_ms IS NULL AND end_reason IS NULL"), 1);
	INGEST_OK(f, EV("session_end", "s1", 2, 300) ", \"reason\":"
	    " \"stopped by SIGTERM\"}", (long long)(T0 + 10 * SEC));
	assert_int_equal(query(f->db, "SELECT ended_ms FROM asrun_sessions"),
	    T0 + 10 * SEC);
	assert_string_equal(query_text(f->db, "SELECT end_reason FROM"
	    " asrun_sessions", buf, sizeof(buf)), "stopped by SIGTERM");

	/* without a reason it has ended all the same */
	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}",
	    (long long)(T0 + HOUR));
	INGEST_OK(f, EV("session_end", "s2", 2, 30) "}",
	    (long long)(T0 + HOUR + SEC));
	assert_string_equal(query_text(f->db, "SELECT ended_ms || ' ' ||"
	    " end_reason FROM asrun_sessions WHERE session_id = 's2'", buf,
	    sizeof(buf)), "1767596401000 ended");
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    0);
	assert_int_equal(f->st.terminated, 0);
}

static void
new_session_terminates_the_open_one_at_its_last_event(void **state)
{
	struct fx *f = *state;
	char buf[512];

	/* an earlier session of the channel that ended properly */
	INGEST_OK(f, EV("session_start", "s0", 1, 0) "}",
	    (long long)(T0 - HOUR));
	INGEST_OK(f, EV("session_end", "s0", 2, 30) "}",
	    (long long)(T0 - HOUR + SEC));
	/* s1 is killed after its third event */
	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s1", 2, 30) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + SEC));
	INGEST_OK(f, EV("segment_start", "s1", 3, 60) ", \"block_id\": \""
	    BLOCK "\", \"segment_index\": 0}", (long long)(T0 + 2 * SEC));
	/* another channel's session, open all along */
	INGEST_OK(f, "{\"kind\": \"session_start\", \"channel\": \"news\","
	    " \"session\": \"n1\", \"seq\": 1, \"utc_ms\": %lld, \"frame\": 0}",
	    (long long)(T0 + 5 * SEC));
	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}",
	    (long long)(T0 + 60 * SEC));

	assert_string_equal(query_text(f->db, "SELECT ended_ms || ' ' ||"
	    " end_reason FROM asrun_sessions WHERE session_id = 's1'", buf,
	    sizeof(buf)), "1767592802000 terminated");
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    1);
	assert_string_equal(query_text(f->db, "SELECT session_id || ' ' ||"
	    " kind || ' ' || at_ms || ' ' || coalesce(seq, 'NULL') || ' ' ||"
	    " detail FROM asrun_anomalies", buf, sizeof(buf)),
	    "s1 terminated 1767592802000 NULL ended without session_end;"
	    " closed at its last event when session s2 started");
	assert_int_equal(f->st.terminated, 1);
	/* the one that ended keeps its end; the new one and the other
	 * channel's stay on air */
	assert_string_equal(query_text(f->db, "SELECT ended_ms || ' ' ||"
	    " end_reason FROM asrun_sessions WHERE session_id = 's0'", buf,
	    sizeof(buf)), "1767589201000 ended");
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE session_id IN ('s2', 'n1') AND ended_ms IS NULL"), 2);

	/* a second new session terminates s2 alone, at its start */
	INGEST_OK(f, EV("session_start", "s3", 1, 0) "}",
	    (long long)(T0 + 120 * SEC));
	assert_int_equal(query(f->db, "SELECT ended_ms FROM asrun_sessions"
	    " WHERE session_id = 's2'"), T0 + 60 * SEC);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    2);
	assert_int_equal(f->st.terminated, 2);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE ended_ms IS NULL"), 2);	/* s3, n1 */
}

static void
late_start_of_an_older_session_leaves_the_newer_one_on_air(void **state)
{
	struct fx *f = *state;

	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}",
	    (long long)(T0 + 60 * SEC));
	INGEST_OK(f, EV("block_start", "s2", 2, 30) ", \"block_id\": \""
	    BLOCK "\"}", (long long)(T0 + 61 * SEC));
	/* s1 started before s2: its start, arriving late, ends nothing */
	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE session_id = 's2' AND ended_ms IS NULL"), 1);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    0);
	assert_int_equal(f->st.terminated, 0);
}

static void
refused_events_write_nothing_and_say_why(void **state)
{
	static const struct {
		const char *json, *why;
	} bad[] = {
		{ "not json", "not JSON" },
		{ "{\"kind\": \"session_start\"", "not JSON" },
		{ "[1, 2]", "not a JSON object" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"seq\": 1, \"utc_ms\": 0, \"frame\": 0}",
		  "an event needs kind, channel, session" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": \"1\", \"utc_ms\": 0,"
		  " \"frame\": 0}", "an event needs kind, channel, session" },
		{ "{\"kind\": \"block_pause\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\"}",
		  "unknown event kind (block_pause)" },
		{ "{\"kind\": \"session_start\", \"channel\": \"\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0}", "empty channel or session" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 0, \"utc_ms\": 0,"
		  " \"frame\": 0}", "seq must be 1 or more" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": -1}", "frame 0 or more" },
		{ "{\"kind\": \"segment_end\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\", \"segment_index\": 0,"
		  " \"frames\": 30}", "segment_end with status missing" },
		{ "{\"kind\": \"segment_end\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\", \"segment_index\": 0,"
		  " \"status\": \"played\", \"frames\": 30}",
		  "segment_end with status played" },
		{ "{\"kind\": \"block_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0}", "block_start without block_id" },
		{ "{\"kind\": \"block_fence\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"\"}",
		  "block_fence without block_id" },
		{ "{\"kind\": \"segment_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\"}",
		  "segment_start without a segment_index of 0 or more" },
		{ "{\"kind\": \"segment_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\", \"segment_index\": -1}",
		  "segment_start without a segment_index of 0 or more" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"fps\": {\"num\": 30000, \"den\": 0}}",
		  "fps must be positive" },
		{ "{\"kind\": \"session_start\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"fps\": {\"num\": 30000}}",
		  "fps must be {num, den}" },
		{ "{\"kind\": \"block_fence\", \"channel\": \"" CH "\","
		  " \"session\": \"s1\", \"seq\": 1, \"utc_ms\": 0,"
		  " \"frame\": 0, \"block_id\": \"b\", \"frames\": \"90\"}",
		  "frames must be an integer" },
	};
	struct fx *f = *state;
	size_t i, n = sizeof(bad) / sizeof(bad[0]);

	for (i = 0; i < n; i++) {
		f->err.msg[0] = '\0';
		if (rv_asrun_ingest(f->db, bad[i].json, strlen(bad[i].json),
		    &f->st, &f->err) != RV_ASRUN_REFUSED)
			fail_msg("accepted: %s", bad[i].json);
		if (strstr(f->err.msg, bad[i].why) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].json,
			    f->err.msg, bad[i].why);
	}
	assert_int_equal(rows(f->db), 0);
	assert_int_equal(f->st.refused, (int64_t)n);
	assert_int_equal(f->st.recorded, 0);
	assert_int_equal(f->st.duplicates, 0);
	assert_int_equal(f->st.gaps, 0);
	/* nothing half-written in the way: the good event is seq 1, no gap */
	INGEST_OK(f, EV("session_start", "s1", 1, 0) "}", (long long)T0);
	assert_int_equal(rows(f->db), 2);
}

static void
payload_holds_the_json_as_given_and_columns_its_members(void **state)
{
	static const char json[] = "{ \"status\":\"short\",\"kind\":"
	    "\"segment_end\", \"channel\":\"" CH "\",\"session\":\"s1\","
	    "\"seq\":1, \"utc_ms\":1767592800000,\"frame\" : 0,"
	    "\"block_id\":\"" BLOCK "\",\"segment_index\":2,\"frames\":41,"
	    "\"reason\":\"source ended early\",\"type\":\"commercial\","
	    "\"x-extra\":[1,{\"a\":null}]}\n";
	static const char longer[] = "{\"kind\": \"session_end\","
	    " \"channel\": \"" CH "\", \"session\": \"s1\", \"seq\": 2,"
	    " \"utc_ms\": 1767592801000, \"frame\": 30}GARBAGE";
	struct fx *f = *state;
	char buf[512];

	assert_int_equal(rv_asrun_ingest(f->db, json, strlen(json), &f->st,
	    &f->err), RV_ASRUN_RECORDED);
	assert_string_equal(query_text(f->db, "SELECT payload FROM"
	    " asrun_events", buf, sizeof(buf)), json);
	assert_string_equal(query_text(f->db, "SELECT channel_id || ' ' ||"
	    " kind || ' ' || at_ms || ' ' || frame || ' ' || block_id || ' ' ||"
	    " segment_idx || ' ' || status || ' ' || frames || ' ' || reason"
	    " FROM asrun_events", buf, sizeof(buf)),
	    CH " segment_end 1767592800000 0 " BLOCK " 2 short 41"
	    " source ended early");

	/* len, not the terminating NUL, bounds the event */
	assert_int_equal(rv_asrun_ingest(f->db, longer, strlen(longer) -
	    strlen("GARBAGE"), &f->st, &f->err), RV_ASRUN_RECORDED);
	assert_string_equal(query_text(f->db, "SELECT payload FROM"
	    " asrun_events WHERE seq = 2", buf, sizeof(buf)),
	    "{\"kind\": \"session_end\", \"channel\": \"" CH "\","
	    " \"session\": \"s1\", \"seq\": 2, \"utc_ms\": 1767592801000,"
	    " \"frame\": 30}");
}

static void
session_start_records_the_frame_rate(void **state)
{
	struct fx *f = *state;

	INGEST_OK(f, EV("session_start", "s1", 1, 0) ", \"fps\": {\"num\":"
	    " 30000, \"den\": 1001}}", (long long)T0);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE fps_num = 30000 AND fps_den = 1001 AND started_ms ="
	    " 1767592800000"), 1);
	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}", (long long)T0);
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_sessions"
	    " WHERE session_id = 's2' AND fps_num IS NULL"), 1);
}

/* --- the log ------------------------------------------------------------ */

/* Channel cheers-24-7 (number 2, UTC), the plan of block BLOCK with a
 * title on its segment 0, and the evidence of session s1 at 25 fps:
 * segment 0 aired 300 frames, segment 1 started and never ended.  s0
 * ended before the day and s2 starts as the next one begins. */
static void
seed_day(struct fx *f)
{
	exec_ok(f->db,
	    "INSERT INTO channels (id, number, name, type, timezone, file,"
	    "  file_sha256, updated_ms) VALUES ('" CH "', 2, 'Cheers 24/7',"
	    "  'network', 'UTC', 'cheers.yaml', printf('%064d', 0), 0);"
	    "INSERT INTO generations (channel_id, tier, range_start_ms,"
	    "  range_end_ms, published_ms) VALUES ('" CH "', 'exec',"
	    "  1767592800000, 1767594600000, 0);"
	    "INSERT INTO playout_blocks (block_id, channel_id, broadcast_day,"
	    "  start_ms, end_ms, generation_id) VALUES ('" BLOCK "', '" CH "',"
	    "  '2026-01-05', 1767592800000, 1767594600000, 1);"
	    "INSERT INTO playout_segments (block_id, idx, type, start_ms, uri,"
	    "  dur_ms, title) VALUES ('" BLOCK "', 0, 'filler',"
	    "  1767592800000, '/f/ring.mp4', 12000, 'Give Me a Ring');");
	INGEST_OK(f, EV("session_start", "s0", 1, 0) "}",
	    (long long)(T0 - HOUR));
	INGEST_OK(f, EV("session_end", "s0", 2, 89999) "}",
	    (long long)(T0 - 1));
	INGEST_OK(f, EV("session_start", "s1", 1, 0) ", \"fps\": {\"num\":"
	    " 25, \"den\": 1}}", (long long)T0);
	INGEST_OK(f, EV("block_start", "s1", 2, 25) ", \"block_id\": \""
	    BLOCK "\", \"fence_frame\": 500}", (long long)(T0 + SEC));
	INGEST_OK(f, EV("segment_start", "s1", 3, 50) ", \"block_id\": \""
	    BLOCK "\", \"segment_index\": 0, \"type\": \"content\"}",
	    (long long)(T0 + 2 * SEC));
	INGEST_OK(f, EV("segment_end", "s1", 4, 350) ", \"block_id\": \""
	    BLOCK "\", \"segment_index\": 0, \"type\": \"content\","
	    " \"status\": \"aired\", \"frames\": 300}",
	    (long long)(T0 + 14 * SEC));
	INGEST_OK(f, EV("segment_start", "s1", 5, 375) ", \"block_id\": \""
	    BLOCK "\", \"segment_index\": 1, \"type\": \"commercial\"}",
	    (long long)(T0 + 15 * SEC));
	INGEST_OK(f, EV("block_fence", "s1", 6, 500) ", \"block_id\": \""
	    BLOCK "\", \"frames\": 500}", (long long)(T0 + 20 * SEC));
	INGEST_OK(f, EV("session_end", "s1", 7, 525) ", \"reason\":"
	    " \"stopped\"}", (long long)(T0 + 21 * SEC));
	INGEST_OK(f, EV("session_start", "s2", 1, 0) "}",
	    (long long)(T0 + DAY));
	assert_int_equal(query(f->db, "SELECT count(*) FROM asrun_anomalies"),
	    0);
}

/* The log of cheers-24-7's 2026-01-05, generated 2026-01-06T07:00Z;
 * the caller frees it. */
static char *
render(struct fx *f, const char *channel, int json, int want_rc)
{
	struct rv_asrun_log q = { channel, "2026-01-05", 6 * 60,
	    T0 + DAY + HOUR, json };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int rc;

	assert_non_null(out);
	f->err.msg[0] = '\0';
	rc = rv_asrun_log(f->db, &q, out, &f->err);
	assert_int_equal(fclose(out), 0);
	if (rc != want_rc)
		fail_msg("rv_asrun_log returned %d: %s", rc, f->err.msg);
	return text;
}

static void
log_text_has_the_header_and_a_line_per_event_in_the_day(void **state)
{
	static const char want[] =
	    "RETROVUE AS-RUN LOG\n"
	    "Channel:    cheers-24-7 (2 Cheers 24/7)\n"
	    "Day:        2026-01-05, 2026-01-05T06:00:00+00:00 to"
	    " 2026-01-06T06:00:00+00:00\n"
	    "Time zone:  UTC\n"
	    "Generated:  2026-01-06T07:00:00Z\n"
	    "\n"
	    "TIME          DURATION      STATUS        TYPE        "
	    "EVENT                               TITLE                     "
	    "NOTES\n"
	    "06:00:00.000  -             start         session     "
	    "s1\n"
	    "06:00:01.000  -             start         block       "
	    "cheers-24-7-0600\n"
	    /* the segment: its start's time, its end's status, the plan's
	     * title, its frames at the session's 25 fps */
	    "06:00:02.000  00:00:12.000  aired         content     "
	    "cheers-24-7-0600/0                  Give Me a Ring            "
	    "300 frames\n"
	    "06:00:15.000  -             incomplete    commercial  "
	    "cheers-24-7-0600/1\n"
	    "06:00:20.000  00:00:20.000  fence         block       "
	    "cheers-24-7-0600                                              "
	    "500 frames\n"
	    "06:00:21.000  -             end           session     "
	    "s1                                                            "
	    "stopped\n";
	struct fx *f = *state;
	char *text;

	seed_day(f);
	text = render(f, CH, 0, 0);
	assert_string_equal(text, want);
	free(text);
}

static void
log_of_a_day_with_nothing_aired_is_the_header_alone(void **state)
{
	struct fx *f = *state;
	struct rv_asrun_log q = { CH, "2026-01-07", 6 * 60, 0, 0 };
	char *text = NULL, *p;
	size_t len = 0, lines = 0;
	FILE *out;

	seed_day(f);
	assert_non_null(out = open_memstream(&text, &len));
	assert_int_equal(rv_asrun_log(f->db, &q, out, &f->err), 0);
	assert_int_equal(fclose(out), 0);
	for (p = text; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 7);
	assert_non_null(strstr(text, "\nTIME "));
	assert_string_equal(text + len - 6, "NOTES\n");
	free(text);
}

static void
log_shows_anomalies_and_frames_at_30000_1001_by_default(void **state)
{
	struct fx *f = *state;
	char *text;

	seed_day(f);
	/* s3 (after s1 ended) skips seq 2 */
	INGEST_OK(f, EV("session_start", "s3", 1, 0) "}",
	    (long long)(T0 + HOUR));
	INGEST_OK(f, EV("block_start", "s3", 3, 0) ", \"block_id\": \"b\"}",
	    (long long)(T0 + HOUR + 5 * SEC));
	INGEST_OK(f, EV("block_fence", "s3", 4, 300) ", \"block_id\": \"b\","
	    " \"frames\": 300}", (long long)(T0 + HOUR + 20 * SEC));
	text = render(f, CH, 0, 0);
	assert_non_null(strstr(text,
	    "\n07:00:05.000  -             sequence_gap  anomaly     "
	    "s3                                                            "
	    "events 2 to 2 not received\n"));
	assert_non_null(strstr(text,
	    "\n07:00:05.000  -             start         block       "
	    "b\n"));
	/* s3 said no frame rate: its frames are at 30000/1001 */
	assert_non_null(strstr(text,
	    "\n07:00:20.000  00:00:10.010  fence         block       "
	    "b                                                             "
	    "300 frames\n"));
	free(text);
}

/* Where needle is in text; fails if it is not there. */
static const char *
at(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);

	if (p == NULL)
		fail_msg("no \"%s\" in\n%s", needle, text);
	return p;
}

static void
log_lists_the_events_of_one_instant_in_sequence_order(void **state)
{
	struct fx *f = *state;
	char *text;

	seed_day(f);
	/* block b1's fence, b2's start and b2's first segment share the
	 * instant 07:00:05; the fence arrives last */
	INGEST_OK(f, EV("session_start", "s3", 1, 0) ", \"fps\": {\"num\":"
	    " 25, \"den\": 1}}", (long long)(T0 + HOUR));
	INGEST_OK(f, EV("block_start", "s3", 2, 25) ", \"block_id\": \"b1\"}",
	    (long long)(T0 + HOUR + SEC));
	INGEST_OK(f, EV("segment_start", "s3", 3, 25) ", \"block_id\": \"b1\","
	    " \"segment_index\": 0}", (long long)(T0 + HOUR + SEC));
	INGEST_OK(f, EV("segment_end", "s3", 4, 125) ", \"block_id\": \"b1\","
	    " \"segment_index\": 0, \"status\": \"aired\", \"frames\":"
	    " 100}", (long long)(T0 + HOUR + 5 * SEC));
	INGEST_OK(f, EV("block_start", "s3", 6, 125) ", \"block_id\": \"b2\"}",
	    (long long)(T0 + HOUR + 5 * SEC));
	INGEST_OK(f, EV("segment_start", "s3", 7, 125) ", \"block_id\": \"b2\","
	    " \"segment_index\": 0}", (long long)(T0 + HOUR + 5 * SEC));
	INGEST_OK(f, EV("block_fence", "s3", 5, 125) ", \"block_id\": \"b1\","
	    " \"frames\": 100}", (long long)(T0 + HOUR + 5 * SEC));
	INGEST_OK(f, EV("segment_end", "s3", 8, 225) ", \"block_id\": \"b2\","
	    " \"segment_index\": 0, \"status\": \"aired\", \"frames\":"
	    " 100}", (long long)(T0 + HOUR + 9 * SEC));
	text = render(f, CH, 0, 0);
	assert_true(at(text, "\n07:00:00.000  -             start         "
	    "session     s3\n") <
	    at(text, "\n07:00:01.000  -             start         block   "
	    "    b1\n"));
	assert_true(at(text, "    b1\n") <
	    at(text, "\n07:00:01.000  00:00:04.000  aired         segment "
	    "    b1/0 "));
	assert_true(at(text, "    b1/0 ") <
	    at(text, "\n07:00:05.000  00:00:04.000  fence         block   "
	    "    b1 "));
	assert_true(at(text, "fence         block       b1 ") <
	    at(text, "\n07:00:05.000  -             start         block   "
	    "    b2\n"));
	assert_true(at(text, "    b2\n") <
	    at(text, "\n07:00:05.000  00:00:04.000  aired         segment "
	    "    b2/0 "));
	free(text);
}

static void
log_of_an_unknown_channel_is_an_error_naming_it(void **state)
{
	struct fx *f = *state;
	char *text;

	seed_day(f);
	text = render(f, "no-such-channel", 0, -1);
	assert_string_equal(f->err.msg,
	    "no channel no-such-channel in the database");
	assert_string_equal(text, "");
	free(text);
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("no string %s", key);
	return json_string_value(v);
}

static json_int_t
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("no integer %s", key);
	return json_integer_value(v);
}

static void
log_json_is_one_object_per_line(void **state)
{
	static const struct {
		long long	 utc_ms;
		const char	*time, *status, *type, *event, *kind;
	} want[] = {
		{ 1767592800000, "2026-01-05T06:00:00+00:00", "start",
		  "session", "s1", "session_start" },
		{ 1767592801000, "2026-01-05T06:00:01+00:00", "start",
		  "block", BLOCK, "block_start" },
		{ 1767592802000, "2026-01-05T06:00:02+00:00", "aired",
		  "content", BLOCK "/0", "segment_end" },
		{ 1767592815000, "2026-01-05T06:00:15+00:00", "incomplete",
		  "commercial", BLOCK "/1", "segment_start" },
		{ 1767592820000, "2026-01-05T06:00:20+00:00", "fence",
		  "block", BLOCK, "block_fence" },
		{ 1767592821000, "2026-01-05T06:00:21+00:00", "end",
		  "session", "s1", "session_end" },
	};
	struct fx *f = *state;
	char *text, *line, *next;
	size_t i = 0;

	seed_day(f);
	text = render(f, CH, 1, 0);
	for (line = text; *line != '\0'; line = next + 1, i++) {
		json_error_t je;
		json_t *o;

		assert_non_null(next = strchr(line, '\n'));
		*next = '\0';
		if (i >= sizeof(want) / sizeof(want[0]))
			fail_msg("extra line %s", line);
		if ((o = json_loads(line, 0, &je)) == NULL ||
		    !json_is_object(o))
			fail_msg("not a JSON object: %s", line);
		assert_string_equal(str(o, "time"), want[i].time);
		assert_int_equal(num(o, "utc_ms"), want[i].utc_ms);
		assert_string_equal(str(o, "status"), want[i].status);
		assert_string_equal(str(o, "type"), want[i].type);
		assert_string_equal(str(o, "event"), want[i].event);
		assert_string_equal(str(o, "kind"), want[i].kind);
		assert_string_equal(str(o, "session"), "s1");
		switch (i) {
		case 2:
			assert_int_equal(num(o, "frames"), 300);
			assert_int_equal(num(o, "duration_ms"), 12000);
			assert_string_equal(str(o, "title"), "Give Me a Ring");
			assert_int_equal(json_object_size(o), 10);
			break;
		case 4:
			assert_int_equal(num(o, "frames"), 500);
			assert_int_equal(num(o, "duration_ms"), 20000);
			assert_int_equal(json_object_size(o), 9);
			break;
		case 5:
			assert_string_equal(str(o, "reason"), "stopped");
			assert_int_equal(json_object_size(o), 8);
			break;
		default:
			assert_int_equal(json_object_size(o), 7);
			break;
		}
		json_decref(o);
	}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	free(text);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(an_event_ingested_twice_is_recorded_once),
		T(a_sequence_gap_is_an_anomaly_naming_the_missing_events),
		T(a_late_event_fills_a_gap_without_a_new_anomaly),
		T(late_events_that_fill_a_gap_clear_its_anomaly),
		T(a_session_seen_first_past_its_start_is_a_gap_from_one),
		T(session_end_sets_ended_ms_and_end_reason),
		T(new_session_terminates_the_open_one_at_its_last_event),
		T(late_start_of_an_older_session_leaves_the_newer_one_on_air),
		T(refused_events_write_nothing_and_say_why),
		T(payload_holds_the_json_as_given_and_columns_its_members),
		T(session_start_records_the_frame_rate),
		T(log_text_has_the_header_and_a_line_per_event_in_the_day),
		T(log_of_a_day_with_nothing_aired_is_the_header_alone),
		T(log_shows_anomalies_and_frames_at_30000_1001_by_default),
		T(log_lists_the_events_of_one_instant_in_sequence_order),
		T(log_of_an_unknown_channel_is_an_error_naming_it),
		T(log_json_is_one_object_per_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
