/* units.c - durations ("15m") and sizes ("16M") for the config. */
#include "config/units.h"
#include "feedmerge/config.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <stdio.h>

/*
 * Reads the leading decimal digits of s into *out and points *end past
 * them. Returns 0, FM_EINVAL when there are none or FM_ELIMIT on overflow.
 */
static int
units_digits(uint64_t *out, const char *s, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return FM_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) {
			/* keep walking so junk after a huge number is still junk */
			while (*p >= '0' && *p <= '9')
				p++;
			*end = p;
			return FM_ELIMIT;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	*end = p;
	return 0;
}

/* Returns the seconds of a duration unit letter, or 0 when it is none. */
static uint64_t
units_duration_unit(char c)
{
	switch (c) {
	case 's': return 1;
	case 'm': return 60;
	case 'h': return 3600;
	case 'd': return 86400;
	case 'w': return 7 * 86400;
	default: return 0;
	}
}

/*
 * Parses digits with an optional one-letter unit that unit_of scales by
 * (0: not a unit) into *out, at most max. Returns 0, FM_EINVAL, or
 * FM_ELIMIT past max. Durations and sizes both read this way.
 */
static int
units_scaled(uint64_t *out, const char *s, uint64_t (*unit_of)(char), uint64_t max)
{
	uint64_t v, unit = 1;
	const char *p;
	int error;

	assert(out && s);
	error = units_digits(&v, s, &p);
	if (error == FM_EINVAL)
		return error;
	if (*p && (!(unit = unit_of(*p)) || p[1]))
		return FM_EINVAL;
	if (error < 0 || v > max / unit)
		return FM_ELIMIT;
	*out = v * unit;
	return 0;
}

int
fm__config_duration(int64_t *out, const char *s)
{
	uint64_t v;
	int error;

	if ((error = units_scaled(&v, s, units_duration_unit, (uint64_t)FM_DURATION_MAX)) < 0)
		return error;
	*out = (int64_t)v;
	return 0;
}

/* Returns the bytes of a size unit letter, or 0 when it is none. */
static uint64_t
units_size_unit(char c)
{
	switch (c) {
	case 'k': case 'K': return (uint64_t)1 << 10;
	case 'm': case 'M': return (uint64_t)1 << 20;
	case 'g': case 'G': return (uint64_t)1 << 30;
	default: return 0;
	}
}

int
fm__config_size(uint64_t *out, const char *s)
{
	return units_scaled(out, s, units_size_unit, UINT64_MAX);
}

char *
fm_config_duration_format(char out[FM_CONFIG_UNIT_BUFSZ], int64_t seconds)
{
	static const struct { int64_t n; char c; } units[] = {
		{ 7 * 86400, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1; i++)
		if (seconds && seconds % units[i].n == 0)
			break;
	snprintf(out, FM_CONFIG_UNIT_BUFSZ, "%lld%c",
		 (long long)(seconds / units[i].n), units[i].c);
	return out;
}

char *
fm_config_size_format(char out[FM_CONFIG_UNIT_BUFSZ], uint64_t bytes)
{
	static const char units[] = "GMK";
	int shift = 30;
	size_t i;

	for (i = 0; units[i]; i++, shift -= 10)
		if (bytes && bytes % ((uint64_t)1 << shift) == 0) {
			snprintf(out, FM_CONFIG_UNIT_BUFSZ, "%llu%c",
				 (unsigned long long)(bytes >> shift), units[i]);
			return out;
		}
	snprintf(out, FM_CONFIG_UNIT_BUFSZ, "%llu", (unsigned long long)bytes);
	return out;
}
