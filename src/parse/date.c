/* date.c - feed dates (RFC 822/2822, RFC 3339/W3CDTF, asctime) to and from Unix seconds. */
#include "feedmerge/date.h"
#include "feedmerge/error.h"

#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

/*
 * How it works: an ISO 8601 date (RFC 3339, W3CDTF, "YYYY-MM-DD hh:mm:ss",
 * compact "YYYYMMDDThhmmssZ") is recognised by its leading four- or
 * eight-digit year and read field by field. Everything else (RFC 822 and
 * its descendants, RFC 850, asctime, "Jun 10, 2003 04:00 PM") goes through
 * one small tokenizer that files each token by its shape: a word is looked
 * up in date_words, "h:mm[:ss]" is the time, a 3-4 digit number is the
 * year, a 1-2 digit number is the day and then a two-digit year, "+hhmm"
 * after the time is the zone; spaces, commas, dots, and dashes and
 * slashes between date fields are noise, and so is "at" between the date
 * and the time; "a.m." and "p.m." are am and pm. An all-numeric date
 * ("24.11.2013", "11/24/2013") tells day from month by a value over 12,
 * and with dots puts the day first; "05/06/2013" is no date (either could
 * be meant). The tail of an ISO date (its zone, which may carry zero
 * seconds, "-05:00:00") goes through the same tokenizer; a weekday may
 * come before an ISO date. Nothing allocates and nothing consults the
 * locale or the TZ environment, so the parser is thread-safe.
 *
 * Zones, in minutes east of UTC:
 * - numeric "+0100", "-0530", "+01:00", "+01", "+1" (RFC 2822 section 3.3;
 *   "-0000" is UTC, section 3.3);
 * - the names RFC 822 section 5.1 lists (UT, GMT, EST ... PDT) plus a few
 *   common unambiguous ones (see date_words);
 * - military letters: RFC 822 gave them with the wrong sign (RFC 1123
 *   section 5.2.14), so RFC 2822 section 4.3 says to treat them all as
 *   "-0000", i.e. UTC. We do; Z is UTC anyway;
 * - any other name of up to six letters after the time (IST, which could
 *   be India, Ireland or Israel, AST, CHST, ...) is taken as UTC rather
 *   than losing the item;
 * - a name followed by a numeric offset ("GMT+01:00", "UTC-5",
 *   "EST -0500") uses the offset; a missing zone means UTC.
 */

/* Fields of one date; -1 marks a field not seen yet. */
typedef struct date_fields {
	int year, month, day;
	int hour, minute, second;
	int ampm;     /* 0 none, 1 am, 2 pm */
	int seen;     /* a date or time field was seen */
	int weekday;  /* a weekday name was seen */
	int named;    /* a zone name was seen */
	int numeric;  /* a numeric offset was seen */
	int name_off; /* minutes east of UTC given by the name */
	int num_off;  /* minutes east of UTC given by the number */
} date_fields;

enum { DATE_WEEKDAY, DATE_MONTH, DATE_ZONE, DATE_AMPM, DATE_AT };

/* A word a date may contain; any prefix of name at least min letters long matches. */
typedef struct date_word {
	const char *name;  /* lower case */
	unsigned char len; /* strlen(name) */
	unsigned char min;
	unsigned char kind;
	short value;       /* month 1-12, zone minutes east, 1 am / 2 pm */
} date_word;

#define DATE_PREFIX(s, kind, v) { s, sizeof(s) - 1, 3, kind, v }
#define DATE_EXACT(s, kind, v) { s, sizeof(s) - 1, sizeof(s) - 1, kind, v }

