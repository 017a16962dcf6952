/* jsonmap.h - JSON Feed objects to fm_item and fm_feed (internal). */
#ifndef FM_PARSE_JSONMAP_H
#define FM_PARSE_JSONMAP_H

#include <stddef.h>
#include <json-c/json.h>
#include "feedmerge/buf.h"
#include "feedmerge/parse.h"

/* The "version" prefix that marks a JSON Feed; http:// is seen in the wild. */
#define FM__JSONFEED_HTTPS "https://jsonfeed.org/version/"
#define FM__JSONFEED_HTTP "http://jsonfeed.org/version/"

/*
 * Returns 1 when a "version" value marks a JSON Feed: the spec's URL (https
 * or http), or the bare "1", "1.0" or "1.1" some publishers write instead.
 */
int fm__jsonfeed_version_ok(const char *version);

/* Storage behind one attachment of the current item. */
typedef struct jsonmap_att {
	fm_buf url;
	fm_buf length;
} jsonmap_att;

/* Storage behind a person: its address and its resolved URL. */
typedef struct jsonmap_person_bufs {
	fm_buf email;
	fm_buf uri;
} jsonmap_person_bufs;

/*
 * What mapping needs: the limits and base, and the buffers behind the
 * strings it hands out. Zero it, then set base and max_field.
 */
typedef struct fm__jsonmap {
	const char *base;          /* base URL (borrowed), or NULL */
	const char *base_eff;      /* base in use: base, else the feed's feed_url */
	size_t max_field;
	size_t where;              /* 0 for the feed, else the 1-based item index, for diagnostics */

	/* feed strings, valid until the next fm__jsonmap_feed */
	fm_buf feed_link;
	fm_buf feed_self;          /* feed_url, resolved */
	fm_link feed_links[2];     /* home_page_url (alternate), feed_url (self) */
	jsonmap_person_bufs feed_person;

	/* item scratch, cleared and reused for every item */
	fm_buf item_link;
	fm_buf item_external;      /* external_url, resolved */
	fm_link item_links[2];     /* url (alternate), external_url (related) */
	fm_buf item_summary;
	fm_buf item_content;
	jsonmap_person_bufs item_person;
	const char **tags;
	fm_category *cats;         /* the tags as categories (term only): fm_item's tags */
	size_t tags_cap;
	jsonmap_att *atts;
	fm_enclosure *encls;
	size_t atts_cap;
} fm__jsonmap;

/*
 * Checks that root is a JSON Feed object and fills *feed from it, setting
 * m->base_eff. Strings are borrowed from root and m, valid until either
 * changes. Returns 0, FM_ENOTFEED, FM_ENOMEM or FM_ELIMIT (diag says which).
 */
int fm__jsonmap_feed(fm__jsonmap *m, struct json_object *root, fm_feed *feed,
		     fm_diag *diag);

/*
 * Fills *item from the item object o (m->where names it in messages); an
 * item without an author takes feed->author. Strings are borrowed from o,
 * feed and m, valid until the next call. Returns 0, FM_ENOMEM or FM_ELIMIT.
 */
int fm__jsonmap_item(fm__jsonmap *m, struct json_object *o, const fm_feed *feed,
		     fm_item *item, fm_diag *diag);

/* Frees the buffers m holds and zeroes it; cannot fail. */
void fm__jsonmap_dispose(fm__jsonmap *m);

#endif
