/* test_simindex.c - the Hamming index finds exactly what a scan finds. */
#include "feedmerge/error.h"
#include "feedmerge/simindex.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

/* Flips d distinct random bits of fp. */
static uint64_t
flip(uint64_t fp, int d, uint64_t *s)
{
	uint64_t done = 0;

	while (__builtin_popcountll(done) < d)
		done |= 1ull << (rnd(s) % 64);
	return fp ^ done;
}

/* What a query reported: a count per id and the sum of distances. */
struct hits {
	unsigned char *seen;
	size_t n, dist_sum;
};

/* Query callback: records one hit. */
static int
record(void *ud, uint32_t id, int dist)
{
	struct hits *h = ud;

	h->seen[id]++;
	h->n++;
	h->dist_sum += (size_t)dist;
	return 0;
}

/* Builds n fingerprints (half near earlier ones), adds them, checks every query against a scan. */
static void
check_against_scan(int k, size_t n, uint64_t seed, int query_while_adding)
{
	fm_simindex *ix;
	uint64_t *fps = malloc(n * sizeof *fps), s = seed;
	struct hits h = { calloc(n, 1), 0, 0 };
	size_t i, j;

	cr_assert_not_null(fps);
	cr_assert_eq(fm_simindex_new(&ix, k), 0);
	for (i = 0; i < n; i++) {
		fps[i] = i && rnd(&s) % 2 ? flip(fps[rnd(&s) % i], (int)(rnd(&s) % (size_t)(k + 3)), &s)
					  : rnd(&s);
		cr_assert_eq(fm_simindex_add(ix, fps[i], (uint32_t)i), 0);
		if (query_while_adding && i % 97 == 0) {
			uint64_t q = flip(fps[i], (int)(rnd(&s) % (size_t)(k + 2)), &s);
			size_t want = 0;

			memset(h.seen, 0, n);
			h.n = 0;
			fm_simindex_query(ix, q, record, &h);
			for (j = 0; j <= i; j++) {
				int in = fm_hamming(fps[j], q) <= k;

				want += (size_t)in;
				cr_assert_eq(h.seen[j], in, "k=%d id %zu: seen %d times, within %d", k, j,
					     h.seen[j], in);
			}
			cr_assert_eq(h.n, want);
		}
	}
	cr_expect_eq(fm_simindex_count(ix), n);
	for (i = 0; i < 300; i++) {
		uint64_t q = i % 3 ? flip(fps[rnd(&s) % n], (int)(rnd(&s) % (size_t)(k + 3)), &s) : rnd(&s);
		size_t want = 0, dsum = 0;

		memset(h.seen, 0, n);
		h.n = h.dist_sum = 0;
		fm_simindex_query(ix, q, record, &h);
		for (j = 0; j < n; j++) {
			int d = fm_hamming(fps[j], q);

			cr_assert_eq(h.seen[j], d <= k, "k=%d id %zu at distance %d seen %d times", k, j, d,
				     h.seen[j]);
			if (d <= k) {
				want++;
				dsum += (size_t)d;
			}
		}
		cr_assert_eq(h.n, want);
		cr_assert_eq(h.dist_sum, dsum);
	}
	fm_simindex_free(ix);
	free(h.seen);
	free(fps);
}

Test(simindex, equals_a_scan_for_every_k)
{
	int k;

	for (k = 0; k <= FM_SIMINDEX_MAX_K; k++)
		check_against_scan(k, 5000, 42 + (uint64_t)k, 0);
}

Test(simindex, equals_a_scan_while_growing)
{
	check_against_scan(5, 20000, 7, 1);
	check_against_scan(7, 3000, 8, 1);
}