static const date_word date_words[] = {
	/* Months and weekdays, full or cut short: "Sep", "Sept", "Thurs". */
	DATE_PREFIX("january", DATE_MONTH, 1),
	DATE_PREFIX("february", DATE_MONTH, 2),
	DATE_PREFIX("march", DATE_MONTH, 3),
	DATE_PREFIX("april", DATE_MONTH, 4),
	DATE_PREFIX("may", DATE_MONTH, 5),
	DATE_PREFIX("june", DATE_MONTH, 6),
	DATE_PREFIX("july", DATE_MONTH, 7),
	DATE_PREFIX("august", DATE_MONTH, 8),
	DATE_PREFIX("september", DATE_MONTH, 9),
	DATE_PREFIX("october", DATE_MONTH, 10),
	DATE_PREFIX("november", DATE_MONTH, 11),
	DATE_PREFIX("december", DATE_MONTH, 12),
	DATE_PREFIX("monday", DATE_WEEKDAY, 1),
	DATE_PREFIX("tuesday", DATE_WEEKDAY, 2),
	DATE_PREFIX("wednesday", DATE_WEEKDAY, 3),
	DATE_PREFIX("thursday", DATE_WEEKDAY, 4),
	DATE_PREFIX("friday", DATE_WEEKDAY, 5),
	DATE_PREFIX("saturday", DATE_WEEKDAY, 6),
	DATE_PREFIX("sunday", DATE_WEEKDAY, 7),
	DATE_EXACT("am", DATE_AMPM, 1),
	DATE_EXACT("pm", DATE_AMPM, 2),
	/* "2006-01-02 at 15:04:05" */
	DATE_EXACT("at", DATE_AT, 0),
	/* RFC 822 section 5.1 (UTC from RFC 3339 usage). */
	DATE_EXACT("ut", DATE_ZONE, 0),
	DATE_EXACT("utc", DATE_ZONE, 0),
	DATE_EXACT("gmt", DATE_ZONE, 0),
	DATE_EXACT("est", DATE_ZONE, -5 * 60),
	DATE_EXACT("edt", DATE_ZONE, -4 * 60),
	DATE_EXACT("cst", DATE_ZONE, -6 * 60),
	DATE_EXACT("cdt", DATE_ZONE, -5 * 60),
	DATE_EXACT("mst", DATE_ZONE, -7 * 60),
	DATE_EXACT("mdt", DATE_ZONE, -6 * 60),
	DATE_EXACT("pst", DATE_ZONE, -8 * 60),
	DATE_EXACT("pdt", DATE_ZONE, -7 * 60),
	/* Common names feeds use that mean one thing only. */
	DATE_EXACT("akst", DATE_ZONE, -9 * 60),
	DATE_EXACT("akdt", DATE_ZONE, -8 * 60),
	DATE_EXACT("hst", DATE_ZONE, -10 * 60),
	DATE_EXACT("wet", DATE_ZONE, 0),
	DATE_EXACT("west", DATE_ZONE, 60),
	DATE_EXACT("bst", DATE_ZONE, 60),
	DATE_EXACT("cet", DATE_ZONE, 60),
	DATE_EXACT("met", DATE_ZONE, 60),
	DATE_EXACT("cest", DATE_ZONE, 2 * 60),
	DATE_EXACT("mest", DATE_ZONE, 2 * 60),
	DATE_EXACT("eet", DATE_ZONE, 2 * 60),
	DATE_EXACT("eest", DATE_ZONE, 3 * 60),
	DATE_EXACT("msk", DATE_ZONE, 3 * 60),
	DATE_EXACT("jst", DATE_ZONE, 9 * 60),
	DATE_EXACT("kst", DATE_ZONE, 9 * 60),
	DATE_EXACT("hkt", DATE_ZONE, 8 * 60),
	DATE_EXACT("sgt", DATE_ZONE, 8 * 60),
	DATE_EXACT("awst", DATE_ZONE, 8 * 60),
	DATE_EXACT("acst", DATE_ZONE, 9 * 60 + 30),
	DATE_EXACT("acdt", DATE_ZONE, 10 * 60 + 30),
	DATE_EXACT("aest", DATE_ZONE, 10 * 60),
	DATE_EXACT("aedt", DATE_ZONE, 11 * 60),
	DATE_EXACT("nzst", DATE_ZONE, 12 * 60),
	DATE_EXACT("nzdt", DATE_ZONE, 13 * 60),
};

