/*
 * fingerprint-bench.c - throughput of fm_fingerprint_item (text
 * normalisation plus fingerprinting) on one core, against lighter passes
 * over the same bytes measured in the same run.
 *
 *     fingerprint-bench [-r REPS] [-t SECONDS] [-s STAGE] FEED...
 *
 * Parses every FEED with feedmerge's own parser (not timed) and keeps a copy
 * of each item's title, summary and content in memory; nothing is written
 * to disk. Then, REPS times (default 7), runs each stage below over all
 * items, pass after pass until SECONDS (default 0.5) of CPU time have gone
 * by, the stages taking turns within each repetition:
 *
 *   scan      strlen + memchr('<') over the title and the body: touching the bytes
 *   from_html fm_text_from_html on the body
 *   text      fm_text_from_html on the body, fm_text_normalise on its text and on the title
 *   fp        fm_fingerprint_item(fp, item, NULL, NULL, NULL): the figure
 *   fp+cb     fm_fingerprint_item with no-op is_boiler and para_cb callbacks
 *   ingest    what run__ingest does to a new item: the learning call (para_cb)
 *             then the fingerprinting call (is_boiler), both with no-op
 *             callbacks (the SQLite lookups they stand for are not measured)
 *
 * "body" is the item's content, else its summary, as fm_fingerprint_item
 * chooses. Every MB/s is 10^6 bytes of item text (title + HTML body) per
 * second of CPU time of this process (CLOCK_PROCESS_CPUTIME_ID); items/s
 * likewise. Prints the median of the repetitions, their spread, and the
 * median of the per-repetition ratios of fp to each other stage.
 * -s STAGE (0-5, in the order above) runs that stage alone, for perf.
 */
#define _POSIX_C_SOURCE 200809L
#include "feedmerge/buf.h"
#include "feedmerge/fingerprint.h"
#include "feedmerge/parse.h"
#include "feedmerge/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cputime.h"

struct fb_item {
	char *title, *summary, *content;
	const char *body; /* content, else summary (NULL when neither) */
	size_t body_len, title_len;
};

struct fb_set {
	struct fb_item *v;
	size_t n, a;
};

enum { ST_SCAN, ST_HTML, ST_TEXT, ST_FP, ST_FPCB, ST_INGEST, ST_N };
static const char *const st_name[ST_N] = {
	"scan (strlen+memchr)", "fm_text_from_html", "from_html+normalise",
	"fm_fingerprint_item", "fingerprint + no-op cbs", "ingest (learn+fp calls)",
};

static volatile uint64_t sink;

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Parser callback: keeps a copy of the item's text. */
static int
keep_item(const fm_item *item, void *payload)
{
	struct fb_set *set = payload;
	struct fb_item *it;

	if (set->n == set->a) {
		size_t a = set->a ? set->a * 2 : 1024;
		struct fb_item *v = realloc(set->v, a * sizeof *v);

		if (!v)
			return 1;
		set->v = v;
		set->a = a;
	}
	it = &set->v[set->n++];
	it->title = dup_or_null(item->title);
	it->summary = dup_or_null(item->summary);
	it->content = dup_or_null(item->content);
	it->body = it->content && *it->content ? it->content : it->summary;
	it->body_len = it->body ? strlen(it->body) : 0;
	it->title_len = it->title ? strlen(it->title) : 0;
	return 0;
}

