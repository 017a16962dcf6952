/* fetch.c - the queue and the multi loop: limits, start order, completion. */
#include "fetch/fetch_int.h"
#include "util/grow.h"
#include "util/strindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct fm_fetch {
	fm_fetch_opts opts;
	fm_fetch_cbs cbs;
	CURLM *multi;
	struct xfer_req **queue; /* requests not started yet, in order (NULL once started) */
	size_t nqueue, aqueue, first; /* first: no request before it is still queued */
	struct host_count {
		char *host;
		int running;
		size_t queued;     /* requests added for this host */
		int http_major;    /* 2: multiplexes; 1: does not (or unknown: no gate); 0: not known yet */
		struct xfer *probe; /* the https transfer whose answer says which, while it runs */
	} *hosts;
	size_t nhosts, ahosts;
	fm_strindex host_ix;   /* hosts by name: a transfer's counter in O(1), however many hosts */
	struct xfer **active;  /* running transfers (concurrency slots) */
	int running;
	fm_fetch_counts counts;
};

/* Idle connections kept for hosts with transfers still to come, at most. */
#define FETCH_IDLE_MAX 256

/* Index callback: the name of host pos. */
static const char *
fetch_host_at(const void *ud, size_t pos)
{
	return ((const fm_fetch *)ud)->hosts[pos].host;
}

/* Returns the counter of host, adding it; NULL on ENOMEM. */
static struct host_count *
fetch_host(fm_fetch *f, const char *host)
{
	size_t i = fm__strindex_find(&f->host_ix, host, fetch_host_at, f);

	if (i != SIZE_MAX)
		return &f->hosts[i];
	if (fm__grow(&f->hosts, &f->ahosts, f->nhosts, sizeof *f->hosts, 16))
		return NULL;
	if (!(f->hosts[f->nhosts].host = strdup(host)))
		return NULL;
	if (fm__strindex_add(&f->host_ix, host, f->nhosts, fetch_host_at, f)) {
		free(f->hosts[f->nhosts].host);
		return NULL;
	}
	f->hosts[f->nhosts].running = 0;
	f->hosts[f->nhosts].queued = 0;
	f->hosts[f->nhosts].http_major = 0;
	f->hosts[f->nhosts].probe = NULL;
	return &f->hosts[f->nhosts++];
}

/* Returns a malloc'd lower-case host name of url ("" for files, NULL on ENOMEM). */
static char *
fetch_host_of(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *copy, *p;

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	copy = strdup(host ? host : "");
	curl_free(host);
	curl_url_cleanup(u);
	for (p = copy; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return copy;
}

/* Returns a malloc'd "host:port" of url (NULL when it has none or on ENOMEM). */
static char *
fetch_origin_of(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *out = NULL, *p;
	size_t n;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		n = strlen(host) + strlen(port) + 2;
		if ((out = malloc(n)))
			snprintf(out, n, "%s:%s", host, port);
	}
	for (p = out; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

int
fm_fetch_same_host(const char *a, const char *b)
{
	char *oa = fetch_origin_of(a), *ob = fetch_origin_of(b);
	int same = oa && ob && !strcmp(oa, ob);

	free(oa);
	free(ob);
	return same;
}

int
fm_fetch_new(fm_fetch **out, const fm_fetch_opts *opts, const fm_fetch_cbs *cbs)
{
	fm_fetch *f;

	*out = NULL;
	if (opts->concurrency < 1 || opts->per_host < 1 || !opts->max_size || !cbs->done ||
	    opts->connections < FM_FETCH_CONN_SHARE || opts->connections > FM_FETCH_CONN_FRESH)
		return FM_EINVAL;
	if (!(f = calloc(1, sizeof *f)))
		return FM_ENOMEM;
	f->opts = *opts;
	f->cbs = *cbs;
	f->active = calloc((size_t)opts->concurrency, sizeof *f->active);
	if (!f->active || !(f->multi = curl_multi_init())) {
		free(f->active);
		free(f);
		return FM_ENOMEM;
	}
	/*
	 * HTTP/2 streams share one connection per host (libcurl's default since
	 * 7.62, said here); our own counters enforce concurrency and per_host,
	 * counting transfers, so a host never gets more than per_host
	 * connections either. The cache is sized when the run starts.
	 */
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, opts->connections == FM_FETCH_CONN_SHARE
			  ? (long)CURLPIPE_MULTIPLEX : (long)CURLPIPE_NOTHING);
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)opts->concurrency);
	*out = f;
	return 0;
}

