/* itemcopy.h - deep copies of items in one allocation each (internal). */
#ifndef FM_RUN_ITEMCOPY_H
#define FM_RUN_ITEMCOPY_H

#include "feedmerge/item.h"

/*
 * Copies item, its strings and lists into one malloc'd block: free() the
 * returned pointer and everything goes. Returns NULL when memory runs out.
 */
fm_item *fm__item_copy(const fm_item *item);

#endif
