/*
 * prng — the documented pseudo-random generator behind every random
 * choice in a schedule (rv-dsl(5)), so that a schedule depends only on its
 * inputs and never on the wall clock, the platform or load order.
 *
 * Seed: the first 8 bytes, big-endian, of SHA-256 of a text key such as
 * "cheers-24-7/2025-11-01/all_day[0]".  Generator: splitmix64.  A choice
 * among n is unbiased (rejection of the top partial range).
 */
#ifndef RV_PRNG_H
#define RV_PRNG_H

#include <stdint.h>

struct rv_prng {
	uint64_t state;
};

void	 rv_prng_seed(struct rv_prng *p, const char *key);
uint64_t rv_prng_next(struct rv_prng *p);
/* Uniform in [0, n); n > 0. */
uint64_t rv_prng_below(struct rv_prng *p, uint64_t n);

#endif
