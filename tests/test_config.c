/* test_config.c - the INI config: units, defaults, paths, every error. */
/* realpath() and mkdir() for the fixtures. */
#define _XOPEN_SOURCE 700
#include "config/units.h"
#include "feedmerge/config.h"
#include "feedmerge/version.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory each test writes feeds.ini into and works in. */
static char cfg_dir[PATH_MAX];

/* Makes a fresh directory and moves into it. */
static void
cfg_setup(void)
{
	char tmpl[] = "/tmp/fm-config-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_not_null(realpath(tmpl, cfg_dir));
	cr_assert_eq(chdir(cfg_dir), 0);
}

/* Removes what cfg_setup made. */
static void
cfg_teardown(void)
{
	char p[PATH_MAX + 16];

	snprintf(p, sizeof(p), "%s/feeds.ini", cfg_dir);
	unlink(p);
	if (chdir("/") == 0)
		rmdir(cfg_dir);
}

/* Writes text to ./feeds.ini and loads it; returns fm_config_load's result. */
static int
cfg_load(fm_config **out, fm_diag *diag, const char *text)
{
	FILE *f = fopen("feeds.ini", "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	memset(diag, 0, sizeof(*diag));
	return fm_config_load(out, "feeds.ini", diag);
}

/* Loads text, which must fail with FM_EINVAL and exactly the message want. */
static void
cfg_expect_error(const char *text, unsigned long line, const char *want)
{
	fm_config *cfg = (fm_config *)1;
	fm_diag d;

	cr_assert_eq(cfg_load(&cfg, &d, text), FM_EINVAL, "loaded: %s", text);
	cr_assert_null(cfg);
	cr_assert_str_eq(d.msg, want);
	cr_assert_eq(d.line, line, "line %lu, want %lu", d.line, line);
}

/* Loads text, which must succeed; returns the config. */
static fm_config *
cfg_expect_ok(const char *text)
{
	fm_config *cfg = NULL;
	fm_diag d;

	cr_assert_eq(cfg_load(&cfg, &d, text), 0, "%s", d.msg);
	cr_assert_not_null(cfg);
	return cfg;
}

TestSuite(config, .init = cfg_setup, .fini = cfg_teardown);

Test(config, durations_parse_as_the_table_says)
{
	static const struct { const char *s; int rc; int64_t v; } t[] = {
		{ "45s", 0, 45 }, { "15m", 0, 900 }, { "2h", 0, 7200 }, { "7d", 0, 604800 },
		{ "1w", 0, 604800 }, { "90", 0, 90 }, { "0", 0, 0 }, { "0s", 0, 0 },
		{ "3153600000", 0, 3153600000LL }, { "36500d", 0, 3153600000LL },
		{ "36501d", FM_ELIMIT, 0 }, { "3153600001", FM_ELIMIT, 0 },
		{ "99999999999999999999999", FM_ELIMIT, 0 },
		{ "", FM_EINVAL, 0 }, { "m", FM_EINVAL, 0 }, { "-5m", FM_EINVAL, 0 },
		{ "+5m", FM_EINVAL, 0 }, { "5 m", FM_EINVAL, 0 }, { " 5m", FM_EINVAL, 0 },
		{ "1.5h", FM_EINVAL, 0 }, { "5M", FM_EINVAL, 0 }, { "5mm", FM_EINVAL, 0 },
		{ "5y", FM_EINVAL, 0 }, { "soon", FM_EINVAL, 0 }, { "1h30m", FM_EINVAL, 0 },
		{ "99999999999999999999999x", FM_EINVAL, 0 },
	};
	size_t i;
	int64_t v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = -1;
		cr_expect_eq(fm__config_duration(&v, t[i].s), t[i].rc, "\"%s\"", t[i].s);
		if (t[i].rc == 0)
			cr_expect_eq(v, t[i].v, "\"%s\": %lld", t[i].s, (long long)v);
	}
}

