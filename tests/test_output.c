/* test_output.c - the writers: Atom, RSS and JSON Feed output, and the atomic file replace. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "feedmerge/output.h"
#include "feedmerge/parse.h"
#include "output/output_int.h"
#include "output/xmlw.h"
#include "testutil.h"

#define OUT_MAX 8

/* Python with feedparser: Debian's, not whatever python3 is first on PATH. */
#define OUT_PYTHON "/usr/bin/python3"

/*
 * The fixture: two clusters, newest first. The first has three members
 * from three feeds (representative first) with HTML, markup characters and
 * non-ASCII text; the second has one member with nearly everything missing.
 */
static const char *const out_cats[] = { "World", "Tech & Science" };
static const fm_enclosure out_encl[] = {
	{ "https://alpha.example/a.mp3?x=1&y=2", "audio/mpeg", "12345" },
	{ "https://alpha.example/b.ogg", NULL, NULL },
};
static const fm_enclosure out_bare_encl[] = { { "https://delta.example/f.bin", NULL, "big" } };

#define OUT_TITLE0 "\xc3\x9cn\xc3\xaf c\xc3\xb8" "d\xc3\xa9 caf\xc3\xa9 \xe2\x80\x94 \xe6\x9d\xb1\xe4\xba\xac & <news>"

static const fm_member out_members0[] = {
	{
		.item = {
			.id = "alpha-1",
			.title = OUT_TITLE0,
			.link = "https://alpha.example/1?a=1&b=2",
			.author = { "Jane \"JD\" Doe", "jane@example.com", "https://jane.example/" },
			.summary = "<p>Short &amp; sweet</p>",
			.content = "<p>Body: &amp; &lt; &gt; \"q\" <b>bold</b> & raw < ></p>",
			.categories = out_cats, .ncategories = 2,
			.enclosures = out_encl, .nenclosures = 2,
			.published = 1700000000, .updated = 1700000050,
			.feed = "alpha",
		},
		.feed_title = "Alpha Times",
		.feed_link = "https://alpha.example/",
		.feed_url = "https://alpha.example/feed.xml",
	},
	{
		.item = {
			.id = "beta-9",
			.title = "Beta's \"take\" <on> it",
			.link = "https://beta.example/9",
			.published = 1700000100,
			.feed = "beta",
		},
		.feed_title = "Beta",
		.feed_url = "https://beta.example/rss",
	},
	{
		.item = {
			.id = "gamma-x",
			.title = "Gamma\x01 copy",
			.link = "https://gamma.example/x",
			.published = 1700000200,
			.feed = "gamma",
		},
		.feed_url = "https://gamma.example/atom",
	},
};

static const fm_member out_members1[] = {
	{
		.item = { .id = "d1", .enclosures = out_bare_encl, .nenclosures = 1, .feed = "delta" },
		.feed_url = "file:///srv/delta.xml",
	},
};

static const fm_entry out_entries[] = {
	{ "urn:feedmerge:cluster:a1", 1700000300, 1700000000, out_members0, 3 },
	{ "urn:feedmerge:cluster:b2", 1690000000, 1690000000, out_members1, 1 },
};

/* The config of one output in format fmt, writing to path (may be NULL when only rendering). */
static fm_config_output
out_cfg(fm_config_format fmt, const char *path)
{
	fm_config_output cfg = {
		.name = "main news", .line = 1, .path = path, .format = fmt,
		.title = "Merged & <News>", .link = "https://example.org/?a=1&b=2",
		.max_items = 100,
	};

	return cfg;
}

/* Renders the fixture (first n entries) as fmt into out (cleared first). */
static void
out_render(fm_buf *out, fm_config_format fmt, size_t n)
{
	fm_config_output cfg = out_cfg(fmt, NULL);

	fm_buf_clear(out);
	cr_assert_eq(fm_output_render(out, &cfg, out_entries, n), 0);
	cr_assert_gt(out->size, 0);
}

/* One item as our own parser read it back. */
typedef struct out_item {
	char *id, *title, *link, *author;
	fm_time published, updated;
} out_item;

/* What our own parser made of a rendered document. */
typedef struct out_read {
	out_item items[OUT_MAX];
	size_t n;
	fm_format format;
	char *title, *link;
	fm_time updated;
	fm_parse_result result;
	int finish;
} out_read;

/* Item callback: keeps a copy. */
static int
out_on_item(const fm_item *it, void *payload)
{
	out_read *r = payload;
	out_item *c;

	cr_assert_lt(r->n, OUT_MAX);
	c = &r->items[r->n++];
	c->id = test_dup(it->id);
	c->title = test_dup(it->title);
	c->link = test_dup(it->link);
	c->author = test_dup(it->author.name);
	c->published = it->published;
	c->updated = it->updated;
	return 0;
}

/* Feed callback: keeps a copy of what the tests look at. */
static int
out_on_feed(const fm_feed *feed, void *payload)
{
	out_read *r = payload;

	r->format = feed->format;
	r->title = test_dup(feed->title);
	r->link = test_dup(feed->link);
	r->updated = feed->updated;
	return 0;
}

/* Parses a rendered document with feedmerge's parser, in 100-byte pushes. */
static void
out_parse(out_read *r, const fm_buf *doc)
{
	fm_parser *p;
	size_t off, n;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(fm_parser_new(&p, NULL, out_on_item, out_on_feed, r), 0);
	for (off = 0; off < doc->size; off += n) {
		n = doc->size - off < 100 ? doc->size - off : 100;
		cr_assert_eq(fm_parser_push(p, doc->ptr + off, n), 0);
	}
	r->finish = fm_parser_finish(p);
	r->result = *fm_parser_result(p);
	fm_parser_free(p);
}

/* Frees what out_parse copied. */
static void
out_read_dispose(out_read *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->items[i].id);
		free(r->items[i].title);
		free(r->items[i].link);
		free(r->items[i].author);
	}
	free(r->title);
	free(r->link);
}

