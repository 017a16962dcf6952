/*
 * decode.c - streaming conversion to clean UTF-8.
 *
 * The decoder holds back the first bytes of a document until it can name
 * the charset, then converts every chunk as it arrives, keeping at most a
 * few bytes of an unfinished sequence between chunks. Output is valid
 * UTF-8 holding only characters XML 1.0 allows (section 2.2, "Char"), with
 * leading whitespace and byte order marks removed so that an XML
 * declaration lands at the very start, where expat requires it.
 *
 * Naming the charset (RFC 7303 section 3: forced, BOM, HTTP, XML
 * declaration, UTF-8) is decode_sniff.c's job; an unknown label it reports
 * is recorded here as a repair.
 *
 * Decisions worth knowing:
 * - UTF-8 is validated strictly (Unicode 15, table 3-7). A byte that does
 *   not fit is read as windows-1252, since such documents are nearly always
 *   cp1252 text pasted into UTF-8.
 * - ISO-8859-1 and windows-1252 share one table, as browsers do (WHATWG
 *   Encoding Standard). The five bytes cp1252 leaves undefined (81 8D 8F 90
 *   9D) become the C1 code points U+0081... as in the WHATWG index: the
 *   mapping stays lossless and XML 1.0 allows C1 characters. In a document
 *   declared ISO-8859-1, bytes 80-9F are flagged as a repair.
 * - US-ASCII is read as UTF-8 with the same windows-1252 repair: documents
 *   labelled ASCII by default nearly always hold UTF-8. The first non-ASCII
 *   byte is still flagged, since the label is wrong.
 * - Everything else goes through iconv(3). Invalid input becomes U+FFFD
 *   after skipping one byte (one code unit for UTF-16 and UTF-32).
 */
#include "parse/decode.h"
#include "parse/decode_int.h"
#include "feedmerge/buf.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DECODE_SNIFF_MAX 1024 /* raw bytes held back while sniffing */
#define DECODE_GUESS_MAX 4096 /* raw bytes a guess reads (decode_guess.c) */
#define DECODE_PEND_MAX 16    /* unfinished sequence kept between chunks */
/*
 * Input is converted and handed on in blocks of this many bytes, so that a
 * block is still in the L1 cache when the line count, the sink (expat's
 * copy) and expat read it after the check for clean UTF-8.
 */
#define DECODE_BLOCK 8192

/* Index of the lowest flagged byte in a word read from memory (0 when unknown: still correct, only slower). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DECODE_FIRST_BYTE(m) ((size_t)__builtin_ctzll(m) / 8)
#else
#define DECODE_FIRST_BYTE(m) ((size_t)0)
#endif

/* C0 controls XML 1.0 forbids (all but TAB, LF, CR). */
#define DECODE_FORBIDDEN(c) ((c) < 0x20 && (c) != '\t' && (c) != '\n' && (c) != '\r')

struct fm__decoder {
	char *http;             /* copy of the HTTP charset, or NULL */
	char *forced;           /* copy of the forced charset, or NULL */
	fm_buf head;            /* raw bytes held while sniffing */
	fm_buf out;             /* scratch for converted output */
	iconv_t cd;             /* open for the iconv kinds, else (iconv_t)-1 */
	int kind;               /* DK_NONE until sniffing is done */
	int lead;               /* still dropping leading whitespace and BOMs */
	int error;              /* sticky error from the sink */
	fm__decode_sink sink;   /* the caller's, for the current call */
	void *payload;
	unsigned char pend[DECODE_PEND_MAX];
	size_t npend;
	unsigned long long off; /* input offset just past the pending bytes */
	int guessing;           /* no charset named: holding up to DECODE_GUESS_MAX bytes */
	int repaired;
	unsigned long long repair_off;
	char repair[256];
	/* Lines, counted in byte-oriented charsets until the first repair. */
	unsigned long lines;           /* newlines before line_at */
	unsigned long long line_at;    /* input offset where the current line starts */
	const unsigned char *cur;      /* the run being converted, at offset cur_base */
	unsigned long long cur_base;
	unsigned long cur_lines;       /* lines and line_at where the run starts */
	unsigned long long cur_line_at;
	unsigned long repair_line, repair_col;
	char name[DECODE_NAME_MAX];
};

