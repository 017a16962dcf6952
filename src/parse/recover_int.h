/*
 * recover_int.h - what recover.c (the scanner and tags), recover_scope.c
 * (element and namespace stacks, name resolution) and recover_ref.c
 * (references) share (internal).
 */
#ifndef FM_PARSE_RECOVER_INT_H
#define FM_PARSE_RECOVER_INT_H

#include <stddef.h>

#include "parse/recover.h"
#include "feedmerge/buf.h"

#define RECOVER_REF_MAX 32       /* longest reference name waited for */
#define RECOVER_BUCKETS 256      /* hash chains of a recover_stack */
#define RECOVER_ATTS_MAX 256     /* attributes (and xmlns) kept per tag */
#define RECOVER_NONE ((size_t)-1)

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

/*
 * Predicates the scanner calls on every byte, shared by the files of the
 * tokenizer; kept inline so the split costs the hot loops nothing.
 */

/* Returns whether c is XML white space. */
static inline int
recover_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns whether c may appear in a reference name after '&'. */
static inline int
recover_refchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '#';
}

/* Returns whether the NUL-terminated a equals the n bytes at b. */
static inline int
recover_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!a[i] || a[i] != b[i])
			return 0;
	return !a[n];
}

/* recover.c */

/* Grows the array *arr to need elements of size el; returns 0 or FM_ENOMEM. */
int fm__recover_reserve(void *arr, size_t *alloc, size_t need, size_t el);

/* recover_scope.c */

/* Pushes key onto st (the caller appends value and NUL); returns 0 or FM_ENOMEM, st unchanged. */
int fm__recover_stack_push(recover_stack *st, const char *key, size_t klen);

/* Pops the top entry of st; cannot fail. */
void fm__recover_stack_pop(recover_stack *st);

/* Returns the index of the innermost entry for key among the first limit of its chain, or RECOVER_NONE. */
size_t fm__recover_stack_find(const recover_stack *st, const char *key, size_t klen, size_t limit);

/* Appends the expanded name of qname q[0..n) and a NUL to out (attr: an attribute's name); returns 0 or FM_ENOMEM. */
int fm__recover_resolve(fm__recover *r, fm_buf *out, const char *q, size_t n, int attr);

/* Applies an xmlns or xmlns:p attribute, counting the bindings it pushes in *nb; returns 0 or FM_ENOMEM. */
int fm__recover_declare(fm__recover *r, const recover_att *a, size_t *nb);

/* recover_ref.c */

/* Decodes one reference s[0..n) ('&', name characters, maybe ';') into out, or copies it as text; returns 0 or FM_ENOMEM. */
int fm__recover_ref(fm_buf *out, const char *s, size_t n);

/* Appends an attribute value, decoded, with TAB, LF, CR, CRLF as one space; returns 0 or FM_ENOMEM. */
int fm__recover_decode(fm_buf *out, const char *s, size_t n);

#endif
