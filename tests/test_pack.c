/* test_pack.c - items' text packed in the state: round trips, change detection, corrupt values, migration. */
#include "feedmerge/store.h"
#include "statedir.h"
#include "store/pack.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(pack, .init = st_setup, .fini = st_teardown);

/* Writes item i's text (HTML of words from a small vocabulary, as feeds repeat theirs) into b (size n). */
static void
pk_text(char *b, size_t n, unsigned i, unsigned salt, unsigned words)
{
	static const char *const vocab[] = {
		"harbour", "council", "budget", "vote", "storm", "ferry", "school", "strike",
		"museum", "rail", "market", "election", "bridge", "festival", "court", "hospital",
		"water", "energy", "port", "the", "a", "of", "and", "to", "in", "is", "was", "for",
	};
	unsigned x = i * 2654435761u + salt * 40503u + 1, w;
	size_t len;

	len = (size_t)snprintf(b, n, "<p>Item %u: ", i);
	for (w = 0; w < words && len + 40 < n; w++) {
		x = x * 1103515245u + 12345u;
		len += (size_t)snprintf(b + len, n - len, "%s%s", vocab[(x >> 16) % (sizeof vocab / sizeof vocab[0])],
					w % 12 == 11 ? ".</p>\n<p>" : " ");
	}
	snprintf(b + len, n - len, "end.</p>");
}

/* Fills it as item i of a feed, its text in the two buffers. */
static void
pk_item(fm_item *it, char *id, char *summary, char *content, unsigned i, unsigned rev)
{
	memset(it, 0, sizeof *it);
	snprintf(id, 32, "guid-%u", i);
	it->id = id;
	it->title = "A headline";
	it->link = "https://example.org/a";
	pk_text(summary, 512, i, 1000 + rev, 30);
	pk_text(content, 4096, i, rev, 300);
	it->summary = summary;
	it->content = content;
	it->published = 100 + i;
}

/* Puts item i (revision rev) into feed f; returns what happened. */
static fm_store_put
pk_put(fm_store *st, unsigned i, unsigned rev)
{
	char id[32], summary[512], content[4096];
	fm_store_put what = (fm_store_put)-1;
	fm_item it;

	pk_item(&it, id, summary, content, i, rev);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 1000 + i, &what), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	return what;
}

/* What pk_check compares an item against. */
struct pk_want {
	const char *summary, *content;
	int seen;
};

/* Compares the stored item with the wanted text. */
static int
pk_cmp(void *ud, const fm_store_item *it)
{
	struct pk_want *w = ud;

	w->seen = 1;
	cr_expect_str_eq(it->item.summary, w->summary);
	cr_expect_str_eq(it->item.content, w->content);
	return 0;
}

/* Checks that row holds item i's text of revision rev. */
static void
pk_check(fm_store *st, int64_t row, unsigned i, unsigned rev)
{
	char id[32], summary[512], content[4096];
	struct pk_want w = { summary, content, 0 };
	fm_item it;

	pk_item(&it, id, summary, content, i, rev);
	cr_assert_eq(fm_store_item_get(st, row, pk_cmp, &w), 0);
	cr_expect(w.seen);
}

/* Runs SQL on the state with a connection of its own. */
static void
pk_sql(const char *sql)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

Test(pack, text_round_trips_before_and_after_a_dictionary)
{
	fm_store *st = st_open();
	unsigned i, n = STORE_PACK_TRAIN / 2 + 40;

	/* Enough items for a dictionary to be trained on the way (two values each). */
	for (i = 1; i <= n; i++)
		cr_assert_eq(pk_put(st, i, 0), FM_STORE_NEW);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1);
	/* The first items went without a dictionary, the last ones name it. */
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0100' FROM items WHERE id = 1"), 1);
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0101' FROM items ORDER BY id DESC LIMIT 1"), 1);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE typeof(content) != 'blob'"
				" OR typeof(summary) != 'blob'"), 0);
	/* Packed with the dictionary, smaller than without. */
	cr_expect_lt(st_sql_int("SELECT length(content) FROM items ORDER BY id DESC LIMIT 1"),
		     st_sql_int("SELECT length(content) FROM items WHERE id = 1"));
	for (i = 1; i <= n; i += 37)
		pk_check(st, i, i, 0);
	pk_check(st, n, n, 0);
	fm_store_close(st);
	/* A new handle reads the dictionary back from the state. */
	st = st_open();
	pk_check(st, n, n, 0);
	pk_check(st, 1, 1, 0);
	fm_store_close(st);
}

