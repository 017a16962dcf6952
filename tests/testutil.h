/* testutil.h - helpers the Criterion tests that record parser output share. */
#ifndef FM_TESTS_TESTUTIL_H
#define FM_TESTS_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"

/* Returns a copy of s (free() it), or NULL for NULL; fails the test when memory runs out. */
static inline char *
test_dup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	cr_assert_not_null(p);
	return p;
}

/* Appends "key=value|" to b, "-" standing for NULL: one field of a dump compared across chunkings. */
static inline void
test_dump_str(fm_buf *b, const char *key, const char *v)
{
	fm_buf_printf(b, "%s=%s|", key, v ? v : "-");
}

#endif