Test(config, sizes_parse_as_the_table_says)
{
	static const struct { const char *s; int rc; uint64_t v; } t[] = {
		{ "512K", 0, 524288 }, { "512k", 0, 524288 }, { "16M", 0, 16777216 },
		{ "1G", 0, 1073741824 }, { "1g", 0, 1073741824 }, { "4096", 0, 4096 },
		{ "0", 0, 0 }, { "18446744073709551615", 0, UINT64_MAX },
		{ "17179869183G", 0, (uint64_t)17179869183ULL << 30 },
		{ "17179869184G", FM_ELIMIT, 0 }, { "18446744073709551616", FM_ELIMIT, 0 },
		{ "", FM_EINVAL, 0 }, { "K", FM_EINVAL, 0 }, { "-1K", FM_EINVAL, 0 },
		{ "1.5M", FM_EINVAL, 0 }, { "16MB", FM_EINVAL, 0 }, { "16 M", FM_EINVAL, 0 },
		{ "1T", FM_EINVAL, 0 }, { "big", FM_EINVAL, 0 },
	};
	size_t i;
	uint64_t v;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 1;
		cr_expect_eq(fm__config_size(&v, t[i].s), t[i].rc, "\"%s\"", t[i].s);
		if (t[i].rc == 0)
			cr_expect_eq(v, t[i].v, "\"%s\": %llu", t[i].s, (unsigned long long)v);
	}
}

Test(config, units_print_in_the_largest_exact_unit)
{
	char b[FM_CONFIG_UNIT_BUFSZ];

	cr_expect_str_eq(fm_config_duration_format(b, 0), "0s");
	cr_expect_str_eq(fm_config_duration_format(b, 45), "45s");
	cr_expect_str_eq(fm_config_duration_format(b, 900), "15m");
	cr_expect_str_eq(fm_config_duration_format(b, 5400), "90m");
	cr_expect_str_eq(fm_config_duration_format(b, 86400 * 3), "3d");
	cr_expect_str_eq(fm_config_duration_format(b, 86400 * 14), "2w");
	cr_expect_str_eq(fm_config_size_format(b, 0), "0");
	cr_expect_str_eq(fm_config_size_format(b, 1000), "1000");
	cr_expect_str_eq(fm_config_size_format(b, 524288), "512K");
	cr_expect_str_eq(fm_config_size_format(b, (uint64_t)16 << 20), "16M");
	cr_expect_str_eq(fm_config_size_format(b, (uint64_t)3 << 30), "3G");
}

Test(config, empty_file_gives_every_default)
{
	fm_config *cfg = cfg_expect_ok("; nothing\n");
	const fm_config_main *m = fm_config_get_main(cfg);
	const fm_config_dedup *d = fm_config_get_dedup(cfg);
	char state[PATH_MAX + 32];

	snprintf(state, sizeof(state), "%s/feedmerge.db", cfg_dir);
	cr_expect_str_eq(m->state, state);
	cr_expect_eq(m->interval, 1800);
	cr_expect_eq(m->timeout, 30);
	cr_expect_eq(m->concurrency, 8);
	cr_expect_eq(m->per_host, 2);
	cr_expect_str_eq(m->user_agent, "feedmerge/" FEEDMERGE_VERSION " (+" FEEDMERGE_URL ")");
	cr_expect_eq(m->max_feed_size, (uint64_t)16 << 20);
	cr_expect_eq(m->keep, 30 * 86400);
	cr_expect_eq(m->lock_wait, 10);
	cr_expect_eq(d->threshold, 5);
	cr_expect_eq(d->window, 60 * 86400);
	cr_expect_eq(fm_config_feed_count(cfg), 0);
	cr_expect_eq(fm_config_output_count(cfg), 0);
	cr_expect_str_eq(fm_config_path(cfg), "feeds.ini");
	fm_config_free(cfg);
}

Test(config, feed_and_output_defaults)
{
	fm_config *cfg = cfg_expect_ok("[output world]\npath = /srv/w.atom\n"
				       "[feed bbc]\nurl = https://feeds.example/rss\n");
	const fm_config_output *o = fm_config_output_at(cfg, 0);
	const fm_config_feed *f = fm_config_feed_at(cfg, 0);

	cr_expect_str_eq(o->name, "world");
	cr_expect_eq(o->line, 1);
	cr_expect_eq(o->format, FM_OUTPUT_ATOM);
	cr_expect_str_eq(o->title, "world");
	cr_expect_null(o->link);
	cr_expect_eq(o->max_items, 100);
	cr_expect_eq(o->max_age, 0);
	cr_expect_str_eq(f->name, "bbc");
	cr_expect_eq(f->line, 3);
	cr_expect_str_eq(f->url, "https://feeds.example/rss");
	cr_expect_eq(f->interval, 1800);
	cr_expect_eq(f->priority, 0);
	cr_expect_null(f->include);
	cr_expect_null(f->include_re);
	cr_expect_null(f->exclude_re);
	cr_expect_eq(f->enabled, 1);
	cr_expect_eq(f->cluster, 1);
	cr_expect_eq(f->identity, FM_IDENTITY_GUID);
	cr_expect_str_eq(f->user_agent, fm_config_get_main(cfg)->user_agent);
	cr_expect_null(f->encoding);
	cr_expect_eq(fm_config_feed_find(cfg, "bbc"), f);
	cr_expect_null(fm_config_feed_find(cfg, "cnn"));
	fm_config_free(cfg);
}

