/* normlink.h - links normalised so copies at one address fold: dedup's first rule (internal). */
#ifndef FM_DEDUP_NORMLINK_H
#define FM_DEDUP_NORMLINK_H

/*
 * Normalises an http(s) link so two copies of one article compare equal:
 * scheme and host lower case, default port and fragment dropped, utm_* and
 * other click-tracking query parameters removed (the rest keep their order).
 * @param out receives a malloc'd string, or NULL when link is NULL, empty or
 *            not an absolute http(s) URL (such links never fold)
 * @return 0 or FM_ENOMEM.
 */
int fm__link_normalise(const char *link, char **out);

#endif
