/* store.h - the state: feeds' fetch state, items, clusters (SQLite). */
#ifndef FEEDMERGE_STORE_H
#define FEEDMERGE_STORE_H

#include "feedmerge/buf.h"
#include "feedmerge/config.h"
#include "feedmerge/error.h"
#include "feedmerge/fingerprint.h"
#include "feedmerge/item.h"

#include <stdint.h>

/*
 * Every other module reaches the state through this header only
 * (DESIGN.md, "store"). Writes happen inside fm_store_begin() ...
 * fm_store_commit(): one transaction per feed's results (a savepoint when
 * several feeds are batched into one commit), so a crash leaves each feed
 * either fully updated or untouched.
 */

/** An open state database; opaque. */
typedef struct fm_store fm_store;

/** The run lock: one pass at a time per state file; opaque. */
typedef struct fm_store_lock fm_store_lock;

/**
 * What the store remembers of one feed between runs. Strings are owned by
 * the struct: fm_store_feed_get() fills them, fm_feed_state_clear() frees
 * them; a missing string is NULL.
 */
typedef struct fm_feed_state {
	char *name;          /**< [feed NAME] */
	char *url;           /**< the configured URL this state is about */
	char *etag;          /**< ETag of the last 200, verbatim */
	char *last_modified; /**< Last-Modified of the last 200, verbatim */
	char *title;         /**< the feed's own title, from its last parse */
	char *link;          /**< the feed's home page, from its last parse */
	char *redirect_url;  /**< target of a permanent redirect seen, or NULL */
	char *last_error;    /**< what went wrong in the last attempt, or NULL */
	fm_time last_attempt; /**< when it was last tried (0: never) */
	fm_time last_success; /**< when it last answered 200 or 304 */
	fm_time next_due;     /**< not fetched before this time (jitter included) */
	fm_time retry_after;  /**< a server's Retry-After: not even --force fetches before */
	int http_status;      /**< status of the last attempt, 0 when no HTTP answer */
	int failures;         /**< consecutive failed attempts */
	int redirect_seen;    /**< consecutive fetches that saw redirect_url */
	int gone;             /**< 1 after a 410: never polled again */
	long items;           /**< items in the last successful parse */
	int64_t poll_http;    /**< the HTTP floor (Cache-Control, Expires) of the last 200 or 304 that set one, seconds; 0 none */
	char *poll_http_why;  /**< its reason ("Cache-Control max-age=3600"), or NULL */
	int64_t poll_feed;    /**< the feed's floor (ttl, sy:updatePeriod) of the last 200, seconds; 0 none */
	char *poll_feed_why;  /**< its reason ("ttl 60m"), or NULL */
	uint32_t skip_hours;  /**< the feed's skipHours, bit h for hour h (UTC) */
	uint8_t skip_days;    /**< the feed's skipDays, bit d for day d (0 = Sunday) */
	char *next_why;       /**< why next_due is what it is ("interval 30m", "ttl 60m", "skipHours"), or NULL */
} fm_feed_state;

/** What fm_store_item_put() did with an item. */
typedef enum fm_store_put {
	FM_STORE_SAME = 0, /**< known and unchanged: only last seen moved */
	FM_STORE_NEW,      /**< first seen now */
	FM_STORE_CHANGED   /**< known; title, link or text changed and was updated */
} fm_store_put;

/** One stored item as fm_store_cluster_members() yields it; borrowed for the callback. */
typedef struct fm_store_item {
	int64_t rowid;      /**< the item's row, stable while it is kept */
	fm_item item;       /**< its fields; item.feed is the [feed NAME] */
	fm_time first_seen; /**< when the store first saw it */
} fm_store_item;

/** One cluster as fm_store_clusters() yields it; borrowed for the callback. */
typedef struct fm_store_cluster {
	int64_t rowid;   /**< the cluster's row */
	const char *id;  /**< its public id ("urn:feedmerge:..."), stable for life */
	fm_time updated; /**< the story's time: the newest member's published (else updated, else first-seen) time, never past when it was seen */
} fm_store_cluster;

/**
 * Opens (creating when missing) the state at path, migrates its schema to
 * the current version and turns on WAL.
 * @param out  receives the handle; the caller closes it with fm_store_close()
 * @param diag optional; on failure says which file and what is wrong
 * @return 0, FM_EIO (cannot open or migrate, or a newer schema) or FM_ENOMEM.
 */
int fm_store_open(fm_store **out, const char *path, fm_diag *diag);

/**
 * Opens an existing state read-only, as it is: no migration, no pragmas.
 * For a reader in another thread or process than the pass (a daemon's
 * /healthz); only the readers (fm_store_*_get, _each) work on it.
 * @param out  receives the handle; the caller closes it with fm_store_close()
 * @param diag optional; on failure says which file and what is wrong
 * @return 0, FM_EIO (missing, unreadable or not SQLite) or FM_ENOMEM.
 */