Test(config, feeds_inherit_interval_and_user_agent_set_later)
{
	fm_config *cfg = cfg_expect_ok("[feed a]\nurl = http://a.example/\n"
				       "[feed b]\nurl = http://b.example/\ninterval = 2h\nuser_agent = mine\n"
				       "[feedmerge]\ninterval = 15m\nuser_agent = ours/1\n");

	cr_expect_eq(fm_config_feed_at(cfg, 0)->interval, 900);
	cr_expect_str_eq(fm_config_feed_at(cfg, 0)->user_agent, "ours/1");
	cr_expect_eq(fm_config_feed_at(cfg, 1)->interval, 7200);
	cr_expect_str_eq(fm_config_feed_at(cfg, 1)->user_agent, "mine");
	fm_config_free(cfg);
}

Test(config, every_key_is_read)
{
	fm_config *cfg = cfg_expect_ok(
		"[feedmerge]\nstate = /var/lib/fm.db\ninterval = 10m\ntimeout = 1m\nconcurrency = 16\n"
		"per_host = 4\nuser_agent = ua\nmax_feed_size = 512K\nkeep = 0\nlock_wait = 2m\n"
		"[dedup]\nthreshold = 7\nwindow = 2d\n"
		"[output o.1]\npath = /o.json\nformat = json\ntitle = T ; a comment\nlink = https://l/\n"
		"max_items = 0\nmax_age = 7d\n"
		"[feed f_1-x]\nurl = file:///srv/f.xml\ninterval = 45s\npriority = -3\ninclude = Election\n"
		"exclude = sponsored|advert\nenabled = no\ncluster = off\nidentity = title+date\n"
		"user_agent = fua\nencoding = windows-1252\n");
	const fm_config_main *m = fm_config_get_main(cfg);
	const fm_config_output *o = fm_config_output_at(cfg, 0);
	const fm_config_feed *f = fm_config_feed_at(cfg, 0);

	cr_expect_str_eq(m->state, "/var/lib/fm.db");
	cr_expect_eq(m->interval, 600);
	cr_expect_eq(m->timeout, 60);
	cr_expect_eq(m->concurrency, 16);
	cr_expect_eq(m->per_host, 4);
	cr_expect_str_eq(m->user_agent, "ua");
	cr_expect_eq(m->max_feed_size, 524288);
	cr_expect_eq(m->keep, 0);
	cr_expect_eq(m->lock_wait, 120);
	cr_expect_eq(fm_config_get_dedup(cfg)->threshold, 7);
	cr_expect_eq(fm_config_get_dedup(cfg)->window, 2 * 86400);
	cr_expect_str_eq(o->name, "o.1");
	cr_expect_str_eq(o->path, "/o.json");
	cr_expect_eq(o->format, FM_OUTPUT_JSON);
	cr_expect_str_eq(o->title, "T");
	cr_expect_str_eq(o->link, "https://l/");
	cr_expect_eq(o->max_items, 0);
	cr_expect_eq(o->max_age, 7 * 86400);
	cr_expect_str_eq(f->name, "f_1-x");
	cr_expect_str_eq(f->url, "file:///srv/f.xml");
	cr_expect_eq(f->interval, 45);
	cr_expect_eq(f->priority, -3);
	cr_expect_str_eq(f->include, "Election");
	cr_expect_str_eq(f->exclude, "sponsored|advert");
	cr_expect_eq(f->enabled, 0);
	cr_expect_eq(f->cluster, 0);
	cr_expect_eq(f->identity, FM_IDENTITY_TITLE_DATE);
	cr_expect_str_eq(f->user_agent, "fua");
	cr_expect_str_eq(f->encoding, "windows-1252");
	fm_config_free(cfg);
}

