/* cpus.c - how many processors this process may run on. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "util/cpus.h"

#include <sched.h>
#include <unistd.h>

int
fm__cpus_usable(void)
{
	cpu_set_t set;
	long n;

	if (!sched_getaffinity(0, sizeof set, &set) && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
