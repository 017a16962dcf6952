/* store.c - opening the state, transactions, prepared statements. */
#include "store/store_int.h"
#include "store/pack.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * A feed's savepoint keeps the pages it changes in a statement journal:
 * SQLite spills one to a file in /var/tmp past 64 KB, and a feed changes
 * a dozen 16 KB pages. Cold pass over 1,000 feeds: 250 MB written to
 * /var/tmp and deleted, against 95 MB for the WAL and the state itself.
 * -1 keeps statement journals in memory, in small chunks freed with the
 * savepoint; their size is bounded by the pages one feed's results change.
 * (A positive threshold is no good: SQLite 3.40 then allocates the journal
 * in chunks of that size, and spilling one that a statement had truncated
 * failed with SQLITE_FULL -- seen with 1 MB on a 94-item feed.)
 */
#define STORE_STMTJRNL_SPILL (-1)

static pthread_once_t store_config_once = PTHREAD_ONCE_INIT;

/* Sets SQLite's process-wide options; must run before its first use (else SQLite refuses them, harmlessly). */
static void
store_config(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STORE_STMTJRNL_SPILL);
}

/* The SQL of each enum store_stmt, in order. */
static const char *const store_sql[STMT_COUNT] = {
	[STMT_FEED_GET] =
		"SELECT etag, last_modified, title, link, redirect_url, last_error,"
		" last_attempt, last_success, next_due, retry_after, http_status,"
		" failures, redirect_seen, gone, items, name, url, poll_http, poll_http_why,"
		" poll_feed, poll_feed_why, skip_hours, skip_days, next_why FROM feeds WHERE name = ?1",
	[STMT_FEED_PUT] =
		"INSERT OR REPLACE INTO feeds (etag, last_modified, title, link,"
		" redirect_url, last_error, last_attempt, last_success, next_due,"
		" retry_after, http_status, failures, redirect_seen, gone, items, name, url,"
		" poll_http, poll_http_why, poll_feed, poll_feed_why, skip_hours, skip_days, next_why)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
	[STMT_FEED_EACH] =
		"SELECT etag, last_modified, title, link, redirect_url, last_error,"
		" last_attempt, last_success, next_due, retry_after, http_status,"
		" failures, redirect_seen, gone, items, name, url, poll_http, poll_http_why,"
		" poll_feed, poll_feed_why, skip_hours, skip_days, next_why FROM feeds ORDER BY name",
	[STMT_FEED_ITEM_TIMES] =
		"SELECT t FROM (SELECT min(CASE WHEN published > 0 THEN published ELSE first_seen END,"
		" first_seen) AS t FROM items WHERE feed = ?1) ORDER BY t DESC LIMIT ?2",
	[STMT_ITEM_FIND] =
		"SELECT id, cluster FROM items WHERE feed = ?1 AND keyhash = ?2",
	[STMT_FEED_HAS_ITEMS] =
		"SELECT 1 FROM items WHERE feed = ?1 LIMIT 1",
	[STMT_ITEM_UPDATE] =
		"UPDATE items SET guid = ?2, link = ?3, title = ?4,"
		" author_name = ?5, author_email = ?6, author_uri = ?7, summary = fm_pack(?8),"
		" content = fm_pack(?9), categories = ?10, enclosures = ?11, published = ?12,"
		" updated = ?13, last_seen = ?14, title_html = ?15 WHERE id = ?1 AND ("
		" guid IS NOT ?2 OR link IS NOT ?3 OR title IS NOT ?4 OR title_html IS NOT ?15 OR"
		" author_name IS NOT ?5 OR author_email IS NOT ?6 OR author_uri IS NOT ?7 OR"
		/* the text compared as text: however it was packed, and only packed again when it changed */
		" fm_unpack(summary) IS NOT ?8 OR fm_unpack(content) IS NOT ?9 OR categories IS NOT ?10 OR"
		" enclosures IS NOT ?11 OR published IS NOT ?12 OR updated IS NOT ?13)",
	[STMT_ITEM_SEEN] =
		"UPDATE items SET last_seen = ?2 WHERE id = ?1",
	[STMT_ITEM_INSERT] =
		"INSERT INTO items (feed, keyhash, guid, link, title, author_name,"
		" author_email, author_uri, summary, content, categories, enclosures,"
		" published, updated, first_seen, last_seen, cluster, title_html)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, fm_pack(?9), fm_pack(?10), ?11, ?12, ?13,"
		" ?14, ?15, ?15, ?16, ?17)",
	[STMT_ITEM_INSERT_PACKED] = /* the same, summary and content packed already (or plain) */
		"INSERT INTO items (feed, keyhash, guid, link, title, author_name,"
		" author_email, author_uri, summary, content, categories, enclosures,"
		" published, updated, first_seen, last_seen, cluster, title_html)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		" ?14, ?15, ?15, ?16, ?17)",
	[STMT_CLUSTER_INSERT] =
		"INSERT INTO clusters (uid, updated) VALUES (?1, ?2)",
	[STMT_CLUSTER_RETIME] =
		"UPDATE clusters SET updated = coalesce(" STORE_CLUSTER_TIME ", updated) WHERE id = ?1",
	[STMT_MEMBER_EACH] =
		"SELECT id, feed, guid, link, title, author_name, author_email,"
		" author_uri, fm_unpack(summary), fm_unpack(content), categories, enclosures, published,"
		" updated, first_seen, title_html FROM items WHERE cluster = ?1 ORDER BY first_seen, id",
	[STMT_ITEM_GET] =
		"SELECT id, feed, guid, link, title, author_name, author_email,"
		" author_uri, fm_unpack(summary), fm_unpack(content), categories, enclosures, published,"
		" updated, first_seen, title_html FROM items WHERE id = ?1",
	[STMT_CLUSTER_ABSORB] =
		"UPDATE clusters SET updated = max(updated,"
		" (SELECT updated FROM clusters WHERE id = ?2)) WHERE id = ?1",
	[STMT_CLUSTER_MOVE] =
		"UPDATE items SET cluster = ?1 WHERE cluster = ?2",
	[STMT_CLUSTER_DELETE] =
		"DELETE FROM clusters WHERE id = ?1",
	[STMT_FP_PUT] =
		"INSERT OR REPLACE INTO fingerprints (item, feed, at, simhash, fp)"
		" SELECT id, feed, " STORE_STORY_TIME ", ?2, ?3"
		" FROM items WHERE id = ?1",
	[STMT_FP_INSERT] =
		"INSERT INTO fingerprints (item, feed, at, simhash, fp) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_FP_DELETE] =
		"DELETE FROM fingerprints WHERE item = ?1",
	[STMT_FP_GET] =
		"SELECT f.fp, i.cluster, f.simhash FROM fingerprints f JOIN items i ON i.id = f.item"
		" WHERE f.item = ?1",
	[STMT_ITEM_CLUSTER] =
		"SELECT cluster FROM items WHERE id = ?1",
	[STMT_BOILER_GET] =
		"SELECT counts FROM feed_boiler WHERE feed = ?1",
	[STMT_BOILER_PUT] =
		"INSERT INTO feed_boiler (feed, counts) VALUES (?1, ?2)"
		" ON CONFLICT (feed) DO UPDATE SET counts = excluded.counts",
	[STMT_PASS_GET] =
		"SELECT started, finished, status, summary FROM last_pass WHERE id = 1",
	[STMT_PASS_PUT] =
		"INSERT OR REPLACE INTO last_pass (id, started, finished, status, summary)"
		" VALUES (1, ?1, ?2, ?3, ?4)",
};

