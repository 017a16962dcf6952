/* test_store.c - the SQLite state: schema, feed state, items, clusters, lock. */
#define _XOPEN_SOURCE 700
#include "feedmerge/store.h"
#include "statedir.h"
#include "dedup/normlink.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <inttypes.h>
#include <xxhash.h>

TestSuite(store, .init = st_setup, .fini = st_teardown);

/* Puts one item into feed in its own transaction; returns what happened. */
static fm_store_put
st_put(fm_store *st, const char *feed, fm_config_identity idn, const fm_item *it, fm_time now)
{
	fm_store_put what = (fm_store_put)-1;

	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, feed, idn, it, now, &what), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	return what;
}

/* What a walk over clusters and members saw. */
struct walk {
	fm_store *st;
	int nclusters;
	int nmembers[16];
	char ids[16][64];
	char titles[16][4][64];
	char feeds[16][4][32];
	fm_time updated[16];
	size_t ncats, nencs;
	char enc_type[32];
};

/* Records one member. */
static int
walk_member(void *ud, const fm_store_item *it)
{
	struct walk *w = ud;
	int c = w->nclusters - 1, m = w->nmembers[c]++;

	if (m < 4) {
		snprintf(w->titles[c][m], 64, "%s", it->item.title ? it->item.title : "-");
		snprintf(w->feeds[c][m], 32, "%s", it->item.feed);
	}
	w->ncats += it->item.ncategories;
	w->nencs += it->item.nenclosures;
	if (it->item.nenclosures && it->item.enclosures[0].type)
		snprintf(w->enc_type, sizeof w->enc_type, "%s", it->item.enclosures[0].type);
	return 0;
}

/* Records one cluster and walks its members. */
static int
walk_cluster(void *ud, const fm_store_cluster *c)
{
	struct walk *w = ud;

	cr_assert_lt(w->nclusters, 16);
	snprintf(w->ids[w->nclusters], 64, "%s", c->id);
	w->updated[w->nclusters] = c->updated;
	w->nclusters++;
	return fm_store_cluster_members(w->st, c->rowid, walk_member, w);
}

/* Walks every cluster of st into w. */
static void
st_walk(fm_store *st, struct walk *w)
{
	memset(w, 0, sizeof *w);
	w->st = st;
	cr_assert_eq(fm_store_clusters(st, 0, walk_cluster, w), 0);
}

Test(store, creates_schema_and_reopens)
{
	fm_store *st = st_open();

	cr_expect_eq(fm_store_schema_version(st), 13);
	fm_store_close(st);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	fm_store_close(st);
}

/* The state's page size, read with a connection of its own. */
static int
st_page_size(void)
{
	return (int)st_sql_int("PRAGMA page_size");
}

Test(store, a_new_state_has_16k_pages_and_an_old_one_keeps_its_own)
{
	fm_store *st = st_open();
	sqlite3 *db;

	fm_store_close(st);
	cr_expect_eq(st_page_size(), 16384);
	st_teardown();
	st_setup();
	/* A state an older feedmerge made, with SQLite's 4 KB pages: opened, migrated, still 4 KB. */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA page_size = 4096; CREATE TABLE old (x); DROP TABLE old",
				  NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	fm_store_close(st);
	cr_expect_eq(st_page_size(), 4096);
}

Test(store, last_pass_recorded_and_read_back_read_only)
{
	fm_store *st = st_open(), *ro = NULL;
	fm_store_pass p = { 100, 160, 1, "2 fetched, 1 failed" }, got;
	fm_diag d = { 0, 0, "" };

	cr_expect_eq(fm_store_pass_get(st, &got), FM_EINVAL, "no pass yet");
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_pass_put(st, &p), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_assert_eq(fm_store_open_readonly(&ro, st_path, &d), 0, "%s", d.msg);
	cr_assert_eq(fm_store_pass_get(ro, &got), 0);
	cr_expect_eq(got.started, 100);
	cr_expect_eq(got.finished, 160);
	cr_expect_eq(got.status, 1);
	cr_expect_str_eq(got.summary, "2 fetched, 1 failed");
	fm_store_pass_clear(&got);
	/* The next pass replaces it; the reader sees the new one. */
	p.finished = 200;
	p.status = 3;
	p.summary = "out/a.atom: cannot write";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_pass_put(st, &p), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_assert_eq(fm_store_pass_get(ro, &got), 0);
	cr_expect_eq(got.finished, 200);
	cr_expect_eq(got.status, 3);
	cr_expect_str_eq(got.summary, "out/a.atom: cannot write");
	fm_store_pass_clear(&got);
	fm_store_pass_clear(NULL);
	/* Read-only means it: no writes through it. */
	cr_expect_eq(fm_store_pass_put(ro, &p), FM_EIO);
	fm_store_close(ro);
	fm_store_close(st);
}

Test(store, read_only_open_of_a_missing_state_fails)
{
	fm_store *ro = NULL;
	fm_diag d = { 0, 0, "" };

	cr_expect_eq(fm_store_open_readonly(&ro, st_path, &d), FM_EIO);
	cr_expect_null(ro);
	cr_expect(strstr(d.msg, st_path) != NULL, "%s", d.msg);
	cr_expect_eq(access(st_path, F_OK), -1, "not created");
}

Test(store, refuses_a_newer_schema)
{
	sqlite3 *db;
	fm_store *st;
	fm_diag d = { 0 };

	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	cr_expect_eq(fm_store_open(&st, st_path, &d), FM_EIO);
	cr_expect_null(st);
	cr_expect_not_null(strstr(d.msg, "newer"), "%s", d.msg);
	cr_expect_not_null(strstr(d.msg, st_path), "%s", d.msg);
}

Test(store, refuses_a_file_that_is_not_sqlite)
{
	FILE *f = fopen(st_path, "w");
	fm_store *st;
	fm_diag d = { 0 };

	cr_assert_not_null(f);
	fputs("this is not a database, just some text that is long enough to look like a header\n", f);
	fclose(f);
	cr_expect_eq(fm_store_open(&st, st_path, &d), FM_EIO);
	cr_expect_not_null(strstr(d.msg, st_path), "%s", d.msg);
}

