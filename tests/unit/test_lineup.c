/*
 * Unit tests for lib/lineup: what rv-serve tells clients about the
 * channels (the M3U playlist, the HDHomeRun device's JSON and XML) and
 * the guide page, read from a temporary database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "db.h"
#include "lineup.h"

#define MIN	INT64_C(60000)

/* 2026-01-05T06:00:00Z */
#define T0	INT64_C(1767592800000)

#define BASE	"http://tv.local:8080"

/* Two channels, by number: one with a logo and a group, one without
 * either whose name has a double quote, a comma and a line break. */
static char id_a[] = "cheers-24-7", name_a[] = "Cheers 24/7";
static char logo_a[] = "http://img.local/cheers.png";
static char group_a[] = "Sitcoms & More";
static char id_b[] = "late_night.tv", name_b[] = "Rock \"n\" Roll,\nLive";
static char none[] = "";

static struct rv_lineup_channel two_ch[] = {
	{ id_a, 2, name_a, logo_a, group_a },
	{ id_b, 12, name_b, none, none },
};
static const struct rv_lineup two = { two_ch, 2 };

static const struct rv_device dev = { "1234ABCD", "RetroVue & Co",
    BASE, 4 };

/* --- fixture: a temporary database -------------------------------------- */

struct fx {
	char	 dir[64];
	char	 path[128];
	sqlite3	*db;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct rv_err err = { "" };

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_lineup.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/retrovue.db", f->dir);
	if (rv_db_open(f->path, &f->db, &err) != 0) {
		fprintf(stderr, "rv_db_open: %s\n", err.msg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int rc;

	rv_db_close(f->db);
	rc = nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	struct rv_err err = { "" };

	if (rv_db_exec(db, sql, &err) != 0)
		fail_msg("%s", err.msg);
}

/* A channel row; logo and group are SQL literals (NULL or '...'). */
static void
channel(sqlite3 *db, const char *id, int number, const char *name,
    const char *logo, const char *group)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO channels (id, number, name,"
	    " type, timezone, file, file_sha256, updated_ms, logo, group_title)"
	    " VALUES ('%s', %d, '%s', 'network', 'UTC', '%s.yaml',"
	    " printf('%%064d', 0), 0, %s, %s)", id, number, name, id, logo,
	    group);
	exec_ok(db, sql);
}

static json_t *
parse(char *text)
{
	json_error_t je;
	json_t *j;

	assert_non_null(text);
	if ((j = json_loads(text, 0, &je)) == NULL)
		fail_msg("%s: %s", je.text, text);
	free(text);
	return j;
}

static const char *
str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("no string %s", key);
	return json_string_value(v);
}

static json_int_t
num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("no integer %s", key);
	return json_integer_value(v);
}

/* --- M3U and HDHomeRun -------------------------------------------------- */

static void
m3u_lists_every_channel_with_names_made_safe(void **state)
{
	static const char want[] =
	    "#EXTM3U url-tvg=\"" BASE "/xmltv.xml\" x-tvg-url=\"" BASE
	    "/xmltv.xml\"\n"
	    "#EXTINF:-1 tvg-id=\"cheers-24-7.retrovue\" tvg-chno=\"2\""
	    " tvg-name=\"Cheers 24/7\" tvg-logo=\"http://img.local/cheers.png\""
	    " group-title=\"Sitcoms & More\",Cheers 24/7\n"
	    BASE "/channel/2.ts\n"
	    /* no logo: no tvg-logo; no group: RetroVue's; in the attribute
	     * the quotes and the line break are spaces, in the title after
	     * the comma the comma is too */
	    "#EXTINF:-1 tvg-id=\"late-night-tv.retrovue\" tvg-chno=\"12\""
	    " tvg-name=\"Rock  n  Roll, Live\" group-title=\"RetroVue\","
	    "Rock  n  Roll  Live\n"
	    BASE "/channel/12.ts\n";
	char *text = rv_lineup_m3u(&two, BASE);

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

static void
m3u_of_no_channels_is_the_header_alone(void **state)
{
	const struct rv_lineup empty = { NULL, 0 };
	char *text = rv_lineup_m3u(&empty, BASE);

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, "#EXTM3U url-tvg=\"" BASE "/xmltv.xml\""
	    " x-tvg-url=\"" BASE "/xmltv.xml\"\n");
	free(text);
}

