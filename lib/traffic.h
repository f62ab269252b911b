/*
 * traffic — filling a block plan's breaks with interstitials (DESIGN.md
 * §5, "Expand (tier 2)"): which spots may air where, under the channel's
 * traffic policy, and what a break becomes when no spot fits.
 *
 * A context owns the channel's spot list (the ready catalog assets whose
 * kind the channel's traffic section allows, in id order) and the play
 * history the policy is judged against: the plays the caller noted
 * (planned or aired, loaded from the database) and every spot a fill has
 * placed since.  Choices depend only on the plan, the channel, the
 * catalog and that history, never on the clock or on load order.
 */
#ifndef RV_TRAFFIC_H
#define RV_TRAFFIC_H

#include <stdint.h>

#include "catalog.h"
#include "channel.h"
#include "expand.h"
#include "log.h"

/* One interstitial and the starts of its plays, ascending. */
struct rv_spot_history;

struct rv_traffic_ctx {
	const struct rv_channel *c;
	const struct rv_catalog *cat;
	struct rv_spot_history *spots;	/* sorted by asset id */
	int		 nspots;
	/* The broadcast day last looked up, [day_start, day_end). */
	int64_t		 day_start, day_end;
	int		 have_day;
};

/* The spots are the assets of cat (NULL: none) whose kind is allowed and
 * that have a file and a positive duration.  0, or -1 (errno ENOMEM)
 * when out of memory; t can be freed either way. */
int	rv_traffic_init(struct rv_traffic_ctx *t, const struct rv_channel *c,
	    const struct rv_catalog *cat);

/*
 * Record a play that is already planned or has aired, so that cooldowns
 * and daily caps count it.  A play of an asset that is not one of the
 * channel's spots cannot limit any choice and is ignored.  Notes must not
 * include the plays of a block that is about to be refilled.  0, or -1
 * when out of memory.
 */
int	rv_traffic_note(struct rv_traffic_ctx *t, const char *asset_id,
	    int64_t start_ms);

/*
 * Replace every RV_SEG_BREAK of the plan.
 *
 * Break i of the plan (0-based) draws from a PRNG seeded with
 * "<channel>/<block_id>/<i>": while a spot fits the time left, one is
 * chosen uniformly among the spots that fit, that are out of their
 * cooldown (the kind's, else the default; start to start, before and
 * after every play in the history) and whose plays in the broadcast day
 * of the spot's start are under max_plays_per_day (0: no cap).  Spots
 * carry their own gain.  The time no spot fills becomes pad after the
 * spots: spot, pad, spot, pad …, each pad remainder / k ms and the last
 * (remainder mod k) one ms longer, zero pads omitted.  A break where no
 * spot was placed becomes one pad when the channel has spots, else the
 * channel's filler file from offset 0 (flagged to loop when the break is
 * longer than the file), else pad.  plan->unfilled_ms grows by the pad
 * and filler placed.  Every spot placed is added to the history.
 *
 * The policy holds for the spots' final planned starts (block start +
 * the durations before them): the checks allow for the pads, which push
 * a spot later by at most what its break leaves unfilled.  Broadcast
 * days are the channel's (zone, day start; UTC without a zone).
 *
 * A plan without breaks (or already filled) is left as it is.  On error
 * the plan and the history are unchanged.
 */
int	rv_traffic_fill(struct rv_traffic_ctx *t, struct rv_plan *plan,
	    struct rv_err *err);
void	rv_traffic_free(struct rv_traffic_ctx *t);

#endif