Test(store, feed_state_round_trips)
{
	fm_store *st = st_open();
	fm_feed_state fs = { 0 }, got;

	cr_assert_eq(fm_store_feed_get(st, "bbc", &got), 0);
	cr_expect_str_eq(got.name, "bbc");
	cr_expect_null(got.etag);
	cr_expect_eq(got.last_attempt, 0);
	fm_feed_state_clear(&got);

	fs.name = "bbc";
	fs.etag = "W/\"abc\"";
	fs.last_modified = "Tue, 15 Nov 1994 12:45:26 GMT";
	fs.redirect_url = "https://example.org/new.rss";
	fs.redirect_seen = 2;
	fs.last_attempt = 1000;
	fs.next_due = 2000;
	fs.retry_after = 3000;
	fs.http_status = 304;
	fs.failures = 3;
	fs.gone = 1;
	fs.items = 42;
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	fm_store_close(st);

	st = st_open();
	cr_assert_eq(fm_store_feed_get(st, "bbc", &got), 0);
	cr_expect_str_eq(got.etag, "W/\"abc\"");
	cr_expect_str_eq(got.last_modified, "Tue, 15 Nov 1994 12:45:26 GMT");
	cr_expect_str_eq(got.redirect_url, "https://example.org/new.rss");
	cr_expect_eq(got.redirect_seen, 2);
	cr_expect_eq(got.next_due, 2000);
	cr_expect_eq(got.retry_after, 3000);
	cr_expect_eq(got.http_status, 304);
	cr_expect_eq(got.failures, 3);
	cr_expect_eq(got.gone, 1);
	cr_expect_eq(got.items, 42);
	cr_expect_null(got.title);
	fm_feed_state_clear(&got);
	fm_store_close(st);
}

/* Counts feeds for fm_store_feed_each. */
static int
count_feed(void *ud, const fm_feed_state *fs)
{
	(*(int *)ud)++;
	return fs->failures == 99 ? 7 : 0;
}

Test(store, feed_each_walks_and_stops)
{
	fm_store *st = st_open();
	fm_feed_state fs = { 0 };
	int n = 0;

	fs.name = "a";
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	fs.name = "b";
	fs.failures = 99;
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	fs.name = "c";
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	cr_expect_eq(fm_store_feed_each(st, count_feed, &n), 7);
	cr_expect_eq(n, 2);
	fm_store_close(st);
}

Test(store, item_new_same_changed)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	long n;

	it.id = "guid-1";
	it.title = "First";
	it.link = "https://example.org/a";
	it.content = "<p>Body</p>";
	it.published = 100;
	cr_expect_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 1000), FM_STORE_NEW);
	cr_expect_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 2000), FM_STORE_SAME);
	it.title = "First, corrected";
	cr_expect_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 3000), FM_STORE_CHANGED);
	cr_assert_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 1);
	fm_store_close(st);
}

Test(store, identity_policies)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	long n;

	/* guid: a new guid is a new item even with the same link. */
	it.id = "g1";
	it.link = "https://example.org/x";
	it.title = "T";
	it.published = 5;
	cr_expect_eq(st_put(st, "g", FM_IDENTITY_GUID, &it, 10), FM_STORE_NEW);
	it.id = "g2";
	cr_expect_eq(st_put(st, "g", FM_IDENTITY_GUID, &it, 10), FM_STORE_NEW);
	/* link: a feed whose guids change every fetch. */
	it.id = "random-1";
	cr_expect_eq(st_put(st, "l", FM_IDENTITY_LINK, &it, 10), FM_STORE_NEW);
	it.id = "random-2";
	cr_expect_eq(st_put(st, "l", FM_IDENTITY_LINK, &it, 20), FM_STORE_CHANGED);
	/* title+date: no guid, links that carry session ids. */
	it.id = NULL;
	it.link = "https://example.org/x?session=1";
	cr_expect_eq(st_put(st, "t", FM_IDENTITY_TITLE_DATE, &it, 10), FM_STORE_NEW);
	it.link = "https://example.org/x?session=2";
	cr_expect_eq(st_put(st, "t", FM_IDENTITY_TITLE_DATE, &it, 20), FM_STORE_CHANGED);
	it.published = 6;
	cr_expect_eq(st_put(st, "t", FM_IDENTITY_TITLE_DATE, &it, 30), FM_STORE_NEW);
	/* guid falls back to the link when there is none. */
	it.link = "https://example.org/y";
	cr_expect_eq(st_put(st, "g", FM_IDENTITY_GUID, &it, 10), FM_STORE_NEW);
	cr_expect_eq(st_put(st, "g", FM_IDENTITY_GUID, &it, 11), FM_STORE_SAME);
	cr_assert_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 6);
	fm_store_close(st);
}

Test(store, every_new_item_founds_its_story)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	struct walk w;

	it.id = "a-1";
	it.title = "Outlet A's headline";
	it.link = "https://News.Example.org:443/story?id=7&utm_source=rss#top";
	it.published = 100;
	st_put(st, "a", FM_IDENTITY_GUID, &it, 1000);
	it.id = "b-1";
	it.title = "Outlet B's headline";
	it.link = "https://news.example.org/story?id=7&fbclid=xyz";
	it.published = 200;
	st_put(st, "b", FM_IDENTITY_GUID, &it, 1500);
	it.id = "c-1";
	it.title = "Another story";
	it.link = "https://news.example.org/story?id=8";
	it.published = 50;
	st_put(st, "c", FM_IDENTITY_GUID, &it, 1200);

	/* The same normalised link folds in clustering (dedup's first rule), not here. */
	st_walk(st, &w);
	cr_assert_eq(w.nclusters, 3);
	cr_expect_eq(w.nmembers[0], 1);
	cr_expect_str_eq(w.feeds[0][0], "b");
	cr_expect_eq(w.updated[0], 200, "newest story first");
	cr_expect_str_eq(w.feeds[1][0], "a");
	cr_expect_str_eq(w.titles[2][0], "Another story");
	cr_expect_eq(strncmp(w.ids[0], "urn:feedmerge:", 14), 0, "%s", w.ids[0]);
	cr_expect_str_neq(w.ids[0], w.ids[1]);
	fm_store_close(st);
}

