#include "air/encode.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/cpu.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>

#include "averr.h"

#define IO_BUF		(RV_ENC_IO_PACKETS * RV_ENC_TS_PACKET)
#define MAX_SIDE	8192
#define MIN_SIDE	16
#define MAX_VIDEO_KBPS	1000000		/* 2 * this * 1000 fits an int */
#define MIN_VIDEO_KBPS	50
#define MAX_AUDIO_KBPS	512
#define MIN_AUDIO_KBPS	16
#define MAX_GOP_SECONDS	60
#define MAX_SDT_NAME	255

static const AVRational pts_tb = { 1, RV_PTS_HZ };

/* x264's presets (x264_preset_names): libx264 only says "Error setting
 * preset" for any other name. */
static const char *const presets[] = {
	"ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
	"slow", "slower", "veryslow", "placebo"
};

struct rv_enc {
	struct rv_rate	 rate;
	int		 width, height, channels, sample_rate;
	rv_enc_write_fn	*write;
	void		*arg;

	AVCodecContext	*venc, *aenc;
	AVFormatContext	*mux;
	AVIOContext	*pb;
	AVStream	*vst, *ast;
	AVAudioFifo	*fifo;
	AVFrame		*aframe;
	AVPacket	*pkt;

	int64_t		 frames;	/* video frames submitted */
	int64_t		 vpackets;	/* video packets out of the encoder */
	int64_t		 samples;	/* audio samples submitted */
	int64_t		 aenc_samples;	/* audio samples sent to the encoder */
	int64_t		 offset;	/* 90 kHz, added to every timestamp */
	int		 force_idr;
	int		 finished;
	int		 failed;	/* a call failed: the session is over */
	int		 refused;	/* the write callback said -1 */

	/* PCR-only packets between frames, when a frame lasts longer than
	 * the 40 ms a PCR may be apart (below 25 frames/s): the 5.1 muxer
	 * in VBR mode writes a PCR only where a video PES starts. */
	int		 pcr_fill;
	int		 pcr_pid, audio_pid, pcr_cc;
	int		 have_pcr, have_delta;
	int64_t		 last_pcr;	/* 27 MHz */
	int64_t		 pcr_delta;	/* DTS*300 - PCR of the muxer's */
	uint8_t		 out[2 * IO_BUF];
};

#define PCR_WRAP	((INT64_C(1) << 33) * 300)
/* A PCR-only packet goes before an audio PES that starts this long after
 * the last PCR: with an AAC frame every 21.3 ms, none is ever more than
 * 15 + 21.3 ms apart. */
#define PCR_FILL_TICKS	(INT64_C(27000) * 15)

/* A muxer failure: the consumer's refusal, when that is what it was. */
static int
mux_errf(struct rv_enc *e, struct rv_err *err, int rc, const char *what)
{
	if (e->refused)
		return rv_errf(err, "encoder: %s: the TS consumer refused the "
		    "bytes", what);
	return rv_av_errf(err, rc, "encoder: %s", what);
}

/* The 33-bit PTS or DTS at p (5 bytes of a PES header). */
static int64_t
pes_ts(const uint8_t *p)
{
	return (int64_t)(p[0] >> 1 & 7) << 30 | (int64_t)p[1] << 22 |
	    (int64_t)(p[2] >> 1) << 15 | (int64_t)p[3] << 7 | p[4] >> 1;
}

/* The PTS (or the DTS when there is one) of the PES that starts in TS
 * packet p: 0 with *ts, -1 when there is none. */
static int
pes_start_ts(const uint8_t *p, int64_t *ts)
{
	int off = 4;

	if (!(p[1] & 0x40) || !(p[3] & 0x10))
		return -1;
	if (p[3] & 0x20)
		off += 1 + p[4];
	if (off + 19 > RV_ENC_TS_PACKET || p[off] != 0 || p[off + 1] != 0 ||
	    p[off + 2] != 1 || !(p[off + 7] & 0x80))
		return -1;
	*ts = pes_ts(p + off + ((p[off + 7] & 0xc0) == 0xc0 ? 14 : 9));
	return 0;
}