/* Puts item i as new with its text packed by a packer (another thread's, here this one) first. */
static void
pk_put_packed(fm_store *st, fm_store_packer *pk, unsigned i)
{
	char id[32], summary[512], content[4096];
	fm_store_packed packed;
	fm_store_put what = (fm_store_put)-1;
	fm_item it;

	memset(&packed, 0, sizeof packed);
	pk_item(&it, id, summary, content, i, 0);
	cr_assert_eq(fm_store_pack_item(&packed, pk, fm_store_packdict_current(st), &it), 0);
	cr_assert(packed.ready);
	cr_assert_gt(packed.content.size, 0, "a long text is packed");
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_save_packed(st, "f", FM_IDENTITY_GUID, &it, &packed, NULL, 1000 + i,
					       &what, NULL), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(what, FM_STORE_NEW);
	fm_store_packed_dispose(&packed);
}

Test(pack, text_packed_off_the_store_round_trips_and_trains_a_dictionary)
{
	fm_store *st = st_open();
	fm_store_packer *pk;
	unsigned i, n = STORE_PACK_TRAIN / 2 + 40;

	cr_assert_eq(fm_store_packer_new(&pk), 0);
	cr_expect_null(fm_store_packdict_current(st), "no dictionary before one is trained");
	/* Packed without a dictionary, they count towards training one as the store's own do. */
	for (i = 1; i <= n; i++)
		pk_put_packed(st, pk, i);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1);
	cr_expect_not_null(fm_store_packdict_current(st), "the trained one, once saved");
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0100' FROM items WHERE id = 1"), 1);
	/* After it, the packer's values name it. */
	pk_put_packed(st, pk, n + 1);
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0101' FROM items ORDER BY id DESC LIMIT 1"), 1);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE typeof(content) != 'blob'"), 0);
	pk_check(st, 1, 1, 0);
	pk_check(st, n + 1, n + 1, 0);
	/* The same text put again is no change, however it was packed. */
	cr_expect_eq(pk_put(st, n + 1, 0), FM_STORE_SAME);
	cr_expect_eq(pk_put(st, 1, 0), FM_STORE_SAME);
	fm_store_packer_free(pk);
	fm_store_close(st);
	/* A new handle shows the saved dictionary to packers at once. */
	st = st_open();
	cr_expect_not_null(fm_store_packdict_current(st));
	pk_check(st, n + 1, n + 1, 0);
	fm_store_close(st);
}

Test(pack, unchanged_text_is_not_a_change_and_changed_text_is)
{
	fm_store *st = st_open();
	unsigned i, n = STORE_PACK_TRAIN / 2 + 40;

	for (i = 1; i <= n; i++)
		pk_put(st, i, 0);
	/* Packed without a dictionary (item 1) or with one (item n): the same text is the same. */
	cr_expect_eq(pk_put(st, 1, 0), FM_STORE_SAME);
	cr_expect_eq(pk_put(st, n, 0), FM_STORE_SAME);
	cr_expect_eq(pk_put(st, 1, 1), FM_STORE_CHANGED);
	cr_expect_eq(pk_put(st, n, 1), FM_STORE_CHANGED);
	pk_check(st, 1, 1, 1);
	pk_check(st, n, n, 1);
	cr_expect_eq(pk_put(st, 1, 1), FM_STORE_SAME);
	cr_expect_eq(pk_put(st, n, 1), FM_STORE_SAME);
	fm_store_close(st);
}

Test(pack, short_text_stays_plain)
{
	fm_store *st = st_open();
	fm_item it = { 0 };
	fm_store_put what;

	it.id = "g";
	it.summary = "short";
	it.content = "<p>Short too.</p>";
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 10, &what), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(st_sql_int("SELECT typeof(content) = 'text' AND content = '<p>Short too.</p>' FROM items"), 1);
	cr_assert_eq(fm_store_begin(st), 0);
	cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 20, &what), 0);
	cr_assert_eq(fm_store_commit(st), 0);
	cr_expect_eq(what, FM_STORE_SAME);
	fm_store_close(st);
}

