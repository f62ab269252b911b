/* Unit tests for lib/naming: what file names say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "naming.h"

#define E RV_NAME_EPISODE
#define M RV_NAME_MOVIE
#define U RV_NAME_UNKNOWN

static const struct {
	const char *path;
	enum rv_name_form form;
	const char *series;
	int series_year, season, episode;
	const char *title;
	int year;
} cases[] = {
	/* Plex / Sonarr folders. */
	{ "Cheers (1982)/Season 01/Cheers (1982) - S01E02 - Sams Women.mkv",
	  E, "Cheers", 1982, 1, 2, "Sams Women", 0 },
	{ "Cheers/Season 1/Cheers - S01E01 - Give Me a Ring Sometime.mp4",
	  E, "Cheers", 0, 1, 1, "Give Me a Ring Sometime", 0 },
	{ "Battlestar Galactica (2003)/Season 02/Battlestar Galactica (2003) - S02E10 - Pegasus.mkv",
	  E, "Battlestar Galactica", 2003, 2, 10, "Pegasus", 0 },
	{ "Battlestar Galactica (1978)/Season 1/Battlestar Galactica (1978) - s01e03 - Lost Planet of the Gods.avi",
	  E, "Battlestar Galactica", 1978, 1, 3, "Lost Planet of the Gods", 0 },
	{ "Star Trek - The Next Generation/Season 03/Star Trek - The Next Generation - S03E15 - Yesterday's Enterprise.mkv",
	  E, "Star Trek - The Next Generation", 0, 3, 15, "Yesterday's Enterprise", 0 },
	{ "Babylon 5/Season 2/Babylon 5 - S02E01 - Points of Departure [Bluray-1080p].mkv",
	  E, "Babylon 5", 0, 2, 1, "Points of Departure", 0 },
	{ "Frasier/Season 11/Frasier - S11E23E24 - Goodnight, Seattle.mkv",
	  E, "Frasier", 0, 11, 23, "Goodnight, Seattle", 0 },
	{ "Frasier/Season 11/Frasier - S11E23-E24 - Goodnight Seattle.mkv",
	  E, "Frasier", 0, 11, 23, "Goodnight Seattle", 0 },
	{ "The Wire/Specials/The Wire - S00E01 - The Last Word.mkv",
	  E, "The Wire", 0, 0, 1, "The Last Word", 0 },
	/* Episode numbers alone, season from the folder. */
	{ "Night Court/Season 3/05 - Walk on the Wild Side.mkv",
	  E, "Night Court", 0, 3, 5, "Walk on the Wild Side", 0 },
	{ "Night Court/Season 03/E06 - The Blizzard.mkv",
	  E, "Night Court", 0, 3, 6, "The Blizzard", 0 },
	{ "Taxi (1978)/Season 1/Episode 7.avi",
	  E, "Taxi", 1978, 1, 7, "", 0 },
	{ "Dallas/S02/Dallas 2x04 Barbecue.mkv",
	  E, "Dallas", 0, 2, 4, "Barbecue", 0 },
	{ "Dallas/S02/1x02 - Digger's Daughter.mkv",
	  E, "Dallas", 0, 1, 2, "Digger's Daughter", 0 },
	{ "Magnum PI/Season 1/s1e2.mp4",
	  E, "Magnum PI", 0, 1, 2, "", 0 },
	/* Scene names. */
	{ "Hill.Street.Blues.S01E03.720p.WEB-DL.x264-GRP.mkv",
	  E, "Hill Street Blues", 0, 1, 3, "", 0 },
	{ "tv/hill_street_blues_s02e11_the_last_white_man.mp4",
	  E, "hill street blues", 0, 2, 11, "the last white man", 0 },
	{ "Miami.Vice.S01E01.Brother's.Keeper.1080p.BluRay.mkv",
	  E, "Miami Vice", 0, 1, 1, "Brother's Keeper", 0 },
	{ "Miami Vice - 3x07 - Stone's War.mkv",
	  E, "Miami Vice", 0, 3, 7, "Stone's War", 0 },
	{ "Knight Rider S01 E05 Not a Drop to Drink.mkv",
	  E, "Knight Rider", 0, 1, 5, "Not a Drop to Drink", 0 },
	{ "X-Men '97 (2024)/Season 1/X-Men '97 (2024) - S01E01 - To Me, My X-Men.mkv",
	  E, "X-Men '97", 2024, 1, 1, "To Me, My X-Men", 0 },
	/* Movies. */
	{ "Movies/Alien (1979).mp4", M, "", 0, -1, -1, "Alien", 1979 },
	{ "Alien (1979)/Alien (1979).mkv", M, "", 0, -1, -1, "Alien", 1979 },
	{ "Blade Runner (1982) [Final Cut]/Blade Runner (1982) [Final Cut].mkv",
	  M, "", 0, -1, -1, "Blade Runner", 1982 },
	{ "The.Terminator.1984.1080p.BluRay.x264.mkv",
	  M, "", 0, -1, -1, "The Terminator", 1984 },
	{ "2001 A Space Odyssey (1968).mkv",
	  M, "", 0, -1, -1, "2001 A Space Odyssey", 1968 },
	{ "Movies/Ghostbusters [1984].avi",
	  M, "", 0, -1, -1, "Ghostbusters", 1984 },
	{ "Movies/1984 (1984).mkv", M, "", 0, -1, -1, "1984", 1984 },
	{ "Escape from New York (1981)/movie.mkv",
	  M, "", 0, -1, -1, "Escape from New York", 1981 },
	{ "Mr. Robot (2015).mkv", M, "", 0, -1, -1, "Mr. Robot", 2015 },
	/* Interstitials and unknowns keep their base name as title. */
	{ "Commercials/Coca-Cola 1985 - Hilltop.mp4",
	  M, "", 0, -1, -1, "Coca-Cola", 1985 },
	{ "Bumpers/nbc_bumper_03.mp4", U, "", 0, -1, -1, "nbc bumper 03", 0 },
	{ "Station IDs/WXYZ ident.mov", U, "", 0, -1, -1, "WXYZ ident", 0 },
	{ "random clip.mkv", U, "", 0, -1, -1, "random clip", 0 },
};

