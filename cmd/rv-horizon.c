/*
 * rv-horizon — keep each channel's guide and execution horizons full;
 * publish compiled blocks; report depth; export the guide
 * (rv-horizon(1)).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "channel.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "frame.h"
#include "horizon.h"
#include "json.h"
#include "metrics.h"
#include "xmltv.h"

static const char usage[] =
    "usage: rv-horizon [-C FILE] [--now T] [-v] COMMAND\n"
    "  extend [CHANNEL...]             compile, expand and publish what is missing\n"
    "  publish [--force]               publish P frames read on stdin\n"
    "  status [--json] [CHANNEL...]    depth of each horizon; 1 when short\n"
    "  epg [--xmltv | --json] [--from T] [--to T] [CHANNEL...]\n"
    "CHANNEL is a channel id or a channel file.\n";

struct opts {
	const char	*config, *now;
	int		 force, json, xmltv;
	const char	*from, *to;
};

struct ctx {
	struct opts		*o;
	struct rv_config	 cfg;
	sqlite3			*db;
	struct rv_catalog	*cat;
	struct rv_horizon_policy pol;
	int64_t			 now;
};

static int
setup(struct ctx *x, int need_catalog)
{
	struct rv_err err;

	if (rv_cli_config(x->o->config, &x->cfg) < 0)
		return -1;
	if (rv_now_resolve(x->o->now, &x->now, &err) < 0 ||
	    rv_db_open(x->cfg.database, &x->db, &err) < 0 ||
	    (need_catalog && rv_catalog_load(x->db, &x->cat, &err) < 0)) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	x->pol.epg_ms = (int64_t)x->cfg.horizon.epg_days * RV_MS_PER_DAY;
	x->pol.exec_ms = (int64_t)x->cfg.horizon.exec_hours * RV_MS_PER_HOUR;
	x->pol.locked_ms = (int64_t)x->cfg.horizon.locked_minutes *
	    RV_MS_PER_MIN;
	x->pol.retention_ms = (int64_t)x->cfg.horizon.retention_days *
	    RV_MS_PER_DAY;
	x->pol.margin_ms = RV_MS_PER_HOUR;
	x->pol.force = x->o->force;
	return 0;
}

static void
teardown(struct ctx *x)
{
	rv_catalog_free(x->cat);
	rv_db_close(x->db);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The channel files: those named, or every *.yaml of the channels folder
 * but include files (names starting with '_' or '.'). */
static char **
channel_files(struct ctx *x, int argc, char **argv, int *n)
{
	char **v = NULL, path[4200];
	struct dirent *de;
	size_t len;
	DIR *d;
	int i;

	*n = 0;
	if (argc > 0) {
		v = calloc((size_t)argc, sizeof(*v));
		for (i = 0; v != NULL && i < argc; i++) {
			len = strlen(argv[i]);
			if (strchr(argv[i], '/') || (len > 5 &&
			    strcmp(argv[i] + len - 5, ".yaml") == 0))
				snprintf(path, sizeof(path), "%s", argv[i]);
			else
				snprintf(path, sizeof(path), "%s/%s.yaml",
				    x->cfg.channels_dir, argv[i]);
			v[(*n)++] = strdup(path);
		}
		return v;
	}
	if ((d = opendir(x->cfg.channels_dir)) == NULL) {
		rv_warnx("%s: %s", x->cfg.channels_dir, strerror(errno));
		return NULL;
	}
	v = calloc(1, sizeof(*v));	/* an empty folder is no error */
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '_' || de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		v = reallocarray(v, (size_t)*n + 1, sizeof(*v));
		if (v == NULL)
			break;
		snprintf(path, sizeof(path), "%s/%s", x->cfg.channels_dir,
		    de->d_name);
		v[(*n)++] = strdup(path);
	}
	closedir(d);
	if (v != NULL)
		qsort(v, (size_t)*n, sizeof(*v), by_name);
	return v;
}

