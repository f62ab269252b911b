/* Unit tests for lib/pool: match criteria and schedule order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"

static const char *horror[] = { "Horror" };
static const char *comedy[] = { "comedy", "drama" };
static const char *coll80s[] = { "80s Movies" };

/* Listed out of order on purpose: selection must sort. */
static struct rv_cat_asset assets[] = {
	{ .id = "a-05", .kind = "episode", .title = "Pegasus",
	  .series_title = "Battlestar Galactica", .series_year = 2003,
	  .season = 2, .episode = 10, .duration_ms = 2640000 },
	{ .id = "a-04", .kind = "episode", .title = "Lost Planet",
	  .series_title = "Battlestar Galactica", .series_year = 1978,
	  .season = 1, .episode = 3, .duration_ms = 2880000 },
	{ .id = "a-03", .kind = "episode", .title = "Sams Women",
	  .series_title = "Cheers", .series_year = 1982, .season = 1,
	  .episode = 2, .duration_ms = 1500000, .rating = "TV-PG",
	  .genres = comedy, .ngenres = 2 },
	{ .id = "a-02", .kind = "episode", .title = "Give Me a Ring",
	  .series_title = "cheers", .series_year = 1982, .season = 1,
	  .episode = 1,
	  .duration_ms = 1480000, .rating = "TV-PG" },
	{ .id = "a-09", .kind = "episode", .title = "Pilot",
	  .series_title = "Cheers", .series_year = 1982, .season = 2,
	  .episode = 1,
	  .duration_ms = 1490000, .rating = "TV-14" },
	{ .id = "a-07", .kind = "movie", .title = "Alien", .year = 1979,
	  .duration_ms = 7020000, .rating = "R", .genres = horror,
	  .ngenres = 1, .collections = coll80s, .ncollections = 1,
	  .source_name = "Movies", .season = -1, .episode = -1 },
	{ .id = "a-06", .kind = "movie", .title = "alien", .year = 1979,
	  .duration_ms = 6000000, .rating = "R", .season = -1,
	  .episode = -1 },
	{ .id = "a-08", .kind = "movie", .title = "Airplane!", .year = 1980,
	  .duration_ms = 5280000, .rating = "PG", .genres = comedy,
	  .ngenres = 2, .season = -1, .episode = -1 },
	{ .id = "a-01", .kind = "commercial", .title = "Coke", .year = 1985,
	  .duration_ms = 30000, .season = -1, .episode = -1 },
};

static struct rv_catalog cat = { .assets = assets,
    .n = sizeof(assets) / sizeof(assets[0]) };

/* Select with a match given as YAML; return the ids joined by ','. */
static char *
ids(const char *yaml)
{
	const struct rv_cat_asset **v;
	static char out[512];
	struct yml_doc *doc;
	struct rv_match m;
	struct rv_err err;
	size_t n, i;

	doc = yml_load_buffer("test", yaml, strlen(yaml), &err);
	if (doc == NULL)
		fail_msg("%s", err.msg);
	if (rv_match_parse(yml_root(doc), &m, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(rv_pool_select(&cat, &m, &v, &n, &err), 0);
	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, v[i]->id);
	}
	free(v);
	rv_match_free(&m);
	yml_free(doc);
	return out;
}

static int
parse_error(const char *yaml, char *msg, size_t n)
{
	struct yml_doc *doc;
	struct rv_match m;
	struct rv_err err;
	int rc;

	doc = yml_load_buffer("test", yaml, strlen(yaml), &err);
	assert_non_null(doc);
	rc = rv_match_parse(yml_root(doc), &m, NULL, NULL, &err);
	if (rc == 0)
		rv_match_free(&m);
	snprintf(msg, n, "%s", rc < 0 ? err.msg : "");
	yml_free(doc);
	return rc;
}

static void
episodes_come_in_series_season_episode_order(void **state)
{
	(void)state;
	assert_string_equal(ids("type: episode"), "a-04,a-05,a-02,a-03,a-09");
}

static void
series_title_ignores_case(void **state)
{
	(void)state;
	assert_string_equal(ids("series_title: CHEERS"), "a-02,a-03,a-09");
}

static void
series_title_with_year_picks_that_show(void **state)
{
	(void)state;
	assert_string_equal(ids("series_title: Battlestar Galactica (1978)"),
	    "a-04");
	assert_string_equal(ids("series_title: [Battlestar Galactica (2003),"
	    " Cheers]"), "a-05,a-02,a-03,a-09");
}

static void
season_and_episode_take_numbers_ranges_and_lists(void **state)
{
	(void)state;
	assert_string_equal(ids("{series_title: Cheers, season: 1}"),
	    "a-02,a-03");
	assert_string_equal(ids("{series_title: Cheers, season: \"1..2\","
	    " episode: [1]}"), "a-02,a-09");
	assert_string_equal(ids("{type: episode, season: [1, \"2-2\"],"
	    " episode: \"2-10\"}"), "a-04,a-05,a-03");
}