Test(config, booleans_take_every_spelling)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "YES", "True" };
	static const char *const no[] = { "no", "false", "off", "0", "No", "OFF" };
	char text[128];
	fm_config *cfg;
	size_t i;

	for (i = 0; i < 6; i++) {
		snprintf(text, sizeof(text), "[feed a]\nurl = http://a/\nenabled = %s\ncluster = %s\n",
			 yes[i], no[i]);
		cfg = cfg_expect_ok(text);
		cr_expect_eq(fm_config_feed_at(cfg, 0)->enabled, 1, "%s", yes[i]);
		cr_expect_eq(fm_config_feed_at(cfg, 0)->cluster, 0, "%s", no[i]);
		fm_config_free(cfg);
	}
}

Test(config, relative_paths_are_relative_to_the_config_file)
{
	char want[PATH_MAX + 64], sub[PATH_MAX + 16], path[PATH_MAX + 32];
	fm_config *cfg = NULL;
	fm_diag d;
	FILE *f;

	/* load from another working directory through a relative path */
	snprintf(sub, sizeof(sub), "%s/sub dir", cfg_dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/feeds.ini", sub);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("[feedmerge]\nstate = state/fm.db\n[output a]\npath = out/a.atom\n"
	      "[output b]\npath = /abs/b.atom\n"
	      "[feed rel]\nurl = file:feeds/x.rss\n[feed abs]\nurl = file:/srv/y.rss\n"
	      "[feed abs3]\nurl = file:///srv/z.rss\n[feed lh]\nurl = FILE://localhost/srv/w.rss\n", f);
	fclose(f);
	cr_assert_eq(fm_config_load(&cfg, "sub dir/feeds.ini", &d), 0, "%s", d.msg);
	snprintf(want, sizeof(want), "%s/state/fm.db", sub);
	cr_expect_str_eq(fm_config_get_main(cfg)->state, want);
	snprintf(want, sizeof(want), "%s/out/a.atom", sub);
	cr_expect_str_eq(fm_config_output_at(cfg, 0)->path, want);
	cr_expect_str_eq(fm_config_output_at(cfg, 1)->path, "/abs/b.atom");
	snprintf(want, sizeof(want), "file://%s/sub%%20dir/feeds/x.rss", cfg_dir);
	cr_expect_str_eq(fm_config_feed_at(cfg, 0)->url, want);
	cr_expect_str_eq(fm_config_feed_at(cfg, 1)->url, "file:///srv/y.rss");
	cr_expect_str_eq(fm_config_feed_at(cfg, 2)->url, "file:///srv/z.rss");
	cr_expect_str_eq(fm_config_feed_at(cfg, 3)->url, "FILE://localhost/srv/w.rss");
	fm_config_free(cfg);
	unlink(path);
	rmdir(sub);
}

Test(config, path_comes_from_option_then_environment_then_default)
{
	unsetenv("FEEDMERGE_CONFIG");
	cr_expect_str_eq(fm_config_default_path(NULL), "./feedmerge.ini");
	cr_expect_str_eq(fm_config_default_path(""), "./feedmerge.ini");
	cr_expect_str_eq(fm_config_default_path("my.ini"), "my.ini");
	setenv("FEEDMERGE_CONFIG", "/etc/fm.ini", 1);
	cr_expect_str_eq(fm_config_default_path(NULL), "/etc/fm.ini");
	cr_expect_str_eq(fm_config_default_path("my.ini"), "my.ini");
	setenv("FEEDMERGE_CONFIG", "", 1);
	cr_expect_str_eq(fm_config_default_path(NULL), "./feedmerge.ini");
	unsetenv("FEEDMERGE_CONFIG");
}

Test(config, include_and_exclude_filter_title_and_text)
{
	fm_config *cfg = cfg_expect_ok("[feed a]\nurl = http://a/\ninclude = elect(ion|ed)\n"
				       "exclude = ^sponsored\n[feed b]\nurl = http://b/\n");
	const fm_config_feed *a = fm_config_feed_at(cfg, 0), *b = fm_config_feed_at(cfg, 1);

	cr_expect_eq(fm_config_feed_wants(a, "The ELECTION is on", NULL), 1);
	cr_expect_eq(fm_config_feed_wants(a, "Weather", "who was elected"), 1);
	cr_expect_eq(fm_config_feed_wants(a, "Weather", "sunny"), 0);
	cr_expect_eq(fm_config_feed_wants(a, "Sponsored: election deals", NULL), 0);
	cr_expect_eq(fm_config_feed_wants(a, NULL, NULL), 0);
	cr_expect_eq(fm_config_feed_wants(b, NULL, NULL), 1);
	fm_config_free(cfg);
}

