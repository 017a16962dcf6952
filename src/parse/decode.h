/* decode.h - charset detection and streaming conversion to clean UTF-8 (internal). */
#ifndef FM_PARSE_DECODE_H
#define FM_PARSE_DECODE_H

#include <stddef.h>
#include "feedmerge/buf.h"
#include "feedmerge/error.h"

typedef struct fm__decoder fm__decoder;

/* Receives decoded UTF-8; returns 0 to go on, or a negative code to stop (passed back up). */
typedef int (*fm__decode_sink)(const char *utf8, size_t len, void *payload);

/*
 * Makes a decoder. http_charset is the charset parameter of the HTTP
 * Content-Type (NULL when none); forced, when not NULL, overrides every
 * other source. Both are copied. Returns 0, FM_ENOMEM, or FM_ECHARSET when
 * forced names a charset iconv does not know.
 */
int fm__decoder_new(fm__decoder **out, const char *http_charset, const char *forced);

/*
 * Pushes raw bytes. Decoded, validated UTF-8 goes to sink, in pieces of any
 * size. Returns 0 or the sink's negative code.
 */
int fm__decoder_push(fm__decoder *d, const char *data, size_t len,
		     fm__decode_sink sink, void *payload);

/* Flushes what is buffered (a short document, a truncated sequence). */
int fm__decoder_finish(fm__decoder *d, fm__decode_sink sink, void *payload);

/* The charset in use, lower case ("utf-8", "windows-1252", "utf-16le"...): valid until free. NULL before it is known. */
const char *fm__decoder_encoding(const fm__decoder *d);

/* Returns 1 once bytes had to be repaired or dropped, and fills diag with the first repair; else 0. */
int fm__decoder_repaired(const fm__decoder *d, fm_diag *diag);

/* Frees the decoder; accepts NULL. */
void fm__decoder_free(fm__decoder *d);

/*
 * Rewrites the C1 controls (U+0080-U+009F) in UTF-8 text s[0..len) as the
 * windows-1252 characters they stand for, appending to out. Returns 0
 * when s has none (out untouched), 1 when out holds the rewritten text,
 * or FM_ENOMEM.
 */
int fm__decode_fix_c1(fm_buf *out, const char *s, size_t len);

#endif
