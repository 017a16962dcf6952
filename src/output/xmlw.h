/* xmlw.h - writing XML 1.0 text and UTF-8 safely (internal). */
#ifndef FM_OUTPUT_XMLW_H
#define FM_OUTPUT_XMLW_H

#include "feedmerge/buf.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the UTF-8 sequence at p (NUL-terminated text) into *cp and
 * returns its length, 1-4. A malformed sequence (stray continuation,
 * overlong form, surrogate, beyond U+10FFFF, cut short) gives U+FFFD and
 * length 1, so the caller moves on by one byte.
 */
size_t fm__utf8_next(const unsigned char *p, uint32_t *cp);

/* Returns 1 when the NUL-terminated s is well-formed UTF-8 free of the noncharacters U+FFFE and U+FFFF, else 0. */
int fm__utf8_valid(const char *s);

/*
 * Appends s with every malformed UTF-8 sequence replaced by U+FFFD and
 * U+FFFE and U+FFFF dropped (feedmerge's own parser, like XML, takes them
 * for damage); returns 0 or FM_ENOMEM.
 */
int fm__utf8_clean(fm_buf *out, const char *s);

/*
 * Appends s escaped for XML 1.0: '&', '<' and '>' always; with attr set
 * also '"', and tab, LF and CR as character references so attribute-value
 * normalisation keeps them. CR in text becomes &#13; too. Characters XML
 * 1.0 forbids (section 2.2: C0 controls other than tab, LF, CR; U+FFFE,
 * U+FFFF) are dropped, malformed UTF-8 becomes U+FFFD. A NULL s appends
 * nothing. Returns 0 or FM_ENOMEM.
 */
int fm__xml_escape(fm_buf *out, const char *s, int attr);

#endif
