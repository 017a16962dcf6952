/* fpcache.c - the fingerprints the clusterer indexed, packed in two generations, found by row. */
#include "dedup/fpcache.h"
#include "feedmerge/error.h"

#include <stdlib.h>
#include <string.h>

/* One packed fingerprint: this head, then ntitle headline word hashes and nsketch sketch hashes. */
struct fc_head {
	int64_t row;
	uint64_t simhash, title, link;
	uint32_t words, shingles, flags;
	uint16_t nsketch;
	uint8_t ntitle;
	uint8_t size8; /* the entry's bytes / 8 */
};

/* One generation: packed entries, bytes [0, used) of buf (cap allocated, at most half the budget). */
struct fc_gen {
	unsigned char *buf;
	size_t used, cap;
};

/* A row's newest entry: which generation (its number) and where in it. */
struct fc_slot {
	int64_t row; /* 0: empty */
	uint32_t off;
	uint32_t gen;
};

struct fm_fpcache {
	struct fc_gen gens[2]; /* gens[cur] is the newer */
	int cur;
	uint32_t gen;          /* the newer generation's number; the older's is gen - 1 */
	size_t half;           /* bytes a generation may hold */
	struct fc_slot *slots; /* open-addressed, linear probing; a power of two */
	size_t nslots, used;
};

/* The slot of row: its entry, or the empty slot it would take. */
static size_t
fc_slot(const fm_fpcache *c, int64_t row)
{
	size_t i = (size_t)((uint64_t)row * 0x9e3779b97f4a7c15ull >> 20) & (c->nslots - 1);

	while (c->slots[i].row && c->slots[i].row != row)
		i = (i + 1) & (c->nslots - 1);
	return i;
}

/* Points row at (gen, off), growing the table past half full; returns 0 or FM_ENOMEM. */
static int
fc_set(fm_fpcache *c, int64_t row, uint32_t gen, uint32_t off)
{
	size_t i;

	if (2 * (c->used + 1) > c->nslots) {
		struct fc_slot *old = c->slots;
		size_t n = c->nslots, k;

		if (!(c->slots = calloc(n ? 2 * n : 1024, sizeof *c->slots))) {
			c->slots = old;
			return FM_ENOMEM;
		}
		c->nslots = n ? 2 * n : 1024;
		for (k = 0; k < n; k++)
			if (old[k].row)
				c->slots[fc_slot(c, old[k].row)] = old[k];
		free(old);
	}
	i = fc_slot(c, row);
	if (!c->slots[i].row)
		c->used++;
	c->slots[i].row = row;
	c->slots[i].gen = gen;
	c->slots[i].off = off;
	return 0;
}

/*
 * The newer generation is full: it becomes the older, the older is
 * dropped, and the table is rebuilt from what stays.
 */
static int
fc_turn(fm_fpcache *c)
{
	const struct fc_gen *old;
	size_t off;

	c->cur ^= 1;
	c->gen++;
	c->gens[c->cur].used = 0;
	memset(c->slots, 0, c->nslots * sizeof *c->slots);
	c->used = 0;
	old = &c->gens[c->cur ^ 1];
	for (off = 0; off < old->used;) {
		const struct fc_head *h = (const struct fc_head *)(old->buf + off);
		int rc = fc_set(c, h->row, c->gen - 1, (uint32_t)off);

		if (rc)
			return rc;
		off += (size_t)h->size8 * 8;
	}
	return 0;
}

/* Makes room for size more bytes in the newer generation; returns 0 or FM_ENOMEM. */
static int
fc_room(fm_fpcache *c, size_t size)
{
	struct fc_gen *g = &c->gens[c->cur];
	unsigned char *buf;
	size_t cap;
	int rc;

	if (g->used + size > c->half) {
		if ((rc = fc_turn(c)))
			return rc;
		g = &c->gens[c->cur];
	}
	if (g->used + size <= g->cap)
		return 0;
	cap = g->cap ? 2 * g->cap : 64 * 1024;
	if (cap > c->half)
		cap = c->half;
	if (!(buf = realloc(g->buf, cap)))
		return FM_ENOMEM;
	g->buf = buf;
	g->cap = cap;
	return 0;
}

fm_fpcache *
fm__fpcache_new(size_t budget)
{
	fm_fpcache *c = calloc(1, sizeof *c);

	if (c)
		c->half = budget / 2;
	return c;
}

int
fm__fpcache_put(fm_fpcache *c, int64_t row, const fm_fingerprint *fp)
{
	size_t n = fp->ntitle + fp->nsketch;
	size_t size = (sizeof(struct fc_head) + 4 * n + 7) & ~(size_t)7;
	struct fc_head *h;
	uint32_t *w;
	int rc;

	if (size > c->half)
		return 0; /* a budget too small to keep anything */
	if ((rc = fc_room(c, size)))
		return rc;
	h = (struct fc_head *)(c->gens[c->cur].buf + c->gens[c->cur].used);
	if ((rc = fc_set(c, row, c->gen, (uint32_t)c->gens[c->cur].used)))
		return rc;
	h->row = row;
	h->simhash = fp->simhash;
	h->title = fp->title;
	h->link = fp->link;
	h->words = fp->words;
	h->shingles = fp->shingles;
	h->flags = fp->flags;
	h->nsketch = (uint16_t)fp->nsketch;
	h->ntitle = (uint8_t)fp->ntitle;
	h->size8 = (uint8_t)(size / 8);
	w = (uint32_t *)(h + 1);
	memcpy(w, fp->title_words, fp->ntitle * sizeof *w);
	memcpy(w + fp->ntitle, fp->sketch, fp->nsketch * sizeof *w);
	c->gens[c->cur].used += size;
	return 0;
}

int
fm__fpcache_get(const fm_fpcache *c, int64_t row, fm_fingerprint *fp)
{
	const struct fc_slot *s;
	const struct fc_head *h;
	const uint32_t *w;

	if (!c->nslots)
		return 0;
	s = &c->slots[fc_slot(c, row)];
	if (!s->row)
		return 0;
	h = (const struct fc_head *)(c->gens[s->gen == c->gen ? c->cur : c->cur ^ 1].buf + s->off);
	fp->simhash = h->simhash;
	fp->title = h->title;
	fp->link = h->link;
	fp->words = h->words;
	fp->shingles = h->shingles;
	fp->flags = h->flags;
	fp->nsketch = h->nsketch;
	fp->ntitle = h->ntitle;
	w = (const uint32_t *)(h + 1);
	memcpy(fp->title_words, w, fp->ntitle * sizeof *w);
	memcpy(fp->sketch, w + fp->ntitle, fp->nsketch * sizeof *w);
	return 1;
}

void
fm__fpcache_free(fm_fpcache *c)
{
	if (!c)
		return;
	free(c->gens[0].buf);
	free(c->gens[1].buf);
	free(c->slots);
	free(c);
}
