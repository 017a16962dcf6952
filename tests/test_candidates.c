/* test_candidates.c - the candidate index against comparing every pair's keys. */
#include "feedmerge/candidates.h"
#include "feedmerge/dedup.h"
#include "feedmerge/error.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

/* Sorted distinct values drawn from [0, universe): n of them at most. */
static uint32_t
draw_sorted(uint64_t *s, uint32_t *v, uint32_t n, uint32_t universe)
{
	uint32_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		uint32_t x = (uint32_t)(rnd(s) % universe) * 2654435761u; /* spread over 32 bits, like hashes */

		for (j = 0; j < k && v[j] != x; j++)
			;
		if (j == k)
			v[k++] = x;
	}
	for (i = 1; i < k; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return k;
}

/*
 * Random fingerprints over small universes, so that every kind of key is
 * shared often: a third near-copies of an earlier lead, sketches from 4,000
 * hashes, headline words from 300.
 */
static void
random_fps(fm_fingerprint *fps, size_t n, uint64_t seed)
{
	uint64_t s = seed;
	size_t i;

	memset(fps, 0, n * sizeof *fps);
	for (i = 0; i < n; i++) {
		fm_fingerprint *f = &fps[i];

		f->simhash = i && rnd(&s) % 3 == 0 ? fps[rnd(&s) % i].simhash ^ (1ull << (rnd(&s) % 64)) ^
							(rnd(&s) % 2 ? 1ull << (rnd(&s) % 64) : 0)
						    : rnd(&s);
		f->nsketch = draw_sorted(&s, f->sketch, (uint32_t)(rnd(&s) % 40), 4000);
		f->shingles = f->nsketch;
		f->words = f->nsketch + 2;
		f->ntitle = draw_sorted(&s, f->title_words, (uint32_t)(rnd(&s) % 9), 300);
	}
}

/* Query callback: records ids and key bits. */
struct got {
	unsigned *bits; /* per id, 0 = not reported */
	size_t calls;
	uint32_t last;
	int ordered;
};

static int
record(void *ud, uint32_t id, unsigned keys)
{
	struct got *g = ud;

	if (g->calls && id <= g->last)
		g->ordered = 0;
	g->last = id;
	g->calls++;
	g->bits[id] = keys;
	return 0;
}

Test(candidates, equals_every_pair_compared)
{
	enum { N = 3000 };
	fm_fingerprint *fps = malloc(N * sizeof *fps);
	fm_dedup_params p;
	fm_candidates *ci;
	struct got g;
	size_t i, j, seen[3] = { 0, 0, 0 };

	cr_assert_not_null(fps);
	g.bits = calloc(N, sizeof *g.bits);
	cr_assert_not_null(g.bits);
	fm_dedup_defaults(&p);
	random_fps(fps, N, 5);
	cr_assert_eq(fm_candidates_new(&ci, p.threshold, 0), 0);
	for (i = 0; i < N; i++) {
		/* Before adding item i: its candidates are exactly the earlier items sharing a key. */
		memset(g.bits, 0, N * sizeof *g.bits);
		g.calls = 0;
		g.ordered = 1;
		cr_assert_eq(fm_candidates_query(ci, &fps[i], record, &g), 0);
		cr_assert(g.ordered, "ids in ascending order, each once");
		for (j = 0; j < i; j++) {
			unsigned want = fm_dedup_keys(&fps[i], &fps[j], &p);

			cr_assert_eq(g.bits[j], want, "item %zu against %zu: keys %u, want %u", i, j, g.bits[j], want);
			seen[0] += !!(want & FM_DEDUP_KEY_LEAD);
			seen[1] += !!(want & FM_DEDUP_KEY_TEXT);
			seen[2] += !!(want & FM_DEDUP_KEY_HEADLINE);
		}
		cr_assert_eq(fm_candidates_add(ci, &fps[i], (uint32_t)i), 0);
	}
	/* Every kind of key was exercised. */
	cr_assert_gt(seen[0], 100);
	cr_assert_gt(seen[1], 100);
	cr_assert_gt(seen[2], 100);
	cr_assert_gt(fm_candidates_memory(ci), 0);
	fm_candidates_free(ci);
	free(fps);
	free(g.bits);
}

static int
stop(void *ud, uint32_t id, unsigned keys)
{
	(void)ud;
	(void)id;
	(void)keys;
	return 9;
}

