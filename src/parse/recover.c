/*
 * recover.c - a forgiving XML tokenizer for the recovery pass (internal).
 *
 * Markup is scanned byte by byte with the scanner's state (quote, run of
 * '-' or ']', bracket depth) kept in the struct, so a token cut by a chunk
 * boundary is resumed, never rescanned. Only the pending markup token is
 * buffered; text and CDATA go out as they arrive, except a '&' reference,
 * which waits for at most RECOVER_REF_MAX name characters.
 */
#include "parse/recover.h"
#include "parse/entities.h"
#include "feedmerge/buf.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What the pending token in tok is; TEXT when nothing is pending. */
enum {
	RECOVER_TEXT,
	RECOVER_LT,      /* a '<' whose meaning the next byte decides */
	RECOVER_REF,     /* '&' and the name characters after it */
	RECOVER_TAG,     /* start or end tag */
	RECOVER_BANG,    /* "<!" until comment, CDATA or declaration is known */
	RECOVER_COMMENT,
	RECOVER_CDATA,   /* streamed: nothing in tok, text goes out at once */
	RECOVER_PI,
	RECOVER_DECL     /* <!DOCTYPE ...> or any other <!...> */
};

/* Tag scanner states; a quote character means "inside a quoted value". */
enum { RECOVER_PLAIN = 0, RECOVER_EQ = 1, RECOVER_BARE = 2 };

#define RECOVER_REF_MAX 32       /* longest reference name waited for */
#define RECOVER_TOKEN_MIN 16     /* max_token is raised to at least this */
#define RECOVER_BUCKETS 256      /* hash chains of a recover_stack */
#define RECOVER_SEARCH_MAX 1024  /* same-chain elements an end tag looks at */
#define RECOVER_ATTS_MAX 256     /* attributes (and xmlns) kept per tag */
#define RECOVER_NONE ((size_t)-1)

/* What push and finish return: a stored failure, FM_ESTOPPED, or 0. */
#define RECOVER_STATUS(r) ((r)->error ? (r)->error : (r)->stopped ? FM_ESTOPPED : 0)

/* An entry of a recover_stack: key and value, NUL-terminated, in strs. */
typedef struct recover_entry {
	size_t key;
	size_t val;
	size_t below;    /* next lower entry in the same chain */
	size_t nbind;    /* elements: bindings their xmlns attributes pushed */
	unsigned bucket;
} recover_entry;

/*
 * A stack of key/value strings with hash chains on the key, so finding the
 * innermost entry for a key skips the others: open elements (qname,
 * expanded name) and namespace bindings (prefix, URI).
 */
typedef struct recover_stack {
	fm_buf strs;
	recover_entry *v;
	size_t n, alloc;
	size_t top[RECOVER_BUCKETS];
} recover_stack;

/* One attribute as written: spans into the tag. */
typedef struct recover_att {
	const char *name, *val;
	size_t nlen, vlen;
	int hasval;
} recover_att;

struct fm__recover {
	fm__recover_handlers h;
	size_t max_token;
	int stopped, finished;
	int error;      /* sticky FM_ENOMEM */
	int kind;
	fm_buf tok;
	int state;      /* tag: RECOVER_PLAIN/EQ/BARE or a quote; decl: quote */
	size_t run;     /* '-' or ']' run, '?' seen, or "<!--" matched */
	size_t depth;   /* '[' depth in a declaration */
	int incomment;  /* inside a comment inside a declaration */
	int cr;         /* the last text byte was a CR, sent as LF */
	recover_stack elems;
	recover_stack binds;
	fm_buf scratch;       /* decoded values, attribute strings */
	size_t *offs, aoffs;  /* offsets of attribute strings in scratch */
	const char **atts;
	size_t aatts;
};

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

static int recover_feed(fm__recover *r, const char *p, size_t n);

/* Returns whether c is XML white space. */
static int
recover_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns whether c may start a name after '<' (any non-ASCII byte may). */
static int
recover_namestart(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_' || c == ':' || c >= 0x80;
}

/* Returns whether c may appear in a reference name after '&'. */
static int
recover_refchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '#';
}

/* Returns the hash chain of a name. */
static unsigned
recover_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (unsigned)(h % RECOVER_BUCKETS);
}

/* Returns whether the NUL-terminated a equals the n bytes at b. */
static int
recover_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!a[i] || a[i] != b[i])
			return 0;
	return !a[n];
}

