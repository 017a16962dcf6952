/* grow.h - room for one more element in a growable array (internal). */
#ifndef FM_UTIL_GROW_H
#define FM_UTIL_GROW_H

#include <stddef.h>

/*
 * Makes room for element n of the array at *arrp (a pointer to the array
 * pointer; *cap elements of size bytes allocated): nothing when n < *cap,
 * else doubles the array (first elements when empty). Returns 0, or
 * FM_ENOMEM with the array and *cap untouched.
 */
int fm__grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first);

#endif
