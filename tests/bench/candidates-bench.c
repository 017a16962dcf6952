/*
 * candidates-bench.c - the candidate index clustering queries (lead
 * SimHash within k, text and headline keys: fm_candidates) against a
 * brute-force comparison of the same keys with every item: items/s
 * clustered (one query + one add per item), equal results on every query
 * checked, and index bytes per item.
 *
 *   candidates-bench [ITEMS [QUERIES [CAP]]]   (defaults 1000000 200 256)
 *
 * The items are made to look like a window of news: each has a random
 * lead, a bottom-128 sketch of 20-400 random 3-gram hashes and a headline
 * of 5-12 words drawn from a Zipf vocabulary of 50,000 words; a quarter are
 * copies of an earlier item that keep 30-100% of its shingles, most of its
 * headline words and (half of them) its lead within a few bits. Every item
 * has a link; a tenth of the copies keep the original's.
 */
#define _POSIX_C_SOURCE 200809L
#include "feedmerge/candidates.h"
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../splitmix.h"
#include "cputime.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v[0 .. n), drops repeats, keeps the smallest max; returns how many. */
static uint32_t
bottom(uint32_t *v, uint32_t n, uint32_t max)
{
	uint32_t i, u = 0;

	qsort(v, n, sizeof *v, cmp_u32);
	for (i = 0; i < n; i++)
		if (!u || v[i] != v[u - 1])
			v[u++] = v[i];
	return u < max ? u : max;
}

/* A word of the Zipf vocabulary (rank r has weight 1/r): its hash. */
static uint32_t
zipf_word(uint64_t *s, const double *cdf, uint32_t nwords)
{
	double x = (double)(rnd(s) >> 11) / 9007199254740992.0;
	uint32_t lo = 0, hi = nwords - 1;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cdf[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo + 1) * 2654435761u;
}

/* Brute force: item j's keys, precomputed and sorted, compared by merging. */
struct keys {
	uint64_t lead;
	uint32_t n;
	uint64_t k[FM_DEDUP_POSTINGS]; /* key << 4 | kind, ascending */
};

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
keys_of(struct keys *k, const fm_fingerprint *fp)
{
	uint32_t v[FM_DEDUP_POSTINGS];
	unsigned kinds[FM_DEDUP_POSTINGS];
	size_t n = fm_dedup_postings(fp, v, kinds), i;

	k->lead = fp->simhash;
	k->n = (uint32_t)n;
	for (i = 0; i < n; i++)
		k->k[i] = (uint64_t)v[i] << 4 | kinds[i];
	qsort(k->k, n, sizeof *k->k, cmp_u64);
}

/* The FM_DEDUP_KEY_* bits a and b share, as fm_dedup_keys says (but for kinds: see below). */
static unsigned
keys_shared(const struct keys *a, const struct keys *b, int k)
{
	unsigned bits = fm_hamming(a->lead, b->lead) <= k ? FM_DEDUP_KEY_LEAD : 0;
	uint32_t i = 0, j = 0;

	/* As the index does: equal key values, of the kind of a's key (a text key equal to a headline key counts). */
	while (i < a->n && j < b->n) {
		if (a->k[i] >> 4 < b->k[j] >> 4) {
			i++;
		} else if (b->k[j] >> 4 < a->k[i] >> 4) {
			j++;
		} else {
			bits |= (unsigned)(a->k[i] & 15);
			i++;
		}
	}
	return bits;
}

/* Index query callback: sums ids and bits, counts hits. */
struct tally {
	size_t hits;
	uint64_t sum;
};

