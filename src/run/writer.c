/* writer.c - a thread doing queued jobs in order: the pass's store and clustering beside its transfers. */
#include "run/writer.h"
#include "feedmerge/error.h"

#include <pthread.h>
#include <stdlib.h>

struct run_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;   /* a job was queued, or stop */
	pthread_cond_t room;   /* a job was taken off the queue */
	void (*fn)(void *ud, void *job);
	void *ud;
	void **ring;           /* the queue: max slots, n of them used from head on */
	size_t max, head, n;
	int stop;
};

/* The thread: does queued jobs, oldest first, until stopped with none left. */
static void *
writer_main(void *arg)
{
	run_writer *w = arg;
	void *job;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->n && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->n)
			break; /* stopped, and nothing left */
		job = w->ring[w->head];
		w->head = (w->head + 1) % w->max;
		w->n--;
		pthread_cond_signal(&w->room);
		pthread_mutex_unlock(&w->mu);
		w->fn(w->ud, job);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int
run_writer_start(run_writer **out, void (*work)(void *ud, void *job), void *ud, size_t max)
{
	run_writer *w;
	int rc = FM_EIO;

	*out = NULL;
	if (!max || !(w = calloc(1, sizeof *w)))
		return max ? FM_ENOMEM : FM_EINVAL;
	w->fn = work;
	w->ud = ud;
	w->max = max;
	if (!(w->ring = calloc(max, sizeof *w->ring))) {
		free(w);
		return FM_ENOMEM;
	}
	if (pthread_mutex_init(&w->mu, NULL))
		goto fail_mu;
	if (pthread_cond_init(&w->work, NULL))
		goto fail_work;
	if (pthread_cond_init(&w->room, NULL))
		goto fail_room;
	if (pthread_create(&w->thread, NULL, writer_main, w))
		goto fail_thread;
	*out = w;
	return 0;
fail_thread:
	pthread_cond_destroy(&w->room);
fail_room:
	pthread_cond_destroy(&w->work);
fail_work:
	pthread_mutex_destroy(&w->mu);
fail_mu:
	free(w->ring);
	free(w);
	return rc;
}

void
run_writer_put(run_writer *w, void *job)
{
	pthread_mutex_lock(&w->mu);
	while (w->n == w->max)
		pthread_cond_wait(&w->room, &w->mu);
	w->ring[(w->head + w->n) % w->max] = job;
	w->n++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
}

void
run_writer_stop(run_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->room);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	free(w->ring);
	free(w);
}
