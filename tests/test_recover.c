/* test_recover.c - the forgiving tokenizer of the recovery pass. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "parse/recover.h"

#define XMLNS "http://www.w3.org/XML/1998/namespace"

/* Records events as S{uri|local}[a=v,...], T(text), E{uri|local}. */
typedef struct rec {
	fm_buf out;
	fm_buf text;          /* adjacent text, joined */
	fm__recover *r;
	const char *stop_at;  /* stop when an element of this name starts */
} rec;

/* Appends s with the namespace separator shown as '|'. */
static void
rec_name(fm_buf *b, const char *s)
{
	for (; *s; s++)
		fm_buf_putc(b, *s == FM_NS_SEP ? '|' : *s);
}

/* Writes out any joined text. */
static void
rec_flush(rec *t)
{
	if (!t->text.size)
		return;
	fm_buf_printf(&t->out, "T(%s)", t->text.ptr);
	fm_buf_clear(&t->text);
}

static void
rec_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	rec *t = ud;
	size_t i;

	rec_flush(t);
	fm_buf_puts(&t->out, "S{");
	rec_name(&t->out, name);
	fm_buf_putc(&t->out, '}');
	for (i = 0; atts[i]; i += 2) {
		fm_buf_putc(&t->out, i ? ',' : '[');
		rec_name(&t->out, atts[i]);
		fm_buf_printf(&t->out, "=%s", atts[i + 1]);
	}
	if (i)
		fm_buf_putc(&t->out, ']');
	if (t->stop_at && !strcmp(name, t->stop_at))
		fm__recover_stop(t->r);
}

static void
rec_end(void *ud, const XML_Char *name)
{
	rec *t = ud;

	rec_flush(t);
	fm_buf_puts(&t->out, "E{");
	rec_name(&t->out, name);
	fm_buf_putc(&t->out, '}');
}

static void
rec_text(void *ud, const XML_Char *s, int len)
{
	rec *t = ud;

	cr_assert_gt(len, 0);
	fm_buf_append(&t->text, s, (size_t)len);
}

/*
 * Feeds in[0..len) in chunks of chunk bytes (0: all at once) and returns
 * the event string (free() it); *rc gets the last non-zero return code.
 */
static char *
run_full(const char *in, size_t len, size_t chunk, const fm__ns_binding *b,
	 size_t nb, size_t max_token, const char *stop_at, int *rc)
{
	rec t = { FM_BUF_INIT, FM_BUF_INIT, NULL, stop_at };
	fm__recover_handlers h = { rec_start, rec_end, rec_text, &t };
	size_t off, k;
	int e;

	cr_assert_eq(fm__recover_new(&t.r, &h, b, nb, max_token), 0);
	*rc = 0;
	if (!chunk)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += k) {
		k = len - off < chunk ? len - off : chunk;
		if ((e = fm__recover_push(t.r, in + off, k)) != 0)
			*rc = e;
	}
	if ((e = fm__recover_finish(t.r)) != 0)
		*rc = e;
	rec_flush(&t);
	fm__recover_free(t.r);
	fm_buf_dispose(&t.text);
	fm_buf_puts(&t.out, "");
	return fm_buf_detach(&t.out);
}

/* Returns the events for in fed whole, with no bindings. */
static char *
run(const char *in)
{
	int rc;

	return run_full(in, strlen(in), 0, NULL, 0, 1 << 20, NULL, &rc);
}

/* Asserts that in gives the events want, whole and byte by byte. */
static void
check(const char *in, const char *want)
{
	int rc;
	char *got = run(in);
	char *got1 = run_full(in, strlen(in), 1, NULL, 0, 1 << 20, NULL, &rc);

	cr_assert_str_eq(got, want, "input: %s", in);
	cr_assert_str_eq(got1, want, "input (1-byte chunks): %s", in);
	free(got);
	free(got1);
}

Test(recover, plain_elements_text_and_attributes)
{
	check("<a x=\"1\" y='2'>hi <b/>there</a>",
	      "S{a}[x=1,y=2]T(hi )S{b}E{b}T(there)E{a}");
}

