/* fingerprints.c - fingerprints, cluster merges and learned boilerplate in the state. */
#include "store/store_int.h"
#include "store/fpcode.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

/*
 * A fingerprint is a row of table fingerprints: its candidate key (column
 * simhash, for the index), its time and feed, and a blob (fpcode.h).
 *
 * Before schema 9 the blob was: title u64, words u32, shingles u32,
 * nsketch u32, flags u32 (bits 16-23: ntitle; bit 24: a link hash
 * follows), then nsketch u32 sketch hashes, ntitle u32 headline word
 * hashes and the u64 link hash, all little-endian; only the migration
 * reads it now (fp_unblob_v8).
 */
#define FP_HEAD 24
#define FP_NTITLE_SHIFT 16
#define FP_HAS_LINK (1u << 24)

/* Reads n little-endian bytes. */
static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Binds fp's simhash at column col and its blob (built in blob) at col + 1. */
static void
fp_bind(sqlite3_stmt *s, int col, const fm_fingerprint *fp, unsigned char blob[STORE_FP_CODE_MAX])
{
	size_t n = store__fp_encode(blob, fp);

	sqlite3_bind_int64(s, col, (sqlite3_int64)fp->simhash);
	sqlite3_bind_blob(s, col + 1, blob, (int)n, SQLITE_STATIC);
}

/* Reads a blob written by fp_bind into fp (simhash aside); returns 0 or FM_EINVAL when malformed. */
static int
fp_unblob(fm_fingerprint *fp, const unsigned char *b, int len)
{
	return len < 0 ? FM_EINVAL : store__fp_decode(fp, b, (size_t)len);
}

/* Reads a blob of schema 8 or before into fp (simhash aside); returns 0 or FM_EINVAL when malformed. */
static int
fp_unblob_v8(fm_fingerprint *fp, const unsigned char *b, int len)
{
	const unsigned char *p;
	uint32_t i, has_link;

	memset(fp, 0, sizeof *fp);
	if (!b || len < FP_HEAD)
		return FM_EINVAL;
	fp->title = get_le(b, 8);
	fp->words = (uint32_t)get_le(b + 8, 4);
	fp->shingles = (uint32_t)get_le(b + 12, 4);
	fp->nsketch = (uint32_t)get_le(b + 16, 4);
	fp->flags = (uint32_t)get_le(b + 20, 4);
	fp->ntitle = (fp->flags >> FP_NTITLE_SHIFT) & 0xff;
	has_link = fp->flags & FP_HAS_LINK;
	fp->flags &= 0xffff;
	if (fp->nsketch > FM_FP_SKETCH || fp->ntitle > FM_FP_TITLE_WORDS ||
	    len != FP_HEAD + 4 * (int)(fp->nsketch + fp->ntitle) + (has_link ? 8 : 0)) {
		fp->nsketch = fp->ntitle = 0;
		return FM_EINVAL;
	}
	for (i = 0, p = b + FP_HEAD; i < fp->nsketch; i++, p += 4)
		fp->sketch[i] = (uint32_t)get_le(p, 4);
	for (i = 0; i < fp->ntitle; i++, p += 4)
		fp->title_words[i] = (uint32_t)get_le(p, 4);
	if (has_link)
		fp->link = get_le(p, 8);
	return 0;
}

