/* test_dedup.c - the rules that decide whether two items carry the same story. */
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

#include <criterion/criterion.h>
#include <string.h>
#include "splitmix.h"

/*
 * A fingerprint built by hand: lead SimHash, headline words (hashes from
 * hstart, hn of them), words, and a complete sketch of n consecutive
 * hashes from start, so containments are exact: fp(0, 100) and
 * fp(100 - k, 100) share k of 100.
 */
static fm_fingerprint
fpt(uint64_t simhash, uint32_t hstart, uint32_t hn, uint32_t words, uint32_t start, uint32_t n)
{
	fm_fingerprint f;
	uint32_t i;

	memset(&f, 0, sizeof f);
	f.simhash = simhash;
	f.title = hn ? 0x5555u + hstart : 0;
	f.ntitle = hn < FM_FP_TITLE_WORDS ? hn : FM_FP_TITLE_WORDS;
	for (i = 0; i < f.ntitle; i++)
		f.title_words[i] = 1000000 + hstart + i;
	f.words = words;
	f.shingles = n;
	f.nsketch = n < FM_FP_SKETCH ? n : FM_FP_SKETCH;
	for (i = 0; i < f.nsketch; i++)
		f.sketch[i] = start + i;
	return f;
}

/* The same with a six-word headline: hstart picks which words. */
static fm_fingerprint
fp(uint64_t simhash, uint32_t hstart, uint32_t words, uint32_t start, uint32_t n)
{
	return fpt(simhash, hstart, 6, words, start, n);
}

#define LEAD 0x0123456789abcdefull
#define HEAD 0     /* one six-word headline */
#define OTHER 100  /* another, no word in common */

/* Flips the lowest d bits of x. */
static uint64_t
bits(uint64_t x, int d)
{
	return x ^ (d >= 64 ? ~0ull : (1ull << d) - 1);
}

/* Matches a and b both ways (the rules are symmetric) and returns the verdict. */
static fm_dedup_verdict
judge_apart(const fm_fingerprint *a, const fm_fingerprint *b, int same_feed, int64_t apart)
{
	fm_dedup_params p;
	fm_dedup_verdict v, w;
	fm_dedup_pair pair = { same_feed, apart };

	fm_dedup_defaults(&p);
	memset(&v, 0, sizeof v);
	memset(&w, 0, sizeof w);
	cr_assert_eq(fm_dedup_match(a, b, &pair, &p, &v), v.merge);
	cr_assert_eq(fm_dedup_match(b, a, &pair, &p, &w), w.merge);
	cr_assert_eq(v.merge, w.merge, "not symmetric: %s / %s", v.why, w.why);
	cr_assert_str_eq(v.why, w.why);
	cr_assert_not_null(v.why);
	return v;
}

/* judge_apart an hour apart. */
static fm_dedup_verdict
judge(const fm_fingerprint *a, const fm_fingerprint *b, int same_feed)
{
	return judge_apart(a, b, same_feed, 3600);
}

Test(dedup, defaults)
{
	fm_dedup_params p;

	fm_dedup_defaults(&p);
	cr_assert_eq(p.threshold, 5);
	cr_assert_float_eq(p.containment, 0.5, 1e-12);
	cr_assert_float_eq(p.same_feed, 0.9, 1e-12);
	cr_assert_float_eq(p.text_alone, 0.7, 1e-12);
	cr_assert_eq(p.short_words, 8);
	cr_assert_eq(p.min_shared, 6);
}

Test(dedup, text_alone_needs_most_of_both)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	/* Another headline, another lead (captions, a rewritten first sentence): 70% both ways. */
	b = fp(bits(LEAD, 30), OTHER, 200, 30, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "most of the text in common, both ways");
	cr_assert_float_eq(v.containment, 0.7, 1e-12);
	cr_assert_eq(v.title_shared, 0);
	b = fp(bits(LEAD, 30), OTHER, 200, 31, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "too little text in common");
	/* A story that borrows most of a shorter one: all of the short, 40% of the long. */
	a = fp(LEAD, HEAD, 100, 0, 40);
	b = fp(bits(LEAD, 30), OTHER, 250, 0, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	cr_assert_float_eq(v.containment, 1.0, 1e-12);
	cr_assert_float_eq(v.overlap, 0.4, 1e-12);
	/* Half of the long one: a copy behind furniture. */
	b = fp(bits(LEAD, 30), OTHER, 100, 0, 80);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
}

