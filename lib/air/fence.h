/*
 * fence — where a block plan lands on a playout session's frame ticks
 * (DESIGN.md §4, §6).  Computed once per block from the session epoch,
 * in integer maths, and never moved by content:
 *
 *   tick of instant t = ceil((t - epoch) * num / (den * 1000))
 *   fence of a block   = tick of its end_ms
 *   seam of a segment  = tick of its planned start (start_ms + the
 *                        durations before it)
 *
 * The segment that holds the join instant (the first plan of a session)
 * starts on the join tick with its in-point moved forward by how far into
 * it the join falls; segments before it are not played.  The first frame
 * of each segment shows the source at in-point + (instant of that frame -
 * planned start), so a segment is frame-accurate at every rate.
 */
#ifndef RV_AIR_FENCE_H
#define RV_AIR_FENCE_H

#include <stdint.h>

#include <jansson.h>

#include "clock.h"
#include "log.h"

struct rv_seam {
	int		 index;		/* segment index in the plan */
	int64_t		 tick;		/* first output frame */
	int64_t		 end_tick;	/* first frame of what follows */
	int64_t		 in_ms;		/* source position at `tick` */
	int64_t		 dur_ms;	/* what remains to play from in_ms */
	int64_t		 planned_ms;	/* the segment's planned start */
	int		 joined;	/* it holds the join: no fade in */
};

struct rv_block_ticks {
	int64_t		 start_tick, fence_tick;
	struct rv_seam	*seams;		/* the segments that air, in order */
	int		 n;
};

/* The tick of instant t in a session that started at epoch. */
int64_t	rv_tick_of(int64_t t, int64_t epoch, struct rv_rate r);

/* Lay a plan on the ticks.  join_ms < 0: no join (the plan starts at its
 * start_ms, or at start_tick if that is later: a late plan).  Segments
 * that would get no frame are left out. */
int	rv_block_ticks(const json_t *plan, int64_t epoch, struct rv_rate r,
	    int64_t start_tick, int64_t join_ms, struct rv_block_ticks *out,
	    struct rv_err *err);
void	rv_block_ticks_free(struct rv_block_ticks *b);

#endif
