#include "air/session.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>

#include "air/fence.h"
#include "json.h"

struct rv_air {
	struct rv_air_config	 cfg;
	struct rv_air_sink	 sink;
	struct rv_enc		*enc;
	int64_t			 epoch;
	int64_t			 tick;		/* next frame */
	int64_t			 seq;		/* evidence, +1 from 1 */
	int			 started;	/* session_start sent */
	AVFrame			*black, *held;
	int64_t			 held_tick;	/* when `held` was shown */
	float			*pcm[2];
	int			 pcm_cap;
	struct rv_air_counts	 counts;
	int64_t			 block_unfilled;	/* pad, filler frames */
	struct rv_src_format	 fmt;
	struct prefetch		*limbo;	/* given up while still opening */
	/* The next block's first segment, got ready during this block's
	 * last: its block, segment and in-point. */
	struct prefetch		*carry;
	char			*carry_block;
	int64_t			 carry_index, carry_in_ms;
};

const char *const rv_air_status_names[RV_AIR_NSTATUS] = { "aired",
	"truncated", "short", "substituted", "error" };
const double rv_air_fence_buckets[RV_AIR_FENCE_BUCKETS] = { 0.001, 0.017,
	0.034, 0.042, 0.1, 1 };

static int64_t
instant(const struct rv_air *a, int64_t tick)
{
	return a->epoch + rv_frame_ms(tick, a->cfg.enc.rate);
}

static int
stopping(const struct rv_air *a)
{
	return a->cfg.stop != NULL && *a->cfg.stop != 0;
}

static json_t *
event(struct rv_air *a, const char *kind, int64_t tick)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "kind", kind,
	    "channel", a->cfg.channel, "session", a->cfg.session, "seq",
	    (json_int_t)++a->seq, "utc_ms", (json_int_t)instant(a, tick),
	    "frame", (json_int_t)tick);
}

static int
marker(struct rv_air *a, const char *kind, int64_t tick, const char *block,
    int segment)
{
	json_t *m = json_pack("{s:s, s:I, s:I, s:I}", "kind", kind, "pts",
	    (json_int_t)(rv_frame_pts(tick, a->cfg.enc.rate) +
	    rv_enc_pts_offset(a->enc)), "utc_ms", (json_int_t)instant(a, tick),
	    "frame", (json_int_t)tick);

	if (block != NULL)
		json_object_set_new(m, "block_id", json_string(block));
	if (segment >= 0)
		json_object_set_new(m, "segment_index", json_integer(segment));
	return a->sink.marker(a->sink.arg, m);
}

static AVFrame *
black_frame(int w, int h)
{
	AVFrame *f = av_frame_alloc();
	int y;

	if (f == NULL)
		return NULL;
	f->format = AV_PIX_FMT_YUV420P;
	f->width = w;
	f->height = h;
	if (av_frame_get_buffer(f, 0) < 0) {
		av_frame_free(&f);
		return NULL;
	}
	for (y = 0; y < h; y++)
		memset(f->data[0] + y * f->linesize[0], 16, (size_t)w);
	for (y = 0; y < h / 2; y++) {
		memset(f->data[1] + y * f->linesize[1], 128, (size_t)w / 2);
		memset(f->data[2] + y * f->linesize[2], 128, (size_t)w / 2);
	}
	return f;
}

