/* test_fpcode.c - the compact fingerprint blob: round trips, size, malformed blobs. */
#include "store/fpcode.h"
#include "feedmerge/error.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

/* A small deterministic generator (xorshift). */
static uint32_t
fc_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

/* Sorts v ascending (insertion sort: small n). */
static void
fc_sort(uint32_t *v, uint32_t n)
{
	uint32_t i, j, x;

	for (i = 1; i < n; i++) {
		for (x = v[i], j = i; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* A fingerprint as fm_fingerprint_item makes one: the nsketch smallest of `shingles` hashes. */
static void
fc_make(fm_fingerprint *fp, uint64_t *seed, uint32_t shingles, uint32_t ntitle, int link)
{
	uint32_t i;

	memset(fp, 0, sizeof *fp);
	fp->title = (uint64_t)fc_rand(seed) << 32 | fc_rand(seed);
	fp->words = shingles + 2;
	fp->shingles = shingles;
	fp->nsketch = shingles < FM_FP_SKETCH ? shingles : FM_FP_SKETCH;
	fp->flags = shingles % 2 ? FM_FP_TEMPLATED : 0;
	fp->link = link ? (uint64_t)fc_rand(seed) << 32 | 1 : 0;
	/* The k smallest of n uniform hashes lie below about k/n of the range. */
	for (i = 0; i < fp->nsketch; i++)
		fp->sketch[i] = (uint32_t)(fc_rand(seed) % (((uint64_t)fp->nsketch << 32) / (shingles ? shingles : 1)));
	fc_sort(fp->sketch, fp->nsketch);
	fp->ntitle = ntitle;
	for (i = 0; i < ntitle; i++)
		fp->title_words[i] = fc_rand(seed) << 3 | (i > ntitle / 2 ? FM_FP_CONTENT_WORD : 0);
	fc_sort(fp->title_words, ntitle);
}

/* Encodes and decodes fp, checking every field; returns the blob's size. */
static size_t
fc_round_trip(const fm_fingerprint *fp)
{
	unsigned char b[STORE_FP_CODE_MAX];
	fm_fingerprint got;
	size_t n = store__fp_encode(b, fp);

	cr_assert_leq(n, STORE_FP_CODE_MAX);
	cr_assert_eq(store__fp_decode(&got, b, n), 0);
	cr_expect_eq(got.title, fp->title);
	cr_expect_eq(got.words, fp->words);
	cr_expect_eq(got.shingles, fp->shingles);
	cr_expect_eq(got.flags, fp->flags);
	cr_expect_eq(got.link, fp->link);
	cr_assert_eq(got.nsketch, fp->nsketch);
	cr_assert_eq(got.ntitle, fp->ntitle);
	cr_expect_eq(memcmp(got.sketch, fp->sketch, fp->nsketch * sizeof fp->sketch[0]), 0);
	cr_expect_eq(memcmp(got.title_words, fp->title_words, fp->ntitle * sizeof fp->title_words[0]), 0);
	cr_expect_eq(got.simhash, 0);
	return n;
}

Test(fpcode, round_trips_and_is_smaller_than_raw_hashes)
{
	static const uint32_t shingles[] = { 0, 1, 2, 50, 127, 128, 129, 400, 5000, 100000 };
	uint64_t seed = 88172645463325252ull;
	fm_fingerprint fp;
	size_t i, n, raw;

	for (i = 0; i < sizeof shingles / sizeof shingles[0]; i++) {
		fc_make(&fp, &seed, shingles[i], (uint32_t)i % (FM_FP_TITLE_WORDS + 1), (int)i % 2);
		n = fc_round_trip(&fp);
		raw = 24 + 4 * (fp.nsketch + fp.ntitle) + (fp.link ? 8 : 0);
		/* A full sketch of a long story: its hashes in 3 of every 4 bytes or fewer. */
		if (fp.nsketch == FM_FP_SKETCH)
			cr_expect_lt(n, raw * 85 / 100, "%u shingles: %zu bytes against %zu", shingles[i], n, raw);
	}
}

Test(fpcode, extreme_and_unsorted_values_round_trip)
{
	fm_fingerprint fp;
	uint32_t i;

	memset(&fp, 0, sizeof fp);
	fp.words = fp.shingles = UINT32_MAX;
	fp.flags = 0xffff;
	fp.title = UINT64_MAX;
	fp.link = UINT64_MAX;
	fp.nsketch = FM_FP_SKETCH;
	for (i = 0; i < fp.nsketch; i++)
		fp.sketch[i] = UINT32_MAX - (FM_FP_SKETCH - 1) + i; /* all at the top, gaps of 1 */
	fp.ntitle = 2;
	fp.title_words[0] = 0;
	fp.title_words[1] = UINT32_MAX;
	fc_round_trip(&fp);
	/* Not ascending (never made by fm_fingerprint_item, still kept whole). */
	fp.sketch[0] = UINT32_MAX;
	fp.title_words[0] = 7;
	fp.title_words[1] = 3;
	fc_round_trip(&fp);
	/* Repeated values: gaps of zero. */
	for (i = 0; i < fp.nsketch; i++)
		fp.sketch[i] = 42;
	fc_round_trip(&fp);
}

Test(fpcode, malformed_blobs_are_rejected_not_read_past)
{
	unsigned char b[STORE_FP_CODE_MAX], bad[STORE_FP_CODE_MAX + 1];
	uint64_t seed = 1234567;
	fm_fingerprint fp, got;
	size_t n, i, j;
	int flips_read = 0;

	fc_make(&fp, &seed, 400, 6, 1);
	n = store__fp_encode(b, &fp);
	/* Every truncation, and one byte too many. */
	for (i = 0; i < n; i++)
		cr_expect_eq(store__fp_decode(&got, b, i), FM_EINVAL, "cut at %zu", i);
	memcpy(bad, b, n);
	bad[n] = 0;
	cr_expect_eq(store__fp_decode(&got, bad, n + 1), FM_EINVAL);
	cr_expect_eq(store__fp_decode(&got, NULL, 0), FM_EINVAL);
	/* A schema 8 blob (title first) is not mistaken for one. */
	memset(bad, 0, sizeof bad);
	bad[0] = 0x01;
	cr_expect_eq(store__fp_decode(&got, bad, 24), FM_EINVAL);
	/* Counts past the limits. */
	memcpy(bad, b, n);
	/* nsketch: after the version, words (402: 2 bytes), shingles (400: 2 bytes) and flags (1 byte) */
	cr_assert_eq(bad[6], FM_FP_SKETCH);
	bad[6] = FM_FP_SKETCH + 1;
	cr_expect_eq(store__fp_decode(&got, bad, n), FM_EINVAL);
	/* Every single-byte change: rejected or read as some fingerprint, never past the blob (ASan). */
	for (i = 0; i < n; i++)
		for (j = 1; j < 256; j <<= 1) {
			memcpy(bad, b, n);
			bad[i] ^= (unsigned char)j;
			if (store__fp_decode(&got, bad, n) == 0) {
				flips_read++;
				cr_expect_leq(got.nsketch, FM_FP_SKETCH);
				cr_expect_leq(got.ntitle, FM_FP_TITLE_WORDS);
			}
		}
	cr_expect_lt(flips_read, (int)(n * 8));
}
