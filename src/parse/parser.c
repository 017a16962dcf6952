/*
 * parser.c - the push parser: raw bytes in, items out.
 *
 * Bytes go through the charset decoder (decode.c), which hands clean UTF-8
 * on. The first few hundred decoded bytes say what the document is: XML
 * goes to expat and the feed model (model.c), JSON to the JSON Feed reader
 * (jsonfeed.c), anything else is "not a feed".
 *
 * When expat stops on a well-formedness error, every item completed so far
 * has already been delivered. The parser keeps the UTF-8 since the last
 * checkpoint (the start of the open item, or the end of the last one),
 * winds the model back to that point and hands the rest of the document to
 * the forgiving tokenizer (recover.c), which drives the same model.
 */
#include "feedmerge/parse.h"
#include "parse/decode.h"
#include "parse/entities.h"
#include "parse/jsonfeed.h"
#include "parse/model.h"
#include "parse/recover.h"
#include "parse/url.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

/* How many decoded bytes are looked at before deciding what the document is. */
#define PARSER_SNIFF 512
/* Beyond this many bytes since the last checkpoint, recovery is given up. */
#define PARSER_KEEP_MIN ((size_t)16 << 20)

enum { MODE_SNIFF, MODE_XML, MODE_RECOVER, MODE_JSON, MODE_DONE };

struct fm_parser {
	char *url, *content_type, *content_location, *encoding;
	char *base;               /* content_location resolved against url, or url */
	fm_parse_limits limits;
	fm_item_cb on_item;
	fm_feed_cb on_feed;
	void *payload;

	fm__decoder *dec;
	int mode;
	int status;               /* 0, or the code that ended the parse */
	int finished;
	int implied_ascii;        /* text/xml without a charset (RFC 3023): us-ascii if it is ASCII */
	int saw_high;             /* a byte >= 0x80 was pushed */
	fm_buf sniff;

	XML_Parser xp;
	fm__model model;
	int model_ready;
	int text_on;              /* expat has the text handler */
	fm__recover *rec;
	fm__jsonfeed *json;
	size_t json_items;
	fm_feed json_feed;        /* strings borrowed from json */

	/* Recovery: the UTF-8 fed to expat since the checkpoint. */
	fm_buf kept;
	uint64_t kept_at;         /* stream offset of kept.ptr[0] */
	uint64_t fed;             /* bytes fed to expat so far */
	uint64_t ckpt;            /* stream offset of the checkpoint */
	size_t ckpt_depth;        /* model depth at the checkpoint */
	int kept_lost;            /* kept grew past its cap: no recovery */
	fm_diag xml_error;
	unsigned long root_end_line;   /* where the root element's end tag ends, */
	unsigned long root_end_col;    /* 1-based; 0: not ended yet */
	int xml_failed;

	fm_parse_result res;
};

const char *
fm_format_name(fm_format format)
{
	static const char *const names[] = {
		[FM_FORMAT_NONE] = "", [FM_FORMAT_RSS090] = "rss0.90",
		[FM_FORMAT_RSS091U] = "rss0.91u", [FM_FORMAT_RSS091N] = "rss0.91n",
		[FM_FORMAT_RSS092] = "rss0.92", [FM_FORMAT_RSS093] = "rss0.93",
		[FM_FORMAT_RSS094] = "rss0.94", [FM_FORMAT_RSS20] = "rss2.0",
		[FM_FORMAT_RSS] = "rss", [FM_FORMAT_RSS10] = "rss1.0",
		[FM_FORMAT_ATOM03] = "atom0.3", [FM_FORMAT_ATOM10] = "atom1.0",
		[FM_FORMAT_ATOM] = "atom", [FM_FORMAT_JSONFEED] = "jsonfeed", [FM_FORMAT_CDF] = "cdf",
	};

	if ((unsigned)format >= sizeof(names) / sizeof(names[0]))
		return "";
	return names[format];
}