/* Puts an item with this id and published time into feed, seen at now; returns its cluster row. */
static int64_t
st_story(fm_store *st, const char *feed, const char *id, fm_time published, fm_time now)
{
	fm_item it = { 0 };
	fm_store_ref ref;

	it.id = id;
	it.title = id;
	it.published = published;
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_save(st, feed, FM_IDENTITY_GUID, &it, NULL, now, NULL, &ref), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	return ref.cluster;
}

Test(store, cluster_time_is_the_story_time)
{
	fm_store *st = st_open();
	int64_t old, mid, fresh, future, moved;
	struct walk w;
	fm_store_ref ref;
	int64_t rows[1];

	/* A backlog read at once (seen at 5000): Jun 8, Jun 11, Jun 9 as 800, 1100, 900. */
	old = st_story(st, "a", "old", 800, 5000);
	fresh = st_story(st, "b", "fresh", 1100, 5000);
	mid = st_story(st, "c", "mid", 900, 5000);
	/* A copy of the oldest story joins it: the story keeps its own time, not the run's. */
	moved = st_story(st, "d", "old-copy", 850, 5000);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_cluster_merge(st, old, moved), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	st_walk(st, &w);
	cr_assert_eq(w.nclusters, 3);
	cr_expect_eq(w.updated[0], 1100);
	cr_expect_eq(w.updated[1], 900);
	cr_expect_eq(w.updated[2], 850, "the newest member's time");
	cr_expect_eq(w.nmembers[2], 2);
	/* A date in the future counts as the time the item was seen. */
	future = st_story(st, "e", "future", 99999, 6000);
	st_walk(st, &w);
	cr_expect_eq(w.updated[0], 6000);
	/* Splitting the copy off: each part's time follows its members. */
	{
		fm_store_found f;

		cr_assert_eq(fm_store_item_lookup(st, "d", "old-copy", &f), 0);
		rows[0] = f.item;
		fm_store_found_clear(&f);
	}
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_cluster_split(st, rows, 1, &ref.cluster), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	st_walk(st, &w);
	cr_assert_eq(w.nclusters, 5);
	cr_expect_eq(w.updated[3], 850);
	cr_expect_eq(w.updated[4], 800, "the old part's time went back to its own member");
	(void)mid;
	(void)fresh;
	(void)future;
	fm_store_close(st);
}

Test(store, cluster_ids_depend_on_the_founding_item_only)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	struct walk w1, w2;

	it.id = "x";
	it.title = "X";
	st_put(st, "f", FM_IDENTITY_GUID, &it, 10);
	st_walk(st, &w1);
	fm_store_close(st);
	st_teardown();
	st_setup();
	st = st_open();
	it.id = "other";
	st_put(st, "g", FM_IDENTITY_GUID, &it, 5);
	it.id = "x";
	st_put(st, "f", FM_IDENTITY_GUID, &it, 99);
	st_walk(st, &w2);
	cr_assert_eq(w2.nclusters, 2);
	cr_expect(!strcmp(w1.ids[0], w2.ids[0]) || !strcmp(w1.ids[0], w2.ids[1]));
	fm_store_close(st);
}

Test(store, categories_and_enclosures_round_trip)
{
	fm_store *st = st_open();
	const char *cats[] = { "World", "Middle\nEast", "Politics" };
	fm_enclosure encs[] = {
		{ "https://example.org/a.mp3", "audio/mpeg", "123" },
		{ "https://example.org/b.jpg", NULL, NULL },
	};
	fm_item it = { 0 };
	struct walk w;

	it.id = "1";
	it.categories = cats;
	it.ncategories = 3;
	it.enclosures = encs;
	it.nenclosures = 2;
	st_put(st, "f", FM_IDENTITY_GUID, &it, 10);
	st_walk(st, &w);
	cr_expect_eq(w.ncats, 3);
	cr_expect_eq(w.nencs, 2);
	cr_expect_str_eq(w.enc_type, "audio/mpeg");
	cr_expect_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 20), FM_STORE_SAME);
	fm_store_close(st);
}

Test(store, rollback_leaves_nothing)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	fm_feed_state fs = { 0 };
	long n;

	it.id = "1";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	fs.name = "f";
	fs.etag = "\"e\"";
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	fm_store_rollback(st);
	cr_assert_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(fm_store_feed_get(st, "f", &fs), 0);
	cr_expect_null(fs.etag);
	fm_feed_state_clear(&fs);
	/* Closing with a transaction open rolls it back too. */
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	fm_store_close(st);
	st = st_open();
	cr_assert_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 0);
	fm_store_close(st);
}

Test(store, a_batch_commits_its_feeds_together_each_whole_or_absent)
{
	fm_store *st = st_open(), *other;
	fm_item it = { 0 };
	long n;

	cr_assert_eq(fm_store_batch_begin(st), 0);
	cr_assert_eq(fm_store_batch_begin(st), FM_EIO, "one batch at a time");
	/* Feed a is stored; feed b fails halfway and is undone; feed c is stored. */
	it.id = "1";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "a", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "b", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	it.id = "2";
	cr_assert_eq(fm_store_item_put(st, "b", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	fm_store_rollback(st);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "c", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	/* Nothing is on disk for another reader until the batch ends. */
	other = st_open();
	cr_assert_eq(fm_store_item_count(other, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(fm_store_batch_end(st), 0);
	cr_assert_eq(fm_store_item_count(other, &n), 0);
	cr_assert_eq(n, 2, "a and c, not b");
	cr_assert_eq(fm_store_batch_end(st), 0, "none open: nothing to do");
	/* A feed left open when the batch ends is undone; the rest is kept. */
	cr_assert_eq(fm_store_batch_begin(st), 0);
	it.id = "3";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "a", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	it.id = "4";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "a", FM_IDENTITY_GUID, &it, 10, NULL), 0);
	cr_assert_eq(fm_store_batch_end(st), FM_EIO);
	cr_assert_eq(fm_store_item_count(other, &n), 0);
	cr_assert_eq(n, 3);
	fm_store_close(other);
	fm_store_close(st);
}

Test(store, prune_drops_old_items_and_empty_clusters)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	struct walk w;
	long removed, n;

	it.id = "old";
	it.link = "https://example.org/s";
	st_put(st, "a", FM_IDENTITY_GUID, &it, 100);
	it.id = "copy";
	st_put(st, "b", FM_IDENTITY_GUID, &it, 500);
	it.id = "lonely-old";
	it.link = NULL;
	st_put(st, "a", FM_IDENTITY_GUID, &it, 100);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_prune(st, 200, &removed), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(removed, 2);
	cr_assert_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 1);
	st_walk(st, &w);
	/* The shared cluster keeps its surviving member; the lonely one is gone. */
	cr_expect_eq(w.nclusters, 1);
	cr_expect_str_eq(w.feeds[0][0], "b");
	fm_store_close(st);
}

