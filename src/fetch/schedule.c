/* schedule.c - when a feed is due: intervals, jitter, backoff, Retry-After. */
#define _DEFAULT_SOURCE /* getentropy */
#include "feedmerge/schedule.h"

#include <curl/curl.h>
#include <time.h>
#include <unistd.h>

fm_sched_verdict
fm_sched_due(const fm_feed_state *fs, fm_time now, int force)
{
	if (fs->gone)
		return FM_SCHED_GONE;
	if (fs->retry_after > now)
		return FM_SCHED_RETRY_AFTER;
	if (!force && fs->next_due > now)
		return FM_SCHED_NOT_DUE;
	return FM_SCHED_DUE;
}

fm_time
fm_sched_next(int64_t interval, int failures, fm_time now, uint64_t rnd)
{
	int64_t delay = interval > 0 ? interval : 1;
	int64_t cap = interval > FM_SCHED_BACKOFF_CAP ? interval : FM_SCHED_BACKOFF_CAP;
	int n;

	for (n = 1; n < failures && delay < cap; n++)
		delay = delay > cap / 2 ? cap : delay * 2;
	if (delay > cap)
		delay = cap;
	return now + delay + (int64_t)(rnd % (uint64_t)(delay / FM_SCHED_JITTER_DIV + 1));
}

/* Reads all-digit delay-seconds into *out; returns 0 when value is not that. */
static int
retry_seconds(const char *value, int64_t *out)
{
	int64_t v = 0;
	const char *p = value;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v > FM_SCHED_RETRY_AFTER_CAP ? v : v * 10 + (*p - '0');
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p)
		return 0;
	*out = v;
	return 1;
}

fm_time
fm_sched_retry_after(const char *value, fm_time now)
{
	int64_t secs;
	fm_time t;

	if (!value || !*value)
		return 0;
	if (retry_seconds(value, &secs))
		t = now + (secs < FM_SCHED_RETRY_AFTER_CAP ? secs : FM_SCHED_RETRY_AFTER_CAP);
	else if ((t = (fm_time)curl_getdate(value, NULL)) <= 0)
		return 0;
	if (t < now)
		t = now;
	if (t > now + FM_SCHED_RETRY_AFTER_CAP)
		t = now + FM_SCHED_RETRY_AFTER_CAP;
	return t;
}

uint64_t
fm_sched_random(void)
{
	uint64_t r;
	struct timespec ts;

	if (!getentropy(&r, sizeof r))
		return r;
	clock_gettime(CLOCK_REALTIME, &ts);
	r = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_sec;
	return r;
}
