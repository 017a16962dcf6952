/* pack.c - items' text kept compressed: zstd with a dictionary trained from the state's own items. */
#include "store/store_int.h"
#include "store/pack.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ZDICT_trainFromBuffer_fastCover with fixed parameters: ZDICT_trainFromBuffer tries several (0.19 s against 0.03 s on 1 MB of samples, for the same ratio). */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
/* ZSTD_createCDict_advanced: the dictionary's compression parameters chosen, not guessed from its size. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

/*
 * Level 2 with a dictionary: on the generated feeds of tests/bench 2.15x
 * for summaries and contents (level 1 1.9x, 3 2.2x at 1.3x the time; no
 * dictionary 1.7x). Items are small (a few KB): without a dictionary
 * zstd has little to refer back to.
 */
#define PACK_LEVEL 2
/*
 * The largest dictionary, trained from PACK_TRAIN_VALUES values (about 7
 * MB of text on the generated feeds: a dictionary past 1/8 of its samples
 * learns their accidents). 10,000 generated feeds, values packed: 834 B
 * each with 112 KB trained from the first 1,000 values (before), 786 with
 * 256 KB from the first 2,000 or 4,000, at the same speed.
 */
#define PACK_DICT_MAX (256 * 1024)
/* Text the newest items give the trainer: values (summary, content) read. */
#define PACK_TRAIN_VALUES 4000
/*
 * Retraining. The packed ratio of every PACK_WINDOW values packed with the
 * current dictionary is compared with that of the first window after it
 * was made (kept in pack_dicts.ratio); two windows in a row below
 * PACK_DRIFT of it, PACK_RETRAIN_GAP values or more after the dictionary
 * was made, and a new one is trained from the newest items (the feeds
 * write about other things, or in another language, now). A store opened
 * for writing also reads the newest items' packed values once, so that
 * passes too small for two windows still notice. At 100,000 generated feeds (ten
 * made-up vocabularies one after another) the dictionary of the first
 * packed another's values 954 B each, one trained on them 777.
 */
#define PACK_WINDOW 4000
#define PACK_DRIFT 0.9
#define PACK_RETRAIN_GAP 40000
#define PACK_STR(x) #x
#define PACK_XSTR(x) PACK_STR(x)
#define PACK_MIN_SQL PACK_XSTR(STORE_PACK_MIN)

/* One dictionary a packed value may name. */
struct pack_dict {
	int64_t id;
	ZSTD_DDict *ddict;
};

/* A dictionary text is packed with, by the store or by a packer on another thread: immutable once made. */
struct fm_store_packdict {
	int64_t id;
	ZSTD_CDict *cdict;
	struct fm_store_packdict *older; /* the store's list of every one made (all live until close) */
};

/* A compression context of another thread's. */
struct fm_store_packer {
	ZSTD_CCtx *cctx;
};

/* How well the current dictionary packs what is written now (see PACK_WINDOW). */
struct pack_drift {
	uint64_t in, out;         /* the window's bytes of text tried and what they are stored in */
	long values;              /* the window's values */
	long since;               /* values packed with the dictionary in earlier windows */
	double base;              /* the first window's ratio (0: not measured yet; kept in pack_dicts.ratio) */
	int low;                  /* windows in a row below PACK_DRIFT of base */
	int grown;                /* a larger dictionary was tried (or is not wanted) */
};

struct store_pack {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	ZSTD_CDict *cdict;        /* the dictionary new text is packed with, or NULL */
	int64_t cur;              /* its id (0: none) */
	size_t cur_len;           /* its bytes */
	struct pack_drift drift;  /* how well it packs */
	struct fm_store_packdict *made;      /* every dictionary made, newest first */
	struct fm_store_packdict *published; /* the newest one saved for good, for other threads (atomic) */
	struct pack_dict *dicts;  /* every dictionary read so far */
	size_t ndicts, adicts;
	long nodict;              /* values packed without a dictionary (items when opened without one) */
	long train_at;            /* train once nodict reaches this */
};

/* Writes v as LEB128 at p; returns the bytes written (at most 10). */
static size_t
pack_put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Reads a LEB128 of at most 5 bytes (ids stay below 2^35); returns the bytes read, 0 when malformed. */
static size_t
pack_get_varint(const unsigned char *p, size_t n, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n && i < 5; i++) {
		*v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	return 0;
}

