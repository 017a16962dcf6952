/* opml_read.c - the feeds of an OPML subscription list. */
#include "feedmerge/opml.h"
#include "parse/decode.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Outlines deeper than this are read, but their titles no longer name categories. */
#define OPML_DEPTH 32

/* The reader's state while expat runs. */
struct opml_reader {
	XML_Parser xp;
	int (*cb)(void *ud, const fm_opml_feed *feed);
	void *ud;
	int seen_opml;              /* the root is <opml> */
	int depth;                  /* open outline elements */
	char *titles[OPML_DEPTH];   /* titles of the open outlines (categories) */
	fm_buf category;
	int rc;                     /* the callback's or ENOMEM, stops the parse */
};

/* Returns the value of attribute name (ASCII case-insensitive: readers write xmlUrl, xmlurl, XMLURL). */
static const char *
opml_attr(const XML_Char **atts, const char *name)
{
	for (; atts && atts[0]; atts += 2)
		if (!strcasecmp(atts[0], name))
			return atts[1] && *atts[1] ? atts[1] : NULL;
	return NULL;
}

/* Stops the parse with rc. */
static void
opml_stop(struct opml_reader *r, int rc)
{
	r->rc = rc;
	XML_StopParser(r->xp, XML_FALSE);
}

/* expat: an element opens. */
static void XMLCALL
opml_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct opml_reader *r = ud;
	const char *title, *url;
	fm_opml_feed f;
	int i, rc;

	if (!r->seen_opml) {
		if (strcasecmp(name, "opml")) {
			opml_stop(r, FM_ENOTFEED);
			return;
		}
		r->seen_opml = 1;
		return;
	}
	if (strcasecmp(name, "outline"))
		return;
	title = opml_attr(atts, "title");
	if (!title)
		title = opml_attr(atts, "text");
	if ((url = opml_attr(atts, "xmlUrl"))) {
		fm_buf_clear(&r->category);
		for (i = 0; i < r->depth && i < OPML_DEPTH; i++) {
			if (!r->titles[i])
				continue;
			if ((r->category.size && fm_buf_puts(&r->category, " / ")) ||
			    fm_buf_puts(&r->category, r->titles[i])) {
				opml_stop(r, FM_ENOMEM);
				return;
			}
		}
		f.url = url;
		f.title = title;
		f.site = opml_attr(atts, "htmlUrl");
		f.category = r->category.size ? r->category.ptr : NULL;
		if ((rc = r->cb(r->ud, &f))) {
			opml_stop(r, rc);
			return;
		}
	}
	/* An outline without a feed is a folder: its title names a category. */
	if (r->depth < OPML_DEPTH) {
		r->titles[r->depth] = NULL;
		if (!url && title && !(r->titles[r->depth] = strdup(title))) {
			opml_stop(r, FM_ENOMEM);
			return;
		}
	}
	r->depth++;
}

/* expat: an element closes. */
static void XMLCALL
opml_end(void *ud, const XML_Char *name)
{
	struct opml_reader *r = ud;

	if (strcasecmp(name, "outline") || !r->depth)
		return;
	r->depth--;
	if (r->depth < OPML_DEPTH) {
		free(r->titles[r->depth]);
		r->titles[r->depth] = NULL;
	}
}

/* Decoder sink: UTF-8 into expat. */
static int
opml_sink(const char *utf8, size_t len, void *ud)
{
	struct opml_reader *r = ud;

	if (XML_Parse(r->xp, utf8, (int)len, XML_FALSE) == XML_STATUS_ERROR)
		return r->rc ? r->rc : FM_EPARSE;
	return 0;
}

/* Says where and why the document broke. */
static void
opml_error(struct opml_reader *r, int rc, fm_diag *diag)
{
	if (rc == FM_ENOTFEED)
		fm_diag_set(diag, 0, 0, "not an OPML document (the root element is not <opml>)");
	else if (rc == FM_EPARSE)
		fm_diag_set(diag, (unsigned long)XML_GetCurrentLineNumber(r->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1,
			    "line %lu, column %lu: %s", (unsigned long)XML_GetCurrentLineNumber(r->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1,
			    XML_ErrorString(XML_GetErrorCode(r->xp)));
	else if (rc == FM_ECHARSET)
		fm_diag_set(diag, 0, 0, "unknown character set");
}

int
fm_opml_read(const char *data, size_t len, int (*cb)(void *ud, const fm_opml_feed *feed),
	     void *ud, fm_diag *diag)
{
	struct opml_reader r;
	fm__decoder *d = NULL;
	int rc, i;

	memset(&r, 0, sizeof r);
	r.cb = cb;
	r.ud = ud;
	/* The decoder hands expat UTF-8 whatever the document declares. */
	if (!(r.xp = XML_ParserCreate("UTF-8")))
		return FM_ENOMEM;
	XML_SetUserData(r.xp, &r);
	XML_SetElementHandler(r.xp, opml_start, opml_end);
	if (!(rc = fm__decoder_new(&d, NULL, NULL)) &&
	    !(rc = fm__decoder_push(d, data, len, opml_sink, &r)) &&
	    !(rc = fm__decoder_finish(d, opml_sink, &r)) &&
	    XML_Parse(r.xp, "", 0, XML_TRUE) == XML_STATUS_ERROR)
		rc = r.rc ? r.rc : FM_EPARSE;
	if (!rc && !r.seen_opml)
		rc = FM_ENOTFEED;
	if (rc)
		opml_error(&r, rc, diag);
	for (i = 0; i < OPML_DEPTH; i++)
		free(r.titles[i]);
	fm_buf_dispose(&r.category);
	fm__decoder_free(d);
	XML_ParserFree(r.xp);
	return rc;
}
