/* postings.h - an inverted index: which ids were posted under a 32-bit key. */
#ifndef FEEDMERGE_POSTINGS_H
#define FEEDMERGE_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Near-duplicate clustering posts a few hashes of each item (the smallest
 * of its shingle sketch, of its headline words) and asks which items share
 * one: two texts with much in common share some of their smallest hashes,
 * wherever in the text the common part sits. Postings are (key, id) pairs:
 * the newest in a chained hash table (ids kept once per run of pairs added
 * with one id: add an item's keys together), the rest in arrays sorted by
 * key, where a key's pairs sit side by side; about 10 bytes a pair.
 */

/** The index; opaque. */
typedef struct fm_postings fm_postings;

/**
 * Makes an empty index.
 * @param out receives it; free it with fm_postings_free()
 * @param cap a key found under more than cap ids is too common to tell
 *            anything: its queries find nothing from then on and its adds
 *            are dropped (0: no limit)
 * @return 0 or FM_ENOMEM.
 */
int fm_postings_new(fm_postings **out, size_t cap);

/** Frees the index; NULL is fine. */
void fm_postings_free(fm_postings *px);

/** Posts id under key (pairs need not be unique; nothing for a stopped key); returns 0 or FM_ENOMEM (also past 2^32 - 2 pairs). */
int fm_postings_add(fm_postings *px, uint32_t key, uint32_t id);

/**
 * Keeps only the pairs whose id has a new id: remap[id] (ids at or past
 * nremap, and those whose remap[id] is UINT32_MAX, leave); a stopped key
 * stays stopped and its pairs leave. remap stays the caller's. Allocates
 * nothing.
 */
void fm_postings_retain(fm_postings *px, const uint32_t *remap, size_t nremap);

/** Returns how many ids are kept under key. */
size_t fm_postings_count(const fm_postings *px, uint32_t key);

/**
 * Calls cb with every id posted under key, in no particular order, unless
 * more than the index's cap are (the key is then stopped). A non-zero
 * return from cb stops the query and is returned.
 * The query's own scratch lives in px: one query at a time.
 * @return 0, FM_ENOMEM or cb's value.
 */
int fm_postings_query(fm_postings *px, uint32_t key, int (*cb)(void *ud, uint32_t id), void *ud);

/** Returns the bytes the index has allocated (for the benchmark). */
size_t fm_postings_memory(const fm_postings *px);

#endif
