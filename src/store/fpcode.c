/* fpcode.c - a fingerprint as the compact blob the state keeps: varints and Rice-coded sorted hashes. */
#include "store/fpcode.h"
#include "feedmerge/error.h"

#include <string.h>

#define FPC_RAW 0xff

/* Bits written LSB first. */
struct fpc_w {
	unsigned char *p;
	uint64_t acc;
	int nacc;
};

/* Bits read LSB first from [p, end). */
struct fpc_r {
	const unsigned char *p, *end;
	uint64_t acc;
	int nacc;
};

/* Writes v as LEB128; returns the new end. */
static unsigned char *
fpc_put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* Reads a LEB128 of at most 5 bytes into a u32; returns 0 or FM_EINVAL. */
static int
fpc_get_varint(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 5 && *p < end; i++) {
		unsigned char c = *(*p)++;

		x |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			if (x > UINT32_MAX)
				return FM_EINVAL;
			*v = (uint32_t)x;
			return 0;
		}
	}
	return FM_EINVAL;
}

/* Writes the n low bits of v (n <= 32). */
static void
fpc_bits(struct fpc_w *w, uint64_t v, int n)
{
	w->acc |= (v & ((1ull << n) - 1)) << w->nacc;
	w->nacc += n;
	while (w->nacc >= 8) {
		*w->p++ = (unsigned char)w->acc;
		w->acc >>= 8;
		w->nacc -= 8;
	}
}

/* Writes n values: Rice-coded gaps when they ascend, else raw. */
static unsigned char *
fpc_put_list(unsigned char *p, const uint32_t *v, uint32_t n)
{
	struct fpc_w w = { 0 };
	uint64_t q;
	uint32_t i, prev = 0;
	int k = 0;

	for (i = 1; i < n; i++)
		if (v[i] < v[i - 1])
			break;
	if (i < n) {
		*p++ = FPC_RAW;
		for (i = 0; i < n; i++, p += 4) {
			p[0] = (unsigned char)v[i];
			p[1] = (unsigned char)(v[i] >> 8);
			p[2] = (unsigned char)(v[i] >> 16);
			p[3] = (unsigned char)(v[i] >> 24);
		}
		return p;
	}
	/* k: the mean gap's log2, so a quotient averages under 2 bits and never sums past 2n. */
	if (n)
		while (k < 31 && ((uint64_t)v[n - 1] / n) >> (k + 1))
			k++;
	*p++ = (unsigned char)k;
	w.p = p;
	for (i = 0; i < n; i++) {
		uint32_t gap = v[i] - prev;

		prev = v[i];
		for (q = gap >> k; q >= 32; q -= 32)
			fpc_bits(&w, 0xffffffffu, 32);
		fpc_bits(&w, (1ull << q) - 1, (int)q); /* q ones, then a zero */
		fpc_bits(&w, 0, 1);
		fpc_bits(&w, gap, k);
	}
	if (w.nacc)
		fpc_bits(&w, 0, 8 - w.nacc);
	return w.p;
}

size_t
store__fp_encode(unsigned char out[STORE_FP_CODE_MAX], const fm_fingerprint *fp)
{
	unsigned char *p = out;
	uint32_t nsketch = fp->nsketch <= FM_FP_SKETCH ? fp->nsketch : FM_FP_SKETCH;
	uint32_t ntitle = fp->ntitle <= FM_FP_TITLE_WORDS ? fp->ntitle : FM_FP_TITLE_WORDS;
	int i;

	*p++ = STORE_FP_CODE_V2;
	p = fpc_put_varint(p, fp->words);
	p = fpc_put_varint(p, fp->shingles);
	p = fpc_put_varint(p, fp->flags);
	p = fpc_put_varint(p, nsketch);
	p = fpc_put_varint(p, ntitle);
	*p++ = fp->link != 0;
	for (i = 0; i < 8; i++)
		*p++ = (unsigned char)(fp->title >> (8 * i));
	if (fp->link)
		for (i = 0; i < 8; i++)
			*p++ = (unsigned char)(fp->link >> (8 * i));
	p = fpc_put_list(p, fp->sketch, nsketch);
	p = fpc_put_list(p, fp->title_words, ntitle);
	return (size_t)(p - out);
}

/* Reads n bits (n <= 32); returns 0 or FM_EINVAL past the end. */
static int
fpc_get_bits(struct fpc_r *r, int n, uint32_t *v)
{
	while (r->nacc < n) {
		if (r->p >= r->end)
			return FM_EINVAL;
		r->acc |= (uint64_t)*r->p++ << r->nacc;
		r->nacc += 8;
	}
	*v = n ? (uint32_t)(r->acc & ((1ull << n) - 1)) : 0;
	r->acc >>= n;
	r->nacc -= n;
	return 0;
}

/* Reads n values written by fpc_put_list into v; returns 0 or FM_EINVAL. */
static int
fpc_get_list(const unsigned char **pp, const unsigned char *end, uint32_t *v, uint32_t n)
{
	struct fpc_r r = { 0 };
	const unsigned char *p = *pp;
	uint64_t prev = 0, q;
	uint32_t i, bit, low;
	int k;

	if (p >= end)
		return FM_EINVAL;
	k = *p++;
	if (k == FPC_RAW) {
		if ((size_t)(end - p) < 4 * (size_t)n)
			return FM_EINVAL;
		for (i = 0; i < n; i++, p += 4)
			v[i] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		*pp = p;
		return 0;
	}
	if (k > 31)
		return FM_EINVAL;
	r.p = p;
	r.end = end;
	for (i = 0; i < n; i++) {
		for (q = 0;; q++) {
			if (fpc_get_bits(&r, 1, &bit))
				return FM_EINVAL;
			if (!bit)
				break;
			if (q > UINT32_MAX)
				return FM_EINVAL;
		}
		if (fpc_get_bits(&r, k, &low))
			return FM_EINVAL;
		prev += (q << k) | low;
		if (prev > UINT32_MAX)
			return FM_EINVAL;
		v[i] = (uint32_t)prev;
	}
	/* The padding is what is left of the last byte, and zero. */
	if (r.acc)
		return FM_EINVAL;
	*pp = r.p;
	return 0;
}

int
store__fp_decode(fm_fingerprint *fp, const unsigned char *b, size_t len)
{
	const unsigned char *p = b, *end = b + len;
	uint32_t has_link;
	int i;

	memset(fp, 0, sizeof *fp);
	if (!b || len < 1 || *p++ != STORE_FP_CODE_V2 ||
	    fpc_get_varint(&p, end, &fp->words) || fpc_get_varint(&p, end, &fp->shingles) ||
	    fpc_get_varint(&p, end, &fp->flags) || fpc_get_varint(&p, end, &fp->nsketch) ||
	    fpc_get_varint(&p, end, &fp->ntitle) ||
	    fp->nsketch > FM_FP_SKETCH || fp->ntitle > FM_FP_TITLE_WORDS || p >= end)
		goto bad;
	has_link = *p++;
	if (has_link > 1 || (size_t)(end - p) < (has_link ? 16u : 8u))
		goto bad;
	for (i = 0; i < 8; i++)
		fp->title |= (uint64_t)*p++ << (8 * i);
	for (i = 0; has_link && i < 8; i++)
		fp->link |= (uint64_t)*p++ << (8 * i);
	if (fpc_get_list(&p, end, fp->sketch, fp->nsketch) ||
	    fpc_get_list(&p, end, fp->title_words, fp->ntitle) || p != end)
		goto bad;
	return 0;
bad:
	memset(fp, 0, sizeof *fp);
	return FM_EINVAL;
}