int
store__fp_migrate(fm_store *st)
{
	unsigned char blob[STORE_FP_CODE_MAX];
	sqlite3_stmt *r, *w = NULL;
	fm_fingerprint *fp = malloc(sizeof *fp);
	int rc = 0, step;

	if (!fp)
		return FM_ENOMEM;
	if (sqlite3_prepare_v2(st->db, "SELECT item, fp FROM fingerprints", -1, &r, NULL) != SQLITE_OK) {
		free(fp);
		return FM_EIO;
	}
	if (sqlite3_prepare_v2(st->db, "UPDATE fingerprints SET fp = ?2 WHERE item = ?1", -1, &w, NULL) != SQLITE_OK)
		rc = FM_EIO;
	while (!rc && (step = sqlite3_step(r)) == SQLITE_ROW) {
		/* A malformed one stays as it was: clustered by nothing, as before. */
		if (fp_unblob_v8(fp, sqlite3_column_blob(r, 1), sqlite3_column_bytes(r, 1)))
			continue;
		sqlite3_bind_int64(w, 1, sqlite3_column_int64(r, 0));
		sqlite3_bind_blob(w, 2, blob, (int)store__fp_encode(blob, fp), SQLITE_STATIC);
		rc = store__step_done(w);
	}
	if (!rc && step != SQLITE_DONE)
		rc = FM_EIO;
	sqlite3_finalize(w);
	sqlite3_finalize(r);
	free(fp);
	return rc;
}

int
store__fp_set(fm_store *st, int64_t id, const fm_fingerprint *fp)
{
	unsigned char blob[STORE_FP_CODE_MAX];
	sqlite3_stmt *s = store__stmt(st, fp ? STMT_FP_PUT : STMT_FP_DELETE);

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, id);
	if (fp)
		fp_bind(s, 2, fp, blob);
	return store__step_done(s);
}

int
store__fp_insert(fm_store *st, int64_t id, const char *feed, fm_time at, const fm_fingerprint *fp)
{
	unsigned char blob[STORE_FP_CODE_MAX];
	sqlite3_stmt *s = store__stmt(st, STMT_FP_INSERT);

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, id);
	store__bind_str(s, 2, feed);
	sqlite3_bind_int64(s, 3, at);
	fp_bind(s, 4, fp, blob);
	return store__step_done(s);
}

int
fm_store_fingerprint(fm_store *st, int64_t item, fm_fingerprint *fp, int64_t *cluster)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FP_GET);
	int rc;

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, item);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? FM_EINVAL : FM_EIO;
	}
	*cluster = sqlite3_column_int64(s, 1);
	rc = fp_unblob(fp, sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
	fp->simhash = (uint64_t)sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	return rc;
}

int
fm_store_item_cluster(fm_store *st, int64_t item, int64_t *cluster)
{
	sqlite3_stmt *s = store__stmt(st, STMT_ITEM_CLUSTER);
	int rc;

	if (!s)
		return FM_EIO;
	sqlite3_bind_int64(s, 1, item);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*cluster = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? FM_EINVAL : FM_EIO;
}

