/* cluster.c - near-duplicate clustering over the state: index, confirm, merge. */
#include "feedmerge/candidates.h"
#include "feedmerge/cluster.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/*
 * A key posted by more items than this is common to too many stories to
 * tell copies apart (a stock phrase, a headline word like "coronavirus"):
 * it finds no candidates.
 */
#define CL_KEY_CAP 256

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
	fm_candidates *ci; /* every item's candidate keys; ids are positions in items */
	struct cl_item *items;
	size_t n, a;
	char **names;  /* feed names, interned */
	size_t nnames;
	unsigned *slots; /* open-addressed: name index + 1, 0 empty */
	size_t nslots;   /* a power of two, at least twice nnames */
};

/* The slot of feed in the name table: its entry, or the empty slot it would take. */
static size_t
cl_slot(const fm_clusterer *c, const char *feed)
{
	size_t i = (size_t)XXH3_64bits(feed, strlen(feed)) & (c->nslots - 1);

	while (c->slots[i] && strcmp(c->names[c->slots[i] - 1], feed))
		i = (i + 1) & (c->nslots - 1);
	return i;
}

/* Doubles the name table; returns 0 or FM_ENOMEM. */
static int
cl_grow_slots(fm_clusterer *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 64, i;
	unsigned *old = c->slots;

	if (!(c->slots = calloc(n, sizeof *c->slots))) {
		c->slots = old;
		return FM_ENOMEM;
	}
	c->nslots = n;
	for (i = 0; i < c->nnames; i++)
		c->slots[cl_slot(c, c->names[i])] = (unsigned)i + 1;
	free(old);
	return 0;
}

/* Returns the interned number of a feed name, adding it; (unsigned)-1 on ENOMEM. */
static unsigned
cl_name(fm_clusterer *c, const char *feed)
{
	size_t slot;
	char **v;

	if (2 * (c->nnames + 1) > c->nslots && cl_grow_slots(c))
		return (unsigned)-1;
	slot = cl_slot(c, feed);
	if (c->slots[slot])
		return c->slots[slot] - 1;
	if (!(v = realloc(c->names, (c->nnames + 1) * sizeof *v)))
		return (unsigned)-1;
	c->names = v;
	if (!(v[c->nnames] = strdup(feed)))
		return (unsigned)-1;
	c->slots[slot] = (unsigned)++c->nnames;
	return c->slots[slot] - 1;
}

/* Adds an item to the arrays and the index under every key of fp. */
static int
cl_index(fm_clusterer *c, int64_t row, fm_time when, const char *feed, const fm_fingerprint *fp)
{
	unsigned name = cl_name(c, feed);

	if (name == (unsigned)-1)
		return FM_ENOMEM;
	if (fm__grow(&c->items, &c->a, c->n, sizeof *c->items, 1024))
		return FM_ENOMEM;
	c->items[c->n].row = row;
	c->items[c->n].when = when;
	c->items[c->n].feed = name;
	c->n++;
	return fm_candidates_add(c->ci, fp, (uint32_t)(c->n - 1));
}

