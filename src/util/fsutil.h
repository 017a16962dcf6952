/* fsutil.h - file-system helpers several modules share (internal). */
#ifndef FM_UTIL_FSUTIL_H
#define FM_UTIL_FSUTIL_H

#include "feedmerge/error.h"

/*
 * Splits path into a new string *dir (free() it; "." or "/" when path names
 * no other folder) and a borrowed *base. Returns 0 or FM_ENOMEM.
 */
int fm__path_split(const char *path, char **dir, const char **base);

/*
 * Makes dir and its missing parents (0755 before the umask), like mkdir -p;
 * path is the file they are for, named in the message. dir is modified
 * while working and restored. Returns 0, or FM_EIO with diag set.
 */
int fm__mkdirs(const char *path, char *dir, fm_diag *diag);

/* Makes the folder path lives in, with its parents; returns 0, FM_ENOMEM or FM_EIO (diag set). */
int fm__mkdir_parent(const char *path, fm_diag *diag);

#endif