static void
assets_without_the_number_never_match_a_range(void **state)
{
	(void)state;
	assert_string_equal(ids("season: 0..100"), "a-04,a-05,a-02,a-03,a-09");
}

static void
movies_sort_by_title_then_year_then_id(void **state)
{
	(void)state;
	assert_string_equal(ids("type: movie"), "a-08,a-07,a-06");
}

static void
genre_rating_duration_year_collection_source(void **state)
{
	(void)state;
	/* Movies have no series, so they sort before episodes. */
	assert_string_equal(ids("genre: comedy"), "a-08,a-03");
	assert_string_equal(ids("genre: [horror, nothing]"), "a-07");
	assert_string_equal(ids("rating: {include: [TV-PG, PG]}"),
	    "a-08,a-02,a-03");
	assert_string_equal(ids("{type: movie, rating: {exclude: [R]}}"),
	    "a-08");
	assert_string_equal(ids("{type: movie, max_duration_sec: 6000}"),
	    "a-08,a-06");
	assert_string_equal(ids("{min_duration_sec: 6000, max_duration_sec: "
	    "7020}"), "a-07,a-06");
	assert_string_equal(ids("year_range: 1979-1980"), "a-08,a-07,a-06");
	/* Episodes without a year of their own go by their show's. */
	assert_string_equal(ids("year_range: [1980, 1990]"),
	    "a-08,a-01,a-02,a-03,a-09");
	assert_string_equal(ids("collection: 80S MOVIES"), "a-07");
	assert_string_equal(ids("source: movies"), "a-07");
}

static void
all_criteria_must_hold(void **state)
{
	(void)state;
	assert_string_equal(ids("{type: movie, genre: comedy, rating: PG}"),
	    "a-08");
	assert_string_equal(ids("{type: commercial, genre: comedy}"), "");
}

static void
bad_criteria_name_file_line_column_and_value(void **state)
{
	char msg[1024];

	(void)state;
	assert_int_equal(parse_error("type: film", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "test:1:7: unknown type (film)"));
	assert_int_equal(parse_error("season: 3..1", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "test:1:9:"));
	assert_non_null(strstr(msg, "(3..1)"));
	assert_int_equal(parse_error("year_range: 80-90", msg, sizeof(msg)),
	    -1);
	assert_non_null(strstr(msg, "four digits"));
	assert_int_equal(parse_error("{min_duration_sec: 10, "
	    "max_duration_sec: 5}", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "min_duration_sec is above"));
	assert_int_equal(parse_error("rating: {only: [R]}", msg, sizeof(msg)),
	    -1);
	assert_int_equal(parse_error("genre: []", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "empty list"));
}

static int warnings;

static void
count_warning(void *arg, const struct yml_node *key, const char *msg)
{
	(void)arg;
	(void)msg;
	assert_int_equal(key->line, 2);
	warnings++;
}

static void
unknown_keys_are_warnings_not_errors(void **state)
{
	const char *yaml = "type: movie\ntags: [x]\n";
	struct yml_doc *doc;
	struct rv_match m;
	struct rv_err err;

	(void)state;
	doc = yml_load_buffer("test", yaml, strlen(yaml), &err);
	assert_int_equal(rv_match_parse(yml_root(doc), &m, count_warning, NULL,
	    &err), 0);
	assert_int_equal(warnings, 1);
	assert_string_equal(m.type, "movie");
	rv_match_free(&m);
	yml_free(doc);
}

static void
selection_does_not_depend_on_catalog_order(void **state)
{
	struct rv_cat_asset copy[sizeof(assets) / sizeof(assets[0])];
	char before[512];
	size_t i, n = sizeof(assets) / sizeof(assets[0]);

	(void)state;
	snprintf(before, sizeof(before), "%s", ids("{}"));
	for (i = 0; i < n; i++)
		copy[i] = assets[n - 1 - i];
	memcpy(assets, copy, sizeof(copy));
	assert_string_equal(ids("{}"), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(episodes_come_in_series_season_episode_order),
		cmocka_unit_test(series_title_ignores_case),
		cmocka_unit_test(series_title_with_year_picks_that_show),
		cmocka_unit_test(season_and_episode_take_numbers_ranges_and_lists),
		cmocka_unit_test(assets_without_the_number_never_match_a_range),
		cmocka_unit_test(movies_sort_by_title_then_year_then_id),
		cmocka_unit_test(genre_rating_duration_year_collection_source),
		cmocka_unit_test(all_criteria_must_hold),
		cmocka_unit_test(bad_criteria_name_file_line_column_and_value),
		cmocka_unit_test(unknown_keys_are_warnings_not_errors),
		cmocka_unit_test(selection_does_not_depend_on_catalog_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
