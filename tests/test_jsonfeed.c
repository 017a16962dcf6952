/* test_jsonfeed.c - JSON Feed 1.0/1.1 input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "testutil.h"
#include "feedmerge/error.h"
#include "feedmerge/parse.h"
#include "parse/jsonfeed.h"

#define JF_DIR FM_TEST_DATA "/jsonfeed/"
#define JF_MAX 8

/* A private copy of one delivered item. */
typedef struct jf_item {
	char *id, *title, *link, *name, *email, *uri, *summary, *content;
	char *cats[JF_MAX];
	size_t ncats;
	char *eurl[JF_MAX], *etype[JF_MAX], *elen[JF_MAX];
	size_t nencl;
	fm_time published, updated;
	char *related;       /* the href of a link with rel "related" */
	size_t nlinks, nauthors;
} jf_item;

/* What one parse produced, copied so it outlives the reader. */
typedef struct jf_run {
	int push_error;      /* first negative push return, or 0 */
	int error;           /* finish's return */
	fm_diag diag;
	size_t nitems;       /* as finish counted them */
	size_t stop_after;   /* the callback stops after this many items; 0 never */
	jf_item items[JF_MAX];
	size_t n;
	fm_buf dump;         /* every item as text, for comparing chunkings */
	fm_format format;
	char *title, *link, *subtitle, *id, *name, *email, *uri;
	char *self, *language; /* the feed's self link and language */
	size_t nauthors;
} jf_run;

/* Item callback: copies the item; returns 1 once stop_after items were seen. */
static int
jf_on_item(const fm_item *it, void *payload)
{
	jf_run *r = payload;
	jf_item *c;
	size_t i;

	cr_assert_null(it->feed);
	/* tags parallels categories: tags[i].term is categories[i]. */
	for (i = 0; i < it->ncategories; i++) {
		cr_assert_not_null(it->tags);
		cr_assert_str_eq(it->tags[i].term, it->categories[i]);
	}
	test_dump_str(&r->dump, "id", it->id);
	test_dump_str(&r->dump, "title", it->title);
	test_dump_str(&r->dump, "link", it->link);
	test_dump_str(&r->dump, "name", it->author.name);
	test_dump_str(&r->dump, "email", it->author.email);
	test_dump_str(&r->dump, "uri", it->author.uri);
	test_dump_str(&r->dump, "summary", it->summary);
	test_dump_str(&r->dump, "content", it->content);
	for (i = 0; i < it->ncategories; i++)
		test_dump_str(&r->dump, "cat", it->categories[i]);
	for (i = 0; i < it->nenclosures; i++) {
		test_dump_str(&r->dump, "enc", it->enclosures[i].url);
		test_dump_str(&r->dump, "type", it->enclosures[i].type);
		test_dump_str(&r->dump, "len", it->enclosures[i].length);
	}
	fm_buf_printf(&r->dump, "pub=%lld|upd=%lld\n", (long long)it->published,
		      (long long)it->updated);

	if (r->n < JF_MAX) {
		c = &r->items[r->n];
		c->id = test_dup(it->id);
		c->title = test_dup(it->title);
		c->link = test_dup(it->link);
		c->name = test_dup(it->author.name);
		c->email = test_dup(it->author.email);
		c->uri = test_dup(it->author.uri);
		c->summary = test_dup(it->summary);
		c->content = test_dup(it->content);
		for (i = 0; i < it->ncategories && i < JF_MAX; i++)
			c->cats[i] = test_dup(it->categories[i]);
		c->ncats = it->ncategories;
		for (i = 0; i < it->nenclosures && i < JF_MAX; i++) {
			c->eurl[i] = test_dup(it->enclosures[i].url);
			c->etype[i] = test_dup(it->enclosures[i].type);
			c->elen[i] = test_dup(it->enclosures[i].length);
		}
		c->nencl = it->nenclosures;
		c->published = it->published;
		c->updated = it->updated;
		c->nlinks = it->nlinks;
		c->nauthors = it->nauthors;
		for (i = 0; i < it->nlinks; i++)
			if (it->links[i].rel && !strcmp(it->links[i].rel, "related"))
				c->related = test_dup(it->links[i].href);
	}
	r->n++;
	return r->stop_after && r->n >= r->stop_after;
}

