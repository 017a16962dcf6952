/* pack.h - items' text kept compressed in the state (internal to the store). */
#ifndef FM_STORE_PACK_H
#define FM_STORE_PACK_H

#include "feedmerge/buf.h"
#include "feedmerge/store.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A packed value is a BLOB: byte 0 is STORE_PACK_V1, then the id of the
 * dictionary it was packed with (LEB128; 0: none, else a row of
 * pack_dicts), then one zstd frame that records its size. Text shorter
 * than STORE_PACK_MIN, or that would not get smaller, stays TEXT, as every
 * value written before schema 9 did. SQL sees the two functions
 * fm_pack(text) and fm_unpack(value) that store__pack_open() registers.
 */
#define STORE_PACK_V1 0x01
#define STORE_PACK_MIN 64
/*
 * Values packed without a dictionary before one is trained (about 1,000
 * items): on the generated feeds enough for a full-size one (pack.c
 * PACK_DICT_MAX), so that it need not be trained again soon.
 */
#define STORE_PACK_TRAIN 2000
/* The most text one packed value may claim to hold. */
#define STORE_PACK_MAX ((size_t)1 << 30)

/* Sets up st's compression contexts and registers fm_pack / fm_unpack on st->db; returns 0, FM_ENOMEM or FM_EIO. */
int store__pack_open(fm_store *st);

/* Frees what store__pack_open() made; harmless when it made nothing. */
void store__pack_close(fm_store *st);

/*
 * Packs the n bytes of text into out (cleared first) with the current
 * dictionary. Returns 1 when out holds a packed value, 0 when the text is
 * better kept plain (out empty), FM_ENOMEM or FM_EIO.
 */
int store__pack(fm_store *st, const char *text, size_t n, fm_buf *out);

/*
 * Unpacks the packed value v of n bytes into out (cleared first; its text
 * NUL-terminated). Returns 0, FM_ENOMEM, or FM_EINVAL when v is malformed,
 * with why (why_len bytes, may be NULL) saying what is wrong.
 */
int store__unpack(fm_store *st, const void *v, size_t n, fm_buf *out, char *why, size_t why_len);

/*
 * Trains a dictionary from the state's newest items and saves it as the
 * one new text is packed with (inside the caller's transaction). Returns
 * 1 when one was made, 0 when there was too little text (for one of
 * at_least bytes), FM_EIO or FM_ENOMEM.
 */
int store__pack_train(fm_store *st, size_t at_least);

/*
 * Trains a dictionary once enough text went without, or a new one when
 * the current one packs what is written now clearly worse than it did
 * (or was trained from little text); from fm_store_begin, in a
 * transaction of its own or a savepoint of an open batch; never fails.
 */
void store__pack_maybe_train(fm_store *st);

/* Migration 8 -> 9 (inside its transaction): trains a dictionary and packs every item's summary and content; returns 0 or FM_EIO / FM_ENOMEM. */
int store__pack_migrate(fm_store *st);

/* Adds the texts p (packed by a packer) compressed without a dictionary to those that count towards training one. */
void store__pack_count(fm_store *st, const fm_store_packed *p);

/* Counts the items of a state opened without a dictionary as text that went without one (and shows other threads a dictionary it has); returns 0 or FM_EIO. */
int store__pack_count_nodict(fm_store *st);

#endif
