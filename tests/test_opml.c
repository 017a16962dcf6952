/* test_opml.c - OPML names, reading and writing. */
#include "feedmerge/opml.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

Test(opml, names)
{
	char b[64];

	cr_expect_str_eq(fm_opml_name(b, sizeof b, "BBC News - World", NULL), "bbc-news-world");
	cr_expect_str_eq(fm_opml_name(b, sizeof b, "  ¡Hola!  ", NULL), "hola");
	cr_expect_str_eq(fm_opml_name(b, sizeof b, NULL, "https://www.example.org/rss"), "example.org");
	cr_expect_str_eq(fm_opml_name(b, sizeof b, "???", "https://Feeds.Example.COM/x"), "feeds.example.com");
	cr_expect_str_eq(fm_opml_name(b, sizeof b, "", "not a url"), "feed");
	cr_expect_str_eq(fm_opml_name(b, sizeof b, "a_b.c", NULL), "a_b.c");
	fm_opml_name(b, sizeof b, "a very long title that goes on and on beyond forty characters", NULL);
	cr_expect_leq(strlen(b), 40);
	cr_expect_neq(b[strlen(b) - 1], '-');
	fm_opml_name(b, 4, "abcdefgh", NULL);
	cr_expect_str_eq(b, "abc", "truncated to the buffer");
}

/* Collects what fm_opml_read reports. */
struct got {
	char line[8][160];
	int n;
};

/* Read callback. */
static int
collect(void *ud, const fm_opml_feed *f)
{
	struct got *g = ud;

	cr_assert_lt(g->n, 8);
	snprintf(g->line[g->n++], 160, "%s|%s|%s|%s", f->url, f->title ? f->title : "-",
		 f->site ? f->site : "-", f->category ? f->category : "-");
	return 0;
}

Test(opml, reads_nested_outlines)
{
	static const char doc[] =
		"<opml version=\"2.0\"><body>"
		"<outline text=\"A\"><outline title=\"B\" text=\"b\">"
		"<outline text=\"x\" xmlUrl=\"https://x/\" htmlUrl=\"https://x.site/\"/></outline>"
		"<outline text=\"y\" xmlUrl=\"https://y/\"><outline text=\"z\" xmlUrl=\"https://z/\"/></outline>"
		"</outline><outline xmlUrl=\"https://w/\"/></body></opml>";
	struct got g = { .n = 0 };
	fm_diag d = { 0 };

	cr_assert_eq(fm_opml_read(doc, sizeof doc - 1, collect, &g, &d), 0, "%s", d.msg);
	cr_assert_eq(g.n, 4);
	cr_expect_str_eq(g.line[0], "https://x/|x|https://x.site/|A / B");
	cr_expect_str_eq(g.line[1], "https://y/|y|-|A");
	cr_expect_str_eq(g.line[2], "https://z/|z|-|A", "a feed outline names no folder");
	cr_expect_str_eq(g.line[3], "https://w/|-|-|-");
}

Test(opml, refuses_what_is_not_opml)
{
	struct got g = { .n = 0 };
	fm_diag d = { 0 };

	cr_expect_eq(fm_opml_read("<rss/>", 6, collect, &g, &d), FM_ENOTFEED);
	cr_expect_eq(fm_opml_read("", 0, collect, &g, &d), FM_EPARSE);
	cr_expect_eq(fm_opml_read("<opml><body>", 12, collect, &g, &d), FM_EPARSE);
	cr_expect_not_null(strstr(d.msg, "line 1"), "%s", d.msg);
}

/* A callback that stops at the first feed. */
static int
stop(void *ud, const fm_opml_feed *f)
{
	(void)f;
	(*(int *)ud)++;
	return 7;
}

Test(opml, a_callback_stops_the_read)
{
	static const char doc[] = "<opml><body><outline xmlUrl=\"a\"/><outline xmlUrl=\"b\"/></body></opml>";
	int calls = 0;

	cr_expect_eq(fm_opml_read(doc, sizeof doc - 1, stop, &calls, NULL), 7);
	cr_expect_eq(calls, 1);
}
