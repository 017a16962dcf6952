/* test_entities.c - HTML5 named character references. */
#include <criterion/criterion.h>
#include <string.h>

#include "parse/entities.h"

/* Asserts that name expands to the UTF-8 string want. */
static void
expect_entity(const char *name, const char *want)
{
	size_t n = 12345;
	const char *v = fm__html_entity(name, strlen(name), &n);

	cr_assert_not_null(v, "&%s; not found", name);
	cr_assert_eq(n, strlen(want), "&%s; has length %zu", name, n);
	cr_assert_eq(memcmp(v, want, n), 0, "&%s; expands wrongly", name);
}

/* Asserts that name is not an entity. */
static void
expect_miss(const char *name, size_t len)
{
	size_t n = 0;

	cr_assert_null(fm__html_entity(name, len, &n), "'%.*s' should miss", (int)len, name);
}

Test(entities, common_names)
{
	expect_entity("nbsp", "\302\240");
	expect_entity("amp", "&");
	expect_entity("lt", "<");
	expect_entity("gt", ">");
	expect_entity("quot", "\"");
	expect_entity("apos", "'");
	expect_entity("eacute", "\303\251");
	expect_entity("hellip", "\342\200\246");
	expect_entity("rsquo", "\342\200\231");
	expect_entity("mdash", "\342\200\224");
	expect_entity("euro", "\342\202\254");
	expect_entity("copy", "\302\251");
}

Test(entities, first_and_last_in_table)
{
	expect_entity("AElig", "\303\206");
	expect_entity("zwnj", "\342\200\214");
}

Test(entities, longest_names)
{
	expect_entity("CounterClockwiseContourIntegral", "\342\210\263");
	expect_entity("ClockwiseContourIntegral", "\342\210\262");
	expect_entity("DoubleLongLeftRightArrow", "\342\237\272");
	expect_miss("CounterClockwiseContourIntegralX", 32);
}

Test(entities, two_code_points)
{
	/* U+2242 U+0338 */
	expect_entity("NotEqualTilde", "\342\211\202\314\270");
	/* U+003D U+20E5 */
	expect_entity("bne", "=\342\203\245");
	expect_entity("fjlig", "fj");
}

Test(entities, astral_plane)
{
	/* U+1D504 MATHEMATICAL FRAKTUR CAPITAL A */
	expect_entity("Afr", "\360\235\224\204");
}

Test(entities, case_sensitive)
{
	expect_entity("Eacute", "\303\211");
	expect_entity("eacute", "\303\251");
	expect_entity("AMP", "&");
	expect_miss("EACUTE", 6);
	expect_miss("Amp", 3);
	expect_miss("NBSP", 4);
}

Test(entities, misses)
{
	expect_miss("foo", 3);
	expect_miss("eacut", 5);
	expect_miss("eacutee", 7);
	expect_miss("amp;", 4);
	expect_miss("&amp", 4);
	expect_miss("a", 1);
	expect_miss("zzzzz", 5);
	expect_miss("AAAAA", 5);
}

Test(entities, prefixes_are_distinct_names)
{
	expect_entity("not", "\302\254");
	expect_entity("notin", "\342\210\211");
	expect_miss("no", 2);
	expect_miss("noti", 4);
}

Test(entities, zero_length_misses)
{
	expect_miss("", 0);
	expect_miss("amp", 0);
}

Test(entities, uses_only_len_bytes)
{
	size_t n = 0;
	const char *v = fm__html_entity("ampersand", 3, &n);

	cr_assert_not_null(v);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0], '&');
}

Test(entities, values_are_nul_terminated)
{
	size_t n = 0;
	const char *v = fm__html_entity("hellip", 6, &n);

	cr_assert_not_null(v);
	cr_assert_eq(v[n], '\0');
}

Test(entities, outlen_may_be_null)
{
	cr_assert_not_null(fm__html_entity("amp", 3, NULL));
}
