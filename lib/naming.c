#include "naming.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PARTS 32

static void
copy(char *dst, const char *src, size_t len, size_t cap)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

/* Trim separators from both ends in place. */
static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && strchr(" -._[(", s[n - 1]) != NULL)
		s[--n] = 0;
	while (s[i] != 0 && strchr(" -._])", s[i]) != NULL)
		i++;
	memmove(s, s + i, strlen(s + i) + 1);
}

/* Scene names ("Show.Name.S01E02.720p") use dots or underscores for
 * spaces; a name that already has spaces keeps its dots ("Mr. Robot"). */
static void
despace(char *s)
{
	int dots = 0, scene;
	char *p;

	for (p = s; *p; p++)
		if (*p == '.')
			dots++;
	scene = dots >= 2 && strchr(s, ' ') == NULL;
	for (p = s; *p; p++)
		if (*p == '_' || (*p == '.' && scene))
			*p = ' ';
}

static int
digits(const char *s, int max, int *value)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n > 0)
		*value = v;
	return n;
}

static int
boundary(const char *start, const char *p)
{
	return p == start || !isalnum((unsigned char)p[-1]);
}

/* Find "S01E02" / "s1e2" / "S01 E02" / "S01.E02" or "1x02" in s.  On a
 * match, *at and *end delimit it (extra "E03" of a multi-episode file
 * included). */
static int
find_episode(const char *s, int *season, int *episode, const char **at,
    const char **end)
{
	const char *p, *q;
	int n, se, ep;

	for (p = s; *p; p++) {
		if (!boundary(s, p))
			continue;
		if ((*p == 'S' || *p == 's') && (n = digits(p + 1, 3, &se)) > 0) {
			q = p + 1 + n;
			while (*q == ' ' || *q == '.' || *q == '-' || *q == '_')
				q++;
			if ((*q == 'E' || *q == 'e') &&
			    (n = digits(q + 1, 4, &ep)) > 0) {
				q += 1 + n;
				/* Multi-episode: S01E02E03 or S01E02-E03. */
				while ((q[0] == 'E' || q[0] == 'e' ||
				    (q[0] == '-' && (q[1] == 'E' || q[1] == 'e'))) &&
				    isdigit((unsigned char)q[q[0] == '-' ? 2 : 1])) {
					q += q[0] == '-' ? 2 : 1;
					while (isdigit((unsigned char)*q))
						q++;
				}
				*season = se;
				*episode = ep;
				*at = p;
				*end = q;
				return 1;
			}
		}
		if (isdigit((unsigned char)*p) && (n = digits(p, 2, &se)) > 0 &&
		    (p[n] == 'x' || p[n] == 'X') &&
		    digits(p + n + 1, 3, &ep) >= 2 &&
		    !isalnum((unsigned char)p[n + 1 + digits(p + n + 1, 3, &ep)])) {
			*season = se;
			*episode = ep;
			*at = p;
			*end = p + n + 1 + digits(p + n + 1, 3, &ep);
			return 1;
		}
	}
	return 0;
}

/* Release tags that end a title in scene names. */
static int
is_tag(const char *w, size_t n)
{
	static const char *const tags[] = {
		"480p", "576p", "720p", "1080p", "1080i", "2160p", "4k",
		"hdtv", "webrip", "web-dl", "web", "webdl", "bluray", "bdrip",
		"brrip", "dvdrip", "dvd", "x264", "x265", "h264", "h265", "hevc",
		"xvid", "divx", "aac", "ac3", "dts", "proper", "repack",
		"remux", "hdr", "10bit", "internal", "uncut", "extended", NULL
	};
	int i;

	for (i = 0; tags[i] != NULL; i++)
		if (strlen(tags[i]) == n && strncasecmp(w, tags[i], n) == 0)
			return 1;
	return 0;
}

/* Cut s at the first release tag or "[...]" group. */
static void
cut_tags(char *s)
{
	char *p = s, *w;
	size_t n;

	while (*p) {
		while (*p == ' ' || *p == '-' || *p == '.')
			p++;
		if (*p == '[' || *p == '{') {
			*p = 0;
			break;
		}
		w = p;
		while (*p && *p != ' ' && *p != '.' && *p != '[')
			p++;
		n = (size_t)(p - w);
		if (n > 0 && is_tag(w, n)) {
			*w = 0;
			break;
		}
	}
	trim(s);
}

