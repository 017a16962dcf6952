/* item.h - what the parser yields: one feed's metadata and its items. */
#ifndef FEEDMERGE_ITEM_H
#define FEEDMERGE_ITEM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** Unix seconds; 0 means the date is unknown. */
typedef int64_t fm_time;

/** A person (RFC 4287 atomPersonConstruct); any field may be NULL. */
typedef struct fm_person {
	const char *name;
	const char *email;
	const char *uri;
} fm_person;

/** A media enclosure (RSS enclosure, Atom rel="enclosure", media:content). */
typedef struct fm_enclosure {
	const char *url;    /**< absolute when a base URL was known */
	const char *type;   /**< MIME type, or NULL */
	const char *length; /**< byte length as the feed wrote it, or NULL */
} fm_enclosure;

/** A link (Atom link, RSS enclosure as rel "enclosure"); any field may be NULL (href: an Atom link that gave none). */
typedef struct fm_link {
	const char *href;   /**< absolute when a base URL was known */
	const char *rel;    /**< "alternate" when the feed named none */
	const char *type;
	const char *title;
	const char *length;
} fm_link;

/** A category (Atom category, RSS category, dc:subject); scheme and label may be NULL. */
typedef struct fm_category {
	const char *term;
	const char *scheme; /**< Atom scheme or RSS domain */
	const char *label;
} fm_category;

/** What a text value holds (RFC 4287 3.1 text constructs; RSS text that looks like HTML is HTML). */
typedef enum fm_text_type {
	FM_TEXT_PLAIN = 0, /**< plain text */
	FM_TEXT_HTML,      /**< an HTML fragment */
	FM_TEXT_XHTML      /**< XHTML: the children of Atom's wrapper div, serialised */
} fm_text_type;

/**
 * Returns the MIME type feed readers name a text type by ("text/plain",
 * "text/html", "application/xhtml+xml"): a static string.
 */
const char *fm_text_type_name(fm_text_type type);

/** A text value with what the feed said about it (feedparser's *_detail). */
typedef struct fm_text {
	const char *value;  /**< the text as the feed meant it, read as type; NULL when absent */
	fm_text_type type;
	const char *base;   /**< the base URL in force where it was written (xml:base), or NULL */
	const char *language; /**< the xml:lang in force where it was written, or NULL */
} fm_text;

/**
 * One item (RSS item, Atom entry, JSON Feed item).
 * Every pointer is borrowed from the parser and valid only during the item
 * callback; whoever keeps an item copies what it needs. Strings are UTF-8
 * and NUL-terminated; a missing string is NULL. title is plain text;
 * summary and content are HTML fragments.
 */
typedef struct fm_item {
	const char *id;        /**< guid, Atom id, rdf:about or JSON id */
	const char *title;     /**< plain text */
	fm_text title_detail;  /**< the title as the feed meant it: text, or HTML with links made absolute */
	const char *link;      /**< alternate link, absolute when a base URL was known */
	fm_text subtitle_detail; /**< an item's subtitle (itunes:subtitle), as the feed meant it; value NULL when none */
	fm_person author;
	const char *summary;   /**< HTML */
	const char *content;   /**< HTML */
	fm_text summary_detail; /**< value is summary (HTML either way); type says what the feed wrote */
	fm_text content_detail; /**< value is content; type says what the feed wrote */
	const char *const *categories; /**< ncategories terms */
	size_t ncategories;
	const fm_enclosure *enclosures; /**< nenclosures entries */
	size_t nenclosures;
	const fm_category *tags; /**< the categories with scheme and label: tags[i].term is categories[i] */
	const fm_person *authors; /**< every author, in document order (author is the first) */
	size_t nauthors;
	const fm_person *contributors;
	size_t ncontributors;
	const fm_link *links;  /**< every link (Atom links, RSS link and enclosures), in document order */
	size_t nlinks;
	fm_time published;
	fm_time updated;
	const char *published_text; /**< published as the feed wrote it, or NULL */
	const char *updated_text;   /**< updated as the feed wrote it, or NULL */
	const char *language;  /**< dc:language, or NULL */
	const char *feed;      /**< name of the configured source feed; NULL from the parser */
} fm_item;