/* Returns dictionary id's decompression form, reading it from pack_dicts when not yet known; NULL when the state lacks it. */
static ZSTD_DDict *
pack_ddict(fm_store *st, int64_t id)
{
	struct store_pack *pk = st->pack;
	sqlite3_stmt *s;
	ZSTD_DDict *dd = NULL;
	size_t i;

	for (i = 0; i < pk->ndicts; i++)
		if (pk->dicts[i].id == id)
			return pk->dicts[i].ddict;
	/* Packed by another process (a pass beside `clusters`) or not read yet. */
	if (sqlite3_prepare_v2(st->db, "SELECT dict FROM pack_dicts WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) > 0)
		dd = ZSTD_createDDict(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_finalize(s);
	if (dd && fm__grow(&pk->dicts, &pk->adicts, pk->ndicts, sizeof *pk->dicts, 4)) {
		ZSTD_freeDDict(dd);
		return NULL;
	}
	if (dd) {
		pk->dicts[pk->ndicts].id = id;
		pk->dicts[pk->ndicts++].ddict = dd;
	}
	return dd;
}

/*
 * Makes dict (len bytes, row id) the one new text is packed with; returns
 * 0 or FM_ENOMEM. The dictionary lives until the store closes: a packer on
 * another thread may hold it (fm_store_packdict_current).
 */
static int
pack_use(fm_store *st, int64_t id, const void *dict, size_t len)
{
	struct store_pack *pk = st->pack;
	struct fm_store_packdict *d = malloc(sizeof *d);

	/*
	 * The parameters of level 2 for input of unknown size: zstd would pick
	 * them from the dictionary's size, and a dictionary between 128 and
	 * 256 KB then got a double-fast search that packed 10% worse, slower.
	 */
	ZSTD_compressionParameters cp = ZSTD_getCParams(PACK_LEVEL, ZSTD_CONTENTSIZE_UNKNOWN, 0);

	if (!d || !(d->cdict = ZSTD_createCDict_advanced(dict, len, ZSTD_dlm_byCopy, ZSTD_dct_auto,
							 cp, ZSTD_defaultCMem))) {
		free(d);
		return FM_ENOMEM;
	}
	d->id = id;
	d->older = pk->made;
	pk->made = d;
	pk->cdict = d->cdict;
	pk->cur = id;
	pk->cur_len = len;
	memset(&pk->drift, 0, sizeof pk->drift);
	/* Less than full size: trained from little text (or an old state's 112 KB one); it grows once. */
	pk->drift.grown = len >= PACK_DICT_MAX;
	return 0;
}

/* Shows the current dictionary to other threads: it is saved in the state for good. */
static void
pack_publish(struct store_pack *pk)
{
	struct fm_store_packdict *d = pk->cur && pk->made && pk->made->id == pk->cur ? pk->made : NULL;

	__atomic_store_n(&pk->published, d, __ATOMIC_RELEASE);
}

const fm_store_packdict *
fm_store_packdict_current(fm_store *st)
{
	return __atomic_load_n(&st->pack->published, __ATOMIC_ACQUIRE);
}

/* Sets a compression context up as every packed value needs it; returns 0 or FM_EIO. */
static int
pack_cctx_setup(ZSTD_CCtx *cctx)
{
	/* The frame keeps its size (for the reader's bound), neither checksum nor dictionary id (ours precedes it). */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, PACK_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0)))
		return FM_EIO;
	return 0;
}

/*
 * Packs n bytes of text into out (cleared first) with cctx and dictionary
 * cdict (row id; NULL and 0: none). *tried is set when zstd ran. Returns 1
 * when out holds a packed value, 0 when the text is better kept plain,
 * FM_ENOMEM or FM_EIO. The bytes the text is stored in: out->size when 1, n when 0.
 */
