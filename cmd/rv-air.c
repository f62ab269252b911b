/*
 * rv-air — the playout engine: block plans in, MPEG-TS out, one frame per
 * tick, fences that never move, execution evidence (rv-air(1)).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libavutil/log.h>
#include <sqlite3.h>

#include "air/session.h"
#include "blockplan.h"
#include "channel.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "frame.h"
#include "json.h"
#include "metrics.h"

static const char usage[] =
    "usage: rv-air [-C FILE] [--clock wall|fast] [--evidence PATH]\n"
    "              [--journal DIR]\n"
    "              [--size WxH] [--rate R] [--preset P] [--bitrate KBPS]\n"
    "              [--lead MS] [--open-timeout MS]\n"
    "  reads B frames on stdin, writes H, T and M frames on stdout and E\n"
    "  frames to the evidence FIFO or file.\n";

#define QUEUE_MAX	4096	/* evidence events held for a slow reader */
#define EVIDENCE_LAST_MS 2000	/* at the end, how long to wait for one */

/* Plans read by the input thread, for the tick loop. */
struct inbox {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	json_t		*plans;		/* array, oldest first */
	int		 eof, failed;
	char		 why[RV_ERR_MAX];
};

/* Evidence on its way to PATH, written by its own thread; with a
 * journal folder, each event is first appended to <session>.ev there, so
 * that an rv-asrun that restarts can take up what it never committed. */
struct outbox {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	const char	*path;
	const char	*journal;	/* folder, or NULL */
	json_t		*queue;
	int		 done;
	long		 dropped;
	long		 events;
	long		 journal_failed;	/* events not journaled */
};

/* Append event e (its canonical text) to the session's journal file,
 * once: *jfd is opened at the first event, *last is the last sequence
 * number journaled. */
static void
journal(struct outbox *o, const json_t *e, const char *text, int *jfd,
    int64_t *last)
{
	char p[4096];
	struct rv_err err;
	const char *session = json_string_value(json_object_get(e,
	    "session"));
	int64_t seq = json_integer_value(json_object_get(e, "seq"));

	if (o->journal == NULL || seq <= *last)
		return;
	*last = seq;
	if (*jfd < 0 && session != NULL) {
		snprintf(p, sizeof(p), "%s/%s.ev", o->journal, session);
		if ((*jfd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0644)) < 0 && o->journal_failed == 0)
			rv_warnx("%s: %s (evidence goes on unjournaled)", p,
			    strerror(errno));
	}
	if (*jfd < 0 || rv_frame_write(*jfd, 'E', text, strlen(text),
	    &err) < 0) {
		if (*jfd >= 0 && o->journal_failed == 0)
			rv_warnx("journal: %s (evidence goes on)", err.msg);
		o->journal_failed++;	/* the writer's alone */
	}
}

struct out {
	struct inbox	*in;
	int		 timeout_ms;
	int		 failed;
	struct rv_err	 err;
	struct outbox	*evidence;
	/* The metrics file: the session's counts, and the encoder speed
	 * over the last interval. */
	struct rv_metrics mx;
	struct rv_air	*air;
	const char	*channel;
	struct rv_rate	 rate;
	int64_t		 last_ms, last_frames;
	double		 speed;
};

static void *
reader(void *arg)
{
	struct inbox *in = arg;
	struct rv_frame_reader *r = malloc(sizeof(*r));
	struct rv_frame f = { 0 };
	struct rv_err err;
	json_t *j;
	int rc;

	if (r == NULL)
		goto out;
	rv_frame_reader_init(r, STDIN_FILENO, "stdin");
	while ((rc = rv_frame_read(r, &f, &err)) == 1) {
		if (f.type == 'Z')
			break;
		if (f.type != 'B')
			continue;	/* H, and types we do not know */
		if ((j = rv_frame_json(&f, &err)) == NULL ||
		    rv_blockplan_check(j, &err) < 0) {
			rv_warnx("stdin: frame %lld: %s (plan skipped)",
			    (long long)r->frames, err.msg);
			json_decref(j);
			continue;
		}
		pthread_mutex_lock(&in->mu);
		json_array_append_new(in->plans, j);
		pthread_cond_signal(&in->cv);
		pthread_mutex_unlock(&in->mu);
	}
	if (rc < 0) {
		pthread_mutex_lock(&in->mu);
		in->failed = 1;
		snprintf(in->why, sizeof(in->why), "%s", err.msg);
		pthread_mutex_unlock(&in->mu);
	}
out:
	rv_frame_free(&f);
	free(r);
	pthread_mutex_lock(&in->mu);
	in->eof = 1;
	pthread_cond_signal(&in->cv);
	pthread_mutex_unlock(&in->mu);
	return NULL;
}

