/*
 * lineup — what rv-serve tells clients about the channels: the M3U
 * playlist, the HDHomeRun device (discover.json, lineup.json,
 * lineup_status.json, device.xml) that Plex, Jellyfin and Emby add as a
 * tuner, and the guide page with now and next.  Each function returns a
 * malloc'd text (NULL when out of memory); nothing here does I/O but the
 * database reads of rv_lineup_load() and rv_lineup_guide_html().
 */
#ifndef RV_LINEUP_H
#define RV_LINEUP_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "log.h"

struct rv_lineup_channel {
	char		*id;		/* slug */
	int64_t		 number;
	char		*name;
	char		*logo;		/* "" when none */
	char		*group;		/* "" when none */
};

struct rv_lineup {
	struct rv_lineup_channel *ch;	/* by number */
	size_t		 n;
};

struct rv_device {
	const char	*id;		/* 8 hex digits */
	const char	*friendly_name;
	const char	*base_url;	/* no trailing slash */
	int		 tuners;
};

int	rv_lineup_load(sqlite3 *db, struct rv_lineup *l, struct rv_err *err);
void	rv_lineup_free(struct rv_lineup *l);
/* The channel with that number, or NULL. */
const struct rv_lineup_channel *rv_lineup_find(const struct rv_lineup *l,
	    int64_t number);

char	*rv_lineup_m3u(const struct rv_lineup *l, const char *base_url);
char	*rv_hdhr_discover(const struct rv_device *d);
char	*rv_hdhr_lineup(const struct rv_lineup *l, const char *base_url);
char	*rv_hdhr_lineup_status(void);
char	*rv_hdhr_device_xml(const struct rv_device *d);
/* The guide page: every channel with what is on at now_ms and what is
 * next, from the guide tier; player: the page loads /static/hls.min.js
 * (else it relies on the browser's own HLS). */
char	*rv_lineup_guide_html(sqlite3 *db, const struct rv_lineup *l,
	    int64_t now_ms, int player, struct rv_err *err);

#endif
