#include "hash.h"

#include <stdint.h>

#include <libavutil/mem.h>
#include <libavutil/sha.h>

int
rv_sha256_hex(const void *data, size_t len, char out[RV_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	struct AVSHA *sha;
	uint8_t d[32];
	int i;

	sha = av_sha_alloc();
	if (sha == NULL)
		return -1;
	av_sha_init(sha, 256);
	av_sha_update(sha, data, len);
	av_sha_final(sha, d);
	av_free(sha);
	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[64] = 0;
	return 0;
}
