/* test_postings.c - the inverted index of candidate keys, against a scan. */
#include "feedmerge/postings.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "splitmix.h"

/* Marks the ids a query reports (and counts repeats). */
struct seen {
	unsigned char *v;
	size_t calls;
};

static int
mark(void *ud, uint32_t id)
{
	struct seen *s = ud;

	s->v[id]++;
	s->calls++;
	return 0;
}

static int
stop_at_first(void *ud, uint32_t id)
{
	(void)ud;
	(void)id;
	return 7;
}

Test(postings, empty)
{
	fm_postings *px;
	struct seen s = { NULL, 0 };

	cr_assert_eq(fm_postings_new(&px, 0), 0);
	cr_assert_eq(fm_postings_count(px, 1), 0);
	cr_assert_eq(fm_postings_query(px, 1, mark, &s), 0);
	cr_assert_eq(s.calls, 0);
	fm_postings_free(px);
	fm_postings_free(NULL);
}

Test(postings, equals_a_scan_on_random_keys)
{
	/* Keys from a small range so lists are long; sizes that cross several run merges. */
	enum { N = 60000, KEYS = 3000 };
	uint32_t *key = malloc(N * sizeof *key);
	fm_postings *px;
	uint64_t r = 11;
	size_t i, q;
	struct seen s;

	cr_assert_not_null(key);
	s.v = calloc(N, 1);
	cr_assert_not_null(s.v);
	cr_assert_eq(fm_postings_new(&px, 0), 0);
	for (i = 0; i < N; i++) {
		key[i] = (uint32_t)(rnd(&r) % KEYS) * 2654435761u; /* spread over 32 bits, 0 and ~0 included */
		cr_assert_eq(fm_postings_add(px, key[i], (uint32_t)i), 0);
		if (i % 9973 == 0 || i == N - 1)
			for (q = 0; q < 50; q++) {
				uint32_t k = (uint32_t)(rnd(&r) % (KEYS + 10)) * 2654435761u;
				size_t j, want = 0;

				memset(s.v, 0, N);
				s.calls = 0;
				cr_assert_eq(fm_postings_query(px, k, mark, &s), 0);
				for (j = 0; j <= i; j++) {
					cr_assert_eq(s.v[j], key[j] == k, "key %u id %zu after %zu adds", k, j, i + 1);
					want += key[j] == k;
				}
				cr_assert_eq(s.calls, want);
				cr_assert_eq(fm_postings_count(px, k), want);
			}
	}
	/* A pair, its id run (one per pair here: every id differs) and its share of the table. */
	cr_assert_lt(fm_postings_memory(px), (size_t)N * 28 + 64 * 1024);
	/* A callback's non-zero return stops the query and is returned. */
	cr_assert_eq(fm_postings_query(px, key[0], stop_at_first, NULL), 7);
	fm_postings_free(px);
	free(key);
	free(s.v);
}

Test(postings, a_key_over_the_cap_is_stopped)
{
	enum { CAP = 5 };
	fm_postings *px;
	unsigned char v[64] = { 0 };
	struct seen s = { v, 0 };
	uint32_t id, key;

	cr_assert_eq(fm_postings_new(&px, CAP), 0);
	/* Keys 0 (the set's empty mark) and 7 reach the cap, then pass it; key 9 stays under. */
	for (key = 0; key <= 7; key += 7)
		for (id = 0; id < CAP; id++)
			cr_assert_eq(fm_postings_add(px, key, id), 0);
	cr_assert_eq(fm_postings_add(px, 9, 40), 0);
	for (key = 0; key <= 7; key += 7) {
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, key, mark, &s), 0);
		cr_assert_eq(s.calls, CAP, "key %u: at the cap every id is found", key);
		cr_assert_eq(fm_postings_add(px, key, 30), 0);
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, key, mark, &s), 0);
		cr_assert_eq(s.calls, 0, "key %u: past the cap nothing is", key);
		/* Stopped: later adds are dropped and it stays silent. */
		cr_assert_eq(fm_postings_add(px, key, 31), 0);
		cr_assert_eq(fm_postings_count(px, key), CAP + 1);
		cr_assert_eq(fm_postings_query(px, key, mark, &s), 0);
		cr_assert_eq(s.calls, 0);
	}
	s.calls = 0;
	cr_assert_eq(fm_postings_query(px, 9, mark, &s), 0);
	cr_assert_eq(s.calls, 1);
	cr_assert_eq(v[40], 1);
	/* Many stopped keys (the set grows) beside keys under the cap. */
	for (key = 1000; key < 1400; key++)
		for (id = 0; id < (key % 2 ? CAP + 1 : CAP); id++)
			cr_assert_eq(fm_postings_add(px, key * 2654435761u, id), 0);
	for (key = 1000; key < 1400; key++) {
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, key * 2654435761u, mark, &s), 0);
		cr_assert_eq(s.calls, key % 2 ? 0 : CAP, "key %u", key);
	}
	for (key = 1000; key < 1400; key++) {
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, key * 2654435761u, mark, &s), 0);
		cr_assert_eq(s.calls, key % 2 ? 0 : CAP, "key %u, asked again", key);
	}
	fm_postings_free(px);
}

