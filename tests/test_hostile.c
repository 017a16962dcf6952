/*
 * test_hostile.c - hostile input through the public parser API.
 *
 * Every test feeds the parser something built to hurt it (entity bombs,
 * XXE, gigantic tokens, deep nesting, floods of items or attributes,
 * broken encodings) and asserts a clean, bounded outcome: a status code or
 * bozo, no crash, no field longer than max_field, nothing read from the
 * file system, and (for the heavy ones) that it stays fast. Big inputs are
 * generated here, a chunk at a time, never held in memory whole.
 *
 * tests/data/hostile/ holds small reproducers found by the fuzzer
 * (tests/fuzz/fuzz_parse.c), replayed the way the fuzzer fed them.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feedmerge/error.h"
#include "feedmerge/parse.h"
#include "utf8check.h"

#define HOSTILE_DIR FM_TEST_DATA "/hostile/"
/* Pushes are this big unless a test says otherwise: a typical socket read. */
#define HOSTILE_CHUNK ((size_t)64 << 10)
/*
 * CPU-time budget of one heavy test, sanitizers included: far above what
 * a linear parser needs (under 2 s), below what a runaway one takes. The
 * 16 MiB single-token cases (a comment, a processing instruction) are the
 * slow ones: Debian 12's expat 2.5 rescans a token that spans pushes from
 * its start on every push (perf: all of the time inside libexpat), which
 * took 15-21 s of CPU on the 2-core CI-like VM of 2026-12-07, and 100,000
 * namespace declarations 146 s (again all inside libexpat), failing a 15 s
 * budget there. Until the parser bounds what expat is given, the budget
 * only catches a hang.
 * CPU time, not wall-clock, so a busy machine does not fail it. A hang is
 * caught by ctest's TIMEOUT (Criterion's own timeout leaks memory that
 * LeakSanitizer then reports).
 */
#define HOSTILE_SECONDS 240.0

/* One parse: what the callbacks saw and how it ended. */
typedef struct hostile {
	fm_parser *p;
	fm_parse_opts opts;
	size_t max_field;      /* the effective max_field */
	size_t items;
	size_t feeds;
	size_t longest;        /* the longest string lent out */
	size_t bad_utf8;       /* strings that were not valid UTF-8 */
	const char *needle;    /* a string that must never show up, or NULL */
	int needle_seen;
	char first_title[64];  /* of the first item, "" when none */
	size_t pushed;         /* bytes pushed */
	int push_error;        /* first negative push return, or 0 */
	int finish;            /* fm_parser_finish's return */
	const fm_parse_result *res;
	struct timespec t0;
} hostile;

/* Reads one lent string end to end and records what it found. */
static void
hostile_look(hostile *h, const char *s)
{
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	if (len > h->longest)
		h->longest = len;
	if (!test_utf8_valid((const unsigned char *)s, len))
		h->bad_utf8++;
	if (h->needle && strstr(s, h->needle))
		h->needle_seen = 1;
}

/* Reads the three strings of a person. */
static void
hostile_look_person(hostile *h, const fm_person *p)
{
	hostile_look(h, p->name);
	hostile_look(h, p->email);
	hostile_look(h, p->uri);
}

/* The item callback: reads every string; returns 0 to go on. */
static int
hostile_on_item(const fm_item *item, void *payload)
{
	hostile *h = payload;
	size_t i;

	if (h->items == 0)
		snprintf(h->first_title, sizeof(h->first_title), "%s", item->title ? item->title : "");
	h->items++;
	hostile_look(h, item->id);
	hostile_look(h, item->title);
	hostile_look(h, item->link);
	hostile_look_person(h, &item->author);
	hostile_look(h, item->summary);
	hostile_look(h, item->content);
	for (i = 0; i < item->ncategories; i++)
		hostile_look(h, item->categories[i]);
	for (i = 0; i < item->nenclosures; i++) {
		hostile_look(h, item->enclosures[i].url);
		hostile_look(h, item->enclosures[i].type);
		hostile_look(h, item->enclosures[i].length);
	}
	return 0;
}

/* The feed callback: reads every string; returns 0. */
static int
hostile_on_feed(const fm_feed *feed, void *payload)
{
	hostile *h = payload;

	h->feeds++;
	hostile_look(h, feed->title);
	hostile_look(h, feed->link);
	hostile_look(h, feed->subtitle);
	hostile_look(h, feed->id);
	hostile_look_person(h, &feed->author);
	return 0;
}

/* Starts a parse with the given options (NULL: the defaults). */
static void
hostile_begin_opts(hostile *h, const fm_parse_opts *opts)
{
	memset(h, 0, sizeof(*h));
	if (opts)
		h->opts = *opts;
	h->max_field = h->opts.limits.max_field ? h->opts.limits.max_field : FM_PARSE_MAX_FIELD;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &h->t0);
	cr_assert_eq(fm_parser_new(&h->p, &h->opts, hostile_on_item, hostile_on_feed, h), 0);
}

/* Starts a parse with the given limits (NULL: the defaults). */
static void
hostile_begin(hostile *h, const fm_parse_limits *limits)
{
	fm_parse_opts opts;

	memset(&opts, 0, sizeof(opts));
	if (limits)
		opts.limits = *limits;
	hostile_begin_opts(h, &opts);
}

/* Pushes len bytes; returns 0, or the first negative code seen (then pushes nothing). */
static int
hostile_push(hostile *h, const void *data, size_t len)
{
	int rc;

	if (h->push_error)
		return h->push_error;
	rc = fm_parser_push(h->p, data, len);
	cr_assert_leq(rc, 0, "fm_parser_push returned %d", rc);
	h->pushed += len;
	if (rc < 0)
		h->push_error = rc;
	return rc;
}

/* Pushes a C string in pieces of at most chunk bytes. */
static int
hostile_push_str(hostile *h, const char *s, size_t chunk)
{
	size_t len = strlen(s), n;
	int rc = 0;

	for (; len && rc == 0; s += n, len -= n) {
		n = len < chunk ? len : chunk;
		rc = hostile_push(h, s, n);
	}
	return rc;
}

/*
 * Pushes unit over and over, total bytes in all (the last copy cut short),
 * in HOSTILE_CHUNK pieces, stopping early once the parser has ended.
 * Returns 0 or the parser's code.
 */