Test(dedup, short_texts_need_more)
{
	/* 15 shingles: a shared quote covers 73% of it; a copy covers it all. */
	fm_fingerprint a = fp(LEAD, HEAD, 17, 0, 15), b;
	fm_dedup_verdict v;

	b = fp(bits(LEAD, 30), OTHER, 17, 4, 15);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	b = fp(bits(LEAD, 30), OTHER, 17, 1, 15);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	/* Too few shingles shared at all: a sentence fragment. */
	a = fp(LEAD, HEAD, 9, 0, 5);
	b = fp(bits(LEAD, 30), OTHER, 9, 0, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
}

Test(dedup, text_with_lead_or_headline)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	/* 55% in common: not alone, but with the same lead ... */
	b = fp(LEAD, OTHER, 200, 45, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "enough text in common, and the lead or headline agree");
	/* ... or with half the headline. */
	b = fp(bits(LEAD, 30), 3, 200, 45, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_eq(v.title_shared, 3);
	/* One headline word in common is not agreement. */
	b = fp(bits(LEAD, 30), 5, 200, 45, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	/* Below the containment bar not even lead and a like headline help. */
	b = fp(LEAD, 2, 200, 51, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	/* A summary inside a long story: containment is of the smaller set. */
	a = fp(LEAD, HEAD, 30, 10, 28);
	b = fp(LEAD, 2, 300, 0, 120);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_float_eq(v.containment, 1.0, 1e-12);
}

Test(dedup, headline_only_copies)
{
	/* A wire headline at two outlets, one with a byline for text, one with nothing. */
	fm_fingerprint a = fp(LEAD, HEAD, 3, 0, 1), b = fp(bits(LEAD, 30), HEAD, 0, 0, 0);
	fm_dedup_verdict v;

	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	/* Near-identical (9 of 10 words) over nothing: the same. */
	{
		fm_fingerprint c = fpt(LEAD, 0, 10, 3, 0, 1), d = fpt(bits(LEAD, 30), 0, 9, 0, 0, 0);

		v = judge(&c, &d, 0);
		cr_assert_eq(v.merge, 1, "%s", v.why);
		cr_assert_str_eq(v.why, "the same distinctive headline, close in time");
	}
	/* Days apart: a recurring headline, not one story. */
	v = judge_apart(&a, &b, 0, 5 * 86400);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	/* Within one feed a repeated headline is a series. */
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	/* Five of six words: near enough (Jaccard 5/7 is under 0.8: not). */
	b = fp(bits(LEAD, 30), 1, 0, 0, 0);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	a = fpt(LEAD, 0, 10, 3, 0, 1);
	b = fpt(bits(LEAD, 30), 0, 9, 0, 0, 0);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	/* A short headline is not distinctive. */
	a = fpt(LEAD, 0, 3, 3, 0, 1);
	b = fpt(bits(LEAD, 30), 0, 3, 0, 0, 0);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	/* Templated: the feed repeats the headline. */
	a = fp(LEAD, HEAD, 3, 0, 1);
	b = fp(bits(LEAD, 30), HEAD, 0, 0, 0);
	b.flags |= FM_FP_TEMPLATED;
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
}

Test(dedup, same_headline_over_other_texts_is_another_story)
{
	/* The same event written twice under near-identical headlines (9 of 10 words): texts of their own. */
	fm_fingerprint a = fpt(LEAD, 0, 10, 30, 0, 28), b = fpt(bits(LEAD, 30), 0, 9, 25, 500, 23);
	fm_dedup_verdict v = judge(&a, &b, 0);

	cr_assert_eq(v.merge, 0, "%s", v.why);
	cr_assert_str_eq(v.why, "the same headline over different texts (the same event, rewritten)");
	cr_assert_eq(v.title_shared, 9);
}

Test(dedup, a_long_headline_word_for_word_over_other_deks)
{
	/* A wire headline of 6 words at two outlets, each with a dek of its own. */
	fm_fingerprint a = fp(LEAD, HEAD, 30, 0, 28), b = fp(bits(LEAD, 30), HEAD, 12, 500, 10);
	fm_dedup_verdict v = judge(&a, &b, 0);

	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "the same long headline word for word, close in time");
	/* Not days apart, not within one feed. */
	cr_assert_eq(judge_apart(&a, &b, 0, 3 * 86400).merge, 0);
	cr_assert_eq(judge(&a, &b, 1).merge, 0);
	/* Four words word for word are not long enough to outweigh two texts. */
	a = fpt(LEAD, 0, 4, 30, 0, 28);
	b = fpt(bits(LEAD, 30), 0, 4, 12, 500, 10);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
}

Test(dedup, same_feed_needs_a_repost)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	/* 85% in common: enough across feeds, not within one. */
	b = fp(LEAD, HEAD, 200, 15, 100);
	cr_assert_eq(judge(&a, &b, 0).merge, 1);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "same feed, and not a re-post (text or headline differ)");
	/* 90%, a like headline: an edition re-posted. */
	b = fp(LEAD, 2, 200, 10, 100);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "same feed, near-identical text under a like headline");
	/* The same text under a headline sharing a single word: not like enough. */
	b = fp(LEAD, 5, 150, 10, 100);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "a whole article: %s", v.why);
	a = fp(LEAD, HEAD, 40, 0, 30);
	b = fp(LEAD, 5, 40, 3, 30);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0, "a short text under another headline: %s", v.why);
	b = fp(LEAD, 2, 40, 3, 30);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "the same short text under a like headline: %s", v.why);
	a = fp(LEAD, HEAD, 200, 0, 100);
	/* An article re-posted under a new headline (another edition, another section). */
	b = fp(LEAD, OTHER, 200, 0, 100);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "same feed, a near-identical article under a new headline");
	/* The feed's standing blurb (a sentence or two) under two headlines stays apart. */
	a = fp(LEAD, HEAD, 27, 0, 25);
	b = fp(LEAD, OTHER, 27, 0, 25);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	cr_assert_eq(judge(&a, &b, 0).merge, 1, "across feeds the same text is a copy");
	a = fp(LEAD, HEAD, 200, 0, 100);
	/* The same short text weeks later is a recurring blurb; a whole article is still a re-post. */
	a = fp(LEAD, HEAD, 31, 0, 29);
	b = fp(LEAD, HEAD, 31, 0, 29);
	cr_assert_eq(judge(&a, &b, 1).merge, 1);
	v = judge_apart(&a, &b, 1, 50 * 86400);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	cr_assert_str_eq(v.why, "same feed, a short text days apart: recurring, not a re-post");
	a = fp(LEAD, HEAD, 200, 0, 100);
	b = fp(LEAD, HEAD, 200, 0, 100);
	cr_assert_eq(judge_apart(&a, &b, 1, 50 * 86400).merge, 1);
	/* A short series text one word apart (race tips at two tracks) stays apart; identical joins. */
	a = fp(LEAD, HEAD, 16, 0, 14);
	b = fp(LEAD, 1, 16, 1, 14);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0, "%s", v.why);
	b = fp(LEAD, 1, 16, 0, 14);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "%s", v.why);
}

