/* schema.c - the state's schema and its versioned migrations. */
#include "store/store_int.h"
#include "store/pack.h"

#include <stdio.h>

/*
 * Migration i brings the schema from version i to i + 1. Append, never
 * edit: a state file written by an older feedmerge runs the steps it lacks,
 * each in its own transaction with the new PRAGMA user_version.
 */
static const char *const schema_steps[] = {
	/* 0 -> 1: feeds' fetch state, items, clusters. */
	"CREATE TABLE feeds ("
	"  name TEXT PRIMARY KEY,"
	"  url TEXT,"
	"  etag TEXT, last_modified TEXT, title TEXT, link TEXT,"
	"  redirect_url TEXT, last_error TEXT,"
	"  last_attempt INTEGER NOT NULL DEFAULT 0,"
	"  last_success INTEGER NOT NULL DEFAULT 0,"
	"  next_due INTEGER NOT NULL DEFAULT 0,"
	"  retry_after INTEGER NOT NULL DEFAULT 0,"
	"  http_status INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  redirect_seen INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  items INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE TABLE clusters ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  updated INTEGER NOT NULL"
	");"
	"CREATE INDEX clusters_updated ON clusters(updated, id);"
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY,"
	"  feed TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  guid TEXT, link TEXT, norm_link TEXT, title TEXT,"
	"  author_name TEXT, author_email TEXT, author_uri TEXT,"
	"  summary TEXT, content TEXT, categories TEXT, enclosures TEXT,"
	"  published INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL DEFAULT 0,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  cluster INTEGER NOT NULL REFERENCES clusters(id),"
	"  UNIQUE (feed, key)"
	");"
	"CREATE INDEX items_norm_link ON items(norm_link) WHERE norm_link IS NOT NULL;"
	"CREATE INDEX items_cluster ON items(cluster);"
	"CREATE INDEX items_first_seen ON items(first_seen);",
	/* 1 -> 2: fingerprints for near-duplicate clustering, learned boilerplate. */
	"ALTER TABLE items ADD COLUMN simhash INTEGER;"
	"ALTER TABLE items ADD COLUMN fp BLOB;"
	"CREATE TABLE boiler ("
	"  feed TEXT NOT NULL,"
	"  hash INTEGER NOT NULL,"
	"  items INTEGER NOT NULL,"
	"  last INTEGER NOT NULL,"
	"  PRIMARY KEY (feed, hash)"
	") WITHOUT ROWID;",
	/* 2 -> 3: the clusterer's load reads a narrow index, not the items' text. */
	"CREATE INDEX items_fingerprints ON items(first_seen, published, simhash, feed, cluster)"
	" WHERE simhash IS NOT NULL;",
	/* 3 -> 4: a feed's boilerplate counts as one bounded blob, read and written once a fetch. */
	"DROP TABLE boiler;"
	"CREATE TABLE feed_boiler ("
	"  feed TEXT PRIMARY KEY,"
	"  counts BLOB NOT NULL"
	") WITHOUT ROWID;",
	/*
	 * 4 -> 5: fingerprints leave the items table for their own, keyed by
	 * the item's row. Rows are appended in item order, so a feed's commit
	 * writes a few pages at the end instead of dirtying pages all over an
	 * index ordered by time and fingerprint (measured: the cold pass's
	 * costliest extra writes). The window index is narrow and in row order
	 * too: the clusterer's load reads it from the window's first item on.
	 */
	"CREATE TABLE fingerprints ("
	"  item INTEGER PRIMARY KEY,"
	"  feed TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  simhash INTEGER NOT NULL,"
	"  fp BLOB NOT NULL"
	");"
	"CREATE INDEX fingerprints_window ON fingerprints(item, at, simhash, feed);"
	"INSERT INTO fingerprints (item, feed, at, simhash, fp)"
	"  SELECT id, feed, CASE WHEN published != 0 THEN published WHEN updated != 0 THEN updated ELSE first_seen END, simhash, fp"
	"  FROM items WHERE simhash IS NOT NULL AND fp IS NOT NULL;"
	"DROP INDEX items_fingerprints;"
	"ALTER TABLE items DROP COLUMN simhash;"
	"ALTER TABLE items DROP COLUMN fp;"
	"CREATE TRIGGER items_fingerprint_gone AFTER DELETE ON items"
	"  BEGIN DELETE FROM fingerprints WHERE item = old.id; END;",
	/* 5 -> 6: the outcome of the last pass, for a daemon's /healthz (one row). */
	"CREATE TABLE last_pass ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  summary TEXT NOT NULL"
	");",
	/*
	 * 6 -> 7: a cluster's updated time is its story's time (the newest
	 * member's published time, never past when it was seen), no longer the
	 * run that last merged into it: outputs are ordered by it.
	 */
	"UPDATE clusters SET updated = coalesce((SELECT max(min("
	"  CASE WHEN published > 0 THEN published WHEN updated > 0 THEN updated ELSE first_seen END,"
	"  first_seen)) FROM items WHERE cluster = clusters.id), updated);"
	/*
	 * Link folding is clustering's (the fingerprint carries the link's
	 * hash): the store no longer looks items up by normalised link, and
	 * the clusterer reads whole fingerprints off the table, not the narrow
	 * window index. Two indexes fewer to write per item.
	 */
	"DROP INDEX IF EXISTS items_norm_link;"
	"DROP INDEX IF EXISTS fingerprints_window;",
	/*
	 * 7 -> 8: the publisher's polling floors. The HTTP one (Cache-Control,
	 * Expires) and the feed's (ttl, sy:updatePeriod) apart, because a 304
	 * may replace the first and never the second; the feed's skipHours and
	 * skipDays as bit masks; and why next_due is what it is, for status.
	 */
	"ALTER TABLE feeds ADD COLUMN poll_http INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN poll_http_why TEXT;"
	"ALTER TABLE feeds ADD COLUMN poll_feed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN poll_feed_why TEXT;"
	"ALTER TABLE feeds ADD COLUMN skip_hours INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN skip_days INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE feeds ADD COLUMN next_why TEXT;",
	/*
	 * 8 -> 9: items' summary and content packed (pack.c): zstd with a
	 * dictionary trained from the state's own items, kept here and named
	 * by id in every packed value, so a later one can be trained without
	 * repacking what is stored. schema_after[8] trains the first, packs
	 * the stored text and rewrites the fingerprints compactly (fpcode.h).
	 */
	"CREATE TABLE IF NOT EXISTS pack_dicts ("
	"  id INTEGER PRIMARY KEY,"
	"  made INTEGER NOT NULL,"
	"  dict BLOB NOT NULL"
	");",
	/*
	 * 9 -> 10: an item's title as the feed's HTML when it has markup
	 * (fm_item_title_html), for writers that carry HTML titles (Atom's
	 * type="html"); title keeps the plain text everything else reads.
	 * Stored items had only their plain title: NULL says so, and they are
	 * written as text until their feed is read again.
	 */
	"ALTER TABLE items ADD COLUMN title_html TEXT;",
	/*
	 * 10 -> 11: feeds' boilerplate counts in a rowid table. WITHOUT ROWID
	 * kept each blob whole in the b-tree's interior pages too, and a blob
	 * past 4 KB (a busy feed's) spilled its tail onto a 16 KB overflow
	 * page of its own: at 100,000 feeds 459 MB of pages held 239 MB of
	 * counts, 186 MB of it unused overflow space. A rowid table keeps a
	 * blob up to 16 KB in its leaf page, and the interior pages hold only
	 * rowids. fm_store_boiler_put updates in place (an upsert keeps the
	 * row where it is; INSERT OR REPLACE moved it to the end).
	 */
	"CREATE TABLE feed_boiler_rows ("
	"  feed TEXT PRIMARY KEY,"
	"  counts BLOB NOT NULL"
	");"
	"INSERT INTO feed_boiler_rows (feed, counts) SELECT feed, counts FROM feed_boiler;"
	"DROP TABLE feed_boiler;"
	"ALTER TABLE feed_boiler_rows RENAME TO feed_boiler;",
	/*
	 * 11 -> 12: a cluster's uid (urn:feedmerge: and a 64-bit hash of its
	 * first item's feed and key) is no longer UNIQUE. The index only caught
	 * a 64-bit collision (none in 2.2 million clusters), and it was 2% of
	 * the state at 100,000 feeds, with a write to a random page of it for
	 * every new item. Rebuilding the table needs foreign keys off
	 * (store__migrate turns them off around this step); ids are copied, so
	 * items' references hold.
	 */
	"CREATE TABLE clusters_rows ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	"INSERT INTO clusters_rows (id, uid, updated) SELECT id, uid, updated FROM clusters;"
	"DROP TABLE clusters;"
	"ALTER TABLE clusters_rows RENAME TO clusters;"
	"CREATE INDEX clusters_updated ON clusters(updated, id);",
	/*
	 * 12 -> 13: an item is found again by a 64-bit hash of its key
	 * (items.c item_keyhash), not by the key's text: the text ("g:" and
	 * the guid, 45 bytes on the generated feeds) was kept twice, in the
	 * row and in the UNIQUE index, and only ever compared. norm_link goes
	 * too (NULL since schema 7). A cluster's uid still hashes the key's
	 * text, which the writer has in hand. The rebuild copies rows in id
	 * order (ids kept: clusters and fingerprints name them); foreign keys
	 * are off around it (store__migrate) and checked before its commit.
	 */
	"CREATE TABLE items_rows ("
	"  id INTEGER PRIMARY KEY,"
	"  feed TEXT NOT NULL,"
	"  keyhash INTEGER NOT NULL,"
	"  guid TEXT, link TEXT, title TEXT,"
	"  author_name TEXT, author_email TEXT, author_uri TEXT,"
	"  summary TEXT, content TEXT, categories TEXT, enclosures TEXT,"
	"  published INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL DEFAULT 0,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  cluster INTEGER NOT NULL REFERENCES clusters(id),"
	"  title_html TEXT,"
	"  UNIQUE (feed, keyhash)"
	");"
	"INSERT INTO items_rows (id, feed, keyhash, guid, link, title, author_name, author_email,"
	"  author_uri, summary, content, categories, enclosures, published, updated, first_seen,"
	"  last_seen, cluster, title_html)"
	"  SELECT id, feed, fm_keyhash(key), guid, link, title, author_name, author_email,"
	"  author_uri, summary, content, categories, enclosures, published, updated, first_seen,"
	"  last_seen, cluster, title_html FROM items ORDER BY id;"
	"DROP TABLE items;"
	"ALTER TABLE items_rows RENAME TO items;"
	"CREATE INDEX items_cluster ON items(cluster);"
	"CREATE INDEX items_first_seen ON items(first_seen);"
	"CREATE TRIGGER items_fingerprint_gone AFTER DELETE ON items"
	"  BEGIN DELETE FROM fingerprints WHERE item = old.id; END;"
	/*
	 * A dictionary's packed ratio on the text written after it was made
	 * (NULL until measured) and the newest item when it was made: a later
	 * pass tells from them whether the text moved away from it (pack.c).
	 */
	"ALTER TABLE pack_dicts ADD COLUMN ratio REAL;"
	"ALTER TABLE pack_dicts ADD COLUMN made_item INTEGER;",
};

