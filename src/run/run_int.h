/* run_int.h - what the pass's files share (internal). */
#ifndef FM_RUN_INT_H
#define FM_RUN_INT_H

#include "feedmerge/run.h"
#include "feedmerge/cluster.h"
#include "feedmerge/store.h"
#include "run/prep.h"

/* Reports one problem line through opts->problem (printf-style). */
void run__problem(const fm_run_opts *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Writes every output of cfg from the state: entries newest first, members
 * from configured, enabled feeds the output selects (groups, feeds, its
 * include/exclude) only, representative among those by priority then age.
 * Counts into rep; returns 0, or FM_EIO / FM_ENOMEM when any output failed
 * (each failure reported as a problem).
 */
int run__write_outputs(const fm_config *cfg, fm_store *st, fm_time now,
		       const fm_run_opts *opts, fm_run_report *rep);

/* What ingesting one feed's items did. */
struct run_ingest {
	long new_items; /* first seen now */
	long changed;   /* known, text changed */
	long joined;    /* new items that joined an existing story (by link or as a copy) */
	long reclustered; /* older items looked at again after the feed taught something */
};

/*
 * Stores a feed's items (inside the caller's transaction): learns the
 * feed's boilerplate from the new ones, fingerprints them and clusters the
 * new ones (not for a feed with cluster = no). clusterer(ud, open, &rc)
 * gives the clusterer: loaded when open is 1 (asked so only when the feed
 * brings a new item), else NULL unless it is loaded already (a changed
 * item's new fingerprint is passed on to it). jobs
 * (NULL, or one per item, NULL entries too) holds the jobs queued on prep
 * for items found new when parsed: their text (a clustered feed's, taken
 * without another lookup) and their packed summary and content are taken,
 * and their entries set to NULL. learn (NULL: none) is the feed's job
 * queued after them when the feed is fresh (run_prep_add_feed): taken
 * first, and what the worker learnt replaces the learning here.
 * Adds its counts to *out; returns 0, FM_EIO or FM_ENOMEM.
 */
int run__ingest(fm_store *st, fm_clusterer *(*clusterer)(void *ud, int open, int *rc), void *ud,
		run_prep *prep, run_prep_job **jobs, run_prep_job *learn, const fm_config_feed *cf,
		fm_item **items, size_t n, fm_time now, struct run_ingest *out);

/*
 * clustering.c: the clusterer's plans applied to the state. Opens a
 * clusterer with every fingerprinted item first seen within two windows
 * of now; returns 0, FM_EINVAL, FM_EIO or FM_ENOMEM.
 */
int run__clusterer_open(fm_clusterer **out, fm_store *st, const fm_dedup_params *p, int64_t window,
			fm_time now);

/*
 * Clusters a new item just saved (inside the same transaction): plans its
 * join, applies the merges, indexes it. *joined is 1 when it joined an
 * older story. Returns 0, FM_EIO or FM_ENOMEM.
 */
int run__cluster_add(fm_clusterer *cl, fm_store *st, const char *feed, const fm_store_ref *ref,
		     const fm_fingerprint *fp, fm_time when, int *joined);

/*
 * Re-fingerprints feed's items of the clusterer's last two windows with what the feed
 * has taught since (fingerprint(ud, item, fp)), so results do not depend
 * on the order items arrived in: an item whose fingerprint changed has its
 * cluster split where it no longer holds together, then joins what it now
 * matches. *changed counts them. Returns 0, FM_EIO or FM_ENOMEM.
 */
int run__cluster_refresh(fm_clusterer *cl, fm_store *st, const char *feed,
			 int (*fingerprint)(void *ud, const fm_item *item, fm_fingerprint *fp), void *ud,
			 fm_time now, long *changed);

#endif