/* Parses one feed file into set; returns 0 or -1. */
static int
load_feed(struct fb_set *set, const char *path)
{
	char chunk[65536];
	fm_parser *p;
	size_t n;
	FILE *f;
	int rc;

	if (!(f = fopen(path, "rb"))) {
		perror(path);
		return -1;
	}
	if (fm_parser_new(&p, NULL, keep_item, NULL, set)) {
		fclose(f);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (fm_parser_push(p, chunk, n) < 0)
			break;
	fclose(f);
	rc = fm_parser_finish(p);
	fm_parser_free(p);
	if (rc < 0) {
		fprintf(stderr, "%s: not parsed (%d)\n", path, rc);
		return -1;
	}
	return 0;
}

static int
noop_boiler(void *ud, uint64_t h)
{
	(void)ud;
	sink += h & 1;
	return 0;
}

static void
noop_para(void *ud, uint64_t h)
{
	(void)ud;
	sink += h & 1;
}

/* Counts '<' in s[0..len) with memchr. */
static size_t
count_lt(const char *s, size_t len)
{
	size_t c = 0;
	const char *e = s + len, *q;

	while (s < e && (q = memchr(s, '<', (size_t)(e - s)))) {
		c++;
		s = q + 1;
	}
	return c;
}

/* One pass of stage st over every item; returns 0 or -1. */
static int
run_pass(int st, const struct fb_set *set, fm_buf *text, fm_buf *norm, fm_fingerprint *fp,
	 uint64_t *check)
{
	fm_item item;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct fb_item *it = &set->v[i];

		switch (st) {
		case ST_SCAN:
			*check += (it->title ? count_lt(it->title, strlen(it->title)) : 0) +
				  (it->body ? count_lt(it->body, strlen(it->body)) : 0);
			break;
		case ST_HTML:
		case ST_TEXT:
			fm_buf_clear(text);
			if (it->body && fm_text_from_html(text, it->body, it->body_len) < 0)
				return -1;
			*check += text->size;
			if (st == ST_HTML)
				break;
			fm_buf_clear(norm);
			if (it->title && fm_text_normalise(norm, it->title, it->title_len) < 0)
				return -1;
			if (fm_text_normalise(norm, fm_buf_cstr(text), text->size) < 0)
				return -1;
			*check += norm->size;
			break;
		default:
			memset(&item, 0, sizeof item);
			item.title = it->title;
			item.summary = it->summary;
			item.content = it->content;
			if (st == ST_INGEST &&
			    fm_fingerprint_item(fp, &item, NULL, noop_para, NULL))
				return -1;
			if (fm_fingerprint_item(fp, &item, st == ST_FP ? NULL : noop_boiler,
						st == ST_FPCB ? noop_para : NULL, NULL))
				return -1;
			*check += fp->simhash ^ fp->nsketch;
			break;
		}
	}
	return 0;
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (lower middle for an even n); sorts a copy. */
static double
median(const double *v, size_t n)
{
	double tmp[256];

	memcpy(tmp, v, n * sizeof *v);
	qsort(tmp, n, sizeof *tmp, cmp_dbl);
	return tmp[(n - 1) / 2];
}

static double
dmin(const double *v, size_t n)
{
	double m = v[0];

	for (size_t i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static double
dmax(const double *v, size_t n)
{
	double m = v[0];

	for (size_t i = 1; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

int
main(int argc, char **argv)
{
	struct fb_set set = { 0 };
	fm_buf text = FM_BUF_INIT, norm = FM_BUF_INIT;
	fm_fingerprint *fp = malloc(sizeof *fp);
	double limit = 0.5, rate[ST_N][256], wall[ST_N][256], ratio[256];
	size_t bytes = 0, body_bytes = 0, no_body = 0, nfeeds, i;
	uint64_t check[ST_N] = { 0 };
	int reps = 7, argi = 1, only = -1, st, r, status = 1;

	while (argi + 1 < argc && argv[argi][0] == '-') {
		if (strcmp(argv[argi], "-t") == 0)
			limit = atof(argv[argi + 1]);
		else if (strcmp(argv[argi], "-r") == 0)
			reps = atoi(argv[argi + 1]);
		else if (strcmp(argv[argi], "-s") == 0)
			only = atoi(argv[argi + 1]);
		else
			break;
		argi += 2;
	}
	if (argi >= argc || limit <= 0 || reps < 1 || reps > 256 || only >= ST_N || !fp) {
		fprintf(stderr, "usage: fingerprint-bench [-r REPS] [-t SECONDS] [-s STAGE] FEED...\n");
		return 2;
	}
	nfeeds = (size_t)(argc - argi);
	for (i = 0; i < nfeeds; i++)
		if (load_feed(&set, argv[argi + (int)i]) < 0)
			goto out;
	for (i = 0; i < set.n; i++) {
		bytes += set.v[i].title_len + set.v[i].body_len;
		body_bytes += set.v[i].body_len;
		no_body += !set.v[i].body;
	}
	if (!set.n || !bytes) {
		fprintf(stderr, "fingerprint-bench: no items\n");
		goto out;
	}
	if (only >= 0) {
		double c0 = cpu_now();

		do
			if (run_pass(only, &set, &text, &norm, fp, &check[only]) < 0)
				goto out;
		while (cpu_now() - c0 < limit * reps);
		printf("%s: %.1f s (checksum %llx)\n", st_name[only], cpu_now() - c0,
		       (unsigned long long)check[only]);
		status = 0;
		goto out;
	}
	/* One unmeasured pass of each stage: page faults, buffer growth, caches. */
	for (st = 0; st < ST_N; st++)
		if (run_pass(st, &set, &text, &norm, fp, &check[st]) < 0)
			goto out;
	for (r = 0; r < reps; r++) {
		for (st = 0; st < ST_N; st++) {
			double c0 = cpu_now(), w0 = wall_now(), c1;
			unsigned long passes = 0;

			do {
				if (run_pass(st, &set, &text, &norm, fp, &check[st]) < 0)
					goto out;
				passes++;
			} while ((c1 = cpu_now()) - c0 < limit);
			rate[st][r] = (double)bytes * (double)passes / (c1 - c0);
			wall[st][r] = (double)bytes * (double)passes / (wall_now() - w0);
		}
	}
	printf("input: %zu feeds, %zu items (%zu with neither content nor summary), "
	       "%zu bytes of item text (%zu of HTML body, %.0f bytes/item)\n",
	       nfeeds, set.n, no_body, bytes, body_bytes, (double)bytes / (double)set.n);
	printf("median of %d repetitions, each stage >= %.2f s of CPU per repetition, one thread\n\n",
	       reps, limit);
	printf("%-26s %9s %9s %11s %9s %17s %10s\n", "stage", "MB/s_cpu", "MB/s_wall", "items/s",
	       "us/item", "spread MB/s", "fp/stage");
	for (st = 0; st < ST_N; st++) {
		double m = median(rate[st], (size_t)reps);

		for (r = 0; r < reps; r++)
			ratio[r] = rate[ST_FP][r] / rate[st][r];
		printf("%-26s %9.1f %9.1f %11.0f %9.1f %8.1f-%-8.1f %10.3f\n", st_name[st], m / 1e6,
		       median(wall[st], (size_t)reps) / 1e6, m / (double)bytes * (double)set.n,
		       1e6 / (m / (double)bytes * (double)set.n), dmin(rate[st], (size_t)reps) / 1e6,
		       dmax(rate[st], (size_t)reps) / 1e6, median(ratio, (size_t)reps));
	}
	printf("\nfp/stage: median over the repetitions of fm_fingerprint_item's rate over the "
	       "stage's (paired per repetition).\n");
	printf("(checksums %llx %llx %llx %llx)\n", (unsigned long long)check[ST_SCAN],
	       (unsigned long long)check[ST_TEXT], (unsigned long long)check[ST_FP],
	       (unsigned long long)sink);
	status = 0;
out:
	for (i = 0; i < set.n; i++) {
		free(set.v[i].title);
		free(set.v[i].summary);
		free(set.v[i].content);
	}
	free(set.v);
	free(fp);
	fm_buf_dispose(&text);
	fm_buf_dispose(&norm);
	return status;
}