/* windows-1252 bytes 80-9F; the five undefined ones keep their C1 value. */
static const unsigned short decode_cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

static void decode_repair(fm__decoder *d, unsigned long long off,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __SSE2__
/* Returns the number of LF bytes in s[0..n); SSE2, 32 bytes at a time into byte counters. */
static size_t
decode_count_lf(const unsigned char *s, size_t n)
{
	const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	__m128i acc, sum = zero;
	uint64_t lanes[2];
	size_t i = 0, k, count;

	while (i + 32 <= n) {
		acc = zero;
		/* A match is -1: subtracting it counts up, at most 2 * 127 per byte lane. */
		for (k = 0; k < 127 && i + 32 <= n; k++, i += 32) {
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), lf));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i + 16)), lf));
		}
		sum = _mm_add_epi64(sum, _mm_sad_epu8(acc, zero));
	}
	_mm_storeu_si128((__m128i *)(void *)lanes, sum);
	count = (size_t)(lanes[0] + lanes[1]);
	for (; i < n; i++)
		count += s[i] == '\n';
	return count;
}

/* Returns the index just past the last LF in s[0..n), or 0 when there is none. */
static size_t
decode_after_last_lf(const unsigned char *s, size_t n)
{
	unsigned m;

	for (; n >= 16; n -= 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)), _mm_set1_epi8('\n')));
		if (m)
			return n - 16 + (size_t)(32 - __builtin_clz(m));
	}
	for (; n > 0; n--)
		if (s[n - 1] == '\n')
			return n;
	return 0;
}

/* Counts the newlines of s[0..n), which starts at input offset base. */
static void
decode_count_lines(fm__decoder *d, const unsigned char *s, size_t n,
		   unsigned long long base)
{
	size_t count = decode_count_lf(s, n);

	if (count) {
		d->lines += count;
		d->line_at = base + decode_after_last_lf(s, n);
	}
}
#else
/* Counts the newlines of s[0..n), which starts at input offset base. */
static void
decode_count_lines(fm__decoder *d, const unsigned char *s, size_t n,
		   unsigned long long base)
{
	const unsigned char *p = s, *end = s + n, *nl;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		d->lines++;
		p = nl + 1;
		d->line_at = base + (unsigned long long)(p - s);
	}
}
#endif

/* Records a repair unless one at an earlier (or the same) offset is known. */
static void
decode_repair(fm__decoder *d, unsigned long long off, const char *fmt, ...)
{
	va_list ap;

	if (d->repaired && off >= d->repair_off)
		return;
	d->repaired = 1;
	d->repair_off = off;
	d->repair_line = d->repair_col = 0;
	if (d->cur && off >= d->cur_base) {
		/*
		 * Count from the start of the run: a repair found out of order
		 * (the us-ascii scan reports a later byte first) has already
		 * counted past off.
		 */
		d->lines = d->cur_lines;
		d->line_at = d->cur_line_at;
		decode_count_lines(d, d->cur, (size_t)(off - d->cur_base), d->cur_base);
		d->repair_line = d->lines + 1;
		d->repair_col = (unsigned long)(off - d->line_at) + 1;
	}
	va_start(ap, fmt);
	vsnprintf(d->repair, sizeof(d->repair), fmt, ap);
	va_end(ap);
}

/*
 * Returns the length (2 to 4) of the valid UTF-8 sequence at s, 0 when s
 * does not start one, or -1 when s[0..n) is a valid but unfinished start.
 * Overlongs, surrogates and values past U+10FFFF are invalid.
 */
static int
decode_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo, hi;
	int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2, i;

	if (c < 0xC2 || c > 0xF4)
		return 0;
	lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
	hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
	for (i = 1; i < len; i++, lo = 0x80, hi = 0xBF) {
		if ((size_t)i >= n)
			return -1;
		if (s[i] < lo || s[i] > hi)
			return 0;
	}
	return len;
}

