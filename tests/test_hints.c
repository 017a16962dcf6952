/* test_hints.c - the polling hints read off a feed body as it arrives, in any chunks. */
#include "fetch/hints.h"

#include <criterion/criterion.h>
#include <string.h>

static const char doc[] =
	"<?xml version=\"1.0\"?>\n"
	"<!-- a comment with <ttl>1</ttl> and > inside -->\n"
	"<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
	"<channel><title>T</title><ttl> 90 </ttl>"
	"<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
	"<skipHours><hour>0</hour><hour>23</hour><hour>24</hour></skipHours>"
	"<skipDays><day>Saturday</day><day>sunday</day></skipDays>"
	"<item><title>x</title><ttl>5</ttl><hour>3</hour></item>"
	"<entry some-very-long-attribute-name=\"and a value longer than the tag buffer\"><ttl>7</ttl></entry>"
	"<image><url>u</url></image>"
	"</channel></rss>\n";

/* Scans doc in chunks of step bytes. */
static fm_fetch_hints
scan(size_t step)
{
	fm__hints_scan h;
	size_t i, n = strlen(doc);

	fm__hints_init(&h);
	for (i = 0; i < n; i += step)
		fm__hints_push(&h, doc + i, n - i < step ? n - i : step);
	fm__hints_finish(&h);
	return h.out;
}

Test(hints, channel_elements_in_any_chunks)
{
	size_t step;

	for (step = 1; step <= strlen(doc); step++) {
		fm_fetch_hints o = scan(step);

		cr_assert_eq(o.ttl, 90, "chunks of %zu", step);
		cr_assert_eq(o.sy_seconds, 86400 / 4, "chunks of %zu", step);
		cr_assert_eq(o.skip_hours, 1u << 0 | 1u << 23, "chunks of %zu: 0, 23 and 24 (midnight)", step);
		cr_assert_eq(o.skip_days, 1u << 6 | 1u << 0, "chunks of %zu", step);
	}
}

Test(hints, none_is_none)
{
	fm__hints_scan h;
	const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><ttl>3</ttl></entry></feed>";

	fm__hints_init(&h);
	fm__hints_push(&h, atom, strlen(atom));
	fm__hints_finish(&h);
	cr_assert_eq(h.out.ttl, -1);
	cr_assert_eq(h.out.sy_seconds, 0);
	cr_assert_eq(h.out.skip_hours, 0);
	cr_assert_eq(h.out.skip_days, 0);
}
