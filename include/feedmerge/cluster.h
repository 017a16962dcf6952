/* cluster.h - folding near-duplicate items into clusters, across feeds and runs. */
#ifndef FEEDMERGE_CLUSTER_H
#define FEEDMERGE_CLUSTER_H

#include "feedmerge/dedup.h"
#include "feedmerge/store.h"

/**
 * A clusterer: the in-memory index over the state's fingerprints in the
 * time window, and the rules that confirm candidates; opaque.
 */
typedef struct fm_clusterer fm_clusterer;

/**
 * Loads every fingerprinted item of st published (or first seen) within
 * two windows of now into a new clusterer: old stories that arrived lately
 * still meet their copies.
 * @param out    receives it; free it with fm_clusterer_free() (before st closes)
 * @param window seconds two copies may lie apart ([dedup] window)
 * @return 0, FM_EINVAL (threshold out of range), FM_EIO or FM_ENOMEM.
 */
int fm_clusterer_open(fm_clusterer **out, fm_store *st, const fm_dedup_params *p,
		      int64_t window, fm_time now);

/**
 * Clusters a new item just saved with fm_store_item_save() (inside the same
 * transaction): every item within the window whose fingerprint the rules
 * confirm as a copy brings its cluster, and all those clusters merge into
 * the oldest (its id is kept). Then the item joins the index.
 * @param feed the item's [feed NAME]
 * @param when the item's published time, else its first-seen time
 * @param joined optional; set to 1 when the item joined an older cluster
 * @return 0, FM_EIO or FM_ENOMEM.
 */
int fm_clusterer_add(fm_clusterer *c, const char *feed, const fm_store_ref *ref,
		     const fm_fingerprint *fp, fm_time when, fm_time now, int *joined);

/**
 * Re-fingerprints feed's items in the window with what the feed has taught
 * the state since they were stored (boilerplate learnt, headlines it
 * repeats), so results do not depend on the order items arrived in. An
 * item whose fingerprint changed is re-clustered: its cluster, if it no
 * longer holds together, falls apart into its connected parts (the part
 * with the oldest member keeps the id), and the item joins whatever it now
 * matches. Runs inside the caller's transaction.
 * @param fingerprint computes an item's fingerprint (with the feed's
 *                    current knowledge); returns 0 or an FM_E* code
 * @param changed     optional; receives how many items were re-clustered
 * @return 0, FM_EIO or FM_ENOMEM.
 */
int fm_clusterer_refresh(fm_clusterer *c, const char *feed,
			 int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp),
			 void *ud, fm_time now, long *changed);

/** Frees the clusterer; NULL is fine. */
void fm_clusterer_free(fm_clusterer *c);

#endif
