/*
 * decode.c - charset detection and streaming conversion to clean UTF-8.
 *
 * The decoder holds back the first bytes of a document until it can name
 * the charset, then converts every chunk as it arrives, keeping at most a
 * few bytes of an unfinished sequence between chunks. Output is valid
 * UTF-8 holding only characters XML 1.0 allows (section 2.2, "Char"), with
 * leading whitespace and byte order marks removed so that an XML
 * declaration lands at the very start, where expat requires it.
 *
 * Which charset wins follows RFC 7303 section 3 (and section 8.1's worked
 * examples): a forced charset, then the byte order mark, then the HTTP
 * charset parameter, then the XML declaration, then UTF-8. Without a BOM,
 * the NUL pattern of XML 1.0 Appendix F ("<\0?\0", "\0<\0?", ...) proves
 * UTF-16 or UTF-32 and fixes the byte order whatever the labels say. A
 * label naming UTF-16 or UTF-32 on a document whose first four bytes hold
 * no NUL (so plainly ASCII-compatible) is wrong and is ignored; an unknown
 * label falls back to the next source, finally UTF-8, and is recorded as a
 * repair. Every decision depends on the bytes alone, never on chunking.
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
#include "feedmerge/buf.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECODE_SNIFF_MAX 1024 /* raw bytes held back while sniffing */
#define DECODE_PEND_MAX 16    /* unfinished sequence kept between chunks */
#define DECODE_NAME_MAX 32

/* Index of the lowest flagged byte in a word read from memory (0 when unknown: still correct, only slower). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DECODE_FIRST_BYTE(m) ((size_t)__builtin_ctzll(m) / 8)
#else
#define DECODE_FIRST_BYTE(m) ((size_t)0)
#endif

/* XML 1.0 whitespace; C0 controls XML 1.0 forbids (all but TAB, LF, CR). */
#define DECODE_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
#define DECODE_FORBIDDEN(c) ((c) < 0x20 && (c) != '\t' && (c) != '\n' && (c) != '\r')

/* How bytes are converted; the wide kinds (UTF-16, UTF-32) come last. */
enum {
	DK_NONE,
	DK_UTF8,   /* UTF-8, invalid bytes read as windows-1252 */
	DK_ASCII,  /* declared US-ASCII: like DK_UTF8, non-ASCII flagged */
	DK_W1252,  /* windows-1252 table */
	DK_LATIN1, /* declared ISO-8859-1: windows-1252 table, 80-9F flagged */
	DK_SB,     /* iconv, one byte per character */
	DK_MB,     /* iconv, ASCII-compatible multibyte or unknown */
	DK_U16, DK_U16LE, DK_U16BE,
	DK_U32, DK_U32LE, DK_U32BE
};
#define DECODE_WIDE(kind) ((kind) >= DK_U16)

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
	int repaired;
	unsigned long long repair_off;
	char repair[256];
	/* Lines, counted in byte-oriented charsets until the first repair. */
	unsigned long lines;           /* newlines before line_at */
	unsigned long long line_at;    /* input offset where the current line starts */
	const unsigned char *cur;      /* the run being converted, at offset cur_base */
	unsigned long long cur_base;
	unsigned long repair_line, repair_col;
	char name[DECODE_NAME_MAX];
};

/* A charset label resolved: how to convert and what to call it. */
struct decode_cs {
	int kind;
	const char *name;  /* canonical, lower case */
	const char *iconv; /* name for iconv_open(), NULL when not needed */
};

/*
 * Labels, space-separated, compared after decode_key() lowercases them and
 * drops everything but letters and digits ("ISO_8859-1" and "iso-8859-1"
 * both give "iso88591"). ISO-8859-n and windows-125n are handled in
 * decode_lookup().
 */
