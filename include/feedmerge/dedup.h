/* dedup.h - deciding whether two items carry the same story. */
#ifndef FEEDMERGE_DEDUP_H
#define FEEDMERGE_DEDUP_H

#include "feedmerge/fingerprint.h"

/** The knobs of the decision; fm_dedup_defaults() gives the measured best. */
typedef struct fm_dedup_params {
	int threshold;          /**< largest lead SimHash distance of two copies ([dedup] threshold) */
	double containment;     /**< least shingle containment of two copies ([dedup] containment) */
	double same_feed;       /**< least containment of two copies from one feed (near-identical) */
	unsigned short_words;   /**< under this many words an item has too little text to be judged by it */
	unsigned min_shared;    /**< least shingles two texts share to merge on text */
	double text_alone;      /**< least containment of two copies whose lead and headline differ */
	unsigned long_shingles; /**< a text of fewer shingles is short: judged more strictly */
	double short_text;      /**< least containment of the shorter of two short texts on text alone */
	double repost_overlap;  /**< least containment of the longer text of a re-post within one feed */
	double headline;        /**< least headline word Jaccard of a headline match */
	double headline_agree;  /**< least headline word Jaccard that backs a text match */
	unsigned headline_words; /**< least headline words shared by a headline match */
	int64_t headline_apart; /**< most seconds apart of a headline match */
} fm_dedup_params;

/** Candidate keys: how two items come to be compared (fm_dedup_keys). */
#define FM_DEDUP_KEY_LEAD 1u     /**< lead SimHashes within threshold */
#define FM_DEDUP_KEY_TEXT 2u     /**< one of the smallest shingle hashes in common: text overlap wherever it sits */
#define FM_DEDUP_KEY_HEADLINE 4u /**< the same headline words, or a pair of its 3 smallest word hashes in common */
#define FM_DEDUP_KEY_LINK 8u     /**< the same normalised link */

/** Smallest sketch hashes an item posts as text keys. */
#define FM_DEDUP_TEXT_KEYS 8
/** Headline keys an item posts: the pairs of its 3 smallest word hashes. */
#define FM_DEDUP_TITLE_KEYS 3
/** Keys an item posts at most (text, headline word pairs, the whole headline, the link). */
#define FM_DEDUP_POSTINGS (FM_DEDUP_TEXT_KEYS + FM_DEDUP_TITLE_KEYS + 2)

/**
 * Fills keys with the 32-bit keys fp is posted under in the candidate
 * index (text and headline keys live apart: salted) and kinds with each
 * one's FM_DEDUP_KEY_*; returns how many.
 */
size_t fm_dedup_postings(const fm_fingerprint *fp, uint32_t keys[FM_DEDUP_POSTINGS],
			 unsigned kinds[FM_DEDUP_POSTINGS]);

/** Returns the FM_DEDUP_KEY_* bits of the keys a and b share (lead within p->threshold). */
unsigned fm_dedup_keys(const fm_fingerprint *a, const fm_fingerprint *b, const struct fm_dedup_params *p);

/** Fills p with the defaults. */
void fm_dedup_defaults(fm_dedup_params *p);

/** What is known of a pair besides its two fingerprints. */
typedef struct fm_dedup_pair {
	int same_feed;   /**< 1: both items come from one feed */
	int64_t apart;   /**< seconds between the two items' story times */
} fm_dedup_pair;

/** Why two items were or were not merged. */
typedef struct fm_dedup_verdict {
	int merge;          /**< 1: the same story */
	int distance;       /**< lead SimHash distance */
	double containment; /**< estimated shingle containment in the shorter text */
	double overlap;     /**< the same, in the longer text (near-identical when both are high) */
	double shared;      /**< estimated shingles the two texts share */
	unsigned title_shared; /**< headline words in common */
	double title_jaccard;  /**< headline words in common / words of either */
	const char *why;    /**< one static line: the rule that decided */
} fm_dedup_verdict;

/**
 * Decides whether a and b are copies of one story, weighing the text they
 * share (both ways), their headlines, the time apart and whether they come
 * from one feed. Fills *v.
 * @return v->merge.
 */
int fm_dedup_match(const fm_fingerprint *a, const fm_fingerprint *b, const fm_dedup_pair *pair,
		   const fm_dedup_params *p, fm_dedup_verdict *v);

/**
 * Orders two members of a cluster for its representative: < 0 when a comes
 * first (higher feed priority, then earlier published), > 0 when b does,
 * 0 when neither.
 */
int fm_dedup_prefer(int priority_a, fm_time published_a, int priority_b, fm_time published_b);

#endif
