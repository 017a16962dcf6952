/*
 * textutil.c - small text helpers the feed parser needs.
 *
 * Everything here works on byte ranges, never reads past the length it is
 * given, and makes one pass over its input (the HTML scanner included: an
 * unterminated tag, comment or script is dropped to the end, not rescanned).
 * Character classes are ASCII-only on purpose: <ctype.h> depends on the
 * locale and on the sign of char.
 *
 * On failure every function leaves its output buffer as it found it (but
 * fm__person_split, which clears its buffers first, leaves them empty).
 */
#include "parse/textutil.h"
#include "parse/entities.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <string.h>

/* Longest tag name worth comparing against the tables below ("blockquote" is 10). */
#define TEXTUTIL_TAG_MAX 16

/* Returns 1 when s[0..n) is in one of the sorted tables below. */
#define TEXTUTIL_IN(table, s, n) \
	textutil_in_list((table), sizeof(table) / sizeof(*(table)), (s), (n))

/* Longest HTML5 reference name (CounterClockwiseContourIntegral). */
#define TEXTUTIL_ENTITY_MAX 32

/*
 * References HTML still decodes without the ';' (the WHATWG "legacy" names:
 * the HTML 4 Latin-1 set plus upper-case AMP, COPY, GT, LT, QUOT and REG).
 * Sorted bytewise for binary search.
 */
static const char *const textutil_legacy[] = {
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
static const char *const textutil_block_tags[] = {
	"address", "article", "aside", "blockquote", "body", "br", "caption",
	"center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
	"h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol",
	"option", "p", "pre", "section", "summary", "table", "tbody", "td",
	"tfoot", "th", "thead", "title", "tr", "ul"
};

/* Elements whose end tag marks text as HTML in fm__looks_like_html. Sorted. */
static const char *const textutil_end_tags[] = {
	"a", "abbr", "acronym", "article", "aside", "b", "big", "blockquote",
	"body", "caption", "center", "cite", "code", "dd", "del", "dfn", "div",
	"dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2",
	"h3", "h4", "h5", "h6", "header", "html", "i", "ins", "kbd", "li",
	"mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small",
	"span", "strike", "strong", "sub", "sup", "table", "td", "th", "tr",
	"tt", "u", "ul", "var"
};

/* Void elements that mark text as HTML on their own. Sorted. */
static const char *const textutil_void_tags[] = {
	"br", "hr", "img", "wbr"
};

/* What HTML maps numeric references 0x80-0x9F to (windows-1252). */
static const unsigned short textutil_cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/* The output of fm__html_to_text, with white space held back until a character follows it. */
struct textutil_text {
	fm_buf *out;
	int pending; /* white space seen since the last character */
	int started; /* a character has been appended */
};

/* Returns 1 for ASCII white space (space, tab, LF, CR, FF). */
static int
textutil_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Returns 1 for an ASCII letter. */
static int
textutil_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns 1 for an ASCII digit. */
static int
textutil_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Returns 1 for an ASCII letter or digit. */
static int
textutil_is_alnum(int c)
{
	return textutil_is_alpha(c) || textutil_is_digit(c);
}

/* Returns the value of a hex digit, or -1. */
static int
textutil_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns c in lower case (ASCII only). */
static int
textutil_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Returns 1 when a[0..n) equals the lower-case b[0..n), ignoring ASCII case. */
static int
textutil_case_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (textutil_lower((unsigned char)a[i]) != (unsigned char)b[i])
			return 0;
	return 1;
}

/* Undoes a partial append after a failure and returns error unchanged. */
static int
textutil_rollback(fm_buf *out, size_t size, int error)
{
	out->size = size;
	if (out->ptr)
		out->ptr[size] = '\0';
	return error;
}

/* Returns 1 when s[0..len) is one of the n sorted strings in list. */
static int
textutil_in_list(const char *const *list, size_t n, const char *s, size_t len)
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