static void
free_list(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static struct rv_channel *
load_channel(struct ctx *x, const char *path)
{
	struct rv_channel_defaults def = { x->cfg.timezone,
	    x->cfg.broadcast_day_start };
	struct rv_channel *c = NULL;
	struct rv_diags d = { 0 };

	rv_channel_load(path, &def, &c, &d);
	rv_cli_print_diags(&d);
	if (c != NULL && c->number == 0) {
		rv_warnx("%s: a channel needs channel_number to be on air",
		    path);
		rv_channel_free(c);
		return NULL;
	}
	return c;
}

static const char *
when(int64_t t, char *buf, size_t n)
{
	return t > 0 ? rv_time_format(t, buf, n) : "(empty)";
}

struct hmetrics {
	const char			*id;
	const struct rv_horizon_status	*s;
	int64_t				 now, failed;
};

static void
emit_horizon(FILE *fp, void *arg)
{
	const struct hmetrics *h = arg;
	const struct rv_horizon_status *s = h->s;
	const char *id = h->id;

	rv_prom_one(fp, "rv_horizon_epg_depth_seconds", "gauge", id,
	    s->epg_end_ms > h->now ? (double)(s->epg_end_ms - h->now) / 1000 :
	    0, "How far past now the guide horizon reached at the last "
	    "extension.");
	rv_prom_one(fp, "rv_horizon_execution_depth_seconds", "gauge", id,
	    s->exec_end_ms > h->now ? (double)(s->exec_end_ms - h->now) / 1000
	    : 0, "How far past now the execution horizon reached at the last "
	    "extension.");
	rv_prom_one(fp, "rv_horizon_epg_end_timestamp_seconds", "gauge", id,
	    (double)s->epg_end_ms / 1000, "Where the guide horizon ends.");
	rv_prom_one(fp, "rv_horizon_execution_end_timestamp_seconds", "gauge",
	    id, (double)s->exec_end_ms / 1000, "Where the execution horizon "
	    "ends.");
	rv_prom_one(fp, "rv_horizon_last_extension_timestamp_seconds", "gauge",
	    id, (double)s->last_ok_ms / 1000, "The last successful extension "
	    "(0: never).");
	rv_prom_one(fp, "rv_horizon_compile_failures_total", "counter", id,
	    (double)(s->failures > h->failed ? s->failures : h->failed),
	    "Failed extensions on record: the channel file did not load or "
	    "compile, and the previous horizon stood.");
	rv_prom_one(fp, "rv_horizon_unfilled_break_seconds", "gauge", id,
	    (double)s->unfilled_ahead_ms / 1000, "Break seconds ahead that no "
	    "spot fills (missing ads).");
	rv_prom_one(fp, "rv_horizon_seams", "gauge", id, s->seams, "Gaps and "
	    "overlaps in the execution horizon ahead.");
}

/* rv-horizon-<id>.prom after an extension of a channel, good or bad.
 * failed: this run failed (counted even when the database has no row
 * for the channel to log it against).  The failures written are the
 * larger of the database's count and the last file's plus this run. */
static void
horizon_metrics(struct ctx *x, const char *id, int failed)
{
	struct rv_horizon_status s;
	struct rv_metrics m;
	struct hmetrics h = { id, &s, x->now, failed };
	struct rv_err err;

	double prev_ok = 0, prev_failures = 0;

	if (rv_horizon_status(x->db, id, x->now, &s, &err) < 0) {
		memset(&s, 0, sizeof(s));
		rv_info("metrics: %s", err.msg);
	}
	if (rv_metrics_init(&m, x->cfg.run_dir, "rv-horizon", id, &err) < 0) {
		rv_warnx("metrics: %s", err.msg);
		return;
	}
	/* What the runs before said, carried: a good run is an extension
	 * also when the horizon was deep enough that it added nothing (the
	 * database records only what was published), and the failures
	 * never go down, also for a channel the database does not know. */
	rv_metrics_prev(&m, "rv_horizon_last_extension_timestamp_seconds",
	    &prev_ok);
	rv_metrics_prev(&m, "rv_horizon_compile_failures_total",
	    &prev_failures);
	if (!failed && s.last_ok_ms < x->now)
		s.last_ok_ms = x->now;
	if ((int64_t)(prev_ok * 1000) > s.last_ok_ms)
		s.last_ok_ms = (int64_t)(prev_ok * 1000);
	h.failed = (int64_t)prev_failures + failed;
	if (rv_metrics_tick(&m, 1, emit_horizon, &h, &err) < 0)
		rv_warnx("metrics: %s", err.msg);
}

static int
cmd_extend(struct ctx *x, int argc, char **argv)
{
	struct rv_extend_result res;
	struct rv_diags d = { 0 };
	struct rv_channel *c;
	struct rv_err err, e2;
	char **files, a[RV_TIME_STR], b[RV_TIME_STR], *base, *dot;
	int n, i, failed = 0;

	if (setup(x, 1) < 0)
		return RV_EXIT_FAIL;
	if ((files = channel_files(x, argc, argv, &n)) == NULL) {
		teardown(x);
		return RV_EXIT_FAIL;
	}
	for (i = 0; i < n && !rv_stop_signal; i++) {
		if ((c = load_channel(x, files[i])) == NULL) {
			/* The previous horizon stands; say so on record. */
			base = strrchr(files[i], '/');
			base = strdup(base ? base + 1 : files[i]);
			if (base && (dot = strrchr(base, '.')) != NULL)
				*dot = 0;
			snprintf(err.msg, sizeof(err.msg), "%s: the channel file "
			    "does not load; the previous horizon stands",
			    files[i]);
			if (base)
				rv_horizon_log_failure(x->db, base, x->now,
				    err.msg, &e2);
			rv_warnx("%s", err.msg);
			if (base)
				horizon_metrics(x, base, 1);
			free(base);
			failed = 1;
			continue;
		}
		if (rv_horizon_extend(x->db, c, x->cat, &x->pol, x->now, &res,
		    &d, &err) < 0) {
			rv_cli_print_diags(&d);
			rv_warnx("%s; the previous horizon stands", err.msg);
			failed = 1;
			horizon_metrics(x, c->id, 1);
		} else {
			horizon_metrics(x, c->id, 0);
			rv_cli_print_diags(&d);
			printf("%s: compiled %d day%s, expanded %d block%s; "
			    "guide to %s, execution to %s\n", c->id,
			    res.days_compiled, res.days_compiled == 1 ? "" : "s",
			    res.blocks_published, res.blocks_published == 1 ?
			    "" : "s", when(res.epg_end_ms, a, sizeof(a)),
			    when(res.exec_end_ms, b, sizeof(b)));
		}
		rv_channel_free(c);
	}
	free_list(files, n);
	teardown(x);
	return failed ? RV_EXIT_FAIL : RV_EXIT_OK;
}

/* P frames of one channel, gathered for a publish. */
struct batch {
	char			*channel;
	struct rv_program	*p;
	char			**days;
	int			 n, cap;
};

static int
add_program(struct ctx *x, struct batch *b, json_t *j, struct rv_err *err)
{
	const char *id, *day, *title, *asset = NULL, *pool = NULL;
	struct rv_program *p;
	int64_t start, end, runtime;
	void *v;

	if (rv_json_str(j, "block_id", &id, err) < 0 ||
	    rv_json_str(j, "broadcast_day", &day, err) < 0 ||
	    rv_json_str(j, "title", &title, err) < 0 ||
	    rv_json_int(j, "start_ms", &start, err) < 0 ||
	    rv_json_int(j, "end_ms", &end, err) < 0 ||
	    rv_json_int(j, "runtime_ms", &runtime, err) < 0 ||
	    rv_json_opt_str(j, "asset_id", &asset, err) < 0 ||
	    rv_json_opt_str(j, "pool", &pool, err) < 0)
		return -1;
	if (end <= start || runtime < 0 || runtime > end - start)
		return rv_errf(err, "block %s: bad times", id);
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		if ((v = reallocarray(b->p, (size_t)b->cap, sizeof(*b->p))) == NULL)
			return rv_errf(err, "out of memory");
		b->p = v;
		if ((v = reallocarray(b->days, (size_t)b->cap,
		    sizeof(*b->days))) == NULL)
			return rv_errf(err, "out of memory");
		b->days = v;
	}
	p = &b->p[b->n];
	memset(p, 0, sizeof(*p));
	snprintf(p->block_id, sizeof(p->block_id), "%s", id);
	p->start_ms = start;
	p->end_ms = end;
	p->runtime_ms = runtime;
	p->title = strdup(title);
	p->pool = pool;	/* only needed while publishing; j lives that long */
	p->mode = "published";
	b->days[b->n] = strdup(day);
	b->n++;
	if (asset != NULL && (p->asset = rv_catalog_find(x->cat, asset)) == NULL)
		return rv_errf(err, "block %s: asset %s is not ready in the "
		    "catalog", id, asset);
	return 0;
}

