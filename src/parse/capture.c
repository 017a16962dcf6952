/*
 * capture.c - text capture for the feed model: gathers an element's text
 * (serialising child markup in HTML and XHTML content) and converts it
 * into the value of the field it fills (internal).
 */
#include "parse/model_int.h"
#include "parse/decode.h"
#include "parse/html.h"
#include "parse/names.h"
#include "parse/textutil.h"
#include "feedmerge/date.h"

#include <string.h>
#include <strings.h>

/* Returns 1 when a MIME type is an XML one (RFC 3023: .../xml or ...+xml). */
static int
model_is_xml_type(const char *type)
{
	size_t n = strlen(type);

	while (n && (type[n - 1] == ' ' || type[n - 1] == '\t'))
		n--;
	return (n >= 4 && !strncasecmp(type + n - 4, "/xml", 4)) ||
	       (n >= 4 && !strncasecmp(type + n - 4, "+xml", 4));
}

/*
 * Decides how an Atom text construct reads (RFC 4287 3.1; Atom 0.3
 * "mode"); sets m->cap_untyped when it names neither.
 */
static int
model_atom_kind(fm__model *m, const char **atts)
{
	const char *type = fm__model_attr(m, atts, "type");
	const char *mode = fm__model_attr(m, atts, "mode");
	int html;

	m->cap_untyped = !type && !mode;
	if (!type || !*type || !strcasecmp(type, "text") || !strcasecmp(type, "text/plain"))
		html = 0;
	else if (!strcasecmp(type, "html") || !strcasecmp(type, "text/html"))
		html = 1;
	else if (!strcasecmp(type, "xhtml") || !strcasecmp(type, "application/xhtml+xml"))
		return mode && !strcasecmp(mode, "escaped") ? TK_HTML : TK_XHTML;
	else if (!mode && m->format == FM_FORMAT_ATOM10 && strncasecmp(type, "text/", 5) &&
		 !model_is_xml_type(type))
		return TK_B64ANY; /* RFC 4287 4.1.3.3: any other type is base64 */
	else
		html = 0;
	if (mode && !strcasecmp(mode, "base64"))
		return html ? TK_B64HTML : TK_B64TEXT;
	if (mode && !strcasecmp(mode, "escaped"))
		return TK_HTML;
	if (mode && !strcasecmp(mode, "xml") && type)
		return TK_XHTML;
	return html ? TK_HTML : TK_TEXT;
}

/* Starts capturing the text of the element el into field, read as kind. */
void
fm__model_capture(fm__model *m, int el, int field, int rank, int kind, const char **atts)
{
	model_record *r = fm__model_rec(m);

	if (fm__model_push(m, el, CTX_CAPTURE) < 0)
		return;
	m->cap_depth = m->depth;
	m->cap_el = el;
	m->cap_skipdiv = 0;
	fm_buf_clear(&m->cap);
	/*
	 * A source ranked no higher than what the field has cannot win: skip
	 * it. But of two dates of one rank the later wins (a feed that repeats
	 * one corrects it), and every author joins the record's people.
	 */
	if (field < MF_NFIELDS && field != MF_AUTHOR &&
	    (r->prio[field] > rank ||
	     (r->prio[field] == rank && field != MF_PUBLISHED && field != MF_UPDATED))) {
		m->cap_field = -1;
		return;
	}
	m->cap_field = field;
	m->cap_prio = rank;
	m->cap_untyped = 0;
	m->cap_kind = kind == TK_ATOM ? model_atom_kind(m, atts) : kind;
	if (el == EL_CATEGORY || el == EL_MEDIA_CATEGORY) {
		/* RSS 2.0: the domain is the scheme; Media RSS has a scheme (with a default) and a label. */
		const char *scheme = fm__model_attr(m, atts, el == EL_CATEGORY ? "domain" : "scheme");
		const char *label = el == EL_MEDIA_CATEGORY ? fm__model_attr(m, atts, "label") : NULL;
		if (!scheme && el == EL_MEDIA_CATEGORY)
			scheme = "http://search.yahoo.com/mrss/category_schema";
		fm_buf_clear(&m->cat_scheme);
		fm_buf_clear(&m->cat_label);
		if (scheme)
			fm_buf_puts(&m->cat_scheme, scheme);
		if (label)
			fm_buf_puts(&m->cat_label, label);
	}
	if (el == EL_GUID) {
		const char *pl = fm__model_attr(m, atts, "isPermaLink");
		m->cap_permalink = !pl || strcasecmp(pl, "false");
	}
}