int
fm_store_fingerprints(fm_store *st, fm_time since,
		      int (*cb)(void *ud, const fm_store_fp_row *row), void *ud)
{
	sqlite3_stmt *s;
	fm_store_fp_row r;
	fm_fingerprint *fp = malloc(sizeof *fp);
	int rc, ret = 0;

	if (!fp)
		return FM_ENOMEM;

	/*
	 * Rows grow with first-seen time, so the window is a range of rows:
	 * from the first item seen since, read in row order off the table
	 * (the clusterer indexes the whole fingerprint).
	 */
	if (sqlite3_prepare_v2(st->db,
			       "SELECT item, feed, simhash, at, fp FROM fingerprints"
			       " WHERE item >= (SELECT coalesce(min(id), 9223372036854775807)"
			       " FROM items INDEXED BY items_first_seen"
			       " WHERE first_seen >= ?1)",
			       -1, &s, NULL) != SQLITE_OK) {
		free(fp);
		return FM_EIO;
	}
	sqlite3_bind_int64(s, 1, since);
	r.fp = fp;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.item = sqlite3_column_int64(s, 0);
		r.feed = store__col_str(s, 1);
		r.when = sqlite3_column_int64(s, 3);
		if (fp_unblob(fp, sqlite3_column_blob(s, 4), sqlite3_column_bytes(s, 4)))
			continue; /* malformed: clustered by nothing */
		fp->simhash = (uint64_t)sqlite3_column_int64(s, 2);
		if ((ret = cb(ud, &r)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = FM_EIO;
	sqlite3_finalize(s);
	free(fp);
	return ret;
}

int
fm_store_cluster_merge(fm_store *st, int64_t into, int64_t from)
{
	sqlite3_stmt *s;
	int rc;

	if (into == from)
		return 0;
	if (!(s = store__stmt(st, STMT_CLUSTER_ABSORB)))
		return FM_EIO;
	sqlite3_bind_int64(s, 1, into);
	sqlite3_bind_int64(s, 2, from);
	if ((rc = store__step_done(s)) || !(s = store__stmt(st, STMT_CLUSTER_MOVE)))
		return rc ? rc : FM_EIO;
	sqlite3_bind_int64(s, 1, into);
	sqlite3_bind_int64(s, 2, from);
	if ((rc = store__step_done(s)) || !(s = store__stmt(st, STMT_CLUSTER_DELETE)))
		return rc ? rc : FM_EIO;
	sqlite3_bind_int64(s, 1, from);
	return store__step_done(s);
}

int
fm_store_item_set_fp(fm_store *st, int64_t item, const fm_fingerprint *fp)
{
	return store__fp_set(st, item, fp);
}

int
fm_store_feed_fingerprinted(fm_store *st, const char *feed, fm_time since, int64_t **rows, size_t *n)
{
	sqlite3_stmt *s;
	size_t a = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT f.item FROM items i JOIN fingerprints f ON f.item = i.id"
			       " WHERE i.feed = ?1 AND (i.first_seen >= ?2 OR i.published >= ?2)"
			       " ORDER BY i.id", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	store__bind_str(s, 1, feed);
	sqlite3_bind_int64(s, 2, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (fm__grow(rows, &a, *n, sizeof **rows, 64)) {
			rc = SQLITE_NOMEM;
			break;
		}
		(*rows)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*rows);
		*rows = NULL;
		*n = 0;
		return rc == SQLITE_NOMEM ? FM_ENOMEM : FM_EIO;
	}
	return 0;
}

int
fm_store_boiler_get(fm_store *st, const char *feed, fm_buf *out)
{
	sqlite3_stmt *s = store__stmt(st, STMT_BOILER_GET);
	int rc, ret = 0;

	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, feed);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) > 0)
		ret = fm_buf_append(out, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ret : FM_EIO;
}

int
fm_store_boiler_put(fm_store *st, const char *feed, const void *blob, size_t len)
{
	sqlite3_stmt *s = store__stmt(st, STMT_BOILER_PUT);

	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, feed);
	sqlite3_bind_blob(s, 2, blob ? blob : "", (int)len, SQLITE_STATIC);
	return store__step_done(s);
}

int
fm_store_item_lookup(fm_store *st, const char *feed, const char *id_or_link, fm_store_found *out)
{
	sqlite3_stmt *s;
	int rc, err = 0;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, cluster, feed, guid, title, link, " STORE_STORY_TIME
			       " FROM items WHERE (guid = ?1 OR link = ?1) AND (?2 IS NULL OR feed = ?2)"
			       " ORDER BY first_seen, id LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	store__bind_str(s, 1, id_or_link);
	store__bind_str(s, 2, feed);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->item = sqlite3_column_int64(s, 0);
		out->cluster = sqlite3_column_int64(s, 1);
		out->feed = store__col_dup(s, 2, &err);
		out->id = store__col_dup(s, 3, &err);
		out->title = store__col_dup(s, 4, &err);
		out->link = store__col_dup(s, 5, &err);
		out->when = sqlite3_column_int64(s, 6);
	}
	sqlite3_finalize(s);
	if (err) {
		fm_store_found_clear(out);
		return FM_ENOMEM;
	}
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? FM_EINVAL : FM_EIO;
}

void
fm_store_found_clear(fm_store_found *f)
{
	if (!f)
		return;
	free(f->feed);
	free(f->id);
	free(f->title);
	free(f->link);
	memset(f, 0, sizeof *f);
}
