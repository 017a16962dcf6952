/* test_fingerprint.c - what clustering keeps of an item: boilerplate rules, SimHash, containment. */
#include "feedmerge/buf.h"
#include "feedmerge/fingerprint.h"
#include "feedmerge/simindex.h"
#include "feedmerge/text.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "splitmix.h"

/* Fingerprints an item with this title and body (its summary, of that type), failing the test on error. */
static void
fp_of_type(fm_fingerprint *fp, const char *title, const char *body, fm_text_type type,
	   fm_fp_boiler_cb is_boiler, void (*para_cb)(void *ud, uint64_t para_hash), void *ud)
{
	fm_item it;

	memset(&it, 0, sizeof it);
	it.title = title;
	it.summary = body;
	it.summary_detail.value = body;
	it.summary_detail.type = type;
	cr_assert_eq(fm_fingerprint_item(fp, &it, is_boiler, para_cb, ud), 0);
}

/* fp_of_type() of an HTML body. */
#define fp_of(fp, title, html, is_boiler, para_cb, ud) \
	fp_of_type(fp, title, html, FM_TEXT_HTML, is_boiler, para_cb, ud)
/* fp_of_type() of a body the feed wrote as plain text (escaped, as the parser keeps it). */
#define fp_of_plain(fp, title, text, is_boiler, para_cb, ud) \
	fp_of_type(fp, title, text, FM_TEXT_PLAIN, is_boiler, para_cb, ud)

/* Asserts that two fingerprints are the same in every field that is compared. */
static void
fp_assert_same(const fm_fingerprint *a, const fm_fingerprint *b, const char *what)
{
	cr_assert_eq(a->simhash, b->simhash, "%s: simhash %016llx != %016llx", what,
		     (unsigned long long)a->simhash, (unsigned long long)b->simhash);
	cr_assert_eq(a->title, b->title, "%s: title simhash", what);
	cr_assert_eq(a->words, b->words, "%s: words %u != %u", what, a->words, b->words);
	cr_assert_eq(a->shingles, b->shingles, "%s: shingles %u != %u", what, a->shingles, b->shingles);
	cr_assert_eq(a->nsketch, b->nsketch, "%s: nsketch", what);
	cr_assert_eq(memcmp(a->sketch, b->sketch, a->nsketch * sizeof a->sketch[0]), 0, "%s: sketch", what);
}

/* The XXH3 hash of a paragraph's normalised text: what is_boiler and para_cb see. */
static uint64_t
para_hash(const char *text)
{
	fm_buf b = FM_BUF_INIT;
	uint64_t h;

	cr_assert_eq(fm_text_normalise(&b, text, strlen(text)), 0);
	h = XXH3_64bits(b.ptr ? b.ptr : "", b.size);
	fm_buf_dispose(&b);
	return h;
}

#define TITLE "Harbour bridge closed after cracks found in supports"
#define LEAD "The city closed its main harbour bridge to all traffic on Monday after engineers found deep cracks in two steel supports, officials said."
#define P2 "About 40,000 vehicles cross the bridge on a normal weekday, and the closure sent commuters onto ferries and a single coastal road."
#define P3 "The mayor said the bridge would stay shut until a full inspection was finished, which could take at least three weeks."
#define STORY "<p>" LEAD "</p><p>" P2 "</p><p>" P3 "</p>"

Test(fingerprint, teasers_and_credits_are_dropped)
{
	fm_fingerprint plain, dressed;

	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	fp_of(&dressed, TITLE,
	      "<p>Photo: Jan Olsen for the Ledger</p>"
	      "<p>" LEAD "</p>"
	      "<p>Related: Central bank raises interest rates for the third time this year</p>"
	      "<p>" P2 "</p>"
	      "<p>Read more: What the bridge closure means for your commute to work tomorrow</p>"
	      "<p>Sign up for our morning newsletter and get the news before breakfast</p>"
	      "<p>" P3 "</p>"
	      "<p>&#169; 2025 The Valley Ledger</p>"
	      "<p>Copyright 2025 Global Wire Service. All rights reserved.</p>"
	      "<p>Image caption: Traffic backs up on the coast road on Monday morning.</p>",
	      NULL, NULL, NULL);
	fp_assert_same(&plain, &dressed, "teasers, credits, captions");
}

