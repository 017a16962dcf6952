/*
 * html.h - the HTML inside feed text: detecting, flattening, escaping
 * (html.c), making its URLs absolute (htmlurl.c) (internal).
 */
#ifndef FM_PARSE_HTML_H
#define FM_PARSE_HTML_H

#include <stddef.h>
#include "feedmerge/buf.h"

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

/*
 * Appends html[0..len) to out with the URL-valued attributes of its start
 * tags made absolute against base (RFC 3986 section 5, through
 * fm__url_resolve): href, src, cite, action, background, longdesc, poster,
 * usemap, and the URL of each srcset candidate, on any element, names in
 * any case. Values are decoded, resolved, and written back double-quoted
 * with &, <, > and " escaped. Left byte for byte as written: everything
 * else, text, comments, CDATA, end tags, the content of script, style,
 * textarea, title and the other raw text elements, unterminated tags, and
 * values that are empty, absolute (javascript:, data:, any scheme), only a
 * fragment ("#top", kept an in-page anchor; feedparser resolves it), or
 * that libcurl cannot resolve. Protocol-relative "//host/x" is resolved. A
 * NULL or empty base, or html without '<', appends html unchanged without
 * calling libcurl. html and base are borrowed; one pass, never reads past
 * len. Returns 0 or FM_ENOMEM (out unchanged then).
 */
int fm__html_resolve_urls(fm_buf *out, const char *html, size_t len, const char *base);

/*
 * fm__html_resolve_urls(), except that when no URL changes it appends
 * nothing and returns 1 (html is then the result as it is). Returns 0, 1
 * or FM_ENOMEM (out unchanged then).
 */
int fm__html_resolve_urls_changed(fm_buf *out, const char *html, size_t len, const char *base);

#endif
