/*
 * model.c - the feed model: turns XML events into feed fields and items.
 *
 * One set of rules serves RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, because feeds
 * mix them freely (Atom links in RSS, Dublin Core everywhere). Each element
 * is looked up once (names.c); a table says which field it fills, with a
 * rank: a field keeps the value of its highest-ranked source, the first one
 * on a tie. Items are handed out at their end tag and forgotten.
 *
 * This file reads the elements: contexts, dispatch, xml:base, rollback.
 * capture.c turns an element's text into a field's value; record.c keeps
 * what an item or the feed has gathered and hands items out.
 */
#include "parse/model_int.h"
#include "parse/names.h"
#include "feedmerge/date.h"
#include "parse/textutil.h"
#include "parse/url.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	/* The technical contact: kept aside, the feed's author only when nothing else names one. */
	[EL_WEBMASTER] = { 0, 0, MF_AUTHOR, 1, TK_PLAIN },
	[EL_CATEGORY] = { ML_CATEGORY, 1, ML_CATEGORY, 1, TK_PLAIN },
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
	[EL_DC_SUBJECT] = { ML_CATEGORY, 1, ML_CATEGORY, 1, TK_PLAIN },
	[EL_DC_CONTRIBUTOR] = { ML_CONTRIBUTOR, 1, ML_CONTRIBUTOR, 1, TK_PLAIN },
	[EL_GENERATOR] = { 0, 0, MF_GENERATOR, 3, TK_PLAIN },
	[EL_ITUNES_KEYWORDS] = { ML_KEYWORDS, 1, ML_KEYWORDS, 1, TK_PLAIN },
	[EL_ITUNES_SUBTITLE] = { MF_SUBTITLE, 1, MF_SUBTITLE, 1, TK_PLAIN },
	[EL_TAGS] = { ML_KEYWORDS, 1, ML_KEYWORDS, 1, TK_PLAIN }, /* made up, and common: comma-separated */
	[EL_MEDIA_CATEGORY] = { ML_CATEGORY, 1, 0, 0, TK_PLAIN },
	[EL_DC_DESCRIPTION] = { MF_SUMMARY, 2, MF_SUBTITLE, 2, TK_HTML },
	[EL_DC_IDENTIFIER] = { MF_ID, 1, 0, 0, TK_PLAIN },
	[EL_DCT_ISSUED] = { MF_PUBLISHED, 2, MF_PUBLISHED, 2, TK_PLAIN },
	[EL_DCT_MODIFIED] = { MF_UPDATED, 2, MF_UPDATED, 2, TK_PLAIN },
	[EL_DCT_CREATED] = { MF_PUBLISHED, 1, MF_PUBLISHED, 1, TK_PLAIN },
	[EL_XHTML_BODY] = { MF_CONTENT, 3, 0, 0, TK_XHTML },
	[EL_MEDIA_TITLE] = { MF_TITLE, 1, 0, 0, TK_PLAIN },
	[EL_MEDIA_DESCRIPTION] = { MF_SUMMARY, 1, 0, 0, TK_TEXT },
	[EL_LANGUAGE] = { MF_LANGUAGE, 2, MF_LANGUAGE, 3, TK_PLAIN },
	[EL_DC_LANGUAGE] = { MF_LANGUAGE, 2, MF_LANGUAGE, 2, TK_PLAIN },
	[EL_ITUNES_AUTHOR] = { MF_AUTHOR, 1, MF_AUTHOR, 1, TK_PLAIN },
	[EL_ITUNES_SUMMARY] = { MF_SUMMARY, 1, MF_SUBTITLE, 1, TK_TEXT },
	/* inside <atom:author> */
	[EL_NAME] = { MF_P_NAME, 3, MF_P_NAME, 3, TK_PLAIN },
	[EL_EMAIL] = { MF_P_EMAIL, 3, MF_P_EMAIL, 3, TK_PLAIN },
	[EL_URI] = { MF_P_URI, 3, MF_P_URI, 3, TK_PLAIN },
};

#define FM_ITUNES_SCHEME "http://www.itunes.com/"

static const char model_xml_ns[] = "http://www.w3.org/XML/1998/namespace\n";

