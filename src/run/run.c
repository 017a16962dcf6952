/* run.c - one cron pass: due feeds through the fetcher into the state, then outputs. */
#include "run/itemcopy.h"
#include "run/prep.h"
#include "run/run_int.h"
#include "run/writer.h"
#include "feedmerge/fetch.h"
#include "feedmerge/schedule.h"
#include "parse/textutil.h"
#include "util/cpus.h"
#include "util/fsutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * A transfer's result kept past the fetcher's callback, for the writer
 * thread: the strings in one block, hints and the parse result by value.
 */
struct run_result {
	fm_fetch_result r;
	fm_fetch_hints hints;
	fm_parse_result parse;
	/* r's strings follow */
};

/*
 * One due feed while its transfer runs: its items wait here for one
 * transaction. Every due feed of a pass has one from the plan on (100,000
 * at once in the scale benchmark), so it keeps no fm_feed_state: the state
 * is read again when the feed is stored (run_store), and only what the
 * request borrows is kept.
 */
struct run_feed {
	struct run *run;
	const fm_config_feed *cfg;
	const char *url;       /* fetched: cfg->url, or the state's redirect target (in kept) */
	char *kept;            /* owns the strings the request borrows from the state (url, etag, last_modified), one block; NULL: none */
	struct run_got *got;   /* what its transfer brought, from the first callback until stored (owned; NULL: nothing yet) */
	fm_time next_due;      /* the state's, once stored (stored = 1) */
	signed char has_items; /* the state holds items of this feed: 1, 0, -1 not asked (no jobs then) */
	unsigned char fresh;   /* no items and no boilerplate counts in the state: the worker may learn (clustered) */
	unsigned char oom;     /* an item could not be kept */
	unsigned char stopped; /* the transfer was stopped (when its result could not be kept) */
	unsigned char stored;  /* this pass wrote its state back (next_due and gone are its) */
	unsigned char gone;    /* the stored state says gone (410) */
};

/* What a feed's transfer brought, kept until the feed is stored (made when the first of it comes). */
struct run_got {
	fm_item **items;
	run_prep_job **jobs;   /* per item: its text being prepared (a new item), or NULL */
	run_prep_job *learn;   /* a fresh feed's learning, queued after its items' jobs, or NULL */
	size_t nitems, aitems;
	char *title, *link;    /* the feed's own metadata */
	struct run_result *res; /* the transfer's end while it waits for the writer (owned; NULL: none kept) */
};

/* The pass. */
struct run {
	const fm_config *cfg;
	const fm_run_opts *opts;
	fm_run_report *rep;
	fm_store *st;
	fm_clusterer *cl;      /* near-duplicate clustering, loaded when the first new item comes */
	run_prep *prep;        /* prepares new items' text while transfers go on; NULL: inline */
	run_writer *writer;    /* stores finished feeds while transfers go on; NULL: in run_done */
	int cl_tried;          /* it was loaded (or failed to load) */
	fm_time now;
	size_t done, total;
	int store_failed;      /* a feed's transaction failed: the state is unusable */
	unsigned batch_feeds;  /* feeds stored in the open batch (0: none open) */
	struct timespec batch_t0; /* when it was opened */
};

/*
 * Feeds' results are committed together: one commit per RUN_BATCH_FEEDS
 * feeds or RUN_BATCH_MS milliseconds, whichever comes first (each feed is
 * still a savepoint of its own: whole or absent after a crash). A commit
 * per feed wrote a WAL frame per feed, and a pass of 10,000 304s is 10,000
 * row updates.
 */
#define RUN_BATCH_FEEDS 256
#define RUN_BATCH_MS 1000

/*
 * Finished feeds waiting for the writer at most: when it is this far
 * behind, the fetching thread waits. Each holds its items, their prepared
 * text and packed values. Feeds come in bursts (10-200 KB each), and with
 * 8 the fetching thread waited for room 4 s of a 12.4 s cold pass over
 * 10,000 feeds while the writer waited 2 s for work (sched_switch
 * traces). Cold wall, four alternating runs each: 8 -> 12.6 s, 32 ->
 * 11.4 s, 64 -> 11.1 s; peak RSS 150, 152-155 and 163 MB.
 */
#define RUN_WRITER_QUEUE 32

void
run__problem(const fm_run_opts *opts, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!opts->problem)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	opts->problem(opts->ud, line);
}

