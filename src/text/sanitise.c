/*
 * sanitise.c - fm_sanitise_html and fm_sanitise_url: feed HTML made safe
 * to put on a page of our own (the HTML river output).
 *
 * The tag, comment and reference scanners are the parser's
 * (parse/htmlscan.h), as in fromhtml.c, so all three read markup alike.
 * Safety does not rest on reading markup exactly as a browser does: no
 * byte of the input is passed on as markup. Text is decoded and escaped
 * again, and every tag in the output is one this file writes from its
 * allowlist, with its own attributes, on a stack it balances. Where a
 * browser would read the input differently, the worst outcome is text
 * shown or dropped, never a tag or an attribute of the feed's choosing.
 *
 * The nesting kept is one an HTML parser keeps as written (section 13.2.6
 * of the WHATWG HTML standard lists what it would change): a block start
 * first closes an open p, heading or pre and every inline element; li
 * opens only inside ul or ol and first closes an open li; a never nests;
 * end tags close only elements opened here. The parse tree a browser
 * builds from the fragment is therefore this file's stack, and the
 * fragment cannot close, reopen or adopt the element it is put into.
 *
 * One pass, no recursion: dropped elements (svg, form, ...) are counted,
 * raw text elements (script, style, ...) skipped to their end tag, and an
 * unterminated tag, comment or raw text element drops the rest of the
 * input. Nothing reads past len.
 *
 * File-local names start with san_.
 */
#include "feedmerge/sanitise.h"
#include "feedmerge/error.h"
#include "parse/html.h"
#include "parse/htmlscan.h"
#include "parse/textutil.h"
#include "text/text_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* How deep kept elements nest; deeper start tags are dropped (their text kept). */
#define SAN_DEPTH 32

/* Tag flags. */
#define SAN_INLINE 1     /* kept; closed by a block start */
#define SAN_BLOCK 2      /* kept; closes an open p, heading, pre and inline elements first */
#define SAN_CONTAINER 4  /* a kept block a block start does not close (li, blockquote, ul, ol) */
#define SAN_LIST 8       /* ul, ol: where li may open */
#define SAN_VOID 16      /* br: kept, has no end tag */
#define SAN_RAW 32       /* dropped with its raw text content */
#define SAN_DROP 64      /* dropped with its content; nesting counted */
#define SAN_SPACE 128    /* dropped, but separates words (div, td, ...) */

struct san_tag {
	const char *name;
	unsigned char nlen;
	unsigned char flags;
	const char *emit; /* the element written for a kept one (h1 and h2 become h3) */
};

#define SAN_KEEP(n, f) { n, sizeof(n) - 1, (f), n }

/*
 * Every element that is not just dropped, sorted bytewise for binary
 * search. Anything else (span, img, font, input, embed, link, meta, base,
 * ...) is dropped without a trace, its text kept.
 */
