/* entities.h - the HTML named character references (internal). */
#ifndef FM_PARSE_ENTITIES_H
#define FM_PARSE_ENTITIES_H

#include <stddef.h>

/*
 * Looks up an HTML5 named character reference by name, without '&' and ';'
 * ("nbsp", "eacute", "NotEqualTilde"; case-sensitive, as HTML is). Returns
 * its UTF-8 expansion (a static string, one or two code points) and stores
 * its length in *outlen, or returns NULL when the name is not an entity.
 */
const char *fm__html_entity(const char *name, size_t len, size_t *outlen);

#endif