Test(fingerprint, page_furniture_is_dropped)
{
	fm_fingerprint plain, page, kept;

	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	/* Captions ending in a photo credit, agency file captions, credit lines, page chrome. */
	fp_of(&page, TITLE,
	      "<p>Commuters wait for a ferry at the north terminal on Monday morning. (Mia Lund/Ledger)</p>"
	      "<p>The mayor speaks to reporters at city hall, Monday, in this handout picture. (Anna Berg, City Pool Photo via AP)</p>"
	      "<p>FILE - In this photo taken last spring, traffic crosses the harbour bridge at dusk as the lights come on.</p>"
	      "<p>Credit: AP (File)</p><p>prev next</p><p>comments</p><p>Share this article</p>"
	      STORY,
	      NULL, NULL, NULL);
	fp_assert_same(&plain, &page, "captions and furniture before the story");
	cr_assert_eq(plain.ntitle, page.ntitle);
	cr_assert_eq(memcmp(plain.title_words, page.title_words, plain.ntitle * sizeof plain.title_words[0]), 0);
	/* A story sentence that ends in parentheses is no caption. */
	fp_of(&kept, TITLE,
	      "<p>The council voted to spend more on repairs than planned this year (about 12 million).</p>" STORY,
	      NULL, NULL, NULL);
	cr_assert_gt(kept.words, plain.words);
}

Test(fingerprint, headline_words)
{
	fm_fingerprint a, b, c;
	double j;
	uint32_t i;

	fp_of(&a, "Think Cuban-Americans all think alike? Think again", "<p>" LEAD "</p>", NULL, NULL, NULL);
	/* Case, punctuation and a site suffix do not change the words. */
	fp_of(&b, "Think Cuban-Americans All Think Alike: Think Again | The Ledger", "", NULL, NULL, NULL);
	cr_assert_eq(a.ntitle, 6, "distinct words: think, cuban, americans, all, alike, again: %u", a.ntitle);
	/* Content words (4+ bytes) carry the mark and sort last: all alone is short. */
	cr_assert_eq(a.title_words[0] & FM_FP_CONTENT_WORD, 0);
	for (i = 1; i < a.ntitle; i++)
		cr_assert(a.title_words[i] & FM_FP_CONTENT_WORD, "word %u is a content word", i);
	for (i = 1; i < a.ntitle; i++)
		cr_assert_lt(a.title_words[i - 1], a.title_words[i], "ascending, distinct");
	cr_assert_eq(fm_fp_title_overlap(&a, &b, &j), a.ntitle);
	cr_assert_float_eq(j, 1.0, 1e-12);
	fp_of(&c, "Cuban-Americans think again about the embargo", "", NULL, NULL, NULL);
	cr_assert_eq(fm_fp_title_overlap(&a, &c, &j), 4);
	cr_assert_lt(j, 0.5);
	/* No headline, no words. */
	fp_of(&c, NULL, "<p>" LEAD "</p>", NULL, NULL, NULL);
	cr_assert_eq(c.ntitle, 0);
	cr_assert_eq(fm_fp_title_overlap(&a, &c, &j), 0);
	cr_assert_float_eq(j, 0.0, 1e-12);
}

Test(fingerprint, link_hash_of_the_normalised_link)
{
	fm_fingerprint a, b, c;
	fm_item it;

	memset(&it, 0, sizeof it);
	it.title = TITLE;
	it.summary = STORY;
	it.link = "https://News.Example.org:443/story?id=7&utm_source=rss#top";
	cr_assert_eq(fm_fingerprint_item(&a, &it, NULL, NULL, NULL), 0);
	it.link = "https://news.example.org/story?id=7&fbclid=xyz";
	cr_assert_eq(fm_fingerprint_item(&b, &it, NULL, NULL, NULL), 0);
	cr_assert_neq(a.link, 0);
	cr_assert_eq(a.link, b.link, "tracking parameters, case, port and fragment do not count");
	it.link = "https://news.example.org/story?id=8";
	cr_assert_eq(fm_fingerprint_item(&c, &it, NULL, NULL, NULL), 0);
	cr_assert_neq(a.link, c.link);
	/* No link, or one that is not absolute http(s): none. */
	it.link = NULL;
	cr_assert_eq(fm_fingerprint_item(&c, &it, NULL, NULL, NULL), 0);
	cr_assert_eq(c.link, 0);
	it.link = "/relative/path";
	cr_assert_eq(fm_fingerprint_item(&c, &it, NULL, NULL, NULL), 0);
	cr_assert_eq(c.link, 0);
}