/* Follow the muxer's PCRs in packet p; before an audio PES that starts
 * too long after the last one, write a PCR-only packet to out.  Returns
 * the bytes written to out (0 or 188). */
static size_t
pcr_fill(struct rv_enc *e, const uint8_t *p, uint8_t *out)
{
	int pid = (p[1] & 0x1f) << 8 | p[2];
	int64_t pcr, ts, base;

	if (pid == e->pcr_pid) {
		if (p[3] & 0x10)
			e->pcr_cc = p[3] & 0x0f;
		if ((p[3] & 0x20) && p[4] >= 7 && (p[5] & 0x10)) {
			pcr = ((int64_t)p[6] << 25 | (int64_t)p[7] << 17 |
			    (int64_t)p[8] << 9 | (int64_t)p[9] << 1 |
			    p[10] >> 7) * 300 + ((p[10] & 1) << 8 | p[11]);
			e->last_pcr = pcr;
			e->have_pcr = 1;
			if (pes_start_ts(p, &ts) == 0) {
				e->pcr_delta = ts * 300 - pcr;
				e->have_delta = 1;
			}
		}
		return 0;
	}
	if (pid != e->audio_pid || !e->have_pcr || !e->have_delta ||
	    pes_start_ts(p, &ts) < 0)
		return 0;
	pcr = ((ts * 300 - e->pcr_delta) % PCR_WRAP + PCR_WRAP) % PCR_WRAP;
	if ((pcr - e->last_pcr + PCR_WRAP) % PCR_WRAP < PCR_FILL_TICKS ||
	    (pcr - e->last_pcr + PCR_WRAP) % PCR_WRAP > 27000000)
		return 0;
	/* Adaptation field only: the continuity counter stays. */
	memset(out, 0xff, RV_ENC_TS_PACKET);
	out[0] = 0x47;
	out[1] = (uint8_t)(e->pcr_pid >> 8 & 0x1f);
	out[2] = (uint8_t)(e->pcr_pid & 0xff);
	out[3] = (uint8_t)(0x20 | e->pcr_cc);
	out[4] = RV_ENC_TS_PACKET - 5;
	out[5] = 0x10;
	base = pcr / 300;
	out[6] = (uint8_t)(base >> 25);
	out[7] = (uint8_t)(base >> 17);
	out[8] = (uint8_t)(base >> 9);
	out[9] = (uint8_t)(base >> 1);
	out[10] = (uint8_t)((base & 1) << 7 | 0x7e | (pcr % 300) >> 8);
	out[11] = (uint8_t)(pcr % 300);
	e->last_pcr = pcr;
	return RV_ENC_TS_PACKET;
}

/* avio's write callback: whole TS packets to the caller. */
static int
ts_write(void *opaque, uint8_t *buf, int len)
{
	struct rv_enc *e = opaque;
	size_t n = 0, off;

	if (len <= 0)
		return 0;
	if (e->pcr_fill && len % RV_ENC_TS_PACKET == 0 && len <= IO_BUF) {
		for (off = 0; off < (size_t)len; off += RV_ENC_TS_PACKET) {
			n += pcr_fill(e, buf + off, e->out + n);
			memcpy(e->out + n, buf + off, RV_ENC_TS_PACKET);
			n += RV_ENC_TS_PACKET;
		}
		buf = e->out;
	} else
		n = (size_t)len;
	if (e->write(e->arg, buf, n) != 0) {
		e->refused = 1;
		return AVERROR(EIO);
	}
	return len;
}

