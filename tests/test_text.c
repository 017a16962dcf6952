/* test_text.c - HTML to text, normalisation for comparison, words. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "feedmerge/text.h"
#include "utf8check.h"

/* An input and the output it must give. */
struct case_ {
	const char *in;
	const char *want;
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))
#define FFFD "\xEF\xBF\xBD"

/*
 * Runs fm_text_from_html on in[0..len), copied into a buffer of exactly len
 * bytes (no NUL after it, so ASan catches any read past len), and returns
 * the text (free() it). Checks the result is valid UTF-8.
 */
static char *
html_n(const char *in, size_t len)
{
	fm_buf b = FM_BUF_INIT;
	char *copy = malloc(len ? len : 1);
	char *s;

	cr_assert_not_null(copy);
	memcpy(copy, in, len);
	cr_assert_eq(fm_text_from_html(&b, copy, len), 0);
	free(copy);
	s = strdup(fm_buf_cstr(&b));
	cr_assert_not_null(s);
	cr_assert_eq(strlen(s), b.size, "no NUL inside the text");
	cr_assert(test_utf8_valid((const unsigned char *)s, b.size), "valid UTF-8 from \"%s\"", in);
	fm_buf_dispose(&b);
	return s;
}

/* Asserts that fm_text_from_html turns each case's in into its want. */
static void
expect_html(const struct case_ *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *s = html_n(c[i].in, strlen(c[i].in));

		cr_assert_str_eq(s, c[i].want, "from_html(\"%s\")", c[i].in);
		free(s);
	}
}

/* Returns fm_text_normalise of in[0..len) (free() it). */
static char *
norm_n(const char *in, size_t len)
{
	fm_buf b = FM_BUF_INIT;
	char *copy = malloc(len ? len : 1);
	char *s;

	cr_assert_not_null(copy);
	memcpy(copy, in, len);
	cr_assert_eq(fm_text_normalise(&b, copy, len), 0);
	free(copy);
	s = strdup(fm_buf_cstr(&b));
	cr_assert_not_null(s);
	cr_assert_eq(strlen(s), b.size);
	fm_buf_dispose(&b);
	return s;
}

/* Asserts that fm_text_normalise turns each case's in into its want. */
static void
expect_norm(const struct case_ *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *s = norm_n(c[i].in, strlen(c[i].in));

		cr_assert_str_eq(s, c[i].want, "normalise(\"%s\")", c[i].in);
		free(s);
	}
}

/* fm_text_from_html */