Test(store, lock_excludes_a_second_holder)
{
	fm_store_lock *a, *b;
	fm_diag d = { 0 };

	cr_assert_eq(fm_store_lock_take(&a, st_path, 0, &d), 0, "%s", d.msg);
	cr_expect_eq(fm_store_lock_take(&b, st_path, 120, &d), FM_ELIMIT);
	cr_expect_null(b);
	cr_expect_not_null(strstr(d.msg, "another feedmerge run holds the lock"), "%s", d.msg);
	fm_store_unlock(a);
	cr_expect_eq(fm_store_lock_take(&b, st_path, 0, &d), 0, "%s", d.msg);
	fm_store_unlock(b);
}

Test(store, lock_reports_an_unusable_folder)
{
	fm_store_lock *a;
	fm_diag d = { 0 };

	cr_expect_eq(fm_store_lock_take(&a, "/nonexistent-dir/x/state.db", 0, &d), FM_EIO);
	cr_expect_not_null(strstr(d.msg, "/nonexistent-dir/x/state.db.lock"), "%s", d.msg);
}

/* One link normalisation case: input and expected output ("" = no key). */
struct norm_case {
	const char *in, *out;
};

Test(normlink, table)
{
	static const struct norm_case cases[] = {
		{ "https://Example.ORG/Path?q=1", "https://example.org/Path?q=1" },
		{ "HTTP://example.org:80/a", "http://example.org/a" },
		{ "https://example.org:443/a", "https://example.org/a" },
		{ "https://example.org:8443/a", "https://example.org:8443/a" },
		{ "https://example.org/a#section", "https://example.org/a" },
		{ "https://example.org/a?utm_source=rss&utm_medium=feed", "https://example.org/a" },
		{ "https://example.org/a?id=3&utm_campaign=x&page=2", "https://example.org/a?id=3&page=2" },
		{ "https://example.org/a?fbclid=abc", "https://example.org/a" },
		{ "https://example.org/a?UTM_Source=x&gclid=1&ref=y", "https://example.org/a?ref=y" },
		{ "https://example.org", "https://example.org/" },
		{ "https://example.org/a?", "https://example.org/a" },
		{ "mailto:someone@example.org", "" },
		{ "/relative/path", "" },
		{ "", "" },
		{ "not a url at all", "" },
		/* Already canonical (the parser is skipped) and next to it what is not. */
		{ "https://www.example.org/2024/05/story-name.html", "https://www.example.org/2024/05/story-name.html" },
		{ "https://www.example.org/a/./b", "https://www.example.org/a/b" },
		{ "https://www.example.org/a/../b", "https://www.example.org/b" },
		{ "https://www.example.org/a/.", "https://www.example.org/a/" },
		{ "http://127.1/a", "http://127.0.0.1/a" },
		{ "https://example.org./a", "https://example.org./a" },
	};
	/* Links the fast path takes must come out as the URL API makes them (a fragment forces it). */
	static const char *const same[] = {
		"https://www.example.org/2024/05/story-name.html",
		"https://news.example.co.uk/world-europe-12345678",
		"https://example.org/a//b/",
		"https://example.org/a/.b/..c/",
		"https://example.org/path:with@odd;chars=1,2&3",
		"https://example.org/a/%20b",
		"https://example.org/a b",
		"https://example.org/caf\xc3\xa9",
		"https://xn--caf-dma.example/a",
		"https://1.2.3.4/a",
		"https://0x7f.1/a",
		"https://a-b.example/A/B",
		"https://example.org/a/..",
		"https://example.org/./a",
		"http://example.org/",
		"https://example..org/a",
		"https://.example.org/a",
	};
	char frag[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out;

		cr_assert_eq(fm__link_normalise(cases[i].in, &out), 0);
		cr_expect_str_eq(out ? out : "", cases[i].out, "in: %s", cases[i].in);
		free(out);
	}
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *a, *b;

		snprintf(frag, sizeof frag, "%s#frag", same[i]);
		cr_assert_eq(fm__link_normalise(same[i], &a), 0);
		cr_assert_eq(fm__link_normalise(frag, &b), 0);
		cr_expect_str_eq(a ? a : "(none)", b ? b : "(none)", "in: %s", same[i]);
		free(a);
		free(b);
	}
}

/* A fingerprint with recognisable values. */
static fm_fingerprint
st_fp(uint64_t simhash, uint32_t nsketch)
{
	fm_fingerprint fp;
	uint32_t i;

	memset(&fp, 0, sizeof fp);
	fp.simhash = simhash;
	fp.title = ~simhash;
	fp.words = 40 + nsketch;
	fp.shingles = 38 + nsketch;
	fp.nsketch = nsketch;
	fp.flags = FM_FP_TEMPLATED;
	for (i = 0; i < nsketch; i++)
		fp.sketch[i] = 1000 * i + 7;
	return fp;
}

/* Saves item (title t, published pub) of feed with fingerprint fp at time now; returns its row. */
static int64_t
st_save_fp(fm_store *st, const char *feed, const char *t, fm_time pub, const fm_fingerprint *fp,
	   fm_time now)
{
	fm_item it = { .id = (char *)t, .title = (char *)t, .summary = "text", .published = pub };
	fm_store_put what;
	fm_store_ref ref;

	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_save(st, feed, FM_IDENTITY_GUID, &it, fp, now, &what, &ref), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_assert_eq(what, FM_STORE_NEW);
	return ref.item;
}

/* The rows fm_store_fingerprints() yields, in order. */
struct fp_rows {
	int64_t item[8];
	uint64_t simhash[8];
	fm_time when[8];
	char feed[8][16];
	int n;
};

