/*
 * fromhtml.c - fm_text_from_html: an item's HTML flattened to paragraphs of
 * plain text for fingerprinting.
 *
 * The tag, comment and reference scanners are the parser's (parse/htmlscan.h),
 * so both read markup alike. What this file adds is what the fingerprint
 * needs: paragraphs (block tags end one), dropped boilerplate (nav, aside,
 * figcaption, ...), Unicode spaces, and UTF-8 repair.
 *
 * One pass, no recursion: open dropped elements are counted per kind, so
 * any depth of nesting costs a counter, and an unterminated tag, comment or
 * raw text element is dropped to the end of the input, never rescanned.
 * Nothing reads past len; the input need not be NUL-terminated.
 *
 * File-local names start with fh_ ("from HTML"), apart from parse/html.c's
 * html_ ones.
 *
 * On failure the output buffer is left as it was found.
 */
#include "feedmerge/text.h"
#include "feedmerge/error.h"
#include "parse/htmlscan.h"
#include "parse/textutil.h"
#include "text/text_int.h"

#include <assert.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* What separates the next character from the last one written. */
enum { FH_NONE, FH_SPACE, FH_PARA };

/* Byte classes of text: copied, white space, dropped control, UTF-8 lead or tail, markup. */
enum { FH_PLAIN, FH_WS, FH_CTRL, FH_HIGH, FH_STOP };

#define FH_R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
#define P FH_PLAIN
#define W FH_WS
#define C FH_CTRL
#define S FH_STOP

/*
 * The class of every byte. White space is HTML's (space, tab, LF, CR, FF)
 * plus VT; other C0 controls and DEL are dropped (NUL as HTML drops it).
 */
static const unsigned char fh_class[256] = {
	C, C, C, C, C, C, C, C, C, W, W, W, W, W, C, C,
	FH_R16(C),
	W, P, P, P, P, P, S, P, P, P, P, P, P, P, P, P, /* 0x26 '&' */
	P, P, P, P, P, P, P, P, P, P, P, P, S, P, P, P, /* 0x3C '<' */
	FH_R16(P), FH_R16(P), FH_R16(P),
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, C, /* 0x7F DEL */
	FH_R16(FH_HIGH), FH_R16(FH_HIGH), FH_R16(FH_HIGH), FH_R16(FH_HIGH),
	FH_R16(FH_HIGH), FH_R16(FH_HIGH), FH_R16(FH_HIGH), FH_R16(FH_HIGH)
};

#undef P
#undef W
#undef C
#undef S

/* Tag flags. */
#define FH_BLOCK 1 /* start and end tag end a paragraph */
#define FH_BREAK 2 /* start and end tag separate words */
#define FH_DROP 4  /* the content is dropped; nesting is counted */
#define FH_RAW 8   /* the content is raw text up to the end tag, and dropped */
#define FH_BODY 16 /* the start tag closes an unclosed head */

/* Kinds of dropped elements, indexing fh_state.drop. */
enum {
	FH_D_ASIDE, FH_D_BUTTON, FH_D_FIGCAPTION, FH_D_FOOTER, FH_D_FORM,
	FH_D_HEAD, FH_D_NAV, FH_D_SELECT, FH_D_TEMPLATE, FH_D_COUNT
};

struct fh_tag {
	const char *name;
	unsigned char nlen;
	unsigned char flags;
	unsigned char drop; /* FH_D_* when flags has FH_DROP */
};

/*
 * The elements that matter, sorted bytewise for binary search; any other
 * tag (b, a, span, img, ...) is dropped without a trace. Raw text elements
 * are HTML's with scripting on (noscript is raw text then).
 */