static int
hostile_push_repeat(hostile *h, const char *unit, size_t total)
{
	size_t ulen = strlen(unit), fill, n;
	char *buf;
	int rc = 0;

	cr_assert_gt(ulen, 0);
	cr_assert_lt(ulen, HOSTILE_CHUNK);
	buf = malloc(HOSTILE_CHUNK);
	cr_assert_not_null(buf);
	/* A whole number of units per chunk, so the pattern never breaks. */
	for (fill = 0; fill + ulen <= HOSTILE_CHUNK; fill += ulen)
		memcpy(buf + fill, unit, ulen);
	for (; total && rc == 0; total -= n) {
		n = total < fill ? total : fill;
		rc = hostile_push(h, buf, n);
	}
	free(buf);
	return rc;
}

/* Returns the CPU seconds this test process used since hostile_begin. */
static double
hostile_elapsed(const hostile *h)
{
	struct timespec t1;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	return (double)(t1.tv_sec - h->t0.tv_sec) + (double)(t1.tv_nsec - h->t0.tv_nsec) / 1e9;
}

/*
 * Finishes the parse and checks what every hostile input must give: a
 * return code that agrees with the result, a callback for every counted
 * item, valid UTF-8, no field over max_field, and an answer in time.
 */
static void
hostile_end(hostile *h, const char *what)
{
	double secs;

	h->finish = fm_parser_finish(h->p);
	h->res = fm_parser_result(h->p);
	secs = hostile_elapsed(h);
	cr_log_info("%s: finish %d status %d (%s) bozo %d recovered %d items %zu longest %zu pushed %zu in %.2fs: %s",
		    what, h->finish, h->res->status, fm_strerror(h->res->status), h->res->bozo,
		    h->res->recovered, h->items, h->longest, h->pushed, secs, h->res->diag.msg);
	cr_assert(h->finish == 0 || h->finish == 1 || h->finish == h->res->status,
		  "%s: fm_parser_finish returned %d, status %d", what, h->finish, h->res->status);
	if (h->finish >= 0)
		cr_assert_eq(h->res->status, 0, "%s", what);
	if (h->push_error)
		cr_assert_eq(h->res->status, h->push_error, "%s: push said %d, result %d",
			     what, h->push_error, h->res->status);
	cr_assert_eq(h->res->items, h->items, "%s: result counts %zu items, callback saw %zu",
		     what, h->res->items, h->items);
	cr_assert_leq(h->feeds, 1, "%s", what);
	cr_assert_eq(h->bad_utf8, 0, "%s: %zu strings are not UTF-8", what, h->bad_utf8);
	cr_assert_leq(h->longest, h->max_field, "%s: a %zu-byte field passed max_field %zu",
		      what, h->longest, h->max_field);
	cr_assert_lt(secs, HOSTILE_SECONDS, "%s: took %.2fs", what, secs);
}

/* Frees the parser. */
static void
hostile_free(hostile *h)
{
	fm_parser_free(h->p);
	h->p = NULL;
}

/* The start of an RSS feed with one good item before the trouble. */
#define HOSTILE_HEAD \
	"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Hostile</title>" \
	"<link>http://example.com/</link>\n<item><title>before</title><guid>b1</guid></item>\n"
/* The same with an early well-formedness error, so recovery parses the rest. */
#define HOSTILE_HEAD_BROKEN \
	"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Tom & Jerry</title>" \
	"<link>http://example.com/</link>\n<item><title>before</title><guid>b1</guid></item>\n"
#define HOSTILE_TAIL "\n</channel></rss>\n"

/* Asserts that the one good item before the trouble came through. */
static void
hostile_assert_before_kept(const hostile *h, const char *what)
{
	cr_assert_geq(h->items, 1, "%s: the item before the trouble was lost", what);
	cr_assert_str_eq(h->first_title, "before", "%s", what);
}

/* --- entities ------------------------------------------------------------ */

/* Writes the classic billion-laughs DOCTYPE: lol9 expands to 3e9 bytes. */
static const char hostile_laughs_dtd[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
	"<!ENTITY lol \"lol\">\n"
	"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	"]>\n";

Test(hostile, billion_laughs)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, hostile_laughs_dtd, HOSTILE_CHUNK);
	hostile_push_str(&h, "<rss version=\"2.0\"><channel><title>&lol9;</title>"
			 "<item><title>&lol9;</title><description>&lol9;</description></item>"
			 "</channel></rss>\n", HOSTILE_CHUNK);
	hostile_end(&h, "billion laughs");
	/* Nothing like the expansion may reach a field: 3e9 bytes each. */
	cr_assert_lt(h.longest, (size_t)1 << 20, "a %zu-byte expansion came through", h.longest);
	hostile_free(&h);
}

Test(hostile, billion_laughs_in_attribute)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, hostile_laughs_dtd, HOSTILE_CHUNK);
	hostile_push_str(&h, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
			 "<entry><title>e</title><link href=\"&lol9;\"/></entry></feed>\n",
			 HOSTILE_CHUNK);
	hostile_end(&h, "billion laughs in an attribute");
	cr_assert_lt(h.longest, (size_t)1 << 20, "a %zu-byte expansion came through", h.longest);
	hostile_free(&h);
}

Test(hostile, quadratic_blowup)
{
	hostile h;
	int i;

	/* One 64 KiB entity referenced 20,000 times: 1.3 GB from 200 KB. */
	hostile_begin(&h, NULL);
	hostile_push_str(&h, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY big \"", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "0123456789abcdef", (size_t)64 << 10);
	hostile_push_str(&h, "\">]>\n<rss version=\"2.0\"><channel><item><title>before</title></item>"
			 "<item><title>", HOSTILE_CHUNK);
	for (i = 0; i < 20000 && !h.push_error; i++)
		hostile_push_str(&h, "&big;", HOSTILE_CHUNK);
	hostile_push_str(&h, "</title></item></channel></rss>\n", HOSTILE_CHUNK);
	hostile_end(&h, "quadratic blowup");
	hostile_assert_before_kept(&h, "quadratic blowup");
	hostile_free(&h);
}

