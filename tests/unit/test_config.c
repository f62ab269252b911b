/*
 * Unit tests for lib/config: retrovue.yaml(5).  Every test runs in its own
 * temporary folder with HOME, XDG_*, RV_* and TZDIR set or cleared, and
 * with the system locations (/etc/retrovue, /var/lib/retrovue,
 * /run/retrovue, zoneinfo) pointed into that folder, so that nothing on
 * the machine running the tests can change the outcome.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char dir[1024];
static char top[1024];		/* where the tests were started */
static char sys_paths[5][PATH_MAX];
static struct rv_config_sys tsys;

static const char *const cleared_env[] = { "XDG_DATA_HOME",
    "XDG_RUNTIME_DIR", "RV_CONFIG", "RV_DB", "RV_RUN", "RV_CHANNELS",
    "TZDIR", NULL };

/* dir/name, in one of a few static buffers. */
static const char *
at(const char *name)
{
	static char bufs[4][PATH_MAX];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, PATH_MAX, "%s/%s", dir, name);
	return b;
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void
make_dir(const char *name)
{
	assert_int_equal(mkdir(at(name), 0700), 0);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	char tmpl[PATH_MAX], real[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	size_t i;

	(void)state;
	snprintf(tmpl, sizeof(tmpl), "%s/test_config.XXXXXX",
	    tmp ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, real) == NULL ||
	    strlcpy(dir, real, sizeof(dir)) >= sizeof(dir))
		return -1;
	if (chdir(dir) == -1)
		return -1;
	for (i = 0; cleared_env[i] != NULL; i++)
		unsetenv(cleared_env[i]);
	setenv("HOME", at("home"), 1);
	mkdir(at("home"), 0700);
	mkdir(at("zoneinfo"), 0700);
	mkdir(at("zoneinfo/America"), 0700);
	put("zoneinfo/America/New_York", "TZif2 fake zone for the test\n");
	put("zoneinfo/zone.tab", "# not a zone\n");
	snprintf(sys_paths[0], PATH_MAX, "%s/etc/retrovue.yaml", dir);
	snprintf(sys_paths[1], PATH_MAX, "%s/var-lib-retrovue", dir);
	snprintf(sys_paths[2], PATH_MAX, "%s/run-retrovue", dir);
	snprintf(sys_paths[3], PATH_MAX, "%s/etc/channels", dir);
	snprintf(sys_paths[4], PATH_MAX, "%s/zoneinfo", dir);
	tsys.config_file = sys_paths[0];
	tsys.state_dir = sys_paths[1];
	tsys.run_dir = sys_paths[2];
	tsys.channels_dir = sys_paths[3];
	tsys.zoneinfo = sys_paths[4];
	rv_config_set_sys(&tsys);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rv_config_set_sys(NULL);
	if (chdir(top) == -1)
		return -1;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The error message with the temporary folder cut off its file names. */
static const char *
msg(const struct rv_err *err)
{
	static char out[RV_ERR_MAX];
	const char *s = err->msg, *hit;
	size_t dlen = strlen(dir), o = 0;

	while ((hit = strstr(s, dir)) != NULL && o < sizeof(out) - 1) {
		while (s < hit && o < sizeof(out) - 1)
			out[o++] = *s++;
		s += dlen + 1;
	}
	while (*s != '\0' && o < sizeof(out) - 1)
		out[o++] = *s++;
	out[o] = '\0';
	return out;
}

static void
assert_defaults_except_paths(const struct rv_config *c)
{
	assert_string_equal(c->timezone, "UTC");
	assert_int_equal(c->broadcast_day_start, 360);
	assert_int_equal(c->catalog.loudness_target_lufs, -24);
	assert_int_equal(c->catalog.jobs, 0);
	assert_int_equal(c->horizon.epg_days, 3);
	assert_int_equal(c->horizon.exec_hours, 6);
	assert_int_equal(c->horizon.locked_minutes, 120);
	assert_int_equal(c->horizon.retention_days, 2);
	assert_string_equal(c->playout.preset, "veryfast");
	assert_int_equal(c->playout.video_bitrate_kbps, 3000);
	assert_int_equal(c->playout.audio_bitrate_kbps, 128);
	assert_int_equal(c->playout.gop_seconds, 2);
	assert_int_equal(c->playout.feed_ahead_blocks, 3);
	assert_int_equal(c->playout.feed_ahead_seconds, 20);
	assert_int_equal(c->playout.consumer_timeout_seconds, 10);
	assert_int_equal(c->hls.target_seconds, 2);
	assert_int_equal(c->hls.window, 10);
	assert_int_equal(c->hls.grace_seconds, 30);
	assert_string_equal(c->serve.listen, "127.0.0.1:8080");
	assert_string_equal(c->serve.listen_host, "127.0.0.1");
	assert_int_equal(c->serve.listen_port, 8080);
	assert_string_equal(c->serve.base_url, "");
	assert_int_equal(c->serve.linger_seconds, 20);
	assert_int_equal(c->serve.max_starting, 2);
	assert_int_equal(c->serve.start_timeout_seconds, 10);
	assert_int_equal(c->serve.tuners, 4);
	assert_string_equal(c->serve.device_id, "");
	assert_string_equal(c->serve.friendly_name, "RetroVue");
	assert_int_equal(c->metrics.interval_seconds, 5);
	assert_int_equal(c->log.level, RV_NORMAL);
}

/* Every field but source. */
static void
assert_same_config(const struct rv_config *a, const struct rv_config *b)
{
	assert_string_equal(a->database, b->database);
	assert_string_equal(a->run_dir, b->run_dir);
	assert_string_equal(a->channels_dir, b->channels_dir);
	assert_string_equal(a->timezone, b->timezone);
	assert_int_equal(a->broadcast_day_start, b->broadcast_day_start);
	assert_int_equal(a->catalog.loudness_target_lufs,
	    b->catalog.loudness_target_lufs);
	assert_int_equal(a->catalog.jobs, b->catalog.jobs);
	assert_int_equal(a->horizon.epg_days, b->horizon.epg_days);
	assert_int_equal(a->horizon.exec_hours, b->horizon.exec_hours);
	assert_int_equal(a->horizon.locked_minutes, b->horizon.locked_minutes);
	assert_int_equal(a->horizon.retention_days, b->horizon.retention_days);
	assert_string_equal(a->playout.preset, b->playout.preset);
	assert_int_equal(a->playout.video_bitrate_kbps,
	    b->playout.video_bitrate_kbps);
	assert_int_equal(a->playout.audio_bitrate_kbps,
	    b->playout.audio_bitrate_kbps);
	assert_int_equal(a->playout.gop_seconds, b->playout.gop_seconds);
	assert_int_equal(a->playout.feed_ahead_blocks,
	    b->playout.feed_ahead_blocks);
	assert_int_equal(a->playout.feed_ahead_seconds,
	    b->playout.feed_ahead_seconds);
	assert_int_equal(a->playout.consumer_timeout_seconds,
	    b->playout.consumer_timeout_seconds);
	assert_int_equal(a->hls.target_seconds, b->hls.target_seconds);
	assert_int_equal(a->hls.window, b->hls.window);
	assert_int_equal(a->hls.grace_seconds, b->hls.grace_seconds);
	assert_string_equal(a->serve.listen, b->serve.listen);
	assert_string_equal(a->serve.listen_host, b->serve.listen_host);
	assert_int_equal(a->serve.listen_port, b->serve.listen_port);
	assert_string_equal(a->serve.base_url, b->serve.base_url);
	assert_int_equal(a->serve.linger_seconds, b->serve.linger_seconds);
	assert_int_equal(a->serve.max_starting, b->serve.max_starting);
	assert_int_equal(a->serve.start_timeout_seconds,
	    b->serve.start_timeout_seconds);
	assert_int_equal(a->serve.tuners, b->serve.tuners);
	assert_string_equal(a->serve.device_id, b->serve.device_id);
	assert_string_equal(a->serve.friendly_name, b->serve.friendly_name);
	assert_int_equal(a->metrics.interval_seconds,
	    b->metrics.interval_seconds);
	assert_int_equal(a->log.level, b->log.level);
}

static void
no_file_gives_every_default(void **state)
{
	struct rv_config cfg;
	struct rv_err err;
	char want[PATH_MAX];

	(void)state;
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.source, "");
	assert_string_equal(cfg.database,
	    at("home/.local/share/retrovue/retrovue.db"));
	snprintf(want, sizeof(want), "/tmp/retrovue-%lu",
	    (unsigned long)getuid());
	assert_string_equal(cfg.run_dir, want);
	assert_string_equal(cfg.channels_dir, at("channels"));
	assert_defaults_except_paths(&cfg);
}

