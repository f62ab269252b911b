#include "xmltv.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "db.h"
#include "tz.h"

static void
xml_text(FILE *f, const char *s)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' ||
			    *s == '\n')
				fputc(*s, f);
		}
}

/* "20260105060000 -0500": XMLTV's time with the channel's offset. */
static void
xml_time(FILE *f, const char *zone, int64_t t)
{
	struct rv_civil c;
	struct rv_err err;
	int off = 0;

	if (rv_tz_from_utc(zone, t, &c, &off, &err) < 0)
		rv_tz_from_utc("UTC", t, &c, &off, &err);
	fprintf(f, "%04d%02d%02d%02d%02d%02d %c%02d%02d", c.year, c.mon, c.day,
	    c.hour, c.min, c.sec, off < 0 ? '-' : '+', abs(off) / 3600,
	    abs(off) / 60 % 60);
}

void
rv_xmltv_channel_id(const char *slug, char *out, size_t n)
{
	size_t i;

	snprintf(out, n, "%s.retrovue", slug);
	for (i = 0; i < n && out[i] != 0 && i < strlen(slug); i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' &&
		    out[i] <= 'Z') || (out[i] >= '0' && out[i] <= '9') ||
		    out[i] == '-'))
			out[i] = '-';
}

static void
xml_channel_id(FILE *f, const char *slug)
{
	char id[300];

	rv_xmltv_channel_id(slug, id, sizeof(id));
	xml_text(f, id);
}

static int
selected(const char *id, const char *const *channels, int n)
{
	int i;

	if (channels == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(channels[i], id) == 0)
			return 1;
	return 0;
}

static const char programmes_sql[] =
    "SELECT p.channel_id, c.timezone, p.start_ms, p.end_ms, p.kind,"
    " p.title, p.episode_title, p.season, p.episode, a.description,"
    " a.year, a.rating, a.kind, (SELECT group_concat(genre, '|') FROM"
    " (SELECT genre FROM asset_genres g WHERE g.asset_id = a.id"
    " ORDER BY genre)), a.series_year"
    " FROM program_blocks p JOIN channels c ON c.id = p.channel_id"
    " LEFT JOIN assets a ON a.id = p.asset_id"
    " WHERE p.end_ms > ?1 AND p.start_ms < ?2"
    " ORDER BY c.number, p.start_ms";

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
programme(FILE *f, sqlite3_stmt *st)
{
	const char *zone = col(st, 1), *genres = col(st, 13), *p;
	int has_se = sqlite3_column_type(st, 7) != SQLITE_NULL &&
	    sqlite3_column_type(st, 8) != SQLITE_NULL;
	int season = sqlite3_column_int(st, 7), ep = sqlite3_column_int(st, 8);
	int episode_kind = col(st, 12) && strcmp(col(st, 12), "episode") == 0;
	int year = sqlite3_column_int(st, 10);

	fputs("  <programme start=\"", f);
	xml_time(f, zone, sqlite3_column_int64(st, 2));
	fputs("\" stop=\"", f);
	xml_time(f, zone, sqlite3_column_int64(st, 3));
	fputs("\" channel=\"", f);
	xml_channel_id(f, col(st, 0));
	fputs("\">\n    <title>", f);
	xml_text(f, col(st, 5));
	fputs("</title>\n", f);
	if (episode_kind && col(st, 6) != NULL) {
		fputs("    <sub-title>", f);
		xml_text(f, col(st, 6));
		fputs("</sub-title>\n", f);
	}
	if (col(st, 9) != NULL) {
		fputs("    <desc>", f);
		xml_text(f, col(st, 9));
		fputs("</desc>\n", f);
	}
	if (year == 0 && episode_kind)
		year = sqlite3_column_int(st, 14);
	if (year > 0)
		fprintf(f, "    <date>%04d</date>\n", year);
	for (p = genres; p != NULL && *p; ) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char g[256];

		snprintf(g, sizeof(g), "%.*s", (int)(n < 255 ? n : 255), p);
		fputs("    <category>", f);
		xml_text(f, g);
		fputs("</category>\n", f);
		p += n + (bar != NULL);
	}
	if (has_se && episode_kind) {
		/* xmltv_ns counts from zero, so season 0 (specials) has no
		 * xmltv_ns form; onscreen says S00. */
		if (season > 0 && ep > 0)
			fprintf(f, "    <episode-num system=\"xmltv_ns\">%d.%d."
			    "</episode-num>\n", season - 1, ep - 1);
		fprintf(f, "    <episode-num system=\"onscreen\">S%02dE%02d</episode-num>\n",
		    season, ep);
	}
	if (col(st, 11) != NULL) {
		fputs("    <rating>\n      <value>", f);
		xml_text(f, col(st, 11));
		fputs("</value>\n    </rating>\n", f);
	}
	fputs("  </programme>\n", f);
}