Test(recover, default_namespace)
{
	check("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type='html'>t</title></feed>",
	      "S{http://www.w3.org/2005/Atom|feed}"
	      "S{http://www.w3.org/2005/Atom|title}[type=html]T(t)"
	      "E{http://www.w3.org/2005/Atom|title}E{http://www.w3.org/2005/Atom|feed}");
}

Test(recover, declared_prefix_on_elements_and_attributes)
{
	check("<r xmlns:p='urn:p'><p:a p:k='v' k='w'/></r>",
	      "S{r}S{urn:p|a}[urn:p|k=v,k=w]E{urn:p|a}E{r}");
}

Test(recover, initial_bindings_are_in_scope)
{
	fm__ns_binding b[] = { { "", "urn:d" }, { "x", "urn:x" } };
	int rc;
	char *got = run_full("<a><x:b/></a>", 13, 0, b, 2, 1 << 20, NULL, &rc);

	cr_assert_str_eq(got, "S{urn:d|a}S{urn:x|b}E{urn:x|b}E{urn:d|a}");
	free(got);
}

Test(recover, redeclaration_is_scoped_to_the_element)
{
	check("<a xmlns='urn:1' xmlns:p='urn:p'>"
	      "<b xmlns='urn:2' xmlns:p='urn:q'><p:c/></b><b/><p:c/>"
	      "<d xmlns=''/></a>",
	      "S{urn:1|a}S{urn:2|b}S{urn:q|c}E{urn:q|c}E{urn:2|b}"
	      "S{urn:1|b}E{urn:1|b}S{urn:p|c}E{urn:p|c}S{d}E{d}E{urn:1|a}");
}

Test(recover, xml_prefix_attributes)
{
	check("<a xml:base='http://x/' xml:lang=en/>",
	      "S{a}[" XMLNS "|base=http://x/," XMLNS "|lang=en]E{a}");
}

Test(recover, undeclared_wellknown_prefixes)
{
	check("<i><dc:creator>x</dc:creator><content:encoded/><media:content url=u/></i>",
	      "S{i}S{http://purl.org/dc/elements/1.1/|creator}T(x)"
	      "E{http://purl.org/dc/elements/1.1/|creator}"
	      "S{http://purl.org/rss/1.0/modules/content/|encoded}"
	      "E{http://purl.org/rss/1.0/modules/content/|encoded}"
	      "S{http://search.yahoo.com/mrss/|content}[url=u]"
	      "E{http://search.yahoo.com/mrss/|content}E{i}");
}

Test(recover, undeclared_unknown_prefix)
{
	check("<foo:bar foo:a='1'/>",
	      "S{urn:feedmerge:undeclared:foo|bar}[urn:feedmerge:undeclared:foo|a=1]"
	      "E{urn:feedmerge:undeclared:foo|bar}");
}

Test(recover, declared_prefix_beats_wellknown)
{
	check("<dc:a xmlns:dc='urn:mine'/>", "S{urn:mine|a}E{urn:mine|a}");
}

Test(recover, namespace_declarations_are_not_attributes)
{
	check("<a xmlns:z='urn:z' xmlns='urn:d' k='1'/>", "S{urn:d|a}[k=1]E{urn:d|a}");
}

Test(recover, bare_ampersand_is_literal)
{
	check("<t>Fish & Chips &; &#; &#xZZ; &unknown; AT&T</t>",
	      "S{t}T(Fish & Chips &; &#; &#xZZ; &unknown; AT&T)E{t}");
}

Test(recover, predefined_and_numeric_references)
{
	check("<t>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#X43; &#x20AC;&#128512;</t>",
	      "S{t}T(&<>\"' ABC \xe2\x82\xac\xf0\x9f\x98\x80)E{t}");
}

Test(recover, invalid_code_points_become_replacement_char)
{
	check("<t>&#0;|&#xD800;|&#x110000;|&#1;|&#xFFFE;|&#99999999999999999999;</t>",
	      "S{t}T(\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd|"
	      "\xef\xbf\xbd|\xef\xbf\xbd)E{t}");
}

Test(recover, html_named_references)
{
	check("<t>caf&eacute;&hellip; it&rsquo;s&nbsp;x</t>",
	      "S{t}T(caf\xc3\xa9\xe2\x80\xa6 it\xe2\x80\x99s\xc2\xa0x)E{t}");
}