static int
publish_batch(struct ctx *x, struct batch *b)
{
	struct rv_extend_result res;
	struct rv_channel *c = NULL;
	struct rv_err err;
	sqlite3_stmt *st;
	char path[4200] = "";
	int rc = -1;

	if (rv_db_prepare(x->db, "SELECT file FROM channels WHERE id = ?1",
	    &st, &err) == 0) {
		sqlite3_bind_text(st, 1, b->channel, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(path, sizeof(path), "%s",
			    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (path[0] == 0)
		snprintf(path, sizeof(path), "%s/%s.yaml", x->cfg.channels_dir,
		    b->channel);
	if ((c = load_channel(x, path)) == NULL)
		return -1;
	if (rv_horizon_publish(x->db, c, x->cat, b->p,
	    (const char *const *)b->days, b->n, &x->pol, x->now, &res,
	    &err) < 0)
		rv_warnx("%s", err.msg);
	else {
		printf("%s: published %d block%s (generation %lld)\n", c->id,
		    b->n, b->n == 1 ? "" : "s", (long long)res.generation);
		rc = 0;
	}
	rv_channel_free(c);
	return rc;
}

static void
batch_free(struct batch *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		free(b->p[i].title);
		free(b->days[i]);
	}
	free(b->p);
	free(b->days);
	free(b->channel);
	memset(b, 0, sizeof(*b));
}

static int
cmd_publish(struct ctx *x, int argc, char **argv)
{
	struct rv_frame_reader *r;
	struct rv_frame f = { 0 };
	struct batch b = { 0 };
	json_t *held = json_array(), *j;
	struct rv_err err;
	const char *ch;
	int rc, failed = 0, broken = 0;

	(void)argv;
	if (argc != 0)
		return rv_cli_usage_error(usage, "publish reads frames on stdin");
	if (setup(x, 1) < 0 || (r = malloc(sizeof(*r))) == NULL)
		return RV_EXIT_FAIL;
	rv_frame_reader_init(r, STDIN_FILENO, "stdin");
	while ((rc = rv_frame_read(r, &f, &err)) == 1) {
		if (f.type != 'P')
			continue;
		if ((j = rv_frame_json(&f, &err)) == NULL ||
		    rv_json_str(j, "channel", &ch, &err) < 0) {
			rv_warnx("stdin: frame %lld: %s", (long long)r->frames,
			    err.msg);
			json_decref(j);
			broken = 1;
			break;
		}
		json_array_append_new(held, j);
		if (b.channel != NULL && strcmp(b.channel, ch) != 0) {
			failed |= b.n > 0 && publish_batch(x, &b) < 0;
			batch_free(&b);
		}
		if (b.channel == NULL)
			b.channel = strdup(ch);
		if (add_program(x, &b, j, &err) < 0) {
			rv_warnx("stdin: frame %lld: %s", (long long)r->frames,
			    err.msg);
			broken = 1;
			break;
		}
	}
	if (rc < 0) {
		rv_warnx("%s", err.msg);
		broken = 1;
	}
	/* A broken stream publishes nothing of the channel it broke in. */
	if (!broken && b.n > 0)
		failed |= publish_batch(x, &b) < 0;
	failed |= broken;
	batch_free(&b);
	json_decref(held);
	rv_frame_free(&f);
	free(r);
	teardown(x);
	return failed ? RV_EXIT_FAIL : RV_EXIT_OK;
}

static int
status_one(struct ctx *x, const char *id, json_t *all)
{
	struct rv_horizon_status s;
	char a[RV_TIME_STR], b[RV_TIME_STR];
	struct rv_err err;
	double epg_h, exec_h;
	int short_of;

	if (rv_horizon_status(x->db, id, x->now, &s, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	epg_h = s.epg_end_ms > x->now ? (double)(s.epg_end_ms - x->now) /
	    RV_MS_PER_HOUR : 0;
	exec_h = s.exec_end_ms > x->now ? (double)(s.exec_end_ms - x->now) /
	    RV_MS_PER_HOUR : 0;
	short_of = s.epg_end_ms - x->now < x->pol.epg_ms ||
	    s.exec_end_ms - x->now < x->pol.exec_ms || !s.covers_now ||
	    s.seams > 0 || s.last_failure_ms > 0;
	if (all != NULL) {
		json_array_append_new(all, json_pack("{s:s, s:I, s:I, s:f, s:f,"
		    " s:I, s:I, s:I, s:i, s:b, s:s?, s:b}", "channel", id,
		    "epg_end_ms", (json_int_t)s.epg_end_ms, "exec_end_ms",
		    (json_int_t)s.exec_end_ms, "epg_hours", epg_h, "exec_hours",
		    exec_h, "generation", (json_int_t)s.generation,
		    "last_extension_ms", (json_int_t)s.last_ok_ms,
		    "unfilled_ahead_ms", (json_int_t)s.unfilled_ahead_ms,
		    "seams", s.seams, "covers_now", s.covers_now,
		    "planning_fault", s.last_failure_ms ? s.last_failure : NULL,
		    "below_minimum", short_of));
	} else {
		printf("%-20s guide %s (%+.1f h)  execution %s (%+.1f h)  "
		    "generation %lld  unfilled %lld s%s%s%s%s%s%s\n", id,
		    when(s.epg_end_ms, a, sizeof(a)), epg_h,
		    when(s.exec_end_ms, b, sizeof(b)), exec_h,
		    (long long)s.generation,
		    (long long)(s.unfilled_ahead_ms / 1000),
		    s.epg_end_ms - x->now < x->pol.epg_ms ? "  GUIDE SHORT" : "",
		    s.exec_end_ms - x->now < x->pol.exec_ms ?
		    "  EXECUTION SHORT" : "",
		    !s.covers_now ? "  NOTHING ON AIR NOW" : "",
		    s.seams > 0 ? "  GAPS AHEAD" : "",
		    s.last_failure_ms ? "  planning fault: " : "",
		    s.last_failure_ms ? s.last_failure : "");
	}
	return short_of;
}

static int
cmd_status(struct ctx *x, int argc, char **argv)
{
	json_t *all = x->o->json ? json_array() : NULL;
	sqlite3_stmt *st;
	struct rv_err err;
	int i, rc = 0, r;
	char *s;

	if (setup(x, 0) < 0)
		return RV_EXIT_FAIL;
	if (argc > 0) {
		for (i = 0; i < argc; i++)
			if ((r = status_one(x, argv[i], all)) != 0)
				rc = 1;
	} else if (rv_db_prepare(x->db, "SELECT id FROM channels ORDER BY"
	    " number", &st, &err) == 0) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (status_one(x, (const char *)sqlite3_column_text(st,
			    0), all) != 0)
				rc = 1;
		sqlite3_finalize(st);
	}
	if (all != NULL) {
		s = json_dumps(all, JSON_COMPACT);
		if (s)
			puts(s);
		free(s);
		json_decref(all);
	}
	teardown(x);
	return rc ? RV_EXIT_FAIL : RV_EXIT_OK;
}

static int
instant(const char *s, int64_t dflt, int64_t *out)
{
	struct rv_err err;

	if (s == NULL) {
		*out = dflt;
		return 0;
	}
	if (rv_time_parse(s, out, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

static int
cmd_epg(struct ctx *x, int argc, char **argv)
{
	struct rv_err err;
	int64_t from, to;
	int rc;

	if (setup(x, 0) < 0)
		return RV_EXIT_FAIL;
	if (instant(x->o->from, x->now - 6 * RV_MS_PER_HOUR, &from) < 0 ||
	    instant(x->o->to, INT64_MAX, &to) < 0) {
		teardown(x);
		return RV_EXIT_USAGE;
	}
	rc = x->o->json ? rv_guide_json_write(x->db, argc ?
	    (const char *const *)argv : NULL, argc, from, to, stdout, &err) :
	    rv_xmltv_write(x->db, argc ? (const char *const *)argv : NULL,
	    argc, from, to, stdout, &err);
	if (rc < 0)
		rv_warnx("%s", err.msg);
	teardown(x);
	return rc < 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	enum { O_NOW = 256, O_FORCE, O_JSON, O_XMLTV, O_FROM, O_TO };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "now", required_argument, NULL, O_NOW },
		{ "force", no_argument, NULL, O_FORCE },
		{ "json", no_argument, NULL, O_JSON },
		{ "xmltv", no_argument, NULL, O_XMLTV },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	struct ctx x = { .o = &o };
	const char *cmd;
	int ch;

	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			o.config = optarg;
			break;
		case O_NOW:
			o.now = optarg;
			break;
		case O_FORCE:
			o.force = 1;
			break;
		case O_JSON:
			o.json = 1;
			break;
		case O_XMLTV:
			o.xmltv = 1;
			break;
		case O_FROM:
			o.from = optarg;
			break;
		case O_TO:
			o.to = optarg;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (optind >= argc)
		return rv_cli_usage_error(usage, "missing command");
	if (o.json && o.xmltv)
		return rv_cli_usage_error(usage, "--json or --xmltv, not both");
	cmd = argv[optind];
	argc -= optind + 1;
	argv += optind + 1;
	if (strcmp(cmd, "extend") == 0)
		return cmd_extend(&x, argc, argv);
	if (strcmp(cmd, "publish") == 0)
		return cmd_publish(&x, argc, argv);
	/* Like cat(1): `rv-horizon epg | head` ends quietly. */
	if (strcmp(cmd, "status") == 0 || strcmp(cmd, "epg") == 0)
		signal(SIGPIPE, SIG_DFL);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(&x, argc, argv);
	if (strcmp(cmd, "epg") == 0)
		return cmd_epg(&x, argc, argv);
	return rv_cli_usage_error(usage, "unknown command '%s'", cmd);
}