Test(fingerprint, short_chrome_lines_are_dropped_short_sentences_kept)
{
	fm_fingerprint plain, chrome, sentence;

	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	fp_of(&chrome, TITLE,
	      "<p>Share on Facebook</p><p>Email this story</p><p>Most read</p>" STORY
	      "<p>Listen to this article</p><p>Advertisement</p><p>Top stories</p>",
	      NULL, NULL, NULL);
	fp_assert_same(&plain, &chrome, "short chrome lines");
	/* Under 8 words but a sentence: story text, kept. */
	fp_of(&sentence, TITLE, STORY "<p>Nobody was hurt.</p>", NULL, NULL, NULL);
	cr_assert_eq(sentence.words, plain.words + 3);
	cr_assert_eq(sentence.simhash, plain.simhash, "a later paragraph does not move the lead");
}

Test(fingerprint, headline_repeated_in_body_is_dropped_unless_alone)
{
	fm_fingerprint plain, repeated, alone, none;

	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	fp_of(&repeated, TITLE, "<h1>" TITLE "</h1>" STORY, NULL, NULL, NULL);
	fp_assert_same(&plain, &repeated, "headline repeated above the story");
	/* Wire prefix and site suffix are not part of the headline that is compared. */
	fp_of(&repeated, "UPDATE 1-" TITLE " | Valley Ledger", "<p>" TITLE "</p>" STORY, NULL, NULL, NULL);
	cr_assert_eq(repeated.title, plain.title, "wire prefix and site suffix stripped");
	cr_assert_eq(repeated.words, plain.words, "repeated headline dropped under a decorated title");
	/* The headline as the only text: then it is the text. */
	fp_of(&alone, TITLE, "<p>" TITLE "</p>", NULL, NULL, NULL);
	cr_assert_eq(alone.words, 8, "got %u words", alone.words);
	cr_assert_eq(alone.shingles, 6);
	fp_of(&none, TITLE, NULL, NULL, NULL, NULL);
	cr_assert_eq(none.words, 0);
	cr_assert_eq(none.simhash, alone.simhash, "short lead: the headline's SimHash");
}

Test(fingerprint, dateline_is_stripped_from_the_lead)
{
	static const char *const lines[] = {
		"PARIS (Reuters) \xe2\x80\x94 ",
		"PARIS (Reuters) - ",
		"PARIS, March 3 (Reuters) - ",
		"KALLSTAD, Eskland (AP) \xe2\x80\x94 ",
		"LIMA (AFP) -- ",
		/* No agency: an upper-case place set off by a dash. */
		"GENEVA \xe2\x80\x94 ",
		"NEW YORK, June 9 - ",
		"GENEVA (Associated Press) \xe2\x80\x94 ",
		"S\xc3\x83O PAULO \xe2\x80\x93 ",
	};
	fm_fingerprint plain, dated;
	char html[1024];
	size_t i;

	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		snprintf(html, sizeof html, "<p>%s%s</p><p>%s</p><p>%s</p>", lines[i], LEAD, P2, P3);
		fp_of(&dated, TITLE, html, NULL, NULL, NULL);
		fp_assert_same(&plain, &dated, lines[i]);
	}
	/* Only the lead's opening is a dateline: an agency named later stays. */
	snprintf(html, sizeof html, "<p>%s</p><p>%s</p><p>The report was filed (Reuters) - late.</p>", LEAD, P2);
	fp_of(&dated, TITLE, html, NULL, NULL, NULL);
	cr_assert_eq(dated.words, plain.words - 21 + 6);
	/* Not a dateline: a capitalised word, an acronym without a dash, a dash too far in. */
	{
		static const char *const kept[] = {
			"Geneva \xe2\x80\x94 ",
			"NASA said on Monday that ",
			"UNICEF and its partners in the region, speaking on Monday in a statement \xe2\x80\x94 ",
		};

		for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
			snprintf(html, sizeof html, "<p>%s%s</p><p>%s</p><p>%s</p>", kept[i], LEAD, P2, P3);
			fp_of(&dated, TITLE, html, NULL, NULL, NULL);
			cr_expect_gt(dated.words, plain.words, "%s", kept[i]);
		}
	}
}

