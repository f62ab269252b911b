#include "frame.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

int
rv_frame_type_valid(int type)
{
	return (type >= 'A' && type <= 'Z') || (type >= 'a' && type <= 'z');
}

int
rv_frame_type_is_json(int type)
{
	return type != 0 && strchr("HPBMEZ", type) != NULL;
}

void
rv_frame_reader_init(struct rv_frame_reader *r, int fd, const char *name)
{
	r->fd = fd;
	r->name = name;
	r->off = r->end = 0;
	r->offset = 0;
	r->frames = 0;
}

void
rv_frame_free(struct rv_frame *f)
{
	if (f == NULL)
		return;
	free(f->payload);
	f->payload = NULL;
	f->len = f->cap = 0;
}

/* Refill the buffer: 1 if bytes arrived, 0 at end of file, -1 on error. */
static int
fill(struct rv_frame_reader *r, struct rv_err *err)
{
	ssize_t n;

	if (r->off == r->end)
		r->off = r->end = 0;
	for (;;) {
		n = read(r->fd, r->buf + r->end, sizeof(r->buf) - r->end);
		if (n >= 0)
			break;
		if (errno != EINTR || rv_stop_signal)
			return rv_errf(err, "%s: read: %s", r->name,
			    errno == EINTR ? "interrupted by a signal" :
			    strerror(errno));
	}
	r->end += (size_t)n;
	return n > 0;
}

/* Copy exactly n bytes out of the stream into dst: 1 done, 0 end of file
 * before n bytes (*got says how many arrived), -1 error.  Large reads go
 * straight into dst rather than through the buffer. */
static int
take(struct rv_frame_reader *r, uint8_t *dst, size_t n, size_t *got,
    struct rv_err *err)
{
	size_t have, chunk;
	ssize_t k;

	*got = 0;
	while (*got < n) {
		have = r->end - r->off;
		if (have > 0) {
			chunk = n - *got < have ? n - *got : have;
			memcpy(dst + *got, r->buf + r->off, chunk);
			r->off += chunk;
			r->offset += (int64_t)chunk;
			*got += chunk;
			continue;
		}
		if (n - *got >= sizeof(r->buf)) {
			k = read(r->fd, dst + *got, n - *got);
			if (k < 0 && errno == EINTR && !rv_stop_signal)
				continue;
			if (k < 0)
				return rv_errf(err, "%s: read: %s", r->name,
				    strerror(errno));
			if (k == 0)
				return 0;
			*got += (size_t)k;
			r->offset += k;
			continue;
		}
		switch (fill(r, err)) {
		case -1:
			return -1;
		case 0:
			return 0;
		}
	}
	return 1;
}

int
rv_frame_read(struct rv_frame_reader *r, struct rv_frame *f,
    struct rv_err *err)
{
	uint8_t head[5];
	uint32_t length;
	int64_t at = r->offset;
	int64_t index = r->frames + 1;
	size_t got;
	uint8_t *p;
	int rc;

