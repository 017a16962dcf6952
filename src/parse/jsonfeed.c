/*
 * jsonfeed.c - JSON Feed 1.0 and 1.1 input (https://www.jsonfeed.org/version/1.1/).
 *
 * json-c's incremental tokener takes the text in chunks of any size and
 * builds the whole document; fm__jsonfeed_finish then walks it and lends
 * out one fm_item at a time. Holding the whole document is accepted for
 * JSON Feed: the caller bounds it with max_bytes.
 *
 * Decisions worth knowing:
 * - A string is cut at its first NUL: json-c accepts "\u0000", but every
 *   string we hand out is a C string. An empty string counts as missing.
 * - max_field is checked against each string as handed out (after the NUL
 *   cut, before HTML escaping).
 * - An item without an author takes the feed's author, as the spec says.
 * - Relative URLs resolve against base_url, or against feed_url when the
 *   caller knew no base.
 * - max_depth counts nested arrays and objects: the top-level object is 1.
 */
#include "parse/jsonfeed.h"
#include "parse/html.h"
#include "parse/url.h"
#include "feedmerge/buf.h"
#include "feedmerge/date.h"

#include <assert.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>

/* Storage behind one attachment of the current item. */
typedef struct jsonfeed_att {
	fm_buf url;
	fm_buf length;
} jsonfeed_att;

/* Storage behind a person: its address and its resolved URL. */
typedef struct jsonfeed_person_bufs {
	fm_buf email;
	fm_buf uri;
} jsonfeed_person_bufs;

struct fm__jsonfeed {
	struct json_tokener *tok;
	struct json_object *root;  /* the document, once complete */
	char *base;                /* base URL, or NULL */
	const char *base_eff;      /* base in use while finishing */
	fm_parse_limits limits;

	size_t offset;             /* bytes pushed so far */
	unsigned long line;        /* 1-based line of the next byte */
	size_t line_start;         /* offset of the first byte of that line */
	int bom;                   /* bytes of a leading UTF-8 BOM skipped; 3 when done looking */
	int nonspace;              /* 1 once a byte other than white space was seen */
	int error;                 /* sticky error from a push */
	fm_diag diag;              /* what that error was */
	int finished;

	size_t where;              /* 0 for the feed, else the 1-based item index, for diagnostics */

	/* feed strings, valid until free */
	fm_buf feed_link;
	jsonfeed_person_bufs feed_person;

	/* item scratch, cleared and reused for every item */
	fm_buf item_link;
	fm_buf item_summary;
	fm_buf item_content;
	jsonfeed_person_bufs item_person;
	const char **tags;
	size_t tags_cap;
	jsonfeed_att *atts;
	fm_enclosure *encls;
	size_t atts_cap;
};

/* The "version" prefix that marks a JSON Feed; http:// is seen in the wild. */
#define JSONFEED_HTTPS "https://jsonfeed.org/version/"
#define JSONFEED_HTTP "http://jsonfeed.org/version/"

static const unsigned char jsonfeed_bom[3] = { 0xef, 0xbb, 0xbf };

/* Returns 1 when c is JSON white space (RFC 8259 section 2), else 0. */
static int
jsonfeed_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Moves the position past n bytes of data, counting lines; cannot fail. */
static void
jsonfeed_advance(fm__jsonfeed *j, const char *data, size_t n)
{
	const char *p = data, *end = data + n, *nl;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		j->line++;
		j->line_start = j->offset + (size_t)(nl - data) + 1;
		p = nl + 1;
	}
	j->offset += n;
}