/* The next plan; wait: block until one comes (or the input ends).  NULL
 * when there is none. */
static json_t *
next_plan(struct inbox *in, int wait, int *eof)
{
	json_t *p = NULL;

	pthread_mutex_lock(&in->mu);
	while (wait && json_array_size(in->plans) == 0 && !in->eof &&
	    !rv_stop_signal)
		pthread_cond_wait(&in->cv, &in->mu);
	if (json_array_size(in->plans) > 0) {
		p = json_incref(json_array_get(in->plans, 0));
		json_array_remove(in->plans, 0);
	}
	*eof = in->eof && p == NULL;
	pthread_mutex_unlock(&in->mu);
	return p;
}

/* Open the evidence path: a FIFO only once a reader is there (a FIFO
 * opened without one would block), a file for appending. */
static int
evidence_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_APPEND | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static void *
evidence_writer(void *arg)
{
	struct outbox *o = arg;
	struct rv_err err;
	json_t *e;
	char *text;
	int fd = -1, jfd = -1, waited = 0;
	int64_t journaled = 0;
	json_t *fresh;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&o->mu);
		while (json_array_size(o->queue) == 0 && !o->done)
			pthread_cond_wait(&o->cv, &o->mu);
		if (json_array_size(o->queue) == 0 && o->done) {
			pthread_mutex_unlock(&o->mu);
			break;
		}
		e = json_incref(json_array_get(o->queue, 0));
		/* Every event queued, journaled at once, not as it gets
		 * to the head: what waits for a reader is on disk. */
		fresh = json_array();
		for (i = 0; o->journal != NULL && fresh != NULL &&
		    i < json_array_size(o->queue); i++)
			if (json_integer_value(json_object_get(json_array_get(
			    o->queue, i), "seq")) > journaled)
				json_array_append(fresh,
				    json_array_get(o->queue, i));
		pthread_mutex_unlock(&o->mu);
		for (i = 0; i < json_array_size(fresh); i++)
			if ((text = rv_json_canonical(json_array_get(fresh,
			    i))) != NULL) {
				journal(o, json_array_get(fresh, i), text,
				    &jfd, &journaled);
				free(text);
			}
		json_decref(fresh);
		if (fd < 0 && (fd = evidence_open(o->path)) < 0) {
			json_decref(e);
			/* At the end, a reader gets a last chance; then what
			 * is left is dropped, and counted (and journaled: a
			 * reader that starts later takes it up there). */
			if (o->done && waited >= EVIDENCE_LAST_MS) {
				pthread_mutex_lock(&o->mu);
				for (i = 0; i < json_array_size(o->queue); i++)
					if ((text = rv_json_canonical(
					    json_array_get(o->queue, i))) != NULL) {
						journal(o, json_array_get(
						    o->queue, i), text, &jfd,
						    &journaled);
						free(text);
					}
				o->dropped += (long)json_array_size(o->queue);
				json_array_clear(o->queue);
				pthread_mutex_unlock(&o->mu);
				break;
			}
			/* No reader yet: keep the events and try again. */
			usleep(200000);
			waited += o->done ? 200 : 0;
			continue;
		}
		if ((text = rv_json_canonical(e)) == NULL) {
			/* Cannot be encoded: never blocks the queue. */
			pthread_mutex_lock(&o->mu);
			json_array_remove(o->queue, 0);
			o->dropped++;
			pthread_mutex_unlock(&o->mu);
			json_decref(e);
			continue;
		}
		if (rv_frame_write(fd, 'E', text, strlen(text), &err) < 0) {
			/* The reader went away: reconnect, resend. */
			free(text);
			close(fd);
			fd = -1;
			json_decref(e);
			continue;
		}
		free(text);
		json_decref(e);
		pthread_mutex_lock(&o->mu);
		json_array_remove(o->queue, 0);
		pthread_mutex_unlock(&o->mu);
	}
	if (fd >= 0)
		close(fd);
	if (jfd >= 0)
		close(jfd);
	return NULL;
}