/* Grows the array *arr to need elements of size el; returns 0 or FM_ENOMEM. */
static int
recover_reserve(void *arr, size_t *alloc, size_t need, size_t el)
{
	void **p = arr, *q;
	size_t n = *alloc ? *alloc : 16;

	if (need <= *alloc)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / el)
			return FM_ENOMEM;
		n *= 2;
	}
	if (!(q = realloc(*p, n * el)))
		return FM_ENOMEM;
	*p = q;
	*alloc = n;
	return 0;
}

/* Pushes key onto st (the caller appends value and NUL); returns 0 or FM_ENOMEM, st unchanged. */
static int
recover_stack_push(recover_stack *st, const char *key, size_t klen)
{
	recover_entry *e;
	size_t off = st->strs.size;
	int error;

	if ((error = recover_reserve(&st->v, &st->alloc, st->n + 1, sizeof(*e))) < 0 ||
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
static void
recover_stack_pop(recover_stack *st)
{
	recover_entry *e = &st->v[--st->n];

	st->top[e->bucket] = e->below;
	st->strs.size = e->key;
}

/* Returns the index of the innermost entry for key among the first limit of its chain, or RECOVER_NONE. */
static size_t
recover_stack_find(const recover_stack *st, const char *key, size_t klen, size_t limit)
{
	size_t i = st->top[recover_hash(key, klen)];

	for (; i != RECOVER_NONE && limit--; i = st->v[i].below)
		if (recover_equal(st->strs.ptr + st->v[i].key, key, klen))
			return i;
	return RECOVER_NONE;
}

/* Passes text to the handler unless stopped; cannot fail. */
static void
recover_emit_raw(fm__recover *r, const char *s, size_t n)
{
	size_t k;

	while (n && !r->stopped && r->h.text) {
		k = n > INT_MAX ? INT_MAX : n;
		r->h.text(r->h.userdata, s, (int)k);
		s += k;
		n -= k;
	}
}

/* Passes text on with CRLF and CR made LF, as XML does, across pieces too; cannot fail. */
static void
recover_emit_text(fm__recover *r, const char *s, size_t n)
{
	const char *cr;

	if (!n)
		return;
	if (r->cr && *s == '\n') {
		s++;
		n--;
	}
	r->cr = 0;
	while (n && (cr = memchr(s, '\r', n))) {
		recover_emit_raw(r, s, (size_t)(cr - s));
		recover_emit_raw(r, "\n", 1);
		n -= (size_t)(cr - s) + 1;
		s = cr + 1;
		if (!n)
			r->cr = 1;
		else if (*s == '\n') {
			s++;
			n--;
		}
	}
	recover_emit_raw(r, s, n);
}

/* Appends code point cp as UTF-8, U+FFFD when XML forbids it; returns 0 or FM_ENOMEM. */
static int
recover_put_utf8(fm_buf *out, unsigned long cp)
{
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	char u[4];
	int n, k;

	if (!(cp == 0x9 || cp == 0xA || cp == 0xD ||
	      (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	      (cp >= 0x10000 && cp <= 0x10FFFF)))
		cp = 0xFFFD;
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (k = n - 1; k > 0; k--, cp >>= 6)
		u[k] = (char)(0x80 | (cp & 0x3F));
	u[0] = (char)(lead[n] | cp);
	return fm_buf_append(out, u, (size_t)n);
}

/* Decodes "#NNN" or "#xHH" into out; returns 1, 0 when malformed, or FM_ENOMEM. */
static int
recover_numref(fm_buf *out, const char *s, size_t n)
{
	char num[RECOVER_REF_MAX + 1], *end;
	int hex = n > 1 && (s[1] == 'x' || s[1] == 'X'), error;
	unsigned long cp;

	/* The name has only [A-Za-z0-9#], so strtoul sees no sign or space. */
	if (n < 2u + (size_t)hex || n > RECOVER_REF_MAX)
		return 0;
	memcpy(num, s + 1 + hex, n - 1 - (size_t)hex);
	num[n - 1 - (size_t)hex] = '\0';
	cp = strtoul(num, &end, hex ? 16 : 10);
	if (*end)
		return 0;
	return (error = recover_put_utf8(out, cp)) < 0 ? error : 1;
}

/*
 * Decodes one reference s[0..n) ('&', name characters, maybe ';') into
 * out, or copies it as literal text when it is no reference we know.
 * Without ';' only amp, lt, gt, quot and nbsp are decoded, as browsers do
 * for the common ones. Returns 0 or FM_ENOMEM.
 */
static int
recover_ref(fm_buf *out, const char *s, size_t n)
{
	static const char *const known[][2] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "nbsp", "\xC2\xA0" }, { "apos", "'" },
	};
	const char *name = s + 1, *v;
	int semi = n > 1 && s[n - 1] == ';', error;
	size_t nlen = n - 1 - (size_t)semi, vlen, i;

	if (semi && nlen && name[0] == '#') {
		if ((error = recover_numref(out, name, nlen)) != 0)
			return error < 0 ? error : 0;
	} else if (!semi || nlen) {
		for (i = 0; i < (semi ? 6u : 5u); i++)
			if (recover_equal(known[i][0], name, nlen))
				return fm_buf_puts(out, known[i][1]);
		if (semi && (v = fm__html_entity(name, nlen, &vlen)) != NULL)
			return fm_buf_append(out, v, vlen);
	}
	return fm_buf_append(out, s, n);
}

/* Appends an attribute value, decoded, with TAB, LF, CR, CRLF as one space; returns 0 or FM_ENOMEM. */
static int
recover_decode(fm_buf *out, const char *s, size_t n)
{
	size_t i = 0, j;
	int error = 0;

	while (i < n && !error) {
		if (s[i] == '&') {
			for (j = i + 1; j < n && j - i <= RECOVER_REF_MAX &&
			     recover_refchar((unsigned char)s[j]); j++)
				;
			j += j < n && s[j] == ';';
			error = recover_ref(out, s + i, j - i);
		} else if (recover_space(s[i])) {
			j = i + 1 + (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
			error = fm_buf_putc(out, ' ');
		} else {
			for (j = i; j < n && s[j] != '&' && !recover_space(s[j]); j++)
				;
			error = fm_buf_append(out, s + i, j - i);
		}
		i = j;
	}
	return error;
}

/* Returns the URI bound to prefix ("": no namespace), or NULL for an unknown prefix. */
static const char *
recover_lookup(fm__recover *r, const char *prefix, size_t plen)
{
	size_t i;

	if (recover_equal("xml", prefix, plen))
		return "http://www.w3.org/XML/1998/namespace";
	if ((i = recover_stack_find(&r->binds, prefix, plen, SIZE_MAX)) != RECOVER_NONE)
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
static int
recover_resolve(fm__recover *r, fm_buf *out, const char *q, size_t n, int attr)
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

/* Returns the length of the element name at the start of a tag body. */
static size_t
recover_namelen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !recover_space(s[i]) && s[i] != '/' && s[i] != '=')
		i++;
	return i;
}

/*
 * Reads the next attribute of a tag body s[0..n) ('>' excluded) from *pos.
 * Returns 1 with *a filled, or 0 at the end; sets *selfclose when a '/'
 * ends the tag, even right after an unquoted value (<a href=x/> is meant
 * as XML). Agrees with recover_step on where values are.
 */
static int
recover_next_att(const char *s, size_t n, size_t *pos, recover_att *a,
		 int *selfclose)
{
	size_t i = *pos;
	char q;

	while (i < n && (recover_space(s[i]) || s[i] == '/'))
		if (s[i++] == '/' && i == n)
			*selfclose = 1;
	if ((*pos = i) >= n)
		return 0;
	for (a->name = s + i; i < n && !recover_space(s[i]) && s[i] != '=' && s[i] != '/'; i++)
		;
	a->nlen = (size_t)(s + i - a->name);
	while (i < n && recover_space(s[i]))
		i++;
	a->val = s + i;
	a->vlen = 0;
	if ((a->hasval = i < n && s[i] == '=')) {
		for (i++; i < n && recover_space(s[i]); i++)
			;
		q = i < n && (s[i] == '"' || s[i] == '\'') ? s[i++] : 0;
		for (a->val = s + i; i < n && (q ? s[i] != q : !recover_space(s[i])); i++)
			;
		a->vlen = (size_t)(s + i - a->val);
		if (q && i < n)
			i++;
		else if (!q && i == n && a->vlen && s[i - 1] == '/') {
			a->vlen--;
			*selfclose = 1;
		}
	}
	*pos = i;
	return 1;
}

/* Returns whether an attribute is a namespace declaration. */
static int
recover_is_xmlns(const recover_att *a)
{
	return (a->nlen == 5 || (a->nlen > 6 && a->name[5] == ':')) &&
	       !memcmp(a->name, "xmlns", 5);
}

/*
 * Applies an xmlns or xmlns:p attribute: pushes its binding unless this
 * element already bound the prefix (the first wins), the prefix is xml or
 * xmlns, or it would bind a prefix to "". Returns 0 or FM_ENOMEM.
 */
static int
recover_declare(fm__recover *r, const recover_att *a, size_t *nb)
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
	if ((error = recover_decode(&r->scratch, a->val, a->vlen)) < 0)
		return error;
	if (plen && !r->scratch.size)
		return 0;
	if ((error = recover_stack_push(&r->binds, prefix, plen)) < 0)
		return error;
	if ((error = fm_buf_append(&r->binds.strs, fm_buf_cstr(&r->scratch),
				   r->scratch.size + 1)) < 0) {
		recover_stack_pop(&r->binds);
		return error;
	}
	(*nb)++;
	return 0;
}

