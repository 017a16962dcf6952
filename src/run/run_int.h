/* run_int.h - what the pass's files share (internal). */
#ifndef FM_RUN_INT_H
#define FM_RUN_INT_H

#include "feedmerge/run.h"
#include "feedmerge/store.h"

/* Reports one problem line through opts->problem (printf-style). */
void run__problem(const fm_run_opts *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Writes every output of cfg from the state: entries newest first, members
 * from configured, enabled feeds only, representative by priority then age.
 * Counts into rep; returns 0, or FM_EIO / FM_ENOMEM when any output failed
 * (each failure reported as a problem).
 */
int run__write_outputs(const fm_config *cfg, fm_store *st, fm_time now,
		       const fm_run_opts *opts, fm_run_report *rep);

#endif
