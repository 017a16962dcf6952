/*
 * normalise.c - fm_text_normalise and fm_text_words: text made comparable
 * (NFKC_Casefold, marks stripped, words separated by single spaces) and
 * split into words.
 *
 * utf8proc maps one code point at a time (utf8proc_decompose_char), never
 * a whole string (utf8proc_map allocates its result): that gives exactly
 * what utf8proc_map with the same options gives, because
 * - canonical reordering and composition only ever move or merge
 *   combining marks, and UTF8PROC_STRIPMARK removes every one (no code
 *   point with a non-zero combining class is outside Mn, Mc and Me);
 * - the one composition left without marks is Hangul: a leading consonant
 *   jamo with a vowel jamo, and that syllable with a trailing consonant
 *   jamo. normalise_emit does that arithmetic (Unicode chapter 3.12).
 * tests/test_text.c checks the equivalence on every code point.
 *
 * ASCII, most of any feed's text even in other languages (spaces, digits,
 * punctuation, markup-free English), never reaches utf8proc: a byte table
 * classifies it and words are copied lower-cased straight into the output.
 *
 * On failure the output buffer is left as it was found.
 */
#include "feedmerge/text.h"
#include "feedmerge/error.h"
#include "parse/textutil.h"
#include "text/text_int.h"
#include "util/utf8.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * NFKC_Casefold as utf8proc_NFKC_Casefold() spells it (STABLE, COMPAT,
 * COMPOSE, CASEFOLD, IGNORE: default-ignorable code points such as the
 * soft hyphen, U+200B and the joiners vanish instead of splitting a word),
 * plus STRIPMARK.
 */
#define NORMALISE_OPTIONS                                                                    \
	((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |          \
			     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK))

/* Room for one code point's mapping; the longest is U+FDFA's 18 code points. */
#define NORMALISE_MAP_MAX 32

/* What separates the next word character from the last one written. */
enum { NORMALISE_NONE, NORMALISE_SPACE, NORMALISE_PARA };

/* Classes of code points: separator, letter or digit, apostrophe or period, paragraph break. */
enum { NORMALISE_SEP, NORMALISE_WORD, NORMALISE_JOIN, NORMALISE_NL };

#define NORMALISE_R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
#define S NORMALISE_SEP
#define A NORMALISE_WORD
#define J NORMALISE_JOIN

/* The class of every ASCII character. */
static const unsigned char normalise_ascii[128] = {
	S, S, S, S, S, S, S, S, S, S, NORMALISE_NL, S, S, S, S, S,
	NORMALISE_R16(S),
	S, S, S, S, S, S, S, J, S, S, S, S, S, S, J, S, /* 0x27 '\'', 0x2E '.' */
	A, A, A, A, A, A, A, A, A, A, S, S, S, S, S, S,
	S, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
	A, A, A, A, A, A, A, A, A, A, A, S, S, S, S, S,
	S, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
	A, A, A, A, A, A, A, A, A, A, A, S, S, S, S, S
};

#undef S
#undef A
#undef J

/* Hangul syllables and jamo (Unicode chapter 3.12). */
#define HANGUL_S_BASE 0xAC00
#define HANGUL_S_LAST 0xD7A3
#define HANGUL_L_BASE 0x1100
#define HANGUL_V_BASE 0x1161
#define HANGUL_T_BASE 0x11A7
#define HANGUL_L_COUNT 19
#define HANGUL_V_COUNT 21
#define HANGUL_T_COUNT 28

/* The normalisation under way. */
struct normalise_state {
	fm_buf *out;
	size_t start;   /* out->size on entry: separators only go after it */
	int gap;        /* NORMALISE_NONE, _SPACE or _PARA, written before the next word character */
	int in_word;    /* the last code point was a letter or digit */
	int joiner;     /* an apostrophe or period followed a letter or digit */
	int32_t hangul; /* the last code point written when it is a jamo L or an LV syllable, else 0 */
	size_t hpos;    /* where that code point starts in out */
};

/* Notes a separator, a paragraph break, or an apostrophe or period. */
static void
normalise_event(struct normalise_state *t, int cls)
{
	t->hangul = 0;
	if (cls == NORMALISE_JOIN && t->in_word) {
		t->joiner = 1; /* dropped if a letter or digit follows, a separator otherwise */
		t->in_word = 0;
		return;
	}
	t->joiner = 0;
	t->in_word = 0;
	if (cls == NORMALISE_NL)
		t->gap = NORMALISE_PARA;
	else if (t->gap == NORMALISE_NONE)
		t->gap = NORMALISE_SPACE;
}

/*
 * Starts a word where the text is: writes the pending separator, unless it
 * would lead the output or a joiner (dropped) came between. The caller
 * made room for it.
 */
