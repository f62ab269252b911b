/*
 * route — the paths rv-serve answers (see route.h).
 */
#include <string.h>

#include "route.h"

#define CHANNEL_DIGITS	8
#define SEGMENT_MIN	8
#define SEGMENT_MAX	18

static const struct {
	const char		*path;
	enum rv_route_kind	 kind;
} fixed[] = {
	{ "/", RV_ROUTE_GUIDE },
	{ "/channels.m3u", RV_ROUTE_M3U },
	{ "/xmltv.xml", RV_ROUTE_XMLTV },
	{ "/discover.json", RV_ROUTE_DISCOVER },
	{ "/lineup.json", RV_ROUTE_LINEUP },
	{ "/lineup_status.json", RV_ROUTE_LINEUP_STATUS },
	{ "/device.xml", RV_ROUTE_DEVICE },
	{ "/healthz", RV_ROUTE_HEALTHZ },
	{ "/metrics", RV_ROUTE_METRICS },
	{ "/static/hls.min.js", RV_ROUTE_PLAYER_JS },
};

static const char *const names[RV_ROUTE_COUNT] = {
	[RV_ROUTE_NONE] = "other",
	[RV_ROUTE_GUIDE] = "guide",
	[RV_ROUTE_M3U] = "m3u",
	[RV_ROUTE_XMLTV] = "xmltv",
	[RV_ROUTE_DISCOVER] = "discover",
	[RV_ROUTE_LINEUP] = "lineup",
	[RV_ROUTE_LINEUP_STATUS] = "lineup_status",
	[RV_ROUTE_DEVICE] = "device",
	[RV_ROUTE_PLAYLIST] = "playlist",
	[RV_ROUTE_SEGMENT] = "segment",
	[RV_ROUTE_STREAM] = "stream",
	[RV_ROUTE_HEALTHZ] = "healthz",
	[RV_ROUTE_METRICS] = "metrics",
	[RV_ROUTE_PLAYER_JS] = "static",
};

const char *
rv_route_name(enum rv_route_kind kind)
{
	if ((int)kind < 0 || kind >= RV_ROUTE_COUNT)
		return names[RV_ROUTE_NONE];
	return names[kind];
}

/* A channel number at *p: 1-8 digits, no leading zero.  Advances *p. */
static int
number(const char **p, int64_t *out)
{
	const char *s = *p;
	int64_t v = 0;
	int n = 0;

	if (*s < '1' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (++n > CHANNEL_DIGITS)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	*p = s;
	*out = v;
	return 0;
}

enum rv_route_kind
rv_route_parse(const char *path, struct rv_route *r)
{
	const char *p;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (path == NULL)
		return RV_ROUTE_NONE;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(path, fixed[i].path) == 0)
			return r->kind = fixed[i].kind;
	if (strncmp(path, "/channel/", 9) != 0)
		return RV_ROUTE_NONE;
	p = path + 9;
	if (number(&p, &r->channel) < 0)
		return RV_ROUTE_NONE;
	if (strcmp(p, ".m3u8") == 0)
		return r->kind = RV_ROUTE_PLAYLIST;
	if (strcmp(p, ".ts") == 0)
		return r->kind = RV_ROUTE_STREAM;
	if (*p++ != '/')
		return RV_ROUTE_NONE;
	for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
		;
	if (n < SEGMENT_MIN || n > SEGMENT_MAX || strcmp(p + n, ".ts") != 0)
		return RV_ROUTE_NONE;
	memcpy(r->segment, p, n + 3);
	r->segment[n + 3] = '\0';
	return r->kind = RV_ROUTE_SEGMENT;
}
