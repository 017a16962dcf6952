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
 * from configured, enabled feeds only, representative by priority then age.
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
 * new ones (not for a feed with cluster = no). clusterer(ud, &rc) gives
 * the clusterer; it is asked only when the feed brings a new item. jobs
 * (NULL, or one per item, NULL entries too) holds texts queued on prep for
 * items found new when parsed: they are taken without another lookup, and
 * their entries set to NULL.
 * Adds its counts to *out; returns 0, FM_EIO or FM_ENOMEM.
 */
int run__ingest(fm_store *st, fm_clusterer *(*clusterer)(void *ud, int *rc), void *ud,
		run_prep *prep, run_prep_job **jobs, const fm_config_feed *cf, fm_item **items,
		size_t n, fm_time now, struct run_ingest *out);

#endif
