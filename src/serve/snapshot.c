/* snapshot.c - the served names and each output's current version, in memory. */
#include "serve/serve_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

/* The largest output read into memory: far beyond any feed worth serving. */
#define SNAP_MAX ((size_t)256 << 20)

int64_t
fm__serve_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
fm__serve_common_headers(struct MHD_Response *r)
{
	return MHD_add_response_header(r, "Server", "feedmerge") == MHD_YES ? 0 : FM_ENOMEM;
}

/* Returns the file name part of path (borrowed). */
static const char *
snap_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int
fm__serve_routes_build(struct serve_route **out, size_t *n, const fm_config *cfg,
		       unsigned recheck_ms, fm_diag *diag)
{
	size_t i, j, count = fm_config_output_count(cfg);
	struct serve_route *r;

	*out = NULL;
	*n = 0;
	if (!(r = calloc(count ? count : 1, sizeof *r)))
		return FM_ENOMEM;
	for (i = 0; i < count; i++) {
		const fm_config_output *o = fm_config_output_at(cfg, i);
		const char *base = snap_basename(o->path);

		for (j = 0; j < i; j++)
			if (!strcmp(r[j].name, base)) {
				fm_diag_set(diag, 0, 0, "outputs %s and %s would both be served as /%s: give them different file names",
					    fm_config_output_at(cfg, j)->name, o->name, base);
				fm__serve_routes_free(r, i);
				return FM_EINVAL;
			}
		if (!*base || !strcmp(base, "healthz")) {
			fm_diag_set(diag, 0, 0, "output %s: its file name '%s' cannot be served (/healthz is the health check)",
				    o->name, base);
			fm__serve_routes_free(r, i);
			return FM_EINVAL;
		}
		if (!(r[i].name = strdup(base)) || pthread_mutex_init(&r[i].lock, NULL)) {
			free(r[i].name);
			fm__serve_routes_free(r, i);
			return FM_ENOMEM;
		}
		r[i].path = o->path;
		r[i].type = fm__serve_content_type(o->format);
		r[i].recheck_ms = recheck_ms;
	}
	*out = r;
	*n = count;
	return 0;
}

void
fm__serve_routes_free(struct serve_route *routes, size_t n)
{
	size_t i;

	if (!routes)
		return;
	for (i = 0; i < n; i++) {
		fm__serve_snap_unref(routes[i].cur);
		pthread_mutex_destroy(&routes[i].lock);
		free(routes[i].name);
	}
	free(routes);
}

struct serve_route *
fm__serve_route_find(struct serve_route *routes, size_t n, const char *url)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fm__serve_path_is(url, routes[i].name))
			return &routes[i];
	return NULL;
}

void
fm__serve_snap_unref(struct serve_snap *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	/* Connections still sending keep the responses (and the bytes) alive. */
	if (s->full)
		MHD_destroy_response(s->full);
	if (s->gzip)
		MHD_destroy_response(s->gzip);
	if (s->notmod)
		MHD_destroy_response(s->notmod);
	if (s->notmod_gz)
		MHD_destroy_response(s->notmod_gz);
	free(s);
}