#ifdef __SSE2__
/*
 * Returns v with 0xFF in the bytes that end a plain run: above 0x7F, or a
 * control other than TAB, LF and CR (signed compare: high bytes are negative).
 */
static __m128i
decode_not_plain(__m128i v)
{
	__m128i ws = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
				  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
					       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));

	return _mm_andnot_si128(ws, _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
}

#define DECODE_LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))

/*
 * Returns the index of the first byte of s[0..n) that is not ASCII or is a
 * control XML forbids, or n; SSE2 (the x86-64 baseline). Every block is
 * classified exactly, 64 bytes at a time: the TAB, LF and CR of indented
 * XML do not leave the loop.
 */
static size_t
decode_skip_plain(const unsigned char *s, size_t n)
{
	unsigned m;
	size_t i = 0;

	while (i + 64 <= n &&
	       _mm_movemask_epi8(_mm_or_si128(
		       _mm_or_si128(decode_not_plain(DECODE_LOAD(s + i)),
				    decode_not_plain(DECODE_LOAD(s + i + 16))),
		       _mm_or_si128(decode_not_plain(DECODE_LOAD(s + i + 32)),
				    decode_not_plain(DECODE_LOAD(s + i + 48))))) == 0)
		i += 64;
	for (; i + 16 <= n; i += 16)
		if ((m = (unsigned)_mm_movemask_epi8(decode_not_plain(DECODE_LOAD(s + i)))) != 0)
			return i + (size_t)__builtin_ctz(m);
	for (; i < n; i++)
		if (s[i] >= 0x80 || DECODE_FORBIDDEN(s[i]))
			return i;
	return n;
}
#else
/*
 * Returns the index of the first byte of s[0..n) that is not ASCII or is a
 * control XML forbids, or n. Printable ASCII is skipped 8 bytes at a time;
 * TAB, LF and CR are checked one by one.
 */
static size_t
decode_skip_plain(const unsigned char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t w, m;
	size_t i = 0;

	for (;;) {
		/* Any high bit, or a byte below 0x20 (the "hasless" test; its lowest hit is exact). */
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((m = (w | ((w - ones * 0x20) & ~w)) & high) != 0) {
				i += DECODE_FIRST_BYTE(m);
				break;
			}
			i += 8;
		}
		if (i >= n)
			return n;
		if (s[i] >= 0x80 || DECODE_FORBIDDEN(s[i]))
			return i;
		i++;
	}
}
#endif

/*
 * Returns the length of the longest prefix of s that can be passed on
 * as it is: valid UTF-8 (only ASCII when ascii is set) without forbidden
 * controls or U+FFFE/U+FFFF, nor C1 controls when c1 is set.
 */
static size_t
decode_clean(const unsigned char *s, size_t n, int ascii, int c1)
{
	size_t i = 0;
	int k;

	for (;;) {
		i += decode_skip_plain(s + i, n - i);
		if (i >= n)
			return n;
		if (s[i] < 0x80 || ascii || (k = decode_utf8_seq(s + i, n - i)) <= 0)
			return i;
		if (k == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE)
			return i;
		if (c1 && k == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0)
			return i; /* a C1 control: see decode_byte_run_lines */
		i += (size_t)k;
	}
}

/* Writes cp (below U+10000) as UTF-8 at o; returns the byte after it. */
static unsigned char *decode_put(unsigned char *o, unsigned cp);

int
fm__decode_fix_c1(fm_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s, *c;
	unsigned char tmp[3], *e;
	size_t i, from = 0;
	int found = 0;

	for (i = 0; i + 1 < len; i++) {
		/* 0xC2 also leads U+00A0-U+00BF (no-break space, ©, «): hop between them. */
		if (!(c = memchr(u + i, 0xC2, len - 1 - i)))
			break;
		i = (size_t)(c - u);
		if (u[i + 1] < 0x80 || u[i + 1] >= 0xA0)
			continue;
		e = decode_put(tmp, decode_cp1252[u[i + 1] - 0x80]);
		if (fm_buf_append(out, s + from, i - from) < 0 ||
		    fm_buf_append(out, (const char *)tmp, (size_t)(e - tmp)) < 0)
			return FM_ENOMEM;
		from = i + 2;
		found = 1;
		i++;
	}
	if (!found)
		return 0;
	return fm_buf_append(out, s + from, len - from) < 0 ? FM_ENOMEM : 1;
}