/* Frees everything jf_run holds. */
static void
jf_run_dispose(jf_run *r)
{
	size_t i, k;
	jf_item *c;

	for (i = 0; i < r->n && i < JF_MAX; i++) {
		c = &r->items[i];
		free(c->id); free(c->title); free(c->link); free(c->name);
		free(c->email); free(c->uri); free(c->summary); free(c->content); free(c->related);
		for (k = 0; k < c->ncats && k < JF_MAX; k++)
			free(c->cats[k]);
		for (k = 0; k < c->nencl && k < JF_MAX; k++) {
			free(c->eurl[k]); free(c->etype[k]); free(c->elen[k]);
		}
	}
	free(r->title); free(r->link); free(r->subtitle); free(r->id);
	free(r->name); free(r->email); free(r->uri); free(r->self); free(r->language);
	fm_buf_dispose(&r->dump);
}

/* Default limits, with any non-zero field of lim taking over. */
static fm_parse_limits
jf_limits(const fm_parse_limits *lim)
{
	fm_parse_limits l = { FM_PARSE_MAX_BYTES, FM_PARSE_MAX_ITEMS,
			      FM_PARSE_MAX_FIELD, FM_PARSE_MAX_DEPTH };

	if (lim && lim->max_items)
		l.max_items = lim->max_items;
	if (lim && lim->max_field)
		l.max_field = lim->max_field;
	if (lim && lim->max_depth)
		l.max_depth = lim->max_depth;
	return l;
}

/* Parses len bytes pushed chunk bytes at a time into r (zeroed first except stop_after). */
static void
jf_parse(jf_run *r, const char *data, size_t len, size_t chunk,
	 const fm_parse_limits *lim, const char *base)
{
	fm_parse_limits l = jf_limits(lim);
	fm__jsonfeed *j;
	fm_feed feed;
	size_t off, n, stop = r->stop_after;
	int e;

	memset(r, 0, sizeof(*r));
	r->stop_after = stop;
	cr_assert_eq(fm__jsonfeed_new(&j, base, &l, jf_on_item, r), 0);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if ((e = fm__jsonfeed_push(j, data + off, n, &r->diag)) < 0) {
			r->push_error = e;
			/* Further pushes give the same error. */
			cr_assert_eq(fm__jsonfeed_push(j, "x", 1, NULL), e);
			break;
		}
	}
	r->error = fm__jsonfeed_finish(j, &feed, &r->nitems, &r->diag);
	r->format = feed.format;
	r->title = test_dup(feed.title);
	r->link = test_dup(feed.link);
	r->subtitle = test_dup(feed.subtitle);
	r->id = test_dup(feed.id);
	r->name = test_dup(feed.author.name);
	r->email = test_dup(feed.author.email);
	r->uri = test_dup(feed.author.uri);
	r->language = test_dup(feed.language);
	r->nauthors = feed.nauthors;
	for (size_t i = 0; i < feed.nlinks; i++)
		if (feed.links[i].rel && !strcmp(feed.links[i].rel, "self"))
			r->self = test_dup(feed.links[i].href);
	fm__jsonfeed_free(j);
}

/* Reads a fixture into a malloc'd string; *len gets its size. */
static char *
jf_read(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *data;
	long size;

	snprintf(path, sizeof(path), JF_DIR "%s", name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	cr_assert_geq(size, 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	cr_assert_not_null(data);
	cr_assert_eq(fread(data, 1, (size_t)size, f), (size_t)size);
	data[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return data;
}

/* Parses a fixture in chunks of chunk bytes. */
static void
jf_parse_file(jf_run *r, const char *name, size_t chunk,
	      const fm_parse_limits *lim, const char *base)
{
	size_t len;
	char *data = jf_read(name, &len);

	jf_parse(r, data, len, chunk, lim, base);
	free(data);
}

/* Asserts that s is NULL when want is NULL, else equal to it. */
static void
jf_eq(const char *s, const char *want)
{
	if (!want)
		cr_assert_null(s, "expected NULL, got \"%s\"", s);
	else
		cr_assert(s && strcmp(s, want) == 0, "expected \"%s\", got \"%s\"",
			  want, s ? s : "(null)");
}

Test(jsonfeed, v11_feed_metadata_and_authors)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.format, FM_FORMAT_JSONFEED);
	jf_eq(r.title, "Example & Co");
	jf_eq(r.link, "https://example.org/");
	jf_eq(r.subtitle, "Notes <and> things");
	/* feed_url is where the feed lives, not an identifier. */
	jf_eq(r.id, NULL);
	jf_eq(r.name, "Feed Author");
	jf_eq(r.uri, "https://example.org/about");
	/* authors[0] wins over the 1.0 author; mailto: becomes the email. */
	jf_eq(r.items[0].name, "Jane Doe");
	jf_eq(r.items[0].email, "jane@example.org");
	jf_eq(r.items[0].uri, NULL);
	/* An item without an author takes the feed's. */
	jf_eq(r.items[1].name, "Feed Author");
	jf_eq(r.items[1].uri, "https://example.org/about");
	jf_run_dispose(&r);
}

Test(jsonfeed, v10_author_object)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.0.json", 4096, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 2);
	jf_eq(r.title, "Old feed");
	jf_eq(r.name, "Old Author");
	jf_eq(r.email, "old@example.com");
	jf_eq(r.items[0].name, "Item Author");
	jf_eq(r.items[0].uri, "https://old.example/me");
	jf_eq(r.items[1].name, "Old Author");
	jf_eq(r.items[1].email, "old@example.com");
	jf_run_dispose(&r);
}