int
rv_air_open(const struct rv_air_config *cfg, const struct rv_air_sink *sink,
    int64_t epoch, struct rv_air **out, struct rv_err *err)
{
	struct rv_air *a;

	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return rv_errf(err, "out of memory");
	a->cfg = *cfg;
	a->sink = *sink;
	a->epoch = epoch;
	a->fmt.width = cfg->enc.width;
	a->fmt.height = cfg->enc.height;
	a->fmt.rate = cfg->enc.rate;
	a->fmt.sample_rate = cfg->enc.sample_rate ? cfg->enc.sample_rate :
	    48000;
	a->fmt.aspect = cfg->aspect;
	rv_prom_hist_init(&a->counts.fence_error, rv_air_fence_buckets,
	    RV_AIR_FENCE_BUCKETS);
	a->black = black_frame(cfg->enc.width, cfg->enc.height);
	a->held = av_frame_alloc();
	if (a->black == NULL || a->held == NULL) {
		rv_air_free(a);
		return rv_errf(err, "out of memory");
	}
	if (rv_enc_open(&cfg->enc, sink->ts, sink->arg, &a->enc, err) < 0) {
		rv_air_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

static int
pcm_room(struct rv_air *a, int n)
{
	float *p;
	int i;

	if (n <= a->pcm_cap)
		return 0;
	for (i = 0; i < 2; i++) {
		if ((p = realloc(a->pcm[i], (size_t)n * sizeof(float))) == NULL)
			return -1;
		a->pcm[i] = p;
	}
	a->pcm_cap = n;
	return 0;
}

/* One tick: this frame's picture (content, else the held frame for a
 * while, else black) and exactly its audio (the source's, else
 * silence). */
static int
tick(struct rv_air *a, struct rv_source *src, int64_t k, int *content,
    struct rv_err *err)
{
	int64_t n = rv_frame_samples(a->tick, a->cfg.enc.rate,
	    a->fmt.sample_rate);
	AVFrame *frame = NULL;
	int rc = 0;

	*content = 0;
	if (src != NULL && (rc = rv_src_video(src, k, &frame, err)) < 0)
		return -1;
	if (rc == 1) {
		*content = 1;
		a->counts.content++;
		av_frame_unref(a->held);
		if (av_frame_ref(a->held, frame) < 0)
			return rv_errf(err, "out of memory");
		a->held_tick = a->tick;
	} else if (src != NULL && a->held->data[0] != NULL &&
	    rv_frame_ms(a->tick - a->held_tick, a->cfg.enc.rate) <
	    a->cfg.hold_ms) {
		/* Content that ran short holds its last picture a moment;
		 * planned pad and a file that would not open are black. */
		frame = a->held;
		a->counts.held++;
	} else {
		frame = a->black;
		a->counts.pad++;
	}
	/* An IDR one second in gives a segmenter a short first segment,
	 * so that the first viewer of a session waits for little. */
	if (a->tick == rv_fence_frame(RV_MS_PER_SEC, a->cfg.enc.rate))
		rv_enc_force_idr(a->enc);
	if (rv_enc_video(a->enc, frame, err) < 0)
		return -1;
	if (pcm_room(a, (int)n) < 0)
		return rv_errf(err, "out of memory");
	if (src != NULL) {
		if (rv_src_audio(src, (float *const[]){ a->pcm[0], a->pcm[1] },
		    (int)n, err) < 0)
			return -1;
	} else {
		memset(a->pcm[0], 0, (size_t)n * sizeof(float));
		memset(a->pcm[1], 0, (size_t)n * sizeof(float));
	}
	if (rv_enc_audio(a->enc, (const float *const[]){ a->pcm[0],
	    a->pcm[1] }, (int)n, err) < 0)
		return -1;
	if (a->cfg.clock != NULL && a->cfg.clock->mode == RV_CLOCK_WALL) {
		/* Ticks before the clock's start are the --lead burst. */
		if (rv_clock_now(a->cfg.clock) > instant(a, a->tick + 1) &&
		    instant(a, a->tick + 1) > a->cfg.clock->start)
			a->counts.late++;
		rv_clock_sleep_until(a->cfg.clock, instant(a, a->tick + 1));
	}
	a->tick++;
	if (a->sink.poll != NULL)
		a->sink.poll(a->sink.arg);
	return 0;
}

static int
start_session(struct rv_air *a)
{
	json_t *e;

	if (a->started)
		return 0;
	a->started = 1;
	e = event(a, "session_start", a->tick);
	json_object_set_new(e, "fps", json_pack("{s:I, s:I}", "num",
	    (json_int_t)a->cfg.enc.rate.num, "den",
	    (json_int_t)a->cfg.enc.rate.den));
	a->sink.evidence(a->sink.arg, e);
	return marker(a, "session_start", a->tick, NULL, -1);
}

int
rv_air_pad(struct rv_air *a, int64_t until, struct rv_err *err)
{
	int content;

	if (start_session(a) < 0)
		return rv_errf(err, "writing a marker failed");
	while (a->tick < until && !stopping(a))
		if (tick(a, NULL, 0, &content, err) < 0)
			return -1;
	return 0;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A segment's source, opened, seeked and primed on a thread of its own
 * while the segment before it plays, so that a seam costs no stall.  The
 * job owns copies of all it reads.  A job still opening when its seam's
 * wait runs out (a path that hangs) goes to the session's limbo: the
 * same path is not tried again while it is there, so that a dead mount
 * costs one wait, not one per segment; it leaves limbo when its open
 * returns, and frees itself if the session ends first. */
struct prefetch {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int			 done, orphan;
	char			*uri;
	int64_t			 in_ms, dur_ms, fade_in, fade_out;
	double			 gain;
	struct rv_src_format	 fmt;
	struct rv_source	*src;
	int			 rc;
	struct rv_err		 err;
	struct prefetch		*next;	/* in limbo */
};

static void
prefetch_free(struct prefetch *p)
{
	rv_src_close(p->src);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->uri);
	free(p);
}

static int
prefetch_done(struct prefetch *p)
{
	int done;

	pthread_mutex_lock(&p->mu);
	done = p->done;
	pthread_mutex_unlock(&p->mu);
	return done;
}

static void *
prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	int orphan;

	p->rc = rv_src_open(p->uri, p->in_ms, p->dur_ms, p->gain, p->fade_in,
	    p->fade_out, &p->fmt, &p->src, &p->err);
	if (p->rc == 0 && rv_src_prime(p->src, &p->err) < 0) {
		/* A priming failure is the source's to report as it plays. */
		p->err.msg[0] = 0;
	}
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	orphan = p->orphan;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (orphan)
		prefetch_free(p);
	return NULL;
}

/* Free the jobs in limbo whose open has returned; 1 if uri is still
 * there. */
static int
limbo_reap(struct rv_air *a, const char *uri)
{
	struct prefetch **pp = &a->limbo, *p;
	int hung = 0;

	while ((p = *pp) != NULL) {
		if (prefetch_done(p)) {
			*pp = p->next;
			prefetch_free(p);
			continue;
		}
		if (uri != NULL && strcmp(p->uri, uri) == 0)
			hung = 1;
		pp = &p->next;
	}
	return hung;
}

/* Start getting seg ready in *slot: NULL for a segment with no file,
 * the job, or a job that is done already with the reason it failed. */
static void
prefetch_start(struct rv_air *a, struct prefetch **slot, const json_t *seg,
    const struct rv_seam *s)
{
	struct prefetch *p;
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t thread;
	int64_t fin = 0, fout = 0;
	const char *uri = str(seg, "uri");

	*slot = NULL;
	if (uri == NULL)
		return;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->uri = strdup(uri)) == NULL) {
		free(p);
		return;		/* taken as "out of memory" at the seam */
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	*slot = p;
	if (limbo_reap(a, uri)) {
		p->done = 1;
		p->rc = rv_errf(&p->err, "%s: an earlier open of it has not "
		    "returned: not tried again", uri);
		return;
	}
	rv_json_opt_int(seg, "fade_in_ms", &fin, NULL);
	rv_json_opt_int(seg, "fade_out_ms", &fout, NULL);
	p->in_ms = s->in_ms;
	p->dur_ms = s->dur_ms;
	/* A segment joined in its middle does not fade in; one that starts
	 * at its seam does, even when the seam's frame falls a few ms after
	 * the planned start. */
	p->fade_in = s->joined ? 0 : fin;
	p->fade_out = fout;
	p->gain = json_real_value(json_object_get(seg, "gain_db"));
	p->fmt = a->fmt;
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	/* Never on the tick thread: a path that hangs would hang it. */
	if (pthread_create(&thread, &ta, prefetch_main, p) != 0) {
		p->done = 1;
		p->rc = rv_errf(&p->err, "%s: cannot start a thread to open "
		    "it", uri);
	}
	pthread_attr_destroy(&ta);
}

