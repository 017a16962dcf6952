/* test_decode.c - charset detection and streaming conversion to UTF-8. */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "parse/decode.h"

/* Fixtures come from tests/data/charset/generate.py. */
#define CHARSET_DIR FM_TEST_DATA "/charset/"

/* Every fixture is decoded at each of these chunk sizes. */
static const size_t steps[] = { 1, 2, 3, 7, 4096 };

struct decoded {
	fm_buf text;
	char encoding[32];
	int repaired;
	fm_diag diag;
};

static int
collect(const char *s, size_t n, void *payload)
{
	cr_assert_gt(n, 0, "the sink must not get empty pieces");
	return fm_buf_append(payload, s, n);
}

/* Reads CHARSET_DIR name into b; fails the test when it cannot. */
static void
read_fixture(fm_buf *b, const char *name)
{
	char path[512], chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", CHARSET_DIR, name);
	cr_assert_not_null(f = fopen(path, "rb"), "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cr_assert_eq(fm_buf_append(b, chunk, n), 0);
	fclose(f);
}

/* Decodes len bytes pushed step at a time into r, asserting that nothing fails. */
static void
decode_steps(struct decoded *r, const char *data, size_t len, size_t step,
	     const char *http, const char *forced)
{
	fm__decoder *d;
	const char *enc;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	cr_assert_eq(fm__decoder_new(&d, http, forced), 0);
	for (i = 0; i < len; i += n) {
		n = len - i < step ? len - i : step;
		cr_assert_eq(fm__decoder_push(d, data + i, n, collect, &r->text), 0);
	}
	cr_assert_eq(fm__decoder_finish(d, collect, &r->text), 0);
	cr_assert_not_null(enc = fm__decoder_encoding(d));
	snprintf(r->encoding, sizeof(r->encoding), "%s", enc);
	r->repaired = fm__decoder_repaired(d, &r->diag);
	fm__decoder_free(d);
}

/* Fails unless b holds strict UTF-8 made only of characters XML 1.0 allows. */
static void
assert_xml_chars(const fm_buf *b)
{
	const unsigned char *s = (const unsigned char *)fm_buf_cstr(b);
	unsigned long cp;
	size_t i = 0, k, len;

	while (i < b->size) {
		len = s[i] < 0x80 ? 1 : s[i] < 0xE0 ? 2 : s[i] < 0xF0 ? 3 : 4;
		cp = len == 1 ? s[i] : s[i] & (0x7F >> len);
		cr_assert(s[i] < 0x80 || (s[i] >= 0xC2 && s[i] <= 0xF4), "bad lead byte at %zu", i);
		cr_assert_leq(i + len, b->size, "truncated at %zu", i);
		for (k = 1; k < len; k++) {
			cr_assert_eq(s[i + k] & 0xC0, 0x80, "bad continuation at %zu", i + k);
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		cr_assert(len == 1 || cp >= (len == 2 ? 0x80UL : len == 3 ? 0x800UL : 0x10000UL), "overlong at %zu", i);
		cr_assert((cp >= 0x20 || cp == 9 || cp == 10 || cp == 13) &&
			  (cp < 0xD800 || cp > 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF && cp <= 0x10FFFF,
			  "U+%04lX not allowed at %zu", cp, i);
		i += len;
	}
}

/*
 * Decodes data at every chunk size and checks each output against expected,
 * then the encoding name and the repair (msg NULL: none).
 */
static void
check_bytes(const char *data, size_t len, const char *expected, size_t explen,
	    const char *http, const char *forced, const char *enc, const char *msg)
{
	struct decoded r;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		decode_steps(&r, data, len, steps[i], http, forced);
		assert_xml_chars(&r.text);
		cr_assert_eq(r.text.size, explen, "chunk size %zu: %zu bytes, expected %zu:\n%s",
			     steps[i], r.text.size, explen, fm_buf_cstr(&r.text));
		cr_assert(memcmp(fm_buf_cstr(&r.text), expected, explen) == 0,
			  "chunk size %zu: got\n%s\nexpected\n%.*s", steps[i], fm_buf_cstr(&r.text), (int)explen, expected);
		cr_assert_str_eq(r.encoding, enc, "chunk size %zu", steps[i]);
		if (msg) {
			const char *m = r.diag.msg;
			cr_assert_eq(r.repaired, 1, "chunk size %zu: no repair recorded", steps[i]);
			/* Byte-oriented charsets also say where: "line L, column C: ". */
			if (r.diag.line && !strncmp(m, "line ", 5) && strstr(m, ": "))
				m = strstr(m, ": ") + 2;
			cr_assert_str_eq(m, msg, "chunk size %zu: \"%s\"", steps[i], r.diag.msg);
		} else {
			cr_assert_eq(r.repaired, 0, "chunk size %zu: unexpected repair: %s", steps[i], r.diag.msg);
		}
		fm_buf_dispose(&r.text);
	}
}

/* Runs check_bytes() on a fixture and its .expected golden file. */
static void
check_fixture(const char *name, const char *http, const char *forced,
	      const char *enc, const char *msg)
{
	fm_buf in = FM_BUF_INIT, want = FM_BUF_INIT;
	char golden[256];

	snprintf(golden, sizeof(golden), "%s.expected", name);
	read_fixture(&in, name);
	read_fixture(&want, golden);
	check_bytes(fm_buf_cstr(&in), in.size, fm_buf_cstr(&want), want.size, http, forced, enc, msg);
	fm_buf_dispose(&in);
	fm_buf_dispose(&want);
}

/* Runs check_bytes() on C strings. */
static void
check_str(const char *data, const char *expected, const char *http,
	  const char *forced, const char *enc, const char *msg)
{
	check_bytes(data, strlen(data), expected, strlen(expected), http, forced, enc, msg);
}

Test(decode, bom_utf8_is_dropped)
{
	check_fixture("bom-utf8.xml", NULL, NULL, "utf-8", NULL);
}

Test(decode, bom_utf16le)
{
	check_fixture("bom-utf16le.xml", NULL, NULL, "utf-16le", NULL);
}

Test(decode, bom_utf16be)
{
	check_fixture("bom-utf16be.xml", NULL, NULL, "utf-16be", NULL);
}

Test(decode, bom_utf32le)
{
	check_fixture("bom-utf32le.xml", NULL, NULL, "utf-32le", NULL);
}

Test(decode, bom_utf32be)
{
	check_fixture("bom-utf32be.xml", NULL, NULL, "utf-32be", NULL);
}

Test(decode, utf16le_without_bom_from_nul_pattern)
{
	check_fixture("utf16le.xml", NULL, NULL, "utf-16le", NULL);
}

Test(decode, utf16be_without_bom_from_nul_pattern)
{
	check_fixture("utf16be.xml", NULL, NULL, "utf-16be", NULL);
}

Test(decode, utf32le_without_bom_from_nul_pattern)
{
	check_fixture("utf32le.xml", NULL, NULL, "utf-32le", NULL);
}

Test(decode, utf32be_without_bom_from_nul_pattern)
{
	check_fixture("utf32be.xml", NULL, NULL, "utf-32be", NULL);
}

Test(decode, utf16_nul_pattern_beats_an_ascii_http_charset)
{
	check_fixture("utf16le.xml", "iso-8859-1", NULL, "utf-16le", NULL);
}

Test(decode, utf16_lone_surrogate_becomes_replacement_char)
{
	check_fixture("utf16le-lone-surrogate.xml", NULL, NULL, "utf-16le",
		      "byte 108: invalid utf-16le sequence, replaced by U+FFFD");
}

Test(decode, iso_8859_1_e_acute)
{
	check_fixture("latin1.xml", NULL, NULL, "iso-8859-1", NULL);
}

Test(decode, cp1252_quotes_declared_iso_8859_1_are_repaired_and_flagged)
{
	check_fixture("latin1-smart-quotes.xml", NULL, NULL, "iso-8859-1",
		      "byte 56: windows-1252 bytes in a document declared iso-8859-1");
}

Test(decode, cp1252_quotes_declared_windows_1252_are_not_flagged)
{
	check_fixture("cp1252-smart-quotes.xml", NULL, NULL, "windows-1252", NULL);
}

Test(decode, utf8_with_stray_cp1252_bytes_is_repaired_at_first_offset)
{
	check_fixture("utf8-stray-cp1252.xml", NULL, NULL, "utf-8",
		      "byte 54: invalid UTF-8, repaired as windows-1252");
}

Test(decode, undefined_cp1252_bytes_become_c1_code_points)
{
	check_str("<a>\x81\x8D\x8F\x90\x9D</a>", "<a>\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D</a>",
		  NULL, NULL, "utf-8", "byte 3: invalid UTF-8, repaired as windows-1252");
}

Test(decode, utf8_validation_is_strict)
{
	/* Overlong '/', a surrogate, and U+110000: each byte read as cp1252. */
	check_str("<a>\xC0\xAF|\xED\xA0\x80|\xF4\x90\x80\x80</a>",
		  "<a>\xC3\x80\xC2\xAF|\xC3\xAD\xC2\xA0\xE2\x82\xAC|\xC3\xB4\xC2\x90\xE2\x82\xAC\xE2\x82\xAC</a>",
		  NULL, NULL, "utf-8", "byte 3: invalid UTF-8, repaired as windows-1252");
}

Test(decode, utf8_truncated_at_the_end_is_repaired)
{
	check_str("<a>caf\xC3", "<a>caf\xC3\x83", NULL, NULL, "utf-8",
		  "byte 6: invalid UTF-8, repaired as windows-1252");
}

Test(decode, http_charset_overrides_declaration)
{
	check_fixture("http-over-decl.xml", "UTF-8", NULL, "utf-8", NULL);
}

Test(decode, declaration_applies_without_http_charset)
{
	/* The same bytes read as declared: UTF-8 é shows as two Latin-1 letters. */
	check_str("<?xml version='1.0'   encoding = 'ISO_8859-1' ?><a>caf\xC3\xA9</a>",
		  "<?xml version='1.0'   encoding = 'ISO_8859-1' ?><a>caf\xC3\x83\xC2\xA9</a>",
		  NULL, NULL, "iso-8859-1", NULL);
}

Test(decode, bom_overrides_http_and_declaration)
{
	check_fixture("bom-over-labels.xml", "windows-1252", NULL, "utf-8", NULL);
}

Test(decode, forced_overrides_everything)
{
	check_fixture("forced-koi8r.xml", "iso-8859-1", "KOI8-R", "koi8-r", NULL);
}

Test(decode, forced_utf16_takes_byte_order_from_bom)
{
	check_fixture("bom-utf16le.xml", NULL, "utf-16", "utf-16le", NULL);
}

Test(decode, forced_unknown_charset_is_an_error)
{
	fm__decoder *d = (fm__decoder *)1;

	cr_assert_eq(fm__decoder_new(&d, NULL, "x-no-such-charset"), FM_ECHARSET);
	cr_assert_null(d);
}

Test(decode, koi8_r)
{
	check_fixture("koi8r.xml", NULL, NULL, "koi8-r", NULL);
}

Test(decode, shift_jis_keeps_backslash)
{
	check_fixture("shift_jis.xml", NULL, NULL, "shift_jis", NULL);
}

Test(decode, euc_jp)
{
	check_fixture("euc-jp.xml", NULL, NULL, "euc-jp", NULL);
}

Test(decode, iso_2022_jp_shift_state_survives_chunking)
{
	check_str("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><a>\x1B$B0!0!\x1B(Bx</a>",
		  "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><a>\xE4\xBA\x9C\xE4\xBA\x9Cx</a>",
		  NULL, NULL, "iso-2022-jp", NULL);
}

Test(decode, gb2312_read_as_gb18030)
{
	check_fixture("gb2312.xml", NULL, NULL, "gb18030", NULL);
}

Test(decode, big5)
{
	check_fixture("big5.xml", NULL, NULL, "big5", NULL);
}

Test(decode, iso_8859_7)
{
	check_fixture("iso8859-7.xml", NULL, NULL, "iso-8859-7", NULL);
}

Test(decode, iso_8859_15)
{
	check_fixture("iso8859-15.xml", NULL, NULL, "iso-8859-15", NULL);
}

Test(decode, macroman)
{
	check_fixture("macroman.xml", NULL, NULL, "macintosh", NULL);
}

Test(decode, charset_known_only_to_iconv)
{
	/* CP850 0x82 is é. */
	check_str("<?xml version=\"1.0\" encoding=\"IBM850\"?><a>\x82</a>",
		  "<?xml version=\"1.0\" encoding=\"IBM850\"?><a>\xC3\xA9</a>",
		  NULL, NULL, "ibm850", NULL);
}

Test(decode, unknown_declared_charset_reads_utf8_and_says_so)
{
	check_fixture("unknown-charset.xml", NULL, NULL, "utf-8",
		      "unknown charset \"x-no-such-charset\", decoded as UTF-8");
}

Test(decode, unknown_http_charset_falls_back_to_declaration)
{
	check_fixture("latin1.xml", "x-bogus", NULL, "iso-8859-1",
		      "unknown charset \"x-bogus\", decoded as ISO-8859-1");
}

Test(decode, utf16_label_on_ascii_document_is_ignored)
{
	check_fixture("utf16-label-on-ascii.xml", NULL, NULL, "utf-8", NULL);
	check_fixture("utf16-label-on-ascii.xml", "utf-16", NULL, "utf-8", NULL);
}

Test(decode, us_ascii_with_utf8_reads_utf8_and_is_flagged)
{
	check_fixture("us-ascii-utf8.xml", NULL, NULL, "us-ascii",
		      "byte 57: non-ASCII byte in a document declared us-ascii");
}

Test(decode, forbidden_controls_and_nonchars_are_removed)
{
	check_fixture("controls.xml", NULL, NULL, "utf-8",
		      "byte 52: control character U+0001 removed");
}

Test(decode, controls_removed_after_iconv_at_exact_offsets)
{
	check_str("<?xml version=\"1.0\" encoding=\"koi8-r\"?><a>\xF0\x02</a>",
		  "<?xml version=\"1.0\" encoding=\"koi8-r\"?><a>\xD0\x9F</a>",
		  NULL, NULL, "koi8-r", "byte 43: control character U+0002 removed");
}

Test(decode, whitespace_and_bom_before_declaration_are_dropped)
{
	check_fixture("ws-bom-decl.xml", NULL, NULL, "utf-8", NULL);
}

Test(decode, bom_and_whitespace_before_declaration_are_dropped)
{
	check_fixture("bom-ws-decl.xml", NULL, NULL, "utf-8", NULL);
}

Test(decode, whitespace_longer_than_sniff_window_is_dropped)
{
	fm_buf in = FM_BUF_INIT;
	int i;

	for (i = 0; i < 3000; i++)
		fm_buf_putc(&in, i % 2 ? ' ' : '\n');
	fm_buf_puts(&in, "<a>caf\xC3\xA9</a>");
	check_bytes(in.ptr, in.size, "<a>caf\xC3\xA9</a>", 12, NULL, NULL, "utf-8", NULL);
	fm_buf_dispose(&in);
}

/*
 * A declaration longer than the sniff window names its charset past the
 * window's end. Whether it is seen must not depend on how the bytes came:
 * pushed whole, the label is read in full; a byte at a time, it used to be
 * read while cut short ("b", unknown, so UTF-8). Found by fuzz_parse.
 */
Test(decode, declaration_past_the_sniff_window_decides_alike_for_every_chunking)
{
	fm_buf in = FM_BUF_INIT;
	struct decoded whole, split;
	size_t i;
	int k;

	fm_buf_puts(&in, "<?xml version=\"1.0\"");
	for (k = 0; k < 1020; k++)
		fm_buf_putc(&in, ' ');
	fm_buf_puts(&in, " encoding=\"big5\"?><a>\xA4\xA4\xA4\xE5 \xA4\xA4\xB0\xEA</a>");
	decode_steps(&whole, in.ptr, in.size, in.size, NULL, NULL);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		decode_steps(&split, in.ptr, in.size, steps[i], NULL, NULL);
		cr_assert_str_eq(split.encoding, whole.encoding, "chunk size %zu", steps[i]);
		cr_assert_eq(split.text.size, whole.text.size, "chunk size %zu", steps[i]);
		cr_assert(memcmp(split.text.ptr, whole.text.ptr, whole.text.size) == 0, "chunk size %zu", steps[i]);
		cr_assert_eq(split.repaired, whole.repaired, "chunk size %zu", steps[i]);
		fm_buf_dispose(&split.text);
	}
	fm_buf_dispose(&whole.text);
	fm_buf_dispose(&in);
}

Test(decode, json_feed_is_not_broken)
{
	check_fixture("feed.json", NULL, NULL, "utf-8", NULL);
}

Test(decode, empty_input)
{
	check_bytes("", 0, "", 0, NULL, NULL, "utf-8", NULL);
	check_bytes("", 0, "", 0, "koi8-r", NULL, "koi8-r", NULL);
	check_bytes(" \n", 2, "", 0, NULL, NULL, "utf-8", NULL);
}

Test(decode, encoding_is_null_until_sniffed)
{
	fm_buf out = FM_BUF_INIT;
	fm__decoder *d;

	cr_assert_eq(fm__decoder_new(&d, NULL, NULL), 0);
	cr_assert_eq(fm__decoder_push(d, "<?xml version", 13, collect, &out), 0);
	cr_assert_null(fm__decoder_encoding(d));
	cr_assert_eq(out.size, 0);
	cr_assert_eq(fm__decoder_finish(d, collect, &out), 0);
	cr_assert_str_eq(fm__decoder_encoding(d), "utf-8");
	cr_assert_str_eq(fm_buf_cstr(&out), "<?xml version");
	fm__decoder_free(d);
	fm_buf_dispose(&out);
}

Test(decode, multibyte_utf8_split_at_every_position)
{
	static const char text[] = "<a>\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD</a>";
	fm_buf out = FM_BUF_INIT;
	fm__decoder *d;
	size_t i, j, len = sizeof(text) - 1;

	for (i = 0; i <= len; i++) {
		for (j = i; j <= len; j++) {
			cr_assert_eq(fm__decoder_new(&d, NULL, NULL), 0);
			cr_assert_eq(fm__decoder_push(d, text, i, collect, &out), 0);
			cr_assert_eq(fm__decoder_push(d, text + i, j - i, collect, &out), 0);
			cr_assert_eq(fm__decoder_push(d, text + j, len - j, collect, &out), 0);
			cr_assert_eq(fm__decoder_finish(d, collect, &out), 0);
			cr_assert_eq(fm__decoder_repaired(d, NULL), 0, "split at %zu and %zu", i, j);
			cr_assert_str_eq(fm_buf_cstr(&out), text, "split at %zu and %zu", i, j);
			fm__decoder_free(d);
			fm_buf_clear(&out);
		}
	}
	fm_buf_dispose(&out);
}

struct pieces {
	const char *last;
	size_t count;
};

static int
remember(const char *s, size_t n, void *payload)
{
	struct pieces *p = payload;

	p->last = s;
	p->count++;
	return 0;
}

Test(decode, clean_utf8_is_passed_without_copying)
{
	struct pieces p = { NULL, 0 };
	char chunk[4096];
	fm__decoder *d;

	memset(chunk, 'a', sizeof(chunk));
	memcpy(chunk + 100, "\xC3\xA9\n", 3);
	cr_assert_eq(fm__decoder_new(&d, NULL, NULL), 0);
	cr_assert_eq(fm__decoder_push(d, chunk, sizeof(chunk), remember, &p), 0);
	cr_assert_eq(fm__decoder_push(d, chunk, sizeof(chunk), remember, &p), 0);
	cr_assert_eq(p.last, chunk);
	fm__decoder_free(d);
}

static int
refuse(const char *s, size_t n, void *payload)
{
	return FM_ESTOPPED;
}

Test(decode, sink_error_is_returned_and_sticks)
{
	fm__decoder *d;

	cr_assert_eq(fm__decoder_new(&d, NULL, NULL), 0);
	cr_assert_eq(fm__decoder_push(d, "<a>", 3, refuse, NULL), 0);
	cr_assert_eq(fm__decoder_finish(d, refuse, NULL), FM_ESTOPPED);
	cr_assert_eq(fm__decoder_push(d, "<b>", 3, refuse, NULL), FM_ESTOPPED);
	fm__decoder_free(d);
}

Test(decode, repair_says_line_and_column_whatever_the_chunking)
{
	static const char doc[] = "<a>\n<b>ok</b>\n  <c>x\x07y</c>\n</a>";
	struct decoded r;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		decode_steps(&r, doc, sizeof(doc) - 1, steps[i], NULL, NULL);
		cr_assert_eq(r.repaired, 1);
		cr_assert_eq(r.diag.line, 3, "chunk size %zu: line %lu", steps[i], r.diag.line);
		cr_assert_eq(r.diag.column, 7, "chunk size %zu: column %lu", steps[i], r.diag.column);
		cr_assert_str_eq(r.diag.msg, "line 3, column 7: byte 20: control character U+0007 removed");
		fm_buf_dispose(&r.text);
	}
}

