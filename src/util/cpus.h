/* cpus.h - how many processors this process may run on (internal). */
#ifndef FM_UTIL_CPUS_H
#define FM_UTIL_CPUS_H

/* Returns the CPUs in the process's affinity mask (taskset, cgroups' cpusets), at least 1. */
int fm__cpus_usable(void);

#endif
