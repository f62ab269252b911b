/*
 * frame — the wire between programs (DESIGN.md §2, rv-frame(5)).
 *
 *   frame   = length type payload
 *   length  = uint32 big-endian, bytes of type + payload, 1 .. 16 MiB
 *   type    = one ASCII letter
 *
 * This module is the only code that knows the byte layout.  A reader owns a
 * small buffer over one file descriptor; frames it returns own their payload
 * until the next read into the same struct rv_frame.
 */
#ifndef RV_FRAME_H
#define RV_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "log.h"

#define RV_FRAME_MAX		(16u << 20)	/* type + payload */
#define RV_FRAME_PAYLOAD_MAX	(RV_FRAME_MAX - 1)
#define RV_TS_PACKET		188

struct rv_frame {
	int		 type;		/* 'A'..'Z', 'a'..'z' */
	uint8_t		*payload;
	size_t		 len;		/* payload bytes (length field - 1) */
	size_t		 cap;
};

struct rv_frame_reader {
	int		 fd;
	const char	*name;		/* for messages: "stdin", a path */
	uint8_t		 buf[64 * 1024];
	size_t		 off, end;
	int64_t		 offset;	/* stream offset of buf[off] */
	int64_t		 frames;	/* frames returned so far */
};

void	rv_frame_reader_init(struct rv_frame_reader *r, int fd, const char *name);

/* 1: a frame was read into f; 0: end of stream at a frame boundary;
 * -1: truncated stream, bad length or type, or an I/O error (err says
 * which frame and at what byte offset). */
int	rv_frame_read(struct rv_frame_reader *r, struct rv_frame *f,
	    struct rv_err *err);
void	rv_frame_free(struct rv_frame *f);

/* Write one whole frame, retrying partial writes and EINTR. */
int	rv_frame_write(int fd, int type, const void *payload, size_t len,
	    struct rv_err *err);
/* The same on a non-blocking descriptor, failing when the reader takes
 * nothing for timeout_ms (a consumer that stopped reading). */
int	rv_frame_write_timeout(int fd, int type, const void *payload,
	    size_t len, int timeout_ms, struct rv_err *err);

/* Encode j canonically (rv_json_canonical) and write it as one frame. */
int	rv_frame_write_json(int fd, int type, const json_t *j,
	    struct rv_err *err);
/* Parse a frame's payload as a JSON object. */
json_t	*rv_frame_json(const struct rv_frame *f, struct rv_err *err);

int	rv_frame_type_valid(int type);
/* H P B M E Z carry JSON; T carries MPEG-TS packets. */
int	rv_frame_type_is_json(int type);

#endif
