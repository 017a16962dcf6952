/* serve.h - serving the outputs and /healthz over HTTP (libmicrohttpd threads). */
#ifndef FEEDMERGE_SERVE_H
#define FEEDMERGE_SERVE_H

#include "feedmerge/config.h"
#include "feedmerge/error.h"

/*
 * What is served: every [output NAME] at "/" + the file name of its path
 * (path = /var/www/world.atom is /world.atom), /healthz, and nothing else.
 * The names are a fixed table built from the config; no request path ever
 * becomes a file-system path.
 *
 * - GET and HEAD only (anything else on a known path: 405 with Allow); an
 *   unknown path, "/" included, is 404. A query string is ignored.
 * - An output is read whole into a snapshot keyed by the file's device,
 *   inode, size and mtime, and served from it: the writers replace files
 *   by rename(2), so a request that races a pass gets the whole old or the
 *   whole new file. The file is looked at again at most every recheck_ms.
 * - Strong ETag (a hash of the bytes), Last-Modified (the mtime), 304 on
 *   If-None-Match (or, without it, If-Modified-Since), gzip when the
 *   request's Accept-Encoding allows it (compressed once per version),
 *   Vary: Accept-Encoding, Cache-Control: max-age=60, Server: feedmerge.
 * - An output whose file does not exist yet (no pass has written it) is
 *   503 with Retry-After: it will come, unlike a 404.
 * - /healthz reads the last pass recorded in the state (fm_store_pass_get)
 *   through its own read-only connection, at most once a second: 200 when
 *   it ended with exit status 0 ("ok") or 1 ("degraded": some feeds
 *   failed, the outputs were written), 503 when it ended with 3 or no pass
 *   was ever recorded. The body is one JSON object saying when the pass
 *   ran, how it ended and its summary.
 */

/** A running server; opaque. */
typedef struct fm_serve fm_serve;

/** How to serve. Zero-initialise, then set listen. */
typedef struct fm_serve_opts {
	const char *listen;  /**< "127.0.0.1:8080" or "[::1]:8080": a numeric address and a port 1-65535 (required) */
	unsigned threads;    /**< threads answering requests; 0 means FM_SERVE_THREADS */
	unsigned recheck_ms; /**< an output file is stat'ed at most this often; 0 means FM_SERVE_RECHECK_MS */
} fm_serve_opts;

#define FM_SERVE_THREADS 2       /**< default fm_serve_opts.threads */
#define FM_SERVE_RECHECK_MS 100  /**< default fm_serve_opts.recheck_ms */

/**
 * Binds the address and starts answering in threads of the server's own
 * (they block every signal, so signals reach the caller's thread).
 * @param out  receives the server; stop it with fm_serve_stop()
 * @param cfg  borrowed: must outlive the server
 * @param diag optional; on failure one line saying what is wrong
 * @return 0; FM_EINVAL (listen is malformed or port 0, or two outputs share
 *         a file name, or one is named "healthz"); FM_EIO (cannot bind or
 *         start, e.g. the port is in use); FM_ENOMEM.
 */
int fm_serve_start(fm_serve **out, const fm_config *cfg, const fm_serve_opts *opts,
		   fm_diag *diag);

/** Stops answering, closes the socket and every connection, frees srv; NULL is fine. */
void fm_serve_stop(fm_serve *srv);

#endif