/* Writes cp (below U+10000) as UTF-8 at o; returns the byte after it. */
static unsigned char *
decode_put(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xE0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* Makes room for n converted bytes per input byte; returns 0 or FM_ENOMEM. */
static int
decode_room(fm__decoder *d, size_t len, size_t n)
{
	fm_buf_clear(&d->out);
	if (len > (SIZE_MAX - 16) / n)
		return FM_ENOMEM;
	return fm_buf_grow(&d->out, len * n + 16);
}

/*
 * Passes s to the sink, minus leading whitespace and U+FEFF at the start
 * of the document. Returns 0 or the sink's negative code (kept sticky).
 */
static int
decode_emit(fm__decoder *d, const char *s, size_t n)
{
	int error;

	while (d->lead && n > 0) {
		if (DECODE_SPACE((unsigned char)*s)) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			d->lead = 0;
		}
	}
	if (n == 0)
		return 0;
	if ((error = d->sink(s, n, d->payload)) < 0)
		d->error = error;
	return error < 0 ? error : 0;
}

/*
 * Converts UTF-8, US-ASCII (read as UTF-8), windows-1252 or ISO-8859-1
 * (windows-1252 table) starting at input offset base; sets *used to the
 * bytes consumed, short of an unfinished UTF-8 sequence at the end unless
 * final. Returns 0, FM_ENOMEM or the sink's code.
 */
static int decode_byte_run_lines(fm__decoder *d, const unsigned char *s, size_t n,
				 int final, unsigned long long base, size_t *used);

static int
decode_byte_run(fm__decoder *d, const unsigned char *s, size_t n, int final,
		unsigned long long base, size_t *used)
{
	int error;

	if (!d->repaired) {
		d->cur = s;
		d->cur_base = base;
		d->cur_lines = d->lines;
		d->cur_line_at = d->line_at;
		/*
		 * Counted before the run, while s is still in the cache: the
		 * sink gets it next. The unfinished sequence a run may leave
		 * has no newline in it, and a repair counts again from cur.
		 */
		decode_count_lines(d, s, n, base);
	}
	error = decode_byte_run_lines(d, s, n, final, base, used);
	d->cur = NULL;
	return error;
}

/* decode_byte_run() without the line counting. */
static int
decode_byte_run_lines(fm__decoder *d, const unsigned char *s, size_t n, int final,
		      unsigned long long base, size_t *used)
{
	int table = d->kind == DK_W1252 || d->kind == DK_LATIN1, k = 0, error;
	unsigned char *o;
	size_t i, j;

	if (d->kind == DK_ASCII && !d->repaired) {
		for (i = 0; i < n && s[i] < 0x80; i++)
			;
		if (i < n)
			decode_repair(d, base + i, "byte %llu: non-ASCII byte in a document declared us-ascii", base + i);
	}
	i = decode_clean(s, n, table, 1);
	if (i == n || (!final && !table && decode_utf8_seq(s + i, n - i) < 0)) {
		/* The common case: hand over the caller's bytes. */
		*used = i;
		return decode_emit(d, (const char *)s, i);
	}
	if ((error = decode_room(d, n, 3)) < 0)
		return error;
	o = (unsigned char *)d->out.ptr;
	for (i = 0; i < n; ) {
		j = decode_clean(s + i, n - i, table, 1);
		memcpy(o, s + i, j);
		o += j;
		if ((i += j) == n)
			break;
		if (s[i] < 0x80) {
			decode_repair(d, base + i, "byte %llu: control character U+%04X removed", base + i, (unsigned)s[i]);
			i++;
			continue;
		}
		if (!table && (k = decode_utf8_seq(s + i, n - i)) == 2) {
			/*
			 * U+0080-U+009F are C1 controls nobody means: they are
			 * windows-1252 punctuation (curly quotes, dashes) that
			 * went through a Latin-1 to UTF-8 conversion. Read them
			 * as the characters they were.
			 */
			o = decode_put(o, decode_cp1252[s[i + 1] - 0x80]);
			i += 2;
			continue;
		}
		if (k == 3) {
			decode_repair(d, base + i, "byte %llu: noncharacter U+%04X removed", base + i, 0xFFF0u | (s[i + 2] & 0x3F));
			i += 3;
			continue;
		}
		if (k < 0 && !final)
			break;
		if (!table)
			decode_repair(d, base + i, "byte %llu: invalid UTF-8, repaired as windows-1252", base + i);
		else if (d->kind == DK_LATIN1 && s[i] < 0xA0)
			decode_repair(d, base + i, "byte %llu: windows-1252 bytes in a document declared iso-8859-1", base + i);
		o = decode_put(o, s[i] < 0xA0 ? decode_cp1252[s[i] - 0x80] : s[i]);
		i++;
	}
	*used = i;
	d->out.size = (size_t)(o - (unsigned char *)d->out.ptr);
	return decode_emit(d, d->out.ptr, d->out.size);
}