/* Frees a queued request. */
static void
fetch_req_free(struct xfer_req *q)
{
	if (!q)
		return;
	curl_slist_free_all(q->extra);
	free(q);
}

int
fm_fetch_add(fm_fetch *f, const fm_fetch_req *req)
{
	struct xfer_req *q;
	struct host_count *h = NULL;
	char *host;
	size_t i;
	int err = 0;

	if (!req->url || !*req->url)
		return FM_EINVAL;
	if (fm__grow(&f->queue, &f->aqueue, f->nqueue, sizeof *f->queue, 64))
		return FM_ENOMEM;
	if (!(q = calloc(1, sizeof *q)))
		return FM_ENOMEM;
	/* The strings are the caller's until done (fetch.h): a pass queues every due feed at once. */
	q->req = *req;
	q->req.headers = NULL;
	q->req.nheaders = 0;
	for (i = 0; i < req->nheaders && !err; i++) {
		struct curl_slist *l = curl_slist_append(q->extra, req->headers[i]);
		if (!l)
			err = 1;
		else
			q->extra = l;
	}
	/* The host's name is kept once, in its counter: 100 hosts, not a copy per request. */
	host = fetch_host_of(req->url);
	if (!err && host)
		h = fetch_host(f, host);
	free(host);
	if (!h) {
		fetch_req_free(q);
		return FM_ENOMEM;
	}
	q->host = h->host;
	h->queued++;
	f->queue[f->nqueue++] = q;
	return 0;
}

/*
 * Returns 1 when x must wait for its host's first answer. Over https a host
 * may speak HTTP/2, and then every transfer to it should be a stream on one
 * connection: the first transfer goes alone (the probe) and the others wait
 * until its status line says which protocol the host speaks. libcurl's own
 * wait (CURLOPT_PIPEWAIT) is not enough: when the server does not name its
 * protocol in the TLS handshake (ALPN), libcurl 7.88 holds the host's other
 * transfers until the first one ends, and then again for each, one at a time.
 */
static int
fetch_gate(fm_fetch *f, struct host_count *h, const struct xfer_req *q)
{
	if (f->opts.connections != FM_FETCH_CONN_SHARE || !*q->host ||
	    strncasecmp(q->req.url, "https:", 6))
		return 0;
	if (h->probe && h->probe->http_major) {
		h->http_major = h->probe->http_major;
		h->probe = NULL;
	}
	if (h->http_major)
		return 0;
	return h->probe != NULL;
}

/* Starts queued transfers, in order, while the limits allow. */
static int
fetch_start_more(fm_fetch *f)
{
	size_t i;

	for (i = f->first; i < f->nqueue && f->running < f->opts.concurrency; i++) {
		struct xfer_req *q = f->queue[i];
		struct host_count *h;
		struct xfer *x;

		if (!q)
			continue;
		if (!(h = fetch_host(f, q->host)))
			return FM_ENOMEM;
		if (*q->host && h->running >= f->opts.per_host)
			continue;
		if (fetch_gate(f, h, q))
			continue;
		f->queue[i] = NULL;
		x = xfer__new(q, &f->opts, &f->cbs);
		if (!x)
			xfer__end_queued(q, &f->cbs, 0);
		fetch_req_free(q);
		if (!x)
			continue;
		x->pipewait = h->http_major == 2;
		if (xfer__start(x) || curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
			if (x->hdrs) /* the line xfer__finish reports (curl's own would say less) */
				snprintf(x->hdrs->errbuf, sizeof x->hdrs->errbuf, "out of memory starting the transfer");
			xfer__finish(x, CURLE_OUT_OF_MEMORY, 0);
			xfer__free(x);
			continue;
		}
		h->running++;
		if (!h->http_major && f->opts.connections == FM_FETCH_CONN_SHARE &&
		    !strncasecmp(x->req.url, "https:", 6))
			h->probe = x;
		f->active[f->running] = x;
		f->running++;
	}
	while (f->first < f->nqueue && !f->queue[f->first])
		f->first++;
	return 0;
}