static const struct { const char *keys; struct decode_cs cs; } decode_labels[] = {
	{ "utf8 unicode11utf8", { DK_UTF8, "utf-8", NULL } },
	{ "utf16 unicode ucs2 iso10646ucs2 csunicode", { DK_U16, "utf-16", NULL } },
	{ "utf16le ucs2le", { DK_U16LE, "utf-16le", "UTF-16LE" } },
	{ "utf16be ucs2be", { DK_U16BE, "utf-16be", "UTF-16BE" } },
	{ "utf32 ucs4 iso10646ucs4", { DK_U32, "utf-32", NULL } },
	{ "utf32le ucs4le", { DK_U32LE, "utf-32le", "UTF-32LE" } },
	{ "utf32be ucs4be", { DK_U32BE, "utf-32be", "UTF-32BE" } },
	{ "windows1252 cp1252 win1252 xcp1252", { DK_W1252, "windows-1252", NULL } },
	{ "iso88591 latin1 l1 isoir100 cp819 ibm819 csisolatin1", { DK_LATIN1, "iso-8859-1", NULL } },
	{ "usascii ascii ansix341968 ansix341986 iso646us us csascii cp367 ibm367", { DK_ASCII, "us-ascii", NULL } },
	{ "latin2 l2", { DK_SB, "iso-8859-2", "ISO-8859-2" } },
	{ "cyrillic", { DK_SB, "iso-8859-5", "ISO-8859-5" } },
	{ "arabic", { DK_SB, "iso-8859-6", "ISO-8859-6" } },
	{ "greek greek8", { DK_SB, "iso-8859-7", "ISO-8859-7" } },
	{ "hebrew", { DK_SB, "iso-8859-8", "ISO-8859-8" } },
	{ "latin5", { DK_SB, "iso-8859-9", "ISO-8859-9" } },
	{ "latin9", { DK_SB, "iso-8859-15", "ISO-8859-15" } },
	{ "koi8r koi8 cskoi8r", { DK_SB, "koi8-r", "KOI8-R" } },
	{ "koi8u koi8ru", { DK_SB, "koi8-u", "KOI8-U" } },
	{ "macintosh mac macroman xmacroman csmacintosh", { DK_SB, "macintosh", "MACINTOSH" } },
	{ "ibm866 cp866", { DK_SB, "ibm866", "CP866" } },
	{ "windows874 tis620", { DK_SB, "windows-874", "CP874" } },
	/* Shift_JIS as Windows writes it: CP932 keeps 5C a backslash. */
	{ "shiftjis sjis xsjis mskanji csshiftjis windows31j cp932", { DK_MB, "shift_jis", "CP932" } },
	{ "eucjp xeucjp", { DK_MB, "euc-jp", "EUC-JP" } },
	{ "iso2022jp csiso2022jp", { DK_MB, "iso-2022-jp", "ISO-2022-JP" } },
	/* GB18030 is a superset of GBK, itself a superset of GB2312. */
	{ "gb18030 gb2312 gbk cp936 xgbk euccn csgb2312 chinese", { DK_MB, "gb18030", "GB18030" } },
	/* glibc's BIG5-HKSCS lacks the euro sign at A3E1; CP950 has it. */
	{ "big5 cnbig5 xxbig5 csbig5 cp950", { DK_MB, "big5", "CP950" } },
	{ "big5hkscs", { DK_MB, "big5-hkscs", "BIG5-HKSCS" } },
	/* CP949 (Unified Hangul Code) is the superset of EUC-KR in use. */
	{ "euckr ksc56011987 ksc5601 cp949 uhc windows949 cseuckr korean", { DK_MB, "euc-kr", "CP949" } }
};

