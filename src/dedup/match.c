/* match.c - the rules that decide whether two items carry the same story. */
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

void
fm_dedup_defaults(fm_dedup_params *p)
{
	p->threshold = 5;
	p->containment = 0.5;
	p->same_feed = 0.9;
	p->short_words = 8;
	p->min_shared = 6;
	p->text_alone = 0.7;
	p->long_shingles = 20;
	p->short_text = 0.85;
	p->repost_overlap = 0.75;
	p->headline_agree = 0.3;
	p->headline = 0.8;
	p->headline_words = 4;
	p->headline_apart = 2 * 86400;
}

/* Records a verdict; returns merge. */
static int
verdict(fm_dedup_verdict *v, int merge, const char *why)
{
	v->merge = merge;
	v->why = why;
	return merge;
}

/* Both items carry enough story text to be judged by it. */
static int
both_have_text(const fm_fingerprint *a, const fm_fingerprint *b, const fm_dedup_params *p)
{
	return a->words >= p->short_words && b->words >= p->short_words;
}

/* The headlines agree word for word, or nearly, on enough words. */
static int
same_headline(const fm_dedup_verdict *v, const fm_dedup_params *p)
{
	return v->title_jaccard >= p->headline && v->title_shared >= p->headline_words;
}

int
fm_dedup_match(const fm_fingerprint *a, const fm_fingerprint *b, const fm_dedup_pair *pair,
	       const fm_dedup_params *p, fm_dedup_verdict *v)
{
	unsigned small = a->shingles < b->shingles ? a->shingles : b->shingles;
	int text = both_have_text(a, b, p), headline;

	v->distance = fm_hamming(a->simhash, b->simhash);
	fm_fp_overlap(a, b, &v->containment, &v->overlap);
	v->shared = v->containment * small;
	v->title_shared = fm_fp_title_overlap(a, b, &v->title_jaccard);
	headline = same_headline(v, p);
	/* The first rule: copies at one address are one story, whatever their text. */
	if (a->link && a->link == b->link)
		return verdict(v, 1, "the same link");
	if (!a->words && !b->words && !headline)
		return verdict(v, 0, "no story text, and the headlines differ");
	if ((a->flags | b->flags) & FM_FP_TEMPLATED) {
		if (text && v->overlap >= p->same_feed && v->distance <= 2)
			return verdict(v, 1, "a templated item (its feed repeats the headline), near-identical");
		return verdict(v, 0, "a templated item (its feed repeats the headline), and not near-identical");
	}
	if (pair->same_feed) {
		/*
		 * One feed: a re-post (another edition, another section) carries
		 * the same text within days; a series (race tips, a standing
		 * blurb) changes a word or two of a short one, so a short text
		 * must be identical; a standing blurb under another headline, or
		 * the same short text days later, is not a re-post.
		 */
		if (pair->apart > p->headline_apart && small < 2 * p->long_shingles)
			return verdict(v, 0, "same feed, a short text days apart: recurring, not a re-post");
		if (text && (small >= p->long_shingles ? v->containment >= p->same_feed && v->overlap >= p->repost_overlap
						       : v->overlap >= 1.0) &&
		    (headline || v->title_jaccard >= p->headline_agree))
			return verdict(v, 1, "same feed, near-identical text under a like headline");
		/* A standing blurb is a sentence or two; an article re-posted under a new headline is more. */
		if (text && v->overlap >= p->same_feed && small >= 2 * p->long_shingles)
			return verdict(v, 1, "same feed, a near-identical article under a new headline");
		if (text && headline && v->containment >= p->same_feed && small >= p->long_shingles)
			return verdict(v, 1, "same feed, the same headline over the same text");
		return verdict(v, 0, "same feed, and not a re-post (text or headline differ)");
	}
	/*
	 * Text alone: most of either, and not half of a longer story (a
	 * borrowed passage); a short text shares a quote easily, so it needs more.
	 */
	if (text && v->shared >= p->min_shared &&
	    (small >= p->long_shingles ? v->containment >= p->text_alone && v->overlap >= p->containment
				       : v->containment >= p->short_text && v->overlap >= p->text_alone))
		return verdict(v, 1, "most of the text in common, both ways");
	if (text && v->containment >= p->containment &&
	    (v->distance <= p->threshold || (v->title_shared >= 2 && v->title_jaccard >= p->headline_agree)) &&
	    (v->shared >= p->min_shared || v->distance <= p->threshold))
		return verdict(v, 1, "enough text in common, and the lead or headline agree");
	if (headline && pair->apart <= p->headline_apart) {
		/* Word for word and long: a wire headline, whatever dek each outlet put under it. */
		if (v->title_jaccard >= 1.0 && v->title_shared >= p->headline_words + 1)
			return verdict(v, 1, "the same long headline word for word, close in time");
		if (text)
			return verdict(v, 0, "the same headline over different texts (the same event, rewritten)");
		return verdict(v, 1, "the same distinctive headline, close in time");
	}
	if (!text)
		return verdict(v, 0, "too little text, and the headlines differ");
	return verdict(v, 0, "too little text in common");
}

int
fm_dedup_prefer(int priority_a, fm_time published_a, int priority_b, fm_time published_b)
{
	if (priority_a != priority_b)
		return priority_a > priority_b ? -1 : 1;
	if (published_a != published_b)
		return published_a < published_b ? -1 : 1;
	return 0;
}