Test(config, crlf_bom_and_comments_are_read)
{
	fm_config *cfg = cfg_expect_ok("\xEF\xBB\xBF# top\r\n[feed a]\r\n; note\r\n"
				       "url = http://a/ ; trailing\r\n  priority = 2\r\n");

	cr_expect_str_eq(fm_config_feed_at(cfg, 0)->url, "http://a/");
	cr_expect_eq(fm_config_feed_at(cfg, 0)->priority, 2);
	fm_config_free(cfg);
}

Test(config, unreadable_file_is_an_io_error)
{
	fm_config *cfg = (fm_config *)1;
	fm_diag d;

	cr_expect_eq(fm_config_load(&cfg, "missing.ini", &d), FM_EIO);
	cr_expect_null(cfg);
	cr_expect_eq(d.line, 0);
	cr_expect_str_eq(d.msg, "missing.ini: cannot read: No such file or directory");
}

Test(config, unknown_key_suggests_a_close_one)
{
	cfg_expect_error("[feed bbc]\nurl = http://a/\nintervall = 5m\n", 3,
			 "feeds.ini:3: [feed bbc] intervall: unknown key (did you mean interval?)");
	cfg_expect_error("[feedmerge]\nper-host = 3\n", 2,
			 "feeds.ini:2: [feedmerge] per-host: unknown key (did you mean per_host?)");
}

Test(config, unknown_key_far_from_any_says_so)
{
	cfg_expect_error("[dedup]\nbanana = 1\n", 2, "feeds.ini:2: [dedup] banana: unknown key");
}

Test(config, unknown_section_suggests_a_close_one)
{
	cfg_expect_error("[feeds bbc]\nurl = http://a/\n", 1,
			 "feeds.ini:1: unknown section [feeds bbc] (did you mean [feed bbc]?)");
	cfg_expect_error("[dedupe]\n", 1, "feeds.ini:1: unknown section [dedupe] (did you mean [dedup]?)");
}

Test(config, unknown_section_far_from_any_says_what_is_known)
{
	cfg_expect_error("\n[server]\n", 2,
			 "feeds.ini:2: unknown section [server]: expected [feedmerge], [dedup], "
			 "[output NAME] or [feed NAME]");
}

Test(config, bad_duration_names_file_line_key_and_value)
{
	cfg_expect_error("[feed bbc]\nurl = http://a/\n\ninterval = soon\n", 4,
			 "feeds.ini:4: [feed bbc] interval: expected a duration like 15m or 2h, got \"soon\"");
	cfg_expect_error("[feedmerge]\ntimeout = 0\n", 2,
			 "feeds.ini:2: [feedmerge] timeout: expected a duration above 0 like 15m or 2h, got \"0\"");
	cfg_expect_error("[dedup]\nwindow = 99999d\n", 2,
			 "feeds.ini:2: [dedup] window: expected a duration of at most 100 years, got \"99999d\"");
}

Test(config, bad_size_is_an_error)
{
	cfg_expect_error("[feedmerge]\nmax_feed_size = 16MB\n", 2,
			 "feeds.ini:2: [feedmerge] max_feed_size: expected a size like 512K or 16M, got \"16MB\"");
}

Test(config, number_out_of_range_is_an_error)
{
	cfg_expect_error("[dedup]\nthreshold = 11\n", 2,
			 "feeds.ini:2: [dedup] threshold: expected a whole number from 0 to 10, got \"11\"");
	cfg_expect_error("[feedmerge]\nconcurrency = many\n", 2,
			 "feeds.ini:2: [feedmerge] concurrency: expected a whole number from 1 to 1024, got \"many\"");
}

Test(config, bad_boolean_is_an_error)
{
	cfg_expect_error("[feed a]\nurl = http://a/\nenabled = maybe\n", 3,
			 "feeds.ini:3: [feed a] enabled: expected yes or no (or true/false, on/off, 1/0), got \"maybe\"");
}

Test(config, bad_format_and_identity_are_errors)
{
	cfg_expect_error("[output a]\npath = a\nformat = xhtml\n", 3,
			 "feeds.ini:3: [output a] format: expected atom, rss, json or html, got \"xhtml\"");
	cfg_expect_error("[feed a]\nurl = http://a/\nidentity = date\n", 3,
			 "feeds.ini:3: [feed a] identity: expected guid, link or title+date, got \"date\"");
}

