/*
 * session — one playout session of rv-air (DESIGN.md §6): the tick loop
 * that turns block plans into exactly one video frame and its exact audio
 * per output frame, cut at fences that never move, with execution
 * evidence and markers for every session, block and segment start.
 *
 * The session owns the encoder and the sources it opens; its output goes
 * through callbacks (TS bytes, markers, evidence), so rv-air decides where
 * they are written and how.
 */
#ifndef RV_AIR_SESSION_H
#define RV_AIR_SESSION_H

#include <signal.h>
#include <stdint.h>

#include <jansson.h>

#include "air/encode.h"
#include "air/source.h"
#include "clock.h"
#include "log.h"
#include "metrics.h"

struct rv_air_sink {
	void	*arg;
	int	(*ts)(void *arg, const uint8_t *bytes, size_t len);
	int	(*marker)(void *arg, json_t *m);	/* takes ownership */
	void	(*evidence)(void *arg, json_t *e);	/* takes ownership */
	void	(*poll)(void *arg);	/* after every tick; may be NULL */
	/* The plan that will follow the one playing, if one has come (a
	 * new reference), or NULL; may be NULL.  Its first segment is got
	 * ready while the last one of this block plays, so that the seam
	 * between two blocks costs no stall either. */
	json_t	*(*peek)(void *arg);
};

struct rv_air_config {
	const char	*channel;
	const char	*session;	/* id, e.g. "PS-<channel>-<epoch>" */
	struct rv_enc_config enc;	/* size, rate, encoder settings */
	enum rv_aspect	 aspect;
	struct rv_clock	*clock;		/* wall: pace ticks; fast: none */
	int64_t		 hold_ms;	/* hold the last frame this long */
	/* How long a seam waits for its source to open: a path that hangs
	 * (a dead mount) costs this stall once, then the segment is pad.
	 * 0: RV_AIR_OPEN_TIMEOUT_MS. */
	int64_t		 open_timeout_ms;
	/* When *stop becomes non-zero (a signal), the playing block ends
	 * at the next tick: its segment ends "truncated", no fence. */
	const volatile sig_atomic_t *stop;
};

#define RV_AIR_OPEN_TIMEOUT_MS	5000

/* How a segment ended (segment_end's status). */
enum rv_air_status { RV_AIR_AIRED, RV_AIR_TRUNCATED, RV_AIR_SHORT,
	RV_AIR_SUBSTITUTED, RV_AIR_ERROR, RV_AIR_NSTATUS };
extern const char *const rv_air_status_names[RV_AIR_NSTATUS];

/* Fence error buckets, seconds: 1 ms, half a frame at 29.97, one frame
 * at 29.97 and at 23.976, 100 ms, 1 s. */
#define RV_AIR_FENCE_BUCKETS 6
extern const double rv_air_fence_buckets[RV_AIR_FENCE_BUCKETS];

struct rv_air_counts {
	int64_t	 content, held, pad;	/* frames by kind */
	int64_t	 late;			/* wall ticks past their deadline */
	int64_t	 blocks;		/* played to their fence */
	int64_t	 segments[RV_AIR_NSTATUS];
	/* ms of pad and filler aired in breaks: per block, what aired of
	 * them, up to the plan's unfilled_ms */
	int64_t	 unfilled_ms;
	double	 seam_stall_s;		/* waited at seams for a source */
	/* |air time of a fence frame - the plan's end|, seconds */
	struct rv_prom_hist fence_error;
};

struct rv_air;

/* epoch: the session's first instant (the join, or the first plan's
 * start); frame n airs at epoch + rv_frame_ms(n). */
int	rv_air_open(const struct rv_air_config *cfg,
	    const struct rv_air_sink *sink, int64_t epoch,
	    struct rv_air **out, struct rv_err *err);
/* Play a plan to its fence.  The first plan may carry join_ms. */
int	rv_air_block(struct rv_air *a, const json_t *plan, struct rv_err *err);
/* Black and silence up to (not including) tick: no plan arrived. */
int	rv_air_pad(struct rv_air *a, int64_t tick, struct rv_err *err);
/* The tick the next frame is. */
int64_t	rv_air_tick(const struct rv_air *a);
/* session_end with reason, drain the encoder. */
int	rv_air_finish(struct rv_air *a, const char *reason, struct rv_err *err);
void	rv_air_free(struct rv_air *a);
void	rv_air_counts(const struct rv_air *a, struct rv_air_counts *c);

#endif
