/*
 * framedump — frames as JSON lines, for rv-frame dump and pack.
 *
 * A frame is described by one JSON object: {"type":"P","json":{…}} for the
 * JSON types, {"type":"T","len":N,"packets":K,"head":"47…"} (or "hex" with
 * the whole payload) for binary ones.  rv_frame_from_line() is the inverse
 * for every line that carries its payload ("json" or "hex").
 */
#ifndef RV_FRAMEDUMP_H
#define RV_FRAMEDUMP_H

#include <jansson.h>

#include "frame.h"
#include "log.h"

#define RV_DUMP_HEAD	16	/* payload bytes shown by a summary */

/* Describe f; with full, binary payloads are given whole as "hex".  A JSON
 * type whose payload is not a JSON object is described as binary with an
 * "error" member, and -1 is returned with err set (the line is still
 * stored in *out). */
int	rv_frame_describe(const struct rv_frame *f, int full, json_t **out,
	    struct rv_err *err);

/* Build the frame a description stands for.  f->payload is allocated
 * (free with rv_frame_free). */
int	rv_frame_from_line(const json_t *line, struct rv_frame *f,
	    struct rv_err *err);

#endif
