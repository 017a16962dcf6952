/* gate.c - upper bounds on the rules' measures from an item's gate: a candidate turned away cheaply. */
#include "dedup/gate.h"

#include <string.h>

/* The bucket of a sketch hash (of FM_GATE_BITS). */
static unsigned
gate_bucket(uint32_t h)
{
	return (uint32_t)(h * 0x9E3779B1u) >> 24;
}

/* The factor gate_scale scales hashes up to pmax by (one division a gate, not one a hash). */
static uint64_t
gate_factor(uint32_t pmax)
{
	return pmax ? ((uint64_t)65535 << 32) / pmax : 0;
}

/*
 * h (at most pmax) scaled to 16 bits by f = gate_factor(pmax), keeping
 * order: equal hashes scale equal, a smaller one never larger. No
 * overflow: h * f <= pmax * f <= 65535 * 2^32.
 */
static uint16_t
gate_scale(uint32_t h, uint64_t f)
{
	return (uint16_t)((h * f) >> 32);
}

/* The bucket of a headline word hash (of 64). */
static unsigned
gate_title_bucket(uint32_t h)
{
	return (uint32_t)(h * 0x9E3779B1u) >> 26;
}

/* A link hash in 32 bits. */
static uint32_t
gate_link(uint64_t link)
{
	return (uint32_t)(link >> 32) ^ (uint32_t)link;
}

/* Rank (1-based) of the sketch entry that mark k stands for in a sketch of n entries; 0: none. */
static unsigned
gate_mark_rank(unsigned k, unsigned n)
{
	return (k + 1) * n / FM_GATE_MARKS;
}

/* Entries of the gate's prefix. */
static unsigned
gate_nprefix(const fm_gate *g)
{
	return g->nsketch < FM_GATE_PREFIX ? g->nsketch : FM_GATE_PREFIX;
}

void
fm__gate_make(fm_gate *g, const fm_fingerprint *fp)
{
	unsigned i, b, r, np;
	uint64_t f;

	memset(g, 0, sizeof *g);
	g->nsketch = (uint8_t)fp->nsketch;
	g->ntitle = (uint8_t)fp->ntitle;
	np = gate_nprefix(g);
	g->pmax = np ? fp->sketch[np - 1] : 0;
	f = gate_factor(g->pmax);
	for (i = 0; i < np; i++)
		g->prefix[i] = gate_scale(fp->sketch[i], f);
	for (; i < fp->nsketch; i++) {
		b = gate_bucket(fp->sketch[i]);
		g->rest[b / 64] |= 1ull << (b % 64);
	}
	for (i = 0; i < fp->ntitle; i++)
		g->title |= 1ull << gate_title_bucket(fp->title_words[i]);
	g->tmax = fm_fp_sketch_bound(fp);
	g->link = fp->link ? gate_link(fp->link) : 0;
	for (i = 0; i < FM_GATE_MARKS; i++) {
		r = gate_mark_rank(i, fp->nsketch);
		g->mark[i] = r ? (uint16_t)(fp->sketch[r - 1] >> 16) : 0xffff;
	}
}

void
fm__gate_query(fm_gate_query *q, const fm_fingerprint *fp, const fm_dedup_params *p)
{
	double m = p->containment;
	unsigned i;

	q->fp = fp;
	for (i = 0; i < fp->nsketch; i++)
		q->bucket[i] = (uint16_t)gate_bucket(fp->sketch[i]);
	for (i = 0; i < fp->ntitle; i++)
		q->title_bucket[i] = (uint8_t)gate_title_bucket(fp->title_words[i]);
	q->link = fp->link ? gate_link(fp->link) : 0;
	/* Every text rule asks at least one of these of the containment (an overlap is never above it). */
	if (p->text_alone < m)
		m = p->text_alone;
	if (p->short_text < m)
		m = p->short_text;
	if (p->same_feed < m)
		m = p->same_feed;
	if (p->repost_overlap < m)
		m = p->repost_overlap;
	q->text_min = m;
	q->headline = p->headline;
	q->headline_words = p->headline_words;
}

/* Entries of a sorted sketch at most tau. */
static unsigned
gate_at_most(const uint32_t *v, unsigned n, uint32_t tau)
{
	unsigned lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (v[mid] <= tau)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A lower bound of the gate's sketch entries at most tau (< tmax). */
static unsigned
gate_at_most_below(const fm_gate *g, uint32_t tau)
{
	unsigned np = gate_nprefix(g), nb = 0, i, r;
	uint16_t t;

	if (tau < g->pmax) {
		/* Scaling keeps order: an entry scaled below tau's scale is below tau. */
		for (t = gate_scale(tau, gate_factor(g->pmax)); nb < np && g->prefix[nb] < t; nb++)
			;
		return nb;
	}
	nb = np;
	/* A mark's entry is at most tau for sure when its largest possible value is. */
	for (i = 0; i < FM_GATE_MARKS; i++) {
		r = gate_mark_rank(i, g->nsketch);
		if (r <= nb)
			continue;
		if (((uint32_t)g->mark[i] << 16 | 0xffffu) > tau)
			break;
		nb = r;
	}
	return nb;
}

/*
 * Upper bound of fm_fp_overlap's containment: the query's entries at most
 * tau that the gate may share (a prefix entry scaled alike, or a set
 * bucket past the prefix: every shared hash is one) over the fewer of the
 * two sides' entries at most tau (the gate's side bounded from below).
 */
static double
gate_containment(const fm_gate_query *q, const fm_gate *g)
{
	const fm_fingerprint *a = q->fp;
	uint32_t ta, tau, x;
	unsigned na, nb, m, ub = 0, i, j = 0, np = gate_nprefix(g);
	uint64_t f = gate_factor(g->pmax);
	uint16_t sx;

	if (!a->nsketch || !g->nsketch)
		return 0;
	ta = fm_fp_sketch_bound(a);
	tau = ta < g->tmax ? ta : g->tmax;
	if (!(na = gate_at_most(a->sketch, a->nsketch, tau)))
		return 0;
	for (i = 0; i < na; i++) {
		x = a->sketch[i];
		if (x <= g->pmax) {
			/* Both ascend: walk the prefix alongside. */
			for (sx = gate_scale(x, f); j < np && g->prefix[j] < sx; j++)
				;
			ub += j < np && g->prefix[j] == sx;
		} else {
			ub += (unsigned)(g->rest[q->bucket[i] / 64] >> (q->bucket[i] % 64)) & 1u;
		}
	}
	if (!ub)
		return 0;
	if (!(nb = tau >= g->tmax ? g->nsketch : gate_at_most_below(g, tau)))
		return 1; /* no bound: the rules decide */
	m = na < nb ? na : nb;
	return ub >= m ? 1 : (double)ub / m;
}

int
fm__gate_may_match(const fm_gate_query *q, const fm_gate *g)
{
	const fm_fingerprint *a = q->fp;
	unsigned shared = 0, i;
	double jaccard = 0;

	if (a->link && q->link == g->link)
		return 1;
	if (a->ntitle && g->ntitle) {
		for (i = 0; i < a->ntitle; i++)
			shared += (unsigned)(g->title >> q->title_bucket[i]) & 1u;
		if (shared > g->ntitle)
			shared = g->ntitle;
		if (shared)
			jaccard = (double)shared / (a->ntitle + g->ntitle - shared);
	}
	if (shared >= q->headline_words && jaccard >= q->headline)
		return 1;
	return gate_containment(q, g) >= q->text_min;
}
