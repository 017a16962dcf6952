/* fsutil.c - file-system helpers several modules share. */
#include "util/fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int
fm__path_split(const char *path, char **dir, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		*base = path;
		*dir = strdup(".");
	} else {
		*base = slash + 1;
		n = slash == path ? 1 : (size_t)(slash - path);
		if ((*dir = malloc(n + 1))) {
			memcpy(*dir, path, n);
			(*dir)[n] = '\0';
		}
	}
	return *dir ? 0 : FM_ENOMEM;
}

int
fm__mkdirs(const char *path, char *dir, fm_diag *diag)
{
	struct stat st;
	char *p;
	int e;

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
				fm_diag_set(diag, 0, 0, "%s: cannot create folder %s: %s",
					    path, dir, strerror(errno));
				*p = c;
				return FM_EIO;
			}
			*p = c;
		}
		if (!*p)
			break;
	}
	if (stat(dir, &st) < 0)
		e = errno;
	else if (!S_ISDIR(st.st_mode))
		e = ENOTDIR;
	else
		return 0;
	fm_diag_set(diag, 0, 0, "%s: cannot create folder %s: %s", path, dir, strerror(e));
	return FM_EIO;
}

int
fm__mkdir_parent(const char *path, fm_diag *diag)
{
	const char *base;
	char *dir;
	int rc;

	if ((rc = fm__path_split(path, &dir, &base)))
		return rc;
	rc = fm__mkdirs(path, dir, diag);
	free(dir);
	return rc;
}
