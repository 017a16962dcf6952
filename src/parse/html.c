/*
 * html.c - the HTML a feed carries in its text: detecting it, flattening it
 * to plain text, escaping text into it. The tag, comment and reference
 * scanners here are shared with htmlurl.c, which makes its URLs absolute
 * (see htmlscan.h).
 *
 * Everything here works on byte ranges, never reads past the length it is
 * given, and makes one pass over its input (the HTML scanner included: an
 * unterminated tag, comment or script is dropped to the end, not rescanned).
 * Character classes are ASCII-only on purpose: <ctype.h> depends on the
 * locale and on the sign of char.
 *
 * On failure every function leaves its output buffer as it found it.
 */
#include "parse/html.h"
#include "util/utf8.h"
#include "parse/htmlscan.h"
#include "parse/textutil.h"
#include "parse/entities.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Longest HTML5 reference name (CounterClockwiseContourIntegral). */
#define HTML_ENTITY_MAX 32

/*
 * References HTML still decodes without the ';' (the WHATWG "legacy" names:
 * the HTML 4 Latin-1 set plus upper-case AMP, COPY, GT, LT, QUOT and REG).
 * Sorted bytewise for binary search.
 */
static const char *const html_legacy[] = {
	"AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml",
	"COPY", "Ccedil", "ETH", "Eacute", "Ecirc", "Egrave", "Euml", "GT",
	"Iacute", "Icirc", "Igrave", "Iuml", "LT", "Ntilde", "Oacute", "Ocirc",
	"Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN", "Uacute",
	"Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig",
	"agrave", "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil",
	"cent", "copy", "curren", "deg", "divide", "eacute", "ecirc", "egrave",
	"eth", "euml", "frac12", "frac14", "frac34", "gt", "iacute", "icirc",
	"iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
	"middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf",
	"ordm", "oslash", "otilde", "ouml", "para", "plusmn", "pound", "quot",
	"raquo", "reg", "sect", "shy", "sup1", "sup2", "sup3", "szlig", "thorn",
	"times", "uacute", "ucirc", "ugrave", "uml", "uuml", "yacute", "yen",
	"yuml"
};

/* Elements whose start or end tag separates words in plain text. Sorted. */
static const char *const html_block_tags[] = {
	"address", "article", "aside", "blockquote", "body", "br", "caption",
	"center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
	"h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol",
	"option", "p", "pre", "section", "summary", "table", "tbody", "td",
	"tfoot", "th", "thead", "title", "tr", "ul"
};

/* Elements whose end tag marks text as HTML in fm__looks_like_html. Sorted. */
static const char *const html_end_tags[] = {
	"a", "abbr", "acronym", "article", "aside", "b", "big", "blockquote",
	"body", "caption", "center", "cite", "code", "dd", "del", "dfn", "div",
	"dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2",
	"h3", "h4", "h5", "h6", "header", "html", "i", "ins", "kbd", "li",
	"mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small",
	"span", "strike", "strong", "sub", "sup", "table", "td", "th", "tr",
	"tt", "u", "ul", "var"
};

/* Void elements that mark text as HTML on their own. Sorted. */
static const char *const html_void_tags[] = {
	"br", "hr", "img", "wbr"
};

/* What HTML maps numeric references 0x80-0x9F to (windows-1252). */
static const unsigned short html_cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/* The output of fm__html_to_text, with white space held back until a character follows it. */
struct html_text {
	fm_buf *out;
	int pending; /* white space seen since the last character */
	int started; /* a character has been appended */
};

/* Returns 1 for an ASCII letter. */
int
fm__html_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns 1 for an ASCII digit. */
static int
html_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Returns 1 for an ASCII letter or digit. */
static int
html_is_alnum(int c)
{
	return fm__html_is_alpha(c) || html_is_digit(c);
}

