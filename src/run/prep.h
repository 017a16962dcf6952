/* prep.h - items' text prepared for fingerprinting, and packed for the state, on a second thread while transfers go on (internal). */
#ifndef FM_RUN_PREP_H
#define FM_RUN_PREP_H

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

/* Forgets a job: waits if it is being prepared, frees it and its text. NULL is a no-op. */
void run_prep_drop(run_prep *p, run_prep_job *job);

#endif
