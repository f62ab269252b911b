#include "loudness.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>

#include "averr.h"
#include "db.h"
#include "progress.h"

/* The figure the ebur128 filter attaches to a frame each time it has
 * recomputed the integrated loudness (every 100 ms of audio). */
#define R128_INTEGRATED	"lavfi.r128.I"

/* The schema's ceiling for loudness_lufs. */
#define LOUDNESS_MAX	10.0

/* How often the collecting thread looks at `stop` while it waits. */
#define POLL_MS		100

/* One file being measured: the libav contexts one thread owns. */
struct meter {
	const char	*path;
	atomic_int	*quit;		/* non-zero: abandon; NULL: never */
	AVFormatContext	*fmt;
	AVCodecContext	*dec;
	AVFilterGraph	*graph;
	AVFilterContext	*src, *sink;
	AVPacket	*pkt;
	AVFrame		*frame, *out;
	int		 stream;
	/* The first decoded frame's format: the graph is built for it. */
	int		 format, rate;
	AVChannelLayout	 layout;
	int64_t		 decoded;	/* frames */
	int		 bad_packets;
	double		 lufs;
	int		 have_lufs;
};

static int
quitting(atomic_int *quit)
{
	return quit != NULL && atomic_load(quit) != 0;
}

/* libavformat's interrupt callback: lets a blocking read (a network
 * share, a stalled disk) end as soon as the run is stopped. */
static int
meter_interrupted(void *opaque)
{
	return quitting(opaque);
}