static void
on_evidence(void *arg, json_t *e)
{
	struct out *o = arg;
	struct outbox *b = o->evidence;

	if (b == NULL) {
		json_decref(e);
		return;
	}
	pthread_mutex_lock(&b->mu);
	b->events++;
	/* Evidence never holds up a tick: past the bound it is dropped,
	 * and counted. */
	if (json_array_size(b->queue) >= QUEUE_MAX) {
		b->dropped++;
		json_decref(e);
	} else {
		json_array_append_new(b->queue, e);
		pthread_cond_signal(&b->cv);
	}
	pthread_mutex_unlock(&b->mu);
}

static int
on_ts(void *arg, const uint8_t *bytes, size_t len)
{
	struct out *o = arg;

	if (o->failed)
		return -1;
	if (rv_frame_write_timeout(STDOUT_FILENO, 'T', bytes, len,
	    o->timeout_ms, &o->err) < 0) {
		o->failed = 1;
		return -1;
	}
	return 0;
}

static int
on_marker(void *arg, json_t *m)
{
	struct out *o = arg;
	char *text = rv_json_canonical(m);
	int rc = -1;

	json_decref(m);
	if (text != NULL && !o->failed)
		rc = rv_frame_write_timeout(STDOUT_FILENO, 'M', text,
		    strlen(text), o->timeout_ms, &o->err);
	if (rc < 0)
		o->failed = 1;
	free(text);
	return rc;
}

/* The channel's format from its file, through the database: size, rate,
 * and the encoder settings it gives (the configuration's where it gives
 * none).  A preset is copied into preset[n]. */
static void
channel_format(const struct rv_config *cfg, const char *channel,
    struct rv_enc_config *enc, char *preset, size_t n)
{
	struct rv_channel_defaults def = { cfg->timezone,
	    cfg->broadcast_day_start };
	struct rv_channel *c = NULL;
	struct rv_diags d = { 0 };
	struct rv_err err;
	sqlite3_stmt *st;
	sqlite3 *db;
	char file[4096] = "";

