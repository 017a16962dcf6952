/* hints.h - what a feed body says about polling: ttl, sy:updatePeriod, skipHours, skipDays (internal). */
#ifndef FM_FETCH_HINTS_H
#define FM_FETCH_HINTS_H

#include "feedmerge/fetch.h"

#include <stddef.h>

/*
 * A byte scanner run beside the parser over the same (decompressed)
 * bytes: it reads the channel-level polling elements of RSS 2.0 (ttl,
 * skipHours/hour, skipDays/day) and of RSS 1.0's syndication module
 * (sy:updatePeriod, sy:updateFrequency; any prefix), outside items. It
 * needs an ASCII-compatible encoding (UTF-8, Latin-1 and the like); it
 * never allocates and never fails.
 */
typedef struct fm__hints_scan {
	fm_fetch_hints out;  /* what was found so far */
	int state;           /* where in a tag or text the scanner is */
	char tag[40];        /* the tag being read ('/' first for an end tag) */
	size_t ntag;
	char text[40];       /* the text since the last tag */
	size_t ntext;
	int item_depth;      /* open item/entry elements */
	int in_skip_hours, in_skip_days;
	int sy_frequency;    /* sy:updateFrequency, 0 when not given */
	int64_t sy_period;   /* seconds of sy:updatePeriod, 0 when not given */
} fm__hints_scan;

/* Starts a scan (all hints "none"). */
void fm__hints_init(fm__hints_scan *h);

/* Scans len more bytes. */
void fm__hints_push(fm__hints_scan *h, const char *data, size_t len);

/* Ends the scan: fills out->sy_seconds from period and frequency. */
void fm__hints_finish(fm__hints_scan *h);

#endif
