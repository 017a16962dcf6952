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

/** Default of [feedmerge] max_interval: the longest a publisher's floor can hold a feed back. */
#define FM_SCHED_MAX_INTERVAL ((int64_t)86400)

/** Shortest interval = auto picks. */
#define FM_SCHED_AUTO_MIN ((int64_t)15 * 60)

/** How many of a feed's newest items interval = auto looks at. */
#define FM_SCHED_AUTO_ITEMS 20

/** Room for a reason ("Cache-Control max-age=3600", "ttl 60m", ...) with its NUL. */
#define FM_SCHED_WHY_BUFSZ 96

/**
 * Reads the publisher's HTTP floor (RFC 9111): Cache-Control s-maxage,
 * else max-age, else Expires minus Date (the response's own clock; now
 * when Date is missing). no-cache and no-store mean no floor.
 * @param secs receives the floor in seconds (0: none)
 * @param why  receives the reason ("Cache-Control max-age=3600",
 *             "Expires", "Cache-Control no-cache"), "" when none
 * @return 1 when the headers said anything about freshness (a 304 that
 *         does replaces the floor its 200 set), else 0.
 */
int fm_sched_http_floor(int64_t *secs, char why[FM_SCHED_WHY_BUFSZ], const char *cache_control,
			const char *expires, const char *date, fm_time now);

/**
 * Reads the feed's floor: RSS <ttl> (minutes), else sy:updatePeriod /
 * sy:updateFrequency (sy_seconds); ttl_min -1 and sy_seconds 0 mean none.
 * @return the floor in seconds, 0 when none; why as for fm_sched_http_floor.
 */
int64_t fm_sched_feed_floor(char why[FM_SCHED_WHY_BUFSZ], int ttl_min, int64_t sy_seconds);

/**
 * Returns the first time at or after t whose UTC hour is not in
 * skip_hours (bit h) and whose UTC weekday is not in skip_days (bit d, 0 =
 * Sunday); t itself when it is allowed or when every hour or day is
 * skipped.
 */
fm_time fm_sched_skip(fm_time t, uint32_t skip_hours, uint8_t skip_days);

/**
 * interval = auto: the median gap between consecutive times of times[0..n)
 * (any order; they are sorted in place), clamped to [FM_SCHED_AUTO_MIN,
 * max_interval]; fallback when there are fewer than 2 times.
 */
int64_t fm_sched_auto_interval(fm_time *times, size_t n, int64_t max_interval, int64_t fallback);

/** What fm_sched_plan() weighs for a feed just fetched. */
typedef struct fm_sched_input {
	fm_time now;
	int64_t interval;     /**< the feed's interval (auto already worked out) */
	const char *interval_why; /**< how it came about ("interval 30m", "auto: 2h") */
	int failures;         /**< consecutive failures, 0 after a success */
	int64_t http_floor;   /**< seconds, 0 for none */
	const char *http_why;
	int64_t feed_floor;   /**< seconds, 0 for none */
	const char *feed_why;
	uint32_t skip_hours;  /**< as fm_sched_skip */
	uint8_t skip_days;
	int64_t max_interval; /**< caps the floors (and a skip's move) */
	fm_time retry_after;  /**< a Retry-After in force, or 0 */
	uint64_t rnd;         /**< any 64-bit random number, for the jitter */
} fm_sched_input;

/**
 * Plans the next fetch: after a failure fm_sched_next()'s backoff; else
 * now + max(interval, floor) (each floor capped at max_interval) plus
 * jitter as fm_sched_next(), moved out of skipped hours and days (never
 * past now + max(delay, max_interval)); never before a Retry-After.
 * Writes the reason into why ("ttl 60m", "skipHours", ...).
 * @return the next-due time.
 */
fm_time fm_sched_plan(const fm_sched_input *in, char why[FM_SCHED_WHY_BUFSZ]);

/** Returns a 64-bit random number from the kernel (a clock-based mix if that fails). */
uint64_t fm_sched_random(void);

#endif