/* Counts calls. */
static int
pk_count(void *ud, const fm_store_item *it)
{
	(*(int *)ud)++;
	return 0;
}

Test(pack, corrupt_values_are_errors_that_say_what_is_wrong)
{
	static const struct {
		const char *blob; /* hex */
		const char *why;  /* a part of the message */
	} bad[] = {
		{ "01", "too short" },
		{ "0700112233", "unknown format 7" },
		{ "01ffffffffff00", "malformed dictionary id" },
		{ "0107" "28b52ffd2000", "dictionary 7" },
		{ "0100" "0011223344556677", "not a zstd frame" },
		/* a frame that claims 2^40 bytes */
		{ "0100" "28b52ffd" "c0" "000000000001000000", "more than a value may hold" },
	};
	fm_store *st = st_open();
	fm_buf out = FM_BUF_INIT, packed = FM_BUF_INIT;
	char why[200], sql[256], content[4096];
	unsigned char raw[64];
	size_t i, j, n;
	int calls;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = strlen(bad[i].blob) / 2;
		for (j = 0; j < n; j++)
			sscanf(bad[i].blob + 2 * j, "%2hhx", &raw[j]);
		why[0] = '\0';
		cr_expect_eq(store__unpack(st, raw, n, &out, why, sizeof why), FM_EINVAL, "%s", bad[i].blob);
		cr_expect_not_null(strstr(why, bad[i].why), "%s: %s", bad[i].blob, why);
	}
	/* Every truncation of a good value is an error, never a crash or a wrong text. */
	pk_text(content, sizeof content, 3, 0, 300);
	cr_assert_eq(store__pack(st, content, strlen(content), &packed), 1);
	cr_assert_eq(store__unpack(st, packed.ptr, packed.size, &out, why, sizeof why), 0, "%s", why);
	cr_expect_str_eq(out.ptr, content);
	for (n = 0; n < packed.size; n++)
		cr_expect_eq(store__unpack(st, packed.ptr, n, &out, NULL, 0), FM_EINVAL, "cut at %zu", n);
	/* A flipped byte in the frame's data: an error (or the text of another length, caught too). */
	packed.ptr[packed.size / 2] ^= 0x5a;
	if (store__unpack(st, packed.ptr, packed.size, &out, NULL, 0) == 0)
		cr_expect_str_neq(out.ptr, content);
	fm_buf_dispose(&out);
	fm_buf_dispose(&packed);

	/* In the state: reading the item fails with FM_EIO, the message naming the state. */
	pk_put(st, 1, 0);
	snprintf(sql, sizeof sql, "UPDATE items SET content = x'0100001122334455' WHERE id = 1");
	pk_sql(sql);
	calls = 0;
	cr_expect_eq(fm_store_item_get(st, 1, pk_count, &calls), FM_EIO);
	cr_expect_eq(calls, 0);
	fm_store_close(st);
}

