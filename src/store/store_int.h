/* store_int.h - what the store's files share (internal). */
#ifndef FM_STORE_INT_H
#define FM_STORE_INT_H

#include "feedmerge/buf.h"
#include "feedmerge/store.h"

#include <sqlite3.h>

/* The statements the store prepares once and reuses. */
enum store_stmt {
	STMT_FEED_GET,
	STMT_FEED_PUT,
	STMT_FEED_EACH,
	STMT_FEED_ITEM_TIMES,
	STMT_ITEM_FIND,
	STMT_FEED_HAS_ITEMS,
	STMT_ITEM_UPDATE,
	STMT_ITEM_SEEN,
	STMT_ITEM_INSERT,
	STMT_ITEM_INSERT_PACKED,
	STMT_CLUSTER_INSERT,
	STMT_CLUSTER_RETIME,
	STMT_MEMBER_EACH,
	STMT_ITEM_GET,
	STMT_CLUSTER_ABSORB,
	STMT_CLUSTER_MOVE,
	STMT_CLUSTER_DELETE,
	STMT_FP_PUT,
	STMT_FP_INSERT,
	STMT_FP_DELETE,
	STMT_FP_GET,
	STMT_ITEM_CLUSTER,
	STMT_BOILER_GET,
	STMT_BOILER_PUT,
	STMT_PASS_GET,
	STMT_PASS_PUT,
	STMT_COUNT
};

struct fm_store {
	sqlite3 *db;
	char *path;
	int in_tx;                        /* a feed's transaction (or savepoint) is open */
	int in_batch;                     /* a batch's transaction is open: feeds are savepoints in it */
	sqlite3_stmt *stmt[STMT_COUNT];   /* prepared on first use */
	struct store_pack *pack;          /* compression of items' text (pack.c) */
};

/* An item row's story time in SQL: fm_item_time's rule (published, else updated, else first seen). */
#define STORE_STORY_TIME "CASE WHEN published != 0 THEN published WHEN updated != 0 THEN updated ELSE first_seen END"

/*
 * A cluster's story time (its clusters.updated): the newest story time of
 * its members, a date in the future read as the time the item was first
 * seen, so a wrong clock cannot pin a story to the top, and one before
 * 1970 as unknown.
 */
#define STORE_CLUSTER_TIME "(SELECT max(min(CASE WHEN published > 0 THEN published" \
	" WHEN updated > 0 THEN updated ELSE first_seen END, first_seen)) FROM items WHERE cluster = clusters.id)"

/* Sets cluster's story time from its members (after one left or changed); returns 0 or FM_EIO. */
int store__cluster_retime(fm_store *st, int64_t cluster);

/* Returns the prepared statement id, reset and unbound; NULL on error (diag-free). */
sqlite3_stmt *store__stmt(fm_store *st, enum store_stmt id);

/* Steps (and resets) a statement that returns no rows; returns 0 or FM_EIO. */
int store__step_done(sqlite3_stmt *s);

/* Runs SQL without results; returns 0 or FM_EIO. */
int store__exec(fm_store *st, const char *sql);

/* Adds the fingerprint of a new item (row id of feed, story time at); returns 0 or FM_EIO. */
int store__fp_insert(fm_store *st, int64_t id, const char *feed, fm_time at, const fm_fingerprint *fp);

/* Writes fp as the fingerprint of item row id (NULL: deletes it); returns 0 or FM_EIO. */
int store__fp_set(fm_store *st, int64_t id, const fm_fingerprint *fp);

/* Migration 8 -> 9: rewrites every fingerprint blob in the compact form (fpcode.h); returns 0, FM_EIO or FM_ENOMEM. */
int store__fp_migrate(fm_store *st);

/*
 * Returns the hash an item is found by (items.keyhash): XXH3-64 of its
 * key's len bytes. Two keys of one feed sharing it would need about 2^32
 * items of that feed; it is accepted (the second would update the first).
 */
int64_t store__keyhash(const char *key, size_t len);

/*
 * Puts into key (cleared first) the key an item row was stored under,
 * found again from its fields (the row keeps only its hash): the one whose
 * hash is keyhash, else "h:" and the hash in hex. Returns 0 or FM_ENOMEM.
 */
int store__key_recover(fm_buf *key, int64_t keyhash, const char *guid, const char *link,
		       int64_t published, const char *title);

/* Founds a cluster for feed's item with key (public id hashed from both); returns 0 or FM_EIO / FM_ENOMEM. */
int store__cluster_found(fm_store *st, const char *feed, const char *key, size_t keylen,
			 fm_time t, int64_t *out);

/* Brings the schema to the current version; returns 0 or FM_EIO (diag says why). */
int store__migrate(fm_store *st, fm_diag *diag);

/* Binds s as text (NULL binds NULL); returns the sqlite status. */
int store__bind_str(sqlite3_stmt *s, int i, const char *v);

/* Returns a malloc'd copy of column i, NULL for SQL NULL; *err set on ENOMEM. */
char *store__col_dup(sqlite3_stmt *s, int i, int *err);

/* Returns column i as a borrowed string, NULL for SQL NULL. */
const char *store__col_str(sqlite3_stmt *s, int i);

#endif
