/* entries.c - from stored clusters to the entries every output is written from. */
#include "run/itemcopy.h"
#include "run/run_int.h"
#include "feedmerge/dedup.h"
#include "feedmerge/output.h"
#include "util/grow.h"
#include "util/strindex.h"

#include <stdlib.h>
#include <string.h>

/* One entry being built: its members own copies of their items. */
struct entry_build {
	fm_entry entry;
	char *id;
	fm_member *members;
	fm_item **items;     /* the copies members[i].item came from */
	size_t n, a;
};

/* Entries for one output. */
struct entries {
	const fm_config *cfg;
	fm_store *st;
	const fm_config_output *out;
	struct entry_build *v;
	size_t n, a;
	struct entry_build *cur; /* the entry whose members are being read */
};

/*
 * Store callback: adds one member to the current entry, when its feed is
 * configured, enabled and selected by the output, and the output's
 * include/exclude keep it. Clustering is global; each output lists its own
 * feeds' members only.
 */
static int
entries_member(void *ud, const fm_store_item *it)
{
	struct entries *es = ud;
	struct entry_build *b = es->cur;
	const fm_config_feed *cf = fm_config_feed_find(es->cfg, it->item.feed);
	fm_item tmp = it->item;

	if (!cf || !cf->enabled || !fm_config_output_selects(es->out, cf) ||
	    !fm_config_output_wants(es->out, it->item.title,
				    it->item.content ? it->item.content : it->item.summary))
		return 0;
	if (b->n == b->a) {
		size_t n = b->a ? b->a * 2 : 4;
		fm_member *m = realloc(b->members, n * sizeof *m);
		fm_item **items;

		if (!m)
			return FM_ENOMEM;
		b->members = m;
		if (!(items = realloc(b->items, n * sizeof *items)))
			return FM_ENOMEM;
		b->items = items;
		b->a = n;
	}
	/* Members keep their published time; an unknown one reads as updated, else first seen. */
	tmp.published = fm_item_time(&tmp, it->first_seen);
	if (!(b->items[b->n] = fm__item_copy(&tmp)))
		return FM_ENOMEM;
	memset(&b->members[b->n], 0, sizeof b->members[b->n]);
	b->members[b->n].item = *b->items[b->n];
	b->members[b->n].feed_url = cf->url;
	b->n++;
	return 0;
}

/* Orders members for the representative (fm_dedup_prefer). */
static int
member_order(const fm_config *cfg, const fm_member *a, const fm_member *b)
{
	return fm_dedup_prefer(fm_config_feed_find(cfg, a->item.feed)->priority, a->item.published,
			       fm_config_feed_find(cfg, b->item.feed)->priority, b->item.published);
}

/* Moves the representative to members[0], keeping the others in store order. */
static void
entry_pick_representative(const fm_config *cfg, struct entry_build *b)
{
	size_t best = 0, i;
	fm_member rep;
	fm_item *rep_item;

	for (i = 1; i < b->n; i++)
		if (member_order(cfg, &b->members[i], &b->members[best]) < 0)
			best = i;
	rep = b->members[best];
	rep_item = b->items[best];
	memmove(&b->members[1], &b->members[0], best * sizeof rep);
	memmove(&b->items[1], &b->items[0], best * sizeof rep_item);
	b->members[0] = rep;
	b->items[0] = rep_item;
}

/* Frees one entry's copies. */
static void
entry_dispose(struct entry_build *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->items[i]);
	free(b->items);
	free(b->members);
	free(b->id);
}

/* Store callback: one cluster, newest first; stops at max_items. */
static int
entries_cluster(void *ud, const fm_store_cluster *c)
{
	struct entries *es = ud;
	struct entry_build *b;
	int rc;

	if (es->out->max_items && es->n >= es->out->max_items)
		return 1; /* enough: stop the walk */
	if (fm__grow(&es->v, &es->a, es->n, sizeof *es->v, 64))
		return FM_ENOMEM;
	b = es->cur = &es->v[es->n];
	memset(b, 0, sizeof *b);
	if ((rc = fm_store_cluster_members(es->st, c->rowid, entries_member, es)) ||
	    !b->n || !(b->id = strdup(c->id))) {
		entry_dispose(b);
		return rc ? rc : b->n ? FM_ENOMEM : 0;
	}
	entry_pick_representative(es->cfg, b);
	b->entry.id = b->id;
	b->entry.updated = c->updated;
	b->entry.published = b->members[0].item.published;
	es->n++;
	return 0;
}