/* Returns 1 when s[0..len) is one of the n sorted strings in list. */
int
fm__html_in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t mlen = strlen(list[mid]);
		int c = memcmp(s, list[mid], len < mlen ? len : mlen);

		if (c == 0)
			c = len < mlen ? -1 : len > mlen;
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * Returns the code point a numeric reference stands for, as HTML decodes it:
 * 0x80-0x9F through windows-1252, and U+FFFD for 0, surrogates, values past
 * U+10FFFF and (our choice, not HTML's) control characters other than white
 * space, which have no business in feed text.
 */
static unsigned long
html_numeric_cp(unsigned long cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		cp = html_cp1252[cp - 0x80];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	if ((cp < 0x20 && !fm__text_is_space((int)cp)) ||
	    (cp >= 0x7F && cp <= 0x9F))
		return 0xFFFD;
	return cp;
}

/* Notes white space in the text; it is written only if a character follows. */
static void
html_text_space(struct html_text *t)
{
	if (t->started)
		t->pending = 1;
}

/* Appends p[0..n) (no white space in it) after any pending space; returns 0 or FM_ENOMEM. */
static int
html_text_put(struct html_text *t, const char *p, size_t n)
{
	int error;

	if (t->pending) {
		if ((error = fm_buf_putc(t->out, ' ')) < 0)
			return error;
		t->pending = 0;
	}
	t->started = 1;
	return fm_buf_append(t->out, p, n);
}

/*
 * Appends a run of character data, collapsing white space (U+00A0 counts as
 * white space) and dropping NUL bytes; returns 0 or FM_ENOMEM.
 */
static int
html_text_chars(struct html_text *t, const char *p, size_t n)
{
	size_t i = 0, j;
	int error;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (fm__text_is_space(c)) {
			html_text_space(t);
			i++;
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] == 0xA0) {
			html_text_space(t);
			i += 2;
			continue;
		}
		if (c == '\0') {
			i++;
			continue;
		}
		for (j = i + 1; j < n; j++) {
			c = (unsigned char)p[j];
			if (fm__text_is_space(c) || c == 0xC2 || c == '\0')
				break;
		}
		if ((error = html_text_put(t, p + i, j - i)) < 0)
			return error;
		i = j;
	}
	return 0;
}

/*
 * Returns the index just past the '>' that ends the tag whose attributes
 * start at s[i], or len when the tag is never closed. A '>' inside a quoted
 * attribute value does not end the tag.
 */
size_t
fm__html_tag_end(const char *s, size_t len, size_t i)
{
	const char *q;

	while (i < len) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] != '=') {
			i++;
			continue;
		}
		i++;
		while (i < len && fm__text_is_space((unsigned char)s[i]))
			i++;
		if (i < len && (s[i] == '"' || s[i] == '\'')) {
			if (!(q = memchr(s + i + 1, s[i], len - i - 1)))
				return len;
			i = (size_t)(q - s) + 1;
		}
	}
	return len;
}

/* Returns 1 for a byte that continues a tag name (anything but white space, '/' and '>'). */
int
fm__html_is_name_char(int c)
{
	return !fm__text_is_space(c) && c != '/' && c != '>';
}

int
fm__html_attr_next(const char *s, size_t len, size_t *pk, fm__html_attr *at)
{
	size_t k = *pk;
	const char *p;

	while (k < len && (fm__text_is_space((unsigned char)s[k]) || s[k] == '/'))
		k++;
	if (k == len) {
		*pk = len;
		return -1;
	}
	if (s[k] == '>') {
		*pk = k + 1;
		return 0;
	}
	memset(at, 0, sizeof *at);
	/* A name runs to white space, '/', '>' or '=', but may start with '='. */
	for (at->name = k++; k < len && fm__html_is_name_char((unsigned char)s[k]) && s[k] != '='; k++)
		;
	at->nlen = k - at->name;
	while (k < len && fm__text_is_space((unsigned char)s[k]))
		k++;
	if (k == len || s[k] != '=') {
		*pk = k;
		return 1;
	}
	for (k++; k < len && fm__text_is_space((unsigned char)s[k]); k++)
		;
	at->raw = k;
	if (k < len && (s[k] == '"' || s[k] == '\'')) {
		if (!(p = memchr(s + k + 1, s[k], len - k - 1))) {
			*pk = len;
			return -1;
		}
		at->value = k + 1;
		k = (size_t)(p - s) + 1;
		at->vlen = k - 1 - at->value;
	} else {
		for (at->value = k; k < len && !fm__text_is_space((unsigned char)s[k]) && s[k] != '>'; k++)
			;
		at->vlen = k - at->value;
	}
	at->raw_end = k;
	at->has_value = 1;
	*pk = k;
	return 1;
}

