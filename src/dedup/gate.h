/* gate.h - a candidate turned away on a hundred bytes, before its fingerprint is read (internal). */
#ifndef FM_DEDUP_GATE_H
#define FM_DEDUP_GATE_H

#include "feedmerge/dedup.h"
#include "feedmerge/fingerprint.h"

#include <stdint.h>

/*
 * Every rule of fm_dedup_match that merges needs one of: the same link;
 * text containment of at least the smallest of its thresholds; or the
 * same headline (title Jaccard and shared words at least p->headline and
 * p->headline_words). A gate keeps, for each indexed item, enough to bound
 * all three from above. A candidate whose bounds all fall short cannot be
 * confirmed: its whole fingerprint (a read from the state when it is not
 * cached) and the rules are skipped. A candidate that passes is checked by
 * the rules as before, so clustering decides exactly what it decided
 * without the gate.
 */

/* Smallest sketch entries a gate keeps to 16 bits: a long query against a short item compares these. */
#define FM_GATE_PREFIX 32
/* Buckets of the bitmap of the sketch entries past the prefix. */
#define FM_GATE_BITS 256
/* Rank marks over the whole sketch. */
#define FM_GATE_MARKS 8

/** What an indexed item's gate keeps of its fingerprint (136 bytes). */
typedef struct fm_gate {
	/* In the order they are read: most candidates are turned away within the first 64 bytes. */
	uint64_t title;   /**< a bit per bucket holding one of its headline word hashes */
	uint32_t link;    /**< its link hash folded to 32 bits; 0 when it has no link */
	uint32_t tmax;    /**< its sketch's largest hash when the sketch is truncated, else UINT32_MAX */
	uint32_t pmax;    /**< the prefix's largest hash */
	uint8_t nsketch, ntitle;
	uint16_t prefix[FM_GATE_PREFIX]; /**< the smallest hashes scaled to 0..pmax as 0..65535 (ascending) */
	uint64_t rest[FM_GATE_BITS / 64]; /**< a bit per bucket holding a sketch hash past the prefix */
	uint16_t mark[FM_GATE_MARKS];    /**< mark[k]: the top 16 bits of the entry of rank (k + 1) * nsketch / MARKS */
} fm_gate;

/** What a query item brings to every gate it meets; built once per query. */
typedef struct fm_gate_query {
	const fm_fingerprint *fp; /**< the query's fingerprint (borrowed) */
	uint16_t bucket[FM_FP_SKETCH]; /**< each sketch entry's bucket */
	uint8_t title_bucket[FM_FP_TITLE_WORDS];
	uint32_t link;
	double text_min;   /**< the smallest containment any rule merges at */
	double headline;   /**< p->headline */
	unsigned headline_words;
} fm_gate_query;

/** Fills g from fp. */
void fm__gate_make(fm_gate *g, const fm_fingerprint *fp);

/** Prepares q for the query item fp under rules p; q borrows fp. */
void fm__gate_query(fm_gate_query *q, const fm_fingerprint *fp, const fm_dedup_params *p);

/** Returns 0 when no rule can merge the query with the gate's item, 1 when the rules must decide. */
int fm__gate_may_match(const fm_gate_query *q, const fm_gate *g);

#endif
