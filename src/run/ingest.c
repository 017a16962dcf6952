/* ingest.c - one feed's items into the state: boilerplate, fingerprints, clusters. */
#include "run/run_int.h"
#include "run/prep.h"
#include "feedmerge/boiler.h"
#include "feedmerge/fingerprint.h"

#include <stdlib.h>
#include <string.h>

/* The feed whose paragraphs are being counted and looked up. */
struct ingest_feed {
	fm_boiler *boiler;   /* the feed's counts, loaded for this batch */
	uint64_t seen[256];  /* paragraphs of the current item already counted */
	size_t nseen;
	int crossed;         /* a paragraph or headline just became boilerplate */
	fm_fp_text **text;   /* per item: prepared when the state does not know it, else NULL */
	fm_store_packed *packed; /* per item: its text packed by the worker (ready), or not */
};

/* Fingerprint callback: is this paragraph (or headline) the feed's boilerplate? */
static int
ingest_is_boiler(void *ud, uint64_t hash)
{
	struct ingest_feed *f = ud;

	return fm_boiler_count(f->boiler, hash) >= FM_BOILER_ITEMS;
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
	if (fm_boiler_learn(f->boiler, hash) == FM_BOILER_ITEMS)
		f->crossed = 1;
}

/* Clusterer callback: an item's fingerprint with what the feed knows now. */
static int
ingest_fingerprint(void *ud, const fm_item *item, fm_fingerprint *fp)
{
	return fm_fingerprint_item(fp, item, ingest_is_boiler, NULL, ud);
}

/*
 * The two steps every new item of a feed takes, the writer's or the
 * worker's alike: its paragraphs counted once (all items first), then its
 * fingerprint with what the counts say.
 */
static int
ingest_count(struct ingest_feed *f, const fm_fp_text *text)
{
	f->nseen = 0;
	return fm_fp_compute(NULL, text, NULL, ingest_learn, f);
}

static int
ingest_fp(struct ingest_feed *f, const fm_fp_text *text, fm_fingerprint *fp)
{
	return fm_fp_compute(fp, text, ingest_is_boiler, NULL, f);
}

/*
 * Sets *is_new for an item no prepared job vouches for. A feed the state
 * has no item of brings only new ones: *has (-1 until asked) is asked once
 * a batch, then items are looked up only when it has some.
 */
static int
ingest_is_new(fm_store *st, const fm_config_feed *cf, const fm_item *item, int *has, int *is_new)
{
	int rc, known = 0;

	if (*has < 0 && (rc = fm_store_feed_has_items(st, cf->name, has)))
		return rc;
	if (*has && (rc = fm_store_item_known(st, cf->name, cf->identity, item, &known)))
		return rc;
	*is_new = !known;
	return 0;
}

/*
 * Learns the feed's boilerplate from the items the state has not seen:
 * every paragraph that survives the fixed rules is counted once per item,
 * before any item is fingerprinted, so a whole feed fetched at once knows
 * its own boilerplate from the first item on.
 */
static int
ingest_learn_all(fm_store *st, struct ingest_feed *f, const fm_config_feed *cf,
		 run_prep *prep, run_prep_job **jobs, fm_item **items, size_t n)
{
	fm_buf blob = FM_BUF_INIT;
	size_t i;
	int has = -1, is_new, rc;

	if ((rc = fm_store_boiler_get(st, cf->name, &blob)) ||
	    (rc = fm_boiler_load(&f->boiler, blob.ptr, blob.size))) {
		fm_buf_dispose(&blob);
		return rc;
	}
	fm_buf_dispose(&blob);
	if (!(f->text = calloc(n ? n : 1, sizeof *f->text)) ||
	    !(f->packed = calloc(n ? n : 1, sizeof *f->packed)))
		return FM_ENOMEM;
	/* Each new item's text is prepared once: counted now, fingerprinted after. */
	for (i = 0; i < n && !rc; i++) {
		if (jobs && jobs[i]) {
			/* Found new when parsed (see run.c), its text prepared meanwhile. */
			rc = run_prep_take(prep, jobs[i], &f->text[i], &f->packed[i]);
			jobs[i] = NULL;
			/* (A feed job that learnt from it and was then dropped freed it.) */
			if (!rc && !f->text[i])
				rc = fm_fp_text_new(&f->text[i], items[i]);
		} else if ((rc = ingest_is_new(st, cf, items[i], &has, &is_new)) || !is_new) {
			continue;
		} else {
			rc = fm_fp_text_new(&f->text[i], items[i]);
		}
		if (rc)
			continue;
		rc = ingest_count(f, f->text[i]);
	}
	return rc;
}