/* Records a sticky error at the current position; returns code. */
static int
jsonfeed_fail(fm__jsonfeed *j, int code, const char *what)
{
	j->error = code;
	fm_diag_set(&j->diag, j->line, (unsigned long)(j->offset - j->line_start + 1),
		    "%s at byte offset %zu", what, j->offset);
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
		 const fm_parse_limits *limits)
{
	fm__jsonfeed *j;
	size_t depth;

	assert(out && limits);
	assert(limits->max_items && limits->max_field && limits->max_depth);
	*out = NULL;
	if (!(j = calloc(1, sizeof(*j))))
		return FM_ENOMEM;
	j->limits = *limits;
	j->line = 1;
	if (base_url && *base_url && !(j->base = strdup(base_url)))
		goto fail;
	/*
	 * json-c's depth counts one more level than the nesting of arrays
	 * and objects (new_ex(3) refuses {"a":[{}]}), so give it one extra.
	 */
	depth = limits->max_depth < (size_t)INT_MAX ? limits->max_depth + 1 : (size_t)INT_MAX;
	if (!(j->tok = json_tokener_new_ex((int)depth)))
		goto fail;
	*out = j;
	return 0;
fail:
	fm__jsonfeed_free(j);
	return FM_ENOMEM;
}

/* Checks that what follows the complete document is white space; returns 0 or FM_EPARSE. */
static int
jsonfeed_trailing(fm__jsonfeed *j, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len && jsonfeed_is_space(data[i]); i++)
		;
	jsonfeed_advance(j, data, i);
	if (i < len)
		return jsonfeed_fail(j, FM_EPARSE, "JSON: unexpected data after the top-level value");
	return 0;
}

/* Turns the tokener's error into a sticky FM_EPARSE or FM_ELIMIT; returns it. */
static int
jsonfeed_tok_error(fm__jsonfeed *j, enum json_tokener_error err, char at)
{
	char msg[128];

	if (err == json_tokener_error_depth) {
		snprintf(msg, sizeof(msg), "JSON nested deeper than %zu levels",
			 j->limits.max_depth);
		return jsonfeed_fail(j, FM_ELIMIT, msg);
	}
	if (err == json_tokener_error_parse_eof && at == '\0')
		return jsonfeed_fail(j, FM_EPARSE, "JSON: NUL byte in the text");
	snprintf(msg, sizeof(msg), "JSON: %s", json_tokener_error_desc(err));
	return jsonfeed_fail(j, FM_EPARSE, msg);
}

/* Returns 0, or the sticky FM_EPARSE/FM_ELIMIT once json-c has refused the text. */
int
fm__jsonfeed_push(fm__jsonfeed *j, const char *data, size_t len,
		  fm_diag *diag)
{
	struct json_object *obj;
	enum json_tokener_error err;
	size_t piece, end, i;

	assert(j && !j->finished && (data || !len));
	if (j->error)
		return jsonfeed_report(j, diag);
	/* A leading BOM is not JSON (RFC 8259 section 8.1) but is harmless. */
	while (j->bom < 3 && len && (unsigned char)*data == jsonfeed_bom[j->bom]) {
		j->bom++;
		jsonfeed_advance(j, data, 1);
		data++;
		len--;
	}
	if (len)
		j->bom = 3;
	while (len) {
		if (j->root) {
			if (jsonfeed_trailing(j, data, len) < 0)
				return jsonfeed_report(j, diag);
			return 0;
		}
		if (!j->nonspace) {
			for (i = 0; i < len && jsonfeed_is_space(data[i]); i++)
				;
			j->nonspace = i < len;
		}
		/* json-c takes an int length. */
		piece = len < (size_t)1 << 30 ? len : (size_t)1 << 30;
		obj = json_tokener_parse_ex(j->tok, data, (int)piece);
		err = json_tokener_get_error(j->tok);
		end = json_tokener_get_parse_end(j->tok);
		if (end > piece)
			end = piece;
		if (obj) {
			j->root = obj;
		} else if (err == json_tokener_continue) {
			end = piece;
		} else {
			jsonfeed_advance(j, data, end);
			jsonfeed_tok_error(j, err, end < piece ? data[end] : 'x');
			return jsonfeed_report(j, diag);
		}
		jsonfeed_advance(j, data, end);
		data += end;
		len -= end;
	}
	return 0;
}

/*
 * Reads member key of o as a string into *out: NULL when it is missing,
 * not a string or empty. Returns 0, or FM_ELIMIT when the string is longer
 * than max_field (label names it in diag).
 */
