/*
 * record.c - the records of the feed model: what an item or the feed has
 * gathered (fields by rank, categories, enclosures), and the item handed
 * to the callback at its end tag (internal).
 */
#include "parse/model_int.h"
#include "parse/textutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Real items carry a handful of categories and enclosures; these caps keep
 * the duplicate checks (a linear scan each) bounded on hostile input.
 */
#define MODEL_MAX_CATEGORIES 256
#define MODEL_MAX_ENCLOSURES 64
#define MODEL_MAX_PEOPLE 64
#define MODEL_MAX_LINKS 64

/* Empties a record for reuse, keeping its memory. */
void
fm__model_record_clear(model_record *r)
{
	int i;

	for (i = 0; i < MF_NSTR; i++) {
		/* fm_buf_clear, spelt out: most of these are empty already. */
		if (r->str[i].size) {
			r->str[i].size = 0;
			r->str[i].ptr[0] = '\0';
		}
	}
	memset(r->prio, 0, sizeof(r->prio));
	memset(r->type, 0, sizeof(r->type));
	r->published = r->updated = 0;
	fm_buf_clear(&r->pool);
	r->ncats = r->nencs = r->npeople = r->nlinks = 0;
	r->author_person = SIZE_MAX;
}

/* Frees a record's memory. */
void
fm__model_record_dispose(model_record *r)
{
	int i;

	for (i = 0; i < MF_NSTR; i++)
		fm_buf_dispose(&r->str[i]);
	fm_buf_dispose(&r->pool);
	free(r->cats);
	free(r->encs);
	free(r->people);
	free(r->links);
}

/* Grows an array of n elements of size sz to hold at least n + 1; returns 0 or FM_ENOMEM. */
int
fm__model_reserve(void **arr, size_t *alloc, size_t n, size_t sz)
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

