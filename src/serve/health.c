/* health.c - /healthz: the last pass recorded in the state, read at most once a second. */
#include "serve/serve_int.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How long one reading of the state answers /healthz. */
#define HEALTH_CACHE_MS 1000

int
fm__serve_health_init(struct serve_health *h, const char *state)
{
	memset(h, 0, sizeof *h);
	h->state = state;
	return pthread_mutex_init(&h->lock, NULL) ? FM_ENOMEM : 0;
}

void
fm__serve_health_dispose(struct serve_health *h)
{
	fm_store_close(h->st);
	fm_buf_dispose(&h->body);
	pthread_mutex_destroy(&h->lock);
}

/* Reads the last pass into h->code and h->body. Called with h->lock held. */
static void
health_read(struct serve_health *h)
{
	fm_store_pass p;
	struct stat sb;
	int rc = FM_EINVAL, code, exists;

	/* No state file yet: no pass ever ran; never create it from here. Another file: reopen. */
	exists = !stat(h->state, &sb);
	if (h->st && (!exists || sb.st_dev != h->dev || sb.st_ino != h->ino)) {
		fm_store_close(h->st);
		h->st = NULL;
	}
	if (!h->st && exists && !fm_store_open_readonly(&h->st, h->state, NULL)) {
		h->dev = sb.st_dev;
		h->ino = sb.st_ino;
	}
	if (h->st && (rc = fm_store_pass_get(h->st, &p)) == FM_EIO) {
		/* Replaced or broken under us: open it afresh next time. */
		fm_store_close(h->st);
		h->st = NULL;
	}
	fm_buf_clear(&h->body);
	code = fm__serve_health_body(&h->body, rc ? NULL : &p, (fm_time)time(NULL));
	h->code = code < 0 ? 503 : code;
	if (!rc)
		fm_store_pass_clear(&p);
}

struct MHD_Response *
fm__serve_health_response(struct serve_health *h, unsigned *code)
{
	struct MHD_Response *r;
	int64_t now = fm__serve_now_ms();

	pthread_mutex_lock(&h->lock);
	if (!h->at || now - h->at >= HEALTH_CACHE_MS) {
		h->at = now ? now : 1;
		health_read(h);
	}
	*code = (unsigned)h->code;
	r = MHD_create_response_from_buffer(h->body.size, h->body.ptr, MHD_RESPMEM_MUST_COPY);
	pthread_mutex_unlock(&h->lock);
	if (r && (fm__serve_common_headers(r) ||
		  MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8") != MHD_YES ||
		  MHD_add_response_header(r, "Cache-Control", "no-store") != MHD_YES)) {
		MHD_destroy_response(r);
		r = NULL;
	}
	return r;
}
