/* itemcopy.h - deep copies of items in one allocation each (internal). */
#ifndef FM_RUN_ITEMCOPY_H
#define FM_RUN_ITEMCOPY_H

#include "feedmerge/item.h"

/*
 * Copies item, its strings, categories and enclosures into one malloc'd
 * block: free() the returned pointer and everything goes. The copy's
 * title_detail is the title's HTML when it has markup (else the plain
 * title); its other lists and bases are left empty. Returns NULL when
 * memory runs out.
 */
fm_item *fm__item_copy(const fm_item *item);

#endif
