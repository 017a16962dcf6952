/* lock.c - the run lock: one pass at a time per state file. */
#define _DEFAULT_SOURCE /* flock */
#include "feedmerge/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct fm_store_lock {
	int fd;
};

/* Sleeps ms milliseconds (restarting after signals). */
static void
lock_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int
fm_store_lock_take(fm_store_lock **out, const char *path, int64_t wait_ms, fm_diag *diag)
{
	fm_store_lock *lock;
	size_t len = strlen(path) + sizeof ".lock";
	char *lpath;
	int64_t waited = 0;

	*out = NULL;
	if (!(lpath = malloc(len)) || !(lock = malloc(sizeof *lock))) {
		free(lpath);
		return FM_ENOMEM;
	}
	snprintf(lpath, len, "%s.lock", path);
	/* flock, not fcntl: it belongs to this open file, and the kernel drops it when we die. */
	lock->fd = open(lpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock->fd < 0) {
		fm_diag_set(diag, 0, 0, "%s: cannot open the lock file: %s", lpath, strerror(errno));
		goto fail;
	}
	while (flock(lock->fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			fm_diag_set(diag, 0, 0, "%s: cannot lock: %s", lpath, strerror(errno));
			goto fail;
		}
		if (waited >= wait_ms) {
			fm_diag_set(diag, 0, 0,
				    "%s: another feedmerge run holds the lock (waited %lld ms); try again later",
				    lpath, (long long)waited);
			close(lock->fd);
			free(lock);
			free(lpath);
			return FM_ELIMIT;
		}
		lock_sleep_ms(50);
		waited += 50;
	}
	free(lpath);
	*out = lock;
	return 0;
fail:
	if (lock->fd >= 0)
		close(lock->fd);
	free(lock);
	free(lpath);
	return FM_EIO;
}

void
fm_store_unlock(fm_store_lock *lock)
{
	if (!lock)
		return;
	close(lock->fd); /* closing the only descriptor releases the flock */
	free(lock);
}