static int
check_config(const struct rv_enc_config *c, struct rv_err *err)
{
	const char *provider, *name;
	size_t i;

	if (c->width < MIN_SIDE || c->width > MAX_SIDE ||
	    c->height < MIN_SIDE || c->height > MAX_SIDE)
		return rv_errf(err, "encoder: size %dx%d: each side must be "
		    "%d to %d", c->width, c->height, MIN_SIDE, MAX_SIDE);
	if (c->width % 2 != 0 || c->height % 2 != 0)
		return rv_errf(err, "encoder: size %dx%d: 4:2:0 needs an even "
		    "width and height", c->width, c->height);
	if (c->rate.num < 1 || c->rate.den < 1 ||
	    c->rate.num > RV_RATE_MAX || c->rate.den > RV_RATE_MAX)
		return rv_errf(err, "encoder: frame rate %lld/%lld: numerator "
		    "and denominator must be 1 to %d", (long long)c->rate.num,
		    (long long)c->rate.den, RV_RATE_MAX);
	if (c->channels < 0 || c->channels > RV_ENC_MAX_CHANNELS)
		return rv_errf(err, "encoder: %d audio channels: 1 or 2 only",
		    c->channels);
	if (c->preset != NULL) {
		for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
			if (strcmp(c->preset, presets[i]) == 0)
				break;
		if (i == sizeof(presets) / sizeof(presets[0]))
			return rv_errf(err, "encoder: x264 preset \"%s\" "
			    "unknown (ultrafast, superfast, veryfast, faster, "
			    "fast, medium, slow, slower, veryslow, placebo)",
			    c->preset);
	}
	if (c->video_kbps != 0 && (c->video_kbps < MIN_VIDEO_KBPS ||
	    c->video_kbps > MAX_VIDEO_KBPS))
		return rv_errf(err, "encoder: video bitrate %d kb/s: must be "
		    "%d to %d", c->video_kbps, MIN_VIDEO_KBPS, MAX_VIDEO_KBPS);
	if (c->audio_kbps != 0 && (c->audio_kbps < MIN_AUDIO_KBPS ||
	    c->audio_kbps > MAX_AUDIO_KBPS))
		return rv_errf(err, "encoder: audio bitrate %d kb/s: must be "
		    "%d to %d", c->audio_kbps, MIN_AUDIO_KBPS, MAX_AUDIO_KBPS);
	if (c->gop_seconds < 0 || c->gop_seconds > MAX_GOP_SECONDS)
		return rv_errf(err, "encoder: GOP of %d s: must be 1 to %d",
		    c->gop_seconds, MAX_GOP_SECONDS);
	if (c->threads < 0 || c->threads > 64)
		return rv_errf(err, "encoder: %d threads: must be 0 (auto) "
		    "to 64", c->threads);
	provider = c->provider != NULL ? c->provider : RV_ENC_PROVIDER;
	name = c->service_name != NULL ? c->service_name : provider;
	if (strlen(provider) > MAX_SDT_NAME || strlen(name) > MAX_SDT_NAME)
		return rv_errf(err, "encoder: service name and provider must "
		    "be at most %d bytes", MAX_SDT_NAME);
	return 0;
}

/* Fail unless every option in opts was taken: a misspelt or vanished
 * option would otherwise be ignored without a word. */
static int
all_taken(AVDictionary *opts, const char *who, struct rv_err *err)
{
	const AVDictionaryEntry *t;

	t = av_dict_get(opts, "", NULL, AV_DICT_IGNORE_SUFFIX);
	if (t != NULL)
		return rv_errf(err, "encoder: %s has no option \"%s\"", who,
		    t->key);
	return 0;
}

static int
open_video(struct rv_enc *e, const struct rv_enc_config *c,
    struct rv_err *err)
{
	const AVCodec *codec;
	AVCodecContext *v;
	AVDictionary *opts = NULL;
	int64_t kbps, gop;
	int rc;

