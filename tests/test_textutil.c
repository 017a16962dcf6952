/* test_textutil.c - author strings, base64, HTML detection and flattening. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "parse/textutil.h"

/* Asserts that fm__html_to_text turns html into want. */
static void
expect_text(const char *html, const char *want)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__html_to_text(&b, html, strlen(html)), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), want, "html_to_text(\"%s\")", html);
	cr_assert_eq(strlen(fm_buf_cstr(&b)), b.size);
	fm_buf_dispose(&b);
}

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

/* Returns fm__looks_like_html on a C string. */
static int
html(const char *s)
{
	return fm__looks_like_html(s, strlen(s));
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

/* looks_like_html */

Test(textutil, looks_like_html_end_tags)
{
	cr_assert(html("Hello <b>world</b>"));
	cr_assert(html("<p>para</p>"));
	cr_assert(html("x</EM>"));
	cr_assert(html("a</strong >"));
	cr_assert(html("<h2>t</h2>"));
	cr_assert(html("see <a href=\"x\">this</a>"));
	cr_assert(html("</blockquote>"));
}

Test(textutil, looks_like_html_void_tags)
{
	cr_assert(html("one<br>two"));
	cr_assert(html("one<br/>two"));
	cr_assert(html("one<BR />two"));
	cr_assert(html("<hr>"));
	cr_assert(html("<img src=\"a.png\" alt=\"\">"));
}

Test(textutil, looks_like_html_references)
{
	cr_assert(html("Tom &amp; Jerry"));
	cr_assert(html("it&#8217;s"));
	cr_assert(html("it&#x2019;s"));
	cr_assert(html("caf&eacute;"));
}

Test(textutil, looks_like_html_plain_text_negatives)
{
	cr_assert_not(html(""));
	cr_assert_not(html("5 < 6 and 7 > 3"));
	cr_assert_not(html("AT&T"));
	cr_assert_not(html("Q&A"));
	cr_assert_not(html("Tom & Jerry"));
	cr_assert_not(html("R&D; more"));
	cr_assert_not(html("&#;"));
	cr_assert_not(html("a</"));
	cr_assert_not(html("x <y> z"));
	cr_assert_not(html("</notatag>"));
	cr_assert_not(html("<br"));
	cr_assert_not(html("<img src=x"));
	cr_assert_not(html("<brr>"));
}

Test(textutil, looks_like_html_reads_only_len)
{
	cr_assert_not(fm__looks_like_html("a</b>", 4));
	cr_assert_not(fm__looks_like_html("&amp;", 4));
	cr_assert(fm__looks_like_html("&amp;xyz", 5));
}

/* html_to_text */

Test(textutil, text_drops_nested_tags)
{
	expect_text("<b>bold <i>and <u>under</u></i></b> end", "bold and under end");
	expect_text("<a href=\"x\" title='y'>link</a>", "link");
}

Test(textutil, text_inline_tags_join_words)
{
	expect_text("foo<b>bar</b>baz", "foobarbaz");
}

Test(textutil, text_block_tags_separate_words)
{
	expect_text("one<br>two<br/>three", "one two three");
	expect_text("<p>a</p><p>b</p>", "a b");
	expect_text("<ul><li>x</li><li>y</li></ul>", "x y");
	expect_text("<table><tr><td>1</td><td>2</td></tr></table>", "1 2");
	expect_text("<h1>Title</h1>Body", "Title Body");
}

Test(textutil, text_drops_script_and_style_content)
{
	expect_text("a<script>var x = '<b>';</script>b", "ab");
	expect_text("a <SCRIPT type=\"text/javascript\">if (a < b) x();</Script > b", "a b");
	expect_text("<style>p { color: red }</style>text", "text");
	expect_text("a<script>never closed", "a");
	expect_text("<scripts>kept</scripts>", "kept");
}

Test(textutil, text_keeps_noscript_text)
{
	expect_text("<noscript>Enable JS</noscript>", "Enable JS");
}

Test(textutil, text_decodes_named_references)
{
	expect_text("Tom &amp; Jerry", "Tom & Jerry");
	expect_text("caf&eacute; &hellip;", "caf\303\251 \342\200\246");
	expect_text("&lt;b&gt;", "<b>");
	expect_text("&NotEqualTilde;", "\342\211\202\314\270");
	expect_text("&amp;amp;", "&amp;");
}

Test(textutil, text_decodes_numeric_references)
{
	expect_text("it&#8217;s", "it\342\200\231s");
	expect_text("it&#x2019;s", "it\342\200\231s");
	expect_text("&#X41;&#65;", "AA");
	expect_text("&#128512;", "\360\237\230\200");
	expect_text("&#39", "'");
}

Test(textutil, text_numeric_references_windows_1252)
{
	expect_text("&#146;&#151;", "\342\200\231\342\200\224");
}

Test(textutil, text_invalid_numeric_references_become_replacement)
{
	expect_text("&#0;", "\357\277\275");
	expect_text("&#xD800;", "\357\277\275");
	expect_text("&#x110000;", "\357\277\275");
	expect_text("&#99999999999999999999999;", "\357\277\275");
	expect_text("&#1;", "\357\277\275");
}

Test(textutil, text_legacy_references_without_semicolon)
{
	expect_text("&amp &lt &gt &quot", "& < > \"");
	expect_text("&copy 2024", "\302\251 2024");
	expect_text("&copy", "\302\251");
	expect_text("x&nbsp y", "x y");
}

Test(textutil, text_legacy_reference_before_alnum_or_equals_stays_literal)
{
	expect_text("?a=1&copy=2", "?a=1&copy=2");
	expect_text("&ampx", "&ampx");
	expect_text("&hellip", "&hellip");
}

Test(textutil, text_unknown_references_stay_literal)
{
	expect_text("AT&T", "AT&T");
	expect_text("Tom & Jerry", "Tom & Jerry");
	expect_text("&foo;", "&foo;");
	expect_text("&#;", "&#;");
	expect_text("&#x;", "&#x;");
	expect_text("a &", "a &");
	expect_text("&", "&");
}

Test(textutil, text_literal_less_than)
{
	expect_text("a < b", "a < b");
	expect_text("5<6", "5<6");
	expect_text("<", "<");
	expect_text("x </", "x </");
}

Test(textutil, text_unterminated_tag_is_dropped)
{
	expect_text("before <a href=\"x", "before");
	expect_text("before <b", "before");
	expect_text("a <img alt=\"1 > 0\"> b", "a b");
}

Test(textutil, text_comments_dropped)
{
	expect_text("a<!-- hidden -->b", "ab");
	expect_text("a<!-- x -- y --!>b", "ab");
	expect_text("a<!-->b", "ab");
	expect_text("a<!--->b", "ab");
	expect_text("a<!-- never closed", "a");
}

Test(textutil, text_doctype_and_processing_instructions_dropped)
{
	expect_text("<!DOCTYPE html>a<?php echo 1 ?>b", "ab");
	expect_text("a</>b", "ab");
	expect_text("a</ 3>b", "ab");
}

Test(textutil, text_cdata_kept_as_text)
{
	expect_text("<![CDATA[a &amp; <b>]]> c", "a &amp; <b> c");
	expect_text("<![CDATA[open", "open");
}

Test(textutil, text_collapses_and_trims_whitespace)
{
	expect_text("  \t a \r\n\n  b\f ", "a b");
	expect_text("a&nbsp;&nbsp;b", "a b");
	expect_text("a\302\240\302\240b", "a b");
	expect_text("&#32;a&#10;&Tab;b&#x20;", "a b");
	expect_text(" <p> </p> ", "");
	expect_text("", "");
}

Test(textutil, text_keeps_utf8)
{
	expect_text("<i>na\303\257ve</i> \342\202\254 \360\237\230\200",
		    "na\303\257ve \342\202\254 \360\237\230\200");
	expect_text("\302\251\302\241", "\302\251\302\241");
}

Test(textutil, text_appends_to_existing_content)
{
	fm_buf b = FM_BUF_INIT;

	fm_buf_puts(&b, "x:");
	cr_assert_eq(fm__html_to_text(&b, " <b>y</b> ", 10), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x:y");
	fm_buf_dispose(&b);
}

Test(textutil, text_reads_only_len)
{
	fm_buf b = FM_BUF_INIT;
	char *p = malloc(5);

	/* Unterminated, no NUL: ASan catches any read past the end. */
	memcpy(p, "&amp;", 5);
	cr_assert_eq(fm__html_to_text(&b, p, 4), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "&");
	fm_buf_clear(&b);
	memcpy(p, "<!--x", 5);
	cr_assert_eq(fm__html_to_text(&b, p, 5), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "");
	memcpy(p, "&#x41", 5);
	cr_assert_eq(fm__html_to_text(&b, p, 5), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "A");
	free(p);
	fm_buf_dispose(&b);
}

Test(textutil, linear_on_pathological_input)
{
	/* Unclosed tags, comments, scripts and references repeated: a quadratic rescan would take minutes. */
	static const char *const patterns[] = {
		"<a", "</a", "<!--", "<script>&#", "<![CDATA[", "<a x='",
		"<a =\"", "&amp", "&#1", "&", "<br ", "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	};
	size_t n = 1u << 20, i, k, l;
	char *p = malloc(n);
	fm_buf b = FM_BUF_INIT;

	cr_assert_not_null(p);
	for (k = 0; k < sizeof(patterns) / sizeof(*patterns); k++) {
		l = strlen(patterns[k]);
		for (i = 0; i < n; i++)
			p[i] = patterns[k][i % l];
		fm_buf_clear(&b);
		cr_assert_eq(fm__html_to_text(&b, p, n), 0);
		cr_assert_not(fm__looks_like_html(p, n), "pattern %s", patterns[k]);
	}
	free(p);
	fm_buf_dispose(&b);
}

Test(textutil, text_long_runs_of_ampersands_stay_literal)
{
	size_t n = 1u << 16, i;
	char *p = malloc(n);
	fm_buf b = FM_BUF_INIT;

	for (i = 0; i < n; i++)
		p[i] = i % 40 ? 'a' : '&';
	cr_assert_eq(fm__html_to_text(&b, p, n), 0);
	cr_assert_eq(b.size, n);
	cr_assert_eq(memcmp(b.ptr, p, n), 0);
	free(p);
	fm_buf_dispose(&b);
}

/* escape and collapse */

Test(textutil, escape_special_characters)
{
	fm_buf b = FM_BUF_INIT;
	const char *s = "a & b < c > d \"e\" 'f'";

	cr_assert_eq(fm__html_escape(&b, s, strlen(s)), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "a &amp; b &lt; c &gt; d &quot;e&quot; 'f'");
	fm_buf_dispose(&b);
}

Test(textutil, escape_plain_and_empty)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__html_escape(&b, "", 0), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "");
	cr_assert_eq(fm__html_escape(&b, "caf\303\251&", 6), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "caf\303\251&amp;");
	fm_buf_dispose(&b);
}

Test(textutil, escape_round_trips_through_html_to_text)
{
	fm_buf e = FM_BUF_INIT, t = FM_BUF_INIT;
	const char *s = "<b>Q&A</b> \"x\" &amp;";

	cr_assert_eq(fm__html_escape(&e, s, strlen(s)), 0);
	cr_assert_eq(fm__html_to_text(&t, e.ptr, e.size), 0);
	cr_assert_str_eq(fm_buf_cstr(&t), s);
	fm_buf_dispose(&e);
	fm_buf_dispose(&t);
}

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
