/*
 * jsonmap.c - maps JSON Feed objects (parsed by json-c) to fm_item and
 * fm_feed: the field rules of https://www.jsonfeed.org/version/1.1/.
 *
 * Decisions worth knowing:
 * - A string is cut at its first NUL: json-c accepts "\u0000", but every
 *   string we hand out is a C string. An empty string counts as missing.
 * - max_field is checked against each string as handed out (after the NUL
 *   cut, before HTML escaping).
 * - An item without an author takes the feed's author given to it.
 * - Relative URLs resolve against base, or against feed_url when there is
 *   no base.
 */
#include "parse/jsonmap.h"
#include "parse/html.h"
#include "parse/url.h"
#include "feedmerge/date.h"

#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Reads member key of o as a string into *out: NULL when it is missing,
 * not a string or empty. Returns 0, or FM_ELIMIT when the string is longer
 * than max_field (label names it in diag).
 */
static int
jsonmap_string(fm__jsonmap *m, struct json_object *o, const char *key,
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
	if (len > m->max_field) {
		if (m->where)
			fm_diag_set(diag, 0, 0, "field %s longer than %zu bytes in item %zu",
				    label, m->max_field, m->where);
		else
			fm_diag_set(diag, 0, 0, "field %s longer than %zu bytes in the feed",
				    label, m->max_field);
		return FM_ELIMIT;
	}
	*out = s;
	return 0;
}

/* Returns member key of o when it has type t, else NULL. */
static struct json_object *
jsonmap_member(struct json_object *o, const char *key, json_type t)
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
jsonmap_url(fm__jsonmap *m, fm_buf *out, const char *ref, const char **res)
{
	int error;

	*res = NULL;
	fm_buf_clear(out);
	if (!ref)
		return 0;
	if ((error = fm__url_resolve(out, m->base_eff, ref)) < 0)
		return error;
	if (out->size)
		*res = out->ptr;
	return 0;
}

/* Points *links at the one or two of (a, b) that are set, each with its rel, in links. */
static void
jsonmap_links(fm_link links[2], const char *a, const char *rel_a, const char *b, const char *rel_b,
	      const fm_link **out, size_t *n)
{
	memset(links, 0, 2 * sizeof(*links));
	*n = 0;
	if (a) {
		links[*n].href = a;
		links[(*n)++].rel = rel_a;
	}
	if (b) {
		links[*n].href = b;
		links[(*n)++].rel = rel_b;
	}
	*out = *n ? links : NULL;
}

/*
 * Fills *out from the author of o: JSON Feed 1.1 "authors"[0], else 1.0
 * "author". A "mailto:" url becomes the email. *out is left all NULL when
 * there is none. Returns 0, FM_ENOMEM, or FM_ELIMIT.
 */
static int
jsonmap_person(fm__jsonmap *m, struct json_object *o, fm_person *out,
	       jsonmap_person_bufs *bufs, fm_diag *diag)
{
	struct json_object *a = NULL, *arr;
	const char *url, *at, *q;
	size_t i, n;
	int error;

	memset(out, 0, sizeof(*out));
	fm_buf_clear(&bufs->email);
	fm_buf_clear(&bufs->uri);
	if ((arr = jsonmap_member(o, "authors", json_type_array)) != NULL) {
		n = json_object_array_length(arr);
		for (i = 0; i < n && !a; i++)
			if (json_object_is_type(json_object_array_get_idx(arr, i), json_type_object))
				a = json_object_array_get_idx(arr, i);
	}
	if (!a)
		a = jsonmap_member(o, "author", json_type_object);
	if (!a)
		return 0;
	if ((error = jsonmap_string(m, a, "name", "author.name", &out->name, diag)) < 0 ||
	    (error = jsonmap_string(m, a, "url", "author.url", &url, diag)) < 0)
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
	return jsonmap_url(m, &bufs->uri, url, &out->uri);
}