/* Whether step v (from its version) rebuilds a table a foreign key names or holds: run with foreign keys off, checked before its commit. */
#define SCHEMA_FK_OFF(v) ((v) == 11 || (v) == 12)

/* 8 -> 9 beyond its SQL: items' text packed, fingerprints in the compact form. */
static int
schema_after_8(fm_store *st)
{
	int rc = store__pack_migrate(st);

	return rc ? rc : store__fp_migrate(st);
}

/* Work a step needs beyond its SQL, run in the same transaction after it (NULL: none). */
static int (*const schema_after[])(fm_store *st) = {
	[8] = schema_after_8,
};

#define SCHEMA_VERSION ((int)(sizeof(schema_steps) / sizeof(schema_steps[0])))

int
fm_store_schema_version(fm_store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Returns 0 when no row breaks a foreign key (PRAGMA foreign_key_check), else FM_EIO. */
static int
schema_fk_check(fm_store *st)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : FM_EIO;
	sqlite3_finalize(s);
	return rc;
}

/* SQL fm_keyhash(key): store__keyhash of a key's text (for step 12 -> 13). */
static void
schema_sql_keyhash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *key = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	if (!key) {
		sqlite3_result_error(ctx, "fm_keyhash: an item without a key", -1);
		return;
	}
	sqlite3_result_int64(ctx, store__keyhash(key, (size_t)sqlite3_value_bytes(argv[0])));
}

