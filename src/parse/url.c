/* url.c - resolving references against a base URL with libcurl's URL API. */
#include "parse/url.h"
#include "feedmerge/error.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
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

/*
 * Returns 1 when s may serve as a base URL: a base that runs script or
 * carries its own content (javascript:, vbscript:, data:) would turn every
 * relative link under it into one.
 */
int
fm__url_is_safe_base(const char *s)
{
	static const char *const unsafe[] = { "javascript:", "vbscript:", "data:" };
	size_t i;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		if (!strncasecmp(s, unsafe[i], strlen(unsafe[i])))
			return 0;
	return 1;
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

/*
 * Returns 1 when s needs nothing encoded: printable ASCII a URL carries as
 * it is, and UTF-8 beyond ASCII, which an IRI (RFC 3987) carries as it is.
 */
static int
url_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s == 0x7f || strchr("\"<>\\^`{|}", *s))
			return 0;
	return 1;
}

/*
 * Appends absolute URL s, trimmed. "http:///host/" (three slashes) lost
 * nothing but had one slash too many: it is read as "http://host/", as
 * browsers do. Returns 0 or FM_ENOMEM.
 */
static int
url_append_absolute(fm_buf *out, const char *s)
{
	const char *p = s;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (!strncasecmp(p, "http:///", 8) || !strncasecmp(p, "https:///", 9)) {
		const char *host = strstr(p, ":///") + 4;
		int error;
		while (*host == '/')
			host++;
		if (*host && (error = fm_buf_append(out, p, (size_t)(strstr(p, ":///") + 3 - p))) < 0)
			return error;
		if (*host)
			return url_append_trimmed(out, host);
	}
	return url_append_trimmed(out, s);
}

/*
 * RFC 3986 5.2.2: an empty reference is the base without its fragment.
 * Returns 0 or FM_ENOMEM.
 */
static int
url_append_base(fm_buf *out, const char *base)
{
	return fm_buf_append(out, base, strcspn(base, "#"));
}

/*
 * The two common cases, without libcurl's parse of the base on every call:
 * a path-absolute ref ("/a/b") or a plain relative path ("b/c") against an
 * http(s) base, when neither carries dot segments or characters that need
 * encoding (RFC 3986 5.2.2 then reduces to string surgery). Returns 1 when
 * ref was resolved into out, 0 to leave it to libcurl, or FM_ENOMEM.
 */
static int
url_resolve_fast(fm_buf *out, const char *base, const char *ref)
{
	const char *auth, *path, *end, *slash = NULL, *p;
	int error;

	if ((strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) ||
	    !*ref || strchr(".?#", ref[0]) || (ref[0] == '/' && ref[1] == '/') ||
	    strstr(ref, "/.") || strstr(base, "/.") || !url_plain(base) || !url_plain(ref))
		return 0;
	auth = strstr(base, "://") + 3;
	path = auth + strcspn(auth, "/?#");
	if (path == auth || memchr(auth, '@', (size_t)(path - auth)))
		return 0;
	for (p = auth; p < path; p++)
		if (*p >= 'A' && *p <= 'Z')
			return 0;  /* libcurl lower-cases host names: leave those to it */
	end = path + strcspn(path, "?#");
	for (p = path; p < end; p++)
		if (*p == '/')
			slash = p;
	if (ref[0] == '/')
		error = fm_buf_append(out, base, (size_t)(path - base));
	else if (slash)
		error = fm_buf_append(out, base, (size_t)(slash + 1 - base));
	else if ((error = fm_buf_append(out, base, (size_t)(path - base))) == 0)
		error = fm_buf_putc(out, '/');
	if (error == 0)
		error = fm_buf_puts(out, ref);
	return error < 0 ? error : 1;
}

int
fm__url_resolve(fm_buf *out, const char *base, const char *ref)
{
	CURLU *u;
	char *full = NULL;
	fm_buf trimmed = FM_BUF_INIT;
	int error;

	fm_buf_clear(out);
	if (!base || !*base)
		return url_append_trimmed(out, ref);
	if (fm__url_is_absolute(ref))
		return url_append_absolute(out, ref);
	if ((error = url_append_trimmed(&trimmed, ref)) < 0)
		return error;
	if (!trimmed.size) {
		fm_buf_dispose(&trimmed);
		return url_append_base(out, base);
	}
	if ((error = url_resolve_fast(out, base, fm_buf_cstr(&trimmed))) != 0) {
		fm_buf_dispose(&trimmed);
		return error < 0 ? error : 0;
	}
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
