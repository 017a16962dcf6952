/* postings.c - (key, id) pairs in a chained hash table, 8 bytes a pair. */
#include "feedmerge/postings.h"
#include "feedmerge/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

/*
 * Two parts. The tail: pairs are appended to v in the order they are
 * added; head[slot] holds 1 + the newest pair whose key falls in that
 * slot, and each pair the next older one of its slot (0 ends the chain).
 * Ids are not stored per pair: callers add an item's keys together, so
 * runs[] records where each run of pairs with one id starts, and a pair's
 * id is found by a binary search over the runs -- only for the pairs a
 * query reports. page[] narrows that search: page[b] is the run holding
 * pair b * PX_PAGE, so a pair's run lies between page[b] and page[b + 1].
 *
 * The sorted part: when the tail has grown to a quarter of it, the tail's
 * pairs move there, (key, id) in two arrays ascending by key, found
 * through a directory by the key's top bits. A chain walk misses the cache
 * at every pair (the pairs of one key were added far apart; the walk was
 * most of a query's time at 200,000 items); a key's pairs in the sorted
 * part sit side by side.
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
/* The tail moves into the sorted part once it holds this many pairs and a quarter of the sorted part's. */
#define PX_TAIL_MIN 4096
#define PX_TAIL_SHARE 4
/* Sorted pairs a directory entry covers, about. */
#define PX_DIR_PAIRS 8

struct px_pair {
	uint32_t key;
	uint32_t next; /* 1 + the next older pair of the slot; 0: none */
};

/* px_compact sorts through the tail's pairs as 64-bit words. */
_Static_assert(sizeof(struct px_pair) == sizeof(uint64_t), "a pair is 8 bytes");

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
	uint32_t *skey, *sid;   /* the sorted part: ns pairs ascending by key */
	size_t ns, as;
	uint32_t *dir;          /* dir[b]: the first sorted pair whose key's top dbits bits are at least b */
	size_t adir;
	unsigned dbits;
	uint32_t *scratch;      /* a query's matches, before the cap is known */
	size_t ascratch;
};

static void px_compact(fm_postings *px);
static void px_dir_fill(fm_postings *px);

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
	free(px->skey);
	free(px->sid);
	free(px->dir);
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
	if (px->n > PX_LOAD * px->nhead) { /* rehash threads the new pair too */
		if (px_rehash(px))
			return FM_ENOMEM;
	} else {
		s = px_slot(px, key);
		px->v[px->n - 1].next = px->head[s];
		px->head[s] = (uint32_t)px->n;
	}
	if (px->n >= PX_TAIL_MIN && px->n * PX_TAIL_SHARE >= px->ns)
		px_compact(px);
	return 0;
}

void
fm_postings_retain(fm_postings *px, const uint32_t *remap, size_t nremap)
{
	size_t r, i, m = 0, mruns = 0;

	/* The sorted part keeps its order: keys do not change. */
	for (i = 0; i < px->ns; i++) {
		uint32_t id = px->sid[i];

		if (id >= nremap || remap[id] == UINT32_MAX || (px->cap && px_is_stopped(px, px->skey[i])))
			continue;
		px->skey[m] = px->skey[i];
		px->sid[m++] = remap[id];
	}
	px->ns = m;
	if (px->ns)
		px_dir_fill(px);
	m = 0;

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

/* Points dir at the sorted pairs (the directory is large enough for dbits). */
static void
px_dir_fill(fm_postings *px)
{
	size_t b, i = 0, nb = (size_t)1 << px->dbits;

	for (b = 0; b <= nb; b++) {
		while (i < px->ns && (b == nb || (size_t)(px->skey[i] >> (32 - px->dbits)) < b))
			i++;
		px->dir[b] = (uint32_t)i;
	}
}

/* Sorts v[0..n) by the top 32 bits (a key over an id), two 16-bit LSD passes through tmp. */
static void
px_sort_pairs(uint64_t *v, uint64_t *tmp, size_t n, uint32_t *count)
{
	int pass;
	size_t i, sum;

	for (pass = 0; pass < 2; pass++) {
		unsigned shift = 32 + 16 * (unsigned)pass;
		uint64_t *from = pass ? tmp : v, *to = pass ? v : tmp;

		memset(count, 0, 65536 * sizeof *count);
		for (i = 0; i < n; i++)
			count[(from[i] >> shift) & 0xffff]++;
		for (i = sum = 0; i < 65536; i++) {
			size_t c = count[i];

			count[i] = (uint32_t)sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xffff]++] = from[i];
	}
}

/* Grows the sorted part to hold n pairs (a quarter more, as px_more); returns 0 or FM_ENOMEM. */
static int
px_sorted_reserve(fm_postings *px, size_t n)
{
	size_t a = n + n / 4;
	uint32_t *p;

	if (n <= px->as)
		return 0;
	if (!(p = realloc(px->skey, a * sizeof *p)))
		return FM_ENOMEM;
	px->skey = p;
	if (!(p = realloc(px->sid, a * sizeof *p)))
		return FM_ENOMEM; /* skey is only larger */
	px->sid = p;
	px->as = a;
	return 0;
}