	if (rv_db_open(cfg->database, &db, &err) < 0)
		return;
	if (rv_db_prepare(db, "SELECT file FROM channels WHERE id = ?1", &st,
	    &err) == 0) {
		sqlite3_bind_text(st, 1, channel, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(file, sizeof(file), "%s",
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	rv_db_close(db);
	if (file[0] != 0 && rv_channel_load(file, &def, &c, &d) == 0) {
		enc->width = c->width;
		enc->height = c->height;
		enc->rate = c->frame_rate;
		if (c->preset != NULL) {
			snprintf(preset, n, "%s", c->preset);
			enc->preset = preset;
		}
		if (c->video_kbps > 0)
			enc->video_kbps = c->video_kbps;
		if (c->audio_kbps > 0)
			enc->audio_kbps = c->audio_kbps;
	}
	rv_diags_free(&d);
	rv_channel_free(c);
}

static void
emit_air(FILE *fp, void *arg)
{
	static const char *const kinds[] = { "content", "held", "pad" };
	struct out *o = arg;
	struct rv_air_counts c = { 0 };
	const char *ch = o->channel;
	long events = 0, dropped = 0;
	int64_t frames, now = rv_mono_ms();
	double fps = (double)o->rate.num / o->rate.den;
	int i;

	if (o->air != NULL)
		rv_air_counts(o->air, &c);
	if (o->evidence != NULL) {
		pthread_mutex_lock(&o->evidence->mu);
		events = o->evidence->events;
		dropped = o->evidence->dropped;
		pthread_mutex_unlock(&o->evidence->mu);
	}
	frames = c.content + c.held + c.pad;
	if (now > o->last_ms && o->last_ms > 0)
		o->speed = (double)(frames - o->last_frames) / fps /
		    ((double)(now - o->last_ms) / 1000);
	o->last_ms = now;
	o->last_frames = frames;
	rv_prom_family(fp, "rv_air_frames_total", "counter", "Frames "
	    "emitted, by kind: content, held (the last picture of content "
	    "that ran short), pad (black).");
	for (i = 0; i < 3; i++)
		rv_prom_sample(fp, "rv_air_frames_total", ch, "kind", kinds[i],
		    (double)(i == 0 ? c.content : i == 1 ? c.held : c.pad));
	rv_prom_one(fp, "rv_air_late_ticks_total", "counter", ch,
	    (double)c.late, "Wall-clock ticks emitted past their deadline.");
	rv_prom_family(fp, "rv_air_fence_error_seconds", "histogram", "Air "
	    "time of a block's fence frame against the plan's end.");
	rv_prom_hist_write(fp, "rv_air_fence_error_seconds", ch,
	    &c.fence_error);
	rv_prom_one(fp, "rv_air_encoder_speed", "gauge", ch, o->speed,
	    "Output seconds per wall second over the last interval.");
	rv_prom_one(fp, "rv_air_seam_stall_seconds_total", "counter", ch,
	    c.seam_stall_s, "Time ticks waited at seams for the next source.");
	rv_prom_one(fp, "rv_air_output_seconds_total", "counter", ch,
	    (double)frames / fps, "Seconds of output.");
	rv_prom_one(fp, "rv_air_blocks_total", "counter", ch, (double)c.blocks,
	    "Blocks played to their fence.");
	rv_prom_family(fp, "rv_air_segments_total", "counter", "Segments "
	    "ended, by status.");
	for (i = 0; i < RV_AIR_NSTATUS; i++)
		rv_prom_sample(fp, "rv_air_segments_total", ch, "status",
		    rv_air_status_names[i], (double)c.segments[i]);
	rv_prom_one(fp, "rv_air_unfilled_seconds_total", "counter", ch,
	    (double)c.unfilled_ms / 1000, "Break time no spot filled that "
	    "aired (as pad or filler): the missing ads.");
	rv_prom_one(fp, "rv_air_evidence_events_total", "counter", ch,
	    (double)events, "Evidence events produced.");
	rv_prom_one(fp, "rv_air_evidence_dropped_total", "counter", ch,
	    (double)dropped, "Evidence events dropped: the queue was full, or "
	    "no reader came at the end.");
}

static void
on_tick(void *arg)
{
	struct out *o = arg;
	struct rv_err err;

	rv_metrics_tick(&o->mx, 0, emit_air, o, &err);
}

struct opts {
	const char	*config, *evidence, *preset, *journal;
	enum rv_clock_mode clock;
	int		 width, height, kbps;
	int		 lead_ms;
	int		 open_timeout_ms;
	struct rv_rate	 rate;
};

/* The plan after the one playing, if it has come. */
static json_t *
on_peek(void *arg)
{
	struct out *o = arg;
	json_t *j;

	pthread_mutex_lock(&o->in->mu);
	j = json_incref(json_array_get(o->in->plans, 0));
	pthread_mutex_unlock(&o->in->mu);
	return j;
}

static int
play(struct opts *op, struct rv_config *cfg)
{
	struct inbox in = { .plans = json_array() };
	struct outbox ev = { .path = op->evidence, .journal = op->journal,
	    .queue = json_array() };
	struct out o = { .in = &in, .timeout_ms =
	    cfg->playout.consumer_timeout_seconds *
	    1000, .evidence = op->evidence ? &ev : NULL };
	struct rv_air_sink sink = { &o, on_ts, on_marker, on_evidence,
	    on_tick, on_peek };
	struct rv_air_config ac = { 0 };
	struct rv_air *air = NULL;
	struct rv_clock clock;
	struct rv_err err;
	pthread_t rt, et;
	json_t *plan, *h;
	char session[160], channel[128], preset[32];
	int64_t epoch, start;
	int eof, rc = -1;

	pthread_mutex_init(&in.mu, NULL);
	pthread_cond_init(&in.cv, NULL);
	pthread_mutex_init(&ev.mu, NULL);
	pthread_cond_init(&ev.cv, NULL);
	if (pthread_create(&rt, NULL, reader, &in) != 0)
		return -1;
	if (op->evidence && pthread_create(&et, NULL, evidence_writer, &ev))
		return -1;
	plan = next_plan(&in, 1, &eof);
	if (plan == NULL) {
		rv_warnx("%s", in.failed ? in.why : "no block plan on stdin");
		goto out;
	}
	/* Copied: the plan goes once it has played. */
	snprintf(channel, sizeof(channel), "%s", json_string_value(
	    json_object_get(plan, "channel")) ? json_string_value(
	    json_object_get(plan, "channel")) : "channel");
	start = json_integer_value(json_object_get(plan, "start_ms"));
	epoch = json_object_get(plan, "join_ms") ?
	    json_integer_value(json_object_get(plan, "join_ms")) : start;
	snprintf(session, sizeof(session), "PS-%s-%lld", channel,
	    (long long)epoch);
	ac.channel = channel;
	ac.session = session;
	ac.enc.width = 1280;
	ac.enc.height = 720;
	ac.enc.rate = (struct rv_rate){ 30000, 1001 };
	/* The command line, then the channel file, then the
	 * configuration. */
	ac.enc.preset = cfg->playout.preset;
	ac.enc.video_kbps = cfg->playout.video_bitrate_kbps;
	ac.enc.audio_kbps = cfg->playout.audio_bitrate_kbps;
	channel_format(cfg, ac.channel, &ac.enc, preset, sizeof(preset));
	if (op->width > 0) {
		ac.enc.width = op->width;
		ac.enc.height = op->height;
	}
	if (op->rate.num > 0)
		ac.enc.rate = op->rate;
	if (op->preset != NULL)
		ac.enc.preset = op->preset;
	if (op->kbps > 0)
		ac.enc.video_kbps = op->kbps;
	rv_info("%s: %dx%d at %lld/%lld, libx264 %s at %d kb/s, AAC at %d "
	    "kb/s", ac.channel, ac.enc.width, ac.enc.height,
	    (long long)ac.enc.rate.num, (long long)ac.enc.rate.den, ac.enc.preset, ac.enc.video_kbps,
	    ac.enc.audio_kbps);
	ac.enc.gop_seconds = cfg->playout.gop_seconds;
	ac.enc.service_name = ac.channel;
	ac.hold_ms = 500;
	ac.open_timeout_ms = op->open_timeout_ms;
	ac.stop = &rv_stop_signal;
	/* --lead: the clock starts ahead of the session, so that its first
	 * lead_ms of output come at once, a buffer for a first viewer's
	 * player; the ticks after them are paced as ever. */
	rv_clock_init(&clock, op->clock, epoch + (op->clock == RV_CLOCK_WALL ?
	    op->lead_ms : 0));
	ac.clock = &clock;
	h = json_pack("{s:s, s:s, s:s, s:s}", "tool", "rv-air", "version",
	    RV_VERSION, "channel", ac.channel, "session", session);
	if (rv_frame_write_json(STDOUT_FILENO, 'H', h, &err) < 0) {
		json_decref(h);
		rv_warnx("%s", err.msg);
		goto out;
	}
	json_decref(h);
	fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) |
	    O_NONBLOCK);
	if (rv_air_open(&ac, &sink, epoch, &air, &err) < 0) {
		rv_warnx("%s", err.msg);
		json_decref(plan);
		goto out;
	}
	o.air = air;
	o.channel = channel;
	o.rate = ac.enc.rate;
	/* Metrics are for the operator: a run folder that cannot be
	 * written is said once and playout goes on. */
	if (rv_metrics_init(&o.mx, cfg->run_dir, "rv-air", channel, &err) < 0)
		rv_warnx("metrics: %s", err.msg);
	rc = 0;
	while (plan != NULL && rc == 0 && !rv_stop_signal) {
		rc = rv_air_block(air, plan, &err);
		json_decref(plan);
		plan = NULL;
		/* On the wall clock a late plan must not hold the picture:
		 * pad a frame at a time until one comes. */
		while (rc == 0 && !rv_stop_signal && (plan = next_plan(&in,
		    op->clock == RV_CLOCK_FAST, &eof)) == NULL && !eof)
			rc = rv_air_pad(air, rv_air_tick(air) + 1, &err);
	}
	json_decref(plan);
	if (rc < 0)
		rv_warnx("%s", o.failed ? o.err.msg : err.msg);
	if (rv_air_finish(air, rc < 0 ? "error" : rv_stop_signal ? "stopped" :
	    "end of plans", &err) < 0 && rc == 0) {
		rv_warnx("%s", err.msg);
		rc = -1;
	}
	if (rc == 0 && !o.failed) {
		fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) &
		    ~O_NONBLOCK);
		h = json_pack("{s:s}", "reason", rv_stop_signal ? "stopped" :
		    "end of plans");
		rv_frame_write_json(STDOUT_FILENO, 'Z', h, &err);
		json_decref(h);
	}