/*
 * Returns the input offset of the character that starts at output byte r,
 * given how many characters (and how many above U+FFFF) came before it and
 * how many of those were controls. Exact for single-byte charsets, UTF-16
 * and UTF-32; for multibyte charsets a control is matched to the ctl-th
 * control byte of the input, and anything else gets the chunk's offset.
 */
static unsigned long long
decode_out_offset(const fm__decoder *d, const unsigned char *raw, size_t rawlen,
		  unsigned long long base, unsigned long long chars,
		  unsigned long long astral, unsigned long long ctl, int isctl)
{
	size_t i;

	if (d->kind == DK_SB)
		return base + chars;
	if (d->kind == DK_U16LE || d->kind == DK_U16BE)
		return base + 2 * (chars + astral);
	if (d->kind == DK_U32LE || d->kind == DK_U32BE)
		return base + 4 * chars;
	for (i = 0; isctl && i < rawlen; i++) {
		if (DECODE_FORBIDDEN(raw[i]) && ctl-- == 0)
			return base + i;
	}
	return base;
}

/*
 * Removes forbidden characters from what iconv wrote to d->out (from raw,
 * at offset base), then emits it. Returns 0 or the sink's code.
 */
static int
decode_iconv_clean(fm__decoder *d, const unsigned char *raw, size_t rawlen,
		   unsigned long long base)
{
	unsigned char *b = (unsigned char *)d->out.ptr;
	unsigned long long chars = 0, astral = 0, ctl = 0, off;
	size_t n = d->out.size, r = 0, w = 0, j, k;

	/* A C1 control iconv wrote is the charset's own: kept (UTF-8 input's are read as windows-1252). */
	if (decode_clean(b, n, 0, 0) == n)
		return decode_emit(d, d->out.ptr, n);
	while (r < n) {
		j = decode_clean(b + r, n - r, 0, 0);
		for (k = r; k < r + j; k++) {
			chars += (b[k] & 0xC0) != 0x80;
			astral += b[k] >= 0xF0;
		}
		memmove(b + w, b + r, j);
		w += j;
		if ((r += j) == n)
			break;
		off = decode_out_offset(d, raw, rawlen, base, chars, astral, ctl, b[r] < 0x80);
		if (b[r] < 0x80) {
			decode_repair(d, off, "byte %llu: control character U+%04X removed", off, (unsigned)b[r]);
			ctl++;
			r++;
		} else if (decode_utf8_seq(b + r, n - r) == 3) {
			decode_repair(d, off, "byte %llu: noncharacter U+%04X removed", off, 0xFFF0u | (b[r + 2] & 0x3F));
			r += 3;
		} else {
			decode_repair(d, off, "byte %llu: iconv wrote invalid UTF-8, removed", off);
			r++;
		}
		chars++;
	}
	d->out.size = w;
	return decode_emit(d, d->out.ptr, w);
}

