/* cli.h - what the command-line front end's files share. */
#ifndef FM_CLI_H
#define FM_CLI_H

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

#endif