Test(decode, a_bad_byte_is_found_at_every_offset_of_a_long_plain_run)
{
	/* Indented ASCII, TAB, LF and CR included: the scan classifies 64 and 16 bytes at a time. */
	char doc[224], msg[96];
	const char bad[] = { '\x01', '\x80' };
	struct decoded r;
	size_t at, i, b;

	for (b = 0; b < sizeof(bad); b++) {
		for (at = 3; at < sizeof(doc) - 4; at++) {
			memcpy(doc, "<a>", 3);
			for (i = 3; i < sizeof(doc) - 4; i++)
				doc[i] = "\n\t  <b>x</b>\r\n"[i % 14];
			memcpy(doc + sizeof(doc) - 4, "</a>", 4);
			doc[at] = bad[b];
			decode_steps(&r, doc, sizeof(doc), 4096, NULL, NULL);
			cr_assert_eq(r.repaired, 1, "byte %zu", at);
			if (b == 0)
				snprintf(msg, sizeof(msg), "byte %zu: control character U+0001 removed", at);
			else
				snprintf(msg, sizeof(msg), "byte %zu:", at);
			cr_assert(strstr(r.diag.msg, msg), "byte %zu: %s", at, r.diag.msg);
			/* The control goes; the stray byte is read as windows-1252 (U+20AC, 3 bytes). */
			cr_assert_eq(r.text.size, b == 0 ? sizeof(doc) - 1 : sizeof(doc) + 2, "byte %zu: %zu bytes", at, r.text.size);
			fm_buf_dispose(&r.text);
		}
	}
}