static const struct fh_tag fh_tags[] = {
	{ "address", 7, FH_BLOCK, 0 },
	{ "article", 7, FH_BLOCK, 0 },
	{ "aside", 5, FH_BLOCK | FH_DROP, FH_D_ASIDE },
	{ "blockquote", 10, FH_BLOCK, 0 },
	{ "body", 4, FH_BLOCK | FH_BODY, 0 },
	{ "br", 2, FH_BLOCK, 0 },
	{ "button", 6, FH_BREAK | FH_DROP, FH_D_BUTTON },
	{ "caption", 7, FH_BLOCK, 0 },
	{ "center", 6, FH_BLOCK, 0 },
	{ "dd", 2, FH_BLOCK, 0 },
	{ "details", 7, FH_BLOCK, 0 },
	{ "dialog", 6, FH_BLOCK, 0 },
	{ "dir", 3, FH_BLOCK, 0 },
	{ "div", 3, FH_BLOCK, 0 },
	{ "dl", 2, FH_BLOCK, 0 },
	{ "dt", 2, FH_BLOCK, 0 },
	{ "fieldset", 8, FH_BLOCK, 0 },
	{ "figcaption", 10, FH_BLOCK | FH_DROP, FH_D_FIGCAPTION },
	{ "figure", 6, FH_BLOCK, 0 },
	{ "footer", 6, FH_BLOCK | FH_DROP, FH_D_FOOTER },
	{ "form", 4, FH_BLOCK | FH_DROP, FH_D_FORM },
	{ "h1", 2, FH_BLOCK, 0 },
	{ "h2", 2, FH_BLOCK, 0 },
	{ "h3", 2, FH_BLOCK, 0 },
	{ "h4", 2, FH_BLOCK, 0 },
	{ "h5", 2, FH_BLOCK, 0 },
	{ "h6", 2, FH_BLOCK, 0 },
	{ "head", 4, FH_BLOCK | FH_DROP, FH_D_HEAD },
	{ "header", 6, FH_BLOCK, 0 },
	{ "hgroup", 6, FH_BLOCK, 0 },
	{ "hr", 2, FH_BLOCK, 0 },
	{ "html", 4, FH_BLOCK, 0 },
	{ "iframe", 6, FH_BREAK | FH_RAW, 0 },
	{ "legend", 6, FH_BLOCK, 0 },
	{ "li", 2, FH_BLOCK, 0 },
	{ "main", 4, FH_BLOCK, 0 },
	{ "menu", 4, FH_BLOCK, 0 },
	{ "nav", 3, FH_BLOCK | FH_DROP, FH_D_NAV },
	{ "noscript", 8, FH_BREAK | FH_RAW, 0 },
	{ "ol", 2, FH_BLOCK, 0 },
	{ "option", 6, FH_BLOCK, 0 },
	{ "p", 1, FH_BLOCK, 0 },
	{ "pre", 3, FH_BLOCK, 0 },
	{ "script", 6, FH_RAW, 0 },
	{ "section", 7, FH_BLOCK, 0 },
	{ "select", 6, FH_BREAK | FH_DROP, FH_D_SELECT },
	{ "style", 5, FH_RAW, 0 },
	{ "summary", 7, FH_BLOCK, 0 },
	{ "table", 5, FH_BLOCK, 0 },
	{ "tbody", 5, FH_BLOCK, 0 },
	{ "td", 2, FH_BLOCK, 0 },
	{ "template", 8, FH_BREAK | FH_DROP, FH_D_TEMPLATE },
	{ "tfoot", 5, FH_BLOCK, 0 },
	{ "th", 2, FH_BLOCK, 0 },
	{ "thead", 5, FH_BLOCK, 0 },
	{ "title", 5, FH_BLOCK, 0 },
	{ "tr", 2, FH_BLOCK, 0 },
	{ "ul", 2, FH_BLOCK, 0 }
};

/* Longest legacy reference name ("aacute", "frac12", "middot", ...). */
#define FH_LEGACY_MAX 6

/* The conversion under way. */
struct fh_state {
	fm_buf *out;
	size_t start;               /* out->size on entry: "\n" and " " only go after it */
	int gap;                    /* FH_NONE, FH_SPACE or FH_PARA, written before the next character */
	size_t dropping;            /* open dropped elements of every kind */
	size_t drop[FH_D_COUNT];    /* open dropped elements by kind */
};

