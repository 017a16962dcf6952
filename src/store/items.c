/* items.c - items kept across fetches, folded into clusters. */
#include "store/store_int.h"
#include "store/pack.h"
#include "feedmerge/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* An item's columns as stored: strings borrowed or owned by the bufs. */
struct item_row {
	fm_buf key;
	fm_buf categories;
	fm_buf enclosures;
};

/* Appends s with '\t' and '\n' turned into spaces (they separate stored lists). */
static int
row_put_field(fm_buf *b, const char *s)
{
	size_t start = b->size, i;
	int rc;

	if (!s)
		return 0;
	if ((rc = fm_buf_puts(b, s)))
		return rc;
	for (i = start; i < b->size; i++)
		if (b->ptr[i] == '\t' || b->ptr[i] == '\n')
			b->ptr[i] = ' ';
	return 0;
}

/* Builds the recognition key of item under the identity policy. */
static int
row_key(fm_buf *key, fm_config_identity identity, const fm_item *item)
{
	const char *id = item->id && *item->id ? item->id : NULL;
	const char *link = item->link && *item->link ? item->link : NULL;

	switch (identity) {
	case FM_IDENTITY_LINK:
		if (link || id)
			return fm_buf_printf(key, "l:%s", link ? link : id);
		break;
	case FM_IDENTITY_TITLE_DATE:
		break;
	case FM_IDENTITY_GUID:
	default:
		if (id || link)
			return fm_buf_printf(key, "%c:%s", id ? 'g' : 'l', id ? id : link);
		break;
	}
	return fm_buf_printf(key, "t:%" PRId64 ":%s", item->published,
			     item->title ? item->title : "");
}

/* Fills row from item; returns 0 or FM_ENOMEM. */
static int
row_build(struct item_row *row, fm_config_identity identity, const fm_item *item)
{
	size_t i;
	int rc;

	if ((rc = row_key(&row->key, identity, item)))
		return rc;
	for (i = 0; i < item->ncategories && !rc; i++) {
		if (i)
			rc = fm_buf_putc(&row->categories, '\n');
		if (!rc)
			rc = row_put_field(&row->categories, item->categories[i]);
	}
	for (i = 0; i < item->nenclosures && !rc; i++) {
		const fm_enclosure *e = &item->enclosures[i];

		if ((rc = row_put_field(&row->enclosures, e->url)) ||
		    (rc = fm_buf_putc(&row->enclosures, '\t')) ||
		    (rc = row_put_field(&row->enclosures, e->type)) ||
		    (rc = fm_buf_putc(&row->enclosures, '\t')) ||
		    (rc = row_put_field(&row->enclosures, e->length)))
			break;
		rc = fm_buf_putc(&row->enclosures, '\n');
	}
	return rc;
}

/* Frees what row owns. */
static void
row_dispose(struct item_row *row)
{
	fm_buf_dispose(&row->key);
	fm_buf_dispose(&row->categories);
	fm_buf_dispose(&row->enclosures);
}

/* An item's story time as its cluster counts it (STORE_CLUSTER_TIME): published, else updated, else now; never past now. */
static fm_time
item_time(const fm_item *item, fm_time now)
{
	fm_time t = item->published > 0 ? item->published : item->updated > 0 ? item->updated : now;

	return t < now ? t : now;
}

/* Binds the content columns ?2..?13 shared by STMT_ITEM_UPDATE and the insert's ?3..?14. */
static void
bind_content(sqlite3_stmt *s, int first, const fm_item *item, const struct item_row *row)
{
	store__bind_str(s, first, item->id);
	store__bind_str(s, first + 1, item->link);
	store__bind_str(s, first + 2, item->title);
	store__bind_str(s, first + 3, item->author.name);
	store__bind_str(s, first + 4, item->author.email);
	store__bind_str(s, first + 5, item->author.uri);
	store__bind_str(s, first + 6, item->summary);
	store__bind_str(s, first + 7, item->content);
	store__bind_str(s, first + 8, row->categories.size ? row->categories.ptr : NULL);
	store__bind_str(s, first + 9, row->enclosures.size ? row->enclosures.ptr : NULL);
	sqlite3_bind_int64(s, first + 10, item->published);
	sqlite3_bind_int64(s, first + 11, item->updated);
}

int
store__cluster_retime(fm_store *st, int64_t cluster)
{
	sqlite3_stmt *s = store__stmt(st, STMT_CLUSTER_RETIME);

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, cluster);
	return store__step_done(s);
}