/* Asserts what every format must carry through our own parser. */
static void
out_check_read(const out_read *r, fm_format want)
{
	cr_assert_eq(r->finish, 0, "not a clean parse: %s", r->result.diag.msg);
	cr_assert_eq(r->result.bozo, 0, "%s", r->result.diag.msg);
	cr_assert_eq(r->format, want);
	cr_assert_eq(r->n, 2);
	cr_assert_str_eq(r->title, "Merged & <News>");
	cr_assert_str_eq(r->link, "https://example.org/?a=1&b=2");
	cr_assert_str_eq(r->items[0].id, "urn:feedmerge:cluster:a1");
	cr_assert_str_eq(r->items[0].title, OUT_TITLE0);
	cr_assert_str_eq(r->items[0].link, "https://alpha.example/1?a=1&b=2");
	cr_assert_str_eq(r->items[0].author, "Jane \"JD\" Doe");
	cr_assert_eq(r->items[0].published, 1700000000);
	cr_assert_str_eq(r->items[1].id, "urn:feedmerge:cluster:b2");
	cr_assert_null(r->items[1].link);
	cr_assert_eq(r->items[1].published, 1690000000);
}

Test(output, atom_reads_back)
{
	fm_buf doc = FM_BUF_INIT;
	out_read r;

	out_render(&doc, FM_OUTPUT_ATOM, 2);
	out_parse(&r, &doc);
	out_check_read(&r, FM_FORMAT_ATOM10);
	cr_expect_eq(r.updated, 1700000300);
	cr_expect_eq(r.items[0].updated, 1700000300);
	cr_expect_eq(r.items[1].updated, 1690000000);
	cr_expect_str_eq(r.items[1].title, "(untitled)");
	cr_expect_str_eq(r.items[1].author, "delta");
	cr_expect(strstr(doc.ptr, "<id>urn:feedmerge:output:main%20news</id>"));
	cr_expect(strstr(doc.ptr, "<updated>2023-11-14T22:18:20Z</updated>\n  <generator"));
	cr_expect(strstr(doc.ptr, "<generator uri=\"https://example.org/feedmerge\" version=\""));
	cr_expect(strstr(doc.ptr, "Body: &amp;amp; &amp;lt; &amp;gt; \"q\" &lt;b&gt;bold&lt;/b&gt; &amp; raw &lt; &gt;"));
	cr_expect(strstr(doc.ptr, "<category term=\"Tech &amp; Science\"/>"));
	cr_expect(strstr(doc.ptr, "<link rel=\"enclosure\" href=\"https://alpha.example/a.mp3?x=1&amp;y=2\" type=\"audio/mpeg\" length=\"12345\"/>"));
	cr_expect(strstr(doc.ptr, "<link rel=\"enclosure\" href=\"https://alpha.example/b.ogg\"/>"));
	cr_expect(strstr(doc.ptr, "<link rel=\"enclosure\" href=\"https://delta.example/f.bin\"/>"));
	cr_expect(strstr(doc.ptr, "<source>\n      <id>https://alpha.example/feed.xml</id>\n"
			 "      <title>Alpha Times</title>\n"
			 "      <link rel=\"alternate\" href=\"https://alpha.example/\"/>\n"
			 "      <link rel=\"self\" href=\"https://alpha.example/feed.xml\"/>\n"));
	/* No content and no alternate link: an (empty) content keeps the entry valid. */
	cr_expect(strstr(doc.ptr, "<content type=\"html\"></content>"));
	out_read_dispose(&r);
	fm_buf_dispose(&doc);
}

Test(output, rss_reads_back)
{
	fm_buf doc = FM_BUF_INIT;
	out_read r;

	out_render(&doc, FM_OUTPUT_RSS, 2);
	out_parse(&r, &doc);
	out_check_read(&r, FM_FORMAT_RSS20);
	cr_expect_eq(r.updated, 1700000300);
	cr_expect_str_eq(r.items[1].title, "(untitled)");
	cr_expect(strstr(doc.ptr, "<lastBuildDate>Tue, 14 Nov 2023 22:18:20 +0000</lastBuildDate>"));
	cr_expect(strstr(doc.ptr, "<pubDate>Tue, 14 Nov 2023 22:13:20 +0000</pubDate>"));
	cr_expect(strstr(doc.ptr, "<pubDate>Sat, 22 Jul 2023 04:26:40 +0000</pubDate>"));
	cr_expect(strstr(doc.ptr, "<guid isPermaLink=\"false\">urn:feedmerge:cluster:a1</guid>"));
	cr_expect(strstr(doc.ptr, "<source url=\"https://alpha.example/feed.xml\">Alpha Times</source>"));
	cr_expect(strstr(doc.ptr, "<source url=\"file:///srv/delta.xml\">delta</source>"));
	cr_expect(strstr(doc.ptr, "<category>Tech &amp; Science</category>"));
	/* One enclosure per item, with the required attributes filled in. */
	cr_expect(strstr(doc.ptr, "<enclosure url=\"https://alpha.example/a.mp3?x=1&amp;y=2\" length=\"12345\" type=\"audio/mpeg\"/>"));
	cr_expect_null(strstr(doc.ptr, "b.ogg"));
	cr_expect(strstr(doc.ptr, "<enclosure url=\"https://delta.example/f.bin\" length=\"0\" type=\"application/octet-stream\"/>"));
	cr_expect(strstr(doc.ptr, "<dc:creator>Jane \"JD\" Doe</dc:creator>"));
	out_read_dispose(&r);
	fm_buf_dispose(&doc);
}

/* RSS 2.0 requires a channel link: an output without one gets its id, the URN Atom's feed id is. */
Test(output, rss_channel_link_without_link)
{
	fm_config_output cfg = out_cfg(FM_OUTPUT_RSS, NULL);
	fm_buf doc = FM_BUF_INIT;
	out_read r;

	cfg.link = NULL;
	/* Not a name the config accepts, but the writer must still write well-formed XML. */
	cfg.name = "a&b <c>";
	cr_assert_eq(fm_output_render(&doc, &cfg, out_entries, 2), 0);
	cr_expect(strstr(doc.ptr, "    <link>urn:feedmerge:output:a&amp;b%20%3Cc%3E</link>\n"), "%s", doc.ptr);
	out_parse(&r, &doc);
	cr_expect_eq(r.finish, 0, "%s", r.result.diag.msg);
	cr_expect_eq(r.result.bozo, 0, "%s", r.result.diag.msg);
	cr_expect_str_eq(r.link, "urn:feedmerge:output:a&b%20%3Cc%3E");
	out_read_dispose(&r);

	/* The same id as Atom's. */
	cfg.format = FM_OUTPUT_ATOM;
	fm_buf_clear(&doc);
	cr_assert_eq(fm_output_render(&doc, &cfg, out_entries, 2), 0);
	cr_expect(strstr(doc.ptr, "  <id>urn:feedmerge:output:a&amp;b%20%3Cc%3E</id>\n"), "%s", doc.ptr);
	out_parse(&r, &doc);
	cr_expect_eq(r.result.bozo, 0, "%s", r.result.diag.msg);
	out_read_dispose(&r);
	fm_buf_dispose(&doc);
}