sqlite3_stmt *
store__stmt(fm_store *st, enum store_stmt id)
{
	sqlite3_stmt *s = st->stmt[id];

	if (!s) {
		if (sqlite3_prepare_v3(st->db, store_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
			return NULL;
		st->stmt[id] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int
store__step_done(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : FM_EIO;
}

int
store__exec(fm_store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : FM_EIO;
}

int
store__bind_str(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

const char *
store__col_str(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

char *
store__col_dup(sqlite3_stmt *s, int i, int *err)
{
	const char *v = store__col_str(s, i);
	char *copy;

	if (!v)
		return NULL;
	if (!(copy = strdup(v)))
		*err = FM_ENOMEM;
	return copy;
}

int
fm_store_open(fm_store **out, const char *path, fm_diag *diag)
{
	fm_store *st;
	int rc;

	*out = NULL;
	if (!(st = calloc(1, sizeof *st)) || !(st->path = strdup(path))) {
		free(st);
		return FM_ENOMEM;
	}
	pthread_once(&store_config_once, store_config);
	rc = sqlite3_open_v2(path, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		fm_diag_set(diag, 0, 0, "%s: cannot open the state: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		fm_store_close(st);
		return FM_EIO;
	}
	/* Readers (status, a daemon's healthz) may overlap a run: wait, don't fail. */
	sqlite3_busy_timeout(st->db, 10000);
	/*
	 * A new state gets 16 KB pages (an existing one keeps its own: SQLite
	 * ignores this once the file has content). Items' packed text is a few
	 * KB a row: 4 KB pages left much of it in half-empty overflow pages
	 * (a cold pass over 10,000 generated feeds: 524 -> 479 MB).
	 */
	if (store__exec(st, "PRAGMA page_size = 16384") ||
	    store__exec(st, "PRAGMA journal_mode = WAL") ||
	    store__exec(st, "PRAGMA synchronous = NORMAL") ||
	    /*
	     * Checkpoint every 32 MB of WAL (at 4 KB pages), not 4 MB: a page
	     * many feeds' commits touch is copied into the file once per
	     * checkpoint (cold pass over 1,000 feeds: 308 -> 276 MB written).
	     */
	    store__exec(st, "PRAGMA wal_autocheckpoint = 8000") ||
	    /* Clustering reads back fingerprints of the window's items: room for them. */
	    store__exec(st, "PRAGMA cache_size = -8192") ||
	    store__exec(st, "PRAGMA foreign_keys = ON")) {
		fm_diag_set(diag, 0, 0, "%s: not a usable SQLite state: %s", path,
			    sqlite3_errmsg(st->db));
		fm_store_close(st);
		return FM_EIO;
	}
	if ((rc = store__pack_open(st))) {
		fm_diag_set(diag, 0, 0, "%s: cannot set up compression of the state's text: %s",
			    path, rc == FM_ENOMEM ? "out of memory" : sqlite3_errmsg(st->db));
		fm_store_close(st);
		return rc;
	}
	if ((rc = store__migrate(st, diag)) || (rc = store__pack_count_nodict(st))) {
		if (rc != FM_EIO || !diag || !diag->msg[0])
			fm_diag_set(diag, 0, 0, "%s: cannot read the state: %s", path, sqlite3_errmsg(st->db));
		fm_store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

int
fm_store_open_readonly(fm_store **out, const char *path, fm_diag *diag)
{
	fm_store *st;
	int rc;

	*out = NULL;
	if (!(st = calloc(1, sizeof *st)) || !(st->path = strdup(path))) {
		free(st);
		return FM_ENOMEM;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fm_diag_set(diag, 0, 0, "%s: cannot open the state: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		fm_store_close(st);
		return FM_EIO;
	}
	/* A reader beside a pass: WAL lets it read at once; wait briefly on a checkpoint. */
	sqlite3_busy_timeout(st->db, 2000);
	if (fm_store_schema_version(st) < 0 || store__pack_open(st)) {
		fm_diag_set(diag, 0, 0, "%s: not a usable SQLite state: %s", path,
			    sqlite3_errmsg(st->db));
		fm_store_close(st);
		return FM_EIO;
	}
	*out = st;
	return 0;
}

void
fm_store_close(fm_store *st)
{
	size_t i;

	if (!st)
		return;
	if (st->in_tx)
		fm_store_rollback(st);
	if (st->in_batch)
		fm_store_batch_end(st);
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	store__pack_close(st);
	free(st->path);
	free(st);
}

int
fm_store_begin(fm_store *st)
{
	if (st->in_tx)
		return FM_EIO;
	/* Once enough text went without a dictionary, one is trained (committed on its own, or in the batch). */
	store__pack_maybe_train(st);
	if (store__exec(st, st->in_batch ? "SAVEPOINT feed" : "BEGIN IMMEDIATE"))
		return FM_EIO;
	st->in_tx = 1;
	return 0;
}

int
fm_store_commit(fm_store *st)
{
	if (!st->in_tx)
		return FM_EIO;
	if (store__exec(st, st->in_batch ? "RELEASE feed" : "COMMIT")) {
		fm_store_rollback(st);
		return FM_EIO;
	}
	st->in_tx = 0;
	return 0;
}

int
fm_store_batch_begin(fm_store *st)
{
	if (st->in_tx || st->in_batch || store__exec(st, "BEGIN IMMEDIATE"))
		return FM_EIO;
	st->in_batch = 1;
	return 0;
}

int
fm_store_batch_end(fm_store *st)
{
	int rc = 0;

	if (!st->in_batch)
		return 0;
	if (st->in_tx) {
		fm_store_rollback(st); /* a feed left open: it is undone, the rest kept */
		rc = FM_EIO;
	}
	st->in_batch = 0;
	if (store__exec(st, "COMMIT")) {
		store__exec(st, "ROLLBACK");
		return FM_EIO;
	}
	return rc;
}

void
fm_store_rollback(fm_store *st)
{
	if (!st->in_tx)
		return;
	if (st->in_batch)
		store__exec(st, "ROLLBACK TO feed; RELEASE feed");
	else
		store__exec(st, "ROLLBACK");
	st->in_tx = 0;
}
