/*
 * model.c - the feed model: turns XML events into feed fields and items.
 *
 * One set of rules serves RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, because feeds
 * mix them freely (Atom links in RSS, Dublin Core everywhere). Each element
 * is looked up once (names.c); a table says which field it fills, with a
 * rank: a field keeps the value of its highest-ranked source, the first one
 * on a tie. Items are handed out at their end tag and forgotten.
 */
#include "parse/model.h"
#include "parse/decode.h"
#include "parse/html.h"
#include "parse/names.h"
#include "parse/textutil.h"
#include "parse/url.h"
#include "feedmerge/date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Contexts: how the children of an element are read. */
enum {
	CTX_DOC,     /* before the root */
	CTX_FEED,    /* inside <rss> or <rdf:RDF> */
	CTX_CHANNEL, /* inside <channel> or Atom <feed> */
	CTX_ITEM,    /* inside <item> or <entry> */
	CTX_PERSON,  /* inside <atom:author> */
	CTX_MEDIA,   /* inside <media:group> */
	CTX_CAPTURE, /* inside a field whose text is being captured */
	CTX_SKIP     /* inside something we do not read (image, textInput, source) */
};

/* How captured text is read. */
enum {
	TK_PLAIN,   /* text; child tags ignored */
	TK_HTML,    /* HTML source as text; naked child elements serialised */
	TK_XHTML,   /* XML content: text escaped, child elements serialised */
	TK_TEXT,    /* Atom type="text": text to be escaped for HTML fields */
	TK_B64HTML, /* Atom 0.3 mode="base64" */
	TK_B64TEXT,
	TK_ATOM     /* an Atom text construct: decided by its attributes */
};

/* A list the captured text is added to, beside the string fields. */
#define ML_CATEGORY MF_NFIELDS

/* Where an element's text goes, in an item and in the feed; rank 0: nowhere. */
typedef struct model_map {
	int8_t item_field;
	uint8_t item_rank;
	int8_t feed_field;
	uint8_t feed_rank;
	uint8_t kind;
} model_map;

static const model_map model_maps[EL_COUNT] = {
	[EL_TITLE] = { MF_TITLE, 3, MF_TITLE, 3, TK_PLAIN },
	[EL_ATOM_TITLE] = { MF_TITLE, 3, MF_TITLE, 3, TK_ATOM },
	[EL_LINK] = { MF_LINK, 3, MF_LINK, 3, TK_PLAIN },
	[EL_DESCRIPTION] = { MF_SUMMARY, 3, MF_SUBTITLE, 3, TK_HTML },
	[EL_GUID] = { MF_ID, 3, 0, 0, TK_PLAIN },
	[EL_PUBDATE] = { MF_PUBLISHED, 3, MF_PUBLISHED, 3, TK_PLAIN },
	[EL_LASTBUILDDATE] = { 0, 0, MF_UPDATED, 3, TK_PLAIN },
	[EL_RSS_AUTHOR] = { MF_AUTHOR, 3, MF_AUTHOR, 3, TK_PLAIN },
	[EL_MANAGING_EDITOR] = { 0, 0, MF_AUTHOR, 2, TK_PLAIN },
	[EL_CATEGORY] = { ML_CATEGORY, 1, 0, 0, TK_PLAIN },
	[EL_CONTENT_ENCODED] = { MF_CONTENT, 3, 0, 0, TK_HTML },
	[EL_ATOM_CONTENT] = { MF_CONTENT, 3, 0, 0, TK_ATOM },
	[EL_ATOM_SUMMARY] = { MF_SUMMARY, 3, MF_SUBTITLE, 1, TK_ATOM },
	[EL_ATOM_SUBTITLE] = { 0, 0, MF_SUBTITLE, 3, TK_ATOM },
	[EL_ATOM_ID] = { MF_ID, 3, MF_ID, 3, TK_PLAIN },
	[EL_ATOM_UPDATED] = { MF_UPDATED, 3, MF_UPDATED, 3, TK_PLAIN },
	[EL_ATOM_PUBLISHED] = { MF_PUBLISHED, 3, MF_PUBLISHED, 3, TK_PLAIN },
	[EL_ATOM_ISSUED] = { MF_PUBLISHED, 3, MF_PUBLISHED, 3, TK_PLAIN },
	[EL_ATOM_MODIFIED] = { MF_UPDATED, 3, MF_UPDATED, 3, TK_PLAIN },
	[EL_ATOM_CREATED] = { MF_PUBLISHED, 1, MF_PUBLISHED, 1, TK_PLAIN },
	[EL_DC_TITLE] = { MF_TITLE, 2, MF_TITLE, 2, TK_PLAIN },
	[EL_DC_CREATOR] = { MF_AUTHOR, 2, MF_AUTHOR, 2, TK_PLAIN },
	[EL_DC_DATE] = { MF_UPDATED, 2, MF_UPDATED, 2, TK_PLAIN },
	[EL_DC_SUBJECT] = { ML_CATEGORY, 1, 0, 0, TK_PLAIN },
	[EL_DC_DESCRIPTION] = { MF_SUMMARY, 2, MF_SUBTITLE, 2, TK_HTML },
	[EL_DC_IDENTIFIER] = { MF_ID, 1, 0, 0, TK_PLAIN },
	[EL_DCT_ISSUED] = { MF_PUBLISHED, 2, MF_PUBLISHED, 2, TK_PLAIN },
	[EL_DCT_MODIFIED] = { MF_UPDATED, 2, MF_UPDATED, 2, TK_PLAIN },
	[EL_DCT_CREATED] = { MF_PUBLISHED, 1, MF_PUBLISHED, 1, TK_PLAIN },
	[EL_XHTML_BODY] = { MF_CONTENT, 3, 0, 0, TK_XHTML },
	[EL_MEDIA_TITLE] = { MF_TITLE, 1, 0, 0, TK_PLAIN },
	[EL_MEDIA_DESCRIPTION] = { MF_SUMMARY, 1, 0, 0, TK_TEXT },
	[EL_ITUNES_AUTHOR] = { MF_AUTHOR, 1, MF_AUTHOR, 1, TK_PLAIN },
	[EL_ITUNES_SUMMARY] = { MF_SUMMARY, 1, MF_SUBTITLE, 1, TK_TEXT },
	/* inside <atom:author> */
	[EL_NAME] = { MF_AUTHOR_NAME, 3, MF_AUTHOR_NAME, 3, TK_PLAIN },
	[EL_EMAIL] = { MF_AUTHOR_EMAIL, 3, MF_AUTHOR_EMAIL, 3, TK_PLAIN },
	[EL_URI] = { MF_AUTHOR_URI, 3, MF_AUTHOR_URI, 3, TK_PLAIN },
};

