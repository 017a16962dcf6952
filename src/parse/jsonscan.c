/*
 * jsonscan.c - a byte-level JSON structure scanner (RFC 8259).
 *
 * jsonfeed.c runs this over the pushed text to find where the top-level
 * members and the elements of "items" begin and end, so that it can hand
 * each one to json-c on its own and deliver items while the text is still
 * arriving. The scanner keeps one byte per open container and a short
 * member name, nothing else.
 */
#include "parse/jsonscan.h"
#include "parse/textutil.h"
#include "feedmerge/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the scanner is in the grammar. */
enum {
	JSONSCAN_VALUE,          /* a value must come */
	JSONSCAN_VALUE_OR_CLOSE, /* just after '[' or after ',' in an array */
	JSONSCAN_KEY_OR_CLOSE,   /* just after '{' or after ',' in an object */
	JSONSCAN_COLON,          /* after a member name */
	JSONSCAN_AFTER,          /* after a value inside a container */
	JSONSCAN_STRING,         /* inside a string */
	JSONSCAN_SCALAR,         /* inside a number or literal */
	JSONSCAN_END             /* the top-level value is complete */
};

/* Prepares s with an empty stack; cannot fail. */
void
fm__jsonscan_init(fm__jsonscan *s, size_t max_depth)
{
	memset(s, 0, sizeof(*s));
	s->max_depth = max_depth;
	s->state = JSONSCAN_VALUE;
	s->line = 1;
}

/* Frees the stack; cannot fail. */
void
fm__jsonscan_dispose(fm__jsonscan *s)
{
	free(s->stack);
	s->stack = NULL;
	s->stack_cap = 0;
}

/* Records what went wrong; returns code. */
static int
jsonscan_fail(fm__jsonscan *s, int code, const char *what)
{
	snprintf(s->msg, sizeof(s->msg), "%s", what);
	return code;
}

/* Returns 1 when c is JSON white space (RFC 8259 section 2), else 0. */
static int
jsonscan_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns 1 when c may continue a number or literal, else 0. */
static int
jsonscan_is_scalar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-';
}

/* Adds one decoded character to the member name; non-ASCII marks it as too long. */
static void
jsonscan_key_add(fm__jsonscan *s, unsigned cp)
{
	if (!s->in_key || s->key_len > FM_JSONSCAN_KEYMAX)
		return;
	if (cp == 0 || cp >= 0x80 || s->key_len == FM_JSONSCAN_KEYMAX) {
		s->key_len = FM_JSONSCAN_KEYMAX + 1;
		return;
	}
	s->key[s->key_len++] = (char)cp;
	s->key[s->key_len] = '\0';
}

/* Opens a container; returns 0, FM_ELIMIT past max_depth, or FM_ENOMEM. */
static int
jsonscan_open(fm__jsonscan *s, unsigned char c)
{
	unsigned char *st;
	size_t cap;

	if (s->depth >= s->max_depth) {
		snprintf(s->msg, sizeof(s->msg), "JSON nested deeper than %zu levels",
			 s->max_depth);
		return FM_ELIMIT;
	}
	if (s->depth == s->stack_cap) {
		cap = s->stack_cap ? s->stack_cap * 2 : 16;
		if (cap > s->max_depth)
			cap = s->max_depth;
		if (!(st = realloc(s->stack, cap)))
			return FM_ENOMEM;
		s->stack = st;
		s->stack_cap = cap;
	}
	s->stack[s->depth++] = c;
	s->state = c == '{' ? JSONSCAN_KEY_OR_CLOSE : JSONSCAN_VALUE_OR_CLOSE;
	return 0;
}

/* Moves past a complete value held at the current depth. */
static void
jsonscan_after(fm__jsonscan *s)
{
	s->state = s->depth ? JSONSCAN_AFTER : JSONSCAN_END;
}

/* Returns 0 or the error for byte c at a place where a value must start. */
static int
jsonscan_value(fm__jsonscan *s, unsigned char c, size_t at,
	       fm__jsonscan_cb cb, void *payload)
{
	int error;

	if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
	    c == 't' || c == 'f' || c == 'n') {
		s->started = 1;
		if ((error = cb(payload, FM_JSONSCAN_VALUE_START, s->depth, (char)c, at)) < 0)
			return error;
		if (c == '{' || c == '[')
			return jsonscan_open(s, c);
		s->in_key = 0;
		s->state = c == '"' ? JSONSCAN_STRING : JSONSCAN_SCALAR;
		s->lit = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : NULL;
		s->lit_i = 1;
		return 0;
	}
	return jsonscan_fail(s, FM_EPARSE, "JSON: unexpected character");
}