static int
pack_text(ZSTD_CCtx *cctx, ZSTD_CDict *cdict, int64_t id, const char *text, size_t n, fm_buf *out,
	  int *tried)
{
	size_t head, bound, z;
	int rc;

	*tried = 0;
	fm_buf_clear(out);
	if (n < STORE_PACK_MIN || n > STORE_PACK_MAX)
		return 0;
	bound = ZSTD_compressBound(n);
	if ((rc = fm_buf_grow(out, 16 + bound)))
		return rc;
	out->ptr[0] = STORE_PACK_V1;
	head = 1 + pack_put_varint((unsigned char *)out->ptr + 1, (uint64_t)id);
	if (ZSTD_isError(ZSTD_CCtx_refCDict(cctx, cdict)))
		return FM_EIO;
	z = ZSTD_compress2(cctx, out->ptr + head, bound, text, n);
	if (ZSTD_isError(z))
		return FM_EIO;
	*tried = 1;
	if (head + z >= n)
		return 0; /* nothing gained: the text stays plain */
	out->size = head + z;
	out->ptr[out->size] = '\0';
	return 1;
}

int
fm_store_packer_new(fm_store_packer **out)
{
	fm_store_packer *pk;

	*out = NULL;
	if (!(pk = calloc(1, sizeof *pk)) || !(pk->cctx = ZSTD_createCCtx())) {
		free(pk);
		return FM_ENOMEM;
	}
	if (pack_cctx_setup(pk->cctx)) {
		fm_store_packer_free(pk);
		return FM_EIO;
	}
	*out = pk;
	return 0;
}

void
fm_store_packer_free(fm_store_packer *pk)
{
	if (!pk)
		return;
	ZSTD_freeCCtx(pk->cctx);
	free(pk);
}

/* Packs one of an item's texts into out's buf b, emptied when it stays plain; counts the try in out. */
static int
packer_one(fm_store_packer *pk, const fm_store_packdict *d, const char *text, fm_buf *b,
	   fm_store_packed *out)
{
	size_t n;
	int rc, tried;

	if (!text)
		return 0;
	n = strlen(text);
	rc = pack_text(pk->cctx, d ? d->cdict : NULL, d ? d->id : 0, text, n, b, &tried);
	if (tried && !d)
		out->nodict++;
	if (tried && d) {
		out->tried++;
		out->text_bytes += n;
		out->packed_bytes += rc == 1 ? b->size : n;
	}
	if (rc == 0)
		fm_buf_clear(b);
	return rc < 0 ? rc : 0;
}

int
fm_store_pack_item(fm_store_packed *out, fm_store_packer *pk, const fm_store_packdict *d,
		   const fm_item *item)
{
	int rc;

	out->nodict = out->tried = 0;
	out->text_bytes = out->packed_bytes = 0;
	out->dict = d ? d->id : 0;
	if ((rc = packer_one(pk, d, item->summary, &out->summary, out)) ||
	    (rc = packer_one(pk, d, item->content, &out->content, out))) {
		fm_store_packed_dispose(out);
		return rc;
	}
	out->ready = 1;
	return 0;
}

void
fm_store_packed_dispose(fm_store_packed *p)
{
	if (!p)
		return;
	fm_buf_dispose(&p->summary);
	fm_buf_dispose(&p->content);
	p->nodict = p->tried = 0;
	p->text_bytes = p->packed_bytes = 0;
	p->dict = 0;
	p->ready = 0;
}

/* Counts values packed with the current dictionary: tried of them, in bytes of text, out stored. */
static void
pack_drift_count(struct store_pack *pk, long tried, size_t in, size_t out)
{
	pk->drift.values += tried;
	pk->drift.in += in;
	pk->drift.out += out;
}

void
store__pack_count(fm_store *st, const fm_store_packed *p)
{
	struct store_pack *pk = st->pack;

	pk->nodict += p->nodict;
	if (p->dict && p->dict == pk->cur)
		pack_drift_count(pk, p->tried, p->text_bytes, p->packed_bytes);
}

