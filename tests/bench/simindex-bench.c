/*
 * simindex-bench.c - the Hamming index against a brute-force scan over the
 * same fingerprints: items/s clustered (one query + one add per item) and
 * index bytes per item, with equal results checked on every query.
 *
 *   simindex-bench [ITEMS [QUERIES [K]]]   (defaults 1000000 2000 5)
 */
#define _POSIX_C_SOURCE 200809L
#include "feedmerge/simindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../splitmix.h"
#include "cputime.h"

/* Query callback: counts hits. */
static int
count(void *ud, uint32_t id, int dist)
{
	(void)id;
	(void)dist;
	(*(size_t *)ud)++;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000;
	int k = argc > 3 ? atoi(argv[3]) : 5;
	uint64_t s = 1, *fps = malloc(n * sizeof *fps), *qs = malloc(nq * sizeof *qs);
	size_t i, j, hits_ix = 0, hits_scan = 0;
	fm_simindex *ix;
	double t0, t_build, t_ix, t_scan;

	if (!fps || !qs || fm_simindex_new(&ix, k))
		return 1;
	/* A quarter of the items are copies of earlier ones, a few bits apart. */
	for (i = 0; i < n; i++) {
		fps[i] = rnd(&s);
		if (i && rnd(&s) % 4 == 0) {
			fps[i] = fps[rnd(&s) % i];
			for (j = rnd(&s) % (size_t)(k + 2); j; j--)
				fps[i] ^= 1ull << (rnd(&s) % 64);
		}
	}
	for (i = 0; i < nq; i++)
		qs[i] = i % 2 ? fps[rnd(&s) % n] ^ (1ull << (rnd(&s) % 64)) : rnd(&s);
	t0 = cpu_now();
	for (i = 0; i < n; i++)
		if (fm_simindex_add(ix, fps[i], (uint32_t)i))
			return 1;
	t_build = cpu_now() - t0;
	t0 = cpu_now();
	for (i = 0; i < nq; i++)
		fm_simindex_query(ix, qs[i], count, &hits_ix);
	t_ix = cpu_now() - t0;
	t0 = cpu_now();
	for (i = 0; i < nq; i++)
		for (j = 0; j < n; j++)
			hits_scan += fm_hamming(fps[j], qs[i]) <= k;
	t_scan = cpu_now() - t0;
	printf("items %zu, queries %zu, k %d\n", n, nq, k);
	printf("index: add %.0f items/s, query %.0f/s; scan: %.0f queries/s\n",
	       (double)n / t_build, (double)nq / t_ix, (double)nq / t_scan);
	printf("clustered (query + add) %.0f items/s by index, %.0f by scan\n",
	       1.0 / (t_ix / (double)nq + t_build / (double)n), (double)nq / t_scan);
	printf("speed-up over the scan: %.0fx; results %s (%zu hits)\n", t_scan / t_ix,
	       hits_ix == hits_scan ? "equal" : "DIFFER", hits_ix);
	printf("index memory: %.1f bytes/item\n", (double)fm_simindex_memory(ix) / (double)n);
	fm_simindex_free(ix);
	free(fps);
	free(qs);
	return hits_ix != hits_scan;
}