/* Longest word the tokenizer looks at; longer ones are rejected. */
#define DATE_WORD_MAX 12
/* Longest name taken as an unknown zone (and so as UTC). */
#define DATE_ZONE_MAX 6

/* Returns 1 when c is an ASCII digit (isdigit() depends on the locale). */
static int
date_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns 1 when c is an ASCII letter. */
static int
date_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns 1 when c is ASCII white space. */
static int
date_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Returns 1 when only white space is left at p. */
static int
date_at_end(const char *p)
{
	while (date_is_space(*p))
		p++;
	return *p == '\0';
}

/* Returns 1 for leap years of the proleptic Gregorian calendar. */
static int
date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Returns the number of days in month m (1-12) of year y. */
static int
date_month_days(int y, int m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

/*
 * Returns the days from 1970-01-01 to y-m-d (proleptic Gregorian), after
 * Howard Hinnant's days_from_civil: count years from March so that the
 * leap day ends the year, then whole 400-year eras of 146097 days.
 */
static int64_t
date_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                          /* 0-399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0-365 from March 1 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0-146096 */
	return era * 146097 + doe - 719468;          /* 719468: 0000-03-01 to 1970-01-01 */
}

/* Stores the civil date of day z (days from 1970-01-01); the inverse of date_days_from_civil. */
static void
date_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Reads 1 to max digits into *n; returns the end, or NULL when there are none or more than max. */
static const char *
date_digits(const char *p, int max, int *n, int *len)
{
	int v = 0, i = 0;

	while (date_is_digit(p[i])) {
		if (i == max)
			return NULL;
		v = v * 10 + (p[i] - '0');
		i++;
	}
	if (i == 0)
		return NULL;
	*n = v;
	if (len)
		*len = i;
	return p + i;
}

/* Reads exactly two digits into *n; returns the end or NULL. */
static const char *
date_two(const char *p, int *n)
{
	if (!date_is_digit(p[0]) || !date_is_digit(p[1]))
		return NULL;
	*n = (p[0] - '0') * 10 + (p[1] - '0');
	return p + 2;
}

/* Skips an optional fraction of a second (".25", ",5"), which we truncate; returns the end. */
static const char *
date_fraction(const char *p)
{
	/* RFC 3339 section 5.6: time-secfrac = "." 1*DIGIT, any length. */
	if ((*p == '.' || *p == ',') && date_is_digit(p[1]))
		for (p++; date_is_digit(*p); p++)
			;
	return p;
}

/* Reads "h[h]:mm[:ss[.frac]]" into f; returns the end, or NULL when malformed or a second time. */
static const char *
date_clock(date_fields *f, const char *p)
{
	int h, mi, s = 0;

	if (f->hour >= 0)
		return NULL;
	if (!(p = date_digits(p, 2, &h, NULL)) || *p != ':' || !(p = date_two(p + 1, &mi)))
		return NULL;
	/* RFC 2822 section 3.3: the seconds are optional. */
	if (*p == ':') {
		if (!(p = date_two(p + 1, &s)))
			return NULL;
		p = date_fraction(p);
	}
	f->hour = h;
	f->minute = mi;
	f->second = s;
	f->seen = 1;
	return p;
}

/* Reads "+hhmm", "-hh:mm", "+hh" or "+h" into *off (minutes east); returns the end or NULL. */
static const char *
date_offset(const char *p, int *off)
{
	int sign = *p == '-' ? -1 : 1, n, len, h, mi = 0;

	if (!(p = date_digits(p + 1, 4, &n, &len)))
		return NULL;
	if (len <= 2) {
		h = n;
		if (*p == ':' && !(p = date_two(p + 1, &mi)))
			return NULL;
		/* "-07:00:00": seconds of an offset are always zero in practice, and dropped. */
		if (*p == ':' && date_is_digit(p[1]) && date_is_digit(p[2]))
			p += 3;
	} else {
		h = n / 100;
		mi = n % 100;
	}
	if (h > 23 || mi > 59)
		return NULL;
	*off = sign * (h * 60 + mi);
	return p;
}

