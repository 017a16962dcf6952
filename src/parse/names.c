/* names.c - namespace URIs and element names the feed model knows. */
#include "parse/names.h"
#include "feedmerge/item.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Namespace URIs, in the form model_ns_normalise() gives: lower case,
 * scheme and trailing '/' or '#' dropped. Feeds in the wild misspell the
 * case, swap http for https and add or drop the trailing slash.
 */
static const struct {
	const char *uri;
	int ns;
} names_ns_table[] = {
	{ "backend.userland.com/rss", NS_RSS },
	{ "backend.userland.com/rss2", NS_RSS },
	{ "backend.userland.com/rss2.1", NS_RSS },
	{ "blogs.law.harvard.edu/tech/rss", NS_RSS },
	{ "channel.netscape.com/rdf/simple/0.9", NS_RSS090 },
	{ "my.netscape.com/rdf/simple/0.9", NS_RSS090 },
	{ "example.com/necho", NS_ATOM03 },      /* Atom's names before it was Atom */
	{ "example.com/newformat", NS_ATOM03 },
	{ "purl.org/atom/ns", NS_ATOM03 },
	{ "purl.org/dc/elements/1.0", NS_DC },
	{ "purl.org/dc/elements/1.1", NS_DC },
	{ "purl.org/dc/terms", NS_DCTERMS },
	{ "purl.org/rss/1.0", NS_RSS10 },
	{ "purl.org/echo", NS_ATOM03 },
	{ "purl.org/pie", NS_ATOM03 },
	{ "purl.org/rss/1.0/modules/content", NS_CONTENT },
	{ "purl.org/rss/1.0/modules/syndication", NS_SY },
	{ "search.yahoo.com/mrss", NS_MEDIA },
	{ "tools.search.yahoo.com/mrss", NS_MEDIA },
	{ "www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "www.w3.org/1999/02/22-rdf-syntax-ns", NS_RDF },
	{ "www.w3.org/1999/xhtml", NS_XHTML },
	{ "www.w3.org/2005/atom", NS_ATOM10 },
	{ "www.w3.org/xml/1998/namespace", NS_XML },
};

/* Returns the namespace code of uri (len bytes), NS_OTHER when it is none we read. */
static int
names_ns_lookup(const char *uri, size_t len)
{
	char norm[64];
	size_t i, n = 0;

	if (len == 0)
		return NS_RSS;
	if (len > 8 && !strncasecmp(uri, "https://", 8))
		uri += 8, len -= 8;
	else if (len > 7 && !strncasecmp(uri, "http://", 7))
		uri += 7, len -= 7;
	while (len && (uri[len - 1] == '/' || uri[len - 1] == '#'))
		len--;
	if (len >= sizeof(norm))
		return NS_OTHER;
	for (i = 0; i < len; i++)
		norm[n++] = (char)tolower((unsigned char)uri[i]);
	norm[n] = '\0';
	for (i = 0; i < sizeof(names_ns_table) / sizeof(names_ns_table[0]); i++)
		if (!strcmp(norm, names_ns_table[i].uri))
			return names_ns_table[i].ns;
	return NS_OTHER;
}

/* Element names per namespace group, sorted for bsearch. */
typedef struct names_el {
	const char *name;
	int el;
} names_el;

static const names_el names_rss[] = {
	/* CDF's elements are upper case, and sort first. */
	{ "ABSTRACT", EL_DESCRIPTION }, { "CHANNEL", EL_CDF_CHANNEL }, { "ITEM", EL_ITEM },
	{ "RDF", EL_RDF }, { "TITLE", EL_TITLE }, { "author", EL_RSS_AUTHOR },
	{ "body", EL_XHTML_BODY }, { "category", EL_CATEGORY },
	{ "channel", EL_CHANNEL }, { "content", EL_ATOM_CONTENT },
	{ "created", EL_ATOM_CREATED }, { "day", EL_DAY }, { "description", EL_DESCRIPTION },
	{ "email", EL_EMAIL }, { "enclosure", EL_ENCLOSURE }, { "entry", EL_ENTRY },
	{ "feed", EL_FEED }, { "fullitem", EL_CONTENT_ENCODED }, { "generator", EL_GENERATOR },
	{ "guid", EL_GUID }, { "hour", EL_HOUR }, { "html", EL_HTML },
	{ "id", EL_ATOM_ID }, { "image", EL_IMAGE }, { "issued", EL_ATOM_ISSUED },
	{ "item", EL_ITEM }, { "language", EL_LANGUAGE }, { "lastBuildDate", EL_LASTBUILDDATE },
	{ "link", EL_LINK }, { "managingEditor", EL_MANAGING_EDITOR },
	{ "modified", EL_ATOM_MODIFIED }, { "name", EL_NAME }, { "opml", EL_OPML },
	{ "pubDate", EL_PUBDATE }, { "published", EL_ATOM_PUBLISHED },
	{ "rss", EL_RSS }, { "skipDays", EL_SKIP_DAYS }, { "skipHours", EL_SKIP_HOURS },
	{ "source", EL_SOURCE }, { "subtitle", EL_ATOM_SUBTITLE },
	{ "summary", EL_ATOM_SUMMARY }, { "tagline", EL_ATOM_SUBTITLE },
	{ "tags", EL_TAGS }, { "textInput", EL_TEXTINPUT }, { "textinput", EL_TEXTINPUT },
	{ "title", EL_TITLE }, { "ttl", EL_TTL }, { "updated", EL_ATOM_UPDATED }, { "uri", EL_URI },
	{ "url", EL_URI }, { "webMaster", EL_WEBMASTER },
};

static const names_el names_atom[] = {
	{ "author", EL_ATOM_AUTHOR }, { "category", EL_ATOM_CATEGORY },
	{ "content", EL_ATOM_CONTENT }, { "contributor", EL_ATOM_CONTRIBUTOR },
	{ "created", EL_ATOM_CREATED }, { "email", EL_EMAIL }, { "entry", EL_ENTRY },
	{ "feed", EL_FEED }, { "generator", EL_GENERATOR }, { "homepage", EL_URI },
	{ "id", EL_ATOM_ID }, { "issued", EL_ATOM_ISSUED },
	{ "item", EL_ENTRY }, /* some Atom 0.3 feeds named their entries RSS's way */
	{ "link", EL_ATOM_LINK }, { "modified", EL_ATOM_MODIFIED }, { "name", EL_NAME },
	{ "published", EL_ATOM_PUBLISHED }, { "source", EL_SOURCE },
	{ "subtitle", EL_ATOM_SUBTITLE }, { "summary", EL_ATOM_SUMMARY },
	{ "tagline", EL_ATOM_SUBTITLE }, { "title", EL_ATOM_TITLE },
	{ "updated", EL_ATOM_UPDATED }, { "uri", EL_URI }, { "url", EL_URI },
};

static const names_el names_dc[] = {
	{ "author", EL_DC_CREATOR }, { "contributor", EL_DC_CONTRIBUTOR },
	{ "creator", EL_DC_CREATOR }, { "date", EL_DC_DATE },
	{ "description", EL_DC_DESCRIPTION }, { "identifier", EL_DC_IDENTIFIER },
	{ "language", EL_DC_LANGUAGE }, { "subject", EL_DC_SUBJECT }, { "title", EL_DC_TITLE },
};

static const names_el names_dcterms[] = {
	{ "created", EL_DCT_CREATED }, { "date", EL_DC_DATE },
	{ "issued", EL_DCT_ISSUED }, { "modified", EL_DCT_MODIFIED },
};

static const names_el names_content[] = { { "encoded", EL_CONTENT_ENCODED } };
static const names_el names_rdf[] = { { "RDF", EL_RDF } };
static const names_el names_xhtml[] = { { "body", EL_XHTML_BODY }, { "div", EL_XHTML_DIV }, { "html", EL_HTML } };
static const names_el names_media[] = {
	{ "category", EL_MEDIA_CATEGORY }, { "content", EL_MEDIA_CONTENT },
	{ "description", EL_MEDIA_DESCRIPTION },
	{ "group", EL_MEDIA_GROUP }, { "title", EL_MEDIA_TITLE },
};
static const names_el names_sy[] = {
	{ "updateFrequency", EL_SY_FREQUENCY }, { "updatePeriod", EL_SY_PERIOD },
};
static const names_el names_itunes[] = {
	{ "author", EL_ITUNES_AUTHOR }, { "category", EL_ITUNES_CATEGORY },
	{ "keywords", EL_ITUNES_KEYWORDS }, { "subtitle", EL_ITUNES_SUBTITLE },
	{ "summary", EL_ITUNES_SUMMARY },
};

/* bsearch comparator: a name against a table entry. */
static int
names_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const names_el *)entry)->name);
}