static void
xdg_folders_place_database_and_run_dir(void **state)
{
	struct rv_config cfg;

	(void)state;
	setenv("XDG_DATA_HOME", at("data"), 1);
	setenv("XDG_RUNTIME_DIR", at("rt"), 1);
	rv_config_defaults(&cfg);
	assert_string_equal(cfg.database, at("data/retrovue/retrovue.db"));
	assert_string_equal(cfg.run_dir, at("rt/retrovue"));
	/* XDG says relative values are to be ignored. */
	setenv("XDG_DATA_HOME", "relative", 1);
	rv_config_defaults(&cfg);
	assert_string_equal(cfg.database,
	    at("home/.local/share/retrovue/retrovue.db"));
}

static void
writable_system_folders_win_over_xdg(void **state)
{
	struct rv_config cfg;

	(void)state;
	setenv("XDG_DATA_HOME", at("data"), 1);
	setenv("XDG_RUNTIME_DIR", at("rt"), 1);
	make_dir("var-lib-retrovue");
	make_dir("run-retrovue");
	make_dir("etc");
	make_dir("etc/channels");
	rv_config_defaults(&cfg);
	assert_string_equal(cfg.database, at("var-lib-retrovue/retrovue.db"));
	assert_string_equal(cfg.run_dir, at("run-retrovue"));
	assert_string_equal(cfg.channels_dir, at("etc/channels"));
}