Test(decode, c1_controls_read_as_windows_1252)
{
	/* U+0092 and U+0093 in UTF-8 are windows-1252 quotes that went through Latin-1: not a repair. */
	check_str("<a>don\xc2\x92t \xc2\x93x\xc2\x94 \xc2\xa0</a>",
		  "<a>don\xe2\x80\x99t \xe2\x80\x9cx\xe2\x80\x9d \xc2\xa0</a>", NULL, NULL, "utf-8", NULL);
}

Test(decode, c1_from_a_declared_charset_is_kept)
{
	/* A C1 control a declared charset maps to is that charset's own: kept, at every chunking. */
	check_str("<?xml version=\"1.0\" encoding=\"iso-8859-2\"?><a>x\x85y</a>",
		  "<?xml version=\"1.0\" encoding=\"iso-8859-2\"?><a>x\xc2\x85y</a>", NULL, NULL,
		  "iso-8859-2", NULL);
}

/*
 * Encodes UTF-8 text as charset (iconv), wraps it in an RSS item with no
 * charset declared, and checks the decoder's guess: its name (utf-8 with
 * a windows-1252 repair when it should not guess), the text read back, and
 * the repair that flags the guess, at every chunk size.
 */
static void
check_guess(const char *charset, const char *text, const char *want_enc)
{
	char head[] = "<rss><channel><item><description>", tail[] = "</description></item></channel></rss>";
	fm_buf in = FM_BUF_INIT, want = FM_BUF_INIT;
	char raw[4096], msg[128], *ip = (char *)text, *op = raw;
	size_t il = strlen(text), ol = sizeof(raw);
	iconv_t cd = iconv_open(charset, "UTF-8");
	int guessed = strcmp(want_enc, "utf-8") != 0;

	cr_assert_neq(cd, (iconv_t)-1, "iconv lacks %s", charset);
	cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1, "%s cannot encode the sample", charset);
	iconv_close(cd);
	cr_assert_eq(fm_buf_puts(&in, head), 0);
	cr_assert_eq(fm_buf_append(&in, raw, (size_t)(op - raw)), 0);
	cr_assert_eq(fm_buf_puts(&in, tail), 0);
	snprintf(msg, sizeof(msg), "no charset declared and the bytes are not UTF-8: guessed %s", want_enc);
	if (guessed) {
		cr_assert_eq(fm_buf_printf(&want, "%s%s%s", head, text, tail), 0);
		check_bytes(in.ptr, in.size, want.ptr, want.size, NULL, NULL, want_enc, msg);
	} else {
		struct decoded r;
		decode_steps(&r, in.ptr, in.size, 1, NULL, NULL);
		cr_assert_str_eq(r.encoding, "utf-8");
		cr_assert(r.repaired && strstr(r.diag.msg, "repaired as windows-1252"), "%s", r.diag.msg);
		fm_buf_dispose(&r.text);
	}
	fm_buf_dispose(&in);
	fm_buf_dispose(&want);
}

