/* test_gate.c - a gate never turns away a pair the rules would merge, and turns away most others. */
#include "dedup/gate.h"
#include "splitmix.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* qsort order of u32. */
static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v[0..n), drops repeats; returns the new count. */
static uint32_t
sorted_set(uint32_t *v, uint32_t n)
{
	uint32_t i, m = 0;

	qsort(v, n, sizeof *v, u32_cmp);
	for (i = 0; i < n; i++)
		if (!m || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

/* Fills fp's sketch from the shingle hashes sh[0..n) (a bottom-k sketch, as fm_fp_compute makes). */
static void
set_sketch(fm_fingerprint *fp, uint32_t *sh, uint32_t n)
{
	n = sorted_set(sh, n);
	fp->shingles = n;
	fp->nsketch = n < FM_FP_SKETCH ? n : FM_FP_SKETCH;
	memcpy(fp->sketch, sh, fp->nsketch * sizeof *sh);
}

/* Fills fp's headline words from w[0..n). */
static void
set_title(fm_fingerprint *fp, uint32_t *w, uint32_t n)
{
	n = sorted_set(w, n);
	fp->ntitle = n < FM_FP_TITLE_WORDS ? n : FM_FP_TITLE_WORDS;
	memcpy(fp->title_words, w, fp->ntitle * sizeof *w);
}

/*
 * Makes a pair of items whose texts share a random part of their
 * shingles (from nothing to everything, either one a passage of the
 * other) and whose headlines share a random part of their words, drawn
 * from a small vocabulary so that near-misses are common.
 */
static void
make_pair(uint64_t *s, fm_fingerprint *a, fm_fingerprint *b)
{
	static uint32_t sa[4096], sb[4096], wa[32], wb[32];
	uint32_t na = 1 + (uint32_t)(rnd(s) % (rnd(s) & 1 ? 60 : 1500));
	uint32_t nb = 1 + (uint32_t)(rnd(s) % (rnd(s) & 1 ? 60 : 1500));
	uint32_t common = (uint32_t)(rnd(s) % ((na < nb ? na : nb) + 1)), i;
	uint32_t ta = 1 + (uint32_t)(rnd(s) % 14), tb = 1 + (uint32_t)(rnd(s) % 14);
	uint32_t tcommon = (uint32_t)(rnd(s) % ((ta < tb ? ta : tb) + 1));

	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	if (rnd(s) % 8 == 0)
		common = 0;
	for (i = 0; i < na; i++)
		sa[i] = (uint32_t)rnd(s);
	for (i = 0; i < nb; i++)
		sb[i] = i < common ? sa[i] : (uint32_t)rnd(s);
	for (i = 0; i < ta; i++)
		wa[i] = (uint32_t)(rnd(s) % 4000) * 0x9E3779B1u;
	for (i = 0; i < tb; i++)
		wb[i] = i < tcommon ? wa[i] : (uint32_t)(rnd(s) % 4000) * 0x9E3779B1u;
	set_sketch(a, sa, na);
	set_sketch(b, sb, nb);
	set_title(a, wa, ta);
	set_title(b, wb, tb);
	a->words = (uint32_t)(rnd(s) % 4 ? na + 2 : rnd(s) % 10);
	b->words = (uint32_t)(rnd(s) % 4 ? nb + 2 : rnd(s) % 10);
	a->simhash = rnd(s);
	b->simhash = rnd(s) % 3 ? rnd(s) : a->simhash ^ (1ull << (rnd(s) % 64));
	a->flags = rnd(s) % 16 == 0 ? FM_FP_TEMPLATED : 0;
	b->flags = rnd(s) % 16 == 0 ? FM_FP_TEMPLATED : 0;
	a->link = rnd(s) % 4 ? rnd(s) : 0;
	b->link = rnd(s) % 8 == 0 ? a->link : rnd(s) % 4 ? rnd(s) : 0;
}

Test(gate, never_turns_away_a_pair_the_rules_merge)
{
	uint64_t s = 42;
	fm_dedup_params p;
	long merged = 0, apart = 0, turned = 0, hopeless = 0, hopeless_turned = 0;
	int i, k;

	fm_dedup_defaults(&p);
	for (i = 0; i < 60000; i++) {
		fm_fingerprint a, b;
		fm_gate ga, gb;
		fm_gate_query qa, qb;

		make_pair(&s, &a, &b);
		fm__gate_make(&ga, &a);
		fm__gate_make(&gb, &b);
		fm__gate_query(&qa, &a, &p);
		fm__gate_query(&qb, &b, &p);
		for (k = 0; k < 4; k++) {
			fm_dedup_pair pair = { .same_feed = k & 1, .apart = k & 2 ? 3 * 86400 : 3600 };
			fm_dedup_verdict v;
			int ab = fm__gate_may_match(&qa, &gb), ba = fm__gate_may_match(&qb, &ga);

			if (fm_dedup_match(&a, &b, &pair, &p, &v)) {
				merged++;
				cr_assert(ab && ba, "pair %d (%s): the gate turned away a merge (shingles %u/%u, "
				          "sketch %u/%u, titles %u/%u)", i, v.why, a.shingles, b.shingles,
				          a.nsketch, b.nsketch, a.ntitle, b.ntitle);
			} else {
				double small, large, jac;
				unsigned shared = fm_fp_title_overlap(&a, &b, &jac);

				fm_fp_overlap(&a, &b, &small, &large);
				apart++;
				turned += !ab;
				/* Far from every rule: little text and no headline in common. */
				if (!(a.link && a.link == b.link) && small < p.containment / 2 &&
				    !(shared >= p.headline_words && jac >= p.headline)) {
					hopeless++;
					hopeless_turned += !ab;
				}
			}
		}
	}
	cr_log_info("merged %ld, apart %ld, turned away %ld; hopeless %ld, turned away %ld", merged, apart,
		    turned, hopeless, hopeless_turned);
	cr_assert_gt(merged, 10000, "the pairs exercise the merging rules (%ld merged)", merged);
	/* The gate is worth its bytes: pairs far from every rule hardly ever reach the rules. */
	cr_assert_gt(hopeless_turned, hopeless * 9 / 10, "turned away %ld of %ld", hopeless_turned, hopeless);
}

Test(gate, a_changed_parameter_moves_the_bound)
{
	fm_fingerprint a, b;
	fm_gate gb;
	fm_gate_query q;
	fm_dedup_params p;
	uint64_t seed = 7;
	uint32_t i;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	/* Long texts, 16 of the 128 smallest hashes shared: containment 1/8, below every default. */
	for (i = 0; i < FM_FP_SKETCH; i++) {
		a.sketch[i] = i * 4000000u + (uint32_t)(rnd(&seed) % 1000000);
		b.sketch[i] = i % 8 == 0 ? a.sketch[i] : i * 4000000u + 2000000u + (uint32_t)(rnd(&seed) % 1000000);
	}
	a.nsketch = b.nsketch = FM_FP_SKETCH;
	a.shingles = b.shingles = 1000;
	a.words = b.words = 120;
	fm__gate_make(&gb, &b);
	fm_dedup_defaults(&p);
	fm__gate_query(&q, &a, &p);
	cr_assert_eq(fm__gate_may_match(&q, &gb), 0, "containment 1/8 cannot merge under the defaults");
	p.containment = 0.125;
	fm__gate_query(&q, &a, &p);
	cr_assert_eq(fm__gate_may_match(&q, &gb), 1, "it can at 1/8");
	fm_dedup_defaults(&p);
	a.link = b.link = 77;
	fm__gate_make(&gb, &b);
	fm__gate_query(&q, &a, &p);
	cr_assert_eq(fm__gate_may_match(&q, &gb), 1, "the same link always reaches the rules");
}