	if ((codec = avcodec_find_encoder_by_name("libx264")) == NULL)
		return rv_errf(err, "encoder: libavcodec was built without "
		    "libx264");
	if ((v = e->venc = avcodec_alloc_context3(codec)) == NULL)
		return rv_errf(err, "encoder: out of memory");
	kbps = c->video_kbps != 0 ? c->video_kbps : RV_ENC_VIDEO_KBPS;
	gop = (c->gop_seconds != 0 ? c->gop_seconds : RV_ENC_GOP_SECONDS) *
	    e->rate.num / e->rate.den;
	if (gop < 1)
		gop = 1;
	if (gop > INT32_MAX)
		gop = INT32_MAX;
	v->width = c->width;
	v->height = c->height;
	v->pix_fmt = AV_PIX_FMT_YUV420P;
	v->sample_aspect_ratio = (AVRational){ 1, 1 };
	/* One tick per frame: pts is the frame count, x264 sees constant
	 * frame durations, and packets map to 90 kHz exactly (video_out). */
	v->time_base = (AVRational){ (int)e->rate.den, (int)e->rate.num };
	v->framerate = (AVRational){ (int)e->rate.num, (int)e->rate.den };
	v->gop_size = (int)gop;
	v->max_b_frames = 0;
	v->bit_rate = kbps * 1000;
	v->rc_max_rate = kbps * 1000;
	v->rc_buffer_size = (int)(2 * kbps * 1000);
	/* One thread per CPU, not libx264's 1.5: fewer frames in flight
	 * (bench/air.sh: 141.6 MB resident at 720p, not 163.5) for no loss
	 * of speed. */
	v->thread_count = c->threads != 0 ? c->threads : av_cpu_count();
	if ((rc = av_dict_set(&opts, "preset",
	    c->preset != NULL ? c->preset : RV_ENC_PRESET, 0)) < 0 ||
	    /* A forced keyframe is an IDR, not an open-GOP I frame. */
	    (rc = av_dict_set(&opts, "forced-idr", "1", 0)) < 0 ||
	    (rc = av_dict_set(&opts, "sc_threshold", "0", 0)) < 0 ||
	    (rc = av_dict_set(&opts, "x264-params",
	    "open-gop=0:repeat-headers=1", 0)) < 0) {
		av_dict_free(&opts);
		return rv_av_errf(err, rc, "encoder: libx264 options");
	}
	rc = avcodec_open2(v, codec, &opts);
	if (rc < 0) {
		av_dict_free(&opts);
		return rv_av_errf(err, rc, "encoder: cannot open libx264 for "
		    "%dx%d at %lld/%lld", c->width, c->height,
		    (long long)e->rate.num, (long long)e->rate.den);
	}
	rc = all_taken(opts, "libx264", err);
	av_dict_free(&opts);
	return rc;
}

static int
open_audio(struct rv_enc *e, const struct rv_enc_config *c,
    struct rv_err *err)
{
	const AVCodec *codec;
	AVCodecContext *a;
	const int *r;
	int rc;

	if ((codec = avcodec_find_encoder_by_name("aac")) == NULL)
		return rv_errf(err, "encoder: libavcodec has no aac encoder");
	for (r = codec->supported_samplerates; r != NULL && *r != 0; r++)
		if (*r == e->sample_rate)
			break;
	if (r == NULL || *r == 0)
		return rv_errf(err, "encoder: AAC has no sample rate of %d Hz",
		    e->sample_rate);
	if ((a = e->aenc = avcodec_alloc_context3(codec)) == NULL)
		return rv_errf(err, "encoder: out of memory");
	a->sample_fmt = AV_SAMPLE_FMT_FLTP;
	a->sample_rate = e->sample_rate;
	av_channel_layout_default(&a->ch_layout, e->channels);
	a->bit_rate = (int64_t)(c->audio_kbps != 0 ? c->audio_kbps :
	    RV_ENC_AUDIO_KBPS) * 1000;
	a->profile = FF_PROFILE_AAC_LOW;
	a->time_base = (AVRational){ 1, e->sample_rate };
	if ((rc = avcodec_open2(a, codec, NULL)) < 0)
		return rv_av_errf(err, rc, "encoder: cannot open the AAC encoder "
		    "for %d Hz, %d channels", e->sample_rate, e->channels);
	if (a->frame_size <= 0)
		return rv_errf(err, "encoder: the AAC encoder gave no frame "
		    "size");
	e->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, e->channels,
	    a->frame_size);
	if (e->fifo == NULL)
		return rv_errf(err, "encoder: out of memory");
	return 0;
}