static void
normalise_word(struct normalise_state *t)
{
	if (!t->joiner && t->gap != NORMALISE_NONE && t->out->size > t->start)
		t->out->ptr[t->out->size++] = t->gap == NORMALISE_PARA ? '\n' : ' ';
	t->joiner = 0;
	t->gap = NORMALISE_NONE;
	t->in_word = 1;
}

/*
 * Appends the letter or digit cp (not ASCII), composing Hangul jamo with
 * the syllable or jamo before it, and keeps room for more bytes than the
 * rest of the input (rest) can turn into without growing. Returns 0 or
 * FM_ENOMEM.
 */
static int
normalise_emit(struct normalise_state *t, int32_t cp, size_t rest)
{
	fm_buf *out = t->out;
	int error;

	if ((error = fm_buf_grow(out, rest + 8)) < 0)
		return error;
	if (t->hangul && t->in_word) {
		if (t->hangul < HANGUL_S_BASE && cp >= HANGUL_V_BASE &&
		    cp < HANGUL_V_BASE + HANGUL_V_COUNT) {
			cp = HANGUL_S_BASE + ((t->hangul - HANGUL_L_BASE) * HANGUL_V_COUNT +
					      (cp - HANGUL_V_BASE)) * HANGUL_T_COUNT;
			out->size = t->hpos;
		} else if (t->hangul >= HANGUL_S_BASE && cp > HANGUL_T_BASE &&
			   cp < HANGUL_T_BASE + HANGUL_T_COUNT) {
			cp = t->hangul + (cp - HANGUL_T_BASE);
			out->size = t->hpos;
		}
	}
	if (!t->in_word)
		normalise_word(t);
	t->hpos = out->size;
	out->size += fm__utf8_encode(out->ptr + out->size, (uint32_t)cp);
	if ((cp >= HANGUL_L_BASE && cp < HANGUL_L_BASE + HANGUL_L_COUNT) ||
	    (cp >= HANGUL_S_BASE && cp <= HANGUL_S_LAST &&
	     (cp - HANGUL_S_BASE) % HANGUL_T_COUNT == 0))
		t->hangul = cp;
	else
		t->hangul = 0;
	return 0;
}

/* Returns 1 for the categories UTF8PROC_STRIPMARK removes (Mn, Mc, Me). */
static int
normalise_is_mark(int cat)
{
	return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

/*
 * Handles the mapped non-ASCII code point cp of category cat: letters
 * (L*) and digits (N*) are written, U+2019 is an apostrophe, anything else
 * separates. Returns 0 or FM_ENOMEM.
 */
static int
normalise_classified(struct normalise_state *t, int32_t cp, int cat, size_t rest)
{
	if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
	    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
		return normalise_emit(t, cp, rest);
	normalise_event(t, cp == 0x2019 ? NORMALISE_JOIN : NORMALISE_SEP);
	return 0;
}

/* Handles one code point of a mapping; returns 0 or FM_ENOMEM. */
static int
normalise_cp(struct normalise_state *t, int32_t cp, size_t rest)
{
	int cls;

	if (cp < 0x80) {
		if ((cls = normalise_ascii[cp]) != NORMALISE_WORD) {
			normalise_event(t, cls);
			return 0;
		}
		if (!t->in_word)
			normalise_word(t);
		/* Case folding made it lower case already; the room was kept. */
		t->out->ptr[t->out->size++] = (char)cp;
		t->hangul = 0;
		return 0;
	}
	return normalise_classified(t, cp, utf8proc_category(cp), rest);
}

/*
 * Handles the non-ASCII code point cp (-1: malformed UTF-8, a separator as
 * its U+FFFD would be); rest is how much input follows. Returns 0 or
 * FM_ENOMEM.
 */
static int
normalise_other(struct normalise_state *t, int32_t cp, size_t rest)
{
	utf8proc_int32_t map[NORMALISE_MAP_MAX];
	const utf8proc_property_t *prop;
	utf8proc_ssize_t n, k;
	int boundclass = 0, error;

	if (cp < 0) {
		normalise_event(t, NORMALISE_SEP);
		return 0;
	}
	/* Hangul syllables map to themselves: skip the decomposition and recomposition. */
	if (cp >= HANGUL_S_BASE && cp <= HANGUL_S_LAST)
		return normalise_emit(t, cp, rest);
	/*
	 * Most code points map to themselves (no decomposition, no case
	 * folding, not ignorable, not a mark: CJK, lower-case Cyrillic and
	 * Greek, ...): one property lookup then, as in utf8proc_decompose_char.
	 */
	prop = utf8proc_get_property(cp);
	if (prop->decomp_seqindex == UINT16_MAX && prop->casefold_seqindex == UINT16_MAX &&
	    !prop->ignorable && !normalise_is_mark(prop->category))
		return normalise_classified(t, cp, prop->category, rest);
	n = utf8proc_decompose_char(cp, map, NORMALISE_MAP_MAX, NORMALISE_OPTIONS, &boundclass);
	if (n < 0 || n > NORMALISE_MAP_MAX) {
		normalise_event(t, NORMALISE_SEP); /* cannot happen for a scalar value */
		return 0;
	}
	/* An ASCII result can take a byte more than its input (U+2474 is "(1)"): make room. */
	if ((error = fm_buf_grow(t->out, rest + (size_t)n + 2)) < 0)
		return error;
	for (k = 0; k < n; k++)
		if ((error = normalise_cp(t, map[k], rest + (size_t)(n - k))) < 0)
			return error;
	return 0;
}

#ifdef __SSE2__
/*
 * Writes the 16 bytes at p lower-cased to w (which has room for them) and
 * returns how many of them, from the first, continue a word as they are:
 * ASCII letters and digits, and single spaces each followed by one.
 */
static unsigned
normalise_plain16(const unsigned char *p, char *w)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* v | 0x20 lower-cases letters and leaves no other byte in 'a'..'z'. */
	__m128i lv = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lv, _mm_set1_epi8('a' - 1)),
				       _mm_cmplt_epi8(lv, _mm_set1_epi8('z' + 1)));
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	unsigned am = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
	unsigned sm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));

	_mm_storeu_si128((__m128i *)(void *)w,
			 _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20))));
	return (unsigned)__builtin_ctz(~(am | (sm & (am >> 1))) | 0x10000u);
}
#endif

