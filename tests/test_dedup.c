/* test_dedup.c - the rules that decide whether two items carry the same story. */
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

#include <criterion/criterion.h>
#include <string.h>
#include "splitmix.h"

/*
 * A fingerprint built by hand: lead SimHash, headline SimHash, words, and a
 * complete sketch of n consecutive hashes from start, so containments are
 * exact: fp(0, 100) and fp(100 - k, 100) share k of 100.
 */
static fm_fingerprint
fp(uint64_t simhash, uint64_t title, uint32_t words, uint32_t start, uint32_t n)
{
	fm_fingerprint f;
	uint32_t i;

	memset(&f, 0, sizeof f);
	f.simhash = simhash;
	f.title = title;
	f.words = words;
	f.shingles = n;
	f.nsketch = n < FM_FP_SKETCH ? n : FM_FP_SKETCH;
	for (i = 0; i < f.nsketch; i++)
		f.sketch[i] = start + i;
	return f;
}

#define LEAD 0x0123456789abcdefull
#define HEAD 0xfedcba9876543210ull

/* Flips the lowest d bits of x. */
static uint64_t
bits(uint64_t x, int d)
{
	return x ^ (d >= 64 ? ~0ull : (1ull << d) - 1);
}

/* Matches a and b both ways (the rules are symmetric) and returns the verdict. */
static fm_dedup_verdict
judge(const fm_fingerprint *a, const fm_fingerprint *b, int same_feed)
{
	fm_dedup_params p;
	fm_dedup_verdict v, w;

	fm_dedup_defaults(&p);
	memset(&v, 0, sizeof v);
	memset(&w, 0, sizeof w);
	cr_assert_eq(fm_dedup_match(a, b, same_feed, &p, &v), v.merge);
	cr_assert_eq(fm_dedup_match(b, a, same_feed, &p, &w), w.merge);
	cr_assert_eq(v.merge, w.merge, "not symmetric: %s / %s", v.why, w.why);
	cr_assert_str_eq(v.why, w.why);
	cr_assert_not_null(v.why);
	return v;
}

Test(dedup, defaults)
{
	fm_dedup_params p;

	fm_dedup_defaults(&p);
	cr_assert_eq(p.threshold, 5);
	cr_assert_float_eq(p.containment, 0.5, 1e-12);
	cr_assert_float_eq(p.same_feed, 0.9, 1e-12);
	cr_assert_eq(p.short_words, 8);
	cr_assert_eq(p.title_distance, 6);
}

Test(dedup, same_lead_and_enough_text)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b = fp(LEAD, bits(HEAD, 30), 150, 40, 100);
	fm_dedup_verdict v = judge(&a, &b, 0);

	/* Headlines may differ entirely for long items. */
	cr_assert_eq(v.merge, 1);
	cr_assert_str_eq(v.why, "same lead and enough text in common");
	cr_assert_eq(v.distance, 0);
	cr_assert_eq(v.title_distance, 30);
	cr_assert_float_eq(v.containment, 0.6, 1e-12);
}

Test(dedup, threshold)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	b = fp(bits(LEAD, 5), HEAD, 200, 0, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "distance 5 is within the threshold: %s", v.why);
	cr_assert_eq(v.distance, 5);
	b = fp(bits(LEAD, 6), HEAD, 200, 0, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_eq(v.distance, 6);
	cr_assert_str_eq(v.why, "leads differ (SimHash distance above threshold)");
	/* The threshold is a knob. */
	{
		fm_dedup_params p;
		fm_dedup_verdict w;

		fm_dedup_defaults(&p);
		p.threshold = 6;
		cr_assert_eq(fm_dedup_match(&a, &b, 0, &p, &w), 1);
		p.threshold = 0;
		b = fp(bits(LEAD, 1), HEAD, 200, 0, 100);
		cr_assert_eq(fm_dedup_match(&a, &b, 0, &p, &w), 0);
	}
}

Test(dedup, containment_bar)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	b = fp(LEAD, HEAD, 200, 51, 100); /* 49 of 100 in common */
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_float_eq(v.containment, 0.49, 1e-12);
	cr_assert_str_eq(v.why, "too little text in common (containment below the bar)");
	b = fp(LEAD, HEAD, 200, 50, 100); /* 50 of 100: at the bar */
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	/* Containment is of the smaller set: a summary inside a long story. */
	a = fp(LEAD, HEAD, 30, 10, 28);
	b = fp(LEAD, bits(HEAD, 20), 300, 0, 120);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1, "%s", v.why);
	cr_assert_float_eq(v.containment, 1.0, 1e-12);
}