/*
 * Hands a new item to the text worker as soon as it is parsed (to pack its
 * text, and prepare it for fingerprinting in a clustered feed): every item
 * of a feed the state has no item of (has_items, asked when the pass was
 * planned) is new. NULL for any other item, or on any error: the ingest
 * then looks the item up and prepares its text itself, and the store packs
 * it. A job thus marks an item the state does not have. The state is not
 * asked here: while transfers run, only the writer thread uses it.
 */
static run_prep_job *
run_prep_new_item(struct run_feed *rf, const fm_item *item)
{
	if (!rf->run->prep || rf->has_items != 0)
		return NULL;
	return run_prep_add(rf->run->prep, item, rf->cfg->cluster);
}

/* Returns rf->got, made when missing; NULL on ENOMEM. */
static struct run_got *
run_got(struct run_feed *rf)
{
	if (!rf->got)
		rf->got = calloc(1, sizeof *rf->got);
	return rf->got;
}

/* Frees rf->got and what it holds (items, their jobs, metadata, a kept result). */
static void
run_got_free(struct run_feed *rf)
{
	struct run_got *g = rf->got;
	size_t i;

	if (!g)
		return;
	run_prep_drop(rf->run->prep, g->learn); /* before the item jobs it reads */
	for (i = 0; i < g->nitems; i++) {
		run_prep_drop(rf->run->prep, g->jobs[i]);
		free(g->items[i]);
	}
	free(g->items);
	free(g->jobs);
	free(g->title);
	free(g->link);
	free(g->res);
	free(g);
	rf->got = NULL;
}

/*
 * A title as stored and published: one line, inner runs of white space
 * made one space (the parser keeps plain-text titles as written). Returns
 * title itself when nothing changes, else the collapsed copy in buf (NULL
 * when out of memory).
 */
static const char *
run_title(fm_buf *buf, const char *title)
{
	if (!title || (!strpbrk(title, "\t\n\r\f") && !strstr(title, "  ")))
		return title;
	return fm__collapse_space(buf, title, strlen(title)) ? NULL : fm_buf_cstr(buf);
}

/* Keeps a copy of item (whose title is already as stored) with the feed's others; returns 0 or FM_ENOMEM. */
static int
run_keep(struct run_feed *rf, struct run_got *g, fm_item *item)
{
	fm_item *copy;

	if (g->nitems == g->aitems) {
		size_t n = g->aitems ? g->aitems * 2 : 32;
		fm_item **v = realloc(g->items, n * sizeof *v);
		run_prep_job **j;

		if (!v)
			return FM_ENOMEM;
		g->items = v;
		if (!(j = realloc(g->jobs, n * sizeof *j)))
			return FM_ENOMEM;
		g->jobs = j;
		g->aitems = n;
	}
	item->feed = rf->cfg->name;
	if (!(copy = fm__item_copy(item)))
		return FM_ENOMEM;
	g->jobs[g->nitems] = run_prep_new_item(rf, copy);
	g->items[g->nitems++] = copy;
	return 0;
}

/* Parser callback: keeps a copy of an item the feed's include/exclude wants. */
static int
run_item(const fm_item *item, void *ud)
{
	struct run_feed *rf = ud;
	const char *text = item->content ? item->content : item->summary;
	fm_item tmp = *item;
	fm_buf title = FM_BUF_INIT;
	struct run_got *g;
	int rc = 0;

	if (!(tmp.title = run_title(&title, item->title)) && item->title)
		rc = FM_ENOMEM;
	else if (fm_config_feed_wants(rf->cfg, tmp.title, text))
		rc = (g = run_got(rf)) ? run_keep(rf, g, &tmp) : FM_ENOMEM;
	fm_buf_dispose(&title);
	if (rc)
		rf->oom = 1;
	return rc;
}

/* Parser callback: the feed's own title and home page (none kept without memory, as before). */
static int
run_feed_meta(const fm_feed *feed, void *ud)
{
	struct run_feed *rf = ud;
	struct run_got *g = run_got(rf);
	fm_buf buf = FM_BUF_INIT;
	const char *title;

	if (!g)
		return 0;
	free(g->title);
	free(g->link);
	title = run_title(&buf, feed->title);
	g->title = title ? strdup(title) : NULL;
	g->link = feed->link ? strdup(feed->link) : NULL;
	fm_buf_dispose(&buf);
	return 0;
}

