/* cluster.c - near-duplicate clustering: index, confirm, plan merges and splits. */
#include "feedmerge/candidates.h"
#include "feedmerge/cluster.h"
#include "dedup/fpcache.h"
#include "dedup/gate.h"
#include "feedmerge/error.h"
#include "util/grow.h"
#include "util/strindex.h"

#include <stdlib.h>
#include <string.h>

/*
 * A key posted by more items than this is common to too many stories to
 * tell copies apart (a stock phrase, a headline word like "coronavirus"):
 * it finds no candidates.
 */
#define CL_KEY_CAP 256

/*
 * Bytes of fingerprints the clusterer keeps at hand (about 600 bytes an
 * item with a long text): the newest 25,000 or so; older candidates are
 * read from the source. Only a candidate its gate lets through needs one.
 */
#define CL_FP_CACHE (16u << 20)

/* What the index knows of each item: ids in the index are positions here. */
struct cl_item {
	int64_t row;
	fm_time when;
	unsigned feed; /* index into names */
};

struct fm_clusterer {
	fm_dedup_params p;
	int64_t window;
	fm_time horizon;   /* stories before it may leave the index (fm_clusterer_bound) */
	fm_time floor;     /* stories before it are not indexed: the newest that left, + 1 */
	size_t max_items;  /* past this many items the index drops old stories (0: never) */
	fm_candidates *ci; /* every item's candidate keys; ids are positions in items */
	fm_fpcache *fps;   /* the newest fingerprints, by row */
	struct cl_item *items;
	fm_gate *gates;    /* gates[i]: items[i]'s, for turning candidates away unread */
	size_t n, a, agates;
	char **names;  /* feed names, interned */
	size_t nnames;
	fm_strindex name_ix; /* names by name */
};

/* Index callback: feed name pos. */
static const char *
cl_name_at(const void *ud, size_t pos)
{
	return ((const fm_clusterer *)ud)->names[pos];
}

/* Returns the interned number of a feed name, adding it; (unsigned)-1 on ENOMEM. */
static unsigned
cl_name(fm_clusterer *c, const char *feed)
{
	size_t pos = fm__strindex_find(&c->name_ix, feed, cl_name_at, c);
	char **v;

	if (pos != SIZE_MAX)
		return (unsigned)pos;
	if (!(v = realloc(c->names, (c->nnames + 1) * sizeof *v)))
		return (unsigned)-1;
	c->names = v;
	if (!(v[c->nnames] = strdup(feed)))
		return (unsigned)-1;
	if (fm__strindex_add(&c->name_ix, feed, c->nnames, cl_name_at, c)) {
		free(v[c->nnames]);
		return (unsigned)-1;
	}
	return (unsigned)c->nnames++;
}

/* qsort order of story times. */
static int
cl_time_cmp(const void *a, const void *b)
{
	fm_time x = *(const fm_time *)a, y = *(const fm_time *)b;

	return x < y ? -1 : x > y;
}

/*
 * The index is full: the oldest stories before the horizon leave it, down
 * to half the bound when there are that many, and the floor rises past
 * them. When little could leave (the window's own stories never do), the
 * bound doubles, so a full index is not rebuilt for every add.
 */
static int
cl_shed(fm_clusterer *c)
{
	size_t drop = c->n - c->max_items / 2, nold = 0, i, m = 0;
	fm_time floor = c->horizon, *old;
	uint32_t *remap;
	int rc = 0;

	for (i = 0; i < c->n; i++)
		nold += c->items[i].when < c->horizon;
	if (nold > drop) {
		/* The drop oldest of them leave (and any that tie with the last). */
		if (!(old = malloc(nold * sizeof *old)))
			return FM_ENOMEM;
		for (i = 0; i < c->n; i++)
			if (c->items[i].when < c->horizon)
				old[m++] = c->items[i].when;
		qsort(old, nold, sizeof *old, cl_time_cmp);
		floor = old[drop - 1] + 1; /* at most the horizon: old[] lies before it */
		free(old);
	}
	if (nold) {
		if (!(remap = malloc(c->n * sizeof *remap)))
			return FM_ENOMEM;
		for (i = m = 0; i < c->n; i++)
			remap[i] = c->items[i].when < floor ? UINT32_MAX : (uint32_t)m++;
		rc = fm_candidates_retain(c->ci, remap, c->n);
		for (i = 0; !rc && i < c->n; i++)
			if (remap[i] != UINT32_MAX) {
				c->items[remap[i]] = c->items[i];
				c->gates[remap[i]] = c->gates[i];
			}
		free(remap);
		if (rc)
			return rc; /* nothing changed */
		c->n = m;
		if (floor > c->floor)
			c->floor = floor;
	}
	if (c->n > c->max_items / 4 * 3)
		c->max_items = c->max_items > SIZE_MAX / 2 ? SIZE_MAX : 2 * c->max_items;
	return rc;
}

