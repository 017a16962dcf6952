/*
 * jsonfeed.c - JSON Feed 1.0 and 1.1 input (https://www.jsonfeed.org/version/1.1/).
 *
 * The text streams: jsonscan.c follows its structure byte by byte, and
 * only two kinds of piece are ever held, each cut out and parsed on its own
 * with json-c: one element of the top-level "items" array at a time, and
 * the other top-level members (title, author, version...). An item is
 * delivered as soon as its element closes, so memory stays bounded by the
 * limits and a cap ends the parse early with the items before it kept.
 *
 * jsonmap.c maps the parsed pieces to fm_item and fm_feed.
 *
 * Decisions worth knowing:
 * - max_field is checked against each string as handed out (see
 *   jsonmap.c). The JSON text of one item, or of one other
 *   top-level member, may take 2 * max_field + 4 KiB: room for one
 *   full-length field with escapes and the rest of the item; past that the
 *   parse ends with FM_ELIMIT before the piece is read whole.
 * - Items are delivered only once "version" says the document is a JSON
 *   Feed. Items that come before "version" are kept as text (at most four
 *   pieces' worth) and delivered when it arrives; if it never does, none
 *   are. Of several "version" members the first decides.
 * - An item without an author takes the feed's author, as the spec says,
 *   when the feed's author came before it in the text: items delivered
 *   before a later "author"/"authors" member keep no author. Likewise
 *   feed_url serves as the base for relative URLs only from where it is.
 * - max_depth counts nested arrays and objects: the top-level object is 1.
 */
#include "parse/jsonfeed.h"
#include "parse/jsonmap.h"
#include "parse/jsonscan.h"
#include "feedmerge/buf.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

/* The top-level members kept for the feed's metadata, in the order they are rebuilt. */
static const char *const jsonfeed_keys[] = {
	"version", "title", "home_page_url", "feed_url", "description", "author", "authors", "language"
};
#define JSONFEED_NKEYS (sizeof(jsonfeed_keys) / sizeof(jsonfeed_keys[0]))
#define JSONFEED_VERSION 0     /* index of "version" in jsonfeed_keys */
#define JSONFEED_OTHER (-1)    /* a member read only to check it */
#define JSONFEED_ITEMS (-2)    /* the "items" member */

/* What is being cut out of the text. */
enum { JSONFEED_CUT_NONE, JSONFEED_CUT_MEMBER, JSONFEED_CUT_ITEM };

/* Text is scanned in slices of at most this many bytes, so caps act promptly. */
#define JSONFEED_SLICE ((size_t)64 << 10)

struct fm__jsonfeed {
	fm__jsonscan scan;
	struct json_tokener *tok;  /* parses each piece, reset in between */
	char *base;                /* base URL, or NULL */
	fm__jsonmap map;           /* mapping state and the buffers behind item strings */
	fm_parse_limits limits;
	size_t piece_max;          /* bytes one piece may take */
	fm_item_cb on_item;
	void *payload;

	int bom;                   /* bytes of a leading UTF-8 BOM skipped; 3 when done looking */
	int error;                 /* sticky error that ended the parse */
	fm_diag diag;              /* what that error was */
	int finished;
	size_t nitems;             /* items delivered */

	/* the piece being cut out of the slice being scanned */
	int cut;
	fm_buf piece;
	const char *slice;         /* the slice being scanned */
	size_t cut_from;           /* index in slice of the first byte not yet in piece */
	size_t piece_at;           /* stream offset of the piece's first byte */
	unsigned long piece_line;  /* and its line */
	size_t piece_line_start;
	int member;                /* the current top-level member: a key index, OTHER or ITEMS */
	int in_items;              /* inside the "items" array */
	int top_object;            /* the top-level value is an object */
	int is_feed;               /* 0 until "version" is seen, then 1 or -1 */
	size_t elements;           /* elements of "items" so far, for messages */
	size_t counted;            /* item objects counted against max_items */

	/* feed metadata: each kept member's text, and the feed built from them */
	fm_buf meta[JSONFEED_NKEYS];
	int meta_dirty;
	fm_buf meta_text;
	struct json_object *meta_obj;
	fm_feed feed;              /* strings borrowed from meta_obj and the feed buffers */
	fm_buf pending;            /* items before "version": (where, length, text) records */
};

static const unsigned char jsonfeed_bom[3] = { 0xef, 0xbb, 0xbf };

