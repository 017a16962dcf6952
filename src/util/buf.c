/* buf.c - growable byte buffers. */
#include "feedmerge/buf.h"
#include "feedmerge/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
fm_buf_grow(fm_buf *buf, size_t n)
{
	size_t need, nsize;
	char *p;

	if (n > SIZE_MAX - buf->size - 1)
		return FM_ENOMEM;
	need = buf->size + n + 1;
	if (need <= buf->asize)
		return 0;
	nsize = buf->asize ? buf->asize : 64;
	while (nsize < need)
		nsize = nsize > SIZE_MAX / 2 ? need : nsize * 2;
	if (!(p = realloc(buf->ptr, nsize)))
		return FM_ENOMEM;
	buf->ptr = p;
	buf->asize = nsize;
	return 0;
}

int
fm_buf_append(fm_buf *buf, const void *data, size_t len)
{
	int error;

	/* Most appends fit: skip the overflow arithmetic of fm_buf_grow. */
	if (len >= buf->asize - buf->size && (error = fm_buf_grow(buf, len)) < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int
fm_buf_puts(fm_buf *buf, const char *s)
{
	return fm_buf_append(buf, s, strlen(s));
}

int
fm_buf_putc(fm_buf *buf, char c)
{
	if (buf->size + 1 < buf->asize) {
		buf->ptr[buf->size++] = c;
		buf->ptr[buf->size] = '\0';
		return 0;
	}
	return fm_buf_append(buf, &c, 1);
}

int
fm_buf_printf(fm_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n, error;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_EINVAL;
	if ((error = fm_buf_grow(buf, (size_t)n)) < 0)
		return error;
	va_start(ap, fmt);
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->size += (size_t)n;
	return 0;
}

void
fm_buf_clear(fm_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

const char *
fm_buf_cstr(const fm_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

char *
fm_buf_detach(fm_buf *buf)
{
	char *p = buf->ptr;

	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}

void
fm_buf_dispose(fm_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}