Test(config, bad_url_is_an_error)
{
	static const char *const bad[] = {
		"ftp://a/x", "http://", "https:///x", "file://host/x", "file:", "www.example.com",
		"http://a/b c",
	};
	char text[128], want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[feed a]\nurl = %s\n", bad[i]);
		snprintf(want, sizeof(want), "feeds.ini:2: [feed a] url: expected an http://, https://, "
			 "file:///ABSOLUTE or file:RELATIVE URL, got \"%s\"", bad[i]);
		cfg_expect_error(text, 2, want);
	}
}

Test(config, bad_regex_is_an_error)
{
	cfg_expect_error("[feed a]\nurl = http://a/\nexclude = (a\n", 3,
			 "feeds.ini:3: [feed a] exclude: expected a POSIX extended regular expression, "
			 "got \"(a\" (Unmatched ( or \\()");
}

Test(config, unknown_encoding_is_an_error)
{
	cfg_expect_error("[feed a]\nurl = http://a/\nencoding = klingon-8\n", 3,
			 "feeds.ini:3: [feed a] encoding: expected a character set iconv knows, "
			 "like windows-1252, got \"klingon-8\"");
}

Test(config, empty_value_is_an_error)
{
	cfg_expect_error("[output a]\npath =\n", 2, "feeds.ini:2: [output a] path: expected a value, got nothing");
}

Test(config, feed_without_url_is_an_error)
{
	cfg_expect_error("[feed a]\npriority = 1\n[feed b]\nurl = http://b/\n", 1,
			 "feeds.ini:1: [feed a]: url missing: expected url = an http://, https:// or file: URL");
	cfg_expect_error("[feed a]\nurl = http://a/\n\n[feed last]\n", 4,
			 "feeds.ini:4: [feed last]: url missing: expected url = an http://, https:// or file: URL");
}

Test(config, output_without_path_is_an_error)
{
	cfg_expect_error("[output world]\n[feed b]\nurl = http://b/\n", 1,
			 "feeds.ini:1: [output world]: path missing: expected path = FILE");
}

Test(config, duplicate_names_are_errors)
{
	cfg_expect_error("[feed a]\nurl = http://a/\n[feed a]\nurl = http://b/\n", 3,
			 "feeds.ini:3: [feed a] given twice (first at line 1)");
	cfg_expect_error("[output a]\npath = x\n[output a]\n", 3,
			 "feeds.ini:3: [output a] given twice (first at line 1)");
	cfg_expect_error("[feedmerge]\n[dedup]\n[feedmerge]\n", 3,
			 "feeds.ini:3: [feedmerge] given twice (first at line 1)");
}

Test(config, duplicate_key_is_an_error)
{
	cfg_expect_error("[feed a]\nurl = http://a/\nurl = http://b/\n", 3,
			 "feeds.ini:3: [feed a] url: given twice (first at line 2)");
}

Test(config, two_outputs_to_one_file_are_an_error)
{
	cfg_expect_error("[output a]\npath = w.atom\n[output b]\npath = ./w.atom\n[output c]\npath = w.atom\n", 5,
			 "feeds.ini:5: [output c] path: the same file as [output a] (line 1)");
}

Test(config, bad_section_names_are_errors)
{
	cfg_expect_error("[feed b c]\n", 1,
			 "feeds.ini:1: [feed b c]: expected a NAME of letters, digits, '.', '_' and '-'");
	cfg_expect_error("[feed b/c]\n", 1,
			 "feeds.ini:1: [feed b/c]: expected a NAME of letters, digits, '.', '_' and '-'");
	cfg_expect_error("[output]\n", 1, "feeds.ini:1: [output]: expected a name: [output NAME]");
	cfg_expect_error("[dedup x]\n", 1, "feeds.ini:1: [dedup x]: [dedup] takes no name");
}

Test(config, key_outside_a_section_is_an_error)
{
	cfg_expect_error("state = x.db\n", 1,
			 "feeds.ini:1: state: key outside any section: expected [feedmerge], [dedup], "
			 "[output NAME] or [feed NAME] above it");
}

Test(config, syntax_errors_name_their_line)
{
	cfg_expect_error("[feed a]\nurl = http://a/\njust words\n", 3,
			 "feeds.ini:3: expected KEY = VALUE, [SECTION] or a comment");
	cfg_expect_error("[feed a\n", 1, "feeds.ini:1: expected KEY = VALUE, [SECTION] or a comment");
	cfg_expect_error("[feed a]\n= value\n", 2, "feeds.ini:2: [feed a]: expected KEY = VALUE, got no key");
	/* the first error wins, whichever kind it is */
	cfg_expect_error("[feed a]\nurl = http://a/\noops\nbogus = 1\n", 3,
			 "feeds.ini:3: expected KEY = VALUE, [SECTION] or a comment");
}