static void
discover_describes_the_tuner_device(void **state)
{
	json_t *j = parse(rv_hdhr_discover(&dev));

	(void)state;
	assert_true(json_is_object(j));
	assert_string_equal(str(j, "FriendlyName"), "RetroVue & Co");
	assert_string_equal(str(j, "Manufacturer"), "RetroVue");
	assert_string_equal(str(j, "ModelNumber"), "HDTC-2US");
	assert_string_equal(str(j, "FirmwareName"), "hdhomeruntc_atsc");
	assert_string_equal(str(j, "FirmwareVersion"), "20200101");
	assert_string_equal(str(j, "DeviceID"), "1234ABCD");
	assert_string_equal(str(j, "DeviceAuth"), "retrovue");
	assert_string_equal(str(j, "BaseURL"), BASE);
	assert_string_equal(str(j, "LineupURL"), BASE "/lineup.json");
	assert_int_equal(num(j, "TunerCount"), 4);
	assert_int_equal(json_object_size(j), 10);
	json_decref(j);
}

static void
hdhr_lineup_has_number_name_and_stream_of_each_channel(void **state)
{
	json_t *j = parse(rv_hdhr_lineup(&two, BASE)), *c;

	(void)state;
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 2);
	c = json_array_get(j, 0);
	assert_string_equal(str(c, "GuideNumber"), "2");
	assert_string_equal(str(c, "GuideName"), "Cheers 24/7");
	assert_string_equal(str(c, "URL"), BASE "/channel/2.ts");
	assert_int_equal(json_object_size(c), 3);
	/* JSON carries the name as it is */
	c = json_array_get(j, 1);
	assert_string_equal(str(c, "GuideNumber"), "12");
	assert_string_equal(str(c, "GuideName"), "Rock \"n\" Roll,\nLive");
	assert_string_equal(str(c, "URL"), BASE "/channel/12.ts");
	assert_int_equal(json_object_size(c), 3);
	json_decref(j);

	{
		const struct rv_lineup empty = { NULL, 0 };

		j = parse(rv_hdhr_lineup(&empty, BASE));
		assert_true(json_is_array(j));
		assert_int_equal(json_array_size(j), 0);
		json_decref(j);
	}
}

static void
lineup_status_says_no_scan_is_running(void **state)
{
	json_t *j = parse(rv_hdhr_lineup_status()), *list;

	(void)state;
	assert_int_equal(num(j, "ScanInProgress"), 0);
	assert_int_equal(num(j, "ScanPossible"), 1);
	assert_string_equal(str(j, "Source"), "Cable");
	list = json_object_get(j, "SourceList");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_array_get(list, 0)),
	    "Cable");
	assert_int_equal(json_object_size(j), 4);
	json_decref(j);
}

