/*
 * rv-serve — the HTTP front of RetroVue: guide page, M3U, XMLTV,
 * HDHomeRun tuner emulation, HLS and continuous MPEG-TS, metrics; starts a
 * channel on its first viewer and stops it a linger after the last
 * (rv-serve(1)).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include "channel.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "hls.h"
#include "lineup.h"
#include "metrics.h"
#include "route.h"
#include "xmltv.h"

static const char usage[] =
    "usage: rv-serve [-C FILE] [--listen HOST:PORT] [--player FILE]\n"
    "                [--print-config]\n"
    "  serves the channels over HTTP; see rv-serve(1).\n";

#define CLIENTS_MAX	64	/* HLS clients remembered per channel */
#define CLIENT_IDLE_MS	10000	/* an HLS client this quiet has left */
#define STREAM_WAIT_MS	15000	/* a TS viewer waits this for a segment */
#define STOP_GRACE_MS	7000	/* SIGTERM, then SIGKILL (rv-channel's
				 * own grace is 5 s) */
#define CONNECTIONS_MAX	2000	/* a thread each */
#define LEAD_MS		6000	/* rendered ahead (rv-channel --lead) */
#define READY_SEGMENTS	3	/* listed before a start is on air */
#define PBUF		(2 * PATH_MAX)	/* a run-folder path and more */
#define CODES		6

static const int codes[CODES] = { 200, 404, 405, 500, 503, 0 };
static const double tune_buckets[] = { 0.25, 0.5, 1, 2, 4, 8, 16 };
#define TUNE_BUCKETS	(sizeof(tune_buckets) / sizeof(tune_buckets[0]))

enum state { STOPPED, STARTING, RUNNING, STOPPING };

struct client {
	char		 addr[INET6_ADDRSTRLEN];
	int64_t		 at;
};

struct chan {
	char		 id[256];
	int64_t		 number;
	enum state	 state;
	pid_t		 pid;		/* rv-channel run, 0 when none */
	int64_t		 started_ms;
	int64_t		 stop_ms;	/* SIGTERM sent */
	int64_t		 last_ms;	/* last sign of a viewer */
	int		 ts_viewers;
	struct client	 clients[CLIENTS_MAX];
	char		 why[PBUF + 256]; /* why the last start failed */
	int64_t		 starts, stops, failures;
};

struct server {
	struct rv_config cfg;
	const char	*config_path;
	char		 bindir[PATH_MAX];
	char		 base_url[1100];
	char		 device_id[9];
	char		 player[PATH_MAX];	/* hls.min.js, "" if none */
	sqlite3		*db;
	pthread_mutex_t	 mu;
	struct chan	**ch;		/* stable: other threads hold them */
	size_t		 nch;
	int		 starting;
	int64_t		 requests[RV_ROUTE_COUNT][CODES];
	struct rv_prom_hist tune;	/* tune-in seconds */
	struct rv_metrics mx;		/* rv-serve.prom */
};

static struct server S;

/* Channels and their processes. */

static void
chan_dir(const struct chan *c, char *buf, size_t n, const char *leaf)
{
	snprintf(buf, n, "%s/%s%s%s", S.cfg.run_dir, c->id, leaf ? "/" : "",
	    leaf ? leaf : "");
}

/* The channel with that number, looked up in the database the first time
 * (so that a channel installed after rv-serve started is found).  Called
 * with the lock held. */
static struct chan *
chan_find(int64_t number)
{
	struct rv_lineup l;
	const struct rv_lineup_channel *lc;
	struct rv_err err;
	struct chan *c;
	size_t i;

	struct chan **all;

	for (i = 0; i < S.nch; i++)
		if (S.ch[i]->number == number)
			return S.ch[i];
	if (rv_lineup_load(S.db, &l, &err) < 0) {
		rv_warnx("%s", err.msg);
		return NULL;
	}
	if ((lc = rv_lineup_find(&l, number)) == NULL) {
		rv_lineup_free(&l);
		return NULL;
	}
	/* The id names its folder and is an argument of rv-channel: one
	 * written into the database past rv-horizon (.., -x) is no
	 * channel. */
	if (!rv_channel_id_ok(lc->id) || strlen(lc->id) >= sizeof(c->id)) {
		rv_warnx("channel %lld: \"%s\" is not a channel id: refused",
		    (long long)number, lc->id);
		rv_lineup_free(&l);
		return NULL;
	}
	if ((all = reallocarray(S.ch, S.nch + 1, sizeof(*all))) == NULL) {
		rv_lineup_free(&l);
		return NULL;
	}
	S.ch = all;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		rv_lineup_free(&l);
		return NULL;
	}
	S.ch[S.nch++] = c;
	snprintf(c->id, sizeof(c->id), "%s", lc->id);
	c->number = number;
	rv_lineup_free(&l);
	return c;
}

static void
program(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", S.bindir, name);
	if (access(buf, X_OK) != 0)
		snprintf(buf, n, "%s", name);	/* from $PATH */
}

/* In a child: the signals rv-serve blocks unblocked, stdin, stdout and
 * stderr set, then exec argv. */
static void
child(int in, int out, int log, char *const argv[])
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	if ((in >= 0 && dup2(in, STDIN_FILENO) < 0) ||
	    (out >= 0 && dup2(out, STDOUT_FILENO) < 0) ||
	    dup2(log, STDERR_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "rv-serve: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void
remove_partial(const char *dir)
{
	char p[PBUF + 300];
	struct dirent *de;
	size_t len;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			unlink(p);
		}
	}
	closedir(d);
}

/* Start `rv-channel run CHANNEL --fresh --lead LEAD_MS` for c, in a
 * process group of its own, its standard error in the channel's log.
 * rv-channel runs the stages, records the as-run and restarts a stage
 * that dies; rv-serve sees it end only when it gives up.  No shell: the
 * channel id goes to argv as it is.  Lock held. */
