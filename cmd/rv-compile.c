/*
 * rv-compile — compile a channel file into program blocks for broadcast
 * days (rv-compile(1), rv-dsl(5)).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "channel.h"
#include "cli.h"
#include "clock.h"
#include "compile.h"
#include "compstate.h"
#include "config.h"
#include "db.h"
#include "frame.h"
#include "json.h"
#include "metrics.h"
#include "tz.h"

static const char usage[] =
    "usage: rv-compile [-C FILE] [--day D | --from D --days N] [--json]\n"
    "                  [--check] [--strict] [--no-state] [--now T] CHANNEL.yaml\n"
    "  default: P frames for the broadcast day that holds now\n"
    "  --json      one program-schedule.v2 document per day instead\n"
    "  --check     validate and compile, write nothing\n"
    "  --strict    a gap inside a day is an error, not a filler program\n"
    "  --no-state  compile from a fresh state; record nothing\n";

/* Catching up more days than this starts afresh instead. */
#define CATCH_UP_DAYS 62

struct opts {
	const char	*config, *now, *file;
	struct rv_date	 from;
	int		 days, json, check, strict, stateless, have_day;
};

struct run {
	struct opts		*o;
	struct rv_channel	*c;
	struct rv_compiler	*k;
	sqlite3			*db;
	int			 stateful;
	int			 frames_started;
	struct rv_compile_state	 chain;	/* stateless: carried in memory */
	rv_ms			 now;
};

static int
emit(struct run *r, const struct rv_day *day)
{
	struct rv_err err;
	json_t *j;
	char *text;
	int i;

	if (r->o->check)
		return 0;
	if (r->o->json) {
		j = rv_day_schedule_json(r->c, day);
		text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) :
		    NULL;
		json_decref(j);
		if (text == NULL)
			return -1;
		puts(text);
		free(text);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (!r->frames_started) {
		char session[64];

		snprintf(session, sizeof(session), "compile-%lld",
		    (long long)r->now);
		j = json_pack("{s:s, s:s, s:s, s:s}", "tool", "rv-compile",
		    "version", RV_VERSION, "channel", r->c->id, "session",
		    session);
		if (rv_frame_write_json(STDOUT_FILENO, 'H', j, &err) < 0) {
			json_decref(j);
			rv_warnx("%s", err.msg);
			return -1;
		}
		json_decref(j);
		r->frames_started = 1;
	}
	for (i = 0; i < day->n; i++) {
		j = rv_program_json(r->c, day, &day->blocks[i]);
		if (j == NULL || rv_frame_write_json(STDOUT_FILENO, 'P', j,
		    &err) < 0) {
			json_decref(j);
			rv_warnx("%s", j ? err.msg : "out of memory");
			return -1;
		}
		json_decref(j);
	}
	return 0;
}

/* Compile one day from its recorded state (or the chain), record the
 * state it leaves, and emit it if asked. */