Test(recover, references_without_semicolon)
{
	check("<t>&amp &lt &gt &quot &nbsp|&apos &eacute &hellip</t>",
	      "S{t}T(& < > \" \xc2\xa0|&apos &eacute &hellip)E{t}");
}

Test(recover, reference_name_too_long_is_literal)
{
	check("<t>&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;</t>",
	      "S{t}T(&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;)E{t}");
}

Test(recover, references_in_attribute_values)
{
	check("<a href='?a=1&b=2&amp;c=3&eacute;&#65;' t=\"x&quot;y\"/>",
	      "S{a}[href=?a=1&b=2&c=3\xc3\xa9" "A,t=x\"y]E{a}");
}

Test(recover, attribute_whitespace_is_normalised)
{
	check("<a t='a\tb\nc\r\nd&#10;e'/>", "S{a}[t=a b c d\ne]E{a}");
}

Test(recover, unquoted_and_single_quoted_attributes)
{
	check("<a href=http://x/y?z=1 b='it\"s' c = 3>t</a>",
	      "S{a}[href=http://x/y?z=1,b=it\"s,c=3]T(t)E{a}");
}

Test(recover, slash_after_unquoted_value_self_closes)
{
	check("<r><a href=/x/>t</r>", "S{r}S{a}[href=/x]E{a}T(t)E{r}");
	check("<r><a href=/x/ >t</r>", "S{r}S{a}[href=/x/]T(t)E{a}E{r}");
}

Test(recover, attribute_without_value_takes_its_name)
{
	check("<option selected value=1 disabled>o</option>",
	      "S{option}[selected=selected,value=1,disabled=disabled]T(o)E{option}");
}

Test(recover, duplicate_attribute_keeps_the_first)
{
	check("<a x='1' y='2' x='3' xmlns:p='urn:a' p:z='4' p:z='5'/>",
	      "S{a}[x=1,y=2,urn:a|z=4]E{a}");
}

Test(recover, lt_and_gt_inside_attribute_values)
{
	check("<a title='<b>bold</b>' alt=\"1>0\">t</a>",
	      "S{a}[title=<b>bold</b>,alt=1>0]T(t)E{a}");
}

Test(recover, lt_not_starting_markup_is_text)
{
	check("<t>5 < 6, 1<2, a <= b, <3 <</t>",
	      "S{t}T(5 < 6, 1<2, a <= b, <3 <)E{t}");
}

Test(recover, lt_at_end_of_input_is_text)
{
	check("x <", "T(x <)");
}

Test(recover, mismatched_end_tag_closes_inner_elements)
{
	check("<d><p>one<br>two<i>three</d>after",
	      "S{d}S{p}T(one)S{br}T(two)S{i}T(three)E{i}E{br}E{p}E{d}T(after)");
}

Test(recover, void_elements_are_closed_by_their_parent)
{
	check("<description>a<br>b<img src=x>c</description>",
	      "S{description}T(a)S{br}T(b)S{img}[src=x]T(c)E{img}E{br}E{description}");
}

Test(recover, stray_end_tag_is_ignored_when_elements_are_open)
{
	check("<a>x</b>y</a>", "S{a}T(xy)E{a}");
}

Test(recover, end_tag_with_empty_stack_is_passed_on)
{
	check("<title>t</title></item><dc:x></dc:x></channel>",
	      "S{title}T(t)E{title}E{item}S{http://purl.org/dc/elements/1.1/|x}"
	      "E{http://purl.org/dc/elements/1.1/|x}E{channel}");
}

Test(recover, end_tag_with_empty_stack_resolves_initial_bindings)
{
	fm__ns_binding b[] = { { "", "http://www.w3.org/2005/Atom" } };
	int rc;
	char *got = run_full("</entry>", 8, 0, b, 1, 1 << 20, NULL, &rc);

	cr_assert_str_eq(got, "E{http://www.w3.org/2005/Atom|entry}");
	free(got);
}

Test(recover, missing_end_tags_are_closed_at_finish)
{
	check("<item><title>t<b>bold", "S{item}S{title}T(t)S{b}T(bold)E{b}E{title}E{item}");
}

Test(recover, incomplete_tag_at_eof_is_dropped)
{
	check("<item><title>t</title><link href='x", "S{item}S{title}T(t)E{title}E{item}");
}

