/* transfer.c - one feed's transfer: curl options, headers, body into the parser. */
#include "fetch/fetch_int.h"
#include "feedmerge/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copies a header's value (after "Name:"), trimmed, into dst. */
static void
hdr_copy(char dst[XFER_HDR_MAX], const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len >= XFER_HDR_MAX)
		len = 0; /* a validator this long is garbage: keep none */
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* Returns the value of header `name` in line (len bytes), or NULL. */
static const char *
hdr_value(const char *line, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n))
		return NULL;
	*vlen = len - n - 1;
	return line + n + 1;
}

/* curl's header callback: tracks each response of the redirect chain. */
static size_t
xfer_header(char *line, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n, vlen;
	const char *v;

	if (len > 5 && !strncmp(line, "HTTP/", 5)) {
		const char *sp = memchr(line, ' ', len);

		/* A new response: the previous one was a redirect or 1xx. */
		if (x->status >= 300 && x->status < 400) {
			x->redirects++;
			if (x->status != 301 && x->status != 308)
				x->all_permanent = 0;
		}
		x->status = sp ? atoi(sp + 1) : 0;
		if (!x->http_major)
			x->http_major = len > 6 && line[5] == '2' ? 2 : 1;
		x->hdrs->etag[0] = x->hdrs->last_modified[0] = x->hdrs->retry_after[0] = '\0';
		x->hdrs->cache_control[0] = x->hdrs->expires[0] = x->hdrs->date[0] = '\0';
		return len;
	}
	if ((v = hdr_value(line, len, "Cache-Control", &vlen))) {
		/* Several Cache-Control lines make one list (RFC 9110 5.3). */
		char one[XFER_HDR_MAX];
		size_t have = strlen(x->hdrs->cache_control);
		hdr_copy(one, v, vlen);
		if (have && *one && have + 2 + strlen(one) < XFER_HDR_MAX) {
			memcpy(x->hdrs->cache_control + have, ", ", 2);
			memcpy(x->hdrs->cache_control + have + 2, one, strlen(one) + 1);
		} else if (!have)
			memcpy(x->hdrs->cache_control, one, strlen(one) + 1);
		return len;
	}
	if ((v = hdr_value(line, len, "Expires", &vlen)))
		hdr_copy(x->hdrs->expires, v, vlen);
	else if ((v = hdr_value(line, len, "Date", &vlen)))
		hdr_copy(x->hdrs->date, v, vlen);
	if ((v = hdr_value(line, len, "ETag", &vlen)))
		hdr_copy(x->hdrs->etag, v, vlen);
	else if ((v = hdr_value(line, len, "Last-Modified", &vlen)))
		hdr_copy(x->hdrs->last_modified, v, vlen);
	else if ((v = hdr_value(line, len, "Retry-After", &vlen)))
		hdr_copy(x->hdrs->retry_after, v, vlen);
	return len;
}

/* The parser's item callback: the caller's, with the request's payload. */
static int
xfer_on_item(const fm_item *it, void *ud)
{
	struct xfer *x = ud;

	return x->cbs->item ? x->cbs->item(it, x->req.ud) : 0;
}

/* The parser's feed callback: keeps the feed's polling hints, then calls the caller's. */
static int
xfer_on_feed(const fm_feed *feed, void *ud)
{
	struct xfer *x = ud;

	x->hints = feed->hints;
	return x->cbs->feed ? x->cbs->feed(feed, x->req.ud) : 0;
}

/* Makes the parser for a 2xx body (or a file), with what the response says. */
static int
xfer_parser(struct xfer *x)
{
	fm_parse_opts po;
	char *url = NULL, *ctype = NULL;
	long code = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code != 0 && (code < 200 || code > 299)) {
		x->discard = 1;
		return 0;
	}
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	memset(&po, 0, sizeof po);
	po.url = url;
	po.content_type = ctype;
	po.encoding = x->req.encoding;
	po.limits.max_bytes = (size_t)x->opts->max_size;
	return fm_parser_new(&x->parser, &po, xfer_on_item, xfer_on_feed, x);
}