/* Records one window row. */
static int
fp_row(void *ud, const fm_store_fp_row *r)
{
	struct fp_rows *w = ud;

	cr_assert_lt(w->n, 8);
	w->item[w->n] = r->item;
	w->simhash[w->n] = r->fp->simhash;
	w->when[w->n] = r->when;
	snprintf(w->feed[w->n], sizeof w->feed[0], "%s", r->feed);
	w->n++;
	return 0;
}

Test(store, fingerprints_round_trip_and_window)
{
	fm_store *st = st_open();
	fm_fingerprint a = st_fp(0x0123456789abcdefull, FM_FP_SKETCH), b = st_fp(42, 3), got;
	struct fp_rows w = { 0 };
	int64_t ra, rb, rc_, cluster;

	ra = st_save_fp(st, "one", "old", 0, &a, 1000);
	rb = st_save_fp(st, "two", "new", 5000, &b, 9000);
	rc_ = st_save_fp(st, "two", "bare", 0, NULL, 9100);
	cr_assert_eq(fm_store_fingerprint(st, ra, &got, &cluster), 0);
	cr_expect_eq(got.simhash, a.simhash);
	cr_expect_eq(got.title, a.title);
	cr_expect_eq(got.words, a.words);
	cr_expect_eq(got.shingles, a.shingles);
	cr_expect_eq(got.flags, a.flags);
	cr_expect_eq(got.nsketch, FM_FP_SKETCH);
	cr_expect_eq(memcmp(got.sketch, a.sketch, sizeof a.sketch), 0);
	cr_expect_gt(cluster, 0);
	cr_expect_eq(fm_store_fingerprint(st, rc_, &got, &cluster), FM_EINVAL, "no fingerprint given");
	/* The window is by first-seen time; the row's time is published, else first seen. */
	cr_assert_eq(fm_store_fingerprints(st, 0, fp_row, &w), 0);
	cr_assert_eq(w.n, 2);
	cr_expect_eq(w.item[0], ra);
	cr_expect_eq(w.when[0], 1000);
	cr_expect_str_eq(w.feed[0], "one");
	cr_expect_eq(w.item[1], rb);
	cr_expect_eq(w.when[1], 5000);
	cr_expect_eq(w.simhash[1], 42);
	memset(&w, 0, sizeof w);
	cr_assert_eq(fm_store_fingerprints(st, 2000, fp_row, &w), 0);
	cr_assert_eq(w.n, 1);
	cr_expect_eq(w.item[0], rb);
	memset(&w, 0, sizeof w);
	cr_assert_eq(fm_store_fingerprints(st, 10000, fp_row, &w), 0);
	cr_expect_eq(w.n, 0);
	/* Replaced, then removed. */
	cr_assert_eq(fm_store_item_set_fp(st, rb, &a), 0);
	cr_assert_eq(fm_store_fingerprint(st, rb, &got, &cluster), 0);
	cr_expect_eq(got.simhash, a.simhash);
	cr_assert_eq(fm_store_item_set_fp(st, rb, NULL), 0);
	cr_expect_eq(fm_store_fingerprint(st, rb, &got, &cluster), FM_EINVAL);
	fm_store_close(st);
}

Test(store, pruning_an_item_drops_its_fingerprint)
{
	fm_store *st = st_open();
	fm_fingerprint a = st_fp(7, 5);
	struct fp_rows w = { 0 };
	fm_fingerprint got;
	int64_t old, young, cluster;
	long removed;

	old = st_save_fp(st, "one", "old", 0, &a, 1000);
	young = st_save_fp(st, "one", "young", 0, &a, 5000);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_prune(st, 2000, &removed), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(removed, 1);
	cr_expect_eq(fm_store_fingerprint(st, old, &got, &cluster), FM_EINVAL);
	cr_expect_eq(fm_store_fingerprint(st, young, &got, &cluster), 0);
	cr_assert_eq(fm_store_fingerprints(st, 0, fp_row, &w), 0);
	cr_expect_eq(w.n, 1);
	fm_store_close(st);
}

Test(store, migrates_fingerprints_out_of_items)
{
	/* A version 4 state as feedmerge 0.1 left it: the fingerprint in the item's row. */
	static const char v4[] =
		"CREATE TABLE feeds (name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
		" title TEXT, link TEXT, redirect_url TEXT, last_error TEXT,"
		" last_attempt INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0,"
		" next_due INTEGER NOT NULL DEFAULT 0, retry_after INTEGER NOT NULL DEFAULT 0,"
		" http_status INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,"
		" redirect_seen INTEGER NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0,"
		" items INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
		"CREATE TABLE clusters (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,"
		" updated INTEGER NOT NULL);"
		"CREATE INDEX clusters_updated ON clusters(updated, id);"
		"CREATE TABLE items (id INTEGER PRIMARY KEY, feed TEXT NOT NULL, key TEXT NOT NULL,"
		" guid TEXT, link TEXT, norm_link TEXT, title TEXT, author_name TEXT,"
		" author_email TEXT, author_uri TEXT, summary TEXT, content TEXT, categories TEXT,"
		" enclosures TEXT, published INTEGER NOT NULL DEFAULT 0,"
		" updated INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,"
		" last_seen INTEGER NOT NULL, cluster INTEGER NOT NULL REFERENCES clusters(id),"
		" simhash INTEGER, fp BLOB, UNIQUE (feed, key));"
		"CREATE INDEX items_norm_link ON items(norm_link) WHERE norm_link IS NOT NULL;"
		"CREATE INDEX items_cluster ON items(cluster);"
		"CREATE INDEX items_first_seen ON items(first_seen);"
		"CREATE INDEX items_fingerprints ON items(first_seen, published, simhash, feed, cluster)"
		" WHERE simhash IS NOT NULL;"
		"CREATE TABLE feed_boiler (feed TEXT PRIMARY KEY, counts BLOB NOT NULL) WITHOUT ROWID;"
		"INSERT INTO clusters VALUES (1, 'urn:feedmerge:1', 100);"
		/* title 0x..02, words 9, shingles 7, nsketch 2, flags 0, sketch 5 and 6 */
		"INSERT INTO items (id, feed, key, title, published, first_seen, last_seen, cluster,"
		" simhash, fp) VALUES (1, 'one', 'k1', 'A', 50, 100, 100, 1, -2,"
		" x'02000000000000000900000007000000020000000000000005000000" "06000000');"
		"INSERT INTO items (id, feed, key, title, first_seen, last_seen, cluster)"
		" VALUES (2, 'one', 'k2', 'B', 100, 100, 1);"
		"PRAGMA user_version = 4;";
	sqlite3 *db;
	fm_store *st;
	fm_fingerprint got;
	struct fp_rows w = { 0 };
	int64_t cluster;
	long n;

	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, v4, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	cr_assert_eq(fm_store_fingerprint(st, 1, &got, &cluster), 0);
	cr_expect_eq(got.simhash, (uint64_t)-2);
	cr_expect_eq(got.title, 2);
	cr_expect_eq(got.words, 9);
	cr_expect_eq(got.shingles, 7);
	cr_expect_eq(got.nsketch, 2);
	cr_expect_eq(got.sketch[0], 5);
	cr_expect_eq(got.sketch[1], 6);
	cr_expect_eq(cluster, 1);
	cr_expect_eq(fm_store_fingerprint(st, 2, &got, &cluster), FM_EINVAL);
	cr_assert_eq(fm_store_fingerprints(st, 0, fp_row, &w), 0);
	cr_assert_eq(w.n, 1);
	cr_expect_eq(w.when[0], 50);
	cr_expect_eq(fm_store_item_count(st, &n), 0);
	cr_expect_eq(n, 2);
	fm_store_close(st);
}

