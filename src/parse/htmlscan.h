/* htmlscan.h - the HTML scanner html.c shares with htmlurl.c (internal to src/parse). */
#ifndef FM_PARSE_HTMLSCAN_H
#define FM_PARSE_HTMLSCAN_H

#include <stddef.h>

/*
 * Each function reads s[0..len) from index i, never past len, and returns
 * an index into s; "len" means the construct never ends. All are defined in
 * html.c and never fail.
 */

/* Longest tag name worth comparing against the tag tables ("blockquote" is 10). */
#define HTML_TAG_MAX 16

/* Returns 1 when s[0..n) is in table, a sorted array of strings. */
#define HTML_IN(table, s, n) \
	fm__html_in_list((table), sizeof(table) / sizeof(*(table)), (s), (n))

/* Returns 1 for an ASCII letter. */
int fm__html_is_alpha(int c);

/* Returns 1 when s[0..len) is one of the n bytewise-sorted strings in list. */
int fm__html_in_list(const char *const *list, size_t n, const char *s, size_t len);

/* Returns 1 for a byte that continues a tag name (anything but white space, '/' and '>'). */
int fm__html_is_name_char(int c);

/* One attribute of a start tag, as fm__html_attr_next read it: offsets into s. */
typedef struct fm__html_attr {
	size_t name, nlen;     /* its name, s[name .. name + nlen) */
	int has_value;         /* an '=' and a value followed; else the rest is 0 */
	size_t raw, raw_end;   /* the value as written, quotes included */
	size_t value, vlen;    /* the value without its quotes (not decoded) */
} fm__html_attr;

/*
 * Reads the next attribute of a start tag from s[*k] (just after its name
 * or the last attribute), as the HTML tokenizer reads it. Returns 1 with
 * *at filled and *k past it; 0 at the tag's end ('>'), *k just past it; -1
 * when the input ends first (in an unclosed quote, say), *k = len.
 */
int fm__html_attr_next(const char *s, size_t len, size_t *k, fm__html_attr *at);

/* Orders names a[0..alen) and b[0..blen) bytewise, a prefix first: <0, 0 or >0 (for sorted tag tables). */
int fm__html_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Reads the tag name at s[i] lower-cased into name (HTML_TAG_MAX bytes) and
 * returns the index after it; *nlen is its length, 0 when too long.
 */
size_t fm__html_tag_name(const char *s, size_t len, size_t i, char *name, size_t *nlen);

/* Returns the index just past the '>' ending the tag whose attributes start at s[i] (not a quoted one), or len. */
size_t fm__html_tag_end(const char *s, size_t len, size_t i);

/* Returns the index just past the end tag "</name>" closing a raw text element whose content starts at s[i], or len. */
size_t fm__html_rawtext_end(const char *s, size_t len, size_t i, const char *name, size_t nlen);

/* Returns the index just past the comment whose "<!--" starts at s[i], or len. */
size_t fm__html_comment_end(const char *s, size_t len, size_t i);

/* Returns the index of the "]]>" ending a CDATA section whose content starts at s[i], or len. */
size_t fm__html_cdata_end(const char *s, size_t len, size_t i);

/* Returns the index just past the next '>' at or after s[i], or len. */
size_t fm__html_bogus_end(const char *s, size_t len, size_t i);

/*
 * Decodes the character reference at s[*i] == '&' as HTML does in attribute
 * values and moves *i past it; returns the UTF-8 expansion (static, or u,
 * which holds 4 bytes) with its length in *vlen, or NULL, *i unchanged,
 * when the '&' starts no reference.
 */
const char *fm__html_ref_decode(const char *s, size_t len, size_t *i, char *u, size_t *vlen);

#endif