int64_t
store__keyhash(const char *key, size_t len)
{
	/* A collision inside one feed needs about 2^32 of its items: accepted (see store_int.h). */
	return (int64_t)XXH3_64bits(key, len);
}

int
store__key_recover(fm_buf *key, int64_t keyhash, const char *guid, const char *link,
		   int64_t published, const char *title)
{
	/* The key row_key made, under one of the identity policies, of the fields the row keeps. */
	static const fm_config_identity policies[] = {
		FM_IDENTITY_GUID, FM_IDENTITY_LINK, FM_IDENTITY_TITLE_DATE
	};
	fm_item item;
	size_t i;
	int rc;

	memset(&item, 0, sizeof item);
	item.id = guid;
	item.link = link;
	item.published = published;
	item.title = title;
	for (i = 0; i < sizeof policies / sizeof policies[0]; i++) {
		fm_buf_clear(key);
		if ((rc = row_key(key, policies[i], &item)))
			return rc;
		if (store__keyhash(key->ptr, key->size) == keyhash)
			return 0;
	}
	/* None matches (a key of an older rule): the hash stands for it. */
	fm_buf_clear(key);
	return fm_buf_printf(key, "h:%016" PRIx64, (uint64_t)keyhash);
}

/*
 * Founds a cluster for the item of feed with key; its public id hashes
 * feed and key, so rebuilding a state from the same feeds gives the same
 * ids. Ids are not checked for uniqueness (schema 12): two of 64 bits
 * colliding is all but impossible, and the index that caught it cost a
 * random page write per new item.
 */
int
store__cluster_found(fm_store *st, const char *feed, const char *key, size_t keylen,
		     fm_time t, int64_t *out)
{
	sqlite3_stmt *s = store__stmt(st, STMT_CLUSTER_INSERT);
	XXH3_state_t *h;
	char uid[64];
	uint64_t hash;

	if (!s || !(h = XXH3_createState()))
		return s ? FM_ENOMEM : FM_EIO;
	XXH3_64bits_reset(h);
	XXH3_64bits_update(h, feed, strlen(feed) + 1);
	XXH3_64bits_update(h, key, keylen);
	hash = XXH3_64bits_digest(h);
	XXH3_freeState(h);
	snprintf(uid, sizeof uid, "urn:feedmerge:%016" PRIx64, hash);
	store__bind_str(s, 1, uid);
	sqlite3_bind_int64(s, 2, t);
	if (store__step_done(s))
		return FM_EIO;
	*out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Binds text column i: packed when packed holds it, else the text as it is. */
static void
bind_packed(sqlite3_stmt *s, int i, const fm_buf *packed, const char *text)
{
	if (packed->size)
		sqlite3_bind_blob(s, i, packed->ptr, (int)packed->size, SQLITE_STATIC);
	else
		store__bind_str(s, i, text);
}

/* Inserts a new item in a cluster of its own (its text packed already when packed is ready); fills ref. */
static int
item_insert(fm_store *st, const char *feed, const fm_item *item, const fm_store_packed *packed,
	    const fm_fingerprint *fp, const struct item_row *row, fm_time now, fm_store_ref *ref)
{
	sqlite3_stmt *s;
	fm_time t = item_time(item, now);
	int64_t cluster;
	int rc;

	/* Every new item founds its story; clustering (dedup) decides what it joins. */
	rc = store__cluster_found(st, feed, row->key.ptr, row->key.size, t, &cluster);
	packed = packed && packed->ready ? packed : NULL;
	if (rc || !(s = store__stmt(st, packed ? STMT_ITEM_INSERT_PACKED : STMT_ITEM_INSERT)))
		return rc ? rc : FM_EIO;
	store__bind_str(s, 1, feed);
	sqlite3_bind_int64(s, 2, store__keyhash(row->key.ptr, row->key.size));
	bind_content(s, 3, item, row);
	if (packed) {
		bind_packed(s, 9, &packed->summary, item->summary);
		bind_packed(s, 10, &packed->content, item->content);
	}
	sqlite3_bind_int64(s, 15, now);
	sqlite3_bind_int64(s, 16, cluster);
	store__bind_str(s, 17, fm_item_title_html(item));
	if ((rc = store__step_done(s)))
		return rc;
	if (packed)
		store__pack_count(st, packed);
	ref->item = sqlite3_last_insert_rowid(st->db);
	if (fp && (rc = store__fp_insert(st, ref->item, feed, fm_item_time(item, now), fp)))
		return rc;
	ref->cluster = cluster;
	return 0;
}

/* Finds the row and cluster of feed's item with key, 0 when new; returns 0 or FM_EIO. */
static int
item_find(fm_store *st, const char *feed, const fm_buf *key, int64_t *id, int64_t *cluster)
{
	sqlite3_stmt *s = store__stmt(st, STMT_ITEM_FIND);
	int rc;

	*id = *cluster = 0;
	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, feed);
	sqlite3_bind_int64(s, 2, store__keyhash(key->ptr, key->size));
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*cluster = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : FM_EIO;
}

