/* fingerprint.c - an item's text reduced to what clustering compares. */
#include "feedmerge/fingerprint.h"
#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "feedmerge/text.h"
#include "dedup/normlink.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>
/* XXH3 inlined: a word hash is a few nanoseconds, a call through the PLT is not. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Paragraphs under this many words are page chrome unless they end like a sentence. */
#define FP_CHROME_WORDS 8
/* A lead paragraph has at least this many words. */
#define FP_LEAD_MIN 12

/* Normalised openings of teasers, credits and source lines: never the story. */
#define TEASER(s) { s, sizeof s - 1 }
static const struct fp_teaser {
	const char *s;
	size_t len;
} fp_teasers[] = {
	TEASER("related "), TEASER("read more "), TEASER("also read "), TEASER("see also "),
	TEASER("more "), TEASER("interactive "), TEASER("watch "), TEASER("listen "),
	TEASER("source "), TEASER("sources "), TEASER("image copyright "),
	TEASER("image caption "), TEASER("photo "), TEASER("photograph "), TEASER("picture "),
	TEASER("copyright "), TEASER("all rights reserved"), TEASER("follow us "),
	TEASER("sign up "), TEASER("subscribe "), TEASER("advertisement"),
	TEASER("click here "), TEASER("recommended "), TEASER("most read"),
	TEASER("share this "), TEASER("share on "), TEASER("top stories"),
	TEASER("reporting by "), TEASER("editing by "), TEASER("writing by "),
	TEASER("credit "), TEASER("credits "), TEASER("prev next"), TEASER("comments"),
	TEASER("share "), TEASER("print this "), TEASER("email this "),
};

/* News agencies whose name ends a dateline ("PARIS (AP) --"). */
static const char *const fp_agencies[] = {
	"ap", "reuters", "afp", "upi", "dpa", "efe", "ansa", "xinhua", "pa", "aap",
	"ians", "pti", "bloomberg", "cnn", "bbc",
};

/* The words being collected, as 64-bit hashes. */
struct fp_words {
	uint64_t *v;
	size_t n, a;
};

/* Appends a word hash; returns 0 or FM_ENOMEM. */
static int
words_push(struct fp_words *w, uint64_t h)
{
	if (w->n == w->a && fm__grow(&w->v, &w->a, w->n, sizeof *w->v, 256))
		return FM_ENOMEM;
	w->v[w->n++] = h;
	return 0;
}

/* Words of this many bytes or more are content words ("bridge", not "to"). */
#define FP_CONTENT_BYTES 4

/* Returns 1 for a byte that ends a word of normalised text. */
static inline int
is_word_sep(char c)
{
	return c == ' ' || c == '\n';
}

/*
 * Returns the end of the word starting at s[i] (the first space or newline
 * at or after i, or len). Eight bytes a step where they can be read: one
 * branch a word, not one a byte (the byte loop's mispredicted exits were a
 * fifth of fingerprinting).
 */
static inline size_t
word_end(const char *s, size_t i, size_t len)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, sp, nl, hit;

		memcpy(&x, s + i, 8);
		sp = x ^ (ones * ' ');
		nl = x ^ (ones * '\n');
		/* A zero byte sets its high bit (bits above the first may be false: the lowest is exact). */
		hit = ((sp - ones) & ~sp & highs) | ((nl - ones) & ~nl & highs);
		if (hit)
			return i + (size_t)__builtin_ctzll(hit) / 8;
	}
#endif
	while (i < len && !is_word_sep(s[i]))
		i++;
	return i;
}

/*
 * Hashes every word (run of bytes between spaces) of normalised text s
 * into w. content, when given, receives bit k set for each content word
 * among the first 64 words.
 */
static int
words_hash(struct fp_words *w, const char *s, size_t len, uint64_t *content)
{
	size_t i = 0, start, k = 0;
	int rc = 0;

	if (content)
		*content = 0;
	while (i < len && !rc) {
		while (i < len && is_word_sep(s[i]))
			i++;
		start = i;
		i = word_end(s, i, len);
		if (i > start) {
			if (content && k < 64 && i - start >= FP_CONTENT_BYTES)
				*content |= 1ull << k;
			k++;
			rc = words_push(w, XXH3_64bits(s + start, i - start));
		}
	}
	return rc;
}

