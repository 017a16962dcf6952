/* config_load.c - how every command finds and loads the config file. */
#include "cli/cli.h"

#include <stdio.h>

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