int
fm__html_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

/*
 * Reads the tag name starting at s[i] into name, lower-cased, and returns
 * the index after it. *nlen is the name's length, or 0 when it is too long
 * to be any name we know; reading then stops early (the rest of the name is
 * scanned once more as attributes at most, which keeps callers linear).
 */
size_t
fm__html_tag_name(const char *s, size_t len, size_t i, char *name, size_t *nlen)
{
	size_t n = 0;

	while (i < len && fm__html_is_name_char((unsigned char)s[i])) {
		if (n == HTML_TAG_MAX) {
			*nlen = 0;
			return i;
		}
		name[n++] = (char)fm__text_lower((unsigned char)s[i++]);
	}
	*nlen = n;
	return i;
}

/*
 * Returns the index just past the end tag "</name>" that closes a script or
 * style element whose content starts at s[i], or len when there is none.
 */
size_t
fm__html_rawtext_end(const char *s, size_t len, size_t i, const char *name, size_t nlen)
{
	const char *p;

	while (i < len && (p = memchr(s + i, '<', len - i))) {
		size_t k = (size_t)(p - s);

		if (k + 2 + nlen <= len && s[k + 1] == '/' &&
		    fm__text_case_eq(s + k + 2, name, nlen) &&
		    (k + 2 + nlen == len || fm__text_is_space((unsigned char)s[k + 2 + nlen]) ||
		     s[k + 2 + nlen] == '/' || s[k + 2 + nlen] == '>'))
			return fm__html_tag_end(s, len, k + 2 + nlen);
		i = k + 1;
	}
	return len;
}

/*
 * Returns the index just past the comment whose "<!--" starts at s[i]:
 * after "-->", "--!>", or the abrupt "<!-->" and "<!--->", or len when the
 * comment never ends.
 */
size_t
fm__html_comment_end(const char *s, size_t len, size_t i)
{
	size_t k = i + 4;

	if (k < len && s[k] == '>')
		return k + 1;
	if (k + 1 < len && s[k] == '-' && s[k + 1] == '>')
		return k + 2;
	for (; k + 2 < len; k++) {
		if (s[k] != '-' || s[k + 1] != '-')
			continue;
		if (s[k + 2] == '>')
			return k + 3;
		if (k + 3 < len && s[k + 2] == '!' && s[k + 3] == '>')
			return k + 4;
	}
	return len;
}

/* Returns the index just past the next '>' at or after s[i], or len. */
size_t
fm__html_bogus_end(const char *s, size_t len, size_t i)
{
	const char *p = i < len ? memchr(s + i, '>', len - i) : NULL;

	return p ? (size_t)(p - s) + 1 : len;
}

/* Returns the index of the "]]>" that ends a CDATA section whose content starts at s[i], or len. */
size_t
fm__html_cdata_end(const char *s, size_t len, size_t i)
{
	for (; i + 2 < len; i++)
		if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>')
			return i;
	return len;
}

/*
 * Appends the content of the CDATA section whose "<![CDATA[" starts at
 * s[*i] as text, undecoded (text that was wrapped twice on its way into the
 * feed), and moves *i past its "]]>" or to len. Returns 0 or FM_ENOMEM.
 */
static int
html_cdata(struct html_text *t, const char *s, size_t len, size_t *i)
{
	size_t start = *i + 9, k = fm__html_cdata_end(s, len, start);

	*i = k < len ? k + 3 : len;
	return html_text_chars(t, s + start, k - start);
}