/* Reads the newest dictionary of the state (if any) as the current one; returns 0 or FM_ENOMEM. */
static int
pack_load_current(fm_store *st)
{
	sqlite3_stmt *s;
	int rc = 0;

	/* A state before schema 9 (read-only opens do not migrate) has no table: nothing to read. */
	if (sqlite3_prepare_v2(st->db, "SELECT id, dict FROM pack_dicts ORDER BY id DESC LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 1) > 0)
		rc = pack_use(st, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1),
			      (size_t)sqlite3_column_bytes(s, 1));
	sqlite3_finalize(s);
	if (!rc)
		pack_publish(st->pack);
	return rc;
}

int
store__pack(fm_store *st, const char *text, size_t n, fm_buf *out)
{
	struct store_pack *pk = st->pack;
	int rc, tried;

	rc = pack_text(pk->cctx, pk->cdict, pk->cur, text, n, out, &tried);
	if (tried && !pk->cur)
		pk->nodict++;
	if (tried && pk->cur && rc >= 0)
		pack_drift_count(pk, 1, n, rc == 1 ? out->size : n);
	return rc;
}

/* Fills why with a message (printf-style); returns FM_EINVAL. */
static int __attribute__((format(printf, 3, 4)))
pack_bad(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return FM_EINVAL;
}

int
store__unpack(fm_store *st, const void *v, size_t n, fm_buf *out, char *why, size_t why_len)
{
	const unsigned char *p = v;
	unsigned long long size;
	ZSTD_DDict *dd = NULL;
	uint64_t id;
	size_t head, got;
	int rc;

	fm_buf_clear(out);
	if (n < 2 || !p)
		return pack_bad(why, why_len, "packed text of %zu bytes: too short", n);
	if (p[0] != STORE_PACK_V1)
		return pack_bad(why, why_len, "packed text in unknown format %u", (unsigned)p[0]);
	if (!(head = pack_get_varint(p + 1, n - 1, &id)))
		return pack_bad(why, why_len, "packed text of %zu bytes: malformed dictionary id", n);
	head++;
	if (id && !(dd = pack_ddict(st, (int64_t)id)))
		return pack_bad(why, why_len, "packed text names dictionary %llu, which the state lacks", (unsigned long long)id);
	size = ZSTD_getFrameContentSize(p + head, n - head);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
		return pack_bad(why, why_len, "packed text of %zu bytes: not a zstd frame with its size", n);
	if (size > STORE_PACK_MAX)
		return pack_bad(why, why_len, "packed text claims %llu bytes, more than a value may hold", size);
	if ((rc = fm_buf_grow(out, (size_t)size)))
		return rc;
	got = ZSTD_decompress_usingDDict(st->pack->dctx, out->ptr, (size_t)size, p + head, n - head, dd);
	if (ZSTD_isError(got)) {
		if (why && why_len)
			snprintf(why, why_len, "packed text of %zu bytes is corrupt: %s", n, ZSTD_getErrorName(got));
		return FM_EINVAL;
	}
	if (got != size)
		return pack_bad(why, why_len, "packed text holds fewer bytes than its %llu claimed", size);
	out->size = got;
	out->ptr[got] = '\0';
	return 0;
}

/* SQL fm_pack(text): a packed BLOB, or the value itself (NULL, short text, a value already packed). */
static void
pack_sql_pack(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	fm_store *st = sqlite3_user_data(ctx);
	fm_buf b = FM_BUF_INIT;
	size_t n;
	int rc;

	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	rc = store__pack(st, (const char *)sqlite3_value_text(argv[0]),
			 (size_t)sqlite3_value_bytes(argv[0]), &b);
	n = b.size; /* before the detach empties b */
	if (rc == 1)
		sqlite3_result_blob64(ctx, fm_buf_detach(&b), n, free);
	else if (rc == 0)
		sqlite3_result_value(ctx, argv[0]);
	else if (rc == FM_ENOMEM)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_error(ctx, "fm_pack: zstd could not compress a text", -1);
	fm_buf_dispose(&b);
}

/* SQL fm_unpack(value): the text a packed BLOB holds; any other value as it is; an error naming what is wrong when corrupt. */
static void
pack_sql_unpack(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	fm_store *st = sqlite3_user_data(ctx);
	fm_buf b = FM_BUF_INIT;
	char why[160], msg[200];
	size_t n;
	int rc;

	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	rc = store__unpack(st, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]),
			   &b, why, sizeof why);
	if (rc == FM_ENOMEM) {
		sqlite3_result_error_nomem(ctx);
	} else if (rc) {
		snprintf(msg, sizeof msg, "%s: %s", st->path, why);
		sqlite3_result_error(ctx, msg, -1);
	} else {
		n = b.size;
		if (!b.ptr)
			sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		else
			sqlite3_result_text64(ctx, fm_buf_detach(&b), n, free, SQLITE_UTF8);
	}
	fm_buf_dispose(&b);
}

