/* test_cluster.c - the clusterer's plans, over an in-memory source (no SQLite). */
#include "feedmerge/cluster.h"
#include "feedmerge/error.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* A tiny store: items with a feed, link, time, fingerprint and cluster. */
#define MAXI 16
static struct mem_item {
	const char *feed, *link;
	fm_time when;
	fm_fingerprint fp;
	int64_t cluster;
} mem[MAXI + 1]; /* rows are 1-based */
static int nmem;

static int
mem_fingerprint(void *ud, int64_t row, fm_fingerprint *fp, int64_t *cluster)
{
	(void)ud;
	if (row < 1 || row > nmem)
		return FM_EINVAL;
	*fp = mem[row].fp;
	*cluster = mem[row].cluster;
	return 0;
}

static int
mem_cluster(void *ud, int64_t row, int64_t *cluster)
{
	(void)ud;
	if (row < 1 || row > nmem)
		return FM_EINVAL;
	*cluster = mem[row].cluster;
	return 0;
}

static int
mem_members(void *ud, int64_t cluster, int (*cb)(void *cbud, const fm_cluster_member *m), void *cbud)
{
	int i, rc;

	(void)ud;
	for (i = 1; i <= nmem; i++)
		if (mem[i].cluster == cluster) {
			fm_cluster_member m = { i, mem[i].feed, mem[i].when, &mem[i].fp };

			if ((rc = cb(cbud, &m)))
				return rc;
		}
	return 0;
}

static const fm_cluster_source src = { mem_fingerprint, mem_cluster, mem_members, NULL };
static int64_t next_cluster;

/* Applies a plan to the tiny store, as src/run does to the state. */
static void
apply(const fm_plan *plan)
{
	size_t i, j;
	int k;

	for (i = 0; i < plan->n; i++) {
		const fm_plan_step *st = &plan->v[i];

		cr_assert_not_null(st->why);
		if (st->kind == FM_PLAN_MERGE) {
			for (k = 1; k <= nmem; k++)
				if (mem[k].cluster == st->from)
					mem[k].cluster = st->into;
		} else {
			int64_t fresh = ++next_cluster;

			for (j = 0; j < st->nrows; j++)
				mem[st->rows[j]].cluster = fresh;
		}
	}
}

static fm_fingerprint
fp_of(const char *title, const char *html)
{
	fm_fingerprint fp;
	fm_item it;

	memset(&it, 0, sizeof it);
	it.title = title;
	it.summary = html;
	cr_assert_eq(fm_fingerprint_item(&fp, &it, NULL, NULL, NULL), 0);
	return fp;
}

/* Stores an item in a cluster of its own; returns its row. */
static int
put(const char *feed, const char *link, fm_time when, fm_fingerprint fp)
{
	cr_assert_lt(nmem, MAXI);
	nmem++;
	mem[nmem].feed = feed;
	mem[nmem].link = link;
	mem[nmem].when = when;
	mem[nmem].fp = fp;
	mem[nmem].cluster = ++next_cluster;
	return nmem;
}

/* Stores an item and clusters it: plan, apply, index. Returns the plan's length. */
static size_t
add(fm_clusterer *c, const char *feed, const char *link, fm_time when, fm_fingerprint fp, const char **why)
{
	fm_plan plan = { NULL, 0, 0 };
	int row = put(feed, link, when, fp);
	size_t n;

	cr_assert_eq(fm_clusterer_plan_join(c, &src, feed, mem[row].cluster, &mem[row].fp, when, &plan), 0);
	apply(&plan);
	n = plan.n;
	if (why)
		*why = n ? plan.v[0].why : NULL;
	fm_plan_clear(&plan);
	cr_assert_eq(fm_clusterer_index(c, row, feed, when, &mem[row].fp), 0);
	return n;
}

#define P1 "<p>The city of Norvik closed its main harbour bridge to all traffic on Monday after engineers found deep cracks in two of the steel supports that carry the road deck.</p>"
#define P2 "<p>About 40,000 vehicles cross the bridge on a normal weekday, and the closure sent commuters onto ferries and a single coastal road that was jammed within an hour.</p>"
#define P3 "<p>Mayor Liv Andersen told reporters the bridge would stay shut until a full inspection was finished, which she said could take at least three weeks.</p>"
#define Q1 "<p>Eskland's central bank raised its main interest rate by a quarter of a percentage point on Tuesday, its third increase this year, saying prices were still climbing.</p>"
#define Q2 "<p>The rate now stands at 4.25 percent, its highest level since 2008, and most economists surveyed last week had expected the move by the bank.</p>"

static void
reset(void)
{
	memset(mem, 0, sizeof mem);
	nmem = 0;
	next_cluster = 100;
}