/**
 * An item's story time: published, else updated (RSS 1.0 dc:date, an Atom
 * entry with only <updated>), else when (the caller's first-seen time).
 * The state's SQL uses the same rule (0 is unknown; any other value, even
 * before 1970, is a time).
 */
static inline fm_time
fm_item_time(const fm_item *item, fm_time when)
{
	return item->published ? item->published : item->updated ? item->updated : when;
}

/**
 * Returns the item's title as HTML when the feed's title has markup (type
 * html or xhtml, with a tag in it), else NULL: plain text says all of it.
 * A borrowed pointer into the item. Writers that can carry HTML (Atom's
 * type="html") use it; the others, and clustering, use title.
 */
static inline const char *
fm_item_title_html(const fm_item *item)
{
	const fm_text *t = &item->title_detail;

	return t->type != FM_TEXT_PLAIN && t->value && strchr(t->value, '<') ? t->value : NULL;
}

/** Feed formats the parser recognises. */
typedef enum fm_format {
	FM_FORMAT_NONE = 0, /**< not (yet) recognised */
	FM_FORMAT_RSS090,
	FM_FORMAT_RSS091U,  /**< UserLand RSS 0.91 */
	FM_FORMAT_RSS091N,  /**< Netscape RSS 0.91 */
	FM_FORMAT_RSS092,
	FM_FORMAT_RSS093,
	FM_FORMAT_RSS094,
	FM_FORMAT_RSS20,
	FM_FORMAT_RSS,      /**< RSS, version unknown */
	FM_FORMAT_RSS10,
	FM_FORMAT_ATOM03,
	FM_FORMAT_ATOM10,
	FM_FORMAT_ATOM,     /**< Atom, version unknown */
	FM_FORMAT_JSONFEED,
	FM_FORMAT_CDF       /**< Microsoft's Channel Definition Format */
} fm_format;

/** Returns the format's short name ("rss2.0", "atom1.0", ... "" for none): a static string. */
const char *fm_format_name(fm_format format);

/**
 * What a feed says about how often to poll it: RSS 2.0's ttl, skipHours
 * and skipDays and RSS 1.0's sy:updatePeriod / sy:updateFrequency, read
 * at channel level (never inside an item). A plain value, no pointers.
 */
typedef struct fm_feed_hints {
	int ttl;             /**< RSS <ttl> in minutes (1 to a week), -1 when absent */
	int64_t sy_seconds;  /**< sy:updatePeriod / sy:updateFrequency in seconds, 0 when absent */
	uint32_t skip_hours; /**< RSS <skipHours>: bit h set for hour h (0-23, UTC); all 24: 0 */
	uint8_t skip_days;   /**< RSS <skipDays>: bit d set for day d (0 = Sunday, UTC); all 7: 0 */
} fm_feed_hints;

/** An fm_feed_hints initialiser: a feed that gives no hints. */
#define FM_FEED_HINTS_NONE { -1, 0, 0, 0 }

/**
 * A feed's own metadata. Borrowed from the parser, valid only during the
 * feed callback. Strings as in fm_item.
 */
typedef struct fm_feed {
	fm_format format;
	const char *title;     /**< plain text */
	fm_text title_detail;  /**< as the feed meant it (see fm_item) */
	const char *link;      /**< the site's home page */
	const char *subtitle;  /**< plain text */
	fm_text subtitle_detail;
	const char *id;
	fm_person author;
	fm_time updated;
	fm_time published;
	const char *updated_text;   /**< updated as the feed wrote it, or NULL */
	const char *published_text; /**< published as the feed wrote it, or NULL */
	const char *language;  /**< RSS language, dc:language, else the root's xml:lang; or NULL */
	const fm_category *tags; /**< the feed's own categories */
	size_t ntags;
	const fm_person *authors;
	size_t nauthors;
	const fm_person *contributors;
	size_t ncontributors;
	const fm_link *links;
	size_t nlinks;
	const char *generator;         /**< the generator's name, or NULL */
	const char *generator_uri;
	const char *generator_version;
	fm_feed_hints hints;           /**< its polling hints (JSON Feed: none) */
} fm_feed;

#endif