Test(store, feed_has_items)
{
	fm_store *st = st_open();
	fm_fingerprint a = st_fp(9, 4);
	int has = -1;

	cr_assert_eq(fm_store_feed_has_items(st, "one", &has), 0);
	cr_expect_eq(has, 0);
	st_save_fp(st, "one", "first", 0, &a, 1000);
	cr_assert_eq(fm_store_feed_has_items(st, "one", &has), 0);
	cr_expect_eq(has, 1);
	cr_assert_eq(fm_store_feed_has_items(st, "two", &has), 0);
	cr_expect_eq(has, 0);
	fm_store_close(st);
}

Test(store, polling_floors_migrate_and_round_trip)
{
	static const char *const drop = ST_SCHEMA_V12
		"ALTER TABLE feeds DROP COLUMN poll_http; ALTER TABLE feeds DROP COLUMN poll_http_why;"
		"ALTER TABLE feeds DROP COLUMN poll_feed; ALTER TABLE feeds DROP COLUMN poll_feed_why;"
		"ALTER TABLE feeds DROP COLUMN skip_hours; ALTER TABLE feeds DROP COLUMN skip_days;"
		"ALTER TABLE feeds DROP COLUMN next_why; ALTER TABLE items DROP COLUMN title_html;"
		"PRAGMA user_version = 7;";
	fm_store *st = st_open();
	fm_feed_state fs = { 0 }, got;
	fm_time times[4];
	size_t n;
	sqlite3 *db;

	fs.name = "one";
	fs.url = "http://x.example/";
	fs.next_due = 1234;
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	fm_store_close(st);
	/* Back to a version 7 state: the columns were not there. */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, drop, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	cr_assert_eq(fm_store_feed_get(st, "one", &got), 0);
	cr_expect_eq(got.next_due, 1234, "the old row kept");
	cr_expect_eq(got.poll_http, 0);
	cr_expect_null(got.poll_feed_why);
	cr_expect_null(got.next_why);
	fm_feed_state_clear(&got);
	fs.poll_http = 3600;
	fs.poll_http_why = "Cache-Control max-age=3600";
	fs.poll_feed = 600;
	fs.poll_feed_why = "ttl 10m";
	fs.skip_hours = 1u << 23 | 1u;
	fs.skip_days = 1u << 6;
	fs.next_why = "skipHours";
	cr_assert_eq(fm_store_feed_put(st, &fs), 0);
	cr_assert_eq(fm_store_feed_get(st, "one", &got), 0);
	cr_expect_eq(got.poll_http, 3600);
	cr_expect_str_eq(got.poll_http_why, "Cache-Control max-age=3600");
	cr_expect_eq(got.poll_feed, 600);
	cr_expect_str_eq(got.poll_feed_why, "ttl 10m");
	cr_expect_eq(got.skip_hours, 1u << 23 | 1u);
	cr_expect_eq(got.skip_days, 1u << 6);
	cr_expect_str_eq(got.next_why, "skipHours");
	fm_feed_state_clear(&got);
	cr_assert_eq(fm_store_feed_item_times(st, "one", times, 4, &n), 0);
	cr_expect_eq(n, 0);
	fm_store_close(st);
}

/* What one member's title looked like: its plain text, its detail's value and type. */
struct title_seen {
	char title[64], value[128];
	fm_text_type type;
	int n;
};

/* Records the title of the one item walked. */
static int
title_member(void *ud, const fm_store_item *it)
{
	struct title_seen *t = ud;

	t->n++;
	snprintf(t->title, sizeof t->title, "%s", it->item.title ? it->item.title : "-");
	snprintf(t->value, sizeof t->value, "%s",
		 it->item.title_detail.value ? it->item.title_detail.value : "-");
	t->type = it->item.title_detail.type;
	return 0;
}

/* Reads back item row rowid's title. */
static struct title_seen
st_title_of(fm_store *st, int64_t rowid)
{
	struct title_seen t = { .n = 0 };

	cr_assert_eq(fm_store_item_get(st, rowid, title_member, &t), 0);
	cr_assert_eq(t.n, 1);
	return t;
}

