/* test_html.c - HTML detection, flattening, escaping and URL resolution. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "parse/html.h"

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

/* Returns fm__looks_like_html on a C string. */
static int
html(const char *s)
{
	return fm__looks_like_html(s, strlen(s));
}

/* looks_like_html */

Test(html, looks_like_html_end_tags)
{
	cr_assert(html("Hello <b>world</b>"));
	cr_assert(html("<p>para</p>"));
	cr_assert(html("x</EM>"));
	cr_assert(html("a</strong >"));
	cr_assert(html("<h2>t</h2>"));
	cr_assert(html("see <a href=\"x\">this</a>"));
	cr_assert(html("</blockquote>"));
}

Test(html, looks_like_html_void_tags)
{
	cr_assert(html("one<br>two"));
	cr_assert(html("one<br/>two"));
	cr_assert(html("one<BR />two"));
	cr_assert(html("<hr>"));
	cr_assert(html("<img src=\"a.png\" alt=\"\">"));
}

Test(html, looks_like_html_references)
{
	cr_assert(html("Tom &amp; Jerry"));
	cr_assert(html("it&#8217;s"));
	cr_assert(html("it&#x2019;s"));
	cr_assert(html("caf&eacute;"));
}

Test(html, looks_like_html_plain_text_negatives)
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

Test(html, looks_like_html_reads_only_len)
{
	cr_assert_not(fm__looks_like_html("a</b>", 4));
	cr_assert_not(fm__looks_like_html("&amp;", 4));
	cr_assert(fm__looks_like_html("&amp;xyz", 5));
}

/* html_to_text */

Test(html, text_drops_nested_tags)
{
	expect_text("<b>bold <i>and <u>under</u></i></b> end", "bold and under end");
	expect_text("<a href=\"x\" title='y'>link</a>", "link");
}

Test(html, text_inline_tags_join_words)
{
	expect_text("foo<b>bar</b>baz", "foobarbaz");
}

Test(html, text_block_tags_separate_words)
{
	expect_text("one<br>two<br/>three", "one two three");
	expect_text("<p>a</p><p>b</p>", "a b");
	expect_text("<ul><li>x</li><li>y</li></ul>", "x y");
	expect_text("<table><tr><td>1</td><td>2</td></tr></table>", "1 2");
	expect_text("<h1>Title</h1>Body", "Title Body");
}

Test(html, text_drops_script_and_style_content)
{
	expect_text("a<script>var x = '<b>';</script>b", "ab");
	expect_text("a <SCRIPT type=\"text/javascript\">if (a < b) x();</Script > b", "a b");
	expect_text("<style>p { color: red }</style>text", "text");
	expect_text("a<script>never closed", "a");
	expect_text("<scripts>kept</scripts>", "kept");
}

Test(html, text_keeps_noscript_text)
{
	expect_text("<noscript>Enable JS</noscript>", "Enable JS");
}

Test(html, text_decodes_named_references)
{
	expect_text("Tom &amp; Jerry", "Tom & Jerry");
	expect_text("caf&eacute; &hellip;", "caf\303\251 \342\200\246");
	expect_text("&lt;b&gt;", "<b>");
	expect_text("&NotEqualTilde;", "\342\211\202\314\270");
	expect_text("&amp;amp;", "&amp;");
}

Test(html, text_decodes_numeric_references)
{
	expect_text("it&#8217;s", "it\342\200\231s");
	expect_text("it&#x2019;s", "it\342\200\231s");
	expect_text("&#X41;&#65;", "AA");
	expect_text("&#128512;", "\360\237\230\200");
	expect_text("&#39", "'");
}

Test(html, text_numeric_references_windows_1252)
{
	expect_text("&#146;&#151;", "\342\200\231\342\200\224");
}

Test(html, text_invalid_numeric_references_become_replacement)
{
	expect_text("&#0;", "\357\277\275");
	expect_text("&#xD800;", "\357\277\275");
	expect_text("&#x110000;", "\357\277\275");
	expect_text("&#99999999999999999999999;", "\357\277\275");
	expect_text("&#1;", "\357\277\275");
}