/* What the callbacks saw. */
struct seen {
	uint64_t hashes[32];
	size_t n;
	uint64_t boiler;
	int asked;
};

/* para_cb: records every paragraph hash. */
static void
seen_para(void *ud, uint64_t h)
{
	struct seen *s = ud;

	cr_assert_lt(s->n, 32);
	s->hashes[s->n++] = h;
}

/* is_boiler: the one learned paragraph. */
static int
seen_boiler(void *ud, uint64_t h)
{
	struct seen *s = ud;

	s->asked++;
	return h == s->boiler;
}

#define NOTE "The Valley Ledger publishes stories from the Global Wire Service under a licence agreement."

Test(fingerprint, learned_boilerplate_and_para_cb)
{
	fm_fingerprint plain, learned, unknown;
	struct seen s;

	memset(&s, 0, sizeof s);
	fp_of(&plain, TITLE, STORY, NULL, NULL, NULL);
	/*
	 * para_cb: the headline first (its hash salted), then once per paragraph
	 * that survived the fixed rules, in order, hashed as documented.
	 */
	fp_of(&unknown, TITLE, "<p>Share on Facebook</p><p>" NOTE "</p>" STORY "<p>Most read</p><p>" NOTE "</p>",
	      NULL, seen_para, &s);
	cr_assert_eq(s.n, 6, "para_cb called %zu times", s.n);
	cr_assert_eq(s.hashes[0], para_hash(TITLE) ^ FM_FP_TITLE_SALT);
	cr_assert_eq(s.hashes[1], para_hash(NOTE));
	cr_assert_eq(s.hashes[2], para_hash(LEAD));
	cr_assert_eq(s.hashes[3], para_hash(P2));
	cr_assert_eq(s.hashes[4], para_hash(P3));
	cr_assert_eq(s.hashes[5], para_hash(NOTE));
	cr_assert_eq(unknown.flags, 0);
	/* Not known as boilerplate: the note is the lead. */
	cr_assert_gt(fm_hamming(unknown.simhash, plain.simhash), 5);
	cr_assert_gt(unknown.words, plain.words);

	/* Known: dropped wherever it stands, and not reported to para_cb. */
	memset(&s, 0, sizeof s);
	s.boiler = para_hash(NOTE);
	fp_of(&learned, TITLE, "<p>Share on Facebook</p><p>" NOTE "</p>" STORY "<p>Most read</p><p>" NOTE "</p>",
	      seen_boiler, seen_para, &s);
	fp_assert_same(&plain, &learned, "learned boilerplate");
	cr_assert_eq(s.asked, 6, "is_boiler asked %d times", s.asked);
	cr_assert_eq(s.n, 4);
	cr_assert_eq(s.hashes[1], para_hash(LEAD));

	/* A headline the feed repeats marks the item templated. */
	memset(&s, 0, sizeof s);
	s.boiler = para_hash(TITLE) ^ FM_FP_TITLE_SALT;
	fp_of(&learned, TITLE, STORY, seen_boiler, NULL, &s);
	cr_assert_eq(learned.flags, FM_FP_TEMPLATED);
	cr_assert_eq(learned.simhash, plain.simhash);
}