/* Skips a comment, which may nest (RFC 2822 section 3.2.3: "-0700 (PDT)"); returns the end or NULL. */
static const char *
date_comment(const char *p)
{
	int depth = 0;

	do {
		if (*p == '\0')
			return NULL;
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		p++;
	} while (depth > 0);
	return p;
}

/* Returns the entry for the len-letter word w, or NULL. */
static const date_word *
date_word_lookup(const char *w, size_t len)
{
	size_t i, j;

	for (i = 0; i < sizeof(date_words) / sizeof(date_words[0]); i++) {
		const date_word *e = &date_words[i];

		if (len < e->min || len > e->len)
			continue;
		for (j = 0; j < len; j++)
			if ((w[j] | 0x20) != e->name[j])
				break;
		if (j == len)
			return e;
	}
	return NULL;
}

/* Files the word at p in f; returns its end, or NULL when it does not belong there. */
static const char *
date_word_token(date_fields *f, const char *p)
{
	const date_word *e;
	size_t len = 0;
	int full = f->year >= 0 && f->month >= 0 && f->day >= 0;

	while (date_is_alpha(p[len]))
		if (++len > DATE_WORD_MAX)
			return NULL;
	/* "3:04 p.m.": the dotted forms of am and pm. */
	if (len == 1 && ((p[0] | 0x20) == 'a' || (p[0] | 0x20) == 'p') && p[1] == '.' &&
	    (p[2] | 0x20) == 'm' && !date_is_alpha(p[3])) {
		if (f->hour < 0 || f->ampm)
			return NULL;
		f->ampm = (p[0] | 0x20) == 'a' ? 1 : 2;
		return p + 3;
	}
	if ((e = date_word_lookup(p, len))) {
		switch (e->kind) {
		case DATE_WEEKDAY:
			/* RFC 2822 section 3.3: day-of-week comes first; its value is not checked. */
			if (f->seen || f->weekday)
				return NULL;
			f->weekday = 1;
			break;
		case DATE_MONTH:
			if (f->month >= 0)
				return NULL;
			f->month = e->value;
			f->seen = 1;
			break;
		case DATE_AMPM:
			if (f->hour < 0 || f->ampm)
				return NULL;
			f->ampm = e->value;
			break;
		case DATE_AT:
			/* Only between the date and its time. */
			if (!full || f->hour >= 0)
				return NULL;
			break;
		default:
			if (f->named || !(full || f->hour >= 0))
				return NULL;
			f->named = 1;
			f->name_off = e->value;
			break;
		}
		return p + len;
	}
	/*
	 * Military letters (RFC 2822 section 4.3: treat as "-0000") and names
	 * we do not know both become UTC, but only where a zone belongs.
	 */
	if (f->named || f->hour < 0 || len > DATE_ZONE_MAX)
		return NULL;
	f->named = 1;
	f->name_off = 0;
	return p + len;
}

/*
 * Reads an all-numeric date "d.m.yyyy", "d/m/yyyy", "m/d/yyyy" or with
 * dashes into f. Day and month are told apart by a value over 12; with
 * dots the day comes first (as where dots are written); "05/06/2013"
 * with slashes or dashes could be either and is no date. Returns the end,
 * or NULL when p is none of these or is ambiguous.
 */
static const char *
date_numeric(date_fields *f, const char *p)
{
	const char *q;
	char sep;
	int a, b, y, len;

	if (!(q = date_digits(p, 2, &a, NULL)) || (*q != '/' && *q != '.' && *q != '-'))
		return NULL;
	sep = *q;
	if (!(q = date_digits(q + 1, 2, &b, NULL)) || *q != sep ||
	    !(q = date_digits(q + 1, 4, &y, &len)) || len != 4)
		return NULL;
	if (a > 12 || (sep == '.' && b <= 12) || a == b) {
		f->day = a;
		f->month = b;
	} else if (b > 12) {
		f->month = a;
		f->day = b;
	} else {
		return NULL;
	}
	f->year = y;
	f->seen = 1;
	return q;
}

