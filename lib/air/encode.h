/*
 * air/encode — the session encoder and MPEG-TS muxer of rv-air (DESIGN §6).
 *
 * This module owns, for one playout session (one rv-air process), the
 * libx264 H.264 encoder, the AAC-LC encoder with the FIFO that cuts its
 * input into 1024-sample frames, and the libavformat "mpegts" muxer, which
 * writes through a custom AVIOContext into the caller's callback.  All of
 * them are opened once and closed once: timestamps never restart and the
 * TS carries no discontinuity.
 *
 * Timing.  Video frame n (n = 0, 1, 2 … counted from the session start) has
 * PTS = DTS = rv_frame_pts(n, rate) + offset in the 90 kHz clock; audio
 * sample s is presented at floor(s * 90000 / sample_rate) + offset, the
 * sample count running on from 0 across the whole session.  offset
 * (rv_enc_pts_offset(), 10920 at 48 kHz) is a constant of the session: the
 * AAC encoder's priming (1024 samples, 1920 ticks, so that the first AAC
 * packet, which carries only the encoder's pre-roll, is not negative) plus
 * the 100 ms mux delay, the distance by which each PCR runs ahead of the
 * DTS it precedes.  The muxer adds nothing of its own (mpegts_copyts).
 *
 * Video.  libx264 with the caller's preset (default veryfast) at
 * video_kbps (default 3000) under VBV: maxrate = bitrate, bufsize = twice
 * the bitrate (2 s of buffer).  No B-frames, so that DTS = PTS, the
 * encoder adds no reorder delay and a viewer tuning in decodes from the
 * first IDR; closed GOPs; scene-cut detection off, so IDRs come only from
 * the GOP cadence (at most floor(gop_seconds * rate) frames apart, default
 * 2 s) and from rv_enc_force_idr(), after which the cadence counts again;
 * SPS/PPS repeated before every IDR.  The encoder holds a few frames
 * (rc-lookahead and frame threads; rv_enc_pending(): at most 14 frames
 * at 1280x720 veryfast with three threads, 11 with one).
 *
 * Audio.  AAC-LC at audio_kbps (default 128), sample_rate (default 48000)
 * and 1 or 2 channels (default 2), from planar float samples.  At the end
 * of the session the last partial AAC frame is encoded short.  A decoder
 * therefore yields the submitted samples plus 1024 of priming at the start
 * and less than 1024 of padding at the end.
 *
 * Mux.  MPEG-TS, variable rate (no null packets); PAT/PMT before every IDR
 * and at the first TS packet written once 100 ms of DTS have passed (9 or
 * 10 times a second); SDT every 500 ms with the caller's service name and
 * provider; PCR on the video PID at the start of every video frame (the
 * 5.1 muxer's VBR mode places PCRs only there, pcr_period = 20 ms), so
 * the PCR interval is one frame period: 33.4 ms at 30000/1001, 40 ms at
 * 25/1, but 41.7 ms at 24000/1001 and 24/1 (ISO 13818-1 allows 100 ms;
 * the 40 ms of DVB holds only at 25 frames/s and above).  Audio and video
 * are interleaved by DTS.  Bytes are flushed after every muxed packet:
 * each callback receives whole 188-byte TS packets, at most 7 (1316 bytes,
 * one UDP datagram's worth) at a time.
 *
 * libav reports through av_log (libx264 prints statistics at AV_LOG_INFO
 * when the session ends); a program sets av_log_set_level() to taste.
 */
#ifndef RV_AIR_ENCODE_H
#define RV_AIR_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include <libavutil/frame.h>

#include "clock.h"
#include "log.h"

#define RV_ENC_TS_PACKET	188
#define RV_ENC_IO_PACKETS	7	/* TS packets per callback, at most */
#define RV_ENC_MUX_DELAY_MS	100	/* PCR runs this far ahead of DTS */
#define RV_ENC_MAX_CHANNELS	2

/* Defaults taken for zero / NULL members. */
#define RV_ENC_PRESET		"veryfast"
#define RV_ENC_VIDEO_KBPS	3000
#define RV_ENC_AUDIO_KBPS	128
#define RV_ENC_GOP_SECONDS	2
#define RV_ENC_SAMPLE_RATE	48000
#define RV_ENC_CHANNELS		2
#define RV_ENC_PROVIDER		"RetroVue"

struct rv_enc_config {
	int		 width, height;	/* even, 16 to 8192 */
	struct rv_rate	 rate;		/* frame rate, as rv_rate_parse gives */
	int		 sample_rate;	/* 0: 48000; any rate AAC has */
	int		 channels;	/* 0: 2 */
	const char	*preset;	/* NULL: "veryfast"; an x264 preset */
	int		 video_kbps;	/* 0: 3000 */
	int		 audio_kbps;	/* 0: 128 */
	int		 gop_seconds;	/* 0: 2; longest IDR-to-IDR distance */
	int		 threads;	/* 0: one per CPU */
	const char	*service_name;	/* NULL: the provider; SDT, ≤ 255 B */
	const char	*provider;	/* NULL: "RetroVue"; SDT, ≤ 255 B */
};

/*
 * Receives TS bytes: len is a non-zero multiple of 188 and ts starts on a
 * packet boundary.  Returns 0, or -1 to fail the call in progress (and so
 * the session: the muxer's state is lost).
 */
typedef int	rv_enc_write_fn(void *arg, const uint8_t *ts, size_t len);

struct rv_enc;

/*
 * Open the encoders and the muxer.  Nothing is written yet: the tables go
 * out with the first packet.  A bad configuration (odd size, unknown
 * preset, unsupported sample rate …) fails with a message naming it.
 */
int	rv_enc_open(const struct rv_enc_config *cfg, rv_enc_write_fn *write,
	    void *arg, struct rv_enc **out, struct rv_err *err);

/* Make the next video frame an IDR (the first frame always is one). */
void	rv_enc_force_idr(struct rv_enc *e);

/*
 * Encode the next video frame: AV_PIX_FMT_YUV420P at the configured size.
 * The frame's pts and pict_type are overwritten (pts = the frame count, in
 * the encoder's time base of one frame); its data is referenced or copied,
 * so the caller may reuse the frame once this returns.
 */
int	rv_enc_video(struct rv_enc *e, AVFrame *frame, struct rv_err *err);

/*
 * Encode the next `samples` samples: one plane of floats per channel.
 * For frame n the caller gives rv_frame_samples(n, rate, sample_rate),
 * in any number of calls, before or after the frame itself.
 */
int	rv_enc_audio(struct rv_enc *e, const float *const planes[],
	    int samples, struct rv_err *err);

/* End of session: encode the last partial AAC frame, drain both encoders,
 * write the trailer and flush.  Nothing may be submitted afterwards. */
int	rv_enc_finish(struct rv_enc *e, struct rv_err *err);

/* Close everything (without finishing: call rv_enc_finish first for a
 * complete stream).  e may be NULL. */
void	rv_enc_free(struct rv_enc *e);

/* Video frames submitted; audio samples submitted. */
int64_t	rv_enc_frames(const struct rv_enc *e);
int64_t	rv_enc_samples(const struct rv_enc *e);
/* Video frames submitted whose packets have not come out of the encoder
 * yet: its latency, for wall-clock pacing. */
int64_t	rv_enc_pending(const struct rv_enc *e);
/* The constant added to every PTS and DTS in the TS (90 kHz). */
int64_t	rv_enc_pts_offset(const struct rv_enc *e);

#endif
