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

int
fm__link_normalise(const char *link, char **out)
{
	CURLU *h;
	char *scheme = NULL, *url = NULL;
	int rc = FM_EINVAL;

	*out = NULL;
	if (!link || !*link)
		return 0;
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