/* A version 8 state as feedmerge left it before packing: items' text as TEXT, 4 KB pages. */
static void
pk_make_v8(unsigned n)
{
	char id[32], summary[512], content[4096];
	sqlite3 *db;
	sqlite3_stmt *s;
	fm_store *st;
	fm_item it;
	unsigned i;

	/* The page size SQLite gave every state before 16 KB ones (a file with content keeps its own). */
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA page_size = 4096; CREATE TABLE pk_old (x); DROP TABLE pk_old",
				  NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	st = st_open();
	fm_store_close(st);
	cr_expect_eq(st_sql_int("SELECT page_size FROM pragma_page_size"), 4096);
	cr_assert_eq(sqlite3_open(st_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, ST_SCHEMA_V12 "DROP TABLE pack_dicts; ALTER TABLE items DROP COLUMN title_html;"
				  " PRAGMA user_version = 8; BEGIN", NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO clusters (id, uid, updated) VALUES (?1, 'urn:feedmerge:' || ?1, 0)",
					-1, &s, NULL), SQLITE_OK);
	for (i = 1; i <= n; i++) {
		sqlite3_bind_int(s, 1, (int)i);
		cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO items (id, feed, key, guid, link, title, summary, content,"
					" published, first_seen, last_seen, cluster)"
					" VALUES (?1, 'f', 'g:' || ?2, ?2, ?3, ?4, ?5, ?6, ?7, 1000, 1000, ?1)",
					-1, &s, NULL), SQLITE_OK);
	for (i = 1; i <= n; i++) {
		pk_item(&it, id, summary, content, i, 0);
		sqlite3_bind_int(s, 1, (int)i);
		sqlite3_bind_text(s, 2, it.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, it.link, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, it.title, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, it.summary, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, it.content, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, it.published);
		cr_assert_eq(sqlite3_step(s), SQLITE_DONE, "%s", sqlite3_errmsg(db));
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

Test(pack, a_version_8_state_migrates_and_its_items_stay_the_same)
{
	fm_store *st;
	unsigned i, n = 300;
	long long before;

	pk_make_v8(n);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE typeof(content) = 'text'"), n);
	before = st_sql_int("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1);
	/* Every stored text packed with the dictionary trained from it. */
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE hex(substr(content, 1, 2)) = '0101'"
				" AND hex(substr(summary, 1, 2)) = '0101'"), n);
	for (i = 1; i <= n; i += 29)
		pk_check(st, i, i, 0);
	/* The first pass after the migration: nothing it sees again has changed. */
	for (i = 1; i <= n; i += 7)
		cr_expect_eq(pk_put(st, i, 0), FM_STORE_SAME, "item %u", i);
	cr_expect_eq(pk_put(st, 2, 1), FM_STORE_CHANGED);
	pk_check(st, 2, 2, 1);
	fm_store_close(st);
	/* Vacuumed after packing: the file gave back the pages the text freed. */
	cr_expect_lt(st_sql_int("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"),
		     before / 2, "before %lld", before);
}

Test(pack, a_small_version_8_state_migrates_without_a_dictionary)
{
	fm_store *st;

	pk_make_v8(3);
	st = st_open();
	cr_expect_eq(fm_store_schema_version(st), 13);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 0);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM items WHERE hex(substr(content, 1, 2)) = '0100'"), 3);
	pk_check(st, 3, 3, 0);
	cr_expect_eq(pk_put(st, 3, 0), FM_STORE_SAME);
	fm_store_close(st);
}

/* The kinds of items pk_put_many puts. */
enum { PK_LONG, PK_SHORT, PK_OTHER };

/* Writes item i's text in another made-up language (words of syllables its vocabulary lacks) into b (size n). */
static void
pk_text_other(char *b, size_t n, unsigned i, unsigned words)
{
	static const char *const syl[] = { "kra", "vol", "zin", "mup", "tesh", "oro", "qua", "bly" };
	unsigned x = i * 2246822519u + 7, w, k;
	size_t len;

	len = (size_t)snprintf(b, n, "<div>Nummer %u: ", i);
	for (w = 0; w < words && len + 40 < n; w++) {
		for (k = 0; k < 2 + w % 2; k++) {
			x = x * 1103515245u + 12345u;
			len += (size_t)snprintf(b + len, n - len, "%s", syl[(x >> 16) % 8]);
		}
		len += (size_t)snprintf(b + len, n - len, "%s", w % 9 == 8 ? "!</div>\n<div>" : " ");
	}
	snprintf(b + len, n - len, "fin.</div>");
}

/* Fills it as item i: pk_item's (short: a tenth of its content), or in the other language. */
static void
pk_item_kind(fm_item *it, char *id, char *summary, char *content, unsigned i, int kind)
{
	pk_item(it, id, summary, content, i, 0);
	if (kind == PK_SHORT)
		pk_text(content, 4096, i, 0, 30);
	if (kind == PK_OTHER) {
		pk_text_other(summary, 512, i, 30);
		pk_text_other(content, 4096, i + 1000000, 250);
	}
}