Test(postings, ids_of_keys_added_together)
{
	/* Items post several keys each under one id; ids come in any order and may repeat later. */
	enum { ITEMS = 5000, PER = 7 };
	uint32_t *ids = malloc(ITEMS * sizeof *ids), *keys = malloc(ITEMS * PER * sizeof *keys);
	fm_postings *px;
	uint64_t r = 3;
	size_t i, j, q;
	struct seen s;

	cr_assert(ids && keys);
	s.v = calloc(ITEMS * 3, 1);
	cr_assert_not_null(s.v);
	cr_assert_eq(fm_postings_new(&px, 0), 0);
	for (i = 0; i < ITEMS; i++) {
		ids[i] = (uint32_t)(rnd(&r) % (ITEMS * 3));
		for (j = 0; j < PER; j++) {
			keys[i * PER + j] = (uint32_t)(rnd(&r) % 20000);
			cr_assert_eq(fm_postings_add(px, keys[i * PER + j], ids[i]), 0);
		}
	}
	for (q = 0; q < 300; q++) {
		uint32_t k = (uint32_t)(rnd(&r) % 20000);
		size_t want = 0;

		memset(s.v, 0, ITEMS * 3);
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, k, mark, &s), 0);
		for (i = 0; i < ITEMS * PER; i++)
			if (keys[i] == k) {
				want++;
				cr_assert_gt(s.v[ids[i / PER]], 0, "key %u: id %u not reported", k, ids[i / PER]);
			}
		cr_assert_eq(s.calls, want, "key %u", k);
	}
	fm_postings_free(px);
	free(ids);
	free(keys);
	free(s.v);
}

Test(postings, retain_keeps_and_renames_the_survivors)
{
	enum { CAP = 4 };
	fm_postings *px;
	unsigned char v[64] = { 0 };
	struct seen s = { v, 0 };
	uint32_t remap[16], id;

	cr_assert_eq(fm_postings_new(&px, CAP), 0);
	/* Ids 0-9 each post key 100 + id and key 5; key 5 is stopped by a query (10 > CAP). */
	for (id = 0; id < 10; id++) {
		cr_assert_eq(fm_postings_add(px, 100 + id, id), 0);
		cr_assert_eq(fm_postings_add(px, 5, id), 0);
	}
	cr_assert_eq(fm_postings_query(px, 5, mark, &s), 0);
	cr_assert_eq(s.calls, 0);
	/* Odd ids stay, numbered backwards; even ids and ids past the map leave. */
	for (id = 0; id < 8; id++)
		remap[id] = id % 2 ? 7 - id : UINT32_MAX;
	fm_postings_retain(px, remap, 8);
	for (id = 0; id < 10; id++) {
		memset(v, 0, sizeof v);
		s.calls = 0;
		cr_assert_eq(fm_postings_query(px, 100 + id, mark, &s), 0);
		if (id % 2 && id < 8) {
			cr_assert_eq(s.calls, 1, "key of id %u", id);
			cr_assert_eq(v[7 - id], 1, "id %u is now %u", id, 7 - id);
		} else {
			cr_assert_eq(s.calls, 0, "id %u left", id);
		}
	}
	/* The stopped key stays stopped, its pairs gone. */
	cr_assert_eq(fm_postings_count(px, 5), 0);
	cr_assert_eq(fm_postings_add(px, 5, 9), 0);
	cr_assert_eq(fm_postings_count(px, 5), 0);
	/* New pairs after a retain are found with the rest. */
	cr_assert_eq(fm_postings_add(px, 101, 20), 0);
	memset(v, 0, sizeof v);
	s.calls = 0;
	cr_assert_eq(fm_postings_query(px, 101, mark, &s), 0);
	cr_assert_eq(s.calls, 2);
	cr_assert_eq(v[6] + v[20], 2);
	fm_postings_free(px);
}

/* Queries k and checks the ids against the scan of (ids, keys) pairs. */
static void
check_against_scan(fm_postings *px, uint32_t k, const uint32_t *pid, const uint32_t *pkey, size_t np,
		   struct seen *s, size_t nid)
{
	size_t j;

	memset(s->v, 0, nid);
	s->calls = 0;
	cr_assert_eq(fm_postings_query(px, k, mark, s), 0);
	for (j = 0; j < np; j++)
		if (pkey[j] == k)
			cr_assert_eq(s->v[pid[j]]--, 1, "key %u: id %u not reported once", k, pid[j]);
	for (j = 0; j < nid; j++)
		cr_assert_eq(s->v[j], 0, "key %u: id %zu reported, not posted", k, j);
}