Test(simindex, empty_and_tiny)
{
	fm_simindex *ix;
	struct hits h = { calloc(4, 1), 0, 0 };

	cr_assert_eq(fm_simindex_new(&ix, 3), 0);
	cr_expect_eq(fm_simindex_query(ix, 0, record, &h), 0);
	cr_expect_eq(h.n, 0);
	cr_assert_eq(fm_simindex_add(ix, 0xF, 1), 0);
	cr_assert_eq(fm_simindex_add(ix, 0xF, 1), 0);
	fm_simindex_query(ix, 0x7, record, &h);
	cr_expect_eq(h.n, 2, "duplicates are both reported");
	cr_expect_gt(fm_simindex_memory(ix), 0);
	fm_simindex_free(ix);
	free(h.seen);
}

Test(simindex, rejects_k_out_of_range)
{
	fm_simindex *ix;

	cr_expect_eq(fm_simindex_new(&ix, -1), FM_EINVAL);
	cr_expect_eq(fm_simindex_new(&ix, FM_SIMINDEX_MAX_K + 1), FM_EINVAL);
	fm_simindex_free(NULL);
}

/* Query callback that stops at once. */
static int
stop_at_first(void *ud, uint32_t id, int dist)
{
	(void)id;
	(void)dist;
	(*(int *)ud)++;
	return 9;
}

Test(simindex, callback_stops_the_query)
{
	fm_simindex *ix;
	int calls = 0, i;

	cr_assert_eq(fm_simindex_new(&ix, 2), 0);
	for (i = 0; i < 5000; i++)
		cr_assert_eq(fm_simindex_add(ix, 0xABCDEF, (uint32_t)i), 0);
	cr_expect_eq(fm_simindex_query(ix, 0xABCDEF, stop_at_first, &calls), 9);
	cr_expect_eq(calls, 1);
	fm_simindex_free(ix);
}

Test(simindex, ids_that_are_not_positions_and_retain)
{
	enum { N = 6000, GAP = 7 };
	fm_simindex *ix;
	uint64_t *fps = malloc(N * sizeof *fps), s = 99;
	uint32_t *remap = malloc((N + GAP) * sizeof *remap), *at = malloc(N * sizeof *at);
	struct hits h = { calloc(N + GAP, 1), 0, 0 };
	size_t i, j, m = 0, kept;

	cr_assert(fps && remap && at && h.seen);
	cr_assert_eq(fm_simindex_new(&ix, 5), 0);
	/* Ids equal to positions first, then ids that are not (past a gap). */
	for (i = 0; i < N; i++) {
		fps[i] = i && rnd(&s) % 2 ? flip(fps[rnd(&s) % i], (int)(rnd(&s) % 8), &s) : rnd(&s);
		cr_assert_eq(fm_simindex_add(ix, fps[i], (uint32_t)(i < N / 2 ? i : i + GAP)), 0);
	}
	/* Three in four stay, numbered backwards; at[new id] is the fingerprint's index. */
	for (i = 0; i < N + GAP; i++)
		remap[i] = UINT32_MAX;
	for (i = 0, kept = 0; i < N; i++)
		kept += i % 4 != 0;
	for (i = 0; i < N; i++)
		if (i % 4) {
			uint32_t id = (uint32_t)(i < N / 2 ? i : i + GAP);

			remap[id] = (uint32_t)(kept - 1 - m);
			at[kept - 1 - m++] = (uint32_t)i;
		}
	cr_assert_eq(fm_simindex_retain(ix, remap, N + GAP), 0);
	cr_assert_eq(fm_simindex_count(ix), kept);
	for (i = 0; i < 200; i++) {
		uint64_t q = flip(fps[rnd(&s) % N], (int)(rnd(&s) % 8), &s);
		size_t want = 0;

		memset(h.seen, 0, N + GAP);
		h.n = 0;
		fm_simindex_query(ix, q, record, &h);
		for (j = 0; j < kept; j++) {
			int in = fm_hamming(fps[at[j]], q) <= 5;

			want += (size_t)in;
			cr_assert_eq(h.seen[j], in, "new id %zu: seen %d times, within %d", j, h.seen[j], in);
		}
		cr_assert_eq(h.n, want);
	}
	fm_simindex_free(ix);
	free(fps);
	free(remap);
	free(at);
	free(h.seen);
}