/* Adds an attribute's name and value to scratch; returns 1, 0 for a duplicate, or FM_ENOMEM. */
static int
recover_add_att(fm__recover *r, const recover_att *a, size_t natts)
{
	size_t off = r->scratch.size, k;
	int error;

	if ((error = recover_reserve(&r->offs, &r->aoffs, 2 * natts + 2,
				     sizeof(*r->offs))) < 0 ||
	    (error = recover_resolve(r, &r->scratch, a->name, a->nlen, 1)) < 0)
		return error;
	for (k = 0; k < natts; k++)
		if (!strcmp(r->scratch.ptr + r->offs[2 * k], r->scratch.ptr + off)) {
			r->scratch.size = off;
			return 0;
		}
	r->offs[2 * natts] = off;
	r->offs[2 * natts + 1] = r->scratch.size;
	if (a->hasval)
		error = recover_decode(&r->scratch, a->val, a->vlen);
	else
		error = fm_buf_append(&r->scratch, a->name, a->nlen);
	if (!error)
		error = fm_buf_putc(&r->scratch, '\0');
	return error < 0 ? error : 1;
}

/* Closes the innermost open element, telling the handler unless stopped; cannot fail. */
static void
recover_pop(fm__recover *r)
{
	recover_entry *e = &r->elems.v[r->elems.n - 1];
	size_t nb = e->nbind;

	if (!r->stopped && r->h.end)
		r->h.end(r->h.userdata, r->elems.strs.ptr + e->val);
	recover_stack_pop(&r->elems);
	while (nb--)
		recover_stack_pop(&r->binds);
}

