/* grow.c - room for one more element in a growable array. */
#include "util/grow.h"
#include "feedmerge/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
fm__grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap;
	void *arr, *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : first;
	if (ncap <= n || ncap > SIZE_MAX / size)
		return FM_ENOMEM;
	/* The array pointer is read and written as bytes: any element type's pointer fits. */
	memcpy(&arr, arrp, sizeof arr);
	if (!(p = realloc(arr, ncap * size)))
		return FM_ENOMEM;
	memcpy(arrp, &p, sizeof p);
	*cap = ncap;
	return 0;
}