int fm_store_open_readonly(fm_store **out, const char *path, fm_diag *diag);

/** Closes the state; NULL is fine. Any open transaction is rolled back. */
void fm_store_close(fm_store *st);

/** Returns the schema version the state is at (PRAGMA user_version). */
int fm_store_schema_version(fm_store *st);

/**
 * Takes the run lock of the state at path (a lock file beside it, released
 * by the kernel when the process dies), waiting up to wait_ms milliseconds.
 * @param out receives the lock; fm_store_unlock() releases it
 * @return 0, FM_ELIMIT (another process holds it; diag says which file) or
 *         FM_EIO.
 */
int fm_store_lock_take(fm_store_lock **out, const char *path, int64_t wait_ms,
		       fm_diag *diag);

/** Releases and frees the run lock; NULL is fine. */
void fm_store_unlock(fm_store_lock *lock);

/** Starts a write transaction (a savepoint inside an open batch); returns 0 or FM_EIO. */
int fm_store_begin(fm_store *st);

/** Commits the open transaction (releases it into the batch); returns 0 or FM_EIO (then it is rolled back). */
int fm_store_commit(fm_store *st);

/** Rolls the open transaction back (to where it began in the batch); harmless when none is open. */
void fm_store_rollback(fm_store *st);

/**
 * Opens a batch: the fm_store_begin() ... fm_store_commit() transactions
 * until fm_store_batch_end() are savepoints in one transaction, each still
 * all-or-nothing, written to disk together (one commit for many feeds). A
 * crash before the batch ends loses the whole batch, never part of a feed.
 * @return 0 or FM_EIO (a transaction or batch is already open).
 */
int fm_store_batch_begin(fm_store *st);

/**
 * Commits the batch; nothing when none is open. A feed's transaction left
 * open is rolled back first (and FM_EIO returned, the rest committed).
 * @return 0 or FM_EIO (the commit failed: the whole batch is undone).
 */
int fm_store_batch_end(fm_store *st);

/**
 * Reads the times of feed name's n newest items (published, else first
 * seen, never after first seen), newest first, into times.
 * @param got receives how many there were (at most n)
 * @return 0 or FM_EIO.
 */
int fm_store_feed_item_times(fm_store *st, const char *name, fm_time *times, size_t n, size_t *got);

/**
 * Reads the state of feed name into *fs (zeroed first; a feed never seen
 * gets only its name). Free with fm_feed_state_clear().
 * @return 0, FM_EIO or FM_ENOMEM.
 */
int fm_store_feed_get(fm_store *st, const char *name, fm_feed_state *fs);

/** Writes the state of feed fs->name (insert or replace); returns 0 or FM_EIO. */
int fm_store_feed_put(fm_store *st, const fm_feed_state *fs);

/**
 * Calls cb for every stored feed in name order; cb's state is borrowed for
 * the call. A non-zero return from cb stops and is returned.
 * @return 0, cb's value, FM_EIO or FM_ENOMEM.
 */
int fm_store_feed_each(fm_store *st,
		       int (*cb)(void *ud, const fm_feed_state *fs), void *ud);

/** Frees the strings of *fs and zeroes it; NULL is fine. */
void fm_feed_state_clear(fm_feed_state *fs);

/**
 * Stores one parsed item of feed (inside a transaction). The item is
 * recognised among the feed's known items by the identity policy; a new
 * item whose normalised link some stored item already has joins that item's
 * cluster (an exact duplicate), else it founds a cluster of its own.
 * @param what optional; receives what happened
 * @return 0, FM_EIO or FM_ENOMEM.
 */
int fm_store_item_put(fm_store *st, const char *feed,
		      fm_config_identity identity, const fm_item *item,
		      fm_time now, fm_store_put *what);

/** Where fm_store_item_save() put an item. */
typedef struct fm_store_ref {
	int64_t item;    /**< the item's row */
	int64_t cluster; /**< its cluster's row (a new item's own: clustering decides what it joins) */
} fm_store_ref;

/**
 * fm_store_item_put(), keeping the item's fingerprint too when it is new
 * or changed (fp NULL leaves the stored one, none for a new item: it stays
 * out of near-duplicate clustering) and saying where it went.
 * @param ref optional; filled on success
 */
int fm_store_item_save(fm_store *st, const char *feed, fm_config_identity identity,
		       const fm_item *item, const fm_fingerprint *fp, fm_time now,
		       fm_store_put *what, fm_store_ref *ref);