/*
 * Real items carry a handful of categories and enclosures; these caps keep
 * the duplicate checks (a linear scan each) bounded on hostile input.
 */
#define MODEL_MAX_CATEGORIES 256
#define MODEL_MAX_ENCLOSURES 64

static const char model_xml_ns[] = "http://www.w3.org/XML/1998/namespace\nbase";

/* Sets the status that ends the parse, with a message; the first one wins. */
static void __attribute__((format(printf, 3, 4)))
model_fail(fm__model *m, int status, const char *fmt, ...)
{
	unsigned long line = m->line ? m->line(m->line_ctx) : 0;
	va_list ap;

	if (m->status)
		return;
	m->status = status;
	m->diag.line = line;
	m->diag.column = 0;
	va_start(ap, fmt);
	vsnprintf(m->diag.msg, sizeof(m->diag.msg), fmt, ap);
	va_end(ap);
}

/* Counts a value that had to be dropped; the first one is kept with its line. */
static void __attribute__((format(printf, 2, 3)))
model_warn(fm__model *m, const char *fmt, ...)
{
	unsigned long line = m->line ? m->line(m->line_ctx) : 0;
	va_list ap;

	if (m->warnings++)
		return;
	m->warning.line = line;
	m->warning.column = 0;
	va_start(ap, fmt);
	vsnprintf(m->warning.msg, sizeof(m->warning.msg), fmt, ap);
	va_end(ap);
}

/* Returns value, or NULL (and ends the parse) when it is longer than max_field. */
static const char *
model_attr_value(fm__model *m, const char *local, const char *value)
{
	if (strlen(value) <= m->limits.max_field)
		return value;
	model_fail(m, FM_ELIMIT, "attribute %.40s is longer than %zu bytes", local, m->limits.max_field);
	return NULL;
}

/*
 * Returns the value of attribute local (no namespace) in atts, or NULL.
 * Attribute values count against max_field like text does: a longer one
 * ends the parse.
 */
static const char *
model_attr(fm__model *m, const char **atts, const char *local)
{
	for (; atts && atts[0]; atts += 2)
		if (!strcmp(atts[0], local))
			return model_attr_value(m, local, atts[1]);
	return NULL;
}

/*
 * Splits an expanded name into its namespace code and local part. A
 * document uses a handful of namespaces on every element: the last few
 * URIs are remembered as written, which spares the normalised lookup.
 */
static const char *
model_split(fm__model *m, const char *name, int *ns)
{
	const char *sep = strchr(name, '\n');
	model_nscache *c;
	size_t len, i;

	if (!sep) {
		*ns = NS_RSS;
		return name;
	}
	len = (size_t)(sep - name);
	for (i = 0; i < MODEL_NSCACHE; i++) {
		c = &m->nscache[i];
		if (c->len == len && !memcmp(c->uri, name, len)) {
			*ns = c->ns;
			return sep + 1;
		}
	}
	*ns = fm__names_ns(name, len);
	if (len < sizeof(c->uri)) {
		c = &m->nscache[m->nsnext++ % MODEL_NSCACHE];
		memcpy(c->uri, name, len);
		c->len = len;
		c->ns = *ns;
	}
	return sep + 1;
}

/* Returns the value of attribute local in namespace ns (matched by URI), or NULL. */
static const char *
model_attr_ns(fm__model *m, const char **atts, int ns, const char *local)
{
	const char *l;
	int ans;

	for (; atts && atts[0]; atts += 2) {
		l = model_split(m, atts[0], &ans);
		if (l != atts[0] && ans == ns && !strcmp(l, local))
			return model_attr_value(m, local, atts[1]);
	}
	return NULL;
}

/* Returns the record fields go to: the open item, else the feed. */
static model_record *
model_rec(fm__model *m)
{
	return m->in_item ? &m->item : &m->feed;
}

