/*
 * lineup — channel lists for clients (see lineup.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "lineup.h"
#include "xmltv.h"

/* A growing string. */
struct buf {
	char	*s;
	size_t	 len, cap;
	int	 oom;
};

static void
put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap -
		    b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s != NULL && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap ? b->cap : 1024);
		char *s;

		while (cap <= b->len + (size_t)n)
			cap *= 2;
		if ((s = realloc(b->s, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static char *
done(struct buf *b)
{
	if (b->oom || b->s == NULL) {
		free(b->s);
		return b->oom ? NULL : strdup("");
	}
	return b->s;
}

/* Text for XML/HTML content and attribute values. */
static void
put_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': put(b, "&amp;"); break;
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		case '"': put(b, "&quot;"); break;
		case '\'': put(b, "&#39;"); break;
		default: put(b, "%c", *s); break;
		}
}

/* An M3U attribute value or title: no quotes, commas or line breaks. */
static void
put_m3u(struct buf *b, const char *s, int comma_ok)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\n' || *s == '\r' ||
		    (*s == ',' && !comma_ok))
			put(b, " ");
		else
			put(b, "%c", *s);
	}
}

static char *
dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return strdup(t != NULL ? (const char *)t : "");
}

int
rv_lineup_load(sqlite3 *db, struct rv_lineup *l, struct rv_err *err)
{
	static const char sql[] = "SELECT id, number, name, "
	    "coalesce(logo, ''), coalesce(group_title, '') FROM channels "
	    "ORDER BY number";
	sqlite3_stmt *st;
	struct rv_lineup_channel *c;
	size_t cap = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return rv_errf(err, "reading the channels: %s",
		    sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (l->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((c = reallocarray(l->ch, cap, sizeof(*c))) == NULL)
				goto oom;
			l->ch = c;
		}
		c = &l->ch[l->n++];
		c->id = dup_col(st, 0);
		c->number = sqlite3_column_int64(st, 1);
		c->name = dup_col(st, 2);
		c->logo = dup_col(st, 3);
		c->group = dup_col(st, 4);
		if (!c->id || !c->name || !c->logo || !c->group)
			goto oom;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rv_lineup_free(l);
		return rv_errf(err, "reading the channels: %s",
		    sqlite3_errmsg(db));
	}
	return 0;
oom:
	sqlite3_finalize(st);
	rv_lineup_free(l);
	return rv_errf(err, "out of memory");
}

void
rv_lineup_free(struct rv_lineup *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->ch[i].id);
		free(l->ch[i].name);
		free(l->ch[i].logo);
		free(l->ch[i].group);
	}
	free(l->ch);
	memset(l, 0, sizeof(*l));
}

const struct rv_lineup_channel *
rv_lineup_find(const struct rv_lineup *l, int64_t number)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->ch[i].number == number)
			return &l->ch[i];
	return NULL;
}

char *
rv_lineup_m3u(const struct rv_lineup *l, const char *base)
{
	struct buf b = { 0 };
	char xid[300];
	size_t i;

	put(&b, "#EXTM3U url-tvg=\"%s/xmltv.xml\" x-tvg-url=\"%s/xmltv.xml\"\n",
	    base, base);
	for (i = 0; i < l->n; i++) {
		const struct rv_lineup_channel *c = &l->ch[i];

		rv_xmltv_channel_id(c->id, xid, sizeof(xid));
		put(&b, "#EXTINF:-1 tvg-id=\"%s\" tvg-chno=\"%lld\" "
		    "tvg-name=\"", xid, (long long)c->number);
		put_m3u(&b, c->name, 1);
		put(&b, "\"");
		if (c->logo[0] != '\0') {
			put(&b, " tvg-logo=\"");
			put_m3u(&b, c->logo, 1);
			put(&b, "\"");
		}
		put(&b, " group-title=\"");
		put_m3u(&b, c->group[0] != '\0' ? c->group : "RetroVue", 1);
		put(&b, "\",");
		put_m3u(&b, c->name, 0);
		put(&b, "\n%s/channel/%lld.ts\n", base, (long long)c->number);
	}
	return done(&b);
}

static char *
dump(json_t *j)
{
	char *s = j != NULL ? json_dumps(j, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) : NULL;

	json_decref(j);
	return s;
}

char *
rv_hdhr_discover(const struct rv_device *d)
{
	char lineup[1100];

	snprintf(lineup, sizeof(lineup), "%s/lineup.json", d->base_url);
	return dump(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:i}", "FriendlyName", d->friendly_name, "Manufacturer",
	    "RetroVue", "ModelNumber", "HDTC-2US", "FirmwareName",
	    "hdhomeruntc_atsc", "FirmwareVersion", "20200101", "DeviceID",
	    d->id, "DeviceAuth", "retrovue", "BaseURL", d->base_url,
	    "LineupURL", lineup, "TunerCount", d->tuners));
}

char *
rv_hdhr_lineup(const struct rv_lineup *l, const char *base)
{
	json_t *a = json_array();
	char num[32], url[1100];
	size_t i;

	for (i = 0; a != NULL && i < l->n; i++) {
		snprintf(num, sizeof(num), "%lld", (long long)l->ch[i].number);
		snprintf(url, sizeof(url), "%s/channel/%s.ts", base, num);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}",
		    "GuideNumber", num, "GuideName", l->ch[i].name, "URL",
		    url));
	}
	return dump(a);
}

