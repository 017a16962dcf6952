/* floor.c - how often a publisher lets itself be polled: HTTP caching, ttl, sy:, skipHours/Days. */
#include "feedmerge/config.h"
#include "feedmerge/schedule.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads "name=digits" (quotes allowed) at p into *v; returns 1 when p holds it. */
static int
floor_directive(const char *p, size_t plen, const char *name, int64_t *v)
{
	size_t n = strlen(name);
	int64_t x = 0;
	int digits = 0;

	if (plen <= n || strncasecmp(p, name, n) || p[n] != '=')
		return 0;
	p += n + 1;
	plen -= n + 1;
	if (plen && *p == '"')
		p++, plen--;
	for (; plen && *p >= '0' && *p <= '9'; p++, plen--, digits++)
		x = x > (int64_t)1 << 40 ? x : x * 10 + (*p - '0');
	if (!digits)
		return 0;
	*v = x;
	return 1;
}

int
fm_sched_http_floor(int64_t *secs, char why[FM_SCHED_WHY_BUFSZ], const char *cache_control,
		    const char *expires, const char *date, fm_time now)
{
	int64_t maxage = -1, smaxage = -1, v;
	const char *p = cache_control;
	fm_time e, d;
	size_t n;

	*secs = 0;
	why[0] = '\0';
	while (p && *p) {
		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if ((n == 8 && !strncasecmp(p, "no-cache", 8)) || (n == 8 && !strncasecmp(p, "no-store", 8))) {
			snprintf(why, FM_SCHED_WHY_BUFSZ, "Cache-Control %.8s", p);
			return 1; /* "ask every time": no floor at all */
		}
		if (floor_directive(p, n, "s-maxage", &v))
			smaxage = v;
		else if (floor_directive(p, n, "max-age", &v))
			maxage = v;
		p += strcspn(p, ",");
	}
	if (smaxage >= 0 || maxage >= 0) {
		/* s-maxage is for shared caches, and a poller serving many readers is one. */
		*secs = smaxage >= 0 ? smaxage : maxage;
		snprintf(why, FM_SCHED_WHY_BUFSZ, "Cache-Control %s=%lld", smaxage >= 0 ? "s-maxage" : "max-age",
			 (long long)*secs);
		return 1;
	}
	if (expires && *expires) {
		/* RFC 9111 5.3: an invalid date means "already expired". */
		e = (fm_time)curl_getdate(expires, NULL);
		d = date && *date ? (fm_time)curl_getdate(date, NULL) : -1;
		if (d <= 0)
			d = now;
		*secs = e > d ? e - d : 0;
		snprintf(why, FM_SCHED_WHY_BUFSZ, "Expires");
		return 1;
	}
	return 0;
}

int64_t
fm_sched_feed_floor(char why[FM_SCHED_WHY_BUFSZ], int ttl_min, int64_t sy_seconds)
{
	char b[FM_CONFIG_UNIT_BUFSZ];

	why[0] = '\0';
	if (ttl_min > 0) {
		snprintf(why, FM_SCHED_WHY_BUFSZ, "ttl %s", fm_config_duration_format(b, (int64_t)ttl_min * 60));
		return (int64_t)ttl_min * 60;
	}
	if (sy_seconds > 0) {
		snprintf(why, FM_SCHED_WHY_BUFSZ, "sy:updatePeriod %s", fm_config_duration_format(b, sy_seconds));
		return sy_seconds;
	}
	return 0;
}

