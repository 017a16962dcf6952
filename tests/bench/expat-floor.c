/*
 * expat-floor.c - how fast expat alone reads the benchmark's files.
 *
 *     expat-floor [-n] FILE...
 *
 * Parses each file with no-op start, end and character-data handlers,
 * reading it in 64 KiB chunks with fread and handing each chunk to
 * XML_Parse, as `feedmerge parse` does. Without -n the parser comes from
 * XML_ParserCreate(NULL) (no namespace processing: the plain floor); with
 * -n from XML_ParserCreateNS(NULL, '\1') (feedmerge's configuration, which
 * costs expat a namespace lookup per element and attribute).
 *
 * expat decodes UTF-8, UTF-16, US-ASCII and ISO-8859-1 itself; an unknown
 * encoding handler adds windows-1252 so the corpus's few such files are
 * read in full. feedmerge instead converts every document to UTF-8 in its
 * own decoder and hands expat UTF-8, so that conversion is part of the
 * difference the benchmark measures.
 *
 * Prints one line: bytes, wall seconds, CPU seconds, files, files with an
 * XML error (each error is also reported on stderr). Exits 1 if a file
 * could not be read or failed to parse.
 *
 * Built by parse-bench.sh: cc -O2 -o expat-floor expat-floor.c -lexpat
 */
#define _POSIX_C_SOURCE 200809L
#include <expat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "expat-noop.h"

#define FLOOR_CHUNK 65536

/* Returns the clock's reading in seconds. */
static double
floor_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses one file; adds its size to *bytes. Returns 0, or -1 on a read or XML error. */
static int
floor_parse(const char *path, int ns, unsigned long long *bytes)
{
	static char chunk[FLOOR_CHUNK];
	XML_Parser xp;
	FILE *f;
	size_t n;
	int error = 0;

	if (!(f = fopen(path, "rb"))) {
		perror(path);
		return -1;
	}
	xp = ns ? XML_ParserCreateNS(NULL, '\1') : XML_ParserCreate(NULL);
	if (!xp) {
		fprintf(stderr, "%s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	noop_setup(xp);
	do {
		n = fread(chunk, 1, sizeof(chunk), f);
		*bytes += n;
		if (XML_Parse(xp, chunk, (int)n, n == 0) != XML_STATUS_OK) {
			fprintf(stderr, "%s:%lu:%lu: %s\n", path,
				(unsigned long)XML_GetCurrentLineNumber(xp),
				(unsigned long)XML_GetCurrentColumnNumber(xp),
				XML_ErrorString(XML_GetErrorCode(xp)));
			error = -1;
			break;
		}
	} while (n > 0);
	if (ferror(f)) {
		perror(path);
		error = -1;
	}
	XML_ParserFree(xp);
	fclose(f);
	return error;
}

int
main(int argc, char **argv)
{
	unsigned long long bytes = 0;
	double wall, cpu;
	int ns = 0, failed = 0, files = 0, i = 1;

	if (i < argc && strcmp(argv[i], "-n") == 0) {
		ns = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: expat-floor [-n] FILE...\n");
		return 2;
	}
	wall = floor_now(CLOCK_MONOTONIC);
	cpu = floor_now(CLOCK_PROCESS_CPUTIME_ID);
	for (; i < argc; i++, files++)
		if (floor_parse(argv[i], ns, &bytes) < 0)
			failed++;
	wall = floor_now(CLOCK_MONOTONIC) - wall;
	cpu = floor_now(CLOCK_PROCESS_CPUTIME_ID) - cpu;
	printf("%llu\t%.6f\t%.6f\t%d\t%d\n", bytes, wall, cpu, files, failed);
	return failed ? 1 : 0;
}