Test(config, indented_lines_do_not_continue_a_value)
{
	cfg_expect_error("[feed a]\nurl = http://a/\n    more\n", 3,
			 "feeds.ini:3: expected KEY = VALUE, [SECTION] or a comment");
}

Test(config, lines_longer_than_inih_reads_still_count)
{
	char text[1024], url[400];
	const fm_config_feed *f;
	fm_config *cfg;

	/* A feed URL with tracking parameters, past inih's 200-byte line buffer. */
	snprintf(url, sizeof(url), "http://a.example/rss?q=%0300d", 7);
	snprintf(text, sizeof(text), "[feed a]\n; %0250d\nurl = %s ; the long one\npriority = 3\n", 0, url);
	cfg = cfg_expect_ok(text);
	f = fm_config_feed_at(cfg, 0);
	cr_assert_str_eq(f->url, url);
	cr_assert_eq(f->priority, 3);
	fm_config_free(cfg);
	/* Errors on such lines still name their line. */
	snprintf(text, sizeof(text), "[feed a]\nurl = http://a/\nintervall = %0300d\n", 0);
	cfg_expect_error(text, 3, "feeds.ini:3: [feed a] intervall: unknown key (did you mean interval?)");
}

Test(config, header_repeats_and_keeps_file_order)
{
	fm_config *cfg = cfg_expect_ok("[feed a]\nurl = http://x.example/\n"
				       "header = X-Token: abc\nheader = Cookie: s=1; t=2\n"
				       "[feed b]\nurl = http://y.example/\n");
	const fm_config_feed *a = fm_config_feed_find(cfg, "a"), *b = fm_config_feed_find(cfg, "b");

	cr_assert_eq(a->nheaders, 2);
	cr_assert_str_eq(a->headers[0], "X-Token: abc");
	cr_assert_str_eq(a->headers[1], "Cookie: s=1; t=2");
	cr_assert_null(a->headers[2]);
	cr_assert_eq(b->nheaders, 0);
	cr_assert_eq(a->tls_verify, 1, "verified by default");
	fm_config_free(cfg);
}

Test(config, bad_header_is_an_error)
{
	cfg_expect_error("[feed a]\nurl = http://x.example/\nheader = X Token: abc\n", 3,
			 "feeds.ini:3: [feed a] header: expected Name: value (a header name, a colon, a value), got \"X Token: abc\"");
	cfg_expect_error("[feed a]\nurl = http://x.example/\nheader = X-Token:\n", 3,
			 "feeds.ini:3: [feed a] header: expected Name: value (a header name, a colon, a value), got \"X-Token:\"");
}

Test(config, password_file_is_read_and_its_path_kept)
{
	FILE *f = fopen("pw", "w");
	fm_config *cfg;
	const fm_config_feed *a;
	char want[PATH_MAX + 8];

	cr_assert_not_null(f);
	fputs("top secret\nsecond line\n", f);
	fclose(f);
	cfg = cfg_expect_ok("[feed a]\nurl = http://x.example/\nusername = u\npassword_file = pw\n");
	a = fm_config_feed_find(cfg, "a");
	cr_assert_str_eq(a->username, "u");
	cr_assert_str_eq(a->password, "top secret");
	snprintf(want, sizeof want, "%s/pw", cfg_dir);
	cr_assert_str_eq(a->password_file, want);
	fm_config_free(cfg);
	unlink("pw");
}

Test(config, password_rules)
{
	char want[PATH_MAX + 128];

	cfg_expect_error("[feed a]\nurl = http://x.example/\npassword = p\n", 1,
			 "feeds.ini:1: [feed a] username: missing: a password needs username = NAME");
	cfg_expect_error("[feed a]\nurl = http://x.example/\nusername = u\npassword = p\npassword_file = /dev/null\n",
			 5, "feeds.ini:5: [feed a] password_file: cannot read the password from /dev/null: its first line is empty");
	snprintf(want, sizeof want,
		 "feeds.ini:3: [feed a] password_file: cannot read the password from %s/nope: No such file or directory",
		 cfg_dir);
	cfg_expect_error("[feed a]\nurl = http://x.example/\npassword_file = nope\n", 3, want);
}

