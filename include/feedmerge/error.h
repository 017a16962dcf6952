/* error.h - error codes and diagnostics shared by every module. */
#ifndef FEEDMERGE_ERROR_H
#define FEEDMERGE_ERROR_H

#include <stddef.h>

/** Error codes: functions that can fail return 0 or one of these (negative). */
enum {
	FM_OK = 0,
	FM_ENOMEM = -1,     /**< out of memory */
	FM_EINVAL = -2,     /**< invalid argument or value */
	FM_EIO = -3,        /**< read or write failed */
	FM_EPARSE = -4,     /**< input is malformed beyond repair */
	FM_ENOTFEED = -5,   /**< input is not a feed (HTML page, OPML, empty) */
	FM_ELIMIT = -6,     /**< a configured limit (bytes, items, depth) was hit */
	FM_ESTOPPED = -7,   /**< a callback asked to stop */
	FM_ECHARSET = -8    /**< the declared character set is unknown */
};

/** A place and a message: filled by functions that can point at input. */
typedef struct fm_diag {
	unsigned long line;   /**< 1-based line, 0 when unknown */
	unsigned long column; /**< 1-based column, 0 when unknown */
	char msg[512];        /**< human-readable, one line, no trailing newline */
} fm_diag;

/** Returns a static, human-readable name for an error code. */
const char *fm_strerror(int code);

/** Formats a message into diag (printf-style); a NULL diag is ignored. */
void fm_diag_set(fm_diag *diag, unsigned long line, unsigned long column,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
