/*
 * hls — the live HLS segmenter of rv-hlsseg (DESIGN.md §7, rv-hlsseg(1)).
 *
 * It owns one folder: segment files NNNNNNNN.ts (eight digits, more past
 * 99,999,999), the playlist index.m3u8 and its state hls.json, from which
 * a restarted segmenter carries on: segment numbers keep rising and the
 * listed window stays, with EXT-X-DISCONTINUITY before the first segment
 * of a new session.  Files are written under a .tmp name and renamed, so
 * that a reader never sees half a segment or half a playlist.
 *
 * Input is MPEG-TS in chunks of any size and alignment.  A segment is cut
 * before the start of a video frame that is a keyframe (random access
 * indicator, or an H.264 IDR/SPS NAL) once the segment holds at least 95 %
 * of the target (of the first target for a session's first segment, so
 * that a viewer tuning in waits for little), and before any video frame
 * once it holds twice the target (a stream with no keyframe for long: the
 * cut is reported).  PAT/PMT/SDT packets just before the cut go to the new
 * segment, so that every segment opens with the tables a decoder needs.
 * Durations come from video PTS (unwrapped across the 33-bit rollover),
 * never from arrival time; EXT-X-TARGETDURATION is constant, twice the
 * target; EXT-X-PROGRAM-DATE-TIME comes from the markers' (PTS, UTC)
 * pairs.
 *
 * Bad input never stops the segmenter: lost sync is found again (a 0x47
 * with another 188 bytes on), and a segment that cannot be written (disk
 * full) is dropped, reported, and its number used by the next one, which
 * carries a discontinuity.  Library code does not print: notices go to
 * the caller's report callback.
 */
#ifndef RV_HLS_H
#define RV_HLS_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define RV_HLS_PLAYLIST		"index.m3u8"
#define RV_HLS_STATE		"hls.json"
#define RV_HLS_WINDOW_MAX	100

struct rv_hls_config {
	const char	*dir;
	int		 target_ms;	/* default 2000 */
	int		 first_ms;	/* a session's first segment; 1000 */
	int		 window;	/* segments listed; 10 */
	int		 grace_ms;	/* media time a retired file stays; 30000 */
	int		 fresh;		/* start with an empty playlist */
	/* Something worth an operator's attention; arg is report_arg. */
	void		(*report)(void *arg, const char *msg);
	void		*report_arg;
};

struct rv_hls_stats {
	int64_t		 segments;	/* written since open */
	int64_t		 bytes;		/* TS bytes accepted */
	int64_t		 resyncs;	/* times sync was lost */
	int64_t		 skipped;	/* bytes dropped to find sync */
	int64_t		 forced_cuts;	/* cuts at a non-keyframe */
	int64_t		 dropped;	/* segments that could not be written */
	int64_t		 deleted;	/* retired files removed */
	int64_t		 next;		/* number of the next segment */
	int64_t		 playlist_ms;	/* UTC of the last playlist write, 0 */
};

struct rv_hls;

/* Open (and create) the folder, load hls.json if it is there, remove
 * stray .tmp files and segments no state names.  fresh: the segments
 * listed before leave the window (their files stay the grace) and the
 * playlist is removed until the first new segment, for a channel started
 * anew whose old segments no viewer should be handed. */
int	rv_hls_open(struct rv_hls **out, const struct rv_hls_config *cfg,
	    struct rv_err *err);
/* A session starts (rv-hlsseg calls it for each H frame): the segment
 * being built is closed, and the next carries a discontinuity unless it is
 * the first this folder ever had.  Repeating the current id is a no-op. */
int	rv_hls_session(struct rv_hls *h, const char *session,
	    struct rv_err *err);
/* A marker: video PTS pts (90 kHz, any width) is UTC instant utc_ms. */
void	rv_hls_marker(struct rv_hls *h, int64_t pts, int64_t utc_ms);
/* Bytes of TS.  -1 only when the folder itself fails (not for bad input
 * or a dropped segment). */
int	rv_hls_feed(struct rv_hls *h, const uint8_t *buf, size_t len,
	    struct rv_err *err);
/* The end of the input: close the segment being built. */
int	rv_hls_finish(struct rv_hls *h, struct rv_err *err);
void	rv_hls_stats(const struct rv_hls *h, struct rv_hls_stats *st);
void	rv_hls_free(struct rv_hls *h);

#endif