/* Empties a record for reuse, keeping its memory. */
static void
model_record_clear(model_record *r)
{
	int i;

	for (i = 0; i < MF_NSTR; i++)
		fm_buf_clear(&r->str[i]);
	memset(r->prio, 0, sizeof(r->prio));
	r->published = r->updated = 0;
	fm_buf_clear(&r->pool);
	r->ncats = r->nencs = 0;
}

/* Frees a record's memory. */
static void
model_record_dispose(model_record *r)
{
	int i;

	for (i = 0; i < MF_NSTR; i++)
		fm_buf_dispose(&r->str[i]);
	fm_buf_dispose(&r->pool);
	free(r->cats);
	free(r->encs);
}

/* Grows an array of n elements of size sz to hold at least n + 1; returns 0 or FM_ENOMEM. */
static int
model_reserve(void **arr, size_t *alloc, size_t n, size_t sz)
{
	size_t na;
	void *p;

	if (n < *alloc)
		return 0;
	for (na = *alloc ? *alloc : 8; na <= n; na *= 2)
		if (na > SIZE_MAX / 2 / sz)
			return FM_ENOMEM;
	if (!(p = realloc(*arr, na * sz)))
		return FM_ENOMEM;
	*arr = p;
	*alloc = na;
	return 0;
}

/* Copies s into the record's pool; returns its offset, or SIZE_MAX for NULL or on failure. */
static size_t
model_pool_add(model_record *r, const char *s)
{
	size_t off = r->pool.size;

	if (!s || fm_buf_append(&r->pool, s, strlen(s) + 1) < 0)
		return SIZE_MAX;
	return off;
}

/* Returns the base URL in force. */
static const char *
model_base(const fm__model *m)
{
	return m->nbases ? m->bases[m->nbases - 1] : NULL;
}

/* Resolves ref against the base in force into m->tmp; returns 0 or FM_ENOMEM. */
static int
model_resolve(fm__model *m, const char *ref)
{
	return fm__url_resolve(&m->tmp, model_base(m), ref);
}

