/* names.h - namespace URIs and element names the feed model knows (internal). */
#ifndef FM_PARSE_NAMES_H
#define FM_PARSE_NAMES_H

#include <stddef.h>

/* Namespaces, matched by URI, not prefix. NS_RSS is "no namespace" and RSS 2.0's own. */
enum {
	NS_RSS, NS_RSS090, NS_RSS10, NS_RDF, NS_ATOM10, NS_ATOM03, NS_DC,
	NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_XHTML, NS_ITUNES, NS_XML, NS_SY, NS_OTHER
};

/* Elements. */
enum {
	EL_UNKNOWN,
	EL_SKIP,
	/* roots and containers */
	EL_RSS, EL_RDF, EL_FEED, EL_CHANNEL, EL_ITEM, EL_ENTRY, EL_IMAGE,
	EL_TEXTINPUT, EL_SOURCE, EL_ATOM_AUTHOR, EL_MEDIA_GROUP, EL_HTML, EL_OPML,
	/* fields */
	EL_TITLE, EL_ATOM_TITLE, EL_LINK, EL_ATOM_LINK, EL_DESCRIPTION, EL_GUID,
	EL_PUBDATE, EL_LASTBUILDDATE, EL_RSS_AUTHOR, EL_MANAGING_EDITOR,
	EL_CATEGORY, EL_ATOM_CATEGORY, EL_ENCLOSURE, EL_CONTENT_ENCODED,
	EL_ATOM_CONTENT, EL_ATOM_SUMMARY, EL_ATOM_SUBTITLE, EL_ATOM_ID,
	EL_ATOM_UPDATED, EL_ATOM_PUBLISHED, EL_ATOM_ISSUED, EL_ATOM_MODIFIED,
	EL_ATOM_CREATED, EL_NAME, EL_EMAIL, EL_URI, EL_DC_TITLE, EL_DC_CREATOR,
	EL_DC_DATE, EL_DC_SUBJECT, EL_DC_DESCRIPTION, EL_DC_IDENTIFIER,
	EL_DCT_ISSUED, EL_DCT_MODIFIED, EL_DCT_CREATED, EL_XHTML_BODY,
	EL_XHTML_DIV, EL_MEDIA_CONTENT, EL_MEDIA_TITLE, EL_MEDIA_DESCRIPTION,
	EL_ITUNES_AUTHOR, EL_ITUNES_SUMMARY, EL_LANGUAGE, EL_DC_LANGUAGE,
	EL_ATOM_CONTRIBUTOR, EL_DC_CONTRIBUTOR, EL_GENERATOR, EL_CDF_CHANNEL,
	EL_ITUNES_CATEGORY, EL_ITUNES_KEYWORDS, EL_ITUNES_SUBTITLE, EL_MEDIA_CATEGORY,
	EL_WEBMASTER, EL_TAGS,
	/* polling hints (channel level) */
	EL_TTL, EL_SKIP_HOURS, EL_HOUR, EL_SKIP_DAYS, EL_DAY, EL_SY_PERIOD, EL_SY_FREQUENCY,
	EL_COUNT
};

/* Returns the NS_ code of a namespace URI of len bytes (len 0: no namespace). */
int fm__names_ns(const char *uri, size_t len);

/* Returns the EL_ code of local name in namespace ns, EL_UNKNOWN when it is not one we read. */
int fm__names_element(int ns, const char *local);

/* Returns the fm_format of <rss version="v"> (v may be NULL); netscape: a Netscape DOCTYPE was seen. */
int fm__names_rss_format(const char *v, int netscape);

/* Returns 1 when local is an HTML void element (serialised without an end tag). */
int fm__names_html_void(const char *local);

#endif
