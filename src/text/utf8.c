/*
 * utf8.c - the UTF-8 decoder and encoder the text module shares.
 *
 * The decoder follows Unicode's table 3-7 of well-formed byte sequences:
 * the second byte's range depends on the first (E0 A0-BF, ED 80-9F, F0
 * 90-BF, F4 80-8F), which rules out overlong forms, surrogates and values
 * past U+10FFFF without decoding them first.
 */
#include "text/text_int.h"

/* Decodes one sequence; see text_int.h. */
size_t
fm__text_utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF, v;
	size_t need, k;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4) {
		*cp = -1;
		return 1;
	}
	if (c < 0xE0) {
		need = 1;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	for (k = 1; k <= need; k++) {
		if (k >= len || s[k] < lo || s[k] > hi) {
			*cp = -1;
			return k;
		}
		v = (v << 6) | (s[k] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = (int32_t)v;
	return need + 1;
}
