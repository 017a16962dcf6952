/* textutil.h - small text helpers the feed parser needs (internal). */
#ifndef FM_PARSE_TEXTUTIL_H
#define FM_PARSE_TEXTUTIL_H

#include <stddef.h>
#include <stdint.h>
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

/* Appends s with leading and trailing ASCII space removed and inner runs collapsed to one space; 0 or FM_ENOMEM. */
int fm__collapse_space(fm_buf *out, const char *s, size_t len);

/*
 * Appends s with the references to &, <, >, " and ' (named or numeric, and
 * &#x2F;) read once more, as feedparser reads a URL given as text: what a
 * feed that escaped its links twice ("&amp;amp;") meant. 0 or FM_ENOMEM.
 */
int fm__unescape_twice_escaped(fm_buf *out, const char *s, size_t len);

/*
 * ASCII helpers shared with html.c (locale-free, unlike <ctype.h>).
 */

/* Returns 1 for ASCII white space (space, tab, LF, CR, FF), else 0. */
int fm__text_is_space(int c);

/* Returns 1 for the code points past ASCII that count as white space: Unicode's Zs, NEL, U+2028 and U+2029 (inline: HTML to text asks it of every character). */
static inline int
fm__text_is_uspace(int32_t cp)
{
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Returns c in lower case (ASCII letters only; every other value unchanged). */
int fm__text_lower(int c);

/* Returns 1 when a[0..n) equals the lower-case b[0..n), ignoring ASCII case; both are borrowed. */
int fm__text_case_eq(const char *a, const char *b, size_t n);

/* Narrows the borrowed range *p, *n to exclude leading and trailing ASCII white space. */
void fm__text_trim(const char **p, size_t *n);

/* Truncates out back to size (undoing a partial append after a failure) and returns error unchanged. */
int fm__text_rollback(fm_buf *out, size_t size, int error);

/* Returns the value of hex digit c ('0'-'9', 'a'-'f', 'A'-'F'), or -1. */
int fm__hex_value(int c);

#endif