Test(hostile, billion_laughs_recovery)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, hostile_laughs_dtd, HOSTILE_CHUNK);
	hostile_push_str(&h, "<rss version=\"2.0\"><channel><title>a & b</title>"
			 "<item><title>&lol9;</title></item><item><title>x &lol9; &</title></item>"
			 "</channel></rss>\n", HOSTILE_CHUNK);
	hostile_end(&h, "billion laughs, recovery");
	cr_assert_lt(h.longest, (size_t)1 << 20, "a %zu-byte expansion came through", h.longest);
	hostile_free(&h);
}

/* --- XXE ----------------------------------------------------------------- */

#define HOSTILE_SECRET "s3cr3t-XXE-d0-not-leak"

/* Writes text to a new temporary file; its name goes to path. */
static void
hostile_tmpfile(char *path, size_t size, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, size, "/tmp/feedmerge-hostile-XXXXXX");
	cr_assert_neq(fd = mkstemp(path), -1);
	cr_assert_not_null(f = fdopen(fd, "w"));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* Copies tmpl to out, replacing every "@FILE@" with path. */
static void
hostile_subst(char *out, size_t size, const char *tmpl, const char *path)
{
	const char *at;
	size_t n = 0, k;

	while (*tmpl) {
		if ((at = strstr(tmpl, "@FILE@")) == NULL)
			at = tmpl + strlen(tmpl);
		k = (size_t)(at - tmpl);
		cr_assert_lt(n + k + strlen(path), size);
		memcpy(out + n, tmpl, k);
		n += k;
		tmpl = at;
		if (*tmpl) {
			memcpy(out + n, path, strlen(path));
			n += strlen(path);
			tmpl += 6;
		}
	}
	out[n] = '\0';
}

/* Parses tmpl ("@FILE@" standing for the secret file's path) twice: as is and after an early error. */
static void
hostile_xxe(const char *tmpl, const char *file_text, const char *what)
{
	char path[64], doc[2048], broken[2200], *t;
	hostile h;
	int pass;

	hostile_tmpfile(path, sizeof(path), file_text);
	hostile_subst(doc, sizeof(doc), tmpl, path);
	/* The broken variant: a bare '&' at the start of the first title. */
	snprintf(broken, sizeof(broken), "%s", doc);
	cr_assert_not_null(t = strstr(broken, "<title>"));
	memmove(t + 9, t + 7, strlen(t + 7) + 1);
	memcpy(t + 7, "& ", 2);
	for (pass = 0; pass < 2; pass++) {
		hostile_begin(&h, NULL);
		h.needle = "s3cr3t";
		hostile_push_str(&h, pass ? broken : doc, pass ? 3 : HOSTILE_CHUNK);
		hostile_end(&h, what);
		cr_assert_not(h.needle_seen, "%s%s: the secret file was read", what,
			      pass ? " (recovery)" : "");
		cr_assert_not(strstr(h.res->diag.msg, "s3cr3t"), "%s: the secret is in the diagnostic", what);
		hostile_free(&h);
	}
	unlink(path);
}

Test(hostile, xxe_external_general_entity)
{
	hostile_xxe("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://@FILE@\">"
		    "<!ENTITY rel SYSTEM \"@FILE@\">]>\n"
		    "<rss version=\"2.0\"><channel><title>&xxe;</title><description>&rel;</description>"
		    "<item><title>&xxe;</title><description>&xxe; &rel;</description>"
		    "<link>http://example.com/&xxe;</link><category>&rel;</category></item>"
		    "</channel></rss>\n", HOSTILE_SECRET "\n", "XXE general entity");
}

Test(hostile, xxe_external_in_attribute)
{
	/* XML forbids external entities in attributes; the parser must not try. */
	hostile_xxe("<?xml version=\"1.0\"?>\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM \"file://@FILE@\">]>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><title>e</title>"
		    "<link href=\"&xxe;\"/><id>&xxe;</id></entry></feed>\n",
		    HOSTILE_SECRET "\n", "XXE in an attribute");
}

Test(hostile, xxe_parameter_entity)
{
	/* The file is a DTD declaring the entity the document uses. */
	hostile_xxe("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY % ext SYSTEM \"file://@FILE@\"> %ext;]>\n"
		    "<rss version=\"2.0\"><channel><title>&leak;</title>"
		    "<item><title>&leak;</title><description>&leak;</description></item>"
		    "</channel></rss>\n",
		    "<!ENTITY leak \"" HOSTILE_SECRET "\">\n", "XXE parameter entity");
}

Test(hostile, xxe_external_dtd)
{
	hostile_xxe("<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"file://@FILE@\">\n"
		    "<rss version=\"2.0\"><channel><title>&leak;</title>"
		    "<item><title>&leak;</title><description>&leak;</description></item>"
		    "</channel></rss>\n",
		    "<!ENTITY leak \"" HOSTILE_SECRET "\">\n", "XXE external DTD");
}

Test(hostile, xxe_external_dtd_public)
{
	hostile_xxe("<?xml version=\"1.0\"?>\n<!DOCTYPE rss PUBLIC \"-//x//y\" \"@FILE@\" [<!ENTITY x \"y\">]>\n"
		    "<rss version=\"2.0\"><channel><title>&leak;</title>"
		    "<item><title>&leak; &x;</title></item></channel></rss>\n",
		    "<!ENTITY leak \"" HOSTILE_SECRET "\">\n", "XXE external DTD (PUBLIC)");
}

/* --- size limits --------------------------------------------------------- */

/* A 100 MB text node in an item's description, after one good item. */
static void
hostile_huge_text(const char *head, const char *what)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, head, HOSTILE_CHUNK);
	hostile_push_str(&h, "<item><title>huge</title><description>", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "All work and no play makes Jack a dull boy. ", (size_t)100 << 20);
	hostile_push_str(&h, "</description></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, what);
	cr_assert_eq(h.res->status, FM_ELIMIT, "%s: status %d", what, h.res->status);
	cr_assert_eq(h.finish, FM_ELIMIT, "%s", what);
	hostile_assert_before_kept(&h, what);
	cr_assert_eq(h.items, 1, "%s: the huge item was delivered", what);
	/* The parse stopped near the cap, not at the end of the input. */
	cr_assert_lt(h.pushed, (size_t)16 << 20, "%s: read %zu bytes after the cap", what, h.pushed);
	hostile_free(&h);
}