Test(html, text_legacy_references_without_semicolon)
{
	expect_text("&amp &lt &gt &quot", "& < > \"");
	expect_text("&copy 2024", "\302\251 2024");
	expect_text("&copy", "\302\251");
	expect_text("x&nbsp y", "x y");
}

Test(html, text_legacy_reference_before_alnum_or_equals_stays_literal)
{
	expect_text("?a=1&copy=2", "?a=1&copy=2");
	expect_text("&ampx", "&ampx");
	expect_text("&hellip", "&hellip");
}

Test(html, text_unknown_references_stay_literal)
{
	expect_text("AT&T", "AT&T");
	expect_text("Tom & Jerry", "Tom & Jerry");
	expect_text("&foo;", "&foo;");
	expect_text("&#;", "&#;");
	expect_text("&#x;", "&#x;");
	expect_text("a &", "a &");
	expect_text("&", "&");
}

Test(html, text_literal_less_than)
{
	expect_text("a < b", "a < b");
	expect_text("5<6", "5<6");
	expect_text("<", "<");
	expect_text("x </", "x </");
}

Test(html, text_unterminated_tag_is_dropped)
{
	expect_text("before <a href=\"x", "before");
	expect_text("before <b", "before");
	expect_text("a <img alt=\"1 > 0\"> b", "a b");
}

Test(html, text_comments_dropped)
{
	expect_text("a<!-- hidden -->b", "ab");
	expect_text("a<!-- x -- y --!>b", "ab");
	expect_text("a<!-->b", "ab");
	expect_text("a<!--->b", "ab");
	expect_text("a<!-- never closed", "a");
}

Test(html, text_doctype_and_processing_instructions_dropped)
{
	expect_text("<!DOCTYPE html>a<?php echo 1 ?>b", "ab");
	expect_text("a</>b", "ab");
	expect_text("a</ 3>b", "ab");
}

Test(html, text_cdata_kept_as_text)
{
	expect_text("<![CDATA[a &amp; <b>]]> c", "a &amp; <b> c");
	expect_text("<![CDATA[open", "open");
}

Test(html, text_collapses_and_trims_whitespace)
{
	expect_text("  \t a \r\n\n  b\f ", "a b");
	expect_text("a&nbsp;&nbsp;b", "a b");
	expect_text("a\302\240\302\240b", "a b");
	expect_text("&#32;a&#10;&Tab;b&#x20;", "a b");
	expect_text(" <p> </p> ", "");
	expect_text("", "");
}

Test(html, text_keeps_utf8)
{
	expect_text("<i>na\303\257ve</i> \342\202\254 \360\237\230\200",
		    "na\303\257ve \342\202\254 \360\237\230\200");
	expect_text("\302\251\302\241", "\302\251\302\241");
}

Test(html, text_appends_to_existing_content)
{
	fm_buf b = FM_BUF_INIT;

	fm_buf_puts(&b, "x:");
	cr_assert_eq(fm__html_to_text(&b, " <b>y</b> ", 10), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x:y");
	fm_buf_dispose(&b);
}

Test(html, text_reads_only_len)
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

Test(html, linear_on_pathological_input)
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

Test(html, text_long_runs_of_ampersands_stay_literal)
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

/* escape */

Test(html, escape_special_characters)
{
	fm_buf b = FM_BUF_INIT;
	const char *s = "a & b < c > d \"e\" 'f'";

	cr_assert_eq(fm__html_escape(&b, s, strlen(s)), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "a &amp; b &lt; c &gt; d &quot;e&quot; 'f'");
	fm_buf_dispose(&b);
}

Test(html, escape_plain_and_empty)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__html_escape(&b, "", 0), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "");
	cr_assert_eq(fm__html_escape(&b, "caf\303\251&", 6), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "caf\303\251&amp;");
	fm_buf_dispose(&b);
}

