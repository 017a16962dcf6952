/* utf8.h - writing code points as UTF-8 (internal, shared by the parser and the text module). */
#ifndef FM_UTIL_UTF8_H
#define FM_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes code point cp (a Unicode scalar value) as UTF-8 to b and returns its length (1-4). */
size_t fm__utf8_encode(char *b, uint32_t cp);

#endif