Test(dedup, the_same_link_is_the_same_story)
{
	/* Copies at one address: whatever their text, feed or headline. */
	fm_fingerprint a = fp(LEAD, HEAD, 0, 0, 0), b = fp(bits(LEAD, 30), OTHER, 200, 500, 100);
	fm_dedup_verdict v;

	a.link = b.link = 0x1234567890abcdefull;
	a.flags |= FM_FP_TEMPLATED;
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_str_eq(v.why, "the same link");
	/* Another link, or none: the other rules decide. */
	b.link = 0x1234567890abcdeeull;
	cr_assert_eq(judge(&a, &b, 0).merge, 0);
	a.link = b.link = 0;
	cr_assert_eq(judge(&a, &b, 0).merge, 0);
}

Test(dedup, items_without_text)
{
	fm_fingerprint a = fp(LEAD, HEAD, 0, 0, 0), b = fp(LEAD, OTHER, 0, 0, 0);
	fm_dedup_verdict v;

	/* No text and other headlines. */
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "no story text, and the headlines differ");
	/* One side without text, another headline: the other's text cannot be shared. */
	b = fp(LEAD, OTHER, 200, 0, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_float_eq(v.containment, 0.0, 1e-12);
}

Test(dedup, symmetric)
{
	/* Clusters must not depend on which of two items came first. */
	uint64_t s = 3;
	int i;

	for (i = 0; i < 4000; i++) {
		uint32_t na = (uint32_t)(rnd(&s) % 140), nb = (uint32_t)(rnd(&s) % 140);
		fm_fingerprint a = fpt(LEAD, 0, (uint32_t)(rnd(&s) % 12), (uint32_t)(rnd(&s) % 20) ? na + 2 : 0, 0, na);
		fm_fingerprint b = fpt(bits(LEAD, (int)(rnd(&s) % 8)), (uint32_t)(rnd(&s) % 8), (uint32_t)(rnd(&s) % 12),
				       (uint32_t)(rnd(&s) % 20) ? nb + 2 : 0, (uint32_t)(rnd(&s) % 60), nb);

		if (rnd(&s) % 10 == 0)
			a.flags |= FM_FP_TEMPLATED;
		judge_apart(&a, &b, (int)(rnd(&s) & 1), (int64_t)(rnd(&s) % (4 * 86400)));
	}
}