/* Files the number at p in f (a year, a day, or the time); returns its end or NULL. */
static const char *
date_number(date_fields *f, const char *p)
{
	const char *end;
	int n, len;

	if (!(end = date_digits(p, 4, &n, &len)))
		return NULL;
	if (*end == ':')
		return date_clock(f, p);
	if (len <= 2 && (*end == '/' || *end == '.' || *end == '-') && date_is_digit(end[1]) &&
	    f->year < 0 && f->month < 0 && f->day < 0)
		return date_numeric(f, p);
	if (len >= 3) {
		if (f->year >= 0)
			return NULL;
		/* RFC 2822 section 4.3: add 1900 to a three-digit year. */
		f->year = len == 3 ? n + 1900 : n;
	} else if (f->day < 0) {
		f->day = n;
	} else if (f->year < 0) {
		/* RFC 2822 section 4.3: 00-49 is 2000-2049, 50-99 is 1950-1999. */
		f->year = n < 50 ? 2000 + n : 1900 + n;
	} else {
		return NULL;
	}
	f->seen = 1;
	return end;
}

/*
 * Reads the tokens from p to the end into f; returns 0, or FM_EINVAL on a
 * character or token that has no place in a date.
 */
static int
date_tokens(date_fields *f, const char *p)
{
	while (*p) {
		char c = *p;

		if (date_is_space(c) || c == ',' || c == '.') {
			/* "Tue, 10 Jun. 2003": stray commas and dots are noise. */
			p++;
		} else if (c == '(') {
			p = date_comment(p);
		} else if (c == ':' && (p[1] == '+' || p[1] == '-') && date_is_digit(p[2]) && f->hour >= 0) {
			/* "15:04:05:-0700": a stray colon before the offset. */
			p++;
		} else if ((c == '+' || c == '-') && date_is_digit(p[1]) && !f->numeric &&
			   (f->hour >= 0 || (f->year >= 0 && f->month >= 0 && f->day >= 0))) {
			p = date_offset(p, &f->num_off);
			f->numeric = 1;
		} else if (c == '-' || c == '/') {
			/* RFC 850 "06-Nov-94"; "10/Jun/2003". */
			p++;
		} else if (date_is_digit(c)) {
			p = date_number(f, p);
		} else if (date_is_alpha(c)) {
			p = date_word_token(f, p);
		} else {
			return FM_EINVAL;
		}
		if (!p)
			return FM_EINVAL;
	}
	return 0;
}

/*
 * Reads the date part of an ISO 8601 date (RFC 3339 section 5.6, W3CDTF,
 * compact "20031213T183002Z") and its time into f. Returns where the zone
 * may start, or NULL when p is not such a date.
 */
static const char *
date_iso(date_fields *f, const char *p)
{
	const char *q;
	int n = 0, len = 0;

	if (!(q = date_digits(p, 8, &n, &len)))
		return NULL;
	if (len == 8) {
		f->year = n / 10000;
		f->month = n / 100 % 100;
		f->day = n % 100;
		p = q;
		if (*p == 'T' || *p == 't') {
			q = date_digits(p + 1, 6, &n, &len);
			if (q && len == 2 && *q == ':')
				return date_clock(f, p + 1);
			if (!q || (len != 4 && len != 6))
				return NULL;
			f->hour = len == 6 ? n / 10000 : n / 100;
			f->minute = len == 6 ? n / 100 % 100 : n % 100;
			f->second = len == 6 ? n % 100 : 0;
			p = date_fraction(q);
		}
		return p;
	}
	f->year = n;
	p = q;
	if (date_at_end(p)) {
		f->month = f->day = 1; /* W3CDTF "YYYY" */
		return p;
	}
	if (*p != '-' && *p != '/')
		return NULL;
	if (!(q = date_digits(p + 1, 2, &f->month, NULL)))
		return NULL;
	if (date_at_end(q)) {
		f->day = 1; /* W3CDTF "YYYY-MM" */
		return q;
	}
	if (*q != *p || !(q = date_digits(q + 1, 2, &f->day, NULL)))
		return NULL;
	p = q;
	/*
	 * RFC 3339 section 5.6 allows "t" for "T" and, in its NOTE, a space;
	 * a time after a space is read by date_tokens like any other.
	 */
	if ((*p == 'T' || *p == 't') && date_is_digit(p[1]))
		p = date_clock(f, p + 1);
	return p;
}