static int
one_day(struct run *r, struct rv_date day, int output)
{
	struct rv_compile_state in, st;
	struct rv_date last;
	struct rv_diags d = { 0 };
	struct rv_day out;
	struct rv_err err;
	int rc;

	if (!r->stateful) {
		rc = rv_compile_day(r->k, day, r->o->strict, &r->chain, &out, &d);
		rv_cli_print_diags(&d);
		if (rc == 0 && output)
			rc = emit(r, &out);
		rv_day_free(&out);
		return rc;
	}
	if (rv_compile_state_init(&in, r->c->npools) < 0 ||
	    rv_compstate_load(r->db, r->c, day, &in, &last, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	if (rv_compile_state_copy(&st, &in) < 0) {
		rv_warnx("out of memory");
		return -1;
	}
	rc = rv_compile_day(r->k, day, r->o->strict, &st, &out, &d);
	rv_cli_print_diags(&d);
	if (rc == 0 && !r->o->check) {
		if (rv_db_begin(r->db, &err) < 0 ||
		    rv_compstate_save(r->db, r->c, &in, &st, &out, r->now,
		    &err) < 0 || rv_db_commit(r->db, &err) < 0) {
			rv_db_rollback(r->db);
			rv_warnx("%s", err.msg);
			rc = -1;
		}
	}
	if (rc == 0 && output)
		rc = emit(r, &out);
	rv_day_free(&out);
	rv_compile_state_free(&in);
	rv_compile_state_free(&st);
	return rc;
}

/* Days between the last one compiled and `first` are compiled (and
 * recorded) first, so that sequential pools never skip. */
static int
catch_up(struct run *r, struct rv_date first)
{
	struct rv_compile_state st;
	struct rv_date last, d;
	struct rv_err err;
	int gap, rc = 0;

	if (rv_compile_state_init(&st, r->c->npools) < 0)
		return -1;
	rc = rv_compstate_load(r->db, r->c, first, &st, &last, &err);
	rv_compile_state_free(&st);
	if (rc != 0 || last.year == 0)
		return rc < 0 ? -1 : 0;
	gap = (int)rv_date_diff_days(first, last) - 1;
	if (gap > CATCH_UP_DAYS) {
		rv_warnx("warning: %s: last compiled day is %d days before; "
		    "starting from a fresh state", r->c->id, gap + 1);
		return 0;
	}
	for (d = rv_date_add_days(last, 1); rc == 0 &&
	    rv_date_cmp(d, first) < 0; d = rv_date_add_days(d, 1))
		rc = one_day(r, d, 0);
	return rc;
}

static int
today(const struct opts *o, const struct rv_channel *c, struct rv_date *day)
{
	struct rv_err err;
	rv_ms now;

	if (rv_now_resolve(o->now, &now, &err) < 0 ||
	    rv_broadcast_day_of(c->timezone, c->day_start_min, now, day,
	    &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

struct cmetrics {
	const char	*id;
	double		 failures, last_ok;
	int		 days;
};

static void
emit_compile(FILE *fp, void *arg)
{
	const struct cmetrics *m = arg;

	rv_prom_one(fp, "rv_compile_failures_total", "counter", m->id,
	    m->failures, "Runs of rv-compile that failed.");
	rv_prom_one(fp, "rv_compile_last_success_timestamp_seconds", "gauge",
	    m->id, m->last_ok, "When rv-compile last succeeded (0: never).");
	rv_prom_one(fp, "rv_compile_schedules", "gauge", m->id, m->days,
	    "Broadcast-day schedules the last run compiled.");
}

/* rv-compile-<id>.prom: the counters of the runs before, carried. */
static void
compile_metrics(const struct rv_config *cfg, const struct opts *o,
    const struct rv_channel *c, int failed, int days)
{
	struct cmetrics m = { 0 };
	struct rv_metrics mx;
	struct rv_err err;
	char id[256], *dot;
	const char *base;

	if (o->check)
		return;		/* writes nothing */
	base = strrchr(o->file, '/');
	snprintf(id, sizeof(id), "%s", c ? c->id : base ? base + 1 : o->file);
	if (c == NULL && (dot = strrchr(id, '.')) != NULL)
		*dot = 0;
	m.id = id;
	m.days = days;
	if (rv_metrics_init(&mx, cfg->run_dir, "rv-compile", id, &err) < 0) {
		rv_warnx("metrics: %s", err.msg);
		return;
	}
	rv_metrics_prev(&mx, "rv_compile_failures_total", &m.failures);
	rv_metrics_prev(&mx, "rv_compile_last_success_timestamp_seconds",
	    &m.last_ok);
	if (failed)
		m.failures++;
	else
		m.last_ok = (double)rv_wall_now() / 1000;
	rv_metrics_tick(&mx, 1, emit_compile, &m, &err);
}

static int
compile(struct opts *o)
{
	struct rv_channel_defaults def;
	struct rv_catalog *cat = NULL;
	struct rv_diags d = { 0 };
	struct rv_config cfg;
	struct rv_err err;
	struct run r = { .o = o };
	struct rv_date day;
	int i = 0, rc = -1;

	if (rv_cli_config(o->config, &cfg) < 0)
		return RV_EXIT_FAIL;
	def.timezone = cfg.timezone;
	def.day_start_min = cfg.broadcast_day_start;
	if (rv_channel_load(o->file, &def, &r.c, &d) < 0) {
		rv_cli_print_diags(&d);
		compile_metrics(&cfg, o, NULL, 1, 0);
		return RV_EXIT_FAIL;
	}
	rv_cli_print_diags(&d);
	if (!o->have_day && today(o, r.c, &o->from) < 0)
		goto out;
	if (rv_db_open(cfg.database, &r.db, &err) < 0 ||
	    rv_catalog_load(r.db, &cat, &err) < 0 ||
	    rv_compiler_new(r.c, cat, &r.k, &err) < 0) {
		rv_warnx("%s", err.msg);
		goto out;
	}
	r.stateful = !o->stateless && r.c->number > 0;
	if (!o->stateless && r.c->number == 0)
		rv_warnx("warning: %s has no channel_number: compiling from a "
		    "fresh state, days continue only within this run", o->file);
	if (rv_now_resolve(o->now, &r.now, &err) < 0) {
		rv_warnx("%s", err.msg);
		goto out;
	}
	if (r.stateful && !o->check && rv_compstate_register(r.db, r.c,
	    r.now, &err) < 0) {
		rv_warnx("%s", err.msg);
		goto out;
	}
	if (rv_compile_state_init(&r.chain, r.c->npools) < 0)
		goto out;
	if (r.stateful && !o->check && catch_up(&r, o->from) < 0)
		goto out;
	rc = 0;
	/* A failed day stops the run: the days after it would start from a
	 * state it never recorded. */
	for (i = 0, day = o->from; i < o->days && rc == 0 && !rv_stop_signal;
	    i++, day = rv_date_add_days(day, 1))
		rc = one_day(&r, day, 1);
	if (rv_stop_signal) {
		rv_warnx("interrupted: the days compiled so far are recorded");
		rc = -1;
	}
	if (rc == 0 && r.frames_started && !o->json && !o->check) {
		json_t *z = json_pack("{s:s}", "reason", "end of schedule");

		if (rv_frame_write_json(STDOUT_FILENO, 'Z', z, &err) < 0) {
			rv_warnx("%s", err.msg);
			rc = -1;
		}
		json_decref(z);
	}
out:
	compile_metrics(&cfg, o, r.c, rc != 0, rc != 0 && i > 0 ? i - 1 : i);
	rv_compile_state_free(&r.chain);
	rv_compiler_free(r.k);
	rv_catalog_free(cat);
	rv_db_close(r.db);
	rv_channel_free(r.c);
	return rc == 0 ? RV_EXIT_OK : RV_EXIT_FAIL;
}

int
main(int argc, char *argv[])
{
	enum { O_DAY = 256, O_FROM, O_DAYS, O_JSON, O_CHECK, O_STRICT,
	    O_NOSTATE, O_NOW };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "day", required_argument, NULL, O_DAY },
		{ "from", required_argument, NULL, O_FROM },
		{ "days", required_argument, NULL, O_DAYS },
		{ "json", no_argument, NULL, O_JSON },
		{ "check", no_argument, NULL, O_CHECK },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "no-state", no_argument, NULL, O_NOSTATE },
		{ "now", required_argument, NULL, O_NOW },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .days = 1 };
	struct rv_err err;
	char *end;
	int ch, from = 0;
	long n;

	rv_log_init(argv[0]);
	rv_cli_signals();
	while ((ch = getopt_long(argc, argv, "C:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			o.config = optarg;
			break;
		case O_DAY:
		case O_FROM:
			if (rv_date_parse(optarg, &o.from, &err) < 0)
				return rv_cli_usage_error(usage, "--%s: %s",
				    ch == O_DAY ? "day" : "from", err.msg);
			o.have_day = 1;
			from |= ch == O_FROM;
			break;
		case O_DAYS:
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 366)
				return rv_cli_usage_error(usage, "--days takes 1 "
				    "to 366 (%s)", optarg);
			o.days = (int)n;
			break;
		case O_JSON:
			o.json = 1;
			break;
		case O_CHECK:
			o.check = 1;
			break;
		case O_STRICT:
			o.strict = 1;
			break;
		case O_NOSTATE:
			o.stateless = 1;
			break;
		case O_NOW:
			o.now = optarg;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (argc - optind != 1)
		return rv_cli_usage_error(usage, "name one channel file");
	if (o.days > 1 && !from)
		return rv_cli_usage_error(usage, "--days goes with --from");
	o.file = argv[optind];
	if (!o.json && !o.check && isatty(STDOUT_FILENO))
		return rv_cli_usage_error(usage, "frames are binary: pipe them "
		    "(to rv-horizon publish or rv-frame dump) or use --json");
	return compile(&o);
}
