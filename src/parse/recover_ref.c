/*
 * recover_ref.c - character and entity references for the recovery
 * tokenizer, in text and in attribute values (internal).
 */
#include "parse/recover_int.h"
#include "parse/entities.h"

#include <stdlib.h>
#include <string.h>

/* Appends code point cp as UTF-8, U+FFFD when XML forbids it; returns 0 or FM_ENOMEM. */
static int
recover_put_utf8(fm_buf *out, unsigned long cp)
{
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	char u[4];
	int n, k;

	if (!(cp == 0x9 || cp == 0xA || cp == 0xD ||
	      (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	      (cp >= 0x10000 && cp <= 0x10FFFF)))
		cp = 0xFFFD;
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (k = n - 1; k > 0; k--, cp >>= 6)
		u[k] = (char)(0x80 | (cp & 0x3F));
	u[0] = (char)(lead[n] | cp);
	return fm_buf_append(out, u, (size_t)n);
}

/* Decodes "#NNN" or "#xHH" into out; returns 1, 0 when malformed, or FM_ENOMEM. */
static int
recover_numref(fm_buf *out, const char *s, size_t n)
{
	char num[RECOVER_REF_MAX + 1], *end;
	int hex = n > 1 && (s[1] == 'x' || s[1] == 'X'), error;
	unsigned long cp;

	/* The name has only [A-Za-z0-9#], so strtoul sees no sign or space. */
	if (n < 2u + (size_t)hex || n > RECOVER_REF_MAX)
		return 0;
	memcpy(num, s + 1 + hex, n - 1 - (size_t)hex);
	num[n - 1 - (size_t)hex] = '\0';
	cp = strtoul(num, &end, hex ? 16 : 10);
	if (*end)
		return 0;
	return (error = recover_put_utf8(out, cp)) < 0 ? error : 1;
}

/*
 * Decodes one reference s[0..n) ('&', name characters, maybe ';') into
 * out, or copies it as literal text when it is no reference we know.
 * Without ';' only amp, lt, gt, quot and nbsp are decoded, as browsers do
 * for the common ones. Returns 0 or FM_ENOMEM.
 */
int
fm__recover_ref(fm_buf *out, const char *s, size_t n)
{
	static const char *const known[][2] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "nbsp", "\xC2\xA0" }, { "apos", "'" },
	};
	const char *name = s + 1, *v;
	int semi = n > 1 && s[n - 1] == ';', error;
	size_t nlen = n - 1 - (size_t)semi, vlen, i;

	if (semi && nlen && name[0] == '#') {
		if ((error = recover_numref(out, name, nlen)) != 0)
			return error < 0 ? error : 0;
	} else if (!semi || nlen) {
		for (i = 0; i < (semi ? 6u : 5u); i++)
			if (recover_equal(known[i][0], name, nlen))
				return fm_buf_puts(out, known[i][1]);
		if (semi && (v = fm__html_entity(name, nlen, &vlen)) != NULL)
			return fm_buf_append(out, v, vlen);
	}
	return fm_buf_append(out, s, n);
}

/* Appends an attribute value, decoded, with TAB, LF, CR, CRLF as one space; returns 0 or FM_ENOMEM. */
int
fm__recover_decode(fm_buf *out, const char *s, size_t n)
{
	size_t i = 0, j;
	int error = 0;

	while (i < n && !error) {
		if (s[i] == '&') {
			for (j = i + 1; j < n && j - i <= RECOVER_REF_MAX &&
			     recover_refchar((unsigned char)s[j]); j++)
				;
			j += j < n && s[j] == ';';
			error = fm__recover_ref(out, s + i, j - i);
		} else if (recover_space(s[i])) {
			j = i + 1 + (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
			error = fm_buf_putc(out, ' ');
		} else {
			for (j = i; j < n && s[j] != '&' && !recover_space(s[j]); j++)
				;
			error = fm_buf_append(out, s + i, j - i);
		}
		i = j;
	}
	return error;
}