Test(store, a_title_with_markup_keeps_its_html)
{
	fm_store *st = st_open();
	fm_item it = { .id = "g1", .title = "Bold & brave" };
	fm_store_ref ref;
	fm_store_put what;
	struct title_seen t;
	sqlite3 *db;

	it.title_detail.value = "<b>Bold</b> &amp; brave";
	it.title_detail.type = FM_TEXT_HTML;
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_save(st, "one", FM_IDENTITY_GUID, &it, NULL, 1000, &what, &ref), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(what, FM_STORE_NEW);
	t = st_title_of(st, ref.item);
	cr_expect_str_eq(t.title, "Bold & brave");
	cr_expect_str_eq(t.value, "<b>Bold</b> &amp; brave");
	cr_expect_eq(t.type, FM_TEXT_HTML);
	/* Seen again the same: unchanged. Its markup gone: changed, and read as text. */
	cr_expect_eq(st_put(st, "one", FM_IDENTITY_GUID, &it, 2000), FM_STORE_SAME);
	it.title_detail.value = "Bold &amp; brave";
	cr_expect_eq(st_put(st, "one", FM_IDENTITY_GUID, &it, 3000), FM_STORE_CHANGED);
	t = st_title_of(st, ref.item);
	cr_expect_str_eq(t.value, "Bold & brave");
	cr_expect_eq(t.type, FM_TEXT_PLAIN);
	/* A version 9 state had no title_html column: its items read as plain titles. */
	it.title_detail.value = "<i>x</i>";
	cr_expect_eq(st_put(st, "one", FM_IDENTITY_GUID, &it, 4000), FM_STORE_CHANGED);
	fm_store_close(st);
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, ST_SCHEMA_V12 "ALTER TABLE items DROP COLUMN title_html; PRAGMA user_version = 9;",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	t = st_title_of(st, ref.item);
	cr_expect_str_eq(t.value, "Bold & brave");
	cr_expect_eq(t.type, FM_TEXT_PLAIN);
	fm_store_close(st);
}

/* The SQL sqlite_schema holds for table name, read with a connection of its own ("" when none). */
static void
st_table_sql(const char *name, char *out, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	out[0] = '\0';
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
					-1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

Test(store, boiler_counts_move_to_a_rowid_table_and_are_updated_in_place)
{
	fm_store *st = st_open();
	fm_buf got = FM_BUF_INIT;
	sqlite3 *db;
	char sql[512];

	/* A version 10 state: the counts in a WITHOUT ROWID table. */
	fm_store_close(st);
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
				  ST_SCHEMA_V12 "DROP TABLE feed_boiler;"
				  "CREATE TABLE feed_boiler (feed TEXT PRIMARY KEY, counts BLOB NOT NULL) WITHOUT ROWID;"
				  "INSERT INTO feed_boiler VALUES ('one', x'0102030405'), ('two', x'0a0b');"
				  "PRAGMA user_version = 10;",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	st_table_sql("feed_boiler", sql, sizeof sql);
	cr_expect_neq(strstr(sql, "CREATE TABLE"), NULL, "%s", sql);
	cr_expect_eq(strstr(sql, "WITHOUT ROWID"), NULL, "still WITHOUT ROWID: %s", sql);
	/* The counts came along. */
	cr_assert_eq(fm_store_boiler_get(st, "one", &got), 0);
	cr_expect_eq(got.size, 5);
	cr_expect(got.size == 5 && !memcmp(got.ptr, "\x01\x02\x03\x04\x05", 5));
	fm_buf_clear(&got);
	/* A second put replaces the first, keeping the row (and its rowid). */
	cr_assert_eq(fm_store_boiler_put(st, "two", "\x07\x07\x07", 3), 0);
	cr_assert_eq(fm_store_boiler_get(st, "two", &got), 0);
	cr_expect(got.size == 3 && !memcmp(got.ptr, "\x07\x07\x07", 3));
	fm_buf_clear(&got);
	cr_assert_eq(fm_store_boiler_put(st, "new", "\x09", 1), 0);
	cr_assert_eq(fm_store_boiler_get(st, "new", &got), 0);
	cr_expect(got.size == 1 && got.ptr[0] == '\x09');
	fm_store_close(st);
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	{
		sqlite3_stmt *s;
		cr_assert_eq(sqlite3_prepare_v2(db, "SELECT group_concat(feed || '@' || rowid, ' ') FROM"
						" (SELECT feed, rowid FROM feed_boiler ORDER BY rowid)", -1, &s, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_expect_str_eq((const char *)sqlite3_column_text(s, 0), "one@1 two@2 new@3");
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	fm_buf_dispose(&got);
}

Test(store, cluster_uids_lose_their_unique_index_and_items_keep_their_clusters)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	sqlite3 *db;
	char sql[512], id[16];
	int i;

	it.title = "Story";
	it.content = "<p>Body</p>";
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "g%d", i);
		it.id = id;
		cr_assert_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 1000 + i), FM_STORE_NEW);
	}
	fm_store_close(st);
	/* A version 11 state: the uid column UNIQUE (the table as versions 1-11 made it). */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
				  ST_SCHEMA_V12 "CREATE TABLE c11 (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, updated INTEGER NOT NULL);"
				  "INSERT INTO c11 SELECT id, uid, updated FROM clusters;"
				  "DROP TABLE clusters;"
				  "ALTER TABLE c11 RENAME TO clusters;"
				  "CREATE INDEX clusters_updated ON clusters(updated, id);"
				  "PRAGMA user_version = 11;",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	cr_assert_eq(st_sql_int("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sqlite_autoindex_clusters%'"), 1);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	/* Every item still names an existing cluster, and the new table writes on. */
	it.id = "g9";
	cr_assert_eq(st_put(st, "f", FM_IDENTITY_GUID, &it, 2000), FM_STORE_NEW);
	fm_store_close(st);
	st_table_sql("clusters", sql, sizeof sql);
	cr_expect_eq(strstr(sql, "UNIQUE"), NULL, "still unique: %s", sql);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sqlite_autoindex_clusters%'"), 0);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM sqlite_schema WHERE name = 'clusters_updated'"), 1);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items"), 6);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE cluster NOT IN (SELECT id FROM clusters)"), 0);
	cr_expect_eq(st_sql_int("SELECT count(DISTINCT uid) FROM clusters"), st_sql_int("SELECT count(*) FROM clusters"));
	/* The foreign key still guards the new table: a missing cluster is refused. */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_expect_neq(sqlite3_exec(db, "PRAGMA foreign_keys = ON; UPDATE items SET cluster = 999999 WHERE rowid = 1;",
				   NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The uid a cluster founded by feed's item with key has: urn:feedmerge: and XXH3-64 of feed, its NUL and key. */
static void
st_uid_of(const char *feed, const char *key, char *out, size_t len)
{
	XXH3_state_t *h = XXH3_createState();

	cr_assert_not_null(h);
	XXH3_64bits_reset(h);
	XXH3_64bits_update(h, feed, strlen(feed) + 1);
	XXH3_64bits_update(h, key, strlen(key));
	snprintf(out, len, "urn:feedmerge:%016" PRIx64, (uint64_t)XXH3_64bits_digest(h));
	XXH3_freeState(h);
}

/* Puts the migration test's three items (feed a: g1; feed b: g2 and one without a guid) at time t; asserts each put says want. */
static void
put_three(fm_store *st, fm_time t, fm_store_put want)
{
	static const char *const guids[] = { "g1", "g2", NULL };
	fm_item it;
	int i;

	for (i = 0; i < 3; i++) {
		char link[64], title[16];

		memset(&it, 0, sizeof it);
		snprintf(link, sizeof link, "https://example.org/%d", i);
		snprintf(title, sizeof title, "Story %d", i);
		it.id = guids[i];
		it.link = link;
		it.title = title;
		cr_expect_eq(st_put(st, i ? "b" : "a", FM_IDENTITY_GUID, &it, t ? t : 1000 + i), want, "item %d", i);
	}
}

Test(store, items_are_found_by_their_key_hash_after_migrating_a_version_12_state)
{
	fm_store *st = st_open();
	struct walk before, after;
	char want[64];
	sqlite3 *db;
	int i;

	put_three(st, 0, FM_STORE_NEW);
	st_walk(st, &before);
	fm_store_close(st);
	/* The same items as schema 12 kept them: found by their key's text. */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, ST_SCHEMA_V12 "PRAGMA user_version = 12;", NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	cr_assert_eq(st_sql_int("SELECT count(*) FROM pragma_table_info('items') WHERE name = 'key'"), 1);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pragma_table_info('items') WHERE name IN ('key', 'norm_link')"), 0);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM sqlite_schema WHERE name IN"
				" ('items_cluster', 'items_first_seen', 'items_fingerprint_gone')"), 3);
	/* Seen again: known, in the clusters they had, under the same ids. */
	put_three(st, 2000, FM_STORE_SAME);
	st_walk(st, &after);
	cr_assert_eq(after.nclusters, before.nclusters);
	for (i = 0; i < after.nclusters; i++)
		cr_expect_str_eq(after.ids[i], before.ids[i]);
	/* An id is still the hash of the founding item's feed and key text. */
	st_uid_of("b", "l:https://example.org/2", want, sizeof want);
	for (i = 0; i < after.nclusters && strcmp(after.ids[i], want); i++)
		;
	cr_expect_lt(i, after.nclusters, "no cluster %s", want);
	fm_store_close(st);
}

