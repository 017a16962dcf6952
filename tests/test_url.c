/* test_url.c - resolving references: the fast path agrees with libcurl's on ASCII; IRIs stay IRIs. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <string.h>

#include "feedmerge/buf.h"
#include "parse/url.h"

/* Resolves ref against base with libcurl alone, the way url.c's slow path does. */
static char *
url_curl(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *full = NULL, *copy;

	cr_assert(u);
	cr_assert_eq(curl_url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME), CURLUE_OK, "%s", base);
	cr_assert_eq(curl_url_set(u, CURLUPART_URL, ref, CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE),
		     CURLUE_OK, "%s", ref);
	cr_assert_eq(curl_url_get(u, CURLUPART_URL, &full, 0), CURLUE_OK);
	copy = strdup(full);
	curl_free(full);
	curl_url_cleanup(u);
	return copy;
}

Test(url, every_resolution_agrees_with_libcurl)
{
	static const char *const bases[] = {
		"http://example.com", "http://example.com/", "https://example.com/a/b",
		"https://example.com/a/b/", "http://example.com:8080/x/y?q=1#frag",
		"http://example.com/a/b?x=/c/d", "https://Example.COM/Dir/page.html",
		"http://user@example.com/a/", "http://[::1]:80/a/b", "http://example.com/a/./b/../c",
		"http://example.com/%7Euser/index.html", "https://example.com/a;p/b",
	};
	static const char *const refs[] = {
		"b", "b/c", "/b", "/b/c?d=e#f", "b?x=1", "b#top", "%20x", "~user/",
		"b;p=1", "b/./c", "b/../c", "./b", "../b", "?q", "#f", "//other.org/x",
		"http://abs.org/", "b c", "b/c/", "index.html",
	};
	fm_buf out = FM_BUF_INIT;
	size_t i, j;
	char *want;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		for (j = 0; j < sizeof(refs) / sizeof(refs[0]); j++) {
			cr_assert_eq(fm__url_resolve(&out, bases[i], refs[j]), 0);
			want = url_curl(bases[i], refs[j]);
			cr_expect_str_eq(fm_buf_cstr(&out), want, "base %s ref %s", bases[i], refs[j]);
			free(want);
		}
	}
	fm_buf_dispose(&out);
}

Test(url, no_base_or_an_absolute_ref_gives_the_ref_trimmed)
{
	fm_buf out = FM_BUF_INIT;

	cr_assert_eq(fm__url_resolve(&out, NULL, "  /a/b "), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "/a/b");
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/x/", "mailto:me@example.com"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "mailto:me@example.com");
	cr_assert_eq(fm__url_is_absolute("https://x"), 1);
	cr_assert_eq(fm__url_is_absolute("/x:y"), 0);
	fm_buf_dispose(&out);
}

Test(url, iris_empty_refs_and_three_slashes)
{
	fm_buf out = FM_BUF_INIT;

	/* A relative IRI keeps its characters (RFC 3987), as feed readers show them. */
	cr_assert_eq(fm__url_resolve(&out, "http://any.test/", "\xc3\x80"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http://any.test/\xc3\x80");
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/a/b", "caf\xc3\xa9.html"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http://example.com/a/caf\xc3\xa9.html");
	/* RFC 3986 5.2.2: an empty reference is the base without its fragment, IRI or not. */
	cr_assert_eq(fm__url_resolve(&out, "http://www.\xe8\xa9\xb9.com/feed#x", ""), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http://www.\xe8\xa9\xb9.com/feed");
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/a?q", "  "), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http://example.com/a?q");
	/* One slash too many after the scheme is dropped; a URL of only slashes is left alone. */
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/", "http:///example.com/test/"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http://example.com/test/");
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/", "https:////x/"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "https://x/");
	cr_assert_eq(fm__url_resolve(&out, "http://example.com/", "http:///"), 0);
	cr_assert_str_eq(fm_buf_cstr(&out), "http:///");
	fm_buf_dispose(&out);
}