/* Returns 1 when s (len bytes, normalised) starts with one of the teasers. */
static int
starts_with_teaser(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof fp_teasers / sizeof fp_teasers[0]; i++) {
		const struct fp_teaser *t = &fp_teasers[i];

		if (!len || s[0] != t->s[0])
			continue;
		if (len >= t->len && !memcmp(s, t->s, t->len))
			return 1;
		/* "more" alone, "advertisement" alone: the entry without its space. */
		if (t->s[t->len - 1] == ' ' && len == t->len - 1 && !memcmp(s, t->s, t->len - 1))
			return 1;
	}
	return 0;
}

/* Returns 1 when a raw paragraph ends like a sentence: . ! ? or an ellipsis, maybe inside quotes. */
static int
ends_like_sentence(const char *p, size_t len)
{
	static const char *const closers[] = { "\"", "'", ")", "\xe2\x80\x9d", "\xe2\x80\x99" };
	size_t i, l;

	for (;;) {
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		for (i = 0; i < sizeof closers / sizeof closers[0]; i++) {
			l = strlen(closers[i]);
			if (len >= l && !memcmp(p + len - l, closers[i], l)) {
				len -= l;
				break;
			}
		}
		if (i == sizeof closers / sizeof closers[0])
			break;
	}
	if (!len)
		return 0;
	if (p[len - 1] == '.' || p[len - 1] == '!' || p[len - 1] == '?')
		return 1;
	return len >= 3 && !memcmp(p + len - 3, "\xe2\x80\xa6", 3);
}

