/* error.c - error names and diagnostics. */
#include "feedmerge/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *
fm_strerror(int code)
{
	switch (code) {
	case FM_OK: return "success";
	case FM_ENOMEM: return "out of memory";
	case FM_EINVAL: return "invalid value";
	case FM_EIO: return "input/output error";
	case FM_EPARSE: return "malformed input";
	case FM_ENOTFEED: return "not a feed";
	case FM_ELIMIT: return "limit exceeded";
	case FM_ESTOPPED: return "stopped by callback";
	case FM_ECHARSET: return "unknown character set";
	default: return "unknown error";
	}
}

void
fm_diag_set(fm_diag *diag, unsigned long line, unsigned long column,
	    const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return;
	diag->line = line;
	diag->column = column;
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
}
