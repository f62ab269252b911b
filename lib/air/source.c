/*
 * The source stage of rv-air: demux, decode, deinterlace, select, scale;
 * decode, resample, gain and fade.
 *
 * Times inside a source are frame indices and sample positions, never
 * clock readings or floats.  A decoded video frame gets an index on the
 * grid of the source's nominal rate, rounded from its timestamp (so that
 * timestamps rounded to the millisecond by Matroska still land on their
 * frame), and output frame k shows the latest decoded frame whose index is
 * at most rv_src_frame_for(in_ms, k); frames no k asks for are decoded
 * only when other frames refer to them (shown()).  Decoded audio gets a
 * position in output samples from its timestamp; the resampled stream is
 * trimmed to start exactly at the in-point and re-synchronised on gaps
 * and overlaps larger than MAX_AUDIO_DRIFT.
 *
 * Video and audio are demuxed together: a packet read for one stream
 * while the other needs data waits in that stream's queue.
 */
#include "air/source.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/fifo.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#define PRIME_AUDIO_MS	500
#define MAX_BAD		500	/* bad packets or frames in a row: give up */
#define MAX_RESEEKS	6	/* 1, 2, 4, 8, 16, 32 s earlier, then 0 */
#define KEY_WAIT	600	/* frames dropped waiting for a keyframe */
#define MAX_AUDIO_DRIFT	10	/* re-sync audio beyond 1/10 s … */
#define MAX_AUDIO_JUMP	10	/* … but not across a jump of 10 s or more */
#define MAX_LEAD_IN	60	/* longest silence before the first sample */
#define ALPHA_ONE	65536	/* fades in Q16 */

struct rv_source {
	char		*path;
	struct rv_src_format f;
	int64_t		 in_ms, dur_ms, fade_in_ms, fade_out_ms;
	float		 gain;

	AVFormatContext	*fmt;
	AVPacket	*pkt;
	int		 demux_eof;
	int64_t		 last_end;	/* file offset after the last packet */
	AVRational	 otb;		/* time base of the master stream */
	int64_t		 origin;	/* its start, in otb */

	/* Video. */
	int		 vi;		/* stream index, -1: none */
	AVStream	*vst;
	AVCodecContext	*vdec;
	AVFifo		*vq;		/* of AVPacket * */
	int		 vflushed, vdec_eof, veof, vbad;
	struct rv_rate	 vrate;		/* grid that frame indices count on */
	int		 vfr;
	int		 may_discard;	/* of frames no output frame shows */
	int		 need_key, key_wait;	/* frames, after a seek */
	int		 need_key_pkt, pkt_wait; /* packets, after a seek */
	int64_t		 min_pts;	/* frames before the key are dropped */
	int64_t		 last_idx;
	int		 have_last;	/* last_idx is of a frame since the seek */
	int		 deint;
	AVFilterGraph	*graph;
	AVFilterContext	*bsrc, *bsink;
	int		 gw, gh, gfmt, graph_eof;
	AVFrame		*cur, *nxt, *crop;
	int		 have_cur, have_nxt;
	int64_t		 cur_idx, nxt_idx, cur_serial, nxt_serial;
	int64_t		 frames;
	AVFrame		*out, *aside;
	AVBufferPool	*opool;		/* of pictures for out */
	int		 olines[4];
	int64_t		 out_serial;
	int		 out_alpha;
	struct SwsContext *sws;
	int		 sws_key[6];

	/* Audio. */
	int		 ai;
	AVStream	*ast;
	AVCodecContext	*adec;
	AVFifo		*aq;
	int		 aflushed, adec_eof, aeof, abad;
	AVFrame		*aframe;
	SwrContext	*swr;
	AVChannelLayout	 swr_layout;
	int		 swr_rate, swr_fmt;
	AVAudioFifo	*fifo;		/* output format, from wpos back */
	float		*conv[2];
	int		 conv_cap;
	int64_t		 aorigin;	/* the master's start, output samples */
	int64_t		 wpos;		/* output position of the fifo's end */
	int64_t		 cpos;		/* of the resampler's next sample */
	int		 cpos_valid;
	int64_t		 apos;		/* samples handed out so far */

	int		 has_err;
	struct rv_err	 err;
};

static float zeros[1024];