/* Replaces *dst with a copy of src (NULL allowed). */
static void
run_set(char **dst, const char *src)
{
	if (*dst == src)
		return;
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

/*
 * Learns the publisher's floors from a success: the HTTP one from any 200
 * or a 304 that carries its own Cache-Control/Expires (else the last one
 * stays), the feed's (ttl, sy:, skipHours/Days) from a parsed body. Then
 * plans the next fetch (fm_sched_plan), with interval = auto worked out
 * from the feed's newest items (inside the pass's transaction, so this
 * fetch's new items count).
 */
static void
run_plan_next(struct run_feed *rf, fm_feed_state *fs, const fm_fetch_result *r, int ok)
{
	const fm_config_feed *cf = rf->cfg;
	fm_sched_input in;
	fm_time times[FM_SCHED_AUTO_ITEMS];
	char why[FM_SCHED_WHY_BUFSZ], iwhy[FM_SCHED_WHY_BUFSZ], b[FM_CONFIG_UNIT_BUFSZ];
	int64_t floor;
	size_t n = 0;
	int said;

	if (ok) {
		said = fm_sched_http_floor(&floor, why, r->cache_control, r->expires, r->date, rf->run->now);
		if (said || r->outcome == FM_FETCH_OK) {
			fs->poll_http = floor;
			run_set(&fs->poll_http_why, said ? why : NULL);
		}
		if (r->outcome == FM_FETCH_OK && r->hints) {
			fs->poll_feed = fm_sched_feed_floor(why, r->hints->ttl, r->hints->sy_seconds);
			run_set(&fs->poll_feed_why, fs->poll_feed ? why : NULL);
			fs->skip_hours = r->hints->skip_hours;
			fs->skip_days = r->hints->skip_days;
		}
	}
	memset(&in, 0, sizeof in);
	in.now = rf->run->now;
	in.interval = cf->interval;
	snprintf(iwhy, sizeof iwhy, "interval %s", fm_config_duration_format(b, cf->interval));
	if (cf->interval_auto) {
		if (fm_store_feed_item_times(rf->run->st, cf->name, times, FM_SCHED_AUTO_ITEMS, &n))
			n = 0;
		in.interval = fm_sched_auto_interval(times, n, cf->max_interval, cf->interval);
		snprintf(iwhy, sizeof iwhy, "auto: %s%s", fm_config_duration_format(b, in.interval),
			 n < 2 ? " (too few items yet)" : "");
	}
	in.interval_why = iwhy;
	in.failures = fs->failures;
	in.http_floor = fs->poll_http;
	in.http_why = fs->poll_http_why;
	in.feed_floor = fs->poll_feed;
	in.feed_why = fs->poll_feed_why;
	in.skip_hours = fs->skip_hours;
	in.skip_days = fs->skip_days;
	in.max_interval = cf->max_interval;
	in.retry_after = fs->retry_after;
	in.rnd = fm_sched_random();
	fs->next_due = fm_sched_plan(&in, why);
	run_set(&fs->next_why, why);
}

/* Folds a transfer's result into the feed's state fs (fetch times, validators, backoff, redirects). */
static void
run_update_state(struct run_feed *rf, fm_feed_state *fs, const fm_fetch_result *r, int ok)
{
	fm_time now = rf->run->now;

	fs->last_attempt = now;
	fs->http_status = r->http_status;
	run_set(&fs->last_error, r->error);
	if (ok) {
		fs->failures = 0;
		fs->last_success = now;
		if (r->outcome == FM_FETCH_OK) {
			/* Validators from the very first fetch; none sent back means none kept. */
			run_set(&fs->etag, r->etag);
			run_set(&fs->last_modified, r->last_modified);
			fs->items = r->parse ? (long)r->parse->items : 0;
			if (rf->got && rf->got->title)
				run_set(&fs->title, rf->got->title);
			if (rf->got && rf->got->link)
				run_set(&fs->link, rf->got->link);
		} else {
			if (r->etag)
				run_set(&fs->etag, r->etag);
			if (r->last_modified)
				run_set(&fs->last_modified, r->last_modified);
		}
	} else {
		fs->failures++;
	}
	if (r->http_status == 410)
		fs->gone = 1;
	if (r->http_status == 429 || r->http_status == 503)
		fs->retry_after = fm_sched_retry_after(r->retry_after, now);
	run_plan_next(rf, fs, r, ok);
	/* A permanent redirect is used once FM_SCHED_REDIRECT_GRACE fetches in a row saw it. */
	if (r->permanent_url && ok) {
		if (fs->redirect_url && !strcmp(fs->redirect_url, r->permanent_url)) {
			fs->redirect_seen++;
		} else {
			/* rf->url is rf's own copy (kept), not fs's: replacing this leaves it. */
			run_set(&fs->redirect_url, r->permanent_url);
			fs->redirect_seen = 1;
		}
	} else if (ok && !strcmp(rf->url, rf->cfg->url)) {
		run_set(&fs->redirect_url, NULL);
		fs->redirect_seen = 0;
	}
}

/*
 * Ingest callback: the clusterer, loaded with [dedup]'s knobs the first
 * time a clustered feed brings an item the state has not seen, so a pass
 * of 304s never pays for reading the fingerprints (open 1); open 0 only
 * asks for it when loaded already. NULL (and *rc set) when it cannot be
 * loaded.
 */
static fm_clusterer *
run_clusterer(void *ud, int open, int *rc)
{
	struct run *run = ud;
	const fm_config_dedup *d = fm_config_get_dedup(run->cfg);
	fm_dedup_params p;

	*rc = 0;
	if (open && !run->cl_tried) {
		run->cl_tried = 1;
		fm_dedup_defaults(&p);
		p.threshold = d->threshold;
		*rc = run__clusterer_open(&run->cl, run->st, &p, d->window, run->now);
	}
	return run->cl;
}

/* Seconds since an earlier CLOCK_MONOTONIC reading. */
static double
run_elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Commits the open batch of feeds' results, if any; returns 0 or FM_EIO. */
static int
run_batch_end(struct run *run)
{
	if (!run->batch_feeds)
		return 0;
	run->batch_feeds = 0;
	return fm_store_batch_end(run->st);
}

/* A state about another URL than the configured one is forgotten (the user edited the file). */
static int
run_reset_if_moved(fm_feed_state *fs, const char *url)
{
	char *name;

	if (fs->url && !strcmp(fs->url, url))
		return 0;
	name = fs->name;
	fs->name = NULL;
	fm_feed_state_clear(fs);
	fs->name = name;
	return (fs->url = strdup(url)) ? 0 : FM_ENOMEM;
}

/*
 * Reads the state of feed cf into fs (a feed never seen: its name only),
 * forgotten when it is about another URL. fs is the caller's to clear with
 * fm_feed_state_clear(), on failure too. Returns 0, FM_EIO or FM_ENOMEM.
 */
static int
run_state_load(struct run *run, const fm_config_feed *cf, fm_feed_state *fs)
{
	int rc;

	memset(fs, 0, sizeof *fs);
	if ((rc = fm_store_feed_get(run->st, cf->name, fs)))
		return rc;
	return run_reset_if_moved(fs, cf->url);
}

/* Stores a finished feed: items and state in one transaction. Returns 0 or an FM_E* code. */
static int
run_store(struct run_feed *rf, const fm_fetch_result *r, int ok, long *new_items)
{
	struct run *run = rf->run;
	struct run_ingest counts = { 0, 0, 0, 0 };
	fm_feed_state fs;
	int rc;

	if (!run->batch_feeds) {
		if ((rc = fm_store_batch_begin(run->st)))
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &run->batch_t0);
	}
	run->batch_feeds++;
	if ((rc = fm_store_begin(run->st)))
		return rc;
	/* The state as the plan read it: only this pass writes it (the lock), and not before now. */
	rc = run_state_load(run, rf->cfg, &fs);
	if (!rc)
		rc = run__ingest(run->st, run_clusterer, run, run->prep, rf->got ? rf->got->jobs : NULL,
				 rf->got ? rf->got->learn : NULL,
				 rf->cfg, rf->got ? rf->got->items : NULL, rf->got ? rf->got->nitems : 0,
				 run->now, &counts);
	if (rf->got)
		rf->got->learn = NULL; /* run__ingest took it */
	if (!rc) {
		run_update_state(rf, &fs, r, ok);
		rc = fm_store_feed_put(run->st, &fs);
	}
	if (!rc)
		rc = fm_store_commit(run->st);
	else
		fm_store_rollback(run->st);
	if (!rc) {
		rf->stored = 1;
		rf->next_due = fs.next_due;
		rf->gone = fs.gone != 0;
	}
	fm_feed_state_clear(&fs);
	if (!rc) {
		*new_items = counts.new_items;
		run->rep->changed_items += counts.changed;
		run->rep->joined += counts.joined;
	}
	if (!rc && (run->batch_feeds >= RUN_BATCH_FEEDS || run_elapsed(&run->batch_t0) * 1000 >= RUN_BATCH_MS))
		rc = run_batch_end(run);
	return rc;
}

