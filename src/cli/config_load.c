/* config_load.c - how every command finds and loads the config file, and opens its state. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int
cli_config_load(const char *cli_path, fm_config **cfg)
{
	fm_diag diag = { 0, 0, "" };

	if (fm_config_load(cfg, fm_config_default_path(cli_path), &diag) < 0) {
		fprintf(stderr, "feedmerge: %s\n", diag.msg);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int
cli_state_open(const fm_config *cfg, fm_store **st, int quiet)
{
	const char *state = fm_config_get_main(cfg)->state;
	fm_diag diag = { 0, 0, "" };
	struct stat sb;

	*st = NULL;
	/* No state yet is not an error: no feed has been fetched. */
	if (stat(state, &sb))
		return CLI_OK;
	if (fm_store_open(st, state, &diag)) {
		if (!quiet)
			fprintf(stderr, "feedmerge: %s\n", diag.msg);
		return CLI_NOWRITE;
	}
	return CLI_OK;
}

fm_time
cli_test_now(void)
{
	const char *v = getenv("FEEDMERGE_TEST_NOW");
	char *end;
	long long t;

	if (!v || !*v)
		return 0;
	t = strtoll(v, &end, 10);
	return *end || t <= 0 ? 0 : (fm_time)t;
}