int
store__migrate(fm_store *st, fm_diag *diag)
{
	int v = fm_store_schema_version(st), vacuum = 0;
	char sql[64];

	if (v < 0) {
		fm_diag_set(diag, 0, 0, "%s: cannot read the schema version: %s",
			    st->path, sqlite3_errmsg(st->db));
		return FM_EIO;
	}
	if (v > SCHEMA_VERSION) {
		fm_diag_set(diag, 0, 0, "%s: schema version %d is newer than this feedmerge knows (%d)",
			    st->path, v, SCHEMA_VERSION);
		return FM_EIO;
	}
	if (v <= 12 && sqlite3_create_function(st->db, "fm_keyhash", 1,
					       SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC,
					       NULL, schema_sql_keyhash, NULL, NULL) != SQLITE_OK) {
		fm_diag_set(diag, 0, 0, "%s: %s", st->path, sqlite3_errmsg(st->db));
		return FM_EIO;
	}
	for (; v < SCHEMA_VERSION; v++) {
		int (*after)(fm_store *) = v < (int)(sizeof schema_after / sizeof schema_after[0]) ?
			schema_after[v] : NULL;
		int changes = sqlite3_total_changes(st->db);

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		/* Foreign keys can only be switched outside a transaction. */
		if (SCHEMA_FK_OFF(v) && store__exec(st, "PRAGMA foreign_keys = OFF"))
			return FM_EIO;
		if (store__exec(st, "BEGIN IMMEDIATE") ||
		    store__exec(st, schema_steps[v]) || (after && after(st)) ||
		    (SCHEMA_FK_OFF(v) && schema_fk_check(st)) ||
		    store__exec(st, sql) || store__exec(st, "COMMIT")) {
			fm_diag_set(diag, 0, 0, "%s: migrating the schema to version %d: %s",
				    st->path, v + 1, sqlite3_errmsg(st->db));
			store__exec(st, "ROLLBACK");
			if (SCHEMA_FK_OFF(v))
				(void)store__exec(st, "PRAGMA foreign_keys = ON");
			return FM_EIO;
		}
		if (SCHEMA_FK_OFF(v) && store__exec(st, "PRAGMA foreign_keys = ON"))
			return FM_EIO;
		/* Packing the stored text (8 -> 9) and rebuilding the items (12 -> 13) free pages. */
		if ((v == 8 || v == 12) && sqlite3_total_changes(st->db) > changes)
			vacuum = 1;
	}
	/*
	 * Give the freed pages back once. VACUUM is atomic; when it cannot run
	 * (a reader holds the file busy) they are reused by the items to come.
	 */
	if (vacuum)
		(void)store__exec(st, "VACUUM");
	return 0;
}
