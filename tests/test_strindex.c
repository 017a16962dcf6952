/* test_strindex.c - names found in O(1) in an array that moves as it grows. */
#include "util/strindex.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

struct names {
	char (*v)[16];
	size_t n;
};

static const char *
name_at(const void *ud, size_t pos)
{
	return ((const struct names *)ud)->v[pos];
}

Test(strindex, finds_every_name_as_the_array_moves)
{
	enum { N = 5000 };
	struct names a = { NULL, 0 };
	fm_strindex ix = { NULL, 0, 0 };
	char probe[16];
	size_t i;

	cr_assert_eq(fm__strindex_find(&ix, "x", name_at, &a), SIZE_MAX, "empty");
	for (i = 0; i < N; i++) {
		/* realloc one at a time: the names move, the index keeps positions. */
		a.v = realloc(a.v, (i + 1) * sizeof *a.v);
		cr_assert_not_null(a.v);
		snprintf(a.v[i], sizeof a.v[i], "feed-%zu", i * 7);
		cr_assert_eq(fm__strindex_add(&ix, a.v[i], i, name_at, &a), 0);
		a.n = i + 1;
	}
	for (i = 0; i < N; i++) {
		snprintf(probe, sizeof probe, "feed-%zu", i * 7);
		cr_assert_eq(fm__strindex_find(&ix, probe, name_at, &a), i, "%s", probe);
		snprintf(probe, sizeof probe, "feed-%zu", i * 7 + 1);
		cr_assert_eq(fm__strindex_find(&ix, probe, name_at, &a), SIZE_MAX, "%s", probe);
	}
	cr_assert_eq(fm__strindex_find(&ix, "", name_at, &a), SIZE_MAX);
	fm__strindex_dispose(&ix);
	cr_assert_eq(fm__strindex_find(&ix, "feed-0", name_at, &a), SIZE_MAX, "disposed: empty again");
	free(a.v);
}