/**
 * A new item's summary and content packed (compressed) ahead of its save,
 * on another thread than the store's: the store then only writes them.
 * The caller owns it; fm_store_packed_dispose() frees what it holds.
 */
typedef struct fm_store_packed {
	fm_buf summary; /**< the summary packed; empty: stored as the text is */
	fm_buf content; /**< the content packed; empty: stored as the text is */
	int nodict;     /**< texts compressed without a dictionary (they count towards training one) */
	int tried;      /**< texts compressed with dictionary dict (they measure how well it packs) */
	int64_t dict;   /**< the dictionary's id (0: none) */
	size_t text_bytes, packed_bytes; /**< those texts' bytes, and the bytes they are stored in */
	int ready;      /**< 1 once fm_store_pack_item() filled it; 0: the store packs the text itself */
} fm_store_packed;

/** A zstd dictionary the store packs text with; owned by the store, valid until fm_store_close(). */
typedef struct fm_store_packdict fm_store_packdict;

/**
 * Returns the dictionary text is packed with now, saved in the state for
 * good (owned by st, valid until fm_store_close()), or NULL before one is
 * trained. Safe to call from any thread while the store's own thread works.
 */
const fm_store_packdict *fm_store_packdict_current(fm_store *st);

/** A compressor for a thread other than the store's; opaque. */
typedef struct fm_store_packer fm_store_packer;

/** Makes a packer (the caller frees it with fm_store_packer_free()); returns 0, FM_ENOMEM or FM_EIO. */
int fm_store_packer_new(fm_store_packer **out);

/** Frees a packer; NULL is fine. */
void fm_store_packer_free(fm_store_packer *pk);

/**
 * Packs item's summary and content into out (which the caller owns and
 * disposes) with dictionary d (NULL: none), as the store would; any
 * thread, one packer per thread at a time. Returns 0, FM_ENOMEM or FM_EIO.
 */
int fm_store_pack_item(fm_store_packed *out, fm_store_packer *pk, const fm_store_packdict *d,
		       const fm_item *item);

/** Frees what p holds and empties it; NULL is fine. */
void fm_store_packed_dispose(fm_store_packed *p);

/**
 * fm_store_item_save() with the item's text packed already (packed may be
 * NULL, or not ready: the store packs it). Only a new item's insert uses
 * packed; a known item's text is compared and packed by the store.
 */
int fm_store_item_save_packed(fm_store *st, const char *feed, fm_config_identity identity,
			      const fm_item *item, const fm_store_packed *packed,
			      const fm_fingerprint *fp, fm_time now, fm_store_put *what,
			      fm_store_ref *ref);

/** Sets *has to 1 when the state holds any item of feed, else 0; returns 0 or FM_EIO. */
int fm_store_feed_has_items(fm_store *st, const char *feed, int *has);

/** Sets *known to 1 when feed already has item (by the identity policy), else 0; returns 0 or FM_EIO / FM_ENOMEM. */
int fm_store_item_known(fm_store *st, const char *feed, fm_config_identity identity,
			const fm_item *item, int *known);

/** A fingerprinted item as fm_store_fingerprints() yields it; borrowed for the callback. */
typedef struct fm_store_fp_row {
	int64_t item;     /**< the item's row */
	const char *feed; /**< [feed NAME] */
	fm_time when;     /**< published, or first seen when unknown */
	const fm_fingerprint *fp; /**< the whole fingerprint (owned by the store, valid during the call) */
} fm_store_fp_row;

/**
 * Calls cb for every fingerprinted item first seen at or after since, in
 * row order. A non-zero return stops and is returned.
 * @return 0, cb's value or FM_EIO.
 */
int fm_store_fingerprints(fm_store *st, fm_time since,
			  int (*cb)(void *ud, const fm_store_fp_row *row), void *ud);

/**
 * Reads the fingerprint and cluster of the item at row item.
 * @return 0, FM_EINVAL (no such item or no fingerprint) or FM_EIO.
 */
int fm_store_fingerprint(fm_store *st, int64_t item, fm_fingerprint *fp, int64_t *cluster);

/**
 * Reads the cluster of the item at row item.
 * @return 0, FM_EINVAL (no such item) or FM_EIO.
 */
int fm_store_item_cluster(fm_store *st, int64_t item, int64_t *cluster);

/**
 * Moves every member of cluster from into cluster into (inside a
 * transaction), deletes from; into's story time becomes the newer of the two.
 * @return 0 or FM_EIO.
 */
int fm_store_cluster_merge(fm_store *st, int64_t into, int64_t from);

/** Appends feed's saved boilerplate counts (a blob of fm_boiler_save) to out; nothing when none. Returns 0, FM_EIO or FM_ENOMEM. */
int fm_store_boiler_get(fm_store *st, const char *feed, fm_buf *out);

