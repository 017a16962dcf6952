/* test_writer.c - the pass's writer thread: jobs done one at a time, in order, all of them before stop returns. */
#include "run/writer.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

/* What the jobs record. */
struct wr_log {
	int order[1000];
	size_t n;
	int busy;     /* a job is running */
	int overlap;  /* two jobs ran at once */
	pthread_t thread;
	int other_thread; /* some job ran on a thread other than the test's */
};

/* Writer job: records its number, slowly enough for the queue to fill. */
static void
wr_work(void *ud, void *job)
{
	struct wr_log *log = ud;
	struct timespec ts = { 0, 20000 };

	if (__atomic_exchange_n(&log->busy, 1, __ATOMIC_ACQ_REL))
		log->overlap = 1;
	if (!pthread_equal(pthread_self(), log->thread))
		log->other_thread = 1;
	nanosleep(&ts, NULL);
	log->order[log->n++] = *(int *)job;
	__atomic_store_n(&log->busy, 0, __ATOMIC_RELEASE);
}

Test(writer, jobs_run_in_order_on_its_thread_and_stop_waits_for_all)
{
	static struct wr_log log;
	static int nums[1000];
	run_writer *w;
	size_t i;

	memset(&log, 0, sizeof log);
	log.thread = pthread_self();
	cr_assert_eq(run_writer_start(&w, wr_work, &log, 4), 0);
	for (i = 0; i < 1000; i++) {
		nums[i] = (int)i;
		run_writer_put(w, &nums[i]); /* blocks while 4 wait */
	}
	run_writer_stop(w);
	cr_assert_eq(log.n, 1000, "every job done before stop returns");
	for (i = 0; i < 1000; i++)
		cr_assert_eq(log.order[i], (int)i, "job %zu in order", i);
	cr_expect_not(log.overlap, "one job at a time");
	cr_expect(log.other_thread);
}

Test(writer, a_queue_of_one_and_no_jobs)
{
	static struct wr_log log;
	int one = 7;
	run_writer *w;

	memset(&log, 0, sizeof log);
	log.thread = pthread_self();
	cr_assert_eq(run_writer_start(&w, wr_work, &log, 1), 0);
	run_writer_stop(w);
	cr_expect_eq(log.n, 0);
	cr_assert_eq(run_writer_start(&w, wr_work, &log, 1), 0);
	run_writer_put(w, &one);
	run_writer_put(w, &one);
	run_writer_stop(w);
	cr_expect_eq(log.n, 2);
	cr_expect_neq(run_writer_start(&w, wr_work, &log, 0), 0, "a queue of no room is refused");
	run_writer_stop(NULL);
}