Test(hostile, text_node_100mb)
{
	hostile_huge_text(HOSTILE_HEAD, "100 MB text node");
}

Test(hostile, text_node_100mb_recovery)
{
	hostile_huge_text(HOSTILE_HEAD_BROKEN, "100 MB text node, recovery");
}

Test(hostile, cdata_100mb)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD "<item><title>huge</title><description><![CDATA[", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "<p>cdata</p>", (size_t)100 << 20);
	hostile_push_str(&h, "]]></description></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "100 MB CDATA");
	cr_assert_eq(h.res->status, FM_ELIMIT);
	hostile_assert_before_kept(&h, "100 MB CDATA");
	cr_assert_lt(h.pushed, (size_t)16 << 20);
	hostile_free(&h);
}

/* The smallest item there is. */
#define HOSTILE_ITEM "<item/>"

/* Pushes count copies of a small item, then the end of the feed. */
static void
hostile_many_items(hostile *h, const char *head, size_t count)
{
	hostile_push_str(h, head, HOSTILE_CHUNK);
	hostile_push_repeat(h, HOSTILE_ITEM, count * (sizeof(HOSTILE_ITEM) - 1));
	hostile_push_str(h, HOSTILE_TAIL, HOSTILE_CHUNK);
}

Test(hostile, million_items_default_cap)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_many_items(&h, "<rss version=\"2.0\"><channel><title>many</title>\n", 1000000);
	hostile_end(&h, "a million items, default cap");
	cr_assert_eq(h.res->status, FM_ELIMIT);
	cr_assert_eq(h.items, FM_PARSE_MAX_ITEMS, "%zu items delivered", h.items);
	hostile_free(&h);
}

Test(hostile, million_items_raised_cap)
{
	fm_parse_limits lim = { .max_items = 2000000 };
	hostile h;

	hostile_begin(&h, &lim);
	hostile_many_items(&h, "<rss version=\"2.0\"><channel><title>many</title>\n", 1000000);
	hostile_end(&h, "a million items, cap raised");
	cr_assert_eq(h.finish, 0);
	cr_assert_eq(h.items, 1000000, "%zu items delivered", h.items);
	hostile_free(&h);
}

Test(hostile, million_items_recovery)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_many_items(&h, "<rss version=\"2.0\"><channel><title>a & b</title>\n", 1000000);
	hostile_end(&h, "a million items, recovery");
	cr_assert_eq(h.res->status, FM_ELIMIT);
	cr_assert_eq(h.items, FM_PARSE_MAX_ITEMS, "%zu items delivered", h.items);
	hostile_free(&h);
}

/* Nests 100,000 elements inside an item after one good item. */
static void
hostile_deep(const char *head, const char *unit, const char *what)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, head, HOSTILE_CHUNK);
	hostile_push_str(&h, "<item><title>deep</title><description>", HOSTILE_CHUNK);
	hostile_push_repeat(&h, unit, 100000 * strlen(unit));
	hostile_end(&h, what);
	cr_assert_eq(h.res->status, FM_ELIMIT, "%s: status %d", what, h.res->status);
	hostile_assert_before_kept(&h, what);
	cr_assert_eq(h.items, 1, "%s", what);
	hostile_free(&h);
}

Test(hostile, nesting_100k)
{
	hostile_deep(HOSTILE_HEAD, "<x>", "nesting 100k deep");
}

Test(hostile, nesting_100k_items)
{
	/* Items inside items: each one opens before the last has closed. */
	hostile_deep(HOSTILE_HEAD, "<item><title>n</title>", "100k nested items");
}

Test(hostile, nesting_100k_recovery)
{
	hostile_deep(HOSTILE_HEAD_BROKEN, "<x>", "nesting 100k deep, recovery");
}

Test(hostile, nesting_100k_unclosed_recovery)
{
	/* Tag soup: unclosed <p>s are what a forgiving tokenizer is tempted to keep on a stack. */
	hostile_deep(HOSTILE_HEAD_BROKEN, "<p>a", "100k unclosed tags, recovery");
}

Test(hostile, max_bytes)
{
	fm_parse_limits lim = { .max_bytes = 10000 };
	hostile h;

	hostile_begin(&h, &lim);
	hostile_many_items(&h, HOSTILE_HEAD, 100000);
	hostile_end(&h, "max_bytes");
	cr_assert_eq(h.res->status, FM_ELIMIT);
	cr_assert_eq(h.finish, FM_ELIMIT);
	cr_assert_eq(h.res->bytes, 10000, "%zu bytes counted", h.res->bytes);
	hostile_assert_before_kept(&h, "max_bytes");
	/* Every item that fits in the first 10000 bytes must be there, and no more. */
	cr_assert_eq(h.items, 1 + (10000 - (sizeof(HOSTILE_HEAD) - 1)) / (sizeof(HOSTILE_ITEM) - 1),
		     "%zu items delivered", h.items);
	hostile_free(&h);
}

Test(hostile, max_bytes_exact)
{
	static const char doc[] = HOSTILE_HEAD HOSTILE_TAIL;
	fm_parse_limits lim = { .max_bytes = sizeof(doc) - 1 };
	hostile h;

	/* A document of exactly max_bytes is within the limit. */
	hostile_begin(&h, &lim);
	hostile_push_str(&h, doc, 7);
	hostile_end(&h, "max_bytes exact");
	cr_assert_eq(h.finish, 0, "%d: %s", h.finish, h.res->diag.msg);
	cr_assert_eq(h.items, 1);
	hostile_free(&h);
}

/* --- huge tokens --------------------------------------------------------- */

/* Pushes head, then open, size bytes of fill, then close and the tail. */
static void
hostile_token(const char *head, const char *open, const char *fill, size_t size,
	      const char *close, const char *what)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, head, HOSTILE_CHUNK);
	hostile_push_str(&h, open, HOSTILE_CHUNK);
	hostile_push_repeat(&h, fill, size);
	hostile_push_str(&h, close, HOSTILE_CHUNK);
	hostile_push_str(&h, "<item><title>after</title></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, what);
	hostile_assert_before_kept(&h, what);
	hostile_free(&h);
}

