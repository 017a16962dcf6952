/* postings.c - (key, id) pairs in sorted runs merged as a binary counter. */
#include "feedmerge/postings.h"
#include "feedmerge/error.h"

#include <stdlib.h>
#include <string.h>

/* Pairs added since the last run was made are scanned; past this they are sorted into a run. */
#define PX_PENDING 256
/* Runs at most: sizes at least double from the newest to the oldest, so 2^40 pairs fit. */
#define PX_MAX_RUNS 40

/* One sorted run of pairs (key << 32 | id). */
struct px_run {
	uint64_t *v;
	size_t n;
};

struct fm_postings {
	struct px_run runs[PX_MAX_RUNS]; /* oldest (largest) first */
	int nruns;
	uint64_t pending[PX_PENDING];
	size_t npending;
};

int
fm_postings_new(fm_postings **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : FM_ENOMEM;
}

void
fm_postings_free(fm_postings *px)
{
	int i;

	if (!px)
		return;
	for (i = 0; i < px->nruns; i++)
		free(px->runs[i].v);
	free(px);
}

/* qsort order of pairs. */
static int
px_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Merges the two newest runs into one. */
static int
px_merge_last(fm_postings *px)
{
	struct px_run *a = &px->runs[px->nruns - 2], *b = &px->runs[px->nruns - 1];
	uint64_t *v = malloc((a->n + b->n) * sizeof *v);
	size_t i = 0, j = 0, k = 0;

	if (!v)
		return FM_ENOMEM;
	while (i < a->n && j < b->n)
		v[k++] = a->v[i] <= b->v[j] ? a->v[i++] : b->v[j++];
	while (i < a->n)
		v[k++] = a->v[i++];
	while (j < b->n)
		v[k++] = b->v[j++];
	free(a->v);
	free(b->v);
	a->v = v;
	a->n = k;
	px->nruns--;
	return 0;
}

/* Sorts the pending pairs into a run, then merges runs of like size. */
static int
px_flush(fm_postings *px)
{
	struct px_run *r;

	if (px->nruns == PX_MAX_RUNS)
		return FM_ENOMEM; /* unreachable: the sizes double */
	r = &px->runs[px->nruns];
	if (!(r->v = malloc(px->npending * sizeof *r->v)))
		return FM_ENOMEM;
	memcpy(r->v, px->pending, px->npending * sizeof *r->v);
	qsort(r->v, px->npending, sizeof *r->v, px_cmp);
	r->n = px->npending;
	px->nruns++;
	px->npending = 0;
	while (px->nruns >= 2 && px->runs[px->nruns - 2].n <= 2 * px->runs[px->nruns - 1].n)
		if (px_merge_last(px))
			return FM_ENOMEM;
	return 0;
}

int
fm_postings_add(fm_postings *px, uint32_t key, uint32_t id)
{
	int rc;

	if (px->npending == PX_PENDING && (rc = px_flush(px)))
		return rc;
	px->pending[px->npending++] = (uint64_t)key << 32 | id;
	return 0;
}

/* The first position of run r whose key is at least key. */
static size_t
px_lower(const struct px_run *r, uint32_t key)
{
	uint64_t want = (uint64_t)key << 32;
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
fm_postings_count(const fm_postings *px, uint32_t key)
{
	size_t n = 0, i, j;
	int r;

	for (r = 0; r < px->nruns; r++)
		for (j = px_lower(&px->runs[r], key); j < px->runs[r].n && px->runs[r].v[j] >> 32 == key; j++)
			n++;
	for (i = 0; i < px->npending; i++)
		n += px->pending[i] >> 32 == key;
	return n;
}

int
fm_postings_query(const fm_postings *px, uint32_t key, int (*cb)(void *ud, uint32_t id), void *ud)
{
	size_t i, j;
	int r, rc;

	for (r = 0; r < px->nruns; r++) {
		const struct px_run *run = &px->runs[r];

		for (j = px_lower(run, key); j < run->n && run->v[j] >> 32 == key; j++)
			if ((rc = cb(ud, (uint32_t)run->v[j])))
				return rc;
	}
	for (i = 0; i < px->npending; i++)
		if (px->pending[i] >> 32 == key && (rc = cb(ud, (uint32_t)px->pending[i])))
			return rc;
	return 0;
}

size_t
fm_postings_memory(const fm_postings *px)
{
	size_t n = sizeof *px;
	int r;

	for (r = 0; r < px->nruns; r++)
		n += px->runs[r].n * sizeof *px->runs[r].v;
	return n;
}
