/* test_boiler.c - a feed's boilerplate counts: learning, the bound, the blob. */
#include "feedmerge/boiler.h"
#include "feedmerge/buf.h"

#include <criterion/criterion.h>
#include <string.h>

Test(boiler, counts_and_round_trips)
{
	fm_boiler *b, *c;
	fm_buf blob = FM_BUF_INIT;

	cr_assert_eq(fm_boiler_load(&b, NULL, 0), 0);
	cr_expect_eq(fm_boiler_changed(b), 0);
	cr_expect_eq(fm_boiler_count(b, 42), 0);
	cr_expect_eq(fm_boiler_learn(b, 42), 1);
	cr_expect_eq(fm_boiler_learn(b, 42), 2);
	cr_expect_eq(fm_boiler_learn(b, 7), 1);
	cr_expect_eq(fm_boiler_learn(b, 42), FM_BOILER_ITEMS);
	cr_expect_eq(fm_boiler_changed(b), 1);
	cr_assert_eq(fm_boiler_save(b, &blob), 0);
	cr_assert_eq(fm_boiler_load(&c, blob.ptr, blob.size), 0);
	cr_expect_eq(fm_boiler_count(c, 42), 3);
	cr_expect_eq(fm_boiler_count(c, 7), 1);
	cr_expect_eq(fm_boiler_count(c, 8), 0);
	cr_expect_eq(fm_boiler_changed(c), 0);
	fm_boiler_free(b);
	fm_boiler_free(c);
	fm_buf_dispose(&blob);
}

Test(boiler, a_malformed_blob_is_an_empty_table)
{
	static const unsigned char junk[] = "not a table at all, just bytes";
	fm_boiler *b;
	fm_buf blob = FM_BUF_INIT;

	cr_assert_eq(fm_boiler_load(&b, junk, sizeof junk), 0);
	cr_expect_eq(fm_boiler_count(b, 1), 0);
	fm_boiler_learn(b, 1);
	cr_assert_eq(fm_boiler_save(b, &blob), 0);
	fm_boiler_free(b);
	/* Truncated: also empty, never a read past the end. */
	cr_assert_eq(fm_boiler_load(&b, blob.ptr, blob.size - 1), 0);
	cr_expect_eq(fm_boiler_count(b, 1), 0);
	fm_boiler_free(b);
	fm_buf_dispose(&blob);
}

Test(boiler, the_bound_keeps_what_recurs)
{
	fm_boiler *b;
	fm_buf blob = FM_BUF_INIT;
	uint64_t i;

	cr_assert_eq(fm_boiler_load(&b, NULL, 0), 0);
	/* A site line in every item, among a stream of paragraphs seen once. */
	for (i = 0; i < 50000; i++) {
		if (i % 10 == 0)
			fm_boiler_learn(b, 0xB0B0);
		fm_boiler_learn(b, 1000000 + i);
	}
	cr_expect_eq(fm_boiler_count(b, 0xB0B0), 5000);
	cr_expect_eq(fm_boiler_count(b, 1000000), 0, "the oldest one-off is forgotten");
	cr_expect_eq(fm_boiler_count(b, 1000000 + 49999), 1, "the newest is kept");
	cr_assert_eq(fm_boiler_save(b, &blob), 0);
	cr_expect_leq(blob.size, 12 + 14 * (size_t)FM_BOILER_CAP);
	fm_boiler_free(b);
	fm_buf_dispose(&blob);
}