Test(jsonfeed, non_object_items_are_skipped)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	cr_assert_eq(r.error, 0);
	cr_assert_eq(r.nitems, 3);
	cr_assert_eq(r.n, 3);
	jf_eq(r.items[0].id, "https://example.org/1");
	jf_eq(r.items[1].id, "42");
	jf_eq(r.items[2].id, "3");
	jf_run_dispose(&r);
}

Test(jsonfeed, link_is_url_else_external_url)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[0].link, "https://example.org/posts/1");
	jf_eq(r.items[1].link, "https://elsewhere.example/42");
	jf_eq(r.items[2].link, NULL);
	jf_run_dispose(&r);
}

Test(jsonfeed, content_html_wins_over_content_text)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[0].content, "<p>Hello &amp; welcome</p>");
	jf_eq(r.items[2].content, NULL);
	jf_run_dispose(&r);
}

Test(jsonfeed, content_text_is_escaped)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[1].content, "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
	jf_eq(r.items[0].content, "<p>Hello &amp; welcome</p>");
	jf_run_dispose(&r);
}

Test(jsonfeed, summary_is_escaped)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[0].summary, "Tom &amp; &quot;Jerry&quot; &lt;3 &gt;");
	jf_eq(r.items[1].summary, NULL);
	jf_run_dispose(&r);
}

Test(jsonfeed, title_is_kept_as_written)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[0].title, "First <b>post</b>");
	jf_eq(r.items[1].title, NULL);
	jf_run_dispose(&r);
}

Test(jsonfeed, attachments_become_enclosures)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	/* The one without a url and the non-object are dropped. */
	cr_assert_eq(r.items[0].nencl, 2);
	jf_eq(r.items[0].eurl[0], "https://example.org/a.mp3");
	jf_eq(r.items[0].etype[0], "audio/mpeg");
	jf_eq(r.items[0].elen[0], "123456789012");
	jf_eq(r.items[0].eurl[1], "https://example.org/b.pdf");
	jf_eq(r.items[0].etype[1], "application/pdf");
	jf_eq(r.items[0].elen[1], NULL);
	cr_assert_eq(r.items[1].nencl, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, tags_become_categories)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	/* The number and the empty string are dropped. */
	cr_assert_eq(r.items[0].ncats, 2);
	jf_eq(r.items[0].cats[0], "c");
	jf_eq(r.items[0].cats[1], "json");
	cr_assert_eq(r.items[1].ncats, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, numeric_id_becomes_decimal_text)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[1].id, "42");
	jf_run_dispose(&r);
}

Test(jsonfeed, dates_are_parsed)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	cr_assert_eq(r.items[0].published, 1704164645);   /* 2024-01-02T03:04:05Z */
	cr_assert_eq(r.items[0].updated, 1704268800);     /* 2024-01-03T10:00:00+02:00 */
	cr_assert_eq(r.items[1].published, 1709256599);   /* 2024-02-29T23:59:59.5-01:30 */
	cr_assert_eq(r.items[1].updated, 0);              /* "yesterday" */
	cr_assert_eq(r.items[2].published, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, nul_escape_ends_the_string)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	jf_eq(r.items[2].title, "NUL");
	jf_run_dispose(&r);
}