Test(html, escape_round_trips_through_html_to_text)
{
	fm_buf e = FM_BUF_INIT, t = FM_BUF_INIT;
	const char *s = "<b>Q&A</b> \"x\" &amp;";

	cr_assert_eq(fm__html_escape(&e, s, strlen(s)), 0);
	cr_assert_eq(fm__html_to_text(&t, e.ptr, e.size), 0);
	cr_assert_str_eq(fm_buf_cstr(&t), s);
	fm_buf_dispose(&e);
	fm_buf_dispose(&t);
}

/* resolve_urls */

/* The base the resolve_urls tests resolve against. */
#define BASE "http://example.com/blog/post/index.html?x=1#top"

/* Asserts that fm__html_resolve_urls turns html into want against base. */
static void
expect_urls(const char *html, const char *base, const char *want)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm__html_resolve_urls(&b, html, strlen(html), base), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), want, "resolve_urls(\"%s\")", html);
	cr_assert_eq(strlen(fm_buf_cstr(&b)), b.size);
	fm_buf_dispose(&b);
}

/* Asserts that fm__html_resolve_urls leaves html as it is. */
static void
expect_same(const char *html)
{
	expect_urls(html, BASE, html);
}

Test(html, resolve_relative_href_and_src)
{
	expect_urls("<a href=\"about\">x</a>", BASE,
		    "<a href=\"http://example.com/blog/post/about\">x</a>");
	expect_urls("<img src=\"clouds.png\" alt=\"\">", BASE,
		    "<img src=\"http://example.com/blog/post/clouds.png\" alt=\"\">");
	expect_urls("<p>see <a href=\"/about\" title=\"t\">this</a>.</p>", BASE,
		    "<p>see <a href=\"http://example.com/about\" title=\"t\">this</a>.</p>");
}

Test(html, resolve_dot_segments)
{
	expect_urls("<a href=\"../up.html\">", BASE, "<a href=\"http://example.com/blog/up.html\">");
	expect_urls("<a href=\"../../../../x\">", BASE, "<a href=\"http://example.com/x\">");
	expect_urls("<a href=\"./a/./b/../c\">", BASE, "<a href=\"http://example.com/blog/post/a/c\">");
}

Test(html, resolve_query_only)
{
	expect_urls("<a href=\"?page=2\">", BASE,
		    "<a href=\"http://example.com/blog/post/index.html?page=2\">");
}

Test(html, resolve_protocol_relative)
{
	expect_urls("<img src=\"//cdn.example.net/i.png\">", BASE,
		    "<img src=\"http://cdn.example.net/i.png\">");
	expect_urls("<img src=\"//cdn.example.net/i.png\">", "https://example.com/",
		    "<img src=\"https://cdn.example.net/i.png\">");
}

Test(html, resolve_leaves_absolute_urls_alone)
{
	expect_same("<a href=\"https://other.example/x?a=1&amp;b=2\">");
	expect_same("<a href='HTTP://Other.Example'>");
	expect_same("<a href=mailto:me@example.com>");
	expect_same("<a href=\"ftp://x/y\" src=\"tel:+123\">");
}

Test(html, resolve_leaves_fragments_alone)
{
	expect_same("<a href=\"#section-2\">");
	expect_same("<a href='#'>");
	expect_same("<a href=\" #top \">");
}

Test(html, resolve_leaves_javascript_and_data_alone)
{
	expect_same("<a href=\"javascript:alert('x')\">");
	expect_same("<a href=\"JavaScript:void(0)\">");
	expect_same("<img src=\"data:image/png;base64,iVBORw0KGgo=\">");
	expect_same("<img src=\"  data:,x\">");
}

Test(html, resolve_leaves_empty_values_alone)
{
	expect_same("<a href=\"\">x</a>");
	expect_same("<a href=''>");
	expect_same("<a href=>");
	expect_same("<a href=\"   \">");
	expect_same("<a href>");
	expect_same("<form action>");
}