Test(fingerprint, plain_text_paragraphs_are_its_blank_lines)
{
	fm_fingerprint html, plain, learned;
	struct seen s;

	fp_of(&html, TITLE, STORY, NULL, NULL, NULL);
	/* A blank line (spaces allowed) parts paragraphs; a single newline is a wrapped line. */
	memset(&s, 0, sizeof s);
	fp_of_plain(&plain, TITLE, LEAD "\n\n" P2 "\n  \n\n" P3 "\n", NULL, seen_para, &s);
	fp_assert_same(&html, &plain, "plain text with blank lines");
	cr_assert_eq(s.n, 4, "para_cb called %zu times", s.n);
	cr_assert_eq(s.hashes[1], para_hash(LEAD));
	cr_assert_eq(s.hashes[2], para_hash(P2));
	cr_assert_eq(s.hashes[3], para_hash(P3));

	/* So a channel's note in every description is boilerplate the feed can learn. */
	memset(&s, 0, sizeof s);
	s.boiler = para_hash(NOTE);
	fp_of_plain(&learned, TITLE, LEAD "\n\n" P2 "\n\n" P3 "\n\n" NOTE, seen_boiler, NULL, &s);
	fp_assert_same(&html, &learned, "a learned paragraph of plain text");

	/* The same text read as HTML is one paragraph: newlines are white space there. */
	memset(&s, 0, sizeof s);
	fp_of(&plain, TITLE, LEAD "\n\n" P2 "\n\n" P3, NULL, seen_para, &s);
	cr_assert_eq(s.n, 2, "para_cb called %zu times", s.n);
	memset(&s, 0, sizeof s);
	fp_of_plain(&plain, TITLE, "The city closed its main harbour bridge to all traffic\non Monday after "
		    "engineers found deep cracks in two steel supports,\nofficials said.", NULL, seen_para, &s);
	cr_assert_eq(s.n, 2, "a wrapped paragraph: para_cb called %zu times", s.n);
	cr_assert_eq(s.hashes[1], para_hash(LEAD));
}

Test(fingerprint, simhash_known_vectors)
{
	uint64_t a = XXH3_64bits("apple", 5), b = XXH3_64bits("banana", 6), c = XXH3_64bits("cherry", 6);
	fm_fingerprint fp;

	/* One feature: the SimHash is its hash (a repeated word counts once). */
	fp_of(&fp, "Apple", "<p>apple apple apple apple apple apple apple apple apple apple apple apple.</p>",
	      NULL, NULL, NULL);
	cr_assert_eq(fp.simhash, a, "%016llx", (unsigned long long)fp.simhash);
	cr_assert_eq(fp.title, a);
	/* Two features: a bit is set when both have it (a tie is 0). */
	fp_of(&fp, "Apple banana", "<p>apple banana apple banana apple banana apple banana apple banana apple banana.</p>",
	      NULL, NULL, NULL);
	cr_assert_eq(fp.simhash, a & b);
	cr_assert_eq(fp.title, a & b);
	/* Three: the majority of each bit. */
	fp_of(&fp, NULL, "<p>apple banana cherry apple banana cherry apple banana cherry apple banana cherry.</p>",
	      NULL, NULL, NULL);
	cr_assert_eq(fp.simhash, (a & b) | (a & c) | (b & c));
	cr_assert_eq(fp.title, 0, "no headline: 0");
	/* Only the first FM_FP_LEAD_WORDS words of the lead count. */
	fp_of(&fp, NULL, "<p>apple apple apple apple apple apple apple apple apple apple apple apple cherry banana.</p>",
	      NULL, NULL, NULL);
	cr_assert_eq(fp.simhash, a);
	/* The lead is the first paragraph of at least 12 words, not the first paragraph. */
	fp_of(&fp, NULL, "<p>Cherry banana cherry.</p><p>apple apple apple apple apple apple apple apple apple apple apple apple.</p>",
	      NULL, NULL, NULL);
	cr_assert_eq(fp.simhash, a);
}

/* Writes a lead of n random words from a 5,000-word vocabulary into out. */
static void
random_lead(char *out, size_t size, int n, uint64_t *s)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%sw%u", i ? " " : "<p>",
					(unsigned)(rnd(s) % 5000));
	snprintf(out + len, size - len, ".</p><p>%s</p>", P2);
}

