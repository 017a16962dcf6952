/* statedir.h - a fresh state file per test, for the Criterion tests of the store (test_store.c, test_pack.c). */
#ifndef FM_TESTS_STATEDIR_H
#define FM_TESTS_STATEDIR_H

#include "feedmerge/store.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Each test's state file, in a fresh directory. */
static char st_dir[PATH_MAX];
static char st_path[PATH_MAX + 16];

/*
 * SQL that turns a current state back into the shape of schema 12 (items
 * with their key as text and norm_link; pack_dicts without ratio and
 * made_item), for tests that make an older state from a new one: the key
 * is what GUID identity gives ("g:" and the guid, else "l:" and the link,
 * else "t:" published and title).
 */
#define ST_SCHEMA_V12 \
	"CREATE TABLE items_v12 (id INTEGER PRIMARY KEY, feed TEXT NOT NULL, key TEXT NOT NULL," \
	" guid TEXT, link TEXT, norm_link TEXT, title TEXT, author_name TEXT, author_email TEXT," \
	" author_uri TEXT, summary TEXT, content TEXT, categories TEXT, enclosures TEXT," \
	" published INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0," \
	" first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL," \
	" cluster INTEGER NOT NULL REFERENCES clusters(id), title_html TEXT, UNIQUE (feed, key));" \
	"INSERT INTO items_v12 SELECT id, feed, CASE WHEN guid != '' THEN 'g:' || guid" \
	" WHEN link != '' THEN 'l:' || link ELSE 't:' || published || ':' || coalesce(title, '') END," \
	" guid, link, NULL, title, author_name, author_email, author_uri, summary, content," \
	" categories, enclosures, published, updated, first_seen, last_seen, cluster, title_html" \
	" FROM items;" \
	"DROP TABLE items; ALTER TABLE items_v12 RENAME TO items;" \
	"CREATE INDEX items_cluster ON items(cluster); CREATE INDEX items_first_seen ON items(first_seen);" \
	"CREATE TRIGGER items_fingerprint_gone AFTER DELETE ON items" \
	" BEGIN DELETE FROM fingerprints WHERE item = old.id; END;" \
	"ALTER TABLE pack_dicts DROP COLUMN ratio; ALTER TABLE pack_dicts DROP COLUMN made_item;"

/* Makes the directory (a suite's .init); the state file does not exist yet. */
static void
st_setup(void)
{
	char tmpl[] = "/tmp/fm-state-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(st_dir, sizeof st_dir, "%s", tmpl);
	snprintf(st_path, sizeof st_path, "%s/state.db", st_dir);
}

/* Removes the state, its WAL files, its lock and the directory (a suite's .fini). */
static void
st_teardown(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", ".lock" };
	char p[PATH_MAX + 32];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", st_path, sfx[i]);
		unlink(p);
	}
	rmdir(st_dir);
}

/* Opens the test's state, failing the test otherwise. */
static fm_store *
st_open(void)
{
	fm_store *st;
	fm_diag d = { 0 };

	cr_assert_eq(fm_store_open(&st, st_path, &d), 0, "%s", d.msg);
	return st;
}

/* Runs sql on the state with a connection of its own; returns the first column of its first row (-1: no row). */
static long long
st_sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

#endif
