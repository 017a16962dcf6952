/*
 * htmlurl.c - making the URLs inside feed HTML absolute
 * (fm__html_resolve_urls, declared in html.h).
 *
 * Start tags are read with the scanner html.c shares (htmlscan.h); like the
 * rest of the HTML code this makes one pass, never reads past the length it
 * is given, and leaves its output buffer as it found it on failure.
 */
#include "parse/html.h"
#include "parse/htmlscan.h"
#include "parse/textutil.h"
#include "parse/url.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <string.h>

/* Attributes whose value is one URL, on whatever element they appear. Sorted. */
static const char *const html_url_attrs[] = {
	"action", "background", "cite", "href", "longdesc", "poster", "src", "usemap"
};

/* Elements whose content is text, not markup (raw text and RCDATA). Sorted. */
static const char *const html_raw_tags[] = {
	"iframe", "noembed", "noframes", "script", "style", "textarea", "title", "xmp"
};

/* fm__html_resolve_urls at work: what is copied so far, and scratch buffers. */
struct html_res {
	fm_buf *out;
	const char *base;
	size_t done;  /* html[0..done) is in out already */
	fm_buf val;   /* an attribute value, references decoded */
	fm_buf attr;  /* the value with its URLs resolved */
	fm_buf url;   /* one URL, trimmed and NUL-terminated */
	fm_buf abs;   /* its resolution */
	int changed;  /* attr differs from val */
};

/* Returns 2 for srcset, 1 for another name in html_url_attrs, else 0; s[0..n) is a name in any case. */
static int
html_url_attr(const char *s, size_t n)
{
	char name[HTML_TAG_MAX];
	size_t i;

	if (n > sizeof(name))
		return 0;
	for (i = 0; i < n; i++)
		name[i] = (char)fm__text_lower((unsigned char)s[i]);
	if (n == 6 && memcmp(name, "srcset", 6) == 0)
		return 2;
	return HTML_IN(html_url_attrs, name, n);
}

/* Appends s[0..n) to out with its character references decoded; returns 0 or FM_ENOMEM. */
static int
html_decode(fm_buf *out, const char *s, size_t n)
{
	size_t i = 0, j, vlen;
	const char *v;
	char u[4];
	int error = 0;

	while (i < n && error == 0) {
		if (s[i] == '&' && (v = fm__html_ref_decode(s, n, &i, u, &vlen))) {
			error = fm_buf_append(out, v, vlen);
			continue;
		}
		for (j = i + 1; j < n && s[j] != '&'; j++)
			;
		error = fm_buf_append(out, s + i, j - i);
		i = j;
	}
	return error;
}

/*
 * Appends the URL u[0..n) to r->attr resolved against the base, or as it is
 * when it is blank, a fragment ("#top": an in-page anchor should stay one),
 * absolute (javascript: and data: included), holds a NUL, or libcurl cannot
 * resolve it. Returns 0 or FM_ENOMEM.
 */
static int
html_res_url(struct html_res *r, const char *u, size_t n)
{
	const char *p = u;
	size_t m = n;
	int error;

	fm__text_trim(&p, &m);
	fm_buf_clear(&r->url);
	if (m == 0 || *p == '#' || memchr(p, '\0', m))
		return fm_buf_append(&r->attr, u, n);
	if ((error = fm_buf_append(&r->url, p, m)) < 0)
		return error;
	if (fm__url_is_absolute(r->url.ptr))
		return fm_buf_append(&r->attr, u, n);
	if ((error = fm__url_resolve(&r->abs, r->base, r->url.ptr)) < 0)
		return error;
	if (r->abs.size == m && memcmp(r->abs.ptr, p, m) == 0)
		return fm_buf_append(&r->attr, u, n);
	r->changed = 1;
	return fm_buf_append(&r->attr, r->abs.ptr, r->abs.size);
}

/*
 * Appends a srcset value s[0..n) to r->attr with the URL of each image
 * candidate ("url [descriptor]", comma-separated; a comma ending the URL
 * ends the candidate) resolved. Returns 0 or FM_ENOMEM.
 */
static int
html_res_srcset(struct html_res *r, const char *s, size_t n)
{
	size_t i = 0, j, k, e;
	int error = 0;

	while (i < n && error == 0) {
		for (j = i; j < n && (fm__text_is_space((unsigned char)s[j]) || s[j] == ','); j++)
			;
		for (e = j; e < n && !fm__text_is_space((unsigned char)s[e]); e++)
			;
		for (k = e; k > j && s[k - 1] == ','; k--)
			;
		if (k == e)
			while (e < n && s[e] != ',')
				e++;
		if ((error = fm_buf_append(&r->attr, s + i, j - i)) == 0 &&
		    (error = html_res_url(r, s + j, k - j)) == 0)
			error = fm_buf_append(&r->attr, s + k, e - k);
		i = e;
	}
	return error;
}

/*
 * Resolves the value of a URL attribute written as s[q..end), quotes
 * included. When that changes it, copies the HTML before it to out and
 * writes the new value double-quoted and escaped. Returns 0 or FM_ENOMEM.
 */