/* curl's write callback: decompressed body bytes, straight into the parser. */
static size_t
xfer_write(char *data, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = size * n;

	if (x->bytes + len > x->opts->max_size) {
		x->too_big = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	x->bytes += len;
	if (!x->parser && !x->discard && xfer_parser(x))
		return CURL_WRITEFUNC_ERROR;
	if (x->discard)
		return len;
	if (fm_parser_push(x->parser, data, len)) {
		x->parse_stopped = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	return len;
}

/* Adds "Name: value" to the request headers; returns 0 or FM_ENOMEM. */
static int
xfer_add_header(struct xfer *x, const char *name, const char *value)
{
	struct curl_slist *l;
	size_t len;
	char *h;

	if (!value || !*value)
		return 0;
	len = strlen(name) + strlen(value) + 3;
	if (!(h = malloc(len)))
		return FM_ENOMEM;
	snprintf(h, len, "%s: %s", name, value);
	l = curl_slist_append(x->headers, h);
	free(h);
	if (!l)
		return FM_ENOMEM;
	x->headers = l;
	return 0;
}

/* Appends the request's own headers to x->headers; returns 0 or FM_ENOMEM. */
static int
xfer_add_extra(struct xfer *x)
{
	struct curl_slist *h, *l;

	for (h = x->extra; h; h = h->next) {
		if (!(l = curl_slist_append(x->headers, h->data)))
			return FM_ENOMEM;
		x->headers = l;
	}
	return 0;
}

/* Writes the line of an HTTP error status into x->hdrs->msg; 401 and 403 say what to check. */
static void
xfer_http_error(struct xfer *x, long status)
{
	if (status == 401 && x->auth_sent)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg,
			 "HTTP 401: authentication failed (check username and password)");
	else if (status == 401)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg,
			 "HTTP 401: authentication required (set username and password)");
	else if (status == 403)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "HTTP 403: forbidden (a header or credentials refused?)");
	else if (status == 407)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "HTTP 407: the proxy wants authentication");
	else
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "HTTP %ld", status);
}

struct xfer *
xfer__new(struct xfer_req *q, const fm_fetch_opts *opts, const fm_fetch_cbs *cbs)
{
	struct xfer *x = calloc(1, sizeof *x);

	if (!x)
		return NULL;
	x->req = q->req;
	x->host = q->host;
	x->extra = q->extra;
	q->extra = NULL;
	x->opts = opts;
	x->cbs = cbs;
	return x;
}

void
xfer__end_queued(const struct xfer_req *q, const fm_fetch_cbs *cbs, int stopped)
{
	fm_fetch_result r;

	memset(&r, 0, sizeof r);
	r.outcome = stopped ? FM_FETCH_STOPPED : FM_FETCH_FAILED;
	r.error = stopped ? "stopped before the transfer ended" : "out of memory starting the transfer";
	cbs->done(q->req.ud, &r);
}

int
xfer__start(struct xfer *x)
{
	CURL *e;
	long t = x->opts->timeout > 0 ? (long)x->opts->timeout : 30;

	if ((!x->hdrs && !(x->hdrs = calloc(1, sizeof *x->hdrs))) || !(e = x->easy = curl_easy_init()))
		return FM_ENOMEM;
	x->all_permanent = 1;
	x->hints = (fm_fetch_hints)FM_FEED_HINTS_NONE; /* until the parser's feed callback says */
	/* The server's validators go back verbatim, never re-formatted. */
	if (xfer_add_header(x, "If-None-Match", x->req.etag) ||
	    xfer_add_header(x, "If-Modified-Since", x->req.last_modified) ||
	    xfer_add_extra(x))
		return FM_ENOMEM;
	curl_easy_setopt(e, CURLOPT_URL, x->req.url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, x->req.user_agent);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)(x->opts->max_redirects > 0
		? x->opts->max_redirects : FM_FETCH_MAX_REDIRECTS));
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl decodes */
	curl_easy_setopt(e, CURLOPT_TIMEOUT, t);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t < 10 ? t : 10L);
	/* A server that trickles: under 16 bytes/s for a third of the timeout is dropped. */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 16L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, t / 3 > 2 ? t / 3 : 2L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->opts->max_size);
	/* Verified unless the feed says tls_verify = no (check warns about it). */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, x->req.insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, x->req.insecure ? 0L : 2L);
	if (x->req.ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, x->req.ca_file);
	/* NULL leaves libcurl's default: http_proxy, https_proxy, no_proxy, ... */
	if (x->req.proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, x->req.proxy);
	if (x->req.username) {
		/* Basic, sent at once; libcurl keeps it from other hosts a redirect leads to. */
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, x->req.username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, x->req.password ? x->req.password : "");
		x->auth_sent = 1;
	}
	/*
	 * HTTP/2 where TLS's ALPN offers it (libcurl's default, said here). To
	 * a host known to speak it, a transfer started while the host's
	 * connection is still being made waits to be a stream on it instead of
	 * opening its own (fetch.c decides; see fetch_gate).
	 */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (x->pipewait)
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	if (x->opts->connections == FM_FETCH_CONN_FRESH) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->hdrs->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, xfer_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	return 0;
}