void
fm_clusterer_bound(fm_clusterer *c, fm_time horizon, size_t max_items)
{
	c->horizon = horizon;
	c->max_items = max_items;
}

int
fm_clusterer_index(fm_clusterer *c, int64_t row, const char *feed, fm_time when, const fm_fingerprint *fp)
{
	unsigned name;
	int rc;

	if (when < c->floor)
		return 0; /* older than a story the index already let go */
	if ((name = cl_name(c, feed)) == (unsigned)-1)
		return FM_ENOMEM;
	if (fm__grow(&c->items, &c->a, c->n, sizeof *c->items, 1024) ||
	    fm__grow(&c->gates, &c->agates, c->n, sizeof *c->gates, 1024))
		return FM_ENOMEM;
	fm__gate_make(&c->gates[c->n], fp);
	c->items[c->n].row = row;
	c->items[c->n].when = when;
	c->items[c->n].feed = name;
	c->n++;
	if (fm__fpcache_put(c->fps, row, fp))
		return FM_ENOMEM;
	if ((rc = fm_candidates_add(c->ci, fp, (uint32_t)(c->n - 1))))
		return rc;
	return c->max_items && c->n >= c->max_items ? cl_shed(c) : 0;
}

int
fm_clusterer_refingerprint(fm_clusterer *c, int64_t row, const fm_fingerprint *fp)
{
	size_t i;

	/* A changed item is rare (a handful a pass): a scan finds its place. */
	for (i = 0; i < c->n; i++)
		if (c->items[i].row == row)
			fm__gate_make(&c->gates[i], fp);
	return fm__fpcache_put(c->fps, row, fp);
}

