/*
 * textutil.c - small text helpers the feed parser needs: author strings,
 * base64, white space, and the ASCII character classes html.c shares.
 *
 * Everything here works on byte ranges and never reads past the length it
 * is given. Character classes are ASCII-only on purpose: <ctype.h> depends
 * on the locale and on the sign of char.
 *
 * On failure every function leaves its output buffer as it found it (but
 * fm__person_split, which clears its buffers first, leaves them empty).
 */
#include "parse/textutil.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Returns 1 for ASCII white space (space, tab, LF, CR, FF). */
int
fm__text_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Returns c in lower case (ASCII only). */
int
fm__text_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Returns 1 when a[0..n) equals the lower-case b[0..n), ignoring ASCII case. */
int
fm__text_case_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fm__text_lower((unsigned char)a[i]) != (unsigned char)b[i])
			return 0;
	return 1;
}

/* Undoes a partial append after a failure and returns error unchanged. */
int
fm__text_rollback(fm_buf *out, size_t size, int error)
{
	out->size = size;
	if (out->ptr)
		out->ptr[size] = '\0';
	return error;
}


/* Trims ASCII white space from both ends of the range *p, *n. */
void
fm__text_trim(const char **p, size_t *n)
{
	while (*n && fm__text_is_space((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && fm__text_is_space((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* ASCII white space as fm__text_is_space() reads it, for table lookups. */
static const unsigned char textutil_space[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1
};

#ifdef __SSE2__
/*
 * Returns 1 when the 16 bytes at s stay as they are when white space is
 * collapsed: no white space but single spaces, and no space first when
 * white space came just before (prev).
 */
static int
textutil_plain16(const unsigned char *s, int prev)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i other = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
	unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));

	return _mm_movemask_epi8(other) == 0 && (sp & (sp << 1 | (unsigned)prev)) == 0;
}
#endif

/*
 * Appends s trimmed, inner white space runs made one space; returns 0 or
 * FM_ENOMEM (out unchanged). Without branches on the text: every byte is
 * written (white space as ' '), and the write position moves on unless the
 * byte continues a run of white space or leads the text. With SSE2, runs
 * of 16 bytes that need no change are copied as they are.
 */
int
fm__collapse_space(fm_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *w, *start;
	size_t i = 0, end;
	int error, sp, prev = 1; /* 1: white space before the first character is dropped */

	assert(s || len == 0);
	/* The result is never longer than the input: grow once, then copy bytes. */
	if ((error = fm_buf_grow(out, len)) < 0)
		return error;
	w = start = out->ptr + out->size;
	while (i < len) {
#ifdef __SSE2__
		if (i + 16 <= len && textutil_plain16(u + i, prev)) {
			_mm_storeu_si128((__m128i *)(void *)w, _mm_loadu_si128((const __m128i *)(const void *)(u + i)));
			w += 16;
			prev = u[i + 15] == ' ';
			i += 16;
			continue;
		}
#endif
		for (end = i + 16 < len ? i + 16 : len; i < end; i++) {
			sp = textutil_space[u[i]];
			*w = sp ? ' ' : (char)u[i];
			w += !(sp & prev);
			prev = sp;
		}
	}
	if (prev && w > start)
		w--; /* the space a trailing run left */
	out->size = (size_t)(w - out->ptr);
	out->ptr[out->size] = '\0';
	return 0;
}

/* The references fm__unescape_twice_escaped reads, and what each stands for. */
static const struct {
	const char *ref;
	unsigned char len;
	char c;
} textutil_twice[] = {
	{ "&amp;", 5, '&' }, { "&#38;", 5, '&' }, { "&#x26;", 6, '&' },
	{ "&lt;", 4, '<' }, { "&#60;", 5, '<' }, { "&#x3c;", 6, '<' }, { "&#x3C;", 6, '<' },
	{ "&gt;", 4, '>' }, { "&#62;", 5, '>' }, { "&#x3e;", 6, '>' }, { "&#x3E;", 6, '>' },
	{ "&quot;", 6, '"' }, { "&#34;", 5, '"' }, { "&#x22;", 6, '"' },
	{ "&apos;", 6, '\'' }, { "&#39;", 5, '\'' }, { "&#x27;", 6, '\'' },
	{ "&#x2f;", 6, '/' }, { "&#x2F;", 6, '/' },
};

int
fm__unescape_twice_escaped(fm_buf *out, const char *s, size_t len)
{
	const char *end = s + len, *amp;
	size_t start = out->size, i;
	int error = 0;

	while (!error && (amp = memchr(s, '&', (size_t)(end - s)))) {
		for (i = 0; i < sizeof textutil_twice / sizeof textutil_twice[0]; i++)
			if ((size_t)(end - amp) >= textutil_twice[i].len &&
			    !memcmp(amp, textutil_twice[i].ref, textutil_twice[i].len))
				break;
		if (i == sizeof textutil_twice / sizeof textutil_twice[0]) {
			error = fm_buf_append(out, s, (size_t)(amp + 1 - s)); /* a bare & stays */
			s = amp + 1;
			continue;
		}
		if (!(error = fm_buf_append(out, s, (size_t)(amp - s))))
			error = fm_buf_putc(out, textutil_twice[i].c);
		s = amp + textutil_twice[i].len;
	}
	if (!error)
		error = fm_buf_append(out, s, (size_t)(end - s));
	return error < 0 ? fm__text_rollback(out, start, error) : 0;
}

/* Returns the value of hex digit c, or -1. */
int
fm__hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns the value of a base64 digit (RFC 4648 section 4 alphabet), or -1. */
static int
textutil_base64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes base64 (RFC 4648 section 4; white space anywhere, '=' padding
 * optional, leftover bits of the last digit ignored) and appends the bytes.
 * Returns 0, FM_ENOMEM, or FM_EINVAL for a character outside the alphabet,
 * a '=' too early in a quantum or followed by data, or a final lone digit;
 * out is unchanged on failure.
 */
int
fm__base64_decode(fm_buf *out, const char *in, size_t len)
{
	size_t start = out->size, i;
	unsigned long acc = 0;
	unsigned char *p;
	int n = 0, padded = 0, v, error;

	assert(in || len == 0);
	if (len == 0)
		return 0;
	/* Every 4 digits give 3 bytes; a trailing partial quantum gives at most 2. */
	if ((error = fm_buf_grow(out, len / 4 * 3 + 2)) < 0)
		return error;
	p = (unsigned char *)out->ptr + out->size;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (fm__text_is_space(c) || c == '\v')
			continue;
		if (c == '=') {
			if (n < 2)
				goto invalid;
			padded = 1;
			continue;
		}
		if (padded || (v = textutil_base64_value(c)) < 0)
			goto invalid;
		acc = acc << 6 | (unsigned long)v;
		if (++n == 4) {
			*p++ = (unsigned char)(acc >> 16);
			*p++ = (unsigned char)(acc >> 8);
			*p++ = (unsigned char)acc;
			acc = 0;
			n = 0;
		}
	}
	if (n == 1)
		goto invalid;
	if (n == 2) {
		*p++ = (unsigned char)(acc >> 4);
	} else if (n == 3) {
		*p++ = (unsigned char)(acc >> 10);
		*p++ = (unsigned char)(acc >> 2);
	}
	out->size = (size_t)((char *)p - out->ptr);
	out->ptr[out->size] = '\0';
	return 0;

invalid:
	return fm__text_rollback(out, start, FM_EINVAL);
}

/*
 * Returns 1 when s[0..n) is a plausible e-mail address: one '@' with text on
 * both sides, no white space, control characters or any of <>()[],;:"\ and
 * a '.' inside the domain. The dot keeps "Bob@Home" a name; it also rejects
 * "root@localhost", which no feed author uses.
 */
static int
textutil_is_address(const char *s, size_t n)
{
	size_t i, at = n, dot = n;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '@') {
			if (at != n)
				return 0;
			at = i;
		} else if (c <= ' ' || c == 0x7F || strchr("<>()[],;:\"\\", c)) {
			return 0;
		} else if (c == '.' && at != n) {
			dot = i;
		}
	}
	return at != n && at > 0 && dot != n && dot > at + 1 && dot + 1 < n;
}

