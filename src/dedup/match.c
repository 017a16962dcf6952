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
	p->title_distance = 6;
}

/* Records a verdict; returns merge. */
static int
verdict(fm_dedup_verdict *v, int merge, const char *why)
{
	v->merge = merge;
	v->why = why;
	return merge;
}

int
fm_dedup_match(const fm_fingerprint *a, const fm_fingerprint *b, int same_feed,
	       const fm_dedup_params *p, fm_dedup_verdict *v)
{
	v->distance = fm_hamming(a->simhash, b->simhash);
	v->title_distance = a->title && b->title ? fm_hamming(a->title, b->title) : 64;
	fm_fp_overlap(a, b, &v->containment, &v->overlap);
	if (!a->words && !b->words)
		return verdict(v, 0, "no story text to compare (headlines alone never merge)");
	if (v->distance > p->threshold)
		return verdict(v, 0, "leads differ (SimHash distance above threshold)");
	if (a->words < p->short_words || b->words < p->short_words) {
		/* Too little text to judge alone: the headline must agree too. */
		if (v->title_distance > p->title_distance)
			return verdict(v, 0, "too little text, and the headlines differ");
		if (v->containment < 0.8)
			return verdict(v, 0, "too little text, and it differs");
		return verdict(v, 1, "short items with the same headline and text");
	}
	if ((a->flags | b->flags) & FM_FP_TEMPLATED &&
	    (v->overlap < p->same_feed || v->distance > 2))
		return verdict(v, 0, "a templated item (its feed repeats the headline), and not near-identical");
	if (same_feed && (v->containment < p->same_feed || v->distance > 2))
		return verdict(v, 0, "same feed, and not near-identical");
	if (v->containment < p->containment)
		return verdict(v, 0, "too little text in common (containment below the bar)");
	return verdict(v, 1, same_feed ? "same feed, near-identical" : "same lead and enough text in common");
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
