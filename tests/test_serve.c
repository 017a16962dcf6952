/* test_serve.c - the HTTP server's pure pieces: addresses, validators, dates, names, snapshots. */
#define _XOPEN_SOURCE 700
#include "serve/serve_int.h"
#include "feedmerge/date.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

Test(serve, etag_match_weak_comparison_of_a_list)
{
	static const struct { const char *header; int match; } cases[] = {
		{ "\"abc\"", 1 },
		{ "W/\"abc\"", 1 },
		{ "\"x\", \"abc\"", 1 },
		{ "\"x\",W/\"abc\" , \"y\"", 1 },
		{ "  \"abc\"  ", 1 },
		{ ",,\"abc\"", 1 },
		{ "*", 1 },
		{ " * ", 1 },
		{ "\"abcd\"", 0 },
		{ "\"ab\"", 0 },
		{ "abc", 0 },
		{ "\"abc", 0 },
		{ "w/\"abc\"", 0 },
		{ "\"x\", *x, \"y\"", 0 },
		{ "", 0 },
		{ "\"\"", 0 },
		{ "W/", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(fm__serve_etag_match(cases[i].header, "\"abc\""), cases[i].match,
			     "If-None-Match: %s", cases[i].header);
}

Test(serve, accept_encoding_gzip)
{
	static const struct { const char *header; int gzip; } cases[] = {
		{ "gzip", 1 },
		{ "GZip", 1 },
		{ "x-gzip", 1 },
		{ "deflate, gzip;q=0.5", 1 },
		{ "gzip ; q=1.0, br", 1 },
		{ "br, *", 1 },
		{ "*;q=0.1", 1 },
		{ "gzip;q=0", 0 },
		{ "gzip;q=0.000", 0 },
		{ "gzip;q=0, *", 0 },
		{ "*;q=0", 0 },
		{ "identity", 0 },
		{ "deflate, br", 0 },
		{ "gzipx", 0 },
		{ "", 0 },
	};
	size_t i;

	cr_expect_eq(fm__serve_accepts_gzip(NULL), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(fm__serve_accepts_gzip(cases[i].header), cases[i].gzip,
			     "Accept-Encoding: %s", cases[i].header);
}

Test(serve, http_date_imf_fixdate_and_back)
{
	char buf[FM__SERVE_DATE_BUFSZ];
	fm_time t;

	/* RFC 9110's own example. */
	cr_expect_str_eq(fm__serve_http_date(buf, 784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
	cr_expect_str_eq(fm__serve_http_date(buf, 0), "Thu, 01 Jan 1970 00:00:00 GMT");
	cr_expect_str_eq(fm__serve_http_date(buf, 1709251199), "Thu, 29 Feb 2024 23:59:59 GMT");
	cr_assert_eq(fm_date_parse(&t, fm__serve_http_date(buf, 1764000000)), 0);
	cr_expect_eq(t, 1764000000);
}

Test(serve, listen_addresses)
{
	struct sockaddr_storage ss;
	socklen_t len;
	fm_diag d = { 0, 0, "" };
	char text[64];

	cr_assert_eq(fm__serve_parse_listen("127.0.0.1:8080", &ss, &len, &d), 0, "%s", d.msg);
	cr_expect_eq(ss.ss_family, AF_INET);
	cr_expect_eq(len, sizeof(struct sockaddr_in));
	cr_expect_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, text, sizeof text);
	cr_expect_str_eq(text, "127.0.0.1");

	cr_assert_eq(fm__serve_parse_listen("[::1]:65535", &ss, &len, &d), 0, "%s", d.msg);
	cr_expect_eq(ss.ss_family, AF_INET6);
	cr_expect_eq(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 65535);
	cr_assert_eq(fm__serve_parse_listen("0.0.0.0:1", &ss, &len, &d), 0, "%s", d.msg);

	cr_expect_eq(fm__serve_parse_listen("127.0.0.1:0", &ss, &len, &d), FM_EINVAL);
	cr_expect(strstr(d.msg, "1 to 65535") != NULL, "%s", d.msg);
	cr_expect_eq(fm__serve_parse_listen("::1:8080", &ss, &len, &d), FM_EINVAL);
	cr_expect(strstr(d.msg, "brackets") != NULL, "%s", d.msg);
	cr_expect_eq(fm__serve_parse_listen("127.0.0.1:65536", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("127.0.0.1:80x", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("127.0.0.1:", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("127.0.0.1", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("8080", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen(":8080", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("localhost:8080", &ss, &len, &d), FM_EINVAL);
	cr_expect(strstr(d.msg, "numeric") != NULL, "%s", d.msg);
	cr_expect_eq(fm__serve_parse_listen("[::1]", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("[::1]8080", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("[127.0.0.1]:8080", &ss, &len, &d), FM_EINVAL);
	cr_expect_eq(fm__serve_parse_listen("", &ss, &len, &d), FM_EINVAL);
}

Test(serve, request_paths_never_leave_the_table)
{
	static const struct { const char *url; int match; } cases[] = {
		{ "/world.atom", 1 },
		{ "/world%2eatom", 1 },
		{ "/%77orld.atom", 1 },
		{ "/world.atom/", 0 },
		{ "/world.atom%00", 0 },
		{ "/world.atom%", 0 },
		{ "/world.ato%6", 0 },
		{ "/world.ato%zz", 0 },
		{ "/", 0 },
		{ "", 0 },
		{ "world.atom", 0 },
		{ "//world.atom", 0 },
		{ "/../world.atom", 0 },
		{ "/%2e%2e/world.atom", 0 },
		{ "/./world.atom", 0 },
		{ "/WORLD.ATOM", 0 },
		{ "/world.atom.bak", 0 },
		{ "/world", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(fm__serve_path_is(cases[i].url, "world.atom"), cases[i].match, "%s",
			     cases[i].url);
	cr_expect_eq(fm__serve_path_is("/my%20feed.xml", "my feed.xml"), 1);
	cr_expect_eq(fm__serve_path_is("/healthz", "healthz"), 1);
}

Test(serve, content_types_by_format)
{
	cr_expect_str_eq(fm__serve_content_type(FM_OUTPUT_ATOM), "application/atom+xml; charset=utf-8");
	cr_expect_str_eq(fm__serve_content_type(FM_OUTPUT_RSS), "application/rss+xml; charset=utf-8");
	cr_expect_str_eq(fm__serve_content_type(FM_OUTPUT_JSON), "application/feed+json; charset=utf-8");
	cr_expect_str_eq(fm__serve_content_type(FM_OUTPUT_HTML), "text/html; charset=utf-8");
	cr_expect_str_eq(fm__serve_content_type((fm_config_format)99), "application/octet-stream");
}

Test(serve, health_codes_and_body)
{
	fm_store_pass p = { 1764000000, 1764000002, 0, "2 fetched, \"quoted\"" };
	fm_buf b = FM_BUF_INIT;

	cr_expect_eq(fm__serve_health_body(&b, NULL, 1764000000), 503);
	cr_expect(strstr(b.ptr, "\"status\": \"none\"") != NULL, "%s", b.ptr);
	fm_buf_clear(&b);
	cr_expect_eq(fm__serve_health_body(&b, &p, 1764000012), 200);
	cr_expect(strstr(b.ptr, "\"status\": \"ok\", \"exit_status\": 0") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "\"finished\": \"2025-11-24T16:00:02Z\"") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "\"age_seconds\": 10") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "\"summary\": \"2 fetched, \\\"quoted\\\"\"") != NULL, "%s", b.ptr);
	fm_buf_clear(&b);
	p.status = 1;
	cr_expect_eq(fm__serve_health_body(&b, &p, 1764000012), 200);
	cr_expect(strstr(b.ptr, "\"status\": \"degraded\"") != NULL, "%s", b.ptr);
	fm_buf_clear(&b);
	p.status = 3;
	cr_expect_eq(fm__serve_health_body(&b, &p, 1764000012), 503);
	cr_expect(strstr(b.ptr, "\"status\": \"failed\"") != NULL, "%s", b.ptr);
	fm_buf_dispose(&b);
}

/* --- The table of names and the snapshots, on files in a scratch directory. */

static char sv_dir[PATH_MAX];

/* Makes the scratch directory and works in it. */
static void
sv_setup(void)
{
	char tmpl[] = "/tmp/fm-serve-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_not_null(realpath(tmpl, sv_dir));
	cr_assert_eq(chdir(sv_dir), 0);
}

/* Removes what the tests wrote. */
static void
sv_teardown(void)
{
	static const char *const names[] = { "feeds.ini", "a.atom", "a.new", "b.json" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(names[i]);
	cr_assert_eq(chdir("/"), 0);
	rmdir(sv_dir);
}

/* Writes text to path (replacing it by rename, as the writers do). */
static void
sv_write(const char *path, const char *text)
{
	FILE *f = fopen("a.new", "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(rename("a.new", path), 0);
}

/* Loads a config whose outputs are the sections given. */
static fm_config *
sv_config(const char *outputs)
{
	fm_config *cfg = NULL;
	fm_diag d = { 0, 0, "" };
	FILE *f = fopen("feeds.ini", "w");

	cr_assert_not_null(f);
	fprintf(f, "[feedmerge]\nstate = state.db\n\n%s\n[feed x]\nurl = file:x.rss\n", outputs);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(fm_config_load(&cfg, "feeds.ini", &d), 0, "%s", d.msg);
	return cfg;
}

TestSuite(serve_files, .init = sv_setup, .fini = sv_teardown);

Test(serve_files, table_of_names_from_the_config)
{
	fm_config *cfg = sv_config("[output a]\npath = a.atom\n\n[output b]\npath = sub/b.json\nformat = json\n");
	struct serve_route *r;
	size_t n;
	fm_diag d = { 0, 0, "" };

	cr_assert_eq(fm__serve_routes_build(&r, &n, cfg, 0, &d), 0, "%s", d.msg);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(r[0].name, "a.atom");
	cr_expect_str_eq(r[1].name, "b.json");
	cr_expect_str_eq(r[1].type, "application/feed+json; charset=utf-8");
	cr_expect_eq(fm__serve_route_find(r, n, "/b.json"), &r[1]);
	cr_expect_eq(fm__serve_route_find(r, n, "/a.atom"), &r[0]);
	cr_expect_null(fm__serve_route_find(r, n, "/sub/b.json"));
	cr_expect_null(fm__serve_route_find(r, n, "/feeds.ini"));
	cr_expect_null(fm__serve_route_find(r, n, "/state.db"));
	fm__serve_routes_free(r, n);
	fm_config_free(cfg);

	cfg = sv_config("[output a]\npath = one/x.atom\n\n[output b]\npath = two/x.atom\n");
	cr_expect_eq(fm__serve_routes_build(&r, &n, cfg, 0, &d), FM_EINVAL);
	cr_expect(strstr(d.msg, "outputs a and b would both be served as /x.atom") != NULL, "%s", d.msg);
	fm_config_free(cfg);

	cfg = sv_config("[output h]\npath = healthz\n");
	cr_expect_eq(fm__serve_routes_build(&r, &n, cfg, 0, &d), FM_EINVAL);
	cr_expect(strstr(d.msg, "healthz") != NULL, "%s", d.msg);
	fm_config_free(cfg);
}

/* Returns the gunzipped gzip body of s as a malloc'd string. */
static char *
sv_gunzip(const struct serve_snap *s)
{
	z_stream z;
	char *out = calloc(1, s->len + 1);

	memset(&z, 0, sizeof z);
	cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)s->gzip_data;
	z.avail_in = (uInt)s->gzip_len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)s->len;
	cr_expect_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	cr_expect_eq(z.total_out, s->len);
	inflateEnd(&z);
	return out;
}

Test(serve_files, snapshots_follow_renames_and_outlive_them)
{
	fm_config *cfg = sv_config("[output a]\npath = a.atom\n");
	struct serve_route *r;
	struct serve_snap *s1, *s2, *s3, *s4;
	size_t n;
	char v1[4096], v2[4096], *gz;
	fm_diag d = { 0, 0, "" };

	cr_assert_eq(fm__serve_routes_build(&r, &n, cfg, 0, &d), 0, "%s", d.msg);
	/* No file yet: nothing to serve, and why. */
	cr_expect_null(fm__serve_snap_get(&r[0]));
	cr_expect_eq(r[0].err, ENOENT);

	memset(v1, 'a', sizeof v1 - 1);
	v1[sizeof v1 - 1] = '\0';
	memset(v2, 'b', sizeof v2 - 1);
	v2[sizeof v2 - 1] = '\0';
	sv_write("a.atom", v1);
	cr_assert_not_null(s1 = fm__serve_snap_get(&r[0]));
	cr_expect_eq(s1->len, strlen(v1));
	cr_expect_eq(memcmp(s1->data, v1, s1->len), 0);
	cr_expect_eq(strlen(s1->etag), 34);
	cr_expect_eq(s1->etag[0], '"');
	cr_expect(s1->gzip_len > 0 && s1->gzip_len < s1->len);
	gz = sv_gunzip(s1);
	cr_expect_str_eq(gz, v1);
	free(gz);

	/* Unchanged file: the same snapshot. */
	cr_assert_not_null(s2 = fm__serve_snap_get(&r[0]));
	cr_expect_eq(s2, s1);
	fm__serve_snap_unref(s2);

	/* Replaced by rename: a new snapshot; the old one still holds the old bytes. */
	sv_write("a.atom", v2);
	cr_assert_not_null(s3 = fm__serve_snap_get(&r[0]));
	cr_expect_neq(s3, s1);
	cr_expect_str_neq(s3->etag, s1->etag);
	cr_expect_eq(memcmp(s3->data, v2, s3->len), 0);
	cr_expect_eq(memcmp(s1->data, v1, s1->len), 0);
	fm__serve_snap_unref(s1);

	/* The same bytes again under a new inode: a new snapshot, the same ETag. */
	sv_write("a.atom", v2);
	cr_assert_not_null(s4 = fm__serve_snap_get(&r[0]));
	cr_expect_neq(s4, s3);
	cr_expect_str_eq(s4->etag, s3->etag);
	fm__serve_snap_unref(s3);
	fm__serve_snap_unref(s4);

	/* Gone: nothing served. */
	unlink("a.atom");
	cr_expect_null(fm__serve_snap_get(&r[0]));
	cr_expect_eq(r[0].err, ENOENT);
	fm__serve_routes_free(r, n);
	fm_config_free(cfg);
}

Test(serve_files, recheck_interval_spares_the_stat)
{
	fm_config *cfg = sv_config("[output a]\npath = a.atom\n");
	struct serve_route *r;
	struct serve_snap *s1, *s2;
	size_t n;
	fm_diag d = { 0, 0, "" };

	cr_assert_eq(fm__serve_routes_build(&r, &n, cfg, 60000, &d), 0, "%s", d.msg);
	sv_write("a.atom", "one");
	cr_assert_not_null(s1 = fm__serve_snap_get(&r[0]));
	sv_write("a.atom", "two");
	/* Within the interval the file is not looked at: still the first version. */
	cr_assert_not_null(s2 = fm__serve_snap_get(&r[0]));
	cr_expect_eq(s2, s1);
	cr_expect_eq(s1->gzip_len, 0, "too small to be worth gzip");
	fm__serve_snap_unref(s1);
	fm__serve_snap_unref(s2);
	fm__serve_routes_free(r, n);
	fm_config_free(cfg);
}