/*
 * The title and home page of the feeds the outputs list, read from their
 * stored states the first time an entry has a member of theirs and kept for
 * all outputs. Only those feeds: the state of every configured feed, loaded
 * at once, came to 30 MB at 100,000 feeds (and at the end of a pass, on top
 * of the clusterer's index).
 */
struct feed_meta {
	char *name, *title, *link; /* owned; title and link NULL when unknown */
};

struct states {
	fm_store *st;
	struct feed_meta *v;
	size_t n, a;
	fm_strindex ix;        /* v by name */
};

/* Index callback: the name of feed pos. */
static const char *
states_name_at(const void *ud, size_t pos)
{
	return ((const struct states *)ud)->v[pos].name;
}

/* Returns the kept metadata of feed name, reading its state the first time; NULL on FM_EIO/FM_ENOMEM (*rc). */
static const struct feed_meta *
states_get(struct states *s, const char *name, int *rc)
{
	size_t i = fm__strindex_find(&s->ix, name, states_name_at, s);
	fm_feed_state fs;
	struct feed_meta *m;

	if (i != SIZE_MAX)
		return &s->v[i];
	if (fm__grow(&s->v, &s->a, s->n, sizeof *s->v, 64)) {
		*rc = FM_ENOMEM;
		return NULL;
	}
	if ((*rc = fm_store_feed_get(s->st, name, &fs))) {
		fm_feed_state_clear(&fs); /* it may hold the name */
		return NULL;
	}
	m = &s->v[s->n];
	m->name = fs.name;
	m->title = fs.title;
	m->link = fs.link;
	fs.name = fs.title = fs.link = NULL;
	fm_feed_state_clear(&fs);
	if ((*rc = fm__strindex_add(&s->ix, name, s->n, states_name_at, s))) {
		free(m->name);
		free(m->title);
		free(m->link);
		return NULL;
	}
	s->n++;
	return m;
}

/* Frees what s keeps. */
static void
states_dispose(struct states *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].title);
		free(s->v[i].link);
	}
	free(s->v);
	fm__strindex_dispose(&s->ix);
}

/* Fills each member's feed title and home page from its feed's stored state; returns 0 or an FM_E* code. */
static int
entries_feed_meta(struct entries *es, struct states *states)
{
	const struct feed_meta *m;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < es->n; i++) {
		struct entry_build *b = &es->v[i];

		for (j = 0; j < b->n; j++) {
			if (!(m = states_get(states, b->members[j].item.feed, &rc)))
				return rc;
			b->members[j].feed_title = m->title;
			b->members[j].feed_link = m->link;
		}
		b->entry.members = b->members;
		b->entry.nmembers = b->n;
	}
	return 0;
}

/* Builds one output's entries and writes its file. */
static int
write_one(const fm_config *cfg, fm_store *st, const fm_config_output *out, fm_time now,
	  struct states *states, const fm_run_opts *opts, fm_run_report *rep)
{
	struct entries es;
	fm_entry *list = NULL;
	fm_diag diag = { 0 };
	int rc, written = 0;
	size_t i;

	/* We hold the run lock: temporary files beside the output are a dead run's. */
	fm_output_sweep(out->path, NULL);
	memset(&es, 0, sizeof es);
	es.cfg = cfg;
	es.st = st;
	es.out = out;
	rc = fm_store_clusters(st, out->max_age ? now - out->max_age : 0, entries_cluster, &es);
	if (rc == 1)
		rc = 0;
	if (!rc)
		rc = entries_feed_meta(&es, states);
	if (!rc && es.n && !(list = malloc(es.n * sizeof *list)))
		rc = FM_ENOMEM;
	for (i = 0; !rc && i < es.n; i++)
		list[i] = es.v[i].entry;
	if (!rc)
		rc = fm_output_write(out, list, es.n, &written, &diag);
	if (rc) {
		rep->outputs_failed++;
		run__problem(opts, "output %s: %s", out->name,
			     diag.msg[0] ? diag.msg : fm_strerror(rc));
	} else if (written) {
		rep->outputs_written++;
	}
	for (i = 0; i < es.n; i++)
		entry_dispose(&es.v[i]);
	free(es.v);
	free(list);
	return rc;
}

int
run__write_outputs(const fm_config *cfg, fm_store *st, fm_time now,
		   const fm_run_opts *opts, fm_run_report *rep)
{
	struct states states;
	size_t i, n = fm_config_output_count(cfg);
	int rc, worst = 0;

	memset(&states, 0, sizeof states);
	states.st = st;
	for (i = 0; i < n; i++)
		if ((rc = write_one(cfg, st, fm_config_output_at(cfg, i), now, &states, opts, rep)))
			worst = rc;
	states_dispose(&states);
	return worst;
}