/* Splits row off into a new cluster, after setting its keyhash to keyhash (0: left as stored); puts the cluster's uid in out and returns its id. */
static int64_t
st_split_uid(fm_store *st, int64_t row, int64_t keyhash, char *out, size_t len)
{
	int64_t rows[1] = { row }, fresh;
	sqlite3_stmt *s;
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	if (keyhash) {
		cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE items SET keyhash = ?1 WHERE id = ?2", -1, &s, NULL),
			     SQLITE_OK);
		sqlite3_bind_int64(s, 1, keyhash);
		sqlite3_bind_int64(s, 2, row);
		cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
	}
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_cluster_split(st, rows, 1, &fresh), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT uid FROM clusters WHERE id = ?1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, fresh);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return fresh;
}

Test(store, a_split_of_an_item_whose_key_no_rule_makes_is_named_after_its_hash)
{
	fm_store *st = st_open();
	fm_store_ref ref;
	fm_store_put what;
	fm_item it;
	char want[64], got[64], hex[32];
	const int64_t old = (int64_t)0x0123456789abcdefULL;

	memset(&it, 0, sizeof it);
	it.id = "guid-1";
	it.link = "https://example.org/1";
	it.title = "Story";
	it.published = 500;
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_save(st, "f", FM_IDENTITY_GUID, &it, NULL, 1000, &what, &ref), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	/* A key an older rule made: none of today's rules gives its hash back. */
	st_split_uid(st, ref.item, old, got, sizeof got);
	snprintf(hex, sizeof hex, "h:%016" PRIx64, (uint64_t)old);
	st_uid_of("f", hex, want, sizeof want);
	cr_expect_str_eq(got, want);
	fm_store_close(st);
}

Test(store, a_split_names_its_cluster_after_the_first_items_key_text)
{
	static const fm_config_identity idn[] = { FM_IDENTITY_GUID, FM_IDENTITY_LINK,
						  FM_IDENTITY_TITLE_DATE, FM_IDENTITY_LINK };
	static const char *const keys[] = { "g:id0", "l:https://example.org/1", "t:500:Story 2",
					     "l:id3" };
	fm_store *st = st_open();
	fm_store_ref ref;
	fm_store_put what;
	fm_item it;
	char want[64], got[64];
	int i;

	for (i = 0; i < 4; i++) {
		char id[16], link[64], title[16];

		memset(&it, 0, sizeof it);
		snprintf(id, sizeof id, "id%d", i);
		snprintf(link, sizeof link, "https://example.org/%d", i);
		snprintf(title, sizeof title, "Story %d", i);
		it.id = id;
		it.link = i == 3 ? NULL : link; /* link identity without a link: the id stands in */
		it.title = title;
		it.published = 500;
		cr_assert_eq(fm_store_begin(st), 0);
		cr_assert_eq(fm_store_item_save(st, "f", idn[i], &it, NULL, 1000, &what, &ref), 0);
		cr_assert_eq(what, FM_STORE_NEW);
		cr_assert_eq(fm_store_commit(st), 0);
		cr_assert_neq(st_split_uid(st, ref.item, 0, got, sizeof got), ref.cluster);
		/* The same id as the cluster the item founded: both hash feed and key text. */
		st_uid_of("f", keys[i], want, sizeof want);
		cr_expect_str_eq(got, want, "item %d", i);
	}
	fm_store_close(st);
}