/* Returns 1 when s[0 .. len) holds word w (ASCII, any case) between non-letters. */
static int
has_word(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w), i, j;

	for (i = 0; i + wl <= len; i++) {
		for (j = 0; j < wl && (s[i + j] | 0x20) == w[j]; j++)
			;
		if (j == wl && (i == 0 || !((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')) &&
		    (i + wl == len || !((s[i + wl] | 0x20) >= 'a' && (s[i + wl] | 0x20) <= 'z')))
			return 1;
	}
	return 0;
}

/*
 * Returns 1 when a raw paragraph is a photo caption: it opens like an
 * agency's file photo ("FILE - In this ...", "FILE PHOTO:") or ends in a
 * credit in parentheses ("(Priya Nair/PA)", "(AP Photo/Evan Vucci)",
 * "(Alexei Druzhinin, Sputnik, Kremlin Pool Photo via AP)").
 */
static int
is_caption(const char *p, size_t len)
{
	const char *open;
	size_t n;

	if ((len >= 6 && !memcmp(p, "FILE -", 6)) || (len >= 10 && !memcmp(p, "FILE PHOTO", 10)) ||
	    (len >= 8 && !memcmp(p, "FILE \xe2\x80", 8)))
		return 1;
	while (len && (p[len - 1] == ' ' || p[len - 1] == '.'))
		len--;
	if (!len || p[len - 1] != ')')
		return 0;
	for (open = p + len - 1; open > p && *open != '('; open--)
		;
	n = (size_t)(p + len - 1 - open);
	if (*open != '(' || n < 3 || n > 100)
		return 0;
	open++, n--;
	if (memchr(open, '/', n) || has_word(open, n, "photo") || has_word(open, n, "via") ||
	    has_word(open, n, "getty") || has_word(open, n, "pool") || has_word(open, n, "file"))
		return 1;
	return 0;
}

/*
 * How many leading words of a paragraph are a dateline without an agency:
 * an upper-case place name opening it, set off by a dash in its first 60
 * bytes ("GENEVA \u2014", "NEW YORK, June 9 -", "GENEVA (Associated Press)
 * \u2014"); 0 when none.
 */
static size_t
dateline_place_words(const char *raw, size_t rawlen)
{
	static const char *const dashes[] = { " \xe2\x80\x94 ", " \xe2\x80\x93 ", " -- ", " - " };
	size_t head = rawlen < 60 ? rawlen : 60, i, j, caps = 0, cut = 0, w = 0;
	fm_buf norm = FM_BUF_INIT;

	for (i = 0; i < head && raw[i] != ' ' && raw[i] != ',' && raw[i] != '('; i++) {
		if (raw[i] >= 'a' && raw[i] <= 'z')
			return 0;
		caps += raw[i] >= 'A' && raw[i] <= 'Z';
	}
	if (caps < 2)
		return 0;
	for (i = 1; i < head && !cut; i++)
		for (j = 0; j < sizeof dashes / sizeof dashes[0] && !cut; j++) {
			size_t l = strlen(dashes[j]);

			if (i + l <= rawlen && !memcmp(raw + i, dashes[j], l))
				cut = i;
		}
	/* The words before the dash, counted as the paragraph's own words are. */
	if (cut && !fm_text_normalise(&norm, raw, cut))
		for (i = 0; i < norm.size; i++)
			w += norm.ptr[i] != ' ' && (i == 0 || norm.ptr[i - 1] == ' ');
	fm_buf_dispose(&norm);
	return w <= 8 ? w : 0;
}

/* How many leading words of a lead paragraph are a dateline ("paris ap"), 0 when none. */
static size_t
dateline_words(const char *raw, size_t rawlen, const char *s, size_t len)
{
	size_t i = 0, w = 0, j;

	size_t head = rawlen < 80 ? rawlen : 80;

	/* A dateline sets the agency off: "(AP)", "AP -", "Reuters \u2014". */
	if (!memchr(raw, '(', head) && !memchr(raw, '-', head) && !memchr(raw, '\xe2', head))
		return 0;
	while (i < len && w < 8) {
		size_t start = i;

		while (i < len && s[i] != ' ')
			i++;
		w++;
		for (j = 0; j < sizeof fp_agencies / sizeof fp_agencies[0]; j++)
			if (strlen(fp_agencies[j]) == i - start && !memcmp(s + start, fp_agencies[j], i - start))
				return w;
		while (i < len && s[i] == ' ')
			i++;
	}
	return dateline_place_words(raw, rawlen);
}

/* Adds byte-lane counts (lane j of acc[k]: bit 4k + j) to cnt[64] and clears them. */
static void
simhash_flush(uint32_t acc[16], uint32_t cnt[64])
{
	int k, j;

	for (k = 0; k < 16; k++) {
		for (j = 0; j < 4; j++)
			cnt[4 * k + j] += (acc[k] >> (8 * j)) & 255;
		acc[k] = 0;
	}
}

/*
 * A 64-bit SimHash over the distinct hashes in v[0 .. n): bit b is set when
 * more than half of them have it. The bits are counted four at a time, a
 * nibble spread into four byte lanes by one multiply.
 */
static uint64_t
simhash(const uint64_t *v, size_t n)
{
	uint32_t acc[16] = { 0 }, cnt[64] = { 0 };
	uint64_t out = 0;
	size_t i, j, distinct = 0, pending = 0;
	int k, b;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		if (j < i)
			continue; /* a repeated word counts once */
		for (k = 0; k < 16; k++)
			acc[k] += ((uint32_t)(v[i] >> (4 * k)) & 15) * 0x00204081u & 0x01010101u;
		distinct++;
		if (++pending == 255) { /* a lane holds 255 */
			simhash_flush(acc, cnt);
			pending = 0;
		}
	}
	simhash_flush(acc, cnt);
	for (b = 0; b < 64; b++)
		if (2 * (size_t)cnt[b] > distinct)
			out |= 1ull << b;
	return out;
}

/* Sorts v[0 .. n) ascending by insertion: for short or nearly sorted arrays. */
static void
insertion_sort_u32(uint32_t *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint32_t x = v[i];

		for (j = i; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Sorts v[0 .. n) ascending: LSD radix on bytes through tmp, a pass skipped when one byte value holds everything. */
static void
radix_sort_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	uint32_t count[4][256], *src = v, *dst = tmp, *swap;
	size_t i;
	int pass, b;

	memset(count, 0, sizeof count);
	for (i = 0; i < n; i++) {
		count[0][v[i] & 255]++;
		count[1][(v[i] >> 8) & 255]++;
		count[2][(v[i] >> 16) & 255]++;
		count[3][v[i] >> 24]++;
	}
	for (pass = 0; pass < 4; pass++) {
		uint32_t sum = 0, c, *cnt = count[pass];
		int shift = 8 * pass;

		if (cnt[(src[0] >> shift) & 255] == n)
			continue; /* every value has this byte: already in order */
		for (b = 0; b < 256; b++) {
			c = cnt[b];
			cnt[b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 255]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
}

/* A bucket of the spread sort holding more than this means the values are not spread: radix instead. */
#define SORT_BUCKET_MAX 12

/*
 * Sorts v[0 .. n) ascending (tmp: n more). The values are hashes, spread
 * evenly below their largest: one counting pass on their top 8 bits under
 * it puts each near its place and an insertion pass finishes -- a quarter
 * of the four radix passes for the ~160 values a sketch sorts. Short
 * arrays take insertion alone; long or bunched ones radix.
 */
static void
sort_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	uint32_t count[256], top = 0, sum = 0, c;
	size_t i;
	int shift, b;

	if (n < 48) {
		insertion_sort_u32(v, n);
		return;
	}
	if (n > 1024) {
		radix_sort_u32(v, tmp, n);
		return;
	}
	for (i = 0; i < n; i++)
		top |= v[i];
	shift = top >> 8 ? 24 - __builtin_clz(top) : 0;
	memset(count, 0, sizeof count);
	for (i = 0; i < n; i++)
		count[v[i] >> shift]++;
	for (b = 0; b < 256; b++) {
		if ((c = count[b]) > SORT_BUCKET_MAX) {
			radix_sort_u32(v, tmp, n);
			return;
		}
		count[b] = sum;
		sum += c;
	}
	for (i = 0; i < n; i++)
		tmp[count[v[i] >> shift]++] = v[i];
	insertion_sort_u32(tmp, n);
	memcpy(v, tmp, n * sizeof *v);
}

/* A 32-bit hash of three word hashes in order (they are XXH3 values: mixing suffices). */
static inline uint32_t
shingle_hash(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ (b << 23 | b >> 41) ^ (c << 47 | c >> 17);

	x *= 0x9E3779B97F4A7C15u;
	return (uint32_t)(x >> 32);
}

/* Sorts v[0 .. n) (tmp: n more) and drops repeats; returns how many distinct values remain. */
static size_t
sort_unique(uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t i, u = 0;

	sort_u32(v, tmp, n);
	for (i = 0; i < n; i++)
		if (!u || v[i] != v[u - 1])
			v[u++] = v[i];
	return u;
}

/* How many distinct values v[0 .. n) holds: an open-addressed set of set_slots (a power of two > n). */
static size_t
count_distinct(const uint32_t *v, size_t n, uint32_t *set, size_t set_slots)
{
	size_t i, u = 0, mask = set_slots - 1;
	int zero = 0;

	memset(set, 0, set_slots * sizeof *set);
	for (i = 0; i < n; i++) {
		size_t j = v[i] & mask;

		if (!v[i]) { /* 0 marks an empty slot: counted apart */
			u += !zero;
			zero = 1;
			continue;
		}
		while (set[j] && set[j] != v[i])
			j = (j + 1) & mask;
		if (!set[j]) {
			set[j] = v[i];
			u++;
		}
	}
	return u;
}

/*
 * Fills the shingle count and bottom-k sketch from the story's word hashes.
 * A long story's hashes are not sorted whole: only those under a bound
 * that about 1.25k of them fall below (doubled while fewer than k distinct
 * ones do: rare), and a hash set counts the distinct ones. Same result as sorting
 * everything, in a fraction of the work.
 */
static int
fp_shingles(fm_fingerprint *fp, const struct fp_words *w)
{
	enum { K = FM_FP_SKETCH, STACK = 8 * 1024 };
	size_t n = w->n >= 3 ? w->n - 2 : (w->n ? 1 : 0), i, u, m, slots = 1;
	uint32_t stack[STACK], *h = stack, *c, *tmp, *set;
	uint64_t bound;

	if (!n)
		return 0;
	while (slots <= 2 * n)
		slots <<= 1;
	/* h, candidates and sort room: n each; the set: slots. Most stories fit the stack. */
	if (3 * n + slots > STACK && !(h = malloc((3 * n + slots) * sizeof *h)))
		return FM_ENOMEM;
	c = h + n;
	tmp = c + n;
	set = tmp + n;
	if (w->n >= 3)
		for (i = 0; i < n; i++)
			h[i] = shingle_hash(w->v[i], w->v[i + 1], w->v[i + 2]);
	else
		h[0] = shingle_hash(w->v[0], w->n > 1 ? w->v[1] : 0, 0);
	if (n <= K + K / 4) {
		u = sort_unique(h, tmp, n);
		fp->shingles = (uint32_t)u;
		c = h;
	} else {
		fp->shingles = (uint32_t)count_distinct(h, n, set, slots);
		bound = ((uint64_t)(K + K / 4) << 32) / n;
		for (;;) {
			for (i = m = 0; i < n; i++)
				if (h[i] < bound)
					c[m++] = h[i];
			u = sort_unique(c, tmp, m);
			if (u >= K || bound > UINT32_MAX)
				break;
			bound *= 2;
		}
	}
	fp->nsketch = (uint32_t)(u < K ? u : K);
	memcpy(fp->sketch, c, fp->nsketch * sizeof *c);
	if (h != stack)
		free(h);
	return 0;
}

/*
 * Keeps the smallest 32-bit hashes of the headline's distinct words,
 * ascending, the top bit set on content words (bit i of content), so that
 * sorted they come after the short ones.
 */
static void
fp_title_words(fm_fingerprint *fp, const struct fp_words *title, uint64_t content)
{
	uint32_t v[64], tmp[64];
	size_t i, n = title->n < 64 ? title->n : 64;

	for (i = 0; i < n; i++)
		v[i] = ((uint32_t)(title->v[i] >> 32) & ~FM_FP_CONTENT_WORD) |
		       (content >> i & 1 ? FM_FP_CONTENT_WORD : 0);
	n = sort_unique(v, tmp, n);
	fp->ntitle = (uint32_t)(n < FM_FP_TITLE_WORDS ? n : FM_FP_TITLE_WORDS);
	memcpy(fp->title_words, v, fp->ntitle * sizeof v[0]);
}

/* Strips a wire prefix ("UPDATE 2-", "EXCLUSIVE:") and a site suffix (" | Site", " - Site") from a raw title. */
static void
title_core(const char *t, size_t *start, size_t *end)
{
	static const char *const seps[] = { " | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 " };
	size_t len = strlen(t), i, k;
	const char *p;

	*start = 0;
	*end = len;
	for (i = 0; i < sizeof seps / sizeof seps[0]; i++) {
		const char *last = NULL;

		for (p = t; (p = strstr(p, seps[i])); p++)
			last = p;
		if (last) {
			size_t words = 1;

			for (p = last + strlen(seps[i]); *p; p++)
				words += *p == ' ';
			if (words <= 4 && last > t) {
				*end = (size_t)(last - t);
				break;
			}
		}
	}
	/* A short upper-case lead-in ended by ':' or '-' ("BREAKING:", "UPDATE 1-"). */
	for (k = 0; k < *end && k < 24; k++) {
		char c = t[k];

		if ((c == ':' || c == '-') && k > 1) {
			*start = k + 1;
			break;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' '))
			break;
	}
}

/* One paragraph that passed the fixed rules, prepared once. */
struct fp_para {
	uint64_t hash;     /* XXH3 of its normalised text */
	size_t first, n;   /* its words: words.v[first .. first + n) */
	size_t skip;       /* dateline words to drop should it open the story */
	int title_eq;      /* it repeats the headline */
};

/* An item's text, prepared once: fm_fp_compute may then run with more knowledge. */
struct fm_fp_text {
	uint64_t link;             /* XXH3 of the normalised link, 0 when none */
	int has_title;
	uint64_t title_hash;       /* of the normalised headline, salted */
	struct fp_words title;     /* the headline's word hashes */
	uint64_t title_content;    /* bit i: the headline's word i has FP_CONTENT_BYTES or more */
	struct fp_words words;     /* every prepared paragraph's word hashes, in order */
	struct fp_para *p;
	size_t np, ap;
};

/* Takes one raw paragraph through the fixed rules; a survivor is added to t. */
static int
fp_prepare_paragraph(fm_fp_text *t, fm_buf *norm, const char *title, size_t tlen,
		     const char *raw, size_t rawlen)
{
	struct fp_para *p;
	const char *s;
	size_t len, nw, first;
	int rc;

	fm_buf_clear(norm);
	if ((rc = fm_text_normalise(norm, raw, rawlen)))
		return rc;
	s = fm_buf_cstr(norm);
	len = norm->size;
	if (!len || starts_with_teaser(s, len) ||
	    !strncmp(raw, "\xc2\xa9", 2) || is_caption(raw, rawlen))
		return 0;
	/* Hash the words first: their number decides whether this is page chrome. */
	first = t->words.n;
	if ((rc = words_hash(&t->words, s, len, NULL)))
		return rc;
	nw = t->words.n - first;
	if (nw < FP_CHROME_WORDS && !ends_like_sentence(raw, rawlen)) {
		t->words.n = first;
		return 0;
	}
	if (fm__grow(&t->p, &t->ap, t->np, sizeof *t->p, 16))
		return FM_ENOMEM;
	p = &t->p[t->np];
	p->hash = XXH3_64bits(s, len);
	p->title_eq = tlen && len == tlen && !memcmp(s, title, len);
	p->skip = nw >= FP_LEAD_MIN ? dateline_words(raw, rawlen, s, len) : 0;
	p->first = first;
	p->n = nw;
	t->np++;
	return 0;
}

/* Returns where the blank line that starts at the newline s[i] ends (past its last newline), or 0 when the line is not blank. */
static size_t
blank_line_end(const char *s, size_t i, size_t len)
{
	size_t j = i + 1, end = 0;

	for (;;) {
		while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
			j++;
		if (j >= len || s[j] != '\n')
			return end;
		end = ++j;
	}
}

/*
 * Appends the plain text of an item's body (HTML) to raw, a paragraph a
 * line. A body the feed wrote as plain text (YouTube's media:description,
 * many RSS descriptions) keeps its blank lines as paragraph breaks: read
 * as HTML they were white space, and a channel's boilerplate paragraphs
 * hid in each item's single paragraph, out of the boilerplate learner's
 * reach (15 videos of one channel, their descriptions alike but for the
 * first line, made one story).
 */
static int
body_text(fm_buf *raw, const char *body, fm_text_type type)
{
	size_t len = strlen(body), from = 0, i = 0, end;
	const char *nl;
	int rc;

	if (type != FM_TEXT_PLAIN)
		return fm_text_from_html(raw, body, len);
	while ((nl = memchr(body + i, '\n', len - i))) {
		i = (size_t)(nl - body);
		if (!(end = blank_line_end(body, i, len))) {
			i++;
			continue;
		}
		if ((rc = fm_text_from_html(raw, body + from, i - from)) ||
		    (raw->size && raw->ptr[raw->size - 1] != '\n' && (rc = fm_buf_putc(raw, '\n'))))
			return rc;
		from = i = end;
	}
	return fm_text_from_html(raw, body + from, len - from);
}

int
fm_fp_text_new(fm_fp_text **out, const fm_item *item)
{
	int in_content = item->content && *item->content;
	const char *body = in_content ? item->content : item->summary;
	fm_text_type body_type = in_content ? item->content_detail.type : item->summary_detail.type;
	fm_buf raw = FM_BUF_INIT, title = FM_BUF_INIT, norm = FM_BUF_INIT;
	fm_fp_text *t;
	size_t ts, te, i;
	int rc = 0;

	if (!(*out = t = calloc(1, sizeof *t)))
		return FM_ENOMEM;
	if (item->link) {
		char *link = NULL;

		if ((rc = fm__link_normalise(item->link, &link))) {
			free(t);
			*out = NULL;
			return rc;
		}
		if (link)
			t->link = XXH3_64bits(link, strlen(link)) | 1; /* never 0 */
		free(link);
	}
	if (item->title) {
		title_core(item->title, &ts, &te);
		rc = fm_text_normalise(&title, item->title + ts, te - ts);
		if (!rc)
			rc = words_hash(&t->title, title.ptr ? title.ptr : "", title.size, &t->title_content);
		if (!rc && title.size) {
			t->has_title = 1;
			t->title_hash = XXH3_64bits(title.ptr, title.size) ^ FM_FP_TITLE_SALT;
		}
	}
	if (!rc && body)
		rc = body_text(&raw, body, body_type);
	for (i = 0; !rc && i < raw.size;) {
		const char *nl = memchr(raw.ptr + i, '\n', raw.size - i);
		size_t end = nl ? (size_t)(nl - raw.ptr) : raw.size;

		rc = fp_prepare_paragraph(t, &norm, fm_buf_cstr(&title), title.size, raw.ptr + i, end - i);
		i = end + 1;
	}
	fm_buf_dispose(&raw);
	fm_buf_dispose(&title);
	fm_buf_dispose(&norm);
	if (rc) {
		fm_fp_text_free(t);
		*out = NULL;
	}
	return rc;
}

void
fm_fp_text_free(fm_fp_text *t)
{
	if (!t)
		return;
	free(t->title.v);
	free(t->words.v);
	free(t->p);
	free(t);
}

/* Adds paragraph p's words to the story (and maybe makes it the lead). */
static int
fp_take(const fm_fp_text *t, const struct fp_para *p, struct fp_words *body,
	struct fp_words *lead, int *have_lead)
{
	size_t i, skip = 0, n = p->n;
	int rc = 0;

	/* A dateline opens the story's first real paragraph. */
	if (!*have_lead && n >= FP_LEAD_MIN)
		skip = p->skip;
	for (i = skip; i < n && !rc; i++)
		rc = words_push(body, t->words.v[p->first + i]);
	if (!rc && !*have_lead && n - skip >= FP_LEAD_MIN) {
		*have_lead = 1;
		for (i = 0; i < FM_FP_LEAD_WORDS && !rc; i++)
			rc = words_push(lead, t->words.v[p->first + skip + i]);
	}
	return rc;
}

int
fm_fp_compute(fm_fingerprint *fp, const fm_fp_text *t, fm_fp_boiler_cb is_boiler,
	      void (*para_cb)(void *ud, uint64_t para_hash), void *ud)
{
	struct fp_words body = { NULL, 0, 0 }, lead = { NULL, 0, 0 };
	const struct fp_para *title_para = NULL;
	fm_fingerprint scratch;
	size_t i, kept = 0;
	int rc = 0, have_lead = 0, learn_only = !fp;

	if (!fp)
		fp = &scratch; /* learning only: the callbacks run, nothing is hashed */
	memset(fp, 0, sizeof *fp);
	if (t->has_title) {
		if (para_cb)
			para_cb(ud, t->title_hash);
		if (is_boiler && is_boiler(ud, t->title_hash))
			fp->flags |= FM_FP_TEMPLATED;
	}
	for (i = 0; i < t->np && !rc; i++) {
		const struct fp_para *p = &t->p[i];

		/* The headline repeated in the body is the text only when nothing else is. */
		if (p->title_eq) {
			if (!title_para)
				title_para = p;
			continue;
		}
		if (is_boiler && is_boiler(ud, p->hash))
			continue;
		if (para_cb)
			para_cb(ud, p->hash);
		kept++;
		if (!learn_only)
			rc = fp_take(t, p, &body, &lead, &have_lead);
	}
	if (!rc && !kept && title_para && !(is_boiler && is_boiler(ud, title_para->hash))) {
		if (para_cb)
			para_cb(ud, title_para->hash);
		if (!learn_only)
			rc = fp_take(t, title_para, &body, &lead, &have_lead);
	}
	/* No lead paragraph: the story's first words, else the headline's. */
	for (i = 0; !rc && !learn_only && !have_lead && i < body.n && i < FM_FP_LEAD_WORDS; i++)
		rc = words_push(&lead, body.v[i]);
	if (!rc && !learn_only) {
		if (lead.n >= 4)
			fp->simhash = simhash(lead.v, lead.n);
		else
			fp->simhash = simhash(t->title.v, t->title.n < FM_FP_LEAD_WORDS ? t->title.n : FM_FP_LEAD_WORDS);
		fp->title = t->title.n ? simhash(t->title.v, t->title.n) : 0;
		fp_title_words(fp, &t->title, t->title_content);
		fp->link = t->link;
		fp->words = (uint32_t)body.n;
		rc = fp_shingles(fp, &body);
	}
	free(body.v);
	free(lead.v);
	return rc;
}

int
fm_fingerprint_item(fm_fingerprint *fp, const fm_item *item, fm_fp_boiler_cb is_boiler,
		    void (*para_cb)(void *ud, uint64_t para_hash), void *ud)
{
	fm_fp_text *t;
	int rc;

	if ((rc = fm_fp_text_new(&t, item)))
		return rc;
	rc = fm_fp_compute(fp, t, is_boiler, para_cb, ud);
	fm_fp_text_free(t);
	return rc;
}

void
fm_fp_overlap(const fm_fingerprint *a, const fm_fingerprint *b, double *of_small, double *of_large)
{
	/* Every hash up to tau is in a truncated sketch: compare the sets below it. */
	uint32_t ta = fm_fp_sketch_bound(a), tb = fm_fp_sketch_bound(b);
	uint32_t tau = ta < tb ? ta : tb, i = 0, j = 0, na = 0, nb = 0, both = 0;

	*of_small = *of_large = 0;
	if (!a->nsketch || !b->nsketch)
		return;
	while (i < a->nsketch && a->sketch[i] <= tau && j < b->nsketch && b->sketch[j] <= tau) {
		if (a->sketch[i] < b->sketch[j]) {
			i++, na++;
		} else if (b->sketch[j] < a->sketch[i]) {
			j++, nb++;
		} else {
			i++, j++, na++, nb++, both++;
		}
	}
	for (; i < a->nsketch && a->sketch[i] <= tau; i++)
		na++;
	for (; j < b->nsketch && b->sketch[j] <= tau; j++)
		nb++;
	if (na && nb) {
		*of_small = (double)both / (na < nb ? na : nb);
		*of_large = (double)both / (na < nb ? nb : na);
	}
}

unsigned
fm_fp_title_overlap(const fm_fingerprint *a, const fm_fingerprint *b, double *jaccard)
{
	uint32_t i = 0, j = 0, both = 0;

	while (i < a->ntitle && j < b->ntitle) {
		if (a->title_words[i] < b->title_words[j])
			i++;
		else if (b->title_words[j] < a->title_words[i])
			j++;
		else
			i++, j++, both++;
	}
	*jaccard = a->ntitle && b->ntitle ? (double)both / (a->ntitle + b->ntitle - both) : 0;
	return both;
}

double
fm_fp_containment(const fm_fingerprint *a, const fm_fingerprint *b)
{
	double small, large;

	fm_fp_overlap(a, b, &small, &large);
	return small;
}