/* Sets the status that ends the parse, with a message; the first one wins. */
void __attribute__((format(printf, 3, 4)))
fm__model_fail(fm__model *m, int status, const char *fmt, ...)
{
	unsigned long line = m->line ? m->line(m->line_ctx) : 0;
	va_list ap;
	int n;

	if (m->status)
		return;
	m->status = status;
	m->diag.line = line;
	m->diag.column = 0;
	/* The message says where, as the XML errors do ("line 12: ..."). */
	n = line && status != FM_ESTOPPED && status != FM_ENOTFEED ?
	    snprintf(m->diag.msg, sizeof(m->diag.msg), "line %lu: ", line) : 0;
	va_start(ap, fmt);
	vsnprintf(m->diag.msg + n, sizeof(m->diag.msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Counts a value that had to be dropped; the first one is kept with its line. */
void __attribute__((format(printf, 2, 3)))
fm__model_warn(fm__model *m, const char *fmt, ...)
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
	fm__model_fail(m, FM_ELIMIT, "attribute %.40s is longer than %zu bytes", local, m->limits.max_field);
	return NULL;
}

/*
 * Returns the value of attribute local (no namespace) in atts, or NULL.
 * Attribute values count against max_field like text does: a longer one
 * ends the parse.
 */
const char *
fm__model_attr(fm__model *m, const char **atts, const char *local)
{
	/* The first byte tells most names apart without a call. */
	for (; atts && atts[0]; atts += 2)
		if (atts[0][0] == local[0] && !strcmp(atts[0], local))
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

_Static_assert(EL_COUNT <= UINT8_MAX && NS_OTHER <= UINT8_MAX, "the name cache keeps codes in bytes");

/* Returns the pair of slots of the element name cache that the name s (len bytes) may be in. */
static model_elcache *
model_elcache_pair(fm__model *m, const char *s, size_t len)
{
	uint32_t w = 0, h;
	size_t i;

	/* The length and the last 4 bytes (read as one word) tell the names of one document apart. */
	if (len >= 4)
		memcpy(&w, s + len - 4, 4);
	else
		for (i = 0; i < len; i++)
			w = w << 8 | (unsigned char)s[i];
	h = w + (uint32_t)len * 0x01000193u;
	/* The top 6 bits of a multiplicative hash pick one of 64 pairs. */
	return &m->elcache[((h * 2654435761u) >> 26) * 2 % MODEL_ELCACHE];
}

/*
 * Resolves an expanded element name to its namespace (*ns) and element
 * (*el) codes; returns its local part. Names seen before come from the
 * cache (two slots per hash, so that two busy names cannot keep evicting
 * each other), which spares the split and the table searches.
 */
static const char *
model_name(fm__model *m, const char *name, int *ns, int *el)
{
	size_t len = strlen(name), i;
	model_elcache *c = model_elcache_pair(m, name, len);
	const char *local;

	for (i = 0; i < 2; i++) {
		if (c[i].len == len && !memcmp(c[i].name, name, len)) {
			*ns = c[i].ns;
			*el = c[i].el;
			return name + c[i].local;
		}
	}
	local = model_split(m, name, ns);
	*el = fm__names_element(*ns, local);
	if (c[1].len == 0)
		c++; /* a free second slot; else the first is replaced */
	if (len <= sizeof(c->name)) {
		memcpy(c->name, name, len);
		c->len = (uint8_t)len;
		c->local = (uint8_t)(local - name);
		c->ns = (uint8_t)*ns;
		c->el = (uint8_t)*el;
	}
	return local;
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

/* Returns the base URL in force. */
const char *
fm__model_base(const fm__model *m)
{
	return m->nbases ? m->bases[m->nbases - 1] : NULL;
}

/* Resolves ref against the base in force into m->tmp; returns 0 or FM_ENOMEM. */
int
fm__model_resolve(fm__model *m, const char *ref)
{
	return fm__url_resolve(&m->tmp, fm__model_base(m), ref);
}

/* Pushes a frame; returns 0, or sets the status (depth limit, memory) and returns it. */
int
fm__model_push(fm__model *m, int el, int ctx)
{
	model_frame *f;

	if (m->depth >= m->limits.max_depth) {
		fm__model_fail(m, FM_ELIMIT, "elements nested deeper than %zu", m->limits.max_depth);
		return m->status;
	}
	if (m->depth >= m->astack &&
	    fm__model_reserve((void **)&m->stack, &m->astack, m->depth, sizeof(*m->stack)) < 0) {
		fm__model_fail(m, FM_ENOMEM, "out of memory");
		return m->status;
	}
	f = &m->stack[m->depth++];
	f->el = (uint16_t)el;
	f->ctx = (uint8_t)ctx;
	f->base_pushed = 0;
	f->lang_pushed = 0;
	return 0;
}

/*
 * Handles xml:base on an element about to be pushed: its base, resolved
 * against the one in force, applies to the element itself and its
 * children. Returns 1 when a base was pushed.
 */
static int
model_base_begin(fm__model *m, const char *base)
{
	char *copy;

	if (!base)
		return 0;
	if (strlen(base) > m->limits.max_field) {
		fm__model_fail(m, FM_ELIMIT, "attribute xml:base is longer than %zu bytes", m->limits.max_field);
		return 0;
	}
	if (!fm__url_is_safe_base(base) || fm__model_resolve(m, base) < 0)
		return 0;
	if (fm__model_reserve((void **)&m->bases, &m->abases, m->nbases, sizeof(*m->bases)) < 0 ||
	    !(copy = strdup(fm_buf_cstr(&m->tmp))))
		return 0;
	m->bases[m->nbases++] = copy;
	return 1;
}

/* Returns the xml:lang in force, NULL when none (or it was unset with xml:lang=""). */
const char *
fm__model_lang(const fm__model *m)
{
	return m->nlangs && m->langs[m->nlangs - 1][0] ? m->langs[m->nlangs - 1] : NULL;
}

/* Handles xml:lang on an element about to be pushed; returns 1 when a language was pushed. */
static int
model_lang_begin(fm__model *m, const char *lang)
{
	char *copy;

	if (!lang || strlen(lang) > 64)
		return 0;
	if (fm__model_reserve((void **)&m->langs, &m->alangs, m->nlangs, sizeof(*m->langs)) < 0 ||
	    !(copy = strdup(lang)))
		return 0;
	/* "en_US" is a common misspelling of the BCP 47 tag "en-US". */
	for (char *c = copy; *c; c++)
		if (*c == '_')
			*c = '-';
	m->langs[m->nlangs++] = copy;
	return 1;
}

/*
 * Takes an Atom link (RFC 4287 4.2.7) with its href: it joins the record's
 * links, and is the alternate link, an enclosure, or nothing more.
 */
void
fm__model_link(fm__model *m, const char *href, const char *rel, const char *type,
	       const char *title, const char *length)
{
	int rank = m->format == FM_FORMAT_ATOM10 || m->format == FM_FORMAT_ATOM03 ||
		   m->format == FM_FORMAT_ATOM ? 3 : 2;

	if (fm__model_resolve(m, href) < 0 || !m->tmp.size)
		return;
	fm__model_add_link(m, m->tmp.ptr, rel, type, title, length);
	if (!rel || !strcasecmp(rel, "alternate") ||
	    !strcasecmp(rel, "http://www.iana.org/assignments/relation/alternate")) {
		fm__model_set(m, fm__model_rec(m), MF_LINK, rank); /* takes m->tmp, resolved above */
	} else if (m->in_item && !strcasecmp(rel, "enclosure")) {
		fm__model_add_enclosure(m, href, type, length);
	}
}

/*
 * Handles an Atom <link>. One without an href whose URL is its text (as
 * some Atom 0.3 feeds wrote it) is captured and taken at its end tag.
 * Returns 1 when it started a capture.
 */
static int
model_atom_link(fm__model *m, int el, const char **atts)
{
	const char *rel = fm__model_attr(m, atts, "rel");
	const char *href = fm__model_attr(m, atts, "href");
	const char *type = fm__model_attr(m, atts, "type");

	if (href) {
		fm__model_link(m, href, rel, type, fm__model_attr(m, atts, "title"),
			       fm__model_attr(m, atts, "length"));
		return 0;
	}
	const char *title = fm__model_attr(m, atts, "title");
	const char *length = fm__model_attr(m, atts, "length");

	fm_buf_clear(&m->link_rel);
	fm_buf_clear(&m->link_type);
	fm_buf_clear(&m->link_title);
	fm_buf_clear(&m->link_length);
	if ((rel && fm_buf_puts(&m->link_rel, rel) < 0) || (type && fm_buf_puts(&m->link_type, type) < 0) ||
	    (title && fm_buf_puts(&m->link_title, title) < 0) ||
	    (length && fm_buf_puts(&m->link_length, length) < 0))
		return 0;
	fm__model_capture(m, el, ML_LINK, 1, TK_PLAIN, atts);
	return 1;
}

/* The feed's language defaults to the xml:lang in force at its root or channel. */
static void
model_feed_lang(fm__model *m)
{
	const char *lang = fm__model_lang(m);

	fm_buf_clear(&m->tmp);
	if (lang && fm_buf_puts(&m->tmp, lang) == 0)
		fm__model_set(m, &m->feed, MF_LANGUAGE, 1);
}

/* Returns 1 when the default namespace in force is ns. */
static int
model_default_ns_is(const fm__model *m, int ns)
{
	size_t i;

	for (i = m->nbind; i > 0; i--)
		if (!m->bind[i - 1].prefix[0])
			return fm__names_ns(m->bind[i - 1].uri, strlen(m->bind[i - 1].uri)) == ns;
	return 0;
}

/* Reads a CDF channel's or item's HREF (its link) and LASTMOD (when it last changed). */
static void
model_cdf_attrs(fm__model *m, const char **atts)
{
	const char *href = fm__model_attr(m, atts, "HREF");
	const char *lastmod = fm__model_attr(m, atts, "LASTMOD");
	model_record *r = fm__model_rec(m);
	fm_time t;

	if (href && fm__model_resolve(m, href) == 0 && m->tmp.size)
		fm__model_set(m, r, MF_LINK, 3);
	if (lastmod && fm_date_parse(&t, lastmod) == 0 && r->prio[MF_UPDATED] < 3) {
		r->updated = t;
		r->prio[MF_UPDATED] = 3;
		fm_buf_clear(&r->str[MF_UPDATED_TEXT]);
		fm_buf_puts(&r->str[MF_UPDATED_TEXT], lastmod);
	}
}

/* Handles the root element: what kind of document this is (or is not). */
static void
model_root(fm__model *m, int ns, int el, const char *local, const char **atts)
{
	const char *v;

	switch (el) {
	case EL_RSS:
		m->format = fm__names_rss_format(fm__model_attr(m, atts, "version"), m->netscape);
		fm__model_push(m, el, CTX_FEED);
		break;
	case EL_RDF:
		/* RSS 0.90 is told by its namespace, which the channel usually shows, or the root's default. */
		m->format = model_default_ns_is(m, NS_RSS090) ? FM_FORMAT_RSS090 : FM_FORMAT_RSS10;
		fm__model_push(m, el, CTX_FEED);
		break;
	case EL_FEED:
		v = fm__model_attr(m, atts, "version");
		m->format = ns == NS_ATOM10 ? FM_FORMAT_ATOM10 :
			    ns == NS_ATOM03 || (v && !strcmp(v, "0.3")) ? FM_FORMAT_ATOM03 :
			    FM_FORMAT_ATOM;
		fm__model_push(m, el, CTX_CHANNEL);
		break;
	case EL_CHANNEL:
		m->format = FM_FORMAT_RSS;
		fm__model_push(m, el, CTX_CHANNEL);
		break;
	case EL_CDF_CHANNEL:
		m->format = FM_FORMAT_CDF;
		if (fm__model_push(m, el, CTX_CHANNEL) == 0)
			model_cdf_attrs(m, atts);
		break;
	case EL_HTML:
		fm__model_fail(m, FM_ENOTFEED, "not a feed: looks like an HTML page");
		return;
	case EL_OPML:
		fm__model_fail(m, FM_ENOTFEED, "not a feed: looks like an OPML subscription list");
		return;
	default:
		fm__model_fail(m, FM_ENOTFEED, "not a feed: XML with root element <%.64s>", local);
		return;
	}
	m->root_done = 1;
	model_feed_lang(m);
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
		fm__model_fail(m, FM_ELIMIT, "more than %zu items", m->limits.max_items);
		return;
	}
	if (fm__model_push(m, el, CTX_ITEM) < 0)
		return;
	fm__model_record_clear(&m->item);
	m->in_item = 1;
	fm_buf_clear(&m->tmp);
	if (about && fm__collapse_space(&m->tmp, about, strlen(about)) == 0)
		fm__model_set(m, &m->item, MF_ID, 2);
	if (m->format == FM_FORMAT_CDF)
		model_cdf_attrs(m, atts);
}

/* Starts an Atom person (author or contributor): its parts are gathered afresh. */
static void
model_person_start(fm__model *m, int el)
{
	model_record *r = fm__model_rec(m);
	int f;

	if (fm__model_push(m, el, CTX_PERSON) < 0)
		return;
	for (f = MF_P_NAME; f <= MF_P_URI; f++) {
		fm_buf_clear(&r->str[f]);
		r->prio[f] = 0;
	}
}

/*
 * Ends an Atom person: it joins the record's people, and the first author
 * with anything in it is the record's author.
 */
static void
model_person_end(fm__model *m, int el)
{
	model_record *r = fm__model_rec(m);
	int contributor = el == EL_ATOM_CONTRIBUTOR, i;

	fm__model_add_person(m, &r->str[MF_P_NAME], &r->str[MF_P_EMAIL], &r->str[MF_P_URI], contributor);
	if (contributor || r->prio[MF_AUTHOR_NAME] || r->prio[MF_AUTHOR_EMAIL] || r->prio[MF_AUTHOR_URI])
		return;
	for (i = 0; i < 3; i++) {
		fm_buf_clear(&m->tmp);
		if (fm_buf_append(&m->tmp, r->str[MF_P_NAME + i].ptr, r->str[MF_P_NAME + i].size) == 0)
			fm__model_set(m, r, MF_AUTHOR_NAME + i, 3);
	}
}

/* Reads an Atom generator's uri (url in Atom 0.3) and version; its text is captured as usual. */
static void
model_generator_start(fm__model *m, const char **atts)
{
	const char *uri = fm__model_attr(m, atts, "uri");
	const char *version = fm__model_attr(m, atts, "version");

	if (!uri)
		uri = fm__model_attr(m, atts, "url");
	if (uri && fm__model_resolve(m, uri) == 0)
		fm__model_set(m, &m->feed, MF_GENERATOR_URI, 3);
	fm_buf_clear(&m->tmp);
	if (version && fm_buf_puts(&m->tmp, version) == 0)
		fm__model_set(m, &m->feed, MF_GENERATOR_VERSION, 3);
}

/* Handles an element inside a channel, an item, a person or a media group. */
static void
model_field_start(fm__model *m, int ctx, int el, const char **atts)
{
	const model_map *map = &model_maps[el];

	/* A link with an href is Atom's, written without its namespace (an un-namespaced <feed>). */
	if (el == EL_LINK && atts && atts[0] && fm__model_attr(m, atts, "href"))
		el = EL_ATOM_LINK;
	switch (el) {
	case EL_ITEM:
	case EL_ENTRY:
		if (ctx == CTX_CHANNEL) {
			model_item_start(m, el, atts);
			return;
		}
		break;
	case EL_ATOM_AUTHOR:
	case EL_ATOM_CONTRIBUTOR:
		if (ctx == CTX_CHANNEL || ctx == CTX_ITEM) {
			model_person_start(m, el);
			return;
		}
		break;
	case EL_ITUNES_CATEGORY:
		if (ctx == CTX_CHANNEL || ctx == CTX_ITEM) {
			/* A category's text attribute is a term; nested ones are terms too. */
			const char *text = fm__model_attr(m, atts, "text");
			if (text)
				fm__model_add_category(m, text, strlen(text), FM_ITUNES_SCHEME, NULL);
			fm__model_push(m, el, ctx);
			return;
		}
		break;
	case EL_GENERATOR:
		if (ctx == CTX_CHANNEL) {
			model_generator_start(m, atts);
			fm__model_capture(m, el, map->feed_field, map->feed_rank, map->kind, atts);
			return;
		}
		break;
	case EL_MEDIA_GROUP:
		if (ctx == CTX_ITEM) {
			fm__model_push(m, el, CTX_MEDIA);
			return;
		}
		break;
	case EL_ATOM_LINK:
		if ((ctx == CTX_CHANNEL || ctx == CTX_ITEM) && model_atom_link(m, el, atts))
			return;
		break;
	case EL_ENCLOSURE:
		if (ctx == CTX_ITEM) {
			const char *url = fm__model_attr(m, atts, "url");
			const char *type = fm__model_attr(m, atts, "type");
			const char *length = fm__model_attr(m, atts, "length");
			/* An RSS enclosure is one of the item's links too, as rel="enclosure". */
			if (url && *url && fm__model_resolve(m, url) == 0 && m->tmp.size)
				fm__model_add_link(m, m->tmp.ptr, "enclosure", type, NULL, length);
			fm__model_add_enclosure(m, url, type, length);
		}
		break;
	case EL_MEDIA_CONTENT:
		if (ctx == CTX_ITEM || ctx == CTX_MEDIA)
			fm__model_add_enclosure(m, fm__model_attr(m, atts, "url"), fm__model_attr(m, atts, "type"),
					    fm__model_attr(m, atts, "fileSize"));
		break;
	case EL_ATOM_CATEGORY:
		if (ctx == CTX_ITEM || ctx == CTX_CHANNEL) {
			const char *term = fm__model_attr(m, atts, "term");
			const char *label = fm__model_attr(m, atts, "label");
			if (term || label)
				fm__model_add_category(m, term ? term : label, strlen(term ? term : label),
						       fm__model_attr(m, atts, "scheme"), label);
		}
		break;
	case EL_TTL:
	case EL_SY_PERIOD:
	case EL_SY_FREQUENCY:
		if (ctx == CTX_CHANNEL) {
			fm__model_capture(m, el, ML_HINT, 1, TK_PLAIN, atts);
			return;
		}
		break;
	case EL_SKIP_HOURS:
	case EL_SKIP_DAYS:
		if (ctx == CTX_CHANNEL) {
			fm__model_push(m, el, CTX_SKIPLIST);
			return;
		}
		break;
	case EL_HOUR:
	case EL_DAY:
		if (ctx == CTX_SKIPLIST && m->stack[m->depth - 1].el == (el == EL_HOUR ? EL_SKIP_HOURS : EL_SKIP_DAYS)) {
			fm__model_capture(m, el, ML_HINT, 1, TK_PLAIN, atts);
			return;
		}
		break;
	case EL_NAME:
	case EL_EMAIL:
	case EL_URI:
		if (ctx == CTX_PERSON) {
			fm__model_capture(m, el, map->item_field, map->item_rank, map->kind, atts);
			return;
		}
		break;
	default:
		if (ctx == CTX_ITEM || ctx == CTX_MEDIA) {
			if (map->item_rank && (ctx == CTX_ITEM || el == EL_MEDIA_TITLE ||
					       el == EL_MEDIA_DESCRIPTION)) {
				fm__model_capture(m, el, map->item_field, map->item_rank, map->kind, atts);
				return;
			}
		} else if (ctx == CTX_CHANNEL && map->feed_rank) {
			fm__model_capture(m, el, map->feed_field, map->feed_rank, map->kind, atts);
			return;
		}
		break;
	}
	fm__model_push(m, el, CTX_SKIP);
}

/* Dispatches a start tag to what the context it appears in makes of it. */
static void
model_start_el(fm__model *m, int ctx, const char *name, const char **atts)
{
	const char *local;
	int ns, el;

	if (ctx == CTX_SKIP) {
		fm__model_push(m, EL_UNKNOWN, CTX_SKIP);
		return;
	}
	local = model_name(m, name, &ns, &el);
	if (ctx == CTX_CAPTURE) {
		if (fm__model_push(m, el, CTX_CAPTURE) < 0 || m->cap_field < 0)
			return;
		if (m->cap_kind == TK_XHTML && el == EL_XHTML_DIV && !m->cap_skipdiv &&
		    m->depth == m->cap_depth + 1 && m->cap_el != EL_XHTML_BODY && m->format != FM_FORMAT_ATOM03 &&
		    strspn(fm_buf_cstr(&m->cap), " \t\r\n") == m->cap.size) {
			/*
			 * RFC 4287 4.1.3.3: the div, and the white space around
			 * it, is not content. Atom 0.3 had no such rule: there
			 * the div is part of the XHTML.
			 */
			m->cap_skipdiv = m->depth;
			fm_buf_clear(&m->cap);
		} else if (m->cap_kind == TK_HTML || m->cap_kind == TK_XHTML) {
			fm__model_cap_start_tag(m, local, atts);
		} else if ((m->cap_kind == TK_TEXT && m->cap_untyped) ||
			   (m->cap_kind == TK_PLAIN && m->cap_field == MF_TITLE)) {
			/*
			 * Markup in a text construct that named no type, or naked
			 * in an RSS title (as in its description): read it as
			 * HTML, as written.
			 */
			m->cap_kind = TK_HTML;
			fm__model_cap_start_tag(m, local, atts);
		}
		return;
	}
	if (ctx == CTX_DOC) {
		if (m->root_done)
			fm__model_push(m, EL_UNKNOWN, CTX_SKIP);
		else
			model_root(m, ns, el, local, atts);
		return;
	}
	if (ctx == CTX_FEED) {
		if (el == EL_CHANNEL) {
			if (m->format == FM_FORMAT_RSS10 && ns == NS_RSS090)
				m->format = FM_FORMAT_RSS090;
			fm__model_push(m, el, CTX_CHANNEL);
			model_feed_lang(m);
			return;
		}
		if (el == EL_ITEM) {
			model_item_start(m, el, atts);
			return;
		}
		/* A channel's fields written straight under <rss> (no <channel>) are still its. */
		ctx = CTX_CHANNEL;
	}
	if (el == EL_IMAGE || el == EL_TEXTINPUT || el == EL_SOURCE || el == EL_SKIP) {
		fm__model_push(m, el, CTX_SKIP);
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
	size_t d;
	int ns, el;

	model_name(m, name, &ns, &el);
	if (el != EL_ITEM && el != EL_ENTRY)
		return;
	for (d = m->depth; d > 0; d--)
		if (m->stack[d - 1].ctx == CTX_ITEM && m->stack[d - 1].el == el)
			break;
	while (d && m->depth >= d && !m->status)
		model_pop(m, NULL);
}

/* Returns a root's BASE attribute, CDF's xml:base (a CHANNEL's base for what it holds), or NULL. */
static const char *
model_cdf_base(const char **atts)
{
	for (; atts[0]; atts += 2)
		if (!strcmp(atts[0], "BASE"))
			return atts[1];
	return NULL;
}

void
fm__model_start(fm__model *m, const char *name, const char **atts)
{
	size_t depth;
	int ctx, based, langed;

	if (m->status)
		return;
	if (m->lenient && m->in_item)
		model_close_unended_item(m, name);
	depth = m->depth;
	ctx = depth ? m->stack[depth - 1].ctx : CTX_DOC;
	based = langed = 0;
	if (atts && atts[0] && ctx != CTX_CAPTURE) {
		/* One pass over the attributes finds xml:base and xml:lang. */
		const char *base = NULL, *lang = NULL, **a;
		for (a = atts; a[0]; a += 2) {
			if (a[0][0] != 'h' || strncmp(a[0], model_xml_ns, sizeof(model_xml_ns) - 1))
				continue;
			if (!strcmp(a[0] + sizeof(model_xml_ns) - 1, "base"))
				base = a[1];
			else if (!strcmp(a[0] + sizeof(model_xml_ns) - 1, "lang"))
				lang = a[1];
		}
		if (!base && ctx == CTX_DOC)
			base = model_cdf_base(atts);
		based = model_base_begin(m, base);
		langed = model_lang_begin(m, lang);
	}
	model_start_el(m, ctx, name, atts);
	if (based) {
		if (m->depth > depth)
			m->stack[depth].base_pushed = 1;
		else
			free(m->bases[--m->nbases]);
	}
	if (langed) {
		if (m->depth > depth)
			m->stack[depth].lang_pushed = 1;
		else
			free(m->langs[--m->nlangs]);
	}
}

/* Pops the top frame, finishing whatever it held. name is NULL when the input was cut short. */
static void
model_pop(fm__model *m, const char *name)
{
	model_frame *f = &m->stack[m->depth - 1];

	if (f->ctx == CTX_CAPTURE && m->cap_field >= 0) {
		if (m->depth == m->cap_depth) {
			fm__model_capture_end(m);
		} else if (m->depth == m->cap_skipdiv) {
			m->cap_skipdiv = 0;
		} else if ((m->cap_kind == TK_HTML || m->cap_kind == TK_XHTML) && name) {
			int ns, el;
			const char *local = model_name(m, name, &ns, &el);
			if (!fm__names_html_void(local)) {
				fm__model_cap_append(m, "</", 2, 0);
				fm__model_cap_append(m, local, strlen(local), 0);
				fm__model_cap_append(m, ">", 1, 0);
			}
		}
	} else if (f->ctx == CTX_ITEM && m->in_item && (f->el == EL_ITEM || f->el == EL_ENTRY)) {
		fm__model_item_emit(m);
	} else if (f->ctx == CTX_PERSON) {
		model_person_end(m, f->el);
	}
	if (f->base_pushed)
		free(m->bases[--m->nbases]);
	if (f->lang_pushed)
		free(m->langs[--m->nlangs]);
	m->depth--;
}

void
fm__model_end(fm__model *m, const char *name)
{
	size_t d;
	int ns, el;

	if (m->status || !m->depth)
		return;
	if (m->lenient) {
		/* The recovery tokenizer may close an element we opened before it took over. */
		model_name(m, name, &ns, &el);
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
	fm_buf *cap = &m->cap;

	if (m->status || !m->depth || m->stack[m->depth - 1].ctx != CTX_CAPTURE || m->cap_field < 0)
		return;
	/*
	 * expat hands text over in many small pieces (each reference in
	 * escaped HTML is one byte of its own): copy those that fit in place.
	 */
	if (m->cap_kind != TK_XHTML && len < cap->asize - cap->size &&
	    cap->size + len <= m->limits.max_field) {
		if (len == 1)
			cap->ptr[cap->size] = *s;
		else
			memcpy(cap->ptr + cap->size, s, len);
		cap->size += len;
		cap->ptr[cap->size] = '\0';
		return;
	}
	fm__model_cap_append(m, s, len, m->cap_kind == TK_XHTML);
}

void
fm__model_ns_start(fm__model *m, const char *prefix, const char *uri)
{
	model_binding *b;

	if (fm__model_reserve((void **)&m->bind, &m->abind, m->nbind, sizeof(*m->bind)) < 0)
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
			fm__model_record_clear(&m->item);
		}
		if (f->base_pushed)
			free(m->bases[--m->nbases]);
		if (f->lang_pushed)
			free(m->langs[--m->nlangs]);
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

int
fm__model_init(fm__model *m, const char *url, const char *lang, const fm_parse_limits *limits,
	       fm_item_cb on_item, void *payload)
{
	m->on_item = on_item;
	m->payload = payload;
	m->limits = *limits;
	m->cap_field = -1;
	m->item.author_person = m->feed.author_person = SIZE_MAX;
	m->hints = (fm_feed_hints)FM_FEED_HINTS_NONE;
	if (!(m->bases = calloc(4, sizeof(*m->bases))))
		return FM_ENOMEM;
	m->abases = 4;
	m->nbases = 1;
	if (url && *url && !(m->bases[0] = strdup(url)))
		return FM_ENOMEM;
	if (lang && *lang)
		model_lang_begin(m, lang); /* a language that cannot be kept is no language */
	return 0;
}

void
fm__model_dispose(fm__model *m)
{
	size_t i;

	for (i = 0; i < m->nbases; i++)
		free(m->bases[i]);
	free(m->bases);
	for (i = 0; i < m->nlangs; i++)
		free(m->langs[i]);
	free(m->langs);
	while (m->nbind)
		fm__model_ns_end(m, NULL);
	free(m->bind);
	free(m->stack);
	fm_buf_dispose(&m->cap);
	fm_buf_dispose(&m->tmp);
	fm__model_record_dispose(&m->item);
	fm__model_record_dispose(&m->feed);
	free(m->catv);
	free(m->encv);
	free(m->tagv);
	free(m->personv);
	free(m->linkv);
	fm_buf_dispose(&m->pname);
	fm_buf_dispose(&m->pemail);
	fm_buf_dispose(&m->cat_scheme);
	fm_buf_dispose(&m->cat_label);
	fm_buf_dispose(&m->link_rel);
	fm_buf_dispose(&m->link_type);
	fm_buf_dispose(&m->link_title);
	fm_buf_dispose(&m->webmaster);
	fm_buf_dispose(&m->link_length);
}