static int
jsonfeed_string(fm__jsonfeed *j, struct json_object *o, const char *key,
		const char *label, const char **out, fm_diag *diag)
{
	struct json_object *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return 0;
	s = json_object_get_string(v);
	len = strlen(s);
	if (!len)
		return 0;
	if (len > j->limits.max_field) {
		if (j->where)
			fm_diag_set(diag, 0, 0, "field %s longer than %zu bytes in item %zu",
				    label, j->limits.max_field, j->where);
		else
			fm_diag_set(diag, 0, 0, "field %s longer than %zu bytes in the feed",
				    label, j->limits.max_field);
		return FM_ELIMIT;
	}
	*out = s;
	return 0;
}

/* Returns member key of o when it has type t, else NULL. */
static struct json_object *
jsonfeed_member(struct json_object *o, const char *key, json_type t)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/*
 * Resolves ref against the base into out and points *res at the result
 * (NULL when ref is NULL or resolves to nothing). Returns 0 or FM_ENOMEM.
 */
static int
jsonfeed_url(fm__jsonfeed *j, fm_buf *out, const char *ref, const char **res)
{
	int error;

	*res = NULL;
	fm_buf_clear(out);
	if (!ref)
		return 0;
	if ((error = fm__url_resolve(out, j->base_eff, ref)) < 0)
		return error;
	if (out->size)
		*res = out->ptr;
	return 0;
}

/*
 * Fills *out from the author of o: JSON Feed 1.1 "authors"[0], else 1.0
 * "author". A "mailto:" url becomes the email. *out is left all NULL when
 * there is none. Returns 0, FM_ENOMEM, or FM_ELIMIT.
 */
static int
jsonfeed_person(fm__jsonfeed *j, struct json_object *o, fm_person *out,
		jsonfeed_person_bufs *bufs, fm_diag *diag)
{
	struct json_object *a = NULL, *arr;
	const char *url, *at, *q;
	size_t i, n;
	int error;

	memset(out, 0, sizeof(*out));
	fm_buf_clear(&bufs->email);
	fm_buf_clear(&bufs->uri);
	if ((arr = jsonfeed_member(o, "authors", json_type_array)) != NULL) {
		n = json_object_array_length(arr);
		for (i = 0; i < n && !a; i++)
			if (json_object_is_type(json_object_array_get_idx(arr, i), json_type_object))
				a = json_object_array_get_idx(arr, i);
	}
	if (!a)
		a = jsonfeed_member(o, "author", json_type_object);
	if (!a)
		return 0;
	if ((error = jsonfeed_string(j, a, "name", "author.name", &out->name, diag)) < 0 ||
	    (error = jsonfeed_string(j, a, "url", "author.url", &url, diag)) < 0)
		return error;
	if (!url)
		return 0;
	if (strncasecmp(url, "mailto:", 7) == 0) {
		/* RFC 6068: drop any ?subject=... */
		at = url + 7;
		q = strchr(at, '?');
		n = q ? (size_t)(q - at) : strlen(at);
		if (n) {
			if ((error = fm_buf_append(&bufs->email, at, n)) < 0)
				return error;
			out->email = bufs->email.ptr;
		}
		return 0;
	}
	return jsonfeed_url(j, &bufs->uri, url, &out->uri);
}

/* Makes room for n entries in the tag and attachment arrays; returns 0 or FM_ENOMEM. */
static int
jsonfeed_reserve(fm__jsonfeed *j, size_t ntags, size_t natts)
{
	const char **tags;
	jsonfeed_att *atts;
	fm_enclosure *encls;
	size_t i;

	if (ntags > j->tags_cap) {
		if (ntags > SIZE_MAX / sizeof(*tags))
			return FM_ENOMEM;
		if (!(tags = realloc(j->tags, ntags * sizeof(*tags))))
			return FM_ENOMEM;
		j->tags = tags;
		j->tags_cap = ntags;
	}
	if (natts > j->atts_cap) {
		if (natts > SIZE_MAX / sizeof(*atts))
			return FM_ENOMEM;
		if (!(encls = realloc(j->encls, natts * sizeof(*encls))))
			return FM_ENOMEM;
		j->encls = encls;
		if (!(atts = realloc(j->atts, natts * sizeof(*atts))))
			return FM_ENOMEM;
		j->atts = atts;
		for (i = j->atts_cap; i < natts; i++) {
			fm_buf empty = FM_BUF_INIT;

			atts[i].url = empty;
			atts[i].length = empty;
		}
		j->atts_cap = natts;
	}
	return 0;
}

