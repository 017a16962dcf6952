/* candidates.c - the candidate keys of every item in the window, indexed. */
#include "feedmerge/candidates.h"
#include "feedmerge/dedup.h"
#include "feedmerge/error.h"
#include "feedmerge/postings.h"
#include "feedmerge/simindex.h"
#include "util/grow.h"

#include <stdlib.h>

struct fm_candidates {
	fm_simindex *lead;   /* lead SimHashes */
	fm_postings *keys;   /* text and headline keys, capped */
	fm_postings *links;  /* link keys: every copy at one address, however many */
	uint64_t *hits;      /* a query's finds: id << 4 | key bit, repeats too (scratch) */
	size_t nhits, ahits;
	unsigned kind;       /* the FM_DEDUP_KEY_* of the key being looked up */
	int rc;
};

int
fm_candidates_new(fm_candidates **out, int threshold, size_t key_cap)
{
	fm_candidates *ci;
	int rc;

	*out = NULL;
	if (!(ci = calloc(1, sizeof *ci)))
		return FM_ENOMEM;
	if ((rc = fm_simindex_new(&ci->lead, threshold)) || (rc = fm_postings_new(&ci->keys, key_cap)) ||
	    (rc = fm_postings_new(&ci->links, 0))) {
		fm_candidates_free(ci);
		return rc;
	}
	*out = ci;
	return 0;
}

void
fm_candidates_free(fm_candidates *ci)
{
	if (!ci)
		return;
	fm_simindex_free(ci->lead);
	fm_postings_free(ci->keys);
	fm_postings_free(ci->links);
	free(ci->hits);
	free(ci);
}

int
fm_candidates_add(fm_candidates *ci, const fm_fingerprint *fp, uint32_t id)
{
	uint32_t keys[FM_DEDUP_POSTINGS];
	unsigned kinds[FM_DEDUP_POSTINGS];
	size_t n = fm_dedup_postings(fp, keys, kinds), i;
	int rc;

	if ((rc = fm_simindex_add(ci->lead, fp->simhash, id)))
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = fm_postings_add(kinds[i] == FM_DEDUP_KEY_LINK ? ci->links : ci->keys, keys[i], id)))
			return rc;
	return 0;
}

int
fm_candidates_retain(fm_candidates *ci, const uint32_t *remap, size_t nremap)
{
	int rc;

	if ((rc = fm_simindex_retain(ci->lead, remap, nremap)))
		return rc; /* nothing changed */
	fm_postings_retain(ci->keys, remap, nremap);
	fm_postings_retain(ci->links, remap, nremap);
	return 0;
}

/* Notes that id was found by a key of kind bit. */
static int
ci_note(fm_candidates *ci, uint32_t id, unsigned bit)
{
	if (fm__grow(&ci->hits, &ci->ahits, ci->nhits, sizeof *ci->hits, 256))
		return ci->rc = FM_ENOMEM;
	ci->hits[ci->nhits++] = (uint64_t)id << 4 | bit;
	return 0;
}

/* Lead index callback. */
static int
ci_lead_hit(void *ud, uint32_t id, int dist)
{
	(void)dist;
	return ci_note(ud, id, FM_DEDUP_KEY_LEAD);
}

/* Postings callback: a find of the key being looked up. */
static int
ci_key_hit(void *ud, uint32_t id)
{
	fm_candidates *ci = ud;

	return ci_note(ci, id, ci->kind);
}

/* qsort order of hits. */
static int
ci_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
fm_candidates_query(fm_candidates *ci, const fm_fingerprint *fp,
		    int (*cb)(void *ud, uint32_t id, unsigned keys), void *ud)
{
	uint32_t keys[FM_DEDUP_POSTINGS];
	unsigned kinds[FM_DEDUP_POSTINGS], bits;
	size_t n = fm_dedup_postings(fp, keys, kinds), i, j;
	int rc = 0;

	ci->nhits = 0;
	ci->rc = 0;
	fm_simindex_query(ci->lead, fp->simhash, ci_lead_hit, ci);
	for (i = 0; i < n && !ci->rc; i++) {
		ci->kind = kinds[i];
		if ((rc = fm_postings_query(kinds[i] == FM_DEDUP_KEY_LINK ? ci->links : ci->keys, keys[i],
					    ci_key_hit, ci)) && !ci->rc)
			ci->rc = rc;
	}
	if (ci->rc || !ci->nhits)
		return ci->rc;
	qsort(ci->hits, ci->nhits, sizeof *ci->hits, ci_cmp);
	for (i = 0; i < ci->nhits && !rc; i = j) {
		for (bits = 0, j = i; j < ci->nhits && ci->hits[j] >> 4 == ci->hits[i] >> 4; j++)
			bits |= (unsigned)(ci->hits[j] & 15);
		rc = cb(ud, (uint32_t)(ci->hits[i] >> 4), bits);
	}
	return rc;
}

size_t
fm_candidates_memory(const fm_candidates *ci)
{
	return sizeof *ci + fm_simindex_memory(ci->lead) + fm_postings_memory(ci->keys) +
	       fm_postings_memory(ci->links) +
	       ci->ahits * sizeof *ci->hits;
}