/* The one relative-URL test: it needs the real fm__url_resolve (libcurl). */
Test(jsonfeed, relative_urls_resolve_against_base)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "relative.json", 4096, NULL, "https://example.org/blog/feed.json");
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	jf_eq(r.link, "https://example.org/");
	jf_eq(r.items[0].link, "https://example.org/blog/posts/1");
	jf_eq(r.items[0].eurl[0], "https://example.org/media/a.mp3");
	jf_run_dispose(&r);
}

Test(jsonfeed, top_level_array_is_not_a_feed)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "not-feed-array.json", 4096, NULL, NULL);
	cr_assert_eq(r.push_error, 0);
	cr_assert_eq(r.error, FM_ENOTFEED);
	cr_assert_str_eq(r.diag.msg, "JSON, but not a JSON Feed (no jsonfeed version)");
	cr_assert_eq(r.format, FM_FORMAT_NONE);
	cr_assert_eq(r.n, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, object_without_version_is_not_a_feed)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "not-feed-object.json", 4096, NULL, NULL);
	cr_assert_eq(r.error, FM_ENOTFEED);
	cr_assert_str_eq(r.diag.msg, "JSON, but not a JSON Feed (no jsonfeed version)");
	cr_assert_eq(r.n, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, http_version_and_missing_items_are_accepted)
{
	static const char doc[] = "{\"version\": \"http://jsonfeed.org/version/1\", \"title\": \"t\"}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 4096, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.format, FM_FORMAT_JSONFEED);
	cr_assert_eq(r.nitems, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, bare_version_numbers_are_accepted)
{
	static const char *const ok[] = { "1", "1.0", "1.1" };
	static const char *const not[] = { "", "2.0", "1.0.0", "version 1" };
	char doc[160];
	jf_run r = { 0 };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"version\": \"%s\", \"items\": [{\"id\": \"a\"}]}", ok[i]);
		jf_parse(&r, doc, strlen(doc), 4096, NULL, NULL);
		cr_assert_eq(r.error, 0, "version %s: %s", ok[i], r.diag.msg);
		cr_assert_eq(r.format, FM_FORMAT_JSONFEED);
		cr_assert_eq(r.n, 1);
		jf_run_dispose(&r);
	}
	for (i = 0; i < sizeof(not) / sizeof(not[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"version\": \"%s\", \"items\": [{\"id\": \"a\"}]}", not[i]);
		jf_parse(&r, doc, strlen(doc), 4096, NULL, NULL);
		cr_assert_eq(r.error, FM_ENOTFEED, "version \"%s\" was taken", not[i]);
		cr_assert_eq(r.n, 0);
		jf_run_dispose(&r);
	}
}

Test(jsonfeed, feed_url_language_and_external_url_are_kept)
{
	static const char doc[] =
		"{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"t\", "
		"\"home_page_url\": \"/\", \"feed_url\": \"feed.json\", \"language\": \"de-CH\", "
		"\"authors\": [{\"name\": \"Ann\"}], \"items\": ["
		"{\"id\": \"1\", \"url\": \"/a\", \"external_url\": \"https://else.example/x\", \"tags\": [\"p\", \"q\"]}, "
		"{\"id\": \"2\", \"external_url\": \"/only\"}, {\"id\": \"3\"}]}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 7, NULL, "https://example.org/news/");
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	jf_eq(r.self, "https://example.org/news/feed.json");
	jf_eq(r.link, "https://example.org/");
	jf_eq(r.language, "de-CH");
	cr_assert_eq(r.nauthors, 1);
	/* url is the link; external_url a related link beside it, or the link when there is no url. */
	jf_eq(r.items[0].link, "https://example.org/a");
	jf_eq(r.items[0].related, "https://else.example/x");
	cr_assert_eq(r.items[0].nlinks, 2);
	cr_assert_eq(r.items[0].nauthors, 1); /* the feed's author */
	jf_eq(r.items[1].link, "https://example.org/only");
	cr_assert_eq(r.items[1].nlinks, 1);
	cr_assert_eq(r.items[2].nlinks, 0);
	jf_eq(r.items[2].link, NULL);
	jf_run_dispose(&r);
}

