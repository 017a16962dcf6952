/* serve.c - the HTTP server: a libmicrohttpd thread pool answering from the route table. */
#include "serve/serve_int.h"
#include "feedmerge/date.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Connections at once, and seconds an idle one is kept. */
#define SERVE_MAX_CONNECTIONS 1024
#define SERVE_IDLE_TIMEOUT 30

/* The fixed answers, built once and shared by every request. */
enum serve_fixed { FIXED_404, FIXED_405, FIXED_503, FIXED_COUNT };

struct fm_serve {
	struct MHD_Daemon *mhd;
	struct serve_route *routes;
	size_t nroutes;
	struct serve_health health;
	int health_ok;                        /* health was initialised */
	struct MHD_Response *fixed[FIXED_COUNT];
	int fd;                               /* the listening socket until MHD owns it */
};

/* Leaves the raw path alone: fm__serve_path_is decodes it while comparing. */
static size_t
serve_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* Builds one fixed text/plain answer; NULL on ENOMEM. */
static struct MHD_Response *
serve_fixed_new(const char *body, const char *h1, const char *v1)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_PERSISTENT);

	if (!r)
		return NULL;
	if (fm__serve_common_headers(r) ||
	    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8") != MHD_YES ||
	    MHD_add_response_header(r, "Cache-Control", "no-store") != MHD_YES ||
	    (h1 && MHD_add_response_header(r, h1, v1) != MHD_YES)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* Queues a fixed answer. */
static enum MHD_Result
serve_fixed(struct fm_serve *srv, struct MHD_Connection *c, enum serve_fixed which)
{
	static const unsigned codes[FIXED_COUNT] = { 404, 405, 503 };

	return MHD_queue_response(c, codes[which], srv->fixed[which]);
}

/* Answers GET/HEAD of one output from its current snapshot. */
static enum MHD_Result
serve_output(struct fm_serve *srv, struct MHD_Connection *c, struct serve_route *route)
{
	struct serve_snap *s = fm__serve_snap_get(route);
	struct MHD_Response *r;
	const char *inm, *ims;
	unsigned code = 200;
	enum MHD_Result ret;
	int gz;

	if (!s)
		return serve_fixed(srv, c, FIXED_503);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	ims = inm ? NULL : MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
	gz = s->gzip && fm__serve_accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
									  "Accept-Encoding"));
	/* Either body's tag names this version; the 304 carries the tag of the body it stands for. */
	if (inm && (fm__serve_etag_match(inm, s->etag) || fm__serve_etag_match(inm, s->etag_gz))) {
		r = gz ? s->notmod_gz : s->notmod;
		code = 304;
	} else if (ims && !s->last_modified[0]) {
		r = gz ? s->gzip : s->full; /* no date was given out for this version */
	} else if (ims && strlen(ims) < 64 && !strcmp(ims, s->last_modified)) {
		/* The common case: a client sends back our own Last-Modified. */
		r = gz ? s->notmod_gz : s->notmod;
		code = 304;
	} else {
		fm_time t;

		r = s->full;
		/* A date in the future is not a valid one (RFC 9110 section 13.1.3): ignored. */
		if (ims && !fm_date_parse(&t, ims) && s->mtime.tv_sec <= t && t <= (fm_time)time(NULL)) {
			r = gz ? s->notmod_gz : s->notmod;
			code = 304;
		} else if (gz) {
			r = s->gzip;
		}
	}
	ret = MHD_queue_response(c, code, r);
	fm__serve_snap_unref(s);
	return ret;
}

