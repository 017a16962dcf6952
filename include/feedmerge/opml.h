/* opml.h - subscription lists: reading OPML, writing the configured feeds as OPML 2.0. */
#ifndef FEEDMERGE_OPML_H
#define FEEDMERGE_OPML_H

#include "feedmerge/buf.h"
#include "feedmerge/config.h"
#include "feedmerge/error.h"

#include <stddef.h>

/** One feed of an OPML list; strings borrowed for the callback, any may be NULL but url. */
typedef struct fm_opml_feed {
	const char *url;      /**< xmlUrl */
	const char *title;    /**< title, else text */
	const char *site;     /**< htmlUrl */
	const char *category; /**< the titles of the enclosing outlines, joined by " / " */
} fm_opml_feed;

/**
 * Reads an OPML document (any charset: BOM, declaration, windows-1252
 * repair, as feeds) and calls cb for every outline with an xmlUrl, at any
 * depth, in document order. External entities are never loaded.
 * @param diag optional; on failure "line L, column C: what"
 * @return 0, cb's non-zero value, FM_EPARSE (not well-formed), FM_ENOTFEED
 *         (not OPML), FM_ECHARSET or FM_ENOMEM.
 */
int fm_opml_read(const char *data, size_t len,
		 int (*cb)(void *ud, const fm_opml_feed *feed), void *ud, fm_diag *diag);

/**
 * Appends the configured feeds as an OPML 2.0 document to out, in config
 * order (disabled ones too, marked with a category "disabled"). titles[i],
 * when not NULL, is feed i's own title (else its name). Deterministic.
 * @return 0 or FM_ENOMEM.
 */
int fm_opml_write(fm_buf *out, const fm_config *cfg, const char *const *titles);

/**
 * Writes into out (size bytes) a [feed NAME] name made from title, else
 * from url's host: lower case ASCII letters, digits, '.', '_', '-'; other
 * runs become '-'; at most 40 characters; "feed" when nothing is left.
 * @return out.
 */
char *fm_opml_name(char *out, size_t size, const char *title, const char *url);

#endif
