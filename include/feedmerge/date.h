/* date.h - the date layouts feeds use, parsed to and printed from Unix seconds. */
#ifndef FEEDMERGE_DATE_H
#define FEEDMERGE_DATE_H

#include <stddef.h>
#include "feedmerge/item.h"

/**
 * Parses a feed date: RFC 822/1123 and its common variants, RFC 3339 and
 * W3CDTF, asctime, "YYYY-MM-DD hh:mm:ss". Leading and trailing space is
 * ignored. Returns 0 and stores UTC Unix seconds in *out, or FM_EINVAL
 * (and leaves *out alone) when s is not a date it understands.
 */
int fm_date_parse(fm_time *out, const char *s);

/** Buffer size that fm_date_format always fits into. */
#define FM_DATE_BUFSZ 32

/** Writes t as RFC 3339 UTC ("2004-01-01T19:48:21Z") into out; returns out. */
char *fm_date_format(char out[FM_DATE_BUFSZ], fm_time t);

#endif
