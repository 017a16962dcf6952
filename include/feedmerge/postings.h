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
 * kept in sorted runs that merge as a binary counter (a log-structured
 * merge), 8 bytes each: a query is a binary search per run.
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

/** Posts id under key (pairs need not be unique); returns 0 or FM_ENOMEM. */
int fm_postings_add(fm_postings *px, uint32_t key, uint32_t id);

/** Returns how many ids are posted under key. */
size_t fm_postings_count(const fm_postings *px, uint32_t key);

/**
 * Calls cb with every id posted under key, in no particular order. A
 * non-zero return from cb stops the query and is returned.
 * @return 0 or cb's value.
 */
int fm_postings_query(const fm_postings *px, uint32_t key,
		      int (*cb)(void *ud, uint32_t id), void *ud);

/** Returns the bytes the index has allocated (for the benchmark). */
size_t fm_postings_memory(const fm_postings *px);

#endif
