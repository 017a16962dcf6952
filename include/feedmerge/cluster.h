/* cluster.h - deciding which stored items are one story: the clusterer plans, the caller applies. */
#ifndef FEEDMERGE_CLUSTER_H
#define FEEDMERGE_CLUSTER_H

#include "feedmerge/dedup.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The clusterer knows the fingerprints of the window's items (indexed by
 * every candidate key; the newest tens of thousands kept at hand) and the
 * rules; it never touches storage. It reads
 * what it needs through an fm_cluster_source and answers with a plan --
 * merges and splits, each with the rule that decided it -- which the
 * caller applies (src/run does, through store.h) before asking again.
 */

/** A clusterer; opaque. */
typedef struct fm_clusterer fm_clusterer;

/** One member of a stored cluster, as a source yields it; borrowed for the callback. */
typedef struct fm_cluster_member {
	int64_t row;              /**< the item's row */
	const char *feed;         /**< [feed NAME] */
	fm_time when;             /**< its story time */
	const fm_fingerprint *fp; /**< its fingerprint, or NULL when it has none */
} fm_cluster_member;

/** What the clusterer reads of the caller's storage. */
typedef struct fm_cluster_source {
	/** Reads the fingerprint and cluster of the item at row; FM_EINVAL when it is gone. */
	int (*fingerprint)(void *ud, int64_t row, fm_fingerprint *fp, int64_t *cluster);
	/** Reads the cluster of the item at row; FM_EINVAL when it is gone. */
	int (*cluster)(void *ud, int64_t row, int64_t *cluster);
	/** Calls cb for every member of cluster; returns 0, cb's value or an FM_E* code. */
	int (*members)(void *ud, int64_t cluster,
		       int (*cb)(void *cbud, const fm_cluster_member *m), void *cbud);
	void *ud; /**< passed to each */
} fm_cluster_source;

/** Kinds of plan steps. */
typedef enum fm_plan_kind {
	FM_PLAN_MERGE, /**< every member of cluster from moves into cluster into */
	FM_PLAN_SPLIT  /**< rows[0 .. nrows) leave their cluster for a new one of their own */
} fm_plan_kind;

/** One step of a plan: plain data. */
typedef struct fm_plan_step {
	fm_plan_kind kind;
	int64_t into, from;  /**< FM_PLAN_MERGE: the clusters */
	int64_t *rows;       /**< FM_PLAN_SPLIT: the items that leave (owned by the plan) */
	size_t nrows;
	const char *why;     /**< the rule that decided (static text) */
} fm_plan_step;

/** A plan: steps to apply in order. Zero-initialise it; fm_plan_clear() empties it. */
typedef struct fm_plan {
	fm_plan_step *v;
	size_t n, a;
} fm_plan;

/** Frees a plan's steps and leaves it empty (reusable). */
void fm_plan_clear(fm_plan *plan);

/**
 * Makes an empty clusterer.
 * @param out    receives it; free it with fm_clusterer_free()
 * @param window seconds two copies may lie apart ([dedup] window)
 * @return 0, FM_EINVAL (threshold out of range) or FM_ENOMEM.
 */
int fm_clusterer_new(fm_clusterer **out, const fm_dedup_params *p, int64_t window);

/**
 * Items the index holds before it lets old stories go (fm_clusterer_bound):
 * about 70 MB (some 340 bytes an item at its fullest, measured over 10,000
 * generated feeds).
 */
#define FM_CLUSTER_INDEX_ITEMS 200000

/**
 * Bounds the index (made unbounded). Once it holds max_items items, the
 * stories older than horizon leave it, oldest first, until it holds half
 * as many, and from then on no story older than the newest that left is
 * indexed: such an item is still clustered with what the index holds, but
 * later items are not compared with it. Stories at or after horizon never
 * leave; when too few could, the bound doubles. src/run passes two windows
 * back from now: a story that old can meet only other old stories, never
 * a current one (copies lie at most a window apart).
 * @param max_items 0: no bound
 */
void fm_clusterer_bound(fm_clusterer *c, fm_time horizon, size_t max_items);

/** Returns the window (seconds) c was made with. */
int64_t fm_clusterer_window(const fm_clusterer *c);

/** Adds a stored item (row, feed, story time, fingerprint) to the index; returns 0 or FM_ENOMEM. */
int fm_clusterer_index(fm_clusterer *c, int64_t row, const char *feed, fm_time when,
		       const fm_fingerprint *fp);

/**
 * Tells c that the item at row has a new fingerprint (its text changed; it
 * keeps its candidate keys and cluster), so confirmations read the new one.
 * @return 0 or FM_ENOMEM.
 */
int fm_clusterer_refingerprint(fm_clusterer *c, int64_t row, const fm_fingerprint *fp);

/**
 * Plans what an item of feed now in cluster joins: every indexed item
 * within the window that shares a candidate key and whose fingerprint the
 * rules confirm brings its cluster, and all those clusters merge into the
 * oldest (lowest row: its id lives on). Appends the merges to plan; the
 * item is not indexed (fm_clusterer_index it after applying the plan).
 * @return 0, FM_ENOMEM or the source's error.
 */
int fm_clusterer_plan_join(fm_clusterer *c, const fm_cluster_source *src, const char *feed,
			   int64_t cluster, const fm_fingerprint *fp, fm_time when, fm_plan *plan);

/**
 * Plans how cluster falls apart when its members no longer hold together
 * (a fingerprint changed): its connected parts under the rules (the same
 * link first); the part with the oldest member stays, every
 * other part is a split. Appends the splits to plan.
 * @return 0, FM_ENOMEM or the source's error.
 */
int fm_clusterer_plan_split(fm_clusterer *c, const fm_cluster_source *src, int64_t cluster,
			    fm_plan *plan);

/** Frees the clusterer; NULL is fine. */
void fm_clusterer_free(fm_clusterer *c);

#endif
