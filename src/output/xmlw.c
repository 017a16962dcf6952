/* xmlw.c - writing XML 1.0 text and UTF-8 safely. */
#include "output/xmlw.h"
#include "feedmerge/error.h"

#include <string.h>

/* UTF-8 of U+FFFD REPLACEMENT CHARACTER. */
static const char xmlw_fffd[] = "\xef\xbf\xbd";

size_t
fm__utf8_next(const unsigned char *p, uint32_t *cp)
{
	uint32_t c = p[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	/* The NUL terminator is no continuation byte, so this stops at the end. */
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

int
fm__utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		len = fm__utf8_next(p, &cp);
		if (len == 1 || cp == 0xfffe || cp == 0xffff)
			return 0;
		p += len;
	}
	return 1;
}

int
fm__utf8_clean(fm_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	uint32_t cp;
	size_t len;
	int error;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		len = fm__utf8_next(p, &cp);
		if (len > 1 && cp != 0xfffe && cp != 0xffff) {
			p += len;
			continue;
		}
		if ((error = fm_buf_append(out, run, (size_t)(p - run))) < 0 ||
		    (error = fm_buf_puts(out, len == 1 ? xmlw_fffd : "")) < 0)
			return error;
		run = p += len;
	}
	return fm_buf_append(out, run, (size_t)(p - run));
}

/* Returns what replaces the character cp of an XML text (attr 0) or attribute (attr 1): an escape, "" to drop it, or NULL to keep it as it is. */
static const char *
xmlw_replacement(uint32_t cp, size_t len, int attr)
{
	switch (cp) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return attr ? "&quot;" : NULL;
	case '\t': return attr ? "&#9;" : NULL;
	case '\n': return attr ? "&#10;" : NULL;
	case '\r': return "&#13;";
	case 0xfffe: case 0xffff: return "";
	case 0xfffd: return len == 1 ? xmlw_fffd : NULL; /* malformed byte */
	default: return cp < 0x20 ? "" : NULL;
	}
}

int
fm__xml_escape(fm_buf *out, const char *s, int attr)
{
	const unsigned char *p, *run;
	const char *rep;
	uint32_t cp;
	size_t len;
	int error;

	if (!s)
		return 0;
	for (p = run = (const unsigned char *)s; *p; p += len) {
		len = fm__utf8_next(p, &cp);
		if (!(rep = xmlw_replacement(cp, len, attr)))
			continue;
		if ((error = fm_buf_append(out, run, (size_t)(p - run))) < 0 ||
		    (error = fm_buf_puts(out, rep)) < 0)
			return error;
		run = p + len;
	}
	return fm_buf_append(out, run, (size_t)(p - run));
}