/* Names for the concrete wide kinds, indexed by kind - DK_U16. */
static const struct decode_cs decode_wide_cs[] = {
	{ DK_U16, "utf-16", NULL },
	{ DK_U16LE, "utf-16le", "UTF-16LE" },
	{ DK_U16BE, "utf-16be", "UTF-16BE" },
	{ DK_U32, "utf-32", NULL },
	{ DK_U32LE, "utf-32le", "UTF-32LE" },
	{ DK_U32BE, "utf-32be", "UTF-32BE" }
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

/*
 * Returns the length of the longest prefix of s that can be passed on
 * as it is: valid UTF-8 (only ASCII when ascii is set) without forbidden
 * controls or U+FFFE/U+FFFF. Printable ASCII is skipped 8 bytes at a time.
 */
static size_t
decode_clean(const unsigned char *s, size_t n, int ascii)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t w, m;
	size_t i = 0;
	int k;

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
		if (s[i] < 0x80) {
			if (DECODE_FORBIDDEN(s[i]))
				return i;
			i++;
			continue;
		}
		if (ascii || (k = decode_utf8_seq(s + i, n - i)) <= 0)
			return i;
		if (k == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE)
			return i;
		i += (size_t)k;
	}
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
	}
	error = decode_byte_run_lines(d, s, n, final, base, used);
	if (!d->repaired)
		decode_count_lines(d, s, *used, base);
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
	i = decode_clean(s, n, table);
	if (i == n || (!final && !table && decode_utf8_seq(s + i, n - i) < 0)) {
		/* The common case: hand over the caller's bytes. */
		*used = i;
		return decode_emit(d, (const char *)s, i);
	}
	if ((error = decode_room(d, n, 3)) < 0)
		return error;
	o = (unsigned char *)d->out.ptr;
	for (i = 0; i < n; ) {
		j = decode_clean(s + i, n - i, table);
		memcpy(o, s + i, j);
		o += j;
		if ((i += j) == n)
			break;
		if (s[i] < 0x80) {
			decode_repair(d, base + i, "byte %llu: control character U+%04X removed", base + i, (unsigned)s[i]);
			i++;
			continue;
		}
		if (!table && (k = decode_utf8_seq(s + i, n - i)) == 3) {
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

	if (decode_clean(b, n, 0) == n)
		return decode_emit(d, d->out.ptr, n);
	while (r < n) {
		j = decode_clean(b + r, n - r, 0);
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

/* Writes label's lookup key (lower-case letters and digits) to key; returns 0, or -1 when too long. */
static int
decode_key(char *key, size_t size, const char *label)
{
	size_t n = 0;
	char c;

	for (; *label; label++) {
		c = *label;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (n + 1 >= size)
			return -1;
		key[n++] = c;
	}
	key[n] = '\0';
	return 0;
}

/*
 * Resolves label into cs, using name (DECODE_NAME_MAX bytes) as storage
 * for names built on the fly. Labels outside the table are asked of iconv;
 * unless trust is set, they must also read printable ASCII unchanged (a
 * label in an ASCII-readable declaration cannot be right otherwise).
 * Returns 1 when known, 0 when not.
 */
static int
decode_lookup(struct decode_cs *cs, char *name, const char *label, int trust)
{
	static const char probe[] = "<?xml version=\"1.0\" encoding='x'?>{\"a\":[1]}\t\r\n";
	char key[48], out[sizeof(probe) + 8], *in, *o;
	const char *k;
	size_t i, len, inleft, outleft;
	unsigned num;
	iconv_t cd;
	int ok;

	if (decode_key(key, sizeof(key), label) < 0 || !(len = strlen(key)))
		return 0;
	for (i = 0; i < sizeof(decode_labels) / sizeof(decode_labels[0]); i++) {
		for (k = decode_labels[i].keys; (k = strstr(k, key)); k++) {
			if ((k == decode_labels[i].keys || k[-1] == ' ') && (k[len] == ' ' || !k[len])) {
				*cs = decode_labels[i].cs;
				return 1;
			}
		}
	}
	/* iso-8859-2 ... iso-8859-16 (no 12), windows-1250 ... windows-1258 */
	if ((sscanf(key, "iso8859%u%n", &num, &ok) == 1 && key[ok] == '\0' && num >= 2 && num <= 16 && num != 12)) {
		snprintf(name, DECODE_NAME_MAX, "iso-8859-%u", num);
		*cs = (struct decode_cs){ DK_SB, name, name };
		return 1;
	}
	if ((sscanf(key, "windows%u%n", &num, &ok) == 1 || sscanf(key, "cp%u%n", &num, &ok) == 1 ||
	     sscanf(key, "win%u%n", &num, &ok) == 1) && key[ok] == '\0' && num >= 1250 && num <= 1258) {
		snprintf(name, DECODE_NAME_MAX, "windows-%u", num);
		*cs = (struct decode_cs){ DK_SB, name, name };
		return 1;
	}
	if ((cd = iconv_open("UTF-8", label)) == (iconv_t)-1)
		return 0;
	in = (char *)probe;
	inleft = sizeof(probe) - 1;
	o = out;
	outleft = sizeof(out);
	ok = trust || (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1 &&
		       (size_t)(o - out) == sizeof(probe) - 1 && memcmp(out, probe, sizeof(probe) - 1) == 0);
	iconv_close(cd);
	if (!ok)
		return 0;
	for (i = 0; label[i] && i + 1 < DECODE_NAME_MAX; i++)
		name[i] = (char)(label[i] >= 'A' && label[i] <= 'Z' ? label[i] - 'A' + 'a' : label[i]);
	name[i] = '\0';
	*cs = (struct decode_cs){ DK_MB, name, label };
	return 1;
}

/*
 * Starts converting with cs; hint (a wide kind from the BOM or the NUL
 * pattern, or DK_NONE) settles the byte order of plain "utf-16"/"utf-32",
 * big-endian by default (RFC 2781 section 4.3). Cannot fail: a charset
 * iconv turns down after all is read as UTF-8 and recorded as a repair.
 */
static void
decode_open(fm__decoder *d, struct decode_cs cs, int hint)
{
	int le = hint == DK_U16LE || hint == DK_U32LE;

	if (cs.kind == DK_U16)
		cs = decode_wide_cs[(le ? DK_U16LE : DK_U16BE) - DK_U16];
	else if (cs.kind == DK_U32)
		cs = decode_wide_cs[(le ? DK_U32LE : DK_U32BE) - DK_U16];
	if (cs.iconv && (d->cd = iconv_open("UTF-8", cs.iconv)) == (iconv_t)-1) {
		decode_repair(d, 0, "charset \"%s\" unavailable in iconv, decoded as UTF-8", cs.name);
		cs = (struct decode_cs){ DK_UTF8, "utf-8", NULL };
	}
	d->kind = cs.kind;
	if (cs.name != d->name)
		snprintf(d->name, sizeof(d->name), "%s", cs.name);
}

/*
 * Looks for an XML declaration after leading whitespace and UTF-8 BOMs
 * (setting *bom when one was there) and copies its encoding label into
 * label ("" when none). Returns 1 when more bytes are needed to tell, else 0.
 */
static int
decode_xmldecl(const unsigned char *h, size_t n, int final, char *label,
	       size_t size, int *bom)
{
	size_t i = 0, end, k, l = 0;
	unsigned char q;

	label[0] = '\0';
	*bom = 0;
	for (;;) {
		if (i < n && DECODE_SPACE(h[i])) {
			i++;
		} else if (i < n && h[i] == 0xEF && n - i < 3) {
			return !final;
		} else if (n - i >= 3 && memcmp(h + i, "\xEF\xBB\xBF", 3) == 0) {
			*bom = 1;
			i += 3;
		} else {
			break;
		}
	}
	if (n - i < 6)
		return !final && memcmp(h + i, "<?xml", n - i < 5 ? n - i : 5) == 0;
	if (memcmp(h + i, "<?xml", 5) != 0 || !DECODE_SPACE(h[i + 5]))
		return 0;
	for (end = i + 5; end + 1 < n && memcmp(h + end, "?>", 2) != 0; end++)
		;
	if (end + 1 >= n) {
		if (!final)
			return 1;
		end = n;
	}
	for (k = i + 5; k + 8 <= end && memcmp(h + k, "encoding", 8) != 0; k++)
		;
	for (k += 8; k < end && DECODE_SPACE(h[k]); k++)
		;
	if (k >= end || h[k] != '=')
		return 0;
	for (k++; k < end && DECODE_SPACE(h[k]); k++)
		;
	if (k >= end || (h[k] != '"' && h[k] != '\''))
		return 0;
	for (q = h[k++]; k < end && h[k] != q && l + 1 < size; k++)
		label[l++] = (char)(h[k] >= 0x20 && h[k] < 0x7F ? h[k] : '?');
	label[l] = '\0';
	return 0;
}

/* Returns the kind a BOM at the start of h announces (setting *len), or DK_NONE. */
static int
decode_bom(const unsigned char *h, size_t n, size_t *len)
{
	static const struct { const char *bytes; size_t len; int kind; } boms[] = {
		{ "\xEF\xBB\xBF", 3, DK_UTF8 },
		{ "\xFF\xFE\0\0", 4, DK_U32LE },
		{ "\0\0\xFE\xFF", 4, DK_U32BE },
		{ "\xFF\xFE", 2, DK_U16LE },
		{ "\xFE\xFF", 2, DK_U16BE }
	};
	size_t i;

	for (i = 0; i < sizeof(boms) / sizeof(boms[0]); i++) {
		if (n >= boms[i].len && memcmp(h, boms[i].bytes, boms[i].len) == 0) {
			*len = boms[i].len;
			return boms[i].kind;
		}
	}
	return DK_NONE;
}

/*
 * Returns the wide kind that the NULs around an ASCII character in the
 * first four bytes reveal (XML 1.0 Appendix F, generalised from '<' to any
 * ASCII character so that leading whitespace and '{' work), or DK_NONE.
 */
static int
decode_pattern(const unsigned char *h, size_t n)
{
	if (n < 4)
		return DK_NONE;
	if (!h[0] && !h[1] && !h[2] && h[3] && h[3] < 0x80)
		return DK_U32BE;
	if (h[0] && h[0] < 0x80 && !h[1] && !h[2] && !h[3])
		return DK_U32LE;
	if (!h[0] && h[1] && h[1] < 0x80 && !h[2] && h[3] && h[3] < 0x80)
		return DK_U16BE;
	if (h[0] && h[0] < 0x80 && !h[1] && h[2] && h[2] < 0x80 && !h[3])
		return DK_U16LE;
	return DK_NONE;
}

/*
 * Picks the charset from the bytes held so far (RFC 7303 section 3) and
 * sets *bomlen. Returns 1 once decided, or 0 when more bytes are needed.
 */
static int
decode_sniff(fm__decoder *d, int final, size_t *bomlen)
{
	const unsigned char *h = (const unsigned char *)fm_buf_cstr(&d->head);
	const struct decode_cs utf8 = { DK_UTF8, "utf-8", NULL };
	struct decode_cs http = utf8, decl = utf8;
	size_t n = d->head.size;
	char label[64], upper[DECODE_NAME_MAX];
	const char *unknown = NULL;
	int hint, bom, known, i;

	*bomlen = 0;
	if (n < 4 && !final)
		return 0;
	if (!(hint = decode_bom(h, n, bomlen)))
		hint = decode_pattern(h, n);
	if (d->forced) {
		decode_lookup(&decl, d->name, d->forced, 1);
		decode_open(d, decl, hint);
		return 1;
	}
	if (hint) {
		decode_open(d, hint == DK_UTF8 ? utf8 : decode_wide_cs[hint - DK_U16], hint);
		return 1;
	}
	/*
	 * ASCII-compatible from here on. A wide HTTP charset is believed only
	 * if a NUL shows in the first four bytes; a wide label in a declaration
	 * that could be read as ASCII is always wrong.
	 */
	known = d->http && decode_lookup(&http, d->name, d->http, 0);
	if (known && (!DECODE_WIDE(http.kind) || memchr(h, 0, n < 4 ? n : 4))) {
		decode_open(d, http, DK_NONE);
		return 1;
	}
	if (d->http && !known)
		unknown = d->http;
	if (decode_xmldecl(h, n, final, label, sizeof(label), &bom))
		return 0;
	if (bom) {
		/* A UTF-8 BOM after leading whitespace still counts. */
		decode_open(d, utf8, DK_UTF8);
	} else if (label[0] && decode_lookup(&decl, d->name, label, 0)) {
		decode_open(d, DECODE_WIDE(decl.kind) ? utf8 : decl, DK_NONE);
	} else {
		if (label[0] && !unknown)
			unknown = label;
		decode_open(d, utf8, DK_NONE);
	}
	if (unknown) {
		for (i = 0; d->name[i] && i + 1 < DECODE_NAME_MAX; i++)
			upper[i] = (char)(d->name[i] >= 'a' && d->name[i] <= 'z' ? d->name[i] - 'a' + 'A' : d->name[i]);
		upper[i] = '\0';
		decode_repair(d, 0, "unknown charset \"%s\", decoded as %s", unknown, upper);
	}
	return 1;
}

/*
 * Sniffs what is held (final: no more bytes will come) and, once decided,
 * converts it. Returns 0, FM_ENOMEM or the sink's code.
 */
static int
decode_start(fm__decoder *d, int final)
{
	size_t bomlen;
	int error;

	if (!decode_sniff(d, final || d->head.size >= DECODE_SNIFF_MAX, &bomlen))
		return 0;
	d->off = bomlen;
	error = decode_feed(d, (const unsigned char *)fm_buf_cstr(&d->head) + bomlen,
			    d->head.size - bomlen, 0);
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
	if (forced && !decode_lookup(&cs, name, forced, 1))
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
	if (d->kind == DK_NONE) {
		take = DECODE_SNIFF_MAX - d->head.size;
		take = len < take ? len : take;
		if ((error = fm_buf_append(&d->head, data, take)) < 0)
			return error;
		if ((error = decode_start(d, 0)) < 0 || d->kind == DK_NONE)
			return error;
		data += take;
		len -= take;
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
