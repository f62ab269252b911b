/*
 * expand — a program block (tier 1) as a playout block plan (tier 2),
 * DESIGN.md §5 and §6: the segments rv-air plays, summing to the slot to
 * the millisecond.
 *
 * The module owns the segment model (types, their names, the plan's
 * invariants) and the split of a program into content acts and break
 * placeholders.  Filling the breaks is lib/traffic's job.
 *
 * A plan borrows its strings (uri, asset_id, title) from the channel, the
 * catalog and the program it was made from: it must not outlive them.  It
 * owns only its segment array.
 */
#ifndef RV_EXPAND_H
#define RV_EXPAND_H

#include <stdint.h>

#include "catalog.h"
#include "channel.h"
#include "compile.h"
#include "log.h"

/* The fade around a computed break point. */
#define RV_BREAK_FADE_MS	500
/* Computed break points of a program without usable chapters. */
#define RV_COMPUTED_BREAKS	3

/* The interstitial types follow rv_interstitial_kinds[] in order, so that
 * RV_SEG_COMMERCIAL + k is the segment type of kind k. */
enum rv_seg_type {
	RV_SEG_CONTENT,
	RV_SEG_BREAK,		/* placeholder, to be filled */
	RV_SEG_COMMERCIAL,
	RV_SEG_PROMO,
	RV_SEG_STATION_ID,
	RV_SEG_PSA,
	RV_SEG_STINGER,
	RV_SEG_BUMPER,
	RV_SEG_FILLER,
	RV_SEG_PAD		/* black + silence */
};

/* "content", "break", "commercial", "promo", "station_id", "psa",
 * "stinger", "bumper", "filler", "pad"; "unknown" for anything else. */
const char	*rv_seg_type_name(enum rv_seg_type t);
/* The inverse of rv_seg_type_name: 0 and *t set, or -1. */
int		 rv_seg_type_parse(const char *s, enum rv_seg_type *t);

struct rv_segment {
	enum rv_seg_type type;
	const char	*uri;		/* NULL for pad and break */
	const char	*asset_id;	/* NULL: pad, break, the filler file */
	const char	*title;		/* NULL: none */
	int64_t		 in_ms;		/* where playing starts in the file */
	int64_t		 dur_ms;
	int64_t		 fade_in_ms, fade_out_ms;
	double		 gain_db;	/* 0: unity */
	int		 loops;		/* 1: the file is shorter, loop it */
};

struct rv_plan {
	char		 block_id[128];
	int64_t		 start_ms, end_ms;
	struct rv_segment *segs;
	int		 n, cap;
	int64_t		 unfilled_ms;	/* pad and filler in breaks */
};

/*
 * Expand one program block into out (which the caller frees with
 * rv_plan_free, also after an error).
 *
 * Network channels (any type but "movie") split the content at the
 * chapter starts m with 0 < m < runtime; when none is usable, at the
 * computed points floor(runtime·i/4), i = 1..3, where the act before a
 * break fades out and the act after it fades in (500 ms each, shortened
 * to fit a shorter act), both only when that break gets time.  The time
 * the slot has beyond the runtime is shared equally over the breaks, the
 * extra ms going to the first breaks.  Zero-length breaks and acts are
 * omitted.  Movie channels: one content segment of the runtime, then one
 * break of the rest of the slot, if any.  A runtime longer than the slot
 * is cut to the slot.
 *
 * A filler program (asset NULL) is one segment of the channel's filler
 * file from offset 0, flagged to loop when the block is longer than the
 * file; or one pad segment when the channel has no filler.
 */
int	rv_expand(const struct rv_channel *c, const struct rv_program *p,
	    struct rv_plan *out, struct rv_err *err);
void	rv_plan_free(struct rv_plan *p);

/* Append a segment; -1 when out of memory. */
int	rv_plan_push(struct rv_plan *p, const struct rv_segment *s,
	    struct rv_err *err);

/*
 * The invariants every plan keeps: end > start, every duration > 0, the
 * durations sum to end − start exactly (the message gives the signed
 * difference), pad and break have no uri while everything else has one,
 * in ≥ 0, fades ≥ 0 and fade in + fade out ≤ the duration,
 * 0 ≤ unfilled ≤ the block.
 */
int	rv_plan_check(const struct rv_plan *p, struct rv_err *err);

#endif