static int
open_mux(struct rv_enc *e, const struct rv_enc_config *c,
    struct rv_err *err)
{
	AVDictionary *opts = NULL;
	const char *provider, *name;
	unsigned char *buf;
	int rc;

	rc = avformat_alloc_output_context2(&e->mux, NULL, "mpegts", NULL);
	if (rc < 0)
		return rv_av_errf(err, rc, "encoder: no mpegts muxer");
	if ((buf = av_malloc(IO_BUF)) == NULL)
		return rv_errf(err, "encoder: out of memory");
	e->pb = avio_alloc_context(buf, IO_BUF, 1, e, NULL, ts_write, NULL);
	if (e->pb == NULL) {
		av_free(buf);
		return rv_errf(err, "encoder: out of memory");
	}
	e->mux->pb = e->pb;
	e->mux->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_FLUSH_PACKETS;
	/* Every muxed packet leaves at once, and on a packet boundary. */
	e->mux->flush_packets = 1;
	e->mux->max_delay = RV_ENC_MUX_DELAY_MS * 1000;

	provider = c->provider != NULL ? c->provider : RV_ENC_PROVIDER;
	name = c->service_name != NULL ? c->service_name : provider;
	if ((rc = av_dict_set(&e->mux->metadata, "service_provider",
	    provider, 0)) < 0 ||
	    (rc = av_dict_set(&e->mux->metadata, "service_name", name,
	    0)) < 0)
		return rv_av_errf(err, rc, "encoder: muxer metadata");

	if ((e->vst = avformat_new_stream(e->mux, NULL)) == NULL ||
	    (e->ast = avformat_new_stream(e->mux, NULL)) == NULL)
		return rv_errf(err, "encoder: out of memory");
	if ((rc = avcodec_parameters_from_context(e->vst->codecpar,
	    e->venc)) < 0 ||
	    (rc = avcodec_parameters_from_context(e->ast->codecpar,
	    e->aenc)) < 0)
		return rv_av_errf(err, rc, "encoder: stream parameters");
	e->vst->time_base = pts_tb;
	e->ast->time_base = pts_tb;
	/* The PIDs, named (the muxer's defaults, but known here). */
	e->vst->id = 0x100;
	e->ast->id = 0x101;
	e->vst->avg_frame_rate = e->venc->framerate;

	/* Timestamps go in as rv-air made them (offset included): the
	 * muxer adds no delay of its own. */
	/* Below 25 frames/s a frame lasts longer than PCRs may be apart:
	 * every AAC frame its own PES, so that one starts often enough to
	 * put a PCR-only packet before (ts_write). */
	e->pcr_fill = (int64_t)c->rate.den * 1000 > (int64_t)c->rate.num * 40;
	if ((rc = av_dict_set(&opts, "mpegts_copyts", "1", 0)) < 0 ||
	    (e->pcr_fill && (rc = av_dict_set(&opts, "pes_payload_size", "0",
	    0)) < 0) ||
	    (rc = av_dict_set(&opts, "pcr_period", "20", 0)) < 0 ||
	    (rc = av_dict_set(&opts, "pat_period", "0.1", 0)) < 0 ||
	    (rc = av_dict_set(&opts, "sdt_period", "0.5", 0)) < 0) {
		av_dict_free(&opts);
		return rv_av_errf(err, rc, "encoder: muxer options");
	}
	rc = avformat_write_header(e->mux, &opts);
	if (rc < 0) {
		av_dict_free(&opts);
		return mux_errf(e, err, rc, "cannot start the MPEG-TS muxer");
	}
	rc = all_taken(opts, "the mpegts muxer", err);
	av_dict_free(&opts);
	if (rc != 0)
		return rc;
	e->pcr_pid = e->vst->id;
	e->audio_pid = e->ast->id;
	if (e->vst->time_base.num != 1 || e->vst->time_base.den != RV_PTS_HZ ||
	    e->ast->time_base.num != 1 || e->ast->time_base.den != RV_PTS_HZ)
		return rv_errf(err, "encoder: the mpegts muxer chose a time "
		    "base other than 1/90000");
	return 0;
}

