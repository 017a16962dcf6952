/*
 * fuzz_sanitise.c - libFuzzer target for the HTML river's sanitiser, on
 * hostile HTML.
 *
 * Input: the first byte picks the text limit (0: none, else 1-255
 * characters), the rest is the feed HTML. Checks besides the sanitizers:
 * the fragment is valid UTF-8 without "<script", "<svg" or "<img" (as
 * markup: in text they are escaped); sanitising it again gives it back
 * unchanged (what comes out is a fixed point); without a limit, nothing is
 * reported cut; fm_sanitise_url accepts the href of every link again.
 */
#define _GNU_SOURCE /* memmem */
#include "feedmerge/buf.h"
#include "feedmerge/sanitise.h"
#include "../utf8check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Aborts when the fragment holds needle. */
static void
check_absent(const fm_buf *b, const char *needle)
{
	if (b->size && memmem(b->ptr, b->size, needle, strlen(needle)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fm_buf out = FM_BUF_INIT, again = FM_BUF_INIT, url = FM_BUF_INIT;
	size_t max = size ? data[0] : 0;
	const char *html = size ? (const char *)data + 1 : "", *p, *q;
	size_t len = size ? size - 1 : 0;
	int cut;

	if (fm_sanitise_html(&out, html, len, max, &cut) || !out.ptr)
		abort();
	if (!test_utf8_valid((const unsigned char *)out.ptr, out.size) || strlen(out.ptr) != out.size)
		abort();
	check_absent(&out, "<script");
	check_absent(&out, "<svg");
	check_absent(&out, "<img");
	if (max == 0 && cut)
		abort();
	if (fm_sanitise_html(&again, out.ptr, out.size, 0, &cut) || cut ||
	    again.size != out.size || memcmp(again.ptr, out.ptr, out.size))
		abort();
	for (p = out.ptr; (p = strstr(p, "<a href=\"")); p = q) {
		p += 9;
		if (!(q = strchr(p, '"')) || fm_sanitise_url(&url, p, (size_t)(q - p)) != 1)
			abort();
		fm_buf_clear(&url);
	}
	fm_buf_dispose(&out);
	fm_buf_dispose(&again);
	fm_buf_dispose(&url);
	return 0;
}
