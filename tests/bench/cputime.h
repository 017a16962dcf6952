/* cputime.h - CPU seconds of this process or thread, for the C benchmarks. */
#ifndef FM_BENCH_CPUTIME_H
#define FM_BENCH_CPUTIME_H

#include <time.h>

/* CPU seconds of this process. */
static inline double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this thread. */
static inline double
cpu_thread_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