Test(jsonfeed, invalid_json_reports_offset)
{
	jf_run r = { 0 };
	size_t len;
	char *data = jf_read("invalid.json", &len);
	char want[64];

	jf_parse(&r, data, len, 7, NULL, NULL);
	cr_assert_eq(r.push_error, FM_EPARSE);
	cr_assert_eq(r.error, FM_EPARSE);
	/* json-c stops at the "2" that should have been a ',' or ']'. */
	snprintf(want, sizeof(want), "at byte offset %zu", (size_t)(strstr(data, "1 2") + 2 - data));
	cr_assert(strstr(r.diag.msg, "JSON: ") == r.diag.msg, "%s", r.diag.msg);
	cr_assert(strstr(r.diag.msg, "separator"), "%s", r.diag.msg);
	cr_assert(strstr(r.diag.msg, want), "want \"%s\" in \"%s\"", want, r.diag.msg);
	cr_assert_eq(r.diag.line, 3);
	cr_assert_eq(r.diag.column, 15);
	cr_assert_eq(r.n, 0);
	free(data);
	jf_run_dispose(&r);
}

Test(jsonfeed, truncated_json_fails_at_finish)
{
	jf_run r = { 0 };

	jf_parse_file(&r, "truncated.json", 4096, NULL, NULL);
	cr_assert_eq(r.push_error, 0);
	cr_assert_eq(r.error, FM_EPARSE);
	cr_assert(strstr(r.diag.msg, "unexpected end of JSON"), "%s", r.diag.msg);
	cr_assert_eq(r.n, 0);
	jf_run_dispose(&r);
}

Test(jsonfeed, trailing_data_is_an_error)
{
	static const char doc[] = "{\"version\": \"https://jsonfeed.org/version/1.1\"}\n  x";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 1, NULL, NULL);
	cr_assert_eq(r.push_error, FM_EPARSE);
	cr_assert_eq(r.error, FM_EPARSE);
	cr_assert_eq(r.diag.line, 2);
	cr_assert_eq(r.diag.column, 3);
	jf_run_dispose(&r);
}

Test(jsonfeed, chunk_size_does_not_matter)
{
	static const char *const files[] = { "feed-1.1.json", "feed-1.0.json" };
	jf_run a = { 0 }, b = { 0 }, c = { 0 };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		jf_parse_file(&a, files[i], 1, NULL, NULL);
		jf_parse_file(&b, files[i], 7, NULL, NULL);
		jf_parse_file(&c, files[i], 4096, NULL, NULL);
		cr_assert_eq(a.error, 0);
		cr_assert_gt(a.dump.size, 0);
		cr_assert_str_eq(fm_buf_cstr(&a.dump), fm_buf_cstr(&b.dump));
		cr_assert_str_eq(fm_buf_cstr(&a.dump), fm_buf_cstr(&c.dump));
		jf_run_dispose(&a);
		jf_run_dispose(&b);
		jf_run_dispose(&c);
	}
}

Test(jsonfeed, leading_bom_is_skipped)
{
	static const char doc[] = "\xef\xbb\xbf{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": \"1\"}]}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 1, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 1);
	jf_run_dispose(&r);
}

Test(jsonfeed, max_items_delivers_that_many_then_fails)
{
	fm_parse_limits lim = { 0, 3, 0, 0 };
	jf_run r = { 0 };

	jf_parse_file(&r, "five-items.json", 4096, &lim, NULL);
	cr_assert_eq(r.error, FM_ELIMIT);
	cr_assert_str_eq(r.diag.msg, "more than 3 items");
	cr_assert_eq(r.nitems, 3);
	cr_assert_eq(r.n, 3);
	jf_eq(r.items[2].id, "3");
	cr_assert_eq(r.format, FM_FORMAT_JSONFEED);
	jf_run_dispose(&r);

	lim.max_items = 5;
	jf_parse_file(&r, "five-items.json", 4096, &lim, NULL);
	cr_assert_eq(r.error, 0);
	cr_assert_eq(r.nitems, 5);
	jf_run_dispose(&r);
}