/*
 * Handles the markup at s[*i] == '<' and moves *i past it: tags and
 * comments are dropped, script and style with their content, block tags
 * leave a space, CDATA sections become text, and a '<' that starts no
 * markup is text. Returns 0 or FM_ENOMEM.
 */
static int
html_markup(struct html_text *t, const char *s, size_t len, size_t *i)
{
	char name[HTML_TAG_MAX];
	size_t k = *i + 1, nlen, end;

	if (k < len && fm__html_is_alpha((unsigned char)s[k])) {
		k = fm__html_tag_name(s, len, k, name, &nlen);
		end = fm__html_tag_end(s, len, k);
		if ((nlen == 6 && memcmp(name, "script", 6) == 0) ||
		    (nlen == 5 && memcmp(name, "style", 5) == 0))
			end = fm__html_rawtext_end(s, len, end, name, nlen);
		else if (nlen && HTML_IN(html_block_tags, name, nlen))
			html_text_space(t);
		*i = end;
		return 0;
	}
	if (k < len && s[k] == '/' && k + 1 < len) {
		if (fm__html_is_alpha((unsigned char)s[k + 1])) {
			k = fm__html_tag_name(s, len, k + 1, name, &nlen);
			if (nlen && HTML_IN(html_block_tags, name, nlen))
				html_text_space(t);
			*i = fm__html_tag_end(s, len, k);
		} else {
			/* "</>" and "</ ..." are dropped, as HTML does. */
			*i = fm__html_bogus_end(s, len, k + 1);
		}
		return 0;
	}
	if (k < len && s[k] == '!') {
		if (len - k >= 3 && memcmp(s + k, "!--", 3) == 0) {
			*i = fm__html_comment_end(s, len, *i);
			return 0;
		}
		if (len - k >= 8 && memcmp(s + k, "![CDATA[", 8) == 0)
			return html_cdata(t, s, len, i);
		*i = fm__html_bogus_end(s, len, k + 1);
		return 0;
	}
	if (k < len && s[k] == '?') {
		*i = fm__html_bogus_end(s, len, k + 1);
		return 0;
	}
	(*i)++;
	return html_text_put(t, "<", 1);
}

/*
 * Appends an expansion or a decoded character; white space and U+00A0
 * become a pending space. Returns 0 or FM_ENOMEM.
 */
static int
html_text_ref(struct html_text *t, const char *v, size_t n)
{
	if ((n == 1 && fm__text_is_space((unsigned char)v[0])) ||
	    (n == 2 && (unsigned char)v[0] == 0xC2 && (unsigned char)v[1] == 0xA0)) {
		html_text_space(t);
		return 0;
	}
	return html_text_put(t, v, n);
}

/*
 * Decodes the character reference at s[*i] == '&' and moves *i past it.
 * Numeric references may omit the ';' (HTML decodes "&#39" too). Named
 * ones need it, except the legacy names, which are decoded without ';' only
 * when no letter, digit or '=' follows: HTML's rule for attribute values,
 * which keeps "?a=1&copy=2" in a URL intact. Returns the expansion (a
 * static string, or u, which must hold 4 bytes) with its length in *vlen,
 * or NULL, leaving *i alone, when the '&' starts no reference.
 */