/* Appends captured bytes, enforcing max_field. */
void
fm__model_cap_append(fm__model *m, const char *s, size_t len, int escape)
{
	int error;

	if (m->cap.size + len > m->limits.max_field) {
		fm__model_fail(m, FM_ELIMIT, "a field is longer than %zu bytes", m->limits.max_field);
		return;
	}
	error = escape ? fm__html_escape(&m->cap, s, len) : fm_buf_append(&m->cap, s, len);
	if (error < 0)
		fm__model_fail(m, FM_ENOMEM, "out of memory");
}

/* Serialises a start tag inside HTML/XHTML content. */
void
fm__model_cap_start_tag(fm__model *m, const char *local, const char **atts)
{
	const char *an, *sep;
	int is_void = fm__names_html_void(local);

	fm__model_cap_append(m, "<", 1, 0);
	fm__model_cap_append(m, local, strlen(local), 0);
	for (; atts && atts[0]; atts += 2) {
		an = atts[0];
		if ((sep = strchr(an, '\n')))
			an = sep + 1;  /* xml:lang and the like: keep the local name */
		fm__model_cap_append(m, " ", 1, 0);
		fm__model_cap_append(m, an, strlen(an), 0);
		fm__model_cap_append(m, "=\"", 2, 0);
		fm__model_cap_append(m, atts[1], strlen(atts[1]), 1);
		fm__model_cap_append(m, "\"", 1, 0);
	}
	fm__model_cap_append(m, is_void ? " />" : ">", is_void ? 3 : 1, 0);
}

/* The decoder's sink for model_clean_utf8: appends to the buffer. */
static int
model_utf8_sink(const char *utf8, size_t len, void *payload)
{
	return fm_buf_append(payload, utf8, len);
}

/*
 * Appends bytes to out as clean UTF-8, as the document decoder would make
 * them (invalid bytes read as windows-1252, forbidden characters dropped).
 * Returns 0 or a negative code.
 */
static int
model_clean_utf8(fm_buf *out, const char *s, size_t len)
{
	fm__decoder *d;
	int error;

	if ((error = fm__decoder_new(&d, NULL, "utf-8")) < 0)
		return error;
	if ((error = fm__decoder_push(d, s, len, model_utf8_sink, out)) == 0)
		error = fm__decoder_finish(d, model_utf8_sink, out);
	fm__decoder_free(d);
	return error;
}

/*
 * Returns 1 when s[0..len) reads as text: well-formed UTF-8 (RFC 3629) with
 * no C0 control but tab, line feed and carriage return.
 */
static int
model_is_utf8_text(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;

	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			i++;
			continue;
		}
		if (c < 0xC2 || c > 0xF4)
			return 0;
		n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (len - i <= n)
			return 0;
		/* E0 and F0 must not start an overlong form, ED a surrogate, F4 go past U+10FFFF. */
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		for (k = 1; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

/*
 * Makes s[0..len), a range of m->cap, the field's value: the buffers trade
 * places instead of the text being copied (HTML content, often long, is
 * mostly kept as written).
 */
static void
model_cap_keep(fm__model *m, const char *s, size_t len)
{
	fm_buf t = m->tmp;

	m->tmp = m->cap;
	m->cap = t;
	fm_buf_clear(&m->cap);
	if (len && s != m->tmp.ptr)
		memmove(m->tmp.ptr, s, len);
	fm__text_rollback(&m->tmp, len, 0);
}

/*
 * The text rewritten into m->tmp becomes the capture (the buffers trade
 * places; tmp is left empty); returns it and sets *len.
 */
static const char *
model_cap_replace(fm__model *m, size_t *len)
{
	fm_buf t = m->cap;

	m->cap = m->tmp;
	m->tmp = t;
	fm_buf_clear(&m->tmp);
	*len = m->cap.size;
	return fm_buf_cstr(&m->cap);
}

/* Returns 1 for the ASCII model_trim drops: space, tab, CR, LF (and NUL, as strchr(" \t\r\n", c) did). */
static int
model_trim_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

/*
 * Returns the length of the white space the (decoded, valid) UTF-8 text
 * s[0..n) starts with, 0 for none: ASCII as model_trim_space reads it,
 * past ASCII what fm__text_is_uspace says (as feedparser's strip() does).
 * Every such code point takes two or three bytes.
 */
static size_t
model_space_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 1 && model_trim_space(s[0]))
		return 1;
	if (n >= 2 && (u[0] & 0xE0) == 0xC0 && fm__text_is_uspace((u[0] & 0x1F) << 6 | (u[1] & 0x3F)))
		return 2;
	if (n >= 3 && (u[0] & 0xF0) == 0xE0 &&
	    fm__text_is_uspace((u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F)))
		return 3;
	return 0;
}

