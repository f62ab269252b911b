/*
 * compstate — where the compile state of a channel's days lives in the
 * database: cursors entering each day (cursors), where each compiled day
 * ended (compile_days) and the movies it placed (compile_plays).
 *
 * Compiling day D reads the state entering D and writes the state entering
 * D+1, so compiling D again gives the same blocks, and D+1 continues where
 * D ended.  A channel without a channel_number has no row to hang state on
 * and compiles from a fresh state every run.
 */
#ifndef RV_COMPSTATE_H
#define RV_COMPSTATE_H

#include <sqlite3.h>

#include "channel.h"
#include "compile.h"
#include "log.h"

/* Make sure the channel's row exists and says what the file says. */
int	rv_compstate_register(sqlite3 *db, const struct rv_channel *c,
	    int64_t now_ms, struct rv_err *err);

/* The state entering day: 1 loaded, 0 nothing recorded for that day (st
 * stays fresh), -1 error.  *last_before receives the latest compiled day
 * before `day` (year 0 when none), for catching up. */
int	rv_compstate_load(sqlite3 *db, const struct rv_channel *c,
	    struct rv_date day, struct rv_compile_state *st,
	    struct rv_date *last_before, struct rv_err *err);

/* Record a compiled day: the state that entered it (if not yet recorded),
 * the state entering the next day, its span and hash, its movies.  Runs
 * inside the caller's transaction (with what it publishes, if anything). */
int	rv_compstate_save(sqlite3 *db, const struct rv_channel *c,
	    const struct rv_compile_state *in, const struct rv_compile_state *next,
	    const struct rv_day *day, int64_t now_ms, struct rv_err *err);

#endif
