/* main.c - feedmerge's entry point: picks the command and runs it. */
#include "cli/cli.h"
#include "feedmerge/version.h"

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__ /* (from stdio.h) */
#include <malloc.h>
#endif

static const char main_usage[] =
	"usage: feedmerge [--help] [--version] COMMAND [ARGS]\n"
	"\n"
	"Merge many RSS/Atom/JSON feeds into one, one entry per story.\n"
	"\n"
	"Commands:\n"
	"  run       one pass: fetch due feeds, update the state, write outputs\n"
	"  daemon    run passes for ever, sleeping until the next feed is due\n"
	"  status    one line per feed: last fetch, failures, next due\n"
	"  clusters  which items were merged into one story, and why\n"
	"  import-opml  print [feed] sections for an OPML subscription list\n"
	"  export-opml  print the configured feeds as OPML 2.0\n"
	"  parse     parse feed files and print what they hold\n"
	"  check     check the config file and print the effective settings\n"
	"  help      show the help of a command\n"
	"\n"
	"Run 'feedmerge help COMMAND' for a command's options.\n";

/* A command: its name, its entry point and its help. */
static const struct main_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*help)(void);
} main_cmds[] = {
	{ "parse", cli_parse, cli_parse_help },
	{ "check", cli_check, cli_check_help },
	{ "run", cli_run, cli_run_help },
	{ "status", cli_status, cli_status_help },
	{ "daemon", cli_daemon, cli_daemon_help },
	{ "clusters", cli_clusters, cli_clusters_help },
	{ "import-opml", cli_import_opml, cli_import_opml_help },
	{ "export-opml", cli_export_opml, cli_export_opml_help },
};

/* Returns the command called name, or NULL. */
static const struct main_cmd *
main_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
		if (!strcmp(main_cmds[i].name, name))
			return &main_cmds[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct main_cmd *cmd;

#ifdef __GLIBC__
	/*
	 * Arrays past 2 MB (the clusterer's index grows several by realloc)
	 * are mapped, so what a realloc moves away from or a free gives back
	 * returns to the system. glibc's threshold rises past them after the
	 * first large free; in the heap, the holes they left stayed resident
	 * (cold pass over 10,000 feeds: peak 175 MB, mapped 148-152 MB).
	 */
	mallopt(M_MMAP_THRESHOLD, 2 << 20);
#endif
	if (argc < 2) {
		fputs(main_usage, stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(main_usage, stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("feedmerge %s\n", FEEDMERGE_VERSION);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			fputs(main_usage, stdout);
			return CLI_OK;
		}
		if (!(cmd = main_find(argv[2]))) {
			fprintf(stderr, "feedmerge: no command '%s'; see 'feedmerge --help'\n", argv[2]);
			return CLI_USAGE;
		}
		cmd->help();
		return CLI_OK;
	}
	if (!(cmd = main_find(argv[1]))) {
		fprintf(stderr, "feedmerge: no command '%s'; see 'feedmerge --help'\n", argv[1]);
		return CLI_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