/* Reads all of fd (size bytes expected) into a new buffer *out of *len bytes; returns 0 or an errno. */
static int
snap_read(int fd, size_t size, unsigned char **out, size_t *len)
{
	size_t cap = size + 1, got = 0;
	unsigned char *buf = malloc(cap), *nb;
	ssize_t r;

	if (!buf)
		return ENOMEM;
	for (;;) {
		if (got == cap) {
			/* Not replaced by rename after all: it grew while read. Take what is there. */
			if (cap > SNAP_MAX || !(nb = realloc(buf, cap * 2))) {
				free(buf);
				return cap > SNAP_MAX ? EFBIG : ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*out = buf;
	*len = got;
	return 0;
}

/* Gzips data into a new buffer *out (*olen bytes); returns 0, or -1 when it fails or does not shrink. */
static int
snap_gzip(const unsigned char *data, size_t len, unsigned char **out, size_t *olen)
{
	z_stream z;
	unsigned char *buf;
	uLong bound;
	int rc;

	*out = NULL;
	if (len < 64 || len > (size_t)UINT32_MAX / 2)
		return -1;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	if (!(buf = malloc(bound))) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	*olen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || *olen >= len) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* Returns 1 when the second of sb's mtime is over: its date names this version alone. */
static int
snap_dated(const struct stat *sb)
{
	return (time_t)time(NULL) > sb->st_mtim.tv_sec;
}

/* Adds the validators (etag: the variant's) and caching headers of s to r; returns 0 or FM_ENOMEM. */
static int
snap_validators(struct MHD_Response *r, const struct serve_snap *s, const char *etag)
{
	if (fm__serve_common_headers(r) ||
	    MHD_add_response_header(r, "ETag", etag) != MHD_YES ||
	    (s->last_modified[0] &&
	     MHD_add_response_header(r, "Last-Modified", s->last_modified) != MHD_YES) ||
	    MHD_add_response_header(r, "Cache-Control", "max-age=60") != MHD_YES ||
	    MHD_add_response_header(r, "Vary", "Accept-Encoding") != MHD_YES)
		return FM_ENOMEM;
	return 0;
}

/* Adds what a 200 carries beyond the validators; returns 0 or FM_ENOMEM. */
static int
snap_body_headers(struct MHD_Response *r, const struct serve_snap *s, const char *etag,
		  const char *type)
{
	if (snap_validators(r, s, etag) ||
	    MHD_add_response_header(r, "Content-Type", type) != MHD_YES ||
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES)
		return FM_ENOMEM;
	return 0;
}

/*
 * Reads the file open at fd (its fstat in sb) into a new snapshot with its
 * responses built. Returns it (one reference), or NULL with *err set.
 */
static struct serve_snap *
snap_load(int fd, const struct stat *sb, const char *type, int *err)
{
	struct serve_snap *s;
	unsigned char *data = NULL, *gz = NULL;
	size_t len = 0, gzlen = 0;
	XXH128_hash_t h;

	if ((uintmax_t)sb->st_size > SNAP_MAX) {
		*err = EFBIG;
		return NULL;
	}
	if ((*err = snap_read(fd, (size_t)sb->st_size, &data, &len)))
		return NULL;
	if (!(s = calloc(1, sizeof *s))) {
		free(data);
		*err = ENOMEM;
		return NULL;
	}
	atomic_init(&s->refs, 1);
	s->dev = sb->st_dev;
	s->ino = sb->st_ino;
	s->size = sb->st_size;
	s->mtime = sb->st_mtim;
	h = XXH3_128bits(data, len);
	snprintf(s->etag, sizeof s->etag, "\"%016llx%016llx\"", (unsigned long long)h.high64,
		 (unsigned long long)h.low64);
	snprintf(s->etag_gz, sizeof s->etag_gz, "\"%016llx%016llx-gz\"", (unsigned long long)h.high64,
		 (unsigned long long)h.low64);
	/*
	 * Last-Modified has whole seconds: a version read in the second it was
	 * written could be followed by another with the same date, and a client
	 * sending that date back would be told nothing changed. Such a version
	 * goes out with its ETag only, and is read again once the second is over.
	 */
	if (snap_dated(sb))
		fm__serve_http_date(s->last_modified, sb->st_mtim.tv_sec);
	s->data = data;
	s->len = len;
	/* From here the responses own the buffers: MHD frees them after the last send. */
	if (!(s->full = MHD_create_response_from_buffer_with_free_callback(len, data, free))) {
		free(data);
		goto oom;
	}
	if (!snap_gzip(data, len, &gz, &gzlen)) {
		if (!(s->gzip = MHD_create_response_from_buffer_with_free_callback(gzlen, gz, free))) {
			free(gz);
			goto oom;
		}
		s->gzip_data = gz;
		s->gzip_len = gzlen;
		if (snap_body_headers(s->gzip, s, s->etag_gz, type) ||
		    MHD_add_response_header(s->gzip, "Content-Encoding", "gzip") != MHD_YES ||
		    !(s->notmod_gz = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)) ||
		    snap_validators(s->notmod_gz, s, s->etag_gz))
			goto oom;
	}
	if (!(s->notmod = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)) ||
	    snap_body_headers(s->full, s, s->etag, type) || snap_validators(s->notmod, s, s->etag))
		goto oom;
	return s;
oom:
	fm__serve_snap_unref(s);
	*err = ENOMEM;
	return NULL;
}

/*
 * Returns 1 when sb describes the file version s was read from, and s need
 * not be read again to get its Last-Modified (see snap_load).
 */
static int
snap_same(const struct serve_snap *s, const struct stat *sb)
{
	return s && s->dev == sb->st_dev && s->ino == sb->st_ino && s->size == sb->st_size &&
	       s->mtime.tv_sec == sb->st_mtim.tv_sec && s->mtime.tv_nsec == sb->st_mtim.tv_nsec &&
	       (s->last_modified[0] || !snap_dated(sb));
}

/* Looks at r's file again and replaces r->cur when it changed. Called with r->lock held. */
static void
snap_refresh(struct serve_route *r)
{
	struct serve_snap *s;
	struct stat sb;
	int fd, err = 0;

	if (stat(r->path, &sb) == 0 && snap_same(r->cur, &sb))
		return;
	/* Changed, or gone: open first, then fstat what was opened, so the key matches the bytes. */
	if ((fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0) {
		err = errno;
	} else if (fstat(fd, &sb) < 0) {
		err = errno;
	} else if (!S_ISREG(sb.st_mode)) {
		err = EISDIR;
	} else if (snap_same(r->cur, &sb)) {
		close(fd);
		return;
	}
	if (err) {
		if (fd >= 0)
			close(fd);
		fm__serve_snap_unref(r->cur);
		r->cur = NULL;
		r->err = err;
		return;
	}
	s = snap_load(fd, &sb, r->type, &err);
	close(fd);
	if (!s && err == ENOMEM && r->cur)
		return; /* keep serving the version there is */
	fm__serve_snap_unref(r->cur);
	r->cur = s;
	r->err = s ? 0 : err;
}

struct serve_snap *
fm__serve_snap_get(struct serve_route *r)
{
	struct serve_snap *s;
	int64_t now = fm__serve_now_ms();

	pthread_mutex_lock(&r->lock);
	if (!r->checked || now - r->checked >= (int64_t)r->recheck_ms) {
		r->checked = now ? now : 1;
		snap_refresh(r);
	}
	if ((s = r->cur))
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&r->lock);
	return s;
}