/* Returns the length of the white space (as model_space_at reads it) s[0..n) ends with, 0 for none. */
static size_t
model_space_before(const char *s, size_t n)
{
	size_t k = 1;

	if (n == 0)
		return 0;
	/* Back from the last byte over continuation bytes to the sequence's first. */
	while (k < n && k < 3 && ((unsigned char)s[n - k] & 0xC0) == 0x80)
		k++;
	return model_space_at(s + n - k, k) == k ? k : 0;
}

/* Drops white space, ASCII and Unicode, at both ends of s[0..*len); returns the new start. */
static const char *
model_trim(const char *s, size_t *len)
{
	size_t k;

	while ((k = model_space_at(s, *len)) != 0)
		s += k, *len -= k;
	while ((k = model_space_before(s, *len)) != 0)
		*len -= k;
	return s;
}

/*
 * Turns the captured text into the field's value (in m->tmp) and sets
 * m->cap_type to what it holds; returns 0 or FM_ENOMEM.
 */
static int
model_cap_convert(fm__model *m, int field)
{
	const char *s = fm_buf_cstr(&m->cap);
	size_t len = m->cap.size;
	int kind = m->cap_kind, error;

	fm_buf_clear(&m->tmp);
	m->cap_type = FM_TEXT_PLAIN;
	/* A reference to a C1 control (&#146;) means the windows-1252 character, as in HTML. */
	if (len) {
		if ((error = fm__decode_fix_c1(&m->tmp, s, len)) < 0)
			return error;
		if (error == 1)
			s = model_cap_replace(m, &len);
	}
	if (kind == TK_B64HTML || kind == TK_B64TEXT || kind == TK_B64ANY) {
		/* Decoded bytes are any bytes: they go through the UTF-8 repair too. */
		fm_buf raw = FM_BUF_INIT;
		/*
		 * A body of some other media type (TK_B64ANY, RFC 4287 4.1.3.3)
		 * is decoded only when that gives text: "test" is base64 too,
		 * and bytes that are not text are better left as written.
		 */
		if (fm__base64_decode(&raw, s, len) == 0 &&
		    (kind != TK_B64ANY || model_is_utf8_text((const unsigned char *)raw.ptr, raw.size)) &&
		    model_clean_utf8(&m->tmp, raw.ptr ? raw.ptr : "", raw.size) == 0)
			s = model_cap_replace(m, &len);
		fm_buf_dispose(&raw);
		kind = kind == TK_B64HTML ? TK_HTML : kind == TK_B64ANY ? TK_PLAIN : TK_TEXT;
	}
	if (field == MF_SUMMARY || field == MF_CONTENT || field == MF_TITLE || field == MF_SUBTITLE) {
		s = model_trim(s, &len);
		/* RSS has no type: text that looks like HTML is HTML (as feed readers guess). */
		if (kind == TK_PLAIN)
			kind = fm__looks_like_html(s, len) ? TK_HTML : TK_TEXT;
		m->cap_type = kind == TK_XHTML ? FM_TEXT_XHTML : kind == TK_TEXT ? FM_TEXT_PLAIN : FM_TEXT_HTML;
	}
	if (field == MF_SUMMARY || field == MF_CONTENT) {
		/*
		 * HTML fields: text becomes HTML; HTML stays as written, but
		 * for its links, made absolute so it reads the same wherever
		 * it is republished.
		 */
		if (kind == TK_TEXT)
			return fm__html_escape(&m->tmp, s, len);
	} else if (field == MF_TITLE || field == MF_SUBTITLE) {
		/*
		 * Titles keep what the feed meant: the text as written (trimmed:
		 * feedparser and rss-parser keep inner runs of white space too),
		 * or the HTML with absolute links.
		 */
		if (kind == TK_TEXT)
			return fm_buf_append(&m->tmp, s, len);
	}
	if (field == MF_SUMMARY || field == MF_CONTENT || field == MF_TITLE || field == MF_SUBTITLE) {
		if ((error = fm__html_resolve_urls_changed(&m->tmp, s, len, fm__model_base(m))) != 1)
			return error;
		model_cap_keep(m, s, len);
		return 0;
	}
	if ((error = fm__collapse_space(&m->tmp, s, len)) < 0)
		return error;
	if (field == MF_LINK || field == MF_AUTHOR_URI || field == MF_P_URI) {
		fm_buf_clear(&m->cap);
		if ((error = fm__unescape_twice_escaped(&m->cap, m->tmp.ptr, m->tmp.size)) < 0)
			return error;
		return fm__model_resolve(m, fm_buf_cstr(&m->cap));
	}
	return 0;
}