#define HOSTILE_TOKEN ((size_t)8 << 20)

Test(hostile, huge_attribute_value)
{
	hostile_token(HOSTILE_HEAD, "<item><title>t</title><enclosure type=\"audio/mpeg\" url=\"http://e.com/",
		      "aaaaaaaaaaaaaaa/", HOSTILE_TOKEN, ".mp3\" length=\"1\"/></item>",
		      "8 MiB attribute value");
}

Test(hostile, huge_attribute_value_recovery)
{
	hostile_token(HOSTILE_HEAD_BROKEN, "<item><title>t</title><enclosure type=\"audio/mpeg\" url=\"http://e.com/",
		      "aaaaaaaaaaaaaaa/", HOSTILE_TOKEN, ".mp3\" length=\"1\"/></item>",
		      "8 MiB attribute value, recovery");
}

Test(hostile, huge_atom_link_href)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
			 "<entry><title>before</title><id>b</id></entry>\n"
			 "<entry><title>t</title><link rel=\"alternate\" href=\"http://e.com/", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "bbbbbbbbbbbbbbb/", HOSTILE_TOKEN);
	hostile_push_str(&h, "\"/></entry><entry><title>after</title></entry></feed>\n", HOSTILE_CHUNK);
	hostile_end(&h, "8 MiB Atom link href");
	hostile_assert_before_kept(&h, "8 MiB Atom link href");
	hostile_free(&h);
}

/* Pushes count distinct copies of pre, a number, post into one item. */
static void
hostile_many_in_item(const char *head, const char *pre, const char *post, int count,
		     const char *what)
{
	char unit[128];
	hostile h;
	int i;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, head, HOSTILE_CHUNK);
	hostile_push_str(&h, "<item><title>t</title>", HOSTILE_CHUNK);
	for (i = 0; i < count && !h.push_error; i++) {
		snprintf(unit, sizeof(unit), "%s%d%s", pre, i, post);
		hostile_push(&h, unit, strlen(unit));
	}
	hostile_push_str(&h, "</item><item><title>after</title></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, what);
	hostile_assert_before_kept(&h, what);
	hostile_free(&h);
}

Test(hostile, many_enclosures, .timeout = 10.0)
{
	/* 100,000 distinct enclosures in one item: each new one must not be compared with every other. */
	hostile_many_in_item(HOSTILE_HEAD, "<enclosure url=\"http://e.com/", ".mp3\" type=\"audio/mpeg\"/>",
			     100000, "100k enclosures in one item");
}

Test(hostile, many_categories, .timeout = 10.0)
{
	hostile_many_in_item(HOSTILE_HEAD, "<category>c", "</category>", 100000, "100k categories in one item");
}

Test(hostile, many_titles)
{
	/* A field given over and over: each copy replaces (or is ranked against) the last. */
	hostile_many_in_item(HOSTILE_HEAD, "<title>t",
			     "</title><dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">d</dc:title>",
			     100000, "100k titles in one item");
}

Test(hostile, huge_element_name)
{
	hostile_token(HOSTILE_HEAD, "<item><title>t</title><x", "abcdefghijklmnop", HOSTILE_TOKEN,
		      "/></item>", "8 MiB element name");
}

Test(hostile, huge_element_name_recovery)
{
	hostile_token(HOSTILE_HEAD_BROKEN, "<item><title>t</title><x", "abcdefghijklmnop", HOSTILE_TOKEN,
		      "/></item>", "8 MiB element name, recovery");
}

Test(hostile, many_attributes)
{
	char unit[64];
	hostile h;
	int i;

	/* 100,000 distinct attributes on one element inside an item. */
	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD "<item><title>t</title><x", HOSTILE_CHUNK);
	for (i = 0; i < 100000 && !h.push_error; i++) {
		snprintf(unit, sizeof(unit), " a%d=\"v\"", i);
		hostile_push(&h, unit, strlen(unit));
	}
	hostile_push_str(&h, "/></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "100k attributes");
	hostile_assert_before_kept(&h, "100k attributes");
	hostile_free(&h);
}

Test(hostile, many_attributes_recovery)
{
	char unit[64];
	hostile h;
	int i;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD_BROKEN "<item><title>t</title><x", HOSTILE_CHUNK);
	for (i = 0; i < 100000 && !h.push_error; i++) {
		snprintf(unit, sizeof(unit), " a%d=\"v\"", i);
		hostile_push(&h, unit, strlen(unit));
	}
	hostile_push_str(&h, "/></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "100k attributes, recovery");
	hostile_assert_before_kept(&h, "100k attributes, recovery");
	hostile_free(&h);
}

Test(hostile, duplicate_attributes_recovery)
{
	hostile_token(HOSTILE_HEAD_BROKEN, "<item><title>t</title><link", " a=\"v\"", (size_t)1 << 20,
		      ">http://e.com/</link></item>", "1 MiB of duplicate attributes, recovery");
}

Test(hostile, huge_comment)
{
	hostile_token(HOSTILE_HEAD, "<item><title>t</title><!--", "comment text - ", (size_t)16 << 20,
		      "--></item>", "16 MiB comment");
}

Test(hostile, huge_comment_recovery)
{
	hostile_token(HOSTILE_HEAD_BROKEN, "<item><title>t</title><!--", "comment text - ", (size_t)16 << 20,
		      "--></item>", "16 MiB comment, recovery");
}

Test(hostile, huge_processing_instruction)
{
	hostile_token(HOSTILE_HEAD, "<item><title>t</title><?pi ", "instruction ", (size_t)16 << 20,
		      "?></item>", "16 MiB processing instruction");
}

Test(hostile, unterminated_cdata_at_eof)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD "<item><title>t</title><description><![CDATA[", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "<b>never closed</b> ]] > ", (size_t)1 << 20);
	hostile_end(&h, "unterminated CDATA");
	hostile_assert_before_kept(&h, "unterminated CDATA");
	cr_assert(h.finish == 1 || h.finish < 0);
	hostile_free(&h);
}