/* Returns the entry for the lower-case tag name[0..n), or NULL when the tag does not matter. */
static const struct fh_tag *
fh_tag_lookup(const char *name, size_t n)
{
	size_t lo = 0, hi = sizeof(fh_tags) / sizeof(*fh_tags);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fm__html_name_cmp(name, n, fh_tags[mid].name, fh_tags[mid].nlen);

		if (c == 0)
			return &fh_tags[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Notes a separation of at least kind gap before the next character. */
static void
fh_gap(struct fh_state *t, int gap)
{
	if (t->gap < gap)
		t->gap = gap;
}

/* Notes the separation a tag with these flags makes, unless inside dropped content. */
static void
fh_tag_gap(struct fh_state *t, unsigned flags)
{
	if (t->dropping)
		return;
	if (flags & FH_BLOCK)
		fh_gap(t, FH_PARA);
	else if (flags & FH_BREAK)
		fh_gap(t, FH_SPACE);
}

/*
 * Appends p[0..n) (characters, no white space at either end) after the
 * pending separation, which is dropped at the start of the output: that
 * trims it and keeps empty paragraphs out. Returns 0 or FM_ENOMEM.
 */
static int
fh_put(struct fh_state *t, const void *p, size_t n)
{
	int error;

	if (t->gap != FH_NONE) {
		if (t->out->size > t->start &&
		    (error = fm_buf_putc(t->out, t->gap == FH_PARA ? '\n' : ' ')) < 0)
			return error;
		t->gap = FH_NONE;
	}
	return fm_buf_append(t->out, p, n);
}

/* Returns 1 when code point cp is copied as it is: not a C1 control, not white space. */
static int
fh_is_plain_cp(int32_t cp)
{
	if (cp > 0xA0 && cp < 0x1680)
		return 1; /* most letters of alphabetic scripts */
	return cp > 0xA0 && !fm__text_is_uspace(cp);
}

#ifdef __SSE2__
/*
 * Returns how many of the 16 bytes at p, from the first, are copied as they
 * are: printable ASCII (but '<' and '&' when markup is set) and single
 * spaces, each followed by such a byte, the first byte a space only when
 * lead_space is set.
 */
static unsigned
fh_plain16(const unsigned char *p, int lead_space, int markup)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed compares: bytes from 0x80 up are negative, so not above 0x20. */
	__m128i plain = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
	unsigned pm, sm, ok;

	if (markup)
		plain = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
						      _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))),
					 plain);
	pm = (unsigned)_mm_movemask_epi8(plain);
	sm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
	ok = pm | (sm & (pm >> 1) & (lead_space ? 0xFFFFu : 0xFFFEu));
	return (unsigned)__builtin_ctz(~ok | 0x10000u);
}
#endif

/*
 * Appends the text at p[*i..n) and moves *i to its end: the first '<' or
 * '&' when markup is set, else n. White space (ASCII, Unicode spaces,
 * U+00A0) collapses into the pending separation, controls are dropped and
 * malformed UTF-8 becomes U+FFFD. Runs that need no change (words and the
 * single spaces between them) are copied in one piece, found 16 bytes at a
 * time with SSE2. Returns 0 or FM_ENOMEM.
 */
