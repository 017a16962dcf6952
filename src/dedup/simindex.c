/* simindex.c - exact Hamming-distance search over 64-bit fingerprints. */
#include "feedmerge/simindex.h"
#include "feedmerge/error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Fingerprints added since the last build are scanned; past IX_PENDING
 * they become a run: tables over a contiguous range of positions. Runs of
 * similar size merge (a binary counter, as in a log-structured merge), so
 * each fingerprint is rebuilt O(log n) times and a query visits O(log n)
 * runs. The scan is half a query's time at 2048 (k = 5, 22,000 items):
 * at 1024, query + add runs 1.4x faster there and 1.1x at 200,000
 * (simindex-bench; 256 and 512 gain no more and lose at 200,000).
 */
#define IX_PENDING 1024
#define IX_MAX_RUNS 40
#define IX_MAX_TABLES ((FM_SIMINDEX_MAX_K + 2) * (FM_SIMINDEX_MAX_K + 1) / 2)

/* One table of a run: its fingerprints ordered by the bits of two blocks. */
struct ix_table {
	uint32_t *pos;     /* positions into fps, grouped by bucket */
	uint32_t *dir;     /* bucket i is pos[dir[i] .. dir[i + 1]) */
};

/* A run: one table per pair of blocks over fps[lo .. hi). */
struct ix_run {
	size_t lo, hi;
	int dbits;         /* bucket bits */
	struct ix_table *tables;
};

struct fm_simindex {
	int k, nblocks, ntables;
	int shift[FM_SIMINDEX_MAX_K + 2];   /* where each block starts */
	uint64_t mask[FM_SIMINDEX_MAX_K + 2]; /* its bits, in place */
	int width[FM_SIMINDEX_MAX_K + 2];   /* how many */
	int pair_a[(FM_SIMINDEX_MAX_K + 2) * (FM_SIMINDEX_MAX_K + 1) / 2]; /* table t's blocks */
	int pair_b[(FM_SIMINDEX_MAX_K + 2) * (FM_SIMINDEX_MAX_K + 1) / 2];
	int maxbits;       /* fewest key bits of any table */
	struct ix_run runs[IX_MAX_RUNS];
	int nruns;
	uint64_t *fps;
	uint32_t *ids;     /* NULL while every id equals its position (the clusterer's) */
	size_t n, alloc;
	size_t sorted;     /* fps[0 .. sorted) are in runs; the rest is scanned */
};

int
fm_simindex_new(fm_simindex **out, int k)
{
	fm_simindex *ix;
	int i, j, t = 0, start = 0;

	*out = NULL;
	if (k < 0 || k > FM_SIMINDEX_MAX_K)
		return FM_EINVAL;
	if (!(ix = calloc(1, sizeof *ix)))
		return FM_ENOMEM;
	ix->k = k;
	ix->nblocks = k + 2;
	ix->ntables = ix->nblocks * (ix->nblocks - 1) / 2;
	for (i = 0; i < ix->nblocks; i++) {
		int w = 64 / ix->nblocks + (i < 64 % ix->nblocks);

		ix->shift[i] = start;
		ix->width[i] = w;
		ix->mask[i] = (w == 64 ? ~0ull : ((1ull << w) - 1)) << start;
		start += w;
	}
	ix->maxbits = 64;
	for (i = 0; i < ix->nblocks; i++)
		for (j = i + 1; j < ix->nblocks; j++) {
			int bits = ix->width[i] + ix->width[j];

			ix->pair_a[t] = i;
			ix->pair_b[t] = j;
			ix->maxbits = bits < ix->maxbits ? bits : ix->maxbits;
			t++;
		}
	*out = ix;
	return 0;
}

/* Frees a run's tables. */
static void
ix_run_free(const fm_simindex *ix, struct ix_run *r)
{
	int t;

	for (t = 0; r->tables && t < ix->ntables; t++) {
		free(r->tables[t].pos);
		free(r->tables[t].dir);
	}
	free(r->tables);
	r->tables = NULL;
}

void
fm_simindex_free(fm_simindex *ix)
{
	int r;

	if (!ix)
		return;
	for (r = 0; r < ix->nruns; r++)
		ix_run_free(ix, &ix->runs[r]);
	free(ix->fps);
	free(ix->ids);
	free(ix);
}

/* The bucket of fp in table t: the top dbits of its two blocks' bits. */
static inline uint32_t
ix_bucket(const fm_simindex *ix, int t, int dbits, uint64_t fp)
{
	int a = ix->pair_a[t], b = ix->pair_b[t];
	uint64_t key = ((fp & ix->mask[a]) >> ix->shift[a]) << ix->width[b] |
		       (fp & ix->mask[b]) >> ix->shift[b];

	return (uint32_t)(key >> (ix->width[a] + ix->width[b] - dbits));
}