/*
 * Writes an attachment's size_in_bytes as decimal text: a non-negative
 * integer (or integral double), or a string of digits as written. *out is
 * NULL otherwise. Returns 0 or FM_ENOMEM.
 */
static int
jsonfeed_length(struct json_object *att, fm_buf *buf, const char **out)
{
	struct json_object *v;
	const char *s;
	double d;
	int error;

	*out = NULL;
	fm_buf_clear(buf);
	if (!json_object_object_get_ex(att, "size_in_bytes", &v) || !v)
		return 0;
	switch (json_object_get_type(v)) {
	case json_type_int:
		/* json-c prints int64 and uint64 alike. */
		s = json_object_get_string(v);
		if (*s != '-')
			*out = s;
		return 0;
	case json_type_double:
		d = json_object_get_double(v);
		if (!(d >= 0 && d < 9.0e18) || (double)(int64_t)d != d)
			return 0;
		if ((error = fm_buf_printf(buf, "%" PRId64, (int64_t)d)) < 0)
			return error;
		*out = buf->ptr;
		return 0;
	case json_type_string:
		s = json_object_get_string(v);
		if (*s && strspn(s, "0123456789") == strlen(s))
			*out = s;
		return 0;
	default:
		return 0;
	}
}

/* Fills the item's categories from "tags" (strings only); returns 0, FM_ENOMEM or FM_ELIMIT. */
static int
jsonfeed_tags(fm__jsonfeed *j, struct json_object *o, fm_item *item, fm_diag *diag)
{
	struct json_object *arr, *v;
	size_t i, n, len;
	const char *s;
	int error;

	if (!(arr = jsonfeed_member(o, "tags", json_type_array)))
		return 0;
	n = json_object_array_length(arr);
	if ((error = jsonfeed_reserve(j, n, 0)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		if (!(len = strlen(s)))
			continue;
		if (len > j->limits.max_field) {
			fm_diag_set(diag, 0, 0, "field tags longer than %zu bytes in item %zu",
				    j->limits.max_field, j->where);
			return FM_ELIMIT;
		}
		j->tags[item->ncategories++] = s;
	}
	item->categories = item->ncategories ? j->tags : NULL;
	return 0;
}

/* Fills the item's enclosures from "attachments" (those with a url); returns 0, FM_ENOMEM or FM_ELIMIT. */
static int
jsonfeed_attachments(fm__jsonfeed *j, struct json_object *o, fm_item *item,
		     fm_diag *diag)
{
	struct json_object *arr, *v;
	fm_enclosure *e;
	jsonfeed_att *att;
	const char *url;
	size_t i, n;
	int error;

	if (!(arr = jsonfeed_member(o, "attachments", json_type_array)))
		return 0;
	n = json_object_array_length(arr);
	if ((error = jsonfeed_reserve(j, 0, n)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object))
			continue;
		att = &j->atts[item->nenclosures];
		e = &j->encls[item->nenclosures];
		if ((error = jsonfeed_string(j, v, "url", "attachments.url", &url, diag)) < 0)
			return error;
		if ((error = jsonfeed_url(j, &att->url, url, &e->url)) < 0)
			return error;
		if (!e->url)
			continue;
		if ((error = jsonfeed_string(j, v, "mime_type", "attachments.mime_type",
					     &e->type, diag)) < 0 ||
		    (error = jsonfeed_length(v, &att->length, &e->length)) < 0)
			return error;
		item->nenclosures++;
	}
	item->enclosures = item->nenclosures ? j->encls : NULL;
	return 0;
}

/* Reads a date member into *out (0 when missing or not understood); returns 0 or FM_ELIMIT. */
static int
jsonfeed_date(fm__jsonfeed *j, struct json_object *o, const char *key,
	      fm_time *out, fm_diag *diag)
{
	const char *s;
	fm_time t;
	int error;

	*out = 0;
	if ((error = jsonfeed_string(j, o, key, key, &s, diag)) < 0)
		return error;
	if (s && fm_date_parse(&t, s) == 0)
		*out = t;
	return 0;
}

