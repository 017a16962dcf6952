/* prep.c - a worker thread preparing items' text for fingerprinting, and packing it for the state. */
#include "run/prep.h"
#include "feedmerge/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct run_prep_job {
	const fm_item *item;    /* an item's job; NULL: a feed's */
	run_prep_job *const *feed; /* a feed's job: its items' jobs (borrowed), nfeed of them */
	size_t nfeed;
	struct run_learned learned; /* what a feed's job made (rc 0) */
	int want_text;          /* prepare its text for fingerprinting (a clustered feed's item) */
	fm_fp_text *text;
	fm_store_packed packed; /* ready when the worker packed the text */
	int rc;
	int state;
	run_prep_job *prev, *next; /* in the queue while JOB_QUEUED */
};

struct run_prep {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;   /* a job was queued, or stop */
	pthread_cond_t done;   /* a job the worker ran is done */
	run_prep_job *head, *tail;
	run_prep_job *urgent;  /* the last job of the queue's urgent head (the writer's next feeds'), or NULL */
	int stop;
	fm_store *st;          /* asked only for its current dictionary (any thread may) */
	fm_store_packer *packer; /* the worker's own; NULL: the store packs */
};

/* Unlinks a queued job (mu held). */
static void
prep_unlink(run_prep *p, run_prep_job *j)
{
	if (p->urgent == j)
		p->urgent = j->prev; /* the urgent jobs are the queue's first ones */
	if (j->prev)
		j->prev->next = j->next;
	else
		p->head = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else
		p->tail = j->prev;
	j->prev = j->next = NULL;
}

/*
 * Does a feed's job (mu held; released while learning). Its items' jobs
 * were queued before it and nothing takes them before it is taken: each is
 * done, by the worker. One that failed leaves the learning to the writer.
 */
static void
prep_feed(run_prep *p, run_prep_job *j)
{
	fm_fp_text **texts = malloc((j->nfeed ? j->nfeed : 1) * sizeof *texts);
	size_t i;
	int rc = texts ? 0 : FM_ENOMEM;

	for (i = 0; !rc && i < j->nfeed; i++)
		if (j->feed[i]->state != JOB_DONE || j->feed[i]->rc || !(texts[i] = j->feed[i]->text))
			rc = FM_EINVAL;
	pthread_mutex_unlock(&p->mu);
	if (!rc)
		rc = run__learn_fresh(texts, j->nfeed, &j->learned);
	/* Learnt: the writer needs no text, and it is freed here, on the arena it came from. */
	for (i = 0; !rc && i < j->nfeed; i++) {
		fm_fp_text_free(texts[i]);
		j->feed[i]->text = NULL;
	}
	free(texts);
	pthread_mutex_lock(&p->mu);
	j->rc = rc;
	j->state = JOB_DONE;
	pthread_cond_broadcast(&p->done);
}