/* Makes room for n entries in the tag and attachment arrays; returns 0 or FM_ENOMEM. */
static int
jsonmap_reserve(fm__jsonmap *m, size_t ntags, size_t natts)
{
	const char **tags;
	fm_category *cats;
	jsonmap_att *atts;
	fm_enclosure *encls;
	size_t i;

	if (ntags > m->tags_cap) {
		if (ntags > SIZE_MAX / sizeof(*cats))
			return FM_ENOMEM;
		if (!(tags = realloc(m->tags, ntags * sizeof(*tags))))
			return FM_ENOMEM;
		m->tags = tags;
		if (!(cats = realloc(m->cats, ntags * sizeof(*cats))))
			return FM_ENOMEM;
		m->cats = cats;
		m->tags_cap = ntags;
	}
	if (natts > m->atts_cap) {
		if (natts > SIZE_MAX / sizeof(*atts))
			return FM_ENOMEM;
		if (!(encls = realloc(m->encls, natts * sizeof(*encls))))
			return FM_ENOMEM;
		m->encls = encls;
		if (!(atts = realloc(m->atts, natts * sizeof(*atts))))
			return FM_ENOMEM;
		m->atts = atts;
		for (i = m->atts_cap; i < natts; i++) {
			fm_buf empty = FM_BUF_INIT;

			atts[i].url = empty;
			atts[i].length = empty;
		}
		m->atts_cap = natts;
	}
	return 0;
}

/*
 * Writes an attachment's size_in_bytes as decimal text: a non-negative
 * integer (or integral double), or a string of digits as written. *out is
 * NULL otherwise. Returns 0 or FM_ENOMEM.
 */
static int
jsonmap_length(struct json_object *att, fm_buf *buf, const char **out)
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
jsonmap_tags(fm__jsonmap *m, struct json_object *o, fm_item *item, fm_diag *diag)
{
	struct json_object *arr, *v;
	size_t i, n, len;
	const char *s;
	int error;

	if (!(arr = jsonmap_member(o, "tags", json_type_array)))
		return 0;
	n = json_object_array_length(arr);
	if ((error = jsonmap_reserve(m, n, 0)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		if (!(len = strlen(s)))
			continue;
		if (len > m->max_field) {
			fm_diag_set(diag, 0, 0, "field tags longer than %zu bytes in item %zu",
				    m->max_field, m->where);
			return FM_ELIMIT;
		}
		m->cats[item->ncategories].term = s;
		m->cats[item->ncategories].scheme = m->cats[item->ncategories].label = NULL;
		m->tags[item->ncategories++] = s;
	}
	item->categories = item->ncategories ? m->tags : NULL;
	item->tags = item->ncategories ? m->cats : NULL; /* tags[i].term is categories[i] */
	return 0;
}

/* Fills the item's enclosures from "attachments" (those with a url); returns 0, FM_ENOMEM or FM_ELIMIT. */
static int
jsonmap_attachments(fm__jsonmap *m, struct json_object *o, fm_item *item,
		    fm_diag *diag)
{
	struct json_object *arr, *v;
	fm_enclosure *e;
	jsonmap_att *att;
	const char *url;
	size_t i, n;
	int error;

	if (!(arr = jsonmap_member(o, "attachments", json_type_array)))
		return 0;
	n = json_object_array_length(arr);
	if ((error = jsonmap_reserve(m, 0, n)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object))
			continue;
		att = &m->atts[item->nenclosures];
		e = &m->encls[item->nenclosures];
		if ((error = jsonmap_string(m, v, "url", "attachments.url", &url, diag)) < 0)
			return error;
		if ((error = jsonmap_url(m, &att->url, url, &e->url)) < 0)
			return error;
		if (!e->url)
			continue;
		if ((error = jsonmap_string(m, v, "mime_type", "attachments.mime_type",
					    &e->type, diag)) < 0 ||
		    (error = jsonmap_length(v, &att->length, &e->length)) < 0)
			return error;
		item->nenclosures++;
	}
	item->enclosures = item->nenclosures ? m->encls : NULL;
	return 0;
}

