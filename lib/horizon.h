/*
 * horizon — each channel's two horizons in the database (DESIGN.md §5):
 * the guide (tier 1, program_blocks) and the execution horizon (tier 2,
 * playout_blocks and their segments, breaks filled).
 *
 * A publish is one transaction that stamps everything in its range with a
 * new, larger generation id and nothing outside it, so a reader sees the
 * old range or the new one, never a mixture.  The locked window (the next
 * locked_ms from now) is never rewritten without force; filling a hole in
 * it is not a rewrite.  Extending appends what is missing and is
 * idempotent: at the same now, a second run changes nothing.
 */
#ifndef RV_HORIZON_H
#define RV_HORIZON_H

#include <stdint.h>

#include <sqlite3.h>

#include "catalog.h"
#include "channel.h"
#include "compile.h"
#include "log.h"

struct rv_horizon_policy {
	int64_t	 epg_ms;	/* guide depth to keep: epg_days */
	int64_t	 exec_ms;	/* execution depth: exec_hours */
	/* extend tops up to depth + margin, so that between two runs the
	 * depth stays above the minimum that status alarms at */
	int64_t	 margin_ms;
	int64_t	 locked_ms;	/* the locked window */
	int64_t	 retention_ms;	/* history kept */
	int	 force;
};

struct rv_extend_result {
	int	 days_compiled;
	int	 blocks_published;	/* tier 2 */
	int64_t	 epg_end_ms, exec_end_ms;
	int64_t	 generation;		/* newest stamped, 0: none */
	int64_t	 unfilled_ms;		/* breaks left to pad or filler */
};

/* One idempotent evaluation for a channel: compile the days the guide
 * lacks, expand and fill what the execution horizon lacks, publish, and
 * log the attempt in `extensions`.  A failure keeps the previous horizon,
 * logs a failed attempt and returns -1 with the compiler's messages in d. */
int	rv_horizon_extend(sqlite3 *db, const struct rv_channel *c,
	    const struct rv_catalog *cat, const struct rv_horizon_policy *pol,
	    int64_t now_ms, struct rv_extend_result *res, struct rv_diags *d,
	    struct rv_err *err);

/* Record a failed evaluation of a channel that did not even load. */
int	rv_horizon_log_failure(sqlite3 *db, const char *channel_id,
	    int64_t now_ms, const char *message, struct rv_err *err);

/* Publish given program blocks (rv-horizon publish): they replace the
 * guide and the execution horizon over their range. */
int	rv_horizon_publish(sqlite3 *db, const struct rv_channel *c,
	    const struct rv_catalog *cat, const struct rv_program *blocks,
	    const char *const *days, int n, const struct rv_horizon_policy *pol,
	    int64_t now_ms, struct rv_extend_result *res, struct rv_err *err);

/* Seam check over [from, to): every gap (> 0) or overlap (< 0) between
 * consecutive blocks of a tier ("epg" or "exec"), with its signed size. */
typedef void rv_seam_fn(void *arg, const char *left, const char *right,
	    int64_t at_ms, int64_t delta_ms);
int	rv_horizon_seams(sqlite3 *db, const char *channel_id, const char *tier,
	    int64_t from_ms, int64_t to_ms, rv_seam_fn *fn, void *arg,
	    struct rv_err *err);

struct rv_horizon_status {
	int64_t	 epg_end_ms, exec_end_ms;	/* 0: empty */
	int64_t	 generation;
	int64_t	 last_ok_ms;			/* 0: never */
	int64_t	 last_failure_ms;		/* after the last success */
	char	 last_failure[512];
	int64_t	 unfilled_ahead_ms;
	int64_t	 failures;			/* failed extensions on record */
	int	 seams;				/* gaps and overlaps ahead */
	int	 covers_now;			/* an exec block holds now */
};

int	rv_horizon_status(sqlite3 *db, const char *channel_id, int64_t now_ms,
	    struct rv_horizon_status *st, struct rv_err *err);

/* Drop blocks that ended before now - retention. */
int	rv_horizon_prune(sqlite3 *db, const char *channel_id, int64_t now_ms,
	    int64_t retention_ms, struct rv_err *err);

#endif