/* Give up a job: free it if it is done, else put it in limbo. */
static void
prefetch_drop(struct rv_air *a, struct prefetch **slot)
{
	struct prefetch *p = *slot;

	*slot = NULL;
	if (p == NULL)
		return;
	if (prefetch_done(p)) {
		prefetch_free(p);
		return;
	}
	p->next = a->limbo;
	a->limbo = p;
}

/* The source of a prefetched segment, waiting for it at most timeout_ms:
 * 0 with *src (NULL for pad), or -1 with the reason there is none in
 * why. */
static int
prefetch_take(struct rv_air *a, struct prefetch **slot, const char *uri,
    int64_t timeout_ms, struct rv_source **src, char *why, size_t n)
{
	struct prefetch *p = *slot;
	struct timespec deadline;
	int64_t end;
	int rc, done;

	*src = NULL;
	if (p == NULL) {
		if (uri != NULL)
			snprintf(why, n, "%s: out of memory", uri);
		return uri != NULL ? -1 : 0;
	}
	/* In slices of 100 ms, so that a stop is not held up. */
	end = rv_mono_ms() + timeout_ms;
	pthread_mutex_lock(&p->mu);
	while (!p->done && rv_mono_ms() < end && !stopping(a)) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_nsec += 100000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &deadline);
	}
	done = p->done;
	pthread_mutex_unlock(&p->mu);
	if (!done) {
		snprintf(why, n, "%s: still opening after %lld ms: given up",
		    p->uri, (long long)timeout_ms);
		prefetch_drop(a, slot);
		return -1;
	}
	*src = p->src;
	p->src = NULL;
	if (p->rc < 0)
		snprintf(why, n, "%s", p->err.msg);
	rc = p->rc;
	prefetch_drop(a, slot);
	return rc < 0 ? -1 : 0;
}