int
store__pack_open(fm_store *st)
{
	struct store_pack *pk;

	if (!(pk = st->pack = calloc(1, sizeof *pk)) ||
	    !(pk->cctx = ZSTD_createCCtx()) || !(pk->dctx = ZSTD_createDCtx()))
		return FM_ENOMEM;
	if (pack_cctx_setup(pk->cctx))
		return FM_EIO;
	pk->train_at = STORE_PACK_TRAIN;
	if (sqlite3_create_function(st->db, "fm_pack", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, st,
				    pack_sql_pack, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "fm_unpack", 1,
				    SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC, st,
				    pack_sql_unpack, NULL, NULL) != SQLITE_OK)
		return FM_EIO;
	return pack_load_current(st);
}

void
store__pack_close(fm_store *st)
{
	struct store_pack *pk = st->pack;
	size_t i;

	if (!pk)
		return;
	for (i = 0; i < pk->ndicts; i++)
		ZSTD_freeDDict(pk->dicts[i].ddict);
	free(pk->dicts);
	while (pk->made) {
		struct fm_store_packdict *d = pk->made;

		pk->made = d->older;
		ZSTD_freeCDict(d->cdict);
		free(d);
	}
	ZSTD_freeCCtx(pk->cctx);
	ZSTD_freeDCtx(pk->dctx);
	free(pk);
	st->pack = NULL;
}

