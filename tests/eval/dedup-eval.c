/*
 * dedup-eval.c - clusters a labelled JSONL set (one {"id", "source",
 * "title", "text", "published"} per line, paragraphs split by blank lines)
 * with feedmerge's fingerprints, index and match rules, and prints one
 * {"id", "cluster"} per line for a scorer. A quick loop for tuning; the
 * real measure is tests/eval/eval.sh, through `feedmerge run`.
 *
 *   dedup-eval ITEMS.jsonl [THRESHOLD [CONTAINMENT [WINDOW_DAYS]]] > pred.jsonl
 */
#define _DEFAULT_SOURCE /* strptime, timegm */
#define _XOPEN_SOURCE 700
#include "feedmerge/buf.h"
#include "feedmerge/dedup.h"
#include "feedmerge/simindex.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* One item of the set. */
struct ev_item {
	char *id, *source, *title, *html;
	time_t published;
	fm_fingerprint fp;
	size_t parent;
};

/* Paragraph hashes seen per source, for learning boilerplate (a tiny open hash). */
struct ev_counts {
	uint64_t *keys;
	unsigned *n;
	size_t cap;
};

static struct ev_counts counts;
static const char *cur_source;

/* The counter of (source, paragraph). */
static unsigned *
count_slot(uint64_t para)
{
	uint64_t k = para ^ XXH3_64bits(cur_source, strlen(cur_source));
	size_t i = (size_t)(k % counts.cap);

	if (!k)
		k = 1;
	while (counts.keys[i] && counts.keys[i] != k)
		i = (i + 1) % counts.cap;
	counts.keys[i] = k;
	return &counts.n[i];
}

/* Learning pass: counts each paragraph once per item. */
static void
learn(void *ud, uint64_t para)
{
	(void)ud;
	(*count_slot(para))++;
}

/* Stripping pass: a paragraph in 3+ items of one source is boilerplate. */
static int
is_boiler(void *ud, uint64_t para)
{
	(void)ud;
	return *count_slot(para) >= 3;
}

/* Appends text as HTML paragraphs (split at blank lines, escaped). */
static void
to_html(fm_buf *b, const char *t)
{
	fm_buf_puts(b, "<p>");
	for (; *t; t++) {
		if (t[0] == '\n' && t[1] == '\n') {
			fm_buf_puts(b, "</p>\n<p>");
			t++;
		} else if (*t == '<') {
			fm_buf_puts(b, "&lt;");
		} else if (*t == '>') {
			fm_buf_puts(b, "&gt;");
		} else if (*t == '&') {
			fm_buf_puts(b, "&amp;");
		} else {
			fm_buf_putc(b, *t);
		}
	}
	fm_buf_puts(b, "</p>");
}

static struct ev_item *items;
static size_t nitems;

/* Union-find root. */
static size_t
root(size_t i)
{
	while (items[i].parent != i)
		i = items[i].parent = items[items[i].parent].parent;
	return i;
}

/* What a query is being made for. */
struct ev_query {
	size_t self;
	const fm_dedup_params *p;
	size_t candidates;
	long window;
};

/* Index callback: confirms a candidate and joins the clusters. */
static int
on_candidate(void *ud, uint32_t id, int dist)
{
	struct ev_query *q = ud;
	struct ev_item *a = &items[q->self], *b = &items[id];
	fm_dedup_verdict v;

	(void)dist;
	q->candidates++;
	if (labs((long)(a->published - b->published)) > q->window)
		return 0;
	if (fm_dedup_match(&a->fp, &b->fp, !strcmp(a->source, b->source), q->p, &v))
		items[root(q->self)].parent = root(id);
	return 0;
}

int
main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
	fm_dedup_params p;
	fm_simindex *ix;
	char *line = NULL;
	size_t cap = 0, i, alloc = 0, cands = 0;
	long window = 3 * 86400;
	struct tm tm;
	int pass;

	if (!f) {
		fprintf(stderr, "usage: dedup-eval ITEMS.jsonl [THRESHOLD [CONTAINMENT [WINDOW_DAYS]]]\n");
		return 2;
	}
	fm_dedup_defaults(&p);
	if (argc > 2)
		p.threshold = atoi(argv[2]);
	if (argc > 3)
		p.containment = atof(argv[3]);
	if (argc > 4)
		window = (long)(atof(argv[4]) * 86400);
	while (getline(&line, &cap, f) > 0) {
		json_object *o = json_tokener_parse(line), *v;
		fm_buf html = FM_BUF_INIT;

		if (!o)
			continue;
		if (nitems == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			items = realloc(items, alloc * sizeof *items);
		}
		memset(&items[nitems], 0, sizeof *items);
		json_object_object_get_ex(o, "id", &v);
		items[nitems].id = strdup(json_object_get_string(v));
		json_object_object_get_ex(o, "source", &v);
		items[nitems].source = strdup(json_object_get_string(v));
		json_object_object_get_ex(o, "title", &v);
		items[nitems].title = strdup(json_object_get_string(v));
		json_object_object_get_ex(o, "text", &v);
		to_html(&html, json_object_get_string(v));
		items[nitems].html = fm_buf_detach(&html);
		json_object_object_get_ex(o, "published", &v);
		memset(&tm, 0, sizeof tm);
		strptime(json_object_get_string(v), "%Y-%m-%dT%H:%M:%SZ", &tm);
		items[nitems].published = timegm(&tm);
		items[nitems].parent = nitems;
		nitems++;
		json_object_put(o);
	}
	free(line);
	fclose(f);
	counts.cap = 1 << 22;
	counts.keys = calloc(counts.cap, sizeof *counts.keys);
	counts.n = calloc(counts.cap, sizeof *counts.n);
	/* Two passes: learn which paragraphs recur per source, then fingerprint without them. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nitems; i++) {
			fm_item it;

			memset(&it, 0, sizeof it);
			it.title = items[i].title;
			it.content = items[i].html;
			cur_source = items[i].source;
			fm_fingerprint_item(&items[i].fp, &it, pass ? is_boiler : NULL,
					    pass ? NULL : learn, NULL);
		}
	fm_simindex_new(&ix, p.threshold);
	for (i = 0; i < nitems; i++) {
		struct ev_query q = { i, &p, 0, window };

		fm_simindex_query(ix, items[i].fp.simhash, on_candidate, &q);
		cands += q.candidates;
		fm_simindex_add(ix, items[i].fp.simhash, (uint32_t)i);
	}
	for (i = 0; i < nitems; i++)
		printf("{\"id\": \"%s\", \"cluster\": \"%s\"}\n", items[i].id, items[root(i)].id);
	fprintf(stderr, "%zu items, %zu candidate pairs\n", nitems, cands);
	return 0;
}