Test(postings, ids_of_many_keys_each_equal_a_scan_before_and_after_retain)
{
	/* Several keys an id (runs of 1-6 pairs, a key at most once an id), across many pages of the run index. */
	enum { N = 20000, KEYS = 400, MAXP = N * 6 };
	uint32_t *pid = malloc(MAXP * sizeof *pid), *pkey = malloc(MAXP * sizeof *pkey);
	uint32_t *remap = malloc(N * sizeof *remap), next = 0;
	fm_postings *px;
	uint64_t r = 29;
	size_t i, np = 0, mp, q;
	struct seen s;

	cr_assert(pid && pkey && remap);
	s.v = calloc(N + 10, 1);
	cr_assert_not_null(s.v);
	cr_assert_eq(fm_postings_new(&px, 0), 0);
	for (i = 0; i < N; i++) {
		size_t k, n = 1 + rnd(&r) % 6, first = np;
		for (k = 0; k < n; k++) {
			uint32_t key = (uint32_t)(rnd(&r) % KEYS) * 2654435761u;
			size_t j;
			for (j = first; j < np && pkey[j] != key; j++)
				;
			if (j < np)
				continue;
			pid[np] = (uint32_t)i;
			pkey[np++] = key;
			cr_assert_eq(fm_postings_add(px, key, (uint32_t)i), 0);
		}
	}
	for (q = 0; q < 100; q++)
		check_against_scan(px, (uint32_t)(rnd(&r) % (KEYS + 5)) * 2654435761u, pid, pkey, np, &s, N);
	/* Every third id leaves; the others are numbered again from 0. */
	for (i = 0; i < N; i++)
		remap[i] = i % 3 ? next++ : UINT32_MAX;
	fm_postings_retain(px, remap, N);
	for (i = mp = 0; i < np; i++)
		if (remap[pid[i]] != UINT32_MAX) {
			pkey[mp] = pkey[i];
			pid[mp++] = remap[pid[i]];
		}
	np = mp;
	for (q = 0; q < 100; q++)
		check_against_scan(px, (uint32_t)(rnd(&r) % (KEYS + 5)) * 2654435761u, pid, pkey, np, &s, N);
	/* And after more adds. */
	for (i = 0; i < 5; i++) {
		pid[np] = next + (uint32_t)i;
		pkey[np] = (uint32_t)(i * 7) * 2654435761u;
		cr_assert_eq(fm_postings_add(px, pkey[np], pid[np]), 0);
		np++;
	}
	for (q = 0; q < 40; q++)
		check_against_scan(px, (uint32_t)(q % 40) * 2654435761u, pid, pkey, np, &s, N);
	fm_postings_free(px);
	free(pid);
	free(pkey);
	free(remap);
	free(s.v);
}

Test(postings, a_capped_index_equals_a_model_across_many_moves_to_the_sorted_part)
{
	/* 60,000 pairs (the tail moves into the sorted part many times), keys under ~30 ids each, cap 25. */
	enum { N = 60000, KEYS = 2000, CAP = 25 };
	uint32_t *key = malloc(N * sizeof *key);
	unsigned char *stopped = calloc(KEYS, 1), *v = calloc(N, 1);
	size_t *count = calloc(KEYS, sizeof *count);
	struct seen s = { v, 0 };
	fm_postings *px;
	uint64_t r = 5;
	size_t i, j, q;

	cr_assert(key && stopped && v && count);
	cr_assert_eq(fm_postings_new(&px, CAP), 0);
	for (i = 0; i < N; i++) {
		uint32_t k = (uint32_t)(rnd(&r) % KEYS);

		key[i] = k * 2654435761u;
		cr_assert_eq(fm_postings_add(px, key[i], (uint32_t)i), 0);
		if (!stopped[k])
			count[k]++;
		if (i % 997 != 0)
			continue;
		for (q = 0; q < 30; q++) {
			uint32_t kq = (uint32_t)(rnd(&r) % KEYS);
			size_t want = 0;

			memset(v, 0, N);
			s.calls = 0;
			cr_assert_eq(fm_postings_query(px, kq * 2654435761u, mark, &s), 0);
			if (!stopped[kq] && count[kq] > CAP)
				stopped[kq] = 1;
			for (j = 0; j <= i && !stopped[kq]; j++) {
				cr_assert_eq(v[j], key[j] == kq * 2654435761u, "key %u id %zu after %zu adds", kq, j, i + 1);
				want += key[j] == kq * 2654435761u;
			}
			cr_assert_eq(s.calls, want, "key %u after %zu adds", kq, i + 1);
		}
	}
	fm_postings_free(px);
	free(key);
	free(stopped);
	free(v);
	free(count);
}