	rc = take(r, head, sizeof(head), &got, err);
	if (rc < 0)
		return -1;
	if (rc == 0 && got == 0)
		return 0;
	length = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 |
	    (uint32_t)head[2] << 8 | head[3];
	if (rc == 0 && got < 4)
		return rv_errf(err, "%s: truncated stream: frame %lld at byte "
		    "%lld has %zu of 4 length bytes", r->name,
		    (long long)index, (long long)at, got);
	if (length == 0 || length > RV_FRAME_MAX)
		return rv_errf(err, "%s: frame %lld at byte %lld: length %u "
		    "out of range (1 .. %u)", r->name, (long long)index,
		    (long long)at, length, RV_FRAME_MAX);
	if (rc == 0)
		return rv_errf(err, "%s: truncated stream: frame %lld at byte "
		    "%lld ends before its type byte", r->name,
		    (long long)index, (long long)at);
	if (!rv_frame_type_valid(head[4]))
		return rv_errf(err, "%s: frame %lld at byte %lld: type byte "
		    "0x%02x is not an ASCII letter", r->name,
		    (long long)index, (long long)at, head[4]);
	f->type = head[4];
	f->len = length - 1;
	if (f->len + 1 > f->cap) {
		/* +1 keeps a NUL after the payload for JSON parsers. */
		p = realloc(f->payload, f->len + 1);
		if (p == NULL)
			return rv_errf(err, "%s: frame %lld: out of memory for "
			    "%zu bytes", r->name, (long long)index, f->len);
		f->payload = p;
		f->cap = f->len + 1;
	}
	rc = take(r, f->payload, f->len, &got, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return rv_errf(err, "%s: truncated stream: frame %lld ('%c') "
		    "at byte %lld has %zu of %zu payload bytes", r->name,
		    (long long)index, f->type, (long long)at, got, f->len);
	f->payload[f->len] = 0;
	r->frames++;
	return 1;
}

/* The five bytes before a payload: length (type + payload), type. */
static int
frame_head(uint8_t head[5], int type, size_t len, struct rv_err *err)
{
	if (!rv_frame_type_valid(type))
		return rv_errf(err, "frame type 0x%02x is not an ASCII letter",
		    (unsigned)type & 0xff);
	if (len > RV_FRAME_PAYLOAD_MAX)
		return rv_errf(err, "'%c' frame payload of %zu bytes exceeds "
		    "%u", type, len, RV_FRAME_PAYLOAD_MAX);
	head[0] = (uint8_t)((len + 1) >> 24);
	head[1] = (uint8_t)((len + 1) >> 16);
	head[2] = (uint8_t)((len + 1) >> 8);
	head[3] = (uint8_t)(len + 1);
	head[4] = (uint8_t)type;
	return 0;
}

int
rv_frame_write(int fd, int type, const void *payload, size_t len,
    struct rv_err *err)
{
	uint8_t head[5];
	struct iovec iov[2];
	size_t total, done = 0;
	ssize_t n;

	if (frame_head(head, type, len, err) < 0)
		return -1;
	total = sizeof(head) + len;
	while (done < total) {
		int cnt = 0;

		if (done < sizeof(head)) {
			iov[cnt].iov_base = head + done;
			iov[cnt++].iov_len = sizeof(head) - done;
			iov[cnt].iov_base = (void *)(uintptr_t)payload;
			iov[cnt++].iov_len = len;
		} else {
			iov[cnt].iov_base = (uint8_t *)(uintptr_t)payload +
			    (done - sizeof(head));
			iov[cnt++].iov_len = total - done;
		}
		n = writev(fd, iov, cnt);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rv_errf(err, "writing '%c' frame: %s", type,
			    strerror(errno));
		done += (size_t)n;
	}
	return 0;
}

int
rv_frame_write_timeout(int fd, int type, const void *payload, size_t len,
    int timeout_ms, struct rv_err *err)
{
	uint8_t head[5];
	const uint8_t *p;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	size_t total, done = 0, off;
	ssize_t n;
	int part, rc;

	if (frame_head(head, type, len, err) < 0)
		return -1;
	total = sizeof(head) + len;
	while (done < total) {
		part = done < sizeof(head);
		off = part ? done : done - sizeof(head);
		p = part ? head + off : (const uint8_t *)payload + off;
		n = write(fd, p, part ? sizeof(head) - off : len - off);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return rv_errf(err, "writing '%c' frame: %s", type,
			    strerror(errno));
		rc = poll(&pfd, 1, timeout_ms);
		if (rc == 0)
			return rv_errf(err, "the reader took nothing for %d s",
			    timeout_ms / 1000);
		if (rc < 0 && errno != EINTR)
			return rv_errf(err, "poll: %s", strerror(errno));
	}
	return 0;
}

int
rv_frame_write_json(int fd, int type, const json_t *j, struct rv_err *err)
{
	char *text;
	int rc;

	text = rv_json_canonical(j);
	if (text == NULL)
		return rv_errf(err, "'%c' frame: cannot encode JSON", type);
	rc = rv_frame_write(fd, type, text, strlen(text), err);
	free(text);
	return rc;
}

json_t *
rv_frame_json(const struct rv_frame *f, struct rv_err *err)
{
	json_error_t jerr;
	json_t *j;

	if (f->len == 0) {
		rv_errf(err, "'%c' frame has an empty payload", f->type);
		return NULL;
	}
	j = json_loadb((const char *)f->payload, f->len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (j == NULL) {
		rv_errf(err, "'%c' frame: invalid JSON at byte %d: %s",
		    f->type, jerr.position, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		rv_errf(err, "'%c' frame: payload is not a JSON object",
		    f->type);
		return NULL;
	}
	return j;
}