/* Find a year 1900–2099 standing alone ("(1978)", "[1978]", " 1978 ");
 * the last one wins, so "2001 A Space Odyssey (1968)" gives 1968. */
static int
find_year(const char *s, const char **at)
{
	const char *p;
	int y, found = 0;

	for (p = s; *p; p++) {
		if (!boundary(s, p) || digits(p, 4, &y) != 4 ||
		    isalnum((unsigned char)p[4]) || y < 1900 || y > 2099)
			continue;
		/* Not a year when it is the whole name ("1984.mkv"). */
		if (p == s && p[4] == 0)
			continue;
		if (p > s && (p[-1] == '(' || p[-1] == '[')) {
			found = y;
			*at = p - 1;
		} else if (p > s) {
			found = y;
			*at = p;
		}
	}
	return found;
}

/* "Show (1978)" → series "Show", year 1978. */
static void
split_year(const char *in, char *name, size_t cap, int *year)
{
	const char *at = NULL;
	int y;

	copy(name, in, strlen(in), cap);
	*year = 0;
	y = find_year(name, &at);
	if (y != 0 && at != NULL && (*at == '(' || *at == '[')) {
		*year = y;
		name[at - name] = 0;
		/* Drop anything after the year group (")" or tags). */
	}
	trim(name);
}

int
rv_name_season_folder(const char *s, int *season)
{
	int n;

	if (strcasecmp(s, "Specials") == 0) {
		*season = 0;
		return 1;
	}
	if (strncasecmp(s, "Season", 6) == 0) {
		s += 6;
		while (*s == ' ' || *s == '_' || *s == '.')
			s++;
		n = digits(s, 4, season);
		return n > 0 && s[n] == 0;
	}
	if ((s[0] == 'S' || s[0] == 's') && (n = digits(s + 1, 3, season)) > 0)
		return s[1 + n] == 0;
	return 0;
}

/* "02 - Title", "E02 - Title", "Episode 2", "Ep. 2 Title". */
static int
leading_episode(const char *s, int *episode, const char **rest)
{
	int n;

	if (strncasecmp(s, "episode", 7) == 0)
		s += 7;
	else if (strncasecmp(s, "ep", 2) == 0 && !isalpha((unsigned char)s[2]))
		s += 2;
	else if ((s[0] == 'E' || s[0] == 'e') && isdigit((unsigned char)s[1]))
		s += 1;
	while (*s == ' ' || *s == '.')
		s++;
	n = digits(s, 3, episode);
	if (n == 0 || isalnum((unsigned char)s[n]))
		return 0;
	*rest = s + n;
	return 1;
}

static int
split_path(char *buf, char **parts)
{
	int n = 0;
	char *p;

	for (p = strtok(buf, "/"); p != NULL && n < MAX_PARTS;
	    p = strtok(NULL, "/"))
		parts[n++] = p;
	return n;
}

static void
from_folder_series(char **parts, int folder, struct rv_name *out)
{
	char tmp[RV_NAME_MAX];

	if (folder < 0)
		return;
	copy(tmp, parts[folder], strlen(parts[folder]), sizeof(tmp));
	despace(tmp);
	split_year(tmp, out->series, sizeof(out->series), &out->series_year);
}

