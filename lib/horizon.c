#include "horizon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compstate.h"
#include "db.h"
#include "expand.h"
#include "traffic.h"
#include "tz.h"

/* The latest end of each tier, and the broadcast day of the last guide
 * block ("" when the guide is empty). */
static int
ends(sqlite3 *db, const char *ch, int64_t *epg, int64_t *exec, char *day,
    size_t n, struct rv_err *err)
{
	sqlite3_stmt *st;

	*epg = *exec = 0;
	day[0] = 0;
	if (rv_db_prepare(db, "SELECT end_ms, broadcast_day FROM program_blocks"
	    " WHERE channel_id = ?1 ORDER BY end_ms DESC LIMIT 1", &st,
	    err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*epg = sqlite3_column_int64(st, 0);
		snprintf(day, n, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rv_db_prepare(db, "SELECT max(end_ms) FROM playout_blocks"
	    " WHERE channel_id = ?1", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*exec = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
new_generation(sqlite3 *db, const char *ch, const char *tier, int64_t from,
    int64_t to, int64_t now, int forced, const char *note, int64_t *gen,
    struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(db, "INSERT INTO generations (channel_id, tier,"
	    " range_start_ms, range_end_ms, published_ms, forced, note)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tier, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, from);
	sqlite3_bind_int64(st, 4, to);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int(st, 6, forced);
	sqlite3_bind_text(st, 7, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "new %s generation for %s", tier, ch);
	*gen = sqlite3_last_insert_rowid(db);
	return 0;
}

/* Everything of a tier that overlaps [from, to) goes. */
static int
clear_range(sqlite3 *db, const char *table, const char *ch, int64_t from,
    int64_t to, struct rv_err *err)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE channel_id = ?1"
	    " AND end_ms > ?2 AND start_ms < ?3", table);
	if (rv_db_prepare(db, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rv_db_errf(err, db, "clearing %s", table);
}

static int
insert_programs(sqlite3 *db, const struct rv_channel *c,
    const struct rv_program *p, const char *const *days, int n, int64_t gen,
    struct rv_err *err)
{
	sqlite3_stmt *st;
	int i, rc = 0;

	if (rv_db_prepare(db, "INSERT INTO program_blocks (block_id, channel_id,"
	    " broadcast_day, start_ms, end_ms, runtime_ms, asset_id, kind,"
	    " title, episode_title, season, episode, pool, provenance,"
	    " generation_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15)", &st, err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		const struct rv_cat_asset *a = p[i].asset;
		char prov[256];

		snprintf(prov, sizeof(prov), "{\"entry\":\"%s\",\"mode\":\"%s\"%s}",
		    p[i].entry ? p[i].entry : "", p[i].mode ? p[i].mode : "",
		    p[i].cooldown_relaxed ? ",\"cooldown_relaxed\":true" : "");
		sqlite3_bind_text(st, 1, p[i].block_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, days[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, p[i].start_ms);
		sqlite3_bind_int64(st, 5, p[i].end_ms);
		sqlite3_bind_int64(st, 6, p[i].runtime_ms);
		if (a != NULL) {
			sqlite3_bind_text(st, 7, a->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 10, a->title, -1, SQLITE_STATIC);
			if (a->season >= 0)
				sqlite3_bind_int(st, 11, a->season);
			if (a->episode >= 0)
				sqlite3_bind_int(st, 12, a->episode);
		}
		sqlite3_bind_text(st, 8, a ? "program" : "filler", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 9, p[i].title, -1, SQLITE_STATIC);
		if (p[i].pool != NULL)
			sqlite3_bind_text(st, 13, p[i].pool, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, prov, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 15, gen);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = rv_db_errf(err, db, "guide block %s", p[i].block_id);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Spots that count against cooldowns and daily caps before `from`: what
 * aired (the as-run log) before now, and what is planned from now on.  A
 * spot planned in the past that never aired (the channel was off the
 * air) does not count. */
static int
note_history(sqlite3 *db, struct rv_traffic_ctx *t, const char *ch,
    int64_t from, int64_t now, struct rv_err *err)
{
	static const char *const sql[] = {
		"SELECT json_extract(payload, '$.asset_id'), at_ms FROM"
		" asrun_events WHERE channel_id = ?1 AND kind = 'segment_start'"
		" AND json_extract(payload, '$.asset_id') IS NOT NULL"
		" AND json_extract(payload, '$.type') <> 'content'"
		" AND at_ms >= ?2 AND at_ms < ?3 ORDER BY at_ms",
		"SELECT s.asset_id, s.start_ms FROM playout_segments s"
		" JOIN playout_blocks b USING (block_id)"
		" WHERE b.channel_id = ?1 AND s.asset_id IS NOT NULL"
		" AND s.type <> 'content' AND s.start_ms >= ?2 AND s.start_ms < ?3"
		" ORDER BY s.start_ms",
	};
	int64_t lo[2] = { from - 31 * RV_MS_PER_DAY, now };
	int64_t hi[2] = { now < from ? now : from, from };
	sqlite3_stmt *st;
	int i;

	for (i = 0; i < 2; i++) {
		if (lo[i] >= hi[i])
			continue;
		if (rv_db_prepare(db, sql[i], &st, err) < 0)
			return -1;
		sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, lo[i]);
		sqlite3_bind_int64(st, 3, hi[i]);
		while (sqlite3_step(st) == SQLITE_ROW)
			rv_traffic_note(t, (const char *)sqlite3_column_text(st,
			    0), sqlite3_column_int64(st, 1));
		sqlite3_finalize(st);
	}
	return 0;
}

static int
insert_plan(sqlite3 *db, sqlite3_stmt *blk, sqlite3_stmt *seg,
    const char *ch, const char *day, const struct rv_plan *plan,
    const char *program_id, int64_t gen, struct rv_err *err)
{
	int64_t at = plan->start_ms;
	int i;

	sqlite3_bind_text(blk, 1, plan->block_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(blk, 2, ch, -1, SQLITE_STATIC);
	sqlite3_bind_text(blk, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(blk, 4, plan->start_ms);
	sqlite3_bind_int64(blk, 5, plan->end_ms);
	sqlite3_bind_text(blk, 6, program_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(blk, 7, gen);
	sqlite3_bind_int64(blk, 8, plan->unfilled_ms);
	i = sqlite3_step(blk);
	sqlite3_reset(blk);
	if (i != SQLITE_DONE)
		return rv_db_errf(err, db, "playout block %s", plan->block_id);
	for (i = 0; i < plan->n; i++) {
		const struct rv_segment *s = &plan->segs[i];

		sqlite3_bind_text(seg, 1, plan->block_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(seg, 2, i);
		sqlite3_bind_text(seg, 3, rv_seg_type_name(s->type), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(seg, 4, at);
		if (s->uri != NULL)
			sqlite3_bind_text(seg, 5, s->uri, -1, SQLITE_STATIC);
		if (s->asset_id != NULL)
			sqlite3_bind_text(seg, 6, s->asset_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(seg, 7, s->in_ms);
		sqlite3_bind_int64(seg, 8, s->dur_ms);
		if (s->title != NULL)
			sqlite3_bind_text(seg, 9, s->title, -1, SQLITE_STATIC);
		sqlite3_bind_int64(seg, 10, s->fade_in_ms);
		sqlite3_bind_int64(seg, 11, s->fade_out_ms);
		sqlite3_bind_double(seg, 12, s->gain_db);
		sqlite3_bind_int(seg, 13, s->loops);
		at += s->dur_ms;
		if (sqlite3_step(seg) != SQLITE_DONE) {
			sqlite3_reset(seg);
			sqlite3_clear_bindings(seg);
			return rv_db_errf(err, db, "segment %d of %s", i,
			    plan->block_id);
		}
		sqlite3_reset(seg);
		sqlite3_clear_bindings(seg);
	}
	return 0;
}

/* Expand, fill and store guide blocks as the execution horizon. */
static int
publish_exec(sqlite3 *db, const struct rv_channel *c,
    const struct rv_catalog *cat, const struct rv_program *p,
    const char *const *days, int n, int64_t gen, int64_t now,
    int64_t *unfilled, struct rv_err *err)
{
	sqlite3_stmt *blk = NULL, *seg = NULL;
	struct rv_traffic_ctx t;
	struct rv_plan plan;
	int i, rc;

	if (n == 0)
		return 0;
	if (rv_traffic_init(&t, c, cat) < 0)
		return rv_errf(err, "out of memory");
	rc = note_history(db, &t, c->id, p[0].start_ms, now, err);
	if (rc == 0)
		rc = rv_db_prepare(db, "INSERT INTO playout_blocks (block_id,"
		    " channel_id, broadcast_day, start_ms, end_ms,"
		    " program_block_id, generation_id, unfilled_ms) VALUES (?1,"
		    " ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &blk, err);
	if (rc == 0)
		rc = rv_db_prepare(db, "INSERT INTO playout_segments (block_id,"
		    " idx, type, start_ms, uri, asset_id, in_ms, dur_ms, title,"
		    " fade_in_ms, fade_out_ms, gain_db, loops) VALUES (?1, ?2, ?3,"
		    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &seg, err);
	for (i = 0; i < n && rc == 0; i++) {
		memset(&plan, 0, sizeof(plan));
		rc = rv_expand(c, &p[i], &plan, err);
		if (rc == 0)
			rc = rv_traffic_fill(&t, &plan, err);
		if (rc == 0)
			rc = rv_plan_check(&plan, err);
		if (rc == 0)
			rc = insert_plan(db, blk, seg, c->id, days[i], &plan,
			    p[i].block_id, gen, err);
		*unfilled += plan.unfilled_ms;
		rv_plan_free(&plan);
	}
	sqlite3_finalize(blk);
	sqlite3_finalize(seg);
	rv_traffic_free(&t);
	return rc;
}

/* Guide blocks from the database as programs, for expansion: those that
 * start in [from, until). */
struct loaded {
	struct rv_program *p;
	char		**days;
	int		  n, cap;
};

static void
loaded_free(struct loaded *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		free(l->p[i].title);
		free(l->days[i]);
	}
	free(l->p);
	free(l->days);
	memset(l, 0, sizeof(*l));
}

static int
load_guide(sqlite3 *db, const char *ch, const struct rv_catalog *cat,
    int64_t from, int64_t until, struct loaded *l, struct rv_err *err)
{
	sqlite3_stmt *st;
	struct rv_program *p;
	const char *asset;
	int rc = 0;
	void *v;

	if (rv_db_prepare(db, "SELECT block_id, broadcast_day, start_ms, end_ms,"
	    " runtime_ms, asset_id, title, pool FROM program_blocks p"
	    " WHERE channel_id = ?1 AND end_ms > ?2 AND start_ms < ?3"
	    " AND NOT EXISTS (SELECT 1 FROM playout_blocks b WHERE"
	    "  b.channel_id = p.channel_id AND b.end_ms > p.start_ms"
	    "  AND b.start_ms < p.end_ms)"
	    " ORDER BY start_ms", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, until);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 64;
			if ((v = reallocarray(l->p, (size_t)l->cap,
			    sizeof(*l->p))) == NULL)
				break;
			l->p = v;
			if ((v = reallocarray(l->days, (size_t)l->cap,
			    sizeof(*l->days))) == NULL)
				break;
			l->days = v;
		}
		p = &l->p[l->n];
		memset(p, 0, sizeof(*p));
		snprintf(p->block_id, sizeof(p->block_id), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		l->days[l->n] = strdup((const char *)sqlite3_column_text(st, 1));
		p->start_ms = sqlite3_column_int64(st, 2);
		p->end_ms = sqlite3_column_int64(st, 3);
		p->runtime_ms = sqlite3_column_int64(st, 4);
		asset = (const char *)sqlite3_column_text(st, 5);
		p->title = strdup((const char *)sqlite3_column_text(st, 6));
		l->n++;
		if (asset != NULL && (p->asset = rv_catalog_find(cat,
		    asset)) == NULL)
			/* Gone from the catalog since it was planned: what
			 * airs must be resolved before it enters the horizon. */
			rc = rv_errf(err, "guide block %s names asset %s, which "
			    "is no longer ready in the catalog", p->block_id,
			    asset);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
log_attempt(sqlite3 *db, const char *ch, int64_t now, int ok,
    const char *msg, int64_t epg, int64_t exec, int64_t gen,
    struct rv_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rv_db_prepare(db, "INSERT INTO extensions (channel_id, at_ms, ok,"
	    " message, epg_end_ms, exec_end_ms, generation_id) VALUES (?1, ?2,"
	    " ?3, ?4, ?5, ?6, ?7)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, ok);
	sqlite3_bind_text(st, 4, msg, -1, SQLITE_STATIC);
	if (epg > 0)
		sqlite3_bind_int64(st, 5, epg);
	if (exec > 0)
		sqlite3_bind_int64(st, 6, exec);
	if (gen > 0)
		sqlite3_bind_int64(st, 7, gen);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rv_db_errf(err, db, "logging %s", ch);
}

int
rv_horizon_log_failure(sqlite3 *db, const char *channel_id, int64_t now_ms,
    const char *message, struct rv_err *err)
{
	sqlite3_stmt *st;
	int known;

	/* A channel that never registered has no row to log against. */
	if (rv_db_prepare(db, "SELECT 1 FROM channels WHERE id = ?1", &st,
	    err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, channel_id, -1, SQLITE_STATIC);
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!known)
		return 0;
	return log_attempt(db, channel_id, now_ms, 0, message, 0, 0, 0, err);
}

/* Compile the days after the guide's last one until it reaches `target`
 * (at most a month in one evaluation), recording each day's compile state,
 * and publish them as one new guide generation. */
static int
extend_guide(sqlite3 *db, const struct rv_channel *c,
    const struct rv_catalog *cat, int64_t now, int64_t target,
    int64_t retention_ms, const char *last_day, struct rv_extend_result *res,
    struct rv_diags *d, struct rv_err *err)
{
	struct rv_compile_state in, st;
	struct rv_compiler *k = NULL;
	struct rv_day days[31];
	struct rv_date day, last;
	const char **names = NULL;
	struct rv_program *all = NULL;
	char (*dates)[RV_DATE_STR] = NULL;
	int nd = 0, total = 0, i, j, rc = 0, skipped = 0;
	int64_t gen;

	if (last_day[0] != 0) {
		if (rv_date_parse(last_day, &day, err) < 0)
			return -1;
		day = rv_date_add_days(day, 1);
	} else if (rv_broadcast_day_of(c->timezone, c->day_start_min, now, &day,
	    err) < 0) {
		return -1;
	}
	if (rv_compiler_new(c, cat, &k, err) < 0)
		return -1;
	/* Days that ended before the retention window are compiled only to
	 * carry the state (no episode skipped after a long idle) and are
	 * not published; at most a year of them. */
	while (res->epg_end_ms < target && nd < 31 && rc == 0 && skipped < 366) {
		memset(&in, 0, sizeof(in));
		memset(&st, 0, sizeof(st));
		if (rv_compile_state_init(&in, c->npools) < 0 ||
		    rv_compstate_load(db, c, day, &in, &last, err) < 0 ||
		    rv_compile_state_copy(&st, &in) < 0) {
			rc = -1;
		} else if (rv_compile_day(k, day, 0, &st, &days[nd], d) < 0) {
			rc = rv_errf(err, "%s: compiling %04d-%02d-%02d failed",
			    c->id, day.year, day.mon, day.day);
			rv_day_free(&days[nd]);
		} else if (rv_compstate_save(db, c, &in, &st, &days[nd], now,
		    err) < 0) {
			rc = -1;
			rv_day_free(&days[nd]);
		} else if (days[nd].last_ms <= now - retention_ms) {
			res->epg_end_ms = days[nd].last_ms;
			rv_day_free(&days[nd]);
			skipped++;
			day = rv_date_add_days(day, 1);
		} else {
			res->epg_end_ms = days[nd].last_ms;
			total += days[nd].n;
			nd++;
			day = rv_date_add_days(day, 1);
		}
		rv_compile_state_free(&in);
		rv_compile_state_free(&st);
	}
	if (rc == 0 && nd > 0) {
		all = calloc((size_t)total, sizeof(*all));
		names = calloc((size_t)total, sizeof(*names));
		dates = calloc((size_t)nd, sizeof(*dates));
		if (all == NULL || names == NULL || dates == NULL)
			rc = rv_errf(err, "out of memory");
		for (i = 0, total = 0; rc == 0 && i < nd; i++) {
			rv_date_format(days[i].day, dates[i], RV_DATE_STR);
			for (j = 0; j < days[i].n; j++) {
				names[total] = dates[i];
				all[total++] = days[i].blocks[j];
			}
		}
		if (rc == 0)
			rc = new_generation(db, c->id, "epg", all[0].start_ms,
			    all[total - 1].end_ms, now, 0, "rv-horizon extend",
			    &gen, err);
		if (rc == 0)
			rc = clear_range(db, "program_blocks", c->id,
			    all[0].start_ms, all[total - 1].end_ms, err);
		if (rc == 0)
			rc = insert_programs(db, c, all, names, total, gen, err);
		if (rc == 0)
			res->generation = gen;
	}
	res->days_compiled = nd;
	for (i = 0; i < nd; i++)
		rv_day_free(&days[i]);
	free(all);
	free(names);
	free(dates);
	rv_compiler_free(k);
	return rc;
}

/* Where the execution horizon's unbroken run from now ends (now itself
 * when no block holds now). */
static int64_t
covered_until(sqlite3 *db, const char *ch, int64_t now, struct rv_err *err)
{
	sqlite3_stmt *st;
	int64_t end = now;

	if (rv_db_prepare(db, "SELECT start_ms, end_ms FROM playout_blocks"
	    " WHERE channel_id = ?1 AND end_ms > ?2 ORDER BY start_ms", &st,
	    err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	while (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) <=
	    end)
		end = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return end;
}

/* Expand and fill guide blocks into the execution horizon wherever it
 * has nothing, from the end of its unbroken run from now to `target`. */
static int
extend_exec(sqlite3 *db, const struct rv_channel *c,
    const struct rv_catalog *cat, int64_t now, int64_t target,
    int64_t exec_end, struct rv_extend_result *res, struct rv_err *err)
{
	struct loaded l = { 0 };
	int64_t from, gen;
	int rc;

	(void)exec_end;
	if ((from = covered_until(db, c->id, now, err)) < 0)
		return -1;
	/* The guide block holding `from` starts the fill (from is inside
	 * it when nothing holds now). */
	rc = load_guide(db, c->id, cat, from, target, &l, err);
	if (rc == 0 && l.n > 0) {
		rc = new_generation(db, c->id, "exec", l.p[0].start_ms,
		    l.p[l.n - 1].end_ms, now, 0, "rv-horizon extend", &gen, err);
		if (rc == 0)
			rc = publish_exec(db, c, cat, l.p,
			    (const char *const *)l.days, l.n, gen, now,
			    &res->unfilled_ms, err);
		if (rc == 0) {
			res->blocks_published = l.n;
			res->generation = gen;
		}
	}
	loaded_free(&l);
	return rc;
}

int
rv_horizon_extend(sqlite3 *db, const struct rv_channel *c,
    const struct rv_catalog *cat, const struct rv_horizon_policy *pol,
    int64_t now_ms, struct rv_extend_result *res, struct rv_diags *d,
    struct rv_err *err)
{
	char last_day[RV_DATE_STR], msg[1024], failure[RV_ERR_MAX];
	int64_t exec_end = 0;
	struct rv_err e2;
	int rc, guide = 0;

	memset(res, 0, sizeof(*res));
	/* The channel's row first, on its own: a failure below must still
	 * have a channel to be logged against. */
	if (rv_db_begin(db, err) < 0)
		return -1;
	if (rv_compstate_register(db, c, now_ms, err) < 0 ||
	    rv_db_commit(db, err) < 0) {
		rv_db_rollback(db);
		return -1;
	}
	if (rv_db_begin(db, err) < 0)
		return -1;
	rc = ends(db, c->id, &res->epg_end_ms, &exec_end, last_day,
	    sizeof(last_day), err);
	if (rc == 0 && res->epg_end_ms < now_ms + pol->epg_ms + pol->margin_ms)
		guide = extend_guide(db, c, cat, now_ms, now_ms + pol->epg_ms +
		    pol->margin_ms, pol->retention_ms, last_day, res, d, err);
	/* A failed compile leaves the store as it was, both tiers. */
	if (guide < 0)
		rc = -1;
	if (rc == 0 && (res->exec_end_ms = covered_until(db, c->id, now_ms,
	    err)) < 0)
		rc = -1;
	if (rc == 0 && res->exec_end_ms < now_ms + pol->exec_ms +
	    pol->margin_ms) {
		rc = extend_exec(db, c, cat, now_ms, now_ms + pol->exec_ms +
		    pol->margin_ms, exec_end, res, err);
		if (rc == 0 && (res->exec_end_ms = covered_until(db, c->id,
		    now_ms, err)) < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = rv_horizon_prune(db, c->id, now_ms, pol->retention_ms, err);
	/* An evaluation that found nothing to do leaves no trace: running
	 * twice at the same clock changes nothing. */
	if (rc == 0 && res->days_compiled == 0 && res->blocks_published == 0)
		return rv_db_commit(db, err);
	if (rc == 0) {
		snprintf(msg, sizeof(msg), "compiled %d day%s, expanded %d "
		    "block%s", res->days_compiled, res->days_compiled == 1 ?
		    "" : "s", res->blocks_published, res->blocks_published ==
		    1 ? "" : "s");
		rc = log_attempt(db, c->id, now_ms, 1, msg, res->epg_end_ms,
		    res->exec_end_ms, res->generation, err);
	}
	if (rc == 0)
		return rv_db_commit(db, err);
	rv_db_rollback(db);
	/* The previous horizon stands; the failure is on record, with the
	 * compiler's first word on it. */
	snprintf(failure, sizeof(failure), "%.400s%s%.500s", err->msg,
	    d->nerrors ? ": " : "", d->nerrors ? d->errors[0] : "");
	rv_horizon_log_failure(db, c->id, now_ms, failure, &e2);
	return -1;
}

/* What has aired and the locked window after it are never rewritten
 * without force; a hole there may be filled. */
static int
locked(sqlite3 *db, const char *ch, int64_t from, int64_t to, int64_t now,
    const struct rv_horizon_policy *pol, struct rv_err *err)
{
	int64_t lo = from, hi = now + pol->locked_ms;
	sqlite3_stmt *st;
	int held;

	if (pol->force || lo >= (to < hi ? to : hi))
		return 0;
	if (rv_db_prepare(db, "SELECT count(*) FROM playout_blocks WHERE"
	    " channel_id = ?1 AND end_ms > ?2 AND start_ms < ?3", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, to < hi ? to : hi);
	sqlite3_step(st);
	held = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (held == 0)
		return 0;
	return rv_errf(err, "%s: the range would rewrite %d block%s that "
	    "aired or are in the locked window (the next %lld min); use "
	    "--force", ch, held, held == 1 ? "" : "s",
	    (long long)(pol->locked_ms / RV_MS_PER_MIN));
}

/* A publish replaces whole blocks: one that straddles an edge of the
 * range would leave a seam. */
static int
cuts(sqlite3 *db, const char *ch, int64_t from, int64_t to,
    struct rv_err *err)
{
	static const char *const tables[] = { "program_blocks",
		"playout_blocks" };
	char sql[256];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		snprintf(sql, sizeof(sql), "SELECT block_id FROM %s WHERE"
		    " channel_id = ?1 AND ((start_ms < ?2 AND end_ms > ?2) OR"
		    " (start_ms < ?3 AND end_ms > ?3)) LIMIT 1", tables[i]);
		if (rv_db_prepare(db, sql, &st, err) < 0)
			return -1;
		sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			rv_errf(err, "%s: the range cuts block %s (publish whole "
			    "blocks)", ch, (const char *)sqlite3_column_text(st,
			    0));
		sqlite3_finalize(st);
		if (rc == SQLITE_ROW)
			return -1;
	}
	return 0;
}

int
rv_horizon_publish(sqlite3 *db, const struct rv_channel *c,
    const struct rv_catalog *cat, const struct rv_program *blocks,
    const char *const *days, int n, const struct rv_horizon_policy *pol,
    int64_t now_ms, struct rv_extend_result *res, struct rv_err *err)
{
	int64_t from, to, gen, covered = 0;
	int i, rc, forced;

	memset(res, 0, sizeof(*res));
	if (n == 0)
		return 0;
	from = blocks[0].start_ms;
	to = blocks[n - 1].end_ms;
	for (i = 1; i < n; i++)
		if (blocks[i].start_ms != blocks[i - 1].end_ms)
			return rv_errf(err, "%s: blocks %s and %s do not meet "
			    "(%+lld ms)", c->id, blocks[i - 1].block_id,
			    blocks[i].block_id, (long long)(blocks[i].start_ms -
			    blocks[i - 1].end_ms));
	if (rv_db_begin(db, err) < 0)
		return -1;
	forced = pol->force && from < now_ms + pol->locked_ms;
	rc = rv_compstate_register(db, c, now_ms, err);
	if (rc == 0)
		rc = cuts(db, c->id, from, to, err);
	if (rc == 0)
		rc = locked(db, c->id, from, to, now_ms, pol, err);
	if (rc == 0)
		rc = new_generation(db, c->id, "epg", from, to, now_ms, forced,
		    "rv-horizon publish", &gen, err);
	if (rc == 0)
		rc = clear_range(db, "program_blocks", c->id, from, to, err);
	if (rc == 0)
		rc = insert_programs(db, c, blocks, days, n, gen, err);
	/* The execution horizon takes the blocks only where they continue
	 * its run from now: past that they stay in the guide, and extend
	 * expands them when the clock comes near, so no hole opens. */
	if (rc == 0 && (covered = covered_until(db, c->id, now_ms, err)) < 0)
		rc = -1;
	if (rc == 0)
		rc = clear_range(db, "playout_blocks", c->id, from, to, err);
	if (rc == 0 && from <= covered) {
		rc = new_generation(db, c->id, "exec", from, to, now_ms, forced,
		    "rv-horizon publish", &gen, err);
		if (rc == 0)
			rc = publish_exec(db, c, cat, blocks, days, n, gen,
			    now_ms, &res->unfilled_ms, err);
	}
	if (rc == 0) {
		res->generation = gen;
		res->blocks_published = n;
		res->epg_end_ms = res->exec_end_ms = to;
		rc = log_attempt(db, c->id, now_ms, 1, "rv-horizon publish",
		    to, to, gen, err);
	}
	if (rc == 0)
		return rv_db_commit(db, err);
	rv_db_rollback(db);
	return -1;
}

int
rv_horizon_seams(sqlite3 *db, const char *channel_id, const char *tier,
    int64_t from_ms, int64_t to_ms, rv_seam_fn *fn, void *arg,
    struct rv_err *err)
{
	char sql[256], prev_id[128] = "";
	int64_t prev_end = 0;
	sqlite3_stmt *st;
	int count = 0;

	snprintf(sql, sizeof(sql), "SELECT block_id, start_ms, end_ms FROM %s"
	    " WHERE channel_id = ?1 AND end_ms > ?2 AND start_ms < ?3"
	    " ORDER BY start_ms, end_ms", strcmp(tier, "epg") == 0 ?
	    "program_blocks" : "playout_blocks");
	if (rv_db_prepare(db, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, channel_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		int64_t start = sqlite3_column_int64(st, 1);

		if (prev_id[0] != 0 && start != prev_end) {
			count++;
			if (fn != NULL)
				fn(arg, prev_id, id, prev_end, start - prev_end);
		}
		snprintf(prev_id, sizeof(prev_id), "%s", id);
		prev_end = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return count;
}

static int64_t
one_int(sqlite3 *db, const char *sql, const char *ch, int64_t arg)
{
	sqlite3_stmt *st;
	struct rv_err err;
	int64_t v = 0;

	if (rv_db_prepare(db, sql, &st, &err) < 0)
		return 0;
	sqlite3_bind_text(st, 1, ch, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
rv_horizon_status(sqlite3 *db, const char *channel_id, int64_t now_ms,
    struct rv_horizon_status *s, struct rv_err *err)
{
	char day[RV_DATE_STR];
	sqlite3_stmt *st;
	int n;

	memset(s, 0, sizeof(*s));
	if (ends(db, channel_id, &s->epg_end_ms, &s->exec_end_ms, day,
	    sizeof(day), err) < 0)
		return -1;
	s->generation = one_int(db, "SELECT max(id) FROM generations WHERE"
	    " channel_id = ?1 AND ?2 = ?2", channel_id, 0);
	s->last_ok_ms = one_int(db, "SELECT max(at_ms) FROM extensions WHERE"
	    " channel_id = ?1 AND ok = 1 AND ?2 = ?2", channel_id, 0);
	s->unfilled_ahead_ms = one_int(db, "SELECT sum(unfilled_ms) FROM"
	    " playout_blocks WHERE channel_id = ?1 AND end_ms > ?2", channel_id,
	    now_ms);
	s->failures = one_int(db, "SELECT count(*) FROM extensions WHERE"
	    " channel_id = ?1 AND ok = 0 AND ?2 = ?2", channel_id, 0);
	s->covers_now = one_int(db, "SELECT count(*) FROM playout_blocks WHERE"
	    " channel_id = ?1 AND start_ms <= ?2 AND end_ms > ?2", channel_id,
	    now_ms) > 0;
	/* A failure counts until a later success (by order of record, so
	 * two attempts at the same clock are told apart). */
	if (rv_db_prepare(db, "SELECT at_ms, message FROM extensions WHERE"
	    " channel_id = ?1 AND ok = 0 AND id > (SELECT coalesce(max(id), 0)"
	    " FROM extensions WHERE channel_id = ?1 AND ok = 1 AND ?2 = ?2)"
	    " ORDER BY id DESC LIMIT 1", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, channel_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, 0);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->last_failure_ms = sqlite3_column_int64(st, 0);
		snprintf(s->last_failure, sizeof(s->last_failure), "%s",
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	n = rv_horizon_seams(db, channel_id, "exec", now_ms, INT64_MAX, NULL,
	    NULL, err);
	if (n < 0)
		return -1;
	s->seams = n;
	return 0;
}

int
rv_horizon_prune(sqlite3 *db, const char *channel_id, int64_t now_ms,
    int64_t retention_ms, struct rv_err *err)
{
	static const char *const sql[] = {
		"DELETE FROM playout_blocks WHERE channel_id = ?1 AND end_ms < ?2",
		"DELETE FROM program_blocks WHERE channel_id = ?1 AND end_ms < ?2",
	};
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if (rv_db_prepare(db, sql[i], &st, err) < 0)
			return -1;
		sqlite3_bind_text(st, 1, channel_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now_ms - retention_ms);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rv_db_errf(err, db, "pruning %s", channel_id);
	}
	return 0;
}
