/* cmd_check.c - `feedmerge check`: validate the config and print what it says. */
#include "cli/cli.h"
#include "feedmerge/config.h"
#include "feedmerge/schedule.h"
#include "feedmerge/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void
cli_check_help(void)
{
	printf("usage: feedmerge check [-c FILE] [--json]\n"
	       "\n"
	       "Read the config file, check every section and key, and print the\n"
	       "effective settings (defaults filled in, relative paths made absolute)\n"
	       "of [feedmerge], [dedup], every output and every feed. Then advice:\n"
	       "intervals under 5m, and, from the state, feeds that moved permanently\n"
	       "(a 301/308 seen on 3 fetches in a row: edit their url) or are gone.\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "      --json         one JSON object (durations in seconds, sizes in bytes)\n"
	       "\n"
	       "Exit status: 0 the config is valid, 2 it is not (one line on standard\n"
	       "error names file, line, key and what was expected) or a usage error.\n");
}

/* Prints one "  key = value" line. */
static void
check_line(const char *key, const char *value)
{
	printf("  %-14s = %s\n", key, value ? value : "(none)");
}

/* Prints a duration setting. */
static void
check_duration(const char *key, int64_t seconds, const char *zero)
{
	char b[FM_CONFIG_UNIT_BUFSZ];

	check_line(key, seconds == 0 && zero ? zero : fm_config_duration_format(b, seconds));
}

/* Prints a whole-number setting. */
static void
check_number(const char *key, long long n, const char *zero)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", n);
	check_line(key, n == 0 && zero ? zero : b);
}

void
cli_redact_url(char *out, size_t size, const char *url)
{
	const char *scheme = url ? strstr(url, "://") : NULL;
	const char *at = scheme ? strrchr(scheme, '@') : NULL;

	if (!url)
		snprintf(out, size, "(none)");
	else if (!*url)
		snprintf(out, size, "none");
	else if (at)
		snprintf(out, size, "%.*s(hidden)%s", (int)(scheme + 3 - url), url, at);
	else
		snprintf(out, size, "%s", url);
}