Test(output, json_reads_back)
{
	fm_buf doc = FM_BUF_INIT;
	out_read r;

	out_render(&doc, FM_OUTPUT_JSON, 2);
	out_parse(&r, &doc);
	out_check_read(&r, FM_FORMAT_JSONFEED);
	cr_expect_eq(r.items[0].updated, 1700000300);
	/* JSON Feed titles are optional: no made-up one. */
	cr_expect_null(r.items[1].title);
	cr_expect(strstr(doc.ptr, "\"version\": \"https://jsonfeed.org/version/1.1\""));
	cr_expect(strstr(doc.ptr, "\"content_html\": \"<p>Body: &amp; &lt; &gt; \\\"q\\\" <b>bold</b> & raw < ></p>\""));
	cr_expect(strstr(doc.ptr, "\"content_html\": \"\""));
	cr_expect(strstr(doc.ptr, "      \"attachments\": [\n"
			 "        {\n"
			 "          \"url\": \"https://alpha.example/a.mp3?x=1&y=2\",\n"
			 "          \"mime_type\": \"audio/mpeg\",\n"
			 "          \"size_in_bytes\": 12345\n"
			 "        },\n"
			 "        {\n"
			 "          \"url\": \"https://alpha.example/b.ogg\",\n"
			 "          \"mime_type\": \"application/octet-stream\"\n"
			 "        }\n"
			 "      ],\n"));
	/* "big" is no byte count: left out. */
	cr_expect(strstr(doc.ptr, "\"url\": \"https://delta.example/f.bin\",\n"
			 "          \"mime_type\": \"application/octet-stream\"\n        }"));
	cr_expect(strstr(doc.ptr, "\"tags\": [\n        \"World\",\n        \"Tech & Science\"\n      ]"));
	cr_expect(strstr(doc.ptr, "\"title\": \"Gamma\\u0001 copy\""));
	cr_expect_null(strstr(doc.ptr, "null,\n      \""), "null outside _feedmerge");
	out_read_dispose(&r);
	fm_buf_dispose(&doc);
}

Test(output, deterministic)
{
	static const fm_config_format fmts[] = { FM_OUTPUT_ATOM, FM_OUTPUT_RSS, FM_OUTPUT_JSON,
						 FM_OUTPUT_HTML };
	fm_buf a = FM_BUF_INIT, b = FM_BUF_INIT;
	size_t i;

	for (i = 0; i < 4; i++) {
		out_render(&a, fmts[i], 2);
		/* Nothing may depend on the clock or the time zone. */
		setenv("TZ", "Asia/Kolkata", 1);
		tzset();
		out_render(&b, fmts[i], 2);
		unsetenv("TZ");
		tzset();
		cr_assert_eq(a.size, b.size);
		cr_assert_eq(memcmp(a.ptr, b.ptr, a.size), 0);
	}
	fm_buf_dispose(&a);
	fm_buf_dispose(&b);
}

Test(output, render_appends)
{
	fm_config_output cfg = out_cfg(FM_OUTPUT_ATOM, NULL);
	fm_buf whole = FM_BUF_INIT, doc = FM_BUF_INIT;

	out_render(&whole, FM_OUTPUT_ATOM, 2);
	cr_assert_eq(fm_buf_puts(&doc, "prefix"), 0);
	cr_assert_eq(fm_output_render(&doc, &cfg, out_entries, 2), 0);
	cr_assert_eq(doc.size, 6 + whole.size);
	cr_assert_eq(memcmp(doc.ptr + 6, whole.ptr, whole.size), 0);
	fm_buf_dispose(&whole);
	fm_buf_dispose(&doc);
}

Test(output, empty_feed)
{
	fm_buf doc = FM_BUF_INIT;
	out_read r;

	out_render(&doc, FM_OUTPUT_ATOM, 0);
	cr_expect(strstr(doc.ptr, "<updated>1970-01-01T00:00:00Z</updated>"));
	out_parse(&r, &doc);
	cr_expect_eq(r.n, 0);
	cr_expect_eq(r.result.bozo, 0);
	out_read_dispose(&r);
	out_render(&doc, FM_OUTPUT_RSS, 0);
	cr_expect(strstr(doc.ptr, "<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0000</lastBuildDate>"));
	out_render(&doc, FM_OUTPUT_JSON, 0);
	cr_expect(strstr(doc.ptr, "\"items\": []\n}\n"));
	out_parse(&r, &doc);
	cr_expect_eq(r.format, FM_FORMAT_JSONFEED);
	cr_expect_eq(r.n, 0);
	out_read_dispose(&r);
	fm_buf_dispose(&doc);
}

/* Returns the offset of needle in doc, failing the test when it is missing. */
static size_t
out_at(const fm_buf *doc, const char *needle)
{
	const char *p = strstr(doc->ptr, needle);

	cr_assert_not_null(p, "missing: %s", needle);
	return (size_t)(p - doc->ptr);
}

