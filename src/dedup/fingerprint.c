/* fingerprint.c - an item's text reduced to what clustering compares. */
#include "feedmerge/fingerprint.h"
#include "feedmerge/buf.h"
#include "feedmerge/error.h"
#include "feedmerge/text.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Paragraphs under this many words are page chrome unless they end like a sentence. */
#define FP_CHROME_WORDS 8
/* A lead paragraph has at least this many words. */
#define FP_LEAD_MIN 12

/* Normalised openings of teasers, credits and source lines: never the story. */
static const char *const fp_teasers[] = {
	"related ", "read more ", "also read ", "see also ", "more ", "interactive ",
	"watch ", "listen ", "source ", "sources ", "image copyright ", "image caption ",
	"photo ", "photograph ", "picture ", "copyright ", "all rights reserved",
	"follow us ", "sign up ", "subscribe ", "advertisement", "click here ",
	"recommended ", "most read", "share this ", "share on ", "top stories",
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
	if (w->n == w->a) {
		size_t a = w->a ? w->a * 2 : 256;
		uint64_t *v = realloc(w->v, a * sizeof *v);

		if (!v)
			return FM_ENOMEM;
		w->v = v;
		w->a = a;
	}
	w->v[w->n++] = h;
	return 0;
}

/* fm_text_words callback: hashes each word into a struct fp_words. */
static int
words_add(void *ud, const char *word, size_t len, size_t para)
{
	(void)para;
	return words_push(ud, XXH3_64bits(word, len));
}

/* Returns 1 when s (len bytes, normalised) starts with one of list's n entries. */
static int
starts_with_any(const char *s, size_t len, const char *const *list, size_t n)
{
	size_t i, l;

	for (i = 0; i < n; i++) {
		l = strlen(list[i]);
		if (len >= l && !memcmp(s, list[i], l))
			return 1;
		/* "more" alone, "advertisement" alone: the entry without its space. */
		if (list[i][l - 1] == ' ' && len == l - 1 && !memcmp(s, list[i], l - 1))
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

/* Counts the words of normalised text. */
static size_t
count_words(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			n++;
	return n;
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
	return 0;
}

/* A 64-bit SimHash over the distinct hashes in v[0 .. n). */
static uint64_t
simhash(const uint64_t *v, size_t n)
{
	int acc[64] = { 0 };
	uint64_t out = 0;
	size_t i, j;
	int b;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && v[j] != v[i]; j++)
			;
		if (j < i)
			continue; /* a repeated word counts once */
		for (b = 0; b < 64; b++)
			acc[b] += (int)((v[i] >> b) & 1) * 2 - 1;
	}
	for (b = 0; b < 64; b++)
		if (acc[b] > 0)
			out |= 1ull << b;
	return out;
}

/* Sorts v[0 .. n) ascending: LSD radix, four 8-bit passes through tmp (insertion sort when short). */
static void
sort_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t count[256], i, pass;
	uint32_t *src = v, *dst = tmp, *swap;

	if (n < 48) {
		for (i = 1; i < n; i++) {
			uint32_t x = v[i];
			size_t j = i;

			for (; j && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return;
	}
	for (pass = 0; pass < 32; pass += 8) {
		size_t sum = 0;

		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(src[i] >> pass) & 255]++;
		for (i = 0; i < 256; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> pass) & 255]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	/* Four passes: the result is back in v. */
}

/* A 32-bit hash of three word hashes in order (they are XXH3 values: mixing suffices). */
static inline uint32_t
shingle_hash(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ (b << 23 | b >> 41) ^ (c << 47 | c >> 17);

	x *= 0x9E3779B97F4A7C15u;
	return (uint32_t)(x >> 32);
}

