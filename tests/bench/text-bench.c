/*
 * text-bench.c - throughput of fm_text_from_html and fm_text_normalise.
 *
 *     text-bench [-t SECONDS] FILE...
 *
 * Reads each FILE whole as one HTML fragment (an item's content), then
 * converts every fragment to text, then normalises every text, over and
 * over until SECONDS (default 2) of CPU time have passed, reusing the
 * buffers as the pipeline does. Prints MB/s (10^6 bytes of HTML input per second of
 * CPU time) for each stage and for both together, and the bytes each stage
 * produced. See README.md for building it.
 */
#define _POSIX_C_SOURCE 200809L
#include "feedmerge/buf.h"
#include "feedmerge/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cputime.h"

struct bench_doc {
	char *data;
	size_t len;
};

/* Reads path whole into d; returns 0 or -1 (with a message). */
static int
bench_read(struct bench_doc *d, const char *path)
{
	fm_buf b = FM_BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f;

	if (!(f = fopen(path, "rb"))) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (fm_buf_append(&b, chunk, n) < 0) {
			fclose(f);
			fm_buf_dispose(&b);
			fprintf(stderr, "%s: out of memory\n", path);
			return -1;
		}
	}
	if (ferror(f)) {
		perror(path);
		fclose(f);
		fm_buf_dispose(&b);
		return -1;
	}
	fclose(f);
	d->len = b.size;
	d->data = b.ptr ? fm_buf_detach(&b) : calloc(1, 1);
	return d->data ? 0 : -1;
}

int
main(int argc, char **argv)
{
	fm_buf norm = FM_BUF_INIT, *texts = NULL;
	struct bench_doc *docs;
	double limit = 2.0, t_html = 0, t_norm = 0, t0, t1, t2;
	size_t ndocs, i, in_bytes = 0, text_bytes = 0, norm_bytes = 0;
	unsigned long reps = 0;
	int argi = 1, status = 1;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		limit = atof(argv[2]);
		argi = 3;
	}
	if (argi >= argc || limit <= 0) {
		fprintf(stderr, "usage: text-bench [-t SECONDS] FILE...\n");
		return 2;
	}
	ndocs = (size_t)(argc - argi);
	if (!(docs = calloc(ndocs, sizeof(*docs))))
		return 1;
	for (i = 0; i < ndocs; i++) {
		if (bench_read(&docs[i], argv[argi + (int)i]) < 0)
			goto out;
		in_bytes += docs[i].len;
	}
	if (!(texts = calloc(ndocs, sizeof(*texts))))
		goto out;
	do {
		text_bytes = norm_bytes = 0;
		/* Each stage over all fragments between two clock readings. */
		t0 = cpu_now();
		for (i = 0; i < ndocs; i++) {
			fm_buf_clear(&texts[i]);
			if (fm_text_from_html(&texts[i], docs[i].data, docs[i].len) < 0)
				goto out;
		}
		t1 = cpu_now();
		for (i = 0; i < ndocs; i++) {
			fm_buf_clear(&norm);
			if (fm_text_normalise(&norm, fm_buf_cstr(&texts[i]), texts[i].size) < 0)
				goto out;
			norm_bytes += norm.size;
		}
		t2 = cpu_now();
		for (i = 0; i < ndocs; i++)
			text_bytes += texts[i].size;
		t_html += t1 - t0;
		t_norm += t2 - t1;
		reps++;
	} while (t_html + t_norm < limit);
	printf("input: %zu files, %zu bytes of HTML; %lu passes\n", ndocs, in_bytes, reps);
	printf("text: %zu bytes, normalised: %zu bytes (per pass)\n", text_bytes, norm_bytes);
	printf("fm_text_from_html            %8.1f MB/s (of HTML)\n",
	       (double)in_bytes * (double)reps / t_html / 1e6);
	printf("fm_text_normalise            %8.1f MB/s (of HTML), %.1f MB/s (of its text input)\n",
	       (double)in_bytes * (double)reps / t_norm / 1e6,
	       (double)text_bytes * (double)reps / t_norm / 1e6);
	printf("from_html + normalise        %8.1f MB/s (of HTML)\n",
	       (double)in_bytes * (double)reps / (t_html + t_norm) / 1e6);
	status = 0;
out:
	for (i = 0; i < ndocs; i++) {
		free(docs[i].data);
		if (texts)
			fm_buf_dispose(&texts[i]);
	}
	free(docs);
	free(texts);
	fm_buf_dispose(&norm);
	return status;
}