/* Play one segment from its seam to the next; the evidence says how. */
static int
segment(struct rv_air *a, const json_t *plan, const json_t *seg,
    const struct rv_seam *s, struct rv_source *src, const char *why,
    struct rv_err *err)
{
	const char *uri = str(seg, "uri"), *type = str(seg, "type");
	const char *block = str(plan, "block_id");
	enum rv_air_status status;
	int64_t k, frames = 0, content_frames = 0;
	char reason[RV_ERR_MAX];
	json_t *e;
	int content;

	snprintf(reason, sizeof(reason), "%s", why);
	if (strcmp(type, "content") == 0)
		rv_enc_force_idr(a->enc);
	e = event(a, "segment_start", a->tick);
	json_object_set_new(e, "block_id", json_string(block));
	json_object_set_new(e, "segment_index", json_integer(s->index));
	json_object_set_new(e, "type", json_string(type));
	json_object_set_new(e, "in_ms", json_integer(s->in_ms));
	if (uri != NULL)
		json_object_set_new(e, "uri", json_string(uri));
	if (str(seg, "asset_id") != NULL)
		json_object_set_new(e, "asset_id",
		    json_string(str(seg, "asset_id")));
	a->sink.evidence(a->sink.arg, e);
	if (marker(a, "segment_start", a->tick, block, s->index) < 0)
		return rv_errf(err, "writing a marker failed");
	for (k = 0; a->tick < s->end_tick && !stopping(a); k++, frames++) {
		if (tick(a, src, k, &content, err) < 0) {
			rv_src_close(src);
			return -1;
		}
		content_frames += content;
	}
	if (stopping(a) && a->tick < s->end_tick) {
		status = RV_AIR_TRUNCATED;
		snprintf(reason, sizeof(reason), "stopped");
	} else if (uri != NULL && src == NULL)
		status = RV_AIR_SUBSTITUTED;
	else if (src != NULL && rv_src_error(src) != NULL) {
		status = RV_AIR_ERROR;
		snprintf(reason, sizeof(reason), "%s", rv_src_error(src));
	} else if (src != NULL && content_frames + 1 < frames)
		status = RV_AIR_SHORT;
	else
		status = RV_AIR_AIRED;
	rv_src_close(src);
	a->counts.segments[status]++;
	if (strcmp(type, "pad") == 0 || strcmp(type, "filler") == 0)
		a->block_unfilled += frames;
	e = event(a, "segment_end", a->tick);
	json_object_set_new(e, "block_id", json_string(block));
	json_object_set_new(e, "segment_index", json_integer(s->index));
	json_object_set_new(e, "type", json_string(type));
	json_object_set_new(e, "status", json_string(
	    rv_air_status_names[status]));
	json_object_set_new(e, "frames", json_integer(frames));
	json_object_set_new(e, "content_frames", json_integer(content_frames));
	/* Where in the asset it played: from the in-point, as many frames
	 * of the output's rate as came from it. */
	json_object_set_new(e, "in_ms", json_integer(s->in_ms));
	json_object_set_new(e, "out_ms", json_integer(s->in_ms +
	    rv_frame_ms(content_frames, a->cfg.enc.rate)));
	if (reason[0] != 0)
		json_object_set_new(e, "reason", json_string(reason));
	if (str(seg, "asset_id") != NULL)
		json_object_set_new(e, "asset_id",
		    json_string(str(seg, "asset_id")));
	a->sink.evidence(a->sink.arg, e);
	return 0;
}

/* The missing ads a block put on the air: its pad and filler, up to the
 * break time its plan says no spot fills (the rest is pad the grid
 * asked for, or a filler program). */
static void
unfilled(struct rv_air *a, const json_t *plan)
{
	int64_t ms = rv_frame_ms(a->block_unfilled, a->cfg.enc.rate);
	int64_t cap = json_integer_value(json_object_get(plan, "unfilled_ms"));

	a->counts.unfilled_ms += ms < cap ? ms : cap;
	a->block_unfilled = 0;
}