/* Says what a failed transfer ran into, in x->hdrs->msg. */
static void
xfer_failure(struct xfer *x, CURLcode code)
{
	char size[FM_CONFIG_UNIT_BUFSZ];

	if (x->too_big || code == CURLE_FILESIZE_EXCEEDED)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "body larger than max_feed_size (%s)",
			 fm_config_size_format(size, x->opts->max_size));
	else if (code == CURLE_OPERATION_TIMEDOUT && x->bytes && strstr(x->hdrs->errbuf, "slower"))
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "server too slow: %s", x->hdrs->errbuf);
	else
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "%s",
			 x->hdrs->errbuf[0] ? x->hdrs->errbuf : curl_easy_strerror(code));
}

/* Finishes the parse and decides a fetched body's outcome. */
static fm_fetch_outcome
xfer_parsed(struct xfer *x, const fm_parse_result **pr)
{
	const fm_parse_result *r;

	if (!x->parser && xfer_parser(x))
		return FM_FETCH_FAILED; /* no memory: say so below */
	fm_parser_finish(x->parser); /* an empty body is "not a feed" */
	*pr = r = fm_parser_result(x->parser);
	if (r->status && !r->items) {
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "%s", r->diag.msg);
		return FM_FETCH_NOT_FEED;
	}
	if (r->status || r->bozo)
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "%s%s", r->recovered ? "recovered: " : "",
			 r->diag.msg);
	return r->status ? FM_FETCH_NOT_FEED : FM_FETCH_OK;
}

void
xfer__finish(struct xfer *x, CURLcode code, int stopped)
{
	fm_fetch_result r;
	long status = 0;
	char *url = NULL;

	memset(&r, 0, sizeof r);
	if (!x->hdrs && !(x->hdrs = calloc(1, sizeof *x->hdrs))) {
		/* Its start found no memory for them, and there is still none. */
		r.outcome = stopped ? FM_FETCH_STOPPED : FM_FETCH_FAILED;
		r.error = "out of memory";
		x->cbs->done(x->req.ud, &r);
		return;
	}
	if (x->easy) {
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
	}
	r.http_status = (int)status;
	r.bytes = x->bytes;
	if (stopped) {
		r.outcome = FM_FETCH_STOPPED;
		snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "stopped before the transfer ended");
	} else if (code != CURLE_OK && !(x->parse_stopped && code == CURLE_WRITE_ERROR)) {
		r.outcome = FM_FETCH_FAILED;
		xfer_failure(x, code);
		if (x->parser) {
			/* Keep what was complete: items of a truncated body still count. */
			fm_parser_finish(x->parser);
			r.parse = fm_parser_result(x->parser);
		}
	} else if (status == 304) {
		r.outcome = FM_FETCH_NOT_MODIFIED;
	} else if (status != 0 && (status < 200 || status > 299)) {
		r.outcome = FM_FETCH_HTTP_ERROR;
		xfer_http_error(x, status);
	} else {
		r.outcome = xfer_parsed(x, &r.parse);
		if (r.outcome == FM_FETCH_FAILED)
			snprintf(x->hdrs->msg, sizeof x->hdrs->msg, "out of memory");
	}
	r.error = x->hdrs->msg[0] ? x->hdrs->msg : NULL;
	if (x->hdrs) {
		r.etag = x->hdrs->etag[0] ? x->hdrs->etag : NULL;
		r.last_modified = x->hdrs->last_modified[0] ? x->hdrs->last_modified : NULL;
		r.retry_after = x->hdrs->retry_after[0] ? x->hdrs->retry_after : NULL;
		r.cache_control = x->hdrs->cache_control[0] ? x->hdrs->cache_control : NULL;
		r.expires = x->hdrs->expires[0] ? x->hdrs->expires : NULL;
		r.date = x->hdrs->date[0] ? x->hdrs->date : NULL;
	}
	if (r.outcome == FM_FETCH_OK)
		r.hints = &x->hints;
	if (x->redirects && x->all_permanent && url && strcmp(url, x->req.url))
		r.permanent_url = url;
	x->cbs->done(x->req.ud, &r);
}

void
xfer__free(struct xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	free(x->hdrs);
	fm_parser_free(x->parser);
	curl_slist_free_all(x->extra);
	free(x);
}
