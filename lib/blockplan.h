/*
 * blockplan — block plans (DESIGN.md §6, the B frame) read from the
 * execution horizon: a playout block and its segments as one JSON object
 * {channel, block_id, start_ms, end_ms, broadcast_day, segments:[{index,
 * type, uri, asset_id, in_ms, dur_ms, title, fade_in_ms, fade_out_ms,
 * gain_db, loops}]} whose segment durations sum to end_ms - start_ms.
 */
#ifndef RV_BLOCKPLAN_H
#define RV_BLOCKPLAN_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "log.h"

/* The block holding instant t (start <= t < end): 1 found, 0 none. */
int	rv_blockplan_at(sqlite3 *db, const char *channel, int64_t t,
	    json_t **plan, struct rv_err *err);
/* The first block that starts at or after t: 1 found, 0 none. */
int	rv_blockplan_after(sqlite3 *db, const char *channel, int64_t t,
	    json_t **plan, struct rv_err *err);
/* A plan of pad alone over [start, end): what plays where the horizon
 * has a hole. */
json_t	*rv_blockplan_pad(const char *channel, int64_t start, int64_t end);
/* End the plan at `until` (start < until < end): segments after it go,
 * the one it falls in is shortened. */
int	rv_blockplan_cut(json_t *plan, int64_t until, struct rv_err *err);
/* Check the §6 rules of a plan received on the wire: fields present,
 * durations > 0 summing to end - start, pad without uri. */
int	rv_blockplan_check(const json_t *plan, struct rv_err *err);

#endif