/* Reads a date member into *out (0 when missing or not understood); returns 0 or FM_ELIMIT. */
static int
jsonmap_date(fm__jsonmap *m, struct json_object *o, const char *key,
	     fm_time *out, fm_diag *diag)
{
	const char *s;
	fm_time t;
	int error;

	*out = 0;
	if ((error = jsonmap_string(m, o, key, key, &s, diag)) < 0)
		return error;
	if (s && fm_date_parse(&t, s) == 0)
		*out = t;
	return 0;
}

/*
 * Fills *item from the item object o; strings point into o and into the
 * item scratch buffers. Returns 0, FM_ENOMEM or FM_ELIMIT.
 */
int
fm__jsonmap_item(fm__jsonmap *m, struct json_object *o, const fm_feed *feed,
		 fm_item *item, fm_diag *diag)
{
	struct json_object *v;
	const char *url, *text, *external, *link;
	int error;

	memset(item, 0, sizeof(*item));

	/* "id" is a string in the spec; some feeds write a number. */
	if (json_object_object_get_ex(o, "id", &v) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
		item->id = json_object_get_string(v);
	} else if ((error = jsonmap_string(m, o, "id", "id", &item->id, diag)) < 0) {
		return error;
	}

	if ((error = jsonmap_string(m, o, "url", "url", &url, diag)) < 0 ||
	    (error = jsonmap_string(m, o, "external_url", "external_url", &external, diag)) < 0 ||
	    (error = jsonmap_url(m, &m->item_link, url, &link)) < 0 ||
	    (error = jsonmap_url(m, &m->item_external, external, &external)) < 0)
		return error;
	item->link = link ? link : external;
	jsonmap_links(m->item_links, link, "alternate", external, "related", &item->links, &item->nlinks);

	if ((error = jsonmap_string(m, o, "title", "title", &item->title, diag)) < 0)
		return error;
	item->title_detail.value = item->title; /* JSON Feed titles are plain text */

	/* content_html is HTML already; content_text and summary are plain text. */
	fm_buf_clear(&m->item_content);
	if ((error = jsonmap_string(m, o, "content_html", "content_html",
				    &item->content, diag)) < 0)
		return error;
	if (!item->content) {
		if ((error = jsonmap_string(m, o, "content_text", "content_text",
					    &text, diag)) < 0)
			return error;
		if (text) {
			fm_buf_clear(&m->item_content);
			if ((error = fm__html_escape(&m->item_content, text, strlen(text))) < 0)
				return error;
			item->content = m->item_content.ptr;
			item->content_detail.value = item->content;
		}
	} else {
		item->content_detail.value = item->content;
		item->content_detail.type = FM_TEXT_HTML;
	}
	fm_buf_clear(&m->item_summary);
	if ((error = jsonmap_string(m, o, "summary", "summary", &text, diag)) < 0)
		return error;
	if (text) {
		fm_buf_clear(&m->item_summary);
		if ((error = fm__html_escape(&m->item_summary, text, strlen(text))) < 0)
			return error;
		item->summary = m->item_summary.ptr;
		item->summary_detail.value = item->summary;
	}

	if ((error = jsonmap_date(m, o, "date_published", &item->published, diag)) < 0 ||
	    (error = jsonmap_date(m, o, "date_modified", &item->updated, diag)) < 0)
		return error;

	if ((error = jsonmap_person(m, o, &item->author, &m->item_person, diag)) < 0)
		return error;
	/* Spec: "If not specified in an item, then the top-level author ... is the author". */
	if (!item->author.name && !item->author.email && !item->author.uri)
		item->author = feed->author;
	if (item->author.name || item->author.email || item->author.uri) {
		item->authors = &item->author;
		item->nauthors = 1;
	}

	if ((error = jsonmap_tags(m, o, item, diag)) < 0 ||
	    (error = jsonmap_attachments(m, o, item, diag)) < 0)
		return error;
	return 0;
}

