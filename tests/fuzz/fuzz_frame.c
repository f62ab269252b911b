/*
 * libFuzzer target: the frame reader and the dump description of every
 * frame it returns.  Input is a byte stream as a pipe would carry it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frame.h"
#include "framedump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rv_frame_reader r;
	struct rv_frame f = { 0 }, back;
	struct rv_err err;
	json_t *line;
	int fd, rc;

	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	rv_frame_reader_init(&r, fd, "fuzz");
	while ((rc = rv_frame_read(&r, &f, &err)) == 1) {
		if (f.len > RV_FRAME_PAYLOAD_MAX || !rv_frame_type_valid(f.type))
			abort();
		rv_frame_describe(&f, 1, &line, &err);
		if (line != NULL) {
			/* A full description must pack back to the payload,
			 * except for JSON that was not canonical. */
			memset(&back, 0, sizeof(back));
			if (rv_frame_from_line(line, &back, &err) == 0 &&
			    !rv_frame_type_is_json(f.type) &&
			    (back.len != f.len ||
			    memcmp(back.payload, f.payload, f.len) != 0))
				abort();
			rv_frame_free(&back);
			json_decref(line);
		}
	}
	rv_frame_free(&f);
	close(fd);
	return 0;
}