/* Seconds between the air time of the fence frame (the next tick) and the
 * end the plan asks for: under one frame when the fence is right. */
static double
fence_error(const struct rv_air *a, const json_t *plan)
{
	double air_us = (double)a->epoch * 1000 + (double)a->tick * 1e6 *
	    (double)a->cfg.enc.rate.den / (double)a->cfg.enc.rate.num;
	double end_us = (double)json_integer_value(json_object_get(plan,
	    "end_ms")) * 1000;

	return fabs(air_us - end_us) / 1e6;
}

/* What block_start says of the plan it plays, for the as-run to compare
 * with: the generation it was published in, and each segment's place.
 * A plan with no generation (a pad plan over a hole in the horizon) was
 * not published: it says nothing. */
static void
fed_plan(json_t *e, const json_t *plan)
{
	const json_t *segs = json_object_get(plan, "segments"), *s;
	json_t *g = json_object_get(plan, "generation"), *out, *o;
	int64_t at = json_integer_value(json_object_get(plan, "start_ms"));
	size_t i;

	if (!json_is_integer(g) || (out = json_array()) == NULL)
		return;
	json_array_foreach(segs, i, s) {
		int64_t dur = json_integer_value(json_object_get(s, "dur_ms"));

		o = json_pack("{s:O, s:O, s:I, s:I}", "index",
		    json_object_get(s, "index"), "type", json_object_get(s,
		    "type"), "start_ms", (json_int_t)at, "dur_ms",
		    (json_int_t)dur);
		if (o != NULL && json_object_get(s, "title") != NULL)
			json_object_set(o, "title", json_object_get(s,
			    "title"));
		json_array_append_new(out, o);
		at += dur;
	}
	json_object_set(e, "generation", g);
	json_object_set_new(e, "plan", out);
	/* A plan cut short (rv-blockfeed --until) ends before its block. */
	json_object_set_new(e, "plan_end_ms", json_integer(at));
}

/* While the last segment of a block that ends on fence plays: start
 * getting the next plan's first segment ready, if a next plan has come. */
static void
carry_start(struct rv_air *a, int64_t fence)
{
	struct rv_block_ticks nb;
	struct rv_err err;
	json_t *next;
	const char *block;

	if (a->sink.peek == NULL || a->carry != NULL ||
	    (next = a->sink.peek(a->sink.arg)) == NULL)
		return;
	block = str(next, "block_id");
	if (block != NULL && rv_block_ticks(next, a->epoch, a->cfg.enc.rate,
	    fence, -1, &nb, &err) == 0) {
		if (nb.n > 0 && (a->carry_block = strdup(block)) != NULL) {
			a->carry_index = nb.seams[0].index;
			a->carry_in_ms = nb.seams[0].in_ms;
			prefetch_start(a, &a->carry, json_array_get(
			    json_object_get(next, "segments"),
			    (size_t)nb.seams[0].index), &nb.seams[0]);
		}
		rv_block_ticks_free(&nb);
	}
	json_decref(next);
}

/* The source got ready for seam s of block (carry_start), or the start
 * of getting it ready now. */
static void
carry_take(struct rv_air *a, struct prefetch **slot, const char *block,
    const json_t *seg, const struct rv_seam *s)
{
	if (a->carry_block != NULL && block != NULL &&
	    strcmp(a->carry_block, block) == 0 &&
	    a->carry_index == s->index && a->carry_in_ms == s->in_ms) {
		*slot = a->carry;
		a->carry = NULL;
	} else {
		prefetch_drop(a, &a->carry);
		prefetch_start(a, slot, seg, s);
	}
	free(a->carry_block);
	a->carry_block = NULL;
}