Test(hostile, unterminated_cdata_at_eof_recovery)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD_BROKEN "<item><title>t</title><description><![CDATA[", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "<b>never closed</b> ]] > ", (size_t)1 << 20);
	hostile_end(&h, "unterminated CDATA, recovery");
	hostile_assert_before_kept(&h, "unterminated CDATA, recovery");
	cr_assert(h.finish == 1 || h.finish < 0);
	hostile_free(&h);
}

/* Declares 100,000 namespace prefixes on the element open pushes, then parses an item. */
static void
hostile_namespaces(const char *head, const char *open, const char *rest, const char *what)
{
	char unit[80];
	hostile h;
	int i;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, head, HOSTILE_CHUNK);
	hostile_push_str(&h, open, HOSTILE_CHUNK);
	for (i = 0; i < 100000 && !h.push_error; i++) {
		snprintf(unit, sizeof(unit), " xmlns:n%d=\"urn:x-hostile:%d\"", i, i);
		hostile_push(&h, unit, strlen(unit));
	}
	hostile_push_str(&h, rest, HOSTILE_CHUNK);
	hostile_end(&h, what);
	hostile_assert_before_kept(&h, what);
	hostile_free(&h);
}

Test(hostile, namespaces_100k)
{
	/* Every element and attribute after it is looked up among 100k bindings. */
	hostile_namespaces(HOSTILE_HEAD, "<item",
			   "><title>t</title><n99999:x n5:a=\"1\"/><n0:y/><guid>g</guid></item>"
			   "<item><title>after</title></item>" HOSTILE_TAIL,
			   "100k namespace declarations");
}

Test(hostile, namespaces_100k_recovery)
{
	hostile_namespaces(HOSTILE_HEAD_BROKEN, "<item",
			   "><title>t</title><n99999:x n5:a=\"1\"/><n0:y/><guid>g</guid></item>"
			   "<item><title>after</title></item>" HOSTILE_TAIL,
			   "100k namespace declarations, recovery");
}

Test(hostile, namespaces_100k_then_error)
{
	/* The error comes inside the element that declared them: recovery inherits 100k bindings. */
	hostile_namespaces(HOSTILE_HEAD, "<item",
			   "><title>t & t</title><n99999:x/></item>"
			   "<item><title>after</title></item>" HOSTILE_TAIL,
			   "100k namespace declarations, error after");
}

/* --- broken encodings ---------------------------------------------------- */

Test(hostile, invalid_utf8_everywhere)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
		"<title>\xff\xfe\xc0\xaf</title><item><title>a\x80" "b\xed\xa0\x80" "c\xf4\x90\x80\x80</title>"
		"<link>http://e.com/\xc3</link><description>\xe2\x82</description>"
		"<category>\xf0\x9f\x98</category><guid>\xc1\xbf</guid></item></channel></rss>\n",
		"<rss version=\"2.0\"><channel><item><ti\xfftle>x</ti\xfftle>"
		"<title a\x80=\"\xfe\">t\xef\xbf\xbe</title><enclosure url=\"\xff\" type=\"\x80\"/>"
		"</item></channel></rss>",
		"<rss version=\"2.0\"><channel><item><title>\xc3</title></item></channel></rss>\xe2\x82",
		"\xef\xbb\xbf\xef\xbb\xbf<rss version=\"2.0\"><channel><item><title>\xef\xbb\xbf" "bom</title></item></channel></rss>",
		"<?xml version=\"1.0\" encoding=\"us-ascii\"?><rss version=\"2.0\"><channel><item>"
		"<title>\xe9t\xe9</title></item></channel></rss>",
	};
	static const size_t chunks[] = { 1, 2, 3, 5, 4096 };
	size_t i, c;
	hostile h;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			hostile_begin(&h, NULL);
			hostile_push_str(&h, docs[i], chunks[c]);
			hostile_end(&h, "invalid UTF-8");
			hostile_free(&h);
		}
	}
}

Test(hostile, invalid_utf8_flood)
{
	hostile h;

	/* 8 MiB of high bytes in a title: each one repaired, none may slow it down. */
	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD "<item><title>", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "\x80\xff\xc3\xe2\x82\xf0", (size_t)8 << 20);
	hostile_push_str(&h, "</title></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "8 MiB of invalid UTF-8");
	hostile_assert_before_kept(&h, "8 MiB of invalid UTF-8");
	hostile_free(&h);
}

Test(hostile, nul_bytes)
{
	static const char doc[] =
		"<rss version=\"2.0\"><channel><title>a\0b</title><item><title>before</title></item>"
		"<item><title>x\0y</title><link>http://e.com/\0/evil</link>\0<guid>\0</guid></item>"
		"<it\0em><title>z</title></item></channel></rss>\0\0\0";
	static const size_t chunks[] = { 1, 7, sizeof(doc) - 1 };
	size_t c, off, n;
	hostile h;

	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		hostile_begin(&h, NULL);
		for (off = 0; off < sizeof(doc) - 1; off += n) {
			n = sizeof(doc) - 1 - off < chunks[c] ? sizeof(doc) - 1 - off : chunks[c];
			if (hostile_push(&h, doc + off, n) < 0)
				break;
		}
		hostile_end(&h, "NUL bytes");
		hostile_assert_before_kept(&h, "NUL bytes");
		hostile_free(&h);
	}
}

Test(hostile, nul_flood)
{
	char zeros[4096];
	hostile h;
	int i;

	memset(zeros, 0, sizeof(zeros));
	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD "<item><title>", HOSTILE_CHUNK);
	for (i = 0; i < 2048 && !h.push_error; i++)
		hostile_push(&h, zeros, sizeof(zeros));
	hostile_push_str(&h, "</title></item>" HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "8 MiB of NULs");
	hostile_assert_before_kept(&h, "8 MiB of NULs");
	hostile_free(&h);
}

/* Returns doc as UTF-16 (little-endian unless be) with a BOM; *len gets its size. */
static char *
hostile_utf16(const char *doc, int be, size_t *len)
{
	size_t n = strlen(doc), i;
	char *out = malloc(2 * n + 2);

	cr_assert_not_null(out);
	out[0] = be ? '\xfe' : '\xff';
	out[1] = be ? '\xff' : '\xfe';
	for (i = 0; i < n; i++) {
		out[2 + 2 * i + (be ? 1 : 0)] = doc[i];
		out[2 + 2 * i + (be ? 0 : 1)] = 0;
	}
	*len = 2 * n + 2;
	return out;
}

