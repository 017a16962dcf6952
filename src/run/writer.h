/* writer.h - finished feeds stored on a thread of their own while transfers go on (internal). */
#ifndef FM_RUN_WRITER_H
#define FM_RUN_WRITER_H

#include <stddef.h>

/*
 * One thread that does queued jobs one at a time, in the order they were
 * put: the pass hands it every finished feed, so the state and the
 * clusterer (which only it touches while transfers run) take each feed
 * whole, in the order the feeds ended, while the fetching thread goes on
 * receiving and parsing the next ones.
 */
typedef struct run_writer run_writer;

/*
 * Starts the thread; it calls work(ud, job) for each job put. At most max
 * (> 0) jobs wait: run_writer_put blocks while that many do. Returns 0,
 * FM_ENOMEM or FM_EIO (no thread: the caller does its jobs itself).
 */
int run_writer_start(run_writer **out, void (*work)(void *ud, void *job), void *ud, size_t max);

/* Queues job for work (the caller keeps owning it); blocks while max jobs wait. */
void run_writer_put(run_writer *w, void *job);

/* Waits until every job put is done, stops the thread and frees w. NULL is a no-op. */
void run_writer_stop(run_writer *w);

#endif