const char *
fm_text_type_name(fm_text_type type)
{
	switch (type) {
	case FM_TEXT_HTML: return "text/html";
	case FM_TEXT_XHTML: return "application/xhtml+xml";
	default: return "text/plain";
	}
}

/* Ends the parse with status and a message, unless it has ended already. */
static void
parser_end(fm_parser *p, int status, const fm_diag *diag)
{
	if (p->status)
		return;
	if (p->mode == MODE_JSON && p->json) {
		/* The JSON reader delivers during push: keep its count and feed now. */
		fm__jsonfeed_finish(p->json, &p->json_feed, &p->json_items, NULL);
		p->model.format = p->json_feed.format;
	}
	p->status = status;
	p->mode = MODE_DONE;
	if (diag)
		p->res.diag = *diag;
}

/* Copies the model's status, if it has one, into the parser's. */
static void
parser_take_model_status(fm_parser *p)
{
	if (p->model.status)
		parser_end(p, p->model.status, &p->model.diag);
}

/* --- expat handlers ------------------------------------------------------ */

/* Returns expat's current line, for the model's messages. */
static unsigned long
parser_xml_line(void *ctx)
{
	return (unsigned long)XML_GetCurrentLineNumber(ctx);
}

static void parser_xml_text(void *ud, const XML_Char *s, int len);

/*
 * Gives expat a text handler only while the model captures a field: the
 * text between elements (indentation, fields nobody reads) then costs no
 * call at all.
 */
static void
parser_xml_want_text(fm_parser *p)
{
	int want = fm__model_wants_text(&p->model);

	if (want != p->text_on) {
		XML_SetCharacterDataHandler(p->xp, want ? parser_xml_text : NULL);
		p->text_on = want;
	}
}

static void
parser_xml_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	fm_parser *p = ud;
	int was_in_item = p->model.in_item;

	fm__model_start(&p->model, name, atts);
	if (p->model.status) {
		XML_StopParser(p->xp, XML_FALSE);
		return;
	}
	if (!was_in_item && p->model.in_item) {
		p->ckpt = (uint64_t)XML_GetCurrentByteIndex(p->xp);
		p->ckpt_depth = p->model.depth - 1;
	}
	parser_xml_want_text(p);
}

static void
parser_xml_end(void *ud, const XML_Char *name)
{
	fm_parser *p = ud;
	int was_in_item = p->model.in_item;

	fm__model_end(&p->model, name);
	if (p->model.status) {
		XML_StopParser(p->xp, XML_FALSE);
		return;
	}
	if (was_in_item && !p->model.in_item) {
		p->ckpt = (uint64_t)XML_GetCurrentByteIndex(p->xp) +
			  (uint64_t)XML_GetCurrentByteCount(p->xp);
		p->ckpt_depth = p->model.depth;
	}
	if (!p->model.depth) {
		p->root_end_line = (unsigned long)XML_GetCurrentLineNumber(p->xp);
		p->root_end_col = (unsigned long)XML_GetCurrentColumnNumber(p->xp) +
				  (unsigned long)XML_GetCurrentByteCount(p->xp) + 1;
	}
	parser_xml_want_text(p);
}

static void
parser_xml_text(void *ud, const XML_Char *s, int len)
{
	fm_parser *p = ud;

	fm__model_text(&p->model, s, (size_t)len);
	if (p->model.status)
		XML_StopParser(p->xp, XML_FALSE);
}

static void
parser_xml_ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
	fm__model_ns_start(&((fm_parser *)ud)->model, prefix, uri);
}

static void
parser_xml_ns_end(void *ud, const XML_Char *prefix)
{
	fm__model_ns_end(&((fm_parser *)ud)->model, prefix);
}

/* Notes a Netscape RSS 0.91 DOCTYPE, the one way to tell it from UserLand's. */
static void
parser_xml_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		   const XML_Char *pubid, int has_internal_subset)
{
	fm_parser *p = ud;

	if ((pubid && strstr(pubid, "Netscape")) || (sysid && strstr(sysid, "netscape")))
		p->model.netscape = 1;
}

