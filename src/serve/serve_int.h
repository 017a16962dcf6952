/* serve_int.h - what the HTTP server's files share (internal). */
#ifndef FM_SERVE_INT_H
#define FM_SERVE_INT_H

#include "feedmerge/buf.h"
#include "feedmerge/serve.h"
#include "feedmerge/store.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

/* --- httputil.c: pure pieces, no I/O. */

/* Room an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT") needs. */
#define FM__SERVE_DATE_BUFSZ 64 /* 30 used; room for any int fields (-Wformat-truncation) */

/*
 * Parses "A.B.C.D:PORT" or "[IPV6]:PORT" (numeric addresses only, port
 * 1-65535) into *out and *len. Returns 0 or FM_EINVAL (diag says why).
 */
int fm__serve_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *len,
			   fm_diag *diag);

/*
 * Returns 1 when the If-None-Match value header matches etag (quoted, as
 * sent) by the weak comparison of RFC 9110 section 13.1.2: any member of
 * the list, W/ or not, with the same opaque tag, or "*". Else 0.
 */
int fm__serve_etag_match(const char *header, const char *etag);

/* Returns 1 when the Accept-Encoding value header (NULL: none) allows gzip, else 0. */
int fm__serve_accepts_gzip(const char *header);

/* Writes t as an HTTP-date (RFC 9110 section 5.6.7, IMF-fixdate) into out; returns out. */
char *fm__serve_http_date(char out[FM__SERVE_DATE_BUFSZ], time_t t);

/* Returns the Content-Type of an output format (static), "application/octet-stream" when unknown. */
const char *fm__serve_content_type(fm_config_format format);

/*
 * Returns 1 when the request path url (raw, not yet percent-decoded, no
 * query) decodes to exactly "/" + name, else 0. A malformed escape never
 * matches.
 */
int fm__serve_path_is(const char *url, const char *name);

/*
 * Appends the /healthz body (one JSON object and a newline) for the last
 * pass p (NULL: none recorded) at time now to out, and returns the HTTP
 * status: 200 for exit status 0 or 1, 503 otherwise. Returns FM_ENOMEM
 * when out cannot grow.
 */
int fm__serve_health_body(fm_buf *out, const fm_store_pass *p, fm_time now);

/* --- snapshot.c: the table of served files and their in-memory versions. */

/* One version of an output file in memory; shared by the requests serving it. */
struct serve_snap {
	atomic_int refs;             /* the route's reference plus one per request in flight */
	dev_t dev;                   /* the key: which file version this is */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char etag[40];               /* "\"<32 hex>\"", a hash of the bytes */
	char etag_gz[44];            /* "\"<32 hex>-gz\"": the gzip body's own (RFC 9110 8.8.3) */
	char last_modified[FM__SERVE_DATE_BUFSZ]; /* "" when read within its mtime's second */
	const unsigned char *data;   /* the bytes (owned by full), len of them */
	size_t len;
	const unsigned char *gzip_data; /* the gzip body (owned by gzip), gzip_len bytes, or NULL */
	size_t gzip_len;
	struct MHD_Response *full;   /* 200, identity */
	struct MHD_Response *gzip;   /* 200, Content-Encoding: gzip, or NULL */
	struct MHD_Response *notmod; /* 304, identity */
	struct MHD_Response *notmod_gz; /* 304 for the gzip body, or NULL */
};

/* One served name. */
struct serve_route {
	char *name;                  /* served at "/" + name */
	const char *path;            /* the output's file (borrowed from the config) */
	const char *type;            /* its Content-Type (static) */
	unsigned recheck_ms;
	pthread_mutex_t lock;        /* guards what follows */
	struct serve_snap *cur;      /* the version served, or NULL */
	int64_t checked;             /* CLOCK_MONOTONIC ms of the last look; 0: never */
	int err;                     /* errno of the last failed look, when cur is NULL */
};

/*
 * Builds the table of cfg's outputs into *out (n of them; free with
 * fm__serve_routes_free()). Returns 0, FM_EINVAL (two outputs share a
 * file name, or one is "healthz"; diag says which) or FM_ENOMEM.
 */
int fm__serve_routes_build(struct serve_route **out, size_t *n, const fm_config *cfg,
			   unsigned recheck_ms, fm_diag *diag);

/* Frees a table and its snapshots (requests in flight keep theirs); NULL is fine. */
void fm__serve_routes_free(struct serve_route *routes, size_t n);

/* Returns the route whose name the raw request path url is, or NULL. */
struct serve_route *fm__serve_route_find(struct serve_route *routes, size_t n, const char *url);

/*
 * Returns a reference to the route's current version, looking at the file
 * again when recheck_ms have passed, or NULL when there is none (the file
 * is missing or unreadable: r->err says why). Release with
 * fm__serve_snap_unref().
 */
struct serve_snap *fm__serve_snap_get(struct serve_route *r);

/* Drops a reference; the last one frees the snapshot. NULL is fine. */
void fm__serve_snap_unref(struct serve_snap *s);

/* --- health.c: /healthz from the state's last pass. */

/* The last pass as /healthz last read it. */
struct serve_health {
	pthread_mutex_t lock;        /* guards what follows */
	const char *state;           /* the state file (borrowed from the config) */
	fm_store *st;                /* read-only, opened when the file exists */
	dev_t dev;                   /* which file st has open */
	ino_t ino;
	int64_t at;                  /* CLOCK_MONOTONIC ms of the last read; 0: never */
	int code;                    /* 200 or 503 */
	fm_buf body;                 /* the JSON body */
};

/* Initialises h for the state at path (borrowed). Returns 0 or FM_ENOMEM. */
int fm__serve_health_init(struct serve_health *h, const char *state);

/* Frees what h holds. */
void fm__serve_health_dispose(struct serve_health *h);

/* Returns a new response for /healthz (destroy it after queueing) and its status in *code; NULL on ENOMEM. */
struct MHD_Response *fm__serve_health_response(struct serve_health *h, unsigned *code);

/* Returns CLOCK_MONOTONIC in milliseconds. */
int64_t fm__serve_now_ms(void);

/* Adds the headers every answer carries (Server); returns 0 or FM_ENOMEM. */
int fm__serve_common_headers(struct MHD_Response *r);

#endif