int
run__learn_fresh(fm_fp_text *const *texts, size_t n, struct run_learned *out)
{
	struct ingest_feed f;
	size_t i;
	int rc;

	memset(&f, 0, sizeof f);
	memset(out, 0, sizeof *out);
	/* No counts yet: as the state's missing row loads (fm_boiler_load of nothing). */
	if ((rc = fm_boiler_load(&f.boiler, NULL, 0)) ||
	    !(out->fps = malloc((n ? n : 1) * sizeof *out->fps))) {
		fm_boiler_free(f.boiler);
		return rc ? rc : FM_ENOMEM;
	}
	for (i = 0; i < n && !rc; i++)
		rc = ingest_count(&f, texts[i]);
	for (i = 0; i < n && !rc; i++)
		rc = ingest_fp(&f, texts[i], &out->fps[i]);
	if (rc) {
		fm_boiler_free(f.boiler);
		run_learned_clear(out);
		return rc;
	}
	out->boiler = f.boiler;
	out->crossed = f.crossed;
	return 0;
}

/*
 * Takes what the worker learnt from a fresh feed (1), else nothing (0:
 * the caller learns): the counts, the fingerprints and each item's jobs
 * (text and packed values), as ingest_learn_all would leave them.
 */
static int
ingest_take_learned(struct ingest_feed *f, run_prep *prep, run_prep_job **learn, run_prep_job **jobs,
		    size_t n, struct run_learned *got, int *rc)
{
	run_prep_job *job = *learn;
	size_t i;

	if (!job)
		return 0;
	*learn = NULL;
	for (i = 0; i < n && jobs && jobs[i]; i++)
		;
	if (i < n) {
		run_prep_drop(prep, job);
		return 0;
	}
	if (!run_prep_take_feed(prep, job, got))
		return 0;
	if (!(f->text = calloc(n ? n : 1, sizeof *f->text)) ||
	    !(f->packed = calloc(n ? n : 1, sizeof *f->packed))) {
		*rc = FM_ENOMEM;
		return 1;
	}
	/* Their text served the worker, which freed it (a free on another thread's arena waits for its lock). */
	for (i = 0; i < n && !*rc; i++) {
		*rc = run_prep_take(prep, jobs[i], NULL, &f->packed[i]);
		jobs[i] = NULL;
	}
	f->boiler = got->boiler;
	got->boiler = NULL;
	f->crossed = got->crossed;
	return 1;
}

/* A feed kept out of clustering: takes its jobs' packed text only (a job marks nothing here: the store looks items up). */
static int
ingest_take_packed(struct ingest_feed *f, run_prep *prep, run_prep_job **jobs, size_t n)
{
	size_t i;

	if (!(f->packed = calloc(n ? n : 1, sizeof *f->packed)))
		return FM_ENOMEM;
	for (i = 0; i < n; i++)
		if (jobs[i]) {
			run_prep_take(prep, jobs[i], NULL, &f->packed[i]);
			jobs[i] = NULL;
		}
	return 0;
}

/* Saves the feed's counts when this batch changed them. */
static int
ingest_save_boiler(fm_store *st, const struct ingest_feed *f, const char *feed)
{
	fm_buf blob = FM_BUF_INIT;
	int rc;

	if (!f->boiler || !fm_boiler_changed(f->boiler))
		return 0;
	if (!(rc = fm_boiler_save(f->boiler, &blob)))
		rc = fm_store_boiler_put(st, feed, blob.ptr, blob.size);
	fm_buf_dispose(&blob);
	return rc;
}