Test(jsonfeed, max_field_stops_at_the_long_field)
{
	fm_parse_limits lim = { 0, 0, 30, 0 };
	jf_run r = { 0 };

	jf_parse_file(&r, "long-field.json", 4096, &lim, NULL);
	cr_assert_eq(r.error, FM_ELIMIT);
	cr_assert(strstr(r.diag.msg, "field title longer than 30 bytes") == r.diag.msg,
		  "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 1);
	jf_eq(r.items[0].title, "fits");
	jf_run_dispose(&r);
}

Test(jsonfeed, max_depth_limits_nesting)
{
	fm_parse_limits lim = { 0, 0, 0, 7 };
	jf_run r = { 0 };

	/* feed-1.1.json nests 7 deep: root, items, item, _ext, nested, deeper, {x}. */
	jf_parse_file(&r, "feed-1.1.json", 4096, &lim, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	jf_run_dispose(&r);

	lim.max_depth = 6;
	jf_parse_file(&r, "feed-1.1.json", 7, &lim, NULL);
	cr_assert_eq(r.push_error, FM_ELIMIT);
	cr_assert_eq(r.error, FM_ELIMIT);
	cr_assert(strstr(r.diag.msg, "deeper than 6"), "%s", r.diag.msg);
	/* The two items before the deep one were delivered as they closed. */
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.nitems, 2);
	jf_run_dispose(&r);
}

Test(jsonfeed, callback_can_stop)
{
	jf_run r = { 0 };

	r.stop_after = 1;
	jf_parse_file(&r, "feed-1.1.json", 4096, NULL, NULL);
	cr_assert_eq(r.error, FM_ESTOPPED);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.nitems, 1);
	/* The feed was recognised, so its metadata is still there. */
	jf_eq(r.title, "Example & Co");
	jf_run_dispose(&r);
}

Test(jsonfeed, empty_input_is_not_a_feed)
{
	jf_run r = { 0 };

	jf_parse(&r, " \n\t", 3, 1, NULL, NULL);
	cr_assert_eq(r.error, FM_ENOTFEED);
	jf_run_dispose(&r);
}

/* A reader with default limits (any non-zero field of lim taking over) delivering into r. */
static fm__jsonfeed *
jf_open(jf_run *r, const fm_parse_limits *lim)
{
	fm_parse_limits l = jf_limits(lim);
	fm__jsonfeed *j;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(fm__jsonfeed_new(&j, NULL, &l, jf_on_item, r), 0);
	return j;
}

/* Pushes a C string; returns what push returned. */
static int
jf_push_str(fm__jsonfeed *j, const char *s)
{
	return fm__jsonfeed_push(j, s, strlen(s), NULL);
}

Test(jsonfeed, items_arrive_before_the_end)
{
	static const char doc[] =
		"{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\",\n"
		" \"items\": [{\"id\": \"1\"}, {\"id\": \"2\"}, {\"id\": \"3\"}]}";
	const char *third = strstr(doc, "{\"id\": \"3\"");
	jf_run r;
	fm__jsonfeed *j = jf_open(&r, NULL);
	fm_feed feed;

	/* Everything up to the middle of the third item: two are out already. */
	cr_assert_eq(fm__jsonfeed_push(j, doc, (size_t)(third - doc) + 4, NULL), 0);
	cr_assert_eq(r.n, 2);
	jf_eq(r.items[1].id, "2");
	cr_assert_eq(jf_push_str(j, third + 4), 0);
	cr_assert_eq(r.n, 3);
	cr_assert_eq(fm__jsonfeed_finish(j, &feed, &r.nitems, &r.diag), 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 3);
	cr_assert_str_eq(feed.title, "T");
	fm__jsonfeed_free(j);
	jf_run_dispose(&r);
}

Test(jsonfeed, items_before_version_wait_for_it)
{
	size_t len;
	char *data = jf_read("items-first.json", &len);
	const char *version = strstr(data, "\"version\"");
	jf_run r, a = { 0 }, b = { 0 };
	fm__jsonfeed *j = jf_open(&r, NULL);
	fm_feed feed;

	cr_assert_eq(fm__jsonfeed_push(j, data, (size_t)(version - data), NULL), 0);
	cr_assert_eq(r.n, 0);
	cr_assert_eq(fm__jsonfeed_push(j, version, len - (size_t)(version - data), NULL), 0);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(fm__jsonfeed_finish(j, &feed, &r.nitems, &r.diag), 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 2);
	jf_eq(r.items[0].title, "one");
	jf_eq(r.items[1].name, "Own");
	/* The feed's author came after the items: they do not inherit it. */
	jf_eq(r.items[0].name, NULL);
	jf_eq(feed.author.name, "Late Author");
	jf_eq(feed.title, "Items first");
	cr_assert_eq(feed.format, FM_FORMAT_JSONFEED);
	fm__jsonfeed_free(j);
	jf_run_dispose(&r);

	/* Chunking changes nothing. */
	jf_parse(&a, data, len, 1, NULL, NULL);
	jf_parse(&b, data, len, 7, NULL, NULL);
	cr_assert_eq(a.error, 0);
	cr_assert_str_eq(fm_buf_cstr(&a.dump), fm_buf_cstr(&b.dump));
	jf_run_dispose(&a);
	jf_run_dispose(&b);
	free(data);
}

