/* out_json.c - the merged feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1). */
#include "output/output_int.h"
#include "feedmerge/date.h"

#include <string.h>

/*
 * The text is pretty-printed with two spaces per level, one member per
 * line, so successive files diff well. Optional fields that are missing
 * are left out rather than written as null, except in _feedmerge.members
 * where every member has the same five keys.
 */

/* Starts the next member of an object or array at indent: a comma unless *first, a newline, and "key": when key is set. */
static void
json_key(fm__outw *w, int *first, int indent, const char *key)
{
	fm__outw_printf(w, "%s\n%*s", *first ? "" : ",", indent, "");
	*first = 0;
	if (key) {
		fm__outw_json(w, key);
		fm__outw_puts(w, ": ");
	}
}

/* Appends "key": "value" when value is set and non-empty, else nothing. */
static void
json_field(fm__outw *w, int *first, int indent, const char *key, const char *value)
{
	if (!fm__output_has(value))
		return;
	json_key(w, first, indent, key);
	fm__outw_json(w, value);
}

/* Appends "key": "RFC 3339 date", or null when t is 0 and nulls is set (else nothing). */
static void
json_date(fm__outw *w, int *first, int indent, const char *key, fm_time t, int nulls)
{
	char date[FM_DATE_BUFSZ];

	if (!t && !nulls)
		return;
	json_key(w, first, indent, key);
	fm__outw_json(w, t ? fm_date_format(date, t) : NULL);
}

/* Ends an object or array opened at indent with close ('}' or ']'); empty is "{}" or "[]". */
static void
json_close(fm__outw *w, int first, int indent, char close)
{
	if (first)
		fm__outw_printf(w, "%c", close);
	else
		fm__outw_printf(w, "\n%*s%c", indent, "", close);
}

/* Appends the representative's author as "authors" (name and url; JSON Feed 1.1 has no email). */
static void
json_authors(fm__outw *w, int *first, const fm_person *a)
{
	int f = 1;

	if (!fm__output_has(a->name) && !fm__output_has(a->uri))
		return;
	json_key(w, first, 6, "authors");
	fm__outw_puts(w, "[");
	json_key(w, &f, 8, NULL);
	fm__outw_puts(w, "{");
	f = 1;
	json_field(w, &f, 10, "name", a->name);
	json_field(w, &f, 10, "url", fm__outw_iri(w, a->uri));
	json_close(w, f, 8, '}');
	json_close(w, 0, 6, ']');
}

/* Appends "tags" from the representative's categories, when it has any. */
static void
json_tags(fm__outw *w, int *first, const fm_item *it)
{
	size_t i;
	int f = 1;

	for (i = 0; i < it->ncategories; i++) {
		if (!fm__output_has(it->categories[i]))
			continue;
		if (f) {
			json_key(w, first, 6, "tags");
			fm__outw_puts(w, "[");
		}
		json_key(w, &f, 8, NULL);
		fm__outw_json(w, it->categories[i]);
	}
	if (!f)
		json_close(w, 0, 6, ']');
}

/* Appends an enclosure length as a JSON number when it is one that readers hold exactly (no leading zeros, at most 15 digits). */
static void
json_size(fm__outw *w, int *first, const char *length)
{
	if (!fm__output_is_digits(length))
		return;
	while (length[0] == '0' && length[1])
		length++;
	if (strlen(length) > 15)
		return;
	json_key(w, first, 10, "size_in_bytes");
	fm__outw_puts(w, length);
}

