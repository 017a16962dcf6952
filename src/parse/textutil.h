/* textutil.h - small text helpers the feed parser needs (internal). */
#ifndef FM_PARSE_TEXTUTIL_H
#define FM_PARSE_TEXTUTIL_H

#include <stddef.h>
#include "feedmerge/buf.h"

/*
 * Splits an RSS-style author string into its parts, each appended to its
 * buffer (cleared first): "me@example.com (Jane Doe)", "Jane Doe
 * <me@example.com>", "mailto:me@example.com", a bare address, or a bare
 * name. A part that is absent leaves its buffer empty. Returns 0 or FM_ENOMEM.
 */
int fm__person_split(const char *s, fm_buf *name, fm_buf *email);

/*
 * Decodes base64 (RFC 4648, whitespace ignored, padding optional) from
 * in[0..len) and appends the bytes to out. Returns 0, FM_ENOMEM, or
 * FM_EINVAL on a character outside the alphabet.
 */
int fm__base64_decode(fm_buf *out, const char *in, size_t len);

/* Returns 1 when s (len bytes) looks like HTML markup: a known tag or an entity reference. */
int fm__looks_like_html(const char *s, size_t len);

/*
 * Appends the text of an HTML fragment to out: tags dropped (script and
 * style with their content), character references decoded (named, decimal,
 * hex), runs of white space collapsed to one space, ends trimmed.
 * Returns 0 or FM_ENOMEM.
 */
int fm__html_to_text(fm_buf *out, const char *html, size_t len);

/* Appends s escaped for HTML text and attributes (&, <, >, ") to out; returns 0 or FM_ENOMEM. */
int fm__html_escape(fm_buf *out, const char *s, size_t len);

/* Appends s with leading and trailing ASCII space removed and inner runs collapsed to one space; 0 or FM_ENOMEM. */
int fm__collapse_space(fm_buf *out, const char *s, size_t len);

#endif