/* Returns 1 when s starts like an ISO 8601 date: "YYYY" then "-", "/" or the end, or "YYYYMMDD". */
static int
date_looks_iso(const char *s)
{
	int i = 0;

	while (date_is_digit(s[i]))
		i++;
	if (i == 4)
		return s[i] == '-' || s[i] == '/' || date_at_end(s + i);
	return i == 8 && (s[i] == 'T' || s[i] == 't' || date_at_end(s + i));
}

/* Stores the Unix time of f in *out; returns 0, or FM_EINVAL when a field is missing or out of range. */
static int
date_finish(const date_fields *f, fm_time *out)
{
	int h = f->hour < 0 ? 0 : f->hour;
	int off = f->numeric ? f->num_off : f->name_off;

	if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12 ||
	    f->day < 1 || f->day > date_month_days(f->year, f->month))
		return FM_EINVAL;
	if (f->ampm) {
		if (h < 1 || h > 12)
			return FM_EINVAL;
		h = h % 12 + (f->ampm == 2 ? 12 : 0);
	}
	/*
	 * "24:00:00" is the end of the day (ISO 8601) and a leap second 60
	 * (RFC 3339 section 5.7, RFC 2822 section 3.3) lands on the next
	 * minute: both fall out of the arithmetic.
	 */
	if (f->hour >= 0 && (h > 24 || f->minute > 59 || f->second > 60 ||
			     (h == 24 && (f->minute || f->second))))
		return FM_EINVAL;
	*out = date_days_from_civil(f->year, f->month, f->day) * 86400 +
	       h * 3600 + (f->hour >= 0 ? f->minute * 60 + f->second : 0) -
	       (int64_t)off * 60;
	return 0;
}

/* Returns 0 and the Unix time of s in *out, or FM_EINVAL leaving *out alone. */
int
fm_date_parse(fm_time *out, const char *s)
{
	date_fields f = { -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0 };
	const char *p;

	assert(out && s);
	while (date_is_space(*s))
		s++;
	p = s;
	/* "Mon, 2006-01-02 15:04": a weekday before an ISO date. */
	if (date_is_alpha(*s)) {
		const date_word *e;
		size_t len = 0;
		while (len <= DATE_WORD_MAX && date_is_alpha(s[len]))
			len++;
		p = s + len;
		while (*p == ',' || date_is_space(*p))
			p++;
		/* Four digits first: an RFC 822 date ("Tue, 10 Jun") stops at its third character. */
		if (date_is_digit(p[0]) && date_is_digit(p[1]) && date_is_digit(p[2]) && date_is_digit(p[3]) &&
		    date_looks_iso(p) && (e = date_word_lookup(s, len)) && e->kind == DATE_WEEKDAY) {
			s = p;
			f.weekday = 1;
		}
		p = s;
	}
	if (date_looks_iso(s)) {
		if (!(p = date_iso(&f, s)))
			return FM_EINVAL;
		/* With year, month and day set, only a time and a zone may follow. */
		f.seen = 1;
	}
	if (date_tokens(&f, p) < 0)
		return FM_EINVAL;
	return date_finish(&f, out);
}

/*
 * Returns out holding t as "YYYY-MM-DDThh:mm:ssZ" (RFC 3339 section 5.6).
 * Negative times count back from 1970 (-1 is 1969-12-31T23:59:59Z); years
 * outside 0-9999 print with as many digits, and a sign, as they need.
 */
char *
fm_date_format(char out[FM_DATE_BUFSZ], fm_time t)
{
	int64_t days = t / 86400, y;
	int secs = (int)(t % 86400), m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	date_civil_from_days(days, &y, &m, &d);
	snprintf(out, FM_DATE_BUFSZ, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ",
		 y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
	return out;
}
