/* url.c - resolving references against a base URL with libcurl's URL API. */
#include "parse/url.h"
#include "feedmerge/error.h"

#include <ctype.h>
#include <string.h>
#include <curl/curl.h>

/* RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
int
fm__url_is_absolute(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Appends s without leading and trailing white space; returns 0 or FM_ENOMEM. */
static int
url_append_trimmed(fm_buf *out, const char *s)
{
	size_t len;

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return fm_buf_append(out, s, len);
}

int
fm__url_resolve(fm_buf *out, const char *base, const char *ref)
{
	CURLU *u;
	char *full = NULL;
	fm_buf trimmed = FM_BUF_INIT;
	int error;

	fm_buf_clear(out);
	if (!base || !*base || fm__url_is_absolute(ref))
		return url_append_trimmed(out, ref);
	if ((error = url_append_trimmed(&trimmed, ref)) < 0)
		return error;
	if (!(u = curl_url())) {
		fm_buf_dispose(&trimmed);
		return FM_ENOMEM;
	}
	/* Setting a relative URL on a handle that holds the base resolves it. */
	if (curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, fm_buf_cstr(&trimmed),
			 CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK)
		error = fm_buf_puts(out, full);
	else
		error = fm_buf_append(out, trimmed.ptr ? trimmed.ptr : "", trimmed.size);
	curl_free(full);
	curl_url_cleanup(u);
	fm_buf_dispose(&trimmed);
	return error;
}
