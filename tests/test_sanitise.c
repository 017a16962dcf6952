/* test_sanitise.c - feed HTML made safe for the HTML river: hostile vectors, balance, limits. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "feedmerge/sanitise.h"
#include "splitmix.h"

/* The elements the sanitiser may write. */
static const char *const san_ok_tags[] = {
	"a", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "i",
	"li", "ol", "p", "pre", "s", "strong", "sub", "sup", "u", "ul"
};

/* The attributes every link carries after its href. */
#define SAN_REL "\" rel=\"nofollow noopener noreferrer\">"

/* Returns 1 when s[0..n) names an element the sanitiser may write. */
static int
san_ok_tag(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(san_ok_tags) / sizeof(*san_ok_tags); i++)
		if (strlen(san_ok_tags[i]) == n && !memcmp(san_ok_tags[i], s, n))
			return 1;
	return 0;
}

/* One open element while checking: its name in the output. */
struct san_open {
	const char *name;
	size_t n;
};

/*
 * Reads out strictly as a fragment the sanitiser may write: only
 * allowlisted tags, written as the sanitiser writes them; a only as
 * <a href="http(s)/mailto URL" rel=...>, with no quote or angle bracket
 * in the URL; every end tag closes the innermost open element and all are
 * closed; '>' never in text; '&' only in &amp; &lt; &gt; &quot;. Returns
 * NULL when it passes, else what is wrong. (Plain C, not one Criterion
 * assertion per byte: Criterion reports every assertion it evaluates.)
 */
static const char *
san_bad(const char *out)
{
	struct san_open stack[64];
	const char *s = out, *e, *u, *q;
	size_t depth = 0, n;

	while (*s) {
		if (*s == '&') {
			if (strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) &&
			    strncmp(s, "&gt;", 4) && strncmp(s, "&quot;", 6))
				return "a bare &";
			s++;
			continue;
		}
		if (*s == '>')
			return "'>' in text";
		if (*s != '<') {
			s++;
			continue;
		}
		if (s[1] == '/') {
			if (!(e = strchr(s, '>')))
				return "an unended end tag";
			n = (size_t)(e - s - 2);
			if (depth == 0 || stack[depth - 1].n != n ||
			    memcmp(stack[depth - 1].name, s + 2, n))
				return "an end tag that closes nothing open";
			depth--;
			s = e + 1;
			continue;
		}
		for (e = s + 1; *e && *e != '>' && *e != ' '; e++)
			;
		n = (size_t)(e - s - 1);
		if (!san_ok_tag(s + 1, n))
			return "a tag not in the allowlist";
		if (n == 1 && s[1] == 'a') {
			if (strncmp(e, " href=\"", 7))
				return "a without href";
			u = e + 7;
			if (strncmp(u, "http:", 5) && strncmp(u, "https:", 6) && strncmp(u, "mailto:", 7))
				return "an unsafe href";
			if (!(q = strchr(u, '"')) || memchr(u, '<', (size_t)(q - u)) ||
			    memchr(u, '>', (size_t)(q - u)))
				return "markup in an href";
			if (strncmp(q, SAN_REL, strlen(SAN_REL)))
				return "a link without its rel";
			e = q + strlen(SAN_REL) - 1;
		}
		if (*e != '>')
			return "attributes on a tag";
		if (!(n == 2 && !memcmp(s + 1, "br", 2))) {
			if (depth == 64)
				return "nesting too deep";
			stack[depth].name = s + 1;
			stack[depth].n = n;
			depth++;
		}
		s = e + 1;
	}
	return depth ? "unclosed elements" : NULL;
}

/* Asserts that out passes san_bad. */
static void
san_check(const char *out, const char *in)
{
	const char *bad = san_bad(out);

	cr_assert(!bad, "%s in \"%.300s\" (from \"%.300s\")", bad, out, in);
}

/* Sanitises html[0..len) with limit max into b (cleared first), checks the result strictly, returns the cut flag. */
static int
san_buf(fm_buf *b, const char *html, size_t len, size_t max)
{
	int cut = -1;

	fm_buf_clear(b);
	cr_assert_eq(fm_sanitise_html(b, html, len, max, &cut), 0);
	cr_assert_eq(strlen(fm_buf_cstr(b)), b->size, "a NUL in the output");
	cr_assert(cut == 0 || cut == 1);
	san_check(fm_buf_cstr(b), html);
	return cut;
}

