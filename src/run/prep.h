/* prep.h - items' text prepared for fingerprinting, and packed for the state, on a second thread while transfers go on (internal). */
#ifndef FM_RUN_PREP_H
#define FM_RUN_PREP_H

#include "feedmerge/boiler.h"
#include "feedmerge/fingerprint.h"
#include "feedmerge/item.h"
#include "feedmerge/store.h"

/*
 * The worker and its queue. Preparing an item's text (HTML to paragraphs,
 * normalisation, word hashes) is a pure function of the item, so where it
 * runs changes nothing but the time: the pass queues each new item as it
 * is parsed (its text prepared only for a clustered feed), and takes the
 * results when it ingests the feed. A job still queued then is done by the taker itself. The worker
 * also packs the item's summary and content as the store would (with the
 * dictionary the store has when the job runs), so the store only writes
 * them.
 */
typedef struct run_prep run_prep;

/* One item's text being prepared; owned by the pass until taken or dropped. */
typedef struct run_prep_job run_prep_job;

/*
 * Starts the worker thread, packing text for st (NULL: it does not pack);
 * returns 0, FM_ENOMEM or FM_EIO (no thread: the caller prepares inline).
 */
int run_prep_start(run_prep **out, fm_store *st);

/* Stops the worker and frees p; every job must have been taken or dropped. NULL is a no-op. */
void run_prep_stop(run_prep *p);

/*
 * Queues item (borrowed until the job is taken or dropped): packing its
 * text, and preparing it for fingerprinting when want_text; NULL when out
 * of memory.
 */
run_prep_job *run_prep_add(run_prep *p, const fm_item *item, int want_text);

/*
 * Waits for the job (doing it here if the worker has not started it) and
 * frees it; *text (text NULL: not wanted) is the prepared text (the caller
 * frees it with fm_fp_text_free) and *packed (packed may be NULL) the
 * packed text, ready only when the worker did the job (the caller disposes
 * of it). Returns fm_fp_text_new's status.
 */
int run_prep_take(run_prep *p, run_prep_job *job, fm_fp_text **text, fm_store_packed *packed);

/* Forgets a job (an item's or a feed's): waits if it is being done, frees it and what it made. NULL is a no-op. */
void run_prep_drop(run_prep *p, run_prep_job *job);

/*
 * What a fresh feed's new items teach: the boilerplate counts they leave
 * and each one's fingerprint, as the writer would make them (the items'
 * paragraphs are all counted first, then each is fingerprinted with what
 * was learnt); owned by whoever took it.
 */
struct run_learned {
	fm_boiler *boiler;    /* the feed's counts after learning */
	fm_fingerprint *fps;  /* one per item, in order */
	int crossed;          /* a paragraph or headline became boilerplate */
};

/*
 * Moves the still queued ones of jobs[0 .. n) (NULL entries allowed) to
 * the queue's urgent head, in order, after the jobs hurried before: their
 * feed goes to the writer next, while other feeds still download.
 */
void run_prep_hurry(run_prep *p, run_prep_job *const *jobs, size_t n);

/*
 * Queues the learning of a feed that has neither items nor boilerplate
 * counts in the state: after jobs[0 .. n) (every item of the feed, queued
 * before it, in order, and hurried; borrowed until this job is taken or
 * dropped) are done, it learns from their text and fingerprints them, so
 * the writer only stores. It is urgent too. NULL when out of memory. Take
 * it before the item jobs.
 */
run_prep_job *run_prep_add_feed(run_prep *p, run_prep_job *const *jobs, size_t n);

/*
 * Takes a feed job and frees it: 1 with *out filled (the caller owns it:
 * run_learned_clear) when the worker did it, else 0 (the caller learns).
 */
int run_prep_take_feed(run_prep *p, run_prep_job *job, struct run_learned *out);

/* Frees what out holds and zeroes it. */
void run_learned_clear(struct run_learned *out);

/*
 * ingest.c: learns from a fresh feed's prepared texts (texts[0 .. n), none
 * NULL) what run__ingest would, starting from no counts. Returns 0 or
 * FM_ENOMEM (*out then holds nothing).
 */
int run__learn_fresh(fm_fp_text *const *texts, size_t n, struct run_learned *out);

#endif