/* Fills the shingle count and bottom-k sketch from the story's word hashes. */
static int
fp_shingles(fm_fingerprint *fp, const struct fp_words *w)
{
	size_t n = w->n >= 3 ? w->n - 2 : (w->n ? 1 : 0), i, u = 0;
	uint32_t *h;

	if (!n)
		return 0;
	if (!(h = malloc(2 * n * sizeof *h)))
		return FM_ENOMEM;
	if (w->n >= 3)
		for (i = 0; i < n; i++)
			h[i] = shingle_hash(w->v[i], w->v[i + 1], w->v[i + 2]);
	else
		h[0] = shingle_hash(w->v[0], w->n > 1 ? w->v[1] : 0, 0);
	sort_u32(h, h + n, n);
	for (i = 0; i < n; i++)
		if (!u || h[i] != h[u - 1])
			h[u++] = h[i];
	fp->shingles = (uint32_t)u;
	fp->nsketch = (uint32_t)(u < FM_FP_SKETCH ? u : FM_FP_SKETCH);
	memcpy(fp->sketch, h, fp->nsketch * sizeof *h);
	free(h);
	return 0;
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

/* Everything the paragraph walk shares. */
struct fp_walk {
	fm_fingerprint *fp;
	struct fp_words body, lead, title;
	fm_buf norm;
	const char *title_norm;
	size_t title_len;
	int have_lead;
	const char *title_para; /* a paragraph that repeated the headline */
	size_t title_para_len;
	int title_as_text;      /* nothing else was kept: take it as the text */
	int learn_only;         /* no fingerprint wanted: only report paragraphs */
	size_t kept;            /* paragraphs kept */
	fm_fp_boiler_cb is_boiler;
	void (*para_cb)(void *ud, uint64_t para_hash);
	void *ud;
};

/* Takes one raw paragraph through the rules; kept words go to the body (and maybe the lead). */
static int
fp_paragraph(struct fp_walk *w, const char *raw, size_t rawlen)
{
	const char *s;
	size_t len, nw, skip = 0, before;
	uint64_t h;
	int rc;

	fm_buf_clear(&w->norm);
	if ((rc = fm_text_normalise(&w->norm, raw, rawlen)))
		return rc;
	s = fm_buf_cstr(&w->norm);
	len = w->norm.size;
	if (!len || starts_with_any(s, len, fp_teasers, sizeof fp_teasers / sizeof fp_teasers[0]) ||
	    !strncmp(raw, "\xc2\xa9", 2))
		return 0;
	nw = count_words(s, len);
	if (nw < FP_CHROME_WORDS && !ends_like_sentence(raw, rawlen))
		return 0;
	if (w->title_len && len == w->title_len && !memcmp(s, w->title_norm, len) && !w->title_as_text) {
		/* The headline repeated in the body; it is the text only when nothing else is. */
		if (!w->title_para) {
			w->title_para = raw;
			w->title_para_len = rawlen;
		}
		return 0;
	}
	h = XXH3_64bits(s, len);
	if (w->is_boiler && w->is_boiler(w->ud, h))
		return 0;
	if (w->para_cb)
		w->para_cb(w->ud, h);
	w->kept++;
	if (w->learn_only)
		return 0;
	/* A dateline opens the story's first real paragraph. */
	if (!w->have_lead && nw >= FP_LEAD_MIN)
		skip = dateline_words(raw, rawlen, s, len);
	before = w->body.n;
	if ((rc = fm_text_words(s, len, words_add, &w->body)))
		return rc;
	if (skip) {
		memmove(w->body.v + before, w->body.v + before + skip,
			(w->body.n - before - skip) * sizeof *w->body.v);
		w->body.n -= skip;
		nw -= skip;
	}
	if (!w->have_lead && nw >= FP_LEAD_MIN) {
		size_t i;

		w->have_lead = 1;
		for (i = 0; i < FM_FP_LEAD_WORDS && (rc = words_push(&w->lead, w->body.v[before + i])) == 0; i++)
			;
	}
	return rc;
}

int
fm_fingerprint_item(fm_fingerprint *fp, const fm_item *item, fm_fp_boiler_cb is_boiler,
		    void (*para_cb)(void *ud, uint64_t para_hash), void *ud)
{
	struct fp_walk w;
	fm_buf raw = FM_BUF_INIT, title = FM_BUF_INIT;
	const char *body = item->content && *item->content ? item->content : item->summary;
	fm_fingerprint scratch;
	size_t ts, te, i;
	int rc = 0;

	memset(&w, 0, sizeof w);
	if (!fp) {
		/* Learning only: the paragraphs and headline go to para_cb, nothing is hashed. */
		w.learn_only = 1;
		fp = &scratch;
	}
	memset(fp, 0, sizeof *fp);
	w.fp = fp;
	w.is_boiler = is_boiler;
	w.para_cb = para_cb;
	w.ud = ud;
	if (item->title) {
		title_core(item->title, &ts, &te);
		rc = fm_text_normalise(&title, item->title + ts, te - ts);
		if (!rc)
			rc = fm_text_words(title.ptr ? title.ptr : "", title.size, words_add, &w.title);
		w.title_norm = fm_buf_cstr(&title);
		w.title_len = title.size;
		if (!rc && title.size) {
			uint64_t th = XXH3_64bits(title.ptr, title.size) ^ FM_FP_TITLE_SALT;

			if (para_cb)
				para_cb(ud, th);
			if (is_boiler && is_boiler(ud, th))
				fp->flags |= FM_FP_TEMPLATED;
		}
	}
	if (!rc && body)
		rc = fm_text_from_html(&raw, body, strlen(body));
	for (i = 0; !rc && i < raw.size;) {
		const char *nl = memchr(raw.ptr + i, '\n', raw.size - i);
		size_t end = nl ? (size_t)(nl - raw.ptr) : raw.size;

		rc = fp_paragraph(&w, raw.ptr + i, end - i);
		i = end + 1;
	}
	if (!rc && !w.kept && w.title_para) {
		w.title_as_text = 1;
		rc = fp_paragraph(&w, w.title_para, w.title_para_len);
	}
	/* No lead paragraph: the story's first words, else the headline's. */
	for (i = 0; !rc && !w.have_lead && i < w.body.n && i < FM_FP_LEAD_WORDS; i++)
		rc = words_push(&w.lead, w.body.v[i]);
	if (!rc && !w.learn_only) {
		if (w.lead.n >= 4)
			fp->simhash = simhash(w.lead.v, w.lead.n);
		else
			fp->simhash = simhash(w.title.v, w.title.n < FM_FP_LEAD_WORDS ? w.title.n : FM_FP_LEAD_WORDS);
		fp->title = w.title.n ? simhash(w.title.v, w.title.n) : 0;
		fp->words = (uint32_t)w.body.n;
		rc = fp_shingles(fp, &w.body);
	}
	free(w.body.v);
	free(w.lead.v);
	free(w.title.v);
	fm_buf_dispose(&w.norm);
	fm_buf_dispose(&raw);
	fm_buf_dispose(&title);
	return rc;
}

void
fm_fp_overlap(const fm_fingerprint *a, const fm_fingerprint *b, double *of_small, double *of_large)
{
	/* Every hash up to tau is in a truncated sketch: compare the sets below it. */
	uint32_t ta = a->nsketch < a->shingles ? a->sketch[a->nsketch - 1] : UINT32_MAX;
	uint32_t tb = b->nsketch < b->shingles ? b->sketch[b->nsketch - 1] : UINT32_MAX;
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

double
fm_fp_containment(const fm_fingerprint *a, const fm_fingerprint *b)
{
	double small, large;

	fm_fp_overlap(a, b, &small, &large);
	return small;
}