Test(html, resolve_single_and_unquoted_values)
{
	expect_urls("<a href='a b.html'>", BASE, "<a href=\"http://example.com/blog/post/a%20b.html\">");
	expect_urls("<a href=x.html>y</a>", BASE, "<a href=\"http://example.com/blog/post/x.html\">y</a>");
	expect_urls("<a href=x.html title=t>", BASE,
		    "<a href=\"http://example.com/blog/post/x.html\" title=t>");
	expect_urls("<img src=a.png/>", BASE, "<img src=\"http://example.com/blog/post/a.png/\">");
	expect_urls("<a href='say\"hi\"'>", BASE,
		    "<a href=\"http://example.com/blog/post/say&quot;hi&quot;\">");
}

Test(html, resolve_decodes_and_reescapes_references)
{
	expect_urls("<a href=\"?a=1&amp;b=2\">", BASE,
		    "<a href=\"http://example.com/blog/post/index.html?a=1&amp;b=2\">");
	expect_urls("<a href=\"x?a=1&b=2&copy=3\">", BASE,
		    "<a href=\"http://example.com/blog/post/x?a=1&amp;b=2&amp;copy=3\">");
	expect_urls("<a href=\"&#47;root\">", BASE, "<a href=\"http://example.com/root\">");
	expect_same("<a href=\"&#x6A;avascript:x()\">");
	expect_same("<a href=\"&#35;top\">");
}

Test(html, resolve_attribute_list)
{
	expect_urls("<blockquote cite=\"q\"><form action=\"f\"><body background=\"b\">"
		    "<img longdesc=\"l\" usemap=\"#m\"><video poster=\"p\">", BASE,
		    "<blockquote cite=\"http://example.com/blog/post/q\">"
		    "<form action=\"http://example.com/blog/post/f\">"
		    "<body background=\"http://example.com/blog/post/b\">"
		    "<img longdesc=\"http://example.com/blog/post/l\" usemap=\"#m\">"
		    "<video poster=\"http://example.com/blog/post/p\">");
	expect_same("<a title=\"x\" rel=\"y\" data-href=\"z\" hreflang=\"en\" class=\"src\">");
}

Test(html, resolve_srcset_candidates)
{
	expect_urls("<img srcset=\"a.png 1x, /b.png 2x,c.png\">", BASE,
		    "<img srcset=\"http://example.com/blog/post/a.png 1x, "
		    "http://example.com/b.png 2x,http://example.com/blog/post/c.png\">");
	expect_urls("<img srcset=\"a.png, data:image/png;base64,AA== 2x\">", BASE,
		    "<img srcset=\"http://example.com/blog/post/a.png, data:image/png;base64,AA== 2x\">");
	expect_same("<img srcset=\"https://x/a.png 100w, https://x/b.png 200w\">");
	expect_same("<img srcset=\" , ,\">");
}

Test(html, resolve_leaves_text_comments_and_raw_text_alone)
{
	expect_same("href=\"x\" <b>src=y</b> a < b > c");
	expect_same("<!-- <a href=\"x\"> --><p>");
	expect_same("<script>var s = '<img src=\"x\">';</script>");
	expect_same("<STYLE>a { background: url(x) }</style><textarea><a href=x></textarea>");
	expect_same("<![CDATA[<a href=\"x\">]]>");
	expect_same("<!DOCTYPE html><?xml version=\"1.0\"?></a href=\"x\">");
	expect_urls("<script src=\"s.js\"></script><a href=x>", BASE,
		    "<script src=\"http://example.com/blog/post/s.js\"></script>"
		    "<a href=\"http://example.com/blog/post/x\">");
}

