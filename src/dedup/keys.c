/* keys.c - the candidate keys of an item: how it meets its copies. */
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

#include <string.h>

/* Salts that keep headline keys apart from text keys (and from each other). */
#define SALT_WORD 0x9e3779b9u
#define SALT_WHOLE 0x85ebca6bu

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
	uint32_t i;

	for (i = 0; i < fp->nsketch && i < FM_DEDUP_TEXT_KEYS; i++) {
		keys[n] = fp->sketch[i];
		kinds[n++] = FM_DEDUP_KEY_TEXT;
	}
	for (i = 0; i < fp->ntitle && i < FM_DEDUP_TITLE_KEYS; i++) {
		keys[n] = fp->title_words[i] ^ SALT_WORD;
		kinds[n++] = FM_DEDUP_KEY_HEADLINE;
	}
	if (fp->ntitle) {
		keys[n] = headline_key(fp);
		kinds[n++] = FM_DEDUP_KEY_HEADLINE;
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
