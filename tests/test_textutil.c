/* test_textutil.c - author strings, base64 and white space. */
#include <criterion/criterion.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "parse/textutil.h"

/* Asserts that fm__person_split gives name and email. */
static void
expect_person(const char *s, const char *name, const char *email)
{
	fm_buf n = FM_BUF_INIT, e = FM_BUF_INIT;

	cr_assert_eq(fm__person_split(s, &n, &e), 0);
	cr_assert_str_eq(fm_buf_cstr(&n), name, "name of \"%s\"", s);
	cr_assert_str_eq(fm_buf_cstr(&e), email, "email of \"%s\"", s);
	fm_buf_dispose(&n);
	fm_buf_dispose(&e);
}

/* Asserts that in decodes to want (wlen bytes). */
static void
expect_base64(const char *in, const char *want, size_t wlen)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__base64_decode(&b, in, strlen(in)), 0, "decode \"%s\"", in);
	cr_assert_eq(b.size, wlen, "decode \"%s\" gave %zu bytes", in, b.size);
	cr_assert_eq(memcmp(fm_buf_cstr(&b), want, wlen), 0, "decode \"%s\"", in);
	fm_buf_dispose(&b);
}

/* Asserts that in is rejected. */
static void
expect_base64_invalid(const char *in)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__base64_decode(&b, in, strlen(in)), FM_EINVAL, "decode \"%s\"", in);
	fm_buf_dispose(&b);
}

/* person split */

Test(textutil, person_real_world_table)
{
	static const char *const cases[][3] = {
		{ "me@example.com (Jane Doe)", "Jane Doe", "me@example.com" },
		{ "Jane Doe <me@example.com>", "Jane Doe", "me@example.com" },
		{ "<me@example.com>", "", "me@example.com" },
		{ "mailto:me@example.com", "", "me@example.com" },
		{ "MAILTO:me@example.com?subject=Hi", "", "me@example.com" },
		{ "me@example.com", "", "me@example.com" },
		{ "Jane Doe", "Jane Doe", "" },
		{ "(Jane Doe)", "Jane Doe", "" },
		{ "\"Jane Doe\" <a@b.c>", "Jane Doe", "a@b.c" },
		{ "  'Jane   Doe'  ", "Jane Doe", "" },
		{ "noreply@blogger.com (Jane Doe)", "Jane Doe", "noreply@blogger.com" },
		{ "editor@news.example.org (The Editors)", "The Editors", "editor@news.example.org" },
		{ "Jane Doe (jane@example.com)", "Jane Doe", "jane@example.com" },
		{ "Jane Doe (Editor)", "Jane Doe (Editor)", "" },
		{ "Jane @ Home", "Jane @ Home", "" },
		{ "Bob@Home", "Bob@Home", "" },
		{ "@janedoe", "@janedoe", "" },
		{ "Jane Doe <mailto:jane@example.com>", "Jane Doe", "jane@example.com" },
		{ "<jane@example.com> Jane Doe", "Jane Doe", "jane@example.com" },
		{ "Jane Doe <>", "Jane Doe", "" },
		{ "Jane Doe <jane@example.com", "Jane Doe", "jane@example.com" },
		{ "J. R. R. Tolkien", "J. R. R. Tolkien", "" },
		{ "Jos\303\251 Garc\303\255a <jose@example.es>", "Jos\303\251 Garc\303\255a", "jose@example.es" },
		{ "jane.doe+feeds@mail.example.co.uk (Jane)", "Jane", "jane.doe+feeds@mail.example.co.uk" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		expect_person(cases[i][0], cases[i][1], cases[i][2]);
}

Test(textutil, person_empty_input_gives_empty_parts)
{
	expect_person("", "", "");
	expect_person(" \t\n", "", "");
}

Test(textutil, person_clears_buffers_first)
{
	fm_buf n = FM_BUF_INIT, e = FM_BUF_INIT;

	fm_buf_puts(&n, "old name");
	fm_buf_puts(&e, "old@example.com");
	cr_assert_eq(fm__person_split("Jane", &n, &e), 0);
	cr_assert_str_eq(fm_buf_cstr(&n), "Jane");
	cr_assert_str_eq(fm_buf_cstr(&e), "");
	fm_buf_dispose(&n);
	fm_buf_dispose(&e);
}

Test(textutil, person_angle_brackets_not_an_address_stay_name)
{
	expect_person("Jane <the editor>", "Jane <the editor>", "");
}

/* base64 */

Test(textutil, base64_rfc4648_vectors)
{
	expect_base64("", "", 0);
	expect_base64("Zg==", "f", 1);
	expect_base64("Zm8=", "fo", 2);
	expect_base64("Zm9v", "foo", 3);
	expect_base64("Zm9vYg==", "foob", 4);
	expect_base64("Zm9vYmE=", "fooba", 5);
	expect_base64("Zm9vYmFy", "foobar", 6);
}

Test(textutil, base64_padding_optional)
{
	expect_base64("Zg", "f", 1);
	expect_base64("Zm8", "fo", 2);
	expect_base64("Zm9vYg", "foob", 4);
	expect_base64("Zg=", "f", 1);
}

Test(textutil, base64_whitespace_ignored_anywhere)
{
	expect_base64(" Zm9v\r\nYmFy\n", "foobar", 6);
	expect_base64("Z m 9 v\tY g = =", "foob", 4);
	expect_base64("  \n ", "", 0);
}

Test(textutil, base64_binary_bytes)
{
	expect_base64("AP8Afw==", "\000\377\000\177", 4);
	expect_base64("+/+/", "\373\377\277", 3);
}

Test(textutil, base64_invalid_characters)
{
	expect_base64_invalid("Zm9v!");
	expect_base64_invalid("Zm9v-_");   /* URL-safe alphabet is not accepted */
	expect_base64_invalid("Zm9v\303\251");
}

Test(textutil, base64_embedded_nul_is_invalid)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__base64_decode(&b, "Zm\0009v", 5), FM_EINVAL);
	fm_buf_dispose(&b);
}