/* Records a sticky error at the scanner's position; returns code. */
static int
jsonfeed_fail(fm__jsonfeed *j, int code, const char *what)
{
	const fm__jsonscan *s = &j->scan;

	j->error = code;
	fm_diag_set(&j->diag, s->line, (unsigned long)(s->offset - s->line_start + 1),
		    "%s at byte offset %zu", what, s->offset);
	return code;
}

/* Copies the sticky error's diagnosis out; returns the sticky error. */
static int
jsonfeed_report(const fm__jsonfeed *j, fm_diag *diag)
{
	if (diag)
		*diag = j->diag;
	return j->error;
}

/* Returns 0, or FM_ENOMEM when the reader or its tokener cannot be allocated. */
int
fm__jsonfeed_new(fm__jsonfeed **out, const char *base_url,
		 const fm_parse_limits *limits, fm_item_cb on_item, void *payload)
{
	fm__jsonfeed *j;
	size_t depth;

	assert(out && limits);
	assert(limits->max_items && limits->max_field && limits->max_depth);
	*out = NULL;
	if (!(j = calloc(1, sizeof(*j))))
		return FM_ENOMEM;
	j->limits = *limits;
	j->on_item = on_item;
	j->payload = payload;
	j->member = JSONFEED_OTHER;
	fm__jsonscan_init(&j->scan, limits->max_depth);
	/* json-c takes an int length: keep a piece well below INT_MAX. */
	j->piece_max = limits->max_field < ((size_t)INT_MAX - 8192) / 2 ?
		       2 * limits->max_field + 4096 : (size_t)INT_MAX - 4096;
	if (base_url && *base_url && !(j->base = strdup(base_url)))
		goto fail;
	j->map.base = j->base;
	j->map.max_field = limits->max_field;
	/*
	 * The scanner enforces max_depth; json-c's depth counts one more
	 * level than the nesting of arrays and objects, so give it room.
	 */
	depth = limits->max_depth < (size_t)INT_MAX - 1 ? limits->max_depth + 2 : (size_t)INT_MAX;
	if (!(j->tok = json_tokener_new_ex((int)depth)))
		goto fail;
	*out = j;
	return 0;
fail:
	fm__jsonfeed_free(j);
	return FM_ENOMEM;
}

/*
 * Parses n bytes of piece text s (NUL-terminated; skew bytes of it were
 * added and are not in the stream) into *out. Returns 0, or a sticky
 * FM_EPARSE placed where json-c stopped.
 */
static int
jsonfeed_parse(fm__jsonfeed *j, const char *s, size_t n, size_t skew,
	       struct json_object **out)
{
	enum json_tokener_error err;
	size_t end, i, line_start = j->piece_line_start;
	unsigned long line = j->piece_line;
	char msg[128];

	json_tokener_reset(j->tok);
	/* The NUL ends a top-level number, which json-c would otherwise wait on. */
	*out = json_tokener_parse_ex(j->tok, s, (int)n + 1);
	end = json_tokener_get_parse_end(j->tok);
	err = json_tokener_get_error(j->tok);
	/* A JSON null parses to NULL with success. */
	if (err == json_tokener_success && end >= n)
		return 0;
	json_object_put(*out);
	*out = NULL;
	if (end > n)
		end = n;
	if (end < skew)
		end = skew;
	for (i = skew; i < end; i++)
		if (s[i] == '\n') {
			line++;
			line_start = j->piece_at + (i - skew) + 1;
		}
	snprintf(msg, sizeof(msg), "JSON: %s",
		 err == json_tokener_success ? "unexpected character" : json_tokener_error_desc(err));
	j->error = FM_EPARSE;
	fm_diag_set(&j->diag, line, (unsigned long)(j->piece_at + (end - skew) - line_start + 1),
		    "%s at byte offset %zu", msg, j->piece_at + (end - skew));
	return FM_EPARSE;
}

/*
 * Rebuilds the feed metadata from the kept members and fills j->feed from
 * it. Returns 0, FM_ENOMEM, FM_EPARSE or FM_ELIMIT (diag says which).
 */