int
rv_xmltv_write(sqlite3 *db, const char *const *channels, int nchannels,
    int64_t from_ms, int64_t to_ms, FILE *f, struct rv_err *err)
{
	sqlite3_stmt *st;

	if (rv_db_prepare(db, "SELECT id, name, number, logo FROM channels"
	    " ORDER BY number", &st, err) < 0)
		return -1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n"
	    "<tv generator-info-name=\"RetroVue/C\">\n", f);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!selected(col(st, 0), channels, nchannels))
			continue;
		fputs("  <channel id=\"", f);
		xml_channel_id(f, col(st, 0));
		fputs("\">\n    <display-name>", f);
		xml_text(f, col(st, 1));
		fprintf(f, "</display-name>\n    <display-name>%d</display-name>\n",
		    sqlite3_column_int(st, 2));
		if (col(st, 3) != NULL) {
			fputs("    <icon src=\"", f);
			xml_text(f, col(st, 3));
			fputs("\"/>\n", f);
		}
		fputs("  </channel>\n", f);
	}
	sqlite3_finalize(st);
	if (rv_db_prepare(db, programmes_sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, from_ms);
	sqlite3_bind_int64(st, 2, to_ms);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (selected(col(st, 0), channels, nchannels))
			programme(f, st);
	sqlite3_finalize(st);
	fputs("</tv>\n", f);
	return ferror(f) ? rv_errf(err, "writing the guide failed") : 0;
}

int
rv_guide_json_write(sqlite3 *db, const char *const *channels, int nchannels,
    int64_t from_ms, int64_t to_ms, FILE *f, struct rv_err *err)
{
	sqlite3_stmt *st;
	json_t *j;
	char *s;

	if (rv_db_prepare(db, programmes_sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, from_ms);
	sqlite3_bind_int64(st, 2, to_ms);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!selected(col(st, 0), channels, nchannels))
			continue;
		j = json_pack("{s:s, s:I, s:I, s:s, s:s}", "channel", col(st, 0),
		    "start_ms", (json_int_t)sqlite3_column_int64(st, 2),
		    "end_ms", (json_int_t)sqlite3_column_int64(st, 3), "kind",
		    col(st, 4), "title", col(st, 5));
		if (col(st, 6) != NULL && col(st, 12) != NULL &&
		    strcmp(col(st, 12), "episode") == 0)
			json_object_set_new(j, "episode_title",
			    json_string(col(st, 6)));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(j, "season",
			    json_integer(sqlite3_column_int(st, 7)));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			json_object_set_new(j, "episode",
			    json_integer(sqlite3_column_int(st, 8)));
		if (col(st, 11) != NULL)
			json_object_set_new(j, "rating", json_string(col(st, 11)));
		s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		if (s != NULL)
			fprintf(f, "%s\n", s);
		free(s);
	}
	sqlite3_finalize(st);
	return ferror(f) ? rv_errf(err, "writing the guide failed") : 0;
}