/*
 * Handles a start tag (s is its body after '<', '>' excluded): declares
 * its namespaces, opens it, reports it with its attributes, and closes
 * it again when self-closing. Returns 0 or FM_ENOMEM.
 */
static int
recover_start_tag(fm__recover *r, const char *s, size_t n)
{
	size_t qlen = recover_namelen(s, n), pos, nb = 0, natts = 0, k;
	recover_entry *e;
	recover_att a;
	int selfclose = 0, error;

	for (pos = qlen; recover_next_att(s, n, &pos, &a, &selfclose);)
		if (recover_is_xmlns(&a) && (error = recover_declare(r, &a, &nb)) < 0)
			goto fail;
	fm_buf_clear(&r->scratch);
	for (pos = qlen; recover_next_att(s, n, &pos, &a, &selfclose);) {
		if (!a.nlen || recover_is_xmlns(&a) || natts == RECOVER_ATTS_MAX)
			continue;
		if ((error = recover_add_att(r, &a, natts)) < 0)
			goto fail;
		natts += (size_t)error;
	}
	if ((error = recover_reserve(&r->atts, &r->aatts, 2 * natts + 1,
				     sizeof(*r->atts))) < 0 ||
	    (error = recover_stack_push(&r->elems, s, qlen)) < 0)
		goto fail;
	e = &r->elems.v[r->elems.n - 1];
	e->nbind = nb;
	if ((error = recover_resolve(r, &r->elems.strs, s, qlen, 0)) < 0) {
		recover_stack_pop(&r->elems);
		goto fail;
	}
	for (k = 0; k < 2 * natts; k++)
		r->atts[k] = r->scratch.ptr + r->offs[k];
	r->atts[2 * natts] = NULL;
	if (!r->stopped && r->h.start)
		r->h.start(r->h.userdata, r->elems.strs.ptr + e->val, r->atts);
	if (selfclose)
		recover_pop(r);
	return 0;
fail:
	while (nb--)
		recover_stack_pop(&r->binds);
	return error;
}