/* Prints a list of names as one line ("(none)" when empty, zero when given). */
static void
check_names(const char *key, const char *const *names, size_t n, const char *zero)
{
	char line[1024];
	size_t i, len = 0;

	line[0] = '\0';
	for (i = 0; i < n && len < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", i ? " " : "", names[i]);
	check_line(key, n ? line : zero ? zero : "(none)");
}

/* Prints the [feedmerge] and [dedup] blocks. */
static void
check_main(const fm_config *cfg)
{
	const fm_config_main *m = fm_config_get_main(cfg);
	const fm_config_dedup *d = fm_config_get_dedup(cfg);
	char b[FM_CONFIG_UNIT_BUFSZ], proxy[1024];

	printf("[feedmerge]\n");
	check_line("state", m->state);
	if (m->interval_auto)
		check_line("interval", "auto");
	else
		check_duration("interval", m->interval, NULL);
	check_duration("max_interval", m->max_interval, NULL);
	check_duration("timeout", m->timeout, NULL);
	check_number("concurrency", m->concurrency, NULL);
	check_number("per_host", m->per_host, NULL);
	check_line("user_agent", m->user_agent);
	check_line("max_feed_size", fm_config_size_format(b, m->max_feed_size));
	check_duration("keep", m->keep, "0 (for ever)");
	check_duration("lock_wait", m->lock_wait, NULL);
	cli_redact_url(proxy, sizeof proxy, m->proxy);
	check_line("proxy", m->proxy ? proxy : "(from the environment)");
	check_line("ca_file", m->ca_file ? m->ca_file : "(the system's)");
	printf("\n[dedup]\n");
	check_number("threshold", d->threshold, NULL);
	check_duration("window", d->window, NULL);
}

/* Prints one [output NAME] block. */
static void
check_output(const fm_config_output *o)
{
	printf("\n[output %s]\n", o->name);
	check_line("path", o->path);
	check_line("format", fm_config_format_name(o->format));
	check_line("title", o->title);
	check_line("link", o->link);
	check_number("max_items", (long long)o->max_items, "0 (no limit)");
	check_duration("max_age", o->max_age, "0 (no limit)");
	check_names("groups", o->groups, o->ngroups, o->nfeeds ? NULL : "(none: every feed)");
	check_names("feeds", o->feeds, o->nfeeds, NULL);
	check_line("include", o->include);
	check_line("exclude", o->exclude);
	check_line("url", o->url);
	check_line("language", o->language);
}

/* Prints one [feed NAME] block. */
static void
check_feed(const fm_config_feed *f)
{
	char line[1024];
	size_t i;

	printf("\n[feed %s]\n", f->name);
	check_line("url", f->url);
	if (f->interval_auto)
		check_line("interval", "auto (from its posting rhythm, 15m to max_interval)");
	else
		check_duration("interval", f->interval, NULL);
	check_duration("max_interval", f->max_interval, NULL);
	check_number("priority", f->priority, NULL);
	check_line("include", f->include);
	check_line("exclude", f->exclude);
	check_line("enabled", f->enabled ? "yes" : "no");
	check_line("cluster", f->cluster ? "yes" : "no");
	check_line("identity", fm_config_identity_name(f->identity));
	check_line("user_agent", f->user_agent);
	check_line("encoding", f->encoding ? f->encoding : "(as the feed declares)");
	check_line("username", f->username);
	/* Never the password itself, nor a header's value (a token, a cookie). */
	if (f->password_file)
		snprintf(line, sizeof line, "(hidden; read from %s)", f->password_file);
	else
		snprintf(line, sizeof line, "%s", f->password ? "(hidden)" : "(none)");
	check_line("password", line);
	for (i = 0; i < f->nheaders; i++) {
		snprintf(line, sizeof line, "%.*s: (value hidden)", (int)strcspn(f->headers[i], ":"),
			 f->headers[i]);
		check_line("header", line);
	}
	cli_redact_url(line, sizeof line, f->proxy);
	check_line("proxy", f->proxy ? line : "(from the environment)");
	check_line("ca_file", f->ca_file ? f->ca_file : "(the system's)");
	check_line("tls_verify", f->tls_verify ? "yes" : "NO (certificates are not checked)");
	check_names("groups", f->groups, f->ngroups, NULL);
}

/* Text output of one advice line. */
static void
check_advice_text(void *ud, const char *kind, const char *line)
{
	(void)ud;
	printf("# %s: %s\n", kind, line);
}

void
cli_check_advice(const fm_config *cfg, void (*emit)(void *ud, const char *kind, const char *line),
		 void *ud)
{
	fm_store *st;
	char b[FM_CONFIG_UNIT_BUFSZ], line[1024];
	size_t i;

	for (i = 0; i < fm_config_feed_count(cfg); i++) {
		const fm_config_feed *f = fm_config_feed_at(cfg, i);

		if (f->enabled && !f->interval_auto && f->interval < FM_SCHED_POLITE_MIN) {
			snprintf(line, sizeof line, "feed %s: interval %s is under %s, impolite to its publisher",
				 f->name, fm_config_duration_format(b, f->interval), "5m");
			emit(ud, "warning", line);
		}
		if (f->enabled && !f->tls_verify) {
			snprintf(line, sizeof line, "feed %s: tls_verify = no: its certificate is not checked, "
				 "anyone on the way can serve (or read) it; prefer ca_file", f->name);
			emit(ud, "warning", line);
		}
		if (f->enabled && (f->username || f->nheaders) && !strncasecmp(f->url, "http://", 7)) {
			snprintf(line, sizeof line, "feed %s: %s sent over plain http://, readable on the way",
				 f->name, f->username ? "password" : "headers");
			emit(ud, "warning", line);
		}
	}
	/* Outputs: groups no feed is in, and outputs that select no enabled feed. */
	for (i = 0; i < fm_config_output_count(cfg); i++) {
		const fm_config_output *o = fm_config_output_at(cfg, i);
		size_t j, selected = 0;

		for (j = 0; j < o->ngroups; j++)
			if (!fm_config_group_used(cfg, o->groups[j])) {
				snprintf(line, sizeof line, "output %s (line %lu): no feed is in group %s",
					 o->name, o->line, o->groups[j]);
				emit(ud, "warning", line);
			}
		for (j = 0; j < fm_config_feed_count(cfg); j++) {
			const fm_config_feed *f = fm_config_feed_at(cfg, j);
			selected += f->enabled && fm_config_output_selects(o, f);
		}
		if (!selected) {
			snprintf(line, sizeof line, "output %s (line %lu): selects no enabled feed; it stays empty",
				 o->name, o->line);
			emit(ud, "warning", line);
		}
	}
	/* The state tells what the feeds did: a redirect to adopt is an edit to make. */
	if (cli_state_open(cfg, &st, 1) || !st)
		return;
	for (i = 0; i < fm_config_feed_count(cfg); i++) {
		const fm_config_feed *f = fm_config_feed_at(cfg, i);
		fm_feed_state fs;

		if (fm_store_feed_get(st, f->name, &fs))
			break;
		if (fs.url && !strcmp(fs.url, f->url) && fs.redirect_url &&
		    fs.redirect_seen >= FM_SCHED_REDIRECT_GRACE) {
			snprintf(line, sizeof line, "feed %s (line %lu): moved permanently; set url = %s",
				 f->name, f->line, fs.redirect_url);
			emit(ud, "edit", line);
		}
		if (fs.url && !strcmp(fs.url, f->url) && fs.gone) {
			snprintf(line, sizeof line,
				 "feed %s (line %lu): gone (HTTP 410); remove it or set enabled = no",
				 f->name, f->line);
			emit(ud, "edit", line);
		}
		fm_feed_state_clear(&fs);
	}
	fm_store_close(st);
}

int
cli_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	fm_config *cfg;
	size_t i, enabled = 0;
	int ch, json = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'j': json = 1; break;
		case 'h': cli_check_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help check'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "feedmerge check: unexpected argument '%s'; see 'feedmerge help check'\n",
			argv[optind]);
		return CLI_USAGE;
	}
	if (cli_config_load(path, &cfg))
		return CLI_USAGE;
	if (json) {
		ch = cli_check_json(cfg);
		fm_config_free(cfg);
		return ch;
	}
	printf("# %s\n\n", fm_config_path(cfg));
	check_main(cfg);
	for (i = 0; i < fm_config_output_count(cfg); i++)
		check_output(fm_config_output_at(cfg, i));
	for (i = 0; i < fm_config_feed_count(cfg); i++) {
		check_feed(fm_config_feed_at(cfg, i));
		enabled += fm_config_feed_at(cfg, i)->enabled != 0;
	}
	printf("\n# ok: %zu feed%s (%zu enabled), %zu output%s\n",
	       fm_config_feed_count(cfg), fm_config_feed_count(cfg) == 1 ? "" : "s", enabled,
	       fm_config_output_count(cfg), fm_config_output_count(cfg) == 1 ? "" : "s");
	cli_check_advice(cfg, check_advice_text, NULL);
	fm_config_free(cfg);
	return CLI_OK;
}
