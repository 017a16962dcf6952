/* postings.h - an inverted index: which ids were posted under a 32-bit key. */
#ifndef FEEDMERGE_POSTINGS_H
#define FEEDMERGE_POSTINGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Near-duplicate clustering posts a few hashes of each item (the smallest
 * of its shingle sketch, of its headline words) and asks which items share
 * one: two texts with much in common share some of their smallest hashes,
 * wherever in the text the common part sits. Postings are (key, id) pairs
 * in a chained hash table, about 12 bytes each with the table (ids are kept
 * once per run of pairs added with one id: add an item's keys together).
 */

/** The index; opaque. */
typedef struct fm_postings fm_postings;

/**
 * Makes an empty index.
 * @param out receives it; free it with fm_postings_free()
 * @return 0 or FM_ENOMEM.
 */
int fm_postings_new(fm_postings **out);

/** Frees the index; NULL is fine. */
void fm_postings_free(fm_postings *px);

/** Posts id under key (pairs need not be unique); returns 0 or FM_ENOMEM (also past 2^32 - 2 pairs). */
int fm_postings_add(fm_postings *px, uint32_t key, uint32_t id);

/** Returns how many ids are posted under key. */
size_t fm_postings_count(const fm_postings *px, uint32_t key);

/**
 * Calls cb with every id posted under key, in no particular order, unless
 * more than cap ids are (cap 0: no limit). A non-zero return from cb stops
 * the query and is returned.
 * The query's own scratch lives in px: one query at a time.
 * @return 0, FM_ENOMEM or cb's value.
 */
int fm_postings_query(fm_postings *px, uint32_t key, size_t cap,
		      int (*cb)(void *ud, uint32_t id), void *ud);

/** Returns the bytes the index has allocated (for the benchmark). */
size_t fm_postings_memory(const fm_postings *px);

#endif