const char *
fm__html_ref_decode(const char *s, size_t len, size_t *i, char *u, size_t *vlen)
{
	size_t k = *i + 1, start;
	unsigned long cp = 0;
	const char *v;
	int hex = 0, d;

	if (k < len && s[k] == '#') {
		k++;
		if (k < len && (s[k] == 'x' || s[k] == 'X')) {
			hex = 1;
			k++;
		}
		for (start = k; k < len; k++) {
			if (hex)
				d = fm__hex_value((unsigned char)s[k]);
			else
				d = html_is_digit((unsigned char)s[k]) ? s[k] - '0' : -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
			if (cp > 0x10FFFF)
				cp = 0x110000; /* stays out of range without overflowing */
		}
		if (k > start) {
			if (k < len && s[k] == ';')
				k++;
			*i = k;
			*vlen = fm__utf8_encode(u, (uint32_t)html_numeric_cp(cp));
			return u;
		}
	} else if (k < len && fm__html_is_alpha((unsigned char)s[k])) {
		for (start = k; k < len && k - start <= HTML_ENTITY_MAX; k++)
			if (!html_is_alnum((unsigned char)s[k]))
				break;
		if (k < len && s[k] == ';' &&
		    (v = fm__html_entity(s + start, k - start, vlen))) {
			*i = k + 1;
			return v;
		}
		if ((k == len || (s[k] != '=' && !html_is_alnum((unsigned char)s[k]))) &&
		    HTML_IN(html_legacy, s + start, k - start) &&
		    (v = fm__html_entity(s + start, k - start, vlen))) {
			*i = k;
			return v;
		}
	}
	return NULL;
}

/* Appends the reference at s[*i] == '&' decoded, or a literal '&', and moves *i past it; 0 or FM_ENOMEM. */
static int
html_reference(struct html_text *t, const char *s, size_t len, size_t *i)
{
	const char *v;
	size_t vlen;
	char u[4];

	if ((v = fm__html_ref_decode(s, len, i, u, &vlen)))
		return html_text_ref(t, v, vlen);
	(*i)++;
	return html_text_put(t, "&", 1);
}

/* Appends the plain text of an HTML fragment; returns 0 or FM_ENOMEM (out unchanged). */
int
fm__html_to_text(fm_buf *out, const char *html, size_t len)
{
	struct html_text t = { out, 0, 0 };
	size_t start = out->size, i = 0, j;
	int error = 0;

	assert(html || len == 0);
	while (i < len && error == 0) {
		if (html[i] == '<') {
			error = html_markup(&t, html, len, &i);
		} else if (html[i] == '&') {
			error = html_reference(&t, html, len, &i);
		} else {
			for (j = i + 1; j < len; j++)
				if (html[j] == '<' || html[j] == '&')
					break;
			error = html_text_chars(&t, html + i, j - i);
			i = j;
		}
	}
	return error < 0 ? fm__text_rollback(out, start, error) : 0;
}

/*
 * Returns 1 when s[i] == '&' starts a reference that looks deliberate: a
 * known name with its ';', or "&#digits;" / "&#xhex;".
 */
static int
html_is_reference(const char *s, size_t len, size_t i)
{
	size_t k = i + 1, start;

	if (k < len && s[k] == '#') {
		k++;
		if (k < len && (s[k] == 'x' || s[k] == 'X')) {
			for (start = ++k; k < len && fm__hex_value((unsigned char)s[k]) >= 0; k++)
				;
		} else {
			for (start = k; k < len && html_is_digit((unsigned char)s[k]); k++)
				;
		}
		return k > start && k < len && s[k] == ';';
	}
	for (start = k; k < len && k - start <= HTML_ENTITY_MAX; k++)
		if (!html_is_alnum((unsigned char)s[k]))
			break;
	return k > start && k < len && s[k] == ';' &&
	       fm__html_entity(s + start, k - start, NULL) != NULL;
}

/*
 * Returns 1 when s looks like HTML: an end tag of a common element
 * ("</p>", "</B >"), a br, hr, img or wbr tag ("<br>", "<br/>",
 * "<img src=...>"), or a character reference ("&amp;", "&#8217;").
 * A lone '<' or '&' ("5 < 6", "AT&T", "Q&A") is not enough. Never fails.
 */