int
rv_enc_open(const struct rv_enc_config *cfg, rv_enc_write_fn *write,
    void *arg, struct rv_enc **out, struct rv_err *err)
{
	struct rv_enc *e;

	*out = NULL;
	if (check_config(cfg, err) != 0)
		return -1;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return rv_errf(err, "encoder: out of memory");
	e->rate = cfg->rate;
	e->width = cfg->width;
	e->height = cfg->height;
	e->sample_rate = cfg->sample_rate != 0 ? cfg->sample_rate :
	    RV_ENC_SAMPLE_RATE;
	e->channels = cfg->channels != 0 ? cfg->channels : RV_ENC_CHANNELS;
	e->write = write;
	e->arg = arg;
	if ((e->pkt = av_packet_alloc()) == NULL ||
	    (e->aframe = av_frame_alloc()) == NULL) {
		rv_enc_free(e);
		return rv_errf(err, "encoder: out of memory");
	}
	if (open_video(e, cfg, err) != 0 || open_audio(e, cfg, err) != 0 ||
	    open_mux(e, cfg, err) != 0) {
		rv_enc_free(e);
		return -1;
	}
	/* The AAC priming, rounded up to the 90 kHz clock, keeps the first
	 * audio packet (pre-roll only) at or above the mux delay. */
	e->offset = av_rescale_rnd(e->aenc->initial_padding, RV_PTS_HZ,
	    e->sample_rate, AV_ROUND_UP) +
	    (int64_t)RV_ENC_MUX_DELAY_MS * RV_PTS_HZ / 1000;
	*out = e;
	return 0;
}

void
rv_enc_force_idr(struct rv_enc *e)
{
	e->force_idr = 1;
}

/* Packet timestamps from the encoder's time base to the TS's. */
static int
stamp(struct rv_enc *e, AVCodecContext *c, struct rv_err *err)
{
	AVPacket *p = e->pkt;
	int64_t n;

	if (p->pts == AV_NOPTS_VALUE || p->dts == AV_NOPTS_VALUE)
		return rv_errf(err, "encoder: %s packet without a timestamp",
		    c == e->venc ? "video" : "audio");
	if (c == e->venc) {
		/* pts, dts: frame numbers (no B-frames, so dts = pts). */
		if (p->dts < 0 || p->pts < p->dts)
			return rv_errf(err, "encoder: video packet with pts "
			    "%lld, dts %lld", (long long)p->pts,
			    (long long)p->dts);
		n = p->pts;
		p->pts = rv_frame_pts(n, e->rate) + e->offset;
		p->dts = rv_frame_pts(p->dts, e->rate) + e->offset;
		p->duration = rv_frame_pts(n + 1, e->rate) -
		    rv_frame_pts(n, e->rate);
		p->stream_index = e->vst->index;
		e->vpackets++;
	} else {
		/* Samples; the first packet's are negative (the priming). */
		p->pts = av_rescale_rnd(p->pts, RV_PTS_HZ, e->sample_rate,
		    AV_ROUND_DOWN) + e->offset;
		p->dts = av_rescale_rnd(p->dts, RV_PTS_HZ, e->sample_rate,
		    AV_ROUND_DOWN) + e->offset;
		p->duration = av_rescale_rnd(p->duration, RV_PTS_HZ,
		    e->sample_rate, AV_ROUND_DOWN);
		p->stream_index = e->ast->index;
	}
	return 0;
}