/*
 * Converts through iconv; sets *used to the bytes consumed, keeping back an
 * unfinished sequence at the end unless final. Returns 0, FM_ENOMEM or the
 * sink's code.
 */
static int
decode_iconv_run(fm__decoder *d, const unsigned char *s, size_t n, int final,
		 unsigned long long base, size_t *used)
{
	char *in = (char *)s, *o;
	size_t inleft = n, outleft, unit, r;
	unsigned long long off;
	int error;

	if ((error = decode_room(d, n, 3)) < 0)
		return error;
	while (inleft > 0) {
		o = d->out.ptr + d->out.size;
		outleft = d->out.asize - d->out.size - 1;
		r = iconv(d->cd, &in, &inleft, &o, &outleft);
		d->out.size = (size_t)(o - d->out.ptr);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			if ((error = fm_buf_grow(&d->out, inleft * 4 + 16)) < 0)
				return error;
			continue;
		}
		if (errno == EINVAL && !final && inleft < DECODE_PEND_MAX / 2)
			break;
		/* EILSEQ, or a sequence cut short by the end of the document. */
		unit = d->kind == DK_U16LE || d->kind == DK_U16BE ? 2 : d->kind == DK_U32LE || d->kind == DK_U32BE ? 4 : 1;
		if (unit > inleft)
			unit = inleft;
		off = base + (size_t)(in - (char *)s);
		decode_repair(d, off, "byte %llu: invalid %s sequence, replaced by U+FFFD", off, d->name);
		if ((error = fm_buf_append(&d->out, "\xEF\xBF\xBD", 3)) < 0)
			return error;
		in += unit;
		inleft -= unit;
	}
	*used = (size_t)(in - (char *)s);
	return decode_iconv_clean(d, s, *used, base);
}

/* Runs the converter for d->kind; see decode_byte_run() for the contract. */
static int
decode_run(fm__decoder *d, const unsigned char *s, size_t n, int final,
	   unsigned long long base, size_t *used)
{
	if (d->kind <= DK_LATIN1)
		return decode_byte_run(d, s, n, final, base, used);
	return decode_iconv_run(d, s, n, final, base, used);
}

/*
 * Converts len bytes, first finishing the sequence left pending by the
 * previous chunk. Returns 0, FM_ENOMEM or the sink's code.
 */
static int
decode_feed(fm__decoder *d, const unsigned char *p, size_t len, int final)
{
	unsigned char tmp[DECODE_PEND_MAX];
	size_t m, n, used;
	int error;

	if (!p)
		p = tmp;  /* finish() passes no bytes: keep the pointer arithmetic defined */

	while (d->npend > 0) {
		m = len < DECODE_PEND_MAX - d->npend ? len : DECODE_PEND_MAX - d->npend;
		n = d->npend + m;
		memcpy(tmp, d->pend, d->npend);
		if (m)
			memcpy(tmp + d->npend, p, m);
		if ((error = decode_run(d, tmp, n, final && m == len, d->off - d->npend, &used)) < 0)
			return error;
		if (used >= d->npend) {
			used -= d->npend;
			d->npend = 0;
			p += used;
			len -= used;
			d->off += used;
			break;
		}
		/* Still unfinished: keep the tail, which took in all m bytes. */
		memmove(d->pend, tmp + used, n - used);
		d->npend = n - used;
		p += m;
		len -= m;
		d->off += m;
		if (len == 0)
			return 0;
	}
	if (len == 0)
		return 0;
	if ((error = decode_run(d, p, len, final, d->off, &used)) < 0)
		return error;
	assert(len - used < DECODE_PEND_MAX / 2);
	memcpy(d->pend, p + used, len - used);
	d->npend = len - used;
	d->off += len;
	return 0;
}

/*
 * Starts converting with cs, as fm__decode_sniff() settled it. Cannot
 * fail: a charset iconv turns down after all is read as UTF-8 and recorded
 * as a repair.
 */