/* Store callback: loads one fingerprinted item. */
static int
cl_load(void *ud, const fm_store_fp_row *r)
{
	return cl_index(ud, r->item, r->when, r->feed, r->fp);
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
	if ((rc = fm_candidates_new(&c->ci, p->threshold, CL_KEY_CAP)) ||
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
};

/* Candidates callback: checks one candidate and notes its cluster when confirmed. */
static int
cl_confirm(void *ud, uint32_t id, unsigned keys)
{
	struct cl_query *q = ud;
	const struct cl_item *it = &q->c->items[id];
	fm_fingerprint other;
	fm_dedup_verdict v;
	fm_dedup_pair pair;
	int64_t cluster;
	size_t i;
	int rc;

	(void)keys;
	pair.apart = it->when > q->when ? it->when - q->when : q->when - it->when;
	if (pair.apart > q->c->window)
		return 0;
	if ((rc = fm_store_fingerprint(q->c->st, it->row, &other, &cluster)))
		return rc == FM_EINVAL ? 0 : rc; /* pruned meanwhile: skip */
	if (cluster == q->cluster)
		return 0;
	for (i = 0; i < q->nfound; i++)
		if (q->found[i] == cluster)
			return 0;
	pair.same_feed = it->feed == q->feed;
	if (!fm_dedup_match(q->fp, &other, &pair, &q->c->p, &v))
		return 0;
	if (fm__grow(&q->found, &q->afound, q->nfound, sizeof *q->found, 8))
		return FM_ENOMEM;
	q->found[q->nfound++] = cluster;
	return 0;
}

/* Finds what an item of feed (in cluster) matches and merges those clusters into the oldest. */
static int
cl_join(fm_clusterer *c, const char *feed, int64_t cluster, const fm_fingerprint *fp,
	fm_time when, fm_time now, int *joined)
{
	struct cl_query q;
	int64_t into;
	size_t i;
	int rc;

	memset(&q, 0, sizeof q);
	q.c = c;
	q.fp = fp;
	q.when = when;
	q.cluster = cluster;
	if ((q.feed = cl_name(c, feed)) == (unsigned)-1)
		return FM_ENOMEM;
	rc = fm_candidates_query(c->ci, fp, cl_confirm, &q);
	/* Everything confirmed folds into the oldest cluster, whose id lives on. */
	into = cluster;
	for (i = 0; i < q.nfound; i++)
		if (q.found[i] < into)
			into = q.found[i];
	if (!rc && into != cluster)
		rc = fm_store_cluster_merge(c->st, into, cluster);
	for (i = 0; !rc && i < q.nfound; i++)
		if (q.found[i] != into)
			rc = fm_store_cluster_merge(c->st, into, q.found[i]);
	if (!rc && joined)
		*joined = q.nfound > 0;
	free(q.found);
	return rc;
}

int
fm_clusterer_add(fm_clusterer *c, const char *feed, const fm_store_ref *ref,
		 const fm_fingerprint *fp, fm_time when, fm_time now, int *joined)
{
	int rc;

	if (joined)
		*joined = 0;
	if ((rc = cl_join(c, feed, ref->cluster, fp, when, now, joined)))
		return rc;
	return cl_index(c, ref->item, when, feed, fp);
}

/* One member of a cluster being checked for falling apart. */
struct cl_part {
	int64_t row;
	char *feed, *link;
	fm_time when;
	int has_fp;
	fm_fingerprint fp;
	size_t parent;
};

/* The members of one cluster, read for the check. */
struct cl_parts {
	fm_clusterer *c;
	struct cl_part *v;
	size_t n, a;
	int rc;
};

/* Store callback: reads one member and its fingerprint. */
static int
cl_part_add(void *ud, const fm_store_item *it)
{
	struct cl_parts *ps = ud;
	struct cl_part *p;
	int64_t cluster;

	if (fm__grow(&ps->v, &ps->a, ps->n, sizeof *ps->v, 8))
		return FM_ENOMEM;
	p = &ps->v[ps->n];
	memset(p, 0, sizeof *p);
	p->row = it->rowid;
	p->when = fm_item_time(&it->item, it->first_seen);
	p->parent = ps->n;
	if (!(p->feed = strdup(it->item.feed)) || (it->norm_link && !(p->link = strdup(it->norm_link)))) {
		free(p->feed);
		return FM_ENOMEM;
	}
	p->has_fp = !fm_store_fingerprint(ps->c->st, it->rowid, &p->fp, &cluster);
	ps->n++;
	return 0;
}

/* Union-find root of part i. */
static size_t
cl_root(struct cl_part *v, size_t i)
{
	while (v[i].parent != i)
		i = v[i].parent = v[v[i].parent].parent;
	return i;
}

/* Returns 1 when parts a and b are copies: the same link, or the rules within the window. */
static int
cl_linked(const fm_clusterer *c, const struct cl_part *a, const struct cl_part *b)
{
	fm_dedup_verdict v;
	fm_dedup_pair pair;

	if (a->link && b->link && !strcmp(a->link, b->link))
		return 1;
	pair.apart = a->when > b->when ? a->when - b->when : b->when - a->when;
	if (!a->has_fp || !b->has_fp || pair.apart > c->window)
		return 0;
	pair.same_feed = !strcmp(a->feed, b->feed);
	return fm_dedup_match(&a->fp, &b->fp, &pair, &c->p, &v);
}

/*
 * Splits cluster into its connected parts when a changed fingerprint broke
 * it: the part holding the oldest member keeps the cluster (and its id).
 */
static int
cl_split(fm_clusterer *c, int64_t cluster, fm_time now)
{
	struct cl_parts ps;
	int64_t *rows = NULL, fresh;
	size_t i, j, keep, nrows;
	int rc;

	memset(&ps, 0, sizeof ps);
	ps.c = c;
	rc = fm_store_cluster_members(c->st, cluster, cl_part_add, &ps);
	for (i = 0; !rc && i < ps.n; i++)
		for (j = i + 1; j < ps.n; j++)
			if (cl_root(ps.v, i) != cl_root(ps.v, j) && cl_linked(c, &ps.v[i], &ps.v[j]))
				ps.v[cl_root(ps.v, i)].parent = cl_root(ps.v, j);
	keep = 0;
	for (i = 1; i < ps.n; i++)
		if (ps.v[i].row < ps.v[keep].row)
			keep = i;
	if (!rc && ps.n > 1 && !(rows = malloc(ps.n * sizeof *rows)))
		rc = FM_ENOMEM;
	/* Every part but the kept one moves to a cluster of its own. */
	for (i = 0; !rc && i < ps.n; i++) {
		size_t r = cl_root(ps.v, i);

		if (r == cl_root(ps.v, keep) || ps.v[r].row == 0)
			continue;
		for (nrows = 0, j = i; j < ps.n; j++)
			if (cl_root(ps.v, j) == r)
				rows[nrows++] = ps.v[j].row;
		rc = fm_store_cluster_split(c->st, rows, nrows, &fresh);
		ps.v[r].row = 0; /* this part is done */
	}
	for (i = 0; i < ps.n; i++) {
		free(ps.v[i].feed);
		free(ps.v[i].link);
	}
	free(ps.v);
	free(rows);
	return rc;
}

/* What a refresh recomputes one stored item with. */
struct cl_refresh {
	int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp);
	void *ud;
	fm_fingerprint fp;
	fm_time when;
};