static int
meter_open(struct meter *m, struct rv_err *err)
{
	const AVCodec *codec;
	AVStream *st;
	unsigned i;
	int rc;

	m->pkt = av_packet_alloc();
	m->frame = av_frame_alloc();
	m->out = av_frame_alloc();
	m->fmt = avformat_alloc_context();
	if (m->pkt == NULL || m->frame == NULL || m->out == NULL ||
	    m->fmt == NULL)
		return rv_errf(err, "%s: out of memory", m->path);
	m->fmt->interrupt_callback.callback = meter_interrupted;
	m->fmt->interrupt_callback.opaque = m->quit;
	if ((rc = avformat_open_input(&m->fmt, m->path, NULL, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: cannot open", m->path);
	if ((rc = avformat_find_stream_info(m->fmt, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: cannot read stream info",
		    m->path);
	/* The first audio stream, as lib/probe reports it; the demuxer
	 * may drop every other stream's packets unread. */
	m->stream = -1;
	for (i = 0; i < m->fmt->nb_streams; i++) {
		st = m->fmt->streams[i];
		if (m->stream < 0 &&
		    st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO &&
		    !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
			m->stream = (int)i;
		else
			st->discard = AVDISCARD_ALL;
	}
	if (m->stream < 0)
		return rv_errf(err, "%s: no audio stream", m->path);
	st = m->fmt->streams[m->stream];
	codec = avcodec_find_decoder(st->codecpar->codec_id);
	if (codec == NULL)
		return rv_errf(err, "%s: audio stream %d: no decoder for %s",
		    m->path, m->stream, avcodec_get_name(st->codecpar->codec_id));
	if ((m->dec = avcodec_alloc_context3(codec)) == NULL)
		return rv_errf(err, "%s: out of memory", m->path);
	if ((rc = avcodec_parameters_to_context(m->dec, st->codecpar)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: bad parameters",
		    m->path, m->stream);
	m->dec->pkt_timebase = st->time_base;
	/* Files are measured in parallel, one thread each. */
	m->dec->thread_count = 1;
	if ((rc = avcodec_open2(m->dec, codec, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot open the "
		    "%s decoder", m->path, m->stream, codec->name);
	return 0;
}

/*
 * abuffer -> ebur128 -> abuffersink, for the format of the first decoded
 * frame (some decoders only know it then).  avfilter_graph_config()
 * inserts the conversion to the 48 kHz doubles the meter accepts.
 */
static int
meter_graph(struct meter *m, const AVFrame *f, struct rv_err *err)
{
	const AVFilter *abuffer, *ebur128, *abuffersink;
	AVBufferSrcParameters *par;
	AVFilterContext *meter;
	int rc;

	abuffer = avfilter_get_by_name("abuffer");
	ebur128 = avfilter_get_by_name("ebur128");
	abuffersink = avfilter_get_by_name("abuffersink");
	if (abuffer == NULL || ebur128 == NULL || abuffersink == NULL)
		return rv_errf(err, "%s: libavfilter lacks abuffer, ebur128 "
		    "or abuffersink", m->path);
	m->format = f->format;
	m->rate = f->sample_rate;
	if ((rc = av_channel_layout_copy(&m->layout, &f->ch_layout)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d", m->path,
		    m->stream);
	if ((m->graph = avfilter_graph_alloc()) == NULL)
		return rv_errf(err, "%s: out of memory", m->path);
	m->graph->nb_threads = 1;
	if ((m->src = avfilter_graph_alloc_filter(m->graph, abuffer,
	    "in")) == NULL ||
	    (par = av_buffersrc_parameters_alloc()) == NULL)
		return rv_errf(err, "%s: out of memory", m->path);
	par->format = f->format;
	par->sample_rate = f->sample_rate;
	par->time_base = m->fmt->streams[m->stream]->time_base;
	/* A layout known only by its channel count gets the usual layout
	 * for that count, so that the meter can weight the channels. */
	if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
		av_channel_layout_default(&par->ch_layout,
		    f->ch_layout.nb_channels);
		rc = 0;
	} else
		rc = av_channel_layout_copy(&par->ch_layout, &f->ch_layout);
	if (rc >= 0)
		rc = av_buffersrc_parameters_set(m->src, par);
	av_channel_layout_uninit(&par->ch_layout);
	av_free(par);
	if (rc < 0 || (rc = avfilter_init_str(m->src, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot set up "
		    "the filter input", m->path, m->stream);
	if ((rc = avfilter_graph_create_filter(&meter, ebur128, "ebur128",
	    "metadata=1", NULL, m->graph)) < 0 ||
	    (rc = avfilter_graph_create_filter(&m->sink, abuffersink, "out",
	    NULL, NULL, m->graph)) < 0)
		return rv_av_errf(err, rc, "%s: cannot create the loudness "
		    "meter", m->path);
	if ((rc = avfilter_link(m->src, 0, meter, 0)) < 0 ||
	    (rc = avfilter_link(meter, 0, m->sink, 0)) < 0 ||
	    (rc = avfilter_graph_config(m->graph, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot configure "
		    "the loudness meter", m->path, m->stream);
	return 0;
}

/* Take what the meter has passed through, keeping its latest figure:
 * after the end of the stream that is the whole file's. */
static int
meter_drain(struct meter *m, struct rv_err *err)
{
	const AVDictionaryEntry *e;
	int rc;

	for (;;) {
		rc = av_buffersink_get_frame(m->sink, m->out);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			return 0;
		if (rc < 0)
			return rv_av_errf(err, rc, "%s: audio stream %d: loudness "
			    "meter failed", m->path, m->stream);
		e = av_dict_get(m->out->metadata, R128_INTEGRATED, NULL, 0);
		if (e != NULL) {
			m->lufs = strtod(e->value, NULL);
			m->have_lufs = 1;
		}
		av_frame_unref(m->out);
	}
}

static int
meter_push(struct meter *m, AVFrame *f, struct rv_err *err)
{
	int rc;

	if (m->graph == NULL) {
		if (meter_graph(m, f, err) < 0)
			return -1;
	} else if (f->format != m->format || f->sample_rate != m->rate ||
	    av_channel_layout_compare(&f->ch_layout, &m->layout) != 0)
		return rv_errf(err, "%s: audio stream %d: sample format, rate "
		    "or channel layout changes mid-stream", m->path, m->stream);
	f->pts = f->best_effort_timestamp;
	if ((rc = av_buffersrc_add_frame(m->src, f)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot feed the "
		    "loudness meter", m->path, m->stream);
	return meter_drain(m, err);
}

/*
 * Decode one packet (NULL: flush the decoder) and meter its frames.  A
 * packet that does not decode is counted and skipped, as the ffmpeg
 * command line does: one damaged packet in a film should not leave it
 * unmeasured.
 */
static int
meter_decode(struct meter *m, const AVPacket *pkt, struct rv_err *err)
{
	int rc;

	rc = avcodec_send_packet(m->dec, pkt);
	if (rc == AVERROR_INVALIDDATA && pkt != NULL) {
		m->bad_packets++;
		return 0;
	}
	if (rc < 0 && rc != AVERROR_EOF)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot decode",
		    m->path, m->stream);
	for (;;) {
		rc = avcodec_receive_frame(m->dec, m->frame);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			return 0;
		if (rc == AVERROR_INVALIDDATA) {
			m->bad_packets++;
			return 0;
		}
		if (rc < 0)
			return rv_av_errf(err, rc, "%s: audio stream %d: cannot "
			    "decode", m->path, m->stream);
		m->decoded++;
		rc = meter_push(m, m->frame, err);
		av_frame_unref(m->frame);
		if (rc < 0)
			return -1;
	}
}

static int
meter_read(struct meter *m, struct rv_err *err)
{
	int rc;

	while ((rc = av_read_frame(m->fmt, m->pkt)) >= 0) {
		if (quitting(m->quit)) {
			av_packet_unref(m->pkt);
			return rv_errf(err, "%s: interrupted", m->path);
		}
		rc = 0;
		if (m->pkt->stream_index == m->stream)
			rc = meter_decode(m, m->pkt, err);
		av_packet_unref(m->pkt);
		if (rc < 0)
			return -1;
	}
	if (quitting(m->quit))
		return rv_errf(err, "%s: interrupted", m->path);
	if (rc != AVERROR_EOF)
		return rv_av_errf(err, rc, "%s: cannot read", m->path);
	if (meter_decode(m, NULL, err) < 0)
		return -1;
	if (m->decoded == 0)
		return rv_errf(err, "%s: audio stream %d: nothing decodes "
		    "(%d bad packets)", m->path, m->stream, m->bad_packets);
	if ((rc = av_buffersrc_add_frame(m->src, NULL)) < 0)
		return rv_av_errf(err, rc, "%s: audio stream %d: cannot end the "
		    "loudness meter", m->path, m->stream);
	return meter_drain(m, err);
}

static void
meter_close(struct meter *m)
{
	avfilter_graph_free(&m->graph);
	avcodec_free_context(&m->dec);
	avformat_close_input(&m->fmt);
	av_packet_free(&m->pkt);
	av_frame_free(&m->frame);
	av_frame_free(&m->out);
	av_channel_layout_uninit(&m->layout);
}

static int
measure(const char *path, atomic_int *quit, double *lufs,
    struct rv_err *err)
{
	struct meter m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.path = path;
	m.quit = quit;
	rc = meter_open(&m, err);
	if (rc == 0)
		rc = meter_read(&m, err);
	meter_close(&m);
	if (rc < 0)
		return -1;
	/* The meter starts at its absolute gate and stays there until a
	 * gating block is louder; a file too short for one never leaves. */
	if (!m.have_lufs || !isfinite(m.lufs) || m.lufs <= RV_LOUDNESS_SILENT)
		*lufs = RV_LOUDNESS_SILENT;
	else
		*lufs = m.lufs;
	return 0;
}

int
rv_loudness_measure(const char *path, double *lufs, struct rv_err *err)
{
	return measure(path, NULL, lufs, err);
}

double
rv_loudness_gain(double lufs, double target_lufs)
{
	double g;

	if (!isfinite(lufs) || !isfinite(target_lufs))
		return 0.0;
	g = round((target_lufs - lufs) * 100.0) / 100.0;
	if (g > RV_LOUDNESS_GAIN_MAX)
		return RV_LOUDNESS_GAIN_MAX;
	if (g < -RV_LOUDNESS_GAIN_MAX)
		return -RV_LOUDNESS_GAIN_MAX;
	/* -0.00 would read oddly in `rv-catalog show`. */
	return g == 0.0 ? 0.0 : g;
}

/* ---- the parallel run ---- */

enum job_status { JOB_PENDING, JOB_OK, JOB_FAILED, JOB_ABANDONED };

/* One asset to measure.  A worker owns it from taking it to publishing
 * it in pool.done; the collecting thread from then on. */
struct job {
	char		*id, *path;
	enum job_status	 status;
	double		 lufs;
	char		*why;		/* JOB_FAILED; NULL if out of memory */
};

/* Workers take jobs in order and append each finished one to done[];
 * the collecting thread reads done[] in that order. */
struct pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 finished;	/* done[] grew */
	struct job	*jobs;
	size_t		 njobs, next;
	size_t		*done;
	size_t		 ndone;
	atomic_int	 quit;
};

/* What the collecting thread needs to store a result. */
struct collector {
	sqlite3		*db;
	sqlite3_stmt	*update;
	double		 target;
	rv_catalog_warn_fn *warn;
	void		*arg;
	struct rv_loudness_stats stats;
	struct rv_progress progress;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct rv_err err;
	struct job *j;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		if (atomic_load(&p->quit) || p->next == p->njobs) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->lock);

		j = &p->jobs[i];
		if (measure(j->path, &p->quit, &j->lufs, &err) == 0)
			j->status = JOB_OK;
		else if (atomic_load(&p->quit))
			j->status = JOB_ABANDONED;
		else {
			j->status = JOB_FAILED;
			j->why = strdup(err.msg);
		}

		pthread_mutex_lock(&p->lock);
		p->done[p->ndone++] = i;
		pthread_cond_signal(&p->finished);
		pthread_mutex_unlock(&p->lock);
	}
}

static void
report(struct collector *c, const char *msg)
{
	c->stats.failed++;
	if (c->warn != NULL)
		c->warn(c->arg, msg);
}

/* Store one finished job, in its own transaction (the UPDATE alone). */
static int
store(struct collector *c, const struct job *j, struct rv_err *err)
{
	char msg[RV_ERR_MAX];
	int silent, rc;

	switch (j->status) {
	case JOB_OK:
		break;
	case JOB_FAILED:
		report(c, j->why != NULL ? j->why : "out of memory");
		rv_progress_step(&c->progress, 1);
		return 0;
	default:
		return 0;
	}
	rv_progress_step(&c->progress, 1);
	if (j->lufs > LOUDNESS_MAX) {
		snprintf(msg, sizeof(msg), "%s: loudness %.1f LUFS is above "
		    "the catalog's limit of %+.0f", j->path, j->lufs,
		    LOUDNESS_MAX);
		report(c, msg);
		return 0;
	}
	silent = j->lufs <= RV_LOUDNESS_SILENT;
	sqlite3_reset(c->update);
	sqlite3_bind_double(c->update, 1, j->lufs);
	if (silent)
		sqlite3_bind_null(c->update, 2);
	else
		sqlite3_bind_double(c->update, 2,
		    rv_loudness_gain(j->lufs, c->target));
	sqlite3_bind_text(c->update, 3, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->update, 4, j->path, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->update);
	sqlite3_reset(c->update);
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, c->db, "storing the loudness of %s",
		    j->id);
	if (sqlite3_changes(c->db) == 0) {
		/* A rescan or re-import moved the asset meanwhile: the
		 * figure is not its file's, so the next run measures it. */
		snprintf(msg, sizeof(msg), "%s: asset %s changed while it was "
		    "measured; not stored", j->path, j->id);
		report(c, msg);
		return 0;
	}
	if (silent)
		c->stats.skipped_silent++;
	else
		c->stats.measured++;
	return 0;
}

static void
pool_free(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->njobs; i++) {
		free(p->jobs[i].id);
		free(p->jobs[i].path);
		free(p->jobs[i].why);
	}
	free(p->jobs);
	free(p->done);
}

/* Every ready asset with audio and no loudness, in path order (which
 * keeps a folder's files together on disk). */
static int
select_jobs(sqlite3 *db, struct pool *p, struct rv_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	struct job *j;
	void *q;
	int rc;

	if (rv_db_prepare(db, "SELECT id, path FROM assets"
	    " WHERE state = 'ready' AND audio_codec IS NOT NULL"
	    " AND loudness_lufs IS NULL ORDER BY path, id", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->njobs == cap) {
			cap = cap ? 2 * cap : 256;
			q = reallocarray(p->jobs, cap, sizeof(*p->jobs));
			if (q == NULL)
				break;
			p->jobs = q;
		}
		j = &p->jobs[p->njobs];
		memset(j, 0, sizeof(*j));
		j->id = strdup((const char *)sqlite3_column_text(st, 0));
		j->path = strdup((const char *)sqlite3_column_text(st, 1));
		p->njobs++;
		if (j->id == NULL || j->path == NULL)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return rv_errf(err, "out of memory listing assets to measure");
	if (rc != SQLITE_DONE)
		return rv_db_errf(err, db, "listing assets to measure");
	if (p->njobs > 0 &&
	    (p->done = calloc(p->njobs, sizeof(*p->done))) == NULL)
		return rv_errf(err, "out of memory");
	return 0;
}

static int
stopped(volatile sig_atomic_t *stop)
{
	return stop != NULL && *stop != 0;
}

/* Store results as the workers publish them, until every job is in or
 * stop is set or storing fails.  Returns how many of done[] it took. */
static size_t
collect(struct pool *p, struct collector *c, volatile sig_atomic_t *stop,
    int *rc, struct rv_err *err)
{
	struct timespec ts;
	size_t seen = 0, i;

	*rc = 0;
	pthread_mutex_lock(&p->lock);
	while (seen < p->njobs && !stopped(stop)) {
		if (seen == p->ndone) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += POLL_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&p->finished, &p->lock, &ts);
			continue;
		}
		i = p->done[seen++];
		/* Workers go on while this thread writes. */
		pthread_mutex_unlock(&p->lock);
		*rc = store(c, &p->jobs[i], err);
		pthread_mutex_lock(&p->lock);
		if (*rc < 0)
			break;
	}
	pthread_mutex_unlock(&p->lock);
	return seen;
}

/* Start up to n workers with the termination signals blocked, so that
 * those reach the calling thread, which is the one polling stop. */
static size_t
start_workers(struct pool *p, pthread_t *tids, size_t n)
{
	sigset_t block, old;
	size_t started;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (started = 0; started < n; started++)
		if (pthread_create(&tids[started], NULL, worker, p) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started;
}

static size_t
worker_count(int jobs, size_t njobs)
{
	long ncpu;
	size_t n;

	if (jobs > 0)
		n = (size_t)jobs;
	else {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		n = ncpu > 0 ? (size_t)ncpu : 1;
	}
	return n < njobs ? n : njobs;
}

/* Measure p's jobs with worker threads, storing each result. */
static int
run_pool(struct pool *p, struct collector *c, int jobs,
    volatile sig_atomic_t *stop, struct rv_err *err)
{
	pthread_condattr_t ca;
	pthread_t *tids;
	size_t n, started, seen, i;
	int rc;

	n = worker_count(jobs, p->njobs);
	if ((tids = calloc(n, sizeof(*tids))) == NULL)
		return rv_errf(err, "out of memory");
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		free(tids);
		return rv_errf(err, "cannot create a mutex");
	}
	/* A monotonic wait: a clock step must not stall polling stop. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&p->finished, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0) {
		pthread_mutex_destroy(&p->lock);
		free(tids);
		return rv_errf(err, "cannot create a condition variable");
	}
	atomic_init(&p->quit, 0);

	rv_progress_start(&c->progress, "measuring loudness",
	    (int64_t)p->njobs);
	started = start_workers(p, tids, n);
	if (started == 0)
		rc = rv_errf(err, "cannot start a thread to measure loudness");
	else {
		seen = collect(p, c, stop, &rc, err);
		atomic_store(&p->quit, 1);
		for (i = 0; i < started; i++)
			pthread_join(tids[i], NULL);
		/* What finished before the workers noticed the stop. */
		while (rc == 0 && seen < p->ndone)
			rc = store(c, &p->jobs[p->done[seen++]], err);
		if (rc == 0 && seen < p->njobs)
			rc = rv_errf(err, "interrupted: %lld of %zu files done;"
			    " run again to measure the rest",
			    (long long)(c->stats.measured + c->stats.failed +
			    c->stats.skipped_silent), p->njobs);
	}
	rv_progress_end(&c->progress);
	pthread_cond_destroy(&p->finished);
	pthread_mutex_destroy(&p->lock);
	free(tids);
	return rc;
}

int
rv_loudness_run(sqlite3 *db, double target_lufs, int jobs,
    volatile sig_atomic_t *stop, rv_catalog_warn_fn *warn, void *arg,
    struct rv_loudness_stats *stats, struct rv_err *err)
{
	struct collector c;
	struct pool p;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	if (jobs < 0)
		return rv_errf(err, "loudness: jobs must be 0 (one per CPU) "
		    "or more, not %d", jobs);
	if (!isfinite(target_lufs))
		return rv_errf(err, "loudness: the target is not a number");
	c.db = db;
	c.target = target_lufs;
	c.warn = warn;
	c.arg = arg;
	rc = select_jobs(db, &p, err);
	if (rc == 0 && p.njobs > 0 && stopped(stop))
		rc = rv_errf(err, "interrupted: 0 of %zu files done; run "
		    "again to measure them", p.njobs);
	if (rc == 0 && p.njobs > 0)
		rc = rv_db_prepare(db, "UPDATE assets SET loudness_lufs = ?1,"
		    " gain_db = ?2 WHERE id = ?3 AND path = ?4", &c.update,
		    err);
	if (rc == 0 && p.njobs > 0)
		rc = run_pool(&p, &c, jobs, stop, err);
	sqlite3_finalize(c.update);
	pool_free(&p);
	if (stats != NULL)
		*stats = c.stats;
	return rc;
}