char *
rv_hdhr_lineup_status(void)
{
	return dump(json_pack("{s:i, s:i, s:s, s:[s]}", "ScanInProgress", 0,
	    "ScanPossible", 1, "Source", "Cable", "SourceList", "Cable"));
}

char *
rv_hdhr_device_xml(const struct rv_device *d)
{
	struct buf b = { 0 };

	put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
	    "  <specVersion><major>1</major><minor>0</minor></specVersion>\n"
	    "  <URLBase>");
	put_escaped(&b, d->base_url);
	put(&b, "</URLBase>\n  <device>\n"
	    "    <deviceType>urn:schemas-upnp-org:device:MediaServer:1"
	    "</deviceType>\n    <friendlyName>");
	put_escaped(&b, d->friendly_name);
	put(&b, "</friendlyName>\n"
	    "    <manufacturer>RetroVue</manufacturer>\n"
	    "    <modelName>HDTC-2US</modelName>\n"
	    "    <modelNumber>HDTC-2US</modelNumber>\n"
	    "    <serialNumber>%s</serialNumber>\n"
	    "    <UDN>uuid:%s</UDN>\n  </device>\n</root>\n", d->id, d->id);
	return done(&b);
}

/* Guide page. */

static void
put_programme(struct buf *b, sqlite3_stmt *st, int64_t now, const char *cls)
{
	const char *title = (const char *)sqlite3_column_text(st, 0);
	const char *ep = (const char *)sqlite3_column_text(st, 1);
	int64_t start = sqlite3_column_int64(st, 2);
	int64_t end = sqlite3_column_int64(st, 3);
	char t0[64], t1[64];

	rv_time_format(start, t0, sizeof(t0));
	rv_time_format(end, t1, sizeof(t1));
	put(b, "<td class=\"%s\"><time datetime=\"%s\">%.5s</time>&ndash;"
	    "<time datetime=\"%s\">%.5s</time> <b>", cls, t0, t0 + 11, t1,
	    t1 + 11);
	put_escaped(b, title != NULL ? title : "");
	put(b, "</b>");
	if (ep != NULL && ep[0] != '\0' && (title == NULL ||
	    strcmp(ep, title) != 0)) {
		put(b, " <i>");
		put_escaped(b, ep);
		put(b, "</i>");
	}
	if (start <= now && now < end)
		put(b, " <progress max=\"%lld\" value=\"%lld\"></progress>",
		    (long long)(end - start), (long long)(now - start));
	put(b, "</td>");
}

static const char page_head[] =
"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<title>RetroVue</title>\n<style>\n"
"body{font-family:sans-serif;margin:1em;background:#111;color:#eee}\n"
"a{color:#8cf}table{border-collapse:collapse;width:100%}\n"
"td,th{border-bottom:1px solid #333;padding:.4em;text-align:left;"
"vertical-align:top}\n"
"video{width:100%;max-width:960px;background:#000;display:block}\n"
"</style>\n</head>\n<body>\n<h1>RetroVue</h1>\n"
"<video id=\"player\" controls autoplay muted playsinline></video>\n"
"<p id=\"status\">Pick a channel. Times are UTC.\n"
"<a href=\"/channels.m3u\">M3U</a> &middot; "
"<a href=\"/xmltv.xml\">XMLTV</a></p>\n"
"<table>\n<tr><th>Channel</th><th>Now</th><th>Next</th></tr>\n";

static const char page_script[] =
"<script>\n"
"function tune(url){var v=document.getElementById('player');"
"document.getElementById('status').textContent='Playing '+url;"
"if(window.Hls&&Hls.isSupported()){if(window.hls)window.hls.destroy();"
"window.hls=new Hls();window.hls.loadSource(url);"
"window.hls.attachMedia(v);}else{v.src=url;}v.play();return false;}\n"
"</script>\n</body>\n</html>\n";

char *
rv_lineup_guide_html(sqlite3 *db, const struct rv_lineup *l, int64_t now,
    int player, struct rv_err *err)
{
	static const char sql[] = "SELECT title, episode_title, start_ms, "
	    "end_ms FROM program_blocks WHERE channel_id = ?1 AND "
	    "end_ms > ?2 ORDER BY start_ms LIMIT 2";
	struct buf b = { 0 };
	sqlite3_stmt *st;
	size_t i;
	int k;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rv_errf(err, "reading the guide: %s", sqlite3_errmsg(db));
		return NULL;
	}
	put(&b, "%s", page_head);
	for (i = 0; i < l->n; i++) {
		const struct rv_lineup_channel *c = &l->ch[i];

		put(&b, "<tr><td><a href=\"/channel/%lld.m3u8\" "
		    "onclick=\"return tune(this.href)\">%lld ",
		    (long long)c->number, (long long)c->number);
		put_escaped(&b, c->name);
		put(&b, "</a></td>");
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		for (k = 0; k < 2 && sqlite3_step(st) == SQLITE_ROW; k++)
			put_programme(&b, st, now, k == 0 ? "now" : "next");
		for (; k < 2; k++)
			put(&b, "<td>%s</td>", k == 0 ?
			    "No guide: run rv-horizon extend" : "");
		put(&b, "</tr>\n");
	}
	sqlite3_finalize(st);
	put(&b, "</table>\n");
	if (player)
		put(&b, "<script src=\"/static/hls.min.js\"></script>\n");
	put(&b, "%s", page_script);
	if (b.oom) {
		free(b.s);
		rv_errf(err, "out of memory");
		return NULL;
	}
	return b.s;
}
