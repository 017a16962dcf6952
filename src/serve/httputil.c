/* httputil.c - the HTTP pieces the server needs that do no I/O: addresses, validators, dates. */
#include "serve/serve_int.h"
#include "feedmerge/date.h"
#include "parse/textutil.h"
#include "util/jsonw.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Content-Type of each output format. A new format is one line here. */
static const char *const serve_types[] = {
	[FM_OUTPUT_ATOM] = "application/atom+xml; charset=utf-8",
	[FM_OUTPUT_RSS] = "application/rss+xml; charset=utf-8",
	[FM_OUTPUT_JSON] = "application/feed+json; charset=utf-8",
	[FM_OUTPUT_HTML] = "text/html; charset=utf-8",
};

const char *
fm__serve_content_type(fm_config_format format)
{
	if ((size_t)format < sizeof serve_types / sizeof serve_types[0] && serve_types[format])
		return serve_types[format];
	return "application/octet-stream";
}

/* Parses a decimal port 1-65535 that is all of s; returns it or 0. */
static unsigned
serve_port(const char *s)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return v <= 65535 ? (unsigned)v : 0;
}

int
fm__serve_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *len, fm_diag *diag)
{
	char host[64];
	const char *colon, *hs;
	size_t hl;
	unsigned port;

	memset(out, 0, sizeof *out);
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			goto bad;
		hs = s + 1;
		hl = (size_t)(end - hs);
		colon = end + 1;
	} else {
		if (!(colon = strrchr(s, ':')))
			goto bad;
		hs = s;
		hl = (size_t)(colon - s);
		if (memchr(hs, ':', hl)) {
			fm_diag_set(diag, 0, 0, "--listen %s: put an IPv6 address in brackets, e.g. [::1]:8080", s);
			return FM_EINVAL;
		}
	}
	if (!hl || hl >= sizeof host)
		goto bad;
	memcpy(host, hs, hl);
	host[hl] = '\0';
	if (!(port = serve_port(colon + 1))) {
		fm_diag_set(diag, 0, 0, "--listen %s: the port must be a number from 1 to 65535", s);
		return FM_EINVAL;
	}
	if (s[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)out;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof *a;
	}
	return 0;
bad:
	fm_diag_set(diag, 0, 0,
		    "--listen %.200s: expected ADDRESS:PORT with a numeric address, e.g. 127.0.0.1:8080 or [::1]:8080",
		    s);
	return FM_EINVAL;
}

/* Optional white space of RFC 9110 section 5.6.3. */
static const char *
serve_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int
fm__serve_etag_match(const char *header, const char *etag)
{
	const char *p = header;
	size_t elen = strlen(etag);

	for (;;) {
		const char *start, *end;

		p = serve_ows(p);
		while (*p == ',')
			p = serve_ows(p + 1);
		if (!*p)
			return 0;
		if (*p == '*') {
			start = p + 1;
			if (!*serve_ows(start) || *serve_ows(start) == ',')
				return 1;
		}
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		start = p;
		if (*p == '"' && (end = strchr(p + 1, '"'))) {
			if ((size_t)(end + 1 - start) == elen && !memcmp(start, etag, elen))
				return 1;
			p = end + 1;
		}
		/* The rest of this member, well-formed or not. */
		while (*p && *p != ',')
			p++;
	}
}

/* Returns 1 when the q parameter in params (";q=0.5;...") is not zero; no q is 1. */
static int
serve_q_nonzero(const char *p, const char *end)
{
	while (p < end) {
		p = serve_ows(p);
		if (*p == ';')
			p = serve_ows(p + 1);
		if (p + 1 < end && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			for (p += 2; p < end && *p != ';'; p++)
				if (*p >= '1' && *p <= '9')
					return 1;
			return 0;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1;
}

int
fm__serve_accepts_gzip(const char *header)
{
	const char *p = header;
	int gzip = -1, star = -1;

	if (!p)
		return 0;
	while (*p) {
		const char *tok, *tend, *end;
		size_t tl;

		p = serve_ows(p);
		tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		tend = p;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		tl = (size_t)(tend - tok);
		if ((tl == 4 && !strncasecmp(tok, "gzip", 4)) || (tl == 6 && !strncasecmp(tok, "x-gzip", 6)))
			gzip = serve_q_nonzero(p, end);
		else if (tl == 1 && *tok == '*')
			star = serve_q_nonzero(p, end);
		p = *end ? end + 1 : end;
	}
	return gzip >= 0 ? gzip : star > 0;
}

char *
fm__serve_http_date(char out[FM__SERVE_DATE_BUFSZ], time_t t)
{
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year > 9999 - 1900 || tm.tm_year < -1900) {
		snprintf(out, FM__SERVE_DATE_BUFSZ, "Thu, 01 Jan 1970 00:00:00 GMT");
		return out;
	}
	snprintf(out, FM__SERVE_DATE_BUFSZ, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return out;
}

int
fm__serve_path_is(const char *url, const char *name)
{
	const char *p = url, *n = name;

	if (*p++ != '/')
		return 0;
	while (*p) {
		int c = (unsigned char)*p;

		if (c == '%') {
			int hi = fm__hex_value((unsigned char)p[1]);
			int lo = hi < 0 ? -1 : fm__hex_value((unsigned char)p[2]);

			if (lo < 0)
				return 0;
			c = hi * 16 + lo;
			p += 3;
		} else {
			p++;
		}
		/* A decoded NUL never equals a name's byte: names are C strings. */
		if (!*n || c == 0 || c != (unsigned char)*n)
			return 0;
		n++;
	}
	return *n == '\0';
}

int
fm__serve_health_body(fm_buf *out, const fm_store_pass *p, fm_time now)
{
	char t[FM_DATE_BUFSZ];
	const char *word;
	int code;

	if (!p) {
		if (fm_buf_puts(out, "{\"status\": \"none\", \"exit_status\": null, \"started\": null, "
				     "\"finished\": null, \"age_seconds\": null, "
				     "\"summary\": \"no pass has run on this state yet\"}\n"))
			return FM_ENOMEM;
		return 503;
	}
	code = p->status == 0 || p->status == 1 ? 200 : 503;
	word = p->status == 0 ? "ok" : p->status == 1 ? "degraded" : "failed";
	if (fm_buf_printf(out, "{\"status\": \"%s\", \"exit_status\": %d, \"started\": \"%s\", ",
			  word, p->status, fm_date_format(t, p->started)) ||
	    fm_buf_printf(out, "\"finished\": \"%s\", \"age_seconds\": %lld, \"summary\": ",
			  fm_date_format(t, p->finished), (long long)(now - p->finished)) ||
	    fm__json_str(out, p->summary ? p->summary : "") || fm_buf_puts(out, "}\n"))
		return FM_ENOMEM;
	return code;
}
