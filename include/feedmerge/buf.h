/* buf.h - growable byte buffers (always NUL-terminated once grown). */
#ifndef FEEDMERGE_BUF_H
#define FEEDMERGE_BUF_H

#include <stddef.h>

/** A growable buffer; the caller owns the struct, the buffer owns ptr. */
typedef struct fm_buf {
	char *ptr;    /**< the bytes, NUL-terminated after any append; NULL when empty and never grown */
	size_t size;  /**< bytes in use, not counting the NUL */
	size_t asize; /**< bytes allocated */
} fm_buf;

/** An empty buffer, for initialising. */
#define FM_BUF_INIT { NULL, 0, 0 }

/** Makes room for at least n more bytes plus a NUL; returns 0 or FM_ENOMEM. */
int fm_buf_grow(fm_buf *buf, size_t n);

/** Appends len bytes; returns 0 or FM_ENOMEM (buf unchanged on failure). */
int fm_buf_append(fm_buf *buf, const void *data, size_t len);

/** Appends a NUL-terminated string; returns 0 or FM_ENOMEM. */
int fm_buf_puts(fm_buf *buf, const char *s);

/** Appends one byte; returns 0 or FM_ENOMEM. */
int fm_buf_putc(fm_buf *buf, char c);

/** Appends formatted text; returns 0 or FM_ENOMEM. */
int fm_buf_printf(fm_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Empties the buffer but keeps its memory for reuse. */
void fm_buf_clear(fm_buf *buf);

/** Returns the contents as a C string: a borrowed pointer, "" when empty, valid until the next change. */
const char *fm_buf_cstr(const fm_buf *buf);

/** Hands the allocation to the caller (free() it) and leaves buf empty; returns NULL when never grown. */
char *fm_buf_detach(fm_buf *buf);

/** Frees the buffer's memory and leaves it empty; accepts NULL. */
void fm_buf_dispose(fm_buf *buf);

#endif