/*
 * An entity expat knows no declaration for: HTML's named entities, which
 * feeds use without a DTD. Unknown names are kept as written.
 */
static void
parser_xml_skipped(void *ud, const XML_Char *name, int is_param)
{
	const char *utf8;
	size_t len;

	if (is_param)
		return;
	if ((utf8 = fm__html_entity(name, strlen(name), &len))) {
		parser_xml_text(ud, utf8, (int)len);
	} else {
		parser_xml_text(ud, "&", 1);
		parser_xml_text(ud, name, (int)strlen(name));
		parser_xml_text(ud, ";", 1);
	}
}

/*
 * External entities are never loaded (no XXE, no network). The one call
 * with no system id is the foreign DTD we asked for: reading it as empty
 * tells expat the document has an external subset it has not seen, so
 * undeclared entities go to parser_xml_skipped instead of failing.
 */
static int
parser_xml_external(XML_Parser xp, const XML_Char *context, const XML_Char *base,
		    const XML_Char *sysid, const XML_Char *pubid)
{
	XML_Parser ext;

	if (sysid || pubid)
		return XML_STATUS_OK;
	if (!(ext = XML_ExternalEntityParserCreate(xp, context, NULL)))
		return XML_STATUS_ERROR;
	XML_Parse(ext, "", 0, 1);
	XML_ParserFree(ext);
	return XML_STATUS_OK;
}

/* --- recovery ------------------------------------------------------------ */

static void
parser_rec_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	fm_parser *p = ud;

	fm__model_start(&p->model, name, atts);
	if (p->model.status)
		fm__recover_stop(p->rec);
}

static void
parser_rec_end(void *ud, const XML_Char *name)
{
	fm_parser *p = ud;

	fm__model_end(&p->model, name);
	if (p->model.status)
		fm__recover_stop(p->rec);
}

static void
parser_rec_text(void *ud, const XML_Char *s, int len)
{
	fm_parser *p = ud;

	fm__model_text(&p->model, s, (size_t)len);
	if (p->model.status)
		fm__recover_stop(p->rec);
}

/*
 * Switches from expat to the recovery tokenizer after a well-formedness
 * error, replaying the input since the checkpoint: kept bytes, then the
 * part of the current chunk expat had (len 0 at the end of input).
 * Returns 0 or a negative code.
 */
static int
parser_recover(fm_parser *p, const char *chunk, size_t len, uint64_t chunk_at)
{
	fm__recover_handlers h = { parser_rec_start, parser_rec_end, parser_rec_text, p };
	fm__ns_binding *bind = NULL;
	size_t i, n = 0, skip;
	int error = 0;

	/*
	 * Past the root element, where expat notices junk depends on where the
	 * chunks end: every such error is reported where the root ended.
	 */
	if (p->root_end_col)
		fm_diag_set(&p->xml_error, p->root_end_line, p->root_end_col,
			    "line %lu, column %lu: %s", p->root_end_line, p->root_end_col,
			    XML_ErrorString(XML_ERROR_JUNK_AFTER_DOC_ELEMENT));
	else
		fm_diag_set(&p->xml_error, XML_GetCurrentLineNumber(p->xp),
			    XML_GetCurrentColumnNumber(p->xp) + 1, "line %lu, column %lu: %s",
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
			    XML_ErrorString(XML_GetErrorCode(p->xp)));
	p->xml_failed = 1;
	if (p->kept_lost) {
		p->mode = MODE_DONE;
		return 0;
	}
	fm__model_rollback(&p->model, p->ckpt_depth);
	p->model.lenient = 1;
	p->model.line = NULL;
	if (p->model.nbind && !(bind = calloc(p->model.nbind, sizeof(*bind))))
		return FM_ENOMEM;
	for (i = 0; i < p->model.nbind; i++) {
		bind[n].prefix = p->model.bind[i].prefix;
		bind[n++].uri = p->model.bind[i].uri;
	}
	error = fm__recover_new(&p->rec, &h, bind, n, p->limits.max_field);
	free(bind);
	if (error < 0)
		return error;
	p->mode = MODE_RECOVER;
	if (p->ckpt < chunk_at) {
		skip = (size_t)(p->ckpt - p->kept_at);
		error = fm__recover_push(p->rec, p->kept.ptr + skip, p->kept.size - skip);
		if (error == 0)
			error = fm__recover_push(p->rec, chunk, len);
	} else {
		skip = (size_t)(p->ckpt - chunk_at);
		error = fm__recover_push(p->rec, chunk + skip, len - skip);
	}
	fm_buf_dispose(&p->kept);
	return error == FM_ESTOPPED ? 0 : error;
}

