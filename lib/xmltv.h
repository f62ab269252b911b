/*
 * xmltv — the guide as XMLTV (xmltv.dtd) and as JSON, from the guide tier
 * of the horizon: one <channel> per channel (id, display-name, number,
 * icon), one <programme> per program block with local-time start and stop,
 * title, sub-title (episode title), desc, date, category, episode-num in
 * xmltv_ns and onscreen forms, and rating.  Breaks never appear; a filler
 * program carries the channel's filler title.
 */
#ifndef RV_XMLTV_H
#define RV_XMLTV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "log.h"

/* A channel's XMLTV id (and M3U tvg-id): its slug with anything but
 * letters, digits and '-' made '-', then ".retrovue" (RFC 2838 style, as
 * tv_validate_file wants). */
void	rv_xmltv_channel_id(const char *slug, char *out, size_t n);

/* channels: ids to include, NULL for every channel. */
int	rv_xmltv_write(sqlite3 *db, const char *const *channels, int nchannels,
	    int64_t from_ms, int64_t to_ms, FILE *out, struct rv_err *err);
/* The same programmes as one JSON object per line. */
int	rv_guide_json_write(sqlite3 *db, const char *const *channels,
	    int nchannels, int64_t from_ms, int64_t to_ms, FILE *out,
	    struct rv_err *err);

#endif
