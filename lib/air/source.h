/*
 * source — one segment of a block plan as rv-air's tick loop sees it: a
 * media file from an in-point, normalised to the channel format one output
 * frame at a time (DESIGN.md §6).
 *
 * Video comes out as AV_PIX_FMT_YUV420P at the channel's size, by frame
 * selection: output frame k shows the source frame whose presentation
 * interval covers the output instant in_ms + k·den/num.  Audio comes out as
 * stereo float planar at the channel's sample rate, exactly the samples
 * asked for, resampled, downmixed, gained and faded.  A source owns its
 * demuxer, decoders, deinterlacer, scaler, resampler and the frame it
 * returns.  It is used by one thread at a time: a seam preparer may open and
 * prime it on another thread, then hand it to the tick thread.
 */
#ifndef RV_AIR_SOURCE_H
#define RV_AIR_SOURCE_H

#include <stdint.h>

#include <libavutil/frame.h>

#include "clock.h"
#include "log.h"

enum rv_aspect {
	RV_ASPECT_PRESERVE,	/* fit inside, black bars (letter/pillarbox) */
	RV_ASPECT_STRETCH,	/* fill, distorting */
	RV_ASPECT_CROP		/* fill, cutting what overflows */
};

struct rv_src_format {
	int		 width, height;	/* even; pixels are square */
	struct rv_rate	 rate;
	int		 sample_rate;	/* 48000 */
	enum rv_aspect	 aspect;
};

/*
 * How source frames map onto output frames (INV-FPS-MAPPING), decided by
 * integer cross-multiplication of the two rates: OFF when they are equal
 * (one to one), DROP when the source rate is an integer multiple `step` of
 * the output rate (60→30: every second frame), CADENCE otherwise (23.976→
 * 29.97 repeats one frame in five).  Whatever the mode, the frame shown is
 * rv_src_frame_for(); the mode only names the pattern that results.
 */
enum rv_fps_mode {
	RV_FPS_OFF,
	RV_FPS_DROP,
	RV_FPS_CADENCE
};

/* The mode for source rate in and output rate out; *step (may be NULL) is
 * 1 for OFF, the integer ratio for DROP and 0 for CADENCE. */
enum rv_fps_mode rv_fps_mapping(struct rv_rate in, struct rv_rate out,
	    int64_t *step);

/*
 * Index (from the file's first frame, at the source's nominal rate in) of
 * the source frame shown at output frame k of a segment that starts at
 * in_ms into the file:
 *
 *   floor((in_ms·out.num + 1000·k·out.den)·in.num / (1000·out.num·in.den))
 *
 * So 60→30 shows frame 2k, 24000/1001→30000/1001 frame floor(4k/5) and
 * 25→30000/1001 frame floor(1001k/1200).
 */
int64_t	rv_src_frame_for(int64_t in_ms, int64_t k, struct rv_rate in,
	    struct rv_rate out);

struct rv_source;

/*
 * Open path and position it at in_ms: seek to the keyframe before the
 * in-point and decode the first frame after it (re-seeking earlier when the
 * demuxer overshoots).  dur_ms is the segment's length; gain_db is a static
 * gain; fade_in_ms and fade_out_ms ramp audio from and to silence, and
 * video from and to black, at the segment's start and end (0: none).  -1
 * with err naming the file when it is missing, unreadable, truncated, not
 * media or holds no decodable audio or video.
 */
int	rv_src_open(const char *path, int64_t in_ms, int64_t dur_ms,
	    double gain_db, int64_t fade_in_ms, int64_t fade_out_ms,
	    const struct rv_src_format *f, struct rv_source **out,
	    struct rv_err *err);

/*
 * Decode until output frame 0 is ready (scaled) and at least 500 ms of
 * audio is buffered, so that the first ticks of the segment do no I/O.
 * Optional: rv_src_video and rv_src_audio do the same work on demand.
 */
int	rv_src_prime(struct rv_source *s, struct rv_err *err);

/*
 * The video frame for output frame k (0, 1, … from the segment's first
 * frame; k may repeat or skip ahead; a source cannot go back, so a smaller
 * k gets the current frame again).  1: *frame is set,
 * owned by the source and valid until the next call on s, pts = k and
 * progressive.  0: the source has no more video (its end, no video stream
 * at all, or a read error mid-file, which rv_src_error() then gives); the
 * caller holds its last frame or pads.  -1: a failure that no frame can
 * come from (out of memory, scaler or deinterlacer failure).
 */
int	rv_src_video(struct rv_source *s, int64_t k, AVFrame **frame,
	    struct rv_err *err);

/*
 * Write exactly n samples per channel of the next stretch of audio into
 * planes[0] (left) and planes[1] (right).  After the source's audio ends,
 * or when it has none, the rest is silence.  Returns how many of the n
 * came from the source (the others are silence), or -1 on failure.
 */
int	rv_src_audio(struct rv_source *s, float *const planes[2], int n,
	    struct rv_err *err);

/* The last problem met while playing (a skipped corrupt packet, a read
 * error that ended the file early), or NULL when there was none. */
const char *rv_src_error(const struct rv_source *s);

struct rv_src_info {
	int		 has_video, has_audio;
	int		 width, height;	/* of the video stream */
	struct rv_rate	 rate;		/* the source rate selection uses */
	enum rv_fps_mode mode;		/* and the pattern it gives */
	int64_t		 step;
	int		 vfr;		/* nominal and average rates differ */
	int		 interlaced;	/* a deinterlacer is in the path */
	int		 audio_channels, audio_rate;
	int64_t		 frames;	/* source frames decoded so far */
};

void	rv_src_info(const struct rv_source *s, struct rv_src_info *info);

/* Accepts NULL. */
void	rv_src_close(struct rv_source *s);

#endif
