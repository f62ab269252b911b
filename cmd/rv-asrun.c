/*
 * rv-asrun — append rv-air's evidence to the as-run log, exactly once, and
 * render a channel's broadcast as-run log (rv-asrun(1)).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "asrun.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "frame.h"
#include "metrics.h"
#include "tz.h"

static const char usage[] =
    "usage: rv-asrun [-C FILE] ingest [--from PATH] [--journal DIR]\n"
    "       rv-asrun [-C FILE] log CHANNEL [--day YYYY-MM-DD] [--json]\n"
    "                [--now T]\n"
    "       rv-asrun [-C FILE] reconcile CHANNEL [--from T] [--to T] [--json]\n"
    "                [--tolerance-frames N] [--now T]\n";

/* Ingest's metrics file, named after the channel of the first event. */
static struct rv_metrics mx;
static const char *run_dir;

static void
emit_ingest(FILE *fp, void *arg)
{
	const struct rv_asrun_stats *st = arg;
	const char *ch = st->channel;

	rv_prom_one(fp, "rv_asrun_events_total", "counter", ch,
	    (double)st->recorded, "Evidence events recorded in the as-run "
	    "log.");
	rv_prom_one(fp, "rv_asrun_duplicates_total", "counter", ch,
	    (double)st->duplicates, "Replayed or duplicated events: recorded "
	    "once already.");
	rv_prom_one(fp, "rv_asrun_refused_total", "counter", ch,
	    (double)st->refused, "Bad events refused.");
	rv_prom_family(fp, "rv_asrun_anomalies_total", "counter",
	    "Anomalies recorded, by kind: sequence_gap (events lost), "
	    "terminated (a session closed without session_end).");
	rv_prom_sample(fp, "rv_asrun_anomalies_total", ch, "kind",
	    "sequence_gap", (double)st->gaps);
	rv_prom_sample(fp, "rv_asrun_anomalies_total", ch, "kind",
	    "terminated", (double)st->terminated);
}

static void
ingest_metrics(struct rv_asrun_stats *st, int force)
{
	struct rv_err err;

	static int failed;

	if (st->channel[0] == 0 || failed)
		return;
	if (mx.path[0] == 0 && rv_metrics_init(&mx, run_dir, "rv-asrun",
	    st->channel, &err) < 0) {
		rv_warnx("metrics: %s", err.msg);
		failed = 1;	/* said once; ingest goes on */
		return;
	}
	rv_metrics_tick(&mx, force, emit_ingest, st, &err);
}

/* The sequence number of an event, or 0. */
static int64_t
seq_of(const struct rv_frame *f)
{
	json_t *j = json_loadb((const char *)f->payload, f->len, 0, NULL);
	int64_t seq = json_integer_value(json_object_get(j, "seq"));

	json_decref(j);
	return seq;
}

/* Read E frames from fd until its end; every event committed before the
 * next frame is read.  Events numbered up to skip are known recorded and
 * passed over.  -1 only when the database fails. */
static int
ingest_fd(sqlite3 *db, int fd, const char *name, struct rv_asrun_stats *st,
    int64_t skip, int *whole)
{
	struct rv_frame_reader *r = malloc(sizeof(*r));
	struct rv_frame f = { 0 };
	struct rv_err err;
	int64_t q;
	int rc = 0, failed = 0;

	if (r == NULL) {
		rv_warnx("out of memory");
		return -1;
	}
	rv_frame_reader_init(r, fd, name);
	while (!rv_stop_signal && (rc = rv_frame_read(r, &f, &err)) == 1) {
		if (f.type != 'E')
			continue;	/* H, Z and types we do not know */
		if (skip > 0 && (q = seq_of(&f)) > 0 && q <= skip)
			continue;
		switch (rv_asrun_ingest(db, (const char *)f.payload, f.len, st,
		    &err)) {
		case RV_ASRUN_FAILED:
			rv_warnx("%s: frame %lld: %s", name,
			    (long long)r->frames, err.msg);
			failed = 1;
			break;
		case RV_ASRUN_REFUSED:
			rv_warnx("%s: frame %lld: %s (skipped)", name,
			    (long long)r->frames, err.msg);
			break;
		default:
			break;
		}
		if (failed)
			break;
		ingest_metrics(st, 0);
	}
	if (rc < 0 && !rv_stop_signal)
		rv_warnx("%s", err.msg);
	/* Read to its end, every frame whole: not stopped, not torn. */
	if (whole != NULL)
		*whole = rc == 0 && !failed && !rv_stop_signal;
	rv_frame_free(&f);
	free(r);
	return failed ? -1 : 0;
}

