/* cmd_run.c - `feedmerge run`: one cron pass. */
#include "cli/cli.h"
#include "feedmerge/fetch.h"
#include "feedmerge/run.h"

#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
cli_run_help(void)
{
	printf("usage: feedmerge run [-c FILE] [--force] [--dry-run] [--progress] [-q|-v]\n"
	       "\n"
	       "One pass, as cron runs it: fetch the feeds that are due, add what is new\n"
	       "to the state, and rewrite every output atomically (an unchanged output\n"
	       "is left alone). Ends with one summary line.\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "  -f, --force        fetch every enabled feed, due or not (a feed that\n"
	       "                     answered 410 Gone or whose Retry-After is still in\n"
	       "                     force is still skipped)\n"
	       "  -n, --dry-run      fetch and report, but change neither the state nor\n"
	       "                     the outputs\n"
	       "      --progress     show a progress bar even when standard error is not\n"
	       "                     a terminal\n"
	       "  -q, --quiet        no summary line; only problems are printed\n"
	       "  -v, --verbose      also one line per feed fetched (status, items, new)\n"
	       "\n"
	       "Problems go to standard error, one line each, naming the feed or output.\n"
	       "Exit status: 0 all well, 1 some feeds failed but the outputs were\n"
	       "written, 2 usage or config error, 3 the state or an output could not be\n"
	       "written, 4 another run holds the lock.\n");
}

/* What the callbacks print to. */
struct run_ui {
	int progress;       /* draw the bar on stderr */
	int verbose;        /* one line per feed fetched */
	int bar_drawn;      /* a bar is on the current line */
};

/* Clears the progress bar so a problem line starts at column 0. */
static void
ui_clear(struct run_ui *ui)
{
	if (ui->bar_drawn) {
		fputs("\r\033[K", stderr);
		ui->bar_drawn = 0;
	}
}

/* Run callback: prints one problem line. */
static void
ui_problem(void *ud, const char *line)
{
	struct run_ui *ui = ud;

	ui_clear(ui);
	fprintf(stderr, "feedmerge: %s\n", line);
}

/* Run callback: advances the progress bar. */
static void
ui_feed_done(void *ud, const fm_run_feed *f, size_t done, size_t total)
{
	struct run_ui *ui = ud;
	char bar[31];
	size_t fill = total ? done * 30 / total : 30;

	if (ui->verbose) {
		ui_clear(ui);
		cli_run_feed_line(f);
	}
	if (!ui->progress)
		return;
	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu %-30.30s", bar, done, total, f->name);
	fflush(stderr);
	ui->bar_drawn = 1;
}

/* Prints the verbose line of one fetched feed to stderr. */
void
cli_run_feed_line(const fm_run_feed *f)
{
	if (f->not_modified)
		fprintf(stderr, "feedmerge: feed %s: not modified\n", f->name);
	else if (f->ok && f->http_status)
		fprintf(stderr, "feedmerge: feed %s: HTTP %d, %ld items, %ld new\n", f->name,
			f->http_status, f->items, f->new_items);
	else if (f->ok)
		fprintf(stderr, "feedmerge: feed %s: read, %ld items, %ld new\n", f->name, f->items,
			f->new_items);
	else
		fprintf(stderr, "feedmerge: feed %s: failed%s%s\n", f->name, f->error ? ": " : "",
			f->error ? f->error : "");
}

/* Prints the one summary line of a pass. */
void
cli_run_summary(const fm_run_report *rep, double seconds, int dry_run)
{
	fm_buf b = FM_BUF_INIT;

	fm_run_summary(&b, rep, seconds, dry_run);
	printf("%s\n", fm_buf_cstr(&b));
	fm_buf_dispose(&b);
}

/* Seconds since an earlier CLOCK_MONOTONIC reading. */
static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Reads FEEDMERGE_BENCH_CONNECTIONS (share, no-multiplex, fresh: how the
 * fetcher uses connections, for tests/bench/conn-bench.sh) into *out;
 * returns -1 for any other value.
 */
static int
run_bench_connections(int *out)
{
	static const char *const names[] = { "share", "no-multiplex", "fresh" };
	const char *v = getenv("FEEDMERGE_BENCH_CONNECTIONS");
	int i;

	*out = FM_FETCH_CONN_SHARE;
	if (!v || !*v)
		return 0;
	for (i = 0; i < 3; i++)
		if (!strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	return -1;
}

/* Set by SIGINT/SIGTERM: the pass stops, keeping what is complete. */
static volatile sig_atomic_t run_stop;

/* Signal handler. */
static void
run_on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
}

int
cli_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "progress", no_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	fm_config *cfg;
	fm_run_opts opts;
	fm_run_report rep;
	fm_diag diag = { 0, 0, "" };
	struct run_ui ui = { 0, 0, 0 };
	struct sigaction sa;
	struct timespec t0;
	int ch, quiet = 0, rc, status;
	CURLcode code;

	memset(&opts, 0, sizeof opts);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:fnqvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'f': opts.force = 1; break;
		case 'n': opts.dry_run = 1; break;
		case 'P': ui.progress = 1; break;
		case 'q': quiet = 1; break;
		case 'v': ui.verbose = 1; break;
		case 'h': cli_run_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help run'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "feedmerge run: unexpected argument '%s'; see 'feedmerge help run'\n",
			argv[optind]);
		return CLI_USAGE;
	}
	if (run_bench_connections(&opts.connections)) {
		fputs("feedmerge run: FEEDMERGE_BENCH_CONNECTIONS must be share, no-multiplex or fresh\n",
		      stderr);
		return CLI_USAGE;
	}
	if ((status = cli_config_load(path, &cfg)))
		return status;
	if (!quiet && isatty(STDERR_FILENO))
		ui.progress = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	opts.now = cli_test_now();
	opts.stop = &run_stop;
	opts.problem = ui_problem;
	opts.feed_done = ui_feed_done;
	opts.ud = &ui;
	if ((code = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		fprintf(stderr, "feedmerge: cannot start libcurl: %s\n", curl_easy_strerror(code));
		fm_config_free(cfg);
		return CLI_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = fm_run_pass(cfg, &opts, &rep, &diag);
	ui_clear(&ui);
	if (rc)
		fprintf(stderr, "feedmerge: %s\n", diag.msg[0] ? diag.msg : fm_strerror(rc));
	else if (!quiet)
		cli_run_summary(&rep, elapsed(&t0), opts.dry_run);
	if (!rc && ui.verbose && rep.transfers)
		fprintf(stderr, "feedmerge: %zu transfer%s over %zu connection%s\n", rep.transfers,
			rep.transfers == 1 ? "" : "s", rep.connections, rep.connections == 1 ? "" : "s");
	status = fm_run_exit_status(rc, &rep);
	curl_global_cleanup();
	fm_config_free(cfg);
	return status;
}