/* A dry run's count of the items the state has not seen (nothing is stored). */
static long
run_count_new(const struct run_feed *rf)
{
	size_t i;
	long n = 0;
	int known;

	for (i = 0; rf->got && i < rf->got->nitems; i++)
		if (!fm_store_item_known(rf->run->st, rf->cfg->name, rf->cfg->identity, rf->got->items[i], &known) &&
		    !known)
			n++;
	return n;
}

/*
 * Stores a feed whose transfer ended (on the writer thread, or in run_done
 * without one), then frees what the transfer brought (rf->got).
 */
static void
run_finish(struct run_feed *rf, const fm_fetch_result *r)
{
	struct run *run = rf->run;
	fm_run_feed info;
	int ok = r->outcome == FM_FETCH_OK || r->outcome == FM_FETCH_NOT_MODIFIED;
	long new_items = 0;

	memset(&info, 0, sizeof info);
	if (rf->oom)
		ok = 0; /* the items that fitted are still stored */
	if (r->outcome == FM_FETCH_STOPPED) {
		run->done++;
		run_got_free(rf); /* r may be its kept result */
		return;
	}
	if (run->opts->dry_run)
		new_items = run_count_new(rf);
	else if (!run->store_failed && run_store(rf, r, ok, &new_items)) {
		run->store_failed = 1;
		run__problem(run->opts, "feed %s: cannot save to the state", rf->cfg->name);
	}
	if (r->outcome == FM_FETCH_NOT_MODIFIED)
		run->rep->not_modified++;
	else if (ok)
		run->rep->fetched++;
	else
		run->rep->failed++;
	run->rep->new_items += new_items;
	if (!ok || r->error)
		run__problem(run->opts, "feed %s: %s%s: %s", rf->cfg->name, ok ? "warning: " : "",
			     rf->url, rf->oom ? "out of memory" : r->error ? r->error : "failed");
	run->done++;
	info.name = rf->cfg->name;
	info.url = rf->url;
	info.ok = ok;
	info.not_modified = r->outcome == FM_FETCH_NOT_MODIFIED;
	info.http_status = r->http_status;
	info.items = r->parse ? (long)r->parse->items : 0;
	info.new_items = new_items;
	info.error = r->error;
	if (run->opts->feed_done)
		run->opts->feed_done(run->opts->ud, &info, run->done, run->total);
	run_got_free(rf); /* last: r may be its kept result */
}

