/* postings.c - (key, id) pairs in a chained hash table, 8 bytes a pair. */
#include "feedmerge/postings.h"
#include "feedmerge/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

/*
 * Pairs are appended to v in the order they are added; head[slot] holds
 * 1 + the newest pair whose key falls in that slot, and each pair the
 * next older one of its slot (0 ends the chain). Ids are not stored per
 * pair: callers add an item's keys together, so runs[] records where each
 * run of pairs with one id starts, and a pair's id is found by a binary
 * search over the runs -- only for the pairs a query reports. page[]
 * narrows that search: page[b] is the run holding pair b * PX_PAGE, so a
 * pair's run lies between page[b] and page[b + 1], a few runs apart,
 * instead of anywhere among the window's hundreds of thousands (whose
 * search missed the cache at every step: half a query's time at 200,000
 * items).
 *
 * An index made with a cap stops a key once a query finds it under more
 * than cap ids (common to too many items to tell anything): the key goes
 * into a small set, its queries end at once and its adds are dropped. Keys
 * only gain ids while an index lives (but for fm_postings_retain, after
 * which a stopped key stays stopped), so a stopped key would never answer
 * again anyway; stopping it spares walking its chain on every query.
 */
/* Pairs per slot at most before the table doubles: chains stay short, the table small. */
#define PX_LOAD 2
/* Pairs a page of the run index covers (a power of two; 4 bytes a page). */
#define PX_PAGE_BITS 5
#define PX_PAGE ((size_t)1 << PX_PAGE_BITS)

struct px_pair {
	uint32_t key;
	uint32_t next; /* 1 + the next older pair of the slot; 0: none */
};

struct px_idrun {
	uint32_t first; /* index of its first pair */
	uint32_t id;
};

struct fm_postings {
	size_t cap;             /* 0: no limit */
	uint32_t *stopped;      /* open-addressed set of stopped keys (0 empty: key 0 is stop0) */
	size_t nstopped, astopped;
	int stop0;
	uint32_t *head;
	size_t nhead;           /* a power of two; at least the pairs over PX_LOAD */
	struct px_pair *v;
	size_t n, a;
	struct px_idrun *runs;
	size_t nruns, aruns;
	uint32_t *page;         /* page[b]: the run holding pair b * PX_PAGE */
	size_t apage;
	uint32_t *scratch;      /* a query's matches, before the cap is known */
	size_t ascratch;
};

int
fm_postings_new(fm_postings **out, size_t cap)
{
	if (!(*out = calloc(1, sizeof **out)))
		return FM_ENOMEM;
	(*out)->cap = cap;
	return 0;
}

void
fm_postings_free(fm_postings *px)
{
	if (!px)
		return;
	free(px->stopped);
	free(px->head);
	free(px->v);
	free(px->runs);
	free(px->page);
	free(px->scratch);
	free(px);
}

/*
 * Grows an array of *cap elements of size bytes by a quarter (the pairs
 * are most of the index's memory: doubling would leave up to half of it
 * unused). Returns 0 or FM_ENOMEM, the array untouched.
 */
static int
px_more(void **v, size_t *cap, size_t size)
{
	size_t n = *cap + *cap / 4 + 1024;
	void *p = realloc(*v, n * size);

	if (!p)
		return FM_ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

/* A key mixed (keys need not be evenly spread). */
static inline size_t
px_mix(uint32_t key)
{
	return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32);
}

/* The slot of key in the table. */
static size_t
px_slot(const fm_postings *px, uint32_t key)
{
	return px_mix(key) & (px->nhead - 1);
}

/* The slot of key in the stopped set: it, or the empty slot it would take. */
static size_t
px_stop_slot(const fm_postings *px, uint32_t key)
{
	size_t i = px_mix(key) & (px->astopped - 1);

	while (px->stopped[i] && px->stopped[i] != key)
		i = (i + 1) & (px->astopped - 1);
	return i;
}

/* Returns 1 when key was stopped. */
static int
px_is_stopped(const fm_postings *px, uint32_t key)
{
	if (!key)
		return px->stop0;
	return px->nstopped && px->stopped[px_stop_slot(px, key)] == key;
}

/* Stops key; returns 0 or FM_ENOMEM. */
static int
px_stop(fm_postings *px, uint32_t key)
{
	size_t i;

	if (!key) {
		px->stop0 = 1;
		return 0;
	}
	if (2 * (px->nstopped + 1) > px->astopped) {
		uint32_t *old = px->stopped;
		size_t n = px->astopped, k;

		if (!(px->stopped = calloc(n ? 2 * n : 64, sizeof *px->stopped))) {
			px->stopped = old;
			return FM_ENOMEM;
		}
		px->astopped = n ? 2 * n : 64;
		for (k = 0; k < n; k++)
			if (old[k])
				px->stopped[px_stop_slot(px, old[k])] = old[k];
		free(old);
	}
	i = px_stop_slot(px, key);
	px->nstopped += !px->stopped[i];
	px->stopped[i] = key;
	return 0;
}

/* Doubles the table and threads every pair into it again, oldest first. */
static int
px_rehash(fm_postings *px)
{
	size_t n = px->nhead ? px->nhead * 2 : 1024, i;
	uint32_t *head = calloc(n, sizeof *head);

	if (!head)
		return FM_ENOMEM;
	free(px->head);
	px->head = head;
	px->nhead = n;
	for (i = 0; i < px->n; i++) {
		size_t s = px_slot(px, px->v[i].key);

		px->v[i].next = head[s];
		head[s] = (uint32_t)i + 1;
	}
	return 0;
}

