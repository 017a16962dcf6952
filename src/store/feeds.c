/* feeds.c - each feed's fetch state between runs. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* Fills fs from a row of STMT_FEED_GET / STMT_FEED_EACH; returns 0 or FM_ENOMEM. */
static int
feed_from_row(sqlite3_stmt *s, fm_feed_state *fs)
{
	int err = 0;

	memset(fs, 0, sizeof *fs);
	fs->etag = store__col_dup(s, 0, &err);
	fs->last_modified = store__col_dup(s, 1, &err);
	fs->title = store__col_dup(s, 2, &err);
	fs->link = store__col_dup(s, 3, &err);
	fs->redirect_url = store__col_dup(s, 4, &err);
	fs->last_error = store__col_dup(s, 5, &err);
	fs->last_attempt = sqlite3_column_int64(s, 6);
	fs->last_success = sqlite3_column_int64(s, 7);
	fs->next_due = sqlite3_column_int64(s, 8);
	fs->retry_after = sqlite3_column_int64(s, 9);
	fs->http_status = sqlite3_column_int(s, 10);
	fs->failures = sqlite3_column_int(s, 11);
	fs->redirect_seen = sqlite3_column_int(s, 12);
	fs->gone = sqlite3_column_int(s, 13);
	fs->items = (long)sqlite3_column_int64(s, 14);
	fs->name = store__col_dup(s, 15, &err);
	fs->url = store__col_dup(s, 16, &err);
	fs->poll_http = sqlite3_column_int64(s, 17);
	fs->poll_http_why = store__col_dup(s, 18, &err);
	fs->poll_feed = sqlite3_column_int64(s, 19);
	fs->poll_feed_why = store__col_dup(s, 20, &err);
	fs->skip_hours = (uint32_t)sqlite3_column_int64(s, 21);
	fs->skip_days = (uint8_t)sqlite3_column_int(s, 22);
	fs->next_why = store__col_dup(s, 23, &err);
	if (err)
		fm_feed_state_clear(fs);
	return err;
}

int
fm_store_feed_get(fm_store *st, const char *name, fm_feed_state *fs)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FEED_GET);
	int rc;

	memset(fs, 0, sizeof *fs);
	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		rc = feed_from_row(s, fs);
		sqlite3_reset(s);
		return rc;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return FM_EIO;
	return (fs->name = strdup(name)) ? 0 : FM_ENOMEM;
}

int
fm_store_feed_put(fm_store *st, const fm_feed_state *fs)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FEED_PUT);

	if (!s || !fs->name)
		return FM_EIO;
	store__bind_str(s, 1, fs->etag);
	store__bind_str(s, 2, fs->last_modified);
	store__bind_str(s, 3, fs->title);
	store__bind_str(s, 4, fs->link);
	store__bind_str(s, 5, fs->redirect_url);
	store__bind_str(s, 6, fs->last_error);
	sqlite3_bind_int64(s, 7, fs->last_attempt);
	sqlite3_bind_int64(s, 8, fs->last_success);
	sqlite3_bind_int64(s, 9, fs->next_due);
	sqlite3_bind_int64(s, 10, fs->retry_after);
	sqlite3_bind_int(s, 11, fs->http_status);
	sqlite3_bind_int(s, 12, fs->failures);
	sqlite3_bind_int(s, 13, fs->redirect_seen);
	sqlite3_bind_int(s, 14, fs->gone);
	sqlite3_bind_int64(s, 15, fs->items);
	store__bind_str(s, 16, fs->name);
	store__bind_str(s, 17, fs->url);
	sqlite3_bind_int64(s, 18, fs->poll_http);
	store__bind_str(s, 19, fs->poll_http_why);
	sqlite3_bind_int64(s, 20, fs->poll_feed);
	store__bind_str(s, 21, fs->poll_feed_why);
	sqlite3_bind_int64(s, 22, fs->skip_hours);
	sqlite3_bind_int(s, 23, fs->skip_days);
	store__bind_str(s, 24, fs->next_why);
	return store__step_done(s);
}

int
fm_store_feed_each(fm_store *st, int (*cb)(void *ud, const fm_feed_state *fs), void *ud)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FEED_EACH);
	fm_feed_state fs;
	int rc, ret = 0;

	if (!s)
		return FM_EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((ret = feed_from_row(s, &fs)))
			break;
		ret = cb(ud, &fs);
		fm_feed_state_clear(&fs);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = FM_EIO;
	sqlite3_reset(s);
	return ret;
}

void
fm_feed_state_clear(fm_feed_state *fs)
{
	if (!fs)
		return;
	free(fs->name);
	free(fs->url);
	free(fs->etag);
	free(fs->last_modified);
	free(fs->title);
	free(fs->link);
	free(fs->redirect_url);
	free(fs->last_error);
	free(fs->poll_http_why);
	free(fs->poll_feed_why);
	free(fs->next_why);
	memset(fs, 0, sizeof *fs);
}

int
fm_store_feed_item_times(fm_store *st, const char *name, fm_time *times, size_t n, size_t *got)
{
	sqlite3_stmt *s = store__stmt(st, STMT_FEED_ITEM_TIMES);
	int rc;

	*got = 0;
	if (!s)
		return FM_EIO;
	store__bind_str(s, 1, name);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *got < n)
		times[(*got)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : FM_EIO;
}