/* The bytes run_keep_str takes for s (its NUL included; none for NULL). */
static size_t
run_keep_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Appends a copy of s to the block at *at (sized with run_keep_size); returns the copy or NULL. */
static const char *
run_keep_str(char **at, const char *s)
{
	size_t n;
	char *copy;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	copy = memcpy(*at, s, n);
	*at += n;
	return copy;
}

/* Points s at the string fields of r (RUN_RESULT_NSTR of them). */
#define RUN_RESULT_NSTR 8
static void
run_result_strs(fm_fetch_result *r, const char **s[RUN_RESULT_NSTR])
{
	s[0] = &r->error;
	s[1] = &r->etag;
	s[2] = &r->last_modified;
	s[3] = &r->retry_after;
	s[4] = &r->cache_control;
	s[5] = &r->expires;
	s[6] = &r->date;
	s[7] = &r->permanent_url;
}

/*
 * Copies r, with its strings, into one block at rf->got->res for the writer;
 * returns 0 or FM_ENOMEM (nothing kept). Only feeds whose transfer ended
 * hold one: a result is about 1.3 KB, and kept in every feed of the pass
 * it came to 130 MB at 100,000 feeds.
 */
static int
run_keep_result(struct run_feed *rf, const fm_fetch_result *r)
{
	const char **strs[RUN_RESULT_NSTR];
	fm_fetch_result src = *r;
	struct run_result *k;
	size_t need = 0, i;
	char *at;

	run_result_strs(&src, strs); /* src: a copy, so the same field list sizes r's strings */
	for (i = 0; i < RUN_RESULT_NSTR; i++)
		need += run_keep_size(*strs[i]);
	if (!run_got(rf) || !(k = malloc(sizeof *k + need)))
		return FM_ENOMEM;
	k->r = *r;
	at = (char *)(k + 1);
	run_result_strs(&k->r, strs);
	for (i = 0; i < RUN_RESULT_NSTR; i++)
		*strs[i] = run_keep_str(&at, *strs[i]);
	if (r->hints)
		k->hints = *r->hints;
	k->r.hints = r->hints ? &k->hints : NULL;
	if (r->parse)
		k->parse = *r->parse;
	k->r.parse = r->parse ? &k->parse : NULL;
	rf->got->res = k;
	return 0;
}

