/* boiler.h - the paragraphs and headlines a feed repeats: its boilerplate. */
#ifndef FEEDMERGE_BOILER_H
#define FEEDMERGE_BOILER_H

#include "feedmerge/buf.h"

#include <stddef.h>
#include <stdint.h>

/** A paragraph (or headline) carried by this many items of one feed is its boilerplate. */
#define FM_BOILER_ITEMS 3

/** Hashes a feed's table remembers; past it the oldest rare ones are forgotten. */
#define FM_BOILER_CAP 2048

/**
 * One feed's counts: how many of its items carried each paragraph hash. A
 * bounded table (the heavy hitters survive: a line the site repeats in
 * every item is never forgotten, a story's own paragraph soon is), loaded
 * from and saved to one blob of the state per feed; opaque.
 */
typedef struct fm_boiler fm_boiler;

/**
 * Makes a table from a saved blob (NULL or malformed: an empty table).
 * @param out receives it; free it with fm_boiler_free()
 * @return 0 or FM_ENOMEM.
 */
int fm_boiler_load(fm_boiler **out, const void *blob, size_t len);

/** Frees the table; NULL is fine. */
void fm_boiler_free(fm_boiler *b);

/** Counts one more item carrying hash; returns the new count. */
unsigned fm_boiler_learn(fm_boiler *b, uint64_t hash);

/** Returns how many items carried hash (0 when unknown). */
unsigned fm_boiler_count(const fm_boiler *b, uint64_t hash);

/** Returns 1 when the table changed since it was loaded. */
int fm_boiler_changed(const fm_boiler *b);

/** Appends the table as a blob to out (fm_boiler_load reads it); returns 0 or FM_ENOMEM. */
int fm_boiler_save(const fm_boiler *b, fm_buf *out);

#endif
