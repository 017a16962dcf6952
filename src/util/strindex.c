/* strindex.c - positions in an array of named things, found by name. */
#include "util/strindex.h"
#include "feedmerge/error.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* The slot of name: its entry, or the empty slot it would take. */
static size_t
six_slot(const fm_strindex *ix, const char *name, fm_strindex_name_at name_at, const void *ud)
{
	size_t i = (size_t)XXH3_64bits(name, strlen(name)) & (ix->nslots - 1);

	while (ix->slots[i] && strcmp(name_at(ud, ix->slots[i] - 1), name))
		i = (i + 1) & (ix->nslots - 1);
	return i;
}

size_t
fm__strindex_find(const fm_strindex *ix, const char *name, fm_strindex_name_at name_at,
		  const void *ud)
{
	size_t i;

	if (!ix->n)
		return SIZE_MAX;
	i = six_slot(ix, name, name_at, ud);
	return ix->slots[i] ? ix->slots[i] - 1 : SIZE_MAX;
}

int
fm__strindex_add(fm_strindex *ix, const char *name, size_t pos, fm_strindex_name_at name_at,
		 const void *ud)
{
	if (pos >= UINT32_MAX - 1)
		return FM_ENOMEM;
	if (2 * (ix->n + 1) > ix->nslots) {
		size_t n = ix->nslots ? 2 * ix->nslots : 64, i;
		uint32_t *old = ix->slots, *slots = calloc(n, sizeof *slots);

		if (!slots)
			return FM_ENOMEM;
		ix->slots = slots;
		ix->nslots = n;
		for (i = 0; i < n / 2 && old; i++)
			if (old[i])
				ix->slots[six_slot(ix, name_at(ud, old[i] - 1), name_at, ud)] = old[i];
		free(old);
	}
	ix->slots[six_slot(ix, name, name_at, ud)] = (uint32_t)pos + 1;
	ix->n++;
	return 0;
}

void
fm__strindex_dispose(fm_strindex *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}