#define NAMES_FIND(tab, local) \
	((const names_el *)bsearch((local), (tab), sizeof(tab) / sizeof((tab)[0]), sizeof((tab)[0]), names_cmp))

/*
 * Returns the RSS element local names when its case is not the one RSS
 * writes (<TiTlE>, <PUBDATE>), or NULL. Readers such as iTunes take RSS's
 * names whatever their case. CDF's upper-case names are left to the exact
 * match (their first letter is never a lower-case one): a name written in
 * another case is read as RSS's.
 */
static const names_el *
names_rss_anycase(const char *local)
{
	int c = tolower((unsigned char)local[0]);
	size_t i;

	for (i = 0; i < sizeof(names_rss) / sizeof(names_rss[0]); i++)
		if (names_rss[i].name[0] == c && !strcasecmp(local, names_rss[i].name))
			return &names_rss[i];
	return NULL;
}

int
fm__names_ns(const char *uri, size_t len)
{
	return names_ns_lookup(uri, len);
}

int
fm__names_element(int ns, const char *local)
{
	const names_el *e = NULL;

	switch (ns) {
	case NS_RSS:
	case NS_RSS090:
	case NS_RSS10:
		if (!(e = NAMES_FIND(names_rss, local)))
			e = names_rss_anycase(local);
		break;
	case NS_ATOM10:
	case NS_ATOM03:
		e = NAMES_FIND(names_atom, local);
		break;
	case NS_DC: e = NAMES_FIND(names_dc, local); break;
	case NS_DCTERMS: e = NAMES_FIND(names_dcterms, local); break;
	case NS_CONTENT: e = NAMES_FIND(names_content, local); break;
	case NS_RDF: e = NAMES_FIND(names_rdf, local); break;
	case NS_XHTML: e = NAMES_FIND(names_xhtml, local); break;
	case NS_MEDIA: e = NAMES_FIND(names_media, local); break;
	case NS_ITUNES: e = NAMES_FIND(names_itunes, local); break;
	case NS_SY: e = NAMES_FIND(names_sy, local); break;
	default: break;
	}
	return e ? e->el : EL_UNKNOWN;
}