Test(jsonfeed, items_without_version_are_never_delivered)
{
	static const char *const docs[] = {
		"{\"items\": [{\"id\": \"1\"}, {\"id\": \"2\"}], \"title\": \"x\"}",
		"{\"version\": \"2.0\", \"items\": [{\"id\": \"1\"}]}",
		"{\"items\": [{\"id\": \"1\"}], \"version\": \"https://example.org/version/1\"}",
	};
	jf_run r = { 0 };
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		jf_parse(&r, docs[i], strlen(docs[i]), 3, NULL, NULL);
		cr_assert_eq(r.push_error, 0);
		cr_assert_eq(r.error, FM_ENOTFEED, "%zu: %d", i, r.error);
		cr_assert_str_eq(r.diag.msg, "JSON, but not a JSON Feed (no jsonfeed version)");
		cr_assert_eq(r.n, 0);
		cr_assert_eq(r.nitems, 0);
		cr_assert_eq(r.format, FM_FORMAT_NONE);
		jf_run_dispose(&r);
	}
}

Test(jsonfeed, escaped_member_names_count)
{
	static const char doc[] =
		"{\"\\u0076ersion\": \"https://jsonfeed.org/version/1.1\", \"titl\\u0065\": \"T\","
		" \"it\\u0065ms\": [{\"id\": \"1\"}, {\"\\u0069d\": \"2\"}], \"item\\/s\": [{\"id\": \"x\"}]}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 1, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 2);
	jf_eq(r.items[1].id, "2");
	jf_eq(r.title, "T");
	jf_run_dispose(&r);
}

Test(jsonfeed, million_items_end_at_the_cap, .timeout = 30)
{
	char chunk[11 * 1000 + 1];
	size_t i, pushed = 0;
	jf_run r;
	fm__jsonfeed *j = jf_open(&r, NULL);
	fm_feed feed;
	int e = 0;

	for (i = 0; i < 1000; i++)
		memcpy(chunk + 11 * i, "{\"id\":\"i\"},", 11);
	chunk[sizeof(chunk) - 1] = '\0';
	cr_assert_eq(jf_push_str(j, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":["), 0);
	for (i = 0; i < 1000 && e == 0; i++) {
		e = fm__jsonfeed_push(j, chunk, sizeof(chunk) - 1, NULL);
		pushed += sizeof(chunk) - 1;
	}
	cr_assert_eq(e, FM_ELIMIT);
	cr_assert_lt(pushed, (size_t)2 << 20);
	cr_assert_eq(r.n, FM_PARSE_MAX_ITEMS);
	cr_assert_eq(fm__jsonfeed_finish(j, &feed, &r.nitems, &r.diag), FM_ELIMIT);
	cr_assert_str_eq(r.diag.msg, "more than 100000 items");
	cr_assert_eq(r.nitems, FM_PARSE_MAX_ITEMS);
	cr_assert_eq(feed.format, FM_FORMAT_JSONFEED);
	fm__jsonfeed_free(j);
	jf_run_dispose(&r);
}

Test(jsonfeed, huge_string_ends_the_parse_early, .timeout = 30)
{
	static char chunk[64 << 10];
	size_t pushed = 0;
	jf_run r;
	fm__jsonfeed *j = jf_open(&r, NULL);
	fm_feed feed;
	int e;

	memset(chunk, 'a', sizeof(chunk));
	cr_assert_eq(jf_push_str(j, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":["
				    "{\"id\":\"1\"},{\"id\":\"2\",\"content_html\":\""), 0);
	while ((e = fm__jsonfeed_push(j, chunk, sizeof(chunk), &r.diag)) == 0 &&
	       pushed < (size_t)100 << 20)
		pushed += sizeof(chunk);
	cr_assert_eq(e, FM_ELIMIT);
	cr_assert_lt(pushed, (size_t)10 << 20);
	cr_assert(strstr(r.diag.msg, "JSON item 2 at byte offset"), "%s", r.diag.msg);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(fm__jsonfeed_finish(j, &feed, &r.nitems, NULL), FM_ELIMIT);
	cr_assert_eq(r.nitems, 1);
	fm__jsonfeed_free(j);
	jf_run_dispose(&r);
}

