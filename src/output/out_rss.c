/* out_rss.c - the merged feed as RSS 2.0 (https://www.rssboard.org/rss-specification). */
#include "output/output_int.h"
#include "feedmerge/version.h"

#include <string.h>

/* Appends <name> with an RFC 822 date, as RSS 2.0 asks for pubDate and lastBuildDate. */
static void
rss_date(fm__outw *w, int indent, const char *name, fm_time t)
{
	char date[FM__OUTPUT_RFC822_BUFSZ];

	fm__outw_xml_elem(w, indent, name, fm__output_rfc822(date, t));
}

/*
 * Appends the first enclosure. RSS 2.0 requires url, length and type on
 * it; the RSS Advisory Board's profile allows one per item, so any others
 * are left out. Unknown lengths are "0" and unknown types
 * application/octet-stream, as the profile suggests.
 */
static void
rss_enclosure(fm__outw *w, const fm_item *it)
{
	const fm_enclosure *enc = NULL;
	size_t i;

	for (i = 0; i < it->nenclosures && !enc; i++)
		if (fm__output_has(it->enclosures[i].url))
			enc = &it->enclosures[i];
	if (!enc)
		return;
	fm__outw_puts(w, "      <enclosure");
	fm__outw_xml_attr(w, "url", fm__outw_iri(w, enc->url));
	fm__outw_xml_attr(w, "length", fm__output_is_digits(enc->length) ? enc->length : "0");
	fm__outw_xml_attr(w, "type", enc->type && strchr(enc->type, '/') ?
			  enc->type : "application/octet-stream");
	fm__outw_puts(w, "/>\n");
}

/* Appends one <item>. */
static void
rss_item(fm__outw *w, const fm_entry *e)
{
	const fm_member *rep = &e->members[0];
	const fm_item *it = &rep->item;
	size_t i;

	fm__outw_puts(w, "    <item>\n");
	fm__outw_xml_elem(w, 6, "title", fm__output_title(e));
	fm__outw_xml_elem(w, 6, "link", fm__outw_iri(w, it->link));
	fm__outw_xml_elem(w, 6, "description",
			  fm__output_has(it->content) ? it->content : it->summary);
	fm__outw_xml_elem(w, 6, "dc:creator", it->author.name);
	for (i = 0; i < it->ncategories; i++)
		fm__outw_xml_elem(w, 6, "category", it->categories[i]);
	rss_enclosure(w, it);
	fm__outw_puts(w, "      <guid isPermaLink=\"false\">");
	fm__outw_text(w, e->id);
	fm__outw_puts(w, "</guid>\n");
	if (e->published)
		rss_date(w, 6, "pubDate", e->published);
	if (fm__output_has(rep->feed_url)) {
		fm__outw_puts(w, "      <source");
		fm__outw_xml_attr(w, "url", fm__outw_iri(w, rep->feed_url));
		fm__outw_puts(w, ">");
		fm__outw_text(w, fm__output_feed_name(rep));
		fm__outw_puts(w, "</source>\n");
	}
	for (i = 1; i < e->nmembers; i++) {
		const fm_item *m = &e->members[i].item;

		if (fm__output_has(m->link))
			fm__outw_xml_link(w, 6, "atom:link", "related", m->link,
					  m->title, NULL, NULL);
	}
	fm__outw_puts(w, "    </item>\n");
}

void
fm__output_rss(fm__outw *w, const fm_config_output *cfg,
	       const fm_entry *entries, size_t n)
{
	size_t i;

	fm__outw_puts(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\""
		      " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		      "  <channel>\n");
	fm__outw_puts(w, "    <title>");
	fm__outw_text(w, cfg->title);
	fm__outw_puts(w, "</title>\n");
	/*
	 * link is required too. An output without a home page of its own gets
	 * its id, the URN Atom uses as the feed id: a URI that names this
	 * merged feed and nothing else, where a made-up web address would
	 * send readers somewhere unrelated.
	 */
	if (fm__output_has(cfg->link)) {
		fm__outw_xml_elem(w, 4, "link", fm__outw_iri(w, cfg->link));
	} else {
		fm__outw_puts(w, "    <link>");
		fm__outw_output_id(w, cfg->name);
		fm__outw_puts(w, "</link>\n");
	}
	/* description is required; the title is all we have to say. */
	fm__outw_puts(w, "    <description>");
	fm__outw_text(w, cfg->title);
	fm__outw_puts(w, "</description>\n");
	/* The RSS advisory board's self link: where this document is published. */
	if (fm__output_has(cfg->url))
		fm__outw_xml_link(w, 4, "atom:link", "self", cfg->url, NULL, "application/rss+xml", NULL);
	fm__outw_xml_elem(w, 4, "language", cfg->language);
	rss_date(w, 4, "lastBuildDate", fm__output_updated(entries, n));
	fm__outw_puts(w, "    <generator>feedmerge/" FEEDMERGE_VERSION
		      " (+" FEEDMERGE_URL ")</generator>\n");
	for (i = 0; i < n; i++)
		rss_item(w, &entries[i]);
	fm__outw_puts(w, "  </channel>\n</rss>\n");
}