Test(fingerprint, simhash_one_word_changed_is_close)
{
	char a[512], b[512];
	fm_fingerprint fa, fb;
	uint64_t s = 42;
	int i, total = 0, worst = 0, d;
	char *w;

	fp_of(&fa, NULL, "<p>" LEAD "</p>", NULL, NULL, NULL);
	fp_of(&fb, NULL, "<p>The city closed its main harbour bridge to all cars on Monday after engineers found deep cracks in two steel supports, officials said.</p>",
	      NULL, NULL, NULL);
	d = fm_hamming(fa.simhash, fb.simhash);
	cr_assert_leq(d, 12, "one word of twelve changed: distance %d", d);
	cr_assert_gt(d, 0);
	/* Identical leads, different rest: identical SimHash. */
	fp_of(&fa, "One headline", STORY, NULL, NULL, NULL);
	fp_of(&fb, "Another headline", "<p>" LEAD "</p><p>Something else happened later that day in the city.</p>", NULL, NULL, NULL);
	cr_assert_eq(fa.simhash, fb.simhash);

	/* Over many leads: one word of 12 changed moves few bits. */
	for (i = 0; i < 300; i++) {
		random_lead(a, sizeof a, 12, &s);
		memcpy(b, a, sizeof a);
		w = strstr(b, " w") + 2; /* the second word gets another number */
		*w = *w == '9' ? '1' : (char)(*w + 1);
		fp_of(&fa, NULL, a, NULL, NULL, NULL);
		fp_of(&fb, NULL, b, NULL, NULL, NULL);
		d = fm_hamming(fa.simhash, fb.simhash);
		total += d;
		worst = d > worst ? d : worst;
	}
	cr_assert_lt(total / 300.0, 10.0, "mean distance %.2f after one changed word", total / 300.0);
	cr_assert_leq(worst, 24, "worst %d", worst);
}

Test(fingerprint, simhash_bit_balance)
{
	enum { N = 600 };
	char lead[512];
	static fm_fingerprint fp[N];
	uint64_t s = 7;
	int bits[64] = { 0 }, i, j, b;
	double mean = 0, pairs = 0;

	for (i = 0; i < N; i++) {
		random_lead(lead, sizeof lead, 12, &s);
		fp_of(&fp[i], NULL, lead, NULL, NULL, NULL);
		for (b = 0; b < 64; b++)
			bits[b] += (int)((fp[i].simhash >> b) & 1);
	}
	/*
	 * Unrelated leads: about half the bits differ. With 12 equally
	 * weighted features a bit ties (6 against 6) in C(12,6)/2^12 = 22.6%
	 * of leads and a tie gives 0, so a bit is set with p = 0.387 and two
	 * unrelated leads lie 64 * 2p(1-p) = 30.4 bits apart on average, not
	 * 32 (reported: a tie-break would restore the balance).
	 */
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++, pairs++)
			mean += fm_hamming(fp[i].simhash, fp[j].simhash);
	mean /= pairs;
	cr_assert(fabs(mean - 32) < 2.5, "mean distance between unrelated leads %.2f", mean);
	/* Every bit is set in roughly half of them (a little less: the ties above). */
	for (b = 0; b < 64; b++)
		cr_assert(bits[b] > N * 0.3 && bits[b] < N * 0.65, "bit %d set in %d of %d", b, bits[b], N);
}

/* Fills fp's sketch by hand with n consecutive hashes from start: a complete sketch when n <= FM_FP_SKETCH. */
static void
fp_range(fm_fingerprint *fp, uint32_t start, uint32_t n)
{
	uint32_t i;

	memset(fp, 0, sizeof *fp);
	fp->shingles = n;
	fp->nsketch = n < FM_FP_SKETCH ? n : FM_FP_SKETCH;
	for (i = 0; i < fp->nsketch; i++)
		fp->sketch[i] = start + i;
	fp->words = n + 2;
}

Test(fingerprint, containment_exact_when_sketches_complete)
{
	fm_fingerprint a, b;

	fp_range(&a, 100, 10);
	fp_range(&b, 105, 20);
	cr_assert_float_eq(fm_fp_containment(&a, &b), 0.5, 1e-12);
	cr_assert_float_eq(fm_fp_containment(&b, &a), 0.5, 1e-12);
	fp_range(&b, 100, 100);
	cr_assert_float_eq(fm_fp_containment(&a, &b), 1.0, 1e-12, "a inside b");
	fp_range(&b, 110, 100);
	cr_assert_float_eq(fm_fp_containment(&a, &b), 0.0, 1e-12, "disjoint");
	fp_range(&a, 1, 128);
	fp_range(&b, 33, 128);
	cr_assert_float_eq(fm_fp_containment(&a, &b), 96.0 / 128, 1e-12);
	/* Empty sets. */
	fp_range(&b, 0, 0);
	cr_assert_float_eq(fm_fp_containment(&a, &b), 0.0, 1e-12);
	cr_assert_float_eq(fm_fp_containment(&b, &a), 0.0, 1e-12);
	cr_assert_float_eq(fm_fp_containment(&b, &b), 0.0, 1e-12);
}