int
fm_store_item_known(fm_store *st, const char *feed, fm_config_identity identity,
		    const fm_item *item, int *known)
{
	struct item_row row = { FM_BUF_INIT, FM_BUF_INIT, FM_BUF_INIT };
	int64_t id, cluster;
	int rc;

	*known = 0;
	if (!(rc = row_key(&row.key, identity, item)) &&
	    !(rc = item_find(st, feed, &row.key, &id, &cluster)))
		*known = id != 0;
	row_dispose(&row);
	return rc;
}

int
fm_store_feed_has_items(fm_store *st, const char *feed, int *has)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FEED_HAS_ITEMS);
	int rc;

	*has = 0;
	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, feed);
	rc = sqlite3_step(s);
	*has = rc == SQLITE_ROW;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : FM_EIO;
}

int
fm_store_item_put(fm_store *st, const char *feed, fm_config_identity identity,
		  const fm_item *item, fm_time now, fm_store_put *what)
{
	return fm_store_item_save(st, feed, identity, item, NULL, now, what, NULL);
}

int
fm_store_item_save(fm_store *st, const char *feed, fm_config_identity identity,
		   const fm_item *item, const fm_fingerprint *fp, fm_time now,
		   fm_store_put *what, fm_store_ref *ref)
{
	return fm_store_item_save_packed(st, feed, identity, item, NULL, fp, now, what, ref);
}

int
fm_store_item_save_packed(fm_store *st, const char *feed, fm_config_identity identity,
			  const fm_item *item, const fm_store_packed *packed,
			  const fm_fingerprint *fp, fm_time now, fm_store_put *what,
			  fm_store_ref *ref)
{
	struct item_row row = { FM_BUF_INIT, FM_BUF_INIT, FM_BUF_INIT };
	fm_store_ref where = { 0, 0 };
	fm_store_put done = FM_STORE_SAME;
	sqlite3_stmt *s;
	int rc;

	if ((rc = row_build(&row, identity, item)) ||
	    (rc = item_find(st, feed, &row.key, &where.item, &where.cluster)))
		goto out;
	if (!where.item) {
		done = FM_STORE_NEW;
		rc = item_insert(st, feed, item, packed, fp, &row, now, &where);
	} else if (!(s = store__stmt(st, STMT_ITEM_UPDATE))) {
		rc = FM_EIO;
	} else {
		sqlite3_bind_int64(s, 1, where.item);
		bind_content(s, 2, item, &row);
		sqlite3_bind_int64(s, 14, now);
		store__bind_str(s, 15, fm_item_title_html(item));
		if (!(rc = store__step_done(s)) && sqlite3_changes(st->db)) {
			done = FM_STORE_CHANGED;
			rc = store__cluster_retime(st, where.cluster); /* its dates may have moved */
		} else if (!rc && (s = store__stmt(st, STMT_ITEM_SEEN))) {
			sqlite3_bind_int64(s, 1, where.item);
			sqlite3_bind_int64(s, 2, now);
			rc = store__step_done(s);
		}
	}
	/* The fingerprint follows the text: written when new or changed (and given). */
	if (!rc && done == FM_STORE_CHANGED && fp)
		rc = store__fp_set(st, where.item, fp);
out:
	row_dispose(&row);
	if (!rc && what)
		*what = done;
	if (!rc && ref)
		*ref = where;
	return rc;
}

int
fm_store_prune(fm_store *st, fm_time before, long *removed)
{
	sqlite3_stmt *s;
	int rc;

	if (removed)
		*removed = 0;
	if (sqlite3_prepare_v2(st->db, "DELETE FROM items WHERE first_seen < ?1", -1,
			       &s, NULL) != SQLITE_OK)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, before);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : FM_EIO;
	sqlite3_finalize(s);
	if (!rc && removed)
		*removed = (long)sqlite3_changes(st->db);
	if (!rc)
		rc = store__exec(st, "DELETE FROM clusters WHERE NOT EXISTS"
				     " (SELECT 1 FROM items WHERE items.cluster = clusters.id)");
	return rc;
}

int
fm_store_item_count(fm_store *st, long *n)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM items", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : FM_EIO;
}