/* Everything the encoder has ready, into the muxer. */
static int
drain(struct rv_enc *e, AVCodecContext *c, struct rv_err *err)
{
	int rc;

	for (;;) {
		rc = avcodec_receive_packet(c, e->pkt);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			return 0;
		if (rc < 0)
			return rv_av_errf(err, rc, "encoder: %s encoder",
			    c == e->venc ? "libx264" : "AAC");
		if (stamp(e, c, err) != 0) {
			av_packet_unref(e->pkt);
			return -1;
		}
		rc = av_interleaved_write_frame(e->mux, e->pkt);
		if (rc < 0)
			return mux_errf(e, err, rc, "muxing");
	}
}

/* The session cannot go on after a failure, nor after finishing. */
static int
usable(struct rv_enc *e, struct rv_err *err)
{
	if (e->finished)
		return rv_errf(err, "encoder: the session is finished");
	if (e->failed)
		return rv_errf(err, "encoder: the session failed earlier");
	return 0;
}

static int
failed(struct rv_enc *e)
{
	e->failed = 1;
	return -1;
}

int
rv_enc_video(struct rv_enc *e, AVFrame *f, struct rv_err *err)
{
	int rc;

	if (usable(e, err) != 0)
		return -1;
	if (f->format != AV_PIX_FMT_YUV420P || f->width != e->width ||
	    f->height != e->height)
		return rv_errf(err, "encoder: video frame %lld is %dx%d %s; "
		    "the session takes %dx%d yuv420p", (long long)e->frames,
		    f->width, f->height, f->format >= 0 ?
		    av_get_pix_fmt_name(f->format) : "(no format)",
		    e->width, e->height);
	f->pts = e->frames;
	f->pict_type = e->force_idr ? AV_PICTURE_TYPE_I :
	    AV_PICTURE_TYPE_NONE;
	if ((rc = avcodec_send_frame(e->venc, f)) < 0) {
		rv_av_errf(err, rc, "encoder: libx264: frame %lld",
		    (long long)e->frames);
		return failed(e);
	}
	e->frames++;
	e->force_idr = 0;
	if (drain(e, e->venc, err) != 0)
		return failed(e);
	return 0;
}

/*
 * n samples from the FIFO into the AAC encoder, as a frame of `size`
 * samples (n <= size <= frame_size) whose tail is silence.
 */
static int
audio_frame(struct rv_enc *e, int n, int size, struct rv_err *err)
{
	AVFrame *f = e->aframe;
	int rc, got;

	f->format = AV_SAMPLE_FMT_FLTP;
	f->sample_rate = e->sample_rate;
	f->nb_samples = size;
	if ((rc = av_channel_layout_copy(&f->ch_layout,
	    &e->aenc->ch_layout)) < 0 ||
	    (rc = av_frame_get_buffer(f, 0)) < 0) {
		av_frame_unref(f);
		return rv_av_errf(err, rc, "encoder: audio frame");
	}
	got = av_audio_fifo_read(e->fifo, (void **)f->data, n);
	if (got != n) {
		av_frame_unref(f);
		if (got < 0)
			return rv_av_errf(err, got, "encoder: audio FIFO");
		return rv_errf(err, "encoder: audio FIFO gave %d of %d "
		    "samples", got, n);
	}
	if (size > n && (rc = av_samples_set_silence(f->data, n, size - n,
	    e->channels, AV_SAMPLE_FMT_FLTP)) < 0) {
		av_frame_unref(f);
		return rv_av_errf(err, rc, "encoder: audio padding");
	}
	f->pts = e->aenc_samples;
	rc = avcodec_send_frame(e->aenc, f);
	av_frame_unref(f);
	if (rc < 0)
		return rv_av_errf(err, rc, "encoder: AAC encoder: samples from "
		    "%lld", (long long)e->aenc_samples);
	e->aenc_samples += size;
	return drain(e, e->aenc, err);
}