static int	note(struct rv_source *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Remember a problem; returns -1 like rv_errf. */
static int
note(struct rv_source *s, const char *fmt, ...)
{
	va_list ap;

	s->has_err = 1;
	va_start(ap, fmt);
	vsnprintf(s->err.msg, sizeof(s->err.msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Hand the last problem to the caller's err. */
static int
fail(const struct rv_source *s, struct rv_err *err)
{
	return rv_errf(err, "%s", s->err.msg);
}

static const char *
averr(int rc, char *buf, size_t n)
{
	av_strerror(rc, buf, n);
	return buf;
}

#define AVERR(rc) averr((rc), (char[AV_ERROR_MAX_STRING_SIZE]){ 0 }, \
	    AV_ERROR_MAX_STRING_SIZE)

/* Milliseconds into the file of pts on st, for messages. */
static int64_t
pts_ms(const struct rv_source *s, const AVStream *st, int64_t pts)
{
	if (pts == AV_NOPTS_VALUE)
		return -1;
	return av_rescale_q(pts, st->time_base, (AVRational){ 1, 1000 }) -
	    av_rescale_q(s->origin, s->otb, (AVRational){ 1, 1000 });
}

/* Frame-rate mapping */

enum rv_fps_mode
rv_fps_mapping(struct rv_rate in, struct rv_rate out, int64_t *step)
{
	int64_t a = in.num * out.den, b = out.num * in.den, st;
	enum rv_fps_mode m;

	if (a == b) {
		m = RV_FPS_OFF;
		st = 1;
	} else if (a > b && a % b == 0) {
		m = RV_FPS_DROP;
		st = a / b;
	} else {
		m = RV_FPS_CADENCE;
		st = 0;
	}
	if (step != NULL)
		*step = st;
	return m;
}

int64_t
rv_src_frame_for(int64_t in_ms, int64_t k, struct rv_rate in,
    struct rv_rate out)
{
	/* The output instant in units of 1/(1000·out.num) s. */
	int64_t t = in_ms * out.num + 1000 * k * out.den;

	return av_rescale_rnd(t, in.num, 1000 * out.num * in.den,
	    AV_ROUND_DOWN);
}

static int
rational_ok(AVRational r)
{
	return r.num > 0 && r.den > 0;
}

static struct rv_rate
to_rate(AVRational r)
{
	int n, d;

	av_reduce(&n, &d, r.num, r.den, RV_RATE_MAX);
	return (struct rv_rate){ n, d };
}

/* |a - b| <= b / tol, by cross-multiplication. */
static int
rate_near(struct rv_rate a, struct rv_rate b, int64_t tol)
{
	int64_t x = a.num * b.den, y = b.num * a.den;

	return (x > y ? x - y : y - x) * tol <= y;
}

/*
 * The rate whose grid frame indices count on.  r_frame_rate is exact when
 * the stream is constant-rate; when it differs from the average by more
 * than 10% the stream is variable-rate or field-coded (r_frame_rate is then
 * the field rate) and the average is used.  Rates within 0.02% of a
 * standard one are snapped to it (2997/100 is 30000/1001), never 30 to
 * 29.97, which differ by 0.1%.
 */
static struct rv_rate
pick_rate(const AVStream *st, int *vfr)
{
	static const struct rv_rate std[] = {
		{ 24000, 1001 }, { 24, 1 }, { 25, 1 }, { 30000, 1001 },
		{ 30, 1 }, { 48, 1 }, { 50, 1 }, { 60000, 1001 }, { 60, 1 },
		{ 120000, 1001 }, { 120, 1 }
	};
	struct rv_rate r, a, pick;
	size_t i;

	*vfr = 0;
	if (rational_ok(st->avg_frame_rate) && rational_ok(st->r_frame_rate)) {
		a = to_rate(st->avg_frame_rate);
		r = to_rate(st->r_frame_rate);
		if (rate_near(r, a, 10))
			pick = r;
		else {
			pick = a;
			*vfr = 1;
		}
	} else if (rational_ok(st->avg_frame_rate))
		pick = to_rate(st->avg_frame_rate);
	else if (rational_ok(st->r_frame_rate))
		pick = to_rate(st->r_frame_rate);
	else	/* every timestamp is its own frame */
		pick = to_rate((AVRational){ st->time_base.den,
		    st->time_base.num });
	for (i = 0; i < sizeof(std) / sizeof(std[0]); i++)
		if (rate_near(pick, std[i], 5000))
			return std[i];
	return pick;
}

/*
 * Whether frames no output frame shows may be left undecoded (shown()):
 * when the codec's AVDISCARD_NONREF drops only pictures no other picture
 * refers to (H.264, MPEG-1/2 B-pictures; HEVC when its hvcC header says
 * one temporal layer, as pictures of a lower layer marked non-reference
 * may still be referred to by a higher one), and when the stream keeps
 * to its rate (nominal and average within 0.1%), so that every index the
 * selection asks for is a frame of the file.  Interlaced sources, whose
 * fields may come in two packets, never skip (s->deint).
 */
static int
can_discard(const AVStream *st)
{
	const AVCodecParameters *par = st->codecpar;

	switch (par->codec_id) {
	case AV_CODEC_ID_H264:
	case AV_CODEC_ID_MPEG1VIDEO:
	case AV_CODEC_ID_MPEG2VIDEO:
		break;
	case AV_CODEC_ID_HEVC:
		/* HEVCDecoderConfigurationRecord: version 1, and
		 * numTemporalLayers in bits 5..3 of byte 21. */
		if (par->extradata == NULL || par->extradata_size < 23 ||
		    par->extradata[0] != 1 ||
		    ((par->extradata[21] >> 3) & 7) != 1)
			return 0;
		break;
	default:
		return 0;
	}
	return rational_ok(st->avg_frame_rate) &&
	    rational_ok(st->r_frame_rate) &&
	    rate_near(to_rate(st->r_frame_rate), to_rate(st->avg_frame_rate),
	    1000);
}

/* Packet queues */

static int
q_push(AVFifo *q, AVPacket *pkt)
{
	AVPacket *p;

	if ((p = av_packet_alloc()) == NULL)
		return AVERROR(ENOMEM);
	av_packet_move_ref(p, pkt);
	if (av_fifo_write(q, &p, 1) < 0) {
		av_packet_free(&p);
		return AVERROR(ENOMEM);
	}
	return 0;
}

static AVPacket *
q_pop(AVFifo *q)
{
	AVPacket *p;

	if (q == NULL || av_fifo_read(q, &p, 1) < 0)
		return NULL;
	return p;
}

static void
q_clear(AVFifo *q)
{
	AVPacket *p;

	while ((p = q_pop(q)) != NULL)
		av_packet_free(&p);
}

/*
 * A demuxer that meets noise where packets should be (MPEG-TS that lost
 * its sync bytes) reads on to the end of the file without a word.  Say so
 * when more than 5% of the file (and 64 KiB) after the last packet gave
 * nothing: indexes and tags at the end of a file are much smaller.
 */
static void
check_tail(struct rv_source *s)
{
	int64_t size, tail;

	if (s->fmt->pb == NULL || s->last_end <= 0 ||
	    (size = avio_size(s->fmt->pb)) <= 0)
		return;
	tail = size - s->last_end;
	if (tail > 65536 && tail > size / 20)
		note(s, "%s: the last %" PRId64 " of %" PRId64 " bytes hold "
		    "no packets: corrupt or cut", s->path, tail, size);
}

/*
 * Read one packet into the queue of the stream it belongs to.  A read
 * error is the end of the file, noted; only running out of memory is -1.
 */
static int
demux_one(struct rv_source *s)
{
	int rc, idx;

	rc = av_read_frame(s->fmt, s->pkt);
	if (rc < 0) {
		s->demux_eof = 1;
		if (rc != AVERROR_EOF)
			note(s, "%s: read error: %s", s->path, AVERR(rc));
		else if (s->fmt->pb != NULL && s->fmt->pb->error < 0)
			note(s, "%s: read error: %s", s->path,
			    AVERR(s->fmt->pb->error));
		else
			check_tail(s);
		return 0;
	}
	if (s->pkt->pos >= 0 && s->pkt->pos + s->pkt->size > s->last_end)
		s->last_end = s->pkt->pos + s->pkt->size;
	rc = 0;
	idx = s->pkt->stream_index;
	if (idx == s->vi && !s->veof && !s->vdec_eof)
		rc = q_push(s->vq, s->pkt);
	else if (idx == s->ai && !s->aeof && !s->adec_eof)
		rc = q_push(s->aq, s->pkt);
	av_packet_unref(s->pkt);
	if (rc < 0)
		return note(s, "%s: stream #%d: cannot queue packet: %s",
		    s->path, idx, AVERR(rc));
	return 0;
}

/* Index on the source's grid of pts (on the video stream). */
static int64_t
frame_index(const struct rv_source *s, int64_t pts)
{
	AVRational tb = s->vst->time_base;

	return av_rescale_rnd(pts - s->origin, (int64_t)tb.num * s->vrate.num,
	    (int64_t)tb.den * s->vrate.den, AV_ROUND_NEAR_INF);
}

/*
 * Whether some output frame k >= 0 shows the source frame of index idx:
 * whether rv_src_frame_for(in_ms, k) is idx for some k.  A frame no output
 * frame shows (one the frame-rate mapping drops, or one between the
 * keyframe and the in-point) need not be decoded unless a later frame
 * refers to it, so its packet goes to the decoder with skip_frame set to
 * AVDISCARD_NONREF: a 59.94 source on a 29.97 channel decodes about half
 * its B-frames.  1 when it cannot be told.
 */
static int
shown(const struct rv_source *s, int64_t idx)
{
	const struct rv_rate in = s->vrate, out = s->f.rate;
	int64_t k, j;
	double kd;
	int i;

	if (idx < 0)
		return 0;
	if (idx > (INT64_C(1) << 40))	/* a damaged timestamp */
		return 1;
	/* The least k whose frame index reaches idx: from an estimate a
	 * little below it, stepping up (the selection never goes down). */
	kd = ((double)idx * 1000.0 * out.num * in.den / in.num -
	    (double)s->in_ms * out.num) / (1000.0 * out.den);
	k = kd > 2 ? (int64_t)kd - 2 : 0;
	for (i = 0; i < 64; i++, k++) {
		j = rv_src_frame_for(s->in_ms, k, in, out);
		if (j >= idx)
			return j == idx;
	}
	return 1;
}

/* The skip_frame for the next video packet, p. */
static enum AVDiscard
video_discard(struct rv_source *s, const AVPacket *p)
{
	if (!s->may_discard || s->deint)
		return AVDISCARD_DEFAULT;
	/* A frame without a timestamp takes the index after the last one
	 * decoded, which a skipped frame would move: no more skipping. */
	if (p->pts == AV_NOPTS_VALUE) {
		s->may_discard = 0;
		return AVDISCARD_DEFAULT;
	}
	return shown(s, frame_index(s, p->pts)) ? AVDISCARD_DEFAULT :
	    AVDISCARD_NONREF;
}

/*
 * After a frame of index idx: a shown index between it and the last one
 * decoded is missing from the file (a frame dropped by the capture), and
 * the frame before it, which would have stood in for it, may have been
 * skipped.  Skip no more in this source.
 */
static void
check_gap(struct rv_source *s, int64_t idx)
{
	int64_t i;

	if (!s->may_discard || !s->have_last || idx <= s->last_idx + 1)
		return;
	if (idx - s->last_idx > 64)
		s->may_discard = 0;
	for (i = s->last_idx + 1; s->may_discard && i < idx; i++)
		if (shown(s, i))
			s->may_discard = 0;
}

/*
 * Give dec its next packet, reading more of the file when its queue is
 * empty, or the end-of-stream flush.  1: the decoder has had everything;
 * 0: fed; -1: out of memory.
 */
static int
feed(struct rv_source *s, AVCodecContext *dec, AVFifo *q, int *flushed,
    int *bad, const AVStream *st, const char *what)
{
	AVPacket *p;
	int rc;

	for (;;) {
		if ((p = q_pop(q)) != NULL) {
			/* After a seek, feed video from a keyframe on:
			 * dropping packets is much cheaper than decoding
			 * them into frames that frame_wanted() drops. */
			if (q != s->vq || !s->need_key_pkt)
				break;
			if ((p->flags & AV_PKT_FLAG_KEY) ||
			    s->pkt_wait++ >= KEY_WAIT) {
				s->need_key_pkt = 0;
				break;
			}
			av_packet_free(&p);
			continue;
		}
		if (s->demux_eof) {
			if (*flushed)
				return 1;
			*flushed = 1;
			rc = avcodec_send_packet(dec, NULL);
			if (rc < 0 && rc != AVERROR_EOF)
				note(s, "%s: %s stream #%d: cannot flush "
				    "decoder: %s", s->path, what, st->index,
				    AVERR(rc));
			return rc < 0 ? 1 : 0;
		}
		if (demux_one(s) < 0)
			return -1;
	}
	if (q == s->vq)
		dec->skip_frame = video_discard(s, p);
	/* Never EAGAIN: the decoder has just asked for input. */
	rc = avcodec_send_packet(dec, p);
	if (rc < 0) {
		note(s, "%s: %s stream #%d: corrupt packet at %" PRId64
		    " ms skipped: %s", s->path, what, st->index,
		    pts_ms(s, st, p->pts), AVERR(rc));
		(*bad)++;
	}
	av_packet_free(&p);
	return 0;
}

/* Video: decoding and deinterlacing */

static int
graph_setup(struct rv_source *s, const AVFrame *f)
{
	const AVFilter *deint;
	AVFilterContext *d;
	AVRational tb = s->vst->time_base, sar = f->sample_aspect_ratio;
	char args[256];
	int rc;

	avfilter_graph_free(&s->graph);
	s->graph_eof = 0;
	if ((s->graph = avfilter_graph_alloc()) == NULL)
		return note(s, "%s: video stream #%d: out of memory", s->path,
		    s->vi);
	if (!rational_ok(sar))
		sar = (AVRational){ 0, 1 };
	snprintf(args, sizeof(args), "video_size=%dx%d:pix_fmt=%d:"
	    "time_base=%d/%d:pixel_aspect=%d/%d", f->width, f->height,
	    f->format, tb.num, tb.den, sar.num, sar.den);
	if ((deint = avfilter_get_by_name("bwdif")) == NULL &&
	    (deint = avfilter_get_by_name("yadif")) == NULL)
		return note(s, "%s: video stream #%d: no deinterlacer "
		    "(bwdif or yadif) in libavfilter", s->path, s->vi);
	rc = avfilter_graph_create_filter(&s->bsrc,
	    avfilter_get_by_name("buffer"), "in", args, NULL, s->graph);
	if (rc >= 0)
		rc = avfilter_graph_create_filter(&d, deint, "deint",
		    "mode=send_frame:parity=auto:deint=interlaced", NULL,
		    s->graph);
	if (rc >= 0)
		rc = avfilter_graph_create_filter(&s->bsink,
		    avfilter_get_by_name("buffersink"), "out", NULL, NULL,
		    s->graph);
	if (rc >= 0)
		rc = avfilter_link(s->bsrc, 0, d, 0);
	if (rc >= 0)
		rc = avfilter_link(d, 0, s->bsink, 0);
	if (rc >= 0)
		rc = avfilter_graph_config(s->graph, NULL);
	if (rc < 0)
		return note(s, "%s: video stream #%d: cannot set up %s: %s",
		    s->path, s->vi, deint->name, AVERR(rc));
	s->gw = f->width;
	s->gh = f->height;
	s->gfmt = f->format;
	return 0;
}

/* Whether a decoded frame is one to show: after a seek, frames before the
 * first keyframe (and leading pictures that precede it) are garbage. */
static int
frame_wanted(struct rv_source *s, const AVFrame *f)
{
	if (s->need_key) {
		if (!f->key_frame && s->key_wait++ < KEY_WAIT)
			return 0;
		s->need_key = 0;
		s->min_pts = f->pts;
		return 1;
	}
	return s->min_pts == AV_NOPTS_VALUE || f->pts == AV_NOPTS_VALUE ||
	    f->pts >= s->min_pts;
}

/* The next decoded (and deinterlaced) frame, pts in the stream's time
 * base.  1: a frame; 0: no more; -1: a failure. */
static int
video_decode(struct rv_source *s, AVFrame *f)
{
	int rc;

	for (;;) {
		if (s->graph != NULL) {
			rc = av_buffersink_get_frame(s->bsink, f);
			if (rc >= 0) {
				if (f->pts != AV_NOPTS_VALUE)
					f->pts = av_rescale_q(f->pts,
					    av_buffersink_get_time_base(
					    s->bsink), s->vst->time_base);
				return 1;
			}
			if (rc == AVERROR_EOF)
				return 0;
			if (rc != AVERROR(EAGAIN))
				return note(s, "%s: video stream #%d: "
				    "deinterlacer: %s", s->path, s->vi,
				    AVERR(rc));
		}
		if (s->vdec_eof) {
			if (s->graph == NULL || s->graph_eof)
				return 0;
			s->graph_eof = 1;
			rc = av_buffersrc_add_frame(s->bsrc, NULL);
			if (rc < 0)
				return note(s, "%s: video stream #%d: cannot "
				    "flush deinterlacer: %s", s->path, s->vi,
				    AVERR(rc));
			continue;
		}
		rc = avcodec_receive_frame(s->vdec, f);
		if (rc == AVERROR(EAGAIN)) {
			rc = feed(s, s->vdec, s->vq, &s->vflushed, &s->vbad,
			    s->vst, "video");
			if (rc < 0)
				return -1;
			if (rc > 0 || s->vbad > MAX_BAD)
				s->vdec_eof = 1;
			continue;
		}
		if (rc == AVERROR_EOF) {
			s->vdec_eof = 1;
			continue;
		}
		if (rc < 0) {
			note(s, "%s: video stream #%d: decode error: %s",
			    s->path, s->vi, AVERR(rc));
			if (++s->vbad > MAX_BAD)
				s->vdec_eof = 1;
			continue;
		}
		s->vbad = 0;
		f->pts = f->best_effort_timestamp;
		if (!frame_wanted(s, f)) {
			av_frame_unref(f);
			continue;
		}
		if (f->interlaced_frame)
			s->deint = 1;
		if (!s->deint)
			return 1;
		if (s->graph == NULL || f->width != s->gw ||
		    f->height != s->gh || f->format != s->gfmt)
			if (graph_setup(s, f) < 0) {
				av_frame_unref(f);
				return -1;
			}
		rc = av_buffersrc_add_frame(s->bsrc, f);
		av_frame_unref(f);
		if (rc < 0)
			return note(s, "%s: video stream #%d: deinterlacer: "
			    "%s", s->path, s->vi, AVERR(rc));
	}
}

/* Decode the next frame into s->nxt and give it its index. */
static int
next_frame(struct rv_source *s)
{
	AVFrame *f = s->nxt;
	int rc;

	av_frame_unref(f);
	if ((rc = video_decode(s, f)) <= 0)
		return rc;
	if (f->pts == AV_NOPTS_VALUE)
		s->nxt_idx = s->last_idx + 1;
	else {
		s->nxt_idx = frame_index(s, f->pts);
		check_gap(s, s->nxt_idx);
	}
	s->last_idx = s->nxt_idx;
	s->have_last = 1;
	s->have_nxt = 1;
	s->nxt_serial = ++s->frames;
	return 1;
}

/*
 * Make s->cur the latest frame with index <= j: keep decoding while the
 * look-ahead frame is not past j.  The first frame is taken even when it
 * is past j (the file starts there).  1: s->cur is the frame to show;
 * 0: the source has ended before j; -1: a failure.
 */
static int
advance(struct rv_source *s, int64_t j)
{
	AVFrame *t;
	int rc;

	for (;;) {
		if (!s->have_nxt && !s->veof) {
			if ((rc = next_frame(s)) < 0)
				return -1;
			if (rc == 0)
				s->veof = 1;
		}
		if (s->have_nxt && (!s->have_cur || s->nxt_idx <= j)) {
			t = s->cur;
			s->cur = s->nxt;
			s->nxt = t;
			av_frame_unref(s->nxt);
			s->cur_idx = s->nxt_idx;
			s->cur_serial = s->nxt_serial;
			s->have_cur = 1;
			s->have_nxt = 0;
			continue;
		}
		break;
	}
	if (!s->have_cur)
		return 0;
	if (s->veof && !s->have_nxt && j > s->cur_idx)
		return 0;
	return 1;
}

/* Video: scaling and fades */

static int
even(int64_t v, int64_t max)
{
	v &= ~(int64_t)1;
	if (v < 2)
		v = 2;
	if (v > max)
		v = max & ~(int64_t)1;
	return (int)v;
}

/* Black around the picture at (dx, dy), dw x dh (all even): the picture
 * itself is drawn over whatever the buffer held. */
static void
fill_border(AVFrame *o, int dx, int dy, int dw, int dh)
{
	int p, y, sh, w, h, x0, x1, y0, y1;

	for (p = 0; p < 3; p++) {
		const int v = p == 0 ? 16 : 128;
		uint8_t *row;

		sh = p == 0 ? 0 : 1;
		w = o->width >> sh;
		h = o->height >> sh;
		x0 = dx >> sh;
		x1 = (dx + dw) >> sh;
		y0 = dy >> sh;
		y1 = (dy + dh) >> sh;
		for (y = 0; y < h; y++) {
			row = o->data[p] + (ptrdiff_t)y * o->linesize[p];
			if (y < y0 || y >= y1)
				memset(row, v, (size_t)w);
			else {
				memset(row, v, (size_t)x0);
				memset(row + x1, v, (size_t)(w - x1));
			}
		}
	}
}

/*
 * A picture of the output size for s->out, from the source's pool.  The
 * session keeps the last frame shown (to hold it), so each tick draws into
 * another buffer; a fresh allocation each time cost 200 page faults a
 * frame (bench/air.sh at 720p: 6% of rv-air's time in the kernel, where
 * ffmpeg's pooled filter graph spends 3%).
 */
static int
out_picture(struct rv_source *s, AVFrame *o)
{
	const enum AVPixelFormat fmt = AV_PIX_FMT_YUV420P;
	ptrdiff_t ls[4];
	size_t sizes[4], total = 0;
	AVBufferRef *buf;
	int i, rc;

	if (s->opool == NULL) {
		/* Rows a multiple of 64 bytes, as av_frame_get_buffer. */
		rc = av_image_fill_linesizes(s->olines, fmt,
		    (s->f.width + 63) & ~63);
		for (i = 0; rc >= 0 && i < 4; i++)
			ls[i] = s->olines[i];
		if (rc >= 0)
			rc = av_image_fill_plane_sizes(sizes, fmt,
			    s->f.height, ls);
		if (rc < 0)
			return rc;
		for (i = 0; i < 4; i++)
			total += sizes[i];
		/* And room for SIMD reading past the end. */
		if (total > INT_MAX - 64 || (s->opool =
		    av_buffer_pool_init(total + 64, NULL)) == NULL)
			return AVERROR(ENOMEM);
	}
	if ((buf = av_buffer_pool_get(s->opool)) == NULL)
		return AVERROR(ENOMEM);
	av_frame_unref(o);
	o->format = fmt;
	o->width = s->f.width;
	o->height = s->f.height;
	o->buf[0] = buf;
	if ((rc = av_image_fill_pointers(o->data, fmt, o->height, buf->data,
	    s->olines)) < 0) {
		av_frame_unref(o);
		return rc;
	}
	memcpy(o->linesize, s->olines, sizeof(o->linesize));
	o->extended_data = o->data;
	return 0;
}

/* Ramp towards black: Y towards 16, U and V towards 128. */
static void
fade_frame(AVFrame *o, int alpha)
{
	uint8_t ly[256], lc[256];
	int p, x, y, w, h, v;

	for (v = 0; v < 256; v++) {
		ly[v] = (uint8_t)(16 + (v - 16) * (int64_t)alpha / ALPHA_ONE);
		lc[v] = (uint8_t)(128 + (v - 128) * (int64_t)alpha /
		    ALPHA_ONE);
	}
	for (p = 0; p < 3; p++) {
		const uint8_t *lut = p == 0 ? ly : lc;

		w = p == 0 ? o->width : o->width / 2;
		h = p == 0 ? o->height : o->height / 2;
		for (y = 0; y < h; y++) {
			uint8_t *row = o->data[p] +
			    (ptrdiff_t)y * o->linesize[p];

			for (x = 0; x < w; x++)
				row[x] = lut[row[x]];
		}
	}
}

/* Opacity of output frame k in Q16: frame 0 of a fade-in is black, and
 * so is the last frame of a fade-out (the one that reaches dur_ms). */
static int
video_alpha(const struct rv_source *s, int64_t k)
{
	struct rv_rate r = s->f.rate;
	int64_t a = ALPHA_ONE, b, t, d;

	if (s->fade_in_ms > 0) {
		t = k * 1000 * r.den;		/* frame start, ms·num */
		d = s->fade_in_ms * r.num;
		if (t < d)
			a = av_rescale_rnd(t, ALPHA_ONE, d, AV_ROUND_DOWN);
	}
	if (s->fade_out_ms > 0 && s->dur_ms > 0) {
		t = s->dur_ms * r.num - (k + 1) * 1000 * r.den;
		d = s->fade_out_ms * r.num;
		if (t <= 0)
			b = 0;
		else if (t < d)
			b = av_rescale_rnd(t, ALPHA_ONE, d, AV_ROUND_DOWN);
		else
			b = ALPHA_ONE;
		if (b < a)
			a = b;
	}
	return (int)a;
}

/* Scale in to dw x dh in s->aside and copy that into s->out at (dx, dy). */
static int
scale_aside(struct rv_source *s, const AVFrame *in, int dw, int dh, int dx,
    int dy)
{
	AVFrame *a = s->aside, *o = s->out;
	int p, y, rc;

	if (a->width != dw || a->height != dh) {
		av_frame_unref(a);
		a->format = AV_PIX_FMT_YUV420P;
		a->width = dw;
		a->height = dh;
		if ((rc = av_frame_get_buffer(a, 0)) < 0)
			return note(s, "%s: video stream #%d: %s", s->path,
			    s->vi, AVERR(rc));
	}
	rc = sws_scale(s->sws, (const uint8_t *const *)in->data, in->linesize,
	    0, in->height, a->data, a->linesize);
	if (rc <= 0)
		return note(s, "%s: video stream #%d: scaling failed", s->path,
		    s->vi);
	for (p = 0; p < 3; p++) {
		int sh = p == 0 ? 0 : 1;

		for (y = 0; y < dh >> sh; y++)
			memcpy(o->data[p] + (ptrdiff_t)((dy >> sh) + y) *
			    o->linesize[p] + (dx >> sh),
			    a->data[p] + (ptrdiff_t)y * a->linesize[p],
			    dw >> sh);
	}
	return 0;
}

/*
 * Scale src into s->out under the aspect policy.  PRESERVE fits the
 * source's display aspect (its size times its sample aspect ratio) inside
 * the output and fills the rest with black; CROP fills the output and
 * crops the source's overflow equally on both sides; STRETCH fills.
 */
static int
scale(struct rv_source *s, AVFrame *src, int alpha)
{
	AVFrame *in = src, *o = s->out;
	AVRational sar = src->sample_aspect_ratio;
	int64_t W = s->f.width, H = s->f.height, sw = src->width,
	    sh = src->height, dw, dh, cw, ch;
	uint8_t *dst[4] = { NULL };
	int dx, dy, cx, cy, rc, range, key[6];

	if (!rational_ok(sar))
		sar = s->vst->sample_aspect_ratio;
	if (!rational_ok(sar))
		sar = s->vst->codecpar->sample_aspect_ratio;
	if (!rational_ok(sar))
		sar = (AVRational){ 1, 1 };
	dw = W;
	dh = H;
	cw = sw;
	ch = sh;
	/* The source is wider than the output when sw·sar / sh > W / H. */
	switch (s->f.aspect) {
	case RV_ASPECT_PRESERVE:
		if (sw * sar.num * H >= W * sh * sar.den)
			dh = even((W * sh * sar.den + sw * sar.num / 2) /
			    (sw * sar.num) + 1, H);
		else
			dw = even((H * sw * sar.num + sh * sar.den / 2) /
			    (sh * sar.den) + 1, W);
		break;
	case RV_ASPECT_CROP:
		if (sw * sar.num * H > W * sh * sar.den)
			cw = even((W * sh * sar.den + H * sar.num / 2) /
			    (H * sar.num) + 1, sw);
		else
			ch = even((H * sw * sar.num + W * sar.den / 2) /
			    (W * sar.den) + 1, sh);
		break;
	case RV_ASPECT_STRETCH:
		break;
	}
	dx = (int)((W - dw) / 2) & ~1;
	dy = (int)((H - dh) / 2) & ~1;
	cx = (int)((sw - cw) / 2) & ~1;
	cy = (int)((sh - ch) / 2) & ~1;
	if (cw != sw || ch != sh) {
		in = s->crop;
		if ((rc = av_frame_ref(in, src)) < 0)
			return note(s, "%s: video stream #%d: %s", s->path,
			    s->vi, AVERR(rc));
		in->crop_left = cx;
		in->crop_right = sw - cx - cw;
		in->crop_top = cy;
		in->crop_bottom = sh - cy - ch;
		if ((rc = av_frame_apply_cropping(in,
		    AV_FRAME_CROP_UNALIGNED)) < 0) {
			av_frame_unref(in);
			return note(s, "%s: video stream #%d: cannot crop: %s",
			    s->path, s->vi, AVERR(rc));
		}
	}
	range = in->color_range == AVCOL_RANGE_JPEG;
	key[0] = in->width;
	key[1] = in->height;
	key[2] = in->format;
	key[3] = (int)dw;
	key[4] = (int)dh;
	key[5] = range;
	if (s->sws == NULL || memcmp(key, s->sws_key, sizeof(key)) != 0) {
		int *inv, *tab, sr, dr, br, co, sa;

		sws_freeContext(s->sws);
		s->sws = sws_getContext(in->width, in->height, in->format,
		    (int)dw, (int)dh, AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL,
		    NULL, NULL);
		if (s->sws == NULL) {
			av_frame_unref(s->crop);
			return note(s, "%s: video stream #%d: cannot scale "
			    "%dx%d %s to %dx%d", s->path, s->vi, in->width,
			    in->height, av_get_pix_fmt_name(in->format),
			    (int)dw, (int)dh);
		}
		/* Full-range sources come out in limited (studio) range. */
		if (range && sws_getColorspaceDetails(s->sws, &inv, &sr, &tab,
		    &dr, &br, &co, &sa) >= 0)
			sws_setColorspaceDetails(s->sws, inv, 1, tab, 0, br,
			    co, sa);
		memcpy(s->sws_key, key, sizeof(key));
	}
	/* The caller may still hold the last frame: draw into a new buffer
	 * then (all of it is drawn, so nothing needs copying). */
	if (!av_frame_is_writable(o) && (rc = out_picture(s, o)) < 0) {
		av_frame_unref(s->crop);
		return note(s, "%s: video stream #%d: %s", s->path, s->vi,
		    AVERR(rc));
	}
	if (dw != W || dh != H)
		fill_border(o, dx, dy, (int)dw, (int)dh);
	/* swscale wants 16-byte aligned planes: a picture that starts at a
	 * column that is not a multiple of 32 is scaled aside, then copied. */
	if (dx % 32 != 0) {
		rc = scale_aside(s, in, (int)dw, (int)dh, dx, dy);
		av_frame_unref(s->crop);
		if (rc < 0)
			return -1;
	} else {
		dst[0] = o->data[0] + (ptrdiff_t)dy * o->linesize[0] + dx;
		dst[1] = o->data[1] + (ptrdiff_t)(dy / 2) * o->linesize[1] +
		    dx / 2;
		dst[2] = o->data[2] + (ptrdiff_t)(dy / 2) * o->linesize[2] +
		    dx / 2;
		rc = sws_scale(s->sws, (const uint8_t *const *)in->data,
		    in->linesize, 0, in->height, dst, o->linesize);
		av_frame_unref(s->crop);
		if (rc <= 0)
			return note(s, "%s: video stream #%d: scaling failed",
			    s->path, s->vi);
	}
	if (alpha < ALPHA_ONE)
		fade_frame(o, alpha);
	o->sample_aspect_ratio = (AVRational){ 1, 1 };
	o->color_range = AVCOL_RANGE_MPEG;
	o->interlaced_frame = 0;
	o->top_field_first = 0;
	o->key_frame = 0;
	o->pict_type = AV_PICTURE_TYPE_NONE;
	return 0;
}

/* Audio */

static int
swr_setup(struct rv_source *s, const AVFrame *f)
{
	AVChannelLayout in = { 0 }, out = AV_CHANNEL_LAYOUT_STEREO;
	static const double dup[2] = { 1.0, 1.0 };
	int rc;

	swr_free(&s->swr);
	av_channel_layout_uninit(&s->swr_layout);
	if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
	    f->ch_layout.nb_channels <= 0)
		av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ?
		    f->ch_layout.nb_channels : 2);
	else if ((rc = av_channel_layout_copy(&in, &f->ch_layout)) < 0)
		return note(s, "%s: audio stream #%d: %s", s->path, s->ai,
		    AVERR(rc));
	rc = swr_alloc_set_opts2(&s->swr, &out, AV_SAMPLE_FMT_FLTP,
	    s->f.sample_rate, &in, f->format, f->sample_rate, 0, NULL);
	/* Mono is copied to both channels at full level (swresample's own
	 * upmix would put it at -3 dB). */
	if (rc >= 0 && in.nb_channels == 1)
		rc = swr_set_matrix(s->swr, dup, 1);
	if (rc >= 0)
		rc = swr_init(s->swr);
	av_channel_layout_uninit(&in);
	if (rc < 0) {
		swr_free(&s->swr);
		return note(s, "%s: audio stream #%d: cannot resample %d Hz "
		    "%d channels to %d Hz stereo: %s", s->path, s->ai,
		    f->sample_rate, f->ch_layout.nb_channels, s->f.sample_rate,
		    AVERR(rc));
	}
	if ((rc = av_channel_layout_copy(&s->swr_layout, &f->ch_layout)) < 0)
		return note(s, "%s: audio stream #%d: %s", s->path, s->ai,
		    AVERR(rc));
	s->swr_rate = f->sample_rate;
	s->swr_fmt = f->format;
	return 0;
}

static int
conv_reserve(struct rv_source *s, int n)
{
	float *p;
	int c;

	if (n <= s->conv_cap)
		return 0;
	for (c = 0; c < 2; c++) {
		if ((p = av_realloc_array(s->conv[c], n, sizeof(*p))) == NULL)
			return note(s, "%s: audio stream #%d: out of memory",
			    s->path, s->ai);
		s->conv[c] = p;
	}
	s->conv_cap = n;
	return 0;
}

static int
fifo_write(struct rv_source *s, float *l, float *r, int n)
{
	void *d[2] = { l, r };

	if (av_audio_fifo_write(s->fifo, d, n) < n)
		return note(s, "%s: audio stream #%d: out of memory", s->path,
		    s->ai);
	return 0;
}

static int
silence(struct rv_source *s, int64_t n)
{
	int c;

	while (n > 0) {
		c = n > (int64_t)(sizeof(zeros) / sizeof(zeros[0])) ?
		    (int)(sizeof(zeros) / sizeof(zeros[0])) : (int)n;
		if (fifo_write(s, zeros, zeros, c) < 0)
			return -1;
		n -= c;
	}
	return 0;
}

/*
 * Put n resampled samples (s->conv) on the output timeline.  fp is where
 * their source says they start (has_fp 0: right after the previous ones).
 * What falls before wpos (before the in-point, or an overlap) is dropped;
 * a gap before them becomes silence.
 */
static int
place(struct rv_source *s, int n, int64_t fp, int has_fp)
{
	int64_t sr = s->f.sample_rate, d, skip;

	if (!s->cpos_valid) {
		s->cpos = has_fp && fp - s->wpos < MAX_LEAD_IN * sr ?
		    fp : s->wpos;
		s->cpos_valid = 1;
	} else if (has_fp) {
		d = fp > s->cpos ? fp - s->cpos : s->cpos - fp;
		if (d > sr / MAX_AUDIO_DRIFT && d < MAX_AUDIO_JUMP * sr)
			s->cpos = fp;
	}
	if (s->cpos > s->wpos) {
		if (silence(s, s->cpos - s->wpos) < 0)
			return -1;
		s->wpos = s->cpos;
	}
	skip = s->wpos - s->cpos;
	if (skip < n) {
		if (fifo_write(s, s->conv[0] + skip, s->conv[1] + skip,
		    (int)(n - skip)) < 0)
			return -1;
		s->wpos = s->cpos + n;
	}
	s->cpos += n;
	return 0;
}

static int
swr_drain(struct rv_source *s)
{
	int n;

	if (s->swr == NULL)
		return 0;
	if (conv_reserve(s, swr_get_out_samples(s->swr, 0) + 1) < 0)
		return -1;
	n = swr_convert(s->swr, (uint8_t **)s->conv, s->conv_cap, NULL, 0);
	if (n < 0)
		return note(s, "%s: audio stream #%d: resampler: %s", s->path,
		    s->ai, AVERR(n));
	return place(s, n, 0, 0);
}

static int
audio_frame(struct rv_source *s, AVFrame *f)
{
	int64_t pts = f->best_effort_timestamp, fp = 0;
	int n;

	if (s->swr == NULL || f->sample_rate != s->swr_rate ||
	    f->format != s->swr_fmt ||
	    av_channel_layout_compare(&f->ch_layout, &s->swr_layout) != 0) {
		if (swr_drain(s) < 0 || swr_setup(s, f) < 0)
			return -1;
	}
	if (pts != AV_NOPTS_VALUE)
		fp = av_rescale_q_rnd(pts, s->ast->time_base,
		    (AVRational){ 1, s->f.sample_rate }, AV_ROUND_NEAR_INF) -
		    s->aorigin;
	if (conv_reserve(s, swr_get_out_samples(s->swr, f->nb_samples) + 1)
	    < 0)
		return -1;
	n = swr_convert(s->swr, (uint8_t **)s->conv, s->conv_cap,
	    (const uint8_t **)f->extended_data, f->nb_samples);
	if (n < 0)
		return note(s, "%s: audio stream #%d: resampler: %s", s->path,
		    s->ai, AVERR(n));
	return place(s, n, fp, pts != AV_NOPTS_VALUE);
}

/* One step of audio decoding: a frame resampled into the fifo, a packet
 * fed, or the end reached (s->aeof). */
static int
audio_step(struct rv_source *s)
{
	int rc;

	if (s->adec_eof) {
		s->aeof = 1;
		return swr_drain(s);
	}
	rc = avcodec_receive_frame(s->adec, s->aframe);
	if (rc == 0) {
		s->abad = 0;
		rc = audio_frame(s, s->aframe);
		av_frame_unref(s->aframe);
		return rc;
	}
	if (rc == AVERROR(EAGAIN)) {
		rc = feed(s, s->adec, s->aq, &s->aflushed, &s->abad, s->ast,
		    "audio");
		if (rc < 0)
			return -1;
		if (rc > 0 || s->abad > MAX_BAD)
			s->adec_eof = 1;
		return 0;
	}
	if (rc != AVERROR_EOF) {
		note(s, "%s: audio stream #%d: decode error: %s", s->path,
		    s->ai, AVERR(rc));
		if (++s->abad <= MAX_BAD)
			return 0;
	}
	s->adec_eof = 1;
	return 0;
}

static int
audio_fill(struct rv_source *s, int want)
{
	while (!s->aeof && av_audio_fifo_size(s->fifo) < want)
		if (audio_step(s) < 0)
			return -1;
	return 0;
}

/* Gain, then the fades, per sample of the segment: sample 0 of a fade-in
 * is silent, and so is the last sample before dur_ms of a fade-out. */
static void
shape(struct rv_source *s, float *const p[2], int n)
{
	int64_t sr = s->f.sample_rate, fi, fo, end, pos, left;
	float g;
	int i;

	fi = s->fade_in_ms * sr / 1000;
	fo = s->dur_ms > 0 ? s->fade_out_ms * sr / 1000 : 0;
	end = s->dur_ms * sr / 1000;
	if (s->gain == 1.0f && (fi == 0 || s->apos >= fi) &&
	    (fo == 0 || s->apos + n < end - fo))
		return;
	for (i = 0; i < n; i++) {
		pos = s->apos + i;
		g = s->gain;
		if (pos < fi)
			g *= (float)pos / (float)fi;
		if (fo > 0 && (left = end - pos - 1) < fo)
			g *= left > 0 ? (float)left / (float)fo : 0.0f;
		p[0][i] *= g;
		p[1][i] *= g;
	}
}

/* Opening and positioning */

static int
open_decoder(struct rv_source *s, AVStream *st, AVCodecContext **out,
    struct rv_err *err)
{
	const char *what = av_get_media_type_string(st->codecpar->codec_type);
	const AVCodec *codec;
	AVCodecContext *c;
	int rc;

	codec = avcodec_find_decoder(st->codecpar->codec_id);
	if (codec == NULL)
		return rv_errf(err, "%s: %s stream #%d: no decoder for %s",
		    s->path, what, st->index,
		    avcodec_get_name(st->codecpar->codec_id));
	if ((c = avcodec_alloc_context3(codec)) == NULL)
		return rv_errf(err, "%s: out of memory", s->path);
	*out = c;
	if ((rc = avcodec_parameters_to_context(c, st->codecpar)) < 0)
		return rv_errf(err, "%s: %s stream #%d: %s", s->path, what,
		    st->index, AVERR(rc));
	c->pkt_timebase = st->time_base;
	/* One thread: sources are decoded a frame per tick, and frame
	 * threads would only hold more frames (and two sources are open at
	 * a seam). */
	c->thread_count = 1;
	if ((rc = avcodec_open2(c, codec, NULL)) < 0)
		return rv_errf(err, "%s: %s stream #%d: cannot open %s "
		    "decoder: %s", s->path, what, st->index, codec->name,
		    AVERR(rc));
	return 0;
}

/* Forget everything decoded and seek the master stream to the keyframe at
 * or before ms into the file. */
static int
seek_to(struct rv_source *s, int64_t ms)
{
	int idx = s->vi >= 0 ? s->vi : s->ai;
	int64_t ts = s->origin + av_rescale_q(ms, (AVRational){ 1, 1000 },
	    s->otb);
	int rc;

	rc = av_seek_frame(s->fmt, idx, ts, AVSEEK_FLAG_BACKWARD);
	q_clear(s->vq);
	q_clear(s->aq);
	s->demux_eof = 0;
	if (s->vdec != NULL)
		avcodec_flush_buffers(s->vdec);
	if (s->adec != NULL)
		avcodec_flush_buffers(s->adec);
	s->vflushed = s->vdec_eof = s->veof = s->vbad = 0;
	s->aflushed = s->adec_eof = s->aeof = s->abad = 0;
	avfilter_graph_free(&s->graph);
	s->graph_eof = 0;
	s->need_key = s->need_key_pkt = 1;
	s->key_wait = s->pkt_wait = 0;
	s->min_pts = AV_NOPTS_VALUE;
	av_frame_unref(s->cur);
	av_frame_unref(s->nxt);
	s->have_cur = s->have_nxt = s->have_last = 0;
	swr_free(&s->swr);
	av_audio_fifo_reset(s->fifo);
	s->cpos_valid = 0;
	s->wpos = s->in_ms * s->f.sample_rate / 1000;
	if (rc < 0)
		return note(s, "%s: stream #%d: cannot seek to %" PRId64
		    " ms: %s", s->path, idx, ms, AVERR(rc));
	return 0;
}

/*
 * Seek to the in-point and decode the first frame after it.  When the
 * demuxer lands past the frame wanted (MPEG-TS seeks by bisection on
 * timestamps, not on an index of keyframes), seek again 1, 2, 4 … s
 * earlier, and at last from the start.
 */
static int
position(struct rv_source *s, struct rv_err *err)
{
	struct rv_rate out = s->f.rate;
	int64_t j0 = rv_src_frame_for(s->in_ms, 0, s->vrate, out);
	int64_t target = s->in_ms;
	int i, rc;

	for (i = 0;; i++) {
		if ((target > 0 || i > 0) && seek_to(s, target) < 0) {
			if (i > 0)
				return fail(s, err);
			/* Not seekable: read on from the start. */
			s->has_err = 0;
			target = 0;
		}
		if (s->vi < 0)
			return 0;
		if ((rc = next_frame(s)) < 0)
			return fail(s, err);
		if (rc > 0 && s->nxt_idx <= j0)
			return 0;
		if (target <= 0) {
			if (rc > 0)
				return 0;
			if (s->has_err)
				return fail(s, err);
			return rv_errf(err, "%s: video stream #%d: no frame "
			    "could be decoded", s->path, s->vi);
		}
		target = i < MAX_RESEEKS ? target - ((int64_t)1000 << i) : 0;
		if (target < 0)
			target = 0;
	}
}

/* A source is a regular file: a named pipe with no writer would block
 * open(2) for ever, and a device or socket is no media file. */
static int
check_regular(const char *path, struct rv_err *err)
{
	struct stat st;
	const char *kind;

	if (stat(path, &st) == -1)
		return rv_errf(err, "%s: cannot open: %s", path,
		    strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISFIFO(st.st_mode))
		kind = "a named pipe";
	else if (S_ISDIR(st.st_mode))
		kind = "a folder";
	else if (S_ISSOCK(st.st_mode))
		kind = "a socket";
	else
		kind = "a device";
	return rv_errf(err, "%s: cannot open: not a regular file (%s)",
	    path, kind);
}

int
rv_src_open(const char *path, int64_t in_ms, int64_t dur_ms, double gain_db,
    int64_t fade_in_ms, int64_t fade_out_ms, const struct rv_src_format *f,
    struct rv_source **out, struct rv_err *err)
{
	struct rv_source *s;
	AVDictionary *opts = NULL;
	AVStream *st;
	unsigned i;
	int rc;

	*out = NULL;
	if (f->width <= 0 || f->height <= 0 || f->width % 2 || f->height % 2 ||
	    f->rate.num <= 0 || f->rate.den <= 0 || f->sample_rate <= 0)
		return rv_errf(err, "%s: bad channel format %dx%d", path,
		    f->width, f->height);
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		free(s);
		return rv_errf(err, "%s: out of memory", path);
	}
	s->f = *f;
	s->in_ms = in_ms > 0 ? in_ms : 0;
	s->dur_ms = dur_ms;
	s->fade_in_ms = fade_in_ms > 0 ? fade_in_ms : 0;
	s->fade_out_ms = fade_out_ms > 0 ? fade_out_ms : 0;
	s->gain = (float)pow(10.0, gain_db / 20.0);
	s->vi = s->ai = -1;
	s->out_serial = -1;
	s->min_pts = AV_NOPTS_VALUE;
	s->wpos = s->in_ms * f->sample_rate / 1000;

	if (check_regular(path, err) < 0)
		goto bad;
	/* Only files: a path is never a URL, a pipe or a device. */
	if ((rc = av_dict_set(&opts, "protocol_whitelist", "file", 0)) < 0) {
		rv_errf(err, "%s: %s", path, AVERR(rc));
		goto bad;
	}
	rc = avformat_open_input(&s->fmt, path, NULL, &opts);
	av_dict_free(&opts);
	if (rc < 0) {
		rv_errf(err, "%s: cannot open: %s", path, AVERR(rc));
		goto bad;
	}
	if ((rc = avformat_find_stream_info(s->fmt, NULL)) < 0) {
		rv_errf(err, "%s: cannot read stream info: %s", path,
		    AVERR(rc));
		goto bad;
	}
	s->vi = av_find_best_stream(s->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL,
	    0);
	if (s->vi >= 0 && (s->fmt->streams[s->vi]->disposition &
	    AV_DISPOSITION_ATTACHED_PIC))
		s->vi = -1;
	s->ai = av_find_best_stream(s->fmt, AVMEDIA_TYPE_AUDIO, -1, s->vi,
	    NULL, 0);
	if (s->vi < 0)
		s->vi = -1;
	if (s->ai < 0)
		s->ai = -1;
	if (s->vi < 0 && s->ai < 0) {
		rv_errf(err, "%s: no audio or video stream", path);
		goto bad;
	}
	for (i = 0; i < s->fmt->nb_streams; i++)
		if ((int)i != s->vi && (int)i != s->ai)
			s->fmt->streams[i]->discard = AVDISCARD_ALL;

	s->pkt = av_packet_alloc();
	s->vq = av_fifo_alloc2(64, sizeof(AVPacket *), AV_FIFO_FLAG_AUTO_GROW);
	s->aq = av_fifo_alloc2(64, sizeof(AVPacket *), AV_FIFO_FLAG_AUTO_GROW);
	s->cur = av_frame_alloc();
	s->nxt = av_frame_alloc();
	s->crop = av_frame_alloc();
	s->out = av_frame_alloc();
	s->aside = av_frame_alloc();
	s->aframe = av_frame_alloc();
	s->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2,
	    f->sample_rate);
	if (s->pkt == NULL || s->vq == NULL || s->aq == NULL ||
	    s->cur == NULL || s->nxt == NULL || s->crop == NULL ||
	    s->out == NULL || s->aside == NULL || s->aframe == NULL ||
	    s->fifo == NULL) {
		rv_errf(err, "%s: out of memory", path);
		goto bad;
	}
	if ((rc = out_picture(s, s->out)) < 0) {
		rv_errf(err, "%s: %s", path, AVERR(rc));
		goto bad;
	}

	st = s->fmt->streams[s->vi >= 0 ? s->vi : s->ai];
	s->otb = st->time_base;
	s->origin = st->start_time;
	if (s->origin == AV_NOPTS_VALUE)
		s->origin = s->fmt->start_time == AV_NOPTS_VALUE ? 0 :
		    av_rescale_q(s->fmt->start_time, AV_TIME_BASE_Q, s->otb);
	s->aorigin = av_rescale_q_rnd(s->origin, s->otb,
	    (AVRational){ 1, f->sample_rate }, AV_ROUND_NEAR_INF);
	if (s->vi >= 0) {
		s->vst = s->fmt->streams[s->vi];
		if (open_decoder(s, s->vst, &s->vdec, err) < 0)
			goto bad;
		s->vrate = pick_rate(s->vst, &s->vfr);
		s->may_discard = can_discard(s->vst);
		switch (s->vst->codecpar->field_order) {
		case AV_FIELD_TT:
		case AV_FIELD_BB:
		case AV_FIELD_TB:
		case AV_FIELD_BT:
			s->deint = 1;
			break;
		default:
			break;
		}
	}
	if (s->ai >= 0) {
		s->ast = s->fmt->streams[s->ai];
		if (open_decoder(s, s->ast, &s->adec, err) < 0)
			goto bad;
	}
	if (position(s, err) < 0)
		goto bad;
	*out = s;
	return 0;
