/*
 * recover_scope.c - scopes for the recovery tokenizer: the hash-chained
 * stacks of open elements and namespace bindings, and how qualified names
 * resolve against them, with the prefixes feeds use undeclared (internal).
 */
#include "parse/recover_int.h"
#include "feedmerge/error.h"

#include <stdint.h>
#include <string.h>

/* Prefixes feeds use without declaring them, with their usual URIs. */
static const char *const recover_known[][2] = {
	{ "atom", "http://www.w3.org/2005/Atom" },
	{ "content", "http://purl.org/rss/1.0/modules/content/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "dcterms", "http://purl.org/dc/terms/" },
	{ "feedburner", "http://rssnamespace.org/feedburner/ext/1.0" },
	{ "georss", "http://www.georss.org/georss" },
	{ "itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd" },
	{ "media", "http://search.yahoo.com/mrss/" },
	{ "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#" },
	{ "slash", "http://purl.org/rss/1.0/modules/slash/" },
	{ "sy", "http://purl.org/rss/1.0/modules/syndication/" },
	{ "wfw", "http://wellformedweb.org/CommentAPI/" },
	{ "xhtml", "http://www.w3.org/1999/xhtml" },
	{ "xml", "http://www.w3.org/XML/1998/namespace" },
};

/* Returns the hash chain of a name. */
static unsigned
recover_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (unsigned)(h % RECOVER_BUCKETS);
}

/* Pushes key onto st (the caller appends value and NUL); returns 0 or FM_ENOMEM, st unchanged. */
int
fm__recover_stack_push(recover_stack *st, const char *key, size_t klen)
{
	recover_entry *e;
	size_t off = st->strs.size;
	int error;

	if ((error = fm__recover_reserve(&st->v, &st->alloc, st->n + 1, sizeof(*e))) < 0 ||
	    (error = fm_buf_append(&st->strs, key, klen)) < 0 ||
	    (error = fm_buf_putc(&st->strs, '\0')) < 0) {
		st->strs.size = off;
		return error;
	}
	e = &st->v[st->n];
	e->key = off;
	e->val = st->strs.size;
	e->nbind = 0;
	e->bucket = recover_hash(key, klen);
	e->below = st->top[e->bucket];
	st->top[e->bucket] = st->n++;
	return 0;
}

/* Pops the top entry of st; cannot fail. */
void
fm__recover_stack_pop(recover_stack *st)
{
	recover_entry *e = &st->v[--st->n];

	st->top[e->bucket] = e->below;
	st->strs.size = e->key;
}

/* Returns the index of the innermost entry for key among the first limit of its chain, or RECOVER_NONE. */
size_t
fm__recover_stack_find(const recover_stack *st, const char *key, size_t klen, size_t limit)
{
	size_t i = st->top[recover_hash(key, klen)];

	for (; i != RECOVER_NONE && limit--; i = st->v[i].below)
		if (recover_equal(st->strs.ptr + st->v[i].key, key, klen))
			return i;
	return RECOVER_NONE;
}

/* Returns the URI bound to prefix ("": no namespace), or NULL for an unknown prefix. */
static const char *
recover_lookup(fm__recover *r, const char *prefix, size_t plen)
{
	size_t i;

	if (recover_equal("xml", prefix, plen))
		return "http://www.w3.org/XML/1998/namespace";
	if ((i = fm__recover_stack_find(&r->binds, prefix, plen, SIZE_MAX)) != RECOVER_NONE)
		return r->binds.strs.ptr + r->binds.v[i].val;
	if (!plen)
		return "";
	for (i = 0; i < sizeof(recover_known) / sizeof(recover_known[0]); i++)
		if (recover_equal(recover_known[i][0], prefix, plen))
			return recover_known[i][1];
	return NULL;
}

/*
 * Appends the expanded name of qname and a NUL to out: "URI\nlocal", or
 * the name alone without a namespace (unprefixed attributes never have
 * one). Returns 0 or FM_ENOMEM.
 */
int
fm__recover_resolve(fm__recover *r, fm_buf *out, const char *q, size_t n, int attr)
{
	const char *colon = memchr(q, ':', n), *uri = "";
	size_t plen = 0;
	int error = 0;

	if (colon && colon != q && colon != q + n - 1)
		plen = (size_t)(colon - q);
	if ((plen || !attr) && !(uri = recover_lookup(r, q, plen)))
		if (!(error = fm_buf_puts(out, "urn:feedmerge:undeclared:")))
			error = fm_buf_append(out, q, plen);
	if (uri && *uri && !error)
		error = fm_buf_puts(out, uri);
	if ((!uri || *uri) && !error)
		error = fm_buf_putc(out, FM_NS_SEP);
	if (plen) {
		q += plen + 1;
		n -= plen + 1;
	}
	if (!error)
		error = fm_buf_append(out, q, n);
	return error ? error : fm_buf_putc(out, '\0');
}

/*
 * Applies an xmlns or xmlns:p attribute: pushes its binding unless this
 * element already bound the prefix (the first wins), the prefix is xml or
 * xmlns, or it would bind a prefix to "". Returns 0 or FM_ENOMEM.
 */
int
fm__recover_declare(fm__recover *r, const recover_att *a, size_t *nb)
{
	const char *prefix = a->nlen == 5 ? "" : a->name + 6;
	size_t plen = a->nlen == 5 ? 0 : a->nlen - 6, k;
	int error;

	if (!a->hasval || *nb == RECOVER_ATTS_MAX ||
	    recover_equal("xml", prefix, plen) || recover_equal("xmlns", prefix, plen))
		return 0;
	for (k = r->binds.n - *nb; k < r->binds.n; k++)
		if (recover_equal(r->binds.strs.ptr + r->binds.v[k].key, prefix, plen))
			return 0;
	fm_buf_clear(&r->scratch);
	if ((error = fm__recover_decode(&r->scratch, a->val, a->vlen)) < 0)
		return error;
	if (plen && !r->scratch.size)
		return 0;
	if ((error = fm__recover_stack_push(&r->binds, prefix, plen)) < 0)
		return error;
	if ((error = fm_buf_append(&r->binds.strs, fm_buf_cstr(&r->scratch),
				   r->scratch.size + 1)) < 0) {
		fm__recover_stack_pop(&r->binds);
		return error;
	}
	(*nb)++;
	return 0;
}