int
fm_clusterer_new(fm_clusterer **out, const fm_dedup_params *p, int64_t window)
{
	fm_clusterer *c;
	int rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof *c)))
		return FM_ENOMEM;
	c->p = *p;
	c->window = window;
	c->floor = INT64_MIN;
	if (!(c->fps = fm__fpcache_new(CL_FP_CACHE))) {
		fm_clusterer_free(c);
		return FM_ENOMEM;
	}
	if ((rc = fm_candidates_new(&c->ci, p->threshold, CL_KEY_CAP))) {
		fm_clusterer_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int64_t
fm_clusterer_window(const fm_clusterer *c)
{
	return c->window;
}

void
fm_plan_clear(fm_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		free(plan->v[i].rows);
	free(plan->v);
	memset(plan, 0, sizeof *plan);
}

/* Appends a step to plan (taking rows); returns 0 or FM_ENOMEM (rows freed). */
static int
plan_add(fm_plan *plan, fm_plan_kind kind, int64_t into, int64_t from, int64_t *rows, size_t nrows,
	 const char *why)
{
	fm_plan_step *st;

	if (fm__grow(&plan->v, &plan->a, plan->n, sizeof *plan->v, 4)) {
		free(rows);
		return FM_ENOMEM;
	}
	st = &plan->v[plan->n++];
	st->kind = kind;
	st->into = into;
	st->from = from;
	st->rows = rows;
	st->nrows = nrows;
	st->why = why;
	return 0;
}

/* Candidates confirmed this many ahead of their loads (their item and gate, far apart in memory). */
#define CL_AHEAD 8

/* One item being clustered and the clusters its confirmed copies are in. */
struct cl_query {
	fm_clusterer *c;
	const fm_cluster_source *src;
	const fm_fingerprint *fp;
	fm_gate_query gate;  /* fp, ready to meet candidates' gates */
	unsigned feed;
	fm_time when;
	int64_t cluster;     /* the item's own cluster */
	int64_t *found;      /* distinct clusters confirmed */
	const char **why;    /* the rule that confirmed each */
	size_t nfound, afound, awhy;
	uint32_t *cand;      /* the index's finds, waiting for cl_confirm (scratch) */
	size_t ncand, acand;
};

/* Candidates callback: notes one; they are confirmed after the query, with their loads started ahead. */
static int
cl_collect(void *ud, uint32_t id, unsigned keys)
{
	struct cl_query *q = ud;

	(void)keys; /* the gate and the rules decide, whichever key found it */
	if (fm__grow(&q->cand, &q->acand, q->ncand, sizeof *q->cand, 64))
		return FM_ENOMEM;
	q->cand[q->ncand++] = id;
	return 0;
}

/*
 * Checks one candidate and notes its cluster when confirmed. Its gate
 * turns most away; then the rules run: a fingerprint at hand costs no
 * read, and the cluster is read only for a copy.
 */
static int
cl_confirm(struct cl_query *q, uint32_t id)
{
	const struct cl_item *it = &q->c->items[id];
	fm_fingerprint other;
	fm_dedup_verdict v;
	fm_dedup_pair pair;
	int64_t cluster = 0;
	size_t i;
	int rc, cached;

	pair.apart = it->when > q->when ? it->when - q->when : q->when - it->when;
	if (pair.apart > q->c->window || !fm__gate_may_match(&q->gate, &q->c->gates[id]))
		return 0;
	if (!(cached = fm__fpcache_get(q->c->fps, it->row, &other))) {
		if ((rc = q->src->fingerprint(q->src->ud, it->row, &other, &cluster)))
			return rc == FM_EINVAL ? 0 : rc; /* pruned meanwhile: skip */
		if ((rc = fm__fpcache_put(q->c->fps, it->row, &other)))
			return rc;
	}
	pair.same_feed = it->feed == q->feed;
	if (!fm_dedup_match(q->fp, &other, &pair, &q->c->p, &v))
		return 0;
	if (cached && (rc = q->src->cluster(q->src->ud, it->row, &cluster)))
		return rc == FM_EINVAL ? 0 : rc;
	if (cluster == q->cluster)
		return 0;
	for (i = 0; i < q->nfound; i++)
		if (q->found[i] == cluster)
			return 0;
	if (fm__grow(&q->found, &q->afound, q->nfound, sizeof *q->found, 8) ||
	    fm__grow(&q->why, &q->awhy, q->nfound, sizeof *q->why, 8))
		return FM_ENOMEM;
	q->why[q->nfound] = v.why;
	q->found[q->nfound++] = cluster;
	return 0;
}

int
fm_clusterer_plan_join(fm_clusterer *c, const fm_cluster_source *src, const char *feed,
		       int64_t cluster, const fm_fingerprint *fp, fm_time when, fm_plan *plan)
{
	struct cl_query q;
	const char *why_into = NULL;
	int64_t into;
	size_t i;
	int rc;

	memset(&q, 0, sizeof q);
	q.c = c;
	q.src = src;
	q.fp = fp;
	fm__gate_query(&q.gate, fp, &c->p);
	q.when = when;
	q.cluster = cluster;
	if ((q.feed = cl_name(c, feed)) == (unsigned)-1)
		return FM_ENOMEM;
	rc = fm_candidates_query(c->ci, fp, cl_collect, &q);
	for (i = 0; !rc && i < q.ncand; i++) {
		if (i + CL_AHEAD < q.ncand) {
			__builtin_prefetch(&c->items[q.cand[i + CL_AHEAD]]);
			__builtin_prefetch(&c->gates[q.cand[i + CL_AHEAD]]);
		}
		rc = cl_confirm(&q, q.cand[i]);
	}
	/* Everything confirmed folds into the oldest cluster, whose id lives on. */
	into = cluster;
	for (i = 0; i < q.nfound; i++)
		if (q.found[i] < into) {
			into = q.found[i];
			why_into = q.why[i];
		}
	if (!rc && into != cluster)
		rc = plan_add(plan, FM_PLAN_MERGE, into, cluster, NULL, 0, why_into);
	for (i = 0; !rc && i < q.nfound; i++)
		if (q.found[i] != into)
			rc = plan_add(plan, FM_PLAN_MERGE, into, q.found[i], NULL, 0, q.why[i]);
	free(q.found);
	free(q.why);
	free(q.cand);
	return rc;
}

/* One member of a cluster being checked for falling apart. */
struct cl_part {
	int64_t row;
	char *feed;
	fm_time when;
	int has_fp;
	fm_fingerprint fp;
	size_t parent;
};

/* The members of one cluster, read for the check. */
struct cl_parts {
	struct cl_part *v;
	size_t n, a;
};

/* Source callback: copies one member and its fingerprint. */
static int
cl_part_add(void *ud, const fm_cluster_member *m)
{
	struct cl_parts *ps = ud;
	struct cl_part *p;

	if (fm__grow(&ps->v, &ps->a, ps->n, sizeof *ps->v, 8))
		return FM_ENOMEM;
	p = &ps->v[ps->n];
	memset(p, 0, sizeof *p);
	p->row = m->row;
	p->when = m->when;
	p->parent = ps->n;
	if (!(p->feed = strdup(m->feed)))
		return FM_ENOMEM;
	if ((p->has_fp = m->fp != NULL))
		p->fp = *m->fp;
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

	if (!a->has_fp || !b->has_fp)
		return 0;
	if (a->fp.link && a->fp.link == b->fp.link)
		return 1; /* one address, whenever */
	pair.apart = a->when > b->when ? a->when - b->when : b->when - a->when;
	if (pair.apart > c->window)
		return 0;
	pair.same_feed = !strcmp(a->feed, b->feed);
	return fm_dedup_match(&a->fp, &b->fp, &pair, &c->p, &v);
}

int
fm_clusterer_plan_split(fm_clusterer *c, const fm_cluster_source *src, int64_t cluster, fm_plan *plan)
{
	struct cl_parts ps;
	int64_t *rows;
	size_t i, j, keep, nrows;
	int rc;

	memset(&ps, 0, sizeof ps);
	rc = src->members(src->ud, cluster, cl_part_add, &ps);
	for (i = 0; !rc && i < ps.n; i++)
		for (j = i + 1; j < ps.n; j++)
			if (cl_root(ps.v, i) != cl_root(ps.v, j) && cl_linked(c, &ps.v[i], &ps.v[j]))
				ps.v[cl_root(ps.v, i)].parent = cl_root(ps.v, j);
	keep = 0;
	for (i = 1; i < ps.n; i++)
		if (ps.v[i].row < ps.v[keep].row)
			keep = i;
	/* Every part but the one with the oldest member leaves. */
	for (i = 0; !rc && i < ps.n; i++) {
		size_t r = cl_root(ps.v, i);

		if (r == cl_root(ps.v, keep) || ps.v[r].row == 0)
			continue;
		if (!(rows = malloc(ps.n * sizeof *rows))) {
			rc = FM_ENOMEM;
			break;
		}
		for (nrows = 0, j = i; j < ps.n; j++)
			if (cl_root(ps.v, j) == r)
				rows[nrows++] = ps.v[j].row;
		rc = plan_add(plan, FM_PLAN_SPLIT, 0, cluster, rows, nrows,
			      "no longer holds together (a fingerprint changed): a part of its own");
		ps.v[r].row = 0; /* this part is done */
	}
	for (i = 0; i < ps.n; i++)
		free(ps.v[i].feed);
	free(ps.v);
	return rc;
}

void
fm_clusterer_free(fm_clusterer *c)
{
	size_t i;

	if (!c)
		return;
	fm_candidates_free(c->ci);
	fm__fpcache_free(c->fps);
	free(c->items);
	free(c->gates);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	fm__strindex_dispose(&c->name_ix);
	free(c);
}
