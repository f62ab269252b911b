/*
 * rv-blockfeed — feed one channel's block plans to rv-air on time, from
 * the execution horizon (rv-blockfeed(1)).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "blockplan.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "frame.h"
#include "json.h"
#include "metrics.h"

static const char usage[] =
    "usage: rv-blockfeed [-C FILE] [--now T] [--until T] [--clock wall|fast]\n"
    "                    CHANNEL\n"
    "  writes H, then B frames from the block holding now (with join_ms),\n"
    "  keeping rv-air fed ahead; --until T cuts the last plan at T and ends\n"
    "  the stream with Z.\n";

struct feed {
	const char		*channel;
	sqlite3			*db;
	struct rv_clock		 clock;
	int64_t			 until;		/* 0: none */
	int			 ahead_blocks;
	int64_t			 ahead_ms;
	int64_t			 written_end;	/* end of the last plan sent */
	int64_t			*ends;		/* ends of plans in flight */
	int			 nends;
	long			 faults;
	long			 plans, late;
	struct rv_metrics	 mx;
};

/* A plan should reach rv-air at least this long before it starts. */
#define LATE_MS	10000

static void
emit_feed(FILE *fp, void *arg)
{
	struct feed *f = arg;
	int64_t lead = f->written_end - rv_clock_now(&f->clock);

	rv_prom_one(fp, "rv_blockfeed_plans_total", "counter", f->channel,
	    (double)f->plans, "Block plans written to rv-air.");
	rv_prom_one(fp, "rv_blockfeed_plans_late_total", "counter", f->channel,
	    (double)f->late, "Plans written less than 10 s before their "
	    "start, or after it (the first plan of a join excepted).");
	rv_prom_one(fp, "rv_blockfeed_planning_faults_total", "counter",
	    f->channel, (double)f->faults, "Times the execution horizon had "
	    "no block where one was needed (once a second while it lasts).");
	rv_prom_one(fp, "rv_blockfeed_lead_seconds", "gauge", f->channel,
	    f->plans > 0 ? (double)lead / 1000 : 0, "How far past now the "
	    "plans written so far reach.");
}

static void
metrics(struct feed *f, int force)
{
	struct rv_err err;

	rv_metrics_tick(&f->mx, force, emit_feed, f, &err);
}

static int
send(int type, json_t *j)
{
	struct rv_err err;
	int rc = rv_frame_write_json(STDOUT_FILENO, type, j, &err);

	if (rc < 0)
		rv_warnx("%s", errno == EPIPE ? "rv-air went away (broken pipe)" :
		    err.msg);
	return rc;
}

static void
fault(struct feed *f, const char *what, int64_t t)
{
	char at[RV_TIME_STR];

	f->faults++;
	metrics(f, 0);
	rv_warnx("planning fault: %s %s in the execution horizon of %s "
	    "(%ld so far)", what, rv_time_format(t, at, sizeof(at)),
	    f->channel, f->faults);
}

/* Wall clock: wait while rv-air already holds enough: ahead_blocks plans
 * not yet over and ahead_ms of time, so every plan arrives well before
 * it starts. */
static void
pace(struct feed *f)
{
	int64_t now, wake;
	int i, n;

	if (f->clock.mode != RV_CLOCK_WALL)
		return;
	while (!rv_stop_signal) {
		now = rv_clock_now(&f->clock);
		for (i = n = 0; i < f->nends; i++)
			if (f->ends[i] > now)
				f->ends[n++] = f->ends[i];
		f->nends = n;
		if (n < f->ahead_blocks || f->written_end - now < f->ahead_ms)
			return;
		wake = f->written_end - f->ahead_ms;
		if (f->ends[0] < wake)
			wake = f->ends[0];
		rv_clock_sleep_until(&f->clock, wake > now + 1000 ?
		    now + 1000 : wake);
		metrics(f, 0);
	}
}

