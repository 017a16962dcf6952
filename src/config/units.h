/* units.h - the one duration parser and the one size parser of the config. */
#ifndef FM_CONFIG_UNITS_H
#define FM_CONFIG_UNITS_H

#include <stdint.h>

/* The longest duration accepted: 100 years, so that now + duration never overflows. */
#define FM_DURATION_MAX ((int64_t)100 * 365 * 86400)

/*
 * Parses a duration: decimal digits, then an optional unit s (seconds,
 * also the meaning of a bare number), m (minutes), h (hours), d (days) or
 * w (weeks), nothing else: "45s", "15m", "2h", "7d", "90". Stores seconds
 * in *out. Returns 0, FM_EINVAL for junk (signs, spaces, fractions, an
 * unknown unit, no digits) or FM_ELIMIT past FM_DURATION_MAX.
 */
int fm__config_duration(int64_t *out, const char *s);

/*
 * Parses a size: decimal digits, then an optional unit K, M or G (either
 * case; K = 1024 bytes, M = 1024 K, G = 1024 M), a bare number is bytes:
 * "512K", "16M", "1G", "4096". Stores bytes in *out. Returns 0, FM_EINVAL
 * for junk or FM_ELIMIT when the value does not fit in 64 bits.
 */
int fm__config_size(uint64_t *out, const char *s);

#endif
