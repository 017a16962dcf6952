/*
 * fuzz_text.c - libFuzzer target for the text stage: HTML to text,
 * normalisation and fingerprints, on hostile HTML.
 *
 * Input: the first line is the item's title, the rest its HTML body. Checks
 * besides the sanitizers: every text produced is valid UTF-8 with exactly
 * one "\n" between non-empty paragraphs; normalising twice changes nothing
 * more than once did (up to the one documented Hangul case: skipped when
 * jamo are present); a fingerprint from a prepared text equals the one-call
 * fingerprint; an item is fully contained in itself.
 */
#define _GNU_SOURCE /* memmem */
#include "feedmerge/buf.h"
#include "feedmerge/fingerprint.h"
#include "feedmerge/text.h"
#include "../utf8check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Aborts unless text is valid UTF-8 of non-empty paragraphs split by single "\n". */
static void
check_paragraphs(const fm_buf *b)
{
	size_t i;

	if (!b->size)
		return;
	if (!test_utf8_valid((const unsigned char *)b->ptr, b->size) || b->ptr[0] == '\n' ||
	    b->ptr[b->size - 1] == '\n')
		abort();
	for (i = 1; i < b->size; i++)
		if (b->ptr[i] == '\n' && b->ptr[i - 1] == '\n')
			abort();
}

/* A boilerplate oracle that depends on the hash only: a few paragraphs are "learnt". */
static int
some_boiler(void *ud, uint64_t hash)
{
	(void)ud;
	return (hash & 7) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - (const char *)data) : 0;
	char *title = malloc(tlen + 1), *body = malloc(size - tlen + 1);
	fm_buf text = FM_BUF_INIT, once = FM_BUF_INIT, twice = FM_BUF_INIT;
	fm_fingerprint *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	fm_fp_text *t = NULL;
	fm_item item;

	if (!title || !body || !a || !b)
		abort();
	memcpy(title, data, tlen);
	title[tlen] = '\0';
	memcpy(body, data + tlen, size - tlen);
	body[size - tlen] = '\0';

	if (fm_text_from_html(&text, (const char *)data + tlen, size - tlen))
		abort();
	check_paragraphs(&text);
	if (fm_text_normalise(&once, text.ptr ? text.ptr : "", text.size))
		abort();
	check_paragraphs(&once);
	if (fm_text_normalise(&twice, once.ptr ? once.ptr : "", once.size))
		abort();
	/* Idempotent, except conjoining Hangul jamo split by a dropped apostrophe. */
	if ((twice.size != once.size || memcmp(twice.ptr ? twice.ptr : "", once.ptr ? once.ptr : "", once.size)) &&
	    !memmem(once.ptr ? once.ptr : "", once.size, "\xe1\x84", 2) &&
	    !memmem(once.ptr ? once.ptr : "", once.size, "\xe1\x85", 2) &&
	    !memmem(once.ptr ? once.ptr : "", once.size, "\xe1\x86", 2) &&
	    !memmem(once.ptr ? once.ptr : "", once.size, "\xe1\x87", 2))
		abort();

	memset(&item, 0, sizeof item);
	item.title = tlen ? title : NULL;
	item.content = body;
	/* The body as HTML or, when the title's length is odd, as plain text (blank lines part paragraphs). */
	item.content_detail.value = body;
	item.content_detail.type = tlen % 2 ? FM_TEXT_PLAIN : FM_TEXT_HTML;
	if (fm_fingerprint_item(a, &item, some_boiler, NULL, NULL) || fm_fp_text_new(&t, &item) ||
	    fm_fp_compute(b, t, some_boiler, NULL, NULL))
		abort();
	if (memcmp(a, b, sizeof *a) && (a->simhash != b->simhash || a->nsketch != b->nsketch ||
					 a->words != b->words || a->flags != b->flags))
		abort();
	if (a->nsketch > FM_FP_SKETCH || (a->shingles && fm_fp_containment(a, a) != 1.0))
		abort();
	fm_fp_text_free(t);
	fm_buf_dispose(&text);
	fm_buf_dispose(&once);
	fm_buf_dispose(&twice);
	free(title);
	free(body);
	free(a);
	free(b);
	return 0;
}
