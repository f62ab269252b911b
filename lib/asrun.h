/*
 * asrun — the as-run log (DESIGN.md §8, rv-asrun(1)): rv-air's evidence
 * events appended exactly once, and the log of a channel's broadcast day
 * rendered from them.
 *
 * Ingest.  One event is one transaction, committed before the next is
 * read.  (session, seq) is unique: a replayed or duplicated event changes
 * nothing.  A sequence number beyond the next one expected records a
 * sequence_gap anomaly (the missing numbers) rather than hiding it, and
 * the late arrival of the last of them removes it (nothing was lost); a
 * session_start closes every other session of the channel still open as
 * "terminated" at the instant of its last event (its rv-air was killed),
 * with a terminated anomaly.  Bad events are refused with the reason and
 * write nothing.
 *
 * The log.  Times, durations and statuses come from the evidence alone;
 * titles from the plan the blocks were fed from, where it is still known.
 */
#ifndef RV_ASRUN_H
#define RV_ASRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "log.h"

enum rv_asrun_result {
	RV_ASRUN_FAILED = -2,		/* the database failed */
	RV_ASRUN_REFUSED = -1,		/* a bad event, nothing written */
	RV_ASRUN_RECORDED = 0,
	RV_ASRUN_DUPLICATE = 1,
};

struct rv_asrun_stats {
	int64_t		 recorded, duplicates, refused, gaps, terminated;
	int64_t		 filled;	/* gaps a late event closed */
	char		 channel[128];	/* of the first event recorded */
};

/* Append one E frame's JSON payload: an enum rv_asrun_result; err says
 * why for REFUSED and FAILED. */
int	rv_asrun_ingest(sqlite3 *db, const char *json, size_t len,
	    struct rv_asrun_stats *st, struct rv_err *err);

struct rv_asrun_log {
	const char	*channel;	/* id */
	const char	*day;		/* "YYYY-MM-DD", the broadcast day */
	int		 day_start_min;	/* minutes after local midnight */
	int64_t		 generated_ms;	/* for the header */
	int		 json;		/* JSON lines, not text */
};

/* Write the as-run log of a channel's broadcast day.  A channel the
 * database does not know is an error; a day with nothing aired is a log
 * with no lines. */
int	rv_asrun_log(sqlite3 *db, const struct rv_asrun_log *q, FILE *out,
	    struct rv_err *err);



/*
 * Reconcile what aired on a channel in [from_ms, to_ms) with the plan the
 * blocks were fed from, segment by segment (rv-asrun(1)): ok, late,
 * early, short, long (start or end off by more than tolerance_frames),
 * missing (planned, not aired while the channel was on the air),
 * substituted (pad instead, the file could not play), extra (aired, not
 * planned), gap (on the air, nothing aired), off_air (planned while no
 * session ran: no viewer, not a fault).  One line per verdict, then a
 * summary; sum gets the counts.
 */
struct rv_asrun_reconcile {
	const char	*channel;
	int64_t		 from_ms, to_ms;
	int		 tolerance_frames;	/* 1 */
	int		 json;
};

#define RV_ASRUN_NVERDICT 10
extern const char *const rv_asrun_verdict_names[RV_ASRUN_NVERDICT];

struct rv_asrun_summary {
	int64_t		 counts[RV_ASRUN_NVERDICT];	/* by verdict */
	int64_t		 on_air_ms, substituted_ms;
	int64_t		 bad;		/* verdicts but ok and off_air */
};

int	rv_asrun_reconcile(sqlite3 *db, const struct rv_asrun_reconcile *q,
	    FILE *out, struct rv_asrun_summary *sum, struct rv_err *err);

#endif