static int
jsonfeed_meta(fm__jsonfeed *j, fm_diag *diag)
{
	struct json_object *o;
	size_t i;
	int error, any = 0;

	fm_buf_clear(&j->meta_text);
	if ((error = fm_buf_putc(&j->meta_text, '{')) < 0)
		return error;
	for (i = 0; i < JSONFEED_NKEYS; i++) {
		if (!j->meta[i].size)
			continue;
		if ((any && (error = fm_buf_putc(&j->meta_text, ',')) < 0) ||
		    (error = fm_buf_append(&j->meta_text, j->meta[i].ptr, j->meta[i].size)) < 0)
			return error;
		any = 1;
	}
	if ((error = fm_buf_putc(&j->meta_text, '}')) < 0)
		return error;
	/* Each member was parsed on its own already, so this cannot fail on syntax. */
	json_tokener_reset(j->tok);
	if (!(o = json_tokener_parse_ex(j->tok, j->meta_text.ptr, (int)j->meta_text.size))) {
		fm_diag_set(diag, 0, 0, "JSON: cannot rebuild the feed metadata");
		return FM_EPARSE;
	}
	json_object_put(j->meta_obj);
	j->meta_obj = o;
	j->meta_dirty = 0;
	memset(&j->feed, 0, sizeof(j->feed));
	return fm__jsonmap_feed(&j->map, o, &j->feed, diag);
}

/* Maps item object o (element where of "items") and lends it to the callback; returns 0 or a sticky error. */
static int
jsonfeed_deliver(fm__jsonfeed *j, struct json_object *o, size_t where)
{
	fm_item item;
	int error;

	if ((j->meta_dirty || !j->meta_obj) && (error = jsonfeed_meta(j, &j->diag)) < 0)
		return j->error = error;
	j->map.where = where;
	if ((error = fm__jsonmap_item(&j->map, o, &j->feed, &item, &j->diag)) < 0)
		return j->error = error;
	j->nitems++;
	if (j->on_item && j->on_item(&item, j->payload) != 0) {
		fm_diag_set(&j->diag, 0, 0, "stopped by the item callback after %zu items",
			    j->nitems);
		return j->error = FM_ESTOPPED;
	}
	return 0;
}

/* Delivers the items kept from before "version", in order; returns 0 or a sticky error. */
static int
jsonfeed_deliver_pending(fm__jsonfeed *j)
{
	struct json_object *o;
	size_t off = 0, hdr[2];
	int error = 0;

	while (!error && off < j->pending.size) {
		memcpy(hdr, j->pending.ptr + off, sizeof(hdr));
		off += sizeof(hdr);
		json_tokener_reset(j->tok);
		/* The text was parsed once already; it ends at its closing brace. */
		if (!(o = json_tokener_parse_ex(j->tok, j->pending.ptr + off, (int)hdr[1]))) {
			fm_diag_set(&j->diag, 0, 0, "JSON: cannot reparse item %zu", hdr[0]);
			return j->error = FM_EPARSE;
		}
		error = jsonfeed_deliver(j, o, hdr[0]);
		json_object_put(o);
		off += hdr[1];
	}
	fm_buf_dispose(&j->pending);
	return error;
}

/* Handles a complete element of "items" held in piece; returns 0 or a sticky error. */
static int
jsonfeed_element(fm__jsonfeed *j)
{
	struct json_object *o;
	size_t hdr[2];
	int error = 0;

	if ((error = jsonfeed_parse(j, j->piece.ptr, j->piece.size, 0, &o)) < 0)
		return error;
	if (!json_object_is_type(o, json_type_object) || j->is_feed < 0) {
		/* Not an item, or not a JSON Feed: checked, then dropped. */
	} else if (j->is_feed > 0) {
		error = jsonfeed_deliver(j, o, j->elements);
	} else if (j->pending.size + j->piece.size + sizeof(hdr) > 4 * j->piece_max) {
		fm_diag_set(&j->diag, 0, 0, "items before \"version\" take more than %zu bytes",
			    4 * j->piece_max);
		error = j->error = FM_ELIMIT;
	} else {
		hdr[0] = j->elements;
		hdr[1] = j->piece.size;
		if ((error = fm_buf_append(&j->pending, hdr, sizeof(hdr))) < 0 ||
		    (error = fm_buf_append(&j->pending, j->piece.ptr, j->piece.size)) < 0)
			j->error = error;
	}
	json_object_put(o);
	return error;
}

