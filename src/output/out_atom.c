/* out_atom.c - the merged feed as Atom 1.0 (RFC 4287). */
#include "output/output_int.h"
#include "feedmerge/date.h"
#include "feedmerge/version.h"

#include <ctype.h>
#include <string.h>

/* Appends <name> with an RFC 3339 date (RFC 4287 section 3.3). */
static void
atom_date(fm__outw *w, int indent, const char *name, fm_time t)
{
	char date[FM_DATE_BUFSZ];

	fm__outw_xml_elem(w, indent, name, fm_date_format(date, t));
}

/*
 * Appends the entry's author: RFC 4287 section 4.1.2 wants one on every
 * entry of a feed without its own, so the feed's name stands in for a
 * missing one. Section 3.2.3 wants an RFC 2822 addr-spec in email and
 * section 3.2.2 an IRI in uri: an address that is none is left out.
 */
static void
atom_author(fm__outw *w, const fm_member *rep)
{
	const fm_person *a = &rep->item.author;

	fm__outw_puts(w, "    <author>\n");
	fm__outw_xml_elem(w, 6, "name",
			  fm__output_has(a->name) ? a->name : fm__output_feed_name(rep));
	if (fm__output_is_email(a->email))
		fm__outw_xml_elem(w, 6, "email", a->email);
	fm__outw_xml_elem(w, 6, "uri", fm__outw_iri(w, a->uri));
	fm__outw_puts(w, "    </author>\n");
}

/* Appends the entry's links: alternate for the representative, related for each other member, enclosures. */
static void
atom_links(fm__outw *w, const fm_entry *e)
{
	const fm_item *it = &e->members[0].item;
	const fm_enclosure *enc;
	size_t i;

	if (fm__output_has(it->link))
		fm__outw_xml_link(w, 4, "link", "alternate", it->link, NULL, NULL, NULL);
	for (i = 1; i < e->nmembers; i++) {
		const fm_item *m = &e->members[i].item;

		if (fm__output_has(m->link))
			fm__outw_xml_link(w, 4, "link", "related", m->link, m->title,
					  NULL, NULL);
	}
	for (i = 0; i < it->nenclosures; i++) {
		enc = &it->enclosures[i];
		if (!fm__output_has(enc->url))
			continue;
		/* Section 4.2.7: type is a media type, length a byte count. */
		fm__outw_xml_link(w, 4, "link", "enclosure", enc->url, NULL,
				  enc->type && strchr(enc->type, '/') ? enc->type : NULL,
				  fm__output_is_digits(enc->length) ? enc->length : NULL);
	}
}

/* Appends summary and content (HTML, escaped). */
static void
atom_text(fm__outw *w, const fm_item *it)
{
	const char *summary = it->summary, *content = it->content;

	/*
	 * Section 4.1.1.1: an entry without content needs an alternate link.
	 * Without either, the summary becomes the content (or the content is
	 * left empty) so the entry stays valid.
	 */
	if (!fm__output_has(content) && !fm__output_has(it->link)) {
		content = fm__output_has(summary) ? summary : "";
		summary = NULL;
	}
	if (fm__output_has(summary)) {
		fm__outw_puts(w, "    <summary type=\"html\">");
		fm__outw_text(w, summary);
		fm__outw_puts(w, "</summary>\n");
	}
	if (content) {
		fm__outw_puts(w, "    <content type=\"html\">");
		fm__outw_text(w, content);
		fm__outw_puts(w, "</content>\n");
	}
}

/* Appends <source> for the representative's feed (section 4.2.11). */
static void
atom_source(fm__outw *w, const fm_member *rep)
{
	fm__outw_puts(w, "    <source>\n");
	fm__outw_xml_elem(w, 6, "id", fm__outw_iri(w, rep->feed_url));
	fm__outw_xml_elem(w, 6, "title", fm__output_feed_name(rep));
	if (fm__output_has(rep->feed_link))
		fm__outw_xml_link(w, 6, "link", "alternate", rep->feed_link, NULL, NULL, NULL);
	if (fm__output_has(rep->feed_url))
		fm__outw_xml_link(w, 6, "link", "self", rep->feed_url, NULL, NULL, NULL);
	fm__outw_puts(w, "    </source>\n");
}

