/* output_int.h - what the writers share (internal). */
#ifndef FM_OUTPUT_OUTPUT_INT_H
#define FM_OUTPUT_OUTPUT_INT_H

#include "feedmerge/buf.h"
#include "feedmerge/output.h"

#include <stdint.h>

/*
 * A writer with a sticky error: the first failed append is kept in error
 * and every later call does nothing, so a renderer can write a whole
 * document and check once at the end.
 */
typedef struct fm__outw {
	fm_buf *out;     /* where the text goes (borrowed) */
	fm_buf scratch;  /* reused for text that needs cleaning first */
	fm_buf iri;      /* the last IRI fm__outw_iri had to encode */
	int error;       /* 0, or the first failure (FM_ENOMEM) */
} fm__outw;

/* Appends s unchanged. */
void fm__outw_puts(fm__outw *w, const char *s);

/* Appends formatted text. */
void fm__outw_printf(fm__outw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends s escaped as XML character data (see fm__xml_escape). */
void fm__outw_text(fm__outw *w, const char *s);

/* Appends s escaped for a double-quoted XML attribute value. */
void fm__outw_attr(fm__outw *w, const char *s);

/* Appends s as a JSON string literal (null for NULL), malformed UTF-8 replaced by U+FFFD. */
void fm__outw_json(fm__outw *w, const char *s);

/* Appends ` name="value"` when value is set and non-empty, else nothing. */
void fm__outw_xml_attr(fm__outw *w, const char *name, const char *value);

/* Appends indent spaces, <name>text</name> and a newline when text is set and non-empty. */
void fm__outw_xml_elem(fm__outw *w, int indent, const char *name, const char *text);

/* Appends indent spaces, <tag rel= href= type= length= title=/> and a newline; href goes through fm__outw_iri; attributes that are NULL or empty are left out. */
void fm__outw_xml_link(fm__outw *w, int indent, const char *tag, const char *rel,
		       const char *href, const char *title, const char *type,
		       const char *length);

/*
 * Appends the output's id as XML text: "urn:feedmerge:output:" and its
 * name, percent-encoding what an IRI may not hold (RFC 3987). Atom's feed
 * id (RFC 4287 section 4.2.6 wants an IRI), and RSS's channel link when
 * the output has no link of its own.
 */
void fm__outw_output_id(fm__outw *w, const char *name);

/*
 * Returns s as an IRI (RFC 3987): s itself when it is one, else a copy in
 * w->iri with what an IRI cannot hold percent-encoded -- controls, space,
 * '"', '<', '>', '\\', '^', '`', '{', '|', '}' and a '%' that starts no
 * %XX escape -- valid until the next call. NULL gives NULL; so does a
 * failed allocation (the error sticks in w).
 */
const char *fm__outw_iri(fm__outw *w, const char *s);

/* Returns 1 when s is an e-mail address in RFC 2822's dot-atom form (local@domain, ASCII, no space), else 0. */
int fm__output_is_email(const char *s);

/* Returns 1 when s is set and not empty, else 0. */
static inline int
fm__output_has(const char *s)
{
	return s && *s;
}

/* Returns 1 when s is a non-empty run of ASCII digits (an enclosure length we can pass on), else 0. */
int fm__output_is_digits(const char *s);

/* Returns the feed's updated time: the newest entry's, or 0 (1970) when there are none. */
fm_time fm__output_updated(const fm_entry *entries, size_t n);

/* Returns the entry's title: the representative's, else its feed's title, else "(untitled)" (borrowed). */
const char *fm__output_title(const fm_entry *e);

/* Returns a name for the member's feed: its own title, else the [feed NAME], else "unknown" (borrowed). */
const char *fm__output_feed_name(const fm_member *m);

/* Size of the buffer fm__output_rfc822 fills. */
#define FM__OUTPUT_RFC822_BUFSZ 40

/* Writes t as an RFC 822 date in UTC ("Mon, 02 Jan 2006 15:04:05 +0000") into out; returns out. */
char *fm__output_rfc822(char out[FM__OUTPUT_RFC822_BUFSZ], fm_time t);

/* Renders Atom 1.0 (RFC 4287) into w. */
void fm__output_atom(fm__outw *w, const fm_config_output *cfg,
		     const fm_entry *entries, size_t n);

/* Renders RSS 2.0 into w. */
void fm__output_rss(fm__outw *w, const fm_config_output *cfg,
		    const fm_entry *entries, size_t n);

/* Renders JSON Feed 1.1 into w. */
void fm__output_json(fm__outw *w, const fm_config_output *cfg,
		     const fm_entry *entries, size_t n);

/* Renders the HTML river page into w. */
void fm__output_html(fm__outw *w, const fm_config_output *cfg,
		     const fm_entry *entries, size_t n);

#endif