/*
 * Stores a text field (in m->tmp) when its source outranks the field's,
 * with its type, the xml:base in force when there is one, and for a title
 * or subtitle that is HTML, its plain text beside it.
 */
static void
model_set_text(fm__model *m, model_record *r, int field)
{
	fm_buf *base = &r->str[fm__model_base_field(field)];
	fm_buf *text;
	int error = 0;

	if (!m->tmp.size || r->prio[field] >= m->cap_prio)
		return;
	fm__model_set(m, r, field, m->cap_prio);
	r->type[field] = (uint8_t)m->cap_type;
	if (base->size)
		fm_buf_clear(base);
	/* bases[0] is the document's URL, which the record need not copy. */
	if (m->nbases > 1 && fm__model_base(m))
		error = fm_buf_puts(base, fm__model_base(m));
	if (r->str[fm__model_lang_field(field)].size)
		fm_buf_clear(&r->str[fm__model_lang_field(field)]);
	if (error == 0 && fm__model_lang(m))
		error = fm_buf_puts(&r->str[fm__model_lang_field(field)], fm__model_lang(m));
	if (field == MF_TITLE || field == MF_SUBTITLE) {
		text = &r->str[field == MF_TITLE ? MF_TITLE_TEXT : MF_SUBTITLE_TEXT];
		fm_buf_clear(text);
		if (error == 0 && m->cap_type != FM_TEXT_PLAIN)
			error = fm__html_to_text(text, r->str[field].ptr, r->str[field].size);
	}
	if (error < 0)
		fm__model_fail(m, FM_ENOMEM, "out of memory");
}

/* Returns 1 when s looks like an absolute http(s) URL. */
static int
model_is_http_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