Test(cluster, copies_merge_into_the_oldest_with_a_reason)
{
	fm_clusterer *c;
	fm_dedup_params p;
	const char *why;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	cr_assert_eq(fm_clusterer_window(c), 30 * 86400);
	cr_assert_eq(add(c, "wire", NULL, 1000, fp_of("Norvik shuts bridge", P1 P2 P3), NULL), 0);
	cr_assert_eq(add(c, "bank", NULL, 1100, fp_of("Eskland raises rates", Q1 Q2), NULL), 0);
	/* A copy behind a caption, under another headline: one merge, into the wire's cluster. */
	cr_assert_eq(add(c, "post", NULL, 2000,
			 fp_of("Commuters stranded", "<p>Cars queue at the bridge on Monday. (Kari Moen/Post)</p>" P1 P2 P3),
			 &why), 1);
	cr_assert_str_eq(why, "most of the text in common, both ways");
	cr_assert_eq(mem[3].cluster, mem[1].cluster);
	cr_assert_neq(mem[2].cluster, mem[1].cluster);
	/* Far outside the window: a story of its own. */
	cr_assert_eq(add(c, "late", NULL, 1000 + 90 * 86400, fp_of("Norvik shuts bridge", P1 P2 P3), NULL), 0);
	fm_clusterer_free(c);
}

Test(cluster, an_item_that_matches_two_stories_joins_them_into_the_oldest)
{
	fm_clusterer *c;
	fm_dedup_params p;
	fm_plan plan = { NULL, 0, 0 };
	int row;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	add(c, "wire", NULL, 1000, fp_of("Norvik shuts bridge", P1 P2 P3), NULL);
	add(c, "desk", NULL, 1000, fp_of("Bridge closed in Norvik", P1 P2 P3), NULL);
	cr_assert_eq(mem[1].cluster, mem[2].cluster);
	/* Split the two by hand, then an item that matches both plans two merges into the oldest. */
	mem[2].cluster = ++next_cluster;
	row = put("third", NULL, 1200, fp_of("Norvik bridge shut", P1 P2 P3));
	cr_assert_eq(fm_clusterer_plan_join(c, &src, "third", mem[row].cluster, &mem[row].fp, 1200, &plan), 0);
	cr_assert_eq(plan.n, 2);
	cr_assert_eq(plan.v[0].kind, FM_PLAN_MERGE);
	cr_assert_eq(plan.v[0].into, mem[1].cluster, "the oldest cluster takes the rest");
	cr_assert_eq(plan.v[1].into, mem[1].cluster);
	apply(&plan);
	fm_plan_clear(&plan);
	cr_assert_eq(plan.n, 0);
	cr_assert_eq(mem[2].cluster, mem[1].cluster);
	cr_assert_eq(mem[3].cluster, mem[1].cluster);
	fm_clusterer_free(c);
}

Test(cluster, a_cluster_that_no_longer_holds_together_is_split)
{
	fm_clusterer *c;
	fm_dedup_params p;
	fm_plan plan = { NULL, 0, 0 };

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	fm_fingerprint wire = fp_of("Norvik shuts bridge", P1 P2 P3), mirror = fp_of("Mirror", "<p>A page that only links to the story.</p>");

	wire.link = mirror.link = 99; /* one address */
	add(c, "wire", "https://wire.example/a", 1000, wire, NULL);
	add(c, "desk", NULL, 1100, fp_of("Bridge closed in Norvik", P1 P2 P3), NULL);
	add(c, "mirror", "https://wire.example/a", 1200, mirror, NULL);
	cr_assert_eq(mem[2].cluster, mem[1].cluster);
	cr_assert_eq(mem[3].cluster, mem[1].cluster, "joined by its link");
	/* Nothing changed: nothing to split. */
	cr_assert_eq(fm_clusterer_plan_split(c, &src, mem[1].cluster, &plan), 0);
	cr_assert_eq(plan.n, 0);
	/* The desk copy's text turns out to be another story: it leaves; the mirror stays by its link. */
	mem[2].fp = fp_of("Eskland raises rates", Q1 Q2);
	cr_assert_eq(fm_clusterer_plan_split(c, &src, mem[1].cluster, &plan), 0);
	cr_assert_eq(plan.n, 1);
	cr_assert_eq(plan.v[0].kind, FM_PLAN_SPLIT);
	cr_assert_eq(plan.v[0].nrows, 1);
	cr_assert_eq(plan.v[0].rows[0], 2);
	cr_assert_not_null(strstr(plan.v[0].why, "no longer holds together"));
	apply(&plan);
	fm_plan_clear(&plan);
	cr_assert_neq(mem[2].cluster, mem[1].cluster);
	cr_assert_eq(mem[3].cluster, mem[1].cluster);
	fm_clusterer_free(c);
}

Test(cluster, copies_at_one_link_fold_first)
{
	fm_clusterer *c;
	fm_dedup_params p;
	fm_fingerprint a = fp_of("Norvik shuts bridge", P1 P2 P3), b = fp_of("Eskland raises rates", Q1 Q2);
	const char *why;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	a.link = b.link = 77; /* as fingerprints of items with one normalised link carry */
	add(c, "wire", "https://wire.example/a", 1000, a, NULL);
	cr_assert_eq(add(c, "mirror", "https://wire.example/a", 1100, b, &why), 1);
	cr_assert_str_eq(why, "the same link");
	cr_assert_eq(mem[2].cluster, mem[1].cluster);
	fm_clusterer_free(c);
}