int
store__pack_train(fm_store *st, size_t at_least)
{
	fm_buf samples = FM_BUF_INIT;
	size_t *sizes = NULL, nsizes = 0, asizes = 0, cap, len;
	ZDICT_fastCover_params_t params;
	void *dict = NULL;
	sqlite3_stmt *s;
	int64_t id;
	int c, rc = 0, step;

	/* The newest items: what the feeds write now, from as many feeds as the window holds. */
	if (sqlite3_prepare_v2(st->db, "SELECT fm_unpack(summary), fm_unpack(content) FROM items"
			       " ORDER BY id DESC LIMIT ?1", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	sqlite3_bind_int(s, 1, PACK_TRAIN_VALUES / 2);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		for (c = 0; c < 2 && !rc; c++) {
			int n = sqlite3_column_bytes(s, c);

			if (n < STORE_PACK_MIN)
				continue;
			if (!(rc = fm__grow(&sizes, &asizes, nsizes, sizeof *sizes, 256)) &&
			    !(rc = fm_buf_append(&samples, sqlite3_column_text(s, c), (size_t)n)))
				sizes[nsizes++] = (size_t)n;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = FM_EIO;
	sqlite3_finalize(s);
	if (rc)
		goto out;
	/* Less than about 8 bytes of samples per byte of dictionary trains poorly, or not at all. */
	cap = samples.size / 8 < PACK_DICT_MAX ? samples.size / 8 : PACK_DICT_MAX;
	if (nsizes < 16 || cap < 4096 || cap < at_least)
		goto out;
	if (!(dict = malloc(cap))) {
		rc = FM_ENOMEM;
		goto out;
	}
	memset(&params, 0, sizeof params);
	params.k = 200;
	params.d = 8;
	params.f = 20;
	/* 8 trains in half the time of 1 for the same ratio (4,000 values of generated feeds: 0.06 s against 0.14). */
	params.accel = 8;
	params.zParams.compressionLevel = PACK_LEVEL;
	len = ZDICT_trainFromBuffer_fastCover(dict, cap, samples.ptr, sizes, (unsigned)nsizes, params);
	if (ZDICT_isError(len))
		goto out; /* too little or too uniform text: try again later */
	if (sqlite3_prepare_v2(st->db, "INSERT INTO pack_dicts (made, dict) VALUES (strftime('%s', 'now'), ?1)",
			       -1, &s, NULL) != SQLITE_OK) {
		rc = FM_EIO;
		goto out;
	}
	sqlite3_bind_blob(s, 1, dict, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : FM_EIO;
	sqlite3_finalize(s);
	id = sqlite3_last_insert_rowid(st->db);
	/* The newest item it was made after (no column before schema 13, as in the migration to 9: none kept). */
	if (!rc && sqlite3_prepare_v2(st->db, "UPDATE pack_dicts SET made_item = (SELECT max(id) FROM items)"
				      " WHERE id = ?1", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
	if (!rc && !(rc = pack_use(st, id, dict, len)))
		rc = 1;
out:
	free(dict);
	free(sizes);
	fm_buf_dispose(&samples);
	return rc;
}

/*
 * Trains a dictionary in a transaction of its own (or a savepoint of the
 * open batch), at least at_least bytes; returns 1 when one was made and
 * saved, else 0 (the current one stays).
 */
static int
pack_train_saved(fm_store *st, size_t at_least)
{
	struct store_pack *pk = st->pack;
	int64_t before = pk->cur;
	ZSTD_CDict *before_cdict = pk->cdict;
	size_t before_len = pk->cur_len;
	struct pack_drift before_drift = pk->drift;
	int rc;

	/* In a batch the dictionary is a savepoint of it: the items packed with it commit with it. */
	if (store__exec(st, st->in_batch ? "SAVEPOINT train" : "BEGIN IMMEDIATE"))
		return 0;
	rc = store__pack_train(st, at_least);
	if (rc == 1 && !store__exec(st, st->in_batch ? "RELEASE train" : "COMMIT")) {
		pack_publish(pk); /* saved: other threads' packers may use it now */
		return 1;
	}
	store__exec(st, st->in_batch ? "ROLLBACK TO train; RELEASE train" : "ROLLBACK");
	/* Nothing saved: new text must not name a dictionary the state lacks (it is freed at close). */
	if (pk->cur != before) {
		pk->cdict = before_cdict;
		pk->cur = before;
		pk->cur_len = before_len;
		pk->drift = before_drift;
	}
	return 0;
}

/* Saves dictionary id's first measured ratio (a state before schema 13 has no column: nothing saved). */
static void
pack_keep_ratio(fm_store *st, int64_t id, double ratio)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "UPDATE pack_dicts SET ratio = ?1 WHERE id = ?2 AND ratio IS NULL",
			       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_double(s, 1, ratio);
	sqlite3_bind_int64(s, 2, id);
	(void)sqlite3_step(s);
	sqlite3_finalize(s);
}

/* With a dictionary: closes a full window of the drift count, and retrains when the text moved away from it or it is short of full size. */
static void
pack_maybe_retrain(fm_store *st)
{
	struct store_pack *pk = st->pack;
	struct pack_drift *d = &pk->drift;
	size_t at_least = 0;
	double ratio;

	if (d->values >= PACK_WINDOW) {
		ratio = d->out ? (double)d->in / (double)d->out : 0;
		if (d->base == 0 && ratio > 0) {
			d->base = ratio;
			pack_keep_ratio(st, pk->cur, ratio);
		} else {
			d->low = ratio < d->base * PACK_DRIFT ? d->low + 1 : 0;
		}
		d->since += d->values;
		d->values = 0;
		d->in = d->out = 0;
	}
	if (!d->grown && d->since >= PACK_TRAIN_VALUES) {
		/* Trained from the little text there was: once more from as much as a full one wants, when that makes it larger. */
		d->grown = 1;
		at_least = pk->cur_len + pk->cur_len / 4 < PACK_DICT_MAX ? pk->cur_len + pk->cur_len / 4 : PACK_DICT_MAX;
	} else if (d->low < 2 || d->since < PACK_RETRAIN_GAP) {
		return;
	}
	if (!pack_train_saved(st, at_least) && !at_least) {
		/* Could not train: wait another gap rather than try at every feed. */
		d->since = 0;
		d->low = 0;
	}
}

void
store__pack_maybe_train(fm_store *st)
{
	struct store_pack *pk = st->pack;

	if (pk->cur) {
		pack_maybe_retrain(st);
		return;
	}
	if (pk->nodict < pk->train_at)
		return;
	/* Not trained yet (too little text, or it failed): wait for twice as much. */
	pk->train_at = pk->nodict * 2;
	(void)pack_train_saved(st, 0);
}

int
store__pack_migrate(fm_store *st)
{
	int rc;

	if ((rc = store__pack_train(st, 0)) < 0)
		return rc;
	return store__exec(st, "UPDATE items SET summary = fm_pack(summary), content = fm_pack(content)"
			       " WHERE length(summary) >= " PACK_MIN_SQL " OR length(content) >= " PACK_MIN_SQL);
}

/* Returns the bytes of text a packed value holds (0: malformed); *id receives the dictionary it names. */
static uint64_t
pack_text_size(const unsigned char *p, size_t n, int64_t *id)
{
	unsigned long long size;
	uint64_t v;
	size_t head;

	if (n < 2 || p[0] != STORE_PACK_V1 || !(head = pack_get_varint(p + 1, n - 1, &v)))
		return 0;
	size = ZSTD_getFrameContentSize(p + 1 + head, n - 1 - head);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
		return 0;
	*id = (int64_t)v;
	return size;
}

/*
 * A store opened for writing with a dictionary: picks the drift count up
 * where earlier passes left it. The ratio first measured is read back, and
 * the values packed since the dictionary was made are estimated from the
 * items added since (two values an item). When that could make a new one
 * due, the newest items' values (packed ones by their frames' headers) say
 * how well it packs now, and whether there is text for a larger one.
 */
static void
pack_drift_open(fm_store *st)
{
	struct store_pack *pk = st->pack;
	struct pack_drift *d = &pk->drift;
	uint64_t in = 0, out = 0, text = 0, size;
	size_t at_least;
	long values = 0;
	int64_t made = 0, newest = 0, id;
	sqlite3_stmt *s;
	int c, n;

	if (sqlite3_prepare_v2(st->db, "SELECT ratio, made_item, (SELECT max(id) FROM items)"
			       " FROM pack_dicts WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s, 1, pk->cur);
	if (sqlite3_step(s) == SQLITE_ROW) {
		d->base = sqlite3_column_double(s, 0);
		made = sqlite3_column_int64(s, 1); /* NULL (made before schema 13): 0, as old as the items */
		newest = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	d->since = newest > made ? (long)(2 * (newest - made)) : 0;
	if (d->grown && (d->base <= 0 || d->since < PACK_RETRAIN_GAP))
		return;
	if (sqlite3_prepare_v2(st->db, "SELECT summary, content FROM items ORDER BY id DESC LIMIT ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int(s, 1, PACK_TRAIN_VALUES / 2); /* the items the trainer reads */
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (c = 0; c < 2; c++) {
			n = sqlite3_column_bytes(s, c);
			if (sqlite3_column_type(s, c) == SQLITE_TEXT && n >= STORE_PACK_MIN)
				text += (uint64_t)n;
			if (sqlite3_column_type(s, c) != SQLITE_BLOB ||
			    !(size = pack_text_size(sqlite3_column_blob(s, c), (size_t)n, &id)))
				continue;
			text += size;
			if (id == pk->cur) {
				in += size;
				out += (uint64_t)n;
				values++;
			}
		}
	}
	sqlite3_finalize(s);
	/* Too little text for a larger one than it is (store__pack_train's cap): it stays as it is. */
	at_least = pk->cur_len + pk->cur_len / 4 < PACK_DICT_MAX ? pk->cur_len + pk->cur_len / 4 : PACK_DICT_MAX;
	if (!d->grown && text / 8 < at_least)
		d->grown = 1;
	/* As two low windows: the next feed's transaction trains a new one (when the gap allows). */
	if (d->base > 0 && values >= PACK_WINDOW / 4 && (double)in / (double)out < d->base * PACK_DRIFT)
		d->low = 2;
}

int
store__pack_count_nodict(fm_store *st)
{
	sqlite3_stmt *s;
	int rc;

	if (st->pack->cur) {
		pack_publish(st->pack); /* open, and migrated: it is saved */
		pack_drift_open(st);
		return 0;
	}
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM items", -1, &s, NULL) != SQLITE_OK)
		return FM_EIO;
	rc = sqlite3_step(s) == SQLITE_ROW ? 0 : FM_EIO;
	if (!rc)
		st->pack->nodict = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}