Test(recover, end_tag_closes_elements_opened_with_xmlns)
{
	check("<a><b xmlns='urn:b'><c></a><c/>",
	      "S{a}S{urn:b|b}S{urn:b|c}E{urn:b|c}E{urn:b|b}E{a}S{c}E{c}");
}

Test(recover, cdata_becomes_text_without_decoding)
{
	check("<t>a<![CDATA[<b>&amp; ]] ]]]></t>",
	      "S{t}T(a<b>&amp; ]] ])E{t}");
}

Test(recover, unterminated_cdata_text_is_emitted)
{
	check("<t><![CDATA[abc]", "S{t}T(abc])E{t}");
	check("<t><![CDATA[abc]]", "S{t}T(abc]])E{t}");
}

Test(recover, comments_and_processing_instructions_are_skipped)
{
	check("<?xml version='1.0'?><a><!-- <b> -- > --->x<?php echo '>' ?>y</a>",
	      "S{a}T(xy)E{a}");
}

Test(recover, unterminated_comment_and_pi_are_dropped)
{
	check("<a>x<!-- never closed <b>", "S{a}T(x)E{a}");
	check("<a>x<?pi never closed", "S{a}T(x)E{a}");
	check("<a>x<!DOCTYPE never closed", "S{a}T(x)E{a}");
}

Test(recover, doctype_with_internal_subset_is_skipped)
{
	check("<!DOCTYPE rss PUBLIC \"-//x//EN\" \"http://x/a>b\" [\n"
	      "  <!ENTITY foo \"]>bar\">\n"
	      "  <!-- a ] comment > with ' quote -->\n"
	      "  <!ELEMENT rss ANY>\n"
	      "]><rss>&foo;</rss>",
	      "S{rss}T(&foo;)E{rss}");
}

Test(recover, other_declarations_are_skipped)
{
	check("<a><![if !IE]>x<![endif]><!ELEMENT a ANY><!></a>", "S{a}T(x)E{a}");
}

Test(recover, line_ends_are_normalised_in_text)
{
	check("<t>a\r\nb\rc\n\r</t>", "S{t}T(a\nb\nc\n\n)E{t}");
	/* A CR written as a reference is kept, and does not swallow the LF. */
	check("<t>a&#13;\nb</t>", "S{t}T(a\r\nb)E{t}");
}

static const char *const chunk_inputs[] = {
	"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x 'y>'>]><rss><channel>",
	"<item><title>Fish &amp Chips & more &eacute;&#233;&#xE9;</title></item>",
	"<a href=\"x?a=1&b=2\" t='it&apos;s' u=v w>text</a>",
	"<t>a<![CDATA[b]]c]]]>d]]>e</t><t><![CDATA[unterminated]",
	"<a><!-- c -- -> --->b<?pi ?? ?>c</a>",
	"<dc:creator xmlns:dc='urn:x'>me</dc:creator><media:thumbnail url=u />",
	"<p>one<br>two<i>three</p></item></channel>",
	"5 < 6 &lt; 7 &#x1F600; &nbsp &nbsp; &hellip",
	"<t>line1\r\nline2\rline3\r</t>\r\n<x/>",
	"<a b='<c>' d=\"e>f\" g=h/i/>j</a>",
	"<r xmlns='urn:r'><s xmlns='urn:s' xmlns:p='urn:p'><p:q/></s><s/></r>",
	"<x>&&amp;&&#;&#x;&#38;&amp;amp;</x><y>trailing &amp",
	"<a>truncated <b attr='never closed",
};

Test(recover, chunking_does_not_change_events)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 4096 };
	size_t i, k;
	int rc;

	for (i = 0; i < sizeof(chunk_inputs) / sizeof(chunk_inputs[0]); i++) {
		const char *in = chunk_inputs[i];
		char *want = run_full(in, strlen(in), 0, NULL, 0, 1 << 20, NULL, &rc);

		for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			char *got = run_full(in, strlen(in), chunks[k], NULL, 0,
					     1 << 20, NULL, &rc);

			cr_assert_str_eq(got, want, "input %zu, chunk %zu", i, chunks[k]);
			free(got);
		}
		free(want);
	}
}