Test(output, members_listed)
{
	fm_buf doc = FM_BUF_INIT;
	size_t a, b, c;

	out_render(&doc, FM_OUTPUT_ATOM, 2);
	out_at(&doc, "<link rel=\"alternate\" href=\"https://alpha.example/1?a=1&amp;b=2\"/>");
	b = out_at(&doc, "<link rel=\"related\" href=\"https://beta.example/9\" title=\"Beta's &quot;take&quot; &lt;on&gt; it\"/>");
	/* The control character is not allowed in XML 1.0: dropped. */
	c = out_at(&doc, "<link rel=\"related\" href=\"https://gamma.example/x\" title=\"Gamma copy\"/>");
	cr_expect_lt(b, c);

	out_render(&doc, FM_OUTPUT_RSS, 2);
	b = out_at(&doc, "<atom:link rel=\"related\" href=\"https://beta.example/9\" title=\"Beta's &quot;take&quot; &lt;on&gt; it\"/>");
	c = out_at(&doc, "<atom:link rel=\"related\" href=\"https://gamma.example/x\" title=\"Gamma copy\"/>");
	cr_expect_lt(b, c);

	out_render(&doc, FM_OUTPUT_JSON, 2);
	out_at(&doc, "\"_feedmerge\": {\n        \"cluster\": \"urn:feedmerge:cluster:a1\",\n        \"members\": [\n");
	a = out_at(&doc, "{\n            \"feed\": \"alpha\",\n            \"id\": \"alpha-1\",\n"
		   "            \"url\": \"https://alpha.example/1?a=1&b=2\",\n");
	b = out_at(&doc, "{\n            \"feed\": \"beta\",\n            \"id\": \"beta-9\",\n");
	c = out_at(&doc, "{\n            \"feed\": \"gamma\",\n            \"id\": \"gamma-x\",\n"
		   "            \"url\": \"https://gamma.example/x\",\n"
		   "            \"title\": \"Gamma\\u0001 copy\",\n"
		   "            \"date_published\": \"2023-11-14T22:16:40Z\"\n          }");
	cr_expect(a < b && b < c, "representative first, then in order");
	out_at(&doc, "{\n            \"feed\": \"delta\",\n            \"id\": \"d1\",\n"
	       "            \"url\": null,\n            \"title\": null,\n"
	       "            \"date_published\": null\n          }");
	fm_buf_dispose(&doc);
}

Test(output, xml_escape)
{
	fm_buf b = FM_BUF_INIT;

	/* Markup, C0 controls (dropped but for tab, LF, CR), DEL (allowed), U+FFFE/U+FFFF (dropped). */
	cr_assert_eq(fm__xml_escape(&b, "a&b<c>d\"e\x01\x1f\tf\ng\rh\x7fi\xef\xbf\xbe\xef\xbf\xbfj", 0), 0);
	cr_expect_str_eq(fm_buf_cstr(&b), "a&amp;b&lt;c&gt;d\"e\tf\ng&#13;h\x7fi" "j");
	fm_buf_clear(&b);
	cr_assert_eq(fm__xml_escape(&b, "a&b<c>d\"e\x01\tf\ng\rh", 1), 0);
	cr_expect_str_eq(fm_buf_cstr(&b), "a&amp;b&lt;c&gt;d&quot;e&#9;f&#10;g&#13;h");
	/* Malformed UTF-8: stray byte, surrogate, overlong, cut short; valid text kept. */
	fm_buf_clear(&b);
	cr_assert_eq(fm__xml_escape(&b, "\xff|\xed\xa0\x80|\xc0\xaf|\xe6\x9d|\xef\xbf\xbd\xf0\x9f\x98\x80", 0), 0);
	cr_expect_str_eq(fm_buf_cstr(&b),
			 "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
			 "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xf0\x9f\x98\x80");
	fm_buf_clear(&b);
	cr_assert_eq(fm__xml_escape(&b, NULL, 0), 0);
	cr_expect_eq(b.size, 0);
	cr_expect_eq(fm__utf8_valid("caf\xc3\xa9 \xf0\x9f\x98\x80"), 1);
	cr_expect_eq(fm__utf8_valid("caf\xc3"), 0);
	cr_expect_eq(fm__utf8_valid("\xf4\x90\x80\x80"), 0);
	cr_expect_eq(fm__utf8_valid("\xef\xbf\xbe"), 0);
	cr_assert_eq(fm__utf8_clean(&b, "a\xc3(b\xef\xbf\xbf\xef\xbf\xbe!"), 0);
	cr_expect_str_eq(fm_buf_cstr(&b), "a\xef\xbf\xbd(b!");
	fm_buf_dispose(&b);
}