Test(cluster, a_changed_fingerprint_is_the_one_confirmed)
{
	fm_clusterer *c;
	fm_dedup_params p;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	/* Indexed with one text; its feed then corrected the text to the bridge story. */
	add(c, "wire", NULL, 1000, fp_of("Norvik shuts harbour bridge", Q1 Q2), NULL);
	mem[1].fp = fp_of("Norvik shuts harbour bridge", P1 P2 P3);
	cr_assert_eq(fm_clusterer_refingerprint(c, 1, &mem[1].fp), 0);
	/* A copy found by the headline is confirmed against the new text, not the indexed one. */
	cr_assert_eq(add(c, "desk", NULL, 1100, fp_of("Norvik shuts harbour bridge", P1 P2 P3), NULL), 1);
	cr_assert_eq(mem[2].cluster, mem[1].cluster);
	fm_clusterer_free(c);
}

Test(cluster, same_feed_and_gone_items)
{
	fm_clusterer *c;
	fm_dedup_params p;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	add(c, "desk", NULL, 1000, fp_of("Harbour update", "<p>The latest from our harbour desk, with updates through the day.</p>"), NULL);
	/* One feed's standing blurb under another headline: no plan. */
	cr_assert_eq(add(c, "desk", NULL, 2000, fp_of("Fish market hours", "<p>The latest from our harbour desk, with updates through the day.</p>"), NULL), 0);
	/* A candidate the source no longer has (pruned) is skipped. */
	nmem = 0;
	cr_assert_eq(add(c, "other", NULL, 1500, fp_of("Harbour update", "<p>The latest from our harbour desk, with updates through the day.</p>"), NULL), 0);
	fm_clusterer_free(c);
	fm_clusterer_free(NULL);
	cr_assert_eq(fm_clusterer_new(&c, &(fm_dedup_params){ .threshold = 11 }, 1), FM_EINVAL);
}

#define R1 "<p>Volunteers counted 212 pairs of puffins on the cliffs of Holm island this summer, twice the number found in the last survey five years ago, the bird society said.</p>"
#define S1 "<p>The Tarnby library reopened its doors after a two year renovation that added a reading garden, a music room and longer opening hours on weekends.</p>"

/* The four stories of the bound tests, each a story of its own. */
static fm_fingerprint
story(int i)
{
	switch (i) {
	case 0: return fp_of("Norvik shuts bridge", P1 P2 P3);
	case 1: return fp_of("Eskland raises rates", Q1 Q2);
	case 2: return fp_of("Puffins return to Holm", R1);
	default: return fp_of("Tarnby library reopens", S1);
	}
}

Test(cluster, a_full_index_lets_the_oldest_stories_go)
{
	fm_clusterer *c;
	fm_dedup_params p;
	int i;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	fm_clusterer_bound(c, 100000, 4);
	for (i = 0; i < 4; i++)
		cr_assert_eq(add(c, "wire", NULL, 1000 * (i + 1), story(i), NULL), 0);
	/* Full at 4: the two oldest stories (1000, 2000) left; copies of them find nothing. */
	cr_assert_eq(add(c, "desk", NULL, 1500, story(0), NULL), 0);
	cr_assert_eq(add(c, "desk", NULL, 2500, story(1), NULL), 0);
	/* ... nor were those copies indexed (older than what left). */
	cr_assert_eq(add(c, "post", NULL, 1600, story(0), NULL), 0);
	/* The newer two stay. */
	cr_assert_eq(add(c, "desk", NULL, 3500, story(2), NULL), 1);
	cr_assert_eq(mem[nmem].cluster, mem[3].cluster);
	cr_assert_eq(add(c, "desk", NULL, 4500, story(3), NULL), 1);
	cr_assert_eq(mem[nmem].cluster, mem[4].cluster);
	fm_clusterer_free(c);
}

Test(cluster, stories_after_the_horizon_never_leave)
{
	fm_clusterer *c;
	fm_dedup_params p;
	int i;

	reset();
	fm_dedup_defaults(&p);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	/* One old story, three after the horizon, a bound of 2: only the old one may go. */
	fm_clusterer_bound(c, 10000, 2);
	cr_assert_eq(add(c, "wire", NULL, 5000, story(0), NULL), 0);
	for (i = 1; i < 4; i++)
		cr_assert_eq(add(c, "wire", NULL, 20000 + i, story(i), NULL), 0);
	for (i = 1; i < 4; i++) {
		cr_assert_eq(add(c, "desk", NULL, 21000 + i, story(i), NULL), 1, "story %d", i);
		cr_assert_eq(mem[nmem].cluster, mem[i + 1].cluster);
	}
	cr_assert_eq(add(c, "desk", NULL, 5000, story(0), NULL), 0, "the old story left");
	/* Unbounded (0): nothing leaves. */
	reset();
	fm_clusterer_free(c);
	cr_assert_eq(fm_clusterer_new(&c, &p, 30 * 86400), 0);
	fm_clusterer_bound(c, 10000, 0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(add(c, "wire", NULL, 1000 + i, story(i), NULL), 0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(add(c, "desk", NULL, 1100 + i, story(i), NULL), 1, "story %d", i);
	fm_clusterer_free(c);
}