/* Asserts that html sanitised with limit max gives want. */
static void
expect_max(const char *html, size_t max, const char *want)
{
	fm_buf b = FM_BUF_INIT;

	san_buf(&b, html, strlen(html), max);
	cr_assert_str_eq(fm_buf_cstr(&b), want, "sanitise(\"%s\", %zu) gave \"%s\"", html, max,
			 fm_buf_cstr(&b));
	fm_buf_dispose(&b);
}

/* Asserts that html sanitised without limit gives want. */
static void
expect(const char *html, const char *want)
{
	expect_max(html, 0, want);
}

/* Returns fm_sanitise_url's verdict on url and leaves what it appended in *got (caller frees). */
static int
url(const char *u, char **got)
{
	fm_buf b = FM_BUF_INIT;
	int rc = fm_sanitise_url(&b, u, strlen(u));

	cr_assert(rc == 0 || rc == 1);
	cr_assert(rc == 1 || b.size == 0, "a refused URL left bytes behind");
	*got = fm_buf_detach(&b);
	return rc;
}

/* Asserts that url u is accepted and written as want. */
static void
url_ok(const char *u, const char *want)
{
	char *got;

	cr_assert_eq(url(u, &got), 1, "refused: %s", u);
	cr_assert_str_eq(got, want);
	free(got);
}

/* Asserts that url u is refused. */
static void
url_bad(const char *u)
{
	char *got;

	cr_assert_eq(url(u, &got), 0, "accepted: %s", u);
	free(got);
}

/* Builds n copies of unit after head into in (cleared first); plain C, one assertion. */
static void
san_repeat(fm_buf *in, const char *head, const char *unit, size_t n)
{
	int error;
	size_t i;

	fm_buf_clear(in);
	error = fm_buf_puts(in, head);
	for (i = 0; i < n && !error; i++)
		error = fm_buf_puts(in, unit);
	cr_assert_eq(error, 0);
}

/* What the tags and text look like */

