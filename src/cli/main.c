/* main.c - placeholder entry point; replaced by the CLI. */
#include <stdio.h>
#include "feedmerge/version.h"

int
main(void)
{
	printf("feedmerge %s\n", FEEDMERGE_VERSION);
	return 0;
}
