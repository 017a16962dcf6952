/* jsonfeed.h - JSON Feed 1.0/1.1 input, through json-c (internal). */
#ifndef FM_PARSE_JSONFEED_H
#define FM_PARSE_JSONFEED_H

#include <stddef.h>
#include "feedmerge/parse.h"

typedef struct fm__jsonfeed fm__jsonfeed;

/*
 * Makes a JSON Feed reader. base_url (copied, may be NULL) resolves
 * relative URLs; limits must be fully resolved (no zero fields).
 * Returns 0 or FM_ENOMEM.
 */
int fm__jsonfeed_new(fm__jsonfeed **out, const char *base_url,
		     const fm_parse_limits *limits);

/*
 * Pushes UTF-8 JSON text in chunks of any size. Returns 0, FM_EPARSE when
 * the text is not JSON (diag says where and what), or FM_ELIMIT when it
 * nests deeper than limits->max_depth.
 */
int fm__jsonfeed_push(fm__jsonfeed *j, const char *data, size_t len,
		      fm_diag *diag);

/*
 * Ends the text and delivers every item to on_item, in order, then fills
 * *feed (strings borrowed, valid until fm__jsonfeed_free). *nitems counts
 * the items delivered. Returns 0; FM_EPARSE for truncated or invalid JSON;
 * FM_ENOTFEED with diag saying what it is when the JSON is not a JSON
 * Feed; FM_ELIMIT past max_items or max_field (items before it are
 * delivered); FM_ESTOPPED when on_item returned non-zero.
 */
int fm__jsonfeed_finish(fm__jsonfeed *j, fm_item_cb on_item, void *payload,
			fm_feed *feed, size_t *nitems, fm_diag *diag);

/* Frees the reader; accepts NULL. */
void fm__jsonfeed_free(fm__jsonfeed *j);

#endif