bad:
	rv_src_close(s);
	return -1;
}

/* Public: playing */

int
rv_src_video(struct rv_source *s, int64_t k, AVFrame **frame,
    struct rv_err *err)
{
	int64_t j;
	int rc, alpha;

	*frame = NULL;
	if (s->vi < 0)
		return 0;
	if (k < 0)
		return rv_errf(err, "%s: frame %" PRId64 " asked for", s->path,
		    k);
	j = rv_src_frame_for(s->in_ms, k, s->vrate, s->f.rate);
	if ((rc = advance(s, j)) < 0)
		return fail(s, err);
	if (rc == 0)
		return 0;
	alpha = video_alpha(s, k);
	if (s->out_serial != s->cur_serial || s->out_alpha != alpha) {
		if (scale(s, s->cur, alpha) < 0)
			return fail(s, err);
		s->out_serial = s->cur_serial;
		s->out_alpha = alpha;
	}
	s->out->pts = k;
	*frame = s->out;
	return 1;
}

int
rv_src_audio(struct rv_source *s, float *const planes[2], int n,
    struct rv_err *err)
{
	void *d[2] = { planes[0], planes[1] };
	int got = 0;

	if (n < 0)
		return rv_errf(err, "%s: %d samples asked for", s->path, n);
	if (s->ai >= 0) {
		if (audio_fill(s, n) < 0)
			return fail(s, err);
		got = av_audio_fifo_size(s->fifo);
		if (got > n)
			got = n;
		if (got > 0 && av_audio_fifo_read(s->fifo, d, got) < got)
			return rv_errf(err, "%s: audio stream #%d: fifo read "
			    "failed", s->path, s->ai);
	}
	memset(planes[0] + got, 0, (size_t)(n - got) * sizeof(float));
	memset(planes[1] + got, 0, (size_t)(n - got) * sizeof(float));
	shape(s, planes, n);
	s->apos += n;
	return got;
}