Test(textutil, base64_misplaced_padding)
{
	expect_base64_invalid("=Zm9v");
	expect_base64_invalid("Z===");
	expect_base64_invalid("Zm==Zm9v");
	expect_base64_invalid("Zm9v=");
}

Test(textutil, base64_lone_final_digit_is_invalid)
{
	expect_base64_invalid("Zm9vY");
}

Test(textutil, base64_failure_leaves_buffer_unchanged)
{
	fm_buf b = FM_BUF_INIT;

	fm_buf_puts(&b, "keep");
	cr_assert_eq(fm__base64_decode(&b, "Zm9vYmFy!", 9), FM_EINVAL);
	cr_assert_eq(b.size, 4);
	cr_assert_str_eq(fm_buf_cstr(&b), "keep");
	fm_buf_dispose(&b);
}

Test(textutil, base64_appends)
{
	fm_buf b = FM_BUF_INIT;

	fm_buf_puts(&b, "x:");
	cr_assert_eq(fm__base64_decode(&b, "Zm9v", 4), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x:foo");
	fm_buf_dispose(&b);
}

/* collapse */

Test(textutil, collapse_trims_and_joins)
{
	fm_buf b = FM_BUF_INIT;
	const char *s = " \t a \r\n b\f\fc  ";

	cr_assert_eq(fm__collapse_space(&b, s, strlen(s)), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "a b c");
	fm_buf_clear(&b);
	cr_assert_eq(fm__collapse_space(&b, "  \n ", 4), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "");
	cr_assert_eq(fm__collapse_space(&b, "x", 1), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	fm_buf_dispose(&b);
}

Test(textutil, collapse_leaves_nbsp_alone)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__collapse_space(&b, "a\302\240b", 4), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "a\302\240b");
	fm_buf_dispose(&b);
}

Test(textutil, unescape_twice_escaped_reads_the_five_references_once)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a?x=1&amp;y=2", "a?x=1&y=2" },
		{ "&amp;amp;", "&amp;" },             /* once, not until nothing is left */
		{ "&#38;&#x26;&lt;&#60;&#x3c;&#x3C;&gt;&quot;&apos;&#39;&#x2F;", "&&<<<<>\"''/" },
		{ "a & b &c; &amp", "a & b &c; &amp" }, /* bare, unknown and unfinished stay */
		{ "", "" },
		{ "plain", "plain" },
		{ "tail&", "tail&" },
	};
	fm_buf out = FM_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fm_buf_clear(&out);
		cr_assert_eq(fm_buf_puts(&out, "[") , 0);
		cr_assert_eq(fm__unescape_twice_escaped(&out, cases[i].in, strlen(cases[i].in)), 0);
		cr_assert_str_eq(fm_buf_cstr(&out) + 1, cases[i].want, "case %zu: %s", i, cases[i].in);
		cr_assert_eq(out.ptr[0], '[', "appends: what was there stays");
	}
	fm_buf_dispose(&out);
}