static const struct san_tag san_tags[] = {
	SAN_KEEP("a", SAN_INLINE),
	{ "address", 7, SAN_SPACE, NULL },
	{ "applet", 6, SAN_DROP, NULL },
	{ "article", 7, SAN_SPACE, NULL },
	{ "aside", 5, SAN_SPACE, NULL },
	{ "audio", 5, SAN_DROP, NULL },
	SAN_KEEP("b", SAN_INLINE),
	SAN_KEEP("blockquote", SAN_BLOCK | SAN_CONTAINER),
	SAN_KEEP("br", SAN_VOID),
	{ "button", 6, SAN_DROP, NULL },
	{ "canvas", 6, SAN_DROP, NULL },
	{ "caption", 7, SAN_SPACE, NULL },
	{ "center", 6, SAN_SPACE, NULL },
	SAN_KEEP("code", SAN_INLINE),
	{ "dd", 2, SAN_SPACE, NULL },
	{ "details", 7, SAN_SPACE, NULL },
	{ "dialog", 6, SAN_DROP, NULL },
	{ "div", 3, SAN_SPACE, NULL },
	{ "dl", 2, SAN_SPACE, NULL },
	{ "dt", 2, SAN_SPACE, NULL },
	SAN_KEEP("em", SAN_INLINE),
	{ "fieldset", 8, SAN_SPACE, NULL },
	{ "figcaption", 10, SAN_SPACE, NULL },
	{ "figure", 6, SAN_SPACE, NULL },
	{ "footer", 6, SAN_SPACE, NULL },
	{ "form", 4, SAN_DROP, NULL },
	{ "frameset", 8, SAN_DROP, NULL },
	{ "h1", 2, SAN_BLOCK, "h3" },
	{ "h2", 2, SAN_BLOCK, "h3" },
	SAN_KEEP("h3", SAN_BLOCK),
	SAN_KEEP("h4", SAN_BLOCK),
	SAN_KEEP("h5", SAN_BLOCK),
	SAN_KEEP("h6", SAN_BLOCK),
	{ "head", 4, SAN_DROP, NULL },
	{ "header", 6, SAN_SPACE, NULL },
	{ "hgroup", 6, SAN_SPACE, NULL },
	{ "hr", 2, SAN_SPACE, NULL },
	SAN_KEEP("i", SAN_INLINE),
	{ "iframe", 6, SAN_RAW, NULL },
	{ "legend", 6, SAN_SPACE, NULL },
	SAN_KEEP("li", SAN_BLOCK | SAN_CONTAINER),
	{ "main", 4, SAN_SPACE, NULL },
	{ "math", 4, SAN_DROP, NULL },
	{ "nav", 3, SAN_SPACE, NULL },
	{ "noembed", 7, SAN_RAW, NULL },
	{ "noframes", 8, SAN_RAW, NULL },
	{ "noscript", 8, SAN_RAW, NULL },
	{ "object", 6, SAN_DROP, NULL },
	SAN_KEEP("ol", SAN_BLOCK | SAN_CONTAINER | SAN_LIST),
	SAN_KEEP("p", SAN_BLOCK),
	{ "plaintext", 9, SAN_RAW, NULL },
	SAN_KEEP("pre", SAN_BLOCK),
	SAN_KEEP("s", SAN_INLINE),
	{ "script", 6, SAN_RAW, NULL },
	{ "section", 7, SAN_SPACE, NULL },
	{ "select", 6, SAN_DROP, NULL },
	SAN_KEEP("strong", SAN_INLINE),
	{ "style", 5, SAN_RAW, NULL },
	SAN_KEEP("sub", SAN_INLINE),
	{ "summary", 7, SAN_SPACE, NULL },
	SAN_KEEP("sup", SAN_INLINE),
	{ "svg", 3, SAN_DROP, NULL },
	{ "table", 5, SAN_SPACE, NULL },
	{ "tbody", 5, SAN_SPACE, NULL },
	{ "td", 2, SAN_SPACE, NULL },
	{ "template", 8, SAN_DROP, NULL },
	{ "textarea", 8, SAN_RAW, NULL },
	{ "tfoot", 5, SAN_SPACE, NULL },
	{ "th", 2, SAN_SPACE, NULL },
	{ "thead", 5, SAN_SPACE, NULL },
	{ "title", 5, SAN_RAW, NULL },
	{ "tr", 2, SAN_SPACE, NULL },
	SAN_KEEP("u", SAN_INLINE),
	SAN_KEEP("ul", SAN_BLOCK | SAN_CONTAINER | SAN_LIST),
	{ "video", 5, SAN_DROP, NULL },
	{ "xmp", 3, SAN_RAW, NULL }
};

#define SAN_NTAGS (sizeof(san_tags) / sizeof(*san_tags))

/* What links in feed text carry. */
static const char san_rel[] = " rel=\"nofollow noopener noreferrer\"";

/* UTF-8 of U+2026 HORIZONTAL ELLIPSIS, which marks a cut. */
static const char san_ellipsis[] = "\xe2\x80\xa6";

/* The sanitising under way. */
struct san {
	fm_buf *out;
	size_t max;                     /* text limit in characters, 0 for none */
	size_t chars;                   /* characters of text written */
	size_t mark, mark_chars;        /* out->size and chars where the last word began */
	int space;                      /* white space is pending before the next character */
	int fresh;                      /* nothing written since a block tag: white space is dropped */
	int cut;                        /* the limit was reached: stop */
	size_t pre;                     /* open pre elements */
	const struct san_tag *stack[SAN_DEPTH];
	size_t depth;
	size_t dropping;                /* open dropped elements of every kind */
	size_t drop[SAN_NTAGS];         /* open dropped elements by tag */
	fm_buf val;                     /* an href, references decoded */
	fm_buf url;                     /* the href accepted */
};