/* Adds an enclosure unless one with the same URL is there; keeps the status on failure. */
static void
model_add_enclosure(fm__model *m, const char *url, const char *type, const char *length)
{
	model_record *r = &m->item;
	model_enclosure *e;
	size_t i;

	if (!url || !*url || model_resolve(m, url) < 0 || !m->tmp.size)
		return;
	if (r->nencs >= MODEL_MAX_ENCLOSURES) {
		model_warn(m, "more than %d enclosures in one item; the rest dropped", MODEL_MAX_ENCLOSURES);
		return;
	}
	for (i = 0; i < r->nencs; i++)
		if (!strcmp(r->pool.ptr + r->encs[i].url, m->tmp.ptr))
			return;
	if (model_reserve((void **)&r->encs, &r->aencs, r->nencs, sizeof(*r->encs)) < 0) {
		model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	e = &r->encs[r->nencs++];
	e->url = model_pool_add(r, m->tmp.ptr);
	e->type = type && *type ? model_pool_add(r, type) : SIZE_MAX;
	e->length = length && *length ? model_pool_add(r, length) : SIZE_MAX;
	if (e->url == SIZE_MAX)
		r->nencs--;
}

/* Adds a category term unless it is empty or already there. */
static void
model_add_category(fm__model *m, const char *term, size_t len)
{
	model_record *r = &m->item;
	size_t i;

	fm_buf_clear(&m->tmp);
	if (fm__collapse_space(&m->tmp, term, len) < 0 || !m->tmp.size)
		return;
	if (r->ncats >= MODEL_MAX_CATEGORIES) {
		model_warn(m, "more than %d categories in one item; the rest dropped", MODEL_MAX_CATEGORIES);
		return;
	}
	for (i = 0; i < r->ncats; i++)
		if (!strcmp(r->pool.ptr + r->cats[i], m->tmp.ptr))
			return;
	if (model_reserve((void **)&r->cats, &r->acats, r->ncats, sizeof(*r->cats)) < 0)
		return;
	if ((r->cats[r->ncats] = model_pool_add(r, m->tmp.ptr)) != SIZE_MAX)
		r->ncats++;
}

/* Sets a string field from m->tmp when rank beats the field's current source. */
static void
model_set(fm__model *m, model_record *r, int field, int rank)
{
	fm_buf t;

	if (!m->tmp.size || r->prio[field] >= rank)
		return;
	t = r->str[field];
	r->str[field] = m->tmp;
	m->tmp = t;
	fm_buf_clear(&m->tmp);
	r->prio[field] = (uint8_t)rank;
}

/* Pushes a frame; returns 0, or sets the status (depth limit, memory) and returns it. */
static int
model_push(fm__model *m, int el, int ctx)
{
	model_frame *f;

	if (m->depth >= m->limits.max_depth) {
		model_fail(m, FM_ELIMIT, "elements nested deeper than %zu", m->limits.max_depth);
		return m->status;
	}
	if (model_reserve((void **)&m->stack, &m->astack, m->depth, sizeof(*m->stack)) < 0) {
		model_fail(m, FM_ENOMEM, "out of memory");
		return m->status;
	}
	f = &m->stack[m->depth++];
	f->el = (uint16_t)el;
	f->ctx = (uint8_t)ctx;
	f->base_pushed = 0;
	return 0;
}

/*
 * Handles xml:base on an element about to be pushed: its base, resolved
 * against the one in force, applies to the element itself and its
 * children. Returns 1 when a base was pushed.
 */
static int
model_base_begin(fm__model *m, const char **atts)
{
	const char *base = NULL;
	char *copy;

	for (; atts && atts[0]; atts += 2)
		if (atts[0][0] == 'h' && !strcmp(atts[0], model_xml_ns))
			base = atts[1];
	if (!base)
		return 0;
	if (strlen(base) > m->limits.max_field) {
		model_fail(m, FM_ELIMIT, "attribute xml:base is longer than %zu bytes", m->limits.max_field);
		return 0;
	}
	if (model_resolve(m, base) < 0)
		return 0;
	if (model_reserve((void **)&m->bases, &m->abases, m->nbases, sizeof(*m->bases)) < 0 ||
	    !(copy = strdup(fm_buf_cstr(&m->tmp))))
		return 0;
	m->bases[m->nbases++] = copy;
	return 1;
}

/* Decides how an Atom text construct reads (RFC 4287 3.1; Atom 0.3 "mode"). */
static int
model_atom_kind(fm__model *m, const char **atts)
{
	const char *type = model_attr(m, atts, "type");
	const char *mode = model_attr(m, atts, "mode");
	int html;

	if (!type || !strcasecmp(type, "text") || !strcasecmp(type, "text/plain"))
		html = 0;
	else if (!strcasecmp(type, "html") || !strcasecmp(type, "text/html"))
		html = 1;
	else if (!strcasecmp(type, "xhtml") || !strcasecmp(type, "application/xhtml+xml"))
		return mode && !strcasecmp(mode, "escaped") ? TK_HTML : TK_XHTML;
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
static void
model_capture(fm__model *m, int el, int field, int rank, int kind, const char **atts)
{
	model_record *r = model_rec(m);

	if (model_push(m, el, CTX_CAPTURE) < 0)
		return;
	m->cap_depth = m->depth;
	m->cap_el = el;
	m->cap_skipdiv = 0;
	fm_buf_clear(&m->cap);
	/* A source ranked no higher than what the field has cannot win: skip it. */
	if (field != ML_CATEGORY && r->prio[field] >= rank) {
		m->cap_field = -1;
		return;
	}
	m->cap_field = field;
	m->cap_prio = rank;
	m->cap_kind = kind == TK_ATOM ? model_atom_kind(m, atts) : kind;
	if (el == EL_GUID) {
		const char *pl = model_attr(m, atts, "isPermaLink");
		m->cap_permalink = !pl || strcasecmp(pl, "false");
	}
}

/* Appends captured bytes, enforcing max_field. */
static void
model_cap_append(fm__model *m, const char *s, size_t len, int escape)
{
	int error;

	if (m->cap.size + len > m->limits.max_field) {
		model_fail(m, FM_ELIMIT, "a field is longer than %zu bytes", m->limits.max_field);
		return;
	}
	error = escape ? fm__html_escape(&m->cap, s, len) : fm_buf_append(&m->cap, s, len);
	if (error < 0)
		model_fail(m, FM_ENOMEM, "out of memory");
}

/* Serialises a start tag inside HTML/XHTML content. */
static void
model_cap_start_tag(fm__model *m, const char *local, const char **atts)
{
	const char *an, *sep;

	model_cap_append(m, "<", 1, 0);
	model_cap_append(m, local, strlen(local), 0);
	for (; atts && atts[0]; atts += 2) {
		an = atts[0];
		if ((sep = strchr(an, '\n')))
			an = sep + 1;  /* xml:lang and the like: keep the local name */
		model_cap_append(m, " ", 1, 0);
		model_cap_append(m, an, strlen(an), 0);
		model_cap_append(m, "=\"", 2, 0);
		model_cap_append(m, atts[1], strlen(atts[1]), 1);
		model_cap_append(m, "\"", 1, 0);
	}
	model_cap_append(m, fm__names_html_void(local) ? " />" : ">", fm__names_html_void(local) ? 3 : 1, 0);
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

/* Turns the captured text into the field's value (in m->tmp); returns 0 or FM_ENOMEM. */
static int
model_cap_convert(fm__model *m, int field)
{
	const char *s = fm_buf_cstr(&m->cap);
	size_t len = m->cap.size;
	int kind = m->cap_kind, plain, error;

	fm_buf_clear(&m->tmp);
	if (kind == TK_B64HTML || kind == TK_B64TEXT) {
		/* Decoded bytes are any bytes: they go through the UTF-8 repair too. */
		fm_buf raw = FM_BUF_INIT;
		if (fm__base64_decode(&raw, s, len) == 0 &&
		    model_clean_utf8(&m->tmp, raw.ptr ? raw.ptr : "", raw.size) == 0) {
			fm_buf t = m->cap;
			m->cap = m->tmp;
			m->tmp = t;
			fm_buf_clear(&m->tmp);
			s = fm_buf_cstr(&m->cap);
			len = m->cap.size;
		}
		fm_buf_dispose(&raw);
		kind = kind == TK_B64HTML ? TK_HTML : TK_TEXT;
	}
	plain = field == MF_TITLE || field == MF_SUBTITLE;
	if (field == MF_SUMMARY || field == MF_CONTENT) {
		/*
		 * HTML fields: text becomes HTML; HTML stays as written, but
		 * for its links, made absolute so it reads the same wherever
		 * it is republished.
		 */
		while (len && strchr(" \t\r\n", s[0]))
			s++, len--;
		while (len && strchr(" \t\r\n", s[len - 1]))
			len--;
		if (kind == TK_TEXT)
			return fm__html_escape(&m->tmp, s, len);
		return fm__html_resolve_urls(&m->tmp, s, len, model_base(m));
	}
	if (plain && (kind == TK_HTML || kind == TK_XHTML ||
		      (kind == TK_PLAIN && fm__looks_like_html(s, len))))
		return fm__html_to_text(&m->tmp, s, len);
	if ((error = fm__collapse_space(&m->tmp, s, len)) < 0)
		return error;
	if (field == MF_LINK || field == MF_AUTHOR_URI) {
		fm_buf_clear(&m->cap);
		if ((error = fm_buf_append(&m->cap, m->tmp.ptr, m->tmp.size)) < 0)
			return error;
		return model_resolve(m, fm_buf_cstr(&m->cap));
	}
	return 0;
}

/* Returns 1 when s looks like an absolute http(s) URL. */
static int
model_is_http_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

/* Ends a capture: converts the text and stores it where it belongs. */
static void
model_capture_end(fm__model *m)
{
	model_record *r = model_rec(m);
	int field = m->cap_field;
	fm_time t;

	m->cap_field = -1;
	if (field < 0)
		return;
	if (field == ML_CATEGORY) {
		model_add_category(m, fm_buf_cstr(&m->cap), m->cap.size);
		return;
	}
	if (field == MF_PUBLISHED || field == MF_UPDATED) {
		fm_buf_clear(&m->tmp);
		fm__collapse_space(&m->tmp, fm_buf_cstr(&m->cap), m->cap.size);
		if (!m->tmp.size)
			return;
		if (fm_date_parse(&t, m->tmp.ptr) < 0) {
			model_warn(m, "unparseable date \"%.200s\"", m->tmp.ptr);
			return;
		}
		if (r->prio[field] < m->cap_prio) {
			*(field == MF_PUBLISHED ? &r->published : &r->updated) = t;
			r->prio[field] = (uint8_t)m->cap_prio;
		}
		return;
	}
	if (model_cap_convert(m, field) < 0) {
		model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	if (m->cap_el == EL_GUID && m->cap_permalink && model_is_http_url(fm_buf_cstr(&m->tmp))) {
		/* RSS 2.0: a guid that is a permalink is the item's link too. */
		fm_buf_clear(&m->cap);
		if (fm_buf_append(&m->cap, m->tmp.ptr, m->tmp.size) < 0)
			return;
		model_set(m, r, field, m->cap_prio);
		fm_buf_clear(&m->tmp);
		if (fm_buf_append(&m->tmp, m->cap.ptr, m->cap.size) == 0)
			model_set(m, r, MF_LINK, 1);
		return;
	}
	model_set(m, r, field, m->cap_prio);
}

/* Handles an Atom <link>: the alternate link, an enclosure, or nothing (RFC 4287 4.2.7). */
static void
model_atom_link(fm__model *m, const char **atts, int in_item)
{
	const char *rel = model_attr(m, atts, "rel");
	const char *href = model_attr(m, atts, "href");
	int rank = m->format == FM_FORMAT_ATOM10 || m->format == FM_FORMAT_ATOM03 ||
		   m->format == FM_FORMAT_ATOM ? 3 : 2;

	if (!href)
		return;
	if (!rel || !strcasecmp(rel, "alternate") ||
	    !strcasecmp(rel, "http://www.iana.org/assignments/relation/alternate")) {
		if (model_resolve(m, href) == 0)
			model_set(m, model_rec(m), MF_LINK, rank);
	} else if (in_item && !strcasecmp(rel, "enclosure")) {
		model_add_enclosure(m, href, model_attr(m, atts, "type"), model_attr(m, atts, "length"));
	}
}

/* Hands the finished item to the callback and clears it. */
static void
model_item_emit(fm__model *m)
{
	model_record *r = &m->item;
	fm_item it;
	size_t i;

	m->in_item = 0;
	if (r->prio[MF_AUTHOR] && !r->prio[MF_AUTHOR_NAME] && !r->prio[MF_AUTHOR_EMAIL]) {
		fm__person_split(r->str[MF_AUTHOR].ptr, &r->str[MF_AUTHOR_NAME], &r->str[MF_AUTHOR_EMAIL]);
	}
	if (model_reserve((void **)&m->catv, &m->acatv, r->ncats, sizeof(*m->catv)) < 0 ||
	    model_reserve((void **)&m->encv, &m->aencv, r->nencs, sizeof(*m->encv)) < 0) {
		model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	for (i = 0; i < r->ncats; i++)
		m->catv[i] = r->pool.ptr + r->cats[i];
	for (i = 0; i < r->nencs; i++) {
		m->encv[i].url = r->pool.ptr + r->encs[i].url;
		m->encv[i].type = r->encs[i].type == SIZE_MAX ? NULL : r->pool.ptr + r->encs[i].type;
		m->encv[i].length = r->encs[i].length == SIZE_MAX ? NULL : r->pool.ptr + r->encs[i].length;
	}
#define S(f) (r->str[f].size ? r->str[f].ptr : NULL)
	memset(&it, 0, sizeof(it));
	it.id = S(MF_ID);
	it.title = S(MF_TITLE);
	it.link = S(MF_LINK);
	it.author.name = S(MF_AUTHOR_NAME);
	it.author.email = S(MF_AUTHOR_EMAIL);
	it.author.uri = S(MF_AUTHOR_URI);
	if (!it.author.name && !it.author.email && !it.author.uri &&
	    (m->format == FM_FORMAT_ATOM10 || m->format == FM_FORMAT_ATOM03 || m->format == FM_FORMAT_ATOM)) {
		/* RFC 4287 4.2.1: an entry without an author has the feed's. */
		const model_record *f = &m->feed;
		it.author.name = f->str[MF_AUTHOR_NAME].size ? f->str[MF_AUTHOR_NAME].ptr : NULL;
		it.author.email = f->str[MF_AUTHOR_EMAIL].size ? f->str[MF_AUTHOR_EMAIL].ptr : NULL;
		it.author.uri = f->str[MF_AUTHOR_URI].size ? f->str[MF_AUTHOR_URI].ptr : NULL;
	}
	it.summary = S(MF_SUMMARY);
	it.content = S(MF_CONTENT);
	it.categories = m->catv;
	it.ncategories = r->ncats;
	it.enclosures = m->encv;
	it.nenclosures = r->nencs;
	it.published = r->published;
	it.updated = r->updated;
	m->items++;
	if (m->on_item && m->on_item(&it, m->payload))
		model_fail(m, FM_ESTOPPED, "stopped after %zu items", m->items);
	model_record_clear(r);
}

/* Handles the root element: what kind of document this is (or is not). */
static void
model_root(fm__model *m, int ns, int el, const char *local, const char **atts)
{
	const char *v;

	switch (el) {
	case EL_RSS:
		m->format = fm__names_rss_format(model_attr(m, atts, "version"), m->netscape);
		model_push(m, el, CTX_FEED);
		break;
	case EL_RDF:
		m->format = FM_FORMAT_RSS10;
		model_push(m, el, CTX_FEED);
		break;
	case EL_FEED:
		v = model_attr(m, atts, "version");
		m->format = ns == NS_ATOM10 ? FM_FORMAT_ATOM10 :
			    ns == NS_ATOM03 || (v && !strcmp(v, "0.3")) ? FM_FORMAT_ATOM03 :
			    FM_FORMAT_ATOM;
		model_push(m, el, CTX_CHANNEL);
		break;
	case EL_CHANNEL:
		m->format = FM_FORMAT_RSS;
		model_push(m, el, CTX_CHANNEL);
		break;
	case EL_HTML:
		model_fail(m, FM_ENOTFEED, "not a feed: looks like an HTML page");
		return;
	case EL_OPML:
		model_fail(m, FM_ENOTFEED, "not a feed: looks like an OPML subscription list");
		return;
	default:
		model_fail(m, FM_ENOTFEED, "not a feed: XML with root element <%.64s>", local);
		return;
	}
	m->root_done = 1;
}

/*
 * Starts an item, unless max_items is reached. An RSS 1.0 item's rdf:about
 * is its id, ranked below a guid.
 */
static void
model_item_start(fm__model *m, int el, const char **atts)
{
	const char *about = model_attr_ns(m, atts, NS_RDF, "about");

	if (m->items >= m->limits.max_items) {
		model_fail(m, FM_ELIMIT, "more than %zu items", m->limits.max_items);
		return;
	}
	if (model_push(m, el, CTX_ITEM) < 0)
		return;
	model_record_clear(&m->item);
	m->in_item = 1;
	fm_buf_clear(&m->tmp);
	if (about && fm__collapse_space(&m->tmp, about, strlen(about)) == 0)
		model_set(m, &m->item, MF_ID, 2);
}

/* Handles an element inside a channel, an item, a person or a media group. */
static void
model_field_start(fm__model *m, int ctx, int el, const char **atts)
{
	const model_map *map = &model_maps[el];
	int in_item = ctx != CTX_CHANNEL && m->in_item;

	switch (el) {
	case EL_ITEM:
	case EL_ENTRY:
		if (ctx == CTX_CHANNEL) {
			model_item_start(m, el, atts);
			return;
		}
		break;
	case EL_ATOM_AUTHOR:
		if (ctx == CTX_CHANNEL || ctx == CTX_ITEM) {
			model_push(m, el, CTX_PERSON);
			return;
		}
		break;
	case EL_MEDIA_GROUP:
		if (ctx == CTX_ITEM) {
			model_push(m, el, CTX_MEDIA);
			return;
		}
		break;
	case EL_ATOM_LINK:
		if (ctx == CTX_CHANNEL || ctx == CTX_ITEM)
			model_atom_link(m, atts, in_item);
		break;
	case EL_ENCLOSURE:
		if (ctx == CTX_ITEM)
			model_add_enclosure(m, model_attr(m, atts, "url"), model_attr(m, atts, "type"),
					    model_attr(m, atts, "length"));
		break;
	case EL_MEDIA_CONTENT:
		if (ctx == CTX_ITEM || ctx == CTX_MEDIA)
			model_add_enclosure(m, model_attr(m, atts, "url"), model_attr(m, atts, "type"),
					    model_attr(m, atts, "fileSize"));
		break;
	case EL_ATOM_CATEGORY:
		if (ctx == CTX_ITEM) {
			const char *term = model_attr(m, atts, "term");
			if (!term)
				term = model_attr(m, atts, "label");
			if (term)
				model_add_category(m, term, strlen(term));
		}
		break;
	case EL_NAME:
	case EL_EMAIL:
	case EL_URI:
		if (ctx == CTX_PERSON) {
			model_capture(m, el, map->item_field, map->item_rank, map->kind, atts);
			return;
		}
		break;
	default:
		if (ctx == CTX_ITEM || ctx == CTX_MEDIA) {
			if (map->item_rank && (ctx == CTX_ITEM || el == EL_MEDIA_TITLE ||
					       el == EL_MEDIA_DESCRIPTION)) {
				model_capture(m, el, map->item_field, map->item_rank, map->kind, atts);
				return;
			}
		} else if (ctx == CTX_CHANNEL && map->feed_rank) {
			model_capture(m, el, map->feed_field, map->feed_rank, map->kind, atts);
			return;
		}
		break;
	}
	model_push(m, el, CTX_SKIP);
}

/* Dispatches a start tag to what the context it appears in makes of it. */
static void
model_start_el(fm__model *m, int ctx, const char *name, const char **atts)
{
	const char *local;
	int ns, el;

	if (ctx == CTX_SKIP) {
		model_push(m, EL_UNKNOWN, CTX_SKIP);
		return;
	}
	local = model_split(m, name, &ns);
	el = fm__names_element(ns, local);
	if (ctx == CTX_CAPTURE) {
		if (model_push(m, el, CTX_CAPTURE) < 0 || m->cap_field < 0)
			return;
		if (m->cap_kind == TK_XHTML && el == EL_XHTML_DIV && !m->cap_skipdiv &&
		    m->depth == m->cap_depth + 1 && m->cap_el != EL_XHTML_BODY &&
		    strspn(fm_buf_cstr(&m->cap), " \t\r\n") == m->cap.size) {
			/* RFC 4287 4.1.3.3: the div, and the white space around it, is not content. */
			m->cap_skipdiv = m->depth;
			fm_buf_clear(&m->cap);
		} else if (m->cap_kind == TK_HTML || m->cap_kind == TK_XHTML) {
			model_cap_start_tag(m, local, atts);
		}
		return;
	}
	if (ctx == CTX_DOC) {
		if (m->root_done)
			model_push(m, EL_UNKNOWN, CTX_SKIP);
		else
			model_root(m, ns, el, local, atts);
	} else if (ctx == CTX_FEED) {
		if (el == EL_CHANNEL) {
			if (m->format == FM_FORMAT_RSS10 && ns == NS_RSS090)
				m->format = FM_FORMAT_RSS090;
			model_push(m, el, CTX_CHANNEL);
		} else if (el == EL_ITEM) {
			model_item_start(m, el, atts);
		} else {
			model_push(m, el, CTX_SKIP);
		}
	} else if (el == EL_IMAGE || el == EL_TEXTINPUT || el == EL_SOURCE || el == EL_SKIP) {
		model_push(m, el, CTX_SKIP);
	} else {
		model_field_start(m, ctx, el, atts);
	}
}

static void model_pop(fm__model *m, const char *name);

/*
 * In recovery, an item that starts while another of its kind is open means
 * the open one lost its end tag: close it (and all inside it) first, the
 * way HTML closes a <p>, instead of swallowing every item after it.
 */
static void
model_close_unended_item(fm__model *m, const char *name)
{
	const char *local;
	size_t d;
	int ns, el;

	local = model_split(m, name, &ns);
	el = fm__names_element(ns, local);
	if (el != EL_ITEM && el != EL_ENTRY)
		return;
	for (d = m->depth; d > 0; d--)
		if (m->stack[d - 1].ctx == CTX_ITEM && m->stack[d - 1].el == el)
			break;
	while (d && m->depth >= d && !m->status)
		model_pop(m, NULL);
}

void
fm__model_start(fm__model *m, const char *name, const char **atts)
{
	size_t depth;
	int ctx, based;

	if (m->status)
		return;
	if (m->lenient && m->in_item)
		model_close_unended_item(m, name);
	depth = m->depth;
	ctx = depth ? m->stack[depth - 1].ctx : CTX_DOC;
	based = atts && atts[0] && ctx != CTX_CAPTURE && model_base_begin(m, atts);
	model_start_el(m, ctx, name, atts);
	if (!based)
		return;
	if (m->depth > depth)
		m->stack[depth].base_pushed = 1;
	else
		free(m->bases[--m->nbases]);
}

/* Pops the top frame, finishing whatever it held. name is NULL when the input was cut short. */
static void
model_pop(fm__model *m, const char *name)
{
	model_frame *f = &m->stack[m->depth - 1];

	if (f->ctx == CTX_CAPTURE && m->cap_field >= 0) {
		if (m->depth == m->cap_depth) {
			model_capture_end(m);
		} else if (m->depth == m->cap_skipdiv) {
			m->cap_skipdiv = 0;
		} else if ((m->cap_kind == TK_HTML || m->cap_kind == TK_XHTML) && name) {
			int ns;
			const char *local = model_split(m, name, &ns);
			if (!fm__names_html_void(local)) {
				model_cap_append(m, "</", 2, 0);
				model_cap_append(m, local, strlen(local), 0);
				model_cap_append(m, ">", 1, 0);
			}
		}
	} else if (f->ctx == CTX_ITEM && m->in_item && (f->el == EL_ITEM || f->el == EL_ENTRY)) {
		model_item_emit(m);
	}
	if (f->base_pushed)
		free(m->bases[--m->nbases]);
	m->depth--;
}

void
fm__model_end(fm__model *m, const char *name)
{
	const char *local;
	size_t d;
	int ns, el;

	if (m->status || !m->depth)
		return;
	if (m->lenient) {
		/* The recovery tokenizer may close an element we opened before it took over. */
		local = model_split(m, name, &ns);
		el = fm__names_element(ns, local);
		for (d = m->depth; d > 0 && m->stack[d - 1].el != el; d--)
			;
		if (d == 0 || el == EL_UNKNOWN)
			d = m->depth;
		while (m->depth >= d && !m->status)
			model_pop(m, m->depth == d ? name : NULL);
		return;
	}
	model_pop(m, name);
}

void
fm__model_text(fm__model *m, const char *s, size_t len)
{
	if (m->status || !m->depth || m->stack[m->depth - 1].ctx != CTX_CAPTURE || m->cap_field < 0)
		return;
	model_cap_append(m, s, len, m->cap_kind == TK_XHTML);
}

void
fm__model_ns_start(fm__model *m, const char *prefix, const char *uri)
{
	model_binding *b;

	if (model_reserve((void **)&m->bind, &m->abind, m->nbind, sizeof(*m->bind)) < 0)
		return;
	b = &m->bind[m->nbind];
	b->prefix = strdup(prefix ? prefix : "");
	b->uri = strdup(uri ? uri : "");
	b->depth = m->depth + 1;
	if (!b->prefix || !b->uri) {
		free(b->prefix);
		free(b->uri);
		return;
	}
	m->nbind++;
}

void
fm__model_ns_end(fm__model *m, const char *prefix)
{
	if (!m->nbind)
		return;
	m->nbind--;
	free(m->bind[m->nbind].prefix);
	free(m->bind[m->nbind].uri);
}

void
fm__model_rollback(fm__model *m, size_t depth)
{
	model_frame *f;

	while (m->depth > depth) {
		f = &m->stack[m->depth - 1];
		if (f->ctx == CTX_ITEM && (f->el == EL_ITEM || f->el == EL_ENTRY)) {
			m->in_item = 0;
			model_record_clear(&m->item);
		}
		if (f->base_pushed)
			free(m->bases[--m->nbases]);
		m->depth--;
	}
	if (m->cap_depth > depth)
		m->cap_field = -1;
	if (depth == 0)
		m->root_done = 0;  /* the replay starts before the root: let it be read again */
	while (m->nbind && m->bind[m->nbind - 1].depth > depth)
		fm__model_ns_end(m, NULL);
}

void
fm__model_close_all(fm__model *m)
{
	while (m->depth && !m->status)
		model_pop(m, NULL);
}

void
fm__model_feed(fm__model *m, fm_feed *feed)
{
	model_record *r = &m->feed;

	if (r->prio[MF_AUTHOR] && !r->prio[MF_AUTHOR_NAME] && !r->prio[MF_AUTHOR_EMAIL])
		fm__person_split(r->str[MF_AUTHOR].ptr, &r->str[MF_AUTHOR_NAME], &r->str[MF_AUTHOR_EMAIL]);
	memset(feed, 0, sizeof(*feed));
	feed->format = m->format;
	feed->title = S(MF_TITLE);
	feed->link = S(MF_LINK);
	feed->subtitle = S(MF_SUBTITLE);
	feed->id = S(MF_ID);
	feed->author.name = S(MF_AUTHOR_NAME);
	feed->author.email = S(MF_AUTHOR_EMAIL);
	feed->author.uri = S(MF_AUTHOR_URI);
	feed->updated = r->updated;
	feed->published = r->published;
}
#undef S

int
fm__model_init(fm__model *m, const char *url, const fm_parse_limits *limits,
	       fm_item_cb on_item, void *payload)
{
	memset(m, 0, sizeof(*m));
	m->on_item = on_item;
	m->payload = payload;
	m->limits = *limits;
	m->cap_field = -1;
	if (!(m->bases = calloc(4, sizeof(*m->bases))))
		return FM_ENOMEM;
	m->abases = 4;
	m->nbases = 1;
	if (url && *url && !(m->bases[0] = strdup(url)))
		return FM_ENOMEM;
	return 0;
}

void
fm__model_dispose(fm__model *m)
{
	size_t i;

	for (i = 0; i < m->nbases; i++)
		free(m->bases[i]);
	free(m->bases);
	while (m->nbind)
		fm__model_ns_end(m, NULL);
	free(m->bind);
	free(m->stack);
	fm_buf_dispose(&m->cap);
	fm_buf_dispose(&m->tmp);
	model_record_dispose(&m->item);
	model_record_dispose(&m->feed);
	free(m->catv);
	free(m->encv);
}