/* Appends "attachments" from the representative's enclosures, when it has any. */
static void
json_attachments(fm__outw *w, int *first, const fm_item *it)
{
	const fm_enclosure *enc;
	size_t i;
	int f = 1, g;

	for (i = 0; i < it->nenclosures; i++) {
		enc = &it->enclosures[i];
		if (!fm__output_has(enc->url))
			continue;
		if (f) {
			json_key(w, first, 6, "attachments");
			fm__outw_puts(w, "[");
		}
		json_key(w, &f, 8, NULL);
		fm__outw_puts(w, "{");
		g = 1;
		json_field(w, &g, 10, "url", fm__outw_iri(w, enc->url));
		/* mime_type is required. */
		json_field(w, &g, 10, "mime_type", enc->type && strchr(enc->type, '/') ?
			   enc->type : "application/octet-stream");
		json_size(w, &g, enc->length);
		json_close(w, g, 8, '}');
	}
	if (!f)
		json_close(w, 0, 6, ']');
}

/* Appends the "_feedmerge" extension: the cluster id and every member, representative first. */
static void
json_members(fm__outw *w, int *first, const fm_entry *e)
{
	size_t i;
	int f = 1, g, h = 1;

	json_key(w, first, 6, "_feedmerge");
	fm__outw_puts(w, "{");
	json_key(w, &h, 8, "cluster");
	fm__outw_json(w, e->id);
	json_key(w, &h, 8, "members");
	fm__outw_puts(w, "[");
	for (i = 0; i < e->nmembers; i++) {
		const fm_item *m = &e->members[i].item;

		json_key(w, &f, 10, NULL);
		fm__outw_puts(w, "{");
		g = 1;
		json_key(w, &g, 12, "feed");
		fm__outw_json(w, m->feed);
		json_key(w, &g, 12, "id");
		fm__outw_json(w, m->id);
		json_key(w, &g, 12, "url");
		fm__outw_json(w, fm__outw_iri(w, m->link));
		json_key(w, &g, 12, "title");
		fm__outw_json(w, m->title);
		json_date(w, &g, 12, "date_published", m->published, 1);
		json_close(w, g, 10, '}');
	}
	json_close(w, f, 8, ']');
	json_close(w, h, 6, '}');
}

/* Appends one item object. */
static void
json_item(fm__outw *w, const fm_entry *e)
{
	const fm_item *it = &e->members[0].item;
	const char *html;
	int f = 1;

	fm__outw_puts(w, "{");
	json_field(w, &f, 6, "id", e->id);
	json_field(w, &f, 6, "url", fm__outw_iri(w, it->link));
	json_field(w, &f, 6, "title", it->title);
	/*
	 * One of content_html and content_text is required. Our summary is
	 * HTML while JSON Feed's is plain text, so it stands in for missing
	 * content instead of going into "summary".
	 */
	html = fm__output_has(it->content) ? it->content : it->summary;
	json_key(w, &f, 6, "content_html");
	fm__outw_json(w, html ? html : "");
	json_date(w, &f, 6, "date_published", e->published, 0);
	json_date(w, &f, 6, "date_modified", e->updated, 0);
	json_authors(w, &f, &it->author);
	json_tags(w, &f, it);
	json_attachments(w, &f, it);
	json_members(w, &f, e);
	json_close(w, f, 4, '}');
}

void
fm__output_json(fm__outw *w, const fm_config_output *cfg,
		const fm_entry *entries, size_t n)
{
	size_t i;
	int f = 1, g = 1;

	fm__outw_puts(w, "{");
	json_field(w, &f, 2, "version", "https://jsonfeed.org/version/1.1");
	json_key(w, &f, 2, "title");
	fm__outw_json(w, cfg->title ? cfg->title : "");
	json_field(w, &f, 2, "home_page_url", fm__outw_iri(w, cfg->link));
	json_field(w, &f, 2, "feed_url", fm__outw_iri(w, cfg->url));
	json_field(w, &f, 2, "language", cfg->language);
	json_key(w, &f, 2, "items");
	fm__outw_puts(w, "[");
	for (i = 0; i < n; i++) {
		json_key(w, &g, 4, NULL);
		json_item(w, &entries[i]);
	}
	json_close(w, g, 2, ']');
	json_close(w, f, 0, '}');
	fm__outw_puts(w, "\n");
}
