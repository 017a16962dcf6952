/* fetch_int.h - what the fetcher's files share (internal). */
#ifndef FM_FETCH_INT_H
#define FM_FETCH_INT_H

#include "feedmerge/fetch.h"
#include <curl/curl.h>

/* A header value kept from the response being read. */
#define XFER_HDR_MAX 1024

/*
 * A request while it waits in the queue (fm_fetch_add until its transfer
 * starts): a pass queues every due feed at once (100,000 in the scale
 * benchmark), so it holds only what starting it takes (120 bytes); the
 * full struct xfer is made when it starts (xfer__new).
 */
struct xfer_req {
	fm_fetch_req req;          /* strings borrowed (the caller's until done) */
	const char *host;          /* lower-case host name, "" for files; the fetcher's host table owns it */
	struct curl_slist *extra;  /* the request's own headers (req.headers is not kept); owned */
};

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

/* One running transfer, from its start until done. */
struct xfer {
	fm_fetch_req req;          /* strings borrowed (the caller's until done) */
	const char *host;          /* lower-case host name, "" for files; the fetcher's host table owns it */
	const fm_fetch_opts *opts; /* the fetcher's */
	const fm_fetch_cbs *cbs;   /* the fetcher's */
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *extra;  /* the request's own headers, taken from its xfer_req; owned */
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

/*
 * Makes the transfer of queued request q, taking q's headers (q->extra is
 * then NULL; q stays the caller's to free). Returns it (freed with
 * xfer__free()) or NULL on ENOMEM, q untouched.
 */
struct xfer *xfer__new(struct xfer_req *q, const fm_fetch_opts *opts, const fm_fetch_cbs *cbs);

/* Calls q's done callback for a request that never became a transfer: stopped, or failed for want of memory. */
void xfer__end_queued(const struct xfer_req *q, const fm_fetch_cbs *cbs, int stopped);

/* Makes x's easy handle from its request; returns 0 or FM_ENOMEM. */
int xfer__start(struct xfer *x);

/* Builds the result of a finished transfer, calls done, frees the easy handle. */
void xfer__finish(struct xfer *x, CURLcode code, int stopped);

/* Frees what x owns. */
void xfer__free(struct xfer *x);

#endif