/** Saves feed's boilerplate counts (a blob of fm_boiler_save); returns 0 or FM_EIO. */
int fm_store_boiler_put(fm_store *st, const char *feed, const void *blob, size_t len);

/** Replaces the fingerprint of the item at row item (NULL: none); returns 0 or FM_EIO. */
int fm_store_item_set_fp(fm_store *st, int64_t item, const fm_fingerprint *fp);

/**
 * Lists the rows of feed's fingerprinted items first seen or published at
 * or after since, in row order. *rows is malloc'd (free() it).
 * @return 0, FM_EIO or FM_ENOMEM.
 */
int fm_store_feed_fingerprinted(fm_store *st, const char *feed, fm_time since,
				int64_t **rows, size_t *n);

/**
 * Calls cb with the item at rowid (borrowed for the call).
 * @return cb's value, FM_EINVAL (no such item) or FM_EIO.
 */
int fm_store_item_get(fm_store *st, int64_t rowid,
		      int (*cb)(void *ud, const fm_store_item *it), void *ud);

/**
 * Moves items[0 .. n) (inside a transaction) into a new cluster named after
 * items[0]; used when a cluster falls apart. The new and the old cluster's
 * story times follow their members.
 * @param cluster receives the new cluster's row
 * @return 0, FM_EINVAL (n is 0), FM_EIO or FM_ENOMEM.
 */
int fm_store_cluster_split(fm_store *st, const int64_t *items, size_t n, int64_t *cluster);

/**
 * Deletes items first seen before `before` and clusters left empty.
 * @param removed optional; receives how many items went
 * @return 0 or FM_EIO.
 */
int fm_store_prune(fm_store *st, fm_time before, long *removed);

/**
 * Calls cb for every cluster updated at or after since, newest first (then
 * highest row first). A non-zero return from cb stops and is returned.
 * @return 0, cb's value, FM_EIO or FM_ENOMEM.
 */
int fm_store_clusters(fm_store *st, fm_time since,
		      int (*cb)(void *ud, const fm_store_cluster *c), void *ud);

/**
 * Calls cb for every member of the cluster at rowid, oldest first. The
 * item is borrowed for the call. A non-zero return from cb stops and is
 * returned.
 * @return 0, cb's value, FM_EIO or FM_ENOMEM.
 */
int fm_store_cluster_members(fm_store *st, int64_t rowid,
			     int (*cb)(void *ud, const fm_store_item *it),
			     void *ud);

/** One stored item found by fm_store_item_lookup(); strings owned by the struct. */
typedef struct fm_store_found {
	int64_t item;    /**< its row */
	int64_t cluster; /**< its cluster's row */
	char *feed;      /**< [feed NAME] */
	char *id;        /**< its own id (guid, Atom id), or NULL */
	char *title;     /**< or NULL */
	char *link;      /**< or NULL */
	fm_time when;    /**< published, else first seen */
} fm_store_found;

/**
 * Finds an item by its own id or its link, optionally only in feed (NULL:
 * any feed; the oldest match wins). Free the result with
 * fm_store_found_clear().
 * @return 0, FM_EINVAL (no such item), FM_EIO or FM_ENOMEM.
 */
int fm_store_item_lookup(fm_store *st, const char *feed, const char *id_or_link,
			 fm_store_found *out);

/** Frees the strings of *f and zeroes it; NULL is fine. */
void fm_store_found_clear(fm_store_found *f);

/** Counts stored items (all feeds) into *n; returns 0 or FM_EIO. */
int fm_store_item_count(fm_store *st, long *n);

/**
 * How the last pass over a state ended, written at the end of every pass
 * that held the lock (not by a dry run). summary is owned by the struct:
 * fm_store_pass_get() fills it, fm_store_pass_clear() frees it.
 */
typedef struct fm_store_pass {
	fm_time started;  /**< when the pass began (its clock) */
	fm_time finished; /**< when it ended */
	int status;       /**< its exit status: 0 all well, 1 some feeds failed, 3 state or an output not written */
	char *summary;    /**< one line: the summary, or what went wrong */
} fm_store_pass;

/** Records p as the last pass (replacing the one before; inside a transaction); returns 0 or FM_EIO. */
int fm_store_pass_put(fm_store *st, const fm_store_pass *p);

/**
 * Reads the last pass recorded into *out (zeroed first). Free with
 * fm_store_pass_clear().
 * @return 0, FM_EINVAL (no pass recorded yet), FM_EIO or FM_ENOMEM.
 */
int fm_store_pass_get(fm_store *st, fm_store_pass *out);

/** Frees the summary of *p and zeroes it; NULL is fine. */
void fm_store_pass_clear(fm_store_pass *p);

#endif