/* Strips a "mailto:" prefix (any case) and, after one, a "?subject=..." query from the range. */
static void
textutil_strip_mailto(const char **p, size_t *n)
{
	const char *q;

	if (*n < 7 || !fm__text_case_eq(*p, "mailto:", 7))
		return;
	*p += 7;
	*n -= 7;
	if ((q = memchr(*p, '?', *n)))
		*n = (size_t)(q - *p);
	fm__text_trim(p, n);
}

/* Appends a name part, trimmed, unquoted and with white space collapsed; 0 or FM_ENOMEM. */
static int
textutil_person_name(fm_buf *name, const char *p, size_t n)
{
	fm__text_trim(&p, &n);
	if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
		p++;
		n -= 2;
	}
	return fm__collapse_space(name, p, n);
}

/*
 * Splits "me@example.com (Jane Doe)", "Jane Doe <me@example.com>",
 * "Jane Doe (me@example.com)", "mailto:me@example.com", a bare address or a
 * bare name into name and email, each cleared first. What is not clearly an
 * address is name: "Jane Doe (Editor)" is all name. Returns 0 or FM_ENOMEM
 * (both buffers empty then).
 */
int
fm__person_split(const char *s, fm_buf *name, fm_buf *email)
{
	const char *p = s, *end, *a, *b, *q;
	size_t n, an, bn;
	int error = 0;

	assert(s && name && email);
	fm_buf_clear(name);
	fm_buf_clear(email);
	n = strlen(s);
	fm__text_trim(&p, &n);
	if (n == 0)
		return 0;
	end = p + n;

	/* Jane Doe <me@example.com>, or <me@example.com> Jane Doe */
	if ((q = memchr(p, '<', n))) {
		a = q + 1;
		an = n - (size_t)(a - p);
		b = memchr(a, '>', an);
		if (b)
			an = (size_t)(b - a);
		fm__text_trim(&a, &an);
		textutil_strip_mailto(&a, &an);
		if (an == 0 || textutil_is_address(a, an)) {
			/* The name is before the '<', or else after the '>'. */
			bn = (size_t)(q - p);
			fm__text_trim(&p, &bn);
			if (bn == 0 && b) {
				p = b + 1;
				bn = (size_t)(end - p);
			}
			if ((error = fm_buf_append(email, a, an)) == 0)
				error = textutil_person_name(name, p, bn);
			goto out;
		}
	}

	/* me@example.com (Jane Doe), Jane Doe (me@example.com), (Jane Doe) */
	if (p[n - 1] == ')' && (q = memchr(p, '(', n))) {
		a = p;
		an = (size_t)(q - p);
		fm__text_trim(&a, &an);
		textutil_strip_mailto(&a, &an);
		b = q + 1;
		bn = n - (size_t)(b - p) - 1;
		fm__text_trim(&b, &bn);
		if (an == 0) {
			error = textutil_is_address(b, bn) ?
				fm_buf_append(email, b, bn) :
				textutil_person_name(name, b, bn);
			goto out;
		}
		if (textutil_is_address(a, an)) {
			if ((error = fm_buf_append(email, a, an)) == 0)
				error = textutil_person_name(name, b, bn);
			goto out;
		}
		if (textutil_is_address(b, bn)) {
			if ((error = fm_buf_append(email, b, bn)) == 0)
				error = textutil_person_name(name, a, an);
			goto out;
		}
	}

	/* me@example.com, mailto:me@example.com, or a name */
	a = p;
	an = n;
	textutil_strip_mailto(&a, &an);
	if (textutil_is_address(a, an))
		error = fm_buf_append(email, a, an);
	else
		error = textutil_person_name(name, p, n);

out:
	if (error < 0) {
		fm_buf_clear(name);
		fm_buf_clear(email);
	}
	return error;
}
