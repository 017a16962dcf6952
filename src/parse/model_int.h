/*
 * model_int.h - what model.c (element tables, contexts, dispatch),
 * capture.c (text capture and conversion) and record.c (item and feed
 * records) share (internal).
 */
#ifndef FM_PARSE_MODEL_INT_H
#define FM_PARSE_MODEL_INT_H

#include <stddef.h>

#include "parse/model.h"

/* How captured text is read. */
enum {
	TK_PLAIN,   /* text; child tags ignored */
	TK_HTML,    /* HTML source as text; naked child elements serialised */
	TK_XHTML,   /* XML content: text escaped, child elements serialised */
	TK_TEXT,    /* Atom type="text": text to be escaped for HTML fields */
	TK_B64HTML, /* Atom 0.3 mode="base64" */
	TK_B64TEXT,
	TK_B64ANY,  /* Atom 1.0 content of a non-text, non-XML type: base64 of what is guessed */
	TK_ATOM     /* an Atom text construct: decided by its attributes */
};

/* A list the captured text is added to, beside the string fields. */
#define ML_CATEGORY MF_NFIELDS
/* A list of contributors, given as RSS-style person strings. */
#define ML_CONTRIBUTOR (MF_NFIELDS + 1)
/* iTunes keywords: comma-separated categories. */
#define ML_KEYWORDS (MF_NFIELDS + 2)
/* The URL of an Atom link that has no href. */
#define ML_LINK (MF_NFIELDS + 3)
/* A polling hint of the channel (ttl, sy:updatePeriod, a skipHours hour...): read by hints.c. */
#define ML_HINT (MF_NFIELDS + 4)

/* model.c */

/* Sets the status that ends the parse, with a message; the first one wins. */
void __attribute__((format(printf, 3, 4)))
fm__model_fail(fm__model *m, int status, const char *fmt, ...);

/* Counts a value that had to be dropped; the first one is kept with its line. */
void __attribute__((format(printf, 2, 3)))
fm__model_warn(fm__model *m, const char *fmt, ...);

/* Returns the value of attribute local (no namespace) in atts, or NULL; one longer than max_field ends the parse. */
const char *fm__model_attr(fm__model *m, const char **atts, const char *local);

/* Returns the record fields go to: the open item, else the feed (inline: asked for every field). */
static inline model_record *
fm__model_rec(fm__model *m)
{
	return m->in_item ? &m->item : &m->feed;
}

/* Returns the base URL in force (borrowed, valid until the element that set it ends). */
const char *fm__model_base(const fm__model *m);

/* Returns the xml:lang in force (borrowed), or NULL. */
const char *fm__model_lang(const fm__model *m);

/* Resolves ref against the base in force into m->tmp; returns 0 or FM_ENOMEM. */
int fm__model_resolve(fm__model *m, const char *ref);

/*
 * Takes an Atom link (href not yet resolved; the rest may be NULL): one of
 * the record's links, and maybe its alternate link or an enclosure.
 */
void fm__model_link(fm__model *m, const char *href, const char *rel, const char *type,
		    const char *title, const char *length);

/* Pushes a frame; returns 0, or sets the status (depth limit, memory) and returns it. */
int fm__model_push(fm__model *m, int el, int ctx);

/* capture.c */

/* Starts capturing the text of the element el into field, read as kind. */
void fm__model_capture(fm__model *m, int el, int field, int rank, int kind, const char **atts);

/* Appends captured bytes (HTML-escaped when escape is set), enforcing max_field. */
void fm__model_cap_append(fm__model *m, const char *s, size_t len, int escape);

/* Serialises a start tag inside HTML/XHTML content. */
void fm__model_cap_start_tag(fm__model *m, const char *local, const char **atts);

/* Ends a capture: converts the text and stores it where it belongs. */
void fm__model_capture_end(fm__model *m);

/* hints.c */

/* Takes the text (trimmed) of the channel's polling hint element el (EL_TTL, EL_HOUR...). */
void fm__model_hint(fm__model *m, int el, const char *text);

/* Fills out with the polling hints the channel gave. */
void fm__model_hints(const fm__model *m, fm_feed_hints *out);

/* record.c */

/* Empties a record for reuse, keeping its memory. */
void fm__model_record_clear(model_record *r);

/* Frees a record's memory. */
void fm__model_record_dispose(model_record *r);

/* Grows an array of n elements of size sz to hold at least n + 1; returns 0 or FM_ENOMEM. */
int fm__model_reserve(void **arr, size_t *alloc, size_t n, size_t sz);

/* Adds an enclosure to the item unless one with the same URL is there; keeps the status on failure. */
void fm__model_add_enclosure(fm__model *m, const char *url, const char *type, const char *length);

/*
 * Adds a category (term of len bytes; scheme and label may be NULL) to the
 * record in force, unless its term is empty or there already.
 */
void fm__model_add_category(fm__model *m, const char *term, size_t len, const char *scheme,
			    const char *label);

/* Adds a person to the record in force; uri may be NULL. Nothing when all parts are empty. */
void fm__model_add_person(fm__model *m, const fm_buf *name, const fm_buf *email, const fm_buf *uri,
			  int contributor);

/* Adds an RSS-style person string ("me@example.com (Name)") to the record in force. */
void fm__model_add_person_string(fm__model *m, const char *s, int contributor);

/* Adds a link (href already absolute, or NULL when it has none; rel NULL means "alternate") to the record in force. */
void fm__model_add_link(fm__model *m, const char *href, const char *rel, const char *type,
			const char *title, const char *length);

/* Sets a string field from m->tmp when rank beats the field's current source. */
void fm__model_set(fm__model *m, model_record *r, int field, int rank);

/*
 * Returns the field that keeps the xml:base in force where text field
 * field (title, subtitle, summary, content) was written.
 */
static inline int
fm__model_base_field(int field)
{
	return field == MF_TITLE ? MF_TITLE_BASE : field == MF_SUBTITLE ? MF_SUBTITLE_BASE :
	       field == MF_SUMMARY ? MF_SUMMARY_BASE : MF_CONTENT_BASE;
}

/* Returns the field that keeps the xml:lang in force where text field field was written. */
static inline int
fm__model_lang_field(int field)
{
	return fm__model_base_field(field) - MF_TITLE_BASE + MF_TITLE_LANG;
}

/* Hands the finished item to the callback and clears it. */
void fm__model_item_emit(fm__model *m);

#endif
