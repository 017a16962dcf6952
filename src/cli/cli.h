/* cli.h - what the command-line front end's files share. */
#ifndef FM_CLI_H
#define FM_CLI_H

#include "feedmerge/config.h"
#include "feedmerge/run.h"
#include "feedmerge/store.h"

/* Exit statuses (DESIGN.md, "The CLI"). */
enum {
	CLI_OK = 0,
	CLI_PARTIAL = 1, /* parsed with recovery / some feeds failed */
	CLI_USAGE = 2,   /* usage or config error, not a feed */
	CLI_NOWRITE = 3,
	CLI_LOCKED = 4
};

/* `feedmerge parse`: returns an exit status. */
int cli_parse(int argc, char **argv);

/* Prints the help of `feedmerge parse` to stdout. */
void cli_parse_help(void);

/* `feedmerge check`: returns an exit status. */
int cli_check(int argc, char **argv);

/* Prints the help of `feedmerge check` to stdout. */
void cli_check_help(void);

/* Calls emit with each piece of advice on cfg (kind "warning" or "edit", one line). */
void cli_check_advice(const fm_config *cfg,
		      void (*emit)(void *ud, const char *kind, const char *line), void *ud);

/* Prints the effective settings of cfg as one JSON object; returns an exit status. */
/*
 * Returns the clock tests set in $FEEDMERGE_TEST_NOW (Unix seconds), or 0
 * (the real clock): run and status read it, so a test can move time
 * forward without waiting. Not for production use.
 */
fm_time cli_test_now(void);

/* Writes url into out (size bytes) with any user:password@ replaced by (hidden); "none" for "", "(none)" for NULL. */
void cli_redact_url(char *out, size_t size, const char *url);

int cli_check_json(const fm_config *cfg);

/* `feedmerge run`: returns an exit status. */
int cli_run(int argc, char **argv);

/* Prints the help of `feedmerge run` to stdout. */
void cli_run_help(void);

/* Prints the verbose line of one fetched feed (`-v`) to stderr. */
void cli_run_feed_line(const fm_run_feed *f);

/* Prints the one summary line of a pass to stdout. */
void cli_run_summary(const fm_run_report *rep, double seconds, int dry_run);

/* `feedmerge status`: returns an exit status. */
int cli_status(int argc, char **argv);

/* Prints the help of `feedmerge status` to stdout. */
void cli_status_help(void);

/* `feedmerge clusters`: returns an exit status. */
int cli_clusters(int argc, char **argv);

/* Prints the help of `feedmerge clusters` to stdout. */
void cli_clusters_help(void);

/* `feedmerge import-opml`: returns an exit status. */
int cli_import_opml(int argc, char **argv);

/* Prints the help of `feedmerge import-opml` to stdout. */
void cli_import_opml_help(void);

/* `feedmerge export-opml`: returns an exit status. */
int cli_export_opml(int argc, char **argv);

/* Prints the help of `feedmerge export-opml` to stdout. */
void cli_export_opml_help(void);

/* `feedmerge daemon`: returns an exit status. */
int cli_daemon(int argc, char **argv);

/* Prints the help of `feedmerge daemon` to stdout. */
void cli_daemon_help(void);

/*
 * Loads the config (-c path, $FEEDMERGE_CONFIG or ./feedmerge.ini) into
 * *cfg, which the caller frees; on failure prints the one-line error.
 * Returns CLI_OK or CLI_USAGE.
 */
int cli_config_load(const char *cli_path, fm_config **cfg);

/*
 * Opens cfg's state into *st (the caller closes it), or leaves *st NULL
 * when there is no state file yet. Returns CLI_OK, or CLI_NOWRITE when the
 * file cannot be opened (the reason printed unless quiet).
 */
int cli_state_open(const fm_config *cfg, fm_store **st, int quiet);

#endif