/* Returns the length of the character reference at s ("&amp;", "&#38;", "&#x26;"), 0 when s starts none. */
static size_t
atom_ref_len(const char *s)
{
	size_t i = 1;

	if (s[i] == '#') {
		int hex = s[++i] == 'x' || s[i] == 'X';
		size_t start = i += hex;
		while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
			i++;
		return i > start && s[i] == ';' ? i + 1 : 0;
	}
	while (isalnum((unsigned char)s[i]))
		i++;
	return i > 1 && isalpha((unsigned char)s[1]) && s[i] == ';' ? i + 1 : 0;
}

/*
 * Appends the entry's title: the feed's HTML as type="html" (RFC 4287
 * 3.1.1.2, escaped) when the representative's title has markup, else
 * plain text. A bare '&' in the HTML ("Q&A") is written as "&amp;", which
 * HTML reads the same: readers that turn a title's HTML into text (newsboat)
 * take any '&' for a reference and drop what follows.
 */
static void
atom_title(fm__outw *w, const fm_entry *e)
{
	const char *html = fm_item_title_html(&e->members[0].item), *p;
	size_t n;

	if (!fm__output_has(html)) {
		fm__outw_xml_elem(w, 4, "title", fm__output_title(e));
		return;
	}
	fm_buf_clear(&w->scratch);
	for (p = html; *p && !w->error; p += n) {
		n = strcspn(p, "&");
		if (n)
			w->error = fm_buf_append(&w->scratch, p, n);
		else if ((n = atom_ref_len(p)))
			w->error = fm_buf_append(&w->scratch, p, n);
		else if ((n = 1))
			w->error = fm_buf_puts(&w->scratch, "&amp;");
	}
	fm__outw_puts(w, "    <title type=\"html\">");
	fm__outw_text(w, fm_buf_cstr(&w->scratch));
	fm__outw_puts(w, "</title>\n");
}

/* Appends one <entry>. */
static void
atom_entry(fm__outw *w, const fm_entry *e)
{
	const fm_member *rep = &e->members[0];
	size_t i;

	fm__outw_puts(w, "  <entry>\n");
	fm__outw_xml_elem(w, 4, "id", e->id);
	atom_title(w, e);
	atom_links(w, e);
	if (e->published)
		atom_date(w, 4, "published", e->published);
	atom_date(w, 4, "updated", e->updated);
	atom_author(w, rep);
	for (i = 0; i < rep->item.ncategories; i++) {
		if (!fm__output_has(rep->item.categories[i]))
			continue;
		fm__outw_puts(w, "    <category");
		fm__outw_xml_attr(w, "term", rep->item.categories[i]);
		fm__outw_puts(w, "/>\n");
	}
	atom_text(w, &rep->item);
	atom_source(w, rep);
	fm__outw_puts(w, "  </entry>\n");
}

void
fm__output_atom(fm__outw *w, const fm_config_output *cfg,
		const fm_entry *entries, size_t n)
{
	size_t i;

	fm__outw_puts(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	fm__outw_xml_attr(w, "xml:lang", cfg->language);
	fm__outw_puts(w, ">\n");
	fm__outw_puts(w, "  <id>");
	fm__outw_output_id(w, cfg->name);
	fm__outw_puts(w, "</id>\n");
	fm__outw_puts(w, "  <title type=\"text\">");
	fm__outw_text(w, cfg->title);
	fm__outw_puts(w, "</title>\n");
	if (fm__output_has(cfg->link))
		fm__outw_xml_link(w, 2, "link", "alternate", cfg->link, NULL, NULL, NULL);
	/* RFC 4287 section 4.2.7.2: where this document is published. */
	if (fm__output_has(cfg->url))
		fm__outw_xml_link(w, 2, "link", "self", cfg->url, NULL, "application/atom+xml", NULL);
	atom_date(w, 2, "updated", fm__output_updated(entries, n));
	fm__outw_puts(w, "  <generator uri=\"" FEEDMERGE_URL "\" version=\""
		      FEEDMERGE_VERSION "\">feedmerge</generator>\n");
	for (i = 0; i < n; i++)
		atom_entry(w, &entries[i]);
	fm__outw_puts(w, "</feed>\n");
}
