/*
 * decode_sniff.c - naming the charset of a document: labels, byte order
 * marks, the NUL pattern of XML 1.0 Appendix F, the XML declaration. The
 * conversion itself is decode.c's.
 *
 * Which charset wins follows RFC 7303 section 3 (and section 8.1's worked
 * examples): a forced charset, then the byte order mark, then the HTTP
 * charset parameter, then the XML declaration, then UTF-8. Without a BOM,
 * the NUL pattern of XML 1.0 Appendix F ("<\0?\0", "\0<\0?", ...) proves
 * UTF-16 or UTF-32 and fixes the byte order whatever the labels say. A
 * label naming UTF-16 or UTF-32 on a document whose first four bytes hold
 * no NUL (so plainly ASCII-compatible) is wrong and is ignored; an unknown
 * label falls back to the next source, finally UTF-8 (decode.c records it
 * as a repair). Every decision depends on the bytes alone, never on
 * chunking.
 *
 * Nothing here fails or keeps state: an iconv descriptor is opened only to
 * test a label the table does not know, and closed at once.
 */
#include "parse/decode_int.h"

#include <iconv.h>
#include <stdio.h>
#include <string.h>

/*
 * Labels, space-separated, compared after decode_key() lowercases them and
 * drops everything but letters and digits ("ISO_8859-1" and "iso-8859-1"
 * both give "iso88591"). ISO-8859-n and windows-125n are handled in
 * fm__decode_lookup().
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
int
fm__decode_lookup(struct decode_cs *cs, char *name, const char *label, int trust)
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
	/*
	 * UTF-7 is refused, as the WHATWG Encoding Standard does: it smuggles
	 * markup past filters, and its shift state makes iconv's recovery from
	 * bad input depend on how the bytes were chunked.
	 */
	if (strstr(key, "utf7"))
		return 0;
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
 * Stores cs in out as the decision, with plain "utf-16"/"utf-32" given the
 * byte order of hint (a wide kind from the BOM or the NUL pattern, or
 * DK_NONE), big-endian by default (RFC 2781 section 4.3). Returns 1.
 */
static int
decode_decide(struct decode_sniff *out, struct decode_cs cs, int hint)
{
	int le = hint == DK_U16LE || hint == DK_U32LE;

	if (cs.kind == DK_U16)
		cs = decode_wide_cs[(le ? DK_U16LE : DK_U16BE) - DK_U16];
	else if (cs.kind == DK_U32)
		cs = decode_wide_cs[(le ? DK_U32LE : DK_U32BE) - DK_U16];
	out->cs = cs;
	return 1;
}

/*
 * Picks the charset from the bytes held so far (RFC 7303 section 3) and
 * fills out. Returns 1 once decided, or 0 when more bytes are needed.
 */
int
fm__decode_sniff(struct decode_sniff *out, char *name, const unsigned char *h, size_t n,
		 int final, const char *http_label, const char *forced)
{
	const struct decode_cs utf8 = { DK_UTF8, "utf-8", NULL };
	struct decode_cs http = utf8, decl = utf8;
	int hint, bom, known;

	out->bomlen = 0;
	out->unknown = NULL;
	out->undeclared = 0;
	out->label[0] = '\0';
	if (n < 4 && !final)
		return 0;
	if (!(hint = decode_bom(h, n, &out->bomlen)))
		hint = decode_pattern(h, n);
	if (forced) {
		fm__decode_lookup(&decl, name, forced, 1);
		return decode_decide(out, decl, hint);
	}
	if (hint)
		return decode_decide(out, hint == DK_UTF8 ? utf8 : decode_wide_cs[hint - DK_U16], hint);
	/*
	 * ASCII-compatible from here on. A wide HTTP charset is believed only
	 * if a NUL shows in the first four bytes; a wide label in a declaration
	 * that could be read as ASCII is always wrong.
	 */
	known = http_label && fm__decode_lookup(&http, name, http_label, 0);
	if (known && (!DECODE_WIDE(http.kind) || memchr(h, 0, n < 4 ? n : 4)))
		return decode_decide(out, http, DK_NONE);
	if (http_label && !known)
		out->unknown = http_label;
	if (decode_xmldecl(h, n, final, out->label, sizeof(out->label), &bom))
		return 0;
	if (bom) {
		/* A UTF-8 BOM after leading whitespace still counts. */
		return decode_decide(out, utf8, DK_UTF8);
	}
	if (out->label[0] && fm__decode_lookup(&decl, name, out->label, 0))
		return decode_decide(out, DECODE_WIDE(decl.kind) ? utf8 : decl, DK_NONE);
	if (out->label[0] && !out->unknown)
		out->unknown = out->label;
	out->undeclared = !out->label[0] && !http_label;
	return decode_decide(out, utf8, DK_NONE);
}