/* Answers /healthz. */
static enum MHD_Result
serve_health(struct fm_serve *srv, struct MHD_Connection *c)
{
	unsigned code;
	struct MHD_Response *r = fm__serve_health_response(&srv->health, &code);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* MHD's access handler: one call per request, answered at once. */
static enum MHD_Result
serve_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	      const char *version, const char *upload_data, size_t *upload_data_size,
	      void **con_cls)
{
	struct fm_serve *srv = cls;
	struct serve_route *route = NULL;
	int health = fm__serve_path_is(url, "healthz");

	(void)version;
	(void)upload_data;
	if (!health && !(route = fm__serve_route_find(srv->routes, srv->nroutes, url)))
		route = NULL;
	/*
	 * The first call comes with the headers. A request that can only fail
	 * (another method; or an unknown path with a body) is answered at once,
	 * without reading its body; MHD then closes the connection. Any other
	 * is answered at the next call, once the request is complete, so the
	 * connection can be kept alive (a GET's body is read and dropped).
	 */
	if (!*con_cls) {
		if (strcmp(method, "GET") && strcmp(method, "HEAD"))
			return serve_fixed(srv, c, health || route ? FIXED_405 : FIXED_404);
		*con_cls = srv;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (health)
		return serve_health(srv, c);
	return route ? serve_output(srv, c, route) : serve_fixed(srv, c, FIXED_404);
}

/* Makes the listening socket for addr; returns it, or -1 with diag set. */
static int
serve_listen(const char *listen_s, const struct sockaddr_storage *addr, socklen_t len, fm_diag *diag)
{
	int fd, one = 1;

	if ((fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)addr, len) < 0 || listen(fd, 512) < 0)
		goto fail;
	return fd;
fail:
	fm_diag_set(diag, 0, 0, "cannot listen on %.200s: %s", listen_s, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int
fm_serve_start(fm_serve **out, const fm_config *cfg, const fm_serve_opts *opts, fm_diag *diag)
{
	struct sockaddr_storage addr;
	socklen_t alen;
	struct fm_serve *srv;
	sigset_t all, old;
	unsigned threads = opts->threads ? opts->threads : FM_SERVE_THREADS;
	unsigned recheck = opts->recheck_ms ? opts->recheck_ms : FM_SERVE_RECHECK_MS;
	int rc;

	*out = NULL;
	if ((rc = fm__serve_parse_listen(opts->listen, &addr, &alen, diag)))
		return rc;
	if (!(srv = calloc(1, sizeof *srv)))
		return FM_ENOMEM;
	srv->fd = -1;
	if ((rc = fm__serve_routes_build(&srv->routes, &srv->nroutes, cfg, recheck, diag)))
		goto fail;
	if ((rc = fm__serve_health_init(&srv->health, fm_config_get_main(cfg)->state)))
		goto fail;
	srv->health_ok = 1;
	rc = FM_ENOMEM;
	if (!(srv->fixed[FIXED_404] = serve_fixed_new("404 not found\n", NULL, NULL)) ||
	    !(srv->fixed[FIXED_405] = serve_fixed_new("405 only GET and HEAD\n", "Allow", "GET, HEAD")) ||
	    !(srv->fixed[FIXED_503] = serve_fixed_new("503 this output has not been written yet\n",
						     "Retry-After", "30")))
		goto fail;
	rc = FM_EIO;
	if ((srv->fd = serve_listen(opts->listen, &addr, alen, diag)) < 0)
		goto fail;
	/* MHD's threads inherit this mask: signals go to the caller's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	srv->mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
			(addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, serve_request, srv,
		MHD_OPTION_LISTEN_SOCKET, srv->fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_TIMEOUT,
		MHD_OPTION_UNESCAPE_CALLBACK, serve_unescape, NULL,
		MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!srv->mhd) {
		fm_diag_set(diag, 0, 0, "cannot start the HTTP server on %.200s", opts->listen);
		if (fcntl(srv->fd, F_GETFD) < 0)
			srv->fd = -1; /* MHD closed it already */
		goto fail;
	}
	srv->fd = -1; /* MHD's now: MHD_stop_daemon closes it */
	*out = srv;
	return 0;
fail:
	fm_serve_stop(srv);
	return rc;
}

void
fm_serve_stop(fm_serve *srv)
{
	size_t i;

	if (!srv)
		return;
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd); /* joins the threads, closes the connections */
	if (srv->fd >= 0)
		close(srv->fd);
	fm__serve_routes_free(srv->routes, srv->nroutes);
	if (srv->health_ok)
		fm__serve_health_dispose(&srv->health);
	for (i = 0; i < FIXED_COUNT; i++)
		if (srv->fixed[i])
			MHD_destroy_response(srv->fixed[i]);
	free(srv);
}
