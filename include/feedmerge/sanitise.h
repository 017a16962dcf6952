/* sanitise.h - feed HTML made safe to show on a page of our own. */
#ifndef FEEDMERGE_SANITISE_H
#define FEEDMERGE_SANITISE_H

#include "feedmerge/buf.h"

#include <stddef.h>

/**
 * Appends a safe, balanced HTML fragment made from the feed HTML
 * html[0..len) (an item's summary or content) to out.
 *
 * Nothing of the input is copied as markup: the fragment is written anew
 * from an allowlist. Kept elements: p, br, a, em, strong, b, i, u, s, sub,
 * sup, code, pre, blockquote, ul, ol, li, and headings (h1 and h2 become
 * h3, h3-h6 stay). The only attribute kept is href on a, and only when
 * fm_sanitise_url() accepts it; such links get
 * rel="nofollow noopener noreferrer", others lose their tag and keep their
 * text. script, style, iframe, object, embed, form, svg, math, template,
 * noscript, textarea, select, button, audio, video, canvas and the like
 * are dropped with their content; comments, CDATA sections, doctypes and
 * processing instructions are dropped; every other tag is dropped and its
 * text kept (block ones such as div and td leave a space). Character
 * references are decoded and text is escaped again (&, <, >), control
 * characters dropped, malformed UTF-8 replaced by U+FFFD, white space
 * collapsed outside pre.
 *
 * Tags are balanced: end tags close only what the fragment opened (a stray
 * "</div>" is dropped), every open element is closed at the end, and
 * elements are nested the way an HTML parser keeps them (a block start
 * closes an open p and the inline elements around it; li only inside ul
 * or ol; no a inside a; at most 32 levels), so the fragment cannot close
 * or change the element it is put into.
 *
 * With max_chars > 0 the fragment holds at most about max_chars characters
 * of text: it is cut before the word that would pass the limit (inside a
 * single overlong word, at the limit), "…" marks the cut, and the open
 * elements are closed. Reading stops there, so a huge input costs no more
 * than the part kept. Time is linear in what is read; no recursion.
 *
 * @param out  receives the fragment (appended; on failure left as it was)
 * @param html borrowed; need not be NUL-terminated; NULL only with len 0
 * @param max_chars the text limit in characters, 0 for none
 * @param cut  optional; set to 1 when the text was cut, else 0
 * @return 0 or FM_ENOMEM.
 */
int fm_sanitise_html(fm_buf *out, const char *html, size_t len, size_t max_chars,
		     int *cut);

/**
 * Appends url[0..len) to out when it is safe to link to: an absolute http,
 * https or mailto URL (scheme in any case, written lower-case), or a
 * protocol-relative "//host/..." written as https. Character references
 * must already be decoded. As a browser does, leading and trailing spaces
 * and control characters are ignored and tab, LF and CR anywhere are
 * removed before the scheme is read, so "jav\tascript:" is javascript:
 * and refused. Refused: any other scheme (javascript:, data:, vbscript:,
 * file:, ...), relative URLs (they no longer have a base), and URLs that
 * still hold a control character or malformed UTF-8. out gets the URL as it is, unescaped.
 * @param url borrowed; need not be NUL-terminated
 * @return 1 when appended, 0 when refused (out untouched), or FM_ENOMEM.
 */
int fm_sanitise_url(fm_buf *out, const char *url, size_t len);

#endif