/*
 * Appends text normalised for comparison; see text.h. The buffer keeps
 * room for two bytes more than the rest of the input at every step, so the
 * ASCII loop writes without checking: an ASCII byte writes at most one
 * byte, and a separator written before a word is paid for by the byte
 * that asked for it.
 */
int
fm_text_normalise(fm_buf *out, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	struct normalise_state t;
	size_t i = 0, step;
	int32_t cp;
	int error = 0;
	unsigned c;

	assert(out && (text || len == 0));
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.start = out->size;
	if (len > SIZE_MAX - 2)
		return FM_ENOMEM;
	if ((error = fm_buf_grow(out, len + 2)) < 0)
		return error;
	while (i < len) {
		c = u[i];
		if (c >= 0x80) {
			step = fm__text_utf8_decode(u + i, len - i, &cp);
			i += step;
			if ((error = normalise_other(&t, cp, len - i)) < 0)
				return fm__text_rollback(out, t.start, error);
			if ((error = fm_buf_grow(out, len - i + 2)) < 0)
				return fm__text_rollback(out, t.start, error);
			continue;
		}
		if (normalise_ascii[c] != NORMALISE_WORD) {
			normalise_event(&t, normalise_ascii[c]);
			i++;
			continue;
		}
		if (!t.in_word)
			normalise_word(&t);
		t.hangul = 0;
		/*
		 * Letters, digits and single spaces between them, copied
		 * lower-cased (16 bytes at a time with SSE2, writing at most
		 * the rest of the input, for which there is room).
		 */
		for (;;) {
			out->ptr[out->size++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
			i++;
#ifdef __SSE2__
			while (len - i >= 16) {
				step = normalise_plain16(u + i, out->ptr + out->size);
				out->size += step;
				i += step;
				if (step < 16)
					break;
			}
#endif
			if (i >= len)
				break;
			c = u[i];
			if (c < 0x80 && normalise_ascii[c] == NORMALISE_WORD)
				continue;
			if (c == ' ' && i + 1 < len && u[i + 1] < 0x80 &&
			    normalise_ascii[u[i + 1]] == NORMALISE_WORD) {
				out->ptr[out->size++] = ' ';
				c = u[++i];
				continue;
			}
			break;
		}
	}
	out->ptr[out->size] = '\0';
	return 0;
}

/* Calls cb for each word of normalised text; see text.h. */
int
fm_text_words(const char *text, size_t len,
	      int (*cb)(void *ud, const char *word, size_t wlen, size_t para),
	      void *ud)
{
	size_t i = 0, start, para = 0;
	int r;

	assert(cb && (text || len == 0));
	while (i < len) {
		if (text[i] == '\n') {
			para++;
			i++;
			continue;
		}
		if (text[i] == ' ') {
			i++;
			continue;
		}
		for (start = i; i < len && text[i] != ' ' && text[i] != '\n'; i++)
			;
		if ((r = cb(ud, text + start, i - start, para)) != 0)
			return r;
	}
	return 0;
}
