/*
 * test_hints.c - the polling hints the parser reads at channel level (ttl,
 * sy:updatePeriod/updateFrequency, skipHours, skipDays) and reports in the
 * feed callback: in any chunks, in any charset, never from inside an item.
 */
#include "feedmerge/parse.h"

#include <criterion/criterion.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
	"<?xml version=\"1.0\"?>\n"
	"<!-- a comment with <ttl>1</ttl> and > inside -->\n"
	"<rss version=\"2.0\" xmlns:s=\"http://purl.org/rss/1.0/modules/syndication/\">"
	"<channel><title>T</title><ttl> 90 </ttl>"
	"<s:updatePeriod>daily</s:updatePeriod><s:updateFrequency><![CDATA[4]]></s:updateFrequency>"
	"<skipHours><hour>0</hour><hour>23</hour><hour>24</hour><hour>x</hour></skipHours>"
	"<skipDays><day>Saturday</day><day>sunday</day><hour>5</hour></skipDays>"
	"<hour>6</hour>"
	"<item><title>x</title><ttl>5</ttl><skipHours><hour>3</hour></skipHours></item>"
	"<entry some-very-long-attribute-name=\"and a value longer than the tag buffer\"><ttl>7</ttl></entry>"
	"<image><url>u</url><ttl>8</ttl></image>"
	"</channel></rss>\n";

/* What the feed callback saw. */
typedef struct hints_seen {
	int calls;
	fm_feed_hints hints;
} hints_seen;

static int
hints_on_feed(const fm_feed *feed, void *payload)
{
	hints_seen *s = payload;

	s->calls++;
	s->hints = feed->hints;
	return 0;
}

/* Parses len bytes of s in chunks of step bytes (0: whole); returns the hints the feed callback got. */
static fm_feed_hints
hints_parse(const char *s, size_t len, size_t step, const char *ctype)
{
	fm_parse_opts opts;
	hints_seen seen;
	fm_parser *p;
	size_t i;

	memset(&opts, 0, sizeof(opts));
	memset(&seen, 0, sizeof(seen));
	opts.content_type = ctype;
	cr_assert_eq(fm_parser_new(&p, &opts, NULL, hints_on_feed, &seen), 0);
	if (!step)
		step = len;
	for (i = 0; i < len; i += step)
		fm_parser_push(p, s + i, len - i < step ? len - i : step);
	cr_assert_geq(fm_parser_finish(p), 0);
	fm_parser_free(p);
	cr_assert_eq(seen.calls, 1);
	return seen.hints;
}

/* Checks the hints of doc (in any form). */
static void
hints_check(fm_feed_hints o, const char *how)
{
	cr_assert_eq(o.ttl, 90, "%s", how);
	cr_assert_eq(o.sy_seconds, 86400 / 4, "%s", how);
	cr_assert_eq(o.skip_hours, 1u << 0 | 1u << 23, "%s: 0, 23 and 24 (midnight)", how);
	cr_assert_eq(o.skip_days, 1u << 6 | 1u << 0, "%s", how);
}

Test(hints, channel_elements_in_any_chunks)
{
	char how[32];
	size_t step;

	for (step = 1; step <= strlen(doc); step += step < 64 ? 1 : 97) {
		snprintf(how, sizeof(how), "chunks of %zu", step);
		hints_check(hints_parse(doc, strlen(doc), step, NULL), how);
	}
}

Test(hints, utf16)
{
	/* A byte scanner cannot read these; the parser reads them after decoding. */
	char *in = (char *)doc, *out, *o;
	size_t inleft = strlen(doc), outleft = 4 * strlen(doc) + 4, n;
	iconv_t cd = iconv_open("UTF-16LE", "UTF-8");

	cr_assert_neq(cd, (iconv_t)-1);
	cr_assert_not_null(out = malloc(outleft));
	o = out;
	memcpy(o, "\xFF\xFE", 2); /* BOM */
	o += 2;
	outleft -= 2;
	cr_assert_neq(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
	iconv_close(cd);
	n = (size_t)(o - out);
	hints_check(hints_parse(out, n, 0, NULL), "utf-16le");
	hints_check(hints_parse(out, n, 7, NULL), "utf-16le, chunks of 7");
	free(out);
}

Test(hints, none_is_none)
{
	const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
			   "<ttl>30</ttl><entry><ttl>3</ttl></entry></feed>";
	const char *json = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"t\", \"items\": []}";
	fm_feed_hints o = hints_parse(atom, strlen(atom), 0, NULL);

	/* Atom has no ttl: an element of that name in its namespace is not RSS's. */
	cr_assert_eq(o.ttl, -1);
	cr_assert_eq(o.sy_seconds, 0);
	cr_assert_eq(o.skip_hours, 0);
	cr_assert_eq(o.skip_days, 0);
	o = hints_parse(json, strlen(json), 0, NULL);
	cr_assert_eq(o.ttl, -1);
	cr_assert_eq(o.sy_seconds, 0);
}

Test(hints, nonsense_is_ignored)
{
	const char *rss =
		"<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication\"><channel>"
		"<ttl>0</ttl><ttl>20000</ttl><sy:updatePeriod>fortnightly</sy:updatePeriod>"
		"<sy:updateFrequency>2</sy:updateFrequency>"
		"<skipDays><day>Sunday</day><day>Monday</day><day>Tuesday</day><day>Wednesday</day>"
		"<day>Thursday</day><day>Friday</day><day>Saturday</day></skipDays>"
		"</channel></rss>";
	fm_feed_hints o = hints_parse(rss, strlen(rss), 0, NULL);

	cr_assert_eq(o.ttl, -1, "a ttl of 0 or past a week is no ttl");
	cr_assert_eq(o.sy_seconds, 0, "a frequency without a period is nothing");
	cr_assert_eq(o.skip_days, 0, "every day skipped is ignored");
}

Test(hints, rss1_syndication_module)
{
	const char *rdf =
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\""
		" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
		"<channel rdf:about=\"http://example.org/\"><title>t</title>"
		"<sy:updatePeriod> hourly </sy:updatePeriod></channel>"
		"<item rdf:about=\"http://example.org/1\"><title>a</title><sy:updatePeriod>yearly</sy:updatePeriod></item>"
		"</rdf:RDF>";
	fm_feed_hints o = hints_parse(rdf, strlen(rdf), 0, NULL);

	cr_assert_eq(o.sy_seconds, 3600, "no frequency: once per period; the item's is not the channel's");
	cr_assert_eq(o.ttl, -1);
}