static void
decode_open(fm__decoder *d, struct decode_cs cs)
{
	if (cs.iconv && (d->cd = iconv_open("UTF-8", cs.iconv)) == (iconv_t)-1) {
		decode_repair(d, 0, "charset \"%s\" unavailable in iconv, decoded as UTF-8", cs.name);
		cs = (struct decode_cs){ DK_UTF8, "utf-8", NULL };
	}
	d->kind = cs.kind;
	if (cs.name != d->name)
		snprintf(d->name, sizeof(d->name), "%s", cs.name);
}

/*
 * Returns what the first non-ASCII bytes of h[0..n) say of a document that
 * names no charset: 1 when its first DECODE_UTF8_PROOF sequences are valid
 * UTF-8, -1 when one of them is not, 0 when there are not as many yet.
 * One sequence proves little: a pair of EUC-KR or KOI8-R bytes may be a
 * valid UTF-8 sequence by chance; several in a row hardly ever are.
 */
#define DECODE_UTF8_PROOF 4
static int
decode_first_utf8(const unsigned char *h, size_t n)
{
	size_t i = 0;
	int k, seen = 0;

	while (seen < DECODE_UTF8_PROOF) {
		while (i < n && h[i] < 0x80)
			i++;
		if (i == n || (k = decode_utf8_seq(h + i, n - i)) < 0)
			return 0;
		if (k == 0)
			return -1;
		i += (size_t)k;
		seen++;
	}
	return 1;
}

/*
 * Returns 1 when the held bytes settle the charset of a document that
 * names none, 0 while more are needed. It is UTF-8 if its first non-ASCII
 * sequences are UTF-8 (or all there are in DECODE_GUESS_MAX bytes); else
 * its first DECODE_GUESS_MAX bytes are given to fm__decode_guess(), whose
 * answer *cs becomes. Either way the decision depends on the bytes alone.
 */
static int
decode_undeclared(fm__decoder *d, struct decode_cs *cs, int *guessed, int final)
{
	const unsigned char *h = (const unsigned char *)fm_buf_cstr(&d->head);
	int first = decode_first_utf8(h, d->head.size);

	*guessed = 0;
	if (first > 0)
		return 1;
	if (!final && d->head.size < DECODE_GUESS_MAX)
		return 0;
	/* The whole window read: a sequence it cuts short is no evidence either way. */
	if (first < 0)
		*guessed = fm__decode_guess(cs, h, d->head.size);
	return 1;
}

/*
 * Sniffs what is held (final: no more bytes will come) and, once decided,
 * opens the converter, records an unknown label or a guessed charset as a
 * repair and converts what is held. Returns 0, FM_ENOMEM or the sink's
 * code.
 */
static int
decode_start(fm__decoder *d, int final)
{
	struct decode_sniff s;
	char upper[DECODE_NAME_MAX];
	int error, i, guessed = 0;

	/*
	 * The sniff reads its window and no further, even while a guess holds
	 * more: a declaration that only a longer window would show (or show
	 * whole) must not decide differently for different chunkings.
	 */
	if (!fm__decode_sniff(&s, d->name, (const unsigned char *)fm_buf_cstr(&d->head),
			      d->head.size < DECODE_SNIFF_MAX ? d->head.size : DECODE_SNIFF_MAX,
			      final || d->head.size >= DECODE_SNIFF_MAX, d->http, d->forced))
		return 0;
	if (s.undeclared && !decode_undeclared(d, &s.cs, &guessed, final)) {
		d->guessing = 1;
		return 0;
	}
	decode_open(d, s.cs);
	if (guessed)
		decode_repair(d, 0, "no charset declared and the bytes are not UTF-8: guessed %s", d->name);
	if (s.unknown) {
		for (i = 0; d->name[i] && i + 1 < DECODE_NAME_MAX; i++)
			upper[i] = (char)(d->name[i] >= 'a' && d->name[i] <= 'z' ? d->name[i] - 'a' + 'A' : d->name[i]);
		upper[i] = '\0';
		decode_repair(d, 0, "unknown charset \"%s\", decoded as %s", s.unknown, upper);
	}
	d->off = s.bomlen;
	error = decode_feed(d, (const unsigned char *)fm_buf_cstr(&d->head) + s.bomlen,
			    d->head.size - s.bomlen, 0);
	fm_buf_dispose(&d->head);
	return error;
}

