/* test_fpcache.c - the clusterer's fingerprints at hand: found by row, replaced, dropped oldest first. */
#include "dedup/fpcache.h"

#include <criterion/criterion.h>
#include <string.h>

/* A fingerprint whose every field says which row and version it is. */
static fm_fingerprint
fp_make(int64_t row, uint32_t version, uint32_t nsketch)
{
	fm_fingerprint fp;
	uint32_t i;

	memset(&fp, 0, sizeof fp);
	fp.simhash = (uint64_t)row << 8 | version;
	fp.title = ~fp.simhash;
	fp.link = fp.simhash * 3;
	fp.words = version;
	fp.shingles = nsketch + 1;
	fp.flags = FM_FP_TEMPLATED;
	fp.nsketch = nsketch;
	fp.ntitle = 1 + (uint32_t)(row % FM_FP_TITLE_WORDS);
	for (i = 0; i < fp.ntitle; i++)
		fp.title_words[i] = (uint32_t)row * 31 + i + version;
	for (i = 0; i < nsketch; i++)
		fp.sketch[i] = (uint32_t)row * 1000 + i + version;
	return fp;
}

/* Asserts the cache gives back exactly what was put (the arrays' unused tails aside). */
static void
expect(const fm_fpcache *c, int64_t row, uint32_t version, uint32_t nsketch)
{
	fm_fingerprint want = fp_make(row, version, nsketch), got;

	memset(&got, 0xa5, sizeof got);
	cr_assert_eq(fm__fpcache_get(c, row, &got), 1, "row %lld", (long long)row);
	cr_assert_eq(got.simhash, want.simhash);
	cr_assert_eq(got.title, want.title);
	cr_assert_eq(got.link, want.link);
	cr_assert_eq(got.words, want.words);
	cr_assert_eq(got.shingles, want.shingles);
	cr_assert_eq(got.flags, want.flags);
	cr_assert_eq(got.nsketch, want.nsketch);
	cr_assert_eq(got.ntitle, want.ntitle);
	cr_assert_arr_eq(got.title_words, want.title_words, want.ntitle * sizeof want.title_words[0]);
	cr_assert_arr_eq(got.sketch, want.sketch, want.nsketch * sizeof want.sketch[0]);
}

Test(fpcache, gives_back_what_was_put_and_the_newest_put_of_a_row)
{
	fm_fpcache *c = fm__fpcache_new(1 << 20);
	fm_fingerprint fp, got;
	int64_t row;

	cr_assert_not_null(c);
	cr_assert_eq(fm__fpcache_get(c, 1, &got), 0, "empty");
	for (row = 1; row <= 1000; row++) {
		fp = fp_make(row, 1, (uint32_t)(row % (FM_FP_SKETCH + 1)));
		cr_assert_eq(fm__fpcache_put(c, row, &fp), 0);
	}
	for (row = 1; row <= 1000; row++)
		expect(c, row, 1, (uint32_t)(row % (FM_FP_SKETCH + 1)));
	cr_assert_eq(fm__fpcache_get(c, 1001, &got), 0);
	/* A row's fingerprint changed: the new one is given back. */
	fp = fp_make(7, 2, 3);
	cr_assert_eq(fm__fpcache_put(c, 7, &fp), 0);
	expect(c, 7, 2, 3);
	expect(c, 8, 1, 8);
	fm__fpcache_free(c);
	fm__fpcache_free(NULL);
}

Test(fpcache, a_full_cache_drops_its_oldest_half_and_keeps_the_rest)
{
	/* Entries of 128 hashes take about 600 bytes: 64 KiB holds about 100. */
	fm_fpcache *c = fm__fpcache_new(64 * 1024);
	fm_fingerprint fp, got;
	int64_t row, lo = 0;

	cr_assert_not_null(c);
	for (row = 1; row <= 1000; row++) {
		fp = fp_make(row, 1, FM_FP_SKETCH);
		cr_assert_eq(fm__fpcache_put(c, row, &fp), 0);
	}
	/* The newest rows are all there, the first ones gone; what is there is whole. */
	for (row = 1000; row >= 1 && fm__fpcache_get(c, row, &got); row--)
		lo = row;
	cr_assert_lt(lo, 1000 - 40, "at least one generation kept (from row %lld)", (long long)lo);
	cr_assert_gt(lo, 1000 - 120, "no more than the budget (from row %lld)", (long long)lo);
	for (row = lo; row <= 1000; row++)
		expect(c, row, 1, FM_FP_SKETCH);
	for (row = 1; row < lo; row++)
		cr_assert_eq(fm__fpcache_get(c, row, &got), 0, "row %lld dropped", (long long)row);
	/* A row put again in the newer generation outlives the older one's copy of it. */
	fp = fp_make(lo, 5, 2);
	cr_assert_eq(fm__fpcache_put(c, lo, &fp), 0);
	for (row = 2000; row < 2060; row++) {
		fp = fp_make(row, 1, FM_FP_SKETCH);
		cr_assert_eq(fm__fpcache_put(c, row, &fp), 0);
	}
	expect(c, lo, 5, 2);
	fm__fpcache_free(c);
}

Test(fpcache, a_budget_too_small_for_one_entry_keeps_nothing)
{
	fm_fpcache *c = fm__fpcache_new(64);
	fm_fingerprint fp = fp_make(1, 1, FM_FP_SKETCH), got;

	cr_assert_eq(fm__fpcache_put(c, 1, &fp), 0);
	cr_assert_eq(fm__fpcache_get(c, 1, &got), 0);
	fm__fpcache_free(c);
}
