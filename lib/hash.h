/*
 * hash — SHA-256 (libavutil's) as lower-case hex: asset ids, schedule
 * hashes, channel file fingerprints.
 */
#ifndef RV_HASH_H
#define RV_HASH_H

#include <stddef.h>

#define RV_SHA256_HEX	65	/* 64 digits + NUL */

/* 0, or -1 when out of memory. */
int	rv_sha256_hex(const void *data, size_t len, char out[RV_SHA256_HEX]);

#endif
