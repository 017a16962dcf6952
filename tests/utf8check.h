/* utf8check.h - an independent UTF-8 check for what the parser hands out (tests only). */
#ifndef FM_TESTS_UTF8CHECK_H
#define FM_TESTS_UTF8CHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates,
 * nothing past U+10FFFF), else 0. Written apart from the decoder on
 * purpose, so the tests do not trust the code they check.
 */
static inline int
test_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, c &= 0x07;
		else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
		i += n + 1;
	}
	return 1;
}

#endif
