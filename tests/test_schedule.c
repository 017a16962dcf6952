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

Test(schedule, http_floor_reads_cache_control_and_expires)
{
	char why[FM_SCHED_WHY_BUFSZ];
	int64_t s;

	cr_assert_eq(fm_sched_http_floor(&s, why, "public, max-age=3600", NULL, NULL, 1000), 1);
	cr_assert_eq(s, 3600);
	cr_assert_str_eq(why, "Cache-Control max-age=3600");
	cr_assert_eq(fm_sched_http_floor(&s, why, "max-age=60, s-maxage=600", NULL, NULL, 1000), 1);
	cr_assert_eq(s, 600);
	cr_assert_str_eq(why, "Cache-Control s-maxage=600");
	cr_assert_eq(fm_sched_http_floor(&s, why, "max-age=3600, no-store", NULL, NULL, 1000), 1);
	cr_assert_eq(s, 0, "no-store: no floor");
	cr_assert_eq(fm_sched_http_floor(&s, why, "No-Cache", "Thu, 01 Jan 2099 00:00:00 GMT", NULL, 0), 1);
	cr_assert_eq(s, 0);
	/* Expires against the response's Date, not our clock. */
	cr_assert_eq(fm_sched_http_floor(&s, why, NULL, "Wed, 21 Oct 2015 08:28:00 GMT",
					 "Wed, 21 Oct 2015 07:28:00 GMT", 5), 1);
	cr_assert_eq(s, 3600);
	cr_assert_str_eq(why, "Expires");
	cr_assert_eq(fm_sched_http_floor(&s, why, NULL, "0", "Wed, 21 Oct 2015 07:28:00 GMT", 5), 1);
	cr_assert_eq(s, 0, "an invalid Expires is already expired");
	cr_assert_eq(fm_sched_http_floor(&s, why, "private", NULL, "Wed, 21 Oct 2015 07:28:00 GMT", 5), 0);
	cr_assert_eq(s, 0);
}

Test(schedule, feed_floor_ttl_then_sy)
{
	char why[FM_SCHED_WHY_BUFSZ];

	cr_assert_eq(fm_sched_feed_floor(why, 60, 86400), 3600);
	cr_assert_str_eq(why, "ttl 1h");
	cr_assert_eq(fm_sched_feed_floor(why, -1, 43200), 43200);
	cr_assert_str_eq(why, "sy:updatePeriod 12h");
	cr_assert_eq(fm_sched_feed_floor(why, -1, 0), 0);
}

Test(schedule, skip_moves_out_of_skipped_hours_and_days)
{
	/* 2024-01-01 was a Monday: 1704067200 is 00:00 UTC. */
	fm_time mon = 1704067200;
	uint32_t night = 1u << 22 | 1u << 23 | 1u << 0 | 1u << 1;

	cr_assert_eq(fm_sched_skip(mon + 12 * 3600, night, 0), mon + 12 * 3600, "allowed");
	cr_assert_eq(fm_sched_skip(mon - 3600 + 120, night, 0), mon + 2 * 3600,
		     "23:02 across midnight to 02:00");
	cr_assert_eq(fm_sched_skip(mon + 5 * 3600, 0, 1u << 1), mon + 86400, "Monday skipped: Tuesday 00:00");
	cr_assert_eq(fm_sched_skip(mon + 5 * 3600, 0xFFFFFFu, 0), mon + 5 * 3600, "all hours: ignored");
}

Test(schedule, auto_interval_is_the_median_gap_clamped)
{
	fm_time ten[20], three[5], one[1] = { 5 };
	size_t i;

	for (i = 0; i < 20; i++)
		ten[i] = 1000000 + (fm_time)(19 - i) * 600;
	for (i = 0; i < 5; i++)
		three[i] = 1000000 + (fm_time)i * 3 * 86400;
	cr_assert_eq(fm_sched_auto_interval(ten, 20, 86400, 1800), FM_SCHED_AUTO_MIN, "10 min: 15m at least");
	cr_assert_eq(fm_sched_auto_interval(three, 5, 86400, 1800), 86400, "3 days: max_interval");
	cr_assert_eq(fm_sched_auto_interval(three, 5, 7 * 86400, 1800), 3 * 86400);
	cr_assert_eq(fm_sched_auto_interval(one, 1, 86400, 1800), 1800, "too few: the fallback");
}

Test(schedule, plan_takes_the_larger_of_interval_and_floor)
{
	fm_sched_input in;
	char why[FM_SCHED_WHY_BUFSZ];
	fm_time mon = 1704067200;

	memset(&in, 0, sizeof in);
	in.now = mon + 10 * 3600;
	in.interval = 1800;
	in.interval_why = "interval 30m";
	in.max_interval = 86400;
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 1800);
	cr_assert_str_eq(why, "interval 30m");
	in.feed_floor = 3600;
	in.feed_why = "ttl 1h";
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 3600);
	cr_assert_str_eq(why, "ttl 1h");
	in.http_floor = 365 * 86400;
	in.http_why = "Cache-Control max-age=31536000";
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 86400, "a lying max-age capped");
	cr_assert_str_eq(why, "max_interval 1d (Cache-Control max-age=31536000)");
	in.http_floor = 60;
	in.feed_floor = 0;
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 1800, "a floor is never a ceiling");
	in.skip_hours = 1u << 10;
	in.now = mon + 9 * 3600 + 45 * 60;
	cr_assert_eq(fm_sched_plan(&in, why), mon + 11 * 3600);
	cr_assert_str_eq(why, "skipHours");
	in.failures = 2;
	in.skip_hours = 0;
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 3600);
	cr_assert_str_eq(why, "backoff after 2 failures");
	in.retry_after = in.now + 7200;
	cr_assert_eq(fm_sched_plan(&in, why), in.now + 7200);
	cr_assert_str_eq(why, "Retry-After");
}