/* Writer job: stores one finished feed. */
static void
run_write(void *ud, void *job)
{
	struct run_feed *rf = job;
	fm_fetch_result failed;

	(void)ud;
	if (rf->got && rf->got->res) {
		run_finish(rf, &rf->got->res->r); /* frees it */
		return;
	}
	/* No memory for the copy: the feed counts as failed, out of memory (its state is kept). */
	memset(&failed, 0, sizeof failed);
	failed.outcome = rf->stopped ? FM_FETCH_STOPPED : FM_FETCH_FAILED;
	run_finish(rf, &failed);
}

/* 1 when the state keeps no boilerplate counts for feed (0 when it does, or cannot say). */
static int
run_no_boiler(fm_store *st, const char *feed)
{
	fm_buf blob = FM_BUF_INIT;
	int none = !fm_store_boiler_get(st, feed, &blob) && !blob.size;

	fm_buf_dispose(&blob);
	return none;
}

/*
 * The feed goes to the writer next: its items' jobs move to the front of
 * the worker's queue (else the writer, the pass's critical path, waited
 * for the worker to finish other feeds' items first). When the feed is
 * fresh and all its items went to the worker, the worker also learns the
 * feed's boilerplate from them and fingerprints them, after their jobs,
 * so the writer only stores. Without that, or without memory for it, the
 * writer learns as before.
 */
static void
run_worker_next(struct run_feed *rf)
{
	struct run_got *g = rf->got;
	size_t i;

	if (!g || !g->nitems || g->learn || !rf->run->prep)
		return;
	/* The writer takes this feed next: its jobs go first. */
	run_prep_hurry(rf->run->prep, g->jobs, g->nitems);
	if (!rf->fresh)
		return;
	for (i = 0; i < g->nitems; i++)
		if (!g->jobs[i])
			return;
	g->learn = run_prep_add_feed(rf->run->prep, g->jobs, g->nitems);
}

/*
 * Fetcher callback: one feed's transfer ended. With a writer thread the
 * result is copied and the feed queued for it (blocking while the writer
 * is that far behind); else it is stored here.
 */
static void
run_done(void *ud, const fm_fetch_result *r)
{
	struct run_feed *rf = ud;

	if (!rf->run->writer) {
		run_finish(rf, r);
		return;
	}
	if (run_keep_result(rf, r)) {
		rf->oom = 1;
		rf->stopped = r->outcome == FM_FETCH_STOPPED;
	}
	run_worker_next(rf);
	run_writer_put(rf->run->writer, rf);
}

/* Frees what a run_feed holds. */
static void
run_feed_dispose(struct run_feed *rf)
{
	run_got_free(rf);
	free(rf->kept);
}

/*
 * Copies the strings of fs the request borrows (the redirect target when
 * it is fetched, etag, last_modified) into one block owned by rf->kept and
 * points rf->url and req at them; returns 0 or FM_ENOMEM. Most feeds of a
 * first pass have none of them: no block then.
 */
static int
run_keep_req(struct run_feed *rf, const fm_feed_state *fs, const char *redirect, fm_fetch_req *req)
{
	const char *src[3] = { redirect, fs->etag, fs->last_modified };
	const char **dst[3] = { &rf->url, &req->etag, &req->last_modified };
	size_t need = 0, i;
	char *at;

	for (i = 0; i < 3; i++)
		need += run_keep_size(src[i]);
	if (!need)
		return 0;
	if (!(rf->kept = at = malloc(need)))
		return FM_ENOMEM;
	for (i = 0; i < 3; i++)
		if (src[i]) /* rf->url stays the configured URL without a redirect */
			*dst[i] = run_keep_str(&at, src[i]);
	return 0;
}

