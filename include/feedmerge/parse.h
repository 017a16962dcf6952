/* parse.h - the streaming feed parser: bytes in, items out. */
#ifndef FEEDMERGE_PARSE_H
#define FEEDMERGE_PARSE_H

#include <stddef.h>
#include "feedmerge/item.h"
#include "feedmerge/error.h"

/** Caps that keep hostile input bounded; 0 in a field means "use the default". */
typedef struct fm_parse_limits {
	size_t max_bytes; /**< total input bytes (default 256 MiB) */
	size_t max_items; /**< items per feed (default 100000) */
	size_t max_field; /**< bytes in one field of one item (default 4 MiB) */
	size_t max_depth; /**< element nesting depth (default 256) */
} fm_parse_limits;

/** The default limits, for reference and for the CLI's help text. */
#define FM_PARSE_MAX_BYTES ((size_t)256 << 20)
#define FM_PARSE_MAX_ITEMS ((size_t)100000)
#define FM_PARSE_MAX_FIELD ((size_t)4 << 20)
#define FM_PARSE_MAX_DEPTH ((size_t)256)

/** What the caller knows about the document besides its bytes; every field may be NULL or zero. */
typedef struct fm_parse_opts {
	const char *url;              /**< where the document came from: base for relative URLs */
	const char *content_type;     /**< HTTP Content-Type, for its charset parameter */
	const char *content_location; /**< HTTP Content-Location: overrides url as the base */
	const char *encoding;         /**< forces a charset, overriding BOM, HTTP and declaration */
	const char *content_language; /**< HTTP Content-Language: the language where no xml:lang says one */
	fm_parse_limits limits;
} fm_parse_opts;

/**
 * Called once per completed item, in document order. The item is borrowed
 * (see fm_item). Return 0 to go on, non-zero to stop parsing (the push or
 * finish call then returns FM_ESTOPPED).
 */
typedef int (*fm_item_cb)(const fm_item *item, void *payload);

/**
 * Called once, from fm_parser_finish, with the feed's metadata, when the
 * input was recognised as a feed (even one cut short by an error).
 * Return values as for fm_item_cb.
 */
typedef int (*fm_feed_cb)(const fm_feed *feed, void *payload);

/** How a parse ended; read it after fm_parser_finish. */
typedef struct fm_parse_result {
	fm_format format;       /**< FM_FORMAT_NONE when not a feed */
	char encoding[40];      /**< charset the bytes were decoded from, lower case; "" when unknown */
	int bozo;               /**< 1 when the input was not well-formed or its charset needed repair */
	int recovered;          /**< 1 when items came from the recovery pass after an XML error */
	int status;             /**< 0, or the FM_E* code that ended the parse (FM_ENOTFEED, FM_ELIMIT, ...) */
	size_t items;           /**< items delivered to the item callback */
	size_t bytes;           /**< input bytes pushed */
	fm_diag diag;           /**< when bozo or status != 0: what went wrong and where */
	size_t warnings;        /**< problems that lost a value but not the item (an unparseable date) */
	fm_diag warning;        /**< the first of them */
} fm_parse_result;

/** A push parser for one document; opaque. */
typedef struct fm_parser fm_parser;

/**
 * Makes a parser for one document. opts may be NULL; its strings are
 * copied. Either callback may be NULL. Returns 0 or FM_ENOMEM; free the
 * parser with fm_parser_free.
 */
int fm_parser_new(fm_parser **out, const fm_parse_opts *opts,
		  fm_item_cb on_item, fm_feed_cb on_feed, void *payload);

/**
 * Pushes the next len bytes of the document, in chunks of any size. Items
 * completed by these bytes are delivered before it returns. Returns 0 to
 * ask for more, or a negative code once the parse has ended early (limit,
 * not a feed, a callback stopped it); further pushes are then ignored and
 * return the same code. An XML error is not an end: recovery goes on.
 */
int fm_parser_push(fm_parser *p, const void *data, size_t len);

/**
 * Ends the document: flushes what is pending, runs recovery to the end,
 * delivers the feed callback. Returns 0 when the whole input was parsed as
 * a well-formed feed, 1 when it was parsed after repair (bozo), or a
 * negative code (FM_ENOTFEED, FM_ELIMIT, FM_ESTOPPED, FM_ENOMEM).
 */
int fm_parser_finish(fm_parser *p);

/** Returns the parser's result: borrowed, valid until fm_parser_free. */
const fm_parse_result *fm_parser_result(const fm_parser *p);

/** Frees the parser and everything it lent out; accepts NULL. */
void fm_parser_free(fm_parser *p);

#endif