/* Returns the next number of a fixed pseudo-random sequence. */
static unsigned
lcg(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

Test(recover, random_fragments_in_random_chunks_match_whole_input)
{
	static const char *const frag[] = {
		"<", ">", "/", "a", "b:c", " x=", "'", "\"", "=", "&", "amp", ";",
		"#", "x41", "<!--", "-->", "-", "]]>", "<![CDATA[", "]", "<?", "?>",
		"<!DOCTYPE", "[", "\r", "\n", " ", "xmlns", ":p", "=\"urn:u\"",
		"</", "nbsp", "text", "<a>", "</a>", "/>",
	};
	unsigned seed = 12345;
	fm_buf in = FM_BUF_INIT;
	size_t round, k, off, len, max_token;
	fm__recover_handlers h = { rec_start, rec_end, rec_text, NULL };
	rec t;
	char *want;
	int rc;

	for (round = 0; round < 300; round++) {
		fm_buf_clear(&in);
		len = 1 + lcg(&seed) % 60;
		for (k = 0; k < len; k++)
			fm_buf_puts(&in, frag[lcg(&seed) % (sizeof(frag) / sizeof(frag[0]))]);
		max_token = round % 3 ? 1 << 20 : 16 + lcg(&seed) % 48;
		want = run_full(in.ptr, in.size, 0, NULL, 0, max_token, NULL, &rc);
		memset(&t, 0, sizeof(t));
		h.userdata = &t;
		cr_assert_eq(fm__recover_new(&t.r, &h, NULL, 0, max_token), 0);
		for (off = 0; off < in.size; off += len) {
			len = 1 + lcg(&seed) % 9;
			len = len < in.size - off ? len : in.size - off;
			fm__recover_push(t.r, in.ptr + off, len);
		}
		fm__recover_finish(t.r);
		rec_flush(&t);
		cr_assert_str_eq(fm_buf_cstr(&t.out), want, "input: %s", in.ptr);
		fm__recover_free(t.r);
		fm_buf_dispose(&t.out);
		fm_buf_dispose(&t.text);
		free(want);
	}
	fm_buf_dispose(&in);
}

Test(recover, stop_from_handler_emits_nothing_more)
{
	int rc;
	char *got = run_full("<a>x<b>y</b><c/></a>", 20, 0, NULL, 0, 1 << 20, "b", &rc);

	cr_assert_str_eq(got, "S{a}T(x)S{b}");
	cr_assert_eq(rc, FM_ESTOPPED);
	free(got);
	got = run_full("<a>x<b>y</b><c/></a>", 20, 1, NULL, 0, 1 << 20, "b", &rc);
	cr_assert_str_eq(got, "S{a}T(x)S{b}");
	cr_assert_eq(rc, FM_ESTOPPED);
	free(got);
}

Test(recover, push_after_finish_is_refused)
{
	rec t = { FM_BUF_INIT, FM_BUF_INIT, NULL, NULL };
	fm__recover_handlers h = { rec_start, rec_end, rec_text, &t };

	cr_assert_eq(fm__recover_new(&t.r, &h, NULL, 0, 64), 0);
	cr_assert_eq(fm__recover_push(t.r, "<a>", 3), 0);
	cr_assert_eq(fm__recover_finish(t.r), 0);
	cr_assert_eq(fm__recover_push(t.r, "x", 1), FM_EINVAL);
	cr_assert_eq(fm__recover_finish(t.r), FM_EINVAL);
	fm__recover_free(t.r);
	fm__recover_free(NULL);
	cr_assert_str_eq(t.out.ptr, "S{a}E{a}");
	fm_buf_dispose(&t.out);
	fm_buf_dispose(&t.text);
}

Test(recover, stop_then_finish_reports_stopped)
{
	int rc;
	char *got = run_full("<a><b>", 6, 0, NULL, 0, 64, "a", &rc);

	/* No end events after the stop, not even from finish. */
	cr_assert_str_eq(got, "S{a}");
	cr_assert_eq(rc, FM_ESTOPPED);
	free(got);
}

Test(recover, stray_end_tags_and_deep_nesting_stay_fast)
{
	size_t n = 200000, i;
	fm_buf in = FM_BUF_INIT;
	clock_t t0;
	int rc;
	char *got;

	for (i = 0; i < n; i++)
		fm_buf_puts(&in, "<a>");
	for (i = 0; i < n; i++)
		fm_buf_puts(&in, "</b>");
	t0 = clock();
	got = run_full(in.ptr, in.size, 4096, NULL, 0, 64, NULL, &rc);
	cr_assert_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 5.0);
	cr_assert_eq(strlen(got), n * 8);
	free(got);
	fm_buf_dispose(&in);
}

