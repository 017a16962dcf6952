/* fetch_int.h - what the fetcher's files share (internal). */
#ifndef FM_FETCH_INT_H
#define FM_FETCH_INT_H

#include "feedmerge/fetch.h"
#include <curl/curl.h>

/* A header value kept from the response being read. */
#define XFER_HDR_MAX 1024

/* One request: queued, then a running transfer, then done. */
/*
 * The headers a response is read for and the lines a result says (7 KB),
 * made when the transfer starts, so a pass's queue of feeds (every due
 * feed at once: 100,000 in the scale benchmark) does not carry them.
 */
struct xfer_hdrs {
	char errbuf[CURL_ERROR_SIZE];
	char msg[768];             /* the result's error line */
	char etag[XFER_HDR_MAX];
	char last_modified[XFER_HDR_MAX];
	char retry_after[XFER_HDR_MAX];
	char cache_control[XFER_HDR_MAX];
	char expires[XFER_HDR_MAX];
	char date[XFER_HDR_MAX];
};

struct xfer {
	fm_fetch_req req;          /* strings owned (copies) */
	char *host;                /* lower-case host name, "" for files */
	const fm_fetch_opts *opts; /* the fetcher's */
	const fm_fetch_cbs *cbs;   /* the fetcher's */
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *extra;  /* the request's own headers (req.headers is not kept) */
	fm_parser *parser;         /* made at the first body byte of a 2xx */
	int status;                /* status line of the response being read */
	int redirects;             /* 3xx responses seen */
	int all_permanent;         /* every redirect so far was 301/308 */
	int discard;               /* the body is not a feed to parse (error page) */
	int too_big;               /* stopped at max_size */
	int parse_stopped;         /* the parser refused more bytes */
	int auth_sent;             /* credentials went with the request */
	int pipewait;              /* wait for the host's connection to multiplex on (set before start) */
	int http_major;            /* 1 or 2 from the first response's status line; 0 until then */
	uint64_t bytes;
	struct xfer_hdrs *hdrs;    /* made when the transfer starts (a queued one holds none) */
	fm_fetch_hints hints;      /* the body's polling hints, as the parser's feed callback gave them */
};

/* Makes x's easy handle from its request; returns 0 or FM_ENOMEM. */
int xfer__start(struct xfer *x);

/* Builds the result of a finished transfer, calls done, frees the easy handle. */
void xfer__finish(struct xfer *x, CURLcode code, int stopped);

/* Frees what x owns. */
void xfer__free(struct xfer *x);

#endif
