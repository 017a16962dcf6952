/* dedup.h - deciding whether two items carry the same story. */
#ifndef FEEDMERGE_DEDUP_H
#define FEEDMERGE_DEDUP_H

#include "feedmerge/fingerprint.h"

/** The knobs of the decision; fm_dedup_defaults() gives the measured best. */
typedef struct fm_dedup_params {
	int threshold;          /**< largest lead SimHash distance of two copies ([dedup] threshold) */
	double containment;     /**< least shingle containment of two copies ([dedup] containment) */
	double same_feed;       /**< least containment of two copies from one feed (near-identical) */
	unsigned short_words;   /**< under this many words an item is judged by headline and lead together */
	int title_distance;     /**< largest headline SimHash distance for short items */
} fm_dedup_params;

/** Fills p with the defaults. */
void fm_dedup_defaults(fm_dedup_params *p);

/** Why two items were or were not merged. */
typedef struct fm_dedup_verdict {
	int merge;          /**< 1: the same story */
	int distance;       /**< lead SimHash distance */
	int title_distance; /**< headline SimHash distance (64 when either has none) */
	double containment; /**< estimated shingle containment in the shorter text */
	double overlap;     /**< the same, in the longer text (near-identical when both are high) */
	const char *why;    /**< one static line: the rule that decided */
} fm_dedup_verdict;

/**
 * Decides whether a and b are copies of one story; same_feed says they come
 * from one feed (then only near-identical items merge). Fills *v.
 * @return v->merge.
 */
int fm_dedup_match(const fm_fingerprint *a, const fm_fingerprint *b, int same_feed,
		   const fm_dedup_params *p, fm_dedup_verdict *v);

/**
 * Orders two members of a cluster for its representative: < 0 when a comes
 * first (higher feed priority, then earlier published), > 0 when b does,
 * 0 when neither.
 */
int fm_dedup_prefer(int priority_a, fm_time published_a, int priority_b, fm_time published_b);

#endif