Test(recover, huge_unterminated_comment_fed_bytewise_is_linear)
{
	size_t n = 10 << 20, i;
	char *in = malloc(n);
	int rc;
	clock_t t0;
	double secs;
	char *got;

	cr_assert_not_null(in);
	memcpy(in, "<a>x<!--", 8);
	for (i = 8; i < n; i++)
		in[i] = "ab-c>"[i % 5];
	t0 = clock();
	got = run_full(in, n, 1, NULL, 0, 64 << 20, NULL, &rc);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	cr_assert_str_eq(got, "S{a}T(x)E{a}");
	cr_assert_eq(rc, 0);
	/* About 0.3 s with -O2, 1 s with -O0 and sanitizers; a rescan would take hours. */
	cr_assert_lt(secs, 5.0, "took %.2fs", secs);
	free(got);
	free(in);
}

Test(recover, token_longer_than_max_token_becomes_text)
{
	int rc;
	const char *in = "<a>x<b c='0123456789012345678901234567890'>y</a>";
	char *got = run_full(in, strlen(in), 0, NULL, 0, 32, NULL, &rc);

	cr_assert_str_eq(got, "S{a}T(x<b c='0123456789012345678901234567890'>y)E{a}");
	free(got);
}

Test(recover, max_token_rescans_after_the_lt)
{
	int rc;
	const char *in = "<!-- 0123456789012345678901234567890 <b>x</b> -->";
	size_t k;

	for (k = 1; k <= 64; k *= 2) {
		char *got = run_full(in, strlen(in), k, NULL, 0, 32, NULL, &rc);

		cr_assert_str_eq(got, "T(<!-- 0123456789012345678901234567890 )S{b}T(x)E{b}T( -->)",
				 "chunk %zu", k);
		free(got);
	}
}

Test(recover, token_within_max_token_is_kept)
{
	int rc;
	char *got = run_full("<a><!-- 012345678901234567890 -->x</a>", 38, 1, NULL, 0, 32,
			     NULL, &rc);

	cr_assert_str_eq(got, "S{a}T(x)E{a}");
	free(got);
}

/* expat records into the same format, for comparison. */
static void
expat_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	rec_start(ud, name, atts);
}

Test(recover, matches_expat_on_well_formed_input)
{
	static const char doc[] =
		"<?xml version='1.0'?><!DOCTYPE rss>"
		"<rss xmlns:dc='http://purl.org/dc/elements/1.1/' version='2.0'>"
		"<channel xml:base='http://x/'><item><title>A &amp; B &lt;c&gt; &#233;</title>"
		"<dc:creator>me</dc:creator><!-- c --><description><![CDATA[<p>x</p>]]>"
		"</description><enclosure url='u?a=1&amp;b=2' length=\"1\tx\"/>"
		"<a:x xmlns:a='urn:a' xmlns='urn:d' a:y='1' z='2'><q/></a:x>"
		"</item>\r\n</channel></rss>";
	rec t = { FM_BUF_INIT, FM_BUF_INIT, NULL, NULL };
	XML_Parser p = XML_ParserCreateNS("UTF-8", FM_NS_SEP);
	char *mine;
	int rc;

	cr_assert_not_null(p);
	XML_SetUserData(p, &t);
	XML_SetElementHandler(p, expat_start, rec_end);
	XML_SetCharacterDataHandler(p, rec_text);
	cr_assert_eq(XML_Parse(p, doc, (int)strlen(doc), 1), XML_STATUS_OK);
	rec_flush(&t);
	XML_ParserFree(p);
	mine = run_full(doc, strlen(doc), 3, NULL, 0, 1 << 20, NULL, &rc);
	cr_assert_str_eq(mine, t.out.ptr);
	free(mine);
	fm_buf_dispose(&t.out);
	fm_buf_dispose(&t.text);
}