/*
 * Moves the tail's pairs into the sorted part (a stopped key's pairs
 * leave). On ENOMEM nothing changes: the tail only stays longer. The
 * tail's own pair array is the sort's second buffer: it is not needed
 * once its pairs are copied out, and nothing can fail after that.
 */
static void
px_compact(fm_postings *px)
{
	size_t nt = 0, r, i, j, w, total, nd;
	uint64_t *t = malloc(px->n * sizeof *t), *tmp;
	uint32_t *count = malloc(65536 * sizeof *count), *p;
	unsigned dbits;

	if (!t || !count)
		goto out;
	for (r = 0; r < px->nruns; r++) {
		size_t end = r + 1 < px->nruns ? px->runs[r + 1].first : px->n;

		for (i = px->runs[r].first; i < end; i++)
			if (!px->cap || !px_is_stopped(px, px->v[i].key))
				t[nt++] = (uint64_t)px->v[i].key << 32 | px->runs[r].id;
	}
	total = px->ns + nt;
	for (dbits = 1; dbits < 28 && ((size_t)1 << dbits) * PX_DIR_PAIRS < total; dbits++)
		;
	nd = ((size_t)1 << dbits) + 1;
	if (px_sorted_reserve(px, total))
		goto out;
	if (nd > px->adir) {
		if (!(p = realloc(px->dir, nd * sizeof *p)))
			goto out;
		px->dir = p;
		px->adir = nd;
	}
	/* From here on nothing fails: the tail's pairs (8 bytes each, as t's) become scratch. */
	tmp = (uint64_t *)(void *)px->v;
	px_sort_pairs(t, tmp, nt, count);
	/* Merges from the back: the sorted part's own pairs move at most once. */
	for (i = px->ns, j = nt, w = total; j > 0; ) {
		uint32_t tk = (uint32_t)(t[j - 1] >> 32);

		if (i > 0 && px->skey[i - 1] > tk) {
			i--, w--;
			px->skey[w] = px->skey[i];
			px->sid[w] = px->sid[i];
		} else {
			j--, w--;
			px->skey[w] = tk;
			px->sid[w] = (uint32_t)t[j];
		}
	}
	px->ns = total;
	px->dbits = dbits;
	px_dir_fill(px);
	/* The tail starts again, its table as large as it was. */
	px->n = px->nruns = 0;
	memset(px->head, 0, px->nhead * sizeof *px->head);
out:
	free(t);
	free(count);
}

/* The first sorted pair of key and one past its last; equal when it has none. */
static void
px_sorted_range(const fm_postings *px, uint32_t key, size_t *lo, size_t *hi)
{
	size_t b, i, end;

	*lo = *hi = 0;
	if (!px->ns)
		return;
	b = key >> (32 - px->dbits);
	for (i = px->dir[b], end = px->dir[b + 1]; i < end && px->skey[i] < key; i++)
		;
	*lo = i;
	while (i < px->ns && px->skey[i] == key)
		i++;
	*hi = i;
}

size_t
fm_postings_count(const fm_postings *px, uint32_t key)
{
	size_t n = 0;
	uint32_t p;

	size_t lo, hi;

	px_sorted_range(px, key, &lo, &hi);
	n = hi - lo;
	if (!px->nhead)
		return n;
	for (p = px->head[px_slot(px, key)]; p; p = px->v[p - 1].next)
		n += px->v[p - 1].key == key;
	return n;
}

int
fm_postings_query(fm_postings *px, uint32_t key, int (*cb)(void *ud, uint32_t id), void *ud)
{
	size_t n = 0, i, lo, hi;
	uint32_t p;
	int rc;

	if (px->cap && px_is_stopped(px, key))
		return 0;
	px_sorted_range(px, key, &lo, &hi);
	if (px->cap && hi - lo > px->cap)
		return px_stop(px, key); /* more than cap: too common to tell anything */
	for (p = px->nhead ? px->head[px_slot(px, key)] : 0; p; p = px->v[p - 1].next) {
		if (px->v[p - 1].key != key)
			continue;
		if (px->cap && n + (hi - lo) == px->cap)
			return px_stop(px, key);
		if (fm__grow(&px->scratch, &px->ascratch, n, sizeof *px->scratch, 64))
			return FM_ENOMEM;
		px->scratch[n++] = p - 1;
	}
	for (i = lo; i < hi; i++)
		if ((rc = cb(ud, px->sid[i])))
			return rc;
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
	       px->as * (sizeof *px->skey + sizeof *px->sid) + px->adir * sizeof *px->dir +
	       px->ascratch * sizeof *px->scratch +
	       px->astopped * sizeof *px->stopped;
}