/* Keeps the bytes of a chunk expat has parsed that lie past the checkpoint. */
static void
parser_keep(fm_parser *p, const char *chunk, size_t len, uint64_t chunk_at)
{
	size_t drop;

	if (p->kept_lost)
		return;
	if (p->ckpt >= chunk_at) {
		fm_buf_clear(&p->kept);
		drop = (size_t)(p->ckpt - chunk_at);
		if (fm_buf_append(&p->kept, chunk + drop, len - drop) < 0)
			p->kept_lost = 1;
	} else {
		drop = (size_t)(p->ckpt - p->kept_at);
		if (drop) {
			memmove(p->kept.ptr, p->kept.ptr + drop, p->kept.size - drop);
			p->kept.size -= drop;
		}
		if (fm_buf_append(&p->kept, chunk, len) < 0)
			p->kept_lost = 1;
	}
	p->kept_at = p->ckpt;
	if (p->kept.size > PARSER_KEEP_MIN && p->kept.size > 4 * p->limits.max_field)
		p->kept_lost = 1;
	if (p->kept_lost)
		fm_buf_dispose(&p->kept);
}

/* Feeds UTF-8 to expat (len 0 and final at the end); returns 0 or a negative code. */
static int
parser_xml_feed(fm_parser *p, const char *s, size_t len, int final)
{
	uint64_t at = p->fed;
	size_t n;

	do {
		/* expat takes an int length: feed huge chunks in pieces. */
		n = len > (1u << 30) ? (1u << 30) : len;
		p->fed += n;
		if (XML_Parse(p->xp, s, (int)n, final && n == len) == XML_STATUS_ERROR) {
			parser_take_model_status(p);
			if (p->status)
				return 0;
			return parser_recover(p, s, len, at);
		}
		parser_keep(p, s, n, at);
		s += n;
		len -= n;
		at += n;
	} while (len);
	return 0;
}

static unsigned long parser_salt;

/* Draws the process's hash salt from the kernel (the clock and an address if it cannot). */
static void
parser_salt_draw(void)
{
	if (getrandom(&parser_salt, sizeof parser_salt, 0) != (ssize_t)sizeof parser_salt)
		parser_salt = (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)&parser_salt;
	parser_salt |= 1; /* expat takes 0 for "none set" */
}

/*
 * The salt of expat's hash tables (its defence against names made to
 * collide): one random value for the process. Left unset, expat draws
 * one from the kernel for every document, 1% of `parse` over 600 real
 * feeds.
 */
static unsigned long
parser_hash_salt(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, parser_salt_draw);
	return parser_salt;
}

