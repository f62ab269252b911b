#include "probe.h"

#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>

#include "averr.h"

static const char *
field_order_name(enum AVFieldOrder fo)
{
	switch (fo) {
	case AV_FIELD_PROGRESSIVE:
		return "progressive";
	case AV_FIELD_TT:
		return "tt";
	case AV_FIELD_BB:
		return "bb";
	case AV_FIELD_TB:
		return "tb";
	case AV_FIELD_BT:
		return "bt";
	default:
		return "unknown";
	}
}

static void
probe_video(const AVStream *st, struct rv_probe *p)
{
	const AVCodecParameters *cp = st->codecpar;
	AVRational r = st->avg_frame_rate;

	p->has_video = 1;
	strlcpy(p->video_codec, avcodec_get_name(cp->codec_id),
	    sizeof(p->video_codec));
	p->width = cp->width;
	p->height = cp->height;
	/* avg_frame_rate is what the file plays at; r_frame_rate is the
	 * base a field-coded stream may double, so it is the fallback. */
	if (r.num <= 0 || r.den <= 0)
		r = st->r_frame_rate;
	if (r.num > 0 && r.den > 0) {
		av_reduce(&r.num, &r.den, r.num, r.den, INT32_MAX);
		p->fps_num = r.num;
		p->fps_den = r.den;
	}
	strlcpy(p->field_order, field_order_name(cp->field_order),
	    sizeof(p->field_order));
	p->sar_num = cp->sample_aspect_ratio.num > 0 ?
	    cp->sample_aspect_ratio.num : 1;
	p->sar_den = cp->sample_aspect_ratio.den > 0 ?
	    cp->sample_aspect_ratio.den : 1;
}

static void
probe_audio(const AVStream *st, struct rv_probe *p)
{
	const AVCodecParameters *cp = st->codecpar;

	p->has_audio = 1;
	strlcpy(p->audio_codec, avcodec_get_name(cp->codec_id),
	    sizeof(p->audio_codec));
	p->audio_channels = cp->ch_layout.nb_channels;
	p->audio_rate = cp->sample_rate;
}

static int
probe_chapters(const AVFormatContext *fmt, struct rv_probe *p,
    struct rv_err *err)
{
	const AVDictionaryEntry *t;
	unsigned i;

	if (fmt->nb_chapters == 0)
		return 0;
	p->chapters = calloc(fmt->nb_chapters, sizeof(*p->chapters));
	if (p->chapters == NULL)
		return rv_errf(err, "out of memory");
	for (i = 0; i < fmt->nb_chapters; i++) {
		const AVChapter *c = fmt->chapters[i];
		struct rv_chapter *out = &p->chapters[p->nchapters];

		out->start_ms = av_rescale_q(c->start, c->time_base,
		    (AVRational){ 1, 1000 });
		out->end_ms = av_rescale_q(c->end, c->time_base,
		    (AVRational){ 1, 1000 });
		t = av_dict_get(c->metadata, "title", NULL, 0);
		if (t != NULL && (out->title = strdup(t->value)) == NULL)
			return rv_errf(err, "out of memory");
		p->nchapters++;
	}
	return 0;
}

int
rv_probe_file(const char *path, struct rv_probe *p, struct rv_err *err)
{
	AVFormatContext *fmt = NULL;
	unsigned i;
	int rc;

	memset(p, 0, sizeof(*p));
	strlcpy(p->field_order, "unknown", sizeof(p->field_order));
	rc = avformat_open_input(&fmt, path, NULL, NULL);
	if (rc < 0)
		return rv_av_errf(err, rc, "%s: cannot open", path);
	rc = avformat_find_stream_info(fmt, NULL);
	if (rc < 0) {
		avformat_close_input(&fmt);
		return rv_av_errf(err, rc, "%s: cannot read stream info", path);
	}
	strlcpy(p->container, fmt->iformat->name, sizeof(p->container));
	if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
		p->duration_ms = av_rescale(fmt->duration, 1000, AV_TIME_BASE);
	for (i = 0; i < fmt->nb_streams; i++) {
		const AVStream *st = fmt->streams[i];

		if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
			continue;
		if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
		    !p->has_video)
			probe_video(st, p);
		else if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO &&
		    !p->has_audio)
			probe_audio(st, p);
	}
	rc = probe_chapters(fmt, p, err);
	avformat_close_input(&fmt);
	if (rc < 0) {
		rv_probe_free(p);
		return rv_errctx(err, "%s", path);
	}
	if (!p->has_video && !p->has_audio) {
		rv_probe_free(p);
		return rv_errf(err, "%s: no audio or video stream", path);
	}
	if (p->duration_ms <= 0) {
		rv_probe_free(p);
		return rv_errf(err, "%s: no duration", path);
	}
	return 0;
}

void
rv_probe_free(struct rv_probe *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nchapters; i++)
		free(p->chapters[i].title);
	free(p->chapters);
	p->chapters = NULL;
	p->nchapters = 0;
}
