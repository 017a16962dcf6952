/* candidates.h - which items share a candidate key with an item: the index clustering queries. */
#ifndef FEEDMERGE_CANDIDATES_H
#define FEEDMERGE_CANDIDATES_H

#include "feedmerge/fingerprint.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Every key of fm_dedup_postings() (text and headline keys) in an inverted
 * index, and the lead SimHash in a Hamming index: a query finds every item
 * that shares any key with the one asked about, each once, the same answer
 * as comparing fm_dedup_keys() with every item -- but for text and
 * headline keys so common that more than key_cap items carry them, which
 * find nothing (a link key is never too common), and for a text
 * key that happens to equal another item's headline key, one chance in
 * 2^32, which finds it).
 */

/** The index; opaque. */
typedef struct fm_candidates fm_candidates;

/**
 * Makes an empty index.
 * @param out       receives it; free it with fm_candidates_free()
 * @param threshold largest lead SimHash distance that makes two items candidates (0..FM_SIMINDEX_MAX_K)
 * @param key_cap   a text or headline key carried by more items than this finds none (0: no cap)
 * @return 0, FM_EINVAL (threshold out of range) or FM_ENOMEM.
 */
int fm_candidates_new(fm_candidates **out, int threshold, size_t key_cap);

/** Frees the index; NULL is fine. */
void fm_candidates_free(fm_candidates *ci);

/** Adds fp's keys under the caller's id; returns 0 or FM_ENOMEM. */
int fm_candidates_add(fm_candidates *ci, const fm_fingerprint *fp, uint32_t id);

/**
 * Keeps only the items whose id has a new id, remap[id], and renames them
 * (ids at or past nremap, and those whose remap[id] is UINT32_MAX, leave);
 * a key stopped as too common stays stopped. remap stays the caller's.
 * @return 0, or FM_ENOMEM with the index unchanged.
 */
int fm_candidates_retain(fm_candidates *ci, const uint32_t *remap, size_t nremap);

/**
 * Calls cb once for every id that shares a key with fp, in ascending id
 * order, with the FM_DEDUP_KEY_* bits of the keys that found it. A non-zero
 * return from cb stops the query and is returned.
 * @return 0, FM_ENOMEM or cb's value.
 */
int fm_candidates_query(fm_candidates *ci, const fm_fingerprint *fp,
			int (*cb)(void *ud, uint32_t id, unsigned keys), void *ud);

/** Returns the bytes the index has allocated, its query scratch included (for the benchmark). */
size_t fm_candidates_memory(const fm_candidates *ci);

#endif
