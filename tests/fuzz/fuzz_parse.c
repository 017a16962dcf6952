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
 *
 * The target is differential: each input is parsed twice with the same
 * options, once pushed whole and once in the chunks byte 0 picks, and
 * everything the callbacks and the result report is written out as text
 * both times. parse.h promises the two are identical, so any difference
 * aborts with the first differing offset. result.bytes is left out: a
 * cap that ends the parse early may legitimately count it differently.
 * Inputs run under a max_bytes cap are not compared at all: whatever the
 * cap cuts in the middle (a tag, a sequence the recovery tokenizer holds)
 * may or may not have been read, depending on the chunking.
 */
#include "feedmerge/parse.h"
#include "../utf8check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable text: what one parse reported, for the comparison. */
typedef struct fuzz_text {
	char *s;
	size_t len;
	size_t cap;
} fuzz_text;

/* What the callbacks saw, checked against the parser's result. */
typedef struct fuzz_state {
	fuzz_text out;    /* everything reported, serialised */
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

/* Appends len bytes to t; aborts when memory runs out. */
static void
fuzz_text_add(fuzz_text *t, const char *s, size_t len)
{
	char *n;
	size_t cap;

	if (t->cap - t->len <= len) {
		cap = t->cap ? t->cap : 256;
		while (cap - t->len <= len)
			cap *= 2;
		if ((n = realloc(t->s, cap)) == NULL) {
			fprintf(stderr, "fuzz_parse: out of memory\n");
			abort();
		}
		t->s = n;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

/* Appends a printf-style line to t. */
static void
fuzz_text_printf(fuzz_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fuzz_text_printf(fuzz_text *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	fuzz_text_add(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Appends "name=" and a string (its length first, so nothing is ambiguous) or "(null)". */
static void
fuzz_text_str(fuzz_text *t, const char *name, const char *s)
{
	size_t len;

	if (!s) {
		fuzz_text_printf(t, "%s=(null)\n", name);
		return;
	}
	len = strlen(s);
	fuzz_text_printf(t, "%s=%zu:", name, len);
	fuzz_text_add(t, s, len);
	fuzz_text_add(t, "\n", 1);
}

/* Appends a diag: line, column and message. */
static void
fuzz_text_diag(fuzz_text *t, const char *name, const fm_diag *d)
{
	char msg[sizeof(d->msg) + 1];

	memcpy(msg, d->msg, sizeof(d->msg));
	msg[sizeof(d->msg)] = '\0';
	fuzz_text_printf(t, "%s.line=%lu\n%s.column=%lu\n%s.", name, d->line, name, d->column, name);
	fuzz_text_str(t, "msg", msg);
}

/* Reads a borrowed string end to end; aborts when it is not UTF-8. */
static void
fuzz_touch(fuzz_state *st, const char *name, const char *s)
{
	size_t len;

	fuzz_text_str(&st->out, name, s);
	if (!s)
		return;
	len = strlen(s);
	if (!test_utf8_valid((const unsigned char *)s, len))
		abort();
	st->sum += len;
	if (len)
		st->sum += (unsigned char)s[len - 1];
}

/* Reads the three strings of a person. */
static void
fuzz_touch_person(fuzz_state *st, const fm_person *p)
{
	fuzz_touch(st, "author.name", p->name);
	fuzz_touch(st, "author.email", p->email);
	fuzz_touch(st, "author.uri", p->uri);
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
	fuzz_text_printf(&st->out, "item %zu\n", st->items);
	fuzz_touch(st, "id", item->id);
	fuzz_touch(st, "title", item->title);
	fuzz_touch(st, "link", item->link);
	fuzz_touch_person(st, &item->author);
	fuzz_touch(st, "summary", item->summary);
	fuzz_touch(st, "content", item->content);
	fuzz_touch(st, "feed", item->feed);
	if (item->ncategories && !item->categories)
		abort();
	fuzz_text_printf(&st->out, "ncategories=%zu\n", item->ncategories);
	for (i = 0; i < item->ncategories; i++)
		fuzz_touch(st, "category", item->categories[i]);
	if (item->nenclosures && !item->enclosures)
		abort();
	fuzz_text_printf(&st->out, "nenclosures=%zu\n", item->nenclosures);
	for (i = 0; i < item->nenclosures; i++) {
		fuzz_touch(st, "enclosure.url", item->enclosures[i].url);
		fuzz_touch(st, "enclosure.type", item->enclosures[i].type);
		fuzz_touch(st, "enclosure.length", item->enclosures[i].length);
	}
	fuzz_text_printf(&st->out, "published=%lld\nupdated=%lld\n",
			 (long long)item->published, (long long)item->updated);
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
	fuzz_text_printf(&st->out, "feed %zu\nfeed.format=%d\n", st->feeds, (int)feed->format);
	fuzz_touch(st, "title", feed->title);
	fuzz_touch(st, "link", feed->link);
	fuzz_touch(st, "subtitle", feed->subtitle);
	fuzz_touch(st, "id", feed->id);
	fuzz_touch_person(st, &feed->author);
	fuzz_touch(st, "format.name", fm_format_name(feed->format));
	fuzz_text_printf(&st->out, "updated=%lld\npublished=%lld\n",
			 (long long)feed->updated, (long long)feed->published);
	st->sum += (size_t)feed->updated + (size_t)feed->published;
	return 0;
}

/*
 * Parses data[0..size) pushed in chunks of chunk bytes (size or more: in
 * one push) with opts, checks the API's promises (aborting when one is
 * broken) and leaves the serialised report in st->out. Returns 0, or -1
 * when the parser could not be made.
 */
static int
fuzz_parse_once(fuzz_state *st, const uint8_t *data, size_t size, size_t chunk,
		const fm_parse_opts *opts)
{
	fm_parser *p = NULL;
	const fm_parse_result *res;
	size_t off, n;
	int rc, pushed = 0;

	if (fm_parser_new(&p, opts, fuzz_on_item, fuzz_on_feed, st) < 0)
		return -1;
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
	if (res->items != st->items)
		abort();
	if (st->feeds > 1 || (st->feeds && res->format == FM_FORMAT_NONE))
		abort();
	if (memchr(res->encoding, '\0', sizeof(res->encoding)) == NULL)
		abort();
	if (memchr(res->diag.msg, '\0', sizeof(res->diag.msg)) == NULL)
		abort();
	if (opts->limits.max_items && st->items > opts->limits.max_items)
		abort();
	if (st->stopped && res->status != FM_ESTOPPED)
		abort();

	/* The result, all but bytes (see the comment at the top). */
	fuzz_text_printf(&st->out, "result\nrc=%d\nformat=%d\n", rc, (int)res->format);
	fuzz_text_str(&st->out, "encoding", res->encoding);
	fuzz_text_printf(&st->out, "bozo=%d\nrecovered=%d\nstatus=%d\nitems=%zu\n",
			 res->bozo, res->recovered, res->status, res->items);
	fuzz_text_diag(&st->out, "diag", &res->diag);
	fuzz_text_printf(&st->out, "warnings=%zu\n", res->warnings);
	fuzz_text_diag(&st->out, "warning", &res->warning);
	fm_parser_free(p);
	return 0;
}

/* Prints where two reports first differ, with a snippet of each, and aborts. */
static void
fuzz_report_difference(const fuzz_text *whole, const fuzz_text *split, size_t chunk)
{
	size_t i = 0, from;

	while (i < whole->len && i < split->len && whole->s[i] == split->s[i])
		i++;
	from = i > 120 ? i - 120 : 0;
	fprintf(stderr, "fuzz_parse: CHUNKING DIFFERENCE: pushed whole vs in %zu-byte chunks, "
		"reports differ at offset %zu (lengths %zu and %zu)\n", chunk, i, whole->len, split->len);
	fprintf(stderr, "--- whole, from offset %zu:\n%.*s\n", from,
		(int)((whole->len - from) < 400 ? whole->len - from : 400), whole->s + from);
	fprintf(stderr, "--- %zu-byte chunks, from offset %zu:\n%.*s\n", chunk, from,
		(int)((split->len - from) < 400 ? split->len - from : 400), split->s + from);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's entry point: parses the input whole and in chunks; returns 0 (aborts on a broken promise or a difference). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t depths[4] = { 0, 3, 8, 32 };
	static const size_t fields[4] = { 0, 1, 64, 4096 };
	fm_parse_opts opts;
	fuzz_state whole, split;
	size_t chunk, sum;
	uint8_t flags, cs;
	int differ;

	if (size < 3)
		return 0;
	chunk = data[0] % 65;
	flags = data[1];
	cs = data[2] % 8;
	data += 3;
	size -= 3;

	memset(&opts, 0, sizeof(opts));
	memset(&whole, 0, sizeof(whole));
	opts.limits.max_depth = depths[flags & 3];
	opts.limits.max_field = fields[(flags >> 2) & 3];
	if (flags & 0x10)
		opts.limits.max_items = 2;
	if ((flags & 0x20) && size / 2)
		opts.limits.max_bytes = size / 2;
	if (flags & 0x40)
		whole.stop_at = 2;
	if (flags & 0x80) {
		opts.url = "http://example.org/feeds/main.xml?x=1";
		opts.content_location = "../other/feed.xml";
	}
	opts.encoding = fuzz_charsets[cs].encoding;
	opts.content_type = fuzz_charsets[cs].content_type;
	split = whole;
	if (chunk == 0)
		chunk = 1;

	if (fuzz_parse_once(&whole, data, size, size ? size : 1, &opts) < 0) {
		free(whole.out.s);
		return 0;
	}
	/* Chunks as large as the document are one push: nothing to compare. */
	if (chunk >= size) {
		free(whole.out.s);
		return (int)(whole.sum & 0);
	}
	if (fuzz_parse_once(&split, data, size, chunk, &opts) < 0) {
		free(whole.out.s);
		free(split.out.s);
		return 0;
	}
	/* Under a byte cap, the token the cap cuts may be read or not: no comparison. */
	differ = !opts.limits.max_bytes &&
		 (whole.out.len != split.out.len ||
		  memcmp(whole.out.s, split.out.s, whole.out.len) != 0);
	if (differ)
		fuzz_report_difference(&whole.out, &split.out, chunk);
	sum = whole.sum + split.sum;
	free(whole.out.s);
	free(split.out.s);
	return (int)(sum & 0);
}
