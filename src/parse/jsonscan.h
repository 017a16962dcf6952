/* jsonscan.h - a byte-level JSON structure scanner for streaming (internal). */
#ifndef FM_PARSE_JSONSCAN_H
#define FM_PARSE_JSONSCAN_H

#include <stddef.h>

/* What the scanner tells its callback about. */
typedef enum fm__jsonscan_ev {
	FM_JSONSCAN_VALUE_START, /* a value begins at data[at]; depth holds it */
	FM_JSONSCAN_VALUE_END,   /* a value ended just before data[at]; depth holds it */
	FM_JSONSCAN_KEY_START,   /* a member name's opening quote is data[at] */
	FM_JSONSCAN_KEY_END      /* the name is complete: see fm__jsonscan.key */
} fm__jsonscan_ev;

/*
 * Receives one event: depth is the number of containers around the value
 * (0 for the top-level value), c the value's first byte for VALUE_START,
 * at an index into the data being pushed (it may equal len at a chunk's
 * end only for VALUE_END of a container or string). Returns 0 to go on, or
 * a negative code that ends the push with that code.
 */
typedef int (*fm__jsonscan_cb)(void *payload, fm__jsonscan_ev ev, size_t depth,
			       char c, size_t at);

#define FM_JSONSCAN_KEYMAX 32

/*
 * The scanner's state. It checks JSON's structure (brackets, commas,
 * colons, quoted names, string escapes, literals, where scalars may go)
 * in time linear in the text and memory bounded by max_depth, whatever
 * the chunking; numbers are only checked for their characters, so json-c
 * must still parse the values that matter.
 */
typedef struct fm__jsonscan {
	size_t max_depth;
	unsigned char *stack;     /* '{' or '[' for each open container */
	size_t depth, stack_cap;
	int state;
	int esc;                  /* 0, 1 after a backslash, 2-5 in \uXXXX */
	unsigned cp;              /* the \u code point so far */
	int in_key;               /* the string being read is a member name */
	int started;              /* a value other than white space was seen */
	const char *lit;          /* the literal being read ("true"...), or NULL for a number */
	size_t lit_i;             /* bytes of it matched */

	char key[FM_JSONSCAN_KEYMAX + 1]; /* the last name, decoded, NUL-terminated */
	size_t key_len;           /* FM_JSONSCAN_KEYMAX + 1 when it did not fit or was not ASCII */

	size_t offset;            /* offset of the next byte (during a callback: of data[at]) */
	unsigned long line;       /* 1-based line of that byte */
	size_t line_start;        /* offset of the first byte of that line */
	char msg[96];             /* what went wrong, when push returned FM_EPARSE/FM_ELIMIT */
} fm__jsonscan;

/* Prepares s; cannot fail (the stack grows on demand). */
void fm__jsonscan_init(fm__jsonscan *s, size_t max_depth);

/*
 * Scans len bytes, calling cb for each event. Returns 0; FM_EPARSE or
 * FM_ELIMIT (deeper than max_depth) with s->msg set and s->offset at the
 * offending byte; FM_ENOMEM; or what cb returned. After an error the
 * scanner must not be pushed again.
 */
int fm__jsonscan_push(fm__jsonscan *s, const char *data, size_t len,
		      fm__jsonscan_cb cb, void *payload);

/*
 * Ends the text. Returns 0 when it held one complete value, 1 when it was
 * empty (white space only), FM_EPARSE when it ended inside a value.
 */
int fm__jsonscan_finish(fm__jsonscan *s);

/* Frees the stack; accepts a zeroed or disposed s. */
void fm__jsonscan_dispose(fm__jsonscan *s);

#endif