static void
rv_db_overrides_file_and_default(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("retrovue.yaml", "database: from-file.db\n");
	setenv("RV_DB", "/srv/tv/env.db", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.database, "/srv/tv/env.db");
	/* Relative to the current folder, like any path on a command line. */
	setenv("RV_DB", "rel/env.db", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.database, at("rel/env.db"));
	/* Set but empty is unset. */
	setenv("RV_DB", "", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.database, at("from-file.db"));
}

static void
rv_run_overrides_file_and_default(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("retrovue.yaml", "run_dir: /from/file\n");
	setenv("RV_RUN", "/from/env", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.run_dir, "/from/env");
}

static void
rv_channels_overrides_file_and_default(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("retrovue.yaml", "channels_dir: /from/file\n");
	setenv("RV_CHANNELS", "/from/env/channels", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg.channels_dir, "/from/env/channels");
	assert_string_equal(cfg.source, "retrovue.yaml");
}

static void
dash_c_file_that_is_missing_is_error(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("retrovue.yaml", "");
	assert_int_equal(rv_config_load(at("nope.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "cannot read nope.yaml: No such file or directory");
}

static void
rv_config_names_the_file_and_must_exist(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("other.yaml", "hls:\n  window: 42\n");
	put("retrovue.yaml", "hls:\n  window: 7\n");
	setenv("RV_CONFIG", at("other.yaml"), 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_int_equal(cfg.hls.window, 42);
	assert_string_equal(cfg.source, at("other.yaml"));
	setenv("RV_CONFIG", at("missing.yaml"), 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "cannot read missing.yaml: No such file or directory");
}

static void
dash_c_wins_over_rv_config(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "hls:\n  window: 11\n");
	setenv("RV_CONFIG", at("missing.yaml"), 1);
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_int_equal(cfg.hls.window, 11);
}

static void
system_file_is_used_when_there_is_no_local_one(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	make_dir("etc");
	put("etc/retrovue.yaml", "hls:\n  window: 12\n");
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_int_equal(cfg.hls.window, 12);
	assert_string_equal(cfg.source, at("etc/retrovue.yaml"));
	put("retrovue.yaml", "hls:\n  window: 13\n");
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	assert_int_equal(cfg.hls.window, 13);
	assert_string_equal(cfg.source, "retrovue.yaml");
}

static const char full_yaml[] =
    "database: /srv/tv/tv.db\n"
    "run_dir: /srv/tv/run\n"
    "channels_dir: chans\n"
    "timezone: America/New_York\n"
    "broadcast_day_start: \"05:30\"\n"
    "catalog:\n"
    "  loudness_target_lufs: -16\n"
    "  jobs: 8\n"
    "horizon:\n"
    "  epg_days: 7\n"
    "  exec_hours: 12\n"
    "  locked_minutes: 720\n"
    "  retention_days: 30\n"
    "playout:\n"
    "  preset: medium\n"
    "  video_bitrate_kbps: 6000\n"
    "  audio_bitrate_kbps: 192\n"
    "  gop_seconds: 1\n"
    "  feed_ahead_blocks: 5\n"
    "  feed_ahead_seconds: 60\n"
    "  consumer_timeout_seconds: 30\n"
    "hls:\n"
    "  target_seconds: 4\n"
    "  window: 6\n"
    "  grace_seconds: 0\n"
    "serve:\n"
    "  listen: \"[::]:9090\"\n"
    "  base_url: \"https://tv.example.org/retro/\"\n"
    "  linger_seconds: 0\n"
    "  max_starting: 1\n"
    "  start_timeout_seconds: 120\n"
    "  tuners: 64\n"
    "  device_id: abcdef1e\n"
    "  friendly_name: \"Den \\\"TV\\\" #2\"\n"
    "metrics:\n"
    "  interval_seconds: 3600\n"
    "log:\n"
    "  level: debug\n";

static void
full_file_sets_every_key(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("full.yaml", full_yaml);
	assert_int_equal(rv_config_load(at("full.yaml"), &cfg, &err), 0);
	assert_string_equal(cfg.source, at("full.yaml"));
	assert_string_equal(cfg.database, "/srv/tv/tv.db");
	assert_string_equal(cfg.run_dir, "/srv/tv/run");
	assert_string_equal(cfg.channels_dir, at("chans"));
	assert_string_equal(cfg.timezone, "America/New_York");
	assert_int_equal(cfg.broadcast_day_start, 5 * 60 + 30);
	assert_int_equal(cfg.catalog.loudness_target_lufs, -16);
	assert_int_equal(cfg.catalog.jobs, 8);
	assert_int_equal(cfg.horizon.epg_days, 7);
	assert_int_equal(cfg.horizon.exec_hours, 12);
	assert_int_equal(cfg.horizon.locked_minutes, 720);
	assert_int_equal(cfg.horizon.retention_days, 30);
	assert_string_equal(cfg.playout.preset, "medium");
	assert_int_equal(cfg.playout.video_bitrate_kbps, 6000);
	assert_int_equal(cfg.playout.audio_bitrate_kbps, 192);
	assert_int_equal(cfg.playout.gop_seconds, 1);
	assert_int_equal(cfg.playout.feed_ahead_blocks, 5);
	assert_int_equal(cfg.playout.feed_ahead_seconds, 60);
	assert_int_equal(cfg.playout.consumer_timeout_seconds, 30);
	assert_int_equal(cfg.hls.target_seconds, 4);
	assert_int_equal(cfg.hls.window, 6);
	assert_int_equal(cfg.hls.grace_seconds, 0);
	assert_string_equal(cfg.serve.listen, "[::]:9090");
	assert_string_equal(cfg.serve.listen_host, "::");
	assert_int_equal(cfg.serve.listen_port, 9090);
	assert_string_equal(cfg.serve.base_url,
	    "https://tv.example.org/retro");
	assert_int_equal(cfg.serve.linger_seconds, 0);
	assert_int_equal(cfg.serve.max_starting, 1);
	assert_int_equal(cfg.serve.start_timeout_seconds, 120);
	assert_int_equal(cfg.serve.tuners, 64);
	assert_string_equal(cfg.serve.device_id, "ABCDEF1E");
	assert_string_equal(cfg.serve.friendly_name, "Den \"TV\" #2");
	assert_int_equal(cfg.metrics.interval_seconds, 3600);
	assert_int_equal(cfg.log.level, RV_DEBUG);
}

static void
relative_paths_in_a_file_are_from_its_folder(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	make_dir("conf");
	put("conf/r.yaml", "database: ./state/tv.db\nrun_dir: run\n");
	assert_int_equal(rv_config_load(at("conf/r.yaml"), &cfg, &err), 0);
	assert_string_equal(cfg.database, at("conf/state/tv.db"));
	assert_string_equal(cfg.run_dir, at("conf/run"));
	/* A relative -C path is relative to the current folder. */
	assert_int_equal(rv_config_load("conf/r.yaml", &cfg, &err), 0);
	assert_string_equal(cfg.database, at("conf/state/tv.db"));
}

static void
unknown_top_level_key_is_error_with_line_and_column(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "timezone: UTC\n\ndatabse: /x.db\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:3:1: unknown key 'databse' "
	    "(did you mean 'database'?)");
	put("c.yaml", "frobnicate: 1\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:1:1: unknown key 'frobnicate'");
}

static void
unknown_nested_key_is_error_with_line_and_column(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "horizon:\n  epg_days: 3\n  lock_minutes: 10\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:3:3: unknown key "
	    "'lock_minutes' (did you mean 'locked_minutes'?)");
	/* A key that belongs to another section is still unknown here. */
	put("c.yaml", "serve:\n  window: 10\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:3: unknown key 'window'");
}

static void
out_of_range_value_names_file_line_column_and_value(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "horizon:\n  epg_days: 31\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:2:13: expected an integer from 1 to 30 (31)");
	put("c.yaml", "catalog:\n  loudness_target_lufs: 3\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:2:25: expected an integer from -70 to 0 (3)");
	put("c.yaml", "hls:\n  window: two\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:2:11: expected an integer from 3 to 100 (two)");
}