Test(dedup, short_items_need_headline_and_text)
{
	fm_fingerprint a = fp(LEAD, HEAD, 7, 0, 5), b;
	fm_dedup_verdict v;

	/* Same lead, same text, same headline: merge. */
	b = fp(LEAD, HEAD, 7, 0, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 1);
	cr_assert_str_eq(v.why, "short items with the same headline and text");
	/* Headline within title_distance: still the same. */
	b = fp(LEAD, bits(HEAD, 6), 7, 0, 5);
	cr_assert_eq(judge(&a, &b, 0).merge, 1);
	/* Headlines apart. */
	b = fp(LEAD, bits(HEAD, 7), 7, 0, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_eq(v.title_distance, 7);
	cr_assert_str_eq(v.why, "too little text, and the headlines differ");
	/* No headline on one side: never the same headline. */
	b = fp(LEAD, 0, 7, 0, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_eq(v.title_distance, 64);
	cr_assert_str_eq(v.why, "too little text, and the headlines differ");
	/* Same headline, text differs: containment must reach 0.8 (4 of 5 do, 3 of 5 do not). */
	b = fp(LEAD, HEAD, 7, 1, 5);
	cr_assert_eq(judge(&a, &b, 0).merge, 1);
	b = fp(LEAD, HEAD, 7, 2, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "too little text, and it differs");
	/* One short side is enough to need the headline: a long story with another headline. */
	b = fp(LEAD, bits(HEAD, 20), 300, 0, 120);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "too little text, and the headlines differ");
	/* The lead still has to agree first. */
	b = fp(bits(LEAD, 9), HEAD, 7, 0, 5);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "leads differ (SimHash distance above threshold)");
	/* short_words is the boundary: 8 words is not short. */
	a = fp(LEAD, HEAD, 8, 0, 6);
	b = fp(LEAD, bits(HEAD, 30), 8, 0, 6);
	cr_assert_eq(judge(&a, &b, 0).merge, 1);
}

Test(dedup, same_feed_needs_near_identical)
{
	fm_fingerprint a = fp(LEAD, HEAD, 200, 0, 100), b;
	fm_dedup_verdict v;

	/* 85% in common: enough across feeds, not within one. */
	b = fp(LEAD, HEAD, 200, 15, 100);
	cr_assert_eq(judge(&a, &b, 0).merge, 1);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "same feed, and not near-identical");
	/* 90% and the same lead: near-identical. */
	b = fp(LEAD, HEAD, 200, 10, 100);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 1);
	cr_assert_str_eq(v.why, "same feed, near-identical");
	/* 100% but the leads 3 bits apart: not near-identical. */
	b = fp(bits(LEAD, 3), HEAD, 200, 0, 100);
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "same feed, and not near-identical");
	b = fp(bits(LEAD, 2), HEAD, 200, 0, 100);
	cr_assert_eq(judge(&a, &b, 1).merge, 1);
}

Test(dedup, items_without_text_never_merge)
{
	fm_fingerprint a = fp(LEAD, HEAD, 0, 0, 0), b = fp(LEAD, HEAD, 0, 0, 0);
	fm_dedup_verdict v;

	/* Same headline, nothing else: a comic strip, a daily digest title. */
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_str_eq(v.why, "no story text to compare (headlines alone never merge)");
	v = judge(&a, &b, 1);
	cr_assert_eq(v.merge, 0);
	/* One side without text: the other's text cannot be shared. */
	b = fp(LEAD, HEAD, 200, 0, 100);
	v = judge(&a, &b, 0);
	cr_assert_eq(v.merge, 0);
	cr_assert_float_eq(v.containment, 0.0, 1e-12);
	b = fp(LEAD, HEAD, 3, 0, 1);
	cr_assert_eq(judge(&a, &b, 0).merge, 0);
}

Test(dedup, symmetric)
{
	/* Clusters must not depend on which of two items came first. */
	uint64_t s = 3;
	int i;

	for (i = 0; i < 2000; i++) {
		uint32_t na = (uint32_t)(rnd(&s) % 140), nb = (uint32_t)(rnd(&s) % 140);
		fm_fingerprint a = fp(LEAD, HEAD, (uint32_t)(rnd(&s) % 20) ? na + 2 : 0, 0, na);
		fm_fingerprint b = fp(bits(LEAD, (int)(rnd(&s) % 8)), bits(HEAD, (int)(rnd(&s) % 10)),
				      (uint32_t)(rnd(&s) % 20) ? nb + 2 : 0, (uint32_t)(rnd(&s) % 60), nb);

		judge(&a, &b, (int)(rnd(&s) & 1));
	}
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
	cr_assert_str_eq(v.why, "same feed, and not near-identical");
	/* Another story on the same subject. */
	fp_item(&other, "Eskland central bank chief defends rate rise",
		"<p>The governor of Eskland's central bank told lawmakers on Wednesday that the latest rate rise was needed to protect savers.</p>"
		"<p>The rate now stands at 4.25 percent, its highest level since 2008. Most economists had expected the move.</p>");
	v = judge(&full, &other, 0);
	cr_assert_eq(v.merge, 0, "%s", v.why);
}