Test(decode, undeclared_legacy_charsets_are_guessed_and_flagged)
{
	static const char ko[] = "오늘은 날씨가 정말 좋습니다. 우리는 공원에서 산책을 하고 점심을 먹었습니다.";
	static const char ja[] = "今日はとても良い天気です。私たちは公園を散歩して、昼ご飯を食べました。";
	static const char hans[] = "今天天气很好，我们在公园里散步，然后一起吃了午饭。";
	static const char hant[] = "今天天氣很好，我們在公園裡散步，然後一起吃了午飯。";
	static const char ru[] = "Сегодня очень хорошая погода, и мы гуляли в парке, а потом обедали вместе.";
	static const char he[] = "היום מזג האוויר נעים מאוד, וטיילנו בפארק ואחר כך אכלנו ארוחת צהריים ביחד.";
	static const char th[] = "วันนี้อากาศดีมาก พวกเราไปเดินเล่นที่สวนสาธารณะและกินข้าวกลางวันด้วยกัน";

	check_guess("EUC-KR", ko, "euc-kr");
	/* Its first pair of bytes (C5 B8) is valid UTF-8 by chance: one sequence proves nothing. */
	check_guess("EUC-KR", "\xed\x83\x80\xec\x9d\xb4\xed\x8b\x80 " /* 타이틀 */ "오늘은 날씨가 정말 좋습니다. "
		    "우리는 공원에서 산책을 하고 점심을 먹었습니다.", "euc-kr");
	check_guess("SHIFT_JIS", ja, "shift_jis");
	check_guess("EUC-JP", ja, "euc-jp");
	check_guess("GB2312", hans, "gb2312");
	check_guess("BIG5", hant, "big5");
	check_guess("KOI8-R", ru, "koi8-r");
	check_guess("CP1251", ru, "windows-1251");
	check_guess("CP1255", he, "windows-1255");
	check_guess("TIS-620", th, "tis-620");
}