int
rv_enc_audio(struct rv_enc *e, const float *const planes[], int samples,
    struct rv_err *err)
{
	void *data[RV_ENC_MAX_CHANNELS];
	int i, rc;

	if (usable(e, err) != 0)
		return -1;
	if (samples < 0)
		return rv_errf(err, "encoder: %d audio samples", samples);
	if (samples == 0)
		return 0;
	for (i = 0; i < e->channels; i++)
		data[i] = (void *)planes[i];
	rc = av_audio_fifo_write(e->fifo, data, samples);
	if (rc != samples) {
		if (rc < 0)
			rv_av_errf(err, rc, "encoder: audio FIFO");
		else
			rv_errf(err, "encoder: audio FIFO took %d of %d "
			    "samples", rc, samples);
		return failed(e);
	}
	e->samples += samples;
	while (av_audio_fifo_size(e->fifo) >= e->aenc->frame_size)
		if (audio_frame(e, e->aenc->frame_size,
		    e->aenc->frame_size, err) != 0)
			return failed(e);
	return 0;
}

int
rv_enc_finish(struct rv_enc *e, struct rv_err *err)
{
	int left, rc;

	if (usable(e, err) != 0)
		return -1;
	e->finished = 1;
	/* The last partial AAC frame: short if the encoder allows it
	 * (FFmpeg's does), else padded with silence to a whole frame. */
	if ((left = av_audio_fifo_size(e->fifo)) > 0 &&
	    audio_frame(e, left, e->aenc->codec->capabilities &
	    AV_CODEC_CAP_SMALL_LAST_FRAME ? left : e->aenc->frame_size,
	    err) != 0)
		return failed(e);
	if ((rc = avcodec_send_frame(e->aenc, NULL)) < 0) {
		rv_av_errf(err, rc, "encoder: draining the AAC encoder");
		return failed(e);
	}
	if (drain(e, e->aenc, err) != 0)
		return failed(e);
	if ((rc = avcodec_send_frame(e->venc, NULL)) < 0) {
		rv_av_errf(err, rc, "encoder: draining libx264");
		return failed(e);
	}
	if (drain(e, e->venc, err) != 0)
		return failed(e);
	if ((rc = av_write_trailer(e->mux)) < 0) {
		mux_errf(e, err, rc, "writing the trailer");
		return failed(e);
	}
	avio_flush(e->pb);
	if (e->pb->error < 0) {
		mux_errf(e, err, e->pb->error, "flushing");
		return failed(e);
	}
	return 0;
}

void
rv_enc_free(struct rv_enc *e)
{
	if (e == NULL)
		return;
	avcodec_free_context(&e->venc);
	avcodec_free_context(&e->aenc);
	/* Also the muxer's private state and interleaving queue when the
	 * session was not finished (its deinit). */
	avformat_free_context(e->mux);
	if (e->pb != NULL) {
		/* avio may have replaced the buffer it was given. */
		av_freep(&e->pb->buffer);
		avio_context_free(&e->pb);
	}
	if (e->fifo != NULL)
		av_audio_fifo_free(e->fifo);
	av_frame_free(&e->aframe);
	av_packet_free(&e->pkt);
	free(e);
}

int64_t
rv_enc_frames(const struct rv_enc *e)
{
	return e->frames;
}

int64_t
rv_enc_samples(const struct rv_enc *e)
{
	return e->samples;
}

int64_t
rv_enc_pending(const struct rv_enc *e)
{
	return e->frames - e->vpackets;
}

int64_t
rv_enc_pts_offset(const struct rv_enc *e)
{
	return e->offset;
}
