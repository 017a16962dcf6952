/* cmd_status.c - `feedmerge status`: one line per feed from the state. */
#include "cli/cli.h"
#include "feedmerge/date.h"
#include "feedmerge/schedule.h"
#include "feedmerge/store.h"
#include "util/jsonw.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
cli_status_help(void)
{
	printf("usage: feedmerge status [-c FILE] [--json]\n"
	       "\n"
	       "One line per configured feed, from the state: last attempt, HTTP status\n"
	       "of that attempt, items in the last fetch, consecutive failures, when it\n"
	       "is next due, and notes: why it is due then (\"next: interval 30m\",\n"
	       "\"next: ttl 60m\", \"next: Cache-Control max-age=3600\", \"next: skipHours\",\n"
	       "\"next: auto: 2h\"), gone (answered 410, no longer polled), a\n"
	       "Retry-After in force, a permanent redirect (pending, or in use: then\n"
	       "edit the feed's url), the last error. Then one line on the last pass\n"
	       "(a cron run's or a daemon's): when it ended, its exit status, its summary.\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "      --json         one JSON object: {\"feeds\": [...], \"last_pass\": {...}}\n"
	       "\n"
	       "Exit status: 0, 2 usage or config error, 3 the state cannot be read.\n");
}

/* Formats t for a column: RFC 3339, or "-" when unknown. */
static const char *
status_time(char buf[FM_DATE_BUFSZ], fm_time t)
{
	if (!t)
		return "-";
	return fm_date_format(buf, t);
}

/* Appends the notes of a feed (gone, retry-after, redirect, error) to b. */
static void
status_notes(fm_buf *b, const fm_config_feed *cf, const fm_feed_state *fs, fm_time now)
{
	char t[FM_DATE_BUFSZ];

	if (!cf->enabled)
		fm_buf_puts(b, "disabled; ");
	if (fs->next_why && cf->enabled && !fs->gone)
		fm_buf_printf(b, "next: %s; ", fs->next_why);
	if (fs->gone)
		fm_buf_puts(b, "gone (410): no longer polled; ");
	if (fs->retry_after > now)
		fm_buf_printf(b, "Retry-After until %s; ", fm_date_format(t, fs->retry_after));
	if (fs->redirect_url && fs->redirect_seen >= FM_SCHED_REDIRECT_GRACE)
		fm_buf_printf(b, "moved permanently to %s (in use): edit url in [feed %s]; ",
			      fs->redirect_url, cf->name);
	else if (fs->redirect_url)
		fm_buf_printf(b, "permanent redirect to %s seen %d of %d times; ",
			      fs->redirect_url, fs->redirect_seen, FM_SCHED_REDIRECT_GRACE);
	if (fs->last_error && fs->failures)
		fm_buf_printf(b, "error: %s; ", fs->last_error);
	else if (fs->last_error)
		fm_buf_printf(b, "warning: %s; ", fs->last_error);
	if (b->size >= 2)
		b->ptr[b->size -= 2] = '\0';
}

/* Prints one feed as a JSON object. */
static void
status_json(const fm_config_feed *cf, const fm_feed_state *fs, const char *notes, int first)
{
	char t[FM_DATE_BUFSZ];
	fm_buf b = FM_BUF_INIT;

	fm_buf_puts(&b, first ? "\n  {\"name\": " : ",\n  {\"name\": ");
	fm__json_str(&b, cf->name);
	fm_buf_puts(&b, ", \"url\": ");
	fm__json_str(&b, cf->url);
	fm_buf_puts(&b, ", \"last_attempt\": ");
	fm__json_str(&b, fs->last_attempt ? fm_date_format(t, fs->last_attempt) : NULL);
	fm_buf_puts(&b, ", \"last_success\": ");
	fm__json_str(&b, fs->last_success ? fm_date_format(t, fs->last_success) : NULL);
	fm_buf_printf(&b, ", \"http_status\": %d, \"items\": %ld, \"failures\": %d, \"next_due\": ",
		      fs->http_status, fs->items, fs->failures);
	fm__json_str(&b, fs->next_due ? fm_date_format(t, fs->next_due) : NULL);
	fm_buf_puts(&b, ", \"next_why\": ");
	fm__json_str(&b, fs->next_why);
	fm_buf_printf(&b, ", \"enabled\": %s, \"gone\": %s, \"retry_after\": ",
		      cf->enabled ? "true" : "false", fs->gone ? "true" : "false");
	fm__json_str(&b, fs->retry_after ? fm_date_format(t, fs->retry_after) : NULL);
	fm_buf_puts(&b, ", \"redirect\": ");
	fm__json_str(&b, fs->redirect_url);
	fm_buf_printf(&b, ", \"redirect_seen\": %d, \"redirect_in_use\": %s, \"last_error\": ",
		      fs->redirect_seen,
		      fs->redirect_url && fs->redirect_seen >= FM_SCHED_REDIRECT_GRACE ? "true" : "false");
	fm__json_str(&b, fs->last_error);
	fm_buf_puts(&b, ", \"notes\": ");
	fm__json_str(&b, notes);
	fm_buf_putc(&b, '}');
	fputs(fm_buf_cstr(&b), stdout);
	fm_buf_dispose(&b);
}

/* Prints the last pass recorded in st (NULL: no state yet), as a line or a JSON member. */
static void
status_last_pass(fm_store *st, int json)
{
	static const char *const words[] = { "ok", "degraded", "?", "failed", "locked" };
	char t[FM_DATE_BUFSZ];
	fm_store_pass p;
	const char *word;
	fm_buf b = FM_BUF_INIT;

	if (!st || fm_store_pass_get(st, &p)) {
		fputs(json ? ",\n\"last_pass\": null" : "last pass: none recorded\n", stdout);
		return;
	}
	word = p.status >= 0 && p.status <= 4 ? words[p.status] : "?";
	if (json) {
		fm_buf_printf(&b, ",\n\"last_pass\": {\"started\": \"%s\", ", fm_date_format(t, p.started));
		fm_buf_printf(&b, "\"finished\": \"%s\", \"exit_status\": %d, \"status\": \"%s\", \"summary\": ",
			      fm_date_format(t, p.finished), p.status, word);
		fm__json_str(&b, p.summary);
		fm_buf_putc(&b, '}');
		fputs(fm_buf_cstr(&b), stdout);
	} else {
		printf("last pass: %s, exit status %d (%s): %s\n", fm_date_format(t, p.finished), p.status,
		       word, p.summary ? p.summary : "");
	}
	fm_buf_dispose(&b);
	fm_store_pass_clear(&p);
}

int
cli_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	fm_config *cfg;
	fm_store *st = NULL;
	fm_time now = cli_test_now() ? cli_test_now() : (fm_time)time(NULL);
	int ch, json = 0, status;
	size_t i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'j': json = 1; break;
		case 'h': cli_status_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help status'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "feedmerge status: unexpected argument '%s'; see 'feedmerge help status'\n",
			argv[optind]);
		return CLI_USAGE;
	}
	if ((status = cli_config_load(path, &cfg)))
		return status;
	/* No state yet is not an error: every feed is simply never fetched. */
	if ((status = cli_state_open(cfg, &st, 0))) {
		fm_config_free(cfg);
		return status;
	}
	if (json)
		fputs("{\"feeds\": [", stdout);
	else
		printf("%-20s %-20s %4s %6s %4s %-20s %s\n", "FEED", "LAST ATTEMPT", "HTTP",
		       "ITEMS", "FAIL", "NEXT DUE", "NOTES");
	for (i = 0; i < fm_config_feed_count(cfg); i++) {
		const fm_config_feed *cf = fm_config_feed_at(cfg, i);
		fm_feed_state fs = { 0 };
		fm_buf notes = FM_BUF_INIT;
		char t1[FM_DATE_BUFSZ], t2[FM_DATE_BUFSZ];

		if (st && fm_store_feed_get(st, cf->name, &fs)) {
			fprintf(stderr, "feedmerge: %s: cannot read feed %s\n",
				fm_config_get_main(cfg)->state, cf->name);
			status = CLI_NOWRITE;
			break;
		}
		/* A state about another URL (the file was edited) is as good as none. */
		if (fs.url && strcmp(fs.url, cf->url)) {
			fm_feed_state_clear(&fs);
		}
		status_notes(&notes, cf, &fs, now);
		if (json)
			status_json(cf, &fs, notes.size ? notes.ptr : NULL, i == 0);
		else
			printf("%-20s %-20s %4d %6ld %4d %-20s %s\n", cf->name,
			       status_time(t1, fs.last_attempt), fs.http_status, fs.items,
			       fs.failures, status_time(t2, fs.next_due), fm_buf_cstr(&notes));
		fm_buf_dispose(&notes);
		fm_feed_state_clear(&fs);
	}
	if (json)
		fputs("\n]", stdout);
	if (status == CLI_OK)
		status_last_pass(st, json);
	if (json)
		fputs("}\n", stdout);
	fm_store_close(st);
	fm_config_free(cfg);
	return status;
}