/* 1 when the as-run has closed session id (its end recorded, or it was
 * closed as terminated), 0 when not, -1 on a database error; *upto the
 * number of its events recorded when they are 1..that without a gap (so
 * a journal's need not be recorded again), else 0. */
static int
session_closed(sqlite3 *db, const char *id, int64_t *upto)
{
	sqlite3_stmt *st;
	struct rv_err err;
	int rc = 0;

	*upto = 0;
	if (rv_db_prepare(db, "SELECT s.ended_ms IS NOT NULL, count(e.seq), "
	    "coalesce(min(e.seq), 0), coalesce(max(e.seq), 0) FROM "
	    "asrun_sessions s LEFT JOIN asrun_events e USING (session_id) "
	    "WHERE s.session_id = ? GROUP BY s.session_id", &st, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = sqlite3_column_int(st, 0);
		if (sqlite3_column_int64(st, 2) == 1 &&
		    sqlite3_column_int64(st, 1) == sqlite3_column_int64(st, 3))
			*upto = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

/* rv-air's journal (rv-air --journal): every <session>.ev in dir is
 * ingested again -- what a killed ingest read and never committed, or
 * never read, is there; what it did commit is a duplicate, a no-op --
 * and removed once its session is closed.  -1 only when the database
 * fails. */
static int
journal_sweep(sqlite3 *db, const char *dir, struct rv_asrun_stats *st)
{
	struct dirent **names;
	char p[4096], id[1024];
	size_t len;
	int64_t upto;
	int i, n, fd, rc = 0, whole;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		if (errno != ENOENT)
			rv_warnx("%s: %s", dir, strerror(errno));
		return 0;
	}
	for (i = 0; i < n; i++) {
		len = strlen(names[i]->d_name);
		if (rc == 0 && !rv_stop_signal && len > 3 &&
		    len - 3 < sizeof(id) &&
		    strcmp(names[i]->d_name + len - 3, ".ev") == 0 &&
		    names[i]->d_name[0] != '.') {
			snprintf(id, sizeof(id), "%.*s", (int)(len - 3),
			    names[i]->d_name);
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]->d_name);
			if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0)
				rv_warnx("%s: %s", p, strerror(errno));
			else {
				session_closed(db, id, &upto);
				rc = ingest_fd(db, fd, p, st, upto, &whole);
				close(fd);
				/* Only a journal read whole goes. */
				if (rc == 0 && whole && session_closed(db, id,
				    &upto) == 1 && unlink(p) < 0)
					rv_warnx("%s: %s", p, strerror(errno));
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int
cmd_ingest(sqlite3 *db, const char *from, const char *journal)
{
	struct rv_asrun_stats st = { 0 };
	struct stat sb;
	int fd, rc = 0, fifo;

	if (journal != NULL && journal_sweep(db, journal, &st) < 0)
		rc = -1;
	else if (from == NULL)
		rc = ingest_fd(db, STDIN_FILENO, "stdin", &st, 0, NULL);
	else {
		fifo = stat(from, &sb) == 0 && S_ISFIFO(sb.st_mode);
		/* A named pipe is opened again each time its writer goes
		 * (rv-air restarted); a file is read once. */
		do {
			if (rv_stop_signal)
				break;
			if ((fd = open(from, O_RDONLY | O_CLOEXEC)) < 0) {
				if (errno == EINTR && rv_stop_signal)
					break;
				rv_warnx("%s: %s", from, strerror(errno));
				rc = -1;
				break;
			}
			rc = ingest_fd(db, fd, from, &st, 0, NULL);
			close(fd);
			/* A session has ended: its journal can go. */
			if (rc == 0 && journal != NULL && !rv_stop_signal)
				rc = journal_sweep(db, journal, &st);
		} while (fifo && rc == 0 && !rv_stop_signal);
	}
	ingest_metrics(&st, 1);
	rv_info("%lld events recorded, %lld duplicates, %lld refused, %lld "
	    "sequence gaps, %lld sessions closed as terminated",
	    (long long)st.recorded, (long long)st.duplicates,
	    (long long)st.refused, (long long)st.gaps,
	    (long long)st.terminated);
	return rc < 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}

static int
cmd_log(sqlite3 *db, const struct rv_config *cfg, int argc, char **argv)
{
	enum { O_DAY = 256, O_JSON, O_NOW };
	static const struct option longopts[] = {
		{ "day", required_argument, NULL, O_DAY },
		{ "json", no_argument, NULL, O_JSON },
		{ "now", required_argument, NULL, O_NOW },
		{ NULL, 0, NULL, 0 }
	};
	struct rv_asrun_log q = { 0 };
	const char *day = NULL, *now_arg = NULL, *zone;
	char dbuf[RV_DATE_STR];
	struct rv_date d;
	struct rv_err err;
	sqlite3_stmt *st;
	int64_t now;
	int ch;

	optind = 0;	/* glibc: start getopt afresh */
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_DAY:
			day = optarg;
			break;
		case O_JSON:
			q.json = 1;
			break;
		case O_NOW:
			now_arg = optarg;
			break;
		default:
			return rv_cli_usage_error(usage, "log: unknown option");
		}
	}
	if (argc - optind != 1)
		return rv_cli_usage_error(usage, "log: name one channel");
	q.channel = argv[optind];
	if (rv_now_resolve(now_arg, &now, &err) < 0)
		return rv_cli_usage_error(usage, "%s", err.msg);
	q.generated_ms = now;
	q.day_start_min = cfg->broadcast_day_start;
	if (day == NULL) {
		/* The broadcast day on the air now, in the channel's zone. */
		if (rv_db_prepare(db, "SELECT timezone FROM channels WHERE id "
		    "= ?1", &st, &err) < 0) {
			rv_warnx("%s", err.msg);
			return RV_EXIT_FAIL;
		}
		sqlite3_bind_text(st, 1, q.channel, -1, SQLITE_STATIC);
		zone = sqlite3_step(st) == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) : NULL;
		if (zone == NULL || rv_broadcast_day_of(zone, q.day_start_min,
		    now, &d, &err) < 0) {
			rv_warnx("%s", zone == NULL ? "no such channel in the "
			    "database" : err.msg);
			sqlite3_finalize(st);
			return RV_EXIT_FAIL;
		}
		sqlite3_finalize(st);
		day = rv_date_format(d, dbuf, sizeof(dbuf));
	}
	q.day = day;
	if (rv_asrun_log(db, &q, stdout, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	return RV_EXIT_OK;
}

struct reconciled {
	const char			*channel;
	const struct rv_asrun_summary	*sum;
};

static void
emit_reconcile(FILE *fp, void *arg)
{
	const struct reconciled *r = arg;
	const struct rv_asrun_summary *sum = r->sum;
	const char *ch = r->channel;
	int k;

	rv_prom_family(fp, "rv_asrun_verdicts", "gauge", "Verdicts of the "
	    "last reconcile, by verdict.");
	for (k = 0; k < RV_ASRUN_NVERDICT; k++)
		rv_prom_sample(fp, "rv_asrun_verdicts", ch, "verdict",
		    rv_asrun_verdict_names[k], (double)sum->counts[k]);
	rv_prom_one(fp, "rv_asrun_substituted_seconds", "gauge", ch,
	    (double)sum->substituted_ms / 1000, "Seconds substituted "
	    "in the last reconcile's window.");
	rv_prom_one(fp, "rv_asrun_on_air_seconds", "gauge", ch,
	    (double)sum->on_air_ms / 1000, "Seconds on the air in the "
	    "last reconcile's window.");
	rv_prom_one(fp, "rv_asrun_reconcile_timestamp_seconds", "gauge", ch,
	    (double)rv_wall_now() / 1000, "When reconcile last ran.");
}

static int
cmd_reconcile(sqlite3 *db, int argc, char **argv)
{
	enum { O_FROM = 256, O_TO, O_JSON, O_TOL, O_NOW };
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "json", no_argument, NULL, O_JSON },
		{ "tolerance-frames", required_argument, NULL, O_TOL },
		{ "now", required_argument, NULL, O_NOW },
		{ NULL, 0, NULL, 0 }
	};
	struct rv_asrun_reconcile q = { .tolerance_frames = 1 };
	const char *from = NULL, *to = NULL, *now_arg = NULL;
	struct rv_asrun_summary sum;
	struct rv_metrics rm;
	struct rv_err err;
	int64_t now;
	char *end;
	int ch;

	optind = 0;	/* glibc: start getopt afresh */
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_FROM:
			from = optarg;
			break;
		case O_TO:
			to = optarg;
			break;
		case O_JSON:
			q.json = 1;
			break;
		case O_TOL:
			q.tolerance_frames = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' ||
			    q.tolerance_frames < 0 || q.tolerance_frames > 1000)
				return rv_cli_usage_error(usage, "reconcile: "
				    "--tolerance-frames takes 0 to 1000 (%s)",
				    optarg);
			break;
		case O_NOW:
			now_arg = optarg;
			break;
		default:
			return rv_cli_usage_error(usage, "reconcile: unknown "
			    "option");
		}
	}
	if (argc - optind != 1)
		return rv_cli_usage_error(usage, "reconcile: name one channel");
	q.channel = argv[optind];
	if (rv_now_resolve(now_arg, &now, &err) < 0)
		return rv_cli_usage_error(usage, "%s", err.msg);
	/* By default the last 24 hours: the morning check. */
	q.to_ms = now;
	q.from_ms = now - RV_MS_PER_DAY;
	if ((to != NULL && rv_time_parse(to, &q.to_ms, &err) < 0) ||
	    (from != NULL && rv_time_parse(from, &q.from_ms, &err) < 0))
		return rv_cli_usage_error(usage, "reconcile: %s", err.msg);
	if (q.from_ms >= q.to_ms)
		return rv_cli_usage_error(usage, "reconcile: --from must be "
		    "before --to");
	if (rv_asrun_reconcile(db, &q, stdout, &sum, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	/* The verdicts of this run, for alerts on a cron job's reconcile. */
	if (rv_metrics_init(&rm, run_dir, "rv-reconcile", q.channel,
	    &err) < 0)
		rv_warnx("metrics: %s", err.msg);
	else
		rv_metrics_tick(&rm, 1, emit_reconcile, &(struct reconciled){
		    q.channel, &sum }, &err);
	return sum.bad > 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	enum { O_FROM = 256 };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "from", required_argument, NULL, O_FROM },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL, *from = NULL, *journal = NULL, *cmd;
	struct rv_config cfg;
	struct rv_err err;
	sqlite3 *db;
	int ch, rc;

	rv_log_init(argv[0]);
	rv_cli_signals();
	/* Options before the command, and ingest's --from anywhere. */
	while ((ch = getopt_long(argc, argv, "+C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			config = optarg;
			break;
		case O_FROM:
			from = optarg;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (optind >= argc)
		return rv_cli_usage_error(usage, "name a command");
	cmd = argv[optind];
	if (strcmp(cmd, "ingest") == 0) {
		optind++;
		while (optind < argc) {
			if (strcmp(argv[optind], "--from") == 0 &&
			    optind + 1 < argc) {
				from = argv[optind + 1];
				optind += 2;
			} else if (strcmp(argv[optind], "--journal") == 0 &&
			    optind + 1 < argc) {
				journal = argv[optind + 1];
				optind += 2;
			} else if (strcmp(argv[optind], "-v") == 0) {
				rv_log_set_level(rv_log_level() + 1);
				optind++;
			} else
				return rv_cli_usage_error(usage, "ingest: "
				    "unexpected %s", argv[optind]);
		}
	} else if (strcmp(cmd, "log") != 0 && strcmp(cmd, "reconcile") != 0)
		return rv_cli_usage_error(usage, "unknown command %s", cmd);
	if (rv_cli_config(config, &cfg) < 0)
		return RV_EXIT_FAIL;
	if (rv_db_open(cfg.database, &db, &err) < 0) {
		rv_warnx("%s", err.msg);
		return RV_EXIT_FAIL;
	}
	run_dir = cfg.run_dir;
	if (strcmp(cmd, "ingest") == 0)
		rc = cmd_ingest(db, from, journal);
	else if (strcmp(cmd, "log") == 0)
		rc = cmd_log(db, &cfg, argc - optind, argv + optind);
	else
		rc = cmd_reconcile(db, argc - optind, argv + optind);
	rv_db_close(db);
	return rc;
}
