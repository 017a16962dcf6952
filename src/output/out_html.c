/*
 * out_html.c - the merged stories as one static HTML page (the river): a
 * header with the output's title and the newest entry's time, then one
 * story per entry with its title (linking to the representative), its
 * time, a short sanitised text, and every outlet that carried it.
 *
 * The page needs no script. Times are written as <time datetime=RFC 3339>
 * with a UTC text; one small script of our own (river.js) rewrites them in
 * the reader's time zone and language. The Content-Security-Policy allows
 * that script and our stylesheet (river.css) by their SHA-256, computed
 * when the library is built (CMakeLists.txt), and nothing else: no other
 * script, style, image, font, frame, form target or base URL. Feed text
 * carries no images (fm_sanitise_html drops img), so reading the page
 * asks no third party for anything.
 */
#include "output/output_int.h"
#include "output/river_assets.h"
#include "feedmerge/date.h"
#include "feedmerge/sanitise.h"
#include "feedmerge/version.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* How many characters of a story's text the page shows at most. */
#define HTML_TEXT_CHARS 480

/* Room for the base64 of a SHA-256 digest: 44 characters and a NUL. */
#define HTML_B64_SHA256_BUFSZ 45

/* Returns the value of the lower-case hex digit c (CMake writes them so), or 0. */
static unsigned
html_hex(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	return 0;
}