/* Handles one byte inside a string; returns 0 or a negative code. */
static int
jsonscan_string(fm__jsonscan *s, unsigned char c, size_t at,
		fm__jsonscan_cb cb, void *payload)
{
	int h;

	if (s->esc == 1) {
		s->esc = 0;
		switch (c) {
		case 'u': s->esc = 2; s->cp = 0; return 0;
		case 'b': jsonscan_key_add(s, '\b'); return 0;
		case 'f': jsonscan_key_add(s, '\f'); return 0;
		case 'n': jsonscan_key_add(s, '\n'); return 0;
		case 'r': jsonscan_key_add(s, '\r'); return 0;
		case 't': jsonscan_key_add(s, '\t'); return 0;
		case '"': case '\\': case '/': jsonscan_key_add(s, c); return 0;
		default:
			return jsonscan_fail(s, FM_EPARSE, "JSON: invalid string escape");
		}
	}
	if (s->esc) {
		if ((h = fm__hex_value(c)) < 0)
			return jsonscan_fail(s, FM_EPARSE, "JSON: invalid \\u escape");
		s->cp = s->cp << 4 | (unsigned)h;
		if (++s->esc == 6) {
			s->esc = 0;
			jsonscan_key_add(s, s->cp);
		}
		return 0;
	}
	if (c == '\\') {
		s->esc = 1;
		return 0;
	}
	if (c != '"') {
		jsonscan_key_add(s, c);
		return 0;
	}
	if (s->in_key) {
		s->in_key = 0;
		s->state = JSONSCAN_COLON;
		return cb(payload, FM_JSONSCAN_KEY_END, s->depth, '"', at + 1);
	}
	jsonscan_after(s);
	return cb(payload, FM_JSONSCAN_VALUE_END, s->depth, '"', at + 1);
}

/* Handles one byte outside strings and scalars; returns 0 or a negative code. */
static int
jsonscan_byte(fm__jsonscan *s, unsigned char c, size_t at,
	      fm__jsonscan_cb cb, void *payload)
{
	unsigned char top = s->depth ? s->stack[s->depth - 1] : 0;

	if (jsonscan_is_space(c))
		return 0;
	switch (s->state) {
	case JSONSCAN_VALUE_OR_CLOSE:
		if (c == ']')
			break;
		/* fall through */
	case JSONSCAN_VALUE:
		return jsonscan_value(s, c, at, cb, payload);
	case JSONSCAN_KEY_OR_CLOSE:
		if (c == '}')
			break;
		if (c != '"')
			return jsonscan_fail(s, FM_EPARSE, "JSON: quoted object property name expected");
		s->in_key = 1;
		s->key_len = 0;
		s->key[0] = '\0';
		s->state = JSONSCAN_STRING;
		return cb(payload, FM_JSONSCAN_KEY_START, s->depth, '"', at);
	case JSONSCAN_COLON:
		if (c != ':')
			return jsonscan_fail(s, FM_EPARSE,
					     "JSON: object property name separator ':' expected");
		s->state = JSONSCAN_VALUE;
		return 0;
	case JSONSCAN_AFTER:
		if (c == ',') {
			/* Like json-c (outside its strict mode), accept a trailing comma. */
			s->state = top == '{' ? JSONSCAN_KEY_OR_CLOSE : JSONSCAN_VALUE_OR_CLOSE;
			return 0;
		}
		if ((c == '}' && top == '{') || (c == ']' && top == '['))
			break;
		if (top == '{')
			return jsonscan_fail(s, FM_EPARSE, "JSON: object value separator ',' expected");
		return jsonscan_fail(s, FM_EPARSE, "JSON: array value separator ',' expected");
	default:
		return jsonscan_fail(s, FM_EPARSE, "JSON: unexpected data after the top-level value");
	}
	/* c closes the innermost container, which is a value of the one around it. */
	s->depth--;
	jsonscan_after(s);
	return cb(payload, FM_JSONSCAN_VALUE_END, s->depth, (char)c, at + 1);
}

/* Returns 0, FM_EPARSE, FM_ELIMIT, FM_ENOMEM, or what cb returned. */
int
fm__jsonscan_push(fm__jsonscan *s, const char *data, size_t len,
		  fm__jsonscan_cb cb, void *payload)
{
	unsigned char c;
	size_t i;
	int error;

	for (i = 0; i < len; i++) {
		c = (unsigned char)data[i];
		if (c == '\0')
			return jsonscan_fail(s, FM_EPARSE, "JSON: NUL byte in the text");
		if (s->state == JSONSCAN_SCALAR) {
			/* true, false and null must be spelled out and end there. */
			if (s->lit && (s->lit[s->lit_i] != '\0' ? c != (unsigned char)s->lit[s->lit_i++] :
				       jsonscan_is_scalar(c)))
				return jsonscan_fail(s, FM_EPARSE, "JSON: invalid literal");
			if (!jsonscan_is_scalar(c)) {
				jsonscan_after(s);
				if ((error = cb(payload, FM_JSONSCAN_VALUE_END, s->depth, (char)c, i)) < 0)
					return error;
				error = jsonscan_byte(s, c, i, cb, payload);
			} else {
				error = 0;
			}
		} else if (s->state == JSONSCAN_STRING) {
			error = jsonscan_string(s, c, i, cb, payload);
		} else {
			error = jsonscan_byte(s, c, i, cb, payload);
		}
		if (error < 0)
			return error;
		s->offset++;
		if (c == '\n') {
			s->line++;
			s->line_start = s->offset;
		}
	}
	return 0;
}

/* Returns 0 for a complete value, 1 for empty text, FM_EPARSE when cut short. */
int
fm__jsonscan_finish(fm__jsonscan *s)
{
	if (s->state == JSONSCAN_END ||
	    (s->state == JSONSCAN_SCALAR && s->depth == 0 && (!s->lit || s->lit[s->lit_i] == '\0')))
		return 0;
	if (!s->started)
		return 1;
	return jsonscan_fail(s, FM_EPARSE, "unexpected end of JSON");
}