/* Makes the expat parser; returns 0 or FM_ENOMEM. */
static int
parser_xml_begin(fm_parser *p)
{
	/* Forcing UTF-8 overrides the declaration: the decoder has converted already. */
	if (!(p->xp = XML_ParserCreateNS("UTF-8", FM_NS_SEP)))
		return FM_ENOMEM;
	XML_SetHashSalt(p->xp, parser_hash_salt());
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, parser_xml_start, parser_xml_end);
	/* The text handler is set while a field is captured (parser_xml_want_text). */
	XML_SetNamespaceDeclHandler(p->xp, parser_xml_ns_start, parser_xml_ns_end);
	XML_SetStartDoctypeDeclHandler(p->xp, parser_xml_doctype);
	XML_SetSkippedEntityHandler(p->xp, parser_xml_skipped);
	XML_SetExternalEntityRefHandler(p->xp, parser_xml_external);
	XML_SetParamEntityParsing(p->xp, XML_PARAM_ENTITY_PARSING_ALWAYS);
	XML_UseForeignDTD(p->xp, XML_TRUE);
	p->model.line = parser_xml_line;
	p->model.line_ctx = p->xp;
	p->mode = MODE_XML;
	return 0;
}

/* --- dispatch ------------------------------------------------------------ */

/* Returns 1 when s starts, case-insensitively, with prefix. */
static int
parser_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !strncasecmp(s, prefix, n);
}

/* Returns the first occurrence of needle in s[0..len), or NULL. */
static const char *
parser_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, n))
			return s + i;
	return NULL;
}

/*
 * Returns 1 when the start of a document is an HTML page's: its first
 * element is <html>, or an HTML DOCTYPE comes with no element after it in
 * the bytes sniffed. A feed under a stray HTML DOCTYPE (<rss> after it) is
 * read as the feed it is.
 */
static int
parser_looks_html(const char *s, size_t len)
{
	const char *end;
	int doctype = 0;

	for (;;) {
		while (len && isspace((unsigned char)*s))
			s++, len--;
		if (parser_starts(s, len, "<?") || parser_starts(s, len, "<!--")) {
			const char *close = s[1] == '?' ? "?>" : "-->";
			if (!(end = parser_find(s, len, close)))
				return doctype;
			len -= (size_t)(end - s) + strlen(close);
			s = end + strlen(close);
			continue;
		}
		if (!doctype && parser_starts(s, len, "<!doctype html")) {
			doctype = 1;
			if (!(end = memchr(s, '>', len)))
				return 1;
			len -= (size_t)(end - s) + 1;
			s = end + 1;
			continue;
		}
		break;
	}
	if (parser_starts(s, len, "<html") && len > 5 && (isspace((unsigned char)s[5]) || s[5] == '>'))
		return 1;
	return doctype && (len < 2 || s[0] != '<' || !isalpha((unsigned char)s[1]));
}