static void
device_xml_escapes_the_friendly_name_and_url(void **state)
{
	static const char want[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
	    "  <specVersion><major>1</major><minor>0</minor></specVersion>\n"
	    "  <URLBase>http://tv.local:8080/?a=1&amp;b=2</URLBase>\n"
	    "  <device>\n"
	    "    <deviceType>urn:schemas-upnp-org:device:MediaServer:1"
	    "</deviceType>\n"
	    "    <friendlyName>Tom &amp; Jerry&#39;s &lt;TV&gt; &quot;HD&quot;"
	    "</friendlyName>\n"
	    "    <manufacturer>RetroVue</manufacturer>\n"
	    "    <modelName>HDTC-2US</modelName>\n"
	    "    <modelNumber>HDTC-2US</modelNumber>\n"
	    "    <serialNumber>1234ABCD</serialNumber>\n"
	    "    <UDN>uuid:1234ABCD</UDN>\n"
	    "  </device>\n"
	    "</root>\n";
	const struct rv_device d = { "1234ABCD",
	    "Tom & Jerry's <TV> \"HD\"", "http://tv.local:8080/?a=1&b=2", 2 };
	char *text = rv_hdhr_device_xml(&d);

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

static void
find_returns_the_channel_with_that_number_or_null(void **state)
{
	const struct rv_lineup empty = { NULL, 0 };

	(void)state;
	assert_ptr_equal(rv_lineup_find(&two, 2), &two_ch[0]);
	assert_ptr_equal(rv_lineup_find(&two, 12), &two_ch[1]);
	assert_null(rv_lineup_find(&two, 1));
	assert_null(rv_lineup_find(&two, 0));
	assert_null(rv_lineup_find(&two, -12));
	assert_null(rv_lineup_find(&empty, 2));
}

/* --- from the database -------------------------------------------------- */

static void
load_reads_every_channel_by_number(void **state)
{
	struct fx *f = *state;
	struct rv_err err = { "" };
	struct rv_lineup l;

	assert_int_equal(rv_lineup_load(f->db, &l, &err), 0);
	assert_int_equal(l.n, 0);
	rv_lineup_free(&l);

	channel(f->db, "late_night.tv", 12, "Late Night", "NULL", "NULL");
	channel(f->db, "cheers-24-7", 2, "Cheers 24/7",
	    "'http://img.local/cheers.png'", "'Sitcoms'");
	channel(f->db, "movies", 7, "Movies", "NULL", "'Films'");
	if (rv_lineup_load(f->db, &l, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.ch[0].id, "cheers-24-7");
	assert_int_equal(l.ch[0].number, 2);
	assert_string_equal(l.ch[0].name, "Cheers 24/7");
	assert_string_equal(l.ch[0].logo, "http://img.local/cheers.png");
	assert_string_equal(l.ch[0].group, "Sitcoms");
	assert_string_equal(l.ch[1].id, "movies");
	assert_int_equal(l.ch[1].number, 7);
	assert_string_equal(l.ch[1].logo, "");
	assert_string_equal(l.ch[1].group, "Films");
	assert_string_equal(l.ch[2].id, "late_night.tv");
	assert_int_equal(l.ch[2].number, 12);
	assert_string_equal(l.ch[2].name, "Late Night");
	assert_string_equal(l.ch[2].logo, "");
	assert_string_equal(l.ch[2].group, "");
	assert_ptr_equal(rv_lineup_find(&l, 7), &l.ch[1]);
	rv_lineup_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.ch);
}

/* A guide-tier program of channel ch, [start, end) minutes after T0. */
static void
program(sqlite3 *db, const char *ch, const char *id, int start, int end,
    const char *title, const char *episode)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO program_blocks (block_id,"
	    " channel_id, broadcast_day, start_ms, end_ms, runtime_ms, kind,"
	    " title, episode_title, generation_id) VALUES ('%s', '%s',"
	    " '2026-01-05', %lld, %lld, 0, 'filler', '%s', %s, 1)", id, ch,
	    (long long)(T0 + start * MIN), (long long)(T0 + end * MIN), title,
	    episode);
	exec_ok(db, sql);
}

/* Channel 2 has programs -30..0 (over), 0..30, 30..60 (with an empty
 * episode title) and 60..90 minutes after T0; channels 7, whose name
 * needs escaping, and 9 have none. */
static void
seed_guide(struct fx *f, struct rv_lineup *l)
{
	struct rv_err err = { "" };

	channel(f->db, "cheers-24-7", 2, "Cheers 24/7", "NULL", "NULL");
	channel(f->db, "toons", 7, "Tom & Jerry''s <Show> \"HD\"", "NULL",
	    "NULL");
	channel(f->db, "later", 9, "Later", "NULL", "NULL");
	exec_ok(f->db, "INSERT INTO generations (channel_id, tier,"
	    " range_start_ms, range_end_ms, published_ms) VALUES"
	    " ('cheers-24-7', 'epg', 0, 1, 0)");
	program(f->db, "cheers-24-7", "c-0530", -30, 0, "Over Already",
	    "NULL");
	program(f->db, "cheers-24-7", "c-0600", 0, 30, "Cheers & Friends",
	    "'Pilot <1>'");
	program(f->db, "cheers-24-7", "c-0630", 30, 60, "Next Up", "''");
	program(f->db, "cheers-24-7", "c-0700", 60, 90, "Later Still",
	    "NULL");
	if (rv_lineup_load(f->db, l, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(l->n, 3);
}

static char *
guide(struct fx *f, const struct rv_lineup *l, int64_t now, int player)
{
	struct rv_err err = { "" };
	char *html = rv_lineup_guide_html(f->db, l, now, player, &err);

	if (html == NULL)
		fail_msg("%s", err.msg);
	return html;
}

static void
guide_shows_now_with_progress_and_next_for_each_channel(void **state)
{
	static const char row2[] =
	    "<tr><td><a href=\"/channel/2.m3u8\" onclick=\"return"
	    " tune(this.href)\">2 Cheers 24/7</a></td>"
	    "<td class=\"now\"><time datetime=\"2026-01-05T06:00:00Z\">06:00"
	    "</time>&ndash;<time datetime=\"2026-01-05T06:30:00Z\">06:30"
	    "</time> <b>Cheers &amp; Friends</b> <i>Pilot &lt;1&gt;</i>"
	    " <progress max=\"1800000\" value=\"600000\"></progress></td>"
	    "<td class=\"next\"><time datetime=\"2026-01-05T06:30:00Z\">06:30"
	    "</time>&ndash;<time datetime=\"2026-01-05T07:00:00Z\">07:00"
	    "</time> <b>Next Up</b></td></tr>\n";
	struct fx *f = *state;
	struct rv_lineup l;
	char *html;

	seed_guide(f, &l);
	html = guide(f, &l, T0 + 10 * MIN, 0);
	assert_non_null(strstr(html, row2));
	assert_null(strstr(html, "Over Already"));
	assert_null(strstr(html, "Later Still"));	/* now and next only */
	assert_int_equal(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
	assert_string_equal(html + strlen(html) - 8, "</html>\n");
	assert_null(strstr(html, "hls.min.js"));
	free(html);
	rv_lineup_free(&l);
}

static void
guide_program_ending_now_is_no_longer_on(void **state)
{
	struct fx *f = *state;
	struct rv_lineup l;
	char *html;

	seed_guide(f, &l);
	html = guide(f, &l, T0 + 30 * MIN, 1);
	assert_null(strstr(html, "Cheers &amp; Friends"));
	assert_non_null(strstr(html, "2 Cheers 24/7</a></td><td class=\"now\">"
	    "<time datetime=\"2026-01-05T06:30:00Z\">06:30</time>&ndash;"
	    "<time datetime=\"2026-01-05T07:00:00Z\">07:00</time> <b>Next Up"
	    "</b> <progress max=\"1800000\" value=\"0\"></progress></td>"
	    "<td class=\"next\"><time datetime=\"2026-01-05T07:00:00Z\">07:00"
	    "</time>&ndash;<time datetime=\"2026-01-05T07:30:00Z\">07:30"
	    "</time> <b>Later Still</b></td></tr>\n"));
	assert_non_null(strstr(html, "<script src=\"/static/hls.min.js\">"
	    "</script>\n<script>\n"));
	free(html);
	rv_lineup_free(&l);
}

static void
guide_without_programs_says_to_extend_and_escapes_the_name(void **state)
{
	struct fx *f = *state;
	struct rv_lineup l;
	char *html, *a, *b, *c;

	seed_guide(f, &l);
	html = guide(f, &l, T0 + 10 * MIN, 0);
	assert_non_null(strstr(html,
	    "<tr><td><a href=\"/channel/7.m3u8\" onclick=\"return"
	    " tune(this.href)\">7 Tom &amp; Jerry&#39;s &lt;Show&gt;"
	    " &quot;HD&quot;</a></td><td>No guide: run rv-horizon extend</td>"
	    "<td></td></tr>\n"));
	assert_non_null(strstr(html, ">9 Later</a></td><td>No guide: run"
	    " rv-horizon extend</td><td></td></tr>\n"));
	/* in the lineup's order */
	assert_non_null(a = strstr(html, ">2 Cheers"));
	assert_non_null(b = strstr(html, ">7 Tom"));
	assert_non_null(c = strstr(html, ">9 Later"));
	assert_true(a < b && b < c);
	free(html);
	rv_lineup_free(&l);
}

#define T(f)	cmocka_unit_test(f)
#define TDB(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(m3u_lists_every_channel_with_names_made_safe),
		T(m3u_of_no_channels_is_the_header_alone),
		T(discover_describes_the_tuner_device),
		T(hdhr_lineup_has_number_name_and_stream_of_each_channel),
		T(lineup_status_says_no_scan_is_running),
		T(device_xml_escapes_the_friendly_name_and_url),
		T(find_returns_the_channel_with_that_number_or_null),
		TDB(load_reads_every_channel_by_number),
		TDB(guide_shows_now_with_progress_and_next_for_each_channel),
		TDB(guide_program_ending_now_is_no_longer_on),
		TDB(guide_without_programs_says_to_extend_and_escapes_the_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