static void
map_where_a_scalar_belongs_is_error(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "hls:\n  window:\n    size: 3\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:3:5: expected an integer from 3 to 100, not a map");
	put("c.yaml", "timezone: [UTC]\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:1:11: expected a string, not a sequence");
	put("c.yaml", "broadcast_day_start: {h: 6}\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:1:22: expected a time HH:MM "
	    "from 00:00 to 23:59 (a map)");
}

static void
scalar_where_a_section_belongs_is_error(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "serve: 8080\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:1:8: expected a map, not a scalar (8080)");
	put("c.yaml", "- a\n- b\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:1:1: expected a map, not a sequence");
}

static void
empty_section_keeps_its_defaults(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "horizon:\n  # epg_days: 5\nhls: ~\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_int_equal(cfg.horizon.epg_days, 3);
	assert_int_equal(cfg.hls.window, 10);
}

static void
locked_minutes_over_exec_hours_is_rejected(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "horizon:\n  exec_hours: 2\n  locked_minutes: 121\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:3:19: horizon.locked_minutes "
	    "(121) must not exceed horizon.exec_hours * 60 (120)");
	/* Against the default locked_minutes, exec_hours takes the blame. */
	put("c.yaml", "horizon:\n  exec_hours: 1\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:15: horizon.locked_minutes "
	    "(120) must not exceed horizon.exec_hours * 60 (60)");
	put("c.yaml", "horizon:\n  exec_hours: 2\n  locked_minutes: 120\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
}