/*
 * Handles an end tag (s is its body after "</"): closes the matching open
 * element and everything above it, reports the resolved name when nothing
 * was opened here, and ignores it otherwise. Returns 0 or FM_ENOMEM.
 */
static int
recover_end_tag(fm__recover *r, const char *s, size_t n)
{
	size_t qlen = recover_namelen(s, n), i;
	int error;

	if (!qlen)
		return 0;
	if (!r->elems.n) {
		fm_buf_clear(&r->scratch);
		if ((error = recover_resolve(r, &r->scratch, s, qlen, 0)) < 0)
			return error;
		if (!r->stopped && r->h.end)
			r->h.end(r->h.userdata, r->scratch.ptr);
		return 0;
	}
	/* The bounded search keeps a flood of stray end tags linear. */
	i = recover_stack_find(&r->elems, s, qlen, RECOVER_SEARCH_MAX);
	while (i != RECOVER_NONE && r->elems.n > i)
		recover_pop(r);
	return 0;
}

/* Decodes the pending '&' reference in tok and passes it on as text; returns 0 or FM_ENOMEM. */
static int
recover_ref_text(fm__recover *r)
{
	int error;

	r->kind = RECOVER_TEXT;
	r->cr = 0;
	fm_buf_clear(&r->scratch);
	if ((error = recover_ref(&r->scratch, r->tok.ptr, r->tok.size)) < 0)
		return error;
	recover_emit_raw(r, r->scratch.ptr, r->scratch.size);
	return 0;
}

/* Advances a "-->" matcher by c; returns 1 when c is its closing '>'. */
static int
recover_dashes(size_t *run, unsigned char c)
{
	if (c == '>' && *run >= 2)
		return 1;
	*run = c == '-' ? (*run < 2 ? *run + 1 : 2) : 0;
	return 0;
}

/* Advances the markup scanner by byte c; returns 1 when c completes the pending token. */
static int
recover_step(fm__recover *r, unsigned char c)
{
	if (r->kind == RECOVER_COMMENT)
		return recover_dashes(&r->run, c);
	if (r->kind == RECOVER_PI) {
		if (c == '>' && r->run)
			return 1;
		r->run = c == '?';
		return 0;
	}
	if (r->kind == RECOVER_TAG) {
		if (r->state == '"' || r->state == '\'')
			r->state = c == r->state ? RECOVER_PLAIN : r->state;
		else if (c == '>')
			return 1;
		else if (r->state == RECOVER_PLAIN)
			r->state = c == '=' ? RECOVER_EQ : RECOVER_PLAIN;
		else if (r->state == RECOVER_EQ && (c == '"' || c == '\''))
			r->state = c;
		else if (r->state == RECOVER_EQ)
			r->state = recover_space(c) ? RECOVER_EQ : RECOVER_BARE;
		else if (recover_space(c))
			r->state = RECOVER_PLAIN;
		return 0;
	}
	/* A declaration: quotes, an [internal subset], comments inside it. */
	if (r->incomment) {
		if (recover_dashes(&r->run, c)) {
			r->incomment = 0;
			r->run = 0;
		}
		return 0;
	}
	if (r->state) {
		r->state = c == r->state ? 0 : r->state;
		return 0;
	}
	if (c == (unsigned char)"<!--"[r->run]) {
		if (++r->run == 4) {
			r->incomment = 1;
			r->run = 0;
		}
		return 0;
	}
	r->run = c == '<';
	if (c == '"' || c == '\'')
		r->state = c;
	else if (c == '[')
		r->depth++;
	else if (c == ']' && r->depth)
		r->depth--;
	return c == '>' && !r->depth;
}

