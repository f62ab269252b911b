/*
 * rv-catalog — the media catalog from folders and from a Plex library
 * database (rv-catalog(1)).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libavutil/log.h>

#include "catalog.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "json.h"
#include "loudness.h"
#include "plex.h"
#include "pool.h"
#include "scan.h"
#include "yml.h"

static const char usage[] =
    "usage: rv-catalog [-C FILE] [-v] COMMAND [ARGS]\n"
    "  scan [--full] [-j N] DIR...        index folders of media\n"
    "  import-plex PLEXDB [--map FROM=TO]...  import a Plex library\n"
    "  probe [-j N]                       probe imported files (chapters)\n"
    "  loudness [--target LUFS] [-j N]    measure EBU R128 loudness\n"
    "  list [--kind K] [--state S] [--json] [TEXT]\n"
    "  show [--json] ID|ALIAS|PATH\n"
    "  stats [--json]\n"
    "  match [--json] MATCH_YAML | --channel FILE --pool NAME\n"
    "options: -C FILE config file, -v more messages, -h help, --version\n";

struct opts {
	const char	*config;
	char		**maps;
	int		 nmaps;
	int		 json, full, jobs, target_set;
	double		 target;
	const char	*kind, *state, *channel, *pool;
};

static void
warn_line(void *arg, const char *msg)
{
	(void)arg;
	rv_warnx("%s", msg);
}

static void
yml_warn(void *arg, const struct yml_node *key, const char *msg)
{
	(void)arg;
	(void)key;	/* msg already says where */
	rv_warnx("%s", msg);
}

static int
open_db(const struct opts *o, struct rv_config *cfg, sqlite3 **db)
{
	struct rv_err err;

	if (rv_cli_config(o->config, cfg) < 0)
		return -1;
	if (rv_db_open(cfg->database, db, &err) < 0) {
		rv_warnx("%s", err.msg);
		return -1;
	}
	return 0;
}

static void
print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));

	if (s != NULL)
		puts(s);
	free(s);
	json_decref(j);
}

static const char *
hms(int64_t ms, char *buf, size_t n)
{
	snprintf(buf, n, "%lld:%02lld:%02lld", (long long)(ms / 3600000),
	    (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60));
	return buf;
}

/* "Cheers S01E02 Title", "Alien (1979)", or the title. */
static const char *
label(const char *kind, const char *series, int season, int episode,
    const char *title, int year, char *buf, size_t n)
{
	if (strcmp(kind, "episode") == 0 && season >= 0 && episode >= 0)
		snprintf(buf, n, "%s S%02dE%02d %s", series ? series : "?",
		    season, episode, title);
	else if (strcmp(kind, "episode") == 0)
		snprintf(buf, n, "%s: %s", series ? series : "?", title);
	else if (year > 0)
		snprintf(buf, n, "%s (%d)", title, year);
	else
		snprintf(buf, n, "%s", title);
	return buf;
}

static int
cmd_scan(const struct opts *o, int argc, char **argv)
{
	struct rv_config cfg;
	struct rv_scan_opts so = { 0 };
	struct rv_scan_stats st;
	struct rv_err err;
	char **roots;
	sqlite3 *db;
	int i, rc;

	if (argc < 1)
		return rv_cli_usage_error(usage, "scan: name at least one folder");
	roots = calloc((size_t)argc, sizeof(*roots));
	if (roots == NULL)
		return RV_EXIT_FAIL;
	for (i = 0; i < argc; i++)
		if ((roots[i] = realpath(argv[i], NULL)) == NULL) {
			rv_warnx("%s: %s", argv[i], strerror(errno));
			rc = RV_EXIT_FAIL;
			goto out;
		}
	if (open_db(o, &cfg, &db) < 0) {
		rc = RV_EXIT_FAIL;
		goto out;
	}
	so.jobs = o->jobs >= 0 ? o->jobs : cfg.catalog.jobs;
	so.full = o->full;
	so.now_ms = rv_wall_now();
	so.stop = &rv_stop_signal;
	rc = rv_scan(db, roots, argc, &so, warn_line, NULL, &st, &err);
	if (rc < 0)
		rv_warnx("%s", err.msg);
	else
		printf("%lld media files: %lld added, %lld changed, %lld "
		    "unchanged, %lld missing, %lld failed (%lld probed); "
		    "%lld aliases\n", (long long)st.files, (long long)st.added,
		    (long long)st.changed, (long long)st.unchanged,
		    (long long)st.missing, (long long)st.failed,
		    (long long)st.probed, (long long)st.aliases);
	if (rc == 0 && rv_stop_signal)
		rv_warnx("interrupted: what was probed is kept; scan again "
		    "to finish");
	rv_db_close(db);
	rc = rc < 0 || rv_stop_signal ? RV_EXIT_FAIL : RV_EXIT_OK;
out:
	for (i = 0; i < argc; i++)
		free(roots[i]);
	free(roots);
	return rc;
}