int
fm__jsonfeed_version_ok(const char *version)
{
	return strncmp(version, FM__JSONFEED_HTTPS, sizeof(FM__JSONFEED_HTTPS) - 1) == 0 ||
	       strncmp(version, FM__JSONFEED_HTTP, sizeof(FM__JSONFEED_HTTP) - 1) == 0 ||
	       !strcmp(version, "1") || !strcmp(version, "1.0") || !strcmp(version, "1.1");
}

/*
 * Checks that root is a JSON Feed and fills *feed from it. Returns 0,
 * FM_ENOTFEED, FM_ENOMEM or FM_ELIMIT.
 */
int
fm__jsonmap_feed(fm__jsonmap *m, struct json_object *root, fm_feed *feed,
		 fm_diag *diag)
{
	const char *version = NULL, *link, *feed_url;
	struct json_object *v;
	int error;

	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "version", &v) &&
	    json_object_is_type(v, json_type_string))
		version = json_object_get_string(v);
	if (!version || !fm__jsonfeed_version_ok(version)) {
		fm_diag_set(diag, 0, 0, "JSON, but not a JSON Feed (no jsonfeed version)");
		return FM_ENOTFEED;
	}

	feed->format = FM_FORMAT_JSONFEED;
	m->where = 0;
	if ((error = jsonmap_string(m, root, "feed_url", "feed_url", &feed_url, diag)) < 0)
		return error;
	m->base_eff = m->base ? m->base : feed_url;
	if ((error = jsonmap_string(m, root, "title", "title", &feed->title, diag)) < 0 ||
	    (error = jsonmap_string(m, root, "home_page_url", "home_page_url",
				    &link, diag)) < 0 ||
	    (error = jsonmap_url(m, &m->feed_link, link, &feed->link)) < 0 ||
	    (error = jsonmap_string(m, root, "description", "description",
				    &feed->subtitle, diag)) < 0 ||
	    (error = jsonmap_person(m, root, &feed->author, &m->feed_person, diag)) < 0)
		return error;
	if (feed->author.name || feed->author.email || feed->author.uri) {
		feed->authors = &feed->author;
		feed->nauthors = 1;
	}
	/* JSON Feed 1.1's "language" (RFC 5646). */
	if ((error = jsonmap_string(m, root, "language", "language", &feed->language, diag)) < 0)
		return error;
	if ((error = jsonmap_url(m, &m->feed_self, feed_url, &feed_url)) < 0)
		return error;
	jsonmap_links(m->feed_links, feed->link, "alternate", feed_url, "self", &feed->links, &feed->nlinks);
	feed->title_detail.value = feed->title;
	feed->subtitle_detail.value = feed->subtitle;
	return 0;
}

/* Frees a person's buffers; cannot fail. */
static void
jsonmap_person_dispose(jsonmap_person_bufs *bufs)
{
	fm_buf_dispose(&bufs->email);
	fm_buf_dispose(&bufs->uri);
}

/* Frees every buffer m holds; cannot fail. */
void
fm__jsonmap_dispose(fm__jsonmap *m)
{
	size_t i;

	fm_buf_dispose(&m->feed_link);
	jsonmap_person_dispose(&m->feed_person);
	fm_buf_dispose(&m->item_link);
	fm_buf_dispose(&m->item_summary);
	fm_buf_dispose(&m->item_external);
	fm_buf_dispose(&m->feed_self);
	fm_buf_dispose(&m->item_content);
	jsonmap_person_dispose(&m->item_person);
	free(m->tags);
	free(m->cats);
	for (i = 0; i < m->atts_cap; i++) {
		fm_buf_dispose(&m->atts[i].url);
		fm_buf_dispose(&m->atts[i].length);
	}
	free(m->atts);
	free(m->encls);
	memset(m, 0, sizeof(*m));
}