/* Handles a complete top-level member held in piece as "{member"; returns 0 or a sticky error. */
static int
jsonfeed_member_done(fm__jsonfeed *j)
{
	struct json_object *o, *v;
	const char *version;
	int error;

	if ((error = fm_buf_putc(&j->piece, '}')) < 0)
		return j->error = error;
	if ((error = jsonfeed_parse(j, j->piece.ptr, j->piece.size, 1, &o)) < 0)
		return error;
	if (j->member == JSONFEED_VERSION && j->is_feed == 0) {
		version = json_object_object_get_ex(o, "version", &v) &&
			  json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
		j->is_feed = fm__jsonfeed_version_ok(version) ? 1 : -1;
	} else if (j->member == JSONFEED_VERSION || j->member < 0) {
		json_object_put(o);
		return 0;
	}
	json_object_put(o);
	fm_buf_clear(&j->meta[j->member]);
	if ((error = fm_buf_append(&j->meta[j->member], j->piece.ptr + 1, j->piece.size - 2)) < 0)
		return j->error = error;
	j->meta_dirty = 1;
	if (j->member == JSONFEED_VERSION && j->is_feed > 0)
		return jsonfeed_deliver_pending(j);
	if (j->member == JSONFEED_VERSION)
		fm_buf_dispose(&j->pending);
	return 0;
}

/* Returns the member kind of the name the scanner just read. */
static int
jsonfeed_key_kind(const fm__jsonscan *s)
{
	size_t i;

	if (s->key_len > FM_JSONSCAN_KEYMAX)
		return JSONFEED_OTHER;
	if (strcmp(s->key, "items") == 0)
		return JSONFEED_ITEMS;
	for (i = 0; i < JSONFEED_NKEYS; i++)
		if (strcmp(s->key, jsonfeed_keys[i]) == 0)
			return (int)i;
	return JSONFEED_OTHER;
}

/* Starts cutting a piece at slice[at]; returns 0. */
static int
jsonfeed_cut_start(fm__jsonfeed *j, int cut, size_t at)
{
	j->cut = cut;
	j->cut_from = at;
	fm_buf_clear(&j->piece);
	j->piece_at = j->scan.offset;
	j->piece_line = j->scan.line;
	j->piece_line_start = j->scan.line_start;
	return 0;
}

/* Moves slice[cut_from, at) into the piece; returns 0 or a sticky FM_ELIMIT/FM_ENOMEM. */
static int
jsonfeed_cut_take(fm__jsonfeed *j, size_t at)
{
	int error;

	if (at > j->cut_from &&
	    (error = fm_buf_append(&j->piece, j->slice + j->cut_from, at - j->cut_from)) < 0)
		return j->error = error;
	j->cut_from = at;
	if (j->piece.size > j->piece_max) {
		fm_diag_set(&j->diag, j->piece_line,
			    (unsigned long)(j->piece_at - j->piece_line_start + 1),
			    "JSON %s %zu at byte offset %zu is longer than %zu bytes",
			    j->cut == JSONFEED_CUT_ITEM ? "item" : "top-level member",
			    j->cut == JSONFEED_CUT_ITEM ? j->elements : (size_t)0,
			    j->piece_at, j->piece_max);
		return j->error = FM_ELIMIT;
	}
	return 0;
}

/* The scanner's callback: cuts out members and items and acts on them; returns 0 or a sticky error. */
static int
jsonfeed_event(void *payload, fm__jsonscan_ev ev, size_t depth, char c, size_t at)
{
	fm__jsonfeed *j = payload;
	int error;

	switch (ev) {
	case FM_JSONSCAN_KEY_START:
		if (depth != 1)
			return 0;
		jsonfeed_cut_start(j, JSONFEED_CUT_MEMBER, at);
		if ((error = fm_buf_putc(&j->piece, '{')) < 0)
			return j->error = error;
		return 0;
	case FM_JSONSCAN_KEY_END:
		if (depth == 1)
			j->member = jsonfeed_key_kind(&j->scan);
		return 0;
	case FM_JSONSCAN_VALUE_START:
		if (depth == 0)
			j->top_object = c == '{';
		if (depth == 1 && j->member == JSONFEED_ITEMS && c == '[') {
			/* The array itself is not kept: its elements are cut one by one. */
			j->cut = JSONFEED_CUT_NONE;
			j->in_items = 1;
		}
		if (depth != 2 || !j->in_items)
			return 0;
		j->elements++;
		if (c == '{' && j->is_feed >= 0) {
			/* Ends the parse as the item past the cap begins. */
			if (j->counted == j->limits.max_items) {
				fm_diag_set(&j->diag, 0, 0, "more than %zu items", j->limits.max_items);
				return j->error = FM_ELIMIT;
			}
			j->counted++;
		}
		return jsonfeed_cut_start(j, JSONFEED_CUT_ITEM, at);
	case FM_JSONSCAN_VALUE_END:
		if (depth == 1 && j->in_items) {
			j->in_items = 0;
			return 0;
		}
		if ((depth == 1 && j->cut == JSONFEED_CUT_MEMBER) ||
		    (depth == 2 && j->in_items && j->cut == JSONFEED_CUT_ITEM)) {
			if ((error = jsonfeed_cut_take(j, at)) < 0)
				return error;
			j->cut = JSONFEED_CUT_NONE;
			return depth == 1 ? jsonfeed_member_done(j) : jsonfeed_element(j);
		}
		return 0;
	}
	return 0;
}