/* Store callback: the item's fingerprint under what the feed has taught since. */
static int
cl_refingerprint(void *ud, const fm_store_item *it)
{
	struct cl_refresh *r = ud;

	r->when = fm_item_time(&it->item, it->first_seen);
	return r->fingerprint(r->ud, &it->item, &r->fp);
}

/* Returns 1 when two fingerprints differ in anything clustering reads. */
static int
cl_fp_differs(const fm_fingerprint *a, const fm_fingerprint *b)
{
	return a->simhash != b->simhash || a->title != b->title || a->words != b->words ||
	       a->shingles != b->shingles || a->nsketch != b->nsketch || a->flags != b->flags ||
	       a->ntitle != b->ntitle || memcmp(a->title_words, b->title_words, a->ntitle * sizeof a->title_words[0]) ||
	       memcmp(a->sketch, b->sketch, a->nsketch * sizeof a->sketch[0]);
}

int
fm_clusterer_refresh(fm_clusterer *c, const char *feed,
		     int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp), void *ud,
		     fm_time now, long *changed)
{
	struct cl_refresh *r = malloc(sizeof *r);
	fm_fingerprint *old = malloc(sizeof *old);
	int64_t *rows = NULL, cluster;
	size_t n = 0, i;
	int rc;

	if (changed)
		*changed = 0;
	if (!r || !old) {
		free(r);
		free(old);
		return FM_ENOMEM;
	}
	r->fingerprint = fingerprint;
	r->ud = ud;
	rc = fm_store_feed_fingerprinted(c->st, feed, now - 2 * c->window, &rows, &n);
	for (i = 0; !rc && i < n; i++) {
		if ((rc = fm_store_item_get(c->st, rows[i], cl_refingerprint, r)) ||
		    (rc = fm_store_fingerprint(c->st, rows[i], old, &cluster)))
			break;
		if (!cl_fp_differs(&r->fp, old))
			continue;
		/* Its edges may have gone (split) or come (join): redo both. */
		if ((rc = fm_store_item_set_fp(c->st, rows[i], &r->fp)) ||
		    (rc = cl_split(c, cluster, now)) ||
		    (rc = fm_store_fingerprint(c->st, rows[i], old, &cluster)) ||
		    (rc = cl_join(c, feed, cluster, &r->fp, r->when, now, NULL)) ||
		    (rc = cl_index(c, rows[i], r->when, feed, &r->fp)))
			break;
		if (changed)
			(*changed)++;
	}
	free(rows);
	free(r);
	free(old);
	return rc;
}

void
fm_clusterer_free(fm_clusterer *c)
{
	size_t i;

	if (!c)
		return;
	fm_candidates_free(c->ci);
	free(c->items);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c->slots);
	free(c);
}