static int
chan_spawn(struct chan *c)
{
	char dir[PBUF], hls[PBUF], logp[PBUF], playlist[PBUF], prog[PBUF];
	char lead[16], *argv[10];
	const char *conf = S.cfg.source[0] != '\0' ? S.cfg.source : NULL;
	FILE *fp;
	int log, n;
	pid_t pid;

	chan_dir(c, dir, sizeof(dir), NULL);
	chan_dir(c, hls, sizeof(hls), "hls");
	chan_dir(c, logp, sizeof(logp), "channel.log");
	chan_dir(c, playlist, sizeof(playlist), "hls/" RV_HLS_PLAYLIST);
	if ((mkdir(S.cfg.run_dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		snprintf(c->why, sizeof(c->why), "%s: %s", dir,
		    strerror(errno));
		return -1;
	}
	/* The last session's playlist and half-written segment must not
	 * pass for the new one's before rv-hlsseg --fresh has removed
	 * them. */
	remove_partial(hls);
	if (unlink(playlist) < 0 && errno != ENOENT) {
		snprintf(c->why, sizeof(c->why), "%s: %s", playlist,
		    strerror(errno));
		return -1;
	}
	if ((log = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) < 0) {
		snprintf(c->why, sizeof(c->why), "%s: %s", logp,
		    strerror(errno));
		return -1;
	}
	program(prog, sizeof(prog), "rv-channel");
	snprintf(lead, sizeof(lead), "%d", LEAD_MS);
	n = 0;
	argv[n++] = prog;
	if (conf != NULL) {
		argv[n++] = "-C";
		argv[n++] = (char *)conf;
	}
	argv[n++] = "run";
	argv[n++] = c->id;
	argv[n++] = "--fresh";
	argv[n++] = "--lead";
	argv[n++] = lead;
	argv[n] = NULL;
	if ((pid = fork()) < 0) {
		snprintf(c->why, sizeof(c->why), "fork: %s", strerror(errno));
		close(log);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setpgid(0, 0);
		child(null, null, log, argv);
	}
	setpgid(pid, pid);
	close(log);
	c->pid = pid;
	/* Whose channel it is, and its supervisor's pid (rv-channel run
	 * keeps the pid it is exec'd with, and writes it to run.pid): a
	 * later rv-serve stops that supervisor if this rv-serve is gone
	 * (stop_orphans); removed when it is reaped. */
	chan_dir(c, dir, sizeof(dir), "serve.pid");
	if ((fp = fopen(dir, "we")) != NULL) {
		fprintf(fp, "%ld %ld\n", (long)getpid(), (long)pid);
		fclose(fp);
	}
	return 0;
}

/* The first pid in file p (and the second, when second is not NULL),
 * or 0. */
static pid_t
read_pid(const char *p, pid_t *second)
{
	FILE *fp;
	long v = 0, w = 0;

	if ((fp = fopen(p, "re")) == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &v, &w) < 1 || v <= 1 || v > INT32_MAX ||
	    w < 0 || w > INT32_MAX)
		v = w = 0;
	fclose(fp);
	if (second != NULL)
		*second = (pid_t)w;
	return (pid_t)v;
}

/* Channels an rv-serve started and that outlived it (it was killed):
 * no one would ever stop them, and each would refuse the start a viewer
 * asks of this rv-serve.  They get SIGTERM and stop cleanly (rv-channel
 * ends its session); the next viewer starts the channel afresh. */
static void
stop_orphans(void)
{
	char p[PBUF + 300];
	struct dirent *de;
	pid_t owner, child, run;
	DIR *d;

	if ((d = opendir(S.cfg.run_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!rv_channel_id_ok(de->d_name))
			continue;
		snprintf(p, sizeof(p), "%s/%s/serve.pid", S.cfg.run_dir,
		    de->d_name);
		if ((owner = read_pid(p, &child)) == 0 ||
		    (kill(owner, 0) == 0 || errno != ESRCH))
			continue;
		unlink(p);
		/* Only the supervisor that rv-serve started: a channel run
		 * since by rv-channel start is someone else's. */
		snprintf(p, sizeof(p), "%s/%s/run.pid", S.cfg.run_dir,
		    de->d_name);
		/* And still that supervisor: it leads the process group
		 * rv-serve made for it (a reused pid does not). */
		if ((run = read_pid(p, NULL)) == 0 || run != child ||
		    getpgid(run) != run || kill(run, SIGTERM) < 0)
			continue;
		rv_warnx("channel %s: left running by rv-serve %ld, which is "
		    "gone: stopping it (pid %ld)", de->d_name, (long)owner,
		    (long)run);
	}
	closedir(d);
}

/* A wait status as a shell reports it: the exit status, or 128 + the
 * signal. */
static int
exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}

/* 1 when c's supervisor has exited (reaped, its wait status in
 * *status). */
static int
chan_reap(struct chan *c, int *status)
{
	char p[PBUF];

	if (c->pid <= 0 || waitpid(c->pid, status, WNOHANG) != c->pid)
		return 0;
	c->pid = 0;
	chan_dir(c, p, sizeof(p), "serve.pid");
	unlink(p);
	return 1;
}

/* Stop the channel: SIGTERM to its supervisor now (it stops its stages
 * in order); the watcher reaps it and sends its whole group SIGKILL
 * after the grace, without holding up anyone else.  Lock held. */
static void
chan_stop(struct chan *c, const char *why)
{
	if (c->pid > 0)
		kill(c->pid, SIGTERM);
	if (c->state == RUNNING)
		c->stops++;
	c->state = STOPPING;
	c->stop_ms = rv_wall_now();
	rv_info("channel %s stopping: %s", c->id, why);
}

/* A stopping channel whose supervisor is gone is stopped.  Lock held. */
static void
chan_settle(struct chan *c, int64_t now)
{
	int st;

	if (c->pid > 0 && !chan_reap(c, &st)) {
		/* The group: the supervisor and the stages it started. */
		if (now - c->stop_ms >= STOP_GRACE_MS)
			kill(-c->pid, SIGKILL);
		return;
	}
	c->state = STOPPED;
	rv_info("channel %s stopped", c->id);
}

/* The playlist of a starting channel lists READY_SEGMENTS: a player
 * that starts with one short segment stalls waiting for the next. */
static int
playlist_ready(const struct chan *c)
{
	char p[PBUF], line[256];
	FILE *fp;
	int n = 0;

	chan_dir(c, p, sizeof(p), "hls/" RV_HLS_PLAYLIST);
	if ((fp = fopen(p, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		n += line[0] != '#' && line[0] != '\n';
	fclose(fp);
	return n >= READY_SEGMENTS;
}

static void
tune_in(double secs)
{
	rv_prom_observe(&S.tune, secs);
}

/* A starting channel: on air once its playlist exists; failed when a
 * stage exits or no segment came in time.  Returns the state.  Lock held;
 * called by the requests waiting for it and by the watcher. */
static enum state
chan_check_start(struct chan *c, int64_t now)
{
	int status = 0, exited;

	if (c->state != STARTING)
		return c->state;
	if (playlist_ready(c)) {
		c->state = RUNNING;
		S.starting--;
		tune_in((double)(now - c->started_ms) / 1000);
		rv_info("channel %s on air after %lld ms", c->id,
		    (long long)(now - c->started_ms));
		return c->state;
	}
	if (!(exited = chan_reap(c, &status)) && now <= c->started_ms +
	    (int64_t)S.cfg.serve.start_timeout_seconds * 1000 &&
	    !rv_stop_signal)
		return c->state;
	if (exited)
		snprintf(c->why, sizeof(c->why), "rv-channel exited with "
		    "status %d during the start", exit_code(status));
	else
		snprintf(c->why, sizeof(c->why), "no segment within %d s",
		    S.cfg.serve.start_timeout_seconds);
	S.starting--;
	chan_stop(c, c->why);
	c->failures++;
	rv_warnx("channel %s failed to start: %s (see %s/%s/channel.log)",
	    c->id, c->why, S.cfg.run_dir, c->id);
	return c->state;
}

/* The number of the segment rv-hlsseg is writing (NNNNNNNN.ts.tmp), or
 * -1. */
static int64_t
segment_building(const struct chan *c)
{
	char dir[PBUF];
	struct dirent *de;
	int64_t n = -1;
	size_t len;
	DIR *d;

	chan_dir(c, dir, sizeof(dir), "hls");
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len >= 15 && strcmp(de->d_name + len - 7, ".ts.tmp") == 0 &&
		    strspn(de->d_name, "0123456789") == len - 7)
			n = strtoll(de->d_name, NULL, 10);
	}
	closedir(d);
	return n;
}

/*
 * The channel of number, running: started if it is not (join in
 * progress: rv-blockfeed starts at now), waited for until its playlist
 * exists -- or, given building, until the first segment is being
 * written, whose number goes to *building (-1 once the channel runs).
 * Returns the channel with the lock held, or NULL with *code 404 (no such
 * channel) or 503 (*retry set when too many are starting).
 */
static struct chan *
chan_running(int64_t number, int *code, int *retry, int64_t *building)
{
	struct chan *c;
	int64_t t0 = rv_wall_now(), deadline;

	*retry = 0;
	pthread_mutex_lock(&S.mu);
	if ((c = chan_find(number)) == NULL) {
		pthread_mutex_unlock(&S.mu);
		*code = 404;
		return NULL;
	}
	if (building != NULL)
		*building = -1;
	if (c->state == RUNNING)
		return c;
	/* Still stopping (the linger just ended): wait for it, then start
	 * afresh. */
	deadline = t0 + STOP_GRACE_MS + 1000;
	while (c->state == STOPPING && rv_wall_now() < deadline &&
	    !rv_stop_signal) {
		pthread_mutex_unlock(&S.mu);
		usleep(50000);
		pthread_mutex_lock(&S.mu);
		chan_settle(c, rv_wall_now());
	}
	if (c->state == STOPPED) {
		if (S.starting >= S.cfg.serve.max_starting) {
			pthread_mutex_unlock(&S.mu);
			*code = 503;
			*retry = 2;
			return NULL;
		}
		S.starting++;
		c->state = STARTING;
		c->started_ms = t0;
		c->last_ms = t0;
		c->starts++;
		c->why[0] = '\0';
		rv_info("channel %s starting", c->id);
		if (chan_spawn(c) < 0) {
			c->state = STOPPED;
			c->failures++;
			S.starting--;
			rv_warnx("channel %s failed to start: %s", c->id,
			    c->why);
			pthread_mutex_unlock(&S.mu);
			*code = 503;
			return NULL;
		}
	}
	/* STARTING (ours or another request's): wait for the playlist,
	 * or for a TS viewer the first segment's first bytes. */
	while (chan_check_start(c, rv_wall_now()) == STARTING) {
		if (building != NULL && (*building = segment_building(c)) >= 0)
			break;
		pthread_mutex_unlock(&S.mu);
		usleep(20000);
		pthread_mutex_lock(&S.mu);
	}
	if (c->state == RUNNING || (c->state == STARTING && building != NULL &&
	    *building >= 0)) {
		c->last_ms = rv_wall_now();
		return c;
	}
	pthread_mutex_unlock(&S.mu);
	*code = 503;
	return NULL;
}

/* An HLS fetch from addr keeps c alive and counts its viewer.  Lock held. */
static void
chan_seen(struct chan *c, const char *addr)
{
	int64_t now = rv_wall_now();
	int i, slot = -1, oldest = 0;

	c->last_ms = now;
	for (i = 0; i < CLIENTS_MAX; i++) {
		if (strcmp(c->clients[i].addr, addr) == 0) {
			slot = i;
			break;
		}
		if (c->clients[i].at < c->clients[oldest].at)
			oldest = i;
	}
	if (slot < 0) {
		slot = oldest;
		snprintf(c->clients[slot].addr, sizeof(c->clients[slot].addr),
		    "%s", addr);
	}
	c->clients[slot].at = now;
}

static int
chan_viewers(const struct chan *c, int64_t now)
{
	int i, n = c->ts_viewers;

	for (i = 0; i < CLIENTS_MAX; i++)
		if (c->clients[i].addr[0] != '\0' &&
		    now - c->clients[i].at < CLIENT_IDLE_MS)
			n++;
	return n;
}

static void emit_serve(FILE *, void *);

/* The watcher: reap failed stages, stop channels a linger after their
 * last viewer. */
static void *
watcher(void *arg)
{
	struct rv_err err;
	int64_t now;
	size_t i;
	int status;

	(void)arg;
	while (!rv_stop_signal) {
		usleep(200000);
		pthread_mutex_lock(&S.mu);
		now = rv_wall_now();
		for (i = 0; i < S.nch; i++) {
			struct chan *c = S.ch[i];

			if (c->state == STOPPING)
				chan_settle(c, now);
			chan_check_start(c, now);
			if (c->state != RUNNING || rv_stop_signal)
				continue;
			if (chan_reap(c, &status)) {
				snprintf(c->why, sizeof(c->why), "rv-channel "
				    "exited with status %d", exit_code(status));
				rv_warnx("channel %s: %s (see %s/%s/"
				    "channel.log); the next viewer restarts "
				    "it", c->id, c->why, S.cfg.run_dir, c->id);
				c->failures++;
				chan_stop(c, c->why);
				continue;
			}
			if (c->ts_viewers == 0 && now - c->last_ms >=
			    (int64_t)S.cfg.serve.linger_seconds * 1000)
				chan_stop(c, "no viewer");
		}
		pthread_mutex_unlock(&S.mu);
		rv_metrics_tick(&S.mx, 0, emit_serve, NULL, &err);
	}
	return NULL;
}

/* HTTP. */

static void
count(enum rv_route_kind k, int code)
{
	int i;

	for (i = 0; i < CODES - 1 && codes[i] != code; i++)
		;
	pthread_mutex_lock(&S.mu);
	S.requests[k][i]++;
	pthread_mutex_unlock(&S.mu);
}

static void client_addr(struct MHD_Connection *, char *, size_t);

/* Quiet for what players poll (playlists, segments, metrics), loud for
 * every error; the rest with -v. */
static void
access_log(struct MHD_Connection *conn, enum rv_route_kind k, int code)
{
	char addr[INET6_ADDRSTRLEN];

	client_addr(conn, addr, sizeof(addr));
	if (code >= 400)
		rv_warnx("%s: %s request answered %d", addr,
		    rv_route_name(k), code);
	else if (k != RV_ROUTE_PLAYLIST && k != RV_ROUTE_SEGMENT &&
	    k != RV_ROUTE_METRICS && k != RV_ROUTE_HEALTHZ)
		rv_info("%s: %s request answered %d", addr, rv_route_name(k),
		    code);
}

static enum MHD_Result
queue(struct MHD_Connection *conn, enum rv_route_kind k, int code,
    struct MHD_Response *r, const char *type)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	if (type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	rc = MHD_queue_response(conn, (unsigned int)code, r);
	MHD_destroy_response(r);
	count(k, code);
	access_log(conn, k, code);
	return rc;
}

static enum MHD_Result
text(struct MHD_Connection *conn, enum rv_route_kind k, int code,
    const char *type, char *body)
{
	struct MHD_Response *r;

	if (body == NULL)
		return text(conn, k, 500, "text/plain; charset=utf-8",
		    strdup("out of memory\n"));
	r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(body);
	else if (strncmp(type, "application/vnd.apple", 21) == 0)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "no-cache, no-store");
	return queue(conn, k, code, r, type);
}

static enum MHD_Result
fail(struct MHD_Connection *conn, enum rv_route_kind k, int code,
    int retry, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum MHD_Result
fail(struct MHD_Connection *conn, enum rv_route_kind k, int code,
    int retry, const char *fmt, ...)
{
	struct MHD_Response *r;
	char msg[600], ra[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strncat(msg, "\n", sizeof(msg) - strlen(msg) - 1);
	r = MHD_create_response_from_buffer(strlen(msg), msg,
	    MHD_RESPMEM_MUST_COPY);
	if (r != NULL && retry > 0) {
		snprintf(ra, sizeof(ra), "%d", retry);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (r != NULL && code == 405)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	return queue(conn, k, code, r, "text/plain; charset=utf-8");
}

static void
client_addr(struct MHD_Connection *conn, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	snprintf(buf, n, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, buf, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)n);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0, k;

	if (fp == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *b = realloc(buf, cap + 65536);

			if (b == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = b;
			cap += 65536;
		}
		k = fread(buf + len, 1, cap - len - 1, fp);
		len += k;
	} while (k > 0);
	fclose(fp);
	buf[len] = '\0';
	return buf;
}

/* The playlist with segment lines made "<number>/<name>", so that they
 * resolve under /channel/<number>/. */
static char *
playlist_text(const struct chan *c)
{
	char p[PBUF], *in, *out, *line, *save = NULL, prefix[32];
	size_t cap, len = 0;

	chan_dir(c, p, sizeof(p), "hls/" RV_HLS_PLAYLIST);
	if ((in = slurp(p)) == NULL)
		return NULL;
	snprintf(prefix, sizeof(prefix), "%lld/", (long long)c->number);
	cap = strlen(in) * 2 + 64;
	if ((out = malloc(cap)) == NULL) {
		free(in);
		return NULL;
	}
	for (line = strtok_r(in, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		len += (size_t)snprintf(out + len, cap - len, "%s%s\n",
		    line[0] == '#' ? "" : prefix, line);
	free(in);
	return out;
}

/* The answer when chan_running() gave no channel. */
static enum MHD_Result
unavailable(struct MHD_Connection *conn, const struct rv_route *rt,
    int code, int retry)
{
	if (code == 404)
		return fail(conn, rt->kind, 404, 0, "no channel %lld",
		    (long long)rt->channel);
	return fail(conn, rt->kind, 503, retry ? retry : 5, "channel %lld is "
	    "not available: %s", (long long)rt->channel, retry ? "too many "
	    "channels starting" : "it failed to start (see the server's log)");
}

static enum MHD_Result
serve_playlist(struct MHD_Connection *conn, const struct rv_route *rt)
{
	char addr[INET6_ADDRSTRLEN], *body;
	struct chan *c;
	int code, retry;

	if ((c = chan_running(rt->channel, &code, &retry, NULL)) == NULL) {
		return unavailable(conn, rt, code, retry);
	}
	client_addr(conn, addr, sizeof(addr));
	chan_seen(c, addr);
	body = playlist_text(c);
	pthread_mutex_unlock(&S.mu);
	if (body == NULL)
		return fail(conn, rt->kind, 503, 1, "channel %lld: no "
		    "playlist yet", (long long)rt->channel);
	return text(conn, rt->kind, 200, "application/vnd.apple.mpegurl",
	    body);
}

/* A regular file in a channel's folder, or -1: not a link (O_NOFOLLOW),
 * and not a named pipe, whose open(2) would wait for a writer
 * (O_NONBLOCK, which reads of a regular file ignore). */
static int
open_file(const char *p)
{
	struct stat st;
	int fd;

	if ((fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static enum MHD_Result
serve_segment(struct MHD_Connection *conn, const struct rv_route *rt)
{
	char p[PBUF], addr[INET6_ADDRSTRLEN];
	struct MHD_Response *r;
	struct chan *c;
	struct stat st;
	int fd;

	pthread_mutex_lock(&S.mu);
	if ((c = chan_find(rt->channel)) == NULL) {
		pthread_mutex_unlock(&S.mu);
		return fail(conn, rt->kind, 404, 0, "no channel %lld",
		    (long long)rt->channel);
	}
	snprintf(p, sizeof(p), "%s/%s/hls/%s", S.cfg.run_dir, c->id,
	    rt->segment);
	if (c->state == RUNNING) {
		client_addr(conn, addr, sizeof(addr));
		chan_seen(c, addr);
	}
	pthread_mutex_unlock(&S.mu);
	if ((fd = open_file(p)) < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return fail(conn, rt->kind, 404, 0, "no segment %s",
		    rt->segment);
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL)
		close(fd);
	return queue(conn, rt->kind, 200, r, "video/mp2t");
}

/* A continuous TS viewer: the segments in order from the newest. */
struct stream {
	int64_t		 number;	/* channel */
	char		 dir[PBUF];
	int64_t		 seg;
	int		 fd;
};

/* Segment n, finished or still being written (rv-hlsseg renames
 * NNNNNNNN.ts.tmp to NNNNNNNN.ts when it is done: an open descriptor
 * follows the rename). */
static int
open_seg(struct stream *s, int64_t n)
{
	char p[PBUF + 32];
	int fd, k;

	for (k = 0; k < 2; k++) {
		snprintf(p, sizeof(p), "%s/%08lld.ts", s->dir, (long long)n);
		if ((fd = open_file(p)) >= 0)
			return fd;
		strcat(p, ".tmp");
		if ((fd = open_file(p)) >= 0)
			return fd;
	}
	return -1;
}

/* The newest listed segment's number, or -1. */
static int64_t
newest(const char *dir)
{
	char p[PBUF + 32], *pl, *last = NULL, *line, *save = NULL;
	int64_t n = -1;

	snprintf(p, sizeof(p), "%s/%s", dir, RV_HLS_PLAYLIST);
	if ((pl = slurp(p)) == NULL)
		return -1;
	for (line = strtok_r(pl, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#')
			last = line;
	if (last != NULL)
		n = strtoll(last, NULL, 10);
	free(pl);
	return n;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	int64_t waited = 0, n;
	ssize_t k;
	int fd;

	(void)pos;
	for (;;) {
		if (s->fd >= 0 && (k = read(s->fd, buf, max)) > 0)
			return k;
		/* The next segment exists only once this one is whole:
		 * read what came meanwhile, then go on. */
		if (s->fd >= 0 && (fd = open_seg(s, s->seg + 1)) >= 0) {
			if ((k = read(s->fd, buf, max)) > 0) {
				close(fd);
				return k;
			}
			close(s->fd);
			s->fd = fd;
			s->seg++;
			continue;
		}
		/* Not started, or fallen behind the files kept: go to the
		 * newest. */
		if ((n = newest(s->dir)) >= 0 && (s->fd < 0 || n > s->seg + 1) &&
		    (fd = open_seg(s, n)) >= 0) {
			if (s->fd >= 0)
				close(s->fd);
			s->fd = fd;
			s->seg = n;
			continue;
		}
		if (rv_stop_signal || waited >= STREAM_WAIT_MS)
			return MHD_CONTENT_READER_END_OF_STREAM;
		usleep(100000);
		waited += 100;
		pthread_mutex_lock(&S.mu);
		{
			struct chan *c = chan_find(s->number);

			if (c != NULL)
				c->last_ms = rv_wall_now();
			if (c == NULL || c->state == STOPPED ||
			    c->state == STOPPING) {
				pthread_mutex_unlock(&S.mu);
				return MHD_CONTENT_READER_END_OF_STREAM;
			}
		}
		pthread_mutex_unlock(&S.mu);
	}
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;
	struct chan *c;

	pthread_mutex_lock(&S.mu);
	if ((c = chan_find(s->number)) != NULL) {
		c->ts_viewers--;
		c->last_ms = rv_wall_now();
	}
	pthread_mutex_unlock(&S.mu);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static enum MHD_Result
serve_stream(struct MHD_Connection *conn, const struct rv_route *rt)
{
	struct MHD_Response *r;
	struct stream *s;
	struct chan *c;
	int64_t building;
	int code, retry;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return fail(conn, rt->kind, 500, 0, "out of memory");
	if ((c = chan_running(rt->channel, &code, &retry, &building)) ==
	    NULL) {
		free(s);
		return unavailable(conn, rt, code, retry);
	}
	s->number = rt->channel;
	chan_dir(c, s->dir, sizeof(s->dir), "hls");
	c->ts_viewers++;
	pthread_mutex_unlock(&S.mu);
	/* A cold start streams the first segment while it is written. */
	s->seg = building >= 0 ? building : newest(s->dir);
	s->fd = s->seg >= 0 ? open_seg(s, s->seg) : -1;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
	    stream_read, s, stream_free);
	if (r == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-cache, no-store");
	return queue(conn, rt->kind, 200, r, "video/mp2t");
}

/* A per-channel counter: the int64_t at offset in struct chan.  Lock
 * held. */
static void
counter(FILE *fp, const char *name, const char *help, size_t offset)
{
	size_t i;

	rv_prom_family(fp, name, "counter", help);
	for (i = 0; i < S.nch; i++)
		rv_prom_sample(fp, name, S.ch[i]->id, NULL, NULL, (double)
		    *(const int64_t *)(const void *)((const char *)S.ch[i] +
		    offset));
}

/* rv-serve's own metrics. */
static void
emit_serve(FILE *fp, void *arg)
{
	static const char *const states[] = { "stopped", "starting",
	    "running", "stopping" };
	char p[PBUF], code[16];
	struct stat st;
	int64_t now = rv_wall_now();
	size_t i;
	int k;

	(void)arg;
	pthread_mutex_lock(&S.mu);
	rv_prom_family(fp, "rv_http_requests_total", "counter", "HTTP "
	    "requests answered, by route and status code.");
	for (i = 0; i < RV_ROUTE_COUNT; i++)
		for (k = 0; k < CODES; k++) {
			if (S.requests[i][k] == 0)
				continue;
			snprintf(code, sizeof(code), "%d", codes[k]);
			fprintf(fp, "rv_http_requests_total{route=\"%s\","
			    "code=\"%s\"} %lld\n", rv_route_name(
			    (enum rv_route_kind)i), k < CODES - 1 ? code :
			    "other", (long long)S.requests[i][k]);
		}
	rv_prom_family(fp, "rv_viewers", "gauge", "Viewers watching a "
	    "channel now (HLS clients seen in the last 10 s and open TS "
	    "streams).");
	for (i = 0; i < S.nch; i++)
		rv_prom_sample(fp, "rv_viewers", S.ch[i]->id, NULL, NULL,
		    chan_viewers(S.ch[i], now));
	rv_prom_family(fp, "rv_channel_up", "gauge", "1 when the channel "
	    "runs, by state.");
	for (i = 0; i < S.nch; i++)
		fprintf(fp, "rv_channel_up{channel=\"%s\",state=\"%s\"} "
		    "%d\n", S.ch[i]->id, states[S.ch[i]->state],
		    S.ch[i]->state == RUNNING);
	counter(fp, "rv_channel_starts_total", "Channel starts on demand.",
	    offsetof(struct chan, starts));
	counter(fp, "rv_channel_stops_total", "Channels stopped after their "
	    "last viewer or a failure.", offsetof(struct chan, stops));
	counter(fp, "rv_channel_failures_total", "Channel starts that failed "
	    "and stages that died.", offsetof(struct chan, failures));
	/* A running channel's playlist should never grow old. */
	rv_prom_family(fp, "rv_hls_playlist_age_seconds", "gauge", "Age of "
	    "a running channel's playlist.");
	for (i = 0; i < S.nch; i++) {
		if (S.ch[i]->state != RUNNING)
			continue;
		chan_dir(S.ch[i], p, sizeof(p), "hls/index.m3u8");
		if (stat(p, &st) == 0)
			rv_prom_sample(fp, "rv_hls_playlist_age_seconds",
			    S.ch[i]->id, NULL, NULL, (double)(now -
			    ((int64_t)st.st_mtim.tv_sec * 1000 +
			    st.st_mtim.tv_nsec / 1000000)) / 1000);
	}
	rv_prom_family(fp, "rv_tune_in_seconds", "histogram", "Time from a "
	    "channel's start until its playlist lists three segments.");
	rv_prom_hist_write(fp, "rv_tune_in_seconds", NULL, &S.tune);
	pthread_mutex_unlock(&S.mu);
}

/* Every program's metrics file (DESIGN.md §9) and rv-serve's own, one
 * family under one header. */
static char *
metrics_text(void)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 300], *own = NULL;
	char **texts = NULL, *out, **t;
	size_t n = 0, len = 0, i;
	struct dirent **names = NULL;
	FILE *fp;
	int k, nn;

	if ((fp = open_memstream(&own, &len)) == NULL)
		return NULL;
	emit_serve(fp, NULL);
	if (fclose(fp) != 0) {
		free(own);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s/metrics", S.cfg.run_dir);
	nn = scandir(dir, &names, NULL, alphasort);
	texts = calloc((size_t)(nn > 0 ? nn : 0) + 1, sizeof(*texts));
	if (texts != NULL)
		texts[n++] = own;
	for (k = 0; k < nn; k++) {
		const char *d = names[k]->d_name;
		size_t l = strlen(d);

		/* Its own file is what it just wrote; temporaries are
		 * half-written. */
		if (texts != NULL && l > 5 && strcmp(d + l - 5, ".prom") == 0 &&
		    strcmp(d, "rv-serve.prom") != 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, d);
			if ((texts[n] = slurp(path)) != NULL)
				n++;
		}
		free(names[k]);
	}
	free(names);
	if (texts == NULL) {
		free(own);
		return NULL;
	}
	out = rv_prom_merge((const char *const *)texts, n);
	for (t = texts, i = 0; i < n; i++)
		free(t[i]);
	free(texts);
	return out;
}

static enum MHD_Result
serve_file(struct MHD_Connection *conn, enum rv_route_kind k,
    const char *path, const char *type)
{
	struct MHD_Response *r;
	struct stat st;
	int fd;

	if (path[0] == '\0' || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(conn, k, 404, 0, "not installed: see rv-serve(1), "
		    "--player");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(conn, k, 404, 0, "not a file");
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL)
		close(fd);
	else
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "max-age=86400");
	return queue(conn, k, 200, r, type);
}

static enum MHD_Result
serve_listing(struct MHD_Connection *conn, const struct rv_route *rt)
{
	struct rv_device d = { S.device_id, S.cfg.serve.friendly_name,
	    S.base_url, S.cfg.serve.tuners };
	struct rv_lineup l;
	struct rv_err err;
	char *body = NULL;
	const char *type = "application/json";
	size_t len = 0;
	FILE *fp;
	int rc = 0;

	pthread_mutex_lock(&S.mu);
	if (rv_lineup_load(S.db, &l, &err) < 0) {
		pthread_mutex_unlock(&S.mu);
		rv_warnx("%s", err.msg);
		return fail(conn, rt->kind, 500, 0, "%s", err.msg);
	}
	switch (rt->kind) {
	case RV_ROUTE_GUIDE:
		body = rv_lineup_guide_html(S.db, &l, rv_wall_now(),
		    S.player[0] != '\0', &err);
		type = "text/html; charset=utf-8";
		break;
	case RV_ROUTE_M3U:
		body = rv_lineup_m3u(&l, S.base_url);
		type = "audio/x-mpegurl";
		break;
	case RV_ROUTE_XMLTV:
		if ((fp = open_memstream(&body, &len)) == NULL)
			break;
		/* The window of `rv-horizon epg --xmltv`. */
		rc = rv_xmltv_write(S.db, NULL, 0, rv_wall_now() -
		    RV_MS_PER_HOUR * 6, INT64_MAX, fp, &err);
		fclose(fp);
		if (rc < 0) {
			free(body);
			body = NULL;
		}
		type = "application/xml; charset=utf-8";
		break;
	case RV_ROUTE_DISCOVER:
		body = rv_hdhr_discover(&d);
		break;
	case RV_ROUTE_LINEUP:
		body = rv_hdhr_lineup(&l, S.base_url);
		break;
	case RV_ROUTE_LINEUP_STATUS:
		body = rv_hdhr_lineup_status();
		break;
	case RV_ROUTE_DEVICE:
		body = rv_hdhr_device_xml(&d);
		type = "application/xml; charset=utf-8";
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&S.mu);
	rv_lineup_free(&l);
	if (rt->kind == RV_ROUTE_GUIDE && body == NULL) {
		rv_warnx("%s", err.msg);
		return fail(conn, rt->kind, 500, 0, "%s", err.msg);
	}
	if (rc < 0) {
		rv_warnx("%s", err.msg);
		return fail(conn, rt->kind, 500, 0, "%s", err.msg);
	}
	return text(conn, rt->kind, 200, type, body);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct rv_route rt;

	(void)cls;
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)ctx;
	rv_route_parse(url, &rt);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return fail(conn, rt.kind, 405, 0, "%s: method not allowed",
		    method);
	switch (rt.kind) {
	case RV_ROUTE_NONE:
		return fail(conn, rt.kind, 404, 0, "not found");
	case RV_ROUTE_PLAYLIST:
		return serve_playlist(conn, &rt);
	case RV_ROUTE_SEGMENT:
		return serve_segment(conn, &rt);
	case RV_ROUTE_STREAM:
		return serve_stream(conn, &rt);
	case RV_ROUTE_HEALTHZ:
		return text(conn, rt.kind, 200, "text/plain; charset=utf-8",
		    strdup("ok\n"));
	case RV_ROUTE_METRICS:
		return text(conn, rt.kind, 200,
		    "text/plain; version=0.0.4; charset=utf-8", metrics_text());
	case RV_ROUTE_PLAYER_JS:
		return serve_file(conn, rt.kind, S.player,
		    "text/javascript; charset=utf-8");
	default:
		return serve_listing(conn, &rt);
	}
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	rv_info("libmicrohttpd: %s", msg);
}

/* No route has a percent-escape: leaving them in place makes "%2f" or
 * "%00" fail the route match instead of becoming a slash or an end. */
static size_t
keep_escapes(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* Where the programs and hls.min.js are: beside this executable. */
static void
find_paths(const char *player)
{
	static const char *const js[] = { "../share/retrovue/hls.min.js",
	    "../../share/retrovue/hls.min.js", "share/hls.min.js" };
	char self[PATH_MAX], p[PBUF];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t i;

	S.bindir[0] = '\0';
	if (n > 0) {
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(S.bindir, sizeof(S.bindir), "%s", self);
	}
	S.player[0] = '\0';
	if (player != NULL) {
		if (access(player, R_OK) != 0)
			rv_warnx("--player %s: %s (the guide page's player will "
			    "rely on the browser's own HLS)", player,
			    strerror(errno));
		else
			snprintf(S.player, sizeof(S.player), "%s", player);
		return;
	}
	for (i = 0; i < sizeof(js) / sizeof(js[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", S.bindir, js[i]);
		if (access(p, R_OK) == 0 && realpath(p, S.player) != NULL)
			return;
	}
	S.player[0] = '\0';
}

int
main(int argc, char *argv[])
{
	enum { O_LISTEN = 256, O_PLAYER, O_PRINT };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "player", required_argument, NULL, O_PLAYER },
		{ "print-config", no_argument, NULL, O_PRINT },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *listen = NULL, *player = NULL;
	int print = 0;
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct MHD_Daemon *d;
	struct rv_config over;
	struct rv_err err;
	pthread_t w;
	sigset_t stop;
	struct rlimit rl;
	char port[16];
	int sig = 0;
	size_t i;
	int ch, rc;

	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			S.config_path = optarg;
			break;
		case O_LISTEN:
			listen = optarg;
			break;
		case O_PLAYER:
			player = optarg;
			break;
		case O_PRINT:
			print = 1;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (argc != optind)
		return rv_cli_usage_error(usage, "unexpected argument: %s",
		    argv[optind]);
	if (rv_cli_config(S.config_path, &S.cfg) < 0)
		return RV_EXIT_FAIL;
	/* A descriptor per viewer, and a segment file each. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (listen != NULL) {
		char yaml[600];

		snprintf(yaml, sizeof(yaml), "serve:\n  listen: \"%s\"\n",
		    listen);
		over = S.cfg;
		if (strchr(listen, '"') != NULL || rv_config_load_buffer(
		    "--listen", yaml, strlen(yaml), &over, &err) < 0)
			return rv_cli_usage_error(usage, "--listen %s: want "
			    "HOST:PORT or [IPV6]:PORT", listen);
		/* The file the stages are given stays the one read. */
		memcpy(over.source, S.cfg.source, sizeof(over.source));
		S.cfg = over;
	}
	/* The effective configuration, for scripts (rv-channel reads its
	 * run_dir here) and for an operator's question. */
	if (print)
		return rv_config_dump(&S.cfg, stdout) < 0 ? RV_EXIT_FAIL :
		    RV_EXIT_OK;
	rv_config_base_url(&S.cfg, S.base_url, sizeof(S.base_url));
	rv_config_device_id(&S.cfg, S.device_id);
	find_paths(player);
	if (rv_db_open(S.cfg.database, &S.db, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	pthread_mutex_init(&S.mu, NULL);
	rv_prom_hist_init(&S.tune, tune_buckets, TUNE_BUCKETS);
	/* Every channel known now shows in the metrics from the start. */
	{
		struct rv_lineup l;

		if (rv_lineup_load(S.db, &l, &err) == 0) {
			for (i = 0; i < l.n; i++)
				chan_find(l.ch[i].number);
			rv_lineup_free(&l);
		}
	}
	/* Every thread but this one leaves SIGTERM and SIGINT to sigwait. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", S.cfg.serve.listen_port);
	if ((rc = getaddrinfo(S.cfg.serve.listen_host, port, &hints, &ai)) !=
	    0) {
		rv_warnx("%s: %s", S.cfg.serve.listen, gai_strerror(rc));
		rv_db_close(S.db);
		return RV_EXIT_FAIL;
	}
	/* Before any request can start a channel left behind anew. */
	stop_orphans();
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	    (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	    (uint16_t)S.cfg.serve.listen_port, NULL, NULL, handle, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTIONS_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (d == NULL) {
		rv_warnx("cannot listen on %s: %s", S.cfg.serve.listen,
		    errno ? strerror(errno) : "libmicrohttpd refused");
		rv_db_close(S.db);
		return RV_EXIT_FAIL;
	}
	rv_warnx("serving on %s (guide %s/, playlist %s/channels.m3u)",
	    S.cfg.serve.listen, S.base_url, S.base_url);
	if (S.player[0] == '\0')
		rv_info("no hls.min.js found: the guide page's player relies "
		    "on the browser's own HLS");
	if (rv_metrics_init(&S.mx, S.cfg.run_dir, "rv-serve", NULL, &err) < 0)
		rv_warnx("metrics: %s", err.msg);
	pthread_create(&w, NULL, watcher, NULL);
	if (sigwait(&stop, &sig) == 0)
		rv_stop_signal = sig;
	rv_info("stopping");
	/* Every channel gets SIGTERM at once, so that the whole stop takes
	 * one grace at most. */
	pthread_mutex_lock(&S.mu);
	for (i = 0; i < S.nch; i++)
		if (S.ch[i]->state == RUNNING || S.ch[i]->state == STARTING)
			chan_stop(S.ch[i], "rv-serve stopping");
	pthread_mutex_unlock(&S.mu);
	MHD_stop_daemon(d);
	pthread_join(w, NULL);
	/* Nobody else runs now: wait for the stages, SIGKILL after the
	 * grace. */
	for (;;) {
		int64_t now = rv_wall_now();
		int busy = 0;

		for (i = 0; i < S.nch; i++) {
			if (S.ch[i]->state == STOPPED)
				continue;
			if (S.ch[i]->state != STOPPING)
				chan_stop(S.ch[i], "rv-serve stopping");
			chan_settle(S.ch[i], now);
			busy |= S.ch[i]->state != STOPPED;
		}
		if (!busy)
			break;
		usleep(20000);
	}
	rv_metrics_tick(&S.mx, 1, emit_serve, NULL, &err);
	for (i = 0; i < S.nch; i++)
		free(S.ch[i]);
	free(S.ch);
	rv_db_close(S.db);
	return RV_EXIT_OK;
}
