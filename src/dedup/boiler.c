/* boiler.c - a feed's repeated paragraphs, counted in a bounded table. */
#include "feedmerge/boiler.h"
#include "feedmerge/error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Blob layout (little-endian): magic u32, count u32, clock u32, then per
 * entry hash u32, age u16 (clock - last, saturating), items u16: 8 bytes.
 * Layout 1 ("blr1", read only) kept the whole 64-bit hash and last: 14.
 * A table holds at most FM_BOILER_CAP hashes of one feed, so two of its
 * paragraphs sharing 32 bits is about one chance in 2^21 per new one, and
 * then only their counts merge.
 */
#define BOILER_MAGIC 0x32726c62u    /* "blr2" */
#define BOILER_MAGIC_V1 0x31726c62u /* "blr1" */
#define BOILER_HEAD 12
#define BOILER_ENTRY 8
#define BOILER_ENTRY_V1 14
#define BOILER_AGE_MAX UINT16_MAX
#define BOILER_SLOTS (2 * FM_BOILER_CAP) /* a power of two */

struct boiler_entry {
	uint32_t hash;   /* boiler_hash of the paragraph's */
	uint32_t last;   /* the clock when an item last carried it */
	uint16_t items;  /* items that carried it (saturating) */
};

struct fm_boiler {
	struct boiler_entry e[FM_BOILER_CAP];
	uint16_t slot[BOILER_SLOTS]; /* entry index + 1, 0 empty */
	uint32_t n, clock;
	int changed;
};

/* The 32 bits of a paragraph's hash the table keeps. */
static uint32_t
boiler_hash(uint64_t hash)
{
	return (uint32_t)(hash ^ hash >> 32);
}

/* The slot of hash (boiler_hash's): its entry's, or the empty one it would take. */
static size_t
boiler_slot(const fm_boiler *b, uint32_t hash)
{
	size_t i = (size_t)((uint64_t)hash * 0x9E3779B97F4A7C15u >> 48) & (BOILER_SLOTS - 1);

	while (b->slot[i] && b->e[b->slot[i] - 1].hash != hash)
		i = (i + 1) & (BOILER_SLOTS - 1);
	return i;
}

/* Rebuilds the slots from the entries. */
static void
boiler_reindex(fm_boiler *b)
{
	uint32_t i;

	memset(b->slot, 0, sizeof b->slot);
	for (i = 0; i < b->n; i++)
		b->slot[boiler_slot(b, b->e[i].hash)] = (uint16_t)(i + 1);
}

/* Reads n little-endian bytes. */
static uint64_t
le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int
fm_boiler_load(fm_boiler **out, const void *blob, size_t len)
{
	const unsigned char *p = blob;
	fm_boiler *b;
	uint32_t i, n, magic;
	size_t size;

	if (!(*out = b = calloc(1, sizeof *b)))
		return FM_ENOMEM;
	if (!p || len < BOILER_HEAD)
		return 0;
	magic = (uint32_t)le(p, 4);
	if (magic != BOILER_MAGIC && magic != BOILER_MAGIC_V1)
		return 0;
	size = magic == BOILER_MAGIC ? BOILER_ENTRY : BOILER_ENTRY_V1;
	n = (uint32_t)le(p + 4, 4);
	if (n > FM_BOILER_CAP || len != BOILER_HEAD + (size_t)n * size)
		return 0;
	b->clock = (uint32_t)le(p + 8, 4);
	for (i = 0; i < n; i++) {
		const unsigned char *q = p + BOILER_HEAD + (size_t)i * size;
		uint32_t age;

		if (magic == BOILER_MAGIC) {
			b->e[i].hash = (uint32_t)le(q, 4);
			age = (uint32_t)le(q + 4, 2);
			b->e[i].last = age < b->clock ? b->clock - age : 0;
			b->e[i].items = (uint16_t)le(q + 6, 2);
		} else {
			b->e[i].hash = boiler_hash(le(q, 8));
			b->e[i].last = (uint32_t)le(q + 8, 4);
			b->e[i].items = (uint16_t)le(q + 12, 2);
		}
	}
	b->n = n;
	boiler_reindex(b);
	return 0;
}

void
fm_boiler_free(fm_boiler *b)
{
	free(b);
}

/* Orders entries: the ones to forget first (rare, then long unseen). */
static int
boiler_cmp(const void *x, const void *y)
{
	const struct boiler_entry *a = x, *b = y;
	int ra = a->items >= FM_BOILER_ITEMS, rb = b->items >= FM_BOILER_ITEMS;

	if (ra != rb)
		return ra - rb;
	return a->last < b->last ? -1 : a->last > b->last;
}

/* Full: forgets a quarter, rare and long-unseen entries first. */
static void
boiler_forget(fm_boiler *b)
{
	uint32_t drop = FM_BOILER_CAP / 4;

	qsort(b->e, b->n, sizeof b->e[0], boiler_cmp);
	memmove(b->e, b->e + drop, (b->n - drop) * sizeof b->e[0]);
	b->n -= drop;
	boiler_reindex(b);
}

unsigned
fm_boiler_learn(fm_boiler *b, uint64_t para)
{
	uint32_t hash = boiler_hash(para);
	size_t s = boiler_slot(b, hash);
	struct boiler_entry *e;

	b->clock++;
	b->changed = 1;
	if (b->slot[s]) {
		e = &b->e[b->slot[s] - 1];
		if (e->items < UINT16_MAX)
			e->items++;
		e->last = b->clock;
		return e->items;
	}
	if (b->n == FM_BOILER_CAP) {
		boiler_forget(b);
		s = boiler_slot(b, hash);
	}
	e = &b->e[b->n];
	e->hash = hash;
	e->last = b->clock;
	e->items = 1;
	b->slot[s] = (uint16_t)++b->n;
	return 1;
}

unsigned
fm_boiler_count(const fm_boiler *b, uint64_t para)
{
	size_t s = boiler_slot(b, boiler_hash(para));

	return b->slot[s] ? b->e[b->slot[s] - 1].items : 0;
}

int
fm_boiler_changed(const fm_boiler *b)
{
	return b->changed;
}

/* Appends v as n little-endian bytes. */
static int
put_le(fm_buf *out, uint64_t v, int n)
{
	unsigned char p[8];
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return fm_buf_append(out, p, (size_t)n);
}

int
fm_boiler_save(const fm_boiler *b, fm_buf *out)
{
	uint32_t i;
	int rc;

	if ((rc = fm_buf_grow(out, BOILER_HEAD + (size_t)b->n * BOILER_ENTRY)) ||
	    (rc = put_le(out, BOILER_MAGIC, 4)) || (rc = put_le(out, b->n, 4)) ||
	    (rc = put_le(out, b->clock, 4)))
		return rc;
	for (i = 0; i < b->n && !rc; i++) {
		uint32_t age = b->clock - b->e[i].last;

		if (!(rc = put_le(out, b->e[i].hash, 4)) &&
		    !(rc = put_le(out, age < BOILER_AGE_MAX ? age : BOILER_AGE_MAX, 2)))
			rc = put_le(out, b->e[i].items, 2);
	}
	return rc;
}
