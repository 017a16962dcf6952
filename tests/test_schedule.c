/* test_schedule.c - due times, jitter bounds, backoff, Retry-After. */
#include "feedmerge/schedule.h"

#include <criterion/criterion.h>

Test(schedule, due_verdicts)
{
	fm_feed_state fs = { 0 };

	cr_expect_eq(fm_sched_due(&fs, 1000, 0), FM_SCHED_DUE);
	fs.next_due = 2000;
	cr_expect_eq(fm_sched_due(&fs, 1000, 0), FM_SCHED_NOT_DUE);
	cr_expect_eq(fm_sched_due(&fs, 2000, 0), FM_SCHED_DUE);
	cr_expect_eq(fm_sched_due(&fs, 1000, 1), FM_SCHED_DUE);
	fs.retry_after = 1500;
	cr_expect_eq(fm_sched_due(&fs, 1000, 1), FM_SCHED_RETRY_AFTER);
	cr_expect_eq(fm_sched_due(&fs, 1500, 1), FM_SCHED_DUE);
	fs.gone = 1;
	cr_expect_eq(fm_sched_due(&fs, 9999, 1), FM_SCHED_GONE);
}

Test(schedule, jitter_stays_within_a_tenth)
{
	uint64_t r;
	fm_time lo = INT64_MAX, hi = 0;

	for (r = 0; r < 5000; r++) {
		fm_time t = fm_sched_next(600, 0, 1000, r * 0x9E3779B97F4A7C15u);

		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	cr_expect_eq(lo, 1600);
	cr_expect_eq(hi, 1660);
	/* Short test intervals still work, jitter or not. */
	cr_expect_eq(fm_sched_next(2, 0, 1000, 0), 1002);
	cr_expect_eq(fm_sched_next(0, 0, 1000, 0), 1001);
}

Test(schedule, backoff_doubles_up_to_the_cap)
{
	cr_expect_eq(fm_sched_next(600, 1, 0, 0), 600);
	cr_expect_eq(fm_sched_next(600, 2, 0, 0), 1200);
	cr_expect_eq(fm_sched_next(600, 3, 0, 0), 2400);
	cr_expect_eq(fm_sched_next(600, 8, 0, 0), 76800);
	cr_expect_eq(fm_sched_next(600, 9, 0, 0), FM_SCHED_BACKOFF_CAP);
	cr_expect_eq(fm_sched_next(600, 1000000, 0, 0), FM_SCHED_BACKOFF_CAP);
	/* Still retried at the cap's pace, with jitter, never abandoned. */
	cr_expect_leq(fm_sched_next(600, 1000000, 0, UINT64_MAX),
		      FM_SCHED_BACKOFF_CAP + FM_SCHED_BACKOFF_CAP / 10);
	/* A feed polled weekly backs off from its own interval. */
	cr_expect_eq(fm_sched_next(7 * 86400, 5, 0, 0), 7 * 86400);
}

Test(schedule, retry_after_seconds_and_dates)
{
	fm_time now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */

	cr_expect_eq(fm_sched_retry_after("120", now), now + 120);
	cr_expect_eq(fm_sched_retry_after(" 120 \r\n", now), now + 120);
	cr_expect_eq(fm_sched_retry_after("0", now), now);
	cr_expect_eq(fm_sched_retry_after("Sun, 06 Nov 1994 08:59:37 GMT", now), now + 600);
	cr_expect_eq(fm_sched_retry_after("Sunday, 06-Nov-94 08:59:37 GMT", now), now + 600);
	cr_expect_eq(fm_sched_retry_after("Sun Nov  6 08:59:37 1994", now), now + 600);
	/* A date in the past means now; a huge wait is capped. */
	cr_expect_eq(fm_sched_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now), now);
	cr_expect_eq(fm_sched_retry_after("99999999999999999999", now), now + FM_SCHED_RETRY_AFTER_CAP);
	cr_expect_eq(fm_sched_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now), now + FM_SCHED_RETRY_AFTER_CAP);
	cr_expect_eq(fm_sched_retry_after("-5", now), 0);
	cr_expect_eq(fm_sched_retry_after("soon", now), 0);
	cr_expect_eq(fm_sched_retry_after("", now), 0);
	cr_expect_eq(fm_sched_retry_after(NULL, now), 0);
}

Test(schedule, random_varies)
{
	cr_expect_neq(fm_sched_random(), fm_sched_random());
}