/* Sorts 32-bit values for qsort. */
static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* Makes the bottom-k sketch of the n hashes in v (sorted in place). */
static void
fp_sketch(fm_fingerprint *fp, uint32_t *v, uint32_t n)
{
	memset(fp, 0, sizeof *fp);
	qsort(v, n, sizeof *v, cmp_u32);
	fp->shingles = n;
	fp->nsketch = n < FM_FP_SKETCH ? n : FM_FP_SKETCH;
	memcpy(fp->sketch, v, fp->nsketch * sizeof *v);
	fp->words = n + 2;
}

Test(fingerprint, containment_estimate_for_large_sets)
{
	/*
	 * |A| = 1000, |B| = 1500, |A & B| = common: containment common / 1000.
	 * The estimate compares the hashes below the smaller sketch's largest
	 * (about 85 of A's here), so its standard error is up to 0.05: about
	 * 95% of estimates lie within 0.1 (at least 90% asserted), none beyond
	 * 0.2, and they are unbiased on average.
	 */
	static const uint32_t commons[] = { 0, 200, 500, 800, 1000 };
	static uint32_t va[1000], vb[1500];
	fm_fingerprint a, b;
	uint64_t s = 99;
	size_t k;
	int round;

	for (k = 0; k < sizeof commons / sizeof commons[0]; k++) {
		double want = commons[k] / 1000.0, sum = 0;
		int within = 0;

		for (round = 0; round < 400; round++) {
			uint32_t i, common = commons[k];
			double est;

			for (i = 0; i < 1500; i++)
				vb[i] = (uint32_t)rnd(&s);
			for (i = 0; i < 1000; i++)
				va[i] = i < common ? vb[i] : (uint32_t)rnd(&s);
			fp_sketch(&a, va, 1000);
			fp_sketch(&b, vb, 1500);
			est = fm_fp_containment(&a, &b);
			cr_assert_float_eq(est, fm_fp_containment(&b, &a), 1e-12, "symmetric");
			cr_assert(fabs(est - want) <= 0.2, "common %u: estimated %.3f", common, est);
			within += fabs(est - want) <= 0.1;
			sum += est;
		}
		cr_assert_geq(within, 360, "common %u: only %d of 400 estimates within 0.1", commons[k], within);
		cr_assert(fabs(sum / 400 - want) <= 0.03, "common %u: mean estimate %.3f", commons[k], sum / 400);
	}
}

Test(fingerprint, containment_of_real_text)
{
	char *a = malloc(20000), *b = malloc(20000);
	fm_fingerprint fa, fb;
	size_t la, lb;
	uint64_t s = 5;
	double est;
	int i;

	cr_assert(a && b);
	/* A: 1000 random words; B: A's first 600, then 400 of its own. */
	la = (size_t)snprintf(a, 20000, "<p>");
	lb = (size_t)snprintf(b, 20000, "<p>");
	for (i = 0; i < 1000; i++) {
		unsigned w = (unsigned)(rnd(&s) % 1000000);

		la += (size_t)snprintf(a + la, 20000 - la, "w%u ", w);
		lb += (size_t)snprintf(b + lb, 20000 - lb, "%c%u ", i < 600 ? 'w' : 'x', w);
	}
	snprintf(a + la, 20000 - la, "end.</p>");
	snprintf(b + lb, 20000 - lb, "end.</p>");
	fp_of(&fa, NULL, a, NULL, NULL, NULL);
	fp_of(&fb, NULL, b, NULL, NULL, NULL);
	cr_assert_eq(fa.nsketch, FM_FP_SKETCH);
	cr_assert_eq(fa.words, 1001);
	cr_assert_eq(fa.shingles, 999);
	est = fm_fp_containment(&fa, &fb);
	/* Shared: the 598 3-grams inside the first 600 words, of 999 each. */
	cr_assert(fabs(est - 598.0 / 999) <= 0.1, "estimated %.3f, want %.3f", est, 598.0 / 999);
	free(a);
	free(b);
}

