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
	cr_expect_leq(blob.size, 12 + 8 * (size_t)FM_BOILER_CAP);
	fm_boiler_free(b);
	fm_buf_dispose(&blob);
}

/* Appends v as n little-endian bytes to p at *at. */
static void
put_le(unsigned char *p, size_t *at, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[(*at)++] = (unsigned char)(v >> (8 * i));
}

Test(boiler, a_table_of_the_first_layout_is_read_and_saved_in_8_bytes_an_entry)
{
	/* "blr1": 2 entries, clock 70000; hash u64, last u32, items u16 each. */
	unsigned char v1[12 + 2 * 14];
	uint64_t big = 0x123456789ABCDEF0u;
	fm_boiler *b, *c;
	fm_buf blob = FM_BUF_INIT;
	size_t at = 0;
	unsigned i;

	put_le(v1, &at, 0x31726c62u, 4);
	put_le(v1, &at, 2, 4);
	put_le(v1, &at, 70000, 4);
	put_le(v1, &at, big, 8);
	put_le(v1, &at, 69990, 4);
	put_le(v1, &at, 5, 2);
	put_le(v1, &at, 42, 8);
	put_le(v1, &at, 3, 4); /* older than a 16-bit age says: saturates, still oldest */
	put_le(v1, &at, 1, 2);
	cr_assert_eq(at, sizeof v1);
	cr_assert_eq(fm_boiler_load(&b, v1, sizeof v1), 0);
	cr_expect_eq(fm_boiler_count(b, big), 5);
	cr_expect_eq(fm_boiler_count(b, 42), 1);
	cr_expect_eq(fm_boiler_count(b, 43), 0);
	cr_assert_eq(fm_boiler_save(b, &blob), 0);
	cr_expect_eq(blob.size, 12 + 2 * 8);
	cr_expect_eq(memcmp(blob.ptr, "blr2", 4), 0);
	cr_assert_eq(fm_boiler_load(&c, blob.ptr, blob.size), 0);
	cr_expect_eq(fm_boiler_count(c, big), 5);
	cr_expect_eq(fm_boiler_count(c, 42), 1);
	/* The order of forgetting survives: filling the table drops the long-unseen one-off first. */
	for (i = 0; i < FM_BOILER_CAP - 1; i++)
		fm_boiler_learn(c, 1000 + i);
	cr_expect_eq(fm_boiler_count(c, 42), 0, "the oldest one-off is forgotten");
	cr_expect_eq(fm_boiler_count(c, big), 5, "what recurs is kept");
	fm_boiler_free(b);
	fm_boiler_free(c);
	fm_buf_dispose(&blob);
}