Test(html, resolve_without_base_is_identity)
{
	fm_buf b = FM_BUF_INIT;
	const char *h = "<a href=\"x\">y</a>";

	expect_urls(h, NULL, h);
	expect_urls(h, "", h);
	expect_urls("no markup, href=\"x\"", BASE, "no markup, href=\"x\"");
	expect_urls("", BASE, "");
	expect_urls(h, "not a url", h);
	cr_assert_eq(fm__html_resolve_urls(&b, NULL, 0, BASE), 0);
	cr_assert_eq(b.size, 0);
	fm_buf_dispose(&b);
}

Test(html, resolve_uppercase_names_and_spaces_around_equals)
{
	expect_urls("<A HREF=\"x\">", BASE, "<A HREF=\"http://example.com/blog/post/x\">");
	expect_urls("<IMG Src = 'y' >", BASE, "<IMG Src = \"http://example.com/blog/post/y\" >");
	expect_urls("<a\nhref\n=\nz\n>", BASE, "<a\nhref\n=\n\"http://example.com/blog/post/z\"\n>");
}

Test(html, resolve_unterminated_tag_at_end)
{
	expect_urls("<a href=\"x\">y</a><img src=\"z", BASE,
		    "<a href=\"http://example.com/blog/post/x\">y</a><img src=\"z");
	expect_urls("<a href=x>y<a href=w", BASE, "<a href=\"http://example.com/blog/post/x\">y<a href=w");
	expect_same("<img src='z' alt=\"");
	expect_same("<a href=x ");
	expect_same("<");
	expect_same("<a");
}

Test(html, resolve_appends_and_reads_only_len)
{
	fm_buf b = FM_BUF_INIT;
	char *p = malloc(12);

	fm_buf_puts(&b, "x:");
	memcpy(p, "<a href=ab>Z", 12);
	cr_assert_eq(fm__html_resolve_urls(&b, p, 10, BASE), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x:<a href=ab");
	fm_buf_clear(&b);
	cr_assert_eq(fm__html_resolve_urls(&b, p, 11, BASE), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "<a href=\"http://example.com/blog/post/ab\">");
	free(p);
	/* Ends right after '=': ASan catches a look at the missing value. */
	p = malloc(8);
	memcpy(p, "<a href=", 8);
	fm_buf_clear(&b);
	cr_assert_eq(fm__html_resolve_urls(&b, p, 8, BASE), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "<a href=");
	free(p);
	fm_buf_dispose(&b);
}

Test(html, resolve_linear_on_pathological_input)
{
	/* Unclosed tags, quotes, comments and many attributes: a rescan would be quadratic. */
	static const char *const patterns[] = {
		"<a", "<a href='", "<!--", "<script>", "<a b c d e ", "<a href=x ", "<a =\"", "&amp"
	};
	size_t n = 1u << 18, i, k, l;
	char *p = malloc(n);
	fm_buf b = FM_BUF_INIT;

	cr_assert_not_null(p);
	for (k = 0; k < sizeof(patterns) / sizeof(*patterns); k++) {
		l = strlen(patterns[k]);
		for (i = 0; i < n; i++)
			p[i] = patterns[k][i % l];
		fm_buf_clear(&b);
		cr_assert_eq(fm__html_resolve_urls(&b, p, n, BASE), 0);
		cr_assert_eq(b.size, n, "pattern %s", patterns[k]);
		cr_assert_eq(memcmp(b.ptr, p, n), 0, "pattern %s", patterns[k]);
	}
	free(p);
	fm_buf_dispose(&b);
}

Test(html, resolve_huge_attribute_value)
{
	size_t n = 1u << 20, i;
	char *p = malloc(n + 32);
	fm_buf b = FM_BUF_INIT;

	memcpy(p, "<a href=\"", 9);
	for (i = 9; i < n; i++)
		p[i] = 'a';
	memcpy(p + n, "\">t", 3);
	cr_assert_eq(fm__html_resolve_urls(&b, p, n + 3, BASE), 0);
	cr_assert(b.size >= n + 3);
	cr_assert_eq(memcmp(b.ptr + b.size - 3, "\">t", 3), 0);
	free(p);
	fm_buf_dispose(&b);
}