Test(hostile, utf16_odd_byte_count)
{
	static const char doc[] =
		"<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>u</title>"
		"<item><title>before</title></item><item><title>cut</title></item></channel></rss>";
	static const size_t chunks[] = { 1, 3, 4096 };
	size_t len, c, off, n, cut;
	char *s;
	hostile h;
	int be;

	for (be = 0; be < 2; be++) {
		s = hostile_utf16(doc, be, &len);
		/* Odd sizes: one stray byte at the end, or the document cut mid-unit. */
		for (cut = 0; cut < 2; cut++) {
			size_t total = cut ? len - 1 - 2 * 20 : len + 1;
			char *buf = malloc(total);

			cr_assert_not_null(buf);
			memcpy(buf, s, total < len ? total : len);
			if (total > len)
				buf[len] = 'A';
			for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				hostile_begin(&h, NULL);
				for (off = 0; off < total; off += n) {
					n = total - off < chunks[c] ? total - off : chunks[c];
					if (hostile_push(&h, buf + off, n) < 0)
						break;
				}
				hostile_end(&h, "UTF-16 odd byte count");
				hostile_assert_before_kept(&h, "UTF-16 odd byte count");
				hostile_free(&h);
			}
			free(buf);
		}
		free(s);
	}
}

Test(hostile, utf16_lone_surrogates)
{
	/* UTF-16LE: a lone high surrogate, a lone low one, and a reversed pair in a title. */
	static const char doc[] =
		"\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0i\0t\0e\0m\0>\0<\0t\0i\0t\0l\0e\0>\0"
		"\x00\xd8" "a\0" "\x00\xdc" "\x00\xdc\x00\xd8" "<\0/\0t\0i\0t\0l\0e\0>\0"
		"<\0/\0i\0t\0e\0m\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0>\0\x00\xd8";
	static const size_t chunks[] = { 1, 2, 3, sizeof(doc) - 1 };
	size_t c, off, n;
	hostile h;

	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		hostile_begin(&h, NULL);
		for (off = 0; off < sizeof(doc) - 1; off += n) {
			n = sizeof(doc) - 1 - off < chunks[c] ? sizeof(doc) - 1 - off : chunks[c];
			if (hostile_push(&h, doc + off, n) < 0)
				break;
		}
		hostile_end(&h, "UTF-16 lone surrogates");
		cr_assert_eq(h.items, 1);
		hostile_free(&h);
	}
}

/* --- JSON Feed ----------------------------------------------------------- */

#define HOSTILE_JSON_HEAD \
	"{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"j\",\"items\":[" \
	"{\"id\":\"1\",\"title\":\"before\"},"

Test(hostile, json_nesting_100k)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_JSON_HEAD "{\"id\":\"2\",\"x\":", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "[{\"a\":", 100000 * 6);
	hostile_end(&h, "JSON nested 100k deep");
	cr_assert_lt(h.finish, 0, "%d", h.finish);
	hostile_free(&h);
}

Test(hostile, json_string_100mb)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_JSON_HEAD "{\"id\":\"2\",\"content_html\":\"", HOSTILE_CHUNK);
	hostile_push_repeat(&h, "All work and no play makes Jack a dull boy. ", (size_t)100 << 20);
	hostile_push_str(&h, "\"}]}", HOSTILE_CHUNK);
	/* Like XML, the reader should give up near max_field, not buffer the whole document. */
	cr_expect_lt(h.pushed, (size_t)16 << 20, "JSON: read all %zu bytes before checking max_field", h.pushed);
	hostile_end(&h, "JSON 100 MB string");
	cr_assert_eq(h.res->status, FM_ELIMIT, "status %d", h.res->status);
	hostile_free(&h);
}

Test(hostile, json_million_items)
{
	hostile h;

	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_JSON_HEAD, HOSTILE_CHUNK);
	hostile_push_repeat(&h, "{\"id\":\"i\"},", 1000000 * 11);
	hostile_push_str(&h, "{\"id\":\"last\"}]}", HOSTILE_CHUNK);
	/* 11 MB of input; the item cap should end the parse long before the end. */
	cr_expect_lt(h.pushed, (size_t)4 << 20, "JSON: read all %zu bytes before checking max_items", h.pushed);
	hostile_end(&h, "JSON, a million items");
	cr_assert_eq(h.res->status, FM_ELIMIT, "status %d", h.res->status);
	cr_assert_eq(h.items, FM_PARSE_MAX_ITEMS, "%zu items", h.items);
	hostile_free(&h);
}

/* --- fuzzer reproducers -------------------------------------------------- */

/*
 * Replays a file from tests/data/hostile/ as tests/fuzz/fuzz_parse.c does:
 * byte 0 picks the chunk size (% 65, 0 = whole), byte 1 the limits and
 * options, byte 2 the charset hints, the rest is the document.
 */