Test(decode, latin_text_is_not_guessed)
{
	/* A few accented letters inside words: windows-1252 repaired byte by byte, as before. */
	check_guess("CP1252", "Le caf\xc3\xa9 \xc3\xa9tait tr\xc3\xa8s bon, et nous avons mang\xc3\xa9 "
		    "une cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xc3\xa0 c\xc3\xb4t\xc3\xa9 de la fen\xc3\xaatre.",
		    "utf-8");
}

Test(decode, a_guess_needs_undeclared_non_utf8_bytes)
{
	/* UTF-8 is UTF-8; a declared charset is never second-guessed. */
	check_str("<r>\xec\x98\xa4\xeb\x8a\x98\xec\x9d\x80 \xb3\xaf</r>", "<r>\xec\x98\xa4\xeb\x8a\x98\xec\x9d\x80 \xc2\xb3\xc2\xaf</r>",
		  NULL, NULL, "utf-8", "byte 13: invalid UTF-8, repaired as windows-1252");
	check_str("<?xml version=\"1.0\" encoding=\"windows-1252\"?><r>\xbf\xc0\xb4\xc3\xc0\xba \xb3\xaf\xbe\xbe</r>",
		  "<?xml version=\"1.0\" encoding=\"windows-1252\"?><r>\xc2\xbf\xc3\x80\xc2\xb4\xc3\x83\xc3\x80\xc2\xba "
		  "\xc2\xb3\xc2\xaf\xc2\xbe\xc2\xbe</r>", NULL, NULL, "windows-1252", NULL);
	/* Too few characters to say: read as UTF-8 with the repair. */
	check_str("<r>\xb3\xaf</r>", "<r>\xc2\xb3\xc2\xaf</r>", NULL, NULL, "utf-8",
		  "byte 3: invalid UTF-8, repaired as windows-1252");
}
