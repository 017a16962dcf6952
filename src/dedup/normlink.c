/* normlink.c - links normalised for exact-duplicate detection. */
#include "dedup/normlink.h"
#include "feedmerge/buf.h"
#include "feedmerge/error.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Query parameters that only track the click, not name the page. */
static const char *const link_trackers[] = {
	"fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid",
	"igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
	"mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "cmpid",
	"ocid", "ito", "at_medium", "at_campaign", "at_custom1", "smid",
};

/* Returns 1 when the query parameter param (up to '=' or its end, len bytes) tracks clicks. */
static int
link_is_tracker(const char *param, size_t len)
{
	size_t n = strcspn(param, "=");
	size_t i;

	if (n > len)
		n = len;
	if (n >= 4 && !strncasecmp(param, "utm_", 4))
		return 1;
	for (i = 0; i < sizeof(link_trackers) / sizeof(link_trackers[0]); i++)
		if (strlen(link_trackers[i]) == n && !strncasecmp(param, link_trackers[i], n))
			return 1;
	return 0;
}

/* Appends query without its tracking parameters to out ('&'-joined). */
static int
link_clean_query(fm_buf *out, const char *query)
{
	const char *p = query;
	int rc = 0;

	while (*p && !rc) {
		size_t len = strcspn(p, "&");

		if (len && !link_is_tracker(p, len)) {
			if (out->size)
				rc = fm_buf_putc(out, '&');
			if (!rc)
				rc = fm_buf_append(out, p, len);
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return rc;
}

/* Rewrites the query of h without trackers; returns 0, FM_ENOMEM or FM_EINVAL. */
static int
link_set_query(CURLU *h)
{
	char *query = NULL;
	fm_buf clean = FM_BUF_INIT;
	int rc = 0;

	if (curl_url_get(h, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
		return 0; /* no query */
	rc = link_clean_query(&clean, query);
	if (!rc && curl_url_set(h, CURLUPART_QUERY, clean.size ? clean.ptr : NULL, 0) != CURLUE_OK)
		rc = FM_EINVAL;
	curl_free(query);
	fm_buf_dispose(&clean);
	return rc;
}

/* Lower-cases the host of h; returns 0 or FM_EINVAL. */
static int
link_lower_host(CURLU *h)
{
	char *host = NULL, *p;
	int rc = 0;

	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		return FM_EINVAL;
	for (p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK)
		rc = FM_EINVAL;
	curl_free(host);
	return rc;
}

/* Returns 1 for a byte a canonical path may hold as it is (RFC 3986 unreserved, sub-delims, ':', '@', '/'). */
static int
link_path_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!$&'()*+,;=:@/", c));
}

/* Returns the end of the host label starting at l (its '.', or end). */
static const char *
link_label_end(const char *l, const char *end)
{
	const char *dot = memchr(l, '.', (size_t)(end - l));

	return dot ? dot : end;
}

/* Returns 1 when the host label [l, e) reads as a number (decimal, or 0x hex), as in an IPv4 address. */
static int
link_label_is_number(const char *l, const char *e)
{
	int hex = e - l >= 2 && l[0] == '0' && l[1] == 'x';

	for (l += hex ? 2 : 0; l < e; l++)
		if (!((*l >= '0' && *l <= '9') || (hex && *l >= 'a' && *l <= 'f')))
			return 0;
	return 1;
}

/*
 * Returns 1 when link is already what the URL API would make of it:
 * lower-case http(s), a lower-case name as host (not numbers alone, which
 * it may rewrite), no port, user, query or fragment, a path with no dot
 * segments and nothing to encode. Most feed links are: they skip parsing
 * (a sixth of fingerprinting an item with a link went to it).
 */
static int
link_is_canonical(const char *link)
{
	const char *p = link, *host, *l, *e;

	if (!strncmp(p, "http://", 7))
		p += 7;
	else if (!strncmp(p, "https://", 8))
		p += 8;
	else
		return 0;
	for (host = p; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'; p++)
		if (*p == '.' && (p == host || p[1] == '.' || p[1] == '/'))
			return 0; /* empty labels: leave them to the parser */
	if (p == host || *p != '/')
		return 0;
	/* A host whose every label reads as a number (12, 0x7f) is an IPv4 address the parser rewrites. */
	for (l = host; l < p && link_label_is_number(l, e = link_label_end(l, p)); l = e + 1)
		;
	if (l >= p)
		return 0;
	for (; *p; p++) {
		if (!link_path_byte((unsigned char)*p))
			return 0;
		if (*p == '/' && p[1] == '.' && (!p[2] || p[2] == '/' || (p[2] == '.' && (!p[3] || p[3] == '/'))))
			return 0; /* "/." or "/.." segment */
	}
	return 1;
}

int
fm__link_normalise(const char *link, char **out)
{
	CURLU *h;
	char *scheme = NULL, *url = NULL;
	int rc = FM_EINVAL;

	*out = NULL;
	if (!link || !*link)
		return 0;
	if (link_is_canonical(link))
		return (*out = strdup(link)) ? 0 : FM_ENOMEM;
	if (!(h = curl_url()))
		return FM_ENOMEM;
	if (curl_url_set(h, CURLUPART_URL, link, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") && strcmp(scheme, "https")))
		goto done;
	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	if ((rc = link_lower_host(h)) || (rc = link_set_query(h)))
		goto done;
	if (curl_url_get(h, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) != CURLUE_OK) {
		rc = FM_EINVAL;
		goto done;
	}
	rc = (*out = strdup(url)) ? 0 : FM_ENOMEM;
done:
	curl_free(scheme);
	curl_free(url);
	curl_url_cleanup(h);
	return rc == FM_ENOMEM ? rc : 0;
}