/* The id of the fingerprint at position i. */
static inline uint32_t
ix_id(const fm_simindex *ix, size_t i)
{
	return ix->ids ? ix->ids[i] : (uint32_t)i;
}

/*
 * Builds run r's tables over fps[lo .. hi) (a counting sort per table).
 * With a and b (the runs r replaces), each of their tables is freed as soon
 * as r's is built: a merge then needs one table's room, not a whole run's.
 */
static int
ix_build(fm_simindex *ix, struct ix_run *r, size_t lo, size_t hi, struct ix_run *a, struct ix_run *b)
{
	size_t n = hi - lo, nb, i;
	int t, dbits = 1;

	/* About 4 fingerprints per bucket, and never more buckets than key bits allow. */
	while (dbits < ix->maxbits && ((size_t)1 << dbits) < n / 4)
		dbits++;
	nb = (size_t)1 << dbits;
	if (!(r->tables = calloc((size_t)ix->ntables, sizeof *r->tables)))
		return FM_ENOMEM;
	r->lo = lo;
	r->hi = hi;
	r->dbits = dbits;
	for (t = 0; t < ix->ntables; t++) {
		struct ix_table *tb = &r->tables[t];

		tb->pos = malloc(n * sizeof *tb->pos);
		tb->dir = calloc(nb + 1, sizeof *tb->dir);
		if (!tb->pos || !tb->dir)
			return FM_ENOMEM;
		for (i = lo; i < hi; i++)
			tb->dir[ix_bucket(ix, t, dbits, ix->fps[i]) + 1]++;
		for (i = 0; i < nb; i++)
			tb->dir[i + 1] += tb->dir[i];
		for (i = lo; i < hi; i++)
			tb->pos[tb->dir[ix_bucket(ix, t, dbits, ix->fps[i])]++] = (uint32_t)i;
		/* The fill moved each start to the next bucket's: shift back. */
		memmove(tb->dir + 1, tb->dir, nb * sizeof *tb->dir);
		tb->dir[0] = 0;
		if (a && b) {
			free(a->tables[t].pos);
			free(a->tables[t].dir);
			free(b->tables[t].pos);
			free(b->tables[t].dir);
			a->tables[t].pos = a->tables[t].dir = b->tables[t].pos = b->tables[t].dir = NULL;
		}
	}
	return 0;
}

/* Turns the scanned tail into a run, then merges runs of similar size. */
static int
ix_flush(fm_simindex *ix)
{
	struct ix_run merged;
	int rc;

	memset(&merged, 0, sizeof merged);
	if ((rc = ix_build(ix, &merged, ix->sorted, ix->n, NULL, NULL))) {
		ix_run_free(ix, &merged);
		return rc;
	}
	ix->runs[ix->nruns++] = merged;
	ix->sorted = ix->n;
	while (ix->nruns >= 2) {
		struct ix_run *a = &ix->runs[ix->nruns - 2], *b = &ix->runs[ix->nruns - 1];

		if (a->hi - a->lo > 8 * (b->hi - b->lo) && ix->nruns < IX_MAX_RUNS)
			break;
		memset(&merged, 0, sizeof merged);
		if ((rc = ix_build(ix, &merged, a->lo, b->hi, a, b))) {
			/* a and b lost tables: their fingerprints go back to the scanned tail. */
			ix_run_free(ix, &merged);
			ix_run_free(ix, a);
			ix_run_free(ix, b);
			ix->sorted = a->lo;
			ix->nruns -= 2;
			return rc;
		}
		ix_run_free(ix, a);
		ix_run_free(ix, b);
		*a = merged;
		ix->nruns--;
	}
	return 0;
}

/* Gives the index an ids array (positions so far): an id that is not its position came. */
static int
ix_ids(fm_simindex *ix)
{
	size_t i;

	if (!(ix->ids = malloc((ix->alloc ? ix->alloc : 1) * sizeof *ix->ids)))
		return FM_ENOMEM;
	for (i = 0; i < ix->n; i++)
		ix->ids[i] = (uint32_t)i;
	return 0;
}

int
fm_simindex_add(fm_simindex *ix, uint64_t fp, uint32_t id)
{
	if (ix->n >= UINT32_MAX)
		return FM_ENOMEM;
	if (ix->n == ix->alloc) {
		size_t a = ix->alloc ? ix->alloc * 2 : 1024;
		uint64_t *fps = realloc(ix->fps, a * sizeof *fps);
		uint32_t *ids;

		if (!fps)
			return FM_ENOMEM;
		ix->fps = fps;
		if (ix->ids) {
			if (!(ids = realloc(ix->ids, a * sizeof *ids)))
				return FM_ENOMEM;
			ix->ids = ids;
		}
		ix->alloc = a;
	}
	if (!ix->ids && id != ix->n && ix_ids(ix))
		return FM_ENOMEM;
	ix->fps[ix->n] = fp;
	if (ix->ids)
		ix->ids[ix->n] = id;
	ix->n++;
	return ix->n - ix->sorted >= IX_PENDING ? ix_flush(ix) : 0;
}

