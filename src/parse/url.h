/* url.h - resolving references against a base URL (internal). */
#ifndef FM_PARSE_URL_H
#define FM_PARSE_URL_H

#include "feedmerge/buf.h"

/*
 * Resolves ref against base (RFC 3986 section 5) into out, which is
 * cleared first. An absolute ref, or a NULL/empty base, gives ref itself
 * (trimmed of surrounding space). Returns 0 or FM_ENOMEM; a base or ref
 * libcurl cannot make sense of gives ref unchanged.
 */
int fm__url_resolve(fm_buf *out, const char *base, const char *ref);

/* Returns 1 when s starts with a URI scheme ("http:", "mailto:"), else 0. */
int fm__url_is_absolute(const char *s);

/* Returns 1 when URL s may serve as a base: not javascript:, vbscript: or data:. */
int fm__url_is_safe_base(const char *s);

#endif