/* Returns the entry for the lower-case tag name[0..n), or NULL when the tag is just dropped. */
static const struct san_tag *
san_tag_lookup(const char *name, size_t n)
{
	size_t lo = 0, hi = SAN_NTAGS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fm__html_name_cmp(name, n, san_tags[mid].name, san_tags[mid].nlen);

		if (c == 0)
			return &san_tags[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Notes that the next character starts a word: a cut may go back to here. */
static void
san_set_mark(struct san *st)
{
	st->mark = st->out->size;
	st->mark_chars = st->chars;
}

/*
 * Stops at the limit: goes back to the start of the word under way (to the
 * limit itself when no word was finished), writes the ellipsis and stops
 * the reading. Returns 0 or FM_ENOMEM.
 */
static int
san_cut(struct san *st)
{
	if (st->mark_chars > 0) {
		st->out->size = st->mark;
		st->out->ptr[st->mark] = '\0';
	}
	st->cut = 1;
	return fm_buf_puts(st->out, san_ellipsis);
}

/*
 * Appends one character of text (b[0..n), code point cp, -1 when
 * malformed) after any pending space, escaped, within the limit. Returns 0
 * or FM_ENOMEM.
 */
static int
san_char(struct san *st, const unsigned char *b, size_t n, int32_t cp)
{
	int error;

	if (st->space) {
		st->space = 0;
		if (st->chars > 0 && !st->fresh && !st->pre) {
			san_set_mark(st); /* a word ended: a cut goes no further back */
			if (st->max && st->chars + 1 > st->max)
				return san_cut(st);
			st->mark_chars = st->chars;
			san_set_mark(st);
			if ((error = fm_buf_putc(st->out, ' ')) < 0)
				return error;
			st->chars++;
		}
	}
	if (st->max && st->chars + 1 > st->max)
		return san_cut(st);
	if (cp == ' ' || cp == '\n' || cp == '\t')
		san_set_mark(st); /* white space inside pre */
	st->fresh = 0;
	switch (cp) {
	case '&': error = fm_buf_puts(st->out, "&amp;"); break;
	case '<': error = fm_buf_puts(st->out, "&lt;"); break;
	case '>': error = fm_buf_puts(st->out, "&gt;"); break;
	case -1: error = fm_buf_puts(st->out, FM_TEXT_FFFD); break;
	default: error = fm_buf_append(st->out, b, n); break;
	}
	st->chars++;
	return error;
}

/*
 * Appends the text p[0..n) (no markup: references already decoded):
 * white space collapses into one pending space outside pre, controls (C0
 * but tab and LF in pre, DEL, C1) are dropped. Returns 0 or FM_ENOMEM.
 */
static int
san_text(struct san *st, const unsigned char *p, size_t n)
{
	size_t k = 0, step;
	int32_t cp;
	int error;

	while (k < n && !st->cut) {
		if (p[k] < 0x80) {
			cp = p[k];
			step = 1;
		} else {
			step = fm__text_utf8_decode(p + k, n - k, &cp);
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') {
			if (!st->pre) {
				st->space = 1;
				k += step;
				continue;
			}
			if (cp == '\r' || cp == '\f') {
				k += step;
				continue;
			}
		} else if (cp >= 0 && (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))) {
			k += step;
			continue;
		}
		if ((error = san_char(st, p + k, step, cp)) < 0)
			return error;
		k += step;
	}
	return 0;
}

/* Writes the end tag of the innermost open element and pops it; 0 or FM_ENOMEM. */
static int
san_pop(struct san *st)
{
	const struct san_tag *t = st->stack[--st->depth];
	int error;

	if (!strcmp(t->emit, "pre"))
		st->pre--;
	if ((error = fm_buf_printf(st->out, "</%s>", t->emit)) < 0)
		return error;
	if (t->flags & SAN_BLOCK)
		st->fresh = 1;
	san_set_mark(st);
	return 0;
}

/* Returns the depth of the innermost open element that satisfies flags (any of them), or 0 when none is open. */
static size_t
san_find(const struct san *st, unsigned flags)
{
	size_t d;

	for (d = st->depth; d > 0; d--)
		if (st->stack[d - 1]->flags & flags)
			return d;
	return 0;
}

/* Returns the depth of the innermost open element written as name, or 0 when none is open. */
static size_t
san_find_name(const struct san *st, const char *name)
{
	size_t d;

	for (d = st->depth; d > 0; d--)
		if (!strcmp(st->stack[d - 1]->emit, name))
			return d;
	return 0;
}

/*
 * Opens the kept element t (href is its accepted link for a, else NULL):
 * closes what HTML would close before it, then writes the start tag and
 * pushes it. A start tag that cannot open (li outside a list, a inside a,
 * no room left) is dropped. Returns 0 or FM_ENOMEM.
 */
static int
san_open(struct san *st, const struct san_tag *t, const fm_buf *href)
{
	size_t list;
	int error;

	if (t->flags & SAN_INLINE) {
		if (!strcmp(t->emit, "a") && san_find_name(st, "a"))
			return 0;
	} else if (!strcmp(t->emit, "li")) {
		if (!(list = san_find(st, SAN_LIST))) {
			st->space = 1;
			return 0;
		}
		while (st->depth > list)
			if ((error = san_pop(st)) < 0)
				return error;
	} else {
		while (st->depth > 0 && !(st->stack[st->depth - 1]->flags & SAN_CONTAINER))
			if ((error = san_pop(st)) < 0)
				return error;
	}
	if (st->depth == SAN_DEPTH)
		return 0;
	if (t->flags & SAN_INLINE) {
		/* "word <b>bold": the space stays before the tag. */
		if (st->space && st->chars > 0 && !st->fresh) {
			st->space = 0;
			san_set_mark(st);
			if (st->max && st->chars + 1 > st->max)
				return san_cut(st);
			if ((error = fm_buf_putc(st->out, ' ')) < 0)
				return error;
			st->chars++;
		}
	} else {
		st->space = 0;
		st->fresh = 1;
	}
	if (href) {
		if ((error = fm_buf_puts(st->out, "<a href=\"")) < 0 ||
		    (error = fm__html_escape(st->out, href->ptr, href->size)) < 0 ||
		    (error = fm_buf_putc(st->out, '"')) < 0 ||
		    (error = fm_buf_puts(st->out, san_rel)) < 0 ||
		    (error = fm_buf_putc(st->out, '>')) < 0)
			return error;
	} else if ((error = fm_buf_printf(st->out, "<%s>", t->emit)) < 0) {
		return error;
	}
	st->stack[st->depth++] = t;
	if (!strcmp(t->emit, "pre"))
		st->pre++;
	san_set_mark(st);
	return 0;
}

/* Closes the innermost open element written as t is, and everything inside it; a stray end tag does nothing. Returns 0 or FM_ENOMEM. */
static int
san_close(struct san *st, const struct san_tag *t)
{
	size_t d = san_find_name(st, t->emit);
	int error;

	if (d == 0)
		return 0;
	if (t->flags & SAN_BLOCK)
		st->space = 0;
	while (st->depth >= d)
		if ((error = san_pop(st)) < 0)
			return error;
	return 0;
}

/* Writes a line break; 0 or FM_ENOMEM. */
static int
san_br(struct san *st)
{
	int error;

	st->space = 0;
	st->fresh = 1;
	if ((error = fm_buf_puts(st->out, "<br>")) < 0)
		return error;
	san_set_mark(st);
	return 0;
}

/*
 * Decodes the href value s[0..n) into st->val and checks it; returns 1 and
 * leaves the accepted URL in st->url, 0 when refused, or FM_ENOMEM.
 */
static int
san_href(struct san *st, const char *s, size_t n)
{
	size_t i = 0, j, vlen;
	const char *v;
	char u[4];
	int error;

	fm_buf_clear(&st->val);
	fm_buf_clear(&st->url);
	while (i < n) {
		if (s[i] == '&' && (v = fm__html_ref_decode(s, n, &i, u, &vlen))) {
			if ((error = fm_buf_append(&st->val, v, vlen)) < 0)
				return error;
			continue;
		}
		for (j = i + 1; j < n && s[j] != '&'; j++)
			;
		if ((error = fm_buf_append(&st->val, s + i, j - i)) < 0)
			return error;
		i = j;
	}
	return fm_sanitise_url(&st->url, st->val.ptr ? st->val.ptr : "", st->val.size);
}

/*
 * Reads the attributes of the start tag whose name ends at s[k] and moves
 * *end just past its '>', or to len when it never ends. With want_href
 * set, *href and *hlen receive the first href value (quotes removed, not
 * decoded), *href NULL when there is none. Attributes are read as the HTML
 * tokenizer reads them. Returns 1 when the tag ends, 0 when it runs to the
 * end of the input (in an unclosed quote, say).
 */
static int
san_attrs(const char *s, size_t len, size_t k, int want_href, size_t *end,
	  const char **href, size_t *hlen)
{
	fm__html_attr at;
	int more;

	*href = NULL;
	*hlen = 0;
	while ((more = fm__html_attr_next(s, len, &k, &at)) > 0)
		if (want_href && !*href && at.has_value && at.nlen == 4 &&
		    fm__text_case_eq(s + at.name, "href", 4)) {
			*href = s + at.value;
			*hlen = at.vlen;
		}
	*end = k;
	return more == 0;
}

/*
 * Handles the start tag at s[*i] == '<' (a letter follows) and moves *i
 * past it, and past the content of a raw text element. Returns 0 or
 * FM_ENOMEM.
 */
static int
san_start_tag(struct san *st, const char *s, size_t len, size_t *i)
{
	char name[HTML_TAG_MAX];
	const struct san_tag *t = NULL;
	const char *href;
	size_t k, nlen, end, hlen;
	int self_closing, ok, ends;

	k = fm__html_tag_name(s, len, *i + 1, name, &nlen);
	while (k < len && fm__html_is_name_char((unsigned char)s[k]))
		k++; /* the rest of a name too long for the table */
	if (nlen)
		t = san_tag_lookup(name, nlen);
	ends = san_attrs(s, len, k, t && !strcmp(t->name, "a") && !st->dropping,
			 &end, &href, &hlen);
	*i = end;
	if (!ends || !t)
		return 0; /* a tag that never ends is dropped, as HTML does */
	self_closing = end - k >= 2 && s[end - 2] == '/';
	if (t->flags & SAN_RAW) {
		if (!self_closing)
			*i = fm__html_rawtext_end(s, len, end, t->name, t->nlen);
		return 0;
	}
	if (t->flags & SAN_DROP) {
		if (!self_closing) {
			st->drop[t - san_tags]++;
			st->dropping++;
		}
		st->space = 1;
		return 0;
	}
	if (st->dropping)
		return 0;
	if (t->flags & SAN_SPACE) {
		st->space = 1;
		return 0;
	}
	if (t->flags & SAN_VOID)
		return san_br(st);
	if (self_closing) {
		/* "<p/>" in XHTML: an empty element, a word break at most. */
		if (t->flags & SAN_BLOCK)
			st->space = 1;
		return 0;
	}
	if (!strcmp(t->emit, "a")) {
		if (!href)
			return 0;
		if ((ok = san_href(st, href, hlen)) <= 0)
			return ok;
		return san_open(st, t, &st->url);
	}
	return san_open(st, t, NULL);
}

/* Handles the end tag whose name starts at s[k] and moves *i past it; 0 or FM_ENOMEM. */
static int
san_end_tag(struct san *st, const char *s, size_t len, size_t k, size_t *i)
{
	char name[HTML_TAG_MAX];
	const struct san_tag *t;
	size_t nlen;

	k = fm__html_tag_name(s, len, k, name, &nlen);
	*i = fm__html_tag_end(s, len, k);
	if (!nlen || !(t = san_tag_lookup(name, nlen)))
		return 0;
	if (t->flags & SAN_DROP) {
		if (st->drop[t - san_tags] > 0) {
			st->drop[t - san_tags]--;
			st->dropping--;
		}
		return 0;
	}
	if (st->dropping)
		return 0;
	if (t->flags & SAN_SPACE) {
		st->space = 1;
		return 0;
	}
	if (t->flags & SAN_VOID)
		return san_br(st); /* "</br>" is a line break to HTML too */
	if (t->flags & (SAN_INLINE | SAN_BLOCK))
		return san_close(st, t);
	return 0;
}

/*
 * Handles the markup at s[*i] == '<' and moves *i past it: tags as above;
 * comments, CDATA sections, doctypes, processing instructions and bogus
 * end tags ("</ x>") are dropped; a '<' that starts no markup ("a < b") is
 * text. Returns 0 or FM_ENOMEM.
 */
static int
san_markup(struct san *st, const char *s, size_t len, size_t *i)
{
	size_t k = *i + 1;

	if (k < len && fm__html_is_alpha((unsigned char)s[k]))
		return san_start_tag(st, s, len, i);
	if (k + 1 < len && s[k] == '/' && fm__html_is_alpha((unsigned char)s[k + 1]))
		return san_end_tag(st, s, len, k + 1, i);
	if (len - k >= 3 && memcmp(s + k, "!--", 3) == 0) {
		*i = fm__html_comment_end(s, len, *i);
	} else if (len - k >= 8 && memcmp(s + k, "![CDATA[", 8) == 0) {
		k = fm__html_cdata_end(s, len, k + 8);
		*i = k < len ? k + 3 : len;
	} else if (k < len && (s[k] == '/' || s[k] == '!' || s[k] == '?')) {
		*i = fm__html_bogus_end(s, len, k + 1);
	} else {
		*i = k;
		return st->dropping ? 0 : san_text(st, (const unsigned char *)"<", 1);
	}
	return 0;
}

int
fm_sanitise_html(fm_buf *out, const char *html, size_t len, size_t max_chars, int *cut)
{
	struct san *st;
	const char *v, *p;
	size_t i = 0, start = out->size, vlen, j;
	char u[4];
	int error = 0;

	assert(out && (html || len == 0));
	if (cut)
		*cut = 0;
	/* The state holds a counter per tag: too big for the stack of a deep caller. */
	if (!(st = calloc(1, sizeof(*st))))
		return FM_ENOMEM;
	st->out = out;
	st->max = max_chars;
	if ((error = fm_buf_grow(out, 0)) < 0)
		goto out;
	out->ptr[out->size] = '\0'; /* even when nothing is appended */
	san_set_mark(st);
	while (i < len && error == 0 && !st->cut) {
		if (html[i] == '<') {
			error = san_markup(st, html, len, &i);
		} else if (st->dropping) {
			p = memchr(html + i, '<', len - i);
			i = p ? (size_t)(p - html) : len;
		} else if (html[i] == '&') {
			if ((v = fm__html_ref_decode(html, len, &i, u, &vlen))) {
				error = san_text(st, (const unsigned char *)v, vlen);
			} else {
				i++;
				error = san_text(st, (const unsigned char *)"&", 1);
			}
		} else {
			for (j = i + 1; j < len && html[j] != '<' && html[j] != '&'; j++)
				;
			error = san_text(st, (const unsigned char *)html + i, j - i);
			i = j;
		}
	}
	while (error == 0 && st->depth > 0)
		error = san_pop(st);
	if (error == 0 && cut)
		*cut = st->cut;
out:
	fm_buf_dispose(&st->val);
	fm_buf_dispose(&st->url);
	free(st);
	return error < 0 ? fm__text_rollback(out, start, error) : 0;
}

/* Returns 1 for a byte that may continue a URL scheme (RFC 3986 section 3.1). */
static int
san_scheme_char(int c)
{
	return fm__html_is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

int
fm_sanitise_url(fm_buf *out, const char *url, size_t len)
{
	static const char *const allowed[] = { "http", "https", "mailto" };
	size_t a = 0, b = len, start = out->size, k, i, step;
	unsigned char c;
	int32_t cp;
	int error;

	/* The WHATWG URL parser drops leading and trailing C0 controls and spaces. */
	while (a < b && (unsigned char)url[a] <= 0x20)
		a++;
	while (b > a && (unsigned char)url[b - 1] <= 0x20)
		b--;
	if (a == b)
		return 0;
	if (b - a >= 2 && url[a] == '/' && url[a + 1] == '/') {
		/* Protocol-relative: https, when a host follows. */
		if (b - a == 2 || strchr("/\\?#", url[a + 2]))
			return 0;
		if ((error = fm_buf_puts(out, "https:")) < 0)
			return error;
	}
	for (i = a; i < b; i += step) {
		c = (unsigned char)url[i];
		step = 1;
		if (c == '\t' || c == '\n' || c == '\r')
			continue; /* removed anywhere, by browsers too */
		if (c < 0x20 || c == 0x7f)
			return fm__text_rollback(out, start, 0);
		if (c >= 0x80) {
			step = fm__text_utf8_decode((const unsigned char *)url + i, b - i, &cp);
			if (cp < 0 || (cp >= 0x80 && cp < 0xa0))
				return fm__text_rollback(out, start, 0); /* malformed, or a C1 control */
		}
		if ((error = fm_buf_append(out, url + i, step)) < 0)
			return fm__text_rollback(out, start, error);
	}
	/* The scheme: a letter, then letters, digits, '+', '-', '.', up to ':'. */
	k = start;
	if (!fm__html_is_alpha((unsigned char)out->ptr[k]))
		return fm__text_rollback(out, start, 0);
	while (k < out->size && san_scheme_char((unsigned char)out->ptr[k])) {
		out->ptr[k] = (char)fm__text_lower((unsigned char)out->ptr[k]);
		k++;
	}
	if (k == out->size || out->ptr[k] != ':')
		return fm__text_rollback(out, start, 0);
	for (i = 0; i < sizeof(allowed) / sizeof(*allowed); i++)
		if (strlen(allowed[i]) == k - start && !memcmp(out->ptr + start, allowed[i], k - start))
			return 1;
	return fm__text_rollback(out, start, 0);
}
