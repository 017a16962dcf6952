/*
 * recover.c - a forgiving XML tokenizer for the recovery pass (internal).
 *
 * Markup is scanned byte by byte with the scanner's state (quote, run of
 * '-' or ']', bracket depth) kept in the struct, so a token cut by a chunk
 * boundary is resumed, never rescanned. Only the pending markup token is
 * buffered; text and CDATA go out as they arrive, except a '&' reference,
 * which waits for at most RECOVER_REF_MAX name characters.
 *
 * This file is the scanner and the tags; recover_scope.c keeps the stacks
 * of open elements and namespace bindings and resolves names against
 * them; recover_ref.c decodes character and entity references.
 */
#include "parse/recover_int.h"
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

#define RECOVER_TOKEN_MIN 16     /* max_token is raised to at least this */
#define RECOVER_SEARCH_MAX 1024  /* same-chain elements an end tag looks at */

/* What push and finish return: a stored failure, FM_ESTOPPED, or 0. */
#define RECOVER_STATUS(r) ((r)->error ? (r)->error : (r)->stopped ? FM_ESTOPPED : 0)

static int recover_feed(fm__recover *r, const char *p, size_t n);

/* Returns whether c may start a name after '<' (any non-ASCII byte may). */
static int
recover_namestart(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_' || c == ':' || c >= 0x80;
}

/* Grows the array *arr to need elements of size el; returns 0 or FM_ENOMEM. */
int
fm__recover_reserve(void *arr, size_t *alloc, size_t need, size_t el)
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

/* Adds an attribute's name and value to scratch; returns 1, 0 for a duplicate, or FM_ENOMEM. */
static int
recover_add_att(fm__recover *r, const recover_att *a, size_t natts)
{
	size_t off = r->scratch.size, k;
	int error;

	if ((error = fm__recover_reserve(&r->offs, &r->aoffs, 2 * natts + 2,
				     sizeof(*r->offs))) < 0 ||
	    (error = fm__recover_resolve(r, &r->scratch, a->name, a->nlen, 1)) < 0)
		return error;
	for (k = 0; k < natts; k++)
		if (!strcmp(r->scratch.ptr + r->offs[2 * k], r->scratch.ptr + off)) {
			r->scratch.size = off;
			return 0;
		}
	r->offs[2 * natts] = off;
	r->offs[2 * natts + 1] = r->scratch.size;
	if (a->hasval)
		error = fm__recover_decode(&r->scratch, a->val, a->vlen);
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
	fm__recover_stack_pop(&r->elems);
	while (nb--)
		fm__recover_stack_pop(&r->binds);
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
		if (recover_is_xmlns(&a) && (error = fm__recover_declare(r, &a, &nb)) < 0)
			goto fail;
	fm_buf_clear(&r->scratch);
	for (pos = qlen; recover_next_att(s, n, &pos, &a, &selfclose);) {
		if (!a.nlen || recover_is_xmlns(&a) || natts == RECOVER_ATTS_MAX)
			continue;
		if ((error = recover_add_att(r, &a, natts)) < 0)
			goto fail;
		natts += (size_t)error;
	}
	if ((error = fm__recover_reserve(&r->atts, &r->aatts, 2 * natts + 1,
				     sizeof(*r->atts))) < 0 ||
	    (error = fm__recover_stack_push(&r->elems, s, qlen)) < 0)
		goto fail;
	e = &r->elems.v[r->elems.n - 1];
	e->nbind = nb;
	if ((error = fm__recover_resolve(r, &r->elems.strs, s, qlen, 0)) < 0) {
		fm__recover_stack_pop(&r->elems);
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
		fm__recover_stack_pop(&r->binds);
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
		if ((error = fm__recover_resolve(r, &r->scratch, s, qlen, 0)) < 0)
			return error;
		if (!r->stopped && r->h.end)
			r->h.end(r->h.userdata, r->scratch.ptr);
		return 0;
	}
	/* The bounded search keeps a flood of stray end tags linear. */
	i = fm__recover_stack_find(&r->elems, s, qlen, RECOVER_SEARCH_MAX);
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
	if ((error = fm__recover_ref(&r->scratch, r->tok.ptr, r->tok.size)) < 0)
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
		if (!(error = fm__recover_stack_push(&r->binds, b->prefix, strlen(b->prefix))))
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