static int
cmd_import_plex(const struct opts *o, int argc, char **argv)
{
	struct rv_plex_stats st = { 0 };
	struct rv_plex_map *maps;
	struct rv_config cfg;
	struct rv_err err;
	sqlite3 *db;
	int i, rc = RV_EXIT_FAIL;

	if (argc != 1)
		return rv_cli_usage_error(usage, "import-plex: name the Plex "
		    "database (com.plexapp.plugins.library.db)");
	maps = calloc((size_t)o->nmaps + 1, sizeof(*maps));
	if (maps == NULL)
		return RV_EXIT_FAIL;
	for (i = 0; i < o->nmaps; i++)
		if (rv_plex_map_parse(o->maps[i], &maps[i], &err) < 0) {
			rv_warnx("--map: %s", err.msg);
			goto out;
		}
	if (open_db(o, &cfg, &db) < 0)
		goto out;
	if (rv_plex_import(db, argv[0], maps, o->nmaps, rv_wall_now(), &st,
	    warn_line, NULL, &err) < 0) {
		rv_warnx("%s", err.msg);
	} else {
		printf("%lld movies, %lld episodes: %lld added, %lld updated, "
		    "%lld removed; skipped %lld deleted, %lld unplayable, "
		    "%lld without season or show; %lld multi-part\n",
		    (long long)st.movies, (long long)st.episodes,
		    (long long)st.added, (long long)st.updated,
		    (long long)st.removed, (long long)st.skipped_deleted,
		    (long long)st.skipped_unplayable,
		    (long long)st.skipped_orphans, (long long)st.multipart);
		rc = RV_EXIT_OK;
	}
	rv_db_close(db);
out:
	for (i = 0; i < o->nmaps; i++)
		rv_plex_map_free(&maps[i]);
	free(maps);
	return rc;
}

static int
cmd_probe(const struct opts *o, int argc, char **argv)
{
	struct rv_scan_opts so = { 0 };
	struct rv_scan_stats st;
	struct rv_config cfg;
	struct rv_err err;
	sqlite3 *db;
	int rc;

	(void)argv;
	if (argc != 0)
		return rv_cli_usage_error(usage, "probe takes no arguments");
	if (open_db(o, &cfg, &db) < 0)
		return RV_EXIT_FAIL;
	so.jobs = o->jobs >= 0 ? o->jobs : cfg.catalog.jobs;
	so.now_ms = rv_wall_now();
	so.stop = &rv_stop_signal;
	rc = rv_scan_probe_imported(db, &so, warn_line, NULL, &st, &err);
	if (rc < 0)
		rv_warnx("%s", err.msg);
	else
		printf("%lld imported files: %lld probed, %lld unchanged, "
		    "%lld failed\n", (long long)st.files,
		    (long long)st.changed, (long long)st.unchanged,
		    (long long)st.failed);
	rv_db_close(db);
	return rc < 0 || rv_stop_signal ? RV_EXIT_FAIL : RV_EXIT_OK;
}