/* Decides what the document is from its first bytes; returns 0 or a negative code. */
static int
parser_classify(fm_parser *p)
{
	const char *s = fm_buf_cstr(&p->sniff);
	size_t len = p->sniff.size, i, n;
	fm_diag d = { 0, 0, "" };
	char shown[40];

	/* Decide on exactly the first PARSER_SNIFF bytes, however many a push brought. */
	if (len > PARSER_SNIFF)
		len = PARSER_SNIFF;

	if (len == 0) {
		fm_diag_set(&d, 0, 0, "not a feed: the document is empty");
		parser_end(p, FM_ENOTFEED, &d);
		return 0;
	}
	if (s[0] == '{' || s[0] == '[') {
		p->mode = MODE_JSON;
		return fm__jsonfeed_new(&p->json, p->base, &p->limits, p->on_item, p->payload);
	}
	if (s[0] == '<') {
		if (parser_looks_html(s, len)) {
			fm_diag_set(&d, 1, 1, "not a feed: looks like an HTML page");
			parser_end(p, FM_ENOTFEED, &d);
			return 0;
		}
		return parser_xml_begin(p);
	}
	for (i = n = 0; i < len && n < sizeof(shown) - 1 && s[i] != '\n'; i++)
		shown[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	shown[n] = '\0';
	fm_diag_set(&d, 1, 1, "not a feed: neither XML nor JSON (starts with \"%s\")", shown);
	parser_end(p, FM_ENOTFEED, &d);
	return 0;
}

/* Hands decoded UTF-8 to whatever reads the document; returns 0 or a negative code. */
static int
parser_route(fm_parser *p, const char *s, size_t len)
{
	int error;
	fm_diag d;

	switch (p->mode) {
	case MODE_XML:
		return parser_xml_feed(p, s, len, 0);
	case MODE_RECOVER:
		error = fm__recover_push(p->rec, s, len);
		return error == FM_ESTOPPED ? 0 : error;
	case MODE_JSON:
		memset(&d, 0, sizeof(d));
		if ((error = fm__jsonfeed_push(p->json, s, len, &d)) < 0) {
			parser_end(p, error, &d);
			return 0;
		}
		return 0;
	default:
		return 0;
	}
}

/* The decoder's sink: sniffs the first bytes, then routes. */
static int
parser_decoded(const char *s, size_t len, void *payload)
{
	fm_parser *p = payload;
	int error;

	if (p->mode == MODE_SNIFF) {
		if (fm_buf_append(&p->sniff, s, len) < 0)
			return FM_ENOMEM;
		if (p->sniff.size < PARSER_SNIFF)
			return 0;
		if ((error = parser_classify(p)) < 0)
			return error;
		error = parser_route(p, p->sniff.ptr, p->sniff.size);
		fm_buf_dispose(&p->sniff);
	} else {
		error = parser_route(p, s, len);
	}
	parser_take_model_status(p);
	return error;
}

/*
 * Decides what a document shorter than the sniff window is, at the end of
 * its input (or where a byte limit cut it), and reads what was sniffed.
 */
static void
parser_flush_sniff(fm_parser *p)
{
	int error;

	if (p->status || p->mode != MODE_SNIFF)
		return;
	if ((error = parser_classify(p)) < 0 ||
	    (error = parser_route(p, fm_buf_cstr(&p->sniff), p->sniff.size)) < 0)
		parser_end(p, error, NULL);
	parser_take_model_status(p);
}

/* --- public API ---------------------------------------------------------- */

/* Copies s (NULL and "" give NULL); returns 0 or FM_ENOMEM. */
static int
parser_strdup(char **out, const char *s)
{
	*out = NULL;
	if (s && *s && !(*out = strdup(s)))
		return FM_ENOMEM;
	return 0;
}

/*
 * Returns 1 when a Content-Type's media type is text/xml or text/...+xml:
 * RFC 3023 3.1 makes such a document us-ascii unless the header names a
 * charset, whatever its XML declaration says. Real servers send text/xml
 * for documents in every charset, so the parser only reports us-ascii
 * when the bytes are ASCII; otherwise the document's own declaration
 * decides, as it would have (feedparser falls back the same way).
 */
static int
parser_text_xml(const char *ctype)
{
	size_t n = strcspn(ctype, "; \t");

	if (n < 8 || strncasecmp(ctype, "text/", 5))
		return 0;
	if (n == 31 && !strncasecmp(ctype, "text/xml-external-parsed-entity", 31))
		return 1;
	return !strncasecmp(ctype + n - 4, "/xml", 4) || !strncasecmp(ctype + n - 4, "+xml", 4);
}

/* Returns the charset parameter of a Content-Type value, copied into buf, or NULL. */
static const char *
parser_charset(const char *ctype, char *buf, size_t size)
{
	const char *s;
	size_t n = 0;

	if (!ctype)
		return NULL;
	/* "charset", then "=" with optional space around it (RFC 7231 allows none; servers send it). */
	for (s = ctype; *s; s++) {
		if (strncasecmp(s, "charset", 7))
			continue;
		s += 7;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '=')
			break;
	}
	if (!*s)
		return NULL;
	s++;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '"' || *s == '\'')
		s++;
	while (*s && *s != '"' && *s != '\'' && *s != ';' && !isspace((unsigned char)*s) && n + 1 < size)
		buf[n++] = *s++;
	buf[n] = '\0';
	return n ? buf : NULL;
}

