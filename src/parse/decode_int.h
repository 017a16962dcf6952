/*
 * decode_int.h - what decode.c (conversion) and decode_sniff.c (charset
 * detection) share: charset kinds, resolved labels, sniffing (internal).
 */
#ifndef FM_PARSE_DECODE_INT_H
#define FM_PARSE_DECODE_INT_H

#include <stddef.h>

#define DECODE_NAME_MAX 32 /* canonical charset names, NUL included */

/* XML 1.0 whitespace. */
#define DECODE_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

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

/* A charset label resolved: how to convert and what to call it. */
struct decode_cs {
	int kind;
	const char *name;  /* canonical, lower case */
	const char *iconv; /* name for iconv_open(), NULL when not needed */
};

/* What fm__decode_sniff() decided about a document. */
struct decode_sniff {
	struct decode_cs cs;  /* the charset; plain UTF-16/UTF-32 made LE or BE */
	size_t bomlen;        /* bytes of byte order mark to skip */
	const char *unknown;  /* the HTTP charset or label when it named no charset, or NULL */
	int undeclared;       /* UTF-8 only because nothing named a charset: fm__decode_guess() may */
	char label[64];       /* the XML declaration's encoding label, "" when none */
};

/*
 * Resolves label into cs, using name (DECODE_NAME_MAX bytes) as storage for
 * names built on the fly; labels outside the table are asked of iconv,
 * which unless trust is set must also read printable ASCII unchanged.
 * Returns 1 when known, 0 when not.
 */
int fm__decode_lookup(struct decode_cs *cs, char *name, const char *label, int trust);

/*
 * Picks the charset of a document from its first bytes h[0..n) (RFC 7303
 * section 3), given the HTTP and forced charsets (either may be NULL) and
 * using name as fm__decode_lookup() does; final means no more bytes will
 * come. Returns 1 once decided, filling out, or 0 when more bytes are needed.
 */
int fm__decode_sniff(struct decode_sniff *out, char *name, const unsigned char *h, size_t n,
		     int final, const char *http, const char *forced);

/*
 * Guesses the charset of h[0..n), a document's first bytes that name no
 * charset and are not UTF-8 (decode_guess.c). Returns 1 and fills out when
 * the bytes read well in one of the legacy charsets it knows (EUC-KR,
 * Shift_JIS, EUC-JP, GB2312, Big5, KOI8-R, windows-1251, windows-1255,
 * TIS-620), 0 when it cannot say (Latin text, too few characters, nothing
 * convincing, no memory).
 */
int fm__decode_guess(struct decode_cs *out, const unsigned char *h, size_t n);

#endif