/* Reports the complete tag in tok, or drops a comment, PI or declaration; returns 0 or FM_ENOMEM. */
static int
recover_dispatch(fm__recover *r)
{
	const char *s = r->tok.ptr;
	size_t n = r->tok.size;
	int kind = r->kind;

	r->kind = RECOVER_TEXT;
	r->cr = 0;
	if (kind != RECOVER_TAG)
		return 0;
	if (s[1] == '/')
		return recover_end_tag(r, s + 2, n - 3);
	return recover_start_tag(r, s + 1, n - 2);
}

/*
 * Decides what the "<!..." in tok is once its last byte arrived: comment,
 * CDATA section, or anything else, a declaration, which is then scanned
 * from its third byte. Returns 0 or FM_ENOMEM.
 */
static int
recover_bang(fm__recover *r)
{
	static const char cdata[] = "<![CDATA[";
	const char *s = r->tok.ptr;
	size_t n = r->tok.size, i;

	r->run = 0;
	if (s[2] == '-' && (n == 3 || s[3] == '-')) {
		r->kind = n == 4 ? RECOVER_COMMENT : r->kind;
		return 0;
	}
	if (s[2] == '[' && s[n - 1] == cdata[n - 1]) {
		r->kind = n == sizeof(cdata) - 1 ? RECOVER_CDATA : r->kind;
		return 0;
	}
	r->kind = RECOVER_DECL;
	r->state = 0;
	r->depth = 0;
	r->incomment = 0;
	for (i = 2; i < n; i++)
		if (recover_step(r, (unsigned char)s[i]))
			return recover_dispatch(r);
	return 0;
}

/*
 * Passes CDATA text on as it arrives, keeping back only a trailing "]]"
 * that may begin the end marker (r->run counts it, up to 2). Returns how
 * many bytes of p it used; cannot fail.
 */
static size_t
recover_cdata(fm__recover *r, const char *p, size_t n)
{
	size_t held = r->run, i, total, k;
	int end = 0;

	for (i = 0; i < n && !end; i++) {
		if (p[i] == '>' && r->run == 2)
			end = 1;
		else
			r->run = p[i] != ']' ? 0 : r->run < 2 ? r->run + 1 : 2;
	}
	/* Text is the held ']'s, then p, minus the "]]>" or the ']'s now held. */
	total = held + i - (end ? 3 : r->run);
	k = held < total ? held : total;
	recover_emit_text(r, "]]", k);
	recover_emit_text(r, p, total - k);
	if (end) {
		r->kind = RECOVER_TEXT;
		r->run = 0;
		r->cr = 0;
	}
	return i;
}

/*
 * Gives up on a markup token that grew past max_token: its '<' becomes
 * text and the bytes after it are scanned again. They are fewer than
 * max_token, so this never recurses further. Returns 0 or FM_ENOMEM.
 */
static int
recover_overflow(fm__recover *r)
{
	fm_buf t = r->tok;
	int error;

	memset(&r->tok, 0, sizeof(r->tok));
	r->kind = RECOVER_TEXT;
	recover_emit_text(r, "<", 1);
	error = recover_feed(r, t.ptr + 1, t.size - 1);
	if (!r->tok.ptr) {
		fm_buf_clear(&t);
		r->tok = t;
	} else {
		fm_buf_dispose(&t);
	}
	return error;
}

