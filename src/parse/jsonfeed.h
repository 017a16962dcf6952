/* jsonfeed.h - JSON Feed 1.0/1.1 input, through json-c (internal). */
#ifndef FM_PARSE_JSONFEED_H
#define FM_PARSE_JSONFEED_H

#include <stddef.h>
#include "feedmerge/parse.h"

typedef struct fm__jsonfeed fm__jsonfeed;

/*
 * Makes a JSON Feed reader. base_url (copied, may be NULL) resolves
 * relative URLs; limits must be fully resolved (no zero fields). Items
 * are lent to on_item (may be NULL) one at a time, during push or finish,
 * valid only until it returns. Returns 0 or FM_ENOMEM.
 */
int fm__jsonfeed_new(fm__jsonfeed **out, const char *base_url,
		     const fm_parse_limits *limits, fm_item_cb on_item,
		     void *payload);

/*
 * Pushes UTF-8 JSON text in chunks of any size, delivering each item as
 * soon as its element of "items" is complete (once "version" has shown a
 * JSON Feed). Returns 0 or the code that ended the parse, after which the
 * caller should stop pushing (further pushes return the same code):
 * FM_EPARSE when the text is not JSON (diag says where and what);
 * FM_ELIMIT past max_depth, max_items (exactly max_items delivered), or
 * when one item or other top-level member is longer than
 * 2 * max_field + 4096 bytes or a field longer than max_field; FM_ESTOPPED
 * when on_item returned non-zero; FM_ENOMEM.
 */
int fm__jsonfeed_push(fm__jsonfeed *j, const char *data, size_t len,
		      fm_diag *diag);

/*
 * Ends the text and fills *feed (strings borrowed, valid until
 * fm__jsonfeed_free; all NULL unless the JSON was recognised as a JSON
 * Feed, as far as it was read). *nitems counts the items delivered. May
 * be called after a push failed, and again: it then reports the same.
 * Returns 0; the code that ended a push; FM_EPARSE for truncated JSON;
 * FM_ENOTFEED with diag saying what it is when the JSON is not a JSON
 * Feed (no items were delivered); FM_ELIMIT when a feed field is longer
 * than max_field.
 */
int fm__jsonfeed_finish(fm__jsonfeed *j, fm_feed *feed, size_t *nitems,
			fm_diag *diag);

/* Frees the reader; accepts NULL. */
void fm__jsonfeed_free(fm__jsonfeed *j);

#endif