/* Trims ASCII white space from both ends of the range *p, *n. */
static void
textutil_trim(const char **p, size_t *n)
{
	while (*n && textutil_is_space((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && textutil_is_space((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* Returns the number of bytes of cp's UTF-8 encoding written to b (1-4). */
static size_t
textutil_utf8(char *b, unsigned long cp)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | (cp >> 18));
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Returns the code point a numeric reference stands for, as HTML decodes it:
 * 0x80-0x9F through windows-1252, and U+FFFD for 0, surrogates, values past
 * U+10FFFF and (our choice, not HTML's) control characters other than white
 * space, which have no business in feed text.
 */
static unsigned long
textutil_numeric_cp(unsigned long cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		cp = textutil_cp1252[cp - 0x80];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	if ((cp < 0x20 && !textutil_is_space((int)cp)) ||
	    (cp >= 0x7F && cp <= 0x9F))
		return 0xFFFD;
	return cp;
}

/* Notes white space in the text; it is written only if a character follows. */
static void
textutil_text_space(struct textutil_text *t)
{
	if (t->started)
		t->pending = 1;
}

/* Appends p[0..n) (no white space in it) after any pending space; returns 0 or FM_ENOMEM. */
static int
textutil_text_put(struct textutil_text *t, const char *p, size_t n)
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
textutil_text_chars(struct textutil_text *t, const char *p, size_t n)
{
	size_t i = 0, j;
	int error;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (textutil_is_space(c)) {
			textutil_text_space(t);
			i++;
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] == 0xA0) {
			textutil_text_space(t);
			i += 2;
			continue;
		}
		if (c == '\0') {
			i++;
			continue;
		}
		for (j = i + 1; j < n; j++) {
			c = (unsigned char)p[j];
			if (textutil_is_space(c) || c == 0xC2 || c == '\0')
				break;
		}
		if ((error = textutil_text_put(t, p + i, j - i)) < 0)
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
static size_t
textutil_tag_end(const char *s, size_t len, size_t i)
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
		while (i < len && textutil_is_space((unsigned char)s[i]))
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
static int
textutil_is_name_char(int c)
{
	return !textutil_is_space(c) && c != '/' && c != '>';
}

/*
 * Reads the tag name starting at s[i] into name, lower-cased, and returns
 * the index after it. *nlen is the name's length, or 0 when it is too long
 * to be any name we know; reading then stops early (the rest of the name is
 * scanned once more as attributes at most, which keeps callers linear).
 */
static size_t
textutil_tag_name(const char *s, size_t len, size_t i, char *name, size_t *nlen)
{
	size_t n = 0;

	while (i < len && textutil_is_name_char((unsigned char)s[i])) {
		if (n == TEXTUTIL_TAG_MAX) {
			*nlen = 0;
			return i;
		}
		name[n++] = (char)textutil_lower((unsigned char)s[i++]);
	}
	*nlen = n;
	return i;
}

/*
 * Returns the index just past the end tag "</name>" that closes a script or
 * style element whose content starts at s[i], or len when there is none.
 */
static size_t
textutil_rawtext_end(const char *s, size_t len, size_t i, const char *name, size_t nlen)
{
	const char *p;

	while (i < len && (p = memchr(s + i, '<', len - i))) {
		size_t k = (size_t)(p - s);

		if (k + 2 + nlen <= len && s[k + 1] == '/' &&
		    textutil_case_eq(s + k + 2, name, nlen) &&
		    (k + 2 + nlen == len || textutil_is_space((unsigned char)s[k + 2 + nlen]) ||
		     s[k + 2 + nlen] == '/' || s[k + 2 + nlen] == '>'))
			return textutil_tag_end(s, len, k + 2 + nlen);
		i = k + 1;
	}
	return len;
}

/*
 * Returns the index just past the comment whose "<!--" starts at s[i]:
 * after "-->", "--!>", or the abrupt "<!-->" and "<!--->", or len when the
 * comment never ends.
 */
static size_t
textutil_comment_end(const char *s, size_t len, size_t i)
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
static size_t
textutil_bogus_end(const char *s, size_t len, size_t i)
{
	const char *p = i < len ? memchr(s + i, '>', len - i) : NULL;

	return p ? (size_t)(p - s) + 1 : len;
}

/*
 * Appends the content of the CDATA section whose "<![CDATA[" starts at
 * s[*i] as text, undecoded (text that was wrapped twice on its way into the
 * feed), and moves *i past its "]]>" or to len. Returns 0 or FM_ENOMEM.
 */
static int
textutil_cdata(struct textutil_text *t, const char *s, size_t len, size_t *i)
{
	size_t start = *i + 9, k;

	for (k = start; k + 2 < len; k++) {
		if (s[k] == ']' && s[k + 1] == ']' && s[k + 2] == '>') {
			*i = k + 3;
			return textutil_text_chars(t, s + start, k - start);
		}
	}
	*i = len;
	return textutil_text_chars(t, s + start, len - start);
}

/*
 * Handles the markup at s[*i] == '<' and moves *i past it: tags and
 * comments are dropped, script and style with their content, block tags
 * leave a space, CDATA sections become text, and a '<' that starts no
 * markup is text. Returns 0 or FM_ENOMEM.
 */
static int
textutil_markup(struct textutil_text *t, const char *s, size_t len, size_t *i)
{
	char name[TEXTUTIL_TAG_MAX];
	size_t k = *i + 1, nlen, end;

	if (k < len && textutil_is_alpha((unsigned char)s[k])) {
		k = textutil_tag_name(s, len, k, name, &nlen);
		end = textutil_tag_end(s, len, k);
		if ((nlen == 6 && memcmp(name, "script", 6) == 0) ||
		    (nlen == 5 && memcmp(name, "style", 5) == 0))
			end = textutil_rawtext_end(s, len, end, name, nlen);
		else if (nlen && TEXTUTIL_IN(textutil_block_tags, name, nlen))
			textutil_text_space(t);
		*i = end;
		return 0;
	}
	if (k < len && s[k] == '/' && k + 1 < len) {
		if (textutil_is_alpha((unsigned char)s[k + 1])) {
			k = textutil_tag_name(s, len, k + 1, name, &nlen);
			if (nlen && TEXTUTIL_IN(textutil_block_tags, name, nlen))
				textutil_text_space(t);
			*i = textutil_tag_end(s, len, k);
		} else {
			/* "</>" and "</ ..." are dropped, as HTML does. */
			*i = textutil_bogus_end(s, len, k + 1);
		}
		return 0;
	}
	if (k < len && s[k] == '!') {
		if (len - k >= 3 && memcmp(s + k, "!--", 3) == 0) {
			*i = textutil_comment_end(s, len, *i);
			return 0;
		}
		if (len - k >= 8 && memcmp(s + k, "![CDATA[", 8) == 0)
			return textutil_cdata(t, s, len, i);
		*i = textutil_bogus_end(s, len, k + 1);
		return 0;
	}
	if (k < len && s[k] == '?') {
		*i = textutil_bogus_end(s, len, k + 1);
		return 0;
	}
	(*i)++;
	return textutil_text_put(t, "<", 1);
}

/*
 * Appends an expansion or a decoded character; white space and U+00A0
 * become a pending space. Returns 0 or FM_ENOMEM.
 */
static int
textutil_text_ref(struct textutil_text *t, const char *v, size_t n)
{
	if ((n == 1 && textutil_is_space((unsigned char)v[0])) ||
	    (n == 2 && (unsigned char)v[0] == 0xC2 && (unsigned char)v[1] == 0xA0)) {
		textutil_text_space(t);
		return 0;
	}
	return textutil_text_put(t, v, n);
}

/*
 * Decodes the character reference at s[*i] == '&' and moves *i past it.
 * Numeric references may omit the ';' (HTML decodes "&#39" too). Named
 * ones need it, except the legacy names, which are decoded without ';' only
 * when no letter, digit or '=' follows: HTML's rule for attribute values,
 * which keeps "?a=1&copy=2" in a URL intact. An '&' that starts no
 * reference is text. Returns 0 or FM_ENOMEM.
 */
static int
textutil_reference(struct textutil_text *t, const char *s, size_t len, size_t *i)
{
	size_t k = *i + 1, start, vlen;
	unsigned long cp = 0;
	const char *v;
	char u[4];
	int hex = 0, d;

	if (k < len && s[k] == '#') {
		k++;
		if (k < len && (s[k] == 'x' || s[k] == 'X')) {
			hex = 1;
			k++;
		}
		for (start = k; k < len; k++) {
			if (hex)
				d = textutil_hex_value((unsigned char)s[k]);
			else
				d = textutil_is_digit((unsigned char)s[k]) ? s[k] - '0' : -1;
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
			cp = textutil_numeric_cp(cp);
			return textutil_text_ref(t, u, textutil_utf8(u, cp));
		}
	} else if (k < len && textutil_is_alpha((unsigned char)s[k])) {
		for (start = k; k < len && k - start <= TEXTUTIL_ENTITY_MAX; k++)
			if (!textutil_is_alnum((unsigned char)s[k]))
				break;
		if (k < len && s[k] == ';' &&
		    (v = fm__html_entity(s + start, k - start, &vlen))) {
			*i = k + 1;
			return textutil_text_ref(t, v, vlen);
		}
		if ((k == len || (s[k] != '=' && !textutil_is_alnum((unsigned char)s[k]))) &&
		    TEXTUTIL_IN(textutil_legacy, s + start, k - start) &&
		    (v = fm__html_entity(s + start, k - start, &vlen))) {
			*i = k;
			return textutil_text_ref(t, v, vlen);
		}
	}
	(*i)++;
	return textutil_text_put(t, "&", 1);
}

/* Appends the plain text of an HTML fragment; returns 0 or FM_ENOMEM (out unchanged). */
int
fm__html_to_text(fm_buf *out, const char *html, size_t len)
{
	struct textutil_text t = { out, 0, 0 };
	size_t start = out->size, i = 0, j;
	int error = 0;

	assert(html || len == 0);
	while (i < len && error == 0) {
		if (html[i] == '<') {
			error = textutil_markup(&t, html, len, &i);
		} else if (html[i] == '&') {
			error = textutil_reference(&t, html, len, &i);
		} else {
			for (j = i + 1; j < len; j++)
				if (html[j] == '<' || html[j] == '&')
					break;
			error = textutil_text_chars(&t, html + i, j - i);
			i = j;
		}
	}
	return error < 0 ? textutil_rollback(out, start, error) : 0;
}

/*
 * Returns 1 when s[i] == '&' starts a reference that looks deliberate: a
 * known name with its ';', or "&#digits;" / "&#xhex;".
 */
static int
textutil_is_reference(const char *s, size_t len, size_t i)
{
	size_t k = i + 1, start;

	if (k < len && s[k] == '#') {
		k++;
		if (k < len && (s[k] == 'x' || s[k] == 'X')) {
			for (start = ++k; k < len && textutil_hex_value((unsigned char)s[k]) >= 0; k++)
				;
		} else {
			for (start = k; k < len && textutil_is_digit((unsigned char)s[k]); k++)
				;
		}
		return k > start && k < len && s[k] == ';';
	}
	for (start = k; k < len && k - start <= TEXTUTIL_ENTITY_MAX; k++)
		if (!textutil_is_alnum((unsigned char)s[k]))
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
	char name[TEXTUTIL_TAG_MAX];
	size_t i, k, nlen, last_gt = 0;

	assert(s || len == 0);
	for (i = len; i > 0; i--) {
		if (s[i - 1] == '>') {
			last_gt = i;
			break;
		}
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '&' && textutil_is_reference(s, len, i))
			return 1;
		if (s[i] != '<' || i + 1 >= len)
			continue;
		if (s[i + 1] == '/') {
			if (i + 2 >= len || !textutil_is_alpha((unsigned char)s[i + 2]))
				continue;
			k = textutil_tag_name(s, len, i + 2, name, &nlen);
			while (k < len && textutil_is_space((unsigned char)s[k]))
				k++;
			if (nlen && k < len && s[k] == '>' &&
			    TEXTUTIL_IN(textutil_end_tags, name, nlen))
				return 1;
		} else if (textutil_is_alpha((unsigned char)s[i + 1])) {
			k = textutil_tag_name(s, len, i + 1, name, &nlen);
			if (!nlen || k >= len || !TEXTUTIL_IN(textutil_void_tags, name, nlen))
				continue;
			if (s[k] == '>' || (s[k] == '/' && k + 1 < len && s[k + 1] == '>'))
				return 1;
			if (textutil_is_space((unsigned char)s[k]) && last_gt > k)
				return 1;
		}
	}
	return 0;
}

/* Appends s with &, <, > and " escaped; returns 0 or FM_ENOMEM (out unchanged). */
int
fm__html_escape(fm_buf *out, const char *s, size_t len)
{
	size_t start = out->size, i, j = 0;
	const char *rep;
	int error;

	assert(s || len == 0);
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		if ((error = fm_buf_append(out, s + j, i - j)) < 0 ||
		    (error = fm_buf_puts(out, rep)) < 0)
			return textutil_rollback(out, start, error);
		j = i + 1;
	}
	if ((error = fm_buf_append(out, s + j, len - j)) < 0)
		return textutil_rollback(out, start, error);
	return 0;
}

/* Appends s trimmed, inner white space runs made one space; returns 0 or FM_ENOMEM (out unchanged). */
int
fm__collapse_space(fm_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	char *w;
	int error, pending = 0;

	assert(s || len == 0);
	/* The result is never longer than the input: grow once, then copy bytes. */
	if ((error = fm_buf_grow(out, len)) < 0)
		return error;
	w = out->ptr + out->size;
	while (i < len && textutil_is_space((unsigned char)s[i]))
		i++;
	for (; i < len; i++) {
		if (textutil_is_space((unsigned char)s[i])) {
			pending = 1;
			continue;
		}
		if (pending) {
			*w++ = ' ';
			pending = 0;
		}
		*w++ = s[i];
	}
	out->size = (size_t)(w - out->ptr);
	out->ptr[out->size] = '\0';
	return 0;
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

		if (textutil_is_space(c) || c == '\v')
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
	return textutil_rollback(out, start, FM_EINVAL);
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

	if (*n < 7 || !textutil_case_eq(*p, "mailto:", 7))
		return;
	*p += 7;
	*n -= 7;
	if ((q = memchr(*p, '?', *n)))
		*n = (size_t)(q - *p);
	textutil_trim(p, n);
}

/* Appends a name part, trimmed, unquoted and with white space collapsed; 0 or FM_ENOMEM. */
static int
textutil_person_name(fm_buf *name, const char *p, size_t n)
{
	textutil_trim(&p, &n);
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
	textutil_trim(&p, &n);
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
		textutil_trim(&a, &an);
		textutil_strip_mailto(&a, &an);
		if (an == 0 || textutil_is_address(a, an)) {
			/* The name is before the '<', or else after the '>'. */
			bn = (size_t)(q - p);
			textutil_trim(&p, &bn);
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
		textutil_trim(&a, &an);
		textutil_strip_mailto(&a, &an);
		b = q + 1;
		bn = n - (size_t)(b - p) - 1;
		textutil_trim(&b, &bn);
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