static int
html_res_value(struct html_res *r, const char *s, size_t q, size_t end, int srcset)
{
	size_t v = q, n = end - q;
	int error;

	if (n && (s[q] == '"' || s[q] == '\'')) {
		v++;
		n -= 2;
	}
	if (n == 0)
		return 0;
	fm_buf_clear(&r->val);
	fm_buf_clear(&r->attr);
	r->changed = 0;
	if ((error = html_decode(&r->val, s + v, n)) < 0 ||
	    (error = srcset ? html_res_srcset(r, r->val.ptr, r->val.size) :
			      html_res_url(r, r->val.ptr, r->val.size)) < 0 ||
	    !r->changed)
		return error;
	if ((error = fm_buf_append(r->out, s + r->done, q - r->done)) < 0 ||
	    (error = fm_buf_putc(r->out, '"')) < 0 ||
	    (error = fm__html_escape(r->out, r->attr.ptr, r->attr.size)) < 0 ||
	    (error = fm_buf_putc(r->out, '"')) < 0)
		return error;
	r->done = end;
	return 0;
}

/*
 * Handles the start tag at s[*i] == '<' (a letter follows): resolves its URL
 * attributes and moves *i past it and past the content of a raw text
 * element. A tag that never ends, which HTML drops, is left as written.
 * Attributes are read as the HTML tokenizer reads them. Returns 0 or FM_ENOMEM.
 */
static int
html_res_tag(struct html_res *r, const char *s, size_t len, size_t *i)
{
	char name[HTML_TAG_MAX];
	size_t mark = r->out->size, done = r->done, k, nlen;
	fm__html_attr at;
	int kind, more, error;

	k = fm__html_tag_name(s, len, *i + 1, name, &nlen);
	while (k < len && fm__html_is_name_char((unsigned char)s[k]))
		k++; /* the rest of a name too long for the tables */
	while ((more = fm__html_attr_next(s, len, &k, &at)) > 0) {
		if (at.has_value && (kind = html_url_attr(s + at.name, at.nlen)) &&
		    (error = html_res_value(r, s, at.raw, at.raw_end, kind == 2)) < 0)
			return error;
	}
	if (more == 0) {
		*i = k;
		if (nlen && HTML_IN(html_raw_tags, name, nlen))
			*i = fm__html_rawtext_end(s, len, *i, name, nlen);
		return 0;
	}
	r->done = done;
	*i = len;
	return fm__text_rollback(r->out, mark, 0);
}

/*
 * Moves *i past the markup at s[*i] == '<', resolving URLs in a start tag.
 * End tags, comments, CDATA sections, doctypes and processing instructions
 * are skipped as written; a '<' that starts no markup is text. Returns 0 or
 * FM_ENOMEM.
 */
static int
html_res_markup(struct html_res *r, const char *s, size_t len, size_t *i)
{
	char name[HTML_TAG_MAX];
	size_t k = *i + 1, nlen;

	if (k < len && fm__html_is_alpha((unsigned char)s[k]))
		return html_res_tag(r, s, len, i);
	if (k + 1 < len && s[k] == '/' && fm__html_is_alpha((unsigned char)s[k + 1]))
		*i = fm__html_tag_end(s, len, fm__html_tag_name(s, len, k + 1, name, &nlen));
	else if (len - k >= 3 && memcmp(s + k, "!--", 3) == 0)
		*i = fm__html_comment_end(s, len, *i);
	else if (len - k >= 8 && memcmp(s + k, "![CDATA[", 8) == 0)
		*i = (k = fm__html_cdata_end(s, len, k + 8)) < len ? k + 3 : len;
	else if (k < len && (s[k] == '/' || s[k] == '!' || s[k] == '?'))
		*i = fm__html_bogus_end(s, len, k + 1);
	else
		*i = k;
	return 0;
}

/*
 * Appends html with the URL attributes of its start tags resolved against
 * base, unless none changes: then returns 1 and leaves out alone, so that a
 * caller holding html in a buffer of its own can keep it without a copy.
 * Returns 0, 1, or FM_ENOMEM (out unchanged then).
 */
int
fm__html_resolve_urls_changed(fm_buf *out, const char *html, size_t len, const char *base)
{
	struct html_res r = { out, base, 0, FM_BUF_INIT, FM_BUF_INIT, FM_BUF_INIT, FM_BUF_INIT, 0 };
	size_t start = out->size, i = 0;
	const char *p;
	int error = 0;

	assert(out && (html || len == 0));
	if (!base || !*base || !len || !memchr(html, '<', len))
		return 1;
	while (error == 0 && i < len && (p = memchr(html + i, '<', len - i))) {
		i = (size_t)(p - html);
		error = html_res_markup(&r, html, len, &i);
	}
	if (error == 0)
		error = r.done == 0 ? 1 : fm_buf_append(out, html + r.done, len - r.done);
	fm_buf_dispose(&r.val);
	fm_buf_dispose(&r.attr);
	fm_buf_dispose(&r.url);
	fm_buf_dispose(&r.abs);
	return error < 0 ? fm__text_rollback(out, start, error) : error;
}

/*
 * Appends html with the URL attributes of its start tags resolved against
 * base; returns 0 or FM_ENOMEM (out unchanged then).
 */
int
fm__html_resolve_urls(fm_buf *out, const char *html, size_t len, const char *base)
{
	int error = fm__html_resolve_urls_changed(out, html, len, base);

	return error == 1 ? fm_buf_append(out, html, len) : error;
}