static int
fh_chars(struct fh_state *t, const unsigned char *p, size_t n, size_t *i, int markup)
{
	size_t k = *i, run, step, end;
	int32_t cp;
	int error;

	while (k < n) {
		/* The longest run copied as it is; a space in it always has a character after it. */
		for (run = k; k < n;) {
#ifdef __SSE2__
			if (n - k >= 16 && (step = fh_plain16(p + k, k > run, markup)) > 0) {
				k += step;
				if (step == 16)
					continue;
			}
#endif
			for (end = n - k > 16 ? k + 16 : n; k < end;) {
				unsigned c = p[k];

				if (fh_class[c] == FH_PLAIN) {
					k++;
				} else if (c == ' ' && k > run && k + 1 < n &&
					   fh_class[p[k + 1]] == FH_PLAIN) {
					k++;
				} else if (c >= 0x80) {
					step = fm__text_utf8_decode(p + k, n - k, &cp);
					if (cp < 0 || !fh_is_plain_cp(cp))
						goto run_end;
					k += step;
				} else if (!markup && fh_class[c] == FH_STOP) {
					k++;
				} else {
					goto run_end;
				}
			}
		}
run_end:
		if (k > run && (error = fh_put(t, p + run, k - run)) < 0)
			return error;
		if (k >= n)
			break;
		switch (fh_class[p[k]]) {
		case FH_STOP:
			*i = k;
			return 0;
		case FH_WS:
			fh_gap(t, FH_SPACE);
			k++;
			break;
		case FH_CTRL:
			k++;
			break;
		default:
			k += fm__text_utf8_decode(p + k, n - k, &cp);
			if (cp < 0) {
				if ((error = fh_put(t, FM_TEXT_FFFD, 3)) < 0)
					return error;
			} else if (fm__text_is_uspace(cp)) {
				fh_gap(t, FH_SPACE);
			} /* else a C1 control, dropped */
			break;
		}
	}
	*i = k;
	return 0;
}

/*
 * Handles the start tag tag whose attributes end at s[*i] (just past its
 * '>'): notes its separation, and opens a dropped element or skips a raw
 * text element's content. A self-closing tag ("<aside/>", "<iframe .../>",
 * XHTML as feeds carry it) opens nothing.
 */
static void
fh_start_tag(struct fh_state *t, const struct fh_tag *tag, const char *s, size_t len,
	     size_t *i, int self_closing)
{
	if (tag->flags & FH_BODY) {
		t->dropping -= t->drop[FH_D_HEAD];
		t->drop[FH_D_HEAD] = 0;
	}
	fh_tag_gap(t, tag->flags);
	if (self_closing)
		return;
	if (tag->flags & FH_RAW) {
		*i = fm__html_rawtext_end(s, len, *i, tag->name, tag->nlen);
	} else if (tag->flags & FH_DROP) {
		t->drop[tag->drop]++;
		t->dropping++;
	}
}

/* Handles the end tag tag: closes an open dropped element of its kind and notes its separation. */
static void
fh_end_tag(struct fh_state *t, const struct fh_tag *tag)
{
	if ((tag->flags & FH_DROP) && t->drop[tag->drop] > 0) {
		t->drop[tag->drop]--;
		t->dropping--;
	}
	fh_tag_gap(t, tag->flags);
}

/*
 * Handles the markup at s[*i] == '<' and moves *i past it: tags, comments,
 * doctypes and processing instructions are dropped; CDATA sections (text
 * wrapped twice on its way into the feed) become text, undecoded; a '<'
 * that starts no markup ("a < b") is text. Returns 0 or FM_ENOMEM.
 */
