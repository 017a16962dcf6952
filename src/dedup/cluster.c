/* cluster.c - near-duplicate clustering over the state: index, confirm, merge. */
#include "feedmerge/cluster.h"
#include "feedmerge/simindex.h"

#include <stdlib.h>
#include <string.h>

/* What the index knows of each item: ids in the index are positions here. */
struct cl_item {
	int64_t row;
	fm_time when;
	unsigned feed; /* index into names */
};

struct fm_clusterer {
	fm_store *st;
	fm_dedup_params p;
	int64_t window;
	fm_simindex *ix;
	struct cl_item *items;
	size_t n, a;
	char **names;  /* feed names, interned */
	size_t nnames;
};

/* Returns the interned number of a feed name, adding it; (unsigned)-1 on ENOMEM. */
static unsigned
cl_name(fm_clusterer *c, const char *feed)
{
	size_t i;
	char **v;

	for (i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], feed))
			return (unsigned)i;
	if (!(v = realloc(c->names, (c->nnames + 1) * sizeof *v)) ||
	    !(v[c->nnames] = strdup(feed))) {
		if (v)
			c->names = v;
		return (unsigned)-1;
	}
	c->names = v;
	return (unsigned)c->nnames++;
}

/* Adds an item to the arrays and the index. */
static int
cl_index(fm_clusterer *c, int64_t row, fm_time when, const char *feed, uint64_t simhash)
{
	unsigned name = cl_name(c, feed);

	if (name == (unsigned)-1)
		return FM_ENOMEM;
	if (c->n == c->a) {
		size_t a = c->a ? c->a * 2 : 1024;
		struct cl_item *v = realloc(c->items, a * sizeof *v);

		if (!v)
			return FM_ENOMEM;
		c->items = v;
		c->a = a;
	}
	c->items[c->n].row = row;
	c->items[c->n].when = when;
	c->items[c->n].feed = name;
	c->n++;
	return fm_simindex_add(c->ix, simhash, (uint32_t)(c->n - 1));
}

/* Store callback: loads one fingerprinted item. */
static int
cl_load(void *ud, const fm_store_fp_row *r)
{
	return cl_index(ud, r->item, r->when, r->feed, r->simhash);
}

int
fm_clusterer_open(fm_clusterer **out, fm_store *st, const fm_dedup_params *p,
		  int64_t window, fm_time now)
{
	fm_clusterer *c;
	int rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof *c)))
		return FM_ENOMEM;
	c->st = st;
	c->p = *p;
	c->window = window;
	if ((rc = fm_simindex_new(&c->ix, p->threshold)) ||
	    (rc = fm_store_fingerprints(st, now - 2 * window, cl_load, c))) {
		fm_clusterer_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* One item being clustered and the clusters its confirmed copies are in. */
struct cl_query {
	fm_clusterer *c;
	const fm_fingerprint *fp;
	unsigned feed;
	fm_time when;
	int64_t cluster;     /* the item's own cluster */
	int64_t *found;      /* distinct clusters confirmed */
	size_t nfound, afound;
	int rc;
};

/* Index callback: checks one candidate and notes its cluster when confirmed. */
static int
cl_candidate(void *ud, uint32_t id, int dist)
{
	struct cl_query *q = ud;
	const struct cl_item *it = &q->c->items[id];
	fm_fingerprint other;
	fm_dedup_verdict v;
	int64_t cluster;
	size_t i;

	(void)dist;
	if (it->when - q->when > q->c->window || q->when - it->when > q->c->window)
		return 0;
	if ((q->rc = fm_store_fingerprint(q->c->st, it->row, &other, &cluster)))
		return q->rc == FM_EINVAL ? (q->rc = 0) : q->rc; /* pruned meanwhile: skip */
	if (cluster == q->cluster)
		return 0;
	for (i = 0; i < q->nfound; i++)
		if (q->found[i] == cluster)
			return 0;
	if (!fm_dedup_match(q->fp, &other, it->feed == q->feed, &q->c->p, &v))
		return 0;
	if (q->nfound == q->afound) {
		size_t a = q->afound ? q->afound * 2 : 8;
		int64_t *f = realloc(q->found, a * sizeof *f);

		if (!f)
			return q->rc = FM_ENOMEM;
		q->found = f;
		q->afound = a;
	}
	q->found[q->nfound++] = cluster;
	return 0;
}

int
fm_clusterer_add(fm_clusterer *c, const char *feed, const fm_store_ref *ref,
		 const fm_fingerprint *fp, fm_time when, fm_time now, int *joined)
{
	struct cl_query q;
	int64_t into;
	size_t i;
	int rc;

	if (joined)
		*joined = 0;
	memset(&q, 0, sizeof q);
	q.c = c;
	q.fp = fp;
	q.when = when;
	q.cluster = ref->cluster;
	if ((q.feed = cl_name(c, feed)) == (unsigned)-1)
		return FM_ENOMEM;
	fm_simindex_query(c->ix, fp->simhash, cl_candidate, &q);
	rc = q.rc;
	/* Everything confirmed folds into the oldest cluster, whose id lives on. */
	into = ref->cluster;
	for (i = 0; i < q.nfound; i++)
		if (q.found[i] < into)
			into = q.found[i];
	if (!rc && into != ref->cluster)
		rc = fm_store_cluster_merge(c->st, into, ref->cluster, now);
	for (i = 0; !rc && i < q.nfound; i++)
		if (q.found[i] != into)
			rc = fm_store_cluster_merge(c->st, into, q.found[i], now);
	if (!rc && joined)
		*joined = q.nfound > 0;
	free(q.found);
	return rc ? rc : cl_index(c, ref->item, when, feed, fp->simhash);
}

void
fm_clusterer_free(fm_clusterer *c)
{
	size_t i;

	if (!c)
		return;
	fm_simindex_free(c->ix);
	free(c->items);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c);
}