static void
timezone_must_exist_and_stay_inside_zoneinfo(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "timezone: Mars/Olympus_Mons\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:1:11: unknown time zone (Mars/Olympus_Mons)");
	put("c.yaml", "timezone: ../../etc/passwd\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:1:11: not a time zone name (../../etc/passwd)");
	put("c.yaml", "timezone:\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:1:10: not a time zone name "
	    "(empty)");
	put("c.yaml", "timezone: zone.tab\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	put("c.yaml", "timezone: America\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	/* $TZDIR is searched too. */
	make_dir("tzdir");
	make_dir("tzdir/Europe");
	put("tzdir/Europe/Paris", "TZif\n");
	put("c.yaml", "timezone: Europe/Paris\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	setenv("TZDIR", at("tzdir"), 1);
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_string_equal(cfg.timezone, "Europe/Paris");
}

static void
broadcast_day_start_is_hh_mm_within_a_day(void **state)
{
	static const char *const bad[] = { "24:00", "06:60", "6", "06:0",
	    "noon", "-1:00", "06:00:00", "" };
	struct rv_config cfg;
	struct rv_err err;
	char text[64];
	size_t i;

	(void)state;
	put("c.yaml", "broadcast_day_start: 6:15\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_int_equal(cfg.broadcast_day_start, 6 * 60 + 15);
	put("c.yaml", "broadcast_day_start: \"23:59\"\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_int_equal(cfg.broadcast_day_start, 23 * 60 + 59);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "broadcast_day_start: \"%s\"\n",
		    bad[i]);
		put("c.yaml", text);
		assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	}
	assert_string_equal(msg(&err), "c.yaml:1:22: expected a time HH:MM "
	    "from 00:00 to 23:59 (empty)");
}

static void
listen_is_host_and_port_with_ipv6_in_brackets(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "serve:\n  listen: localhost:80\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_string_equal(cfg.serve.listen_host, "localhost");
	assert_int_equal(cfg.serve.listen_port, 80);
	put("c.yaml", "serve:\n  listen: \"::1:8080\"\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:11: an IPv6 address needs "
	    "brackets, as in [::1]:8080 (::1:8080)");
	put("c.yaml", "serve:\n  listen: 0.0.0.0:65536\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:11: expected a port from 1 "
	    "to 65535 (0.0.0.0:65536)");
	put("c.yaml", "serve:\n  listen: 0.0.0.0:0\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	put("c.yaml", "serve:\n  listen: 8080\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:11: expected host:port or "
	    "[IPv6]:port (8080)");
	put("c.yaml", "serve:\n  listen: \":8080\"\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
}

static void
derived_device_id_is_stable_and_hdhomerun_valid(void **state)
{
	struct rv_config cfg;
	struct rv_err err;
	char a[9], b[9];

	(void)state;
	setenv("RV_DB", "/srv/a.db", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	rv_config_device_id(&cfg, a);
	rv_config_device_id(&cfg, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 8);
	/* A derived ID loads back as a valid configured one. */
	{
		char text[64];

		snprintf(text, sizeof(text), "serve:\n  device_id: \"%s\"\n",
		    a);
		put("c.yaml", text);
	}
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_string_equal(cfg.serve.device_id, a);
	setenv("RV_DB", "/srv/b.db", 1);
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	rv_config_device_id(&cfg, b);
	assert_string_not_equal(a, b);
	put("c.yaml", "serve:\n  device_id: 12345678\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:14: fails the HDHomeRun "
	    "checksum, so clients would ignore the tuner; 12345674 would "
	    "pass (12345678)");
	put("c.yaml", "serve:\n  device_id: 1234567\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err),
	    "c.yaml:2:14: expected 8 hexadecimal digits (1234567)");
}

static void
base_url_defaults_to_listen_and_loses_trailing_slash(void **state)
{
	struct rv_config cfg;
	struct rv_err err;
	char url[1024];

	(void)state;
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	rv_config_base_url(&cfg, url, sizeof(url));
	assert_string_equal(url, "http://127.0.0.1:8080");
	put("c.yaml", "serve:\n  base_url: http://tv.lan:8080//\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	rv_config_base_url(&cfg, url, sizeof(url));
	assert_string_equal(url, "http://tv.lan:8080");
	put("c.yaml", "serve:\n  base_url: ftp://tv.lan/\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:13: expected an http:// or "
	    "https:// URL (ftp://tv.lan/)");
	put("c.yaml", "serve:\n  base_url: \"http://a b\"\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
}

static void
preset_and_log_level_are_from_fixed_lists(void **state)
{
	struct rv_config cfg;
	struct rv_err err;

	(void)state;
	put("c.yaml", "playout:\n  preset: placebo\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_non_null(strstr(msg(&err), "c.yaml:2:11: expected a libx264 "
	    "preset: ultrafast, "));
	assert_non_null(strstr(msg(&err), " (placebo)"));
	put("c.yaml", "log:\n  level: quiet\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), 0);
	assert_int_equal(cfg.log.level, RV_QUIET);
	put("c.yaml", "log:\n  level: loud\n");
	assert_int_equal(rv_config_load(at("c.yaml"), &cfg, &err), -1);
	assert_string_equal(msg(&err), "c.yaml:2:10: expected quiet, normal, "
	    "info or debug (loud)");
}

static void
failed_file_leaves_the_configuration_unchanged(void **state)
{
	struct rv_config cfg, before;
	struct rv_err err;

	(void)state;
	rv_config_defaults(&cfg);
	before = cfg;
	put("c.yaml", "hls:\n  window: 50\nhorizon:\n  epg_days: 0\n");
	assert_int_equal(rv_config_load_file(at("c.yaml"), &cfg, &err), -1);
	assert_same_config(&cfg, &before);
	assert_string_equal(cfg.source, "");
}

static void
dump_reloads_to_an_identical_configuration(void **state)
{
	struct rv_config cfg, again;
	struct rv_err err;
	FILE *f;

	(void)state;
	put("full.yaml", full_yaml);
	assert_int_equal(rv_config_load(at("full.yaml"), &cfg, &err), 0);
	/* Text that YAML would misread unless the dump quotes it well. */
	strlcpy(cfg.serve.friendly_name, "#1: \\ \"Retro\" 'TV' \xc3\xa9 ",
	    sizeof(cfg.serve.friendly_name));
	strlcpy(cfg.database, "/srv/a\tb\x01.db", sizeof(cfg.database));
	f = fopen(at("dump.yaml"), "w");
	assert_non_null(f);
	assert_int_equal(rv_config_dump(&cfg, f), 0);
	assert_int_equal(fclose(f), 0);
	rv_config_defaults(&again);
	if (rv_config_load_file(at("dump.yaml"), &again, &err) == -1)
		fail_msg("%s", err.msg);
	assert_same_config(&cfg, &again);
	assert_string_equal(again.source, at("dump.yaml"));

	/* The defaults too, derived values included. */
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	f = fopen(at("dump.yaml"), "w");
	assert_non_null(f);
	assert_int_equal(rv_config_dump(&cfg, f), 0);
	assert_int_equal(fclose(f), 0);
	rv_config_defaults(&again);
	again.hls.window = 99;
	if (rv_config_load_file(at("dump.yaml"), &again, &err) == -1)
		fail_msg("%s", err.msg);
	assert_same_config(&cfg, &again);
}

static void
dump_shows_what_empty_values_stand_for(void **state)
{
	struct rv_config cfg;
	struct rv_err err;
	char buf[8192], id[9], want[64];
	FILE *f;
	size_t n;

	(void)state;
	assert_int_equal(rv_config_load(NULL, &cfg, &err), 0);
	f = fopen(at("dump.yaml"), "w+");
	assert_non_null(f);
	assert_int_equal(rv_config_dump(&cfg, f), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "  base_url: \"\"\t# derived: "
	    "http://127.0.0.1:8080\n"));
	rv_config_device_id(&cfg, id);
	snprintf(want, sizeof(want), "  device_id: \"\"\t# derived: %s\n", id);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "\nhorizon:\n  epg_days: 3\n"));
	assert_non_null(strstr(buf, "broadcast_day_start: \"06:00\"\n"));
}

/*
 * examples/retrovue.yaml of the source tree, looked for upward from the
 * folder the tests started in and from the test program's own folder.
 */
static bool
find_example(char *out, size_t size)
{
	char from[2][PATH_MAX], *slash;
	ssize_t n;
	int i, up;

	strlcpy(from[0], getenv("RV_TOP") ? getenv("RV_TOP") : top,
	    sizeof(from[0]));
	n = readlink("/proc/self/exe", from[1], sizeof(from[1]) - 1);
	from[1][n > 0 ? n : 0] = '\0';
	for (i = 0; i < 2; i++)
		for (up = 0; up < 6 && from[i][0] == '/'; up++) {
			n = snprintf(out, size, "%s/examples/retrovue.yaml",
			    from[i]);
			if (n > 0 && (size_t)n < size && access(out, R_OK) == 0)
				return true;
			if ((slash = strrchr(from[i], '/')) == from[i])
				break;
			*slash = '\0';
		}
	return false;
}

/* examples/retrovue.yaml documents every key at its default. */
static void
example_file_holds_the_defaults(void **state)
{
	struct rv_config cfg, defaults;
	struct rv_err err;
	char path[PATH_MAX];

	(void)state;
	if (!find_example(path, sizeof(path)))
		fail_msg("examples/retrovue.yaml not found (run with RV_TOP "
		    "set to the source tree)");
	rv_config_defaults(&defaults);
	cfg = defaults;
	if (rv_config_load_file(path, &cfg, &err) == -1)
		fail_msg("%s", err.msg);
	assert_same_config(&cfg, &defaults);
	assert_defaults_except_paths(&cfg);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(no_file_gives_every_default),
		T(xdg_folders_place_database_and_run_dir),
		T(writable_system_folders_win_over_xdg),
		T(rv_db_overrides_file_and_default),
		T(rv_run_overrides_file_and_default),
		T(rv_channels_overrides_file_and_default),
		T(dash_c_file_that_is_missing_is_error),
		T(rv_config_names_the_file_and_must_exist),
		T(dash_c_wins_over_rv_config),
		T(system_file_is_used_when_there_is_no_local_one),
		T(full_file_sets_every_key),
		T(relative_paths_in_a_file_are_from_its_folder),
		T(unknown_top_level_key_is_error_with_line_and_column),
		T(unknown_nested_key_is_error_with_line_and_column),
		T(out_of_range_value_names_file_line_column_and_value),
		T(map_where_a_scalar_belongs_is_error),
		T(scalar_where_a_section_belongs_is_error),
		T(empty_section_keeps_its_defaults),
		T(locked_minutes_over_exec_hours_is_rejected),
		T(timezone_must_exist_and_stay_inside_zoneinfo),
		T(broadcast_day_start_is_hh_mm_within_a_day),
		T(listen_is_host_and_port_with_ipv6_in_brackets),
		T(derived_device_id_is_stable_and_hdhomerun_valid),
		T(base_url_defaults_to_listen_and_loses_trailing_slash),
		T(preset_and_log_level_are_from_fixed_lists),
		T(failed_file_leaves_the_configuration_unchanged),
		T(dump_reloads_to_an_identical_configuration),
		T(dump_shows_what_empty_values_stand_for),
		T(example_file_holds_the_defaults),
	};

	if (getcwd(top, sizeof(top)) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