int
fm__looks_like_html(const char *s, size_t len)
{
	char name[HTML_TAG_MAX];
	const char *p;
	size_t i, k, nlen, lt, amp, last_gt = SIZE_MAX;

	assert(s || len == 0);
	/* Only a '<' or a '&' can start what is looked for: go from one to the next (memchr). */
	lt = (p = len ? memchr(s, '<', len) : NULL) ? (size_t)(p - s) : len;
	amp = (p = len ? memchr(s, '&', len) : NULL) ? (size_t)(p - s) : len;
	while ((i = lt < amp ? lt : amp) < len) {
		if (i == amp) {
			if (html_is_reference(s, len, i))
				return 1;
			amp = (p = memchr(s + i + 1, '&', len - i - 1)) ? (size_t)(p - s) : len;
			continue;
		}
		lt = (p = memchr(s + i + 1, '<', len - i - 1)) ? (size_t)(p - s) : len;
		if (i + 1 >= len)
			continue;
		if (s[i + 1] == '/') {
			if (i + 2 >= len || !fm__html_is_alpha((unsigned char)s[i + 2]))
				continue;
			k = fm__html_tag_name(s, len, i + 2, name, &nlen);
			while (k < len && fm__text_is_space((unsigned char)s[k]))
				k++;
			if (nlen && k < len && s[k] == '>' &&
			    HTML_IN(html_end_tags, name, nlen))
				return 1;
		} else if (fm__html_is_alpha((unsigned char)s[i + 1])) {
			k = fm__html_tag_name(s, len, i + 1, name, &nlen);
			if (!nlen || k >= len || !HTML_IN(html_void_tags, name, nlen))
				continue;
			if (s[k] == '>' || (s[k] == '/' && k + 1 < len && s[k + 1] == '>'))
				return 1;
			if (fm__text_is_space((unsigned char)s[k])) {
				/* "<br class=x>": a '>' after the name; found once, from the end. */
				if (last_gt == SIZE_MAX)
					for (last_gt = len; last_gt > 0 && s[last_gt - 1] != '>'; last_gt--)
						;
				if (last_gt > k)
					return 1;
			}
		}
	}
	return 0;
}

/* What fm__html_escape writes for each byte it escapes; NULL: the byte as it is. */
static const char *const html_escapes[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;"
};

/* How many bytes escaping adds for each byte (the entity's length minus one). */
static const unsigned char html_escape_extra[256] = {
	['&'] = 4, ['<'] = 3, ['>'] = 3, ['"'] = 5
};

/*
 * Returns how many bytes at the start of u[0..len) need no escaping. With
 * SSE2, 16 bytes at a time: text mostly has none of the four.
 */
static size_t
html_escape_plain(const unsigned char *u, size_t len)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);

		if (mask) {
			while (!(mask & 1)) {
				mask >>= 1;
				i++;
			}
			return i;
		}
	}
#endif
	while (i < len && !html_escape_extra[u[i]])
		i++;
	return i;
}

/*
 * Appends s with &, <, > and " escaped; returns 0 or FM_ENOMEM (out
 * unchanged). One pass counts what escaping adds, so the buffer grows once;
 * text without any of the four (most of it) is then one copy. Both passes
 * skip runs that need no escaping (html_escape_plain).
 */
int
fm__html_escape(fm_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t extra = 0, i, n;
	char *w;
	int error;

	assert(s || len == 0);
	for (i = html_escape_plain(u, len); i < len; i += 1 + html_escape_plain(u + i + 1, len - i - 1))
		extra += html_escape_extra[u[i]];
	if (extra == 0)
		return fm_buf_append(out, s, len);
	if (len > SIZE_MAX - extra)
		return FM_ENOMEM;
	if ((error = fm_buf_grow(out, len + extra)) < 0)
		return error;
	w = out->ptr + out->size;
	for (i = 0; i < len; i++) {
		n = html_escape_plain(u + i, len - i);
		memcpy(w, u + i, n);
		w += n;
		if ((i += n) == len)
			break;
		memcpy(w, html_escapes[u[i]], (size_t)html_escape_extra[u[i]] + 1);
		w += html_escape_extra[u[i]] + 1;
	}
	out->size = (size_t)(w - out->ptr);
	out->ptr[out->size] = '\0';
	return 0;
}
