/* jsonw.c - writing JSON text into buffers. */
#include "util/jsonw.h"
#include "feedmerge/error.h"

#include <stdio.h>
#include <string.h>

int
fm__json_str(fm_buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p, *run;
	char esc[7];
	int error;

	if (!s)
		return fm_buf_puts(out, "null");
	if ((error = fm_buf_putc(out, '"')) < 0)
		return error;
	for (p = run = (const unsigned char *)s; *p; p++) {
		const char *rep = NULL;
		size_t skip = 1;

		if (*p == '"')
			rep = "\\\"";
		else if (*p == '\\')
			rep = "\\\\";
		else if (*p == '\n')
			rep = "\\n";
		else if (*p == '\r')
			rep = "\\r";
		else if (*p == '\t')
			rep = "\\t";
		else if (*p < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			esc[6] = '\0';
			rep = esc;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			rep = p[2] == 0xa8 ? "\\u2028" : "\\u2029";
			skip = 3;
		}
		if (!rep)
			continue;
		if ((error = fm_buf_append(out, run, (size_t)(p - run))) < 0 ||
		    (error = fm_buf_puts(out, rep)) < 0)
			return error;
		p += skip - 1;
		run = p + 1;
	}
	if ((error = fm_buf_append(out, run, (size_t)(p - run))) < 0)
		return error;
	return fm_buf_putc(out, '"');
}