/*
 * Sizes libcurl's connection cache for the run: every transfer running, and
 * an idle connection kept for each slot of a host with more than one
 * request, so the next of them reuses it instead of connecting again (with
 * too small a cache, connections to hosts further down the queue are closed
 * as soon as they idle).
 */
static void
fetch_size_cache(fm_fetch *f)
{
	size_t i, idle = 0;

	for (i = 0; i < f->nhosts; i++) {
		size_t n = f->hosts[i].queued;
		if (n > 1 && *f->hosts[i].host)
			idle += n < (size_t)f->opts.per_host ? n : (size_t)f->opts.per_host;
	}
	if (idle > FETCH_IDLE_MAX)
		idle = FETCH_IDLE_MAX;
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->opts.concurrency + (long)idle);
}

/* Ends one transfer: callbacks, counters, memory. */
static void
fetch_end(fm_fetch *f, struct xfer *x, CURLcode code, int stopped)
{
	struct host_count *h = fetch_host(f, x->host);
	long conns = 0;
	int i;

	for (i = 0; i < f->running; i++)
		if (f->active[i] == x)
			f->active[i] = f->active[f->running - 1];
	curl_multi_remove_handle(f->multi, x->easy);
	if (*x->host && curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK) {
		f->counts.transfers++;
		f->counts.connections += conns > 0 ? (size_t)conns : 0;
	}
	xfer__finish(x, code, stopped);
	if (h && h->probe == x) {
		/* No answer (a failed connect): the others go on their own. */
		h->http_major = x->http_major ? x->http_major : 1;
		h->probe = NULL;
	}
	if (h)
		h->running--;
	f->running--;
	xfer__free(x);
}

/* Collects finished transfers. */
static void
fetch_collect(fm_fetch *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		fetch_end(f, x, m->data.result, 0);
	}
}

/* Ends everything running or queued as stopped. */
static void
fetch_stop_all(fm_fetch *f)
{
	size_t i;

	while (f->running)
		fetch_end(f, f->active[f->running - 1], CURLE_ABORTED_BY_CALLBACK, 1);
	for (i = f->first; i < f->nqueue; i++) {
		if (!f->queue[i])
			continue;
		xfer__end_queued(f->queue[i], &f->cbs, 1);
		fetch_req_free(f->queue[i]);
		f->queue[i] = NULL;
	}
	f->first = f->nqueue;
}

int
fm_fetch_run(fm_fetch *f, volatile sig_atomic_t *stop)
{
	int still = 0, rc = 0;

	fetch_size_cache(f);
	for (;;) {
		if (stop && *stop) {
			fetch_stop_all(f);
			break;
		}
		if ((rc = fetch_start_more(f)))
			break;
		if (!f->running && f->first >= f->nqueue)
			break;
		if (curl_multi_perform(f->multi, &still) != CURLM_OK) {
			rc = FM_EIO;
			break;
		}
		fetch_collect(f);
		if (f->running && still &&
		    curl_multi_poll(f->multi, NULL, 0, 200, NULL) != CURLM_OK) {
			rc = FM_EIO;
			break;
		}
	}
	if (rc)
		fetch_stop_all(f);
	return rc;
}

void
fm_fetch_counts_get(fm_fetch_counts *out, const fm_fetch *f)
{
	*out = f->counts;
}

void
fm_fetch_free(fm_fetch *f)
{
	size_t i;

	if (!f)
		return;
	for (i = f->first; i < f->nqueue; i++)
		fetch_req_free(f->queue[i]);
	free(f->queue);
	for (i = 0; i < f->nhosts; i++)
		free(f->hosts[i].host);
	free(f->hosts);
	fm__strindex_dispose(&f->host_ix);
	free(f->active);
	curl_multi_cleanup(f->multi);
	free(f);
}
