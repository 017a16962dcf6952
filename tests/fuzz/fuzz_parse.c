/*
 * fuzz_parse.c - libFuzzer target for the push parser (fm_parser_*).
 *
 * The first three input bytes are a header that picks how the rest is fed:
 *
 *   byte 0  chunk size: value % 65, where 0 means "push everything at
 *           once" and 1..64 pushes the document in chunks of that size;
 *   byte 1  limits and options, one switch per bit:
 *             bits 0-1  max_depth: default, 3, 8, 32
 *             bits 2-3  max_field: default, 1, 64, 4096
 *             bit  4    max_items 2 (else default)
 *             bit  5    max_bytes: half the document (else default)
 *             bit  6    the item callback stops the parse at the 2nd item
 *             bit  7    a base URL and a Content-Location are given
 *   byte 2  charset hints: value % 8 picks none, a forced encoding or an
 *           HTTP Content-Type charset (see fuzz_charsets).
 *
 * The callbacks read every string the parser lends out (strlen, a UTF-8
 * check) so AddressSanitizer sees dangling or unterminated pointers, and
 * a few API promises are checked with abort(): strings are valid UTF-8,
 * the result counts the items that were delivered, and the return code
 * of fm_parser_finish agrees with the result.
 */
#include "feedmerge/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the callbacks saw, checked against the parser's result. */
typedef struct fuzz_state {
	size_t items;
	size_t feeds;
	size_t stop_at;   /* stop the parse at this item (1-based); 0 never */
	size_t sum;       /* keeps the reads from being optimised away */
	int stopped;
} fuzz_state;

/* Charset hints: forced encoding, Content-Type. */
static const struct {
	const char *encoding;
	const char *content_type;
} fuzz_charsets[8] = {
	{ NULL, NULL },
	{ "utf-8", NULL },
	{ "utf-16", NULL },
	{ "windows-1252", NULL },
	{ "shift_jis", NULL },
	{ NULL, "application/rss+xml; charset=\"iso-8859-1\"" },
	{ NULL, "text/xml; charset=utf-16le" },
	{ "no-such-charset", "text/xml; charset=koi8-r" },
};

/* Returns 1 when s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
static int
fuzz_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, c &= 0x07;
		else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Reads a borrowed string end to end; aborts when it is not UTF-8. */
static void
fuzz_touch(fuzz_state *st, const char *s)
{
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	if (!fuzz_utf8_valid((const unsigned char *)s, len))
		abort();
	st->sum += len;
	if (len)
		st->sum += (unsigned char)s[len - 1];
}

/* Reads the three strings of a person. */
static void
fuzz_touch_person(fuzz_state *st, const fm_person *p)
{
	fuzz_touch(st, p->name);
	fuzz_touch(st, p->email);
	fuzz_touch(st, p->uri);
}

/* The item callback: reads everything; stops the parse at st->stop_at. */
static int
fuzz_on_item(const fm_item *item, void *payload)
{
	fuzz_state *st = payload;
	size_t i;

	/* Once a callback has asked to stop, no more may come. */
	if (st->stopped)
		abort();
	st->items++;
	fuzz_touch(st, item->id);
	fuzz_touch(st, item->title);
	fuzz_touch(st, item->link);
	fuzz_touch_person(st, &item->author);
	fuzz_touch(st, item->summary);
	fuzz_touch(st, item->content);
	fuzz_touch(st, item->feed);
	if (item->ncategories && !item->categories)
		abort();
	for (i = 0; i < item->ncategories; i++)
		fuzz_touch(st, item->categories[i]);
	if (item->nenclosures && !item->enclosures)
		abort();
	for (i = 0; i < item->nenclosures; i++) {
		fuzz_touch(st, item->enclosures[i].url);
		fuzz_touch(st, item->enclosures[i].type);
		fuzz_touch(st, item->enclosures[i].length);
	}
	st->sum += (size_t)item->published + (size_t)item->updated;
	if (st->stop_at && st->items == st->stop_at) {
		st->stopped = 1;
		return 1;
	}
	return 0;
}

/* The feed callback: reads everything; returns 0. */
static int
fuzz_on_feed(const fm_feed *feed, void *payload)
{
	fuzz_state *st = payload;

	st->feeds++;
	fuzz_touch(st, feed->title);
	fuzz_touch(st, feed->link);
	fuzz_touch(st, feed->subtitle);
	fuzz_touch(st, feed->id);
	fuzz_touch_person(st, &feed->author);
	fuzz_touch(st, fm_format_name(feed->format));
	st->sum += (size_t)feed->updated + (size_t)feed->published;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry point: one parse of one input; returns 0 (aborts on a broken promise). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t depths[4] = { 0, 3, 8, 32 };
	static const size_t fields[4] = { 0, 1, 64, 4096 };
	fm_parse_opts opts;
	fm_parser *p = NULL;
	const fm_parse_result *res;
	fuzz_state st;
	size_t chunk, off, n;
	uint8_t flags, cs;
	int rc, pushed = 0;

	if (size < 3)
		return 0;
	chunk = data[0] % 65;
	flags = data[1];
	cs = data[2] % 8;
	data += 3;
	size -= 3;

	memset(&opts, 0, sizeof(opts));
	memset(&st, 0, sizeof(st));
	opts.limits.max_depth = depths[flags & 3];
	opts.limits.max_field = fields[(flags >> 2) & 3];
	if (flags & 0x10)
		opts.limits.max_items = 2;
	if ((flags & 0x20) && size / 2)
		opts.limits.max_bytes = size / 2;
	if (flags & 0x40)
		st.stop_at = 2;
	if (flags & 0x80) {
		opts.url = "http://example.org/feeds/main.xml?x=1";
		opts.content_location = "../other/feed.xml";
	}
	opts.encoding = fuzz_charsets[cs].encoding;
	opts.content_type = fuzz_charsets[cs].content_type;

	if (fm_parser_new(&p, &opts, fuzz_on_item, fuzz_on_feed, &st) < 0)
		return 0;
	if (chunk == 0)
		chunk = size ? size : 1;
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		pushed = fm_parser_push(p, data + off, n);
		if (pushed > 0)
			abort();
		if (pushed < 0)
			break;
	}
	rc = fm_parser_finish(p);
	res = fm_parser_result(p);

	/* The API's promises about the result. */
	if (rc < 0 && rc != res->status)
		abort();
	if (rc >= 0 && (res->status != 0 || rc != res->bozo))
		abort();
	if (pushed < 0 && res->status != pushed)
		abort();
	if (res->items != st.items)
		abort();
	if (st.feeds > 1 || (st.feeds && res->format == FM_FORMAT_NONE))
		abort();
	if (memchr(res->encoding, '\0', sizeof(res->encoding)) == NULL)
		abort();
	if (memchr(res->diag.msg, '\0', sizeof(res->diag.msg)) == NULL)
		abort();
	if (opts.limits.max_items && st.items > opts.limits.max_items)
		abort();
	if (st.stopped && res->status != FM_ESTOPPED)
		abort();
	fm_parser_free(p);
	return (int)(st.sum & 0);
}