static int
cmd_loudness(const struct opts *o, int argc, char **argv)
{
	struct rv_loudness_stats st = { 0 };
	struct rv_config cfg;
	struct rv_err err;
	sqlite3 *db;
	double target;
	int rc;

	(void)argv;
	if (argc != 0)
		return rv_cli_usage_error(usage, "loudness takes no arguments");
	if (open_db(o, &cfg, &db) < 0)
		return RV_EXIT_FAIL;
	target = o->target_set ? o->target : cfg.catalog.loudness_target_lufs;
	rc = rv_loudness_run(db, target, o->jobs >= 0 ? o->jobs :
	    cfg.catalog.jobs, &rv_stop_signal, warn_line, NULL, &st, &err);
	printf("%lld measured, %lld silent, %lld failed (target %.1f LUFS)\n",
	    (long long)st.measured, (long long)st.skipped_silent,
	    (long long)st.failed, target);
	if (rc < 0)
		rv_warnx("%s", err.msg);
	rv_db_close(db);
	return rc < 0 ? RV_EXIT_FAIL : RV_EXIT_OK;
}

static const char list_sql[] =
    "SELECT id, kind, state, series_title, season, episode, title, year,"
    " duration_ms, path FROM assets"
    " WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR state = ?2)"
    " AND (?3 IS NULL OR instr(lower(title), lower(?3)) > 0"
    "  OR instr(lower(coalesce(series_title, '')), lower(?3)) > 0"
    "  OR instr(lower(path), lower(?3)) > 0)"
    " ORDER BY kind, series_title COLLATE NOCASE, season, episode,"
    " title COLLATE NOCASE, year, id";

static int
cmd_list(const struct opts *o, int argc, char **argv)
{
	struct rv_config cfg;
	struct rv_err err;
	sqlite3_stmt *st;
	char lb[1024], hb[32];
	sqlite3 *db;
	int rc;

	if (argc > 1)
		return rv_cli_usage_error(usage, "list: at most one TEXT");
	if (open_db(o, &cfg, &db) < 0)
		return RV_EXIT_FAIL;
	if (rv_db_prepare(db, list_sql, &st, &err) < 0) {
		rv_warnx("%s", err.msg);
		rv_db_close(db);
		return RV_EXIT_FAIL;
	}
	if (o->kind)
		sqlite3_bind_text(st, 1, o->kind, -1, SQLITE_STATIC);
	if (o->state)
		sqlite3_bind_text(st, 2, o->state, -1, SQLITE_STATIC);
	if (argc == 1)
		sqlite3_bind_text(st, 3, argv[0], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *state = (const char *)sqlite3_column_text(st, 2);
		const char *series = (const char *)sqlite3_column_text(st, 3);
		int season = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 4);
		int episode = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(st, 5);
		const char *title = (const char *)sqlite3_column_text(st, 6);
		int year = sqlite3_column_int(st, 7);
		int64_t dur = sqlite3_column_int64(st, 8);

		if (o->json) {
			json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o,"
			    " s:s, s:o, s:I, s:s}", "id", id, "kind", kind,
			    "state", state, "series_title", series ?
			    json_string(series) : json_null(), "season",
			    season >= 0 ? json_integer(season) : json_null(),
			    "episode", episode >= 0 ? json_integer(episode) :
			    json_null(), "title", title, "year", year ?
			    json_integer(year) : json_null(), "duration_ms",
			    (json_int_t)dur, "path",
			    (const char *)sqlite3_column_text(st, 9));
			print_json(j);
		} else {
			printf("%s  %-10s %-7s %9s  %s\n", id, kind, state,
			    hms(dur, hb, sizeof(hb)), label(kind, series,
			    season, episode, title, year, lb, sizeof(lb)));
		}
	}
	sqlite3_finalize(st);
	rv_db_close(db);
	return rc == SQLITE_DONE ? RV_EXIT_OK : RV_EXIT_FAIL;
}

/* One row's columns as a JSON object (NULL columns become null). */
static json_t *
row_object(sqlite3_stmt *st)
{
	json_t *j = json_object();
	int i;

	for (i = 0; i < sqlite3_column_count(st); i++) {
		json_t *v;

		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_string((const char *)sqlite3_column_text(st, i));
		}
		json_object_set_new(j, sqlite3_column_name(st, i), v);
	}
	return j;
}

/* Rows of a query on one asset id: an array of objects, or of the single
 * column's values. */
static json_t *
rows(sqlite3 *db, const char *sql, const char *id)
{
	sqlite3_stmt *st;
	json_t *a = json_array(), *o;
	struct rv_err err;

	if (rv_db_prepare(db, sql, &st, &err) < 0) {
		rv_warnx("%s", err.msg);
		return a;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = row_object(st);
		if (sqlite3_column_count(st) == 1) {
			json_array_append(a, json_object_iter_value(
			    json_object_iter(o)));
			json_decref(o);
		} else {
			json_array_append_new(a, o);
		}
	}
	sqlite3_finalize(st);
	return a;
}

