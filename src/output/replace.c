/* replace.c - replacing a file atomically: temporary file, fsync, rename, fsync the folder. */
#include "feedmerge/output.h"
#include "feedmerge/error.h"
#include "util/fsutil.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The longest basename a temporary name repeats, so ".NAME.XXXXXX" stays under NAME_MAX (255). */
#define REPLACE_BASE_MAX 200
/* How many temporary names are tried before giving up. */
#define REPLACE_TRIES 100

/* Returns 1 when path is a regular file holding exactly data[0..len), else 0 (errors count as different). */
static int
replace_same(const char *path, const void *data, size_t len)
{
	const char *p = data;
	char chunk[65536];
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size != len)
		goto out;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			break;
		if (n < 0 || (size_t)n > len - done || memcmp(chunk, p + done, (size_t)n))
			goto out;
		done += (size_t)n;
	}
	same = done == len;
out:
	close(fd);
	return same;
}

/*
 * Creates a new temporary file "DIR/.BASE.XXXXXX" for writing and stores
 * its descriptor and (allocated) name. Not mkstemp: its 0600 would need an
 * fchmod to 0666 & ~umask, and reading the umask means changing it, which
 * races with other threads. open(O_EXCL, 0666) lets the kernel apply the
 * umask (and a default ACL), and O_EXCL never follows or reuses a name.
 * Returns 0, FM_ENOMEM, or FM_EIO with diag set.
 */
static int
replace_open_temp(int *fd, char **tmp, const char *path, const char *dir,
		  const char *base, fm_diag *diag)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz012345";
	size_t blen = strlen(base), dlen = strlen(dir), at;
	struct timespec ts;
	uint32_t seed;
	int i, j;

	if (blen > REPLACE_BASE_MAX)
		blen = REPLACE_BASE_MAX;
	if (!(*tmp = malloc(dlen + blen + 10)))
		return FM_ENOMEM;
	at = (size_t)sprintf(*tmp, "%s%s.%.*s.", dir, dir[dlen - 1] == '/' ? "" : "/",
			     (int)blen, base);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	seed = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec << 20 ^ (uint32_t)getpid() << 8;
	for (i = 0; i < REPLACE_TRIES; i++) {
		uint32_t x = seed += 0x9e3779b9u; /* golden-ratio step: a new name per try */

		x ^= x >> 15;
		x *= 0x2c1b3c6du;
		x ^= x >> 12;
		for (j = 0; j < 6; j++, x >>= 5)
			(*tmp)[at + (size_t)j] = alphabet[x & 31];
		(*tmp)[at + 6] = '\0';
		if ((*fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	fm_diag_set(diag, 0, 0, "%s: cannot create temporary file %s: %s", path, *tmp,
		    strerror(errno));
	free(*tmp);
	*tmp = NULL;
	return FM_EIO;
}

/* Writes all len bytes, through short writes and EINTR; returns 0 or -1 with errno set. */
static int
replace_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes data to the open temporary file, syncs and closes it (always) and renames it over path; returns NULL, or what failed with errno set. */
static const char *
replace_commit(int fd, const char *tmp, const char *path, const char *data, size_t len)
{
	const char *what = NULL;
	int saved;

	if (replace_write_all(fd, data, len) < 0)
		what = "cannot write";
	else if (fsync(fd) < 0)
		what = "cannot sync";
	saved = errno;
	if (close(fd) < 0 && !what) {
		what = "cannot close";
		saved = errno;
	}
	if (!what && rename(tmp, path) < 0) {
		what = "cannot rename";
		saved = errno;
	}
	errno = saved;
	return what;
}

/* Flushes the folder so the rename itself is durable; returns 0 or -1 with errno set (EINVAL, a folder that cannot be synced, counts as success). */
static int
replace_sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	if (rc < 0 && errno == EINVAL)
		rc = 0;
	if (rc < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

int
fm_output_replace(const char *path, const void *data, size_t len,
		  int *written, fm_diag *diag)
{
	const char *base, *what = NULL;
	char *dir = NULL, *tmp = NULL;
	int fd = -1, error = 0;

	assert(path && *path && (data || !len));
	if (written)
		*written = 0;
	if (replace_same(path, data, len))
		return 0;
	if ((error = fm__path_split(path, &dir, &base)) < 0) {
		fm_diag_set(diag, 0, 0, "%s: %s", path, fm_strerror(error));
		goto out;
	}
	if ((error = fm__mkdirs(path, dir, diag)) < 0 ||
	    (error = replace_open_temp(&fd, &tmp, path, dir, base, diag)) < 0)
		goto out;
	what = replace_commit(fd, tmp, path, data, len);
	fd = -1;
	if (what) {
		fm_diag_set(diag, 0, 0, "%s: %s %s: %s", path, what, tmp, strerror(errno));
		error = FM_EIO;
		goto out;
	}
	free(tmp);
	tmp = NULL; /* renamed: nothing left to remove */
	if (written)
		*written = 1;
	if (replace_sync_dir(dir) < 0) {
		/* The new file is in place but its name may not survive a crash. */
		fm_diag_set(diag, 0, 0, "%s: cannot sync folder %s: %s", path, dir,
			    strerror(errno));
		error = FM_EIO;
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	return error;
}

/* Returns 1 when name is a temporary file of base: "." BASE "." and six name characters. */
static int
sweep_is_temp(const char *name, const char *base, size_t blen)
{
	size_t i, n = strlen(name);

	if (n != blen + 8 || name[0] != '.' || strncmp(name + 1, base, blen) || name[blen + 1] != '.')
		return 0;
	for (i = blen + 2; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '5')))
			return 0;
	return 1;
}

int
fm_output_sweep(const char *path, int *removed)
{
	const char *base;
	char *dir = NULL, full[4096];
	struct dirent *e;
	size_t blen;
	DIR *d;
	int rc;

	if (removed)
		*removed = 0;
	if ((rc = fm__path_split(path, &dir, &base)))
		return rc;
	blen = strlen(base) > REPLACE_BASE_MAX ? REPLACE_BASE_MAX : strlen(base);
	if (!(d = opendir(dir))) {
		free(dir);
		return 0; /* no folder yet: nothing to sweep */
	}
	while ((e = readdir(d)))
		if (sweep_is_temp(e->d_name, base, blen) &&
		    (size_t)snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < sizeof full &&
		    !unlink(full) && removed)
			(*removed)++;
	closedir(d);
	free(dir);
	return 0;
}