/* Scans input p[0..n), emitting events as tokens complete; returns 0 or FM_ENOMEM. */
static int
recover_feed(fm__recover *r, const char *p, size_t n)
{
	size_t i = 0, j, lim;
	unsigned char c;
	int error = 0, done;

	while (i < n && !r->stopped && !error) {
		c = (unsigned char)p[i];
		switch (r->kind) {
		case RECOVER_TEXT:
			for (j = i; j < n && p[j] != '<' && p[j] != '&'; j++)
				;
			recover_emit_text(r, p + i, j - i);
			if (j == n)
				return 0;
			fm_buf_clear(&r->tok);
			error = fm_buf_putc(&r->tok, p[j]);
			r->kind = p[j] == '<' ? RECOVER_LT : RECOVER_REF;
			i = j + 1;
			break;
		case RECOVER_LT:
			if (c == '!' || c == '?') {
				r->kind = c == '!' ? RECOVER_BANG : RECOVER_PI;
				r->run = 0;
				error = fm_buf_putc(&r->tok, (char)c);
				i++;
			} else if (c == '/' || recover_namestart(c)) {
				r->kind = RECOVER_TAG;
				r->state = RECOVER_PLAIN;
			} else {
				r->kind = RECOVER_TEXT;
				recover_emit_text(r, "<", 1);
			}
			break;
		case RECOVER_REF:
			if (c == ';' || (recover_refchar(c) && r->tok.size <= RECOVER_REF_MAX)) {
				error = fm_buf_putc(&r->tok, (char)c);
				i++;
				if (c != ';' || error)
					break;
			}
			error = recover_ref_text(r);
			break;
		case RECOVER_BANG:
			if (!(error = fm_buf_putc(&r->tok, (char)c)))
				error = recover_bang(r);
			i++;
			break;
		case RECOVER_CDATA:
			i += recover_cdata(r, p + i, n - i);
			break;
		default:
			if (!(lim = r->max_token - r->tok.size)) {
				error = recover_overflow(r);
				break;
			}
			lim = lim < n - i ? lim : n - i;
			for (j = 0, done = 0; j < lim && !done; j++)
				done = recover_step(r, (unsigned char)p[i + j]);
			/* putc is cheaper per call: input often comes a byte at a time. */
			error = j == 1 ? fm_buf_putc(&r->tok, p[i]) : fm_buf_append(&r->tok, p + i, j);
			i += j;
			if (done && !error)
				error = recover_dispatch(r);
		}
	}
	return error;
}

/* Returns 0 with *out set, or FM_ENOMEM. */
int
fm__recover_new(fm__recover **out, const fm__recover_handlers *h,
		const fm__ns_binding *bindings, size_t nbindings,
		size_t max_token)
{
	const fm__ns_binding *b;
	fm__recover *r;
	size_t i;
	int error = 0;

	assert(out && h && (bindings || !nbindings));
	if (!(*out = r = calloc(1, sizeof(*r))))
		return FM_ENOMEM;
	r->h = *h;
	r->max_token = max_token < RECOVER_TOKEN_MIN ? RECOVER_TOKEN_MIN : max_token;
	for (i = 0; i < RECOVER_BUCKETS; i++)
		r->elems.top[i] = r->binds.top[i] = RECOVER_NONE;
	for (b = bindings; nbindings && b < bindings + nbindings && !error; b++) {
		assert(b->prefix && b->uri);
		if (!(error = recover_stack_push(&r->binds, b->prefix, strlen(b->prefix))))
			error = fm_buf_append(&r->binds.strs, b->uri, strlen(b->uri) + 1);
	}
	if (error) {
		fm__recover_free(r);
		*out = NULL;
	}
	return error;
}

/* Returns 0, FM_ENOMEM (then and ever after), FM_ESTOPPED, or FM_EINVAL after finish. */
int
fm__recover_push(fm__recover *r, const char *data, size_t len)
{
	assert(r && (data || !len));
	if (r->error || r->stopped)
		return RECOVER_STATUS(r);
	if (r->finished)
		return FM_EINVAL;
	r->error = recover_feed(r, data, len);
	return RECOVER_STATUS(r);
}

/* Returns as push; a second call returns FM_EINVAL. */
int
fm__recover_finish(fm__recover *r)
{
	assert(r);
	if (r->error || r->stopped)
		return RECOVER_STATUS(r);
	if (r->finished)
		return FM_EINVAL;
	r->finished = 1;
	if (r->kind == RECOVER_LT)
		recover_emit_text(r, "<", 1);
	else if (r->kind == RECOVER_REF)
		r->error = recover_ref_text(r);
	else if (r->kind == RECOVER_CDATA)
		recover_emit_text(r, "]]", r->run);
	r->kind = RECOVER_TEXT;
	while (!r->error && r->elems.n && !r->stopped)
		recover_pop(r);
	return RECOVER_STATUS(r);
}

/* Marks the tokenizer stopped; cannot fail. */
void
fm__recover_stop(fm__recover *r)
{
	assert(r);
	r->stopped = 1;
}

/* Frees the tokenizer and everything it holds; cannot fail. */
void
fm__recover_free(fm__recover *r)
{
	if (!r)
		return;
	fm_buf_dispose(&r->tok);
	fm_buf_dispose(&r->elems.strs);
	fm_buf_dispose(&r->binds.strs);
	fm_buf_dispose(&r->scratch);
	free(r->elems.v);
	free(r->binds.v);
	free(r->offs);
	free(r->atts);
	free(r);
}