Test(output, rfc822_dates)
{
	char d[FM__OUTPUT_RFC822_BUFSZ];

	cr_expect_str_eq(fm__output_rfc822(d, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
	cr_expect_str_eq(fm__output_rfc822(d, -1), "Wed, 31 Dec 1969 23:59:59 +0000");
	cr_expect_str_eq(fm__output_rfc822(d, 951782400), "Tue, 29 Feb 2000 00:00:00 +0000");
	cr_expect_str_eq(fm__output_rfc822(d, 1136214245), "Mon, 02 Jan 2006 15:04:05 +0000");
	cr_expect_str_eq(fm__output_rfc822(d, 4102444799), "Thu, 31 Dec 2099 23:59:59 +0000");
}

/* Text that is not what the item contract promises (malformed UTF-8, controls) still gives well-formed output. */
Test(output, hostile_text)
{
	static const char *const cats[] = { "\x02", "ok\xff" };
	static const fm_member m[] = { {
		.item = {
			.id = "x\x03y", .title = "bad \xc3 byte\x0b", .link = "https://h.example/?q=\"<>\"",
			.author = { "\x1b[31mred", NULL, NULL }, .content = "<p>\xef\xbf\xbe\xed\xbf\xbf</p>",
			.categories = cats, .ncategories = 2, .feed = "h\xfe",
		},
		.feed_title = "\x01", .feed_url = "https://h.example/feed",
	} };
	static const fm_entry e = { "urn:x:\xc3", 1700000000, 1700000000, m, 1 };
	static const fm_config_format fmts[] = { FM_OUTPUT_ATOM, FM_OUTPUT_RSS, FM_OUTPUT_JSON };
	fm_config_output cfg = out_cfg(FM_OUTPUT_ATOM, NULL);
	fm_buf doc = FM_BUF_INIT;
	out_read r;
	size_t i;

	for (i = 0; i < 3; i++) {
		cfg.format = fmts[i];
		fm_buf_clear(&doc);
		cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
		out_parse(&r, &doc);
		cr_expect_eq(r.finish, 0, "format %zu: %s", i, r.result.diag.msg);
		cr_expect_eq(r.result.bozo, 0, "format %zu: %s", i, r.result.diag.msg);
		cr_expect_eq(r.n, 1);
		cr_expect_str_eq(r.items[0].title, i == 2 ? "bad \xef\xbf\xbd byte\x0b" : "bad \xef\xbf\xbd byte");
		out_read_dispose(&r);
	}
	fm_buf_dispose(&doc);
}

/*
 * Links and addresses as feeds really give them: RFC 4287 wants IRIs in
 * href, uri and id (no space, no "<>\\^`{|}, % only in %XX) and an RFC 2822
 * addr-spec in email. Links are percent-encoded the same in every format;
 * an email that is no address is left out.
 */
Test(output, links_are_iris_and_emails_addresses)
{
	static const fm_enclosure encl[] = { { "https://o.example/clip one.mp3", "audio/mpeg", NULL } };
	static const fm_member m[] = {
		{
			.item = {
				.id = "o1", .title = "odd", .link = "https://o.example/a b/{x}|y^z`\"q\"\\?p=50%&r=100%25%zz%4",
				.author = { "Jo", "Jo Example (jo at example.org)", "https://jo.example/my page" },
				.enclosures = encl, .nenclosures = 1, .published = 1700000000, .feed = "o",
			},
			.feed_url = "https://o.example/feed with space.xml",
		},
		{
			.item = { .id = "o2", .title = "copy", .link = "https://p.example/<copy>", .feed = "p" },
			.feed_url = "https://p.example/feed",
		},
	};
	static const fm_entry e = { "urn:feedmerge:cluster:o", 1700000000, 1700000000, m, 2 };
	fm_config_output cfg = out_cfg(FM_OUTPUT_ATOM, NULL);
	fm_buf doc = FM_BUF_INIT;

	cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
	out_at(&doc, "<link rel=\"alternate\" href=\"https://o.example/a%20b/%7Bx%7D%7Cy%5Ez%60%22q%22%5C?p=50%25&amp;r=100%25%25zz%254\"/>");
	out_at(&doc, "<link rel=\"related\" href=\"https://p.example/%3Ccopy%3E\" title=\"copy\"/>");
	out_at(&doc, "<link rel=\"enclosure\" href=\"https://o.example/clip%20one.mp3\" type=\"audio/mpeg\"/>");
	out_at(&doc, "<uri>https://jo.example/my%20page</uri>");
	out_at(&doc, "<id>https://o.example/feed%20with%20space.xml</id>");
	cr_expect_null(strstr(doc.ptr, "<email>"), "%s", doc.ptr);

	cfg.format = FM_OUTPUT_RSS;
	fm_buf_clear(&doc);
	cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
	out_at(&doc, "<link>https://o.example/a%20b/%7Bx%7D%7Cy%5Ez%60%22q%22%5C?p=50%25&amp;r=100%25%25zz%254</link>");
	out_at(&doc, "<enclosure url=\"https://o.example/clip%20one.mp3\"");
	out_at(&doc, "<source url=\"https://o.example/feed%20with%20space.xml\">o</source>");
	out_at(&doc, "<atom:link rel=\"related\" href=\"https://p.example/%3Ccopy%3E\"");

	cfg.format = FM_OUTPUT_JSON;
	fm_buf_clear(&doc);
	cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
	out_at(&doc, "\"url\": \"https://o.example/a%20b/%7Bx%7D%7Cy%5Ez%60%22q%22%5C?p=50%25&r=100%25%25zz%254\",\n      \"title\"");
	out_at(&doc, "\"url\": \"https://p.example/%3Ccopy%3E\"");
	out_at(&doc, "\"url\": \"https://jo.example/my%20page\"");
	out_at(&doc, "\"url\": \"https://o.example/clip%20one.mp3\"");
	fm_buf_dispose(&doc);
}

Test(output, email_addresses)
{
	cr_expect(fm__output_is_email("jo@example.org"));
	cr_expect(fm__output_is_email("first.last+tag@mail.example.co.uk"));
	cr_expect(fm__output_is_email("o'neil!#$%&*/=?^_`{|}~-@x"));
	cr_expect_not(fm__output_is_email(NULL));
	cr_expect_not(fm__output_is_email(""));
	cr_expect_not(fm__output_is_email("not-an-email"));
	cr_expect_not(fm__output_is_email("Jo Example (jo at example.org)"));
	cr_expect_not(fm__output_is_email("a b@c d"));
	cr_expect_not(fm__output_is_email("a@b@c"));
	cr_expect_not(fm__output_is_email("@example.org"));
	cr_expect_not(fm__output_is_email("jo@"));
	cr_expect_not(fm__output_is_email(".jo@example.org"));
	cr_expect_not(fm__output_is_email("jo..x@example.org"));
	cr_expect_not(fm__output_is_email("jo@example.org."));
	cr_expect_not(fm__output_is_email("<jo@example.org>"));
	cr_expect_not(fm__output_is_email("j\xc3\xb6@example.org"));
}

/* The HTML river */

/* Returns how many times needle occurs in doc. */
static size_t
out_count(const fm_buf *doc, const char *needle)
{
	const char *p = doc->ptr;
	size_t n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

Test(output, html_page)
{
	fm_buf doc = FM_BUF_INIT;
	size_t a, b;

	out_render(&doc, FM_OUTPUT_HTML, 2);
	cr_expect_eq(strncmp(doc.ptr, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n", 52), 0);
	/* One CSP, before the style and the script, naming each by its hash. */
	a = out_at(&doc, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		   "style-src 'sha256-");
	cr_expect_eq(out_count(&doc, "'sha256-"), 2);
	cr_expect_lt(a, out_at(&doc, "<style>"));
	cr_expect_lt(out_at(&doc, "</main>"), out_at(&doc, "<script>"));
	cr_expect_eq(out_count(&doc, "<script"), 1, "our one script");
	cr_expect_eq(out_count(&doc, "<style"), 1);
	/* The output's title, escaped, linking to its home page; the newest entry's time. */
	out_at(&doc, "<title>Merged &amp; &lt;News&gt;</title>");
	out_at(&doc, "<h1><a href=\"https://example.org/?a=1&amp;b=2\">Merged &amp; &lt;News&gt;</a></h1>");
	out_at(&doc, "2 stories &middot; updated <time datetime=\"2023-11-14T22:18:20Z\">"
	       "2023-11-14 22:18 UTC</time>");
	/* Stories newest first, once each. */
	a = out_at(&doc, "<article class=\"story\" id=\"s-a1\">");
	b = out_at(&doc, "<article class=\"story\" id=\"s-b2\">");
	cr_expect_lt(a, b);
	cr_expect_eq(out_count(&doc, "<article"), 2);
	cr_expect_eq(out_count(&doc, "</article>"), 2);
	out_at(&doc, "<h2><a href=\"https://alpha.example/1?a=1&amp;b=2\">\xc3\x9cn\xc3\xaf c\xc3\xb8"
	       "d\xc3\xa9 caf\xc3\xa9 \xe2\x80\x94 \xe6\x9d\xb1\xe4\xba\xac &amp; &lt;news&gt;</a></h2>");
	out_at(&doc, "<p class=\"meta\"><time datetime=\"2023-11-14T22:13:20Z\">2023-11-14 22:13 UTC"
	       "</time> &middot; 3 outlets</p>");
	/* The summary, sanitised. */
	out_at(&doc, "<div class=\"text\"><p>Short &amp; sweet</p></div>");
	/* No link and no title: the feed's name stands in, not linked. */
	out_at(&doc, "<h2><span>(untitled)</span></h2>");
	fm_buf_dispose(&doc);
}

Test(output, html_outlets_listed)
{
	fm_buf doc = FM_BUF_INIT;
	size_t a, b, c, d;

	out_render(&doc, FM_OUTPUT_HTML, 2);
	a = out_at(&doc, "<li><a href=\"https://alpha.example/1?a=1&amp;b=2\" title=\"\xc3\x9cn\xc3\xaf");
	out_at(&doc, "&amp; &lt;news&gt;\">Alpha Times</a></li>");
	b = out_at(&doc, "<li><a href=\"https://beta.example/9\" title=\"Beta's &quot;take&quot; &lt;on&gt; it\">"
		   "Beta</a></li>");
	/* No feed title: the [feed NAME]; the control character dropped. */
	c = out_at(&doc, "<li><a href=\"https://gamma.example/x\" title=\"Gamma copy\">gamma</a></li>");
	d = out_at(&doc, "<li><span>delta</span></li>");
	cr_expect(a < b && b < c && c < d, "representative first, then in order");
	cr_expect_eq(out_count(&doc, "<li>"), 4);
	fm_buf_dispose(&doc);
}

Test(output, html_empty)
{
	fm_buf doc = FM_BUF_INIT;

	out_render(&doc, FM_OUTPUT_HTML, 0);
	out_at(&doc, "<p class=\"empty\">No stories yet.</p>");
	cr_expect_eq(out_count(&doc, "<time"), 0, "no 1970 on an empty page");
	cr_expect_eq(out_count(&doc, "<article"), 0);
	fm_buf_dispose(&doc);
}

/* What a hostile feed can put in a story stays text or goes. */
Test(output, html_hostile_story)
{
	static const fm_member m[] = {
		{
			.item = {
				.id = "h1",
				.title = "</title></h2><script>document.title='pwned'</script>",
				.link = " JaVa\tScRiPt:alert(1)",
				.summary = "<img src=x onerror=\"document.body.id='pwned'\">"
					   "<a href=\"jav&#x09;ascript:alert(1)\" onclick=alert(2)>click</a>"
					   "</div></article></main><svg onload=alert(3)></svg>"
					   "<p style=\"color:red\">styled",
				.published = 1700000000,
				.feed = "evil",
			},
			.feed_title = "<b onmouseover=alert(4)>Evil</b>",
			.feed_url = "https://evil.example/feed",
		},
		{
			.item = {
				.id = "h2", .title = "\"><script>alert(5)</script>",
				.link = "data:text/html,<script>alert(6)</script>",
				.published = 1700000001, .feed = "evil2",
			},
			.feed_url = "https://evil.example/feed2",
		},
	};
	static const fm_entry e = { "urn:feedmerge:\"><x", 1700000000, 1700000000, m, 2 };
	fm_config_output cfg = out_cfg(FM_OUTPUT_HTML, NULL);
	fm_buf doc = FM_BUF_INIT;

	cfg.link = "javascript:alert(7)";
	cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
	cr_expect_eq(out_count(&doc, "<script"), 1, "our one script");
	cr_expect_eq(out_count(&doc, "<svg"), 0);
	cr_expect_eq(out_count(&doc, "<img"), 0);
	cr_expect_eq(out_count(&doc, "<b "), 0);
	cr_expect_eq(out_count(&doc, "onerror"), 0);
	cr_expect_eq(out_count(&doc, "alert("), 2, "only in escaped text: a title and a feed name");
	cr_expect_eq(out_count(&doc, "javascript"), 0);
	cr_expect_eq(out_count(&doc, "JaVa"), 0);
	cr_expect_eq(out_count(&doc, "data:"), 0);
	cr_expect_eq(out_count(&doc, "style="), 0);
	cr_expect_eq(out_count(&doc, "onclick"), 0);
	cr_expect_eq(out_count(&doc, "</article>"), 1);
	cr_expect_eq(out_count(&doc, "</main>"), 1);
	cr_expect_eq(out_count(&doc, "</div>"), 2, "the page's own divs: page and one text");
	out_at(&doc, "<h1><span>Merged &amp; &lt;News&gt;</span></h1>");
	out_at(&doc, "<h2><span>&lt;/title&gt;&lt;/h2&gt;&lt;script&gt;document.title='pwned'"
	       "&lt;/script&gt;</span></h2>");
	out_at(&doc, "<div class=\"text\">click<p>styled</p></div>");
	out_at(&doc, "<li><span title=\"&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;\">evil2</span></li>");
	out_at(&doc, ">&lt;b onmouseover=alert(4)&gt;Evil&lt;/b&gt;</span></li>");
	cr_expect_eq(out_count(&doc, "id=\"s-"), 0, "an id that is not a plain word is left out");
	fm_buf_dispose(&doc);
}

Test(output, html_text_is_short)
{
	static char body[20000];
	fm_member m = { .item = { .id = "l", .title = "Long", .link = "https://l.example/",
				  .feed = "l" }, .feed_url = "https://l.example/feed" };
	fm_entry e = { "urn:feedmerge:l", 1700000000, 1700000000, &m, 1 };
	fm_config_output cfg = out_cfg(FM_OUTPUT_HTML, NULL);
	fm_buf doc = FM_BUF_INIT;
	size_t i, start, end;

	strcpy(body, "<p><b>");
	for (i = 0; i < 2000; i++)
		strcat(body, "word ");
	m.item.content = body;
	cr_assert_eq(fm_output_render(&doc, &cfg, &e, 1), 0);
	start = out_at(&doc, "<div class=\"text\"><p><b>word word");
	end = out_at(&doc, "word\xe2\x80\xa6</b></p></div>");
	cr_expect_lt(end - start, 600);
	fm_buf_dispose(&doc);
}

/* Makes a fresh folder under /tmp and stores its path in dir. */
static void
out_tmpdir(char dir[64])
{
	snprintf(dir, 64, "/tmp/fm-output-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

/* Removes a folder made by out_tmpdir and all it holds. */
static void
out_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	cr_assert_eq(system(cmd), 0);
}

/* Writes len bytes of data to path; fails the test when that fails. */
static void
out_put(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/*
 * Runs python3-feedparser on doc and returns (in out) what it saw: the
 * version, bozo and entry count, then each entry's title, link, id,
 * published time and related links, then (JSON) each item's members.
 * Debian 12's feedparser (6.0) cannot read JSON Feed; Python's json module
 * then reads the same fields (the related links from _feedmerge). Returns
 * 0, or -1 when there is no feedparser.
 */
static int
out_feedparser(fm_buf *out, const fm_buf *doc)
{
	static const char script[] =
		"import calendar, datetime, json, sys\n"
		"import feedparser\n"
		"d = feedparser.parse(sys.argv[1])\n"
		"raw = open(sys.argv[1], 'rb').read()\n"
		"if raw.startswith(b'{') and not d.version:\n"
		"    # feedparser before 6.1 has no JSON Feed reader: json does it.\n"
		"    j = json.loads(raw)\n"
		"    def when(s):\n"
		"        t = datetime.datetime.fromisoformat(s.replace('Z', '+00:00'))\n"
		"        return t.utctimetuple()\n"
		"    d = feedparser.FeedParserDict(bozo=0, feed={'title': j['title'], 'link': j.get('home_page_url', '-')},\n"
		"        version='json11' if j['version'] == 'https://jsonfeed.org/version/1.1' else '?',\n"
		"        entries=[{'title': i.get('title', '-'), 'link': i.get('url', '-'), 'id': i['id'],\n"
		"                  'published_parsed': when(i['date_published']) if 'date_published' in i else None,\n"
		"                  'links': [{'rel': 'related', 'href': m['url']} for m in i['_feedmerge']['members'][1:] if m['url']]}\n"
		"                 for i in j['items']])\n"
		"print('version=%s bozo=%d entries=%d' % (d.version, d.bozo, len(d.entries)))\n"
		"if d.bozo:\n"
		"    print('exception=%r' % d.bozo_exception)\n"
		"print('feed=%s|%s' % (d.feed.get('title', '-'), d.feed.get('link', '-')))\n"
		"for e in d.entries:\n"
		"    p = e.get('published_parsed')\n"
		"    rel = [l['href'] for l in e.get('links', []) if l.get('rel') == 'related']\n"
		"    print('entry=%s|%s|%s|%s' % (e.get('title', '-'), e.get('link', '-'), e.get('id', '-'),\n"
		"          calendar.timegm(p) if p else '-'))\n"
		"    print('related=%s' % ','.join(rel))\n"
		"if d.version.startswith('json'):\n"
		"    for it in json.loads(raw)['items']:\n"
		"        print('members=%s' % ','.join(m['feed'] for m in it['_feedmerge']['members']))\n";
	char dir[64], py[96], doc_path[96], cmd[512], chunk[4096];
	size_t n;
	FILE *f;
	int rc;

	if (access(OUT_PYTHON, X_OK) != 0 ||
	    system(OUT_PYTHON " -c 'import feedparser' 2>/dev/null") != 0)
		return -1;
	out_tmpdir(dir);
	snprintf(py, sizeof(py), "%s/check.py", dir);
	snprintf(doc_path, sizeof(doc_path), "%s/feed", dir);
	out_put(py, script, sizeof(script) - 1);
	out_put(doc_path, doc->ptr, doc->size);
	snprintf(cmd, sizeof(cmd),
		 "env -u PYTHONPATH -u PYTHONHOME PYTHONIOENCODING=utf-8 %s %s %s",
		 OUT_PYTHON, py, doc_path);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	fm_buf_clear(out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cr_assert_eq(fm_buf_append(out, chunk, n), 0);
	rc = pclose(f);
	cr_assert_eq(rc, 0, "feedparser script failed: %s", fm_buf_cstr(out));
	out_rmdir(dir);
	return 0;
}

/* What feedparser must see in every format, apart from the first line and the second title. */
#define OUT_FP_FEED "feed=Merged & <News>|https://example.org/?a=1&b=2\n"
#define OUT_FP_ENTRY0 \
	"entry=" OUT_TITLE0 "|https://alpha.example/1?a=1&b=2|urn:feedmerge:cluster:a1|1700000000\n" \
	"related=https://beta.example/9,https://gamma.example/x\n"

/* Renders fmt, runs feedparser on it and compares with want (skips when there is no feedparser). */
static void
out_check_feedparser(fm_config_format fmt, const char *want)
{
	fm_buf doc = FM_BUF_INIT, got = FM_BUF_INIT;

	out_render(&doc, fmt, 2);
	if (out_feedparser(&got, &doc) < 0) {
		fm_buf_dispose(&doc);
		cr_skip_test("no python3-feedparser at " OUT_PYTHON);
	}
	cr_expect_str_eq(fm_buf_cstr(&got), want);
	fm_buf_dispose(&doc);
	fm_buf_dispose(&got);
}

Test(output, feedparser_atom)
{
	out_check_feedparser(FM_OUTPUT_ATOM,
		"version=atom10 bozo=0 entries=2\n" OUT_FP_FEED OUT_FP_ENTRY0
		/* feedparser takes an entry's id for its link when it has none. */
		"entry=(untitled)|urn:feedmerge:cluster:b2|urn:feedmerge:cluster:b2|1690000000\n"
		"related=\n");
}

Test(output, feedparser_rss)
{
	out_check_feedparser(FM_OUTPUT_RSS,
		"version=rss20 bozo=0 entries=2\n" OUT_FP_FEED OUT_FP_ENTRY0
		"entry=(untitled)|-|urn:feedmerge:cluster:b2|1690000000\n"
		"related=\n");
}

Test(output, feedparser_json)
{
	out_check_feedparser(FM_OUTPUT_JSON,
		"version=json11 bozo=0 entries=2\n" OUT_FP_FEED OUT_FP_ENTRY0
		"entry=-|-|urn:feedmerge:cluster:b2|1690000000\n"
		"related=\n"
		"members=alpha,beta,gamma\n"
		"members=delta\n");
}

/* Returns how many names in dir start with '.' (temporary files), "." and ".." aside. */
static int
out_hidden(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Asserts path holds exactly s. */
static void
out_expect_file(const char *path, const char *s)
{
	char got[256];
	size_t n;
	FILE *f = fopen(path, "rb");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	cr_expect_str_eq(got, s);
}

Test(output, replace_creates_folders_and_honours_umask)
{
	char dir[64], path[128], sub[128];
	struct stat st;
	mode_t old = umask(022);
	int written = -1;
	fm_diag diag = { 0 };

	out_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/a/b/out.xml", dir);
	cr_assert_eq(fm_output_replace(path, "one\n", 4, &written, &diag), 0, "%s", diag.msg);
	cr_expect_eq(written, 1);
	out_expect_file(path, "one\n");
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0644);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	cr_assert_eq(stat(sub, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0755);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	cr_expect_eq(out_hidden(sub), 0);

	/* Another umask, another mode: not a fixed 0644. */
	umask(027);
	cr_assert_eq(fm_output_replace(path, "two\n", 4, &written, NULL), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0640);
	umask(old);
	out_rmdir(dir);
}

Test(output, replace_leaves_identical_file_alone)
{
	char dir[64], path[128];
	struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct stat before, after;
	int written = -1;

	out_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/out.xml", dir);
	out_put(path, "same bytes", 10);
	cr_assert_eq(utimensat(AT_FDCWD, path, times, 0), 0);
	cr_assert_eq(stat(path, &before), 0);
	cr_assert_eq(fm_output_replace(path, "same bytes", 10, &written, NULL), 0);
	cr_expect_eq(written, 0);
	cr_assert_eq(stat(path, &after), 0);
	cr_expect_eq(after.st_ino, before.st_ino);
	cr_expect_eq(after.st_mtim.tv_sec, 1000000000);
	cr_expect_eq(out_hidden(dir), 0);

	/* Same length, different bytes; then a prefix: both replace. */
	cr_assert_eq(fm_output_replace(path, "SAME bytes", 10, &written, NULL), 0);
	cr_expect_eq(written, 1);
	cr_assert_eq(stat(path, &after), 0);
	cr_expect_neq(after.st_ino, before.st_ino);
	out_expect_file(path, "SAME bytes");
	cr_assert_eq(fm_output_replace(path, "SAME", 4, &written, NULL), 0);
	cr_expect_eq(written, 1);
	out_expect_file(path, "SAME");
	/* Empty content is content too. */
	cr_assert_eq(fm_output_replace(path, "", 0, &written, NULL), 0);
	cr_expect_eq(written, 1);
	out_expect_file(path, "");
	cr_assert_eq(fm_output_replace(path, NULL, 0, &written, NULL), 0);
	cr_expect_eq(written, 0);
	cr_expect_eq(out_hidden(dir), 0);
	out_rmdir(dir);
}

Test(output, replace_fails_cleanly)
{
	char dir[64], file[128], path[160];
	struct stat st;
	int written = -1;
	fm_diag diag = { 0 };

	out_tmpdir(dir);
	/* A parent that is a regular file: fails even for root. */
	snprintf(file, sizeof(file), "%s/plain", dir);
	out_put(file, "x", 1);
	snprintf(path, sizeof(path), "%s/sub/out.xml", file);
	cr_assert_eq(fm_output_replace(path, "data", 4, &written, &diag), FM_EIO);
	cr_expect_eq(written, 0);
	cr_expect(strstr(diag.msg, path), "diag: %s", diag.msg);
	cr_expect(strstr(diag.msg, "Not a directory"), "diag: %s", diag.msg);

	/* The target is a folder: the rename fails, the folder stays, no temporary is left. */
	snprintf(path, sizeof(path), "%s/taken", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(file, sizeof(file), "%s/taken/inside", dir);
	out_put(file, "keep", 4);
	diag.msg[0] = '\0';
	cr_assert_eq(fm_output_replace(path, "data", 4, &written, &diag), FM_EIO);
	cr_expect_eq(written, 0);
	cr_expect(strstr(diag.msg, path), "diag: %s", diag.msg);
	cr_expect(strstr(diag.msg, "rename"), "diag: %s", diag.msg);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect(S_ISDIR(st.st_mode));
	out_expect_file(file, "keep");
	cr_expect_eq(out_hidden(dir), 0);

	/* A folder without write permission (root ignores the bits, so not as root). */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/ro", dir);
		cr_assert_eq(mkdir(path, 0755), 0);
		snprintf(file, sizeof(file), "%s/ro/out.xml", dir);
		out_put(file, "old", 3);
		cr_assert_eq(chmod(path, 0555), 0);
		cr_assert_eq(fm_output_replace(file, "new", 3, &written, &diag), FM_EIO);
		cr_expect(strstr(diag.msg, file), "diag: %s", diag.msg);
		out_expect_file(file, "old");
		cr_expect_eq(out_hidden(path), 0);
	}
	out_rmdir(dir);
}

Test(output, write_renders_and_replaces)
{
	char dir[64], path[128];
	fm_config_output cfg;
	fm_buf want = FM_BUF_INIT;
	int written = -1;
	fm_diag diag = { 0 };
	FILE *f;
	char *got;
	long size;

	out_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/www/merged.json", dir);
	cfg = out_cfg(FM_OUTPUT_JSON, path);
	cr_assert_eq(fm_output_write(&cfg, out_entries, 2, &written, &diag), 0, "%s", diag.msg);
	cr_expect_eq(written, 1);
	cr_assert_eq(fm_output_write(&cfg, out_entries, 2, &written, &diag), 0, "%s", diag.msg);
	cr_expect_eq(written, 0);
	cr_assert_eq(fm_output_write(&cfg, out_entries, 1, &written, &diag), 0, "%s", diag.msg);
	cr_expect_eq(written, 1);

	out_render(&want, FM_OUTPUT_JSON, 1);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	cr_assert_eq((size_t)size, want.size);
	got = malloc(want.size);
	cr_assert_not_null(got);
	cr_assert_eq(fread(got, 1, want.size, f), want.size);
	fclose(f);
	cr_expect_eq(memcmp(got, want.ptr, want.size), 0);
	free(got);
	fm_buf_dispose(&want);
	out_rmdir(dir);
}