static void
thirty_real_world_file_names_parse(void **state)
{
	struct rv_name n;
	size_t i;
	int bad = 0;

	(void)state;
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 30);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rv_name_parse(cases[i].path, &n);
		if (n.form != cases[i].form ||
		    strcmp(n.series, cases[i].series) != 0 ||
		    n.series_year != cases[i].series_year ||
		    n.season != cases[i].season ||
		    n.episode != cases[i].episode ||
		    strcmp(n.title, cases[i].title) != 0 ||
		    n.year != cases[i].year) {
			print_error("%s\n  got  form=%d series='%s' (%d) "
			    "S%dE%d title='%s' year=%d\n  want form=%d "
			    "series='%s' (%d) S%dE%d title='%s' year=%d\n",
			    cases[i].path, n.form, n.series, n.series_year,
			    n.season, n.episode, n.title, n.year,
			    cases[i].form, cases[i].series,
			    cases[i].series_year, cases[i].season,
			    cases[i].episode, cases[i].title, cases[i].year);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
slug_follows_the_alias_rule(void **state)
{
	static const char *const pairs[][2] = {
		{ "Cheers", "cheers" },
		{ "Batman (1966)", "batman" },
		{ "Star Trek - The Next Generation",
		  "star_trek_the_next_generation" },
		{ "X-Men '97", "x_men_97" },
		{ "Bob's Burgers", "bob_s_burgers" },
		{ "  M*A*S*H  ", "m_a_s_h" },
		{ "Battlestar Galactica (2003)", "battlestar_galactica" },
		{ "", "" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		rv_name_slug(pairs[i][0], out, sizeof(out));
		assert_string_equal(out, pairs[i][1]);
	}
}

static void
slug_never_overflows(void **state)
{
	char out[8];

	(void)state;
	rv_name_slug("A Very Long Series Title Indeed", out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_string_equal(out, "a_very");
}

static void
folder_names_imply_kinds(void **state)
{
	(void)state;
	assert_string_equal(rv_name_folder_kind("Commercials"), "commercial");
	assert_string_equal(rv_name_folder_kind("Station IDs"), "station_id");
	assert_string_equal(rv_name_folder_kind("PSAs"), "psa");
	assert_string_equal(rv_name_folder_kind("bumpers"), "bumper");
	assert_string_equal(rv_name_folder_kind("Stingers"), "stinger");
	assert_string_equal(rv_name_folder_kind("Promos"), "promo");
	assert_string_equal(rv_name_folder_kind("Filler"), "filler");
	assert_string_equal(rv_name_folder_kind("Movies"), "movie");
	assert_string_equal(rv_name_folder_kind("TV Shows"), "episode");
	assert_null(rv_name_folder_kind("Cheers"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thirty_real_world_file_names_parse),
		cmocka_unit_test(slug_follows_the_alias_rule),
		cmocka_unit_test(slug_never_overflows),
		cmocka_unit_test(folder_names_imply_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
