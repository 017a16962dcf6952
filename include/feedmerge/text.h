/* text.h - item text for fingerprinting: HTML to text, normalisation, words. */
#ifndef FEEDMERGE_TEXT_H
#define FEEDMERGE_TEXT_H

#include "feedmerge/buf.h"

#include <stddef.h>

/**
 * Converts an HTML fragment (an item's summary or content) to plain text
 * and appends it to out. Tags are dropped; the contents of script, style,
 * noscript, template, head, figure captions (figcaption), nav, aside,
 * footer, form, button, select and iframe are dropped too; character
 * references (the full HTML5 named set, decimal, hex) are decoded; block
 * elements (p, div, br, li, h1-h6, blockquote, pre, tr, td, hr, section,
 * article, header, figure, dd, dt, ...) end a paragraph. Paragraphs are
 * separated by exactly one "\n", whitespace inside a paragraph collapses to
 * one space, and empty paragraphs are dropped. Invalid UTF-8 becomes
 * U+FFFD. Plain text without tags passes through (entities decoded).
 * @return 0 or FM_ENOMEM.
 */
int fm_text_from_html(fm_buf *out, const char *html, size_t len);

/**
 * Appends text normalised for comparison to out: Unicode compatibility
 * composition and case folding (NFKC_Casefold, utf8proc), marks stripped
 * (é -> e), every run of characters that are neither letters nor digits
 * turned into one space, except that an apostrophe or a period inside a
 * word or number is dropped ("don't" -> "dont", "U.S." -> "us", "3.5" ->
 * "35"); "\n" paragraph breaks are kept. Leading and trailing spaces of
 * each paragraph are trimmed.
 * @return 0 or FM_ENOMEM.
 */
int fm_text_normalise(fm_buf *out, const char *text, size_t len);

/**
 * Calls cb for every word of normalised text (as fm_text_normalise gives
 * it): runs of bytes between spaces and newlines. cb receives a pointer
 * into text (not NUL-terminated), its length and its paragraph's 0-based
 * index; a non-zero return stops the walk and is returned.
 * @return 0 or cb's value.
 */
int fm_text_words(const char *text, size_t len,
		  int (*cb)(void *ud, const char *word, size_t wlen, size_t para),
		  void *ud);

#endif