int
fm_simindex_retain(fm_simindex *ix, const uint32_t *remap, size_t nremap)
{
	size_t i, m = 0;
	int r;

	/* Ids stay positions when the survivors are numbered in order (the clusterer's). */
	for (i = 0; i < ix->n && !ix->ids; i++) {
		uint32_t id = ix_id(ix, i);

		if (id < nremap && remap[id] != UINT32_MAX && remap[id] != m++ && ix_ids(ix))
			return FM_ENOMEM;
	}
	for (r = 0; r < ix->nruns; r++)
		ix_run_free(ix, &ix->runs[r]);
	ix->nruns = 0;
	for (i = m = 0; i < ix->n; i++) {
		uint32_t id = ix_id(ix, i);

		if (id >= nremap || remap[id] == UINT32_MAX)
			continue;
		ix->fps[m] = ix->fps[i];
		if (ix->ids)
			ix->ids[m] = remap[id];
		m++;
	}
	ix->n = m;
	ix->sorted = 0;
	/*
	 * One run over what stays (the pending tail stays under IX_PENDING).
	 * Without room for it, the scan still answers, and the next add
	 * builds it again.
	 */
	if (ix->n >= IX_PENDING)
		(void)ix_flush(ix);
	return 0;
}

/* Returns 1 when table t is the first (in table order) whose two blocks agree where x has no bits. */
static int
ix_first_table(const fm_simindex *ix, int t, uint64_t x)
{
	int i, first = -1;

	for (i = 0; i < ix->nblocks; i++) {
		if (x & ix->mask[i])
			continue;
		if (first < 0)
			first = i;
		else
			return first == ix->pair_a[t] && i == ix->pair_b[t];
	}
	return 0;
}

/*
 * The query is all popcounts: on x86-64 a clone for CPUs with the POPCNT
 * instruction is picked at load time (the baseline ISA lacks it).
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
int
fm_simindex_query(fm_simindex *ix, uint64_t fp, int (*cb)(void *ud, uint32_t id, int dist), void *ud)
{
	size_t i;
	int r, t, rc;

	for (r = 0; r < ix->nruns; r++) {
		const struct ix_run *run = &ix->runs[r];
		uint32_t bucket[IX_MAX_TABLES], from[IX_MAX_TABLES], to[IX_MAX_TABLES];

		/*
		 * Three steps over the run's tables, each starting the next
		 * step's loads: the tables' buckets lie far apart in memory,
		 * and looked up one after another each waited for its own.
		 */
		for (t = 0; t < ix->ntables; t++) {
			bucket[t] = ix_bucket(ix, t, run->dbits, fp);
			__builtin_prefetch(&run->tables[t].dir[bucket[t]]);
		}
		for (t = 0; t < ix->ntables; t++) {
			from[t] = run->tables[t].dir[bucket[t]];
			to[t] = run->tables[t].dir[bucket[t] + 1];
			if (from[t] < to[t])
				__builtin_prefetch(&ix->fps[run->tables[t].pos[from[t]]]);
		}
		for (t = 0; t < ix->ntables; t++) {
			const struct ix_table *tb = &run->tables[t];
			uint32_t j, end = to[t];

			for (j = from[t]; j < end; j++) {
				uint64_t x = ix->fps[tb->pos[j]] ^ fp;
				int d = __builtin_popcountll(x);

				/* Found in several tables: report it from the first that holds it. */
				if (d <= ix->k && ix_first_table(ix, t, x) &&
				    (rc = cb(ud, ix_id(ix, tb->pos[j]), d)))
					return rc;
			}
		}
	}
	for (i = ix->sorted; i < ix->n; i++) {
		int d = __builtin_popcountll(ix->fps[i] ^ fp);

		if (d <= ix->k && (rc = cb(ud, ix_id(ix, i), d)))
			return rc;
	}
	return 0;
}

size_t
fm_simindex_count(const fm_simindex *ix)
{
	return ix->n;
}

size_t
fm_simindex_memory(const fm_simindex *ix)
{
	size_t bytes = sizeof *ix + ix->alloc * (sizeof *ix->fps + (ix->ids ? sizeof *ix->ids : 0));
	int r;

	for (r = 0; r < ix->nruns; r++)
		bytes += (size_t)ix->ntables * (sizeof(struct ix_table) +
			 (ix->runs[r].hi - ix->runs[r].lo) * sizeof(uint32_t) +
			 (((size_t)1 << ix->runs[r].dbits) + 1) * sizeof(uint32_t));
	return bytes;
}