/* Makes a decoder (see decode.h); returns 0, FM_ENOMEM, or FM_ECHARSET for an unknown forced charset. */
int
fm__decoder_new(fm__decoder **out, const char *http_charset, const char *forced)
{
	struct decode_cs cs;
	char name[DECODE_NAME_MAX];
	fm__decoder *d;

	assert(out);
	*out = NULL;
	if (forced && !fm__decode_lookup(&cs, name, forced, 1))
		return FM_ECHARSET;
	if (!(d = calloc(1, sizeof(*d))))
		return FM_ENOMEM;
	d->cd = (iconv_t)-1;
	d->lead = 1;
	if ((http_charset && !(d->http = strdup(http_charset))) ||
	    (forced && !(d->forced = strdup(forced)))) {
		fm__decoder_free(d);
		return FM_ENOMEM;
	}
	*out = d;
	return 0;
}

/* Sniffs, then converts; returns 0, FM_ENOMEM or the sink's code (which sticks). */
int
fm__decoder_push(fm__decoder *d, const char *data, size_t len,
		 fm__decode_sink sink, void *payload)
{
	size_t take;
	int error;

	assert(d && sink && (data || !len));
	if (d->error)
		return d->error;
	d->sink = sink;
	d->payload = payload;
	/* Held until the charset is named: a guess may want more than the sniffing did. */
	while (d->kind == DK_NONE) {
		take = (d->guessing ? DECODE_GUESS_MAX : DECODE_SNIFF_MAX) - d->head.size;
		take = len < take ? len : take;
		if ((error = fm_buf_append(&d->head, data, take)) < 0)
			return error;
		data += take;
		len -= take;
		if ((error = decode_start(d, 0)) < 0 || (d->kind == DK_NONE && !len))
			return error;
	}
	/* Block by block (DECODE_BLOCK says why); the result is the same as one call. */
	while (len > DECODE_BLOCK) {
		if ((error = decode_feed(d, (const unsigned char *)data, DECODE_BLOCK, 0)) < 0)
			return error;
		data += DECODE_BLOCK;
		len -= DECODE_BLOCK;
	}
	return decode_feed(d, (const unsigned char *)data, len, 0);
}

/* Decides the charset if still open and flushes a cut sequence; returns 0, FM_ENOMEM or the sink's code. */
int
fm__decoder_finish(fm__decoder *d, fm__decode_sink sink, void *payload)
{
	int error;

	assert(d && sink);
	if (d->error)
		return d->error;
	d->sink = sink;
	d->payload = payload;
	if (d->kind == DK_NONE && (error = decode_start(d, 1)) < 0)
		return error;
	return decode_feed(d, NULL, 0, 1);
}

/* Returns the canonical charset name, or NULL while sniffing; never fails. */
const char *
fm__decoder_encoding(const fm__decoder *d)
{
	return d->kind == DK_NONE ? NULL : d->name;
}

/* Returns 1 and fills diag (may be NULL) with the first repair, or 0 when none; never fails. */
int
fm__decoder_repaired(const fm__decoder *d, fm_diag *diag)
{
	if (!d->repaired)
		return 0;
	if (d->repair_line)
		fm_diag_set(diag, d->repair_line, d->repair_col, "line %lu, column %lu: %s",
			    d->repair_line, d->repair_col, d->repair);
	else
		fm_diag_set(diag, 0, 0, "%s", d->repair);
	return 1;
}

/* Frees the decoder and its iconv handle; accepts NULL. */
void
fm__decoder_free(fm__decoder *d)
{
	if (!d)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	fm_buf_dispose(&d->head);
	fm_buf_dispose(&d->out);
	free(d->http);
	free(d->forced);
	free(d);
}