int
fm_parser_new(fm_parser **out, const fm_parse_opts *opts,
	      fm_item_cb on_item, fm_feed_cb on_feed, void *payload)
{
	fm_parse_opts none;
	fm_parser *p;
	fm_buf base = FM_BUF_INIT;
	const char *http_cs;
	char cs[64];
	int error;

	*out = NULL;
	if (!opts) {
		memset(&none, 0, sizeof(none));
		opts = &none;
	}
	if (!(p = calloc(1, sizeof(*p))))
		return FM_ENOMEM;
	p->on_item = on_item;
	p->on_feed = on_feed;
	p->payload = payload;
	p->limits = opts->limits;
	if (!p->limits.max_bytes) p->limits.max_bytes = FM_PARSE_MAX_BYTES;
	if (!p->limits.max_items) p->limits.max_items = FM_PARSE_MAX_ITEMS;
	if (!p->limits.max_field) p->limits.max_field = FM_PARSE_MAX_FIELD;
	if (!p->limits.max_depth) p->limits.max_depth = FM_PARSE_MAX_DEPTH;
	if ((error = parser_strdup(&p->url, opts->url)) < 0 ||
	    (error = parser_strdup(&p->content_type, opts->content_type)) < 0 ||
	    (error = parser_strdup(&p->content_location, opts->content_location)) < 0 ||
	    (error = parser_strdup(&p->encoding, opts->encoding)) < 0)
		goto fail;
	/*
	 * RFC 2616 14.14: Content-Location, resolved against the request URL,
	 * is the base, unless it is unsafe (javascript: and the like).
	 */
	if (p->content_location && fm__url_is_safe_base(p->content_location)) {
		if ((error = fm__url_resolve(&base, p->url, p->content_location)) < 0)
			goto fail;
		p->base = fm_buf_detach(&base);
	} else if ((error = parser_strdup(&p->base, p->url)) < 0) {
		goto fail;
	}
	http_cs = parser_charset(p->content_type, cs, sizeof(cs));
	p->implied_ascii = !http_cs && p->content_type && parser_text_xml(p->content_type);
	if ((error = fm__decoder_new(&p->dec, http_cs, p->encoding)) < 0)
		goto fail;
	if ((error = fm__model_init(&p->model, p->base, opts->content_language, &p->limits,
				    on_item, payload)) < 0)
		goto fail;
	p->model_ready = 1;
	*out = p;
	return 0;
fail:
	fm_buf_dispose(&base);
	fm_parser_free(p);
	return error;
}

int
fm_parser_push(fm_parser *p, const void *data, size_t len)
{
	size_t room;
	int error;
	fm_diag d;

	if (p->status || p->finished)
		return p->status;
	room = p->limits.max_bytes - p->res.bytes;
	if (len > room) {
		/* Read what fits, as if the document ended there, then stop. */
		p->res.bytes += room;
		if ((error = fm__decoder_push(p->dec, data, room, parser_decoded, p)) < 0 ||
		    (error = fm__decoder_finish(p->dec, parser_decoded, p)) < 0)
			parser_end(p, error, NULL);
		parser_flush_sniff(p);
		fm_diag_set(&d, 0, 0, "the document is larger than %zu bytes", p->limits.max_bytes);
		parser_end(p, FM_ELIMIT, &d);
		return p->status;
	}
	p->res.bytes += len;
	if (p->implied_ascii && !p->saw_high) {
		const unsigned char *b = data;
		size_t i;
		for (i = 0; i < len && b[i] < 0x80; i++)
			;
		p->saw_high = i < len;
	}
	if ((error = fm__decoder_push(p->dec, data, len, parser_decoded, p)) < 0)
		parser_end(p, error, NULL);
	return p->status;
}