static int
deliver(struct feed *f, json_t *plan)
{
	int64_t end = json_integer_value(json_object_get(plan, "end_ms"));
	struct rv_err err;
	void *p;

	if (f->until > 0 && end >= f->until &&
	    rv_blockplan_cut(plan, f->until, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	if (send('B', plan) < 0)
		return -1;
	f->plans++;
	if (json_object_get(plan, "join_ms") == NULL &&
	    json_integer_value(json_object_get(plan, "start_ms")) -
	    rv_clock_now(&f->clock) < LATE_MS)
		f->late++;
	f->written_end = json_integer_value(json_object_get(plan, "end_ms"));
	metrics(f, 0);
	p = reallocarray(f->ends, (size_t)f->nends + 1, sizeof(*f->ends));
	if (p == NULL)
		return -1;
	f->ends = p;
	f->ends[f->nends++] = f->written_end;
	return 0;
}

/* The next plan after the last one sent: the horizon's, a pad plan over a
 * hole in it, or none yet (a planning fault; poll). */
static json_t *
next_plan(struct feed *f)
{
	struct rv_err err;
	json_t *plan;
	int64_t start;
	int rc;

	while (!rv_stop_signal) {
		rc = rv_blockplan_after(f->db, f->channel, f->written_end, &plan,
		    &err);
		if (rc < 0) {
			rv_warnx("%s", err.msg);
			return NULL;
		}
		if (rc == 0) {
			fault(f, "no block from", f->written_end);
			sleep(1);	/* rv-air pads meanwhile */
			continue;
		}
		start = json_integer_value(json_object_get(plan, "start_ms"));
		if (start > f->written_end) {
			fault(f, "a hole up to", start);
			json_decref(plan);
			return rv_blockplan_pad(f->channel, f->written_end,
			    f->until > 0 && f->until < start ? f->until : start);
		}
		return plan;
	}
	return NULL;
}

static int
feed(struct feed *f)
{
	struct rv_err err;
	json_t *plan, *z;
	int64_t now = rv_clock_now(&f->clock);
	char session[64];
	int rc;

	snprintf(session, sizeof(session), "feed-%lld", (long long)now);
	z = json_pack("{s:s, s:s, s:s, s:s}", "tool", "rv-blockfeed",
	    "version", RV_VERSION, "channel", f->channel, "session", session);
	rc = send('H', z);
	json_decref(z);
	if (rc < 0)
		return -1;
	while ((rc = rv_blockplan_at(f->db, f->channel, now, &plan, &err)) == 0 &&
	    !rv_stop_signal) {
		fault(f, "no block", now);
		sleep(1);
		now = rv_clock_now(&f->clock);
	}
	if (rc < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	if (rv_stop_signal)
		goto stopped;
	/* Join in progress: the viewer's tune-in instant; fences stay on
	 * the grid. */
	json_object_set_new(plan, "join_ms", json_integer(now));
	for (;;) {
		rc = deliver(f, plan);
		json_decref(plan);
		if (rc < 0)
			return -1;
		if (f->until > 0 && f->written_end >= f->until)
			break;
		pace(f);
		if (rv_stop_signal || (plan = next_plan(f)) == NULL)
			break;
	}
	if (!rv_stop_signal && f->until > 0) {
		z = json_pack("{s:s}", "reason", "until");
		rc = send('Z', z);
		json_decref(z);
		return rc;
	}
stopped:
	if (rv_stop_signal) {
		z = json_pack("{s:s}", "reason", "stopped");
		send('Z', z);
		json_decref(z);
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	enum { O_NOW = 256, O_UNTIL, O_CLOCK };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "now", required_argument, NULL, O_NOW },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "clock", required_argument, NULL, O_CLOCK },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct feed f = { 0 };
	enum rv_clock_mode mode = RV_CLOCK_WALL;
	const char *config = NULL, *now_arg = NULL, *until = NULL;
	struct rv_config cfg;
	struct rv_err err;
	int64_t now;
	int ch, rc;

	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			config = optarg;
			break;
		case O_NOW:
			now_arg = optarg;
			break;
		case O_UNTIL:
			until = optarg;
			break;
		case O_CLOCK:
			if (rv_clock_mode_parse(optarg, &mode, &err) < 0)
				return rv_cli_usage_error(usage, "%s", err.msg);
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (argc - optind != 1)
		return rv_cli_usage_error(usage, "name one channel");
	f.channel = argv[optind];
	if (rv_now_resolve(now_arg, &now, &err) < 0 ||
	    (until != NULL && rv_time_parse(until, &f.until, &err) < 0))
		return rv_cli_usage_error(usage, "%s", err.msg);
	if (f.until > 0 && f.until <= now)
		return rv_cli_usage_error(usage, "--until must be after now");
	if (isatty(STDOUT_FILENO))
		return rv_cli_usage_error(usage, "frames are binary: pipe them "
		    "into rv-air or rv-frame dump");
	if (rv_cli_config(config, &cfg) < 0)
		return RV_EXIT_FAIL;
	if (rv_db_open(cfg.database, &f.db, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	f.ahead_blocks = cfg.playout.feed_ahead_blocks;
	f.ahead_ms = (int64_t)cfg.playout.feed_ahead_seconds * 1000;
	rv_clock_init(&f.clock, mode, now);
	if (rv_metrics_init(&f.mx, cfg.run_dir, "rv-blockfeed", f.channel,
	    &err) < 0)
		rv_warnx("metrics: %s", err.msg);
	rc = feed(&f);
	metrics(&f, 1);
	free(f.ends);
	rv_db_close(f.db);
	return rc < 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}
