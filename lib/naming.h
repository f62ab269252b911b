/*
 * naming — what a media file's path says about it: series, season,
 * episode, title and year, from the conventions people use
 * (Plex/Sonarr/Kodi style folders and scene names), and the interstitial
 * kind a folder name implies.  Pure string work: no I/O.
 */
#ifndef RV_NAMING_H
#define RV_NAMING_H

#include <stddef.h>

#define RV_NAME_MAX 256

enum rv_name_form { RV_NAME_UNKNOWN, RV_NAME_EPISODE, RV_NAME_MOVIE };

struct rv_name {
	enum rv_name_form form;
	char	series[RV_NAME_MAX];	/* episodes: the show, year removed */
	int	series_year;		/* "Show (1978)" → 1978, else 0 */
	int	season, episode;	/* -1 when unknown */
	char	title[RV_NAME_MAX];	/* episode title or movie title */
	int	year;			/* movies: release year, else 0 */
};

/* Parse a path relative to the scanned root ("Show (2003)/Season 01/
 * Show (2003) - S01E02 - Title.mkv").  Always succeeds: a name it cannot
 * read comes back RV_NAME_UNKNOWN with the file's base name as title. */
void	rv_name_parse(const char *relpath, struct rv_name *out);

/* A season folder ("Season 01", "Season 1", "S01", "Specials" = 0):
 * 1 with *season set, else 0. */
int	rv_name_season_folder(const char *folder, int *season);

/* The asset kind a folder name implies ("Commercials" → "commercial",
 * "Station IDs" → "station_id", "Movies" → "movie"), or NULL. */
const char *rv_name_folder_kind(const char *folder);

/* asset alias slug: lower case, "(YYYY)" groups removed, runs of other
 * characters to '_', trimmed.  "Star Trek - The Next Generation" →
 * "star_trek_the_next_generation". */
void	rv_name_slug(const char *title, char *out, size_t n);

#endif
