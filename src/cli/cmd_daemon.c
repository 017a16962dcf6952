/* cmd_daemon.c - `feedmerge daemon`: the cron pass in a loop. */
#include "cli/cli.h"
#include "feedmerge/run.h"
#include "feedmerge/schedule.h"
#include "feedmerge/serve.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Longest sleep between passes: a config's new feed is picked up within this. */
#define DAEMON_MAX_SLEEP 300

void
cli_daemon_help(void)
{
	printf("usage: feedmerge daemon [-c FILE] [--listen ADDRESS:PORT] [-q|-v]\n"
	       "\n"
	       "Run passes for ever: after each one, sleep until the next feed is due\n"
	       "(at most %d s), then run again. The state's lock is held only while a\n"
	       "pass runs, so a cron 'feedmerge run' beside the daemon is safe.\n"
	       "SIGTERM or SIGINT ends it cleanly: a pass under way saves what is\n"
	       "complete and the daemon exits 0.\n"
	       "\n"
	       "  -c, --config FILE  the config file (default: $FEEDMERGE_CONFIG,\n"
	       "                     else ./feedmerge.ini)\n"
	       "  -l, --listen ADDRESS:PORT\n"
	       "                     also serve the outputs over HTTP, each at /FILE (the\n"
	       "                     file name of its path), and /healthz (200 when the\n"
	       "                     last pass, the daemon's or a cron run's, ended with\n"
	       "                     exit status 0 or 1; else 503). ADDRESS is numeric:\n"
	       "                     127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080\n"
	       "  -q, --quiet        no summary line per pass; only problems\n"
	       "  -v, --verbose      also one line per feed fetched\n"
	       "\n"
	       "Exit status: 0 after a signal, 2 usage or config error (or the\n"
	       "address cannot be listened on).\n", DAEMON_MAX_SLEEP);
}

/* Set by SIGINT/SIGTERM. */
static volatile sig_atomic_t daemon_stop;

/* Signal handler. */
static void
daemon_on_signal(int sig)
{
	(void)sig;
	daemon_stop = 1;
}

/* Run callback: the verbose line of one feed. */
static void
daemon_feed_done(void *ud, const fm_run_feed *f, size_t done, size_t total)
{
	(void)done;
	(void)total;
	if (*(int *)ud)
		cli_run_feed_line(f);
}

/* Run callback: one problem line. */
static void
daemon_problem(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "feedmerge: %s\n", line);
}

/* Sleeps up to seconds, waking early when a signal arrives. */
static void
daemon_sleep(int64_t seconds)
{
	struct timespec ts = { (time_t)seconds, 0 };

	while (!daemon_stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int
cli_daemon(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL, *listen = NULL;
	fm_config *cfg;
	fm_serve *srv = NULL;
	fm_run_opts opts;
	fm_run_report rep;
	struct sigaction sa;
	int ch, quiet = 0, verbose = 0, status;
	CURLcode code;
	size_t i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'l': listen = optarg; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': cli_daemon_help(); return CLI_OK;
		default:
			fputs("see 'feedmerge help daemon'\n", stderr);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "feedmerge daemon: unexpected argument '%s'; see 'feedmerge help daemon'\n",
			argv[optind]);
		return CLI_USAGE;
	}
	if ((status = cli_config_load(path, &cfg)))
		return status;
	for (i = 0; i < fm_config_feed_count(cfg); i++)
		if (!fm_config_feed_at(cfg, i)->interval_auto && fm_config_feed_at(cfg, i)->interval < FM_SCHED_POLITE_MIN)
			fprintf(stderr, "feedmerge: warning: feed %s: an interval under 5m is impolite to its publisher\n",
				fm_config_feed_at(cfg, i)->name);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = daemon_on_signal; /* no SA_RESTART: sleeps end at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* a client that hangs up is not a reason to die */
	sigaction(SIGPIPE, &sa, NULL);
	if (listen) {
		fm_serve_opts so;
		fm_diag diag = { 0, 0, "" };

		memset(&so, 0, sizeof so);
		so.listen = listen;
		if (fm_serve_start(&srv, cfg, &so, &diag)) {
			fprintf(stderr, "feedmerge: %s\n", diag.msg);
			fm_config_free(cfg);
			return CLI_USAGE;
		}
	}
	memset(&opts, 0, sizeof opts);
	opts.stop = &daemon_stop;
	opts.problem = daemon_problem;
	opts.feed_done = daemon_feed_done;
	opts.ud = &verbose;
	if ((code = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		fprintf(stderr, "feedmerge: cannot start libcurl: %s\n", curl_easy_strerror(code));
		fm_serve_stop(srv);
		fm_config_free(cfg);
		return CLI_USAGE;
	}
	while (!daemon_stop) {
		struct timespec t0, t1;
		fm_diag diag = { 0, 0, "" };
		int64_t wait;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = fm_run_pass(cfg, &opts, &rep, &diag);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc)
			fprintf(stderr, "feedmerge: %s\n", diag.msg[0] ? diag.msg : fm_strerror(rc));
		else if (!quiet) {
			cli_run_summary(&rep, (double)(t1.tv_sec - t0.tv_sec) +
				       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, 0);
			fflush(stdout);
		}
		/* Locked by a cron run, or a failed pass: try again soon, not in a tight loop. */
		wait = rc || !rep.next_due ? 30 : rep.next_due - (int64_t)time(NULL);
		daemon_sleep(wait < 1 ? 1 : wait > DAEMON_MAX_SLEEP ? DAEMON_MAX_SLEEP : wait);
	}
	fm_serve_stop(srv);
	curl_global_cleanup();
	fm_config_free(cfg);
	return CLI_OK;
}
