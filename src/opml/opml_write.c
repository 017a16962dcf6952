/* opml_write.c - the configured feeds as OPML 2.0, and names for imported feeds. */
#include "feedmerge/opml.h"
#include "output/xmlw.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

/* Appends one attribute name="value" (escaped); a NULL value appends nothing. */
static int
opml_attr(fm_buf *out, const char *name, const char *value)
{
	int rc;

	if (!value)
		return 0;
	if ((rc = fm_buf_printf(out, " %s=\"", name)) || (rc = fm__xml_escape(out, value, 1)))
		return rc;
	return fm_buf_putc(out, '"');
}

int
fm_opml_write(fm_buf *out, const fm_config *cfg, const char *const *titles)
{
	size_t i, n = fm_config_feed_count(cfg);
	int rc;

	rc = fm_buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			      "<opml version=\"2.0\">\n"
			      "  <head>\n    <title>feedmerge feeds</title>\n  </head>\n"
			      "  <body>\n");
	for (i = 0; i < n && !rc; i++) {
		const fm_config_feed *f = fm_config_feed_at(cfg, i);
		const char *title = titles && titles[i] ? titles[i] : f->name;

		if (!(rc = fm_buf_puts(out, "    <outline type=\"rss\"")) &&
		    !(rc = opml_attr(out, "text", title)) && !(rc = opml_attr(out, "title", title)) &&
		    !(rc = opml_attr(out, "xmlUrl", f->url)) &&
		    !(rc = opml_attr(out, "category", f->enabled ? NULL : "disabled")))
			rc = fm_buf_puts(out, "/>\n");
	}
	if (!rc)
		rc = fm_buf_puts(out, "  </body>\n</opml>\n");
	return rc;
}

/* Copies src into out as a name: allowed bytes kept (lower case), runs of others one '-'. */
static size_t
opml_slug(char *out, size_t size, const char *src)
{
	size_t n = 0;
	int dash = 0;

	for (; *src && n + 1 < size && n < 40; src++) {
		unsigned char c = (unsigned char)*src;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_') {
			if (dash && n)
				out[n++] = '-';
			dash = 0;
			if (n + 1 < size)
				out[n++] = (char)c;
		} else {
			dash = 1;
		}
	}
	while (n && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
	return n;
}

char *
fm_opml_name(char *out, size_t size, const char *title, const char *url)
{
	char *host = NULL;
	CURLU *u;

	if (!size)
		return out;
	out[0] = '\0';
	if (title && opml_slug(out, size, title))
		return out;
	if (url && (u = curl_url())) {
		if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
			/* "www." says nothing about the feed. */
			opml_slug(out, size, strncmp(host, "www.", 4) ? host : host + 4);
			curl_free(host);
		}
		curl_url_cleanup(u);
	}
	if (!out[0])
		snprintf(out, size, "feed");
	return out;
}