Test(fingerprint, empty_inputs)
{
	fm_fingerprint fp, other;
	fm_item it;

	memset(&it, 0, sizeof it);
	cr_assert_eq(fm_fingerprint_item(&fp, &it, NULL, NULL, NULL), 0);
	cr_assert_eq(fp.simhash, 0);
	cr_assert_eq(fp.title, 0);
	cr_assert_eq(fp.words, 0);
	cr_assert_eq(fp.shingles, 0);
	cr_assert_eq(fp.nsketch, 0);
	fp_of(&fp, "", "", NULL, NULL, NULL);
	cr_assert_eq(fp.words, 0);
	cr_assert_eq(fp.title, 0);
	/* Only chrome: no text at all. */
	fp_of(&fp, NULL, "<p>Share on Facebook</p><p>&#169; 2025</p><script>var x = 1;</script>", NULL, NULL, NULL);
	cr_assert_eq(fp.words, 0);
	cr_assert_eq(fp.nsketch, 0);
	fp_of(&other, TITLE, STORY, NULL, NULL, NULL);
	cr_assert_float_eq(fm_fp_containment(&fp, &other), 0.0, 1e-12);
	cr_assert_float_eq(fm_fp_containment(&other, &fp), 0.0, 1e-12);
	/* One word: one shingle. */
	fp_of(&fp, NULL, "<p>Hello.</p>", NULL, NULL, NULL);
	cr_assert_eq(fp.words, 1);
	cr_assert_eq(fp.shingles, 1);
	cr_assert_float_eq(fm_fp_containment(&fp, &fp), 1.0, 1e-12);
	/* Content wins over summary; an empty content falls back to the summary. */
	it.title = TITLE;
	it.summary = STORY;
	it.content = "";
	cr_assert_eq(fm_fingerprint_item(&fp, &it, NULL, NULL, NULL), 0);
	fp_assert_same(&fp, &other, "empty content: the summary");
}

/* Appends words "wK" for K in ids[0 .. n) to b as one paragraph. */
static void
para_of(fm_buf *b, const int *ids, size_t n)
{
	size_t i;
	char w[16];

	fm_buf_append(b, "<p>", 3);
	for (i = 0; i < n; i++) {
		snprintf(w, sizeof w, "%sw%d", i ? " " : "", ids[i]);
		fm_buf_append(b, w, strlen(w));
	}
	fm_buf_append(b, ".</p>", 5);
}

/*
 * A long story's sketch comes from the hashes under a bound, a short one's
 * from sorting them all: the same set of 3-grams must give the same sketch
 * and count either way, repeats and all. Story R is words 0..m-1 three times
 * over (3m - 2 shingles, m distinct); story S is 0..m-1 then 0 1 (m
 * shingles, the same m).
 */
Test(fingerprint, sketch_of_repeated_text_equals_sketch_of_its_distinct_shingles)
{
	static const size_t sizes[] = { 20, 100, 130, 150, 157, 400, 1500 };
	size_t k, i;

	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t m = sizes[k];
		int *ids = malloc((3 * m + 2) * sizeof *ids);
		fm_buf r = FM_BUF_INIT, s = FM_BUF_INIT;
		fm_fingerprint fr, fs;

		cr_assert_not_null(ids);
		for (i = 0; i < 3 * m; i++)
			ids[i] = (int)(i % m);
		para_of(&r, ids, 3 * m);
		ids[m] = 0;
		ids[m + 1] = 1;
		para_of(&s, ids, m + 2);
		fp_of(&fr, "", fm_buf_cstr(&r), NULL, NULL, NULL);
		fp_of(&fs, "", fm_buf_cstr(&s), NULL, NULL, NULL);
		cr_expect_eq(fr.shingles, m, "m %zu: %u distinct shingles", m, fr.shingles);
		cr_expect_eq(fs.shingles, m, "m %zu: %u distinct shingles", m, fs.shingles);
		cr_expect_eq(fr.nsketch, m < FM_FP_SKETCH ? m : FM_FP_SKETCH, "m %zu", m);
		cr_assert_eq(fr.nsketch, fs.nsketch, "m %zu", m);
		cr_expect_eq(memcmp(fr.sketch, fs.sketch, fr.nsketch * sizeof fr.sketch[0]), 0, "m %zu", m);
		for (i = 1; i < fr.nsketch; i++)
			cr_assert_lt(fr.sketch[i - 1], fr.sketch[i], "m %zu: ascending, no repeats", m);
		fm_buf_dispose(&r);
		fm_buf_dispose(&s);
		free(ids);
	}
}
