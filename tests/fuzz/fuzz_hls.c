/*
 * libFuzzer target: the HLS segmenter's TS input.  The input is cut into
 * chunks at the lengths its first bytes give, the way T frames of any size
 * arrive; the segmenter writes into one scratch folder.  Whatever the
 * bytes, it must neither crash nor write a segment that is not a whole
 * number of packets.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rv_hls_config c = { dir, 1000, 100, 3, 0, 0, NULL, NULL };
	struct rv_hls *h;
	struct rv_err err;
	struct stat st;
	char path[128];
	size_t off = 0, chunk;
	int64_t i;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_hls.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
	}
	if (rv_hls_open(&h, &c, &err) < 0)
		abort();
	rv_hls_session(h, size > 0 && data[0] & 1 ? "A" : "B", &err);
	while (off < size) {
		chunk = 1 + (size_t)data[off] * 3;
		if (chunk > size - off)
			chunk = size - off;
		rv_hls_feed(h, data + off, chunk, &err);
		off += chunk;
	}
	rv_hls_finish(h, &err);
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "%s/%08lld.ts", dir, (long long)i);
		if (stat(path, &st) == 0 && st.st_size % 188 != 0)
			abort();
	}
	rv_hls_free(h);
	return 0;
}