/* The worker: prepares queued jobs, oldest first, until stopped. */
static void *
prep_main(void *arg)
{
	run_prep *p = arg;
	run_prep_job *j;
	fm_fp_text *t;
	int rc;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		j = p->head;
		prep_unlink(p, j);
		j->state = JOB_RUNNING;
		if (!j->item) {
			prep_feed(p, j);
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		t = NULL;
		rc = j->want_text ? fm_fp_text_new(&t, j->item) : 0;
		/* Packing that fails leaves it to the store (packed not ready). */
		if (!rc && p->packer &&
		    fm_store_pack_item(&j->packed, p->packer, fm_store_packdict_current(p->st), j->item))
			fm_store_packed_dispose(&j->packed);
		pthread_mutex_lock(&p->mu);
		j->text = t;
		j->rc = rc;
		j->state = JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
run_prep_start(run_prep **out, fm_store *st)
{
	run_prep *p;

	*out = NULL;
	if (!(p = calloc(1, sizeof *p)))
		return FM_ENOMEM;
	p->st = st;
	if (st && fm_store_packer_new(&p->packer))
		p->packer = NULL;
	if (pthread_mutex_init(&p->mu, NULL))
		goto fail_mu;
	if (pthread_cond_init(&p->work, NULL))
		goto fail_work;
	if (pthread_cond_init(&p->done, NULL))
		goto fail_done;
	if (pthread_create(&p->thread, NULL, prep_main, p))
		goto fail_thread;
	*out = p;
	return 0;
fail_thread:
	pthread_cond_destroy(&p->done);
fail_done:
	pthread_cond_destroy(&p->work);
fail_work:
	pthread_mutex_destroy(&p->mu);
fail_mu:
	fm_store_packer_free(p->packer);
	free(p);
	return FM_EIO;
}

void
run_prep_stop(run_prep *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	fm_store_packer_free(p->packer);
	free(p);
}

/* Links j into the queue (mu held): after the urgent jobs when urgent, else last. */
static void
prep_link(run_prep *p, run_prep_job *j, int urgent)
{
	run_prep_job *after = urgent ? p->urgent : p->tail;

	j->prev = after;
	j->next = after ? after->next : p->head;
	if (j->next)
		j->next->prev = j;
	else
		p->tail = j;
	if (after)
		after->next = j;
	else
		p->head = j;
	if (urgent)
		p->urgent = j;
}

/* Queues a new job (an item's, or with jobs a feed's) and wakes the worker; NULL when out of memory. */
static run_prep_job *
prep_queue(run_prep *p, const fm_item *item, int want_text, run_prep_job *const *jobs, size_t n,
	   int urgent)
{
	run_prep_job *j = calloc(1, sizeof *j);

	if (!j)
		return NULL;
	j->item = item;
	j->want_text = want_text;
	j->feed = jobs;
	j->nfeed = n;
	j->state = JOB_QUEUED;
	pthread_mutex_lock(&p->mu);
	prep_link(p, j, urgent);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return j;
}

void
run_prep_hurry(run_prep *p, run_prep_job *const *jobs, size_t n)
{
	size_t i;

	pthread_mutex_lock(&p->mu);
	for (i = 0; i < n; i++)
		if (jobs[i] && jobs[i]->state == JOB_QUEUED) {
			prep_unlink(p, jobs[i]);
			prep_link(p, jobs[i], 1);
		}
	pthread_mutex_unlock(&p->mu);
}

run_prep_job *
run_prep_add(run_prep *p, const fm_item *item, int want_text)
{
	return prep_queue(p, item, want_text, NULL, 0, 0);
}

run_prep_job *
run_prep_add_feed(run_prep *p, run_prep_job *const *jobs, size_t n)
{
	return prep_queue(p, NULL, 0, jobs, n, 1);
}

void
run_learned_clear(struct run_learned *out)
{
	fm_boiler_free(out->boiler);
	free(out->fps);
	memset(out, 0, sizeof *out);
}

/* Takes a job out of the worker's hands: unqueued when it has not started (returns 1), else waited for (0). */
static int
prep_claim(run_prep *p, run_prep_job *j)
{
	int mine = 0;

	pthread_mutex_lock(&p->mu);
	if (j->state == JOB_QUEUED) {
		prep_unlink(p, j);
		j->state = JOB_DONE;
		mine = 1;
	}
	while (j->state != JOB_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return mine;
}

int
run_prep_take_feed(run_prep *p, run_prep_job *job, struct run_learned *out)
{
	int done = !prep_claim(p, job) && !job->rc;

	memset(out, 0, sizeof *out);
	if (done)
		*out = job->learned;
	else
		run_learned_clear(&job->learned);
	free(job);
	return done;
}

int
run_prep_take(run_prep *p, run_prep_job *job, fm_fp_text **text, fm_store_packed *packed)
{
	int rc;

	if (prep_claim(p, job)) {
		rc = text ? fm_fp_text_new(text, job->item) : 0;
	} else {
		if (text)
			*text = job->text;
		else
			fm_fp_text_free(job->text);
		rc = job->rc;
	}
	if (packed)
		*packed = job->packed; /* not ready when the worker did not pack it */
	else
		fm_store_packed_dispose(&job->packed);
	free(job);
	return rc;
}

void
run_prep_drop(run_prep *p, run_prep_job *job)
{
	if (!job)
		return;
	prep_claim(p, job);
	fm_fp_text_free(job->text);
	fm_store_packed_dispose(&job->packed);
	run_learned_clear(&job->learned);
	free(job);
}
