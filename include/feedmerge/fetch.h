/* fetch.h - many feeds over one libcurl multi handle, parsed as bytes arrive. */
#ifndef FEEDMERGE_FETCH_H
#define FEEDMERGE_FETCH_H

#include "feedmerge/error.h"
#include "feedmerge/item.h"
#include "feedmerge/parse.h"

#include <signal.h>
#include <stdint.h>

/** How a fetcher uses connections; anything but the default is for benchmarks. */
typedef enum fm_fetch_conn {
	FM_FETCH_CONN_SHARE = 0,   /**< reuse connections per host; multiplex HTTP/2 streams over one */
	FM_FETCH_CONN_NO_MULTIPLEX, /**< reuse connections, but one transfer at a time on each */
	FM_FETCH_CONN_FRESH        /**< a new connection for every transfer, closed after it */
} fm_fetch_conn;

/** Limits of a fetcher; see fm_config_main for the matching config keys. */
typedef struct fm_fetch_opts {
	int concurrency;      /**< transfers at once (>= 1) */
	int per_host;         /**< transfers (HTTP/2 streams count one each) at once to one host name (>= 1) */
	int64_t timeout;      /**< seconds one transfer may take, start to end */
	uint64_t max_size;    /**< body bytes after decompression; past it the transfer stops */
	int max_redirects;    /**< redirects followed per transfer */
	fm_fetch_conn connections; /**< connection use; 0 (FM_FETCH_CONN_SHARE) is right for everyone */
} fm_fetch_opts;

/** What a fetcher's transfers cost in connections so far. */
typedef struct fm_fetch_counts {
	size_t transfers;     /**< http(s) transfers that ended (started ones only) */
	size_t connections;   /**< connections they opened (libcurl's CURLINFO_NUM_CONNECTS, summed) */
} fm_fetch_counts;

/** Redirects followed when fm_fetch_opts.max_redirects is 0. */
#define FM_FETCH_MAX_REDIRECTS 5

/** One feed to fetch. The fetcher copies every string; ud is handed back. */
typedef struct fm_fetch_req {
	const char *url;           /**< http://, https:// or file:// */
	const char *user_agent;    /**< User-Agent header */
	const char *etag;          /**< sent verbatim as If-None-Match, or NULL */
	const char *last_modified; /**< sent verbatim as If-Modified-Since, or NULL */
	const char *encoding;      /**< charset forced on the parser, or NULL */
	const char *username;      /**< HTTP basic user name, or NULL (no authentication) */
	const char *password;      /**< HTTP basic password, or NULL (empty) */
	const char *const *headers; /**< nheaders extra request lines "Name: value" */
	size_t nheaders;           /**< how many headers */
	const char *proxy;         /**< proxy URL; "" for none; NULL: libcurl reads the environment */
	const char *ca_file;       /**< PEM file of trusted CAs, or NULL: the system's */
	int insecure;              /**< 1 skips TLS certificate and host name checks */
	void *ud;                  /**< the caller's, given back in every callback */
} fm_fetch_req;

/** How one transfer ended. */
typedef enum fm_fetch_outcome {
	FM_FETCH_OK = 0,       /**< 200 (or a file) parsed; maybe recovered, see parse */
	FM_FETCH_NOT_MODIFIED, /**< 304: nothing parsed */
	FM_FETCH_HTTP_ERROR,   /**< an HTTP status other than 2xx/304 */
	FM_FETCH_FAILED,       /**< connect, TLS, timeout, too big, truncated, ... */
	FM_FETCH_NOT_FEED,     /**< the body was not a feed or could not be parsed */
	FM_FETCH_STOPPED       /**< fm_fetch_run was asked to stop first */
} fm_fetch_outcome;

/** What a feed body says about how often to poll it: the parser's fm_feed_hints. */
typedef fm_feed_hints fm_fetch_hints;

/** The end of one transfer; borrowed for the done callback. */
typedef struct fm_fetch_result {
	fm_fetch_outcome outcome;
	int http_status;           /**< final HTTP status; 0 for files and failed connects */
	const char *error;         /**< one line on what went wrong (or the recovery warning), or NULL */
	const char *etag;          /**< the final response's ETag, verbatim, or NULL */
	const char *last_modified; /**< the final response's Last-Modified, verbatim, or NULL */
	const char *retry_after;   /**< the final response's Retry-After, verbatim, or NULL */
	const char *cache_control; /**< the final response's Cache-Control (all of them, joined by ", "), or NULL */
	const char *expires;       /**< the final response's Expires, verbatim, or NULL */
	const char *date;          /**< the final response's Date, verbatim, or NULL */
	const fm_fetch_hints *hints; /**< the body's polling hints when a body was parsed, else NULL */
	const char *permanent_url; /**< where the redirects led when every one was 301/308, else NULL */
	const fm_parse_result *parse; /**< the parser's result when a body was parsed, else NULL */
	uint64_t bytes;            /**< body bytes received, after decompression */
} fm_fetch_result;

/** What a fetcher calls; every pointer passed is borrowed for the call. */
typedef struct fm_fetch_cbs {
	fm_item_cb item; /**< each item as it completes (payload = req.ud); non-zero stops that feed */
	fm_feed_cb feed; /**< the feed's metadata, once (payload = req.ud); may be NULL */
	void (*done)(void *ud, const fm_fetch_result *r); /**< once per request, always */
} fm_fetch_cbs;

/** A fetcher: a queue of requests and one curl multi handle; opaque. */
typedef struct fm_fetch fm_fetch;

/**
 * Makes a fetcher. libcurl must have been initialised (curl_global_init)
 * by the program.
 * @param out receives it; the caller frees it with fm_fetch_free()
 * @return 0, FM_EINVAL (bad opts) or FM_ENOMEM.
 */
int fm_fetch_new(fm_fetch **out, const fm_fetch_opts *opts, const fm_fetch_cbs *cbs);

/** Queues a request; its strings are borrowed until its done callback (headers are copied); returns 0, FM_EINVAL (no url) or FM_ENOMEM. */
int fm_fetch_add(fm_fetch *f, const fm_fetch_req *req);

/**
 * Runs every queued transfer to its end, at most concurrency at once and
 * per_host per host name, in queue order where the limits allow; connections
 * stay open for the whole run and are reused per host, and where a server
 * speaks HTTP/2 (over TLS) one connection carries all of a host's transfers
 * as streams. Calls the callbacks as bytes arrive and transfers end.
 * When *stop becomes non-zero (a signal handler may set it), transfers still
 * running end as FM_FETCH_STOPPED and queued ones too.
 * @return 0, or FM_ENOMEM / FM_EIO when the multi handle itself failed
 *         (each request's done callback has still been called).
 */
int fm_fetch_run(fm_fetch *f, volatile sig_atomic_t *stop);

/** Fills out with what f's transfers have cost in connections so far. */
void fm_fetch_counts_get(fm_fetch_counts *out, const fm_fetch *f);

/** Returns 1 when URLs a and b name the same host (case-insensitive) and port, else 0. */
int fm_fetch_same_host(const char *a, const char *b);

/** Frees the fetcher; requests never run are dropped without callbacks. NULL is fine. */
void fm_fetch_free(fm_fetch *f);

#endif
