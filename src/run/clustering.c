/* clustering.c - the clusterer's plans applied to the state: the one place dedup meets the store. */
#include "run/run_int.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

/* Source: an item's fingerprint and cluster, from the state. */
static int
src_fingerprint(void *ud, int64_t row, fm_fingerprint *fp, int64_t *cluster)
{
	return fm_store_fingerprint(ud, row, fp, cluster);
}

/* Source: an item's cluster, from the state. */
static int
src_cluster(void *ud, int64_t row, int64_t *cluster)
{
	return fm_store_item_cluster(ud, row, cluster);
}

/* What members() passes through the store's callback. */
struct src_members {
	fm_store *st;
	int (*cb)(void *cbud, const fm_cluster_member *m);
	void *cbud;
	fm_fingerprint fp;
};

/* Store callback: one member, with its fingerprint when it has one. */
static int
src_member(void *ud, const fm_store_item *it)
{
	struct src_members *sm = ud;
	fm_cluster_member m;
	int64_t cluster;

	m.row = it->rowid;
	m.feed = it->item.feed;
	m.when = fm_item_time(&it->item, it->first_seen);
	m.fp = fm_store_fingerprint(sm->st, it->rowid, &sm->fp, &cluster) ? NULL : &sm->fp;
	return sm->cb(sm->cbud, &m);
}

/* Source: every member of a cluster, from the state. */
static int
src_members(void *ud, int64_t cluster, int (*cb)(void *cbud, const fm_cluster_member *m), void *cbud)
{
	struct src_members *sm = malloc(sizeof *sm);
	int rc;

	if (!sm)
		return FM_ENOMEM;
	sm->st = ud;
	sm->cb = cb;
	sm->cbud = cbud;
	rc = fm_store_cluster_members(ud, cluster, src_member, sm);
	free(sm);
	return rc;
}

/* The state as the clusterer reads it. */
static fm_cluster_source
run_source(fm_store *st)
{
	fm_cluster_source src = { src_fingerprint, src_cluster, src_members, st };

	return src;
}

/* Applies a plan's steps to the state, in order (inside the caller's transaction). */
static int
plan_apply(fm_store *st, const fm_plan *plan)
{
	int64_t fresh;
	size_t i;
	int rc = 0;

	for (i = 0; i < plan->n && !rc; i++)
		rc = plan->v[i].kind == FM_PLAN_MERGE
			     ? fm_store_cluster_merge(st, plan->v[i].into, plan->v[i].from)
			     : fm_store_cluster_split(st, plan->v[i].rows, plan->v[i].nrows, &fresh);
	return rc;
}

/* Store callback: indexes one fingerprinted item of the window. */
static int
load_one(void *ud, const fm_store_fp_row *r)
{
	return fm_clusterer_index(ud, r->item, r->feed, r->when, r->fp);
}

int
run__clusterer_open(fm_clusterer **out, fm_store *st, const fm_dedup_params *p, int64_t window,
		    fm_time now)
{
	int rc;

	if ((rc = fm_clusterer_new(out, p, window)))
		return rc;
	fm_clusterer_bound(*out, now - 2 * window, FM_CLUSTER_INDEX_ITEMS);
	/* Items two windows back: old stories that arrived lately still meet their copies. */
	if ((rc = fm_store_fingerprints(st, now - 2 * window, load_one, *out))) {
		fm_clusterer_free(*out);
		*out = NULL;
	}
	return rc;
}

int
run__cluster_add(fm_clusterer *cl, fm_store *st, const char *feed, const fm_store_ref *ref,
		 const fm_fingerprint *fp, fm_time when, int *joined)
{
	fm_cluster_source src = run_source(st);
	fm_plan plan = { NULL, 0, 0 };
	int rc;

	if (!(rc = fm_clusterer_plan_join(cl, &src, feed, ref->cluster, fp, when, &plan)) &&
	    !(rc = plan_apply(st, &plan)))
		rc = fm_clusterer_index(cl, ref->item, feed, when, fp);
	*joined = !rc && plan.n > 0;
	fm_plan_clear(&plan);
	return rc;
}

/* What a refresh recomputes one stored item with. */
struct refresh_item {
	int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp);
	void *ud;
	fm_fingerprint fp, old;
	fm_time when;
};

/* Store callback: the item's fingerprint under what the feed has taught since. */
static int
refresh_fingerprint(void *ud, const fm_store_item *it)
{
	struct refresh_item *r = ud;

	r->when = fm_item_time(&it->item, it->first_seen);
	return r->fingerprint(r->ud, &it->item, &r->fp);
}

/* Returns 1 when two fingerprints differ in anything clustering reads. */
static int
fp_differs(const fm_fingerprint *a, const fm_fingerprint *b)
{
	return a->simhash != b->simhash || a->title != b->title || a->words != b->words ||
	       a->shingles != b->shingles || a->nsketch != b->nsketch || a->flags != b->flags ||
	       a->link != b->link || a->ntitle != b->ntitle ||
	       memcmp(a->title_words, b->title_words, a->ntitle * sizeof a->title_words[0]) ||
	       memcmp(a->sketch, b->sketch, a->nsketch * sizeof a->sketch[0]);
}

int
run__cluster_refresh(fm_clusterer *cl, fm_store *st, const char *feed,
		     int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp), void *ud,
		     fm_time now, long *changed)
{
	fm_cluster_source src = run_source(st);
	struct refresh_item *r = malloc(sizeof *r);
	fm_plan plan = { NULL, 0, 0 };
	int64_t *rows = NULL, cluster;
	size_t n = 0, i;
	int rc;

	*changed = 0;
	if (!r)
		return FM_ENOMEM;
	r->fingerprint = fingerprint;
	r->ud = ud;
	rc = fm_store_feed_fingerprinted(st, feed, now - 2 * fm_clusterer_window(cl), &rows, &n);
	for (i = 0; !rc && i < n; i++) {
		if ((rc = fm_store_item_get(st, rows[i], refresh_fingerprint, r)) ||
		    (rc = fm_store_fingerprint(st, rows[i], &r->old, &cluster)))
			break;
		if (!fp_differs(&r->fp, &r->old))
			continue;
		/* Its ties may have gone (split) or come (join): plan and apply both, in turn. */
		if ((rc = fm_store_item_set_fp(st, rows[i], &r->fp)) ||
		    (rc = fm_clusterer_plan_split(cl, &src, cluster, &plan)) ||
		    (rc = plan_apply(st, &plan)) ||
		    (rc = fm_store_fingerprint(st, rows[i], &r->old, &cluster)))
			break;
		fm_plan_clear(&plan);
		if ((rc = fm_clusterer_plan_join(cl, &src, feed, cluster, &r->fp, r->when, &plan)) ||
		    (rc = plan_apply(st, &plan)) ||
		    (rc = fm_clusterer_index(cl, rows[i], feed, r->when, &r->fp)))
			break;
		fm_plan_clear(&plan);
		(*changed)++;
	}
	fm_plan_clear(&plan);
	free(rows);
	free(r);
	return rc;
}
