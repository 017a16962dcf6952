/* clusters.c - reading clusters and their members back for the writers. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

int
fm_store_clusters(fm_store *st, fm_time since,
		  int (*cb)(void *ud, const fm_store_cluster *c), void *ud)
{
	sqlite3_stmt *s;
	fm_store_cluster c;
	int rc, ret = 0;

	/* Its own statement: a callback may read members while this one steps. */
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, uid, updated FROM clusters WHERE updated >= ?1"
			       " ORDER BY updated DESC, id DESC", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c.rowid = sqlite3_column_int64(s, 0);
		c.id = store__col_str(s, 1);
		c.updated = sqlite3_column_int64(s, 2);
		if ((ret = cb(ud, &c)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = FM_EIO;
	sqlite3_finalize(s);
	return ret;
}

/* Lists split from a stored column: the strings point into one copy. */
struct member_lists {
	char *cat_copy, *enc_copy;
	const char **cats;
	fm_enclosure *encs;
	size_t ncats, nencs;
};

/* Counts the '\n'-terminated (or final) lines of s. */
static size_t
count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		if (*s == '\n' && s[1])
			n++;
	return n;
}

/* Splits "a\nb\nc" into cats; returns 0 or FM_ENOMEM. */
static int
split_categories(struct member_lists *l, const char *col)
{
	char *p, *nl;

	if (!col || !*col)
		return 0;
	if (!(l->cat_copy = strdup(col)) ||
	    !(l->cats = calloc(count_lines(col), sizeof *l->cats)))
		return FM_ENOMEM;
	for (p = l->cat_copy; p; p = nl) {
		if ((nl = strchr(p, '\n')))
			*nl++ = '\0';
		if (*p)
			l->cats[l->ncats++] = p;
	}
	return 0;
}

/* Splits "url\ttype\tlength\n..." into encs (empty fields become NULL). */
static int
split_enclosures(struct member_lists *l, const char *col)
{
	char *p, *nl, *f[3];
	int i;

	if (!col || !*col)
		return 0;
	if (!(l->enc_copy = strdup(col)) ||
	    !(l->encs = calloc(count_lines(col), sizeof *l->encs)))
		return FM_ENOMEM;
	for (p = l->enc_copy; p && *p; p = nl) {
		if ((nl = strchr(p, '\n')))
			*nl++ = '\0';
		for (i = 0; i < 3; i++) {
			f[i] = p;
			if (p && (p = strchr(p, '\t')))
				*p++ = '\0';
		}
		if (!f[0] || !*f[0])
			continue;
		l->encs[l->nencs].url = f[0];
		l->encs[l->nencs].type = f[1] && *f[1] ? f[1] : NULL;
		l->encs[l->nencs].length = f[2] && *f[2] ? f[2] : NULL;
		l->nencs++;
	}
	return 0;
}

/* Frees the lists. */
static void
lists_dispose(struct member_lists *l)
{
	free(l->cat_copy);
	free(l->enc_copy);
	free(l->cats);
	free(l->encs);
}

/* Fills it from a STMT_MEMBER_EACH row; the lists own the split columns. */
static int
member_from_row(sqlite3_stmt *s, fm_store_item *it, struct member_lists *l)
{
	int rc;

	memset(it, 0, sizeof *it);
	it->rowid = sqlite3_column_int64(s, 0);
	it->item.feed = store__col_str(s, 1);
	it->item.id = store__col_str(s, 2);
	it->item.link = store__col_str(s, 3);
	it->item.title = store__col_str(s, 4);
	it->item.author.name = store__col_str(s, 5);
	it->item.author.email = store__col_str(s, 6);
	it->item.author.uri = store__col_str(s, 7);
	it->item.summary = store__col_str(s, 8);
	it->item.content = store__col_str(s, 9);
	if ((rc = split_categories(l, store__col_str(s, 10))) ||
	    (rc = split_enclosures(l, store__col_str(s, 11))))
		return rc;
	it->item.categories = l->cats;
	it->item.ncategories = l->ncats;
	it->item.enclosures = l->encs;
	it->item.nenclosures = l->nencs;
	it->item.published = sqlite3_column_int64(s, 12);
	it->item.updated = sqlite3_column_int64(s, 13);
	it->first_seen = sqlite3_column_int64(s, 14);
	/* The title's HTML when the feed's had markup (schema 10), else the plain title. */
	if ((it->item.title_detail.value = store__col_str(s, 15)))
		it->item.title_detail.type = FM_TEXT_HTML;
	else
		it->item.title_detail.value = it->item.title;
	return 0;
}

int
fm_store_cluster_members(fm_store *st, int64_t rowid,
			 int (*cb)(void *ud, const fm_store_item *it), void *ud)
{
	sqlite3_stmt *s = store__stmt(st, STMT_MEMBER_EACH);
	fm_store_item it;
	int rc, ret = 0;

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, rowid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct member_lists l = { 0 };

		ret = member_from_row(s, &it, &l);
		if (!ret)
			ret = cb(ud, &it);
		lists_dispose(&l);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = FM_EIO;
	sqlite3_reset(s);
	return ret;
}

int
fm_store_item_get(fm_store *st, int64_t rowid, int (*cb)(void *ud, const fm_store_item *it), void *ud)
{
	sqlite3_stmt *s = store__stmt(st, STMT_ITEM_GET);
	struct member_lists l = { 0 };
	fm_store_item it;
	int rc, ret;

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, rowid);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? FM_EINVAL : FM_EIO;
	}
	ret = member_from_row(s, &it, &l);
	if (!ret)
		ret = cb(ud, &it);
	lists_dispose(&l);
	sqlite3_reset(s);
	return ret;
}

int
fm_store_cluster_split(fm_store *st, const int64_t *items, size_t n, int64_t *cluster)
{
	fm_buf key = FM_BUF_INIT;
	sqlite3_stmt *s;
	int64_t old = 0;
	size_t i;
	int rc;

	*cluster = 0;
	if (!n)
		return FM_EINVAL;
	/* The new cluster is named after its first item, as if that item had founded it. */
	if (sqlite3_prepare_v2(st->db, "SELECT feed, keyhash, cluster, guid, link, published, title"
			       " FROM items WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, items[0]);
	rc = FM_EIO;
	if (sqlite3_step(s) == SQLITE_ROW) {
		old = sqlite3_column_int64(s, 2);
		rc = store__key_recover(&key, sqlite3_column_int64(s, 1), store__col_str(s, 3),
					store__col_str(s, 4), sqlite3_column_int64(s, 5),
					store__col_str(s, 6));
		if (!rc)
			rc = store__cluster_found(st, store__col_str(s, 0), key.ptr, key.size, 0, cluster);
	}
	sqlite3_finalize(s);
	fm_buf_dispose(&key);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(st->db, "UPDATE items SET cluster = ?1 WHERE id = ?2", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	for (i = 0; i < n && !rc; i++) {
		sqlite3_bind_int64(s, 1, *cluster);
		sqlite3_bind_int64(s, 2, items[i]);
		rc = sqlite3_step(s) == SQLITE_DONE ? 0 : FM_EIO;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	/* Both parts' story times follow their members now. */
	if (!rc)
		rc = store__cluster_retime(st, *cluster);
	if (!rc && old)
		rc = store__cluster_retime(st, old);
	return rc;
}
