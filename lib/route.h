/*
 * route — the paths rv-serve answers (DESIGN.md §7, rv-serve(1)).
 *
 * A request path is matched strictly against the fixed routes; a channel
 * is named by its number (1 to 99999999, no leading zero) and a segment by
 * its file name (eight to eighteen digits then ".ts"), so that nothing
 * taken from a URL can name a file outside a channel's HLS folder.
 * Anything else, including percent-escapes, dot segments, doubled or
 * trailing slashes, is RV_ROUTE_NONE.
 */
#ifndef RV_ROUTE_H
#define RV_ROUTE_H

#include <stdint.h>

enum rv_route_kind {
	RV_ROUTE_NONE = 0,
	RV_ROUTE_GUIDE,		/* / */
	RV_ROUTE_M3U,		/* /channels.m3u */
	RV_ROUTE_XMLTV,		/* /xmltv.xml */
	RV_ROUTE_DISCOVER,	/* /discover.json */
	RV_ROUTE_LINEUP,	/* /lineup.json */
	RV_ROUTE_LINEUP_STATUS,	/* /lineup_status.json */
	RV_ROUTE_DEVICE,	/* /device.xml */
	RV_ROUTE_PLAYLIST,	/* /channel/N.m3u8 */
	RV_ROUTE_SEGMENT,	/* /channel/N/NNNNNNNN.ts */
	RV_ROUTE_STREAM,	/* /channel/N.ts */
	RV_ROUTE_HEALTHZ,	/* /healthz */
	RV_ROUTE_METRICS,	/* /metrics */
	RV_ROUTE_PLAYER_JS,	/* /static/hls.min.js */
	RV_ROUTE_COUNT
};

struct rv_route {
	enum rv_route_kind kind;
	int64_t		 channel;	/* PLAYLIST, SEGMENT, STREAM */
	char		 segment[24];	/* SEGMENT: "00000012.ts" */
};

/* Match path (the URL path, without the query).  Returns route->kind. */
enum rv_route_kind rv_route_parse(const char *path, struct rv_route *route);
/* A short fixed name for metrics labels: "guide", "segment" ... "other". */
const char *rv_route_name(enum rv_route_kind kind);

#endif
