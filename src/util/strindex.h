/* strindex.h - positions in an array of named things, found by name in O(1) (internal). */
#ifndef FM_UTIL_STRINDEX_H
#define FM_UTIL_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * An open-addressed table of positions into the caller's array; the names
 * stay the caller's (name_at reads the name at a position), so the array
 * may move when it grows. Zero-initialise it; free it with
 * fm__strindex_dispose().
 */
typedef struct fm_strindex {
	uint32_t *slots; /* position + 1; 0 empty */
	size_t nslots;   /* a power of two, over twice n */
	size_t n;
} fm_strindex;

/** Reads the name at position pos of the caller's array. */
typedef const char *(*fm_strindex_name_at)(const void *ud, size_t pos);

/** Returns the position of name, or SIZE_MAX when the index has none. */
size_t fm__strindex_find(const fm_strindex *ix, const char *name, fm_strindex_name_at name_at,
			 const void *ud);

/** Adds pos (< 2^32 - 1) under name, which must not be there yet; returns 0 or FM_ENOMEM. */
int fm__strindex_add(fm_strindex *ix, const char *name, size_t pos, fm_strindex_name_at name_at,
		     const void *ud);

/** Frees the table and leaves ix empty. */
void fm__strindex_dispose(fm_strindex *ix);

#endif
