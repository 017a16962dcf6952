/* keys.c - the candidate keys of an item: how it meets its copies. */
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

/* Salts that keep headline keys apart from text keys (and from each other). */
#define SALT_WORD 0x9e3779b9u
#define SALT_WHOLE 0x85ebca6bu
#define SALT_LINK 0x27d4eb2fu

/*
 * Spreads a key over 32 bits, one to one (murmur3's finaliser): a
 * sketch's smallest hashes are all small, and the postings index finds a
 * key fastest when keys are evenly spread.
 */
static uint32_t
spread(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* The key of a whole headline: its distinct words, mixed in order. */
static uint32_t
headline_key(const fm_fingerprint *fp)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t i;

	for (i = 0; i < fp->ntitle; i++) {
		h ^= fp->title_words[i];
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h >> 32) ^ SALT_WHOLE;
}

size_t
fm_dedup_postings(const fm_fingerprint *fp, uint32_t keys[FM_DEDUP_POSTINGS],
		  unsigned kinds[FM_DEDUP_POSTINGS])
{
	size_t n = 0;
	uint32_t i, j, first;

	for (i = 0; i < fp->nsketch && i < FM_DEDUP_TEXT_KEYS; i++) {
		keys[n] = spread(fp->sketch[i]);
		kinds[n++] = FM_DEDUP_KEY_TEXT;
	}
	/*
	 * Pairs of the headline's 3 smallest content-word hashes (words of 4+
	 * bytes; all words when it has fewer than two): one common word
	 * ("coronavirus") or "to ... in" brings no candidates, and two
	 * near-identical headlines most likely share a pair.
	 */
	for (first = 0; first < fp->ntitle && !(fp->title_words[first] & FM_FP_CONTENT_WORD); first++)
		;
	if (fp->ntitle - first < 2)
		first = 0;
	for (i = first; i < fp->ntitle && i < first + 3; i++)
		for (j = i + 1; j < fp->ntitle && j < first + 3; j++) {
			keys[n] = spread((fp->title_words[i] * 0x9E3779B1u + fp->title_words[j]) ^ SALT_WORD);
			kinds[n++] = FM_DEDUP_KEY_HEADLINE;
		}
	if (fp->ntitle) {
		keys[n] = spread(headline_key(fp));
		kinds[n++] = FM_DEDUP_KEY_HEADLINE;
	}
	if (fp->link) {
		keys[n] = spread((uint32_t)(fp->link >> 32) ^ (uint32_t)fp->link ^ SALT_LINK);
		kinds[n++] = FM_DEDUP_KEY_LINK;
	}
	return n;
}

unsigned
fm_dedup_keys(const fm_fingerprint *a, const fm_fingerprint *b, const fm_dedup_params *p)
{
	uint32_t ka[FM_DEDUP_POSTINGS], kb[FM_DEDUP_POSTINGS];
	unsigned ta[FM_DEDUP_POSTINGS], tb[FM_DEDUP_POSTINGS], bits = 0;
	size_t na = fm_dedup_postings(a, ka, ta), nb = fm_dedup_postings(b, kb, tb), i, j;

	if (fm_hamming(a->simhash, b->simhash) <= p->threshold)
		bits |= FM_DEDUP_KEY_LEAD;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (ka[i] == kb[j] && ta[i] == tb[j])
				bits |= ta[i];
	return bits;
}
