/* output.h - the merged feed files: render entries, replace a file atomically. */
#ifndef FEEDMERGE_OUTPUT_H
#define FEEDMERGE_OUTPUT_H

#include "feedmerge/buf.h"
#include "feedmerge/config.h"
#include "feedmerge/error.h"
#include "feedmerge/item.h"

/**
 * One member of an entry: a stored item and the feed it came from.
 * Everything is borrowed from whoever built the entry (the store).
 */
typedef struct fm_member {
	fm_item item;           /**< the item; item.feed is the [feed NAME] */
	const char *feed_title; /**< the source feed's own title, or NULL */
	const char *feed_link;  /**< the source feed's home page, or NULL */
	const char *feed_url;   /**< the URL the feed is fetched from */
} fm_member;

/**
 * One entry of a merged feed: a cluster of items that carry one story.
 * Borrowed from whoever built it; members[0] is the representative.
 */
typedef struct fm_entry {
	const char *id;           /**< the cluster's id, an IRI stable for life */
	fm_time updated;          /**< moves when a member joins or changes */
	fm_time published;        /**< the representative's published time (first seen when unknown) */
	const fm_member *members; /**< nmembers members, representative first */
	size_t nmembers;
} fm_entry;

/**
 * Renders entries (already chosen and ordered newest first) as the output's
 * format (Atom 1.0, RSS 2.0, JSON Feed 1.1 or an HTML page) and appends the
 * text to out.
 * The result depends on its arguments only: the same entries give the same
 * bytes. The feed's updated time is the newest entry's.
 * @return 0 or FM_ENOMEM.
 */
int fm_output_render(fm_buf *out, const fm_config_output *cfg,
		     const fm_entry *entries, size_t n);

/**
 * Replaces the file at path with len bytes of data, atomically: the bytes go
 * to a temporary file in the same folder (created with its parents when
 * missing), are fsync'd and renamed over path, and the folder is fsync'd.
 * When path already holds exactly these bytes nothing is written.
 * @param written optional; set to 1 when the file was replaced, else 0
 * @param diag    optional; on failure says which file and what failed
 * @return 0 or FM_EIO / FM_ENOMEM; on failure path is untouched and no
 *         temporary file is left behind.
 */
int fm_output_replace(const char *path, const void *data, size_t len,
		      int *written, fm_diag *diag);

/**
 * Removes the temporary files fm_output_replace() left beside path when a
 * process died mid-write (kill -9, power loss). Call it only while holding
 * the run lock, so no live writer's file is taken.
 * @param removed optional; receives how many files went
 * @return 0 or FM_ENOMEM.
 */
int fm_output_sweep(const char *path, int *removed);

/**
 * Renders entries for cfg and replaces cfg->path with them (both above).
 * @return 0, FM_EIO or FM_ENOMEM; diag says what failed.
 */
int fm_output_write(const fm_config_output *cfg, const fm_entry *entries,
		    size_t n, int *written, fm_diag *diag);

#endif
