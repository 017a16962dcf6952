/* fingerprint.h - what near-duplicate clustering keeps of an item's text. */
#ifndef FEEDMERGE_FINGERPRINT_H
#define FEEDMERGE_FINGERPRINT_H

#include "feedmerge/item.h"

#include <stddef.h>
#include <stdint.h>

/** Shingle hashes kept per item: the smallest ones (a bottom-k sketch). */
#define FM_FP_SKETCH 128

/** Words of the lead that the candidate SimHash covers. */
#define FM_FP_LEAD_WORDS 12

/** Headline words kept per item: the smallest hashes of its distinct words. */
#define FM_FP_TITLE_WORDS 16

/** The bit of a headline word hash that marks a content word (4 bytes or more, not "to" or "the"). */
#define FM_FP_CONTENT_WORD 0x80000000u

/** fm_fingerprint.flags: the feed repeats this headline (a digest, horoscope, strip): it joins only near-identical copies. */
#define FM_FP_TEMPLATED 1u

/** Salt of the headline's hash, so headlines and paragraphs never collide in one feed's counts. */
#define FM_FP_TITLE_SALT 0x7469746c65ull

/**
 * An item's fingerprint, computed from its headline and story text after
 * site boilerplate, teasers, captions and credits are stripped.
 */
typedef struct fm_fingerprint {
	uint64_t simhash;  /**< SimHash (XXH3 features) of the lead's first FM_FP_LEAD_WORDS words: the candidate key */
	uint64_t title;    /**< SimHash of the normalised headline (wire prefix and site suffix stripped); 0 when none */
	uint32_t words;    /**< words of story text kept */
	uint32_t shingles; /**< distinct word 3-grams of the story text */
	uint32_t nsketch;  /**< entries of sketch in use (min(shingles, FM_FP_SKETCH)) */
	uint32_t flags;    /**< FM_FP_TEMPLATED */
	uint64_t link;     /**< XXH3 of the item's normalised link (copies at one address fold); 0 when it has none */
	uint32_t ntitle;   /**< entries of title_words in use */
	uint32_t title_words[FM_FP_TITLE_WORDS]; /**< 32-bit hashes of the headline's distinct words, ascending; a word of 4+ bytes has the top bit set (FM_FP_CONTENT_WORD), so content words come last */
	uint32_t sketch[FM_FP_SKETCH]; /**< the smallest 32-bit 3-gram hashes, ascending */
} fm_fingerprint;

/**
 * Says whether a paragraph (by the XXH3 hash of its normalised text) is a
 * boilerplate line its feed repeats; NULL means none is known.
 */
typedef int (*fm_fp_boiler_cb)(void *ud, uint64_t para_hash);

/**
 * Computes the fingerprint of item from its title and its content (or
 * summary when it has no content). With fp NULL only the callbacks run
 * (learning which paragraphs recur costs a fraction of a fingerprint).
 * @param is_boiler optional; learned boilerplate of the item's feed: asked
 *                  for each paragraph's hash, and for the headline's (hash
 *                  of its normalised text XOR FM_FP_TITLE_SALT: a headline
 *                  the feed repeats marks the item FM_FP_TEMPLATED)
 * @param para_cb   optional; called with the hash of every paragraph that
 *                  survived the fixed rules, and of the headline, so the
 *                  caller can learn which ones recur
 * @return 0 or FM_ENOMEM.
 */
int fm_fingerprint_item(fm_fingerprint *fp, const fm_item *item,
			fm_fp_boiler_cb is_boiler,
			void (*para_cb)(void *ud, uint64_t para_hash), void *ud);

/** An item's text prepared for fingerprinting (paragraphs through the fixed rules, words hashed); opaque. */
typedef struct fm_fp_text fm_fp_text;

/**
 * Prepares item's title and content (or summary) once, so fm_fp_compute()
 * can fingerprint it after the feed's boilerplate has been learnt from it.
 * @param out receives it; free it with fm_fp_text_free()
 * @return 0 or FM_ENOMEM.
 */
int fm_fp_text_new(fm_fp_text **out, const fm_item *item);

/** Frees a prepared text; NULL is fine. */
void fm_fp_text_free(fm_fp_text *t);

/**
 * fm_fingerprint_item() over a prepared text (same arguments and result).
 */
int fm_fp_compute(fm_fingerprint *fp, const fm_fp_text *t, fm_fp_boiler_cb is_boiler,
		  void (*para_cb)(void *ud, uint64_t para_hash), void *ud);

/**
 * Returns the hash up to which fp's sketch holds every shingle hash of its
 * text: its largest entry when the sketch is truncated, else UINT32_MAX
 * (fm_fp_overlap compares two sketches below the smaller of theirs).
 */
static inline uint32_t
fm_fp_sketch_bound(const fm_fingerprint *fp)
{
	return fp->nsketch && fp->nsketch < fp->shingles ? fp->sketch[fp->nsketch - 1] : UINT32_MAX;
}

/**
 * Estimates how much of the shingle sets of a and b they share: of_small
 * |A ∩ B| / min(|A|, |B|), of_large |A ∩ B| / max(|A|, |B|) (exact when
 * both sets fit in a sketch; 0 when either is empty).
 */
void fm_fp_overlap(const fm_fingerprint *a, const fm_fingerprint *b,
		   double *of_small, double *of_large);

/**
 * Counts the headline words a and b share; *jaccard receives shared / words
 * of either (0 when either has none).
 * @return the number of shared words.
 */
unsigned fm_fp_title_overlap(const fm_fingerprint *a, const fm_fingerprint *b, double *jaccard);

/**
 * Estimates |A ∩ B| / min(|A|, |B|) for the shingle sets of a and b from
 * their sketches (exact when both sets fit in a sketch); 0 when either is
 * empty.
 */
double fm_fp_containment(const fm_fingerprint *a, const fm_fingerprint *b);

#endif