void
rv_name_parse(const char *relpath, struct rv_name *out)
{
	char buf[4096], stem[RV_NAME_MAX], tmp[RV_NAME_MAX];
	char *parts[MAX_PARTS], *dot;
	const char *at, *end, *rest;
	int n, season, folder_season = -1, series_folder;

	memset(out, 0, sizeof(*out));
	out->season = out->episode = -1;
	copy(buf, relpath, strlen(relpath), sizeof(buf));
	n = split_path(buf, parts);
	if (n == 0)
		return;
	copy(stem, parts[n - 1], strlen(parts[n - 1]), sizeof(stem));
	dot = strrchr(stem, '.');
	if (dot != NULL && dot != stem && strlen(dot) <= 5)
		*dot = 0;
	despace(stem);
	/* The folder that names the series: above a season folder, else the
	 * file's own folder. */
	series_folder = n >= 2 ? n - 2 : -1;
	if (n >= 2 && rv_name_season_folder(parts[n - 2], &season)) {
		folder_season = season;
		series_folder = n >= 3 ? n - 3 : -1;
	}

	if (find_episode(stem, &out->season, &out->episode, &at, &end)) {
		out->form = RV_NAME_EPISODE;
		copy(tmp, stem, (size_t)(at - stem), sizeof(tmp));
		trim(tmp);
		if (tmp[0] != 0)
			split_year(tmp, out->series, sizeof(out->series),
			    &out->series_year);
		else
			from_folder_series(parts, series_folder, out);
		copy(out->title, end, strlen(end), sizeof(out->title));
		cut_tags(out->title);
		return;
	}
	if (folder_season >= 0 && leading_episode(stem, &out->episode, &rest)) {
		out->form = RV_NAME_EPISODE;
		out->season = folder_season;
		from_folder_series(parts, series_folder, out);
		copy(out->title, rest, strlen(rest), sizeof(out->title));
		cut_tags(out->title);
		return;
	}
	out->year = find_year(stem, &at);
	if (out->year != 0) {
		out->form = RV_NAME_MOVIE;
		copy(out->title, stem, (size_t)(at - stem), sizeof(out->title));
		trim(out->title);
		return;
	}
	/* "Movie (1999)/movie.mkv": the folder has the year. */
	if (n >= 2) {
		copy(tmp, parts[n - 2], strlen(parts[n - 2]), sizeof(tmp));
		despace(tmp);
		out->year = find_year(tmp, &at);
		if (out->year != 0 && (*at == '(' || *at == '[')) {
			out->form = RV_NAME_MOVIE;
			copy(out->title, tmp, (size_t)(at - tmp),
			    sizeof(out->title));
			trim(out->title);
			return;
		}
		out->year = 0;
	}
	copy(out->title, stem, strlen(stem), sizeof(out->title));
	cut_tags(out->title);
	if (out->title[0] == 0)
		copy(out->title, stem, strlen(stem), sizeof(out->title));
}

const char *
rv_name_folder_kind(const char *folder)
{
	static const struct {
		const char *name, *kind;
	} kinds[] = {
		{ "commercials", "commercial" }, { "commercial", "commercial" },
		{ "ads", "commercial" }, { "adverts", "commercial" },
		{ "promos", "promo" }, { "promo", "promo" },
		{ "station ids", "station_id" }, { "station_ids", "station_id" },
		{ "station id", "station_id" }, { "station_id", "station_id" },
		{ "idents", "station_id" }, { "ids", "station_id" },
		{ "psas", "psa" }, { "psa", "psa" },
		{ "stingers", "stinger" }, { "stinger", "stinger" },
		{ "bumpers", "bumper" }, { "bumper", "bumper" },
		{ "filler", "filler" }, { "fillers", "filler" },
		{ "interstitials", "filler" },
		{ "movies", "movie" }, { "films", "movie" }, { "movie", "movie" },
		{ "tv", "episode" }, { "tv shows", "episode" },
		{ "shows", "episode" }, { "series", "episode" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(folder, kinds[i].name) == 0)
			return kinds[i].kind;
	return NULL;
}

void
rv_name_slug(const char *title, char *out, size_t n)
{
	size_t o = 0;
	int sep = 0, y;
	const char *p;

	if (n == 0)
		return;
	for (p = title; *p && o + 1 < n; p++) {
		/* "(1966)": a year group is not part of the slug. */
		if (*p == '(' && digits(p + 1, 4, &y) == 4 && p[5] == ')') {
			p += 5;
			sep = 1;
			continue;
		}
		if (isalnum((unsigned char)*p)) {
			if (sep && o > 0) {
				if (o + 2 >= n)
					break;
				out[o++] = '_';
			}
			sep = 0;
			out[o++] = (char)tolower((unsigned char)*p);
		} else {
			sep = 1;
		}
	}
	out[o] = 0;
}