int
run__ingest(fm_store *st, fm_clusterer *(*clusterer)(void *ud, int open, int *rc), void *ud,
	    run_prep *prep, run_prep_job **jobs, run_prep_job *learn, const fm_config_feed *cf,
	    fm_item **items, size_t n, fm_time now, struct run_ingest *out)
{
	struct ingest_feed f;
	struct run_learned got = { NULL, NULL, 0 };
	fm_fingerprint *fp = NULL;
	fm_clusterer *cl = NULL;
	size_t i;
	int rc = 0, clustered = cf->cluster;

	memset(&f, 0, sizeof f);
	if (clustered && !(fp = malloc(sizeof *fp))) {
		rc = FM_ENOMEM;
		goto out;
	}
	if (clustered && !ingest_take_learned(&f, prep, &learn, jobs, n, &got, &rc))
		rc = ingest_learn_all(st, &f, cf, prep, jobs, items, n);
	if (rc)
		goto out;
	if (!clustered && jobs && (rc = ingest_take_packed(&f, prep, jobs, n)))
		goto out;
	/* Only a new item needs the clusterer (changed ones keep their cluster). */
	for (i = 0; clustered && i < n && !cl && !rc; i++)
		if (f.text[i] || got.fps)
			cl = clusterer(ud, 1, &rc);
	if (rc)
		goto out;
	for (i = 0; i < n && !rc; i++) {
		fm_store_put what;
		fm_store_ref ref;
		int joined = 0, have_fp = 0;

		/* Only new and changed items need a fingerprint: most of a feed is neither. */
		if (clustered && got.fps) {
			*fp = got.fps[i]; /* every item of a learnt feed is new */
			have_fp = 1;
		} else if (clustered && f.text[i] &&
			   !(rc = ingest_fp(&f, f.text[i], fp))) {
			have_fp = 1;
		}
		if (rc || (rc = fm_store_item_save_packed(st, cf->name, cf->identity, items[i],
							  f.packed ? &f.packed[i] : NULL,
							  have_fp ? fp : NULL, now, &what, &ref)))
			break;
		if (clustered && what == FM_STORE_CHANGED) {
			fm_clusterer *loaded = cl ? cl : clusterer(ud, 0, &rc);

			if ((rc = ingest_fingerprint(&f, items[i], fp)) ||
			    (rc = fm_store_item_set_fp(st, ref.item, fp)) ||
			    (loaded && (rc = fm_clusterer_refingerprint(loaded, ref.item, fp))))
				break;
		}
		if (have_fp && what == FM_STORE_NEW && cl) {
			fm_time when = fm_item_time(items[i], now);

			if ((rc = run__cluster_add(cl, st, cf->name, &ref, fp, when, &joined)))
				break;
		}
		if (what == FM_STORE_NEW) {
			out->new_items++;
			out->joined += joined;
		} else if (what == FM_STORE_CHANGED) {
			out->changed++;
		}
	}
	/* What was learnt now may change the feed's older items: look again. */
	if (!rc && cl && clustered && f.crossed)
		rc = run__cluster_refresh(cl, st, cf->name, ingest_fingerprint, &f, now, &out->reclustered);
	if (!rc)
		rc = ingest_save_boiler(st, &f, cf->name);
out:
	for (i = 0; f.text && i < n; i++)
		fm_fp_text_free(f.text[i]);
	for (i = 0; f.packed && i < n; i++)
		fm_store_packed_dispose(&f.packed[i]);
	free(f.text);
	free(f.packed);
	fm_boiler_free(f.boiler);
	run_learned_clear(&got);
	run_prep_drop(prep, learn); /* not taken (a feed kept out of clustering, no memory) */
	free(fp);
	return rc;
}