/* Decides for every configured feed; queues the due ones. */
static int
run_plan(struct run *run, fm_fetch *f, struct run_feed *feeds, size_t *nfeeds)
{
	size_t i, n = fm_config_feed_count(run->cfg);
	int rc;

	*nfeeds = 0;
	for (i = 0; i < n; i++) {
		const fm_config_feed *cf = fm_config_feed_at(run->cfg, i);
		struct run_feed *rf = &feeds[*nfeeds];
		fm_feed_state fs;
		fm_fetch_req req;
		const char *redirect;
		int has_items;

		if (!cf->enabled) {
			run->rep->skipped++;
			continue;
		}
		memset(rf, 0, sizeof *rf);
		if ((rc = run_state_load(run, cf, &fs))) {
			fm_feed_state_clear(&fs);
			return rc;
		}
		if (fm_sched_due(&fs, run->now, run->opts->force) != FM_SCHED_DUE) {
			if (!fs.gone && (!run->rep->next_due || fs.next_due < run->rep->next_due))
				run->rep->next_due = fs.next_due;
			run->rep->skipped++;
			fm_feed_state_clear(&fs);
			continue;
		}
		rf->run = run;
		rf->cfg = cf;
		rf->has_items = -1;
		/*
		 * A feed never fetched may bring only new items: asked now, before
		 * transfers start, so that its items' text can be prepared as they
		 * are parsed (see run_prep_new_item). Feeds fetched before are not
		 * asked: the pass of 304s this would slow down is the common one.
		 */
		if (run->prep && !fs.last_success && !fm_store_feed_has_items(run->st, cf->name, &has_items))
			rf->has_items = has_items != 0;
		if (rf->has_items == 0 && cf->cluster)
			rf->fresh = run_no_boiler(run->st, cf->name);
		redirect = fs.redirect_url && fs.redirect_seen >= FM_SCHED_REDIRECT_GRACE
			? fs.redirect_url : NULL;
		/* Credentials and headers go only to the host they were configured for. */
		if (redirect && (cf->username || cf->nheaders) && !fm_fetch_same_host(redirect, cf->url))
			redirect = NULL;
		memset(&req, 0, sizeof req);
		rf->url = cf->url;
		rc = run_keep_req(rf, &fs, redirect, &req);
		fm_feed_state_clear(&fs);
		if (rc)
			return rc;
		req.url = rf->url;
		req.user_agent = cf->user_agent;
		req.encoding = cf->encoding;
		req.username = cf->username;
		req.password = cf->password;
		req.headers = cf->headers;
		req.nheaders = cf->nheaders;
		req.proxy = cf->proxy;
		req.ca_file = cf->ca_file;
		req.insecure = !cf->tls_verify;
		req.ud = rf;
		(*nfeeds)++;
		if ((rc = fm_fetch_add(f, &req)))
			return rc;
	}
	run->total = *nfeeds;
	return 0;
}

/* Fetches the due feeds into the state. */
static int
run_fetch(struct run *run)
{
	const fm_config_main *m = fm_config_get_main(run->cfg);
	size_t nfeeds = 0, i;
	struct run_feed *feeds;
	fm_fetch_opts fo = { m->concurrency, m->per_host, m->timeout, m->max_feed_size, 0,
			     (fm_fetch_conn)run->opts->connections };
	fm_fetch_counts fc;
	fm_fetch_cbs cbs = { run_item, run_feed_meta, run_done };
	fm_fetch *f = NULL;
	int rc;

	if (!(feeds = calloc(fm_config_feed_count(run->cfg) + 1, sizeof *feeds)))
		return FM_ENOMEM;
	if (!(rc = fm_fetch_new(&f, &fo, &cbs)) && !(rc = run_plan(run, f, feeds, &nfeeds))) {
		/* Beside the text worker (two CPUs or more), a writer thread stores finished feeds. */
		if (run->prep && run_writer_start(&run->writer, run_write, run, RUN_WRITER_QUEUE))
			run->writer = NULL;
		rc = fm_fetch_run(f, run->opts->stop);
		run_writer_stop(run->writer);
		run->writer = NULL;
	}
	if (f) {
		fm_fetch_counts_get(&fc, f);
		run->rep->transfers = fc.transfers;
		run->rep->connections = fc.connections;
	}
	fm_fetch_free(f);
	for (i = 0; i < nfeeds; i++) {
		if (feeds[i].stored && !feeds[i].gone &&
		    (!run->rep->next_due || feeds[i].next_due < run->rep->next_due))
			run->rep->next_due = feeds[i].next_due;
		run_feed_dispose(&feeds[i]);
	}
	free(feeds);
	return rc;
}

/* Drops items older than keep, in one transaction. */
static int
run_prune(struct run *run)
{
	int64_t keep = fm_config_get_main(run->cfg)->keep;
	int rc;

	if (!keep)
		return 0;
	if ((rc = fm_store_begin(run->st)))
		return rc;
	if ((rc = fm_store_prune(run->st, run->now - keep, &run->rep->pruned))) {
		fm_store_rollback(run->st);
		return rc;
	}
	return fm_store_commit(run->st);
}