/* Adds an enclosure unless one with the same URL is there; keeps the status on failure. */
void
fm__model_add_enclosure(fm__model *m, const char *url, const char *type, const char *length)
{
	model_record *r = &m->item;
	model_enclosure *e;
	size_t i;

	if (!url || !*url || fm__model_resolve(m, url) < 0 || !m->tmp.size)
		return;
	if (r->nencs >= MODEL_MAX_ENCLOSURES) {
		fm__model_warn(m, "more than %d enclosures in one item; the rest dropped", MODEL_MAX_ENCLOSURES);
		return;
	}
	for (i = 0; i < r->nencs; i++)
		if (!strcmp(r->pool.ptr + r->encs[i].url, m->tmp.ptr))
			return;
	if (fm__model_reserve((void **)&r->encs, &r->aencs, r->nencs, sizeof(*r->encs)) < 0) {
		fm__model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	e = &r->encs[r->nencs++];
	e->url = model_pool_add(r, m->tmp.ptr);
	e->type = type && *type ? model_pool_add(r, type) : SIZE_MAX;
	e->length = length && *length ? model_pool_add(r, length) : SIZE_MAX;
	if (e->url == SIZE_MAX)
		r->nencs--;
}

/* Copies s[0..len) and a NUL into the record's pool; returns its offset, or SIZE_MAX on failure. */
static size_t
model_pool_addn(model_record *r, const char *s, size_t len)
{
	size_t off = r->pool.size;

	if (fm_buf_append(&r->pool, s, len) < 0 || fm_buf_putc(&r->pool, '\0') < 0)
		return SIZE_MAX;
	return off;
}

/* Adds a category unless its term is empty or already there; scheme and label may be NULL. */
void
fm__model_add_category(fm__model *m, const char *term, size_t len, const char *scheme,
		       const char *label)
{
	model_record *r = fm__model_rec(m);
	model_cat *c;
	size_t i;

	fm_buf_clear(&m->tmp);
	if (fm__collapse_space(&m->tmp, term, len) < 0 || !m->tmp.size)
		return;
	if (r->ncats >= MODEL_MAX_CATEGORIES) {
		fm__model_warn(m, "more than %d categories in one item; the rest dropped", MODEL_MAX_CATEGORIES);
		return;
	}
	for (i = 0; i < r->ncats; i++)
		if (!strcmp(r->pool.ptr + r->cats[i].term, m->tmp.ptr))
			return;
	if (fm__model_reserve((void **)&r->cats, &r->acats, r->ncats, sizeof(*r->cats)) < 0)
		return;
	c = &r->cats[r->ncats];
	if ((c->term = model_pool_add(r, m->tmp.ptr)) == SIZE_MAX)
		return;
	c->scheme = scheme && *scheme ? model_pool_add(r, scheme) : SIZE_MAX;
	c->label = label && *label ? model_pool_add(r, label) : SIZE_MAX;
	r->ncats++;
}

/* Adds a person to r (fm__model_add_person for a record named, not the one in force). */
static void
model_record_add_person(model_record *r, const fm_buf *name, const fm_buf *email, const fm_buf *uri,
			int contributor)
{
	model_person *p;

	if (!name->size && !email->size && !(uri && uri->size))
		return;
	if (r->npeople >= MODEL_MAX_PEOPLE ||
	    fm__model_reserve((void **)&r->people, &r->apeople, r->npeople, sizeof(*r->people)) < 0)
		return;
	p = &r->people[r->npeople];
	p->name = name->size ? model_pool_addn(r, name->ptr, name->size) : SIZE_MAX;
	p->email = email->size ? model_pool_addn(r, email->ptr, email->size) : SIZE_MAX;
	p->uri = uri && uri->size ? model_pool_addn(r, uri->ptr, uri->size) : SIZE_MAX;
	p->contributor = contributor;
	r->npeople++;
}

/* Adds a person (name, email, uri: any may be NULL or empty) to the record in force. */
void
fm__model_add_person(fm__model *m, const fm_buf *name, const fm_buf *email, const fm_buf *uri,
		     int contributor)
{
	model_record_add_person(fm__model_rec(m), name, email, uri, contributor);
}

/* Adds an RSS-style person string ("me@example.com (Name)") to the record in force. */
void
fm__model_add_person_string(fm__model *m, const char *s, int contributor)
{
	fm_buf_clear(&m->pname);
	fm_buf_clear(&m->pemail);
	if (fm__person_split(s, &m->pname, &m->pemail) == 0)
		fm__model_add_person(m, &m->pname, &m->pemail, NULL, contributor);
}

/* Adds a link (href resolved already, or NULL when it has none) to the record in force. */
void
fm__model_add_link(fm__model *m, const char *href, const char *rel, const char *type,
		   const char *title, const char *length)
{
	model_record *r = fm__model_rec(m);
	model_link *l;

	if (r->nlinks >= MODEL_MAX_LINKS ||
	    fm__model_reserve((void **)&r->links, &r->alinks, r->nlinks, sizeof(*r->links)) < 0)
		return;
	l = &r->links[r->nlinks];
	if (!href)
		l->href = SIZE_MAX; /* an Atom link without an href */
	else if ((l->href = model_pool_add(r, href)) == SIZE_MAX)
		return;
	l->rel = rel && *rel ? model_pool_add(r, rel) : SIZE_MAX; /* SIZE_MAX: "alternate" */
	l->type = type && *type ? model_pool_add(r, type) : SIZE_MAX;
	l->title = title && *title ? model_pool_add(r, title) : SIZE_MAX;
	l->length = length && *length ? model_pool_add(r, length) : SIZE_MAX;
	r->nlinks++;
}

/* Sets a string field from m->tmp when rank beats the field's current source. */
void
fm__model_set(fm__model *m, model_record *r, int field, int rank)
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

/*
 * Fills out with text field field of r: its value, type, and base (the
 * xml:base kept with it, else the document's URL).
 */
static void
model_text(const fm__model *m, const model_record *r, int field, fm_text *out)
{
	const fm_buf *base = &r->str[fm__model_base_field(field)];

	out->value = r->str[field].size ? r->str[field].ptr : NULL;
	out->type = (fm_text_type)r->type[field];
	out->base = !out->value ? NULL : base->size ? base->ptr : m->bases[0];
	out->language = out->value && r->str[fm__model_lang_field(field)].size ?
			r->str[fm__model_lang_field(field)].ptr : NULL;
}

#define P(off) ((off) == SIZE_MAX ? NULL : r->pool.ptr + (off))

/*
 * Gives a record whose author is an RSS-style string ("me@example.com
 * (Name)") and no Atom person its author's name and email: from the
 * person the string made when there is one, else split here.
 */
static void
model_author_split(model_record *r)
{
	const model_person *p;

	if (!r->prio[MF_AUTHOR] || r->prio[MF_AUTHOR_NAME] || r->prio[MF_AUTHOR_EMAIL])
		return;
	if (r->author_person == SIZE_MAX) {
		fm__person_split(r->str[MF_AUTHOR].ptr, &r->str[MF_AUTHOR_NAME], &r->str[MF_AUTHOR_EMAIL]);
		return;
	}
	p = &r->people[r->author_person];
	if (p->name != SIZE_MAX)
		fm_buf_puts(&r->str[MF_AUTHOR_NAME], r->pool.ptr + p->name);
	if (p->email != SIZE_MAX)
		fm_buf_puts(&r->str[MF_AUTHOR_EMAIL], r->pool.ptr + p->email);
}

/*
 * Fills the model's scratch arrays with r's categories, people (authors
 * first, then contributors) and links; returns 0 or FM_ENOMEM.
 */
static int
model_lists(fm__model *m, const model_record *r)
{
	size_t i, n = 0;

	if (!r->ncats && !r->npeople && !r->nlinks)
		return 0;
	if (fm__model_reserve((void **)&m->tagv, &m->atagv, r->ncats, sizeof(*m->tagv)) < 0 ||
	    fm__model_reserve((void **)&m->personv, &m->apersonv, r->npeople, sizeof(*m->personv)) < 0 ||
	    fm__model_reserve((void **)&m->linkv, &m->alinkv, r->nlinks, sizeof(*m->linkv)) < 0)
		return FM_ENOMEM;
	for (i = 0; i < r->ncats; i++) {
		m->tagv[i].term = P(r->cats[i].term);
		m->tagv[i].scheme = P(r->cats[i].scheme);
		m->tagv[i].label = P(r->cats[i].label);
	}
	for (int contributor = 0; contributor < 2; contributor++) {
		for (i = 0; i < r->npeople; i++) {
			if (r->people[i].contributor != contributor)
				continue;
			m->personv[n].name = P(r->people[i].name);
			m->personv[n].email = P(r->people[i].email);
			m->personv[n].uri = P(r->people[i].uri);
			n++;
		}
	}
	for (i = 0; i < r->nlinks; i++) {
		m->linkv[i].href = P(r->links[i].href);
		m->linkv[i].rel = r->links[i].rel == SIZE_MAX ? "alternate" : P(r->links[i].rel);
		m->linkv[i].type = P(r->links[i].type);
		m->linkv[i].title = P(r->links[i].title);
		m->linkv[i].length = P(r->links[i].length);
	}
	return 0;
}

/* Points authors and contributors into the scratch array model_lists filled for r. */
static void
model_people(fm__model *m, const model_record *r, const fm_person **authors, size_t *nauthors,
	     const fm_person **contributors, size_t *ncontributors)
{
	size_t i, na = 0;

	for (i = 0; i < r->npeople; i++)
		na += !r->people[i].contributor;
	*authors = m->personv;
	*nauthors = na;
	*contributors = m->personv ? m->personv + na : NULL; /* none at all: never reserved */
	*ncontributors = r->npeople - na;
}

/* Hands the finished item to the callback and clears it. */
void
fm__model_item_emit(fm__model *m)
{
	model_record *r = &m->item;
	fm_item it;
	size_t i;

	m->in_item = 0;
	model_author_split(r);
	if (fm__model_reserve((void **)&m->catv, &m->acatv, r->ncats, sizeof(*m->catv)) < 0 ||
	    fm__model_reserve((void **)&m->encv, &m->aencv, r->nencs, sizeof(*m->encv)) < 0 ||
	    model_lists(m, r) < 0) {
		fm__model_fail(m, FM_ENOMEM, "out of memory");
		return;
	}
	for (i = 0; i < r->ncats; i++)
		m->catv[i] = r->pool.ptr + r->cats[i].term;
	for (i = 0; i < r->nencs; i++) {
		m->encv[i].url = r->pool.ptr + r->encs[i].url;
		m->encv[i].type = r->encs[i].type == SIZE_MAX ? NULL : r->pool.ptr + r->encs[i].type;
		m->encv[i].length = r->encs[i].length == SIZE_MAX ? NULL : r->pool.ptr + r->encs[i].length;
	}
#define S(f) (r->str[f].size ? r->str[f].ptr : NULL)
	memset(&it, 0, sizeof(it));
	it.id = S(MF_ID);
	model_text(m, r, MF_TITLE, &it.title_detail);
	it.title = it.title_detail.type == FM_TEXT_PLAIN ? it.title_detail.value : S(MF_TITLE_TEXT);
	it.link = S(MF_LINK);
	model_text(m, r, MF_SUBTITLE, &it.subtitle_detail);
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
	model_text(m, r, MF_SUMMARY, &it.summary_detail);
	model_text(m, r, MF_CONTENT, &it.content_detail);
	it.categories = m->catv;
	it.ncategories = r->ncats;
	it.tags = m->tagv;
	model_people(m, r, &it.authors, &it.nauthors, &it.contributors, &it.ncontributors);
	it.links = m->linkv;
	it.nlinks = r->nlinks;
	it.enclosures = m->encv;
	it.nenclosures = r->nencs;
	it.published = r->published;
	it.updated = r->updated;
	it.language = S(MF_LANGUAGE);
	it.published_text = S(MF_PUBLISHED_TEXT);
	it.updated_text = S(MF_UPDATED_TEXT);
	m->items++;
	if (m->on_item && m->on_item(&it, m->payload))
		fm__model_fail(m, FM_ESTOPPED, "stopped after %zu items", m->items);
	fm__model_record_clear(r);
}

/* Makes the channel's webMaster the feed's author when nothing else named one. */
static void
model_feed_webmaster(fm__model *m, model_record *r)
{
	size_t n = r->npeople;

	if (r->prio[MF_AUTHOR] || r->prio[MF_AUTHOR_NAME] || r->prio[MF_AUTHOR_EMAIL] || !m->webmaster.size)
		return;
	fm_buf_clear(&m->pname);
	fm_buf_clear(&m->pemail);
	if (fm__person_split(m->webmaster.ptr, &m->pname, &m->pemail) == 0)
		model_record_add_person(r, &m->pname, &m->pemail, NULL, 0);
	fm_buf_clear(&m->tmp);
	if (fm_buf_append(&m->tmp, m->webmaster.ptr, m->webmaster.size) < 0)
		return;
	r->author_person = r->npeople > n ? n : SIZE_MAX;
	fm__model_set(m, r, MF_AUTHOR, 1);
}

void
fm__model_feed(fm__model *m, fm_feed *feed)
{
	model_record *r = &m->feed;

	model_feed_webmaster(m, r);
	model_author_split(r);
	memset(feed, 0, sizeof(*feed));
	feed->format = m->format;
	fm__model_hints(m, &feed->hints);
	model_text(m, r, MF_TITLE, &feed->title_detail);
	feed->title = feed->title_detail.type == FM_TEXT_PLAIN ? feed->title_detail.value :
		      S(MF_TITLE_TEXT);
	feed->link = S(MF_LINK);
	model_text(m, r, MF_SUBTITLE, &feed->subtitle_detail);
	feed->subtitle = feed->subtitle_detail.type == FM_TEXT_PLAIN ? feed->subtitle_detail.value :
			 S(MF_SUBTITLE_TEXT);
	feed->id = S(MF_ID);
	feed->author.name = S(MF_AUTHOR_NAME);
	feed->author.email = S(MF_AUTHOR_EMAIL);
	feed->author.uri = S(MF_AUTHOR_URI);
	feed->updated = r->updated;
	feed->published = r->published;
	feed->language = S(MF_LANGUAGE);
	feed->published_text = S(MF_PUBLISHED_TEXT);
	feed->updated_text = S(MF_UPDATED_TEXT);
	feed->generator = S(MF_GENERATOR);
	feed->generator_uri = S(MF_GENERATOR_URI);
	feed->generator_version = S(MF_GENERATOR_VERSION);
	if (model_lists(m, r) < 0)
		return;
	feed->tags = m->tagv;
	feed->ntags = r->ncats;
	model_people(m, r, &feed->authors, &feed->nauthors, &feed->contributors, &feed->ncontributors);
	feed->links = m->linkv;
	feed->nlinks = r->nlinks;
}
#undef S
#undef P
