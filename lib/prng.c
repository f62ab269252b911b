#include "prng.h"

#include <string.h>

#include "hash.h"

void
rv_prng_seed(struct rv_prng *p, const char *key)
{
	char hex[RV_SHA256_HEX];
	uint64_t s = 0;
	int i, d;

	if (rv_sha256_hex(key, strlen(key), hex) < 0)
		memset(hex, '0', sizeof(hex));
	for (i = 0; i < 16; i++) {
		d = hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10;
		s = s << 4 | (uint64_t)d;
	}
	p->state = s;
}

uint64_t
rv_prng_next(struct rv_prng *p)
{
	uint64_t z = (p->state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t
rv_prng_below(struct rv_prng *p, uint64_t n)
{
	/* Values at or above `limit` would favour the low residues. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;

	do
		r = rv_prng_next(p);
	while (r >= limit);
	return r % n;
}
