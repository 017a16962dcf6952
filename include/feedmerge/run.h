/* run.h - one cron pass: fetch what is due, update the state, write the outputs. */
#ifndef FEEDMERGE_RUN_H
#define FEEDMERGE_RUN_H

#include "feedmerge/buf.h"
#include "feedmerge/config.h"
#include "feedmerge/error.h"
#include "feedmerge/item.h"

#include <signal.h>
#include <stddef.h>

/** What one feed's attempt came to, for the problem and progress callbacks. */
typedef struct fm_run_feed {
	const char *name;   /**< [feed NAME] */
	const char *url;    /**< the URL fetched (a redirect's target once adopted) */
	int ok;             /**< 1 fetched or not modified, 0 failed */
	int not_modified;   /**< 1 on a 304 */
	int http_status;    /**< 0 when there was no HTTP answer */
	long items;         /**< items parsed */
	long new_items;     /**< items the state had not seen */
	const char *error;  /**< what went wrong (or the recovery warning), or NULL */
} fm_run_feed;

/** How a pass runs. Zero-initialise, then set what you need. */
typedef struct fm_run_opts {
	int force;              /**< fetch every feed, ignoring intervals and backoff (never 410 or Retry-After) */
	int dry_run;            /**< fetch and report, but change neither state nor outputs */
	fm_time now;            /**< the pass's clock; 0 means time(NULL) */
	volatile sig_atomic_t *stop; /**< when it becomes non-zero the pass stops early, saving what is complete */
	void (*feed_done)(void *ud, const fm_run_feed *f, size_t done, size_t total); /**< after each fetch, or NULL */
	void (*problem)(void *ud, const char *line); /**< one line per problem (feed or output named), or NULL */
	void *ud;               /**< given to the callbacks */
	int connections;        /**< an fm_fetch_conn; 0 (reuse and multiplex) but for benchmarks */
} fm_run_opts;

/** What a pass did; filled by fm_run_pass(). */
typedef struct fm_run_report {
	size_t fetched;       /**< feeds that answered 200 and parsed */
	size_t not_modified;  /**< feeds that answered 304 */
	size_t failed;        /**< feeds that failed (HTTP error, transfer, not a feed) */
	size_t skipped;       /**< feeds not due (or waiting out Retry-After, or gone, or disabled) */
	long new_items;       /**< items first seen in this pass */
	long changed_items;   /**< known items whose text changed */
	long joined;          /**< new items that joined a story already there (copies) */
	long pruned;          /**< items dropped by keep */
	size_t outputs;       /**< outputs in the config */
	size_t outputs_written; /**< outputs whose file was replaced */
	size_t outputs_failed;  /**< outputs that could not be written */
	fm_time next_due;     /**< earliest next-due time of any feed (0 when none) */
	size_t transfers;     /**< http(s) transfers made */
	size_t connections;   /**< connections they opened (reused ones count once) */
} fm_run_report;

/**
 * Runs one pass over cfg: takes the run lock (waiting up to lock_wait),
 * fetches every due feed, stores each feed's results in its own
 * transaction, prunes by keep, and rewrites every output atomically.
 * A pass that took the lock ends by recording how it went in the state
 * (fm_store_pass_get(): exit status, summary or reason), whoever ran it.
 * @param rep  receives the counts (zeroed first)
 * @param diag optional; on failure the reason (one line)
 * @return 0 when the pass ran (some feeds may have failed: see rep);
 *         FM_ELIMIT when another run holds the lock; FM_EIO when the state
 *         cannot be opened or written, or an output could not be written;
 *         FM_ENOMEM.
 */
int fm_run_pass(const fm_config *cfg, const fm_run_opts *opts,
		fm_run_report *rep, fm_diag *diag);

/** Exit statuses of a pass (DESIGN.md, "The CLI"). */
enum {
	FM_RUN_OK = 0,      /**< all well */
	FM_RUN_PARTIAL = 1, /**< some feeds failed, the outputs were written */
	FM_RUN_NOWRITE = 3, /**< the state or an output could not be written */
	FM_RUN_LOCKED = 4   /**< another run holds the lock */
};

/**
 * Returns the exit status (FM_RUN_*) of a pass that fm_run_pass() ended
 * with rc and rep. A pass that held the lock records the same status in
 * the state (fm_store_pass_get()).
 */
int fm_run_exit_status(int rc, const fm_run_report *rep);

/**
 * Appends the one summary line of a pass to out ("2 fetched, 0 not
 * modified, ...; 3 of 3 outputs written; 0.4 s"), no newline.
 * @return 0 or FM_ENOMEM.
 */
int fm_run_summary(fm_buf *out, const fm_run_report *rep, double seconds, int dry_run);

#endif