/* RSS versions by their version attribute; anything else is "rss", version unknown. */
static const struct {
	const char *version;
	int format;
} names_rss_versions[] = {
	{ "0.91", FM_FORMAT_RSS091U }, { "0.92", FM_FORMAT_RSS092 },
	{ "0.93", FM_FORMAT_RSS093 }, { "0.94", FM_FORMAT_RSS094 },
	{ "2", FM_FORMAT_RSS20 },
};

int
fm__names_rss_format(const char *v, int netscape)
{
	size_t i;

	if (!v)
		return FM_FORMAT_RSS;
	if (!strncmp(v, "2.", 2))
		return FM_FORMAT_RSS20;
	for (i = 0; i < sizeof(names_rss_versions) / sizeof(names_rss_versions[0]); i++)
		if (!strcmp(v, names_rss_versions[i].version))
			break;
	if (i == sizeof(names_rss_versions) / sizeof(names_rss_versions[0]))
		return FM_FORMAT_RSS;
	/* Only a DOCTYPE tells Netscape's 0.91 from UserLand's. */
	if (names_rss_versions[i].format == FM_FORMAT_RSS091U && netscape)
		return FM_FORMAT_RSS091N;
	return names_rss_versions[i].format;
}

/* HTML void elements, sorted for bsearch. */
static const char *const names_void[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input",
	"link", "meta", "param", "source", "track", "wbr"
};

/* bsearch comparator: a name against a string table entry. */
static int
names_strcmp(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

int
fm__names_html_void(const char *local)
{
	return bsearch(local, names_void, sizeof(names_void) / sizeof(names_void[0]),
		       sizeof(names_void[0]), names_strcmp) != NULL;
}