Test(text, html_block_elements_end_paragraphs)
{
	static const struct case_ c[] = {
		{ "<p>one</p><p>two</p>", "one\ntwo" },
		{ "<div>a<div>b</div>c</div>", "a\nb\nc" },
		{ "<ul><li>one</li><li>two</li></ul>after", "one\ntwo\nafter" },
		{ "<ol><li>x<li>y</ol>", "x\ny" },
		{ "<h1>Title</h1>body", "Title\nbody" },
		{ "<h6>six</h6><h2>two</h2>", "six\ntwo" },
		{ "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", "a\nb\nc" },
		{ "a<hr>b", "a\nb" },
		{ "<blockquote>quoted</blockquote>reply", "quoted\nreply" },
		{ "<section><article><header>head</header>text</article></section>", "head\ntext" },
		{ "<dl><dt>term</dt><dd>definition</dd></dl>", "term\ndefinition" },
		{ "<figure><img src=\"a.png\">photo</figure>text", "photo\ntext" },
		{ "<pre>code  here</pre>text", "code here\ntext" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_br_ends_paragraph)
{
	static const struct case_ c[] = {
		{ "<p>one<br>two</p>", "one\ntwo" },
		{ "line one<br/><br/>line two", "line one\nline two" },
		{ "a<br />b<BR>c<Br/>d", "a\nb\nc\nd" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_inline_tags_keep_words_together)
{
	static const struct case_ c[] = {
		{ "<b>bold</b>face", "boldface" },
		{ "see <a href=\"http://x/?a=1&amp;b=2\">this link</a> now", "see this link now" },
		{ "<span>a</span> <span>b</span>", "a b" },
		{ "<em>x</em><img src=x><i>y</i>", "xy" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_empty_paragraphs_dropped)
{
	static const struct case_ c[] = {
		{ "<p></p><p> </p><p>a</p><div><br><br></div><p>&nbsp;</p><p>b</p>", "a\nb" },
		{ "<br>a<br>", "a" },
		{ "<p>\n  <b> </b>\n</p>", "" },
		{ "", "" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_dropped_elements)
{
	static const char *const tags[] = {
		"script", "style", "noscript", "template", "head", "figcaption", "nav",
		"aside", "footer", "form", "button", "select", "iframe"
	};
	char in[256];
	size_t i;

	for (i = 0; i < COUNT(tags); i++) {
		char *s;

		snprintf(in, sizeof(in), "<p>before</p><%s class=\"x\"><p>hidden</p> words</%s><p>after</p>",
			 tags[i], tags[i]);
		s = html_n(in, strlen(in));
		cr_assert_str_eq(s, "before\nafter", "from_html(\"%s\")", in);
		free(s);
	}
}

Test(text, html_nested_dropped_elements)
{
	static const struct case_ c[] = {
		{ "<aside><aside></aside>text</aside>after", "after" },
		{ "<nav><div><nav>x</nav>y</div>z</nav>w", "w" },
		{ "<aside><nav>x</aside>y</nav>z", "z" },
		{ "</aside>stray end tag", "stray end tag" },
		{ "<aside>never closed", "" },
		{ "<form><select><option>1</option></select><button>Go</button></form>kept", "kept" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_raw_text_elements)
{
	static const struct case_ c[] = {
		{ "<script>if (a < b && c > d) write('</p><aside>');</script>ok", "ok" },
		{ "<SCRIPT type=\"x\">var s = \"</scr\" + \"ipt>\";</SCRIPT >ok", "ok" },
		{ "<style>p { color: red }</style>ok", "ok" },
		{ "<noscript><img src=x></noscript>ok", "ok" },
		{ "before<script>never closed", "before" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_self_closing_dropped_elements_open_nothing)
{
	static const struct case_ c[] = {
		{ "a<iframe src=\"v\"/>b", "a b" },
		{ "<aside/>kept", "kept" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_body_closes_unclosed_head)
{
	static const struct case_ c[] = {
		{ "<html><head><title>T</title></head><body>x</body></html>", "x" },
		{ "<head><title>T</title><meta charset=utf-8><body>x", "x" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_named_references)
{
	static const struct case_ c[] = {
		{ "&amp; &lt; &gt; &quot; &apos;", "& < > \" '" },
		{ "caf&eacute; &hearts; &euro;5", "caf\xC3\xA9 \xE2\x99\xA5 \xE2\x82\xAC" "5" },
		{ "&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8" },
		{ "&lt;p&gt;not a tag&lt;/p&gt;", "<p>not a tag</p>" },
		{ "&amp;amp;", "&amp;" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_numeric_references)
{
	static const struct case_ c[] = {
		{ "&#65;&#x42;&#X43;", "ABC" },
		{ "it&#8217;s", "it\xE2\x80\x99s" },
		{ "&#65x", "Ax" },
		{ "&#150;", "\xE2\x80\x93" }, /* 0x80-0x9F as windows-1252 */
		{ "&#x1F642;", "\xF0\x9F\x99\x82" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_invalid_numeric_references_become_fffd)
{
	static const struct case_ c[] = {
		{ "a&#0;b", "a" FFFD "b" },
		{ "&#xD800;", FFFD },
		{ "&#xDFFF;", FFFD },
		{ "&#x110000;", FFFD },
		{ "&#99999999999999999999999;", FFFD }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_legacy_references_without_semicolon)
{
	static const struct case_ c[] = {
		{ "a &lt b &gt c", "a < b > c" },
		{ "Tom &amp Jerry", "Tom & Jerry" },
		{ "&quot;x&quot", "\"x\"" },
		{ "x&nbspy", "x y" },
		{ "&copy2024", "\xC2\xA9" "2024" },
		{ "&ampx", "&x" },
		{ "&amp=", "&=" },
		{ "&notit;", "\xC2\xAC" "it;" },
		{ "&eacute", "\xC3\xA9" },
		{ "&hearts", "&hearts" } /* not a legacy name: needs its ';' */
	};

	expect_html(c, COUNT(c));
}

Test(text, html_ampersands_that_are_text)
{
	static const struct case_ c[] = {
		{ "AT&T", "AT&T" },
		{ "Q&A", "Q&A" },
		{ "&unknown;", "&unknown;" },
		{ "fish & chips", "fish & chips" },
		{ "&#; &#x; &", "&#; &#x; &" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_whitespace_collapses)
{
	static const struct case_ c[] = {
		{ "  a \t\n\r\f b  ", "a b" },
		{ "a&nbsp;&nbsp;b", "a b" },
		{ "a\xC2\xA0" "b", "a b" },
		{ "a\xE2\x80\x83" "b", "a b" },         /* em space */
		{ "a\xE3\x80\x80" "b", "a b" },         /* ideographic space */
		{ "a\xE2\x80\xAF" "b", "a b" },         /* narrow no-break space */
		{ "a&#x2009;b&#10;c&Tab;d", "a b c d" },
		{ "<p> a </p>", "a" },
		{ "one <b> two </b> three", "one two three" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_controls_dropped)
{
	char *s = html_n("a\x01" "b\x7F" "c\0d\xC2\x85" "e", 10);

	/* C0 controls, DEL and NUL vanish; NEL (C2 85) is a line break, so a space. */
	cr_assert_str_eq(s, "abcd e");
	free(s);
}

Test(text, html_malformed)
{
	static const struct case_ c[] = {
		{ "a < b", "a < b" },
		{ "x <3 y", "x <3 y" },
		{ "a<", "a<" },
		{ "a</", "a</" },
		{ "<p>unclosed paragraph", "unclosed paragraph" },
		{ "text <b unclosed tag", "text" },
		{ "a<!-- comment -->b", "ab" },
		{ "a<!-->b<!--->c", "abc" },
		{ "before<!-- unterminated comment", "before" },
		{ "<a title='x>y'>z</a>", "z" },
		{ "<a title=\"1 > 2\" href=x>z</a>", "z" },
		{ "</>x", "x" },
		{ "</ x>y", "y" },
		{ "<!DOCTYPE html>x", "x" },
		{ "<?xml version=\"1.0\"?>x", "x" },
		{ "<P>a</P><DIV>b</DIV>", "a\nb" },
		{ "<![CDATA[a<b &amp; c]]>", "a<b &amp; c" },
		{ "<averyveryverylongtagnamethatgoesonandon>x", "x" }
	};

	expect_html(c, COUNT(c));
}

/* Returns open n times, then mid, then close n times, then "y" (free() it). */
static char *
nest(const char *open, const char *mid, const char *close, size_t n)
{
	size_t a = strlen(open), m = strlen(mid), c = strlen(close), i;
	char *r = malloc((a + c) * n + m + 2), *w = r;

	cr_assert_not_null(r);
	for (i = 0; i < n; i++, w += a)
		memcpy(w, open, a);
	memcpy(w, mid, m);
	w += m;
	for (i = 0; i < n; i++, w += c)
		memcpy(w, close, c);
	memcpy(w, "y", 2);
	return r;
}

Test(text, html_deep_nesting)
{
	static const struct {
		const char *open, *mid, *close, *want;
	} c[] = {
		{ "<div>", "x", "</div>", "x\ny" },
		{ "<aside>", "x", "</aside>", "y" },
		{ "<nav><div>", "x", "</div></nav>", "y" },
		{ "<b>", "x", "", "xy" },
		{ "<aside>", "x", "", "" },
		{ "<!--", "x", "", "" }
	};
	size_t i;

	for (i = 0; i < COUNT(c); i++) {
		char *in = nest(c[i].open, c[i].mid, c[i].close, 100000);
		char *s = html_n(in, strlen(in));

		cr_assert_str_eq(s, c[i].want, "100000 x %s", c[i].open);
		free(s);
		free(in);
	}
}

Test(text, html_invalid_utf8_becomes_fffd)
{
	static const struct case_ c[] = {
		{ "a\xFF" "b", "a" FFFD "b" },
		{ "a\xC3", "a" FFFD },
		{ "\xC0\xAF", FFFD FFFD },                   /* overlong '/' */
		{ "\xED\xA0\x80", FFFD FFFD FFFD },           /* surrogate */
		{ "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD },  /* past U+10FFFF */
		{ "\xE2\x82 euro", FFFD " euro" },            /* cut short */
		{ "\x80\x80", FFFD FFFD },                   /* stray continuations */
		{ "ok \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x99\x82", "ok \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x99\x82" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_plain_text_passes_through)
{
	static const struct case_ c[] = {
		{ "Just some plain text, nothing else.", "Just some plain text, nothing else." },
		{ "Tom & Jerry: 5 > 3", "Tom & Jerry: 5 > 3" },
		{ "caf&eacute; au lait", "caf\xC3\xA9 au lait" },
		{ "\xE6\x9D\xB1\xE4\xBA\xAC \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
		  "\xE6\x9D\xB1\xE4\xBA\xAC \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0" }
	};

	expect_html(c, COUNT(c));
}

Test(text, html_never_reads_past_len)
{
	static const char in[] =
		"<p class='a'>T&eacute;st &amp &#x263A; <!-- c --> <script>x</script>"
		"<aside>a</aside>&copy2024 \xE2\x82\xAC<br/><![CDATA[z]]></p>";
	size_t len;

	/* Every prefix, each in a buffer of exactly its size. */
	for (len = 0; len < sizeof(in) - 1; len++)
		free(html_n(in, len));
}

Test(text, html_appends_to_out)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm_buf_puts(&b, "X"), 0);
	cr_assert_eq(fm_text_from_html(&b, "<p>a</p><p>b</p>", 16), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "Xa\nb");
	fm_buf_dispose(&b);
}

/* fm_text_normalise */

Test(text, norm_ascii_case_folding)
{
	static const struct case_ c[] = {
		{ "Hello WORLD", "hello world" },
		{ "MiXeD CaSe 42", "mixed case 42" }
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_non_ascii_case_folding)
{
	static const struct case_ c[] = {
		{ "Stra\xC3\x9F" "e", "strasse" },                            /* ß -> ss */
		{ "\xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3",  /* ΣΊΣΥΦΟΣ */
		  "\xCF\x83\xCE\xB9\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x83" }, /* σισυφοσ */
		{ "\xCF\x82", "\xCF\x83" },                                   /* final ς -> σ */
		{ "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90",          /* МОСКВА */
		  "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0" },
		{ "\xC4\xB0stanbul", "istanbul" }                             /* İ */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_compatibility_composition)
{
	static const struct case_ c[] = {
		{ "\xEF\xAC\x81" "ne", "fine" },                       /* ﬁ ligature */
		{ "\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C", "full" }, /* Ｆｕｌｌ */
		{ "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93", "123" },      /* fullwidth digits */
		{ "x\xC2\xB2", "x2" },                                 /* superscript two */
		{ "\xE2\x85\xAB", "xii" },                             /* Roman numeral twelve */
		{ "\xE3\x8E\x8F", "kg" },                              /* ㎏ */
		{ "\xE2\x91\xA0", "1" }                                /* circled one */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_marks_stripped)
{
	static const struct case_ c[] = {
		{ "caf\xC3\xA9 na\xC3\xAFve", "cafe naive" },
		{ "e\xCC\x81t\xC3\xA9", "ete" },                                    /* combining acute */
		{ "Z\xC3\xBCrich", "zurich" },
		{ "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t", "tieng viet" },
		{ "\xC3\x85ngstr\xC3\xB6m \xE2\x84\xAB", "angstrom a" }              /* Å, Angstrom sign */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_apostrophes_and_periods_inside_words)
{
	static const struct case_ c[] = {
		{ "don't", "dont" },
		{ "don\xE2\x80\x99t", "dont" },
		{ "U.S. army", "us army" },
		{ "U.S.", "us" },
		{ "3.5 per cent", "35 per cent" },
		{ "v1.2.3", "v123" },
		{ "the end. Next", "the end next" },
		{ "'quoted'", "quoted" },
		{ "rock 'n' roll", "rock n roll" },
		{ "students' union", "students union" },
		{ "a..b", "a b" },
		{ "a.'b", "a b" },
		{ "...x", "x" },
		{ "\xE2\x80\x98single\xE2\x80\x99", "single" }
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_punctuation_becomes_spaces)
{
	static const struct case_ c[] = {
		{ "Hello, world! (yes)", "hello world yes" },
		{ "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 dash\xE2\x80\x93" "en", "quoted dash en" },
		{ "a-b/c_d", "a b c d" },
		{ "$5,000 + 10%", "5 000 10" },
		{ "a\xF0\x9F\x99\x82" "b", "a b" },                /* emoji */
		{ "x\xC2\xA0\xC2\xA0y", "x y" },
		{ "  lead and trail  ", "lead and trail" },
		{ "\xC2\xBD", "1 2" }                              /* ½ is 1⁄2 */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_cjk_letters_kept)
{
	static const struct case_ c[] = {
		{ "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC",
		  "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC" }, /* 東京タワー */
		{ "\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C\xE5\xAD\x97", "\xE4\xB8\xAD\xE6\x96\x87 \xE5\xAD\x97" },
		{ "\xEC\x84\x9C\xEC\x9A\xB8", "\xEC\x84\x9C\xEC\x9A\xB8" },          /* 서울 */
		{ "\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85",
		  "\xE3\x82\xAB\xE3\x82\xBF\xE3\x82\xAB\xE3\x83\x8A" }              /* halfwidth katakana */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_hangul_jamo_compose)
{
	static const struct case_ c[] = {
		{ "\xE1\x84\x80\xE1\x85\xA1", "\xEA\xB0\x80" },             /* L V -> 가 */
		{ "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", "\xEA\xB0\x81" }, /* L V T -> 각 */
		{ "\xEA\xB0\x80\xE1\x86\xA8", "\xEA\xB0\x81" },             /* LV T -> 각 */
		{ "\xE3\x88\x8E", "\xEA\xB0\x80" },                         /* ㈎ (가) */
		{ "\xE1\x84\x80'\xE1\x85\xA1", "\xE1\x84\x80\xE1\x85\xA1" }  /* no composing across ' */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_digits)
{
	static const struct case_ c[] = {
		{ "2024-06-01", "2024 06 01" },
		{ "\xD9\xA3\xD9\xA4", "\xD9\xA3\xD9\xA4" },        /* Arabic-Indic digits (Nd) stay */
		{ "\xE2\x85\xA0 and 1", "i and 1" }                /* Roman numeral one (Nl) */
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_paragraphs)
{
	static const struct case_ c[] = {
		{ "a\nb", "a\nb" },
		{ "\n\na\n\n\nb\n", "a\nb" },
		{ " a , \n , b ", "a\nb" },
		{ "!!!\n...\nx", "x" },
		{ "one two\r\nthree", "one two\nthree" },
		{ "end.\nNext", "end\nnext" }
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_ignorables_join_words)
{
	static const struct case_ c[] = {
		{ "soft\xC2\xADhyphen", "softhyphen" },
		{ "zero\xE2\x80\x8Bwidth", "zerowidth" },
		{ "\xEF\xBB\xBF" "bom", "bom" }
	};

	expect_norm(c, COUNT(c));
}

Test(text, norm_invalid_utf8_separates)
{
	char *s = norm_n("a\xFF" "b\xC3", 4);

	cr_assert_str_eq(s, "a b");
	free(s);
}

Test(text, norm_appends_to_out)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm_buf_puts(&b, "X"), 0);
	cr_assert_eq(fm_text_normalise(&b, " A\nB ", 5), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "Xa\nb");
	fm_buf_dispose(&b);
}

Test(text, norm_long_ascii_runs)
{
	/* Long enough for the 16-byte fast path, with every kind of byte at every offset. */
	static const char in[] = "The Quick Brown Fox Jumps Over The Lazy Dog 0123456789 "
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz "
				 "don't stop, U.S. 3.5 [x]  y@z `q` {r}";
	static const char want[] = "the quick brown fox jumps over the lazy dog 0123456789 "
				   "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz "
				   "dont stop us 35 x y z q r";
	char *s = norm_n(in, sizeof(in) - 1);

	cr_assert_str_eq(s, want);
	free(s);
}

/*
 * The reference: utf8proc_map on the whole string with the same options,
 * then letters and digits kept, apostrophes and periods between two of
 * them dropped, every other run a space, paragraphs trimmed. Written apart
 * from normalise.c on purpose. Appends to out.
 */
static void
norm_reference(fm_buf *out, const char *in, size_t len)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n, i = 0, k;
	utf8proc_int32_t *cps, cp;
	size_t count = 0, j;
	int *cls;
	char u[4];
	int pend = 0, any = 0;

	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &m,
			 UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
			 UTF8PROC_IGNORE | UTF8PROC_STRIPMARK);
	cr_assert(n >= 0, "utf8proc_map failed: %s", utf8proc_errmsg(n));
	cps = malloc(sizeof(*cps) * ((size_t)n + 1));
	cls = malloc(sizeof(*cls) * ((size_t)n + 1));
	cr_assert(cps && cls);
	while (i < n) {
		k = utf8proc_iterate(m + i, n - i, &cp);
		cr_assert(k > 0);
		i += k;
		cps[count++] = cp;
	}
	/* 0 separator, 1 word, 2 apostrophe or period, 3 newline */
	for (j = 0; j < count; j++) {
		utf8proc_category_t c = utf8proc_category(cps[j]);

		if (cps[j] == '\n')
			cls[j] = 3;
		else if (cps[j] == '\'' || cps[j] == 0x2019 || cps[j] == '.')
			cls[j] = 2;
		else
			cls[j] = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
				 (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
	}
	for (j = 0; j < count; j++) {
		if (cls[j] == 2 && j > 0 && j + 1 < count && cls[j - 1] == 1 && cls[j + 1] == 1)
			continue;
		if (cls[j] == 3) {
			pend = 2;
		} else if (cls[j] != 1) {
			if (!pend)
				pend = 1;
		} else {
			if (pend && any)
				fm_buf_putc(out, pend == 2 ? '\n' : ' ');
			pend = 0;
			any = 1;
			fm_buf_append(out, u, utf8proc_encode_char(cps[j], (utf8proc_uint8_t *)u));
		}
	}
	free(cps);
	free(cls);
	free(m);
}

/* Asserts that fm_text_normalise agrees with norm_reference on in[0..len). */
static void
expect_like_utf8proc(const char *in, size_t len)
{
	fm_buf a = FM_BUF_INIT, b = FM_BUF_INIT;

	cr_assert_eq(fm_text_normalise(&a, in, len), 0);
	norm_reference(&b, in, len);
	if (a.size != b.size || memcmp(fm_buf_cstr(&a), fm_buf_cstr(&b), a.size) != 0) {
		size_t i;
		fm_buf hex = FM_BUF_INIT;

		for (i = 0; i < len; i++)
			fm_buf_printf(&hex, "%02X ", (unsigned char)in[i]);
		cr_assert_fail("normalise(%s) = \"%s\", utf8proc gives \"%s\"",
			       fm_buf_cstr(&hex), fm_buf_cstr(&a), fm_buf_cstr(&b));
	}
	fm_buf_dispose(&a);
	fm_buf_dispose(&b);
}

Test(text, norm_agrees_with_utf8proc_map_on_every_code_point)
{
	char in[16];
	size_t n;
	int32_t cp;

	/* Between letters, so joining, composing and separating all show. */
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		in[0] = 'A';
		n = 1 + (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)in + 1);
		in[n++] = 'b';
		expect_like_utf8proc(in, n);
	}
}

Test(text, norm_agrees_with_utf8proc_map_on_random_text)
{
	/* Pieces that interact: jamo, marks, apostrophes, compatibility forms, ASCII. */
	static const int32_t pool[] = {
		'a', 'B', 'z', '0', '9', ' ', '\n', '\'', '.', ',', '-', 0x2019, 0x00E9, 0x0301,
		0x0308, 0x0345, 0x03A3, 0x03C2, 0x00DF, 0x0130, 0x1100, 0x1112, 0x1161, 0x1175,
		0x11A8, 0x11C2, 0xAC00, 0xAC01, 0xD7A3, 0x3131, 0x314F, 0x320E, 0xFB01, 0xFF21,
		0x2460, 0x00BD, 0x00AD, 0x200B, 0x200D, 0x4E2D, 0x30AB, 0xFF76, 0xFF9E, 0x0E01,
		0x0E33, 0x0915, 0x093F, 0x1F642, 0xFDFA, 0x2026, 0xFF07, 0xFF0E, 0x0660, 0x2167
	};
	char in[256];
	unsigned seed = 12345;
	int round, k;
	size_t n;

	for (round = 0; round < 20000; round++) {
		int count = 1 + (int)((seed >> 16) % 24);

		n = 0;
		for (k = 0; k < count; k++) {
			seed = seed * 1103515245u + 12345u;
			n += (size_t)utf8proc_encode_char(pool[(seed >> 16) % COUNT(pool)],
							  (utf8proc_uint8_t *)in + n);
		}
		seed = seed * 1103515245u + 12345u;
		expect_like_utf8proc(in, n);
	}
}

/* fm_text_words */

/* What the word callback saw. */
struct words_seen {
	char text[256];
	size_t count;
	size_t paras[16];
	int stop_at; /* return 7 at this word (1-based), 0: never */
};

/* Records each word as "word|" and its paragraph index. */
static int
words_cb(void *ud, const char *word, size_t wlen, size_t para)
{
	struct words_seen *w = ud;
	size_t used = strlen(w->text);

	cr_assert(wlen > 0);
	cr_assert(used + wlen + 2 < sizeof(w->text));
	memcpy(w->text + used, word, wlen);
	memcpy(w->text + used + wlen, "|", 2);
	if (w->count < 16)
		w->paras[w->count] = para;
	w->count++;
	return (int)w->count == w->stop_at ? 7 : 0;
}

Test(text, words_counts)
{
	struct words_seen w = { "", 0, { 0 }, 0 };

	cr_assert_eq(fm_text_words("the quick brown fox", 19, words_cb, &w), 0);
	cr_assert_eq(w.count, 4);
	cr_assert_str_eq(w.text, "the|quick|brown|fox|");
}

Test(text, words_empty_text)
{
	struct words_seen w = { "", 0, { 0 }, 0 };

	cr_assert_eq(fm_text_words("", 0, words_cb, &w), 0);
	cr_assert_eq(fm_text_words(" \n ", 3, words_cb, &w), 0);
	cr_assert_eq(w.count, 0);
}

Test(text, words_paragraph_indices)
{
	static const size_t want[] = { 0, 0, 1, 2, 2 };
	struct words_seen w = { "", 0, { 0 }, 0 };
	size_t i;

	cr_assert_eq(fm_text_words("a b\nc\nd e", 9, words_cb, &w), 0);
	cr_assert_eq(w.count, 5);
	cr_assert_str_eq(w.text, "a|b|c|d|e|");
	for (i = 0; i < 5; i++)
		cr_assert_eq(w.paras[i], want[i], "word %zu", i);
}

Test(text, words_stop_by_callback)
{
	struct words_seen w = { "", 0, { 0 }, 2 };

	cr_assert_eq(fm_text_words("one two three", 13, words_cb, &w), 7);
	cr_assert_eq(w.count, 2);
	cr_assert_str_eq(w.text, "one|two|");
}

Test(text, words_reads_only_len)
{
	struct words_seen w = { "", 0, { 0 }, 0 };

	cr_assert_eq(fm_text_words("abc def", 5, words_cb, &w), 0);
	cr_assert_str_eq(w.text, "abc|d|");
}

Test(text, words_of_normalised_html)
{
	struct words_seen w = { "", 0, { 0 }, 0 };
	static const char html[] = "<h1>Caf&eacute; Opens</h1><p>It&rsquo;s the U.S. &ndash; "
				   "<b>again</b>!</p><aside>Related: other</aside>";
	fm_buf t = FM_BUF_INIT, n = FM_BUF_INIT;

	cr_assert_eq(fm_text_from_html(&t, html, sizeof(html) - 1), 0);
	cr_assert_eq(fm_text_normalise(&n, t.ptr, t.size), 0);
	cr_assert_str_eq(fm_buf_cstr(&n), "cafe opens\nits the us again");
	cr_assert_eq(fm_text_words(n.ptr, n.size, words_cb, &w), 0);
	cr_assert_str_eq(w.text, "cafe|opens|its|the|us|again|");
	cr_assert_eq(w.paras[1], 0);
	cr_assert_eq(w.paras[2], 1);
	fm_buf_dispose(&t);
	fm_buf_dispose(&n);
}