Test(sanitise, text_is_escaped_again)
{
	expect("a < b & c > d", "a &lt; b &amp; c &gt; d");
	expect("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect("&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;");
	expect("caf&eacute; &#8212; &#x263a; &copy; 2024", "caf\xc3\xa9 \xe2\x80\x94 \xe2\x98\xba \xc2\xa9 2024");
	expect("\"quoted\" 'single'", "\"quoted\" 'single'");
	expect("", "");
}

Test(sanitise, allowlist_kept)
{
	expect("<p>One <b>two</b> <i>three</i> <em>4</em> <strong>5</strong> <code>x</code></p>",
	       "<p>One <b>two</b> <i>three</i> <em>4</em> <strong>5</strong> <code>x</code></p>");
	expect("<blockquote><p>q</p></blockquote><pre>a  b\n c</pre>",
	       "<blockquote><p>q</p></blockquote><pre>a  b\n c</pre>");
	expect("<ul><li>one</li><li>two</li></ul><ol><li>3</li></ol>",
	       "<ul><li>one</li><li>two</li></ul><ol><li>3</li></ol>");
	expect("a<br>b<br/>c</br>d", "a<br>b<br>c<br>d");
	expect("<H1>Big</H1><h2>b</h2><h4>s</h4>", "<h3>Big</h3><h3>b</h3><h4>s</h4>");
	expect("<P>Upper <B>case</B></P>", "<p>Upper <b>case</b></p>");
}

Test(sanitise, other_tags_dropped_text_kept)
{
	expect("<div>one</div><div>two</div>", "one two");
	expect("<span class=x>in</span>line", "inline");
	expect("<table><tr><td>a</td><td>b</td></tr></table>", "a b");
	expect("<font color=red>red</font> <img src=x alt=pic> text", "red text");
	expect("<figure><img src=a.jpg><figcaption>Cap</figcaption></figure>", "Cap");
}

Test(sanitise, white_space_collapses)
{
	expect("  lots \n\t of   space  ", "lots of space");
	expect("<p> a </p> <p> b </p>", "<p>a</p><p>b</p>");
	expect("a\x01\x02\x7f" "b\xc2\x85" "c", "abc");
}

Test(sanitise, malformed_utf8)
{
	expect("a\xff" "b\xc3", "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	expect("&#0;&#xD800;", "\xef\xbf\xbd\xef\xbf\xbd");
}

/* Scripts and their friends */

Test(sanitise, script_and_style_dropped_with_content)
{
	expect("<p>hi<script>alert(1)</script> there</p>", "<p>hi there</p>");
	expect("<SCRIPT type=text/javascript>document.title='x'</SCRIPT>ok", "ok");
	expect("<script>var s = '</scr' + 'ipt>'; alert(1)</script>after", "after");
	expect("<script>a</script x>b</script >c", "bc");
	expect("<script src=//evil.example/x.js></script>t", "t");
	expect("<style>body{display:none}</style>t", "t");
	expect("a<script>never closed <b>bold</b>", "a");
	expect("<noscript><p>x</p></noscript>y", "y");
	expect("<textarea><script>alert(1)</script></textarea>z", "z");
	expect("<title>T</title>body", "body");
	expect("<xmp><b></xmp>ok", "ok");
}

Test(sanitise, event_handlers_and_styles_dropped)
{
	expect("<img src=x onerror=alert(1)>text", "text");
	expect("<img src=x onerror=\"document.body.innerHTML='pwned'\">", "");
	expect("<b onclick=\"alert(1)\" onmouseover=alert(2)>t</b>", "<b>t</b>");
	expect("<p style=\"background:url(javascript:alert(1))\">t</p>", "<p>t</p>");
	expect("<a href=\"https://ok.example/\" onclick=\"alert(1)\" style=\"x\" target=_top>t</a>",
	       "<a href=\"https://ok.example/" SAN_REL "t</a>");
	expect("<body onload=alert(1)>x", "x");
	expect("<p/onclick=alert(1)>x</p>", "<p>x</p>");
}

Test(sanitise, embedded_content_dropped)
{
	expect("<svg onload=alert(1)><script>alert(2)</script><text>inner</text></svg>after", "after");
	expect("<svg><svg><g/></svg>still</svg>out", "out");
	expect("<math><mi xlink:href=javascript:alert(1)>x</mi></math>m", "m");
	expect("<iframe src=javascript:alert(1)></iframe>i", "i");
	expect("<iframe srcdoc=\"<script>alert(1)</script>\">fallback</iframe>i", "i");
	expect("<object data=x.swf><param name=a value=b>fb</object>o", "o");
	expect("<embed src=x.swf>e", "e");
	expect("<form action=javascript:alert(1)><input value=v><button>b</button></form>f", "f");
	expect("<template><script>alert(1)</script></template>t", "t");
	expect("<video src=x onerror=alert(1)><source src=y></video>v", "v");
	expect("<select><option>o</select>s", "s");
	expect("<svg/>self-closed", "self-closed");
}

/* Links */

Test(sanitise, links_keep_safe_href_only)
{
	expect("<a href=\"https://example.org/a?b=1&amp;c=2\">x</a>",
	       "<a href=\"https://example.org/a?b=1&amp;c=2" SAN_REL "x</a>");
	expect("<a href='http://example.org/'>x</a>", "<a href=\"http://example.org/" SAN_REL "x</a>");
	expect("<a href=http://example.org/path>x</a>",
	       "<a href=\"http://example.org/path" SAN_REL "x</a>");
	expect("<a href=\"mailto:desk@example.org\">mail</a>",
	       "<a href=\"mailto:desk@example.org" SAN_REL "mail</a>");
	expect("<a href=\"//cdn.example/x\">p</a>", "<a href=\"https://cdn.example/x" SAN_REL "p</a>");
	expect("<a title=\"t\" HREF=\"HTTPS://Example.org/\" href=\"javascript:alert(1)\">x</a>",
	       "<a href=\"https://Example.org/" SAN_REL "x</a>");
	expect("<a name=top>anchor</a>", "anchor");
	expect("<a href>empty</a>", "empty");
}

Test(sanitise, links_with_unsafe_schemes_lose_their_tag)
{
	static const char *const bad[] = {
		"<a href=\"javascript:alert(1)\">x</a>",
		"<a href=\"JaVaScRiPt:alert(1)\">x</a>",
		"<a href=\" javascript:alert(1)\">x</a>",
		"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
		"<a href=\"jav&#9;ascript:alert(1)\">x</a>",
		"<a href=\"java&#x0A;script:alert(1)\">x</a>",
		"<a href=\"java&#13;script:alert(1)\">x</a>",
		"<a href=\"jav\tascript:alert(1)\">x</a>",
		"<a href=\"&#106;avascript:alert(1)\">x</a>",
		"<a href=\"&#x6A;&#x61;vascript:alert(1)\">x</a>",
		"<a href=\"&#0000106;avascript:alert(1)\">x</a>",
		"<a href=\"javascript&colon;alert(1)\">x</a>",
		"<a href=\"javascript&#58;alert(1)\">x</a>",
		"<a href=\"&#1;javascript:alert(1)\">x</a>",
		"<a href=\"\x01javascript:alert(1)\">x</a>",
		"<a href=javascript:alert(1)>x</a>",
		"<a href='javascript:alert(1)'>x</a>",
		"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
		"<a href=\"DATA:text/html,<script>alert(1)</script>\">x</a>",
		"<a href=\"vbscript:msgbox(1)\">x</a>",
		"<a href=\"VBScript:msgbox(1)\">x</a>",
		"<a href=\"file:///etc/passwd\">x</a>",
		"<a href=\"/relative/path\">x</a>",
		"<a href=\"relative\">x</a>",
		"<a href=\"#top\">x</a>",
		"<a href=\"java script:alert(1)\">x</a>",
		"<a href=\"\\\\evil.example/x\">x</a>",
		"<a href=\"&#x2F;&#x2F;\">x</a>x",
		"<a href=\"  \">x</a>",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		fm_buf b = FM_BUF_INIT;

		san_buf(&b, bad[i], strlen(bad[i]), 0);
		cr_assert(!strstr(fm_buf_cstr(&b), "<a"), "kept a link: %s -> %s", bad[i], fm_buf_cstr(&b));
		cr_assert(strstr(fm_buf_cstr(&b), "x"), "lost the text: %s", bad[i]);
		fm_buf_dispose(&b);
	}
	/* A NUL inside the value. */
	{
		static const char nul[] = "<a href=\"java\0script:alert(1)\">x</a>";
		fm_buf b = FM_BUF_INIT;

		san_buf(&b, nul, sizeof(nul) - 1, 0);
		cr_assert_str_eq(fm_buf_cstr(&b), "x");
		fm_buf_dispose(&b);
	}
}

Test(sanitise, quotes_in_href_stay_inside_it)
{
	expect("<a href='http://x.example/\"onmouseover=\"alert(1)'>t</a>",
	       "<a href=\"http://x.example/&quot;onmouseover=&quot;alert(1)" SAN_REL "t</a>");
	expect("<a href=\"http://x.example/<script>\">t</a>",
	       "<a href=\"http://x.example/&lt;script&gt;" SAN_REL "t</a>");
	expect("<a href=\"http://ok.example/\" x='>'>y</a>", "<a href=\"http://ok.example/" SAN_REL "y</a>");
}

Test(sanitise, a_does_not_nest)
{
	expect("<a href=\"http://a.example/\">1<a href=\"http://b.example/\">2</a>3</a>",
	       "<a href=\"http://a.example/" SAN_REL "12</a>3");
}

Test(sanitise, urls)
{
	url_ok("http://example.org/", "http://example.org/");
	url_ok("HTTPS://Example.org/A", "https://Example.org/A");
	url_ok("  https://example.org/x  ", "https://example.org/x");
	url_ok("ht\ttp://exa\nmple.org/", "http://example.org/");
	url_ok("mailto:a@example.org", "mailto:a@example.org");
	url_ok("//cdn.example/x", "https://cdn.example/x");
	url_bad("//");
	url_bad("///evil.example/");
	url_bad("//\\evil.example/");
	url_ok("https:relative-but-https", "https:relative-but-https");
	url_bad("javascript:alert(1)");
	url_bad("JAVASCRIPT:alert(1)");
	url_bad("\x01\x02 javascript:alert(1)");
	url_bad("java\tscript:alert(1)");
	url_bad("data:text/html,x");
	url_bad("vbscript:x");
	url_bad("about:blank");
	url_bad("ftp://example.org/");
	url_bad("http");
	url_bad(":http://x/");
	url_bad("/abs/path");
	url_bad("?q=1");
	url_bad("#x");
	url_bad("");
	url_bad("http://exa\x01mple.org/");
	url_bad("http://exa\x7fmple.org/");
	url_bad("\xc2\xa0http://example.org/");
	url_bad("1http://example.org/");
	url_bad("http://exa\xf4mple.org/");
	url_bad("http://example.org/\xc2\x85");
	url_ok("http://example.org/caf\xc3\xa9", "http://example.org/caf\xc3\xa9");
}

/* Balance */

Test(sanitise, unclosed_tags_closed)
{
	expect("<p><b>bold", "<p><b>bold</b></p>");
	expect("<ul><li>one<li>two", "<ul><li>one</li><li>two</li></ul>");
	expect("<blockquote><pre>x", "<blockquote><pre>x</pre></blockquote>");
}

Test(sanitise, misnested_tags_fixed)
{
	expect("<b><i>x</b>y</i>", "<b><i>x</i></b>y");
	expect("<p>para<ul><li>one<li>two</ul>", "<p>para</p><ul><li>one</li><li>two</li></ul>");
	expect("<p>one<p>two", "<p>one</p><p>two</p>");
	expect("<b>bold<p>para</p></b>", "<b>bold</b><p>para</p>");
	expect("<h3>head<p>p</h3>", "<h3>head</h3><p>p</p>");
	expect("<li>orphan</li>", "orphan");
	expect("<ul><li>a<ul><li>b</ul>c</li></ul>", "<ul><li>a<ul><li>b</li></ul>c</li></ul>");
	expect("</p></b>stray ends</li></ul>", "stray ends");
}

Test(sanitise, cannot_break_out_of_its_container)
{
	expect("text</div></div></article></main></body></html><script>alert(1)</script>",
	       "text");
	expect("</div><div class=\"story\" onclick=alert(1)>fake story</div>", "fake story");
	expect("<p>x</div>y</p>z", "<p>x y</p>z");
}

Test(sanitise, comments_and_cdata_dropped)
{
	expect("a<!-- <script>alert(1)</script> -->b", "ab");
	expect("a<!--[if IE]><script>alert(1)</script><![endif]-->b", "ab");
	expect("a<!--> b", "a b");
	expect("a<!-- never closed <b>x</b>", "a");
	expect("a<![CDATA[<script>alert(1)</script>]]>b", "ab");
	expect("a<!DOCTYPE html>b<?php echo 1 ?>c</ not a tag>d", "abcd");
}

Test(sanitise, unterminated_markup_dropped)
{
	expect("text<a href=\"http://x.example/", "text");
	expect("text<b", "text");
	expect("text<a href='http://x.example/>t</a>", "text");
	expect("a < b <3", "a &lt; b &lt;3");
}

Test(sanitise, attributes_without_quotes)
{
	expect("<a href=http://x.example/?a=1&b=2 title=t>x</a>",
	       "<a href=\"http://x.example/?a=1&amp;b=2" SAN_REL "x</a>");
	expect("<a href = \"http://x.example/\" >x</a >", "<a href=\"http://x.example/" SAN_REL "x</a>");
	expect("<b class=a onclick=b>x</b>", "<b>x</b>");
}

Test(sanitise, depth_is_bounded)
{
	fm_buf in = FM_BUF_INIT, b = FM_BUF_INIT;

	san_repeat(&in, "", "<blockquote><b>", 1000);
	cr_assert_eq(fm_buf_puts(&in, "deep"), 0);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert(strstr(fm_buf_cstr(&b), "deep"));
	fm_buf_dispose(&in);
	fm_buf_dispose(&b);
}

/* Length */

Test(sanitise, cut_at_a_word)
{
	fm_buf b = FM_BUF_INIT;
	const char *in = "one two three four five";

	expect_max(in, 10, "one two\xe2\x80\xa6");
	expect_max(in, 7, "one two\xe2\x80\xa6");
	expect_max(in, 100, "one two three four five");
	expect_max(in, 23, "one two three four five");
	expect_max("abcdefghij", 4, "abcd\xe2\x80\xa6");
	expect_max("<p>one <b>two three</b> four</p>", 9, "<p>one <b>two\xe2\x80\xa6</b></p>");
	expect_max("<ul><li>alpha beta</li><li>gamma</li></ul>", 8,
		   "<ul><li>alpha\xe2\x80\xa6</li></ul>");
	expect_max("caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9", 9, "caf\xc3\xa9 caf\xc3\xa9\xe2\x80\xa6");
	cr_assert_eq(san_buf(&b, in, strlen(in), 10), 1);
	cr_assert_eq(san_buf(&b, in, strlen(in), 0), 0);
	cr_assert_eq(san_buf(&b, in, strlen(in), 23), 0);
	fm_buf_dispose(&b);
}

Test(sanitise, huge_inputs)
{
	fm_buf in = FM_BUF_INIT, b = FM_BUF_INIT;
	int error = 0;
	size_t i;

	/* 8 MB of mixed markup: linear, bounded, balanced. */
	for (i = 0; in.size < 8u << 20 && !error; i++)
		error = fm_buf_printf(&in, "<p><b>word%zu <i>and</b> <a href=\"javascript:x\">"
				      "more</a><!-- c --><script>alert(%zu)</script> ", i, i);
	cr_assert_eq(error, 0);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_gt(b.size, 1u << 20);
	cr_assert(!strstr(fm_buf_cstr(&b), "alert"));
	san_buf(&b, in.ptr, in.size, 480);
	cr_assert_lt(b.size, 4096);
	/* An unterminated comment, tag, quoted value, raw element, dropped element. */
	san_repeat(&in, "x<!--", "-- > <", 1u << 20);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	san_repeat(&in, "x<a href=\"", "-- > <", 1u << 20);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	san_repeat(&in, "x<script>", "</scrip> <", 1u << 20);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	san_repeat(&in, "x<svg>", "<svg><p>a</p>", 1u << 19);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "x");
	/* A million unclosed elements: 32 levels kept, all closed. */
	san_repeat(&in, "", "<blockquote><b>x", 1u << 20);
	san_buf(&b, in.ptr, in.size, 0);
	cr_assert_gt(b.size, 1u << 20);
	fm_buf_dispose(&in);
	fm_buf_dispose(&b);
}

Test(sanitise, appends_to_what_is_there)
{
	fm_buf b = FM_BUF_INIT;

	cr_assert_eq(fm_buf_puts(&b, "<div>"), 0);
	cr_assert_eq(fm_sanitise_html(&b, "<p>x", 4, 0, NULL), 0);
	cr_assert_str_eq(fm_buf_cstr(&b), "<div><p>x</p>");
	fm_buf_dispose(&b);
}

/* Random soup from hostile pieces: whatever comes in, what goes out reads strictly. */
Test(sanitise, random_soup)
{
	static const char *const bits[] = {
		"<p>", "</p>", "<b>", "</b>", "<i", ">", "<", "</", "\"", "'", "=", " ",
		"<a href=\"http://ok.example/\">", "<a href=javascript:alert(1)>", "</a>",
		"<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<![CDATA[",
		"]]>", "<svg>", "</svg>", "<ul>", "<li>", "</ul>", "<ol>", "</li>", "<pre>",
		"</pre>", "<blockquote>", "</div>", "<img src=x onerror=alert(1)>", "&amp;",
		"&", "&#x3c;", "&lt;", "&#0;", "word", "\xc3\xa9", "\xff", "\n", "<br/>",
		"<h1>", "</h2>", "<textarea>", "</textarea>", "<a href='//x.example/", "onload=",
		"<math>", "</math>", "<table><td>", "<form>", "</form>", "<p/>"
	};
	uint64_t seed = 20240601;
	fm_buf in = FM_BUF_INIT, b = FM_BUF_INIT, again = FM_BUF_INIT;
	int round, k, n;

	for (round = 0; round < 3000; round++) {
		fm_buf_clear(&in);
		n = (int)(rnd(&seed) % 40);
		for (k = 0; k < n; k++)
			if (fm_buf_puts(&in, bits[rnd(&seed) % (sizeof(bits) / sizeof(*bits))]) < 0)
				cr_assert_fail("out of memory");
		san_buf(&b, in.ptr ? in.ptr : "", in.size, round % 3 ? 0 : (size_t)(rnd(&seed) % 30));
		cr_assert(!strstr(fm_buf_cstr(&b), "<script"), "%s -> %s", fm_buf_cstr(&in), fm_buf_cstr(&b));
		/* What comes out is a fixed point: sanitising it again changes nothing. */
		san_buf(&again, b.ptr, b.size, 0);
		cr_assert_str_eq(fm_buf_cstr(&again), fm_buf_cstr(&b), "not idempotent on %s", fm_buf_cstr(&in));
	}
	fm_buf_dispose(&in);
	fm_buf_dispose(&b);
	fm_buf_dispose(&again);
}