/* Ends a capture: converts the text and stores it where it belongs. */
void
fm__model_capture_end(fm__model *m)
{
	model_record *r = fm__model_rec(m);
	int field = m->cap_field;
	fm_time t;

	m->cap_field = -1;
	if (field < 0)
		return;
	if (field == ML_CATEGORY) {
		int attrs = m->cap_el == EL_CATEGORY || m->cap_el == EL_MEDIA_CATEGORY;
		fm__model_add_category(m, fm_buf_cstr(&m->cap), m->cap.size,
				       attrs && m->cat_scheme.size ? m->cat_scheme.ptr : NULL,
				       attrs && m->cat_label.size ? m->cat_label.ptr : NULL);
		return;
	}
	if (field == ML_LINK) {
		fm_buf_clear(&m->tmp);
		if (fm__collapse_space(&m->tmp, fm_buf_cstr(&m->cap), m->cap.size) < 0)
			return;
		if (!m->tmp.size) {
			/* No URL at all: listed as the feed wrote it, never the link or an enclosure. */
			fm__model_add_link(m, NULL, m->link_rel.size ? m->link_rel.ptr : NULL,
					   m->link_type.size ? m->link_type.ptr : NULL,
					   m->link_title.size ? m->link_title.ptr : NULL,
					   m->link_length.size ? m->link_length.ptr : NULL);
			return;
		}
		fm_buf_clear(&m->cap);
		if (fm__unescape_twice_escaped(&m->cap, m->tmp.ptr, m->tmp.size) == 0)
			fm__model_link(m, m->cap.ptr, m->link_rel.size ? m->link_rel.ptr : NULL,
				       m->link_type.size ? m->link_type.ptr : NULL,
				       m->link_title.size ? m->link_title.ptr : NULL,
				       m->link_length.size ? m->link_length.ptr : NULL);
		return;
	}
	if (field == ML_KEYWORDS) {
		/* iTunes keywords and made-up <tags>: a comma-separated list of terms. */
		const char *s = fm_buf_cstr(&m->cap), *comma;
		const char *scheme = m->cap_el == EL_ITUNES_KEYWORDS ? "http://www.itunes.com/" : NULL;
		while (*s) {
			comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			fm__model_add_category(m, s, len, scheme, NULL);
			s += len + (comma != NULL);
		}
		return;
	}
	if (field == ML_HINT) {
		fm_buf_clear(&m->tmp);
		if (fm__collapse_space(&m->tmp, fm_buf_cstr(&m->cap), m->cap.size) == 0)
			fm__model_hint(m, m->cap_el, fm_buf_cstr(&m->tmp));
		return;
	}
	if (field == ML_CONTRIBUTOR) {
		fm_buf_clear(&m->tmp);
		if (fm__collapse_space(&m->tmp, fm_buf_cstr(&m->cap), m->cap.size) == 0 && m->tmp.size)
			fm__model_add_person_string(m, m->tmp.ptr, 1);
		return;
	}
	if (field == MF_PUBLISHED || field == MF_UPDATED) {
		fm_buf_clear(&m->tmp);
		fm__collapse_space(&m->tmp, fm_buf_cstr(&m->cap), m->cap.size);
		if (!m->tmp.size)
			return;
		if (fm_date_parse(&t, m->tmp.ptr) < 0) {
			fm__model_warn(m, "unparseable date \"%.200s\"", m->tmp.ptr);
			return;
		}
		if (r->prio[field] <= m->cap_prio) {
			*(field == MF_PUBLISHED ? &r->published : &r->updated) = t;
			r->prio[field] = (uint8_t)m->cap_prio;
			fm_buf *text = &r->str[field == MF_PUBLISHED ? MF_PUBLISHED_TEXT : MF_UPDATED_TEXT];
			fm_buf_clear(text);
			if (fm_buf_append(text, m->tmp.ptr, m->tmp.size) < 0)
				fm__model_fail(m, FM_ENOMEM, "out of memory");
		}
		return;
	}
	if (model_cap_convert(m, field) < 0) {
		fm__model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	if (m->cap_el == EL_GUID && m->cap_permalink && model_is_http_url(fm_buf_cstr(&m->tmp))) {
		/* RSS 2.0: a guid that is a permalink is the item's link too. */
		fm_buf_clear(&m->cap);
		if (fm_buf_append(&m->cap, m->tmp.ptr, m->tmp.size) < 0)
			return;
		fm__model_set(m, r, field, m->cap_prio);
		fm_buf_clear(&m->tmp);
		if (fm_buf_append(&m->tmp, m->cap.ptr, m->cap.size) == 0)
			fm__model_set(m, r, MF_LINK, 1);
		return;
	}
	if (field == MF_TITLE || field == MF_SUBTITLE || field == MF_SUMMARY || field == MF_CONTENT) {
		model_set_text(m, r, field);
		return;
	}
	if (field == MF_AUTHOR && m->cap_el == EL_WEBMASTER) {
		/* Kept aside: fm__model_feed makes it the author only when there is none. */
		if (!m->webmaster.size && m->tmp.size)
			fm_buf_append(&m->webmaster, m->tmp.ptr, m->tmp.size);
		return;
	}
	if (m->cap_el == EL_LINK && m->tmp.size) {
		/* An RSS link is one of the record's links too, in document order with its enclosures. */
		fm__model_add_link(m, m->tmp.ptr, NULL, NULL, NULL, NULL);
	}
	if (field == MF_AUTHOR && m->tmp.size) {
		/*
		 * Every RSS-style author is one of the record's people; the
		 * best ranked is its author, read from that person (split once).
		 */
		size_t n = r->npeople;
		int wins = r->prio[MF_AUTHOR] < m->cap_prio;
		fm_buf_clear(&m->cap);
		if (fm_buf_append(&m->cap, m->tmp.ptr, m->tmp.size) == 0)
			fm__model_add_person_string(m, m->cap.ptr, 0);
		if (wins)
			r->author_person = r->npeople > n ? n : SIZE_MAX;
	}
	fm__model_set(m, r, field, m->cap_prio);
}