static void
hostile_replay(const char *name)
{
	static const size_t depths[4] = { 0, 3, 8, 32 };
	static const size_t fields[4] = { 0, 1, 64, 4096 };
	static const char *const encodings[8] = {
		NULL, "utf-8", "utf-16", "windows-1252", "shift_jis", NULL, NULL, "no-such-charset"
	};
	static const char *const ctypes[8] = {
		NULL, NULL, NULL, NULL, NULL, "application/rss+xml; charset=\"iso-8859-1\"",
		"text/xml; charset=utf-16le", "text/xml; charset=koi8-r"
	};
	char path[512], *data;
	fm_parse_opts opts;
	size_t size, chunk, off, n;
	unsigned flags, cs;
	hostile h;
	FILE *f;
	long end;

	snprintf(path, sizeof(path), "%s%s", HOSTILE_DIR, name);
	cr_assert_not_null(f = fopen(path, "rb"), "%s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	cr_assert_geq(end = ftell(f), 3);
	rewind(f);
	size = (size_t)end;
	cr_assert_not_null(data = malloc(size));
	cr_assert_eq(fread(data, 1, size, f), size);
	fclose(f);

	chunk = (unsigned char)data[0] % 65;
	flags = (unsigned char)data[1];
	cs = (unsigned char)data[2] % 8;
	memset(&opts, 0, sizeof(opts));
	opts.limits.max_depth = depths[flags & 3];
	opts.limits.max_field = fields[(flags >> 2) & 3];
	if (flags & 0x10)
		opts.limits.max_items = 2;
	if ((flags & 0x20) && (size - 3) / 2)
		opts.limits.max_bytes = (size - 3) / 2;
	opts.encoding = encodings[cs];
	opts.content_type = ctypes[cs];
	/* Bits 6 (stop at item 2) and 7 (base URL) are not replayed: none of the reproducers need them. */
	cr_assert_eq(flags & 0xc0, 0, "%s: replay does not support flags %#x", name, flags);
	hostile_begin_opts(&h, &opts);
	if (chunk == 0)
		chunk = size;
	for (off = 3; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (hostile_push(&h, data + off, n) < 0)
			break;
	}
	hostile_end(&h, name);
	hostile_free(&h);
	free(data);
}

Test(hostile, fuzz_utf8_split_over_three_pushes, .timeout = 10.0)
{
	/* A three-byte character pushed one byte at a time used to spin in decode_feed(). */
	hostile_replay("fuzz-utf8-split-hang.bin");
}

Test(hostile, fuzz_first_push_ends_mid_char, .timeout = 10.0)
{
	/* A first push ending inside a character left it pending and spun in decode_feed(). */
	hostile_replay("fuzz-first-push-ends-mid-char.bin");
}

Test(hostile, utf8_split_every_way, .timeout = 10.0)
{
	static const char doc[] =
		"<rss version=\"2.0\"><channel><item><title>\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9</title>"
		"</item></channel></rss>";
	size_t chunk, off, n;
	hostile h;

	for (chunk = 1; chunk <= 5; chunk++) {
		hostile_begin(&h, NULL);
		for (off = 0; off < sizeof(doc) - 1; off += n) {
			n = sizeof(doc) - 1 - off < chunk ? sizeof(doc) - 1 - off : chunk;
			hostile_push(&h, doc + off, n);
		}
		hostile_end(&h, "UTF-8 split across pushes");
		cr_assert_eq(h.items, 1);
		cr_assert_str_eq(h.first_title, "\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9", "chunk %zu", chunk);
		hostile_free(&h);
	}
}

Test(hostile, fuzz_c1_from_iconv, .timeout = 10.0)
{
	/* A C1 control in iconv's output was cut in two, so the report depended on the chunking. */
	hostile_replay("fuzz-c1-iconv-chunking.bin");
}

Test(hostile, fuzz_recovery_without_namespaces, .timeout = 10.0)
{
	/* Recovery with no namespace bindings computed NULL + 0 in fm__recover_new(). */
	hostile_replay("fuzz-recover-null-bindings.bin");
}

Test(hostile, fuzz_truncated_utf8_at_eof, .timeout = 10.0)
{
	/* A sequence left pending at the end computed NULL + 0 in decode_feed(). */
	hostile_replay("fuzz-pending-at-finish.bin");
}

Test(hostile, fuzz_atom03_base64_not_utf8, .timeout = 10.0)
{
	/* Atom 0.3 mode="base64" content decodes to bytes that never went through the charset decoder. */
	hostile_replay("fuzz-atom03-base64-not-utf8.bin");
}

Test(hostile, fuzz_nine_categories, .timeout = 10.0)
{
	/* model_reserve() doubles once, so catv got 8 slots for an item's 9 categories. */
	hostile_replay("fuzz-nine-categories.bin");
}

Test(hostile, fuzz_nine_enclosures, .timeout = 10.0)
{
	/* The same for encv and an item's 9 enclosures. */
	hostile_replay("fuzz-nine-enclosures.bin");
}

Test(hostile, categories_and_enclosures_growing)
{
	static const size_t counts[] = { 3, 40, 1, 200, 9, 1000 };
	char unit[96];
	hostile h;
	size_t i, k;

	/* Items whose category and enclosure counts jump past twice the last. */
	hostile_begin(&h, NULL);
	hostile_push_str(&h, HOSTILE_HEAD, HOSTILE_CHUNK);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		hostile_push_str(&h, "<item><title>grow</title>", HOSTILE_CHUNK);
		for (k = 0; k < counts[i]; k++) {
			snprintf(unit, sizeof(unit), "<category>c%zu</category><enclosure url=\"http://e.com/%zu\"/>", k, k);
			hostile_push(&h, unit, strlen(unit));
		}
		hostile_push_str(&h, "</item>", HOSTILE_CHUNK);
	}
	hostile_push_str(&h, HOSTILE_TAIL, HOSTILE_CHUNK);
	hostile_end(&h, "growing categories and enclosures");
	cr_assert_eq(h.items, 1 + sizeof(counts) / sizeof(counts[0]));
	hostile_free(&h);
}

Test(hostile, fuzz_chunking_ascii_repair_line, .timeout = 10.0)
{
	/*
	 * In a us-ascii document the scan for non-ASCII bytes records a later
	 * repair first; the earlier control character then counted the lines
	 * again in decode_repair(), so one push said line 2 and a wrapped
	 * column where byte-by-byte pushes said line 1, column 15.
	 */
	static const char doc[] = "<?xml version=\x01\"\" encoding=\"us\"?>\n<rss>\xff</rss>";
	size_t chunk, off, n;
	hostile h;

	hostile_replay("fuzz-chunking-ascii-repair-line.bin");
	for (chunk = 1; chunk <= sizeof(doc) - 1; chunk += sizeof(doc) - 2) {
		hostile_begin(&h, NULL);
		for (off = 0; off < sizeof(doc) - 1; off += n) {
			n = sizeof(doc) - 1 - off < chunk ? sizeof(doc) - 1 - off : chunk;
			hostile_push(&h, doc + off, n);
		}
		hostile_end(&h, "repair found out of order");
		cr_assert_eq(h.res->bozo, 1, "chunk %zu", chunk);
		cr_assert_eq(h.res->diag.line, 1, "chunk %zu: line %lu", chunk, h.res->diag.line);
		cr_assert_eq(h.res->diag.column, 15, "chunk %zu: column %lu", chunk, h.res->diag.column);
		hostile_free(&h);
	}
}
