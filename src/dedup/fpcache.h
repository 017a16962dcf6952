/* fpcache.h - the fingerprints the clusterer indexed, kept in memory within a budget (internal). */
#ifndef FM_DEDUP_FPCACHE_H
#define FM_DEDUP_FPCACHE_H

#include "feedmerge/fingerprint.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Confirming a candidate needs its whole fingerprint; reading it back from
 * the state costs a lookup in two tables per candidate. The cache keeps the
 * fingerprints put last, packed, in two generations of budget/2 bytes each:
 * when the newer one fills, the older is dropped. A row put again replaces
 * what the cache had for it.
 */

/** A fingerprint cache; opaque. */
typedef struct fm_fpcache fm_fpcache;

/** Makes an empty cache of about budget bytes (packed fingerprints; its table aside); NULL on ENOMEM. */
fm_fpcache *fm__fpcache_new(size_t budget);

/** Keeps fp (copied) as the fingerprint of row (> 0); returns 0 or FM_ENOMEM (the cache unchanged). */
int fm__fpcache_put(fm_fpcache *c, int64_t row, const fm_fingerprint *fp);

/** Copies the fingerprint last put for row into fp; returns 1, or 0 when the cache has none. */
int fm__fpcache_get(const fm_fpcache *c, int64_t row, fm_fingerprint *fp);

/** Frees the cache; NULL is fine. */
void fm__fpcache_free(fm_fpcache *c);

#endif