/* Writes the 64 hex digits of a SHA-256 digest as base64 (RFC 4648, padded), as CSP hash sources want it; returns out. */
static char *
html_sha256_b64(char out[HTML_B64_SHA256_BUFSZ], const char *hex)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char d[33] = { 0 };
	size_t i, o = 0;

	for (i = 0; i < 32; i++)
		d[i] = (unsigned char)(html_hex(hex[2 * i]) << 4 | html_hex(hex[2 * i + 1]));
	/* 32 bytes: ten full groups of three, then two bytes and one '='. */
	for (i = 0; i < 33; i += 3) {
		unsigned long v = (unsigned long)d[i] << 16 | (unsigned long)d[i + 1] << 8 |
				  (i + 2 < 33 ? d[i + 2] : 0);

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/* Size of the buffer html_time_text fills. */
#define HTML_TIME_BUFSZ 64 /* room for any int fields: -Wformat-truncation */

/* Writes t as "2006-01-02 15:04 UTC" into out; returns out. */
static char *
html_time_text(char out[HTML_TIME_BUFSZ], fm_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if ((fm_time)tt != t || !gmtime_r(&tt, &tm)) {
		tt = 0;
		gmtime_r(&tt, &tm);
	}
	snprintf(out, HTML_TIME_BUFSZ, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	return out;
}

/* Appends <time datetime="RFC 3339">UTC text</time>. */
static void
html_time(fm__outw *w, fm_time t)
{
	char date[FM_DATE_BUFSZ], text[HTML_TIME_BUFSZ];

	fm__outw_printf(w, "<time datetime=\"%s\">%s</time>", fm_date_format(date, t),
			html_time_text(text, t));
}

/*
 * Appends "<a href="url"" (the tag left open for more attributes) when url
 * is one fm_sanitise_url accepts, else "<" and fallback (a tag name).
 * Returns 1 when it wrote a link, else 0.
 */
static int
html_link_open(fm__outw *w, const char *url, const char *fallback)
{
	int ok = 0;

	if (!w->error && fm__output_has(url)) {
		fm_buf_clear(&w->scratch);
		if ((ok = fm_sanitise_url(&w->scratch, url, strlen(url))) < 0)
			w->error = ok;
	}
	if (ok <= 0) {
		fm__outw_printf(w, "<%s", fallback);
		return 0;
	}
	fm__outw_puts(w, "<a href=\"");
	fm__outw_attr(w, fm_buf_cstr(&w->scratch));
	fm__outw_puts(w, "\"");
	return 1;
}

/* Returns the media type of a feed format, for a link to it. */
static const char *
html_feed_type(fm_config_format format)
{
	switch (format) {
	case FM_OUTPUT_RSS: return "application/rss+xml";
	case FM_OUTPUT_JSON: return "application/feed+json";
	default: return "application/atom+xml";
	}
}

/*
 * Appends the page's head: charset, CSP, viewport, title, stylesheet, and
 * a rel="alternate" link to each sibling feed (same stories, published at a
 * url), so browsers and readers find them.
 */
static void
html_head(fm__outw *w, const fm_config_output *cfg, const char *title)
{
	char css[HTML_B64_SHA256_BUFSZ], js[HTML_B64_SHA256_BUFSZ];
	size_t i;

	fm__outw_puts(w, "<!DOCTYPE html>\n<html");
	fm__outw_xml_attr(w, "lang", cfg->language);
	fm__outw_puts(w, ">\n<head>\n<meta charset=\"utf-8\">\n");
	fm__outw_printf(w, "<meta http-equiv=\"Content-Security-Policy\" content=\""
			"default-src 'none'; style-src 'sha256-%s'; script-src 'sha256-%s'; "
			"base-uri 'none'; form-action 'none'\">\n",
			html_sha256_b64(css, FM_RIVER_CSS_SHA256),
			html_sha256_b64(js, FM_RIVER_JS_SHA256));
	fm__outw_puts(w, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<meta name=\"generator\" content=\"feedmerge " FEEDMERGE_VERSION "\">\n"
		      "<title>");
	fm__outw_text(w, title);
	fm__outw_puts(w, "</title>\n");
	for (i = 0; i < cfg->nalternates; i++) {
		const fm_config_output *a = cfg->alternates[i];
		fm__outw_puts(w, "<link rel=\"alternate\"");
		fm__outw_xml_attr(w, "type", html_feed_type(a->format));
		fm__outw_xml_attr(w, "title", a->title);
		fm__outw_xml_attr(w, "href", fm__outw_iri(w, a->url));
		fm__outw_puts(w, ">\n");
	}
	fm__outw_puts(w, "<style>" FM_RIVER_CSS "</style>\n</head>\n");
}

/* Appends the masthead: the title (linking to the output's home page when set), how many stories and the newest entry's time. */
static void
html_masthead(fm__outw *w, const fm_config_output *cfg, const char *title,
	      const fm_entry *entries, size_t n)
{
	int linked;

	fm__outw_puts(w, "<header class=\"masthead\">\n<h1>");
	linked = html_link_open(w, cfg->link, "span");
	fm__outw_puts(w, ">");
	fm__outw_text(w, title);
	fm__outw_puts(w, linked ? "</a></h1>\n" : "</span></h1>\n");
	if (n) {
		fm__outw_printf(w, "<p class=\"meta\">%zu %s &middot; updated ", n,
				n == 1 ? "story" : "stories");
		html_time(w, fm__output_updated(entries, n));
		fm__outw_puts(w, "</p>\n");
	}
	fm__outw_puts(w, "</header>\n");
}

/* Appends ` id="s-KEY"` from the cluster id's last ':'-separated part, when that is a plain word (ids are "urn:feedmerge:HEX"). */
static void
html_story_id(fm__outw *w, const char *id)
{
	const char *key = strrchr(id, ':'), *p;

	key = key ? key + 1 : id;
	if (!*key)
		return;
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return;
	fm__outw_printf(w, " id=\"s-%s\"", key);
}

/* Appends the representative's text, sanitised and cut short, in <div class="text">; nothing when it has none. */
static void
html_story_text(fm__outw *w, const fm_item *it)
{
	const char *html = fm__output_has(it->summary) ? it->summary : it->content;

	if (w->error || !fm__output_has(html))
		return;
	fm_buf_clear(&w->scratch);
	if ((w->error = fm_sanitise_html(&w->scratch, html, strlen(html), HTML_TEXT_CHARS,
					 NULL)) < 0 || !w->scratch.size)
		return;
	fm__outw_puts(w, "<div class=\"text\">");
	fm__outw_puts(w, fm_buf_cstr(&w->scratch));
	fm__outw_puts(w, "</div>\n");
}

/* Appends the outlets that carried the story, representative first, each linking to its own copy with that copy's headline as the title. */
static void
html_outlets(fm__outw *w, const fm_entry *e)
{
	size_t i;

	fm__outw_puts(w, "<ul class=\"outlets\" aria-label=\"Carried by\">\n");
	for (i = 0; i < e->nmembers; i++) {
		const fm_member *m = &e->members[i];
		int linked;

		fm__outw_puts(w, "<li>");
		linked = html_link_open(w, m->item.link, "span");
		if (fm__output_has(m->item.title)) {
			fm__outw_puts(w, " title=\"");
			fm__outw_attr(w, m->item.title);
			fm__outw_puts(w, "\"");
		}
		fm__outw_puts(w, ">");
		fm__outw_text(w, fm__output_feed_name(m));
		fm__outw_puts(w, linked ? "</a></li>\n" : "</span></li>\n");
	}
	fm__outw_puts(w, "</ul>\n");
}

/* Appends one story. */
static void
html_story(fm__outw *w, const fm_entry *e)
{
	const fm_item *rep = &e->members[0].item;
	int linked;

	fm__outw_puts(w, "<article class=\"story\"");
	html_story_id(w, e->id);
	fm__outw_puts(w, ">\n<h2>");
	linked = html_link_open(w, rep->link, "span");
	fm__outw_puts(w, ">");
	fm__outw_text(w, fm__output_title(e));
	fm__outw_puts(w, linked ? "</a></h2>\n" : "</span></h2>\n");
	fm__outw_puts(w, "<p class=\"meta\">");
	html_time(w, e->published ? e->published : e->updated);
	if (e->nmembers > 1)
		fm__outw_printf(w, " &middot; %zu outlets", e->nmembers);
	fm__outw_puts(w, "</p>\n");
	html_story_text(w, rep);
	html_outlets(w, e);
	fm__outw_puts(w, "</article>\n");
}

void
fm__output_html(fm__outw *w, const fm_config_output *cfg,
		const fm_entry *entries, size_t n)
{
	const char *title = fm__output_has(cfg->title) ? cfg->title : cfg->name;
	size_t i;

	html_head(w, cfg, title);
	fm__outw_puts(w, "<body>\n<div class=\"page\">\n");
	html_masthead(w, cfg, title, entries, n);
	fm__outw_puts(w, "<main>\n");
	if (!n)
		fm__outw_puts(w, "<p class=\"empty\">No stories yet.</p>\n");
	for (i = 0; i < n; i++)
		html_story(w, &entries[i]);
	fm__outw_puts(w, "</main>\n<footer class=\"foot\">Merged by <a href=\"" FEEDMERGE_URL
		      "\">feedmerge</a> " FEEDMERGE_VERSION "</footer>\n</div>\n"
		      "<script>" FM_RIVER_JS "</script>\n</body>\n</html>\n");
}