int
fm_postings_add(fm_postings *px, uint32_t key, uint32_t id)
{
	size_t s;

	if (px->cap && px_is_stopped(px, key))
		return 0;
	if (px->n >= UINT32_MAX - 1)
		return FM_ENOMEM;
	if (px->n == px->a && px_more((void **)&px->v, &px->a, sizeof *px->v))
		return FM_ENOMEM;
	if (px->n >> PX_PAGE_BITS == px->apage && px_more((void **)&px->page, &px->apage, sizeof *px->page))
		return FM_ENOMEM;
	if (!px->nruns || px->runs[px->nruns - 1].id != id) {
		if (px->nruns == px->aruns && px_more((void **)&px->runs, &px->aruns, sizeof *px->runs))
			return FM_ENOMEM;
		px->runs[px->nruns].first = (uint32_t)px->n;
		px->runs[px->nruns++].id = id;
	}
	if (!(px->n & (PX_PAGE - 1)))
		px->page[px->n >> PX_PAGE_BITS] = (uint32_t)(px->nruns - 1);
	px->v[px->n].key = key;
	px->v[px->n].next = 0;
	px->n++;
	if (px->n > PX_LOAD * px->nhead) /* rehash threads the new pair too */
		return px_rehash(px);
	s = px_slot(px, key);
	px->v[px->n - 1].next = px->head[s];
	px->head[s] = (uint32_t)px->n;
	return 0;
}

void
fm_postings_retain(fm_postings *px, const uint32_t *remap, size_t nremap)
{
	size_t r, i, m = 0, mruns = 0;

	for (r = 0; r < px->nruns; r++) {
		size_t first = px->runs[r].first, end = r + 1 < px->nruns ? px->runs[r + 1].first : px->n;
		uint32_t id = px->runs[r].id;

		if (id >= nremap || remap[id] == UINT32_MAX)
			continue;
		if (!mruns || px->runs[mruns - 1].id != remap[id]) { /* else it joins the run before */
			px->runs[mruns].first = (uint32_t)m;
			px->runs[mruns++].id = remap[id];
		}
		for (i = first; i < end; i++) {
			if (px->cap && px_is_stopped(px, px->v[i].key))
				continue; /* a stopped key's pairs go too */
			if (!(m & (PX_PAGE - 1))) /* pages only get fewer: page[] is large enough */
				px->page[m >> PX_PAGE_BITS] = (uint32_t)(mruns - 1);
			px->v[m++].key = px->v[i].key;
		}
		if (m == px->runs[mruns - 1].first)
			mruns--; /* all its pairs went */
	}
	px->n = m;
	px->nruns = mruns;
	/* Threads the chains again in the table there is (no allocation: nothing can fail). */
	if (px->nhead)
		memset(px->head, 0, px->nhead * sizeof *px->head);
	for (i = 0; i < px->n; i++) {
		size_t s = px_slot(px, px->v[i].key);

		px->v[i].next = px->head[s];
		px->head[s] = (uint32_t)i + 1;
	}
}

/* The id of pair i: that of the run of pairs it lies in. */
static uint32_t
px_id(const fm_postings *px, size_t i)
{
	size_t b = i >> PX_PAGE_BITS;
	size_t lo = px->page[b];
	size_t hi = ((b + 1) << PX_PAGE_BITS) < px->n ? (size_t)px->page[b + 1] + 1 : px->nruns;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (px->runs[mid].first <= i)
			lo = mid;
		else
			hi = mid;
	}
	return px->runs[lo].id;
}

size_t
fm_postings_count(const fm_postings *px, uint32_t key)
{
	size_t n = 0;
	uint32_t p;

	if (!px->nhead)
		return 0;
	for (p = px->head[px_slot(px, key)]; p; p = px->v[p - 1].next)
		n += px->v[p - 1].key == key;
	return n;
}

int
fm_postings_query(fm_postings *px, uint32_t key, int (*cb)(void *ud, uint32_t id), void *ud)
{
	size_t n = 0, i;
	uint32_t p;
	int rc;

	if (!px->nhead || (px->cap && px_is_stopped(px, key)))
		return 0;
	for (p = px->head[px_slot(px, key)]; p; p = px->v[p - 1].next) {
		if (px->v[p - 1].key != key)
			continue;
		if (px->cap && n == px->cap)
			return px_stop(px, key); /* more than cap: too common to tell anything */
		if (fm__grow(&px->scratch, &px->ascratch, n, sizeof *px->scratch, 64))
			return FM_ENOMEM;
		px->scratch[n++] = p - 1;
	}
	for (i = 0; i < n; i++)
		if ((rc = cb(ud, px_id(px, px->scratch[i]))))
			return rc;
	return 0;
}

size_t
fm_postings_memory(const fm_postings *px)
{
	return sizeof *px + px->nhead * sizeof *px->head + px->a * sizeof *px->v +
	       px->aruns * sizeof *px->runs + px->apage * sizeof *px->page +
	       px->ascratch * sizeof *px->scratch +
	       px->astopped * sizeof *px->stopped;
}
