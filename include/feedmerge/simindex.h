/* simindex.h - which 64-bit fingerprints lie within Hamming distance k. */
#ifndef FEEDMERGE_SIMINDEX_H
#define FEEDMERGE_SIMINDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * An exact near-neighbour index over SimHash fingerprints (after Manku,
 * Jain and Das Sarma, WWW 2007): the 64 bits are cut into k + 2 blocks;
 * two fingerprints within distance k agree on at least 2 whole blocks, so
 * one table per pair of blocks, bucketed on those blocks' bits, finds
 * every fingerprint within k -- the same answer as a scan, without one.
 */

/** Largest distance an index answers for (the tables grow as (k+2)(k+1)/2). */
#define FM_SIMINDEX_MAX_K 10

/** The index; opaque. */
typedef struct fm_simindex fm_simindex;

/**
 * Makes an empty index answering "within distance k".
 * @param out receives it; free it with fm_simindex_free()
 * @return 0, FM_EINVAL (k outside 0..FM_SIMINDEX_MAX_K) or FM_ENOMEM.
 */
int fm_simindex_new(fm_simindex **out, int k);

/** Frees the index; NULL is fine. */
void fm_simindex_free(fm_simindex *ix);

/**
 * Adds fingerprint fp under the caller's id (any 32-bit value; ids need not
 * be unique or dense). Returns 0 or FM_ENOMEM.
 */
int fm_simindex_add(fm_simindex *ix, uint64_t fp, uint32_t id);

/**
 * Keeps only the fingerprints whose id has a new id: remap[id] (ids at or
 * past nremap, and those whose remap[id] is UINT32_MAX, leave), and
 * rebuilds the tables over them. remap stays the caller's.
 * @return 0, or FM_ENOMEM with the index unchanged. (Without room for the
 *         tables, what stays is found by a scan until an add builds them.)
 */
int fm_simindex_retain(fm_simindex *ix, const uint32_t *remap, size_t nremap);

/**
 * Calls cb once for every added fingerprint within distance k of fp, with
 * its id and distance, in no particular order. A non-zero return from cb
 * stops the query and is returned.
 * @return 0 or cb's value.
 */
int fm_simindex_query(fm_simindex *ix, uint64_t fp,
		      int (*cb)(void *ud, uint32_t id, int dist), void *ud);

/** Returns how many fingerprints the index holds. */
size_t fm_simindex_count(const fm_simindex *ix);

/** Returns the bytes the index has allocated (for the benchmark). */
size_t fm_simindex_memory(const fm_simindex *ix);

/** Returns the number of bits that differ between a and b. */
static inline int
fm_hamming(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

#endif