int
rv_air_block(struct rv_air *a, const json_t *plan, struct rv_err *err)
{
	const json_t *segs = json_object_get(plan, "segments");
	const char *block = str(plan, "block_id");
	struct prefetch *pf[2] = { NULL, NULL };
	struct rv_block_ticks b;
	struct rv_source *src;
	const json_t *seg;
	char why[RV_ERR_MAX];
	int64_t join = -1, start, t0;
	json_t *e;
	int i, rc = 0, first = 1;

	if (rv_json_opt_int(plan, "join_ms", &join, err) < 0)
		return -1;
	if (a->started)
		join = -1;	/* only a session's first plan joins */
	if (rv_block_ticks(plan, a->epoch, a->cfg.enc.rate, a->tick, join, &b,
	    err) < 0)
		return -1;
	if (start_session(a) < 0) {
		rv_block_ticks_free(&b);
		return rv_errf(err, "writing a marker failed");
	}
	/* A plan that starts later than the last fence: pad the hole. */
	if (b.start_tick > a->tick && rv_air_pad(a, b.start_tick, err) < 0) {
		rv_block_ticks_free(&b);
		return -1;
	}
	start = a->tick;
	rv_enc_force_idr(a->enc);
	e = event(a, "block_start", start);
	json_object_set_new(e, "block_id", json_string(block));
	json_object_set_new(e, "fence_frame", json_integer(b.fence_tick));
	fed_plan(e, plan);
	a->sink.evidence(a->sink.arg, e);
	if (marker(a, "block_start", start, block, -1) < 0) {
		rv_block_ticks_free(&b);
		return rv_errf(err, "writing a marker failed");
	}
	for (i = 0; i < b.n && rc == 0 && !stopping(a); i++) {
		struct rv_seam *s = &b.seams[i];

		/* A seam already passed (a late plan) starts now. */
		if (s->tick < a->tick)
			s->tick = a->tick;
		if (s->end_tick <= a->tick) {
			prefetch_drop(a, &pf[i % 2]);
			continue;
		}
		if (first) {
			carry_take(a, &pf[i % 2], block, json_array_get(segs,
			    (size_t)s->index), s);
			first = 0;
		}
		seg = json_array_get(segs, (size_t)s->index);
		/* A missing or broken file never stops the channel.  Time
		 * spent here waiting for the source is a stall at the seam. */
		t0 = rv_mono_ms();
		why[0] = 0;
		prefetch_take(a, &pf[i % 2], str(seg, "uri"),
		    a->cfg.open_timeout_ms > 0 ? a->cfg.open_timeout_ms :
		    RV_AIR_OPEN_TIMEOUT_MS, &src, why, sizeof(why));
		a->counts.seam_stall_s += (double)(rv_mono_ms() - t0) / 1000;
		/* While this one plays, the next one gets ready: in this
		 * block, or the next block's first. */
		if (i + 1 < b.n)
			prefetch_start(a, &pf[(i + 1) % 2], json_array_get(segs,
			    (size_t)b.seams[i + 1].index), &b.seams[i + 1]);
		else
			carry_start(a, b.fence_tick);
		rc = segment(a, plan, seg, s, src, why, err);
	}
	prefetch_drop(a, &pf[0]);
	prefetch_drop(a, &pf[1]);
	if (rc == 0 && a->tick < b.fence_tick)
		rc = rv_air_pad(a, b.fence_tick, err);
	if (rc == 0 && !stopping(a)) {
		e = event(a, "block_fence", a->tick);
		json_object_set_new(e, "block_id", json_string(block));
		json_object_set_new(e, "frames", json_integer(a->tick - start));
		a->sink.evidence(a->sink.arg, e);
		a->counts.blocks++;
		rv_prom_observe(&a->counts.fence_error, fence_error(a, plan));
	}
	rv_block_ticks_free(&b);
	unfilled(a, plan);
	return rc;
}

int64_t
rv_air_tick(const struct rv_air *a)
{
	return a->tick;
}

int
rv_air_finish(struct rv_air *a, const char *reason, struct rv_err *err)
{
	json_t *e;

	if (a->started) {
		e = event(a, "session_end", a->tick);
		json_object_set_new(e, "reason", json_string(reason));
		a->sink.evidence(a->sink.arg, e);
	}
	return rv_enc_finish(a->enc, err);
}

void
rv_air_counts(const struct rv_air *a, struct rv_air_counts *c)
{
	*c = a->counts;
}

void
rv_air_free(struct rv_air *a)
{
	struct prefetch *p;
	int done;

	if (a == NULL)
		return;
	prefetch_drop(a, &a->carry);
	free(a->carry_block);
	limbo_reap(a, NULL);
	/* Opens that have still not returned free themselves if they do. */
	while ((p = a->limbo) != NULL) {
		a->limbo = p->next;
		pthread_mutex_lock(&p->mu);
		done = p->done;
		p->orphan = 1;
		pthread_mutex_unlock(&p->mu);
		if (done)
			prefetch_free(p);
	}
	rv_enc_free(a->enc);
	av_frame_free(&a->black);
	av_frame_free(&a->held);
	free(a->pcm[0]);
	free(a->pcm[1]);
	free(a);
}