/*
 * Fills *item from the item object o; strings point into o and into the
 * item scratch buffers. Returns 0, FM_ENOMEM or FM_ELIMIT.
 */
static int
jsonfeed_item(fm__jsonfeed *j, struct json_object *o, const fm_feed *feed,
	      fm_item *item, fm_diag *diag)
{
	struct json_object *v;
	const char *url, *text;
	int error;

	memset(item, 0, sizeof(*item));

	/* "id" is a string in the spec; some feeds write a number. */
	if (json_object_object_get_ex(o, "id", &v) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
		item->id = json_object_get_string(v);
	} else if ((error = jsonfeed_string(j, o, "id", "id", &item->id, diag)) < 0) {
		return error;
	}

	if ((error = jsonfeed_string(j, o, "url", "url", &url, diag)) < 0)
		return error;
	if (!url && (error = jsonfeed_string(j, o, "external_url", "external_url",
					     &url, diag)) < 0)
		return error;
	if ((error = jsonfeed_url(j, &j->item_link, url, &item->link)) < 0)
		return error;

	if ((error = jsonfeed_string(j, o, "title", "title", &item->title, diag)) < 0)
		return error;

	/* content_html is HTML already; content_text and summary are plain text. */
	fm_buf_clear(&j->item_content);
	if ((error = jsonfeed_string(j, o, "content_html", "content_html",
				     &item->content, diag)) < 0)
		return error;
	if (!item->content) {
		if ((error = jsonfeed_string(j, o, "content_text", "content_text",
					     &text, diag)) < 0)
			return error;
		if (text) {
			fm_buf_clear(&j->item_content);
			if ((error = fm__html_escape(&j->item_content, text, strlen(text))) < 0)
				return error;
			item->content = j->item_content.ptr;
		}
	}
	fm_buf_clear(&j->item_summary);
	if ((error = jsonfeed_string(j, o, "summary", "summary", &text, diag)) < 0)
		return error;
	if (text) {
		fm_buf_clear(&j->item_summary);
		if ((error = fm__html_escape(&j->item_summary, text, strlen(text))) < 0)
			return error;
		item->summary = j->item_summary.ptr;
	}

	if ((error = jsonfeed_date(j, o, "date_published", &item->published, diag)) < 0 ||
	    (error = jsonfeed_date(j, o, "date_modified", &item->updated, diag)) < 0)
		return error;

	if ((error = jsonfeed_person(j, o, &item->author, &j->item_person, diag)) < 0)
		return error;
	/* Spec: "If not specified in an item, then the top-level author ... is the author". */
	if (!item->author.name && !item->author.email && !item->author.uri)
		item->author = feed->author;

	if ((error = jsonfeed_tags(j, o, item, diag)) < 0 ||
	    (error = jsonfeed_attachments(j, o, item, diag)) < 0)
		return error;
	return 0;
}

/*
 * Checks that root is a JSON Feed and fills *feed from it. Returns 0,
 * FM_ENOTFEED, FM_ENOMEM or FM_ELIMIT.
 */
static int
jsonfeed_feed(fm__jsonfeed *j, struct json_object *root, fm_feed *feed,
	      fm_diag *diag)
{
	const char *version = NULL, *link, *feed_url;
	struct json_object *v;
	int error;

	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "version", &v) &&
	    json_object_is_type(v, json_type_string))
		version = json_object_get_string(v);
	if (!version || (strncmp(version, JSONFEED_HTTPS, sizeof(JSONFEED_HTTPS) - 1) != 0 &&
			 strncmp(version, JSONFEED_HTTP, sizeof(JSONFEED_HTTP) - 1) != 0)) {
		fm_diag_set(diag, 0, 0, "JSON, but not a JSON Feed (no jsonfeed version)");
		return FM_ENOTFEED;
	}

	feed->format = FM_FORMAT_JSONFEED;
	j->where = 0;
	if ((error = jsonfeed_string(j, root, "feed_url", "feed_url", &feed_url, diag)) < 0)
		return error;
	j->base_eff = j->base ? j->base : feed_url;
	if ((error = jsonfeed_string(j, root, "title", "title", &feed->title, diag)) < 0 ||
	    (error = jsonfeed_string(j, root, "home_page_url", "home_page_url",
				     &link, diag)) < 0 ||
	    (error = jsonfeed_url(j, &j->feed_link, link, &feed->link)) < 0 ||
	    (error = jsonfeed_string(j, root, "description", "description",
				     &feed->subtitle, diag)) < 0 ||
	    (error = jsonfeed_person(j, root, &feed->author, &j->feed_person, diag)) < 0)
		return error;
	return 0;
}