int
rv_src_prime(struct rv_source *s, struct rv_err *err)
{
	AVFrame *frame;

	if (rv_src_video(s, 0, &frame, err) < 0)
		return -1;
	if (s->ai >= 0 && audio_fill(s, PRIME_AUDIO_MS * s->f.sample_rate /
	    1000) < 0)
		return fail(s, err);
	return 0;
}

const char *
rv_src_error(const struct rv_source *s)
{
	return s->has_err ? s->err.msg : NULL;
}

void
rv_src_info(const struct rv_source *s, struct rv_src_info *info)
{
	memset(info, 0, sizeof(*info));
	if (s->vst != NULL) {
		info->has_video = 1;
		info->width = s->vst->codecpar->width;
		info->height = s->vst->codecpar->height;
		info->rate = s->vrate;
		info->mode = rv_fps_mapping(s->vrate, s->f.rate, &info->step);
		if (s->vfr && info->mode == RV_FPS_DROP) {
			info->mode = RV_FPS_CADENCE;
			info->step = 0;
		}
		info->vfr = s->vfr;
		info->interlaced = s->deint;
		info->frames = s->frames;
	}
	if (s->ast != NULL) {
		info->has_audio = 1;
		info->audio_channels = s->ast->codecpar->ch_layout.nb_channels;
		info->audio_rate = s->ast->codecpar->sample_rate;
	}
}

void
rv_src_close(struct rv_source *s)
{
	if (s == NULL)
		return;
	q_clear(s->vq);
	q_clear(s->aq);
	av_fifo_freep2(&s->vq);
	av_fifo_freep2(&s->aq);
	avcodec_free_context(&s->vdec);
	avcodec_free_context(&s->adec);
	avformat_close_input(&s->fmt);
	av_packet_free(&s->pkt);
	avfilter_graph_free(&s->graph);
	av_frame_free(&s->cur);
	av_frame_free(&s->nxt);
	av_frame_free(&s->crop);
	av_frame_free(&s->out);
	av_buffer_pool_uninit(&s->opool);
	av_frame_free(&s->aside);
	av_frame_free(&s->aframe);
	sws_freeContext(s->sws);
	swr_free(&s->swr);
	av_channel_layout_uninit(&s->swr_layout);
	if (s->fifo != NULL)
		av_audio_fifo_free(s->fifo);
	av_free(s->conv[0]);
	av_free(s->conv[1]);
	free(s->path);
	free(s);
}