out:
	if (op->evidence) {
		pthread_mutex_lock(&ev.mu);
		ev.done = 1;
		pthread_cond_signal(&ev.cv);
		pthread_mutex_unlock(&ev.mu);
		pthread_join(et, NULL);
		if (ev.dropped > 0)
			rv_warnx("%ld evidence events dropped", ev.dropped);
	}
	/* The last counts, evidence drops at the end included. */
	rv_metrics_tick(&o.mx, 1, emit_air, &o, &err);
	rv_air_free(air);
	/* The reader may sit in read(): it ends with stdin.  What it
	 * gathered goes once it is done with it. */
	pthread_detach(rt);
	pthread_mutex_lock(&in.mu);
	if (in.eof) {
		json_decref(in.plans);
		in.plans = NULL;
	}
	pthread_mutex_unlock(&in.mu);
	json_decref(ev.queue);
	return rc;
}

int
main(int argc, char *argv[])
{
	enum { O_CLOCK = 256, O_EVIDENCE, O_SIZE, O_RATE, O_PRESET, O_BITRATE,
	    O_LEAD, O_OPEN_TIMEOUT, O_JOURNAL };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "clock", required_argument, NULL, O_CLOCK },
		{ "evidence", required_argument, NULL, O_EVIDENCE },
		{ "journal", required_argument, NULL, O_JOURNAL },
		{ "size", required_argument, NULL, O_SIZE },
		{ "rate", required_argument, NULL, O_RATE },
		{ "preset", required_argument, NULL, O_PRESET },
		{ "bitrate", required_argument, NULL, O_BITRATE },
		{ "lead", required_argument, NULL, O_LEAD },
		{ "open-timeout", required_argument, NULL, O_OPEN_TIMEOUT },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts op = { .clock = RV_CLOCK_WALL };
	struct rv_config cfg;
	struct rv_err err;
	int ch;