static void
print_text(json_t *asset)
{
	const char *key;
	json_t *v;
	char *s;

	json_object_foreach(asset, key, v) {
		if (json_is_null(v) || (json_is_array(v) &&
		    json_array_size(v) == 0))
			continue;
		if (json_is_string(v)) {
			printf("%-16s %s\n", key, json_string_value(v));
			continue;
		}
		if (json_is_real(v)) {
			printf("%-16s %.2f\n", key, json_real_value(v));
			continue;
		}
		s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) |
		    JSON_ENCODE_ANY);
		printf("%-16s %s\n", key, s ? s : "?");
		free(s);
	}
}

static int
cmd_show(const struct opts *o, int argc, char **argv)
{
	struct rv_config cfg;
	struct rv_err err;
	char id[RV_ASSET_ID];
	sqlite3_stmt *st;
	json_t *asset;
	sqlite3 *db;

	if (argc != 1)
		return rv_cli_usage_error(usage, "show: name one asset");
	if (open_db(o, &cfg, &db) < 0)
		return RV_EXIT_FAIL;
	if (rv_catalog_resolve(db, argv[0], id, &err) < 0 ||
	    rv_db_prepare(db, "SELECT * FROM assets WHERE id = ?1", &st,
	    &err) < 0) {
		rv_warnx("%s", err.msg);
		rv_db_close(db);
		return RV_EXIT_FAIL;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_step(st);
	asset = row_object(st);
	sqlite3_finalize(st);
	json_object_set_new(asset, "genres", rows(db, "SELECT genre FROM"
	    " asset_genres WHERE asset_id = ?1 ORDER BY genre", id));
	json_object_set_new(asset, "collections", rows(db, "SELECT name FROM"
	    " asset_collections JOIN collections ON id = collection_id"
	    " WHERE asset_id = ?1 ORDER BY name", id));
	json_object_set_new(asset, "aliases", rows(db, "SELECT alias FROM"
	    " aliases WHERE asset_id = ?1 ORDER BY alias", id));
	json_object_set_new(asset, "chapters", rows(db, "SELECT start_ms,"
	    " end_ms, title FROM chapters WHERE asset_id = ?1 ORDER BY idx",
	    id));
	json_object_set_new(asset, "markers", rows(db, "SELECT kind,"
	    " start_ms, end_ms FROM markers WHERE asset_id = ?1"
	    " ORDER BY start_ms, kind", id));
	if (o->json)
		print_json(asset);
	else {
		print_text(asset);
		json_decref(asset);
	}
	rv_db_close(db);
	return RV_EXIT_OK;
}

static int
cmd_stats(const struct opts *o, int argc, char **argv)
{
	static const char *const counts[][2] = {
		{ "aliases", "SELECT count(*) FROM aliases" },
		{ "collections", "SELECT count(*) FROM collections" },
		{ "chapters", "SELECT count(*) FROM chapters" },
		{ "loudness_measured", "SELECT count(*) FROM assets"
		    " WHERE loudness_lufs IS NOT NULL" },
		{ "loudness_pending", "SELECT count(*) FROM assets"
		    " WHERE state = 'ready' AND audio_codec IS NOT NULL"
		    " AND loudness_lufs IS NULL" },
	};
	struct rv_config cfg;
	struct rv_err err;
	sqlite3_stmt *st;
	json_t *j, *kinds;
	sqlite3 *db;
	size_t i;
	char hb[32];

	(void)argv;
	if (argc != 0)
		return rv_cli_usage_error(usage, "stats takes no arguments");
	if (open_db(o, &cfg, &db) < 0)
		return RV_EXIT_FAIL;
	j = json_object();
	kinds = json_array();
	if (rv_db_prepare(db, "SELECT kind, state, count(*) AS assets,"
	    " sum(duration_ms) AS duration_ms FROM assets"
	    " GROUP BY kind, state ORDER BY kind, state", &st, &err) < 0) {
		rv_warnx("%s", err.msg);
		rv_db_close(db);
		return RV_EXIT_FAIL;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(kinds, row_object(st));
	sqlite3_finalize(st);
	json_object_set_new(j, "by_kind", kinds);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		if (rv_db_prepare(db, counts[i][1], &st, &err) < 0)
			continue;
		sqlite3_step(st);
		json_object_set_new(j, counts[i][0],
		    json_integer(sqlite3_column_int64(st, 0)));
		sqlite3_finalize(st);
	}
	if (o->json) {
		print_json(j);
	} else {
		json_t *row;
		const char *key;
		json_t *v;

		printf("%-12s %-8s %8s %12s\n", "kind", "state", "assets",
		    "duration");
		json_array_foreach(kinds, i, row)
			printf("%-12s %-8s %8lld %12s\n",
			    json_string_value(json_object_get(row, "kind")),
			    json_string_value(json_object_get(row, "state")),
			    json_integer_value(json_object_get(row, "assets")),
			    hms(json_integer_value(json_object_get(row,
			    "duration_ms")), hb, sizeof(hb)));
		json_object_foreach(j, key, v)
			if (json_is_integer(v))
				printf("%s: %lld\n", key, json_integer_value(v));
		json_decref(j);
	}
	rv_db_close(db);
	return RV_EXIT_OK;
}

/* The match: map to test: inline YAML, or a pool of a channel file. */
static const struct yml_node *
match_node(const struct opts *o, int argc, char **argv, struct yml_doc **doc,
    struct rv_err *err)
{
	const struct yml_node *n;

	if (o->channel != NULL) {
		if (argc != 0 || o->pool == NULL) {
			rv_errf(err, "match: --channel needs --pool and no "
			    "MATCH_YAML");
			return NULL;
		}
		if ((*doc = yml_load_file(o->channel, err)) == NULL)
			return NULL;
		n = yml_get(yml_root(*doc), "pools");
		if (n == NULL || (n = yml_get(n, o->pool)) == NULL) {
			rv_errf(err, "%s: no pool named '%s'", o->channel,
			    o->pool);
			return NULL;
		}
		if ((n = yml_get(n, "match")) == NULL)
			yml_errf(err, yml_get(yml_get(yml_root(*doc), "pools"),
			    o->pool), "pool '%s' has no match:", o->pool);
		return n;
	}
	if (argc != 1) {
		rv_errf(err, "match: give MATCH_YAML, e.g. '{type: episode, "
		    "series_title: Cheers}', or --channel FILE --pool NAME");
		return NULL;
	}
	*doc = yml_load_buffer("command line", argv[0], strlen(argv[0]), err);
	return *doc ? yml_root(*doc) : NULL;
}

static int
cmd_match(const struct opts *o, int argc, char **argv)
{
	const struct rv_cat_asset **sel = NULL;
	const struct yml_node *node;
	struct yml_doc *doc = NULL;
	struct rv_catalog *cat = NULL;
	struct rv_config cfg;
	struct rv_match m;
	struct rv_err err;
	sqlite3 *db = NULL;
	size_t n = 0, i;
	int64_t total = 0;
	char lb[1024], hb[32];
	int rc = RV_EXIT_FAIL;

	if ((node = match_node(o, argc, argv, &doc, &err)) == NULL ||
	    rv_match_parse(node, &m, yml_warn, NULL, &err) < 0) {
		rv_warnx("%s", err.msg);
		yml_free(doc);
		return o->channel || argc == 1 ? RV_EXIT_FAIL : RV_EXIT_USAGE;
	}
	if (open_db(o, &cfg, &db) < 0)
		goto out;
	if (rv_catalog_load(db, &cat, &err) < 0 ||
	    rv_pool_select(cat, &m, &sel, &n, &err) < 0) {
		rv_warnx("%s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct rv_cat_asset *a = sel[i];

		total += a->duration_ms;
		if (o->json)
			print_json(json_pack("{s:I, s:s, s:s, s:o, s:o, s:o,"
			    " s:s, s:o, s:I}", "order", (json_int_t)i + 1, "id",
			    a->id, "kind", a->kind, "series_title",
			    a->series_title ? json_string(a->series_title) :
			    json_null(), "season", a->season >= 0 ?
			    json_integer(a->season) : json_null(), "episode",
			    a->episode >= 0 ? json_integer(a->episode) :
			    json_null(), "title", a->title, "year", a->year ?
			    json_integer(a->year) : json_null(), "duration_ms",
			    (json_int_t)a->duration_ms));
		else
			printf("%5zu  %s %9s  %s\n", i + 1, a->id,
			    hms(a->duration_ms, hb, sizeof(hb)), label(a->kind,
			    a->series_title, a->season, a->episode, a->title,
			    a->year, lb, sizeof(lb)));
	}
	if (!o->json)
		printf("%zu asset%s, %s\n", n, n == 1 ? "" : "s",
		    hms(total, hb, sizeof(hb)));
	rc = RV_EXIT_OK;
out:
	free(sel);
	rv_catalog_free(cat);
	rv_match_free(&m);
	yml_free(doc);
	rv_db_close(db);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(const struct opts *, int, char **);
} commands[] = {
	{ "scan", cmd_scan },
	{ "import-plex", cmd_import_plex },
	{ "probe", cmd_probe },
	{ "loudness", cmd_loudness },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "stats", cmd_stats },
	{ "match", cmd_match },
};

int
main(int argc, char *argv[])
{
	enum { O_FULL = 256, O_KIND, O_STATE, O_CHANNEL, O_POOL, O_JSON,
	    O_TARGET, O_MAP };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "full", no_argument, NULL, O_FULL },
		{ "target", required_argument, NULL, O_TARGET },
		{ "map", required_argument, NULL, O_MAP },
		{ "kind", required_argument, NULL, O_KIND },
		{ "state", required_argument, NULL, O_STATE },
		{ "channel", required_argument, NULL, O_CHANNEL },
		{ "pool", required_argument, NULL, O_POOL },
		{ "json", no_argument, NULL, O_JSON },
		RV_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .jobs = -1 };
	const char *cmd;
	char *end;
	size_t i;
	int ch;

	rv_log_init(argv[0]);
	rv_cli_signals();
	/* GNU getopt permutes, so options may come before or after the
	 * command: rv-catalog scan -j 2 DIR. */
	while ((ch = getopt_long(argc, argv, "C:j:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			o.config = optarg;
			break;
		case 'j':
			errno = 0;
			o.jobs = (int)strtol(optarg, &end, 10);
			if (errno || *end || o.jobs < 0 || o.jobs > 64)
				return rv_cli_usage_error(usage, "-j takes 0 to "
				    "64 (%s)", optarg);
			break;
		case O_FULL:
			o.full = 1;
			break;
		case O_MAP:
			o.maps = reallocarray(o.maps, (size_t)o.nmaps + 1,
			    sizeof(*o.maps));
			if (o.maps == NULL)
				return RV_EXIT_FAIL;
			o.maps[o.nmaps++] = optarg;
			break;
		case O_TARGET:
			errno = 0;
			o.target = strtod(optarg, &end);
			if (errno || *end || o.target < -70 || o.target > 0)
				return rv_cli_usage_error(usage, "--target takes "
				    "-70 to 0 LUFS (%s)", optarg);
			o.target_set = 1;
			break;
		case O_KIND:
			o.kind = optarg;
			break;
		case O_STATE:
			o.state = optarg;
			break;
		case O_CHANNEL:
			o.channel = optarg;
			break;
		case O_POOL:
			o.pool = optarg;
			break;
		case O_JSON:
			o.json = 1;
			break;
		default:
			if ((ch = rv_cli_option(ch, usage)) >= 0)
				return ch;
			break;
		}
	}
	if (optind >= argc)
		return rv_cli_usage_error(usage, "missing command");
	/* FFmpeg's own chatter would bury our messages: failures come back
	 * as errors we print with the file's name. */
	av_log_set_level(rv_log_level() >= RV_DEBUG ? AV_LOG_INFO :
	    AV_LOG_QUIET);
	cmd = argv[optind];
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0) {
			ch = commands[i].fn(&o, argc - optind - 1,
			    argv + optind + 1);
			free(o.maps);
			return ch;
		}
	free(o.maps);
	return rv_cli_usage_error(usage, "unknown command '%s'", cmd);
}