/*
 * Returns 0, the sticky push error, FM_EPARSE for truncated text,
 * FM_ENOTFEED, FM_ELIMIT, FM_ENOMEM or FM_ESTOPPED; *feed is filled
 * whenever the JSON was recognised as a JSON Feed.
 */
int
fm__jsonfeed_finish(fm__jsonfeed *j, fm_item_cb on_item, void *payload,
		    fm_feed *feed, size_t *nitems, fm_diag *diag)
{
	struct json_object *items, *o;
	enum json_tokener_error err;
	fm_item item;
	size_t i, n, delivered = 0;
	int error;

	assert(j && feed && !j->finished);
	j->finished = 1;
	memset(feed, 0, sizeof(*feed));
	if (nitems)
		*nitems = 0;
	if (j->error)
		return jsonfeed_report(j, diag);
	if (!j->root) {
		if (!j->nonspace) {
			fm_diag_set(diag, 0, 0, "empty input, no JSON");
			return FM_ENOTFEED;
		}
		/* A top-level number ends only at the end of the text: tell json-c with a NUL. */
		j->root = json_tokener_parse_ex(j->tok, "", 1);
		if (!j->root) {
			err = json_tokener_get_error(j->tok);
			if (err == json_tokener_error_parse_eof || err == json_tokener_continue)
				jsonfeed_fail(j, FM_EPARSE, "unexpected end of JSON");
			else
				jsonfeed_tok_error(j, err, 'x');
			return jsonfeed_report(j, diag);
		}
	}

	if ((error = jsonfeed_feed(j, j->root, feed, diag)) < 0)
		goto out;

	/* A JSON Feed without an "items" array simply has no items. */
	if (!(items = jsonfeed_member(j->root, "items", json_type_array)))
		goto out;
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		o = json_object_array_get_idx(items, i);
		if (!json_object_is_type(o, json_type_object))
			continue;
		if (delivered == j->limits.max_items) {
			fm_diag_set(diag, 0, 0, "more than %zu items", j->limits.max_items);
			error = FM_ELIMIT;
			goto out;
		}
		j->where = i + 1;
		if ((error = jsonfeed_item(j, o, feed, &item, diag)) < 0)
			goto out;
		delivered++;
		if (on_item && on_item(&item, payload) != 0) {
			fm_diag_set(diag, 0, 0, "stopped by the item callback after %zu items",
				    delivered);
			error = FM_ESTOPPED;
			goto out;
		}
	}
out:
	if (nitems)
		*nitems = delivered;
	return error;
}

/* Frees a person's buffers; cannot fail. */
static void
jsonfeed_person_dispose(jsonfeed_person_bufs *bufs)
{
	fm_buf_dispose(&bufs->email);
	fm_buf_dispose(&bufs->uri);
}

/* Frees the reader, its document and its buffers; cannot fail. */
void
fm__jsonfeed_free(fm__jsonfeed *j)
{
	size_t i;

	if (!j)
		return;
	if (j->tok)
		json_tokener_free(j->tok);
	json_object_put(j->root);
	free(j->base);
	fm_buf_dispose(&j->feed_link);
	jsonfeed_person_dispose(&j->feed_person);
	fm_buf_dispose(&j->item_link);
	fm_buf_dispose(&j->item_summary);
	fm_buf_dispose(&j->item_content);
	jsonfeed_person_dispose(&j->item_person);
	free(j->tags);
	for (i = 0; i < j->atts_cap; i++) {
		fm_buf_dispose(&j->atts[i].url);
		fm_buf_dispose(&j->atts[i].length);
	}
	free(j->atts);
	free(j->encls);
	free(j);
}