Test(candidates, a_common_key_finds_nothing)
{
	enum { N = 40 };
	fm_fingerprint fps[N], q;
	fm_candidates *ci;
	struct got g;
	unsigned bits[N + 1];
	size_t i;

	memset(fps, 0, sizeof fps);
	/* Every item carries text key 7 (a stock phrase); item 0 also key 99. */
	for (i = 0; i < N; i++) {
		fps[i].simhash = (uint64_t)i * 0x9E3779B97F4A7C15u;
		fps[i].nsketch = fps[i].shingles = 1;
		fps[i].sketch[0] = 7;
	}
	fps[0].nsketch = fps[0].shingles = 2;
	fps[0].sketch[1] = 99;
	cr_assert_eq(fm_candidates_new(&ci, 3, 10), 0);
	for (i = 0; i < N; i++)
		cr_assert_eq(fm_candidates_add(ci, &fps[i], (uint32_t)i), 0);
	memset(&q, 0, sizeof q);
	q.simhash = 0x5555555555555555ull;
	q.nsketch = q.shingles = 2;
	q.sketch[0] = 7;
	q.sketch[1] = 99;
	memset(bits, 0, sizeof bits);
	g.bits = bits;
	g.calls = 0;
	g.ordered = 1;
	cr_assert_eq(fm_candidates_query(ci, &q, record, &g), 0);
	/* Key 7 is carried by 40 items, over the cap of 10: only key 99 finds item 0. */
	cr_assert_eq(g.calls, 1);
	cr_assert_eq(bits[0], FM_DEDUP_KEY_TEXT);
	/* A callback's non-zero return stops the query and is returned. */
	cr_assert_eq(fm_candidates_query(ci, &q, stop, NULL), 9);
	fm_candidates_free(ci);
	cr_assert_eq(fm_candidates_new(&ci, 11, 0), FM_EINVAL);
}

Test(candidates, retain_keeps_and_renames_exactly_the_survivors)
{
	enum { N = 9000 }; /* 3,000 stay: past the Hamming index's scanned tail */
	fm_fingerprint *fps = malloc(N * sizeof *fps);
	uint32_t *remap = malloc(N * sizeof *remap), *orig = malloc(N * sizeof *orig);
	fm_dedup_params p;
	fm_candidates *ci;
	struct got g;
	size_t i, j, m = 0;

	cr_assert(fps && remap && orig);
	g.bits = calloc(N, sizeof *g.bits);
	cr_assert_not_null(g.bits);
	fm_dedup_defaults(&p);
	random_fps(fps, N, 11);
	for (i = 0; i < N; i += 2)
		fps[i].link = i % 97 + 1; /* link keys too */
	cr_assert_eq(fm_candidates_new(&ci, p.threshold, 0), 0);
	for (i = 0; i < N / 2; i++)
		cr_assert_eq(fm_candidates_add(ci, &fps[i], (uint32_t)i), 0);
	/* Every third item leaves; the rest are numbered again, in order. */
	for (i = 0; i < N / 2; i++) {
		remap[i] = i % 3 ? (uint32_t)m : UINT32_MAX;
		if (i % 3)
			orig[m++] = (uint32_t)i;
	}
	cr_assert_eq(fm_candidates_retain(ci, remap, N / 2), 0);
	/* Then the second half is added after them and every query is checked. */
	for (i = N / 2; i < N; i++) {
		memset(g.bits, 0, N * sizeof *g.bits);
		g.calls = 0;
		g.ordered = 1;
		cr_assert_eq(fm_candidates_query(ci, &fps[i], record, &g), 0);
		cr_assert(g.ordered);
		for (j = 0; j < m && i % 7 == 0; j++) { /* a sample of the queries checked in full */
			unsigned want = fm_dedup_keys(&fps[i], &fps[orig[j]], &p);

			cr_assert_eq(g.bits[j], want, "item %zu against %u (now %zu): keys %u, want %u",
				     i, orig[j], j, g.bits[j], want);
		}
		orig[m] = (uint32_t)i;
		cr_assert_eq(fm_candidates_add(ci, &fps[i], (uint32_t)m++), 0);
	}
	/* Dropping everything leaves an index that finds nothing. */
	for (i = 0; i < m; i++)
		remap[i] = UINT32_MAX;
	cr_assert_eq(fm_candidates_retain(ci, remap, m), 0);
	g.calls = 0;
	cr_assert_eq(fm_candidates_query(ci, &fps[N - 1], record, &g), 0);
	cr_assert_eq(g.calls, 0);
	fm_candidates_free(ci);
	free(fps);
	free(remap);
	free(orig);
	free(g.bits);
}
