/*
 * parse-inproc.c - the parser against expat's floor, in one process, per file.
 *
 *     parse-inproc [-r REPS] [-m both|floor|ours] FILE...
 *
 * Reads each FILE whole into memory, then parses it REPS times (default 7)
 * with expat alone (XML_ParserCreate(NULL), no-op handlers, as
 * expat-floor.c without -n) and REPS times with fm_parser (no-op item
 * callback), alternating the two, each pass handing the bytes over in
 * 64 KiB pushes. Keeps the fastest pass of each, in thread CPU time, so
 * neither the process's start-up (dynamic loading), the file reads nor a
 * noisy neighbour's worst moments are in the figure.
 *
 * Prints "path bytes floor_us ours_us" per file, then one "total" line with
 * the sums and the ratio floor / ours (1.0 would be expat's speed). With
 * -m floor or -m ours only that side runs (for callgrind or perf); the
 * other column is then 0.
 *
 * Build: tests/bench/build-cbench.sh build-bench parse-inproc
 */
#define _POSIX_C_SOURCE 200809L
#include "feedmerge/parse.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cputime.h"
#include "expat-noop.h"

#define INPROC_CHUNK 65536

static int
inproc_item(const fm_item *item, void *payload)
{
	(void)item;
	(void)payload;
	return 0;
}

/* One expat pass over data; returns its CPU seconds. */
static double
inproc_floor(const char *data, size_t len)
{
	double t0 = cpu_thread_now();
	XML_Parser xp = XML_ParserCreate(NULL);
	size_t off, n;

	if (!xp)
		abort();
	noop_setup(xp);
	for (off = 0; off < len; off += n) {
		n = len - off < INPROC_CHUNK ? len - off : INPROC_CHUNK;
		if (XML_Parse(xp, data + off, (int)n, 0) != XML_STATUS_OK)
			break;
	}
	XML_Parse(xp, "", 0, 1);
	XML_ParserFree(xp);
	return cpu_thread_now() - t0;
}

/* One fm_parser pass over data; returns its CPU seconds. */
static double
inproc_ours(const char *data, size_t len)
{
	double t0 = cpu_thread_now();
	fm_parser *p;
	size_t off, n;

	if (fm_parser_new(&p, NULL, inproc_item, NULL, NULL) < 0)
		abort();
	for (off = 0; off < len; off += n) {
		n = len - off < INPROC_CHUNK ? len - off : INPROC_CHUNK;
		if (fm_parser_push(p, data + off, n) < 0)
			break;
	}
	fm_parser_finish(p);
	fm_parser_free(p);
	return cpu_thread_now() - t0;
}

/* Reads path whole; returns a malloc'd buffer (caller frees) and its length in *len, or NULL. */
static char *
inproc_read(const char *path, size_t *len)
{
	char *data = NULL, *grown;
	size_t cap = 0, n;
	FILE *f;

	*len = 0;
	if (!(f = fopen(path, "rb"))) {
		perror(path);
		return NULL;
	}
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : INPROC_CHUNK;
			if (!(grown = realloc(data, cap)))
				break;
			data = grown;
		}
		n = fread(data + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f) || *len == cap) {
		perror(path);
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

int
main(int argc, char **argv)
{
	double sum_floor = 0, sum_ours = 0;
	unsigned long long bytes = 0;
	int reps = 7, do_floor = 1, do_ours = 1, i = 1, r;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-r") == 0) {
			reps = atoi(argv[i + 1]);
		} else if (strcmp(argv[i], "-m") == 0) {
			do_floor = strcmp(argv[i + 1], "ours") != 0;
			do_ours = strcmp(argv[i + 1], "floor") != 0;
		} else {
			break;
		}
	}
	if (i >= argc || reps < 1) {
		fprintf(stderr, "usage: parse-inproc [-r REPS] [-m both|floor|ours] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		double best_floor = 1e9, best_ours = 1e9, t;
		size_t len;
		char *data = inproc_read(argv[i], &len);

		if (!data)
			return 1;
		for (r = 0; r < reps; r++) {
			if (do_floor && (t = inproc_floor(data, len)) < best_floor)
				best_floor = t;
			if (do_ours && (t = inproc_ours(data, len)) < best_ours)
				best_ours = t;
		}
		if (!do_floor)
			best_floor = 0;
		if (!do_ours)
			best_ours = 0;
		printf("%s %zu %.1f %.1f\n", argv[i], len, best_floor * 1e6, best_ours * 1e6);
		sum_floor += best_floor;
		sum_ours += best_ours;
		bytes += len;
		free(data);
	}
	printf("total %llu %.1f %.1f ratio %.3f\n", bytes, sum_floor * 1e6, sum_ours * 1e6,
	       sum_ours > 0 ? sum_floor / sum_ours : 0.0);
	return 0;
}