/* Returns 0, or the sticky error once the text was refused or a cap or the callback ended the parse. */
int
fm__jsonfeed_push(fm__jsonfeed *j, const char *data, size_t len,
		  fm_diag *diag)
{
	size_t n;
	int error;

	assert(j && !j->finished && (data || !len));
	if (j->error)
		return jsonfeed_report(j, diag);
	/* A leading BOM is not JSON (RFC 8259 section 8.1) but is harmless. */
	while (j->bom < 3 && len && (unsigned char)*data == jsonfeed_bom[j->bom]) {
		j->bom++;
		j->scan.offset++;
		data++;
		len--;
	}
	if (len)
		j->bom = 3;
	while (len) {
		n = len < JSONFEED_SLICE ? len : JSONFEED_SLICE;
		j->slice = data;
		j->cut_from = 0;
		error = fm__jsonscan_push(&j->scan, data, n, jsonfeed_event, j);
		if (error < 0 && !j->error)
			jsonfeed_fail(j, error, error == FM_ENOMEM ? "out of memory" : j->scan.msg);
		if (!j->error && j->cut != JSONFEED_CUT_NONE)
			jsonfeed_cut_take(j, n);
		if (j->error)
			return jsonfeed_report(j, diag);
		data += n;
		len -= n;
	}
	return 0;
}

/*
 * Returns 0, the sticky push error, FM_EPARSE for truncated text,
 * FM_ENOTFEED, FM_ELIMIT, FM_ENOMEM or FM_ESTOPPED; *feed is filled
 * whenever the JSON was recognised as a JSON Feed.
 */
int
fm__jsonfeed_finish(fm__jsonfeed *j, fm_feed *feed, size_t *nitems, fm_diag *diag)
{
	fm_diag scratch;
	int r;

	assert(j && feed);
	memset(feed, 0, sizeof(*feed));
	if (!j->finished && !j->error) {
		if ((r = fm__jsonscan_finish(&j->scan)) > 0) {
			fm_diag_set(&j->diag, 0, 0, "empty input, no JSON");
			j->error = FM_ENOTFEED;
		} else if (r < 0) {
			jsonfeed_fail(j, r, j->scan.msg);
		} else if (!j->top_object || j->is_feed <= 0) {
			fm_diag_set(&j->diag, 0, 0, "JSON, but not a JSON Feed (no jsonfeed version)");
			j->error = FM_ENOTFEED;
		} else if ((r = jsonfeed_meta(j, &j->diag)) < 0) {
			j->error = r;
		}
	}
	if (!j->finished && j->error && j->is_feed > 0 && (j->meta_dirty || !j->meta_obj))
		jsonfeed_meta(j, &scratch);
	j->finished = 1;
	if (j->is_feed > 0 && j->top_object)
		*feed = j->feed;
	if (nitems)
		*nitems = j->nitems;
	return jsonfeed_report(j, diag);
}

/* Frees the reader, its pieces and its buffers; cannot fail. */
void
fm__jsonfeed_free(fm__jsonfeed *j)
{
	size_t i;

	if (!j)
		return;
	if (j->tok)
		json_tokener_free(j->tok);
	fm__jsonscan_dispose(&j->scan);
	fm__jsonmap_dispose(&j->map);
	json_object_put(j->meta_obj);
	free(j->base);
	fm_buf_dispose(&j->piece);
	for (i = 0; i < JSONFEED_NKEYS; i++)
		fm_buf_dispose(&j->meta[i]);
	fm_buf_dispose(&j->meta_text);
	fm_buf_dispose(&j->pending);
	free(j);
}
