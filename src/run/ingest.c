/* ingest.c - one feed's items into the state: boilerplate, fingerprints, clusters. */
#include "run/run_int.h"
#include "feedmerge/fingerprint.h"

#include <stdlib.h>
#include <string.h>

/* A paragraph carried by this many items of one feed is that feed's boilerplate. */
#define INGEST_BOILER_ITEMS 3

/* The feed whose paragraphs are being looked up or learned. */
struct ingest_feed {
	fm_store *st;
	const char *name;
	fm_time now;
	uint64_t seen[256];  /* paragraphs of the current item already learned */
	size_t nseen;
	int crossed;         /* a paragraph or headline just became boilerplate */
	int rc;
};

/* Fingerprint callback: is this paragraph the feed's boilerplate? */
static int
ingest_is_boiler(void *ud, uint64_t hash)
{
	struct ingest_feed *f = ud;
	long n = 0;

	if (fm_store_boiler_count(f->st, f->name, hash, &n))
		f->rc = FM_EIO;
	return n >= INGEST_BOILER_ITEMS;
}

/* Fingerprint callback: counts a paragraph once per new item. */
static void
ingest_learn(void *ud, uint64_t hash)
{
	struct ingest_feed *f = ud;
	size_t i;

	for (i = 0; i < f->nseen; i++)
		if (f->seen[i] == hash)
			return;
	if (f->nseen < sizeof f->seen / sizeof f->seen[0])
		f->seen[f->nseen++] = hash;
	long n = 0;

	if (fm_store_boiler_learn(f->st, f->name, hash, f->now, &n))
		f->rc = FM_EIO;
	if (n == INGEST_BOILER_ITEMS)
		f->crossed = 1;
}

/* Clusterer callback: an item's fingerprint with what the feed knows now. */
static int
ingest_fingerprint(void *ud, const fm_item *item, fm_fingerprint *fp)
{
	struct ingest_feed *f = ud;
	int rc = fm_fingerprint_item(fp, item, ingest_is_boiler, NULL, f);

	return rc ? rc : f->rc;
}

/*
 * Learns the feed's boilerplate from the items the state has not seen:
 * every paragraph that survives the fixed rules is counted once per item,
 * before any item is fingerprinted, so a whole feed fetched at once knows
 * its own boilerplate from the first item on.
 */
static int
ingest_learn_all(struct ingest_feed *f, const fm_config_feed *cf, fm_item **items, size_t n)
{
	size_t i;
	int known, rc = 0;

	for (i = 0; i < n && !rc; i++) {
		if ((rc = fm_store_item_known(f->st, cf->name, cf->identity, items[i], &known)) || known)
			continue;
		f->nseen = 0;
		rc = fm_fingerprint_item(NULL, items[i], NULL, ingest_learn, f);
		if (!rc)
			rc = f->rc;
	}
	return rc;
}

int
run__ingest(fm_store *st, fm_clusterer *cl, const fm_config_feed *cf, fm_item **items,
	    size_t n, fm_time now, struct run_ingest *out)
{
	struct ingest_feed f;
	fm_fingerprint *fp = NULL;
	size_t i;
	int rc = 0, clustered = cf->cluster; /* cl is NULL while no item was new */

	memset(&f, 0, sizeof f);
	f.st = st;
	f.name = cf->name;
	f.now = now;
	if (clustered && (!(fp = malloc(sizeof *fp)) || (rc = ingest_learn_all(&f, cf, items, n)))) {
		free(fp);
		return rc ? rc : FM_ENOMEM;
	}
	for (i = 0; i < n && !rc; i++) {
		fm_store_put what;
		fm_store_ref ref;
		int joined = 0, known = 1, have_fp = 0;

		/* Only new and changed items need a fingerprint: most of a feed is neither. */
		if (clustered && !(rc = fm_store_item_known(st, cf->name, cf->identity, items[i], &known)) &&
		    !known && !(rc = ingest_fingerprint(&f, items[i], fp)))
			have_fp = 1;
		if (rc || (rc = fm_store_item_save(st, cf->name, cf->identity, items[i],
						   have_fp ? fp : NULL, now, &what, &ref)))
			break;
		if (clustered && what == FM_STORE_CHANGED &&
		    ((rc = ingest_fingerprint(&f, items[i], fp)) ||
		     (rc = fm_store_item_set_fp(st, ref.item, fp))))
			break;
		if (have_fp && what == FM_STORE_NEW && cl) {
			fm_time when = items[i]->published ? items[i]->published : now;

			if ((rc = fm_clusterer_add(cl, cf->name, &ref, fp, when, now, &joined)))
				break;
		}
		if (what == FM_STORE_NEW) {
			out->new_items++;
			out->joined += joined || ref.by_link;
		} else if (what == FM_STORE_CHANGED) {
			out->changed++;
		}
	}
	/* What was learnt now may change the feed's older items: look again. */
	if (!rc && cl && clustered && f.crossed)
		rc = fm_clusterer_refresh(cl, cf->name, ingest_fingerprint, &f, now, &out->reclustered);
	free(fp);
	return rc;
}