Test(jsonfeed, long_top_level_member_is_a_limit)
{
	fm_parse_limits lim = { 0, 0, 10, 0 };
	char doc[8192];
	jf_run r = { 0 };

	snprintf(doc, sizeof(doc), "{\"version\":\"https://jsonfeed.org/version/1.1\","
		 "\"_x\":\"%05000d\",\"items\":[]}", 0);
	jf_parse(&r, doc, strlen(doc), 4096, &lim, NULL);
	cr_assert_eq(r.push_error, FM_ELIMIT);
	cr_assert(strstr(r.diag.msg, "top-level member"), "%s", r.diag.msg);
	jf_run_dispose(&r);
}

Test(jsonfeed, syntax_error_keeps_items_before)
{
	static const char doc[] =
		"{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\"},\n"
		"{\"id\":\"2\",\"x\":tru}]}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 5, NULL, NULL);
	cr_assert_eq(r.push_error, FM_EPARSE);
	cr_assert_eq(r.error, FM_EPARSE);
	cr_assert(strstr(r.diag.msg, "JSON: ") == r.diag.msg, "%s", r.diag.msg);
	cr_assert_eq(r.diag.line, 2);
	cr_assert_eq(r.nitems, 1);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.format, FM_FORMAT_JSONFEED);
	jf_run_dispose(&r);
}

Test(jsonfeed, every_chunking_gives_the_same_result)
{
	static const char *const files[] = {
		"feed-1.1.json", "feed-1.0.json", "five-items.json", "invalid.json",
		"long-field.json", "not-feed-array.json", "not-feed-object.json",
		"relative.json", "truncated.json", "items-first.json",
	};
	static const char *const docs[] = {
		"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":\"1\"},{\"id\":tru}]}",
		"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":\"1\"} {\"id\":\"2\"}]}",
		"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":\"\\q\"}]}",
		"{\"version\":\"https://jsonfeed.org/version/1\" \"items\":[]}",
		"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[{\"id\":\"1\"}]]",
		"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[1, null, true, \"s\", {\"id\":\"1\"}]}",
		"[nul]", "truex", "123", "\"s\"", "{\"a\":1,}",
	};
	const fm_parse_limits lim = { 0, 2, 20, 5 };
	jf_run a = { 0 }, b = { 0 };
	size_t i, k, chunk, len, nfiles = sizeof(files) / sizeof(files[0]);
	char *data;

	for (i = 0; i < nfiles + sizeof(docs) / sizeof(docs[0]); i++) {
		for (k = 0; k < 2; k++) {
			if (i < nfiles) {
				data = jf_read(files[i], &len);
			} else {
				data = test_dup(docs[i - nfiles]);
				len = strlen(data);
			}
			jf_parse(&a, data, len, 4096, k ? &lim : NULL, NULL);
			for (chunk = 1; chunk < 10; chunk++) {
				jf_parse(&b, data, len, chunk, k ? &lim : NULL, NULL);
				cr_assert_eq(a.error, b.error, "%zu/%zu/%zu: %d %d", i, k, chunk, a.error, b.error);
				cr_assert_eq(a.push_error, b.push_error, "%zu/%zu/%zu", i, k, chunk);
				cr_assert_str_eq(a.diag.msg, b.diag.msg, "%zu/%zu/%zu", i, k, chunk);
				cr_assert_eq(a.diag.line, b.diag.line, "%zu/%zu/%zu", i, k, chunk);
				cr_assert_eq(a.diag.column, b.diag.column, "%zu/%zu/%zu", i, k, chunk);
				cr_assert_str_eq(fm_buf_cstr(&a.dump), fm_buf_cstr(&b.dump), "%zu/%zu/%zu", i, k, chunk);
				jf_run_dispose(&b);
			}
			jf_run_dispose(&a);
			free(data);
		}
	}
}

Test(jsonfeed, trailing_commas_are_accepted_like_json_c)
{
	static const char doc[] =
		"{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\",},{\"id\":\"2\"},],}";
	jf_run r = { 0 };

	jf_parse(&r, doc, sizeof(doc) - 1, 1, NULL, NULL);
	cr_assert_eq(r.error, 0, "%s", r.diag.msg);
	cr_assert_eq(r.nitems, 2);
	jf_run_dispose(&r);
}
