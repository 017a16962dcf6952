/* text_int.h - UTF-8 helpers the text module's files share (internal to src/text). */
#ifndef FM_TEXT_TEXT_INT_H
#define FM_TEXT_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

/* UTF-8 of U+FFFD REPLACEMENT CHARACTER, what malformed input becomes. */
#define FM_TEXT_FFFD "\357\277\275"

/*
 * Decodes the UTF-8 sequence at s[0..len), len > 0, and returns how many
 * bytes it takes (1-4). *cp is the code point, or -1 when the bytes are
 * malformed (overlong, surrogate, past U+10FFFF, cut short, stray
 * continuation); the length is then that of the maximal ill-formed
 * subpart, so each one becomes a single U+FFFD, as Unicode (chapter 3,
 * "U+FFFD substitution of maximal subparts") and WHATWG's decoder do.
 */
size_t fm__text_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);

#endif