Test(config, proxy_and_ca_file_are_inherited)
{
	fm_config *cfg = cfg_expect_ok("[feedmerge]\nproxy = http://proxy.example:3128\nca_file = ca.pem\n"
				       "[feed a]\nurl = http://x.example/\n"
				       "[feed b]\nurl = http://y.example/\nproxy = none\nca_file = /etc/b.pem\n"
				       "tls_verify = no\n");
	const fm_config_feed *a = fm_config_feed_find(cfg, "a"), *b = fm_config_feed_find(cfg, "b");
	char want[PATH_MAX + 16];

	snprintf(want, sizeof want, "%s/ca.pem", cfg_dir);
	cr_assert_str_eq(a->proxy, "http://proxy.example:3128");
	cr_assert_str_eq(a->ca_file, want);
	cr_assert_str_eq(b->proxy, "", "none: no proxy, not even the environment's");
	cr_assert_str_eq(b->ca_file, "/etc/b.pem");
	cr_assert_eq(b->tls_verify, 0);
	fm_config_free(cfg);
	cfg_expect_error("[feedmerge]\nproxy = ftp://p.example\n", 2,
			 "feeds.ini:2: [feedmerge] proxy: expected none or a proxy URL like http://proxy.example:3128 "
			 "(http, https, socks4, socks4a, socks5, socks5h), got \"ftp://p.example\"");
}

Test(config, outputs_select_feeds_by_group_and_name)
{
	fm_config *cfg = cfg_expect_ok("[output w]\npath = w.atom\ngroups = world\nurl = https://n.example/w.atom\n"
				       "[output w-html]\npath = w.html\nformat = html\ngroups = world\nlanguage = pt-BR\n"
				       "[output t]\npath = t.atom\ngroups = tech, world tech\nfeeds = c\n"
				       "exclude = ^ad\nurl = https://n.example/t.atom\n"
				       "[output all]\npath = all.atom\n"
				       "[feed a]\nurl = http://a.example/\ngroups = world\n"
				       "[feed b]\nurl = http://b.example/\ngroups = tech sport\n"
				       "[feed c]\nurl = http://c.example/\n");
	const fm_config_output *w = fm_config_output_at(cfg, 0), *wh = fm_config_output_at(cfg, 1);
	const fm_config_output *t = fm_config_output_at(cfg, 2), *all = fm_config_output_at(cfg, 3);
	const fm_config_feed *a = fm_config_feed_find(cfg, "a"), *b = fm_config_feed_find(cfg, "b");
	const fm_config_feed *c = fm_config_feed_find(cfg, "c");

	cr_assert_eq(t->ngroups, 2, "a name listed twice counts once");
	cr_assert_str_eq(t->groups[1], "world");
	cr_assert(fm_config_output_selects(w, a) && !fm_config_output_selects(w, b) &&
		  !fm_config_output_selects(w, c));
	cr_assert(fm_config_output_selects(t, a) && fm_config_output_selects(t, b) &&
		  fm_config_output_selects(t, c));
	cr_assert(fm_config_output_selects(all, a) && fm_config_output_selects(all, c));
	cr_assert_eq(fm_config_output_wants(t, "Ad: buy", NULL), 0);
	cr_assert_eq(fm_config_output_wants(t, "News", NULL), 1);
	cr_assert_str_eq(wh->language, "pt-BR");
	cr_assert_eq(wh->nalternates, 1, "the html page's sibling: w, not t");
	cr_assert_eq(wh->alternates[0], w);
	cr_assert_eq(w->nalternates, 0, "html is no alternate feed");
	cr_assert(fm_config_group_used(cfg, "sport") && !fm_config_group_used(cfg, "city"));
	fm_config_free(cfg);
}

Test(config, bad_selections_are_errors)
{
	cfg_expect_error("[output o]\npath = o.atom\nfeeds = a\n", 1, "feeds.ini:1: [output o] feeds: no [feed a] in the file");
	cfg_expect_error("[feed a]\nurl = http://a.example/\ngroups = wo/rld\n", 3,
			 "feeds.ini:3: [feed a] groups: expected names of letters, digits, '.', '_' and '-' "
			 "separated by spaces, got \"wo/rld\"");
	cfg_expect_error("[output o]\npath = o.atom\nurl = /o.atom\n", 3,
			 "feeds.ini:3: [output o] url: expected an http:// or https:// URL, got \"/o.atom\"");
}