#ifdef M_ARENA_MAX
	/* Sources are opened on short-lived threads and freed on the tick
	 * thread: glibc's arenas per thread then keep freed memory apart,
	 * and the resident memory crept up over a day (bench/soak.sh,
	 * cheers-24-7: 66.0 MB after an hour, 71.3 MB after 24).  With one
	 * arena it stays at 59.2 MB from the first hour to the eighth. */
	mallopt(M_ARENA_MAX, 1);
#endif
	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			op.config = optarg;
			break;
		case O_CLOCK:
			if (rv_clock_mode_parse(optarg, &op.clock, &err) < 0)
				return rv_cli_usage_error(usage, "%s", err.msg);
			break;
		case O_EVIDENCE:
			op.evidence = optarg;
			break;
		case O_JOURNAL:
			op.journal = optarg;
			break;
		case O_SIZE:
			if (sscanf(optarg, "%dx%d", &op.width, &op.height) != 2 ||
			    op.width < 16 || op.height < 16 || op.width % 2 ||
			    op.height % 2)
				return rv_cli_usage_error(usage, "--size takes "
				    "even WxH (%s)", optarg);
			break;
		case O_RATE:
			if (rv_rate_parse(optarg, &op.rate, &err) < 0)
				return rv_cli_usage_error(usage, "%s", err.msg);
			break;
		case O_PRESET:
			op.preset = optarg;
			break;
		case O_BITRATE:
			op.kbps = atoi(optarg);
			if (op.kbps < 100 || op.kbps > 50000)
				return rv_cli_usage_error(usage, "--bitrate takes "
				    "100 to 50000 (%s)", optarg);
			break;
		case O_LEAD:
			op.lead_ms = atoi(optarg);
			if (op.lead_ms < 0 || op.lead_ms > 10000 ||
			    strspn(optarg, "0123456789") != strlen(optarg))
				return rv_cli_usage_error(usage, "--lead takes 0 "
				    "to 10000 ms (%s)", optarg);
			break;
		case O_OPEN_TIMEOUT:
			op.open_timeout_ms = atoi(optarg);
			if (op.open_timeout_ms < 1 ||
			    op.open_timeout_ms > 60000 ||
			    strspn(optarg, "0123456789") != strlen(optarg))
				return rv_cli_usage_error(usage, "--open-timeout "
				    "takes 1 to 60000 ms (%s)", optarg);
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (optind != argc)
		return rv_cli_usage_error(usage, "no arguments are taken");
	if (op.journal != NULL && op.evidence == NULL)
		return rv_cli_usage_error(usage, "--journal goes with "
		    "--evidence");
	if (isatty(STDOUT_FILENO))
		return rv_cli_usage_error(usage, "frames are binary: pipe them "
		    "into rv-hlsseg or rv-frame ts");
	av_log_set_level(rv_log_level() >= RV_DEBUG ? AV_LOG_INFO :
	    AV_LOG_QUIET);
	if (rv_cli_config(op.config, &cfg) < 0)
		return RV_EXIT_FAIL;
	return play(&op, &cfg) < 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}