static int
tally(void *ud, uint32_t id, unsigned keys)
{
	struct tally *t = ud;

	t->hits++;
	t->sum += (uint64_t)id * 16 + keys;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
	size_t cap = argc > 3 ? strtoul(argv[3], NULL, 10) : 256;
	enum { NWORDS = 50000 };
	fm_fingerprint *fps = malloc(n * sizeof *fps);
	struct keys *keys = malloc(n * sizeof *keys);
	double *cdf = malloc(NWORDS * sizeof *cdf), sum = 0, t0, t_add = 0, t_query = 0, t_scan = 0;
	uint32_t tmp[512 + FM_FP_SKETCH];
	fm_dedup_params p;
	fm_candidates *ci, *exact;
	uint64_t s = 7;
	size_t i, j, every, nqs = 0, differ = 0, hits_ix = 0, hits_scan = 0;

	if (!fps || !keys || !cdf)
		return 1;
	fm_dedup_defaults(&p);
	for (i = 0; i < NWORDS; i++)
		sum += 1.0 / (double)(i + 1);
	for (i = 0, cdf[0] = 0; i < NWORDS; i++)
		cdf[i] = (i ? cdf[i - 1] : 0) + 1.0 / (double)(i + 1) / sum;
	memset(fps, 0, n * sizeof *fps);
	for (i = 0; i < n; i++) {
		fm_fingerprint *f = &fps[i];
		uint32_t m = 0, sh = 20 + (uint32_t)(rnd(&s) % 381), w;

		if (i && rnd(&s) % 4 == 0) { /* a copy of an earlier item */
			const fm_fingerprint *o = &fps[rnd(&s) % i];
			double keep = 0.3 + 0.7 * (double)(rnd(&s) % 1000) / 1000.0;

			f->simhash = rnd(&s) % 2 ? o->simhash ^ (1ull << (rnd(&s) % 64)) : rnd(&s);
			f->link = rnd(&s) % 10 ? rnd(&s) | 1 : o->link; /* a tenth at the original's address */
			for (j = 0; j < o->nsketch; j++)
				if ((double)(rnd(&s) % 1000) / 1000.0 < keep)
					tmp[m++] = o->sketch[j];
			while (m < FM_FP_SKETCH && m < o->nsketch + 64)
				tmp[m++] = (uint32_t)rnd(&s);
			for (j = 0; j < o->ntitle; j++)
				if (rnd(&s) % 5)
					f->title_words[f->ntitle++] = o->title_words[j];
		} else {
			f->simhash = rnd(&s);
			f->link = rnd(&s) | 1;
			for (j = 0; j < sh && m < 512; j++)
				tmp[m++] = (uint32_t)rnd(&s);
		}
		f->nsketch = bottom(tmp, m, FM_FP_SKETCH);
		memcpy(f->sketch, tmp, f->nsketch * sizeof *tmp);
		f->shingles = m;
		f->words = m + 2;
		for (w = 5 + (uint32_t)(rnd(&s) % 8); f->ntitle < w;)
			f->title_words[f->ntitle++] = zipf_word(&s, cdf, NWORDS);
		f->ntitle = bottom(f->title_words, f->ntitle, FM_FP_TITLE_WORDS);
		keys_of(&keys[i], f);
	}
	/* The index the clusterer uses (with its key cap), and one without a cap for the equality check. */
	if (fm_candidates_new(&ci, p.threshold, cap) || fm_candidates_new(&exact, p.threshold, 0))
		return 1;
	every = n / nq ? n / nq : 1;
	for (i = 0; i < n; i++) {
		struct tally a = { 0, 0 };

		t0 = cpu_now();
		fm_candidates_query(ci, &fps[i], tally, &a);
		t_query += cpu_now() - t0;
		t0 = cpu_now();
		fm_candidates_add(ci, &fps[i], (uint32_t)i);
		t_add += cpu_now() - t0;
		hits_ix += a.hits;
		fm_candidates_add(exact, &fps[i], (uint32_t)i);
		if (i % every == every - 1) {
			struct tally b = { 0, 0 }, c = { 0, 0 };

			fm_candidates_query(exact, &fps[i], tally, &b);
			t0 = cpu_now();
			for (j = 0; j < i; j++) {
				unsigned bits = keys_shared(&keys[i], &keys[j], p.threshold);

				if (bits)
					c.hits++, c.sum += (uint64_t)j * 16 + bits;
			}
			t_scan += cpu_now() - t0;
			/* The uncapped index also finds i itself (added just before): leave it out. */
			b.hits--;
			b.sum -= (uint64_t)i * 16 + keys_shared(&keys[i], &keys[i], p.threshold);
			differ += b.hits != c.hits || b.sum != c.sum;
			hits_scan += c.hits;
			nqs++;
		}
	}
	printf("items %zu, brute-force queries %zu (every %zu-th item against all before it), key cap %zu\n",
	       n, nqs, every, cap);
	printf("index: add %.0f items/s, query %.0f items/s, %.1f candidates per item\n",
	       (double)n / t_add, (double)n / t_query, (double)hits_ix / (double)n);
	printf("brute force: %.1f queries/s over on average %zu items (%.1f candidates per query)\n",
	       (double)nqs / t_scan, n / 2, (double)hits_scan / (double)nqs);
	/* Brute force over a full window of n items costs about twice its average query (n/2 items). */
	printf("speed-up at a full window: %.0fx (index query+add per item against a scan of %zu items)\n",
	       2.0 * t_scan / (double)nqs / ((t_query + t_add) / (double)n), n);
	printf("results: %s (uncapped index against the scan on %zu queries)\n", differ ? "DIFFER" : "equal", nqs);
	printf("index memory: %.1f bytes/item (capped index, scratch included)\n",
	       (double)fm_candidates_memory(ci) / (double)n);
	fm_candidates_free(ci);
	fm_candidates_free(exact);
	free(fps);
	free(keys);
	free(cdf);
	return differ != 0;
}