Test(dedup, keys_say_how_items_meet)
{
	fm_dedup_params p;
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	uint32_t keys[FM_DEDUP_POSTINGS];
	unsigned kinds[FM_DEDUP_POSTINGS];

	fm_dedup_defaults(&p);
	cr_assert_eq(fm_dedup_postings(&a, keys, kinds), FM_DEDUP_TEXT_KEYS + FM_DEDUP_TITLE_KEYS + 1);
	b = a;
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), FM_DEDUP_KEY_LEAD | FM_DEDUP_KEY_TEXT | FM_DEDUP_KEY_HEADLINE);
	/* Text found wherever it sits: only the smallest hashes in common, nothing else. */
	b = fp(bits(LEAD, 30), OTHER, 200, 0, 100);
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), FM_DEDUP_KEY_TEXT);
	/* The headline alone. */
	b = fp(bits(LEAD, 30), HEAD, 0, 0, 0);
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), FM_DEDUP_KEY_HEADLINE);
	/* The lead alone (within the threshold). */
	b = fp(bits(LEAD, 5), OTHER, 200, 5000, 100);
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), FM_DEDUP_KEY_LEAD);
	b = fp(bits(LEAD, 6), OTHER, 200, 5000, 100);
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), 0);
	/* The link alone. */
	b = fp(bits(LEAD, 30), OTHER, 200, 5000, 100);
	a.link = b.link = 42;
	cr_assert_eq(fm_dedup_keys(&a, &b, &p), FM_DEDUP_KEY_LINK);
	cr_assert_eq(fm_dedup_postings(&a, keys, kinds), FM_DEDUP_POSTINGS);
	a.link = b.link = 0;
	/* Headline and text keys never meet each other. */
	b = fpt(bits(LEAD, 30), 0, 0, 200, 1000000, 100);
	cr_assert_eq(fm_dedup_keys(&a, &b, &p) & FM_DEDUP_KEY_HEADLINE, 0);
}

/* Fingerprints title and HTML body. */
static void
fp_item(fm_fingerprint *f, const char *title, const char *html)
{
	fm_item it;

	memset(&it, 0, sizeof it);
	it.title = title;
	it.summary = html;
	cr_assert_eq(fm_fingerprint_item(f, &it, NULL, NULL, NULL), 0);
}

#define DESK_LEAD "Eskland's central bank raised its main interest rate by a quarter of a percentage point on Tuesday, its third increase this year, saying prices were still climbing."

Test(dedup, real_items)
{
	fm_fingerprint full, summary, edited, other;
	fm_dedup_verdict v;

	fp_item(&full, "Eskland central bank raises rates for third time this year",
		"<p>KALLSTAD (AP) - " DESK_LEAD "</p>"
		"<p>The rate now stands at 4.25 percent, its highest level since 2008. Most economists had expected the move.</p>"
		"<p>Governor Henrik Dahl said the bank was prepared to act again if inflation did not begin to slow by the summer.</p>"
		"<p>Share on Facebook</p>");
	/* A summary-only copy (headline and lead) joins its story. */
	fp_item(&summary, "Eskland's central bank raises rates again", DESK_LEAD);
	v = judge(&full, &summary, 0);
	cr_assert_eq(v.merge, 1, "%s (distance %d, containment %.2f)", v.why, v.distance, v.containment);
	/* A lightly edited copy under a rewritten headline. */
	fp_item(&edited, "UPDATE 1-Eskland Lifts Rates As Prices Keep Climbing | Metro",
		"<p>" DESK_LEAD "</p>"
		"<p>The rate now stands at 4.25 percent, its highest level since 2008. Most analysts had expected the move.</p>"
		"<p>Governor Henrik Dahl said the bank was ready to act again if inflation did not begin to slow by the summer.</p>");
	v = judge(&full, &edited, 0);
	cr_assert_eq(v.merge, 1, "%s (distance %d, containment %.2f)", v.why, v.distance, v.containment);
	/* Two words edited: within one feed that is still near-identical (a re-send). */
	v = judge(&full, &edited, 1);
	cr_assert_eq(v.merge, 1, "%s (containment %.2f)", v.why, v.containment);
	/* A follow-up that keeps the lead and replaces a paragraph: a copy across feeds, not within one. */
	fp_item(&edited, "Eskland central bank raises rates for third time this year",
		"<p>" DESK_LEAD "</p>"
		"<p>The rate now stands at 4.25 percent, its highest level since 2008. Most economists had expected the move.</p>"
		"<p>Home builders' shares fell sharply after the decision, and the krona rose against the euro.</p>");
	v = judge(&full, &edited, 0);
	cr_assert_eq(v.merge, 1, "%s (containment %.2f)", v.why, v.containment);
	v = judge(&full, &edited, 1);
	cr_assert_eq(v.merge, 0, "%s (containment %.2f)", v.why, v.containment);
	cr_assert_str_eq(v.why, "same feed, and not a re-post (text or headline differ)");
	/* Another story on the same subject. */
	fp_item(&other, "Eskland central bank chief defends rate rise",
		"<p>The governor of Eskland's central bank told lawmakers on Wednesday that the latest rate rise was needed to protect savers.</p>"
		"<p>The rate now stands at 4.25 percent, its highest level since 2008. Most economists had expected the move.</p>");
	v = judge(&full, &other, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
}