static int
fh_markup(struct fh_state *t, const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s;
	const struct fh_tag *tag;
	char name[HTML_TAG_MAX];
	size_t k = *i + 1, nlen, end, start;

	if (k < len && fm__html_is_alpha(u[k])) {
		k = fm__html_tag_name(s, len, k, name, &nlen);
		end = fm__html_tag_end(s, len, k);
		*i = end;
		if (nlen && (tag = fh_tag_lookup(name, nlen)))
			fh_start_tag(t, tag, s, len, i,
				     end - k >= 2 && s[end - 1] == '>' && s[end - 2] == '/');
		return 0;
	}
	if (k < len && s[k] == '/' && k + 1 < len) {
		if (fm__html_is_alpha(u[k + 1])) {
			k = fm__html_tag_name(s, len, k + 1, name, &nlen);
			*i = fm__html_tag_end(s, len, k);
			if (nlen && (tag = fh_tag_lookup(name, nlen)))
				fh_end_tag(t, tag);
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
		if (len - k >= 8 && memcmp(s + k, "![CDATA[", 8) == 0) {
			start = k + 8;
			end = fm__html_cdata_end(s, len, start);
			*i = end < len ? end + 3 : len;
			if (t->dropping)
				return 0;
			k = 0;
			return fh_chars(t, u + start, end - start, &k, 0);
		}
		*i = fm__html_bogus_end(s, len, k + 1);
		return 0;
	}
	if (k < len && s[k] == '?') {
		*i = fm__html_bogus_end(s, len, k + 1);
		return 0;
	}
	(*i)++;
	return t->dropping ? 0 : fh_put(t, "<", 1);
}

/*
 * Decodes a legacy reference without ';' at s[*i] == '&' the way HTML does
 * in text (not in attributes): the longest legacy name that is a prefix of
 * the letters and digits after '&' ("&copy2024" is "(c)2024", "&amp=" is
 * "&="). fm__html_ref_decode applies the attribute rule (no letter, digit
 * or '=' after the name), which always holds at the end of its input, so
 * each prefix is handed to it alone. Returns the expansion with its length
 * in *vlen and moves *i past the name, or returns NULL.
 */
static const char *
fh_legacy_ref(const char *s, size_t len, size_t *i, char *u, size_t *vlen)
{
	char name[1 + FH_LEGACY_MAX];
	size_t k = *i + 1, n = 0, z;
	const char *v;

	while (k + n < len && n < FH_LEGACY_MAX &&
	       (fm__html_is_alpha((unsigned char)s[k + n]) ||
		(s[k + n] >= '0' && s[k + n] <= '9')))
		n++;
	if (n == 0 || !fm__html_is_alpha((unsigned char)s[k]))
		return NULL;
	name[0] = '&';
	memcpy(name + 1, s + k, n);
	for (; n >= 2; n--) {
		z = 0;
		if ((v = fm__html_ref_decode(name, n + 1, &z, u, vlen)) && z == n + 1) {
			*i = k + n;
			return v;
		}
	}
	return NULL;
}

/*
 * Appends the reference at s[*i] == '&' decoded (named with ';', legacy
 * without, decimal, hex; numeric ones as HTML maps them, U+FFFD for 0,
 * surrogates and values past U+10FFFF), or a literal '&', and moves *i
 * past it. Returns 0 or FM_ENOMEM.
 */
static int
fh_reference(struct fh_state *t, const char *s, size_t len, size_t *i)
{
	const char *v;
	size_t vlen, k = 0;
	char u[4];

	if ((v = fm__html_ref_decode(s, len, i, u, &vlen)) ||
	    (v = fh_legacy_ref(s, len, i, u, &vlen)))
		return fh_chars(t, (const unsigned char *)v, vlen, &k, 0);
	(*i)++;
	return fh_put(t, "&", 1);
}

/* Appends the plain text of an HTML fragment; see text.h. */
int
fm_text_from_html(fm_buf *out, const char *html, size_t len)
{
	struct fh_state t;
	const char *p;
	size_t i = 0;
	int error = 0;

	assert(out && (html || len == 0));
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.start = out->size;
	/* The text is rarely longer than its HTML: one allocation up front. */
	if ((error = fm_buf_grow(out, len)) < 0)
		return error;
	out->ptr[out->size] = '\0'; /* even when nothing is appended */
	while (i < len && error == 0) {
		if (html[i] == '<') {
			error = fh_markup(&t, html, len, &i);
		} else if (t.dropping) {
			p = memchr(html + i, '<', len - i);
			i = p ? (size_t)(p - html) : len;
		} else if (html[i] == '&') {
			error = fh_reference(&t, html, len, &i);
		} else {
			error = fh_chars(&t, (const unsigned char *)html, len, &i, 1);
		}
	}
	return error < 0 ? fm__text_rollback(out, t.start, error) : 0;
}