/* Puts items from .. to (inclusive) into feed f in one batch, of a kind (PK_...). */
static void
pk_put_many(fm_store *st, unsigned from, unsigned to, int kind)
{
	char id[32], summary[512], content[4096];
	fm_store_put what;
	fm_item it;
	unsigned i;

	cr_assert_eq(fm_store_batch_begin(st), 0);
	for (i = from; i <= to; i++) {
		pk_item_kind(&it, id, summary, content, i, kind);
		cr_assert_eq(fm_store_begin(st), 0);
		cr_assert_eq(fm_store_item_put(st, "f", FM_IDENTITY_GUID, &it, 1000 + i, &what), 0);
		cr_assert_eq(fm_store_commit(st), 0);
		cr_assert_eq(what, FM_STORE_NEW);
	}
	cr_assert_eq(fm_store_batch_end(st), 0);
}

/* Checks that row i holds item i of a kind (PK_...). */
static void
pk_check_kind(fm_store *st, unsigned i, int kind)
{
	char id[32], summary[512], content[4096];
	struct pk_want w = { summary, content, 0 };
	fm_item it;

	pk_item_kind(&it, id, summary, content, i, kind);
	cr_assert_eq(fm_store_item_get(st, i, pk_cmp, &w), 0);
	cr_expect(w.seen, "item %u", i);
}

Test(pack, a_dictionary_grows_once_and_is_retrained_when_the_text_moves_away_from_it)
{
	fm_store *st = st_open();
	unsigned n0 = STORE_PACK_TRAIN / 2 + 40, n1 = 4000, n2 = 26000, i;

	/* The first dictionary comes from short texts: less than a full one wants. */
	pk_put_many(st, 1, n0, PK_SHORT);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1);
	cr_expect_lt(st_sql_int("SELECT length(dict) FROM pack_dicts WHERE id = 1"), 256 * 1024);
	/* Once enough text was packed with it, a full one is trained from the newest items. */
	pk_put_many(st, n0 + 1, n1, PK_LONG);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 2);
	cr_expect_eq(st_sql_int("SELECT length(dict) FROM pack_dicts WHERE id = 2"), 256 * 1024);
	/* Grown once: more of the same text makes no other. */
	pk_put_many(st, n1 + 1, 2 * n1, PK_LONG);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 2);
	/* The feeds write in another language: a dictionary of it is trained, the old ones stay for reading. */
	pk_put_many(st, 2 * n1 + 1, n2, PK_OTHER);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 3);
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0103' FROM items ORDER BY id DESC LIMIT 1"), 1);
	for (i = 1; i <= n2; i += 331)
		pk_check_kind(st, i, i <= n0 ? PK_SHORT : i <= 2 * n1 ? PK_LONG : PK_OTHER);
	fm_store_close(st);
}

Test(pack, a_later_pass_too_small_to_notice_on_its_own_retrains_from_the_stored_items)
{
	fm_store *st = st_open();

	/* One pass: a full dictionary, and its ratio measured on the text after it. */
	pk_put_many(st, 1, 3100, PK_LONG);
	fm_store_close(st);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1);
	cr_expect_eq(st_sql_int("SELECT ratio > 1 AND made_item > 0 FROM pack_dicts WHERE id = 1"), 1);
	/* As if it had been made long ago (the gap between dictionaries is 40,000 values). */
	pk_sql("UPDATE pack_dicts SET made_item = made_item - 30000");
	/* Passes of a few hundred items in another language: each too small for two windows. */
	st = st_open();
	pk_put_many(st, 3101, 3300, PK_OTHER);
	fm_store_close(st);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1, "the newest items still mostly of the old text");
	st = st_open();
	pk_put_many(st, 3301, 5200, PK_OTHER);
	fm_store_close(st);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 1, "one window low in a pass is not two");
	/* The next pass reads how the newest items packed, and trains before its first feed. */
	st = st_open();
	pk_put_many(st, 5201, 5201, PK_OTHER);
	fm_store_close(st);
	cr_expect_eq(st_sql_int("SELECT count(*) FROM pack_dicts"), 2);
	cr_expect_eq(st_sql_int("SELECT hex(substr(content, 1, 2)) = '0102' FROM items ORDER BY id DESC LIMIT 1"), 1);
	st = st_open();
	pk_check_kind(st, 5201, PK_OTHER);
	pk_check_kind(st, 3000, PK_LONG);
	fm_store_close(st);
}