fm_time
fm_sched_skip(fm_time t, uint32_t skip_hours, uint8_t skip_days)
{
	fm_time u = t;
	int i;

	skip_hours &= 0xFFFFFFu;
	skip_days &= 0x7F;
	if (skip_hours == 0xFFFFFFu || skip_days == 0x7F)
		return t;
	/* At most a week of hours: any allowed hour of any allowed day comes within it. */
	for (i = 0; i < 8 * 24; i++) {
		int hour = (int)((u % 86400 + 86400) % 86400 / 3600);
		int wday = (int)(((u / 86400) % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */

		if (!(skip_hours >> hour & 1) && !(skip_days >> wday & 1))
			return u;
		u = u - (u % 3600 + 3600) % 3600 + 3600; /* the next hour's start */
	}
	return t;
}

/* qsort comparator for fm_time. */
static int
floor_time_cmp(const void *a, const void *b)
{
	fm_time x = *(const fm_time *)a, y = *(const fm_time *)b;

	return x < y ? -1 : x > y;
}

int64_t
fm_sched_auto_interval(fm_time *times, size_t n, int64_t max_interval, int64_t fallback)
{
	int64_t gaps[FM_SCHED_AUTO_ITEMS], tmp, median;
	size_t i, j, ng = 0;

	if (n < 2)
		return fallback;
	qsort(times, n, sizeof *times, floor_time_cmp);
	for (i = 1; i < n && ng < FM_SCHED_AUTO_ITEMS; i++)
		gaps[ng++] = times[i] - times[i - 1];
	for (i = 1; i < ng; i++)
		for (j = i; j > 0 && gaps[j - 1] > gaps[j]; j--)
			tmp = gaps[j], gaps[j] = gaps[j - 1], gaps[j - 1] = tmp;
	median = ng % 2 ? gaps[ng / 2] : (gaps[ng / 2 - 1] + gaps[ng / 2]) / 2;
	if (median > max_interval)
		median = max_interval;
	if (median < FM_SCHED_AUTO_MIN)
		median = FM_SCHED_AUTO_MIN;
	return median;
}

fm_time
fm_sched_plan(const fm_sched_input *in, char why[FM_SCHED_WHY_BUFSZ])
{
	char b[FM_CONFIG_UNIT_BUFSZ];
	int64_t delay = in->interval > 0 ? in->interval : 1, floor = 0, limit;
	const char *floor_why = NULL;
	fm_time next, moved;

	if (in->failures > 0) {
		next = fm_sched_next(in->interval, in->failures, in->now, in->rnd);
		snprintf(why, FM_SCHED_WHY_BUFSZ, "backoff after %d failure%s", in->failures,
			 in->failures == 1 ? "" : "s");
	} else {
		snprintf(why, FM_SCHED_WHY_BUFSZ, "%s", in->interval_why ? in->interval_why : "interval");
		if (in->http_floor > 0)
			floor = in->http_floor, floor_why = in->http_why;
		if (in->feed_floor > floor)
			floor = in->feed_floor, floor_why = in->feed_why;
		if (floor > delay) {
			/* A floor, never a ceiling; and max_interval caps what a publisher may ask. */
			if (floor > in->max_interval && in->max_interval > 0) {
				snprintf(why, FM_SCHED_WHY_BUFSZ, "max_interval %s (%s)",
					 fm_config_duration_format(b, in->max_interval), floor_why ? floor_why : "");
				floor = in->max_interval;
			} else {
				snprintf(why, FM_SCHED_WHY_BUFSZ, "%s", floor_why ? floor_why : "floor");
			}
			if (floor > delay)
				delay = floor;
		}
		next = fm_sched_next(delay, 0, in->now, in->rnd);
		moved = fm_sched_skip(next, in->skip_hours, in->skip_days);
		if (moved != next) {
			limit = in->now + (delay > in->max_interval ? delay : in->max_interval);
			next = moved < limit ? moved : limit;
			snprintf(why, FM_SCHED_WHY_BUFSZ, "%s",
				 fm_sched_skip(moved - 1, in->skip_hours, 0) != moved - 1 ? "skipHours" : "skipDays");
		}
	}
	if (in->retry_after > next) {
		next = in->retry_after;
		snprintf(why, FM_SCHED_WHY_BUFSZ, "Retry-After");
	}
	return next;
}