/* Ends the XML or JSON reader at the end of input. */
static void
parser_finish_reader(fm_parser *p)
{
	fm_diag d;
	int error = 0;

	switch (p->mode) {
	case MODE_XML:
	case MODE_RECOVER:
		/* expat may fail on the very last bytes: then recovery takes the end. */
		if (p->mode == MODE_XML && (error = parser_xml_feed(p, "", 0, 1)) < 0)
			break;
		if (p->mode != MODE_RECOVER)
			break;
		if ((error = fm__recover_finish(p->rec)) == FM_ESTOPPED)
			error = 0;
		fm__model_close_all(&p->model);
		break;
	case MODE_JSON:
		memset(&d, 0, sizeof(d));
		error = fm__jsonfeed_finish(p->json, &p->json_feed, &p->json_items, &d);
		p->model.format = p->json_feed.format;
		if (error < 0)
			parser_end(p, error, &d);
		error = 0;
		break;
	default:
		break;
	}
	if (error < 0)
		parser_end(p, error, NULL);
	parser_take_model_status(p);
}

int
fm_parser_finish(fm_parser *p)
{
	fm_feed feed;
	fm_diag repair;
	int error;

	if (p->finished)
		return p->status < 0 ? p->status : p->res.bozo;
	p->finished = 1;
	if (!p->status) {
		if ((error = fm__decoder_finish(p->dec, parser_decoded, p)) < 0)
			parser_end(p, error, NULL);
		parser_flush_sniff(p);
	}
	if (p->mode != MODE_DONE)
		parser_finish_reader(p);

	p->res.format = p->model.format;
	snprintf(p->res.encoding, sizeof(p->res.encoding), "%s",
		 p->implied_ascii && !p->saw_high && p->res.bytes ? "us-ascii" :
		 fm__decoder_encoding(p->dec) ? fm__decoder_encoding(p->dec) : "");
	p->res.items = p->json ? p->json_items : p->model.items;
	p->res.status = p->status;
	p->res.warnings = p->model.warnings;
	p->res.warning = p->model.warning;
	p->res.recovered = p->xml_failed;
	if (p->status == FM_ENOTFEED)
		p->res.format = FM_FORMAT_NONE;
	memset(&repair, 0, sizeof(repair));
	if (p->xml_failed) {
		p->res.bozo = 1;
		if (!p->status)
			p->res.diag = p->xml_error;
	}
	/*
	 * A charset repair counts only when the whole input was read: once a
	 * parse has ended early, how far past that point the decoder got
	 * depends on the chunking, and the result must not.
	 */
	if (!p->status && fm__decoder_repaired(p->dec, &repair)) {
		p->res.bozo = 1;
		if (!p->xml_failed)
			p->res.diag = repair;
	}
	if (p->res.format != FM_FORMAT_NONE && p->status != FM_ESTOPPED && p->on_feed) {
		if (p->json) {
			feed = p->json_feed;
			feed.hints = (fm_feed_hints)FM_FEED_HINTS_NONE; /* JSON Feed has none */
		} else {
			fm__model_feed(&p->model, &feed);
		}
		feed.format = p->res.format;
		if (p->on_feed(&feed, p->payload) && !p->status)
			p->res.status = p->status = FM_ESTOPPED;
	}
	return p->status < 0 ? p->status : p->res.bozo;
}

const fm_parse_result *
fm_parser_result(const fm_parser *p)
{
	return &p->res;
}

void
fm_parser_free(fm_parser *p)
{
	if (!p)
		return;
	if (p->xp)
		XML_ParserFree(p->xp);
	fm__recover_free(p->rec);
	fm__jsonfeed_free(p->json);
	if (p->model_ready)
		fm__model_dispose(&p->model);
	fm__decoder_free(p->dec);
	fm_buf_dispose(&p->sniff);
	fm_buf_dispose(&p->kept);
	free(p->url);
	free(p->content_type);
	free(p->content_location);
	free(p->encoding);
	free(p->base);
	free(p);
}
