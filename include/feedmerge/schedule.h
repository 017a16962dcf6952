/* schedule.h - when a feed is due: intervals, jitter, backoff, Retry-After. */
#ifndef FEEDMERGE_SCHEDULE_H
#define FEEDMERGE_SCHEDULE_H

#include "feedmerge/item.h"
#include "feedmerge/store.h"

#include <stdint.h>

/*
 * Pure arithmetic: every function takes the time and the randomness it
 * needs as arguments, so tests can pin them.
 */

/** Below this interval (seconds) feedmerge warns that polling is impolite. */
#define FM_SCHED_POLITE_MIN ((int64_t)5 * 60)

/** Jitter added to every next-due time: up to interval / FM_SCHED_JITTER_DIV. */
#define FM_SCHED_JITTER_DIV 10

/** Longest wait between two tries of a failing feed (unless its interval is longer). */
#define FM_SCHED_BACKOFF_CAP ((int64_t)24 * 3600)

/** Longest Retry-After honoured; a server asking for more is retried after this. */
#define FM_SCHED_RETRY_AFTER_CAP ((int64_t)7 * 86400)

/** Fetches in a row that must end at one permanent (301/308) redirect before it is used. */
#define FM_SCHED_REDIRECT_GRACE 3

/** Why a feed is or is not fetched in this pass. */
typedef enum fm_sched_verdict {
	FM_SCHED_DUE = 0,      /**< fetch it */
	FM_SCHED_NOT_DUE,      /**< its next-due time lies ahead */
	FM_SCHED_RETRY_AFTER,  /**< the server's Retry-After is still in force (even --force waits) */
	FM_SCHED_GONE          /**< it answered 410 Gone: never again */
} fm_sched_verdict;

/** Decides whether the feed with state fs is fetched at now; force ignores intervals and backoff. */
fm_sched_verdict fm_sched_due(const fm_feed_state *fs, fm_time now, int force);

/**
 * Returns when a feed fetched (or failed) at now is next due: after a
 * success (failures == 0) now + interval, after the n-th consecutive
 * failure now + interval * 2^(n-1) capped at max(interval,
 * FM_SCHED_BACKOFF_CAP); plus jitter of up to a tenth of that delay taken
 * from rnd (any 64-bit random number).
 */
fm_time fm_sched_next(int64_t interval, int failures, fm_time now, uint64_t rnd);

/**
 * Reads a Retry-After value: delay-seconds or an HTTP date (RFC 9110 10.2.3).
 * @return the absolute time to wait until (capped at now +
 *         FM_SCHED_RETRY_AFTER_CAP, never before now), or 0 when value is
 *         NULL or unreadable.
 */
fm_time fm_sched_retry_after(const char *value, fm_time now);

/** Returns a 64-bit random number from the kernel (a clock-based mix if that fails). */
uint64_t fm_sched_random(void);

#endif
