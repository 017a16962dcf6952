/* splitmix.h - a small, seedable PRNG (splitmix64) for tests and benchmarks, so failures repeat. */
#ifndef FM_TESTS_SPLITMIX_H
#define FM_TESTS_SPLITMIX_H

#include <stdint.h>

/* Returns the next 64-bit number of the sequence seeded by *s. */
static inline uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

#endif