int
fm_run_exit_status(int rc, const fm_run_report *rep)
{
	if (rc == FM_ELIMIT)
		return FM_RUN_LOCKED;
	if (rc || rep->outputs_failed)
		return FM_RUN_NOWRITE;
	return rep->failed ? FM_RUN_PARTIAL : FM_RUN_OK;
}

int
fm_run_summary(fm_buf *out, const fm_run_report *rep, double seconds, int dry_run)
{
	return fm_buf_printf(out, "%s%zu fetched, %zu not modified, %zu failed, %zu skipped; "
			     "%ld new items, %ld changed, %ld joined a story; %zu of %zu outputs written; %.1f s",
			     dry_run ? "dry run: " : "", rep->fetched, rep->not_modified, rep->failed,
			     rep->skipped, rep->new_items, rep->changed_items, rep->joined,
			     rep->outputs_written, rep->outputs, seconds);
}

/*
 * Records how the pass ended in the state, in a transaction of its own, so
 * a daemon's /healthz (or `status`) sees the last pass whoever ran it.
 * why is the one-line reason of a failed pass. A failure is a problem line.
 */
static void
run_record(struct run *run, int rc, const char *why, const struct timespec *t0)
{
	fm_store_pass p;
	fm_buf b = FM_BUF_INIT;

	p.started = run->now;
	p.finished = (fm_time)time(NULL);
	p.status = fm_run_exit_status(rc, run->rep);
	if (rc)
		fm_buf_puts(&b, why && why[0] ? why : fm_strerror(rc));
	else
		fm_run_summary(&b, run->rep, run_elapsed(t0), 0);
	p.summary = (char *)fm_buf_cstr(&b);
	fm_store_rollback(run->st); /* a failed feed's transaction may still be open */
	if (fm_store_begin(run->st) || fm_store_pass_put(run->st, &p) || fm_store_commit(run->st)) {
		fm_store_rollback(run->st);
		run__problem(run->opts, "%s: cannot record the pass in the state",
			     fm_config_get_main(run->cfg)->state);
	}
	fm_buf_dispose(&b);
}

int
fm_run_pass(const fm_config *cfg, const fm_run_opts *opts, fm_run_report *rep, fm_diag *diag)
{
	const fm_config_main *m = fm_config_get_main(cfg);
	struct run run;
	fm_store_lock *lock = NULL;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(rep, 0, sizeof *rep);
	memset(&run, 0, sizeof run);
	run.cfg = cfg;
	run.opts = opts;
	run.rep = rep;
	run.now = opts->now ? opts->now : (fm_time)time(NULL);
	rep->outputs = fm_config_output_count(cfg);
	if (!opts->dry_run && (rc = fm__mkdir_parent(m->state, diag)))
		return rc;
	if (!opts->dry_run && (rc = fm_store_lock_take(&lock, m->state, m->lock_wait * 1000, diag)))
		return rc;
	/* A dry run changes nothing: with no state yet, it works on an empty one in memory. */
	if ((rc = fm_store_open(&run.st, opts->dry_run && access(m->state, F_OK) ? ":memory:" : m->state,
				diag)))
		goto done;
	/*
	 * A second thread prepares new items' text while transfers go on; on a
	 * single CPU it would only add hand-offs, so the ingest does it there
	 * (measured: the thread's locking and switches cost ~5% of a cold pass
	 * on one core).
	 */
	if (!opts->dry_run && fm__cpus_usable() > 1 && run_prep_start(&run.prep, run.st))
		run.prep = NULL;
	rc = run_fetch(&run);
	run_prep_stop(run.prep);
	if (run_batch_end(&run))
		run.store_failed = 1;
	if (rc) {
		fm_diag_set(diag, 0, 0, "fetching: %s", fm_strerror(rc));
		goto done;
	}
	if (run.store_failed) {
		fm_diag_set(diag, 0, 0, "%s: cannot write the state", m->state);
		rc = FM_EIO;
		goto done;
	}
	if (opts->dry_run)
		goto done;
	if ((rc = run_prune(&run))) {
		fm_diag_set(diag, 0, 0, "%s: cannot prune old items", m->state);
		goto done;
	}
	if ((rc = run__write_outputs(cfg, run.st, run.now, opts, rep)))
		fm_diag_set(diag, 0, 0, "%zu of %zu outputs could not be written",
			    rep->outputs_failed, rep->outputs);
done:
	if (lock && run.st)
		run_record(&run, rc, diag ? diag->msg : NULL, &t0);
	fm_clusterer_free(run.cl);
	fm_store_close(run.st);
	fm_store_unlock(lock);
	return rc;
}
