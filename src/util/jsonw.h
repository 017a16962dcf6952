/* jsonw.h - writing JSON text into buffers (internal). */
#ifndef FM_UTIL_JSONW_H
#define FM_UTIL_JSONW_H

#include "feedmerge/buf.h"

/*
 * Appends s as a JSON string literal (RFC 8259 section 7), or null when s
 * is NULL. Control characters, '"' and '\\' are escaped; U+2028/U+2029
 * too, so the text is also valid JavaScript. Returns 0 or FM_ENOMEM.
 */
int fm__json_str(fm_buf *out, const char *s);

#endif
