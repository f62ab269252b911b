/*
 * compile — a channel's broadcast days as program blocks (tier 1, what the
 * guide shows), DESIGN.md §5 and rv-dsl(5).
 *
 * A day is built in air order on a timeline: the highest day layer whose
 * window covers an instant decides what airs then (an overlay replaces the
 * time it covers); every block starts on the grid and spans whole grid
 * slots; the last block may bleed past the day's end, and the next day
 * then starts where it ended; a gap becomes an explicit filler program (an
 * error when strict).  Everything that carries from one day to the next
 * (sequential cursors, the carry-over instant, recent movie plays) is in
 * struct rv_compile_state, so that the same channel, catalog and state
 * compile to the same bytes.
 */
#ifndef RV_COMPILE_H
#define RV_COMPILE_H

#include <stdint.h>

#include <jansson.h>

#include "catalog.h"
#include "channel.h"
#include "tz.h"

#define RV_COMPILER_VERSION	"rv-compile " RV_VERSION_STRING
#ifndef RV_VERSION
#define RV_VERSION_STRING	"unknown"
#else
#define RV_VERSION_STRING	RV_VERSION
#endif

struct rv_program {
	char		 block_id[128];
	int64_t		 start_ms, end_ms;	/* end - start: whole slots */
	int64_t		 runtime_ms;		/* <= the slot */
	const struct rv_cat_asset *asset;	/* NULL: filler */
	char		*title;
	const char	*pool;			/* NULL: filler, program */
	const char	*entry;			/* "all_day[2]" */
	const char	*mode;			/* sequential, shuffle, … */
	int		 cooldown_relaxed;
};

struct rv_cursor {
	int64_t		 position;	/* pool index of the next asset */
	char		 last_id[RV_ASSET_ID];	/* "" when none */
};

struct rv_play {
	char		 id[RV_ASSET_ID];
	int64_t		 start_ms;
};

struct rv_compile_state {
	struct rv_cursor *cursors;	/* one per channel pool */
	int		 npools;
	int64_t		 carry_ms;	/* previous day's end; 0: none */
	struct rv_play	*plays;		/* movies placed, for cooldowns */
	int		 nplays, cap;
};

struct rv_day {
	struct rv_date	 day;
	int64_t		 start_ms, end_ms;	/* nominal broadcast day */
	int64_t		 first_ms, last_ms;	/* what the blocks cover */
	struct rv_program *blocks;
	int		 n, cap;
	char		 hash[80];		/* "sha256:…" */
};

struct rv_compiler;

/* Select every pool once against the catalog.  A pool that selects
 * nothing is an error where the schedule uses it (reported per use). */
int	rv_compiler_new(const struct rv_channel *c, const struct rv_catalog *cat,
	    struct rv_compiler **out, struct rv_err *err);
void	rv_compiler_free(struct rv_compiler *k);

int	rv_compile_state_init(struct rv_compile_state *st, int npools);
int	rv_compile_state_copy(struct rv_compile_state *dst,
	    const struct rv_compile_state *src);
void	rv_compile_state_free(struct rv_compile_state *st);

/* Compile one broadcast day; st goes in as the state entering the day and
 * comes out as the state entering the next.  Problems go to d (with the
 * channel, day and entry); -1 when any is an error. */
int	rv_compile_day(struct rv_compiler *k, struct rv_date day, int strict,
	    struct rv_compile_state *st, struct rv_day *out, struct rv_diags *d);
void	rv_day_free(struct rv_day *day);

/* A program block as a P frame's payload. */
json_t	*rv_program_json(const struct rv_channel *c, const struct rv_day *day,
	    const struct rv_program *p);
/* The day as a program-schedule.v2 document with its "sha256:" hash. */
json_t	*rv_day_schedule_json(const struct rv_channel *c,
	    const struct rv_day *day);
/* The schedule hash of a document (every key but "hash"): SHA-256 of its
 * JSON with keys sorted, ", " and ": " separators, non-ASCII escaped. */
int	rv_schedule_hash(json_t *doc, char out[80]);

#endif
